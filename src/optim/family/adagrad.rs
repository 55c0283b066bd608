//! AdaGrad (Duchi, Hazan & Singer, JMLR 2011), as `torch.optim.Adagrad` (PyTorch
//! documentation, "Adagrad" algorithm box; `maximize` is not offered):
//!
//! ```text
//! γ̃ ← γ / (1 + (t − 1)η)             (lr γ, lr_decay η, t counted from 1)
//! g ← g + λθ                         (weight_decay λ)
//! s ← s + g²                         (state_sum, starts at initial_accumulator_value)
//! θ ← θ − γ̃ · g / (√s + ε)
//! ```
//!
//! in the operation order of torch's single-tensor implementation. γ̃ is computed in f64, as
//! torch does with Python floats, where the target has an f64 FPU; on cores without one
//! (Cortex-M0, Cortex-M4F) `f32` computes it in `f32`, within 2 ε relative of the f64 value
//! (measured in this module's tests), so no soft-float f64 is linked there. Defaults as torch: γ = 1e-2, η = 0, λ = 0,
//! s₀ = 0, ε = 1e-10. Deviation: ε must be > 0 (torch accepts 0, which yields 0/0 when a
//! coordinate has seen only zero gradients).

use super::{fill, flag, lr_methods, non_negative, param, positive};
use crate::error::{check_len, Error};
use crate::optim::guard::{all_finite, half_max, square_limit, sum_abs, sum_second, valid_second};
use crate::optim::Optimizer;
use crate::real::HARD_F64;
use crate::Real;

/// AdaGrad hyperparameters (torch.optim names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AdagradConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// Learning-rate decay η ≥ 0.
    pub lr_decay: T,
    /// L2 weight decay λ ≥ 0 (added to the gradient).
    pub weight_decay: T,
    /// Initial value s₀ ≥ 0 of the squared-gradient sum (used by init and reset).
    pub initial_accumulator_value: T,
    /// Denominator offset ε > 0.
    pub eps: T,
    /// Maximize instead of minimize (torch's `maximize`): 0 (default) or 1; 1 negates the
    /// gradient. The negation is folded into the rate and the decay term (no per-element cost,
    /// the same new θ bit for bit); the state linear in the gradient (momentum buffer, gradient
    /// average, first moment) then holds the negatives of torch's.
    pub maximize: u8,
}

impl<T: Real> Default for AdagradConfig<T> {
    fn default() -> Self {
        AdagradConfig {
            lr: T::from_f64(1e-2),
            lr_decay: T::ZERO,
            weight_decay: T::ZERO,
            initial_accumulator_value: T::ZERO,
            eps: T::from_f64(1e-10),
            maximize: 0,
        }
    }
}

impl<T: Real> AdagradConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.lr)
                && non_negative(self.lr_decay)
                && non_negative(self.weight_decay)
                && non_negative(self.initial_accumulator_value)
                && positive(self.eps)
                && flag(self.maximize),
        )
    }
}

