//! Feature standardization of an `m×d` row-major data set, column by column:
//!
//! ```text
//! μⱼ = (1/m) Σᵢ xᵢⱼ     sⱼ = √((1/m) Σᵢ (xᵢⱼ − μⱼ)²)     xᵢⱼ ← (xᵢⱼ − μⱼ)/sⱼ
//! ```
//!
//! with the population standard deviation (divisor `m`, as scikit-learn's `StandardScaler`).
//! A column whose entries are all equal has `sⱼ = 0`: it gets `μⱼ` = that value and `sⱼ = 1`
//! (it becomes all zeros; nothing is divided by zero) and is counted in the returned number of
//! constant columns. The test is exact equality, not a tolerance. `sⱼ` is computed as
//! `M·√((1/m) Σ ((x − μ)/M)²)` with `M = maxᵢ |xᵢⱼ − μⱼ|`, so a tiny spread does not underflow
//! to 0.
//!
//! Standardizing puts every feature on the same scale, which removes the large eigenvalue
//! a column of big values (or a big mean, through the bias) puts into `XᵀX` and so lowers the
//! condition number an optimizer faces (Hastie, Tibshirani & Friedman, *The Elements of
//! Statistical Learning*, 2nd ed., §3.4.1, standardize before penalized fits; LeCun, Bottou,
//! Orr & Müller, "Efficient BackProp", 1998, §4.3).

use crate::error::{check_finite, check_len, Error};
use crate::linalg::at;
use crate::Real;

/// `(μ, s, constant)` of column `j`, or `None` if a sum overflows.
fn column_stats<T: Real>(x: &[T], d: usize, j: usize) -> Option<(T, T, bool)> {
    let col = || x.iter().skip(j).step_by(d.max(1));
    let first = *col().next()?;
    if col().all(|&v| v == first) {
        return Some((first, T::ONE, true));
    }
    let m = T::from_usize(col().count());
    let mean = col().fold(T::ZERO, |s, &v| s + v) / m;
    let big = col().fold(T::ZERO, |b, &v| b.max((v - mean).abs()));
    if !(mean.is_finite() && big.is_finite() && big > T::ZERO) {
        return None;
    }
    let sq = col().fold(T::ZERO, |s, &v| {
        let r = (v - mean) / big;
        s + r * r
    });
    let scale = big * (sq / m).sqrt();
    (scale.is_finite() && scale > T::ZERO).then_some((mean, scale, false))
}

fn check_shape<T>(x: &[T], d: usize) -> Result<(), Error> {
    if d == 0 || x.is_empty() {
        return Err(Error::Empty);
    }
    if !x.len().is_multiple_of(d.max(1)) {
        return Err(Error::LengthMismatch);
    }
    Ok(())
}

/// Standardizes the columns of `x` (`m×d` row-major) in place, writing the means and the
/// scales used to `mean` and `scale` (length `d` each). Returns the number of constant columns
/// (scale 1, now all zeros).
///
/// Errors (nothing written): [`Error::Empty`] for `d = 0` or no samples,
/// [`Error::LengthMismatch`] if `x.len()` is not a multiple of `d` or `mean`/`scale` are not of
/// length `d`, [`Error::NonFiniteInput`] for NaN/Inf in `x` or sums that overflow.
///
/// ```
/// use lossmap::loss::{standardize, unstandardize};
/// // Column 0: (1, 3) → μ = 2, s = 1. Column 1: constant 5 → μ = 5, s = 1, reported.
/// let mut x = [1.0f64, 5.0, 3.0, 5.0];
/// let (mut mean, mut scale) = ([0.0; 2], [0.0; 2]);
/// assert_eq!(standardize(&mut x, 2, &mut mean, &mut scale), Ok(1));
/// assert_eq!((x, mean, scale), ([-1.0, 0.0, 1.0, 0.0], [2.0, 5.0], [1.0, 1.0]));
/// unstandardize(&mut x, 2, &mean, &scale).unwrap();
/// assert_eq!(x, [1.0, 5.0, 3.0, 5.0]);
/// ```
pub fn standardize<T: Real>(
    x: &mut [T],
    d: usize,
    mean: &mut [T],
    scale: &mut [T],
) -> Result<usize, Error> {
    check_shape(x, d)?;
    check_len(mean.len(), d)?;
    check_len(scale.len(), d)?;
    check_finite(x)?;
    if (0..d).any(|j| column_stats(x, d, j).is_none()) {
        return Err(Error::NonFiniteInput);
    }
    let mut constant = 0;
    for (j, (mu, s)) in mean.iter_mut().zip(scale.iter_mut()).enumerate() {
        let (mj, sj, c) = column_stats(x, d, j).unwrap_or((T::ZERO, T::ONE, false));
        *mu = mj;
        *s = sj;
        constant += usize::from(c);
    }
    standardize_with(x, d, mean, scale)?;
    Ok(constant)
}

