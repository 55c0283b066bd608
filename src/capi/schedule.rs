//! C entry points for the learning-rate schedules: one instance struct for every kind
//! (`lossmap_schedule_*`, its `kind` a `LOSSMAP_SCHEDULE_*` code), `lossmap_schedule_<kind>_init_*`
//! constructors and one `lossmap_schedule_lr_*` that asks any of them for the rate of a step.

use super::ptr::{apart, byte_span, deref, deref_mut, Span};
use super::status::status;
use crate::optim::{
    ConstantLr, CosineAnnealingWarmRestarts, CyclicLr, ExponentialLr, OneCycleLr, PiConfig,
    PiController, PlateauConfig, ReduceLrOnPlateau, Schedule, StepLr,
};
use crate::{Error, Real};

/// Schedule kind: a constant rate.
pub const LOSSMAP_SCHEDULE_CONSTANT: i32 = 1;
/// Schedule kind: torch's StepLR.
pub const LOSSMAP_SCHEDULE_STEP: i32 = 2;
/// Schedule kind: torch's ExponentialLR.
pub const LOSSMAP_SCHEDULE_EXPONENTIAL: i32 = 3;
/// Schedule kind: torch's CosineAnnealingWarmRestarts (SGDR).
pub const LOSSMAP_SCHEDULE_COSINE_RESTARTS: i32 = 4;
/// Schedule kind: torch's CyclicLR (triangular, triangular2).
pub const LOSSMAP_SCHEDULE_CYCLIC: i32 = 5;
/// Schedule kind: torch's OneCycleLR (two-phase, cosine).
pub const LOSSMAP_SCHEDULE_ONE_CYCLE: i32 = 6;
/// Schedule kind: torch's ReduceLROnPlateau (mode min, relative threshold).
pub const LOSSMAP_SCHEDULE_PLATEAU: i32 = 7;
/// Schedule kind: the PI controller holding a target relative loss decrease.
pub const LOSSMAP_SCHEDULE_PI: i32 = 8;

// Literal values: cbindgen cannot evaluate the Rust constants; a unit test keeps them equal.
/// `mode` of `lossmap_schedule_cyclic_*`: torch's `"triangular"` (constant amplitude).
pub const LOSSMAP_CYCLIC_TRIANGULAR: i32 = 0;
/// `mode` of `lossmap_schedule_cyclic_*`: torch's `"triangular2"` (amplitude halved every
/// cycle).
pub const LOSSMAP_CYCLIC_TRIANGULAR2: i32 = 1;

/// A schedule instance for C, any kind: `kind` is a `LOSSMAP_SCHEDULE_*` code and only the member
/// of that kind is meaningful (the others are zero). Initialize with a
/// `lossmap_schedule_<kind>_init_*` function; C may allocate it statically.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapSchedule<T> {
    /// `LOSSMAP_SCHEDULE_*` code.
    pub kind: i32,
    /// `LOSSMAP_SCHEDULE_CONSTANT`.
    pub constant: ConstantLr<T>,
    /// `LOSSMAP_SCHEDULE_STEP`.
    pub step: StepLr<T>,
    /// `LOSSMAP_SCHEDULE_EXPONENTIAL`.
    pub exponential: ExponentialLr<T>,
    /// `LOSSMAP_SCHEDULE_COSINE_RESTARTS`.
    pub cosine_restarts: CosineAnnealingWarmRestarts<T>,
    /// `LOSSMAP_SCHEDULE_CYCLIC`.
    pub cyclic: CyclicLr<T>,
    /// `LOSSMAP_SCHEDULE_ONE_CYCLE`.
    pub one_cycle: OneCycleLr<T>,
    /// `LOSSMAP_SCHEDULE_PLATEAU`.
    pub plateau: ReduceLrOnPlateau<T>,
    /// `LOSSMAP_SCHEDULE_PI`.
    pub pi: PiController<T>,
}

