//! Adaptive finite differences with a per-entry error estimate.
//!
//! Each derivative is a limit `A(h) → A` of a symmetric difference quotient whose error has
//! only even powers of the step, `A(h) = A + a₁h² + a₂h⁴ + …` (central first and second
//! differences, the four-point mixed difference, central differences of a gradient). As in
//! numdifftools (`Richardson` in `extrapolation.py`, the step sequence of `step_generators.py`,
//! the choice of the least estimated error in `limits.py`), the quotient is computed on a
//! geometric sequence of steps `h_k = h_*·2^{k₀−k}` (step ratio 2, numdifftools' default for a
//! first derivative) and extrapolated with two Richardson terms (numdifftools'
//! `richardson_terms = 2`): over a window of three steps `h, h/2, h/4` with quotients
//! `D₀, D₁, D₂`,
//!
//! ```text
//! R₁ = (4D₂ − D₁)/3            error O(h⁴)
//! R₂ = (64D₂ − 20D₁ + D₀)/45   error O(h⁶), the value returned
//! ```
//!
//! The returned error bound is `|R₂ − R₁| + ρ`: the first term estimates the truncation error
//! of `R₁` (which exceeds that of `R₂` once the sequence is asymptotic), and
//! `ρ = Σ|wₖ|·δₖ` propagates a rounding error `δ` of each value through the quotients and the
//! Richardson weights `wₖ`. The noise model is Nocedal & Wright's (§8.1: values correct to a
//! small multiple of `ε`) with the cancellation inside `f` added (Higham, *Accuracy and
//! Stability of Numerical Algorithms*, §1.6, the condition number `|x·f'/f|`): a value carries
//! `δ = 2ε·(|f| + (|xᵢ| + h)·|f(x±h) − f(x)|/h)` — near a minimum `|f|` is small but the terms
//! that cancel in it are not — and a gradient entry `2ε·(|gᵢ| + ‖g‖∞ + (|xⱼ| + h)·|∂ⱼgᵢ|)`.
//!
//! **Step choice.** The reference step `h_* = ε^{1/(4+d)}·max(|xᵢ|, 1)` is where the truncation
//! `~h⁴` of `R₁` balances the rounding `~ε/hᵈ` of a `d`-th derivative (the classical
//! `ε^{1/(p+d)}` rule for an order-`p` formula, Numerical Recipes §5.7). A second derivative's
//! first window is `(2h_*, h_*, h_*/2)`, centred there. A first derivative's is one halving up,
//! `(4h_*, 2h_*, h_*)`: the returned `R₂` is of order 6, its balance
//! `ε^{1/7}` three halvings above `h_*`, and its rounding comes mostly from the smallest step
//! (weight `64/45`), which stays at `h_*`. Unlike numdifftools, which evaluates a fixed
//! sequence of 15 steps and keeps the one of least estimated error, the window then moves (at
//! most [`MAX_MOVES`] times, over 30 steps from `2¹²·h_*` down), on the error model
//! `trunc·(h/h₁)^p + ρ·(h₁/h)ᵈ` of its two estimated terms, least at
//! `m* = log₂(p·trunc/(d·ρ))/(p + d)` halvings, with `p = 6` for a first derivative (the order
//! of the returned `R₂`: `trunc` bounds its truncation, which falls as `h⁶`) and `p = 4` for a
//! second:
//!
//! * where the truncation is measured and dominates (`trunc > ρ`), by `round(m*)` halvings
//!   (in one move for a first derivative, at most 3 for a second)
//!   when `|m*| ≥ 1`, the optimum at least one grid step (ratio 2) away — a promised cut of the
//!   error by 3.6 (`d = 1`) to 5.5 (`d = 2`) with `p = 4` — but only while the error bound
//!   exceeds `√ε·max(|R₂|, |f(x)|/sᵈ)` (half the digits of the entry or, at a critical point,
//!   of the function's scale); below it, by the next rule;
//! * where the bound `ρ` dominates, by 3 halvings when `m*` is more than 2.5 halvings away;
//! * where `|R₂ − R₁|` is below its own rounding bound `ν = (r₀ + 5r₁ + 4r₂)/45` — the truncation
//!   is not resolved, only bounded; `|R₂ − R₁| = 0` with a non-zero value, three quotients equal to
//!   the last bit, is the same case — a search: by 3 halvings towards the side where the rounding
//!   falls, the stride doubling on each further search in that direction (3, 6, 12 halvings: a
//!   geometric search reaches the steps of a function whose error is all rounding, such as a
//!   quadratic, in as many windows), while the error bound exceeds `ε^{2/3}` of that scale for a
//!   first derivative (the plain central difference's best relative error, Nocedal & Wright §8.1:
//!   an error the unextrapolated quotient can beat; at a critical point, of the larger of `|f|/s`
//!   and the window's least quotient `minₖ|Dₖ|`, see "at a critical point" below) and `√ε` of it
//!   for a second. A first derivative whose rounding falls towards larger steps does not search
//!   there but jumps, once, to the least rounding of `R₂` under the model of its quotients'
//!   rounding bounds (`r(h)·h = a + b·h + c·h²`, fitted on the window's three steps; see
//!   `rounding_optimum`) — and at a critical point (`|R₂| ≤` bound) without the gate: its scale
//!   `|f|/s` says nothing of the size of the entry, and an error all rounding is the case in which
//!   the truncation bound cannot tell how far up a window may go (its `h⁶` growth allows less than
//!   one halving at every such window of `tests/fd_holdout.rs`).
//!
//! Each window's error is at least its change from the previous window (numdifftools' error
//! estimate, the difference of successive extrapolations) less that window's bound — the whole
//! change after a jump, which shares no step with the window it left — the walk stops when a
//! move did not lower the error, and the window of least estimated error is kept.
//!
//! **Observed order.** A first derivative's model takes `trunc = |R₂ − R₁|` to fall as `h⁶`,
//! but `|R₂ − R₁|` is the truncation of `R₁`, which by the error expansion falls as `h⁴` once
//! asymptotic; where it is far above `R₂`'s own truncation, a move planned on it overshoots.
//! After a move of `s` halvings on a measured truncation (measured at both ends, the bound
//! lowered), the steps the window holds show the order: `p̂ = log₂(trunc_before/trunc_after)/|s|`.
//! Where `p̂ < 5` (nearest of the expansion's even orders below 6), each window the move passed
//! that has the step above it already evaluated — no new evaluation — is judged by `R₂`'s own
//! error, `|R₂ − R₂'| + ρ` against the window one step up (the difference of successive
//! extrapolations, as [`Accuracy::Full`]), and the least of those estimates and the reached
//! window's bound is returned. At Jennrich–Sampson's minimum (`tests/fd_holdout.rs`) the move of
//! 3 halvings shows `p̂ = 4.0`; the window two halvings below the start is returned (error
//! 2.0e-11, bound 5.6e-10, instead of 5.2e-10 with bound 2.9e-9 at scale 1).
//!
//! **At a critical point** (`|R₂| ≤` bound: the entry has no scale of its own), two rules more
//! for a first derivative. A search is also judged against the window's least quotient
//! `minₖ|Dₖ|`: where `f(x) = 0` (the monkey saddle of `tests/fd_hard.rs`) `|f|/s` is 0, the gate
//! never closed, and the searches ran on while the bound fell (from 1.6e-18 to 1.2e-23 of the
//! function's scale, 18 evaluations per entry); a bound `ε^{2/3}` below every quotient of the
//! window is below what the central difference itself resolves there. And a window the walk did
//! not move from, whose bound is a measured, dominant truncation with the model's optimum within
//! one grid step (`ρ < |R₂ − R₁|`, `|m*| < 1`: no move lowers that bound), has a bound from
//! `R₁`'s truncation that may be far above `R₂`'s own error: one more step, twice the largest,
//! gives `R₂'` over the window one step up, `|R₂ − R₂'| + ρ'` is taken as the error of `R₂'`
//! (numdifftools' `_estimate_error` assigns the difference of successive extrapolations to the
//! larger-step one) and `|R₂ − R₂'| + ρ` as that of `R₂`, and the lesser (`R₂'`'s unless its
//! rounding is larger) replaces the walk's result where it cuts the bound by 3.6, the cut a move
//! must promise. At Goldstein–Price's local minimum (1.2, 0.8), where `R₂` is all rounding and
//! `m*` = 0.66, the gradient error falls from 4.2e-10 to 5.0e-11 at scale 1 for 2 evaluations
//! per entry.
//!
//! Taken from numdifftools 0.11 (`step_generators.py`, `extrapolation.py`, `limits.py`): the
//! step ratio 2 (its default for first derivatives), two Richardson terms, the error estimate
//! as the difference of successive extrapolations, the choice of the least estimated error.
//! Not taken: its 15 steps from `2·max(ln(e − 1 + |x|), 1)` down (`MaxStepGenerator`), which cost
//! `30N + 1` evaluations for a gradient; the window here starts at the classical
//! `ε^{1/(p+d)}·max(|x|, 1)` instead and moves only when the estimates say so. A step at which `f` is not finite (a barrier crossed) moves the
//! window to smaller steps instead of failing. A typical call uses three steps per
//! coordinate — `6N` evaluations for a gradient, a quarter of numdifftools' default `30N + 1`.
//!
//! [`Accuracy::Full`] (opt-in, through the `_with` kernels) adds a measurement of the error of
//! the returned `R₂` itself where the bound is far from what the formula can reach; see there.

use super::step::representable;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, norm_inf, put};
use crate::{Objective, Real};

/// Evaluations a derivative used, in both units: calls of the value `f` and calls of the
/// gradient (each of which may itself have evaluated `f`; those are included in `values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Evals {
    /// Calls of the loss `f`, direct or made by the gradient.
    pub values: usize,
    /// Calls of the gradient.
    pub gradients: usize,
}

