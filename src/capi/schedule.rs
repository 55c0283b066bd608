//! C entry points for the learning-rate schedules: one instance struct for every kind
//! (`lossmap_schedule_*`, its `kind` a `LOSSMAP_SCHEDULE_*` code), `lossmap_schedule_<kind>_init_*`
//! constructors and one `lossmap_schedule_lr_*` that asks any of them for the rate of a step.

use super::ptr::{check, deref, deref_mut, Arg, READ, WRITTEN};
use super::status::status;
use crate::optim::{
    chained_rate, lambda_rate, ConstantLr, CosineAnnealingLr, CosineAnnealingWarmRestarts,
    CyclicLr, ExponentialLr, LinearLr, MultiStepLr, OneCycleLr, PiConfig, PiController,
    PlateauConfig, PolynomialLr, ReduceLrOnPlateau, Schedule, StepLr, StepObservation,
    MULTI_STEP_MAX,
};
use crate::{Error, Real};
use core::ffi::c_void;

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
/// Schedule kind: the PI controller holding a target fidelity ratio of each step, under a
/// learned curvature ceiling (`lossmap_schedule_observe_*`).
pub const LOSSMAP_SCHEDULE_PI: i32 = 8;
/// Schedule kind: torch's CosineAnnealingLR.
pub const LOSSMAP_SCHEDULE_COSINE: i32 = 9;
/// Schedule kind: torch's LinearLR (warm-up).
pub const LOSSMAP_SCHEDULE_LINEAR: i32 = 10;
/// Schedule kind: torch's MultiStepLR.
pub const LOSSMAP_SCHEDULE_MULTI_STEP: i32 = 11;
/// Schedule kind: torch's PolynomialLR.
pub const LOSSMAP_SCHEDULE_POLYNOMIAL: i32 = 12;
/// Schedule kind: torch's LambdaLR with a C callback.
pub const LOSSMAP_SCHEDULE_LAMBDA: i32 = 13;
/// Schedule kind: torch's SequentialLR over two other schedules.
pub const LOSSMAP_SCHEDULE_SEQUENTIAL: i32 = 14;
/// Schedule kind: torch's ChainedScheduler over two multiplicative schedules.
pub const LOSSMAP_SCHEDULE_CHAINED: i32 = 15;
/// Schedule kind: torch's CyclicLR with a custom scale function (a C callback).
pub const LOSSMAP_SCHEDULE_CYCLIC_FN: i32 = 16;
/// The largest schedule kind.
pub(super) const LOSSMAP_SCHEDULE_LAST: i32 = LOSSMAP_SCHEDULE_CYCLIC_FN;

/// `mode` of `lossmap_schedule_cyclic_*`: torch's `"exp_range"` (amplitude `gamma^x`).
pub const LOSSMAP_CYCLIC_EXP_RANGE: i32 = 2;
/// `scale_mode` of a `lossmap_schedule_cyclic_*`: the scale is a function of the cycle.
pub const LOSSMAP_CYCLIC_SCALE_CYCLE: i32 = 0;
/// `scale_mode` of a `lossmap_schedule_cyclic_*`: the scale is a function of the step.
pub const LOSSMAP_CYCLIC_SCALE_ITERATIONS: i32 = 1;
/// `anneal_strategy` of a `lossmap_schedule_one_cycle_*`: torch's `"cos"`.
pub const LOSSMAP_ANNEAL_COS: i32 = 0;
/// `anneal_strategy` of a `lossmap_schedule_one_cycle_*`: torch's `"linear"`.
pub const LOSSMAP_ANNEAL_LINEAR: i32 = 1;

/// Capacity of the milestone array of `lossmap_schedule_multi_step_*`.
pub const LOSSMAP_MULTI_STEP_MAX: usize = 8;
/// `mode` of a `lossmap_plateau_config_*`: torch's `"min"` (the default: the loss should fall).
pub const LOSSMAP_PLATEAU_MIN: i32 = 0;
/// `mode` of a `lossmap_plateau_config_*`: torch's `"max"` (the metric should rise).
pub const LOSSMAP_PLATEAU_MAX: i32 = 1;
/// `threshold_mode` of a `lossmap_plateau_config_*`: torch's `"rel"` (the default).
pub const LOSSMAP_PLATEAU_REL: i32 = 0;
/// `threshold_mode` of a `lossmap_plateau_config_*`: torch's `"abs"`.
pub const LOSSMAP_PLATEAU_ABS: i32 = 1;

/// The factor callback of `LOSSMAP_SCHEDULE_LAMBDA`: `f(step, ctx)`, a finite factor ≥ 0.
pub type LossmapLambdaFn<T> = Option<unsafe extern "C" fn(step: usize, ctx: *mut c_void) -> T>;

/// The scale callback of `LOSSMAP_SCHEDULE_CYCLIC_FN`: `scale(x, ctx)`, `x` the cycle number
/// (from 1) or the step as `scale_mode` says; a finite value ≥ 0.
pub type LossmapScaleFn<T> = Option<unsafe extern "C" fn(x: T, ctx: *mut c_void) -> T>;

/// `LOSSMAP_SCHEDULE_CYCLIC_FN`: the `cyclic` member's wave with this scale function.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapCyclicFn<T> {
    /// The scale callback; never NULL in an initialized schedule.
    pub f: LossmapScaleFn<T>,
    /// Passed to `f` unchanged.
    pub ctx: *mut c_void,
}

