//! Nonlinear least squares: minimize `½‖r(x)‖²` over `x ∈ Rⁿ` for a residual vector
//! `r(x) ∈ Rᵐ` (`m ≥ n`), the way calibration tools fit a model to data (MINPACK, scipy
//! `least_squares`/`curve_fit`, Ceres).
//!
//! * [`levenberg_marquardt`] / [`LevenbergMarquardt`]: the Levenberg–Marquardt method in the
//!   form of Moré (1978), "The Levenberg–Marquardt algorithm: implementation and theory"
//!   (Lecture Notes in Mathematics 630) and MINPACK-1 `lmder`/`lmdif`: QR with column
//!   pivoting of `J`, diagonal scaling `D` from `J`'s column norms (updated as a running
//!   maximum, MINPACK `mode = 1`), a trust region `‖D p‖ ≤ Δ` (initial `Δ = factor·‖D x₀‖`),
//!   the damping `λ` from Moré's safeguarded Newton iteration (`lmpar`), the ratio test and
//!   MINPACK's `ftol`/`xtol`/`gtol` convergence tests and `info` codes ([`LsqReason`]).
//! * [`gauss_newton`] / [`GaussNewton`]: Gauss–Newton with Armijo backtracking on `½‖r‖²`
//!   (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §10.3), the direction from the
//!   same pivoted-QR least-squares solve.
//! * [`fit_statistics`]: covariance `σ²(JᵀJ)⁻¹`, standard errors, correlations, condition
//!   number, numerical rank and the parameter combinations the data do not determine.
//!
//! Residuals are given by a [`Residuals`] (typed, `[T; N] → [T; M]`, closures included) or a
//! [`SliceResiduals`] (run-time sizes, what the slice kernels and the C ABI use). Jacobians are
//! analytic when the residuals override `jacobian`, forward differences otherwise
//! ([`forward_jacobian`]; [`Central`] switches to central differences).
//!
//! # QR, not Cholesky of the damped normal equations
//!
//! Solving `(JᵀJ + λDᵀD) p = −Jᵀr` by Cholesky squares the condition number of `J`: its
//! rounding error grows like `ε·κ(J)²` (less the part a diagonal scaling removes), against
//! `ε·κ(J)` for Moré's QR route, which works with `J` itself. Measured in f32 on six fits
//! (the four calibration models and two bi-exponential decays; `tests/repo/nlls_curve_fit.rs`):
//! where `J` is well conditioned after column scaling (`κ ≤ 100`), both reach the f64 optimum
//! to within 10⁻³ standard errors, the error of evaluating the residuals in f32 dominating
//! either solver's. On the ill-conditioned decay (rates 0.5 and 0.6, `κ(J) = 10⁴`) QR ends
//! 0.035 standard errors from the f64 fit with a cost 5·10⁻⁵ above it, Cholesky (Marquardt's
//! variant) 0.094 and 3·10⁻⁴, using twice the evaluations. The crate ships QR: its error bound
//! holds up to `κ(J) ≈ 1/ε` where Cholesky's gives out near `1/√ε ≈ 3·10³` (scaled) in f32,
//! and MINPACK's step control (`lmpar`) needs the triangular factor. The cost is the same
//! order, `O(mn²)` per Jacobian plus `O(n²)` per `λ` trial through Givens rotations.
//!
//! # Box bounds
//!
//! Both methods accept optional bounds `lower ≤ x ≤ upper` (entries may be `±∞`; NaN,
//! `lower > upper`, or a start outside the box are [`Error::InvalidParameter`] with nothing
//! changed, as scipy `least_squares` rejects an infeasible `x0`). Steps are *projected* onto
//! the box after an *active-set* choice: at each Jacobian, a parameter on a bound whose
//! steepest-descent component `−(Jᵀr)_j` points out of the box is frozen (its Jacobian column
//! is zeroed, so the step leaves it in place); the step of the others is computed as without
//! bounds, then clipped to the box. Projection alone stalls on a bound (the outward part of
//! each step is cut, the ratio test then shrinks the trust region step after step); freezing
//! the bound-active parameters first is the projected-Newton idea of Bertsekas (1982,
//! "Projected Newton methods for optimization problems with simple constraints"), and
//! keeps MINPACK's tests meaningful: `gtol` then measures the projected gradient. For a clipped
//! step the predicted reduction is computed for the clipped step itself,
//! `1 − ‖f + J p‖²/‖f‖²`. Finite-difference Jacobians step forward (`x_j + h`) whatever the
//! bounds, so the residuals must be defined a relative `√ε` beyond an upper bound.

mod gn;
mod jacobian;
mod lm;
mod qr;
mod stats;

