//! Basin hopping (Wales & Doye, "Global optimization by basin-hopping and the lowest energy
//! structures of Lennard-Jones clusters containing up to 110 atoms", *J. Phys. Chem. A* 101,
//! 1997; conventions of `scipy.optimize.basinhopping`): a Metropolis walk on the local minima.
//!
//! ```text
//! x ← local_search(x₀)
//! repeat:  y ← local_search(clip(x + U[−s, s]ⁿ))          (uniform kick, clipped to the box)
//!          accept y with probability min(1, exp(−(f(y) − f(x))/T))
//!          keep the best minimum seen
//!          every `interval` hops (adaptive): s ← s/factor if acceptance rate > target, else s·factor
//! ```
//!
//! The adaptive rule is scipy's `AdaptiveStepsize` (target acceptance 0.5, interval 50,
//! factor 0.9; the rate is the cumulative one). The stagnation stop (`stall`) is scipy's
//! `niter_success`.

use super::local::{LocalSearch, LOCAL_WORK};
use super::{
    check_start, clip, copy, metropolis, open_unit, param, positive, report, Bounds, Budget,
    Counting, SearchReport, SearchStop,
};
use crate::error::Error;
use crate::objective::{Fixed, SliceObjective};
use crate::random::uniform_in;
use crate::{Objective, Real};
use rand_core::Rng;

/// Basin-hopping parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct HoppingConfig<T> {
    /// Limits and target; an iteration is a hop.
    pub budget: Budget<T>,
    /// Metropolis temperature on the minima' losses (finite, > 0). Default 1 (scipy).
    pub temperature: T,
    /// Initial kick half-width `s`, per coordinate, in the units of `x` (finite, > 0).
    /// Default 0.5 (scipy's `stepsize`).
    pub step: T,
    /// 1: adapt `s` towards the target acceptance rate; 0: keep it. Default 1.
    pub adaptive: u8,
    /// Target acceptance rate in (0, 1). Default 0.5.
    pub target_accept: T,
    /// Hops between adaptations (> 0). Default 50.
    pub interval: usize,
    /// Adaptation factor in (0, 1). Default 0.9.
    pub factor: T,
    /// Stop after this many hops without a new best minimum; 0 (the default) turns it off.
    pub stall: usize,
}

impl<T: Real> Default for HoppingConfig<T> {
    fn default() -> Self {
        HoppingConfig {
            budget: Budget::default(),
            temperature: T::ONE,
            step: T::HALF,
            adaptive: 1,
            target_accept: T::HALF,
            interval: 50,
            factor: T::from_f64(0.9),
            stall: 0,
        }
    }
}

impl<T: Real> HoppingConfig<T> {
    /// [`Error::InvalidParameter`] for any parameter out of range.
    ///
    /// ```
    /// use lossmap::global::HoppingConfig;
    /// let c = HoppingConfig::<f64>::default();
    /// assert!(c.validate().is_ok());
    /// assert!(HoppingConfig { temperature: 0.0, ..c }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.budget.validate()?;
        param(
            positive(self.temperature)
                && positive(self.step)
                && self.adaptive <= 1
                && open_unit(self.target_accept)
                && self.interval > 0
                && open_unit(self.factor),
        )
    }
}

/// What a basin-hopping run leaves behind besides the best point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct HoppingState<T> {
    /// The kick half-width at the end (after adaptation).
    pub step: T,
    /// Hops whose trial minimum had a finite loss.
    pub trials: usize,
    /// Hops accepted by the Metropolis test.
    pub accepts: usize,
    /// Loss of the current (last accepted) minimum.
    pub current_loss: T,
}

/// Basin hopping over slices: the kernel behind [`BasinHopper`] and the C ABI.
///
/// `x` (length `n`) is the start on entry and the current (last accepted) minimum on return;
/// `best` receives the best point evaluated (see the [module](super) notes); `trial` (`n`) and `work` ([`LOCAL_WORK`]`·n`) are scratch;
/// `state` receives the final step size and the counts.
///
/// Errors before anything is written: lengths, a start outside the box or not finite, an
/// invalid configuration or local search; [`Error::NonFiniteLoss`] when the start's loss is
/// not finite.
#[allow(clippy::too_many_arguments)]
pub fn basin_hopping_slice<
    T: Real,
    O: SliceObjective<T> + ?Sized,
    L: LocalSearch<T> + ?Sized,
    R: Rng + ?Sized,
