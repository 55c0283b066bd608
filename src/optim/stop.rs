//! Stopping rules for [`minimize`](super::minimize) and the report of which one fired.
//!
//! * gradient norm: `‖g‖₂ ≤ grad_tol` (Nocedal & Wright §3, the first-order condition);
//! * relative improvement over a window (stop when the loss no longer improves
//!   meaningfully): `L[t−w] − L[t] ≤ rel_tol · max(|L[t−w]|, tiny)` once `w` steps exist;
//! * step size: `‖x_{t} − x_{t−1}‖₂ ≤ step_tol` (off at 0);
//! * iteration budget: `max_iter` optimizer steps;
//! * evaluation budget: `max_evals` objective evaluations, finite-difference ones included (off
//!   at 0; checked before each step, so a run may exceed it by one step's evaluations);
//! * an observer called after every step may stop the run (see
//!   [`minimize_with`](super::minimize_with)).

use crate::{Error, Real};

/// Longest loss window [`Stop::window`] may ask for.
pub const MAX_WINDOW: usize = 64;

/// Stopping rules; the first that holds ends the run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Stop<T> {
    /// Stop when `‖g‖₂ ≤ grad_tol` (≥ 0). Default 1e-6.
    pub grad_tol: T,
    /// Stop when the loss fell by at most `rel_tol·|L|` over the last `window` steps (≥ 0).
    /// Default 0: stop only when the loss did not fall at all over the window.
    pub rel_tol: T,
    /// Window length for `rel_tol` in steps, at most 64 (`MAX_WINDOW`, in C
    /// `LOSSMAP_MAX_WINDOW`); 0 (the default) turns the rule off, since adaptive methods are not
    /// monotone early in a run.
    pub window: usize,
    /// Largest number of optimizer steps (> 0). Default 1000.
    pub max_iter: usize,
    /// Stop when a step moved `x` by at most `step_tol` in the Euclidean norm (≥ 0); 0, the
    /// default, turns the rule off.
    pub step_tol: T,
    /// Largest number of objective evaluations (finite-difference gradients included); 0, the
    /// default, means no limit.
    pub max_evals: usize,
}

impl<T: Real> Default for Stop<T> {
    fn default() -> Self {
        Stop {
            grad_tol: T::from_f64(1e-6),
            rel_tol: T::ZERO,
            window: 0,
            max_iter: 1000,
            step_tol: T::ZERO,
            max_evals: 0,
        }
    }
}

impl<T: Real> Stop<T> {
    /// [`Error::InvalidParameter`] for a negative or non-finite tolerance, a window above
    /// [`MAX_WINDOW`] or a zero iteration budget.
    ///
    /// ```
    /// use lossmap::optim::Stop;
    /// let s = Stop::<f32> { max_iter: 500, ..Stop::default() };
    /// assert!(s.validate().is_ok());
    /// assert!(Stop::<f32> { window: 65, ..s }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let tol = |v: T| v.is_finite() && v >= T::ZERO;
        if tol(self.grad_tol)
            && tol(self.rel_tol)
            && tol(self.step_tol)
            && self.window <= MAX_WINDOW
            && self.max_iter > 0
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Which rule ended a run.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StopReason {
    /// `‖g‖₂ ≤ grad_tol`.
    GradientNorm,
    /// The loss stopped improving over the window.
    RelativeImprovement,
    /// `max_iter` steps were taken.
    MaxIterations,
    /// The last step moved `x` by at most `step_tol`.
    StepSize,
    /// `max_evals` objective evaluations were used.
    MaxEvaluations,
    /// The observer asked to stop.
    Observer,
    /// The stochastic driver ran its epochs.
    MaxEpochs,
}

impl StopReason {
    /// Stable code for the C ABI (`LOSSMAP_STOP_*`).
    pub const fn code(self) -> i32 {
        match self {
            StopReason::GradientNorm => 1,
            StopReason::RelativeImprovement => 2,
            StopReason::MaxIterations => 3,
            StopReason::StepSize => 4,
            StopReason::MaxEvaluations => 5,
            StopReason::Observer => 6,
            StopReason::MaxEpochs => 7,
        }
    }
    /// Short name for tables.
    pub const fn name(self) -> &'static str {
        match self {
            StopReason::GradientNorm => "grad-norm",
            StopReason::RelativeImprovement => "rel-improvement",
            StopReason::MaxIterations => "max-iter",
            StopReason::StepSize => "step-size",
            StopReason::MaxEvaluations => "max-evals",
            StopReason::Observer => "observer",
            StopReason::MaxEpochs => "max-epochs",
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Report<T> {
    /// The rule that fired.
    pub reason: StopReason,
    /// Optimizer steps taken.
    pub iterations: usize,
    /// Objective evaluations, including those spent by finite-difference gradients.
    pub value_evals: usize,
    /// Gradient calls.
    pub grad_evals: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// `‖g‖₂` at the returned point.
    pub grad_norm: T,
}

/// What the observer of a minimization run sees after each step.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Progress<T> {
    /// Steps taken so far (≥ 1).
    pub iteration: usize,
    /// Loss at the new point.
    pub loss: T,
    /// `‖∇f‖₂` at the new point.
    pub grad_norm: T,
    /// `‖x_t − x_{t−1}‖₂` of this step.
    pub step_norm: T,
    /// Learning rate used for this step.
    pub lr: T,
    /// Objective evaluations so far.
    pub value_evals: usize,
    /// Gradient evaluations so far.
    pub grad_evals: usize,
}
