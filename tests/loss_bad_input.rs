//! Every bad input of the loss module returns its documented error and leaves the outputs
//! unchanged: NaN/Inf in data, zero samples, mismatched lengths, labels ≥ K, negative class
//! weights or costs, zero/negative hyperparameters, sizes that disagree with `N`.

use lossmap::loss::{
    baseline_from_fn, chain_rule, constrain, design_gram, destandardize_linear, js_divergence,
    js_smoothness, least_squares, residual_targets, standardize, standardize_with, unstandardize,
    Classification, JsSmoothness, Linear, LinearFit, Penalty, Regression, Regularizer, Reparam,
    SoftmaxFit, SoftmaxLinear, Transform, WeightedSum,
};
use lossmap::{Error, Objective};

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;
const SENTINEL: f64 = 123.25;

#[test]
fn regression_losses() {
    let mut g = [SENTINEL; 3];
    let ok = [1.0, 2.0, 3.0];
    let cases: [(&[f64], &[f64], Error); 6] = [
        (&[1.0, NAN, 3.0], &ok, Error::NonFiniteInput),
        (&ok, &[1.0, 2.0, INF], Error::NonFiniteInput),
        (&[], &[], Error::Empty),
        (&[1.0, 2.0], &ok, Error::LengthMismatch),
        (&ok, &[1.0, 2.0], Error::LengthMismatch),
        (
            &[1e308, 1.0, 1.0],
            &[-1e308, 1.0, 1.0],
            Error::NonFiniteLoss,
        ),
    ];
    for loss in [
        Regression::Mse,
        Regression::Mae,
        Regression::Huber { delta: 1.0 },
    ] {
        for (p, t, e) in cases {
            if e == Error::NonFiniteLoss && loss != Regression::Mse {
                continue; // |r| = ∞ after the subtraction overflows: every loss, but MSE first.
            }
            assert_eq!(
                loss.value_grad(p, t, &mut g),
                Err(e),
                "{loss:?} {p:?} {t:?}"
            );
            assert_eq!(loss.value(p, t).err(), Some(e));
        }
        // grad of the wrong length.
        assert_eq!(
            loss.value_grad(&ok, &ok, &mut [0.0; 2]),
            Err(Error::LengthMismatch)
        );
    }
    for delta in [0.0, -1.0, NAN, INF] {
        assert_eq!(Regression::huber(delta), Err(Error::InvalidParameter));
        let h = Regression::Huber { delta };
        assert_eq!(h.value_grad(&ok, &ok, &mut g), Err(Error::InvalidParameter));
    }
    assert_eq!(g, [SENTINEL; 3]);
}

#[test]
fn classification_losses() {
    let z = [0.0, 1.0, 2.0, 3.0];
    let mut g = [SENTINEL; 4];
    let ce = Classification::CrossEntropy;
    // Label ≥ K.
    assert_eq!(
        ce.value_grad(&z, &[0, 2], 2, &mut g),
        Err(Error::InvalidParameter)
    );
    assert_eq!(ce.value(&z, &[5, 0], 2), Err(Error::InvalidParameter));
    assert_eq!(
        ce.value(&z, &[u32::MAX, 0], 2),
        Err(Error::InvalidParameter)
    );
    // NaN / Inf logits.
    assert_eq!(
        ce.value_grad(&[0.0, NAN, 2.0, 3.0], &[0, 1], 2, &mut g),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        ce.value(&[0.0, -INF, 2.0, 3.0], &[0, 1], 2),
        Err(Error::NonFiniteInput)
    );
    // Zero samples, zero classes, lengths.
    assert_eq!(ce.value_grad(&[], &[], 2, &mut g), Err(Error::Empty));
    assert_eq!(ce.value(&z, &[0, 1], 0), Err(Error::Empty));
    assert_eq!(ce.value(&z, &[0, 1, 1], 2), Err(Error::LengthMismatch));
    assert_eq!(
        ce.value_grad(&z, &[0, 1], 2, &mut [0.0; 3]),
        Err(Error::LengthMismatch)
    );
    // Weights: negative, NaN, wrong length, all labels with weight 0.
    let w = |w: &'static [f64]| Classification::Weighted(w);
    assert_eq!(
        w(&[1.0, -0.5]).value_grad(&z, &[0, 1], 2, &mut g),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        w(&[1.0, NAN]).value(&z, &[0, 1], 2),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        w(&[1.0, 1.0, 1.0]).value(&z, &[0, 1], 2),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        w(&[0.0, 1.0]).value(&z, &[0, 0], 2),
        Err(Error::InvalidParameter)
    );
    // Costs: negative entry, Inf, wrong length.
    let c = |c: &'static [f64]| Classification::CostSensitive(c);
    assert_eq!(
        c(&[0.0, 1.0, -5.0, 0.0]).value_grad(&z, &[0, 1], 2, &mut g),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        c(&[0.0, 1.0, INF, 0.0]).value(&z, &[0, 1], 2),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        c(&[0.0, 1.0, 1.0]).value(&z, &[0, 1], 2),
        Err(Error::LengthMismatch)
    );
    assert_eq!(g, [SENTINEL; 4]);
}

