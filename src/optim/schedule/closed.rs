//! The schedules that depend on the step only: constant, StepLR, ExponentialLR, SGDR, CyclicLR,
//! OneCycleLR (formulas in the parent module's documentation).

use super::{ensure, out, pos};
use crate::optim::Schedule;
use crate::{Error, Real};

/// [`CyclicLr::mode`]: torch's `"triangular"` (constant amplitude).
pub const CYCLIC_TRIANGULAR: i32 = 0;
/// [`CyclicLr::mode`]: torch's `"triangular2"` (amplitude halved every cycle).
pub const CYCLIC_TRIANGULAR2: i32 = 1;

/// π in f64.
const PI: f64 = core::f64::consts::PI;

/// A fixed rate.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ConstantLr<T> {
    /// The rate, finite and > 0.
    pub lr: T,
}

impl<T: Real> ConstantLr<T> {
    /// A constant rate; [`Error::InvalidParameter`] unless finite and > 0.
    ///
    /// ```
    /// use lossmap::optim::{ConstantLr, Schedule};
    /// let mut s = ConstantLr::new(0.01f32).unwrap();
    /// assert_eq!(s.lr(1000, 3.0).unwrap(), 0.01);
    /// assert!(ConstantLr::new(0.0f32).is_err());
    /// ```
    pub fn new(lr: T) -> Result<Self, Error> {
        let s = ConstantLr { lr };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        ensure(pos(self.lr.to_f64()))
    }
}

impl<T: Real> Schedule<T> for ConstantLr<T> {
    fn lr(&mut self, _step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        Ok(self.lr)
    }
}

/// torch's `StepLR`: `lr · gamma^⌊t / step_size⌋`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct StepLr<T> {
    /// Initial rate (torch's `base_lr`), finite and > 0.
    pub lr: T,
    /// Steps between decays, ≥ 1.
    pub step_size: usize,
    /// Decay factor, finite and > 0 (torch's default 0.1); `f64` whatever `T` is, as torch
    /// keeps it (`gamma^k` would multiply the rounding of an `f32` γ by `k`).
    pub gamma: f64,
}

impl<T: Real> StepLr<T> {
    /// [`Error::InvalidParameter`] unless `lr`, `gamma` finite and > 0 and `step_size ≥ 1`.
    pub fn new(lr: T, step_size: usize, gamma: f64) -> Result<Self, Error> {
        let s = StepLr {
            lr,
            step_size,
            gamma,
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        ensure(pos(self.lr.to_f64()) && pos(self.gamma) && self.step_size >= 1)
    }
}

impl<T: Real> Schedule<T> for StepLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let k = step.checked_div(self.step_size).unwrap_or(0);
        out(self.lr.to_f64() * Real::powf(self.gamma, k as f64))
    }
}

/// torch's `ExponentialLR`: `lr · gamma^t`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ExponentialLr<T> {
    /// Initial rate, finite and > 0.
    pub lr: T,
    /// Decay factor per step, finite and > 0; `f64` whatever `T` is, as torch keeps it
    /// (`gamma^t` would multiply the rounding of an `f32` γ by `t`).
    pub gamma: f64,
}

impl<T: Real> ExponentialLr<T> {
    /// [`Error::InvalidParameter`] unless `lr` and `gamma` are finite and > 0.
    ///
    /// ```
    /// use lossmap::optim::{ExponentialLr, Schedule};
    /// let mut s = ExponentialLr::new(1.0f64, 0.5).unwrap();
    /// assert_eq!(s.lr(3, 0.0).unwrap(), 0.125);
    /// ```
    pub fn new(lr: T, gamma: f64) -> Result<Self, Error> {
        let s = ExponentialLr { lr, gamma };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        ensure(pos(self.lr.to_f64()) && pos(self.gamma))
    }
}

impl<T: Real> Schedule<T> for ExponentialLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        out(self.lr.to_f64() * Real::powf(self.gamma, step as f64))
    }
}

