//! The stochastic driver: mini-batch training over caller-owned samples.
//!
//! Each epoch shuffles the sample indices (Fisher–Yates with any [`Rng`]; Knuth, *TAOCP*
//! vol. 2, Algorithm 3.4.2 P) and walks them in batches of `batch`, so every sample is drawn
//! exactly once per epoch — sampling without replacement, like torch's
//! `DataLoader(shuffle=True)`. The last, shorter batch of an epoch is kept (`drop_last = 0`) or
//! skipped (`drop_last = 1`). Each step evaluates the batch's mean loss and gradient at the
//! current point, asks the schedule for the rate and lets the optimizer step.
//!
//! A schedule that [`observes`](super::Schedule::observes) its steps (the
//! [`PiController`](super::PiController)) gets the [`StepObservation`] of each: the *same*
//! batch's mean loss at `x_t` and at `x_{t+1}`, which costs one more batch evaluation per step
//! (counted in `sample_evals`). The free alternative, the next batch's loss at `x_{t+1}`,
//! differs from the batch's loss at `x_t` by the sampling noise of the batch loss as well as by
//! the step's effect; near the optimum the noise dominates (on the noisy line fit of
//! tests/schedule_pi.rs, batches of 5 at γ = 0.5, the interquartile range of its fidelity ratio
//! is 3.5, against 0.09 for the same-batch ratio), so the schedule would steer by noise. That
//! difference is still useful in the mean: the PI controller averages it, from consecutive
//! observations at no extra cost, as its estimate of the gradient noise (see
//! [`PiController`](super::PiController); the derivation is in src/optim/schedule/mod.rs).
//!
//! The report gives the *effective temperature* `lr / batch` of the last step: the scale of the
//! gradient noise SGD injects (Jastrzębski et al., "Three factors influencing minima in SGD",
//! 2017; Smith & Le, 2018 — the seeds' "temperature" of a noisy descent). Runs with the same
//! ratio explore alike.
//!
//! Curriculum learning ([`minimize_curriculum`]): train first on the easy samples, then admit
//! the hard ones (Bengio, Louradour, Collobert & Weston, "Curriculum learning", ICML 2009;
//! the "baby steps" of Spitkovsky, Alshawi & Jurafsky, NAACL 2010). The caller scores each
//! sample's difficulty; epoch `t` shuffles and batches only the easiest `⌈c(t)·S⌉`, with the
//! fraction `c(t)` ramping from `c₀` to 1 by a [`Pacing`] function: linear or root-`p`
//! (Platanios et al., "Competence-based curriculum learning", NAACL 2019). Where the full
//! loss is rugged and the easy samples' loss is nearly convex, the early epochs find the right
//! basin and the later ones refine it (tests/curriculum.rs: fitting a frequency).
//!
//! Divergence guard: a non-finite batch loss or gradient stops the run with the parameters
//! rolled back to the point before the last step (the last point whose loss was finite).

use super::stop::StopReason;
use super::{Optimizer, ScheduleHook, StepObservation};
use crate::error::{check_finite, check_len, Error};
use crate::{diff, Real};
use rand_core::Rng;

/// A loss that is a mean over samples, evaluated on batches of sample indices.
pub trait BatchObjective<T: Real> {
    /// Mean loss of the samples `batch` (indices into the caller's data) at `x`.
    fn batch_value(&mut self, x: &[T], batch: &[usize]) -> T;
    /// Mean gradient of the samples `batch` at `x` into `g`; returns the number of
    /// [`batch_value`](Self::batch_value) calls it made (`x` is restored on return). The default
    /// uses central differences (2n calls).
    fn batch_gradient(
        &mut self,
        x: &mut [T],
        batch: &[usize],
        g: &mut [T],
    ) -> Result<usize, Error> {
        diff::central_gradient(&mut |p: &[T]| self.batch_value(p, batch), x, g)
    }
}

