//! Critical points of every index, and a census of them over a box.
//!
//! **The finder** solves `∇f(x) = 0` by Levenberg–Marquardt on the residual `F = ∇f` with
//! Jacobian `J = H = ∇²f` (Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 11:
//! nonlinear equations with the merit function `½‖F‖²`; the damping and its update are those
//! of Madsen, Nielsen & Tingleff, *Methods for Non-Linear Least Squares Problems*, 2004,
//! Algorithm 3.16). Each iteration, at `x` with gradient `g` and Hessian `H`:
//!
//! ```text
//! (H² + μI) s = −H g                       (the Gauss–Newton model of ½‖∇f‖², damped)
//! ρ = (½‖g‖² − ½‖∇f(x + s)‖²) / (½ sᵀ(μ s − H g))
//! ρ > 0: x ← x + s,  μ ← μ · max(1/3, 1 − (2ρ − 1)³),  ν ← 2
//! else:  μ ← μ · ν,  ν ← 2ν
//! ```
//!
//! with `μ₀ = τ · maxᵢ (H²)ᵢᵢ`. Unlike a minimizer, nothing here prefers descent of `f`: the
//! merit function `½‖∇f‖²` is zero at minima, saddles and maxima alike, so the iteration is
//! drawn to the critical point nearest in this sense — the attraction of plain Newton to
//! saddles that Dauphin et al. (*Identifying and attacking the saddle point problem in
//! high-dimensional non-convex optimization*, NIPS 2014, §4) warn minimizers about is what a
//! census needs. Once `‖∇f‖₂ ≤ tol.grad`, a few pure Newton steps `s = −H⁻¹g` (through the
//! eigen-decomposition, skipped at a degenerate Hessian) refine the point, and the crate's
//! classifier ([`classify_at_slice`]) gives its kind and index.
//!
//! **The census** runs the finder from many starts drawn uniformly in a [`Bounds`] box and keeps
//! the distinct critical points found (two are the same when `‖x − y‖∞ ≤ dedup_tol·(1 + ‖y‖∞)`),
//! sorted by value, in storage the caller owns. It is the experiment behind the claim that in
//! high dimension saddles outnumber minima and that low loss goes with low index (Bray & Dean,
//! *Statistics of critical points of Gaussian fields on large-dimensional spaces*, PRL 98,
//! 150201, 2007; Dauphin et al. 2014, Fig. 1).

use super::classify::{classify_at_slice, CriticalPoint, Tolerance};
use super::convexity::HessianScratch;
use super::curvature::CurvatureSummary;
use crate::error::{check_finite, check_len, Error};
use crate::global::Bounds;
use crate::linalg::{at, cholesky_solve, norm2, norm_inf, put, sym_eigen};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};
use rand_core::Rng;

/// Parameters of the critical-point finder.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CriticalConfig<T> {
    /// Classification tolerances; the finder has converged when `‖∇f‖₂ ≤ tol.grad`, the point
    /// the classifier calls critical. Default: grad `ε^{1/3}`, zero_rel `100·√ε`.
    pub tol: Tolerance<T>,
    /// Most Levenberg–Marquardt iterations (> 0). Default 100.
    pub max_iter: usize,
    /// Pure Newton steps after convergence (each kept only when it lowers `‖∇f‖`). Default 3.
    pub refine: usize,
    /// Initial damping `τ > 0`, relative to `max (H²)ᵢᵢ`. Default 1e-3 (Madsen et al. 2004,
    /// §3.2, for a start believed to be far from the solution).
    pub tau: T,
    /// Stall test `‖s‖₂ ≤ x_tol·(‖x‖₂ + x_tol)` (> 0): the iteration has stopped at a local
    /// minimum of `½‖∇f‖²` that is no critical point. Default `√ε` (1.5e-8 in f64, the
    /// `ε₂ = 1e-8` of Madsen et al.; 3.5e-4 in f32).
    pub x_tol: T,
}

impl<T: Real> Default for CriticalConfig<T> {
    fn default() -> Self {
        CriticalConfig {
            tol: Tolerance::default(),
            max_iter: 100,
            refine: 3,
            tau: T::from_f64(1e-3),
            x_tol: T::EPSILON_R.sqrt(),
        }
    }
}

