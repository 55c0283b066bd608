//! Dual annealing (Tsallis & Stariolo 1996; Xiang et al. 1997; scipy's defaults) on landscapes
//! it was not designed around, with the projected-gradient polish (the C interface's): success
//! over 20 seeds (100..120) within stated budgets, every evaluation counted and within budget,
//! reproducibility; the visiting distribution against closed forms and scipy's σ(T); the
//! temperature schedule against its formula; the strategy chain's 2n visits.

mod common;
mod global_landscapes;

use global_landscapes::{Griewank, Levy, Schwefel, ST_MIN, TOL};
use lossmap::global::{
    dual_annealing_temperature, Bounds, Budget, DualAnnealing, DualAnnealingConfig, NoPolish,
    ProjectedGradient, SearchReport, SearchStop, VisitingDistribution,
};
use lossmap::testfn::{Ackley, Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// scipy's results and σ(T) values (tests/reference/global_de_da.py).
const SCIPY: &str = include_str!("reference/global_de_da.txt");

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

fn config(max_evals: usize, f_target: f64) -> DualAnnealingConfig<f64> {
    let d = DualAnnealingConfig::default();
    DualAnnealingConfig {
        budget: Budget {
            max_evals,
            f_target,
            ..d.budget
        },
        ..d
    }
}

fn successes<O: Objective<f64, N> + Copy, const N: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    max_evals: usize,
) -> (usize, usize) {
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = config(max_evals, f_star + TOL);
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
        let mut da = DualAnnealing::<f64, N>::new(cfg).unwrap();
        let r = da
            .run(
                &mut o,
                &mut ProjectedGradient::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        assert_eq!((o.values, o.grads), (r.value_evals, r.grad_evals), "{r:?}");
        assert!(r.evals() <= max_evals, "{r:?}");
        assert_eq!(o.inner.clone().value(&x), r.best_loss);
        assert!(b.contains(&x) && b.contains(&da.current));
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
        let line = format!("LOSSMAP-GLOBAL method=dual-annealing case={name} success={ok}/20 max_evals_used={most}");
        println!("{line}");
        lines.push(line);
        assert!(ok >= need, "{name}: {ok}/20");
    };
    record(
        "rastrigin-2D",
        successes(Rastrigin::<2>, [-5.12; 2], [5.12; 2], 0.0, 20_000),
        20,
    );
    record(
        "rastrigin-5D",
        successes(Rastrigin::<5>, [-5.12; 5], [5.12; 5], 0.0, 50_000),
        19,
    );
    record(
        "ackley-2D",
        successes(Ackley::<2>, [-32.768; 2], [32.768; 2], 0.0, 20_000),
        19,
    );
    record(
        "six-hump-camel-2D",
        successes(
            SixHumpCamel,
            [-3.0, -2.0],
            [3.0, 2.0],
            -1.0316284534898774,
            20_000,
        ),
        20,
    );
    record(
        "schwefel-2D",
        successes(Schwefel, [-500.0; 2], [500.0; 2], 0.0, 20_000),
        19,
    );
    record(
        "styblinski-tang-5D",
        successes(
            StyblinskiTang::<5>,
            [-5.0; 5],
            [5.0; 5],
            5.0 * ST_MIN,
            50_000,
        ),
        20,
    );
    record(
        "levy-5D",
        successes(Levy, [-10.0; 5], [10.0; 5], 0.0, 50_000),
        19,
    );
    // Griewank's shallow minima near the origin: scipy finds it in 11 of 20 runs.
    record(
        "griewank-2D",
        successes(Griewank, [-600.0; 2], [600.0; 2], 0.0, 20_000),
        7,
    );
    common::write_report("global-da-unseen.txt", &lines.join("\n"));
}

fn one_run(seed: u64, x: &mut [f64; 2]) -> (SearchReport<f64>, [f64; 2]) {
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let mut da = DualAnnealing::<f64, 2>::new(config(3_000, -1.0)).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let r = da
        .run(
            &mut Rastrigin::<2>,
            &mut ProjectedGradient::default(),
            &b,
            &mut rng,
            x,
        )
        .unwrap();
    (r, da.current)
}

#[test]
fn the_same_seed_reproduces_a_run_bit_for_bit() {
    let (mut a, mut b, mut c) = ([3.0, -2.0], [3.0, -2.0], [3.0, -2.0]);
    let (ra, ca) = one_run(9, &mut a);
    let (rb, cb) = one_run(9, &mut b);
    let (rc, cc) = one_run(10, &mut c);
    assert_eq!(ra, rb);
    assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
    assert_eq!(ca.map(f64::to_bits), cb.map(f64::to_bits));
    assert!(ca != cc || ra != rc);
}