#[test]
fn models_and_fits() {
    assert_eq!(Linear::new(0), Err(Error::Empty));
    assert_eq!(SoftmaxLinear::new(0, 3), Err(Error::Empty));
    assert_eq!(SoftmaxLinear::new(2, 0), Err(Error::Empty));
    assert_eq!(
        SoftmaxLinear::new(usize::MAX / 2, 3),
        Err(Error::LengthMismatch)
    );
    let lin = Linear::new(2).unwrap();
    let (x, y) = ([1.0, 2.0, 3.0, 4.0], [1.0, 2.0]);
    // N disagrees with d + 1.
    assert!(matches!(
        LinearFit::<f64, 2>::new(lin, Regression::Mse, &x, &y),
        Err(Error::LengthMismatch)
    ));
    // Data: NaN, zero samples, x not m×d, bad δ, bad baseline.
    let bad =
        |x: &[f64], y: &[f64], l: Regression<f64>| LinearFit::<f64, 3>::new(lin, l, x, y).err();
    assert_eq!(
        bad(&[1.0, NAN, 3.0, 4.0], &y, Regression::Mse),
        Some(Error::NonFiniteInput)
    );
    assert_eq!(
        bad(&x, &[1.0, INF], Regression::Mse),
        Some(Error::NonFiniteInput)
    );
    assert_eq!(bad(&[], &[], Regression::Mse), Some(Error::Empty));
    assert_eq!(
        bad(&x, &[1.0], Regression::Mse),
        Some(Error::LengthMismatch)
    );
    assert_eq!(
        bad(&x, &y, Regression::Huber { delta: 0.0 }),
        Some(Error::InvalidParameter)
    );
    let fit = LinearFit::<f64, 3>::new(lin, Regression::Mse, &x, &y).unwrap();
    assert_eq!(fit.with_baseline(&[1.0]).err(), Some(Error::LengthMismatch));
    assert_eq!(
        fit.with_baseline(&[1.0, NAN]).err(),
        Some(Error::NonFiniteInput)
    );
    // NaN parameters: NaN value, gradient error, g unchanged.
    let mut fit = fit;
    let mut g = [SENTINEL; 3];
    assert!(fit.value(&[NAN, 0.0, 0.0]).is_nan());
    assert_eq!(
        fit.gradient(&[NAN, 0.0, 0.0], &mut g),
        Err(Error::NonFiniteInput)
    );
    let mut h = [[SENTINEL; 3]; 3];
    assert_eq!(
        fit.hessian(&[0.0, INF, 0.0], &mut h),
        Err(Error::NonFiniteInput)
    );
    assert_eq!((g, h), ([SENTINEL; 3], [[SENTINEL; 3]; 3]));
    // Slice kernels: theta and grad lengths.
    assert_eq!(
        lin.loss(&Regression::Mse, &[0.0; 2], &x, &y, None, None),
        Err(Error::LengthMismatch)
    );
    let mut g2 = [SENTINEL; 2];
    assert_eq!(
        lin.loss(&Regression::Mse, &[0.0; 3], &x, &y, None, Some(&mut g2)),
        Err(Error::LengthMismatch)
    );
    assert_eq!(g2, [SENTINEL; 2]);
    assert_eq!(lin.predict(&[0.0; 3], &[1.0]), Err(Error::LengthMismatch));

    // Softmax: N, labels ≥ K, NaN x, weights.
    let sm = SoftmaxLinear::new(2, 3).unwrap();
    let labels = [0u32, 2];
    assert!(matches!(
        SoftmaxFit::<f64, 8>::new(sm, Classification::CrossEntropy, &x, &labels),
        Err(Error::LengthMismatch)
    ));
    let sbad = |x: &[f64], l: &[u32], c: Classification<'_, f64>| {
        SoftmaxFit::<f64, 9>::new(sm, c, x, l).err()
    };
    let ce = Classification::CrossEntropy;
    assert_eq!(sbad(&x, &[0, 3], ce), Some(Error::InvalidParameter));
    assert_eq!(
        sbad(&[NAN, 2.0, 3.0, 4.0], &labels, ce),
        Some(Error::NonFiniteInput)
    );
    assert_eq!(sbad(&[], &[], ce), Some(Error::Empty));
    assert_eq!(sbad(&x, &[0], ce), Some(Error::LengthMismatch));
    let neg = [1.0, -1.0, 1.0];
    assert_eq!(
        sbad(&x, &labels, Classification::Weighted(&neg)),
        Some(Error::InvalidParameter)
    );
    let cost = [0.0, 1.0, 1.0, 1.0, 0.0, -1.0, 1.0, 1.0, 0.0];
    assert_eq!(
        sbad(&x, &labels, Classification::CostSensitive(&cost)),
        Some(Error::InvalidParameter)
    );
    let mut fit = SoftmaxFit::<f64, 9>::new(sm, ce, &x, &labels).unwrap();
    let mut g = [SENTINEL; 9];
    let mut theta = [0.0; 9];
    theta[4] = NAN;
    assert_eq!(fit.gradient(&theta, &mut g), Err(Error::NonFiniteInput));
    assert_eq!(g, [SENTINEL; 9]);
    // Slice kernel: work too short for K logits.
    assert_eq!(
        sm.loss(&ce, &[0.0; 9], &x, &labels, &mut [0.0; 2], None),
        Err(Error::LengthMismatch)
    );
    let mut z = [SENTINEL; 3];
    assert_eq!(
        sm.logits(&[0.0; 9], &[1.0, NAN], &mut z),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(z, [SENTINEL; 3]);
}

