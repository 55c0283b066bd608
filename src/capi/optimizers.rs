//! C entry points for the first-order family: SGD, AdaGrad, RMSProp and AdamW / AMSGrad.
//!
//! Each optimizer has an instance struct over caller-owned state buffers of `n` values
//! (`lossmap_<name>_f32` / `_f64`), `lossmap_<name>_config_default_*` (torch's defaults),
//! `lossmap_<name>_init_*` (checks, zeroes the buffers, fills the struct) and
//! `lossmap_<name>_step_*` (one update of `x` from `g`). Buffers an option does not use may be
//! NULL: SGD's `buf` when `momentum == 0`, RMSProp's `grad_avg` when not centered and `buf`
//! when `momentum == 0`, AdamW's `v_max` without AMSGrad. Nothing is written on error.

use super::ptr::{check, clear_of, deref, deref_mut, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use crate::optim::{
    AdagradConfig, AdagradView, AdamBias, AdamWConfig, AdamWView, Optimizer, RmsPropConfig,
    RmsPropView, SgdConfig, SgdView,
};
use crate::{Error, Real};

/// SGD instance for C: hyperparameters, step count and the caller-owned momentum buffer `buf`
/// of `n` values (may be NULL when `config.momentum == 0`).
#[repr(C)]
#[derive(Debug)]
pub struct LossmapSgd<T> {
    /// Hyperparameters (may be changed between steps; checked at every step).
    pub config: SgdConfig<T>,
    /// Steps taken.
    pub step: u32,
    /// Number of parameters.
    pub n: usize,
    /// Momentum buffer, `n` values, or NULL when `config.momentum == 0`.
    pub buf: *mut T,
}

/// AdaGrad instance for C: hyperparameters, step count and the caller-owned squared-gradient
/// sum `sum` of `n` values.
#[repr(C)]
#[derive(Debug)]
pub struct LossmapAdagrad<T> {
    /// Hyperparameters (may be changed between steps; checked at every step).
    pub config: AdagradConfig<T>,
    /// Steps taken.
    pub step: u32,
    /// Number of parameters.
    pub n: usize,
    /// Squared-gradient sum, `n` values (set to `initial_accumulator_value` by init).
    pub sum: *mut T,
}

/// RMSProp instance for C: hyperparameters, step count and caller-owned buffers of `n` values.
#[repr(C)]
#[derive(Debug)]
pub struct LossmapRmsProp<T> {
    /// Hyperparameters (may be changed between steps; checked at every step).
    pub config: RmsPropConfig<T>,
    /// Steps taken.
    pub step: u32,
    /// Number of parameters.
    pub n: usize,
    /// Squared-gradient average, `n` values.
    pub v: *mut T,
    /// Gradient average, `n` values, or NULL when `config.centered == 0`.
    pub grad_avg: *mut T,
    /// Momentum buffer, `n` values, or NULL when `config.momentum == 0`.
    pub buf: *mut T,
}

/// AdamW / AMSGrad instance for C: hyperparameters, step count and caller-owned buffers of `n`
/// values.
#[repr(C)]
#[derive(Debug)]
pub struct LossmapAdamW<T> {
    /// Hyperparameters (may be changed between steps; checked at every step).
    pub config: AdamWConfig<T>,
    /// Steps taken.
    pub step: u32,
    /// The bias corrections' cache, set by `lossmap_adamw_init_*` and updated by each step
    /// (a step recomputes it when `step` or a β changed; one written by hand is refused unless
    /// its corrections are in (0, 1]).
    pub bias: AdamBias<T>,
    /// Number of parameters.
    pub n: usize,
    /// First moment, `n` values.
    pub m: *mut T,
    /// Second moment, `n` values.
    pub v: *mut T,
    /// Running maximum of the second moment, `n` values, or NULL when `config.amsgrad == 0`.
    pub v_max: *mut T,
}

/// Checks `K` state buffers of `n` values (`required[k]` false allows NULL, which gives an
/// empty slice) with [`check`], and that they overlap neither each other nor the instance
/// struct `own` nor `extra` (all already through [`check`]).
///
/// # Safety
/// Non-null pointers must point to `n` valid, writable values not otherwise referenced.
pub(super) unsafe fn state<'a, T: Copy, const K: usize>(
    n: usize,
    bufs: [(*mut T, bool); K],
    own: Arg,
    extra: &[Arg],
) -> Result<[&'a mut [T]; K], Error> {
    let mut args = bufs.map(|(p, required)| {
        let flags = if required {
            WRITTEN
        } else {
            WRITTEN | OPTIONAL
        };
        Arg::of(p as *const T, n, flags)
    });
    check(&mut args)?;
    clear_of(&args, extra)?;
    clear_of(&args, &[own])?;
    // SAFETY: non-null ones checked non-null, aligned, sized and pairwise disjoint by `check`,
    // and apart from `own` and `extra` by `clear_of`; validity is the caller's contract.
    Ok(bufs.map(|(p, _)| {
        if p.is_null() {
            <&mut [T]>::default()
        } else {
            unsafe { core::slice::from_raw_parts_mut(p, n) }
        }
    }))
}

