//! Classification losses from logits `z` (`m×K` row-major, one row per sample) and labels
//! `yᵢ ∈ {0, …, K−1}`, through the softmax `p_k = exp(z_k − max z) / Σ_j exp(z_j − max z)`
//! (the max subtracted, so no exponential overflows; log-sum-exp `lse(z) = max z + ln Σ exp(z −
//! max z)`, Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §4.1 and §6.2.2.3):
//!
//! ```text
//! cross-entropy   ℓᵢ = lse(zᵢ) − z_{i,yᵢ}           L = (1/m) Σ ℓᵢ
//!                 ∂ℓᵢ/∂z_{ik} = p_{ik} − [k = yᵢ]
//! class-weighted  L = Σ w_{yᵢ} ℓᵢ / Σ w_{yᵢ}        (torch.nn.CrossEntropyLoss with `weight`)
//! cost-sensitive  ℓᵢ = Σ_k p_{ik} C[yᵢ][k]          L = (1/m) Σ ℓᵢ
//!                 ∂ℓᵢ/∂z_{ij} = p_{ij} (C[yᵢ][j] − ℓᵢ)
//! ```
//!
//! The cost-sensitive loss is the *expected misclassification cost* under the predicted
//! distribution, with `C[y][k]` the cost of predicting class `k` when the truth is `y` (C. Elkan,
//! "The foundations of cost-sensitive learning", IJCAI 2001: the optimal decision minimizes
//! `Σ_j P(j|x) C(i, j)`; here the roles of predicted and true class index the matrix as `C[true]
//! [predicted]`). It is smooth and bounded but not convex in `z`; with `C = 1 − I` it is
//! `1 − p_y`, the expected 0-1 error. Costs must be ≥ 0 (a zero diagonal is usual).
//!
//! The class-weighted mean divides by the total weight of the labels present, exactly as
//! torch; when that total is 0 (torch returns NaN) the call fails instead.

use super::model::{row, row_mut};
use crate::error::{check_finite, Error};
use crate::linalg::at;
use crate::Real;

/// A softmax classification loss over logits and class-index labels.
///
/// ```
/// use lossmap::loss::Classification;
/// // Logits (0, 0), label 0: p = (½, ½), ℓ = ln 2; gradient p − e₀ = (−½, ½).
/// let mut g = [0.0f64; 2];
/// let v = Classification::CrossEntropy.value_grad(&[0.0, 0.0], &[0], 2, &mut g).unwrap();
/// assert!((v - core::f64::consts::LN_2).abs() < 1e-15);
/// assert_eq!(g, [-0.5, 0.5]);
///
/// // Weighted: two samples with ℓ = ln 2 each and weights 3 (class 0) and 1 (class 1):
/// // (3 ln 2 + 1 ln 2) / (3 + 1) = ln 2.
/// let w = [3.0, 1.0];
/// let v = Classification::Weighted(&w).value(&[0.0, 0.0, 0.0, 0.0], &[0, 1], 2).unwrap();
/// assert!((v - core::f64::consts::LN_2).abs() < 1e-15);
///
/// // Cost-sensitive with C = [[0, 1], [5, 0]] (missing class 1 costs 5): logits (0, 0),
/// // label 1 → expected cost ½·5 + ½·0 = 2.5.
/// let c = [0.0, 1.0, 5.0, 0.0];
/// assert_eq!(Classification::CostSensitive(&c).value(&[0.0, 0.0], &[1], 2), Ok(2.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Classification<'a, T> {
    /// Softmax cross-entropy, mean over samples.
    CrossEntropy,
    /// Class-weighted cross-entropy: `weights[k] ≥ 0` for each of the `K` classes; weighted mean
    /// `Σ w_{yᵢ} ℓᵢ / Σ w_{yᵢ}`.
    Weighted(&'a [T]),
    /// Expected cost under the softmax, from the `K×K` row-major cost matrix `C[true][pred]`
    /// (entries ≥ 0), mean over samples.
    CostSensitive(&'a [T]),
}

/// Max and `Σ exp(z − max)` of one logit row (the sum is ≥ 1 for a non-empty finite row).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Softmax<T> {
    pub(crate) max: T,
    pub(crate) sum: T,
}

