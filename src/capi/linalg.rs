//! C entry points for linear algebra.

use super::ptr::{check, mul, Arg, READ, WRITTEN};
use super::status::status;
use super::work;
use crate::linalg::sym_eigen as kernel;
use crate::{Error, Real};

unsafe fn sym_eigen<T: Real>(
    a: *const T,
    n: usize,
    work: *mut T,
    values: *mut T,
    vectors: *mut T,
) -> Result<(), Error> {
    let (nn, wl) = (mul(n, n)?, work::eigen(n)?);
    check(&mut [
        Arg::of(a, nn, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(values as *const T, n, WRITTEN),
        Arg::of(vectors as *const T, nn, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`; validity is the
    // caller's contract.
    let (a, w, l, v) = unsafe {
        (
            core::slice::from_raw_parts(a, nn),
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(values, n),
            core::slice::from_raw_parts_mut(vectors, nn),
        )
    };
    kernel(a, n, w, l, v).map(|_| ())
}

/// Eigen-decomposition of the symmetric `n×n` row-major `a` (f32): eigenvalues ascending in
/// `values[0..n]`, unit eigenvectors as rows of `vectors` (`n×n`; row k belongs to
/// `values[k]`). `work` holds `n×n` floats of scratch. Nothing is written on bad input; an
/// eigenvalue beyond the type's range (finite input) is `LOSSMAP_ERR_NON_FINITE` after the
/// outputs were written.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sym_eigen_f32(
    a: *const f32,
    n: usize,
    work: *mut f32,
    values: *mut f32,
    vectors: *mut f32,
) -> i32 {
    status(unsafe { sym_eigen(a, n, work, values, vectors) })
}

/// Eigen-decomposition of the symmetric `n×n` row-major `a` (f64): eigenvalues ascending in
/// `values[0..n]`, unit eigenvectors as rows of `vectors` (`n×n`; row k belongs to
/// `values[k]`). `work` holds `n×n` doubles of scratch. Nothing is written on bad input; an
/// eigenvalue beyond the type's range (finite input) is `LOSSMAP_ERR_NON_FINITE` after the
/// outputs were written.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sym_eigen_f64(
    a: *const f64,
    n: usize,
    work: *mut f64,
    values: *mut f64,
    vectors: *mut f64,
) -> i32 {
    status(unsafe { sym_eigen(a, n, work, values, vectors) })
}
