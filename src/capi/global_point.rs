//! C entry points for the single-point global methods: multi-start local search, basin
//! hopping, simulated annealing and perturbed gradient descent (conventions in `global.rs`).

use super::diff::{CLoss, LossFn};
use super::global::{
    checked_box, local, need_opt, read, LossmapPolish, LossmapSearchReport,
    LOSSMAP_POINT_UNCLASSIFIED,
};
use super::ptr::{check, copy, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::global::{
    anneal_slice, basin_hopping_slice, check_start, multistart_slice, perturbed_gd_slice,
    AnnealingConfig, AnnealingState, Budget, HoppingConfig, HoppingState, PerturbedConfig,
};
use crate::landscape::{classify, classify_at_slice, HessianScratch, Tolerance};
use crate::linalg::rows;
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

/// The `LOSSMAP_POINT_*` code of the end point `x` (gradient and Hessian by finite differences
/// into `grad` and `scratch`; [`LOSSMAP_POINT_UNCLASSIFIED`] when either fails).
fn kind_at<T: Real>(
    obj: &mut CLoss<T>,
    x: &[T],
    grad: &mut [T],
    scratch: &mut HessianScratch<'_, T>,
    tol: &Tolerance<T>,
) -> i32 {
    classify_at_slice(obj, x, tol, scratch, grad)
        .map_or(LOSSMAP_POINT_UNCLASSIFIED, |(kind, _)| kind.code())
}

#[allow(clippy::too_many_arguments)]
unsafe fn multistart<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    budget: *const Budget<T>,
    polish: *const LossmapPolish<T>,
    starts: *mut T,
    k: usize,
    losses: *mut T,
    best: *mut T,
    kinds: *mut i32,
    tol: *const Tolerance<T>,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let mut bt = [Arg::of(budget, 1, READ), Arg::of(tol, 1, READ | OPTIONAL)];
    check(&mut bt)?;
    let [bs, ts] = bt;
    // SAFETY: checked by `read` / `local`; validity is the caller's contract.
    let (budget, spec) = unsafe { (read(budget)?, local(polish)?) };
    let tol = if tol.is_null() {
        Tolerance::default()
    } else {
        // SAFETY: as above.
        unsafe { read(tol)? }
    };
    let want = !kinds.is_null();
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let kn = mul_len(k, n);
    let base = work::multistart(n, want).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    // Written: starts, losses, best, work, kinds (optional), the report; read: the box, the
    // budget and tolerance (checked above), the polish.
    let mut args = [
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(starts as *const T, kn, WRITTEN),
        Arg::of(losses as *const T, k, WRITTEN),
        Arg::of(best as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(kinds as *const i32, k, WRITTEN | OPTIONAL),
        Arg::of(
            report as *const LossmapSearchReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(polish, 1, READ | OPTIONAL),
    ];
    check(&mut args)?;
    super::ptr::clear_of(&args, &[bs, ts])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    budget.validate()?;
    spec.validate()?;
    if want {
        // The tolerance rules of `classify`, checked before anything is written.
        classify(&[T::ONE], T::ZERO, &tol)?;
    }
    // SAFETY: checked non-null, aligned, sized and disjoint from each other and the inputs by
    // `check` and `clear_of`.
    let (starts, losses, best, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(starts, kn),
            core::slice::from_raw_parts_mut(losses, k),
            core::slice::from_raw_parts_mut(best, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (work, mut local) = spec.bind(n, base, work)?;
    let r = multistart_slice(
        &mut loss, &mut local, &bounds, &budget, starts, losses, best, work,
    )?;
    if want {
        // SAFETY: as above (non-null: `want`).
        let kinds = unsafe { core::slice::from_raw_parts_mut(kinds, k) };
        kinds
            .iter_mut()
            .for_each(|c| *c = LOSSMAP_POINT_UNCLASSIFIED);
        if let Some((grad, rest)) = work.split_at_mut_checked(n) {
            if let Ok(mut scratch) = HessianScratch::split(rest, n) {
                for ((c, end), &l) in kinds.iter_mut().zip(rows(starts, n)).zip(losses.iter()) {
                    if l.is_finite() {
                        *c = kind_at(&mut loss, end, grad, &mut scratch, &tol);
                    }
                }
            }
        }
    }
    // SAFETY: optional out-parameter, checked aligned and disjoint by `check`.
    unsafe { write_opt(report, LossmapSearchReport::of(r)) };
    Ok(())
}

/// Which single-chain Metropolis method [`chain`] runs.
enum Chain<T> {
    /// Basin hopping.
    Hop(HoppingConfig<T>, *mut HoppingState<T>),
    /// Simulated annealing.
    Anneal(AnnealingConfig<T>, *mut AnnealingState<T>),
}

/// Basin hopping or annealing from `x` (start in, best out); `work` = current, trial, polish.
#[allow(clippy::too_many_arguments)]
unsafe fn chain<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    method: Chain<T>,
    config: Arg,
    polish: *const LossmapPolish<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // SAFETY: checked by `local` / `read`; validity is the caller's contract.
    let (spec, mut g) = unsafe { (local(polish)?, read(rng as *const SplitMix64)?) };
    // Overflowing lengths are refused by `check` in the work buffer's turn.
    let base = work::hopping(n).unwrap_or(usize::MAX);
    let wl = spec.total(base, n).unwrap_or(usize::MAX);
    let state = match method {
        Chain::Hop(_, s) => Arg::of(s as *const HoppingState<T>, 1, WRITTEN | OPTIONAL),
        Chain::Anneal(_, s) => Arg::of(s as *const AnnealingState<T>, 1, WRITTEN | OPTIONAL),
    };
    // Written: x, work, the generator, the state, the report; read: the box, the config, the
    // polish.
    check(&mut [
        Arg::of(lower, n, READ),
        Arg::of(upper, n, READ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        state,
        Arg::of(
            report as *const LossmapSearchReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        config,
        Arg::of(polish, 1, READ | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let bounds = unsafe { checked_box(lower, upper, n)? };
    match &method {
        Chain::Hop(c, _) => c.validate()?,
        Chain::Anneal(c, _) => c.validate()?,
    }
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
    let r = match method {
        Chain::Hop(cfg, sp) => {
            let mut st = HoppingState::default();
            let r = basin_hopping_slice(
                &mut loss, &mut local, &mut g, &bounds, &cfg, &mut st, current, x, trial, scratch,
            )?;
            // SAFETY: optional out-parameter, checked aligned and disjoint by `check`.
            unsafe { write_opt(sp, st) };
            r
        }
        Chain::Anneal(cfg, sp) => {
            let mut st = AnnealingState::default();
            let r = anneal_slice(
                &mut loss, &mut local, &mut g, &bounds, &cfg, &mut st, current, x, trial, scratch,
            )?;
            // SAFETY: as above.
            unsafe { write_opt(sp, st) };
            r
        }
    };
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

unsafe fn perturbed<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    config: *const PerturbedConfig<T>,
    rng: *mut SplitMix64,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // SAFETY: checked by `read`; validity is the caller's contract.
    let (cfg, mut g) = unsafe { (read(config)?, read(rng as *const SplitMix64)?) };
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::perturbed_gd(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(
            report as *const LossmapSearchReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(config, 1, READ),
    ])?;
    cfg.validate()?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (anchor, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (grad, kick) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let r = perturbed_gd_slice(&mut loss, &mut g, &cfg, x, anchor, grad, kick)?;
    // SAFETY: checked by `read` and disjoint by `check`; optional out-parameter.
    unsafe {
        write_opt(rng, g);
        write_opt(report, LossmapSearchReport::of(r));
    }
    Ok(())
}

/// Multi-start local search (f32): runs the local search `polish` (a `lossmap_polish_*`, NULL: none, the starts are
/// only evaluated) from each of the `k` start points `starts[k×n]` (row-major, inside the box
/// `lower[n]`..`upper[n]`), in order, under `budget` (`max_iter` caps the starts run). Each row
/// of `starts` is replaced by its end point and `losses[k]` receives its loss (NaN for a row
/// not run or whose loss is not finite); `best[n]` receives the best end point. `kinds[k]` (may
/// be NULL) receives the `LOSSMAP_POINT_*` code of each end point (second-order test with
/// central-difference gradient and Hessian and the tolerance `tol`, NULL for the defaults;
/// these evaluations are not charged to the budget; `LOSSMAP_POINT_UNCLASSIFIED` where it could
/// not be done). `work` holds `lossmap_multistart_work_len(n, kinds != NULL)` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish): `3n`, or
/// `3n² + 3n` with `kinds`. `report` may be NULL. Bad input changes nothing;
/// `LOSSMAP_ERR_LOSS_NON_FINITE` when no start had a finite loss.
#[no_mangle]
pub unsafe extern "C" fn lossmap_multistart_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    budget: *const Budget<f32>,
    polish: *const LossmapPolish<f32>,
    starts: *mut f32,
    k: usize,
    losses: *mut f32,
    best: *mut f32,
    kinds: *mut i32,
    tol: *const Tolerance<f32>,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        multistart(
            f, ctx, lower, upper, n, budget, polish, starts, k, losses, best, kinds, tol, work,
            report,
        )
    })
}

/// Multi-start local search (f64); see `lossmap_multistart_f32`. Buffers: `lower[n]`,
/// `upper[n]`, `starts[k×n]`, `losses[k]`, `best[n]`, `kinds[k]` (may be NULL), `work` of
/// `lossmap_multistart_work_len(n, kinds != NULL)` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish; `3n`, or `3n² + 3n` with `kinds`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_multistart_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    budget: *const Budget<f64>,
    polish: *const LossmapPolish<f64>,
    starts: *mut f64,
    k: usize,
    losses: *mut f64,
    best: *mut f64,
    kinds: *mut i32,
    tol: *const Tolerance<f64>,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        multistart(
            f, ctx, lower, upper, n, budget, polish, starts, k, losses, best, kinds, tol, work,
            report,
        )
    })
}

/// Basin hopping (Wales & Doye 1997, f32): a Metropolis walk on the local minima found by
/// `polish` (a `lossmap_polish_*`, NULL: none) after uniform kicks, in the box `lower[n]`..`upper[n]`. `x[n]` is the
/// start (inside the box) on entry and the best minimum on return. `work` holds
/// `lossmap_hopping_work_len(n)` = `5n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); on return `work[0..n]` is the current (last
/// accepted) minimum. `state` (may be NULL; output only, needs no initialization) receives
/// the final step size and the counts; `rng` is advanced only on success; `report` may be NULL.
/// Bad input (including a temperature ≤ 0) changes nothing; `LOSSMAP_ERR_LOSS_NON_FINITE` when
/// the start's loss is not finite.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hopping_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const HoppingConfig<f32>,
    polish: *const LossmapPolish<f32>,
    state: *mut HoppingState<f32>,
    rng: *mut SplitMix64,
    x: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        hop(
            f, ctx, lower, upper, n, config, polish, state, rng, x, work, report,
        )
    })
}