impl<T: Real> CriticalConfig<T> {
    /// [`Error::InvalidParameter`] unless the tolerances are valid, `max_iter > 0` and `tau`,
    /// `x_tol` are finite and > 0.
    ///
    /// ```
    /// use lossmap::landscape::CriticalConfig;
    /// assert!(CriticalConfig::<f64>::default().validate().is_ok());
    /// assert!(CriticalConfig { tau: 0.0, ..CriticalConfig::<f64>::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.tol.validate()?;
        let pos = |v: T| v.is_finite() && v > T::ZERO;
        if self.max_iter > 0 && pos(self.tau) && pos(self.x_tol) {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// A critical point found by [`critical_point_slice`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CriticalReport<T> {
    /// The classifier's verdict at the returned point (never
    /// [`CriticalPoint::NotCritical`] with the default tolerances).
    pub kind: CriticalPoint,
    /// Number of negative eigenvalues (beyond the zero tolerance): 0 at a minimum, `n` at a
    /// maximum.
    pub index: usize,
    /// `f` at the returned point.
    pub value: T,
    /// `‖∇f‖₂` there.
    pub grad_norm: T,
    /// Levenberg–Marquardt iterations (accepted and rejected steps).
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

impl<T: Real> CriticalReport<T> {
    /// Negative-eigenvalue count of a verdict on `n` parameters.
    fn index_of(kind: CriticalPoint, n: usize) -> usize {
        match kind {
            CriticalPoint::Maximum => n,
            CriticalPoint::Saddle { index } => index,
            CriticalPoint::Degenerate { negative, .. } => negative,
            _ => 0,
        }
    }
}

/// Scratch length (in `T`s) of [`CriticalScratch::split`] for `n` parameters: `5n² + 7n`.
/// Saturates at `usize::MAX` instead of overflowing.
pub const fn critical_work_len(n: usize) -> usize {
    n.saturating_mul(n)
        .saturating_mul(5)
        .saturating_add(n.saturating_mul(7))
}

/// Scratch of the finder for `n` parameters: one Hessian analysis ([`HessianScratch`], whose
/// `values` hold the eigenvalues at the returned point), `H²` and a Cholesky factor (`n×n`
/// each) and five vectors.
#[derive(Debug)]
pub struct CriticalScratch<'a, T> {
    /// The Hessian, its eigen-decomposition and a point copy.
    pub analysis: HessianScratch<'a, T>,
    a: &'a mut [T],
    chol: &'a mut [T],
    vecs: &'a mut [T],
}

impl<'a, T: Real> CriticalScratch<'a, T> {
    /// Carves the scratch out of one buffer of at least [`critical_work_len`]`(n)` values.
    pub fn split(buf: &'a mut [T], n: usize) -> Result<Self, Error> {
        let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
        let h_len = nn
            .checked_mul(3)
            .and_then(|v| v.checked_add(n.checked_mul(2)?))
            .ok_or(Error::LengthMismatch)?;
        let (h, rest) = buf
            .split_at_mut_checked(h_len)
            .ok_or(Error::LengthMismatch)?;
        let (a, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (chol, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let vecs = rest
            .get_mut(..n.checked_mul(5).ok_or(Error::LengthMismatch)?)
            .ok_or(Error::LengthMismatch)?;
        Ok(CriticalScratch {
            analysis: HessianScratch::split(h, n)?,
            a,
            chol,
            vecs,
        })
    }

    /// The parameter count this scratch was made for.
    fn dim(&self) -> usize {
        self.analysis.point.len()
    }

    /// Eigenvalues at the point last returned (ascending).
    pub fn eigenvalues(&self) -> &[T] {
        self.analysis.values
    }
}

/// Gradient at `x`; failures and non-finite entries are [`Error::NonFiniteGradient`] (a
/// non-finite loss seen by a finite-difference gradient stays [`Error::NonFiniteLoss`]).
fn gradient<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    g: &mut [T],
) -> Result<(), Error> {
    obj.gradient(x, g).map_err(map_derivative_error)?;
    check_finite(g).map_err(|_| Error::NonFiniteGradient)
}

/// Hessian at `x`, with the error mapping of [`gradient`].
fn hessian<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    h: &mut [T],
) -> Result<(), Error> {
    obj.hessian(x, h).map_err(map_derivative_error)?;
    check_finite(h).map_err(|_| Error::NonFiniteGradient)
}

fn map_derivative_error(e: Error) -> Error {
    match e {
        Error::NonFiniteLoss => Error::NonFiniteLoss,
        Error::LengthMismatch => Error::LengthMismatch,
        _ => Error::NonFiniteGradient,
    }
}

/// `A = H²` and `hg = H g` for the symmetric `n×n` `h`.
fn gauss_newton_model<T: Real>(h: &[T], n: usize, g: &[T], a: &mut [T], hg: &mut [T]) {
    for i in 0..n {
        let mut s = T::ZERO;
        for k in 0..n {
            s += at(h, i * n + k) * at(g, k);
        }
        put(hg, i, s);
        for j in 0..=i {
            let mut v = T::ZERO;
            for k in 0..n {
                v += at(h, i * n + k) * at(h, k * n + j);
            }
            put(a, i * n + j, v);
            put(a, j * n + i, v);
        }
    }
}

fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s);
}

