//! The PI "autopilot" against the best fixed rate. For each problem a sweep over a log grid of
//! fixed rates (40 per decade) finds the rate that reaches the tolerance in the fewest steps;
//! the controller, started from γ = 1e-6 and from 10 times the stability edge, must settle
//! within a factor of 2 of it. The table (printed with `--nocapture`) compares the steps.
//!
//! Problems: ½λx² for λ = 1 … 1e4 (the best fixed rate is 1/λ: one step); the diagonal
//! quadratic with eigenvalues 1, 3, 10, 30, 100 (the best fixed rate is 2/(λ_min + λ_max), the
//! rate that balances the slowest and the stiffest direction, so λ_max = 100 sets it); Rosenbrock
//! from (−1.2, 1); the noisy line fit of tests/stochastic.rs under the mini-batch driver.

use lossmap::objective::WithGradient;
use lossmap::optim::{
    minimize_stochastic, minimize_with, BatchObjective, PiConfig, PiController, Progress, Schedule,
    Sgd, SgdConfig, StepObservation, StochasticConfig, StochasticProgress, Stop,
};
use lossmap::{Error, Real};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;
use std::cell::Cell;

/// The rates of the sweep: 40 per decade from 1e-6 to 1e2.
fn grid() -> Vec<f64> {
    (0..=320)
        .rev()
        .map(|k| 10f64.powf(-6.0 + k as f64 / 40.0))
        .collect()
}

/// A deterministic problem: value, gradient, start, minimum value, relative tolerance
/// (reached when `f − f* ≤ tol·(f(x₀) − f*)`) and the stability edge at the start.
struct Problem<'a, const N: usize> {
    name: String,
    f: &'a dyn Fn(&[f64; N]) -> f64,
    g: &'a dyn Fn(&[f64; N], &mut [f64; N]),
    x0: [f64; N],
    fstar: f64,
    tol: f64,
    edge: f64,
    momentum: f64,
}

/// One run: steps to the tolerance (None: not reached) and the rate of every step.
struct Outcome {
    steps: Option<usize>,
    lrs: Vec<f64>,
}

impl Outcome {
    /// Geometric mean of the rates of the last quarter of the steps: where the controller sits.
    fn settled(&self) -> f64 {
        let k = self.lrs.len().div_ceil(4).max(1);
        let tail = &self.lrs[self.lrs.len().saturating_sub(k)..];
        (tail.iter().map(|v| v.ln()).sum::<f64>() / tail.len() as f64).exp()
    }
}

fn run<const N: usize>(
    p: &Problem<N>,
    lr: f64,
    pi: Option<PiConfig<f64>>,
    budget: usize,
) -> Outcome {
    let mut obj = WithGradient::new(
        |x: &[f64; N]| (p.f)(x),
        |x: &[f64; N], g: &mut [f64; N]| (p.g)(x, g),
    );
    let cfg = SgdConfig {
        lr,
        momentum: p.momentum,
        ..SgdConfig::default()
    };
    let mut sgd = Sgd::<f64, N>::new(cfg).unwrap();
    let mut x = p.x0;
    let f0 = (p.f)(&p.x0);
    let goal = p.fstar + p.tol * (f0 - p.fstar);
    let (mut lrs, mut steps) = (Vec::new(), None);
    let mut watch = |q: &Progress<f64>| {
        lrs.push(q.lr);
        if q.loss <= goal {
            steps = Some(q.iteration);
            return false;
        }
        q.loss < 1e30 * f0.abs().max(1.0)
    };
    let stop = Stop {
        grad_tol: 0.0,
        max_iter: budget,
        ..Stop::default()
    };
    let mut sched = pi.map(|c| PiController::new(c).unwrap());
    let _ = minimize_with(
        &mut obj,
        &mut x,
        &mut sgd,
        &stop,
        sched.as_mut().map(|s| s as &mut dyn Schedule<f64>),
        Some(&mut watch),
    );
    Outcome { steps, lrs }
}

/// The best fixed rate of the sweep (the fewest steps; ties: the geometric middle of the tied
/// rates) and its steps. The grid is walked downwards, each run's budget is the best count so
/// far, and the walk ends a decade (40 rates) below the last rate that matched the best.
fn sweep(mut one: impl FnMut(f64, usize) -> Option<usize>, budget: usize) -> (f64, usize) {
    let mut best = budget;
    let mut tied: Vec<f64> = Vec::new();
    let mut since = 0usize;
    for lr in grid() {
        since += 1;
        if let Some(s) = one(lr, best) {
            if s < best {
                best = s;
                tied.clear();
            }
            if s == best {
                tied.push(lr);
                since = 0;
            }
        }
        if !tied.is_empty() && since > 40 {
            break;
        }
    }
    assert!(!tied.is_empty(), "no fixed rate reaches the tolerance");
    let mid = (tied.iter().map(|v| v.ln()).sum::<f64>() / tied.len() as f64).exp();
    (mid, best)
}

/// One row of the table: best fixed (rate, steps), PI from 1e-6 and from 10× the edge.
struct Row {
    name: String,
    best: (f64, usize),
    low: (f64, Option<usize>),
    high: (f64, Option<usize>),
}

fn print(rows: &[Row], unit: &str) {
    println!("| problem | best fixed γ | {unit} | PI from 1e-6: settled γ | {unit} | PI from 10× edge: settled γ | {unit} |");
    println!("|---|---|---|---|---|---|---|");
    let s = |v: Option<usize>| v.map_or("—".to_string(), |v| v.to_string());
    for r in rows {
        println!(
            "| {} | {:.3e} | {} | {:.3e} | {} | {:.3e} | {} |",
            r.name,
            r.best.0,
            r.best.1,
            r.low.0,
            s(r.low.1),
            r.high.0,
            s(r.high.1)
        );
    }
}

