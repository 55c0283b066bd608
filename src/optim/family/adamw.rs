//! AdamW (Loshchilov & Hutter, *Decoupled Weight Decay Regularization*, ICLR 2019) and
//! AMSGrad (Reddi, Kale & Kumar, ICLR 2018), as `torch.optim.AdamW(amsgrad=...)` (PyTorch
//! documentation, "AdamW" algorithm box; `maximize` is not offered):
//!
//! ```text
//! θ ← θ − γλθ                          (decoupled weight_decay λ, before the Adam step;
//!                                       computed as torch does: θ ← θ · (1 − γλ))
//! m ← β₁m + (1 − β₁)g
//! v ← β₂v + (1 − β₂)g²
//! if amsgrad: v_max ← max(v_max, v)    (on the raw second moment), and v_max replaces v below
//! θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
//! ```
//!
//! with `t` counted from 1, the factor 1 − γλ computed as torch does (in f64, Python floats,
//! where the target has an f64 FPU) and the bias corrections from the same cache as
//! [`adam_step`](crate::optim::adam_step)'s ([`AdamBias`](crate::optim::AdamBias): running
//! products of β, in fixed point for f32 on cores without an f64 FPU). With `decoupled = 0` the decay is the L2 penalty of
//! [`Adam`](crate::optim::Adam) instead (g ← g + λθ), so this type is also
//! `torch.optim.Adam(amsgrad=True)`; both share one kernel. Defaults as torch.optim.AdamW: γ = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 1e-2,
//! amsgrad off. Deviation: ε must be > 0.

use super::{fill, flag, lr_methods, non_negative, param, positive, unit};
use crate::error::{check_len, Error};
use crate::optim::adam_kernel::{adam_kernel, check_bias, AdamBias, AdamRule};
use crate::optim::guard::{all_finite, valid_second};
use crate::optim::Optimizer;
use crate::Real;

/// AdamW / AMSGrad hyperparameters (torch.optim names and AdamW's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AdamWConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// First-moment decay β₁ ∈ [0, 1).
    pub beta1: T,
    /// Second-moment decay β₂ ∈ [0, 1).
    pub beta2: T,
    /// Denominator offset ε > 0.
    pub eps: T,
    /// Weight decay λ ≥ 0 (decoupled when `decoupled = 1`, else an L2 term in the gradient).
    pub weight_decay: T,
    /// AMSGrad (denominator from the running maximum of v): 0 or 1.
    pub amsgrad: u8,
    /// Decoupled decay θ ← θ(1 − γλ) (AdamW, 1, the default) or L2 g ← g + λθ (Adam, 0).
    pub decoupled: u8,
    /// Maximize instead of minimize (torch's `maximize`): 0 (default) or 1; 1 negates the
    /// gradient. The negation is folded into the rate and the decay term (no per-element cost,
    /// the same new θ bit for bit); the state linear in the gradient (momentum buffer, gradient
    /// average, first moment) then holds the negatives of torch's.
    pub maximize: u8,
}

impl<T: Real> Default for AdamWConfig<T> {
    fn default() -> Self {
        AdamWConfig {
            lr: T::from_f64(1e-3),
            beta1: T::from_f64(0.9),
            beta2: T::from_f64(0.999),
            eps: T::from_f64(1e-8),
            weight_decay: T::from_f64(1e-2),
            amsgrad: 0,
            decoupled: 1,
            maximize: 0,
        }
    }
}

impl<T: Real> AdamWConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.lr)
                && unit(self.beta1)
                && unit(self.beta2)
                && positive(self.eps)
                && non_negative(self.weight_decay)
                && flag(self.amsgrad)
                && flag(self.decoupled)
                && flag(self.maximize),
        )
    }
}