/// Finds a critical point (of any index) from `x` and classifies it: the kernel behind
/// [`find_critical`], [`census_slice`] and the C ABI.
///
/// On `Ok`, `x` holds the point (`‖∇f‖₂ ≤ cfg.tol.grad`) and `scratch.eigenvalues()` its
/// Hessian's eigenvalues, ascending. Bad input (sizes, NaN/Inf in `x`, invalid `cfg`) and a
/// non-finite gradient or Hessian at the start return an error with `x` untouched. Later, a
/// non-finite gradient, Hessian or loss leaves `x` at the last accepted iterate and returns
/// [`Error::NonFiniteGradient`] / [`Error::NonFiniteLoss`]; a stall (a local minimum of
/// `‖∇f‖²` that is not a zero) or `cfg.max_iter` iterations without convergence returns
/// [`Error::NoConvergence`] with `x` at the iterate of smallest `‖∇f‖` so far.
///
/// ```
/// use lossmap::landscape::{critical_point_slice, critical_work_len, CriticalConfig, CriticalPoint, CriticalScratch};
/// use lossmap::objective::FnSlice;
/// // x⁴ − 2x² + y²: minima at (±1, 0), a saddle at the origin. Newton from near the origin
/// // finds the saddle, which a minimizer would leave.
/// let mut f = FnSlice(|v: &[f64]| v[0].powi(4) - 2.0 * v[0] * v[0] + v[1] * v[1]);
/// let mut buf = [0.0; critical_work_len(2)];
/// let mut scratch = CriticalScratch::split(&mut buf, 2).unwrap();
/// let mut x = [0.3, 0.4];
/// let r = critical_point_slice(&mut f, &mut x, &CriticalConfig::default(), &mut scratch).unwrap();
/// assert_eq!(r.kind, CriticalPoint::Saddle { index: 1 });
/// assert!(x[0].abs() < 1e-8 && x[1].abs() < 1e-8 && r.value.abs() < 1e-12);
/// assert!((scratch.eigenvalues()[0] + 4.0).abs() < 1e-4);
/// ```
pub fn critical_point_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    cfg: &CriticalConfig<T>,
    scratch: &mut CriticalScratch<'_, T>,
) -> Result<CriticalReport<T>, Error> {
    let n = x.len();
    check_len(scratch.dim(), n)?;
    cfg.validate()?;
    check_finite(x)?;
    let CriticalScratch {
        analysis,
        a,
        chol,
        vecs,
    } = scratch;
    let (g, rest) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (gt, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (xt, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (s, hg) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let h = &mut *analysis.hessian;

    // Derivatives at a copy: `x` stays untouched until a step is accepted.
    copy(xt, x);
    gradient(obj, xt, g)?;
    hessian(obj, xt, h)?;
    let (mut grad_evals, mut hess_evals) = (1usize, 1usize);
    gauss_newton_model(h, n, g, a, hg);
    let mut phi = T::HALF * norm2(g) * norm2(g);
    let mut max_diag = T::ZERO;
    for i in 0..n {
        max_diag = max_diag.max(at(a, i * n + i));
    }
    let mut mu = cfg.tau * max_diag;
    if !(mu.is_finite() && mu > T::ZERO) {
        mu = cfg.tau;
    }
    let mut nu = T::TWO;
    let mut iterations = 0usize;
    while norm2(g) > cfg.tol.grad {
        if iterations >= cfg.max_iter || !mu.is_finite() {
            return Err(Error::NoConvergence);
        }
        iterations = iterations.saturating_add(1);
        // (H² + μI) s = −Hg, the shifted matrix in the eigen-solver's buffer.
        copy(analysis.work, a);
        for i in 0..n {
            put(analysis.work, i * n + i, at(a, i * n + i) + mu);
        }
        s.iter_mut().zip(hg.iter()).for_each(|(si, &v)| *si = -v);
        match cholesky_solve(analysis.work, n, chol, s) {
            Ok(()) if s.iter().all(|v| v.is_finite()) => {}
            Ok(()) | Err(Error::NotPositiveDefinite) | Err(Error::NonFiniteInput) => {
                mu *= nu;
                nu *= T::TWO;
                continue;
            }
            Err(e) => return Err(e),
        }
        if norm2(s) <= cfg.x_tol * (norm2(x) + cfg.x_tol) {
            return Err(Error::NoConvergence);
        }
        xt.iter_mut()
            .zip(x.iter().zip(s.iter()))
            .for_each(|(t, (&xi, &si))| *t = xi + si);
        if check_finite(xt).is_err() {
            mu *= nu;
            nu *= T::TWO;
            continue;
        }
        gradient(obj, xt, gt)?;
        grad_evals = grad_evals.saturating_add(1);
        let phi_t = T::HALF * norm2(gt) * norm2(gt);
        let mut pred = T::ZERO;
        for (&si, &hi) in s.iter().zip(hg.iter()) {
            pred += si * (mu * si - hi);
        }
        pred *= T::HALF;
        let rho = (phi - phi_t) / pred;
        if pred > T::ZERO && rho > T::ZERO {
            hessian(obj, xt, h)?;
            hess_evals = hess_evals.saturating_add(1);
            copy(x, xt);
            copy(g, gt);
            phi = phi_t;
            gauss_newton_model(h, n, g, a, hg);
            let t = T::TWO * rho - T::ONE;
            mu *= (T::ONE / T::from_f64(3.0)).max(T::ONE - t * t * t);
            nu = T::TWO;
        } else {
            mu *= nu;
            nu *= T::TWO;
        }
    }

    // Pure Newton refinement s = −Σ vᵢ (vᵢ·g)/λᵢ, kept while it lowers ‖∇f‖.
    let mut refinements = 0usize;
    for _ in 0..cfg.refine {
        if norm2(g) == T::ZERO {
            break;
        }
        sym_eigen(h, n, analysis.work, analysis.values, analysis.vectors)?;
        let big = norm_inf(analysis.values);
        if analysis
            .values
            .iter()
            .any(|l| l.abs() <= cfg.tol.zero_rel * big || *l == T::ZERO)
        {
            break;
        }
        copy(xt, x);
        for i in 0..n {
            let (mut c, lam) = (T::ZERO, at(analysis.values, i));
            for j in 0..n {
                c += at(analysis.vectors, i * n + j) * at(g, j);
            }
            let c = c / lam;
            for j in 0..n {
                put(xt, j, at(xt, j) - c * at(analysis.vectors, i * n + j));
            }
        }
        if check_finite(xt).is_err() {
            break;
        }
        gradient(obj, xt, gt)?;
        grad_evals = grad_evals.saturating_add(1);
        if norm2(gt) >= norm2(g) {
            break;
        }
        hessian(obj, xt, h)?;
        hess_evals = hess_evals.saturating_add(1);
        copy(x, xt);
        copy(g, gt);
        refinements = refinements.saturating_add(1);
    }

    let (kind, summary) = classify_at_slice(obj, x, &cfg.tol, analysis, g)?;
    grad_evals = grad_evals.saturating_add(1);
    hess_evals = hess_evals.saturating_add(1);
    let value = obj.value(x);
    if !value.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    Ok(CriticalReport {
        kind,
        index: CriticalReport::<T>::index_of(kind, n),
        value,
        grad_norm: norm2(g),
        iterations,
        refinements,
        grad_evals,
        hess_evals,
        summary,
    })
}

/// Typed storage of the finder's scratch (`N` parameters).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticalArrays<T, const N: usize> {
    point: [T; N],
    hessian: [[T; N]; N],
    work: [[T; N]; N],
    values: [T; N],
    vectors: [[T; N]; N],
    a: [[T; N]; N],
    chol: [[T; N]; N],
    vecs: [[T; N]; 5],
}

impl<T: Real, const N: usize> Default for CriticalArrays<T, N> {
    fn default() -> Self {
        CriticalArrays {
            point: [T::ZERO; N],
            hessian: [[T::ZERO; N]; N],
            work: [[T::ZERO; N]; N],
            values: [T::ZERO; N],
            vectors: [[T::ZERO; N]; N],
            a: [[T::ZERO; N]; N],
            chol: [[T::ZERO; N]; N],
            vecs: [[T::ZERO; N]; 5],
        }
    }
}

impl<T: Real, const N: usize> CriticalArrays<T, N> {
    /// The scratch view over this storage.
    pub fn scratch(&mut self) -> CriticalScratch<'_, T> {
        CriticalScratch {
            analysis: HessianScratch {
                point: &mut self.point,
                hessian: self.hessian.as_flattened_mut(),
                work: self.work.as_flattened_mut(),
                values: &mut self.values,
                vectors: self.vectors.as_flattened_mut(),
            },
            a: self.a.as_flattened_mut(),
            chol: self.chol.as_flattened_mut(),
            vecs: self.vecs.as_flattened_mut(),
        }
    }

    /// Eigenvalues at the point last returned by [`CriticalArrays::find`] (ascending).
    pub fn eigenvalues(&self) -> &[T; N] {
        &self.values
    }

    /// [`critical_point_slice`] for a typed objective, with the scratch in `self`.
    pub fn find<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        cfg: &CriticalConfig<T>,
    ) -> Result<CriticalReport<T>, Error> {
        critical_point_slice(&mut Fixed::<O, N>(obj), x, cfg, &mut self.scratch())
    }
}

