//! Closed-form least squares for the linear model `ŷ = w·x + b`: with the design `A = [X 1]`
//! (`m×(d+1)`, a column of ones for the bias), the minimizer of the mean squared error
//! `(1/m)‖Aθ − y‖²` solves the normal equations
//!
//! ```text
//! (AᵀA/m) θ = Aᵀy/m
//! ```
//!
//! by Cholesky factorization of the Gram matrix `G = AᵀA/m` ([`cholesky_solve`]; Golub & Van
//! Loan, *Matrix Computations*, 4th ed., §5.3.1; Hastie, Tibshirani & Friedman, *The Elements
//! of Statistical Learning*, 2nd ed., eq. 3.6). `G` is also half the Hessian of the MSE, so its
//! condition number is the one an optimizer sees (see [`design_gram`]).
//!
//! **Rank.** `G` is singular exactly when the design is rank-deficient (a duplicated or
//! constant feature, fewer samples than parameters). In floating point a singular `G` may
//! factor with a tiny positive pivot instead of failing, so the solve also rejects a pivot
//! `L_jj² ≤ tol·G_jj` with `tol = 16·(d+1)·ε`: column `j` of `A` then lies within rounding of
//! the span of the columns before it (`L_jj²/G_jj` is the squared sine of that angle). Both
//! give [`Error::NotPositiveDefinite`]; so does `m < d + 1`, checked first. The normal
//! equations square the condition number of `A`: standardize features of very different scale
//! first (see [`standardize`](super::standardize)), especially in `f32`.

use super::model::{rows, Linear};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, cholesky_factor, cholesky_solve, put};
use crate::Real;

/// Scratch length for [`least_squares`] with `d` features: `n(2n + 1)` with `n = d + 1`
/// (the Gram matrix, its Cholesky factor and the right-hand side). Saturates on overflow.
///
/// ```
/// assert_eq!(lossmap::loss::least_squares_work_len(1), 10);
/// ```
pub const fn least_squares_work_len(d: usize) -> usize {
    let n = d.saturating_add(1);
    n.saturating_mul(n.saturating_mul(2).saturating_add(1))
}

/// Entry `j` of the augmented sample `(x, 1)`.
#[inline]
fn aug<T: Real>(xi: &[T], j: usize, d: usize) -> T {
    if j < d {
        at(xi, j)
    } else {
        T::ONE
    }
}

/// The Gram matrix `G = AᵀA/m` of the design `A = [X 1]` for features `x` (`m×d` row-major,
/// `m = x.len()/d`), written to `g` (`(d+1)×(d+1)` row-major, both triangles). For the linear
/// model, `G` is half the Hessian of the mean squared error, `∇²L = 2G`.
///
/// Errors (nothing written): [`Error::Empty`] for `d = 0` or no samples,
/// [`Error::LengthMismatch`] if `x.len()` is not a multiple of `d` or `g` has the wrong length,
/// [`Error::NonFiniteInput`] for NaN/Inf in `x`. If the sums overflow (|x| near the largest
/// float) the result is [`Error::NonFiniteInput`] too, with `g` holding scratch.
///
/// ```
/// // x = (1, 2, 3): G = [[Σx², Σx], [Σx, m]]/m = [[14/3, 2], [2, 1]].
/// let mut g = [0.0f64; 4];
/// lossmap::loss::design_gram(&[1.0, 2.0, 3.0], 1, &mut g).unwrap();
/// assert!((g[0] - 14.0 / 3.0).abs() < 1e-15);
/// assert_eq!(g[1..], [2.0, 2.0, 1.0]);
/// ```
pub fn design_gram<T: Real>(x: &[T], d: usize, g: &mut [T]) -> Result<(), Error> {
    let model = Linear::new(d)?;
    if x.is_empty() {
        return Err(Error::Empty);
    }
    if !x.len().is_multiple_of(d.max(1)) {
        return Err(Error::LengthMismatch);
    }
    let m = x.len() / d.max(1);
    let n = model.params();
    check_len(g.len(), n.checked_mul(n).ok_or(Error::LengthMismatch)?)?;
    check_finite(x)?;
    gram_into(x, None, m, d, g, None);
    check_finite(g)
}

