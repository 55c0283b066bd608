//! CMA-ES: the (μ/μ_w, λ) covariance matrix adaptation evolution strategy (N. Hansen, "The
//! CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, 2016; cited below as "the tutorial"),
//! with optional IPOP restarts (A. Auger & N. Hansen, "A restart CMA evolution strategy with
//! increasing population size", *CEC 2005*), meant for up to about 16 parameters (the `n×n`
//! state grows as `n²`, a decomposition costs `O(n³)`).
//!
//! **Coordinates.** The search runs in the box's unit cube: `x = lower + (upper − lower)⊙y`,
//! `y ∈ [0, 1]ⁿ`, so one step size serves coordinates of different ranges (pycma's
//! `scaling_of_variables` does the same). The initial mean is the start point, the initial step
//! size `σ₀ = sigma0` of the unit range (default 0.3: Hansen and pycma recommend a quarter to a
//! third of the search range), `C = I`, `p_σ = p_c = 0`.
//!
//! **One generation** (the tutorial's Table 1 and eqs. 38–47, positive weights only):
//! `λ` points `y_k = m + σ·B·D·z_k`, `z_k ~ N(0, I)`; the `μ = ⌊λ/2⌋` best (non-finite losses
//! rank last) give `y_w = Σ w_i (y_{i:λ} − m)/σ` with `w_i ∝ ln((λ+1)/2) − ln i`,
//! `m ← m + σ y_w`,
//! `p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)·C^{−½}y_w`,
//! `h_σ = [‖p_σ‖/√(1 − (1 − c_σ)^{2(g+1)}) < (1.4 + 2/(n+1))·E‖N(0, I)‖]`,
//! `p_c ← (1 − c_c)p_c + h_σ√(c_c(2 − c_c)μ_eff)·y_w`,
//! `C ← (1 + c₁δ(h_σ) − c₁ − c_μ)C + c₁ p_c p_cᵀ + c_μ Σ w_i y_i y_iᵀ`,
//! `δ(h_σ) = (1 − h_σ)c_c(2 − c_c)`, and `σ ← σ·exp(min(1, (c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1)))`.
//! The constants are [`CmaesParams`]. `C = B D² Bᵀ` is decomposed ([`sym_eigen`]) only every
//! `max(1, ⌊1/(10n(c₁ + c_μ))⌋)` generations (the tutorial's "lazy" update, §B.2).
//! When the best and the `⌈0.1 + λ/4⌉`-th loss of a generation are equal, `σ` is raised by
//! `exp(0.2 + c_σ/d_σ)` (the flat-fitness rule of Hansen's reference code).
//!
//! **The box.** A sample outside the unit cube is projected onto it (clipped), evaluated, and
//! enters the update as the projected point; so every point evaluated lies in the box, and the
//! mean, a convex combination of the mean and the selected points, stays in it. A projected
//! step can be long in the metric of `C`, which would inflate `σ` and `C`, so each selected
//! step `y_i` is shortened to a Mahalanobis length `‖C^{−½}y_i‖ ≤ √n + 2n/(n+2)` (the rule
//! for injected solutions, N. Hansen, "Injecting external solutions into CMA-ES",
//! arXiv:1110.4181, 2011).
//!
//! **Stops** of a run (N. Hansen, "Benchmarking a BI-population CMA-ES on the BBOB-2009
//! function testbed", *GECCO 2009*, whose defaults are used): `TolX` (`σ·max D` and `σ·max|p_c|`
//! below `tol_x·σ₀`), `TolFun` (for `10 + ⌈30n/λ⌉` generations in a row, every loss of the
//! generation within `tol_fun` of the run's best), no effect on any coordinate (`m_i + 0.2σ√C_ii
//! = m_i` for all `i`): [`SearchStop::Converged`]; `ConditionCov` (`max D²/min D² > max_condition`,
//! pycma's `tolconditioncov`) and stagnation (the run's best has not improved for
//! `120 + ⌈30n/λ⌉` generations, the shortest window of Hansen's stagnation rule):
//! [`SearchStop::Stagnation`]. After such a stop, up to `restarts` IPOP restarts follow: a new
//! run from a point drawn uniformly in the box with `λ` doubled (capped by the population
//! scratch). The budget, the target and `max_iter` (generations over all runs) end the search.
//! The best point evaluated is then polished by the local search (unless the target was reached).

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    check_start, clip, copy, param, polish, positive, report, Bounds, Budget, Counting,
    SearchReport, SearchStop,
};
use crate::error::Error;
use crate::linalg::{at, put, rows, rows_mut, sym_eigen};
use crate::objective::{Fixed, SliceObjective};
use crate::random::normal;
use crate::{Objective, Real};
use rand_core::Rng;