/// How hard an adaptive derivative works for its last digits.
///
/// [`Accuracy::Fast`] (the default) returns the two-term extrapolation `R₂` of the window of
/// least estimated error, with the bound `|R₂ − R₁| + ρ`. That bound is the truncation of `R₁`,
/// not of `R₂`, and overstates `R₂`'s error where the truncation of `R₁` dominates (high
/// derivatives, `|f| ≫ 1`). A first derivative's walk therefore starts a halving above `R₁`'s
/// balance and moves on `R₂`'s order-6 model (see the module's step choice): over
/// `tests/fd_hard.rs` this lowers the worst Goldstein–Price gradient error from 1.0e-9 to
/// 4.2e-10 and Freudenstein–Roth's from 3.7e-11 to 3.7e-12 for 0.243 of numdifftools' gradient
/// evaluations (0.241 before); its searches on an unresolved truncation (gate `ε^{2/3}`, a
/// jump to the rounding model's optimum) lower Brown's generic point from 7.8e-10 to 2.4e-11
/// for 0.249; and the critical-point rules (module doc) Goldstein–Price's local minimum from
/// 4.2e-10 to 9.3e-11, for 0.245 of numdifftools' gradient evaluations over that set.
///
/// [`Accuracy::Full`] then measures the error of `R₂` itself for every entry whose bound exceeds
/// `4·ε^{6/(6+d)}` of its scale (the scale the walk judges the entry on): one more step `2h`
/// gives the extrapolation `R₂'` over the window shifted one step up, `|R₂ − R₂'| + ρ` is
/// taken as the error of `R₂` (the difference of successive extrapolations, numdifftools'
/// error estimate in `extrapolation.py`), and the window keeps moving up one step while that
/// estimate falls (at most [`MAX_MOVES`] more steps); the window of least estimate is returned
/// if it is below the `Fast` bound. A larger step at which `f` is not finite ends the search.
///
/// The trigger: `R₂` has truncation `~h⁶` and rounding `~ε/hᵈ`, balanced at `h ~ ε^{1/(6+d)}`
/// where the error is `~ε^{6/(6+d)}` of the entry's scale, the least this formula can reach
/// (`ε^{6/7}` for a first derivative, `ε^{3/4}` for a second). That floor is an order of
/// magnitude (its constant depends on the derivative of order `d + 6` and on the noise of
/// `f`), and a move of the window on this grid (ratio 2) is made only when it promises a cut of
/// about 4 (3.6 for `d = 1` to 5.5 for `d = 2`, the walk's own rule for a move): a bound within
/// `4×` of the floor is as close as a step can be aimed, and refining it would spend
/// evaluations with no cut promised.
///
/// Cost over the hard set of `tests/fd_hard.rs` (f64): gradients 0.41 and Hessians from values
/// 0.35 of numdifftools' default evaluations, against 0.25 and 0.23 for `Fast`, which already
/// meets every goal of that set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Accuracy {
    /// One walk per entry, bound `|R₂ − R₁| + ρ` (about `6n` values for a gradient).
    #[default]
    Fast,
    /// The walk, then the error of `R₂` measured with larger steps where the bound is above
    /// `4·ε^{6/(6+d)}` of the entry's scale.
    Full,
}

/// Factor over the reachable floor `ε^{6/(6+d)}` above which [`Accuracy::Full`] refines.
const REFINE_TRIGGER: f64 = 4.0;

/// Halvings above `h_*` at which the walk of a first derivative starts: its first window is
/// `(4h_*, 2h_*, h_*)`, so the smallest step — whose quotient carries most of the rounding of
/// `R₂` (weight `64/45` against `20/45` and `1/45`) — is at `R₁`'s balance `ε^{1/5}`, and the
/// largest step `4h_*` is one halving below `R₂`'s balance `ε^{1/7} ≈ 8h_*`.
/// A second derivative starts at `R₁`'s balance (`(2h_*, h_*, h_*/2)`).
const FIRST_LIFT: usize = 1;

/// Order of the truncation model with which [`walk`] moves the window of a first derivative:
/// the order of the returned `R₂`. A second derivative keeps `R₁`'s order 4 (with 6, the f32
/// Hessian at the log-barrier minimum of `tests/fd_hard.rs` rises from 8.3e-6–1.7e-5 to
/// 3.3e-3: the walk stays at steps where `R₂` is not yet asymptotic). Where a move shows a
/// lower order (the module's "observed order"), the windows it passed are judged by `R₂`'s own
/// error.
const FIRST_ORDER_MODEL: usize = 6;

/// Halvings from the balance within which a rounding-dominated window stays.
const BAND: f64 = 2.5;

/// The cut of the error bound a move of one halving promises where the model's optimum is one
/// grid step away (`E(0)/E(m*)` at `|m*| = 1` for `p = 4`, `d = 1`, see [`moves_by`]): an
/// estimate of `R₂`'s own error replaces the walk's bound at an unmoved critical window only if
/// it is that much lower (the evidence a move needs).
const MOVE_GAIN: f64 = 3.6;

/// Most moves of the step window per derivative entry.
pub const MAX_MOVES: usize = 3;

/// Step indices: `h_k = h_*·2^{K0−k}`, `k < KN`.
const KN: usize = 30;
const K0: usize = 12;

/// Rounding error assumed for each value, in units of `ε·|f|`.
const NOISE_ULPS: f64 = 2.0;

/// `2^{K0−k}`.
fn factor<T: Real>(k: usize) -> T {
    let mut v = T::ONE;
    if k <= K0 {
        for _ in k..K0 {
            v *= T::TWO;
        }
    } else {
        for _ in K0..k {
            v *= T::HALF;
        }
    }
    v
}

/// One step of a sequence: the quotient `D_k` and its rounding bound, or `None` where `f` was
/// not finite.
pub(crate) type Quotient<T> = Option<(T, T)>;

/// Result of a walk: extrapolated value, error bound.
#[derive(Clone, Copy)]
pub(crate) struct Limit<T> {
    pub(crate) value: T,
    pub(crate) error: T,
}

/// Richardson over the window `(D₀, D₁, D₂)` with rounding bounds `(r₀, r₁, r₂)`:
/// `(R₂, |R₂ − R₁|, ρ, ν)`, `ν = (r₀ + 5r₁ + 4r₂)/45` the rounding bound of `R₂ − R₁` itself
/// (`R₂ − R₁ = (D₀ − 5D₁ + 4D₂)/45`): a difference `|R₂ − R₁| ≤ ν` is rounding, not truncation.
pub(crate) fn extrapolate<T: Real>(d: [T; 3], r: [T; 3]) -> (T, T, T, T) {
    let c = T::from_f64;
    let r1 = (c(4.0) * d[2] - d[1]) / c(3.0);
    let r2 = (c(64.0) * d[2] - c(20.0) * d[1] + d[0]) / c(45.0);
    let rho = (r[0] + c(20.0) * r[1] + c(64.0) * r[2]) / c(45.0);
    let nu = (r[0] + c(5.0) * r[1] + c(4.0) * r[2]) / c(45.0);
    (r2, (r2 - r1).abs(), rho, nu)
}

/// Halvings to move the window by, in `[−3, 3]` (positive: smaller steps), from its estimated
/// truncation `trunc` (`|R₂ − R₁|`), rounding `rho`, the rounding `nu` of the truncation
/// estimate itself and the rounding bounds `r_big`, `r_small` of the window's largest and
/// smallest steps. With the model `trunc·2^{−4m} + rho·2^{d·m}` of the error `m` halvings away,
/// least at `m* = log₂(4·trunc/(d·rho))/(4 + d)`:
///
/// * Truncation measured and dominant (`trunc > rho`, `trunc > nu`): the window moves by
///   `round(m*)` when the model's optimum is at least one halving away, `|m*| ≥ 1`: the step
///   grid has ratio 2, so an optimum nearer than one halving has no grid point closer than the
///   current one. In gain, `E(0)/E(m*) = (2^{4m*} + (4/d)·2^{−d·m*})/(1 + 4/d)` at
///   `|m*| = 1` is 3.6 for `d = 1` and 5.5 for `d = 2`: a move must promise about a 4× cut.
///   The truncation term is a measurement here, so the model can be trusted to predict it.
/// * Rounding dominant (`nu < trunc ≤ rho`): `rho` is a bound, not a measurement, so the
///   window moves (3 halvings) only when `m*` is more than `BAND` halvings away.
/// * Truncation not resolved (`trunc ≤ nu`; the caller passes `nu = 0` to disable this): the
///   estimate is rounding and says nothing of the truncation except that it is smaller; the
///   error is the rounding, and the window moves 3 halvings towards the side where the rounding
///   falls by at least half over the window (larger steps when `2·r_big < r_small`, the usual
///   `~h⁻ᵈ`; smaller steps where the values grow faster than `hᵈ`, as near a minimum of `f`
///   when `f(x) ≈ 0`).
pub(crate) fn moves_by<T: Real>(
    trunc: T,
    rho: T,
    nu: T,
    r_big: T,
    r_small: T,
    d: usize,
    search: bool,
) -> isize {
    moves_by_order(
        trunc, rho, nu, r_big, r_small, d, search, search, 4, true, 3,
    )
}

/// [`moves_by`] with the truncation modelled as `~h^p` instead of `~h⁴`: the model
/// `trunc·2^{−p·m} + rho·2^{d·m}`, least at `m* = log₂(p·trunc/(d·rho))/(p + d)`, and the same
/// rules. [`walk`] moves a first derivative's window with `p = 6`, the order of the returned
/// `R₂` (see [`FIRST_ORDER_MODEL`]).
///
/// Two gates instead of one: `search` allows the move on an unresolved truncation, `trust` the
/// move on a measured one (`moves_by` passes the same flag for both). With `flat_zero`,
/// `trunc = 0` exactly stops the walk (the caller's quotients are all zero: `f(x+h) = f(x−h)`
/// at every step, nothing to move on); without it, `trunc = 0` is the unresolved case it is by
/// definition (`0 ≤ ν`: the three quotients agree to the last bit). A move on a measured
/// truncation is at most `cap` halvings ([`moves_by`]: 3; [`walk`]'s first derivative: the
/// model's optimum, within the grid).
#[allow(clippy::too_many_arguments)]
fn moves_by_order<T: Real>(
    trunc: T,
    rho: T,
    nu: T,
    r_big: T,
    r_small: T,
    d: usize,
    search: bool,
    trust: bool,
    p: usize,
    flat_zero: bool,
    cap: isize,
) -> isize {
    let dd = T::from_usize(d);
    if rho.is_nan() || rho <= T::ZERO {
        return if trunc > T::ZERO { 3 } else { 0 };
    }
    if trunc.is_nan() || (flat_zero && trunc <= T::ZERO) {
        return 0;
    }
    if search && trunc <= nu {
        let two = T::TWO;
        return if two * r_big < r_small {
            -3
        } else if two * r_small < r_big {
            3
        } else {
            0
        };
    }
    if trunc <= T::ZERO {
        return 0;
    }
    let pp = T::from_usize(p);
    let m = (pp * trunc / (dd * rho)).ln() / (T::from_f64(core::f64::consts::LN_2) * (pp + dd));
    // The model's least error, at `m` halvings: `trunc·2^{−p·m} + rho·2^{d·m}`.
    let best = trunc * T::TWO.powf(-pp * m) + rho * T::TWO.powf(dd * m);
    if !(m.is_finite() && best.is_finite()) {
        return 0;
    }
    if !trust || trunc <= rho {
        // Rounding side: `rho` is a bound, not a measurement; move only far from the balance.
        return if m >= T::from_f64(BAND) {
            3
        } else if m <= -T::from_f64(BAND) {
            -3
        } else {
            0
        };
    }
    // Truncation side: `trunc` is measured (above its rounding); move when the model's
    // optimum is at least one grid step (one halving) away.
    if m.abs() < T::ONE {
        return 0;
    }
    let mf = m.to_f64();
    let r = if mf >= 0.0 {
        (mf + 0.5) as isize
    } else {
        (mf - 0.5) as isize
    };
    if r == 0 {
        if mf > 0.0 {
            1
        } else {
            -1
        }
    } else {
        r.max(-cap).min(cap)
    }
}

