/* Reference Adam steps in C: see ref_adam.h. Built by dev/build.rs (host, -O3 -march=...
 * -fno-math-errno) and examples/firmware/build.rs (arm-none-eabi-gcc -O3, feature `cost`). */
#include "ref_adam.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* The bit pattern of a float / double, for the strict step's integer range tests. */
static inline uint32_t bits_f32(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline uint64_t bits_f64(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* The checked step's read-only pass: branch-free (vectorizes) unless the core has no SIMD
 * for it, i.e. a Cortex-M (M-profile; MVE aside), where an early exit is cheaper. */
#ifndef REF_BRANCHY_CHECKS
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define REF_BRANCHY_CHECKS 1
#else
#define REF_BRANCHY_CHECKS 0
#endif
#endif

/* Where a subnormal operand costs about a hundred cycles (x86), flush the running products
 * βᵗ to 0 below 2^-60, as lossmap does: 1 - βᵗ is then 1 either way, while an unflushed product
 * sticks at the smallest subnormal (β > 1/2 rounds it back to itself) and every later step pays
 * that penalty. Scalar cores (the firmware build) handle subnormals at full speed: off there. */
#ifndef REF_FLUSH_TINY
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
#define REF_FLUSH_TINY 1
#else
#define REF_FLUSH_TINY 0
#endif
#endif
#if REF_FLUSH_TINY
#define FLUSH(p) ((p) < (T)8.673617379884035e-19 ? (T)0 : (p))
#else
#define FLUSH(p) (p)
#endif

#define T float
#define SFX f32
#define SQRT sqrtf
#define FABS fabsf
#define TMAX FLT_MAX
#define STATE ref_adam_f32
#define UBITS uint32_t
#define BITS bits_f32
#include "ref_adam_impl.h"

/* lean_ldm: the lean step with its read-only pass over blocks of 8 elements in assembly, for
 * a core with single-precision VFP in Thumb-2 (the M4F): per block one `vldmia` of 8
 * registers per stream (4 instructions for the 32 loads), 24 `vfma` (Σx², Σg², Σm²), 8 `vsqrt`
 * and 8 `vadd` (Σ√v), `subs` and `bne`: 46 instructions per 8 elements, the floor of that
 * pass (one load-multiple per stream, each element's four values consumed by one arithmetic
 * instruction each, two for √v). The tail and the rest are the lean step's C. Elsewhere (the
 * M0: no FPU) it is the lean step. */
int REF(adam_lean_ldm_f32)(ref_adam_f32 *s, float *restrict x, const float *restrict g,
                           float *restrict m, float *restrict v, size_t n)
{
    float sum[4] = {0, 0, 0, 0};
    size_t done = 0;
#if defined(__thumb2__) && defined(__ARM_FP) && (__ARM_FP & 4)
    size_t blocks = n / 8;
    if (blocks) {
        const float *xp = x, *gp = g, *mp = m, *vp = v;
        done = blocks * 8;
        __asm__ volatile(
            "vldmia %[acc], {s8-s11}\n\t"
            "1:\n\t"
            "vldmia %[x]!, {s0-s7}\n\t"
            "vfma.f32 s8, s0, s0\n\tvfma.f32 s8, s1, s1\n\t"
            "vfma.f32 s8, s2, s2\n\tvfma.f32 s8, s3, s3\n\t"
            "vfma.f32 s8, s4, s4\n\tvfma.f32 s8, s5, s5\n\t"
            "vfma.f32 s8, s6, s6\n\tvfma.f32 s8, s7, s7\n\t"
            "vldmia %[g]!, {s0-s7}\n\t"
            "vfma.f32 s9, s0, s0\n\tvfma.f32 s9, s1, s1\n\t"
            "vfma.f32 s9, s2, s2\n\tvfma.f32 s9, s3, s3\n\t"
            "vfma.f32 s9, s4, s4\n\tvfma.f32 s9, s5, s5\n\t"
            "vfma.f32 s9, s6, s6\n\tvfma.f32 s9, s7, s7\n\t"
            "vldmia %[m]!, {s0-s7}\n\t"
            "vfma.f32 s10, s0, s0\n\tvfma.f32 s10, s1, s1\n\t"
            "vfma.f32 s10, s2, s2\n\tvfma.f32 s10, s3, s3\n\t"
            "vfma.f32 s10, s4, s4\n\tvfma.f32 s10, s5, s5\n\t"
            "vfma.f32 s10, s6, s6\n\tvfma.f32 s10, s7, s7\n\t"
            "vldmia %[v]!, {s0-s7}\n\t"
            "vsqrt.f32 s12, s0\n\tvsqrt.f32 s13, s1\n\t"
            "vsqrt.f32 s14, s2\n\tvsqrt.f32 s15, s3\n\t"
            "vadd.f32 s11, s11, s12\n\tvadd.f32 s11, s11, s13\n\t"
            "vadd.f32 s11, s11, s14\n\tvadd.f32 s11, s11, s15\n\t"
            "vsqrt.f32 s12, s4\n\tvsqrt.f32 s13, s5\n\t"
            "vsqrt.f32 s14, s6\n\tvsqrt.f32 s15, s7\n\t"
            "vadd.f32 s11, s11, s12\n\tvadd.f32 s11, s11, s13\n\t"
            "vadd.f32 s11, s11, s14\n\tvadd.f32 s11, s11, s15\n\t"
            "subs %[k], %[k], #1\n\t"
            "bne 1b\n\t"
            "vstmia %[acc], {s8-s11}"
            : [x] "+r"(xp), [g] "+r"(gp), [m] "+r"(mp), [v] "+r"(vp), [k] "+r"(blocks)
            : [acc] "r"(sum)
            : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12",
              "s13", "s14", "s15", "cc", "memory");
    }
#endif
    lean_sums_f32(x, g, m, v, done, n, sum);
    return lean_finish_f32(s, x, g, m, v, n, sum);
}
#undef UBITS
#undef BITS
#undef T
#undef SFX
#undef SQRT
#undef FABS
#undef TMAX
#undef STATE

#ifndef REF_NO_F64
#define T double
#define SFX f64
#define SQRT sqrt
#define FABS fabs
#define TMAX DBL_MAX
#define STATE ref_adam_f64
#define UBITS uint64_t
#define BITS bits_f64
#include "ref_adam_impl.h"
#endif
