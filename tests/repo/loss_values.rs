//! Loss values against closed forms and hand-worked numbers (arithmetic in the comments), and
//! the classification losses and JS smoothness against `tests/reference/cross_entropy.py`
//! (50-digit decimal arithmetic from the textbook definitions, outside the crate).

use lossmap::loss::{
    destandardize_linear, js_divergence, js_smoothness, soft_threshold, standardize,
    standardize_with, unstandardize, Classification, Regression, Regularizer,
};
use lossmap::Objective;

const REFERENCE: &str = include_str!("../reference/cross_entropy.txt");

/// `(value, gradient)` of a reference case.
fn reference(case: &str) -> (f64, Vec<f64>) {
    let mut value = f64::NAN;
    let mut grad = Vec::new();
    for line in REFERENCE.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            [c, "value", v] if *c == case => value = v.parse().expect("number"),
            [c, "grad", _, v] if *c == case => grad.push(v.parse().expect("number")),
            _ => {}
        }
    }
    assert!(value.is_finite() && !grad.is_empty(), "case {case} missing");
    (value, grad)
}

fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * w.abs().max(1.0),
            "{what}[{i}]: {g} vs {w}"
        );
    }
}

const LOGITS: [f64; 12] = [
    0.5, -1.25, 2.0, 0.0, 3.0, 1.0, -2.0, 0.25, -0.75, 0.1, 0.2, 1.9,
];
const LABELS: [u32; 3] = [2, 0, 3];
const WEIGHTS: [f64; 4] = [0.5, 2.0, 1.0, 3.0];
const COST: [f64; 16] = [
    0.0, 1.0, 2.0, 4.0, 1.0, 0.0, 1.0, 2.0, 5.0, 3.0, 0.0, 1.0, 8.0, 2.0, 1.0, 0.0,
];

fn check_class(case: &str, loss: Classification<'_, f64>, z: &[f64], labels: &[u32], k: usize) {
    let (want_v, want_g) = reference(case);
    let mut g = vec![0.0; z.len()];
    let v = loss.value_grad(z, labels, k, &mut g).unwrap();
    assert_close(&[v], &[want_v], 1e-14, case);
    assert_close(&g, &want_g, 1e-13, case);
    assert_eq!(loss.value(z, labels, k).unwrap(), v);
    // f32 agrees to single precision.
    let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
    let v32 = match loss {
        Classification::CrossEntropy => Classification::CrossEntropy.value(&z32, labels, k),
        Classification::Weighted(w) => {
            let w32: Vec<f32> = w.iter().map(|&v| v as f32).collect();
            Classification::Weighted(&w32).value(&z32, labels, k)
        }
        Classification::CostSensitive(c) => {
            let c32: Vec<f32> = c.iter().map(|&v| v as f32).collect();
            Classification::CostSensitive(&c32).value(&z32, labels, k)
        }
    };
    // exp and ln are libm's under every feature set (micromath only replaces sin and cos).
    let tol32 = 1e-5;
    assert_close(&[f64::from(v32.unwrap())], &[want_v], tol32, case);
}

#[test]
fn cross_entropy_matches_reference() {
    check_class("ce", Classification::CrossEntropy, &LOGITS, &LABELS, 4);
}

#[test]
fn weighted_cross_entropy_matches_reference() {
    check_class(
        "weighted",
        Classification::Weighted(&WEIGHTS),
        &LOGITS,
        &LABELS,
        4,
    );
}

#[test]
fn cost_sensitive_matches_reference() {
    check_class(
        "cost",
        Classification::CostSensitive(&COST),
        &LOGITS,
        &LABELS,
        4,
    );
}

#[test]
fn large_logits_match_reference_without_overflow() {
    // exp(1000) overflows f64: only the max-subtracted log-sum-exp gets this right.
    let z = [1000.0, 0.0, -1000.0, 30.0, 31.0, 29.5];
    check_class("big", Classification::CrossEntropy, &z, &[1, 0], 3);
}

#[test]
fn js_smoothness_matches_reference() {
    let z = [
        0.0, 1.0, -1.0, 0.5, 0.5, 0.5, 3.0, -2.0, 0.0, 2.9, -2.1, 0.2,
    ];
    let (want_v, want_g) = reference("js");
    let mut g = [0.0; 12];
    let v = js_smoothness(&z, 3, 0.7, Some(&mut g)).unwrap();
    assert_close(&[v], &[want_v], 1e-14, "js");
    assert_close(&g, &want_g, 1e-12, "js grad");
}

