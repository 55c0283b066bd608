//! Random variates from any [`rand_core::Rng`]: uniform on [0, 1), Rademacher ±1, standard
//! normal (Box–Muller; Box & Muller, *Ann. Math. Statist.* 29, 1958). Every stochastic routine
//! in the crate draws through these, so a seeded generator reproduces a run bit for bit.
//!
//! # Generators
//!
//! Every stochastic routine takes `&mut R` for any `R: rand_core::Rng + ?Sized` (rand_core 0.10,
//! the version of `rand` 0.10 and `rand_xorshift` 0.5; `&mut dyn Rng` works too). `Rng` is
//! rand_core 0.10's infallible generator, the trait 0.9 called `RngCore`: implement
//! `rand_core::TryRng` with `type Error = Infallible` and `Rng` follows. The C ABI uses
//! [`SplitMix64`].
//!
//! Generators written against older rand_core releases go through a wrapper that forwards
//! `next_u32`, `next_u64` and `fill_bytes` unchanged (the same stream as the generator gives
//! directly; `CryptoRng` passed on; no check and no panic added), around the generator or a
//! `&mut` to it:
//! - [`Rng09`] (feature `rand_core_0_9`) wraps a rand_core 0.9 `RngCore`;
//! - [`Rng06`] (feature `rand_core_0_6`) wraps a rand_core 0.6 `RngCore`.
//!
//! Embedded HALs whose RNG peripheral implements only these older versions, as of the latest
//! commit of each repository (read in mid-2026; released versions can lag behind):
//! - rand_core 0.9: `stm32f4xx-hal` 0.23 (also 0.6), `rp2040-hal` 0.12 and `rp235x-hal` 0.4
//!   (the ring oscillator), `atsamd-hal` 0.23 (the TRNG);
//! - rand_core 0.6 only: `stm32h7xx-hal` 0.16 (feature `rand`), `stm32l4xx-hal` 0.7.
//!
//! `esp-hal` 1.1 (feature `unstable`), `embassy-stm32`, `embassy-rp`, `embassy-nrf` and
//! `nrf-hal-common` 0.20 implement rand_core 0.10 themselves and need no wrapper.

use crate::Real;
use core::convert::Infallible;
use rand_core::{Rng, TryRng};

#[cfg(any(feature = "rand_core_0_9", feature = "rand_core_0_6"))]
mod compat;
#[cfg(feature = "rand_core_0_6")]
pub use compat::Rng06;
#[cfg(feature = "rand_core_0_9")]
pub use compat::Rng09;

/// Uniform on [0, 1) with 53 random bits (24 for f32 after rounding down).
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(7);
/// let u: f64 = lossmap::random::uniform(&mut rng);
/// assert!((0.0..1.0).contains(&u));
/// ```
pub fn uniform<T: Real, R: Rng + ?Sized>(rng: &mut R) -> T {
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
pub fn uniform_in<T: Real, R: Rng + ?Sized>(rng: &mut R, lo: T, hi: T) -> T {
    lo + (hi - lo) * uniform::<T, R>(rng)
}

/// Uniform integer in `0..n` by Lemire's multiply-shift on 32 random bits (bias < n/2³²,
/// negligible for sample and population counts; meant for `n < 2³²`). Returns 0 for `n = 0`.
/// Used for shuffles and selections, so they reproduce bit for bit for a seed on every target.
///
/// ```
/// use rand_core::SeedableRng;
/// let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
/// assert!((0..100).all(|_| lossmap::random::below(&mut rng, 7) < 7));
/// ```
pub fn below<R: Rng + ?Sized>(rng: &mut R, n: usize) -> usize {
    (u64::from(rng.next_u32()).wrapping_mul(n as u64) >> 32) as usize
}

/// +1 or −1 with equal probability.
pub fn rademacher<T: Real, R: Rng + ?Sized>(rng: &mut R) -> T {
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
/// for _ in 0..n { let z: f64 = lossmap::random::normal(&mut rng); s += z; s2 += z * z; }
/// assert!((s / n as f64).abs() < 0.03 && (s2 / n as f64 - 1.0).abs() < 0.05);
/// ```
pub fn normal<T: Real, R: Rng + ?Sized>(rng: &mut R) -> T {
    // u1 ∈ (0, 1] so that ln(u1) is finite.
    let u1 = T::ONE - uniform::<T, R>(rng);
    let u2 = uniform::<T, R>(rng);
    (-T::TWO * u1.ln()).sqrt() * (T::TWO * T::PI_R * u2).cos()
}

/// SplitMix64 (Steele, Lea & Flood, *Fast splittable pseudorandom number generators*, OOPSLA
/// 2014): a 64-bit counter advanced by the golden-ratio increment and passed through a
/// mixing function. Tiny, fast and seedable with any 64-bit value, it is the generator the C
/// ABI hands to every stochastic routine (`lossmap_rng`, seeded by `lossmap_rng_seed`). Not
/// cryptographically secure.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SplitMix64 {
    /// The counter; every value is a valid state.
    pub state: u64,
}

impl SplitMix64 {
    /// The generator seeded with `seed` (used as the initial state as is).
    ///
    /// ```
    /// use rand_core::Rng;
    /// // The reference sequence of Vigna's splitmix64.c for seed 1234567.
    /// let mut rng = lossmap::random::SplitMix64::new(1234567);
    /// assert_eq!(rng.next_u64(), 6457827717110365317);
    /// assert_eq!(rng.next_u64(), 3203168211198807973);
    /// let u: f64 = lossmap::random::uniform(&mut rng);
    /// assert!((0.0..1.0).contains(&u));
    /// ```
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// Advances the counter and returns the mixed output.
    fn step(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Infallible (`Error = Infallible`), so it is a [`Rng`] too.
impl TryRng for SplitMix64 {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        // The high half: the better-mixed bits.
        Ok((self.step() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.step())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.step().to_le_bytes();
            chunk.iter_mut().zip(bytes).for_each(|(d, s)| *d = s);
        }
        Ok(())
    }
}
