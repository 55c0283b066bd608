//! Models with all parameters in one vector, and their data losses as slice kernels with the
//! gradient with respect to the parameters by the chain rule:
//!
//! ```text
//! linear           ŷ = w·x + b            θ = (w₁ … w_d, b)                      N = d + 1
//!                  ∂L/∂w = Σᵢ (∂L/∂ŷᵢ) xᵢ,   ∂L/∂b = Σᵢ ∂L/∂ŷᵢ
//! softmax-linear   z_k = w_k·x + b_k      θ = (w_{0,1} … w_{0,d}, b_0, w_{1,1} …) N = K(d + 1)
//!                  ∂L/∂w_k = Σᵢ (∂L/∂z_{ik}) xᵢ,   ∂L/∂b_k = Σᵢ ∂L/∂z_{ik}
//! ```
//!
//! Features are `m×d` row-major (`x[i·d + j]` is feature `j` of sample `i`); row `k` of the
//! softmax-linear parameters is `θ[k(d+1) .. (k+1)(d+1)] = (w_k, b_k)`. The per-sample
//! derivatives `∂L/∂ŷᵢ`, `∂L/∂z_{ik}` come from [`Regression`] and [`Classification`].

use super::classification::{class, Classification};
use super::regression::Regression;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, dot_unchecked};
use crate::Real;

/// Row `i` of an `m×d` row-major matrix, `None` if out of range (never after validation).
/// Index arithmetic rather than `chunks_exact` zipped with itself: the zip's length computation
/// divides by the chunk size, and once outlined the compiler can no longer see it is nonzero.
#[inline]
pub(crate) fn row<T>(x: &[T], d: usize, i: usize) -> Option<&[T]> {
    x.get(i.checked_mul(d)?..i.checked_add(1)?.checked_mul(d)?)
}

/// Row `i` of an `m×d` row-major matrix, mutably (see [`row`]).
#[inline]
pub(crate) fn row_mut<T>(x: &mut [T], d: usize, i: usize) -> Option<&mut [T]> {
    x.get_mut(i.checked_mul(d)?..i.checked_add(1)?.checked_mul(d)?)
}

pub(crate) use crate::linalg::rows;

/// The linear model `ŷ = w·x + b` on `d` features; parameters `(w₁, …, w_d, b)`.
///
/// ```
/// use lossmap::loss::{Linear, Regression};
/// let model = Linear::new(2).unwrap();
/// assert_eq!(model.params(), 3);
/// let theta = [1.0f64, -1.0, 0.5]; // ŷ = x₁ − x₂ + ½
/// assert_eq!(model.predict(&theta, &[3.0, 1.0]), Ok(2.5));
/// // Two samples, MSE: residuals (2.5 − 2, 0.5 − 1) = (½, −½) → L = ¼.
/// let (x, y) = ([3.0, 1.0, 0.0, 0.0], [2.0, 1.0]);
/// let mut g = [0.0; 3];
/// let v = model.loss(&Regression::Mse, &theta, &x, &y, None, Some(&mut g)).unwrap();
/// assert_eq!(v, 0.25);
/// // ∂L/∂ŷ = (½, −½); ∂L/∂w = ½·(3, 1) − ½·(0, 0), ∂L/∂b = ½ − ½.
/// assert_eq!(g, [1.5, 0.5, 0.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Linear {
    d: usize,
}

impl Linear {
    /// A linear model on `d ≥ 1` features ([`Error::Empty`] for 0, [`Error::LengthMismatch`] if
    /// `d + 1` overflows).
    pub const fn new(d: usize) -> Result<Self, Error> {
        if d == 0 {
            Err(Error::Empty)
        } else if d == usize::MAX {
            Err(Error::LengthMismatch)
        } else {
            Ok(Linear { d })
        }
    }

    /// Number of features `d`.
    pub const fn features(&self) -> usize {
        self.d
    }

    /// Number of parameters `d + 1`.
    pub const fn params(&self) -> usize {
        self.d + 1
    }

    /// `w·x + b` for one sample `x` (length `d`) and parameters `theta` (length `d + 1`).
    /// [`Error::LengthMismatch`] for wrong lengths, [`Error::NonFiniteInput`] for NaN/Inf.
    pub fn predict<T: Real>(&self, theta: &[T], x: &[T]) -> Result<T, Error> {
        check_len(theta.len(), self.params())?;
        check_len(x.len(), self.d)?;
        check_finite(theta)?;
        check_finite(x)?;
        Ok(self.predict_unchecked(theta, x))
    }

    #[inline]
    pub(crate) fn predict_unchecked<T: Real>(&self, theta: &[T], x: &[T]) -> T {
        dot_unchecked(theta, x) + at(theta, self.d)
    }

    /// Checks a data set for this model: `x` is `m×d` with `m = y.len() ≥ 1`, `baseline` (if
    /// any) has length `m`, all finite.
    pub(crate) fn check_data<T: Real>(
        &self,
        x: &[T],
        y: &[T],
        baseline: Option<&[T]>,
    ) -> Result<(), Error> {
        let m = y.len();
        if m == 0 {
            return Err(Error::Empty);
        }
        check_len(x.len(), m.checked_mul(self.d).ok_or(Error::LengthMismatch)?)?;
        check_finite(x)?;
        check_finite(y)?;
        if let Some(b) = baseline {
            check_len(b.len(), m)?;
            check_finite(b)?;
        }
        Ok(())
    }