/// `LOSSMAP_SCHEDULE_LAMBDA`: `lr · f(step, ctx)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapLambda<T> {
    /// Rate the factors multiply, finite and > 0.
    pub lr: T,
    /// The factor callback (a `lossmap_lambda_*_fn`); never NULL in an initialized schedule.
    pub f: LossmapLambdaFn<T>,
    /// Passed to `f` unchanged.
    pub ctx: *mut c_void,
}

/// `LOSSMAP_SCHEDULE_SEQUENTIAL` and `LOSSMAP_SCHEDULE_CHAINED`: two other caller-owned,
/// initialized schedules, which must stay valid (and unmoved) while this one is used, and be
/// of neither of these two kinds (no nesting in C).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapPair<T> {
    /// The first schedule (sequential: steps before `milestone`).
    pub first: *mut LossmapSchedule<T>,
    /// The second schedule (sequential: from `milestone` on, asked for `step − milestone`).
    pub second: *mut LossmapSchedule<T>,
    /// Sequential: the step at which `second` takes over, ≥ 1 (unused when chained).
    pub milestone: usize,
    /// Chained: the initial rate both schedules were built with, > 0 (unused when sequential).
    pub lr: T,
}

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
    /// `LOSSMAP_SCHEDULE_COSINE`.
    pub cosine: CosineAnnealingLr<T>,
    /// `LOSSMAP_SCHEDULE_LINEAR`.
    pub linear: LinearLr<T>,
    /// `LOSSMAP_SCHEDULE_MULTI_STEP`.
    pub multi_step: MultiStepLr<T>,
    /// `LOSSMAP_SCHEDULE_POLYNOMIAL`.
    pub polynomial: PolynomialLr<T>,
    /// `LOSSMAP_SCHEDULE_LAMBDA`.
    pub lambda: LossmapLambda<T>,
    /// `LOSSMAP_SCHEDULE_SEQUENTIAL` and `LOSSMAP_SCHEDULE_CHAINED`.
    pub pair: LossmapPair<T>,
    /// `LOSSMAP_SCHEDULE_CYCLIC_FN` (with the parameters in `cyclic`).
    pub cyclic_fn: LossmapCyclicFn<T>,
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
            growth: z,
            lr_min: z,
            lr_max: z,
            ceiling: z,
            memory: z,
        };
        LossmapSchedule {
            kind,
            constant: ConstantLr { lr: z },
            step: StepLr {
                lr: z,
                step_size: 0,
                gamma: 0.0,
            },
            exponential: ExponentialLr { lr: z, gamma: 0.0 },
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
                gamma: 0.0,
                scale_mode: 0,
                cycle_momentum: 0,
                base_momentum: z,
                max_momentum: z,
            },
            one_cycle: OneCycleLr {
                max_lr: z,
                total_steps: 0,
                pct_start: z,
                div_factor: z,
                final_div_factor: z,
                three_phase: 0,
                anneal_strategy: 0,
                cycle_momentum: 0,
                base_momentum: z,
                max_momentum: z,
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
                prev_err: z,
                ratio: z,
                updates: 0,
                curvature: z,
                noise: z,
                last_loss: z,
                last_pred: z,
                last_step: 0,
            },
            cosine: CosineAnnealingLr {
                lr: z,
                t_max: 0,
                eta_min: z,
            },
            linear: LinearLr {
                lr: z,
                start_factor: z,
                end_factor: z,
                total_iters: 0,
            },
            multi_step: MultiStepLr {
                lr: z,
                gamma: 0.0,
                milestones: [0; MULTI_STEP_MAX],
                len: 0,
            },
            polynomial: PolynomialLr {
                lr: z,
                total_iters: 0,
                power: z,
            },
            lambda: LossmapLambda {
                lr: z,
                f: None,
                ctx: core::ptr::null_mut(),
            },
            pair: LossmapPair {
                first: core::ptr::null_mut(),
                second: core::ptr::null_mut(),
                milestone: 0,
                lr: z,
            },
            cyclic_fn: LossmapCyclicFn {
                f: None,
                ctx: core::ptr::null_mut(),
            },
        }
    }

    /// The rate of a member of a pair: an initialized schedule of a simple kind.
    ///
    /// # Safety
    /// `p` must be NULL or point to a valid schedule not borrowed elsewhere.
    unsafe fn member_rate(p: *mut Self, step: usize, loss: T) -> Result<T, Error> {
        // SAFETY: the caller's contract (checked non-null and aligned here).
        let m = unsafe { deref_mut(p)? };
        if m.kind == LOSSMAP_SCHEDULE_SEQUENTIAL || m.kind == LOSSMAP_SCHEDULE_CHAINED {
            return Err(Error::InvalidParameter);
        }
        m.rate(step, loss)
    }

    /// [`Schedule::momentum`] of the member named by `kind`.
    pub(super) fn cycled_momentum(&mut self, step: usize) -> Option<Result<T, Error>> {
        match self.kind {
            LOSSMAP_SCHEDULE_CYCLIC => self.cyclic.momentum(step),
            LOSSMAP_SCHEDULE_CYCLIC_FN if self.cyclic.cycle_momentum != 0 => {
                let c = self.cyclic_fn;
                Some(c.f.ok_or(Error::NullPointer).and_then(|f| {
                    // SAFETY: the caller's callback with its own context.
                    self.cyclic
                        .momentum_scaled(step, |x| unsafe { f(T::from_f64(x), c.ctx) }.to_f64())
                }))
            }
            LOSSMAP_SCHEDULE_ONE_CYCLE => self.one_cycle.momentum(step),
            _ => None,
        }
    }

    /// [`Schedule::observe`] of the member named by `kind`: the PI kind learns from it, a
    /// sequential pair passes it to the member that set the step's rate, the others ignore it.
    pub(super) fn see(&mut self, o: &StepObservation<T>) -> Result<(), Error> {
        match self.kind {
            LOSSMAP_SCHEDULE_PI => self.pi.observe(o),
            LOSSMAP_SCHEDULE_SEQUENTIAL => {
                let p = self.pair;
                let own = self as *mut Self;
                if p.milestone == 0 || p.first == own || p.second == own {
                    return Err(Error::InvalidParameter);
                }
                let (m, o) = match o.step.checked_sub(p.milestone) {
                    Some(t) => (p.second, StepObservation { step: t, ..*o }),
                    None => (p.first, *o),
                };
                // SAFETY: an initialized pair's members are valid (the caller's contract).
                let m = unsafe { deref_mut(m)? };
                if m.kind == LOSSMAP_SCHEDULE_PI {
                    m.pi.observe(&o)
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// [`Schedule::observes`] of the member named by `kind`.
    pub(super) fn sees(&self) -> bool {
        match self.kind {
            LOSSMAP_SCHEDULE_PI => true,
            LOSSMAP_SCHEDULE_SEQUENTIAL => [self.pair.first, self.pair.second].iter().any(|&m| {
                let own = self as *const Self;
                // SAFETY: as in `see`; a NULL member or one that is this schedule is skipped.
                !core::ptr::eq(m, own)
                    && unsafe { deref(m as *const Self) }
                        .is_ok_and(|m| m.kind == LOSSMAP_SCHEDULE_PI)
            }),
            _ => false,
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
            LOSSMAP_SCHEDULE_COSINE => self.cosine.lr(step, loss),
            LOSSMAP_SCHEDULE_LINEAR => self.linear.lr(step, loss),
            LOSSMAP_SCHEDULE_MULTI_STEP => self.multi_step.lr(step, loss),
            LOSSMAP_SCHEDULE_POLYNOMIAL => self.polynomial.lr(step, loss),
            LOSSMAP_SCHEDULE_LAMBDA => {
                let l = self.lambda;
                let f = l.f.ok_or(Error::NullPointer)?;
                ensure_rate(l.lr)?;
                // SAFETY: the caller's callback with its own context.
                lambda_rate(l.lr, unsafe { f(step, l.ctx) })
            }
            LOSSMAP_SCHEDULE_CYCLIC_FN => {
                let c = self.cyclic_fn;
                let f = c.f.ok_or(Error::NullPointer)?;
                // SAFETY: the caller's callback with its own context.
                self.cyclic
                    .lr_scaled(step, |x| unsafe { f(T::from_f64(x), c.ctx) }.to_f64())
            }
            LOSSMAP_SCHEDULE_SEQUENTIAL => {
                let p = self.pair;
                let own = self as *mut Self;
                if p.milestone == 0 || p.first == own || p.second == own {
                    return Err(Error::InvalidParameter);
                }
                // SAFETY: the init's contract: valid, distinct from this schedule.
                match step.checked_sub(p.milestone) {
                    Some(t) => unsafe { Self::member_rate(p.second, t, loss) },
                    None => unsafe { Self::member_rate(p.first, step, loss) },
                }
            }
            LOSSMAP_SCHEDULE_CHAINED => {
                let p = self.pair;
                let own = self as *mut Self;
                ensure_rate(p.lr)?;
                if p.first == own || p.second == own || p.first == p.second {
                    return Err(Error::InvalidParameter);
                }
                // SAFETY: the init's contract: valid, distinct from this schedule and each other.
                let a = unsafe { Self::member_rate(p.first, step, loss)? };
                let b = unsafe { Self::member_rate(p.second, step, loss)? };
                chained_rate(a, b, p.lr)
            }
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// A rate: finite and > 0.
fn ensure_rate<T: Real>(lr: T) -> Result<(), Error> {
    crate::optim::check_lr(lr)
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
    check(&mut [
        Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
        Arg::of(config, 1, READ),
    ])?;
    // SAFETY: caller's contract.
    unsafe { install(s, build()) }
}

fn constant<T: Real>(lr: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_CONSTANT);
    b.constant = ConstantLr::new(lr)?;
    Ok(b)
}

fn step<T: Real>(lr: T, step_size: usize, gamma: f64) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_STEP);
    b.step = StepLr::new(lr, step_size, gamma)?;
    Ok(b)
}

fn exponential<T: Real>(lr: T, gamma: f64) -> Result<LossmapSchedule<T>, Error> {
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

fn cosine<T: Real>(lr: T, t_max: usize, eta_min: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_COSINE);
    b.cosine = CosineAnnealingLr::new(lr, t_max, eta_min)?;
    Ok(b)
}

fn linear<T: Real>(lr: T, start: T, end: T, total: usize) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_LINEAR);
    b.linear = LinearLr::new(lr, start, end, total)?;
    Ok(b)
}

/// # Safety
/// `milestones` must point to `len` readable entries (NULL allowed for `len = 0`) and `s` to a
/// writable schedule.
unsafe fn multi_step<T: Real>(
    s: *mut LossmapSchedule<T>,
    lr: T,
    milestones: *const usize,
    len: usize,
    gamma: f64,
) -> Result<(), Error> {
    if len > LOSSMAP_MULTI_STEP_MAX {
        return Err(Error::InvalidParameter);
    }
    let m: &[usize] = if len == 0 {
        &[]
    } else {
        // The milestones are read while `s` is written: they must not overlap.
        check(&mut [
            Arg::of(milestones, len, READ),
            Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
        ])?;
        // SAFETY: checked non-null, aligned, sized and apart from `s` by `check`; validity is
        // the caller's contract.
        unsafe { core::slice::from_raw_parts(milestones, len) }
    };
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_MULTI_STEP);
    b.multi_step = MultiStepLr::new(lr, m, gamma)?;
    // SAFETY: caller's contract.
    unsafe { install(s, Ok(b)) }
}

