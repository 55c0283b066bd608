//! Landscape analysis against values known independently: closed-form
//! eigenvalues, published critical points, exact traces.

use lossmap::landscape::{
    classify_at, convex_at, convex_over_box, epsilon_sharpness, hutchinson_trace_n, noisy_loss,
    top_eigen_n, Convexity, CriticalPoint, Curvature, Identifiability, Tolerance,
};
use lossmap::testfn::{Himmelblau, Rosenbrock};
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// Six-hump camel, written out here: f = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y².
fn camel(v: &[f64; 2]) -> f64 {
    let (x, y) = (v[0], v[1]);
    (4.0 - 2.1 * x * x + x.powi(4) / 3.0) * x * x + x * y + (-4.0 + 4.0 * y * y) * y * y
}

/// Rastrigin in 2-D: 20 + Σ (x² − 10 cos 2πx).
fn rastrigin(v: &[f64; 2]) -> f64 {
    20.0 + v
        .iter()
        .map(|x| x * x - 10.0 * (2.0 * core::f64::consts::PI * x).cos())
        .sum::<f64>()
}

/// ½ xᵀ Q diag(λ) Qᵀ x with Q a fixed rotation (Householder reflection from u = (1, 2, 3, …)).
struct RotatedBowl<const N: usize> {
    lambda: [f64; N],
}

impl<const N: usize> RotatedBowl<N> {
    fn u() -> [f64; N] {
        let u: [f64; N] = core::array::from_fn(|i| (i + 1) as f64);
        let n = u.iter().map(|a| a * a).sum::<f64>().sqrt();
        u.map(|a| a / n)
    }
    /// Qᵀx with Q = I − 2uuᵀ (symmetric, orthogonal).
    fn rotate(x: &[f64; N]) -> [f64; N] {
        let u = Self::u();
        let d: f64 = u.iter().zip(x).map(|(a, b)| a * b).sum();
        core::array::from_fn(|i| x[i] - 2.0 * d * u[i])
    }
    fn trace(&self) -> f64 {
        self.lambda.iter().sum()
    }
}

impl<const N: usize> Objective<f64, N> for RotatedBowl<N> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let y = Self::rotate(x);
        0.5 * y
            .iter()
            .zip(&self.lambda)
            .map(|(a, l)| l * a * a)
            .sum::<f64>()
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, lossmap::Error> {
        let y = Self::rotate(x);
        let s: [f64; N] = core::array::from_fn(|i| self.lambda[i] * y[i]);
        *g = Self::rotate(&s);
        Ok(0)
    }
}

#[test]
fn himmelblau_critical_points_classify_as_published() {
    let tol = Tolerance::default();
    for m in &Himmelblau::MINIMA {
        assert_eq!(
            classify_at(&mut Himmelblau, m, &tol).unwrap().0,
            CriticalPoint::Minimum,
            "{m:?}"
        );
    }
    for s in &Himmelblau::SADDLES {
        assert_eq!(
            classify_at(&mut Himmelblau, s, &tol).unwrap().0,
            CriticalPoint::Saddle { index: 1 },
            "{s:?}"
        );
    }
    let (kind, c) = classify_at(&mut Himmelblau, &Himmelblau::MAXIMUM, &tol).unwrap();
    assert_eq!(kind, CriticalPoint::Maximum);
    // Eigenvalues of [[-44.811873, -4.775533], [-4.775533, -16.859376]] (tests/reference/critical_points.py).
    let (t, d) = (
        -44.811873 - 16.859376,
        44.811873 * 16.859376 - 4.775533f64 * 4.775533,
    );
    let r = (t * t / 4.0 - d).sqrt();
    assert!(
        (c.eigen.values[0] - (t / 2.0 - r)).abs() < 1e-4
            && (c.eigen.values[0] + 45.61).abs() < 0.01
    );
    assert!(
        (c.eigen.values[1] - (t / 2.0 + r)).abs() < 1e-4
            && (c.eigen.values[1] + 16.07).abs() < 0.01
    );
    // Away from critical points.
    assert_eq!(
        classify_at(&mut Himmelblau, &[1.0, 1.0], &tol).unwrap().0,
        CriticalPoint::NotCritical
    );
}

