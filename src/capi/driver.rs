//! C entry points for the general `minimize` driver (any optimizer, optional schedule and
//! observer) and the stochastic mini-batch driver.
//!
//! An optimizer is passed as a kind code (`LOSSMAP_OPTIMIZER_*`) and a pointer to its initialized
//! instance struct (`lossmap_sgd_f32`, `lossmap_adam_f32`, ...). A schedule is an initialized
//! `lossmap_schedule_*` or NULL, called in torch's order (a plateau schedule first after the
//! first step). After a successful run the instance's `config.lr` holds the rate of the last step
//! (as torch's schedulers leave it in the optimizer), and with cycle momentum its `momentum` or
//! `beta1` the last momentum (SGD and RMSProp then need their momentum buffer).

use super::diff::CLoss;
use super::optim::{LossmapAdam, LossmapReport};
use super::optimizers::{state, LossmapAdagrad, LossmapAdamW, LossmapRmsProp, LossmapSgd};
use super::ptr::{check, clear_of, deref, deref_mut, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::schedule::{LossmapSchedule, LOSSMAP_SCHEDULE_CONSTANT, LOSSMAP_SCHEDULE_LAST};
use super::status::{status, stop_code};
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::optim::{
    minimize_curriculum_slice, minimize_driver, minimize_stochastic_slice, AdagradView, AdamWView,
    BatchObjective, Curriculum, Optimizer, Pacing, PerSample, PerSampleWithGradient, Progress,
    RmsPropView, Schedule, SgdView, StepObservation, StochasticConfig, StochasticProgress, Stop,
};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

/// Optimizer kind: `lossmap_sgd_*` (plain, momentum, Nesterov).
pub const LOSSMAP_OPTIMIZER_SGD: i32 = 1;
/// Optimizer kind: `lossmap_adagrad_*`.
pub const LOSSMAP_OPTIMIZER_ADAGRAD: i32 = 2;
/// Optimizer kind: `lossmap_rmsprop_*`.
pub const LOSSMAP_OPTIMIZER_RMSPROP: i32 = 3;
/// Optimizer kind: `lossmap_adam_*`.
pub const LOSSMAP_OPTIMIZER_ADAM: i32 = 4;
/// Optimizer kind: `lossmap_adamw_*` (AdamW, AMSGrad).
pub const LOSSMAP_OPTIMIZER_ADAMW: i32 = 5;

/// Observer callback of `lossmap_minimize_ex_f32`: sees each step's progress; return 0 to go on,
/// anything else to stop the run (`LOSSMAP_STOP_OBSERVER`).
pub type lossmap_observer_f32 =
    Option<unsafe extern "C" fn(progress: *const Progress<f32>, ctx: *mut c_void) -> i32>;
/// Observer callback of `lossmap_minimize_ex_f64`: sees each step's progress; return 0 to go on,
/// anything else to stop the run (`LOSSMAP_STOP_OBSERVER`).
pub type lossmap_observer_f64 =
    Option<unsafe extern "C" fn(progress: *const Progress<f64>, ctx: *mut c_void) -> i32>;
/// Observer callback of `lossmap_minimize_stochastic_f32`: return 0 to go on, anything else to
/// stop the run.
pub type lossmap_stochastic_observer_f32 =
    Option<unsafe extern "C" fn(progress: *const StochasticProgress<f32>, ctx: *mut c_void) -> i32>;
/// Observer callback of `lossmap_minimize_stochastic_f64`: return 0 to go on, anything else to
/// stop the run.
pub type lossmap_stochastic_observer_f64 =
    Option<unsafe extern "C" fn(progress: *const StochasticProgress<f64>, ctx: *mut c_void) -> i32>;
/// Per-sample loss callback, f32: the loss of sample `sample` (`0..n_samples`) at `x[0..n]`.
pub type lossmap_sample_loss_f32 =
    Option<unsafe extern "C" fn(x: *const f32, n: usize, sample: usize, ctx: *mut c_void) -> f32>;
/// Per-sample loss callback, f64: the loss of sample `sample` (`0..n_samples`) at `x[0..n]`.
pub type lossmap_sample_loss_f64 =
    Option<unsafe extern "C" fn(x: *const f64, n: usize, sample: usize, ctx: *mut c_void) -> f64>;

/// Per-sample gradient callback, f32: writes the gradient of sample `sample`'s loss at
/// `x[0..n]` to `grad[0..n]`; returns 0 on success, anything else for failure.
pub type lossmap_sample_grad_f32 = Option<
    unsafe extern "C" fn(
        x: *const f32,
        n: usize,
        sample: usize,
        grad: *mut f32,
        ctx: *mut c_void,
    ) -> i32,
>;
/// Per-sample gradient callback, f64: writes the gradient of sample `sample`'s loss at
/// `x[0..n]` to `grad[0..n]`; returns 0 on success, anything else for failure.
pub type lossmap_sample_grad_f64 = Option<
    unsafe extern "C" fn(
        x: *const f64,
        n: usize,
        sample: usize,
        grad: *mut f64,
        ctx: *mut c_void,
    ) -> i32,
>;

/// The report of a `lossmap_minimize_stochastic_*` run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapStochasticReport<T> {
    /// `LOSSMAP_STOP_MAX_EPOCHS` or `LOSSMAP_STOP_OBSERVER`.
    pub reason: i32,
    /// Epochs completed.
    pub epochs: usize,
    /// Optimizer steps taken.
    pub steps: usize,
    /// Per-sample loss evaluations (finite differences included).
    pub sample_evals: usize,
    /// Mean batch loss over the last epoch.
    pub epoch_loss: T,
    /// Learning rate of the last step.
    pub lr: T,
    /// Effective temperature `lr / batch` of the last step.
    pub temperature: T,
    /// Active samples of the last epoch (all of them without a curriculum).
    pub active: usize,
    /// The curriculum's active fraction `c(t)` of the last epoch (1 without one).
    pub fraction: T,
}

