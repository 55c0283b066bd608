//! RMSProp (Hinton, *Neural Networks for Machine Learning*, lecture 6e; centered variant of
//! Graves 2013), as `torch.optim.RMSprop` (PyTorch documentation, "RMSprop" algorithm box;
//! `maximize` is not offered):
//!
//! ```text
//! g ← g + λθ                          (weight_decay λ)
//! v ← αv + (1 − α)g²                  (alpha α)
//! ṽ ← v
//! if centered:
//!     ḡ ← αḡ + (1 − α)g
//!     ṽ ← v − ḡ²
//! if μ > 0:                           (momentum μ)
//!     b ← μb + g / (√ṽ + ε)
//!     θ ← θ − γb
//! else:
//!     θ ← θ − γ · g / (√ṽ + ε)
//! ```
//!
//! with v, ḡ and b starting at 0, in the operation order of torch's single-tensor
//! implementation. Defaults as torch: γ = 1e-2, α = 0.99, ε = 1e-8, λ = 0, μ = 0, not centered.
//! Deviations: ε must be > 0 and α, μ must lie in [0, 1); the centered ṽ is clamped at 0
//! (v ≥ ḡ² holds exactly, so this only catches rounding, where torch would take √ of a
//! negative number and return NaN).

use super::{
    all_finite, check_square, fill, flag, lr_methods, non_negative, optional, optional_ref, param,
    positive, unit,
};
use crate::error::{check_finite, check_len, Error};
use crate::optim::Optimizer;
use crate::Real;

/// RMSProp hyperparameters (torch.optim names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct RmsPropConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// Smoothing constant α ∈ [0, 1) of the squared-gradient average.
    pub alpha: T,
    /// Denominator offset ε > 0.
    pub eps: T,
    /// L2 weight decay λ ≥ 0 (added to the gradient).
    pub weight_decay: T,
    /// Momentum μ ∈ [0, 1); 0 turns the momentum buffer off.
    pub momentum: T,
    /// Centered RMSProp (normalize by the estimated variance): 0 or 1.
    pub centered: u8,
}

impl<T: Real> Default for RmsPropConfig<T> {
    fn default() -> Self {
        RmsPropConfig {
            lr: T::from_f64(1e-2),
            alpha: T::from_f64(0.99),
            eps: T::from_f64(1e-8),
            weight_decay: T::ZERO,
            momentum: T::ZERO,
            centered: 0,
        }
    }
}

impl<T: Real> RmsPropConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.lr)
                && unit(self.alpha)
                && positive(self.eps)
                && non_negative(self.weight_decay)
                && unit(self.momentum)
                && flag(self.centered),
        )
    }
}

