//! The global-search benchmark: lossmap's global methods against scipy's on fifteen standard
//! functions (tests/global_bench/functions.rs, 2-D to 10-D) under one protocol, the one of
//! tests/reference/global_bench.py, whose output tests/reference/global_bench.txt holds
//! scipy's results:
//!
//! * budget 5 000 × dimension evaluations; one counting wrapper ([`Probe`]) counts every loss
//!   value and every gradient call (forward-difference gradients count their loss values) and
//!   ignores whatever comes after the budget; each method also gets the budget as its
//!   `max_evals` (its own count charges a finite-difference gradient one more than the
//!   wrapper, so it never runs past the wrapper's budget);
//! * success: a loss evaluated inside the box below `f* + 1e-6·max(1, |f*|)`; "evals" is the
//!   wrapper's count at that first success; the method's `f_target` is `f* + tol`, so it stops
//!   there as scipy's runs are stopped by their wrapper;
//! * x0 drawn uniformly in the box with `XorShiftRng::seed_from_u64(seed)`, which then drives
//!   the method;
//! * every method with its default configuration and [`ProjectedLbfgs`] (M = 10, defaults) as
//!   its local search; dual annealing's capped at scipy's min(max(6n, 100), 1000) iterations;
//!   populations of 15·n (scipy's DE `popsize` 15) for differential evolution and the GA,
//!   8 replicas for replica exchange, starts drawn uniformly for multi-start (the first is x0),
//!   room for budget/2 sample points for MLSL (it never fills up).
//!
//! The default test runs [`SEEDS_DEFAULT`] seeds in release (`scripts/test` runs `cargo test
//! --release --features capi,std --test global_bench`, about 30 s; a debug build ignores it, as it
//! would take 3–5 min of CPU, most of it MLSL's `O(k·n)` bookkeeping per sample point on the runs
//! that use the whole budget); the ignored one 100 seeds, also in release (`cargo test --release --features capi,std --test
//! global_bench -- --ignored --nocapture`, about 2 min of CPU), and its table is the one in README's
//! "Accuracy and cost". scipy's figures are always its 100 seeds. Both write
//! `target/lossmap-reports/global-bench.md`, print a table per function (every method's
//! successes, mean evaluations to success and mean final gap) and the goals: (1) on every
//! function some method of ours succeeds at least as often as scipy's best; (2) our best
//! method's mean evaluations to success ≤ scipy dual annealing's on ≥ 80 % of the functions.
//! "Best" is the highest success rate, ties broken by fewer mean evaluations; shgo's single
//! deterministic run counts as 0 % or 100 %. Goal 2 does not hold on every function; the
//! asserts hold the counts at least at their measured values ([`GOALS_DEFAULT`],
//! [`GOALS_FULL`]) so that a regression fails.
//!
//! A method is one line of [`METHODS`] (`method!(name, runner)`), its runner a function
//! generic over the dimension `N` and a population size `P = 15·N`; `LOSSMAP_BENCH_SEEDS=k`
//! runs the default test with `k` seeds and asserts nothing.

mod common;
#[path = "global_bench/functions.rs"]
mod functions;

use functions::{Bench, FUNCTIONS};
use lossmap::global::{
    mlsl_slice, mlsl_store_len, multistart_slice, Annealer, AnnealingConfig, BasinHopper, Bounds,
    Budget, Cmaes, CmaesConfig, DifferentialEvolution, DifferentialEvolutionConfig, DualAnnealing,
    DualAnnealingConfig, Genetic, GeneticConfig, HoppingConfig, MlslConfig, ProjectedLbfgs,
    ReplicaConfig, ReplicaExchange, SearchReport, LOCAL_WORK, MLSL_WORK,
};
use lossmap::objective::Fixed;
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// scipy's side (tests/reference/global_bench.py).
const REFERENCE: &str = include_str!("reference/global_bench.txt");

/// Seeds of the default (debug) run.
const SEEDS_DEFAULT: u64 = 20;
/// Seeds of the full run.
const SEEDS_FULL: u64 = 100;

/// (functions meeting goal 1, functions meeting goal 2) measured with [`SEEDS_DEFAULT`] seeds
/// (of 15 each; goal 2 fails on Shubert, Eggholder, Michalewicz 5- and 10-D).
const GOALS_DEFAULT: (usize, usize) = (15, 11);
/// The same with [`SEEDS_FULL`] seeds (goal 2 fails on Eggholder, Michalewicz 2- and 10-D).
const GOALS_FULL: (usize, usize) = (15, 12);

