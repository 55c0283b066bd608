//! Properties of an [`Optimizer`], each a function returning `Result<_, PropertyFailure>` (which
//! converts into proptest's `TestCaseError` with `?`), and [`check_optimizer`], which runs the
//! standard set under a proptest `TestRunner` and returns the shrunk counter-example as a value.

use core::fmt;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestError, TestRunner};

use super::landscapes::{
    quadratic, rotation, Landscape, LeastSquaresLandscape, QuadraticLandscape, QuadraticSpec,
};
use crate::optim::{minimize_stochastic_slice, StochasticConfig};
use crate::optim::{ConstantLr, Optimizer, Schedule, StepObservation};
use crate::random::SplitMix64;
use crate::{Objective, Real};

/// A property that does not hold: which one and why, in words (with the numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyFailure {
    /// The property's name (the function's).
    pub property: &'static str,
    /// What went wrong.
    pub message: String,
}

impl PropertyFailure {
    fn new(property: &'static str, message: String) -> Self {
        PropertyFailure { property, message }
    }
}

impl fmt::Display for PropertyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.message)
    }
}

impl std::error::Error for PropertyFailure {}

// proptest converts any `std::error::Error` into a `TestCaseError::Fail` with its `Display`.

fn norm<T: Real>(v: &[T]) -> f64 {
    v.iter()
        .map(|a| a.to_f64() * a.to_f64())
        .sum::<f64>()
        .sqrt()
}

fn dist<T: Real>(a: &[T], b: &[T]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (p.to_f64() - q.to_f64()).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// How the loss must fall along a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Monotone {
    /// `F(x_{t+1}) ≤ F(x_t)` at every step, up to `4ε (|F(x_t)| + |f*|)`: gradient descent with
    /// a rate ≤ 1/L (Nesterov, *Lectures on Convex Optimization*, 2nd ed., 2018, eq. 2.1.9).
    EveryStep,
    /// Monotone in expectation: the mean excess loss `F − F*` over consecutive windows of this
    /// many steps never increases from one window to the next, until a window's mean is at most
    /// `½ μ δ²` (the excess loss at distance δ). For momentum and adaptive methods, which are
    /// not monotone step by step.
    Windows(usize),
    /// Not checked.
    Off,
}

/// What [`converges`] asks of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Convergence {
    /// The run must end within `δ = tol · (1 + ‖x*‖)` of the minimizer.
    pub tol: f64,
    /// Steps allowed.
    pub budget: usize,
    /// How the loss must fall.
    pub monotone: Monotone,
    /// An L2 weight decay `d` the optimizer applies itself: the target is then the minimizer
    /// of `F = f + ½ d ‖x‖²` (the optimizer still sees `∇f` only), `(A + dI)⁻¹ A x*` from the
    /// landscape's Hessian `A` (constant for the quadratic and least-squares landscapes). 0 for
    /// none.
    pub decay: f64,
}

impl Default for Convergence {
    /// `tol = 1e-4`, 20 000 steps, [`Monotone::Off`], no decay. The budget is what gradient
    /// descent at `lr = 1/L` needs on [`QuadraticSpec::default`] landscapes: the slowest
    /// component of `x − x*` shrinks by `1 − 1/κ` per step, so `κ ln(‖x₀ − x*‖/δ)` steps
    /// suffice, ≤ 1e3 · ln(10√N / 1e-4) ≈ 12 700 for N ≤ 10.
    fn default() -> Self {
        Convergence {
            tol: 1e-4,
            budget: 20_000,
            monotone: Monotone::Off,
            decay: 0.0,
        }
    }
}

/// A run of [`converges`]: where it ended and the loss `F` at every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace<T, const N: usize> {
    /// The last point.
    pub x: [T; N],
    /// `F` at the start and after every step.
    pub losses: Vec<T>,
    /// Steps taken.
    pub steps: usize,
    /// The minimizer aimed at.
    pub target: [T; N],
    /// `F` there.
    pub target_loss: T,
    /// The landscape's `f*`.
    pub min_value: T,
    /// The tolerance δ.
    pub delta: f64,
    /// `μ + d`, the strong convexity of `F`.
    pub mu: f64,
}