#[test]
fn six_hump_camel_origin_is_an_index_one_saddle() {
    let tol = Tolerance::default();
    let (kind, c) = classify_at(&mut camel, &[0.0, 0.0], &tol).unwrap();
    assert_eq!(kind, CriticalPoint::Saddle { index: 1 });
    // H(0) = [[8, 1], [1, −8]]: λ = ±√65.
    let r = 65f64.sqrt();
    assert!(
        (c.eigen.values[0] + r).abs() < 1e-5 && (c.eigen.values[1] - r).abs() < 1e-5,
        "{:?}",
        c.eigen.values
    );
    for m in [
        [0.0898420131003, -0.7126564030207],
        [-0.0898420131003, 0.7126564030207],
    ] {
        assert_eq!(
            classify_at(&mut camel, &m, &tol).unwrap().0,
            CriticalPoint::Minimum
        );
    }
}

#[test]
fn rosenbrock_curvature_at_the_minimum() {
    let c = Curvature::of_hessian(&Rosenbrock::hessian(&[1.0f64, 1.0])).unwrap();
    let r = (301.0f64 * 301.0 + 400.0 * 400.0).sqrt();
    assert!((c.summary.min - (501.0 - r)).abs() < 1e-6 && (c.summary.min - 0.3994).abs() < 1e-4);
    assert!((c.summary.max - (501.0 + r)).abs() < 1e-4 && (c.summary.max - 1001.6).abs() < 0.01);
    assert!(
        (c.summary.condition - (501.0 + r) / (501.0 - r)).abs() < 1e-2
            && (c.summary.condition - 2508.0).abs() < 1.0
    );
    assert!((c.summary.trace - 1002.0).abs() < 1e-4);
    // det = 802·200 − 400² = 400.
    assert!((c.summary.log_det - 400.0f64.ln()).abs() < 1e-12);
    // Through the objective (analytic or finite-difference Hessian) the report agrees.
    let fd = Curvature::at(&mut |x: &[f64; 2]| Rosenbrock.value(x), &[1.0f64, 1.0]).unwrap();
    assert!(
        (fd.summary.min - c.summary.min).abs() < 1e-4
            && (fd.summary.max - c.summary.max).abs() < 1e-3
    );
}

#[test]
fn a_nearly_flat_quadratic_has_one_flat_direction_and_is_convex() {
    let mut q = RotatedBowl::<3> {
        lambda: [1e-6, 1.0, 10.0],
    };
    let x = [0.0; 3];
    let (kind, c) = classify_at(&mut q, &x, &Tolerance::default()).unwrap();
    assert_eq!(
        kind,
        CriticalPoint::Degenerate {
            zero: 1,
            negative: 0
        }
    );
    for (got, want) in c.eigen.values.iter().zip([1e-6, 1.0, 10.0]) {
        assert!((got - want).abs() < 1e-7, "{:?}", c.eigen.values);
    }
    let id = Identifiability::of_hessian(&c.hessian, 1e-6).unwrap();
    assert_eq!((id.flat.len(), id.determined.len()), (1, 2));
    // The flat direction is the first column of Q = I − 2uuᵀ, up to sign.
    let want = RotatedBowl::<3>::rotate(&[1.0, 0.0, 0.0]);
    let dot: f64 = id.flat[0]
        .vector
        .iter()
        .zip(&want)
        .map(|(a, b)| a * b)
        .sum();
    assert!(
        (dot.abs() - 1.0).abs() < 1e-6,
        "{:?} vs {want:?}",
        id.flat[0]
    );
    // The determined ones carry the bowl's other two curvatures, ascending.
    let curv: Vec<f64> = id.determined.iter().map(|d| d.curvature).collect();
    assert!(
        (curv[0] - 1.0).abs() < 1e-7 && (curv[1] - 10.0).abs() < 1e-7,
        "{curv:?}"
    );
    assert!(convex_at(&mut q, &x, 1e-6).unwrap().is_convex());
}

