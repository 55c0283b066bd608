//! The `minimize` driver: each stopping rule fires when it should, evaluation counts add up,
//! the divergence guard rolls back, and bad input changes nothing.

use lossmap::objective::WithGradient;
use lossmap::optim::{
    minimize, minimize_with, Adam, AdamConfig, ExponentialLr, Progress, Sgd, SgdConfig, Stop,
    StopReason,
};
use lossmap::testfn::{Himmelblau, Rosenbrock};
use lossmap::{Counted, Error};

fn adam<const N: usize>(lr: f64) -> Adam<f64, N> {
    Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })
    .unwrap()
}

#[test]
fn reaches_the_known_minima() {
    let mut x = Rosenbrock::START;
    let r = minimize(
        &mut Rosenbrock,
        &mut x,
        &mut adam::<2>(0.02),
        &Stop {
            grad_tol: 1e-6,
            max_iter: 50_000,
            ..Stop::default()
        },
    )
    .unwrap();
    assert_eq!(r.reason, StopReason::GradientNorm);
    assert!(
        (x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5,
        "{x:?}"
    );
    assert!(r.grad_norm <= 1e-6 && r.loss < 1e-10);

    let mut x = [0.0, 0.0];
    minimize(
        &mut Himmelblau,
        &mut x,
        &mut adam::<2>(0.05),
        &Stop {
            grad_tol: 1e-8,
            max_iter: 10_000,
            ..Stop::default()
        },
    )
    .unwrap();
    let nearest = Himmelblau::MINIMA
        .iter()
        .map(|m| (m[0] - x[0]).hypot(m[1] - x[1]))
        .fold(f64::MAX, f64::min);
    assert!(nearest < 1e-8, "{x:?}");
}

#[test]
fn iteration_budget_and_counts() {
    let mut c = Counted::new(|x: &[f64; 2]| x[0] * x[0] + x[1] * x[1]);
    let mut x = [3.0, 4.0];
    let r = minimize(
        &mut c,
        &mut x,
        &mut adam::<2>(1e-3),
        &Stop {
            max_iter: 7,
            ..Stop::default()
        },
    )
    .unwrap();
    assert_eq!(
        (r.reason, r.iterations, r.grad_evals),
        (StopReason::MaxIterations, 7, 8)
    );
    // 1 initial value + 1 per step, plus 2N = 4 per central-difference gradient.
    assert_eq!(r.value_evals, 1 + 7 + 4 * 8);
    assert_eq!((c.values, c.gradients), (r.value_evals, r.grad_evals));
}

#[test]
fn relative_improvement_fires_on_a_plateau() {
    // Constant loss: nothing improves, the gradient is zero only if grad_tol allows; make it
    // a tilted plane whose loss is clamped so the gradient never vanishes but the loss stalls.
    let plateau = WithGradient::new(
        |_: &[f64; 1]| 1.0,
        |_: &[f64; 1], g: &mut [f64; 1]| g[0] = 1.0,
    );
    let mut o = plateau;
    let mut x = [0.0];
    let r = minimize(
        &mut o,
        &mut x,
        &mut adam::<1>(0.1),
        &Stop {
            window: 5,
            rel_tol: 1e-9,
            grad_tol: 0.0,
            max_iter: 100,
            ..Stop::default()
        },
    )
    .unwrap();
    assert_eq!(
        (r.reason, r.iterations),
        (StopReason::RelativeImprovement, 5)
    );
}

#[test]
fn divergence_rolls_back_to_the_last_finite_point() {
    // Finite for x > -1, NaN beyond: Adam walking left from 0 must stop at a point > -1.
    let mut cliff = |x: &[f64; 1]| if x[0] > -1.0 { x[0] } else { f64::NAN };
    let mut x = [0.0];
    let err = minimize(
        &mut cliff,
        &mut x,
        &mut adam::<1>(0.3),
        &Stop {
            max_iter: 1000,
            ..Stop::default()
        },
    );
    assert!(matches!(err, Err(Error::NonFiniteLoss)), "{err:?}");
    assert!(x[0] > -1.0 && x[0] < -0.5, "rolled back to {x:?}");

    // A gradient that turns NaN is caught the same way.
    let mut bad_grad = WithGradient::new(
        |x: &[f64; 1]| x[0] * x[0],
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = if x[0] < 0.5 { f64::NAN } else { 2.0 * x[0] },
    );
    let mut x = [1.0];
    assert_eq!(
        minimize(&mut bad_grad, &mut x, &mut adam::<1>(0.1), &Stop::default()).unwrap_err(),
        Error::NonFiniteGradient
    );
    assert!(x[0] >= 0.5);
}

#[test]
fn bad_input_changes_nothing() {
    let mut o = |x: &[f64; 2]| x[0] + x[1];
    let mut x = [f64::NAN, 1.0];
    assert_eq!(
        minimize(&mut o, &mut x, &mut adam::<2>(0.1), &Stop::default()).unwrap_err(),
        Error::NonFiniteInput
    );
    let mut x = [f64::INFINITY, 1.0];
    assert_eq!(
        minimize(&mut o, &mut x, &mut adam::<2>(0.1), &Stop::default()).unwrap_err(),
        Error::NonFiniteInput
    );
    let mut x = [1.0, 2.0];
    for stop in [
        Stop {
            max_iter: 0,
            ..Stop::default()
        },
        Stop {
            grad_tol: -1.0,
            ..Stop::default()
        },
        Stop {
            rel_tol: f64::NAN,
            ..Stop::default()
        },
        Stop {
            window: 65,
            ..Stop::default()
        },
    ] {
        assert_eq!(
            minimize(&mut o, &mut x, &mut adam::<2>(0.1), &stop).unwrap_err(),
            Error::InvalidParameter
        );
    }
    let mut nan = |_: &[f64; 2]| f64::NAN;
    assert_eq!(
        minimize(&mut nan, &mut x, &mut adam::<2>(0.1), &Stop::default()).unwrap_err(),
        Error::NonFiniteLoss
    );
    assert_eq!(x, [1.0, 2.0]);
    assert_eq!(
        Adam::<f64, 2>::new(AdamConfig {
            lr: -0.1,
            ..AdamConfig::default()
        })
        .unwrap_err(),
        Error::InvalidParameter
    );
    // Zero-sized problems are rejected, not run.
    let mut empty = |_: &[f64; 0]| 0.0;
    assert_eq!(
        minimize(&mut empty, &mut [], &mut adam::<0>(0.1), &Stop::default()).unwrap_err(),
        Error::Empty
    );
}

#[test]
fn step_size_and_evaluation_budget_rules() {
    // SGD on x² with γ = 0.25 halves x each step: |Δx| = |x|/2 after the step from x, so from
    // x = 1 the step norms are 0.5, 0.25, …; the first ≤ 1e-3 is 2⁻¹⁰ after 10 steps.
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr: 0.25,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut bowl = WithGradient::new(
        |x: &[f64; 1]| x[0] * x[0],
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = 2.0 * x[0],
    );
    let mut x = [1.0];
    let r = minimize(
        &mut bowl,
        &mut x,
        &mut sgd,
        &Stop {
            grad_tol: 0.0,
            step_tol: 1e-3,
            ..Stop::default()
        },
    )
    .unwrap();
    assert_eq!((r.reason, r.iterations), (StopReason::StepSize, 10));
    assert_eq!(x[0], 2f64.powi(-10));

    // Central differences in 2-D cost 1 + 4 evaluations per step after the initial 1 + 4: a budget
    // of 23 allows 4 steps (5 + 4·5 = 25 ≥ 23 after the 4th).
    let mut c = Counted::new(|x: &[f64; 2]| x[0] * x[0] + x[1] * x[1]);
    let mut x = [3.0, 4.0];
    let r = minimize(
        &mut c,
        &mut x,
        &mut adam::<2>(1e-3),
        &Stop {
            max_evals: 23,
            ..Stop::default()
        },
    )
    .unwrap();
    assert_eq!(
        (r.reason, r.iterations, r.value_evals),
        (StopReason::MaxEvaluations, 4, 25)
    );
    assert_eq!(c.values, 25);
    assert_eq!(
        minimize(
            &mut c,
            &mut x,
            &mut adam::<2>(1e-3),
            &Stop {
                step_tol: -1.0,
                ..Stop::default()
            }
        )
        .unwrap_err(),
        Error::InvalidParameter
    );
}

#[test]
fn schedule_sets_the_rate_and_observer_sees_every_step() {
    // ExponentialLR(γ₀ = 0.2, 0.5) on SGD: step t uses 0.2·0.5ᵗ, so x ← x(1 − 2·0.2·0.5ᵗ) on x².
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
    let mut sched = ExponentialLr::new(0.2, 0.5).unwrap();
    let mut bowl = WithGradient::new(
        |x: &[f64; 1]| x[0] * x[0],
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = 2.0 * x[0],
    );
    let mut seen: Vec<(usize, f64, f64)> = Vec::new();
    let mut watch = |p: &Progress<f64>| {
        seen.push((p.iteration, p.lr, p.loss));
        true
    };
    let mut x = [1.0];
    let stop = Stop {
        grad_tol: 0.0,
        max_iter: 5,
        ..Stop::default()
    };
    let r = minimize_with(
        &mut bowl,
        &mut x,
        &mut sgd,
        &stop,
        Some(&mut sched),
        Some(&mut watch),
    )
    .unwrap();
    assert_eq!((r.reason, r.iterations), (StopReason::MaxIterations, 5));
    let mut want = 1.0f64;
    for (t, &(it, lr, loss)) in seen.iter().enumerate() {
        let rate = 0.2 * 0.5f64.powi(t as i32);
        want *= 1.0 - 2.0 * rate;
        assert_eq!(it, t + 1);
        assert!(
            (lr - rate).abs() < 1e-15 && (loss - want * want).abs() < 1e-15,
            "step {t}: {lr} {loss}"
        );
    }
    assert_eq!(seen.len(), 5);
}

/// A bad optimizer configuration is refused before the objective is ever called.
#[test]
fn bad_optimizer_settings_cost_no_evaluation() {
    let mut calls = 0usize;
    let mut o = |x: &[f64; 2]| {
        calls += 1;
        x[0] * x[0] + x[1] * x[1]
    };
    let mut opt = adam::<2>(0.1);
    opt.config.beta1 = f64::NAN;
    let mut x = [1.0, 2.0];
    assert_eq!(
        minimize(&mut o, &mut x, &mut opt, &Stop::default()).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!((calls, x, opt.t), (0, [1.0, 2.0], 0));
}

/// The drivers call the schedules in torch's order: a schedule whose `initial_lr` is `Some` is
/// not asked before the first step, and is then asked for step t with the loss after step
/// t − 1 (what the observer saw); a cycled momentum reaches the optimizer before each step.
#[test]
fn schedules_are_called_in_torch_order() {
    use lossmap::optim::{minimize_with, Optimizer, Progress, Schedule, Sgd, SgdConfig, Stop};
    use lossmap::Error;
    struct Recorder {
        calls: Vec<(usize, f64)>,
        torch_order: bool,
    }
    impl Schedule<f64> for Recorder {
        fn lr(&mut self, step: usize, loss: f64) -> Result<f64, Error> {
            self.calls.push((step, loss));
            Ok(0.05)
        }
        fn initial_lr(&mut self) -> Option<Result<f64, Error>> {
            self.torch_order.then_some(Ok(0.05))
        }
        fn momentum(&mut self, step: usize) -> Option<Result<f64, Error>> {
            Some(Ok(0.5 + 0.01 * step as f64))
        }
    }
    for torch_order in [true, false] {
        let mut f = |x: &[f64; 1]| (x[0] - 1.0) * (x[0] - 1.0);
        let mut x = [3.0];
        let start = f(&x);
        let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
        let mut rec = Recorder {
            calls: Vec::new(),
            torch_order,
        };
        let mut seen = Vec::new();
        let mut watch = |p: &Progress<f64>| {
            seen.push(p.loss);
            true
        };
        let stop = Stop {
            grad_tol: 0.0,
            max_iter: 5,
            ..Stop::default()
        };
        minimize_with(
            &mut f,
            &mut x,
            &mut sgd,
            &stop,
            Some(&mut rec),
            Some(&mut watch),
        )
        .unwrap();
        let want: Vec<(usize, f64)> = if torch_order {
            (1..5).map(|t| (t, seen[t - 1])).collect()
        } else {
            (0..5)
                .map(|t| (t, if t == 0 { start } else { seen[t - 1] }))
                .collect()
        };
        assert_eq!(rec.calls, want, "torch_order {torch_order}");
        // The momentum of the last step (4) is in the optimizer.
        assert_eq!(sgd.config.momentum, 0.5 + 0.04);
        assert_eq!(sgd.lr(), 0.05);
    }
}
