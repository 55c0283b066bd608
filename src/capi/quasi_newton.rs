//! C entry points for BFGS, L-BFGS (unconstrained and on a box) and Nelder–Mead.
//!
//! The gradient methods take the loss callback `f` and an optional gradient callback `g`
//! (`lossmap_grad_*`, the signature of `lossmap_hvp_*`; NULL: central differences of `f`,
//! `2n` loss evaluations per gradient). Both receive the same `ctx`.

use super::diff::{GradFn, LossFn};
use super::ptr::{check, deref, mul, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::{status, stop_code};
use super::work;
use super::{lossmap_grad_f32, lossmap_grad_f64, lossmap_loss_f32, lossmap_loss_f64};
use crate::diff::central_gradient;
use crate::objective::SliceObjective;
use crate::optim::{
    bfgs_slice, lbfgs_bounded_slice, lbfgs_slice, nelder_mead_slice, NelderMeadConfig,
    QuasiNewtonConfig, QuasiNewtonReport, Stop,
};
use crate::{Error, Real};
use core::ffi::c_void;

/// The report of a `lossmap_bfgs_*`, `lossmap_lbfgs_*`, `lossmap_lbfgs_bounded_*` or
/// `lossmap_nelder_mead_*` run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapQuasiNewtonReport<T> {
    /// A `LOSSMAP_STOP_*` code: `GRAD_NORM`, `REL_IMPROVEMENT` (the window rule, `ftol`, or a
    /// line search whose trials changed the loss by no more than its rounding),
    /// `STEP_SIZE` (for Nelder–Mead: the simplex within `xatol`/`fatol`), `MAX_ITER`,
    /// `MAX_EVALS`.
    pub reason: i32,
    /// Iterations (accepted steps).
    pub iterations: usize,
    /// Loss evaluations, including those of finite-difference gradients.
    pub value_evals: usize,
    /// Gradient evaluations (0 for Nelder–Mead).
    pub grad_evals: usize,
    /// Curvature pairs skipped (`yᵀs ≤ ε‖y‖‖s‖`); for Nelder–Mead, shrink steps.
    pub skipped: usize,
    /// Resets of the approximation to the identity after a failed line search.
    pub resets: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// Gradient norm at the returned point (projected on a box; for Nelder–Mead the simplex
    /// size).
    pub grad_norm: T,
}

impl<T: Real> From<QuasiNewtonReport<T>> for LossmapQuasiNewtonReport<T> {
    fn from(r: QuasiNewtonReport<T>) -> Self {
        LossmapQuasiNewtonReport {
            reason: stop_code(r.reason),
            iterations: r.iterations,
            value_evals: r.value_evals,
            grad_evals: r.grad_evals,
            skipped: r.skipped,
            resets: r.resets,
            loss: r.loss,
            grad_norm: r.grad_norm,
        }
    }
}

/// The C callbacks as a [`SliceObjective`]: the analytic gradient when given, central
/// differences of the loss otherwise.
struct CObjective<T: Real> {
    f: LossFn<T>,
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
}

impl<T: Real> CObjective<T> {
    fn new(f: Option<LossFn<T>>, g: Option<GradFn<T>>, ctx: *mut c_void) -> Result<Self, Error> {
        Ok(CObjective {
            f: f.ok_or(Error::NullPointer)?,
            g,
            ctx,
        })
    }
}

impl<T: Real> SliceObjective<T> for CObjective<T> {
    fn value(&mut self, x: &[T]) -> T {
        // SAFETY: the caller's callback, given a valid pointer to `x.len()` values.
        unsafe { (self.f)(x.as_ptr(), x.len(), self.ctx) }
    }
    fn gradient(&mut self, x: &mut [T], out: &mut [T]) -> Result<usize, Error> {
        let (f, ctx) = (self.f, self.ctx);
        match self.g {
            // SAFETY: the caller's callback, given valid pointers to `x.len()` values each.
            Some(g) => match unsafe { g(x.as_ptr(), x.len(), out.as_mut_ptr(), ctx) } {
                0 => Ok(0),
                _ => Err(Error::NonFiniteGradient),
            },
            // SAFETY: as in `value`.
            None => central_gradient(
                &mut |s: &[T]| unsafe { f(s.as_ptr(), s.len(), ctx) },
                x,
                out,
            ),
        }
    }
}

