//! C entry points for the population methods of global exploration: the genetic algorithm and
//! replica exchange (parallel tempering), and uniform start points in a box. Conventions as in
//! `global.rs`: everything is checked before anything is written, the generator is advanced
//! only on success, outputs must not overlap any other buffer of the call.

use super::diff::{CLoss, LossFn};
use super::global::{checked_box, local, read, LossmapPolish, LossmapSearchReport};
use super::ptr::{check, clear_of, mul, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::global::{
    genetic_slice, replica_exchange_slice, Bounds, GeneticConfig, ReplicaConfig, ReplicaState,
};
use crate::linalg::rows_mut;
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

#[allow(clippy::too_many_arguments)]
unsafe fn genetic<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const GeneticConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    pop: *mut T,
    p: usize,
    fit: *mut T,
    next: *mut T,
    next_fit: *mut T,
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
    // P < 2 and the other parameters, before the population's lengths.
    cfg.validate(p)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let pn = mul_len(p, n);
    let base = work::genetic(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: both generations and their losses, best, work, the generator, the report;
    // read: the box (checked above), the config, the polish.
    let mut rest = [
        Arg::of(pop as *const T, pn, WRITTEN),
        Arg::of(fit as *const T, p, WRITTEN),
        Arg::of(next as *const T, pn, WRITTEN),
        Arg::of(next_fit as *const T, p, WRITTEN),
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
    let (pop, fit, next, next_fit, best, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(pop, pn),
            core::slice::from_raw_parts_mut(fit, p),
            core::slice::from_raw_parts_mut(next, pn),
            core::slice::from_raw_parts_mut(next_fit, p),
            core::slice::from_raw_parts_mut(best, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (work, mut local) = spec.bind(n, base, work)?;
    let r = genetic_slice(
        &mut loss, &mut local, &mut g, &bounds, &cfg, pop, fit, next, next_fit, best, work,
    )?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn replica<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const ReplicaConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    xs: *mut T,
    r: usize,
    energies: *mut T,
    temps: *mut T,
    attempts: *mut usize,
    accepts: *mut usize,
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
    // An `r × n` that overflows or exceeds the address space is a length error before the
    // ladder check, which takes O(r) time.
    let xlen = mul(r, n)?;
    if xlen > isize::MAX as usize / core::mem::size_of::<T>() {
        return Err(Error::LengthMismatch);
    }
    // R < 2 and the temperatures, before the replicas' lengths.
    cfg.validate(r)?;
    let pairs = r.checked_sub(1).ok_or(Error::InvalidParameter)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let base = work::replica_exchange(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: the replicas, their energies and temperatures, the counters, best, work, the
    // generator, the report; read: the box (checked above), the config, the polish.
    let mut rest = [
        Arg::of(xs as *const T, xlen, WRITTEN),
        Arg::of(energies as *const T, r, WRITTEN),
        Arg::of(temps as *const T, r, WRITTEN),
        Arg::of(attempts as *const usize, pairs, WRITTEN),
        Arg::of(accepts as *const usize, pairs, WRITTEN),
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
    let (xs, energies, temps, attempts, accepts, best, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(xs, xlen),
            core::slice::from_raw_parts_mut(energies, r),
            core::slice::from_raw_parts_mut(temps, r),
            core::slice::from_raw_parts_mut(attempts, pairs),
            core::slice::from_raw_parts_mut(accepts, pairs),
            core::slice::from_raw_parts_mut(best, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (work, mut local) = spec.bind(n, base, work)?;
    let (trial, scratch) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let rep = replica_exchange_slice(
        &mut loss,
        &mut local,
        &mut g,
        &bounds,
        &cfg,
        xs,
        energies,
        temps,
        &mut ReplicaState { attempts, accepts },
        best,
        trial,
        scratch,
    )?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(rep));
    }
    Ok(())
}

unsafe fn starts<T: Real>(
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
            rows_mut(points, n).try_for_each(|row| bounds.sample(g, row))
        })
    }
}

/// The shared shell of the start generators (`lossmap_uniform_starts_*`,
/// `lossmap_latin_hypercube_*`): checks the box, the generator and the `k×n` output (non-null,
/// aligned, sized, disjoint from the inputs), runs `fill` on them, and writes the generator
/// back only on success.
///
/// # Safety
/// `lower`, `upper` must point to `n` values, `rng` to a generator and `points` to `k·n`
/// writable values, as the C entry points document.
pub(super) unsafe fn fill_points<T: Real>(
    lower: *const T,
    upper: *const T,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut T,
    k: usize,
    fill: impl FnOnce(&mut SplitMix64, &Bounds<'_, T>, &mut [T]) -> Result<(), Error>,
) -> Result<(), Error> {
    // SAFETY: checked by `read`; validity is the caller's contract.
    let mut g = unsafe { read(rng as *const SplitMix64)? };
    let kn = mul_len(k, n);
    check(&mut [
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(points as *const T, kn, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let points = unsafe { core::slice::from_raw_parts_mut(points, kn) };
    fill(&mut g, &bounds, points)?;
    // SAFETY: checked by `read` and disjoint by `check`.
    unsafe { write_opt(rng, g) };
    Ok(())
}

/// Genetic-algorithm defaults (f32): default budget, tournaments of 3, BLX-α crossover (rate
/// 0.9, α 0.5), mutation rate 0.1 and scale 0.1, 1 elite, no stall rule, polish every 10
/// generations.
#[no_mangle]
pub extern "C" fn lossmap_genetic_config_default_f32() -> GeneticConfig<f32> {
    GeneticConfig::default()
}

/// Genetic-algorithm defaults (f64): default budget, tournaments of 3, BLX-α crossover (rate
/// 0.9, α 0.5), mutation rate 0.1 and scale 0.1, 1 elite, no stall rule, polish every 10
/// generations.
#[no_mangle]
pub extern "C" fn lossmap_genetic_config_default_f64() -> GeneticConfig<f64> {
    GeneticConfig::default()
}

/// Replica-exchange defaults (f32): default budget, ladder 0.1..10, 10 moves per replica per
/// sweep of scale 0.2, reflecting boundary, polish every 10 sweeps.
#[no_mangle]
pub extern "C" fn lossmap_replica_config_default_f32() -> ReplicaConfig<f32> {
    ReplicaConfig::default()
}

/// Replica-exchange defaults (f64): default budget, ladder 0.1..10, 10 moves per replica per
/// sweep of scale 0.2, reflecting boundary, polish every 10 sweeps.
#[no_mangle]
pub extern "C" fn lossmap_replica_config_default_f64() -> ReplicaConfig<f64> {
    ReplicaConfig::default()
}

/// Fills `points[k×n]` (row-major) with `k` points drawn uniformly from the box
/// `lower[n]`..`upper[n]` with `rng` (f32): starts for `lossmap_multistart_f32`, an initial
/// population for `lossmap_genetic_f32` or replicas for `lossmap_replica_exchange_f32`. Bad input
/// changes nothing (the generator included).
#[no_mangle]
pub unsafe extern "C" fn lossmap_uniform_starts_f32(
    lower: *const f32,
    upper: *const f32,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut f32,
    k: usize,
) -> i32 {
    status(unsafe { starts(lower, upper, n, rng, points, k) })
}

/// Fills `points[k×n]` (row-major) with `k` points drawn uniformly from the box
/// `lower[n]`..`upper[n]` with `rng` (f64); see `lossmap_uniform_starts_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_uniform_starts_f64(
    lower: *const f64,
    upper: *const f64,
    n: usize,
    rng: *mut SplitMix64,
    points: *mut f64,
    k: usize,
) -> i32 {
    status(unsafe { starts(lower, upper, n, rng, points, k) })
}

/// Real-coded genetic algorithm (f32): elitism, tournament selection, BLX-α or arithmetic
/// crossover, Gaussian mutation, and `polish` (a `lossmap_polish_*`, NULL: none) of the best individual every
/// `polish_every` generations and at the end, in the box `lower[n]`..`upper[n]`. `pop[p×n]`
/// (row-major, every row inside the box) is the initial population of `p` ≥ 2 individuals and
/// holds the last generation on return, with its losses in `fit[p]` (+Inf for a non-finite
/// loss); `next[p×n]` and `next_fit[p]` are scratch; `best[n]` receives the best point.
/// `work` holds `lossmap_genetic_work_len(n)` = `3n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `rng` is advanced only on success;
/// `report` may be NULL (`iterations` counts generations). `p < 2` and other bad parameters
/// are `LOSSMAP_ERR_PARAM`; bad input changes nothing; `LOSSMAP_ERR_LOSS_NON_FINITE` when no
/// initial individual has a finite loss.
#[no_mangle]
pub unsafe extern "C" fn lossmap_genetic_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const GeneticConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    pop: *mut f32,
    p: usize,
    fit: *mut f32,
    next: *mut f32,
    next_fit: *mut f32,
    best: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        genetic(
            f, ctx, lower, upper, n, config, polish, rng, pop, p, fit, next, next_fit, best, work,
            report,
        )
    })
}

/// Real-coded genetic algorithm (f64); see `lossmap_genetic_f32`. Buffers: `lower[n]`,
/// `upper[n]`, `pop[p×n]`, `fit[p]`, `next[p×n]`, `next_fit[p]`, `best[n]`, `work` of
/// `lossmap_genetic_work_len(n)` = `3n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `p` ≥ 2.
#[no_mangle]
pub unsafe extern "C" fn lossmap_genetic_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const GeneticConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    pop: *mut f64,
    p: usize,
    fit: *mut f64,
    next: *mut f64,
    next_fit: *mut f64,
    best: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        genetic(
            f, ctx, lower, upper, n, config, polish, rng, pop, p, fit, next, next_fit, best, work,
            report,
        )
    })
}

