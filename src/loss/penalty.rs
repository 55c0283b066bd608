//! Regularizers on the parameters `w`, as objectives with analytic gradients, and their
//! proximal steps:
//!
//! ```text
//! L2 (weight decay)  R = ½λ‖w‖²                    ∇R = λw
//! L1 (lasso)         R = λ‖w‖₁                     ∇R = λ·sign(w)   (0 at wⱼ = 0)
//! elastic net        R = λ(α‖w‖₁ + ½(1−α)‖w‖²)     ∇R = λ(α·sign(w) + (1−α)w)
//!
//! prox_{tR}(v) = argmin_w R(w) + ‖w − v‖²/(2t):
//! L2   v / (1 + tλ)
//! L1   sign(v)·max(|v| − tλ, 0)                    (soft threshold: exact zeros)
//! EN   sign(v)·max(|v| − tλα, 0) / (1 + tλ(1−α))
//! ```
//!
//! Sources: ridge, A. E. Hoerl & R. W. Kennard, "Ridge regression", *Technometrics* 12(1), 1970;
//! R. Tibshirani, "Regression shrinkage and selection via the lasso", *JRSS B* 58(1), 1996;
//! H. Zou & T. Hastie, "Regularization and variable selection via the elastic net", *JRSS B*
//! 67(2), 2005 (the `glmnet` parameterization with mixing α); the proximal operators from N.
//! Parikh & S. Boyd, *Proximal Algorithms*, 2014, §6.1.1 and §6.5.
//!
//! The L1 term is not differentiable at 0; its gradient there is the least-norm subgradient 0,
//! so gradient descent makes weights hover around 0 while the proximal step ([`Regularizer::prox`],
//! after a gradient step of size `t` on the data loss: ISTA) sets them exactly to 0.
//!
//! **Which coordinates.** By default every coordinate is penalized. Biases usually are not:
//! [`Regularizer::skip_bias`]`(s)` leaves out every coordinate `j` with `(j + 1) mod s = 0`,
//! i.e. the last of each block of `s`. For [`Linear`](super::Linear) use `s = d + 1` (the one
//! bias `b`), for [`SoftmaxLinear`](super::SoftmaxLinear) also `s = d + 1` (each `b_k`).

use super::regression::sign0;
use crate::error::{check_finite, check_len, Error};
use crate::{Objective, Real};

/// The kind of penalty and its strengths.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Penalty<T> {
    /// `½λ‖w‖²`.
    L2 {
        /// Strength λ > 0.
        lambda: T,
    },
    /// `λ‖w‖₁`.
    L1 {
        /// Strength λ > 0.
        lambda: T,
    },
    /// `λ(α‖w‖₁ + ½(1−α)‖w‖²)`.
    ElasticNet {
        /// Strength λ > 0.
        lambda: T,
        /// Mixing α ∈ [0, 1]: 1 is the lasso, 0 is ridge (both ends allowed, as in glmnet).
        alpha: T,
    },
}

impl<T: Real> Penalty<T> {
    /// [`Error::InvalidParameter`] unless λ is finite and > 0 and α ∈ [0, 1].
    pub fn validate(&self) -> Result<(), Error> {
        let (lambda, alpha) = match *self {
            Penalty::L2 { lambda } | Penalty::L1 { lambda } => (lambda, T::ZERO),
            Penalty::ElasticNet { lambda, alpha } => (lambda, alpha),
        };
        if lambda.is_finite() && lambda > T::ZERO && alpha >= T::ZERO && alpha <= T::ONE {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// `(l1, l2)`: the weights of `‖w‖₁` and `½‖w‖²` in the penalty.
    fn split(&self) -> (T, T) {
        match *self {
            Penalty::L2 { lambda } => (T::ZERO, lambda),
            Penalty::L1 { lambda } => (lambda, T::ZERO),
            Penalty::ElasticNet { lambda, alpha } => (lambda * alpha, lambda * (T::ONE - alpha)),
        }
    }
}

/// A penalty applied to some or all coordinates: an [`Objective`] with an analytic gradient,
/// for any `N`, to be added to a data loss with [`WeightedSum`](super::WeightedSum).
///
/// ```
/// use lossmap::loss::Regularizer;
/// use lossmap::Objective;
/// // L1 with λ = 0.5 on (w₁, w₂, b) = (2, 0, 7), bias skipped: R = 0.5·(2 + 0) = 1,
/// // ∇R = 0.5·(sign 2, sign 0, —) = (0.5, 0, 0).
/// let mut r = Regularizer::l1(0.5f64).unwrap().skip_bias(3);
/// let w = [2.0, 0.0, 7.0];
/// assert_eq!(r.value(&w), 1.0);
/// let mut g = [9.0; 3];
/// r.gradient(&w, &mut g).unwrap();
/// assert_eq!(g, [0.5, 0.0, 0.0]);
/// // Proximal step with t = 2 (threshold tλ = 1): 2 → 1, the bias keeps its value.
/// let mut v = [2.0, -0.5, 7.0];
/// r.prox(&mut v, 2.0).unwrap();
/// assert_eq!(v, [1.0, 0.0, 7.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Regularizer<T> {
    penalty: Penalty<T>,
    bias_stride: usize,
}

impl<T: Real> Regularizer<T> {
    /// A penalty on every coordinate; [`Error::InvalidParameter`] for invalid strengths.
    pub fn new(penalty: Penalty<T>) -> Result<Self, Error> {
        penalty.validate()?;
        Ok(Regularizer {
            penalty,
            bias_stride: 0,
        })
    }

