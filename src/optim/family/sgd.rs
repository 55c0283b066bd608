//! Stochastic gradient descent with momentum, as `torch.optim.SGD` (PyTorch documentation,
//! "SGD" algorithm box; `maximize` is not offered):
//!
//! ```text
//! g ← g + λθ                         (weight_decay λ)
//! if μ ≠ 0:                          (momentum μ)
//!     b ← g                          at the first step (t = 1)
//!     b ← μb + (1 − τ)g              afterwards         (dampening τ)
//!     g ← g + μb    if nesterov
//!     g ← b         otherwise
//! θ ← θ − γg                         (lr γ)
//! ```
//!
//! Plain SGD is μ = 0, heavy-ball momentum μ > 0. Defaults as torch: γ = 1e-3, μ = 0, τ = 0,
//! λ = 0, nesterov off. Errors as torch raises them (negative momentum or decay; nesterov with
//! μ = 0 or τ ≠ 0), plus γ must be > 0, μ < 1 and τ ∈ [0, 1]. With μ = 0 the momentum buffer
//! is not used and may be empty.
//!
//! The buffer is seeded with `g` only at the first step (t = 1), as torch seeds it when it
//! first creates it. Turning momentum on in the middle of a run (μ changed from 0 to > 0 between
//! steps) therefore starts from the buffer's current contents — zeros from `new`/`reset` or the
//! C init — i.e. `b ← (1 − τ)g` at that step; call `reset` first to get torch's fresh start.

use super::{
    all_finite, flag, lr_methods, non_negative, optional, optional_ref, param, positive, unit,
};
use crate::error::{check_finite, check_len, Error};
use crate::optim::Optimizer;
use crate::Real;

/// SGD hyperparameters (torch.optim names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct SgdConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// Momentum μ ∈ [0, 1); 0 is plain SGD.
    pub momentum: T,
    /// Dampening τ ∈ [0, 1] of the gradient in the momentum buffer.
    pub dampening: T,
    /// L2 weight decay λ ≥ 0 (added to the gradient).
    pub weight_decay: T,
    /// Nesterov momentum: 0 or 1; 1 needs μ > 0 and τ = 0.
    pub nesterov: u8,
}

impl<T: Real> Default for SgdConfig<T> {
    fn default() -> Self {
        SgdConfig {
            lr: T::from_f64(1e-3),
            momentum: T::ZERO,
            dampening: T::ZERO,
            weight_decay: T::ZERO,
            nesterov: 0,
        }
    }
}

impl<T: Real> SgdConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.lr)
                && unit(self.momentum)
                && self.dampening >= T::ZERO
                && self.dampening <= T::ONE
                && non_negative(self.weight_decay)
                && flag(self.nesterov)
                && (self.nesterov == 0 || (self.momentum > T::ZERO && self.dampening == T::ZERO)),
        )
    }
}

/// One SGD step over slices: the kernel behind [`Sgd`], [`SgdView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here); `buf` is the momentum buffer (length n when
/// μ > 0, ignored otherwise). Everything is checked before anything is written.
///
/// ```
/// use lossmap::optim::{sgd_step, SgdConfig};
/// let cfg = SgdConfig { lr: 0.1, momentum: 0.9, ..SgdConfig::default() };
/// let (mut t, mut b, mut x) = (0u32, [0.0f64], [1.0]);
/// sgd_step(&cfg, &mut t, &mut b, &mut x, &[2.0]).unwrap(); // b = g = 2
/// sgd_step(&cfg, &mut t, &mut b, &mut x, &[2.0]).unwrap(); // b = 0.9·2 + 2 = 3.8
/// assert!((x[0] - (1.0 - 0.2 - 0.38)).abs() < 1e-15 && t == 2);
/// ```
pub fn sgd_step<T: Real>(
    cfg: &SgdConfig<T>,
    t: &mut u32,
    buf: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    let heavy = cfg.momentum > T::ZERO;
    if heavy {
        check_len(buf.len(), n)?;
    }
    cfg.validate()?;
    check_finite(x)?;
    check_finite(g)?;
    let wd = cfg.weight_decay;
    if x.iter()
        .zip(g)
        .any(|(&xi, &gi)| !(gi + wd * xi).is_finite())
    {
        return Err(Error::NonFiniteGradient);
    }
    let (mu, damp) = (cfg.momentum, T::ONE - cfg.dampening);
    let first = *t == 0;
    // An absent buffer reads as zero and is never written.
    let upd = |xi: T, bi: T, gi: T| {
        let d = gi + wd * xi;
        if heavy {
            let b = if first { d } else { mu * bi + damp * d };
            let step = if cfg.nesterov != 0 { d + mu * b } else { b };
            (xi - cfg.lr * step, b)
        } else {
            (xi - cfg.lr * d, bi)
        }
    };
    // Nothing is written unless every new value is finite (a huge x with a large rate could
    // otherwise overflow).
    if !x
        .iter()
        .zip(optional_ref(buf, heavy))
        .zip(g)
        .all(|((&xi, bi), &gi)| all_finite(<[T; 2]>::from(upd(xi, bi, gi))))
    {
        return Err(Error::NonFiniteGradient);
    }
    for ((xi, bi), &gi) in x.iter_mut().zip(optional(buf, heavy)).zip(g) {
        let old = bi.as_deref().copied().unwrap_or(T::ZERO);
        let (xn, bn) = upd(*xi, old, gi);
        *xi = xn;
        if let Some(b) = bi {
            *b = bn;
        }
    }
    *t = t.saturating_add(1);
    Ok(())
}

/// SGD with its momentum buffer in a fixed-size array.
///
/// ```
/// use lossmap::optim::{Optimizer, Sgd, SgdConfig};
/// let mut sgd = Sgd::<f32, 2>::new(SgdConfig { lr: 0.5, ..SgdConfig::default() }).unwrap();
/// let mut x = [1.0f32, -1.0];
/// sgd.step(&mut x, &[1.0, -1.0]).unwrap();
/// assert_eq!(x, [0.5, -0.5]);
/// let nesterov_without_momentum = SgdConfig { nesterov: 1, ..SgdConfig::<f32>::default() };
/// assert!(Sgd::<f32, 2>::new(nesterov_without_momentum).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sgd<T, const N: usize> {
    /// Hyperparameters.
    pub config: SgdConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// Momentum buffer b.
    pub buf: [T; N],
}

impl<T: Real, const N: usize> Sgd<T, N> {
    /// A fresh optimizer; [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: SgdConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(Sgd {
            config,
            t: 0,
            buf: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for Sgd<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        sgd_step(&self.config, &mut self.t, &mut self.buf, x, g)
    }
    fn reset(&mut self) {
        self.t = 0;
        self.buf = [T::ZERO; N];
    }
    lr_methods!();
}

/// SGD over a borrowed momentum buffer (empty when μ = 0; the C instance struct's view).
#[derive(Debug)]
pub struct SgdView<'a, T> {
    /// Hyperparameters.
    pub config: SgdConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// Momentum buffer, length n (or empty when μ = 0).
    pub buf: &'a mut [T],
}

impl<T: Real> Optimizer<T> for SgdView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        sgd_step(&self.config, self.t, self.buf, x, g)
    }
    fn reset(&mut self) {
        *self.t = 0;
        self.buf.iter_mut().for_each(|a| *a = T::ZERO);
    }
    lr_methods!();
}