#[test]
fn two_rate_model_determines_only_the_sum() {
    // y(t) = exp(−(k₁ + k₂) t) observed at t = 0.5, 1, …, 4 with true sum 1.3: the MSE depends on
    // k₁ + k₂ only, so (1, −1)/√2 is flat and (1, 1)/√2 is curved.
    let mut loss = |k: &[f64; 2]| {
        (1..=8)
            .map(|i| i as f64 * 0.5)
            .map(|t| ((-(k[0] + k[1]) * t).exp() - (-1.3 * t).exp()).powi(2))
            .sum::<f64>()
            / 8.0
    };
    let c = Curvature::at(&mut loss, &[0.4, 0.9]).unwrap();
    let id = Identifiability::of_hessian(&c.hessian, 1e-5).unwrap();
    assert_eq!((id.flat.len(), id.determined.len()), (1, 1));
    let s = 0.5f64.sqrt();
    let (flat, det) = (id.flat[0].vector, id.determined[0].vector);
    assert!(
        (flat[0] - s).abs() < 1e-4 && (flat[1] + s).abs() < 1e-4,
        "undetermined {flat:?}"
    );
    assert!(
        (det[0] - s).abs() < 1e-4 && (det[1] - s).abs() < 1e-4,
        "determined {det:?}"
    );
    assert!(id.determined[0].curvature > 1e-3);
}

#[test]
fn rastrigin_convexity_fails_on_the_big_box_and_holds_on_the_small_one() {
    let mut rng = XorShiftRng::seed_from_u64(11);
    match convex_over_box(
        &mut rastrigin,
        &[-1.0, -1.0],
        &[1.0, 1.0],
        200,
        &mut rng,
        1e-6,
    )
    .unwrap()
    {
        Convexity::NotConvex {
            point,
            direction,
            curvature,
        } => {
            // f'' = 2 + 40π² cos(2πx) per coordinate: negative exactly where cos(2πx) < −1/(20π²).
            assert!(curvature < 0.0);
            let c = |x: f64| {
                2.0 + 40.0 * core::f64::consts::PI.powi(2) * (2.0 * core::f64::consts::PI * x).cos()
            };
            let along = direction[0] * direction[0] * c(point[0])
                + direction[1] * direction[1] * c(point[1]);
            assert!(
                (along - curvature).abs() < 1e-3 * curvature.abs(),
                "witness {point:?} {direction:?}"
            );
        }
        Convexity::Convex { .. } => panic!("Rastrigin is not convex on [-1, 1]²"),
    }
    assert!(convex_over_box(
        &mut rastrigin,
        &[-0.2, -0.2],
        &[0.2, 0.2],
        200,
        &mut rng,
        1e-6
    )
    .unwrap()
    .is_convex());
}

#[test]
fn hutchinson_and_power_iteration_agree_with_the_dense_spectrum() {
    let lambda: [f64; 32] = core::array::from_fn(|i| 0.5 + i as f64 * 0.25);
    let mut q = RotatedBowl { lambda };
    let x = [0.1; 32];
    let mut rng = XorShiftRng::seed_from_u64(2024);
    let t = hutchinson_trace_n(&mut q, &x, 64, &mut rng).unwrap();
    let exact = q.trace();
    assert!(
        (t.trace - exact).abs() <= 0.05 * exact,
        "Hutchinson {} vs {exact}",
        t.trace
    );
    let top = top_eigen_n::<f64, _, _, 32, 2>(&mut q, &x, &mut rng, 2000, 1e-13).unwrap();
    assert!(
        (top.values[0] - 8.25).abs() / 8.25 < 1e-6,
        "{:?}",
        top.values
    );
    assert!((top.values[1] - 8.0).abs() / 8.0 < 1e-6, "{:?}", top.values);
    // Against the dense eigen-solver on the small Rosenbrock Hessian too.
    let dense = Curvature::at(&mut Rosenbrock, &[-1.2, 1.0]).unwrap();
    let top = top_eigen_n::<f64, _, _, 2, 1>(&mut Rosenbrock, &[-1.2, 1.0], &mut rng, 500, 1e-14)
        .unwrap();
    assert!((top.values[0] - dense.summary.max).abs() / dense.summary.max < 1e-6);
}

