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
