//! Differential evolution (Storn & Price 1997, scipy's defaults) on landscapes it was not
//! designed around, with the projected-gradient polish (the C interface's): success over 20
//! seeds (100..120, other than those of the scipy comparison in tests/global_de_da_reference.rs)
//! within stated budgets, every evaluation counted and within the budget, reproducibility,
//! the Latin-hypercube initialization's stratification, non-finite losses and f32.

mod common;
mod global_landscapes;

use global_landscapes::{Levy, Schwefel, ST_MIN, TOL};
use lossmap::global::{
    latin_hypercube, Bounds, Budget, DifferentialEvolution, DifferentialEvolutionConfig, NoPolish,
    ProjectedGradient, SearchReport, SearchStop, DE_RAND1BIN,
};
use lossmap::testfn::{Ackley, Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// Counts value and gradient calls independently of the search.
#[derive(Clone, Copy)]
struct Count<O> {
    inner: O,
    values: usize,
    grads: usize,
}

impl<O: Objective<f64, N>, const N: usize> Objective<f64, N> for Count<O> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        self.values += 1;
        self.inner.value(x)
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        self.grads += 1;
        self.inner.gradient(x, g)
    }
}

fn config(max_evals: usize, f_target: f64) -> DifferentialEvolutionConfig<f64> {
    let d = DifferentialEvolutionConfig::default();
    DifferentialEvolutionConfig {
        budget: Budget {
            max_evals,
            f_target,
            ..d.budget
        },
        ..d
    }
}

/// Successes over seeds 100..120 (and the largest evaluation count seen).
fn successes<O: Objective<f64, N> + Copy, const N: usize, const P: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    cfg: DifferentialEvolutionConfig<f64>,
) -> (usize, usize) {
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = DifferentialEvolutionConfig {
        budget: Budget {
            f_target: f_star + TOL,
            ..cfg.budget
        },
        ..cfg
    };
    let (mut ok, mut most) = (0, 0);
    for seed in 100..120 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = Count {
            inner: obj,
            values: 0,
            grads: 0,
        };
        let mut de = DifferentialEvolution::<f64, N, P>::new(cfg).unwrap();
        let r = de
            .run(
                &mut o,
                &mut ProjectedGradient::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        // Every evaluation is counted (analytic gradients: no hidden values) and within budget.
        assert_eq!((o.values, o.grads), (r.value_evals, r.grad_evals), "{r:?}");
        assert!(r.evals() <= cfg.budget.max_evals, "{r:?}");
        assert_eq!(o.inner.clone().value(&x), r.best_loss);
        assert!(b.contains(&x));
        assert!(de.population.iter().all(|p| b.contains(p)));
        assert!(de.fitness.iter().all(|&f| f >= r.best_loss));
        most = most.max(r.evals());
        if r.best_loss - f_star < TOL {
            ok += 1;
        }
    }
    (ok, most)
}

#[test]
fn finds_the_global_minimum_of_unseen_landscapes() {
    let mut lines = Vec::new();
    let mut record = |name: &str, (ok, most): (usize, usize), need: usize| {
        let line = format!("LOSSMAP-GLOBAL method=differential-evolution strategy:case={name} success={ok}/20 max_evals_used={most}");
        println!("{line}");
        lines.push(line);
        assert!(ok >= need, "{name}: {ok}/20");
    };
    // 20 000 evaluations in 2-D, 50 000 in 5-D; P = 15·N (scipy's default). DE's convergence
    // test (tol = 0.01) stops some runs in a local minimum of Rastrigin and Schwefel, as in
    // scipy (tests/reference/global_de_da.txt: 17/20 and 18/20).
    record(
        "best1bin:six-hump-camel-2D",
        successes::<_, 2, 30>(
            SixHumpCamel,
            [-3.0, -2.0],
            [3.0, 2.0],
            -1.0316284534898774,
            config(20_000, 0.0),
        ),
        20,
    );
    record(
        "best1bin:ackley-2D",
        successes::<_, 2, 30>(
            Ackley::<2>,
            [-32.768; 2],
            [32.768; 2],
            0.0,
            config(20_000, 0.0),
        ),
        19,
    );
    record(
        "best1bin:rastrigin-2D",
        successes::<_, 2, 30>(
            Rastrigin::<2>,
            [-5.12; 2],
            [5.12; 2],
            0.0,
            config(20_000, 0.0),
        ),
        14,
    );
    record(
        "best1bin:schwefel-2D",
        successes::<_, 2, 30>(Schwefel, [-500.0; 2], [500.0; 2], 0.0, config(20_000, 0.0)),
        15,
    );
    record(
        "best1bin:styblinski-tang-5D",
        successes::<_, 5, 75>(
            StyblinskiTang::<5>,
            [-5.0; 5],
            [5.0; 5],
            5.0 * ST_MIN,
            config(50_000, 0.0),
        ),
        20,
    );
    record(
        "best1bin:levy-5D",
        successes::<_, 5, 75>(Levy, [-10.0; 5], [10.0; 5], 0.0, config(50_000, 0.0)),
        19,
    );
    // rand1bin explores more and converges more slowly (Storn & Price's DE/rand/1/bin).
    let rand = DifferentialEvolutionConfig {
        strategy: DE_RAND1BIN,
        ..config(20_000, 0.0)
    };
    record(
        "rand1bin:six-hump-camel-2D",
        successes::<_, 2, 30>(
            SixHumpCamel,
            [-3.0, -2.0],
            [3.0, 2.0],
            -1.0316284534898774,
            rand,
        ),
        20,
    );
    record(
        "rand1bin:rastrigin-2D",
        successes::<_, 2, 30>(Rastrigin::<2>, [-5.12; 2], [5.12; 2], 0.0, rand),
        15,
    );
    common::write_report("global-de-unseen.txt", &lines.join("\n"));
}