/// Length of the vector scratch of [`CmaesBuffers`]: mean, `p_σ`, `p_c`, `y_w`, two
/// temporaries and the evaluation point.
const VECS: usize = 7;

/// CMA-ES parameters (defaults: pycma's and Hansen's, see each field).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CmaesConfig<T> {
    /// Limits and target; an iteration is one generation (all runs together). Default: the
    /// crate's 20 000 evaluations, 1 000 000 generations.
    pub budget: Budget<T>,
    /// Population size `λ` of the first run, ≥ 2 and at most the population scratch; 0 is the
    /// tutorial's default `4 + ⌊3 ln n⌋`. Default 0.
    pub population: usize,
    /// Initial step size as a fraction of each coordinate's range (finite, > 0). Default 0.3.
    pub sigma0: T,
    /// `TolX`, relative to `σ₀` (finite, ≥ 0). Default 1e-12 (Hansen 2009; pycma's `tolx` is an
    /// absolute 1e-11).
    pub tol_x: T,
    /// `TolFun`, absolute (finite, ≥ 0). Default 1e-12 (Hansen 2009).
    pub tol_fun: T,
    /// Largest condition number of `C` (finite, > 1). Default 1e14 (pycma's
    /// `tolconditioncov`).
    pub max_condition: T,
    /// IPOP restarts after a run's own stop, each doubling `λ` (capped by the scratch).
    /// Default 0 (pycma's `restarts`).
    pub restarts: usize,
}

impl<T: Real> Default for CmaesConfig<T> {
    fn default() -> Self {
        CmaesConfig {
            budget: Budget::default(),
            population: 0,
            sigma0: T::from_f64(0.3),
            tol_x: T::from_f64(1e-12),
            tol_fun: T::from_f64(1e-12),
            max_condition: T::from_f64(1e14),
            restarts: 0,
        }
    }
}

impl<T: Real> CmaesConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range (the population is checked
    /// against the scratch by the kernel).
    ///
    /// ```
    /// use lossmap::global::CmaesConfig;
    /// let c = CmaesConfig::<f64>::default();
    /// assert!(c.validate().is_ok());
    /// assert!(CmaesConfig { population: 1, ..c }.validate().is_err());
    /// assert!(CmaesConfig { sigma0: 0.0, ..c }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        let nonneg = |v: T| v.is_finite() && v >= T::ZERO;
        param(
            self.population != 1
                && positive(self.sigma0)
                && nonneg(self.tol_x)
                && nonneg(self.tol_fun)
                && self.max_condition.is_finite()
                && self.max_condition > T::ONE,
        )
    }

    /// The population of the first run for `n` parameters: `population`, or the default.
    pub fn lambda(&self, n: usize) -> usize {
        if self.population == 0 {
            default_lambda(n)
        } else {
            self.population
        }
    }
}

/// The tutorial's default population `4 + ⌊3 ln n⌋` (Table 1).
///
/// ```
/// assert_eq!(lossmap::global::default_lambda(2), 6);
/// assert_eq!(lossmap::global::default_lambda(10), 10);
/// ```
pub fn default_lambda(n: usize) -> usize {
    let l = 3.0 * libm::log(n.max(1) as f64);
    4usize.saturating_add(libm::floor(l) as usize)
}

/// The strategy parameters of the tutorial's Table 1 for `n` parameters and population `λ`
/// (positive recombination weights only), computed in f64.
///
/// ```
/// use lossmap::global::CmaesParams;
/// let p = CmaesParams::new(10, 10).unwrap();
/// assert_eq!(p.mu, 5);
/// assert!((p.mu_eff - 3.1672).abs() < 1e-4);
/// assert!((p.weight(0) + p.weight(1) + p.weight(2) + p.weight(3) + p.weight(4) - 1.0).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CmaesParams {
    /// Population `λ`.
    pub lambda: usize,
    /// Parents `μ = ⌊λ/2⌋`.
    pub mu: usize,
    /// Variance-effective selection mass `μ_eff = 1/Σ w_i²`.
    pub mu_eff: f64,
    /// Step-size path learning rate `c_σ = (μ_eff + 2)/(n + μ_eff + 5)`.
    pub c_sigma: f64,
    /// Step-size damping `d_σ = 1 + 2 max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ`.
    pub d_sigma: f64,
    /// Covariance path learning rate `c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n)`.
    pub c_c: f64,
    /// Rank-one learning rate `c₁ = 2/((n + 1.3)² + μ_eff)`.
    pub c_1: f64,
    /// Rank-μ learning rate `c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff))`.
    pub c_mu: f64,
    /// `E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²))`.
    pub chi_n: f64,
    /// `ln((λ + 1)/2)`, the weights' offset.
    log_half: f64,
    /// `Σ_{i ≤ μ} (ln((λ+1)/2) − ln i)`, the weights' normalizer.
    weight_sum: f64,
}

