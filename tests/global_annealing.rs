//! Simulated annealing (Kirkpatrick et al. 1983; restart-and-polish as in
//! `scipy.optimize.dual_annealing`) on test landscapes with known global minima (Rastrigin:
//! 0 at the origin; six-hump camel: −1.031628453489877; Styblinski–Tang:
//! −39.16616570377142·n): success rates over 100 seeds within 20 000 evaluations, for every
//! cooling schedule and proposal. Results go to stdout and `target/lossmap-reports/`.

mod common;

use lossmap::global::{
    Annealer, AnnealingConfig, Bounds, Budget, NoPolish, ProjectedGradient, SearchStop,
    BOUNDARY_CLIP, COOLING_ADAPTIVE, COOLING_LOGARITHMIC, PROPOSAL_CAUCHY,
};
use lossmap::testfn::{Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

const SEEDS: u64 = 100;
const ST_MIN_PER_COORD: f64 = -39.16616570377142;

/// Annealing from a uniform start for seeds `0..SEEDS`, stopping at `f_star + tol` (the run
/// stops where it first succeeds): (successes, mean evaluations of the successful runs).
fn rate<O: Objective<f64, N> + Copy, const N: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    cfg: AnnealingConfig<f64>,
) -> (usize, f64) {
    let tol = 1e-6;
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = AnnealingConfig {
        budget: Budget {
            f_target: f_star + tol,
            ..cfg.budget
        },
        ..cfg
    };
    let (mut ok, mut evals) = (0, 0usize);
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let mut sa = Annealer::<f64, N>::new(cfg).unwrap();
        let r = sa
            .run(
                &mut o,
                &mut ProjectedGradient::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        assert!(r.evals() <= cfg.budget.max_evals, "{r:?}");
        assert_eq!(o.value(&x), r.best_loss);
        assert!(b.contains(&x) && b.contains(&sa.current));
        if r.best_loss - f_star < tol {
            assert_eq!(r.reason, SearchStop::Target);
            ok += 1;
            evals += r.evals();
        }
    }
    (ok, evals as f64 / ok.max(1) as f64)
}

fn all_three(name: &str, cfg: AnnealingConfig<f64>) -> (usize, usize, usize, String) {
    let (r, e1) = rate(Rastrigin, [-5.12; 2], [5.12; 2], 0.0, cfg);
    let (s, e2) = rate(
        SixHumpCamel,
        [-3.0, -2.0],
        [3.0, 2.0],
        -1.031628453489877,
        cfg,
    );
    let (t, e3) = rate(
        StyblinskiTang,
        [-5.0; 2],
        [5.0; 2],
        2.0 * ST_MIN_PER_COORD,
        cfg,
    );
    let line = format!(
        "LOSSMAP-GLOBAL method=annealing({name}) dim=2 seeds={SEEDS} max_evals=20000 tol=1e-6 \
         rastrigin={r}/{SEEDS} camel={s}/{SEEDS} styblinski-tang={t}/{SEEDS} \
         mean_evals_to_success={e1:.0}/{e2:.0}/{e3:.0}"
    );
    println!("{line}");
    (r, s, t, line)
}

fn base() -> AnnealingConfig<f64> {
    AnnealingConfig {
        budget: Budget {
            max_evals: 20_000,
            ..Budget::default()
        },
        ..AnnealingConfig::default()
    }
}

#[test]
fn default_annealing_reaches_the_global_minimum_in_95_percent_of_seeds() {
    let (r, s, t, line) = all_three("geometric,gaussian,reflect", base());
    common::write_report("global-annealing-2d.txt", &line);
    assert!(r >= 95 && s >= 95 && t >= 95, "{line}");
}

#[test]
fn every_schedule_and_proposal_works_on_the_2d_landscapes() {
    let variants = [
        (
            "cauchy",
            AnnealingConfig {
                proposal: PROPOSAL_CAUCHY,
                ..base()
            },
        ),
        (
            "logarithmic",
            AnnealingConfig {
                cooling: COOLING_LOGARITHMIC,
                ..base()
            },
        ),
        (
            "adaptive",
            AnnealingConfig {
                cooling: COOLING_ADAPTIVE,
                ..base()
            },
        ),
        (
            "clip",
            AnnealingConfig {
                boundary: BOUNDARY_CLIP,
                ..base()
            },
        ),
    ];
    let mut lines = Vec::new();
    for (name, cfg) in variants {
        let (r, s, t, line) = all_three(name, cfg);
        assert!(r >= 95 && s >= 95 && t >= 95, "{line}");
        lines.push(line);
    }
    common::write_report("global-annealing-variants.txt", &lines.join(" | "));
}

#[test]
fn without_polish_the_loss_is_coarse_but_the_basin_is_found() {
    // Pure Metropolis sampling (no local search) gets into the right basin but not to 1e-6.
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let mut in_basin = 0;
    for seed in 0..20 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; 2];
        b.sample(&mut rng, &mut x).unwrap();
        let mut sa = Annealer::<f64, 2>::new(base()).unwrap();
        let r = sa
            .run(&mut Rastrigin, &mut NoPolish, &b, &mut rng, &mut x)
            .unwrap();
        assert_eq!(r.evals(), 20_000);
        assert_eq!(r.grad_evals, 0);
        // The origin's basin of attraction is |xᵢ| < 0.5026 (Rastrigin's first maximum).
        in_basin += usize::from(x.iter().all(|v| v.abs() < 0.5026));
    }
    assert!(in_basin >= 18, "{in_basin}/20");
}

#[test]
fn same_seed_same_run_and_reheats_happen() {
    let b = Bounds::new(&[-5.0; 2], &[5.0; 2]).unwrap();
    let run = || {
        let mut rng = XorShiftRng::seed_from_u64(77);
        let mut x = [4.0, 4.0];
        let mut sa = Annealer::<f32, 2>::new(AnnealingConfig {
            budget: Budget {
                max_evals: 5_000,
                ..Budget::default()
            },
            ..AnnealingConfig::default()
        })
        .unwrap();
        let r = sa
            .run(
                &mut StyblinskiTang,
                &mut ProjectedGradient::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        (r, x, sa.state)
    };
    let (r, x, state) = run();
    assert_eq!(run(), (r, x, state));
    assert_eq!(r.reason, SearchStop::MaxEvaluations);
    assert!(state.reheats >= 1, "{state:?}");
    assert!(
        (r.best_loss as f64 - 2.0 * ST_MIN_PER_COORD).abs() < 1e-3,
        "{r:?}"
    );
}

#[test]
fn non_finite_proposals_are_rejected() {
    // A loss that is NaN on half of the box: the search never stores a NaN as best.
    let b = Bounds::new(&[-2.0; 2], &[2.0; 2]).unwrap();
    let mut f = |x: &[f64; 2]| {
        if x[0] > 0.5 {
            f64::NAN
        } else {
            (x[0] - 1.0).powi(2) + x[1] * x[1]
        }
    };
    let mut sa = Annealer::<f64, 2>::new(AnnealingConfig {
        budget: Budget {
            max_evals: 3_000,
            ..Budget::default()
        },
        ..AnnealingConfig::default()
    })
    .unwrap();
    let mut rng = XorShiftRng::seed_from_u64(5);
    let mut x = [-1.0, 1.0];
    let r = sa.run(&mut f, &mut NoPolish, &b, &mut rng, &mut x).unwrap();
    // The constrained minimum of the finite part is (0.5, 0) with loss 0.25.
    assert!(
        r.best_loss.is_finite() && r.best_loss >= 0.25 && r.best_loss < 0.3,
        "{r:?}"
    );
    assert!(x[0] <= 0.5);
}
