//! The `minimize` driver: evaluate, step, check the stopping rules, guard against divergence.

use super::stop::{Progress, Report, Stop, StopReason, MAX_WINDOW};
use super::window::LossWindow;
use super::{Optimizer, Schedule, StepObservation};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm2;
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};

/// Minimizes `obj` from `x` with `opt`, over slices: the kernel behind [`minimize`] and the C
/// ABI. `prev` and `grad` (length `n`) are scratch.
///
/// On success `x` holds the last point and the report says why the run stopped. Bad input
/// (sizes, NaN/Inf in `x`, invalid [`Stop`]) and a non-finite loss or gradient at the start
/// return an error with `x` untouched. If a later step produces a non-finite loss or gradient,
/// `x` is rolled back to the last point whose loss and gradient were finite and
/// [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`] is returned.
pub fn minimize_slice<T: Real, O: SliceObjective<T> + ?Sized, P: Optimizer<T> + ?Sized>(
    obj: &mut O,
    opt: &mut P,
    x: &mut [T],
    prev: &mut [T],
    grad: &mut [T],
    stop: &Stop<T>,
) -> Result<Report<T>, Error> {
    minimize_driver(obj, opt, x, prev, grad, stop, None, None)
}

/// A schedule asked for the learning rate before every step.
pub type ScheduleHook<'a, T> = Option<&'a mut dyn Schedule<T>>;
/// An observer called after every step; returning `false` stops the run
/// ([`StopReason::Observer`]).
pub type ObserverHook<'a, T> = Option<&'a mut dyn FnMut(&Progress<T>) -> bool>;

/// [`minimize_slice`] with an optional learning-rate `schedule` (asked before each step with the
/// step index and the current loss, then applied with [`Optimizer::set_lr`]; a schedule whose
/// [`Schedule::initial_lr`] is `Some` is not asked at step 0, so that it sees the loss after each
/// step as in torch's `opt.step(); sched.step(loss)`; a schedule that
/// [`observes`](Schedule::observes) gets each accepted step's [`StepObservation`], with the
/// objective's values at both ends, `−gᵀΔx` and the norms, at no extra evaluation; an error from
/// it ends the run with that error, `x` at the new point) and an optional
/// `observer` (called after each accepted step; `false` stops the run).
#[allow(clippy::too_many_arguments)]
pub fn minimize_driver<T: Real, O: SliceObjective<T> + ?Sized, P: Optimizer<T> + ?Sized>(
    obj: &mut O,
    opt: &mut P,
    x: &mut [T],
    prev: &mut [T],
    grad: &mut [T],
    stop: &Stop<T>,
    mut schedule: ScheduleHook<'_, T>,
    mut observer: ObserverHook<'_, T>,
) -> Result<Report<T>, Error> {
    let n = x.len();
    check_len(prev.len(), n)?;
    check_len(grad.len(), n)?;
    stop.validate()?;
    // The optimizer's own settings before the objective is called: a bad configuration costs
    // no evaluation and writes nothing.
    opt.validate()?;
    check_finite(x)?;

    let mut value_evals = 1usize;
    let mut grad_evals = 1usize;
    let mut loss = obj.value(x);
    if !loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    value_evals = value_evals.saturating_add(eval_gradient(obj, x, grad)?);
    let mut history: LossWindow<T, { MAX_WINDOW + 1 }> = LossWindow::new();
    history.push(loss);

    let mut iterations = 0usize;
    let mut step_norm = T::MAX_R;
    let reason = loop {
        if norm2(grad) <= stop.grad_tol {
            break StopReason::GradientNorm;
        }
        if stop.window > 0 && history.len() > stop.window {
            if let Some(old) = history.back(stop.window) {
                let scale = old.abs().max(T::MIN_POSITIVE_R);
                if old - loss <= stop.rel_tol * scale {
                    break StopReason::RelativeImprovement;
                }
            }
        }
        if stop.step_tol > T::ZERO && step_norm <= stop.step_tol {
            break StopReason::StepSize;
        }
        if iterations >= stop.max_iter {
            break StopReason::MaxIterations;
        }
        if stop.max_evals > 0 && value_evals >= stop.max_evals {
            break StopReason::MaxEvaluations;
        }
        if let Some(s) = schedule.as_deref_mut() {
            // torch's order for feedback schedules: see `Schedule`.
            let first = if iterations == 0 {
                s.initial_lr()
            } else {
                None
            };
            let lr = match first {
                Some(r) => r?,
                None => s.lr(iterations, loss)?,
            };
            if let Some(m) = s.momentum(iterations) {
                opt.set_momentum(m?)?;
            }
            opt.set_lr(lr)?;
        }
        prev.iter_mut().zip(x.iter()).for_each(|(p, &xi)| *p = xi);
        opt.step(x, grad)?;
        // What the step did, while `grad` still holds the gradient it was taken with.
        let seen = schedule
            .as_deref()
            .filter(|s| s.observes())
            .map(|_| StepObservation::from_step(iterations, loss, loss, grad, prev, x));
        iterations += 1;
        let new_loss = obj.value(x);
        value_evals = value_evals.saturating_add(1);
        if !new_loss.is_finite() {
            roll_back(x, prev);
            return Err(Error::NonFiniteLoss);
        }
        grad_evals = grad_evals.saturating_add(1);
        match eval_gradient(obj, x, grad) {
            Ok(e) => value_evals = value_evals.saturating_add(e),
            Err(e) => {
                roll_back(x, prev);
                return Err(e);
            }
        }
        if let (Some(s), Some(mut o)) = (schedule.as_deref_mut(), seen) {
            o.loss_after = new_loss;
            s.observe(&o)?;
        }
        loss = new_loss;
        history.push(loss);
        step_norm = distance(x, prev);
        if let Some(f) = observer.as_deref_mut() {
            let progress = Progress {
                iteration: iterations,
                loss,
                grad_norm: norm2(grad),
                step_norm,
                lr: opt.lr(),
                value_evals,
                grad_evals,
            };
            if !f(&progress) {
                break StopReason::Observer;
            }
        }
    };
    Ok(Report {
        reason,
        iterations,
        value_evals,
        grad_evals,
        loss,
        grad_norm: norm2(grad),
    })
}

