//! The eigen-solver against values known independently of it: diagonal matrices, the 2×2 closed
//! form, the tridiagonal Toeplitz matrix `tridiag(−1, 2, −1)` (`λₖ = 2 − 2cos(kπ/(n+1))`,
//! `vₖ[j] ∝ sin(jkπ/(n+1))`), rank-one updates `αI + βuuᵀ` (`α` repeated `n − 1` times,
//! `α + β‖u‖²` along `u`), prescribed spectra `Q diag(λ) Qᵀ` with clusters and repeats; random
//! matrices by the residual `‖AV − VΛ‖` and orthogonality; tiny and huge scales; f32.

use lossmap::linalg::{sym_eigen, SymEigen};
use lossmap::Real;
use proptest::prelude::*;

/// `(values, vectors)` of the `n×n` row-major `a`.
fn eig<T: Real>(a: &[T], n: usize) -> (Vec<T>, Vec<T>) {
    let (mut w, mut vals, mut vecs) =
        (vec![T::ZERO; n * n], vec![T::ZERO; n], vec![T::ZERO; n * n]);
    sym_eigen(a, n, &mut w, &mut vals, &mut vecs).unwrap();
    (vals, vecs)
}

/// `max ‖A vₖ − λₖ vₖ‖∞ / max|a|` and `max |vᵢ·vⱼ − δᵢⱼ|`, in f64.
fn residual_and_orthogonality<T: Real>(a: &[T], n: usize, vals: &[T], vecs: &[T]) -> (f64, f64) {
    let f = |x: T| x.to_f64();
    let amax = a
        .iter()
        .fold(0.0f64, |m, &v| m.max(f(v).abs()))
        .max(f64::MIN_POSITIVE);
    let (mut res, mut orth) = (0.0f64, 0.0f64);
    for k in 0..n {
        for i in 0..n {
            let av: f64 = (0..n).map(|j| f(a[i * n + j]) * f(vecs[k * n + j])).sum();
            res = res.max((av - f(vals[k]) * f(vecs[k * n + i])).abs() / amax);
        }
        for m in 0..n {
            let d: f64 = (0..n)
                .map(|j| f(vecs[k * n + j]) * f(vecs[m * n + j]))
                .sum();
            orth = orth.max((d - if m == k { 1.0 } else { 0.0 }).abs());
        }
    }
    (res, orth)
}

/// A product of Householder reflectors: an orthogonal `n×n` matrix, deterministic in `seed`.
fn orthogonal(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    let mut next = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        2.0 * (s >> 11) as f64 / (1u64 << 53) as f64 - 1.0
    };
    let mut q: Vec<f64> = (0..n * n)
        .map(|k| if k / n == k % n { 1.0 } else { 0.0 })
        .collect();
    for _ in 0..n {
        let u: Vec<f64> = (0..n).map(|_| next()).collect();
        let uu: f64 = u.iter().map(|x| x * x).sum();
        for r in 0..n {
            let s = 2.0 * (0..n).map(|k| q[r * n + k] * u[k]).sum::<f64>() / uu;
            for k in 0..n {
                q[r * n + k] -= s * u[k];
            }
        }
    }
    q
}

/// `Q diag(lams) Qᵀ`, exactly symmetric.
fn with_spectrum(lams: &[f64], seed: u64) -> Vec<f64> {
    let n = lams.len();
    let q = orthogonal(n, seed);
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in i..n {
            let v: f64 = (0..n).map(|k| q[i * n + k] * lams[k] * q[j * n + k]).sum();
            a[i * n + j] = v;
            a[j * n + i] = v;
        }
    }
    a
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

#[test]
fn diagonal_matrices_are_returned_sorted_with_axis_vectors() {
    let d = [3.0, -1.0, 0.0, 7.5, -1e-3, 2.0];
    let n = d.len();
    let a: Vec<f64> = (0..n * n)
        .map(|k| if k / n == k % n { d[k / n] } else { 0.0 })
        .collect();
    let mut w = vec![0.0; n * n];
    let (mut vals, mut vecs) = (vec![0.0; n], vec![0.0; n * n]);
    assert_eq!(sym_eigen(&a, n, &mut w, &mut vals, &mut vecs), Ok(0));
    assert_eq!(vals, sorted(&d));
    for (k, &l) in vals.iter().enumerate() {
        let axis = d.iter().position(|&x| x == l).unwrap();
        for j in 0..n {
            assert_eq!(vecs[k * n + j].abs(), if j == axis { 1.0 } else { 0.0 });
        }
    }
}