/// A [`BatchObjective`] from a per-sample loss `f(x, i)`: the batch loss is the mean over the
/// batch, its gradient by central differences.
///
/// ```
/// use lossmap::optim::{BatchObjective, PerSample};
/// let data = [1.0, 2.0, 3.0];
/// let mut obj = PerSample(|x: &[f64], i: usize| (x[0] - data[i]).powi(2));
/// assert_eq!(obj.batch_value(&[2.0], &[0, 2]), 1.0);
/// ```
pub struct PerSample<F>(pub F);

impl<T: Real, F: FnMut(&[T], usize) -> T> BatchObjective<T> for PerSample<F> {
    fn batch_value(&mut self, x: &[T], batch: &[usize]) -> T {
        mean(batch, |i| (self.0)(x, i))
    }
}

/// A [`BatchObjective`] from a per-sample loss `f(x, i)` and its analytic gradient
/// `g(x, i, out)` (writes ∇ℓᵢ(x) to `out`, returns `false` on failure): the batch gradient is
/// the mean of the sample gradients, accumulated in `scratch` (length n).
pub struct PerSampleWithGradient<'a, T, F, G> {
    /// Per-sample loss.
    pub loss: F,
    /// Per-sample gradient.
    pub grad: G,
    /// Scratch of `n` values for one sample gradient.
    pub scratch: &'a mut [T],
}

impl<T: Real, F, G> BatchObjective<T> for PerSampleWithGradient<'_, T, F, G>
where
    F: FnMut(&[T], usize) -> T,
    G: FnMut(&[T], usize, &mut [T]) -> bool,
{
    fn batch_value(&mut self, x: &[T], batch: &[usize]) -> T {
        mean(batch, |i| (self.loss)(x, i))
    }
    fn batch_gradient(
        &mut self,
        x: &mut [T],
        batch: &[usize],
        g: &mut [T],
    ) -> Result<usize, Error> {
        check_len(g.len(), x.len())?;
        check_len(self.scratch.len(), x.len())?;
        let k = T::from_usize(batch.len().max(1));
        g.iter_mut().for_each(|v| *v = T::ZERO);
        for &i in batch {
            if !(self.grad)(x, i, self.scratch) {
                return Err(Error::NonFiniteGradient);
            }
            g.iter_mut()
                .zip(self.scratch.iter())
                .for_each(|(a, &b)| *a += b / k);
        }
        Ok(0)
    }
}

/// Mean of `f(i)` over `batch` (0 for an empty batch): the plain `Σ/k`, or, when that sum
/// overflows, a running mean that cannot (finite values have a finite mean).
fn mean<T: Real>(batch: &[usize], mut f: impl FnMut(usize) -> T) -> T {
    let mut acc = Mean::default();
    batch.iter().for_each(|&i| acc.add(f(i), 1));
    acc.get()
}

/// A weighted mean that never overflows for finite values: the plain sum divided by the
/// weight (bit-identical to `Σ wᵢvᵢ / Σ wᵢ`) while that sum is finite, else the convex running
/// mean `m ← (1 − w/W)·m + (w/W)·v`, each term bounded by `max |v|`.
#[derive(Clone, Copy)]
struct Mean<T> {
    sum: T,
    running: T,
    weight: usize,
}

impl<T: Real> Default for Mean<T> {
    fn default() -> Self {
        Mean {
            sum: T::ZERO,
            running: T::ZERO,
            weight: 0,
        }
    }
}

impl<T: Real> Mean<T> {
    fn add(&mut self, v: T, w: usize) {
        self.sum += v * T::from_usize(w);
        self.weight = self.weight.saturating_add(w);
        let f = T::from_usize(w) / T::from_usize(self.weight.max(1));
        self.running = self.running * (T::ONE - f) + v * f;
    }
    fn get(&self) -> T {
        let plain = self.sum / T::from_usize(self.weight.max(1));
        if plain.is_finite() {
            plain
        } else {
            self.running
        }
    }
}

/// Settings of the stochastic driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct StochasticConfig {
    /// Samples per batch, from 1 to the number of samples.
    pub batch: usize,
    /// Epochs to run (> 0): passes over the data.
    pub epochs: usize,
    /// 1 skips the last, shorter batch of an epoch; 0 (torch's default) keeps it.
    pub drop_last: u8,
}