/// One AdaGrad step over slices: the kernel behind [`Adagrad`], [`AdagradView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here), `sum` is the squared-gradient sum (length
/// n). Everything is checked before anything is written, in this order: lengths
/// ([`Error::Empty`] for n = 0, [`Error::LengthMismatch`]), the hyperparameters
/// ([`Error::InvalidParameter`]), NaN/±∞ in `x`, `g` or `sum` (which must also be ≥ 0:
/// [`Error::NonFiniteInput`]), and that `(g + λθ)²` and the new values cannot overflow
/// ([`Error::NonFiniteGradient`]).
///
/// Cost: one read-only pass (sums of |x|, |g| and `sum` that bound every new value) and one
/// writing pass specialized for the weight decay; an exact per-element check runs only when
/// a bound fails.
///
/// ```
/// use lossmap::optim::{adagrad_step, AdagradConfig};
/// let cfg = AdagradConfig { lr: 0.5, ..AdagradConfig::default() };
/// let (mut t, mut s, mut x) = (0u32, [0.0f64], [1.0]);
/// adagrad_step(&cfg, &mut t, &mut s, &mut x, &[2.0]).unwrap();
/// // s = 4, step = 0.5 · 2 / (2 + 1e-10)
/// assert!((x[0] - 0.5).abs() < 1e-9 && s[0] == 4.0 && t == 1);
/// ```
pub fn adagrad_step<T: Real>(
    cfg: &AdagradConfig<T>,
    t: &mut u32,
    sum: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    check_len(sum.len(), n)?;
    cfg.validate()?;
    let step = t.saturating_add(1);
    let mut k = Coeffs {
        clr: decayed_lr(cfg.lr, cfg.lr_decay, step),
        eps: cfg.eps,
        wd: cfg.weight_decay,
    };
    let wd = k.wd != T::ZERO;
    // Bounds from the sums (each ≥ the corresponding maximum, computed with the update's own
    // operations, so they bound the computed values):
    //   |d|  ≤ D = Σ|g| + λΣ|θ|           (d = g + λθ; D < √MAX/2 keeps d² finite)
    //   s'   ≤ S = Σs + D²
    //   √s' + ε ≥ ε, so |d/(√s' + ε)| ≤ Q = D/ε
    //   |θ'| ≤ Θ = Σ|θ| + γ̃Q
    // Every comparison is false for NaN, so a non-finite sum fails.
    let (sx, sg) = (sum_abs(x), sum_abs(g));
    let (ss, s_min) = sum_second(sum);
    let db = if wd { sg + k.wd * sx } else { sg };
    let sb = ss + db * db;
    let qb = db / k.eps;
    let xb = sx + k.clr * qb;
    let hm = half_max::<T>();
    let fast = sx < hm
        && sg < hm
        && ss < hm
        && s_min >= T::ZERO
        && db < square_limit::<T>()
        && sb < hm
        && qb < hm
        && xb < hm;
    if cfg.maximize != 0 {
        k.maximize();
    }
    if !fast {
        k.check_exact(wd, sum, x, g)?;
    }
    if wd {
        k.update::<true>(sum, x, g);
    } else {
        k.update::<false>(sum, x, g);
    }
    *t = step;
    Ok(())
}

/// The decayed rate `γ̃ = γ / (1 + (t − 1)η)` of step `t ≥ 1`: in f64 and rounded once where
/// the target has an f64 FPU (torch's Python-float arithmetic), in `T` otherwise (see the
/// module doc).
#[inline]
fn decayed_lr<T: Real>(lr: T, lr_decay: T, step: u32) -> T {
    let k = step.saturating_sub(1);
    if T::IS_F64 || HARD_F64 {
        T::from_f64(lr.to_f64() / (1.0 + f64::from(k) * lr_decay.to_f64()))
    } else {
        decayed_lr_in(lr, lr_decay, k)
    }
}

/// `γ / (1 + kη)` computed in `T`: four roundings (k, the product, the sum, the quotient).
#[inline]
fn decayed_lr_in<T: Real>(lr: T, lr_decay: T, k: u32) -> T {
    lr / (T::ONE + T::from_usize(k as usize) * lr_decay)
}

/// The constants of one AdaGrad step.
#[derive(Clone, Copy)]
struct Coeffs<T> {
    /// The decayed rate γ̃.
    clr: T,
    eps: T,
    wd: T,
}

impl<T: Real> Coeffs<T> {
    /// torch's `maximize` at no per-element cost: `−g + λθ = −(g + (−λ)θ)` and every moment that is
    /// linear in the gradient changes sign with it (exactly: rounding is symmetric), so negating the
    /// rate and the decay term after the bounds (which use absolute values) gives the same new θ;
    /// the linear state (momentum buffer, gradient average, first moment) then holds the moments of
    /// `g`, i.e. the negatives of torch's.
    fn maximize(&mut self) {
        self.clr = -self.clr;
        self.wd = -self.wd;
    }

