//! Diagonal-Hessian preconditioning for first-order methods.
//!
//! The choice: a preconditioned *gradient* `gᵢ ← gᵢ / max(|Hᵢᵢ|, δ)` handed to any
//! [`Optimizer`], as a slice function ([`precondition_diag`]) and as a wrapper optimizer
//! ([`DiagPrecond`]) that keeps the diagonal and rescales every gradient before the inner
//! step. The absolute value keeps the direction a descent direction where the curvature is
//! negative; `δ > 0` bounds the step where the curvature vanishes. The diagonal is refreshed
//! by the caller ([`DiagPrecond::refresh`] from the objective's Hessian, or any estimate
//! written to [`DiagPrecond::diag`]) as often as it likes: Hessians are expensive.

use crate::error::{check_finite, check_len, Error};
use crate::optim::Optimizer;
use crate::{Objective, Real};

/// `g[i] ← g[i] / max(|diag[i]|, delta)`. [`Error::InvalidParameter`] unless `delta` is
/// finite and > 0; NaN/Inf in `g` or `diag` and length mismatches are errors; nothing is
/// written on error.
///
/// ```
/// let mut g = [4.0f64, 4.0, 4.0];
/// lossmap::optim::precondition_diag(&mut g, &[2.0, -8.0, 0.0], 0.5).unwrap();
/// assert_eq!(g, [2.0, 0.5, 8.0]);
/// ```
pub fn precondition_diag<T: Real>(g: &mut [T], diag: &[T], delta: T) -> Result<(), Error> {
    check_len(diag.len(), g.len())?;
    if !(delta.is_finite() && delta > T::ZERO) {
        return Err(Error::InvalidParameter);
    }
    check_finite(g)?;
    check_finite(diag)?;
    g.iter_mut()
        .zip(diag)
        .for_each(|(gi, &d)| *gi /= d.abs().max(delta));
    Ok(())
}

/// A first-order optimizer whose gradients are divided elementwise by `max(|Hᵢᵢ|, δ)`.
///
/// ```
/// use lossmap::optim::{Adam, AdamConfig, DiagPrecond, Optimizer};
/// # struct Sgd(f64);
/// # impl Optimizer<f64> for Sgd {
/// #     fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), lossmap::Error> {
/// #         x.iter_mut().zip(g).for_each(|(a, b)| *a -= self.0 * b); Ok(()) }
/// #     fn reset(&mut self) {}
/// #     fn lr(&self) -> f64 { self.0 }
/// #     fn set_lr(&mut self, lr: f64) -> Result<(), lossmap::Error> { self.0 = lr; Ok(()) }
/// # }
/// // Badly scaled bowl f = x² + 100 y²: the preconditioned step with lr 1 is the exact Newton step.
/// let mut f = |x: &[f64; 2]| x[0] * x[0] + 100.0 * x[1] * x[1];
/// let mut opt = DiagPrecond::<f64, Sgd, 2>::new(Sgd(1.0), 1e-8).unwrap();
/// let mut x = [1.0, 1.0];
/// opt.refresh(&mut f, &x).unwrap();
/// opt.step(&mut x, &[2.0, 200.0]).unwrap();
/// assert!(x[0].abs() < 1e-6 && x[1].abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiagPrecond<T, P, const N: usize> {
    /// The wrapped optimizer.
    pub inner: P,
    /// The Hessian diagonal (or any positive curvature estimate); ones initially.
    pub diag: [T; N],
    /// Floor `δ > 0` on `|Hᵢᵢ|`.
    pub delta: T,
}

impl<T: Real, P: Optimizer<T>, const N: usize> DiagPrecond<T, P, N> {
    /// Wraps `inner` with a unit diagonal; [`Error::InvalidParameter`] unless `delta` is
    /// finite and > 0.
    pub fn new(inner: P, delta: T) -> Result<Self, Error> {
        if !(delta.is_finite() && delta > T::ZERO) {
            return Err(Error::InvalidParameter);
        }
        Ok(DiagPrecond {
            inner,
            diag: [T::ONE; N],
            delta,
        })
    }

    /// Sets the diagonal from `obj`'s Hessian at `x` (analytic or finite-difference); returns
    /// the value evaluations used. On error the diagonal is unchanged.
    pub fn refresh<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &[T; N],
    ) -> Result<usize, Error> {
        let mut h = [[T::ZERO; N]; N];
        let evals = obj.hessian(x, &mut h)?;
        let mut d = [T::ZERO; N];
        for (i, (di, row)) in d.iter_mut().zip(h.iter()).enumerate() {
            *di = row.get(i).copied().unwrap_or(T::ZERO);
        }
        check_finite(&d).map_err(|_| Error::NonFiniteGradient)?;
        self.diag = d;
        Ok(evals)
    }
}

impl<T: Real, P: Optimizer<T>, const N: usize> Optimizer<T> for DiagPrecond<T, P, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        let mut scaled = <[T; N]>::try_from(g).map_err(|_| Error::LengthMismatch)?;
        precondition_diag(&mut scaled, &self.diag, self.delta)?;
        self.inner.step(x, &scaled)
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn lr(&self) -> T {
        self.inner.lr()
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        self.inner.set_lr(lr)
    }
    fn validate(&self) -> Result<(), Error> {
        self.inner.validate()
    }
    fn set_momentum(&mut self, momentum: T) -> Result<(), Error> {
        self.inner.set_momentum(momentum)
    }
}