/// torch's `CosineAnnealingWarmRestarts` (SGDR): cosine from `lr` down towards `eta_min` over
/// periods of `t_0`, `t_0·t_mult`, `t_0·t_mult²`, … steps, restarting at `lr` after each.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CosineAnnealingWarmRestarts<T> {
    /// Rate at each restart (torch's `base_lr`), finite and > 0.
    pub lr: T,
    /// First period in steps (torch's `T_0`), ≥ 1.
    pub t_0: usize,
    /// Period growth factor (torch's `T_mult`), ≥ 1.
    pub t_mult: usize,
    /// Floor of the cosine (torch's `eta_min`), finite and ≥ 0.
    pub eta_min: T,
}

impl<T: Real> CosineAnnealingWarmRestarts<T> {
    /// [`Error::InvalidParameter`] unless `lr > 0`, `t_0 ≥ 1`, `t_mult ≥ 1`, `eta_min ≥ 0`
    /// (all finite).
    ///
    /// ```
    /// use lossmap::optim::{CosineAnnealingWarmRestarts, Schedule};
    /// let mut s = CosineAnnealingWarmRestarts::new(1.0f64, 10, 2, 0.0).unwrap();
    /// assert!((s.lr(5, 0.0).unwrap() - 0.5).abs() < 1e-15); // half way through the first period
    /// assert_eq!(s.lr(10, 0.0).unwrap(), 1.0); // restart
    /// assert_eq!(s.lr(30, 0.0).unwrap(), 1.0); // second period is 20 steps
    /// ```
    pub fn new(lr: T, t_0: usize, t_mult: usize, eta_min: T) -> Result<Self, Error> {
        let s = CosineAnnealingWarmRestarts {
            lr,
            t_0,
            t_mult,
            eta_min,
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        let e = self.eta_min.to_f64();
        ensure(
            pos(self.lr.to_f64()) && e.is_finite() && e >= 0.0 && self.t_0 >= 1 && self.t_mult >= 1,
        )
    }

    /// `(T_cur, T_i)` at `step`.
    fn position(&self, step: usize) -> (usize, usize) {
        if self.t_mult == 1 {
            return (step.checked_rem(self.t_0).unwrap_or(0), self.t_0);
        }
        let (mut t, mut period) = (step, self.t_0);
        // Each pass multiplies `period` by ≥ 2: at most usize::BITS passes before it
        // saturates above any `t`.
        while t >= period && period > 0 {
            t -= period;
            period = period.saturating_mul(self.t_mult);
        }
        (t, period)
    }
}

impl<T: Real> CosineAnnealingWarmRestarts<T> {
    /// The rate at a fractional epoch (torch's `step(epoch)` with a float, e.g.
    /// `epoch + i/iters` inside an epoch), torch's formulas: for `epoch ≥ T_0`,
    /// `T_cur = epoch mod T_0` (`T_mult = 1`) or, with
    /// `n = ⌊log_{T_mult}(epoch/T_0·(T_mult − 1) + 1)⌋`, `T_cur = epoch − T_0(T_mult^n − 1)/(T_mult − 1)`
    /// and `T_i = T_0·T_mult^n`. [`Error::InvalidParameter`] for a negative or non-finite
    /// epoch.
    ///
    /// ```
    /// use lossmap::optim::CosineAnnealingWarmRestarts;
    /// let s = CosineAnnealingWarmRestarts::new(1.0f64, 10, 2, 0.0).unwrap();
    /// assert!((s.lr_at(2.5).unwrap() - (1.0 + (core::f64::consts::PI / 4.0).cos()) / 2.0).abs() < 1e-15);
    /// assert!((s.lr_at(20.0).unwrap() - 0.5).abs() < 1e-15); // half way through the second period
    /// ```
    pub fn lr_at(&self, epoch: f64) -> Result<T, Error> {
        self.validate()?;
        ensure(epoch.is_finite() && epoch >= 0.0)?;
        let (t0, tm) = (self.t_0 as f64, self.t_mult as f64);
        let (t_cur, t_i) = if epoch >= t0 {
            if self.t_mult == 1 {
                (epoch % t0, t0)
            } else {
                let n = Real::floor(Real::ln(epoch / t0 * (tm - 1.0) + 1.0) / Real::ln(tm));
                let p = Real::powf(tm, n);
                (epoch - t0 * (p - 1.0) / (tm - 1.0), t0 * p)
            }
        } else {
            (epoch, t0)
        };
        let (base, eta_min) = (self.lr.to_f64(), self.eta_min.to_f64());
        let c = Real::cos(PI * t_cur / t_i);
        out(eta_min + (base - eta_min) * (1.0 + c) / 2.0)
    }
}

impl<T: Real> Schedule<T> for CosineAnnealingWarmRestarts<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let (t_cur, t_i) = self.position(step);
        let (base, eta_min) = (self.lr.to_f64(), self.eta_min.to_f64());
        let c = Real::cos(PI * t_cur as f64 / t_i as f64);
        out(eta_min + (base - eta_min) * (1.0 + c) / 2.0)
    }
}

