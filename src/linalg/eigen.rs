//! Symmetric eigen-decomposition by the cyclic Jacobi method.
//!
//! Each rotation zeroes one off-diagonal pair; a sweep visits every pair `p < q`. The rotation
//! angle follows Rutishauser's stable formulas as given in Golub & Van Loan, *Matrix
//! Computations*, 4th ed., §8.5.2 (Algorithm 8.5.1 "symmetric Schur" + 8.5.3 "cyclic Jacobi"):
//! `θ = (a_qq − a_pp) / (2 a_pq)`, `t = sign(θ) / (|θ| + √(θ² + 1))`, `c = 1/√(1+t²)`, `s = t c`.
//! Convergence is quadratic; the iteration stops when the off-diagonal Frobenius norm is below
//! `ε · ‖A‖_F`. Jacobi is slower than QR for large `n` but tiny, branch-light, and computes
//! small eigenvalues to high *relative* accuracy (Demmel & Veselić 1992), which matters for
//! spotting flat, non-identifiable directions.

use super::{at, put};
use crate::error::{check_finite, Error};
use crate::Real;

/// Sweep limit of [`sym_eigen`]; quadratic convergence needs well under 20 for n ≤ 100.
pub const JACOBI_MAX_SWEEPS: usize = 64;

/// Eigen-decomposition of a symmetric `n×n` row-major matrix `a`.
///
/// Writes the eigenvalues in ascending order to `values` (length `n`) and the matching unit
/// eigenvectors **as rows** to `vectors` (`n×n`: row `k` is the eigenvector of `values[k]`, so
/// `A = Σₖ λₖ vₖ vₖᵀ`). `work` (`n×n`) is scratch. Entries `a[i][j]` and `a[j][i]` are averaged;
/// they must agree to `√ε · max|a|`, else [`Error::NotSymmetric`]. Returns the number of sweeps.
///
/// On any error detected on entry (sizes, NaN/Inf, asymmetry) nothing is written.
///
/// ```
/// let a = [2.0f64, 1.0, 1.0, 2.0];
/// let (mut w, mut vals, mut vecs) = ([0.0; 4], [0.0; 2], [0.0; 4]);
/// lossmap::linalg::sym_eigen(&a, 2, &mut w, &mut vals, &mut vecs).unwrap();
/// assert!((vals[0] - 1.0).abs() < 1e-14 && (vals[1] - 3.0).abs() < 1e-14);
/// ```
pub fn sym_eigen<T: Real>(
    a: &[T],
    n: usize,
    work: &mut [T],
    values: &mut [T],
    vectors: &mut [T],
) -> Result<usize, Error> {
    if n == 0 {
        return Err(Error::Empty);
    }
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    if a.len() != nn || work.len() != nn || vectors.len() != nn || values.len() != n {
        return Err(Error::LengthMismatch);
    }
    check_finite(a)?;
    let amax = super::norm_inf(a);
    let sym_tol = T::EPSILON_R.sqrt() * amax;
    for i in 0..n {
        for j in (i + 1)..n {
            if (at(a, i * n + j) - at(a, j * n + i)).abs() > sym_tol {
                return Err(Error::NotSymmetric);
            }
        }
    }
    // Scale to max|a| = 1 so squares neither overflow nor underflow; undone at the end.
    let scale = if amax > T::ZERO { amax } else { T::ONE };
    for i in 0..n {
        for j in 0..n {
            let v = T::HALF * (at(a, i * n + j) + at(a, j * n + i)) / scale;
            put(work, i * n + j, v);
            put(vectors, i * n + j, if i == j { T::ONE } else { T::ZERO });
        }
    }
    let sweeps = jacobi_sweeps(work, n, vectors)?;
    for (k, v) in values.iter_mut().enumerate() {
        *v = at(work, k * n + k) * scale;
    }
    sort_ascending(values, vectors, n);
    Ok(sweeps)
}

/// Runs cyclic Jacobi sweeps on the symmetric `w` (overwritten, ends diagonal), rotating the
/// rows of `v`. Returns the sweeps used.
fn jacobi_sweeps<T: Real>(w: &mut [T], n: usize, v: &mut [T]) -> Result<usize, Error> {
    let frob2 = w.iter().fold(T::ZERO, |s, &x| s + x * x);
    let tol2 = T::EPSILON_R * T::EPSILON_R * frob2;
    for sweep in 0..=JACOBI_MAX_SWEEPS {
        let mut off2 = T::ZERO;
        for p in 0..n {
            for q in (p + 1)..n {
                let x = at(w, p * n + q);
                off2 += T::TWO * x * x;
            }
        }
        if off2 <= tol2 {
            return Ok(sweep);
        }
        if sweep == JACOBI_MAX_SWEEPS {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                rotate(w, v, n, p, q);
            }
        }
    }
    Err(Error::NoConvergence)
}

