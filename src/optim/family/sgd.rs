//! Stochastic gradient descent with momentum, as `torch.optim.SGD` (PyTorch documentation,
//! "SGD" algorithm box):
//!
//! ```text
//! g ← −g                             if maximize
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

use super::{flag, lr_methods, non_negative, param, positive, unit};
use crate::error::{check_len, Error};
use crate::optim::guard::{all_finite, half_max, sum_abs};
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
    /// Maximize instead of minimize (torch's `maximize`): 0 (default) or 1; 1 negates the
    /// gradient. The negation is folded into the rate and the decay term (no per-element cost,
    /// the same new θ bit for bit); the state linear in the gradient (momentum buffer, gradient
    /// average, first moment) then holds the negatives of torch's.
    pub maximize: u8,
}

impl<T: Real> Default for SgdConfig<T> {
    fn default() -> Self {
        SgdConfig {
            lr: T::from_f64(1e-3),
            momentum: T::ZERO,
            dampening: T::ZERO,
            weight_decay: T::ZERO,
            nesterov: 0,
            maximize: 0,
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
                && flag(self.maximize)
                && (self.nesterov == 0 || (self.momentum > T::ZERO && self.dampening == T::ZERO)),
        )
    }
}

/// One SGD step over slices: the kernel behind [`Sgd`], [`SgdView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here); `buf` is the momentum buffer (length n when
/// μ > 0, ignored otherwise). Everything is checked before anything is written, in this order:
/// lengths ([`Error::Empty`] for n = 0, [`Error::LengthMismatch`]), the hyperparameters
/// ([`Error::InvalidParameter`]), NaN/±∞ in `x`, `g` or the momentum buffer (read from the
/// second step on: [`Error::NonFiniteInput`]), and that no new value overflows
/// ([`Error::NonFiniteGradient`]).
///
/// Cost: one read-only pass (sums of |x|, |g|, |b| that bound every new value) and one writing
/// pass specialized for the options in use; an exact per-element check runs only when a bound
/// fails.
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
    // A NaN or negative μ counts as none here and is refused by `validate` below.
    let mode = match (cfg.momentum > T::ZERO, cfg.nesterov != 0) {
        (false, _) => PLAIN,
        (true, false) => HEAVY,
        (true, true) => NESTEROV,
    };
    if mode != PLAIN {
        check_len(buf.len(), n)?;
    }
    cfg.validate()?;
    let mut k = Coeffs {
        lr: cfg.lr,
        wd: cfg.weight_decay,
        mu: cfg.momentum,
        damp: T::ONE - cfg.dampening,
    };
    let wd = k.wd != T::ZERO;
    // The buffer is seeded with the gradient at the first step and read only afterwards.
    let first = *t == 0;
    let reads_buf = mode != PLAIN && !first;
    // Bounds from the sums (each ≥ the corresponding maximum, computed with the update's own
    // operations, so they bound the computed values):
    //   |d|  ≤ D = Σ|g| + λΣ|θ|                       (d = g + λθ)
    //   |b'| ≤ B = D at the first step, μΣ|b| + (1 − τ)D afterwards
    //   |s|  ≤ S = D (plain), B (heavy ball), D + μB (Nesterov)   (the step direction s)
    //   |θ'| ≤ Θ = Σ|θ| + γS                          (θ' = θ − γs)
    // Every comparison is false for NaN, so a non-finite sum fails.
    let (sx, sg) = (sum_abs(x), sum_abs(g));
    let sb = if reads_buf { sum_abs(buf) } else { T::ZERO };
    let db = if wd { sg + k.wd * sx } else { sg };
    let bb = if first { db } else { k.mu * sb + k.damp * db };
    let sdir = match mode {
        PLAIN => db,
        HEAVY => bb,
        _ => db + k.mu * bb,
    };
    let xb = sx + k.lr * sdir;
    let hm = half_max::<T>();
    let fast = sx < hm && sg < hm && sb < hm && db < hm && bb < hm && sdir < hm && xb < hm;
    if cfg.maximize != 0 {
        k.maximize();
    }
    if !fast {
        k.check_exact(wd, mode, first, buf, x, g)?;
    }
    match (wd, mode) {
        _ if first && mode != PLAIN => k.seed(wd, mode, buf, x, g),
        (false, PLAIN) => k.update::<false, PLAIN>(buf, x, g),
        (true, PLAIN) => k.update::<true, PLAIN>(buf, x, g),
        (false, HEAVY) => k.update::<false, HEAVY>(buf, x, g),
        (true, HEAVY) => k.update::<true, HEAVY>(buf, x, g),
        (false, _) => k.update::<false, NESTEROV>(buf, x, g),
        (true, _) => k.update::<true, NESTEROV>(buf, x, g),
    }
    *t = t.saturating_add(1);
    Ok(())
}

