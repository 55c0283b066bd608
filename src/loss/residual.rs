//! Δ-learning: learn the correction `y − baseline(x)` to a known, cheaper prediction instead
//! of `y` itself, then predict `baseline(x) + model(x)` (R. Ramakrishnan, P. O. Dral, M. Rupp &
//! O. A. von Lilienfeld, "Big data meets quantum chemistry approximations: the Δ-machine
//! learning approach", *J. Chem. Theory Comput.* 11(5), 2015).
//!
//! The baseline is a caller-owned slice of per-sample predictions (fill it from a function with
//! [`baseline_from_fn`]). Use it with [`LinearFit::with_baseline`](super::LinearFit::with_baseline)
//! for an iterative fit, or form the residual targets with [`residual_targets`] for
//! [`least_squares`](super::least_squares).

use super::model::rows;
use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// `out[i] = f(x_i)` for each sample row of `x` (`m×d` row-major, `m = out.len()`).
///
/// Errors: [`Error::Empty`] for `d = 0` or no samples, [`Error::LengthMismatch`] unless
/// `x.len() = m·d`, [`Error::NonFiniteInput`] for NaN/Inf in `x` (nothing written) or if `f`
/// returns NaN/Inf for some sample (then `out` holds scratch).
///
/// ```
/// let x = [1.0f64, 2.0, 3.0];
/// let mut base = [0.0; 3];
/// lossmap::loss::baseline_from_fn(&x, 1, |r: &[f64]| 10.0 * r[0], &mut base).unwrap();
/// assert_eq!(base, [10.0, 20.0, 30.0]);
/// ```
pub fn baseline_from_fn<T: Real, F: FnMut(&[T]) -> T>(
    x: &[T],
    d: usize,
    mut f: F,
    out: &mut [T],
) -> Result<(), Error> {
    if d == 0 {
        return Err(Error::Empty);
    }
    check_len(
        x.len(),
        out.len().checked_mul(d).ok_or(Error::LengthMismatch)?,
    )?;
    check_finite(x)?;
    for (o, xi) in out.iter_mut().zip(rows(x, d)) {
        *o = f(xi);
    }
    check_finite(out)
}

/// `out = y − baseline`: the targets of the Δ-model.
///
/// Errors (nothing written): [`Error::Empty`], [`Error::LengthMismatch`],
/// [`Error::NonFiniteInput`] for NaN/Inf in either input or an overflowing difference.
///
/// ```
/// let mut r = [0.0f32; 2];
/// lossmap::loss::residual_targets(&[5.0, 7.0], &[4.5, 7.5], &mut r).unwrap();
/// assert_eq!(r, [0.5, -0.5]);
/// ```
pub fn residual_targets<T: Real>(y: &[T], baseline: &[T], out: &mut [T]) -> Result<(), Error> {
    check_len(baseline.len(), y.len())?;
    check_len(out.len(), y.len())?;
    check_finite(y)?;
    check_finite(baseline)?;
    if y.iter().zip(baseline).any(|(&a, &b)| !(a - b).is_finite()) {
        return Err(Error::NonFiniteInput);
    }
    for ((o, &a), &b) in out.iter_mut().zip(y).zip(baseline) {
        *o = a - b;
    }
    Ok(())
}
