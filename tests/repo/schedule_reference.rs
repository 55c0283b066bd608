//! Learning-rate schedules against `tests/reference/schedules.py` (real torch 2.15.0's
//! torch.optim.lr_scheduler classes, cross-checked there against their documented formulas in
//! plain Python): 300 steps (251 for
//! OneCycleLR) of each schedule, to 1e-12 relative in f64 and 1e-6 in f32; and every kind of
//! invalid configuration rejected at construction.

use lossmap::optim::{
    ConstantLr, CosineAnnealingWarmRestarts, CyclicLr, ExponentialLr, OneCycleLr, PiConfig,
    PiController, PlateauConfig, ReduceLrOnPlateau, Schedule, StepLr, CYCLIC_TRIANGULAR,
    CYCLIC_TRIANGULAR2,
};
use lossmap::{Error, Real};

const REFERENCE: &str = include_str!("../reference/schedules.txt");

fn reference(case: &str, prec: &str) -> Vec<f64> {
    REFERENCE
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 4 && f[0] == case && f[1] == prec).then(|| f[3].parse().expect("number"))
        })
        .collect()
}

/// The loss sequence of schedules.py (rounded to `T` there too).
fn loss<T: Real>(t: usize) -> T {
    let v = if t < 100 {
        1.0 / (1.0 + 0.05 * t as f64)
    } else if t < 160 {
        1.0 / 6.0
    } else {
        0.99f64.powf((t - 160) as f64) / 6.0
    };
    T::from_f64(if t % 50 == 49 { v * 1.02 } else { v })
}

fn run<T: Real>(s: &mut dyn Schedule<T>, steps: usize) -> Vec<f64> {
    (0..steps)
        .map(|t| s.lr(t, loss::<T>(t)).expect("valid step").to_f64())
        .collect()
}

fn schedules<T: Real>() -> Vec<(&'static str, usize, Box<dyn Schedule<T>>)> {
    let c = |v: f64| T::from_f64(v);
    vec![
        ("constant", 300, Box::new(ConstantLr::new(c(0.05)).unwrap())),
        ("step", 300, Box::new(StepLr::new(c(0.1), 7, 0.5).unwrap())),
        (
            "exponential",
            300,
            Box::new(ExponentialLr::new(c(0.2), 0.97).unwrap()),
        ),
        (
            "sgdr_mult1",
            300,
            Box::new(CosineAnnealingWarmRestarts::new(c(0.1), 13, 1, c(0.001)).unwrap()),
        ),
        (
            "sgdr_mult3",
            300,
            Box::new(CosineAnnealingWarmRestarts::new(c(0.1), 5, 3, c(0.0)).unwrap()),
        ),
        (
            "cyclic_triangular",
            300,
            Box::new(CyclicLr::new(c(0.01), c(0.1), 7, 13, CYCLIC_TRIANGULAR).unwrap()),
        ),
        (
            "cyclic_triangular2",
            300,
            Box::new(CyclicLr::new(c(0.01), c(0.1), 10, 5, CYCLIC_TRIANGULAR2).unwrap()),
        ),
        (
            "one_cycle",
            251,
            Box::new(OneCycleLr::new(c(0.5), 250, c(0.3), c(25.0), c(1e4)).unwrap()),
        ),
        (
            "plateau",
            300,
            Box::new(
                ReduceLrOnPlateau::new(PlateauConfig {
                    lr: c(1.0),
                    factor: c(0.5),
                    patience: 3,
                    threshold: c(0.01),
                    cooldown: 2,
                    min_lr: c(0.01),
                    eps: c(1e-8),
                    ..PlateauConfig::default()
                })
                .unwrap(),
            ),
        ),
    ]
}

fn assert_matches<T: Real>(tol: f64) {
    let mut worst = 0.0f64;
    for (name, steps, mut s) in schedules::<T>() {
        let want = reference(name, T::NAME);
        assert_eq!(want.len(), steps, "reference rows for {name}/{}", T::NAME);
        let got = run(s.as_mut(), steps);
        for (t, (g, w)) in got.iter().zip(&want).enumerate() {
            worst = worst.max((g - w).abs() / w.abs());
            assert!(
                (g - w).abs() <= tol * w.abs(),
                "{name}/{} step {t}: got {g:e}, want {w:e}",
                T::NAME
            );
        }
    }
    println!("{}: max relative error {worst:.2e}", T::NAME);
}

#[test]
fn schedules_match_reference_f64() {
    assert_matches::<f64>(1e-12);
}

#[test]
fn schedules_match_reference_f32() {
    assert_matches::<f32>(1e-6);
}