pub use gn::{gauss_newton, gauss_newton_slice, gn_work_len, GaussNewton, GaussNewtonConfig};
pub use jacobian::{central_jacobian, forward_jacobian};
pub use lm::{
    levenberg_marquardt, levenberg_marquardt_slice, lm_work_len, LevenbergMarquardt, LmConfig,
};
pub use stats::{
    fit_statistics, fit_statistics_slice, fit_statistics_work_len, FitStatistics, FitSummary,
};
#[cfg(feature = "capi")]
pub(crate) use stats::{residual_stats_len, stats_from_residuals, stderr_and_correlation};

use crate::error::Error;
use crate::Real;

/// Residuals `r(x) ∈ Rᴹ` of `N` parameters. Only [`residuals`](Residuals::residuals) is
/// required; the Jacobian defaults to forward differences (MINPACK `fdjac2`'s step, `N`
/// evaluations). Any `FnMut(&[T; N], &mut [T; M])` is a residual function.
///
/// ```
/// use lossmap::nlls::Residuals;
/// // r(x) = (x0 − 1, 2·x1): an analytic Jacobian.
/// struct Line;
/// impl Residuals<f64, 2, 2> for Line {
///     fn residuals(&mut self, x: &[f64; 2], r: &mut [f64; 2]) { *r = [x[0] - 1.0, 2.0 * x[1]]; }
///     fn jacobian(&mut self, _x: &[f64; 2], _r: &[f64; 2], j: &mut [[f64; 2]; 2])
///         -> Result<usize, lossmap::Error> {
///         *j = [[1.0, 0.0], [0.0, 2.0]];
///         Ok(0) // no residual evaluations used
///     }
/// }
/// let mut j = [[0.0; 2]; 2];
/// assert_eq!(Line.jacobian(&[0.0, 0.0], &[-1.0, 0.0], &mut j), Ok(0));
/// ```
pub trait Residuals<T: Real, const M: usize, const N: usize> {
    /// Writes `r(x)`. NaN/Inf entries are treated as a failed evaluation (the run rolls back).
    fn residuals(&mut self, x: &[T; N], r: &mut [T; M]);

    /// Writes the Jacobian `J[i][j] = ∂rᵢ/∂xⱼ` at `x` (whose residuals are `r_at_x`) and returns
    /// the residual evaluations used (0 for an analytic Jacobian). Defaults to
    /// [`forward_jacobian`].
    fn jacobian(
        &mut self,
        x: &[T; N],
        r_at_x: &[T; M],
        j: &mut [[T; N]; M],
    ) -> Result<usize, Error> {
        let mut p = *x;
        let mut tmp = [T::ZERO; M];
        forward_jacobian(
            &mut |s: &[T], out: &mut [T]| typed_call(self, s, out),
            &mut p,
            r_at_x,
            j.as_flattened_mut(),
            &mut tmp,
            T::ZERO,
        )
    }
}

/// Calls typed residuals on slices; wrong lengths give NaN residuals.
fn typed_call<T: Real, R: Residuals<T, M, N> + ?Sized, const M: usize, const N: usize>(
    res: &mut R,
    x: &[T],
    r: &mut [T],
) {
    match (<&[T; N]>::try_from(x), <&mut [T; M]>::try_from(&mut *r)) {
        (Ok(a), Ok(b)) => res.residuals(a, b),
        _ => r.iter_mut().for_each(|v| *v = T::NAN_R),
    }
}

impl<T: Real, const M: usize, const N: usize, F: FnMut(&[T; N], &mut [T; M])> Residuals<T, M, N>
    for F
{
    #[inline]
    fn residuals(&mut self, x: &[T; N], r: &mut [T; M]) {
        self(x, r)
    }
}

/// Typed residuals whose Jacobian is taken by central differences ([`central_jacobian`],
/// `2N` evaluations, error `O(ε^{2/3})` instead of forward differences' `O(ε^{1/2})`).
///
/// ```
/// use lossmap::nlls::{Central, Residuals};
/// let mut c = Central(|x: &[f64; 1], r: &mut [f64; 1]| r[0] = x[0].exp());
/// let mut j = [[0.0]];
/// assert_eq!(c.jacobian(&[0.0], &[1.0], &mut j), Ok(2));
/// assert!((j[0][0] - 1.0).abs() < 1e-10);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Central<R>(pub R);

impl<T: Real, const M: usize, const N: usize, R: Residuals<T, M, N>> Residuals<T, M, N>
    for Central<R>
{
    fn residuals(&mut self, x: &[T; N], r: &mut [T; M]) {
        self.0.residuals(x, r)
    }
    fn jacobian(
        &mut self,
        x: &[T; N],
        _r_at_x: &[T; M],
        j: &mut [[T; N]; M],
    ) -> Result<usize, Error> {
        let mut p = *x;
        let mut tmp = [[T::ZERO; M]; 2];
        central_jacobian(
            &mut |s: &[T], out: &mut [T]| typed_call(&mut self.0, s, out),
            &mut p,
            j.as_flattened_mut(),
            tmp.as_flattened_mut(),
            T::ZERO,
        )
    }
}

