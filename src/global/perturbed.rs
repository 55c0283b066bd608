//! Perturbed gradient descent (Jin, Ge, Netrapalli, Kakade & Jordan, "How to escape saddle
//! points efficiently", ICML 2017, Algorithm 2 "PGD"): gradient descent that, where the
//! gradient is small, adds a random kick from a ball; a strict saddle point is left along its
//! negative-curvature direction, while at a minimum the kick does not lower the loss and the
//! method stops there.
//!
//! ```text
//! t_noise ← −t_thresh − 1
//! for t = 0, 1, …:
//!     if ‖∇f(x)‖ ≤ g_thresh and t − t_noise > t_thresh:
//!         x̃ ← x, t_noise ← t, x ← x̃ + ξ,  ξ uniform in the ball of radius r
//!     if t − t_noise = t_thresh and f(x) − f(x̃) > −f_thresh:
//!         return x̃                                        (an approximate local minimum)
//!     x ← x − η∇f(x)
//! ```
//!
//! The paper sets `g_thresh, r, t_thresh, f_thresh` from the gradient and Hessian Lipschitz
//! constants and the target accuracy; the defaults here are practical values for O(1)
//! landscapes (a kick of 0.01, 100 steps to see it pay off), not the theoretical constants.
//! The method is unconstrained: it takes no box.

use super::{copy, gauss, param, positive, report, Budget, Counting, SearchReport, SearchStop};
use crate::error::{check_finite, Error};
use crate::linalg::norm2;
use crate::objective::{Fixed, SliceObjective};
use crate::random::uniform;
use crate::{Objective, Real};
use rand_core::RngCore;

/// Perturbed gradient descent parameters (names of Jin et al. 2017).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PerturbedConfig<T> {
    /// Limits and target; an iteration is a gradient step.
    pub budget: Budget<T>,
    /// Step size η (finite, > 0; below 1/ℓ for an ℓ-smooth loss). Default 1e-2.
    pub lr: T,
    /// Kick when `‖∇f‖ ≤ g_thresh` (finite, ≥ 0). Default 1e-3.
    pub g_thresh: T,
    /// Kick radius r (finite, > 0). Default 1e-2.
    pub radius: T,
    /// Steps between kicks and to judge a kick (> 0). Default 100.
    pub t_thresh: usize,
    /// Decrease a kick must bring within `t_thresh` steps (finite, ≥ 0). Default 1e-4.
    pub f_thresh: T,
}

impl<T: Real> Default for PerturbedConfig<T> {
    fn default() -> Self {
        PerturbedConfig {
            budget: Budget::default(),
            lr: T::from_f64(1e-2),
            g_thresh: T::from_f64(1e-3),
            radius: T::from_f64(1e-2),
            t_thresh: 100,
            f_thresh: T::from_f64(1e-4),
        }
    }
}

impl<T: Real> PerturbedConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range.
    ///
    /// ```
    /// use lossmap::global::PerturbedConfig;
    /// assert!(PerturbedConfig::<f32>::default().validate().is_ok());
    /// assert!(PerturbedConfig { radius: 0.0, ..PerturbedConfig::<f32>::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        let non_neg = |v: T| v.is_finite() && v >= T::ZERO;
        param(
            positive(self.lr)
                && non_neg(self.g_thresh)
                && positive(self.radius)
                && self.t_thresh > 0
                && non_neg(self.f_thresh),
        )
    }
}

/// Writes a point drawn uniformly from the ball of radius `r` around the origin to `xi`:
/// a normalized Gaussian direction times `r·u^{1/n}`.
fn ball<T: Real, R: RngCore + ?Sized>(rng: &mut R, r: T, xi: &mut [T]) {
    let n = xi.len();
    let mut norm = T::ZERO;
    for _ in 0..4 {
        xi.iter_mut().for_each(|v| *v = gauss(rng));
        norm = norm2(xi);
        if norm > T::ZERO && norm.is_finite() {
            break;
        }
    }
    if !(norm > T::ZERO && norm.is_finite()) {
        xi.iter_mut().for_each(|v| *v = T::ZERO);
        if let Some(v) = xi.first_mut() {
            *v = T::ONE;
        }
        norm = T::ONE;
    }
    // u ∈ (0, 1], so the logarithm is finite.
    let u = T::ONE - uniform::<T, R>(rng);
    let rho = r * (u.ln() / T::from_usize(n.max(1))).exp();
    let s = rho / norm;
    xi.iter_mut().for_each(|v| *v *= s);
}

