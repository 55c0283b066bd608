//! More closed-form schedules of `torch.optim.lr_scheduler`: cosine annealing, linear warm-up,
//! multi-step and polynomial decay, a user function of the step, and the two ways torch
//! combines schedules (formulas in the parent module's documentation).

use super::{ensure, out, pos};
use crate::optim::{Schedule, StepObservation};
use crate::{Error, Real};

/// π in f64.
const PI: f64 = core::f64::consts::PI;

/// Capacity of [`MultiStepLr::milestones`].
pub const MULTI_STEP_MAX: usize = 8;

/// torch's `CosineAnnealingLR(T_max, eta_min)`: half a cosine from `lr` down to `eta_min` over
/// `t_max` steps (and, as torch's formula, back up over the next `t_max`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CosineAnnealingLr<T> {
    /// Initial rate (torch's `base_lr`), finite and > 0.
    pub lr: T,
    /// Half period in steps (torch's `T_max`), ≥ 1.
    pub t_max: usize,
    /// Floor of the cosine (torch's `eta_min`, default 0), finite and ≥ 0.
    pub eta_min: T,
}

impl<T: Real> CosineAnnealingLr<T> {
    /// [`Error::InvalidParameter`] unless `lr > 0`, `t_max ≥ 1`, `eta_min ≥ 0` (all finite).
    ///
    /// ```
    /// use lossmap::optim::{CosineAnnealingLr, Schedule};
    /// let mut s = CosineAnnealingLr::new(1.0f64, 10, 0.0).unwrap();
    /// assert_eq!(s.lr(0, 0.0).unwrap(), 1.0);
    /// assert!((s.lr(5, 0.0).unwrap() - 0.5).abs() < 1e-15);
    /// assert!(s.lr(10, 0.0).unwrap() < 1e-300); // eta_min (0 is returned as the smallest normal)
    /// ```
    pub fn new(lr: T, t_max: usize, eta_min: T) -> Result<Self, Error> {
        let s = CosineAnnealingLr { lr, t_max, eta_min };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        let e = self.eta_min.to_f64();
        ensure(pos(self.lr.to_f64()) && e.is_finite() && e >= 0.0 && self.t_max >= 1)
    }
}

impl<T: Real> Schedule<T> for CosineAnnealingLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let (base, eta_min) = (self.lr.to_f64(), self.eta_min.to_f64());
        // The phase modulo one period 2·T_max (the cosine is periodic): exact integers.
        let period = self.t_max.saturating_mul(2);
        let t = step.checked_rem(period).unwrap_or(step);
        let c = Real::cos(PI * t as f64 / self.t_max as f64);
        out(eta_min + (base - eta_min) * (1.0 + c) / 2.0)
    }
}

/// torch's `LinearLR(start_factor, end_factor, total_iters)`: the factor goes linearly from
/// `start_factor` to `end_factor` over `total_iters` steps, then stays (the usual warm-up).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct LinearLr<T> {
    /// Rate the factors multiply (torch's `base_lr`), finite and > 0.
    pub lr: T,
    /// Factor at step 0, in (0, 1] (torch's default 1/3).
    pub start_factor: T,
    /// Factor from step `total_iters` on, in [0, 1] (torch's default 1).
    pub end_factor: T,
    /// Steps of the ramp, ≥ 1 (torch's default 5).
    pub total_iters: usize,
}

impl<T: Real> LinearLr<T> {
    /// [`Error::InvalidParameter`] for parameters out of range (see the fields; torch's checks).
    ///
    /// ```
    /// use lossmap::optim::{LinearLr, Schedule};
    /// let mut s = LinearLr::new(0.1f64, 0.25, 1.0, 4).unwrap();
    /// assert!((s.lr(0, 0.0).unwrap() - 0.025).abs() < 1e-17);
    /// assert!((s.lr(2, 0.0).unwrap() - 0.0625).abs() < 1e-17);
    /// assert_eq!(s.lr(4, 0.0).unwrap(), 0.1);
    /// assert_eq!(s.lr(100, 0.0).unwrap(), 0.1);
    /// ```
    pub fn new(lr: T, start_factor: T, end_factor: T, total_iters: usize) -> Result<Self, Error> {
        let s = LinearLr {
            lr,
            start_factor,
            end_factor,
            total_iters,
        };
        s.validate()?;
        Ok(s)
    }
    /// torch's defaults: `start_factor = 1/3`, `end_factor = 1`, `total_iters = 5`.
    pub fn with_defaults(lr: T) -> Result<Self, Error> {
        Self::new(lr, T::from_f64(1.0 / 3.0), T::ONE, 5)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        let (a, b) = (self.start_factor.to_f64(), self.end_factor.to_f64());
        ensure(
            pos(self.lr.to_f64())
                && a > 0.0
                && a <= 1.0
                && (0.0..=1.0).contains(&b)
                && self.total_iters >= 1,
        )
    }
}

