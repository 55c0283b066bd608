//! Fit statistics from the Jacobian `J` (`m×n`) and residuals `r` at a least-squares solution,
//! as scipy `curve_fit` reports them (`absolute_sigma=False`):
//!
//! ```text
//! σ²    = ‖r‖² / (m − n)
//! J     = U S Vᵀ                     (one-sided Jacobi SVD, Hestenes 1958)
//! Cov   = σ² V S⁺² Vᵀ = σ² (JᵀJ)⁺     stderrᵢ = √Covᵢᵢ,  Corrᵢⱼ = Covᵢⱼ / (stderrᵢ stderrⱼ)
//! κ(J)  = s_max / s_min
//! rank  = #{ sᵢ > max(m, n) · ε · s_max }           (numpy `matrix_rank`, scipy `curve_fit`)
//! ```
//!
//! The covariance comes from the SVD of `J` itself, as `curve_fit` computes it (a Moore–Penrose
//! pseudo-inverse discarding the singular values at or below the rank threshold), not from
//! inverting `JᵀJ`, which would square `κ(J)`. The singular values are those of a one-sided
//! Jacobi SVD (accurate to a small multiple of `ε·s_max` and to high *relative* accuracy for
//! well-scaled columns, Demmel & Veselić 1992), not square roots of the eigenvalues of `JᵀJ`.
//!
//! When `J` is rank-deficient (`rank < n`) the right singular vectors of the discarded singular
//! values are the parameter combinations the data do not determine — the flat directions of the
//! Gauss–Newton Hessian `JᵀJ` of `½‖r‖²`, reported as the identifiability report's
//! [`Direction`] (curvature `sᵢ²`, the Hessian's eigenvalue along it). The covariance is then
//! *not available*: [`FitSummary::covariance_valid`] is false and the matrix written is the
//! pseudo-inverse one, the covariance of the determined combinations only (`curve_fit` fills it
//! with `inf` instead). Finite-difference Jacobians lift an exactly zero singular value to
//! about `√ε·s_max`: check [`FitSummary::condition`] as well.

use super::{copy, FixedResiduals, Residuals, SliceResiduals};
use crate::error::{check_finite, Error};
use crate::landscape::Direction;
use crate::linalg::{at, put};
use crate::Real;
use heapless::Vec;

/// Most Jacobi sweeps before [`Error::NoConvergence`] (quadratic convergence needs a handful).
const MAX_SWEEPS: usize = 60;

/// The scalar part of the fit statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FitSummary<T> {
    /// Residual variance `σ² = ‖r‖²/(m − n)`.
    pub sigma2: T,
    /// Degrees of freedom `m − n`.
    pub dof: usize,
    /// Numerical rank of `J`.
    pub rank: usize,
    /// `κ(J) = s_max / s_min` (the largest finite value when `s_min = 0`).
    pub condition: T,
    /// `rank = n`: the covariance is `σ²(JᵀJ)⁻¹`. When false it is the pseudo-inverse one.
    pub covariance_valid: bool,
}

/// Fit statistics of `N` parameters.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FitStatistics<T, const N: usize> {
    /// σ², degrees of freedom, rank, condition number, whether the covariance is available.
    pub summary: FitSummary<T>,
    /// Standard errors `√Covᵢᵢ`.
    pub stderr: [T; N],
    /// Singular values of `J`, descending.
    pub singular_values: [T; N],
    /// The combinations the data do not determine (empty at full rank), in ascending order of
    /// curvature `sᵢ²`.
    pub undetermined: Vec<Direction<T, N>, N>,
}

/// Scratch length of [`fit_statistics_slice`] (and the C ABI's) for `m` residuals and `n`
/// parameters: `n + n² + m·n` (singular values, `Vᵀ`, a copy of `J`); 0 on overflow.
pub const fn fit_statistics_work_len(m: usize, n: usize) -> usize {
    let (Some(mn), Some(nn)) = (m.checked_mul(n), n.checked_mul(n)) else {
        return 0;
    };
    match mn.checked_add(nn) {
        Some(a) => match a.checked_add(n) {
            Some(b) => b,
            None => 0,
        },
        None => 0,
    }
}