impl<T: Real> Schedule<T> for LossmapSchedule<T> {
    fn lr(&mut self, step: usize, loss: T) -> Result<T, Error> {
        self.rate(step, loss)
    }
    fn initial_lr(&mut self) -> Option<Result<T, Error>> {
        self.first_rate()
    }
    fn momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        self.cycled_momentum(step)
    }
    fn observe(&mut self, o: &StepObservation<T>) -> Result<(), Error> {
        self.see(o)
    }
    fn observes(&self) -> bool {
        self.sees()
    }
}

/// Runs `run` with the optimizer instance `opt` of kind `kind` (for `n` parameters) as an
/// [`Optimizer`]; the instance struct and its buffers must not overlap `extra` (every other
/// buffer and struct of the call, already through [`check`]: each its byte range). On success the instance's
/// `config` receives the last rate (and the last momentum of a schedule that cycles it).
///
/// # Safety
/// `opt` must point to an initialized instance of that kind whose buffers are valid.
pub(super) unsafe fn with_optimizer<T: Real, R>(
    kind: i32,
    opt: *mut c_void,
    n: usize,
    extra: &[Arg],
    run: impl FnOnce(&mut dyn Optimizer<T>) -> Result<R, Error>,
) -> Result<R, Error> {
    /// Checks the struct, its `n`, and runs; `$view` builds the view from `s`.
    macro_rules! arm {
        ($ty:ty, |$s:ident, $own:ident| $view:expr) => {{
            let p = opt as *mut $ty;
            let mut own = [Arg::of(p as *const $ty, 1, WRITTEN)];
            check(&mut own)?;
            clear_of(&own, extra)?;
            let [$own] = own;
            // SAFETY: checked non-null and aligned by `check`, apart from `extra` by
            // `clear_of`; validity is the caller's contract.
            let $s = unsafe { deref_mut(p)? };
            if $s.n != n {
                return Err(Error::LengthMismatch);
            }
            let mut view = $view;
            let r = run(&mut view);
            // The rate and momentum the schedule set (the rest is unchanged).
            let cfg = view.config;
            if r.is_ok() {
                $s.config = cfg;
            }
            r
        }};
    }
    match kind {
        LOSSMAP_OPTIMIZER_SGD => arm!(LossmapSgd<T>, |s, own| {
            let need = s.config.momentum > T::ZERO;
            // SAFETY: `state` checks the buffers against each other and `extra`.
            let [buf] = unsafe { state(n, [(s.buf, need)], own, extra)? };
            // The buffer is seeded at the first step and read only afterwards.
            if s.step > 0 {
                state_ok(&[buf], &[])?;
            }
            SgdView {
                config: s.config,
                t: &mut s.step,
                buf,
            }
        }),
        LOSSMAP_OPTIMIZER_ADAGRAD => arm!(LossmapAdagrad<T>, |s, own| {
            // SAFETY: as above.
            let [sum] = unsafe { state(n, [(s.sum, true)], own, extra)? };
            state_ok(&[], &[sum])?;
            AdagradView {
                config: s.config,
                t: &mut s.step,
                sum,
            }
        }),
        LOSSMAP_OPTIMIZER_RMSPROP => arm!(LossmapRmsProp<T>, |s, own| {
            let (c, m) = (s.config.centered != 0, s.config.momentum > T::ZERO);
            // SAFETY: as above.
            let [v, grad_avg, buf] =
                unsafe { state(n, [(s.v, true), (s.grad_avg, c), (s.buf, m)], own, extra)? };
            state_ok(&[grad_avg, buf], &[v])?;
            RmsPropView {
                config: s.config,
                t: &mut s.step,
                v,
                grad_avg,
                buf,
            }
        }),
        LOSSMAP_OPTIMIZER_ADAM => arm!(LossmapAdam<T>, |s, _own| {
            // SAFETY: `view` checks the moment buffers against each other and `extra`.
            unsafe { s.view(extra)? }
        }),
        LOSSMAP_OPTIMIZER_ADAMW => arm!(LossmapAdamW<T>, |s, own| {
            let ams = s.config.amsgrad != 0;
            // SAFETY: as above.
            let [m, v, v_max] =
                unsafe { state(n, [(s.m, true), (s.v, true), (s.v_max, ams)], own, extra)? };
            state_ok(&[m], &[v, v_max])?;
            AdamWView {
                config: s.config,
                t: &mut s.step,
                bias: &mut s.bias,
                m,
                v,
                v_max,
            }
        }),
        _ => Err(Error::InvalidParameter),
    }
}