/// Checks a row: the controller reached the tolerance from both ends, settled within `band`
/// of the best fixed rate.
fn check(r: &Row, band: f64) {
    for (what, (lr, steps)) in [("1e-6", r.low), ("10× edge", r.high)] {
        assert!(
            steps.is_some(),
            "{}: PI from {what} misses the tolerance",
            r.name
        );
        let ratio = lr / r.best.0;
        assert!(
            (1.0 / band..=band).contains(&ratio),
            "{}: PI from {what} settles at {lr:e}, best fixed {:e}",
            r.name,
            r.best.0
        );
    }
}

/// Sweeps and runs the controller (default configuration) from both ends.
fn compare<const N: usize>(p: &Problem<N>, budget: usize) -> Row {
    let best = sweep(|lr, b| run(p, lr, None, b).steps, budget);
    let pi = |lr: f64| PiConfig {
        lr,
        ..PiConfig::default()
    };
    let low = run(p, 1e-6, Some(pi(1e-6)), budget);
    let high = run(p, 10.0 * p.edge, Some(pi(10.0 * p.edge)), budget);
    Row {
        name: p.name.clone(),
        best,
        low: (low.settled(), low.steps),
        high: (high.settled(), high.steps),
    }
}

#[test]
fn pi_settles_near_the_best_fixed_rate_on_quadratics() {
    let mut rows = Vec::new();
    for lam in [1.0, 10.0, 100.0, 1e3, 1e4] {
        let f = move |x: &[f64; 1]| 0.5 * lam * x[0] * x[0];
        let g = move |x: &[f64; 1], g: &mut [f64; 1]| g[0] = lam * x[0];
        let p = Problem {
            name: format!("½·{lam}·x²"),
            f: &f,
            g: &g,
            x0: [1.0],
            fstar: 0.0,
            tol: 1e-10,
            edge: 2.0 / lam,
            momentum: 0.0,
        };
        let row = compare(&p, 5000);
        // The settled rate is within 2× of 1/λ (it is 0.72…1.0 times it).
        check(&row, 2.0);
        rows.push(row);
    }
    const L: [f64; 5] = [1.0, 3.0, 10.0, 30.0, 100.0];
    let f = |x: &[f64; 5]| 0.5 * x.iter().zip(L).map(|(v, l)| l * v * v).sum::<f64>();
    let g = |x: &[f64; 5], g: &mut [f64; 5]| {
        for i in 0..5 {
            g[i] = L[i] * x[i];
        }
    };
    let p = Problem {
        name: "diag(1, 3, 10, 30, 100)".to_string(),
        f: &f,
        g: &g,
        x0: [1.0; 5],
        fstar: 0.0,
        tol: 1e-10,
        edge: 2.0 / 100.0,
        momentum: 0.0,
    };
    let row = compare(&p, 5000);
    // The ceiling √2/ĉ keeps the rate off the soft directions' 1/c: it settles at 1.06 times
    // the best fixed rate from both ends (at the stability edge 2/λ_max, where the stiff
    // direction stays just visible to the curvature estimate), in 4–9 % fewer steps.
    check(&row, 2.0);
    assert!(row.low.1 <= Some(row.best.1) && row.high.1 <= Some(row.best.1));
    rows.push(row);
    print(&rows, "steps");
}

#[test]
fn pi_settles_near_the_best_fixed_rate_on_rosenbrock() {
    let f = |x: &[f64; 2]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
    let g = |x: &[f64; 2], g: &mut [f64; 2]| {
        g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
    };
    // The Hessian at the start, [[1330, 480], [480, 200]], has λ_max ≈ 1500: edge 2/1500.
    let p = Problem {
        name: "Rosenbrock from (−1.2, 1)".to_string(),
        f: &f,
        g: &g,
        x0: [-1.2, 1.0],
        fstar: 0.0,
        tol: 1e-6,
        edge: 2.0 / 1500.0,
        momentum: 0.0,
    };
    let row = compare(&p, 40_000);
    print(std::slice::from_ref(&row), "steps");
    // Settled at 1.03× and 1.00× the best fixed rate (the stability edge 2/1001.6 at the
    // minimum), in 9–18 % fewer steps: the forgotten ceiling follows λ_max along the valley.
    check(&row, 2.0);
    assert!(row.low.1 <= Some(row.best.1) && row.high.1 <= Some(row.best.1));
}

const M: usize = 40;
const BATCH: usize = 5;

/// The noisy line fit of tests/stochastic.rs: y = 1.5t + 0.5 + uniform noise in ±0.3.
fn data() -> ([f64; M], [f64; M]) {
    let (mut t, mut y) = ([0.0; M], [0.0; M]);
    let mut s: u64 = 99;
    for i in 0..M {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        t[i] = -1.0 + 2.0 * i as f64 / (M - 1) as f64;
        y[i] = 1.5 * t[i] + 0.5 + 0.6 * ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
    }
    (t, y)
}

/// Mean of ½(a·t + b − y)² over the samples `idx`.
fn batch_loss(t: &[f64], y: &[f64], x: &[f64], idx: impl Iterator<Item = usize>) -> f64 {
    let (mut s, mut k) = (0.0, 0usize);
    for i in idx {
        s += 0.5 * (x[0] * t[i] + x[1] - y[i]).powi(2);
        k += 1;
    }
    s / k as f64
}

/// The least-squares minimum of the full loss (normal equations).
fn least_squares(t: &[f64], y: &[f64]) -> [f64; 2] {
    let m = t.len() as f64;
    let (st, sy) = (t.iter().sum::<f64>(), y.iter().sum::<f64>());
    let stt = t.iter().map(|v| v * v).sum::<f64>();
    let sty = t.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let a = (m * sty - st * sy) / (m * stt - st * st);
    [a, (sy - a * st) / m]
}

