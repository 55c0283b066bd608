//! Differential evolution (Storn & Price, "Differential evolution — a simple and efficient
//! heuristic for global optimization over continuous spaces", *J. Global Optimization* 11,
//! 1997), with the defaults of `scipy.optimize.differential_evolution`.
//!
//! A population of `P` points evolves one member at a time ("immediate" updating, scipy's
//! default): for member `i`, a mutant
//!
//! * `best1bin`: `v = x_best + F·(x_r0 − x_r1)`,
//! * `rand1bin`: `v = x_r0 + F·(x_r1 − x_r2)`,
//!
//! with `r0, r1, r2` distinct, drawn uniformly from the other members, is crossed with `x_i`
//! binomially: each coordinate comes from `v` with probability `CR` (`recombination`), and one
//! coordinate drawn uniformly always does. A trial coordinate outside the box is redrawn
//! uniformly in the box (scipy's rule). The trial replaces `x_i` if its loss is not higher; it
//! becomes the best member at once if it is not higher than the best's. The mutation factor `F`
//! is drawn uniformly from `[mutation_min, mutation_max)` once per generation ("dither",
//! Das et al. 2005; scipy's default `(0.5, 1)`).
//!
//! The search stops when the population's losses have converged, `std(f) ≤ atol + tol·|mean(f)|`
//! (scipy's test; never while a loss is +∞), or a [`Budget`] limit is met; then the best member
//! is polished by the local search with what is left of the budget (scipy polishes with
//! L-BFGS-B: pass [`ProjectedLbfgs`](crate::optim::ProjectedLbfgs) to do the same), unless the
//! target was reached. The initial population is a Latin hypercube ([`latin_hypercube`],
//! scipy's default `init='latinhypercube'`). A NaN/±∞ loss gets the worst fitness (+∞) and is
//! never the best.

use super::local::{LocalSearch, LOCAL_WORK};
use super::{clip, param, report, Bounds, Budget, Counting, SearchReport, SearchStop};
use crate::error::{check_finite, Error};
use crate::linalg::{rows, rows_mut};
use crate::objective::{Fixed, SliceObjective};
use crate::random::{below, uniform, uniform_in};
use crate::{Objective, Real};
use rand_core::Rng;

/// `best1bin`: mutant `x_best + F·(x_r0 − x_r1)`, binomial crossover (scipy's default).
pub const DE_BEST1BIN: i32 = 0;
/// `rand1bin`: mutant `x_r0 + F·(x_r1 − x_r2)`, binomial crossover (Storn & Price's
/// DE/rand/1/bin).
pub const DE_RAND1BIN: i32 = 1;

/// The smallest population: scipy's `max(5, popsize·N)` floor.
pub const DE_MIN_POPULATION: usize = 5;

/// Differential-evolution parameters (codes rather than enums, so that C can fill it).
///
/// The population size `P` is not here: it is the typed view's const parameter or the length
/// of the slices. `P = 15·N` is scipy's default (`popsize = 15`); it must be ≥ 5.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct DifferentialEvolutionConfig<T> {
    /// Limits and target; an iteration is a generation. Default: the crate's 20 000
    /// evaluations and scipy's `maxiter = 1000` generations.
    pub budget: Budget<T>,
    /// Mutation strategy: the `DE_*` codes (in C `LOSSMAP_DE_*`). Default best1bin (scipy's).
    pub strategy: i32,
    /// Lower end of the dithered mutation factor `F` (0 ≤ min ≤ max < 2). Default 0.5.
    pub mutation_min: T,
    /// Upper end of `F`; `F` is drawn from `[min, max)` each generation, fixed when equal.
    /// Default 1 (scipy's `mutation = (0.5, 1)`).
    pub mutation_max: T,
    /// Crossover probability `CR` in [0, 1]. Default 0.7 (scipy's `recombination`).
    pub recombination: T,
    /// Relative convergence tolerance on the losses' standard deviation (finite, ≥ 0).
    /// Default 0.01 (scipy's `tol`).
    pub tol: T,
    /// Absolute convergence tolerance (finite, ≥ 0). Default 0 (scipy's `atol`).
    pub atol: T,
}

impl<T: Real> Default for DifferentialEvolutionConfig<T> {
    fn default() -> Self {
        DifferentialEvolutionConfig {
            budget: Budget {
                max_iter: 1000,
                ..Budget::default()
            },
            strategy: DE_BEST1BIN,
            mutation_min: T::HALF,
            mutation_max: T::ONE,
            recombination: T::from_f64(0.7),
            tol: T::from_f64(0.01),
            atol: T::ZERO,
        }
    }
}