/// σ(T) against scipy's `VisitingDistribution` (tests/reference/global_de_da.txt).
#[test]
fn visiting_scale_matches_scipy() {
    let mut n = 0;
    for line in SCIPY.lines().filter(|l| l.starts_with("sigma ")) {
        let w: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse().unwrap())
            .collect();
        let (qv, t, want) = (w[0], w[1], w[2]);
        let got = VisitingDistribution::new(qv).unwrap().sigma(t);
        assert!(((got - want) / want).abs() < 1e-12, "{line}: {got}");
        n += 1;
    }
    assert_eq!(n, 16);
}

/// q_v = 2: the move is σ·X/|Y| with σ = T, a Cauchy variate of scale T (quartiles ±T); and
/// for any q_v, ln|Δx| = ln σ + ln|X| − a ln|Y| (a = (q_v − 1)/(3 − q_v)) has mean
/// ln σ − (1 − a)(γ + ln 2)/2 and variance (1 + a²)π²/8 (ln|X| of a standard normal: mean
/// −(γ + ln 2)/2, variance π²/8).
#[test]
fn visiting_samples_follow_their_closed_forms() {
    let mut rng = XorShiftRng::seed_from_u64(11);
    let d = VisitingDistribution::new(2.0f64).unwrap();
    let t = 3.0;
    assert!((d.sigma(t) - t).abs() < 1e-12);
    let m = 40_000;
    let (mut inner, mut below) = (0, 0);
    for _ in 0..m {
        let v = d.sample(&mut rng, t);
        inner += usize::from(v.abs() <= t);
        below += usize::from(v < 0.0);
    }
    let (q, s) = (inner as f64 / m as f64, below as f64 / m as f64);
    // Binomial standard error 0.0025: 4 σ.
    assert!((q - 0.5).abs() < 0.01 && (s - 0.5).abs() < 0.01, "{q} {s}");

    let gamma = 0.5772156649015329;
    let pi2_8 = std::f64::consts::PI.powi(2) / 8.0;
    for qv in [1.5f64, 2.62, 2.9] {
        let d = VisitingDistribution::new(qv).unwrap();
        let a = (qv - 1.0) / (3.0 - qv);
        let temp = 50.0f64;
        let mean_want = d.sigma(temp).ln() - (1.0 - a) * (gamma + 2f64.ln()) / 2.0;
        let var_want = (1.0 + a * a) * pi2_8;
        let logs: Vec<f64> = (0..m)
            .map(|_| d.sample(&mut rng, temp).abs().ln())
            .collect();
        let mean = logs.iter().sum::<f64>() / m as f64;
        let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / m as f64;
        // Standard errors: sd/√m for the mean (≤ 0.025 here), ≈ 3·var/√m for the variance.
        let se = (var_want / m as f64).sqrt();
        assert!(
            (mean - mean_want).abs() < 5.0 * se,
            "qv {qv}: {mean} vs {mean_want}"
        );
        assert!(
            ((var - var_want) / var_want).abs() < 0.05,
            "qv {qv}: {var} vs {var_want}"
        );
    }
    // f32 samples are finite or ±∞ (capped by the chain), never NaN for a nonzero numerator.
    let d = VisitingDistribution::new(2.62f32).unwrap();
    let mut finite = 0;
    for _ in 0..1000 {
        let v = d.sample(&mut rng, 10.0);
        finite += usize::from(v.is_finite());
    }
    assert!(finite > 990);
}

