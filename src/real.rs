//! The one scalar trait: [`Real`], implemented for `f32` and `f64` only (sealed).
//!
//! Every algorithm in the crate is generic over `T: Real`. Elementary functions go through
//! [`libm`] (a port of musl's libm, correctly rounded to within 1 ulp for the functions used
//! here). With the `micromath` feature, `f32` uses micromath's fast approximations for exp, ln,
//! sin, cos, atan2, powf and floor (smaller code, ≈ 1e-3 relative error); `sqrt`, `hypot`,
//! `cbrt`, `ln_1p` and `tanh` stay on libm because the eigen-solver, the norms and Adam need
//! them exact to the last bits. `f64` always uses libm.
//!
//! On a concrete `f32`/`f64` value write `Real::powf(x, p)`, not `x.powf(p)`: with the `std`
//! feature the inherent method wins and calls the platform's `pow`, so results would differ
//! between `std` and `no_std` builds and a C program linking the static library would need `-lm`.

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point scalar: `f32` or `f64`. Sealed: no other type can implement it.
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

    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` (exact for both types).
    fn to_f64(self) -> f64;
    /// Converts a count to `Self` (rounding for counts above 2²⁴ in `f32`).
    fn from_usize(n: usize) -> Self;
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
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
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
        libm::sqrt(self)
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

#[cfg(not(feature = "micromath"))]
impl Real for f32 {
    common_impl!(f32, "f32", libm::fabsf);
    #[inline]
    fn sqrt(self) -> Self {
        libm::sqrtf(self)
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
    fn sin(self) -> Self {
        libm::sinf(self)
    }
    #[inline]
    fn cos(self) -> Self {
        libm::cosf(self)
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
        libm::hypotf(self, y)
    }
    #[inline]
    fn floor(self) -> Self {
        libm::floorf(self)
    }
}

#[cfg(feature = "micromath")]
impl Real for f32 {
    common_impl!(f32, "f32", libm::fabsf);
    #[inline]
    fn sqrt(self) -> Self {
        // Kept on libm: micromath's sqrt is ≈ 1 % off, enough to derail Adam's steps.
        libm::sqrtf(self)
    }
    #[inline]
    fn cbrt(self) -> Self {
        // micromath has no cbrt.
        libm::cbrtf(self)
    }
    #[inline]
    fn exp(self) -> Self {
        micromath::F32Ext::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        micromath::F32Ext::ln(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        // micromath has no log1p; libm keeps it accurate near 0.
        libm::log1pf(self)
    }
    #[inline]
    fn sin(self) -> Self {
        micromath::F32Ext::sin(self)
    }
    #[inline]
    fn cos(self) -> Self {
        micromath::F32Ext::cos(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        libm::tanhf(self)
    }
    #[inline]
    fn atan2(self, x: Self) -> Self {
        micromath::F32Ext::atan2(self, x)
    }
    #[inline]
    fn powf(self, p: Self) -> Self {
        micromath::F32Ext::powf(self, p)
    }
    #[inline]
    fn hypot(self, y: Self) -> Self {
        // Kept on libm: the Jacobi rotations need it to full precision.
        libm::hypotf(self, y)
    }
    #[inline]
    fn floor(self) -> Self {
        micromath::F32Ext::floor(self)
    }
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
}
