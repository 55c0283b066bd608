//! C entry points of CMA-ES (Rust [`cmaes_slice`]). Conventions as in `global.rs`: the loss
//! callback, the box, a configuration struct, an optional `polish` (`lossmap_polish_*`, NULL:
//! none), the generator `lossmap_rng` (advanced only on success), caller-owned buffers and an
//! optional report; everything is checked before anything is written, outputs must not overlap
//! any other buffer of the call.

use super::diff::{CLoss, LossFn};
use super::global::{checked_box, local, read, LossmapPolish, LossmapSearchReport};
use super::ptr::{check, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::global::{check_start, cmaes_slice, CmaesBuffers, CmaesConfig};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

#[allow(clippy::too_many_arguments)]
unsafe fn cmaes<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const CmaesConfig<T>,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    lambda_max: usize,
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
    let base = work::cmaes(n, lambda_max).unwrap_or(usize::MAX);
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
    if cfg.lambda(n) > lambda_max {
        return Err(Error::LengthMismatch);
    }
    spec.validate()?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    check_start(&bounds, x)?;
    let (work, mut local) = spec.bind(n, base, work)?;
    let mut buf = CmaesBuffers::split(work, n, lambda_max)?;
    let r = cmaes_slice(&mut loss, &mut local, &mut g, &bounds, &cfg, x, &mut buf)?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

/// CMA-ES defaults (f32): default budget, population 0 (`4 + ⌊3 ln n⌋`), sigma0 0.3 of each
/// range, tol_x 1e-12 (relative to sigma0), tol_fun 1e-12, max_condition 1e14, no restarts.
#[no_mangle]
pub extern "C" fn lossmap_cmaes_config_default_f32() -> CmaesConfig<f32> {
    CmaesConfig::default()
}

/// CMA-ES defaults (f64): default budget, population 0 (`4 + ⌊3 ln n⌋`), sigma0 0.3 of each
/// range, tol_x 1e-12 (relative to sigma0), tol_fun 1e-12, max_condition 1e14, no restarts.
#[no_mangle]
pub extern "C" fn lossmap_cmaes_config_default_f64() -> CmaesConfig<f64> {
    CmaesConfig::default()
}

/// CMA-ES (f32; (μ/μ_w, λ)-CMA-ES with the defaults of Hansen's tutorial, arXiv:1604.00772,
/// and optional IPOP restarts, Auger & Hansen 2005) in the box `lower[n]`..`upper[n]`, then
/// `polish` (a `lossmap_polish_*`, NULL: none) of the best point unless the target was reached.
/// `x[n]` is the start (inside the box; the first mean) on entry and the best point evaluated
/// on return. Samples leaving the box are clipped into it. `lambda_max` (≥ the first
/// population, `config->population` or `4 + ⌊3 ln n⌋`) is the population scratch, which also
/// caps the doubling of IPOP restarts. `work` holds `lossmap_cmaes_work_len(n, lambda_max)` =
/// `3n² + 11n + lambda_max·(n + 1)` floats (+ `lossmap_polish_len(kind, n, m)` for an
/// L-BFGS polish); on return `work[0..n²]` is the last covariance matrix (in the box's
/// unit-cube coordinates). `rng` is advanced only on success; `report` may be NULL
/// (`iterations` counts generations, `accepted` restarts; `LOSSMAP_SEARCH_CONVERGED` for
/// TolX/TolFun, `LOSSMAP_SEARCH_STAGNATION` for the condition or stagnation rules). Bad input
/// changes nothing; `LOSSMAP_ERR_LOSS_NON_FINITE` when the start's loss is not finite; points
/// whose loss is NaN or ±Inf rank last.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cmaes_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const CmaesConfig<f32>,
    polish: *const LossmapPolish<f32>,
    rng: *mut SplitMix64,
    x: *mut f32,
    lambda_max: usize,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        cmaes(
            f, ctx, lower, upper, n, config, polish, rng, x, lambda_max, work, report,
        )
    })
}

/// CMA-ES (f64); see `lossmap_cmaes_f32`. Buffers: `lower[n]`, `upper[n]`, `x[n]` (start in,
/// best out), `work` of `lossmap_cmaes_work_len(n, lambda_max)` = `3n² + 11n +
/// lambda_max·(n + 1)` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish).
#[no_mangle]
pub unsafe extern "C" fn lossmap_cmaes_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const CmaesConfig<f64>,
    polish: *const LossmapPolish<f64>,
    rng: *mut SplitMix64,
    x: *mut f64,
    lambda_max: usize,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        cmaes(
            f, ctx, lower, upper, n, config, polish, rng, x, lambda_max, work, report,
        )
    })
}
