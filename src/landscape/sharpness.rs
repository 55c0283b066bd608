//! Sharpness and flatness of a minimum (seed 002):
//!
//! * **ε-sharpness**: the largest rise of the loss within an L2 ball of radius ε,
//!   `max_{‖δ‖≤ε} f(x+δ) − f(x)` (Keskar et al., ICLR 2017, with the L2 ball of SAM, Foret et al.,
//!   ICLR 2021), estimated by projected normalized gradient ascent from the centre;
//! * **expected loss under Gaussian parameter noise** `E[f(x + σz)]`, `z ~ N(0, I)`, sampled with
//!   a seeded RNG, beside its second-order estimate `f(x) + σ²/2 · tr H` (the Taylor expansion
//!   averaged over the noise);
//! * **curvature stability**: the third directional derivative along each Hessian eigenvector
//!   (how fast the curvature changes as one walks out of the basin, seed 000).

use crate::diff::directional_n;
use crate::error::{check_finite, Error};
use crate::linalg::{norm2, SymEigen};
use crate::random::normal;
use crate::{Objective, Real};
use rand_core::RngCore;

/// Result of [`epsilon_sharpness`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sharpness<T, const N: usize> {
    /// Largest rise `f(x + δ) − f(x)` found with `‖δ‖ ≤ ε`.
    pub rise: T,
    /// The perturbation that achieved it.
    pub delta: [T; N],
    /// Ascent steps taken.
    pub steps: usize,
}

/// ε-sharpness of `obj` at `x`: `steps` projected normalized-gradient ascent steps of length
/// `ε/4` inside the ball `‖δ‖ ≤ ε`, started along the gradient (or along a random direction
/// drawn from `rng` where the gradient vanishes). For a quadratic the answer is `½ λ_max ε²`.
///
/// ```
/// use basin::landscape::epsilon_sharpness;
/// use rand_core::SeedableRng;
/// let mut bowl = |x: &[f64; 2]| 0.5 * (x[0] * x[0] + 9.0 * x[1] * x[1]);
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(2);
/// let s = epsilon_sharpness(&mut bowl, &[0.0, 0.0], 0.1, 50, &mut rng).unwrap();
/// assert!((s.rise - 0.5 * 9.0 * 0.01).abs() < 1e-6);
/// ```
pub fn epsilon_sharpness<
    T: Real,
    O: Objective<T, N> + ?Sized,
    R: RngCore + ?Sized,
    const N: usize,
>(
    obj: &mut O,
    x: &[T; N],
    eps: T,
    steps: usize,
    rng: &mut R,
) -> Result<Sharpness<T, N>, Error> {
    check_finite(x)?;
    if !eps.is_finite() || eps <= T::ZERO || steps == 0 {
        return Err(Error::InvalidParameter);
    }
    let f0 = obj.value(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut g = [T::ZERO; N];
    obj.gradient(x, &mut g)?;
    let mut delta = if norm2(&g) > T::ZERO {
        g
    } else {
        core::array::from_fn(|_| normal(rng))
    };
    scale_to(&mut delta, eps);
    let mut best = Sharpness {
        rise: T::ZERO,
        delta: [T::ZERO; N],
        steps,
    };
    let step = eps * T::from_f64(0.25);
    for _ in 0..steps {
        let p = add(x, &delta);
        let rise = obj.value(&p) - f0;
        if !rise.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        if rise > best.rise {
            best.rise = rise;
            best.delta = delta;
        }
        obj.gradient(&p, &mut g)?;
        let gn = norm2(&g);
        if gn == T::ZERO {
            break;
        }
        for (d, &gi) in delta.iter_mut().zip(&g) {
            *d += step * gi / gn;
        }
        if norm2(&delta) > eps {
            scale_to(&mut delta, eps);
        }
    }
    Ok(best)
}

fn add<T: Real, const N: usize>(x: &[T; N], d: &[T; N]) -> [T; N] {
    core::array::from_fn(|i| {
        x.get(i).copied().unwrap_or(T::ZERO) + d.get(i).copied().unwrap_or(T::ZERO)
    })
}

/// Rescales `v` to norm `r` (unchanged if zero).
fn scale_to<T: Real>(v: &mut [T], r: T) {
    let n = norm2(v);
    if n > T::ZERO {
        v.iter_mut().for_each(|a| *a = *a * r / n);
    }
}

/// Expected loss under isotropic Gaussian parameter noise, sampled and predicted.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct NoisyLoss<T> {
    /// `f(x)`.
    pub loss: T,
    /// Monte-Carlo mean of `f(x + σz)`.
    pub sampled: T,
    /// Standard error of that mean.
    pub std_error: T,
    /// `f(x) + σ²/2 · tr H(x)`.
    pub second_order: T,
}