/// One Jacobi rotation `W ← JᵀWJ` zeroing `w[p][q]`, with `V ← JᵀV` on the rows of `v`.
fn rotate<T: Real>(w: &mut [T], v: &mut [T], n: usize, p: usize, q: usize) {
    let apq = at(w, p * n + q);
    if apq == T::ZERO {
        return;
    }
    let app = at(w, p * n + p);
    let aqq = at(w, q * n + q);
    let theta = (aqq - app) / (T::TWO * apq);
    let t = theta.signum() / (theta.abs() + theta.hypot(T::ONE));
    let c = T::ONE / t.hypot(T::ONE);
    let s = t * c;
    for k in 0..n {
        // Columns p and q.
        let wkp = at(w, k * n + p);
        let wkq = at(w, k * n + q);
        put(w, k * n + p, c * wkp - s * wkq);
        put(w, k * n + q, s * wkp + c * wkq);
    }
    for k in 0..n {
        // Rows p and q.
        let wpk = at(w, p * n + k);
        let wqk = at(w, q * n + k);
        put(w, p * n + k, c * wpk - s * wqk);
        put(w, q * n + k, s * wpk + c * wqk);
        let vpk = at(v, p * n + k);
        let vqk = at(v, q * n + k);
        put(v, p * n + k, c * vpk - s * vqk);
        put(v, q * n + k, s * vpk + c * vqk);
    }
    // Exact zero where the rotation is designed to produce one.
    put(w, p * n + q, T::ZERO);
    put(w, q * n + p, T::ZERO);
}

/// Selection sort of `values` ascending, permuting the rows of `vectors` alike.
fn sort_ascending<T: Real>(values: &mut [T], vectors: &mut [T], n: usize) {
    for i in 0..n {
        let mut k = i;
        for j in (i + 1)..n {
            if at(values, j) < at(values, k) {
                k = j;
            }
        }
        if k != i {
            let (vi, vk) = (at(values, i), at(values, k));
            put(values, i, vk);
            put(values, k, vi);
            for c in 0..n {
                let a = at(vectors, i * n + c);
                let b = at(vectors, k * n + c);
                put(vectors, i * n + c, b);
                put(vectors, k * n + c, a);
            }
        }
    }
}

/// Typed eigen-decomposition of a symmetric `N×N` matrix: values ascending, `vectors[k]` the
/// unit eigenvector of `values[k]`.
///
/// ```
/// use lossmap::linalg::SymEigen;
/// let e = SymEigen::new(&[[4.0f64, 0.0], [0.0, -1.0]]).unwrap();
/// assert_eq!(e.values, [-1.0, 4.0]);
/// assert_eq!(e.vectors[0].map(f64::abs), [0.0, 1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SymEigen<T: Real, const N: usize> {
    /// Eigenvalues, ascending.
    pub values: [T; N],
    /// Unit eigenvectors as rows: `vectors[k]` belongs to `values[k]`.
    pub vectors: [[T; N]; N],
    /// Jacobi sweeps used.
    pub sweeps: usize,
}

impl<T: Real, const N: usize> SymEigen<T, N> {
    /// Decomposes `a`; see [`sym_eigen`] for the errors.
    pub fn new(a: &[[T; N]; N]) -> Result<Self, Error> {
        let mut work = [[T::ZERO; N]; N];
        let mut out = SymEigen {
            values: [T::ZERO; N],
            vectors: [[T::ZERO; N]; N],
            sweeps: 0,
        };
        out.sweeps = sym_eigen(
            a.as_flattened(),
            N,
            work.as_flattened_mut(),
            &mut out.values,
            out.vectors.as_flattened_mut(),
        )?;
        Ok(out)
    }

    /// Largest |eigenvalue| / smallest |eigenvalue| (∞ when singular).
    pub fn condition_number(&self) -> T {
        let mut lo = T::MAX_R;
        let mut hi = T::ZERO;
        for &v in &self.values {
            lo = lo.min(v.abs());
            hi = hi.max(v.abs());
        }
        if lo == T::ZERO {
            T::MAX_R
        } else {
            hi / lo
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_by_three_closed_form() {
        // Tridiagonal [2 -1 0; -1 2 -1; 0 -1 2]: eigenvalues 2 - √2, 2, 2 + √2.
        let e = SymEigen::new(&[[2.0f64, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]]).unwrap();
        let r2 = core::f64::consts::SQRT_2;
        for (got, want) in e.values.iter().zip([2.0 - r2, 2.0, 2.0 + r2]) {
            assert!((got - want).abs() < 1e-14, "{got} vs {want}");
        }
        // Eigenvector of 2: (1, 0, -1)/√2 up to sign.
        let v = e.vectors[1];
        assert!((v[0].abs() - 0.5f64.sqrt()).abs() < 1e-14 && v[1].abs() < 1e-14);
        assert!((v[0] + v[2]).abs() < 1e-14);
    }

    #[test]
    fn rejects_bad_input_without_writing() {
        let mut w = [7.0f64; 4];
        let mut vals = [7.0f64; 2];
        let mut vecs = [7.0f64; 4];
        let cases: [(&[f64], usize, Error); 4] = [
            (&[1.0, 2.0, 3.0, 1.0], 2, Error::NotSymmetric),
            (&[1.0, f64::NAN, f64::NAN, 1.0], 2, Error::NonFiniteInput),
            (&[1.0, 0.0, 0.0], 2, Error::LengthMismatch),
            (&[], 0, Error::Empty),
        ];
        for (a, n, err) in cases {
            assert_eq!(sym_eigen(a, n, &mut w, &mut vals, &mut vecs), Err(err));
        }
        assert_eq!((w, vals, vecs), ([7.0; 4], [7.0; 2], [7.0; 4]));
    }

    #[test]
    fn zero_matrix_is_already_diagonal() {
        let e = SymEigen::new(&[[0.0f32; 3]; 3]).unwrap();
        assert_eq!(e.values, [0.0; 3]);
        assert_eq!(e.sweeps, 0);
    }
}
