//! Multi-start local search: run a local search from each of `K` starts (given, or drawn
//! uniformly in the box), keep the best end point, and classify every end point by the
//! second-order test ([`classify_at`]). The simplest global method, and the baseline the others
//! are measured against (Törn & Žilinskas, *Global Optimization*, LNCS 350, 1989, §2 "multistart").

use super::local::{LocalSearch, LOCAL_WORK};
use super::{check_start, report, Bounds, Budget, Counting, SearchReport, SearchStop};
use crate::error::Error;
use crate::landscape::{classify_at, CriticalPoint, Tolerance};
use crate::linalg::{norm2, rows, rows_mut};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};
use heapless::Vec;
use rand_core::Rng;

/// Multi-start over slices: the kernel behind [`MultiStart`] and the C ABI.
///
/// `starts` holds `K` start points as a `K×n` row-major matrix (`K = losses.len()`); each row
/// is replaced by its end point and `losses[k]` by its loss. Rows not run (budget or target
/// reached first) keep their start and get a NaN loss, as do starts whose loss is not finite.
/// `best` (length `n`) receives the best point evaluated (an end point, or a point a local
/// search evaluated on the way that was lower still); `work` is scratch of
/// [`LOCAL_WORK`]`·n`. Starts are run in order; the search stops at `budget.max_iter` starts,
/// when the evaluations run out, or when the best loss reaches `budget.f_target`.
///
/// Errors before anything is written: lengths ([`Error::Empty`], [`Error::LengthMismatch`]),
/// a start outside the box or an invalid budget / local search ([`Error::InvalidParameter`]),
/// NaN/±∞ in the starts ([`Error::NonFiniteInput`]). [`Error::NonFiniteLoss`] when no start
/// had a finite loss (the losses are then all NaN).
#[allow(clippy::too_many_arguments)]
pub fn multistart_slice<T: Real, O: SliceObjective<T> + ?Sized, L: LocalSearch<T> + ?Sized>(
    obj: &mut O,
    local: &mut L,
    bounds: &Bounds<'_, T>,
    budget: &Budget<T>,
    starts: &mut [T],
    losses: &mut [T],
    best: &mut [T],
    work: &mut [T],
) -> Result<SearchReport<T>, Error> {
    let n = best.len();
    bounds.check_dim(n)?;
    let k = losses.len();
    if k == 0 {
        return Err(Error::Empty);
    }
    if Some(starts.len()) != k.checked_mul(n) || Some(work.len()) < n.checked_mul(LOCAL_WORK) {
        return Err(Error::LengthMismatch);
    }
    budget.validate()?;
    local.validate()?;
    for row in rows(starts, n) {
        check_start(bounds, row)?;
    }

    let mut obj = Counting::tracking(obj, budget.max_evals, bounds, best);
    let mut best_loss = T::NAN_R;
    let (mut runs, mut ok_runs, mut improvements) = (0usize, 0usize, 0usize);
    losses.iter_mut().for_each(|l| *l = T::NAN_R);
    let mut reason = SearchStop::Completed;
    for (row, loss) in rows_mut(starts, n).zip(losses.iter_mut()) {
        if obj.exhausted() {
            reason = SearchStop::MaxEvaluations;
            break;
        }
        if runs >= budget.max_iter {
            reason = SearchStop::MaxIterations;
            break;
        }
        runs += 1;
        let mut f = obj.value(row);
        if !f.is_finite() {
            continue;
        }
        let left = obj.left();
        local.refine(&mut obj, bounds, row, &mut f, work, left)?;
        ok_runs += 1;
        *loss = f;
        // The tracker holds the best point evaluated so far (an end point, or any point on the
        // way to one).
        if best_loss.is_nan() || obj.best_loss() < best_loss {
            best_loss = obj.best_loss();
            improvements += 1;
        }
        if budget.reached(best_loss) {
            reason = SearchStop::Target;
            break;
        }
    }
    best_loss = obj.best_loss();
    if !best_loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    if reason == SearchStop::Completed && obj.exhausted() && runs < k {
        reason = SearchStop::MaxEvaluations;
    }
    Ok(report(reason, best_loss, &obj, runs, ok_runs, improvements))
}

