//! Hessians from function values alone.
//!
//! **Plain scheme**, `O(h²)`, `N² + N + 1` evaluations, symmetric by construction
//! (Abramowitz & Stegun, *Handbook of Mathematical Functions*, 25.3.23 and 25.3.27, with
//! per-coordinate steps). With `sᵢ = f(x + hᵢeᵢ) + f(x − hᵢeᵢ)`:
//!
//! ```text
//! Hᵢᵢ = (sᵢ − 2f(x)) / hᵢ²
//! Hᵢⱼ = (f(x + hᵢeᵢ + hⱼeⱼ) + f(x − hᵢeᵢ − hⱼeⱼ) + 2f(x) − sᵢ − sⱼ) / (2hᵢhⱼ)
//! ```
//!
//! Taylor expansion shows every odd-order term cancels, so the error is `O(h²)`; rounding adds
//! `O(ε/h²)`, balanced at `hᵢ = (48ε)^{1/4}·max(|xᵢ|, 1)` ([`hessian_step`]). numdifftools' fixed-step central scheme
//! uses `2N² + 1` evaluations for the same order.
//!
//! **Richardson variant**: the plain scheme at `h` and `h/2` combined as `(4H(h/2) − H(h))/3`,
//! which cancels the `h²` term (`O(h⁴)`), `2N² + 2N + 1` evaluations (`f(x)` shared), with
//! `hᵢ = (16320ε)^{1/6}·max(|xᵢ|, 1)` ([`richardson_hessian_step`]).

use super::sliced;
use super::step::representable;
use crate::error::{check_finite, Error};
use crate::linalg::{at, copy, put};
use crate::Real;

/// Step for the plain Hessian scheme: `(48ε)^{1/4}·max(|x|, 1)`, made representable: the
/// minimum of the diagonal's bound `h²|f''''|/12 + 4ε|f|/h²` when `|f''''| ≈ |f|` on the scale
/// `max(|x|, 1)` (the assumptions and table of [`central_step`](super::central_step)'s module).
#[inline]
pub fn hessian_step<T: Real>(x: T) -> T {
    representable(
        x,
        (T::from_f64(48.0) * T::EPSILON_R).sqrt().sqrt() * x.abs().max(T::ONE),
    )
}

/// Step for the Richardson Hessian (the larger of its two steps): `(16320ε)^{1/6}·max(|x|, 1)`:
/// the minimum of `h⁴|f⁽⁶⁾|/1440 + (68/3)·ε|f|/h²`, the truncation and rounding of
/// `(4H(h/2) − H(h))/3` on the diagonal, when `|f⁽⁶⁾| ≈ |f|`.
#[inline]
pub fn richardson_hessian_step<T: Real>(x: T) -> T {
    representable(
        x,
        (T::from_f64(16320.0) * T::EPSILON_R).cbrt().sqrt() * x.abs().max(T::ONE),
    )
}

/// Evaluates `f` at `x + a·eᵢ + b·eⱼ` (j may equal usize::MAX for none) and restores `x`.
fn eval2<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    i: usize,
    a: T,
    j: usize,
    b: T,
) -> T {
    let (xi, xj) = (at(x, i), at(x, j));
    put(x, i, xi + a);
    put(x, j, xj + b);
    let v = f(x);
    put(x, j, xj);
    put(x, i, xi);
    v
}

/// `a + b` for two loss values: [`Error::NonFiniteLoss`] if either is NaN/Inf,
/// [`Error::NonFiniteGradient`] if the finite values overflow when added.
fn sum2<T: Real>(a: T, b: T) -> Result<T, Error> {
    if !(a.is_finite() && b.is_finite()) {
        return Err(Error::NonFiniteLoss);
    }
    derived(a + b)
}

/// A value derived from finite losses: [`Error::NonFiniteGradient`] unless finite.
fn derived<T: Real>(v: T) -> Result<T, Error> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::NonFiniteGradient)
    }
}