impl CmaesParams {
    /// [`Error::InvalidParameter`] for `λ < 2`, [`Error::Empty`] for `n = 0`.
    pub fn new(n: usize, lambda: usize) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::Empty);
        }
        if lambda < 2 {
            return Err(Error::InvalidParameter);
        }
        let nf = n as f64;
        let mu = lambda / 2;
        let log_half = libm::log((lambda as f64 + 1.0) / 2.0);
        let (mut s1, mut s2) = (0.0, 0.0);
        for i in 1..=mu {
            let w = log_half - libm::log(i as f64);
            s1 += w;
            s2 += w * w;
        }
        let mu_eff = s1 * s1 / s2;
        let c_sigma = (mu_eff + 2.0) / (nf + mu_eff + 5.0);
        let d_sigma =
            1.0 + 2.0 * f64::max(0.0, libm::sqrt((mu_eff - 1.0) / (nf + 1.0)) - 1.0) + c_sigma;
        let c_c = (4.0 + mu_eff / nf) / (nf + 4.0 + 2.0 * mu_eff / nf);
        let alpha_cov = 2.0;
        let c_1 = alpha_cov / ((nf + 1.3) * (nf + 1.3) + mu_eff);
        let c_mu = f64::min(
            1.0 - c_1,
            alpha_cov * (mu_eff - 2.0 + 1.0 / mu_eff)
                / ((nf + 2.0) * (nf + 2.0) + alpha_cov * mu_eff / 2.0),
        );
        let chi_n = libm::sqrt(nf) * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));
        Ok(CmaesParams {
            lambda,
            mu,
            mu_eff,
            c_sigma,
            d_sigma,
            c_c,
            c_1,
            c_mu,
            chi_n,
            log_half,
            weight_sum: s1,
        })
    }

    /// The recombination weight of the `i`-th best point (`i` from 0; 0 for `i ≥ μ`).
    pub fn weight(&self, i: usize) -> f64 {
        if i >= self.mu {
            0.0
        } else {
            (self.log_half - libm::log((i + 1) as f64)) / self.weight_sum
        }
    }

    /// Generations between two decompositions of `C`: `max(1, ⌊1/(10n(c₁ + c_μ))⌋)`.
    pub fn eigen_interval(&self, n: usize) -> usize {
        let g = 1.0 / (10.0 * n as f64 * (self.c_1 + self.c_mu));
        if g.is_finite() && g >= 1.0 {
            (libm::floor(g) as usize).max(1)
        } else {
            1
        }
    }
}

/// Scratch length of [`CmaesBuffers::split`] for `n` parameters and a population scratch of
/// `lambda` points: `3n² + (8 + LOCAL_WORK)n + λ(n + 1)` (`C`, its eigenvectors, the
/// decomposition's scratch; `D` and seven vectors; the local search's scratch; the population and its
/// losses). `None` on overflow.
///
/// ```
/// assert_eq!(lossmap::global::cmaes_work_len(2, 6), Some(12 + 22 + 18));
/// ```
pub const fn cmaes_work_len(n: usize, lambda: usize) -> Option<usize> {
    let Some(nn) = n.checked_mul(n) else {
        return None;
    };
    let Some(mats) = nn.checked_mul(3) else {
        return None;
    };
    let Some(vecs) = n.checked_mul(VECS + LOCAL_WORK + 1) else {
        return None;
    };
    let Some(row) = n.checked_add(1) else {
        return None;
    };
    let Some(pop) = lambda.checked_mul(row) else {
        return None;
    };
    let Some(a) = mats.checked_add(vecs) else {
        return None;
    };
    a.checked_add(pop)
}

/// The caller-owned state of [`cmaes_slice`] for `n` parameters and up to `λ_max` points per
/// generation. Row-major matrices.
#[derive(Debug)]
pub struct CmaesBuffers<'a, T> {
    /// Covariance `C` (`n×n`).
    pub cov: &'a mut [T],
    /// Eigenvectors of `C` as rows (`n×n`, [`sym_eigen`]'s layout).
    pub basis: &'a mut [T],
    /// The decomposition's scratch (`n×n`).
    pub eig: &'a mut [T],
    /// `D`: square roots of the eigenvalues of `C` (`n`).
    pub scale: &'a mut [T],
    /// Mean, `p_σ`, `p_c`, `y_w`, two temporaries, the evaluation point (`7n`).
    pub vecs: &'a mut [T],
    /// Population (`λ_max×n`, unit-cube coordinates).
    pub pop: &'a mut [T],
    /// Losses of the population (`λ_max`).
    pub fit: &'a mut [T],
    /// The local search's scratch ([`LOCAL_WORK`]`·n`).
    pub local: &'a mut [T],
}

