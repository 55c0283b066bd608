/* Reference Adam steps in C: see ref_adam.h. Built by dev/build.rs (host, -O3 -march=...
 * -fno-math-errno) and examples/firmware/build.rs (arm-none-eabi-gcc -O3, feature `cost`). */
#include "ref_adam.h"

#include <float.h>
#include <math.h>

/* The checked step's read-only pass: branch-free (vectorizes) unless the core has no SIMD
 * for it, i.e. a Cortex-M (M-profile; MVE aside), where an early exit is cheaper. */
#ifndef REF_BRANCHY_CHECKS
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define REF_BRANCHY_CHECKS 1
#else
#define REF_BRANCHY_CHECKS 0
#endif
#endif

#define T float
#define SFX f32
#define SQRT sqrtf
#define FABS fabsf
#define TMAX FLT_MAX
#define STATE ref_adam_f32
#include "ref_adam_impl.h"
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
#include "ref_adam_impl.h"
#endif
