//! Quadratic bowls with chosen curvature: `f(x) = ½ (x − c)ᵀ A (x − c)` with
//! `A = Q diag(λ) Qᵀ`, `Q` orthogonal. The eigenvalues `λ` are chosen by the user (or spread
//! geometrically for a given condition number); `Q` is the identity (axis-aligned) or the
//! Householder reflection `Q = I − 2uuᵀ/‖u‖²` of a fixed or given vector `u`, which mixes every
//! coordinate (Householder, "Unitary triangularization of a nonsymmetric matrix", *J. ACM* 5,
//! 1958). The model problem of every convergence analysis (Nocedal & Wright, *Numerical
//! Optimization*, 2nd ed., 2006, §3.3: steepest descent slows by `((κ − 1)/(κ + 1))²` per step).
//!
//! ```text
//! ∇f = A (x − c)        ∇²f = A
//! ```
//!
//! With every `λₖ > 0`, `c` is the unique minimum, value 0; a zero eigenvalue makes the minimum
//! a line (plane, …) through `c`; negative eigenvalues make `c` a saddle (or a maximum) with
//! that many descent directions: the constructors accept any finite `λ`.
//!
//! The value is computed as `½ Σₖ λₖ (qₖ·(x − c))²` (the rotated coordinates first), so a
//! direction of curvature `10⁻⁶` keeps its value to full relative precision next to
//! eigenvalues of order 1; the gradient and the Hessian use the stored `A`.

use super::deliver_gradient;
use crate::error::{check_finite, Error};
use crate::{Objective, Real};

/// `½ (x − c)ᵀ A (x − c)` with `A` built from chosen eigenvalues.
///
/// ```
/// use lossmap::{linalg::SymEigen, testfn::Quadratic, Objective};
/// // A rotated bowl with eigenvalues 1e-6, 1 and 10, centred at (1, 2, 3).
/// let mut q = Quadratic::rotated([1e-6f64, 1.0, 10.0], [1.0, 2.0, 3.0]).unwrap();
/// assert_eq!(q.value(&[1.0, 2.0, 3.0]), 0.0);
/// let mut h = [[0.0; 3]; 3];
/// q.hessian(&[0.0; 3], &mut h).unwrap();
/// let e = SymEigen::new(&h).unwrap();
/// assert!((e.values[0] - 1e-6).abs() < 1e-14 && (e.values[2] - 10.0).abs() < 1e-13);
/// // Condition number 1000, axis-aligned: eigenvalues 1, √1000, 1000.
/// let q = Quadratic::<f64, 3>::with_condition(1e3, [0.0; 3], false).unwrap();
/// assert!((q.eigenvalues()[2] - 1e3).abs() < 1e-9);
/// assert!(Quadratic::<f64, 2>::axis_aligned([f64::NAN, 1.0], [0.0; 2]).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quadratic<T: Real, const N: usize> {
    a: [[T; N]; N],
    center: [T; N],
    eigenvalues: [T; N],
    eigenvectors: [[T; N]; N],
}

impl<T: Real, const N: usize> Default for Quadratic<T, N> {
    /// The unit bowl `½‖x‖²`: `A = I`, centre 0.
    fn default() -> Self {
        let eye = identity();
        Quadratic {
            a: eye,
            center: [T::ZERO; N],
            eigenvalues: [T::ONE; N],
            eigenvectors: eye,
        }
    }
}

/// The `N×N` identity.
fn identity<T: Real, const N: usize>() -> [[T; N]; N] {
    let mut eye = [[T::ZERO; N]; N];
    for (i, row) in eye.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            if i == j {
                *v = T::ONE;
            }
        }
    }
    eye
}

impl<T: Real, const N: usize> Quadratic<T, N> {
    /// The value at the minimum (when every eigenvalue is ≥ 0).
    pub const MIN_VALUE: f64 = 0.0;

    /// `A = diag(eigenvalues)`, minimum at `center`.
    ///
    /// Errors: [`Error::Empty`] for `N = 0`, [`Error::NonFiniteInput`] for a NaN/±∞ eigenvalue
    /// or centre coordinate.
    pub fn axis_aligned(eigenvalues: [T; N], center: [T; N]) -> Result<Self, Error> {
        Self::build(eigenvalues, center, identity())
    }

    /// `A = Q diag(eigenvalues) Qᵀ` with the fixed Householder reflection `Q = I − 2uuᵀ/‖u‖²`,
    /// `u = (1, 2, …, N)`: the eigenvector of `eigenvalues[k]` is row `k` of `Q` (see
    /// [`eigenvectors`](Self::eigenvectors)), and no eigenvector is a coordinate axis for
    /// `N ≥ 2`. Errors as [`axis_aligned`](Self::axis_aligned).
    pub fn rotated(eigenvalues: [T; N], center: [T; N]) -> Result<Self, Error> {
        let mut u = [T::ZERO; N];
        for (k, v) in u.iter_mut().enumerate() {
            *v = T::from_usize(k + 1);
        }
        Self::reflected(eigenvalues, center, u)
    }

