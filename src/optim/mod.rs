//! Optimizers and the [`minimize`] driver.
//!
//! An optimizer implements [`Optimizer`]: one update `x ← step(x, g)` over slices, so the same
//! state type serves the typed API, the slice kernels and the C ABI. The driver
//! ([`minimize`], [`minimize_slice`]) evaluates the objective, asks the optimizer for steps,
//! applies the stopping rules ([`Stop`]) and guards against divergence: a non-finite loss or
//! gradient rolls the parameters back to the last good point and returns an error.

mod adam;
mod adam_kernel;
mod family;
mod guard;
mod minimize;
mod nelder_mead;
mod quasi_newton;
mod schedule;
mod second_order;
mod stochastic;
mod stop;
mod window;

pub use adam::{adam_step, Adam, AdamConfig, AdamView};
pub use adam_kernel::AdamBias;
pub use minimize::{
    minimize, minimize_driver, minimize_slice, minimize_with, ObserverHook, ScheduleHook,
};
pub use nelder_mead::{
    nelder_mead, nelder_mead_slice, nelder_mead_vecs_len, NelderMead, NelderMeadConfig,
};
pub use quasi_newton::{
    bfgs, bfgs_slice, bfgs_vecs_len, lbfgs, lbfgs_bounded_slice, lbfgs_coef_len, lbfgs_pairs_len,
    lbfgs_slice, lbfgs_vecs_len, more_thuente_slice, projected_lbfgs_work_len, Bfgs, Lbfgs,
    LineSearch, ProjectedLbfgs, ProjectedLbfgsSlice, QuasiNewtonConfig, QuasiNewtonReport,
};
pub use stochastic::{
    minimize_curriculum, minimize_curriculum_slice, minimize_stochastic, minimize_stochastic_slice,
    BatchObjective, Curriculum, Pacing, PerSample, PerSampleWithGradient, StochasticConfig,
    StochasticObserver, StochasticProgress, StochasticReport,
};
pub use stop::{Progress, Report, Stop, StopReason, MAX_WINDOW};

#[allow(unused_imports)]
pub use family::*;
#[allow(unused_imports)]
pub use schedule::*;
#[allow(unused_imports)]
pub use second_order::*;

use crate::Error;

/// A first-order update rule over slices.
///
/// `step` must either update `x` and its own state and return `Ok`, or return an error having
/// changed neither (bad lengths, NaN/Inf in `x` or `g`, invalid hyperparameters).
pub trait Optimizer<T> {
    /// One update of `x` from the gradient `g` at `x`.
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error>;
    /// Forgets the state (moments, step count), keeping the hyperparameters.
    fn reset(&mut self);
    /// The current learning rate.
    fn lr(&self) -> T;
    /// Sets the learning rate (a [`Schedule`] does this before each step);
    /// [`Error::InvalidParameter`] unless finite and > 0, and then nothing changes.
    fn set_lr(&mut self, lr: T) -> Result<(), Error>;
    /// Checks the hyperparameters (and, for Adam, the moments) without stepping: the error
    /// [`step`](Self::step) would return for them ([`Error::InvalidParameter`];
    /// [`Error::NonFiniteInput`] for a NaN/±∞ or negative moment), so that drivers can refuse
    /// a bad optimizer before they change anything (draw random numbers, shuffle, evaluate).
    /// The default accepts everything, leaving the checks to `step`.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
    /// Sets the momentum (a schedule with cycle momentum does this before each step, as
    /// torch's CyclicLR and OneCycleLR): SGD's and RMSProp's `momentum`, Adam's and AdamW's
    /// `beta1`.
    /// [`Error::InvalidParameter`] unless in [0, 1), and then nothing changes. The default
    /// ignores it (optimizers without a momentum; torch would refuse the schedule).
    fn set_momentum(&mut self, momentum: T) -> Result<(), Error> {
        let _ = momentum;
        Ok(())
    }
}

