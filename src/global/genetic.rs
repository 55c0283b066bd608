//! A real-coded genetic algorithm (Goldberg, *Genetic Algorithms in Search, Optimization and
//! Machine Learning*, Addison-Wesley, 1989) with blend crossover BLX-α (Eshelman & Schaffer,
//! "Real-coded genetic algorithms and interval-schemata", *Foundations of Genetic Algorithms
//! 2*, 1993).
//!
//! Each generation of the population of `P` points:
//!
//! * **elitism**: the `elites` best individuals are copied unchanged;
//! * **selection**: each parent is the best of `tournament` individuals drawn uniformly (with
//!   replacement);
//! * **recombination** (probability `crossover_rate`, else the child copies the first parent):
//!   BLX-α draws each coordinate uniformly from `[min − αd, max + αd]`, `d = |a − b|`;
//!   arithmetic takes `λa + (1 − λ)b` with `λ ~ U(0, 1)` per child;
//! * **mutation**: each coordinate, with probability `mutation_rate`, moves by
//!   `mutation_scale·(u − l)·N(0, 1)`; the child is clipped into the box.
//!
//! A NaN/±∞ loss gets the worst fitness (+∞) and is never the best. Optionally the best
//! individual is polished by the local search every `polish_every` generations (default 10)
//! and written back into the population (a Lamarckian memetic step, Moscato 1989); the best
//! point is polished at the end too, with what is left of the budget.

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    clip, copy, gauss, param, positive, report, Bounds, Budget, Counting, SearchReport, SearchStop,
};
use crate::error::{check_finite, Error};
use crate::linalg::{rows, rows_mut};
use crate::objective::{Fixed, SliceObjective};
use crate::random::{below, uniform, uniform_in};
use crate::{Objective, Real};
use rand_core::Rng;

/// BLX-α blend crossover.
pub const CROSSOVER_BLX: i32 = 0;
/// Arithmetic (convex-combination) crossover.
pub const CROSSOVER_ARITHMETIC: i32 = 1;

/// Genetic-algorithm parameters (codes rather than enums, so that C can fill it).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct GeneticConfig<T> {
    /// Limits and target; an iteration is a generation.
    pub budget: Budget<T>,
    /// Tournament size (1 ≤ size ≤ P). Default 3.
    pub tournament: usize,
    /// Crossover: 0 BLX-α, 1 arithmetic (the `CROSSOVER_*` codes, in C `LOSSMAP_CROSSOVER_*`).
    /// Default BLX.
    pub crossover: i32,
    /// Probability of recombination, in [0, 1]. Default 0.9.
    pub crossover_rate: T,
    /// BLX α (finite, ≥ 0). Default 0.5 (Eshelman & Schaffer's best).
    pub blx_alpha: T,
    /// Probability that a coordinate mutates, in [0, 1]. Default 0.1.
    pub mutation_rate: T,
    /// Mutation standard deviation as a fraction of the box width (finite, > 0). Default 0.1.
    pub mutation_scale: T,
    /// Individuals copied unchanged into the next generation (< P). Default 1.
    pub elites: usize,
    /// Generations without a new best that stop the search; 0 (the default) turns it off.
    pub stall: usize,
    /// Polish the best individual (if it improved) every this many generations; 0: only at
    /// the end, with whatever is left of the budget. Default 10.
    pub polish_every: usize,
}

impl<T: Real> Default for GeneticConfig<T> {
    fn default() -> Self {
        GeneticConfig {
            budget: Budget::default(),
            tournament: 3,
            crossover: CROSSOVER_BLX,
            crossover_rate: T::from_f64(0.9),
            blx_alpha: T::HALF,
            mutation_rate: T::from_f64(0.1),
            mutation_scale: T::from_f64(0.1),
            elites: 1,
            stall: 0,
            polish_every: 10,
        }
    }
}

impl<T: Real> GeneticConfig<T> {
    /// [`Error::InvalidParameter`] for a parameter out of range given the population size
    /// `p` (which must be ≥ 2).
    ///
    /// ```
    /// use lossmap::global::GeneticConfig;
    /// let c = GeneticConfig::<f64>::default();
    /// assert!(c.validate(16).is_ok());
    /// assert!(c.validate(1).is_err());
    /// assert!(GeneticConfig { elites: 16, ..c }.validate(16).is_err());
    /// ```
    pub fn validate(&self, p: usize) -> Result<(), Error> {
        self.budget.validate()?;
        let prob = |v: T| v >= T::ZERO && v <= T::ONE;
        param(
            p >= 2
                && self.tournament >= 1
                && self.tournament <= p
                && (CROSSOVER_BLX..=CROSSOVER_ARITHMETIC).contains(&self.crossover)
                && prob(self.crossover_rate)
                && self.blx_alpha.is_finite()
                && self.blx_alpha >= T::ZERO
                && prob(self.mutation_rate)
                && positive(self.mutation_scale)
                && self.elites < p,
        )
    }
}

