//! Simulated annealing (Kirkpatrick, Gelatt & Vecchi, "Optimization by simulated annealing",
//! *Science* 220, 1983), with the restart-and-polish structure of generalized / dual annealing
//! (Xiang, Sun, Fan & Gong, *Physica A* 233, 1997; `scipy.optimize.dual_annealing`).
//!
//! At temperature `T` a Markov chain of `chain` Metropolis steps runs: a proposal
//! `y = x + σ ⊙ z` (all coordinates at once) is accepted with probability
//! `min(1, exp(−(f(y) − f(x))/T))`; a NaN/±∞ loss is rejected. `z` is standard normal
//! (Boltzmann annealing, scale `σᵢ = scale·(uᵢ − lᵢ)·√(T/T₀)`) or standard Cauchy (fast
//! annealing, Szu & Hartley, *Phys. Lett. A* 122, 1987: heavy tails for long jumps,
//! `σᵢ = scale·(uᵢ − lᵢ)·T/T₀`). A proposal leaving the box is clipped or reflected into it.
//!
//! After each chain the temperature drops:
//!
//! * geometric `T ← αT` (Kirkpatrick et al.);
//! * logarithmic `T_k = T₀·ln 2 / ln(k + 2)` (Geman & Geman, *IEEE PAMI* 6, 1984: the schedule
//!   of the convergence proof, very slow);
//! * adaptive `T ← T·max(½, exp(−λT/σ_E))` with `σ_E` the standard deviation of the chain's
//!   losses (Huang, Romeo & Sangiovanni-Vincentelli, ICCAD 1986): cool slowly where the
//!   loss fluctuates a lot.
//!
//! Whenever a chain improved the best point, the best point is polished by the local search
//! (dual annealing runs its local search on improvement too). A *cycle* ends when `T < t_min`
//! or after `reheat_after` chains without a new best (stagnation); the search then reheats
//! (`T ← T₀`) from a uniformly drawn point, as dual annealing restarts when the temperature
//! has fallen to `restart_temp_ratio·T₀`, until `max_reheats` reheats were done.

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    cauchy, check_start, clip, copy, gauss, metropolis, open_unit, param, polish, positive,
    reflect, report, Bounds, Budget, Counting, SearchReport, SearchStop,
};
use crate::error::Error;
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};
use rand_core::Rng;

/// Geometric cooling `T ← αT`.
pub const COOLING_GEOMETRIC: i32 = 0;
/// Logarithmic cooling `T_k = T₀ ln 2 / ln(k + 2)`.
pub const COOLING_LOGARITHMIC: i32 = 1;
/// Adaptive cooling `T ← T·max(½, exp(−λT/σ_E))`.
pub const COOLING_ADAPTIVE: i32 = 2;
/// Gaussian proposals.
pub const PROPOSAL_GAUSSIAN: i32 = 0;
/// Cauchy proposals.
pub const PROPOSAL_CAUCHY: i32 = 1;
/// Proposals outside the box are clipped to it.
pub const BOUNDARY_CLIP: i32 = 0;
/// Proposals outside the box are reflected into it.
pub const BOUNDARY_REFLECT: i32 = 1;

/// Simulated-annealing parameters (codes rather than enums, so that C can fill it).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AnnealingConfig<T> {
    /// Limits and target; an iteration is one proposal.
    pub budget: Budget<T>,
    /// Initial (and reheat) temperature `T₀` (finite, > 0). Default 10.
    pub t0: T,
    /// A cycle ends when `T < t_min` (finite, > 0, < `t0`). Default 1e-3.
    pub t_min: T,
    /// Cooling: 0 geometric, 1 logarithmic, 2 adaptive (the `COOLING_*` codes, in C
    /// `LOSSMAP_COOLING_*`). Default geometric.
    pub cooling: i32,
    /// Geometric factor α ∈ (0, 1). Default 0.9.
    pub alpha: T,
    /// Adaptive-cooling λ (finite, > 0). Default 0.7 (Huang et al.).
    pub lambda: T,
    /// Proposals per temperature (> 0). Default 50.
    pub chain: usize,
    /// Proposals: 0 Gaussian, 1 Cauchy (the `PROPOSAL_*` codes, in C `LOSSMAP_PROPOSAL_*`).
    /// Default Gaussian.
    pub proposal: i32,
    /// Proposal scale at `T₀` as a fraction of the box width (finite, > 0). Default 0.1.
    pub scale: T,
    /// Proposals leaving the box: 0 clipped, 1 reflected (the `BOUNDARY_*` codes, in C
    /// `LOSSMAP_BOUNDARY_*`). Default reflect.
    pub boundary: i32,
    /// Chains without a new best that end a cycle; 0 turns the rule off. Default 20.
    pub reheat_after: usize,
    /// Reheats allowed; the next cycle end stops the search (stagnation). Default 1000.
    pub max_reheats: usize,
}

