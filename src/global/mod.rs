//! Global exploration: leave the first valley on a fixed memory budget.
//!
//! A local optimizer ends in the basin it starts in. The methods here search a box
//! ([`Bounds`]) for the lowest minimum, each with its state in fixed arrays sized by const
//! generics and every random draw from a caller's [`rand_core::Rng`] (a seed reproduces a
//! run bit for bit):
//!
//! | method | after | typed state | slice kernel |
//! |---|---|---|---|
//! | multi-start local search | — | [`MultiStart`] | [`multistart_slice`] |
//! | multi-level single linkage (clustered multi-start) | Rinnooy Kan & Timmer 1987; NLopt `MLSL` | [`Mlsl`] | [`mlsl_slice`] |
//! | basin hopping | Wales & Doye 1997; `scipy.optimize.basinhopping` | [`BasinHopper`] | [`basin_hopping_slice`] |
//! | perturbed gradient descent | Jin et al. 2017 | [`PerturbedGd`] | [`perturbed_gd_slice`] |
//! | simulated annealing | Kirkpatrick et al. 1983; Xiang et al. 1997 / `scipy.optimize.dual_annealing` | [`Annealer`] | [`anneal_slice`] |
//! | genetic algorithm | Goldberg 1989; Eshelman & Schaffer 1993 (BLX-α) | [`Genetic`] | [`genetic_slice`] |
//! | replica exchange | Swendsen & Wang 1986; Earl & Deem 2005 | [`ReplicaExchange`] | [`replica_exchange_slice`] |
//! | differential evolution | Storn & Price 1997; `scipy.optimize.differential_evolution` | [`DifferentialEvolution`] | [`differential_evolution_slice`] |
//! | dual annealing | Tsallis & Stariolo 1996; Xiang et al. 1997; `scipy.optimize.dual_annealing` | [`DualAnnealing`] | [`dual_annealing_slice`] |
//! | CMA-ES (IPOP restarts) | Hansen 2016 (arXiv:1604.00772); Auger & Hansen 2005; pycma | [`Cmaes`] | [`cmaes_slice`] |
//!
//! **Common parts.** Every method takes a [`Budget`] (evaluation budget `max_evals`, iteration
//! budget `max_iter`, and a target `f_target`: stop as soon as the best loss is ≤ it) and
//! returns a [`SearchReport`]: best loss, evaluations used, iterations, and why it stopped
//! ([`SearchStop`], with stable C codes). The best point goes to a caller buffer.
//!
//! **Evaluations** are counted as *value evaluations + gradient calls* (a gradient computed by
//! finite differences also adds its value evaluations), so an analytic gradient costs as much
//! as a value. The budget is checked before each evaluation or local search, and a local
//! search is given only what is left, so a run ends within `max_evals` plus at most one
//! gradient's finite-difference evaluations.
//!
//! **Local search** ("polish") is pluggable through [`LocalSearch`]: [`ProjectedGradient`]
//! (projected gradient descent with Armijo backtracking, stays in the box, needs no learning
//! rate), [`ProjectedLbfgs`] (bounded L-BFGS, scipy's L-BFGS-B polish), [`Polish`] (any [`Optimizer`](crate::optim::Optimizer) through
//! [`minimize_slice`](crate::optim::minimize_slice), end point clipped into the box) or
//! [`NoPolish`].
//!
//! **The best point** a search reports is the best it evaluated: every value evaluated in the
//! box (starts, proposals, line-search trials, polish steps; not the probes of finite-difference
//! gradients) is compared with the best so far, one comparison per evaluation, and a lower one
//! is kept with its point. Perturbed gradient descent, a local method, reports the loss at the
//! point it returns.
//!
//! **Non-finite losses** are never stored: a NaN/±∞ proposal is rejected (annealing, basin
//! hopping, replica exchange, dual annealing), gets the worst fitness (GA, differential
//! evolution), ranks last (CMA-ES), or ends a local search at its last finite point.
//!
//! **Bad input** (an empty box, `lower > upper`, non-finite bounds, a start outside the box,
//! temperature ≤ 0, population < 2 (< 5 for differential evolution), zero budgets, mismatched
//! lengths) returns an [`Error`] before anything is written.

