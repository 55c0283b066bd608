//! Every analytic gradient of the loss module against central differences
//! (`lossmap::diff::central_gradient_n`, error `O(h²)` ≈ 1e-10 relative here): data losses with
//! respect to predictions and logits, models and objectives with respect to their parameters,
//! regularizers, the JS smoothness penalty, sums, reparameterizations, and the analytic Hessian
//! of the linear fit against `lossmap::diff::hessian_n`.

use lossmap::diff::{central_gradient_n, hessian_n};
use lossmap::loss::{
    js_smoothness, Classification, JsSmoothness, Linear, LinearFit, Regression, Regularizer,
    Reparam, SoftmaxFit, SoftmaxLinear, Transform, WeightedSum,
};
use lossmap::Objective;

/// Deterministic values in [−1, 1) (a 64-bit LCG, Knuth's MMIX constants).
fn data<const L: usize>(seed: u64) -> [f64; L] {
    let mut s = seed;
    core::array::from_fn(|_| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    })
}

/// max|analytic − numeric| ≤ tol·max(1, max|numeric|).
fn assert_grad_matches<const N: usize, O: Objective<f64, N>>(
    o: &mut O,
    x: &[f64; N],
    tol: f64,
    what: &str,
) {
    let mut exact = [0.0; N];
    assert_eq!(
        o.gradient(x, &mut exact),
        Ok(0),
        "{what}: analytic, no evaluations"
    );
    let mut fd = [0.0; N];
    central_gradient_n(|p: &[f64; N]| o.value(p), x, &mut fd).unwrap();
    let scale = fd.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    for (i, (a, n)) in exact.iter().zip(&fd).enumerate() {
        assert!(
            (a - n).abs() <= tol * scale,
            "{what}: ∂/∂θ{i} analytic {a} vs central difference {n}"
        );
    }
}

const M: usize = 8;
const D: usize = 3;

#[test]
fn regression_losses_wrt_predictions() {
    let pred: [f64; M] = data(1);
    let target: [f64; M] = data(2);
    let losses = [
        Regression::Mse,
        Regression::Mae,
        Regression::Huber { delta: 0.3 },
        Regression::Huber { delta: 5.0 },
    ];
    for loss in losses {
        let mut o = lossmap::objective::WithGradient::new(
            |p: &[f64; M]| loss.value(p, &target).unwrap(),
            |p: &[f64; M], g: &mut [f64; M]| {
                loss.value_grad(p, &target, g).unwrap();
            },
        );
        assert_grad_matches(&mut o, &pred, 1e-8, &format!("{loss:?}"));
    }
}

#[test]
fn classification_losses_wrt_logits() {
    const K: usize = 4;
    let z: [f64; M * K] = data(3);
    let z = z.map(|v| 3.0 * v);
    let labels: [u32; M] = [0, 3, 1, 1, 2, 0, 3, 2];
    let w = [0.5, 2.0, 1.0, 3.0];
    let c: [f64; K * K] = data::<16>(4).map(|v| v.abs() * 4.0);
    for loss in [
        Classification::CrossEntropy,
        Classification::Weighted(&w),
        Classification::CostSensitive(&c),
    ] {
        let mut o = lossmap::objective::WithGradient::new(
            |p: &[f64; M * K]| loss.value(p, &labels, K).unwrap(),
            |p: &[f64; M * K], g: &mut [f64; M * K]| {
                loss.value_grad(p, &labels, K, g).unwrap();
            },
        );
        assert_grad_matches(&mut o, &z, 1e-8, &format!("{loss:?}"));
    }
}

#[test]
fn js_smoothness_wrt_logits() {
    const K: usize = 3;
    let z: [f64; M * K] = data::<24>(5).map(|v| 4.0 * v);
    let mut o = lossmap::objective::WithGradient::new(
        |p: &[f64; M * K]| js_smoothness(p, K, 0.8, None).unwrap(),
        |p: &[f64; M * K], g: &mut [f64; M * K]| {
            js_smoothness(p, K, 0.8, Some(g)).unwrap();
        },
    );
    assert_grad_matches(&mut o, &z, 1e-8, "js_smoothness");
}