#[test]
fn least_squares_and_gram() {
    let x = [0.0, 1.0, 2.0, 3.0];
    let y = [1.0, 2.0, 2.0, 4.0];
    let mut work = [0.0; 10];
    let mut theta = [SENTINEL; 2];
    let cases: [(&[f64], &[f64], usize, Error); 6] = [
        (&[0.0, NAN, 2.0, 3.0], &y, 1, Error::NonFiniteInput),
        (&x, &[1.0, 2.0, INF, 4.0], 1, Error::NonFiniteInput),
        (&[], &[], 1, Error::Empty),
        (&x, &y, 0, Error::Empty),
        (&x, &[1.0, 2.0, 3.0], 1, Error::LengthMismatch),
        (&[1.0, 1.0, 1.0, 1.0], &y, 1, Error::NotPositiveDefinite),
    ];
    for (xs, ys, d, e) in cases {
        assert_eq!(
            least_squares(xs, ys, d, &mut work, &mut theta),
            Err(e),
            "{xs:?} {ys:?} {d}"
        );
    }
    // Wrong work / theta lengths.
    assert_eq!(
        least_squares(&x, &y, 1, &mut [0.0; 9], &mut theta),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        least_squares(&x, &y, 1, &mut work, &mut [0.0; 3]),
        Err(Error::LengthMismatch)
    );
    assert_eq!(theta, [SENTINEL; 2]);
    let mut g = [SENTINEL; 4];
    assert_eq!(
        design_gram(&[1.0, NAN], 1, &mut g),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        design_gram(&[1.0, 2.0, 3.0], 2, &mut g),
        Err(Error::LengthMismatch)
    );
    assert_eq!(design_gram::<f64>(&[], 1, &mut g), Err(Error::Empty));
    assert_eq!(g, [SENTINEL; 4]);
}

