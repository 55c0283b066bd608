//! Regression losses of predictions `ŷ` against targets `y`, mean over the `m` samples, on the
//! residual `rᵢ = ŷᵢ − yᵢ`:
//!
//! ```text
//! MSE    L = (1/m) Σ rᵢ²                          ∂L/∂ŷᵢ = 2rᵢ/m
//! MAE    L = (1/m) Σ |rᵢ|                         ∂L/∂ŷᵢ = sign(rᵢ)/m   (0 at rᵢ = 0)
//! Huber  L = (1/m) Σ ½rᵢ²          if |rᵢ| ≤ δ    ∂L/∂ŷᵢ = rᵢ/m
//!                    δ(|rᵢ| − ½δ)  otherwise                 δ·sign(rᵢ)/m
//! ```
//!
//! Huber's loss is from P. J. Huber, "Robust estimation of a location parameter", *Ann. Math.
//! Statist.* 35(1), 1964, in the convention and mean reduction of `torch.nn.HuberLoss`
//! (`reduction='mean'`, `delta` > 0). MAE is not differentiable at a zero residual; the
//! subgradient 0 is used there (the element of the subdifferential `[−1, 1]/m` of least norm,
//! and what `torch.sign` gives).

use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// A regression loss: mean squared error, mean absolute error, or Huber with threshold δ.
///
/// ```
/// use lossmap::loss::Regression;
/// // Residuals (1, −2, 2): MSE = (1 + 4 + 4)/3 = 3, MAE = (1 + 2 + 2)/3 = 5/3.
/// let (pred, target) = ([1.0f64, -2.0, 2.0], [0.0, 0.0, 0.0]);
/// assert_eq!(Regression::Mse.value(&pred, &target), Ok(3.0));
/// assert!((Regression::Mae.value(&pred, &target).unwrap() - 5.0 / 3.0).abs() < 1e-15);
/// // Huber, δ = 1, on the single residual 3: δ(|r| − δ/2) = 2.5; gradient δ·sign(r) = 1.
/// let huber = Regression::huber(1.0).unwrap();
/// let mut g = [0.0];
/// assert_eq!(huber.value_grad(&[3.0], &[0.0], &mut g), Ok(2.5));
/// assert_eq!(g, [1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Regression<T> {
    /// Mean squared error `(1/m) Σ rᵢ²`.
    Mse,
    /// Mean absolute error `(1/m) Σ |rᵢ|` (subgradient 0 at a zero residual).
    Mae,
    /// Huber loss with threshold `delta` > 0 (torch.nn.HuberLoss convention, mean reduction).
    Huber {
        /// Threshold δ > 0 between the quadratic and the linear part.
        delta: T,
    },
}

impl<T: Real> Regression<T> {
    /// Huber loss with threshold `delta`; [`Error::InvalidParameter`] unless `delta` is finite
    /// and > 0.
    pub fn huber(delta: T) -> Result<Self, Error> {
        let h = Regression::Huber { delta };
        h.validate()?;
        Ok(h)
    }

    /// [`Error::InvalidParameter`] for a Huber δ that is not finite and > 0.
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            Regression::Huber { delta } if !(delta.is_finite() && delta > T::ZERO) => {
                Err(Error::InvalidParameter)
            }
            _ => Ok(()),
        }
    }

    /// The loss of one residual `r = ŷ − y` and its derivative with respect to `r`
    /// (unreduced: not divided by `m`). No checks.
    #[inline]
    pub fn point(&self, r: T) -> (T, T) {
        match *self {
            Regression::Mse => (r * r, T::TWO * r),
            Regression::Mae => (r.abs(), sign0(r)),
            Regression::Huber { delta } => {
                if r.abs() <= delta {
                    (T::HALF * r * r, r)
                } else {
                    (delta * (r.abs() - T::HALF * delta), delta * sign0(r))
                }
            }
        }
    }

    /// The mean loss of `pred` against `target`.
    ///
    /// Errors: [`Error::Empty`] for no samples, [`Error::LengthMismatch`] unless the lengths
    /// agree, [`Error::NonFiniteInput`] for NaN/Inf in either, [`Error::InvalidParameter`] for
    /// a bad δ, [`Error::NonFiniteLoss`] if the sum overflows.
    pub fn value(&self, pred: &[T], target: &[T]) -> Result<T, Error> {
        self.check(pred, target)?;
        self.mean(pred, target)
    }

    /// The mean loss, with its gradient with respect to `pred` written to `grad` (same length).
    /// Every error of [`value`](Self::value), plus [`Error::LengthMismatch`] for `grad`; on
    /// error `grad` is unchanged.
    pub fn value_grad(&self, pred: &[T], target: &[T], grad: &mut [T]) -> Result<T, Error> {
        self.check(pred, target)?;
        check_len(grad.len(), pred.len())?;
        let value = self.mean(pred, target)?;
        let inv_m = T::ONE / T::from_usize(pred.len());
        for ((g, &p), &y) in grad.iter_mut().zip(pred).zip(target) {
            *g = self.point(p - y).1 * inv_m;
        }
        Ok(value)
    }

    fn check(&self, pred: &[T], target: &[T]) -> Result<(), Error> {
        check_len(target.len(), pred.len())?;
        self.validate()?;
        check_finite(pred)?;
        check_finite(target)
    }

    /// Mean over validated, non-empty slices; [`Error::NonFiniteLoss`] on overflow.
    fn mean(&self, pred: &[T], target: &[T]) -> Result<T, Error> {
        let sum = pred
            .iter()
            .zip(target)
            .fold(T::ZERO, |s, (&p, &y)| s + self.point(p - y).0);
        let v = sum / T::from_usize(pred.len());
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::NonFiniteLoss)
        }
    }
}

/// `sign(x)` with `sign(0) = 0` (the least-norm subgradient of `|x|`).
#[inline]
pub(crate) fn sign0<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else if x < T::ZERO {
        -T::ONE
    } else {
        T::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huber_is_continuous_at_delta() {
        let h = Regression::Huber { delta: 2.0f64 };
        // ½·2² = 2 = 2·(2 − 1).
        assert_eq!(h.point(2.0), (2.0, 2.0));
        let (v, g) = h.point(2.0 + 1e-12);
        assert!((v - 2.0).abs() < 1e-11 && g == 2.0);
    }

    #[test]
    fn bad_delta_is_rejected() {
        for d in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Regression::huber(d), Err(Error::InvalidParameter));
        }
        let mut g = [7.0];
        let h = Regression::Huber { delta: -1.0 };
        assert_eq!(
            h.value_grad(&[1.0], &[0.0], &mut g),
            Err(Error::InvalidParameter)
        );
        assert_eq!(g, [7.0]);
    }

    #[test]
    fn overflow_is_reported_not_written() {
        let mut g = [7.0f32];
        assert_eq!(
            Regression::Mse.value_grad(&[3e38], &[-3e38], &mut g),
            Err(Error::NonFiniteLoss)
        );
        assert_eq!(g, [7.0]);
    }
}