/// Halvings from a window to the least rounding of `R₂` under the rounding model of its
/// quotients, from the bounds `(r₀, r₁, r₂)` of its steps `(4t, 2t, t)`. Each bound is
/// `ε·(|f(x+h)| + |f(x−h)| + 2c)/h` ([`noise`], [`reach`]), and where the truncation is not
/// resolved the values are smooth in `h`: `u(h) = r(h)·h = a + b·h + c·h²` (Taylor: the values
/// change by `f'·h + f''·h²/2`, their change scale by `f''·h`), fitted exactly through the three
/// steps (`h` in units of `t`). `R₂`'s rounding `ρ = (r₀ + 20r₁ + 64r₂)/45` of the window with
/// smallest step `τ` is then `(74.25·a/τ + 85·b + 108·c·τ)/45`, least at
/// `τ = √(74.25·a/(108·c))`: `−log₂ τ` halvings (negative: larger steps), rounded. `None` where
/// the model has no least value (`a ≤ 0` or `c ≤ 0`: the values fall with the step) or it is
/// less than one halving away.
fn rounding_optimum<T: Real>(r: [T; 3]) -> Option<isize> {
    let c = T::from_f64;
    let (u0, u1, u2) = (c(4.0) * r[0], T::TWO * r[1], r[2]);
    let cc = (u0 - c(3.0) * u1 + T::TWO * u2) / c(6.0);
    let b = u1 - u2 - c(3.0) * cc;
    let a = u2 - b - cc;
    if !(a > T::ZERO && cc > T::ZERO) {
        return None;
    }
    let tau = (c(74.25) * a / (c(108.0) * cc)).sqrt();
    let m = -(tau.ln() / c(core::f64::consts::LN_2));
    if !m.is_finite() || m.abs() < T::ONE {
        return None;
    }
    let lim = KN as f64;
    let mf = m.to_f64().max(-lim).min(lim);
    Some(if mf >= 0.0 {
        (mf + 0.5) as isize
    } else {
        (mf - 0.5) as isize
    })
}

/// Relative error bound above which the walk of a `d`-th derivative searches on an unresolved
/// truncation: `ε^{2/3}` for a first derivative — the least relative error of the plain
/// central difference at its optimal step `h ~ ε^{1/3}` (Nocedal & Wright, *Numerical
/// Optimization*, §8.1): a bound above it is one the unextrapolated quotient can beat, so the
/// search for larger (or smaller) steps continues; `√ε` (half the digits) for a second, whose
/// walk keeps its former rule.
fn search_gate<T: Real>(d: usize) -> T {
    if d == 1 {
        T::EPSILON_R.powf(T::from_f64(2.0 / 3.0))
    } else {
        T::EPSILON_R.sqrt()
    }
}

/// Quotient `k` of the walk's grid evaluated once (`have`, `steps`): its value and rounding
/// bound into `dk`, `rk`, or `k` marked in `bad` when either is not finite.
fn fetch<T: Real>(
    k: usize,
    have: &mut u32,
    bad: &mut u32,
    steps: &mut usize,
    dk: &mut [T; KN],
    rk: &mut [T; KN],
    quot: &mut dyn FnMut(usize) -> Result<Quotient<T>, Error>,
) -> Result<(), Error> {
    if *have & (1 << k) == 0 {
        *have |= 1 << k;
        *steps += 1;
        match quot(k)? {
            Some((q, r)) if q.is_finite() && r.is_finite() => {
                put(dk, k, q);
                put(rk, k, r);
            }
            _ => *bad |= 1 << k,
        }
    }
    Ok(())
}

