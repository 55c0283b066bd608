//! Multi-level single linkage (MLSL): multi-start local search that polishes a sample point
//! only when no better sample and no better local minimum lies within a critical distance
//! `r_k` that shrinks as the sample grows (Rinnooy Kan & Timmer, "Stochastic global
//! optimization methods, part II: multi level methods", *Math. Programming* 39, 1987, 57–78).
//!
//! **Iteration.** The sample starts with the caller's start point `x₀`. Each iteration first
//! draws `samples` new points uniformly in the box (the sampling phase), then runs the local
//! phase, in NLopt's order. In the local phase the `⌈γ·k⌉` lowest of the `k` sample points are visited in
//! ascending loss; a point not polished before is polished when no sample point and no local
//! minimum found so far with a lower loss lies within Euclidean distance
//!
//! `r_k = π^{−1/2}·(Γ(1 + n/2)·m(S)·σ·ln k / k)^{1/n}`
//!
//! (Rinnooy Kan & Timmer 1987, eq. (6); `m(S)` the box's volume). The first local search
//! starts at the lowest of `x₀` and the first samples, later ones only at points that may lie
//! in an unexplored basin, so on a
//! landscape with many minima the budget buys many more distinct basins than plain
//! multi-start ([`multistart_slice`](super::multistart_slice)) does.
//!
//! **Defaults** are NLopt's `MLSL` (`src/algs/mlsl/mlsl.c`): 4 samples per iteration, `γ` =
//! 0.3, `σ` = 2; NLopt also keeps away from minima by `r_k` (as here) and from the bounds by
//! `10⁻⁶·r_k`, which is left out here: a minimum on the boundary is reached by the projected
//! polish from the inside.
//!
//! **Memory.** The sample lives in caller buffers of capacity `k_max` points
//! ([`mlsl_store_len`]); once it is full the search ends ([`SearchStop::Completed`]).

use super::local::{LocalSearch, LOCAL_WORK};
use super::{check_start, copy, param, report, Bounds, Budget, Counting, SearchReport, SearchStop};
use crate::error::Error;
use crate::linalg::{at, put, rows};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};
use rand_core::Rng;

/// MLSL parameters, with NLopt's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct MlslConfig<T> {
    /// Limits and target; an iteration is one local phase and one sampling phase. Default the
    /// crate's 20 000 evaluations.
    pub budget: Budget<T>,
    /// Points drawn per sampling phase (> 0). Default 4 (NLopt).
    pub samples: usize,
    /// Fraction `γ` of the sample, lowest first, considered for a local search, in (0, 1].
    /// Default 0.3 (NLopt).
    pub gamma: T,
    /// The critical distance's factor `σ` (finite, > 0): the larger, the fewer local searches.
    /// Default 2 (NLopt).
    pub sigma: T,
}

impl<T: Real> Default for MlslConfig<T> {
    fn default() -> Self {
        MlslConfig {
            budget: Budget::default(),
            samples: 4,
            gamma: T::from_f64(0.3),
            sigma: T::TWO,
        }
    }
}

impl<T: Real> MlslConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range.
    ///
    /// ```
    /// use lossmap::global::MlslConfig;
    /// let c = MlslConfig::<f64>::default();
    /// assert!(c.validate().is_ok());
    /// assert!(MlslConfig { gamma: 0.0, ..c }.validate().is_err());
    /// assert!(MlslConfig { samples: 0, ..c }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        param(
            self.samples > 0
                && self.gamma > T::ZERO
                && self.gamma <= T::ONE
                && self.sigma.is_finite()
                && self.sigma > T::ZERO,
        )
    }
}

/// Lengths of the three buffers of [`mlsl_slice`] for `n` parameters and a sample of at most
/// `k_max` points: `(points, minima, values)` = `(k_max·n, k_max·n, 5·k_max)`; `None` on
/// overflow.
///
/// ```
/// assert_eq!(lossmap::global::mlsl_store_len(2, 100), Some((200, 200, 500)));
/// ```
pub const fn mlsl_store_len(n: usize, k_max: usize) -> Option<(usize, usize, usize)> {
    let Some(p) = n.checked_mul(k_max) else {
        return None;
    };
    let Some(v) = k_max.checked_mul(5) else {
        return None;
    };
    Some((p, p, v))
}

/// Scratch of [`mlsl_slice`]: `(LOCAL_WORK + 1)·n` values (a trial point and the local
/// search's scratch).
pub const MLSL_WORK: usize = LOCAL_WORK + 1;