/// The instance struct `own` (written), `x` (written) and `g` (read, `n` values each),
/// checked with [`check`] before the instance is read (an instance overlapping them is
/// `Aliased`, whatever its bytes say); `[own, x, g]` after the check.
fn io<T: Copy, S>(own: *const S, x: *mut T, g: *const T, n: usize) -> Result<[Arg; 3], Error> {
    let mut args = [
        Arg::of(own, 1, WRITTEN),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(g, n, READ),
    ];
    check(&mut args)?;
    Ok(args)
}

/// [`Error::LengthMismatch`] unless the instance's `n_state` is the call's `n`.
fn same_n(n_state: usize, n: usize) -> Result<(), Error> {
    if n_state == n {
        Ok(())
    } else {
        Err(Error::LengthMismatch)
    }
}

/// # Safety
/// As [`state`], for `x` and `g` (`n` values, checked by [`io`]) as well.
unsafe fn run<T: Real>(
    x: *mut T,
    g: *const T,
    n: usize,
    opt: &mut impl Optimizer<T>,
) -> Result<(), Error> {
    // SAFETY: checked non-null, aligned, sized and apart from each other and the instance by
    // `check` (in `io`), and from the state by `clear_of` (in `state`).
    let (x, g) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts(g, n),
        )
    };
    opt.step(x, g)
}

unsafe fn sgd_init<T: Real>(
    s: *mut LossmapSgd<T>,
    config: *const SgdConfig<T>,
    n: usize,
    buf: *mut T,
) -> Result<(), Error> {
    // The instance is written: apart from the config.
    let mut oc = [Arg::of(s as *const _, 1, WRITTEN), Arg::of(config, 1, READ)];
    check(&mut oc)?;
    let [own, cs] = oc;
    // SAFETY: checked non-null and aligned by `check` (buffers by `state`); validity is the
    // caller's contract.
    let (s, config) = unsafe { (deref_mut(s)?, *deref(config)?) };
    config.validate()?;
    let [b] = unsafe { state(n, [(buf, config.momentum > T::ZERO)], own, &[cs])? };
    b.iter_mut().for_each(|a| *a = T::ZERO);
    *s = LossmapSgd {
        config,
        step: 0,
        n,
        buf,
    };
    Ok(())
}

unsafe fn sgd_step<T: Real>(
    s: *mut LossmapSgd<T>,
    x: *mut T,
    g: *const T,
    n: usize,
) -> Result<(), Error> {
    // SAFETY: as in `sgd_init`.
    let [own, xs, gs] = io(s as *const _, x, g, n)?;
    let xgs = [xs, gs];
    let s = unsafe { deref_mut(s)? };
    same_n(s.n, n)?;
    let [buf] = unsafe { state(n, [(s.buf, s.config.momentum > T::ZERO)], own, &xgs)? };
    let mut view = SgdView {
        config: s.config,
        t: &mut s.step,
        buf,
    };
    unsafe { run(x, g, n, &mut view) }
}

unsafe fn adagrad_init<T: Real>(
    s: *mut LossmapAdagrad<T>,
    config: *const AdagradConfig<T>,
    n: usize,
    sum: *mut T,
) -> Result<(), Error> {
    // The instance is written: apart from the config.
    let mut oc = [Arg::of(s as *const _, 1, WRITTEN), Arg::of(config, 1, READ)];
    check(&mut oc)?;
    let [own, cs] = oc;
    // SAFETY: checked non-null and aligned by `check` (buffers by `state`); validity is the
    // caller's contract.
    let (s, config) = unsafe { (deref_mut(s)?, *deref(config)?) };
    config.validate()?;
    let [b] = unsafe { state(n, [(sum, true)], own, &[cs])? };
    b.iter_mut()
        .for_each(|a| *a = config.initial_accumulator_value);
    *s = LossmapAdagrad {
        config,
        step: 0,
        n,
        sum,
    };
    Ok(())
}

