//! C entry points for Adam and the `minimize` driver.

use super::diff::CLoss;
use super::ptr::{check, clear_of, deref, deref_mut, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::{status, stop_code};
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::optim::{minimize_slice, AdamBias, AdamConfig, AdamView, Optimizer, Stop};
use crate::{Error, Real};
use core::ffi::c_void;

/// Adam instance for C: hyperparameters, step count and caller-owned moment buffers `m`, `v`
/// of `n` values each. Initialize with `lossmap_adam_init_*`; C may allocate it statically.
#[repr(C)]
#[derive(Debug)]
pub struct LossmapAdam<T> {
    /// Hyperparameters (may be changed between steps; checked at every step).
    pub config: AdamConfig<T>,
    /// Steps taken.
    pub step: u32,
    /// The bias corrections' cache, set by `lossmap_adam_init_*` and updated by each step
    /// (a step recomputes it when `step` or a β changed; one written by hand is refused unless
    /// its corrections are in (0, 1]).
    pub bias: AdamBias<T>,
    /// Number of parameters.
    pub n: usize,
    /// First-moment buffer, `n` values.
    pub m: *mut T,
    /// Second-moment buffer, `n` values.
    pub v: *mut T,
}

/// The report of a `lossmap_minimize_*` run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapReport<T> {
    /// `LOSSMAP_STOP_*` code of the rule that fired.
    pub reason: i32,
    /// Optimizer steps taken.
    pub iterations: usize,
    /// Loss evaluations, including those of finite-difference gradients.
    pub value_evals: usize,
    /// Gradient evaluations.
    pub grad_evals: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// Gradient norm at the returned point.
    pub grad_norm: T,
}

impl<T: Real> LossmapAdam<T> {
    /// The moment buffers as an [`AdamView`], after checking them; `extra` are the other
    /// buffers of the call (already through [`check`]), which must not overlap them.
    #[inline(always)]
    pub(super) unsafe fn view(&mut self, extra: &[Arg]) -> Result<AdamView<'_, T>, Error> {
        let (pm, pv, n) = (self.m, self.v, self.n);
        let mut mv = [
            Arg::of(pm as *const T, n, WRITTEN),
            Arg::of(pv as *const T, n, WRITTEN),
        ];
        check(&mut mv)?;
        clear_of(&mv, extra)?;
        let mut own = [Arg::of(self as *const Self, 1, WRITTEN)];
        check(&mut own)?;
        clear_of(&mv, &own)?;
        // SAFETY: checked non-null, aligned, sized and disjoint from each other by `check`, from
        // `extra` and the instance by `clear_of`; validity is the caller's contract.
        let (m, v) = unsafe {
            (
                core::slice::from_raw_parts_mut(pm, n),
                core::slice::from_raw_parts_mut(pv, n),
            )
        };
        // The state, before a driver evaluates anything: what the step would refuse.
        let second_ok = |a: &T| a.is_finite() && *a >= T::ZERO;
        if !m.iter().all(|a| a.is_finite()) || !v.iter().all(second_ok) {
            return Err(Error::NonFiniteInput);
        }
        Ok(AdamView {
            config: self.config,
            t: &mut self.step,
            bias: &mut self.bias,
            m,
            v,
        })
    }
}

unsafe fn adam_init<T: Real>(
    s: *mut LossmapAdam<T>,
    config: *const AdamConfig<T>,
    n: usize,
    m: *mut T,
    v: *mut T,
) -> Result<(), Error> {
    // The instance and the moments are written: apart from each other and from the config.
    check(&mut [
        Arg::of(s as *const LossmapAdam<T>, 1, WRITTEN),
        Arg::of(config, 1, READ),
        Arg::of(m as *const T, n, WRITTEN),
        Arg::of(v as *const T, n, WRITTEN),
    ])?;
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract. Read
    // (copied) before any reference to the instance exists.
    let config = unsafe { *config };
    config.validate()?;
    // SAFETY: checked non-null, aligned, sized and pairwise disjoint by `check`.
    let (s, ms, vs) = unsafe {
        (
            &mut *s,
            core::slice::from_raw_parts_mut(m, n),
            core::slice::from_raw_parts_mut(v, n),
        )
    };
    for (a, b) in ms.iter_mut().zip(vs.iter_mut()) {
        (*a, *b) = (T::ZERO, T::ZERO);
    }
    // Field by field: a copy of the whole `AdamConfig` would copy its padding bytes too, which
    // the Cortex-M0 build does with a `memcpy` call.
    let AdamConfig {
        lr,
        beta1,
        beta2,
        eps,
        weight_decay,
        maximize,
    } = config;
    *s = LossmapAdam {
        config: AdamConfig {
            lr,
            beta1,
            beta2,
            eps,
            weight_decay,
            maximize,
        },
        step: 0,
        bias: AdamBias::EMPTY,
        n,
        m,
        v,
    };
    Ok(())
}

