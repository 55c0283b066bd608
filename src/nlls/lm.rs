//! Levenberg–Marquardt in MINPACK's form (Moré 1978; MINPACK-1 `lmder`). Each outer iteration
//! evaluates `J` at `x`, factors `J P = Q R` and scales by `D = diag(max over iterations of
//! ‖J_j‖)`; each inner iteration computes `λ` and the step `p` with `‖D p‖ ≈ Δ` (`lmpar`),
//! evaluates `r(x + p)` and compares the actual reduction of `‖r‖²` with the one the linear
//! model predicts:
//!
//! ```text
//! ρ = actred / prered,  actred = 1 − (‖r(x+p)‖/‖r‖)²,  prered = (‖J p‖² + 2λ‖D p‖²)/‖r‖²
//! ρ ≤ 1/4:            Δ ← μ·min(Δ, 10‖D p‖), λ ← λ/μ   (μ ∈ [0.1, 0.5], from a quadratic fit)
//! λ = 0 or ρ ≥ 3/4:   Δ ← 2‖D p‖, λ ← λ/2
//! ρ ≥ 10⁻⁴:           accept x ← x + p (then a new Jacobian)
//! ```
//!
//! and stops by MINPACK's tests ([`LsqReason`]).

use super::qr::{enorm_by, idx, lmpar, qrfac, qtf};
use super::{
    check_problem, copy, default_budget, default_tol, freeze_active, project, FitStatistics,
    FixedResiduals, LsqReason, LsqReport, Residuals, SliceResiduals,
};
use crate::error::{check_len, Error};
use crate::linalg::{at, norm2, put};
use crate::optim::{ObserverHook, Progress};
use crate::Real;

/// Levenberg–Marquardt tolerances and budget (MINPACK `lmder`'s, scipy's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct LmConfig<T> {
    /// Relative-reduction tolerance of `‖r‖²` (≥ 0). Default `max(1e-8, ε)`: scipy
    /// `least_squares`' 1e-8 (f64); `ε` in f32, where 1e-8 is below the precision.
    pub ftol: T,
    /// Relative step tolerance (≥ 0): stop when `Δ ≤ xtol·‖D x‖`. Default as `ftol`.
    pub xtol: T,
    /// Orthogonality tolerance (≥ 0): stop when `max_j |J_jᵀ r| / (‖J_j‖ ‖r‖) ≤ gtol`.
    /// Default as `ftol`.
    pub gtol: T,
    /// Initial trust-region bound `Δ₀ = factor·‖D x₀‖` (`factor` itself when that is 0;
    /// finite, > 0). Default 100 (MINPACK's recommended value, scipy's default).
    pub factor: T,
    /// Most residual evaluations, finite-difference Jacobians included; 0 (the default) is
    /// scipy `least_squares(method='lm')`'s rule: `100·n` with an analytic Jacobian,
    /// `100·n·(n + 1)` when the Jacobian costs evaluations.
    pub max_evals: usize,
}

impl<T: Real> Default for LmConfig<T> {
    fn default() -> Self {
        LmConfig {
            ftol: default_tol(),
            xtol: default_tol(),
            gtol: default_tol(),
            factor: T::from_f64(100.0),
            max_evals: 0,
        }
    }
}

