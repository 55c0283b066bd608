//! Adam (Kingma & Ba, *Adam: A Method for Stochastic Optimization*, ICLR 2015), with the
//! conventions of `torch.optim.Adam` (PyTorch documentation, "Adam" algorithm box):
//!
//! ```text
//! g ← g + λθ                        (weight_decay λ, L2 penalty folded into the gradient)
//! m ← β₁m + (1 − β₁)g
//! v ← β₂v + (1 − β₂)g²
//! θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
//! ```
//!
//! with `t` counted from 1 at the first step and ε added *outside* the square root, in the
//! operation order of torch's implementation (`denom = √v/√bc₂ + ε`, `step = γ/bc₁`).
//! Defaults as torch: γ = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0. One deviation: ε must be
//! > 0 (torch accepts 0, which yields 0/0 on a zero gradient).

use super::Optimizer;
use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// Adam hyperparameters (torch.optim names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AdamConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// First-moment decay β₁ ∈ [0, 1).
    pub beta1: T,
    /// Second-moment decay β₂ ∈ [0, 1).
    pub beta2: T,
    /// Denominator offset ε > 0.
    pub eps: T,
    /// L2 weight decay λ ≥ 0 (added to the gradient, torch's `weight_decay`).
    pub weight_decay: T,
}

impl<T: Real> Default for AdamConfig<T> {
    fn default() -> Self {
        AdamConfig {
            lr: T::from_f64(1e-3),
            beta1: T::from_f64(0.9),
            beta2: T::from_f64(0.999),
            eps: T::from_f64(1e-8),
            weight_decay: T::ZERO,
        }
    }
}

impl<T: Real> AdamConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        let unit = |b: T| b >= T::ZERO && b < T::ONE;
        let ok = self.lr.is_finite()
            && self.lr > T::ZERO
            && unit(self.beta1)
            && unit(self.beta2)
            && self.eps.is_finite()
            && self.eps > T::ZERO
            && self.weight_decay.is_finite()
            && self.weight_decay >= T::ZERO;
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// One Adam step over slices: the kernel behind [`Adam`], [`AdamView`] and the C ABI.
///
/// `t` is the number of steps taken so far (incremented here), `m` and `v` the moment buffers.
/// Every check happens before anything is written: lengths, finiteness of `x` and `g`, the
/// hyperparameters, and that `g²` cannot overflow ([`Error::NonFiniteGradient`]).
///
/// ```
/// use lossmap::optim::{adam_step, AdamConfig};
/// let cfg = AdamConfig { lr: 0.1, ..AdamConfig::default() };
/// let (mut t, mut m, mut v, mut x) = (0u32, [0.0f64], [0.0], [1.0]);
/// adam_step(&cfg, &mut t, &mut m, &mut v, &mut x, &[2.0]).unwrap();
/// // First step moves by ≈ lr·sign(g): m̂ = g, v̂ = g².
/// assert!((x[0] - 0.9).abs() < 1e-7 && t == 1);
/// ```
pub fn adam_step<T: Real>(
    cfg: &AdamConfig<T>,
    t: &mut u32,
    m: &mut [T],
    v: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    check_len(m.len(), n)?;
    check_len(v.len(), n)?;
    cfg.validate()?;
    check_finite(x)?;
    check_finite(g)?;
    // (g + λθ)² must stay finite: |g + λθ| < √MAX / 2.
    let limit = T::MAX_R.sqrt() * T::HALF;
    if x.iter()
        .zip(g)
        .any(|(&xi, &gi)| (gi + cfg.weight_decay * xi).abs() >= limit)
    {
        return Err(Error::NonFiniteGradient);
    }
    let step = t.saturating_add(1);
    // Bias corrections in f64 whatever T is, as torch does (Python floats): for f32 this keeps
    // 1 − β₂ᵗ accurate when β₂ᵗ is close to 1.
    let t_pow = step.min(i32::MAX as u32) as i32;
    let bc1 = T::from_f64(1.0 - Real::powi(cfg.beta1.to_f64(), t_pow));
    let bc2_sqrt = T::from_f64(Real::sqrt(1.0 - Real::powi(cfg.beta2.to_f64(), t_pow)));
    let step_size = cfg.lr / bc1;
    let (one_m_b1, one_m_b2) = (T::ONE - cfg.beta1, T::ONE - cfg.beta2);
    let upd = |xi: T, mi: T, vi: T, gi: T| {
        let ge = gi + cfg.weight_decay * xi;
        let m = cfg.beta1 * mi + one_m_b1 * ge;
        let v = cfg.beta2 * vi + one_m_b2 * ge * ge;
        let denom = v.sqrt() / bc2_sqrt + cfg.eps;
        (xi - step_size * (m / denom), m, v)
    };
    // Nothing is written unless every new value is finite (a huge x with a large rate could
    // otherwise overflow). m and v stay finite under the check on g + λθ above, and a step is
    // at most step_size·|m|/ε: when max|θ| + step_size·max|m|/ε is finite (a reduction without
    // square roots) no element can overflow; otherwise every element gets the exact check.
    let (mut x_max, mut m_max) = (T::ZERO, T::ZERO);
    for ((&xi, &mi), &gi) in x.iter().zip(m.iter()).zip(g) {
        let mn = (cfg.beta1 * mi + one_m_b1 * (gi + cfg.weight_decay * xi)).abs();
        x_max = if xi.abs() > x_max { xi.abs() } else { x_max };
        m_max = if mn > m_max { mn } else { m_max };
    }
    if !(x_max + step_size / cfg.eps * m_max).is_finite()
        && !x
            .iter()
            .zip(m.iter())
            .zip(v.iter())
            .zip(g)
            .all(|(((&xi, &mi), &vi), &gi)| {
                let (a, b, c) = upd(xi, mi, vi, gi);
                a.is_finite() && b.is_finite() && c.is_finite()
            })
    {
        return Err(Error::NonFiniteGradient);
    }
    for (((xi, mi), vi), &gi) in x.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g) {
        (*xi, *mi, *vi) = upd(*xi, *mi, *vi, gi);
    }
    *t = step;
    Ok(())
}