/// T(t) = T₀(2^{q_v−1} − 1)/((1 + t)^{q_v−1} − 1), written out as scipy does it with exp/ln.
#[test]
fn temperature_schedule_is_the_formula() {
    for qv in [1.5f64, 2.0, 2.62, 2.9] {
        for t in [1usize, 2, 3, 10, 100, 999, 5000] {
            let t1 = ((qv - 1.0) * 2f64.ln()).exp() - 1.0;
            let t2 = ((qv - 1.0) * ((t + 1) as f64).ln()).exp() - 1.0;
            let want = 5230.0 * t1 / t2;
            let got = dual_annealing_temperature(5230.0, qv, t);
            assert!(
                ((got - want) / want).abs() < 1e-12,
                "{qv} {t}: {got} {want}"
            );
        }
    }
    // q_v = 2: T₀/t exactly (the fast-annealing schedule of Szu & Hartley).
    assert!((dual_annealing_temperature(100.0f64, 2.0, 4) - 25.0).abs() < 1e-12);
    // Decreasing; with the defaults the restart level T₀·2e-5 is reached after t ≈ 1250 steps,
    // beyond scipy's 1000 iterations.
    let restart = 5230.0 * 2e-5;
    let first = (1..5000).find(|&t| dual_annealing_temperature(5230.0f64, 2.62, t) < restart);
    assert!(
        matches!(first, Some(t) if (1200..1300).contains(&t)),
        "{first:?}"
    );
}

/// Each iteration is a chain of 2n visits: n moving every coordinate, then one per coordinate
/// in order (scipy's strategy chain). Without a local search a run of k chains evaluates
/// exactly 1 + 2nk points, and visit n + k of a chain differs from an earlier point of the run
/// in coordinate k only.
#[test]
fn the_strategy_chain_visits_all_then_each_coordinate() {
    const N: usize = 3;
    let lo = [-4.0; N];
    let hi = [4.0; N];
    let b = Bounds::new(&lo, &hi).unwrap();
    let mut seen: Vec<[f64; N]> = Vec::new();
    let mut f = |x: &[f64; N]| {
        seen.push(*x);
        Rastrigin::<N>.value(x)
    };
    let cfg = DualAnnealingConfig {
        budget: Budget {
            max_iter: 20,
            ..Budget::default()
        },
        ..DualAnnealingConfig::default()
    };
    let mut da = DualAnnealing::<f64, N>::new(cfg).unwrap();
    let mut x = [1.5, -2.5, 3.5];
    let r = da
        .run(
            &mut f,
            &mut NoPolish,
            &b,
            &mut XorShiftRng::seed_from_u64(1),
            &mut x,
        )
        .unwrap();
    assert_eq!(r.reason, SearchStop::MaxIterations);
    assert_eq!(
        (r.iterations, r.value_evals, r.grad_evals),
        (20, 1 + 2 * N * 20, 0)
    );
    assert_eq!(seen.len(), 1 + 2 * N * 20);
    for c in 0..20 {
        for k in 0..N {
            let i = 1 + 2 * N * c + N + k;
            let p = seen[i];
            let found = seen[..i]
                .iter()
                .any(|q| (0..N).all(|j| (j == k) != (q[j].to_bits() == p[j].to_bits())));
            assert!(found, "chain {c}, coordinate {k}");
        }
    }
    // A low restart ratio never restarts in 20 chains; a ratio of 0.5 restarts after every
    // chain (T(2) ≈ 0.42·T₀): each restart evaluates one uniformly drawn point.
    let cfg = DualAnnealingConfig {
        restart_temp_ratio: 0.5,
        ..cfg
    };
    let mut da = DualAnnealing::<f64, N>::new(cfg).unwrap();
    let mut x = [1.5, -2.5, 3.5];
    let r = da
        .run(
            &mut Rastrigin::<N>,
            &mut NoPolish,
            &b,
            &mut XorShiftRng::seed_from_u64(1),
            &mut x,
        )
        .unwrap();
    assert_eq!(r.value_evals, 1 + 2 * N * 20 + 19);
}

/// NaN and ±∞ visits are rejected: the outputs stay finite.
#[test]
fn non_finite_losses_are_rejected() {
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
    let mut da =
        DualAnnealing::<f64, 2>::new(config(20_000, SixHumpCamel::MIN_VALUE + TOL)).unwrap();
    let mut x = [0.0, 0.0];
    let r = da
        .run(
            &mut f,
            &mut ProjectedGradient::default(),
            &b,
            &mut XorShiftRng::seed_from_u64(2),
            &mut x,
        )
        .unwrap();
    assert!(r.best_loss - SixHumpCamel::MIN_VALUE < TOL, "{r:?}");
    assert!(da.current.iter().all(|v| v.is_finite()));
}

#[test]
fn f32_finds_the_camel_minimum() {
    let b = Bounds::new(&[-3.0f32, -2.0], &[3.0, 2.0]).unwrap();
    let mut da = DualAnnealing::<f32, 2>::new(DualAnnealingConfig::default()).unwrap();
    let mut x = [2.0f32, 1.0];
    let r = da
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