/// [`Error::NonFiniteInput`] unless the optimizer state is what its step accepts: `finite`
/// buffers finite, `second` (second moments, sums of squares) finite and ≥ 0. Checked before a
/// driver evaluates or writes anything.
fn state_ok<T: Real>(finite: &[&[T]], second: &[&[T]]) -> Result<(), Error> {
    let fin = finite.iter().all(|b| b.iter().all(|a| a.is_finite()));
    let sec = second
        .iter()
        .all(|b| b.iter().all(|a| a.is_finite() && *a >= T::ZERO));
    if fin && sec {
        Ok(())
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// The optional schedule (its overlap with the other arguments is checked by the caller).
///
/// # Safety
/// A non-null `p` must point to an initialized schedule.
unsafe fn schedule<'a, T: Real>(
    p: *mut LossmapSchedule<T>,
) -> Result<Option<&'a mut LossmapSchedule<T>>, Error> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: checked non-null and aligned; validity is the caller's contract.
    let s = unsafe { deref_mut(p)? };
    if !(LOSSMAP_SCHEDULE_CONSTANT..=LOSSMAP_SCHEDULE_LAST).contains(&s.kind) {
        return Err(Error::InvalidParameter);
    }
    // Its hyperparameters, before anything is evaluated or written: the first rate of a copy
    // (plateau and PI schedules count calls; the caller's schedule is not touched here).
    let mut probe = *s;
    probe.rate(0, T::ONE)?;
    Ok(Some(s))
}

