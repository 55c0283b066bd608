//! C entry points of differential evolution and dual annealing (Rust
//! [`differential_evolution_slice`], [`dual_annealing_slice`]) and of the Latin-hypercube
//! initial population. Conventions as in `global.rs`: the loss callback, the box, a
//! configuration struct, an optional projected-gradient `polish` (a `lossmap_polish_*`, NULL: none), the generator
//! `lossmap_rng` (advanced only on success), caller-owned buffers and an optional report;
//! everything is checked before anything is written, outputs must not overlap any other buffer
//! of the call.

use super::diff::{CLoss, LossFn};
use super::global::{checked_box, local, read, LossmapPolish, LossmapSearchReport};
use super::global_population::fill_points;
use super::ptr::{check, clear_of, copy, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::global::{
    check_start, differential_evolution_slice, dual_annealing_slice, latin_hypercube,
    DifferentialEvolutionConfig, DualAnnealingConfig,
};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

// Literal values: cbindgen cannot evaluate the Rust constants; a unit test keeps them equal.
/// Differential-evolution strategy best1bin: mutant `x_best + F·(x_r0 − x_r1)`, binomial
/// crossover (`strategy` of `lossmap_differential_evolution_config_*`; scipy's default).
pub const LOSSMAP_DE_BEST1BIN: i32 = 0;
/// Differential-evolution strategy rand1bin: mutant `x_r0 + F·(x_r1 − x_r2)`, binomial
/// crossover.
pub const LOSSMAP_DE_RAND1BIN: i32 = 1;

#[allow(clippy::too_many_arguments)]
unsafe fn de<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const DifferentialEvolutionConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    pop: *mut T,
    p: usize,
    fit: *mut T,
    best: *mut T,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // SAFETY: checked by `read` / `local`; validity is the caller's contract.
    let (cfg, spec, mut g) = unsafe {
        (
            read(config)?,
            local(polish)?,
            read(rng as *const SplitMix64)?,
        )
    };
    let mut bx = [Arg::of(lower, n, READ), Arg::of(upper, n, READ)];
    check(&mut bx)?;
    // P < 5 and the other parameters, before the population's lengths.
    cfg.validate(p)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let pn = mul_len(p, n);
    let base = work::differential_evolution(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: the population, its losses, best, work, the generator, the report; read: the
    // box (checked above), the config, the polish.
    let mut rest = [
        Arg::of(pop as *const T, pn, WRITTEN),
        Arg::of(fit as *const T, p, WRITTEN),
        Arg::of(best as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(
            report as *const LossmapSearchReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(config, 1, READ),
        Arg::of(polish, 1, READ | OPTIONAL),
    ];
    check(&mut rest)?;
    clear_of(&rest, &bx)?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    // SAFETY: checked non-null, aligned, sized and disjoint from each other and the inputs by
    // `check` and `clear_of`.
    let (pop, fit, best, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(pop, pn),
            core::slice::from_raw_parts_mut(fit, p),
            core::slice::from_raw_parts_mut(best, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (work, mut local) = spec.bind(n, base, work)?;
    let (trial, scratch) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let r = differential_evolution_slice(
        &mut loss, &mut local, &mut g, &bounds, &cfg, pop, fit, trial, best, scratch,
    )?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn da<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const DualAnnealingConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // SAFETY: checked by `read` / `local`; validity is the caller's contract.
    let (cfg, spec, mut g) = unsafe {
        (
            read(config)?,
            local(polish)?,
            read(rng as *const SplitMix64)?,
        )
    };
    // Overflowing lengths are refused by `check` in the work buffer's turn.
    let base = work::dual_annealing(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: x, work, the generator, the report; read: the box, the config, the polish.
    check(&mut [
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(
            report as *const LossmapSearchReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(config, 1, READ),
        Arg::of(polish, 1, READ | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    cfg.validate()?;
    spec.validate()?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    // The start, before even the scratch is written.
    check_start(&bounds, x)?;
    let (work, mut local) = spec.bind(n, base, work)?;
    let (current, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (trial, scratch) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    copy(current, x);
    // The kernel's `x` is the copy in `work` (current point out); the caller's `x` is `best`.
    let r = dual_annealing_slice(
        &mut loss, &mut local, &mut g, &bounds, &cfg, current, x, trial, scratch,
    )?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

unsafe fn lhs<T: Real>(
    lower: *const T,
    upper: *const T,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut T,
    k: usize,
) -> Result<(), Error> {
    // SAFETY: the caller's contract, as `fill_points` states it.
    unsafe {
        fill_points(lower, upper, n, rng, points, k, |g, bounds, points| {
            latin_hypercube(g, bounds, points)
        })
    }
}

/// Differential-evolution defaults (f32), scipy's: default budget with 1000 generations,
/// best1bin, mutation dithered in [0.5, 1), recombination 0.7, tol 0.01, atol 0.
#[no_mangle]
pub extern "C" fn lossmap_differential_evolution_config_default_f32(
) -> DifferentialEvolutionConfig<f32> {
    DifferentialEvolutionConfig::default()
}

/// Differential-evolution defaults (f64), scipy's: default budget with 1000 generations,
/// best1bin, mutation dithered in [0.5, 1), recombination 0.7, tol 0.01, atol 0.
#[no_mangle]
pub extern "C" fn lossmap_differential_evolution_config_default_f64(
) -> DifferentialEvolutionConfig<f64> {
    DifferentialEvolutionConfig::default()
}

/// Dual-annealing defaults (f32), scipy's: default budget with 1000 iterations, initial_temp
/// 5230, restart_temp_ratio 2e-5, visit 2.62, accept −5.
#[no_mangle]
pub extern "C" fn lossmap_dual_annealing_config_default_f32() -> DualAnnealingConfig<f32> {
    DualAnnealingConfig::default()
}

/// Dual-annealing defaults (f64), scipy's: default budget with 1000 iterations, initial_temp
/// 5230, restart_temp_ratio 2e-5, visit 2.62, accept −5.
#[no_mangle]
pub extern "C" fn lossmap_dual_annealing_config_default_f64() -> DualAnnealingConfig<f64> {
    DualAnnealingConfig::default()
}

/// Fills `points[k×n]` (row-major, `k` ≥ 1) with a Latin hypercube sample of the box
/// `lower[n]`..`upper[n]` with `rng` (f32): each coordinate's range cut into `k` strata, each
/// holding exactly one point (scipy's `init='latinhypercube'`), the initial population of
/// `lossmap_differential_evolution_f32`. Bad input changes nothing (the generator included).
#[no_mangle]
pub unsafe extern "C" fn lossmap_latin_hypercube_f32(
    lower: *const f32,
    upper: *const f32,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut f32,
    k: usize,
) -> i32 {
    status(unsafe { lhs(lower, upper, n, rng, points, k) })
}

/// Fills `points[k×n]` (row-major, `k` ≥ 1) with a Latin hypercube sample of the box
/// `lower[n]`..`upper[n]` with `rng` (f64); see `lossmap_latin_hypercube_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_latin_hypercube_f64(
    lower: *const f64,
    upper: *const f64,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut f64,
    k: usize,
) -> i32 {
    status(unsafe { lhs(lower, upper, n, rng, points, k) })
}

/// Differential evolution (f32; Storn & Price 1997, scipy's defaults): `pop[p×n]` (row-major,
/// every row inside the box `lower[n]`..`upper[n]`; `lossmap_latin_hypercube_f32` gives
/// scipy's initialization) is the initial population of `p` ≥ 5 members (15·n is scipy's
/// default) and holds the last generation on return, with its losses in `fit[p]` (+Inf for a
/// non-finite loss); members are replaced one at a time by best1bin or rand1bin trials
/// (`LOSSMAP_DE_*`) until the losses converge (`LOSSMAP_SEARCH_CONVERGED`) or a budget ends,
/// then the best member is polished by `polish` (a `lossmap_polish_*`, NULL: none) unless the target was reached.
/// `best[n]` receives the best point evaluated. `work` holds
/// `lossmap_differential_evolution_work_len(n)` = `4n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `rng` is advanced only on
/// success; `report` may be NULL (`iterations` counts generations, `accepted` accepted
/// trials). `p < 5` and other bad parameters are `LOSSMAP_ERR_PARAM`; bad input changes
/// nothing; `LOSSMAP_ERR_LOSS_NON_FINITE` when no initial member has a finite loss.
#[no_mangle]
pub unsafe extern "C" fn lossmap_differential_evolution_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const DifferentialEvolutionConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    pop: *mut f32,
    p: usize,
    fit: *mut f32,
    best: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        de(
            f, ctx, lower, upper, n, config, polish, rng, pop, p, fit, best, work, report,
        )
    })
}

/// Differential evolution (f64); see `lossmap_differential_evolution_f32`. Buffers:
/// `lower[n]`, `upper[n]`, `pop[p×n]`, `fit[p]`, `best[n]`, `work` of
/// `lossmap_differential_evolution_work_len(n)` = `4n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `p` ≥ 5.
#[no_mangle]
pub unsafe extern "C" fn lossmap_differential_evolution_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const DifferentialEvolutionConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    pop: *mut f64,
    p: usize,
    fit: *mut f64,
    best: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        de(
            f, ctx, lower, upper, n, config, polish, rng, pop, p, fit, best, work, report,
        )
    })
}

/// Dual annealing (f32; generalized simulated annealing, Tsallis & Stariolo 1996, Xiang et al.
/// 1997, as scipy's `dual_annealing`): strategy chains of `2n` visits from the Tsallis visiting
/// distribution (all coordinates, then one at a time) with the generalized Metropolis test,
/// the temperature `T0·(2^(qv−1) − 1)/((1 + t)^(qv−1) − 1)`, restarts, and `polish` (a `lossmap_polish_*`, NULL: none)
/// of the best point after each improving chain, in the box `lower[n]`..`upper[n]`. `x[n]` is
/// the start (inside the box) on entry and the best point on return. `work` holds
/// `lossmap_dual_annealing_work_len(n)` = `5n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); on return `work[0..n]` is the chain's
/// current point. `rng` is advanced only on success; `report` may be NULL (`iterations` counts
/// chains). Bad input (including a start outside the box) changes nothing;
/// `LOSSMAP_ERR_LOSS_NON_FINITE` when the start's loss is not finite. During the run a visit
/// whose loss is NaN or ±Inf is rejected, so the outputs stay finite.
#[no_mangle]
pub unsafe extern "C" fn lossmap_dual_annealing_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const DualAnnealingConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    x: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        da(
            f, ctx, lower, upper, n, config, polish, rng, x, work, report,
        )
    })
}

/// Dual annealing (f64); see `lossmap_dual_annealing_f32`. Buffers: `lower[n]`, `upper[n]`,
/// `x[n]` (start in, best out), `work` of `lossmap_dual_annealing_work_len(n)` = `5n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish).
#[no_mangle]
pub unsafe extern "C" fn lossmap_dual_annealing_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const DualAnnealingConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    x: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        da(
            f, ctx, lower, upper, n, config, polish, rng, x, work, report,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::global::{DE_BEST1BIN, DE_RAND1BIN};

    #[test]
    fn constants_match_the_rust_codes() {
        assert_eq!(LOSSMAP_DE_BEST1BIN, DE_BEST1BIN);
        assert_eq!(LOSSMAP_DE_RAND1BIN, DE_RAND1BIN);
    }
}
