//! Gauss–Newton with Armijo backtracking (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
//! §10.3, with the line search of §3.1). Each iteration, at `x` with residuals `r` and
//! Jacobian `J`:
//!
//! ```text
//! p   = argmin ‖J p + r‖         (pivoted QR; the minimum-norm-free basic solution if J is
//!                                 rank-deficient: components beyond the rank are 0)
//! α   = 1, ρ, ρ², …  until  ½‖r(P(x + αp))‖² ≤ ½‖r‖² + c₁ (Jᵀr)ᵀ(P(x + αp) − x)
//! x  ← P(x + αp)                 (P: projection onto the box, after the active set of the
//!                                 module docs)
//! ```
//!
//! Stops when `|Δ½‖r‖²| ≤ ftol·½‖r‖²` ([`LsqReason::Ftol`]), `‖Δx‖ ≤ xtol·(xtol + ‖x‖)`
//! ([`LsqReason::Xtol`], scipy's `xtol` rule), MINPACK's `gtol` cosine test
//! ([`LsqReason::Gtol`]), or a budget. A full step whose cost differs from the current one by
//! no more than the rounding of the cost (`4ε·cost`) is accepted too.

use super::qr::{enorm_by, gauss_newton_solve, idx, qrfac, qtf};
use super::{
    check_problem, copy, default_budget, default_tol, freeze_active, project, FixedResiduals,
    LsqReason, LsqReport, Residuals, SliceResiduals,
};
use crate::error::{check_len, Error};
use crate::linalg::{at, norm2, put};
use crate::optim::{ObserverHook, Progress};
use crate::Real;

/// Gauss–Newton tolerances, line search and budgets.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct GaussNewtonConfig<T> {
    /// Relative cost-reduction tolerance (≥ 0). Default `max(1e-8, ε)`, as for
    /// Levenberg–Marquardt.
    pub ftol: T,
    /// Relative step tolerance (≥ 0). Default as `ftol`.
    pub xtol: T,
    /// Orthogonality tolerance (≥ 0), MINPACK's `gtol` test. Default as `ftol`.
    pub gtol: T,
    /// Armijo constant `c₁ ∈ (0, 1)`. Default 1e-4 (N&W §3.1).
    pub c1: T,
    /// Backtracking factor `ρ ∈ (0, 1)`. Default 0.5.
    pub backtrack: T,
    /// Most step reductions per iteration (> 0). Default 30.
    pub max_backtracks: usize,
    /// Most iterations (> 0). Default 100.
    pub max_iter: usize,
    /// Most residual evaluations (finite-difference Jacobians included); 0 (the default) is
    /// Levenberg–Marquardt's rule: `100·n` with an analytic Jacobian, `100·n·(n + 1)` when it
    /// costs evaluations.
    pub max_evals: usize,
}

impl<T: Real> Default for GaussNewtonConfig<T> {
    fn default() -> Self {
        GaussNewtonConfig {
            ftol: default_tol(),
            xtol: default_tol(),
            gtol: default_tol(),
            c1: T::from_f64(1e-4),
            backtrack: T::HALF,
            max_backtracks: 30,
            max_iter: 100,
            max_evals: 0,
        }
    }
}