#[allow(clippy::too_many_arguments)]
unsafe fn minimize_ex<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    sched: *mut LossmapSchedule<T>,
    observer: Option<unsafe extern "C" fn(*const Progress<T>, *mut c_void) -> i32>,
    observer_ctx: *mut c_void,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wn = work::minimize(n).unwrap_or(usize::MAX);
    // Written: x, work, the schedule, the report (and the optimizer); read: the stop rules.
    // Structs first, then the buffers, as the checks always ran.
    let mut bufs = [
        Arg::of(stop, 1, READ),
        Arg::of(sched as *const LossmapSchedule<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(report as *const LossmapReport<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wn, WRITTEN),
    ];
    check(&mut bufs)?;
    // SAFETY: checked non-null and aligned by `check`.
    let stop = unsafe { *deref(stop)? };
    let mut watch = observer.map(|cb| {
        move |p: &Progress<T>| {
            // SAFETY: the caller's callback, given a valid pointer for the call.
            unsafe { cb(p, observer_ctx) == 0 }
        }
    });
    let r = unsafe {
        with_optimizer(kind, opt, n, &bufs, |o| {
            // The schedule after every overlap check (the optimizer's included), before
            // anything is evaluated or written; its validity is the caller's contract.
            let sched = schedule(sched)?;
            // SAFETY: checked non-null, aligned, sized and disjoint from each other by `check`,
            // and from the optimizer's buffers by `with_optimizer`.
            let (x, work) = (
                core::slice::from_raw_parts_mut(x, n),
                core::slice::from_raw_parts_mut(work, wn),
            );
            let (prev, grad) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
            minimize_driver(
                &mut loss,
                o,
                x,
                prev,
                grad,
                &stop,
                sched.map(|s| s as &mut dyn Schedule<T>),
                watch
                    .as_mut()
                    .map(|w| w as &mut dyn FnMut(&Progress<T>) -> bool),
            )
        })?
    };
    let out = LossmapReport {
        reason: stop_code(r.reason),
        iterations: r.iterations,
        value_evals: r.value_evals,
        grad_evals: r.grad_evals,
        loss: r.loss,
        grad_norm: r.grad_norm,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, out) };
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn stochastic<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, usize, *mut c_void) -> T>,
    g: Option<unsafe extern "C" fn(*const T, usize, usize, *mut T, *mut c_void) -> i32>,
    ctx: *mut c_void,
    n_samples: usize,
    x: *mut T,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    sched: *mut LossmapSchedule<T>,
    observer: Option<unsafe extern "C" fn(*const StochasticProgress<T>, *mut c_void) -> i32>,
    observer_ctx: *mut c_void,
    config: *const StochasticConfig,
    rng: *mut SplitMix64,
    perm: *mut usize,
    work: *mut T,
    report: *mut LossmapStochasticReport<T>,
    curriculum: Option<(*const T, *const Pacing<T>)>,
) -> Result<(), Error> {
    let f = f.ok_or(Error::NullPointer)?;
    // Written: x, work, perm, the generator, the schedule, the report (and the optimizer);
    // read: the configuration and the curriculum.
    let mut head = [
        Arg::of(config, 1, READ),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(sched as *const LossmapSchedule<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(
            report as *const LossmapStochasticReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
    ];
    check(&mut head)?;
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
    let config = unsafe { *deref(config)? };
    config.validate(n_samples)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wn = work::minimize_stochastic(n).unwrap_or(usize::MAX);
    // The curriculum: the scores (one per sample) and the pacing, both required (absent: NULL
    // and optional, no bytes).
    let (scores, pacing, cur) = match curriculum {
        Some((scores, pacing)) => (scores, pacing, READ),
        None => (core::ptr::null(), core::ptr::null(), OPTIONAL),
    };
    let mut tail = [
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wn, WRITTEN),
        Arg::of(perm as *const usize, n_samples, WRITTEN),
        Arg::of(pacing, 1, cur),
        Arg::of(scores, n_samples, cur),
    ];
    check(&mut tail)?;
    clear_of(&tail, &head)?;
    let [h0, h1, h2, h3] = head;
    let [t0, t1, t2, t3, t4] = tail;
    let bufs = [h0, h1, h2, h3, t0, t1, t2, t3, t4];
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
    let cur = match curriculum {
        Some((scores, pacing)) => Some((scores, unsafe { *deref(pacing)? })),
        None => None,
    };
    // SAFETY: checked non-null, aligned and disjoint from every other argument by `check` and
    // `clear_of`; validity is the caller's contract.
    let rng = unsafe { deref_mut(rng)? };
    let mut watch = observer.map(|cb| {
        move |p: &StochasticProgress<T>| {
            // SAFETY: the caller's callback, given a valid pointer for the call.
            unsafe { cb(p, observer_ctx) == 0 }
        }
    });
    let r = unsafe {
        with_optimizer(kind, opt, n, &bufs, |o| {
            // The schedule after every overlap check (the optimizer's included), before
            // anything is evaluated or written; its validity is the caller's contract.
            let sched = schedule(sched)?;
            // SAFETY: checked non-null, aligned, sized and pairwise disjoint by `check` and
            // `clear_of`, and from the optimizer's buffers by `with_optimizer`.
            let (x, work, perm) = (
                core::slice::from_raw_parts_mut(x, n),
                core::slice::from_raw_parts_mut(work, wn),
                core::slice::from_raw_parts_mut(perm, n_samples),
            );
            let (prev, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
            let (grad, scratch) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
            // The closures call the caller's callbacks (inside this `unsafe` block) with valid
            // pointers to `n` values (`x`) and room for `n` values (`out`, disjoint from `x`).
            let loss = |x: &[T], i: usize| f(x.as_ptr(), x.len(), i, ctx);
            let mut fd;
            let mut analytic;
            let obj: &mut dyn BatchObjective<T> = match g {
                Some(g) => {
                    analytic = PerSampleWithGradient {
                        loss,
                        grad: move |x: &[T], i: usize, out: &mut [T]| {
                            g(x.as_ptr(), x.len(), i, out.as_mut_ptr(), ctx) == 0
                        },
                        scratch,
                    };
                    &mut analytic
                }
                None => {
                    fd = PerSample(loss);
                    &mut fd
                }
            };
            let sched = sched.map(|s| s as &mut dyn Schedule<T>);
            let watch = watch
                .as_mut()
                .map(|w| w as &mut dyn FnMut(&StochasticProgress<T>) -> bool);
            match cur {
                Some((scores, pacing)) => {
                    // SAFETY: checked non-null, aligned, sized by `check`; only read, and
                    // disjoint from every buffer written.
                    let scores = core::slice::from_raw_parts(scores, n_samples);
                    let c = Curriculum { scores, pacing };
                    minimize_curriculum_slice(
                        obj, o, x, perm, prev, grad, &config, &c, rng, sched, watch,
                    )
                }
                None => minimize_stochastic_slice(
                    obj, o, x, perm, prev, grad, &config, rng, sched, watch,
                ),
            }
        })?
    };
    let out = LossmapStochasticReport {
        reason: stop_code(r.reason),
        epochs: r.epochs,
        steps: r.steps,
        sample_evals: r.sample_evals,
        epoch_loss: r.epoch_loss,
        lr: r.lr,
        temperature: r.temperature,
        active: r.active,
        fraction: r.fraction,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, out) };
    Ok(())
}

/// Minimizes the callback `f` from `x[0..n]` with any optimizer (f32): `kind` is a
/// `LOSSMAP_OPTIMIZER_*` code and `opt` its initialized instance; gradients by central
/// differences. `schedule` (may be NULL) is asked for the rate before every step (a plateau
/// schedule first after the first step, as torch), sets a cycled momentum, and a PI schedule
/// is told each accepted step (as by `lossmap_schedule_observe_*`); `observer`
/// (may be NULL) is called after every step with `observer_ctx` and stops the run by returning
/// non-zero. `work` holds `2n` floats; `report` (may be NULL) receives the outcome. Bad input
/// changes nothing; a NaN/Inf loss or gradient rolls `x` back to the last good point.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_ex_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f32>,
    observer: lossmap_observer_f32,
    observer_ctx: *mut c_void,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapReport<f32>,
) -> i32 {
    status(unsafe {
        minimize_ex(
            f,
            ctx,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            stop,
            work,
            report,
        )
    })
}

