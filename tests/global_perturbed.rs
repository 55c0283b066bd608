//! Perturbed gradient descent (Jin et al. 2017) escapes the six-hump camel's saddle at the
//! origin (Hessian [[8, 1], [1, −8]], eigenvalues ±√65), where plain gradient descent stays
//! forever because the gradient is exactly zero.

mod common;

use lossmap::global::{PerturbedConfig, PerturbedGd, SearchStop};
use lossmap::landscape::{classify, classify_at, CriticalPoint, Tolerance};
use lossmap::optim::{minimize, Sgd, SgdConfig, Stop, StopReason};
use lossmap::testfn::SixHumpCamel;
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

#[test]
fn plain_gradient_descent_does_not_move_from_the_saddle() {
    let mut x = [0.0f64, 0.0];
    let mut gd = Sgd::<f64, 2>::new(SgdConfig {
        lr: 0.01,
        ..SgdConfig::default()
    })
    .unwrap();
    let r = minimize(&mut SixHumpCamel, &mut x, &mut gd, &Stop::default()).unwrap();
    assert_eq!(
        (r.reason, r.iterations, r.grad_norm),
        (StopReason::GradientNorm, 0, 0.0)
    );
    assert_eq!(x, [0.0, 0.0]);
    let (kind, _) = classify_at(&mut SixHumpCamel, &x, &Tolerance::default()).unwrap();
    assert_eq!(kind, CriticalPoint::Saddle { index: 1 });
}

#[test]
fn perturbed_gradient_descent_escapes_to_a_global_minimum() {
    const SEEDS: u64 = 100;
    let mut escaped = 0;
    let mut evals = 0;
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0f64, 0.0];
        let mut pgd = PerturbedGd::<f64, 2>::new(PerturbedConfig::default()).unwrap();
        let r = pgd.run(&mut SixHumpCamel, &mut rng, &mut x).unwrap();
        assert_eq!(r.reason, SearchStop::Converged, "{r:?}");
        // The saddle's unstable direction leads to the two global minima ±(0.0898, −0.7127).
        let near = |m: [f64; 2]| (x[0] - m[0]).abs() < 1e-3 && (x[1] - m[1]).abs() < 1e-3;
        // Jin et al.'s guarantee is an ε-second-order stationary point with ε = g_thresh:
        // classify with that gradient tolerance.
        let tol = Tolerance {
            grad: PerturbedConfig::<f64>::default().g_thresh,
            ..Tolerance::default()
        };
        // That is an absolute gradient test, `classify`'s (the tests at a point are
        // scale-free instead).
        let (_, curv) = classify_at(&mut SixHumpCamel, &x, &tol).unwrap();
        let mut g = [0.0; 2];
        SixHumpCamel.gradient(&x, &mut g).unwrap();
        let kind = classify(&curv.eigen.values, (g[0] * g[0] + g[1] * g[1]).sqrt(), &tol).unwrap();
        if kind == CriticalPoint::Minimum
            && (near([0.0898420131, -0.7126564030]) || near([-0.0898420131, 0.7126564030]))
            && (r.best_loss + 1.031628453489877).abs() < 1e-6
        {
            escaped += 1;
        }
        assert!(r.accepted >= 2 && r.improvements >= 1, "{r:?}");
        evals += r.evals();
    }
    let line = format!(
        "LOSSMAP-GLOBAL method=perturbed-gd camel-origin-saddle seeds={SEEDS} \
         escaped-to-global-min={escaped}/{SEEDS} mean_evals={:.0}",
        evals as f64 / SEEDS as f64
    );
    println!("{line}");
    common::write_report("global-perturbed-saddle.txt", &line);
    assert_eq!(escaped, SEEDS as usize, "{line}");
}

#[test]
fn at_a_minimum_the_kick_does_not_pay_off_and_the_point_is_returned() {
    let m = SixHumpCamel::MINIMA[0];
    let mut x = m;
    let mut pgd = PerturbedGd::<f64, 2>::new(PerturbedConfig::default()).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(1);
    let r = pgd.run(&mut SixHumpCamel, &mut rng, &mut x).unwrap();
    assert_eq!(r.reason, SearchStop::Converged);
    assert_eq!((r.accepted, r.improvements), (1, 0));
    assert_eq!(x, m);
    assert!((r.best_loss - SixHumpCamel::MIN_VALUE).abs() < 1e-15);
}

#[test]
fn f32_escapes_too() {
    let mut x = [0.0f32, 0.0];
    let mut pgd = PerturbedGd::<f32, 2>::new(PerturbedConfig::default()).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(2);
    let r = pgd.run(&mut SixHumpCamel, &mut rng, &mut x).unwrap();
    assert!(
        (r.best_loss as f64 + 1.031628453489877).abs() < 1e-4,
        "{r:?} {x:?}"
    );
}
