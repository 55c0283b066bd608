//! Objectives that bind a model, a data loss and borrowed data: `θ ↦ L(model(θ; X), y)` as an
//! [`Objective<T, N>`] with the analytic gradient by the chain rule (the kernels are
//! [`Linear::loss`] and [`SoftmaxLinear::loss`]). Sizes are checked once, at construction:
//! `N` against the model, the data against each other; every evaluation checks `θ`.

use super::classification::Classification;
use super::model::{rows, Linear, SoftmaxLinear};
use super::regression::Regression;
use crate::error::Error;
use crate::linalg::at;
use crate::{Objective, Real};

/// A linear model fitted to targets under a regression loss: `L(θ) = loss(Xw + b, y)`, or with
/// a baseline `loss(Xw + b, y − baseline)` (Δ-learning).
///
/// ```
/// use lossmap::loss::{Linear, LinearFit, Regression};
/// use lossmap::Objective;
/// // y = 2x + 1 sampled at x = 0, 1, 2: θ = (2, 1) fits exactly.
/// let (x, y) = ([0.0f64, 1.0, 2.0], [1.0, 3.0, 5.0]);
/// let mut fit = LinearFit::<f64, 2>::new(Linear::new(1).unwrap(), Regression::Mse, &x, &y).unwrap();
/// assert_eq!(fit.value(&[2.0, 1.0]), 0.0);
/// // At θ = 0 the residuals are −y: ∂L/∂w = (2/3)Σ(−yᵢ)xᵢ = −26/3, ∂L/∂b = (2/3)Σ(−yᵢ) = −6.
/// let mut g = [0.0; 2];
/// fit.gradient(&[0.0, 0.0], &mut g).unwrap();
/// assert!((g[0] + 26.0 / 3.0).abs() < 1e-14 && (g[1] + 6.0).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LinearFit<'a, T, const N: usize> {
    model: Linear,
    loss: Regression<T>,
    x: &'a [T],
    y: &'a [T],
    baseline: Option<&'a [T]>,
}

impl<'a, T: Real, const N: usize> LinearFit<'a, T, N> {
    /// Binds the model (`N` must be `d + 1`, else [`Error::LengthMismatch`]), the loss (δ
    /// checked) and the data: `x` is `m×d` row-major, `y` has `m ≥ 1` entries, all finite.
    pub fn new(model: Linear, loss: Regression<T>, x: &'a [T], y: &'a [T]) -> Result<Self, Error> {
        if model.params() != N {
            return Err(Error::LengthMismatch);
        }
        loss.validate()?;
        model.check_data(x, y, None)?;
        Ok(LinearFit {
            model,
            loss,
            x,
            y,
            baseline: None,
        })
    }

    /// Fits `y − baseline` instead of `y` (Δ-learning): `baseline[i]` is a known prediction for
    /// sample `i` (length `m`, finite; see [`baseline_from_fn`](super::baseline_from_fn)). The
    /// full prediction is then `baseline(x) + w·x + b`.
    pub fn with_baseline(self, baseline: &'a [T]) -> Result<Self, Error> {
        self.model.check_data(self.x, self.y, Some(baseline))?;
        Ok(LinearFit {
            baseline: Some(baseline),
            ..self
        })
    }

    fn eval(&self, theta: &[T; N], grad: Option<&mut [T; N]>) -> Result<T, Error> {
        let g = grad.map(|g| g.as_mut_slice());
        self.model
            .loss_checked(&self.loss, theta, self.x, self.y, self.baseline, g)
    }
}

