//! `sym_eigen` against LAPACK's `dsyev` on the matrices of `tests/reference/eigen_lapack.py`
//! (random, clustered and repeated, graded over twelve decades, scaled to 1e±300, rank-one
//! updates): every eigenvalue within 3e-15 · max|λ| of LAPACK's, and the eigenvectors with a
//! residual `‖Av − λv‖ ≤ 8nε‖A‖` and orthonormal to `8nε`. The typed `SymEigen<T, N>`, which
//! compiles the kernel for its constant `N`, gives the slice kernel's results bit for bit.

use lossmap::linalg::{sym_eigen, SymEigen};
use lossmap::Real;

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

/// `SymEigen::<T, N>::new` on the row-major `a`, as `(values, vectors, sweeps)`.
fn typed<T: Real, const N: usize>(a: &[T]) -> (Vec<T>, Vec<T>, usize) {
    let m: [[T; N]; N] = core::array::from_fn(|i| core::array::from_fn(|j| a[i * N + j]));
    let e = SymEigen::<T, N>::new(&m).unwrap();
    (
        e.values.to_vec(),
        e.vectors.as_flattened().to_vec(),
        e.sweeps,
    )
}

/// The typed solver at the matrix's size.
fn typed_at<T: Real>(a: &[T], n: usize) -> (Vec<T>, Vec<T>, usize) {
    match n {
        1 => typed::<T, 1>(a),
        2 => typed::<T, 2>(a),
        3 => typed::<T, 3>(a),
        4 => typed::<T, 4>(a),
        5 => typed::<T, 5>(a),
        6 => typed::<T, 6>(a),
        7 => typed::<T, 7>(a),
        8 => typed::<T, 8>(a),
        9 => typed::<T, 9>(a),
        10 => typed::<T, 10>(a),
        11 => typed::<T, 11>(a),
        12 => typed::<T, 12>(a),
        13 => typed::<T, 13>(a),
        14 => typed::<T, 14>(a),
        15 => typed::<T, 15>(a),
        16 => typed::<T, 16>(a),
        _ => panic!("no typed case for n = {n}"),
    }
}

/// The slice kernel `sym_eigen` on the row-major `a`, as `(values, vectors, iterations)`.
fn slice<T: Real>(a: &[T], n: usize) -> (Vec<T>, Vec<T>, usize) {
    let (mut w, mut vals, mut vecs) =
        (vec![T::ZERO; n * n], vec![T::ZERO; n], vec![T::ZERO; n * n]);
    let it = sym_eigen(a, n, &mut w, &mut vals, &mut vecs).unwrap();
    (vals, vecs, it)
}

#[test]
fn typed_solver_matches_the_slice_kernel_bit_for_bit() {
    let bits64 = |(v, z, it): (Vec<f64>, Vec<f64>, usize)| {
        let b = |x: Vec<f64>| x.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        (b(v), b(z), it)
    };
    let bits32 = |(v, z, it): (Vec<f32>, Vec<f32>, usize)| {
        let b = |x: Vec<f32>| x.into_iter().map(f32::to_bits).collect::<Vec<_>>();
        (b(v), b(z), it)
    };
    let mut f32_cases = 0;
    for c in cases() {
        let n = c.n;
        assert_eq!(
            bits64(typed_at(&c.a, n)),
            bits64(slice(&c.a, n)),
            "{} n = {n}",
            c.name
        );
        // The f32 copy of each matrix within f32's range.
        if c.a
            .iter()
            .all(|x| x.abs() < 1e30 && (*x == 0.0 || x.abs() > 1e-30))
        {
            let a: Vec<f32> = c.a.iter().map(|&x| x as f32).collect();
            assert_eq!(
                bits32(typed_at(&a, n)),
                bits32(slice(&a, n)),
                "{} f32 n = {n}",
                c.name
            );
            f32_cases += 1;
        }
    }
    assert_eq!(f32_cases, 33);
}