/// Replica exchange / parallel tempering (f32): `r` ≥ 2 replicas `xs[r×n]` (row-major, every
/// row inside the box `lower[n]`..`upper[n]`) on the geometric ladder `t_min`..`t_max`
/// (written to `temps[r]`, coldest first) make Metropolis moves and swap with their
/// neighbours (even pairs on even sweeps, odd pairs on odd sweeps). On return `xs` and
/// `energies[r]` hold the final configurations and losses, `attempts[r−1]` and
/// `accepts[r−1]` the swap counts of the pairs (i, i+1) (their ratio is the pair's swap
/// rate), `best[n]` the best point seen, polished by `polish` (a `lossmap_polish_*`, NULL: none). `work` holds
/// `lossmap_replica_exchange_work_len(n)` = `4n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `rng` is advanced only on success; `report` may
/// be NULL (`iterations` counts sweeps). `r < 2`, a temperature ≤ 0, `t_max ≤ t_min` or a
/// ladder with a subnormal or infinite `T` or an infinite `1/T` (a subnormal `t_min`, an
/// overflowing `t_max/t_min`) are `LOSSMAP_ERR_PARAM`; bad input changes nothing. `LOSSMAP_ERR_LOSS_NON_FINITE` when no
/// initial replica has a finite loss (`energies` then hold those losses, nothing else
/// written). During the run a proposal whose loss is NaN or ±Inf is rejected, so the outputs
/// stay finite; `LOSSMAP_ERR_NON_FINITE` only ever means bad input.
#[no_mangle]
pub unsafe extern "C" fn lossmap_replica_exchange_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const ReplicaConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    xs: *mut f32,
    r: usize,
    energies: *mut f32,
    temps: *mut f32,
    attempts: *mut usize,
    accepts: *mut usize,
    best: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        replica(
            f, ctx, lower, upper, n, config, polish, rng, xs, r, energies, temps, attempts,
            accepts, best, work, report,
        )
    })
}

/// Replica exchange / parallel tempering (f64); see `lossmap_replica_exchange_f32`. Buffers:
/// `lower[n]`, `upper[n]`, `xs[r×n]`, `energies[r]`, `temps[r]`, `attempts[r−1]`,
/// `accepts[r−1]`, `best[n]`, `work` of `lossmap_replica_exchange_work_len(n)` = `4n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); `r` ≥ 2.
#[no_mangle]
pub unsafe extern "C" fn lossmap_replica_exchange_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const ReplicaConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    xs: *mut f64,
    r: usize,
    energies: *mut f64,
    temps: *mut f64,
    attempts: *mut usize,
    accepts: *mut usize,
    best: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        replica(
            f, ctx, lower, upper, n, config, polish, rng, xs, r, energies, temps, attempts,
            accepts, best, work, report,
        )
    })
}