/// Minimizes the callback `f` from `x[0..n]` with any optimizer (f64); see
/// `lossmap_minimize_ex_f32`. `work` holds `2n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_ex_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f64>,
    observer: lossmap_observer_f64,
    observer_ctx: *mut c_void,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapReport<f64>,
) -> i32 {
    status(unsafe {
        minimize_ex(
            f,
            ctx,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            stop,
            work,
            report,
        )
    })
}

/// Mini-batch training of `x[0..n]` on `n_samples` samples (f32): each epoch shuffles the
/// samples with `rng` and steps the optimizer (`kind`, `opt` as in `lossmap_minimize_ex_f32`) on
/// the mean loss `f(x, sample)` of each batch. Its gradient is the mean of `grad(x, sample)`
/// when `grad` is given, else central differences of `f` (`2n·batch` sample evaluations per
/// step; `grad` may be NULL). `perm` (`n_samples` values) and `work` (`3n` floats) are scratch;
/// `schedule` and `observer` may be NULL (a PI schedule is told each step, from the batch's loss
/// at both points: one more batch evaluation per step); `report` (may be NULL) gives the
/// epochs, steps, evaluations, last epoch's loss and the temperature `lr/batch`. A zero batch, a batch larger
/// than the data and zero epochs are `LOSSMAP_ERR_PARAM`; bad input changes nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_stochastic_f32(
    f: lossmap_sample_loss_f32,
    grad: lossmap_sample_grad_f32,
    ctx: *mut c_void,
    n_samples: usize,
    x: *mut f32,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f32>,
    observer: lossmap_stochastic_observer_f32,
    observer_ctx: *mut c_void,
    config: *const StochasticConfig,
    rng: *mut SplitMix64,
    perm: *mut usize,
    work: *mut f32,
    report: *mut LossmapStochasticReport<f32>,
) -> i32 {
    status(unsafe {
        stochastic(
            f,
            grad,
            ctx,
            n_samples,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            config,
            rng,
            perm,
            work,
            report,
            None,
        )
    })
}

