//! C entry points for nonlinear least squares: Levenberg–Marquardt, Gauss–Newton and fit
//! statistics, on a residual callback.

use super::ptr::{check, deref, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use crate::nlls::{
    forward_jacobian, gauss_newton_slice, levenberg_marquardt_slice, GaussNewtonConfig, LmConfig,
    LsqReport, SliceResiduals,
};
use crate::{Error, Real};
use core::ffi::c_void;

/// Residual callback, f32: writes the `m` residuals at `x[0..n]` to `r[0..m]`; returns 0 on
/// success, anything else for a failed evaluation (treated like NaN residuals: the run rolls
/// back). `ctx` is passed through untouched.
pub type lossmap_residuals_f32 = Option<
    unsafe extern "C" fn(x: *const f32, n: usize, r: *mut f32, m: usize, ctx: *mut c_void) -> i32,
>;
/// Residual callback, f64: writes the `m` residuals at `x[0..n]` to `r[0..m]`; returns 0 on
/// success, anything else for a failed evaluation (treated like NaN residuals: the run rolls
/// back). `ctx` is passed through untouched.
pub type lossmap_residuals_f64 = Option<
    unsafe extern "C" fn(x: *const f64, n: usize, r: *mut f64, m: usize, ctx: *mut c_void) -> i32,
>;
/// Jacobian callback, f32: writes the `m×n` Jacobian at `x[0..n]`, row-major
/// (`jac[i*n + j] = ∂r_i/∂x_j`); returns 0 on success, anything else for a failure
/// (`LOSSMAP_ERR_GRAD_NON_FINITE`, rolled back).
pub type lossmap_jacobian_f32 = Option<
    unsafe extern "C" fn(x: *const f32, n: usize, jac: *mut f32, m: usize, ctx: *mut c_void) -> i32,
>;
/// Jacobian callback, f64: writes the `m×n` Jacobian at `x[0..n]`, row-major
/// (`jac[i*n + j] = ∂r_i/∂x_j`); returns 0 on success, anything else for a failure
/// (`LOSSMAP_ERR_GRAD_NON_FINITE`, rolled back).
pub type lossmap_jacobian_f64 = Option<
    unsafe extern "C" fn(x: *const f64, n: usize, jac: *mut f64, m: usize, ctx: *mut c_void) -> i32,
>;

/// Stop reason: relative reduction of the sum of squares at most `ftol` (MINPACK info 1).
pub const LOSSMAP_LSQ_FTOL: i32 = 1;
/// Stop reason: relative change of `x` at most `xtol` (MINPACK info 2).
pub const LOSSMAP_LSQ_XTOL: i32 = 2;
/// Stop reason: both `ftol` and `xtol` (MINPACK info 3).
pub const LOSSMAP_LSQ_FTOL_XTOL: i32 = 3;
/// Stop reason: residuals orthogonal to the Jacobian's columns within `gtol` (MINPACK info 4).
pub const LOSSMAP_LSQ_GTOL: i32 = 4;
/// Stop reason: the residual-evaluation budget was used (MINPACK info 5).
pub const LOSSMAP_LSQ_MAX_EVALS: i32 = 5;
/// Stop reason: `ftol` too small, no further reduction possible (MINPACK info 6).
pub const LOSSMAP_LSQ_FTOL_TOO_SMALL: i32 = 6;
/// Stop reason: `xtol` too small, no further improvement of `x` possible (MINPACK info 7).
pub const LOSSMAP_LSQ_XTOL_TOO_SMALL: i32 = 7;
/// Stop reason: `gtol` too small, residuals orthogonal to machine precision (MINPACK info 8).
pub const LOSSMAP_LSQ_GTOL_TOO_SMALL: i32 = 8;
/// Stop reason: Gauss–Newton's `max_iter` iterations.
pub const LOSSMAP_LSQ_MAX_ITER: i32 = 9;

/// The report of a least-squares run.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapLsqReport<T> {
    /// Why it stopped: a `LOSSMAP_LSQ_*` code.
    pub reason: i32,
    /// Accepted steps.
    pub iterations: usize,
    /// Residual evaluations, those of finite-difference Jacobians included.
    pub residual_evals: usize,
    /// Jacobian evaluations.
    pub jacobian_evals: usize,
    /// Half the sum of squared residuals at the returned point.
    pub cost: T,
    /// Euclidean norm of the residuals at the returned point.
    pub residual_norm: T,
    /// Largest `|(J^T r)_j|` at the last Jacobian (bound-frozen parameters excluded).
    pub grad_inf: T,
}

