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
    // 53 random bits, rounded once to `T` and scaled by 2⁻⁵³ (exact): the same value as the
    // `f64` quotient rounded to `T`, with no `f64` arithmetic for `f32`.
    let t = T::from_u64(rng.next_u64() >> 11) * T::from_f64(1.0 / (1u64 << 53) as f64);
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
    (-T::TWO * u1.ln()).sqrt() * cos_turn(u2)
}

/// `cos(2πu)` for `u ∈ [0, 1)`, in `T` alone: the reduction to the nearest quarter turn is
/// exact in `u` (`4u − k`), so only `φ = (4u − k)·π/2 ∈ [−π/4, π/4]` is rounded, and the
/// minimax polynomials of Cephes (Moshier, *Methods and Programs for Mathematical Functions*,
/// 1989: `sinf.c`/`cosf.c` for `f32`, `sin.c` for `f64`) evaluate sin and cos of φ. No
/// general argument reduction (libm's `cosf` works in `f64` and reduces huge arguments
/// with a large stack frame) is linked by the samplers.
#[allow(clippy::excessive_precision)] // the constants as Cephes publishes them
pub(crate) fn cos_turn<T: Real>(u: T) -> T {
    let w = u * T::from_f64(4.0);
    let k = (w + T::HALF).floor();
    let phi = (w - k) * T::from_f64(core::f64::consts::FRAC_PI_2);
    let z = phi * phi;
    let c = |v: f64| T::from_f64(v);
    let (sin, cos) = if T::IS_F64 {
        let sp = ((((c(1.589_623_015_765_465_7e-10) * z + c(-2.505_074_776_285_780_7e-8)) * z
            + c(2.755_731_362_138_572_5e-6))
            * z
            + c(-1.984_126_982_958_954e-4))
            * z
            + c(8.333_333_333_322_118_6e-3))
            * z
            + c(-1.666_666_666_666_663_1e-1);
        let cp = ((((c(-1.135_853_652_138_768_2e-11) * z + c(2.087_570_084_197_473_2e-9)) * z
            + c(-2.755_731_417_929_673_9e-7))
            * z
            + c(2.480_158_728_885_170_5e-5))
            * z
            + c(-1.388_888_888_887_305_6e-3))
            * z
            + c(4.166_666_666_666_659_3e-2);
        (phi + phi * z * sp, T::ONE - T::HALF * z + z * z * cp)
    } else {
        let sp = (c(-1.951_529_589_1e-4) * z + c(8.332_160_873_6e-3)) * z + c(-1.666_665_461_1e-1);
        let cp = (c(2.443_315_711_809_948e-5) * z + c(-1.388_731_625_493_765e-3)) * z
            + c(4.166_664_568_298_827e-2);
        (phi + phi * z * sp, T::ONE - T::HALF * z + z * z * cp)
    };
    // cos(kπ/2 + φ) by the quadrant k mod 4.
    match k.to_index() & 3 {
        0 => cos,
        1 => -sin,
        2 => -cos,
        _ => sin,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `cos_turn` against libm's `cos` in `f64` (an independent implementation) over a dense
    /// grid of u and every eighth-turn boundary. The reference angle is `2π(u − round(u))`,
    /// whose own rounding is up to π·ε absolutely, so `f64` is held to 4 ε; `f32` (against
    /// the `f64` reference, far more precise) to 1.5 ε of `f32`.
    #[test]
    fn cos_turn_matches_libm() {
        let grid = (0..200_000u32).map(|i| i as f64 / 200_000.0);
        let edges = (0..8u32).flat_map(|k| {
            let e = k as f64 / 8.0;
            [e, e + 1e-9, (e - 1e-9).max(0.0)]
        });
        let (mut w32, mut w64) = (0.0f64, 0.0f64);
        for u in grid.chain(edges) {
            let turn = |u: f64| libm::cos(2.0 * core::f64::consts::PI * (u - libm::round(u)));
            w64 = w64.max((cos_turn(u) - turn(u)).abs());
            let u32_ = u as f32;
            let want32 = turn(u32_ as f64);
            w32 = w32.max((cos_turn(u32_) as f64 - want32).abs());
        }
        assert!(w64 <= 4.0 * f64::EPSILON, "f64: {w64:e}");
        assert!(w32 <= 1.5 * f32::EPSILON as f64, "f32: {w32:e}");
    }

    /// `uniform` is the 53-bit quotient rounded once to the type, as the `f64` formula gives.
    #[test]
    fn uniform_is_the_rounded_53_bit_quotient() {
        let mut a = SplitMix64::new(99);
        let mut b = SplitMix64::new(99);
        for _ in 0..100_000 {
            let want = (b.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let got: f32 = uniform(&mut a);
            let w = want as f32;
            let w = if w >= 1.0 { 1.0 - f32::EPSILON } else { w };
            assert_eq!(got.to_bits(), w.to_bits());
        }
    }
}