/// Walks a window of three steps along the sequence `quot(k)` of a `d`-th derivative and returns
/// the extrapolated value of least estimated error and the steps evaluated. `quot` may fail
/// with an error, which stops the walk. A window moves on a measured truncation (by the model)
/// only while its error bound exceeds `√ε` (half the digits) of the entry's scale, and on an
/// unresolved one (a search) only while it exceeds [`search_gate`] of it; the scale is the
/// value itself, or `unit = |f(x)|/sᵈ` where the value is below its bound (a critical point),
/// and at least `floor`. A first derivative's consecutive searches in one direction double
/// their stride (3, 6, 12 halvings); towards larger steps it jumps instead, once, to the
/// rounding model's optimum ([`rounding_optimum`]), at a critical point without the gate, and
/// moves on a measured truncation by the model's whole `round(m*)`. The walk stops when a move
/// did not lower the estimated error. A first derivative's move on a measured truncation that
/// shows an order below the model's (`p̂ < order − 1`) has the windows it passed judged by
/// `R₂`'s own error (module doc, "observed order"); at a critical point, an unmoved window with
/// `|m*| < 1` is judged by it with one more step (module doc, "at a critical point").
pub(crate) fn walk<T: Real>(
    d: usize,
    unit: T,
    floor: T,
    accuracy: Accuracy,
    quot: &mut dyn FnMut(usize) -> Result<Quotient<T>, Error>,
) -> Result<(Limit<T>, usize), Error> {
    let mut dk = [T::ZERO; KN];
    let mut rk = [T::ZERO; KN];
    let (mut have, mut bad, mut seen) = (0u32, 0u32, 0u32);
    let mut steps = 0usize;
    let mut best: Option<Limit<T>> = None;
    let mut best_j = 0usize;
    // Whether the best window's truncation is measured and dominant with the model's optimum
    // within one grid step (`|m*| < 1`: no move lowers its bound).
    let mut best_near = false;
    let (lift, order) = if d == 1 {
        (FIRST_LIFT, FIRST_ORDER_MODEL)
    } else {
        (0, 4)
    };
    let mut j = K0.saturating_sub(1 + lift);
    let mut moves = 0usize;
    let mut prev: Option<Limit<T>> = None;
    // The stride of the last move if it was a search (unresolved truncation), else 0.
    let mut last_search = 0isize;
    // Whether the last move was a jump to the rounding optimum, and whether one was made.
    let (mut jump, mut jumped) = (false, false);
    // The last window that moved on a measured truncation: its index, `|R₂ − R₁|`, the move.
    let mut measured: Option<(usize, T, isize)> = None;
    // The windows passed by the move that reached the best window, where its truncation fell
    // slower than the model's order.
    let mut passed: Option<(usize, usize)> = None;
    loop {
        seen |= 1 << j;
        for k in j..j + 3 {
            fetch(k, &mut have, &mut bad, &mut steps, &mut dk, &mut rk, quot)?;
        }
        let window_bad = bad & (0b111 << j) != 0;
        if window_bad {
            // A step where f is not finite: every larger step is suspect too; restart below it.
            let last = (j..j + 3).rev().find(|&k| bad & (1 << k) != 0).unwrap_or(j);
            j = last + 1;
            measured = None;
            if j + 3 > KN {
                break;
            }
            continue;
        }
        let mut shift = 0isize;
        {
            let rw = [at(&rk, j), at(&rk, j + 1), at(&rk, j + 2)];
            let (v, trunc, rho, nu) = extrapolate([at(&dk, j), at(&dk, j + 1), at(&dk, j + 2)], rw);
            // Two windows whose values differ by more than both bounds contradict them: if the
            // previous bound holds, this window's error is at least the rest of the change
            // (numdifftools' error estimate: the difference of successive extrapolations).
            // A window reached by a jump shares no step with the one it left, whose bound was a
            // rounding bound: its error is at least their whole difference.
            let e = match prev {
                Some(p) if jump => (trunc + rho).max((v - p.value).abs()),
                Some(p) => (trunc + rho).max((v - p.value).abs() - p.error),
                None => trunc + rho,
            };
            prev = Some(Limit { value: v, error: e });
            if v.is_finite() && e.is_finite() {
                if best.is_none_or(|b| e < b.error) {
                    best = Some(Limit { value: v, error: e });
                    best_j = j;
                    best_near = d == 1 && trunc > rho && trunc > nu && {
                        let p = T::from_usize(order);
                        let m = (p * trunc / rho).ln()
                            / (T::from_f64(core::f64::consts::LN_2) * (p + T::ONE));
                        m.abs() < T::ONE
                    };
                } else {
                    // The last move did not lower the estimated error.
                    break;
                }
                // The move that reached this window, if it moved on a measured truncation: the
                // order it showed, `|R₂ − R₁|` falling by `2^{p̂·|s|}` over `|s|` halvings, below
                // `order − 1` (the expansion's next lower order) marks the windows it passed.
                passed = measured.take().and_then(|(jp, tp, sp)| {
                    let fell = (tp / trunc).ln() / T::from_f64(core::f64::consts::LN_2);
                    let slow = T::from_usize(sp.unsigned_abs() * (order - 1));
                    (trunc > nu && fell < slow).then_some((jp.min(j), jp.max(j)))
                });
                // The window moves beyond the band rule only while its error bound exceeds
                // half the digits of the entry (or of the function's scale at a critical point);
                // a first derivative searches on an unresolved truncation down to `search_gate`.
                let scale = if v.abs() > e { v.abs() } else { unit }.max(floor);
                let trust = e > T::EPSILON_R.sqrt() * scale;
                // At a critical point a first derivative's search is also judged against the
                // least of the window's quotients (where `f(x) = 0`, `|f|/s` is no scale at all).
                let search_scale = if d == 1 && v.abs() <= e {
                    let least = at(&dk, j).abs().min(at(&dk, j + 1).abs());
                    scale.max(least.min(at(&dk, j + 2).abs()))
                } else {
                    scale
                };
                let search = e > search_gate::<T>(d) * search_scale;
                // All quotients zero (`f(x+h) = f(x−h)` at every step): nothing to move on. A
                // first derivative's non-zero value with `|R₂ − R₁| = 0` is an unresolved
                // truncation like any `|R₂ − R₁| ≤ ν`.
                let flat_zero = d != 1 || v == T::ZERO;
                let cap = if d == 1 { KN as isize } else { 3 };
                shift = moves_by_order(
                    trunc, rho, nu, rw[0], rw[2], d, search, trust, order, flat_zero, cap,
                );
                let lo = -(j as isize);
                let hi = (KN - 3) as isize - j as isize;
                // A first derivative's unresolved truncation with rounding that falls towards
                // larger steps: one move to the rounding model's optimum (at a critical point
                // without the gate: its scale `|f|/s` says nothing of the entry's), and no
                // search after it.
                let unresolved = d == 1 && trunc <= nu && v != T::ZERO;
                jump = false;
                if unresolved && jumped {
                    shift = 0;
                } else if unresolved && (search || v.abs() <= e) && T::TWO * rw[0] < rw[2] {
                    shift = rounding_optimum(rw).map_or(0, |m| m.max(lo).min(hi));
                    jump = shift != 0;
                    jumped = true;
                } else if d == 1 {
                    shift = shift.max(lo).min(hi);
                }
                if d == 1 && trust && trunc > rho && trunc > nu && shift != 0 {
                    measured = Some((j, trunc, shift));
                }
                let searched = d == 1 && !jump && search && trunc <= nu && shift != 0;
                if searched && last_search != 0 && shift.signum() == last_search.signum() {
                    // A geometric search: the stride doubles, as far as the grid reaches.
                    shift = last_search.saturating_mul(2).max(lo).min(hi);
                }
                last_search = if searched { shift } else { 0 };
            }
        }
        if shift == 0 || moves >= MAX_MOVES {
            break;
        }
        let nj = j as isize + shift;
        if nj < 0 || nj as usize + 3 > KN || seen & (1 << nj) != 0 {
            break;
        }
        j = nj as usize;
        moves += 1;
    }
    if let (true, Some(b), Some(k)) = (best_near && moves == 0, best, best_j.checked_sub(1)) {
        // An unmoved first-derivative window at a critical point whose bound is `R₁`'s measured
        // truncation: one step up, `2·(4h)`, gives `R₂'` over the window shifted up, and the
        // difference of the two extrapolations estimates their errors (numdifftools'
        // `_estimate_error` assigns it to the larger-step one, `R₂'`).
        if b.value.abs() <= b.error {
            fetch(k, &mut have, &mut bad, &mut steps, &mut dk, &mut rk, quot)?;
            if bad & (0b1111 << k) == 0 {
                let win = |j: usize| {
                    extrapolate(
                        [at(&dk, j), at(&dk, j + 1), at(&dk, j + 2)],
                        [at(&rk, j), at(&rk, j + 1), at(&rk, j + 2)],
                    )
                };
                let (v, _, rho, _) = win(best_j);
                let (up, _, rho_up, _) = win(k);
                let diff = (v - up).abs();
                // The least of the two estimates (`R₂'`'s, with its smaller rounding, unless the
                // rounding grows with the step).
                let (cv, ce, cj) = if rho_up <= rho {
                    (up, diff + rho_up, k)
                } else {
                    (v, diff + rho, best_j)
                };
                if cv.is_finite() && ce.is_finite() && T::from_f64(MOVE_GAIN) * ce < b.error {
                    best = Some(Limit {
                        value: cv,
                        error: ce,
                    });
                    best_j = cj;
                }
            }
        }
    }
    if let (Some((lo, hi)), Some(b)) = (passed, best) {
        // The move assumed `R₂`'s order for a truncation that fell as `R₁`'s: over the windows
        // it passed (no new steps), `R₂`'s own error, `|R₂ − R₂'|` against the window a step
        // up, plus `ρ`, may be below the bound `|R₂ − R₁| + ρ` of the window it reached.
        let good = |k: usize| have & (1 << k) != 0 && bad & (1 << k) == 0;
        let win = |j: usize| {
            extrapolate(
                [at(&dk, j), at(&dk, j + 1), at(&dk, j + 2)],
                [at(&rk, j), at(&rk, j + 1), at(&rk, j + 2)],
            )
        };
        let mut least = b;
        for w in lo.max(1)..=hi {
            if w + 3 > KN || !(good(w - 1) && good(w) && good(w + 1) && good(w + 2)) {
                continue;
            }
            let (v, _, rho, _) = win(w);
            let (up, _, _, _) = win(w - 1);
            let e = (v - up).abs() + rho;
            if v.is_finite() && e.is_finite() && e < least.error {
                least = Limit { value: v, error: e };
                best_j = w;
            }
        }
        best = Some(least);
    }
    if let (Accuracy::Full, Some(b)) = (accuracy, best) {
        let scale = if b.value.abs() > b.error {
            b.value.abs()
        } else {
            unit
        }
        .max(floor);
        // `ε^{6/(6+d)}`: the least error of the order-6 extrapolation of a `d`-th derivative.
        let reach6 = T::EPSILON_R.powf(T::from_f64(6.0) / T::from_usize(6 + d));
        if b.error > T::from_f64(REFINE_TRIGGER) * reach6 * scale {
            let mut refined: Option<Limit<T>> = None;
            let mut jc = best_j;
            for _ in 0..MAX_MOVES {
                // The window `jc` and the one a step up, `jc − 1` (one more step `2h`).
                let Some(k) = jc.checked_sub(1) else { break };
                fetch(k, &mut have, &mut bad, &mut steps, &mut dk, &mut rk, quot)?;
                if bad & (0b1111 << k) != 0 {
                    break;
                }
                let win = |j: usize| {
                    extrapolate(
                        [at(&dk, j), at(&dk, j + 1), at(&dk, j + 2)],
                        [at(&rk, j), at(&rk, j + 1), at(&rk, j + 2)],
                    )
                };
                let (v, _, rho, _) = win(jc);
                let (up, _, _, _) = win(k);
                let e = (v - up).abs() + rho;
                if !(v.is_finite() && e.is_finite()) {
                    break;
                }
                if refined.is_none_or(|r| e < r.error) {
                    refined = Some(Limit { value: v, error: e });
                } else {
                    break;
                }
                jc = k;
            }
            if let Some(r) = refined.filter(|r| r.error < b.error) {
                return Ok((r, steps));
            }
        }
    }
    match best {
        Some(b) => Ok((b, steps)),
        None if bad != 0 => Err(Error::NonFiniteLoss),
        None => Err(Error::NonFiniteGradient),
    }
}

/// Rounding bound of one value `v` of `f` whose change along the perturbed coordinates,
/// `Σ|xᵢ·∂ᵢf|`, is about `c`: `2ε·(|v| + c)`. The second term is the rounding of the inputs and
/// of the intermediate values that cancel in `f` (near a minimum `|f|` is small but its terms
/// are not; Higham, *Accuracy and Stability of Numerical Algorithms*, §1.6, the condition
/// number `|x·f'(x)/f(x)|` of evaluating `f`).
#[inline]
fn noise<T: Real>(v: T, c: T) -> T {
    T::from_f64(NOISE_ULPS) * T::EPSILON_R * (v.abs() + c.abs())
}

/// The change scale `c` of [`noise`] along one coordinate from the values at `x ± h`:
/// `(|x| + h)·max(|f(x+h) − f(x)|, |f(x−h) − f(x)|)/h`, the one-sided slopes (the central
/// slope vanishes at a minimum, the one-sided ones do not).
#[inline]
fn reach<T: Real>(x: T, h: T, p: T, m: T, f0: T) -> T {
    (x.abs() + h) * (p - f0).abs().max((m - f0).abs()) / h
}

/// Base step of coordinate value `x` for a `d`-th derivative: `h_* = ε^{1/(4+d)}·max(|x|, 1)`,
/// the middle step of the first window (`k = K0`).
fn base_step<T: Real>(x: T, d: usize) -> T {
    let p = T::ONE / T::from_usize(4 + d);
    T::EPSILON_R.powf(p) * x.abs().max(T::ONE)
}

/// Scales of `t` along `x + t·d` from the components that move (`dᵢ ≠ 0`): the step scale
/// `minᵢ max(|xᵢ|, 1)/|dᵢ|`, the rounding scale `minᵢ |xᵢ|/|dᵢ|`, and the largest moving
/// `|xᵢ|` with its `|dᵢ|` (in which the step is made exact). `d` must have a non-zero entry.
pub(crate) fn along_scales<T: Real>(x: &[T], d: &[T]) -> (T, T, T, T) {
    let (mut step, mut round) = (T::MAX_R, T::MAX_R);
    let (mut big, mut dbig) = (T::ZERO, norm_inf(d));
    for (&xi, &di) in x.iter().zip(d).filter(|&(_, &di)| di != T::ZERO) {
        step = step.min(xi.abs().max(T::ONE) / di.abs());
        round = round.min(xi.abs() / di.abs());
        if xi.abs() > big {
            (big, dbig) = (xi.abs(), di.abs());
        }
    }
    (step, round, big, dbig)
}

/// `φ(t) = f(x + t·eᵢ)`, restoring `x[i]`.
fn along<T: Real, F: FnMut(&[T]) -> T + ?Sized>(f: &mut F, x: &mut [T], i: usize, v: T) -> T {
    let xi = at(x, i);
    put(x, i, v);
    let r = f(x);
    put(x, i, xi);
    r
}

