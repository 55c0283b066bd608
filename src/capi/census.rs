//! C entry points of the critical-point finder and the census (Rust
//! [`critical_point_slice`], [`census_slice`]). Gradients and Hessians of the loss callback by
//! finite differences; everything is checked before anything is written; outputs must not
//! overlap any other buffer of the call.

use super::diff::{CLoss, LossFn};
use super::global::{checked_box, read};
use super::landscape::LossmapCriticalPoint;
use super::ptr::{check, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::landscape::{
    census_slice, critical_point_slice, CensusBuffers, CensusConfig, CensusReport, CriticalConfig,
    CriticalScratch, CurvatureSummary,
};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

/// The report of `lossmap_critical_point_*`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapCriticalReport<T> {
    /// The verdict at the returned point (kind, index, flat directions).
    pub point: LossmapCriticalPoint,
    /// Loss there.
    pub value: T,
    /// Gradient norm there.
    pub grad_norm: T,
    /// Levenberg–Marquardt iterations.
    pub iterations: usize,
    /// Pure Newton refinement steps kept.
    pub refinements: usize,
    /// Gradient evaluations.
    pub grad_evals: usize,
    /// Hessian evaluations.
    pub hess_evals: usize,
    /// The Hessian's spectrum there.
    pub summary: CurvatureSummary<T>,
}

#[allow(clippy::too_many_arguments)]
unsafe fn critical_c<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    config: *const CriticalConfig<T>,
    work: *mut T,
    eigenvalues: *mut T,
    report: *mut LossmapCriticalReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::critical_point(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(config, 1, READ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(eigenvalues as *const T, n, WRITTEN | OPTIONAL),
        Arg::of(
            report as *const LossmapCriticalReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
    ])?;
    // SAFETY: checked by `check` (and `read`); validity is the caller's contract.
    let cfg = unsafe { read(config)? };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut scratch = CriticalScratch::split(w, n)?;
    let r = critical_point_slice(&mut loss, x, &cfg, &mut scratch)?;
    if !eigenvalues.is_null() {
        // SAFETY: checked non-null, aligned, sized and disjoint by `check` above.
        let e = unsafe { core::slice::from_raw_parts_mut(eigenvalues, n) };
        super::ptr::copy(e, scratch.eigenvalues());
    }
    let out = LossmapCriticalReport {
        point: LossmapCriticalPoint::of(r.kind, n),
        value: r.value,
        grad_norm: r.grad_norm,
        iterations: r.iterations,
        refinements: r.refinements,
        grad_evals: r.grad_evals,
        hess_evals: r.hess_evals,
        summary: r.summary,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, out) };
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn census_c<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const CensusConfig<T>,
    rng: *mut SplitMix64,
    k: usize,
    points: *mut T,
    values: *mut T,
    index: *mut usize,
    kinds: *mut i32,
    eigenvalues: *mut T,
    work: *mut T,
    report: *mut CensusReport,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let kn = super::ptr::mul(k, n)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::census(n).unwrap_or(usize::MAX);
    // Written: the outputs, work, the generator, the report; read: the box, the config.
    check(&mut [
        Arg::of(config, 1, READ),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(points as *const T, kn, WRITTEN),
        Arg::of(values as *const T, k, WRITTEN),
        Arg::of(index as *const usize, k, WRITTEN),
        Arg::of(kinds as *const i32, k, WRITTEN),
        Arg::of(eigenvalues as *const T, kn, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(report as *const CensusReport, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked by `check` (and `read`); validity is the caller's contract.
    let (cfg, mut g) = unsafe { (read(config)?, read(rng as *const SplitMix64)?) };
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let mut out = unsafe {
        CensusBuffers {
            points: core::slice::from_raw_parts_mut(points, kn),
            values: core::slice::from_raw_parts_mut(values, k),
            index: core::slice::from_raw_parts_mut(index, k),
            kinds: core::slice::from_raw_parts_mut(kinds, k),
            eigenvalues: core::slice::from_raw_parts_mut(eigenvalues, kn),
        }
    };
    // SAFETY: as above.
    let w = unsafe { core::slice::from_raw_parts_mut(work, wl) };
    let r = census_slice(&mut loss, &bounds, &mut g, &cfg, &mut out, w)?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, r);
    }
    Ok(())
}

/// Critical-point finder defaults (f32): tol {grad ε^(1/3), zero_rel 100√ε}, max_iter 100,
/// refine 3, tau 1e-3, x_tol √ε.
#[no_mangle]
pub extern "C" fn lossmap_critical_config_default_f32() -> CriticalConfig<f32> {
    CriticalConfig::default()
}

/// Critical-point finder defaults (f64): tol {grad ε^(1/3), zero_rel 100√ε}, max_iter 100,
/// refine 3, tau 1e-3, x_tol √ε.
#[no_mangle]
pub extern "C" fn lossmap_critical_config_default_f64() -> CriticalConfig<f64> {
    CriticalConfig::default()
}

/// Census defaults (f32): the finder's defaults, 200 starts, dedup_tol 10·ε^(1/3).
#[no_mangle]
pub extern "C" fn lossmap_census_config_default_f32() -> CensusConfig<f32> {
    CensusConfig::default()
}

/// Census defaults (f64): the finder's defaults, 200 starts, dedup_tol 10·ε^(1/3).
#[no_mangle]
pub extern "C" fn lossmap_census_config_default_f64() -> CensusConfig<f64> {
    CensusConfig::default()
}

/// Finds a critical point of any index (minimum, saddle, maximum) of the callback `f` from
/// `x[0..n]` (f32): Levenberg–Marquardt on `∇f = 0` (`(H² + μI)s = −Hg`), then a few pure
/// Newton steps, then the second-order classification. Gradients and Hessians by finite
/// differences. `work` holds `lossmap_critical_point_work_len(n)` = `5n² + 7n` floats;
/// `eigenvalues` (n, ascending) and `report` may be NULL. On success `x` is the point. Bad
/// input changes nothing; `LOSSMAP_ERR_NO_CONVERGENCE` when the iteration stalls or runs out
/// (`x` at the last accepted iterate); a NaN/Inf gradient or Hessian during the run returns
/// `LOSSMAP_ERR_GRAD_NON_FINITE` with `x` at the last accepted iterate.
#[no_mangle]
pub unsafe extern "C" fn lossmap_critical_point_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    config: *const CriticalConfig<f32>,
    work: *mut f32,
    eigenvalues: *mut f32,
    report: *mut LossmapCriticalReport<f32>,
) -> i32 {
    status(unsafe { critical_c(f, ctx, x, n, config, work, eigenvalues, report) })
}

