//! Property tests of the Jacobi eigen-solver on random symmetric matrices: reconstruction
//! `Σ λₖ vₖ vₖᵀ = A`, orthonormal eigenvectors, ascending order, trace preserved, and agreement
//! with the closed form for 2×2.

use lossmap::linalg::{sym_eigen, SymEigen};
use proptest::prelude::*;

fn symmetric(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-100.0f64..100.0, n * n).prop_map(move |mut a| {
        for i in 0..n {
            for j in 0..i {
                a[i * n + j] = a[j * n + i];
            }
        }
        a
    })
}

fn sized() -> impl Strategy<Value = (usize, Vec<f64>)> {
    (1usize..=10).prop_flat_map(|n| (Just(n), symmetric(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reconstructs_and_is_orthonormal((n, a) in sized()) {
        let (mut w, mut vals, mut vecs) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
        sym_eigen(&a, n, &mut w, &mut vals, &mut vecs).unwrap();
        let scale = a.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for i in 0..n {
            for j in 0..n {
                let r: f64 = (0..n).map(|k| vals[k] * vecs[k * n + i] * vecs[k * n + j]).sum();
                prop_assert!((r - a[i * n + j]).abs() <= 1e-12 * scale * n as f64, "A[{i}][{j}] = {} rebuilt {r}", a[i * n + j]);
                let d: f64 = (0..n).map(|c| vecs[i * n + c] * vecs[j * n + c]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                prop_assert!((d - want).abs() <= 1e-13 * n as f64, "v{i}·v{j} = {d}");
            }
        }
        prop_assert!(vals.windows(2).all(|p| p[0] <= p[1]), "not ascending: {vals:?}");
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        prop_assert!((vals.iter().sum::<f64>() - trace).abs() <= 1e-12 * scale * n as f64);
    }

    #[test]
    fn two_by_two_matches_closed_form(a in -1e3f64..1e3, b in -1e3f64..1e3, d in -1e3f64..1e3) {
        // λ = (a + d)/2 ∓ √(((a − d)/2)² + b²)
        let e = SymEigen::new(&[[a, b], [b, d]]).unwrap();
        let (m, r) = ((a + d) / 2.0, ((a - d) / 2.0).hypot(b));
        prop_assert!((e.values[0] - (m - r)).abs() <= 1e-12 * (m.abs() + r));
        prop_assert!((e.values[1] - (m + r)).abs() <= 1e-12 * (m.abs() + r));
    }

    #[test]
    fn f32_reconstruction((n, a) in sized()) {
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let (mut w, mut vals, mut vecs) = (vec![0.0f32; n * n], vec![0.0f32; n], vec![0.0f32; n * n]);
        sym_eigen(&a32, n, &mut w, &mut vals, &mut vecs).unwrap();
        let scale = a32.iter().fold(1.0f32, |m, v| m.max(v.abs()));
        for i in 0..n {
            for j in 0..n {
                let r: f32 = (0..n).map(|k| vals[k] * vecs[k * n + i] * vecs[k * n + j]).sum();
                prop_assert!((r - a32[i * n + j]).abs() <= 2e-5 * scale * n as f32);
            }
        }
    }
}

#[test]
fn rosenbrock_hessian_at_minimum() {
    // [[802, −400], [−400, 200]]: λ = 501 ∓ √(301² + 400²); condition number ≈ 2508.
    let e = SymEigen::new(&lossmap::testfn::Rosenbrock::hessian(&[1.0f64, 1.0])).unwrap();
    let r = (301.0f64 * 301.0 + 400.0 * 400.0).sqrt();
    assert!((e.values[0] - (501.0 - r)).abs() < 1e-12);
    assert!((e.values[1] - (501.0 + r)).abs() < 1e-10);
    assert!(
        (e.condition_number() - 2508.0).abs() < 1.0,
        "{}",
        e.condition_number()
    );
}