/// No momentum: θ ← θ − γd.
const PLAIN: u8 = 0;
/// Heavy-ball momentum: the step direction is the buffer.
const HEAVY: u8 = 1;
/// Nesterov momentum: the step direction is d + μb.
const NESTEROV: u8 = 2;

/// The constants of one SGD step.
#[derive(Clone, Copy)]
struct Coeffs<T> {
    lr: T,
    wd: T,
    mu: T,
    /// 1 − τ.
    damp: T,
}

impl<T: Real> Coeffs<T> {
    /// torch's `maximize` at no per-element cost: `−g + λθ = −(g + (−λ)θ)` and every moment that is
    /// linear in the gradient changes sign with it (exactly: rounding is symmetric), so negating the
    /// rate and the decay term after the bounds (which use absolute values) gives the same new θ;
    /// the linear state (momentum buffer, gradient average, first moment) then holds the moments of
    /// `g`, i.e. the negatives of torch's.
    fn maximize(&mut self) {
        self.lr = -self.lr;
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

    /// New `(θ, b)` from `(θ, b, g)` in torch's operation order; `b` passes through without
    /// momentum and is not read at the first step.
    #[inline(always)]
    fn apply(&self, wd: bool, mode: u8, first: bool, xi: T, bi: T, gi: T) -> (T, T) {
        let d = self.grad(wd, xi, gi);
        if mode == PLAIN {
            return (xi - self.lr * d, bi);
        }
        let b = if first {
            d
        } else {
            self.mu * bi + self.damp * d
        };
        let s = if mode == NESTEROV { d + self.mu * b } else { b };
        (xi - self.lr * s, b)
    }

    /// The writing pass, monomorphized for the options (decay on or off, the momentum mode).
    #[inline(always)]
    fn update<const WD: bool, const MODE: u8>(&self, buf: &mut [T], x: &mut [T], g: &[T]) {
        if MODE == PLAIN {
            for (xi, &gi) in x.iter_mut().zip(g) {
                *xi = self.apply(WD, MODE, false, *xi, T::ZERO, gi).0;
            }
        } else {
            for ((xi, bi), &gi) in x.iter_mut().zip(buf.iter_mut()).zip(g) {
                (*xi, *bi) = self.apply(WD, MODE, false, *xi, *bi, gi);
            }
        }
    }

    /// The writing pass of the first step with momentum (b ← d), once per run: one copy for
    /// every option, to keep the code small.
    #[inline(never)]
    fn seed(&self, wd: bool, mode: u8, buf: &mut [T], x: &mut [T], g: &[T]) {
        for ((xi, bi), &gi) in x.iter_mut().zip(buf.iter_mut()).zip(g) {
            (*xi, *bi) = self.apply(wd, mode, true, *xi, *bi, gi);
        }
    }

    /// The exact per-element check (the slow path): the first error in the documented order.
    /// A non-finite `d` makes `θ'` or `b'` non-finite (no operation of the update turns ±∞ or
    /// NaN into a finite value: γ > 0, and 0·∞ is NaN), so checking the new values covers it.
    #[cold]
    fn check_exact(
        &self,
        wd: bool,
        mode: u8,
        first: bool,
        buf: &[T],
        x: &[T],
        g: &[T],
    ) -> Result<(), Error> {
        let reads_buf = mode != PLAIN && !first;
        if !all_finite(x) || !all_finite(g) || (reads_buf && !all_finite(buf)) {
            return Err(Error::NonFiniteInput);
        }
        let ok = if mode == PLAIN {
            x.iter()
                .zip(g)
                .all(|(&xi, &gi)| self.apply(wd, mode, first, xi, T::ZERO, gi).0.is_finite())
        } else {
            x.iter().zip(buf).zip(g).all(|((&xi, &bi), &gi)| {
                let (a, b) = self.apply(wd, mode, first, xi, bi, gi);
                a.is_finite() && b.is_finite()
            })
        };
        if ok {
            Ok(())
        } else {
            Err(Error::NonFiniteGradient)
        }
    }
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
    // The momentum buffer is read from the second step on (torch initializes it at the first).
    lr_methods!(momentum, state: |s: &Self| {
        s.config.momentum == T::ZERO || s.t == 0 || all_finite(&s.buf[..])
    });
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
    // The momentum buffer is read from the second step on (torch initializes it at the first).
    lr_methods!(momentum, state: |s: &Self| {
        s.config.momentum == T::ZERO || *s.t == 0 || all_finite(&s.buf[..])
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heavy() -> SgdConfig<f64> {
        SgdConfig {
            lr: 0.1,
            momentum: 0.9,
            ..SgdConfig::default()
        }
    }

    #[test]
    fn invalid_buffer_is_rejected_without_writing() {
        for b0 in [
            [f64::NAN, 0.0],
            [0.0, f64::INFINITY],
            [f64::NEG_INFINITY, 1.0],
        ] {
            for nesterov in [0, 1] {
                let cfg = SgdConfig {
                    nesterov,
                    ..heavy()
                };
                let (mut t, mut b, mut x) = (3u32, b0, [1.0f64, 2.0]);
                assert_eq!(
                    sgd_step(&cfg, &mut t, &mut b, &mut x, &[0.5, 0.5]),
                    Err(Error::NonFiniteInput),
                    "{b0:?}"
                );
                assert_eq!((t, x), (3, [1.0, 2.0]));
                assert_eq!(b.map(f64::to_bits), b0.map(f64::to_bits));
            }
            // The first step seeds the buffer with g and reads nothing from it.
            let (mut t, mut b, mut x) = (0u32, b0, [1.0f64, 2.0]);
            sgd_step(&heavy(), &mut t, &mut b, &mut x, &[0.5, 0.5]).unwrap();
            assert_eq!((t, b), (1, [0.5, 0.5]));
            // Without momentum the buffer is not used at all.
            let plain = SgdConfig {
                momentum: 0.0,
                ..heavy()
            };
            let (mut t, mut b, mut x) = (3u32, b0, [1.0f64, 2.0]);
            sgd_step(&plain, &mut t, &mut b, &mut x, &[0.5, 0.5]).unwrap();
            assert_eq!(b.map(f64::to_bits), b0.map(f64::to_bits));
            assert_eq!((t, x), (4, [1.0 - 0.1 * 0.5, 2.0 - 0.1 * 0.5]));
        }
    }

    /// Near overflow the bounds of the read-only pass fail and the exact check decides: a huge
    /// but safe θ or buffer still takes its step; an update that would overflow θ or the
    /// buffer is refused.
    #[test]
    fn near_overflow_the_exact_check_decides() {
        let plain = SgdConfig::<f32> {
            lr: 0.5,
            ..SgdConfig::default()
        };
        let (mut t, mut x) = (0u32, [3e38f32, 1.0]);
        sgd_step(&plain, &mut t, &mut [], &mut x, &[1.0, -1.0]).unwrap();
        assert_eq!((t, x), (1, [3e38, 1.5]));

        let heavy = SgdConfig::<f32> {
            momentum: 0.5,
            ..plain
        };
        let (mut t, mut b, mut x) = (2u32, [2e38f32, 1.0], [1.0f32, 1.0]);
        sgd_step(&heavy, &mut t, &mut b, &mut x, &[1.0, 1.0]).unwrap();
        assert_eq!((t, b), (3, [1e38, 1.5]));
        assert_eq!(x, [1.0 - 0.5e38, 0.25]);

        let big = SgdConfig::<f32> { lr: 10.0, ..plain };
        let (mut t, mut x) = (0u32, [3e38f32]);
        assert_eq!(
            sgd_step(&big, &mut t, &mut [], &mut x, &[-1e37]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((t, x), (0, [3e38]));
        let (mut t, mut b, mut x) = (2u32, [3e38f32], [1.0f32]);
        let strong = SgdConfig::<f32> {
            momentum: 0.9,
            ..plain
        };
        assert_eq!(
            sgd_step(&strong, &mut t, &mut b, &mut x, &[1e38]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((t, b, x), (2, [3e38], [1.0]));
    }
}
