//! Sharpness and flatness of a minimum:
//!
//! * **ε-sharpness**: the largest rise of the loss within an L2 ball of radius ε,
//!   `max_{‖δ‖≤ε} f(x+δ) − f(x)` (Keskar et al., ICLR 2017, with the L2 ball of SAM, Foret et al.,
//!   ICLR 2021), estimated by projected normalized gradient ascent from the centre;
//! * **expected loss under Gaussian parameter noise** `E[f(x + σz)]`, `z ~ N(0, I)`, sampled with
//!   a seeded RNG, beside its second-order estimate `f(x) + σ²/2 · tr H` (the Taylor expansion
//!   averaged over the noise);
//! * **curvature stability**: the third directional derivative along each Hessian eigenvector
//!   (how fast the curvature changes as one walks out of the basin).

use super::convexity::{HessianScratch, ScratchArrays};
use crate::diff::directional;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, norm2};
use crate::objective::{Fixed, SliceObjective};
use crate::random::normal;
use crate::{Objective, Real};
use rand_core::Rng;

/// Result of [`epsilon_sharpness`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sharpness<T, const N: usize> {
    /// Largest rise `f(x + δ) − f(x)` found with `‖δ‖ ≤ ε`.
    pub rise: T,
    /// The perturbation that achieved it.
    pub delta: [T; N],
    /// Ascent steps allowed (the ascent stops early where the gradient vanishes).
    pub steps: usize,
}

