//! Critical-point classification by the second-order conditions (Nocedal & Wright, Theorems
//! 2.3–2.4): at a point with vanishing gradient, all Hessian eigenvalues positive → minimum,
//! all negative → maximum, mixed → saddle whose *index* is the number of negative eigenvalues
//! (Milnor, *Morse Theory*, 1963), and any zero eigenvalue → degenerate: the second-order test
//! cannot decide, the landscape is flat along that direction.
//!
//! "Zero" is relative: `|λ| ≤ zero_rel · max|λ|`, so the verdict does not change when the loss
//! is rescaled.
//!
//! **At a point** ([`classify_at`], [`Curvature::classify_at`], [`classify_at_slice`] and the C
//! ABI) every test is scale-free: multiplying the loss by any factor changes no verdict.
//! - *Critical* when either (a) the Newton step to the nearest critical point of the quadratic
//!   model, `s = −Σₖ vₖ (vₖᵀg) / max(|λₖ|, zero_rel·max|λ|)`, is within `step` central-difference
//!   steps in every coordinate (`|sᵢ| ≤ step · hᵢ`, `hᵢ` = [`central_step`]`(xᵢ)`): the point
//!   is as close to a critical point as finite differences of that step resolve; or (b) the
//!   gradient came from finite differences and every component is within the rounding error
//!   of a central difference, `|gᵢ| ≤ step · 4ε·|f|/hᵢ` (two probes, each carrying a rounding of
//!   about 2ε|f|): the gradient is indistinguishable from zero. Both sides of each test scale
//!   with the loss.
//! - *Undecided* ([`CriticalPoint::Undecided`]) when an eigenvalue's sign is within the
//!   Hessian's error: `|λ| ≤ E`, Weyl's theorem carrying a bound on the Hessian's error
//!   (Frobenius norm ≥ spectral norm) to every eigenvalue. For a finite-difference Hessian from
//!   values `E` is the sum of
//!   - the rounding bound `8ε|f| Σᵢ hᵢ⁻²` (four probes of 2ε|f| each per entry, `hᵢ` its step);
//!   - the truncation estimate `‖H(h) − H(2h)‖_F / 3`: the plain `O(h²)` scheme once more at
//!     twice the steps, whose difference from the first is three times the first's `h²` term
//!     (Richardson's error estimate; Press et al., *Numerical Recipes*, 3rd ed., §5.7). It is
//!     made only at a critical point whose rounding bound decides some eigenvalue's sign (a
//!     point that is not critical, or already wholly undecided, pays nothing), for `n² + n`
//!     evaluations more (18 instead of 12 in 2-D, 50 instead of 30 in 4-D). Without it a
//!     degenerate minimum (Powell's singular function, two zero eigenvalues) reads `Minimum`
//!     in `f32`: its quartic terms leave a truncation of about `h² f⁽⁴⁾/12 ≈ 1e-2` on the zero
//!     eigenvalues, far above the rounding bound (0 there, since `f = 0`). An objective whose
//!     own Hessian is more accurate than the plain scheme (a Richardson one) gets a bound that
//!     is too large, never too small; when a probe at twice the step fails (outside the
//!     loss's domain) every sign the estimate would decide stays open;
//!   - `nε·max|λ|` for the eigen-solver, which is all of `E` for an analytic Hessian (an
//!     objective reporting 0 evaluations).
//!
//!   In `f64` this is rarely reached; in `f32` it is the honest answer where the Hessian cannot
//!   give the sign.

use super::convexity::HessianScratch;
use super::curvature::{summarize_checked, Curvature, CurvatureSummary};
use crate::diff::{central_step, hessian_step, plain_truncation, sliced};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm_inf;
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
    /// A critical point whose Hessian's error does not decide the sign of some eigenvalues
    /// (from the tests at a point only; see the module doc).
    Undecided {
        /// Eigenvalues whose sign the error leaves open.
        uncertain: usize,
        /// Eigenvalues decided negative.
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
            CriticalPoint::Undecided { .. } => 5,
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
            CriticalPoint::Undecided { .. } => "undecided",
        }
    }
}

