/* One-call critical-point classification, lossmap_classify_at_f64 / _f32, on the nine critical
 * points of Himmelblau's function f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2 (the constants of
 * lossmap's testfn::Himmelblau): four minima (index 0), four saddles (index 1), one maximum
 * (index 2). The verdict and curvature summary equal the three-call route (lossmap_hessian,
 * lossmap_curvature, lossmap_classify); the scratch is a static array sized by
 * LOSSMAP_CLASSIFY_AT_WORK_LEN. Bad input returns the right LOSSMAP_ERR_*, leaves `point` and
 * `summary` unchanged and does not call the loss. Exits non-zero on any failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define N 2

static const double MINIMA[4][N] = {
    {3.0, 2.0},
    {-2.805118086952745, 3.131312518250573},
    {-3.779310253377747, -3.28318599128617},
    {3.584428340330492, -1.848126526964403},
};
static const double SADDLES[4][N] = {
    {0.086677504555396, 2.884254701174776},
    {-3.07302575076439, -0.081353044287968},
    {3.385154183607021, 0.073851879837749},
    {-0.127961346730680, -1.953714980244577},
};
static const double MAXIMUM[N] = {-0.270844590667348, -0.923038556479981};

static double work[LOSSMAP_CLASSIFY_AT_WORK_LEN(N)];
static float work32[LOSSMAP_CLASSIFY_AT_WORK_LEN(N)];

/* Himmelblau's function; `ctx` (if not NULL) counts the calls. */
static double himmelblau(const double *x, size_t n, void *ctx) {
    double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    (void)n;
    if (ctx) (*(size_t *)ctx)++;
    return a * a + b * b;
}

static float himmelblau32(const float *x, size_t n, void *ctx) {
    float a = x[0] * x[0] + x[1] - 11.0f, b = x[0] + x[1] * x[1] - 7.0f;
    (void)n;
    (void)ctx;
    return a * a + b * b;
}

static double nan_loss(const double *x, size_t n, void *ctx) {
    (void)x;
    (void)n;
    (void)ctx;
    return NAN;
}

static int same_point(const lossmap_critical_point *a, const lossmap_critical_point *b) {
    return a->kind == b->kind && a->negative == b->negative && a->zero == b->zero;
}

static int same_summary(const lossmap_curvature_summary_f64 *a, const lossmap_curvature_summary_f64 *b) {
    return memcmp(a, b, sizeof *a) == 0; /* bit for bit, NaN log-determinants included */
}

/* Classifies x in one call, and checks it against the three-call route. */
static void classify(const char *name, const double *x, int32_t kind, size_t index) {
    lossmap_critical_point p = {-1, 99, 99}, q;
    lossmap_curvature_summary_f64 s, s3;
    lossmap_tolerance_f64 tol = lossmap_tolerance_default_f64();
    double h[N * N], hwork[LOSSMAP_HESSIAN_WORK_LEN(N)], values[N], vectors[N * N], cwork[N * N], g[N];
    double gwork[LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(N)];
    size_t calls = 0;

    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, &p, &s) == LOSSMAP_OK);
    printf("%-20s kind %d, index %zu, eigenvalues %9.4f %9.4f, %zu evaluations\n", name, (int)p.kind, p.negative,
           s.min, s.max, calls);
    CHECK(p.kind == kind && p.negative == index && p.zero == 0);
    /* 2n for the central-difference gradient, n^2 + n + 1 for the Hessian, 1 for the loss at x,
       n^2 + n for the Hessian at twice the steps (the truncation estimate at a critical point). */
    CHECK(calls == 2 * N + N * N + N + 1 + 1 + N * N + N);

    /* The same verdict and summary from lossmap_gradient_central, _hessian, _curvature, _classify. */
    CHECK(lossmap_gradient_central_f64(himmelblau, NULL, x, N, gwork, g, NULL) == LOSSMAP_OK);
    CHECK(lossmap_hessian_f64(himmelblau, NULL, x, N, hwork, h, NULL) == LOSSMAP_OK);
    CHECK(lossmap_curvature_f64(h, N, cwork, values, vectors, &s3) == LOSSMAP_OK);
    CHECK(lossmap_classify_f64(values, N, sqrt(g[0] * g[0] + g[1] * g[1]), &tol, &q) == LOSSMAP_OK);
    CHECK(same_point(&p, &q));
    CHECK(same_summary(&s, &s3));

    /* NULL tolerance: the defaults; NULL summary: only the verdict. */
    q.kind = -1;
    CHECK(lossmap_classify_at_f64(himmelblau, NULL, x, N, NULL, work, &q, NULL) == LOSSMAP_OK);
    CHECK(same_point(&p, &q));
}