/// Basin hopping (f64); see `lossmap_hopping_f32`. Buffers: `lower[n]`, `upper[n]`,
/// `x[n]` (start in, best out), `work` of `lossmap_hopping_work_len(n)` = `5n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish).
#[no_mangle]
pub unsafe extern "C" fn lossmap_hopping_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const HoppingConfig<f64>,
    polish: *const LossmapPolish<f64>,
    state: *mut HoppingState<f64>,
    rng: *mut SplitMix64,
    x: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        hop(
            f, ctx, lower, upper, n, config, polish, state, rng, x, work, report,
        )
    })
}

/// Simulated annealing (f32): Metropolis chains with Gaussian or Cauchy proposals at a falling
/// temperature, reheats, and `polish` (a `lossmap_polish_*`, NULL: none) of the best point after each improving
/// chain, in the box `lower[n]`..`upper[n]`. `x[n]` is the start (inside the box) on entry and
/// the best point on return. `work` holds `lossmap_anneal_work_len(n)` = `5n` floats (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish); on return
/// `work[0..n]` is the chain's current point. `state` (may be NULL; output only, needs no
/// initialization) receives the final temperature and the counts; `rng` is advanced only on
/// success; `report` may be NULL (`iterations` counts proposals). Bad input (including
/// `t0` ≤ 0) changes nothing; `LOSSMAP_ERR_LOSS_NON_FINITE` when the start's loss is not finite.
/// A proposal whose loss is NaN or ±Inf is rejected, so the outputs stay finite.
#[no_mangle]
pub unsafe extern "C" fn lossmap_anneal_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    config: *const AnnealingConfig<f32>,
    polish: *const LossmapPolish<f32>,
    state: *mut AnnealingState<f32>,
    rng: *mut SplitMix64,
    x: *mut f32,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe {
        anneal(
            f, ctx, lower, upper, n, config, polish, state, rng, x, work, report,
        )
    })
}