impl StochasticConfig {
    /// [`Error::Empty`] for no samples, [`Error::InvalidParameter`] for a zero batch, a batch
    /// larger than the data, zero epochs, a `drop_last` other than 0/1, or more than 2³² − 1
    /// samples (the shuffle draws 32-bit indices).
    pub fn validate(&self, samples: usize) -> Result<(), Error> {
        if samples == 0 {
            return Err(Error::Empty);
        }
        if self.batch == 0
            || self.batch > samples
            || self.epochs == 0
            || self.drop_last > 1
            || u32::try_from(samples).is_err()
        {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }
}

/// What the observer of a mini-batch run sees after each step.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct StochasticProgress<T> {
    /// Epoch of this step, from 0.
    pub epoch: usize,
    /// Steps taken so far (≥ 1).
    pub step: usize,
    /// Samples in this step's batch.
    pub batch: usize,
    /// Mean loss of the batch at the point before the step.
    pub batch_loss: T,
    /// Learning rate of this step.
    pub lr: T,
    /// `lr / batch` of this step.
    pub temperature: T,
    /// Samples this epoch draws its batches from: all of them, or a curriculum's easiest
    /// `⌈c(epoch)·S⌉`.
    pub active: usize,
}

/// The outcome of a stochastic run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StochasticReport<T> {
    /// [`StopReason::MaxEpochs`] or [`StopReason::Observer`].
    pub reason: StopReason,
    /// Epochs completed.
    pub epochs: usize,
    /// Optimizer steps taken.
    pub steps: usize,
    /// Per-sample loss evaluations, finite-difference ones included.
    pub sample_evals: usize,
    /// Mean batch loss over the last epoch that took a step (weighted by batch size).
    pub epoch_loss: T,
    /// Learning rate of the last step.
    pub lr: T,
    /// Effective temperature `lr / batch` of the last step.
    pub temperature: T,
    /// Active samples of the last epoch run (all samples without a [`Curriculum`]).
    pub active: usize,
    /// The [`Pacing`]'s fraction `c(t)` of the last epoch run (1 without a curriculum).
    pub fraction: T,
}

/// Shuffles `perm` in place (Fisher–Yates).
fn shuffle<R: Rng + ?Sized>(perm: &mut [usize], rng: &mut R) {
    for i in (1..perm.len()).rev() {
        let j = crate::random::below(rng, i + 1);
        if let Some((head, tail)) = perm.split_at_mut_checked(i) {
            if let (Some(a), Some(b)) = (head.get_mut(j), tail.first_mut()) {
                core::mem::swap(a, b);
            }
        }
    }
}

/// Swaps `v[i]` and `v[j]` (nothing for an index out of range).
fn swap_at(v: &mut [usize], i: usize, j: usize) {
    let (lo, hi) = (i.min(j), i.max(j));
    if let Some((head, tail)) = v.split_at_mut_checked(hi) {
        if let (Some(a), Some(b)) = (head.get_mut(lo), tail.first_mut()) {
            core::mem::swap(a, b);
        }
    }
}

/// A pacing function of a curriculum: the fraction `c(t)` of the samples, easiest first,
/// that epoch `t` (from 0) trains on — the *root-p competence* of Platanios et al.,
/// "Competence-based curriculum learning for neural machine translation" (NAACL 2019, §3.2):
///
/// `c(t) = min(1, (t·(1 − c₀ᵖ)/T + c₀ᵖ)^{1/p})`, with `c₀ = start`, `T = ramp_epochs`.
///
/// `p = 1` is their linear competence `min(1, c₀ + (1 − c₀)·t/T)` (computed as written, so
/// `c(0) = c₀` exactly); `p = 2`, their "sqrt" competence, admits samples quickly at first and
/// slowly at the end (each new sample then weighs less in the mean). `c(0) = c₀`, `c(t) = 1`
/// from `t = T` on; `ramp_epochs = 0` trains on all samples from the start. Both are
/// non-decreasing, so an epoch's active samples include the previous epoch's.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Pacing<T> {
    /// `c₀`, the initial fraction, in (0, 1].
    pub start: T,
    /// `T`, the epochs until all samples are active.
    pub ramp_epochs: usize,
    /// `p`, the root (finite, > 0): 1 linear, 2 square root.
    pub p: T,
}