/// Finds and classifies a critical point of a typed objective from `x` (gradient and Hessian:
/// analytic when it overrides them, finite differences otherwise); returns the report and the
/// Hessian eigenvalues there (ascending). The scratch lives in this call's frame;
/// [`CriticalArrays::find`] keeps it in storage the caller owns. Errors as
/// [`critical_point_slice`].
///
/// ```
/// use lossmap::landscape::{find_critical, CriticalConfig, CriticalPoint};
/// use lossmap::testfn::Himmelblau;
/// // Himmelblau's local maximum (−0.2708, −0.9230), found from nearby.
/// let mut x = [-0.5f64, -0.7];
/// let (r, eig) = find_critical(&mut Himmelblau, &mut x, &CriticalConfig::default()).unwrap();
/// assert_eq!((r.kind, r.index), (CriticalPoint::Maximum, 2));
/// assert!((x[0] + 0.270845).abs() < 1e-5 && (x[1] + 0.923039).abs() < 1e-5);
/// assert!(eig[1] < 0.0);
/// ```
pub fn find_critical<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    cfg: &CriticalConfig<T>,
) -> Result<(CriticalReport<T>, [T; N]), Error> {
    let mut st = CriticalArrays::<T, N>::default();
    let r = st.find(obj, x, cfg)?;
    Ok((r, st.values))
}

