//! The schedules driven by the loss: ReduceLROnPlateau and the PI controller (formulas in the
//! parent module's documentation).

use super::{ensure, out, pos};
use crate::optim::Schedule;
use crate::{Error, Real};

/// Parameters of the plateau schedule (torch's `ReduceLROnPlateau` names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PlateauConfig<T> {
    /// Initial rate, finite and > 0 (default 1e-3).
    pub lr: T,
    /// Reduction factor, in (0, 1) (default 0.1).
    pub factor: T,
    /// Calls without improvement tolerated before a reduction (default 10).
    pub patience: usize,
    /// Improvement that counts, in [0, 1) (default 1e-4): `loss < best·(1 − threshold)` (mode
    /// min, relative), `loss < best − threshold` (min, absolute), `loss > best·(1 + threshold)`
    /// (max, relative), `loss > best + threshold` (max, absolute).
    pub threshold: T,
    /// Calls after a reduction during which bad calls are not counted (default 0).
    pub cooldown: usize,
    /// Floor of the rate, finite and ≥ 0 (default 0).
    pub min_lr: T,
    /// A reduction smaller than this is skipped, finite and ≥ 0 (default 1e-8).
    pub eps: T,
    /// torch's `mode`: `PLATEAU_MIN` = 0 (the default: lower is better) or `PLATEAU_MAX` = 1
    /// (higher is better, e.g. an accuracy).
    pub mode: i32,
    /// torch's `threshold_mode`: `PLATEAU_REL` = 0 (the default: relative to `best`) or
    /// `PLATEAU_ABS` = 1 (absolute).
    pub threshold_mode: i32,
}

/// [`PlateauConfig::mode`]: torch's `"min"` (the loss should fall).
pub const PLATEAU_MIN: i32 = 0;
/// [`PlateauConfig::mode`]: torch's `"max"` (the metric should rise).
pub const PLATEAU_MAX: i32 = 1;
/// [`PlateauConfig::threshold_mode`]: torch's `"rel"`.
pub const PLATEAU_REL: i32 = 0;
/// [`PlateauConfig::threshold_mode`]: torch's `"abs"`.
pub const PLATEAU_ABS: i32 = 1;

impl<T: Real> Default for PlateauConfig<T> {
    fn default() -> Self {
        PlateauConfig {
            lr: T::from_f64(1e-3),
            factor: T::from_f64(0.1),
            patience: 10,
            threshold: T::from_f64(1e-4),
            cooldown: 0,
            min_lr: T::ZERO,
            eps: T::from_f64(1e-8),
            mode: PLATEAU_MIN,
            threshold_mode: PLATEAU_REL,
        }
    }
}

impl<T: Real> PlateauConfig<T> {
    /// Checks every parameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        let nonneg = |v: T| v.is_finite() && v >= T::ZERO;
        ensure(
            pos(self.lr.to_f64())
                && self.factor > T::ZERO
                && self.factor < T::ONE
                && nonneg(self.threshold)
                && self.threshold < T::ONE
                && nonneg(self.min_lr)
                && nonneg(self.eps)
                && (self.mode == PLATEAU_MIN || self.mode == PLATEAU_MAX)
                && (self.threshold_mode == PLATEAU_REL || self.threshold_mode == PLATEAU_ABS),
        )
    }
}

/// torch's `ReduceLROnPlateau`: divides the rate by `1/factor` when the loss (or, in mode max,
/// the metric) has not improved for more than `patience` calls. In the drivers the first call
/// comes after the first step, as in torch.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ReduceLrOnPlateau<T> {
    /// Parameters.
    pub config: PlateauConfig<T>,
    /// Current rate.
    pub lr: T,
    /// Best loss so far (+∞ before the first call; −∞ in mode max).
    pub best: T,
    /// Consecutive calls without improvement.
    pub num_bad: usize,
    /// Calls of cooldown left.
    pub cooldown_left: usize,
}