    /// L2 (weight decay) `½λ‖w‖²`, λ > 0.
    pub fn l2(lambda: T) -> Result<Self, Error> {
        Self::new(Penalty::L2 { lambda })
    }

    /// L1 `λ‖w‖₁`, λ > 0.
    pub fn l1(lambda: T) -> Result<Self, Error> {
        Self::new(Penalty::L1 { lambda })
    }

    /// Elastic net `λ(α‖w‖₁ + ½(1−α)‖w‖²)`, λ > 0, α ∈ [0, 1].
    pub fn elastic_net(lambda: T, alpha: T) -> Result<Self, Error> {
        Self::new(Penalty::ElasticNet { lambda, alpha })
    }

    /// Leaves the last coordinate of every block of `stride` unpenalized (the biases; see the
    /// module documentation). `stride = 0` penalizes everything.
    pub fn skip_bias(self, stride: usize) -> Self {
        Regularizer {
            bias_stride: stride,
            ..self
        }
    }

    /// The penalty.
    pub fn penalty(&self) -> Penalty<T> {
        self.penalty
    }

    /// Whether coordinate `j` is penalized.
    #[inline]
    fn on(&self, j: usize) -> bool {
        match j
            .checked_add(1)
            .and_then(|p| p.checked_rem(self.bias_stride))
        {
            Some(r) => r != 0,
            None => true,
        }
    }

    /// The penalty value at `w` (any length), with its gradient written to `grad` when given.
    ///
    /// Errors (nothing written): [`Error::Empty`] for an empty `w`, [`Error::LengthMismatch`]
    /// for `grad`, [`Error::NonFiniteInput`] for NaN/Inf in `w`, [`Error::NonFiniteLoss`] if
    /// the value overflows.
    pub fn eval(&self, w: &[T], grad: Option<&mut [T]>) -> Result<T, Error> {
        if w.is_empty() {
            return Err(Error::Empty);
        }
        self.penalty.validate()?;
        check_finite(w)?;
        let (l1, l2) = self.penalty.split();
        let (mut abs, mut sq) = (T::ZERO, T::ZERO);
        for (j, &v) in w.iter().enumerate() {
            if self.on(j) {
                abs += v.abs();
                sq += v * v;
            }
        }
        let value = l1 * abs + T::HALF * l2 * sq;
        if !value.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        if let Some(g) = grad {
            check_len(g.len(), w.len())?;
            for (j, (gj, &v)) in g.iter_mut().zip(w).enumerate() {
                *gj = if self.on(j) {
                    l1 * sign0(v) + l2 * v
                } else {
                    T::ZERO
                };
            }
        }
        Ok(value)
    }

    /// The proximal step `w ← prox_{tR}(w)` in place, for step size `t > 0` (see the module
    /// documentation); unpenalized coordinates are unchanged.
    ///
    /// Errors (nothing written): [`Error::Empty`], [`Error::NonFiniteInput`] for NaN/Inf in
    /// `w`, [`Error::InvalidParameter`] unless `t` is finite and > 0.
    pub fn prox(&self, w: &mut [T], t: T) -> Result<(), Error> {
        if w.is_empty() {
            return Err(Error::Empty);
        }
        self.penalty.validate()?;
        check_finite(w)?;
        if !(t.is_finite() && t > T::ZERO) {
            return Err(Error::InvalidParameter);
        }
        let (l1, l2) = self.penalty.split();
        let (thresh, shrink) = (t * l1, T::ONE + t * l2);
        for (j, v) in w.iter_mut().enumerate() {
            if self.on(j) {
                *v = soft_threshold(*v, thresh) / shrink;
            }
        }
        Ok(())
    }
}

/// `sign(v)·max(|v| − τ, 0)`: exactly 0 whenever `|v| ≤ τ`.
///
/// ```
/// use lossmap::loss::soft_threshold;
/// assert_eq!(soft_threshold(3.0f64, 1.0), 2.0);
/// assert_eq!(soft_threshold(-0.5f64, 1.0), 0.0);
/// assert_eq!(soft_threshold(-3.0f32, 1.0), -2.0);
/// ```
#[inline]
pub fn soft_threshold<T: Real>(v: T, tau: T) -> T {
    let a = v.abs() - tau;
    if a > T::ZERO {
        sign0(v) * a
    } else {
        T::ZERO
    }
}

impl<T: Real, const N: usize> Objective<T, N> for Regularizer<T> {
    fn value(&mut self, x: &[T; N]) -> T {
        self.eval(x, None).unwrap_or(T::NAN_R)
    }

    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let mut out = [T::ZERO; N];
        self.eval(x, Some(&mut out))?;
        *g = out;
        Ok(0)
    }
}