impl<T: Real> Schedule<T> for LinearLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let (a, b) = (self.start_factor.to_f64(), self.end_factor.to_f64());
        let t = step.min(self.total_iters) as f64;
        // torch's `_get_closed_form_lr`, in its operation order.
        let f = a + (b - a) * t / self.total_iters as f64;
        out(self.lr.to_f64() * f)
    }
}

/// torch's `MultiStepLR(milestones, gamma)`: `lr · gamma^k`, `k` the number of milestones
/// `≤ step`. The milestones live in a fixed array of `MULTI_STEP_MAX` (8) entries of which the
/// first `len` are used, non-decreasing (a repeated milestone decays twice, as torch's
/// `Counter`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct MultiStepLr<T> {
    /// Initial rate, finite and > 0.
    pub lr: T,
    /// Decay factor, finite and > 0 (torch's default 0.1); `f64` whatever `T` is.
    pub gamma: f64,
    /// The milestones (the first `len`, non-decreasing). The literal 8 is `MULTI_STEP_MAX`,
    /// written out for the C header.
    pub milestones: [usize; 8],
    /// Number of milestones in use, ≤ `MULTI_STEP_MAX` (8).
    pub len: usize,
}

impl<T: Real> MultiStepLr<T> {
    /// From up to [`MULTI_STEP_MAX`] milestones in any order (sorted here, as torch does);
    /// [`Error::InvalidParameter`] for more, or for `lr`, `gamma` not finite and > 0.
    ///
    /// ```
    /// use lossmap::optim::{MultiStepLr, Schedule};
    /// let mut s = MultiStepLr::new(1.0f64, &[30, 10], 0.5).unwrap();
    /// assert_eq!(s.lr(9, 0.0).unwrap(), 1.0);
    /// assert_eq!(s.lr(10, 0.0).unwrap(), 0.5);
    /// assert_eq!(s.lr(30, 0.0).unwrap(), 0.25);
    /// assert!(MultiStepLr::new(1.0f64, &[1; 9], 0.5).is_err());
    /// ```
    pub fn new(lr: T, milestones: &[usize], gamma: f64) -> Result<Self, Error> {
        ensure(milestones.len() <= MULTI_STEP_MAX)?;
        let mut m = [0usize; MULTI_STEP_MAX];
        m.iter_mut().zip(milestones).for_each(|(d, &s)| *d = s);
        let len = milestones.len();
        // Insertion sort of the used prefix (at most 8 entries), without an indexing panic path.
        for i in 1..len {
            let mut j = i;
            while j > 0 {
                match (m.get(j - 1).copied(), m.get(j).copied()) {
                    (Some(a), Some(b)) if a > b => {
                        m.iter_mut()
                            .skip(j - 1)
                            .take(2)
                            .zip([b, a])
                            .for_each(|(d, v)| *d = v);
                        j -= 1;
                    }
                    _ => break,
                }
            }
        }
        let s = MultiStepLr {
            lr,
            gamma,
            milestones: m,
            len,
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters (including that the milestones in use are non-decreasing).
    pub fn validate(&self) -> Result<(), Error> {
        let used = self
            .milestones
            .get(..self.len)
            .ok_or(Error::InvalidParameter)?;
        ensure(
            pos(self.lr.to_f64())
                && pos(self.gamma)
                && used.windows(2).all(|w| w.first() <= w.get(1)),
        )
    }
}

impl<T: Real> Schedule<T> for MultiStepLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        // torch's bisect_right: milestones ≤ step.
        let k = self
            .milestones
            .iter()
            .take(self.len)
            .filter(|&&m| m <= step)
            .count();
        out(self.lr.to_f64() * Real::powf(self.gamma, k as f64))
    }
}

