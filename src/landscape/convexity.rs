//! Convexity: at a point, the Hessian is positive semi-definite (Boyd & Vandenberghe, *Convex
//! Optimization*, §3.1.4); over an axis-aligned box, the same at points sampled uniformly from a
//! seeded RNG. Sampling can only refute convexity, never prove it: a failure comes with its
//! witness (the point and the direction of negative curvature), a pass says no sample failed.
//!
//! "Semi-definite" is relative: `λ_min ≥ −tol · max|λ|`, with `tol` at least the noise of a
//! finite-difference Hessian.

use crate::error::{check_finite, check_len, Error};
use crate::linalg::{norm_inf, sym_eigen};
use crate::objective::{Fixed, SliceObjective};
use crate::random::uniform_in;
use crate::{Objective, Real};
use rand_core::Rng;

/// Scratch needed by [`HessianScratch::split`] for `n` parameters: `3n² + 2n`.
/// Saturates at `usize::MAX` instead of overflowing.
pub const fn convex_work_len(n: usize) -> usize {
    n.saturating_mul(n)
        .saturating_mul(3)
        .saturating_add(n.saturating_mul(2))
}

/// The verdict of a convexity check.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Convexity<T, const N: usize> {
    /// Every Hessian examined was positive semi-definite.
    Convex {
        /// Points examined.
        samples: usize,
    },
    /// A Hessian with a negative eigenvalue was found.
    NotConvex {
        /// Where.
        point: [T; N],
        /// Unit eigenvector of the most negative eigenvalue there.
        direction: [T; N],
        /// That eigenvalue.
        curvature: T,
    },
}

impl<T, const N: usize> Convexity<T, N> {
    /// `true` for [`Convexity::Convex`].
    pub fn is_convex(&self) -> bool {
        matches!(self, Convexity::Convex { .. })
    }
}

fn check_tol<T: Real>(tol: T) -> Result<(), Error> {
    if tol.is_finite() && tol >= T::ZERO {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// Scratch of one Hessian eigen-analysis of `n` parameters: a copy of the point (`n`), the
/// Hessian, the eigen-solver's work matrix and the eigenvectors (`n×n` each), the eigenvalues (`n`).
#[derive(Debug)]
pub struct HessianScratch<'a, T> {
    /// Point copy, `n`.
    pub point: &'a mut [T],
    /// Hessian, `n×n`.
    pub hessian: &'a mut [T],
    /// Eigen-solver work, `n×n`.
    pub work: &'a mut [T],
    /// Eigenvalues, `n`.
    pub values: &'a mut [T],
    /// Eigenvectors as rows, `n×n`.
    pub vectors: &'a mut [T],
}

impl<'a, T: Real> HessianScratch<'a, T> {
    /// Carves the scratch out of one buffer of at least [`convex_work_len`]`(n)` values.
    pub fn split(buf: &'a mut [T], n: usize) -> Result<Self, Error> {
        let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
        let (point, rest) = buf.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let (hessian, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (work, rest) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let (values, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let vectors = rest.get_mut(..nn).ok_or(Error::LengthMismatch)?;
        Ok(HessianScratch {
            point,
            hessian,
            work,
            values,
            vectors,
        })
    }

    /// Hessian of `obj` at `x` and its eigen-decomposition, into the scratch.
    pub(crate) fn analyse<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &[T],
    ) -> Result<usize, Error> {
        let n = x.len();
        check_len(self.point.len(), n)?;
        check_finite(x)?;
        self.point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
        let evals = obj.hessian(self.point, self.hessian)?;
        sym_eigen(self.hessian, n, self.work, self.values, self.vectors)?;
        Ok(evals)
    }
}

/// Typed storage for a [`HessianScratch`].
pub(crate) struct ScratchArrays<T, const N: usize> {
    point: [T; N],
    hessian: [[T; N]; N],
    work: [[T; N]; N],
    values: [T; N],
    vectors: [[T; N]; N],
}

impl<T: Real, const N: usize> ScratchArrays<T, N> {
    pub(crate) fn new() -> Self {
        ScratchArrays {
            point: [T::ZERO; N],
            hessian: [[T::ZERO; N]; N],
            work: [[T::ZERO; N]; N],
            values: [T::ZERO; N],
            vectors: [[T::ZERO; N]; N],
        }
    }
    pub(crate) fn view(&mut self) -> HessianScratch<'_, T> {
        HessianScratch {
            point: &mut self.point,
            hessian: self.hessian.as_flattened_mut(),
            work: self.work.as_flattened_mut(),
            values: &mut self.values,
            vectors: self.vectors.as_flattened_mut(),
        }
    }
}

/// Slice kernel: is the Hessian of `obj` at `x` PSD within `tol`? `None` if so; otherwise
/// `Some(λ_min)` with its unit eigenvector written to `direction`.
pub fn convex_at_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    tol: T,
    scratch: &mut HessianScratch<'_, T>,
    direction: &mut [T],
) -> Result<Option<T>, Error> {
    check_len(direction.len(), x.len())?;
    check_tol(tol)?;
    scratch.analyse(obj, x)?;
    let min = scratch.values.first().copied().unwrap_or(T::ZERO);
    if min < -tol * norm_inf(scratch.values) {
        direction
            .iter_mut()
            .zip(scratch.vectors.iter())
            .for_each(|(d, &v)| *d = v);
        Ok(Some(min))
    } else {
        Ok(None)
    }
}