/// The scalar fit statistics of `lossmap_fit_statistics_*`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapFitSummary<T> {
    /// Residual variance `|r|^2 / (m - n)`.
    pub sigma2: T,
    /// Condition number of the Jacobian, `s_max / s_min` (largest finite value if `s_min = 0`).
    pub condition: T,
    /// Degrees of freedom `m - n`.
    pub dof: usize,
    /// Numerical rank of the Jacobian (singular values above `max(m, n) * eps * s_max`).
    pub rank: usize,
    /// 1 when `rank == n` (the covariance is `sigma2 (J^T J)^-1`), 0 when it is not available
    /// (the matrix written is then the pseudo-inverse one).
    pub covariance_valid: i32,
}

fn lsq_report<T: Real>(r: LsqReport<T>) -> LossmapLsqReport<T> {
    LossmapLsqReport {
        reason: r.reason.code(),
        iterations: r.iterations,
        residual_evals: r.residual_evals,
        jacobian_evals: r.jacobian_evals,
        cost: r.cost,
        residual_norm: r.residual_norm,
        grad_inf: r.grad_inf,
    }
}

type ResFn<T> = unsafe extern "C" fn(*const T, usize, *mut T, usize, *mut c_void) -> i32;

/// The C callbacks as [`SliceResiduals`]: the Jacobian by the callback when given, forward
/// differences otherwise.
struct CResiduals<T: Real> {
    f: ResFn<T>,
    jac: Option<ResFn<T>>,
    ctx: *mut c_void,
}

impl<T: Real> CResiduals<T> {
    fn new(f: Option<ResFn<T>>, jac: Option<ResFn<T>>, ctx: *mut c_void) -> Result<Self, Error> {
        f.map(|f| CResiduals { f, jac, ctx })
            .ok_or(Error::NullPointer)
    }
}

impl<T: Real> SliceResiduals<T> for CResiduals<T> {
    fn residuals(&mut self, x: &[T], r: &mut [T]) {
        // SAFETY: the caller's callback, given valid pointers to `x.len()` and `r.len()` values.
        let rc = unsafe { (self.f)(x.as_ptr(), x.len(), r.as_mut_ptr(), r.len(), self.ctx) };
        if rc != 0 {
            r.iter_mut().for_each(|v| *v = T::NAN_R);
        }
    }
    fn jacobian(
        &mut self,
        x: &mut [T],
        r_at_x: &[T],
        jac: &mut [T],
        tmp: &mut [T],
    ) -> Result<usize, Error> {
        match self.jac {
            Some(g) => {
                let (n, m) = (x.len(), r_at_x.len());
                if jac.len() != m.saturating_mul(n) {
                    return Err(Error::LengthMismatch);
                }
                // SAFETY: the caller's callback, given valid pointers to n and m·n values.
                match unsafe { g(x.as_ptr(), n, jac.as_mut_ptr(), m, self.ctx) } {
                    0 => Ok(0),
                    _ => Err(Error::NonFiniteGradient),
                }
            }
            None => forward_jacobian(
                &mut |s: &[T], out: &mut [T]| self.residuals(s, out),
                x,
                r_at_x,
                jac,
                tmp,
                T::ZERO,
            ),
        }
    }
}

#[derive(Clone, Copy)]
enum Method<T> {
    Lm(LmConfig<T>),
    Gn(GaussNewtonConfig<T>),
}

unsafe fn lsq_c<T: Real, C: Copy>(
    f: Option<ResFn<T>>,
    jac: Option<ResFn<T>>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    m: usize,
    lower: *const T,
    upper: *const T,
    config: *const C,
    work: *mut T,
    report: *mut LossmapLsqReport<T>,
    method: fn(C) -> Method<T>,
) -> Result<(), Error> {
    let mut res = CResiduals::new(f, jac, ctx)?;
    // SAFETY: checked non-null and aligned by `deref` (and below by `check`); read only (a
    // copy); validity is the caller's contract.
    let cfg = method(unsafe { *deref(config)? });
    // An overflowing length is refused by `check` in the work buffer's turn.
    let len = match cfg {
        Method::Lm(_) => work::levenberg_marquardt(m, n),
        Method::Gn(_) => work::gauss_newton(m, n),
    }
    .unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(config, 1, READ),
        Arg::of(report as *const LossmapLsqReport<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, len, WRITTEN),
        Arg::of(lower, n, READ | OPTIONAL),
        Arg::of(upper, n, READ | OPTIONAL),
    ])?;
    // Both bounds or neither.
    if lower.is_null() != upper.is_null() {
        return Err(Error::NullPointer);
    }
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, work) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts_mut(work, len),
        )
    };
    // SAFETY: as above; bounds are only read.
    let bounds = (!lower.is_null()).then(|| unsafe {
        (
            core::slice::from_raw_parts(lower, n),
            core::slice::from_raw_parts(upper, n),
        )
    });
    let r = match cfg {
        Method::Lm(c) => levenberg_marquardt_slice(&mut res, x, m, bounds, work, &c)?,
        Method::Gn(c) => gauss_newton_slice(&mut res, x, m, bounds, work, &c)?,
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, lsq_report(r)) };
    Ok(())
}