/// Runs `opt` from the landscape's start until `‖∇F(x)‖ ≤ μδ` (which implies
/// `‖x − x*‖ ≤ δ`, `F` being `μ`-strongly convex), then checks the distance and
/// [`spec.monotone`](Convergence::monotone) ([`monotone`]).
///
/// The loop is the one of [`minimize_with`](crate::optim::minimize_with): gradient at `x`
/// (which the optimizer sees: `∇f`, without the decay), the `schedule`'s rate (in torch's order:
/// [`Schedule::initial_lr`] at step 0 if it has one, else `lr(t, f(x))`) and momentum, the
/// step, and for a schedule that [`observes`](Schedule::observes) the step's
/// [`StepObservation`] on `F = f + ½d‖x‖²`. Fails when a step or a gradient fails, or after `budget` steps.
pub fn converges<T, const N: usize, L, O>(
    landscape: &L,
    opt: &mut O,
    mut schedule: Option<&mut dyn Schedule<T>>,
    spec: &Convergence,
) -> Result<Trace<T, N>, PropertyFailure>
where
    T: Real,
    L: Landscape<T, N>,
    O: Optimizer<T> + ?Sized,
{
    const P: &str = "converges";
    let fail = |m: String| PropertyFailure::new(P, m);
    let mut f = landscape.clone();
    let d = T::from_f64(spec.decay);
    let target = if spec.decay == 0.0 {
        landscape.minimizer()
    } else {
        decayed_minimizer(landscape, spec.decay).ok_or_else(|| {
            fail("the minimizer with decay needs the landscape's (constant) Hessian".to_string())
        })?
    };
    let mu = landscape.strong_convexity().to_f64() + spec.decay;
    let delta = spec.tol * (1.0 + norm(&target));
    // (f(x), F(x)).
    let big_f = |f: &mut L, x: &[T; N]| -> (T, T) {
        let sq = x.iter().fold(T::ZERO, |s, &v| s + v * v);
        let fx = f.value(x);
        (fx, fx + T::HALF * d * sq)
    };
    let target_loss = big_f(&mut f, &target).1;
    let mut x = landscape.start();
    let mut g = [T::ZERO; N];
    let mut losses = Vec::with_capacity(spec.budget.min(1 << 16) + 1);
    let (mut fx, big) = big_f(&mut f, &x);
    losses.push(big);
    let mut steps = 0usize;
    let (decay, tol_g) = (spec.decay, mu * delta);
    loop {
        f.gradient(&x, &mut g)
            .map_err(|e| fail(format!("gradient at step {steps} failed: {e}, x = {x:?}")))?;
        let grad_norm = g
            .iter()
            .zip(&x)
            .map(|(&gi, &xi)| (gi.to_f64() + decay * xi.to_f64()).powi(2))
            .sum::<f64>()
            .sqrt();
        if grad_norm <= tol_g {
            break;
        }
        if steps >= spec.budget {
            return Err(fail(format!(
                "not converged in {} steps: ‖x − x*‖ = {:e} (δ = {:e}), κ = {:e}, x = {:?}",
                spec.budget,
                dist(&x, &target),
                delta,
                landscape.smoothness().to_f64() / landscape.strong_convexity().to_f64(),
                x
            )));
        }
        if let Some(s) = schedule.as_deref_mut() {
            let first = if steps == 0 { s.initial_lr() } else { None };
            let lr = match first {
                Some(r) => r,
                None => s.lr(steps, fx),
            }
            .map_err(|e| fail(format!("schedule failed at step {steps}: {e}")))?;
            if let Some(m) = s.momentum(steps) {
                m.and_then(|m| opt.set_momentum(m))
                    .map_err(|e| fail(format!("set_momentum at step {steps}: {e}")))?;
            }
            opt.set_lr(lr)
                .map_err(|e| fail(format!("set_lr({lr:?}) at step {steps}: {e}")))?;
        }
        let before = x;
        opt.step(&mut x, &g)
            .map_err(|e| fail(format!("step {steps} failed: {e}, x = {x:?}, g = {g:?}")))?;
        let (a, b) = big_f(&mut f, &x);
        if let Some(s) = schedule.as_deref_mut().filter(|s| s.observes()) {
            // The step on F = f + ½d‖x‖², whose gradient is ∇f + d·x.
            let mut full = g;
            full.iter_mut()
                .zip(&before)
                .for_each(|(v, &xi)| *v += d * xi);
            let prev = losses.last().copied().unwrap_or(b);
            let o = StepObservation::from_step(steps, prev, b, &full, &before, &x);
            s.observe(&o)
                .map_err(|e| fail(format!("observe at step {steps}: {e}")))?;
        }
        steps += 1;
        fx = a;
        losses.push(b);
    }
    let dd = dist(&x, &target);
    if dd > delta {
        return Err(fail(format!("‖x − x*‖ = {dd:e} > δ = {delta:e}")));
    }
    let trace = Trace {
        x,
        losses,
        steps,
        target,
        target_loss,
        min_value: landscape.min_value(),
        delta,
        mu,
    };
    monotone(&trace, spec.monotone)?;
    Ok(trace)
}

