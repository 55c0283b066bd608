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

use super::adam_kernel::{adam_l2_kernel_of, check_bias, AdamBias, AdamRule, RuleOf};
use super::Optimizer;
use crate::error::{check_len, Error};
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
    /// Maximize instead of minimize (torch's `maximize`): 0 (default) or 1; 1 negates the
    /// gradient. The negation is folded into the rate and the decay term (no per-element cost,
    /// the same new θ bit for bit); the state linear in the gradient (momentum buffer, gradient
    /// average, first moment) then holds the negatives of torch's.
    pub maximize: u8,
}

impl<T: Real> Default for AdamConfig<T> {
    fn default() -> Self {
        AdamConfig {
            lr: T::from_f64(1e-3),
            beta1: T::from_f64(0.9),
            beta2: T::from_f64(0.999),
            eps: T::from_f64(1e-8),
            weight_decay: T::ZERO,
            maximize: 0,
        }
    }
}

impl<T: Real> AdamConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    #[inline(always)]
    pub fn validate(&self) -> Result<(), Error> {
        let ok = if super::guard::soft::<T>() {
            self.in_range_by_bits()
        } else {
            self.in_range_by_integers()
        } && self.maximize <= 1;
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// The ranges of γ, β₁, β₂, ε, λ by comparisons only (each is false for NaN, and `≤ MAX`
    /// excludes +∞): the definition the two forms below are tested against.
    #[cfg(test)]
    fn in_range_by_comparisons(&self) -> bool {
        let max = T::MAX_R;
        let unit = |b: T| b >= T::ZERO && b < T::ONE;
        (self.lr > T::ZERO && self.lr <= max)
            & unit(self.beta1)
            & unit(self.beta2)
            & (self.eps > T::ZERO && self.eps <= max)
            & (self.weight_decay >= T::ZERO && self.weight_decay <= max)
    }

    /// The ranges of [`in_range_by_comparisons`](Self::in_range_by_comparisons) as integer
    /// range tests of the bit patterns where `T` is hardware: `x ∈ (0, MAX]` as
    /// `bits(x) − 1 < bits(MAX)` (wrapping: +0 and every negative or NaN pattern fail), and for
    /// λ and β, first `x + 0` (−0 becomes +0, nothing else changes) then `bits ≤ bits(MAX)`
    /// or `bits < bits(1)`. A few scalar instructions each, where the comparisons vectorize
    /// into shuffles and blends.
    #[inline]
    fn in_range_by_integers(&self) -> bool {
        let max = T::MAX_R.to_bits_u64();
        let one = T::ONE.to_bits_u64();
        let positive = |x: T| x.to_bits_u64().wrapping_sub(1) < max;
        let plus = |x: T| (x + T::ZERO).to_bits_u64();
        positive(self.lr)
            & positive(self.eps)
            & (plus(self.weight_decay) <= max)
            & (plus(self.beta1) < one)
            & (plus(self.beta2) < one)
    }

    /// The same ranges where `T` is soft-float, where a comparison is a library call of dozens
    /// of instructions and an integer test of the bit patterns a few: finite and ≥ 0 for all
    /// five by bit patterns, then the three strict bounds that remain.
    #[inline]
    fn in_range_by_bits(&self) -> bool {
        T::max_nonnegative(&[self.lr, self.eps, self.weight_decay]).is_some()
            && T::max_nonnegative(&[self.beta1, self.beta2]).is_some_and(|b| b < T::ONE)
            && self.lr > T::ZERO
            && self.eps > T::ZERO
    }
}