fn polynomial<T: Real>(lr: T, total: usize, power: T) -> Result<LossmapSchedule<T>, Error> {
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_POLYNOMIAL);
    b.polynomial = PolynomialLr::new(lr, total, power)?;
    Ok(b)
}

fn lambda<T: Real>(
    lr: T,
    f: LossmapLambdaFn<T>,
    ctx: *mut c_void,
) -> Result<LossmapSchedule<T>, Error> {
    f.ok_or(Error::NullPointer)?;
    ensure_rate(lr)?;
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_LAMBDA);
    b.lambda = LossmapLambda { lr, f, ctx };
    Ok(b)
}

/// A pair of `kind` over `first` and `second`, which must be initialized schedules of a simple
/// kind, distinct from each other and from `s`.
///
/// # Safety
/// `first` and `second` must be NULL or point to valid schedules.
unsafe fn pair<T: Real>(
    s: *mut LossmapSchedule<T>,
    kind: i32,
    first: *mut LossmapSchedule<T>,
    second: *mut LossmapSchedule<T>,
    milestone: usize,
    lr: T,
) -> Result<LossmapSchedule<T>, Error> {
    // The pair steps (writes) both of its schedules: all three distinct.
    check(&mut [
        Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
        Arg::of(first as *const LossmapSchedule<T>, 1, WRITTEN),
        Arg::of(second as *const LossmapSchedule<T>, 1, WRITTEN),
    ])?;
    for p in [first, second] {
        // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
        let k = unsafe { deref(p)? }.kind;
        let simple = (LOSSMAP_SCHEDULE_CONSTANT..=LOSSMAP_SCHEDULE_LAST).contains(&k)
            && k != LOSSMAP_SCHEDULE_SEQUENTIAL
            && k != LOSSMAP_SCHEDULE_CHAINED;
        if !simple {
            return Err(Error::InvalidParameter);
        }
    }
    if kind == LOSSMAP_SCHEDULE_SEQUENTIAL && milestone == 0 {
        return Err(Error::InvalidParameter);
    }
    if kind == LOSSMAP_SCHEDULE_CHAINED {
        ensure_rate(lr)?;
    }
    let mut out = LossmapSchedule::blank(kind);
    out.pair = LossmapPair {
        first,
        second,
        milestone,
        lr,
    };
    Ok(out)
}