/// torch's `CyclicLR`: triangular waves between `base_lr` and `max_lr`, rising over
/// `step_size_up` steps and falling over `step_size_down`, with an amplitude scaled by
/// `scale(cycle)` or `scale(step)` (`scale_mode`): 1 (`mode` triangular), `1/2^(cycle−1)`
/// (triangular2) or `gamma^x` (exp_range); in Rust a custom scale function through
/// the method `lr_scaled`. With `cycle_momentum = 1` the momentum cycles inversely between
/// `max_momentum` and `base_momentum` (the drivers set it in the optimizer).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CyclicLr<T> {
    /// Lower rate, finite and > 0.
    pub base_lr: T,
    /// Upper rate, finite and ≥ `base_lr`.
    pub max_lr: T,
    /// Steps from `base_lr` up to `max_lr`, ≥ 1 (torch's default 2000).
    pub step_size_up: usize,
    /// Steps from `max_lr` back down, ≥ 1 (torch's default: `step_size_up`).
    pub step_size_down: usize,
    /// 0: constant amplitude (triangular); 1: amplitude halved every cycle (triangular2);
    /// 2: amplitude `gamma^x` (exp_range).
    pub mode: i32,
    /// Base of the exp_range scale, finite and > 0 (torch's default 1); `f64` whatever `T` is.
    pub gamma: f64,
    /// The scale's argument: `CYCLIC_SCALE_CYCLE` = 0 (the cycle number) or
    /// `CYCLIC_SCALE_ITERATIONS` = 1 (the step); torch's default is cycle for triangular and
    /// triangular2, iterations for exp_range. torch reads `scale_mode` only with a user
    /// `scale_fn` (a built-in mode forces its default); the other scale mode with a built-in
    /// `mode` here is torch's `CyclicLR` given that mode's function as `scale_fn`.
    pub scale_mode: i32,
    /// Cycle the momentum as well: 0 or 1 (torch's default is 1; `new` leaves it 0).
    pub cycle_momentum: u8,
    /// Momentum at the peak rate, in [0, `max_momentum`] (torch's default 0.8).
    pub base_momentum: T,
    /// Momentum at the lowest rate, in `[base_momentum, 1)` (torch's default 0.9).
    pub max_momentum: T,
}

/// [`CyclicLr::scale_mode`]: the scale is a function of the cycle number (from 1).
pub const CYCLIC_SCALE_CYCLE: i32 = 0;
/// [`CyclicLr::scale_mode`]: the scale is a function of the step.
pub const CYCLIC_SCALE_ITERATIONS: i32 = 1;
/// [`CyclicLr::mode`]: torch's `"exp_range"` (amplitude `gamma^x`).
pub const CYCLIC_EXP_RANGE: i32 = 2;

