//! The PI "autopilot" stabilizes gradient descent that diverges at a fixed rate: on the stiff
//! quadratic f = ½·100x², GD with γ = 0.05 > 2/100 multiplies x by |1 − 100γ| = 4 per step;
//! with the controller asked for the rate before each step, the loss goes to ~0.

use lossmap::optim::{ConstantLr, PiConfig, PiController, Schedule};
use lossmap::Real;

/// Runs `steps` of GD on ½·100x² from x = 1, asking `s` for the rate before each step;
/// returns the loss after each step and the last rate.
fn gd<T: Real>(s: &mut dyn Schedule<T>, steps: usize) -> (Vec<f64>, f64) {
    let k = T::from_f64(100.0);
    let mut x = T::ONE;
    let mut losses = Vec::new();
    let mut lr = T::ZERO;
    for t in 0..steps {
        let loss = T::HALF * k * x * x;
        lr = s.lr(t, loss).expect("valid step");
        x -= lr * k * x;
        losses.push((T::HALF * k * x * x).to_f64());
    }
    (losses, lr.to_f64())
}

fn stabilizes<T: Real>() {
    let start = 50.0;
    let (fixed, _) = gd::<T>(&mut ConstantLr::new(T::from_f64(0.05)).unwrap(), 20);
    assert!(
        fixed[19] > start * 1e20,
        "fixed rate diverges: {:e}",
        fixed[19]
    );

    let cfg = PiConfig {
        lr: T::from_f64(0.05),
        ..PiConfig::default()
    };
    let mut pi = PiController::new(cfg).unwrap();
    let (losses, lr) = gd::<T>(&mut pi, 400);
    let peak = losses.iter().cloned().fold(0.0, f64::max);
    let last = losses[399];
    assert!(peak < start * 100.0, "bounded transient: peak {peak:e}");
    assert!(last < start * 1e-12, "loss → 0: {last:e}");
    // The rate settled just inside the stability limit 2/100, where (1 − 100γ)² ≈ 1 − r*.
    assert!(lr > 0.015 && lr < 0.02, "final rate {lr}");
}

#[test]
fn pi_controller_stabilizes_divergent_gd_f64() {
    stabilizes::<f64>();
}

#[test]
fn pi_controller_stabilizes_divergent_gd_f32() {
    stabilizes::<f32>();
}

#[test]
fn pi_controller_lowers_the_rate_when_progress_is_slower_than_target() {
    // The documented sign: e < 0 (slower than r*) lowers the rate. From γ = 1e-5 the loss falls
    // 0.2 % per step, below the 1 % target, so the rate goes down to lr_min: the controller
    // holds r* only where a larger rate gives less progress (near the edge of stability).
    let cfg = PiConfig {
        lr: 1e-5f64,
        ..PiConfig::default()
    };
    let mut pi = PiController::new(cfg).unwrap();
    let (losses, lr) = gd::<f64>(&mut pi, 200);
    assert!((lr - 1e-8).abs() < 1e-20, "rate at lr_min: {lr}");
    assert!(losses[199] < 50.0 && losses[199] > 49.0);
}

#[test]
fn schedule_drives_an_optimizer_through_set_lr() {
    use lossmap::optim::{Adam, AdamConfig, Optimizer, StepLr};
    // Adam on ½x² with StepLR halving the rate every 10 steps: the optimizer's rate follows.
    let mut adam = Adam::<f64, 1>::new(AdamConfig {
        lr: 0.1,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut sched = StepLr::new(0.1, 10, 0.5).unwrap();
    let mut x = [1.0f64];
    for t in 0..40 {
        let lr = sched.lr(t, 0.5 * x[0] * x[0]).unwrap();
        adam.set_lr(lr).unwrap();
        assert_eq!(adam.lr(), 0.1 * 0.5f64.powi((t / 10) as i32));
        let g = [x[0]];
        adam.step(&mut x, &g).unwrap();
    }
    assert!(x[0].abs() < 0.5);
}