/// Adaptive gradient of `f` at `x` into `grad`, with an error bound for each component in
/// `err`. Returns the evaluations used (typically `6n`, at most `2n·(3 + 3·MAX_MOVES)`).
///
/// `x` is perturbed one coordinate at a time and restored bit-exactly. Entry checks (empty,
/// lengths, NaN/Inf in `x`) write nothing. A step at which `f` is not finite shrinks the step;
/// if no window of finite values is found the call fails with [`Error::NonFiniteLoss`]
/// ([`Error::NonFiniteGradient`] if the values are finite but their quotients overflow). After
/// an error at coordinate `k`, `grad[..k]` and `err[..k]` hold finished entries and the rest
/// are unchanged. [`gradient_adaptive_n`] leaves its outputs untouched on every error.
///
/// ```
/// let mut x = [0.5f64, 2.0];
/// let (mut g, mut e) = ([0.0; 2], [0.0; 2]);
/// let f = &mut |v: &[f64]| (3.0 * v[0]).exp() + v[0] * v[1].powi(3);
/// let evals = lossmap::diff::gradient_adaptive(f, &mut x, &mut g, &mut e).unwrap();
/// let exact = [3.0 * 1.5f64.exp() + 8.0, 0.5 * 12.0];
/// for i in 0..2 {
///     assert!((g[i] - exact[i]).abs() <= e[i] && e[i] < 1e-9);
/// }
/// assert!(evals <= 30);
/// ```
pub fn gradient_adaptive<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    grad: &mut [T],
    err: &mut [T],
) -> Result<usize, Error> {
    gradient_adaptive_with(f, x, grad, err, Accuracy::Fast)
}

/// [`gradient_adaptive`] at a chosen [`Accuracy`]; `Accuracy::Fast` is `gradient_adaptive`
/// exactly. Same contract. `Accuracy::Full` uses at most `1 + 2n·(3 + 4·MAX_MOVES)` evaluations.
///
/// ```
/// use lossmap::diff::{gradient_adaptive_with, Accuracy};
/// // A degree-6 polynomial with |f| ≫ 1: f = 1e4·(x⁶ + x·y), ∇f = 1e4·(6x⁵ + y, x).
/// let f = &mut |v: &[f64]| 1e4 * (v[0].powi(6) + v[0] * v[1]);
/// let mut x = [1.5f64, 2.0];
/// let (mut g, mut e) = ([0.0; 2], [0.0; 2]);
/// gradient_adaptive_with(f, &mut x, &mut g, &mut e, Accuracy::Full).unwrap();
/// let exact = [1e4 * (6.0 * 1.5f64.powi(5) + 2.0), 1.5e4];
/// for i in 0..2 {
///     assert!((g[i] - exact[i]).abs() <= e[i] && e[i] <= 1e-9 * exact[0]);
/// }
/// ```
pub fn gradient_adaptive_with<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    grad: &mut [T],
    err: &mut [T],
    accuracy: Accuracy,
) -> Result<usize, Error> {
    check_len(grad.len(), x.len())?;
    check_len(err.len(), x.len())?;
    check_finite(x)?;
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut evals = 1usize;
    for i in 0..x.len() {
        let xi = at(x, i);
        let hs = base_step(xi, 1);
        let unit = f0.abs() / xi.abs().max(T::ONE);
        let (lim, steps) = walk(1, unit, T::ZERO, accuracy, &mut |k| {
            let h = representable(xi, hs * factor::<T>(k));
            let (p, m) = (along(f, x, i, xi + h), along(f, x, i, xi - h));
            if !(p.is_finite() && m.is_finite()) {
                return Ok(None);
            }
            let q = (p - m) / (T::TWO * h);
            let c = reach(xi, h, p, m, f0);
            let r = (noise(p, c) + noise(m, c)) / (T::TWO * h);
            Ok(Some((q, r)))
        })?;
        evals = evals.saturating_add(2 * steps);
        put(grad, i, lim.value);
        put(err, i, lim.error);
    }
    Ok(evals)
}

/// Adaptive Hessian of `f` at `x` from values, into the `n×n` row-major `out`, with an error
/// bound for each entry in `err` (same shape). Diagonal entries come from central second
/// differences `(f(x+h) + f(x−h) − 2f(x))/h²`, off-diagonal ones from the four-point mixed
/// difference `(f(++) + f(−−) − f(+−) − f(−+))/4hᵢhⱼ`, each walked and extrapolated on its own
/// (`d = 2`). Returns the evaluations used (typically `1 + 6n + 12·n(n−1)/2`). The result is
/// symmetric by construction.
///
/// Same contract as [`gradient_adaptive`]; after an error `out` and `err` hold finished
/// entries (finite) and are otherwise unchanged. [`hessian_adaptive_n`] leaves them untouched.
///
/// ```
/// // f = x² y + exp(y): H = [[2y, 2x], [2x, exp(y)]].
/// let mut x = [1.0f64, 2.0];
/// let (mut h, mut e) = ([0.0; 4], [0.0; 4]);
/// lossmap::diff::hessian_adaptive(&mut |v: &[f64]| v[0] * v[0] * v[1] + v[1].exp(), &mut x, &mut h, &mut e).unwrap();
/// for ((got, want), bound) in h.iter().zip([4.0, 2.0, 2.0, 2f64.exp()]).zip(e) {
///     assert!((got - want).abs() <= bound && bound < 1e-7);
/// }
/// ```
pub fn hessian_adaptive<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    out: &mut [T],
    err: &mut [T],
) -> Result<usize, Error> {
    hessian_adaptive_with(f, x, out, err, Accuracy::Fast)
}

/// [`hessian_adaptive`] at a chosen [`Accuracy`]; `Accuracy::Fast` is `hessian_adaptive`
/// exactly. Same contract.
///
/// ```
/// use lossmap::diff::{hessian_adaptive_with, Accuracy};
/// // f = x⁴y + exp(y): H = [[12x²y, 4x³], [4x³, exp(y)]].
/// let mut x = [1.0f64, 2.0];
/// let (mut h, mut e) = ([0.0; 4], [0.0; 4]);
/// let f = &mut |v: &[f64]| v[0].powi(4) * v[1] + v[1].exp();
/// hessian_adaptive_with(f, &mut x, &mut h, &mut e, Accuracy::Full).unwrap();
/// for ((got, want), bound) in h.iter().zip([24.0, 4.0, 4.0, 2f64.exp()]).zip(e) {
///     assert!((got - want).abs() <= bound && bound < 1e-7);
/// }
/// ```
pub fn hessian_adaptive_with<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &mut [T],
    out: &mut [T],
    err: &mut [T],
    accuracy: Accuracy,
) -> Result<usize, Error> {
    let n = x.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    if n.checked_mul(n) != Some(out.len()) || err.len() != out.len() {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut evals = 1usize;
    for i in 0..n {
        let xi = at(x, i);
        let hs = base_step(xi, 2);
        let unit = f0.abs() / (xi.abs().max(T::ONE) * xi.abs().max(T::ONE));
        let (lim, steps) = walk(2, unit, T::ZERO, accuracy, &mut |k| {
            let h = representable(xi, hs * factor::<T>(k));
            let (p, m) = (along(f, x, i, xi + h), along(f, x, i, xi - h));
            if !(p.is_finite() && m.is_finite()) {
                return Ok(None);
            }
            let c = reach(xi, h, p, m, f0);
            let r = (noise(p, c) + noise(m, c) + T::TWO * noise(f0, c)) / (h * h);
            Ok(Some(((p - f0 + (m - f0)) / (h * h), r)))
        })?;
        evals = evals.saturating_add(2 * steps);
        put(out, i * n + i, lim.value);
        put(err, i * n + i, lim.error);
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let (xi, xj) = (at(x, i), at(x, j));
            let (si, sj) = (base_step(xi, 2), base_step(xj, 2));
            let unit = f0.abs() / (xi.abs().max(T::ONE) * xj.abs().max(T::ONE));
            // A mixed derivative is judged on the scale of the diagonal it couples,
            // `√(|Hᵢᵢ|·|Hⱼⱼ|)` (its bound for a semidefinite Hessian).
            let coupled = (at(out, i * n + i).abs() * at(out, j * n + j).abs()).sqrt();
            let (lim, steps) = walk(2, unit, coupled, accuracy, &mut |k| {
                let hi = representable(xi, si * factor::<T>(k));
                let hj = representable(xj, sj * factor::<T>(k));
                let mut v = [T::ZERO; 4];
                for (slot, (a, b)) in v
                    .iter_mut()
                    .zip([(hi, hj), (-hi, -hj), (hi, -hj), (-hi, hj)])
                {
                    put(x, i, xi + a);
                    put(x, j, xj + b);
                    *slot = f(x);
                    put(x, j, xj);
                    put(x, i, xi);
                    if !slot.is_finite() {
                        return Ok(None);
                    }
                }
                let q = T::from_f64(4.0) * hi * hj;
                let ratio = ((xi.abs() + hi) / hi).max((xj.abs() + hj) / hj);
                let c = ratio * v.iter().fold(T::ZERO, |s, &a| s.max((a - f0).abs()));
                let r = v.iter().fold(T::ZERO, |s, &a| s + noise(a, c)) / q;
                Ok(Some(((v[0] - v[2] + (v[1] - v[3])) / q, r)))
            })?;
            evals = evals.saturating_add(4 * steps);
            for (a, b) in [(i, j), (j, i)] {
                put(out, a * n + b, lim.value);
                put(err, a * n + b, lim.error);
            }
        }
    }
    Ok(evals)
}