impl<T: Real> GaussNewtonConfig<T> {
    /// [`Error::InvalidParameter`] unless the tolerances are finite and ≥ 0, `c₁, ρ ∈ (0, 1)`
    /// and the counts are > 0.
    pub fn validate(&self) -> Result<(), Error> {
        let tol = |v: T| v.is_finite() && v >= T::ZERO;
        let unit = |v: T| v > T::ZERO && v < T::ONE;
        if tol(self.ftol)
            && tol(self.xtol)
            && tol(self.gtol)
            && unit(self.c1)
            && unit(self.backtrack)
            && self.max_backtracks > 0
            && self.max_iter > 0
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Scratch length of [`gauss_newton_slice`]: `m·n + 2m + 7n`; 0 when that overflows.
pub const fn gn_work_len(m: usize, n: usize) -> usize {
    let Some(mn) = m.checked_mul(n) else {
        return 0;
    };
    let (Some(m2), Some(n7)) = (m.checked_mul(2), n.checked_mul(7)) else {
        return 0;
    };
    match mn.checked_add(m2) {
        Some(a) => match a.checked_add(n7) {
            Some(b) => b,
            None => 0,
        },
        None => 0,
    }
}

/// Gauss–Newton over slices: the kernel behind [`GaussNewton`] and the C ABI. Arguments,
/// `work` layout (it starts with the residuals at the returned `x`) and errors as
/// [`levenberg_marquardt_slice`](super::levenberg_marquardt_slice); in addition a line search
/// that finds no acceptable step rolls back and returns [`Error::NoConvergence`].
pub fn gauss_newton_slice<T: Real, R: SliceResiduals<T> + ?Sized>(
    res: &mut R,
    x: &mut [T],
    m: usize,
    bounds: Option<(&[T], &[T])>,
    work: &mut [T],
    cfg: &GaussNewtonConfig<T>,
) -> Result<LsqReport<T>, Error> {
    check_problem(m, x, bounds)?;
    check_len(work.len(), gn_work_len(m, x.len()))?;
    let (fvec, rest) = work.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let (wa4, rest) = rest.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let (jac, vn) = rest
        .split_at_mut_checked(m.saturating_mul(x.len()))
        .ok_or(Error::LengthMismatch)?;
    gn_core(res, x, bounds, fvec, wa4, jac, vn, cfg, None)
}

#[allow(clippy::too_many_arguments)]
fn gn_core<T: Real, R: SliceResiduals<T> + ?Sized>(
    res: &mut R,
    x: &mut [T],
    bounds: Option<(&[T], &[T])>,
    fvec: &mut [T],
    wa4: &mut [T],
    jac: &mut [T],
    vn: &mut [T],
    cfg: &GaussNewtonConfig<T>,
    mut observer: ObserverHook<'_, T>,
) -> Result<LsqReport<T>, Error> {
    let (m, n) = (fvec.len(), x.len());
    check_problem(m, x, bounds)?;
    cfg.validate()?;
    check_len(wa4.len(), m)?;
    check_len(jac.len(), m.checked_mul(n).ok_or(Error::LengthMismatch)?)?;
    check_len(vn.len(), n.checked_mul(7).ok_or(Error::LengthMismatch)?)?;
    let (qtfv, rest) = vn.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (rdiag, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (acnorm, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (wa, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (ipvt, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (p, trial) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let eps = T::EPSILON_R;

    res.residuals(x, fvec);
    let mut nfev = 1usize;
    if fvec.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteLoss);
    }
    let mut fnorm = norm2(fvec);
    // Finite residuals whose cost ½‖r‖² overflows (f32 residuals of 1e20): the loss is not
    // finite. Accepted steps only lower the cost, so it stays finite from here on.
    if !(T::HALF * fnorm * fnorm).is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut budget = cfg.max_evals;
    let (mut njev, mut iterations) = (0usize, 0usize);
    let mut ginf;
    let reason = loop {
        let used = res
            .jacobian(x, fvec, jac, wa4)
            .map_err(super::lm::derivative_error)?;
        njev = njev.saturating_add(1);
        nfev = nfev.saturating_add(used);
        if budget == 0 {
            budget = default_budget(n, used > 0);
        }
        if jac.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        ginf = freeze_active(jac, fvec, x, bounds);
        if !ginf.is_finite() {
            return Err(Error::NonFiniteGradient);
        }
        qrfac(jac, m, n, ipvt, rdiag, acnorm, wa);
        copy(wa4, fvec);
        qtf(jac, m, n, rdiag, wa4, qtfv);
        let mut gnorm = T::ZERO;
        if fnorm != T::ZERO {
            for j in 0..n {
                let cn = at(acnorm, idx(ipvt, j));
                if cn != T::ZERO {
                    let mut sum = T::ZERO;
                    for i in 0..=j {
                        sum += at(jac, i * n + j) * (at(qtfv, i) / fnorm);
                    }
                    gnorm = gnorm.max((sum / cn).abs());
                }
            }
        }
        if gnorm <= cfg.gtol {
            break LsqReason::Gtol;
        }
        if iterations >= cfg.max_iter {
            break LsqReason::MaxIterations;
        }
        if nfev >= budget {
            break LsqReason::MaxEvaluations;
        }
        gauss_newton_solve(jac, n, ipvt, qtfv, p, wa);
        p.iter_mut().for_each(|v| *v = -*v);
        if p.iter().any(|v| !v.is_finite()) {
            return Err(Error::NoConvergence);
        }
        let cost = T::HALF * fnorm * fnorm;
        let mut alpha = T::ONE;
        let mut accepted = None;
        for k in 0..=cfg.max_backtracks {
            for j in 0..n {
                put(trial, j, at(x, j) + alpha * at(p, j));
            }
            project(trial, bounds);
            // Directional derivative along the (projected) step: rᵀJd = qtfᵀ (R Pᵀ d).
            let mut slope = T::ZERO;
            for i in 0..n {
                let mut s = T::ZERO;
                for j in i..n {
                    let l = idx(ipvt, j);
                    s += at(jac, i * n + j) * (at(trial, l) - at(x, l));
                }
                slope += at(qtfv, i) * s;
            }
            res.residuals(trial, wa4);
            nfev = nfev.saturating_add(1);
            if wa4.iter().any(|v| !v.is_finite()) {
                return Err(Error::NonFiniteLoss);
            }
            let fnorm1 = norm2(wa4);
            let cost1 = T::HALF * fnorm1 * fnorm1;
            let armijo = cost1 <= cost + cfg.c1 * slope;
            let in_noise = k == 0 && (cost1 - cost).abs() <= T::from_f64(4.0) * eps * cost;
            if armijo || in_noise {
                accepted = Some(fnorm1);
                break;
            }
            if nfev >= budget {
                break;
            }
            alpha *= cfg.backtrack;
        }
        let Some(fnorm1) = accepted else {
            if nfev >= budget {
                break LsqReason::MaxEvaluations;
            }
            return Err(Error::NoConvergence);
        };
        let step = enorm_by(n, |j| at(trial, j) - at(x, j));
        let cost1 = T::HALF * fnorm1 * fnorm1;
        let dcost = cost - cost1;
        copy(x, trial);
        copy(fvec, wa4);
        fnorm = fnorm1;
        iterations = iterations.saturating_add(1);
        if let Some(o) = observer.as_deref_mut() {
            let p = Progress {
                iteration: iterations,
                loss: cost1,
                grad_norm: ginf,
                step_norm: step,
                lr: alpha,
                value_evals: nfev,
                grad_evals: njev,
            };
            if !o(&p) {
                break LsqReason::Observer;
            }
        }
        let xnorm = norm2(x);
        let f_ok = dcost.abs() <= cfg.ftol * cost;
        let x_ok = step <= cfg.xtol * (cfg.xtol + xnorm);
        match (f_ok, x_ok) {
            (true, true) => break LsqReason::FtolXtol,
            (true, false) => break LsqReason::Ftol,
            (false, true) => break LsqReason::Xtol,
            (false, false) => {}
        }
    };
    Ok(LsqReport {
        reason,
        iterations,
        residual_evals: nfev,
        jacobian_evals: njev,
        cost: T::HALF * fnorm * fnorm,
        residual_norm: fnorm,
        grad_inf: ginf,
    })
}

/// Gauss–Newton on typed residuals with its scratch in this call's frame.
///
/// ```
/// use lossmap::nlls::{gauss_newton, GaussNewtonConfig};
/// // Exponential decay y = a e^{−b t} without noise.
/// let t = [0.0f64, 0.5, 1.0, 1.5, 2.0];
/// let y = t.map(|t| 3.0 * (-1.3 * t).exp());
/// let mut res = |p: &[f64; 2], r: &mut [f64; 5]| {
///     for i in 0..5 { r[i] = p[0] * (-p[1] * t[i]).exp() - y[i]; }
/// };
/// let mut p = [1.0, 1.0];
/// gauss_newton(&mut res, &mut p, &GaussNewtonConfig::default()).unwrap();
/// assert!((p[0] - 3.0).abs() < 1e-7 && (p[1] - 1.3).abs() < 1e-7);
/// ```
pub fn gauss_newton<T: Real, R: Residuals<T, M, N> + ?Sized, const M: usize, const N: usize>(
    res: &mut R,
    x: &mut [T; N],
    cfg: &GaussNewtonConfig<T>,
) -> Result<LsqReport<T>, Error> {
    GaussNewton::<T, M, N>::new(*cfg).fit(res, x)
}

/// Gauss–Newton with its scratch in storage the caller owns (the typed view over
/// [`gauss_newton_slice`]). After a run [`residuals`](Self::residuals) holds `r(x)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussNewton<T, const M: usize, const N: usize> {
    /// Tolerances, line search and budgets.
    pub config: GaussNewtonConfig<T>,
    /// The residuals at the last returned point.
    pub residuals: [T; M],
    trial: [T; M],
    jac: [[T; N]; M],
    vecs: [[T; N]; 7],
}

impl<T: Real, const M: usize, const N: usize> GaussNewton<T, M, N> {
    /// Storage for `M` residuals of `N` parameters.
    pub fn new(config: GaussNewtonConfig<T>) -> Self {
        GaussNewton {
            config,
            residuals: [T::ZERO; M],
            trial: [T::ZERO; M],
            jac: [[T::ZERO; N]; M],
            vecs: [[T::ZERO; N]; 7],
        }
    }

    /// Fits `x` (start in, result out); see [`gauss_newton_slice`] for the errors.
    pub fn fit<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &mut [T; N],
    ) -> Result<LsqReport<T>, Error> {
        self.run(res, x, None, None)
    }

    /// [`fit`](Self::fit) or [`fit_bounded`](Self::fit_bounded) (with `bounds`) with an
    /// observer, called after every step with the iteration, the cost `½‖r‖²`, the last
    /// `‖Jᵀr‖∞`, the step's length, the line search's step length `α` (as `lr`) and the
    /// evaluations so far; returning `false` stops the run ([`LsqReason::Observer`]).
    pub fn fit_with<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &mut [T; N],
        bounds: Option<(&[T; N], &[T; N])>,
        observer: &mut dyn FnMut(&Progress<T>) -> bool,
    ) -> Result<LsqReport<T>, Error> {
        let b = bounds.map(|(l, u)| (&l[..], &u[..]));
        self.run(res, x, b, Some(observer))
    }

    /// Fits `x` inside the box `lower ≤ x ≤ upper` (the start must lie in it).
    pub fn fit_bounded<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &mut [T; N],
        lower: &[T; N],
        upper: &[T; N],
    ) -> Result<LsqReport<T>, Error> {
        self.run(res, x, Some((lower, upper)), None)
    }

    fn run<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &mut [T; N],
        bounds: Option<(&[T], &[T])>,
        observer: ObserverHook<'_, T>,
    ) -> Result<LsqReport<T>, Error> {
        gn_core(
            &mut FixedResiduals::<R, M, N>(res),
            x,
            bounds,
            &mut self.residuals,
            &mut self.trial,
            self.jac.as_flattened_mut(),
            self.vecs.as_flattened_mut(),
            &self.config,
            observer,
        )
    }
}