/// The plain scheme with steps `h[i]` (scaled by `scale`), writing the `n×n` row-major
/// Hessian to `out`; `f0 = f(x)`. Returns evaluations used (excluding `f0`).
fn plain_with<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    f0: T,
    steps: &dyn Fn(T) -> T,
    scale: T,
    out: &mut [T],
) -> Result<usize, Error> {
    let n = x.len();
    let none = usize::MAX;
    // Pass 1: sᵢ = f(x + hᵢeᵢ) + f(x − hᵢeᵢ), parked on the diagonal.
    for i in 0..n {
        let h = steps(at(x, i)) * scale;
        let s = sum2(
            eval2(f, x, i, h, none, T::ZERO),
            eval2(f, x, i, -h, none, T::ZERO),
        )?;
        put(out, i * n + i, s);
    }
    // Pass 2: off-diagonal pairs.
    for i in 0..n {
        let hi = steps(at(x, i)) * scale;
        for j in (i + 1)..n {
            let hj = steps(at(x, j)) * scale;
            let pp = eval2(f, x, i, hi, j, hj);
            let mm = eval2(f, x, i, -hi, j, -hj);
            let num = sum2(pp, mm)? + T::TWO * f0 - at(out, i * n + i) - at(out, j * n + j);
            let hij = derived(num / (T::TWO * hi * hj))?;
            put(out, i * n + j, hij);
            put(out, j * n + i, hij);
        }
    }
    // Pass 3: diagonal.
    for i in 0..n {
        let h = steps(at(x, i)) * scale;
        let hii = derived((at(out, i * n + i) - T::TWO * f0) / (h * h))?;
        put(out, i * n + i, hii);
    }
    Ok(2 * n + n * n.saturating_sub(1))
}

/// Hessian of `f` at `x` from function values, `O(h²)`, `N² + N + 1` evaluations, into the
/// `n×n` row-major `out`. Returns the evaluations used.
///
/// `x` is perturbed and restored bit-exactly. Entry checks (sizes, NaN/Inf in `x`) write
/// nothing. A non-finite `f` gives [`Error::NonFiniteLoss`]; finite values whose differences
/// overflow (a loss near the type's maximum) give [`Error::NonFiniteGradient`]: an `Ok` Hessian
/// is always finite. After either error `out` holds intermediate sums, every one finite but
/// none meaningful (the kernel works in place in `out`, so it cannot keep the old contents):
/// discard it. The typed [`hessian_n`] and the C entry point leave their output untouched.
///
/// ```
/// // f = x² y + y³: H = [[2y, 2x], [2x, 6y]].
/// let mut x = [1.0f64, 2.0];
/// let mut h = [0.0; 4];
/// let evals = lossmap::diff::hessian(&mut |v: &[f64]| v[0] * v[0] * v[1] + v[1].powi(3), &mut x, &mut h).unwrap();
/// assert_eq!(evals, 2 * 2 + 2 + 1);
/// for (got, want) in h.iter().zip([4.0, 2.0, 2.0, 12.0]) {
///     assert!((got - want).abs() < 1e-6);
/// }
/// ```
pub fn hessian<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    out: &mut [T],
) -> Result<usize, Error> {
    let n = check(x, out)?;
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let _ = n;
    Ok(1 + plain_with(f, x, f0, &hessian_step, T::ONE, out)?)
}

/// Richardson-extrapolated Hessian from function values, `O(h⁴)`, `2N² + 2N + 1` evaluations.
/// `work` (`n×n`) is scratch. Same contract as [`hessian`] (after an error `out` and `work` hold
/// finite intermediate values).
///
/// ```
/// let mut x = [0.5f64, 0.7];
/// let (mut h, mut w) = ([0.0; 4], [0.0; 4]);
/// let f = |v: &[f64]| v[0].exp() * v[1].sin();
/// lossmap::diff::hessian_richardson(&mut { f }, &mut x, &mut h, &mut w).unwrap();
/// let (e, s, c) = (0.5f64.exp(), 0.7f64.sin(), 0.7f64.cos());
/// for (got, want) in h.iter().zip([e * s, e * c, e * c, -e * s]) {
///     assert!((got - want).abs() < 1e-9);
/// }
/// ```
pub fn hessian_richardson<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    out: &mut [T],
    work: &mut [T],
) -> Result<usize, Error> {
    let n = check(x, out)?;
    if work.len() != out.len() {
        return Err(Error::LengthMismatch);
    }
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let e1 = plain_with(f, x, f0, &richardson_hessian_step, T::ONE, work)?;
    let e2 = plain_with(f, x, f0, &richardson_hessian_step, T::HALF, out)?;
    let three = T::from_f64(3.0);
    let four = T::from_f64(4.0);
    for k in 0..n * n {
        let v = derived((four * at(out, k) - at(work, k)) / three)?;
        put(out, k, v);
    }
    Ok(1 + e1 + e2)
}