/// Perturbed gradient descent over slices: the kernel behind [`PerturbedGd`] and the C ABI.
///
/// `x` (length `n`) is the start on entry and the result on return: on
/// [`SearchStop::Converged`] the point before the last kick (`x̃`, an approximate local
/// minimum), otherwise the last iterate. `anchor`, `grad` and `kick` (length `n`) are scratch.
/// [`SearchReport::accepted`] counts the kicks and [`SearchReport::improvements`] those that
/// led to a decrease of at least `f_thresh` (escapes).
///
/// Errors before anything is written: lengths, NaN/±∞ in `x`, an invalid configuration, a
/// non-finite loss or gradient at the start. A kick landing on a non-finite loss is undone. A
/// gradient step reaching a non-finite loss or gradient rolls `x` back to the last finite
/// iterate and returns [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`] (η is too
/// large).
pub fn perturbed_gd_slice<T: Real, O: SliceObjective<T> + ?Sized, R: RngCore + ?Sized>(
    obj: &mut O,
    rng: &mut R,
    cfg: &PerturbedConfig<T>,
    x: &mut [T],
    anchor: &mut [T],
    grad: &mut [T],
    kick: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = x.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    if anchor.len() != n || grad.len() != n || kick.len() != n {
        return Err(Error::LengthMismatch);
    }
    cfg.validate()?;
    check_finite(x)?;
    let mut obj = Counting::new(obj, cfg.budget.max_evals);
    let mut f = obj.value(x);
    if !f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    copy(anchor, x);
    if obj.gradient(anchor, grad).is_err() || check_finite(grad).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    let mut f_anchor = f;
    let mut t_noise: Option<usize> = None;
    let (mut t, mut kicks, mut escapes) = (0usize, 0usize, 0usize);
    let reason = loop {
        if cfg.budget.reached(f) {
            break SearchStop::Target;
        }
        if t >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        let since = t_noise.map(|tn| t.saturating_sub(tn));
        if norm2(grad) <= cfg.g_thresh && since.is_none_or(|s| s > cfg.t_thresh) {
            copy(anchor, x);
            f_anchor = f;
            t_noise = Some(t);
            kicks += 1;
            ball(rng, cfg.radius, kick);
            x.iter_mut().zip(kick.iter()).for_each(|(v, &k)| *v += k);
            let fk = obj.value(x);
            let ok = fk.is_finite() && obj.gradient(x, grad).is_ok() && check_finite(grad).is_ok();
            if ok {
                f = fk;
            } else {
                // Undo the kick; the gradient at the anchor is recomputed.
                copy(x, anchor);
                f = f_anchor;
                if obj.gradient(x, grad).is_err() || check_finite(grad).is_err() {
                    return Err(Error::NonFiniteGradient);
                }
            }
        }
        if let Some(tn) = t_noise {
            if t.saturating_sub(tn) == cfg.t_thresh {
                if f - f_anchor > -cfg.f_thresh {
                    copy(x, anchor);
                    f = f_anchor;
                    break SearchStop::Converged;
                }
                escapes += 1;
            }
        }
        // Gradient step; `kick` keeps the previous iterate for the roll-back.
        copy(kick, x);
        x.iter_mut()
            .zip(grad.iter())
            .for_each(|(v, &g)| *v -= cfg.lr * g);
        t += 1;
        let fx = obj.value(x);
        if !fx.is_finite() {
            copy(x, kick);
            return Err(Error::NonFiniteLoss);
        }
        if obj.gradient(x, grad).is_err() || check_finite(grad).is_err() {
            copy(x, kick);
            return Err(Error::NonFiniteGradient);
        }
        f = fx;
    };
    Ok(report(reason, f, &obj, t, kicks, escapes))
}

/// Perturbed gradient descent in `N` dimensions with its state in fixed arrays.
///
/// ```
/// use lossmap::global::{PerturbedConfig, PerturbedGd, SearchStop};
/// use lossmap::testfn::SixHumpCamel;
/// use rand_core::SeedableRng;
/// // The origin is a saddle of the six-hump camel: the gradient is exactly zero there.
/// let mut x = [0.0f64, 0.0];
/// let mut pgd = PerturbedGd::<f64, 2>::new(PerturbedConfig::default()).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(9);
/// let r = pgd.run(&mut SixHumpCamel, &mut rng, &mut x).unwrap();
/// assert_eq!(r.reason, SearchStop::Converged);
/// assert!((r.best_loss - SixHumpCamel::MIN_VALUE).abs() < 1e-6, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerturbedGd<T, const N: usize> {
    /// Parameters.
    pub config: PerturbedConfig<T>,
    anchor: [T; N],
    grad: [T; N],
    kick: [T; N],
}

impl<T: Real, const N: usize> PerturbedGd<T, N> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0`.
    pub fn new(config: PerturbedConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(PerturbedGd {
            config,
            anchor: [T::ZERO; N],
            grad: [T::ZERO; N],
            kick: [T::ZERO; N],
        })
    }

    /// Runs from `x`, leaving the result in it (see [`perturbed_gd_slice`]).
    pub fn run<O: Objective<T, N> + ?Sized, R: RngCore + ?Sized>(
        &mut self,
        obj: &mut O,
        rng: &mut R,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        perturbed_gd_slice(
            &mut Fixed::<O, N>(obj),
            rng,
            &self.config,
            x,
            &mut self.anchor,
            &mut self.grad,
            &mut self.kick,
        )
    }
}