/// Row `i` of a row-major matrix with `n` columns (empty when out of range).
#[inline]
fn row<T>(a: &[T], i: usize, n: usize) -> &[T] {
    let start = i.saturating_mul(n);
    a.get(start..start.saturating_add(n)).unwrap_or(&[])
}

/// Index of the best of `k` individuals drawn uniformly with replacement.
fn tournament<T: Real, R: Rng + ?Sized>(rng: &mut R, fit: &[T], k: usize) -> usize {
    let p = fit.len();
    let mut win = below(rng, p);
    for _ in 1..k {
        let c = below(rng, p);
        if fit.get(c) < fit.get(win) {
            win = c;
        }
    }
    win
}

/// Index of the best fitness strictly after `(after_f, after_i)` in the order (fitness,
/// index); `None` when there is none. Selects the elites one by one without a sort buffer.
fn next_best<T: Real>(fit: &[T], after: Option<(T, usize)>) -> Option<usize> {
    let mut pick: Option<(T, usize)> = None;
    for (i, &f) in fit.iter().enumerate() {
        let later = match after {
            None => true,
            Some((af, ai)) => f > af || (f == af && i > ai),
        };
        let better = match pick {
            None => true,
            Some((pf, _)) => f < pf,
        };
        if later && better {
            pick = Some((f, i));
        }
    }
    pick.map(|(_, i)| i)
}

/// The genetic algorithm over slices: the kernel behind [`Genetic`] and the C ABI.
///
/// `pop` is the initial population, a `P×n` row-major matrix (`P = fit.len()` ≥ 2, every row
/// finite and inside the box), and holds the last generation on return, with its losses in
/// `fit` (+∞ for a non-finite loss). `next` (`P×n`) and `next_fit` (`P`) are scratch for the
/// next generation, `work` ([`LOCAL_WORK`]`·n`) for the local search; `best` (`n`) receives the
/// best point evaluated. [`SearchReport::iterations`] counts generations.
///
/// Errors before anything is written: lengths, `P < 2` or any other parameter out of range
/// ([`Error::InvalidParameter`]), a row outside the box or not finite;
/// [`Error::NonFiniteLoss`] when no individual of the initial population has a finite loss.
#[allow(clippy::too_many_arguments)]
pub fn genetic_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &GeneticConfig<T>,
    pop: &mut [T],
    fit: &mut [T],
    next: &mut [T],
    next_fit: &mut [T],
    best: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = best.len();
    bounds.check_dim(n)?;
    let p = fit.len();
    cfg.validate(p)?;
    if p > u32::MAX as usize
        || Some(pop.len()) != p.checked_mul(n)
        || next.len() != pop.len()
        || next_fit.len() != p
        || Some(work.len()) < n.checked_mul(LOCAL_WORK)
    {
        return Err(Error::LengthMismatch);
    }
    local.validate()?;
    check_finite(pop)?;
    for r in rows(pop, n) {
        if !bounds.contains(r) {
            return Err(Error::InvalidParameter);
        }
    }
    let inf = T::MAX_R * T::TWO;
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, best);
    let mut improvements = 0usize;
    for (r, fi) in rows(pop, n).zip(fit.iter_mut()) {
        let f = if obj.exhausted() { inf } else { obj.value(r) };
        *fi = if f.is_finite() { f } else { inf };
    }
    let mut best_f = obj.best_loss();
    if !best_f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut dirty = true;
    let (mut generations, mut stall, mut since_polish) = (0usize, 0usize, 0usize);
    let width = |l: T, u: T| u - l;
    let reason = loop {
        if cfg.budget.reached(best_f) {
            break SearchStop::Target;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        if generations >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        if cfg.stall > 0 && stall >= cfg.stall {
            break SearchStop::Stagnation;
        }
        generations += 1;
        stall += 1;
        // Elites, best first.
        let mut last: Option<(T, usize)> = None;
        let mut filled = 0usize;
        for (child, cf) in rows_mut(next, n).zip(next_fit.iter_mut()).take(cfg.elites) {
            if let Some(i) = next_best(fit, last) {
                let f = fit.get(i).copied().unwrap_or(inf);
                copy(child, row(pop, i, n));
                *cf = f;
                last = Some((f, i));
                filled += 1;
            }
        }
        // Offspring.
        for (child, cf) in rows_mut(next, n).zip(next_fit.iter_mut()).skip(filled) {
            if obj.exhausted() {
                // Out of evaluations: keep the parent generation's row.
                let i = filled;
                copy(child, row(pop, i, n));
                *cf = fit.get(i).copied().unwrap_or(inf);
                filled += 1;
                continue;
            }
            let a = row(pop, tournament(rng, fit, cfg.tournament), n);
            let b = row(pop, tournament(rng, fit, cfg.tournament), n);
            let cross = uniform::<T, R>(rng) < cfg.crossover_rate;
            let lambda: T = uniform(rng);
            for ((c, (&ai, &bi)), (l, u)) in child
                .iter_mut()
                .zip(a.iter().zip(b.iter()))
                .zip(bounds.pairs())
            {
                let mut v = if !cross {
                    ai
                } else if cfg.crossover == CROSSOVER_ARITHMETIC {
                    lambda * ai + (T::ONE - lambda) * bi
                } else {
                    let (lo, hi) = if ai <= bi { (ai, bi) } else { (bi, ai) };
                    let d = cfg.blx_alpha * (hi - lo);
                    uniform_in(rng, lo - d, hi + d)
                };
                if uniform::<T, R>(rng) < cfg.mutation_rate {
                    v += cfg.mutation_scale * width(l, u) * gauss(rng);
                }
                *c = clip(v, l, u);
            }
            let f = obj.value(child);
            *cf = if f.is_finite() { f } else { inf };
            if obj.best_loss() < best_f {
                best_f = obj.best_loss();
                improvements += 1;
                stall = 0;
                dirty = true;
            }
            filled += 1;
        }
        copy(pop, next);
        copy(fit, next_fit);
        since_polish += 1;
        if cfg.polish_every > 0 && since_polish >= cfg.polish_every {
            since_polish = 0;
            if dirty {
                polish_best(&mut obj, local, bounds, pop, fit, n, work)?;
                best_f = obj.best_loss();
                dirty = false;
            }
        }
    };
    if dirty {
        polish_best(&mut obj, local, bounds, pop, fit, n, work)?;
        best_f = obj.best_loss();
    }
    Ok(report(reason, best_f, &obj, generations, 0, improvements))
}

