//! Vector kernels over slices: dot product, `y ← αx + y`, Euclidean and max norms.

use crate::error::{check_len, Error};
use crate::Real;

/// Dot product `Σ aᵢbᵢ`.
///
/// ```
/// assert_eq!(lossmap::linalg::dot(&[1.0f64, 2.0, 3.0], &[4.0, 5.0, 6.0]), Ok(32.0));
/// assert!(lossmap::linalg::dot(&[1.0f64], &[1.0, 2.0]).is_err());
/// ```
pub fn dot<T: Real>(a: &[T], b: &[T]) -> Result<T, Error> {
    check_len(b.len(), a.len())?;
    Ok(dot_unchecked(a, b))
}

/// Dot product over the common prefix (callers have checked lengths).
#[inline]
pub(crate) fn dot_unchecked<T: Real>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).fold(T::ZERO, |s, (&x, &y)| s + x * y)
}

/// `y ← αx + y` (BLAS axpy). `y` is unchanged on error.
///
/// ```
/// let mut y = [1.0f32, 1.0];
/// lossmap::linalg::axpy(2.0, &[1.0, -1.0], &mut y).unwrap();
/// assert_eq!(y, [3.0, -1.0]);
/// ```
pub fn axpy<T: Real>(alpha: T, x: &[T], y: &mut [T]) -> Result<(), Error> {
    check_len(y.len(), x.len())?;
    if !alpha.is_finite() {
        return Err(Error::NonFiniteInput);
    }
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
    Ok(())
}

/// Euclidean norm `‖x‖₂`, scaled so that it neither overflows nor underflows needlessly
/// (the LAPACK `nrm2` idea). NaN if `x` holds NaN, ∞ if it holds ±∞; 0 for an empty slice.
/// A norm of finite entries beyond the type's range saturates at its largest finite value, so a
/// finite vector never reports an infinite norm.
///
/// ```
/// assert_eq!(lossmap::linalg::norm2(&[3.0f64, 4.0]), 5.0);
/// assert!((lossmap::linalg::norm2(&[3e200f64, 4e200]) / 5e200 - 1.0).abs() < 1e-15);
/// assert_eq!(lossmap::linalg::norm2(&[f32::MAX, f32::MAX]), f32::MAX);
/// ```
pub fn norm2<T: Real>(x: &[T]) -> T {
    let scale = norm_inf(x);
    if scale == T::ZERO || !scale.is_finite() {
        return scale;
    }
    let s = x.iter().fold(T::ZERO, |s, &v| {
        let r = v / scale;
        s + r * r
    });
    (scale * s.sqrt()).min(T::MAX_R)
}

/// Max norm `maxᵢ |xᵢ|`; NaN if any entry is NaN, 0 for an empty slice.
///
/// ```
/// assert_eq!(lossmap::linalg::norm_inf(&[1.0f64, -7.0, 3.0]), 7.0);
/// ```
pub fn norm_inf<T: Real>(x: &[T]) -> T {
    let mut m = T::ZERO;
    for &v in x {
        if v.is_nan() {
            return v;
        }
        m = m.max(v.abs());
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_propagates_through_norms() {
        assert!(norm2(&[1.0f64, f64::NAN]).is_nan());
        assert!(norm_inf(&[f32::NAN, 1.0]).is_nan());
        assert_eq!(norm2::<f64>(&[]), 0.0);
    }

    #[test]
    fn axpy_rejects_bad_input_without_writing() {
        let mut y = [1.0f64, 2.0];
        assert_eq!(axpy(1.0, &[1.0], &mut y), Err(Error::LengthMismatch));
        assert_eq!(
            axpy(f64::NAN, &[1.0, 1.0], &mut y),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(y, [1.0, 2.0]);
    }
}