/// Simulated annealing (f64); see `lossmap_anneal_f32`. Buffers: `lower[n]`, `upper[n]`, `x[n]`
/// (start in, best out), `work` of `lossmap_anneal_work_len(n)` = `5n` doubles (+ `lossmap_polish_len(kind, n, m)` for an L-BFGS polish).
#[no_mangle]
pub unsafe extern "C" fn lossmap_anneal_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    config: *const AnnealingConfig<f64>,
    polish: *const LossmapPolish<f64>,
    state: *mut AnnealingState<f64>,
    rng: *mut SplitMix64,
    x: *mut f64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe {
        anneal(
            f, ctx, lower, upper, n, config, polish, state, rng, x, work, report,
        )
    })
}

/// Perturbed gradient descent (Jin et al. 2017, f32; unconstrained, no box): gradient steps
/// (central differences) from `x[n]`, with a random kick from a ball where the gradient is
/// small; stops at an approximate local minimum (`LOSSMAP_SEARCH_CONVERGED`, `x` = the point
/// before the last kick) or on the budget (`x` = the last iterate). `work` holds
/// `lossmap_perturbed_gd_work_len(n)` = `3n` floats; `rng` is advanced only on success; `report`
/// may be NULL. Bad input changes nothing; a step reaching a NaN/Inf loss or gradient rolls
/// `x` back to the last finite iterate and returns `LOSSMAP_ERR_LOSS_NON_FINITE` /
/// `LOSSMAP_ERR_GRAD_NON_FINITE` (the rate is too large).
#[no_mangle]
pub unsafe extern "C" fn lossmap_perturbed_gd_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    config: *const PerturbedConfig<f32>,
    rng: *mut SplitMix64,
    work: *mut f32,
    report: *mut LossmapSearchReport<f32>,
) -> i32 {
    status(unsafe { perturbed(f, ctx, x, n, config, rng, work, report) })
}