impl<T: Real> LmConfig<T> {
    /// [`Error::InvalidParameter`] unless the tolerances are finite and ≥ 0 and `factor` is
    /// finite and > 0.
    ///
    /// ```
    /// use lossmap::nlls::LmConfig;
    /// assert!(LmConfig::<f64>::default().validate().is_ok());
    /// assert!(LmConfig { ftol: -1.0, ..LmConfig::<f64>::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let tol = |v: T| v.is_finite() && v >= T::ZERO;
        if tol(self.ftol)
            && tol(self.xtol)
            && tol(self.gtol)
            && self.factor.is_finite()
            && self.factor > T::ZERO
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Scratch length (in `T`s) of [`levenberg_marquardt_slice`] for `m` residuals and `n`
/// parameters: `m·n + 2m + 6n` (the Jacobian and its QR factor, the residuals at `x` and at
/// the trial point, six vectors); 0 when that overflows.
pub const fn lm_work_len(m: usize, n: usize) -> usize {
    let Some(mn) = m.checked_mul(n) else {
        return 0;
    };
    let (Some(m2), Some(n6)) = (m.checked_mul(2), n.checked_mul(6)) else {
        return 0;
    };
    match mn.checked_add(m2) {
        Some(a) => match a.checked_add(n6) {
            Some(b) => b,
            None => 0,
        },
        None => 0,
    }
}

/// Levenberg–Marquardt over slices: the kernel behind [`LevenbergMarquardt`] and the C ABI.
///
/// Fits the `n = x.len()` parameters to `m` residuals (`m ≥ n`); `work` holds
/// [`lm_work_len(m, n)`](lm_work_len) values and, on return, starts with the `m` residuals at
/// the returned `x`. `bounds` is `Some((lower, upper))` for a box (see the module docs).
///
/// Errors, with `x` unchanged: [`Error::Empty`] (`m` or `n` zero), [`Error::LengthMismatch`]
/// (`m < n`, wrong `work` or bound lengths), [`Error::NonFiniteInput`] (NaN/Inf in `x`),
/// [`Error::InvalidParameter`] (config, bounds, or `x` outside them), [`Error::NonFiniteLoss`]
/// when the residuals at the start, or their cost ½‖r‖², are not finite. Later a non-finite
/// residual (at a trial point or inside a finite-difference Jacobian) returns
/// [`Error::NonFiniteLoss`] and a non-finite Jacobian (or a gradient `Jᵀr` that overflows)
/// [`Error::NonFiniteGradient`], with `x` at the last accepted point.
pub fn levenberg_marquardt_slice<T: Real, R: SliceResiduals<T> + ?Sized>(
    res: &mut R,
    x: &mut [T],
    m: usize,
    bounds: Option<(&[T], &[T])>,
    work: &mut [T],
    cfg: &LmConfig<T>,
) -> Result<LsqReport<T>, Error> {
    check_problem(m, x, bounds)?;
    check_len(work.len(), lm_work_len(m, x.len()))?;
    let (fvec, rest) = work.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let (wa4, rest) = rest.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let (jac, vn) = rest
        .split_at_mut_checked(m.saturating_mul(x.len()))
        .ok_or(Error::LengthMismatch)?;
    lm_core(res, x, bounds, fvec, wa4, jac, vn, cfg, None)
}

/// The kernel on split scratch: `fvec`, `wa4` (`m`), `jac` (`m·n`), `vn` (`6n`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn lm_core<T: Real, R: SliceResiduals<T> + ?Sized>(
    res: &mut R,
    x: &mut [T],
    bounds: Option<(&[T], &[T])>,
    fvec: &mut [T],
    wa4: &mut [T],
    jac: &mut [T],
    vn: &mut [T],
    cfg: &LmConfig<T>,
    mut observer: ObserverHook<'_, T>,
) -> Result<LsqReport<T>, Error> {
    let (m, n) = (fvec.len(), x.len());
    check_problem(m, x, bounds)?;
    cfg.validate()?;
    check_len(wa4.len(), m)?;
    check_len(jac.len(), m.checked_mul(n).ok_or(Error::LengthMismatch)?)?;
    check_len(vn.len(), n.checked_mul(6).ok_or(Error::LengthMismatch)?)?;
    let (diag, rest) = vn.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (qtfv, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (wa1, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (wa2, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (wa3, ipvt) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let eps = T::EPSILON_R;
    let p1 = T::from_f64(0.1);
    let p25 = T::from_f64(0.25);
    let p75 = T::from_f64(0.75);
    let p0001 = T::from_f64(1e-4);

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
    let (mut njev, mut iter) = (0usize, 1usize);
    let (mut par, mut xnorm, mut delta) = (T::ZERO, T::ZERO, T::ZERO);
    let mut ginf;
    let reason = 'outer: loop {
        let used = res.jacobian(x, fvec, jac, wa4).map_err(derivative_error)?;
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
        qrfac(jac, m, n, ipvt, wa1, wa2, wa3);
        if iter == 1 {
            for j in 0..n {
                let c = at(wa2, j);
                put(diag, j, if c == T::ZERO { T::ONE } else { c });
            }
            xnorm = enorm_by(n, |j| at(diag, j) * at(x, j));
            delta = cfg.factor * xnorm;
            if delta == T::ZERO {
                delta = cfg.factor;
            }
        }
        copy(wa4, fvec);
        qtf(jac, m, n, wa1, wa4, qtfv);
        // The scaled gradient norm (cosine of r against the columns of J).
        let mut gnorm = T::ZERO;
        if fnorm != T::ZERO {
            for j in 0..n {
                let l = idx(ipvt, j);
                let cn = at(wa2, l);
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
        for j in 0..n {
            put(diag, j, at(diag, j).max(at(wa2, j)));
        }
        loop {
            let (sdiag, rest4) = wa4.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
            let _ = rest4;
            lmpar(
                jac, n, ipvt, diag, qtfv, delta, &mut par, wa1, wa2, wa3, sdiag,
            );
            // wa1 = p, wa2 = x + p (projected onto the box).
            let mut clipped = false;
            for j in 0..n {
                let p = -at(wa1, j);
                put(wa1, j, p);
                put(wa2, j, at(x, j) + p);
            }
            if bounds.is_some() {
                project(wa2, bounds);
                for j in 0..n {
                    let p = at(wa2, j) - at(x, j);
                    if p != at(wa1, j) {
                        clipped = true;
                        put(wa1, j, p);
                    }
                }
            }
            if wa1.iter().chain(wa2.iter()).any(|v| !v.is_finite()) {
                return Err(Error::NoConvergence);
            }
            let pnorm = enorm_by(n, |j| at(diag, j) * at(wa1, j));
            if iter == 1 {
                delta = delta.min(pnorm);
            }
            res.residuals(wa2, wa4);
            nfev = nfev.saturating_add(1);
            if wa4.iter().any(|v| !v.is_finite()) {
                return Err(Error::NonFiniteLoss);
            }
            let fnorm1 = norm2(wa4);
            let mut actred = -T::ONE;
            if p1 * fnorm1 < fnorm {
                let q = fnorm1 / fnorm;
                actred = T::ONE - q * q;
            }
            // wa3 = R Pᵀ p, so ‖J p‖ = ‖wa3‖ and rᵀJp = qtfᵀ wa3.
            for j in 0..n {
                put(wa3, j, T::ZERO);
            }
            for j in 0..n {
                let t = at(wa1, idx(ipvt, j));
                for i in 0..=j {
                    put(wa3, i, at(wa3, i) + at(jac, i * n + j) * t);
                }
            }
            let temp1 = enorm_by(n, |j| at(wa3, j)) / fnorm;
            let temp2 = par.sqrt() * pnorm / fnorm;
            let (prered, dirder) = if clipped {
                let mut c = T::ZERO;
                for j in 0..n {
                    c += (at(qtfv, j) / fnorm) * (at(wa3, j) / fnorm);
                }
                (-(T::TWO * c + temp1 * temp1), c)
            } else {
                (
                    temp1 * temp1 + temp2 * temp2 / T::HALF,
                    -(temp1 * temp1 + temp2 * temp2),
                )
            };
            let ratio = if prered != T::ZERO {
                actred / prered
            } else {
                T::ZERO
            };
            if ratio <= p25 {
                let mut temp = if actred >= T::ZERO {
                    T::HALF
                } else {
                    T::HALF * dirder / (dirder + T::HALF * actred)
                };
                if p1 * fnorm1 >= fnorm || temp < p1 || !temp.is_finite() {
                    temp = p1;
                }
                delta = temp * delta.min(pnorm / p1);
                par /= temp;
            } else if par == T::ZERO || ratio >= p75 {
                delta = pnorm / T::HALF;
                par *= T::HALF;
            }
            let accepted = ratio >= p0001;
            if accepted {
                copy(x, wa2);
                xnorm = enorm_by(n, |j| at(diag, j) * at(x, j));
                copy(fvec, wa4);
                fnorm = fnorm1;
                iter = iter.saturating_add(1);
                if let Some(o) = observer.as_deref_mut() {
                    let p = Progress {
                        iteration: iter.saturating_sub(1),
                        loss: T::HALF * fnorm * fnorm,
                        grad_norm: ginf,
                        step_norm: norm2(wa1),
                        lr: delta,
                        value_evals: nfev,
                        grad_evals: njev,
                    };
                    if !o(&p) {
                        break 'outer LsqReason::Observer;
                    }
                }
            }
            let f_ok = actred.abs() <= cfg.ftol && prered <= cfg.ftol && T::HALF * ratio <= T::ONE;
            let x_ok = delta <= cfg.xtol * xnorm;
            match (f_ok, x_ok) {
                (true, true) => break 'outer LsqReason::FtolXtol,
                (true, false) => break 'outer LsqReason::Ftol,
                (false, true) => break 'outer LsqReason::Xtol,
                (false, false) => {}
            }
            if nfev >= budget {
                break 'outer LsqReason::MaxEvaluations;
            }
            if actred.abs() <= eps && prered <= eps && T::HALF * ratio <= T::ONE {
                break 'outer LsqReason::FtolTooSmall;
            }
            if delta <= eps * xnorm {
                break 'outer LsqReason::XtolTooSmall;
            }
            if gnorm <= eps {
                break 'outer LsqReason::GtolTooSmall;
            }
            if accepted {
                break;
            }
        }
    };
    Ok(LsqReport {
        reason,
        iterations: iter.saturating_sub(1),
        residual_evals: nfev,
        jacobian_evals: njev,
        cost: T::HALF * fnorm * fnorm,
        residual_norm: fnorm,
        grad_inf: ginf,
    })
}

/// A failed Jacobian: a non-finite residual inside it stays [`Error::NonFiniteLoss`], a size
/// error stays [`Error::LengthMismatch`], anything else is [`Error::NonFiniteGradient`].
pub(crate) fn derivative_error(e: Error) -> Error {
    match e {
        Error::NonFiniteLoss | Error::LengthMismatch => e,
        _ => Error::NonFiniteGradient,
    }
}

/// Levenberg–Marquardt on typed residuals with its scratch in this call's frame (see
/// [`LevenbergMarquardt`] for storage the caller owns, bounds and fit statistics).
///
/// ```
/// use lossmap::nlls::{levenberg_marquardt, LmConfig};
/// // Rosenbrock as residuals: r = (10(x₁ − x₀²), 1 − x₀), zero at (1, 1).
/// let mut rosen = |x: &[f64; 2], r: &mut [f64; 2]| {
///     *r = [10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]];
/// };
/// let mut x = [-1.2, 1.0];
/// let rep = levenberg_marquardt(&mut rosen, &mut x, &LmConfig::default()).unwrap();
/// assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] - 1.0).abs() < 1e-8, "{rep:?}");
/// assert!(rep.cost < 1e-20);
/// ```
pub fn levenberg_marquardt<
    T: Real,
    R: Residuals<T, M, N> + ?Sized,
    const M: usize,
    const N: usize,
>(
    res: &mut R,
    x: &mut [T; N],
    cfg: &LmConfig<T>,
) -> Result<LsqReport<T>, Error> {
    LevenbergMarquardt::<T, M, N>::new(*cfg).fit(res, x)
}

/// Levenberg–Marquardt with its scratch (the `M×N` Jacobian and its QR factor, two residual
/// vectors, six parameter vectors and an `N×N` matrix for the statistics) in storage the
/// caller owns: the typed view over [`levenberg_marquardt_slice`]. After a run
/// [`residuals`](Self::residuals) holds `r(x)` at the returned `x`.
///
/// ```
/// use lossmap::nlls::{LevenbergMarquardt, LmConfig};
/// // y = a(1 − e^{−b t}) + c sampled without noise: the fit recovers (a, b, c).
/// let t: [f64; 8] = core::array::from_fn(|i| i as f64);
/// let model = |p: &[f64; 3], t: f64| p[0] * (1.0 - (-p[1] * t).exp()) + p[2];
/// let y = t.map(|t| model(&[2.0, 0.5, 0.1], t));
/// let mut res = |p: &[f64; 3], r: &mut [f64; 8]| {
///     for i in 0..8 { r[i] = model(p, t[i]) - y[i]; }
/// };
/// let mut lm = LevenbergMarquardt::<f64, 8, 3>::new(LmConfig::default());
/// let mut p = [1.0, 1.0, 0.0];
/// lm.fit(&mut res, &mut p).unwrap();
/// assert!((p[0] - 2.0).abs() < 1e-7 && (p[1] - 0.5).abs() < 1e-7 && (p[2] - 0.1).abs() < 1e-7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevenbergMarquardt<T, const M: usize, const N: usize> {
    /// Tolerances and budget.
    pub config: LmConfig<T>,
    /// The residuals at the last returned point.
    pub residuals: [T; M],
    trial: [T; M],
    jac: [[T; N]; M],
    vecs: [[T; N]; 6],
    square: [[T; N]; N],
}

impl<T: Real, const M: usize, const N: usize> LevenbergMarquardt<T, M, N> {
    /// Storage for `M` residuals of `N` parameters; the configuration is checked by
    /// [`fit`](Self::fit).
    pub fn new(config: LmConfig<T>) -> Self {
        LevenbergMarquardt {
            config,
            residuals: [T::ZERO; M],
            trial: [T::ZERO; M],
            jac: [[T::ZERO; N]; M],
            vecs: [[T::ZERO; N]; 6],
            square: [[T::ZERO; N]; N],
        }
    }

    /// Fits `x` (start in, result out); see [`levenberg_marquardt_slice`] for the errors.
    pub fn fit<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &mut [T; N],
    ) -> Result<LsqReport<T>, Error> {
        self.run(res, x, None, None)
    }

    /// [`fit`](Self::fit) or [`fit_bounded`](Self::fit_bounded) (with `bounds`) with an
    /// observer, called after every accepted step with the iteration, the cost `½‖r‖²`, the
    /// last `‖Jᵀr‖∞`, the step's length, the trust-region radius `Δ` (as `lr`) and the
    /// residual and Jacobian evaluations so far; returning `false` stops the run
    /// ([`LsqReason::Observer`], `x` at the accepted point).
    ///
    /// ```
    /// use lossmap::nlls::{LevenbergMarquardt, LmConfig, LsqReason};
    /// use lossmap::optim::Progress;
    /// let mut rosen = |x: &[f64; 2], r: &mut [f64; 2]| *r = [10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]];
    /// let mut lm = LevenbergMarquardt::<f64, 2, 2>::new(LmConfig::default());
    /// let mut x = [-1.2, 1.0];
    /// let mut costs = Vec::new();
    /// let mut watch = |p: &Progress<f64>| { costs.push(p.loss); p.iteration < 3 };
    /// let r = lm.fit_with(&mut rosen, &mut x, None, &mut watch).unwrap();
    /// assert_eq!((r.reason, r.iterations), (LsqReason::Observer, 3));
    /// assert!(costs.windows(2).all(|c| c[1] < c[0])); // accepted steps lower the cost
    /// ```
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

    /// Fits `x` inside the box `lower ≤ x ≤ upper` (entries may be `±∞`; the start must lie
    /// in the box). See the module docs for the method.
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
        lm_core(
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

    /// Fit statistics at `x` (normally the result of [`fit`](Self::fit)) from a fresh
    /// Jacobian of `res` there: see [`fit_statistics_slice`](super::fit_statistics_slice).
    /// Writes the covariance `σ²(JᵀJ)⁺` to `cov` and the correlation matrix to `corr`.
    ///
    /// ```
    /// use lossmap::nlls::{LevenbergMarquardt, LmConfig};
    /// // A straight line y = p0 + p1 t through 4 points: the covariance is σ²(XᵀX)⁻¹.
    /// let (t, y) = ([0.0f64, 1.0, 2.0, 3.0], [1.0, 2.9, 5.1, 7.0]);
    /// let mut res = |p: &[f64; 2], r: &mut [f64; 4]| {
    ///     for i in 0..4 { r[i] = p[0] + p[1] * t[i] - y[i]; }
    /// };
    /// let mut lm = LevenbergMarquardt::<f64, 4, 2>::new(LmConfig::default());
    /// let mut p = [0.0, 0.0];
    /// lm.fit(&mut res, &mut p).unwrap();
    /// let (mut cov, mut corr) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    /// let st = lm.statistics(&mut res, &p, &mut cov, &mut corr).unwrap();
    /// assert_eq!(st.summary.rank, 2);
    /// // (XᵀX)⁻¹ = [[0.7, −0.3], [−0.3, 0.2]], σ² = RSS / 2 (to the 1e-8 of the
    /// // closure's forward-difference Jacobian).
    /// let rss: f64 = lm.residuals.iter().map(|r| r * r).sum();
    /// assert!((cov[1][1] / (0.2 * rss / 2.0) - 1.0).abs() < 1e-6);
    /// assert!((corr[0][1] + 0.3 / (0.7f64 * 0.2).sqrt()).abs() < 1e-6);
    /// ```
    pub fn statistics<R: Residuals<T, M, N> + ?Sized>(
        &mut self,
        res: &mut R,
        x: &[T; N],
        cov: &mut [[T; N]; N],
        corr: &mut [[T; N]; N],
    ) -> Result<FitStatistics<T, N>, Error> {
        super::stats::typed_statistics(
            res,
            x,
            &mut self.residuals,
            &mut self.jac,
            &mut self.vecs,
            &mut self.square,
            cov,
            corr,
        )
    }

    /// The right singular vectors of the Jacobian of the last [`statistics`](Self::statistics)
    /// call: row `k` belongs to `stats.singular_values[k]` (descending), sign-normalized.
    pub fn singular_vectors(&self) -> &[[T; N]; N] {
        &self.square
    }

    /// The fit as the crate's identifiability report (`landscape::Identifiability`), from the
    /// last [`statistics`](Self::statistics) call: the eigen-directions of the Gauss–Newton
    /// Hessian `JᵀJ` of `½‖r‖²` (curvatures `sᵢ²`), split into the undetermined ones (`sᵢ` at
    /// or below the rank threshold) and the determined ones, each in ascending curvature.
    ///
    /// ```
    /// use lossmap::nlls::{LevenbergMarquardt, LmConfig};
    /// // Only a + b enters the model: the flat direction is (1, −1)/√2.
    /// let t = [1.0f64, 2.0, 3.0];
    /// let mut res = |p: &[f64; 2], r: &mut [f64; 3]| {
    ///     for i in 0..3 { r[i] = (p[0] + p[1]) * t[i] - 2.0 * t[i] + 0.01 * i as f64; }
    /// };
    /// let mut lm = LevenbergMarquardt::<f64, 3, 2>::new(LmConfig::default());
    /// // Equal parameters take equal difference steps: the two Jacobian columns are identical.
    /// let mut p = [0.5, 0.5];
    /// lm.fit(&mut res, &mut p).unwrap();
    /// let (mut cov, mut corr) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    /// let st = lm.statistics(&mut res, &p, &mut cov, &mut corr).unwrap();
    /// let id = lm.identifiability(&st);
    /// assert_eq!((id.flat.len(), id.determined.len()), (1, 1));
    /// assert!((id.flat[0].vector[0] - 0.5f64.sqrt()).abs() < 1e-6);
    /// ```
    pub fn identifiability(
        &self,
        stats: &FitStatistics<T, N>,
    ) -> crate::landscape::Identifiability<T, N> {
        let mut out = crate::landscape::Identifiability {
            flat: heapless::Vec::new(),
            determined: heapless::Vec::new(),
        };
        for k in (0..N).rev() {
            let s = stats.singular_values.get(k).copied().unwrap_or(T::ZERO);
            let d = crate::landscape::Direction {
                vector: self.square.get(k).copied().unwrap_or([T::ZERO; N]),
                curvature: s * s,
            };
            let list = if k >= stats.summary.rank {
                &mut out.flat
            } else {
                &mut out.determined
            };
            // At most N directions in all: a push never finds its list full.
            let _ = list.push(d);
        }
        out
    }
}
