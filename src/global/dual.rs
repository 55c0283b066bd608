//! Dual annealing: generalized simulated annealing (Tsallis & Stariolo, "Generalized
//! simulated annealing", *Physica A* 233, 1996; Xiang, Sun, Fan & Gong, "Generalized simulated
//! annealing algorithm and its application to the Thomson model", *Phys. Lett. A* 233, 1997)
//! with a local search on improvement, as `scipy.optimize.dual_annealing`.
//!
//! **Visiting distribution.** A move is `Δx = σ(T)·X / |Y|^{(q_v−1)/(3−q_v)}` with `X, Y`
//! independent standard normals (the sampler of Tsallis & Stariolo, p. 405, used by scipy),
//! where
//!
//! `σ(T) = (f₆/f₄(T))^{−(q_v−1)/(3−q_v)}`, `f₄(T) = √π·(q_v−1)^{4−q_v} /
//! (2^{(2−q_v)/(q_v−1)}·(3−q_v))·T^{1/(q_v−1)}`, `f₆ = π(1−f₅)/sin(π(1−f₅))/Γ(2−f₅)`,
//! `f₅ = 1/(q_v−1) − ½` ([`VisitingDistribution`]). Its tails are heavy (`q_v` = 2.62 by
//! default); a move larger than 10⁸ in magnitude is replaced by `10⁸·u`, `u ~ U(0, 1)`, with its
//! sign, and the visited point is wrapped back into the box periodically (`fmod`, as scipy).
//!
//! **Temperature.** At step `t = 1, 2, …` of a cycle `T(t) = T₀·(2^{q_v−1} − 1)/((1 + t)^{q_v−1} −
//! 1)` ([`dual_annealing_temperature`]); a cycle restarts from a uniformly drawn point once
//! `T < T₀·restart_temp_ratio`.
//!
//! **Strategy chain.** Each step runs `2n` visits from the current point: the first `n` move all
//! coordinates at once, the next `n` one coordinate each, in order. A lower loss is always
//! accepted; a higher one with the generalized Metropolis probability
//! `p = [1 − (1 − q_a)·Δf/T_s]^{1/(1−q_a)}` (0 when the bracket is ≤ 0), `T_s = T/t`.
//!
//! **Local search** (scipy's rule): after a chain that improved the best point (and after the
//! first chain of each cycle) the best point is polished; after `1000` chains without an
//! improvement, and then every `n` such chains, the current point is polished and becomes
//! current if it beats the best. A polish of a best point that has not changed since its last
//! polish is skipped (the local searches are deterministic: it would return the same point).
//! scipy polishes with L-BFGS-B: pass [`ProjectedLbfgs`](crate::optim::ProjectedLbfgs) (scipy
//! caps its iterations at `min(max(6n, 100), 1000)`; set `max_iter` to match).

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    check_start, clip, copy, param, report, Bounds, Budget, Counting, SearchReport, SearchStop,
};
use crate::error::Error;
use crate::objective::{Fixed, SliceObjective};
use crate::random::{normal, uniform};
use crate::{Objective, Real};
use rand_core::Rng;

/// Visits larger than this in magnitude are redrawn as `TAIL_LIMIT·u` (scipy's `TAIL_LIMIT`).
const TAIL_LIMIT: f64 = 1e8;
/// A wrapped coordinate closer than this to its lower bound is moved up by it (scipy's
/// `MIN_VISIT_BOUND`).
const MIN_VISIT_BOUND: f64 = 1e-10;
/// Chains without an improvement before the first polish of the current point (scipy's
/// `not_improved_max_idx`).
const FIRST_STALL_POLISH: usize = 1000;