/// One RMSProp step over slices: the kernel behind [`RmsProp`], [`RmsPropView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here); `v` is the squared-gradient average (length
/// n), `grad_avg` the gradient average (length n when centered, else ignored and may be
/// empty), `buf` the momentum buffer (length n when μ > 0, else ignored and may be empty).
/// Everything is checked before anything is written, including that `(g + λθ)²` is finite.
///
/// ```
/// use lossmap::optim::{rmsprop_step, RmsPropConfig};
/// let cfg = RmsPropConfig { lr: 0.1, alpha: 0.75, ..RmsPropConfig::default() };
/// let (mut t, mut v, mut x) = (0u32, [0.0f64], [1.0]);
/// rmsprop_step(&cfg, &mut t, &mut v, &mut [], &mut [], &mut x, &[2.0]).unwrap();
/// // v = 0.25 · 4 = 1, step = 0.1 · 2 / (1 + 1e-8)
/// assert!((x[0] - 0.8).abs() < 1e-8 && v[0] == 1.0);
/// ```
pub fn rmsprop_step<T: Real>(
    cfg: &RmsPropConfig<T>,
    t: &mut u32,
    v: &mut [T],
    grad_avg: &mut [T],
    buf: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    check_len(v.len(), n)?;
    let centered = cfg.centered != 0;
    let heavy = cfg.momentum > T::ZERO;
    if centered {
        check_len(grad_avg.len(), n)?;
    }
    if heavy {
        check_len(buf.len(), n)?;
    }
    cfg.validate()?;
    check_finite(x)?;
    check_finite(g)?;
    check_square(x, g, cfg.weight_decay)?;
    let (alpha, one_m_alpha, wd) = (cfg.alpha, T::ONE - cfg.alpha, cfg.weight_decay);
    // Absent buffers read as zero and are never written.
    let upd = |xi: T, vi: T, ai: T, bi: T, gi: T| {
        let d = gi + wd * xi;
        let v = alpha * vi + one_m_alpha * d * d;
        let (a, var) = if centered {
            let a = alpha * ai + one_m_alpha * d;
            let c = v - a * a;
            (a, if c > T::ZERO { c } else { T::ZERO })
        } else {
            (ai, v)
        };
        let avg = var.sqrt() + cfg.eps;
        if heavy {
            let b = cfg.momentum * bi + d / avg;
            (xi - cfg.lr * b, v, a, b)
        } else {
            (xi - cfg.lr * (d / avg), v, a, bi)
        }
    };
    // Nothing is written unless every new value is finite.
    let ga = optional_ref(grad_avg, centered);
    let bb = optional_ref(buf, heavy);
    if !x
        .iter()
        .zip(v.iter())
        .zip(ga)
        .zip(bb)
        .zip(g)
        .all(|((((&xi, &vi), ai), bi), &gi)| all_finite(<[T; 4]>::from(upd(xi, vi, ai, bi, gi))))
    {
        return Err(Error::NonFiniteGradient);
    }
    let ga = optional(grad_avg, centered);
    let bb = optional(buf, heavy);
    for ((((xi, vi), gai), bi), &gi) in x.iter_mut().zip(v.iter_mut()).zip(ga).zip(bb).zip(g) {
        let a0 = gai.as_deref().copied().unwrap_or(T::ZERO);
        let b0 = bi.as_deref().copied().unwrap_or(T::ZERO);
        let (xn, vn, an, bn) = upd(*xi, *vi, a0, b0, gi);
        (*xi, *vi) = (xn, vn);
        if let Some(a) = gai {
            *a = an;
        }
        if let Some(b) = bi {
            *b = bn;
        }
    }
    *t = t.saturating_add(1);
    Ok(())
}

/// RMSProp with its buffers in fixed-size arrays.
///
/// ```
/// use lossmap::optim::{Optimizer, RmsProp, RmsPropConfig};
/// let cfg = RmsPropConfig { centered: 1, momentum: 0.5, ..RmsPropConfig::default() };
/// let mut opt = RmsProp::<f32, 2>::new(cfg).unwrap();
/// let mut x = [1.0f32, -1.0];
/// opt.step(&mut x, &[0.5, -0.5]).unwrap();
/// assert!(x[0] < 1.0 && x[1] > -1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RmsProp<T, const N: usize> {
    /// Hyperparameters.
    pub config: RmsPropConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// Squared-gradient average v.
    pub v: [T; N],
    /// Gradient average ḡ (centered only).
    pub grad_avg: [T; N],
    /// Momentum buffer b (μ > 0 only).
    pub buf: [T; N],
}

impl<T: Real, const N: usize> RmsProp<T, N> {
    /// A fresh optimizer; [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: RmsPropConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(RmsProp {
            config,
            t: 0,
            v: [T::ZERO; N],
            grad_avg: [T::ZERO; N],
            buf: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for RmsProp<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        let c = &self.config;
        rmsprop_step(
            c,
            &mut self.t,
            &mut self.v,
            &mut self.grad_avg,
            &mut self.buf,
            x,
            g,
        )
    }
    fn reset(&mut self) {
        self.t = 0;
        fill(
            &mut [&mut self.v, &mut self.grad_avg, &mut self.buf],
            T::ZERO,
        );
    }
    lr_methods!();
}

/// RMSProp over borrowed buffers (the C instance struct's view); `grad_avg` and `buf` may be
/// empty when not centered / μ = 0.
#[derive(Debug)]
pub struct RmsPropView<'a, T> {
    /// Hyperparameters.
    pub config: RmsPropConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// Squared-gradient average, length n.
    pub v: &'a mut [T],
    /// Gradient average, length n (or empty when not centered).
    pub grad_avg: &'a mut [T],
    /// Momentum buffer, length n (or empty when μ = 0).
    pub buf: &'a mut [T],
}

impl<T: Real> Optimizer<T> for RmsPropView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        rmsprop_step(&self.config, self.t, self.v, self.grad_avg, self.buf, x, g)
    }
    fn reset(&mut self) {
        *self.t = 0;
        fill(
            &mut [&mut *self.v, &mut *self.grad_avg, &mut *self.buf],
            T::ZERO,
        );
    }
    lr_methods!();
}