#[test]
fn one_cycle_rejects_steps_past_the_end_like_torch() {
    let mut s = OneCycleLr::new(0.5f64, 250, 0.3, 25.0, 1e4).unwrap();
    assert!(s.lr(250, 0.0).is_ok());
    assert_eq!(s.lr(251, 0.0), Err(Error::InvalidParameter));
    assert_eq!(s.lr(usize::MAX, 0.0), Err(Error::InvalidParameter));
}

#[test]
fn huge_steps_do_not_panic() {
    let big = usize::MAX;
    assert!(StepLr::new(0.1f64, 1, 0.5).unwrap().lr(big, 0.0).unwrap() > 0.0);
    assert!(
        ExponentialLr::new(0.1f32, 0.5)
            .unwrap()
            .lr(big, 0.0)
            .unwrap()
            > 0.0
    );
    assert!(ExponentialLr::new(0.1f64, 1.5)
        .unwrap()
        .lr(big, 0.0)
        .is_err()); // overflows
    for m in [1, 2, usize::MAX] {
        let mut s = CosineAnnealingWarmRestarts::new(0.1f64, 3, m, 0.0).unwrap();
        assert!(s.lr(big, 0.0).unwrap() > 0.0);
    }
    let mut c = CyclicLr::new(0.1f64, 1.0, usize::MAX / 2, 3, CYCLIC_TRIANGULAR2).unwrap();
    assert!(c.lr(big, 0.0).unwrap() > 0.0);
}

#[test]
fn feedback_schedules_reject_non_finite_loss_unchanged() {
    let mut p = ReduceLrOnPlateau::new(PlateauConfig::<f64>::default()).unwrap();
    p.lr(0, 1.0).unwrap();
    let before = p;
    assert_eq!(p.lr(1, f64::NAN), Err(Error::NonFiniteInput));
    assert_eq!(p, before);
    let mut pi = PiController::new(PiConfig::<f32>::default()).unwrap();
    pi.lr(0, 1.0).unwrap();
    let before = pi;
    assert_eq!(pi.lr(1, f32::INFINITY), Err(Error::NonFiniteInput));
    assert_eq!(pi, before);
}