/// torch's `PolynomialLR(total_iters, power)`: `lr · (1 − min(t, total_iters)/total_iters)^power`,
/// reaching 0 (returned as `T`'s smallest normal number) at `total_iters`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct PolynomialLr<T> {
    /// Initial rate, finite and > 0.
    pub lr: T,
    /// Steps of the decay, ≥ 1 (torch's default 5).
    pub total_iters: usize,
    /// Exponent, finite and > 0 (torch's default 1).
    pub power: T,
}

impl<T: Real> PolynomialLr<T> {
    /// [`Error::InvalidParameter`] unless `lr`, `power` finite and > 0 and `total_iters ≥ 1`.
    ///
    /// ```
    /// use lossmap::optim::{PolynomialLr, Schedule};
    /// let mut s = PolynomialLr::new(1.0f64, 4, 2.0).unwrap();
    /// assert_eq!(s.lr(2, 0.0).unwrap(), 0.25);
    /// ```
    pub fn new(lr: T, total_iters: usize, power: T) -> Result<Self, Error> {
        let s = PolynomialLr {
            lr,
            total_iters,
            power,
        };
        s.validate()?;
        Ok(s)
    }
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        ensure(pos(self.lr.to_f64()) && pos(self.power.to_f64()) && self.total_iters >= 1)
    }
}

impl<T: Real> Schedule<T> for PolynomialLr<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        self.validate()?;
        let n = self.total_iters as f64;
        let t = step.min(self.total_iters) as f64;
        // torch's `_get_closed_form_lr`, in its operation order.
        out(self.lr.to_f64() * Real::powf(1.0 - t / n, self.power.to_f64()))
    }
}

/// torch's `LambdaLR(lr_lambda)`: `lr · f(t)` for a user function `f` of the step.
///
/// `f` must return a finite factor ≥ 0 ([`Error::InvalidParameter`] otherwise; 0 is returned
/// as `T`'s smallest normal rate).
///
/// ```
/// use lossmap::optim::{LambdaLr, Schedule};
/// // Warm-up over 10 steps, then 1/√t decay.
/// let mut s = LambdaLr::new(0.1f64, |t: usize| {
///     if t < 10 { (t + 1) as f64 / 10.0 } else { (10.0 / t as f64).sqrt() }
/// })
/// .unwrap();
/// assert!((s.lr(0, 0.0).unwrap() - 0.01).abs() < 1e-17);
/// assert!((s.lr(40, 0.0).unwrap() - 0.05).abs() < 1e-16);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaLr<T, F> {
    /// Rate the factors multiply (torch's `base_lr`), finite and > 0.
    pub lr: T,
    /// The factor of each step.
    pub f: F,
}

impl<T: Real, F: FnMut(usize) -> T> LambdaLr<T, F> {
    /// [`Error::InvalidParameter`] unless `lr` is finite and > 0.
    pub fn new(lr: T, f: F) -> Result<Self, Error> {
        ensure(pos(lr.to_f64()))?;
        Ok(LambdaLr { lr, f })
    }
}

impl<T: Real, F: FnMut(usize) -> T> Schedule<T> for LambdaLr<T, F> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, Error> {
        ensure(pos(self.lr.to_f64()))?;
        lambda_rate(self.lr, (self.f)(step))
    }
}

/// `lr · factor`, checked: the factor finite and ≥ 0.
pub(crate) fn lambda_rate<T: Real>(lr: T, factor: T) -> Result<T, Error> {
    let k = factor.to_f64();
    ensure(k.is_finite() && k >= 0.0)?;
    out(lr.to_f64() * k)
}

/// torch's `SequentialLR` for two schedules: `first` for the steps before `milestone`, then
/// `second` counted again from 0 (`second.lr(t − milestone)`), as torch restarts the second
/// scheduler at the milestone. The common use: a warm-up ([`LinearLr`]) followed by a decay
/// ([`CosineAnnealingLr`], [`ExponentialLr`](super::ExponentialLr), ...), both built with the
/// same initial rate. Nest it for more than two. The first schedule's
/// [`initial_lr`](Schedule::initial_lr) and each part's cycle momentum pass through.
///
/// ```
/// use lossmap::optim::{CosineAnnealingLr, LinearLr, Schedule, SequentialLr};
/// let warm = LinearLr::new(0.1f64, 0.1, 1.0, 5).unwrap();
/// let decay = CosineAnnealingLr::new(0.1f64, 95, 0.0).unwrap();
/// let mut s = SequentialLr::new(warm, decay, 5).unwrap();
/// assert!((s.lr(0, 0.0).unwrap() - 0.01).abs() < 1e-17);
/// assert_eq!(s.lr(5, 0.0).unwrap(), 0.1); // the cosine starts at the milestone
/// assert!(s.lr(99, 0.0).unwrap() < 1e-4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SequentialLr<A, B> {
    /// The schedule of steps `0 .. milestone`.
    pub first: A,
    /// The schedule from the milestone on, asked for `step − milestone`.
    pub second: B,
    /// The step at which `second` takes over, ≥ 1.
    pub milestone: usize,
}