/// A learning-rate schedule: the rate for each step, asked by the driver before the step.
///
/// `step` counts from 0; `loss` is the latest loss (feedback schedules such as reduce-on-plateau
/// and the PI controller use it, the others ignore it).
///
/// Order of the calls in the drivers ([`minimize_driver`], [`minimize_stochastic`]): before the
/// first step the driver calls [`initial_lr`](Self::initial_lr); if it returns `Some(rate)` that
/// rate is used and `lr` is not called for step 0, so that the schedule first sees the loss
/// *after* step 0 (torch's documented loop `opt.step(); sched.step(loss)`: the rate of step
/// `t + 1` is decided from the loss after step `t`, never from the starting loss). Otherwise,
/// and for every later step `t`, the driver calls `lr(t, loss)` with the loss at the current
/// point, i.e. the loss after step `t − 1`. After each accepted step a schedule that
/// [`observes`](Self::observes) gets the [`StepObservation`] of that step
/// ([`observe`](Self::observe)), before `lr` is asked for the next one.
pub trait Schedule<T> {
    /// The learning rate to use for step `step`.
    fn lr(&mut self, step: usize, loss: T) -> Result<T, Error>;
    /// The rate of the first step without observing a loss, for schedules that follow torch's
    /// order ([`ReduceLrOnPlateau`]); `None` (the default) lets the driver ask
    /// [`lr`](Self::lr)`(0, starting loss)` instead (closed-form schedules ignore the loss, the
    /// PI controller records it).
    fn initial_lr(&mut self) -> Option<Result<T, Error>> {
        None
    }
    /// The momentum for step `step`, for schedules that cycle it (torch's `cycle_momentum` of
    /// CyclicLR and OneCycleLR); the drivers apply it with [`Optimizer::set_momentum`] after
    /// the rate. `None` (the default): the momentum is left alone.
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        let _ = step;
        None
    }
    /// Tells the schedule what the step it set the rate for did; the drivers call it after every
    /// accepted step (its losses and gradient finite), before asking [`lr`](Self::lr) for the
    /// next one, and only for a schedule whose [`observes`](Self::observes) is `true`. The
    /// default ignores it (closed-form schedules and reduce-on-plateau);
    /// [`PiController`] steers the rate by it. An error leaves the schedule unchanged.
    fn observe(&mut self, step: &StepObservation<T>) -> Result<(), Error> {
        let _ = step;
        Ok(())
    }
    /// `true` if [`observe`](Self::observe) uses the observation: the drivers then compute it
    /// (the stochastic driver evaluates the batch once more for it). The default: `false`.
    fn observes(&self) -> bool {
        false
    }
}

/// What one accepted step did, for a schedule's `observe` (C: `lossmap_schedule_observe_*`): the
/// step from `x_t` to `x_{t+1} = x_t + Δx` taken with the gradient `g = ∇f(x_t)`.
///
/// In the minimize driver `f` is the objective; in the stochastic driver it is the mean loss of
/// the step's batch, evaluated at both points (the same samples, so that the difference is the
/// step's effect and not the difference between two batches).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct StepObservation<T> {
    /// Index of the step, from 0 (the `step` its rate was asked for).
    pub step: usize,
    /// `f(x_t)`.
    pub loss_before: T,
    /// `f(x_{t+1})`.
    pub loss_after: T,
    /// The first-order predicted decrease `−gᵀΔx` (> 0 for a descent step; `γ‖g‖²` for
    /// gradient descent).
    pub predicted_decrease: T,
    /// `‖g‖₂`.
    pub grad_norm: T,
    /// `‖Δx‖₂`.
    pub step_norm: T,
}

impl<T: crate::Real> StepObservation<T> {
    /// The observation of the step from `before` to `after` with the gradient `grad` at
    /// `before` (slices of equal length; a shorter one truncates the sums).
    pub fn from_step(
        step: usize,
        loss_before: T,
        loss_after: T,
        grad: &[T],
        before: &[T],
        after: &[T],
    ) -> Self {
        let mut pred = T::ZERO;
        for ((&g, &a), &b) in grad.iter().zip(after).zip(before) {
            pred -= g * (a - b);
        }
        StepObservation {
            step,
            loss_before,
            loss_after,
            predicted_decrease: pred,
            grad_norm: crate::linalg::norm2(grad),
            step_norm: minimize::distance(after, before),
        }
    }
}

/// Checks a learning rate: finite and > 0.
pub(crate) fn check_lr<T: crate::Real>(lr: T) -> Result<(), Error> {
    if lr.is_finite() && lr > T::ZERO {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}
