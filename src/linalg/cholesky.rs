//! Cholesky factorization `A = L Lᵀ` of a symmetric positive-definite matrix and the solve
//! `A x = b` by forward and back substitution (Golub & Van Loan, *Matrix Computations*,
//! 4th ed., Algorithm 4.2.1, the `gaxpy` Cholesky).

use super::{at, put};
use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// Factors the `n×n` row-major `a` into its Cholesky factor `L`, written to the lower
/// triangle of `l` (upper triangle zeroed). Only the lower triangle of `a` is read.
///
/// [`Error::NotPositiveDefinite`] when a pivot is ≤ 0 or not finite; `l` is then partially
/// written (it is scratch). Entry checks (sizes, NaN/Inf) write nothing.
pub fn cholesky_factor<T: Real>(a: &[T], n: usize, l: &mut [T]) -> Result<(), Error> {
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    check_len(a.len(), nn)?;
    check_len(l.len(), nn)?;
    check_finite(a)?;
    for j in 0..n {
        let mut d = at(a, j * n + j);
        for k in 0..j {
            let ljk = at(l, j * n + k);
            d -= ljk * ljk;
        }
        if d.is_nan() || d <= T::ZERO || !d.is_finite() {
            return Err(Error::NotPositiveDefinite);
        }
        let ljj = d.sqrt();
        put(l, j * n + j, ljj);
        for i in (j + 1)..n {
            let mut s = at(a, i * n + j);
            for k in 0..j {
                s -= at(l, i * n + k) * at(l, j * n + k);
            }
            put(l, i * n + j, s / ljj);
            put(l, j * n + i, T::ZERO);
        }
    }
    Ok(())
}

/// Solves `A x = b` for symmetric positive-definite `A` (`n×n` row-major, lower triangle read),
/// overwriting `b` with `x`. `work` (`n×n`) receives the Cholesky factor.
///
/// On every error `b` is unchanged.
///
/// ```
/// let a = [4.0f64, 2.0, 2.0, 3.0];
/// let mut b = [2.0, 1.0];
/// let mut work = [0.0; 4];
/// lossmap::linalg::cholesky_solve(&a, 2, &mut work, &mut b).unwrap();
/// assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15);
/// ```
pub fn cholesky_solve<T: Real>(
    a: &[T],
    n: usize,
    work: &mut [T],
    b: &mut [T],
) -> Result<(), Error> {
    check_len(b.len(), n)?;
    check_finite(b)?;
    cholesky_factor(a, n, work)?;
    // L y = b.
    for i in 0..n {
        let mut s = at(b, i);
        for k in 0..i {
            s -= at(work, i * n + k) * at(b, k);
        }
        put(b, i, s / at(work, i * n + i));
    }
    // Lᵀ x = y.
    for i in (0..n).rev() {
        let mut s = at(b, i);
        for k in (i + 1)..n {
            s -= at(work, k * n + i) * at(b, k);
        }
        put(b, i, s / at(work, i * n + i));
    }
    Ok(())
}

/// Typed solve of `A x = b` for an `N×N` symmetric positive-definite `A`.
///
/// ```
/// let x = lossmap::linalg::cholesky_solve_n(&[[2.0f32, 0.0], [0.0, 4.0]], &[1.0, 1.0]).unwrap();
/// assert_eq!(x, [0.5, 0.25]);
/// ```
pub fn cholesky_solve_n<T: Real, const N: usize>(
    a: &[[T; N]; N],
    b: &[T; N],
) -> Result<[T; N], Error> {
    let mut work = [[T::ZERO; N]; N];
    let mut x = *b;
    cholesky_solve(a.as_flattened(), N, work.as_flattened_mut(), &mut x)?;
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_three_by_three() {
        // A = L Lᵀ with L = [2 0 0; 1 3 0; 1 1 1] → A = [4 2 2; 2 10 4; 2 4 3].
        let a = [4.0f64, 2.0, 2.0, 2.0, 10.0, 4.0, 2.0, 4.0, 3.0];
        let mut l = [0.0; 9];
        cholesky_factor(&a, 3, &mut l).unwrap();
        assert_eq!(l, [2.0, 0.0, 0.0, 1.0, 3.0, 0.0, 1.0, 1.0, 1.0]);
        // x = (1, -1, 2): b = A x = (6, 0, 4).
        let x = cholesky_solve_n(
            &[[4.0, 2.0, 2.0], [2.0, 10.0, 4.0], [2.0, 4.0, 3.0]],
            &[6.0, 0.0, 4.0],
        )
        .unwrap();
        for (g, w) in x.iter().zip([1.0, -1.0, 2.0]) {
            assert!((g - w).abs() < 1e-14);
        }
    }

    #[test]
    fn indefinite_is_reported_and_b_kept() {
        let mut b = [1.0f64, 1.0];
        let mut w = [0.0; 4];
        assert_eq!(
            cholesky_solve(&[1.0, 2.0, 2.0, 1.0], 2, &mut w, &mut b),
            Err(Error::NotPositiveDefinite)
        );
        assert_eq!(b, [1.0, 1.0]);
        assert_eq!(
            cholesky_solve(&[1.0, 0.0, 0.0, 1.0], 2, &mut w, &mut [f64::NAN, 1.0]),
            Err(Error::NonFiniteInput)
        );
    }
}
