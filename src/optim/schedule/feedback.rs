//! The schedules driven by the loss: ReduceLROnPlateau and the PI controller (formulas in the
//! parent module's documentation).

use super::{ensure, out, pos};
use crate::optim::{Schedule, StepObservation};
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

/// Parameters of the PI-controller schedule (the gains, the ceiling and the memory are derived
/// in the documentation of the schedules, src/optim/schedule/mod.rs).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PiConfig<T> {
    /// Initial rate, in `[lr_min, lr_max]` (default 1e-3).
    pub lr: T,
    /// Target fidelity ratio `ρ*` (actual over first-order predicted decrease), in (0, 1)
    /// (default 0.5: on a quadratic, the rate `1/λ` of the curvature along the gradient).
    pub target: T,
    /// Proportional gain `k_p` on the change of the error, finite and ≥ 0 (default 0.25).
    pub kp: T,
    /// Integral gain `k_i` on the error, finite and ≥ 0 (default 1.25).
    pub ki: T,
    /// Largest factor of one cut, in (0, 1) (default 0.5): the factor when the loss went up
    /// is `min(cut, (1 − ρ*)/(1 − ρ))`, and `cut` when it is not finite.
    pub cut: T,
    /// Largest factor of one increase, finite and > 1 (default 2).
    pub growth: T,
    /// Lowest rate, finite and > 0 (default 1e-8).
    pub lr_min: T,
    /// Highest rate, finite and ≥ `lr_min` (default 1e3).
    pub lr_max: T,
    /// Ceiling factor `θ`, in (0, 2] (default √2): the rate never exceeds `θ/ĉ`, `ĉ` the
    /// largest curvature the steps have shown (forgotten at the rate `memory`).
    pub ceiling: T,
    /// Memory rate `φ`, in (0, 1) (default 1/32): per observation, the remembered curvature
    /// shrinks by the factor `1 − φ`, and the running mean of the gradient-noise estimate
    /// moves by `φ` toward the newest sample.
    pub memory: T,
}

impl<T: Real> Default for PiConfig<T> {
    fn default() -> Self {
        PiConfig {
            lr: T::from_f64(1e-3),
            target: T::HALF,
            kp: T::from_f64(0.25),
            ki: T::from_f64(1.25),
            cut: T::HALF,
            growth: T::from_f64(2.0),
            lr_min: T::from_f64(1e-8),
            lr_max: T::from_f64(1e3),
            ceiling: T::from_f64(core::f64::consts::SQRT_2),
            memory: T::from_f64(1.0 / 32.0),
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
                && self.growth.is_finite()
                && self.growth > T::ONE
                && nonneg(self.kp)
                && nonneg(self.ki)
                && self.ceiling > T::ZERO
                && self.ceiling <= T::from_f64(2.0)
                && unit(self.memory),
        )
    }
}

/// The PI "autopilot": steers the rate, in log space, to hold the fidelity ratio
/// `ρ = (f(x_t) − f(x_{t+1}))/(−gᵀΔx)` of each step at its target, raising a timid rate
/// (`ρ ≈ 1`) and cutting an aggressive one (`ρ` below the target, or the loss went up), under a
/// ceiling `θ/ĉ` learned from the largest curvature the steps have shown; under mini-batch
/// noise the target rises toward 1 (a smaller rate). It learns only from the observations
/// (`observe`; C: `lossmap_schedule_observe_*`); `lr` returns the current rate.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PiController<T> {
    /// Parameters.
    pub config: PiConfig<T>,
    /// `ln` of the current rate.
    pub log_lr: T,
    /// The previous error `e_{t−1}` (0 before the first observation and after a cut).
    pub prev_err: T,
    /// The last measured fidelity ratio `ρ` (0 before the first informative observation).
    pub ratio: T,
    /// Observations that changed the rate (saturating).
    pub updates: usize,
    /// The remembered largest curvature `ĉ` along the steps, finite and ≥ 0 (0: none yet);
    /// the rate is at most `ceiling/ĉ`.
    pub curvature: T,
    /// Running mean `q̄` of the same-batch bias over the predicted decrease, finite (0: no
    /// noise seen; always 0 for a deterministic loss); the signal fraction is
    /// `s = clamp(1 − q̄, 0, 1)`.
    pub noise: T,
    /// `f(x_{t+1})` of the previous informative observation.
    pub last_loss: T,
    /// The predicted decrease of the previous informative observation, finite and ≥ 0 (0: none).
    pub last_pred: T,
    /// The step index of the previous informative observation.
    pub last_step: usize,
}