/// Dual-annealing parameters, with scipy's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct DualAnnealingConfig<T> {
    /// Limits and target; an iteration is one strategy chain (`2n` visits plus the local
    /// search). Default: the crate's 20 000 evaluations and scipy's `maxiter = 1000`.
    pub budget: Budget<T>,
    /// Initial temperature `T₀` (finite, > 0.01 and ≤ 5·10⁴, scipy's range). Default 5230.
    pub initial_temp: T,
    /// A cycle restarts when `T < T₀·restart_temp_ratio`, in (0, 1). Default 2·10⁻⁵.
    pub restart_temp_ratio: T,
    /// Visiting parameter `q_v` in (1, 3). Default 2.62.
    pub visit: T,
    /// Acceptance parameter `q_a` (finite, < 1; scipy documents the range (−10⁴, −5]): the
    /// lower, the less likely an uphill move. Default −5.
    pub accept: T,
}

impl<T: Real> Default for DualAnnealingConfig<T> {
    fn default() -> Self {
        DualAnnealingConfig {
            budget: Budget {
                max_iter: 1000,
                ..Budget::default()
            },
            initial_temp: T::from_f64(5230.0),
            restart_temp_ratio: T::from_f64(2e-5),
            visit: T::from_f64(2.62),
            accept: T::from_f64(-5.0),
        }
    }
}

impl<T: Real> DualAnnealingConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range.
    ///
    /// ```
    /// use lossmap::global::DualAnnealingConfig;
    /// let c = DualAnnealingConfig::<f64>::default();
    /// assert!(c.validate().is_ok());
    /// assert!(DualAnnealingConfig { visit: 3.0, ..c }.validate().is_err());
    /// assert!(DualAnnealingConfig { restart_temp_ratio: 1.0, ..c }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        param(
            self.initial_temp.is_finite()
                && self.initial_temp > T::from_f64(0.01)
                && self.initial_temp <= T::from_f64(5e4)
                && self.restart_temp_ratio > T::ZERO
                && self.restart_temp_ratio < T::ONE
                && self.visit > T::ONE
                && self.visit < T::from_f64(3.0)
                && self.accept.is_finite()
                && self.accept < T::ONE,
        )?;
        VisitingDistribution::new(self.visit).map(|_| ())
    }
}

/// The temperature `T₀·(2^{q_v−1} − 1)/((1 + t)^{q_v−1} − 1)` at step `t ≥ 1` of a cycle
/// (Tsallis & Stariolo 1996, eq. 14; scipy's schedule, whose loop index `i` is `t − 1`);
/// `T(1) = T₀`. `t = 0` is treated as 1.
///
/// ```
/// use lossmap::global::dual_annealing_temperature;
/// assert_eq!(dual_annealing_temperature(5230.0f64, 2.62, 1), 5230.0);
/// // 5230·(2^1.62 − 1)/(11^1.62 − 1) ≈ 227.6
/// let t = dual_annealing_temperature(5230.0f64, 2.62, 10);
/// assert!(t > 227.0 && t < 228.0, "{t}");
/// ```
pub fn dual_annealing_temperature<T: Real>(t0: T, qv: T, t: usize) -> T {
    let e = qv - T::ONE;
    let t1 = T::TWO.powf(e) - T::ONE;
    let s = T::from_usize(t.max(1)) + T::ONE;
    let t2 = s.powf(e) - T::ONE;
    t0 * t1 / t2
}

/// The Tsallis–Stariolo visiting distribution of parameter `q_v ∈ (1, 3)` (see the module
/// documentation for the formula and its constants, which are computed once in f64 with
/// `libm`'s log-Gamma).
///
/// ```
/// use lossmap::global::VisitingDistribution;
/// use rand_core::SeedableRng;
/// let d = VisitingDistribution::new(2.62f64).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let v = d.sample(&mut rng, 100.0);
/// assert!(v.is_finite() && d.sigma(100.0) > d.sigma(1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VisitingDistribution<T> {
    qv: T,
    /// `√π·f₂/(f₃·(3 − q_v))`.
    factor4_p: T,
    /// `f₆`.
    factor6: T,
    /// `(q_v − 1)/(3 − q_v)`, the exponent of `|Y|`.
    power: T,
}

