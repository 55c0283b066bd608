//! Square roots through the core's own instruction where it has one, so that the compiler can
//! schedule and vectorize them: `sqrtss`/`sqrtsd` (SSE2, which every x86_64 has) through
//! `core::arch`, whose scalar forms LLVM sees as its `sqrt` intrinsic and turns into
//! `sqrtps`/`sqrtpd` in vectorized loops; `vsqrt.f32` on Arm cores with a hard-float FPU
//! (Cortex-M4F/M7/M33, `*-eabihf` targets); for `f32` on Arm targets without one (soft-float
//! ABI: Cortex-M0, M0+, M3, M23), the digit-by-digit integer root of `soft_sqrt_f32`; libm's
//! correctly rounded software square root elsewhere (and for `f64` on Arm). IEEE 754 square
//! roots are correctly rounded, so every path gives the same bits.
#![allow(unsafe_code)]

/// √x for `f32`.
#[inline(always)]
pub(crate) fn sqrt_f32(x: f32) -> f32 {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        #[cfg(target_arch = "x86")]
        use core::arch::x86::{_mm_cvtss_f32, _mm_set_ss, _mm_sqrt_ss};
        #[cfg(target_arch = "x86_64")]
        use core::arch::x86_64::{_mm_cvtss_f32, _mm_set_ss, _mm_sqrt_ss};
        // SAFETY: SSE2 is enabled for this target (the cfg above); the intrinsics only touch
        // registers.
        unsafe { _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x))) }
    }
    #[cfg(all(target_arch = "arm", target_abi = "eabihf"))]
    {
        let r: u32;
        // SAFETY: every hard-float Arm ABI has a VFP unit, and VFP has `vsqrt.f32`. Stable Rust
        // offers no `sreg` operands on these targets, so the value goes through a core register
        // and the scratch register s14 is declared clobbered; nothing else is touched.
        unsafe {
            core::arch::asm!(
                "vmov s14, {x}",
                "vsqrt.f32 s14, s14",
                "vmov {r}, s14",
                x = in(reg) x.to_bits(),
                r = lateout(reg) r,
                out("s14") _,
                options(pure, nomem, nostack)
            );
        }
        f32::from_bits(r)
    }
    #[cfg(all(target_arch = "arm", not(target_abi = "eabihf")))]
    {
        soft_sqrt_f32(x)
    }
    #[cfg(not(any(
        all(
            any(target_arch = "x86_64", target_arch = "x86"),
            target_feature = "sse2"
        ),
        target_arch = "arm"
    )))]
    {
        libm::sqrtf(x)
    }
}

/// √x for `f32` in 32-bit integer arithmetic, correctly rounded (round to nearest, ties
/// cannot occur): the digit-by-digit root of the significand, one result bit per iteration,
/// 24 bits and a rounding bit, with the remainder deciding the rounding (FreeBSD's
/// `e_sqrtf.c`, from Sun's fdlibm; newlib's `sqrtf` is the same algorithm). Special values
/// as libm's `sqrtf`: ±0 and +∞ are returned, NaN and every negative number give the
/// default NaN.
///
/// On the Cortex-M0 (no FPU, no 64-bit multiply), libm's root refines an estimate with
/// `u32 × u32 → u64` products (a library call each there) and rounds with a soft-float
/// addition: about 410 instructions a root built at `opt-level = 3` and 570 at `"s"`, where its
/// refinement loop is neither unrolled nor trimmed of unused products (9 calls instead of 6).
/// This loop takes about 270 and 290 (measured under QEMU `-icount`).
#[cfg(any(test, all(target_arch = "arm", not(target_abi = "eabihf"))))]
#[inline(never)]
pub(crate) fn soft_sqrt_f32(x: f32) -> f32 {
    const EXP_MASK: u32 = 0x7f80_0000;
    let ix = x.to_bits();
    if ix.wrapping_sub(1) >= EXP_MASK - 1 {
        // Not in (0, +∞): ±0 and +∞ are returned, NaN and negatives give the default NaN.
        return if ix << 1 == 0 || ix == EXP_MASK {
            x
        } else {
            f32::NAN
        };
    }
    // 0 < x < +∞: the significand with its leading bit at bit 23, the unbiased exponent.
    let mut exp = (ix >> 23) as i32;
    let mut sig = ix & 0x007f_ffff;
    if exp == 0 {
        // Subnormal: normalize (at most 23 shifts).
        while sig & 0x0080_0000 == 0 {
            sig <<= 1;
            exp -= 1;
        }
        exp += 1;
    } else {
        sig |= 0x0080_0000;
    }
    exp -= 127;
    // An even exponent, the odd one's factor 2 moved into the significand (then < 2²⁵).
    if exp & 1 != 0 {
        sig <<= 1;
    }
    exp >>= 1;
    // One bit of the root per iteration from the bit of weight 2²⁴ down: with `q` the root so
    // far, `s = 2q` and `sig` the remainder (doubled each iteration); 25 bits, the last one
    // for rounding.
    sig <<= 1;
    let (mut s, mut bit) = (0u32, 0x0100_0000u32);
    while bit != 0 {
        let t = s + bit;
        if t <= sig {
            s = t + bit;
            sig -= t;
        }
        sig <<= 1;
        bit >>= 1;
    }
    let mut q = s >> 1;
    // A non-zero remainder: the root lies strictly between two 25-bit values, so adding the
    // rounding bit rounds to nearest (an exact root has its rounding bit clear).
    if sig != 0 {
        q += q & 1;
    }
    // q/2 carries the leading bit (2²³), which adds the 1 of the bias 127 = 126 + 1; a carry
    // out of the significand moves into the exponent (a negative exponent added modulo 2³²).
    f32::from_bits(((q >> 1) + 0x3f00_0000).wrapping_add((exp as u32) << 23))
}