impl<'a, T> CmaesBuffers<'a, T> {
    /// Cuts `work` of [`cmaes_work_len`]`(n, lambda_max)` values into the buffers
    /// ([`Error::LengthMismatch`] for another length or `n = 0`).
    pub fn split(work: &'a mut [T], n: usize, lambda_max: usize) -> Result<Self, Error> {
        if n == 0 || Some(work.len()) != cmaes_work_len(n, lambda_max) {
            return Err(Error::LengthMismatch);
        }
        let nn = n * n;
        let (cov, rest) = work.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (basis, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (eig, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (scale, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let (vecs, rest) = rest
            .split_at_mut_checked(VECS * n)
            .ok_or(Error::LengthMismatch)?;
        let (local, rest) = rest
            .split_at_mut_checked(LOCAL_WORK * n)
            .ok_or(Error::LengthMismatch)?;
        let (pop, fit) = rest
            .split_at_mut_checked(lambda_max * n)
            .ok_or(Error::LengthMismatch)?;
        Ok(CmaesBuffers {
            cov,
            basis,
            eig,
            scale,
            vecs,
            pop,
            fit,
            local,
        })
    }

    /// Checks the lengths for `n`; returns the population capacity `λ_max`.
    fn capacity(&self, n: usize) -> Result<usize, Error> {
        let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
        let cap = self.fit.len();
        if self.cov.len() != nn
            || self.basis.len() != nn
            || self.eig.len() != nn
            || self.scale.len() != n
            || Some(self.vecs.len()) != n.checked_mul(VECS)
            || Some(self.local.len()) < n.checked_mul(LOCAL_WORK)
            || Some(self.pop.len()) != cap.checked_mul(n)
        {
            return Err(Error::LengthMismatch);
        }
        Ok(cap)
    }
}

/// Why a run (between restarts) ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunEnd {
    /// The search as a whole ends.
    Search(SearchStop),
    /// The run ended on its own rule.
    Local(SearchStop),
}

/// CMA-ES over slices: the kernel behind [`Cmaes`] and the C ABI.
///
/// `x` (length `n`) is the start (inside the box; the first mean) on entry and the best point
/// evaluated on return. `buf` holds the state ([`CmaesBuffers`]); its population capacity
/// `λ_max = fit.len()` bounds `λ` (also after IPOP doubling). On return `buf` holds the last
/// run's state: its mean (unit-cube coordinates) in `vecs[0..n]`, `C`, the last generation.
/// [`SearchReport::iterations`] counts generations, [`SearchReport::accepted`] the restarts.
///
/// Errors before anything is written: lengths, a start outside the box or not finite, an
/// invalid configuration or local search, a first population larger than `λ_max`
/// ([`Error::LengthMismatch`]); [`Error::NonFiniteLoss`] when the start's loss is not finite.
/// Points whose loss is NaN or ±∞ rank last; a non-finite value met by the local search is
/// [`Error::NonFiniteLoss`], with `x` holding the best point evaluated.
///
/// ```
/// use lossmap::global::{cmaes_slice, cmaes_work_len, Bounds, CmaesBuffers, CmaesConfig, NoPolish};
/// use lossmap::objective::FnSlice;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-3.0f64; 3], &[3.0; 3]).unwrap();
/// let mut sphere = FnSlice(|v: &[f64]| v.iter().map(|t| (t - 1.0) * (t - 1.0)).sum::<f64>());
/// let mut work = [0.0; 88];
/// assert_eq!(cmaes_work_len(3, 7), Some(work.len()));
/// let mut buf = CmaesBuffers::split(&mut work, 3, 7).unwrap();
/// let mut x = [-2.0, 2.0, 0.0];
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let cfg = CmaesConfig::<f64>::default();
/// let r = cmaes_slice(&mut sphere, &mut NoPolish, &mut rng, &b, &cfg, &mut x, &mut buf).unwrap();
/// assert!(r.best_loss < 1e-12, "{r:?}");
/// ```
#[allow(clippy::too_many_arguments)]
pub fn cmaes_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &CmaesConfig<T>,
    x: &mut [T],
    buf: &mut CmaesBuffers<'_, T>,
) -> Result<SearchReport<T>, Error> {
    let n = x.len();
    bounds.check_dim(n)?;
    let cap = buf.capacity(n)?;
    cfg.validate()?;
    let lambda0 = cfg.lambda(n);
    if lambda0 > cap {
        return Err(Error::LengthMismatch);
    }
    CmaesParams::new(n, lambda0)?;
    local.validate()?;
    check_start(bounds, x)?;
    let CmaesBuffers {
        cov,
        basis,
        eig,
        scale,
        vecs,
        pop,
        fit,
        local: lwork,
    } = buf;
    let (mean, rest) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (ps, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (pc, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (yw, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (ta, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (tb, xe) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    // The start in unit-cube coordinates (before the tracker takes `x`).
    to_unit(bounds, x, mean);
    copy(xe, x);
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, x);
    if !obj.value(xe).is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut lambda = lambda0;
    let (mut generations, mut restarts, mut improvements) = (0usize, 0usize, 0usize);
    let mut best_f = obj.best_loss();
    let reason = loop {
        let end = run(
            &mut obj,
            rng,
            bounds,
            cfg,
            lambda,
            RunState {
                cov,
                basis,
                eig,
                scale,
                mean,
                ps,
                pc,
                yw,
                ta,
                tb,
                xe,
                pop,
                fit,
            },
            &mut generations,
            &mut best_f,
            &mut improvements,
        )?;
        match end {
            RunEnd::Search(s) => break s,
            RunEnd::Local(s) => {
                if restarts >= cfg.restarts {
                    break s;
                }
                restarts += 1;
                lambda = lambda.saturating_mul(2).min(cap);
                // IPOP: a new run from a uniform point of the box.
                for m in mean.iter_mut() {
                    *m = crate::random::uniform(rng);
                }
            }
        }
    };
    if reason != SearchStop::Target {
        polish(&mut obj, local, bounds, xe, lwork, &mut improvements)?;
        best_f = obj.best_loss();
    }
    Ok(report(
        reason,
        best_f,
        &obj,
        generations,
        restarts,
        improvements,
    ))
}

/// The state of one run, borrowed from [`CmaesBuffers`].
struct RunState<'s, T> {
    cov: &'s mut [T],
    basis: &'s mut [T],
    eig: &'s mut [T],
    scale: &'s mut [T],
    mean: &'s mut [T],
    ps: &'s mut [T],
    pc: &'s mut [T],
    yw: &'s mut [T],
    ta: &'s mut [T],
    tb: &'s mut [T],
    xe: &'s mut [T],
    pop: &'s mut [T],
    fit: &'s mut [T],
}

/// `y = (x − lower)/(upper − lower)` (0 for a fixed coordinate), clipped to `[0, 1]`.
fn to_unit<T: Real>(bounds: &Bounds<'_, T>, x: &[T], y: &mut [T]) {
    for ((yi, &xi), (l, u)) in y.iter_mut().zip(x).zip(bounds.pairs()) {
        let w = u - l;
        *yi = if w > T::ZERO {
            clip((xi - l) / w, T::ZERO, T::ONE)
        } else {
            T::ZERO
        };
    }
}

/// `x = lower + (upper − lower)⊙y`, clipped into the box.
fn from_unit<T: Real>(bounds: &Bounds<'_, T>, y: &[T], x: &mut [T]) {
    for ((xi, &yi), (l, u)) in x.iter_mut().zip(y).zip(bounds.pairs()) {
        *xi = clip(l + (u - l) * yi, l, u);
    }
}

/// `out = D^{−1}·V·y` (`V`: eigenvectors as rows), so `‖out‖ = ‖C^{−½}y‖`.
fn whiten<T: Real>(basis: &[T], scale: &[T], y: &[T], out: &mut [T], n: usize) {
    for ((o, row), &d) in out.iter_mut().zip(rows(basis, n)).zip(scale) {
        let mut s = T::ZERO;
        for (&v, &yj) in row.iter().zip(y) {
            s += v * yj;
        }
        *o = s / d;
    }
}

/// `out = Vᵀ·t` (`V`: eigenvectors as rows).
fn unwhiten<T: Real>(basis: &[T], t: &[T], out: &mut [T], n: usize) {
    out.iter_mut().for_each(|o| *o = T::ZERO);
    for (row, &tk) in rows(basis, n).zip(t) {
        for (o, &v) in out.iter_mut().zip(row) {
            *o += v * tk;
        }
    }
}

/// Swaps rows `i < j` of the `n`-column matrix `a`.
fn swap_rows<T>(a: &mut [T], n: usize, i: usize, j: usize) {
    if i >= j {
        return;
    }
    let Some(split) = j.checked_mul(n) else {
        return;
    };
    let Some((head, tail)) = a.split_at_mut_checked(split) else {
        return;
    };
    let (Some(ri), Some(rj)) = (
        i.checked_mul(n)
            .and_then(|s| head.get_mut(s..s.saturating_add(n))),
        tail.get_mut(..n),
    ) else {
        return;
    };
    ri.iter_mut()
        .zip(rj.iter_mut())
        .for_each(|(p, q)| core::mem::swap(p, q));
}

/// `a < b` with NaN last.
fn better<T: Real>(a: T, b: T) -> bool {
    a < b || (b.is_nan() && !a.is_nan())
}

/// One CMA-ES run from `st.mean` with population `lambda`.
#[allow(clippy::too_many_arguments)]
fn run<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized>(
    obj: &mut Counting<'_, '_, O, T>,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &CmaesConfig<T>,
    lambda: usize,
    st: RunState<'_, T>,
    generations: &mut usize,
    best_f: &mut T,
    improvements: &mut usize,
) -> Result<RunEnd, Error> {
    let RunState {
        cov,
        basis,
        eig,
        scale,
        mean,
        ps,
        pc,
        yw,
        ta,
        tb,
        xe,
        pop,
        fit,
    } = st;
    let n = mean.len();
    let p = CmaesParams::new(n, lambda)?;
    let (mu, lambda) = (p.mu, p.lambda);
    let tf = |v: f64| T::from_f64(v);
    let (cs, ds, cc, c1, cmu) = (
        tf(p.c_sigma),
        tf(p.d_sigma),
        tf(p.c_c),
        tf(p.c_1),
        tf(p.c_mu),
    );
    let chi = tf(p.chi_n);
    let ps_gain = tf(libm::sqrt(p.c_sigma * (2.0 - p.c_sigma) * p.mu_eff));
    let pc_gain = tf(libm::sqrt(p.c_c * (2.0 - p.c_c) * p.mu_eff));
    let delta_h = tf(p.c_c * (2.0 - p.c_c));
    let nf = n as f64;
    let h_limit = tf((1.4 + 2.0 / (nf + 1.0)) * p.chi_n);
    let y_cap = tf(libm::sqrt(nf) + 2.0 * nf / (nf + 2.0));
    let window = 30.0 * nf / lambda as f64;
    let fun_window = 10usize.saturating_add(libm::ceil(window) as usize);
    let stall_window = 120usize.saturating_add(libm::ceil(window) as usize);
    let flat_index = (libm::ceil(0.1 + lambda as f64 / 4.0) as usize)
        .saturating_sub(1)
        .min(lambda.saturating_sub(1));
    let flat_gain = tf(libm::exp(0.2 + p.c_sigma / p.d_sigma));
    let lazy = p.eigen_interval(n);
    let sigma0 = cfg.sigma0;
    let tol_x = cfg.tol_x * sigma0;
    // A fresh run: C = B = I, D = 1, paths 0.
    for (i, row) in rows_mut(cov, n).enumerate() {
        for (j, c) in row.iter_mut().enumerate() {
            *c = if i == j { T::ONE } else { T::ZERO };
        }
    }
    copy(basis, cov);
    scale.iter_mut().for_each(|d| *d = T::ONE);
    ps.iter_mut().for_each(|v| *v = T::ZERO);
    pc.iter_mut().for_each(|v| *v = T::ZERO);
    let mut sigma = sigma0;
    let mut ps_decay = T::ONE;
    let mut since_eigen = 0usize;
    let mut run_best = T::MAX_R;
    let (mut stall, mut flat) = (0usize, 0usize);
    loop {
        if cfg.budget.reached(*best_f) {
            return Ok(RunEnd::Search(SearchStop::Target));
        }
        if obj.exhausted() {
            return Ok(RunEnd::Search(SearchStop::MaxEvaluations));
        }
        if *generations >= cfg.budget.max_iter {
            return Ok(RunEnd::Search(SearchStop::MaxIterations));
        }
        *generations += 1;
        // Sample and evaluate λ points.
        for (row, fk) in rows_mut(pop, n).zip(fit.iter_mut()).take(lambda) {
            if obj.exhausted() {
                return Ok(RunEnd::Search(SearchStop::MaxEvaluations));
            }
            ta.iter_mut().zip(scale.iter()).for_each(|(z, &d)| {
                let v: T = normal(rng);
                *z = v * d;
            });
            unwhiten(basis, ta, tb, n);
            for ((r, &m), &s) in row.iter_mut().zip(mean.iter()).zip(tb.iter()) {
                *r = clip(m + sigma * s, T::ZERO, T::ONE);
            }
            from_unit(bounds, row, xe);
            *fk = obj.value(xe);
            if obj.best_loss() < *best_f {
                *best_f = obj.best_loss();
                *improvements += 1;
            }
            if cfg.budget.reached(*best_f) {
                return Ok(RunEnd::Search(SearchStop::Target));
            }
        }
        // The μ best to the front (selection sort; non-finite last).
        for i in 0..mu {
            let mut ib = i;
            for j in i + 1..lambda {
                if better(at(fit, j), at(fit, ib)) {
                    ib = j;
                }
            }
            if ib != i {
                let (a, b) = (at(fit, i), at(fit, ib));
                put(fit, i, b);
                put(fit, ib, a);
                swap_rows(pop, n, i, ib);
            }
        }
        // Range of the generation and the flat-fitness test (after the μ best are sorted,
        // the `flat_index`-th best is the minimum of the rest when `flat_index ≥ μ`).
        let f_best = at(fit, 0);
        let all_finite = fit.iter().take(lambda).all(|f| f.is_finite());
        let f_worst = fit.iter().take(lambda).fold(f_best, |a, &f| a.max(f));
        let f_flat = if flat_index < mu {
            at(fit, flat_index)
        } else {
            let mut m = T::MAX_R;
            for &f in fit.iter().take(lambda).skip(mu) {
                if f < m {
                    m = f;
                }
            }
            m
        };
        // Selected steps y_i = (y_{i:λ} − m)/σ, Mahalanobis length capped; y_w.
        yw.iter_mut().for_each(|v| *v = T::ZERO);
        for (i, row) in rows_mut(pop, n).take(mu).enumerate() {
            for (r, &m) in row.iter_mut().zip(mean.iter()) {
                *r = (*r - m) / sigma;
            }
            whiten(basis, scale, row, ta, n);
            let len = ta.iter().fold(T::ZERO, |s, &v| s + v * v).sqrt();
            if len > y_cap {
                let s = y_cap / len;
                row.iter_mut().for_each(|r| *r *= s);
            }
            let w = tf(p.weight(i));
            for (a, &r) in yw.iter_mut().zip(row.iter()) {
                *a += w * r;
            }
        }
        // Mean.
        for (m, &d) in mean.iter_mut().zip(yw.iter()) {
            *m = clip(*m + sigma * d, T::ZERO, T::ONE);
        }
        // Step-size path.
        whiten(basis, scale, yw, ta, n);
        unwhiten(basis, ta, tb, n);
        let mut ps2 = T::ZERO;
        for (v, &t) in ps.iter_mut().zip(tb.iter()) {
            *v = (T::ONE - cs) * *v + ps_gain * t;
            ps2 += *v * *v;
        }
        let ps_norm = ps2.sqrt();
        ps_decay *= (T::ONE - cs) * (T::ONE - cs);
        let h_sigma = ps_norm / (T::ONE - ps_decay).max(T::EPSILON_R).sqrt() < h_limit;
        // Covariance path.
        let hg = if h_sigma { pc_gain } else { T::ZERO };
        for (v, &d) in pc.iter_mut().zip(yw.iter()) {
            *v = (T::ONE - cc) * *v + hg * d;
        }
        // Covariance: rank one and rank μ.
        let keep = T::ONE - c1 - cmu + if h_sigma { T::ZERO } else { c1 * delta_h };
        for (i, row) in rows_mut(cov, n).enumerate() {
            let pci = at(pc, i);
            for (j, c) in row.iter_mut().enumerate() {
                *c = keep * *c + c1 * pci * at(pc, j);
            }
        }
        for (k, yk) in rows(pop, n).take(mu).enumerate() {
            let w = cmu * tf(p.weight(k));
            for (row, &yi) in rows_mut(cov, n).zip(yk) {
                for (c, &yj) in row.iter_mut().zip(yk) {
                    *c += w * yi * yj;
                }
            }
        }
        // Step size.
        let e = (cs / ds * (ps_norm / chi - T::ONE)).min(T::ONE);
        sigma *= e.exp();
        if f_best == f_flat {
            sigma *= flat_gain;
        }
        if !positive(sigma) {
            return Ok(RunEnd::Local(SearchStop::Stagnation));
        }
        // Lazy decomposition C = V^T D² V.
        since_eigen += 1;
        if since_eigen >= lazy {
            since_eigen = 0;
            // Symmetrize against rounding.
            for i in 0..n {
                for j in i + 1..n {
                    let a = (at(cov, i * n + j) + at(cov, j * n + i)) * T::HALF;
                    put(cov, i * n + j, a);
                    put(cov, j * n + i, a);
                }
            }
            if sym_eigen(cov, n, eig, scale, basis).is_err() {
                return Ok(RunEnd::Local(SearchStop::Stagnation));
            }
            let (lo, hi) = (at(scale, 0), scale.last().copied().unwrap_or(T::ZERO));
            if lo.is_nan() || lo <= T::ZERO || !hi.is_finite() || hi > cfg.max_condition * lo {
                return Ok(RunEnd::Local(SearchStop::Stagnation));
            }
            scale.iter_mut().for_each(|d| *d = d.sqrt());
        }
        // The run's stops.
        if f_best < run_best {
            run_best = f_best;
            stall = 0;
        } else {
            stall += 1;
        }
        if all_finite && f_worst - run_best <= cfg.tol_fun {
            flat += 1;
        } else {
            flat = 0;
        }
        let dmax = scale.iter().fold(T::ZERO, |a, &d| a.max(d));
        let pcmax = pc.iter().fold(T::ZERO, |a, &v| a.max(v.abs()));
        if sigma * dmax < tol_x && sigma * pcmax < tol_x {
            return Ok(RunEnd::Local(SearchStop::Converged));
        }
        if flat >= fun_window {
            return Ok(RunEnd::Local(SearchStop::Converged));
        }
        let no_effect = mean.iter().enumerate().all(|(i, &m)| {
            let s = T::from_f64(0.2) * sigma * at(cov, i * n + i).sqrt();
            m + s == m
        });
        if no_effect {
            return Ok(RunEnd::Local(SearchStop::Converged));
        }
        if stall >= stall_window {
            return Ok(RunEnd::Local(SearchStop::Stagnation));
        }
    }
}

/// CMA-ES in `N` dimensions with a population scratch of `L` points, its state in fixed
/// arrays (`3N² + L·N` values and a few vectors).
///
/// ```
/// use lossmap::global::{Bounds, Budget, Cmaes, CmaesConfig, ProjectedLbfgs};
/// use lossmap::testfn::RosenbrockN;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.0; 4], &[5.0; 4]).unwrap();
/// let cfg = CmaesConfig { budget: Budget { f_target: 1e-10, ..Budget::default() }, ..CmaesConfig::default() };
/// let mut es = Cmaes::<f64, 4, 8>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// let mut x = [-3.0, 3.0, -3.0, 3.0];
/// let r = es.run(&mut RosenbrockN::<4>, &mut ProjectedLbfgs::<f64, 4, 10>::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss <= 1e-10, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cmaes<T, const N: usize, const L: usize> {
    /// Parameters.
    pub config: CmaesConfig<T>,
    /// Covariance `C` of the last run (in the box's unit-cube coordinates).
    pub cov: [[T; N]; N],
    basis: [[T; N]; N],
    eig: [[T; N]; N],
    scale: [T; N],
    vecs: [[T; N]; VECS],
    pop: [[T; N]; L],
    fit: [T; L],
    local: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize, const L: usize> Cmaes<T, N, L> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0`,
    /// [`Error::LengthMismatch`] when the first population exceeds `L`.
    pub fn new(config: CmaesConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 {
            return Err(Error::Empty);
        }
        if config.lambda(N) > L {
            return Err(Error::LengthMismatch);
        }
        Ok(Cmaes {
            config,
            cov: [[T::ZERO; N]; N],
            basis: [[T::ZERO; N]; N],
            eig: [[T::ZERO; N]; N],
            scale: [T::ZERO; N],
            vecs: [[T::ZERO; N]; VECS],
            pop: [[T::ZERO; N]; L],
            fit: [T::ZERO; L],
            local: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// The mean of the last run, in the box's unit-cube coordinates.
    pub fn mean(&self) -> &[T; N] {
        &self.vecs[0]
    }

    /// Searches from `x` (in the box); on success `x` holds the best point evaluated. See
    /// [`cmaes_slice`] for the errors; on error `x` is unchanged.
    pub fn run<O: Objective<T, N> + ?Sized, Lo: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut Lo,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        let mut best = *x;
        let mut buf = CmaesBuffers {
            cov: self.cov.as_flattened_mut(),
            basis: self.basis.as_flattened_mut(),
            eig: self.eig.as_flattened_mut(),
            scale: &mut self.scale,
            vecs: self.vecs.as_flattened_mut(),
            pop: self.pop.as_flattened_mut(),
            fit: &mut self.fit,
            local: self.local.as_flattened_mut(),
        };
        let r = cmaes_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            &mut best,
            &mut buf,
        )?;
        *x = best;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_rows_swaps() {
        let mut a = [1, 2, 3, 4, 5, 6];
        swap_rows(&mut a, 2, 0, 2);
        assert_eq!(a, [5, 6, 3, 4, 1, 2]);
        swap_rows(&mut a, 2, 1, 1);
        assert_eq!(a, [5, 6, 3, 4, 1, 2]);
    }

    #[test]
    fn nan_ranks_last() {
        assert!(better(1.0f64, f64::NAN));
        assert!(!better(f64::NAN, 1.0f64));
        assert!(better(1.0f64, f64::INFINITY));
    }
}