impl<T: Real> Pacing<T> {
    /// The linear ramp from `start` to 1 over `ramp_epochs` epochs (`p = 1`).
    pub fn linear(start: T, ramp_epochs: usize) -> Self {
        Pacing {
            start,
            ramp_epochs,
            p: T::ONE,
        }
    }

    /// The root-`p` ramp from `start` to 1 over `ramp_epochs` epochs.
    pub fn root(start: T, ramp_epochs: usize, p: T) -> Self {
        Pacing {
            start,
            ramp_epochs,
            p,
        }
    }

    /// [`Error::InvalidParameter`] unless `start` is in (0, 1] and `p` is finite and > 0.
    pub fn validate(&self) -> Result<(), Error> {
        let start_ok = self.start > T::ZERO && self.start <= T::ONE;
        let p_ok = self.p.is_finite() && self.p > T::ZERO;
        if start_ok && p_ok {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// `c(epoch)` (for a valid pacing; in [`start`](Self::start), 1]).
    pub fn fraction(&self, epoch: usize) -> T {
        if epoch >= self.ramp_epochs {
            return T::ONE;
        }
        if epoch == 0 {
            return self.start;
        }
        let t = T::from_usize(epoch) / T::from_usize(self.ramp_epochs);
        let c = if self.p == T::ONE {
            self.start + (T::ONE - self.start) * t
        } else {
            let s = self.start.powf(self.p);
            (t * (T::ONE - s) + s).powf(T::ONE / self.p)
        };
        // Never below the start nor above 1, whatever the rounding.
        c.max(self.start).min(T::ONE)
    }

    /// The active samples of epoch `epoch` out of `samples`: `⌈c(epoch)·samples⌉`, at least 1
    /// and at most `samples` (0 for no samples).
    pub fn active(&self, epoch: usize, samples: usize) -> usize {
        if samples == 0 {
            return 0;
        }
        let v = self.fraction(epoch) * T::from_usize(samples);
        // ⌈v⌉ = −⌊−v⌋.
        let k = (-(-v).floor()).to_index();
        k.max(1).min(samples)
    }
}

/// A curriculum for [`minimize_curriculum_slice`]: a difficulty score per sample (lower is
/// easier) and the [`Pacing`] of the active fraction. Epoch `t` trains on the `⌈c(t)·S⌉`
/// easiest samples, ties broken by the lower index — a hard subset, as in Bengio et al.,
/// "Curriculum learning" (ICML 2009), and the "baby steps" of Spitkovsky, Alshawi & Jurafsky
/// (NAACL 2010), rather than per-sample weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curriculum<'a, T> {
    /// One finite score per sample, in sample order; lower trains first.
    pub scores: &'a [T],
    /// How the active fraction grows over the epochs.
    pub pacing: Pacing<T>,
}

impl<T: Real> Curriculum<'_, T> {
    /// [`Error::LengthMismatch`] unless there is one score per sample,
    /// [`Error::NonFiniteInput`] for a NaN/Inf score, [`Error::InvalidParameter`] for an
    /// invalid [`Pacing`].
    pub fn validate(&self, samples: usize) -> Result<(), Error> {
        check_len(self.scores.len(), samples)?;
        check_finite(self.scores)?;
        self.pacing.validate()
    }
}

/// `true` when sample `a` trains after sample `b`: a higher score, or the same and a higher
/// index (a strict total order, so the sort below has one result).
fn later<T: Real>(scores: &[T], a: usize, b: usize) -> bool {
    let (sa, sb) = (
        scores.get(a).copied().unwrap_or(T::MAX_R),
        scores.get(b).copied().unwrap_or(T::MAX_R),
    );
    sa > sb || (sa == sb && a > b)
}