impl<T: Real> PiController<T> {
    /// A fresh controller at `config.lr`; [`Error::InvalidParameter`] for a bad `config`.
    ///
    /// ```
    /// use lossmap::optim::{PiConfig, PiController, Schedule, StepObservation};
    /// let mut pi = PiController::new(PiConfig { lr: 0.1f64, ..PiConfig::default() }).unwrap();
    /// assert!((pi.lr(0, 1.0).unwrap() - 0.1).abs() < 1e-15); // `lr` only reports the rate
    /// // Gradient descent on ½·λx² with λ = 1 from x = 1: ρ = 1 − γλ/2 = 0.95, a timid step.
    /// let (x0, x1) = ([1.0], [0.9]);
    /// let obs = StepObservation::from_step(0, 0.5, 0.5 * 0.81, &[1.0], &x0, &x1);
    /// pi.observe(&obs).unwrap();
    /// assert!((pi.ratio - 0.95).abs() < 1e-12);
    /// assert!((pi.curvature - 1.0).abs() < 1e-12); // the step showed the curvature λ = 1
    /// assert!(pi.lr(1, 0.405).unwrap() > 0.15); // raised (the ceiling is √2/λ)
    /// // A step at γ = 3 > 2/λ overshoots (the loss goes from 0.5 to 2): cut.
    /// let obs = StepObservation::from_step(1, 0.5, 2.0, &[1.0], &[1.0], &[-2.0]);
    /// let before = pi.lr(2, 0.5).unwrap();
    /// pi.observe(&obs).unwrap();
    /// assert!(pi.lr(2, 2.0).unwrap() <= 0.5 * before);
    /// ```
    pub fn new(config: PiConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        let mut s = PiController {
            config,
            log_lr: T::ZERO,
            prev_err: T::ZERO,
            ratio: T::ZERO,
            updates: 0,
            curvature: T::ZERO,
            noise: T::ZERO,
            last_loss: T::ZERO,
            last_pred: T::ZERO,
            last_step: 0,
        };
        s.reset();
        Ok(s)
    }

    /// Forgets the history: back to the initial rate.
    pub fn reset(&mut self) {
        self.log_lr = T::from_f64(Real::ln(self.config.lr.to_f64()));
        self.prev_err = T::ZERO;
        self.ratio = T::ZERO;
        self.updates = 0;
        self.curvature = T::ZERO;
        self.noise = T::ZERO;
        self.last_loss = T::ZERO;
        self.last_pred = T::ZERO;
        self.last_step = 0;
    }

    /// The configuration and the state, checked: `(ln lr_min, ln lr_max)`.
    fn bounds(&self) -> Result<(f64, f64), Error> {
        let c = self.config;
        c.validate()?;
        let fin = |v: T| v.is_finite();
        ensure(
            fin(self.log_lr)
                && fin(self.prev_err)
                && fin(self.ratio)
                && fin(self.curvature)
                && self.curvature >= T::ZERO
                && fin(self.noise)
                && fin(self.last_loss)
                && fin(self.last_pred)
                && self.last_pred >= T::ZERO,
        )?;
        Ok((Real::ln(c.lr_min.to_f64()), Real::ln(c.lr_max.to_f64())))
    }
}

/// What an observation says: a new error `e` with the PI update, a cut by a factor, or nothing.
enum Verdict {
    Pi(f64, f64),
    Cut(f64, f64),
    Hold,
}

impl<T: Real> Schedule<T> for PiController<T> {
    /// The current rate, clamped to `[lr_min, lr_max]`; the state does not change (a non-finite
    /// `loss` is still [`Error::NonFiniteInput`], as for the other feedback schedules).
    fn lr(&mut self, _step: usize, loss: T) -> Result<T, Error> {
        let (lo, hi) = self.bounds()?;
        if !loss.is_finite() {
            return Err(Error::NonFiniteInput);
        }
        let lg = self.log_lr.to_f64();
        // At a bound, the bound itself (not `exp(ln(bound))`, one rounding off).
        if lg >= hi {
            Ok(self.config.lr_max)
        } else if lg <= lo {
            Ok(self.config.lr_min)
        } else {
            out(Real::exp(lg))
        }
    }

