//! Learning-rate schedules: small `Copy` values the driver asks for the rate of each step
//! ([`Schedule::lr`], `step` counted from 0, `loss` the latest loss).
//!
//! The closed-form schedules mirror `torch.optim.lr_scheduler`, with torch's epoch counter
//! `last_epoch` equal to our `step` and `base_lr` the initial rate. Where torch has both a
//! chainable recursive form and a closed form (`_get_closed_form_lr`), the closed form is used
//! (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, MultiStepLR, PolynomialLR); the others
//! are torch's `get_lr` formulas, which are closed forms of the step already. torch's `step()`
//! evaluates the chainable (recursive) forms, which differ from the closed forms by rounding
//! only (measured against torch 2.15.0: ≤ 5e-14 relative on 100-step trajectories,
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
//! **PiController**, the "autopilot": steers the rate by the *fidelity ratio* of each step,
//! the actual decrease over the first-order predicted one,
//!
//! ```text
//! ρ_t = (f(x_t) − f(x_{t+1})) / (−g_tᵀ Δx_t),      Δx_t = x_{t+1} − x_t,  g_t = ∇f(x_t)
//! ```
//!
//! (the ratio of trust-region methods, Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
//! eq. 4.4, with the linear model in place of the quadratic one). The drivers hand it to
//! [`Schedule::observe`](crate::optim::Schedule::observe) after each accepted step. For gradient
//! descent `Δx = −γg` on a quadratic with Hessian `H`, `ρ = 1 − γc/2` with
//! `c = gᵀHg/gᵀg` the curvature along the gradient: 1 for a timid step, falling as the rate grows,
//! 0 at the stability edge `γ = 2/c`, negative beyond (the loss goes up). The target
//! `ρ* = ½` is `γ = 1/c`, the exact line-search step along the gradient, and, on a 1-D quadratic
//! of curvature λ, the rate that reaches the minimum in one step (the optimal fixed rate). The
//! controller moves `u = ln γ`:
//!
//! ```text
//! r_t = ρ* + (1 − ρ*)(1 − s_t)                                         (the target; r_t = ρ* without noise)
//! e_t = clamp(ρ_t − r_t, −r_t, 1 − r_t)                                if ρ_t ≥ 0
//! u ← u + clamp(k_p·(e_t − e_{t−1}) + k_i·e_t,  ln cut, ln growth)
//! u ← u + ln min(cut, (1 − ρ*)/(1 − ρ_t)),  e_t ← 0                     if ρ_t < 0
//! u ← u + ln cut,  e_t ← 0                                             if f(x_{t+1}) is not finite
//! ĉ ← max((1 − φ)·ĉ, c_t),   c_t = 2(−g_tᵀΔx_t − (f(x_t) − f(x_{t+1}))) / ‖Δx_t‖²
//! u ← min(u, ln(θ/ĉ))                                                  (the ceiling, once ĉ > 0)
//! γ = clamp(e^u, lr_min, lr_max)
//! ```
//!
//! The cut after a rise is the quadratic model's answer: `ρ` is linear in `γ`, so the rate
//! giving `ρ*` is `γ(1 − ρ*)/(1 − ρ_t)` (from 10× the stability edge, `ρ = −9`, one cut of
//! 1/20 lands on `1/λ`), and at least a halving (`cut`): a rise never costs less. A step with
//! no usable ratio (a predicted decrease ≤ `32ε·max(|f(x_t)|, |f(x_{t+1})|, f_min)`, `f_min`
//! the smallest normal number: not a descent step, as a momentum step can be, or one at the
//! losses' rounding level) leaves the rate alone, except that a loss that rose by more than
//! that still cuts. `growth` bounds the increase per step, so the rate
//! cannot explode on a flat stretch where `ρ ≈ 1`; `lr_min`/`lr_max` bound it.
//!
//! *Gains.* By the model, `dρ/du = −γc/2 = −(1 − ρ)` on every quadratic, whatever the gradient:
//! at the target the plant gain is `a = 1 − ρ*`. Linearized, with `δ = u − u*`, `e_t = −a·δ_t`
//! and the velocity-form update above gives `δ_{t+1} = (1 − a(k_p + k_i))δ_t + a·k_p·δ_{t−1}`,
//! of characteristic polynomial `z² − (1 − a(k_p + k_i))z − a·k_p`. A P-term acting on a static
//! plant gives one negative root; the gains put the dominant root at `p = ½` (the log-rate error
//! halves every step: between the deadbeat loop `p = 0`, which passes the noise of `ρ` straight
//! into `u`, and a slow one that lags the changing curvature) and the alternating one
//! at `q = −p/2`, decaying twice as fast: `a·k_p = −pq = p²/2`,
//! `a·k_i = 1 − p − q − a·k_p = 1 − p/2 − p²/2`, so `k_p = 0.25` and `k_i = 1.25` for
//! `ρ* = ½`. The loop stays stable up to 2.29 times the design plant gain
//! (`z = −1` is a root at `a·m` with `2 − 0.875m = 0`); the model's slope `1 − ρ` is twice the
//! design value at the stability edge `ρ = 0`, still inside. From far below (`ρ ≈ 1`, `e = ½`)
//! the increase is `k_i/2 = 0.625` per step (×1.87), the first one capped at `ln 2`.
//!
//! *Ceiling.* Holding `ρ*` alone is not enough when the curvature along the gradient changes:
//! on an ill-conditioned quadratic, once the stiff components have decayed the gradient sees
//! only the soft directions, `ρ → 1`, and the rate climbs toward their `1/c`, past the stability
//! edge `2/λ_max`, until the stiff direction overshoots and is cut (a cycle whose mean rate is
//! above the edge). So the controller remembers what the steps showed about the stiff
//! curvature. `c_t` is the curvature along the step: on a quadratic exactly the Rayleigh
//! quotient `Δxᵀ H Δx/‖Δx‖² ≤ λ_max` (for gradient descent the `c` of `ρ = 1 − γc/2`), on any
//! smooth loss the mean Hessian along the segment (Taylor's theorem with the integral
//! remainder); it is taken only when `−gᵀΔx − (f(x_t) − f(x_{t+1}))` is above the rounding
//! bound of the ratio, and a rise (`ρ < 0`) is where it is largest: the stiff direction grew.
//! The fixed rate that converges fastest on a quadratic is `2/(λ_min + λ_max)`, the one that
//! minimizes `max |1 − γλ|` over the spectrum (the step of Nesterov, *Introductory Lectures on
//! Convex Optimization*, 2004, Thm 2.1.15), which lies in
//! `[1/λ_max, 2/λ_max)` for every spectrum; knowing only `λ_max`, the ceiling factor `θ = √2`
//! is the geometric middle of that range: within √2 of the best fixed rate whatever `λ_min`,
//! and stable while `ĉ > λ_max/√2` (the stiff direction then shrinks by `|1 − √2| = 0.41` per
//! step at `ĉ = λ_max`). The ceiling is only an upper bound: on a 1-D quadratic the loop settles
//! on `1/λ` below it.
//!
//! *Memory.* A stiff direction the rate damps stops showing its curvature, and on a
//! non-quadratic loss `λ_max` changes along the path (on Rosenbrock from about 1500 at (−1.2, 1)
//! to 1002 at the minimum, and 200 at the bottom of the valley near the origin), so `ĉ` is
//! forgotten by `1 − φ` per observation: the ceiling relaxes from `√2/λ` to the edge `2/λ` in
//! `ln √2/φ ≈ 11` steps, after which the stiff direction reappears in `c_t` and resets `ĉ`. `φ`
//! is one memory for the controller, `1/32`: a time constant of 32 steps, long against the
//! loop's settling (the dominant root ½ shrinks an error by 1e-3 in 10 steps), so the loop sees a
//! quasi-static ceiling, and for the noise mean below an average over `(2 − φ)/φ ≈ 63` samples,
//! which puts the clipped samples' standard deviation (≤ 1.5) at ≤ 0.19 on `s`. The result does
//! not hinge on these values: at the corners of `θ ∈ [1, 1.7]`, `φ ∈ [1/300, 1/10]` the
//! ill-conditioned quadratic and Rosenbrock of tests/schedule_pi.rs still settle within 1.73×
//! of `2/(λ_min + λ_max)`. The worst corner, `θ = 1`, shows a second reason against it: at
//! `γ = 1/λ_max` the stiff component is annihilated (exactly, on a diagonal quadratic), so it
//! cannot reappear to refresh `ĉ`.
//!
//! *Noise.* With mini-batches the gradient is `ĝ = g + ξ`, `E ξ = 0`, `E‖ξ‖² = σ²`. On a quadratic
//! of curvature `c` along the step, the expected decrease of the full loss at rate `γ` is
//! `γ‖g‖² − ½γ²c(‖g‖² + σ²)`, largest at `γ = s/c` with the signal fraction
//! `s = ‖g‖²/(‖g‖² + σ²)` (the expected-decrease bound of Bottou, Curtis & Nocedal,
//! *Optimization Methods for Large-Scale Machine Learning*, SIAM Review 60, 2018, §4, with the
//! curvature `c` in place of the Lipschitz constant); the
//! batch's own ratio gives the deterministic rate `2(1 − ρ*)/c`, so the target becomes
//! `ρ = 1 − s(1 − ρ*)`, the `r_t` above. The drivers evaluate each step's batch again at
//! `x_{t+1}`; the next step evaluates another batch at that same point. The gap between the two,
//! `f_{b'}(x_{t+1}) − f_b(x_{t+1})`, has mean `E[f(x_{t+1}) − f_b(x_{t+1})] = γE[ĝᵀ(ĝ − g)] + O(γ²)
//! = γσ²` (the step fitted batch `b`), while the predicted decrease has mean `γ(‖g‖² + σ²)`: so
//! the ratio of the two means is `1 − s`. The controller averages the per-step ratios
//! `q_t = gap/(−gᵀΔx)` of the previous step, `q̄ ← q̄ + φ(clamp(q_t, −1, 2) − q̄)` (the model's
//! range `[0, 1]` widened by its width on each side, so that one batch's loss noise moves `q̄`
//! by at most `3φ`; a mean of ratios, because the scale of `−gᵀΔx` changes by orders of
//! magnitude along a run), over consecutive steps, and uses `s_t = clamp(1 − q̄, 0, 1)`. The
//! mean of ratios is biased where `−gᵀΔx` varies a lot from batch to batch: at a minimum where
//! the gradient is all noise (`s = 0`) it settles near `q̄ ≈ 0.7`, so the rate holds at about
//! a third of the deterministic `1/c` instead of decaying to 0 (measured, tests/schedule_pi.rs):
//! this is not a decreasing Robbins–Monro schedule. For one deterministic loss the gap is
//! exactly 0 and the controller is the deterministic one. A noise-raised target lowers the loop
//! gain to `a = s(1 − ρ*)`, slower but inside the stability range. The cut after a rise keeps `ρ*`
//! (a rise is the deterministic model's stability event; with the raised target its factor
//! would vanish as `s → 0`).
//!
//! Defaults: `ρ* = ½`, `k_p = 0.25`, `k_i = 1.25`, `cut = ½` (the usual step halving of
//! backtracking, Nocedal & Wright §3.1), `growth = 2` (its inverse), `θ = √2`, `φ = 1/32`,
//! `lr_min = 1e-8`, `lr_max = 1e3`, `lr = 1e-3`. [`Schedule::lr`](crate::optim::Schedule::lr) only reads the rate
//! (its `loss` is checked, not used), so a loop that never calls `observe` runs at a constant
//! rate. Under heavy-ball or Adam the step is not `−γg` and `ρ` is that of the step the
//! optimizer took; it still falls as the rate grows, but the target no longer means `1/c`.
//!
//! Measured (tests/schedule_pi.rs, plain gradient descent, from γ = 1e-6 and from 10× the
//! stability edge): on ½λx², λ = 1 … 1e4, the rate settles at 0.72–1.0 times `1/λ` (from the
//! diverging start after one cut). On the quadratic with eigenvalues 1 … 100 and on Rosenbrock
//! it settles at 1.00–1.06 times the best fixed rate of a sweep, in 4–18 % fewer steps; on a
//! noisy mini-batch line fit at 1.14–1.19 times it, with 3–4× its sample evaluations (the extra
//! batch evaluation per step is counted). Under heavy-ball the ratio also falls as the momentum
//! builds up, and the rate settles 1.1–13× below the best fixed one.
//!
//! [`ReduceLrOnPlateau`] counts every call of `lr` as one observation (call once per step);
//! [`PiController`] learns from `observe` only. Both reject a non-finite `loss` with
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