/// Fit statistics over slices: `jac` (`m×n` row-major), `r` (`m = r.len()`), `n` parameters.
/// Writes the covariance (`n×n`) to `cov`; on return `work` (length
/// [`fit_statistics_work_len(m, n)`](fit_statistics_work_len)) starts with the `n` singular
/// values (descending) followed by `Vᵀ` (`n×n`, row `k` the right singular vector of `s_k`,
/// sign-normalized: its first non-negligible entry positive).
///
/// Errors, with nothing written: [`Error::Empty`], [`Error::LengthMismatch`] (sizes, `m < n`),
/// [`Error::InvalidParameter`] (`m = n`: no degrees of freedom for `σ²`),
/// [`Error::NonFiniteInput`]; [`Error::NoConvergence`] if the SVD does not converge;
/// [`Error::NonFiniteLoss`] when the sum of squared residuals or a covariance entry overflows
/// (then `work` holds the SVD and `cov` may be partly written).
///
/// ```
/// use lossmap::nlls::{fit_statistics_slice, fit_statistics_work_len};
/// // J with identical columns: rank 1, the undetermined combination (1, −1)/√2.
/// let jac = [1.0f64, 1.0, 2.0, 2.0, 3.0, 3.0];
/// let r = [0.1, -0.1, 0.05];
/// let mut cov = [0.0; 4];
/// let mut work = [0.0; 12];
/// assert_eq!(fit_statistics_work_len(3, 2), 12);
/// let s = fit_statistics_slice(&jac, &r, 2, &mut cov, &mut work).unwrap();
/// assert_eq!((s.rank, s.covariance_valid), (1, false));
/// let h = 0.5f64.sqrt();
/// assert!((work[4] - h).abs() < 1e-12 && (work[5] + h).abs() < 1e-12); // second row of Vᵀ
/// ```
pub fn fit_statistics_slice<T: Real>(
    jac: &[T],
    r: &[T],
    n: usize,
    cov: &mut [T],
    work: &mut [T],
) -> Result<FitSummary<T>, Error> {
    let m = r.len();
    check_sizes(m, n)?;
    let mn = m.saturating_mul(n);
    if jac.len() != mn
        || cov.len() != n.saturating_mul(n)
        || work.len() != fit_statistics_work_len(m, n)
    {
        return Err(Error::LengthMismatch);
    }
    check_finite(jac)?;
    check_finite(r)?;
    let (sv, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (vt, a) = rest
        .split_at_mut_checked(n.saturating_mul(n))
        .ok_or(Error::LengthMismatch)?;
    copy(a, jac);
    stats_core(a, r, n, cov, sv, vt)
}

fn check_sizes(m: usize, n: usize) -> Result<(), Error> {
    if m == 0 || n == 0 {
        return Err(Error::Empty);
    }
    if m < n {
        return Err(Error::LengthMismatch);
    }
    if m == n {
        return Err(Error::InvalidParameter);
    }
    m.checked_mul(n).ok_or(Error::LengthMismatch)?;
    n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    Ok(())
}

/// The kernel: `a` (`m×n`, `J` in, destroyed), outputs `cov`, `sv`, `vt`.
fn stats_core<T: Real>(
    a: &mut [T],
    r: &[T],
    n: usize,
    cov: &mut [T],
    sv: &mut [T],
    vt: &mut [T],
) -> Result<FitSummary<T>, Error> {
    let m = r.len();
    jacobi_svd(a, m, n, sv, vt)?;
    let smax = at(sv, 0);
    let smin = at(sv, n.saturating_sub(1));
    let cut = T::from_usize(m.max(n)) * T::EPSILON_R * smax;
    let rank = sv.iter().take_while(|&&s| s > cut).count();
    let dof = m - n;
    let rss = r.iter().fold(T::ZERO, |s, &v| s + v * v);
    let sigma2 = rss / T::from_usize(dof);
    // Finite residuals whose squares overflow: no finite covariance to report.
    if !sigma2.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    for i in 0..n {
        for j in 0..n {
            let mut c = T::ZERO;
            for k in 0..rank {
                let s = at(sv, k);
                c += at(vt, k * n + i) * at(vt, k * n + j) / (s * s);
            }
            let v = sigma2 * c;
            if !v.is_finite() {
                return Err(Error::NonFiniteLoss);
            }
            put(cov, i * n + j, v);
        }
    }
    let condition = if smin > T::ZERO {
        (smax / smin).min(T::MAX_R)
    } else {
        T::MAX_R
    };
    Ok(FitSummary {
        sigma2,
        dof,
        rank,
        condition,
        covariance_valid: rank == n,
    })
}

/// One-sided Jacobi SVD of the row-major `m×n` matrix `a`: on return the columns of `a` are
/// `U S`, `sv` holds the singular values (descending) and `vt` the rows of `Vᵀ`.
fn jacobi_svd<T: Real>(
    a: &mut [T],
    m: usize,
    n: usize,
    sv: &mut [T],
    vt: &mut [T],
) -> Result<(), Error> {
    // v[i][k] stored at i*n + k (V itself); transposed at the end.
    for i in 0..n {
        for k in 0..n {
            put(vt, i * n + k, if i == k { T::ONE } else { T::ZERO });
        }
    }
    let eps = T::EPSILON_R;
    let mut converged = false;
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let (mut alpha, mut beta, mut gamma) = (T::ZERO, T::ZERO, T::ZERO);
                for i in 0..m {
                    let (ap, aq) = (at(a, i * n + p), at(a, i * n + q));
                    alpha += ap * ap;
                    beta += aq * aq;
                    gamma += ap * aq;
                }
                if gamma == T::ZERO || gamma.abs() <= eps * (alpha * beta).sqrt() {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (T::TWO * gamma);
                let t = zeta.signum() / (zeta.abs() + T::ONE.hypot(zeta));
                let t = if zeta == T::ZERO { T::ONE } else { t };
                let c = T::ONE / T::ONE.hypot(t);
                let s = c * t;
                for i in 0..m {
                    let (ap, aq) = (at(a, i * n + p), at(a, i * n + q));
                    put(a, i * n + p, c * ap - s * aq);
                    put(a, i * n + q, s * ap + c * aq);
                }
                for i in 0..n {
                    let (vp, vq) = (at(vt, i * n + p), at(vt, i * n + q));
                    put(vt, i * n + p, c * vp - s * vq);
                    put(vt, i * n + q, s * vp + c * vq);
                }
            }
        }
        if !rotated {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(Error::NoConvergence);
    }
    for k in 0..n {
        put(sv, k, super::qr::col_norm(a, m, n, k, 0));
    }
    // Sort descending (selection sort, swapping the columns of V).
    for k in 0..n {
        let mut best = k;
        for l in k + 1..n {
            if at(sv, l) > at(sv, best) {
                best = l;
            }
        }
        if best != k {
            let t = at(sv, k);
            put(sv, k, at(sv, best));
            put(sv, best, t);
            for i in 0..n {
                let t = at(vt, i * n + k);
                put(vt, i * n + k, at(vt, i * n + best));
                put(vt, i * n + best, t);
            }
        }
    }
    // Transpose in place: row k of vt becomes the k-th right singular vector.
    for i in 0..n {
        for k in i + 1..n {
            let t = at(vt, i * n + k);
            put(vt, i * n + k, at(vt, k * n + i));
            put(vt, k * n + i, t);
        }
    }
    // Sign-normalize each vector: first entry with |v| > √ε·max|v| positive.
    for k in 0..n {
        let mut vmax = T::ZERO;
        for i in 0..n {
            vmax = vmax.max(at(vt, k * n + i).abs());
        }
        let cut = eps.sqrt() * vmax;
        let first = (0..n)
            .map(|i| at(vt, k * n + i))
            .find(|v| v.abs() > cut)
            .unwrap_or(T::ZERO);
        if first < T::ZERO {
            for i in 0..n {
                put(vt, k * n + i, -at(vt, k * n + i));
            }
        }
    }
    Ok(())
}

