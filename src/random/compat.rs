//! [`Rng09`] and [`Rng06`]: rand_core 0.9 and 0.6 generators as the rand_core 0.10 `Rng` (see
//! the [`random`](super) module docs).

#[allow(unused_imports)]
use core::convert::Infallible;
#[allow(unused_imports)]
use rand_core::{TryCryptoRng, TryRng};

/// `TryRng` with `Error = Infallible` for a wrapper whose field implements an older `RngCore`:
/// its infallible `next_u32`, `next_u64` and `fill_bytes`, unchanged.
#[allow(unused_macros)]
macro_rules! forward_infallible {
    ($wrapper:ident, $core:path) => {
        impl<R: $core> TryRng for $wrapper<R> {
            type Error = Infallible;

            #[inline]
            fn try_next_u32(&mut self) -> Result<u32, Infallible> {
                Ok(self.0.next_u32())
            }

            #[inline]
            fn try_next_u64(&mut self) -> Result<u64, Infallible> {
                Ok(self.0.next_u64())
            }

            #[inline]
            fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
                self.0.fill_bytes(dst);
                Ok(())
            }
        }
    };
}

/// A rand_core 0.9 generator as a rand_core 0.10 [`Rng`](rand_core::Rng) (feature
/// `rand_core_0_9`).
///
/// ```
/// use rand_core::Rng as _;
/// use lossmap::random::Rng09;
///
/// // Any rand_core 0.9 `RngCore`, e.g. a HAL's RNG peripheral; here a tiny 0.9 counter.
/// struct Counter(u64);
/// impl rand_core_0_9::RngCore for Counter {
///     fn next_u32(&mut self) -> u32 { self.next_u64() as u32 }
///     fn next_u64(&mut self) -> u64 { self.0 += 1; self.0 }
///     fn fill_bytes(&mut self, dst: &mut [u8]) { dst.fill(7) }
/// }
///
/// let mut hal_rng = Counter(0);
/// let mut rng = Rng09(&mut hal_rng); // borrow it, or move it in
/// assert_eq!((rng.next_u64(), rng.next_u32()), (1, 2));
/// let u: f64 = lossmap::random::uniform(&mut rng);
/// assert!((0.0..1.0).contains(&u));
/// assert_eq!(hal_rng.0, 3);
/// ```
#[cfg(feature = "rand_core_0_9")]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rng09<R>(
    /// The wrapped generator.
    pub R,
);

#[cfg(feature = "rand_core_0_9")]
forward_infallible!(Rng09, rand_core_0_9::RngCore);

/// A cryptographic 0.9 generator stays one.
#[cfg(feature = "rand_core_0_9")]
impl<R: rand_core_0_9::CryptoRng> TryCryptoRng for Rng09<R> {}

/// A rand_core 0.6 generator as a rand_core 0.10 [`Rng`](rand_core::Rng) (feature
/// `rand_core_0_6`).
///
/// Uses the 0.6 trait's infallible methods (`next_u32`, `next_u64`, `fill_bytes`), never
/// `try_fill_bytes`.
///
/// ```
/// use rand_core::Rng as _;
/// use lossmap::random::Rng06;
///
/// // Any rand_core 0.6 `RngCore`, e.g. a HAL's RNG peripheral; here a tiny 0.6 counter.
/// struct Counter(u64);
/// impl rand_core_0_6::RngCore for Counter {
///     fn next_u32(&mut self) -> u32 { self.next_u64() as u32 }
///     fn next_u64(&mut self) -> u64 { self.0 += 1; self.0 }
///     fn fill_bytes(&mut self, dst: &mut [u8]) { dst.fill(7) }
///     fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), rand_core_0_6::Error> {
///         self.fill_bytes(dst);
///         Ok(())
///     }
/// }
///
/// let mut rng = Rng06(Counter(0));
/// assert_eq!((rng.next_u64(), rng.next_u32()), (1, 2));
/// let z: f32 = lossmap::random::normal(&mut rng);
/// assert!(z.is_finite());
/// ```
#[cfg(feature = "rand_core_0_6")]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rng06<R>(
    /// The wrapped generator.
    pub R,
);

#[cfg(feature = "rand_core_0_6")]
forward_infallible!(Rng06, rand_core_0_6::RngCore);

/// A cryptographic 0.6 generator stays one.
#[cfg(feature = "rand_core_0_6")]
impl<R: rand_core_0_6::RngCore + rand_core_0_6::CryptoRng> TryCryptoRng for Rng06<R> {}