// ------------------------------------------------------------------ the counting wrapper

/// The one counting wrapper: every loss value and gradient call counts; it keeps the count at
/// the first success within the budget.
struct Probe<'a> {
    f: &'a Bench,
    evals: usize,
    budget: usize,
    hit: Option<usize>,
    best: f64,
}

impl<'a> Probe<'a> {
    fn new(f: &'a Bench) -> Self {
        Probe {
            f,
            evals: 0,
            budget: f.budget(),
            hit: None,
            best: f64::INFINITY,
        }
    }

    fn inside(&self, x: &[f64]) -> bool {
        x.iter()
            .zip(self.f.lower.iter().zip(self.f.upper))
            .all(|(&v, (&l, &u))| v >= l && v <= u)
    }

    fn eval(&mut self, x: &[f64]) -> f64 {
        self.evals += 1;
        let v = (self.f.value)(x);
        if self.evals <= self.budget && self.inside(x) {
            self.best = self.best.min(v);
            if self.hit.is_none() && v - self.f.f_star < self.f.tol() {
                self.hit = Some(self.evals);
            }
        }
        v
    }

    /// scipy's 2-point rule: step `√ε·max(1, |xᵢ|)`, backwards where forwards leaves the box.
    fn forward<const N: usize>(&mut self, x: &[f64; N], fx: f64, g: &mut [f64; N]) {
        let mut p = *x;
        for i in 0..N {
            let mut h = f64::EPSILON.sqrt() * x[i].abs().max(1.0);
            if x[i] + h > self.f.upper[i] {
                h = -h;
            }
            p[i] = x[i] + h;
            let h = p[i] - x[i];
            g[i] = (self.eval(&p) - fx) / h;
            p[i] = x[i];
        }
    }
}

impl<const N: usize> Objective<f64, N> for Probe<'_> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        self.eval(x)
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        match self.f.grad {
            Some(grad) => {
                self.evals += 1;
                grad(x, g);
                Ok(0)
            }
            None => {
                let fx = self.eval(x);
                self.forward(x, fx, g);
                Ok(N + 1)
            }
        }
    }
    fn gradient_at(&mut self, x: &[f64; N], fx: f64, g: &mut [f64; N]) -> Result<usize, Error> {
        match self.f.grad {
            Some(_) => self.gradient(x, g),
            None => {
                self.forward(x, fx, g);
                Ok(N)
            }
        }
    }
}

// ------------------------------------------------------------------ the methods

/// A method's run from `x0` (in the box) with the run's generator and budget.
type Runner = fn(
    &mut Probe<'_>,
    &Bounds<'_, f64>,
    &mut XorShiftRng,
    &[f64],
    Budget<f64>,
) -> Result<SearchReport<f64>, Error>;

/// The dimensions the benchmark has.
const DIMS: [usize; 6] = [2, 3, 4, 5, 6, 10];

/// A method: its name and its runner instantiated for each of [`DIMS`].
struct Method {
    name: &'static str,
    run: [Runner; DIMS.len()],
}

/// `method!(name, runner)`: `runner::<N, 15·N>` for each dimension of [`DIMS`].
macro_rules! method {
    ($name:expr, $f:ident) => {
        Method {
            name: $name,
            run: [
                $f::<2, 30>,
                $f::<3, 45>,
                $f::<4, 60>,
                $f::<5, 75>,
                $f::<6, 90>,
                $f::<10, 150>,
            ],
        }
    };
}

/// Our methods, one line each.
const METHODS: [Method; 9] = [
    method!("multi-start", multi_start),
    method!("MLSL", mlsl),
    method!("basin hopping", basin_hopping),
    method!("simulated annealing", annealing),
    method!("genetic", genetic),
    method!("replica exchange", replica_exchange),
    method!("differential evolution", differential_evolution),
    method!("dual annealing", dual_annealing),
    method!("CMA-ES (IPOP)", cmaes),
];

fn start<const N: usize>(x0: &[f64]) -> [f64; N] {
    let mut x = [0.0; N];
    x.copy_from_slice(x0);
    x
}

fn lbfgs<const N: usize>() -> ProjectedLbfgs<f64, N, 10> {
    ProjectedLbfgs::default()
}