/// `K` points drawn uniformly in the box ([`Error::LengthMismatch`] unless it has `N`
/// coordinates).
///
/// ```
/// use lossmap::global::{uniform_starts, Bounds};
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-1.0f32, 5.0], &[1.0, 6.0]).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let s: [[f32; 2]; 4] = uniform_starts(&b, &mut rng).unwrap();
/// assert!(s.iter().all(|p| b.contains(p)));
/// ```
pub fn uniform_starts<T: Real, R: Rng + ?Sized, const N: usize, const K: usize>(
    bounds: &Bounds<'_, T>,
    rng: &mut R,
) -> Result<[[T; N]; K], Error> {
    bounds.check_dim(N)?;
    let mut s = [[T::ZERO; N]; K];
    for row in s.iter_mut() {
        bounds.sample(rng, row)?;
    }
    Ok(s)
}

/// What [`MultiStart::run`] found: every end point, its loss and its classification.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MultiStartResult<T, const N: usize, const K: usize> {
    /// End point of each start (the start itself if it was not run).
    pub ends: [[T; N]; K],
    /// Loss at each end point (NaN if not run or not finite).
    pub losses: [T; K],
    /// Second-order classification of each end point (`None` if not run or if the gradient
    /// or Hessian could not be computed there).
    pub kinds: [Option<CriticalPoint>; K],
    /// The best point evaluated: the lowest end point, or a point its local search evaluated
    /// on the way that was lower still (by rounding, or where the search ended above it). Its
    /// loss is `report.best_loss`.
    pub best: [T; N],
    /// Index of the lowest end point in `ends` (its loss is ≥ `report.best_loss`).
    pub best_index: usize,
    /// The search report.
    pub report: SearchReport<T>,
}

/// One distinct local minimum among a multi-start's end points (see
/// [`MultiStartResult::minima`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FoundMinimum<T, const N: usize> {
    /// The lowest end point of the group.
    pub point: [T; N],
    /// Its loss.
    pub loss: T,
    /// Its index in [`MultiStartResult::ends`].
    pub index: usize,
    /// How many end points the group holds (≥ 1): the starts that fell into this basin.
    pub hits: usize,
}