/// Validates `x` (non-empty, finite) and `out` (`n×n`); returns `n`.
fn check<T: Real>(x: &[T], out: &[T]) -> Result<usize, Error> {
    let n = x.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    if n.checked_mul(n) != Some(out.len()) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    Ok(n)
}

/// Typed plain-scheme Hessian: `out` written only on success. Returns evaluations used.
///
/// ```
/// let mut h = [[0.0f64; 2]; 2];
/// lossmap::diff::hessian_n(|x: &[f64; 2]| x[0] * x[1], &[3.0, 4.0], &mut h).unwrap();
/// assert!((h[0][1] - 1.0).abs() < 1e-7 && h[0][0].abs() < 1e-7);
/// ```
pub fn hessian_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    mut f: F,
    x: &[T; N],
    out: &mut [[T; N]; N],
) -> Result<usize, Error> {
    let mut xw = *x;
    let mut work = [[T::ZERO; N]; N];
    hessian_apart(
        &mut sliced(&mut f),
        &mut xw,
        work.as_flattened_mut(),
        out.as_flattened_mut(),
    )
}

/// The plain scheme computed in the scratch `work` and copied to `out` (both `n×n`) only on
/// success: the kernel of [`hessian_n`]. `x` is perturbed and
/// restored bit-exactly; `work` holds intermediate values after an error.
pub(crate) fn hessian_apart<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    work: &mut [T],
    out: &mut [T],
) -> Result<usize, Error> {
    check(x, out)?;
    if work.len() != out.len() {
        return Err(Error::LengthMismatch);
    }
    let evals = hessian(f, x, work)?;
    copy(out, work);
    Ok(evals)
}

/// Typed Richardson Hessian: `out` written only on success. Returns evaluations used.
pub fn hessian_richardson_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    mut f: F,
    x: &[T; N],
    out: &mut [[T; N]; N],
) -> Result<usize, Error> {
    let mut xw = *x;
    let mut h = [[T::ZERO; N]; N];
    let mut w = [[T::ZERO; N]; N];
    let evals = hessian_richardson(
        &mut sliced(&mut f),
        &mut xw,
        h.as_flattened_mut(),
        w.as_flattened_mut(),
    )?;
    copy(out.as_flattened_mut(), h.as_flattened());
    Ok(evals)
}

