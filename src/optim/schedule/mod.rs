//! Learning-rate schedules: small `Copy` values the driver asks for the rate of each step
//! ([`Schedule::lr`], `step` counted from 0, `loss` the latest loss).
//!
//! The closed-form schedules mirror `torch.optim.lr_scheduler`, with torch's epoch counter
//! `last_epoch` equal to our `step` and `base_lr` the initial rate. Where torch has both a
//! chainable recursive form and a closed form (`_get_closed_form_lr`), the closed form is used
//! (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, MultiStepLR, PolynomialLR); the others
//! are torch's `get_lr` formulas, which are closed forms of the step already. torch's `step()`
//! evaluates the chainable (recursive) forms, which differ from the closed forms by rounding
//! only (measured: ≤ 5e-14 relative on 100-step trajectories,
//! tests/repo/schedule_trajectories.rs).
//!
//! **Precision.** All arithmetic is done in `f64` whatever `T` is (torch computes rates in
//! Python floats) and rounded to `T` once at the end. The decay factors that are raised to a
//! power (`gamma` of [`StepLr`], [`ExponentialLr`], [`MultiStepLr`], [`CyclicLr`]) are stored
//! as `f64` even for `T = f32`, as torch keeps them: an `f32` γ would put its rounding error
//! into `γ^t` `t` times (3e-6 relative at step 99). The other parameters are `T` (their rounding
//! is a constant ≤ ½ ulp). So an `f32` rate is within two `f32` roundings (≤ 1.2e-7 relative)
//! of torch's at every step. On cores without an f64 FPU (Cortex-M4F, M0+) this costs a few
//! soft-float operations (a `powf` or `cos`) once per step, independent of the number of
//! parameters; the per-element optimizer kernels stay in `T`.
//!
//! **Order of the calls** (see [`Schedule`](crate::optim::Schedule)): the drivers ask the
//! schedule before each step; feedback schedules ([`ReduceLrOnPlateau`]) are not asked before
//! the first step and see the loss after each step, torch's `opt.step(); sched.step(loss)`.
//! Schedules with cycle momentum ([`CyclicLr`], [`OneCycleLr`] with `cycle_momentum = 1`) also
//! set the optimizer's momentum (SGD's `momentum`, Adam's `beta1`) before each step.
//!
//! | type | torch class | rate at step `t` |
//! |---|---|---|
//! | [`ConstantLr`] | (none; a fixed rate) | `γ₀` |
//! | [`StepLr`] | `StepLR(step_size, gamma)` | `γ₀ · gamma^⌊t / step_size⌋` |
//! | [`ExponentialLr`] | `ExponentialLR(gamma)` | `γ₀ · gamma^t` |
//! | [`CosineAnnealingWarmRestarts`] | `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)` | `η_min + (γ₀ − η_min)(1 + cos(π T_cur / T_i)) / 2` |
//! | [`CosineAnnealingLr`] | `CosineAnnealingLR(T_max, eta_min)` | `η_min + (γ₀ − η_min)(1 + cos(π t / T_max)) / 2` |
//! | [`LinearLr`] | `LinearLR(start_factor, end_factor, total_iters)` | `γ₀ (a + (b − a) min(t, n)/n)` |
//! | [`MultiStepLr`] | `MultiStepLR(milestones, gamma)` | `γ₀ · gamma^#{m ≤ t}` |
//! | [`PolynomialLr`] | `PolynomialLR(total_iters, power)` | `γ₀ (1 − min(t, n)/n)^power` |
//! | [`LambdaLr`] | `LambdaLR(lr_lambda)` | `γ₀ · f(t)` |
//! | [`SequentialLr`] | `SequentialLR([a, b], [m])` | `a(t)` for `t < m`, else `b(t − m)` |
//! | [`ChainedLr`] | `ChainedScheduler([a, b])` | `a(t) · b(t) / γ₀` |
//! | [`CyclicLr`] | `CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma, scale_mode, cycle_momentum)` | see below |
//! | [`OneCycleLr`] | `OneCycleLR(max_lr, total_steps, pct_start, div_factor, final_div_factor, three_phase, anneal_strategy, cycle_momentum)` | see below |
//! | [`ReduceLrOnPlateau`] | `ReduceLROnPlateau(mode, threshold_mode)` | see below |
//! | [`PiController`] | (none; the "autopilot") | see below |
//!
//! **CosineAnnealingWarmRestarts** (SGDR, Loshchilov & Hutter 2017): the first period is
//! `T_0` steps, each next period `T_mult` times longer; `T_cur` is the number of steps since
//! the last restart and `T_i` the current period. They are found by integer arithmetic
//! (subtracting whole periods), which equals both torch's recursion and its `epoch` formula
//! `n = ⌊log_{T_mult}(t/T_0·(T_mult − 1) + 1)⌋` without the rounding of the logarithm.
//! Fractional epochs (torch's `step(epoch + i/iters)`) use torch's epoch formula:
//! [`CosineAnnealingWarmRestarts::lr_at`].
//!
//! **CyclicLR** (Smith 2017), with `S = up + down`:
//!
//! ```text
//! cycle = ⌊1 + t/S⌋,  x = 1 + t/S − cycle,  ρ = up/S
//! s = x/ρ                if x ≤ ρ
//!     (x − 1)/(ρ − 1)    otherwise
//! lr = base_lr + (max_lr − base_lr) · s · scale(arg)
//! momentum = max_m − (max_m − base_m) · s · scale(arg)        (cycle_momentum)
//! scale = 1 ("triangular"),  1/2^(arg − 1) ("triangular2"),  gamma^arg ("exp_range")
//! arg = cycle (scale_mode "cycle")  or  t (scale_mode "iterations")
//! ```
//!
//! torch's defaults: `step_size_down = step_size_up`, `gamma = 1`, scale mode "cycle" for the
//! triangular modes and "iterations" for exp_range, and `cycle_momentum = True` with
//! `base_momentum = 0.8`, `max_momentum = 0.9`. [`CyclicLr::new`] leaves momentum alone (it
//! would turn plain SGD into momentum SGD); [`CyclicLr::with_momentum`] turns torch's default
//! on. A custom scale function: [`CyclicLr::lr_scaled`].
//!
//! **OneCycleLR** (Smith & Topin 2018): `initial = max_lr/div_factor`,
//! `min = initial/final_div_factor`. Two phases (torch's default): phase 1 ends at step
//! `e₁ = pct_start·total_steps − 1` and anneals `initial → max_lr`, phase 2 ends at
//! `total_steps − 1` and anneals `max_lr → min`. Three phases (`three_phase`): `initial → max_lr`
//! up to `e₁`, `max_lr → initial` up to `2·pct_start·total_steps − 2`, then `initial → min`.
//! Within a phase from step `s` to `e` and rates `a → b`: `p = (t − s)/(e − s)`,
//! `lr = b + (a − b)(cos(πp) + 1)/2` ("cos") or `(b − a)p + a` ("linear"); the momentum
//! (`cycle_momentum`, torch's default with 0.85 and 0.95, off in [`OneCycleLr::new`]) anneals
//! the other way, `max_m → base_m → max_m`. As torch, steps up to `total_steps` are accepted
//! (the last one extrapolates the last phase) and later steps are an error
//! ([`Error::InvalidParameter`]).
//!
//! **ReduceLROnPlateau**: each call is one torch `step(loss)`, after which the current rate is
//! returned (the drivers make the first call after the first step, as torch's loop):
//!
//! ```text
//! if better(loss, best):          best ← loss, bad ← 0   else: bad ← bad + 1
//! if cooldown_left > 0:           cooldown_left ← cooldown_left − 1, bad ← 0
//! if bad > patience:              new = max(lr·factor, min_lr);
//!                                 if lr − new > eps: lr ← new
//!                                 cooldown_left ← cooldown, bad ← 0
//! ```
//!
//! with `better` torch's `_is_better`: `loss < best·(1 − threshold)` (mode min, threshold mode
//! rel), `loss < best − threshold` (min, abs), `loss > best·(1 + threshold)` (max, rel),
//! `loss > best + threshold` (max, abs), and `best = +∞` (−∞ in mode max) initially. Defaults
//! as torch: mode min, threshold mode rel, factor 0.1, patience 10, threshold 1e-4, cooldown 0,
//! min_lr 0, eps 1e-8.
//!
//! **PiController**, the "autopilot": holds a target relative loss decrease per step `r*`.
//! With `r_t = (L_{t−1} − L_t)/|L_{t−1}|` and the error `e_t = (r_t − r*)/r*`, clipped to
//! `[−1, 1]` so that one lucky step cannot multiply the rate by `e^{k_i·99}`:
//!
//! ```text
//! ln γ ← ln γ + k_p·(e_t − e_{t−1}) + k_i·e_t          if r_t ≥ 0
//! ln γ ← ln γ + ln(cut),  e_t ← 0                      if r_t < 0 (the loss went up)
//! γ ← clamp(γ, lr_min, lr_max)
//! ```
//!
//! The first call only records the loss; a previous loss of exactly 0 gives no information
//! and leaves the rate unchanged. The sign is that of the specification (the PI rule of the seed texts): faster
//! progress than `r*` (`e > 0`) raises the rate, slower progress lowers it. The controller is
//! therefore a stable regulator only where a larger rate gives *less* progress, i.e. near the
//! edge of stability (on a quadratic of curvature λ it settles where `(1 − γλ)² ≈ 1 − r*`,
//! just below `2/λ`); started from a rate so small that progress is below `r*`, it lowers the
//! rate to `lr_min` (tests/schedule_pi.rs shows both). Defaults: `r* = 0.01`, `k_p = 0.5`, `k_i = 0.1`,
//! `cut = 0.5`, `lr_min = 1e-8`, `lr_max = 1`. On the stiff quadratic `½·100x²` gradient
//! descent with the fixed rate 0.05 diverges (factor |1 − 100·0.05| = 4 per step); the
//! controller halves the rate until the loss falls and then settles just inside the stability
//! limit 2/100 (tests/schedule_pi.rs).
//!
//! The feedback schedules ([`ReduceLrOnPlateau`], [`PiController`]) count every call as one
//! observation (call once per step) and reject a non-finite `loss` with
//! [`Error::NonFiniteInput`], changing nothing. The others ignore `loss`. A rate that
//! underflows to 0 (e.g. `gamma^t` late in a long run) is returned as `T`'s smallest positive
//! normal value, so it is always valid for [`Optimizer::set_lr`](super::Optimizer::set_lr). Every schedule checks
//! its parameters at construction and again at each call (the fields are public and C can
//! write them): [`Error::InvalidParameter`] if out of range.
//!
//! ```
//! use lossmap::optim::{Schedule, StepLr};
//! let mut s = StepLr::new(0.1f64, 30, 0.1).unwrap();
//! assert_eq!(s.lr(29, 0.0).unwrap(), 0.1);
//! assert!((s.lr(30, 0.0).unwrap() - 0.01).abs() < 1e-15);
//! assert!(StepLr::new(0.1f64, 0, 0.1).is_err());
//! ```