/// Standard errors and correlations from an `n×n` covariance (a zero variance gives zero
/// correlations off the diagonal and 1 on it).
fn stderr_corr<T: Real>(cov: &[T], n: usize, stderr: &mut [T], corr: &mut [T]) {
    for i in 0..n {
        put(stderr, i, at(cov, i * n + i).max(T::ZERO).sqrt());
    }
    for i in 0..n {
        for j in 0..n {
            let d = at(stderr, i) * at(stderr, j);
            let c = if i == j {
                T::ONE
            } else if d > T::ZERO {
                at(cov, i * n + j) / d
            } else {
                T::ZERO
            };
            put(corr, i * n + j, c);
        }
    }
}

#[cfg(feature = "capi")]
/// Standard errors (`n`) and the correlation matrix (`n×n`, optional) from a covariance
/// written by [`fit_statistics_slice`] (the caller has checked the lengths).
pub(crate) fn stderr_and_correlation<T: Real>(
    cov: &[T],
    n: usize,
    stderr: Option<&mut [T]>,
    corr: Option<&mut [T]>,
) {
    let mut se_local = [T::ZERO; 0];
    match (stderr, corr) {
        (Some(se), Some(c)) => stderr_corr(cov, n, se, c),
        (Some(se), None) => stderr_corr(cov, n, se, &mut se_local),
        (None, Some(c)) => {
            // Correlations without an error buffer: compute entry by entry.
            for i in 0..n {
                for j in 0..n {
                    let d =
                        (at(cov, i * n + i).max(T::ZERO) * at(cov, j * n + j).max(T::ZERO)).sqrt();
                    let v = if i == j {
                        T::ONE
                    } else if d > T::ZERO {
                        at(cov, i * n + j) / d
                    } else {
                        T::ZERO
                    };
                    put(c, i * n + j, v);
                }
            }
        }
        (None, None) => {}
    }
}