    /// The data loss `L(θ)` of the model on features `x` (`m×d`) against targets `y` (`m`),
    /// with the gradient with respect to `theta` written to `grad` when given.
    ///
    /// With a `baseline` (length `m`), the model fits the residual `y − baseline` (Δ-learning,
    /// see [`residual_targets`](super::residual_targets)): `rᵢ = ŷᵢ − (yᵢ − baselineᵢ)`.
    ///
    /// Errors (nothing written): [`Error::Empty`] for no samples; [`Error::LengthMismatch`];
    /// [`Error::NonFiniteInput`] for NaN/Inf in `theta`, `x`, `y` or `baseline`;
    /// [`Error::InvalidParameter`] for a bad Huber δ. If the loss or the gradient overflows,
    /// [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`] is returned and `grad` holds
    /// scratch.
    pub fn loss<T: Real>(
        &self,
        loss: &Regression<T>,
        theta: &[T],
        x: &[T],
        y: &[T],
        baseline: Option<&[T]>,
        grad: Option<&mut [T]>,
    ) -> Result<T, Error> {
        loss.validate()?;
        self.check_data(x, y, baseline)?;
        self.loss_checked(loss, theta, x, y, baseline, grad)
    }

    /// [`loss`](Self::loss) after the data were checked (`theta` and `grad` still are).
    pub(crate) fn loss_checked<T: Real>(
        &self,
        loss: &Regression<T>,
        theta: &[T],
        x: &[T],
        y: &[T],
        baseline: Option<&[T]>,
        mut grad: Option<&mut [T]>,
    ) -> Result<T, Error> {
        check_len(theta.len(), self.params())?;
        check_finite(theta)?;
        if let Some(g) = grad.as_deref_mut() {
            check_len(g.len(), self.params())?;
            g.iter_mut().for_each(|v| *v = T::ZERO);
        }
        let inv_m = T::ONE / T::from_usize(y.len());
        let mut sum = T::ZERO;
        for (i, (xi, &yi)) in rows(x, self.d).zip(y).enumerate() {
            let target = match baseline {
                Some(b) => yi - at(b, i),
                None => yi,
            };
            let (l, dl) = loss.point(self.predict_unchecked(theta, xi) - target);
            sum += l;
            if let Some(g) = grad.as_deref_mut() {
                let (s, one) = (dl * inv_m, T::ONE);
                g.iter_mut()
                    .zip(xi.iter().chain(core::iter::once(&one)))
                    .for_each(|(gj, &xj)| *gj += s * xj);
            }
        }
        finish(sum * inv_m, grad.as_deref())
    }
}

/// The softmax-linear classifier `z_k = w_k·x + b_k`, `k = 0 … K−1`, on `d` features;
/// parameters row by row, `(w_k, b_k)`.
///
/// ```
/// use lossmap::loss::{Classification, SoftmaxLinear};
/// let model = SoftmaxLinear::new(1, 2).unwrap(); // d = 1, K = 2, N = 4
/// assert_eq!(model.params(), 4);
/// // θ = (w₀, b₀, w₁, b₁) = (1, 0, −1, 0): z = (x, −x).
/// let theta = [1.0f64, 0.0, -1.0, 0.0];
/// let mut z = [0.0; 2];
/// model.logits(&theta, &[2.0], &mut z).unwrap();
/// assert_eq!(z, [2.0, -2.0]);
/// // At x = 0 the logits are (0, 0): ℓ = ln 2 for either label.
/// let (mut work, mut g) = ([0.0; 2], [0.0; 4]);
/// let v = model
///     .loss(&Classification::CrossEntropy, &theta, &[0.0], &[1], &mut work, Some(&mut g))
///     .unwrap();
/// assert!((v - core::f64::consts::LN_2).abs() < 1e-15);
/// // ∂ℓ/∂z = p − e₁ = (½, −½); ∂/∂w_k = (∂ℓ/∂z_k)·x = 0, ∂/∂b_k = ∂ℓ/∂z_k.
/// assert_eq!(g, [0.0, 0.5, 0.0, -0.5]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SoftmaxLinear {
    d: usize,
    k: usize,
}

impl SoftmaxLinear {
    /// A softmax-linear model on `d ≥ 1` features and `k ≥ 1` classes ([`Error::Empty`] for a
    /// zero size, [`Error::LengthMismatch`] if `k(d + 1)` overflows).
    pub const fn new(d: usize, k: usize) -> Result<Self, Error> {
        if d == 0 || k == 0 {
            return Err(Error::Empty);
        }
        match d.checked_add(1) {
            Some(r) if r.checked_mul(k).is_some() => Ok(SoftmaxLinear { d, k }),
            _ => Err(Error::LengthMismatch),
        }
    }

