/*
 * Reference Adam steps in C, the yardstick lossmap's Adam is measured against (dev/benches,
 * dev/src/bin/cost_adam.rs, examples/firmware/src/bin/cost.rs).
 *
 * The formula and operation order of torch.optim.Adam (weight_decay = 0):
 *
 *     m <- b1*m + (1 - b1)*g
 *     v <- b2*v + (1 - b2)*(g*g)
 *     x <- x - (lr/bc1) * (m / (sqrt(v)/sqrt(bc2) + eps)),   bc = 1 - b^t
 *
 * b1^t and b2^t are running products kept in the state (one multiply per step, in the
 * working precision), the way a C programmer writes it; torch evaluates b^t in double.
 *
 * The steps per precision:
 *   - unchecked: the formula, nothing else;
 *   - checked: the guarantees lossmap gives, written the way a careful firmware engineer
 *     would: one read-only pass validates x, g, m, v (finite, v >= 0, |g| small enough that
 *     g*g and the moments stay finite) and bounds each update (|x| + lr/bc1 * |m'|/eps
 *     finite, else the exact per-element check), then one pass updates. Nothing is written
 *     when a check fails (return -1). Its state checks are those of init only;
 *   - strict: checked, and the state (lr, beta1, beta2, eps, the running products) validated
 *     at every step as lossmap validates its caller-writable config and cache;
 *   - sums: lossmap's own scheme (one fused read-only pass of sums that bound every new
 *     value, then the unchecked update);
 *   - lean: the leanest read-only pass found (four sums, one arithmetic instruction each per
 *     element: Σx², Σg², Σm², Σ√v), then the unchecked update;
 *   - lean_ldm (f32 only): lean with its read-only pass over blocks of 8 in assembly
 *     (`vldmia` of 8 registers, Thumb-2 single-precision VFP: the M4F), the floor of that pass;
 *   - undo: write first and restore on failure: the old x, m, v go to a caller scratch of 3n
 *     (`log`, clobbered), one multiply-accumulate per element flags a non-finite new value,
 *     and a flagged step is tested exactly and, if a new value is not finite, undone;
 * plus stream: the memory traffic of an unchecked step (reads x, g, m, v; writes x, m, v)
 * with one add per stream, the memory-bound limit of any Adam step.
 *
 * REF_NO_F64 leaves the double versions out (firmware: no f64 helpers to resolve).
 * Every symbol carries REF_PREFIX (set by the build: several builds of this file, e.g. for
 * different -march, can be linked into one program).
 */
#ifndef REF_ADAM_H
#define REF_ADAM_H

#include <stddef.h>
#include <stdint.h>

#ifndef REF_PREFIX
#define REF_PREFIX ref_
#endif
#define REF_CAT2(a, b) a##b
#define REF_CAT(a, b) REF_CAT2(a, b)
#define REF(name) REF_CAT(REF_PREFIX, name)

/* State of one optimizer; hyperparameters are validated by init (0, or -1 and untouched). */
typedef struct {
    float lr, beta1, beta2, eps;
    float b1t, b2t; /* beta1^t, beta2^t */
    uint32_t t;
} ref_adam_f32;

typedef struct {
    double lr, beta1, beta2, eps;
    double b1t, b2t;
    uint32_t t;
} ref_adam_f64;

int REF(adam_init_f32)(ref_adam_f32 *s, float lr, float beta1, float beta2, float eps);
void REF(adam_unchecked_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                             size_t n);
int REF(adam_checked_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                          size_t n);
int REF(adam_strict_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                          size_t n);
int REF(adam_sums_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                       size_t n);
int REF(adam_undo_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                       size_t n, float *log);
int REF(adam_lean_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                       size_t n);
int REF(adam_lean_ldm_f32)(ref_adam_f32 *s, float *x, const float *g, float *m, float *v,
                           size_t n);
void REF(stream_f32)(float *x, const float *g, float *m, float *v, size_t n);

#ifndef REF_NO_F64
int REF(adam_init_f64)(ref_adam_f64 *s, double lr, double beta1, double beta2, double eps);
void REF(adam_unchecked_f64)(ref_adam_f64 *s, double *x, const double *g, double *m,
                             double *v, size_t n);
int REF(adam_checked_f64)(ref_adam_f64 *s, double *x, const double *g, double *m, double *v,
                          size_t n);
int REF(adam_strict_f64)(ref_adam_f64 *s, double *x, const double *g, double *m,
                          double *v, size_t n);
int REF(adam_sums_f64)(ref_adam_f64 *s, double *x, const double *g, double *m, double *v,
                       size_t n);
int REF(adam_undo_f64)(ref_adam_f64 *s, double *x, const double *g, double *m, double *v,
                       size_t n, double *log);
int REF(adam_lean_f64)(ref_adam_f64 *s, double *x, const double *g, double *m, double *v,
                       size_t n);
void REF(stream_f64)(double *x, const double *g, double *m, double *v, size_t n);
#endif

#endif