#[test]
fn invalid_configs_are_rejected() {
    let bad = Err(Error::InvalidParameter);
    for lr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(ConstantLr::new(lr).map(|_| ()), bad);
        assert_eq!(StepLr::new(lr, 1, 0.5).map(|_| ()), bad);
        assert_eq!(ExponentialLr::new(lr, 0.5).map(|_| ()), bad);
        assert_eq!(
            CosineAnnealingWarmRestarts::new(lr, 1, 1, 0.0).map(|_| ()),
            bad
        );
        assert_eq!(CyclicLr::new(lr, 1.0, 1, 1, 0).map(|_| ()), bad);
        assert_eq!(OneCycleLr::new(lr, 100, 0.3, 25.0, 1e4).map(|_| ()), bad);
        let p = PlateauConfig {
            lr,
            ..PlateauConfig::default()
        };
        assert_eq!(ReduceLrOnPlateau::new(p).map(|_| ()), bad);
        let c = PiConfig {
            lr,
            ..PiConfig::default()
        };
        assert_eq!(PiController::new(c).map(|_| ()), bad);
    }
    for gamma in [0.0, -0.5, f64::NAN] {
        assert_eq!(StepLr::new(0.1, 1, gamma).map(|_| ()), bad);
        assert_eq!(ExponentialLr::new(0.1, gamma).map(|_| ()), bad);
    }
    assert_eq!(StepLr::new(0.1, 0, 0.5).map(|_| ()), bad);
    assert_eq!(
        CosineAnnealingWarmRestarts::new(0.1, 0, 1, 0.0).map(|_| ()),
        bad
    );
    assert_eq!(
        CosineAnnealingWarmRestarts::new(0.1, 1, 0, 0.0).map(|_| ()),
        bad
    );
    assert_eq!(
        CosineAnnealingWarmRestarts::new(0.1, 1, 1, -1e-3).map(|_| ()),
        bad
    );
    assert_eq!(CyclicLr::new(0.1, 1.0, 0, 1, 0).map(|_| ()), bad);
    assert_eq!(CyclicLr::new(0.1, 1.0, 1, 0, 0).map(|_| ()), bad);
    assert_eq!(CyclicLr::new(0.1, 0.05, 1, 1, 0).map(|_| ()), bad);
    assert_eq!(CyclicLr::new(0.1, 1.0, 1, 1, 3).map(|_| ()), bad); // 2 is exp_range
    assert_eq!(CyclicLr::new(0.1, 1.0, usize::MAX, 1, 0).map(|_| ()), bad);
    assert_eq!(OneCycleLr::new(0.5, 0, 0.3, 25.0, 1e4).map(|_| ()), bad);
    let cyc = CyclicLr::new(0.1, 1.0, 2, 2, 0).unwrap();
    assert_eq!(cyc.with_gamma(0.0).map(|_| ()), bad);
    assert_eq!(cyc.with_momentum(0.9, 0.8).map(|_| ()), bad);
    assert_eq!(cyc.with_momentum(0.8, 1.0).map(|_| ()), bad);
    let one = OneCycleLr::new(0.5, 100, 0.3, 25.0, 1e4).unwrap();
    assert_eq!(one.with_shape(false, 2).map(|_| ()), bad);
    // Three phases need 2·pct·n − 2 < n − 1.
    assert_eq!(one.with_shape(true, 0).map(|_| ()), Ok(()));
    let late = OneCycleLr::new(0.5, 100, 0.6, 25.0, 1e4).unwrap();
    assert_eq!(late.with_shape(true, 0).map(|_| ()), bad);
    assert_eq!(
        OneCycleLr::<f64>::from_epochs(0.5, usize::MAX, 2).map(|_| ()),
        bad
    );
    assert_eq!(
        OneCycleLr::<f64>::from_epochs(0.5, 10, 10).map(|s| s.total_steps),
        Ok(100)
    );
    for pct in [0.0, 1.0, -0.1, 1.5, f64::NAN, 0.001, 0.01] {
        // pct·100 − 1 ≤ 0: a warm-up phase without steps (torch divides by zero).
        assert_eq!(OneCycleLr::new(0.5, 100, pct, 25.0, 1e4).map(|_| ()), bad);
    }
    assert_eq!(OneCycleLr::new(0.5, 100, 0.3, 0.0, 1e4).map(|_| ()), bad);
    assert_eq!(OneCycleLr::new(0.5, 100, 0.3, 25.0, -1.0).map(|_| ()), bad);
    let d = PlateauConfig::<f64>::default();
    for p in [
        PlateauConfig { factor: 1.0, ..d },
        PlateauConfig { factor: 0.0, ..d },
        PlateauConfig {
            threshold: -1e-4,
            ..d
        },
        PlateauConfig { min_lr: -1.0, ..d },
        PlateauConfig { eps: f64::NAN, ..d },
    ] {
        assert_eq!(ReduceLrOnPlateau::new(p).map(|_| ()), bad);
    }
    let d = PiConfig::<f64>::default();
    for c in [
        PiConfig { target: 0.0, ..d },
        PiConfig { target: 1.0, ..d },
        PiConfig { kp: -0.1, ..d },
        PiConfig { ki: f64::NAN, ..d },
        PiConfig { cut: 1.0, ..d },
        PiConfig { cut: 0.0, ..d },
        PiConfig { lr_min: 0.0, ..d },
        PiConfig { lr: 2e3, ..d },
        PiConfig { growth: 1.0, ..d },
        PiConfig {
            growth: f64::NAN,
            ..d
        },
        PiConfig {
            lr_max: f64::INFINITY,
            ..d
        },
    ] {
        assert_eq!(PiController::new(c).map(|_| ()), bad);
    }
}

/// In f32 the decay factors stay in f64 (as torch's Python floats): `ExponentialLr<f32>` is
/// within two f32 roundings (the initial rate's and the result's, ≤ 2⁻²³ relative together) of
/// torch's f64 rate `0.15·0.95^t` at every step, with no drift over 1000 steps (an f32 γ drifted
/// by t·2.9e-8).
#[test]
fn f32_decay_factors_do_not_drift() {
    let mut s = ExponentialLr::new(0.15f32, 0.95).unwrap();
    let mut m = lossmap::optim::MultiStepLr::new(0.15f32, &[100, 300, 600], 0.95).unwrap();
    let mut worst = 0.0f64;
    for t in 0..1000usize {
        let want = 0.15 * 0.95f64.powi(t as i32);
        let got = f64::from(s.lr(t, 0.0).unwrap());
        worst = worst.max((got - want).abs() / want);
        let k = [100, 300, 600].iter().filter(|&&m| m <= t).count();
        let want = 0.15 * 0.95f64.powi(k as i32);
        let got = f64::from(m.lr(t, 0.0).unwrap());
        worst = worst.max((got - want).abs() / want);
    }
    println!("f32 ExponentialLr / MultiStepLr vs f64: max relative error {worst:.2e}");
    assert!(worst <= f64::from(f32::EPSILON), "{worst:e}");
}
