//! Dense linear algebra on slices: vector kernels, the symmetric eigen-solver (cyclic Jacobi)
//! and Cholesky solves, each with a typed `[T; N]` / `[[T; N]; N]` wrapper.
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