>(
    obj: &mut O,
    local: &mut L,
    rng: &mut R,
    bounds: &Bounds<'_, T>,
    cfg: &HoppingConfig<T>,
    state: &mut HoppingState<T>,
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
    let left = obj.left();
    local.refine(&mut obj, bounds, x, &mut f, work, left)?;
    let mut best_f = obj.best_loss();
    let mut step = cfg.step;
    let width = bounds
        .pairs()
        .fold(T::ZERO, |w, (l, u)| w.max(u - l))
        .max(T::MIN_POSITIVE_R);
    let (mut hops, mut trials, mut accepts, mut improvements, mut stall) =
        (0usize, 0usize, 0usize, 1usize, 0usize);
    let mut since_adapt = 0usize;
    let reason = loop {
        if cfg.budget.reached(best_f) {
            break SearchStop::Target;
        }
        if obj.exhausted() {
            break SearchStop::MaxEvaluations;
        }
        if hops >= cfg.budget.max_iter {
            break SearchStop::MaxIterations;
        }
        if cfg.stall > 0 && stall >= cfg.stall {
            break SearchStop::Stagnation;
        }
        hops += 1;
        stall += 1;
        for ((t, &xi), (l, u)) in trial.iter_mut().zip(x.iter()).zip(bounds.pairs()) {
            *t = clip(xi + uniform_in(rng, -step, step), l, u);
        }
        let mut ft = obj.value(trial);
        if !ft.is_finite() {
            continue;
        }
        let left = obj.left();
        local.refine(&mut obj, bounds, trial, &mut ft, work, left)?;
        trials += 1;
        since_adapt += 1;
        // The tracker holds the best point evaluated (a trial minimum, or any point on the
        // way to one).
        if obj.best_loss() < best_f {
            best_f = obj.best_loss();
            improvements += 1;
            stall = 0;
        }
        if metropolis(rng, ft - f, cfg.temperature) {
            copy(x, trial);
            f = ft;
            accepts += 1;
        }
        if cfg.adaptive == 1 && since_adapt >= cfg.interval {
            since_adapt = 0;
            let rate = T::from_usize(accepts) / T::from_usize(trials);
            step = if rate > cfg.target_accept {
                step / cfg.factor
            } else {
                step * cfg.factor
            };
            step = clip(step, T::MIN_POSITIVE_R, width);
        }
    };
    *state = HoppingState {
        step,
        trials,
        accepts,
        current_loss: f,
    };
    Ok(report(reason, best_f, &obj, hops, accepts, improvements))
}

/// Basin hopping in `N` dimensions with its state in fixed arrays.
///
/// ```
/// use lossmap::global::{BasinHopper, Bounds, Budget, HoppingConfig, ProjectedGradient};
/// use lossmap::testfn::Rastrigin;
/// use rand_core::SeedableRng;
/// let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
/// let cfg = HoppingConfig { budget: Budget { max_evals: 20_000, f_target: 1e-9, ..Budget::default() }, ..HoppingConfig::default() };
/// let mut hopper = BasinHopper::<f64, 2>::new(cfg).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(2);
/// let mut x = [4.1, -3.3];
/// let r = hopper.run(&mut Rastrigin, &mut ProjectedGradient::default(), &b, &mut rng, &mut x).unwrap();
/// assert!(r.best_loss < 1e-9 && x[0].abs() < 1e-5 && x[1].abs() < 1e-5, "{r:?}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BasinHopper<T, const N: usize> {
    /// Parameters.
    pub config: HoppingConfig<T>,
    /// Step size and counts of the last run.
    pub state: HoppingState<T>,
    /// The current (last accepted) minimum of the last run.
    pub current: [T; N],
    trial: [T; N],
    work: [[T; N]; LOCAL_WORK],
}

impl<T: Real, const N: usize> BasinHopper<T, N> {
    /// [`Error::InvalidParameter`] for a bad configuration, [`Error::Empty`] for `N = 0`.
    pub fn new(config: HoppingConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        if N == 0 {
            return Err(Error::Empty);
        }
        Ok(BasinHopper {
            config,
            state: HoppingState::default(),
            current: [T::ZERO; N],
            trial: [T::ZERO; N],
            work: [[T::ZERO; N]; LOCAL_WORK],
        })
    }

    /// Hops from `x` (in the box); on success `x` holds the best minimum found. See
    /// [`basin_hopping_slice`] for the errors; on error `x` is unchanged.
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
        let r = basin_hopping_slice(
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