/// The checked config, stop rules, `x` and `work`, with `bounds` (`n` values each, more
/// inputs, checked first) kept apart from the outputs.
///
/// # Safety
/// The pointers must be valid for their lengths (the C caller's contract).
unsafe fn common<'a, T: Real, C: Copy>(
    x: *mut T,
    n: usize,
    config: *const C,
    stop: *const Stop<T>,
    work: *mut T,
    len: usize,
    report: *mut LossmapQuasiNewtonReport<T>,
    bounds: Option<(*const T, *const T)>,
) -> Result<(C, Stop<T>, &'a mut [T], &'a mut [T]), Error> {
    // Absent bounds: NULL and optional, no bytes.
    let (lo, hi, bf) = match bounds {
        Some((lo, hi)) => (lo, hi, READ),
        None => (core::ptr::null(), core::ptr::null(), OPTIONAL),
    };
    check(&mut [
        Arg::of(lo, n, bf),
        Arg::of(hi, n, bf),
        Arg::of(config, 1, READ),
        Arg::of(stop, 1, READ),
        Arg::of(
            report as *const LossmapQuasiNewtonReport<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, len, WRITTEN),
    ])?;
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
    let (config, stop) = unsafe { (*deref(config)?, *deref(stop)?) };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    Ok(unsafe {
        (
            config,
            stop,
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, len),
        )
    })
}

unsafe fn bfgs_c<T: Real>(
    f: Option<LossFn<T>>,
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    config: *const QuasiNewtonConfig<T>,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapQuasiNewtonReport<T>,
) -> Result<(), Error> {
    let mut obj = CObjective::new(f, g, ctx)?;
    let len = work::bfgs(n)?;
    // SAFETY: the caller's contract.
    let (config, stop, x, work) = unsafe { common(x, n, config, stop, work, len, report, None)? };
    let (hinv, vecs) = work
        .split_at_mut_checked(mul(n, n)?)
        .ok_or(Error::LengthMismatch)?;
    let r = bfgs_slice(&mut obj, x, hinv, vecs, &config, &stop, None)?;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, r.into()) };
    Ok(())
}

unsafe fn lbfgs_c<T: Real>(
    f: Option<LossFn<T>>,
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    bounds: Option<(*const T, *const T)>,
    n: usize,
    m: usize,
    config: *const QuasiNewtonConfig<T>,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapQuasiNewtonReport<T>,
) -> Result<(), Error> {
    let mut obj = CObjective::new(f, g, ctx)?;
    if m == 0 {
        return Err(Error::InvalidParameter);
    }
    let len = work::lbfgs(n, m)?;
    // SAFETY: the caller's contract.
    let (config, stop, x, work) = unsafe { common(x, n, config, stop, work, len, report, bounds)? };
    let (pairs, rest) = work
        .split_at_mut_checked(mul(mul(n, m)?, 2)?)
        .ok_or(Error::LengthMismatch)?;
    let (coef, vecs) = rest
        .split_at_mut_checked(mul(m, 2)?)
        .ok_or(Error::LengthMismatch)?;
    let r = match bounds {
        Some((l, h)) => {
            // SAFETY: checked non-null, aligned and sized by `check` (in `common`); read-only,
            // apart from the outputs.
            let (lower, upper) = unsafe {
                (
                    core::slice::from_raw_parts(l, n),
                    core::slice::from_raw_parts(h, n),
                )
            };
            lbfgs_bounded_slice(
                &mut obj, x, lower, upper, m, pairs, coef, vecs, &config, &stop, None,
            )?
        }
        None => lbfgs_slice(&mut obj, x, m, pairs, coef, vecs, &config, &stop, None)?,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, r.into()) };
    Ok(())
}

unsafe fn nelder_mead_c<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    config: *const NelderMeadConfig<T>,
    stop: *const Stop<T>,
    work: *mut T,
    report: *mut LossmapQuasiNewtonReport<T>,
) -> Result<(), Error> {
    let mut obj = CObjective::new(f, None, ctx)?;
    let len = work::nelder_mead(n)?;
    // SAFETY: the caller's contract.
    let (config, stop, x, work) = unsafe { common(x, n, config, stop, work, len, report, None)? };
    let (sim, rest) = work
        .split_at_mut_checked(mul(n, n)?)
        .ok_or(Error::LengthMismatch)?;
    let (fvals, vecs) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let r = nelder_mead_slice(&mut obj, x, sim, fvals, vecs, &config, &stop, None)?;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, r.into()) };
    Ok(())
}

/// BFGS/L-BFGS defaults (f32): c1 1e-4, c2 0.9, xtol 0.1, max_line_evals 20, ftol 0 (off).
#[no_mangle]
pub extern "C" fn lossmap_quasi_newton_config_default_f32() -> QuasiNewtonConfig<f32> {
    QuasiNewtonConfig::default()
}

/// BFGS/L-BFGS defaults (f64): c1 1e-4, c2 0.9, xtol 0.1, max_line_evals 20, ftol 0 (off).
#[no_mangle]
pub extern "C" fn lossmap_quasi_newton_config_default_f64() -> QuasiNewtonConfig<f64> {
    QuasiNewtonConfig::default()
}

