//! Random variates from any [`rand_core::RngCore`]: uniform on [0, 1), Rademacher ±1, standard
//! normal (Box–Muller; Box & Muller, *Ann. Math. Statist.* 29, 1958). Every stochastic routine
//! in the crate draws through these, so a seeded generator reproduces a run bit for bit.

use crate::Real;
use rand_core::RngCore;

/// Uniform on [0, 1) with 53 random bits (24 for f32 after rounding down).
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(7);
/// let u: f64 = basin::random::uniform(&mut rng);
/// assert!((0.0..1.0).contains(&u));
/// ```
pub fn uniform<T: Real, R: RngCore + ?Sized>(rng: &mut R) -> T {
    let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let t = T::from_f64(u);
    // Rounding to f32 can reach 1.0; fold it back into [0, 1).
    if t >= T::ONE {
        T::ONE - T::EPSILON_R
    } else {
        t
    }
}

/// Uniform on [lo, hi).
pub fn uniform_in<T: Real, R: RngCore + ?Sized>(rng: &mut R, lo: T, hi: T) -> T {
    lo + (hi - lo) * uniform::<T, R>(rng)
}

/// +1 or −1 with equal probability.
pub fn rademacher<T: Real, R: RngCore + ?Sized>(rng: &mut R) -> T {
    if rng.next_u32() & 1 == 1 {
        T::ONE
    } else {
        -T::ONE
    }
}

/// A standard normal variate (Box–Muller, one of the pair).
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
/// let n = 20_000;
/// let (mut s, mut s2) = (0.0, 0.0);
/// for _ in 0..n { let z: f64 = basin::random::normal(&mut rng); s += z; s2 += z * z; }
/// assert!((s / n as f64).abs() < 0.03 && (s2 / n as f64 - 1.0).abs() < 0.05);
/// ```
pub fn normal<T: Real, R: RngCore + ?Sized>(rng: &mut R) -> T {
    // u1 ∈ (0, 1] so that ln(u1) is finite.
    let u1 = T::ONE - uniform::<T, R>(rng);
    let u2 = uniform::<T, R>(rng);
    (-T::TWO * u1.ln()).sqrt() * (T::TWO * T::PI_R * u2).cos()
}