/// Adam with its state in fixed-size arrays.
///
/// ```
/// use lossmap::optim::{Adam, AdamConfig, Optimizer};
/// let mut adam = Adam::<f32, 2>::new(AdamConfig::default()).unwrap();
/// let mut x = [1.0f32, -1.0];
/// adam.step(&mut x, &[0.5, -0.5]).unwrap();
/// assert!((x[0] - 0.999).abs() < 1e-6 && (x[1] + 0.999).abs() < 1e-6);
/// assert!(Adam::<f32, 2>::new(AdamConfig { lr: -1.0, ..AdamConfig::default() }).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Adam<T, const N: usize> {
    /// Hyperparameters.
    pub config: AdamConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// First moment.
    pub m: [T; N],
    /// Second moment.
    pub v: [T; N],
}

impl<T: Real, const N: usize> Adam<T, N> {
    /// A fresh optimizer; [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: AdamConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(Adam {
            config,
            t: 0,
            m: [T::ZERO; N],
            v: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for Adam<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adam_step(&self.config, &mut self.t, &mut self.m, &mut self.v, x, g)
    }
    fn lr(&self) -> T {
        self.config.lr
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        super::check_lr(lr)?;
        self.config.lr = lr;
        Ok(())
    }
    fn reset(&mut self) {
        self.t = 0;
        self.m = [T::ZERO; N];
        self.v = [T::ZERO; N];
    }
}

/// Adam over borrowed, run-time-sized buffers (the C instance struct's view).
#[derive(Debug)]
pub struct AdamView<'a, T> {
    /// Hyperparameters.
    pub config: AdamConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// First moment, length n.
    pub m: &'a mut [T],
    /// Second moment, length n.
    pub v: &'a mut [T],
}

impl<T: Real> Optimizer<T> for AdamView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adam_step(&self.config, self.t, self.m, self.v, x, g)
    }
    fn lr(&self) -> T {
        self.config.lr
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        super::check_lr(lr)?;
        self.config.lr = lr;
        Ok(())
    }
    fn reset(&mut self) {
        *self.t = 0;
        self.m
            .iter_mut()
            .chain(self.v.iter_mut())
            .for_each(|a| *a = T::ZERO);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_leaves_everything_unchanged() {
        let cfg = AdamConfig::<f64>::default();
        let (mut t, mut m, mut v, mut x) = (3u32, [0.5f64, 0.5], [0.25, 0.25], [1.0, 2.0]);
        let snapshot = (t, m, v, x);
        let bad_cfgs = [
            AdamConfig { lr: 0.0, ..cfg },
            AdamConfig { lr: -1e-3, ..cfg },
            AdamConfig { beta1: 1.0, ..cfg },
            AdamConfig { beta2: -0.1, ..cfg },
            AdamConfig { eps: 0.0, ..cfg },
            AdamConfig {
                weight_decay: f64::NAN,
                ..cfg
            },
        ];
        for c in bad_cfgs {
            assert_eq!(
                adam_step(&c, &mut t, &mut m, &mut v, &mut x, &[1.0, 1.0]),
                Err(Error::InvalidParameter)
            );
        }
        assert_eq!(
            adam_step(&cfg, &mut t, &mut m, &mut v, &mut x, &[f64::NAN, 1.0]),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(
            adam_step(&cfg, &mut t, &mut m, &mut v, &mut x, &[1e200, 1.0]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!(
            adam_step(&cfg, &mut t, &mut m, &mut v, &mut x, &[1.0]),
            Err(Error::LengthMismatch)
        );
        assert_eq!(
            adam_step(&cfg, &mut t, &mut [], &mut [], &mut [], &[]),
            Err(Error::Empty)
        );
        assert_eq!((t, m, v, x), snapshot);
    }
}