/// Tolerances of the classification.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Tolerance<T> {
    /// The norm-only test of `classify` (it sees a gradient norm, not the loss): critical when
    /// `‖∇f‖₂ ≤ grad` (≥ 0). Default `ε^{1/3}` (6e-6 in f64, 5e-3 in f32), the accuracy of a
    /// central-difference gradient of an O(1) function. The tests at a point are scale-free
    /// and use `step` instead.
    pub grad: T,
    /// An eigenvalue is zero when `|λ| ≤ zero_rel · max|λ|` (≥ 0). Default 1.5e-6 in both
    /// precisions (`100·√ε` of `f64`), above the noise of an `f64` finite-difference Hessian of
    /// an O(1) loss. The tests at a point call an eigenvalue within the Hessian's error bound
    /// undecided instead, so in `f32`, whose finite-difference noise is larger, a flat
    /// direction reads `Undecided` rather than a guessed `Degenerate`.
    pub zero_rel: T,
    /// The scale-free critical-point test at a point, in central-difference steps (≥ 0; see the
    /// module doc). Default 1: within one step of the step the derivatives were taken with.
    pub step: T,
}

impl<T: Real> Default for Tolerance<T> {
    fn default() -> Self {
        Tolerance {
            grad: T::EPSILON_R.cbrt(),
            zero_rel: T::from_f64(100.0 * 1.490_116_119_384_765_6e-8),
            step: T::ONE,
        }
    }
}

impl<T: Real> Tolerance<T> {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let ok = |v: T| v.is_finite() && v >= T::ZERO;
        if ok(self.grad) && ok(self.zero_rel) && ok(self.step) {
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
        tol.validate()?;
        check_finite(x)?;
        let mut g = [T::ZERO; N];
        let g_evals = obj.gradient(x, &mut g)?;
        check_finite(&g).map_err(|_| Error::NonFiniteGradient)?;
        let h_evals = obj.hessian(x, &mut self.hessian)?;
        self.eigen.decompose(&self.hessian)?;
        self.summary = summarize_checked(&self.eigen.values, Error::NonFiniteInput)?;
        let f = obj.value(x);
        let at = Point {
            x,
            grad: &g,
            loss: f,
            fd_gradient: g_evals > 0,
            fd_hessian: h_evals > 0,
            truncation: T::ZERO,
        };
        let vectors = self.eigen.vectors.as_flattened();
        let kind = verdict(&self.eigen.values, vectors, &at, tol)?;
        if !truncation_matters(kind, &self.eigen.values, &at, tol) {
            return Ok(kind);
        }
        let (mut p, mut sums) = (*x, [T::ZERO; N]);
        let mut value = |v: &[T; N]| obj.value(v);
        let t = plain_truncation(
            &mut sliced(&mut value),
            &mut p,
            f,
            self.hessian.as_flattened(),
            &mut sums,
        );
        let at = Point {
            truncation: bound_or_max(t),
            ..at
        };
        verdict(&self.eigen.values, vectors, &at, tol)
    }
}

/// What the scale-free tests know about the point (see the module doc).
pub(crate) struct Point<'a, T> {
    /// The point.
    pub x: &'a [T],
    /// The gradient there.
    pub grad: &'a [T],
    /// The loss there (its magnitude sets the rounding scale).
    pub loss: T,
    /// The gradient came from finite differences (the objective reported evaluations).
    pub fd_gradient: bool,
    /// The Hessian came from finite differences.
    pub fd_hessian: bool,
    /// A bound on the Hessian's truncation error (spectral norm), 0 until estimated.
    pub truncation: T,
}