/// Mini-batch training of `x[0..n]` on `n_samples` samples (f64); see
/// `lossmap_minimize_stochastic_f32`. `work` holds `3n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_stochastic_f64(
    f: lossmap_sample_loss_f64,
    grad: lossmap_sample_grad_f64,
    ctx: *mut c_void,
    n_samples: usize,
    x: *mut f64,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f64>,
    observer: lossmap_stochastic_observer_f64,
    observer_ctx: *mut c_void,
    config: *const StochasticConfig,
    rng: *mut SplitMix64,
    perm: *mut usize,
    work: *mut f64,
    report: *mut LossmapStochasticReport<f64>,
) -> i32 {
    status(unsafe {
        stochastic(
            f,
            grad,
            ctx,
            n_samples,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            config,
            rng,
            perm,
            work,
            report,
            None,
        )
    })
}

/// Curriculum training of `x[0..n]` on `n_samples` samples (f32): `lossmap_minimize_stochastic_f32`
/// where epoch `t` shuffles and batches only the `⌈c(t)·n_samples⌉` samples of lowest
/// `scores[sample]` (`n_samples` finite values; lower is easier; ties by the lower index), the
/// fraction `c(t) = min(1, (t·(1 − start^p)/ramp_epochs + start^p)^(1/p))` of `pacing`
/// (`p = 1` linear, `p = 2` square root; `start` in (0, 1], `p` > 0). The observer's `active`
/// gives each epoch's count, the report's `active` and `fraction` the last epoch's. `work`
/// holds `3n` floats (`LOSSMAP_MINIMIZE_CURRICULUM_WORK_LEN(n)`). A NaN/Inf score is
/// `LOSSMAP_ERR_NON_FINITE`, an invalid pacing `LOSSMAP_ERR_PARAM`; bad input changes
/// nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_curriculum_f32(
    f: lossmap_sample_loss_f32,
    grad: lossmap_sample_grad_f32,
    ctx: *mut c_void,
    n_samples: usize,
    scores: *const f32,
    pacing: *const Pacing<f32>,
    x: *mut f32,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f32>,
    observer: lossmap_stochastic_observer_f32,
    observer_ctx: *mut c_void,
    config: *const StochasticConfig,
    rng: *mut SplitMix64,
    perm: *mut usize,
    work: *mut f32,
    report: *mut LossmapStochasticReport<f32>,
) -> i32 {
    status(unsafe {
        stochastic(
            f,
            grad,
            ctx,
            n_samples,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            config,
            rng,
            perm,
            work,
            report,
            Some((scores, pacing)),
        )
    })
}

/// Curriculum training of `x[0..n]` on `n_samples` samples (f64); see
/// `lossmap_minimize_curriculum_f32`. `work` holds `3n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_curriculum_f64(
    f: lossmap_sample_loss_f64,
    grad: lossmap_sample_grad_f64,
    ctx: *mut c_void,
    n_samples: usize,
    scores: *const f64,
    pacing: *const Pacing<f64>,
    x: *mut f64,
    n: usize,
    kind: i32,
    opt: *mut c_void,
    schedule: *mut LossmapSchedule<f64>,
    observer: lossmap_stochastic_observer_f64,
    observer_ctx: *mut c_void,
    config: *const StochasticConfig,
    rng: *mut SplitMix64,
    perm: *mut usize,
    work: *mut f64,
    report: *mut LossmapStochasticReport<f64>,
) -> i32 {
    status(unsafe {
        stochastic(
            f,
            grad,
            ctx,
            n_samples,
            x,
            n,
            kind,
            opt,
            schedule,
            observer,
            observer_ctx,
            config,
            rng,
            perm,
            work,
            report,
            Some((scores, pacing)),
        )
    })
}
