//! The one scalar trait: [`Real`], implemented for `f32` and `f64` only (sealed).
//!
//! Every algorithm in the crate is generic over `T: Real`. Elementary functions go through
//! libm (correctly rounded `sqrt`, exact `floor`, the rest within 1 or 2 ulp, measured for
//! `f32` and `f64`); with the `micromath` feature, `f32` `sin` and `cos` go through micromath's
//! parabolic approximation (absolute error 1.1e-3, curvature error 0.10 at the zeros) and
//! everything else stays on libm. The measured accuracy per function and backend, and why
//! each function is where it is, is documented on [`Real`] (public, unlike this module);
//! `tests/math_accuracy.rs` asserts it and prints the full table.
//!
//! On a concrete `f32`/`f64` value write `Real::powf(x, p)`, not `x.powf(p)`: with the `std`
//! feature the inherent method wins and calls the platform's `pow`, so results would differ
//! between `std` and `no_std` builds and a C program linking the static library would need `-lm`.

mod sqrt;

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// Whether the target computes `f32` in hardware (x86, AArch64, hard-float Arm and RISC-V with
/// `F`). Where it does not (Cortex-M0), the optimizers' read-only pass compares bit patterns as
/// integers instead of summing in soft-float.
pub(crate) const HARD_F32: bool = cfg!(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "powerpc64",
    target_arch = "wasm32",
    target_arch = "wasm64",
    all(target_arch = "arm", target_abi = "eabihf"),
    all(
        any(target_arch = "riscv32", target_arch = "riscv64"),
        target_feature = "f"
    ),
));