impl<T: Real> CyclicLr<T> {
    /// [`Error::InvalidParameter`] unless `0 < base_lr ≤ max_lr` (finite), both step sizes
    /// ≥ 1 with a representable sum, and `mode` is [`CYCLIC_TRIANGULAR`],
    /// [`CYCLIC_TRIANGULAR2`] or [`CYCLIC_EXP_RANGE`]. `gamma = 1`, the scale mode torch's
    /// default for `mode`, no momentum cycling (see [`with_momentum`](Self::with_momentum)).
    ///
    /// ```
    /// use lossmap::optim::{CyclicLr, Schedule, CYCLIC_TRIANGULAR2};
    /// let mut s = CyclicLr::new(0.1f64, 1.0, 4, 6, CYCLIC_TRIANGULAR2).unwrap();
    /// assert_eq!(s.lr(0, 0.0).unwrap(), 0.1);
    /// assert!((s.lr(4, 0.0).unwrap() - 1.0).abs() < 1e-15); // first peak
    /// assert!((s.lr(14, 0.0).unwrap() - 0.55).abs() < 1e-15); // second peak, half the height
    /// ```
    pub fn new(
        base_lr: T,
        max_lr: T,
        step_size_up: usize,
        step_size_down: usize,
        mode: i32,
    ) -> Result<Self, Error> {
        let s = CyclicLr {
            base_lr,
            max_lr,
            step_size_up,
            step_size_down,
            mode,
            gamma: 1.0,
            scale_mode: if mode == CYCLIC_EXP_RANGE {
                CYCLIC_SCALE_ITERATIONS
            } else {
                CYCLIC_SCALE_CYCLE
            },
            cycle_momentum: 0,
            base_momentum: T::from_f64(0.8),
            max_momentum: T::from_f64(0.9),
        };
        s.validate()?;
        Ok(s)
    }
    /// The same with `gamma` (exp_range's base).
    pub fn with_gamma(self, gamma: f64) -> Result<Self, Error> {
        let s = CyclicLr { gamma, ..self };
        s.validate()?;
        Ok(s)
    }
    /// The same with momentum cycling between `base_momentum` (at the peak rate) and
    /// `max_momentum` (at the lowest rate); torch's defaults are 0.8 and 0.9.
    pub fn with_momentum(self, base_momentum: T, max_momentum: T) -> Result<Self, Error> {
        let s = CyclicLr {
            cycle_momentum: 1,
            base_momentum,
            max_momentum,
            ..self
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        let (b, m) = (self.base_lr.to_f64(), self.max_lr.to_f64());
        let (bm, mm) = (self.base_momentum.to_f64(), self.max_momentum.to_f64());
        ensure(
            pos(b)
                && pos(m)
                && m >= b
                && self.step_size_up >= 1
                && self.step_size_down >= 1
                && self.step_size_up.checked_add(self.step_size_down).is_some()
                && (CYCLIC_TRIANGULAR..=CYCLIC_EXP_RANGE).contains(&self.mode)
                && pos(self.gamma)
                && (self.scale_mode == CYCLIC_SCALE_CYCLE
                    || self.scale_mode == CYCLIC_SCALE_ITERATIONS)
                && self.cycle_momentum <= 1
                && bm >= 0.0
                && bm <= mm
                && mm < 1.0,
        )
    }

    /// `(scale_factor, cycle)` at `step`, torch's `get_lr` arithmetic.
    fn wave(&self, step: usize) -> (f64, f64) {
        let up = self.step_size_up as f64;
        let total = up + self.step_size_down as f64;
        let ratio = up / total;
        let cycle = Real::floor(1.0 + step as f64 / total);
        let x = 1.0 + step as f64 / total - cycle;
        let s = if x <= ratio {
            x / ratio
        } else {
            (x - 1.0) / (ratio - 1.0)
        };
        (s, cycle)
    }

    /// The built-in scale of `mode` at `x` (the cycle or the step).
    fn scale(&self, x: f64) -> f64 {
        match self.mode {
            CYCLIC_TRIANGULAR2 => 1.0 / Real::powf(2.0f64, x - 1.0),
            CYCLIC_EXP_RANGE => Real::powf(self.gamma, x),
            _ => 1.0,
        }
    }

    /// The scale's argument at `step`.
    fn scale_arg(&self, step: usize, cycle: f64) -> f64 {
        if self.scale_mode == CYCLIC_SCALE_ITERATIONS {
            step as f64
        } else {
            cycle
        }
    }

    /// The rate at `step` with a custom scale function (torch's `scale_fn`, called with the
    /// cycle number or the step as `scale_mode` says) instead of `mode`'s; the function must
    /// return a finite value ≥ 0 ([`Error::InvalidParameter`] otherwise).
    ///
    /// ```
    /// use lossmap::optim::{CyclicLr, CYCLIC_TRIANGULAR};
    /// let s = CyclicLr::new(0.1f64, 1.0, 5, 5, CYCLIC_TRIANGULAR).unwrap();
    /// // Peaks shrinking as 1/cycle.
    /// assert!((s.lr_scaled(15, |c| 1.0 / c).unwrap() - 0.55).abs() < 1e-15);
    /// ```
    pub fn lr_scaled(&self, step: usize, scale: impl FnOnce(f64) -> f64) -> Result<T, Error> {
        self.validate()?;
        let (s, cycle) = self.wave(step);
        let k = scale(self.scale_arg(step, cycle));
        ensure(k.is_finite() && k >= 0.0)?;
        let (b, m) = (self.base_lr.to_f64(), self.max_lr.to_f64());
        // torch: base_height = (max_lr − base_lr)·scale_factor; lr = base_lr + base_height·scale.
        let height = (m - b) * s;
        out(b + height * k)
    }

    /// The momentum at `step` with a custom scale function (see [`lr_scaled`](Self::lr_scaled)).
    pub fn momentum_scaled(&self, step: usize, scale: impl FnOnce(f64) -> f64) -> Result<T, Error> {
        self.validate()?;
        let (s, cycle) = self.wave(step);
        let k = scale(self.scale_arg(step, cycle));
        ensure(k.is_finite() && k >= 0.0)?;
        let (bm, mm) = (self.base_momentum.to_f64(), self.max_momentum.to_f64());
        let height = (mm - bm) * s;
        let m = mm - height * k;
        // A scale above 1 could push the momentum out of [0, 1).
        ensure((0.0..1.0).contains(&m))?;
        Ok(T::from_f64(m))
    }

    /// The momentum at `step` (when `cycle_momentum = 1`), torch's formula
    /// `max_momentum − (max_momentum − base_momentum)·s·scale`.
    pub fn momentum_at(&self, step: usize) -> Result<T, Error> {
        self.momentum_scaled(step, |x| self.scale(x))
    }
}

impl<T: Real> Schedule<T> for CyclicLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        let me = *self;
        self.lr_scaled(step, |x| me.scale(x))
    }
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        (self.cycle_momentum != 0).then(|| self.momentum_at(step))
    }
}

