//! Finite-difference Jacobians of a residual vector. For parameter `j`:
//!
//! ```text
//! forward:  h = √max(epsfcn, ε) · max(|x_j|, 1)
//!           J[i][j] = (r_i(x + h e_j) − r_i(x)) / h                       n evaluations
//! central:  h = ∛max(epsfcn, ε) · max(|x_j|, 1)
//!           J[i][j] = (r_i(x + h e_j) − r_i(x − h e_j)) / (2h)            2n evaluations
//! ```
//!
//! with `h` rounded so that `x_j + h` is exactly representable (the difference then divides by
//! the step actually taken). `epsfcn` is the relative error of the residuals (0: they are exact
//! to rounding, `ε`); `√ε` balances truncation `O(h)` against rounding `O(ε/h)` for forward
//! differences and `∛ε` balances `O(h²)` against it for central ones (Nocedal & Wright §8.1).
//! The scale `max(|x_j|, 1)` is scipy's (`approx_derivative`, which `least_squares` uses) and
//! the crate's own (`diff`); MINPACK's `fdjac2` scales by `|x_j|` alone, whose step shrinks
//! with the parameter and turns the difference into rounding noise as `x_j → 0` (a parameter
//! passing near zero then loses its column). `J` is `m×n` row-major. `x` is perturbed one entry
//! at a time and restored bit-exactly before returning.

use crate::error::Error;
use crate::linalg::{at, put};
use crate::Real;

fn base_step<T: Real>(epsfcn: T, central: bool) -> T {
    let e = if epsfcn.is_finite() && epsfcn > T::EPSILON_R {
        epsfcn
    } else {
        T::EPSILON_R
    };
    if central {
        e.cbrt()
    } else {
        e.sqrt()
    }
}

fn step<T: Real>(base: T, xj: T) -> T {
    crate::diff::step::representable(xj, base * xj.abs().max(T::ONE))
}

/// Forward-difference Jacobian (`n` residual evaluations) into `jac` (`m×n`, `m = r.len()`),
/// from the residuals `r` at `x`. `tmp` (`m`) is scratch. Returns the evaluations used.
///
/// Errors: [`Error::LengthMismatch`] / [`Error::Empty`] for inconsistent sizes (nothing
/// evaluated), [`Error::NonFiniteLoss`] when a perturbed residual is NaN/Inf,
/// [`Error::NonFiniteGradient`] when a difference quotient overflows; `x` is restored in every
/// case.
///
/// ```
/// use lossmap::nlls::forward_jacobian;
/// let mut f = |x: &[f64], r: &mut [f64]| { r[0] = x[0] * x[1]; r[1] = x[0] + 3.0 * x[1]; };
/// let mut x = [2.0, 5.0];
/// let (mut r, mut j, mut tmp) = ([0.0; 2], [0.0; 4], [0.0; 2]);
/// f(&x, &mut r);
/// assert_eq!(forward_jacobian(&mut f, &mut x, &r, &mut j, &mut tmp, 0.0), Ok(2));
/// let exact = [5.0, 2.0, 1.0, 3.0];
/// assert!(j.iter().zip(exact).all(|(a, b)| (a - b).abs() < 1e-6));
/// ```
pub fn forward_jacobian<T: Real, F: FnMut(&[T], &mut [T]) + ?Sized>(
    f: &mut F,
    x: &mut [T],
    r: &[T],
    jac: &mut [T],
    tmp: &mut [T],
    epsfcn: T,
) -> Result<usize, Error> {
    let (m, n) = (r.len(), x.len());
    check_sizes(m, n, jac.len(), tmp.len(), 1)?;
    let base = base_step(epsfcn, false);
    for j in 0..n {
        let xj = at(x, j);
        let h = step(base, xj);
        put(x, j, xj + h);
        f(x, tmp);
        put(x, j, xj);
        if tmp.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteLoss);
        }
        for i in 0..m {
            let d = (at(tmp, i) - at(r, i)) / h;
            if !d.is_finite() {
                return Err(Error::NonFiniteGradient);
            }
            put(jac, i * n + j, d);
        }
    }
    Ok(n)
}

/// Central-difference Jacobian (`2n` residual evaluations) into `jac` (`m×n`, `m =
/// tmp.len() / 2`); `tmp` (`2m`) is scratch. Errors as [`forward_jacobian`].
///
/// ```
/// use lossmap::nlls::central_jacobian;
/// let mut f = |x: &[f64], r: &mut [f64]| { r[0] = x[0].exp(); };
/// let mut x = [1.0];
/// let (mut j, mut tmp) = ([0.0; 1], [0.0; 2]);
/// assert_eq!(central_jacobian(&mut f, &mut x, &mut j, &mut tmp, 0.0), Ok(2));
/// assert!((j[0] - 1f64.exp()).abs() < 1e-9);
/// ```
pub fn central_jacobian<T: Real, F: FnMut(&[T], &mut [T]) + ?Sized>(
    f: &mut F,
    x: &mut [T],
    jac: &mut [T],
    tmp: &mut [T],
    epsfcn: T,
) -> Result<usize, Error> {
    let n = x.len();
    let m = tmp.len() / 2;
    check_sizes(m, n, jac.len(), tmp.len(), 2)?;
    let (plus, minus) = tmp.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let base = base_step(epsfcn, true);
    for j in 0..n {
        let xj = at(x, j);
        let h = step(base, xj);
        put(x, j, xj + h);
        f(x, plus);
        put(x, j, xj - h);
        f(x, minus);
        put(x, j, xj);
        if plus.iter().chain(minus.iter()).any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteLoss);
        }
        for i in 0..m {
            let d = (at(plus, i) - at(minus, i)) / (T::TWO * h);
            if !d.is_finite() {
                return Err(Error::NonFiniteGradient);
            }
            put(jac, i * n + j, d);
        }
    }
    Ok(n.saturating_mul(2))
}

fn check_sizes(m: usize, n: usize, jac: usize, tmp: usize, k: usize) -> Result<(), Error> {
    if m == 0 || n == 0 {
        return Err(Error::Empty);
    }
    let mn = m.checked_mul(n).ok_or(Error::LengthMismatch)?;
    let mk = m.checked_mul(k).ok_or(Error::LengthMismatch)?;
    if jac != mn || tmp != mk {
        return Err(Error::LengthMismatch);
    }
    Ok(())
}