impl<T: Real> DifferentialEvolutionConfig<T> {
    /// [`Error::InvalidParameter`] for a parameter out of range, an unknown strategy or a
    /// population `p` < 5.
    ///
    /// ```
    /// use lossmap::global::DifferentialEvolutionConfig;
    /// let c = DifferentialEvolutionConfig::<f64>::default();
    /// assert!(c.validate(30).is_ok());
    /// assert!(c.validate(4).is_err());
    /// assert!(DifferentialEvolutionConfig { mutation_max: 2.0, ..c }.validate(30).is_err());
    /// ```
    pub fn validate(&self, p: usize) -> Result<(), Error> {
        self.budget.validate()?;
        let nonneg = |v: T| v.is_finite() && v >= T::ZERO;
        param(
            p >= DE_MIN_POPULATION
                && (DE_BEST1BIN..=DE_RAND1BIN).contains(&self.strategy)
                && nonneg(self.mutation_min)
                && self.mutation_max >= self.mutation_min
                && self.mutation_max < T::TWO
                && self.recombination >= T::ZERO
                && self.recombination <= T::ONE
                && nonneg(self.tol)
                && nonneg(self.atol),
        )
    }
}

/// Fills the `P×n` row-major `pop` (`P = pop.len() / n`) with a Latin hypercube sample of the
/// box (McKay, Beckman & Conover, *Technometrics* 21, 1979; scipy's `init='latinhypercube'`):
/// each coordinate's range is cut into `P` equal strata, every stratum holds exactly one point,
/// drawn uniformly inside it, and the strata are matched across coordinates by independent
/// uniform permutations (Fisher–Yates).
///
/// [`Error::LengthMismatch`] when `pop` is empty or not a multiple of the box's dimension, and
/// then nothing is written and the generator is untouched.
///
/// ```
/// use lossmap::global::{latin_hypercube, Bounds};
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[0.0f64, -1.0], &[1.0, 1.0]).unwrap();
/// let mut pop = [0.0; 10]; // 5 points in 2-D
/// latin_hypercube(&mut rand_xorshift::XorShiftRng::seed_from_u64(1), &b, &mut pop).unwrap();
/// let mut strata: Vec<usize> = pop.chunks(2).map(|r| (r[0] * 5.0) as usize).collect();
/// strata.sort();
/// assert_eq!(strata, [0, 1, 2, 3, 4]);
/// ```
pub fn latin_hypercube<T: Real, R: Rng + ?Sized>(
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    pop: &mut [T],
) -> Result<(), Error> {
    let n = bounds.dim();
    if pop.is_empty() || n == 0 || !pop.len().is_multiple_of(n) {
        return Err(Error::LengthMismatch);
    }
    let p = pop.len() / n;
    let pt = T::from_usize(p);
    for (j, (l, u)) in bounds.pairs().enumerate() {
        let w = u - l;
        for (i, r) in rows_mut(pop, n).enumerate() {
            let s: T = (T::from_usize(i) + uniform::<T, R>(rng)) / pt;
            if let Some(v) = r.get_mut(j) {
                *v = clip(l + w * s, l, u);
            }
        }
        // Fisher–Yates on column j.
        for i in (1..p).rev() {
            let k = below(rng, i + 1);
            let (a, b) = (i * n + j, k * n + j);
            if let (Some(&va), Some(&vb)) = (pop.get(a), pop.get(b)) {
                if let Some(x) = pop.get_mut(a) {
                    *x = vb;
                }
                if let Some(x) = pop.get_mut(b) {
                    *x = va;
                }
            }
        }
    }
    Ok(())
}

/// An index drawn uniformly from `0..p` other than the (at most three) `excluded` ones, which
/// must be distinct and `< p`; `p` must exceed their number.
fn other<R: Rng + ?Sized>(rng: &mut R, p: usize, excluded: &[usize]) -> usize {
    let mut k = below(rng, p.saturating_sub(excluded.len()).max(1));
    // Shift past the excluded indices in increasing order.
    let mut ex = [usize::MAX; 3];
    for (e, &x) in ex.iter_mut().zip(excluded) {
        *e = x;
    }
    // Three-element sorting network.
    let [mut a, mut b, mut c] = ex;
    if a > b {
        core::mem::swap(&mut a, &mut b);
    }
    if b > c {
        core::mem::swap(&mut b, &mut c);
    }
    if a > b {
        core::mem::swap(&mut a, &mut b);
    }
    for e in [a, b, c] {
        if e <= k {
            k += 1;
        }
    }
    k
}

