//! Pinning flat valleys: the fix for non-identifiability that imposes a normalization condition
//! cutting across the valley.
//!
//! Where an [`Identifiability`] report finds flat directions `d₁ … d_k` (combinations the data
//! do not determine), the loss has a valley of equally good minima and its Hessian is singular
//! there. Adding the penalty
//!
//! ```text
//! P(x) = (w/2) Σᵢ (dᵢᵀ(x − a))²,     ∇P = w Σᵢ (dᵢᵀ(x − a)) dᵢ,     ∇²P = w Σᵢ dᵢdᵢᵀ
//! ```
//!
//! for an anchor `a` (e.g. the point of the report, or a reference value of the parameters)
//! imposes, softly, the conditions `dᵢᵀ(x − a) = 0`: the hyperplane through `a` orthogonal to
//! the flat directions, which cuts the valley. This is Tikhonov regularization restricted to
//! the null space of the Hessian (Tikhonov & Arsenin, *Solutions of Ill-Posed Problems*, 1977;
//! for structurally non-identifiable models, the "fix one parameter or a combination" remedy of
//! Raue et al., *Bioinformatics* 25, 2009). On the flat directions the Hessian gains the
//! eigenvalue `w` and keeps every other eigen-pair, so the minimum becomes non-degenerate and
//! locally unique; on a straight valley (a linear non-identifiability, e.g. a sum of rates) it
//! is the unique minimum, the valley point `x` with `dᵢᵀ(x − a) = 0`. A curved valley can meet
//! the hyperplane more than once: each meeting is then a non-degenerate minimum.
//!
//! **Default weight**: the smallest curvature of the determined directions, so the pinned
//! Hessian's condition number is that of its determined part: the pin neither dominates the
//! landscape nor makes it stiffer than it already is. Since the penalty is zero on the
//! hyperplane, pinned minima that lie on the valley keep the loss's minimum value.

use super::identify::Identifiability;
use crate::error::{check_finite, check_len, Error};
use crate::{Objective, Real};
use heapless::Vec;

/// The rows of `n` values of `s` (`n ≥ 1` after [`check_pin`]; the `max` keeps the panic of a
/// zero chunk size out of the code).
fn rows<T>(s: &[T], n: usize) -> core::slice::ChunksExact<'_, T> {
    s.chunks_exact(n.max(1))
}

/// Checks the shared inputs of the kernels: `k×n` directions, `n`-vectors, weight > 0.
fn check_pin<T: Real>(dirs: &[T], n: usize, weight: T) -> Result<usize, Error> {
    if n == 0 {
        return Err(Error::Empty);
    }
    if !dirs.len().is_multiple_of(n) {
        return Err(Error::LengthMismatch);
    }
    if !weight.is_finite() || weight <= T::ZERO {
        return Err(Error::InvalidParameter);
    }
    check_finite(dirs)?;
    Ok(dirs.len() / n)
}

/// The penalty `(w/2) Σᵢ (dᵢᵀ(x − a))²` at `x`, with `dirs` the `k` directions as rows of a
/// `k×n` row-major slice (k = 0 gives 0) and `anchor` the point `a`; its gradient is *added* to
/// `grad` when given (so that a loss and its pin compose in one gradient buffer).
///
/// Errors, with nothing written: lengths, `n = 0` ([`Error::Empty`]), a `weight` that is not
/// finite and positive ([`Error::InvalidParameter`]), non-finite `dirs`, `anchor`, `x` or `grad`
/// ([`Error::NonFiniteInput`]), and a penalty or gradient beyond the type's range
/// ([`Error::NonFiniteLoss`]).
///
/// ```
/// use lossmap::landscape::pin_penalty;
/// // Pin the difference x₀ − x₁ (direction (1, −1)/√2) at the anchor (0, 0).
/// let d = [0.5f64.sqrt(), -(0.5f64.sqrt())];
/// let mut g = [0.0; 2];
/// let p = pin_penalty(&d, &[0.0, 0.0], 2.0, &[1.0, 0.0], Some(&mut g)).unwrap();
/// assert!((p - 0.5).abs() < 1e-15); // (2/2)·(1/√2)²
/// assert!((g[0] - 1.0).abs() < 1e-15 && (g[1] + 1.0).abs() < 1e-15);
/// ```
pub fn pin_penalty<T: Real>(
    dirs: &[T],
    anchor: &[T],
    weight: T,
    x: &[T],
    grad: Option<&mut [T]>,
) -> Result<T, Error> {
    let n = x.len();
    check_len(anchor.len(), n)?;
    if let Some(g) = grad.as_deref() {
        check_len(g.len(), n)?;
    }
    check_pin(dirs, n, weight)?;
    check_finite(anchor)?;
    check_finite(x)?;
    if let Some(g) = grad.as_deref() {
        check_finite(g)?;
    }
    // Projections cᵢ = dᵢᵀ(x − a), first: nothing is written before they are known finite.
    let proj = |d: &[T]| {
        d.iter()
            .zip(x.iter().zip(anchor))
            .fold(T::ZERO, |s, (&di, (&xi, &ai))| s + di * (xi - ai))
    };
    let mut value = T::ZERO;
    for d in rows(dirs, n) {
        let c = proj(d);
        value += c * c;
    }
    let value = weight * T::HALF * value;
    if !value.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    if let Some(g) = grad {
        // Check the sums before adding: compute each component of ∇P, then commit.
        let ok = (0..n).all(|j| {
            let gj = rows(dirs, n).fold(T::ZERO, |s, d| {
                s + proj(d) * d.get(j).copied().unwrap_or(T::ZERO)
            });
            (g.get(j).copied().unwrap_or(T::ZERO) + weight * gj).is_finite()
        });
        if !ok {
            return Err(Error::NonFiniteLoss);
        }
        for d in rows(dirs, n) {
            let c = weight * proj(d);
            for (gj, &dj) in g.iter_mut().zip(d) {
                *gj += c * dj;
            }
        }
    }
    Ok(value)
}