impl<T: Real> Default for AnnealingConfig<T> {
    fn default() -> Self {
        AnnealingConfig {
            budget: Budget::default(),
            t0: T::from_f64(10.0),
            t_min: T::from_f64(1e-3),
            cooling: COOLING_GEOMETRIC,
            alpha: T::from_f64(0.9),
            lambda: T::from_f64(0.7),
            chain: 50,
            proposal: PROPOSAL_GAUSSIAN,
            scale: T::from_f64(0.1),
            boundary: BOUNDARY_REFLECT,
            reheat_after: 20,
            max_reheats: 1000,
        }
    }
}

impl<T: Real> AnnealingConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range or an unknown code.
    ///
    /// ```
    /// use lossmap::global::AnnealingConfig;
    /// let c = AnnealingConfig::<f64>::default();
    /// assert!(c.validate().is_ok());
    /// assert!(AnnealingConfig { t0: 0.0, ..c }.validate().is_err());
    /// assert!(AnnealingConfig { cooling: 7, ..c }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        param(
            positive(self.t0)
                && positive(self.t_min)
                && self.t_min < self.t0
                && (COOLING_GEOMETRIC..=COOLING_ADAPTIVE).contains(&self.cooling)
                && open_unit(self.alpha)
                && positive(self.lambda)
                && self.chain > 0
                && (PROPOSAL_GAUSSIAN..=PROPOSAL_CAUCHY).contains(&self.proposal)
                && positive(self.scale)
                && (BOUNDARY_CLIP..=BOUNDARY_REFLECT).contains(&self.boundary),
        )
    }
}

/// What an annealing run leaves behind besides the best point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AnnealingState<T> {
    /// Temperature at the end.
    pub temperature: T,
    /// Loss of the current point at the end.
    pub current_loss: T,
    /// Chains (temperature levels) run.
    pub chains: usize,
    /// Reheats done.
    pub reheats: usize,
}