#[test]
fn regression_losses_hand_worked() {
    // Residuals (1, −2, 2, 0).
    let pred = [1.0f64, -2.0, 3.0, 5.0];
    let target = [0.0, 0.0, 1.0, 5.0];
    let mut g = [0.0; 4];
    // MSE = (1 + 4 + 4 + 0)/4 = 9/4; ∂/∂ŷ = 2r/4 = (½, −1, 1, 0).
    assert_eq!(Regression::Mse.value_grad(&pred, &target, &mut g), Ok(2.25));
    assert_eq!(g, [0.5, -1.0, 1.0, 0.0]);
    // MAE = (1 + 2 + 2 + 0)/4 = 5/4; ∂/∂ŷ = sign(r)/4, 0 at the zero residual.
    assert_eq!(Regression::Mae.value_grad(&pred, &target, &mut g), Ok(1.25));
    assert_eq!(g, [0.25, -0.25, 0.25, 0.0]);
    // Huber δ = 1.5: |1| ≤ δ → ½; |−2|, |2| > δ → 1.5·(2 − 0.75) = 1.875 each; 0 → 0.
    // Mean (0.5 + 1.875 + 1.875)/4 = 1.0625; ∂ = clamp(r, ±1.5)/4 = (¼, −0.375, 0.375, 0).
    let h = Regression::huber(1.5).unwrap();
    assert_eq!(h.value_grad(&pred, &target, &mut g), Ok(1.0625));
    assert_eq!(g, [0.25, -0.375, 0.375, 0.0]);
    // Huber with a large δ is half the MSE; with a tiny δ it is ≈ δ·MAE.
    let big = Regression::huber(100.0)
        .unwrap()
        .value(&pred, &target)
        .unwrap();
    assert_eq!(big, 0.5 * 2.25);
    let tiny = Regression::huber(1e-9)
        .unwrap()
        .value(&pred, &target)
        .unwrap();
    assert!((tiny / 1e-9 - 1.25).abs() < 1e-8);
}

#[test]
fn f32_regression_agrees() {
    let (p, t) = ([1.0f32, -2.0, 3.0], [0.0f32, 0.0, 1.0]);
    assert_eq!(Regression::Mse.value(&p, &t), Ok(3.0));
    assert!((Regression::Mae.value(&p, &t).unwrap() - 5.0 / 3.0).abs() < 1e-6);
}

#[test]
fn cross_entropy_hand_worked() {
    // Logits (0, 0), label 0: ln 2. Logits (ln 3, 0), label 0: p₀ = ¾, ℓ = ln(4/3).
    let z = [0.0f64, 0.0, 3.0f64.ln(), 0.0];
    let v = Classification::CrossEntropy.value(&z, &[0, 0], 2).unwrap();
    let want = (2.0f64.ln() + (4.0f64 / 3.0).ln()) / 2.0;
    assert!((v - want).abs() < 1e-15);
    // Uniform weights reproduce the plain mean exactly; weights scale-free.
    let w1 = Classification::Weighted(&[1.0, 1.0])
        .value(&z, &[0, 0], 2)
        .unwrap();
    let w7 = Classification::Weighted(&[7.0, 7.0])
        .value(&z, &[0, 0], 2)
        .unwrap();
    assert!((w1 - v).abs() < 1e-15 && (w7 - v).abs() < 1e-15);
    // C = 1 − I gives the expected 0-1 error 1 − p_y: (½ + ¼)/2 = 3/8.
    let c = [0.0, 1.0, 1.0, 0.0];
    let e = Classification::CostSensitive(&c)
        .value(&z, &[0, 0], 2)
        .unwrap();
    assert!((e - 0.375).abs() < 1e-15);
}

#[test]
fn js_divergence_closed_forms() {
    // JS((1, 0), (½, ½)): m = (¾, ¼); ½·ln(4/3) + ½·(½ln(⅔) + ½ln 2).
    let v = js_divergence(&[1.0f64, 0.0], &[0.5, 0.5]).unwrap();
    let want = 0.5 * (4.0f64 / 3.0).ln() + 0.25 * ((2.0f64 / 3.0).ln() + 2.0f64.ln());
    assert!((v - want).abs() < 1e-15);
    // Symmetric, bounded by ln 2.
    let u = js_divergence(&[0.5f64, 0.5], &[1.0, 0.0]).unwrap();
    assert_eq!(u, v);
    assert!(
        js_divergence(&[1.0f64, 0.0, 0.0], &[0.0, 0.0, 1.0]).unwrap() <= core::f64::consts::LN_2
    );
    // The smoothness of logit rows equals the divergence of their softmaxes.
    let z = [0.0f64, 0.0, 3.0f64.ln(), 0.0]; // (½, ½) and (¾, ¼)
    let s = js_smoothness(&z, 2, 2.0, None).unwrap();
    let d = js_divergence(&[0.5, 0.5], &[0.75, 0.25]).unwrap();
    assert!((s - 2.0 * d).abs() < 1e-15);
    // One row: no pairs.
    assert_eq!(js_smoothness(&[1.0f64, 2.0], 2, 1.0, None), Ok(0.0));
}

