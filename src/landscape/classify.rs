//! Critical-point classification by the second-order conditions (Nocedal & Wright, Theorems
//! 2.3–2.4): at a point with vanishing gradient, all Hessian eigenvalues positive → minimum,
//! all negative → maximum, mixed → saddle whose *index* is the number of negative eigenvalues
//! (Milnor, *Morse Theory*, 1963), and any zero eigenvalue → degenerate: the second-order test
//! cannot decide, the landscape is flat along that direction.
//!
//! "Zero" is relative: `|λ| ≤ zero_rel · max|λ|`, so the verdict does not change when the loss
//! is rescaled. The gradient test is absolute: `‖∇f‖₂ ≤ grad`.

use super::convexity::HessianScratch;
use super::curvature::{summarize_checked, Curvature, CurvatureSummary};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{norm2, norm_inf};
use crate::objective::SliceObjective;
use crate::{Objective, Real};

/// What kind of point the second-order test finds.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CriticalPoint {
    /// The gradient does not vanish.
    NotCritical,
    /// Every eigenvalue positive.
    Minimum,
    /// Every eigenvalue negative.
    Maximum,
    /// Mixed signs; `index` negative eigenvalues.
    Saddle {
        /// Number of negative eigenvalues (descent directions).
        index: usize,
    },
    /// Some eigenvalues are zero within tolerance.
    Degenerate {
        /// Number of (numerically) zero eigenvalues: flat directions.
        zero: usize,
        /// Number of negative eigenvalues.
        negative: usize,
    },
}

impl CriticalPoint {
    /// Stable C code (`LOSSMAP_POINT_*`).
    pub const fn code(self) -> i32 {
        match self {
            CriticalPoint::NotCritical => 0,
            CriticalPoint::Minimum => 1,
            CriticalPoint::Maximum => 2,
            CriticalPoint::Saddle { .. } => 3,
            CriticalPoint::Degenerate { .. } => 4,
        }
    }
    /// Short name for tables.
    pub const fn name(self) -> &'static str {
        match self {
            CriticalPoint::NotCritical => "not critical",
            CriticalPoint::Minimum => "minimum",
            CriticalPoint::Maximum => "maximum",
            CriticalPoint::Saddle { .. } => "saddle",
            CriticalPoint::Degenerate { .. } => "degenerate",
        }
    }
}

/// Tolerances of the classification.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Tolerance<T> {
    /// A point is critical when `‖∇f‖₂ ≤ grad` (≥ 0). Default `ε^{1/3}` (6e-6 in f64, 5e-3 in f32),
    /// the accuracy of a central-difference gradient of an O(1) function.
    pub grad: T,
    /// An eigenvalue is zero when `|λ| ≤ zero_rel · max|λ|` (≥ 0). Default `100·√ε` (1.5e-6 in
    /// f64, 3.5e-2 in f32), above the noise of a finite-difference Hessian.
    pub zero_rel: T,
}

impl<T: Real> Default for Tolerance<T> {
    fn default() -> Self {
        Tolerance {
            grad: T::EPSILON_R.cbrt(),
            zero_rel: T::from_f64(100.0) * T::EPSILON_R.sqrt(),
        }
    }
}

impl<T: Real> Tolerance<T> {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let ok = |v: T| v.is_finite() && v >= T::ZERO;
        if ok(self.grad) && ok(self.zero_rel) {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Classifies a point from the Hessian eigenvalues `values` (any order) and the gradient norm.
///
/// ```
/// use lossmap::landscape::{classify, CriticalPoint, Tolerance};
/// let tol = Tolerance::<f64>::default();
/// assert_eq!(classify(&[-8.06, 8.06], 0.0, &tol), Ok(CriticalPoint::Saddle { index: 1 }));
/// assert_eq!(classify(&[1e-12, 3.0], 0.0, &tol), Ok(CriticalPoint::Degenerate { zero: 1, negative: 0 }));
/// assert_eq!(classify(&[1.0, 3.0], 0.5, &tol), Ok(CriticalPoint::NotCritical));
/// ```
pub fn classify<T: Real>(
    values: &[T],
    grad_norm: T,
    tol: &Tolerance<T>,
) -> Result<CriticalPoint, Error> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(values)?;
    tol.validate()?;
    if !grad_norm.is_finite() || grad_norm < T::ZERO {
        return Err(Error::NonFiniteInput);
    }
    if grad_norm > tol.grad {
        return Ok(CriticalPoint::NotCritical);
    }
    let z = tol.zero_rel * norm_inf(values);
    let (mut neg, mut zero, mut pos) = (0usize, 0usize, 0usize);
    for &v in values {
        if v.abs() <= z {
            zero += 1;
        } else if v < T::ZERO {
            neg += 1;
        } else {
            pos += 1;
        }
    }
    Ok(match (neg, zero, pos) {
        (negative, zero, _) if zero > 0 => CriticalPoint::Degenerate { zero, negative },
        (0, _, _) => CriticalPoint::Minimum,
        (_, _, 0) => CriticalPoint::Maximum,
        (index, _, _) => CriticalPoint::Saddle { index },
    })
}

/// Classifies `x` for `obj` with its gradient and Hessian; returns the verdict and the
/// curvature report it rests on, by value. [`Curvature::classify_at`] does the same into
/// storage the caller owns (no matrix-sized value on the stack; what firmware should call).
///
/// ```
/// use lossmap::landscape::{classify_at, CriticalPoint, Tolerance};
/// use lossmap::testfn::Himmelblau;
/// let (kind, c) = classify_at(&mut Himmelblau, &Himmelblau::MAXIMUM, &Tolerance::default()).unwrap();
/// assert_eq!(kind, CriticalPoint::Maximum);
/// assert!((c.eigen.values[0] + 45.61).abs() < 0.01 && (c.eigen.values[1] + 16.07).abs() < 0.01);
/// ```
pub fn classify_at<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    tol: &Tolerance<T>,
) -> Result<(CriticalPoint, Curvature<T, N>), Error> {
    let mut c = Curvature::default();
    let kind = c.classify_at(obj, x, tol)?;
    Ok((kind, c))
}

