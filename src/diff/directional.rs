//! Directional derivatives of `φ(t) = f(x + t·d)` at `t = 0` from one five-point stencil
//! `t ∈ {−2h, −h, 0, h, 2h}` (Fornberg 1988, *Math. Comp.* 51, the central weights):
//!
//! ```text
//! φ'   = (−φ₂ + 8φ₁ − 8φ₋₁ + φ₋₂) / 12h          O(h⁴)
//! φ''  = (−φ₂ + 16φ₁ − 30φ₀ + 16φ₋₁ − φ₋₂) / 12h²  O(h⁴)
//! φ''' = (φ₂ − 2φ₁ + 2φ₋₁ − φ₋₂) / 2h³            O(h²)
//! ```
//!
//! Five evaluations in all. `h = ε^{1/5}·s_d` balances the third derivative's truncation and
//! rounding errors (both `O(ε^{2/5})`), with `s_d = minᵢ max(|xᵢ|, 1)/|dᵢ|` over the components
//! that move (`dᵢ ≠ 0`): the `t` at which the most finely resolved moving component changes by
//! its own scale, as in [`directional_adaptive`](super::directional_adaptive) (a scale
//! `‖x‖∞` would take a large component that does not drive `φ`, or does not move, as the scale
//! of `t`). The step is made exact in the largest moving component. Along an eigenvector of the Hessian, `φ''`
//! is the curvature and `φ'''` measures how fast it changes: the curvature stability of a
//! minimum.

use super::adaptive::along_scales;
use super::step::representable;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm_inf;
use crate::Real;

/// First, second and third derivatives of `f` along a direction.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Directional<T> {
    /// `dᵀ∇f(x)`.
    pub first: T,
    /// `dᵀH(x)d`.
    pub second: T,
    /// `D³f(x)[d, d, d]`.
    pub third: T,
    /// Function evaluations used (5).
    pub evals: usize,
}

/// Directional derivatives of `f` at `x` along `d` (not normalized: scale `d` to unit length
/// for curvatures per unit distance). `point` (length `n`) is scratch.
///
/// Errors: sizes, NaN/Inf in `x` or `d`, `d = 0` ([`Error::InvalidParameter`]), non-finite `f`
/// ([`Error::NonFiniteLoss`]), and finite values whose stencil overflows — a huge `d` makes the
/// step `h ∝ 1/|dᵢ|` so small that `h³` underflows — ([`Error::NonFiniteGradient`]): every
/// derivative of an `Ok` result is finite. Only `point` (scratch) is written.
///
/// ```
/// // f = x³ + xy along d = (1, 0) at (1, 2): φ' = 3x² + y = 5, φ'' = 6x = 6, φ''' = 6.
/// let mut p = [0.0; 2];
/// let r = lossmap::diff::directional(&mut |v: &[f64]| v[0].powi(3) + v[0] * v[1], &[1.0, 2.0], &[1.0, 0.0], &mut p).unwrap();
/// assert!((r.first - 5.0).abs() < 1e-9 && (r.second - 6.0).abs() < 1e-7 && (r.third - 6.0).abs() < 1e-4);
/// ```
pub fn directional<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &[T],
    d: &[T],
    point: &mut [T],
) -> Result<Directional<T>, Error> {
    let n = x.len();
    check_len(d.len(), n)?;
    check_len(point.len(), n)?;
    check_finite(x)?;
    check_finite(d)?;
    let dmax = norm_inf(d);
    if dmax == T::ZERO {
        return Err(Error::InvalidParameter);
    }
    let (sd, _, big, dbig) = along_scales(x, d);
    let h = representable(big, T::EPSILON_R.powf(T::from_f64(0.2)) * sd * dbig) / dbig;
    let mut phi = [T::ZERO; 5];
    for (k, slot) in phi.iter_mut().enumerate() {
        let t = T::from_f64(k as f64 - 2.0) * h;
        for ((p, &xi), &di) in point.iter_mut().zip(x).zip(d) {
            *p = xi + t * di;
        }
        *slot = f(point);
        if !slot.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
    }
    let [m2, m1, p0, p1, p2] = phi;
    let c = |v: f64| T::from_f64(v);
    let r = Directional {
        first: (-p2 + c(8.0) * p1 - c(8.0) * m1 + m2) / (c(12.0) * h),
        second: (-p2 + c(16.0) * p1 - c(30.0) * p0 + c(16.0) * m1 - m2) / (c(12.0) * h * h),
        third: (p2 - T::TWO * p1 + T::TWO * m1 - m2) / (T::TWO * h * h * h),
        evals: 5,
    };
    if r.first.is_finite() && r.second.is_finite() && r.third.is_finite() {
        Ok(r)
    } else {
        Err(Error::NonFiniteGradient)
    }
}

/// Typed directional derivatives.
///
/// ```
/// use lossmap::testfn::Rosenbrock;
/// use lossmap::Objective;
/// // Along (1, 0) at (1, 1): φ'' = ∂²f/∂x² = 802, φ''' = ∂³f/∂x³ = 2400x = 2400.
/// let r = lossmap::diff::directional_n(|x: &[f64; 2]| Rosenbrock.value(x), &[1.0, 1.0], &[1.0, 0.0]).unwrap();
/// assert!((r.second - 802.0).abs() < 1e-4 && (r.third - 2400.0).abs() < 1e-1);
/// ```
pub fn directional_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    mut f: F,
    x: &[T; N],
    d: &[T; N],
) -> Result<Directional<T>, Error> {
    let mut point = [T::ZERO; N];
    directional(&mut super::sliced(&mut f), x, d, &mut point)
}