/// The defaults with L-BFGS-B's relative-reduction stop, ftol = 2.2e-9 (f32).
#[no_mangle]
pub extern "C" fn lossmap_quasi_newton_config_lbfgsb_f32() -> QuasiNewtonConfig<f32> {
    QuasiNewtonConfig::lbfgsb()
}

/// The defaults with L-BFGS-B's relative-reduction stop, ftol = 2.2e-9 (f64).
#[no_mangle]
pub extern "C" fn lossmap_quasi_newton_config_lbfgsb_f64() -> QuasiNewtonConfig<f64> {
    QuasiNewtonConfig::lbfgsb()
}

/// Nelder–Mead defaults (f32): xatol 1e-4, fatol 1e-4, initial_rel 0.05, initial_zero 0.00025.
#[no_mangle]
pub extern "C" fn lossmap_nelder_mead_config_default_f32() -> NelderMeadConfig<f32> {
    NelderMeadConfig::default()
}

/// Nelder–Mead defaults (f64): xatol 1e-4, fatol 1e-4, initial_rel 0.05, initial_zero 0.00025.
#[no_mangle]
pub extern "C" fn lossmap_nelder_mead_config_default_f64() -> NelderMeadConfig<f64> {
    NelderMeadConfig::default()
}

/// Minimizes `f` from `x[0..n]` by BFGS with the Moré–Thuente line search (f32). `g` is the
/// gradient callback or NULL for central differences. Stops on `grad_tol`, `rel_tol`/`window`,
/// `step_tol`, `max_iter`, `max_evals` of `stop` and `ftol` of `config`. `work` holds
/// `lossmap_bfgs_work_len(n)` = `n² + 5n` floats (its first n² the inverse-Hessian
/// approximation afterwards); `report` may be NULL. Bad input changes nothing; a NaN/Inf loss
/// or gradient rolls `x` back to the last accepted point (`LOSSMAP_ERR_LOSS_NON_FINITE` /
/// `LOSSMAP_ERR_GRAD_NON_FINITE`); a line search failing twice rolls back and returns
/// `LOSSMAP_ERR_NO_CONVERGENCE`, unless the loss reached its rounding (then `LOSSMAP_OK` with
/// `LOSSMAP_STOP_REL_IMPROVEMENT`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_bfgs_f32(
    f: lossmap_loss_f32,
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    config: *const QuasiNewtonConfig<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapQuasiNewtonReport<f32>,
) -> i32 {
    status(unsafe { bfgs_c(f, g, ctx, x, n, config, stop, work, report) })
}

/// Minimizes `f` from `x[0..n]` by BFGS with the Moré–Thuente line search (f64). `g` is the
/// gradient callback or NULL for central differences. Stops on `grad_tol`, `rel_tol`/`window`,
/// `step_tol`, `max_iter`, `max_evals` of `stop` and `ftol` of `config`. `work` holds
/// `lossmap_bfgs_work_len(n)` = `n² + 5n` doubles (its first n² the inverse-Hessian
/// approximation afterwards); `report` may be NULL. Bad input changes nothing; a NaN/Inf loss
/// or gradient rolls `x` back to the last accepted point (`LOSSMAP_ERR_LOSS_NON_FINITE` /
/// `LOSSMAP_ERR_GRAD_NON_FINITE`); a line search failing twice rolls back and returns
/// `LOSSMAP_ERR_NO_CONVERGENCE`, unless the loss reached its rounding (then `LOSSMAP_OK` with
/// `LOSSMAP_STOP_REL_IMPROVEMENT`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_bfgs_f64(
    f: lossmap_loss_f64,
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    config: *const QuasiNewtonConfig<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapQuasiNewtonReport<f64>,
) -> i32 {
    status(unsafe { bfgs_c(f, g, ctx, x, n, config, stop, work, report) })
}

/// Minimizes `f` from `x[0..n]` by L-BFGS with `m ≥ 1` curvature pairs (scipy's default 10)
/// and the Moré–Thuente line search (f32). `g`, `stop`, `config`, `report` and the errors as
/// in `lossmap_bfgs_f32`; `work` holds `lossmap_lbfgs_work_len(n, m)` = `2mn + 2m + 4n` floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_lbfgs_f32(
    f: lossmap_loss_f32,
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    m: usize,
    config: *const QuasiNewtonConfig<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapQuasiNewtonReport<f32>,
) -> i32 {
    status(unsafe { lbfgs_c(f, g, ctx, x, None, n, m, config, stop, work, report) })
}