/// The value at `i` (0 out of range, never reached).
fn at_index(v: &[usize], i: usize) -> usize {
    v.get(i).copied().unwrap_or(0)
}

/// Restores the max-heap (by [`later`]) of `perm[..end]` below `root`.
fn sift_down<T: Real>(perm: &mut [usize], scores: &[T], mut root: usize, end: usize) {
    loop {
        let child = root.saturating_mul(2).saturating_add(1);
        if child >= end {
            return;
        }
        let mut big = child;
        let right = child.saturating_add(1);
        if right < end && later(scores, at_index(perm, right), at_index(perm, child)) {
            big = right;
        }
        if !later(scores, at_index(perm, big), at_index(perm, root)) {
            return;
        }
        swap_at(perm, root, big);
        root = big;
    }
}

/// Sorts `perm` easiest first (by score, then index): heapsort, in place, `O(S log S)`
/// (Williams 1964; Knuth, *TAOCP* vol. 3, Algorithm 5.2.3 H).
fn sort_by_score<T: Real>(perm: &mut [usize], scores: &[T]) {
    let n = perm.len();
    for root in (0..n / 2).rev() {
        sift_down(perm, scores, root, n);
    }
    for end in (1..n).rev() {
        swap_at(perm, 0, end);
        sift_down(perm, scores, 0, end);
    }
}

/// An observer of [`minimize_stochastic_slice`]: `false` stops the run.
pub type StochasticObserver<'a, T> = Option<&'a mut dyn FnMut(&StochasticProgress<T>) -> bool>;