/// Parameters of a census.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CensusConfig<T> {
    /// The finder run from each start.
    pub critical: CriticalConfig<T>,
    /// Starts drawn (> 0). Default 200.
    pub starts: usize,
    /// Two points are one when `‖x − y‖∞ ≤ dedup_tol·(1 + ‖y‖∞)` (finite, ≥ 0). Default
    /// `10·ε^{1/3}` (6e-5 in f64, 5e-2 in f32): ten times the gradient tolerance, the
    /// distance to the true point of one found to that tolerance where the curvature is ≥ 0.1.
    pub dedup_tol: T,
}

impl<T: Real> Default for CensusConfig<T> {
    fn default() -> Self {
        CensusConfig {
            critical: CriticalConfig::default(),
            starts: 200,
            dedup_tol: T::from_f64(10.0) * T::EPSILON_R.cbrt(),
        }
    }
}

impl<T: Real> CensusConfig<T> {
    /// [`Error::InvalidParameter`] unless the finder's configuration is valid, `starts > 0`
    /// and `dedup_tol` is finite and ≥ 0.
    pub fn validate(&self) -> Result<(), Error> {
        self.critical.validate()?;
        if self.starts > 0 && self.dedup_tol.is_finite() && self.dedup_tol >= T::ZERO {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Counts of a census. `converged = distinct + duplicates + outside + dropped` and
/// `starts = converged + failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CensusReport {
    /// Starts run.
    pub starts: usize,
    /// Starts whose run ended at a critical point.
    pub converged: usize,
    /// Starts whose run failed (no convergence, a non-finite value on the way, or a point
    /// the classifier does not call critical).
    pub failed: usize,
    /// Critical points found outside the box (not kept).
    pub outside: usize,
    /// Critical points already in the list.
    pub duplicates: usize,
    /// New points not kept because the list was full of lower ones (or removed from a full
    /// list by a lower one); a dropped point found again counts again.
    pub dropped: usize,
    /// Distinct points in the list.
    pub distinct: usize,
}

/// The bounded, value-sorted list a census fills.
trait Sink<T: Real> {
    fn len(&self) -> usize;
    fn capacity(&self) -> usize;
    fn value(&self, i: usize) -> T;
    fn same(&self, i: usize, x: &[T], tol: T) -> bool;
    /// Inserts at `pos ≤ len` (the caller has made room: `len < capacity`).
    fn insert(&mut self, pos: usize, x: &[T], r: &CriticalReport<T>, eig: &[T]);
    /// Removes the last entry.
    fn pop(&mut self);
}

fn same_point<T: Real>(y: &[T], x: &[T], tol: T) -> bool {
    let d = y
        .iter()
        .zip(x)
        .fold(T::ZERO, |m, (&a, &b)| m.max((a - b).abs()));
    d <= tol * (T::ONE + norm_inf(y))
}

/// Caller buffers of capacity `K` for [`census_slice`]: row `i` of `points` and
/// `eigenvalues` (`K×n` each, row-major), `values[i]`, `index[i]` and `kinds[i]` (the
/// [`CriticalPoint::code`]) describe the `i`-th lowest distinct critical point found. Rows
/// beyond [`CensusReport::distinct`] are left as they were.
#[derive(Debug)]
pub struct CensusBuffers<'a, T> {
    /// Points, `K×n`.
    pub points: &'a mut [T],
    /// Values `f(x)`, `K`.
    pub values: &'a mut [T],
    /// Indices (negative eigenvalues), `K`.
    pub index: &'a mut [usize],
    /// Kinds as [`CriticalPoint::code`], `K`.
    pub kinds: &'a mut [i32],
    /// Hessian eigenvalues (ascending), `K×n`.
    pub eigenvalues: &'a mut [T],
}

struct SliceSink<'s, 'a, T> {
    b: &'s mut CensusBuffers<'a, T>,
    n: usize,
    len: usize,
}

fn move_row<T: Real>(m: &mut [T], n: usize, from: usize, to: usize) {
    for j in 0..n {
        put(m, to * n + j, at(m, from * n + j));
    }
}

fn move_item<V: Copy>(m: &mut [V], from: usize, to: usize) {
    if let Some(&v) = m.get(from) {
        if let Some(d) = m.get_mut(to) {
            *d = v;
        }
    }
}

impl<T: Real> Sink<T> for SliceSink<'_, '_, T> {
    fn len(&self) -> usize {
        self.len
    }
    fn capacity(&self) -> usize {
        self.b.values.len()
    }
    fn value(&self, i: usize) -> T {
        at(self.b.values, i)
    }
    fn same(&self, i: usize, x: &[T], tol: T) -> bool {
        let y = self
            .b
            .points
            .get(i * self.n..(i + 1) * self.n)
            .unwrap_or(&[]);
        !y.is_empty() && same_point(y, x, tol)
    }
    fn insert(&mut self, pos: usize, x: &[T], r: &CriticalReport<T>, eig: &[T]) {
        let n = self.n;
        let mut i = self.len;
        while i > pos {
            move_row(self.b.points, n, i - 1, i);
            move_row(self.b.eigenvalues, n, i - 1, i);
            move_item(self.b.values, i - 1, i);
            move_item(self.b.index, i - 1, i);
            move_item(self.b.kinds, i - 1, i);
            i -= 1;
        }
        for j in 0..n {
            put(self.b.points, pos * n + j, at(x, j));
            put(self.b.eigenvalues, pos * n + j, at(eig, j));
        }
        put(self.b.values, pos, r.value);
        if let Some(v) = self.b.index.get_mut(pos) {
            *v = r.index;
        }
        if let Some(v) = self.b.kinds.get_mut(pos) {
            *v = r.kind.code();
        }
        self.len = self.len.saturating_add(1);
    }
    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }
}

