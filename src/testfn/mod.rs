//! Test landscapes with known minima, saddles and analytic derivatives.
//!
//! Each is an [`Objective`](crate::Objective) for any `T: Real` with an analytic gradient and
//! an analytic Hessian (both returning `Ok(0)`: no function evaluations used), and lists its
//! critical points as `f64` constants: to the digits of the cited sources, or as refined by
//! Newton's method in 50-digit arithmetic by `tests/reference/critical_points.py` and
//! `tests/reference/landscapes.py` (the nearest `f64` is given).
//!
//! | landscape | N | what it exercises |
//! |---|---|---|
//! | [`Quadratic`] | any | bowl with chosen eigenvalues, axis-aligned or rotated: conditioning |
//! | [`Rosenbrock`] | 2 | curved, flat-bottomed valley |
//! | [`RosenbrockN`] | any | chained valley; a second, local minimum for N = 4…7 |
//! | [`Himmelblau`] | 2 | four equal minima, four saddles, one maximum |
//! | [`Rastrigin`] | any | regular grid of local minima on a bowl |
//! | [`Ackley`] | any | nearly flat outer region, a cone-tipped funnel at 0 |
//! | [`StyblinskiTang`] | any | 2ᴺ local minima, separable |
//! | [`Beale`] | 2 | narrow curved valleys, sharp ridges |
//! | [`Booth`] | 2 | plain convex quadratic |
//! | [`SixHumpCamel`] | 2 | six minima (two global), seven saddles, two maxima |
//! | [`Easom`] | 2 | golf course: flat plateau, one narrow hole |
//! | [`TwoRate`] | 2 | non-identifiable model: a whole line of minima |
//! | [`ExpSinCos`] | 2 | smooth, all second derivatives non-zero: Hessian accuracy target |
//!
//! **Errors.** `gradient` and `hessian` return [`Error::NonFiniteInput`](crate::Error) for a
//! NaN/±∞ coordinate and [`Error::NonFiniteGradient`](crate::Error) when the result overflows
//! (or, for [`Ackley`]'s Hessian at the origin, does not exist); the output is then left
//! unchanged. `value` never fails: it returns NaN/±∞ for such inputs, as every objective may.

// No C entry point evaluates these landscapes, so their constants stay out of the C header:
// cbindgen reads `cbindgen:ignore` on each (private, undocumented) module.
/// cbindgen:ignore
mod ackley;
/// cbindgen:ignore
mod beale;
/// cbindgen:ignore
mod booth;
/// cbindgen:ignore
mod easom;
/// cbindgen:ignore
mod exp_sin_cos;
/// cbindgen:ignore
mod himmelblau;
/// cbindgen:ignore
mod quadratic;
/// cbindgen:ignore
mod rastrigin;
/// cbindgen:ignore
mod rosenbrock;
/// cbindgen:ignore
mod rosenbrock_n;
/// cbindgen:ignore
mod six_hump_camel;
/// cbindgen:ignore
mod styblinski_tang;
/// cbindgen:ignore
mod two_rate;

pub use ackley::Ackley;
pub use beale::Beale;
pub use booth::Booth;
pub use easom::Easom;
pub use exp_sin_cos::ExpSinCos;
pub use himmelblau::Himmelblau;
pub use quadratic::Quadratic;
pub use rastrigin::Rastrigin;
pub use rosenbrock::Rosenbrock;
pub use rosenbrock_n::RosenbrockN;
pub use six_hump_camel::SixHumpCamel;
pub use styblinski_tang::StyblinskiTang;
pub use two_rate::TwoRate;

use crate::error::{check_finite, Error};
use crate::Real;

/// `T` from an `f64` literal.
#[inline]
fn c<T: Real>(v: f64) -> T {
    T::from_f64(v)
}

/// Writes an analytic gradient computed at `x` to `g` if `x` and the result are finite.
fn deliver_gradient<T: Real, const N: usize>(
    x: &[T; N],
    value: [T; N],
    g: &mut [T; N],
) -> Result<usize, Error> {
    check_finite(x)?;
    check_finite(&value).map_err(|_| Error::NonFiniteGradient)?;
    *g = value;
    Ok(0)
}

/// Writes an analytic Hessian computed at `x` to `h` if `x` and the result are finite.
fn deliver_hessian<T: Real, const N: usize>(
    x: &[T; N],
    value: [[T; N]; N],
    h: &mut [[T; N]; N],
) -> Result<usize, Error> {
    check_finite(x)?;
    check_finite(value.as_flattened()).map_err(|_| Error::NonFiniteGradient)?;
    *h = value;
    Ok(0)
}

/// Adds `v` to `h[i][j]` (nothing when out of range).
#[inline]
fn add_at<T: Real, const N: usize>(h: &mut [[T; N]; N], i: usize, j: usize, v: T) {
    if let Some(e) = h.get_mut(i).and_then(|row| row.get_mut(j)) {
        *e += v;
    }
}

/// Adds `v` to `g[i]` (nothing when out of range).
#[inline]
fn add_to<T: Real, const N: usize>(g: &mut [T; N], i: usize, v: T) {
    if let Some(e) = g.get_mut(i) {
        *e += v;
    }
}