/// The kernel of [`minimize_stochastic_slice`] and [`minimize_curriculum_slice`]: every
/// sample each epoch without a curriculum, the easiest `⌈c(t)·S⌉` with one.
#[allow(clippy::too_many_arguments)]
fn train<T, O, P, R>(
    obj: &mut O,
    opt: &mut P,
    x: &mut [T],
    perm: &mut [usize],
    prev: &mut [T],
    grad: &mut [T],
    config: &StochasticConfig,
    curriculum: Option<&Curriculum<'_, T>>,
    rng: &mut R,
    mut schedule: ScheduleHook<'_, T>,
    mut observer: StochasticObserver<'_, T>,
) -> Result<StochasticReport<T>, Error>
where
    T: Real,
    O: BatchObjective<T> + ?Sized,
    P: Optimizer<T> + ?Sized,
    R: Rng + ?Sized,
{
    let n = x.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    check_len(prev.len(), n)?;
    check_len(grad.len(), n)?;
    config.validate(perm.len())?;
    if let Some(c) = curriculum {
        c.validate(perm.len())?;
    }
    check_finite(x)?;
    // The optimizer too, before the generator is drawn from or `perm` written.
    opt.validate()?;
    perm.iter_mut().enumerate().for_each(|(i, p)| *p = i);
    if let Some(c) = curriculum {
        // Easiest first; each epoch shuffles a prefix, which keeps the prefix's set (the
        // easiest `k`) while the rest stays sorted, so that a longer prefix next epoch is the
        // easiest `k' ≥ k`.
        sort_by_score(perm, c.scores);
    }
    let samples = perm.len();
    prev.iter_mut().zip(x.iter()).for_each(|(p, &v)| *p = v);

    let fail = |x: &mut [T], prev: &[T], e: Error| {
        x.iter_mut().zip(prev).for_each(|(a, &b)| *a = b);
        Err(e)
    };
    let mut report = StochasticReport {
        reason: StopReason::MaxEpochs,
        epochs: 0,
        steps: 0,
        sample_evals: 0,
        epoch_loss: T::ZERO,
        lr: opt.lr(),
        temperature: opt.lr() / T::from_usize(config.batch),
        // Set at the start of every epoch (there is at least one).
        active: 0,
        fraction: T::ONE,
    };
    let (mut torch_order, mut last_batch_loss) = (false, T::ZERO);
    'epochs: for epoch in 0..config.epochs {
        let (fraction, active) = match curriculum {
            // Never fewer than the epoch before (the pacing is non-decreasing; this guards
            // the rounding).
            Some(c) => (
                c.pacing.fraction(epoch),
                c.pacing.active(epoch, samples).max(report.active),
            ),
            None => (T::ONE, samples),
        };
        (report.active, report.fraction) = (active, fraction);
        let pool = match perm.get_mut(..active) {
            Some(p) => p,
            None => &mut [],
        };
        shuffle(pool, rng);
        let mut epoch_mean = Mean::default();
        for batch in pool.chunks(config.batch.max(1)) {
            if config.drop_last == 1 && batch.len() < config.batch {
                break;
            }
            let b = batch.len();
            let loss = obj.batch_value(x, batch);
            report.sample_evals = report.sample_evals.saturating_add(b);
            if !loss.is_finite() {
                return fail(x, prev, Error::NonFiniteLoss);
            }
            match obj.batch_gradient(x, batch, grad) {
                Ok(calls) => {
                    report.sample_evals =
                        report.sample_evals.saturating_add(calls.saturating_mul(b))
                }
                Err(Error::NonFiniteLoss) => return fail(x, prev, Error::NonFiniteLoss),
                Err(_) => return fail(x, prev, Error::NonFiniteGradient),
            }
            if check_finite(grad).is_err() {
                return fail(x, prev, Error::NonFiniteGradient);
            }
            if let Some(s) = schedule.as_deref_mut() {
                // torch's order for feedback schedules (see `Schedule`): the first step uses the
                // initial rate, step t + 1 the rate decided from the batch loss of step t.
                let first = if report.steps == 0 {
                    s.initial_lr()
                } else {
                    None
                };
                let lr = match first {
                    Some(r) => {
                        torch_order = true;
                        r?
                    }
                    None if torch_order => s.lr(report.steps, last_batch_loss)?,
                    None => s.lr(report.steps, loss)?,
                };
                if let Some(m) = s.momentum(report.steps) {
                    opt.set_momentum(m?)?;
                }
                opt.set_lr(lr)?;
            }
            last_batch_loss = loss;
            // Remember the point whose loss was finite, then step from it.
            prev.iter_mut().zip(x.iter()).for_each(|(p, &v)| *p = v);
            opt.step(x, grad)?;
            if let Some(s) = schedule.as_deref_mut().filter(|s| s.observes()) {
                // The same batch at the new point: one more batch evaluation, so that the
                // observed decrease is the step's and not the difference between two batches.
                let after = obj.batch_value(x, batch);
                report.sample_evals = report.sample_evals.saturating_add(b);
                if !after.is_finite() {
                    return fail(x, prev, Error::NonFiniteLoss);
                }
                let o = StepObservation::from_step(report.steps, loss, after, grad, prev, x);
                s.observe(&o)?;
            }
            report.steps += 1;
            report.lr = opt.lr();
            report.temperature = report.lr / T::from_usize(b);
            epoch_mean.add(loss, b);
            if let Some(f) = observer.as_deref_mut() {
                let p = StochasticProgress {
                    epoch,
                    step: report.steps,
                    batch: b,
                    batch_loss: loss,
                    lr: report.lr,
                    temperature: report.temperature,
                    active,
                };
                if !f(&p) {
                    report.reason = StopReason::Observer;
                    report.epoch_loss = epoch_mean.get();
                    break 'epochs;
                }
            }
        }
        if epoch_mean.weight > 0 {
            report.epoch_loss = epoch_mean.get();
        }
        report.epochs = epoch + 1;
    }
    Ok(report)
}