/// Whether the target computes `f64` in hardware. Where it does not (Cortex-M0, Cortex-M4F),
/// `f32` code never falls back to `f64` arithmetic, which would link soft-float routines.
pub(crate) const HARD_F64: bool = cfg!(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "powerpc64",
    target_arch = "wasm32",
    target_arch = "wasm64",
    all(target_arch = "arm", target_feature = "fp64"),
    all(
        any(target_arch = "riscv32", target_arch = "riscv64"),
        target_feature = "d"
    ),
));

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point scalar: `f32` or `f64`. Sealed: no other type can implement it.
///
/// # Accuracy
///
/// Elementary functions go through [`libm`], a port of musl's and FreeBSD's libm. Measured
/// against exact references (f64 libm for `f32`, mpmath at 200 bits for `f64`) over wide
/// domains, for both types: `sqrt` is correctly rounded, `floor` exact, `tanh` and `atan2`
/// within 2 ulp, every other function within 1 ulp. [`Real::powi`] is the crate's own binary exponentiation: within `|k|` ulp
/// (`2|k|` for negative `k`). The crate's tests assert these bounds and print the full table.
///
/// # The `micromath` feature
///
/// With `micromath`, `f32` [`sin`](Real::sin) and [`cos`](Real::cos) use micromath's parabolic
/// approximation instead of libm's: 0.3 KB of code for both instead of 7.4 KB (mostly libm's
/// exact argument reduction) on a Cortex-M4F, 1.9 KB instead of 8 KB with the soft-float
/// helpers on a Cortex-M0. What it costs, measured:
///
/// - **Values**: absolute error up to 1.1e-3 for `|x| ≤ π`, plus a phase error of about one
///   ulp of `x` (2.3e-3 measured for `|x| ≤ 10⁴`); relative error is unbounded near the zeros.
///   ±∞ and NaN give NaN and `sin(−0)` is −0, as with libm.
/// - **Derivatives**: the approximation's slope is off by up to 1.3 % (`1 − 3.1/π`) and its
///   curvature by up to 0.10 (`1/π²`) at the zeros of sine and cosine, where the true curvature
///   is 0. Finite differences differentiate the approximation, so a finite-difference Hessian
///   of an objective built on `sin`/`cos` can be off by a tenth of the trigonometric term's
///   curvature: for [`ExpSinCos`](crate::testfn::ExpSinCos), 1.6e-2 relative at (0.5, 0.7) and
///   9.3e-2 at (0.5, 0.03), against 2.4e-4 and 3.6e-4 with libm.
/// - **Sampling**: the normal sampler's cosine raises its variance by 7e-4 (kurtosis 3.0005),
///   below the sampling error of any run shorter than about 10⁷ draws; the Cauchy moves'
///   `tan = sin/cos` is up to 1.3 % wide in the tails.
///
/// Everything else stays on libm under the feature, because micromath's version is wrong for
/// the crate's purposes, while saving little (flash saved on a Cortex-M4F in parentheses):
/// `ln` is off by up to 0.118 for `x < 1` (`ln 0.751` = −0.4041 for −0.2864) and gives −88 for
/// `ln 0` (96 B); `powf = exp(p·ln x)` inherits it, up to 27 % for `x < 1` (1.3 KB); `exp` is
/// 2.4e-3 relative and maps NaN to ∞ (112 B); `atan2` is NaN at (0, 0), at ±∞ and for
/// `|x|, |y|` below 1e-19 or above 1e19 (0.5 KB); `sqrt` and `hypot` are 6 % off; `floor`
/// maps NaN to 0 and saturates at ±2³¹. micromath has no `cbrt`, `ln_1p` or `tanh`. `f64`
/// always uses libm.
///
/// ```
/// use lossmap::Real;
/// fn hypot<T: Real>(a: T, b: T) -> T { (a * a + b * b).sqrt() }
/// assert_eq!(hypot(3.0f64, 4.0), 5.0);
/// assert!(f32::EPSILON_R > 0.0);
/// ```
pub trait Real:
    sealed::Sealed
    + Copy
    + Debug
    + Default
    + PartialOrd
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + 'static
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// 2.
    const TWO: Self;
    /// 0.5.
    const HALF: Self;
    /// Machine epsilon: the gap between 1 and the next representable value.
    const EPSILON_R: Self;
    /// Largest finite value.
    const MAX_R: Self;
    /// Smallest positive normal value.
    const MIN_POSITIVE_R: Self;
    /// π.
    const PI_R: Self;
    /// Not a number.
    const NAN_R: Self;
    /// Size name used in messages and C symbols: `"f32"` or `"f64"`.
    const NAME: &'static str;
    /// `true` for `f64`.
    const IS_F64: bool;

    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` (exact for both types).
    fn to_f64(self) -> f64;
    /// Converts a count to `Self` (rounding for counts above 2²⁴ in `f32`).
    fn from_usize(n: usize) -> Self;
    /// The count a value holds (for an index stored as `Self`): truncated, saturating, 0 for
    /// NaN and negatives. A native conversion, with no `f64` step for `f32`.
    #[doc(hidden)]
    fn to_index(self) -> usize;
    /// `n` correctly rounded to `Self`: a native integer conversion, with no `f64` step for
    /// `f32` (random variates from raw bits).
    #[doc(hidden)]
    fn from_u64(n: u64) -> Self;
    /// The IEEE bit pattern, zero-extended (`f32` in the low 32 bits): integer range tests
    /// where a comparison of floats is a library call (soft-float cores).
    #[doc(hidden)]
    fn to_bits_u64(self) -> u64;
    /// The value of the IEEE bit pattern in the low bits of `bits` (`f32`: the low 32; the
    /// rest ignored): [`to_bits_u64`](Self::to_bits_u64) undone, NaN payloads included.
    #[doc(hidden)]
    fn from_bits_u64(bits: u64) -> Self;
    /// `true` unless NaN or ±∞.
    fn is_finite(self) -> bool;
    /// `true` for NaN.
    fn is_nan(self) -> bool;
    /// Absolute value.
    fn abs(self) -> Self;
    /// Square root (NaN for negative input).
    fn sqrt(self) -> Self;
    /// Cube root.
    fn cbrt(self) -> Self;
    /// eˣ.
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// `ln(1 + x)`, accurate for small x.
    fn ln_1p(self) -> Self;
    /// `eˣ − 1`, accurate for small x.
    fn exp_m1(self) -> Self;
    /// Sine. For `f32` with `micromath`, an approximation: see
    /// [the feature](#the-micromath-feature).
    fn sin(self) -> Self;
    /// Cosine. For `f32` with `micromath`, an approximation: see
    /// [the feature](#the-micromath-feature).
    fn cos(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// `atan2(self, x)`.
    fn atan2(self, x: Self) -> Self;
    /// `self^p` for a real exponent.
    fn powf(self, p: Self) -> Self;
    /// `self^k` for an integer exponent, by binary exponentiation (⌈log₂|k|⌉ squarings, a few
    /// ulp of error; what LLVM's `powi` does), so bias corrections cost no `pow` call.
    fn powi(self, k: i32) -> Self {
        let mut base = if k < 0 { Self::ONE / self } else { self };
        let mut e = k.unsigned_abs();
        let mut acc = Self::ONE;
        while e > 0 {
            if e & 1 == 1 {
                acc *= base;
            }
            base *= base;
            e >>= 1;
        }
        acc
    }
    /// `√(self² + y²)` without undue overflow.
    fn hypot(self, y: Self) -> Self;
    /// `max |sᵢ|` (0 for an empty slice) by comparing bit patterns as integers: NaN when an
    /// element is NaN, +∞ when one is infinite. What the optimizers' read-only pass uses where
    /// the type has no FPU, because an integer comparison is a few instructions there and a
    /// soft-float addition dozens.
    #[doc(hidden)]
    fn max_magnitude(s: &[Self]) -> Self;
    /// `Some(max sᵢ)` (0 for an empty slice) when every element is finite and ≥ 0 (−0 counts
    /// as 0), else `None`; by comparing bit patterns as integers, as [`Real::max_magnitude`].
    #[doc(hidden)]
    fn max_nonnegative(s: &[Self]) -> Option<Self>;
    /// Largest integer ≤ self.
    fn floor(self) -> Self;

    /// The larger of two values; NaN loses to a number.
    #[inline]
    fn max(self, other: Self) -> Self {
        if self >= other || other.is_nan() {
            self
        } else {
            other
        }
    }
    /// The smaller of two values; NaN loses to a number.
    #[inline]
    fn min(self, other: Self) -> Self {
        if self <= other || other.is_nan() {
            self
        } else {
            other
        }
    }
    /// 1 for positive (and +0), −1 for negative (and −0).
    #[inline]
    fn signum(self) -> Self {
        if self < Self::ZERO {
            -Self::ONE
        } else {
            Self::ONE
        }
    }
}

macro_rules! common_impl {
    ($t:ty, $name:expr, $fabs:path) => {
        const ZERO: Self = 0.0;
        const ONE: Self = 1.0;
        const TWO: Self = 2.0;
        const HALF: Self = 0.5;
        const EPSILON_R: Self = <$t>::EPSILON;
        const MAX_R: Self = <$t>::MAX;
        const MIN_POSITIVE_R: Self = <$t>::MIN_POSITIVE;
        const PI_R: Self = core::f64::consts::PI as $t;
        const NAN_R: Self = <$t>::NAN;
        const NAME: &'static str = $name;
        const IS_F64: bool = <$t>::MANTISSA_DIGITS == 53;
        #[inline]
        fn max_magnitude(s: &[Self]) -> Self {
            // |x| as bits is monotone in |x| for finite values, and above every finite value
            // for ±∞ (the exponent all ones) and NaN (a non-zero mantissa on top).
            let abs_mask = !(-0.0 as $t).to_bits();
            let m = s.iter().fold(0, |m, &x| m.max(x.to_bits() & abs_mask));
            <$t>::from_bits(m)
        }
        #[inline]
        fn max_nonnegative(s: &[Self]) -> Option<Self> {
            // A non-negative finite value's bits lie below +∞'s; a negative value has the sign
            // bit, above every positive pattern. −0 (the sign bit alone) is mapped to +0.
            let sign = (-0.0 as $t).to_bits();
            let inf = <$t>::INFINITY.to_bits();
            let m = s.iter().fold(0, |m, &x| {
                m.max(if x.to_bits() == sign { 0 } else { x.to_bits() })
            });
            if m < inf {
                Some(<$t>::from_bits(m))
            } else {
                None
            }
        }
        #[inline]
        fn from_f64(v: f64) -> Self {
            v as $t
        }
        #[inline]
        fn to_f64(self) -> f64 {
            self as f64
        }
        #[inline]
        fn from_usize(n: usize) -> Self {
            n as $t
        }
        #[inline]
        fn to_index(self) -> usize {
            // `as` saturates and maps NaN to 0.
            self as usize
        }
        #[inline]
        fn from_u64(n: u64) -> Self {
            // `as` rounds to nearest, ties to even.
            n as $t
        }
        #[inline]
        fn to_bits_u64(self) -> u64 {
            self.to_bits() as u64
        }
        #[inline]
        fn from_bits_u64(bits: u64) -> Self {
            <$t>::from_bits(bits as _)
        }
        #[inline]
        fn is_finite(self) -> bool {
            <$t>::is_finite(self)
        }
        #[inline]
        fn is_nan(self) -> bool {
            <$t>::is_nan(self)
        }
        #[inline]
        fn abs(self) -> Self {
            // libm, not `<$t>::abs`: without `std`, before Rust 1.85 that name resolves to this
            // very trait method and recurses forever.
            $fabs(self)
        }
    };
}

impl Real for f64 {
    common_impl!(f64, "f64", libm::fabs);
    #[inline]
    fn sqrt(self) -> Self {
        sqrt::sqrt_f64(self)
    }
    #[inline]
    fn cbrt(self) -> Self {
        libm::cbrt(self)
    }
    #[inline]
    fn exp(self) -> Self {
        libm::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        libm::log(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        libm::log1p(self)
    }
    #[inline]
    fn exp_m1(self) -> Self {
        libm::expm1(self)
    }
    #[inline]
    fn sin(self) -> Self {
        libm::sin(self)
    }
    #[inline]
    fn cos(self) -> Self {
        libm::cos(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        libm::tanh(self)
    }
    #[inline]
    fn atan2(self, x: Self) -> Self {
        libm::atan2(self, x)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        libm::pow(self, p)
    }
    #[inline]
    fn hypot(self, y: Self) -> Self {
        libm::hypot(self, y)
    }
    #[inline]
    fn floor(self) -> Self {
        libm::floor(self)
    }
}

impl Real for f32 {
    common_impl!(f32, "f32", libm::fabsf);
    #[inline]
    fn sqrt(self) -> Self {
        sqrt::sqrt_f32(self)
    }
    #[inline]
    fn cbrt(self) -> Self {
        libm::cbrtf(self)
    }
    #[inline]
    fn exp(self) -> Self {
        libm::expf(self)
    }
    #[inline]
    fn ln(self) -> Self {
        libm::logf(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        libm::log1pf(self)
    }
    #[inline]
    fn exp_m1(self) -> Self {
        libm::expm1f(self)
    }
    #[inline]
    fn sin(self) -> Self {
        sin_f32(self)
    }
    #[inline]
    fn cos(self) -> Self {
        cos_f32(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        libm::tanhf(self)
    }
    #[inline]
    fn atan2(self, x: Self) -> Self {
        libm::atan2f(self, x)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        libm::powf(self, p)
    }
    #[inline]
    fn hypot(self, y: Self) -> Self {
        if HARD_F64 {
            libm::hypotf(self, y)
        } else {
            hypot_f32(self, y)
        }
    }
    #[inline]
    fn floor(self) -> Self {
        libm::floorf(self)
    }
}

#[cfg(not(feature = "micromath"))]
#[inline]
fn sin_f32(x: f32) -> f32 {
    libm::sinf(x)
}

#[cfg(not(feature = "micromath"))]
#[inline]
fn cos_f32(x: f32) -> f32 {
    libm::cosf(x)
}

// micromath's parabolic sine and cosine: 0.15 KB of code each where libm's take 7 KB on a
// Cortex-M4F (most of it the exact argument reduction for huge arguments). micromath returns ±∞ for ±∞ and +0 for
// sin(−0); IEEE 754 (and libm) say NaN and −0, and so do these.
#[cfg(feature = "micromath")]
#[inline]
fn sin_f32(x: f32) -> f32 {
    if x == 0.0 {
        x
    } else if x.is_finite() {
        micromath::F32Ext::sin(x)
    } else {
        f32::NAN
    }
}

#[cfg(feature = "micromath")]
#[inline]
fn cos_f32(x: f32) -> f32 {
    if x.is_finite() {
        micromath::F32Ext::cos(x)
    } else {
        f32::NAN
    }
}

/// `√(x² + y²)` in `f32` arithmetic only, for cores without an `f64` FPU: libm's `hypotf`
/// works in `f64`, which would link soft-float routines there. `hi·√(1 + (lo/hi)²)` with
/// `hi = max(|x|, |y|)` cannot overflow or underflow prematurely; its error is within 2 ulp
/// (one rounding each for the quotient, its square, the sum, the root and the product;
/// measured in the tests below against libm's `hypotf`). IEEE special values: ±∞ in either
/// argument gives +∞ even with a NaN in the other, otherwise NaN gives NaN.
#[inline]
pub(crate) fn hypot_f32(x: f32, y: f32) -> f32 {
    let (a, b) = (libm::fabsf(x), libm::fabsf(y));
    if a == f32::INFINITY || b == f32::INFINITY {
        return f32::INFINITY;
    }
    if a.is_nan() || b.is_nan() {
        return f32::NAN;
    }
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == 0.0 {
        return 0.0;
    }
    let r = lo / hi;
    hi * sqrt::sqrt_f32(1.0 + r * r)
}

#[cfg(test)]
mod tests {
    use super::Real;

    #[test]
    fn elementary_functions_match_closed_forms() {
        assert_eq!(Real::sqrt(16.0f64), 4.0);
        assert!((Real::exp(1.0f64) - core::f64::consts::E).abs() < 1e-15);
        assert!((Real::ln(core::f64::consts::E) - 1.0f64).abs() < 1e-15);
        assert!((Real::cbrt(27.0f32) - 3.0).abs() < 1e-6);
        assert_eq!(Real::powi(2.0f64, 10), 1024.0);
        assert_eq!(Real::powi(2.0f32, -2), 0.25);
        assert_eq!(Real::powi(-3.0f64, 3), -27.0);
        assert_eq!(Real::powi(7.0f64, 0), 1.0);
        assert!((Real::powi(0.999f64, 5000) / 0.999f64.powf(5000.0) - 1.0).abs() < 1e-13);
        assert!((Real::cos(f64::PI_R) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn max_min_prefer_numbers_over_nan() {
        assert_eq!(Real::max(f64::NAN, 1.0), 1.0);
        assert_eq!(Real::max(1.0, f64::NAN), 1.0);
        assert_eq!(Real::min(f64::NAN, -1.0), -1.0);
        assert_eq!(Real::min(2.0f32, 3.0), 2.0);
        assert!(!Real::is_finite(f32::INFINITY));
    }

    /// The f32-only hypot against libm's (f64-based, correctly rounded in practice) over
    /// magnitudes 1e-30…1e30 and every ratio: within 2 ulp, and the special values.
    #[test]
    fn f32_hypot_is_within_two_ulp() {
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut worst = 0.0f64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let e1 = ((s >> 8) % 200) as i32 - 100;
            let e2 = e1 - ((s >> 20) % 40) as i32;
            let m1 = 1.0 + ((s >> 32) as u32 as f32) / 4.3e9;
            let m2 = 1.0 + ((s >> 40) as u32 as f32) / 4.3e9;
            let (x, y) = (m1 * 2f32.powi(e1 / 2), m2 * 2f32.powi(e2 / 2));
            let want = libm::hypotf(x, y);
            let got = super::hypot_f32(x, y);
            let ulp = (want.to_bits() as i64 - got.to_bits() as i64).abs() as f64;
            worst = worst.max(ulp);
        }
        assert!(worst <= 2.0, "{worst} ulp");
        assert_eq!(super::hypot_f32(3.0, 4.0), 5.0);
        assert_eq!(super::hypot_f32(f32::INFINITY, f32::NAN), f32::INFINITY);
        assert!(super::hypot_f32(f32::NAN, 1.0).is_nan());
        assert_eq!(super::hypot_f32(0.0, -0.0), 0.0);
        assert_eq!(super::hypot_f32(3e38, 3e38), libm::hypotf(3e38, 3e38));
    }

    /// The integer reductions against plain comparisons, including the special values.
    #[test]
    fn integer_reductions_match_comparisons() {
        let xs = [0.5f32, -3.0, 2.0, -0.0, 1e-40];
        assert_eq!(f32::max_magnitude(&xs), 3.0);
        assert_eq!(f64::max_magnitude(&[-7.5f64, 2.0]), 7.5);
        assert_eq!(f32::max_magnitude(&[]), 0.0);
        assert_eq!(f32::max_magnitude(&[1.0, f32::NEG_INFINITY]), f32::INFINITY);
        assert!(f32::max_magnitude(&[1.0, f32::NAN, f32::INFINITY]).is_nan());
        assert!(f64::max_magnitude(&[-f64::NAN]).is_nan());
        assert_eq!(f32::max_nonnegative(&[0.0, 2.5, -0.0, 1e-42]), Some(2.5));
        assert_eq!(f64::max_nonnegative(&[]), Some(0.0));
        assert_eq!(f32::max_nonnegative(&[1.0, -1e-30]), None);
        assert_eq!(f64::max_nonnegative(&[1.0, f64::INFINITY]), None);
        assert_eq!(f64::max_nonnegative(&[f64::NAN]), None);
        assert_eq!(f32::max_nonnegative(&[-f32::NAN]), None);
        assert_eq!(f32::max_nonnegative(&[f32::MAX]), Some(f32::MAX));
    }
}