/// The scale-free verdict at a point from the Hessian's ascending `values` and `vectors`
/// (rows, `n×n`), per the module doc.
pub(crate) fn verdict<T: Real>(
    values: &[T],
    vectors: &[T],
    at: &Point<'_, T>,
    tol: &Tolerance<T>,
) -> Result<CriticalPoint, Error> {
    let n = values.len();
    if n == 0 {
        return Err(Error::Empty);
    }
    check_len(at.x.len(), n)?;
    check_len(at.grad.len(), n)?;
    if Some(vectors.len()) != n.checked_mul(n) {
        return Err(Error::LengthMismatch);
    }
    check_finite(values)?;
    tol.validate()?;
    if !at.loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let big = norm_inf(values);
    let floor = tol.zero_rel * big;
    let f = at.loss.abs();
    let eps = T::EPSILON_R;
    // (a) The Newton step to the model's critical point, coordinate by coordinate.
    let newton_ok = big > T::ZERO
        && at.x.iter().enumerate().all(|(i, &xi)| {
            let si = vectors
                .chunks_exact(n.max(1))
                .zip(values)
                .fold(T::ZERO, |s, (v, &l)| {
                    let c = v
                        .iter()
                        .zip(at.grad)
                        .fold(T::ZERO, |a, (&vk, &gk)| a + vk * gk);
                    s + v.get(i).copied().unwrap_or(T::ZERO) * c / l.abs().max(floor)
                });
            si.abs() <= tol.step * central_step(xi)
        });
    // (b) A finite-difference gradient within its rounding error.
    let four = T::from_f64(4.0);
    let rounding_ok = at.fd_gradient
        && at
            .x
            .iter()
            .zip(at.grad)
            .all(|(&xi, &gi)| gi.abs() <= tol.step * four * eps * f / central_step(xi));
    let all_zero = at.grad.iter().all(|&g| g == T::ZERO);
    if !(newton_ok || rounding_ok || all_zero) {
        return Ok(CriticalPoint::NotCritical);
    }
    // The Hessian's error bound on its eigenvalues: rounding, solver, truncation.
    let err = rounding_bound(values, at) + at.truncation;
    let (mut neg, mut zero, mut pos, mut open) = (0usize, 0usize, 0usize, 0usize);
    for &v in values {
        if v.abs() <= floor {
            zero += 1;
        } else if v.abs() <= err {
            open += 1;
        } else if v < T::ZERO {
            neg += 1;
        } else {
            pos += 1;
        }
    }
    Ok(match (neg, zero, pos, open) {
        (negative, _, _, uncertain) if uncertain > 0 => CriticalPoint::Undecided {
            uncertain,
            negative,
        },
        (negative, zero, _, _) if zero > 0 => CriticalPoint::Degenerate { zero, negative },
        (0, _, _, _) => CriticalPoint::Minimum,
        (_, _, 0, _) => CriticalPoint::Maximum,
        (index, _, _, _) => CriticalPoint::Saddle { index },
    })
}

/// The rounding bound of the verdict's Hessian on its eigenvalues (see the module doc).
fn rounding_bound<T: Real>(values: &[T], at: &Point<'_, T>) -> T {
    let solver = T::from_usize(values.len()) * T::EPSILON_R * norm_inf(values);
    if at.fd_hessian {
        let inv: T = at.x.iter().fold(T::ZERO, |a, &xi| {
            let h = hessian_step(xi);
            a + T::ONE / (h * h)
        });
        T::from_f64(8.0) * T::EPSILON_R * at.loss.abs() * inv + solver
    } else {
        solver
    }
}

/// Whether the truncation estimate can change `kind`: a finite-difference Hessian at a
/// critical point with some eigenvalue whose sign the rounding bound decides.
fn truncation_matters<T: Real>(
    kind: CriticalPoint,
    values: &[T],
    at: &Point<'_, T>,
    tol: &Tolerance<T>,
) -> bool {
    if !at.fd_hessian || kind == CriticalPoint::NotCritical {
        return false;
    }
    let floor = tol.zero_rel * norm_inf(values);
    let err = rounding_bound(values, at);
    values.iter().any(|v| v.abs() > floor && v.abs() > err)
}

/// The truncation estimate, or the largest finite value when it could not be made (a probe
/// at twice the step left the loss's domain or overflowed): every sign it would decide stays
/// open.
fn bound_or_max<T: Real>(t: Result<(T, usize), Error>) -> T {
    match t {
        Ok((v, _)) => v,
        Err(_) => T::MAX_R,
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
    let g_evals = obj.gradient(scratch.point, grad)?;
    check_finite(grad).map_err(|_| Error::NonFiniteGradient)?;
    let h_evals = scratch.analyse(obj, x)?;
    scratch.point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
    let f = obj.value(scratch.point);
    let at = Point {
        x,
        grad,
        loss: f,
        fd_gradient: g_evals > 0,
        fd_hessian: h_evals > 0,
        truncation: T::ZERO,
    };
    let mut kind = verdict(scratch.values, scratch.vectors, &at, tol)?;
    if truncation_matters(kind, scratch.values, &at, tol) {
        // The eigen-solver's work matrix is free now: its first `n` entries hold the sums.
        let t = plain_truncation(
            &mut |v: &[T]| obj.value(v),
            scratch.point,
            f,
            scratch.hessian,
            scratch.work,
        );
        scratch.point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
        let at = Point {
            truncation: bound_or_max(t),
            ..at
        };
        kind = verdict(scratch.values, scratch.vectors, &at, tol)?;
    }
    // A finite Hessian from the objective whose trace overflows: a derived value.
    Ok((
        kind,
        summarize_checked(scratch.values, Error::NonFiniteGradient)?,
    ))
}