/// Finds a critical point of any index (minimum, saddle, maximum) of the callback `f` from
/// `x[0..n]` (f64): Levenberg–Marquardt on `∇f = 0` (`(H² + μI)s = −Hg`), then a few pure
/// Newton steps, then the second-order classification. Gradients and Hessians by finite
/// differences. `work` holds `lossmap_critical_point_work_len(n)` = `5n² + 7n` doubles;
/// `eigenvalues` (n, ascending) and `report` may be NULL. On success `x` is the point. Bad
/// input changes nothing; `LOSSMAP_ERR_NO_CONVERGENCE` when the iteration stalls or runs out
/// (`x` at the last accepted iterate); a NaN/Inf gradient or Hessian during the run returns
/// `LOSSMAP_ERR_GRAD_NON_FINITE` with `x` at the last accepted iterate.
#[no_mangle]
pub unsafe extern "C" fn lossmap_critical_point_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    config: *const CriticalConfig<f64>,
    work: *mut f64,
    eigenvalues: *mut f64,
    report: *mut LossmapCriticalReport<f64>,
) -> i32 {
    status(unsafe { critical_c(f, ctx, x, n, config, work, eigenvalues, report) })
}

/// A census of the critical points of `f` in the box `lower[n]`..`upper[n]` (f32): the finder
/// of `lossmap_critical_point_f32` from `config->starts` uniform starts (generator `rng`,
/// advanced only on success); the distinct points inside the box (same when
/// `max|x − y| ≤ dedup_tol·(1 + max|y|)`), the `k` lowest, sorted by value, go to row `i` of
/// `points` and `eigenvalues` (`k×n` each, `LOSSMAP_CENSUS_POINTS_LEN(n, k)`), `values[i]`,
/// `index[i]` (negative eigenvalues) and `kinds[i]` (`LOSSMAP_POINT_*`); rows beyond
/// `report->distinct` are left as they were. `work` holds `lossmap_census_work_len(n)` =
/// `5n² + 8n` floats; `report` may be NULL. A start whose loss, gradient or Hessian is NaN/Inf
/// on the way counts in `report->failed` (its point is not kept). Bad input changes nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_census_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const CensusConfig<f32>,
    rng: *mut SplitMix64,
    k: usize,
    points: *mut f32,
    values: *mut f32,
    index: *mut usize,
    kinds: *mut i32,
    eigenvalues: *mut f32,
    work: *mut f32,
    report: *mut CensusReport,
) -> i32 {
    status(unsafe {
        census_c(
            f,
            ctx,
            lower,
            upper,
            n,
            config,
            rng,
            k,
            points,
            values,
            index,
            kinds,
            eigenvalues,
            work,
            report,
        )
    })
}

/// A census of the critical points of `f` in the box `lower[n]`..`upper[n]` (f64): the finder
/// of `lossmap_critical_point_f64` from `config->starts` uniform starts (generator `rng`,
/// advanced only on success); the distinct points inside the box (same when
/// `max|x − y| ≤ dedup_tol·(1 + max|y|)`), the `k` lowest, sorted by value, go to row `i` of
/// `points` and `eigenvalues` (`k×n` each, `LOSSMAP_CENSUS_POINTS_LEN(n, k)`), `values[i]`,
/// `index[i]` (negative eigenvalues) and `kinds[i]` (`LOSSMAP_POINT_*`); rows beyond
/// `report->distinct` are left as they were. `work` holds `lossmap_census_work_len(n)` =
/// `5n² + 8n` doubles; `report` may be NULL. A start whose loss, gradient or Hessian is NaN/Inf
/// on the way counts in `report->failed` (its point is not kept). Bad input changes nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_census_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const CensusConfig<f64>,
    rng: *mut SplitMix64,
    k: usize,
    points: *mut f64,
    values: *mut f64,
    index: *mut usize,
    kinds: *mut i32,
    eigenvalues: *mut f64,
    work: *mut f64,
    report: *mut CensusReport,
) -> i32 {
    status(unsafe {
        census_c(
            f,
            ctx,
            lower,
            upper,
            n,
            config,
            rng,
            k,
            points,
            values,
            index,
            kinds,
            eigenvalues,
            work,
            report,
        )
    })
}