fn multi_start<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    // A local search costs at least a value and a gradient: budget/2 starts never run out.
    let k = budget.max_evals / 2;
    let mut starts = vec![0.0; k * N];
    starts[..N].copy_from_slice(x0);
    for row in starts.chunks_exact_mut(N).skip(1) {
        b.sample(rng, row)?;
    }
    let mut losses = vec![0.0; k];
    let mut best = [0.0; N];
    let mut work = vec![0.0; LOCAL_WORK * N];
    multistart_slice(
        &mut Fixed::<Probe<'_>, N>(o),
        &mut lbfgs::<N>(),
        b,
        &budget,
        &mut starts,
        &mut losses,
        &mut best,
        &mut work,
    )
}

/// MLSL with its defaults; the sample may hold budget/2 points (each costs one value; the
/// local searches at least two more), so it never fills up within the budget (a sample of
/// budget/4 or budget/10 points fills up first on Eggholder: 18 or 15 of 20 seeds instead of
/// 20).
fn mlsl<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = MlslConfig {
        budget,
        ..MlslConfig::default()
    };
    let k = budget.max_evals / 2;
    let (np, nm, nv) = mlsl_store_len(N, k).unwrap();
    let (mut points, mut minima, mut values) = (vec![0.0; np], vec![0.0; nm], vec![0.0; nv]);
    let mut best = [0.0; N];
    let mut work = vec![0.0; MLSL_WORK * N];
    mlsl_slice(
        &mut Fixed::<Probe<'_>, N>(o),
        &mut lbfgs::<N>(),
        rng,
        b,
        &cfg,
        x0,
        &mut best,
        &mut points,
        &mut minima,
        &mut values,
        &mut work,
    )
}

fn basin_hopping<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = HoppingConfig {
        budget,
        ..HoppingConfig::default()
    };
    BasinHopper::<f64, N>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

fn annealing<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = AnnealingConfig {
        budget,
        ..AnnealingConfig::default()
    };
    Annealer::<f64, N>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

fn genetic<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = GeneticConfig {
        budget,
        ..GeneticConfig::default()
    };
    Genetic::<f64, N, P>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

fn replica_exchange<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = ReplicaConfig {
        budget,
        ..ReplicaConfig::default()
    };
    ReplicaExchange::<f64, N, 8>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

fn differential_evolution<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = DifferentialEvolutionConfig {
        budget,
        ..DifferentialEvolutionConfig::default()
    };
    DifferentialEvolution::<f64, N, P>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

fn dual_annealing<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = DualAnnealingConfig {
        budget,
        ..DualAnnealingConfig::default()
    };
    let mut polish = lbfgs::<N>();
    // scipy's local-search iteration cap min(max(6n, 100), 1000).
    polish.max_iter = (6 * N).clamp(100, 1000);
    DualAnnealing::<f64, N>::new(cfg)?.run(o, &mut polish, b, rng, &mut start(x0))
}

/// CMA-ES with IPOP restarts (Auger & Hansen 2005: λ doubles at each restart) until the
/// budget: 9 restarts, the count of pycma's `bipop`-less examples, scratch for λ up to 64.
fn cmaes<const N: usize, const P: usize>(
    o: &mut Probe<'_>,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: &[f64],
    budget: Budget<f64>,
) -> Result<SearchReport<f64>, Error> {
    let cfg = CmaesConfig {
        budget,
        restarts: 9,
        ..CmaesConfig::default()
    };
    Cmaes::<f64, N, 64>::new(cfg)?.run(o, &mut lbfgs::<N>(), b, rng, &mut start(x0))
}

// ------------------------------------------------------------------ the reference file

fn reference_lines(kind: &str) -> impl Iterator<Item = Vec<&'static str>> + '_ {
    REFERENCE
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(move |w| w.first() == Some(&kind))
}

/// scipy's (runs, successes, mean evaluations, mean final gap) of one method on one function.
fn scipy(f: &Bench, method: &str) -> (usize, usize, f64, f64) {
    for w in reference_lines("result") {
        if w[1] == f.name && w[2] == f.dim.to_string() && w[3] == method {
            return (
                w[4].parse().unwrap(),
                w[5].parse().unwrap(),
                w[6].parse().unwrap(),
                w[7].parse().unwrap(),
            );
        }
    }
    panic!("no scipy result for {} {}-D {method}", f.name, f.dim);
}