/// Adaptive derivative of a vector function `g(t)` at `t = 0` along a line: the gradient at
/// `base + t·dir` for the steps of a walk, differenced centrally, extrapolated per entry. The
/// walk is common to all entries (moved by the summed truncation and rounding estimates).
/// `work` is `7n` for [`Accuracy::Fast`] (three quotient rows, three rounding rows, one
/// gradient) and `9n` for [`Accuracy::Full`] (four of each); `point` is `n`. `Full` then
/// refines the line as [`refine_line`] says.
#[allow(clippy::too_many_arguments)]
fn line_of_gradients<T: Real, G>(
    grad: &mut G,
    base: &[T],
    dir: Dir<'_, T>,
    h_star: T,
    accuracy: Accuracy,
    point: &mut [T],
    out: &mut [T],
    err: &mut [T],
    work: &mut [T],
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = base.len();
    let slots = match accuracy {
        Accuracy::Fast => 3,
        Accuracy::Full => 4,
    };
    let (rows, gm) = work
        .split_at_mut_checked(2 * slots * n)
        .ok_or(Error::LengthMismatch)?;
    let gm = gm.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let mut line = Line {
        grad,
        base,
        dir,
        h_star,
        slots,
        slot_of: [usize::MAX; 4],
        ev: Evals::default(),
    };
    let (mut seen, mut moves) = (0u32, 0usize);
    let mut best = T::MAX_R;
    let mut have_best = false;
    let mut best_j = 0usize;
    let mut j = K0.saturating_sub(1);
    let mut restarted = false;
    'walk: loop {
        seen |= 1 << j;
        let mut failed = None;
        for k in j..j + 3 {
            match line.row(k, point, rows, gm) {
                Ok(()) => {}
                Err(Error::NonFiniteGradient) => {
                    failed = Some(k);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if let Some(k) = failed {
            // A step where the gradient fails or is not finite (a barrier crossed): every
            // larger step is suspect too, so the window restarts below it, as the walk of
            // values does. The rows of the window's smaller steps stay valid.
            j = k + 1;
            restarted = true;
            if j + 3 > KN || have_best {
                break 'walk;
            }
            continue 'walk;
        }
        let (q, rr) = rows
            .split_at_checked(slots * n)
            .ok_or(Error::LengthMismatch)?;
        let (mut st, mut sr, mut total) = (T::ZERO, T::ZERO, T::ZERO);
        let (mut sn, mut sbig, mut ssmall) = (T::ZERO, T::ZERO, T::ZERO);
        for i in 0..n {
            let (dq, dr) = window(q, rr, slots, n, j, i);
            let (_, t, r, nu) = extrapolate(dq, dr);
            st += t;
            sr += r;
            sn += nu;
            sbig += dr[0];
            ssmall += dr[2];
            total += t + r;
        }
        if !total.is_finite() {
            return Err(Error::NonFiniteGradient);
        }
        if !have_best || total < best {
            have_best = true;
            best = total;
            best_j = j;
            for i in 0..n {
                let (dq, dr) = window(q, rr, slots, n, j, i);
                let (v, t, r, _) = extrapolate(dq, dr);
                put(out, i, v);
                put(err, i, t + r);
            }
        }
        // A window at the classical balance moves only far from it (the band rule); one placed
        // below a barrier has no such claim and moves to the model's optimum.
        let shift = if restarted {
            moves_by(st, sr, T::ZERO, sbig, ssmall, 1, true)
        } else {
            moves_by(st, sr, sn, sbig, ssmall, 1, false)
        };
        if shift == 0 || moves >= MAX_MOVES {
            break;
        }
        let nj = j as isize + shift;
        if nj < 0 || nj as usize + 3 > KN || seen & (1 << nj) != 0 {
            break;
        }
        j = nj as usize;
        moves += 1;
    }
    if !have_best {
        return Err(Error::NonFiniteGradient);
    }
    if accuracy == Accuracy::Full {
        refine_line(&mut line, best_j, point, rows, gm, out, err);
    }
    Ok(line.ev)
}

/// The window `(D_j, D_{j+1}, D_{j+2})` of entry `i` and its rounding bounds, from rows kept in
/// `slots` slots (`k mod slots`) of `n` values each.
fn window<T: Real>(
    q: &[T],
    rr: &[T],
    slots: usize,
    n: usize,
    j: usize,
    i: usize,
) -> ([T; 3], [T; 3]) {
    let at_k = |buf: &[T], k: usize| at(buf, slot(k, slots) * n + i);
    (
        [at_k(q, j), at_k(q, j + 1), at_k(q, j + 2)],
        [at_k(rr, j), at_k(rr, j + 1), at_k(rr, j + 2)],
    )
}

/// The slot of step `k` among `slots` (3 or 4) row slots: `k mod slots`, by constant divisors.
fn slot(k: usize, slots: usize) -> usize {
    if slots == 4 {
        k % 4
    } else {
        k % 3
    }
}

/// The state of a [`line_of_gradients`]: the gradient, the line, and which step each row slot
/// holds.
struct Line<'g, 'd, T, G: ?Sized> {
    grad: &'g mut G,
    base: &'d [T],
    dir: Dir<'d, T>,
    h_star: T,
    slots: usize,
    slot_of: [usize; 4],
    ev: Evals,
}

impl<T: Real, G> Line<'_, '_, T, G>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    /// Makes slot `k mod slots` of `rows` hold the quotient row of step `k` (the central
    /// difference of the gradient) and its rounding bounds, evaluating the two gradients unless
    /// it already does. A failing or non-finite gradient is [`Error::NonFiniteGradient`] (the
    /// slot is then marked empty).
    fn row(
        &mut self,
        k: usize,
        point: &mut [T],
        rows: &mut [T],
        gm: &mut [T],
    ) -> Result<(), Error> {
        let n = self.base.len();
        let s = slot(k, self.slots);
        if self.slot_of.get(s).copied() == Some(k) {
            return Ok(());
        }
        if let Some(v) = self.slot_of.get_mut(s) {
            // Empty until the row is complete.
            *v = usize::MAX;
        }
        let (base, h_star) = (self.base, self.h_star);
        let h = match self.dir {
            Dir::Axis(a) => representable(at(base, a), h_star * factor::<T>(k)),
            Dir::Along(..) => h_star * factor::<T>(k),
        };
        let reach = match self.dir {
            Dir::Axis(a) => at(base, a).abs() + h,
            // `q ≈ H·v`: the inputs' rounding scale in `t` along `v` (plus the step).
            Dir::Along(_, sr) => sr + h,
        };
        let (q, rr) = rows
            .split_at_mut_checked(self.slots * n)
            .ok_or(Error::LengthMismatch)?;
        let qs = q.get_mut(s * n..(s + 1) * n).ok_or(Error::LengthMismatch)?;
        let rs = rr
            .get_mut(s * n..(s + 1) * n)
            .ok_or(Error::LengthMismatch)?;
        for (sign, buf) in [(T::ONE, 0u8), (-T::ONE, 1)] {
            match self.dir {
                Dir::Axis(a) => {
                    point.iter_mut().zip(base).for_each(|(p, &b)| *p = b);
                    put(point, a, at(base, a) + sign * h);
                }
                Dir::Along(v, _) => {
                    for ((p, &b), &d) in point.iter_mut().zip(base).zip(v) {
                        *p = b + sign * h * d;
                    }
                }
            }
            let target: &mut [T] = if buf == 0 { &mut *qs } else { &mut *gm };
            let used = (self.grad)(point, target).map_err(|_| Error::NonFiniteGradient)?;
            self.ev.values = self.ev.values.saturating_add(used);
            self.ev.gradients = self.ev.gradients.saturating_add(1);
            check_finite(target).map_err(|_| Error::NonFiniteGradient)?;
        }
        // A gradient's entries are computed from common intermediate values: each carries
        // the rounding of the largest one (an entry that cancels to ~0 is not exact).
        let gscale = norm_inf(qs).max(norm_inf(gm));
        for ((qv, rv), &m) in qs.iter_mut().zip(rs.iter_mut()).zip(gm.iter()) {
            let q = (*qv - m) / (T::TWO * h);
            let c = reach * q + gscale;
            *rv = (noise(*qv, c) + noise(m, c)) / (T::TWO * h);
            *qv = q;
            if !(qv.is_finite() && rv.is_finite()) {
                return Err(Error::NonFiniteGradient);
            }
        }
        if let Some(v) = self.slot_of.get_mut(s) {
            *v = k;
        }
        Ok(())
    }
}

/// [`Accuracy::Full`] on a line, after the walk left the window `best_j`'s values and bounds
/// `|R₂ − R₁| + ρ` in `out`, `err`.
///
/// The line is judged on its largest entry: the trigger is `maxᵢ errᵢ > 4·ε^{6/7}·‖out‖∞`
/// (`d = 1`: the derivative of a gradient; the entries of one line share the gradient's
/// rounding, which scales with the line's largest entries, and a Hessian's error is measured
/// against its largest entry). Then, as in [`walk`], one more step `2h` gives `R₂'` over the
/// window shifted one step up and `eᵢ = |R₂ᵢ − R₂ᵢ'| + ρᵢ` estimates the error of each `R₂ᵢ`;
/// every entry keeps the value of its least estimate (the walk's bound included), and the
/// window keeps moving up one step while the worst estimate `maxᵢ eᵢ` falls (at most
/// [`MAX_MOVES`] steps). A gradient that fails or is not finite at a larger step ends the
/// search; what was kept stays.
fn refine_line<T: Real, G>(
    line: &mut Line<'_, '_, T, G>,
    best_j: usize,
    point: &mut [T],
    rows: &mut [T],
    gm: &mut [T],
    out: &mut [T],
    err: &mut [T],
) where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = line.base.len();
    let slots = line.slots;
    // `ε^{6/7}`: the least error of the order-6 extrapolation of a first derivative.
    let reach6 = T::EPSILON_R.powf(T::from_f64(6.0 / 7.0));
    let scale = norm_inf(out);
    let worst = err.iter().fold(T::ZERO, |m, &e| m.max(e));
    if worst <= T::from_f64(REFINE_TRIGGER) * reach6 * scale {
        return;
    }
    // The walk may have moved on from the best window: its rows again (same steps, same values).
    for k in best_j..best_j + 3 {
        if line.row(k, point, rows, gm).is_err() {
            return;
        }
    }
    let mut jc = best_j;
    let mut last = T::MAX_R;
    for _ in 0..MAX_MOVES {
        let Some(k) = jc.checked_sub(1) else { return };
        if line.row(k, point, rows, gm).is_err() {
            return;
        }
        let Some((q, rr)) = rows.split_at_checked(slots * n) else {
            return;
        };
        let mut max_e = T::ZERO;
        for i in 0..n {
            let (dq, dr) = window(q, rr, slots, n, jc, i);
            let (v, _, rho, _) = extrapolate(dq, dr);
            let (uq, ur) = window(q, rr, slots, n, k, i);
            let (up, _, _, _) = extrapolate(uq, ur);
            let e = (v - up).abs() + rho;
            if !(v.is_finite() && e.is_finite()) {
                return;
            }
            if e < at(err, i) {
                put(out, i, v);
                put(err, i, e);
            }
            max_e = max_e.max(e);
        }
        if max_e >= last {
            return;
        }
        last = max_e;
        jc = k;
    }
}

/// Scratch length of [`hessian_from_gradient_adaptive`] and [`hvp_adaptive`] (and of their
/// `_with` forms at [`Accuracy::Fast`]) for `n` parameters: `10n` (a point, a column and its
/// errors, seven rows).
pub const fn line_work_len(n: usize) -> usize {
    10 * n
}

/// Scratch length of [`hessian_from_gradient_adaptive_with`] and [`hvp_adaptive_with`] at
/// [`Accuracy::Full`] for `n` parameters: `12n`, two rows more than [`line_work_len`] (the
/// refinement keeps four steps of quotients and their rounding bounds instead of three). It is
/// valid for both accuracies.
pub const fn line_work_len_full(n: usize) -> usize {
    12 * n
}