mod closed;
mod decay;
mod feedback;

pub use closed::{
    ConstantLr, CosineAnnealingWarmRestarts, CyclicLr, CyclicScaledLr, ExponentialLr, OneCycleLr,
    StepLr, ANNEAL_COS, ANNEAL_LINEAR, CYCLIC_EXP_RANGE, CYCLIC_SCALE_CYCLE,
    CYCLIC_SCALE_ITERATIONS, CYCLIC_TRIANGULAR, CYCLIC_TRIANGULAR2,
};
#[cfg(feature = "capi")]
pub(crate) use decay::{chained_rate, lambda_rate};
pub use decay::{
    ChainedLr, CosineAnnealingLr, LambdaLr, LinearLr, MultiStepLr, PolynomialLr, SequentialLr,
    MULTI_STEP_MAX,
};
pub use feedback::{
    PiConfig, PiController, PlateauConfig, ReduceLrOnPlateau, PLATEAU_ABS, PLATEAU_MAX,
    PLATEAU_MIN, PLATEAU_REL,
};

use crate::{Error, Real};

/// `Ok` if `cond`, else [`Error::InvalidParameter`].
#[inline]
fn ensure(cond: bool) -> Result<(), Error> {
    if cond {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// A rate: finite and > 0.
#[inline]
fn pos(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

/// Rounds an `f64` rate to `T`: a rate that underflows (e.g. `gamma^t` after many steps) becomes
/// the smallest positive normal `T`, so that it stays a valid rate for `Optimizer::set_lr`;
/// a non-finite rate is [`Error::InvalidParameter`].
#[inline]
fn out<T: Real>(v: f64) -> Result<T, Error> {
    let r = T::from_f64(v);
    ensure(r.is_finite())?;
    Ok(r.max(T::MIN_POSITIVE_R))
}
