//! Gradients from function values (Nocedal & Wright §8.1; Richardson: Numerical Recipes §5.7):
//!
//! * forward: `gᵢ ≈ (f(x + hᵢeᵢ) − f(x)) / hᵢ`, `N + 1` evaluations, error `O(h)`,
//!   `h = ε^{1/2}·max(|xᵢ|, 1)`;
//! * central: `gᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ`, `2N` evaluations, error `O(h²)`,
//!   `h = ½ε^{1/3}·max(|xᵢ|, 1)`;
//! * Richardson: `(4·D(h/2) − D(h)) / 3` from two central differences, `4N` evaluations, error
//!   `O(h⁴)`, `h = (360ε)^{1/5}·max(|xᵢ|, 1)`; each step minimizes the sum of the
//!   formula's truncation and rounding bounds (the table in [`central_step`](super::central_step)'s module).

use super::step::{central_step, forward_step, richardson_step};
use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// Central-difference gradient of `f` at `x`, written to `grad`. Returns the evaluations used
/// (`2n`).
///
/// `x` is perturbed one coordinate at a time and restored bit-exactly before returning, on
/// success and on error. Entry checks (empty, length mismatch, NaN/Inf in `x`) write nothing.
/// If `f` returns NaN/Inf the call stops with [`Error::NonFiniteLoss`]; if every value is finite
/// but a difference quotient overflows (e.g. `3e38·sign(x − ½)` in f32 at ½) it stops with
/// [`Error::NonFiniteGradient`]. Coordinates are done in order and `grad[i]` is written only
/// once component `i` is known finite, so after such an error at coordinate `k`, `grad[..k]`
/// hold the finished (finite) components and `grad[k..]` are unchanged: never a NaN/Inf. Use
/// [`central_gradient_n`], or the C entry point, for an output untouched on every error.
///
/// ```
/// let mut x = [1.0f64, 2.0];
/// let mut g = [0.0; 2];
/// let evals = lossmap::diff::central_gradient(&mut |v: &[f64]| v[0] * v[0] + 3.0 * v[1], &mut x, &mut g).unwrap();
/// assert_eq!(evals, 4);
/// assert!((g[0] - 2.0).abs() < 1e-9 && (g[1] - 3.0).abs() < 1e-9);
/// ```
pub fn central_gradient<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    grad: &mut [T],
) -> Result<usize, Error> {
    check_len(grad.len(), x.len())?;
    check_finite(x)?;
    let n = x.len();
    for i in 0..n {
        let (xi, h) = match x.get(i) {
            Some(&xi) => (xi, central_step(xi)),
            None => return Err(Error::LengthMismatch),
        };
        let fp = eval_at(f, x, i, xi + h);
        let fm = eval_at(f, x, i, xi - h);
        if let Some(slot) = x.get_mut(i) {
            *slot = xi;
        }
        let gi = (fp - fm) / (T::TWO * h);
        if !fp.is_finite() || !fm.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        if !gi.is_finite() {
            return Err(Error::NonFiniteGradient);
        }
        if let Some(slot) = grad.get_mut(i) {
            *slot = gi;
        }
    }
    Ok(2 * n)
}

/// Forward-difference gradient of `f` at `x` into `grad`; `N + 1` evaluations. Same contract
/// as [`central_gradient`] (a non-finite `f(x)` fails before anything is written).
///
/// ```
/// let mut x = [1.0f64, 2.0];
/// let mut g = [0.0; 2];
/// let evals = lossmap::diff::forward_gradient(&mut |v: &[f64]| v[0] * v[0] + 3.0 * v[1], &mut x, &mut g).unwrap();
/// assert_eq!(evals, 3);
/// assert!((g[0] - 2.0).abs() < 1e-7 && (g[1] - 3.0).abs() < 1e-7);
/// ```
pub fn forward_gradient<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    grad: &mut [T],
) -> Result<usize, Error> {
    check_len(grad.len(), x.len())?;
    check_finite(x)?;
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    forward_gradient_at(f, x, f0, grad).map(|e| e + 1)
}

