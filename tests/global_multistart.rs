//! Multi-start local search and the baseline the global methods are measured against: Adam
//! alone from one uniform start rarely finds Rastrigin's global minimum (the origin's basin is
//! about 1 % of the box). End points are classified by the second-order test and checked
//! against the six-hump camel's listed minima (Dixon & Szegő 1978; refined in
//! `tests/reference/landscapes.py`).

mod common;

use lossmap::global::{
    uniform_starts, Bounds, Budget, MultiStart, Polish, ProjectedGradient, SearchStop,
};
use lossmap::landscape::{CriticalPoint, Tolerance};
use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
use lossmap::testfn::{Himmelblau, Rastrigin, SixHumpCamel};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

#[test]
fn adam_alone_rarely_reaches_the_rastrigin_minimum() {
    const SEEDS: u64 = 100;
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let mut ok = 0;
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0f64; 2];
        b.sample(&mut rng, &mut x).unwrap();
        let mut adam = Adam::<f64, 2>::new(AdamConfig {
            lr: 0.01,
            ..AdamConfig::default()
        })
        .unwrap();
        let stop = Stop {
            grad_tol: 1e-8,
            max_iter: 10_000,
            max_evals: 20_000,
            ..Stop::default()
        };
        let r = minimize(&mut Rastrigin, &mut x, &mut adam, &stop).unwrap();
        ok += usize::from(r.loss < 1e-6);
    }
    let line = format!(
        "LOSSMAP-GLOBAL method=adam-alone dim=2 rastrigin seeds={SEEDS} max_evals=20000 \
         tol=1e-6 success={ok}/{SEEDS}"
    );
    println!("{line}");
    common::write_report("global-adam-baseline.txt", &line);
    assert!(ok < 30, "{line}");
}

/// Is `x` within `tol` of one of the camel's six listed minima?
fn near_listed_minimum(x: &[f64; 2], tol: f64) -> bool {
    SixHumpCamel::MINIMA
        .iter()
        .chain(SixHumpCamel::LOCAL_MINIMA.iter())
        .any(|m| (x[0] - m[0]).abs() < tol && (x[1] - m[1]).abs() < tol)
}

#[test]
fn camel_end_points_are_classified_minima_at_listed_points() {
    let b = Bounds::new(&[-3.0, -2.0], &[3.0, 2.0]).unwrap();
    let mut ms = MultiStart::<f64, 2, 8>::new(Budget::default()).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(11);
    let pg = ProjectedGradient {
        grad_tol: 1e-10,
        ..ProjectedGradient::default()
    };
    let mut hits = 0;
    for _ in 0..20 {
        let r = ms
            .run_uniform(
                &mut SixHumpCamel,
                &mut pg.clone(),
                &b,
                &mut rng,
                &Tolerance::default(),
            )
            .unwrap();
        assert_eq!(r.report.reason, SearchStop::Completed);
        assert_eq!(r.report.iterations, 8);
        for ((end, kind), loss) in r.ends.iter().zip(&r.kinds).zip(&r.losses) {
            assert!(b.contains(end) && loss.is_finite());
            // Gradient descent from a random start ends at a minimum, never at a saddle.
            assert_eq!(*kind, Some(CriticalPoint::Minimum), "{end:?}");
            assert!(near_listed_minimum(end, 1e-6), "{end:?}");
        }
        let best = r.report.best_loss;
        assert!(r.losses.iter().all(|&l| l >= best));
        hits += usize::from((best - SixHumpCamel::MIN_VALUE).abs() < 1e-9);
    }
    // Two of the six minima are global and their basins cover much of the box: with 8 starts
    // nearly every batch contains one.
    assert!(hits >= 18, "{hits}/20");
}