/// Adds the pin's Hessian `w Σᵢ dᵢdᵢᵀ` to the `n×n` row-major `h` (`dirs` as in
/// [`pin_penalty`]). Errors as [`pin_penalty`] (a non-finite sum: [`Error::NonFiniteLoss`]),
/// with `h` unchanged.
///
/// ```
/// use lossmap::landscape::pin_hessian;
/// let d = [0.6f64, 0.8];
/// let mut h = [1.0, 0.0, 0.0, 1.0];
/// pin_hessian(&d, 2, 5.0, &mut h).unwrap();
/// let want = [1.0 + 5.0 * 0.36, 5.0 * 0.48, 5.0 * 0.48, 1.0 + 5.0 * 0.64];
/// assert!(h.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-14));
/// ```
pub fn pin_hessian<T: Real>(dirs: &[T], n: usize, weight: T, h: &mut [T]) -> Result<(), Error> {
    check_pin(dirs, n, weight)?;
    if Some(h.len()) != n.checked_mul(n) {
        return Err(Error::LengthMismatch);
    }
    check_finite(h)?;
    let entry = |i: usize, j: usize| {
        rows(dirs, n).fold(T::ZERO, |s, d| {
            s + d.get(i).copied().unwrap_or(T::ZERO) * d.get(j).copied().unwrap_or(T::ZERO)
        })
    };
    let ok = rows(h, n).enumerate().all(|(i, row)| {
        row.iter()
            .enumerate()
            .all(|(j, &hij)| (hij + weight * entry(i, j)).is_finite())
    });
    if !ok {
        return Err(Error::NonFiniteLoss);
    }
    for (i, row) in h.chunks_exact_mut(n.max(1)).enumerate() {
        for (j, hij) in row.iter_mut().enumerate() {
            *hij += weight * entry(i, j);
        }
    }
    Ok(())
}

/// The default pin weight for ascending eigenvalues `values` whose flat run is
/// `start..start + count` (as [`flat_range`](super::flat_range) returns it): the smallest
/// `|λ|` outside the run (1 when every direction is flat). See the module doc.
///
/// ```
/// use lossmap::landscape::{flat_range, pin_weight};
/// let values = [1e-12f64, 0.5, 3.0];
/// let (start, count) = flat_range(&values, 1e-6).unwrap();
/// assert_eq!(pin_weight(&values, start, count), Ok(0.5));
/// ```
pub fn pin_weight<T: Real>(values: &[T], start: usize, count: usize) -> Result<T, Error> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(values)?;
    let end = start.checked_add(count).ok_or(Error::InvalidParameter)?;
    if end > values.len() {
        return Err(Error::InvalidParameter);
    }
    let w = values
        .iter()
        .enumerate()
        .filter(|(k, _)| !(start..end).contains(k))
        .map(|(_, v)| v.abs())
        .fold(None, |m: Option<T>, v| Some(m.map_or(v, |m| m.min(v))));
    Ok(match w {
        Some(w) if w > T::ZERO => w,
        _ => T::ONE,
    })
}