impl<T: Real> LossmapSchedule<T> {
    /// An instance of no kind, every field zero.
    fn blank(kind: i32) -> Self {
        let z = T::ZERO;
        let plateau = PlateauConfig {
            lr: z,
            factor: z,
            patience: 0,
            threshold: z,
            cooldown: 0,
            min_lr: z,
            eps: z,
            mode: 0,
            threshold_mode: 0,
        };
        let pi = PiConfig {
            lr: z,
            target: z,
            kp: z,
            ki: z,
            cut: z,
            lr_min: z,
            lr_max: z,
        };
        LossmapSchedule {
            kind,
            constant: ConstantLr { lr: z },
            step: StepLr {
                lr: z,
                step_size: 0,
                gamma: z,
            },
            exponential: ExponentialLr { lr: z, gamma: z },
            cosine_restarts: CosineAnnealingWarmRestarts {
                lr: z,
                t_0: 0,
                t_mult: 0,
                eta_min: z,
            },
            cyclic: CyclicLr {
                base_lr: z,
                max_lr: z,
                step_size_up: 0,
                step_size_down: 0,
                mode: 0,
            },
            one_cycle: OneCycleLr {
                max_lr: z,
                total_steps: 0,
                pct_start: z,
                div_factor: z,
                final_div_factor: z,
            },
            plateau: ReduceLrOnPlateau {
                config: plateau,
                lr: z,
                best: z,
                num_bad: 0,
                cooldown_left: 0,
            },
            pi: PiController {
                config: pi,
                log_lr: z,
                prev_loss: z,
                prev_err: z,
                has_prev: 0,
            },
        }
    }

    /// [`Schedule::initial_lr`] of the member named by `kind`.
    pub(super) fn first_rate(&mut self) -> Option<Result<T, Error>> {
        match self.kind {
            LOSSMAP_SCHEDULE_PLATEAU => self.plateau.initial_lr(),
            _ => None,
        }
    }

    /// The rate for `step` from the member named by `kind`.
    pub(super) fn rate(&mut self, step: usize, loss: T) -> Result<T, Error> {
        match self.kind {
            LOSSMAP_SCHEDULE_CONSTANT => self.constant.lr(step, loss),
            LOSSMAP_SCHEDULE_STEP => self.step.lr(step, loss),
            LOSSMAP_SCHEDULE_EXPONENTIAL => self.exponential.lr(step, loss),
            LOSSMAP_SCHEDULE_COSINE_RESTARTS => self.cosine_restarts.lr(step, loss),
            LOSSMAP_SCHEDULE_CYCLIC => self.cyclic.lr(step, loss),
            LOSSMAP_SCHEDULE_ONE_CYCLE => self.one_cycle.lr(step, loss),
            LOSSMAP_SCHEDULE_PLATEAU => self.plateau.lr(step, loss),
            LOSSMAP_SCHEDULE_PI => self.pi.lr(step, loss),
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// Writes the checked schedule `built` to `s`; nothing is written on error.
unsafe fn install<T: Real>(
    s: *mut LossmapSchedule<T>,
    built: Result<LossmapSchedule<T>, Error>,
) -> Result<(), Error> {
    // SAFETY: checked by `deref_mut`; validity is the caller's contract.
    let s = unsafe { deref_mut(s)? };
    *s = built?;
    Ok(())
}

/// [`install`] from a configuration struct at `config`, which must not overlap `s`.
unsafe fn install_from<T: Real, C>(
    s: *mut LossmapSchedule<T>,
    config: *const C,
    build: impl FnOnce() -> Result<LossmapSchedule<T>, Error>,
) -> Result<(), Error> {
    let own = Span::one(s as *const LossmapSchedule<T>)?;
    apart(&[own], &[Span::one(config)?])?;
    // SAFETY: caller's contract.
    unsafe { install(s, build()) }
}

fn constant<T: Real>(lr: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_CONSTANT);
    b.constant = ConstantLr::new(lr)?;
    Ok(b)
}

fn step<T: Real>(lr: T, step_size: usize, gamma: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_STEP);
    b.step = StepLr::new(lr, step_size, gamma)?;
    Ok(b)
}

fn exponential<T: Real>(lr: T, gamma: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_EXPONENTIAL);
    b.exponential = ExponentialLr::new(lr, gamma)?;
    Ok(b)
}