/// A cyclic or one-cycle schedule from a full parameter struct.
///
/// # Safety
/// `config` must be NULL or point to a valid struct.
unsafe fn cyclic_ex<T: Real>(config: *const CyclicLr<T>) -> Result<LossmapSchedule<T>, Error> {
    // SAFETY: checked by `deref`; validity is the caller's contract.
    let c = unsafe { *deref(config)? };
    c.validate()?;
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_CYCLIC);
    b.cyclic = c;
    Ok(b)
}

/// # Safety
/// `config` must be NULL or point to a valid struct.
unsafe fn one_cycle_ex<T: Real>(config: *const OneCycleLr<T>) -> Result<LossmapSchedule<T>, Error> {
    // SAFETY: checked by `deref`; validity is the caller's contract.
    let c = unsafe { *deref(config)? };
    c.validate()?;
    let mut b = LossmapSchedule::blank(LOSSMAP_SCHEDULE_ONE_CYCLE);
    b.one_cycle = c;
    Ok(b)
}

/// A cyclic schedule with a scale callback.
///
/// # Safety
/// `config` must be NULL or point to a valid struct.
unsafe fn cyclic_fn<T: Real>(
    config: *const CyclicLr<T>,
    f: LossmapScaleFn<T>,
    ctx: *mut c_void,
) -> Result<LossmapSchedule<T>, Error> {
    f.ok_or(Error::NullPointer)?;
    // SAFETY: the caller's contract.
    let mut b = unsafe { cyclic_ex(config)? };
    b.kind = LOSSMAP_SCHEDULE_CYCLIC_FN;
    b.cyclic_fn = LossmapCyclicFn { f, ctx };
    Ok(b)
}