#[test]
fn regularizers_hand_worked() {
    let w = [3.0f64, -4.0, 0.0, 10.0];
    let mut g = [0.0; 4];
    // L2 λ = 0.2, bias (every 4th) skipped: 0.1·(9 + 16) = 2.5; ∇ = 0.2·w.
    let mut l2 = Regularizer::l2(0.2).unwrap().skip_bias(4);
    assert!((l2.value(&w) - 2.5).abs() < 1e-15);
    l2.gradient(&w, &mut g).unwrap();
    assert_close(&g, &[0.6, -0.8, 0.0, 0.0], 1e-15, "l2");
    // L1 λ = 0.5 on all: 0.5·17 = 8.5; ∇ = 0.5·sign(w) with sign(0) = 0.
    let mut l1 = Regularizer::l1(0.5).unwrap();
    assert_eq!(l1.value(&w), 8.5);
    l1.gradient(&w, &mut g).unwrap();
    assert_eq!(g, [0.5, -0.5, 0.0, 0.5]);
    // Elastic net λ = 2, α = ¼, bias skipped: 2(¼·7 + ⅜·25) = 3.5 + 18.75 = 22.25.
    let mut en = Regularizer::elastic_net(2.0, 0.25).unwrap().skip_bias(4);
    assert_eq!(en.value(&w), 22.25);
    en.gradient(&w, &mut g).unwrap();
    // ∇ = 2(¼ sign w + ¾ w) = (0.5 + 4.5, −0.5 − 6, 0, 0).
    assert_eq!(g, [5.0, -6.5, 0.0, 0.0]);
    // α = 1 is the lasso, α = 0 is ridge.
    let mut a1 = Regularizer::elastic_net(0.5, 1.0).unwrap();
    let mut a0 = Regularizer::elastic_net(0.2, 0.0).unwrap().skip_bias(4);
    assert_eq!(a1.value(&w), l1.value(&w));
    assert_eq!(a0.value(&w), l2.value(&w));
}

#[test]
fn l1_prox_produces_exact_zeros() {
    let r = Regularizer::l1(0.1f64).unwrap();
    // Step t = 2: threshold 0.2. Anything with |w| ≤ 0.2 becomes exactly 0.
    let mut w = [0.5, -0.2, 0.19999, -1e-300, 0.0, -0.7, 0.2000001];
    r.prox(&mut w, 2.0).unwrap();
    let want = [0.3, 0.0, 0.0, 0.0, 0.0, -0.5, 0.2000001 - 0.2];
    for (g, e) in w.iter().zip(want) {
        assert!((g - e).abs() < 1e-15, "{w:?}");
    }
    assert_eq!(w.iter().filter(|&&v| v == 0.0).count(), 4);
    // Idempotent on zeros; the elastic-net prox also zeroes, then shrinks.
    let en = Regularizer::elastic_net(1.0f64, 0.5).unwrap();
    let mut v = [0.4, 3.0];
    en.prox(&mut v, 1.0).unwrap(); // soft(·, 0.5)/(1.5): (0, 2.5/1.5)
    assert_eq!(v[0], 0.0);
    assert!((v[1] - 2.5 / 1.5).abs() < 1e-15);
    // L2 prox is the multiplicative shrink 1/(1 + tλ).
    let mut u = [3.0f64];
    Regularizer::l2(0.5).unwrap().prox(&mut u, 4.0).unwrap();
    assert_eq!(u, [1.0]);
    assert_eq!(soft_threshold(-0.2f32, 0.2), 0.0);
}