impl<T: Real, const N: usize> Objective<T, N> for LinearFit<'_, T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        self.eval(x, None).unwrap_or(T::NAN_R)
    }

    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let mut out = [T::ZERO; N];
        self.eval(x, Some(&mut out))?;
        *g = out;
        Ok(0)
    }

    /// Analytic: `∇²L = (1/m) Σᵢ ℓ''(rᵢ) aᵢaᵢᵀ` with `aᵢ = (xᵢ, 1)` and `ℓ'' = 2` (MSE),
    /// `1` for `|r| ≤ δ` else `0` (Huber), `0` (MAE, everywhere but at a zero residual, where it
    /// does not exist).
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        let d = self.model.features();
        let mut out = [[T::ZERO; N]; N];
        for (i, xi) in rows(self.x, d).enumerate() {
            let target = at(self.y, i) - self.baseline.map_or(T::ZERO, |b| at(b, i));
            let r = self.model.predict_unchecked(x, xi) - target;
            let curv = match self.loss {
                Regression::Mse => T::TWO,
                Regression::Mae => T::ZERO,
                Regression::Huber { delta } if r.abs() <= delta => T::ONE,
                Regression::Huber { .. } => T::ZERO,
            };
            if curv == T::ZERO {
                continue;
            }
            for (j, row) in out.iter_mut().enumerate() {
                let aj = if j < d { at(xi, j) } else { T::ONE };
                for (l, v) in row.iter_mut().enumerate() {
                    let al = if l < d { at(xi, l) } else { T::ONE };
                    *v += curv * aj * al;
                }
            }
        }
        let inv_m = T::ONE / T::from_usize(self.y.len());
        for row in out.iter_mut() {
            row.iter_mut().for_each(|v| *v *= inv_m);
        }
        if out.iter().flatten().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        *h = out;
        Ok(0)
    }
}

/// A softmax-linear classifier fitted to labels under a classification loss.
///
/// ```
/// use lossmap::loss::{Classification, SoftmaxFit, SoftmaxLinear};
/// use lossmap::Objective;
/// let model = SoftmaxLinear::new(1, 2).unwrap();
/// let (x, labels) = ([-1.0f64, 1.0], [0u32, 1]);
/// let mut fit = SoftmaxFit::<f64, 4>::new(model, Classification::CrossEntropy, &x, &labels).unwrap();
/// // θ = 0: uniform predictions, ℓ = ln 2 per sample.
/// assert!((fit.value(&[0.0; 4]) - core::f64::consts::LN_2).abs() < 1e-15);
/// // A separating θ lowers the loss.
/// assert!(fit.value(&[-3.0, 0.0, 3.0, 0.0]) < 0.01);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SoftmaxFit<'a, T, const N: usize> {
    model: SoftmaxLinear,
    loss: Classification<'a, T>,
    norm: T,
    x: &'a [T],
    labels: &'a [u32],
}

impl<'a, T: Real, const N: usize> SoftmaxFit<'a, T, N> {
    /// Binds the model (`N` must be `K(d + 1)`, else [`Error::LengthMismatch`]), the loss
    /// (weights or costs checked against `K`) and the data: `x` is `m×d` row-major and finite,
    /// `labels` has `m ≥ 1` entries `< K` ([`Error::InvalidParameter`] otherwise).
    pub fn new(
        model: SoftmaxLinear,
        loss: Classification<'a, T>,
        x: &'a [T],
        labels: &'a [u32],
    ) -> Result<Self, Error> {
        if model.params() != N {
            return Err(Error::LengthMismatch);
        }
        model.check_data(x, labels)?;
        let norm = loss.check(None, labels, model.classes())?;
        Ok(SoftmaxFit {
            model,
            loss,
            norm,
            x,
            labels,
        })
    }

    fn eval(&self, theta: &[T; N], grad: Option<&mut [T; N]>) -> Result<T, Error> {
        // N = K(d + 1) ≥ K: room for one logit row.
        let mut work = [T::ZERO; N];
        let g = grad.map(|g| g.as_mut_slice());
        self.model.loss_checked(
            &self.loss,
            self.norm,
            theta,
            self.x,
            self.labels,
            &mut work,
            g,
        )
    }
}

impl<T: Real, const N: usize> Objective<T, N> for SoftmaxFit<'_, T, N> {
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