/// One Adam step over slices: the kernel behind [`Adam`], [`AdamView`] and the C ABI.
///
/// `t` is the number of steps taken so far (incremented here), `m` and `v` the moment buffers.
/// Every check happens before anything is written, in this order: lengths ([`Error::Empty`]
/// for n = 0, [`Error::LengthMismatch`]), the hyperparameters and the bias cache ([`Error::InvalidParameter`]), NaN/±∞ in `x`, `g` or the state
/// (`m` finite, `v` finite and ≥ 0: [`Error::NonFiniteInput`]), and that `(g + λθ)²` and the new
/// values cannot overflow ([`Error::NonFiniteGradient`]).
///
/// Cost: one read-only pass (sums of |x|, |g|, |m|, v that bound every new value) and one
/// writing pass; up to 8 elements on x86_64 and aarch64, one pass that computes the new values
/// in registers, tests them and then writes them. An exact per-element check runs only when a
/// bound or the test fails. `Adam`, `AdamW` and
/// AMSGrad share this kernel. `bias` caches what the bias corrections need between steps
/// ([`AdamBias`]: running `f64` products of β where the target has an `f64` FPU, 64-bit
/// fixed-point products for `f32` on cores without one, so no soft-float `f64` is linked there); start from
/// [`AdamBias::EMPTY`]. A cache whose key (`t`, β₁, β₂) is not this state's is recomputed; one
/// whose corrections for this step fall outside (0, 1] is refused with
/// [`Error::InvalidParameter`], after the hyperparameters and before the state is checked
/// (`validate` refuses the same cache; a bad power held for a later step is refused by that step).
///
/// ```
/// use lossmap::optim::{adam_step, AdamBias, AdamConfig};
/// let cfg = AdamConfig { lr: 0.1, ..AdamConfig::default() };
/// let (mut t, mut m, mut v, mut x) = (0u32, [0.0f64], [0.0], [1.0]);
/// let mut bias = AdamBias::EMPTY;
/// adam_step(&cfg, &mut t, &mut bias, &mut m, &mut v, &mut x, &[2.0]).unwrap();
/// // First step moves by ≈ lr·sign(g): m̂ = g, v̂ = g².
/// assert!((x[0] - 0.9).abs() < 1e-7 && t == 1);
/// ```
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), inline(always))]
#[cfg_attr(target_abi = "eabihf", inline)]
pub fn adam_step<T: Real>(
    cfg: &AdamConfig<T>,
    t: &mut u32,
    bias: &mut AdamBias<T>,
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
    // The kernel reads the configuration itself: the caller stores no copy of it per call.
    adam_l2_kernel_of(cfg, t, bias, m, v, x, g)
}

/// Plain Adam's rule: L2 decay, no AMSGrad.
impl<T: Real> RuleOf<T> for AdamConfig<T> {
    #[inline(always)]
    fn rule(&self) -> AdamRule<T> {
        AdamRule {
            lr: self.lr,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: self.weight_decay,
            decoupled: false,
            amsgrad: false,
            maximize: self.maximize != 0,
        }
    }
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
    /// The bias corrections' cache ([`AdamBias::EMPTY`] when fresh or reset).
    pub bias: AdamBias<T>,
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
            bias: AdamBias::EMPTY,
            m: [T::ZERO; N],
            v: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Default for Adam<T, N> {
    /// A fresh optimizer with torch's default hyperparameters ([`AdamConfig::default`]), which
    /// need no check: unlike `Adam::new(AdamConfig::default())?`, nothing moves through a
    /// `Result`, so the optimizer is built in the caller's storage without a copy.
    ///
    /// ```
    /// use lossmap::optim::{Adam, Optimizer};
    /// // Adam's first step is −lr·g/(|g| + eps) in closed form (m̂ = g, v̂ = g²): ≈ −1e-3·sign(g).
    /// let mut adam = Adam::<f64, 2>::default();
    /// let mut x = [1.0, -2.0];
    /// adam.step(&mut x, &[0.5, -4.0]).unwrap();
    /// assert!((x[0] - (1.0 - 1e-3 * 0.5 / (0.5 + 1e-8))).abs() < 1e-15);
    /// assert!((x[1] - (-2.0 + 1e-3 * 4.0 / (4.0 + 1e-8))).abs() < 1e-15);
    /// assert_eq!(adam.t, 1);
    /// ```
    fn default() -> Self {
        Adam {
            config: AdamConfig::default(),
            t: 0,
            bias: AdamBias::EMPTY,
            m: [T::ZERO; N],
            v: [T::ZERO; N],
        }
    }
}

impl<T: Real, const N: usize> Optimizer<T> for Adam<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adam_step(
            &self.config,
            &mut self.t,
            &mut self.bias,
            &mut self.m,
            &mut self.v,
            x,
            g,
        )
    }
    fn lr(&self) -> T {
        self.config.lr
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        super::check_lr(lr)?;
        self.config.lr = lr;
        Ok(())
    }
    fn validate(&self) -> Result<(), Error> {
        self.config.validate()?;
        check_bias(&self.bias, self.t, self.config.beta1, self.config.beta2)?;
        check_moments(&self.m, &self.v)
    }
    fn set_momentum(&mut self, momentum: T) -> Result<(), Error> {
        let c = AdamConfig {
            beta1: momentum,
            ..self.config
        };
        c.validate()?;
        self.config = c;
        Ok(())
    }
    fn reset(&mut self) {
        self.t = 0;
        self.bias = AdamBias::EMPTY;
        self.m = [T::ZERO; N];
        self.v = [T::ZERO; N];
    }
}