mod annealing;
mod cmaes;
mod differential;
mod dual;
mod genetic;
mod hopping;
mod local;
mod mlsl;
mod multistart;
mod perturbed;
mod tempering;

pub use crate::optim::ProjectedLbfgs;
pub use annealing::{
    anneal_slice, Annealer, AnnealingConfig, AnnealingState, BOUNDARY_CLIP, BOUNDARY_REFLECT,
    COOLING_ADAPTIVE, COOLING_GEOMETRIC, COOLING_LOGARITHMIC, PROPOSAL_CAUCHY, PROPOSAL_GAUSSIAN,
};
pub use cmaes::{
    cmaes_slice, cmaes_work_len, default_lambda, Cmaes, CmaesBuffers, CmaesConfig, CmaesParams,
};
pub use differential::{
    differential_evolution_slice, latin_hypercube, DifferentialEvolution,
    DifferentialEvolutionConfig, DE_BEST1BIN, DE_MIN_POPULATION, DE_RAND1BIN,
};
pub use dual::{
    dual_annealing_slice, dual_annealing_temperature, DualAnnealing, DualAnnealingConfig,
    VisitingDistribution,
};
pub use genetic::{genetic_slice, Genetic, GeneticConfig, CROSSOVER_ARITHMETIC, CROSSOVER_BLX};
pub use hopping::{basin_hopping_slice, BasinHopper, HoppingConfig, HoppingState};
pub use local::{LocalSearch, NoPolish, Polish, ProjectedGradient, LOCAL_WORK};
pub use mlsl::{mlsl_slice, mlsl_store_len, Mlsl, MlslConfig, MLSL_WORK};
pub use multistart::{
    multistart_slice, uniform_starts, FoundMinimum, MultiStart, MultiStartResult,
};
pub use perturbed::{perturbed_gd_slice, PerturbedConfig, PerturbedGd};
pub use tempering::{replica_exchange_slice, ReplicaConfig, ReplicaExchange, ReplicaState};

use crate::error::{check_finite, Error};
use crate::objective::SliceObjective;
use crate::random::{normal, uniform, uniform_in};
use crate::Real;
use rand_core::Rng;

/// A search box `lower ≤ x ≤ upper` (borrowed, validated).
///
/// ```
/// use lossmap::global::Bounds;
/// let b = Bounds::new(&[-1.0f64, 0.0], &[1.0, 2.0]).unwrap();
/// assert_eq!(b.dim(), 2);
/// assert!(b.contains(&[0.5, 2.0]) && !b.contains(&[0.5, 2.1]));
/// let mut x = [3.0, -1.0];
/// b.clip(&mut x);
/// assert_eq!(x, [1.0, 0.0]);
/// assert_eq!(Bounds::new(&[1.0f64], &[0.0]).unwrap_err(), lossmap::Error::InvalidParameter);
/// assert_eq!(Bounds::<f64>::new(&[], &[]).unwrap_err(), lossmap::Error::Empty);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds<'a, T> {
    lower: &'a [T],
    upper: &'a [T],
}

impl<'a, T: Real> Bounds<'a, T> {
    /// The box `[lower, upper]`: [`Error::Empty`] for no coordinates,
    /// [`Error::LengthMismatch`] for different lengths, [`Error::NonFiniteInput`] for NaN/±∞
    /// and [`Error::InvalidParameter`] when some `lower[i] > upper[i]` (`lower[i] == upper[i]`
    /// fixes that coordinate). Widths `upper − lower` must be finite too.
    pub fn new(lower: &'a [T], upper: &'a [T]) -> Result<Self, Error> {
        if lower.is_empty() {
            return Err(Error::Empty);
        }
        if lower.len() != upper.len() {
            return Err(Error::LengthMismatch);
        }
        check_finite(lower)?;
        check_finite(upper)?;
        for (&l, &u) in lower.iter().zip(upper) {
            if l > u {
                return Err(Error::InvalidParameter);
            }
            if !(u - l).is_finite() {
                return Err(Error::NonFiniteInput);
            }
        }
        Ok(Bounds { lower, upper })
    }

    /// Number of coordinates.
    pub fn dim(&self) -> usize {
        self.lower.len()
    }