impl<T: Real> ReduceLrOnPlateau<T> {
    /// A fresh schedule; [`Error::InvalidParameter`] for a bad `config`.
    ///
    /// ```
    /// use lossmap::optim::{PlateauConfig, ReduceLrOnPlateau, Schedule};
    /// let cfg = PlateauConfig { lr: 1.0f64, patience: 2, ..PlateauConfig::default() };
    /// let mut s = ReduceLrOnPlateau::new(cfg).unwrap();
    /// let rates: Vec<f64> = (0..5).map(|t| s.lr(t, 5.0).unwrap()).collect();
    /// assert_eq!(rates, [1.0, 1.0, 1.0, 0.1, 0.1]); // 3 calls without improvement, then cut
    /// ```
    pub fn new(config: PlateauConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(ReduceLrOnPlateau {
            config,
            lr: config.lr,
            best: T::from_f64(worst(config.mode)),
            num_bad: 0,
            cooldown_left: 0,
        })
    }

    /// Forgets the history: back to the initial rate.
    pub fn reset(&mut self) {
        self.lr = self.config.lr;
        self.best = T::from_f64(worst(self.config.mode));
        self.num_bad = 0;
        self.cooldown_left = 0;
    }
}

impl<T: Real> Schedule<T> for ReduceLrOnPlateau<T> {
    /// The current rate, observing nothing: torch's order (the first loss seen is the one after
    /// the first step).
    fn initial_lr(&mut self) -> Option<Result<T, Error>> {
        let ok = self
            .config
            .validate()
            .and_then(|_| ensure(pos(self.lr.to_f64())));
        Some(ok.map(|_| self.lr))
    }

    fn lr(&mut self, _step: usize, loss: T) -> Result<T, Error> {
        let c = self.config;
        c.validate()?;
        ensure(pos(self.lr.to_f64()) && !self.best.is_nan())?;
        if !loss.is_finite() {
            return Err(Error::NonFiniteInput);
        }
        let (l, best) = (loss.to_f64(), self.best.to_f64());
        let th = c.threshold.to_f64();
        // torch's `_is_better`, in its operation order.
        let better = match (c.mode == PLATEAU_MAX, c.threshold_mode == PLATEAU_ABS) {
            (false, false) => l < best * (1.0 - th),
            (false, true) => l < best - th,
            (true, false) => l > best * (th + 1.0),
            (true, true) => l > best + th,
        };
        if better {
            self.best = loss;
            self.num_bad = 0;
        } else {
            self.num_bad = self.num_bad.saturating_add(1);
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.num_bad = 0;
        }
        if self.num_bad > c.patience {
            let old = self.lr.to_f64();
            let new = Real::max(old * c.factor.to_f64(), c.min_lr.to_f64());
            if old - new > c.eps.to_f64() {
                self.lr = out(new)?;
            }
            self.cooldown_left = c.cooldown;
            self.num_bad = 0;
        }
        Ok(self.lr)
    }
}

/// The initial `best`: the worst value for `mode`.
fn worst(mode: i32) -> f64 {
    if mode == PLATEAU_MAX {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    }
}

/// Parameters of the PI-controller schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PiConfig<T> {
    /// Initial rate, in `[lr_min, lr_max]` (default 1e-3).
    pub lr: T,
    /// Target relative loss decrease per step `r*`, in (0, 1) (default 0.01).
    pub target: T,
    /// Proportional gain `k_p` on the change of the error, finite and ≥ 0 (default 0.5).
    pub kp: T,
    /// Integral gain `k_i` on the error, finite and ≥ 0 (default 0.1).
    pub ki: T,
    /// Factor applied to the rate when the loss goes up, in (0, 1) (default 0.5).
    pub cut: T,
    /// Lowest rate, finite and > 0 (default 1e-8).
    pub lr_min: T,
    /// Highest rate, finite and ≥ `lr_min` (default 1).
    pub lr_max: T,
}

impl<T: Real> Default for PiConfig<T> {
    fn default() -> Self {
        PiConfig {
            lr: T::from_f64(1e-3),
            target: T::from_f64(0.01),
            kp: T::from_f64(0.5),
            ki: T::from_f64(0.1),
            cut: T::HALF,
            lr_min: T::from_f64(1e-8),
            lr_max: T::ONE,
        }
    }
}