/// Mini-batch training over slices: the kernel behind [`minimize_stochastic`] and the C ABI.
///
/// `perm` (one entry per sample; its length is the number of samples) is overwritten with the
/// sample order; `prev` and `grad` (length n) are scratch. Bad input (sizes, NaN/Inf in `x`,
/// an invalid [`StochasticConfig`], hyperparameters the optimizer's
/// [`validate`](Optimizer::validate) refuses) returns an error with `x`, `perm`, the optimizer
/// and the generator untouched (nothing drawn). A non-finite batch loss
/// or gradient rolls `x` back to the point before the last step and returns
/// [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`]; the optimizer's state and the
/// generator have moved on by then.
#[allow(clippy::too_many_arguments)]
pub fn minimize_stochastic_slice<T, O, P, R>(
    obj: &mut O,
    opt: &mut P,
    x: &mut [T],
    perm: &mut [usize],
    prev: &mut [T],
    grad: &mut [T],
    config: &StochasticConfig,
    rng: &mut R,
    schedule: ScheduleHook<'_, T>,
    observer: StochasticObserver<'_, T>,
) -> Result<StochasticReport<T>, Error>
where
    T: Real,
    O: BatchObjective<T> + ?Sized,
    P: Optimizer<T> + ?Sized,
    R: Rng + ?Sized,
{
    train(
        obj, opt, x, perm, prev, grad, config, None, rng, schedule, observer,
    )
}

/// Curriculum training over slices: [`minimize_stochastic_slice`] where epoch `t` draws its
/// batches from the easiest `⌈c(t)·S⌉` samples of `curriculum` only (see [`Curriculum`],
/// [`Pacing`]): they are shuffled, walked in batches of `config.batch` (the last one shorter,
/// or skipped with `drop_last`; an epoch with fewer active samples than a batch then takes no
/// step), and the observer's [`active`](StochasticProgress::active) and the report's
/// [`active`](StochasticReport::active) / [`fraction`](StochasticReport::fraction) give the
/// count and the fraction. `config.epochs` counts these shorter epochs too, so a curriculum
/// run evaluates fewer samples than a plain one of the same epochs (compare runs by
/// [`sample_evals`](StochasticReport::sample_evals)). With all samples active from the
/// first epoch (`start = 1` or `ramp_epochs = 0`) the run is the plain one on the samples
/// sorted by score.
///
/// `perm` holds the sample order (sorted by score, then each epoch's shuffled prefix). Bad
/// input as in [`minimize_stochastic_slice`], plus a score count other than the samples', a
/// NaN/Inf score or an invalid pacing, returns an error with nothing touched.
#[allow(clippy::too_many_arguments)]
pub fn minimize_curriculum_slice<T, O, P, R>(
    obj: &mut O,
    opt: &mut P,
    x: &mut [T],
    perm: &mut [usize],
    prev: &mut [T],
    grad: &mut [T],
    config: &StochasticConfig,
    curriculum: &Curriculum<'_, T>,
    rng: &mut R,
    schedule: ScheduleHook<'_, T>,
    observer: StochasticObserver<'_, T>,
) -> Result<StochasticReport<T>, Error>
where
    T: Real,
    O: BatchObjective<T> + ?Sized,
    P: Optimizer<T> + ?Sized,
    R: Rng + ?Sized,
{
    train(
        obj,
        opt,
        x,
        perm,
        prev,
        grad,
        config,
        Some(curriculum),
        rng,
        schedule,
        observer,
    )
}