/// Simulated annealing over slices: the kernel behind [`Annealer`] and the C ABI.
///
/// `x` (length `n`) is the start on entry and the current point on return; `best` receives
/// the best point; `trial` (`n`) and `work` ([`LOCAL_WORK`]`·n`) are scratch; `state` receives
/// the final temperature and the counts. [`SearchReport::iterations`] counts proposals.
///
/// Errors before anything is written: lengths, a start outside the box or not finite, an
/// invalid configuration or local search; [`Error::NonFiniteLoss`] when the start's loss is
/// not finite. During the run a proposal whose loss is NaN or ±∞ (−∞ included) is rejected,
/// so no error comes from the objective once it has started and every output stays finite;
/// a non-finite loss met by the local search is [`Error::NonFiniteLoss`] (never the bad-input
/// [`Error::NonFiniteInput`]), with `x` and `best` holding the last accepted state and
/// `state` untouched.
#[allow(clippy::too_many_arguments)]
pub fn anneal_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &AnnealingConfig<T>,
    state: &mut AnnealingState<T>,
    x: &mut [T],
    best: &mut [T],
    trial: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = x.len();
    bounds.check_dim(n)?;
    if best.len() != n || trial.len() != n || Some(work.len()) < n.checked_mul(LOCAL_WORK) {
        return Err(Error::LengthMismatch);
    }
    cfg.validate()?;
    local.validate()?;
    check_start(bounds, x)?;
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, best);
    let mut f = obj.value(x);
    if !f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut best_f = f;
    let mut temp = cfg.t0;
    let (mut proposals, mut accepts, mut improvements) = (0usize, 0usize, 0usize);
    let (mut chains, mut reheats, mut level, mut stall) = (0usize, 0usize, 0usize, 0usize);
    let ln2 = T::TWO.ln();
    // The best point improved since it was last polished.
    let mut dirty = false;
    let reason = 'search: loop {
        // One chain at temperature `temp`.
        let rel = temp / cfg.t0;
        let spread = if cfg.proposal == PROPOSAL_CAUCHY {
            rel
        } else {
            rel.sqrt()
        };
        let sigma = cfg.scale * spread;
        let (mut mean, mut m2, mut count) = (T::ZERO, T::ZERO, T::ZERO);
        let mut improved = false;
        for _ in 0..cfg.chain {
            if cfg.budget.reached(best_f) {
                break 'search SearchStop::Target;
            }
            if obj.exhausted() {
                break 'search SearchStop::MaxEvaluations;
            }
            if proposals >= cfg.budget.max_iter {
                break 'search SearchStop::MaxIterations;
            }
            proposals += 1;
            for ((t, &xi), (l, u)) in trial.iter_mut().zip(x.iter()).zip(bounds.pairs()) {
                let z = if cfg.proposal == PROPOSAL_CAUCHY {
                    cauchy(rng)
                } else {
                    gauss(rng)
                };
                let v = xi + sigma * (u - l) * z;
                *t = if cfg.boundary == BOUNDARY_REFLECT {
                    reflect(v, l, u)
                } else {
                    clip(v, l, u)
                };
            }
            let ft = obj.value(trial);
            // A NaN/±∞ loss is a rejected proposal (−∞ included).
            if ft.is_finite() && metropolis(rng, ft - f, temp) {
                copy(x, trial);
                f = ft;
                accepts += 1;
            }
            // The tracker keeps every evaluated point that beats the best, accepted or not.
            if obj.best_loss() < best_f {
                best_f = obj.best_loss();
                improvements += 1;
                improved = true;
                dirty = true;
            }
            // Welford's running variance of the chain's losses (for adaptive cooling).
            count += T::ONE;
            let d = f - mean;
            mean += d / count;
            m2 += d * (f - mean);
        }
        chains += 1;
        level += 1;
        if improved {
            stall = 0;
            polish(&mut obj, local, bounds, trial, work, &mut improvements)?;
            best_f = obj.best_loss();
            dirty = false;
        } else {
            stall += 1;
        }
        temp = match cfg.cooling {
            COOLING_LOGARITHMIC => cfg.t0 * ln2 / (T::from_usize(level) + T::TWO).ln(),
            COOLING_ADAPTIVE => {
                let sd = (m2 / count.max(T::ONE)).sqrt();
                let factor = if sd > T::ZERO && sd.is_finite() {
                    (-cfg.lambda * temp / sd).exp().max(T::HALF)
                } else {
                    T::HALF
                };
                temp * factor
            }
            _ => temp * cfg.alpha,
        };
        let cycle_end = !temp.is_finite()
            || temp < cfg.t_min
            || (cfg.reheat_after > 0 && stall >= cfg.reheat_after);
        if cycle_end {
            if cfg.budget.reached(best_f) {
                break SearchStop::Target;
            }
            if reheats >= cfg.max_reheats {
                break SearchStop::Stagnation;
            }
            reheats += 1;
            temp = cfg.t0;
            level = 0;
            stall = 0;
            bounds.sample(rng, x)?;
            f = obj.value(x);
            if !f.is_finite() {
                // Restart from the best point instead.
                copy(x, obj.best());
                f = best_f;
            }
        }
    };
    if dirty {
        // The search ended inside a chain: polish with what is left.
        polish(&mut obj, local, bounds, trial, work, &mut improvements)?;
        best_f = obj.best_loss();
    }
    *state = AnnealingState {
        temperature: temp,
        current_loss: f,
        chains,
        reheats,
    };
    Ok(report(
        reason,
        best_f,
        &obj,
        proposals,
        accepts,
        improvements,
    ))
}

/// Simulated annealing in `N` dimensions with its state in fixed arrays.
///
/// ```
/// use lossmap::global::{Annealer, AnnealingConfig, Bounds, Budget, ProjectedGradient};
/// use lossmap::testfn::SixHumpCamel;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-3.0, -2.0], &[3.0, 2.0]).unwrap();
/// let cfg = AnnealingConfig { budget: Budget { max_evals: 20_000, f_target: -1.0316284, ..Budget::default() }, ..AnnealingConfig::default() };
/// let mut sa = Annealer::<f64, 2>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(4);
/// let mut x = [2.0, 1.5];
/// let r = sa.run(&mut SixHumpCamel, &mut ProjectedGradient::default(), &b, &mut rng, &mut x).unwrap();
/// assert!((r.best_loss - SixHumpCamel::MIN_VALUE).abs() < 1e-6, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Annealer<T, const N: usize> {
    /// Parameters.
    pub config: AnnealingConfig<T>,
    /// Temperature and counts of the last run.
    pub state: AnnealingState<T>,
    /// The current point at the end of the last run.
    pub current: [T; N],
    trial: [T; N],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize> Annealer<T, N> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0`.
    pub fn new(config: AnnealingConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(Annealer {
            config,
            state: AnnealingState::default(),
            current: [T::ZERO; N],
            trial: [T::ZERO; N],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Anneals from `x` (in the box); on success `x` holds the best point found. See
    /// [`anneal_slice`] for the errors; on error `x` is unchanged.
    pub fn run<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        let mut current = *x;
        let mut best = *x;
        let r = anneal_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            &mut self.state,
            &mut current,
            &mut best,
            &mut self.trial,
            self.work.as_flattened_mut(),
        )?;
        self.current = current;
        *x = best;
        Ok(r)
    }
}