/// `E[f(x + σz)]` by `samples` draws from `rng`, beside `f(x) + σ²/2 · tr H`.
///
/// ```
/// use basin::landscape::noisy_loss;
/// use rand_core::SeedableRng;
/// // A quadratic: the second-order formula is exact, E = σ²/2 · tr H = 0.01/2 · 4 = 0.02.
/// let mut bowl = |x: &[f64; 2]| x[0] * x[0] + x[1] * x[1];
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(4);
/// let r = noisy_loss(&mut bowl, &[0.0, 0.0], 0.1, 4000, &mut rng).unwrap();
/// assert!((r.second_order - 0.02).abs() < 1e-8);
/// assert!((r.sampled - 0.02).abs() < 4.0 * r.std_error);
/// ```
pub fn noisy_loss<T: Real, O: Objective<T, N> + ?Sized, R: RngCore + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    sigma: T,
    samples: usize,
    rng: &mut R,
) -> Result<NoisyLoss<T>, Error> {
    check_finite(x)?;
    if !sigma.is_finite() || sigma < T::ZERO || samples < 2 {
        return Err(Error::InvalidParameter);
    }
    let loss = obj.value(x);
    if !loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut h = [[T::ZERO; N]; N];
    obj.hessian(x, &mut h)?;
    let trace = h.iter().enumerate().fold(T::ZERO, |s, (i, row)| {
        s + row.get(i).copied().unwrap_or(T::ZERO)
    });
    let (mut mean, mut m2) = (T::ZERO, T::ZERO);
    for k in 0..samples {
        let p: [T; N] =
            core::array::from_fn(|i| x.get(i).copied().unwrap_or(T::ZERO) + sigma * normal(rng));
        let v = obj.value(&p);
        if !v.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        let count = T::from_usize(k + 1);
        let d = v - mean;
        mean += d / count;
        m2 += d * (v - mean);
    }
    let var = m2 / T::from_usize(samples - 1);
    Ok(NoisyLoss {
        loss,
        sampled: mean,
        std_error: (var / T::from_usize(samples)).sqrt(),
        second_order: loss + sigma * sigma * T::HALF * trace,
    })
}

/// Curvature and its rate of change along each Hessian eigenvector at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CurvatureStability<T: Real, const N: usize> {
    /// Eigen-decomposition of the Hessian (values ascending, vectors as rows).
    pub eigen: SymEigen<T, N>,
    /// Third directional derivative `D³f[v_k, v_k, v_k]` along each eigenvector.
    pub third: [T; N],
}

/// Third directional derivatives along the Hessian's eigenvectors (5 evaluations each).
///
/// ```
/// use basin::landscape::curvature_stability;
/// // f = x³/6 + y²: along x the curvature grows at rate 1, along y it is constant.
/// let mut f = |v: &[f64; 2]| v[0].powi(3) / 6.0 + v[1] * v[1];
/// let s = curvature_stability(&mut f, &[0.5, 0.0]).unwrap();
/// // eigenvalues 0.5 (x) and 2 (y)
/// assert!((s.third[0].abs() - 1.0).abs() < 1e-3 && s.third[1].abs() < 1e-3);
/// ```
pub fn curvature_stability<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
) -> Result<CurvatureStability<T, N>, Error> {
    let mut h = [[T::ZERO; N]; N];
    obj.hessian(x, &mut h)?;
    let eigen = SymEigen::new(&h)?;
    let mut third = [T::ZERO; N];
    for (t, v) in third.iter_mut().zip(&eigen.vectors) {
        *t = directional_n(|p: &[T; N]| obj.value(p), x, v)?.third;
    }
    Ok(CurvatureStability { eigen, third })
}