impl<T: Real> VisitingDistribution<T> {
    /// [`Error::InvalidParameter`] unless `1 < q_v < 3` and the constants are finite.
    pub fn new(qv: T) -> Result<Self, Error> {
        if !(qv > T::ONE && qv < T::from_f64(3.0)) {
            return Err(Error::InvalidParameter);
        }
        let q = qv.to_f64();
        let pi = core::f64::consts::PI;
        let f2 = libm::exp((4.0 - q) * libm::log(q - 1.0));
        let f3 = libm::exp((2.0 - q) * libm::log(2.0) / (q - 1.0));
        let f4p = libm::sqrt(pi) * f2 / (f3 * (3.0 - q));
        let f5 = 1.0 / (q - 1.0) - 0.5;
        let d1 = 2.0 - f5;
        let f6 = pi * (1.0 - f5) / libm::sin(pi * (1.0 - f5)) / libm::exp(libm::lgamma(d1));
        let (factor4_p, factor6) = (T::from_f64(f4p), T::from_f64(f6));
        let power = (qv - T::ONE) / (T::from_f64(3.0) - qv);
        if !(factor4_p.is_finite() && factor6.is_finite() && power.is_finite())
            || factor4_p <= T::ZERO
            || factor6 <= T::ZERO
        {
            return Err(Error::InvalidParameter);
        }
        Ok(VisitingDistribution {
            qv,
            factor4_p,
            factor6,
            power,
        })
    }

    /// The scale `σ(T)` of the numerator at temperature `temp` > 0.
    pub fn sigma(&self, temp: T) -> T {
        let e = self.qv - T::ONE;
        let factor1 = (temp.ln() / e).exp();
        let factor4 = self.factor4_p * factor1;
        (-e * (self.factor6 / factor4).ln() / (T::from_f64(3.0) - self.qv)).exp()
    }

    /// One move `σ(T)·X/|Y|^{(q_v−1)/(3−q_v)}` at temperature `temp` (draws `X` then `Y`); may
    /// be ±∞ for `Y` near 0 (the chain caps it).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, temp: T) -> T {
        self.sample_with(rng, self.sigma(temp))
    }

    /// [`sample`](Self::sample) with `σ` already computed.
    fn sample_with<R: Rng + ?Sized>(&self, rng: &mut R, sigma: T) -> T {
        let x: T = normal(rng);
        let y: T = normal(rng);
        let den = (self.power * y.abs().ln()).exp();
        x * sigma / den
    }
}

/// `v` wrapped into `[lo, hi]` periodically, as scipy's `fmod(fmod(v − lo, w) + w, w) + lo`,
/// then moved up by [`MIN_VISIT_BOUND`] when it lands on `lo`; a fixed coordinate (`w = 0`)
/// or a non-finite `v` gives `lo`.
fn wrap<T: Real>(v: T, lo: T, hi: T) -> T {
    let w = hi - lo;
    if w.is_nan() || w <= T::ZERO || !v.is_finite() {
        return lo;
    }
    let a = v - lo;
    let mut y = a - w * (a / w).floor();
    if !(y >= T::ZERO && y < w) {
        y = T::ZERO;
    }
    let mut r = lo + y;
    let eps = T::from_f64(MIN_VISIT_BOUND);
    if (r - lo).abs() < eps {
        r += eps;
    }
    clip(r, lo, hi)
}

/// A visit capped at the tail limit: beyond ±10⁸ (or non-finite) it becomes `±10⁸·u`.
fn cap<T: Real>(v: T, u: T) -> T {
    let lim = T::from_f64(TAIL_LIMIT);
    if v > lim {
        lim * u
    } else if v < -lim {
        -lim * u
    } else if v.is_nan() {
        T::ZERO
    } else {
        v
    }
}