impl<A, B> SequentialLr<A, B> {
    /// [`Error::InvalidParameter`] for `milestone = 0`.
    pub fn new(first: A, second: B, milestone: usize) -> Result<Self, Error> {
        ensure(milestone >= 1)?;
        Ok(SequentialLr {
            first,
            second,
            milestone,
        })
    }
}

impl<T: Real, A: Schedule<T>, B: Schedule<T>> Schedule<T> for SequentialLr<A, B> {
    fn lr(&mut self, step: usize, loss: T) -> Result<T, Error> {
        ensure(self.milestone >= 1)?;
        match step.checked_sub(self.milestone) {
            Some(t) => self.second.lr(t, loss),
            None => self.first.lr(step, loss),
        }
    }
    fn initial_lr(&mut self) -> Option<Result<T, Error>> {
        self.first.initial_lr()
    }
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        match step.checked_sub(self.milestone) {
            Some(t) => self.second.momentum(t),
            None => self.first.momentum(step),
        }
    }
    /// Passes the observation to the schedule that set the step's rate (the second one with
    /// `step − milestone`).
    fn observe(&mut self, o: &StepObservation<T>) -> Result<(), Error> {
        match o.step.checked_sub(self.milestone) {
            Some(t) => self.second.observe(&StepObservation { step: t, ..*o }),
            None => self.first.observe(o),
        }
    }
    fn observes(&self) -> bool {
        self.first.observes() || self.second.observes()
    }
}

/// torch's `ChainedScheduler` for two multiplicative schedules built on the same initial rate
/// `lr`: every step both factors apply, `first(t) · second(t) / lr`. This is what torch's
/// chained (recursive) forms compute for schedules that multiply the rate by a factor of the
/// step ([`StepLr`](super::StepLr), [`MultiStepLr`], [`ExponentialLr`](super::ExponentialLr),
/// [`LinearLr`], [`PolynomialLr`], [`LambdaLr`]); it is not meant for those with an additive
/// floor (`eta_min`) or the feedback schedules (it passes no
/// [`observe`](Schedule::observe) on).
///
/// ```
/// use lossmap::optim::{ChainedLr, ExponentialLr, LinearLr, Schedule};
/// let warm = LinearLr::new(1.0f64, 0.5, 1.0, 2).unwrap();
/// let decay = ExponentialLr::new(1.0f64, 0.5).unwrap();
/// let mut s = ChainedLr::new(warm, decay, 1.0).unwrap();
/// assert_eq!(s.lr(1, 0.0).unwrap(), 0.75 * 0.5);
/// assert_eq!(s.lr(3, 0.0).unwrap(), 0.125);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChainedLr<T, A, B> {
    /// The first factor's schedule.
    pub first: A,
    /// The second factor's schedule.
    pub second: B,
    /// The initial rate both were built with, finite and > 0.
    pub lr: T,
}

impl<T: Real, A, B> ChainedLr<T, A, B> {
    /// [`Error::InvalidParameter`] unless `lr` is finite and > 0.
    pub fn new(first: A, second: B, lr: T) -> Result<Self, Error> {
        ensure(pos(lr.to_f64()))?;
        Ok(ChainedLr { first, second, lr })
    }
}

impl<T: Real, A: Schedule<T>, B: Schedule<T>> Schedule<T> for ChainedLr<T, A, B> {
    fn lr(&mut self, step: usize, loss: T) -> Result<T, Error> {
        ensure(pos(self.lr.to_f64()))?;
        let a = self.first.lr(step, loss)?;
        let b = self.second.lr(step, loss)?;
        chained_rate(a, b, self.lr)
    }
}

/// `a · (b / base)` in f64, rounded once: the rate of [`ChainedLr`].
pub(crate) fn chained_rate<T: Real>(a: T, b: T, base: T) -> Result<T, Error> {
    let base = base.to_f64();
    ensure(pos(base))?;
    out(a.to_f64() * (b.to_f64() / base))
}