/// [`forward_gradient`] where the loss at `x` is already known: `f0 = f(x)`, as in a method
/// that evaluated the loss before asking for the gradient (scipy's `approx_fprime` reuses it
/// the same way). `N` evaluations; the same contract, and a non-finite `f0` is
/// [`Error::NonFiniteLoss`] before anything is evaluated or written.
///
/// ```
/// let mut x = [1.0f64, 2.0];
/// let mut g = [0.0; 2];
/// let mut f = |v: &[f64]| v[0] * v[0] + 3.0 * v[1];
/// let f0 = f(&x);
/// assert_eq!(lossmap::diff::forward_gradient_at(&mut f, &mut x, f0, &mut g), Ok(2));
/// assert!((g[0] - 2.0).abs() < 1e-7 && (g[1] - 3.0).abs() < 1e-7);
/// ```
pub fn forward_gradient_at<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    f0: T,
    grad: &mut [T],
) -> Result<usize, Error> {
    check_len(grad.len(), x.len())?;
    check_finite(x)?;
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    for i in 0..x.len() {
        let xi = crate::linalg::at(x, i);
        let h = forward_step(xi);
        let fp = eval_at(f, x, i, xi + h);
        crate::linalg::put(x, i, xi);
        if !fp.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        let gi = (fp - f0) / h;
        if !gi.is_finite() {
            return Err(Error::NonFiniteGradient);
        }
        crate::linalg::put(grad, i, gi);
    }
    Ok(x.len())
}

/// Richardson-extrapolated central-difference gradient, `O(h⁴)`, `4N` evaluations. Same
/// contract as [`central_gradient`].
///
/// ```
/// let mut x = [0.5f64];
/// let mut g = [0.0];
/// lossmap::diff::richardson_gradient(&mut |v: &[f64]| v[0].exp(), &mut x, &mut g).unwrap();
/// assert!((g[0] - 0.5f64.exp()).abs() < 1e-12);
/// ```
pub fn richardson_gradient<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    grad: &mut [T],
) -> Result<usize, Error> {
    check_len(grad.len(), x.len())?;
    check_finite(x)?;
    let (three, four) = (T::from_f64(3.0), T::from_f64(4.0));
    for i in 0..x.len() {
        let xi = crate::linalg::at(x, i);
        let h = richardson_step(xi);
        let (f1, f2) = (eval_at(f, x, i, xi + h), eval_at(f, x, i, xi - h));
        let (f3, f4) = (
            eval_at(f, x, i, xi + h * T::HALF),
            eval_at(f, x, i, xi - h * T::HALF),
        );
        crate::linalg::put(x, i, xi);
        if !(f1.is_finite() && f2.is_finite() && f3.is_finite() && f4.is_finite()) {
            return Err(Error::NonFiniteLoss);
        }
        let d_h = (f1 - f2) / (T::TWO * h);
        let d_half = (f3 - f4) / h;
        let gi = (four * d_half - d_h) / three;
        if !gi.is_finite() {
            return Err(Error::NonFiniteGradient);
        }
        crate::linalg::put(grad, i, gi);
    }
    Ok(4 * x.len())
}

/// Evaluates `f` with `x[i] = v` (the caller restores `x[i]`).
#[inline]
fn eval_at<T: Real, F: FnMut(&[T]) -> T + ?Sized>(f: &mut F, x: &mut [T], i: usize, v: T) -> T {
    if let Some(slot) = x.get_mut(i) {
        *slot = v;
    }
    f(x)
}

/// A slice gradient kernel (central, forward or Richardson) over a type-erased objective.
pub(crate) type GradientKernel<T> =
    fn(&mut dyn FnMut(&[T]) -> T, &mut [T], &mut [T]) -> Result<usize, Error>;

/// Runs a slice gradient kernel on a copy of `x`; `grad` is written only on success.
fn typed<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    kernel: GradientKernel<T>,
    mut f: F,
    x: &[T; N],
    grad: &mut [T; N],
) -> Result<usize, Error> {
    let mut xw = *x;
    let mut g = [T::ZERO; N];
    let evals = kernel(&mut super::sliced(&mut f), &mut xw, &mut g)?;
    *grad = g;
    Ok(evals)
}