    /// Lower corner.
    pub fn lower(&self) -> &'a [T] {
        self.lower
    }

    /// Upper corner.
    pub fn upper(&self) -> &'a [T] {
        self.upper
    }

    /// `true` when `x` has the box's dimension and lies in it (NaN does not).
    pub fn contains(&self, x: &[T]) -> bool {
        x.len() == self.dim()
            && x.iter()
                .zip(self.lower.iter().zip(self.upper))
                .all(|(&v, (&l, &u))| v >= l && v <= u)
    }

    /// Clips each coordinate of `x` into the box (NaN goes to the lower bound); coordinates
    /// beyond the box's dimension are left alone.
    pub fn clip(&self, x: &mut [T]) {
        for (v, (&l, &u)) in x.iter_mut().zip(self.lower.iter().zip(self.upper)) {
            *v = clip(*v, l, u);
        }
    }

    /// Fills `x` with a point drawn uniformly in the box ([`Error::LengthMismatch`] for a
    /// wrong length, and then `x` and the generator are untouched).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, x: &mut [T]) -> Result<(), Error> {
        if x.len() != self.dim() {
            return Err(Error::LengthMismatch);
        }
        for (v, (&l, &u)) in x.iter_mut().zip(self.lower.iter().zip(self.upper)) {
            *v = clip(uniform_in(rng, l, u), l, u);
        }
        Ok(())
    }

    /// [`Error::LengthMismatch`] unless the box has `n` coordinates.
    pub(crate) fn check_dim(&self, n: usize) -> Result<(), Error> {
        if n == 0 {
            Err(Error::Empty)
        } else if n != self.dim() {
            Err(Error::LengthMismatch)
        } else {
            Ok(())
        }
    }

    /// `(lower, upper)` pairs.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (T, T)> + 'a {
        self.lower.iter().copied().zip(self.upper.iter().copied())
    }
}

/// The limits every method shares.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Budget<T> {
    /// Most evaluations, > 0: loss values plus gradient calls, where a finite-difference
    /// gradient also counts its loss values. Default 20 000.
    pub max_evals: usize,
    /// Most iterations (> 0): Markov-chain steps, hops, generations, sweeps or gradient
    /// steps, as each method counts them. Default 1 000 000.
    pub max_iter: usize,
    /// Stop as soon as the best loss is ≤ `f_target` (not NaN; −∞ or the default −MAX turns
    /// it off).
    pub f_target: T,
}

impl<T: Real> Default for Budget<T> {
    fn default() -> Self {
        Budget {
            max_evals: 20_000,
            max_iter: 1_000_000,
            f_target: -T::MAX_R,
        }
    }
}

impl<T: Real> Budget<T> {
    /// [`Error::InvalidParameter`] for a zero budget or a NaN target.
    ///
    /// ```
    /// use lossmap::global::Budget;
    /// let b = Budget { max_evals: 5_000, f_target: -1.0, ..Budget::<f32>::default() };
    /// assert!(b.validate().is_ok());
    /// assert!(Budget { max_evals: 0, ..b }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        if self.max_evals > 0 && self.max_iter > 0 && !self.f_target.is_nan() {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// `true` when `loss` reaches the target.
    pub(crate) fn reached(&self, loss: T) -> bool {
        loss.is_finite() && loss <= self.f_target
    }
}

/// Why a search stopped.
///
/// `#[non_exhaustive]`: later versions add reasons; match with a wildcard arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SearchStop {
    /// `max_evals` evaluations were used.
    MaxEvaluations,
    /// The best loss reached `f_target`.
    Target,
    /// The best loss stopped improving (the method's stagnation rule; for annealing, after
    /// the last allowed reheat).
    Stagnation,
    /// `max_iter` iterations were done.
    MaxIterations,
    /// Perturbed gradient descent: a perturbation did not lower the loss by `f_thresh`, so the
    /// point before it is an approximate local minimum. Differential evolution: the
    /// population's losses converged (`std ≤ atol + tol·|mean|`). CMA-ES: the last run met
    /// `TolX`, `TolFun` or the no-effect rule.
    Converged,
    /// Multi-start: every start was run.
    Completed,
}