/// Slice kernel of ε-sharpness: returns the largest rise and writes its perturbation to
/// `best`; `work` needs `3n` (current perturbation, point, gradient).
#[allow(clippy::too_many_arguments)]
pub fn epsilon_sharpness_slice<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized>(
    obj: &mut O,
    x: &[T],
    eps: T,
    steps: usize,
    rng: &mut R,
    best: &mut [T],
    work: &mut [T],
) -> Result<T, Error> {
    let n = x.len();
    check_len(best.len(), n)?;
    check_finite(x)?;
    if !eps.is_finite() || eps <= T::ZERO || steps == 0 {
        return Err(Error::InvalidParameter);
    }
    let (delta, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (point, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let g = rest.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let f0 = obj.value(x);
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
    obj.gradient(point, g)?;
    if norm2(g) > T::ZERO {
        delta.iter_mut().zip(g.iter()).for_each(|(d, &v)| *d = v);
    } else {
        delta.iter_mut().for_each(|d| *d = normal(rng));
    }
    scale_to(delta, eps);
    let mut rise_best = T::ZERO;
    best.iter_mut().for_each(|b| *b = T::ZERO);
    let step = eps * T::from_f64(0.25);
    for _ in 0..steps {
        point
            .iter_mut()
            .zip(x.iter().zip(delta.iter()))
            .for_each(|(p, (&a, &d))| *p = a + d);
        let rise = obj.value(point) - f0;
        if !rise.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        if rise > rise_best {
            rise_best = rise;
            best.iter_mut().zip(delta.iter()).for_each(|(b, &d)| *b = d);
        }
        obj.gradient(point, g)?;
        let gn = norm2(g);
        if gn == T::ZERO || !gn.is_finite() {
            break;
        }
        delta
            .iter_mut()
            .zip(g.iter())
            .for_each(|(d, &gi)| *d += step * gi / gn);
        if norm2(delta) > eps {
            scale_to(delta, eps);
        }
    }
    Ok(rise_best)
}

/// ε-sharpness of `obj` at `x`: `steps` projected normalized-gradient ascent steps of length
/// `ε/4` inside the ball `‖δ‖ ≤ ε`, started along the gradient (or along a random direction
/// drawn from `rng` where the gradient vanishes). For a quadratic the answer is `½ λ_max ε²`.
///
/// ```
/// use lossmap::landscape::epsilon_sharpness;
/// use rand_core::SeedableRng;
/// let mut bowl = |x: &[f64; 2]| 0.5 * (x[0] * x[0] + 9.0 * x[1] * x[1]);
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(2);
/// let s = epsilon_sharpness(&mut bowl, &[0.0, 0.0], 0.1, 50, &mut rng).unwrap();
/// assert!((s.rise - 0.5 * 9.0 * 0.01).abs() < 1e-6);
/// ```
pub fn epsilon_sharpness<T: Real, O: Objective<T, N> + ?Sized, R: Rng + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    eps: T,
    steps: usize,
    rng: &mut R,
) -> Result<Sharpness<T, N>, Error> {
    let mut work = [[T::ZERO; N]; 3];
    let mut delta = [T::ZERO; N];
    let rise = epsilon_sharpness_slice(
        &mut Fixed::<O, N>(obj),
        x,
        eps,
        steps,
        rng,
        &mut delta,
        work.as_flattened_mut(),
    )?;
    Ok(Sharpness { rise, delta, steps })
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

/// Slice kernel of [`noisy_loss`]; `point` (n) and `hessian` (n×n) are scratch.
///
/// A NaN/Inf loss, or finite losses whose statistics overflow (a variance or a trace term
/// beyond the type's range), give [`Error::NonFiniteLoss`]: every field of an `Ok` result is
/// finite.
#[allow(clippy::too_many_arguments)]
pub fn noisy_loss_slice<T: Real, O: SliceObjective<T> + ?Sized, R: Rng + ?Sized>(
    obj: &mut O,
    x: &[T],
    sigma: T,
    samples: usize,
    rng: &mut R,
    point: &mut [T],
    hessian: &mut [T],
) -> Result<NoisyLoss<T>, Error> {
    let n = x.len();
    check_len(point.len(), n)?;
    check_finite(x)?;
    if !sigma.is_finite() || sigma < T::ZERO || samples < 2 {
        return Err(Error::InvalidParameter);
    }
    let loss = obj.value(x);
    if !loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    point.iter_mut().zip(x).for_each(|(p, &v)| *p = v);
    obj.hessian(point, hessian)?;
    let trace = (0..n).fold(T::ZERO, |s, i| s + at(hessian, i * n + i));
    let (mut mean, mut m2) = (T::ZERO, T::ZERO);
    for k in 0..samples {
        point
            .iter_mut()
            .zip(x)
            .for_each(|(p, &v)| *p = v + sigma * normal(rng));
        let v = obj.value(point);
        if !v.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        let count = T::from_usize(k + 1);
        let d = v - mean;
        mean += d / count;
        m2 += d * (v - mean);
    }
    let var = m2 / T::from_usize(samples - 1);
    let r = NoisyLoss {
        loss,
        sampled: mean,
        std_error: (var / T::from_usize(samples)).sqrt(),
        second_order: loss + sigma * sigma * T::HALF * trace,
    };
    // Finite samples can still overflow the variance (spread ≳ √MAX) or the trace term.
    if [r.sampled, r.std_error, r.second_order]
        .iter()
        .all(|v| v.is_finite())
    {
        Ok(r)
    } else {
        Err(Error::NonFiniteLoss)
    }
}

/// `E[f(x + σz)]` by `samples` draws from `rng`, beside `f(x) + σ²/2 · tr H`.
///
/// ```
/// use lossmap::landscape::noisy_loss;
/// use rand_core::SeedableRng;
/// // A quadratic: the second-order formula is exact, E = σ²/2 · tr H = 0.01/2 · 4 = 0.02.
/// let mut bowl = |x: &[f64; 2]| x[0] * x[0] + x[1] * x[1];
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(4);
/// let r = noisy_loss(&mut bowl, &[0.0, 0.0], 0.1, 4000, &mut rng).unwrap();
/// assert!((r.second_order - 0.02).abs() < 1e-8);
/// assert!((r.sampled - 0.02).abs() < 4.0 * r.std_error);
/// ```
pub fn noisy_loss<T: Real, O: Objective<T, N> + ?Sized, R: Rng + ?Sized, const N: usize>(
    obj: &mut O,
    x: &[T; N],
    sigma: T,
    samples: usize,
    rng: &mut R,
) -> Result<NoisyLoss<T>, Error> {
    let mut point = [T::ZERO; N];
    let mut h = [[T::ZERO; N]; N];
    noisy_loss_slice(
        &mut Fixed::<O, N>(obj),
        x,
        sigma,
        samples,
        rng,
        &mut point,
        h.as_flattened_mut(),
    )
}

/// Curvature and its rate of change along each Hessian eigenvector at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CurvatureStability<T: Real, const N: usize> {
    /// Eigenvalues of the Hessian, ascending.
    pub values: [T; N],
    /// Unit eigenvectors as rows.
    pub vectors: [[T; N]; N],
    /// Third directional derivative `D³f[v_k, v_k, v_k]` along each eigenvector.
    pub third: [T; N],
}

/// Slice kernel of [`curvature_stability`]: eigen-analysis into `scratch`, third derivatives
/// along each eigenvector into `third` (5 evaluations each).
pub fn curvature_stability_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    scratch: &mut HessianScratch<'_, T>,
    third: &mut [T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(third.len(), n)?;
    scratch.analyse(obj, x)?;
    for (t, v) in third
        .iter_mut()
        .zip(crate::linalg::rows(scratch.vectors, n))
    {
        *t = directional(&mut |p: &[T]| obj.value(p), x, v, scratch.point)?.third;
    }
    Ok(())
}

/// Third directional derivatives along the Hessian's eigenvectors (5 evaluations each).
///
/// ```
/// use lossmap::landscape::curvature_stability;
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
    let mut arrays = ScratchArrays::<T, N>::new();
    let mut third = [T::ZERO; N];
    let mut view = arrays.view();
    curvature_stability_slice(&mut Fixed::<O, N>(obj), x, &mut view, &mut third)?;
    let mut out = CurvatureStability {
        values: [T::ZERO; N],
        vectors: [[T::ZERO; N]; N],
        third,
    };
    out.values
        .iter_mut()
        .zip(view.values.iter())
        .for_each(|(o, &v)| *o = v);
    out.vectors
        .as_flattened_mut()
        .iter_mut()
        .zip(view.vectors.iter())
        .for_each(|(o, &v)| *o = v);
    Ok(out)
}