/// Typed forward-difference gradient (`N + 1` evaluations); `grad` written only on success.
///
/// ```
/// let mut g = [0.0f32; 1];
/// lossmap::diff::forward_gradient_n(|x: &[f32; 1]| 3.0 * x[0], &[1.0], &mut g).unwrap();
/// assert!((g[0] - 3.0).abs() < 1e-3);
/// ```
pub fn forward_gradient_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    f: F,
    x: &[T; N],
    grad: &mut [T; N],
) -> Result<usize, Error> {
    typed(|f, x, g| forward_gradient(f, x, g), f, x, grad)
}

/// Typed Richardson gradient (`4N` evaluations); `grad` written only on success.
///
/// ```
/// let mut g = [0.0f64; 2];
/// lossmap::diff::richardson_gradient_n(|x: &[f64; 2]| x[0].sin() * x[1], &[0.3, 2.0], &mut g).unwrap();
/// assert!((g[0] - 2.0 * 0.3f64.cos()).abs() < 1e-11 && (g[1] - 0.3f64.sin()).abs() < 1e-11);
/// ```
pub fn richardson_gradient_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    f: F,
    x: &[T; N],
    grad: &mut [T; N],
) -> Result<usize, Error> {
    typed(|f, x, g| richardson_gradient(f, x, g), f, x, grad)
}

/// Typed central-difference gradient: `grad` is written only on success. Returns the
/// evaluations used (`2N`).
///
/// ```
/// let f = |x: &[f64; 2]| x[0].sin() * x[1];
/// let mut g = [0.0; 2];
/// lossmap::diff::central_gradient_n(f, &[0.0, 2.0], &mut g).unwrap();
/// assert!((g[0] - 2.0).abs() < 1e-9 && g[1].abs() < 1e-9);
/// ```
pub fn central_gradient_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    f: F,
    x: &[T; N],
    grad: &mut [T; N],
) -> Result<usize, Error> {
    typed(|f, x, g| central_gradient(f, x, g), f, x, grad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_input_and_keeps_outputs() {
        let mut g = [5.0f64; 2];
        let f = |x: &[f64; 2]| x[0] + x[1];
        assert_eq!(
            central_gradient_n(f, &[f64::NAN, 0.0], &mut g),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(
            central_gradient_n(|_: &[f64; 2]| f64::NAN, &[0.0, 0.0], &mut g),
            Err(Error::NonFiniteLoss)
        );
        assert_eq!(g, [5.0; 2]);
        let mut x: [f64; 0] = [];
        assert_eq!(
            central_gradient(&mut |_: &[f64]| 0.0, &mut x, &mut []),
            Err(Error::Empty)
        );
        let mut x = [1.0f64, 2.0];
        let mut short = [0.0f64; 1];
        assert_eq!(
            central_gradient(&mut |_: &[f64]| 0.0, &mut x, &mut short),
            Err(Error::LengthMismatch)
        );
    }

    #[test]
    fn point_is_restored_bit_exactly() {
        let mut x = [0.1f64, 37.5, -3.7e-5];
        let before = x;
        let mut g = [0.0; 3];
        central_gradient(
            &mut |v: &[f64]| v.iter().map(|a| a * a).sum(),
            &mut x,
            &mut g,
        )
        .unwrap();
        assert_eq!(x.map(f64::to_bits), before.map(f64::to_bits));
        // d/dx Σ x² = 2x. The error bound is the rounding term ε·|f|/h ≈ 2.2e-16·1406/6e-6
        // ≈ 5e-8 (the O(h²) term vanishes for a quadratic); allow 1e-9 relative to max|g| = 75.
        for (gi, xi) in g.iter().zip(before) {
            assert!((gi - 2.0 * xi).abs() <= 1e-9 * 75.0, "{gi} vs {}", 2.0 * xi);
        }
    }
}