fn one_run(seed: u64, x: &mut [f64; 2]) -> (SearchReport<f64>, [[f64; 2]; 12]) {
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let mut de = DifferentialEvolution::<f64, 2, 12>::new(config(3_000, -1.0)).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let r = de
        .run(
            &mut Rastrigin::<2>,
            &mut ProjectedGradient::default(),
            &b,
            &mut rng,
            x,
        )
        .unwrap();
    (r, de.population)
}

#[test]
fn the_same_seed_reproduces_a_run_bit_for_bit() {
    let (mut a, mut b, mut c) = ([3.0, -2.0], [3.0, -2.0], [3.0, -2.0]);
    let (ra, pa) = one_run(9, &mut a);
    let (rb, pb) = one_run(9, &mut b);
    let (rc, pc) = one_run(10, &mut c);
    assert_eq!(ra, rb);
    assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
    assert_eq!(pa, pb);
    assert!(pa != pc && (ra != rc || a != c));
}

#[test]
fn the_budget_binds_and_convergence_stops_the_search() {
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    // A budget smaller than a few generations: the evaluations stop the search (no polish left).
    let mut de = DifferentialEvolution::<f64, 2, 20>::new(config(50, -1.0)).unwrap();
    let mut x = [1.0, 1.0];
    let mut o = Count {
        inner: Rastrigin::<2>,
        values: 0,
        grads: 0,
    };
    let r = de
        .run(
            &mut o,
            &mut ProjectedGradient::default(),
            &b,
            &mut XorShiftRng::seed_from_u64(1),
            &mut x,
        )
        .unwrap();
    assert_eq!(
        (r.reason, r.evals(), o.values),
        (SearchStop::MaxEvaluations, 50, 50)
    );
    // With plenty of evaluations the population converges (std ≤ 0.01·|mean|) on the bowl.
    let mut bowl = |v: &[f64; 2]| 1.0 + v[0] * v[0] + v[1] * v[1];
    let mut de = DifferentialEvolution::<f64, 2, 20>::new(config(100_000, -f64::MAX)).unwrap();
    let mut x = [1.0, 1.0];
    let r = de
        .run(
            &mut bowl,
            &mut NoPolish,
            &b,
            &mut XorShiftRng::seed_from_u64(1),
            &mut x,
        )
        .unwrap();
    assert_eq!(r.reason, SearchStop::Converged, "{r:?}");
    let f = de.fitness;
    let mean = f.iter().sum::<f64>() / 20.0;
    let sd = (f.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 20.0).sqrt();
    assert!(sd <= 0.01 * mean, "{sd} {mean}");
    assert_eq!(r.evals(), 20 * (r.iterations + 1));
}