#[test]
fn sharpness_and_noise_on_quadratics_match_closed_forms() {
    let mut q = RotatedBowl::<4> {
        lambda: [1.0, 2.0, 3.0, 7.0],
    };
    let x = [0.0; 4];
    let mut rng = XorShiftRng::seed_from_u64(5);
    // Max of ½ λ_max ‖δ‖² on the ε-ball: ½·7·0.05².
    let s = epsilon_sharpness(&mut q, &x, 0.05, 100, &mut rng).unwrap();
    assert!((s.rise - 0.5 * 7.0 * 0.0025).abs() < 1e-6, "{}", s.rise);
    // E[f(σz)] = σ²/2 · tr H exactly for a quadratic.
    let r = noisy_loss(&mut q, &x, 0.2, 20_000, &mut rng).unwrap();
    assert!((r.second_order - 0.02 * 13.0).abs() < 1e-8);
    assert!((r.sampled - r.second_order).abs() < 4.0 * r.std_error);
}

#[test]
fn bad_input_is_rejected() {
    use lossmap::Error;
    let mut rng = XorShiftRng::seed_from_u64(1);
    assert_eq!(
        Curvature::of_hessian(&[[1.0, f64::NAN], [f64::NAN, 1.0]]).unwrap_err(),
        Error::NonFiniteInput
    );
    assert_eq!(
        Curvature::of_hessian(&[[1.0, 2.0], [0.0, 1.0]]).unwrap_err(),
        Error::NotSymmetric
    );
    assert_eq!(
        convex_over_box(&mut rastrigin, &[1.0, 0.0], &[0.0, 1.0], 10, &mut rng, 1e-6).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!(
        convex_over_box(&mut rastrigin, &[0.0, 0.0], &[1.0, 1.0], 0, &mut rng, 1e-6).unwrap_err(),
        Error::Empty
    );
    assert_eq!(
        epsilon_sharpness(&mut rastrigin, &[0.0, 0.0], -1.0, 10, &mut rng).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!(
        classify_at(&mut rastrigin, &[f64::NAN, 0.0], &Tolerance::default()).unwrap_err(),
        Error::NonFiniteInput
    );
    // Zero-size grids.
    let (mut p, mut none) = ([0.0; 2], [0.0f64; 0]);
    let mut f = |v: &[f64]| v[0] + v[1];
    assert_eq!(
        lossmap::landscape::slice_1d(
            &mut f,
            &[0.0, 0.0],
            &[1.0, 0.0],
            0.0,
            1.0,
            &mut p,
            &mut none
        )
        .unwrap_err(),
        Error::Empty
    );
    let mut grid = [7.0f64; 6];
    let (d1, d2) = ([1.0, 0.0], [0.0, 1.0]);
    assert_eq!(
        lossmap::landscape::slice_2d(
            &mut f,
            &[0.0, 0.0],
            &d1,
            &d2,
            (0.0, 1.0),
            (0.0, 1.0),
            0,
            &mut p,
            &mut grid
        )
        .unwrap_err(),
        Error::Empty
    );
    assert_eq!(
        lossmap::landscape::slice_2d(
            &mut f,
            &[0.0, 0.0],
            &d1,
            &d2,
            (0.0, 1.0),
            (0.0, 1.0),
            4,
            &mut p,
            &mut grid
        )
        .unwrap_err(),
        Error::LengthMismatch
    );
    assert_eq!(grid, [7.0; 6]);
    assert_eq!(
        lossmap::landscape::classify(
            &[1.0],
            0.0,
            &Tolerance {
                grad: -1.0,
                zero_rel: 0.0,
                step: 1.0,
            }
        )
        .unwrap_err(),
        Error::InvalidParameter
    );
}

#[test]
fn identifiability_lists_fill_to_capacity() {
    // The zero Hessian determines nothing: all three directions are flat, none determined.
    let id = Identifiability::<f64, 3>::of_hessian(&[[0.0; 3]; 3], 1e-6).unwrap();
    assert_eq!((id.flat.len(), id.determined.len()), (3, 0));
    assert!(id.flat.iter().all(|d| d.curvature == 0.0));
    // diag(1, 2, 3) determines everything; its eigenvectors are the axes.
    let h = [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]];
    let id = Identifiability::of_hessian(&h, 1e-6).unwrap();
    assert!(id.flat.is_empty());
    for (k, d) in id.determined.iter().enumerate() {
        let mut axis = [0.0; 3];
        axis[k] = 1.0;
        assert_eq!((d.vector, d.curvature), (axis, k as f64 + 1.0), "{id:?}");
    }
    assert_eq!(
        Identifiability::of_hessian(&h, -1.0),
        Err(lossmap::Error::InvalidParameter)
    );
}