/// √x for `f64`.
#[inline(always)]
pub(crate) fn sqrt_f64(x: f64) -> f64 {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    ))]
    {
        #[cfg(target_arch = "x86")]
        use core::arch::x86::{_mm_cvtsd_f64, _mm_set_sd, _mm_sqrt_pd};
        #[cfg(target_arch = "x86_64")]
        use core::arch::x86_64::{_mm_cvtsd_f64, _mm_set_sd, _mm_sqrt_pd};
        // SAFETY: SSE2 is enabled for this target; register-only intrinsics. `_mm_sqrt_pd` of
        // (x, 0) is used because it maps to LLVM's `sqrt` intrinsic.
        unsafe { _mm_cvtsd_f64(_mm_sqrt_pd(_mm_set_sd(x))) }
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse2"
    )))]
    {
        libm::sqrt(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against libm's correctly rounded software square root, bit for bit, including the
    /// special values.
    #[test]
    fn matches_the_correctly_rounded_root() {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let a = f32::from_bits((s >> 32) as u32 & 0x7fff_ffff);
            let b = f64::from_bits(s & 0x7fff_ffff_ffff_ffff);
            assert_eq!(sqrt_f32(a).to_bits(), libm::sqrtf(a).to_bits(), "{a}");
            assert_eq!(sqrt_f64(b).to_bits(), libm::sqrt(b).to_bits(), "{b}");
        }
        for v in [
            0.0f32,
            -0.0,
            1.0,
            4.0,
            f32::INFINITY,
            f32::MIN_POSITIVE / 4.0,
        ] {
            assert_eq!(sqrt_f32(v).to_bits(), libm::sqrtf(v).to_bits());
        }
        assert!(sqrt_f32(-1.0).is_nan() && sqrt_f64(-1.0).is_nan() && sqrt_f64(f64::NAN).is_nan());
    }

    /// The integer root of cores without an FPU against the hardware's correctly rounded root
    /// (std's `sqrt`), bit for bit: every fifth subnormal and pattern of the two binades around
    /// 1, random values of every exponent, and the special values (the results of libm's generic
    /// root: ±0 and +∞ returned, the default NaN for NaN and negatives). Every non-negative
    /// finite `f32`: `cargo test --release --features capi,std --lib real::sqrt -- --ignored`.
    #[test]
    fn soft_root_is_correctly_rounded() {
        let check = |a: f32| {
            assert_eq!(
                soft_sqrt_f32(a).to_bits(),
                a.sqrt().to_bits(),
                "{a:e} {:#x}",
                a.to_bits()
            );
        };
        for b in (0..0x0080_0000u32)
            .chain(0x3f00_0000..0x4000_0000)
            .step_by(5)
        {
            check(f32::from_bits(b));
        }
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let a = f32::from_bits((s >> 32) as u32 & 0x7fff_ffff);
            if a.is_finite() {
                check(a);
            }
        }
        for v in [
            0.0f32,
            -0.0,
            f32::INFINITY,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            4.0,
            2.0,
        ] {
            assert_eq!(
                soft_sqrt_f32(v).to_bits(),
                libm::sqrtf(v).to_bits(),
                "{v:e}"
            );
        }
        for v in [
            f32::NAN,
            -f32::NAN,
            -1.0,
            -1e-45,
            f32::NEG_INFINITY,
            -f32::MAX,
        ] {
            assert_eq!(soft_sqrt_f32(v).to_bits(), f32::NAN.to_bits(), "{v:e}");
            // libm's generic root (the one Arm cores without an FPU link) returns the default
            // NaN too; on this host it may take the hardware's, of another sign or payload.
            assert!(libm::sqrtf(v).is_nan(), "{v:e}");
        }
        let payload = f32::from_bits(0x7f80_0001);
        assert_eq!(soft_sqrt_f32(payload).to_bits(), f32::NAN.to_bits());
    }

    /// [`soft_root_is_correctly_rounded`] for every non-negative finite `f32` (2³¹ − 2²³ roots,
    /// about 100 s).
    #[test]
    #[ignore = "2³¹ roots: run in release"]
    fn soft_root_is_correctly_rounded_everywhere() {
        for b in 0..0x7f80_0000u32 {
            let a = f32::from_bits(b);
            assert_eq!(soft_sqrt_f32(a).to_bits(), a.sqrt().to_bits(), "{b:#x}");
        }
    }
}