/// The momentum of step `step` of a cyclic or one-cycle schedule that cycles it.
unsafe fn schedule_momentum<T: Real>(
    s: *mut LossmapSchedule<T>,
    step: usize,
    out: *mut T,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(out as *const T, 1, WRITTEN),
        Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned and disjoint by `check`; validity is the caller's
    // contract.
    let (s, out) = unsafe { (deref_mut(s)?, deref_mut(out)?) };
    *out = s.cycled_momentum(step).ok_or(Error::InvalidParameter)??;
    Ok(())
}

/// The SGDR rate at a fractional epoch.
unsafe fn schedule_lr_at<T: Real>(
    s: *const LossmapSchedule<T>,
    epoch: f64,
    out: *mut T,
) -> Result<(), Error> {
    check(&mut [Arg::of(out as *const T, 1, WRITTEN), Arg::of(s, 1, READ)])?;
    // SAFETY: checked non-null, aligned and disjoint by `check`; validity is the caller's
    // contract.
    let (s, out) = unsafe { (deref(s)?, deref_mut(out)?) };
    if s.kind != LOSSMAP_SCHEDULE_COSINE_RESTARTS {
        return Err(Error::InvalidParameter);
    }
    *out = s.cosine_restarts.lr_at(epoch)?;
    Ok(())
}

unsafe fn schedule_lr<T: Real>(
    s: *mut LossmapSchedule<T>,
    step: usize,
    loss: T,
    lr_out: *mut T,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
        Arg::of(lr_out as *const T, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned and disjoint by `check`; validity is the caller's
    // contract.
    let (s, out) = unsafe { (deref_mut(s)?, deref_mut(lr_out)?) };
    *out = s.rate(step, loss)?;
    Ok(())
}

unsafe fn schedule_observe<T: Real>(
    s: *mut LossmapSchedule<T>,
    obs: *const StepObservation<T>,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(s as *const LossmapSchedule<T>, 1, WRITTEN),
        Arg::of(obs, 1, READ),
    ])?;
    // SAFETY: checked non-null, aligned and disjoint by `check`; validity is the caller's
    // contract.
    let (s, obs) = unsafe { (deref_mut(s)?, *deref(obs)?) };
    if !(LOSSMAP_SCHEDULE_CONSTANT..=LOSSMAP_SCHEDULE_LAST).contains(&s.kind) {
        return Err(Error::InvalidParameter);
    }
    s.see(&obs)
}

/// Tells `s` what the step it set the rate for did (f32): the PI kind (also as a member of a
/// sequential pair) steers its rate by the fidelity ratio
/// `(loss_before − loss_after)/predicted_decrease`; the other kinds ignore it. The drivers
/// (`lossmap_minimize_*`, `lossmap_minimize_stochastic_*`) call it after every accepted step; a
/// loop of its own calls it after each step, before `lossmap_schedule_lr_f32` for the next.
/// `LOSSMAP_ERR_NON_FINITE` for a NaN/Inf `loss_before`, `predicted_decrease` or norm
/// (a non-finite `loss_after` is a blown-up step: the PI kind cuts its rate),
/// `LOSSMAP_ERR_PARAM` for a negative norm or a bad schedule. Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_observe_f32(
    s: *mut LossmapSchedule<f32>,
    obs: *const StepObservation<f32>,
) -> i32 {
    status(unsafe { schedule_observe(s, obs) })
}

/// Tells `s` what the step it set the rate for did (f64): the PI kind (also as a member of a
/// sequential pair) steers its rate by the fidelity ratio
/// `(loss_before − loss_after)/predicted_decrease`; the other kinds ignore it. The drivers
/// (`lossmap_minimize_*`, `lossmap_minimize_stochastic_*`) call it after every accepted step; a
/// loop of its own calls it after each step, before `lossmap_schedule_lr_f64` for the next.
/// `LOSSMAP_ERR_NON_FINITE` for a NaN/Inf `loss_before`, `predicted_decrease` or norm
/// (a non-finite `loss_after` is a blown-up step: the PI kind cuts its rate),
/// `LOSSMAP_ERR_PARAM` for a negative norm or a bad schedule. Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_observe_f64(
    s: *mut LossmapSchedule<f64>,
    obs: *const StepObservation<f64>,
) -> i32 {
    status(unsafe { schedule_observe(s, obs) })
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
    gamma: f64,
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
    gamma: f64,
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

/// PI controller defaults (f32): lr 1e-3, target (fidelity ratio) 0.5, kp 0.25, ki 1.25,
/// cut 0.5, growth 2, lr_min 1e-8, lr_max 1e3, ceiling √2, memory 1/32.
#[no_mangle]
pub extern "C" fn lossmap_schedule_pi_config_default_f32() -> PiConfig<f32> {
    PiConfig::default()
}

/// PI controller defaults (f64): lr 1e-3, target (fidelity ratio) 0.5, kp 0.25, ki 1.25,
/// cut 0.5, growth 2, lr_min 1e-8, lr_max 1e3, ceiling √2, memory 1/32.
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

/// Initializes `s` as torch's CosineAnnealingLR (f32): `eta_min + (lr − eta_min)(1 + cos(π·step/t_max))/2`;
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0, `t_max` ≥ 1, `eta_min` ≥ 0 (torch's default 0).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cosine_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    t_max: usize,
    eta_min: f32,
) -> i32 {
    status(unsafe { install(s, cosine(lr, t_max, eta_min)) })
}

/// Initializes `s` as torch's LinearLR (f32): the factor from `start_factor` to `end_factor`
/// over `total_iters` steps (torch's defaults 1/3, 1, 5); `LOSSMAP_ERR_PARAM` unless `lr` > 0,
/// `start_factor` ∈ (0, 1], `end_factor` ∈ [0, 1], `total_iters` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_linear_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    start_factor: f32,
    end_factor: f32,
    total_iters: usize,
) -> i32 {
    status(unsafe { install(s, linear(lr, start_factor, end_factor, total_iters)) })
}