/// scipy's methods, as the reference file names them, and their short names.
const SCIPY_METHODS: [(&str, &str); 4] = [
    ("dual_annealing", "DA"),
    ("differential_evolution", "DE"),
    ("basinhopping", "BH"),
    ("shgo", "SHGO"),
];

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn functions_match_the_reference() {
    let fstars: Vec<_> = reference_lines("fstar").collect();
    assert_eq!(fstars.len(), FUNCTIONS.len());
    let mut points = 0;
    for (f, w) in FUNCTIONS.iter().zip(&fstars) {
        assert_eq!((w[1], w[2]), (f.name, f.dim.to_string().as_str()));
        let fs: f64 = w[3].parse().unwrap();
        assert!(
            close(f.f_star, fs, 1e-15),
            "{} f* {} vs {fs}",
            f.name,
            f.f_star
        );
        assert!(close(f.tol(), w[4].parse().unwrap(), 1e-12));
        assert_eq!(w[5], f.budget().to_string());
        assert_eq!(w[6], if f.grad.is_some() { "analytic" } else { "fd" });
        assert_eq!((f.lower.len(), f.upper.len()), (f.dim, f.dim));
        let dim = f.dim.to_string();
        for p in reference_lines("point").filter(|p| p[1] == f.name && p[2] == dim) {
            let x: Vec<f64> = p[3..3 + f.dim].iter().map(|s| s.parse().unwrap()).collect();
            assert_eq!((p[3 + f.dim], p[5 + f.dim]), ("f", "g"));
            let want: f64 = p[4 + f.dim].parse().unwrap();
            let got = (f.value)(&x);
            assert!(
                close(got, want, 1e-12),
                "{} at {x:?}: {got} vs {want}",
                f.name
            );
            let gw = &p[6 + f.dim..];
            if let Some(grad) = f.grad {
                let mut g = vec![0.0; f.dim];
                grad(&x, &mut g);
                let scale = gw
                    .iter()
                    .map(|s| s.parse::<f64>().unwrap().abs())
                    .fold(1.0, f64::max);
                for (gi, s) in g.iter().zip(gw) {
                    let want: f64 = s.parse().unwrap();
                    assert!(
                        (gi - want).abs() <= 1e-11 * scale,
                        "{} ∇ at {x:?}: {g:?} vs {gw:?}",
                        f.name
                    );
                }
            } else {
                assert_eq!(gw, ["-"]);
            }
            points += 1;
        }
    }
    assert_eq!(points, 4 * FUNCTIONS.len());
}

// ------------------------------------------------------------------ the benchmark

/// One method's outcome on one function: successes of `runs`, mean evaluations to success,
/// mean gap `best − f*` of the best loss evaluated within the budget.
#[derive(Clone, Copy, Debug)]
struct Outcome {
    name: &'static str,
    runs: usize,
    ok: usize,
    evals: f64,
    gap: f64,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.runs as f64
    }
    /// Best first: higher success rate, then fewer evaluations.
    fn better(&self, o: &Outcome) -> bool {
        self.rate() > o.rate() || (self.rate() == o.rate() && self.ok > 0 && self.evals < o.evals)
    }
}

fn run_method(m: &Method, f: &Bench, seeds: u64) -> Outcome {
    let d = DIMS
        .iter()
        .position(|&d| d == f.dim)
        .expect("dimension not in DIMS");
    let b = Bounds::new(f.lower, f.upper).unwrap();
    let budget = Budget {
        max_evals: f.budget(),
        f_target: f.f_star + f.tol(),
        ..Budget::default()
    };
    let (mut ok, mut evals, mut gap) = (0, 0, 0.0);
    for seed in 0..seeds {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x0 = vec![0.0; f.dim];
        b.sample(&mut rng, &mut x0).unwrap();
        let mut probe = Probe::new(f);
        let r = (m.run[d])(&mut probe, &b, &mut rng, &x0, budget);
        let r = r.unwrap_or_else(|e| panic!("{} on {} {}-D: {e:?}", m.name, f.name, f.dim));
        // A run may end one finite-difference gradient past its budget (the global module's
        // rule); the probe ignores what comes after the budget.
        assert!(r.evals() <= f.budget() + f.dim + 2, "{}: {r:?}", m.name);
        gap += probe.best - f.f_star;
        if let Some(h) = probe.hit {
            ok += 1;
            evals += h;
        }
    }
    Outcome {
        name: m.name,
        runs: seeds as usize,
        ok,
        evals: evals as f64 / ok.max(1) as f64,
        gap: gap / seeds as f64,
    }
}

fn best(v: &[Outcome]) -> Outcome {
    let mut b = v[0];
    for o in &v[1..] {
        if o.better(&b) {
            b = *o;
        }
    }
    b
}