/// One AdamW / AMSGrad step over slices: the kernel behind [`AdamW`], [`AdamWView`] and the C
/// ABI.
///
/// `t` counts the steps taken (incremented here), `bias` is the bias corrections' cache (start
/// from [`AdamBias::EMPTY`]); `m`, `v` are the moments (length n),
/// `v_max` the running maximum of v (length n with AMSGrad, else ignored and may be empty).
/// Everything is checked before anything is written, as in [`adam_step`](crate::optim::adam_step)
/// (whose kernel this is): `v_max` must also be finite and ≥ 0.
///
/// ```
/// use lossmap::optim::{adamw_step, AdamBias, AdamWConfig};
/// let cfg = AdamWConfig { lr: 0.1, weight_decay: 0.5, ..AdamWConfig::default() };
/// let (mut t, mut m, mut v, mut x) = (0u32, [0.0f64], [0.0], [1.0]);
/// let mut bias = AdamBias::EMPTY;
/// adamw_step(&cfg, &mut t, &mut bias, &mut m, &mut v, &mut [], &mut x, &[2.0]).unwrap();
/// // θ ← 1 · (1 − 0.05) = 0.95, then the Adam step of ≈ lr · sign(g).
/// assert!((x[0] - 0.85).abs() < 1e-7 && t == 1);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn adamw_step<T: Real>(
    cfg: &AdamWConfig<T>,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    v_max: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    check_len(m.len(), n)?;
    check_len(v.len(), n)?;
    let ams = cfg.amsgrad != 0;
    if ams {
        check_len(v_max.len(), n)?;
    }
    cfg.validate()?;
    let rule = AdamRule {
        lr: cfg.lr,
        beta1: cfg.beta1,
        beta2: cfg.beta2,
        eps: cfg.eps,
        weight_decay: cfg.weight_decay,
        decoupled: cfg.decoupled != 0,
        amsgrad: ams,
        maximize: cfg.maximize != 0,
    };
    adam_kernel(&rule, t, bias, m, v, v_max, x, g)
}

/// AdamW / AMSGrad with its state in fixed-size arrays.
///
/// ```
/// use lossmap::optim::{AdamW, AdamWConfig, Optimizer};
/// let mut opt = AdamW::<f32, 2>::new(AdamWConfig { amsgrad: 1, ..AdamWConfig::default() }).unwrap();
/// let mut x = [1.0f32, -1.0];
/// opt.step(&mut x, &[0.5, -0.5]).unwrap();
/// assert!((x[0] - (0.99999 - 0.001)).abs() < 1e-6);
/// assert!(AdamW::<f32, 2>::new(AdamWConfig { amsgrad: 2, ..AdamWConfig::default() }).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AdamW<T, const N: usize> {
    /// Hyperparameters.
    pub config: AdamWConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// The bias corrections' cache ([`AdamBias::EMPTY`] when fresh or reset).
    pub bias: AdamBias<T>,
    /// First moment.
    pub m: [T; N],
    /// Second moment.
    pub v: [T; N],
    /// Running maximum of the second moment (AMSGrad only).
    pub v_max: [T; N],
}

impl<T: Real, const N: usize> AdamW<T, N> {
    /// A fresh optimizer; [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: AdamWConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(AdamW {
            config,
            t: 0,
            bias: AdamBias::EMPTY,
            m: [T::ZERO; N],
            v: [T::ZERO; N],
            v_max: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for AdamW<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        let c = &self.config;
        adamw_step(
            c,
            &mut self.t,
            &mut self.bias,
            &mut self.m,
            &mut self.v,
            &mut self.v_max,
            x,
            g,
        )
    }
    fn reset(&mut self) {
        self.t = 0;
        self.bias = AdamBias::EMPTY;
        fill(&mut [&mut self.m, &mut self.v, &mut self.v_max], T::ZERO);
    }
    lr_methods!(beta1, params: |s: &Self| {
        check_bias(&s.bias, s.t, s.config.beta1, s.config.beta2)
    }, state: |s: &Self| {
        all_finite(&s.m[..])
            && valid_second(&s.v[..])
            && (s.config.amsgrad == 0 || valid_second(&s.v_max[..]))
    });
}

/// AdamW / AMSGrad over borrowed buffers (the C instance struct's view); `v_max` may be empty
/// without AMSGrad.
#[derive(Debug)]
pub struct AdamWView<'a, T> {
    /// Hyperparameters.
    pub config: AdamWConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// The bias corrections' cache.
    pub bias: &'a mut AdamBias<T>,
    /// First moment, length n.
    pub m: &'a mut [T],
    /// Second moment, length n.
    pub v: &'a mut [T],
    /// Running maximum of v, length n (or empty without AMSGrad).
    pub v_max: &'a mut [T],
}

impl<T: Real> Optimizer<T> for AdamWView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adamw_step(
            &self.config,
            self.t,
            self.bias,
            self.m,
            self.v,
            self.v_max,
            x,
            g,
        )
    }
    fn reset(&mut self) {
        *self.t = 0;
        *self.bias = AdamBias::EMPTY;
        fill(&mut [&mut *self.m, &mut *self.v, &mut *self.v_max], T::ZERO);
    }
    lr_methods!(beta1, params: |s: &Self| {
        check_bias(s.bias, *s.t, s.config.beta1, s.config.beta2)
    }, state: |s: &Self| {
        all_finite(&s.m[..])
            && valid_second(&s.v[..])
            && (s.config.amsgrad == 0 || valid_second(&s.v_max[..]))
    });
}