/// `‖a − b‖₂` over the common prefix.
pub(crate) fn distance<T: Real>(a: &[T], b: &[T]) -> T {
    let mut scale = T::ZERO;
    for (&p, &q) in a.iter().zip(b) {
        scale = scale.max((p - q).abs());
    }
    if scale == T::ZERO || !scale.is_finite() {
        return scale;
    }
    let s = a.iter().zip(b).fold(T::ZERO, |s, (&p, &q)| {
        let r = (p - q) / scale;
        s + r * r
    });
    scale * s.sqrt()
}

/// Gradient at `x` into `grad`; any failure or non-finite entry is [`Error::NonFiniteGradient`]
/// (a non-finite loss seen by a finite-difference gradient stays [`Error::NonFiniteLoss`]).
fn eval_gradient<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    grad: &mut [T],
) -> Result<usize, Error> {
    let evals = obj.gradient(x, grad).map_err(|e| match e {
        Error::NonFiniteLoss => Error::NonFiniteLoss,
        Error::LengthMismatch => Error::LengthMismatch,
        _ => Error::NonFiniteGradient,
    })?;
    if check_finite(grad).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(evals)
}

fn roll_back<T: Real>(x: &mut [T], prev: &[T]) {
    x.iter_mut().zip(prev).for_each(|(xi, &p)| *xi = p);
}

/// Minimizes `obj` from `x` (updated in place) with the optimizer `opt` under the rules `stop`.
///
/// See [`minimize_slice`] for the errors and the divergence guard.
///
/// ```
/// use lossmap::optim::{minimize, Adam, AdamConfig, Stop, StopReason};
/// let mut bowl = |x: &[f64; 2]| (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2);
/// let mut x = [0.0, 0.0];
/// let mut adam = Adam::<f64, 2>::new(AdamConfig { lr: 0.05, ..AdamConfig::default() }).unwrap();
/// let r = minimize(&mut bowl, &mut x, &mut adam, &Stop { grad_tol: 1e-5, max_iter: 10_000, ..Stop::default() }).unwrap();
/// assert_eq!(r.reason, StopReason::GradientNorm);
/// assert!((x[0] - 1.0).abs() < 1e-5 && (x[1] + 2.0).abs() < 1e-5);
/// assert_eq!(r.value_evals, 1 + r.iterations + 4 * r.grad_evals); // 2N per central gradient
/// ```
pub fn minimize<T: Real, O: Objective<T, N> + ?Sized, P: Optimizer<T> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    opt: &mut P,
    stop: &Stop<T>,
) -> Result<Report<T>, Error> {
    let mut prev = [T::ZERO; N];
    let mut grad = [T::ZERO; N];
    minimize_slice(&mut Fixed::<O, N>(obj), opt, x, &mut prev, &mut grad, stop)
}

/// [`minimize`] with a learning-rate schedule and an observer (see [`minimize_driver`]).
///
/// ```
/// use lossmap::optim::{minimize_with, Adam, AdamConfig, Progress, StepLr, Stop, StopReason};
/// let mut bowl = |x: &[f64; 1]| x[0] * x[0];
/// let mut x = [3.0];
/// let mut adam = Adam::<f64, 1>::new(AdamConfig::default()).unwrap();
/// // Halve the rate every 10 steps, and stop after 25 steps from the observer.
/// let mut sched = StepLr::new(0.1, 10, 0.5).unwrap();
/// let mut lrs = Vec::new();
/// let mut watch = |p: &Progress<f64>| { lrs.push(p.lr); p.iteration < 25 };
/// let r = minimize_with(&mut bowl, &mut x, &mut adam, &Stop::default(), Some(&mut sched), Some(&mut watch)).unwrap();
/// assert_eq!((r.reason, r.iterations), (StopReason::Observer, 25));
/// assert_eq!((lrs[0], lrs[10], lrs[24]), (0.1, 0.05, 0.025));
/// ```
pub fn minimize_with<
    T: Real,
    O: Objective<T, N> + ?Sized,
    P: Optimizer<T> + ?Sized,
    const N: usize,
>(
    obj: &mut O,
    x: &mut [T; N],
    opt: &mut P,
    stop: &Stop<T>,
    schedule: ScheduleHook<'_, T>,
    observer: ObserverHook<'_, T>,
) -> Result<Report<T>, Error> {
    let mut prev = [T::ZERO; N];
    let mut grad = [T::ZERO; N];
    minimize_driver(
        &mut Fixed::<O, N>(obj),
        opt,
        x,
        &mut prev,
        &mut grad,
        stop,
        schedule,
        observer,
    )
}