/// The moments every step refuses with [`Error::NonFiniteInput`] (a non-finite `m`, a `v`
/// that is not finite and ≥ 0), checked by `validate` so that drivers refuse them before they
/// call the objective.
fn check_moments<T: Real>(m: &[T], v: &[T]) -> Result<(), Error> {
    if super::guard::all_finite(m) && super::guard::valid_second(v) {
        Ok(())
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// Adam over borrowed, run-time-sized buffers (the C instance struct's view).
#[derive(Debug)]
pub struct AdamView<'a, T> {
    /// Hyperparameters.
    pub config: AdamConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// The bias corrections' cache.
    pub bias: &'a mut AdamBias<T>,
    /// First moment, length n.
    pub m: &'a mut [T],
    /// Second moment, length n.
    pub v: &'a mut [T],
}

impl<T: Real> Optimizer<T> for AdamView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adam_step(&self.config, self.t, self.bias, self.m, self.v, x, g)
    }
    fn lr(&self) -> T {
        self.config.lr
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        super::check_lr(lr)?;
        self.config.lr = lr;
        Ok(())
    }
    fn validate(&self) -> Result<(), Error> {
        self.config.validate()?;
        check_bias(self.bias, *self.t, self.config.beta1, self.config.beta2)?;
        check_moments(self.m, self.v)
    }
    fn set_momentum(&mut self, momentum: T) -> Result<(), Error> {
        let c = AdamConfig {
            beta1: momentum,
            ..self.config
        };
        c.validate()?;
        self.config = c;
        Ok(())
    }
    fn reset(&mut self) {
        *self.t = 0;
        *self.bias = AdamBias::EMPTY;
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
        let mut bias = AdamBias::EMPTY;
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
                adam_step(&c, &mut t, &mut bias, &mut m, &mut v, &mut x, &[1.0, 1.0]),
                Err(Error::InvalidParameter)
            );
        }
        assert_eq!(
            adam_step(
                &cfg,
                &mut t,
                &mut bias,
                &mut m,
                &mut v,
                &mut x,
                &[f64::NAN, 1.0]
            ),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(
            adam_step(
                &cfg,
                &mut t,
                &mut bias,
                &mut m,
                &mut v,
                &mut x,
                &[1e200, 1.0]
            ),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!(
            adam_step(&cfg, &mut t, &mut bias, &mut m, &mut v, &mut x, &[1.0]),
            Err(Error::LengthMismatch)
        );
        assert_eq!(
            adam_step(&cfg, &mut t, &mut bias, &mut [], &mut [], &mut [], &[]),
            Err(Error::Empty)
        );
        assert_eq!((t, m, v, x), snapshot);
    }

    #[test]
    fn invalid_state_is_rejected_without_writing() {
        let cfg = AdamConfig::<f64>::default();
        for (m0, v0) in [
            ([f64::NAN, 0.0], [0.0, 0.0]),
            ([0.0, f64::INFINITY], [0.0, 0.0]),
            ([0.0, 0.0], [0.0, -1.0]),
            ([0.0, 0.0], [f64::NAN, 1.0]),
            ([0.0, 0.0], [1.0, f64::INFINITY]),
        ] {
            let (mut t, mut m, mut v, mut x) = (2u32, m0, v0, [1.0f64, 2.0]);
            let mut bias = AdamBias::EMPTY;
            assert_eq!(
                adam_step(&cfg, &mut t, &mut bias, &mut m, &mut v, &mut x, &[0.5, 0.5]),
                Err(Error::NonFiniteInput),
                "{m0:?} {v0:?}"
            );
            assert_eq!(t, 2);
            assert_eq!(x, [1.0, 2.0]);
            assert_eq!(m.map(f64::to_bits), m0.map(f64::to_bits));
            assert_eq!(v.map(f64::to_bits), v0.map(f64::to_bits));
        }
    }

    /// Near overflow the bounds of the read-only pass fail and the exact check decides: a huge
    /// but safe θ still takes its step (first step: θ − γ·sign(g), Kingma & Ba §2), and one
    /// whose update would overflow is refused.
    #[test]
    fn near_overflow_the_exact_check_decides() {
        let cfg = AdamConfig::<f32> {
            lr: 1e32,
            ..AdamConfig::default()
        };
        let (mut t, mut m, mut v, mut x) = (0u32, [0.0f32; 2], [0.0; 2], [3e38f32, 1.0]);
        let mut bias = AdamBias::EMPTY;
        adam_step(
            &cfg,
            &mut t,
            &mut bias,
            &mut m,
            &mut v,
            &mut x,
            &[1.0, -1.0],
        )
        .unwrap();
        assert!((x[0] - (3e38 - 1e32)).abs() <= 3e31, "{}", x[0]);
        assert!((x[1] / 1e32 - 1.0).abs() < 1e-6 && t == 1);
        // lr·|m̂|/(√v̂ + ε) with g tiny: the step is ≈ lr, harmless; with lr huge it overflows.
        let big = AdamConfig::<f32> {
            lr: 1e38,
            ..AdamConfig::default()
        };
        let (mut t, mut m, mut v, mut x) = (0u32, [0.0f32; 1], [0.0; 1], [-3e38f32]);
        let mut bias = AdamBias::EMPTY;
        assert_eq!(
            adam_step(&big, &mut t, &mut bias, &mut m, &mut v, &mut x, &[1.0]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((t, m, v, x), (0, [0.0], [0.0], [-3e38]));
    }

    /// Every length through `adam_step`'s entry points on vector hosts (a partial vector, one
    /// whole vector, the lane loop, the separate loops) takes the step of the shared kernel
    /// behind `adamw_step` (plain Adam: L2 decay, no AMSGrad) bit for bit, with or without decay
    /// and `maximize`; and a NaN in the gradient writes nothing.
    #[test]
    #[cfg(feature = "std")]
    fn every_entry_point_takes_the_kernels_step() {
        use crate::optim::{adamw_step, AdamWConfig};
        use std::{vec, vec::Vec};
        for n in [1usize, 7, 8, 9, 64, 600] {
            for (wd, maximize) in [(0.0f32, 0u8), (0.25, 1)] {
                let cfg = AdamConfig::<f32> {
                    lr: 0.05,
                    weight_decay: wd,
                    maximize,
                    ..AdamConfig::default()
                };
                let w = AdamWConfig::<f32> {
                    lr: cfg.lr,
                    beta1: cfg.beta1,
                    beta2: cfg.beta2,
                    eps: cfg.eps,
                    weight_decay: wd,
                    amsgrad: 0,
                    decoupled: 0,
                    maximize,
                };
                let x0: Vec<f32> = (0..n).map(|i| (i as f32 * 0.7).sin()).collect();
                let (mut xa, mut xb) = (x0.clone(), x0);
                let (mut ma, mut va) = (vec![0.0f32; n], vec![0.0f32; n]);
                let (mut mb, mut vb) = (ma.clone(), va.clone());
                let (mut ta, mut tb) = (0u32, 0u32);
                let (mut ba, mut bb) = (AdamBias::EMPTY, AdamBias::EMPTY);
                for s in 0..3 {
                    let g: Vec<f32> = (0..n).map(|i| ((i + s) as f32 * 1.3).cos()).collect();
                    adam_step(&cfg, &mut ta, &mut ba, &mut ma, &mut va, &mut xa, &g).unwrap();
                    adamw_step(&w, &mut tb, &mut bb, &mut mb, &mut vb, &mut [], &mut xb, &g)
                        .unwrap();
                }
                let bits = |a: &[f32]| a.iter().map(|e| e.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&xa), bits(&xb), "n {n}");
                assert_eq!(
                    (bits(&ma), bits(&va), ta),
                    (bits(&mb), bits(&vb), tb),
                    "n {n}"
                );
                let mut g = vec![1.0f32; n];
                g[n - 1] = f32::NAN;
                let before = (xa.clone(), ma.clone(), va.clone(), ta);
                assert_eq!(
                    adam_step(&cfg, &mut ta, &mut ba, &mut ma, &mut va, &mut xa, &g),
                    Err(Error::NonFiniteInput)
                );
                assert_eq!((bits(&xa), bits(&ma), bits(&va), ta), {
                    let (x, m, v, t) = before;
                    (bits(&x), bits(&m), bits(&v), t)
                });
            }
        }
    }

    /// The soft-float form of the range check (bit patterns) accepts exactly what the
    /// comparisons accept, over every combination of edge values.
    #[test]
    fn range_checks_agree() {
        let vals = [
            f32::NAN,
            f32::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            1e-45,
            0.5,
            0.999_999_94,
            1.0,
            3.0,
            f32::MAX,
            f32::INFINITY,
        ];
        let mut accepted = 0u32;
        for &lr in &vals {
            for &beta1 in &vals {
                for &beta2 in &vals {
                    for &eps in &vals {
                        for &weight_decay in &vals {
                            let c = AdamConfig {
                                lr,
                                beta1,
                                beta2,
                                eps,
                                weight_decay,
                                maximize: 0,
                            };
                            let want = c.in_range_by_comparisons();
                            assert_eq!(c.in_range_by_bits(), want, "{c:?}");
                            assert_eq!(c.in_range_by_integers(), want, "{c:?}");
                            accepted += u32::from(want);
                        }
                    }
                }
            }
        }
        // γ, ε ∈ {1e-45, 0.5, 1 − 2⁻²⁴, 1, 3, MAX}; β ∈ {±0, 1e-45, 0.5, 1 − 2⁻²⁴};
        // λ ∈ {±0, 1e-45, 0.5, 1 − 2⁻²⁴, 1, 3, MAX}.
        assert_eq!(accepted, 6 * 5 * 5 * 6 * 8);
    }
}