impl<T: Real> Softmax<T> {
    pub(crate) fn of(z: &[T]) -> Self {
        let max = z.iter().fold(-T::MAX_R, |m, &v| m.max(v));
        let sum = z.iter().fold(T::ZERO, |s, &v| s + (v - max).exp());
        Softmax { max, sum }
    }
    /// `p = exp(z − max) / sum`.
    #[inline]
    pub(crate) fn p(&self, z: T) -> T {
        (z - self.max).exp() / self.sum
    }
    /// `ln p = z − max − ln sum`.
    #[inline]
    pub(crate) fn ln_p(&self, z: T) -> T {
        z - self.max - self.sum.ln()
    }
}

/// The label as a `usize` when it is a valid class index `< k`.
#[inline]
pub(crate) fn class(label: u32, k: usize) -> Option<usize> {
    usize::try_from(label).ok().filter(|&y| y < k)
}

impl<'a, T: Real> Classification<'a, T> {
    /// Checks the loss's own parameters for `k` classes: weights (length `k`, finite, ≥ 0) or
    /// costs (length `k²`, finite, ≥ 0).
    ///
    /// Errors: [`Error::Empty`] for `k = 0`, [`Error::LengthMismatch`],
    /// [`Error::NonFiniteInput`], [`Error::InvalidParameter`] for a negative entry.
    pub fn validate(&self, k: usize) -> Result<(), Error> {
        if k == 0 {
            return Err(Error::Empty);
        }
        let table = match *self {
            Classification::CrossEntropy => return Ok(()),
            Classification::Weighted(w) => (w, k),
            Classification::CostSensitive(c) => (c, k.checked_mul(k).ok_or(Error::LengthMismatch)?),
        };
        if table.0.len() != table.1 {
            return Err(Error::LengthMismatch);
        }
        check_finite(table.0)?;
        if table.0.iter().any(|&v| v < T::ZERO) {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }

    /// Checks logits and labels for `k` classes and returns the normalizer of the mean:
    /// `m`, or `Σ w_{yᵢ}` for the weighted loss.
    ///
    /// Errors: those of [`validate`](Self::validate); [`Error::Empty`] for no samples;
    /// [`Error::LengthMismatch`] unless `logits.len() = labels.len()·k`;
    /// [`Error::NonFiniteInput`]; [`Error::InvalidParameter`] for a label `≥ k` or a zero
    /// total weight.
    pub(crate) fn check(&self, logits: Option<&[T]>, labels: &[u32], k: usize) -> Result<T, Error> {
        self.validate(k)?;
        if labels.is_empty() {
            return Err(Error::Empty);
        }
        if let Some(z) = logits {
            if Some(z.len()) != labels.len().checked_mul(k) {
                return Err(Error::LengthMismatch);
            }
            check_finite(z)?;
        }
        let mut total = T::ZERO;
        for &l in labels {
            let y = class(l, k).ok_or(Error::InvalidParameter)?;
            total += match *self {
                Classification::Weighted(w) => at(w, y),
                _ => T::ONE,
            };
        }
        if total > T::ZERO && total.is_finite() {
            Ok(total)
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// The loss over `logits` (`m×k` row-major) and `labels` (`m` class indices).
    ///
    /// Errors: [`Error::Empty`] for `m = 0` or `k = 0`; [`Error::LengthMismatch`];
    /// [`Error::NonFiniteInput`] for NaN/Inf in logits, weights or costs;
    /// [`Error::InvalidParameter`] for a label `≥ k`, a negative weight or cost, or labels whose
    /// total weight is 0; [`Error::NonFiniteLoss`] if the loss overflows.
    pub fn value(&self, logits: &[T], labels: &[u32], k: usize) -> Result<T, Error> {
        let norm = self.check(Some(logits), labels, k)?;
        self.sum(logits, labels, k, norm)
    }

    /// The loss, with its gradient with respect to the logits written to `grad` (`m×k`). Every
    /// error of [`value`](Self::value), plus [`Error::LengthMismatch`] for `grad`; on error
    /// `grad` is unchanged.
    pub fn value_grad(
        &self,
        logits: &[T],
        labels: &[u32],
        k: usize,
        grad: &mut [T],
    ) -> Result<T, Error> {
        let norm = self.check(Some(logits), labels, k)?;
        if grad.len() != logits.len() {
            return Err(Error::LengthMismatch);
        }
        let value = self.sum(logits, labels, k, norm)?;
        for (i, &l) in labels.iter().enumerate() {
            let (Some(g), Some(z)) = (row_mut(grad, k, i), row(logits, k, i)) else {
                break;
            };
            g.iter_mut().zip(z).for_each(|(gi, &zi)| *gi = zi);
            self.row_grad_in_place(g, class(l, k).unwrap_or(0), norm);
        }
        Ok(value)
    }

    fn sum(&self, logits: &[T], labels: &[u32], k: usize, norm: T) -> Result<T, Error> {
        let v = crate::linalg::rows(logits, k)
            .zip(labels)
            .fold(T::ZERO, |s, (z, &l)| {
                s + self.row_value(z, class(l, k).unwrap_or(0))
            })
            / norm;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::NonFiniteLoss)
        }
    }

    /// The (weighted) loss of one validated row `z` with label `y`, before normalization:
    /// `ℓ`, `w_y ℓ` or `Σ_k p_k C[y][k]`.
    pub(crate) fn row_value(&self, z: &[T], y: usize) -> T {
        let s = Softmax::of(z);
        match *self {
            Classification::CrossEntropy => -s.ln_p(at(z, y)),
            Classification::Weighted(w) => -at(w, y) * s.ln_p(at(z, y)),
            Classification::CostSensitive(c) => expected_cost(z, &s, cost_row(c, y, z.len())),
        }
    }

    /// Turns the logit row `z` (label `y`) into the gradient of `row_value / norm` with respect
    /// to it, in place; returns `row_value`.
    pub(crate) fn row_grad_in_place(&self, z: &mut [T], y: usize, norm: T) -> T {
        let s = Softmax::of(z);
        let zy = at(z, y);
        match *self {
            Classification::CrossEntropy | Classification::Weighted(_) => {
                let w = match *self {
                    Classification::Weighted(w) => at(w, y),
                    _ => T::ONE,
                };
                let scale = w / norm;
                for (k, zk) in z.iter_mut().enumerate() {
                    let hot = if k == y { T::ONE } else { T::ZERO };
                    *zk = (s.p(*zk) - hot) * scale;
                }
                -w * s.ln_p(zy)
            }
            Classification::CostSensitive(c) => {
                let row = cost_row(c, y, z.len());
                let loss = expected_cost(z, &s, row);
                for (zk, &ck) in z.iter_mut().zip(row) {
                    *zk = s.p(*zk) * (ck - loss) / norm;
                }
                loss
            }
        }
    }
}

/// Row `y` of the `k×k` cost matrix (empty if out of range; never after validation).
fn cost_row<T>(c: &[T], y: usize, k: usize) -> &[T] {
    c.chunks_exact(k.max(1)).nth(y).unwrap_or(&[])
}

/// `Σ_k p_k C[y][k]`.
fn expected_cost<T: Real>(z: &[T], s: &Softmax<T>, row: &[T]) -> T {
    z.iter()
        .zip(row)
        .fold(T::ZERO, |acc, (&zk, &ck)| acc + s.p(zk) * ck)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_logits_do_not_overflow() {
        // lse(1000, 0) = 1000 + ln(1 + e⁻¹⁰⁰⁰) = 1000; label 1 → ℓ = 1000.
        let v = Classification::CrossEntropy
            .value(&[1000.0f64, 0.0], &[1], 2)
            .unwrap();
        assert_eq!(v, 1000.0);
        let v32 = Classification::CrossEntropy
            .value(&[100.0f32, 0.0], &[0], 2)
            .unwrap();
        assert!((0.0..1e-30).contains(&v32));
    }

    #[test]
    fn zero_total_weight_is_rejected() {
        let w = [0.0f64, 1.0];
        let mut g = [9.0; 2];
        assert_eq!(
            Classification::Weighted(&w).value_grad(&[0.0, 1.0], &[0], 2, &mut g),
            Err(Error::InvalidParameter)
        );
        assert_eq!(g, [9.0; 2]);
    }
}