#[test]
fn regularizers_and_prox() {
    for p in [
        Penalty::L2 { lambda: 0.0 },
        Penalty::L1 { lambda: -1.0 },
        Penalty::L1 { lambda: NAN },
        Penalty::ElasticNet {
            lambda: 1.0,
            alpha: 1.5,
        },
        Penalty::ElasticNet {
            lambda: 1.0,
            alpha: -0.1,
        },
        Penalty::ElasticNet {
            lambda: INF,
            alpha: 0.5,
        },
    ] {
        assert_eq!(Regularizer::new(p), Err(Error::InvalidParameter), "{p:?}");
    }
    let r = Regularizer::l1(1.0f64).unwrap();
    let mut g = [SENTINEL; 2];
    assert_eq!(
        r.eval(&[1.0, NAN], Some(&mut g)),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(r.eval(&[], None), Err(Error::Empty));
    assert_eq!(
        r.eval(&[1.0, 2.0, 3.0], Some(&mut g)),
        Err(Error::LengthMismatch)
    );
    assert_eq!(g, [SENTINEL; 2]);
    let mut w = [2.0, -3.0];
    for t in [0.0, -1.0, NAN] {
        assert_eq!(r.prox(&mut w, t), Err(Error::InvalidParameter));
    }
    let mut wn = [2.0, NAN];
    assert_eq!(r.prox(&mut wn, 1.0), Err(Error::NonFiniteInput));
    assert_eq!(w, [2.0, -3.0]);
    assert_eq!(wn[0], 2.0);
    // The objective: NaN value and a gradient error for NaN parameters.
    let mut r = r;
    let mut g2 = [SENTINEL; 2];
    assert!(Objective::<f64, 2>::value(&mut r, &[NAN, 0.0]).is_nan());
    assert_eq!(r.gradient(&[NAN, 0.0], &mut g2), Err(Error::NonFiniteInput));
    assert_eq!(g2, [SENTINEL; 2]);
}

#[test]
fn js_smoothness_and_divergence() {
    let z = [0.0, 1.0, 2.0, 3.0];
    let mut g = [SENTINEL; 4];
    for lambda in [0.0, -1.0, NAN, INF] {
        assert_eq!(
            js_smoothness(&z, 2, lambda, Some(&mut g)),
            Err(Error::InvalidParameter)
        );
    }
    assert_eq!(
        js_smoothness(&[0.0, NAN, 2.0, 3.0], 2, 1.0, Some(&mut g)),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(js_smoothness::<f64>(&[], 2, 1.0, None), Err(Error::Empty));
    assert_eq!(js_smoothness(&z, 0, 1.0, None), Err(Error::Empty));
    assert_eq!(js_smoothness(&z, 3, 1.0, None), Err(Error::LengthMismatch));
    assert_eq!(
        js_smoothness(&z, 2, 1.0, Some(&mut [0.0; 3])),
        Err(Error::LengthMismatch)
    );
    assert_eq!(g, [SENTINEL; 4]);
    assert_eq!(
        js_divergence(&[0.5, 0.5], &[1.5, -0.5]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        js_divergence(&[0.5, 0.6], &[0.5, 0.5]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        js_divergence(&[0.5, NAN], &[0.5, 0.5]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        js_divergence(&[1.0], &[0.5, 0.5]),
        Err(Error::LengthMismatch)
    );
    let sm = SoftmaxLinear::new(1, 2).unwrap();
    assert!(matches!(
        JsSmoothness::<f64, 4>::new(sm, &[1.0, 2.0], 0.0),
        Err(Error::InvalidParameter)
    ));
    assert!(matches!(
        JsSmoothness::<f64, 4>::new(sm, &[1.0, NAN], 1.0),
        Err(Error::NonFiniteInput)
    ));
    assert!(matches!(
        JsSmoothness::<f64, 4>::new(sm, &[], 1.0),
        Err(Error::Empty)
    ));
    assert!(matches!(
        JsSmoothness::<f64, 6>::new(sm, &[1.0], 1.0),
        Err(Error::LengthMismatch)
    ));
    let mut work = [0.0; 3];
    assert_eq!(
        sm.js_smoothness(1.0, &[0.0; 4], &[1.0, 2.0], &mut work, None),
        Err(Error::LengthMismatch)
    );
}

#[test]
fn combinators_and_reparam() {
    let f = |x: &[f64; 1]| x[0];
    assert!(matches!(
        WeightedSum::new(NAN, f, 1.0, f),
        Err(Error::InvalidParameter)
    ));
    assert!(matches!(
        WeightedSum::new(1.0, f, INF, f),
        Err(Error::InvalidParameter)
    ));
    for t in [
        Transform::Bounded { lo: 1.0, hi: 1.0 },
        Transform::Bounded { lo: 2.0, hi: 1.0 },
        Transform::Bounded { lo: NAN, hi: 1.0 },
        Transform::Bounded {
            lo: -f64::MAX,
            hi: f64::MAX,
        },
    ] {
        assert!(
            matches!(
                Reparam::<_, f64, 1>::all(f, t),
                Err(Error::InvalidParameter)
            ),
            "{t:?}"
        );
    }
    let r = Reparam::new(f, [Transform::Positive]).unwrap();
    assert_eq!(r.unconstrained(&[0.0]), Err(Error::InvalidParameter));
    assert_eq!(r.unconstrained(&[-1.0]), Err(Error::InvalidParameter));
    let b = Reparam::<_, f64, 1>::all(f, Transform::Bounded { lo: 0.0, hi: 1.0 }).unwrap();
    assert_eq!(b.unconstrained(&[1.0]), Err(Error::InvalidParameter));
    assert_eq!(b.unconstrained(&[NAN]), Err(Error::NonFiniteInput));
    // exp(800) overflows: an error, not an infinite parameter; g unchanged.
    let mut r = r;
    let mut g = [SENTINEL];
    assert_eq!(r.constrained(&[800.0]), Err(Error::NonFiniteInput));
    assert!(r.value(&[800.0]).is_nan());
    assert_eq!(r.gradient(&[800.0], &mut g), Err(Error::NonFiniteInput));
    assert_eq!(g, [SENTINEL]);
    let mut theta = [SENTINEL; 2];
    let maps = [Transform::Identity, Transform::Positive];
    assert_eq!(
        constrain(&maps, &[0.0], &mut theta),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        constrain(&maps, &[0.0, NAN], &mut theta),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        chain_rule(&maps, &[0.0, 0.0], &mut [1.0]),
        Err(Error::LengthMismatch)
    );
    let mut gn = [NAN, SENTINEL];
    assert_eq!(
        chain_rule(&maps, &[0.0, 0.0], &mut gn),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(theta, [SENTINEL; 2]);
    assert_eq!(gn[1], SENTINEL);
}

#[test]
fn standardization_and_residuals() {
    let orig = [1.0, 2.0, 3.0, 4.0];
    let mut x = orig;
    let (mut mean, mut scale) = ([SENTINEL; 2], [SENTINEL; 2]);
    let mut xn = [1.0, NAN, 3.0, 4.0];
    assert_eq!(
        standardize(&mut xn, 2, &mut mean, &mut scale),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        standardize(&mut [], 2, &mut mean, &mut scale),
        Err(Error::Empty)
    );
    assert_eq!(
        standardize(&mut x, 0, &mut mean, &mut scale),
        Err(Error::Empty)
    );
    assert_eq!(
        standardize(&mut x, 3, &mut mean, &mut scale),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        standardize(&mut x, 2, &mut [0.0; 1], &mut scale),
        Err(Error::LengthMismatch)
    );
    // Overflowing sums (|x| near the largest float).
    let mut huge = [f64::MAX, 0.5 * f64::MAX];
    assert_eq!(
        standardize(&mut huge, 1, &mut [SENTINEL], &mut [SENTINEL]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(huge, [f64::MAX, 0.5 * f64::MAX]);
    // …but a spread of the largest floats that sums to 0 is standardized correctly.
    let mut wide = [f64::MAX, -f64::MAX];
    assert_eq!(standardize(&mut wide, 1, &mut [0.0], &mut [0.0]), Ok(0));
    assert_eq!(wide, [1.0, -1.0]);
    assert_eq!((x, mean, scale), (orig, [SENTINEL; 2], [SENTINEL; 2]));
    // Inverse and apply: scale ≤ 0, NaN statistics.
    for s in [[1.0, 0.0], [1.0, -2.0]] {
        assert_eq!(
            unstandardize(&mut x, 2, &[0.0, 0.0], &s),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            standardize_with(&mut x, 2, &[0.0, 0.0], &s),
            Err(Error::InvalidParameter)
        );
    }
    assert_eq!(
        unstandardize(&mut x, 2, &[NAN, 0.0], &[1.0, 1.0]),
        Err(Error::NonFiniteInput)
    );
    let mut theta = [1.0, 2.0, 3.0];
    assert_eq!(
        destandardize_linear(&mut theta, &[0.0, 0.0], &[1.0, 0.0]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        destandardize_linear(&mut theta, &[0.0], &[1.0]),
        Err(Error::LengthMismatch)
    );
    assert_eq!((x, theta), (orig, [1.0, 2.0, 3.0]));
    // Residual targets and baselines.
    let mut out = [SENTINEL; 2];
    assert_eq!(
        residual_targets(&[1.0, NAN], &[0.0, 0.0], &mut out),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        residual_targets(&[1.0, 2.0], &[0.0], &mut out),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        residual_targets(&[f64::MAX, 0.0], &[-f64::MAX, 0.0], &mut out),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        baseline_from_fn(&[1.0, NAN], 1, |r: &[f64]| r[0], &mut out),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        baseline_from_fn(&[1.0, 2.0, 3.0], 1, |r: &[f64]| r[0], &mut out),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        baseline_from_fn(&[1.0, 2.0], 0, |r: &[f64]| r[0], &mut out),
        Err(Error::Empty)
    );
    assert_eq!(out, [SENTINEL; 2]);
}
