//! Second derivatives from gradients: the Hessian by central differences of the gradient
//! (`2N` gradient calls, symmetrized as `(H + Hᵀ)/2`, Nocedal & Wright §8.1 eq. 8.20), and the
//! Hessian–vector product `Hv ≈ (∇f(x + hv) − ∇f(x − hv)) / 2h` (two gradient calls; Pearlmutter
//! 1994 discusses the exact alternative). Steps `½ε^{1/3}·max(|x|, 1)`, as for central gradients.

use super::adaptive::{along_scales, Evals};
use super::step::{central_step, representable};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, norm_inf, put};
use crate::{Objective, Real};

/// Hessian at `x` from central differences of `grad`, symmetrized, into the `n×n` row-major
/// `out`; `gp`, `gm` (length `n`) are scratch. `grad(point, g)` writes the gradient at `point`
/// (it may perturb and must restore `point`) and returns the value evaluations it used.
/// Returns both counts: the gradient calls (`2n`) and the value evaluations those calls
/// reported (their sum; 0 for an analytic gradient).
///
/// `x` is perturbed and restored bit-exactly. Entry checks write nothing; a failing or
/// non-finite gradient, or finite gradients whose difference quotient overflows, give
/// [`Error::NonFiniteGradient`]; `out` then holds finished columns (finite) and is otherwise
/// unchanged, never a NaN/Inf. An `Ok` Hessian is always finite.
///
/// ```
/// // ∇(x²y) = (2xy, x²): H = [[2y, 2x], [2x, 0]].
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 2.0 * p[0] * p[1]; g[1] = p[0] * p[0]; Ok(0) };
/// let (mut x, mut h, mut gp, mut gm) = ([1.0, 3.0], [0.0; 4], [0.0; 2], [0.0; 2]);
/// let ev = lossmap::diff::hessian_from_gradient(&mut grad, &mut x, &mut h, &mut gp, &mut gm).unwrap();
/// assert_eq!((ev.gradients, ev.values), (4, 0));
/// for (got, want) in h.iter().zip([6.0, 2.0, 2.0, 0.0]) { assert!((got - want).abs() < 1e-9); }
/// ```
pub fn hessian_from_gradient<T: Real, G>(
    grad: &mut G,
    x: &mut [T],
    out: &mut [T],
    gp: &mut [T],
    gm: &mut [T],
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = x.len();
    check_len(gp.len(), n)?;
    check_len(gm.len(), n)?;
    if n.checked_mul(n) != Some(out.len()) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    let mut values = 0usize;
    for j in 0..n {
        let xj = at(x, j);
        let h = central_step(xj);
        put(x, j, xj + h);
        let rp = grad(x, gp);
        put(x, j, xj - h);
        let rm = grad(x, gm);
        put(x, j, xj);
        let (vp, vm) = match (rp, rm) {
            (Ok(a), Ok(b)) => (a, b),
            _ => return Err(Error::NonFiniteGradient),
        };
        values = values.saturating_add(vp).saturating_add(vm);
        if check_finite(gp).is_err() || check_finite(gm).is_err() {
            return Err(Error::NonFiniteGradient);
        }
        for i in 0..n {
            let hij = (at(gp, i) - at(gm, i)) / (T::TWO * h);
            if !hij.is_finite() {
                return Err(Error::NonFiniteGradient);
            }
            put(out, i * n + j, hij);
        }
    }
    for i in 0..n {
        for j in (i + 1)..n {
            // Halves first: the mean of two finite values is finite.
            let s = T::HALF * at(out, i * n + j) + T::HALF * at(out, j * n + i);
            put(out, i * n + j, s);
            put(out, j * n + i, s);
        }
    }
    Ok(Evals {
        values,
        gradients: 2 * n,
    })
}