/// `G = AᵀA/m` into `g` (lower and upper triangle) and `Aᵀy/m` into `b` when given. No checks.
fn gram_into<T: Real>(
    x: &[T],
    y: Option<&[T]>,
    m: usize,
    d: usize,
    g: &mut [T],
    mut b: Option<&mut [T]>,
) {
    let n = d + 1;
    g.iter_mut().for_each(|v| *v = T::ZERO);
    if let Some(b) = b.as_deref_mut() {
        b.iter_mut().for_each(|v| *v = T::ZERO);
    }
    for (i, xi) in rows(x, d).take(m).enumerate() {
        for j in 0..n {
            let aj = aug(xi, j, d);
            for l in 0..=j {
                put(g, j * n + l, at(g, j * n + l) + aj * aug(xi, l, d));
            }
            if let (Some(b), Some(y)) = (b.as_deref_mut(), y) {
                put(b, j, at(b, j) + aj * at(y, i));
            }
        }
    }
    let inv_m = T::ONE / T::from_usize(m);
    for j in 0..n {
        for l in 0..=j {
            let v = at(g, j * n + l) * inv_m;
            put(g, j * n + l, v);
            put(g, l * n + j, v);
        }
        if let Some(b) = b.as_deref_mut() {
            put(b, j, at(b, j) * inv_m);
        }
    }
}

/// Least-squares fit of the linear model: `theta = (w, b)` (length `d + 1`) minimizing
/// `(1/m) Σ (w·xᵢ + b − yᵢ)²` over features `x` (`m×d` row-major) and targets `y` (`m`).
/// `work` (length [`least_squares_work_len`]`(d)`) is scratch.
///
/// Errors (`theta` unchanged; `work` is scratch): [`Error::Empty`] for `d = 0` or no samples;
/// [`Error::LengthMismatch`]; [`Error::NonFiniteInput`] for NaN/Inf in `x`, `y` (or sums that
/// overflow); [`Error::NotPositiveDefinite`] for a rank-deficient design (see the module
/// documentation for the test).
///
/// ```
/// // Points on y = 2x − 1: the fit recovers slope 2 and intercept −1.
/// let (x, y) = ([0.0f64, 1.0, 2.0, 3.0], [-1.0, 1.0, 3.0, 5.0]);
/// let mut work = [0.0; lossmap::loss::least_squares_work_len(1)];
/// let mut theta = [0.0; 2];
/// lossmap::loss::least_squares(&x, &y, 1, &mut work, &mut theta).unwrap();
/// assert!((theta[0] - 2.0).abs() < 1e-14 && (theta[1] + 1.0).abs() < 1e-14);
/// // A duplicated feature makes the design rank-deficient:
/// let x2 = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
/// let mut work = [0.0; lossmap::loss::least_squares_work_len(2)];
/// let mut theta = [0.0; 3];
/// assert_eq!(
///     lossmap::loss::least_squares(&x2, &y, 2, &mut work, &mut theta),
///     Err(lossmap::Error::NotPositiveDefinite)
/// );
/// ```
pub fn least_squares<T: Real>(
    x: &[T],
    y: &[T],
    d: usize,
    work: &mut [T],
    theta: &mut [T],
) -> Result<(), Error> {
    let model = Linear::new(d)?;
    model.check_data(x, y, None)?;
    let n = model.params();
    check_len(theta.len(), n)?;
    check_len(work.len(), least_squares_work_len(d))?;
    let m = y.len();
    if m < n {
        return Err(Error::NotPositiveDefinite);
    }
    let nn = n * n;
    let (g, rest) = work.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    let (l, b) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    gram_into(x, Some(y), m, d, g, Some(&mut *b));
    if check_finite(g).is_err() || check_finite(b).is_err() {
        return Err(Error::NonFiniteInput);
    }
    cholesky_factor(g, n, l)?;
    let tol = T::from_f64(16.0) * T::from_usize(n) * T::EPSILON_R;
    for j in 0..n {
        let ljj = at(l, j * n + j);
        if ljj * ljj <= tol * at(g, j * n + j) {
            return Err(Error::NotPositiveDefinite);
        }
    }
    // `cholesky_solve` factors `g` again (into the same scratch) and solves; the first
    // factorization only served the pivot test. O(n³/3) twice, for small n.
    cholesky_solve(g, n, l, b)?;
    check_finite(b)?;
    theta.iter_mut().zip(b.iter()).for_each(|(t, &v)| *t = v);
    Ok(())
}
