//! Pinning flat valleys: on the two-rate model (a straight valley, k₁ + k₂ = S) and on a
//! product model (a curved one, a·b = c), the pin turns the degenerate minimum into a
//! non-degenerate one and picks the point the closed form predicts, where the unpinned loss
//! leaves the end point to the start.

use lossmap::landscape::{
    classify_at, flat_range, pin_hessian, pin_penalty, pin_weight, CriticalPoint, Identifiability,
    Pinned, Tolerance,
};
use lossmap::linalg::SymEigen;
use lossmap::optim::{bfgs, newton, NewtonConfig, QuasiNewtonConfig, Stop};
use lossmap::testfn::TwoRate;
use lossmap::{Error, Objective};

/// `(1/M) Σⱼ (yⱼ − a·b·tⱼ)²` with data `yⱼ = c·tⱼ`: only the product `a·b` is determined; the
/// minima are the hyperbola `a·b = c`. Analytic gradient; FD Hessian.
struct Product {
    c: f64,
}

const TIMES: [f64; 6] = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0];

impl Objective<f64, 2> for Product {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        let p = x[0] * x[1];
        TIMES
            .iter()
            .map(|t| (self.c * t - p * t).powi(2))
            .sum::<f64>()
            / TIMES.len() as f64
    }
    fn gradient(&mut self, x: &[f64; 2], g: &mut [f64; 2]) -> Result<usize, Error> {
        let p = x[0] * x[1];
        let s: f64 = TIMES.iter().map(|t| t * t).sum::<f64>() / TIMES.len() as f64;
        let dp = -2.0 * (self.c - p) * s;
        *g = [dp * x[1], dp * x[0]];
        Ok(0)
    }
}

fn report<O: Objective<f64, 2>>(obj: &mut O, x: &[f64; 2]) -> Identifiability<f64, 2> {
    let mut h = [[0.0; 2]; 2];
    obj.hessian(x, &mut h).unwrap();
    Identifiability::of_hessian(&h, 1e-6).unwrap()
}

fn stop() -> Stop<f64> {
    Stop {
        grad_tol: 1e-12,
        max_iter: 500,
        ..Stop::default()
    }
}

/// Two-rate model at a valley point: degenerate before, a minimum after, and the pinned
/// Hessian's eigenvalues are the determined curvature (kept) and the weight (the flat one),
/// which by default is that same curvature: `4/M Σ tⱼ² e^{−2S tⱼ}` twice.
#[test]
fn two_rate_minimum_becomes_non_degenerate() {
    let mut m = TwoRate::<f64>::new(1.3).unwrap();
    let c = m.curvature_along_sum();
    let x = [0.4, 0.9];
    let tol = Tolerance::default();
    let (kind, _) = classify_at(&mut m, &x, &tol).unwrap();
    assert_eq!(
        kind,
        CriticalPoint::Degenerate {
            zero: 1,
            negative: 0
        }
    );
    let id = report(&mut m, &x);
    assert_eq!(id.flat.len(), 1);
    let mut p = Pinned::new(&mut m, &id, x, None).unwrap();
    assert!((p.weight() - c).abs() <= 1e-12 * c);
    let (kind, curv) = classify_at(&mut p, &x, &tol).unwrap();
    assert_eq!(kind, CriticalPoint::Minimum);
    for v in curv.eigen.values {
        assert!((v - c).abs() <= 1e-12 * c, "{v} vs {c}");
    }
}

/// The pinned minimum is unique and where the closed form puts it: the valley point with
/// `d·(x − a) = 0`, d = (1, −1)/√2, i.e. k₁ − k₂ = a₁ − a₂ and k₁ + k₂ = S. Newton from four
/// starts ends there; BFGS on the unpinned loss ends at four different valley points.
#[test]
fn two_rate_pinned_minimum_is_the_closed_form_from_every_start() {
    let mut m = TwoRate::<f64>::new(1.3).unwrap();
    let id = report(&mut m, &[0.4, 0.9]);
    let anchor = [0.2, 0.3];
    let want = [(1.3 + (0.2 - 0.3)) / 2.0, (1.3 - (0.2 - 0.3)) / 2.0];
    let starts = [[1.0, 0.1], [0.2, 1.5], [0.0, 0.0], [2.0, 2.0]];
    let mut ends = Vec::new();
    for s in starts {
        let mut p = Pinned::new(&mut m, &id, anchor, None).unwrap();
        let mut x = s;
        newton(&mut p, &mut x, &NewtonConfig::default(), &stop()).unwrap();
        assert!(
            (x[0] - want[0]).abs() < 1e-8 && (x[1] - want[1]).abs() < 1e-8,
            "from {s:?}: {x:?}, want {want:?}"
        );
        let mut y = s;
        bfgs(&mut m, &mut y, &QuasiNewtonConfig::default(), &stop()).unwrap();
        assert!(
            (y[0] + y[1] - 1.3).abs() < 1e-6,
            "unpinned from {s:?}: {y:?}"
        );
        ends.push(y[0] - y[1]);
    }
    let spread = ends.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
        - ends.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    assert!(
        spread > 0.5,
        "the unpinned end points should depend on the start: {ends:?}"
    );
}