impl SearchStop {
    /// Stable code for the C ABI (`LOSSMAP_SEARCH_*`).
    ///
    /// ```
    /// assert_eq!(lossmap::global::SearchStop::Target.code(), 2);
    /// ```
    pub const fn code(self) -> i32 {
        match self {
            SearchStop::MaxEvaluations => 1,
            SearchStop::Target => 2,
            SearchStop::Stagnation => 3,
            SearchStop::MaxIterations => 4,
            SearchStop::Converged => 5,
            SearchStop::Completed => 6,
        }
    }

    /// Short name for tables.
    pub const fn name(self) -> &'static str {
        match self {
            SearchStop::MaxEvaluations => "max-evals",
            SearchStop::Target => "target",
            SearchStop::Stagnation => "stagnation",
            SearchStop::MaxIterations => "max-iter",
            SearchStop::Converged => "converged",
            SearchStop::Completed => "completed",
        }
    }
}

/// The outcome of a search; the best point itself is in the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SearchReport<T> {
    /// Why the search stopped.
    pub reason: SearchStop,
    /// Loss at the best point (finite).
    pub best_loss: T,
    /// Objective value evaluations, those of finite-difference gradients included.
    pub value_evals: usize,
    /// Gradient calls.
    pub grad_evals: usize,
    /// Iterations done (chain steps, hops, generations, sweeps, gradient steps, starts).
    pub iterations: usize,
    /// Accepted Metropolis moves (annealing, basin hopping, replica exchange, dual annealing),
    /// perturbations (perturbed gradient descent), runs that ended without error
    /// (multi-start), accepted trials (differential evolution), restarts (CMA-ES); 0 for the
    /// GA.
    pub accepted: usize,
    /// Times the best point improved.
    pub improvements: usize,
}

impl<T> SearchReport<T> {
    /// Evaluations charged to the budget: `value_evals + grad_evals`.
    pub fn evals(&self) -> usize {
        self.value_evals.saturating_add(self.grad_evals)
    }
}

/// `v` clipped into `[lo, hi]` (NaN → `lo`); never panics, unlike `f64::clamp`.
#[inline]
pub(crate) fn clip<T: Real>(v: T, lo: T, hi: T) -> T {
    if v > hi {
        hi
    } else if v >= lo {
        v
    } else {
        lo
    }
}

/// `v` reflected into `[lo, hi]` (folded with period `2(hi − lo)`); non-finite → clipped.
pub(crate) fn reflect<T: Real>(v: T, lo: T, hi: T) -> T {
    let w = hi - lo;
    if !v.is_finite() || w.is_nan() || w <= T::ZERO {
        return clip(v, lo, hi);
    }
    if v >= lo && v <= hi {
        return v;
    }
    let period = T::TWO * w;
    let d = v - lo;
    let mut y = d - period * (d / period).floor();
    if y > w {
        y = period - y;
    }
    clip(lo + y, lo, hi)
}

/// A standard Cauchy variate `tan(π(u − ½))` (0 if it overflows).
pub(crate) fn cauchy<T: Real, R: Rng + ?Sized>(rng: &mut R) -> T {
    let u: T = uniform(rng);
    let theta = T::PI_R * (u - T::HALF);
    let c = theta.cos();
    let v = theta.sin() / c;
    if v.is_finite() {
        v
    } else {
        T::ZERO
    }
}

/// A standard normal variate (re-exported helper for the kernels).
#[inline]
pub(crate) fn gauss<T: Real, R: Rng + ?Sized>(rng: &mut R) -> T {
    normal(rng)
}

/// Metropolis acceptance of a move changing the energy by `delta` at temperature `temp` > 0:
/// always when `delta ≤ 0`, else with probability `exp(−delta/temp)`. A non-finite `delta`
/// is rejected. Draws one uniform only when `delta > 0`.
pub(crate) fn metropolis<T: Real, R: Rng + ?Sized>(rng: &mut R, delta: T, temp: T) -> bool {
    if delta.is_nan() {
        return false;
    }
    if delta <= T::ZERO {
        return true;
    }
    if !delta.is_finite() {
        return false;
    }
    let u: T = uniform(rng);
    u < (-delta / temp).exp()
}

