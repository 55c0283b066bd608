//! The curvature report of a Hessian: eigen-decomposition, extreme eigenvalues, trace,
//! condition number and log-determinant. The log-determinant of a positive-definite Hessian is
//! (up to constants) minus twice the log-volume of the lossmap's quadratic approximation — the
//! "local entropy" flatness measure (cf. Chaudhari et al., *Entropy-SGD*, 2017).

use crate::error::Error;
use crate::linalg::{sym_eigen, SymEigen};
use crate::{Objective, Real};

/// Scalar summary of a Hessian's spectrum.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct CurvatureSummary<T> {
    /// Smallest eigenvalue.
    pub min: T,
    /// Largest eigenvalue.
    pub max: T,
    /// Trace (sum of eigenvalues).
    pub trace: T,
    /// `max|λ| / min|λ|`; the largest finite value of the type when some eigenvalue is
    /// exactly 0 or the ratio is beyond the type's range.
    pub condition: T,
    /// `Σ ln λ` when every eigenvalue is > 0, else NaN.
    pub log_det: T,
}

/// Eigen-decomposition of the symmetric `n×n` Hessian `h` (as [`sym_eigen`]: `values`
/// ascending, `vectors` as rows, `work` `n×n` scratch) and its [`CurvatureSummary`].
///
/// ```
/// let h = [2.0f64, 0.0, 0.0, 8.0];
/// let (mut w, mut vals, mut vecs) = ([0.0; 4], [0.0; 2], [0.0; 4]);
/// let s = lossmap::landscape::curvature(&h, 2, &mut w, &mut vals, &mut vecs).unwrap();
/// assert_eq!((s.min, s.max, s.trace, s.condition), (2.0, 8.0, 10.0, 4.0));
/// assert!((s.log_det - 16.0f64.ln()).abs() < 1e-15);
/// ```
pub fn curvature<T: Real>(
    h: &[T],
    n: usize,
    work: &mut [T],
    values: &mut [T],
    vectors: &mut [T],
) -> Result<CurvatureSummary<T>, Error> {
    sym_eigen(h, n, work, values, vectors)?;
    summarize_checked(values, Error::NonFiniteInput)
}

/// [`summarize`], refusing a trace beyond the type's range with `err` (an `Ok` summary has no
/// ±∞; `log_det` is NaN only as documented, for an eigenvalue ≤ 0).
pub(crate) fn summarize_checked<T: Real>(
    values: &[T],
    err: Error,
) -> Result<CurvatureSummary<T>, Error> {
    let s = summarize(values);
    if s.trace.is_finite()
        && s.condition.is_finite()
        && (s.log_det.is_finite() || s.log_det.is_nan())
    {
        Ok(s)
    } else {
        Err(err)
    }
}

/// Summary of ascending eigenvalues.
pub(crate) fn summarize<T: Real>(values: &[T]) -> CurvatureSummary<T> {
    let min = values.first().copied().unwrap_or(T::ZERO);
    let max = values.last().copied().unwrap_or(T::ZERO);
    let mut trace = T::ZERO;
    let (mut lo, mut hi) = (T::MAX_R, T::ZERO);
    let mut log_det = T::ZERO;
    for &v in values {
        trace += v;
        lo = lo.min(v.abs());
        hi = hi.max(v.abs());
        log_det += if v > T::ZERO { v.ln() } else { T::NAN_R };
    }
    // Saturates at the largest finite value (an exact 0, or a ratio beyond the range).
    let condition = if lo == T::ZERO {
        T::MAX_R
    } else {
        (hi / lo).min(T::MAX_R)
    };
    CurvatureSummary {
        min,
        max,
        trace,
        condition,
        log_det,
    }
}

/// Typed curvature report: the eigen-decomposition and its summary.
///
/// ```
/// use lossmap::landscape::Curvature;
/// use lossmap::testfn::Rosenbrock;
/// let c = Curvature::at(&mut Rosenbrock, &[1.0f64, 1.0]).unwrap();
/// assert!((c.summary.min - 0.3994).abs() < 1e-4 && (c.summary.max - 1001.6).abs() < 1e-1);
/// assert!((c.summary.condition - 2508.0).abs() < 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Curvature<T: Real, const N: usize> {
    /// The Hessian analysed.
    pub hessian: [[T; N]; N],
    /// Its eigen-decomposition (values ascending, vectors as rows).
    pub eigen: SymEigen<T, N>,
    /// Extremes, trace, condition number, log-determinant.
    pub summary: CurvatureSummary<T>,
}

impl<T: Real, const N: usize> Default for Curvature<T, N> {
    /// All zeros: storage for [`Curvature::analyse`] and [`Curvature::classify_at`].
    fn default() -> Self {
        Curvature {
            hessian: [[T::ZERO; N]; N],
            eigen: SymEigen::default(),
            summary: summarize(&[]),
        }
    }
}

impl<T: Real, const N: usize> Curvature<T, N> {
    /// Report for a given Hessian (by value; [`Curvature::analyse`] fills caller-owned storage).
    pub fn of_hessian(h: &[[T; N]; N]) -> Result<Self, Error> {
        let mut c = Curvature {
            hessian: *h,
            ..Self::default()
        };
        c.analyse_hessian()?;
        Ok(c)
    }

    /// Report for `obj` at `x`, using its [`hessian`](Objective::hessian) (analytic, or the
    /// finite-difference default). By value: the report is built in this call's frame and
    /// returned; [`Curvature::analyse`] writes into storage the caller owns instead.
    pub fn at<O: Objective<T, N> + ?Sized>(obj: &mut O, x: &[T; N]) -> Result<Self, Error> {
        let mut c = Self::default();
        c.analyse(obj, x)?;
        Ok(c)
    }

    /// The report for `obj` at `x`, written into `self` (the Hessian, its eigen-decomposition
    /// and the summary), with no matrix-sized value on the stack: the thin typed view over the
    /// slice kernels. On error `self` may hold partial results.
    ///
    /// ```
    /// use lossmap::landscape::Curvature;
    /// use lossmap::testfn::Rosenbrock;
    /// let mut c = Curvature::<f64, 2>::default();
    /// c.analyse(&mut Rosenbrock, &[1.0, 1.0]).unwrap();
    /// // ∇²f(1, 1) = [[802, −400], [−400, 200]]: eigenvalues 501 ∓ √250601.
    /// assert!((c.summary.min - (501.0 - 250601f64.sqrt())).abs() < 1e-4);
    /// ```
    pub fn analyse<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &[T; N],
    ) -> Result<(), Error> {
        obj.hessian(x, &mut self.hessian)?;
        self.analyse_hessian()
    }

    /// Eigen-decomposition and summary of `self.hessian`, in place.
    fn analyse_hessian(&mut self) -> Result<(), Error> {
        self.eigen.decompose(&self.hessian)?;
        self.summary = summarize_checked(&self.eigen.values, Error::NonFiniteInput)?;
        Ok(())
    }
}