#[test]
fn linear_fit_gradients() {
    let x: [f64; M * D] = data(6);
    let y: [f64; M] = data(7);
    let base: [f64; M] = data(8);
    let theta = [0.3, -0.7, 1.1, 0.2];
    let model = Linear::new(D).unwrap();
    for loss in [
        Regression::Mse,
        Regression::Mae,
        Regression::huber(0.4).unwrap(),
    ] {
        let mut fit = LinearFit::<f64, 4>::new(model, loss, &x, &y).unwrap();
        assert_grad_matches(&mut fit, &theta, 1e-8, &format!("linear {loss:?}"));
        let mut delta = fit.with_baseline(&base).unwrap();
        assert_grad_matches(&mut delta, &theta, 1e-8, &format!("Δ-linear {loss:?}"));
    }
}

#[test]
fn linear_fit_analytic_hessian() {
    let x: [f64; M * D] = data(9);
    let y: [f64; M] = data(10);
    let theta = [0.3, -0.7, 1.1, 0.2];
    let model = Linear::new(D).unwrap();
    for loss in [Regression::Mse, Regression::huber(0.6).unwrap()] {
        let mut fit = LinearFit::<f64, 4>::new(model, loss, &x, &y).unwrap();
        let mut h = [[0.0; 4]; 4];
        assert_eq!(fit.hessian(&theta, &mut h), Ok(0));
        let mut fd = [[0.0; 4]; 4];
        hessian_n(|p: &[f64; 4]| fit.value(p), &theta, &mut fd).unwrap();
        for (hr, fr) in h.iter().zip(&fd) {
            for (a, b) in hr.iter().zip(fr) {
                assert!((a - b).abs() < 1e-5, "{loss:?}: {h:?} vs {fd:?}");
            }
        }
    }
    // MSE: ∇²L = 2·design_gram.
    let mut g = [0.0; 16];
    lossmap::loss::design_gram(&x, D, &mut g).unwrap();
    let mut fit = LinearFit::<f64, 4>::new(model, Regression::Mse, &x, &y).unwrap();
    let mut h = [[0.0; 4]; 4];
    fit.hessian(&theta, &mut h).unwrap();
    for (a, b) in h.as_flattened().iter().zip(&g) {
        assert!((a - 2.0 * b).abs() < 1e-14);
    }
}

#[test]
fn softmax_fit_gradients() {
    const K: usize = 4;
    const N: usize = K * (D + 1);
    let x: [f64; M * D] = data(11);
    let labels: [u32; M] = [1, 0, 3, 2, 2, 1, 0, 3];
    let theta: [f64; N] = data(12);
    let w = [1.0, 0.25, 4.0, 2.0];
    let c: [f64; K * K] = data::<16>(13).map(|v| v.abs() * 3.0);
    let model = SoftmaxLinear::new(D, K).unwrap();
    for loss in [
        Classification::CrossEntropy,
        Classification::Weighted(&w),
        Classification::CostSensitive(&c),
    ] {
        let mut fit = SoftmaxFit::<f64, N>::new(model, loss, &x, &labels).unwrap();
        assert_grad_matches(&mut fit, &theta, 1e-8, &format!("softmax {loss:?}"));
    }
}

#[test]
fn regularizer_gradients() {
    // Away from 0, where L1 is differentiable.
    let w = [0.8, -1.3, 0.4, 2.0, -0.6];
    for r in [
        Regularizer::l2(0.3).unwrap(),
        Regularizer::l1(0.7).unwrap().skip_bias(5),
        Regularizer::elastic_net(1.5, 0.35).unwrap().skip_bias(2),
    ] {
        let (mut r, name) = (r, format!("{r:?}"));
        assert_grad_matches(&mut r, &w, 1e-8, &name);
    }
}

#[test]
fn js_smoothness_objective_gradient() {
    const K: usize = 3;
    const N: usize = K * (D + 1);
    let x: [f64; M * D] = data(14);
    let theta: [f64; N] = data::<N>(15).map(|v| 2.0 * v);
    let model = SoftmaxLinear::new(D, K).unwrap();
    let mut js = JsSmoothness::<f64, N>::new(model, &x, 0.5).unwrap();
    assert_grad_matches(&mut js, &theta, 1e-8, "JsSmoothness");
    // Its value is the logit kernel on the model's logits.
    let mut z = [0.0; M * K];
    for (zi, xi) in z.chunks_mut(K).zip(x.chunks(D)) {
        model.logits(&theta, xi, zi).unwrap();
    }
    let direct = js_smoothness(&z, K, 0.5, None).unwrap();
    assert!((js.value(&theta) - direct).abs() < 1e-15);
}