/// Each coordinate's range is cut into P strata, each holding exactly one member, and the
/// coordinates are permuted independently.
#[test]
fn latin_hypercube_hits_each_stratum_once_per_coordinate() {
    let lo = [-1.0, 0.0, 10.0];
    let hi = [1.0, 5.0, 12.0];
    let b = Bounds::new(&lo, &hi).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(3);
    let mut same_order = 0;
    for p in [5usize, 7, 15, 45] {
        for _ in 0..20 {
            let mut pop = vec![f64::NAN; p * 3];
            latin_hypercube(&mut rng, &b, &mut pop).unwrap();
            let mut strata = vec![vec![0usize; p]; 3];
            for row in pop.chunks(3) {
                assert!(b.contains(row));
                for j in 0..3 {
                    let s = ((row[j] - lo[j]) / (hi[j] - lo[j]) * p as f64) as usize;
                    strata[j][s.min(p - 1)] += 1;
                }
            }
            assert!(
                strata.iter().all(|c| c.iter().all(|&k| k == 1)),
                "{strata:?}"
            );
            let s0: Vec<usize> = pop
                .chunks(3)
                .map(|r| ((r[0] + 1.0) / 2.0 * p as f64) as usize)
                .collect();
            let s1: Vec<usize> = pop
                .chunks(3)
                .map(|r| (r[1] / 5.0 * p as f64) as usize)
                .collect();
            same_order += usize::from(p >= 15 && s0 == s1);
        }
    }
    // Independent permutations: the same order in two coordinates has probability 1/P!
    // (negligible for P ≥ 15).
    assert_eq!(same_order, 0);
    // The typed run puts `x` first and fills the rest from the hypercube.
    let b2 = Bounds::new(&[-1.0; 2], &[1.0; 2]).unwrap();
    let mut de = DifferentialEvolution::<f64, 2, 10>::new(DifferentialEvolutionConfig {
        budget: Budget {
            max_evals: 10,
            ..Budget::default()
        },
        ..DifferentialEvolutionConfig::default()
    })
    .unwrap();
    let mut x = [0.25, -0.75];
    let mut f = |v: &[f64; 2]| v[0] + v[1];
    let r = de
        .run(
            &mut f,
            &mut NoPolish,
            &b2,
            &mut XorShiftRng::seed_from_u64(4),
            &mut x,
        )
        .unwrap();
    assert_eq!((r.reason, r.iterations), (SearchStop::MaxEvaluations, 0));
    assert_eq!(de.population[0], [0.25, -0.75]);
}

/// NaN and +∞ losses on part of the box get the worst fitness and never reach the outputs.
#[test]
fn non_finite_losses_are_never_kept() {
    let b = Bounds::new(&[-3.0, -2.0], &[3.0, 2.0]).unwrap();
    let mut f = |v: &[f64; 2]| {
        if v[0] > 1.5 {
            f64::NAN
        } else if v[1] > 1.5 {
            f64::NEG_INFINITY
        } else {
            SixHumpCamel.value(v)
        }
    };
    let mut de =
        DifferentialEvolution::<f64, 2, 30>::new(config(20_000, -1.0316284534898774 + TOL))
            .unwrap();
    let mut x = [0.0, 0.0];
    let r = de
        .run(
            &mut f,
            &mut ProjectedGradient::default(),
            &b,
            &mut XorShiftRng::seed_from_u64(2),
            &mut x,
        )
        .unwrap();
    assert!(r.best_loss - SixHumpCamel::MIN_VALUE < TOL, "{r:?}");
    assert!(de.fitness.iter().all(|v| !v.is_nan()));
    // Nothing evaluable: NonFiniteLoss.
    let mut nan = |_: &[f64; 2]| f64::NAN;
    let mut x = [0.0, 0.0];
    assert_eq!(
        de.run(
            &mut nan,
            &mut NoPolish,
            &b,
            &mut XorShiftRng::seed_from_u64(2),
            &mut x
        ),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, [0.0, 0.0]);
}

#[test]
fn f32_finds_the_camel_minimum() {
    let b = Bounds::new(&[-3.0f32, -2.0], &[3.0, 2.0]).unwrap();
    let mut de =
        DifferentialEvolution::<f32, 2, 30>::new(DifferentialEvolutionConfig::default()).unwrap();
    let mut x = [2.0f32, 1.0];
    let r = de
        .run(
            &mut SixHumpCamel,
            &mut ProjectedGradient::default(),
            &b,
            &mut XorShiftRng::seed_from_u64(5),
            &mut x,
        )
        .unwrap();
    assert!(
        (r.best_loss as f64 - SixHumpCamel::MIN_VALUE).abs() < 1e-5,
        "{r:?}"
    );
}