/* In f32 near f = 180 (a saddle, the maximum) the rounding of f over the difference step
 * leaves the central-difference gradient with an error of about 6e-3: the default, scale-free
 * tests (the Newton step within one difference step, or the gradient within its rounding
 * error) still find every critical point. */
static void classify32(const double *x, int32_t kind, size_t index) {
    const float xf[N] = {(float)x[0], (float)x[1]};
    lossmap_critical_point p = {-1, 99, 99};
    lossmap_curvature_summary_f32 s;
    lossmap_tolerance_f32 tol = lossmap_tolerance_default_f32();
    CHECK(lossmap_classify_at_f32(himmelblau32, NULL, xf, N, &tol, work32, &p, &s) == LOSSMAP_OK);
    if (p.kind != kind) printf("f32 at (%g, %g): kind %d, eigenvalues %g %g\n", xf[0], xf[1], (int)p.kind, s.min, s.max);
    CHECK(p.kind == kind && p.negative == index && p.zero == 0);
}

static void bad_input(void) {
    const double x[N] = {3.0, 2.0}, xn[N] = {NAN, 2.0};
    double inside[N + LOSSMAP_CLASSIFY_AT_WORK_LEN(N)];
    lossmap_tolerance_f64 tol = lossmap_tolerance_default_f64(), neg = tol;
    lossmap_critical_point p, p0;
    lossmap_curvature_summary_f64 s[2], s0;
    double *odd_work = (double *)(void *)((uintptr_t)work + 1);
    lossmap_curvature_summary_f64 *odd_summary = (lossmap_curvature_summary_f64 *)(void *)((uintptr_t)&s[0] + 1);
    const lossmap_tolerance_f64 *odd_tol = (const lossmap_tolerance_f64 *)(const void *)((uintptr_t)&tol + 1);
    size_t calls = 0;

    memset(&p, 0x5a, sizeof p);
    p0 = p;
    memset(&s[0], 0x5a, sizeof s[0]);
    s0 = s[0];
    s[1] = s0;
    neg.grad = -1.0;
    memcpy(inside, x, sizeof x);

    CHECK(lossmap_classify_at_f64(NULL, &calls, x, N, &tol, work, &p, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, NULL, N, &tol, work, &p, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, NULL, &p, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, NULL, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, odd_work, &p, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, &p, odd_summary) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, odd_tol, work, &p, &s[0]) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, 0, &tol, work, &p, &s[0]) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, xn, N, &tol, work, &p, &s[0]) == LOSSMAP_ERR_NON_FINITE);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &neg, work, &p, &s[0]) == LOSSMAP_ERR_PARAM);
    /* Overlaps: x inside work, the outputs inside work, the summary over the point or over x. */
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, inside, N, &tol, inside, &p, &s[0]) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, (lossmap_critical_point *)(void *)work,
                                  &s[0]) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, &p,
                                  (lossmap_curvature_summary_f64 *)(void *)(work + 4)) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, x, N, &tol, work, &p, (lossmap_curvature_summary_f64 *)(void *)&p) ==
          LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_classify_at_f64(himmelblau, &calls, (const double *)(const void *)&s[1], N, &tol, work, &p, &s[1]) ==
          LOSSMAP_ERR_ALIASED);
    CHECK(calls == 0);
    /* A NaN loss is reported; nothing is written either. */
    CHECK(lossmap_classify_at_f64(nan_loss, NULL, x, N, &tol, work, &p, &s[0]) == LOSSMAP_ERR_LOSS_NON_FINITE);
    CHECK(memcmp(&p, &p0, sizeof p) == 0 && memcmp(&s[0], &s0, sizeof s0) == 0 && memcmp(&s[1], &s0, sizeof s0) == 0);
    printf("bad input:           rejected, point and summary unchanged, the loss never called\n");
}

int main(void) {
    size_t i;
    char name[32];
    const double off[N] = {1.0, 1.0};
    lossmap_critical_point p;

    for (i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "minimum %zu:", i);
        classify(name, MINIMA[i], LOSSMAP_POINT_MINIMUM, 0);
        classify32(MINIMA[i], LOSSMAP_POINT_MINIMUM, 0);
    }
    for (i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "saddle %zu:", i);
        classify(name, SADDLES[i], LOSSMAP_POINT_SADDLE, 1);
        classify32(SADDLES[i], LOSSMAP_POINT_SADDLE, 1);
    }
    classify("maximum:", MAXIMUM, LOSSMAP_POINT_MAXIMUM, 2);
    classify32(MAXIMUM, LOSSMAP_POINT_MAXIMUM, 2);
    CHECK(lossmap_classify_at_f64(himmelblau, NULL, off, N, NULL, work, &p, NULL) == LOSSMAP_OK);
    CHECK(p.kind == LOSSMAP_POINT_NOT_CRITICAL && p.negative == 0);
    bad_input();

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all classify_at checks passed\n");
    return 0;
}