/// Initializes `s` as torch's MultiStepLR (f32): `lr · gamma^k`, `k` the number of the `len`
/// milestones (any order, at most `LOSSMAP_MULTI_STEP_MAX`, copied) that are ≤ step;
/// `LOSSMAP_ERR_PARAM` for more milestones or `lr`, `gamma` not > 0 (torch's default 0.1).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_multi_step_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    milestones: *const usize,
    len: usize,
    gamma: f64,
) -> i32 {
    status(unsafe { multi_step(s, lr, milestones, len, gamma) })
}

/// Initializes `s` as torch's PolynomialLR (f32): `lr · (1 − min(step, total_iters)/total_iters)^power`
/// (torch's defaults 5, 1); `LOSSMAP_ERR_PARAM` unless `lr`, `power` > 0 and `total_iters` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_polynomial_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    total_iters: usize,
    power: f32,
) -> i32 {
    status(unsafe { install(s, polynomial(lr, total_iters, power)) })
}

/// Initializes `s` as torch's LambdaLR (f32): `lr · f(step, ctx)`, the factor finite and ≥ 0
/// (else `LOSSMAP_ERR_PARAM` from `lossmap_schedule_lr_f32`); `LOSSMAP_ERR_NULL` for a NULL `f`,
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lambda_init_f32(
    s: *mut LossmapSchedule<f32>,
    lr: f32,
    f: LossmapLambdaFn<f32>,
    ctx: *mut c_void,
) -> i32 {
    status(unsafe { install(s, lambda(lr, f, ctx)) })
}

/// Initializes `s` as torch's SequentialLR (f32) over two initialized schedules the caller
/// keeps valid and in place: `first` for the steps before `milestone` (≥ 1), then `second` asked
/// for `step − milestone`. Neither may itself be sequential or chained, nor overlap `s` or each
/// other (`LOSSMAP_ERR_PARAM`, `LOSSMAP_ERR_ALIASED`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_sequential_init_f32(
    s: *mut LossmapSchedule<f32>,
    first: *mut LossmapSchedule<f32>,
    second: *mut LossmapSchedule<f32>,
    milestone: usize,
) -> i32 {
    let z = 0.0;
    status(unsafe {
        let built = pair(s, LOSSMAP_SCHEDULE_SEQUENTIAL, first, second, milestone, z);
        install(s, built)
    })
}

/// Initializes `s` as torch's ChainedScheduler (f32) over two multiplicative schedules built
/// with the same initial rate `lr`: `first(step) · second(step) / lr`. The same rules for
/// `first` and `second` as `lossmap_schedule_sequential_init_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_chained_init_f32(
    s: *mut LossmapSchedule<f32>,
    first: *mut LossmapSchedule<f32>,
    second: *mut LossmapSchedule<f32>,
    lr: f32,
) -> i32 {
    status(unsafe { install(s, pair(s, LOSSMAP_SCHEDULE_CHAINED, first, second, 0, lr)) })
}

/// Initializes `s` as torch's CosineAnnealingLR (f64): `eta_min + (lr − eta_min)(1 + cos(π·step/t_max))/2`;
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0, `t_max` ≥ 1, `eta_min` ≥ 0 (torch's default 0).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cosine_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    t_max: usize,
    eta_min: f64,
) -> i32 {
    status(unsafe { install(s, cosine(lr, t_max, eta_min)) })
}

/// Initializes `s` as torch's LinearLR (f64): the factor from `start_factor` to `end_factor`
/// over `total_iters` steps (torch's defaults 1/3, 1, 5); `LOSSMAP_ERR_PARAM` unless `lr` > 0,
/// `start_factor` ∈ (0, 1], `end_factor` ∈ [0, 1], `total_iters` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_linear_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    start_factor: f64,
    end_factor: f64,
    total_iters: usize,
) -> i32 {
    status(unsafe { install(s, linear(lr, start_factor, end_factor, total_iters)) })
}

/// Initializes `s` as torch's MultiStepLR (f64): `lr · gamma^k`, `k` the number of the `len`
/// milestones (any order, at most `LOSSMAP_MULTI_STEP_MAX`, copied) that are ≤ step;
/// `LOSSMAP_ERR_PARAM` for more milestones or `lr`, `gamma` not > 0 (torch's default 0.1).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_multi_step_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    milestones: *const usize,
    len: usize,
    gamma: f64,
) -> i32 {
    status(unsafe { multi_step(s, lr, milestones, len, gamma) })
}