/// A curved valley (a·b = 2) pinned at (1, 2): a non-degenerate minimum there, reached from
/// nearby starts. The pin's line through (1, 2) along the valley normal (2, 1)/√5 meets the
/// hyperbola a second time, at (−4, −½): also a pinned minimum with loss 0, as the module
/// documents for curved valleys.
#[test]
fn product_model_curved_valley() {
    let mut m = Product { c: 2.0 };
    let x = [1.0, 2.0];
    let tol = Tolerance::default();
    assert!(matches!(
        classify_at(&mut m, &x, &tol).unwrap().0,
        CriticalPoint::Degenerate { zero: 1, .. }
    ));
    let id = report(&mut m, &x);
    let d = id.flat[0].vector;
    // Flat direction ⟂ ∇(ab) = (b, a) = (2, 1): ±(1, −2)/√5.
    assert!((d[0] - 1.0 / 5f64.sqrt()).abs() < 1e-6 && (d[1] + 2.0 / 5f64.sqrt()).abs() < 1e-6);
    let mut p = Pinned::new(&mut m, &id, x, None).unwrap();
    assert_eq!(
        classify_at(&mut p, &x, &tol).unwrap().0,
        CriticalPoint::Minimum
    );
    for s in [[1.3, 1.8], [0.8, 2.3], [1.5, 1.5]] {
        let mut y = s;
        newton(&mut p, &mut y, &NewtonConfig::default(), &stop()).unwrap();
        assert!(
            (y[0] - 1.0).abs() < 1e-7 && (y[1] - 2.0).abs() < 1e-7,
            "{s:?} → {y:?}"
        );
    }
    let other = [-4.0, -0.5];
    // Zero up to the finite-difference accuracy of the flat direction (≈ 1e-7).
    assert!(p.value(&other).abs() < 1e-9, "{}", p.value(&other));
    assert_eq!(
        classify_at(&mut p, &other, &tol).unwrap().0,
        CriticalPoint::Minimum
    );
}

/// The slice kernels against closed forms: the penalty of a point on the pin's hyperplane is
/// 0; `pin_hessian` moves the flat eigenvalue of `[[1, 1], [1, 1]]` to `w` and keeps 2.
#[test]
fn kernels_against_closed_forms() {
    let r = 0.5f64.sqrt();
    let d = [r, -r];
    assert_eq!(
        pin_penalty(&d, &[0.3, 0.3], 4.0, &[1.0, 1.0], None),
        Ok(0.0)
    );
    let mut h = [1.0, 1.0, 1.0, 1.0];
    let e = SymEigen::new(&[[1.0, 1.0], [1.0, 1.0]]).unwrap();
    let (start, count) = flat_range(&e.values, 1e-9).unwrap();
    assert_eq!((start, count), (0, 1));
    let w: f64 = pin_weight(&e.values, start, count).unwrap();
    assert!((w - 2.0).abs() < 1e-14);
    pin_hessian(&d, 2, 0.25, &mut h).unwrap();
    let e = SymEigen::new(&[[h[0], h[1]], [h[2], h[3]]]).unwrap();
    assert!((e.values[0] - 0.25).abs() < 1e-14 && (e.values[1] - 2.0).abs() < 1e-14);
    // f32 too.
    let mut g = [1.0f32, 1.0];
    let v = pin_penalty(&[1.0f32, 0.0], &[0.0, 0.0], 2.0, &[3.0, 7.0], Some(&mut g)).unwrap();
    assert_eq!((v, g), (9.0, [7.0, 1.0]));
}

/// Bad input changes nothing: lengths, weight ≤ 0 or NaN, non-finite data, overflow.
#[test]
fn bad_input_changes_nothing() {
    let d = [1.0f64, 0.0];
    let a = [0.0; 2];
    let x = [1.0; 2];
    let mut g = [5.0, 6.0];
    for w in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            pin_penalty(&d, &a, w, &x, Some(&mut g)),
            Err(Error::InvalidParameter)
        );
    }
    assert_eq!(
        pin_penalty(&[1.0, 0.0, 1.0], &a, 1.0, &x, Some(&mut g)),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        pin_penalty(&d, &[0.0], 1.0, &x, Some(&mut g)),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        pin_penalty(&d, &a, 1.0, &[f64::NAN, 0.0], Some(&mut g)),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        pin_penalty(&d, &a, 1e300, &[1e200, 0.0], Some(&mut g)),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(g, [5.0, 6.0]);
    let mut h = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(
        pin_hessian(&d, 2, 0.0, &mut h),
        Err(Error::InvalidParameter)
    );
    assert_eq!(pin_hessian(&d, 3, 1.0, &mut h), Err(Error::LengthMismatch));
    assert_eq!(
        pin_hessian(&d, 2, f64::MAX, &mut [f64::MAX, 0.0, 0.0, 0.0]),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(h, [1.0, 2.0, 3.0, 4.0]);
    assert_eq!(
        pin_weight(&[1.0f64, 2.0], 1, 2),
        Err(Error::InvalidParameter)
    );
    assert_eq!(pin_weight::<f64>(&[], 0, 0), Err(Error::Empty));
    let mut m = TwoRate::<f64>::new(1.3).unwrap();
    let id = report(&mut m, &[0.4, 0.9]);
    assert!(Pinned::new(&mut m, &id, [f64::NAN, 0.0], None).is_err());
    assert_eq!(
        Pinned::new(&mut m, &id, [0.0, 0.0], Some(-1.0)).map(|p| p.weight()),
        Err(Error::InvalidParameter)
    );
}