#[test]
fn toeplitz_tridiagonal_matches_its_closed_form() {
    for n in 1..=16usize {
        let mut a = vec![0.0f64; n * n];
        for i in 0..n {
            a[i * n + i] = 2.0;
            if i + 1 < n {
                a[i * n + i + 1] = -1.0;
                a[(i + 1) * n + i] = -1.0;
            }
        }
        let (vals, vecs) = eig(&a, n);
        let h = core::f64::consts::PI / (n + 1) as f64;
        for k in 0..n {
            let want = 2.0 - 2.0 * ((k + 1) as f64 * h).cos();
            assert!(
                (vals[k] - want).abs() <= 4.0 * f64::EPSILON * 4.0,
                "n = {n}, λ{k} = {} vs {want}",
                vals[k]
            );
            // Distinct eigenvalues: the vector is ± the normalized sine vector.
            let u: Vec<f64> = (0..n)
                .map(|j| ((j + 1) as f64 * (k + 1) as f64 * h).sin())
                .collect();
            let un = u.iter().map(|x| x * x).sum::<f64>().sqrt();
            let dot: f64 = (0..n).map(|j| u[j] / un * vecs[k * n + j]).sum();
            assert!((dot.abs() - 1.0).abs() <= 1e-14, "n = {n}, v{k}·u = {dot}");
        }
        // The same in f32.
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let (v32, _) = eig(&a32, n);
        for (k, &l) in v32.iter().enumerate() {
            let want = 2.0 - 2.0 * ((k + 1) as f64 * h).cos();
            assert!(
                (l as f64 - want).abs() <= 4e-6,
                "f32 n = {n}, λ{k} = {l} vs {want}"
            );
        }
    }
}

#[test]
fn rank_one_updates_have_a_repeated_eigenvalue_and_one_along_u() {
    for (n, alpha, beta) in [
        (3usize, 1.0, 2.0),
        (6, -2.0, 0.5),
        (10, 0.0, -3.0),
        (16, 5.0, 1e-3),
    ] {
        let u: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.7).sin()).collect();
        let uu: f64 = u.iter().map(|x| x * x).sum();
        let a: Vec<f64> = (0..n * n)
            .map(|k| if k / n == k % n { alpha } else { 0.0 } + beta * u[k / n] * u[k % n])
            .collect();
        let (vals, vecs) = eig(&a, n);
        let lone = alpha + beta * uu;
        let scale = alpha.abs().max(lone.abs());
        let k_lone = if beta > 0.0 { n - 1 } else { 0 };
        assert!(
            (vals[k_lone] - lone).abs() <= 8.0 * f64::EPSILON * scale * n as f64,
            "{vals:?}"
        );
        for (k, &l) in vals.iter().enumerate() {
            if k != k_lone {
                assert!(
                    (l - alpha).abs() <= 8.0 * f64::EPSILON * scale * n as f64,
                    "{vals:?}"
                );
            }
        }
        let dot: f64 = (0..n).map(|j| u[j] * vecs[k_lone * n + j]).sum::<f64>() / uu.sqrt();
        assert!((dot.abs() - 1.0).abs() <= 1e-13, "n = {n}: {dot}");
        let (res, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
        assert!(
            res <= 8.0 * n as f64 * f64::EPSILON && orth <= 8.0 * n as f64 * f64::EPSILON,
            "{res:e} {orth:e}"
        );
    }
}