#[test]
fn multistart_with_adam_polish_and_budget() {
    let b = Bounds::new(&[-5.12; 2], &[5.12; 2]).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(3);
    let starts = uniform_starts::<f64, _, 2, 8>(&b, &mut rng).unwrap();
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut polish = Polish {
        opt: &mut adam,
        stop: Stop {
            grad_tol: 1e-8,
            max_iter: 2000,
            ..Stop::default()
        },
    };
    let budget = Budget {
        max_evals: 3000,
        ..Budget::default()
    };
    let mut ms = MultiStart::<f64, 2, 8>::new(budget).unwrap();
    let r = ms
        .run(
            &mut Rastrigin,
            &mut polish,
            &b,
            &starts,
            &Tolerance::default(),
        )
        .unwrap();
    assert!(r.report.evals() <= 3000 + 2, "{:?}", r.report);
    assert!(r.report.iterations <= 8);
    // Rows not run keep their start and a NaN loss.
    for (k, (end, loss)) in r.ends.iter().zip(&r.losses).enumerate() {
        if k >= r.report.iterations {
            assert!(loss.is_nan() && *end == starts[k]);
        }
    }
    // Every loss found is a Rastrigin local-minimum value: Σ over coordinates of the 1-D
    // minimum values 0, 0.99496, 3.9798, … is at least 0, and the best is the smallest.
    let best = r.report.best_loss;
    assert!(
        best >= 0.0
            && r.losses
                .iter()
                .filter(|l| l.is_finite())
                .all(|&l| l >= best)
    );
}

/// Himmelblau has exactly four minima, all at f = 0 (Himmelblau 1972): 32 starts over the box
/// find each, and the grouping returns each once, lowest loss first, with every classified
/// minimum counted in exactly one group.
#[test]
fn distinct_minima_are_himmelblaus_four() {
    let b = Bounds::new(&[-5.0; 2], &[5.0; 2]).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(21);
    let starts = uniform_starts::<f64, _, 2, 32>(&b, &mut rng).unwrap();
    let pg = ProjectedGradient {
        grad_tol: 1e-10,
        ..ProjectedGradient::default()
    };
    let mut ms = MultiStart::<f64, 2, 32>::new(Budget::default()).unwrap();
    let r = ms
        .run(
            &mut Himmelblau,
            &mut pg.clone(),
            &b,
            &starts,
            &Tolerance::default(),
        )
        .unwrap();
    let minima = r.minima(1e-3).unwrap();
    assert_eq!(minima.len(), 4, "{minima:?}");
    let mut found = [false; 4];
    for m in &minima {
        let k = Himmelblau::MINIMA
            .iter()
            .position(|p| (p[0] - m.point[0]).hypot(p[1] - m.point[1]) < 1e-6)
            .unwrap_or_else(|| panic!("{m:?} is not a listed minimum"));
        assert!(!found[k], "minimum {k} listed twice");
        found[k] = true;
        assert!(m.loss.abs() < 1e-12 && m.hits >= 1);
        assert_eq!((r.ends[m.index], r.losses[m.index]), (m.point, m.loss));
    }
    assert!(minima.windows(2).all(|w| w[0].loss <= w[1].loss));
    let classified = r
        .kinds
        .iter()
        .filter(|k| **k == Some(CriticalPoint::Minimum))
        .count();
    assert_eq!(minima.iter().map(|m| m.hits).sum::<usize>(), classified);
    // A separation wider than the box merges everything into the lowest end point's group.
    let one = r.minima(100.0).unwrap();
    assert_eq!((one.len(), one[0].hits), (1, classified));
    assert_eq!(one[0].loss, r.losses[r.best_index]);
    // The reported best is the best point evaluated: never above the lowest end point.
    assert!(r.report.best_loss <= one[0].loss);
    assert_eq!(
        lossmap::Objective::<f64, 2>::value(&mut Himmelblau, &r.best),
        r.report.best_loss
    );
    assert_eq!(r.minima(-1.0), Err(lossmap::Error::InvalidParameter));
    assert_eq!(r.minima(f64::NAN), Err(lossmap::Error::InvalidParameter));
}