fn cosine_restarts<T: Real>(
    lr: T,
    t_0: usize,
    t_mult: usize,
    eta_min: T,
) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_COSINE_RESTARTS);
    b.cosine_restarts = CosineAnnealingWarmRestarts::new(lr, t_0, t_mult, eta_min)?;
    Ok(b)
}

fn cyclic<T: Real>(
    base_lr: T,
    max_lr: T,
    up: usize,
    down: usize,
    mode: i32,
) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_CYCLIC);
    b.cyclic = CyclicLr::new(base_lr, max_lr, up, down, mode)?;
    Ok(b)
}

fn one_cycle<T: Real>(
    max_lr: T,
    total_steps: usize,
    pct_start: T,
    div_factor: T,
    final_div_factor: T,
) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_ONE_CYCLE);
    b.one_cycle = OneCycleLr::new(max_lr, total_steps, pct_start, div_factor, final_div_factor)?;
    Ok(b)
}

unsafe fn plateau<T: Real>(config: *const PlateauConfig<T>) -> Result<LossmapSchedule<T>, Error> {
    // SAFETY: checked by `deref`; validity is the caller's contract.
    let config = unsafe { *deref(config)? };
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_PLATEAU);
    b.plateau = ReduceLrOnPlateau::new(config)?;
    Ok(b)
}

unsafe fn pi<T: Real>(config: *const PiConfig<T>) -> Result<LossmapSchedule<T>, Error> {
    // SAFETY: checked by `deref`; validity is the caller's contract.
    let config = unsafe { *deref(config)? };
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_PI);
    b.pi = PiController::new(config)?;
    Ok(b)
}

unsafe fn schedule_lr<T: Real>(
    s: *mut LossmapSchedule<T>,
    step: usize,
    loss: T,
    lr_out: *mut T,
) -> Result<(), Error> {
    let (a0, a1) = byte_span(s as *const LossmapSchedule<T>, 1);
    let (b0, b1) = byte_span(lr_out as *const T, 1);
    if a0 < b1 && b0 < a1 {
        return Err(Error::Aliased);
    }
    // SAFETY: checked by `deref_mut`, and disjoint; validity is the caller's contract.
    let (s, out) = unsafe { (deref_mut(s)?, deref_mut(lr_out)?) };
    *out = s.rate(step, loss)?;
    Ok(())
}

/// Initializes `s` as a constant rate `lr` (f32); `LOSSMAP_ERR_PARAM` unless `lr` is finite and
/// > 0. Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_constant_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
) -> i32 {
    status(unsafe { install(s, constant(lr)) })
}

/// Initializes `s` as a constant rate `lr` (f64); `LOSSMAP_ERR_PARAM` unless `lr` is finite and
/// > 0. Nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_constant_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
) -> i32 {
    status(unsafe { install(s, constant(lr)) })
}

/// Initializes `s` as torch's StepLR (f32): `lr · gamma^⌊step / step_size⌋`; `LOSSMAP_ERR_PARAM`
/// unless `lr`, `gamma` > 0 and `step_size` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_step_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    step_size: usize,
    gamma: f32,
) -> i32 {
    status(unsafe { install(s, step(lr, step_size, gamma)) })
}

/// Initializes `s` as torch's StepLR (f64): `lr · gamma^⌊step / step_size⌋`; `LOSSMAP_ERR_PARAM`
/// unless `lr`, `gamma` > 0 and `step_size` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_step_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    step_size: usize,
    gamma: f64,
) -> i32 {
    status(unsafe { install(s, step(lr, step_size, gamma)) })
}

/// Initializes `s` as torch's ExponentialLR (f32): `lr · gamma^step`; `LOSSMAP_ERR_PARAM` unless
/// `lr`, `gamma` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_exponential_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    gamma: f32,
) -> i32 {
    status(unsafe { install(s, exponential(lr, gamma)) })
}

