//! Replica exchange / parallel tempering (Swendsen & Wang, "Replica Monte Carlo simulation
//! of spin-glasses", *Phys. Rev. Lett.* 57, 1986; review: Earl & Deem, "Parallel tempering:
//! theory, applications, and new perspectives", *Phys. Chem. Chem. Phys.* 7, 2005).
//!
//! `R` replicas sit on a geometric temperature ladder `T_r = T_min·(T_max/T_min)^{r/(R−1)}`,
//! replica 0 coldest. Each sweep, every replica makes `steps` Metropolis moves with Gaussian
//! proposals of scale `scale·(u − l)·√(T_r/T_max)` (hot replicas take long steps; proposals are
//! clipped or reflected into the box, NaN/±∞ losses rejected). Then neighbouring replicas try
//! to exchange their configurations, the even pairs (0,1), (2,3), … on even sweeps and the odd
//! pairs on odd sweeps (the deterministic even–odd scheme), accepted with probability
//!
//! ```text
//! min(1, exp((1/T_i − 1/T_j)(E_i − E_j)))
//! ```
//!
//! which keeps every replica's Boltzmann distribution stationary. The swap acceptance rate of
//! each pair is the method's diagnostic: near 0 the ladder is too sparse there (the replicas'
//! energy distributions do not overlap); near 1 the two temperatures see the same landscape,
//! e.g. a flat plateau. The best point seen by any replica is polished by the local search every
//! `polish_every` sweeps (when it improved) and at the end.

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    check_start, clip, copy, gauss, metropolis, param, polish, positive, reflect, report, Bounds,
    Budget, Counting, SearchReport, SearchStop, BOUNDARY_CLIP, BOUNDARY_REFLECT,
};
use crate::error::Error;
use crate::linalg::{rows, rows_mut};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};
use rand_core::Rng;

/// Replica-exchange parameters (codes rather than enums, so that C can fill it).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ReplicaConfig<T> {
    /// Limits and target; an iteration is a sweep (every replica moves, then one round of
    /// swaps).
    pub budget: Budget<T>,
    /// Coldest temperature (finite, > 0). Default 0.1.
    pub t_min: T,
    /// Hottest temperature (finite, > `t_min`). Default 10.
    pub t_max: T,
    /// Metropolis moves per replica per sweep (> 0). Default 10.
    pub steps: usize,
    /// Proposal scale at `t_max` as a fraction of the box width (finite, > 0). Default 0.2.
    pub scale: T,
    /// Proposals leaving the box: 0 clipped, 1 reflected (the `BOUNDARY_*` codes, in C
    /// `LOSSMAP_BOUNDARY_*`). Default reflect.
    pub boundary: i32,
    /// Polish the best point (if it improved) every this many sweeps; 0: only at the end.
    /// Default 10.
    pub polish_every: usize,
}

impl<T: Real> Default for ReplicaConfig<T> {
    fn default() -> Self {
        ReplicaConfig {
            budget: Budget::default(),
            t_min: T::from_f64(0.1),
            t_max: T::from_f64(10.0),
            steps: 10,
            scale: T::from_f64(0.2),
            boundary: BOUNDARY_REFLECT,
            polish_every: 10,
        }
    }
}

impl<T: Real> ReplicaConfig<T> {
    /// [`Error::InvalidParameter`] for a parameter out of range, fewer than 2 replicas (`r`),
    /// or a ladder with a temperature `T` that is subnormal or not finite, or an inverse `1/T`
    /// that is not finite (a subnormal `t_min`, `t_max / t_min` beyond the type's range).
    ///
    /// ```
    /// use lossmap::global::ReplicaConfig;
    /// let c = ReplicaConfig::<f64>::default();
    /// assert!(c.validate(4).is_ok());
    /// assert!(c.validate(1).is_err());
    /// assert!(ReplicaConfig { t_min: -1.0, ..c }.validate(4).is_err());
    /// ```
    pub fn validate(&self, r: usize) -> Result<(), Error> {
        self.budget.validate()?;
        param(
            r >= 2
                && positive(self.t_min)
                && positive(self.t_max)
                && self.t_max > self.t_min
                && self.steps > 0
                && positive(self.scale)
                && (BOUNDARY_CLIP..=BOUNDARY_REFLECT).contains(&self.boundary),
        )?;
        // The ladder itself: every temperature normal (≥ the smallest normal number, so that
        // no subnormal loses precision) and finite, its inverse finite and > 0 (`1/T` of a
        // subnormal may be infinite; `t_max/t_min` may overflow).
        param((0..r).all(|i| {
            let t = self.rung(i, r);
            positive(t) && t >= T::MIN_POSITIVE_R && positive(T::ONE / t)
        }))
    }