fn check_stats<T: Real>(d: usize, mean: &[T], scale: &[T]) -> Result<(), Error> {
    check_len(mean.len(), d)?;
    check_len(scale.len(), d)?;
    check_finite(mean)?;
    check_finite(scale)?;
    if scale.iter().any(|&s| s <= T::ZERO) {
        return Err(Error::InvalidParameter);
    }
    Ok(())
}

/// Applies given means and scales: `xᵢⱼ ← (xᵢⱼ − μⱼ)/sⱼ` (e.g. to new samples with the
/// statistics of the training set).
///
/// Errors (nothing written): [`Error::Empty`], [`Error::LengthMismatch`],
/// [`Error::NonFiniteInput`] for NaN/Inf in any input or a result that overflows,
/// [`Error::InvalidParameter`] for a scale ≤ 0.
///
/// ```
/// let mut x = [4.0f32, 0.0];
/// lossmap::loss::standardize_with(&mut x, 1, &[2.0], &[2.0]).unwrap();
/// assert_eq!(x, [1.0, -1.0]);
/// ```
pub fn standardize_with<T: Real>(
    x: &mut [T],
    d: usize,
    mean: &[T],
    scale: &[T],
) -> Result<(), Error> {
    map_columns(x, d, mean, scale, |v, mu, s| (v - mu) / s)
}

/// The inverse of [`standardize`]: `xᵢⱼ ← xᵢⱼ·sⱼ + μⱼ`.
///
/// Errors (nothing written): as [`standardize_with`].
pub fn unstandardize<T: Real>(x: &mut [T], d: usize, mean: &[T], scale: &[T]) -> Result<(), Error> {
    map_columns(x, d, mean, scale, |v, mu, s| v * s + mu)
}

fn map_columns<T: Real>(
    x: &mut [T],
    d: usize,
    mean: &[T],
    scale: &[T],
    f: impl Fn(T, T, T) -> T,
) -> Result<(), Error> {
    check_shape(x, d)?;
    check_stats(d, mean, scale)?;
    check_finite(x)?;
    let each = |row: &[T]| {
        row.iter()
            .zip(mean.iter().zip(scale))
            .all(|(&v, (&mu, &s))| f(v, mu, s).is_finite())
    };
    if !crate::linalg::rows(x, d).all(each) {
        return Err(Error::NonFiniteInput);
    }
    for row in crate::linalg::rows_mut(x, d) {
        for (v, (&mu, &s)) in row.iter_mut().zip(mean.iter().zip(scale)) {
            *v = f(*v, mu, s);
        }
    }
    Ok(())
}

/// Maps linear-model parameters fitted on standardized features back to the raw features:
/// from `ŷ = Σ wⱼ (xⱼ − μⱼ)/sⱼ + b` to `ŷ = Σ (wⱼ/sⱼ) xⱼ + (b − Σ wⱼμⱼ/sⱼ)`, in place on
/// `theta = (w₁ … w_d, b)`.
///
/// Errors (nothing written): [`Error::Empty`], [`Error::LengthMismatch`] unless
/// `theta.len() = d + 1` for `d = mean.len()`, [`Error::NonFiniteInput`],
/// [`Error::InvalidParameter`] for a scale ≤ 0.
///
/// ```
/// // One feature with μ = 10, s = 2; on standardized data ŷ = 3z + 1 = 1.5x − 14.
/// let mut theta = [3.0f64, 1.0];
/// lossmap::loss::destandardize_linear(&mut theta, &[10.0], &[2.0]).unwrap();
/// assert_eq!(theta, [1.5, -14.0]);
/// ```
pub fn destandardize_linear<T: Real>(
    theta: &mut [T],
    mean: &[T],
    scale: &[T],
) -> Result<(), Error> {
    let d = mean.len();
    check_stats(d, mean, scale)?;
    check_len(theta.len(), d.checked_add(1).ok_or(Error::LengthMismatch)?)?;
    check_finite(theta)?;
    let shift = theta
        .iter()
        .zip(mean.iter().zip(scale))
        .fold(T::ZERO, |acc, (&w, (&mu, &s))| acc + w * mu / s);
    let b = at(theta, d) - shift;
    let ok = b.is_finite() && theta.iter().zip(scale).all(|(&w, &s)| (w / s).is_finite());
    if !ok {
        return Err(Error::NonFiniteInput);
    }
    for (w, &s) in theta.iter_mut().zip(scale) {
        *w /= s;
    }
    crate::linalg::put(theta, d, b);
    Ok(())
}