/// The census loop over any sink. `x` (`n`) is the start/end point buffer.
#[allow(clippy::too_many_arguments)]
fn census_core<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized, S: Sink<T>>(
    obj: &mut O,
    bounds: &Bounds<'_, T>,
    rng: &mut R,
    cfg: &CensusConfig<T>,
    x: &mut [T],
    scratch: &mut CriticalScratch<'_, T>,
    sink: &mut S,
) -> Result<CensusReport, Error> {
    let mut rep = CensusReport::default();
    for _ in 0..cfg.starts {
        bounds.sample(rng, x)?;
        rep.starts = rep.starts.saturating_add(1);
        let r = match critical_point_slice(obj, x, &cfg.critical, scratch) {
            Ok(r) if r.kind != CriticalPoint::NotCritical => r,
            Ok(_)
            | Err(Error::NoConvergence)
            | Err(Error::NonFiniteLoss)
            | Err(Error::NonFiniteGradient)
            | Err(Error::NonFiniteInput)
            | Err(Error::NotPositiveDefinite) => {
                rep.failed = rep.failed.saturating_add(1);
                continue;
            }
            Err(e) => return Err(e),
        };
        rep.converged = rep.converged.saturating_add(1);
        if !bounds.contains(x) {
            rep.outside = rep.outside.saturating_add(1);
            continue;
        }
        if (0..sink.len()).any(|i| sink.same(i, x, cfg.dedup_tol)) {
            rep.duplicates = rep.duplicates.saturating_add(1);
            continue;
        }
        let pos = (0..sink.len())
            .find(|&i| sink.value(i) > r.value)
            .unwrap_or(sink.len());
        if sink.len() >= sink.capacity() {
            rep.dropped = rep.dropped.saturating_add(1);
            if pos >= sink.len() {
                continue;
            }
            sink.pop();
        }
        sink.insert(pos, x, &r, scratch.eigenvalues());
    }
    rep.distinct = sink.len();
    Ok(rep)
}