    /// The effective gradient `d = g + λθ` (`g` itself without decay, as torch skips the term).
    #[inline(always)]
    fn grad(&self, wd: bool, xi: T, gi: T) -> T {
        if wd {
            gi + self.wd * xi
        } else {
            gi
        }
    }

    /// New `(θ, s)` from `(θ, s, g)` in torch's operation order.
    #[inline(always)]
    fn apply(&self, wd: bool, xi: T, si: T, gi: T) -> (T, T) {
        let d = self.grad(wd, xi, gi);
        let s = si + d * d;
        let std = s.sqrt() + self.eps;
        (xi - self.clr * (d / std), s)
    }

    /// The writing pass, monomorphized for the weight decay.
    #[inline(always)]
    fn update<const WD: bool>(&self, sum: &mut [T], x: &mut [T], g: &[T]) {
        for ((xi, si), &gi) in x.iter_mut().zip(sum.iter_mut()).zip(g) {
            (*xi, *si) = self.apply(WD, *xi, *si, gi);
        }
    }

    /// The exact per-element check (the slow path): the first error in the documented order.
    #[cold]
    fn check_exact(&self, wd: bool, sum: &[T], x: &[T], g: &[T]) -> Result<(), Error> {
        if !all_finite(x) || !all_finite(g) || !valid_second(sum) {
            return Err(Error::NonFiniteInput);
        }
        let limit = square_limit::<T>();
        if x.iter()
            .zip(g)
            .any(|(&xi, &gi)| self.grad(wd, xi, gi).abs() >= limit)
        {
            return Err(Error::NonFiniteGradient);
        }
        let ok = x.iter().zip(sum).zip(g).all(|((&xi, &si), &gi)| {
            let (a, b) = self.apply(wd, xi, si, gi);
            a.is_finite() && b.is_finite()
        });
        if ok {
            Ok(())
        } else {
            Err(Error::NonFiniteGradient)
        }
    }
}

/// AdaGrad with its squared-gradient sum in a fixed-size array.
///
/// ```
/// use lossmap::optim::{Adagrad, AdagradConfig, Optimizer};
/// let cfg = AdagradConfig { lr: 0.1, initial_accumulator_value: 0.5, ..AdagradConfig::default() };
/// let mut opt = Adagrad::<f64, 1>::new(cfg).unwrap();
/// assert_eq!(opt.sum, [0.5]);
/// let mut x = [1.0];
/// opt.step(&mut x, &[0.5]).unwrap(); // s = 0.75
/// assert!((x[0] - (1.0 - 0.1 * 0.5 / (0.75f64.sqrt() + 1e-10))).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Adagrad<T, const N: usize> {
    /// Hyperparameters.
    pub config: AdagradConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// Squared-gradient sum s.
    pub sum: [T; N],
}

impl<T: Real, const N: usize> Adagrad<T, N> {
    /// A fresh optimizer (s = s₀); [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: AdagradConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(Adagrad {
            config,
            t: 0,
            sum: [config.initial_accumulator_value; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for Adagrad<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adagrad_step(&self.config, &mut self.t, &mut self.sum, x, g)
    }
    /// Step count to 0, the sum back to `initial_accumulator_value`.
    fn reset(&mut self) {
        self.t = 0;
        self.sum = [self.config.initial_accumulator_value; N];
    }
    lr_methods!(state: |s: &Self| valid_second(&s.sum[..]));
}

/// AdaGrad over a borrowed squared-gradient sum (the C instance struct's view).
#[derive(Debug)]
pub struct AdagradView<'a, T> {
    /// Hyperparameters.
    pub config: AdagradConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// Squared-gradient sum, length n.
    pub sum: &'a mut [T],
}