impl<T: Real, const N: usize> Curvature<T, N> {
    /// Classifies `x` for `obj` (gradient, Hessian, eigen-decomposition, verdict) and leaves
    /// the curvature report it rests on in `self`: the thin typed view, whose only stack
    /// beyond the caller's storage is the gradient and the kernels' own frames. On error `self`
    /// may hold partial results.
    ///
    /// ```
    /// use lossmap::landscape::{Curvature, CriticalPoint, Tolerance};
    /// use lossmap::testfn::Himmelblau;
    /// let mut c = Curvature::<f64, 2>::default();
    /// let kind = c.classify_at(&mut Himmelblau, &Himmelblau::SADDLES[0], &Tolerance::default());
    /// assert_eq!(kind, Ok(CriticalPoint::Saddle { index: 1 }));
    /// assert!(c.summary.min < 0.0 && c.summary.max > 0.0);
    /// ```
    pub fn classify_at<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &[T; N],
        tol: &Tolerance<T>,
    ) -> Result<CriticalPoint, Error> {
        let mut g = [T::ZERO; N];
        obj.gradient(x, &mut g)?;
        self.analyse(obj, x)?;
        classify(&self.eigen.values, norm2(&g), tol)
    }
}

/// Slice kernel of [`classify_at`]: the gradient of `obj` at `x` into `grad` (`n`), its Hessian
/// and eigen-decomposition into `scratch` (values ascending, vectors as rows), and the verdict
/// with the [`CurvatureSummary`] it rests on. `tol` and `x` are checked before `obj` is called;
/// a non-finite gradient is [`Error::NonFiniteGradient`].
///
/// ```
/// use lossmap::landscape::{classify_at_slice, convex_work_len, CriticalPoint, HessianScratch, Tolerance};
/// use lossmap::objective::FnSlice;
/// // x² − y²: a saddle of index 1 at the origin.
/// let mut f = FnSlice(|v: &[f64]| v[0] * v[0] - v[1] * v[1]);
/// let (mut buf, mut grad) = ([0.0; convex_work_len(2)], [0.0; 2]);
/// let mut scratch = HessianScratch::split(&mut buf, 2).unwrap();
/// let (kind, s) = classify_at_slice(&mut f, &[0.0, 0.0], &Tolerance::default(), &mut scratch, &mut grad).unwrap();
/// assert_eq!(kind, CriticalPoint::Saddle { index: 1 });
/// assert!((s.min + 2.0).abs() < 1e-6 && (s.max - 2.0).abs() < 1e-6);
/// ```
pub fn classify_at_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    tol: &Tolerance<T>,
    scratch: &mut HessianScratch<'_, T>,
    grad: &mut [T],
) -> Result<(CriticalPoint, CurvatureSummary<T>), Error> {
    if x.is_empty() {
        return Err(Error::Empty);
    }
    check_len(grad.len(), x.len())?;
    check_len(scratch.point.len(), x.len())?;
    check_finite(x)?;
    tol.validate()?;
    scratch.point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
    obj.gradient(scratch.point, grad)?;
    check_finite(grad).map_err(|_| Error::NonFiniteGradient)?;
    scratch.analyse(obj, x)?;
    let kind = classify(scratch.values, norm2(grad), tol)?;
    // A finite Hessian from the objective whose trace overflows: a derived value.
    Ok((
        kind,
        summarize_checked(scratch.values, Error::NonFiniteGradient)?,
    ))
}