/// [`CyclicLr`] with a custom scale function (torch's `scale_fn`): `scale(x)`, `x` the cycle
/// number or the step as `cyclic.scale_mode` says, replaces the scale of `cyclic.mode`, for the
/// rate and (with `cycle_momentum`) the momentum.
///
/// ```
/// use lossmap::optim::{CyclicLr, CyclicScaledLr, Schedule, CYCLIC_TRIANGULAR};
/// let c = CyclicLr::new(0.1f64, 1.0, 5, 5, CYCLIC_TRIANGULAR).unwrap();
/// let mut s = CyclicScaledLr { cyclic: c, scale: |cycle: f64| 1.0 / cycle };
/// assert!((s.lr(15, 0.0).unwrap() - 0.55).abs() < 1e-15); // second peak at half the height
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CyclicScaledLr<T, F> {
    /// The wave's parameters (its `mode` is ignored).
    pub cyclic: CyclicLr<T>,
    /// The scale function, returning a finite value ≥ 0.
    pub scale: F,
}

impl<T: Real, F: FnMut(f64) -> f64> Schedule<T> for CyclicScaledLr<T, F> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.cyclic.lr_scaled(step, &mut self.scale)
    }
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        let scale = &mut self.scale;
        (self.cyclic.cycle_momentum != 0).then(|| self.cyclic.momentum_scaled(step, scale))
    }
}

