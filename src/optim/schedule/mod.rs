//! Learning-rate schedules: small `Copy` values the driver asks for the rate of each step
//! ([`Schedule::lr`], `step` counted from 0, `loss` the latest loss).
//!
//! The closed-form schedules mirror `torch.optim.lr_scheduler`, with torch's epoch counter
//! `last_epoch` equal to our `step` and `base_lr` the initial rate. Where torch has both a
//! chainable recursive form and a closed form (`_get_closed_form_lr`), the closed form is used
//! (StepLR, ExponentialLR); the others are torch's `get_lr` formulas, which are closed forms of
//! the step already. All arithmetic is done in `f64` whatever `T` is (torch computes rates in
//! Python floats) and rounded to `T` once at the end.
//!
//! | type | torch class | rate at step `t` |
//! |---|---|---|
//! | [`ConstantLr`] | (none; a fixed rate) | `γ₀` |
//! | [`StepLr`] | `StepLR(step_size, gamma)` | `γ₀ · gamma^⌊t / step_size⌋` |
//! | [`ExponentialLr`] | `ExponentialLR(gamma)` | `γ₀ · gamma^t` |
//! | [`CosineAnnealingWarmRestarts`] | `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)` | `η_min + (γ₀ − η_min)(1 + cos(π T_cur / T_i)) / 2` |
//! | [`CyclicLr`] | `CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode)` | see below |
//! | [`OneCycleLr`] | `OneCycleLR(max_lr, total_steps, pct_start, div_factor, final_div_factor)` | see below |
//! | [`ReduceLrOnPlateau`] | `ReduceLROnPlateau(mode="min", threshold_mode="rel")` | see below |
//! | [`PiController`] | (none; the "autopilot") | see below |
//!
//! **CosineAnnealingWarmRestarts** (SGDR, Loshchilov & Hutter 2017): the first period is
//! `T_0` steps, each next period `T_mult` times longer; `T_cur` is the number of steps since
//! the last restart and `T_i` the current period. They are found by integer arithmetic
//! (subtracting whole periods), which equals both torch's recursion and its `epoch` formula
//! `n = ⌊log_{T_mult}(t/T_0·(T_mult − 1) + 1)⌋` without the rounding of the logarithm.
//!
//! **CyclicLR** (Smith 2017, `scale_mode = "cycle"`), with `S = up + down`:
//!
//! ```text
//! cycle = ⌊1 + t/S⌋,  x = 1 + t/S − cycle,  ρ = up/S
//! s = x/ρ                if x ≤ ρ
//!     (x − 1)/(ρ − 1)    otherwise
//! lr = base_lr + (max_lr − base_lr) · s · scale(cycle)
//! scale = 1 ("triangular")  or  1/2^(cycle − 1) ("triangular2")
//! ```
//!
//! **OneCycleLR** (Smith & Topin 2018), torch's default two-phase variant
//! (`three_phase=False`, `anneal_strategy="cos"`): `initial = max_lr/div_factor`,
//! `min = initial/final_div_factor`; phase 1 ends at step `e₁ = pct_start·total_steps − 1`
//! and anneals `initial → max_lr`, phase 2 ends at `e₂ = total_steps − 1` and anneals
//! `max_lr → min`. Within a phase from step `s` to `e` and rates `a → b`:
//! `p = (t − s)/(e − s)`, `lr = b + (a − b)(cos(πp) + 1)/2`. As torch, steps up to
//! `total_steps` are accepted (the last one extrapolates phase 2) and later steps are an
//! error ([`Error::InvalidParameter`]). The three-phase variant is not provided.
//!
//! **ReduceLROnPlateau** (mode `min`, threshold mode `rel`): each call is one torch
//! `step(loss)`, after which the current rate is returned:
//!
//! ```text
//! if loss < best·(1 − threshold): best ← loss, bad ← 0   else: bad ← bad + 1
//! if cooldown_left > 0:           cooldown_left ← cooldown_left − 1, bad ← 0
//! if bad > patience:              new = max(lr·factor, min_lr);
//!                                 if lr − new > eps: lr ← new
//!                                 cooldown_left ← cooldown, bad ← 0
//! ```
//!
//! with `best = +∞` initially. Defaults as torch: factor 0.1, patience 10, threshold 1e-4,
//! cooldown 0, min_lr 0, eps 1e-8.
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
    ConstantLr, CosineAnnealingWarmRestarts, CyclicLr, ExponentialLr, OneCycleLr, StepLr,
    ANNEAL_COS, ANNEAL_LINEAR, CYCLIC_EXP_RANGE, CYCLIC_SCALE_CYCLE, CYCLIC_SCALE_ITERATIONS,
    CYCLIC_TRIANGULAR, CYCLIC_TRIANGULAR2,
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
