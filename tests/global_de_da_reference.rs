//! Differential evolution and dual annealing against scipy: the same eight landscapes
//! (tests/global_landscapes), boxes, evaluation budgets, analytic gradients, start points drawn
//! uniformly and 20 seeds as tests/reference/global_de_da.py, which ran
//! `scipy.optimize.differential_evolution` and `scipy.optimize.dual_annealing` with their
//! defaults and wrote tests/reference/global_de_da.txt. A run succeeds when it evaluates a loss
//! below f* + 1e-6 within the budget. Our success rate must be at least scipy's minus
//! [`MARGIN`] runs of 20 for every case (the seeds differ, so equal methods differ by sampling
//! noise: a binomial of 20 at p = 0.75 has a standard deviation of 1.9 runs). The table goes
//! to stdout and `target/lossmap-reports/global-de-da.txt`.

mod common;
mod global_landscapes;

use global_landscapes::{boxed, Case, CASES, TOL};
use lossmap::global::{
    Bounds, Budget, DifferentialEvolution, DifferentialEvolutionConfig, DualAnnealing,
    DualAnnealingConfig, ProjectedLbfgs,
};
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// scipy's results and σ(T) values (tests/reference/global_de_da.py).
const SCIPY: &str = include_str!("reference/global_de_da.txt");

/// Runs of 20 by which our success count may fall short of scipy's (two standard deviations
/// of the binomial noise at p = 0.75).
const MARGIN: usize = 4;
const SEEDS: u64 = 20;

/// (successes, mean evaluations to success).
type Outcome = (usize, f64);

fn de<O: Objective<f64, N> + Copy, const N: usize, const P: usize>(obj: O, c: &Case) -> Outcome {
    let (lo, hi) = boxed::<N>(c);
    let b = Bounds::new(&lo, &hi).unwrap();
    let d = DifferentialEvolutionConfig::<f64>::default();
    let cfg = DifferentialEvolutionConfig {
        budget: Budget {
            max_evals: c.budget,
            f_target: c.f_star + TOL,
            ..d.budget
        },
        ..d
    };
    let (mut ok, mut evals) = (0, 0);
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let mut m = DifferentialEvolution::<f64, N, P>::new(cfg).unwrap();
        let mut polish = ProjectedLbfgs::<f64, N, 10>::default();
        let r = m.run(&mut o, &mut polish, &b, &mut rng, &mut x).unwrap();
        assert!(r.evals() <= c.budget, "{r:?}");
        if r.best_loss - c.f_star < TOL {
            ok += 1;
            evals += r.evals();
        }
    }
    (ok, evals as f64 / ok.max(1) as f64)
}

fn da<O: Objective<f64, N> + Copy, const N: usize>(obj: O, c: &Case) -> Outcome {
    let (lo, hi) = boxed::<N>(c);
    let b = Bounds::new(&lo, &hi).unwrap();
    let d = DualAnnealingConfig::<f64>::default();
    let cfg = DualAnnealingConfig {
        budget: Budget {
            max_evals: c.budget,
            f_target: c.f_star + TOL,
            ..d.budget
        },
        ..d
    };
    let (mut ok, mut evals) = (0, 0);
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let mut m = DualAnnealing::<f64, N>::new(cfg).unwrap();
        // scipy's local-search iteration cap min(max(6n, 100), 1000).
        let mut polish = ProjectedLbfgs::<f64, N, 10>::default();
        polish.max_iter = (6 * N).clamp(100, 1000);
        let r = m.run(&mut o, &mut polish, &b, &mut rng, &mut x).unwrap();
        assert!(r.evals() <= c.budget, "{r:?}");
        if r.best_loss - c.f_star < TOL {
            ok += 1;
            evals += r.evals();
        }
    }
    (ok, evals as f64 / ok.max(1) as f64)
}

fn de2<O: Objective<f64, 2> + Copy>(o: O, c: &Case) -> Outcome {
    de::<O, 2, 30>(o, c)
}
fn de5<O: Objective<f64, 5> + Copy>(o: O, c: &Case) -> Outcome {
    de::<O, 5, 75>(o, c)
}
fn da2<O: Objective<f64, 2> + Copy>(o: O, c: &Case) -> Outcome {
    da::<O, 2>(o, c)
}
fn da5<O: Objective<f64, 5> + Copy>(o: O, c: &Case) -> Outcome {
    da::<O, 5>(o, c)
}

/// scipy's (successes, mean evaluations) for a case and method, from the reference file.
fn scipy(c: &Case, method: &str) -> Outcome {
    for line in SCIPY.lines().filter(|l| !l.starts_with('#')) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() == 7 && w[0] == c.name && w[1] == c.dim.to_string() && w[2] == method {
            assert_eq!(w[3], c.budget.to_string(), "{line}");
            assert_eq!(w[5], SEEDS.to_string(), "{line}");
            return (w[4].parse().unwrap(), w[6].parse().unwrap());
        }
    }
    panic!("no reference for {} {} {method}", c.name, c.dim);
}

fn compare(method: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for c in &CASES {
        let ours = if method == "de" {
            dispatch!(c, de2, de5)
        } else {
            dispatch!(c, da2, da5)
        };
        let theirs = scipy(c, method);
        let row = format!(
            "| {method} | {}-{}D | {} | {}/{SEEDS} | {:.0} | {}/{SEEDS} | {:.0} |",
            c.name, c.dim, c.budget, ours.0, ours.1, theirs.0, theirs.1
        );
        println!("{row}");
        if ours.0 + MARGIN < theirs.0 {
            failures.push(row.clone());
        }
        rows.push(row);
    }
    assert!(failures.is_empty(), "below scipy: {failures:#?}");
    rows
}

#[test]
fn differential_evolution_succeeds_as_often_as_scipy() {
    let rows = compare("de");
    common::write_report("global-de.txt", &rows.join("\n"));
}

#[test]
fn dual_annealing_succeeds_as_often_as_scipy() {
    let rows = compare("da");
    common::write_report("global-da.txt", &rows.join("\n"));
}
