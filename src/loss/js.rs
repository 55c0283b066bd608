//! The Jensen–Shannon divergence and a smoothness penalty between the predicted distributions
//! of consecutive samples (J. Lin, "Divergence measures based on the Shannon entropy", *IEEE
//! Trans. Inf. Theory* 37(1), 1991), natural logarithm, `0·ln 0 = 0`:
//!
//! ```text
//! JS(p‖q) = ½ KL(p‖m) + ½ KL(q‖m),   m = (p + q)/2,   KL(p‖m) = Σ_k p_k ln(p_k/m_k)
//! S(z)    = λ Σ_{i=1}^{m−1} JS(softmax(zᵢ) ‖ softmax(zᵢ₊₁))
//! ```
//!
//! `0 ≤ JS ≤ ln 2`. The penalty is defined on *logits*, the distributions being their
//! softmax, so it composes with [`SoftmaxLinear`] (its predictions on consecutive samples, e.g.
//! a time series) and stays differentiable where a probability is 0. With `p = softmax(zᵢ)`
//! and `q = softmax(zᵢ₊₁)`, `∂JS/∂p_j = ½ ln(p_j/m_j)` and through the softmax Jacobian
//!
//! ```text
//! ∂JS/∂z_{i,j}   = ½ p_j (ln(p_j/m_j) − KL(p‖m))
//! ∂JS/∂z_{i+1,j} = ½ q_j (ln(q_j/m_j) − KL(q‖m))
//! ```
//!
//! with `p_j ln(p_j/m_j) = 0` when `p_j = 0` (its limit). For distributions given directly use
//! [`js_divergence`] (value only: at a zero probability the derivative with respect to the
//! probabilities is infinite).

use super::classification::Softmax;
use super::model::{row, SoftmaxLinear};
use crate::error::{check_finite, check_len, Error};
use crate::{Objective, Real};

/// `p ln(p/m)`, 0 when `p = 0` (then also when `m = 0`).
#[inline]
fn plogp<T: Real>(p: T, m: T) -> T {
    if p > T::ZERO {
        p * (p / m).ln()
    } else {
        T::ZERO
    }
}

/// Jensen–Shannon divergence (nats) between the probability vectors `p` and `q`, with
/// `0·ln 0 = 0`.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFiniteInput`];
/// [`Error::InvalidParameter`] for a negative entry or a vector whose sum differs from 1 by
/// more than `len·√ε`.
///
/// ```
/// use lossmap::loss::js_divergence;
/// // Disjoint supports: the maximum, ln 2.
/// let v = js_divergence(&[1.0f64, 0.0], &[0.0, 1.0]).unwrap();
/// assert!((v - core::f64::consts::LN_2).abs() < 1e-15);
/// assert_eq!(js_divergence(&[0.3f64, 0.7], &[0.3, 0.7]), Ok(0.0));
/// ```
pub fn js_divergence<T: Real>(p: &[T], q: &[T]) -> Result<T, Error> {
    check_len(q.len(), p.len())?;
    check_finite(p)?;
    check_finite(q)?;
    let tol = T::from_usize(p.len()) * T::EPSILON_R.sqrt();
    for v in [p, q] {
        let sum = v.iter().fold(T::ZERO, |s, &x| s + x);
        if v.iter().any(|&x| x < T::ZERO) || (sum - T::ONE).abs() > tol {
            return Err(Error::InvalidParameter);
        }
    }
    let (kp, kq) = p
        .iter()
        .zip(q)
        .fold((T::ZERO, T::ZERO), |(a, b), (&pj, &qj)| {
            let m = T::HALF * (pj + qj);
            (a + plogp(pj, m), b + plogp(qj, m))
        });
    Ok(T::HALF * (kp + kq))
}

/// `(KL(p‖m), KL(q‖m))` for the softmaxes of two logit rows.
fn pair_kl<T: Real>(zp: &[T], sp: &Softmax<T>, zq: &[T], sq: &Softmax<T>) -> (T, T) {
    zp.iter()
        .zip(zq)
        .fold((T::ZERO, T::ZERO), |(a, b), (&u, &v)| {
            let (p, q) = (sp.p(u), sq.p(v));
            let m = T::HALF * (p + q);
            (a + plogp(p, m), b + plogp(q, m))
        })
}

/// `(∂JS/∂z_p[j], ∂JS/∂z_q[j])` for one class `j`, given the two KL terms.
#[inline]
fn pair_grad<T: Real>(u: T, sp: &Softmax<T>, v: T, sq: &Softmax<T>, kl: (T, T)) -> (T, T) {
    let (p, q) = (sp.p(u), sq.p(v));
    let m = T::HALF * (p + q);
    (
        T::HALF * (plogp(p, m) - p * kl.0),
        T::HALF * (plogp(q, m) - q * kl.1),
    )
}