/// Slice kernel: [`convex_at_slice`] at `samples` points drawn uniformly from the box
/// `[lo, hi]`; stops at the first failure, writing the point to `witness` and the direction to
/// `direction`.
#[allow(clippy::too_many_arguments)]
pub fn convex_over_box_slice<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized>(
    obj: &mut O,
    lo: &[T],
    hi: &[T],
    samples: usize,
    rng: &mut R,
    tol: T,
    scratch: &mut HessianScratch<'_, T>,
    witness: &mut [T],
    direction: &mut [T],
) -> Result<Option<T>, Error> {
    let n = lo.len();
    check_box(lo, hi)?;
    check_len(witness.len(), n)?;
    check_len(direction.len(), n)?;
    check_tol(tol)?;
    if samples == 0 {
        return Err(Error::Empty);
    }
    for _ in 0..samples {
        for ((xi, &l), &h) in witness.iter_mut().zip(lo).zip(hi) {
            *xi = uniform_in(rng, l, h);
        }
        if let Some(c) = convex_at_slice(obj, witness, tol, scratch, direction)? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Convexity of `obj` at `x`: its Hessian is PSD within `tol` (relative to max|λ|).
///
/// ```
/// use lossmap::landscape::convex_at;
/// use lossmap::testfn::Himmelblau;
/// assert!(convex_at(&mut Himmelblau, &[3.0f64, 2.0], 1e-6).unwrap().is_convex());
/// assert!(!convex_at(&mut Himmelblau, &Himmelblau::SADDLES[0], 1e-6).unwrap().is_convex());
/// ```
pub fn convex_at<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    tol: T,
) -> Result<Convexity<T, N>, Error> {
    let mut arrays = ScratchArrays::<T, N>::new();
    let mut direction = [T::ZERO; N];
    Ok(
        match convex_at_slice(
            &mut Fixed::<O, N>(obj),
            x,
            tol,
            &mut arrays.view(),
            &mut direction,
        )? {
            Some(curvature) => Convexity::NotConvex {
                point: *x,
                direction,
                curvature,
            },
            None => Convexity::Convex { samples: 1 },
        },
    )
}

/// Convexity of `obj` over the box `[lo, hi]` (per coordinate, `lo ≤ hi`), by `samples` points
/// drawn uniformly with `rng`; stops at the first failure and returns its witness.
///
/// ```
/// use lossmap::landscape::convex_over_box;
/// use rand_core::SeedableRng;
/// // f = x⁴ − x²: f'' = 12x² − 2 < 0 for |x| < 0.41.
/// let mut f = |x: &[f64; 1]| x[0].powi(4) - x[0] * x[0];
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(5);
/// assert!(!convex_over_box(&mut f, &[-1.0], &[1.0], 64, &mut rng, 1e-6).unwrap().is_convex());
/// assert!(convex_over_box(&mut f, &[0.5], &[2.0], 64, &mut rng, 1e-6).unwrap().is_convex());
/// ```
pub fn convex_over_box<T: Real, O: Objective<T, N> + ?Sized, R: Rng + ?Sized, const N: usize>(
    obj: &mut O,
    lo: &[T; N],
    hi: &[T; N],
    samples: usize,
    rng: &mut R,
    tol: T,
) -> Result<Convexity<T, N>, Error> {
    let mut arrays = ScratchArrays::<T, N>::new();
    let (mut point, mut direction) = ([T::ZERO; N], [T::ZERO; N]);
    let r = convex_over_box_slice(
        &mut Fixed::<O, N>(obj),
        lo,
        hi,
        samples,
        rng,
        tol,
        &mut arrays.view(),
        &mut point,
        &mut direction,
    )?;
    Ok(match r {
        Some(curvature) => Convexity::NotConvex {
            point,
            direction,
            curvature,
        },
        None => Convexity::Convex { samples },
    })
}

/// `lo`, `hi` finite with `lo ≤ hi` everywhere, else [`Error::NonFiniteInput`] /
/// [`Error::InvalidParameter`].
pub(crate) fn check_box<T: Real>(lo: &[T], hi: &[T]) -> Result<(), Error> {
    check_len(hi.len(), lo.len())?;
    check_finite(lo)?;
    check_finite(hi)?;
    if lo.iter().zip(hi).any(|(l, h)| l > h) {
        return Err(Error::InvalidParameter);
    }
    Ok(())
}