/// Initializes `s` as torch's PolynomialLR (f64): `lr · (1 − min(step, total_iters)/total_iters)^power`
/// (torch's defaults 5, 1); `LOSSMAP_ERR_PARAM` unless `lr`, `power` > 0 and `total_iters` ≥ 1.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_polynomial_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    total_iters: usize,
    power: f64,
) -> i32 {
    status(unsafe { install(s, polynomial(lr, total_iters, power)) })
}

/// Initializes `s` as torch's LambdaLR (f64): `lr · f(step, ctx)`, the factor finite and ≥ 0
/// (else `LOSSMAP_ERR_PARAM` from `lossmap_schedule_lr_f64`); `LOSSMAP_ERR_NULL` for a NULL `f`,
/// `LOSSMAP_ERR_PARAM` unless `lr` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lambda_init_f64(
    s: *mut LossmapSchedule<f64>,
    lr: f64,
    f: LossmapLambdaFn<f64>,
    ctx: *mut c_void,
) -> i32 {
    status(unsafe { install(s, lambda(lr, f, ctx)) })
}

/// Initializes `s` as torch's SequentialLR (f64) over two initialized schedules the caller
/// keeps valid and in place: `first` for the steps before `milestone` (≥ 1), then `second` asked
/// for `step − milestone`. Neither may itself be sequential or chained, nor overlap `s` or each
/// other (`LOSSMAP_ERR_PARAM`, `LOSSMAP_ERR_ALIASED`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_sequential_init_f64(
    s: *mut LossmapSchedule<f64>,
    first: *mut LossmapSchedule<f64>,
    second: *mut LossmapSchedule<f64>,
    milestone: usize,
) -> i32 {
    let z = 0.0;
    status(unsafe {
        let built = pair(s, LOSSMAP_SCHEDULE_SEQUENTIAL, first, second, milestone, z);
        install(s, built)
    })
}

/// Initializes `s` as torch's ChainedScheduler (f64) over two multiplicative schedules built
/// with the same initial rate `lr`: `first(step) · second(step) / lr`. The same rules for
/// `first` and `second` as `lossmap_schedule_sequential_init_f64`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_chained_init_f64(
    s: *mut LossmapSchedule<f64>,
    first: *mut LossmapSchedule<f64>,
    second: *mut LossmapSchedule<f64>,
    lr: f64,
) -> i32 {
    status(unsafe { install(s, pair(s, LOSSMAP_SCHEDULE_CHAINED, first, second, 0, lr)) })
}

/// Initializes `s` as torch's CyclicLR (f32) from every parameter (`mode`, `gamma`,
/// `scale_mode`, `cycle_momentum`, `base_momentum`, `max_momentum`; see the struct), which must
/// not overlap `s`; `LOSSMAP_ERR_PARAM` for a bad one. With `cycle_momentum = 1` the driver
/// sets the optimizer's momentum (SGD, which then needs its momentum buffer: a non-NULL `buf`)
/// or `beta1` (Adam, AdamW) each step.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_ex_init_f32(
    s: *mut LossmapSchedule<f32>,
    config: *const CyclicLr<f32>,
) -> i32 {
    status(unsafe { install_from(s, config, || cyclic_ex(config)) })
}

/// Initializes `s` as torch's OneCycleLR (f32) from every parameter (`three_phase`,
/// `anneal_strategy`, `cycle_momentum`, `base_momentum`, `max_momentum`; see the struct), which
/// must not overlap `s`; `LOSSMAP_ERR_PARAM` for a bad one. For torch's `epochs ×
/// steps_per_epoch` form set `total_steps` to the product.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_one_cycle_ex_init_f32(
    s: *mut LossmapSchedule<f32>,
    config: *const OneCycleLr<f32>,
) -> i32 {
    status(unsafe { install_from(s, config, || one_cycle_ex(config)) })
}

/// Writes the momentum of step `step` to `*momentum_out` (f32) for a cyclic or one-cycle
/// schedule with `cycle_momentum = 1` (`LOSSMAP_ERR_PARAM` for other kinds). Nothing changes
/// on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_momentum_f32(
    s: *mut LossmapSchedule<f32>,
    step: usize,
    momentum_out: *mut f32,
) -> i32 {
    status(unsafe { schedule_momentum(s, step, momentum_out) })
}

/// Writes the rate of a `LOSSMAP_SCHEDULE_COSINE_RESTARTS` schedule at the fractional epoch
/// `epoch` ≥ 0 to `*lr_out` (f32; torch's `step(epoch)` with a float); `LOSSMAP_ERR_PARAM` for
/// another kind or a negative or non-finite epoch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lr_at_f32(
    s: *const LossmapSchedule<f32>,
    epoch: f64,
    lr_out: *mut f32,
) -> i32 {
    status(unsafe { schedule_lr_at(s, epoch, lr_out) })
}

/// Initializes `s` as torch's CyclicLR (f64) from every parameter (`mode`, `gamma`,
/// `scale_mode`, `cycle_momentum`, `base_momentum`, `max_momentum`; see the struct), which must
/// not overlap `s`; `LOSSMAP_ERR_PARAM` for a bad one. With `cycle_momentum = 1` the driver
/// sets the optimizer's momentum (SGD, which then needs its momentum buffer: a non-NULL `buf`)
/// or `beta1` (Adam, AdamW) each step.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_ex_init_f64(
    s: *mut LossmapSchedule<f64>,
    config: *const CyclicLr<f64>,
) -> i32 {
    status(unsafe { install_from(s, config, || cyclic_ex(config)) })
}