/// `π^{−1/2}·(Γ(1 + n/2)·m(S)·σ)^{1/n}`, the factor of `(ln k / k)^{1/n}` in `r_k`, in f64
/// (0 when the box has a zero-width coordinate).
fn radius_factor<T: Real>(bounds: &Bounds<'_, T>, sigma: T) -> f64 {
    let n = bounds.dim() as f64;
    let mut log_vol = 0.0;
    for (l, u) in bounds.pairs() {
        log_vol += libm::log((u - l).to_f64());
    }
    let e = (libm::lgamma(1.0 + n / 2.0) + libm::log(sigma.to_f64()) + log_vol) / n;
    let r = libm::exp(e) / libm::sqrt(core::f64::consts::PI);
    if r.is_finite() && r > 0.0 {
        r
    } else {
        0.0
    }
}

/// Squared Euclidean distance.
fn dist2<T: Real>(a: &[T], b: &[T]) -> T {
    a.iter()
        .zip(b)
        .fold(T::ZERO, |s, (&p, &q)| s + (p - q) * (p - q))
}

/// MLSL over slices: the kernel behind [`Mlsl`].
///
/// `x` (length `n`, in the box) is the start; `best` receives the best point evaluated.
/// `points` (`k_max·n`), `minima` (`k_max·n`) and `values` (`5·k_max`, see [`mlsl_store_len`];
/// `k_max = values.len() / 5 ≥ 1`) hold the sample sorted by loss, the local minima found and,
/// in `values`, the sample's losses, its polished flags (1 for a point a local search started
/// from), the minima's losses and each sample point's squared distance to the nearest lower
/// sample point and to the nearest lower minimum (−1: none), kept up to date as points and
/// minima arrive (NLopt's bookkeeping, `O(k·n)` per arrival); `work` is scratch of at least [`MLSL_WORK`]`·n`. On return the first
/// `k = report.iterations·samples + 1` (at most `k_max`) rows of `points` are the sample, in
/// ascending loss. [`SearchReport::iterations`] counts sampling phases,
/// [`SearchReport::accepted`] the local searches.
///
/// Errors before anything is written: lengths ([`Error::LengthMismatch`], [`Error::Empty`]
/// for `k_max = 0`), a start outside the box or not finite, an invalid configuration or local
/// search; [`Error::NonFiniteLoss`] when the start's loss is not finite. A sample point whose
/// loss is not finite is dropped; a non-finite value met by a local search ends that search at
/// its last finite point.
#[allow(clippy::too_many_arguments)]
pub fn mlsl_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &MlslConfig<T>,
    x: &[T],
    best: &mut [T],
    points: &mut [T],
    minima: &mut [T],
    values: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = x.len();
    bounds.check_dim(n)?;
    let k_max = values.len() / 5;
    if k_max == 0 {
        return Err(Error::Empty);
    }
    let lens = mlsl_store_len(n, k_max).ok_or(Error::LengthMismatch)?;
    if best.len() != n
        || (points.len(), minima.len(), values.len()) != lens
        || Some(work.len()) < n.checked_mul(MLSL_WORK)
    {
        return Err(Error::LengthMismatch);
    }
    cfg.validate()?;
    local.validate()?;
    check_start(bounds, x)?;
    let (trial, work) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (losses, rest) = values
        .split_at_mut_checked(k_max)
        .ok_or(Error::LengthMismatch)?;
    let (done, rest) = rest
        .split_at_mut_checked(k_max)
        .ok_or(Error::LengthMismatch)?;
    let (min_losses, rest) = rest
        .split_at_mut_checked(k_max)
        .ok_or(Error::LengthMismatch)?;
    let (near_pt, near_min) = rest
        .split_at_mut_checked(k_max)
        .ok_or(Error::LengthMismatch)?;
    let factor = radius_factor(bounds, cfg.sigma);
    let inv_n = 1.0 / n as f64;
    let mut obj = Counting::tracking(obj, cfg.budget.max_evals, bounds, best);
    let f0 = obj.value(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    copy(points, x);
    put(losses, 0, f0);
    put(done, 0, T::ZERO);
    put(near_pt, 0, none());
    put(near_min, 0, none());
    let (mut k, mut found) = (1usize, 0usize);
    let (mut iterations, mut searches, mut improvements) = (0usize, 0usize, 0usize);
    let mut best_f = f0;
    // The last local phase ran on the full sample.
    let mut full = false;
    let reason = 'search: loop {
        if cfg.budget.reached(best_f) {
            break SearchStop::Target;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        if iterations >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        if full {
            break SearchStop::Completed;
        }
        // Sampling phase.
        if k < k_max {
            iterations += 1;
            for _ in 0..cfg.samples {
                if k >= k_max {
                    break;
                }
                if obj.exhausted() {
                    break 'search SearchStop::MaxEvaluations;
                }
                bounds.sample(rng, trial)?;
                let f = obj.value(trial);
                if obj.best_loss() < best_f {
                    best_f = obj.best_loss();
                    improvements += 1;
                }
                if cfg.budget.reached(best_f) {
                    break 'search SearchStop::Target;
                }
                if !f.is_finite() {
                    continue;
                }
                let mut sample = Sample {
                    points,
                    losses,
                    done,
                    near_pt,
                    near_min,
                    n,
                };
                sample.insert(k, trial, f, minima, min_losses, found);
                k += 1;
            }
        }
        full = k >= k_max;
        // Local phase.
        let kf = k as f64;
        let r = T::from_f64(factor * libm::pow(libm::log(kf) / kf, inv_n));
        let r2 = r * r;
        let take = libm::ceil(cfg.gamma.to_f64() * kf) as usize;
        for i in 0..take.max(1).min(k) {
            if cfg.budget.reached(best_f) {
                break 'search SearchStop::Target;
            }
            if obj.exhausted() {
                break 'search SearchStop::MaxEvaluations;
            }
            let (Some(&fi), Some(&di)) = (losses.get(i), done.get(i)) else {
                break;
            };
            if di != T::ZERO {
                continue;
            }
            let Some(xi) = points.get(i * n..i * n + n) else {
                break;
            };
            // A lower sample point or a lower minimum within r_k.
            let near_point = within(at(near_pt, i), r2);
            let near_minimum = within(at(near_min, i), r2);
            if near_point || near_minimum {
                continue;
            }
            copy(trial, xi);
            put(done, i, T::ONE);
            let mut f = fi;
            let left = obj.left();
            local
                .refine(&mut obj, bounds, trial, &mut f, work, left)
                .map_err(non_finite)?;
            searches += 1;
            if found < k_max {
                if let Some(m) = minima.get_mut(found * n..found * n + n) {
                    copy(m, trial);
                    put(min_losses, found, f);
                    found += 1;
                    // The sample points above the new minimum may now lie near a lower one.
                    for (((p, &l), &d), c) in rows(points, n)
                        .zip(losses.iter())
                        .zip(done.iter())
                        .zip(near_min.iter_mut())
                        .take(k)
                    {
                        if l > f && d == T::ZERO {
                            *c = lower(*c, dist2(p, trial));
                        }
                    }
                }
            }
            if obj.best_loss() < best_f {
                best_f = obj.best_loss();
                improvements += 1;
            }
        }
    };
    Ok(report(
        reason,
        obj.best_loss(),
        &obj,
        iterations,
        searches,
        improvements,
    ))
}