/// Initializes `s` as torch's ExponentialLR (f64): `lr · gamma^step`; `LOSSMAP_ERR_PARAM` unless
/// `lr`, `gamma` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_exponential_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    gamma: f64,
) -> i32 {
    status(unsafe { install(s, exponential(lr, gamma)) })
}

/// Initializes `s` as torch's CosineAnnealingWarmRestarts (f32): periods `t_0`, `t_0·t_mult`, …;
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0, `t_0`, `t_mult` ≥ 1, `eta_min` ≥ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cosine_restarts_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    t_0: usize,
    t_mult: usize,
    eta_min: f32,
) -> i32 {
    status(unsafe { install(s, cosine_restarts(lr, t_0, t_mult, eta_min)) })
}

/// Initializes `s` as torch's CosineAnnealingWarmRestarts (f64): periods `t_0`, `t_0·t_mult`, …;
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0, `t_0`, `t_mult` ≥ 1, `eta_min` ≥ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cosine_restarts_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    t_0: usize,
    t_mult: usize,
    eta_min: f64,
) -> i32 {
    status(unsafe { install(s, cosine_restarts(lr, t_0, t_mult, eta_min)) })
}

/// Initializes `s` as torch's CyclicLR (f32), `mode` `LOSSMAP_CYCLIC_TRIANGULAR` or
/// `LOSSMAP_CYCLIC_TRIANGULAR2`; `LOSSMAP_ERR_PARAM` unless 0 < `base_lr` ≤ `max_lr` and both step
/// sizes ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_init_f32(
    s: *mut LossmapSchedule<f32>,
    base_lr: f32,
    max_lr: f32,
    step_size_up: usize,
    step_size_down: usize,
    mode: i32,
) -> i32 {
    status(unsafe {
        install(
            s,
            cyclic(base_lr, max_lr, step_size_up, step_size_down, mode),
        )
    })
}

/// Initializes `s` as torch's CyclicLR (f64), `mode` `LOSSMAP_CYCLIC_TRIANGULAR` or
/// `LOSSMAP_CYCLIC_TRIANGULAR2`; `LOSSMAP_ERR_PARAM` unless 0 < `base_lr` ≤ `max_lr` and both step
/// sizes ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_init_f64(
    s: *mut LossmapSchedule<f64>,
    base_lr: f64,
    max_lr: f64,
    step_size_up: usize,
    step_size_down: usize,
    mode: i32,
) -> i32 {
    status(unsafe {
        install(
            s,
            cyclic(base_lr, max_lr, step_size_up, step_size_down, mode),
        )
    })
}

/// Initializes `s` as torch's two-phase cosine OneCycleLR (f32); `LOSSMAP_ERR_PARAM` for rates or
/// factors ≤ 0 or `1 < pct_start·total_steps < total_steps` violated. Steps past `total_steps`
/// are `LOSSMAP_ERR_PARAM` from `lossmap_schedule_lr_*`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_one_cycle_init_f32(
    s: *mut LossmapSchedule<f32>,
    max_lr: f32,
    total_steps: usize,
    pct_start: f32,
    div_factor: f32,
    final_div_factor: f32,
) -> i32 {
    status(unsafe {
        install(
            s,
            one_cycle(max_lr, total_steps, pct_start, div_factor, final_div_factor),
        )
    })
}

/// Initializes `s` as torch's two-phase cosine OneCycleLR (f64); `LOSSMAP_ERR_PARAM` for rates or
/// factors ≤ 0 or `1 < pct_start·total_steps < total_steps` violated. Steps past `total_steps`
/// are `LOSSMAP_ERR_PARAM` from `lossmap_schedule_lr_*`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_one_cycle_init_f64(
    s: *mut LossmapSchedule<f64>,
    max_lr: f64,
    total_steps: usize,
    pct_start: f64,
    div_factor: f64,
    final_div_factor: f64,
) -> i32 {
    status(unsafe {
        install(
            s,
            one_cycle(max_lr, total_steps, pct_start, div_factor, final_div_factor),
        )
    })
}

