//! Convexity: at a point, the Hessian is positive semi-definite (Boyd & Vandenberghe, *Convex
//! Optimization*, §3.1.4); over an axis-aligned box, the same at points sampled uniformly from a
//! seeded RNG. Sampling can only refute convexity, never prove it: a failure comes with its
//! witness (the point and the direction of negative curvature), a pass says no sample failed.
//!
//! "Semi-definite" is relative: `λ_min ≥ −tol · max|λ|`, with `tol` at least the noise of a
//! finite-difference Hessian.

use crate::error::{check_finite, check_len, Error};
use crate::linalg::{norm_inf, SymEigen};
use crate::random::uniform_in;
use crate::{Objective, Real};
use rand_core::RngCore;

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

/// `Some(λ_min)` when the ascending eigenvalues are not PSD within `tol`, else `None`.
fn negative<T: Real>(values: &[T], tol: T) -> Option<T> {
    let min = values.first().copied()?;
    (min < -tol * norm_inf(values)).then_some(min)
}

/// Convexity of `obj` at `x`: its Hessian is PSD within `tol` (relative to max|λ|).
///
/// ```
/// use basin::landscape::convex_at;
/// use basin::testfn::Himmelblau;
/// assert!(convex_at(&mut Himmelblau, &[3.0f64, 2.0], 1e-6).unwrap().is_convex());
/// assert!(!convex_at(&mut Himmelblau, &Himmelblau::SADDLES[0], 1e-6).unwrap().is_convex());
/// ```
pub fn convex_at<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    tol: T,
) -> Result<Convexity<T, N>, Error> {
    if !tol.is_finite() || tol < T::ZERO {
        return Err(Error::InvalidParameter);
    }
    check_finite(x)?;
    let mut h = [[T::ZERO; N]; N];
    obj.hessian(x, &mut h)?;
    let e = SymEigen::new(&h)?;
    Ok(match negative(&e.values, tol) {
        Some(curvature) => Convexity::NotConvex {
            point: *x,
            direction: e.vectors[0],
            curvature,
        },
        None => Convexity::Convex { samples: 1 },
    })
}

/// Convexity of `obj` over the box `[lo, hi]` (per coordinate, `lo ≤ hi`), by `samples` points
/// drawn uniformly with `rng`; stops at the first failure and returns its witness.
///
/// ```
/// use basin::landscape::convex_over_box;
/// use rand_core::SeedableRng;
/// // f = x⁴ − x²: f'' = 12x² − 2 < 0 for |x| < 0.41.
/// let mut f = |x: &[f64; 1]| x[0].powi(4) - x[0] * x[0];
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(5);
/// assert!(!convex_over_box(&mut f, &[-1.0], &[1.0], 64, &mut rng, 1e-6).unwrap().is_convex());
/// assert!(convex_over_box(&mut f, &[0.5], &[2.0], 64, &mut rng, 1e-6).unwrap().is_convex());
/// ```
pub fn convex_over_box<
    T: Real,
    O: Objective<T, N> + ?Sized,
    R: RngCore + ?Sized,
    const N: usize,
>(
    obj: &mut O,
    lo: &[T; N],
    hi: &[T; N],
    samples: usize,
    rng: &mut R,
    tol: T,
) -> Result<Convexity<T, N>, Error> {
    check_box(lo, hi)?;
    if samples == 0 {
        return Err(Error::Empty);
    }
    for _ in 0..samples {
        let mut x = [T::ZERO; N];
        for ((xi, &l), &h) in x.iter_mut().zip(lo).zip(hi) {
            *xi = uniform_in(rng, l, h);
        }
        let verdict = convex_at(obj, &x, tol)?;
        if !verdict.is_convex() {
            return Ok(verdict);
        }
    }
    Ok(Convexity::Convex { samples })
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
