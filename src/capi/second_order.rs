//! C entry points for Newton's method, gradient clipping, gradient noise and SWA.

use super::diff::CLoss;
use super::ptr::{check, deref, deref_mut, mul, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::{status, stop_code};
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::optim::{clip_grad_norm, gradient_noise, newton_slice, swa_update, NewtonConfig, Stop};
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

// A literal: cbindgen cannot evaluate the Rust constant; a unit test keeps them equal.
/// Most Hessian shifts `τ` `lossmap_newton_*` tries per iteration before it returns
/// `LOSSMAP_ERR_NOT_POS_DEF`.
pub const LOSSMAP_NEWTON_MAX_SHIFTS: usize = 100;

/// The report of a `lossmap_newton_*` run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapNewtonReport<T> {
    /// `LOSSMAP_STOP_GRAD_NORM` or `LOSSMAP_STOP_MAX_ITER`.
    pub reason: i32,
    /// Newton steps taken.
    pub iterations: usize,
    /// Loss evaluations, including those of the finite-difference gradients and Hessians.
    pub value_evals: usize,
    /// Gradient evaluations.
    pub grad_evals: usize,
    /// Hessian evaluations.
    pub hess_evals: usize,
    /// Iterations whose Hessian needed a shift to be positive definite.
    pub modified: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// Gradient norm at the returned point.
    pub grad_norm: T,
}

unsafe fn newton_c<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    config: *const NewtonConfig<T>,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapNewtonReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let len = work::newton(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(config, 1, READ),
        Arg::of(stop, 1, READ),
        Arg::of(
            report as *const LossmapNewtonReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, len, WRITTEN),
    ])?;
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
    let (config, stop) = unsafe { (*deref(config)?, *deref(stop)?) };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, len),
        )
    };
    let nn = mul(n, n)?;
    let (hess, rest) = work.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    let (chol, vecs) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    let r = newton_slice(&mut loss, x, hess, chol, vecs, &config, &stop)?;
    let out = LossmapNewtonReport {
        reason: stop_code(r.reason),
        iterations: r.iterations,
        value_evals: r.value_evals,
        grad_evals: r.grad_evals,
        hess_evals: r.hess_evals,
        modified: r.modified,
        loss: r.loss,
        grad_norm: r.grad_norm,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, out) };
    Ok(())
}

unsafe fn clip_c<T: Real>(g: *mut T, n: usize, max_norm: T, total: *mut T) -> Result<(), Error> {
    check(&mut [
        Arg::of(g as *const T, n, WRITTEN),
        Arg::of(total as *const T, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized and apart from `total` by `check`; validity is
    // the caller's contract.
    let norm = clip_grad_norm(unsafe { core::slice::from_raw_parts_mut(g, n) }, max_norm)?;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(total, norm) };
    Ok(())
}

unsafe fn noise_c<T: Real>(
    g: *mut T,
    n: usize,
    eta: T,
    gamma: T,
    t: u32,
    rng: *mut SplitMix64,
    sigma: *mut T,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(g as *const T, n, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(sigma as *const T, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned and apart by `check`; validity is the caller's contract.
    let rng = unsafe { deref_mut(rng)? };
    let mut local = *rng;
    // SAFETY: checked non-null, aligned, sized and apart from the generator by `check`.
    let g = unsafe { core::slice::from_raw_parts_mut(g, n) };
    let s = gradient_noise(g, eta, gamma, t, &mut local)?;
    *rng = local;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(sigma, s) };
    Ok(())
}

unsafe fn swa_c<T: Real>(avg: *mut T, count: *mut u32, x: *const T, n: usize) -> Result<(), Error> {
    check(&mut [
        Arg::of(count as *const u32, 1, WRITTEN),
        Arg::of(avg as *const T, n, WRITTEN),
        Arg::of(x, n, READ),
    ])?;
    // SAFETY: checked non-null, aligned and apart by `check`.
    let count = unsafe { deref_mut(count)? };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (avg, x) = unsafe {
        (
            core::slice::from_raw_parts_mut(avg, n),
            core::slice::from_raw_parts(x, n),
        )
    };
    swa_update(avg, count, x)
}

/// Newton defaults (f32): c1 1e-4, backtrack 0.5, max_backtracks 50, beta 1e-3.
#[no_mangle]
pub extern "C" fn lossmap_newton_config_default_f32() -> NewtonConfig<f32> {
    NewtonConfig::default()
}

/// Newton defaults (f64): c1 1e-4, backtrack 0.5, max_backtracks 50, beta 1e-3.
#[no_mangle]
pub extern "C" fn lossmap_newton_config_default_f64() -> NewtonConfig<f64> {
    NewtonConfig::default()
}

/// Minimizes the callback `f` from `x[0..n]` by Newton's method with Hessian modification and
/// Armijo backtracking (f32). Gradients by central differences, Hessians by finite differences
/// of values. Stops on `grad_tol` or `max_iter` of `stop` (its `rel_tol`/`window` are unused).
/// `work` holds `lossmap_newton_work_len(n)` = `2n² + 4n` floats; `report` may be NULL. Bad input
/// changes nothing; a NaN/Inf loss, gradient or Hessian during the run rolls `x` back to the
/// last accepted point and returns `LOSSMAP_ERR_LOSS_NON_FINITE` / `LOSSMAP_ERR_GRAD_NON_FINITE`; a
/// failed line search rolls back and returns `LOSSMAP_ERR_NO_CONVERGENCE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_newton_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    config: *const NewtonConfig<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapNewtonReport<f32>,
) -> i32 {
    status(unsafe { newton_c(f, ctx, x, n, config, stop, work, report) })
}

/// Minimizes the callback `f` from `x[0..n]` by Newton's method with Hessian modification and
/// Armijo backtracking (f64). Gradients by central differences, Hessians by finite differences
/// of values. Stops on `grad_tol` or `max_iter` of `stop` (its `rel_tol`/`window` are unused).
/// `work` holds `lossmap_newton_work_len(n)` = `2n² + 4n` doubles; `report` may be NULL. Bad
/// input changes nothing; a NaN/Inf loss, gradient or Hessian during the run rolls `x` back to
/// the last accepted point and returns `LOSSMAP_ERR_LOSS_NON_FINITE` /
/// `LOSSMAP_ERR_GRAD_NON_FINITE`; a failed line search rolls back and returns
/// `LOSSMAP_ERR_NO_CONVERGENCE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_newton_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    config: *const NewtonConfig<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapNewtonReport<f64>,
) -> i32 {
    status(unsafe { newton_c(f, ctx, x, n, config, stop, work, report) })
}

/// Clips `g[0..n]` by its norm (torch `clip_grad_norm_`): when `‖g‖ > max_norm`,
/// `g *= max_norm / (‖g‖ + 1e-6)` (f32). `total_norm` (may be NULL) receives the norm before
/// clipping. `max_norm` must be finite and > 0; nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_clip_grad_norm_f32(
    g: *mut f32,
    n: usize,
    max_norm: f32,
    total_norm: *mut f32,
) -> i32 {
    status(unsafe { clip_c(g, n, max_norm, total_norm) })
}