    /// Temperature `i` of an `r`-rung ladder (`r ≥ 2`, `i < r`).
    fn rung(&self, i: usize, r: usize) -> T {
        if i == 0 {
            self.t_min
        } else if i + 1 == r {
            self.t_max
        } else {
            let ratio = (self.t_max / self.t_min).ln();
            self.t_min * (ratio * T::from_usize(i) / T::from_usize(r - 1)).exp()
        }
    }

    /// Writes the geometric ladder `T_r = T_min·(T_max/T_min)^{r/(R−1)}` to `temps`
    /// (`R = temps.len()` ≥ 2).
    ///
    /// ```
    /// use lossmap::global::ReplicaConfig;
    /// let c = ReplicaConfig { t_min: 1.0, t_max: 8.0, ..ReplicaConfig::<f64>::default() };
    /// let mut t = [0.0; 4];
    /// c.ladder(&mut t).unwrap();
    /// assert!((t[1] - 2.0).abs() < 1e-12 && (t[2] - 4.0).abs() < 1e-12 && t[3] == 8.0);
    /// ```
    pub fn ladder(&self, temps: &mut [T]) -> Result<(), Error> {
        let r = temps.len();
        self.validate(r)?;
        for (i, t) in temps.iter_mut().enumerate() {
            *t = self.rung(i, r);
        }
        Ok(())
    }
}

/// Swap statistics of a replica-exchange run for the pairs `(i, i + 1)`.
#[derive(Debug)]
pub struct ReplicaState<'a> {
    /// Swap attempts per pair (length `R − 1`).
    pub attempts: &'a mut [usize],
    /// Accepted swaps per pair (length `R − 1`).
    pub accepts: &'a mut [usize],
}

/// Exchanges rows `i` and `i + 1` of a row-major matrix with `n` columns.
fn swap_rows<T>(a: &mut [T], i: usize, n: usize) {
    let Some(split) = i.checked_add(1).and_then(|k| k.checked_mul(n)) else {
        return;
    };
    let Some((left, right)) = a.split_at_mut_checked(split) else {
        return;
    };
    let (Some(ri), Some(rj)) = (left.get_mut(i.saturating_mul(n)..), right.get_mut(..n)) else {
        return;
    };
    ri.iter_mut()
        .zip(rj.iter_mut())
        .for_each(|(p, q)| core::mem::swap(p, q));
}

