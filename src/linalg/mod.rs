//! Dense linear algebra on slices: vector kernels, the symmetric eigen-solver (Householder
//! tridiagonalization and implicit QR) and Cholesky solves, each with a typed `[T; N]` /
//! `[[T; N]; N]` wrapper.
//!
//! Matrices are `n×n` row-major slices. Kernels validate every length and value first and
//! return [`Error`](crate::Error) without writing anything when the input is bad.

mod cholesky;
mod eigen;
mod vector;

pub use cholesky::{cholesky_factor, cholesky_solve, cholesky_solve_n};
pub use eigen::{sym_eigen, SymEigen, JACOBI_MAX_SWEEPS};
pub(crate) use vector::dot_unchecked;
pub use vector::{axpy, dot, norm2, norm_inf};

use crate::Real;

/// Reads `a[i]`, or 0 when out of range (never happens after validation; never panics).
#[inline(always)]
pub(crate) fn at<T: Real>(a: &[T], i: usize) -> T {
    match a.get(i) {
        Some(v) => *v,
        None => T::ZERO,
    }
}

/// Writes `a[i] = v` when in range (never out of range after validation; never panics).
#[inline(always)]
pub(crate) fn put<T: Real>(a: &mut [T], i: usize, v: T) {
    if let Some(slot) = a.get_mut(i) {
        *slot = v;
    }
}

/// Copies `src` into `dst` element-wise over the common prefix (never panics).
///
/// Each value passes through [`black_box`](core::hint::black_box), so the loop stays a loop
/// of a few instructions: a plain copy loop is compiled to a `memcpy` call, which links
/// `compiler_builtins`' general `memcpy` (about 900 bytes on a Cortex-M4F, 700 on a Cortex-M0)
/// into every firmware that uses the routine. The copies are of `n`-vectors and `n×n` results
/// next to `O(n²)` loss evaluations, so the few extra cycles per element do not show.
#[inline]
pub(crate) fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut()
        .zip(src)
        .for_each(|(d, &s)| *d = core::hint::black_box(s));
}

/// Rows of a row-major matrix with `d` columns: like `chunks_exact(d)`, but without a division
/// anywhere (`ChunksExact::size_hint` divides by the chunk size, a panic path the optimizer
/// cannot always remove once `zip` inlines it). Yields nothing for `d = 0`.
#[derive(Debug, Clone)]
pub(crate) struct Rows<'a, T> {
    rest: &'a [T],
    d: usize,
}

impl<'a, T> Iterator for Rows<'a, T> {
    type Item = &'a [T];
    #[inline]
    fn next(&mut self) -> Option<&'a [T]> {
        if self.d == 0 {
            return None;
        }
        let (row, rest) = self.rest.split_at_checked(self.d)?;
        self.rest = rest;
        Some(row)
    }
}

/// The rows of `x` as a `d`-column row-major matrix (see [`Rows`]).
#[inline]
pub(crate) fn rows<T>(x: &[T], d: usize) -> Rows<'_, T> {
    Rows { rest: x, d }
}

/// Mutable rows of a row-major matrix with `d` columns (see [`Rows`]).
#[derive(Debug)]
pub(crate) struct RowsMut<'a, T> {
    rest: &'a mut [T],
    d: usize,
}

impl<'a, T> Iterator for RowsMut<'a, T> {
    type Item = &'a mut [T];
    #[inline]
    fn next(&mut self) -> Option<&'a mut [T]> {
        if self.d == 0 {
            return None;
        }
        let rest = core::mem::take(&mut self.rest);
        let (row, rest) = rest.split_at_mut_checked(self.d)?;
        self.rest = rest;
        Some(row)
    }
}

/// The mutable rows of `x` as a `d`-column row-major matrix (see [`Rows`]).
#[inline]
pub(crate) fn rows_mut<T>(x: &mut [T], d: usize) -> RowsMut<'_, T> {
    RowsMut { rest: x, d }
}