#[test]
fn nested_sum_gradient() {
    const K: usize = 3;
    const N: usize = K * (D + 1);
    let x: [f64; M * D] = data(16);
    let labels: [u32; M] = [0, 1, 2, 2, 1, 0, 0, 1];
    let theta: [f64; N] = data(17);
    let model = SoftmaxLinear::new(D, K).unwrap();
    let fit = SoftmaxFit::<f64, N>::new(model, Classification::CrossEntropy, &x, &labels).unwrap();
    let l2 = Regularizer::l2(0.1).unwrap().skip_bias(D + 1);
    let js = JsSmoothness::<f64, N>::new(model, &x, 0.3).unwrap();
    let mut total = WeightedSum::new(1.0, fit, 1.0, l2)
        .unwrap()
        .plus(2.0, js)
        .unwrap();
    assert_grad_matches(&mut total, &theta, 1e-8, "CE + L2 + 2·JS");
    let (mut f, mut l, mut j) = (fit, l2, js);
    let want = f.value(&theta) + l.value(&theta) + 2.0 * j.value(&theta);
    assert!((total.value(&theta) - want).abs() < 1e-14);
}

#[test]
fn reparameterized_gradient() {
    // Inner: a linear fit whose weights are constrained: w₀ > 0, w₁ ∈ (−1, 2), w₂ and b free.
    let x: [f64; M * D] = data(18);
    let y: [f64; M] = data(19);
    let fit = LinearFit::<f64, 4>::new(Linear::new(D).unwrap(), Regression::Mse, &x, &y).unwrap();
    let maps = [
        Transform::Positive,
        Transform::Bounded { lo: -1.0, hi: 2.0 },
        Transform::Identity,
        Transform::Identity,
    ];
    let mut r = Reparam::new(fit, maps).unwrap();
    for alpha in [[0.3, -0.4, 0.5, 0.1], [-2.0, 3.0, -1.0, 0.7]] {
        assert_grad_matches(&mut r, &alpha, 1e-8, "reparam");
        let theta = r.constrained(&alpha).unwrap();
        assert!(theta[0] > 0.0 && theta[1] > -1.0 && theta[1] < 2.0);
        let back = r.unconstrained(&theta).unwrap();
        for (a, b) in alpha.iter().zip(back) {
            assert!((a - b).abs() < 1e-12);
        }
    }
    // A finite-difference inner objective: evaluations are passed through.
    let mut closure = Reparam::all(|t: &[f64; 2]| t[0] * t[1], Transform::Positive).unwrap();
    let mut g = [0.0; 2];
    assert_eq!(closure.gradient(&[0.5, -0.5], &mut g), Ok(4));
    // ∂(e^a e^b)/∂a = e^{a+b} = 1.
    assert!((g[0] - 1.0).abs() < 1e-8 && (g[1] - 1.0).abs() < 1e-8);
}

#[test]
fn f32_gradients_agree_with_f64() {
    const K: usize = 2;
    const N: usize = K * (D + 1);
    let x: [f64; M * D] = data(20);
    let labels: [u32; M] = [0, 1, 1, 0, 1, 0, 0, 1];
    let theta: [f64; N] = data(21);
    let model = SoftmaxLinear::new(D, K).unwrap();
    let mut g64 = [0.0; N];
    SoftmaxFit::<f64, N>::new(model, Classification::CrossEntropy, &x, &labels)
        .unwrap()
        .gradient(&theta, &mut g64)
        .unwrap();
    let x32 = x.map(|v| v as f32);
    let mut g32 = [0.0f32; N];
    SoftmaxFit::<f32, N>::new(model, Classification::CrossEntropy, &x32, &labels)
        .unwrap()
        .gradient(&theta.map(|v| v as f32), &mut g32)
        .unwrap();
    // exp and ln are libm's under every feature set (micromath only replaces sin and cos).
    let tol = 1e-6;
    for (a, b) in g32.iter().zip(g64) {
        assert!((f64::from(*a) - b).abs() < tol, "{a} vs {b}");
    }
}
