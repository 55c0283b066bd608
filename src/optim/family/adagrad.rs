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
//! in the operation order of torch's single-tensor implementation; γ̃ is computed in f64 for
//! every `T`, as torch does with Python floats. Defaults as torch: γ = 1e-2, η = 0, λ = 0,
//! s₀ = 0, ε = 1e-10. Deviation: ε must be > 0 (torch accepts 0, which yields 0/0 when a
//! coordinate has seen only zero gradients).

use super::{all_finite, check_square, fill, lr_methods, non_negative, param, positive};
use crate::error::{check_finite, check_len, Error};
use crate::optim::Optimizer;
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
}

impl<T: Real> Default for AdagradConfig<T> {
    fn default() -> Self {
        AdagradConfig {
            lr: T::from_f64(1e-2),
            lr_decay: T::ZERO,
            weight_decay: T::ZERO,
            initial_accumulator_value: T::ZERO,
            eps: T::from_f64(1e-10),
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
                && positive(self.eps),
        )
    }
}

/// One AdaGrad step over slices: the kernel behind [`Adagrad`], [`AdagradView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here), `sum` is the squared-gradient sum (length
/// n). Everything is checked before anything is written, including that `(g + λθ)²` is finite
/// ([`Error::NonFiniteGradient`]).
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
    check_finite(x)?;
    check_finite(g)?;
    check_square(x, g, cfg.weight_decay)?;
    let step = t.saturating_add(1);
    let clr = T::from_f64(cfg.lr.to_f64() / (1.0 + f64::from(step - 1) * cfg.lr_decay.to_f64()));
    let wd = cfg.weight_decay;
    let upd = |xi: T, si: T, gi: T| {
        let d = gi + wd * xi;
        let s = si + d * d;
        let std = s.sqrt() + cfg.eps;
        (xi - clr * (d / std), s)
    };
    // Nothing is written unless every new value is finite.
    if !x.iter().zip(sum.iter()).zip(g).all(|((&xi, &si), &gi)| {
        let (a, b) = upd(xi, si, gi);
        all_finite([a, b])
    }) {
        return Err(Error::NonFiniteGradient);
    }
    for ((xi, si), &gi) in x.iter_mut().zip(sum.iter_mut()).zip(g) {
        (*xi, *si) = upd(*xi, *si, gi);
    }
    *t = step;
    Ok(())
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
    lr_methods!();
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
    lr_methods!();
}