impl<T: Real> Optimizer<T> for AdagradView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        adagrad_step(&self.config, self.t, self.sum, x, g)
    }
    /// Step count to 0, the sum back to `initial_accumulator_value`.
    fn reset(&mut self) {
        *self.t = 0;
        fill(&mut [&mut *self.sum], self.config.initial_accumulator_value);
    }
    lr_methods!(state: |s: &Self| valid_second(&s.sum[..]));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The f32 form of γ̃ against torch's f64 arithmetic on the same f32 inputs, over every t up
    /// to 2·10⁴ and a sparse grid to 4·10⁹ (1.2 ε at worst).
    #[test]
    fn f32_decayed_rate_is_within_two_eps_of_f64() {
        let mut worst = 0.0f64;
        for lr in [1e-3f32, 1e-2, 0.1, 1.0, 3.7] {
            for decay in [0.0f32, 1e-7, 1e-4, 1e-2, 0.3, 1.0, 10.0] {
                let ks = (0..20_000u32).chain((0..40).map(|i| 20_000 + i * 100_000_000));
                for k in ks {
                    let exact = lr as f64 / (1.0 + f64::from(k) * decay as f64);
                    let got = decayed_lr_in(lr, decay, k) as f64;
                    worst = worst.max((got - exact).abs() / exact / f32::EPSILON as f64);
                }
            }
        }
        assert!(worst <= 2.0, "{worst} ε");
    }

    fn cfg32(lr: f32) -> AdagradConfig<f32> {
        AdagradConfig {
            lr,
            ..AdagradConfig::default()
        }
    }

    #[test]
    fn invalid_sum_is_rejected_without_writing() {
        let cfg = AdagradConfig::<f64>::default();
        for s0 in [
            [f64::NAN, 0.0],
            [0.0, f64::INFINITY],
            [f64::NEG_INFINITY, 1.0],
            [1.0, -1e-300],
        ] {
            let (mut t, mut s, mut x) = (4u32, s0, [1.0f64, 2.0]);
            assert_eq!(
                adagrad_step(&cfg, &mut t, &mut s, &mut x, &[0.5, 0.5]),
                Err(Error::NonFiniteInput),
                "{s0:?}"
            );
            assert_eq!((t, x), (4, [1.0, 2.0]));
            assert_eq!(s.map(f64::to_bits), s0.map(f64::to_bits));
        }
    }

    /// Near overflow the bounds of the read-only pass fail and the exact check decides: a huge
    /// but safe θ, and gradients whose sum passes √MAX/2 while each stays below, still step;
    /// an update that would overflow, or a single gradient at √MAX/2, is refused.
    #[test]
    fn near_overflow_the_exact_check_decides() {
        let (mut t, mut s, mut x) = (0u32, [0.0f32; 2], [3e38f32, 1.0]);
        adagrad_step(&cfg32(0.5), &mut t, &mut s, &mut x, &[1.0, -1.0]).unwrap();
        // First step: s = g², θ ← θ − γ·g/(|g| + ε) = θ ∓ γ.
        assert_eq!((t, s, x), (1, [1.0, 1.0], [3e38, 1.5]));

        let (mut t, mut s, mut x) = (0u32, [0.0f32; 2], [1.0f32, 1.0]);
        adagrad_step(&cfg32(0.5), &mut t, &mut s, &mut x, &[6e18, -6e18]).unwrap();
        assert_eq!((t, x), (1, [0.5, 1.5]));
        assert!((s[0] / 3.6e37 - 1.0).abs() < 1e-6 && s[0] == s[1]);

        let (mut t, mut s, mut x) = (0u32, [0.0f32; 1], [-3e38f32]);
        let before = (t, s, x);
        assert_eq!(
            adagrad_step(&cfg32(1e38), &mut t, &mut s, &mut x, &[1.0]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((t, s, x), before);
        assert_eq!(
            adagrad_step(&cfg32(0.5), &mut t, &mut s, &mut x, &[9.3e18]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((t, s, x), before);
    }
}