/// Richardson estimate of the truncation error of the plain scheme's Hessian `hessian` (`n×n`,
/// taken at the [`hessian_step`]s): the plain scheme once more at twice the steps, entry by
/// entry, and `‖H(h) − H(2h)‖_F / 3`. For an `O(h²)` formula `H(h) = H + Ch² + O(h⁴)`, so
/// `H(h) − H(2h) = −3Ch² + O(h⁴)` and a third of it is the truncation of `H(h)` (Richardson's
/// error estimate: Press et al., *Numerical Recipes*, 3rd ed., §5.7, and de Boor's remark that
/// the difference of two orders estimates the error of the lower one). The rounding of both
/// Hessians enters the difference too, which only enlarges the bound.
///
/// `f0 = f(x)`; `sums` (`n`) is scratch; `x` is perturbed and restored bit-exactly. No second
/// matrix is stored: the entries of `H(2h)` are compared as they are made. Returns the bound
/// and the evaluations used (`n² + n`). A non-finite loss is [`Error::NonFiniteLoss`], a
/// difference that overflows [`Error::NonFiniteGradient`]; sizes are the caller's to check
/// (`x`: `n`, `hessian`: `n×n`, `sums`: at least `n`), a mismatch is [`Error::LengthMismatch`].
pub(crate) fn plain_truncation<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    f0: T,
    hessian: &[T],
    sums: &mut [T],
) -> Result<(T, usize), Error> {
    let n = x.len();
    if n.checked_mul(n) != Some(hessian.len()) || sums.len() < n {
        return Err(Error::LengthMismatch);
    }
    let none = usize::MAX;
    let step = |v: T| representable(v, T::TWO * hessian_step(v));
    // Scaled sum of squares (the LAPACK `nrm2` update): `scale²·ssq = Σ e²` without overflow.
    let (mut scale, mut ssq) = (T::ZERO, T::ONE);
    let mut add = |e: T, weight: T| {
        let a = e.abs();
        if a > T::ZERO {
            if scale < a {
                let r = scale / a;
                ssq = weight + ssq * r * r;
                scale = a;
            } else {
                let r = a / scale;
                ssq += weight * r * r;
            }
        }
    };
    for i in 0..n {
        let h = step(at(x, i));
        let s = sum2(
            eval2(f, x, i, h, none, T::ZERO),
            eval2(f, x, i, -h, none, T::ZERO),
        )?;
        put(sums, i, s);
        let hii = derived((s - T::TWO * f0) / (h * h))?;
        add(derived(at(hessian, i * n + i) - hii)?, T::ONE);
    }
    for i in 0..n {
        let hi = step(at(x, i));
        for j in (i + 1)..n {
            let hj = step(at(x, j));
            let pp = eval2(f, x, i, hi, j, hj);
            let mm = eval2(f, x, i, -hi, j, -hj);
            let num = sum2(pp, mm)? + T::TWO * f0 - at(sums, i) - at(sums, j);
            let hij = derived(num / (T::TWO * hi * hj))?;
            // (i, j) and (j, i): the matrix is symmetric.
            add(derived(at(hessian, i * n + j) - hij)?, T::TWO);
        }
    }
    let norm = derived(scale * ssq.sqrt() / T::from_f64(3.0))?;
    Ok((norm, 2 * n + n * n.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `x⁴ + y⁴ + xy` at 0: the plain scheme's truncation is `2h²` on each diagonal entry
    /// (`((h)⁴ + (−h)⁴)/h²`) and 0 off the diagonal, which the estimate recovers exactly
    /// (up to rounding): `‖E‖_F = 2√(h₀⁴ + h₁⁴)`.
    #[test]
    fn truncation_estimate_of_a_quartic_is_its_truncation() {
        let mut f = |v: &[f64]| v[0].powi(4) + v[1].powi(4) + v[0] * v[1];
        let mut x = [0.0f64, 0.0];
        let (mut h, mut sums) = ([0.0; 4], [0.0; 2]);
        hessian(&mut f, &mut x, &mut h).unwrap();
        let (e, evals) = plain_truncation(&mut f, &mut x, 0.0, &h, &mut sums).unwrap();
        let s = hessian_step(0.0f64);
        let want = 2.0 * (2.0 * s.powi(4)).sqrt();
        assert!((e - want).abs() <= 1e-6 * want, "{e} vs {want}");
        assert_eq!(evals, 6);
        assert_eq!(x, [0.0, 0.0]);
    }

    /// A quadratic has no truncation: the estimate is rounding alone, far below the rounding
    /// bound `8ε|f|Σh⁻²` of the classification.
    #[test]
    fn truncation_estimate_of_a_quadratic_is_rounding() {
        let mut f = |v: &[f64]| 3.0 + 2.0 * v[0] * v[0] - v[0] * v[1] + 0.5 * v[1] * v[1];
        let mut x = [0.3f64, -0.2];
        let (mut h, mut sums) = ([0.0; 4], [0.0; 2]);
        hessian(&mut f, &mut x, &mut h).unwrap();
        let f0 = f(&x);
        let (e, _) = plain_truncation(&mut f, &mut x, f0, &h, &mut sums).unwrap();
        let bound = 8.0 * f64::EPSILON * f0 * 2.0 / hessian_step(1.0f64).powi(2);
        assert!(e < bound, "{e} vs {bound}");
    }

    #[test]
    fn truncation_estimate_reports_a_loss_outside_its_domain() {
        // ln is finite at the plain step below 0 but not at twice it.
        let mut f = |v: &[f64]| (v[0] + 1.5 * hessian_step(0.0f64)).ln();
        let mut x = [0.0f64];
        let (mut h, mut sums) = ([0.0; 1], [0.0; 1]);
        hessian(&mut f, &mut x, &mut h).unwrap();
        let f0 = f(&x);
        assert_eq!(
            plain_truncation(&mut f, &mut x, f0, &h, &mut sums),
            Err(Error::NonFiniteLoss)
        );
        assert_eq!(x, [0.0]);
        assert_eq!(
            plain_truncation(&mut f, &mut x, f0, &h, &mut [0.0; 0]),
            Err(Error::LengthMismatch)
        );
    }
}