/// Dual annealing over slices: the kernel behind [`DualAnnealing`] and the C ABI.
///
/// `x` (length `n`) is the start on entry and the current point on return; `best` receives
/// the best point evaluated; `trial` (`n`) and `work` ([`LOCAL_WORK`]`·n`) are scratch.
/// [`SearchReport::iterations`] counts strategy chains (scipy's `nit`),
/// [`SearchReport::accepted`] the moves of the current point.
///
/// Errors before anything is written: lengths, a start outside the box or not finite, an
/// invalid configuration or local search; [`Error::NonFiniteLoss`] when the start's loss is
/// not finite. A visit whose loss is NaN or ±∞ is rejected; a non-finite value met by the local
/// search is [`Error::NonFiniteLoss`], with `x` and `best` holding the last accepted state.
#[allow(clippy::too_many_arguments)]
pub fn dual_annealing_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &DualAnnealingConfig<T>,
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
    let visit = VisitingDistribution::new(cfg.visit)?;
    local.validate()?;
    check_start(bounds, x)?;
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, best);
    let mut f = obj.value(x);
    if !f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut best_f = f;
    let t_restart = cfg.initial_temp * cfg.restart_temp_ratio;
    let qa = cfg.accept;
    let (mut chains, mut accepted, mut improvements) = (0usize, 0usize, 0usize);
    // Step of the current cycle (scipy's `i`), stalled chains and their limit.
    let (mut step, mut stall, mut stall_max) = (0usize, 0usize, FIRST_STALL_POLISH);
    // The best point changed since its last polish.
    let mut dirty = true;
    let reason = 'search: loop {
        if cfg.budget.reached(best_f) {
            break SearchStop::Target;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        if chains >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        let temp = dual_annealing_temperature(cfg.initial_temp, cfg.visit, step + 1);
        if temp.is_nan() || temp < t_restart {
            // Restart the cycle from a uniformly drawn point.
            step = 0;
            bounds.sample(rng, x)?;
            f = obj.value(x);
            if !f.is_finite() {
                copy(x, obj.best());
                f = best_f;
            }
            if obj.best_loss() < best_f {
                best_f = obj.best_loss();
                improvements += 1;
                dirty = true;
            }
            continue;
        }
        chains += 1;
        let temp_step = temp / T::from_usize(step + 1);
        let sigma = visit.sigma(temp);
        stall += 1;
        let mut improved = step == 0;
        for j in 0..2 * n {
            if cfg.budget.reached(best_f) {
                break 'search SearchStop::Target;
            }
            if obj.exhausted() {
                break 'search SearchStop::MaxEvaluations;
            }
            copy(trial, x);
            if j < n {
                let (us, ls): (T, T) = (uniform(rng), uniform(rng));
                for (t, (l, u)) in trial.iter_mut().zip(bounds.pairs()) {
                    let v = visit.sample_with(rng, sigma);
                    let v = if v > T::ZERO { cap(v, us) } else { cap(v, ls) };
                    *t = wrap(*t + v, l, u);
                }
            } else {
                let k = j - n;
                let mut v = visit.sample_with(rng, sigma);
                if v.is_nan() || v.abs() > T::from_f64(TAIL_LIMIT) {
                    let u: T = uniform(rng);
                    v = cap(v, u);
                }
                if let (Some(t), Some(&l), Some(&u)) = (
                    trial.get_mut(k),
                    bounds.lower().get(k),
                    bounds.upper().get(k),
                ) {
                    *t = wrap(*t + v, l, u);
                }
            }
            let e = obj.value(trial);
            if !e.is_finite() {
                continue;
            }
            if e < f {
                copy(x, trial);
                f = e;
                accepted += 1;
                if obj.best_loss() < best_f {
                    best_f = obj.best_loss();
                    improvements += 1;
                    improved = true;
                    dirty = true;
                    stall = 0;
                }
            } else {
                let r: T = uniform(rng);
                let b = T::ONE - (T::ONE - qa) * (e - f) / temp_step;
                let p = if b > T::ZERO {
                    (b.ln() / (T::ONE - qa)).exp()
                } else {
                    T::ZERO
                };
                if r <= p {
                    copy(x, trial);
                    f = e;
                    accepted += 1;
                }
            }
        }
        step += 1;
        if improved && dirty {
            dirty = false;
            let before = best_f;
            local_search(&mut obj, local, bounds, trial, work)?;
            if obj.best_loss() < before {
                best_f = obj.best_loss();
                improvements += 1;
                stall = 0;
                copy(x, obj.best());
                f = best_f;
            }
        }
        if stall >= stall_max {
            // Polish the current point.
            copy(trial, x);
            let before = best_f;
            let mut ft = f;
            let left = obj.left();
            local
                .refine(&mut obj, bounds, trial, &mut ft, work, left)
                .map_err(non_finite)?;
            stall = 0;
            stall_max = n;
            if obj.best_loss() < before {
                best_f = obj.best_loss();
                improvements += 1;
                copy(x, obj.best());
                f = best_f;
                dirty = false;
            }
        }
    };
    Ok(report(reason, best_f, &obj, chains, accepted, improvements))
}