/// Hessian–vector product `H(x)·v` from two gradient calls into `out`; `point` and `gm`
/// (length `n`) are scratch. Returns the gradient calls used (2; 0 when `v = 0`, where the
/// product is exactly 0). The step along `v` is `½ε^{1/3}·minᵢ max(|xᵢ|, 1)/|vᵢ|` over the
/// components that move (`vᵢ ≠ 0`), made exact in the largest moving component: the scales of
/// [`hvp_adaptive`](super::hvp_adaptive), not `‖x‖∞` (which a large component that does not
/// drive the product would set).
///
/// Entry checks write nothing. A failing or non-finite gradient, or finite gradients whose
/// difference quotient overflows, give [`Error::NonFiniteGradient`]; `out` receives the first
/// gradient call's output, so after an error it holds whatever that call wrote. An `Ok`
/// product is always finite; [`hvp_n`] leaves its output untouched on error.
///
/// ```
/// // f = x² + 3xy: H = [[2, 3], [3, 0]], H·(1, 2) = (8, 3).
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 2.0 * p[0] + 3.0 * p[1]; g[1] = 3.0 * p[0]; Ok(0) };
/// let (mut out, mut pt, mut gm) = ([0.0; 2], [0.0; 2], [0.0; 2]);
/// lossmap::diff::hvp(&mut grad, &[0.5, -1.0], &[1.0, 2.0], &mut out, &mut pt, &mut gm).unwrap();
/// assert!((out[0] - 8.0).abs() < 1e-8 && (out[1] - 3.0).abs() < 1e-8);
/// ```
pub fn hvp<T: Real, G>(
    grad: &mut G,
    x: &[T],
    v: &[T],
    out: &mut [T],
    point: &mut [T],
    gm: &mut [T],
) -> Result<usize, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = x.len();
    check_len(v.len(), n)?;
    check_len(out.len(), n)?;
    check_len(point.len(), n)?;
    check_len(gm.len(), n)?;
    check_finite(x)?;
    check_finite(v)?;
    let vmax = norm_inf(v);
    if vmax == T::ZERO {
        out.iter_mut().for_each(|o| *o = T::ZERO);
        return Ok(0);
    }
    let (sd, _, big, dbig) = along_scales(x, v);
    let h = representable(big, T::HALF * T::EPSILON_R.cbrt() * sd * dbig) / dbig;
    for (sign, buf) in [(T::ONE, 0usize), (-T::ONE, 1)] {
        for ((p, &xi), &vi) in point.iter_mut().zip(x).zip(v) {
            *p = xi + sign * h * vi;
        }
        let target: &mut [T] = if buf == 0 { &mut *out } else { &mut *gm };
        if grad(point, target).is_err() || check_finite(target).is_err() {
            return Err(Error::NonFiniteGradient);
        }
    }
    // Both gradients are finite; refuse a difference that overflows before writing any of it.
    let two_h = T::TWO * h;
    if out
        .iter()
        .zip(gm.iter())
        .any(|(&o, &m)| !((o - m) / two_h).is_finite())
    {
        return Err(Error::NonFiniteGradient);
    }
    for (o, &m) in out.iter_mut().zip(gm.iter()) {
        *o = (*o - m) / two_h;
    }
    Ok(2)
}

/// Typed Hessian from the objective's gradient (`2N` gradient calls, symmetrized); `out`
/// written only on success. Returns both counts: an objective without an analytic gradient
/// differentiates its values centrally, so each gradient call also costs `2N` values.
///
/// ```
/// use lossmap::testfn::Rosenbrock;
/// let mut h = [[0.0f64; 2]; 2];
/// let ev = lossmap::diff::hessian_from_gradient_n(&mut Rosenbrock, &[1.0, 1.0], &mut h).unwrap();
/// assert_eq!((ev.gradients, ev.values), (4, 0)); // analytic gradient: no value evaluations
/// assert!((h[0][0] - 802.0).abs() < 1e-6 && (h[0][1] + 400.0).abs() < 1e-6 && (h[1][1] - 200.0).abs() < 1e-6);
/// let mut values = |x: &[f64; 2]| x[0] * x[0] * x[1];
/// let ev = lossmap::diff::hessian_from_gradient_n(&mut values, &[1.0, 1.0], &mut h).unwrap();
/// assert_eq!((ev.gradients, ev.values), (4, 16)); // each gradient: 2N central values
/// ```
pub fn hessian_from_gradient_n<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    out: &mut [[T; N]; N],
) -> Result<Evals, Error> {
    let (mut xw, mut h, mut gp, mut gm) = (*x, [[T::ZERO; N]; N], [T::ZERO; N], [T::ZERO; N]);
    let calls = hessian_from_gradient(
        &mut typed_grad(obj),
        &mut xw,
        h.as_flattened_mut(),
        &mut gp,
        &mut gm,
    )?;
    *out = h;
    Ok(calls)
}

/// Typed Hessian–vector product from the objective's gradient; `out` written only on success.
/// Returns both counts (2 gradient calls, and the value evaluations they used).
///
/// ```
/// use lossmap::testfn::Rosenbrock;
/// let mut hv = [0.0f64; 2];
/// lossmap::diff::hvp_n(&mut Rosenbrock, &[1.0, 1.0], &[1.0, 0.0], &mut hv).unwrap();
/// assert!((hv[0] - 802.0).abs() < 1e-5 && (hv[1] + 400.0).abs() < 1e-5);
/// ```
pub fn hvp_n<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    v: &[T; N],
    out: &mut [T; N],
) -> Result<Evals, Error> {
    let (mut o, mut pt, mut gm) = ([T::ZERO; N], [T::ZERO; N], [T::ZERO; N]);
    let mut values = 0usize;
    let mut counted = |p: &mut [T], g: &mut [T]| {
        let used = typed_grad(&mut *obj)(p, g)?;
        values = values.saturating_add(used);
        Ok(used)
    };
    let calls = hvp(&mut counted, x, v, &mut o, &mut pt, &mut gm)?;
    *out = o;
    Ok(Evals {
        values,
        gradients: calls,
    })
}

/// The objective's gradient seen through slices.
pub(crate) fn typed_grad<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
) -> impl FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + '_ {
    move |p: &mut [T], g: &mut [T]| {
        let a = <&[T; N]>::try_from(&*p).map_err(|_| Error::LengthMismatch)?;
        let ga = <&mut [T; N]>::try_from(g).map_err(|_| Error::LengthMismatch)?;
        obj.gradient(a, ga)
    }
}
