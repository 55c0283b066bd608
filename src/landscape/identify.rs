//! Identifiability: the directions in parameter space along which the loss is (numerically)
//! flat are the parameter combinations the data does not determine (e.g. a model of two
//! decay rates whose data pins only their sum). Their eigenvectors say *which* combinations;
//! the remaining eigenvectors are the combinations the data does pin down.
//!
//! Eigenvalues are sorted ascending, so the flat ones (`|λ| ≤ rel·max|λ|`) form one contiguous
//! run in the middle of the spectrum.

use crate::error::{check_finite, Error};
use crate::linalg::{norm_inf, SymEigen};
use crate::Real;
use heapless::Vec;

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

/// A unit direction in parameter space and the loss's curvature (Hessian eigenvalue) along it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Direction<T, const N: usize> {
    /// Unit vector, its first non-negligible component made positive.
    pub vector: [T; N],
    /// Eigenvalue of the Hessian along `vector`.
    pub curvature: T,
}

/// Which parameter combinations the loss determines and which it does not: the `N`
/// eigen-directions of the Hessian, split into [`flat`](Self::flat) and
/// [`determined`](Self::determined), each in ascending order of curvature.
///
/// Both are `heapless::Vec`s of capacity `N` whose lengths add up to `N`: how many directions
/// are flat is the result, so a bounded vector says it without a separate count. (The report
/// holds `2·N·(N+1)` scalars, twice the eigen-decomposition, because either list can be all
/// `N`; the C ABI's `lossmap_flat_range_*` works on the caller's eigenvalue buffer instead.)
///
/// ```
/// use lossmap::landscape::Identifiability;
/// // Only the sum of two parameters is determined: H = [[1, 1], [1, 1]].
/// let id = Identifiability::of_hessian(&[[1.0f64, 1.0], [1.0, 1.0]], 1e-6).unwrap();
/// assert_eq!((id.flat.len(), id.determined.len()), (1, 1));
/// let d = id.flat[0].vector; // ±(1, −1)/√2, sign-normalized
/// assert!((d[0] - 0.5f64.sqrt()).abs() < 1e-12 && (d[1] + 0.5f64.sqrt()).abs() < 1e-12);
/// assert!((id.determined[0].curvature - 2.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Identifiability<T: Real, const N: usize> {
    /// The undetermined combinations: directions with `|λ| ≤ rel · max|λ|`.
    pub flat: Vec<Direction<T, N>, N>,
    /// The combinations the loss does determine: every other direction.
    pub determined: Vec<Direction<T, N>, N>,
}

impl<T: Real, const N: usize> Identifiability<T, N> {
    /// Splits the eigen-directions of `h` by `|λ| ≤ rel · max|λ|`.
    ///
    /// Errors as [`SymEigen::new`] (non-finite, asymmetric, `N = 0`, no convergence) and
    /// [`flat_range`] (`rel` negative or not finite: [`Error::InvalidParameter`]).
    pub fn of_hessian(h: &[[T; N]; N], rel: T) -> Result<Self, Error> {
        let e = SymEigen::new(h)?;
        let (start, count) = flat_range(&e.values, rel)?;
        let mut out = Identifiability {
            flat: Vec::new(),
            determined: Vec::new(),
        };
        for (k, (v, &l)) in e.vectors.iter().zip(&e.values).enumerate() {
            let d = Direction {
                vector: sign_normalized(v),
                curvature: l,
            };
            let list = if (start..start + count).contains(&k) {
                &mut out.flat
            } else {
                &mut out.determined
            };
            // At most N directions in all: a push never finds its list full.
            let _ = list.push(d);
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