/// torch's `OneCycleLR`: warm up from `max_lr/div_factor` to `max_lr` over the first
/// `pct_start` of `total_steps`, then anneal to `max_lr/(div_factor·final_div_factor)`
/// (`three_phase = 0`, torch's default), or go back down to the initial rate over as many steps
/// and then anneal to the minimum (`three_phase = 1`); cosine (`anneal_strategy`
/// `ANNEAL_COS`, torch's default) or linear (`ANNEAL_LINEAR`) annealing; with
/// `cycle_momentum = 1` the momentum moves inversely between `max_momentum` and
/// `base_momentum` (the drivers set it in the optimizer). Steps beyond `total_steps` are an error, as in
/// torch.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct OneCycleLr<T> {
    /// Peak rate, finite and > 0.
    pub max_lr: T,
    /// Length of the schedule in steps (torch's `total_steps`, or `epochs·steps_per_epoch`:
    /// the constructor `from_epochs`).
    pub total_steps: usize,
    /// Fraction of the steps spent warming up, in (0, 1) (torch's default 0.3); every phase
    /// must span at least one step: `1 < pct_start·total_steps < total_steps` (two phases),
    /// `1 < pct_start·total_steps` and `2·pct_start·total_steps − 2 < total_steps − 1` (three).
    pub pct_start: T,
    /// `initial = max_lr / div_factor`, > 0 (torch's default 25).
    pub div_factor: T,
    /// `final = initial / final_div_factor`, > 0 (torch's default 1e4).
    pub final_div_factor: T,
    /// torch's `three_phase`: 0 (default) or 1.
    pub three_phase: u8,
    /// `ANNEAL_COS` = 0 (default) or `ANNEAL_LINEAR` = 1.
    pub anneal_strategy: i32,
    /// Cycle the momentum as well: 0 or 1 (torch's default is 1; `new` leaves it 0).
    pub cycle_momentum: u8,
    /// Momentum at the peak rate, in [0, `max_momentum`] (torch's default 0.85).
    pub base_momentum: T,
    /// Momentum at the start and the end, in `[base_momentum, 1)` (torch's default 0.95).
    pub max_momentum: T,
}

/// [`OneCycleLr::anneal_strategy`]: torch's `"cos"`.
pub const ANNEAL_COS: i32 = 0;
/// [`OneCycleLr::anneal_strategy`]: torch's `"linear"`.
pub const ANNEAL_LINEAR: i32 = 1;

/// One phase of the one-cycle schedule: `(end_step, start_lr, end_lr, start_m, end_m)`.
type Phase = (f64, f64, f64, f64, f64);