impl<T: Real> PiConfig<T> {
    /// Checks every parameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        let nonneg = |v: T| v.is_finite() && v >= T::ZERO;
        let unit = |v: T| v > T::ZERO && v < T::ONE;
        ensure(
            pos(self.lr_min.to_f64())
                && pos(self.lr_max.to_f64())
                && self.lr_min <= self.lr
                && self.lr <= self.lr_max
                && unit(self.target)
                && unit(self.cut)
                && nonneg(self.kp)
                && nonneg(self.ki),
        )
    }
}

/// The PI "autopilot": adapts the rate in log space to hold a relative loss decrease of
/// `target` per step, and cuts it when the loss goes up.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PiController<T> {
    /// Parameters.
    pub config: PiConfig<T>,
    /// `ln` of the current rate.
    pub log_lr: T,
    /// The previous loss (meaningful when `has_prev` is 1).
    pub prev_loss: T,
    /// The previous error `e_{t−1}`.
    pub prev_err: T,
    /// 1 once a loss has been recorded, else 0.
    pub has_prev: i32,
}

impl<T: Real> PiController<T> {
    /// A fresh controller at `config.lr`; [`Error::InvalidParameter`] for a bad `config`.
    ///
    /// ```
    /// use lossmap::optim::{PiConfig, PiController, Schedule};
    /// let mut pi = PiController::new(PiConfig { lr: 0.1f64, ..PiConfig::default() }).unwrap();
    /// assert!((pi.lr(0, 1.0).unwrap() - 0.1).abs() < 1e-15); // first call: records the loss
    /// assert!((pi.lr(1, 2.0).unwrap() - 0.05).abs() < 1e-15); // loss went up: cut by half
    /// assert!(pi.lr(2, 1.0).unwrap() > 0.05); // fast progress: rate goes up
    /// ```
    pub fn new(config: PiConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        let mut s = PiController {
            config,
            log_lr: T::ZERO,
            prev_loss: T::ZERO,
            prev_err: T::ZERO,
            has_prev: 0,
        };
        s.reset();
        Ok(s)
    }

    /// Forgets the history: back to the initial rate.
    pub fn reset(&mut self) {
        self.log_lr = T::from_f64(Real::ln(self.config.lr.to_f64()));
        self.prev_loss = T::ZERO;
        self.prev_err = T::ZERO;
        self.has_prev = 0;
    }
}

impl<T: Real> Schedule<T> for PiController<T> {
    fn lr(&mut self, _step: usize, loss: T) -> Result<T, Error> {
        let c = self.config;
        c.validate()?;
        ensure(self.log_lr.is_finite() && self.prev_err.is_finite())?;
        if !loss.is_finite() {
            return Err(Error::NonFiniteInput);
        }
        let (lo, hi) = (Real::ln(c.lr_min.to_f64()), Real::ln(c.lr_max.to_f64()));
        let mut lg = self.log_lr.to_f64();
        let prev = self.prev_loss.to_f64();
        let mut err = self.prev_err.to_f64();
        if self.has_prev != 0 && prev != 0.0 && prev.is_finite() {
            let r = (prev - loss.to_f64()) / prev.abs();
            err = if r < 0.0 {
                lg += Real::ln(c.cut.to_f64());
                0.0
            } else {
                let t = c.target.to_f64();
                // max/min rather than `clamp`, which has a panic path.
                let e = Real::min(Real::max((r - t) / t, -1.0), 1.0);
                lg += c.kp.to_f64() * (e - err) + c.ki.to_f64() * e;
                e
            };
        }
        lg = Real::min(Real::max(lg, lo), hi);
        let rate = out::<T>(Real::exp(lg))?;
        self.prev_err = T::from_f64(err);
        self.log_lr = T::from_f64(lg);
        self.prev_loss = loss;
        self.has_prev = 1;
        Ok(rate)
    }
}
