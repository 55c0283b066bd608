//! C entry points of multi-level single linkage (Rust [`mlsl_slice`]). Conventions as in
//! `global.rs`: the loss callback, the box, a configuration struct, an optional `polish` (a
//! `lossmap_polish_*`, NULL: none), the generator `lossmap_rng` (advanced only on success),
//! caller-owned buffers and an optional report; everything is checked before anything is
//! written, outputs must not overlap any other buffer of the call.

use super::diff::{CLoss, LossFn};
use super::global::{checked_box, local, read, LossmapPolish, LossmapSearchReport};
use super::ptr::{check, copy, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::global::{check_start, mlsl_slice, MlslConfig};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

#[allow(clippy::too_many_arguments)]
unsafe fn mlsl<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const MlslConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    store: *mut T,
    k_max: usize,
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
    if k_max == 0 {
        return Err(Error::Empty);
    }
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let sl = work::mlsl_store(n, k_max).unwrap_or(usize::MAX);
    let base = work::mlsl(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: x, store, work, the generator, the report; read: the box, config, polish.
    check(&mut [
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(store as *const T, sl, WRITTEN),
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
    let (x, store, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(store, sl),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    // The start, before even the scratch is written.
    check_start(&bounds, x)?;
    let (work, mut local) = spec.bind(n, base, work)?;
    let (start, scratch) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let kn = n.checked_mul(k_max).ok_or(Error::LengthMismatch)?;
    let (points, rest) = store
        .split_at_mut_checked(kn)
        .ok_or(Error::LengthMismatch)?;
    let (minima, values) = rest.split_at_mut_checked(kn).ok_or(Error::LengthMismatch)?;
    copy(start, x);
    // The kernel reads the start from `work`; the caller's `x` receives the best point.
    let r = mlsl_slice(
        &mut loss, &mut local, &mut g, &bounds, &cfg, start, x, points, minima, values, scratch,
    )?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

/// MLSL defaults (f32), NLopt's: default budget, 4 samples per iteration, gamma 0.3, sigma 2.
#[no_mangle]
pub extern "C" fn lossmap_mlsl_config_default_f32() -> MlslConfig<f32> {
    MlslConfig::default()
}

/// MLSL defaults (f64), NLopt's: default budget, 4 samples per iteration, gamma 0.3, sigma 2.
#[no_mangle]
pub extern "C" fn lossmap_mlsl_config_default_f64() -> MlslConfig<f64> {
    MlslConfig::default()
}

/// Multi-level single linkage (f32; Rinnooy Kan & Timmer 1987, NLopt's defaults): multi-start
/// local search that polishes, with `polish` (a `lossmap_polish_*`, NULL: none), a sample
/// point only when no lower sample point and no lower local minimum lies within the critical
/// distance `r_k = (Gamma(1 + n/2)·volume·sigma·ln k / k)^(1/n) / sqrt(pi)`; each iteration
/// draws `samples` new points uniformly in the box, then considers the `ceil(gamma·k)` lowest
/// of the `k` sample points, in the box `lower[n]`..`upper[n]`. `x[n]` is the start (inside the box, the first
/// sample point) on entry and the best point evaluated on return. `store` holds
/// `lossmap_mlsl_store_len(n, k_max)` = `k_max·(2n + 5)` floats: the sample (up to `k_max`
/// points, `k_max` ≥ 1; the search ends when it is full), on return its points in ascending
/// loss in `store[0..k·n]`, then the local minima and the bookkeeping. `work` holds
/// `lossmap_mlsl_work_len(n)` = `5n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS
/// polish). `rng` is advanced only on success; `report` may be NULL (`iterations` counts
/// sampling phases, `accepted` local searches). Bad input changes nothing;
/// `LOSSMAP_ERR_LOSS_NON_FINITE` when the start's loss is not finite. A sample point whose
/// loss is NaN or ±Inf is dropped.
#[no_mangle]
pub unsafe extern "C" fn lossmap_mlsl_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const MlslConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    x: *mut f32,
    store: *mut f32,
    k_max: usize,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        mlsl(
            f, ctx, lower, upper, n, config, polish, rng, x, store, k_max, work, report,
        )
    })
}

/// Multi-level single linkage (f64); see `lossmap_mlsl_f32`. Buffers: `lower[n]`, `upper[n]`,
/// `x[n]` (start in, best out), `store` of `lossmap_mlsl_store_len(n, k_max)` =
/// `k_max·(2n + 5)` doubles, `work` of `lossmap_mlsl_work_len(n)` = `5n` doubles (+
/// `lossmap_polish_len(kind, n, m)` for an L-BFGS polish).
#[no_mangle]
pub unsafe extern "C" fn lossmap_mlsl_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const MlslConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    x: *mut f64,
    store: *mut f64,
    k_max: usize,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        mlsl(
            f, ctx, lower, upper, n, config, polish, rng, x, store, k_max, work, report,
        )
    })
}
