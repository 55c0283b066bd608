//! Identifiability: the directions in parameter space along which the loss is (numerically)
//! flat are the parameter combinations the data does not determine (seed 000: a model of two
//! decay rates whose data pins only their sum). Their eigenvectors say *which* combinations;
//! the remaining eigenvectors are the combinations the data does pin down.
//!
//! Eigenvalues are sorted ascending, so the flat ones (`|λ| ≤ rel·max|λ|`) form one contiguous
//! run in the middle of the spectrum.

use crate::error::{check_finite, Error};
use crate::linalg::{norm_inf, SymEigen};
use crate::Real;

/// The run `start..start + count` of ascending `values` with `|λ| ≤ rel · max|λ|`.
///
/// ```
/// assert_eq!(lossmap::landscape::flat_range(&[-3.0f64, 1e-9, 2e-9, 5.0], 1e-6), Ok((1, 2)));
/// assert_eq!(lossmap::landscape::flat_range(&[1.0f64, 2.0], 1e-6), Ok((2, 0)));
/// ```
pub fn flat_range<T: Real>(values: &[T], rel: T) -> Result<(usize, usize), Error> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(values)?;
    if !rel.is_finite() || rel < T::ZERO {
        return Err(Error::InvalidParameter);
    }
    let z = rel * norm_inf(values);
    let start = values
        .iter()
        .position(|v| v.abs() <= z)
        .unwrap_or(values.len());
    let count = values
        .iter()
        .skip(start)
        .take_while(|v| v.abs() <= z)
        .count();
    Ok((start, count))
}

/// Which parameter combinations the loss determines and which it does not.
///
/// ```
/// use lossmap::landscape::Identifiability;
/// // Only the sum of two parameters is determined: H = [[1, 1], [1, 1]].
/// let id = Identifiability::of_hessian(&[[1.0f64, 1.0], [1.0, 1.0]], 1e-6).unwrap();
/// assert_eq!(id.flat_count, 1);
/// let d = id.flat[0]; // ±(1, −1)/√2, sign-normalized
/// assert!((d[0] - 0.5f64.sqrt()).abs() < 1e-12 && (d[1] + 0.5f64.sqrt()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Identifiability<T: Real, const N: usize> {
    /// Number of flat (undetermined) directions.
    pub flat_count: usize,
    /// Unit directions: rows `0..flat_count` are the undetermined combinations, the remaining
    /// rows the determined ones, each with its first non-negligible component made positive.
    pub flat: [[T; N]; N],
    /// Curvature (eigenvalue) of each row of `flat`.
    pub curvature: [T; N],
}

impl<T: Real, const N: usize> Identifiability<T, N> {
    /// Splits the eigen-directions of `h` by `|λ| ≤ rel · max|λ|`.
    pub fn of_hessian(h: &[[T; N]; N], rel: T) -> Result<Self, Error> {
        let e = SymEigen::new(h)?;
        let (start, count) = flat_range(&e.values, rel)?;
        let mut out = Identifiability {
            flat_count: count,
            flat: [[T::ZERO; N]; N],
            curvature: [T::ZERO; N],
        };
        // Flat rows first, then the others in ascending order.
        let order = (start..start + count)
            .chain(0..start)
            .chain(start + count..N);
        for ((row, c), k) in out.flat.iter_mut().zip(out.curvature.iter_mut()).zip(order) {
            if let (Some(v), Some(&l)) = (e.vectors.get(k), e.values.get(k)) {
                *row = sign_normalized(v);
                *c = l;
            }
        }
        Ok(out)
    }
}

/// `v` flipped so that its first non-negligible component (`|vᵢ| > √ε·max|v|`) is positive.
fn sign_normalized<T: Real, const N: usize>(v: &[T; N]) -> [T; N] {
    let cut = T::EPSILON_R.sqrt() * crate::linalg::norm_inf(v);
    let first = v.iter().copied().find(|a| a.abs() > cut).unwrap_or(T::ZERO);
    if first < T::ZERO {
        v.map(|a| -a)
    } else {
        *v
    }
}