/// Evaluation counter and budget around a slice objective, and the keeper of the best point:
/// every value evaluated through it (start points, proposals, line-search trials, polish steps)
/// is compared with the best so far, one comparison per evaluation, and a lower finite value at
/// a point of the box is copied to `best`. So a search's reported best is the best it
/// evaluated, whatever its own bookkeeping.
pub(crate) struct Counting<'a, 'b, O: ?Sized, T> {
    pub(crate) inner: &'a mut O,
    pub(crate) values: usize,
    pub(crate) grads: usize,
    pub(crate) max: usize,
    /// The best point (empty: not tracking).
    best: &'b mut [T],
    /// Its loss; meaningful once `has_best`.
    best_f: T,
    has_best: bool,
    lower: &'b [T],
    upper: &'b [T],
}

impl<'a, 'b, O: ?Sized, T: Real> Counting<'a, 'b, O, T> {
    /// A counter that does not track the best point (local searches inside a search).
    pub(crate) fn new(inner: &'a mut O, max: usize) -> Self {
        Counting {
            inner,
            values: 0,
            grads: 0,
            max,
            best: &mut [],
            best_f: T::ZERO,
            has_best: false,
            lower: &[],
            upper: &[],
        }
    }
    /// A counter that keeps the best point evaluated inside `bounds` in `best` (length `n`,
    /// checked by the caller).
    pub(crate) fn tracking(
        inner: &'a mut O,
        max: usize,
        bounds: &Bounds<'b, T>,
        best: &'b mut [T],
    ) -> Self {
        Counting {
            inner,
            values: 0,
            grads: 0,
            max,
            best,
            best_f: T::ZERO,
            has_best: false,
            lower: bounds.lower,
            upper: bounds.upper,
        }
    }
    /// The best loss evaluated so far (NaN before the first finite one).
    pub(crate) fn best_loss(&self) -> T {
        if self.has_best {
            self.best_f
        } else {
            T::NAN_R
        }
    }
    /// The best point evaluated so far.
    pub(crate) fn best(&self) -> &[T] {
        self.best
    }
    /// Records `v = f(x)` if it is the best so far.
    #[inline]
    fn record(&mut self, x: &[T], v: T) {
        if (v < self.best_f || !self.has_best)
            && v.is_finite()
            && x.len() == self.best.len()
            && !self.best.is_empty()
            && x.iter()
                .zip(self.lower.iter().zip(self.upper))
                .all(|(&xi, (&l, &u))| xi >= l && xi <= u)
        {
            copy(self.best, x);
            self.best_f = v;
            self.has_best = true;
        }
    }
    /// Evaluations charged so far.
    pub(crate) fn used(&self) -> usize {
        self.values.saturating_add(self.grads)
    }
    /// Evaluations left.
    pub(crate) fn left(&self) -> usize {
        self.max.saturating_sub(self.used())
    }
    /// No evaluation left.
    pub(crate) fn exhausted(&self) -> bool {
        self.used() >= self.max
    }
}

impl<T: Real, O: SliceObjective<T> + ?Sized> SliceObjective<T> for Counting<'_, '_, O, T> {
    fn value(&mut self, x: &[T]) -> T {
        self.values = self.values.saturating_add(1);
        let v = self.inner.value(x);
        self.record(x, v);
        v
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        self.grads = self.grads.saturating_add(1);
        let r = self.inner.gradient(x, g);
        if let Ok(e) = r {
            self.values = self.values.saturating_add(e);
        }
        r
    }
    fn gradient_at(&mut self, x: &mut [T], fx: T, g: &mut [T]) -> Result<usize, Error> {
        self.grads = self.grads.saturating_add(1);
        let r = self.inner.gradient_at(x, fx, g);
        if let Ok(e) = r {
            self.values = self.values.saturating_add(e);
        }
        r
    }
    fn hessian(&mut self, x: &mut [T], h: &mut [T]) -> Result<usize, Error> {
        let r = self.inner.hessian(x, h);
        if let Ok(e) = r {
            self.values = self.values.saturating_add(e);
        }
        r
    }
}

/// Copies `src` into `dst` (common prefix).
#[inline]
pub(crate) fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s);
}

