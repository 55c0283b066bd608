//! Gradient modifiers: clipping by the global norm (as `torch.nn.utils.clip_grad_norm_`) and
//! annealed Gaussian gradient noise (Neelakantan et al., *Adding Gradient Noise Improves
//! Learning for Very Deep Networks*, 2015).

use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm2;
use crate::random::normal;
use crate::Real;
use rand_core::Rng;

/// Clips `g` by its norm in place: when `‖g‖₂ > max_norm`, `g ← g · max_norm / (‖g‖₂ + 1e-6)`
/// (torch's `clip_grad_norm_` formula). Returns the norm before clipping.
/// [`Error::InvalidParameter`] unless `max_norm` is finite and > 0; an empty or non-finite `g`
/// is an error; nothing is written on error.
///
/// ```
/// let mut g = [3.0f64, 4.0];
/// assert_eq!(lossmap::optim::clip_grad_norm(&mut g, 1.0), Ok(5.0));
/// assert!((g[0] - 0.6).abs() < 1e-6 && (g[1] - 0.8).abs() < 1e-6);
/// let mut small = [0.3f64, 0.4];
/// lossmap::optim::clip_grad_norm(&mut small, 1.0).unwrap();
/// assert_eq!(small, [0.3, 0.4]);
/// ```
pub fn clip_grad_norm<T: Real>(g: &mut [T], max_norm: T) -> Result<T, Error> {
    check_len(g.len(), g.len())?;
    if !(max_norm.is_finite() && max_norm > T::ZERO) {
        return Err(Error::InvalidParameter);
    }
    check_finite(g)?;
    let norm = norm2(g);
    if !norm.is_finite() {
        return Err(Error::NonFiniteInput);
    }
    if norm > max_norm {
        let scale = max_norm / (norm + T::from_f64(1e-6));
        g.iter_mut().for_each(|v| *v *= scale);
    }
    Ok(norm)
}

/// The noise scale `σ_t = √(η / (1 + t)^γ)` of [`gradient_noise`].
/// [`Error::InvalidParameter`] unless `η ≥ 0` and `γ ≥ 0` are finite.
///
/// ```
/// let s: f64 = lossmap::optim::noise_sigma(0.3, 0.55, 0).unwrap();
/// assert!((s - 0.3f64.sqrt()).abs() < 1e-15);
/// ```
pub fn noise_sigma<T: Real>(eta: T, gamma: T, t: u32) -> Result<T, Error> {
    let ok = |v: T| v.is_finite() && v >= T::ZERO;
    if !(ok(eta) && ok(gamma)) {
        return Err(Error::InvalidParameter);
    }
    let base = T::ONE + T::from_f64(f64::from(t));
    Ok((eta / base.powf(gamma)).sqrt())
}

/// Adds annealed Gaussian noise to `g` in place: `g ← g + σ_t z`, `z ~ N(0, I)` drawn from
/// `rng`, `σ_t² = η / (1 + t)^γ` (Neelakantan et al. use η ∈ {0.01, 0.3, 1}, γ = 0.55).
/// Returns `σ_t`. Bad `η`/`γ`, an empty or non-finite `g` are errors with nothing written (and
/// nothing drawn); a draw that would overflow returns [`Error::NonFiniteGradient`] unwritten.
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// let mut g = [1.0f64; 4];
/// let s = lossmap::optim::gradient_noise(&mut g, 0.01, 0.55, 10, &mut rng).unwrap();
/// assert!(s > 0.0 && g.iter().all(|v| (v - 1.0).abs() < 10.0 * s));
/// ```
pub fn gradient_noise<T: Real, R: Rng + ?Sized>(
    g: &mut [T],
    eta: T,
    gamma: T,
    t: u32,
    rng: &mut R,
) -> Result<T, Error> {
    check_len(g.len(), g.len())?;
    let sigma = noise_sigma(eta, gamma, t)?;
    check_finite(g)?;
    // |z| from Box–Muller is below √(−2 ln 2⁻⁵³) < 9, so |g| + 16σ < MAX cannot overflow.
    let limit = T::MAX_R * T::HALF;
    if sigma >= limit / T::from_f64(16.0) || g.iter().any(|v| v.abs() >= limit) {
        return Err(Error::NonFiniteGradient);
    }
    for v in g.iter_mut() {
        *v += sigma * normal::<T, R>(rng);
    }
    Ok(sigma)
}