/// Replica exchange over slices: the kernel behind [`ReplicaExchange`] and the C ABI.
///
/// `xs` holds the `R` initial replicas as an `R×n` row-major matrix (`R = energies.len()` ≥ 2,
/// rows finite and inside the box; replica `r` runs at `temps[r]`) and their final
/// configurations on return, with their losses in `energies`. `temps` (`R`) receives the ladder.
/// `stats` receives the swap counts per pair (slices of `R − 1`, zeroed first). `best` (`n`)
/// receives the best point evaluated; `trial` (`n`) and `work` ([`LOCAL_WORK`]`·n`) are scratch.
/// [`SearchReport::iterations`] counts sweeps and [`SearchReport::accepted`] the accepted
/// Metropolis moves.
///
/// A replica whose initial loss is not finite starts from the best finite one; during the run
/// a proposal whose loss is NaN or ±∞ (−∞ included) is rejected like any other, so every
/// energy, `best` and the reported best loss stay finite.
///
/// Errors, with what they leave:
/// * bad input — lengths, `R < 2` or another parameter out of range, a replica outside the box
///   or not finite ([`Error::NonFiniteInput`] / [`Error::InvalidParameter`] /
///   [`Error::LengthMismatch`]): nothing is written, the generator untouched;
/// * [`Error::NonFiniteLoss`] when no initial replica has a finite loss: `energies` hold those
///   initial losses, nothing else is written and the generator is untouched;
/// * once the run has started no error comes from the objective; the local search's own
///   errors are reported as they are (a non-finite loss there as [`Error::NonFiniteLoss`]),
///   with `xs`, `energies`, `temps`, `stats` and `best` holding the last accepted (finite)
///   state.
#[allow(clippy::too_many_arguments)]
pub fn replica_exchange_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &ReplicaConfig<T>,
    xs: &mut [T],
    energies: &mut [T],
    temps: &mut [T],
    stats: &mut ReplicaState<'_>,
    best: &mut [T],
    trial: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = best.len();
    bounds.check_dim(n)?;
    let r = energies.len();
    cfg.validate(r)?;
    if Some(xs.len()) != r.checked_mul(n)
        || temps.len() != r
        || stats.attempts.len() != r - 1
        || stats.accepts.len() != r - 1
        || trial.len() != n
        || Some(work.len()) < n.checked_mul(LOCAL_WORK)
    {
        return Err(Error::LengthMismatch);
    }
    local.validate()?;
    for row in rows(xs, n) {
        check_start(bounds, row)?;
    }
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, best);
    for (row, e) in rows(xs, n).zip(energies.iter_mut()) {
        *e = obj.value(row);
    }
    let mut best_f = obj.best_loss();
    if !best_f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    cfg.ladder(temps)?;
    stats.attempts.iter_mut().for_each(|a| *a = 0);
    stats.accepts.iter_mut().for_each(|a| *a = 0);
    for (row, e) in rows_mut(xs, n).zip(energies.iter_mut()) {
        if !e.is_finite() {
            copy(row, obj.best());
            *e = best_f;
        }
    }
    let (mut sweeps, mut accepted, mut improvements, mut since_polish) =
        (0usize, 0usize, 0usize, 0usize);
    let mut dirty = true;
    let reason = 'search: loop {
        if cfg.budget.reached(best_f) {
            break SearchStop::Target;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        if sweeps >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        // Metropolis moves of every replica.
        for ((row, e), &temp) in rows_mut(xs, n).zip(energies.iter_mut()).zip(temps.iter()) {
            let sigma = cfg.scale * (temp / cfg.t_max).sqrt();
            for _ in 0..cfg.steps {
                if obj.exhausted() {
                    break 'search SearchStop::MaxEvaluations;
                }
                for ((t, &xi), (l, u)) in trial.iter_mut().zip(row.iter()).zip(bounds.pairs()) {
                    let v = xi + sigma * (u - l) * gauss(rng);
                    *t = if cfg.boundary == BOUNDARY_REFLECT {
                        reflect(v, l, u)
                    } else {
                        clip(v, l, u)
                    };
                }
                let ft = obj.value(trial);
                // A NaN/±∞ loss is a rejected proposal (−∞ included: it is no energy).
                if ft.is_finite() && metropolis(rng, ft - *e, temp) {
                    copy(row, trial);
                    *e = ft;
                    accepted += 1;
                }
                // The tracker keeps every evaluated point that beats the best, accepted or not.
                if obj.best_loss() < best_f {
                    best_f = obj.best_loss();
                    improvements += 1;
                    dirty = true;
                }
            }
        }
        // Neighbour swaps, even pairs on even sweeps, odd pairs on odd sweeps.
        let mut i = sweeps & 1;
        while i + 1 < r {
            let (ti, tj) = (temps.get(i).copied(), temps.get(i + 1).copied());
            let (ei, ej) = (energies.get(i).copied(), energies.get(i + 1).copied());
            if let (Some(ti), Some(tj), Some(ei), Some(ej)) = (ti, tj, ei, ej) {
                let log_ratio = (T::ONE / ti - T::ONE / tj) * (ei - ej);
                if let Some(a) = stats.attempts.get_mut(i) {
                    *a += 1;
                }
                // min(1, exp(log_ratio)) is a Metropolis test on −log_ratio at temperature 1.
                if metropolis(rng, -log_ratio, T::ONE) {
                    swap_rows(xs, i, n);
                    if let Some(e) = energies.get_mut(i) {
                        *e = ej;
                    }
                    if let Some(e) = energies.get_mut(i + 1) {
                        *e = ei;
                    }
                    if let Some(a) = stats.accepts.get_mut(i) {
                        *a += 1;
                    }
                }
            }
            i += 2;
        }
        sweeps += 1;
        since_polish += 1;
        if cfg.polish_every > 0 && since_polish >= cfg.polish_every {
            since_polish = 0;
            if dirty {
                polish(&mut obj, local, bounds, trial, work, &mut improvements)?;
                best_f = obj.best_loss();
                dirty = false;
            }
        }
    };
    if dirty {
        polish(&mut obj, local, bounds, trial, work, &mut improvements)?;
        best_f = obj.best_loss();
    }
    Ok(report(reason, best_f, &obj, sweeps, accepted, improvements))
}

