//! `sym_eigen` against LAPACK's `dsyev` on the matrices of `tests/reference/eigen_lapack.py`
//! (random, clustered and repeated, graded over twelve decades, scaled to 1e±300, rank-one
//! updates): every eigenvalue within 3e-15 · max|λ| of LAPACK's, and the eigenvectors with a
//! residual `‖Av − λv‖ ≤ 8nε‖A‖` and orthonormal to `8nε`.

use lossmap::linalg::sym_eigen;

const REFERENCE: &str = include_str!("../reference/eigen_lapack.txt");

struct Case {
    name: String,
    n: usize,
    a: Vec<f64>,
    values: Vec<f64>,
}

fn cases() -> Vec<Case> {
    REFERENCE
        .lines()
        .map(|l| {
            let (left, right) = l.split_once('|').expect("a '|' in every line");
            let mut f = left.split_whitespace();
            let name = f.next().expect("case").to_string();
            let n: usize = f.next().expect("n").parse().expect("n");
            let a: Vec<f64> = f.map(|v| v.parse().expect("number")).collect();
            let values: Vec<f64> = right
                .split_whitespace()
                .map(|v| v.parse().expect("number"))
                .collect();
            assert_eq!((a.len(), values.len()), (n * n, n), "{name} {n}");
            Case { name, n, a, values }
        })
        .collect()
}

#[test]
fn values_agree_with_lapack_dsyev() {
    let all = cases();
    assert_eq!(all.len(), 37);
    let mut worst = 0.0f64;
    for c in &all {
        let n = c.n;
        let (mut w, mut vals, mut vecs) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
        sym_eigen(&c.a, n, &mut w, &mut vals, &mut vecs).unwrap();
        let scale = c.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let err = vals
            .iter()
            .zip(&c.values)
            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
            / scale;
        assert!(
            err <= 3e-15,
            "{} n = {n}: {err:e} relative\n ours {vals:?}\n lapack {:?}",
            c.name,
            c.values
        );
        worst = worst.max(err);
    }
    eprintln!("worst eigenvalue error against LAPACK: {worst:.2e} · max|λ|");
}

#[test]
fn vectors_have_small_residuals_and_are_orthonormal() {
    for c in cases() {
        let n = c.n;
        let (mut w, mut vals, mut vecs) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
        sym_eigen(&c.a, n, &mut w, &mut vals, &mut vecs).unwrap();
        let anorm = c.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let tol = 8.0 * n as f64 * f64::EPSILON;
        for k in 0..n {
            let v = &vecs[k * n..(k + 1) * n];
            for i in 0..n {
                let av: f64 = (0..n).map(|j| c.a[i * n + j] * v[j]).sum();
                let r = (av - vals[k] * v[i]).abs();
                assert!(
                    r <= tol * anorm,
                    "{} n = {n}: residual {r:e} of vector {k}",
                    c.name
                );
            }
            for m in 0..n {
                let d: f64 = (0..n).map(|j| v[j] * vecs[m * n + j]).sum();
                let want = if m == k { 1.0 } else { 0.0 };
                assert!(
                    (d - want).abs() <= tol,
                    "{} n = {n}: v{k}·v{m} = {d}",
                    c.name
                );
            }
        }
    }
}