    /// One PI update from the step's fidelity ratio, under the learned curvature ceiling and
    /// with the noise-raised target (the rules in the module documentation).
    /// [`Error::NonFiniteInput`] for a NaN/±∞ `loss_before`, `predicted_decrease` or norm,
    /// [`Error::InvalidParameter`] for a negative norm or a bad configuration or state; then
    /// nothing changes. A non-finite `loss_after` (the step blew up) is a cut.
    fn observe(&mut self, o: &StepObservation<T>) -> Result<(), Error> {
        let (lo, hi) = self.bounds()?;
        let fin = |v: T| v.is_finite();
        let all = [
            o.loss_before,
            o.predicted_decrease,
            o.grad_norm,
            o.step_norm,
        ];
        if !all.iter().all(|&v| fin(v)) {
            return Err(Error::NonFiniteInput);
        }
        ensure(o.grad_norm >= T::ZERO && o.step_norm >= T::ZERO)?;
        let c = self.config;
        let (target, cut) = (c.target.to_f64(), c.cut.to_f64());
        let phi = c.memory.to_f64();
        let (fb, fa) = (o.loss_before.to_f64(), o.loss_after.to_f64());
        let pred = o.predicted_decrease.to_f64();
        // The noise sample: this step's loss at x_t against the previous step's loss at the same
        // point (0 for one deterministic loss; for mini-batches, the previous batch's bias),
        // over the previous predicted decrease, clipped to [−1, 2].
        let mut noise = self.noise.to_f64();
        let lp = self.last_pred.to_f64();
        if lp > 0.0 && self.last_step.checked_add(1) == Some(o.step) {
            let q = (fb - self.last_loss.to_f64()) / lp;
            let q = Real::min(Real::max(q, -1.0), 2.0);
            noise += phi * (q - noise);
        }
        let signal = Real::min(Real::max(1.0 - noise, 0.0), 1.0);
        let goal = target + (1.0 - target) * (1.0 - signal);
        // The curvature along the step, 2(−gᵀΔx − (f(x_t) − f(x_{t+1})))/‖Δx‖², when its
        // rounding is small; and whether the step had a ratio.
        let (mut bend, mut informative) = (None, false);
        let verdict = if !fa.is_finite() {
            Verdict::Cut(cut, 0.0)
        } else {
            let dec = fb - fa;
            // Below this the losses' rounding decides the ratio (error ≤ 2·ulp(f)/pred ≤ 1/16;
            // below T's smallest normal the ulp no longer shrinks with |f|).
            let big = Real::max(Real::max(fb.abs(), fa.abs()), T::MIN_POSITIVE_R.to_f64());
            let floor = 32.0 * T::EPSILON_R.to_f64() * big;
            if pred <= floor {
                // Not a descent step, or one at rounding level: no ratio. A rise still cuts.
                if dec < -floor {
                    Verdict::Cut(cut, 0.0)
                } else {
                    Verdict::Hold
                }
            } else {
                informative = true;
                let sn = o.step_norm.to_f64();
                let k = 2.0 * (pred - dec) / (sn * sn);
                if pred - dec >= floor && k.is_finite() {
                    bend = Some(k);
                }
                let rho = dec / pred;
                if rho < 0.0 {
                    // The quadratic model's rate for ρ*: γ(1 − ρ*)/(1 − ρ), at most `cut`.
                    Verdict::Cut(Real::min(cut, (1.0 - target) / (1.0 - rho)), rho)
                } else {
                    Verdict::Pi(Real::min(Real::max(rho - goal, -goal), 1.0 - goal), rho)
                }
            }
        };
        let lg = self.log_lr.to_f64();
        let (step, err, rho) = match verdict {
            Verdict::Hold => return Ok(()),
            Verdict::Cut(f, rho) => (Real::ln(f), 0.0, rho),
            Verdict::Pi(e, rho) => {
                let d = c.kp.to_f64() * (e - self.prev_err.to_f64()) + c.ki.to_f64() * e;
                // max/min rather than `clamp`, which has a panic path.
                let d = Real::min(Real::max(d, Real::ln(cut)), Real::ln(c.growth.to_f64()));
                (d, e, rho)
            }
        };
        // The remembered curvature: forgotten by 1 − φ, raised to what this step showed.
        let mut curv = self.curvature.to_f64() * (1.0 - phi);
        if let Some(k) = bend {
            curv = Real::max(curv, k);
        }
        let curv = Real::min(curv, T::MAX_R.to_f64());
        let mut new = lg + step;
        if curv > 0.0 {
            // The ceiling θ/ĉ (+∞ when ĉ is tiny: no bound).
            new = Real::min(new, Real::ln(c.ceiling.to_f64() / curv));
        }
        let new = Real::min(Real::max(new, lo), hi);
        let rate = out::<T>(Real::exp(new))?;
        let rho = Real::min(Real::max(rho, -1e30), 1e30);
        let (rho_t, err_t) = (T::from_f64(rho), T::from_f64(err));
        let (curv_t, noise_t) = (T::from_f64(curv), T::from_f64(noise));
        let (last_loss, last_pred) = if informative {
            (o.loss_after, o.predicted_decrease)
        } else {
            (T::ZERO, T::ZERO)
        };
        ensure(
            rate > T::ZERO
                && rho_t.is_finite()
                && err_t.is_finite()
                && curv_t.is_finite()
                && noise_t.is_finite(),
        )?;
        self.log_lr = T::from_f64(new);
        self.prev_err = err_t;
        self.ratio = rho_t;
        self.updates = self.updates.saturating_add(1);
        self.curvature = curv_t;
        self.noise = noise_t;
        self.last_loss = last_loss;
        self.last_pred = last_pred;
        self.last_step = o.step;
        Ok(())
    }

    fn observes(&self) -> bool {
        true
    }
}