#[test]
fn clustered_and_repeated_spectra() {
    let spectra: [&[f64]; 5] = [
        &[1.0, 1.0, 1.0],
        &[1.0, 1.0 + 1e-12, 1.0 + 2e-12, 4.0],
        &[-3.0, -3.0, 0.0, 0.0, 0.0, 2.0, 2.0, 1e-9],
        &[
            1e-8, 2e-8, 3e-8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        ],
        &[5.0; 16],
    ];
    for (seed, lams) in spectra.iter().enumerate() {
        let n = lams.len();
        let a = with_spectrum(lams, seed as u64 + 1);
        let (vals, vecs) = eig(&a, n);
        let want = sorted(lams);
        let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (got, want) in vals.iter().zip(&want) {
            assert!(
                (got - want).abs() <= 4.0 * n as f64 * f64::EPSILON * scale,
                "n = {n}: {vals:?}"
            );
        }
        let (res, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
        let tol = 8.0 * n as f64 * f64::EPSILON;
        assert!(
            res <= tol && orth <= tol,
            "n = {n}: residual {res:e}, orthogonality {orth:e}"
        );
    }
}

#[test]
fn tiny_and_huge_scales_scale_the_values() {
    let base = with_spectrum(&[-2.0, -0.5, 0.25, 1.0, 3.0, 4.0], 9);
    let n = 6;
    let (v1, _) = eig(&base, n);
    for s in [
        1e-300,
        2f64.powi(-520) * 2f64.powi(-520),
        1e-150,
        1e150,
        1e300,
        2.0e307 / 4.0,
    ] {
        let a: Vec<f64> = base.iter().map(|x| x * s).collect();
        let (vals, vecs) = eig(&a, n);
        for (got, want) in vals.iter().zip(&v1) {
            let tol = if s < 1e-307 { 1e-9 } else { 1e-14 };
            assert!(
                ((got / s) - want).abs() <= tol * 4.0,
                "scale {s:e}: {vals:?}"
            );
        }
        let (_, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
        assert!(orth <= 1e-14, "scale {s:e}: orthogonality {orth:e}");
    }
    // f32: entries near the ends of its range.
    let b32: Vec<f32> = base.iter().map(|&x| x as f32).collect();
    let (w1, _) = eig(&b32, n);
    for s in [1e-30f32, 1e-20, 1e20, 1e35] {
        let a: Vec<f32> = b32.iter().map(|x| x * s).collect();
        let (vals, vecs) = eig(&a, n);
        for (got, want) in vals.iter().zip(&w1) {
            assert!(
                ((got / s) - want).abs() <= 4e-6,
                "f32 scale {s:e}: {vals:?}"
            );
        }
        let (_, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
        assert!(orth <= 2e-6, "f32 scale {s:e}: orthogonality {orth:e}");
    }
}

#[test]
fn typed_in_place_and_slice_agree() {
    let a = [
        [4.0f64, 1.0, -2.0, 0.5],
        [1.0, 3.0, 0.0, 1.0],
        [-2.0, 0.0, 1.0, 0.25],
        [0.5, 1.0, 0.25, -1.0],
    ];
    let e = SymEigen::new(&a).unwrap();
    let mut f = SymEigen::<f64, 4>::default();
    f.decompose(&a).unwrap();
    assert_eq!(e, f);
    let (vals, vecs) = eig(a.as_flattened(), 4);
    assert_eq!(
        (e.values.to_vec(), e.vectors.as_flattened().to_vec()),
        (vals, vecs)
    );
    assert!(e.sweeps > 0);
}

#[test]
fn nearly_symmetric_input_is_averaged() {
    let d = 1e-12;
    let a = [2.0f64, 1.0 + d, 0.0, 1.0 - d, 2.0, 1.0, 0.0, 1.0, 2.0];
    let s = [2.0f64, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0];
    assert_eq!(eig(&a, 3), eig(&s, 3));
}

fn symmetric(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1.0f64..1.0, n * n).prop_map(move |mut a| {
        for i in 0..n {
            for j in 0..i {
                a[i * n + j] = a[j * n + i];
            }
        }
        a
    })
}

fn sized() -> impl Strategy<Value = (usize, Vec<f64>)> {
    (1usize..=16).prop_flat_map(|n| (Just(n), symmetric(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_residual_and_orthogonality((n, a) in sized()) {
        let (vals, vecs) = eig(&a, n);
        prop_assert!(vals.windows(2).all(|p| p[0] <= p[1]));
        let (res, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
        let tol = 4.0 * n as f64 * f64::EPSILON;
        prop_assert!(res <= tol && orth <= tol, "n = {}: residual {:e}, orth {:e}", n, res, orth);
        // f32 on the same matrix.
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let (v32, z32) = eig(&a32, n);
        let (res, orth) = residual_and_orthogonality(&a32, n, &v32, &z32);
        let tol = 4.0 * n as f64 * f32::EPSILON as f64;
        prop_assert!(res <= tol && orth <= tol, "f32 n = {}: residual {:e}, orth {:e}", n, res, orth);
    }
}

#[test]
fn low_rank_matrices_have_zero_eigenvalues() {
    for n in 3usize..=12 {
        for r in 1usize..=2 {
            // A = Σ uₖuₖᵀ over r vectors: n − r eigenvalues are 0 (to ε‖A‖).
            let u = |k: usize, i: usize| ((i * 7 + k * 3) as f64 * 0.37).sin();
            let a: Vec<f64> = (0..n * n)
                .map(|p| (0..r).map(|k| u(k, p / n) * u(k, p % n)).sum())
                .collect();
            let (vals, vecs) = eig(&a, n);
            let tol = 4.0 * n as f64 * f64::EPSILON;
            for &l in &vals[..n - r] {
                assert!(l.abs() <= tol * vals[n - 1], "n = {n}, r = {r}: {vals:?}");
            }
            let (res, orth) = residual_and_orthogonality(&a, n, &vals, &vecs);
            assert!(
                res <= tol && orth <= tol,
                "n = {n}, r = {r}: {res:e} {orth:e}"
            );
        }
    }
}