fn check_lambda<T: Real>(lambda: T) -> Result<(), Error> {
    if lambda.is_finite() && lambda > T::ZERO {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// The smoothness penalty `λ Σᵢ JS(softmax(zᵢ) ‖ softmax(zᵢ₊₁))` over the rows of `logits`
/// (`m×k` row-major), with its gradient with respect to the logits written to `grad` (`m×k`)
/// when given. One row gives 0.
///
/// Errors (nothing written): [`Error::Empty`] for `k = 0` or no rows;
/// [`Error::LengthMismatch`] if `logits.len()` is not a multiple of `k` or `grad` differs;
/// [`Error::NonFiniteInput`]; [`Error::InvalidParameter`] unless λ is finite and > 0.
///
/// ```
/// use lossmap::loss::js_smoothness;
/// // Rows (0, 0) and (ln 3, 0): p = (½, ½), q = (¾, ¼), m = (⅝, ⅜);
/// // JS = ½[½ln(4/5) + ½ln(4/3)] + ½[¾ln(6/5) + ¼ln(2/3)].
/// let z = [0.0f64, 0.0, 3.0f64.ln(), 0.0];
/// let want = 0.5 * (0.5 * (0.8f64).ln() + 0.5 * (4.0f64 / 3.0).ln())
///     + 0.5 * (0.75 * (1.2f64).ln() + 0.25 * (2.0f64 / 3.0).ln());
/// let mut g = [0.0; 4];
/// let v = js_smoothness(&z, 2, 1.0, Some(&mut g)).unwrap();
/// assert!((v - want).abs() < 1e-15);
/// // Each row's gradient sums to 0 (softmax is shift-invariant).
/// assert!((g[0] + g[1]).abs() < 1e-16 && (g[2] + g[3]).abs() < 1e-16);
/// ```
pub fn js_smoothness<T: Real>(
    logits: &[T],
    k: usize,
    lambda: T,
    mut grad: Option<&mut [T]>,
) -> Result<T, Error> {
    if k == 0 || logits.is_empty() {
        return Err(Error::Empty);
    }
    if !logits.len().is_multiple_of(k.max(1)) {
        return Err(Error::LengthMismatch);
    }
    check_finite(logits)?;
    check_lambda(lambda)?;
    if let Some(g) = grad.as_deref_mut() {
        check_len(g.len(), logits.len())?;
        g.iter_mut().for_each(|v| *v = T::ZERO);
    }
    let mut sum = T::ZERO;
    for i in 1..logits.len() / k.max(1) {
        let (Some(zp), Some(zq)) = (row(logits, k, i - 1), row(logits, k, i)) else {
            break;
        };
        let (sp, sq) = (Softmax::of(zp), Softmax::of(zq));
        let kl = pair_kl(zp, &sp, zq, &sq);
        sum += T::HALF * (kl.0 + kl.1);
        let Some(g) = grad.as_deref_mut() else {
            continue;
        };
        let Some((left, right)) = g.split_at_mut_checked(i * k) else {
            continue;
        };
        let (gp, gq) = (left.get_mut((i - 1) * k..).unwrap_or(&mut []), right);
        for (((a, b), &u), &v) in gp.iter_mut().zip(gq.iter_mut()).zip(zp).zip(zq) {
            let (du, dv) = pair_grad(u, &sp, v, &sq, kl);
            *a += lambda * du;
            *b += lambda * dv;
        }
    }
    Ok(lambda * sum)
}

impl SoftmaxLinear {
    /// The smoothness penalty [`js_smoothness`] on the model's predictions for the consecutive
    /// samples of `x` (`m×d` row-major, `m ≥ 1`), with its gradient with respect to `theta`
    /// written to `grad` when given. `work` (length ≥ `2K`) is scratch for two logit rows.
    ///
    /// Errors (nothing written but `work`): [`Error::Empty`] for no samples;
    /// [`Error::LengthMismatch`] for `theta`, `x`, `work` or `grad`; [`Error::NonFiniteInput`]
    /// for NaN/Inf in `theta` or `x`; [`Error::InvalidParameter`] for a bad λ.
    pub fn js_smoothness<T: Real>(
        &self,
        lambda: T,
        theta: &[T],
        x: &[T],
        work: &mut [T],
        mut grad: Option<&mut [T]>,
    ) -> Result<T, Error> {
        let d = self.features();
        if x.is_empty() {
            return Err(Error::Empty);
        }
        if !x.len().is_multiple_of(d.max(1)) {
            return Err(Error::LengthMismatch);
        }
        check_len(theta.len(), self.params())?;
        check_finite(x)?;
        check_finite(theta)?;
        check_lambda(lambda)?;
        let k = self.classes();
        let (mut za, rest) = work.split_at_mut_checked(k).ok_or(Error::LengthMismatch)?;
        let mut zb = rest.get_mut(..k).ok_or(Error::LengthMismatch)?;
        if let Some(g) = grad.as_deref_mut() {
            check_len(g.len(), self.params())?;
            g.iter_mut().for_each(|v| *v = T::ZERO);
        }
        let mut sum = T::ZERO;
        if let Some(x0) = row(x, d, 0) {
            self.logits_unchecked(theta, x0, za);
        }
        for i in 1..x.len() / d.max(1) {
            let (Some(xp), Some(xq)) = (row(x, d, i - 1), row(x, d, i)) else {
                break;
            };
            self.logits_unchecked(theta, xq, zb);
            let (sp, sq) = (Softmax::of(za), Softmax::of(zb));
            let kl = pair_kl(za, &sp, zb, &sq);
            sum += T::HALF * (kl.0 + kl.1);
            if let Some(g) = grad.as_deref_mut() {
                let one = T::ONE;
                let classes =
                    crate::linalg::rows_mut(g, d.saturating_add(1)).zip(za.iter().zip(zb.iter()));
                for (grow, (&u, &v)) in classes {
                    let (du, dv) = pair_grad(u, &sp, v, &sq, kl);
                    let (du, dv) = (lambda * du, lambda * dv);
                    let feats = xp.iter().zip(xq).chain(core::iter::once((&one, &one)));
                    grow.iter_mut()
                        .zip(feats)
                        .for_each(|(gj, (&a, &b))| *gj += du * a + dv * b);
                }
            }
            core::mem::swap(&mut za, &mut zb);
        }
        super::model::finish(lambda * sum, grad.as_deref())
    }
}

/// The smoothness penalty as an [`Objective`] over the softmax-linear parameters: the model
/// and the consecutive samples `x` are bound at construction.
///
/// ```
/// use lossmap::loss::{JsSmoothness, SoftmaxLinear};
/// use lossmap::Objective;
/// let model = SoftmaxLinear::new(1, 2).unwrap();
/// let x = [0.0f64, 1.0, 2.0];
/// let mut s = JsSmoothness::<f64, 4>::new(model, &x, 0.1).unwrap();
/// // Equal weights for both classes: every prediction is (½, ½), nothing to smooth.
/// assert_eq!(s.value(&[1.0, 0.0, 1.0, 0.0]), 0.0);
/// assert!(s.value(&[1.0, 0.0, -1.0, 0.0]) > 0.0);
/// assert!(JsSmoothness::<f64, 5>::new(model, &x, 0.1).is_err()); // N ≠ K(d + 1)
/// ```
#[derive(Debug, Clone, Copy)]
pub struct JsSmoothness<'a, T, const N: usize> {
    model: SoftmaxLinear,
    x: &'a [T],
    lambda: T,
}

impl<'a, T: Real, const N: usize> JsSmoothness<'a, T, N> {
    /// Binds `model` (which must have `N = K(d + 1)` parameters, else
    /// [`Error::LengthMismatch`]), the samples `x` (`m×d`, finite, `m ≥ 1`) and λ > 0.
    pub fn new(model: SoftmaxLinear, x: &'a [T], lambda: T) -> Result<Self, Error> {
        if model.params() != N {
            return Err(Error::LengthMismatch);
        }
        let d = model.features();
        if x.is_empty() {
            return Err(Error::Empty);
        }
        if !x.len().is_multiple_of(d.max(1)) {
            return Err(Error::LengthMismatch);
        }
        check_finite(x)?;
        check_lambda(lambda)?;
        Ok(JsSmoothness { model, x, lambda })
    }

    fn eval(&self, theta: &[T; N], grad: Option<&mut [T; N]>) -> Result<T, Error> {
        // N = K(d + 1) ≥ 2K because d ≥ 1: room for two logit rows.
        let mut work = [T::ZERO; N];
        let g = grad.map(|g| g.as_mut_slice());
        self.model
            .js_smoothness(self.lambda, theta, self.x, &mut work, g)
    }
}

impl<T: Real, const N: usize> Objective<T, N> for JsSmoothness<'_, T, N> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underflowed_probabilities_follow_zero_log_zero() {
        // Row 0 puts all mass on class 0 (p₁ = e⁻²⁰⁰⁰ underflows to 0); row 1 is uniform.
        let z = [2000.0f64, 0.0, 0.0, 0.0];
        let mut g = [0.0; 4];
        let v = js_smoothness(&z, 2, 1.0, Some(&mut g)).unwrap();
        // JS((1, 0), (½, ½)) = ½·ln(1/¾) + ½·[½ln(⅔) + ½ln(2)].
        let want = 0.5 * (4.0f64 / 3.0).ln() + 0.25 * ((2.0f64 / 3.0).ln() + 2.0f64.ln());
        assert!((v - want).abs() < 1e-15, "{v} vs {want}");
        assert!(g.iter().all(|v| v.is_finite()));
        assert_eq!(g[1], 0.0);
    }
}