unsafe fn stats_c<T: Real>(
    f: Option<ResFn<T>>,
    jac: Option<ResFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    m: usize,
    cov: *mut T,
    std_errors: *mut T,
    corr: *mut T,
    work: *mut T,
    summary: *mut LossmapFitSummary<T>,
) -> Result<(), Error> {
    let mut res = CResiduals::new(f, jac, ctx)?;
    let len = work::fit_statistics(m, n)?;
    let nn = super::ptr::mul(n, n)?;
    // Written: everything but x.
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(cov as *const T, nn, WRITTEN),
        Arg::of(work as *const T, len, WRITTEN),
        Arg::of(std_errors as *const T, n, WRITTEN | OPTIONAL),
        Arg::of(corr as *const T, nn, WRITTEN | OPTIONAL),
        Arg::of(
            summary as *const LossmapFitSummary<T>,
            1,
            WRITTEN | OPTIONAL,
        ),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (x, cov, work) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(cov, nn),
            core::slice::from_raw_parts_mut(work, len),
        )
    };
    // SAFETY: as above, optional outputs (NULL: absent).
    let (se, co) = unsafe {
        (
            (!std_errors.is_null()).then(|| core::slice::from_raw_parts_mut(std_errors, n)),
            (!corr.is_null()).then(|| core::slice::from_raw_parts_mut(corr, nn)),
        )
    };
    let s = crate::nlls::stats_from_residuals(&mut res, x, m, cov, work)?;
    crate::nlls::stderr_and_correlation(cov, n, se, co);
    let out = LossmapFitSummary {
        sigma2: s.sigma2,
        condition: s.condition,
        dof: s.dof,
        rank: s.rank,
        covariance_valid: i32::from(s.covariance_valid),
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(summary, out) };
    Ok(())
}

/// Levenberg–Marquardt defaults (f32): ftol = xtol = gtol = FLT_EPSILON (1e-8, scipy's
/// default, is below f32 precision), factor 100, max_evals 0 (scipy's rule: 100·n with a
/// Jacobian callback, 100·n·(n+1) with forward differences).
#[no_mangle]
pub extern "C" fn lossmap_lm_config_default_f32() -> LmConfig<f32> {
    LmConfig::default()
}

/// Levenberg–Marquardt defaults (f64): ftol = xtol = gtol = 1e-8 (scipy `least_squares`),
/// factor 100, max_evals 0 (scipy's rule: 100·n with a Jacobian callback, 100·n·(n+1) with
/// forward differences).
#[no_mangle]
pub extern "C" fn lossmap_lm_config_default_f64() -> LmConfig<f64> {
    LmConfig::default()
}

/// Gauss–Newton defaults (f32): ftol = xtol = gtol = FLT_EPSILON, c1 1e-4, backtrack 0.5,
/// max_backtracks 30, max_iter 100, max_evals 0 (as Levenberg–Marquardt's).
#[no_mangle]
pub extern "C" fn lossmap_gauss_newton_config_default_f32() -> GaussNewtonConfig<f32> {
    GaussNewtonConfig::default()
}

/// Gauss–Newton defaults (f64): ftol = xtol = gtol = 1e-8, c1 1e-4, backtrack 0.5,
/// max_backtracks 30, max_iter 100, max_evals 0 (as Levenberg–Marquardt's).
#[no_mangle]
pub extern "C" fn lossmap_gauss_newton_config_default_f64() -> GaussNewtonConfig<f64> {
    GaussNewtonConfig::default()
}