/// Replica exchange with `R` replicas in `N` dimensions, its state in fixed arrays.
///
/// ```
/// use lossmap::global::{Bounds, Budget, ProjectedGradient, ReplicaConfig, ReplicaExchange};
/// use lossmap::testfn::Rastrigin;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
/// let cfg = ReplicaConfig { budget: Budget { max_evals: 20_000, f_target: 1e-9, ..Budget::default() }, ..ReplicaConfig::default() };
/// let mut pt = ReplicaExchange::<f64, 2, 4>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let mut x = [4.5, 4.5];
/// let r = pt.run(&mut Rastrigin, &mut ProjectedGradient::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss <= 1e-9, "{r:?}");
/// // Swap acceptance rates of the pairs (0,1), (1,2), (2,3):
/// assert!((0..3).all(|i| pt.swap_rate(i).is_some()) && pt.swap_rate(3).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplicaExchange<T, const N: usize, const R: usize> {
    /// Parameters.
    pub config: ReplicaConfig<T>,
    /// The replicas' configurations at the end of the last run, coldest first.
    pub replicas: [[T; N]; R],
    /// Their losses.
    pub energies: [T; R],
    /// The temperature ladder.
    pub temps: [T; R],
    /// Swap attempts of the pair `(i, i + 1)` (the last entry is unused).
    pub swap_attempts: [usize; R],
    /// Accepted swaps of the pair `(i, i + 1)` (the last entry is unused).
    pub swap_accepts: [usize; R],
    trial: [T; N],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize, const R: usize> ReplicaExchange<T, N, R> {
    /// [`Error::InvalidParameter`] for a bad configuration or `R < 2`, [`Error::Empty`] for
    /// `N = 0`.
    pub fn new(config: ReplicaConfig<T>) -> Result<Self, Error> {
        config.validate(R)?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(ReplicaExchange {
            config,
            replicas: [[T::ZERO; N]; R],
            energies: [T::ZERO; R],
            temps: [T::ZERO; R],
            swap_attempts: [0; R],
            swap_accepts: [0; R],
            trial: [T::ZERO; N],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Runs with the coldest replica starting at `x` (which must lie in the box) and the others
    /// drawn uniformly in the box; on success `x` holds the best point found. See
    /// [`replica_exchange_slice`] for the errors; on error `x` is unchanged.
    pub fn run<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, Rg: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut Rg,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        check_start(bounds, x)?;
        self.config.validate(R)?;
        if let Some(first) = self.replicas.first_mut() {
            *first = *x;
        }
        for row in self.replicas.iter_mut().skip(1) {
            bounds.sample(rng, row)?;
        }
        let pairs = R.saturating_sub(1);
        let attempts = self
            .swap_attempts
            .get_mut(..pairs)
            .ok_or(Error::InvalidParameter)?;
        let accepts = self
            .swap_accepts
            .get_mut(..pairs)
            .ok_or(Error::InvalidParameter)?;
        let mut best = *x;
        let r = replica_exchange_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            self.replicas.as_flattened_mut(),
            &mut self.energies,
            &mut self.temps,
            &mut ReplicaState { attempts, accepts },
            &mut best,
            &mut self.trial,
            self.work.as_flattened_mut(),
        )?;
        *x = best;
        Ok(r)
    }

    /// Swap acceptance rate of the pair `(pair, pair + 1)` in the last run (`None` for
    /// `pair ≥ R − 1` or before any attempt).
    pub fn swap_rate(&self, pair: usize) -> Option<T> {
        if pair + 1 >= R {
            return None;
        }
        let tries = *self.swap_attempts.get(pair)?;
        let acc = *self.swap_accepts.get(pair)?;
        if tries == 0 {
            None
        } else {
            Some(T::from_usize(acc) / T::from_usize(tries))
        }
    }
}