impl<T: Real, const N: usize, const K: usize> MultiStartResult<T, N, K> {
    /// The distinct minima the starts found, lowest loss first.
    ///
    /// Takes the end points classified [`CriticalPoint::Minimum`] (degenerate points and
    /// unclassified ones are left out; see [`kinds`](Self::kinds)) in ascending order of loss
    /// (ties by index) and puts each into the first group whose lowest point lies within
    /// Euclidean distance `sep`, or opens a new group. There are at most `K`, so the result is a
    /// `heapless::Vec` of capacity `K`; it is empty when no end point is a minimum.
    /// [`Error::InvalidParameter`] for a negative or non-finite `sep`.
    ///
    /// ```
    /// use lossmap::global::{uniform_starts, Bounds, Budget, MultiStart, ProjectedGradient};
    /// use lossmap::landscape::Tolerance;
    /// use lossmap::testfn::SixHumpCamel;
    /// use rand_core::SeedableRng;
    /// let b = Bounds::new(&[-3.0, -2.0], &[3.0, 2.0]).unwrap();
    /// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(5);
    /// let starts = uniform_starts::<f64, _, 2, 16>(&b, &mut rng).unwrap();
    /// let mut ms = MultiStart::<f64, 2, 16>::new(Budget::default()).unwrap();
    /// let r = ms.run(&mut SixHumpCamel, &mut ProjectedGradient::default(), &b, &starts, &Tolerance::default()).unwrap();
    /// let minima = r.minima(1e-3).unwrap();
    /// assert!((minima[0].loss - SixHumpCamel::MIN_VALUE).abs() < 1e-9);
    /// assert!(minima.len() <= 6); // the camel has six minima
    /// assert_eq!(minima.iter().map(|m| m.hits).sum::<usize>(), 16);
    /// ```
    pub fn minima(&self, sep: T) -> Result<Vec<FoundMinimum<T, N>, K>, Error> {
        if !sep.is_finite() || sep < T::ZERO {
            return Err(Error::InvalidParameter);
        }
        let mut out: Vec<FoundMinimum<T, N>, K> = Vec::new();
        let mut taken = [false; K];
        // Each pass takes one end point.
        for _ in 0..K {
            // The lowest minimum not yet taken.
            let mut next: Option<(usize, T)> = None;
            for (i, ((&loss, kind), &done)) in
                self.losses.iter().zip(&self.kinds).zip(&taken).enumerate()
            {
                let candidate = !done && *kind == Some(CriticalPoint::Minimum) && loss.is_finite();
                if candidate && next.is_none_or(|(_, l)| loss < l) {
                    next = Some((i, loss));
                }
            }
            let Some((i, loss)) = next else {
                break;
            };
            if let Some(t) = taken.get_mut(i) {
                *t = true;
            }
            let Some(point) = self.ends.get(i) else {
                break;
            };
            let near = out.iter_mut().find(|m| {
                let mut d = m.point;
                d.iter_mut().zip(point).for_each(|(a, &b)| *a -= b);
                norm2(&d) <= sep
            });
            match near {
                Some(m) => m.hits += 1,
                None => {
                    // At most K end points: a push never finds the list full.
                    let _ = out.push(FoundMinimum {
                        point: *point,
                        loss,
                        index: i,
                        hits: 1,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// Multi-start with `K` starts in `N` dimensions; the state is the scratch of the local search.
///
/// ```
/// use lossmap::global::{uniform_starts, Bounds, Budget, MultiStart, ProjectedGradient};
/// use lossmap::landscape::{CriticalPoint, Tolerance};
/// use lossmap::testfn::SixHumpCamel;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-3.0, -2.0], &[3.0, 2.0]).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(5);
/// let starts = uniform_starts::<f64, _, 2, 8>(&b, &mut rng).unwrap();
/// let mut ms = MultiStart::<f64, 2, 8>::new(Budget::default()).unwrap();
/// let r = ms.run(&mut SixHumpCamel, &mut ProjectedGradient::default(), &b, &starts, &Tolerance::default()).unwrap();
/// assert!((r.report.best_loss - SixHumpCamel::MIN_VALUE).abs() < 1e-9);
/// assert_eq!(r.kinds[r.best_index], Some(CriticalPoint::Minimum));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MultiStart<T, const N: usize, const K: usize> {
    /// Limits and target.
    pub budget: Budget<T>,
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize, const K: usize> MultiStart<T, N, K> {
    /// [`Error::InvalidParameter`] for an invalid budget, [`Error::Empty`] for `N = 0` or
    /// `K = 0`.
    pub fn new(budget: Budget<T>) -> Result<Self, Error> {
        budget.validate()?;
        if N == 0 || K == 0 {
            return Err(Error::Empty);
        }
        Ok(MultiStart {
            budget,
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Runs `local` from each of `starts` (see [`multistart_slice`]), then classifies every
    /// end point with [`classify_at`] and `tol`. The classification's gradient and Hessian
    /// evaluations are not charged to the budget (free for analytic derivatives).
    pub fn run<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        starts: &[[T; N]; K],
        tol: &Tolerance<T>,
    ) -> Result<MultiStartResult<T, N, K>, Error> {
        let mut ends = *starts;
        let mut losses = [T::NAN_R; K];
        let mut best = [T::ZERO; N];
        let report = multistart_slice(
            &mut Fixed::<O, N>(obj),
            local,
            bounds,
            &self.budget,
            ends.as_flattened_mut(),
            &mut losses,
            &mut best,
            self.work.as_flattened_mut(),
        )?;
        let mut kinds = [None; K];
        let mut best_index: Option<(usize, T)> = None;
        for (i, ((kind, end), &loss)) in kinds.iter_mut().zip(&ends).zip(&losses).enumerate() {
            if !loss.is_finite() {
                continue;
            }
            if best_index.is_none_or(|(_, l)| loss < l) {
                best_index = Some((i, loss));
            }
            *kind = classify_at(obj, end, tol).ok().map(|(k, _)| k);
        }
        Ok(MultiStartResult {
            ends,
            losses,
            kinds,
            best,
            best_index: best_index.map_or(0, |(i, _)| i),
            report,
        })
    }

    /// [`run`](Self::run) from `K` starts drawn uniformly in the box with `rng`.
    pub fn run_uniform<O: Objective<T, N> + ?Sized, L: LocalSearch<T> + ?Sized, R: Rng + ?Sized>(
        &mut self,
        obj: &mut O,
        local: &mut L,
        bounds: &Bounds<'_, T>,
        rng: &mut R,
        tol: &Tolerance<T>,
    ) -> Result<MultiStartResult<T, N, K>, Error> {
        let starts = uniform_starts::<T, R, N, K>(bounds, rng)?;
        self.run(obj, local, bounds, &starts, tol)
    }
}
