//! Square roots through the core's own instruction where it has one, so that the compiler can
//! schedule and vectorize them: `sqrtss`/`sqrtsd` (SSE2, which every x86_64 has) through
//! `core::arch`, whose scalar forms LLVM sees as its `sqrt` intrinsic and turns into
//! `sqrtps`/`sqrtpd` in vectorized loops; `vsqrt.f32` on Arm cores with a hard-float FPU
//! (Cortex-M4F/M7/M33, `*-eabihf` targets); libm's correctly rounded software square root
//! elsewhere (Cortex-M0, and `f64` on single-precision FPUs). IEEE 754 square roots are
//! correctly rounded, so every path gives the same bits.
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
    #[cfg(not(any(
        all(
            any(target_arch = "x86_64", target_arch = "x86"),
            target_feature = "sse2"
        ),
        all(target_arch = "arm", target_abi = "eabihf")
    )))]
    {
        libm::sqrtf(x)
    }
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
}