/// "No lower point" in the nearest-lower distances: −1 (distances are ≥ 0; a finite marker,
/// so the caller's buffers hold only finite values).
fn none<T: Real>() -> T {
    -T::ONE
}

/// The smaller of a squared distance `c` ([`none`] yet) and `d`, capped at the largest finite
/// value (a distance² across a box of width near the largest float overflows).
fn lower<T: Real>(c: T, d: T) -> T {
    let d = d.min(T::MAX_R);
    if c < T::ZERO || d < c {
        d
    } else {
        c
    }
}

/// A squared distance `c` ([`none`]: no lower point) within `r2`.
fn within<T: Real>(c: T, r2: T) -> bool {
    c >= T::ZERO && c <= r2
}

/// The sample's buffers: `n`-vectors sorted by loss, their flags and nearest-lower distances.
struct Sample<'a, T> {
    points: &'a mut [T],
    losses: &'a mut [T],
    done: &'a mut [T],
    near_pt: &'a mut [T],
    near_min: &'a mut [T],
    n: usize,
}

impl<T: Real> Sample<'_, T> {
    /// Inserts the point `x` of loss `f` into the sorted sample of `k` rows (room for one
    /// more), after the rows of equal loss, with its distances to the lower sample points and
    /// to the lower of the `found` minima; the higher rows' nearest-lower distances are updated.
    fn insert(&mut self, k: usize, x: &[T], f: T, minima: &[T], min_losses: &[T], found: usize) {
        let n = self.n;
        let pos = self.losses.iter().take(k).position(|&l| l > f).unwrap_or(k);
        // Rows pos..k move down by one, the last first.
        for j in (pos..k).rev() {
            for c in 0..n {
                put(self.points, (j + 1) * n + c, at(self.points, j * n + c));
            }
            for v in [
                &mut *self.losses,
                &mut *self.done,
                &mut *self.near_pt,
                &mut *self.near_min,
            ] {
                put(v, j + 1, at(v, j));
            }
        }
        let mut np = none();
        for (p, &l) in rows(self.points, n).zip(self.losses.iter()).take(pos) {
            if l < f {
                np = lower(np, dist2(p, x));
            }
        }
        let mut nm = none();
        for (m, &l) in rows(minima, n).zip(min_losses.iter()).take(found) {
            if l < f {
                nm = lower(nm, dist2(m, x));
            }
        }
        // The rows above: x is a lower point near them.
        for (((p, &l), &d), c) in rows(self.points, n)
            .zip(self.losses.iter())
            .zip(self.done.iter())
            .zip(self.near_pt.iter_mut())
            .take(k + 1)
            .skip(pos + 1)
        {
            if l > f && d == T::ZERO {
                *c = lower(*c, dist2(p, x));
            }
        }
        if let Some(row) = self.points.get_mut(pos * n..pos * n + n) {
            copy(row, x);
        }
        put(self.losses, pos, f);
        put(self.done, pos, T::ZERO);
        put(self.near_pt, pos, np);
        put(self.near_min, pos, nm);
    }
}