/// The scratch a line kernel needs at `accuracy`.
const fn line_work_for(n: usize, accuracy: Accuracy) -> usize {
    match accuracy {
        Accuracy::Fast => line_work_len(n),
        Accuracy::Full => line_work_len_full(n),
    }
}

/// Adaptive Hessian at `x` from a gradient `grad(point, g)` (which writes the gradient and
/// returns the value evaluations it used): column `j` is the adaptive central difference of the
/// gradient along `eⱼ`, then the matrix is symmetrized, `(H + Hᵀ)/2`, with error bound
/// `(eᵢⱼ + eⱼᵢ)/2 + |Hᵢⱼ − Hⱼᵢ|/2`. `out`, `err`: `n×n`; `work`: [`line_work_len`]`(n)`.
/// Returns both counts (typically `6n` gradient calls). This is
/// [`hessian_from_gradient_adaptive_with`] at [`Accuracy::Fast`].
///
/// Entry checks write nothing. A step at which the gradient fails or is not finite (a barrier
/// crossed) moves the line's window to smaller steps, as the walk of values does; only a line
/// with no usable window gives [`Error::NonFiniteGradient`]. `x` is never changed; after an
/// error `out`, `err` and `work` hold finite intermediate values to discard.
///
/// ```
/// // ∇(x²y + y³) = (2xy, x² + 3y²): H = [[2y, 2x], [2x, 6y]].
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 2.0 * p[0] * p[1]; g[1] = p[0] * p[0] + 3.0 * p[1] * p[1]; Ok(0) };
/// let (mut h, mut e, mut w) = ([0.0; 4], [0.0; 4], [0.0; 20]);
/// let ev = lossmap::diff::hessian_from_gradient_adaptive(&mut grad, &[1.0, 3.0], &mut h, &mut e, &mut w).unwrap();
/// assert_eq!((ev.values, ev.gradients), (0, 12));
/// for ((got, want), bound) in h.iter().zip([6.0, 2.0, 2.0, 18.0]).zip(e) { assert!((got - want).abs() <= bound); }
/// ```
pub fn hessian_from_gradient_adaptive<T: Real, G>(
    grad: &mut G,
    x: &[T],
    out: &mut [T],
    err: &mut [T],
    work: &mut [T],
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    hessian_from_gradient_adaptive_with(grad, x, out, err, work, Accuracy::Fast)
}

/// [`hessian_from_gradient_adaptive`] at a chosen [`Accuracy`]; `Accuracy::Fast` is
/// `hessian_from_gradient_adaptive` exactly. `work`: [`line_work_len`]`(n)` for `Fast`,
/// [`line_work_len_full`]`(n)` for `Full`. Same contract.
///
/// `Accuracy::Full` refines each column on its own, judged on the column's largest entry: where
/// the column's worst bound exceeds `4·ε^{6/7}` of `‖column‖∞`, the window walks up one step
/// at a time while the worst estimate `|R₂ − R₂'| + ρ` of the column falls (at most
/// [`MAX_MOVES`] steps), and every entry keeps its least estimate. It uses at most
/// `2·(3 + 3·MAX_MOVES) + 2·(3 + MAX_MOVES)` gradient calls per column (the walk, then the best
/// window again if the walk moved on, and the larger steps).
///
/// ```
/// use lossmap::diff::{hessian_from_gradient_adaptive_with, line_work_len_full, Accuracy};
/// // f = 1e4·(x⁸ + x·y): ∇f = 1e4·(8x⁷ + y, x), H = 1e4·[[56x⁶, 1], [1, 0]].
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 1e4 * (8.0 * p[0].powi(7) + p[1]); g[1] = 1e4 * p[0]; Ok(0) };
/// let (mut h, mut e, mut w) = ([0.0; 4], [0.0; 4], [0.0; line_work_len_full(2)]);
/// hessian_from_gradient_adaptive_with(&mut grad, &[1.5, 2.0], &mut h, &mut e, &mut w, Accuracy::Full).unwrap();
/// let exact = [1e4 * 56.0 * 1.5f64.powi(6), 1e4, 1e4, 0.0];
/// for ((got, want), bound) in h.iter().zip(exact).zip(e) {
///     assert!((got - want).abs() <= bound && bound <= 1e-10 * exact[0]);
/// }
/// ```
pub fn hessian_from_gradient_adaptive_with<T: Real, G>(
    grad: &mut G,
    x: &[T],
    out: &mut [T],
    err: &mut [T],
    work: &mut [T],
    accuracy: Accuracy,
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = x.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    if n.checked_mul(n) != Some(out.len()) || err.len() != out.len() {
        return Err(Error::LengthMismatch);
    }
    if work.len() < line_work_for(n, accuracy) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    let (point, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (col, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (cerr, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let mut total = Evals::default();
    for j in 0..n {
        let xj = at(x, j);
        let hs = base_step(xj, 1);
        let ev = line_of_gradients(grad, x, Dir::Axis(j), hs, accuracy, point, col, cerr, rest)?;
        total.values = total.values.saturating_add(ev.values);
        total.gradients = total.gradients.saturating_add(ev.gradients);
        for i in 0..n {
            put(out, i * n + j, at(col, i));
            put(err, i * n + j, at(cerr, i));
        }
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (at(out, i * n + j), at(out, j * n + i));
            let s = T::HALF * a + T::HALF * b;
            let e = T::HALF * (at(err, i * n + j) + at(err, j * n + i)) + T::HALF * (a - b).abs();
            for (p, q) in [(i, j), (j, i)] {
                put(out, p * n + q, s);
                put(err, p * n + q, e);
            }
        }
    }
    Ok(total)
}

/// The line of a [`line_of_gradients`]: a coordinate axis or a vector.
#[derive(Clone, Copy)]
enum Dir<'a, T> {
    Axis(usize),
    /// A vector and the rounding scale of `t` along it (see `along_scales`).
    Along(&'a [T], T),
}

/// Adaptive Hessian–vector product `H(x)·v` from the gradient, with an error bound per entry:
/// the central difference of the gradient along `v`, walked and extrapolated. Base step
/// `ε^{1/5}·minᵢ max(|xᵢ|, 1)/|vᵢ|` over `vᵢ ≠ 0`, rounding scale `minᵢ |xᵢ|/|vᵢ|`, as in
/// [`directional_adaptive`]. `out`, `err`: `n`; `work`: [`line_work_len`]`(n)`. `v = 0`
/// gives exactly 0 without calling the gradient. This is [`hvp_adaptive_with`] at
/// [`Accuracy::Fast`].
///
/// Entry checks write nothing; a step at which the gradient fails or is not finite moves the
/// window to smaller steps, and only a line with no usable window gives
/// [`Error::NonFiniteGradient`] (then `out`, `err`, `work` hold values to discard).
///
/// ```
/// // f = x² + 3xy + y⁴: H = [[2, 3], [3, 12y²]], at y = 1: H·(1, 2) = (8, 27).
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 2.0 * p[0] + 3.0 * p[1]; g[1] = 3.0 * p[0] + 4.0 * p[1].powi(3); Ok(0) };
/// let (mut o, mut e, mut w) = ([0.0; 2], [0.0; 2], [0.0; 20]);
/// lossmap::diff::hvp_adaptive(&mut grad, &[0.5, 1.0], &[1.0, 2.0], &mut o, &mut e, &mut w).unwrap();
/// assert!((o[0] - 8.0).abs() <= e[0] && (o[1] - 27.0).abs() <= e[1] && e[1] < 1e-8);
/// ```
pub fn hvp_adaptive<T: Real, G>(
    grad: &mut G,
    x: &[T],
    v: &[T],
    out: &mut [T],
    err: &mut [T],
    work: &mut [T],
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    hvp_adaptive_with(grad, x, v, out, err, work, Accuracy::Fast)
}

/// [`hvp_adaptive`] at a chosen [`Accuracy`]; `Accuracy::Fast` is `hvp_adaptive` exactly.
/// `work`: [`line_work_len`]`(n)` for `Fast`, [`line_work_len_full`]`(n)` for `Full`. Same
/// contract.
///
/// `Accuracy::Full` refines the product as one line judged on its largest entry: where the
/// worst bound exceeds `4·ε^{6/7}·‖H·v‖∞`, the window walks up one step at a time while the
/// worst estimate `|R₂ − R₂'| + ρ` falls (at most [`MAX_MOVES`] steps), and every entry keeps
/// its least estimate; at most `2·(3 + 3·MAX_MOVES) + 2·(3 + MAX_MOVES)` gradient calls.
///
/// ```
/// use lossmap::diff::{hvp_adaptive_with, line_work_len_full, Accuracy};
/// // f = x⁸ + x·y: ∇f = (8x⁷ + y, x), H·(1, −1) = (56x⁶ − 1, 1).
/// let mut grad = |p: &mut [f64], g: &mut [f64]| { g[0] = 8.0 * p[0].powi(7) + p[1]; g[1] = p[0]; Ok(0) };
/// let (mut o, mut e, mut w) = ([0.0; 2], [0.0; 2], [0.0; line_work_len_full(2)]);
/// hvp_adaptive_with(&mut grad, &[1.5, 2.0], &[1.0, -1.0], &mut o, &mut e, &mut w, Accuracy::Full).unwrap();
/// let exact = [56.0 * 1.5f64.powi(6) - 1.0, 1.0];
/// for ((got, want), bound) in o.iter().zip(exact).zip(e) {
///     assert!((got - want).abs() <= bound && bound <= 1e-10 * exact[0]);
/// }
/// ```
pub fn hvp_adaptive_with<T: Real, G>(
    grad: &mut G,
    x: &[T],
    v: &[T],
    out: &mut [T],
    err: &mut [T],
    work: &mut [T],
    accuracy: Accuracy,
) -> Result<Evals, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
{
    let n = x.len();
    check_len(v.len(), n)?;
    check_len(out.len(), n)?;
    check_len(err.len(), n)?;
    if work.len() < line_work_for(n, accuracy) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    check_finite(v)?;
    let vmax = norm_inf(v);
    if vmax == T::ZERO {
        out.iter_mut()
            .chain(err.iter_mut())
            .for_each(|o| *o = T::ZERO);
        return Ok(Evals::default());
    }
    let (sd, sr, big, dbig) = along_scales(x, v);
    let hs = representable(big, base_step(T::ONE, 1) * sd * dbig) / dbig;
    let (point, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    line_of_gradients(
        grad,
        x,
        Dir::Along(v, sr),
        hs,
        accuracy,
        point,
        out,
        err,
        rest,
    )
}

/// First and second directional derivatives with error bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct DirectionalEstimate<T> {
    /// `dᵀ∇f(x)`.
    pub first: T,
    /// Error bound of `first`.
    pub first_err: T,
    /// `dᵀH(x)d`.
    pub second: T,
    /// Error bound of `second`.
    pub second_err: T,
    /// Function evaluations used.
    pub evals: usize,
}

/// Adaptive first and second derivatives of `φ(t) = f(x + t·d)` at 0, with error bounds; the
/// two are walked separately (`d = 1`, `d = 2`).
///
/// The scales of `t` come from the components that move along `d`, not from `‖x‖∞`: the base
/// step is `ε^{1/(4+d)}·s_d` with `s_d = minᵢ max(|xᵢ|, 1)/|dᵢ|` over `dᵢ ≠ 0`, the `t` at
/// which the most finely resolved moving component changes by its own scale (numdifftools'
/// `directionaldiff` differentiates `f(x + t·d/‖d‖)` at `t = 0`, a unit scale in `t` whatever
/// `x` is; `s_d` is that scale where a moving component is at most 1 and grows with the
/// components otherwise). The step is made exact in the largest moving component. The rounding
/// model's input scale is `minᵢ |xᵢ|/|dᵢ|` (plus the step): with `x = (10⁶, 2·10⁻⁶)` and
/// `d = (1, −1)` the slope of `φ` comes from the small component, and a scale `‖x‖∞` would
/// charge it `10⁶` times its rounding and keep the bound from falling with the step.
/// `point` (length `n`) is scratch. Errors as [`directional`](super::directional).
///
/// ```
/// // f = x³ + xy along (1, 0) at (1, 2): φ' = 3x² + y = 5, φ'' = 6x = 6.
/// let mut p = [0.0; 2];
/// let r = lossmap::diff::directional_adaptive(&mut |v: &[f64]| v[0].powi(3) + v[0] * v[1], &[1.0, 2.0], &[1.0, 0.0], &mut p).unwrap();
/// assert!((r.first - 5.0).abs() <= r.first_err && (r.second - 6.0).abs() <= r.second_err);
/// ```
pub fn directional_adaptive<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &[T],
    d: &[T],
    point: &mut [T],
) -> Result<DirectionalEstimate<T>, Error> {
    directional_adaptive_with(f, x, d, point, Accuracy::Fast)
}