/// Residuals whose sizes are known only at run time: what the slice kernels and the C ABI
/// use. `m = r.len()`, `n = x.len()`; the Jacobian is `m×n` row-major.
pub trait SliceResiduals<T: Real> {
    /// Writes `r(x)` (`r.len()` residuals of `x.len()` parameters).
    fn residuals(&mut self, x: &[T], r: &mut [T]);
    /// Writes the `m×n` row-major Jacobian at `x` (residuals `r_at_x`) and returns the residual
    /// evaluations used. `x` may be perturbed but must be restored bit-exactly; `tmp` (`m`)
    /// is scratch. Defaults to [`forward_jacobian`].
    fn jacobian(
        &mut self,
        x: &mut [T],
        r_at_x: &[T],
        jac: &mut [T],
        tmp: &mut [T],
    ) -> Result<usize, Error> {
        forward_jacobian(
            &mut |s: &[T], out: &mut [T]| self.residuals(s, out),
            x,
            r_at_x,
            jac,
            tmp,
            T::ZERO,
        )
    }
}

/// A [`Residuals<T, M, N>`] seen as [`SliceResiduals`]; slices of other lengths give NaN
/// residuals / [`Error::LengthMismatch`].
#[derive(Debug)]
pub struct FixedResiduals<'a, R: ?Sized, const M: usize, const N: usize>(pub &'a mut R);

impl<T: Real, const M: usize, const N: usize, R: Residuals<T, M, N> + ?Sized> SliceResiduals<T>
    for FixedResiduals<'_, R, M, N>
{
    fn residuals(&mut self, x: &[T], r: &mut [T]) {
        typed_call(self.0, x, r)
    }
    fn jacobian(
        &mut self,
        x: &mut [T],
        r_at_x: &[T],
        jac: &mut [T],
        _tmp: &mut [T],
    ) -> Result<usize, Error> {
        let a = <&[T; N]>::try_from(&*x).map_err(|_| Error::LengthMismatch)?;
        let r = <&[T; M]>::try_from(r_at_x).map_err(|_| Error::LengthMismatch)?;
        let (rows, rest) = jac.as_chunks_mut::<N>();
        if !rest.is_empty() {
            return Err(Error::LengthMismatch);
        }
        let j = <&mut [[T; N]; M]>::try_from(rows).map_err(|_| Error::LengthMismatch)?;
        self.0.jacobian(a, r, j)
    }
}

/// A run-time-sized residual closure `f(x, r)` (forward-difference Jacobian).
#[derive(Debug, Clone, Copy)]
pub struct FnResiduals<F>(pub F);

impl<T: Real, F: FnMut(&[T], &mut [T])> SliceResiduals<T> for FnResiduals<F> {
    fn residuals(&mut self, x: &[T], r: &mut [T]) {
        (self.0)(x, r)
    }
}

/// Why a least-squares run stopped: MINPACK `lmder`'s `info` codes 1–8 (their values are the
/// stable C codes `LOSSMAP_LSQ_*`), plus Gauss–Newton's iteration limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LsqReason {
    /// Both the actual and the predicted relative reduction of `‖r‖²` are at most `ftol`.
    Ftol,
    /// The relative change of `x` (the trust region `Δ ≤ xtol·‖D x‖`) is at most `xtol`.
    Xtol,
    /// Both [`Ftol`](Self::Ftol) and [`Xtol`](Self::Xtol).
    FtolXtol,
    /// The cosine of the angle between `r` and every column of `J` is at most `gtol`
    /// (`max_j |(Jᵀr)_j| / (‖J_j‖ ‖r‖) ≤ gtol`; also when `r = 0`).
    Gtol,
    /// The residual-evaluation budget was used.
    MaxEvaluations,
    /// `ftol` is too small: no further reduction of `‖r‖²` is possible at this precision.
    FtolTooSmall,
    /// `xtol` is too small: no further improvement of `x` is possible at this precision.
    XtolTooSmall,
    /// `gtol` is too small: `r` is orthogonal to the columns of `J` to machine precision.
    GtolTooSmall,
    /// Gauss–Newton took its `max_iter` iterations.
    MaxIterations,
    /// The observer of a `fit_with` run asked to stop.
    Observer,
}

impl LsqReason {
    /// Stable code for the C ABI (`LOSSMAP_LSQ_*`): MINPACK's `info` (1–8), 9 for
    /// [`MaxIterations`](Self::MaxIterations), 10 for [`Observer`](Self::Observer) (Rust only).
    pub const fn code(self) -> i32 {
        match self {
            LsqReason::Ftol => 1,
            LsqReason::Xtol => 2,
            LsqReason::FtolXtol => 3,
            LsqReason::Gtol => 4,
            LsqReason::MaxEvaluations => 5,
            LsqReason::FtolTooSmall => 6,
            LsqReason::XtolTooSmall => 7,
            LsqReason::GtolTooSmall => 8,
            LsqReason::MaxIterations => 9,
            LsqReason::Observer => 10,
        }
    }