unsafe fn adagrad_step<T: Real>(
    s: *mut LossmapAdagrad<T>,
    x: *mut T,
    g: *const T,
    n: usize,
) -> Result<(), Error> {
    // SAFETY: as in `adagrad_init`.
    let [own, xs, gs] = io(s as *const _, x, g, n)?;
    let xgs = [xs, gs];
    let s = unsafe { deref_mut(s)? };
    same_n(s.n, n)?;
    let [sum] = unsafe { state(n, [(s.sum, true)], own, &xgs)? };
    let mut view = AdagradView {
        config: s.config,
        t: &mut s.step,
        sum,
    };
    unsafe { run(x, g, n, &mut view) }
}

fn rmsprop_needs<T: Real>(c: &RmsPropConfig<T>) -> [bool; 3] {
    [true, c.centered != 0, c.momentum > T::ZERO]
}

unsafe fn rmsprop_init<T: Real>(
    s: *mut LossmapRmsProp<T>,
    config: *const RmsPropConfig<T>,
    n: usize,
    v: *mut T,
    grad_avg: *mut T,
    buf: *mut T,
) -> Result<(), Error> {
    // The instance is written: apart from the config.
    let mut oc = [Arg::of(s as *const _, 1, WRITTEN), Arg::of(config, 1, READ)];
    check(&mut oc)?;
    let [own, cs] = oc;
    // SAFETY: checked non-null and aligned by `check` (buffers by `state`); validity is the
    // caller's contract.
    let (s, config) = unsafe { (deref_mut(s)?, *deref(config)?) };
    config.validate()?;
    let [nv, na, nb] = rmsprop_needs(&config);
    let bufs = unsafe { state(n, [(v, nv), (grad_avg, na), (buf, nb)], own, &[cs])? };
    bufs.into_iter()
        .for_each(|b| b.iter_mut().for_each(|a| *a = T::ZERO));
    *s = LossmapRmsProp {
        config,
        step: 0,
        n,
        v,
        grad_avg,
        buf,
    };
    Ok(())
}

unsafe fn rmsprop_step<T: Real>(
    s: *mut LossmapRmsProp<T>,
    x: *mut T,
    g: *const T,
    n: usize,
) -> Result<(), Error> {
    // SAFETY: as in `rmsprop_init`.
    let [own, xs, gs] = io(s as *const _, x, g, n)?;
    let xgs = [xs, gs];
    let s = unsafe { deref_mut(s)? };
    same_n(s.n, n)?;
    let [nv, na, nb] = rmsprop_needs(&s.config);
    let [v, grad_avg, buf] =
        unsafe { state(n, [(s.v, nv), (s.grad_avg, na), (s.buf, nb)], own, &xgs)? };
    let mut view = RmsPropView {
        config: s.config,
        t: &mut s.step,
        v,
        grad_avg,
        buf,
    };
    unsafe { run(x, g, n, &mut view) }
}

unsafe fn adamw_init<T: Real>(
    s: *mut LossmapAdamW<T>,
    config: *const AdamWConfig<T>,
    n: usize,
    m: *mut T,
    v: *mut T,
    v_max: *mut T,
) -> Result<(), Error> {
    // The instance is written: apart from the config.
    let mut oc = [Arg::of(s as *const _, 1, WRITTEN), Arg::of(config, 1, READ)];
    check(&mut oc)?;
    let [own, cs] = oc;
    // SAFETY: checked non-null and aligned by `check` (buffers by `state`); validity is the
    // caller's contract.
    let (s, config) = unsafe { (deref_mut(s)?, *deref(config)?) };
    config.validate()?;
    let ams = config.amsgrad != 0;
    let bufs = unsafe { state(n, [(m, true), (v, true), (v_max, ams)], own, &[cs])? };
    bufs.into_iter()
        .for_each(|b| b.iter_mut().for_each(|a| *a = T::ZERO));
    *s = LossmapAdamW {
        config,
        step: 0,
        bias: AdamBias::EMPTY,
        n,
        m,
        v,
        v_max,
    };
    Ok(())
}

