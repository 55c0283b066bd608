//! SGDR / CLR escape a shallow, sharp local minimum that a decaying schedule stays in (issue:
//! "SGDR / CLR escape a shallow local minimum that a decaying schedule stays in (a test
//! landscape built for it)").
//!
//! # The landscape
//!
//! A 1-D C¹ function whose derivative is continuous and piecewise linear, so that every
//! critical point and every curvature is known exactly (a = 1, b = 40, w = 0.1, x₁ = 2,
//! B = 2.5, m = 3):
//!
//! ```text
//! f'(x) = a·x                              x ≤ x₁          global well, curvature a = 1
//!         a·x₁·(B − x)/(B − x₁)            x₁ < x ≤ B      falls to 0 at the barrier top B
//!         −b·w·(x − B)/(m − w − B)         B < x ≤ m − w   down into the local well
//!         b·(x − m)                        |x − m| < w     local well, curvature b = 40
//!         b·w + a·(x − m − w)              x ≥ m + w       wall on the right
//! ```
//!
//! f' < 0 on (−∞, 0) and (B, m), f' > 0 on (0, B) and (m, ∞), so the critical points are
//! exactly 0 (global minimum, f = 0), B (barrier top, f = ½·a·x₁·B = 2.5) and m (local
//! minimum, f = f(B) − ½·b·w·(m − B) = 1.5). The local well is shallow (1 below the barrier,
//! against 2.5 for the global one) and sharp (curvature 40 against 1); its basin is (B, ∞).
//!
//! # Why the schedules behave differently (plain SGD, x ← x − γ f'(x))
//!
//! * Every rate γ < 2/b = 0.05 keeps SGD in (B, ∞): on (B, m − w) the step is to the right and
//!   shorter than 2w; in |x − m| < w the error is multiplied by |1 − γb| < 1; from x ≥ m + w
//!   the step γ(bw + a(x − m − w)) < 2w + (x − m − w)·2a/b never reaches B. A decaying
//!   schedule that starts below 2/b therefore converges to m.
//! * Every rate γ ≤ 1/a = 1 keeps SGD in (−∞, B) once there: on (x₁, B) the step γf' ≤ γax₁
//!   ≤ x₁ moves left without passing 0, on [0, x₁] x ← x(1 − γa) ∈ [0, x], on (−∞, 0) likewise
//!   towards 0; so the global well is a trap for all the rates used here.
//! * A rate above 2/b makes m unstable (|1 − γb| > 1): the iterate is thrown out of the sharp
//!   well; at γ = 0.5 a single step from anywhere in [B, m + w] lands at ≤ m + w − γbw = 1.1,
//!   inside the global basin. SGDR restarts and CLR peaks reach such rates; a decaying schedule
//!   never does.
//!
//! Rates: decaying schedules (ExponentialLr, StepLr) start at γ₀ = 0.04 < 2/b, the CLR base
//! rate, so CLR and the decaying runs start identically; SGDR restarts at 0.5 and CLR peaks at
//! 0.5 (triangular2: 0.5, 0.27, 0.155, ...). Runs end at the end of a cycle, where the rate is
//! low, so the final point has settled. Ten starts spread over the local basin (excluding m
//! itself, a fixed point of every gradient method).

use lossmap::objective::WithGradient;
use lossmap::optim::{
    minimize_with, CosineAnnealingWarmRestarts, CyclicLr, ExponentialLr, Schedule, Sgd, SgdConfig,
    StepLr, Stop, CYCLIC_TRIANGULAR, CYCLIC_TRIANGULAR2,
};
use lossmap::Objective;

const A: f64 = 1.0;
const B_CURV: f64 = 40.0;
const W: f64 = 0.1;
const X1: f64 = 2.0;
const BARRIER: f64 = 2.5;
const M: f64 = 3.0;

fn grad(x: f64) -> f64 {
    if x <= X1 {
        A * x
    } else if x <= BARRIER {
        A * X1 * (BARRIER - x) / (BARRIER - X1)
    } else if x <= M - W {
        -B_CURV * W * (x - BARRIER) / (M - W - BARRIER)
    } else if x < M + W {
        B_CURV * (x - M)
    } else {
        B_CURV * W + A * (x - M - W)
    }
}

fn value(x: f64) -> f64 {
    let f_b = 0.5 * A * X1 * BARRIER;
    let f_m = f_b - 0.5 * B_CURV * W * (M - BARRIER);
    if x <= X1 {
        0.5 * A * x * x
    } else if x <= BARRIER {
        let s = x - X1;
        0.5 * A * X1 * X1 + A * X1 * (s - s * s / (2.0 * (BARRIER - X1)))
    } else if x <= M - W {
        let s = x - BARRIER;
        f_b - B_CURV * W * s * s / (2.0 * (M - W - BARRIER))
    } else if x < M + W {
        f_m + 0.5 * B_CURV * (x - M) * (x - M)
    } else {
        let s = x - M - W;
        f_m + 0.5 * B_CURV * W * W + B_CURV * W * s + 0.5 * A * s * s
    }
}

fn landscape() -> impl Objective<f64, 1> {
    WithGradient::new(
        |x: &[f64; 1]| value(x[0]),
        |x: &[f64; 1], g: &mut [f64; 1]| g[0] = grad(x[0]),
    )
}