/// Perturbed gradient descent (f64); see `lossmap_perturbed_gd_f32`. Buffers: `x[n]` (start in,
/// result out), `work` of `lossmap_perturbed_gd_work_len(n)` = `3n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_perturbed_gd_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    config: *const PerturbedConfig<f64>,
    rng: *mut SplitMix64,
    work: *mut f64,
    report: *mut LossmapSearchReport<f64>,
) -> i32 {
    status(unsafe { perturbed(f, ctx, x, n, config, rng, work, report) })
}

/// [`chain`] for basin hopping (the configuration copied first).
#[allow(clippy::too_many_arguments)]
unsafe fn hop<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const HoppingConfig<T>,
    polish: *const LossmapPolish<T>,
    state: *mut HoppingState<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    CLoss::new(f, ctx)?;
    // SAFETY: checked by `read`; validity is the caller's contract.
    let cfg = unsafe { read(config)? };
    let cs = Arg::of(config, 1, READ);
    need_opt(state)?;
    let method = Chain::Hop(cfg, state);
    // SAFETY: caller's contract.
    unsafe {
        chain(
            f, ctx, lower, upper, n, method, cs, polish, rng, x, work, report,
        )
    }
}

/// [`chain`] for simulated annealing (the configuration copied first).
#[allow(clippy::too_many_arguments)]
unsafe fn anneal<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lower: *const T,
    upper: *const T,
    n: usize,
    config: *const AnnealingConfig<T>,
    polish: *const LossmapPolish<T>,
    state: *mut AnnealingState<T>,
    rng: *mut SplitMix64,
    x: *mut T,
    work: *mut T,
    report: *mut LossmapSearchReport<T>,
) -> Result<(), Error> {
    CLoss::new(f, ctx)?;
    // SAFETY: checked by `read`; validity is the caller's contract.
    let cfg = unsafe { read(config)? };
    let cs = Arg::of(config, 1, READ);
    need_opt(state)?;
    let method = Chain::Anneal(cfg, state);
    // SAFETY: caller's contract.
    unsafe {
        chain(
            f, ctx, lower, upper, n, method, cs, polish, rng, x, work, report,
        )
    }
}
