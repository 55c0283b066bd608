//! The local quadratic model `m(p) = f + gᵀp + ½pᵀHp` and its fidelity ratio
//! `ρ = (f(x) − f(x + p)) / (m(0) − m(p))`, actual over predicted decrease: the trust-region
//! test of Nocedal & Wright §4.1 (eq. 4.4), a check of how far the quadratic picture
//! of a landscape can be trusted. `ρ ≈ 1`: the model is faithful; `ρ ≪ 1` or negative: it is not.

use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, dot};
use crate::{Objective, Real};

/// `m(p) − f = gᵀp + ½pᵀHp` for the `n×n` row-major `h`: the change the model predicts.
///
/// [`Error::NonFiniteInput`] for NaN/Inf in `g`, `h` or `p`, and for finite inputs whose model
/// value overflows (e.g. `p = 1e38` in f32): a pure function of its inputs, so the error names
/// them. An `Ok` value is always finite.
///
/// ```
/// // g = (1, 0), H = diag(2, 4), p = (1, 1): 1 + ½(2 + 4) = 4.
/// assert_eq!(lossmap::diff::model_value(&[1.0f64, 0.0], &[2.0, 0.0, 0.0, 4.0], &[1.0, 1.0]), Ok(4.0));
/// ```
pub fn model_value<T: Real>(g: &[T], h: &[T], p: &[T]) -> Result<T, Error> {
    let n = g.len();
    check_len(p.len(), n)?;
    if n.checked_mul(n) != Some(h.len()) {
        return Err(Error::LengthMismatch);
    }
    check_finite(g)?;
    check_finite(h)?;
    check_finite(p)?;
    let mut quad = T::ZERO;
    for i in 0..n {
        let mut row = T::ZERO;
        for j in 0..n {
            row += at(h, i * n + j) * at(p, j);
        }
        quad += at(p, i) * row;
    }
    let m = dot(g, p)? + T::HALF * quad;
    if m.is_finite() {
        Ok(m)
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// `ρ = (f0 − f_new) / −(gᵀp + ½pᵀHp)`. [`Error::InvalidParameter`] when the model predicts no
/// decrease at all (`m(p) = m(0)`), [`Error::NonFiniteInput`] for NaN/Inf values.
///
/// ```
/// // f = x² + 2x is its own quadratic model: at x = 0, g = 2, H = 2, and the step p = −0.5
/// // predicts −1 + ¼ = −0.75, exactly f(−0.5) − f(0): ρ = 1.
/// let (g, h, p) = ([2.0f64], [2.0], [-0.5]);
/// assert_eq!(lossmap::diff::fidelity_ratio(0.0, -0.75, &g, &h, &p), Ok(1.0));
/// ```
pub fn fidelity_ratio<T: Real>(f0: T, f_new: T, g: &[T], h: &[T], p: &[T]) -> Result<T, Error> {
    if !f0.is_finite() || !f_new.is_finite() {
        return Err(Error::NonFiniteInput);
    }
    let predicted = -model_value(g, h, p)?;
    if predicted == T::ZERO {
        return Err(Error::InvalidParameter);
    }
    let rho = (f0 - f_new) / predicted;
    if rho.is_finite() {
        Ok(rho)
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// The quadratic model of an objective at a point, built from its value, gradient and Hessian.
///
/// ```
/// use lossmap::diff::QuadraticModel;
/// use lossmap::testfn::Rosenbrock;
/// let mut m = QuadraticModel::at(&mut Rosenbrock, &[0.0f64, 0.0]).unwrap();
/// // A short step is modelled faithfully, a long one is not.
/// let near = m.fidelity(&mut Rosenbrock, &[1e-3, 0.0]).unwrap();
/// let far = m.fidelity(&mut Rosenbrock, &[0.5, 0.0]).unwrap();
/// assert!((near - 1.0).abs() < 1e-2 && far < 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadraticModel<T, const N: usize> {
    /// Centre of the model.
    pub x: [T; N],
    /// `f(x)`.
    pub f: T,
    /// `∇f(x)`.
    pub g: [T; N],
    /// `∇²f(x)`.
    pub h: [[T; N]; N],
}

impl<T: Real, const N: usize> QuadraticModel<T, N> {
    /// Builds the model of `obj` at `x` with its `gradient` and `hessian` methods.
    pub fn at<O: Objective<T, N> + ?Sized>(obj: &mut O, x: &[T; N]) -> Result<Self, Error> {
        check_finite(x)?;
        let f = obj.value(x);
        if !f.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        let mut g = [T::ZERO; N];
        let mut h = [[T::ZERO; N]; N];
        obj.gradient(x, &mut g)?;
        obj.hessian(x, &mut h)?;
        Ok(QuadraticModel { x: *x, f, g, h })
    }

    /// `m(p) = f + gᵀp + ½pᵀHp`.
    pub fn predict(&self, p: &[T; N]) -> Result<T, Error> {
        Ok(self.f + model_value(&self.g, self.h.as_flattened(), p)?)
    }

    /// Fidelity ratio of the step `p`, evaluating `obj` at `x + p` (one evaluation).
    pub fn fidelity<O: Objective<T, N> + ?Sized>(
        &self,
        obj: &mut O,
        p: &[T; N],
    ) -> Result<T, Error> {
        let mut xp = self.x;
        for (a, &b) in xp.iter_mut().zip(p) {
            *a += b;
        }
        fidelity_ratio(self.f, obj.value(&xp), &self.g, self.h.as_flattened(), p)
    }
}