#[test]
fn ista_with_prox_recovers_a_sparse_solution() {
    // ISTA on f(w) = ½‖w − y‖² + λ‖w‖₁, whose minimizer is w* = soft(y, λ) (separable):
    // w ← prox_{tλ‖·‖₁}(w − t(w − y)).
    let y = [1.0f64, 0.05];
    let (lambda, t) = (0.2, 0.5);
    let reg = Regularizer::l1(lambda).unwrap();
    let mut w = [0.0, 0.0];
    for _ in 0..200 {
        // ∇ of ½‖w − y‖² is w − y.
        for (wi, yi) in w.iter_mut().zip(y) {
            *wi -= t * (*wi - yi);
        }
        reg.prox(&mut w, t).unwrap();
    }
    // w* = soft(y, λ) = (0.8, 0).
    assert!((w[0] - 0.8).abs() < 1e-12);
    assert_eq!(w[1], 0.0);
}

#[test]
fn standardization_round_trips() {
    // 4 samples × 3 features: a column in the hundreds, a small one, a constant one.
    let orig = [
        310.0f64, 0.001, 2.5, 295.0, 0.004, 2.5, 402.5, -0.002, 2.5, 288.0, 0.0, 2.5,
    ];
    let mut x = orig;
    let (mut mean, mut scale) = ([0.0; 3], [0.0; 3]);
    assert_eq!(standardize(&mut x, 3, &mut mean, &mut scale), Ok(1));
    // Column 0: μ = (310 + 295 + 402.5 + 288)/4 = 323.875.
    assert!((mean[0] - 323.875).abs() < 1e-12);
    assert_eq!((mean[2], scale[2]), (2.5, 1.0));
    for j in 0..3 {
        let col: Vec<f64> = x.iter().skip(j).step_by(3).copied().collect();
        let mu = col.iter().sum::<f64>() / 4.0;
        let var = col.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / 4.0;
        assert!(mu.abs() < 1e-15, "column {j} mean {mu}");
        let want_var = if j == 2 { 0.0 } else { 1.0 };
        assert!((var - want_var).abs() < 1e-14, "column {j} var {var}");
    }
    unstandardize(&mut x, 3, &mean, &scale).unwrap();
    for (a, b) in x.iter().zip(orig) {
        assert!((a - b).abs() <= 1e-13 * b.abs().max(1.0), "{a} vs {b}");
    }
    // The stored statistics standardize new samples the same way.
    let mut again = orig;
    standardize_with(&mut again, 3, &mean, &scale).unwrap();
    let mut x2 = orig;
    standardize(&mut x2, 3, &mut [0.0; 3], &mut [0.0; 3]).unwrap();
    assert_eq!(again, x2);
    // Population std of column 0 by hand: deviations (−13.875, −28.875, 78.625, −35.875).
    let dev: [f64; 4] = [-13.875, -28.875, 78.625, -35.875];
    let s = (dev.iter().map(|d| d * d).sum::<f64>() / 4.0).sqrt();
    assert!((scale[0] - s).abs() < 1e-12);
}

#[test]
fn constant_column_with_inexact_mean_still_counts_as_constant() {
    // 0.1 + 0.1 + 0.1 ≠ 0.3 in binary: a mean-then-variance test would see a tiny spread.
    let mut x = [0.1f64, 1.0, 0.1, 2.0, 0.1, 4.0];
    let (mut mean, mut scale) = ([0.0; 2], [0.0; 2]);
    assert_eq!(standardize(&mut x, 2, &mut mean, &mut scale), Ok(1));
    assert_eq!((mean[0], scale[0]), (0.1, 1.0));
    assert_eq!([x[0], x[2], x[4]], [0.0; 3]);
    // A tiny but real spread is standardized, not reported.
    let mut y = [1e-200f64, 2e-200, 3e-200];
    assert_eq!(standardize(&mut y, 1, &mut [0.0], &mut [0.0]), Ok(0));
    let s = (2.0f64 / 3.0).sqrt();
    assert!((y[0] + 1.0 / s).abs() < 1e-12 && y[1].abs() < 1e-12);
}

#[test]
fn destandardized_parameters_predict_the_same() {
    let orig = [310.0f64, 0.5, 295.0, 1.5, 402.5, -0.5];
    let mut x = orig;
    let (mut mean, mut scale) = ([0.0; 2], [0.0; 2]);
    standardize(&mut x, 2, &mut mean, &mut scale).unwrap();
    let theta_std = [0.7, -1.3, 4.0];
    let mut theta_raw = theta_std;
    destandardize_linear(&mut theta_raw, &mean, &scale).unwrap();
    for (zs, xs) in x.chunks(2).zip(orig.chunks(2)) {
        let a = theta_std[0] * zs[0] + theta_std[1] * zs[1] + theta_std[2];
        let b = theta_raw[0] * xs[0] + theta_raw[1] * xs[1] + theta_raw[2];
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}
