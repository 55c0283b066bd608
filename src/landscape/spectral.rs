//! Spectral estimates from Hessian–vector products alone, for N too large for a dense Hessian
//! on a small device (the approach of PyHessian, Yao et al. 2020):
//!
//! * top-k eigenvalues by magnitude: power iteration with deflation, each new vector kept
//!   orthogonal to those already found (Golub & Van Loan §8.2.1; §7.3.2 for the
//!   orthogonalization);
//! * trace by Hutchinson's estimator `tr H ≈ (1/m) Σ zᵀHz` with Rademacher probes `z`
//!   (Hutchinson, *Comm. Statist. Simul.* 18, 1989), with its standard error.
//!
//! Each product costs two gradient calls (see [`hvp`](crate::diff::hvp)).

use crate::diff::hvp;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{dot, norm2};
use crate::random::{normal, rademacher};
use crate::{Objective, Real};
use rand_core::Rng;

/// Splits `work` (≥ 4n) into four n-slices.
fn four<T>(work: &mut [T], n: usize) -> Result<[&mut [T]; 4], Error> {
    let (a, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (b, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (c, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (d, _) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    Ok([a, b, c, d])
}

/// Removes from `w` its components along the first `k` rows (unit, orthogonal) of `basis`.
fn project_out<T: Real>(w: &mut [T], basis: &[T], k: usize) {
    for v in crate::linalg::rows(basis, w.len()).take(k) {
        let c = dot(v, w).unwrap_or(T::ZERO);
        w.iter_mut().zip(v).for_each(|(a, &b)| *a -= c * b);
    }
}

/// The `k` eigenvalues of largest magnitude of the Hessian at `x`, and their unit
/// eigenvectors, by power iteration with deflation; only Hessian–vector products are used.
///
/// `values` (k) and `vectors` (k×n, rows) receive the results in the order found (decreasing
/// magnitude); `work` needs `4n`. Each vector iterates until the Rayleigh quotient changes by at
/// most `tol·|λ|` or `max_iter` products. Returns the Hessian–vector products used.
/// Products that overflow give [`Error::NonFiniteGradient`] (`values`/`vectors` then hold
/// the pairs found before): an `Ok` result is finite.
#[allow(clippy::too_many_arguments)]
pub fn power_iteration<T: Real, G, R>(
    grad: &mut G,
    x: &[T],
    values: &mut [T],
    vectors: &mut [T],
    work: &mut [T],
    rng: &mut R,
    max_iter: usize,
    tol: T,
) -> Result<usize, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
    R: Rng + ?Sized,
{
    let n = x.len();
    let k = values.len();
    if n == 0 || k == 0 {
        return Err(Error::Empty);
    }
    if k > n || k.checked_mul(n) != Some(vectors.len()) || work.len() < 4 * n {
        return Err(Error::LengthMismatch);
    }
    check_finite(x)?;
    if max_iter == 0 || !tol.is_finite() || tol < T::ZERO {
        return Err(Error::InvalidParameter);
    }
    let [v, w, point, gm] = four(work, n)?;
    let mut products = 0usize;
    for j in 0..k {
        v.iter_mut().for_each(|a| *a = normal(rng));
        project_out(v, vectors, j);
        let nv = norm2(v);
        if nv == T::ZERO {
            return Err(Error::NoConvergence);
        }
        v.iter_mut().for_each(|a| *a /= nv);
        let mut lambda = T::ZERO;
        for it in 0..max_iter {
            products += hvp(grad, x, v, w, point, gm)?;
            project_out(w, vectors, j);
            let new = dot(v, w)?;
            let nw = norm2(w);
            // Finite products whose Rayleigh quotient or norm overflow: a derived value.
            if !(new.is_finite() && nw.is_finite()) {
                return Err(Error::NonFiniteGradient);
            }
            if nw == T::ZERO {
                lambda = T::ZERO;
                break;
            }
            w.iter().zip(v.iter_mut()).for_each(|(&a, b)| *b = a / nw);
            let done = it > 0 && (new - lambda).abs() <= tol * new.abs();
            lambda = new;
            if done {
                break;
            }
        }
        if let Some(slot) = values.get_mut(j) {
            *slot = lambda;
        }
        for (i, &b) in v.iter().enumerate() {
            crate::linalg::put(vectors, j * n + i, b);
        }
    }
    Ok(products)
}

/// A trace estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct TraceEstimate<T> {
    /// Mean of `zᵀHz` over the probes.
    pub trace: T,
    /// Standard error of that mean (sample standard deviation / √probes).
    pub std_error: T,
    /// Hessian–vector products used (one per probe).
    pub products: usize,
}

/// Hutchinson's trace estimate of the Hessian at `x` with `probes` Rademacher vectors;
/// `work` needs `4n`. Finite products whose mean or variance overflow give
/// [`Error::NonFiniteGradient`]: an `Ok` estimate is finite.
pub fn hutchinson_trace<T: Real, G, R>(
    grad: &mut G,
    x: &[T],
    probes: usize,
    work: &mut [T],
    rng: &mut R,
) -> Result<TraceEstimate<T>, Error>
where
    G: FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + ?Sized,
    R: Rng + ?Sized,
{
    let n = x.len();
    if n == 0 || probes == 0 {
        return Err(Error::Empty);
    }
    check_len(work.len().min(4 * n), 4 * n)?;
    check_finite(x)?;
    let [z, hz, point, gm] = four(work, n)?;
    let (mut mean, mut m2) = (T::ZERO, T::ZERO);
    for p in 0..probes {
        z.iter_mut().for_each(|a| *a = rademacher(rng));
        hvp(grad, x, z, hz, point, gm)?;
        let s = dot(z, hz)?;
        // Welford's running mean and variance.
        let count = T::from_usize(p + 1);
        let delta = s - mean;
        mean += delta / count;
        m2 += delta * (s - mean);
    }
    let var = if probes > 1 {
        m2 / T::from_usize(probes - 1)
    } else {
        T::ZERO
    };
    let std_error = (var / T::from_usize(probes)).sqrt();
    // Finite products can still overflow the mean or the variance.
    if !(mean.is_finite() && std_error.is_finite()) {
        return Err(Error::NonFiniteGradient);
    }
    Ok(TraceEstimate {
        trace: mean,
        std_error,
        products: probes,
    })
}

/// The `K` largest-magnitude eigenpairs found by [`top_eigen_n`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopEigen<T, const N: usize, const K: usize> {
    /// Eigenvalues, decreasing magnitude.
    pub values: [T; K],
    /// Unit eigenvectors as rows.
    pub vectors: [[T; N]; K],
    /// Hessian–vector products used.
    pub products: usize,
}

/// Typed power iteration with deflation on `obj`'s gradient.
///
/// ```
/// use lossmap::landscape::top_eigen_n;
/// use lossmap::testfn::Rosenbrock;
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// let top = top_eigen_n::<f64, _, _, 2, 1>(&mut Rosenbrock, &[1.0, 1.0], &mut rng, 200, 1e-12).unwrap();
/// let exact = 501.0 + (301.0f64 * 301.0 + 400.0 * 400.0).sqrt();
/// assert!((top.values[0] - exact).abs() / exact < 1e-6);
/// ```
pub fn top_eigen_n<
    T: Real,
    O: Objective<T, N> + ?Sized,
    R: Rng + ?Sized,
    const N: usize,
    const K: usize,
>(
    obj: &mut O,
    x: &[T; N],
    rng: &mut R,
    max_iter: usize,
    tol: T,
) -> Result<TopEigen<T, N, K>, Error> {
    let mut out = TopEigen {
        values: [T::ZERO; K],
        vectors: [[T::ZERO; N]; K],
        products: 0,
    };
    let mut work = [[T::ZERO; N]; 4];
    out.products = power_iteration(
        &mut grad_of(obj),
        x,
        &mut out.values,
        out.vectors.as_flattened_mut(),
        work.as_flattened_mut(),
        rng,
        max_iter,
        tol,
    )?;
    Ok(out)
}

/// Typed Hutchinson trace estimate on `obj`'s gradient.
///
/// ```
/// use lossmap::landscape::hutchinson_trace_n;
/// use rand_core::SeedableRng;
/// // A diagonal Hessian: every Rademacher probe gives the exact trace.
/// let mut bowl = |x: &[f64; 3]| 0.5 * (x[0] * x[0] + 2.0 * x[1] * x[1] + 3.0 * x[2] * x[2]);
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(9);
/// let t = hutchinson_trace_n(&mut bowl, &[0.1, 0.2, 0.3], 8, &mut rng).unwrap();
/// assert!((t.trace - 6.0).abs() < 1e-6);
/// ```
pub fn hutchinson_trace_n<T: Real, O: Objective<T, N> + ?Sized, R: Rng + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    probes: usize,
    rng: &mut R,
) -> Result<TraceEstimate<T>, Error> {
    let mut work = [[T::ZERO; N]; 4];
    hutchinson_trace(&mut grad_of(obj), x, probes, work.as_flattened_mut(), rng)
}

/// The objective's gradient seen through slices.
pub(crate) fn grad_of<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
) -> impl FnMut(&mut [T], &mut [T]) -> Result<usize, Error> + '_ {
    move |p: &mut [T], g: &mut [T]| {
        let a = <&[T; N]>::try_from(&*p).map_err(|_| Error::LengthMismatch)?;
        let ga = <&mut [T; N]>::try_from(g).map_err(|_| Error::LengthMismatch)?;
        obj.gradient(a, ga)
    }
}