/// The minimizer of `f + ½ d‖x‖²` for a quadratic landscape, from its Hessian `A` and
/// minimizer `x*`: `(A + dI)⁻¹ A x*`, by the crate's Cholesky solve.
fn decayed_minimizer<T: Real, const N: usize, L: Landscape<T, N>>(
    land: &L,
    d: f64,
) -> Option<[T; N]> {
    let mut l = land.clone();
    let c = land.minimizer();
    let mut h = [[T::ZERO; N]; N];
    l.hessian(&c, &mut h).ok()?;
    let h64 = h.map(|r| r.map(T::to_f64));
    let c64 = c.map(T::to_f64);
    let rhs: [f64; N] = core::array::from_fn(|i| h64[i].iter().zip(&c64).map(|(a, b)| a * b).sum());
    let mut shifted = h64;
    for (i, row) in shifted.iter_mut().enumerate() {
        row[i] += d;
    }
    let sol = crate::linalg::cholesky_solve_n(&shifted, &rhs).ok()?;
    Some(sol.map(T::from_f64))
}

/// Checks a [`Trace`] against a [`Monotone`] rule.
pub fn monotone<T: Real, const N: usize>(
    trace: &Trace<T, N>,
    rule: Monotone,
) -> Result<(), PropertyFailure> {
    const P: &str = "monotone";
    let losses: Vec<f64> = trace.losses.iter().map(|v| v.to_f64()).collect();
    let f_star = trace.target_loss.to_f64();
    let gap: Vec<f64> = losses.iter().map(|l| l - f_star).collect();
    let eps = T::EPSILON_R.to_f64();
    match rule {
        Monotone::Off => {}
        Monotone::EveryStep => {
            for (k, w) in gap.windows(2).enumerate() {
                let slack = 4.0 * eps * (losses[k].abs() + trace.min_value.to_f64().abs());
                if w[1] > w[0] + slack {
                    return Err(PropertyFailure::new(
                        P,
                        format!("step {}: loss went up {:e} → {:e}", k + 1, w[0], w[1]),
                    ));
                }
            }
        }
        Monotone::Windows(w) => {
            let w = w.max(1);
            let floor = 0.5 * trace.mu * trace.delta * trace.delta;
            let means: Vec<f64> = gap
                .get(1..)
                .unwrap_or(&[])
                .chunks_exact(w)
                .map(|c| c.iter().sum::<f64>() / w as f64)
                .collect();
            for k in 1..means.len() {
                if means[k - 1] <= floor {
                    break;
                }
                if means[k] > means[k - 1] {
                    return Err(PropertyFailure::new(
                        P,
                        format!(
                            "window {k} mean {:e} > window {} mean {:e} (windows of {w} steps)",
                            means[k],
                            k - 1,
                            means[k - 1]
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What [`stochastic_descends`] asks of mini-batch runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StochasticDescent {
    /// Samples per batch (`drop_last = 0`).
    pub batch: usize,
    /// Epochs per run.
    pub epochs: usize,
    /// Runs (seeds `seed, seed + 1, …` of [`SplitMix64`]) whose losses are averaged.
    pub runs: u64,
    /// The first seed.
    pub seed: u64,
}

/// Monotone in expectation for mini-batch training on a least-squares landscape: `runs` runs of
/// [`minimize_stochastic_slice`] from the start, each with a fresh `factory(landscape)`
/// optimizer and its own seed; the mean over runs of the excess loss `f(x) − f*` after each
/// epoch must not increase from one epoch to the next until it is at most `plateau` (the
/// noise floor the caller derives for the optimizer's rate and batch), and must reach
/// `plateau` by the last epoch. Returns the mean excess loss after each epoch (index 0: the
/// start).
pub fn stochastic_descends<T, const N: usize, O, F>(
    landscape: &LeastSquaresLandscape<T, N>,
    factory: F,
    spec: &StochasticDescent,
    plateau: f64,
) -> Result<Vec<f64>, PropertyFailure>
where
    T: Real,
    O: Optimizer<T>,
    F: Fn(&LeastSquaresLandscape<T, N>) -> O,
{
    const P: &str = "stochastic_descends";
    let fail = |m: String| PropertyFailure::new(P, m);
    let mut land = landscape.clone();
    let f_star = landscape.min_value.to_f64();
    let runs = spec.runs.max(1);
    let mut mean = std::vec![0.0f64; spec.epochs + 1];
    let config = StochasticConfig {
        batch: spec.batch,
        epochs: 1,
        drop_last: 0,
    };
    let mut perm = std::vec![0usize; land.samples()];
    let (mut prev, mut grad) = ([T::ZERO; N], [T::ZERO; N]);
    for run in 0..runs {
        let mut opt = factory(landscape);
        let mut rng = SplitMix64::new(spec.seed.wrapping_add(run));
        let mut x = landscape.start();
        mean[0] += (land.value(&x).to_f64() - f_star) / runs as f64;
        for (e, slot) in mean.iter_mut().enumerate().skip(1) {
            minimize_stochastic_slice(
                &mut land, &mut opt, &mut x, &mut perm, &mut prev, &mut grad, &config, &mut rng,
                None, None,
            )
            .map_err(|err| fail(format!("run {run}, epoch {e}: {err}, x = {x:?}")))?;
            *slot += (land.value(&x).to_f64() - f_star) / runs as f64;
        }
    }
    for e in 1..mean.len() {
        if mean[e - 1] <= plateau {
            break;
        }
        if mean[e] > mean[e - 1] {
            return Err(fail(format!(
                "mean excess loss over {runs} runs went up after epoch {e}: {:e} → {:e} \
                 (plateau {plateau:e})",
                mean[e - 1],
                mean[e]
            )));
        }
    }
    let last = mean.last().copied().unwrap_or(f64::INFINITY);
    if last.is_nan() || last > plateau {
        return Err(fail(format!(
            "mean excess loss {last:e} after {} epochs is above the plateau {plateau:e}",
            spec.epochs
        )));
    }
    Ok(mean)
}

/// One step on arbitrary `(x, g)`: either `Ok` with every `x` finite, or an error with `x`
/// bit-for-bit unchanged (what [`Optimizer::step`] promises). Returns whether the step was
/// taken.
pub fn step_is_finite_or_refused<T: Real, O: Optimizer<T> + ?Sized>(
    opt: &mut O,
    x: &mut [T],
    g: &[T],
) -> Result<bool, PropertyFailure> {
    const P: &str = "step_is_finite_or_refused";
    let before: Vec<T> = x.to_vec();
    match opt.step(x, g) {
        Ok(()) => {
            if x.iter().all(|v| v.is_finite()) {
                Ok(true)
            } else {
                Err(PropertyFailure::new(
                    P,
                    format!("step from x = {before:?} with g = {g:?} wrote x = {x:?}"),
                ))
            }
        }
        Err(e) => {
            let same = x
                .iter()
                .zip(&before)
                .all(|(a, b)| a.to_f64().to_bits() == b.to_f64().to_bits());
            if same {
                Ok(false)
            } else {
                Err(PropertyFailure::new(
                    P,
                    format!("{e:?} but x changed: {before:?} → {x:?} (g = {g:?})"),
                ))
            }
        }
    }
}

/// [`step_is_finite_or_refused`], and after an error the optimizer's whole state unchanged too
/// (compared through `Debug`, so that a NaN written into a moment shows).
pub fn step_is_finite_or_refused_exactly<T: Real, O: Optimizer<T> + fmt::Debug + ?Sized>(
    opt: &mut O,
    x: &mut [T],
    g: &[T],
) -> Result<bool, PropertyFailure> {
    let state = format!("{opt:?}");
    let taken = step_is_finite_or_refused(opt, x, g).map_err(|mut f| {
        f.message = format!("{state}\n{}", f.message);
        f
    })?;
    let now = format!("{opt:?}");
    if !taken && now != state {
        return Err(PropertyFailure::new(
            "step_is_finite_or_refused_exactly",
            format!("refused the step but the state changed:\n{state}\n{now}"),
        ));
    }
    Ok(taken)
}

/// A gradient (or parameter) entry for the finiteness properties: ordinary (`[−10, 10]`, 4 in
/// 9), uniform in `[−huge, huge]`, near `√MAX` (`±10⁻⁴√MAX`, `±0.75√MAX`: squares just
/// representable), `±huge`, tiny (`±MIN_POSITIVE`, subnormal `±2⁻²⁰·MIN_POSITIVE`, `±0`),
/// NaN/±∞ (1 in 9 each).
pub fn adversarial_entry<T: Real>(huge: T) -> impl Strategy<Value = T> + Clone {
    let h = huge.to_f64().abs();
    let root = T::MAX_R.to_f64().sqrt();
    let tiny = T::MIN_POSITIVE_R.to_f64();
    let pm = |v: f64| prop_oneof![Just(v), Just(-v)];
    prop_oneof![
        4 => -10.0f64..10.0,
        1 => -h..h,
        1 => prop_oneof![pm(root * 1e-4), pm(root * 0.75)],
        1 => pm(h),
        1 => prop_oneof![pm(tiny), pm(tiny * (-20.0f64).exp2()), pm(0.0)],
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
    ]
    .prop_map(T::from_f64)
}

/// Sequences of adversarial gradients of `len` steps: independent [`adversarial_entry`]
/// vectors, or one such vector with alternating sign (`g, −g, g, …`: the oscillation that
/// drives momentum and adaptive moments to their extremes).
pub fn adversarial_gradients<T: Real, const N: usize>(
    huge: T,
    len: core::ops::Range<usize>,
) -> impl Strategy<Value = Vec<[T; N]>> {
    let one = proptest::array::uniform::<_, N>(adversarial_entry(huge));
    prop_oneof![
        proptest::collection::vec(one.clone(), len.clone()),
        (one, len).prop_map(|(g, n)| {
            (0..n.max(1))
                .map(|k| if k % 2 == 0 { g } else { g.map(|v| -v) })
                .collect()
        }),
    ]
}

/// Steps along `gradients` from `x`, each [`step_is_finite_or_refused`].
pub fn finite_under<T: Real, O: Optimizer<T> + ?Sized>(
    opt: &mut O,
    x: &mut [T],
    gradients: &[impl AsRef<[T]>],
) -> Result<(), PropertyFailure> {
    for g in gradients {
        step_is_finite_or_refused(opt, x, g.as_ref())?;
    }
    Ok(())
}

/// Rotation invariance: `steps` steps of `factory(landscape)` from `x₀` on `f`, and of
/// `factory(rotated)` from `R x₀` on `f_R(y) = f(Rᵀy)`, must satisfy
/// `‖R xₜ − yₜ‖ ≤ tol · (1 + ‖xₜ‖)` at every step.
///
/// Holds for updates that are linear in the gradient with scalar coefficients: SGD, heavy-ball
/// and Nesterov momentum, L2 decay (and Newton's method). It does **not** hold for coordinate-
/// wise adaptive methods (AdaGrad, RMSProp, Adam, AdamW, AMSGrad: their per-coordinate
/// denominators `√vᵢ` depend on the basis), so call it only for the former.
pub fn rotation_invariant<T, const N: usize, O, F>(
    landscape: &QuadraticLandscape<T, N>,
    r: &[[f64; N]; N],
    factory: F,
    steps: usize,
    tol: f64,
) -> Result<(), PropertyFailure>
where
    T: Real,
    O: Optimizer<T>,
    F: Fn(&QuadraticLandscape<T, N>) -> O,
{
    const P: &str = "rotation_invariant";
    let fail = |m: String| PropertyFailure::new(P, m);
    let mut f = landscape.clone();
    let mut fr = landscape
        .rotated(r)
        .map_err(|e| fail(format!("bad rotation: {e}")))?;
    let (mut a, mut b) = (factory(&f), factory(&fr));
    let (mut x, mut y) = (f.start, fr.start);
    let (mut gx, mut gy) = ([T::ZERO; N], [T::ZERO; N]);
    let rot = |v: &[T; N]| -> [f64; N] {
        core::array::from_fn(|i| r[i].iter().zip(v).map(|(a, b)| a * b.to_f64()).sum())
    };
    for t in 0..steps {
        let g1 = f.gradient(&x, &mut gx);
        let g2 = fr.gradient(&y, &mut gy);
        if g1.is_err() || g2.is_err() {
            return Err(fail(format!("gradient failed at step {t}: {g1:?}, {g2:?}")));
        }
        let s1 = a.step(&mut x, &gx);
        let s2 = b.step(&mut y, &gy);
        if s1.is_err() != s2.is_err() {
            return Err(fail(format!(
                "step {t}: {s1:?} in the original basis, {s2:?} in the rotated one"
            )));
        }
        if s1.is_err() {
            return Ok(());
        }
        let rx = rot(&x);
        let e = rx
            .iter()
            .zip(&y)
            .map(|(p, q)| (p - q.to_f64()).powi(2))
            .sum::<f64>()
            .sqrt();
        if e.is_nan() || e > tol * (1.0 + norm(&x)) {
            return Err(fail(format!(
                "step {}: ‖R x − y‖ = {e:e} > {tol:e} · (1 + ‖x‖); x = {x:?}, y = {y:?}",
                t + 1
            )));
        }
    }
    Ok(())
}

/// What [`check_optimizer`] runs.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// proptest cases per property.
    pub cases: u32,
    /// The proptest seed: the same cases on every run.
    pub seed: u64,
    /// The landscapes.
    pub landscape: QuadraticSpec,
    /// The convergence requirement.
    pub convergence: Convergence,
    /// Run the finiteness property on adversarial gradients ([`adversarial_gradients`] of
    /// size up to `huge`, 1–5 steps after 0–4 ordinary ones; in a quarter of the cases from
    /// adversarial parameters, [`adversarial_entry`] too).
    pub adversarial: bool,
    /// The largest adversarial entry (`1e300` by default; for `f32` give at most `f32::MAX`,
    /// beyond which it rounds to ∞).
    pub huge: f64,
    /// Run [`rotation_invariant`] (only for optimizers that are, see there), over this many
    /// steps with this tolerance.
    pub rotation: Option<(usize, f64)>,
}

impl Default for CheckConfig {
    /// 64 cases, a fixed seed, [`QuadraticSpec::default`], [`Convergence`] with
    /// [`Monotone::Windows`]`(250)`, adversarial gradients up to `1e300`, no rotation check.
    fn default() -> Self {
        CheckConfig {
            cases: 64,
            seed: 0x0b5e_551a,
            landscape: QuadraticSpec::default(),
            convergence: Convergence {
                monotone: Monotone::Windows(250),
                ..Convergence::default()
            },
            adversarial: true,
            huge: 1e300,
            rotation: None,
        }
    }
}

/// The first property [`check_optimizer`] found false, shrunk by proptest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    /// The property: `"converges"`, `"monotone"`, `"step_is_finite_or_refused"`,
    /// `"rotation_invariant"`, or `"aborted"` (proptest gave up, e.g. too many rejects).
    pub property: String,
    /// proptest's reason: the property's message.
    pub message: String,
    /// The minimal failing input, `Debug`-printed.
    pub case: String,
}

impl fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\nminimal failing input: {}", self.message, self.case)
    }
}

impl std::error::Error for CheckFailure {}

fn runner(config: &CheckConfig) -> TestRunner {
    TestRunner::new(Config {
        cases: config.cases,
        rng_seed: RngSeed::Fixed(config.seed),
        failure_persistence: None,
        ..Config::default()
    })
}

fn outcome<V: fmt::Debug>(r: Result<(), TestError<V>>) -> Result<(), CheckFailure> {
    match r {
        Ok(()) => Ok(()),
        Err(TestError::Abort(reason)) => Err(CheckFailure {
            property: "aborted".to_string(),
            message: reason.to_string(),
            case: String::new(),
        }),
        Err(TestError::Fail(reason, case)) => {
            let message = reason.to_string();
            let property = message
                .split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            Err(CheckFailure {
                property,
                message,
                case: format!("{case:#?}"),
            })
        }
    }
}

/// [`check_optimizer_scheduled`] without a schedule: the rate the factory sets is kept.
///
/// ```
/// use lossmap::optim::{Sgd, SgdConfig};
/// use lossmap::testing::{check_optimizer, CheckConfig, Landscape};
/// let sgd = |q: &lossmap::testing::QuadraticLandscape<f64, 3>| {
///     Sgd::<f64, 3>::new(SgdConfig { lr: 1.0 / q.smoothness(), ..SgdConfig::default() }).unwrap()
/// };
/// let config = CheckConfig { cases: 8, rotation: Some((50, 1e-9)), ..CheckConfig::default() };
/// check_optimizer(sgd, &config).unwrap();
/// ```
pub fn check_optimizer<T, const N: usize, O, F>(
    factory: F,
    config: &CheckConfig,
) -> Result<(), CheckFailure>
where
    T: Real,
    O: Optimizer<T>,
    F: Fn(&QuadraticLandscape<T, N>) -> O,
{
    check_inner(|q| (factory(q), None::<ConstantLr<T>>), config)
}

/// The standard properties of an optimizer with its stable settings, each under a proptest
/// [`TestRunner`] (fixed seed, `config.cases` cases), stopping at the first that fails and
/// returning its shrunk counter-example:
///
/// 1. [`converges`] (and [`monotone`]) on [`quadratic`] landscapes from
///    `factory(landscape) = (optimizer, schedule)` — the factory picks the stable settings
///    (e.g. `lr = 1/L`) from the landscape's `L` and `μ`;
/// 2. [`finite_under`] [`adversarial_gradients`] from a fresh `factory` optimizer, after 0–4
///    ordinary gradients (when `config.adversarial`);
/// 3. [`rotation_invariant`] (when `config.rotation` is set).
pub fn check_optimizer_scheduled<T, const N: usize, O, S, F>(
    factory: F,
    config: &CheckConfig,
) -> Result<(), CheckFailure>
where
    T: Real,
    O: Optimizer<T>,
    S: Schedule<T>,
    F: Fn(&QuadraticLandscape<T, N>) -> (O, S),
{
    check_inner(
        |q| {
            let (o, s) = factory(q);
            (o, Some(s))
        },
        config,
    )
}

fn check_inner<T, const N: usize, O, S, F>(
    factory: F,
    config: &CheckConfig,
) -> Result<(), CheckFailure>
where
    T: Real,
    O: Optimizer<T>,
    S: Schedule<T>,
    F: Fn(&QuadraticLandscape<T, N>) -> (O, Option<S>),
{
    let spec = config.convergence;
    let lands = quadratic::<T, N>(config.landscape.clone());
    outcome(runner(config).run(&lands, |q| {
        let (mut o, mut s) = factory(&q);
        converges(
            &q,
            &mut o,
            s.as_mut().map(|s| s as &mut dyn Schedule<T>),
            &spec,
        )?;
        Ok(())
    }))?;
    if config.adversarial {
        let huge = T::from_f64(config.huge);
        let ordinary = proptest::array::uniform::<_, N>((-10.0f64..10.0).prop_map(T::from_f64));
        let strat = (
            quadratic::<T, N>(config.landscape.clone()),
            proptest::collection::vec(ordinary, 0..5),
            proptest::option::weighted(
                0.25,
                proptest::array::uniform::<_, N>(adversarial_entry(huge)),
            ),
            adversarial_gradients::<T, N>(huge, 1..6),
        );
        outcome(runner(config).run(&strat, |(q, warm, jump, gs)| {
            let (mut o, _) = factory(&q);
            let mut x = q.start;
            for g in &warm {
                if !step_is_finite_or_refused(&mut o, &mut x, g)? {
                    return Err(TestCaseError::fail(format!(
                        "step_is_finite_or_refused: an ordinary step was refused (g = {g:?})"
                    )));
                }
            }
            // A quarter of the cases continue from adversarial parameters (huge, tiny, NaN/±∞).
            if let Some(j) = jump {
                x = j;
            }
            finite_under(&mut o, &mut x, &gs)?;
            Ok(())
        }))?;
    }
    if let Some((steps, tol)) = config.rotation {
        let strat = (quadratic::<T, N>(config.landscape.clone()), rotation::<N>());
        outcome(runner(config).run(&strat, |(q, r)| {
            rotation_invariant(&q, &r, |l| factory(l).0, steps, tol)?;
            Ok(())
        }))?;
    }
    Ok(())
}