/// Scratch length (in `T`s) of [`census_slice`]'s `work` for `n` parameters: the point and
/// the finder's scratch, `5n² + 8n`. Saturates at `usize::MAX`.
pub const fn census_work_len(n: usize) -> usize {
    critical_work_len(n).saturating_add(n)
}

/// A census of critical points over slices: the kernel behind [`Census`] and the C ABI.
///
/// Runs [`critical_point_slice`] from `cfg.starts` points drawn uniformly in `bounds` (from
/// `rng`) and keeps the distinct critical points inside the box in `out`, sorted by value (the
/// `K = out.values.len()` lowest when more are found). `work` holds
/// [`census_work_len`]`(n)` values. Errors before anything is written: sizes
/// ([`Error::Empty`], [`Error::LengthMismatch`]: `K > 0`, `points` and `eigenvalues` `K×n`,
/// `index` and `kinds` `K`), an invalid `cfg` ([`Error::InvalidParameter`]). A start whose
/// run fails counts in [`CensusReport::failed`]; a callback error of another kind stops the
/// census with that error.
///
/// ```
/// use lossmap::global::Bounds;
/// use lossmap::landscape::{census_slice, census_work_len, CensusBuffers, CensusConfig};
/// use lossmap::objective::FnSlice;
/// use rand_core::SeedableRng;
/// // x⁴ − 2x²: minima at ±1 (value −1), a maximum at 0 (value 0).
/// let mut f = FnSlice(|v: &[f64]| v[0].powi(4) - 2.0 * v[0] * v[0]);
/// let (lo, hi) = ([-2.0], [2.0]);
/// let bounds = Bounds::new(&lo, &hi).unwrap();
/// let (mut pts, mut vals, mut idx, mut kinds, mut eig) = ([0.0; 4], [0.0; 4], [0usize; 4], [0i32; 4], [0.0; 4]);
/// let mut out = CensusBuffers { points: &mut pts, values: &mut vals, index: &mut idx, kinds: &mut kinds, eigenvalues: &mut eig };
/// let mut work = [0.0; census_work_len(1)];
/// let cfg = CensusConfig { starts: 30, ..CensusConfig::default() };
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let r = census_slice(&mut f, &bounds, &mut rng, &cfg, &mut out, &mut work).unwrap();
/// assert_eq!(r.distinct, 3);
/// assert_eq!(&idx[..3], &[0, 0, 1]);
/// assert!((vals[0] + 1.0).abs() < 1e-12 && vals[2].abs() < 1e-12);
/// ```
pub fn census_slice<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized>(
    obj: &mut O,
    bounds: &Bounds<'_, T>,
    rng: &mut R,
    cfg: &CensusConfig<T>,
    out: &mut CensusBuffers<'_, T>,
    work: &mut [T],
) -> Result<CensusReport, Error> {
    let n = bounds.dim();
    let k = out.values.len();
    if k == 0 || n == 0 {
        return Err(Error::Empty);
    }
    let kn = k.checked_mul(n).ok_or(Error::LengthMismatch)?;
    if out.points.len() != kn
        || out.eigenvalues.len() != kn
        || out.index.len() != k
        || out.kinds.len() != k
        || work.len() != census_work_len(n)
    {
        return Err(Error::LengthMismatch);
    }
    cfg.validate()?;
    let (x, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let mut scratch = CriticalScratch::split(rest, n)?;
    let mut sink = SliceSink { b: out, n, len: 0 };
    census_core(obj, bounds, rng, cfg, x, &mut scratch, &mut sink)
}

/// One distinct critical point of a [`Census`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CensusEntry<T, const N: usize> {
    /// Where.
    pub point: [T; N],
    /// `f` there.
    pub value: T,
    /// Negative eigenvalues.
    pub index: usize,
    /// The classifier's verdict.
    pub kind: CriticalPoint,
    /// Hessian eigenvalues there, ascending.
    pub eigenvalues: [T; N],
}