/// Mid-run, a non-finite value in a local search came from the objective.
fn non_finite(e: Error) -> Error {
    match e {
        Error::NonFiniteInput => Error::NonFiniteLoss,
        e => e,
    }
}

/// Polishes a copy of the best point in `scratch` with what is left of the budget.
fn local_search<T: Real, O: SliceObjective<T> + ?Sized, L: LocalSearch<T> + ?Sized>(
    obj: &mut Counting<'_, '_, O, T>,
    local: &mut L,
    bounds: &Bounds<'_, T>,
    scratch: &mut [T],
    work: &mut [T],
) -> Result<(), Error> {
    let left = obj.left();
    let mut f = obj.best_loss();
    if !f.is_finite() || left == 0 {
        return Ok(());
    }
    copy(scratch, obj.best());
    local
        .refine(obj, bounds, scratch, &mut f, work, left)
        .map_err(non_finite)
}

/// Dual annealing in `N` dimensions with its scratch in fixed arrays.
///
/// ```
/// use lossmap::global::{Bounds, Budget, DualAnnealing, DualAnnealingConfig, ProjectedLbfgs};
/// use lossmap::testfn::Rastrigin;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
/// let cfg = DualAnnealingConfig { budget: Budget { max_evals: 10_000, f_target: 1e-9, ..DualAnnealingConfig::default().budget }, ..DualAnnealingConfig::default() };
/// let mut da = DualAnnealing::<f64, 2>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(2);
/// let mut x = [4.5, -3.5];
/// let r = da.run(&mut Rastrigin, &mut ProjectedLbfgs::<f64, 2, 10>::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss <= 1e-9, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DualAnnealing<T, const N: usize> {
    /// Parameters.
    pub config: DualAnnealingConfig<T>,
    /// The current point at the end of the last run.
    pub current: [T; N],
    trial: [T; N],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize> DualAnnealing<T, N> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0`.
    pub fn new(config: DualAnnealingConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(DualAnnealing {
            config,
            current: [T::ZERO; N],
            trial: [T::ZERO; N],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Anneals from `x` (in the box; scipy's `x0`); on success `x` holds the best point found.
    /// See [`dual_annealing_slice`] for the errors; on error `x` is unchanged.
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
        let r = dual_annealing_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_is_scipys_fmod() {
        assert_eq!(wrap(1.5f64, 0.0, 1.0), 0.5);
        assert_eq!(wrap(-0.25f64, 0.0, 1.0), 0.75);
        assert_eq!(wrap(3.25f64, 1.0, 2.0), 1.25);
        assert_eq!(wrap(2.0f64, 0.0, 1.0), 1e-10);
        assert_eq!(wrap(f64::INFINITY, 0.0, 1.0), 0.0);
        assert_eq!(wrap(7.0f64, 2.0, 2.0), 2.0);
    }

    #[test]
    fn cap_limits_the_tails() {
        assert_eq!(cap(1e9f64, 0.5), 5e7);
        assert_eq!(cap(-1e9f64, 0.25), -2.5e7);
        assert_eq!(cap(3.0f64, 0.5), 3.0);
        assert_eq!(cap(f64::NAN, 0.5), 0.0);
    }
}