unsafe fn adamw_step<T: Real>(
    s: *mut LossmapAdamW<T>,
    x: *mut T,
    g: *const T,
    n: usize,
) -> Result<(), Error> {
    // SAFETY: as in `adamw_init`.
    let [own, xs, gs] = io(s as *const _, x, g, n)?;
    let xgs = [xs, gs];
    let s = unsafe { deref_mut(s)? };
    same_n(s.n, n)?;
    let ams = s.config.amsgrad != 0;
    let [m, v, v_max] = unsafe { state(n, [(s.m, true), (s.v, true), (s.v_max, ams)], own, &xgs)? };
    let mut view = AdamWView {
        config: s.config,
        t: &mut s.step,
        bias: &mut s.bias,
        m,
        v,
        v_max,
    };
    unsafe { run(x, g, n, &mut view) }
}

/// torch.optim.SGD's defaults (f32): lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov 0.
#[no_mangle]
pub extern "C" fn lossmap_sgd_config_default_f32() -> SgdConfig<f32> {
    SgdConfig::default()
}

/// torch.optim.SGD's defaults (f64): lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov 0.
#[no_mangle]
pub extern "C" fn lossmap_sgd_config_default_f64() -> SgdConfig<f64> {
    SgdConfig::default()
}

/// Initializes the SGD instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's momentum buffer (`n` floats, zeroed here; may be NULL when `config->momentum == 0`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sgd_init_f32(
    s: *mut LossmapSgd<f32>,
    config: *const SgdConfig<f32>,
    n: usize,
    buf: *mut f32,
) -> i32 {
    status(unsafe { sgd_init(s, config, n, buf) })
}

/// Initializes the SGD instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's momentum buffer (`n` doubles, zeroed here; may be NULL when `config->momentum == 0`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sgd_init_f64(
    s: *mut LossmapSgd<f64>,
    config: *const SgdConfig<f64>,
    n: usize,
    buf: *mut f64,
) -> i32 {
    status(unsafe { sgd_init(s, config, n, buf) })
}

/// One SGD step on `x[0..n]` from the gradient `g[0..n]` (f32). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sgd_step_f32(
    s: *mut LossmapSgd<f32>,
    x: *mut f32,
    g: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { sgd_step(s, x, g, n) })
}

/// One SGD step on `x[0..n]` from the gradient `g[0..n]` (f64). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sgd_step_f64(
    s: *mut LossmapSgd<f64>,
    x: *mut f64,
    g: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { sgd_step(s, x, g, n) })
}

/// torch.optim.Adagrad's defaults (f32): lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10.
#[no_mangle]
pub extern "C" fn lossmap_adagrad_config_default_f32() -> AdagradConfig<f32> {
    AdagradConfig::default()
}

/// torch.optim.Adagrad's defaults (f64): lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10.
#[no_mangle]
pub extern "C" fn lossmap_adagrad_config_default_f64() -> AdagradConfig<f64> {
    AdagradConfig::default()
}

/// Initializes the AdaGrad instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's squared-gradient sum (`n` floats, set to `config->initial_accumulator_value` here). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adagrad_init_f32(
    s: *mut LossmapAdagrad<f32>,
    config: *const AdagradConfig<f32>,
    n: usize,
    sum: *mut f32,
) -> i32 {
    status(unsafe { adagrad_init(s, config, n, sum) })
}

/// Initializes the AdaGrad instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's squared-gradient sum (`n` doubles, set to `config->initial_accumulator_value` here). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adagrad_init_f64(
    s: *mut LossmapAdagrad<f64>,
    config: *const AdagradConfig<f64>,
    n: usize,
    sum: *mut f64,
) -> i32 {
    status(unsafe { adagrad_init(s, config, n, sum) })
}

/// One AdaGrad step on `x[0..n]` from the gradient `g[0..n]` (f32). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adagrad_step_f32(
    s: *mut LossmapAdagrad<f32>,
    x: *mut f32,
    g: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { adagrad_step(s, x, g, n) })
}

/// One AdaGrad step on `x[0..n]` from the gradient `g[0..n]` (f64). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adagrad_step_f64(
    s: *mut LossmapAdagrad<f64>,
    x: *mut f64,
    g: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { adagrad_step(s, x, g, n) })
}

/// torch.optim.RMSprop's defaults (f32): lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered 0.
#[no_mangle]
pub extern "C" fn lossmap_rmsprop_config_default_f32() -> RmsPropConfig<f32> {
    RmsPropConfig::default()
}