/// torch's ReduceLROnPlateau defaults (f32): lr 1e-3, factor 0.1, patience 10, threshold 1e-4,
/// cooldown 0, min_lr 0, eps 1e-8.
#[no_mangle]
pub extern "C" fn lossmap_schedule_plateau_config_default_f32() -> PlateauConfig<f32> {
    PlateauConfig::default()
}

/// torch's ReduceLROnPlateau defaults (f64): lr 1e-3, factor 0.1, patience 10, threshold 1e-4,
/// cooldown 0, min_lr 0, eps 1e-8.
#[no_mangle]
pub extern "C" fn lossmap_schedule_plateau_config_default_f64() -> PlateauConfig<f64> {
    PlateauConfig::default()
}

/// Initializes `s` as torch's ReduceLROnPlateau (f32, mode min, relative threshold) from
/// `config`; `LOSSMAP_ERR_PARAM` for a bad configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_plateau_init_f32(
    s: *mut LossmapSchedule<f32>,
    config: *const PlateauConfig<f32>,
) -> i32 {
    status(unsafe { install_from(s, config, || plateau(config)) })
}

/// Initializes `s` as torch's ReduceLROnPlateau (f64, mode min, relative threshold) from
/// `config`; `LOSSMAP_ERR_PARAM` for a bad configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_plateau_init_f64(
    s: *mut LossmapSchedule<f64>,
    config: *const PlateauConfig<f64>,
) -> i32 {
    status(unsafe { install_from(s, config, || plateau(config)) })
}

/// PI controller defaults (f32): lr 1e-3, target 0.01, kp 0.5, ki 0.1, cut 0.5, lr_min 1e-8,
/// lr_max 1.
#[no_mangle]
pub extern "C" fn lossmap_schedule_pi_config_default_f32() -> PiConfig<f32> {
    PiConfig::default()
}

/// PI controller defaults (f64): lr 1e-3, target 0.01, kp 0.5, ki 0.1, cut 0.5, lr_min 1e-8,
/// lr_max 1.
#[no_mangle]
pub extern "C" fn lossmap_schedule_pi_config_default_f64() -> PiConfig<f64> {
    PiConfig::default()
}

/// Initializes `s` as the PI controller (f32) from `config`; `LOSSMAP_ERR_PARAM` for a bad
/// configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_pi_init_f32(
    s: *mut LossmapSchedule<f32>,
    config: *const PiConfig<f32>,
) -> i32 {
    status(unsafe { install_from(s, config, || pi(config)) })
}

/// Initializes `s` as the PI controller (f64) from `config`; `LOSSMAP_ERR_PARAM` for a bad
/// configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_pi_init_f64(
    s: *mut LossmapSchedule<f64>,
    config: *const PiConfig<f64>,
) -> i32 {
    status(unsafe { install_from(s, config, || pi(config)) })
}

/// Writes the rate for step `step` (from 0) to `*lr_out` (f32); `loss` is the latest loss (used
/// by the plateau and PI kinds, which count each call as one step; NaN/Inf there is
/// `LOSSMAP_ERR_NON_FINITE`). Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lr_f32(
    s: *mut LossmapSchedule<f32>,
    step: usize,
    loss: f32,
    lr_out: *mut f32,
) -> i32 {
    status(unsafe { schedule_lr(s, step, loss, lr_out) })
}

/// Writes the rate for step `step` (from 0) to `*lr_out` (f64); `loss` is the latest loss (used
/// by the plateau and PI kinds, which count each call as one step; NaN/Inf there is
/// `LOSSMAP_ERR_NON_FINITE`). Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lr_f64(
    s: *mut LossmapSchedule<f64>,
    step: usize,
    loss: f64,
    lr_out: *mut f64,
) -> i32 {
    status(unsafe { schedule_lr(s, step, loss, lr_out) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_rust_codes() {
        assert_eq!(LOSSMAP_CYCLIC_TRIANGULAR, crate::optim::CYCLIC_TRIANGULAR);
        assert_eq!(LOSSMAP_CYCLIC_TRIANGULAR2, crate::optim::CYCLIC_TRIANGULAR2);
    }
}