/// Clips `g[0..n]` by its norm (torch `clip_grad_norm_`): when `‖g‖ > max_norm`,
/// `g *= max_norm / (‖g‖ + 1e-6)` (f64). `total_norm` (may be NULL) receives the norm before
/// clipping. `max_norm` must be finite and > 0; nothing is written on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_clip_grad_norm_f64(
    g: *mut f64,
    n: usize,
    max_norm: f64,
    total_norm: *mut f64,
) -> i32 {
    status(unsafe { clip_c(g, n, max_norm, total_norm) })
}

/// Adds annealed Gaussian noise to `g[0..n]` (Neelakantan et al. 2015, f32):
/// `g += sigma_t * z`, `z ~ N(0, I)` from the generator `rng` (seeded with
/// `lossmap_rng_seed`), `sigma_t^2 = eta / (1 + t)^gamma` (`eta, gamma >= 0`; the paper uses
/// gamma = 0.55). `sigma` (may be NULL) receives `sigma_t`. Nothing is written (the generator
/// included) on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_noise_f32(
    g: *mut f32,
    n: usize,
    eta: f32,
    gamma: f32,
    t: u32,
    rng: *mut SplitMix64,
    sigma: *mut f32,
) -> i32 {
    status(unsafe { noise_c(g, n, eta, gamma, t, rng, sigma) })
}

/// Adds annealed Gaussian noise to `g[0..n]` (Neelakantan et al. 2015, f64):
/// `g += sigma_t * z`, `z ~ N(0, I)` from the generator `rng` (seeded with
/// `lossmap_rng_seed`), `sigma_t^2 = eta / (1 + t)^gamma` (`eta, gamma >= 0`; the paper uses
/// gamma = 0.55). `sigma` (may be NULL) receives `sigma_t`. Nothing is written (the generator
/// included) on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_noise_f64(
    g: *mut f64,
    n: usize,
    eta: f64,
    gamma: f64,
    t: u32,
    rng: *mut SplitMix64,
    sigma: *mut f64,
) -> i32 {
    status(unsafe { noise_c(g, n, eta, gamma, t, rng, sigma) })
}

/// Stochastic weight averaging (f32): `avg += (x − avg) / (*count + 1)`, `*count += 1` (the
/// first update, with `*count == 0`, copies `x`). Start with `*count = 0`. NaN/Inf in `x` or
/// `avg` and a saturated count change nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_swa_update_f32(
    avg: *mut f32,
    count: *mut u32,
    x: *const f32,
    n: usize,
) -> i32 {
    status(unsafe { swa_c(avg, count, x, n) })
}

/// Stochastic weight averaging (f64): `avg += (x − avg) / (*count + 1)`, `*count += 1` (the
/// first update, with `*count == 0`, copies `x`). Start with `*count = 0`. NaN/Inf in `x` or
/// `avg` and a saturated count change nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_swa_update_f64(
    avg: *mut f64,
    count: *mut u32,
    x: *const f64,
    n: usize,
) -> i32 {
    status(unsafe { swa_c(avg, count, x, n) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_rust_ones() {
        assert_eq!(LOSSMAP_NEWTON_MAX_SHIFTS, crate::optim::NEWTON_MAX_SHIFTS);
    }
}