    /// Number of features `d`.
    pub const fn features(&self) -> usize {
        self.d
    }

    /// Number of classes `K`.
    pub const fn classes(&self) -> usize {
        self.k
    }

    /// Number of parameters `K(d + 1)`.
    pub const fn params(&self) -> usize {
        (self.d + 1) * self.k
    }

    /// The logits `z_k = w_k·x + b_k` of one sample `x` (length `d`) into `z` (length `K`).
    /// [`Error::LengthMismatch`] for wrong lengths, [`Error::NonFiniteInput`] for NaN/Inf;
    /// `z` is unchanged on error.
    pub fn logits<T: Real>(&self, theta: &[T], x: &[T], z: &mut [T]) -> Result<(), Error> {
        check_len(theta.len(), self.params())?;
        check_len(x.len(), self.d)?;
        check_len(z.len(), self.k)?;
        check_finite(theta)?;
        check_finite(x)?;
        self.logits_unchecked(theta, x, z);
        Ok(())
    }

    #[inline]
    pub(crate) fn logits_unchecked<T: Real>(&self, theta: &[T], x: &[T], z: &mut [T]) {
        for (zk, row) in z.iter_mut().zip(rows(theta, self.d.saturating_add(1))) {
            *zk = dot_unchecked(row, x) + at(row, self.d);
        }
    }

    /// Checks a data set: `x` is `m×d` with `m = labels.len() ≥ 1`, finite, labels `< K`.
    pub(crate) fn check_data<T: Real>(&self, x: &[T], labels: &[u32]) -> Result<(), Error> {
        let m = labels.len();
        if m == 0 {
            return Err(Error::Empty);
        }
        check_len(x.len(), m.checked_mul(self.d).ok_or(Error::LengthMismatch)?)?;
        check_finite(x)?;
        if labels.iter().any(|&l| class(l, self.k).is_none()) {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }

    /// The classification loss `L(θ)` of the model on features `x` (`m×d`) and `labels` (`m`),
    /// with the gradient with respect to `theta` written to `grad` when given. `work` (length
    /// ≥ `K`) is scratch for one row of logits.
    ///
    /// Errors (nothing written but `work`): those of
    /// [`Classification::value`] and [`Error::LengthMismatch`] for `theta`, `work` or `grad`;
    /// [`Error::NonFiniteInput`] for NaN/Inf in `theta` or `x`. If the loss or the gradient
    /// overflows, [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`] is returned and `grad`
    /// holds scratch.
    pub fn loss<T: Real>(
        &self,
        loss: &Classification<'_, T>,
        theta: &[T],
        x: &[T],
        labels: &[u32],
        work: &mut [T],
        grad: Option<&mut [T]>,
    ) -> Result<T, Error> {
        self.check_data(x, labels)?;
        let norm = loss.check(None, labels, self.k)?;
        self.loss_checked(loss, norm, theta, x, labels, work, grad)
    }

    /// [`loss`](Self::loss) after data and loss were checked (`norm` from
    /// `Classification::check`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn loss_checked<T: Real>(
        &self,
        loss: &Classification<'_, T>,
        norm: T,
        theta: &[T],
        x: &[T],
        labels: &[u32],
        work: &mut [T],
        mut grad: Option<&mut [T]>,
    ) -> Result<T, Error> {
        check_len(theta.len(), self.params())?;
        check_finite(theta)?;
        let z = work.get_mut(..self.k).ok_or(Error::LengthMismatch)?;
        if let Some(g) = grad.as_deref_mut() {
            check_len(g.len(), self.params())?;
            g.iter_mut().for_each(|v| *v = T::ZERO);
        }
        let mut sum = T::ZERO;
        for (xi, &l) in rows(x, self.d).zip(labels) {
            let y = class(l, self.k).unwrap_or(0);
            self.logits_unchecked(theta, xi, z);
            match grad.as_deref_mut() {
                None => sum += loss.row_value(z, y),
                Some(g) => {
                    sum += loss.row_grad_in_place(z, y, norm);
                    accumulate_outer(g, z, xi, self.d);
                }
            }
        }
        finish(sum / norm, grad.as_deref())
    }
}

/// `g[row k] += dz_k · (x, 1)` for each class `k`: the chain rule through `z_k = w_k·x + b_k`.
pub(crate) fn accumulate_outer<T: Real>(g: &mut [T], dz: &[T], x: &[T], d: usize) {
    let one = T::ONE;
    for (grow, &dk) in crate::linalg::rows_mut(g, d.saturating_add(1)).zip(dz) {
        grow.iter_mut()
            .zip(x.iter().chain(core::iter::once(&one)))
            .for_each(|(gj, &xj)| *gj += dk * xj);
    }
}

/// `Ok(value)` when it and the gradient are finite.
pub(crate) fn finish<T: Real>(value: T, grad: Option<&[T]>) -> Result<T, Error> {
    if !value.is_finite() {
        Err(Error::NonFiniteLoss)
    } else if grad.is_some_and(|g| check_finite(g).is_err()) {
        Err(Error::NonFiniteGradient)
    } else {
        Ok(value)
    }
}