unsafe fn adam_step<T: Real>(
    s: *mut LossmapAdam<T>,
    x: *mut T,
    g: *const T,
    n: usize,
) -> Result<(), Error> {
    if s.is_null() || !s.is_aligned() {
        return Err(Error::NullPointer);
    }
    // SAFETY: non-null and aligned; validity is the caller's contract. Raw reads: no
    // reference to the instance exists before `check` has put it apart from x and g.
    let (sn, sm, sv) = unsafe { ((*s).n, (*s).m, (*s).v) };
    // x, m, v and the instance are written: apart from each other and from g. The moments
    // span n values when the instance's n is the call's; otherwise their extent is unknown,
    // so only their first value is described (null, alignment), and the mismatch is refused
    // after the check: every single bad argument gets its own status.
    let mn = if sn == n { n } else { 1 };
    check(&mut [
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(g, n, READ),
        Arg::of(s as *const LossmapAdam<T>, 1, WRITTEN),
        Arg::of(sm as *const T, mn, WRITTEN),
        Arg::of(sv as *const T, mn, WRITTEN),
    ])?;
    if sn != n {
        return Err(Error::LengthMismatch);
    }
    // SAFETY: checked non-null, aligned, sized and pairwise disjoint (the instance too) by
    // `check`; validity is the caller's contract.
    let (s, m, v, x, g) = unsafe {
        (
            &mut *s,
            core::slice::from_raw_parts_mut(sm, n),
            core::slice::from_raw_parts_mut(sv, n),
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts(g, n),
        )
    };
    // The step checks the configuration, then that x, g and the state are finite (v ≥ 0),
    // before it writes anything.
    AdamView {
        config: s.config,
        t: &mut s.step,
        bias: &mut s.bias,
        m,
        v,
    }
    .step(x, g)
}

#[allow(clippy::too_many_arguments)]
unsafe fn minimize_adam<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    s: *mut LossmapAdam<T>,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wn = work::minimize(n).unwrap_or(usize::MAX);
    // Written: x, work, the instance, the report; read: the stop rules. Checked before the
    // instance and the rules are read.
    let mut args = [
        Arg::of(s as *const LossmapAdam<T>, 1, WRITTEN),
        Arg::of(stop, 1, READ),
        Arg::of(report as *const LossmapReport<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wn, WRITTEN),
    ];
    check(&mut args)?;
    // SAFETY: checked non-null and aligned by `check`.
    let (s, stop) = unsafe { (deref_mut(s)?, *deref(stop)?) };
    if s.n != n {
        return Err(Error::LengthMismatch);
    }
    // SAFETY: checked as in `view` (the instance itself is one of `args`; `view` puts the
    // moments apart from it).
    let mut view = unsafe { s.view(&args)? };
    // SAFETY: checked non-null, aligned, sized and disjoint from each other by `check` and
    // from m, v by `view`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, wn),
        )
    };
    let (prev, grad) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let r = minimize_slice(&mut loss, &mut view, x, prev, grad, &stop)?;
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

/// torch.optim.Adam's defaults (f32): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.
#[no_mangle]
pub extern "C" fn lossmap_adam_config_default_f32() -> AdamConfig<f32> {
    AdamConfig::default()
}

/// torch.optim.Adam's defaults (f64): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.
#[no_mangle]
pub extern "C" fn lossmap_adam_config_default_f64() -> AdamConfig<f64> {
    AdamConfig::default()
}

/// Initializes `s` for `n` parameters with the caller's moment buffers `m`, `v` (`n` floats
/// each, zeroed here) and the hyperparameters `config`. Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adam_init_f32(
    s: *mut LossmapAdam<f32>,
    config: *const AdamConfig<f32>,
    n: usize,
    m: *mut f32,
    v: *mut f32,
) -> i32 {
    status(unsafe { adam_init(s, config, n, m, v) })
}

/// Initializes `s` for `n` parameters with the caller's moment buffers `m`, `v` (`n` doubles
/// each, zeroed here) and the hyperparameters `config`. Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adam_init_f64(
    s: *mut LossmapAdam<f64>,
    config: *const AdamConfig<f64>,
    n: usize,
    m: *mut f64,
    v: *mut f64,
) -> i32 {
    status(unsafe { adam_init(s, config, n, m, v) })
}

/// One Adam step on `x[0..n]` from the gradient `g[0..n]` (f32). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes) neither `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adam_step_f32(
    s: *mut LossmapAdam<f32>,
    x: *mut f32,
    g: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { adam_step(s, x, g, n) })
}

/// One Adam step on `x[0..n]` from the gradient `g[0..n]` (f64). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes) neither `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adam_step_f64(
    s: *mut LossmapAdam<f64>,
    x: *mut f64,
    g: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { adam_step(s, x, g, n) })
}

/// Default stopping rules (f32): grad_tol 1e-6, rel_tol 0, window 0 (off), max_iter 1000.
#[no_mangle]
pub extern "C" fn lossmap_stop_default_f32() -> Stop<f32> {
    Stop::default()
}

/// Default stopping rules (f64): grad_tol 1e-6, rel_tol 0, window 0 (off), max_iter 1000.
#[no_mangle]
pub extern "C" fn lossmap_stop_default_f64() -> Stop<f64> {
    Stop::default()
}

/// Minimizes the callback `f` from `x[0..n]` with the Adam instance `s` (gradients by central
/// differences) under the rules `stop` (f32). `work` holds `2n` floats of scratch; `report`
/// (may be NULL) receives the outcome. Bad input changes nothing; a NaN/Inf loss or gradient
/// during the run rolls `x` back to the last good point and returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` / `LOSSMAP_ERR_GRAD_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_adam_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    s: *mut LossmapAdam<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapReport<f32>,
) -> i32 {
    status(unsafe { minimize_adam(f, ctx, x, n, s, stop, work, report) })
}

/// Minimizes the callback `f` from `x[0..n]` with the Adam instance `s` (gradients by central
/// differences) under the rules `stop` (f64). `work` holds `2n` doubles of scratch; `report`
/// (may be NULL) receives the outcome. Bad input changes nothing; a NaN/Inf loss or gradient
/// during the run rolls `x` back to the last good point and returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` / `LOSSMAP_ERR_GRAD_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_minimize_adam_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    s: *mut LossmapAdam<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapReport<f64>,
) -> i32 {
    status(unsafe { minimize_adam(f, ctx, x, n, s, stop, work, report) })
}