/// Fits `x[0..n]` to the `m >= n` residuals of `f` by Levenberg–Marquardt in MINPACK's form
/// (f32): pivoted QR, column-norm scaling, trust region, MINPACK's ftol/xtol/gtol tests. `jac`
/// may be NULL (forward differences, MINPACK lmdif's step). `lower` and `upper` (n each) are
/// both NULL (no bounds) or both given (entries may be ±INFINITY, `lower <= upper`, `x` inside).
/// `work` holds `lossmap_levenberg_marquardt_work_len(m, n)` = `m·n + 2m + 6n` floats and on
/// return starts with the residuals at `x`; `report` may be NULL. Bad input changes nothing; a
/// failed or NaN residual evaluation rolls `x` back to the last accepted point and returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` (a failed Jacobian `LOSSMAP_ERR_GRAD_NON_FINITE`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_levenberg_marquardt_f32(
    f: lossmap_residuals_f32,
    jac: lossmap_jacobian_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    m: usize,
    lower: *const f32,
    upper: *const f32,
    config: *const LmConfig<f32>,
    work: *mut f32,
    report: *mut LossmapLsqReport<f32>,
) -> i32 {
    status(unsafe {
        lsq_c(
            f,
            jac,
            ctx,
            x,
            n,
            m,
            lower,
            upper,
            config,
            work,
            report,
            Method::Lm,
        )
    })
}

/// Fits `x[0..n]` to the `m >= n` residuals of `f` by Levenberg–Marquardt in MINPACK's form
/// (f64): pivoted QR, column-norm scaling, trust region, MINPACK's ftol/xtol/gtol tests. `jac`
/// may be NULL (forward differences, MINPACK lmdif's step). `lower` and `upper` (n each) are
/// both NULL (no bounds) or both given (entries may be ±INFINITY, `lower <= upper`, `x` inside).
/// `work` holds `lossmap_levenberg_marquardt_work_len(m, n)` = `m·n + 2m + 6n` doubles and on
/// return starts with the residuals at `x`; `report` may be NULL. Bad input changes nothing; a
/// failed or NaN residual evaluation rolls `x` back to the last accepted point and returns
/// `LOSSMAP_ERR_LOSS_NON_FINITE` (a failed Jacobian `LOSSMAP_ERR_GRAD_NON_FINITE`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_levenberg_marquardt_f64(
    f: lossmap_residuals_f64,
    jac: lossmap_jacobian_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    m: usize,
    lower: *const f64,
    upper: *const f64,
    config: *const LmConfig<f64>,
    work: *mut f64,
    report: *mut LossmapLsqReport<f64>,
) -> i32 {
    status(unsafe {
        lsq_c(
            f,
            jac,
            ctx,
            x,
            n,
            m,
            lower,
            upper,
            config,
            work,
            report,
            Method::Lm,
        )
    })
}

/// Fits `x[0..n]` to the `m >= n` residuals of `f` by Gauss–Newton with Armijo backtracking
/// (f32); arguments as `lossmap_levenberg_marquardt_f32`, `work` holds
/// `lossmap_gauss_newton_work_len(m, n)` = `m·n + 2m + 7n` floats. A line search that finds
/// no acceptable step rolls back and returns `LOSSMAP_ERR_NO_CONVERGENCE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gauss_newton_f32(
    f: lossmap_residuals_f32,
    jac: lossmap_jacobian_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    m: usize,
    lower: *const f32,
    upper: *const f32,
    config: *const GaussNewtonConfig<f32>,
    work: *mut f32,
    report: *mut LossmapLsqReport<f32>,
) -> i32 {
    status(unsafe {
        lsq_c(
            f,
            jac,
            ctx,
            x,
            n,
            m,
            lower,
            upper,
            config,
            work,
            report,
            Method::Gn,
        )
    })
}

/// Fits `x[0..n]` to the `m >= n` residuals of `f` by Gauss–Newton with Armijo backtracking
/// (f64); arguments as `lossmap_levenberg_marquardt_f64`, `work` holds
/// `lossmap_gauss_newton_work_len(m, n)` = `m·n + 2m + 7n` doubles. A line search that finds
/// no acceptable step rolls back and returns `LOSSMAP_ERR_NO_CONVERGENCE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gauss_newton_f64(
    f: lossmap_residuals_f64,
    jac: lossmap_jacobian_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    m: usize,
    lower: *const f64,
    upper: *const f64,
    config: *const GaussNewtonConfig<f64>,
    work: *mut f64,
    report: *mut LossmapLsqReport<f64>,
) -> i32 {
    status(unsafe {
        lsq_c(
            f,
            jac,
            ctx,
            x,
            n,
            m,
            lower,
            upper,
            config,
            work,
            report,
            Method::Gn,
        )
    })
}