/// Row `i` of a row-major matrix with `n` columns (empty when out of range).
#[inline]
fn row<T>(a: &[T], i: usize, n: usize) -> &[T] {
    let start = i.saturating_mul(n);
    a.get(start..start.saturating_add(n)).unwrap_or(&[])
}

/// scipy's convergence test `std(f) ≤ atol + tol·|mean(f)|` (false while a loss is +∞).
fn converged<T: Real>(fit: &[T], tol: T, atol: T) -> bool {
    if fit.is_empty() || fit.iter().any(|f| !f.is_finite()) {
        return false;
    }
    let p = T::from_usize(fit.len());
    let mean = fit.iter().fold(T::ZERO, |s, &f| s + f / p);
    let var = fit
        .iter()
        .fold(T::ZERO, |s, &f| s + (f - mean) * (f - mean) / p);
    let sd = var.sqrt();
    sd.is_finite() && sd <= atol + tol * mean.abs()
}

/// Differential evolution over slices: the kernel behind [`DifferentialEvolution`] and the
/// C ABI.
///
/// `pop` is the initial population, a `P×n` row-major matrix (`P = fit.len()` ≥ 5, every row
/// finite and inside the box; [`latin_hypercube`] gives scipy's initialization), and holds the
/// last generation on return, with its losses in `fit` (+∞ for a non-finite loss) and the best
/// member polished. `trial` (`n`) and `work` ([`LOCAL_WORK`]`·n`) are scratch; `best` (`n`)
/// receives the best point evaluated. [`SearchReport::iterations`] counts generations,
/// [`SearchReport::accepted`] accepted trials; the reason is [`SearchStop::Converged`] when
/// the population converged.
///
/// Errors before anything is written: lengths, `P < 5` or any other parameter out of range
/// ([`Error::InvalidParameter`]), a row outside the box or not finite;
/// [`Error::NonFiniteLoss`] when no member of the initial population has a finite loss.
#[allow(clippy::too_many_arguments)]
pub fn differential_evolution_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &DifferentialEvolutionConfig<T>,
    pop: &mut [T],
    fit: &mut [T],
    trial: &mut [T],
    best: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = best.len();
    bounds.check_dim(n)?;
    let p = fit.len();
    cfg.validate(p)?;
    if Some(pop.len()) != p.checked_mul(n)
        || trial.len() != n
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
    for (r, fi) in rows(pop, n).zip(fit.iter_mut()) {
        let f = if obj.exhausted() { inf } else { obj.value(r) };
        *fi = if f.is_finite() { f } else { inf };
    }
    let mut best_f = obj.best_loss();
    if !best_f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    // Index of the best member (the first of the lowest).
    let mut ib = 0usize;
    for (i, &f) in fit.iter().enumerate() {
        if f < fit.get(ib).copied().unwrap_or(inf) {
            ib = i;
        }
    }
    let (mut generations, mut accepted, mut improvements) = (0usize, 0usize, 0usize);
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
        generations += 1;
        let scale = if cfg.mutation_max > cfg.mutation_min {
            uniform_in(rng, cfg.mutation_min, cfg.mutation_max)
        } else {
            cfg.mutation_min
        };
        for c in 0..p {
            if obj.exhausted() || cfg.budget.reached(best_f) {
                break;
            }
            let fill = below(rng, n);
            let r0 = other(rng, p, &[c]);
            let r1 = other(rng, p, &[c, r0]);
            let (base, a, b) = if cfg.strategy == DE_RAND1BIN {
                (r0, r1, other(rng, p, &[c, r0, r1]))
            } else {
                (ib, r0, r1)
            };
            let (xb, xa, xc, xi) = (
                row(pop, base, n),
                row(pop, a, n),
                row(pop, b, n),
                row(pop, c, n),
            );
            for (j, (t, (l, u))) in trial.iter_mut().zip(bounds.pairs()).enumerate() {
                let from_mutant = uniform::<T, R>(rng) < cfg.recombination || j == fill;
                let v = if from_mutant {
                    let g = |s: &[T]| s.get(j).copied().unwrap_or(l);
                    g(xb) + scale * (g(xa) - g(xc))
                } else {
                    xi.get(j).copied().unwrap_or(l)
                };
                *t = if v >= l && v <= u {
                    v
                } else {
                    clip(uniform_in(rng, l, u), l, u)
                };
            }
            let ft = obj.value(trial);
            let fc = fit.get(c).copied().unwrap_or(inf);
            if ft.is_finite() && ft <= fc {
                if let Some(r) = rows_mut(pop, n).nth(c) {
                    super::copy(r, trial);
                }
                if let Some(f) = fit.get_mut(c) {
                    *f = ft;
                }
                accepted += 1;
                if ft <= fit.get(ib).copied().unwrap_or(inf) {
                    ib = c;
                }
            }
            if obj.best_loss() < best_f {
                best_f = obj.best_loss();
                improvements += 1;
            }
        }
        if converged(fit, cfg.tol, cfg.atol) {
            break SearchStop::Converged;
        }
    };
    if reason != SearchStop::Target {
        // Polish the best member in place (scipy writes the polished point into the
        // population too); the tracker keeps the best point it evaluates.
        let left = obj.left();
        let before = obj.best_loss();
        if let (Some(r), Some(f)) = (rows_mut(pop, n).nth(ib), fit.get_mut(ib)) {
            if f.is_finite() && left > 0 {
                local
                    .refine(&mut obj, bounds, r, f, work, left)
                    .map_err(|e| match e {
                        Error::NonFiniteInput => Error::NonFiniteLoss,
                        e => e,
                    })?;
            }
        }
        if obj.best_loss() < before {
            improvements += 1;
        }
        best_f = obj.best_loss();
    }
    Ok(report(
        reason,
        best_f,
        &obj,
        generations,
        accepted,
        improvements,
    ))
}