/// [`directional_adaptive`] at a chosen [`Accuracy`]; `Accuracy::Fast` is
/// `directional_adaptive` exactly. Same contract.
///
/// ```
/// use lossmap::diff::{directional_adaptive_with, Accuracy};
/// // f = x³ + xy along (1, 0) at (1, 2): φ' = 3x² + y = 5, φ'' = 6x = 6.
/// let mut p = [0.0; 2];
/// let f = &mut |v: &[f64]| v[0].powi(3) + v[0] * v[1];
/// let r = directional_adaptive_with(f, &[1.0, 2.0], &[1.0, 0.0], &mut p, Accuracy::Full).unwrap();
/// assert!((r.first - 5.0).abs() <= r.first_err && (r.second - 6.0).abs() <= r.second_err);
/// ```
pub fn directional_adaptive_with<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &[T],
    d: &[T],
    point: &mut [T],
    accuracy: Accuracy,
) -> Result<DirectionalEstimate<T>, Error> {
    let n = x.len();
    check_len(d.len(), n)?;
    check_len(point.len(), n)?;
    check_finite(x)?;
    check_finite(d)?;
    let dmax = norm_inf(d);
    if dmax == T::ZERO {
        return Err(Error::InvalidParameter);
    }
    // Scales of `t` from the components moving along `d` (not `‖x‖∞`).
    let (sd, sr, big, dbig) = along_scales(x, d);
    let mut phi = |t: T, point: &mut [T]| {
        for ((p, &xi), &di) in point.iter_mut().zip(x).zip(d) {
            *p = xi + t * di;
        }
        f(point)
    };
    let f0 = phi(T::ZERO, point);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut evals = 1usize;
    let mut res = [Limit {
        value: T::ZERO,
        error: T::ZERO,
    }; 2];
    for (order, slot) in [1usize, 2].into_iter().zip(res.iter_mut()) {
        let hs = representable(big, base_step(T::ONE, order) * sd * dbig) / dbig;
        let unit = if order == 1 {
            f0.abs() / sd
        } else {
            f0.abs() / (sd * sd)
        };
        let (lim, steps) = walk(order, unit, T::ZERO, accuracy, &mut |k| {
            let h = hs * factor::<T>(k);
            let (p, m) = (phi(h, point), phi(-h, point));
            if !(p.is_finite() && m.is_finite()) {
                return Ok(None);
            }
            let c = reach(sr, h, p, m, f0);
            Ok(Some(if order == 1 {
                (
                    (p - m) / (T::TWO * h),
                    (noise(p, c) + noise(m, c)) / (T::TWO * h),
                )
            } else {
                (
                    (p - f0 + (m - f0)) / (h * h),
                    (noise(p, c) + noise(m, c) + T::TWO * noise(f0, c)) / (h * h),
                )
            }))
        })?;
        evals = evals.saturating_add(2 * steps);
        *slot = lim;
    }
    let [a, b] = res;
    Ok(DirectionalEstimate {
        first: a.value,
        first_err: a.error,
        second: b.value,
        second_err: b.error,
        evals,
    })
}

/// Typed adaptive gradient: `grad` and `err` are written only on success.
///
/// ```
/// let (mut g, mut e) = ([0.0f64; 2], [0.0; 2]);
/// lossmap::diff::gradient_adaptive_n(|x: &[f64; 2]| x[0].sin() * x[1], &[0.3, 2.0], &mut g, &mut e).unwrap();
/// assert!((g[0] - 2.0 * 0.3f64.cos()).abs() <= e[0] && (g[1] - 0.3f64.sin()).abs() <= e[1]);
/// ```
pub fn gradient_adaptive_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    mut f: F,
    x: &[T; N],
    grad: &mut [T; N],
    err: &mut [T; N],
) -> Result<usize, Error> {
    let (mut xw, mut g, mut e) = (*x, [T::ZERO; N], [T::ZERO; N]);
    let evals = gradient_adaptive(&mut super::sliced(&mut f), &mut xw, &mut g, &mut e)?;
    *grad = g;
    *err = e;
    Ok(evals)
}

/// Typed adaptive Hessian from values: `out` and `err` are written only on success.
///
/// ```
/// let (mut h, mut e) = ([[0.0f64; 2]; 2], [[0.0; 2]; 2]);
/// lossmap::diff::hessian_adaptive_n(|x: &[f64; 2]| x[0] * x[1], &[3.0, 4.0], &mut h, &mut e).unwrap();
/// assert!((h[0][1] - 1.0).abs() <= e[0][1] && h[0][0].abs() <= e[0][0]);
/// ```
pub fn hessian_adaptive_n<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    mut f: F,
    x: &[T; N],
    out: &mut [[T; N]; N],
    err: &mut [[T; N]; N],
) -> Result<usize, Error> {
    let mut xw = *x;
    let (mut h, mut e) = ([[T::ZERO; N]; N], [[T::ZERO; N]; N]);
    let evals = hessian_adaptive(
        &mut super::sliced(&mut f),
        &mut xw,
        h.as_flattened_mut(),
        e.as_flattened_mut(),
    )?;
    *out = h;
    *err = e;
    Ok(evals)
}

/// Typed adaptive Hessian from the objective's gradient: `out` and `err` are written only on
/// success. Returns both counts: an objective without an analytic gradient differentiates its
/// values centrally, so each of the gradient calls costs `2N` values.
///
/// ```
/// use lossmap::testfn::Rosenbrock;
/// let (mut h, mut e) = ([[0.0f64; 2]; 2], [[0.0; 2]; 2]);
/// let ev = lossmap::diff::hessian_from_gradient_adaptive_n(&mut Rosenbrock, &[1.0, 1.0], &mut h, &mut e).unwrap();
/// assert!((h[0][0] - 802.0).abs() <= e[0][0] && (h[0][1] + 400.0).abs() <= e[0][1]);
/// assert_eq!(ev.values, 0); // analytic gradient
/// ```
pub fn hessian_from_gradient_adaptive_n<T, O, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    out: &mut [[T; N]; N],
    err: &mut [[T; N]; N],
) -> Result<Evals, Error>
where
    T: Real,
    O: Objective<T, N> + ?Sized,
{
    let (mut h, mut e) = ([[T::ZERO; N]; N], [[T::ZERO; N]; N]);
    let mut w = Work10::<T, N>::new();
    let ev = hessian_from_gradient_adaptive(
        &mut super::hessian_grad::typed_grad(obj),
        x,
        h.as_flattened_mut(),
        e.as_flattened_mut(),
        w.as_mut(),
    )?;
    *out = h;
    *err = e;
    Ok(ev)
}

/// Typed adaptive Hessian–vector product: `out` and `err` are written only on success.
///
/// ```
/// use lossmap::testfn::Rosenbrock;
/// let (mut hv, mut e) = ([0.0f64; 2], [0.0; 2]);
/// lossmap::diff::hvp_adaptive_n(&mut Rosenbrock, &[1.0, 1.0], &[1.0, 0.0], &mut hv, &mut e).unwrap();
/// assert!((hv[0] - 802.0).abs() <= e[0] && (hv[1] + 400.0).abs() <= e[1]);
/// ```
pub fn hvp_adaptive_n<T, O, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    v: &[T; N],
    out: &mut [T; N],
    err: &mut [T; N],
) -> Result<Evals, Error>
where
    T: Real,
    O: Objective<T, N> + ?Sized,
{
    let (mut o, mut e) = ([T::ZERO; N], [T::ZERO; N]);
    let mut w = Work10::<T, N>::new();
    let ev = hvp_adaptive(
        &mut super::hessian_grad::typed_grad(obj),
        x,
        v,
        &mut o,
        &mut e,
        w.as_mut(),
    )?;
    *out = o;
    *err = e;
    Ok(ev)
}

/// `10N` scratch values on the stack.
struct Work10<T, const N: usize>([[T; N]; 10]);

impl<T: Real, const N: usize> Work10<T, N> {
    fn new() -> Self {
        Work10([[T::ZERO; N]; 10])
    }
    fn as_mut(&mut self) -> &mut [T] {
        self.0.as_flattened_mut()
    }
}