/// The report of a finished search.
pub(crate) fn report<T: Real, O: ?Sized>(
    reason: SearchStop,
    best_loss: T,
    obj: &Counting<'_, '_, O, T>,
    iterations: usize,
    accepted: usize,
    improvements: usize,
) -> SearchReport<T> {
    SearchReport {
        reason,
        best_loss,
        value_evals: obj.values,
        grad_evals: obj.grads,
        iterations,
        accepted,
        improvements,
    }
}

/// Polishes a copy of the best point in `scratch` with what is left of the budget, counting an
/// improvement; the tracker keeps whatever the polish finds.
pub(crate) fn polish<T: Real, O: SliceObjective<T> + ?Sized, L: LocalSearch<T> + ?Sized>(
    obj: &mut Counting<'_, '_, O, T>,
    local: &mut L,
    bounds: &Bounds<'_, T>,
    scratch: &mut [T],
    work: &mut [T],
    improvements: &mut usize,
) -> Result<(), Error> {
    let left = obj.left();
    let before = obj.best_loss();
    if !before.is_finite() {
        return Ok(());
    }
    copy(scratch, obj.best());
    let mut f = before;
    // Mid-run, a non-finite value here came from the objective, not the caller's input.
    local
        .refine(obj, bounds, scratch, &mut f, work, left)
        .map_err(|e| match e {
            Error::NonFiniteInput => Error::NonFiniteLoss,
            e => e,
        })?;
    if obj.best_loss() < before {
        *improvements += 1;
    }
    Ok(())
}

/// Checks a start point: right length, finite, inside the box.
pub(crate) fn check_start<T: Real>(bounds: &Bounds<'_, T>, x: &[T]) -> Result<(), Error> {
    bounds.check_dim(x.len())?;
    check_finite(x)?;
    if bounds.contains(x) {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// Finite and > 0.
#[inline]
pub(crate) fn positive<T: Real>(v: T) -> bool {
    v.is_finite() && v > T::ZERO
}

/// In the open interval (0, 1).
#[inline]
pub(crate) fn open_unit<T: Real>(v: T) -> bool {
    v > T::ZERO && v < T::ONE
}

/// `Ok` when `ok`, else [`Error::InvalidParameter`].
#[inline]
pub(crate) fn param(ok: bool) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn reflect_folds_into_the_box() {
        assert_eq!(reflect(1.5f64, 0.0, 1.0), 0.5);
        assert_eq!(reflect(-0.25f64, 0.0, 1.0), 0.25);
        assert_eq!(reflect(2.25f64, 0.0, 1.0), 0.25);
        assert_eq!(reflect(-1.75f64, 0.0, 1.0), 0.25);
        assert_eq!(reflect(f64::INFINITY, 0.0, 1.0), 1.0);
        assert_eq!(reflect(5.0f64, 2.0, 2.0), 2.0);
    }

    #[test]
    fn cauchy_median_and_quartiles() {
        // Standard Cauchy: median 0, quartiles ±1.
        let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
        let n = 4000;
        let mut below_m1 = 0;
        let mut below_0 = 0;
        for _ in 0..n {
            let c: f64 = cauchy(&mut rng);
            below_m1 += usize::from(c < -1.0);
            below_0 += usize::from(c < 0.0);
        }
        let q1 = below_m1 as f64 / n as f64;
        let q2 = below_0 as f64 / n as f64;
        assert!(
            (q1 - 0.25).abs() < 0.03 && (q2 - 0.5).abs() < 0.03,
            "{q1} {q2}"
        );
    }

    #[test]
    fn metropolis_rejects_non_finite_and_accepts_downhill() {
        let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
        assert!(metropolis(&mut rng, -1.0f64, 1.0));
        assert!(!metropolis(&mut rng, f64::NAN, 1.0));
        assert!(!metropolis(&mut rng, f64::INFINITY, 1.0));
        // exp(−1) ≈ 0.368.
        let n = 4000;
        let acc = (0..n).filter(|_| metropolis(&mut rng, 1.0f64, 1.0)).count();
        assert!((acc as f64 / n as f64 - (-1.0f64).exp()).abs() < 0.03);
    }
}