/// Differential evolution with population `P` in `N` dimensions, its population in fixed
/// arrays. `P = 15·N` is scipy's default (`popsize = 15`); `P ≥ 5`.
///
/// ```
/// use lossmap::global::{Bounds, Budget, DifferentialEvolution, DifferentialEvolutionConfig, ProjectedLbfgs};
/// use lossmap::testfn::Rastrigin;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
/// let cfg = DifferentialEvolutionConfig { budget: Budget { max_evals: 10_000, ..DifferentialEvolutionConfig::default().budget }, ..DifferentialEvolutionConfig::default() };
/// let mut de = DifferentialEvolution::<f64, 2, 30>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(7);
/// let mut x = [3.0, -2.0];
/// let r = de.run(&mut Rastrigin, &mut ProjectedLbfgs::<f64, 2, 10>::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss < 1e-9 && x.iter().all(|v| v.abs() < 1e-5), "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DifferentialEvolution<T, const N: usize, const P: usize> {
    /// Parameters.
    pub config: DifferentialEvolutionConfig<T>,
    /// The population of the last run (last generation, best member polished).
    pub population: [[T; N]; P],
    /// Its losses (+∞ for non-finite).
    pub fitness: [T; P],
    trial: [T; N],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize, const P: usize> DifferentialEvolution<T, N, P> {
    /// [`Error::InvalidParameter`] for a bad configuration or `P < 5`, [`Error::Empty`] for
    /// `N = 0`.
    pub fn new(config: DifferentialEvolutionConfig<T>) -> Result<Self, Error> {
        config.validate(P)?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(DifferentialEvolution {
            config,
            population: [[T::ZERO; N]; P],
            fitness: [T::ZERO; P],
            trial: [T::ZERO; N],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Evolves a Latin-hypercube population whose first member is replaced by `x` (which must
    /// lie in the box; scipy's `x0`); on success `x` holds the best point found. See
    /// [`differential_evolution_slice`] for the errors; on error `x` is unchanged (the
    /// population may not be).
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
        latin_hypercube(rng, bounds, self.population.as_flattened_mut())?;
        if let Some(first) = self.population.first_mut() {
            *first = *x;
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
        let r = differential_evolution_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            self.population.as_flattened_mut(),
            &mut self.fitness,
            &mut self.trial,
            &mut b,
            self.work.as_flattened_mut(),
        )?;
        *best = b;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn other_skips_the_excluded_and_is_uniform() {
        let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(5);
        let mut hits = [0usize; 6];
        for _ in 0..6000 {
            let k = other(&mut rng, 6, &[4, 1, 2]);
            hits[k] += 1;
        }
        assert_eq!((hits[1], hits[2], hits[4]), (0, 0, 0));
        for k in [0, 3, 5] {
            assert!(
                (hits[k] as f64 / 6000.0 - 1.0 / 3.0).abs() < 0.03,
                "{hits:?}"
            );
        }
    }

    #[test]
    fn convergence_is_scipys_test() {
        assert!(converged(&[1.0f64, 1.0, 1.0], 0.01, 0.0));
        // std of [1, 2, 3] = sqrt(2/3) ≈ 0.8165, mean 2.
        assert!(!converged(&[1.0f64, 2.0, 3.0], 0.4, 0.0));
        assert!(converged(&[1.0f64, 2.0, 3.0], 0.41, 0.0));
        assert!(converged(&[1.0f64, 2.0, 3.0], 0.0, 0.82));
        assert!(!converged(&[1.0f64, f64::INFINITY], 1.0, 1e300));
    }
}