/// Ten starts spread over the local basin (B, ∞), avoiding m.
fn starts() -> impl Iterator<Item = f64> {
    (0..10).map(|k| BARRIER + 0.07 + 0.093 * f64::from(k))
}

fn run(x0: f64, schedule: &mut dyn Schedule<f64>, steps: usize) -> f64 {
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr: 0.01,
        ..SgdConfig::default()
    })
    .unwrap();
    let stop = Stop {
        grad_tol: 0.0,
        max_iter: steps,
        ..Stop::default()
    };
    let mut x = [x0];
    minimize_with(
        &mut landscape(),
        &mut x,
        &mut sgd,
        &stop,
        Some(schedule),
        None,
    )
    .unwrap();
    x[0]
}

#[test]
fn landscape_critical_points_are_as_designed() {
    // Exact zeros of the analytic gradient.
    assert_eq!(grad(0.0), 0.0);
    assert_eq!(grad(BARRIER), 0.0);
    assert_eq!(grad(M), 0.0);
    // Values in closed form: f(0) = 0 < f(m) = 1.5 < f(B) = 2.5.
    assert_eq!(value(0.0), 0.0);
    assert!((value(BARRIER) - 2.5).abs() < 1e-15);
    assert!((value(M) - 1.5).abs() < 1e-15);
    // Minimum, maximum, minimum: the sign pattern of f' around each.
    let h = 1e-3;
    assert!(grad(-h) < 0.0 && grad(h) > 0.0);
    assert!(grad(BARRIER - h) > 0.0 && grad(BARRIER + h) < 0.0);
    assert!(grad(M - h) < 0.0 && grad(M + h) > 0.0);
    // No other critical point, and f' is the derivative of f (central differences, away from
    // the knots where f'' jumps) and continuous at the knots.
    let mut x = -6.0;
    while x < 8.0 {
        let g = grad(x);
        let expected_sign = if x < 0.0 || (x > BARRIER && x < M) {
            -1.0
        } else {
            1.0
        };
        if x.abs() > 1e-9 && (x - BARRIER).abs() > 1e-9 && (x - M).abs() > 1e-9 {
            assert_eq!(g.signum(), expected_sign, "f'({x}) = {g}");
        }
        let e = 1e-6;
        let fd = (value(x + e) - value(x - e)) / (2.0 * e);
        assert!(
            (fd - g).abs() < 1e-6 * (1.0 + g.abs()),
            "x = {x}: f' {g} vs FD {fd}"
        );
        x += 0.0137;
    }
    for knot in [X1, BARRIER, M - W, M + W] {
        assert!((grad(knot - 1e-12) - grad(knot + 1e-12)).abs() < 1e-9);
        assert!((value(knot - 1e-12) - value(knot + 1e-12)).abs() < 1e-9);
    }
    // Curvatures: sharp local well, wide global one.
    assert!(((grad(M + h) - grad(M - h)) / (2.0 * h) - B_CURV).abs() < 1e-9);
    assert!(((grad(h) - grad(-h)) / (2.0 * h) - A).abs() < 1e-9);
}

#[test]
fn decaying_schedules_stay_in_the_shallow_well() {
    for x0 in starts() {
        let mut exp = ExponentialLr::new(0.04, 0.99).unwrap();
        let mut step = StepLr::new(0.04, 50, 0.5).unwrap();
        for (name, s) in [
            ("ExponentialLr", &mut exp as &mut dyn Schedule<f64>),
            ("StepLr", &mut step),
        ] {
            let x = run(x0, s, 400);
            assert!(x > BARRIER, "{name} from {x0}: left the basin, x = {x}");
            assert!(
                (x - M).abs() < 1e-6,
                "{name} from {x0}: x = {x}, local minimizer {M}"
            );
            assert!((value(x) - 1.5).abs() < 1e-9);
        }
    }
}

#[test]
fn sgdr_escapes_to_the_global_minimum() {
    for x0 in starts() {
        // Three 100-step cosine periods from 0.5 down to ~0; the run ends with the third.
        let mut sgdr = CosineAnnealingWarmRestarts::new(0.5, 100, 1, 0.0).unwrap();
        let x = run(x0, &mut sgdr, 300);
        assert!(
            x.abs() < 1e-6,
            "SGDR from {x0}: x = {x}, global minimizer 0"
        );
        // With t_mult = 2: periods 50 + 100 + 200, ending at the end of the third.
        let mut sgdr2 = CosineAnnealingWarmRestarts::new(0.5, 50, 2, 0.0).unwrap();
        let x = run(x0, &mut sgdr2, 350);
        assert!(x.abs() < 1e-6, "SGDR (T_mult 2) from {x0}: x = {x}");
    }
}

#[test]
fn cyclic_lr_escapes_to_the_global_minimum() {
    for x0 in starts() {
        for mode in [CYCLIC_TRIANGULAR, CYCLIC_TRIANGULAR2] {
            // base 0.04 (as the decaying runs), peak 0.5; four 100-step cycles, ending at the
            // end of the last one (rate back at the base).
            let mut clr = CyclicLr::new(0.04, 0.5, 50, 50, mode).unwrap();
            let x = run(x0, &mut clr, 400);
            assert!(x.abs() < 1e-6, "CLR mode {mode} from {x0}: x = {x}");
        }
    }
}