fn pct(o: &Outcome) -> String {
    format!("{:.0}", 100.0 * o.rate())
}

fn evals(o: &Outcome) -> String {
    if o.ok == 0 {
        "—".into()
    } else {
        format!("{:.0}", o.evals)
    }
}

/// Runs everything with `seeds` seeds, prints the tables, writes the markdown report and
/// returns the goals' counts.
fn bench(seeds: u64) -> (usize, usize) {
    let mut md = vec![
        format!(
            "Budget 5 000 × n evaluations; success `f − f* < 1e-6·max(1, |f*|)`; lossmap {seeds} \
             seeds, scipy {SEEDS_FULL} (shgo: one deterministic run). Success % and mean \
             evaluations to success."
        ),
        String::new(),
        "| function | n | scipy best (method, success %, evals) | ours best (method, success %, evals) | scipy DA evals | goal 1 | goal 2 |".into(),
        "|---|---|---|---|---|---|---|".into(),
    ];
    let (mut g1, mut g2) = (0, 0);
    for f in &FUNCTIONS {
        let ours: Vec<Outcome> = METHODS.iter().map(|m| run_method(m, f, seeds)).collect();
        let theirs: Vec<Outcome> = SCIPY_METHODS
            .iter()
            .map(|&(key, short)| {
                let (runs, ok, evals, gap) = scipy(f, key);
                Outcome {
                    name: short,
                    runs,
                    ok,
                    evals,
                    gap,
                }
            })
            .collect();
        println!(
            "\n{} {}-D (budget {}, {} grad)",
            f.name,
            f.dim,
            f.budget(),
            if f.grad.is_some() { "analytic" } else { "fd" }
        );
        for o in ours.iter().chain(&theirs) {
            println!(
                "  {:<24} {:>4}/{:<4} {:>5}%  {:>8} evals  mean gap {:.3e}",
                o.name,
                o.ok,
                o.runs,
                pct(o),
                evals(o),
                o.gap
            );
        }
        let (ob, sb) = (best(&ours), best(&theirs));
        let da = theirs[0];
        let goal1 = ob.rate() >= sb.rate();
        // Goal 2: our best's mean evaluations ≤ scipy DA's (a DA that never succeeds is beaten
        // by any success of ours).
        let goal2 = ob.ok > 0 && (da.ok == 0 || ob.evals <= da.evals);
        g1 += usize::from(goal1);
        g2 += usize::from(goal2);
        println!(
            "  goal 1 {}, goal 2 {}",
            if goal1 { "holds" } else { "FAILS" },
            if goal2 { "holds" } else { "FAILS" }
        );
        md.push(format!(
            "| {} | {} | {}, {}, {} | {}, {}, {} | {} | {} | {} |",
            f.name,
            f.dim,
            sb.name,
            pct(&sb),
            evals(&sb),
            ob.name,
            pct(&ob),
            evals(&ob),
            evals(&da),
            if goal1 { "yes" } else { "no" },
            if goal2 { "yes" } else { "no" }
        ));
    }
    let n = FUNCTIONS.len();
    let summary = format!(
        "Goal 1 (some method of ours at least scipy's best success rate): {g1}/{n} functions. \
         Goal 2 (our best's mean evaluations ≤ scipy DA's): {g2}/{n} = {:.0} % (target ≥ 80 %).",
        100.0 * g2 as f64 / n as f64
    );
    println!("\n{summary}");
    md.push(String::new());
    md.push(summary);
    common::write_report("global-bench.md", &md.join("\n"));
    (g1, g2)
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "runs in release (scripts/test): about 5 min of CPU in a debug build"
)]
fn global_bench_default_seeds() {
    // LOSSMAP_BENCH_SEEDS=k runs k seeds instead and asserts nothing (for timing, exploring).
    if let Some(k) = std::env::var("LOSSMAP_BENCH_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        bench(k);
        return;
    }
    let (g1, g2) = bench(SEEDS_DEFAULT);
    assert!(
        g1 >= GOALS_DEFAULT.0 && g2 >= GOALS_DEFAULT.1,
        "goals {g1}, {g2} below {GOALS_DEFAULT:?}"
    );
}

#[test]
#[ignore = "100 seeds: run in release, see the module docs"]
fn global_bench_full() {
    let (g1, g2) = bench(SEEDS_FULL);
    assert!(
        g1 >= GOALS_FULL.0 && g2 >= GOALS_FULL.1,
        "goals {g1}, {g2} below {GOALS_FULL:?}"
    );
}