    /// `A = Q diag(eigenvalues) Qᵀ` with the Householder reflection `Q = I − 2uuᵀ/‖u‖²` of the
    /// given `u`. Errors as [`axis_aligned`](Self::axis_aligned), plus
    /// [`Error::NonFiniteInput`] for a NaN/±∞ `u` and [`Error::InvalidParameter`] for `u = 0`.
    pub fn reflected(eigenvalues: [T; N], center: [T; N], u: [T; N]) -> Result<Self, Error> {
        if N == 0 {
            return Err(Error::Empty);
        }
        check_finite(&u)?;
        // ‖u‖ without overflow or underflow: scale by max|uᵢ| first.
        let m = u.iter().fold(T::ZERO, |m, v| m.max(v.abs()));
        if m == T::ZERO {
            return Err(Error::InvalidParameter);
        }
        let s = u.map(|v| v / m);
        let norm2 = s.iter().fold(T::ZERO, |acc, &v| acc + v * v);
        let mut q = identity::<T, N>();
        for (row, &si) in q.iter_mut().zip(&s) {
            for (v, &sj) in row.iter_mut().zip(&s) {
                *v -= T::TWO * si * sj / norm2;
            }
        }
        Self::build(eigenvalues, center, q)
    }

    /// Eigenvalues spread geometrically from 1 to `kappa` (`λₖ = κ^{k/(N−1)}`), so the
    /// condition number is `kappa`; rotated as in [`rotated`](Self::rotated) when `rotated`,
    /// else axis-aligned. Errors as [`axis_aligned`](Self::axis_aligned), plus
    /// [`Error::InvalidParameter`] unless `kappa ≥ 1` and finite (and `kappa = 1` for `N = 1`,
    /// where no other condition number exists).
    pub fn with_condition(kappa: T, center: [T; N], rotated: bool) -> Result<Self, Error> {
        if N == 0 {
            return Err(Error::Empty);
        }
        if !kappa.is_finite() || kappa < T::ONE || (N == 1 && kappa != T::ONE) {
            return Err(Error::InvalidParameter);
        }
        let last = T::from_usize(N.saturating_sub(1).max(1));
        let mut lambda = [T::ONE; N];
        for (k, v) in lambda.iter_mut().enumerate() {
            *v = kappa.powf(T::from_usize(k) / last);
        }
        // Exact ends: powf(κ, 1) may round.
        if let Some(v) = lambda.last_mut() {
            *v = kappa;
        }
        if rotated {
            Self::rotated(lambda, center)
        } else {
            Self::axis_aligned(lambda, center)
        }
    }

    /// `A = Σₖ λₖ qₖ qₖᵀ` from the rows `qₖ` of the orthogonal `q`.
    fn build(eigenvalues: [T; N], center: [T; N], q: [[T; N]; N]) -> Result<Self, Error> {
        if N == 0 {
            return Err(Error::Empty);
        }
        check_finite(&eigenvalues)?;
        check_finite(&center)?;
        let mut a = [[T::ZERO; N]; N];
        for (&l, qk) in eigenvalues.iter().zip(&q) {
            for (row, &qi) in a.iter_mut().zip(qk) {
                for (v, &qj) in row.iter_mut().zip(qk) {
                    *v += l * qi * qj;
                }
            }
        }
        check_finite(a.as_flattened())?;
        Ok(Quadratic {
            a,
            center,
            eigenvalues,
            eigenvectors: q,
        })
    }

    /// The matrix `A` (the Hessian everywhere).
    pub fn matrix(&self) -> &[[T; N]; N] {
        &self.a
    }

    /// The centre `c`: the minimum when every eigenvalue is > 0.
    pub fn center(&self) -> &[T; N] {
        &self.center
    }

    /// The eigenvalues of `A`, in the order given (not sorted).
    pub fn eigenvalues(&self) -> &[T; N] {
        &self.eigenvalues
    }

    /// Unit eigenvectors of `A` as rows: `eigenvectors()[k]` belongs to `eigenvalues()[k]`.
    pub fn eigenvectors(&self) -> &[[T; N]; N] {
        &self.eigenvectors
    }

    /// `x − c`.
    fn offset(&self, x: &[T; N]) -> [T; N] {
        let mut d = *x;
        d.iter_mut().zip(&self.center).for_each(|(d, &c)| *d -= c);
        d
    }
}

impl<T: Real, const N: usize> Objective<T, N> for Quadratic<T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        let d = self.offset(x);
        let mut sum = T::ZERO;
        for (&l, qk) in self.eigenvalues.iter().zip(&self.eigenvectors) {
            let p = qk
                .iter()
                .zip(&d)
                .fold(T::ZERO, |acc, (&q, &di)| acc + q * di);
            sum += l * p * p;
        }
        T::HALF * sum
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let d = self.offset(x);
        let mut out = [T::ZERO; N];
        for (o, row) in out.iter_mut().zip(&self.a) {
            *o = row
                .iter()
                .zip(&d)
                .fold(T::ZERO, |acc, (&a, &di)| acc + a * di);
        }
        deliver_gradient(x, out, g)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        super::deliver_hessian(x, self.a, h)
    }
}