/// Curriculum training of `x` on `S` samples (see [`minimize_curriculum_slice`]).
///
/// ```
/// use lossmap::optim::{
///     minimize_curriculum, Curriculum, Pacing, PerSample, Sgd, SgdConfig, StochasticConfig,
/// };
/// use rand_core::SeedableRng;
/// // The mean of eight numbers, the ones nearest 0 first: a linear ramp from a quarter of
/// // the samples to all of them over four epochs.
/// let data = [1.0, -2.0, 3.0, 6.0, 0.5, -1.0, 4.0, 2.5];
/// let scores = data.map(|d: f64| d.abs());
/// let pacing = Pacing::linear(0.25, 4);
/// // c(t) = 0.25, 0.4375, 0.625, 0.8125, then 1: ⌈c·8⌉ = 2, 4, 5, 7, 8 samples.
/// assert_eq!([0, 1, 2, 3, 4].map(|t| pacing.active(t, 8)), [2, 4, 5, 7, 8]);
/// let curriculum = Curriculum { scores: &scores, pacing };
/// let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - data[i]).powi(2));
/// let mut sgd = Sgd::<f64, 1>::new(SgdConfig { lr: 0.05, ..SgdConfig::default() }).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let mut x = [0.0];
/// let cfg = StochasticConfig { batch: 2, epochs: 100, drop_last: 0 };
/// let mut first = [0usize; 5];
/// let mut watch = |p: &lossmap::optim::StochasticProgress<f64>| {
///     if let Some(a) = first.get_mut(p.epoch) { *a = p.active; }
///     true
/// };
/// let r = minimize_curriculum(
///     &mut obj, &mut x, &mut sgd, &mut [0usize; 8], &cfg, &curriculum, &mut rng, None,
///     Some(&mut watch),
/// )
/// .unwrap();
/// assert_eq!(first, [2, 4, 5, 7, 8]);
/// assert_eq!((r.active, r.fraction), (8, 1.0));
/// // 2 + 4 + 5 + 7 + 96·8 samples, each with central differences (1 + 2 evaluations).
/// assert_eq!(r.sample_evals, 3 * (18 + 96 * 8));
/// assert!((x[0] - 1.75).abs() < 0.3); // hovers around the mean of all eight
/// ```
#[allow(clippy::too_many_arguments)]
pub fn minimize_curriculum<T, O, P, R, const N: usize, const S: usize>(
    obj: &mut O,
    x: &mut [T; N],
    opt: &mut P,
    perm: &mut [usize; S],
    config: &StochasticConfig,
    curriculum: &Curriculum<'_, T>,
    rng: &mut R,
    schedule: ScheduleHook<'_, T>,
    observer: StochasticObserver<'_, T>,
) -> Result<StochasticReport<T>, Error>
where
    T: Real,
    O: BatchObjective<T> + ?Sized,
    P: Optimizer<T> + ?Sized,
    R: Rng + ?Sized,
{
    let mut prev = [T::ZERO; N];
    let mut grad = [T::ZERO; N];
    minimize_curriculum_slice(
        obj, opt, x, perm, &mut prev, &mut grad, config, curriculum, rng, schedule, observer,
    )
}

/// Mini-batch training of `x` on `S` samples (see [`minimize_stochastic_slice`]).
///
/// ```
/// use lossmap::optim::{minimize_stochastic, PerSample, Sgd, SgdConfig, StochasticConfig};
/// use rand_core::SeedableRng;
/// // Fit the mean of four numbers by SGD on batches of two.
/// let data = [1.0, 2.0, 3.0, 6.0];
/// let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - data[i]).powi(2));
/// let mut sgd = Sgd::<f64, 1>::new(SgdConfig { lr: 0.1, ..SgdConfig::default() }).unwrap();
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let mut x = [0.0];
/// let cfg = StochasticConfig { batch: 2, epochs: 200, drop_last: 0 };
/// let r = minimize_stochastic(&mut obj, &mut x, &mut sgd, &mut [0usize; 4], &cfg, &mut rng, None, None).unwrap();
/// assert_eq!((r.epochs, r.steps), (200, 400));
/// assert!((x[0] - 3.0).abs() < 0.3);          // noisy: hovers around the mean
/// assert!((r.temperature - 0.05).abs() < 1e-15); // lr / batch
/// ```
#[allow(clippy::too_many_arguments)]
pub fn minimize_stochastic<T, O, P, R, const N: usize, const S: usize>(
    obj: &mut O,
    x: &mut [T; N],
    opt: &mut P,
    perm: &mut [usize; S],
    config: &StochasticConfig,
    rng: &mut R,
    schedule: ScheduleHook<'_, T>,
    observer: StochasticObserver<'_, T>,
) -> Result<StochasticReport<T>, Error>
where
    T: Real,
    O: BatchObjective<T> + ?Sized,
    P: Optimizer<T> + ?Sized,
    R: Rng + ?Sized,
{
    let mut prev = [T::ZERO; N];
    let mut grad = [T::ZERO; N];
    minimize_stochastic_slice(
        obj, opt, x, perm, &mut prev, &mut grad, config, rng, schedule, observer,
    )
}