struct VecSink<'s, T, const N: usize, const K: usize>(&'s mut heapless::Vec<CensusEntry<T, N>, K>);

impl<T: Real, const N: usize, const K: usize> Sink<T> for VecSink<'_, T, N, K> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn capacity(&self) -> usize {
        K
    }
    fn value(&self, i: usize) -> T {
        self.0.get(i).map_or(T::NAN_R, |e| e.value)
    }
    fn same(&self, i: usize, x: &[T], tol: T) -> bool {
        self.0.get(i).is_some_and(|e| same_point(&e.point, x, tol))
    }
    fn insert(&mut self, pos: usize, x: &[T], r: &CriticalReport<T>, eig: &[T]) {
        let mut e = CensusEntry {
            point: [T::ZERO; N],
            value: r.value,
            index: r.index,
            kind: r.kind,
            eigenvalues: [T::ZERO; N],
        };
        copy(&mut e.point, x);
        copy(&mut e.eigenvalues, eig);
        if self.0.push(e).is_ok() {
            if let Some(tail) = self.0.get_mut(pos..) {
                if !tail.is_empty() {
                    tail.rotate_right(1);
                }
            }
        }
    }
    fn pop(&mut self) {
        let _ = self.0.pop();
    }
}

/// A census of the critical points of a typed objective in caller-owned storage: up to `K`
/// distinct points (the lowest), sorted by value, with the finder's scratch. The typed view
/// over [`census_slice`]'s loop.
///
/// ```
/// use lossmap::global::Bounds;
/// use lossmap::landscape::{Census, CensusConfig, CriticalPoint};
/// use lossmap::testfn::Himmelblau;
/// use rand_core::SeedableRng;
/// // Himmelblau: 4 minima (value 0), 4 saddles, 1 maximum in [−5, 5]².
/// let (lo, hi) = ([-5.0f64; 2], [5.0; 2]);
/// let bounds = Bounds::new(&lo, &hi).unwrap();
/// let mut c = Census::<f64, 2, 16>::new();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(7);
/// let r = c.run(&mut Himmelblau, &bounds, &mut rng, &CensusConfig::default()).unwrap();
/// assert_eq!(r.distinct, 9);
/// assert!(c.entries[..4].iter().all(|e| e.kind == CriticalPoint::Minimum && e.value.abs() < 1e-10));
/// assert_eq!(c.entries[8].kind, CriticalPoint::Maximum);
/// ```
#[derive(Debug, Clone)]
pub struct Census<T, const N: usize, const K: usize> {
    /// The distinct critical points found, by value ascending.
    pub entries: heapless::Vec<CensusEntry<T, N>, K>,
    /// The counts of the last run.
    pub report: CensusReport,
    storage: CriticalArrays<T, N>,
    x: [T; N],
}

impl<T: Real, const N: usize, const K: usize> Default for Census<T, N, K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Real, const N: usize, const K: usize> Census<T, N, K> {
    /// Empty storage.
    pub fn new() -> Self {
        Census {
            entries: heapless::Vec::new(),
            report: CensusReport::default(),
            storage: CriticalArrays::default(),
            x: [T::ZERO; N],
        }
    }

    /// Runs a census of `obj` over `bounds` (see [`census_slice`]); `entries` and `report`
    /// are replaced. Errors before anything is written: `K = 0` or `N = 0` ([`Error::Empty`]),
    /// a box of another dimension ([`Error::LengthMismatch`]), an invalid `cfg`.
    pub fn run<O: Objective<T, N> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        cfg: &CensusConfig<T>,
    ) -> Result<CensusReport, Error> {
        if K == 0 || N == 0 {
            return Err(Error::Empty);
        }
        check_len(bounds.dim(), N)?;
        cfg.validate()?;
        self.entries.clear();
        let mut scratch = self.storage.scratch();
        let rep = census_core(
            &mut Fixed::<O, N>(obj),
            bounds,
            rng,
            cfg,
            &mut self.x,
            &mut scratch,
            &mut VecSink(&mut self.entries),
        )?;
        self.report = rep;
        Ok(rep)
    }

    /// Fraction of the distinct points that are minima (0 when none was found).
    pub fn minima_fraction(&self) -> f64 {
        let m = self
            .entries
            .iter()
            .filter(|e| e.kind == CriticalPoint::Minimum)
            .count();
        if self.entries.is_empty() {
            0.0
        } else {
            m as f64 / self.entries.len() as f64
        }
    }
}