/// Fit statistics at `x[0..n]` (f32), from the residuals of `f` and the Jacobian (`jac`, or
/// forward differences when NULL) there, as scipy `curve_fit` reports them: writes the
/// covariance `sigma2 (J^T J)^-1` (`n×n`, row-major; the SVD pseudo-inverse when `J` is
/// rank-deficient) to `cov`, and when non-NULL the standard errors (`n`) to `std_errors` and the
/// correlation matrix (`n×n`) to `corr`. `work` holds `lossmap_fit_statistics_work_len(m, n)`
/// = `n·n + m·n + 2m + 2n` floats; on return it starts with the singular values of `J`
/// (descending, `n`) followed by the rows of `V^T` (`n×n`): the rows beyond `summary->rank` are
/// the parameter combinations the data do not determine. Needs `m > n`. `summary` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_fit_statistics_f32(
    f: lossmap_residuals_f32,
    jac: lossmap_jacobian_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    m: usize,
    cov: *mut f32,
    std_errors: *mut f32,
    corr: *mut f32,
    work: *mut f32,
    summary: *mut LossmapFitSummary<f32>,
) -> i32 {
    status(unsafe { stats_c(f, jac, ctx, x, n, m, cov, std_errors, corr, work, summary) })
}

/// Fit statistics at `x[0..n]` (f64), from the residuals of `f` and the Jacobian (`jac`, or
/// forward differences when NULL) there, as scipy `curve_fit` reports them: writes the
/// covariance `sigma2 (J^T J)^-1` (`n×n`, row-major; the SVD pseudo-inverse when `J` is
/// rank-deficient) to `cov`, and when non-NULL the standard errors (`n`) to `std_errors` and the
/// correlation matrix (`n×n`) to `corr`. `work` holds `lossmap_fit_statistics_work_len(m, n)`
/// = `n·n + m·n + 2m + 2n` doubles; on return it starts with the singular values of `J`
/// (descending, `n`) followed by the rows of `V^T` (`n×n`): the rows beyond `summary->rank` are
/// the parameter combinations the data do not determine. Needs `m > n`. `summary` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_fit_statistics_f64(
    f: lossmap_residuals_f64,
    jac: lossmap_jacobian_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    m: usize,
    cov: *mut f64,
    std_errors: *mut f64,
    corr: *mut f64,
    work: *mut f64,
    summary: *mut LossmapFitSummary<f64>,
) -> i32 {
    status(unsafe { stats_c(f, jac, ctx, x, n, m, cov, std_errors, corr, work, summary) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::status::{
        LOSSMAP_ERR_ALIASED, LOSSMAP_ERR_LENGTH, LOSSMAP_ERR_LOSS_NON_FINITE, LOSSMAP_ERR_NULL,
        LOSSMAP_ERR_PARAM, LOSSMAP_OK,
    };
    use crate::nlls::LsqReason;
    use core::ptr::{null, null_mut};

    /// r = (x0 − 1, 2(x1 + 1), x0 x1 + 1); fails (returns 1) once `*ctx` calls are used up.
    unsafe extern "C" fn res(
        x: *const f64,
        n: usize,
        r: *mut f64,
        m: usize,
        ctx: *mut c_void,
    ) -> i32 {
        // SAFETY: the test passes valid buffers and a counter.
        unsafe {
            let left = &mut *(ctx as *mut i64);
            *left -= 1;
            if *left < 0 {
                return 1;
            }
            let (x, r) = (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(r, m),
            );
            r[0] = x[0] - 1.0;
            r[1] = 2.0 * (x[1] + 1.0);
            r[2] = x[0] * x[1] + 1.0;
        }
        0
    }

    #[test]
    fn fits_and_refuses_bad_pointers_untouched() {
        const W: usize = 3 * 2 + 2 * 3 + 6 * 2;
        let cfg = lossmap_lm_config_default_f64();
        let mut calls = i64::MAX;
        let ctx = &mut calls as *mut i64 as *mut c_void;
        let mut x = [0.5, 0.5];
        let mut work = [0.0; W + 2];
        let mut rep = LossmapLsqReport {
            reason: 0,
            iterations: 0,
            residual_evals: 0,
            jacobian_evals: 0,
            cost: 0.0,
            residual_norm: 0.0,
            grad_inf: 0.0,
        };
        // SAFETY: valid buffers of the stated sizes.
        let st = unsafe {
            lossmap_levenberg_marquardt_f64(
                Some(res),
                None,
                ctx,
                x.as_mut_ptr(),
                2,
                3,
                null(),
                null(),
                &cfg,
                work.as_mut_ptr(),
                &mut rep,
            )
        };
        assert_eq!(st, LOSSMAP_OK);
        assert!(
            (x[0] - 1.0).abs() < 1e-6 && (x[1] + 1.0).abs() < 1e-6,
            "{x:?}"
        );
        let x0 = [0.5, 0.5];
        let lo = [0.0, -2.0];
        let bad_cfg = LmConfig { gtol: -1.0, ..cfg };
        type Case<'a> = (
            *mut f64,
            usize,
            *const f64,
            *const f64,
            *const LmConfig<f64>,
            *mut f64,
            i32,
        );
        let mut x = x0;
        let mut w = [7.0; W + 2];
        let xp = x.as_mut_ptr();
        let wp = w.as_mut_ptr();
        let cases: [Case; 7] = [
            (xp, 3, null(), null(), &cfg, wp, LOSSMAP_ERR_LENGTH), // m < n
            (xp, 3, lo.as_ptr(), null(), &cfg, wp, LOSSMAP_ERR_NULL), // one bound only
            (xp, 3, xp, xp, &cfg, wp, LOSSMAP_ERR_ALIASED),        // bounds over x
            (wp, 3, null(), null(), &cfg, wp, LOSSMAP_ERR_ALIASED), // x inside work
            (
                xp,
                3,
                null(),
                null(),
                wp as *const LmConfig<f64>,
                wp,
                LOSSMAP_ERR_ALIASED,
            ),
            (xp, 3, null(), null(), &bad_cfg, wp, LOSSMAP_ERR_PARAM),
            (xp, 3, null(), null(), null(), wp, LOSSMAP_ERR_NULL),
        ];
        for (i, (xc, m, l, h, c, wc, want)) in cases.into_iter().enumerate() {
            let m = if i == 0 { 1 } else { m };
            // SAFETY: every pointer is valid for its length or NULL.
            let st = unsafe {
                lossmap_levenberg_marquardt_f64(
                    Some(res),
                    None,
                    ctx,
                    xc,
                    2,
                    m,
                    l,
                    h,
                    c,
                    wc,
                    null_mut(),
                )
            };
            assert_eq!(st, want, "case {i}");
            // SAFETY: the arrays are alive; reading them back.
            let (xv, wv) = unsafe {
                (
                    core::ptr::read(xp as *const [f64; 2]),
                    core::ptr::read(wp as *const [f64; W + 2]),
                )
            };
            assert_eq!(xv, x0, "case {i}");
            assert!(wv.iter().all(|&v| v == 7.0), "case {i}");
        }
        let _ = (&mut x, &mut w);
        // The callback fails at its 4th call: rolled back to an accepted point.
        let mut x = x0;
        calls = 3;
        let ctx = &mut calls as *mut i64 as *mut c_void;
        // SAFETY: valid buffers.
        let st = unsafe {
            lossmap_levenberg_marquardt_f64(
                Some(res),
                None,
                ctx,
                x.as_mut_ptr(),
                2,
                3,
                null(),
                null(),
                &cfg,
                work[..W].as_mut_ptr(),
                null_mut(),
            )
        };
        assert_eq!(st, LOSSMAP_ERR_LOSS_NON_FINITE);
        assert_eq!(x, x0); // calls 2–3 are the forward-difference Jacobian at the start
    }

    #[test]
    fn reason_codes_match() {
        let pairs = [
            (LOSSMAP_LSQ_FTOL, LsqReason::Ftol),
            (LOSSMAP_LSQ_XTOL, LsqReason::Xtol),
            (LOSSMAP_LSQ_FTOL_XTOL, LsqReason::FtolXtol),
            (LOSSMAP_LSQ_GTOL, LsqReason::Gtol),
            (LOSSMAP_LSQ_MAX_EVALS, LsqReason::MaxEvaluations),
            (LOSSMAP_LSQ_FTOL_TOO_SMALL, LsqReason::FtolTooSmall),
            (LOSSMAP_LSQ_XTOL_TOO_SMALL, LsqReason::XtolTooSmall),
            (LOSSMAP_LSQ_GTOL_TOO_SMALL, LsqReason::GtolTooSmall),
            (LOSSMAP_LSQ_MAX_ITER, LsqReason::MaxIterations),
        ];
        for (c, r) in pairs {
            assert_eq!(c, r.code());
        }
    }
}