/// The line fit as a batch objective with analytic gradients that also watches the full loss:
/// `reached` is the number of steps after which it first came within the tolerance.
struct Fit<'a> {
    t: [f64; M],
    y: [f64; M],
    goal: f64,
    steps: usize,
    reached: &'a Cell<Option<usize>>,
}

impl BatchObjective<f64> for Fit<'_> {
    fn batch_value(&mut self, x: &[f64], batch: &[usize]) -> f64 {
        // Called at the start of every step, at the point the previous steps reached.
        if self.reached.get().is_none() && batch_loss(&self.t, &self.y, x, 0..M) <= self.goal {
            self.reached.set(Some(self.steps));
        }
        batch_loss(&self.t, &self.y, x, batch.iter().copied())
    }
    fn batch_gradient(
        &mut self,
        x: &mut [f64],
        batch: &[usize],
        g: &mut [f64],
    ) -> Result<usize, Error> {
        self.steps += 1;
        g[0] = 0.0;
        g[1] = 0.0;
        for &i in batch {
            let r = x[0] * self.t[i] + x[1] - self.y[i];
            g[0] += r * self.t[i] / batch.len() as f64;
            g[1] += r / batch.len() as f64;
        }
        Ok(0)
    }
}

/// Relative tolerance of the fit: the excess over the least-squares loss.
const FIT_TOL: f64 = 1e-4;
/// Seeds of the shuffles: each count is the median over them (one seed rewards luck).
const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// Mini-batch SGD (batches of 5, seeded) from (0, 0) until the full loss is within the
/// tolerance: (steps, sample evaluations) to get there, None after `budget` steps, and the rate
/// of every step.
fn fit_one(
    lr: f64,
    pi: Option<PiConfig<f64>>,
    budget: usize,
    seed: u64,
) -> (Option<(usize, usize)>, Vec<f64>) {
    let (t, y) = data();
    let fstar = batch_loss(&t, &y, &least_squares(&t, &y), 0..M);
    let f0 = batch_loss(&t, &y, &[0.0, 0.0], 0..M);
    let reached = Cell::new(None);
    let mut obj = Fit {
        t,
        y,
        goal: fstar + FIT_TOL * (f0 - fstar),
        steps: 0,
        reached: &reached,
    };
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig {
        lr,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut sched = pi.map(|c| PiController::new(c).unwrap());
    let mut x = [0.0, 0.0];
    let (mut lrs, mut evals) = (Vec::new(), None);
    let mut watch = |q: &StochasticProgress<f64>| {
        if reached.get().is_some() {
            return false;
        }
        lrs.push(q.lr);
        q.step < budget
    };
    let cfg = StochasticConfig {
        batch: BATCH,
        epochs: budget.div_ceil(M / BATCH) + 1,
        drop_last: 0,
    };
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let observing = sched.is_some();
    let r = minimize_stochastic(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut [0; M],
        &cfg,
        &mut rng,
        sched.as_mut().map(|s| s as &mut dyn Schedule<f64>),
        Some(&mut watch),
    );
    if let (Some(s), Ok(r)) = (reached.get(), r) {
        // The run stopped in the step after reaching: its batch was evaluated, not stepped.
        let per = if observing { 2 * BATCH } else { BATCH };
        assert!(r.sample_evals >= s * per);
        evals = Some((s, s * per));
    }
    (evals, lrs)
}

/// [`fit_one`] over the seeds: the median (steps, evaluations) (None if most runs fail) and
/// the rates of every run's steps, concatenated.
fn fit(lr: f64, pi: Option<PiConfig<f64>>, budget: usize) -> (Option<(usize, usize)>, Vec<f64>) {
    let mut got = Vec::new();
    let mut tails = Vec::new();
    for seed in SEEDS {
        let (r, lrs) = fit_one(lr, pi, budget, seed);
        got.push(r.unwrap_or((usize::MAX, usize::MAX)));
        let k = lrs.len().div_ceil(4);
        tails.extend_from_slice(&lrs[lrs.len() - k..]);
    }
    got.sort();
    let mid = got[SEEDS.len() / 2];
    ((mid.0 != usize::MAX).then_some(mid), tails)
}

#[test]
fn pi_settles_near_the_best_fixed_rate_on_the_noisy_fit() {
    let budget = 20_000;
    let best = sweep(|lr, b| fit(lr, None, b).0.map(|(s, _)| s), budget);
    let pi = |lr: f64| PiConfig {
        lr,
        ..PiConfig::default()
    };
    // The batch Hessians mean((t, 1)(t, 1)ᵀ) have eigenvalues up to ≈ 1.4: edge ≈ 2/1.4.
    let (low, low_lrs) = fit(1e-6, Some(pi(1e-6)), budget);
    let (high, high_lrs) = fit(14.0, Some(pi(14.0)), budget);
    let settled = |lrs: &[f64]| (lrs.iter().map(|v| v.ln()).sum::<f64>() / lrs.len() as f64).exp();
    let row = Row {
        name: format!("noisy line fit, batch {BATCH} (sample evals)"),
        best: (best.0, best.1 * BATCH),
        low: (settled(&low_lrs), low.map(|v| v.1)),
        high: (settled(&high_lrs), high.map(|v| v.1)),
    };
    print(std::slice::from_ref(&row), "evals");
    // ρ* = ½ alone puts the rate at 1/c of each batch's curvature, 2.1× the best fixed rate; the
    // noise estimate raises the target and it settles at 1.14× / 1.19× it. It pays the extra
    // batch evaluation of each step (3–4× the evaluations of the best fixed rate).
    check(&row, 2.0);
}

/// Why the stochastic driver evaluates the batch again at `x_{t+1}`: the fidelity ratio of the
/// same batch against that of the next batch's loss (free, but a different function), over
/// 2000 steps of SGD at γ = 0.5 on the fit (after one epoch), as the interquartile range.
#[test]
fn same_batch_ratio_is_far_less_noisy_than_next_batch_ratio() {
    let (t, y) = data();
    let mut order: Vec<usize> = (0..M).collect();
    let mut s: u64 = 3;
    let (mut same, mut next) = (Vec::new(), Vec::new());
    let mut x = [0.0f64, 0.0];
    let lr = 0.5;
    let batches =
        |order: &[usize]| -> Vec<Vec<usize>> { order.chunks(BATCH).map(|c| c.to_vec()).collect() };
    let mut all = Vec::new();
    for _ in 0..(2000 * BATCH / M + 2) {
        for i in (1..M).rev() {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        all.extend(batches(&order));
    }
    for k in 0..all.len() - 1 {
        let (b, nb) = (&all[k], &all[k + 1]);
        let f_b = batch_loss(&t, &y, &x, b.iter().copied());
        let mut g = [0.0; 2];
        for &i in b {
            let r = x[0] * t[i] + x[1] - y[i];
            g[0] += r * t[i] / BATCH as f64;
            g[1] += r / BATCH as f64;
        }
        let x1 = [x[0] - lr * g[0], x[1] - lr * g[1]];
        let obs = StepObservation::from_step(
            k,
            f_b,
            batch_loss(&t, &y, &x1, b.iter().copied()),
            &g,
            &x,
            &x1,
        );
        if k >= M / BATCH {
            same.push((obs.loss_before - obs.loss_after) / obs.predicted_decrease);
            next.push((f_b - batch_loss(&t, &y, &x1, nb.iter().copied())) / obs.predicted_decrease);
        }
        x = x1;
    }
    let iqr = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[3 * v.len() / 4] - v[v.len() / 4]
    };
    let (a, b) = (iqr(&mut same), iqr(&mut next));
    println!(
        "fidelity ratio at γ = 0.5, interquartile range: same batch {a:.3}, next batch {b:.3}"
    );
    assert!(b > 10.0 * a, "same {a}, next {b}");
}

/// Records the observations the driver hands over.
struct Recorder {
    lr: f64,
    seen: Vec<StepObservation<f64>>,
}

impl Schedule<f64> for Recorder {
    fn lr(&mut self, _: usize, _: f64) -> Result<f64, Error> {
        Ok(self.lr)
    }
    fn observe(&mut self, o: &StepObservation<f64>) -> Result<(), Error> {
        self.seen.push(*o);
        Ok(())
    }
    fn observes(&self) -> bool {
        true
    }
}

#[test]
fn the_driver_observes_each_step_against_closed_forms() {
    // GD on ½·λx² from x = 1: x_t = (1 − γλ)^t, Δx = −γλx_t, −gΔx = γλ²x_t².
    let (lam, lr) = (3.0f64, 0.1);
    let mut obj = WithGradient::new(
        |x: &[f64; 1]| 0.5 * lam * x[0] * x[0],
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = lam * x[0],
    );
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut rec = Recorder {
        lr,
        seen: Vec::new(),
    };
    let mut x = [1.0];
    let stop = Stop {
        grad_tol: 0.0,
        max_iter: 5,
        ..Stop::default()
    };
    minimize_with(&mut obj, &mut x, &mut sgd, &stop, Some(&mut rec), None).unwrap();
    assert_eq!(rec.seen.len(), 5);
    for (t, o) in rec.seen.iter().enumerate() {
        let xt = (1.0 - lr * lam).powi(t as i32);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-14 * b.abs();
        assert_eq!(o.step, t);
        assert!(close(o.loss_before, 0.5 * lam * xt * xt));
        assert!(close(
            o.loss_after,
            0.5 * lam * xt * xt * (1.0 - lr * lam).powi(2)
        ));
        assert!(close(o.predicted_decrease, lr * lam * lam * xt * xt));
        assert!(close(o.grad_norm, lam * xt) && close(o.step_norm, lr * lam * xt));
        // ρ = 1 − γλ/2.
        let rho = (o.loss_before - o.loss_after) / o.predicted_decrease;
        assert!(close(rho, 1.0 - lr * lam / 2.0));
    }

    // The stochastic driver: the same batch at both points (one extra batch evaluation).
    let (t, y) = data();
    let reached = Cell::new(None);
    let mut obj = Fit {
        t,
        y,
        goal: f64::NEG_INFINITY,
        steps: 0,
        reached: &reached,
    };
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig {
        lr: 0.3,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut rec = Recorder {
        lr: 0.3,
        seen: Vec::new(),
    };
    let mut x = [0.0, 0.0];
    let cfg = StochasticConfig {
        batch: BATCH,
        epochs: 1,
        drop_last: 0,
    };
    let mut rng = XorShiftRng::seed_from_u64(1);
    let mut perm = [0; M];
    let r = minimize_stochastic(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut perm,
        &cfg,
        &mut rng,
        Some(&mut rec),
        None,
    )
    .unwrap();
    assert_eq!(r.sample_evals, 2 * M);
    assert_eq!(rec.seen.len(), M / BATCH);
    // Replay: each batch is the chunk of the final permutation.
    let mut xr = [0.0f64, 0.0];
    for (k, o) in rec.seen.iter().enumerate() {
        let b = &perm[k * BATCH..(k + 1) * BATCH];
        let fb = batch_loss(&t, &y, &xr, b.iter().copied());
        let mut g = [0.0; 2];
        for &i in b {
            let r = xr[0] * t[i] + xr[1] - y[i];
            g[0] += r * t[i] / BATCH as f64;
            g[1] += r / BATCH as f64;
        }
        let x1 = [xr[0] - 0.3 * g[0], xr[1] - 0.3 * g[1]];
        let want = StepObservation::from_step(
            k,
            fb,
            batch_loss(&t, &y, &x1, b.iter().copied()),
            &g,
            &xr,
            &x1,
        );
        assert_eq!(*o, want);
        xr = x1;
    }
}

/// GD on ½·100x² in `T` under the controller from `lr`: the rate after `steps` steps.
fn gd_rate<T: Real>(lr: f64, steps: usize) -> f64 {
    let mut pi = PiController::new(PiConfig {
        lr: T::from_f64(lr),
        ..PiConfig::default()
    })
    .unwrap();
    let k = T::from_f64(100.0);
    let mut x = T::ONE;
    for t in 0..steps {
        let loss = T::HALF * k * x * x;
        let g = k * x;
        let lr = pi.lr(t, loss).unwrap();
        let x1 = x - lr * g;
        let after = T::HALF * k * x1 * x1;
        pi.observe(&StepObservation::from_step(
            t,
            loss,
            after,
            &[g],
            &[x],
            &[x1],
        ))
        .unwrap();
        x = x1;
    }
    pi.lr(steps, T::ONE).unwrap().to_f64()
}

#[test]
fn f32_and_f64_settle_on_one_over_lambda() {
    for lr in [1e-6, 0.2] {
        // Once x has underflowed (f32) the steps carry no ratio and the rate is held.
        let steps = 40;
        for (name, r) in [
            ("f32", gd_rate::<f32>(lr, steps)),
            ("f64", gd_rate::<f64>(lr, steps)),
        ] {
            assert!((r / 0.01 - 1.0).abs() < 0.5, "{name} from {lr}: {r}");
        }
    }
}

fn obs(before: f64, after: f64, pred: f64) -> StepObservation<f64> {
    StepObservation {
        step: 0,
        loss_before: before,
        loss_after: after,
        predicted_decrease: pred,
        grad_norm: 1.0,
        step_norm: 1.0,
    }
}

#[test]
fn the_rules_raise_cut_and_hold() {
    let d = PiConfig::<f64>::default();
    let fresh = || PiController::new(PiConfig { lr: 1.0, ..d }).unwrap();
    let rate = |p: &mut PiController<f64>| p.lr(0, 1.0).unwrap();
    // ρ = 1 (a timid step): e = ½, k_p·½ + k_i·½ = 0.75 > ln 2, capped at growth 2.
    let mut p = fresh();
    p.observe(&obs(1.0, 0.0, 1.0)).unwrap();
    assert!((rate(&mut p) - 2.0).abs() < 1e-12);
    // ρ = ρ*: no change (e = 0, e_prev = 0).
    let mut p = fresh();
    p.observe(&obs(1.0, 0.5, 1.0)).unwrap();
    assert!((rate(&mut p) - 1.0).abs() < 1e-15);
    // ρ = 0.4: e = −0.1, Δu = −0.025 − 0.125.
    let mut p = fresh();
    p.observe(&obs(1.0, 0.6, 1.0)).unwrap();
    assert!((rate(&mut p) - (-0.15f64).exp()).abs() < 1e-12);
    // ρ = −9 (10× the edge of a quadratic): cut by (1 − ½)/(1 + 9) = 1/20.
    let mut p = fresh();
    p.observe(&obs(1.0, 10.0, 1.0)).unwrap();
    assert!((rate(&mut p) - 0.05).abs() < 1e-15);
    assert_eq!(p.ratio, -9.0);
    // ρ = −0.2 and −0.01: the model's factors 0.5/1.2 and 0.5/1.01, both below `cut` = ½ (for
    // ρ* = ½ the model always cuts harder than a halving after a rise).
    let mut p = fresh();
    p.observe(&obs(1.0, 1.2, 1.0)).unwrap();
    assert!((rate(&mut p) - 0.5 / 1.2).abs() < 1e-15);
    let mut p = fresh();
    p.observe(&obs(1.0, 1.01, 1.0)).unwrap();
    assert!((rate(&mut p) - 0.5 / 1.01).abs() < 1e-15);
    // A blown-up step (non-finite loss after it): halved.
    let mut p = fresh();
    p.observe(&obs(1.0, f64::INFINITY, 1.0)).unwrap();
    p.observe(&obs(1.0, f64::NAN, 1.0)).unwrap();
    assert!((rate(&mut p) - 0.25).abs() < 1e-15);
    // No usable ratio: not a descent step, or at rounding level: held; a rise still cuts.
    let mut p = fresh();
    p.observe(&obs(1.0, 0.5, -1.0)).unwrap();
    p.observe(&obs(1.0, 1.0 - 1e-17, 1e-16)).unwrap();
    assert_eq!((rate(&mut p), p.updates), (1.0, 0));
    p.observe(&obs(1.0, 2.0, 0.0)).unwrap();
    assert_eq!(rate(&mut p), 0.5);
    // The ceiling: a step at γ = 1 on ½·30x² from x = 1 (to −29) rose, ρ = −14: cut to 1/30 by
    // the model, and the curvature 30 it showed is remembered. A timid step then (ρ = 1, no
    // curvature) doubles the rate up to the ceiling √2/ĉ, ĉ forgotten by 1 − 1/32 first.
    let mut p = fresh();
    let x1 = [1.0 - 30.0];
    p.observe(&StepObservation::from_step(
        0,
        15.0,
        15.0 * x1[0] * x1[0],
        &[30.0],
        &[1.0],
        &x1,
    ))
    .unwrap();
    assert!((rate(&mut p) - 1.0 / 30.0).abs() < 1e-15 && (p.curvature - 30.0).abs() < 1e-12);
    p.observe(&obs(1.0, 0.0, 1.0)).unwrap();
    let c = 30.0 * (1.0 - 1.0 / 32.0);
    assert!((p.curvature - c).abs() < 1e-12);
    assert!((rate(&mut p) - 2f64.sqrt() / c).abs() < 1e-15);
    // Forgotten: after 40 more timid steps the ceiling has risen by (32/31)^40 ≈ 3.6.
    for _ in 0..40 {
        p.observe(&obs(1.0, 0.0, 1.0)).unwrap();
    }
    let c = 30.0 * (1.0 - 1.0f64 / 32.0).powi(41);
    assert!((rate(&mut p) - 2f64.sqrt() / c).abs() < 1e-12);
    // Noise: step 1's loss at x_1 is 0.5 above what step 0 measured there (a predicted decrease
    // of 1): q = 0.5, the running mean moves by φ to 1/64, the target to ½ + ½·(1/64), and
    // ρ = ½ is now a cut of (k_p + k_i)/128. One deterministic loss (no gap) leaves it at 0, and
    // a gap between non-consecutive steps is not a sample.
    let at = |step, before, after| StepObservation {
        step,
        ..obs(before, after, 1.0)
    };
    let mut p = fresh();
    p.observe(&at(0, 1.0, 0.5)).unwrap();
    p.observe(&at(1, 0.5, 0.0)).unwrap();
    assert_eq!(p.noise, 0.0);
    let mut p = fresh();
    p.observe(&at(0, 1.0, 0.5)).unwrap();
    assert_eq!(p.last_loss, 0.5);
    p.observe(&at(1, 1.0, 0.5)).unwrap();
    assert!((p.noise - 1.0 / 64.0).abs() < 1e-17);
    assert!((rate(&mut p) - (-1.5f64 / 128.0).exp()).abs() < 1e-15);
    let mut p = fresh();
    p.observe(&at(0, 1.0, 0.5)).unwrap();
    p.observe(&at(2, 1.0, 0.5)).unwrap();
    assert_eq!((p.noise, rate(&mut p)), (0.0, 1.0));
    // lr_min / lr_max bound the rate.
    let mut p = PiController::new(PiConfig { lr: 1e3, ..d }).unwrap();
    p.observe(&obs(1.0, 0.0, 1.0)).unwrap();
    assert_eq!(rate(&mut p), 1e3);
    let mut p = PiController::new(PiConfig { lr: 1e-8, ..d }).unwrap();
    p.observe(&obs(1.0, 10.0, 1.0)).unwrap();
    assert!((rate(&mut p) - 1e-8).abs() < 1e-20);
}

#[test]
fn bad_input_changes_nothing() {
    let d = PiConfig::<f64>::default();
    for c in [
        PiConfig { target: 0.0, ..d },
        PiConfig { target: 1.0, ..d },
        PiConfig {
            target: f64::NAN,
            ..d
        },
        PiConfig { kp: -0.1, ..d },
        PiConfig { ki: f64::NAN, ..d },
        PiConfig {
            ki: f64::INFINITY,
            ..d
        },
        PiConfig { cut: 1.0, ..d },
        PiConfig { cut: 0.0, ..d },
        PiConfig { growth: 1.0, ..d },
        PiConfig {
            growth: f64::INFINITY,
            ..d
        },
        PiConfig { lr_min: 0.0, ..d },
        PiConfig {
            lr_max: f64::INFINITY,
            ..d
        },
        PiConfig { lr: 2e3, ..d },
        PiConfig { lr: 1e-9, ..d },
        PiConfig {
            lr_min: 2.0,
            lr_max: 1.0,
            lr: 1.5,
            ..d
        },
        PiConfig { ceiling: 0.0, ..d },
        PiConfig { ceiling: 2.5, ..d },
        PiConfig {
            ceiling: f64::NAN,
            ..d
        },
        PiConfig { memory: 0.0, ..d },
        PiConfig { memory: 1.0, ..d },
        PiConfig {
            memory: f64::NAN,
            ..d
        },
    ] {
        assert_eq!(
            PiController::new(c).map(|_| ()),
            Err(Error::InvalidParameter),
            "{c:?}"
        );
    }
    let mut p = PiController::new(d).unwrap();
    p.observe(&obs(1.0, 0.9, 1.0)).unwrap();
    let before = p;
    let bad = [
        (obs(f64::NAN, 0.5, 1.0), Error::NonFiniteInput),
        (obs(f64::INFINITY, 0.5, 1.0), Error::NonFiniteInput),
        (obs(1.0, 0.5, f64::NAN), Error::NonFiniteInput),
        (obs(1.0, 0.5, f64::NEG_INFINITY), Error::NonFiniteInput),
        (
            StepObservation {
                grad_norm: f64::NAN,
                ..obs(1.0, 0.5, 1.0)
            },
            Error::NonFiniteInput,
        ),
        (
            StepObservation {
                step_norm: f64::INFINITY,
                ..obs(1.0, 0.5, 1.0)
            },
            Error::NonFiniteInput,
        ),
        (
            StepObservation {
                grad_norm: -1.0,
                ..obs(1.0, 0.5, 1.0)
            },
            Error::InvalidParameter,
        ),
        (
            StepObservation {
                step_norm: -1.0,
                ..obs(1.0, 0.5, 1.0)
            },
            Error::InvalidParameter,
        ),
    ];
    for (o, e) in bad {
        assert_eq!(p.observe(&o), Err(e), "{o:?}");
        assert_eq!(p, before);
    }
    assert_eq!(p.lr(1, f64::NAN), Err(Error::NonFiniteInput));
    assert_eq!(p, before);
    // A state or configuration broken from outside (the fields are public, C writes them).
    for broken in [
        PiController {
            log_lr: f64::NAN,
            ..before
        },
        PiController {
            prev_err: f64::INFINITY,
            ..before
        },
        PiController {
            config: PiConfig { growth: 0.5, ..d },
            ..before
        },
        PiController {
            curvature: -1.0,
            ..before
        },
        PiController {
            curvature: f64::NAN,
            ..before
        },
        PiController {
            noise: f64::INFINITY,
            ..before
        },
        PiController {
            last_loss: f64::NAN,
            ..before
        },
        PiController {
            last_pred: -1.0,
            ..before
        },
    ] {
        let mut q = broken;
        assert_eq!(q.observe(&obs(1.0, 0.5, 1.0)), Err(Error::InvalidParameter));
        assert_eq!(q.lr(0, 1.0), Err(Error::InvalidParameter));
        assert!(format!("{q:?}") == format!("{broken:?}"));
    }
}

#[test]
fn a_sequential_schedule_passes_observations_to_the_active_member() {
    use lossmap::optim::{ConstantLr, SequentialLr};
    let pi = PiController::new(PiConfig {
        lr: 1.0,
        ..PiConfig::default()
    })
    .unwrap();
    let mut s = SequentialLr::new(ConstantLr::new(0.1).unwrap(), pi, 2).unwrap();
    assert!(s.observes());
    s.observe(&StepObservation {
        step: 1,
        ..obs(1.0, 0.0, 1.0)
    })
    .unwrap();
    assert_eq!(s.second.updates, 0);
    s.observe(&StepObservation {
        step: 2,
        ..obs(1.0, 0.0, 1.0)
    })
    .unwrap();
    assert_eq!(s.second.updates, 1);
    assert!((s.lr(3, 1.0).unwrap() - 2.0).abs() < 1e-12);
    assert_eq!(s.lr(1, 1.0).unwrap(), 0.1);
}

/// Heavy-ball (SGD with momentum β) under the controller: it reaches the tolerance, but the
/// ratio of a momentum step also falls as the momentum builds up, so it settles below the best
/// fixed rate (measured: β = 0.5 on the quadratic 1.1× below with 1.2× the steps, β = 0.9
/// 12–13× below with 1.8–2.2× the steps; Rosenbrock β = 0.5 1.1×/1.4× below with 0.97×/6.0×
/// the steps): the autopilot is meant for plain gradient descent.
#[test]
fn heavy_ball_under_the_controller_reaches_the_tolerance_but_lags() {
    const L: [f64; 5] = [1.0, 3.0, 10.0, 30.0, 100.0];
    let f = |x: &[f64; 5]| 0.5 * x.iter().zip(L).map(|(v, l)| l * v * v).sum::<f64>();
    let g = |x: &[f64; 5], g: &mut [f64; 5]| {
        for i in 0..5 {
            g[i] = L[i] * x[i];
        }
    };
    let mut rows = Vec::new();
    for m in [0.5, 0.9] {
        let p = Problem {
            name: format!("diag(1, 3, 10, 30, 100), heavy-ball β = {m}"),
            f: &f,
            g: &g,
            x0: [1.0; 5],
            fstar: 0.0,
            tol: 1e-10,
            // Heavy-ball on curvature λ is stable for γ < 2(1 + β)/λ.
            edge: 2.0 * (1.0 + m) / 100.0,
            momentum: m,
        };
        rows.push(compare(&p, 5000));
    }
    let f = |x: &[f64; 2]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
    let g = |x: &[f64; 2], g: &mut [f64; 2]| {
        g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
    };
    let p = Problem {
        name: "Rosenbrock, heavy-ball β = 0.5".to_string(),
        f: &f,
        g: &g,
        x0: [-1.2, 1.0],
        fstar: 0.0,
        tol: 1e-6,
        edge: 2.0 * 1.5 / 1500.0,
        momentum: 0.5,
    };
    rows.push(compare(&p, 40_000));
    print(&rows, "steps");
    for r in &rows {
        assert!(r.low.1.is_some() && r.high.1.is_some(), "{}", r.name);
        assert!(r.low.0 < r.best.0 && r.high.0 < r.best.0, "{}", r.name);
    }
}

/// The C driver hands the observations to a `LOSSMAP_SCHEDULE_PI` schedule: GD (central
/// differences) on ½·100x² from γ = 1e-6 ends at the rate 1/100.
#[test]
fn the_c_driver_steers_a_pi_schedule() {
    use core::ffi::c_void;
    use lossmap::capi::*;
    unsafe extern "C" fn f(x: *const f64, _n: usize, _ctx: *mut c_void) -> f64 {
        // SAFETY: the driver passes n = 1 parameter.
        let v = unsafe { *x };
        50.0 * v * v
    }
    // SAFETY: every pointer is to a live local of the right type, sized for n = 1.
    unsafe {
        let mut s: LossmapSchedule<f64> = core::mem::zeroed();
        let cfg = PiConfig {
            lr: 1e-6,
            ..lossmap_schedule_pi_config_default_f64()
        };
        assert_eq!(lossmap_schedule_pi_init_f64(&mut s, &cfg), 0);
        let mut sgd: LossmapSgd<f64> = core::mem::zeroed();
        let sc = SgdConfig {
            lr: 1e-6,
            ..lossmap_sgd_config_default_f64()
        };
        assert_eq!(
            lossmap_sgd_init_f64(&mut sgd, &sc, 1, core::ptr::null_mut()),
            0
        );
        let stop = Stop {
            grad_tol: 1e-9,
            max_iter: 200,
            ..Stop::default()
        };
        let (mut x, mut work) = ([1.0f64], [0.0f64; 2]);
        let mut report: LossmapReport<f64> = core::mem::zeroed();
        let rc = lossmap_minimize_ex_f64(
            Some(f),
            core::ptr::null_mut(),
            x.as_mut_ptr(),
            1,
            LOSSMAP_OPTIMIZER_SGD,
            &mut sgd as *mut LossmapSgd<f64> as *mut c_void,
            &mut s,
            None,
            core::ptr::null_mut(),
            &stop,
            work.as_mut_ptr(),
            &mut report,
        );
        assert_eq!(rc, 0);
        assert!(report.iterations < 60, "{} steps", report.iterations);
        assert!(s.pi.updates > 10);
        let mut lr = 0.0;
        assert_eq!(lossmap_schedule_lr_f64(&mut s, 0, 1.0, &mut lr), 0);
        assert!((lr / 0.01 - 1.0).abs() < 0.5, "rate {lr}");
    }
}

/// SGD on the mean of ½(x − ξ)² over ξ = ±1 (batches of one sample, drawn at random), the
/// minimum x* = 0: each batch's curvature is 1, so without noise the ratio target is the rate 1,
/// but at the minimum the gradient is all noise (the signal fraction `s = x²/(x² + 1)` → 0).
/// The controller's noise estimate must see it and hold the rate far below 1; with ξ = 0 (one
/// deterministic loss) it sees none and settles on 1.
#[test]
fn the_noise_estimate_lowers_the_rate_at_a_noisy_minimum() {
    for noisy in [true, false] {
        let mut pi = PiController::new(PiConfig {
            lr: 0.5,
            ..PiConfig::default()
        })
        .unwrap();
        let (mut x, mut s) = (3.0f64, 7u64);
        let mut rates = Vec::new();
        for t in 0..2000 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let xi = match (noisy, s >> 63) {
                (false, _) => 0.0,
                (true, 0) => -1.0,
                (true, _) => 1.0,
            };
            let f = |v: f64| 0.5 * (v - xi) * (v - xi);
            let g = x - xi;
            let lr = pi.lr(t, f(x)).unwrap();
            let x1 = x - lr * g;
            let o = StepObservation::from_step(t, f(x), f(x1), &[g], &[x], &[x1]);
            pi.observe(&o).unwrap();
            x = x1;
            rates.push(lr);
        }
        let tail = &rates[1000..];
        let mean = (tail.iter().map(|v| v.ln()).sum::<f64>() / tail.len() as f64).exp();
        println!(
            "noisy {noisy}: rate {mean:.3}, noise estimate {:.3}",
            pi.noise
        );
        if noisy {
            assert!(
                mean < 0.5 && pi.noise > 0.3,
                "rate {mean}, noise {}",
                pi.noise
            );
        } else {
            assert!((mean - 1.0).abs() < 1e-9 && pi.noise == 0.0, "rate {mean}");
        }
    }
}

/// The ceiling factor θ and the memory φ are not tuned to the problems: at the corners of
/// θ ∈ [1, 1.7] and φ ∈ [1/300, 1/10] the controller still settles within 2× of the best fixed
/// rate on the ill-conditioned quadratic and on Rosenbrock, from both ends. The worst corner is
/// θ = 1 with φ = 1/300 on the quadratic: at `γ = 1/ĉ = 1/λ_max` the stiff component is
/// annihilated exactly, cannot reappear to refresh `ĉ`, and the slowly relaxing ceiling ends
/// above the edge.
#[test]
fn the_ceiling_and_the_memory_are_not_critical() {
    const L: [f64; 5] = [1.0, 3.0, 10.0, 30.0, 100.0];
    let fq = |x: &[f64; 5]| 0.5 * x.iter().zip(L).map(|(v, l)| l * v * v).sum::<f64>();
    let gq = |x: &[f64; 5], g: &mut [f64; 5]| {
        for i in 0..5 {
            g[i] = L[i] * x[i];
        }
    };
    let quad = Problem {
        name: "diag(1, 3, 10, 30, 100)".to_string(),
        f: &fq,
        g: &gq,
        x0: [1.0; 5],
        fstar: 0.0,
        tol: 1e-10,
        edge: 2.0 / 100.0,
        momentum: 0.0,
    };
    let fr = |x: &[f64; 2]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
    let gr = |x: &[f64; 2], g: &mut [f64; 2]| {
        g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
    };
    let rosen = Problem {
        name: "Rosenbrock from (−1.2, 1)".to_string(),
        f: &fr,
        g: &gr,
        x0: [-1.2, 1.0],
        fstar: 0.0,
        tol: 1e-6,
        edge: 2.0 / 1500.0,
        momentum: 0.0,
    };
    // The closed forms 2/(λ_min + λ_max) (the sweeps of the tests above find 0.95 and 1.00
    // times them): of the quadratic, and of Rosenbrock's Hessian at the minimum,
    // [[802, −400], [−400, 200]], whose eigenvalues sum to its trace 1002.
    let (best_q, best_r) = (2.0 / 101.0, 2.0 / 1002.0);
    let mut worst = 1.0f64;
    for ceiling in [1.0, 1.7] {
        for memory in [1.0 / 300.0, 0.1] {
            let cfg = |lr: f64| PiConfig {
                lr,
                ceiling,
                memory,
                ..PiConfig::default()
            };
            for lr in [1e-6, 10.0 * quad.edge] {
                let o = run(&quad, lr, Some(cfg(lr)), 5000);
                assert!(o.steps.is_some(), "quadratic θ {ceiling} φ {memory}");
                let f = o.settled() / best_q;
                println!("quadratic θ {ceiling} φ {memory:.4} from {lr:e}: {f:.2}");
                worst = worst.max(f).max(1.0 / f);
            }
            for lr in [1e-6, 10.0 * rosen.edge] {
                let o = run(&rosen, lr, Some(cfg(lr)), 40_000);
                assert!(o.steps.is_some(), "Rosenbrock θ {ceiling} φ {memory}");
                let f = o.settled() / best_r;
                println!("Rosenbrock θ {ceiling} φ {memory:.4} from {lr:e}: {f:.2}");
                worst = worst.max(f).max(1.0 / f);
            }
        }
    }
    println!("worst factor from the best fixed rate over θ and φ: {worst:.2}");
    assert!(worst <= 2.0, "{worst}");
}
