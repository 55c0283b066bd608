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
    /// Decay factor, finite and > 0 (torch's default 0.1).
    pub gamma: T,
}

impl<T: Real> StepLr<T> {
    /// [`Error::InvalidParameter`] unless `lr`, `gamma` finite and > 0 and `step_size ≥ 1`.
    pub fn new(lr: T, step_size: usize, gamma: T) -> Result<Self, Error> {
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
        ensure(pos(self.lr.to_f64()) && pos(self.gamma.to_f64()) && self.step_size >= 1)
    }
}

impl<T: Real> Schedule<T> for StepLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let k = step.checked_div(self.step_size).unwrap_or(0);
        out(self.lr.to_f64() * Real::powf(self.gamma.to_f64(), k as f64))
    }
}

/// torch's `ExponentialLR`: `lr · gamma^t`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ExponentialLr<T> {
    /// Initial rate, finite and > 0.
    pub lr: T,
    /// Decay factor per step, finite and > 0.
    pub gamma: T,
}

impl<T: Real> ExponentialLr<T> {
    /// [`Error::InvalidParameter`] unless `lr` and `gamma` are finite and > 0.
    ///
    /// ```
    /// use lossmap::optim::{ExponentialLr, Schedule};
    /// let mut s = ExponentialLr::new(1.0f64, 0.5).unwrap();
    /// assert_eq!(s.lr(3, 0.0).unwrap(), 0.125);
    /// ```
    pub fn new(lr: T, gamma: T) -> Result<Self, Error> {
        let s = ExponentialLr { lr, gamma };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        ensure(pos(self.lr.to_f64()) && pos(self.gamma.to_f64()))
    }
}

impl<T: Real> Schedule<T> for ExponentialLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        out(self.lr.to_f64() * Real::powf(self.gamma.to_f64(), step as f64))
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

impl<T: Real> Schedule<T> for CosineAnnealingWarmRestarts<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let (t_cur, t_i) = self.position(step);
        let (base, eta_min) = (self.lr.to_f64(), self.eta_min.to_f64());
        let c = Real::cos(PI * t_cur as f64 / t_i as f64);
        out(eta_min + (base - eta_min) * (1.0 + c) / 2.0)
    }
}

/// torch's `CyclicLR` with `scale_mode="cycle"`: triangular waves between `base_lr` and
/// `max_lr`, rising over `step_size_up` steps and falling over `step_size_down`, with a constant
/// amplitude (`mode` 0, torch's `"triangular"`) or one halved every cycle (`mode` 1,
/// `"triangular2"`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CyclicLr<T> {
    /// Lower rate, finite and > 0.
    pub base_lr: T,
    /// Upper rate, finite and ≥ `base_lr`.
    pub max_lr: T,
    /// Steps from `base_lr` up to `max_lr`, ≥ 1.
    pub step_size_up: usize,
    /// Steps from `max_lr` back down, ≥ 1 (torch's default: `step_size_up`).
    pub step_size_down: usize,
    /// 0: constant amplitude (triangular); 1: amplitude halved every cycle (triangular2).
    pub mode: i32,
}

impl<T: Real> CyclicLr<T> {
    /// [`Error::InvalidParameter`] unless `0 < base_lr ≤ max_lr` (finite), both step sizes
    /// ≥ 1 with a representable sum, and `mode` is [`CYCLIC_TRIANGULAR`] or
    /// [`CYCLIC_TRIANGULAR2`].
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
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        let (b, m) = (self.base_lr.to_f64(), self.max_lr.to_f64());
        ensure(
            pos(b)
                && pos(m)
                && m >= b
                && self.step_size_up >= 1
                && self.step_size_down >= 1
                && self.step_size_up.checked_add(self.step_size_down).is_some()
                && (self.mode == CYCLIC_TRIANGULAR || self.mode == CYCLIC_TRIANGULAR2),
        )
    }
}

impl<T: Real> Schedule<T> for CyclicLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
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
        let scale = if self.mode == CYCLIC_TRIANGULAR2 {
            1.0 / Real::powf(2.0f64, cycle - 1.0)
        } else {
            1.0
        };
        let (b, m) = (self.base_lr.to_f64(), self.max_lr.to_f64());
        out(b + (m - b) * s * scale)
    }
}

/// torch's `OneCycleLR`, two-phase cosine variant: warm up from `max_lr/div_factor` to `max_lr`
/// over the first `pct_start` of `total_steps`, then anneal to
/// `max_lr/(div_factor·final_div_factor)`. Steps beyond `total_steps` are an error, as in torch.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct OneCycleLr<T> {
    /// Peak rate, finite and > 0.
    pub max_lr: T,
    /// Length of the schedule in steps.
    pub total_steps: usize,
    /// Fraction of the steps spent warming up, in (0, 1) (torch's default 0.3); both phases
    /// must span at least one step: `1 < pct_start·total_steps < total_steps`.
    pub pct_start: T,
    /// `initial = max_lr / div_factor`, > 0 (torch's default 25).
    pub div_factor: T,
    /// `final = initial / final_div_factor`, > 0 (torch's default 1e4).
    pub final_div_factor: T,
}

impl<T: Real> OneCycleLr<T> {
    /// [`Error::InvalidParameter`] for parameters out of range (see the fields).
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
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        self.phases().map(|_| ())
    }

    /// `(e₁, e₂, initial, max, min)`, checked.
    fn phases(&self) -> Result<(f64, f64, f64, f64, f64), Error> {
        let (m, p) = (self.max_lr.to_f64(), self.pct_start.to_f64());
        let (d, fd) = (self.div_factor.to_f64(), self.final_div_factor.to_f64());
        ensure(pos(m) && pos(d) && pos(fd) && p > 0.0 && p < 1.0 && self.total_steps >= 1)?;
        let e1 = p * self.total_steps as f64 - 1.0;
        let e2 = self.total_steps as f64 - 1.0;
        let initial = m / d;
        let min = initial / fd;
        ensure(e1 > 0.0 && e2 > e1 && pos(initial) && pos(min))?;
        Ok((e1, e2, initial, m, min))
    }
}

/// torch's `_annealing_cos`: from `start` at `pct = 0` to `end` at `pct = 1`.
fn anneal_cos(start: f64, end: f64, pct: f64) -> f64 {
    let c = Real::cos(PI * pct) + 1.0;
    end + (start - end) / 2.0 * c
}

impl<T: Real> Schedule<T> for OneCycleLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        let (e1, e2, initial, max, min) = self.phases()?;
        ensure(step <= self.total_steps)?;
        let t = step as f64;
        let v = if t <= e1 {
            anneal_cos(initial, max, t / e1)
        } else {
            anneal_cos(max, min, (t - e1) / (e2 - e1))
        };
        out(v)
    }
}