#[cfg(feature = "capi")]
/// Scratch of [`stats_from_residuals`]: `n² + m·n + 2m + 2n`, or [`Error::LengthMismatch`].
pub(crate) fn residual_stats_len(m: usize, n: usize) -> Result<usize, Error> {
    let mn = m.checked_mul(n).ok_or(Error::LengthMismatch)?;
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    let m2 = m.checked_mul(2).ok_or(Error::LengthMismatch)?;
    let n2 = n.checked_mul(2).ok_or(Error::LengthMismatch)?;
    mn.checked_add(nn)
        .and_then(|a| a.checked_add(m2))
        .and_then(|a| a.checked_add(n2))
        .ok_or(Error::LengthMismatch)
}

#[cfg(feature = "capi")]
/// Statistics of slice residuals at `x` (`m` residuals): evaluates `r` and `J` into `work`
/// (layout: singular values `n`, `Vᵀ` `n²`, `J` `m·n`, `r` `m`, scratch `m + n`) and writes the
/// covariance. Nothing is written on bad input.
pub(crate) fn stats_from_residuals<T: Real, R: SliceResiduals<T> + ?Sized>(
    res: &mut R,
    x: &[T],
    m: usize,
    cov: &mut [T],
    work: &mut [T],
) -> Result<FitSummary<T>, Error> {
    let n = x.len();
    check_sizes(m, n)?;
    if work.len() != residual_stats_len(m, n)? || cov.len() != n.saturating_mul(n) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    let (sv, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (vt, rest) = rest
        .split_at_mut_checked(n.saturating_mul(n))
        .ok_or(Error::LengthMismatch)?;
    let (jac, rest) = rest
        .split_at_mut_checked(m.saturating_mul(n))
        .ok_or(Error::LengthMismatch)?;
    let (r, rest) = rest.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    let (tmp, p) = rest.split_at_mut_checked(m).ok_or(Error::LengthMismatch)?;
    copy(p, x);
    res.residuals(p, r);
    if r.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteLoss);
    }
    res.jacobian(p, r, jac, tmp)
        .map_err(super::lm::derivative_error)?;
    if jac.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteGradient);
    }
    stats_core(jac, r, n, cov, sv, vt)
}

/// Typed statistics: evaluates `r` and `J` at `x` into the given scratch and reports.
#[allow(clippy::too_many_arguments)]
pub(crate) fn typed_statistics<
    T: Real,
    R: Residuals<T, M, N> + ?Sized,
    const M: usize,
    const N: usize,
>(
    res: &mut R,
    x: &[T; N],
    fvec: &mut [T; M],
    jac: &mut [[T; N]; M],
    vecs: &mut [[T; N]; 6],
    square: &mut [[T; N]; N],
    cov: &mut [[T; N]; N],
    corr: &mut [[T; N]; N],
) -> Result<FitStatistics<T, N>, Error> {
    check_sizes(M, N)?;
    check_finite(x)?;
    let mut p = *x;
    let mut sr = FixedResiduals::<R, M, N>(res);
    sr.residuals(&p, fvec);
    if fvec.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteLoss);
    }
    let mut tmp = [T::ZERO; 0];
    sr.jacobian(&mut p, fvec, jac.as_flattened_mut(), &mut tmp)
        .map_err(super::lm::derivative_error)?;
    if jac.as_flattened().iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteGradient);
    }
    let [sv, ..] = vecs;
    let summary = stats_core(
        jac.as_flattened_mut(),
        fvec,
        N,
        cov.as_flattened_mut(),
        sv,
        square.as_flattened_mut(),
    )?;
    let mut stderr = [T::ZERO; N];
    stderr_corr(cov.as_flattened(), N, &mut stderr, corr.as_flattened_mut());
    let mut undetermined = Vec::new();
    for k in (summary.rank..N).rev() {
        let s = at(sv, k);
        let vector = square.get(k).copied().unwrap_or([T::ZERO; N]);
        let _ = undetermined.push(Direction {
            vector,
            curvature: s * s,
        });
    }
    Ok(FitStatistics {
        summary,
        stderr,
        singular_values: *sv,
        undetermined,
    })
}

/// Fit statistics of typed residuals at `x` with scratch in this call's frame (see
/// [`LevenbergMarquardt::statistics`](super::LevenbergMarquardt::statistics)).
pub fn fit_statistics<T: Real, R: Residuals<T, M, N> + ?Sized, const M: usize, const N: usize>(
    res: &mut R,
    x: &[T; N],
    cov: &mut [[T; N]; N],
    corr: &mut [[T; N]; N],
) -> Result<FitStatistics<T, N>, Error> {
    super::LevenbergMarquardt::<T, M, N>::new(super::LmConfig::default())
        .statistics(res, x, cov, corr)
}