/// An objective with its flat valleys pinned: `f(x) + (w/2) Σᵢ (dᵢᵀ(x − a))²` over the flat
/// directions of an [`Identifiability`] report, with gradient and Hessian (the inner
/// objective's, finite-difference by default, plus the pin's closed forms).
///
/// ```
/// use lossmap::landscape::{classify_at, CriticalPoint, Identifiability, Pinned, Tolerance};
/// use lossmap::testfn::TwoRate;
/// use lossmap::Objective;
/// let mut m = TwoRate::<f64>::new(1.3).unwrap();
/// let x = [0.4, 0.9]; // on the valley k₁ + k₂ = 1.3
/// let mut h = [[0.0; 2]; 2];
/// m.hessian(&x, &mut h).unwrap();
/// let id = Identifiability::of_hessian(&h, 1e-6).unwrap();
/// let tol = Tolerance::default();
/// assert!(matches!(classify_at(&mut m, &x, &tol).unwrap().0, CriticalPoint::Degenerate { .. }));
/// let mut pinned = Pinned::new(&mut m, &id, x, None).unwrap();
/// assert_eq!(classify_at(&mut pinned, &x, &tol).unwrap().0, CriticalPoint::Minimum);
/// ```
#[derive(Debug)]
pub struct Pinned<'a, O: ?Sized, T, const N: usize> {
    inner: &'a mut O,
    anchor: [T; N],
    dirs: Vec<[T; N], N>,
    weight: T,
}

impl<'a, O: Objective<T, N> + ?Sized, T: Real, const N: usize> Pinned<'a, O, T, N> {
    /// Pins the flat directions of `report` at `anchor` with `weight` (`None`: the smallest
    /// determined curvature, see the module doc). [`Error::NonFiniteInput`] for a non-finite
    /// anchor, [`Error::InvalidParameter`] for a weight that is not finite and > 0.
    pub fn new(
        inner: &'a mut O,
        report: &Identifiability<T, N>,
        anchor: [T; N],
        weight: Option<T>,
    ) -> Result<Self, Error> {
        check_finite(&anchor)?;
        let weight = match weight {
            Some(w) => w,
            None => report
                .determined
                .iter()
                .map(|d| d.curvature.abs())
                .fold(None, |m: Option<T>, v| Some(m.map_or(v, |m| m.min(v))))
                .filter(|&w| w > T::ZERO)
                .unwrap_or(T::ONE),
        };
        if !weight.is_finite() || weight <= T::ZERO {
            return Err(Error::InvalidParameter);
        }
        let mut dirs = Vec::new();
        for d in &report.flat {
            check_finite(&d.vector)?;
            // At most N flat directions: a push never finds the list full.
            let _ = dirs.push(d.vector);
        }
        Ok(Pinned {
            inner,
            anchor,
            dirs,
            weight,
        })
    }

    /// The pin's weight `w`.
    pub fn weight(&self) -> T {
        self.weight
    }

    /// The pinned directions.
    pub fn directions(&self) -> &[[T; N]] {
        &self.dirs
    }

    /// The penalty at `x` (0 on the hyperplane through the anchor).
    pub fn penalty(&self, x: &[T; N]) -> T {
        let s = self.dirs.iter().fold(T::ZERO, |s, d| {
            let c = d
                .iter()
                .zip(x.iter().zip(&self.anchor))
                .fold(T::ZERO, |s, (&di, (&xi, &ai))| s + di * (xi - ai));
            s + c * c
        });
        self.weight * T::HALF * s
    }
}

impl<O: Objective<T, N> + ?Sized, T: Real, const N: usize> Objective<T, N> for Pinned<'_, O, T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        self.inner.value(x) + self.penalty(x)
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        // In a local first: `g` is written only on success, as the trait requires.
        let mut work = [T::ZERO; N];
        let evals = self.inner.gradient(x, &mut work)?;
        pin_penalty(
            self.dirs.as_flattened(),
            &self.anchor,
            self.weight,
            x,
            Some(&mut work),
        )
        .map_err(|_| Error::NonFiniteGradient)?;
        *g = work;
        Ok(evals)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        // As the trait requires, `h` is written only on success (the inner Hessian goes to a
        // local first; the pin's sum can overflow only for a huge weight).
        let mut work = [[T::ZERO; N]; N];
        let evals = self.inner.hessian(x, &mut work)?;
        pin_hessian(
            self.dirs.as_flattened(),
            N,
            self.weight,
            work.as_flattened_mut(),
        )
        .map_err(|_| Error::NonFiniteInput)?;
        *h = work;
        Ok(evals)
    }
}