    /// Whether the run converged by one of the tolerance tests (everything but the budgets).
    pub const fn converged(self) -> bool {
        !matches!(
            self,
            LsqReason::MaxEvaluations | LsqReason::MaxIterations | LsqReason::Observer
        )
    }
}

/// The outcome of a least-squares run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LsqReport<T> {
    /// Which test stopped the run.
    pub reason: LsqReason,
    /// Accepted steps (MINPACK's outer iterations, each with one Jacobian, minus one).
    pub iterations: usize,
    /// Residual evaluations, those of finite-difference Jacobians included.
    pub residual_evals: usize,
    /// Jacobian evaluations.
    pub jacobian_evals: usize,
    /// `½‖r‖²` at the returned point.
    pub cost: T,
    /// `‖r‖₂` at the returned point.
    pub residual_norm: T,
    /// `‖Jᵀr‖∞` at the last point where the Jacobian was evaluated (bound-frozen parameters
    /// excluded).
    pub grad_inf: T,
}

/// The default tolerance: scipy `least_squares`' `ftol = xtol = gtol = 1e-8`, raised to `ε`
/// where that is larger (f32), since MINPACK's tests cannot be met below the precision.
pub(crate) fn default_tol<T: Real>() -> T {
    T::from_f64(1e-8).max(T::EPSILON_R)
}

/// The evaluation budget when `max_evals = 0`: scipy `least_squares(method='lm')`'s default,
/// `100·n` with an analytic Jacobian and `100·n·(n + 1)` when it is by finite differences
/// (whose evaluations count).
pub(crate) fn default_budget(n: usize, fd: bool) -> usize {
    let b = n.saturating_mul(100);
    if fd {
        b.saturating_mul(n.saturating_add(1))
    } else {
        b
    }
}

/// Checks sizes (`m ≥ n ≥ 1`), the start and the bounds; nothing is written.
pub(crate) fn check_problem<T: Real>(
    m: usize,
    x: &[T],
    bounds: Option<(&[T], &[T])>,
) -> Result<(), Error> {
    let n = x.len();
    if n == 0 || m == 0 {
        return Err(Error::Empty);
    }
    if m < n || n > qr::MAX_COLUMNS {
        return Err(Error::LengthMismatch);
    }
    m.checked_mul(n).ok_or(Error::LengthMismatch)?;
    crate::error::check_finite(x)?;
    if let Some((lo, hi)) = bounds {
        if lo.len() != n || hi.len() != n {
            return Err(Error::LengthMismatch);
        }
        for ((&l, &h), &xi) in lo.iter().zip(hi).zip(x) {
            if l.is_nan() || h.is_nan() || l > h {
                return Err(Error::InvalidParameter);
            }
            if xi < l || xi > h {
                return Err(Error::InvalidParameter);
            }
        }
    }
    Ok(())
}

/// `dst ← src` over the common length (never panics).
pub(crate) fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s);
}

/// Clips `x` into the box.
pub(crate) fn project<T: Real>(x: &mut [T], bounds: Option<(&[T], &[T])>) {
    if let Some((lo, hi)) = bounds {
        for ((xi, &l), &h) in x.iter_mut().zip(lo).zip(hi) {
            *xi = xi.max(l).min(h);
        }
    }
}

/// Active set: zeroes the Jacobian columns of parameters on a bound whose descent direction
/// `−(Jᵀr)_j` leaves the box, and returns `‖Jᵀr‖∞` over the others (NaN when a component
/// overflows).
pub(crate) fn freeze_active<T: Real>(
    jac: &mut [T],
    r: &[T],
    x: &[T],
    bounds: Option<(&[T], &[T])>,
) -> T {
    use crate::linalg::{at, put};
    let (m, n) = (r.len(), x.len());
    let mut ginf = T::ZERO;
    for j in 0..n {
        let mut g = T::ZERO;
        for i in 0..m {
            g += at(jac, i * n + j) * at(r, i);
        }
        if !g.is_finite() {
            // Finite J and r whose product overflows: the caller reports a non-finite gradient.
            return T::NAN_R;
        }
        let frozen = match bounds {
            Some((lo, hi)) => {
                let xj = at(x, j);
                (xj <= at(lo, j) && g > T::ZERO) || (xj >= at(hi, j) && g < T::ZERO)
            }
            None => false,
        };
        if frozen {
            for i in 0..m {
                put(jac, i * n + j, T::ZERO);
            }
        } else {
            ginf = ginf.max(g.abs());
        }
    }
    ginf
}
