//! Loss slices for plotting: values of `f` along one direction (`f(x + t·d)`) or over a plane
//! (`f(x + s·d₁ + t·d₂)`) on an evenly spaced grid, into caller buffers; random directions and
//! Li et al.'s filter normalization (*Visualizing the Loss Landscape of Neural Nets*, NeurIPS
//! 2018): each group ("filter") of the direction is rescaled to the norm of the same group of
//! the parameters, so that slices of differently scaled models are comparable.
//!
//! A grid point where `f` is NaN/Inf is stored as is (a plot can show the hole); the kernels
//! return how many such points there were.

use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm2;
use crate::random::normal;
use crate::Real;
use rand_core::RngCore;

/// `steps` evenly spaced values from `a` to `b` inclusive: the `k`-th.
fn grid<T: Real>(a: T, b: T, k: usize, steps: usize) -> T {
    if steps <= 1 {
        return a;
    }
    a + (b - a) * T::from_usize(k) / T::from_usize(steps - 1)
}

fn check_range<T: Real>(a: T, b: T) -> Result<(), Error> {
    if a.is_finite() && b.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// `out[k] = f(x + t_k·d)` for `t_k` evenly spaced over `[t0, t1]` (`out.len()` points).
/// `point` (length n) is scratch. Returns the number of non-finite values stored.
///
/// ```
/// let (mut p, mut out) = ([0.0; 2], [0.0; 5]);
/// let bad = lossmap::landscape::slice_1d(&mut |v: &[f64]| v[0] * v[0] + v[1], &[0.0, 1.0], &[1.0, 0.0], -2.0, 2.0, &mut p, &mut out).unwrap();
/// assert_eq!((bad, out), (0, [5.0, 2.0, 1.0, 2.0, 5.0]));
/// ```
pub fn slice_1d<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &[T],
    d: &[T],
    t0: T,
    t1: T,
    point: &mut [T],
    out: &mut [T],
) -> Result<usize, Error> {
    let n = x.len();
    check_len(d.len(), n)?;
    check_len(point.len(), n)?;
    if out.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(x)?;
    check_finite(d)?;
    check_range(t0, t1)?;
    let steps = out.len();
    let mut bad = 0;
    for (k, o) in out.iter_mut().enumerate() {
        let t = grid(t0, t1, k, steps);
        for ((p, &xi), &di) in point.iter_mut().zip(x).zip(d) {
            *p = xi + t * di;
        }
        *o = f(point);
        bad += usize::from(!o.is_finite());
    }
    Ok(bad)
}

/// `out[i·cols + j] = f(x + s_i·d1 + t_j·d2)` with `s_i` over `[s0, s1]` (`rows` points) and
/// `t_j` over `[t0, t1]` (`cols` points), row-major. Returns the number of non-finite values.
#[allow(clippy::too_many_arguments)]
pub fn slice_2d<T: Real, F: FnMut(&[T]) -> T + ?Sized>(
    f: &mut F,
    x: &[T],
    d1: &[T],
    d2: &[T],
    s: (T, T),
    t: (T, T),
    rows: usize,
    point: &mut [T],
    out: &mut [T],
) -> Result<usize, Error> {
    let n = x.len();
    check_len(d1.len(), n)?;
    check_len(d2.len(), n)?;
    check_len(point.len(), n)?;
    if rows == 0 || out.is_empty() {
        return Err(Error::Empty);
    }
    if !out.len().is_multiple_of(rows) {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    check_finite(d1)?;
    check_finite(d2)?;
    check_range(s.0, s.1)?;
    check_range(t.0, t.1)?;
    let cols = out.len() / rows;
    if cols == 0 {
        return Err(Error::Empty);
    }
    let mut bad = 0;
    for (i, row) in out.chunks_exact_mut(cols).enumerate() {
        let si = grid(s.0, s.1, i, rows);
        for (j, o) in row.iter_mut().enumerate() {
            let tj = grid(t.0, t.1, j, cols);
            for (((p, &xi), &a), &b) in point.iter_mut().zip(x).zip(d1).zip(d2) {
                *p = xi + si * a + tj * b;
            }
            *o = f(point);
            bad += usize::from(!o.is_finite());
        }
    }
    Ok(bad)
}

/// A random unit direction (standard normal, normalized) into `out`. A generator that only
/// ever yields zero vectors (a stub, a failed hardware RNG) gives [`Error::NoConvergence`]
/// after 8 draws instead of looping.
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(8);
/// let mut d = [0.0f64; 5];
/// lossmap::landscape::random_direction(&mut rng, &mut d).unwrap();
/// assert!((lossmap::linalg::norm2(&d) - 1.0).abs() < 1e-14);
/// ```
pub fn random_direction<T: Real, R: RngCore + ?Sized>(
    rng: &mut R,
    out: &mut [T],
) -> Result<(), Error> {
    if out.is_empty() {
        return Err(Error::Empty);
    }
    for _ in 0..8 {
        out.iter_mut().for_each(|a| *a = normal(rng));
        let nrm = norm2(out);
        if nrm > T::ZERO && nrm.is_finite() {
            out.iter_mut().for_each(|a| *a /= nrm);
            return Ok(());
        }
    }
    Err(Error::NoConvergence)
}

/// Filter normalization: for each group of consecutive coordinates (sizes in `groups`, summing
/// to n; empty `groups` = one group), rescale `d`'s group to the norm of `x`'s group. A group
/// where `x` is zero gets a zero direction (Li et al. leave such filters unperturbed).
///
/// ```
/// let mut d = [3.0f64, 4.0, 1.0];
/// lossmap::landscape::filter_normalize(&[1.0, 0.0, -2.0], &[2, 1], &mut d).unwrap();
/// assert_eq!(d, [0.6, 0.8, 2.0]);
/// ```
pub fn filter_normalize<T: Real>(x: &[T], groups: &[usize], d: &mut [T]) -> Result<(), Error> {
    let n = x.len();
    check_len(d.len(), n)?;
    check_finite(x)?;
    check_finite(d)?;
    let whole = [n];
    let groups = if groups.is_empty() {
        &whole[..]
    } else {
        groups
    };
    if groups.iter().try_fold(0usize, |s, &g| s.checked_add(g)) != Some(n) || groups.contains(&0) {
        return Err(Error::LengthMismatch);
    }
    let mut start = 0;
    for &g in groups {
        let (xs, ds) = match (x.get(start..start + g), d.get_mut(start..start + g)) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(Error::LengthMismatch),
        };
        let (nx, nd) = (norm2(xs), norm2(ds));
        ds.iter_mut()
            .for_each(|a| *a = if nd > T::ZERO { *a * nx / nd } else { T::ZERO });
        start += g;
    }
    Ok(())
}