/// Polishes the population's best row in place (Lamarckian step); the tracker keeps the best
/// point the polish evaluates.
fn polish_best<T: Real, O: SliceObjective<T> + ?Sized, L: LocalSearch<T> + ?Sized>(
    obj: &mut Counting<'_, '_, O, T>,
    local: &mut L,
    bounds: &Bounds<'_, T>,
    pop: &mut [T],
    fit: &mut [T],
    n: usize,
    work: &mut [T],
) -> Result<(), Error> {
    let left = obj.left();
    if let Some(i) = next_best(fit, None) {
        if let (Some(r), Some(f)) = (rows_mut(pop, n).nth(i), fit.get_mut(i)) {
            if f.is_finite() {
                local.refine(obj, bounds, r, f, work, left)?;
            }
        }
    }
    Ok(())
}

/// A genetic algorithm with population `P` in `N` dimensions, its populations in fixed arrays.
///
/// ```
/// use lossmap::global::{Bounds, Budget, Genetic, GeneticConfig, ProjectedGradient};
/// use lossmap::testfn::StyblinskiTang;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.0; 2], &[5.0; 2]).unwrap();
/// let cfg = GeneticConfig { budget: Budget { max_evals: 5_000, ..Budget::default() }, ..GeneticConfig::default() };
/// let mut ga = Genetic::<f64, 2, 16>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// let mut x = [4.0, 4.0];
/// let r = ga.run(&mut StyblinskiTang, &mut ProjectedGradient::default(), &b, &mut rng, &mut x).unwrap();
/// assert!((r.best_loss - StyblinskiTang::<2>::MIN_VALUE).abs() < 1e-9, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Genetic<T, const N: usize, const P: usize> {
    /// Parameters.
    pub config: GeneticConfig<T>,
    /// The population of the last run (last generation).
    pub population: [[T; N]; P],
    /// Its losses (+∞ for non-finite).
    pub fitness: [T; P],
    next: [[T; N]; P],
    next_fit: [T; P],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize, const P: usize> Genetic<T, N, P> {
    /// [`Error::InvalidParameter`] for a bad configuration or `P < 2`, [`Error::Empty`] for
    /// `N = 0`.
    pub fn new(config: GeneticConfig<T>) -> Result<Self, Error> {
        config.validate(P)?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(Genetic {
            config,
            population: [[T::ZERO; N]; P],
            fitness: [T::ZERO; P],
            next: [[T::ZERO; N]; P],
            next_fit: [T::ZERO; P],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Evolves a population of `x` (which must lie in the box) and `P − 1` points drawn
    /// uniformly in the box; on success `x` holds the best point found. See [`genetic_slice`]
    /// for the errors; on error `x` is unchanged (the population may not be).
    pub fn run<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        super::check_start(bounds, x)?;
        self.config.validate(P)?;
        if let Some(first) = self.population.first_mut() {
            *first = *x;
        }
        for r in self.population.iter_mut().skip(1) {
            bounds.sample(rng, r)?;
        }
        self.evolve(obj, local, bounds, rng, x)
    }

    /// Evolves the given initial population; `best` receives the best point evaluated.
    pub fn run_population<
        O: Objective<T, N> + ?Sized,
        L: LocalSearch<T> + ?Sized,
        R: Rng + ?Sized,
    >(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        initial: &[[T; N]; P],
        best: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        self.population = *initial;
        self.evolve(obj, local, bounds, rng, best)
    }

    /// Runs the kernel on `self.population`.
    fn evolve<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        best: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        let mut b = *best;
        let r = genetic_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            self.population.as_flattened_mut(),
            &mut self.fitness,
            self.next.as_flattened_mut(),
            &mut self.next_fit,
            &mut b,
            self.work.as_flattened_mut(),
        )?;
        *best = b;
        Ok(r)
    }
}