impl<T: Real> OneCycleLr<T> {
    /// [`Error::InvalidParameter`] for parameters out of range (see the fields). Two phases,
    /// cosine annealing, no momentum cycling (see [`with_momentum`](Self::with_momentum)).
    ///
    /// ```
    /// use lossmap::optim::{OneCycleLr, Schedule};
    /// let mut s = OneCycleLr::new(1.0f64, 100, 0.3, 25.0, 1e4).unwrap();
    /// assert!((s.lr(0, 0.0).unwrap() - 0.04).abs() < 1e-15);
    /// assert!((s.lr(29, 0.0).unwrap() - 1.0).abs() < 1e-15);
    /// assert!((s.lr(99, 0.0).unwrap() - 4e-6).abs() < 1e-18);
    /// assert!(s.lr(101, 0.0).is_err());
    /// ```
    pub fn new(
        max_lr: T,
        total_steps: usize,
        pct_start: T,
        div_factor: T,
        final_div_factor: T,
    ) -> Result<Self, Error> {
        let s = OneCycleLr {
            max_lr,
            total_steps,
            pct_start,
            div_factor,
            final_div_factor,
            three_phase: 0,
            anneal_strategy: ANNEAL_COS,
            cycle_momentum: 0,
            base_momentum: T::from_f64(0.85),
            max_momentum: T::from_f64(0.95),
        };
        s.validate()?;
        Ok(s)
    }
    /// torch's `epochs` × `steps_per_epoch` form: `total_steps = epochs·steps_per_epoch`
    /// ([`Error::InvalidParameter`] if that overflows), torch's defaults otherwise
    /// (`pct_start` 0.3, `div_factor` 25, `final_div_factor` 1e4).
    pub fn from_epochs(max_lr: T, epochs: usize, steps_per_epoch: usize) -> Result<Self, Error> {
        let total = epochs
            .checked_mul(steps_per_epoch)
            .ok_or(Error::InvalidParameter)?;
        Self::new(
            max_lr,
            total,
            T::from_f64(0.3),
            T::from_f64(25.0),
            T::from_f64(1e4),
        )
    }
    /// The same with `three_phase` and `anneal_strategy`.
    pub fn with_shape(self, three_phase: bool, anneal_strategy: i32) -> Result<Self, Error> {
        let s = OneCycleLr {
            three_phase: u8::from(three_phase),
            anneal_strategy,
            ..self
        };
        s.validate()?;
        Ok(s)
    }
    /// The same with momentum cycling (torch's defaults 0.85, 0.95).
    pub fn with_momentum(self, base_momentum: T, max_momentum: T) -> Result<Self, Error> {
        let s = OneCycleLr {
            cycle_momentum: 1,
            base_momentum,
            max_momentum,
            ..self
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        self.phases().map(|_| ())
    }

    /// The phases (two or three; unused entries repeat the last), checked.
    fn phases(&self) -> Result<([Phase; 3], usize), Error> {
        let (m, p) = (self.max_lr.to_f64(), self.pct_start.to_f64());
        let (d, fd) = (self.div_factor.to_f64(), self.final_div_factor.to_f64());
        let (bm, mm) = (self.base_momentum.to_f64(), self.max_momentum.to_f64());
        ensure(
            pos(m)
                && pos(d)
                && pos(fd)
                && p > 0.0
                && p < 1.0
                && self.total_steps >= 1
                && self.three_phase <= 1
                && (self.anneal_strategy == ANNEAL_COS || self.anneal_strategy == ANNEAL_LINEAR)
                && self.cycle_momentum <= 1
                && bm >= 0.0
                && bm <= mm
                && mm < 1.0,
        )?;
        let n = self.total_steps as f64;
        let e1 = p * n - 1.0;
        let last = n - 1.0;
        let initial = m / d;
        let min = initial / fd;
        ensure(e1 > 0.0 && pos(initial) && pos(min))?;
        if self.three_phase != 0 {
            let e2 = 2.0 * p * n - 2.0;
            ensure(e2 > e1 && last > e2)?;
            let ph = [
                (e1, initial, m, mm, bm),
                (e2, m, initial, bm, mm),
                (last, initial, min, mm, mm),
            ];
            Ok((ph, 3))
        } else {
            ensure(last > e1)?;
            let end = (last, m, min, bm, mm);
            Ok(([(e1, initial, m, mm, bm), end, end], 2))
        }
    }

    /// `(lr, momentum)` at `step`, torch's `get_lr` loop over the phases.
    fn at(&self, step: usize) -> Result<(f64, f64), Error> {
        let (phases, count) = self.phases()?;
        ensure(step <= self.total_steps)?;
        let t = step as f64;
        let anneal = |a: f64, b: f64, pct: f64| {
            if self.anneal_strategy == ANNEAL_LINEAR {
                (b - a) * pct + a
            } else {
                anneal_cos(a, b, pct)
            }
        };
        let mut start = 0.0;
        for (i, &(end, a, b, ma, mb)) in phases.iter().take(count).enumerate() {
            if t <= end || i + 1 == count {
                let pct = (t - start) / (end - start);
                return Ok((anneal(a, b, pct), anneal(ma, mb, pct)));
            }
            start = end;
        }
        Err(Error::InvalidParameter)
    }
}

/// torch's `_annealing_cos`: from `start` at `pct = 0` to `end` at `pct = 1`.
fn anneal_cos(start: f64, end: f64, pct: f64) -> f64 {
    let c = Real::cos(PI * pct) + 1.0;
    end + (start - end) / 2.0 * c
}

impl<T: Real> Schedule<T> for OneCycleLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        out(self.at(step)?.0)
    }
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        (self.cycle_momentum != 0).then(|| self.at(step).map(|(_, m)| T::from_f64(m)))
    }
}