/// torch.optim.RMSprop's defaults (f64): lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered 0.
#[no_mangle]
pub extern "C" fn lossmap_rmsprop_config_default_f64() -> RmsPropConfig<f64> {
    RmsPropConfig::default()
}

/// Initializes the RMSProp instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's buffers of `n` floats each, zeroed here: `v` squared-gradient average; `grad_avg` gradient average (may be NULL unless `config->centered`); `buf` momentum buffer (may be NULL when `config->momentum == 0`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_rmsprop_init_f32(
    s: *mut LossmapRmsProp<f32>,
    config: *const RmsPropConfig<f32>,
    n: usize,
    v: *mut f32,
    grad_avg: *mut f32,
    buf: *mut f32,
) -> i32 {
    status(unsafe { rmsprop_init(s, config, n, v, grad_avg, buf) })
}

/// Initializes the RMSProp instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's buffers of `n` doubles each, zeroed here: `v` squared-gradient average; `grad_avg` gradient average (may be NULL unless `config->centered`); `buf` momentum buffer (may be NULL when `config->momentum == 0`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_rmsprop_init_f64(
    s: *mut LossmapRmsProp<f64>,
    config: *const RmsPropConfig<f64>,
    n: usize,
    v: *mut f64,
    grad_avg: *mut f64,
    buf: *mut f64,
) -> i32 {
    status(unsafe { rmsprop_init(s, config, n, v, grad_avg, buf) })
}

/// One RMSProp step on `x[0..n]` from the gradient `g[0..n]` (f32). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_rmsprop_step_f32(
    s: *mut LossmapRmsProp<f32>,
    x: *mut f32,
    g: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { rmsprop_step(s, x, g, n) })
}

/// One RMSProp step on `x[0..n]` from the gradient `g[0..n]` (f64). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_rmsprop_step_f64(
    s: *mut LossmapRmsProp<f64>,
    x: *mut f64,
    g: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { rmsprop_step(s, x, g, n) })
}

/// torch.optim.AdamW's defaults (f32): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad 0, decoupled 1.
#[no_mangle]
pub extern "C" fn lossmap_adamw_config_default_f32() -> AdamWConfig<f32> {
    AdamWConfig::default()
}

/// torch.optim.AdamW's defaults (f64): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad 0, decoupled 1.
#[no_mangle]
pub extern "C" fn lossmap_adamw_config_default_f64() -> AdamWConfig<f64> {
    AdamWConfig::default()
}

/// Initializes the AdamW instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's buffers of `n` floats each, zeroed here: `m` first moment; `v` second moment; `v_max` running maximum of v (may be NULL unless `config->amsgrad`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adamw_init_f32(
    s: *mut LossmapAdamW<f32>,
    config: *const AdamWConfig<f32>,
    n: usize,
    m: *mut f32,
    v: *mut f32,
    v_max: *mut f32,
) -> i32 {
    status(unsafe { adamw_init(s, config, n, m, v, v_max) })
}

/// Initializes the AdamW instance `s` for `n` parameters with the hyperparameters `config`
/// and the caller's buffers of `n` doubles each, zeroed here: `m` first moment; `v` second moment; `v_max` running maximum of v (may be NULL unless `config->amsgrad`). Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adamw_init_f64(
    s: *mut LossmapAdamW<f64>,
    config: *const AdamWConfig<f64>,
    n: usize,
    m: *mut f64,
    v: *mut f64,
    v_max: *mut f64,
) -> i32 {
    status(unsafe { adamw_init(s, config, n, m, v, v_max) })
}

/// One AdamW step on `x[0..n]` from the gradient `g[0..n]` (f32). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adamw_step_f32(
    s: *mut LossmapAdamW<f32>,
    x: *mut f32,
    g: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { adamw_step(s, x, g, n) })
}

/// One AdamW step on `x[0..n]` from the gradient `g[0..n]` (f64). `n` must equal `s->n`. On
/// error (NaN/Inf in x or g, bad hyperparameters, sizes, NULL or overlapping buffers) neither
/// `x` nor the state changes.
#[no_mangle]
pub unsafe extern "C" fn lossmap_adamw_step_f64(
    s: *mut LossmapAdamW<f64>,
    x: *mut f64,
    g: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { adamw_step(s, x, g, n) })
}