/// Initializes `s` as torch's OneCycleLR (f64) from every parameter (`three_phase`,
/// `anneal_strategy`, `cycle_momentum`, `base_momentum`, `max_momentum`; see the struct), which
/// must not overlap `s`; `LOSSMAP_ERR_PARAM` for a bad one. For torch's `epochs ×
/// steps_per_epoch` form set `total_steps` to the product.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_one_cycle_ex_init_f64(
    s: *mut LossmapSchedule<f64>,
    config: *const OneCycleLr<f64>,
) -> i32 {
    status(unsafe { install_from(s, config, || one_cycle_ex(config)) })
}

/// Writes the momentum of step `step` to `*momentum_out` (f64) for a cyclic or one-cycle
/// schedule with `cycle_momentum = 1` (`LOSSMAP_ERR_PARAM` for other kinds). Nothing changes
/// on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_momentum_f64(
    s: *mut LossmapSchedule<f64>,
    step: usize,
    momentum_out: *mut f64,
) -> i32 {
    status(unsafe { schedule_momentum(s, step, momentum_out) })
}

/// Writes the rate of a `LOSSMAP_SCHEDULE_COSINE_RESTARTS` schedule at the fractional epoch
/// `epoch` ≥ 0 to `*lr_out` (f64; torch's `step(epoch)` with a float); `LOSSMAP_ERR_PARAM` for
/// another kind or a negative or non-finite epoch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_lr_at_f64(
    s: *const LossmapSchedule<f64>,
    epoch: f64,
    lr_out: *mut f64,
) -> i32 {
    status(unsafe { schedule_lr_at(s, epoch, lr_out) })
}

/// Initializes `s` as torch's CyclicLR with a custom `scale_fn` (f32): the parameters from
/// `config` (its `mode` ignored; `scale_mode` says whether `f` gets the cycle number or the
/// step), the scale `f(x, ctx)` a finite value ≥ 0 (else `LOSSMAP_ERR_PARAM` from
/// `lossmap_schedule_lr_f32`). `LOSSMAP_ERR_NULL` for a NULL `f`, `LOSSMAP_ERR_PARAM` for a bad
/// configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_fn_init_f32(
    s: *mut LossmapSchedule<f32>,
    config: *const CyclicLr<f32>,
    f: LossmapScaleFn<f32>,
    ctx: *mut c_void,
) -> i32 {
    status(unsafe { install_from(s, config, || cyclic_fn(config, f, ctx)) })
}

/// Initializes `s` as torch's CyclicLR with a custom `scale_fn` (f64): the parameters from
/// `config` (its `mode` ignored; `scale_mode` says whether `f` gets the cycle number or the
/// step), the scale `f(x, ctx)` a finite value ≥ 0 (else `LOSSMAP_ERR_PARAM` from
/// `lossmap_schedule_lr_f64`). `LOSSMAP_ERR_NULL` for a NULL `f`, `LOSSMAP_ERR_PARAM` for a bad
/// configuration.
#[no_mangle]
pub unsafe extern "C" fn lossmap_schedule_cyclic_fn_init_f64(
    s: *mut LossmapSchedule<f64>,
    config: *const CyclicLr<f64>,
    f: LossmapScaleFn<f64>,
    ctx: *mut c_void,
) -> i32 {
    status(unsafe { install_from(s, config, || cyclic_fn(config, f, ctx)) })
}

/// Writes the rate for step `step` (from 0) to `*lr_out` (f32); `loss` is the latest loss (used
/// by the plateau kind, which counts each call as one step, and checked by the PI kind, which
/// learns from `lossmap_schedule_observe_*`; NaN/Inf there is
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
/// by the plateau kind, which counts each call as one step, and checked by the PI kind, which
/// learns from `lossmap_schedule_observe_*`; NaN/Inf there is
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
        assert_eq!(LOSSMAP_MULTI_STEP_MAX, crate::optim::MULTI_STEP_MAX);
        assert_eq!(LOSSMAP_CYCLIC_EXP_RANGE, crate::optim::CYCLIC_EXP_RANGE);
        assert_eq!(LOSSMAP_CYCLIC_SCALE_CYCLE, crate::optim::CYCLIC_SCALE_CYCLE);
        assert_eq!(
            LOSSMAP_CYCLIC_SCALE_ITERATIONS,
            crate::optim::CYCLIC_SCALE_ITERATIONS
        );
        assert_eq!(LOSSMAP_ANNEAL_COS, crate::optim::ANNEAL_COS);
        assert_eq!(LOSSMAP_ANNEAL_LINEAR, crate::optim::ANNEAL_LINEAR);
        assert_eq!(LOSSMAP_PLATEAU_MIN, crate::optim::PLATEAU_MIN);
        assert_eq!(LOSSMAP_PLATEAU_MAX, crate::optim::PLATEAU_MAX);
        assert_eq!(LOSSMAP_PLATEAU_REL, crate::optim::PLATEAU_REL);
        assert_eq!(LOSSMAP_PLATEAU_ABS, crate::optim::PLATEAU_ABS);
    }
}
