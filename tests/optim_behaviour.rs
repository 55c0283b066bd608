//! Behavioural targets of the optimizers that have a closed-form explanation.
//!
//! AdaGrad's "laziness": its accumulator Σg² only grows, so after a steep start
//! its steps on a gentle slope shrink to γ·g/√(Σg²), while RMSProp and Adam forget old gradients
//! (exponential averages) and keep moving at ≈ γ per step.

use lossmap::objective::WithGradient;
use lossmap::optim::{Adagrad, AdagradConfig, Adam, AdamConfig, Optimizer, RmsProp, RmsPropConfig};
use lossmap::Objective;

/// f(x) = −0.01·x + 5·e^{−x}: f'(x) = −0.01 − 5e^{−x}, steep (−5) at 0, then a plateau whose
/// slope −0.01 never vanishes. Moving right always decreases f.
fn plateau() -> impl Objective<f64, 1> {
    WithGradient::new(
        |x: &[f64; 1]| -0.01 * x[0] + 5.0 * (-x[0]).exp(),
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = -0.01 - 5.0 * (-x[0]).exp(),
    )
}

/// Distance travelled from 0 in `steps` steps.
fn travel(opt: &mut dyn Optimizer<f64>, steps: usize) -> f64 {
    let mut f = plateau();
    let mut x = [0.0f64];
    let mut g = [0.0f64];
    for _ in 0..steps {
        f.gradient(&x, &mut g).unwrap();
        opt.step(&mut x, &g).unwrap();
    }
    x[0]
}

#[test]
fn adagrad_stalls_on_a_plateau_where_rmsprop_and_adam_keep_moving() {
    let lr = 0.1;
    let steps = 10_000;
    let mut adagrad = Adagrad::<f64, 1>::new(AdagradConfig {
        lr,
        ..AdagradConfig::default()
    })
    .unwrap();
    let mut rmsprop = RmsProp::<f64, 1>::new(RmsPropConfig {
        lr,
        ..RmsPropConfig::default()
    })
    .unwrap();
    let mut adam = Adam::<f64, 1>::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })
    .unwrap();
    let (da, dr, dm) = (
        travel(&mut adagrad, steps),
        travel(&mut rmsprop, steps),
        travel(&mut adam, steps),
    );
    // RMSProp and Adam move ≈ γ per step on the plateau (|g|/√v → 1): close to 0.1·2000 = 200.
    eprintln!("travelled: AdaGrad {da:.3}, RMSProp {dr:.1}, Adam {dm:.1}");
    assert!(dr > 150.0 && dm > 150.0, "RMSProp {dr}, Adam {dm}");
    // AdaGrad: the early steep gradients (≈ −5) fill Σg², so each plateau step is
    // ≈ 0.1·0.01/√(Σg²) with Σg² ≥ 25 → ≤ 2e-4; it cannot go much past where the slope flattens.
    assert!(
        da < 0.05 * dr.min(dm) && da < 15.0,
        "AdaGrad travelled {da}, RMSProp {dr}, Adam {dm}"
    );
}