/// Mid-run, a non-finite value in a local search came from the objective.
fn non_finite(e: Error) -> Error {
    match e {
        Error::NonFiniteInput => Error::NonFiniteLoss,
        e => e,
    }
}

/// MLSL in `N` dimensions with a sample of up to `K` points, its buffers in fixed arrays.
///
/// ```
/// use lossmap::global::{Bounds, Budget, Mlsl, MlslConfig, ProjectedLbfgs};
/// use lossmap::testfn::Rastrigin;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
/// let budget = Budget { max_evals: 10_000, f_target: 1e-9, ..Budget::default() };
/// let mut mlsl = Mlsl::<f64, 2, 1000>::new(MlslConfig { budget, ..MlslConfig::default() }).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// let mut x = [4.5, -3.5];
/// let r = mlsl.run(&mut Rastrigin, &mut ProjectedLbfgs::<f64, 2, 10>::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss <= 1e-9 && x.iter().all(|v| v.abs() < 1e-4), "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mlsl<T, const N: usize, const K: usize> {
    /// Parameters.
    pub config: MlslConfig<T>,
    /// The sample of the last run, ascending loss (the first `min(K, 1 + iterations·samples)`
    /// rows; fewer when some losses were not finite).
    pub points: [[T; N]; K],
    minima: [[T; N]; K],
    values: [[T; K]; 5],
    work: [[T; N]; MLSL_WORK],
}

impl<T: Real, const N: usize, const K: usize> Mlsl<T, N, K> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0` or
    /// `K = 0`.
    pub fn new(config: MlslConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 || K == 0 {
            return Err(Error::Empty);
        }
        Ok(Mlsl {
            config,
            points: [[T::ZERO; N]; K],
            minima: [[T::ZERO; N]; K],
            values: [[T::ZERO; K]; 5],
            work: [[T::ZERO; N]; MLSL_WORK],
        })
    }

    /// Searches from `x` (in the box); on success `x` holds the best point evaluated. See
    /// [`mlsl_slice`] for the errors; on error `x` is unchanged.
    pub fn run<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        x: &mut [T; N],
    ) -> Result<SearchReport<T>, Error> {
        let mut best = *x;
        let r = mlsl_slice(
            &mut Fixed::<O, N>(obj),
            local,
            rng,
            bounds,
            &self.config,
            x,
            &mut best,
            self.points.as_flattened_mut(),
            self.minima.as_flattened_mut(),
            self.values.as_flattened_mut(),
            self.work.as_flattened_mut(),
        )?;
        *x = best;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_keeps_the_sample_sorted() {
        let (mut p, mut l, mut d, mut a, mut b) = (
            [0.0f64; 8],
            [0.0f64; 4],
            [0.0f64; 4],
            [0.0f64; 4],
            [0.0f64; 4],
        );
        let mut s = Sample {
            points: &mut p,
            losses: &mut l,
            done: &mut d,
            near_pt: &mut a,
            near_min: &mut b,
            n: 2,
        };
        for (k, f) in [3.0, 1.0, 2.0, 1.0].into_iter().enumerate() {
            s.insert(k, &[f, -f], f, &[0.0, 0.0], &[1.5], 1);
        }
        assert_eq!(l, [1.0, 1.0, 2.0, 3.0]);
        assert_eq!(p, [1.0, -1.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0]);
        // Nearest lower point: none for the two 1s, then (1, −1) at distance² 2 from (2, −2),
        // (2, −2) at 2 from (3, −3). Nearest lower minimum (0, 0) of loss 1.5: for 2 and 3.
        assert_eq!((a, b), ([-1.0, -1.0, 2.0, 2.0], [-1.0, -1.0, 8.0, 18.0]));
    }

    #[test]
    fn radius_is_rinnooy_kan_and_timmers() {
        // n = 2, box 2×3, σ = 2: (Γ(2)·6·2)^{1/2}/√π = √(12/π).
        let b = Bounds::new(&[0.0f64, 0.0], &[2.0, 3.0]).unwrap();
        let r = radius_factor(&b, 2.0);
        assert!((r - (12.0 / core::f64::consts::PI).sqrt()).abs() < 1e-12);
    }
}