/// Minimizes `f` from `x[0..n]` by L-BFGS with `m ≥ 1` curvature pairs (scipy's default 10)
/// and the Moré–Thuente line search (f64). `g`, `stop`, `config`, `report` and the errors as
/// in `lossmap_bfgs_f64`; `work` holds `lossmap_lbfgs_work_len(n, m)` = `2mn + 2m + 4n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_lbfgs_f64(
    f: lossmap_loss_f64,
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    m: usize,
    config: *const QuasiNewtonConfig<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapQuasiNewtonReport<f64>,
) -> i32 {
    status(unsafe { lbfgs_c(f, g, ctx, x, None, n, m, config, stop, work, report) })
}

/// L-BFGS on the box `lower[i] <= x[i] <= upper[i]` (f32): variables at a bound whose gradient
/// (or quasi-Newton direction) points out are held, the line search stops at the first bound
/// met, every iterate stays in the box; a start outside it is projected onto it. `grad_tol`
/// applies to the projected gradient. Arguments, `work` (`lossmap_lbfgs_bounded_work_len(n, m)`,
/// `2mn + 2m + 4n`) and
/// errors as in `lossmap_lbfgs_f32`; an invalid box (`lower > upper`, NaN/Inf) is
/// `LOSSMAP_ERR_PARAM` / `LOSSMAP_ERR_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_lbfgs_bounded_f32(
    f: lossmap_loss_f32,
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *mut f32,
    lower: *const f32,
    upper: *const f32,
    n: usize,
    m: usize,
    config: *const QuasiNewtonConfig<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapQuasiNewtonReport<f32>,
) -> i32 {
    let b = Some((lower, upper));
    status(unsafe { lbfgs_c(f, g, ctx, x, b, n, m, config, stop, work, report) })
}

/// L-BFGS on the box `lower[i] <= x[i] <= upper[i]` (f64): variables at a bound whose gradient
/// (or quasi-Newton direction) points out are held, the line search stops at the first bound
/// met, every iterate stays in the box; a start outside it is projected onto it. `grad_tol`
/// applies to the projected gradient. Arguments, `work` (`lossmap_lbfgs_bounded_work_len(n, m)`,
/// `2mn + 2m + 4n`) and
/// errors as in `lossmap_lbfgs_f64`; an invalid box (`lower > upper`, NaN/Inf) is
/// `LOSSMAP_ERR_PARAM` / `LOSSMAP_ERR_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_lbfgs_bounded_f64(
    f: lossmap_loss_f64,
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *mut f64,
    lower: *const f64,
    upper: *const f64,
    n: usize,
    m: usize,
    config: *const QuasiNewtonConfig<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapQuasiNewtonReport<f64>,
) -> i32 {
    let b = Some((lower, upper));
    status(unsafe { lbfgs_c(f, g, ctx, x, b, n, m, config, stop, work, report) })
}

/// Minimizes `f` from `x[0..n]` by the Nelder–Mead simplex method with Gao & Han's adaptive
/// coefficients and scipy's initial simplex (f32). Uses `max_iter` and `max_evals` of `stop`
/// (0: 200n); stops when the simplex is within `xatol` and its losses within `fatol`. `x` ends
/// at the best vertex. `work` holds `lossmap_nelder_mead_work_len(n)` = `n² + 4n` floats;
/// `report` may be NULL. Bad input changes nothing; a NaN/Inf loss returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` with `x` at the best vertex so far.
#[no_mangle]
pub unsafe extern "C" fn lossmap_nelder_mead_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    config: *const NelderMeadConfig<f32>,
    stop: *const Stop<f32>,
    work: *mut f32,
    report: *mut LossmapQuasiNewtonReport<f32>,
) -> i32 {
    status(unsafe { nelder_mead_c(f, ctx, x, n, config, stop, work, report) })
}

/// Minimizes `f` from `x[0..n]` by the Nelder–Mead simplex method with Gao & Han's adaptive
/// coefficients and scipy's initial simplex (f64). Uses `max_iter` and `max_evals` of `stop`
/// (0: 200n); stops when the simplex is within `xatol` and its losses within `fatol`. `x` ends
/// at the best vertex. `work` holds `lossmap_nelder_mead_work_len(n)` = `n² + 4n` doubles;
/// `report` may be NULL. Bad input changes nothing; a NaN/Inf loss returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` with `x` at the best vertex so far.
#[no_mangle]
pub unsafe extern "C" fn lossmap_nelder_mead_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    config: *const NelderMeadConfig<f64>,
    stop: *const Stop<f64>,
    work: *mut f64,
    report: *mut LossmapQuasiNewtonReport<f64>,
) -> i32 {
    status(unsafe { nelder_mead_c(f, ctx, x, n, config, stop, work, report) })
}
