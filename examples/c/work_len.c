/* The scratch-size macros of lossmap.h against the library's own rules.
 *
 * For every entry point with a `work` argument, and for several sizes n:
 *   - the compile-time macro LOSSMAP_<FN>_WORK_LEN(...) equals the run-time
 *     lossmap_<fn>_work_len(...);
 *   - the call succeeds with a work buffer of exactly that many elements, followed by guard
 *     values it must leave untouched (so the library reads and writes no element past it).
 * The other size macros (LOSSMAP_*_LEN: theta, NEB path, eigenvectors, replica pairs) are checked
 * the same way on their buffers. Static arrays sized by the macros show they are integer
 * constant expressions. Exits non-zero on any failure. */
#include <stdio.h>
#include <stdlib.h>

#include "lossmap.h"
#include "check.h"

/* Integer constant expressions: usable for static arrays and compile-time checks. */
static float static_grad_work[LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(8)];
static double static_classify_work[LOSSMAP_CLASSIFY_AT_WORK_LEN(2)];
typedef char hessian_work_is_12_for_3[(LOSSMAP_HESSIAN_WORK_LEN(3) == 12) ? 1 : -1];
typedef char multistart_work_is_36_for_3[(LOSSMAP_MULTISTART_WORK_LEN(3, 1) == 36) ? 1 : -1];

#define GUARD 4
static const double CANARY = -7777.25;
static const size_t CANARY_Z = 0xC0FFEEu;

/* A bump allocator of guarded buffers; `fresh()` starts a call, `intact()` checks its guards. */
static double pool[1 << 14];
static size_t pool_z[256];
static int32_t pool_i[256];
static size_t used, used_z, used_i;
static struct {
    double *p;
    size_t len;
} taken[24];
static struct {
    size_t *p;
    size_t len;
} taken_z[4];
static struct {
    int32_t *p;
    size_t len;
} taken_i[2];
static size_t ntaken, ntaken_z, ntaken_i;
static const int32_t CANARY_I = -77777;

static void fresh(void) {
    used = used_z = used_i = ntaken = ntaken_z = ntaken_i = 0;
}

static double *take(size_t len) {
    double *p = pool + used;
    size_t i;
    if (used + len + GUARD > sizeof pool / sizeof pool[0] || ntaken == sizeof taken / sizeof taken[0]) {
        fprintf(stderr, "pool exhausted\n");
        exit(2);
    }
    for (i = 0; i < len; i++) p[i] = 0.0;
    for (i = 0; i < GUARD; i++) p[len + i] = CANARY;
    taken[ntaken].p = p;
    taken[ntaken].len = len;
    ntaken++;
    used += len + GUARD;
    return p;
}

static size_t *take_z(size_t len) {
    size_t *p = pool_z + used_z;
    size_t i;
    if (used_z + len + GUARD > sizeof pool_z / sizeof pool_z[0] || ntaken_z == sizeof taken_z / sizeof taken_z[0]) {
        fprintf(stderr, "pool exhausted\n");
        exit(2);
    }
    for (i = 0; i < len; i++) p[i] = 0;
    for (i = 0; i < GUARD; i++) p[len + i] = CANARY_Z;
    taken_z[ntaken_z].p = p;
    taken_z[ntaken_z].len = len;
    ntaken_z++;
    used_z += len + GUARD;
    return p;
}

static int32_t *take_i(size_t len) {
    int32_t *p = pool_i + used_i;
    size_t i;
    if (used_i + len + GUARD > sizeof pool_i / sizeof pool_i[0] || ntaken_i == sizeof taken_i / sizeof taken_i[0]) {
        fprintf(stderr, "pool exhausted\n");
        exit(2);
    }
    for (i = 0; i < len; i++) p[i] = 0;
    for (i = 0; i < GUARD; i++) p[len + i] = CANARY_I;
    taken_i[ntaken_i].p = p;
    taken_i[ntaken_i].len = len;
    ntaken_i++;
    used_i += len + GUARD;
    return p;
}

static int intact(void) {
    size_t b, i;
    for (b = 0; b < ntaken; b++)
        for (i = 0; i < GUARD; i++)
            if (taken[b].p[taken[b].len + i] != CANARY) return 0;
    for (b = 0; b < ntaken_z; b++)
        for (i = 0; i < GUARD; i++)
            if (taken_z[b].p[taken_z[b].len + i] != CANARY_Z) return 0;
    for (b = 0; b < ntaken_i; b++)
        for (i = 0; i < GUARD; i++)
            if (taken_i[b].p[taken_i[b].len + i] != CANARY_I) return 0;
    return 1;
}

static int rules, calls;

/* The macro equals the run-time function. */
#define RULE(macro, function)                                                                    \
    do {                                                                                         \
        size_t m_ = (macro), f_ = (function);                                                    \
        rules++;                                                                                 \
        if (m_ != f_) {                                                                          \
            fprintf(stderr, "FAILED %s:%d: %s = %zu but %s = %zu\n", __FILE__, __LINE__, #macro, \
                    m_, #function, f_);                                                          \
            failures++;                                                                          \
        }                                                                                        \
    } while (0)

/* The call succeeds and leaves every guard after its exactly-sized buffers untouched. */
#define EXACT(n, call)                                                                          \
    do {                                                                                        \
        int32_t st_ = (call);                                                                   \
        calls++;                                                                                \
        if (st_ != LOSSMAP_OK || !intact()) {                                                   \
            fprintf(stderr, "FAILED %s:%d (n = %zu): status %d (%s), guards %s: %s\n", __FILE__, \
                    __LINE__, (size_t)(n), (int)st_, lossmap_status_message(st_),               \
                    intact() ? "intact" : "OVERWRITTEN", #call);                                \
            failures++;                                                                         \
        }                                                                                       \
    } while (0)

/* ---- A bowl with its minimum at 0.25 in every coordinate, and its gradient ---- */
static double bowl(const double *x, size_t n, void *ctx) {
    double s = 0.0;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += (double)(i + 1) * (x[i] - 0.25) * (x[i] - 0.25);
    return s;
}

static float bowl32(const float *x, size_t n, void *ctx) {
    float s = 0.0f;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += (float)(i + 1) * (x[i] - 0.25f) * (x[i] - 0.25f);
    return s;
}

static int32_t bowl_grad(const double *x, size_t n, double *g, void *ctx) {
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) g[i] = 2.0 * (double)(i + 1) * (x[i] - 0.25);
    return 0;
}

/* Per-sample loss for the mini-batch driver: sample s pulls x towards s / 4. */
static double sample_loss(const double *x, size_t n, size_t sample, void *ctx) {
    double s = 0.0, t = (double)sample / 4.0;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += (x[i] - t) * (x[i] - t);
    return s;
}

/* A point inside [-1, 1]^n, away from the minimum. */
static void start(double *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) x[i] = 0.1 * (double)(i % 7) - 0.35;
}

static void box(double *lo, double *hi, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        lo[i] = -1.0;
        hi[i] = 1.0;
    }
}

static void derivatives(size_t n) {
    double x[8], v[8];
    lossmap_directional_result_f64 dr;
    lossmap_directional_estimate_f64 de;
    size_t i;
    start(x, n);
    for (i = 0; i < n; i++) v[i] = 1.0 / (double)(i + 1);

    RULE(LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(n), lossmap_gradient_central_work_len(n));
    fresh();
    EXACT(n, lossmap_gradient_central_f64(bowl, NULL, x, n, take(LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(n)), take(n), NULL));
    RULE(LOSSMAP_GRADIENT_FORWARD_WORK_LEN(n), lossmap_gradient_forward_work_len(n));
    fresh();
    EXACT(n, lossmap_gradient_forward_f64(bowl, NULL, x, n, take(LOSSMAP_GRADIENT_FORWARD_WORK_LEN(n)), take(n), NULL));
    RULE(LOSSMAP_GRADIENT_RICHARDSON_WORK_LEN(n), lossmap_gradient_richardson_work_len(n));
    fresh();
    EXACT(n, lossmap_gradient_richardson_f64(bowl, NULL, x, n, take(LOSSMAP_GRADIENT_RICHARDSON_WORK_LEN(n)), take(n),
                                             NULL));
    RULE(LOSSMAP_HESSIAN_WORK_LEN(n), lossmap_hessian_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_f64(bowl, NULL, x, n, take(LOSSMAP_HESSIAN_WORK_LEN(n)), take(n * n), NULL));
    RULE(LOSSMAP_HESSIAN_RICHARDSON_WORK_LEN(n), lossmap_hessian_richardson_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_richardson_f64(bowl, NULL, x, n, take(LOSSMAP_HESSIAN_RICHARDSON_WORK_LEN(n)), take(n * n),
                                            NULL));
    RULE(LOSSMAP_HESSIAN_FROM_GRADIENT_WORK_LEN(n), lossmap_hessian_from_gradient_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_from_gradient_f64(bowl_grad, NULL, x, n, take(LOSSMAP_HESSIAN_FROM_GRADIENT_WORK_LEN(n)),
                                               take(n * n), NULL));
    RULE(LOSSMAP_HVP_WORK_LEN(n), lossmap_hvp_work_len(n));
    fresh();
    EXACT(n, lossmap_hvp_f64(bowl_grad, NULL, x, v, n, take(LOSSMAP_HVP_WORK_LEN(n)), take(n), NULL));
    RULE(LOSSMAP_DIRECTIONAL_WORK_LEN(n), lossmap_directional_work_len(n));
    fresh();
    EXACT(n, lossmap_directional_f64(bowl, NULL, x, v, n, take(LOSSMAP_DIRECTIONAL_WORK_LEN(n)), &dr));
    RULE(LOSSMAP_GRADIENT_ADAPTIVE_WORK_LEN(n), lossmap_gradient_adaptive_work_len(n));
    fresh();
    EXACT(n, lossmap_gradient_adaptive_f64(bowl, NULL, x, n, take(LOSSMAP_GRADIENT_ADAPTIVE_WORK_LEN(n)), take(n),
                                           take(n), NULL));
    RULE(LOSSMAP_HESSIAN_ADAPTIVE_WORK_LEN(n), lossmap_hessian_adaptive_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_adaptive_f64(bowl, NULL, x, n, take(LOSSMAP_HESSIAN_ADAPTIVE_WORK_LEN(n)), take(n * n),
                                          take(n * n), NULL));
    RULE(LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_WORK_LEN(n), lossmap_hessian_from_gradient_adaptive_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_from_gradient_adaptive_f64(bowl_grad, NULL, x, n,
                                                        take(LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_WORK_LEN(n)),
                                                        take(n * n), take(n * n), NULL));
    RULE(LOSSMAP_HVP_ADAPTIVE_WORK_LEN(n), lossmap_hvp_adaptive_work_len(n));
    fresh();
    EXACT(n, lossmap_hvp_adaptive_f64(bowl_grad, NULL, x, v, n, take(LOSSMAP_HVP_ADAPTIVE_WORK_LEN(n)), take(n),
                                      take(n), NULL));
    RULE(LOSSMAP_DIRECTIONAL_ADAPTIVE_WORK_LEN(n), lossmap_directional_adaptive_work_len(n));
    fresh();
    EXACT(n, lossmap_directional_adaptive_f64(bowl, NULL, x, v, n, take(LOSSMAP_DIRECTIONAL_ADAPTIVE_WORK_LEN(n)),
                                              &de));
    RULE(LOSSMAP_GRADIENT_ADAPTIVE_EX_WORK_LEN(n), lossmap_gradient_adaptive_ex_work_len(n));
    fresh();
    EXACT(n, lossmap_gradient_adaptive_ex_f64(bowl, NULL, x, n, LOSSMAP_ACCURACY_FULL,
                                              take(LOSSMAP_GRADIENT_ADAPTIVE_EX_WORK_LEN(n)), take(n), take(n), NULL));
    RULE(LOSSMAP_HESSIAN_ADAPTIVE_EX_WORK_LEN(n), lossmap_hessian_adaptive_ex_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_adaptive_ex_f64(bowl, NULL, x, n, LOSSMAP_ACCURACY_FULL,
                                             take(LOSSMAP_HESSIAN_ADAPTIVE_EX_WORK_LEN(n)), take(n * n), take(n * n),
                                             NULL));
    RULE(LOSSMAP_DIRECTIONAL_ADAPTIVE_EX_WORK_LEN(n), lossmap_directional_adaptive_ex_work_len(n));
    fresh();
    EXACT(n, lossmap_directional_adaptive_ex_f64(bowl, NULL, x, v, n, LOSSMAP_ACCURACY_FULL,
                                                 take(LOSSMAP_DIRECTIONAL_ADAPTIVE_EX_WORK_LEN(n)), &de));
    RULE(LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_EX_WORK_LEN(n), lossmap_hessian_from_gradient_adaptive_ex_work_len(n));
    fresh();
    EXACT(n, lossmap_hessian_from_gradient_adaptive_ex_f64(bowl_grad, NULL, x, n, LOSSMAP_ACCURACY_FULL,
                                                           take(LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_EX_WORK_LEN(n)),
                                                           take(n * n), take(n * n), NULL));
    RULE(LOSSMAP_HVP_ADAPTIVE_EX_WORK_LEN(n), lossmap_hvp_adaptive_ex_work_len(n));
    fresh();
    EXACT(n, lossmap_hvp_adaptive_ex_f64(bowl_grad, NULL, x, v, n, LOSSMAP_ACCURACY_FULL,
                                         take(LOSSMAP_HVP_ADAPTIVE_EX_WORK_LEN(n)), take(n), take(n), NULL));
}

static void landscape(size_t n) {
    double x[8], d1[8], d2[8], h[64], lo[8], hi[8];
    double curvature, rise;
    int32_t is_convex;
    size_t i, j, nonfinite, products;
    lossmap_rng rng;
    lossmap_curvature_summary_f64 summary;
    lossmap_critical_point point;
    lossmap_noisy_loss_result_f64 noisy;
    lossmap_trace_estimate_f64 trace;
    const size_t k = n < 2 ? n : 2;
    start(x, n);
    box(lo, hi, n);
    for (i = 0; i < n; i++) {
        d1[i] = 1.0;
        d2[i] = (i % 2) ? -1.0 : 1.0;
        for (j = 0; j < n; j++) h[i * n + j] = (i == j) ? 2.0 + (double)i : 0.5 / (double)(1 + i + j);
    }
    lossmap_rng_seed(&rng, 7);

    RULE(LOSSMAP_SYM_EIGEN_WORK_LEN(n), lossmap_sym_eigen_work_len(n));
    fresh();
    EXACT(n, lossmap_sym_eigen_f64(h, n, take(LOSSMAP_SYM_EIGEN_WORK_LEN(n)), take(n), take(n * n)));
    RULE(LOSSMAP_CURVATURE_WORK_LEN(n), lossmap_curvature_work_len(n));
    fresh();
    EXACT(n, lossmap_curvature_f64(h, n, take(LOSSMAP_CURVATURE_WORK_LEN(n)), take(n), take(n * n), &summary));
    RULE(LOSSMAP_CLASSIFY_AT_WORK_LEN(n), lossmap_classify_at_work_len(n));
    fresh();
    EXACT(n, lossmap_classify_at_f64(bowl, NULL, x, n, NULL, take(LOSSMAP_CLASSIFY_AT_WORK_LEN(n)), &point, &summary));
    RULE(LOSSMAP_CONVEX_AT_WORK_LEN(n), lossmap_convex_at_work_len(n));
    fresh();
    EXACT(n, lossmap_convex_at_f64(bowl, NULL, x, n, 1e-6, take(LOSSMAP_CONVEX_AT_WORK_LEN(n)), take(n), &curvature,
                                   &is_convex));
    RULE(LOSSMAP_CONVEX_OVER_BOX_WORK_LEN(n), lossmap_convex_over_box_work_len(n));
    fresh();
    EXACT(n, lossmap_convex_over_box_f64(bowl, NULL, lo, hi, n, 3, &rng, 1e-6, take(LOSSMAP_CONVEX_OVER_BOX_WORK_LEN(n)),
                                         take(n), take(n), &curvature, &is_convex));
    RULE(LOSSMAP_EPSILON_SHARPNESS_WORK_LEN(n), lossmap_epsilon_sharpness_work_len(n));
    fresh();
    EXACT(n, lossmap_epsilon_sharpness_f64(bowl, NULL, x, n, 0.1, 3, &rng, take(LOSSMAP_EPSILON_SHARPNESS_WORK_LEN(n)),
                                           take(n), &rise));
    RULE(LOSSMAP_NOISY_LOSS_WORK_LEN(n), lossmap_noisy_loss_work_len(n));
    fresh();
    EXACT(n, lossmap_noisy_loss_f64(bowl, NULL, x, n, 0.1, 4, &rng, take(LOSSMAP_NOISY_LOSS_WORK_LEN(n)), &noisy));
    RULE(LOSSMAP_CURVATURE_STABILITY_WORK_LEN(n), lossmap_curvature_stability_work_len(n));
    fresh();
    EXACT(n, lossmap_curvature_stability_f64(bowl, NULL, x, n, take(LOSSMAP_CURVATURE_STABILITY_WORK_LEN(n)), take(n),
                                             take(n * n), take(n)));
    RULE(LOSSMAP_TOP_EIGEN_WORK_LEN(n, k), lossmap_top_eigen_work_len(n, k));
    fresh();
    EXACT(n, lossmap_top_eigen_f64(bowl_grad, NULL, x, n, k, 50, 1e-6, &rng, take(LOSSMAP_TOP_EIGEN_WORK_LEN(n, k)),
                                   take(k), take(LOSSMAP_TOP_EIGEN_VECTORS_LEN(n, k)), &products));
    RULE(LOSSMAP_HUTCHINSON_TRACE_WORK_LEN(n), lossmap_hutchinson_trace_work_len(n));
    fresh();
    EXACT(n, lossmap_hutchinson_trace_f64(bowl_grad, NULL, x, n, 3, &rng, take(LOSSMAP_HUTCHINSON_TRACE_WORK_LEN(n)),
                                          &trace));
    RULE(LOSSMAP_SLICE_1D_WORK_LEN(n), lossmap_slice_1d_work_len(n));
    fresh();
    EXACT(n, lossmap_slice_1d_f64(bowl, NULL, x, d1, n, -1.0, 1.0, take(LOSSMAP_SLICE_1D_WORK_LEN(n)), take(5), 5,
                                  &nonfinite));
    RULE(LOSSMAP_SLICE_2D_WORK_LEN(n), lossmap_slice_2d_work_len(n));
    fresh();
    EXACT(n, lossmap_slice_2d_f64(bowl, NULL, x, d1, d2, n, -1.0, 1.0, -0.5, 0.5, 3, 2, take(LOSSMAP_SLICE_2D_WORK_LEN(n)),
                                  take(6), &nonfinite));
}

static void neb(size_t n) {
    const size_t images = 5;
    double a[8], b[8];
    size_t i;
    lossmap_neb_config_f64 cfg = lossmap_neb_config_default_f64();
    lossmap_neb_report_f64 rep;
    cfg.max_iter = 20;
    for (i = 0; i < n; i++) {
        a[i] = -0.5;
        b[i] = 0.75;
    }
    RULE(LOSSMAP_NEB_WORK_LEN(n, images), lossmap_neb_work_len(n, images));
    fresh();
    EXACT(n, lossmap_neb_f64(bowl, NULL, a, b, n, images, &cfg, take(LOSSMAP_NEB_PATH_LEN(n, images)), take(images),
                             take(LOSSMAP_NEB_WORK_LEN(n, images)), &rep));
}

static void census(size_t n) {
    const size_t k = 3;
    double x[8], lo[8], hi[8];
    size_t i;
    lossmap_critical_config_f64 ccfg = lossmap_critical_config_default_f64();
    lossmap_census_config_f64 cfg = lossmap_census_config_default_f64();
    lossmap_critical_report_f64 crep;
    lossmap_census_report rep;
    lossmap_rng rng;
    cfg.starts = 3;
    for (i = 0; i < n; i++) {
        x[i] = 0.3;
        lo[i] = -1.0;
        hi[i] = 1.0;
    }
    RULE(LOSSMAP_CRITICAL_POINT_WORK_LEN(n), lossmap_critical_point_work_len(n));
    fresh();
    EXACT(n, lossmap_critical_point_f64(bowl, NULL, x, n, &ccfg, take(LOSSMAP_CRITICAL_POINT_WORK_LEN(n)), take(n),
                                        &crep));
    RULE(LOSSMAP_CENSUS_WORK_LEN(n), lossmap_census_work_len(n));
    lossmap_rng_seed(&rng, 5);
    fresh();
    EXACT(n, lossmap_census_f64(bowl, NULL, lo, hi, n, &cfg, &rng, k, take(LOSSMAP_CENSUS_POINTS_LEN(n, k)), take(k),
                                take_z(k), take_i(k), take(LOSSMAP_CENSUS_POINTS_LEN(n, k)),
                                take(LOSSMAP_CENSUS_WORK_LEN(n)), &rep));
}

static void optimizers(size_t n) {
    double x[8], m[8], v[8], grad_norm;
    size_t perm[4];
    lossmap_adam_f64 adam;
    lossmap_adam_config_f64 acfg = lossmap_adam_config_default_f64();
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_report_f64 rep;
    lossmap_stochastic_config scfg;
    static const double scores[4] = {3.0, 1.0, 2.0, 0.0};
    lossmap_pacing_f64 pacing = {0.5, 2, 1.0};
    lossmap_stochastic_report_f64 srep;
    lossmap_newton_config_f64 ncfg = lossmap_newton_config_default_f64();
    lossmap_newton_report_f64 nrep;
    lossmap_rng rng;
    acfg.lr = 0.05;
    stop.max_iter = 30;
    scfg.batch = 2;
    scfg.epochs = 2;
    scfg.drop_last = 0;
    lossmap_rng_seed(&rng, 11);

    RULE(LOSSMAP_MINIMIZE_ADAM_WORK_LEN(n), lossmap_minimize_adam_work_len(n));
    start(x, n);
    CHECK(lossmap_adam_init_f64(&adam, &acfg, n, m, v) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_minimize_adam_f64(bowl, NULL, x, n, &adam, &stop, take(LOSSMAP_MINIMIZE_ADAM_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_MINIMIZE_EX_WORK_LEN(n), lossmap_minimize_ex_work_len(n));
    start(x, n);
    CHECK(lossmap_adam_init_f64(&adam, &acfg, n, m, v) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_minimize_ex_f64(bowl, NULL, x, n, LOSSMAP_OPTIMIZER_ADAM, &adam, NULL, NULL, NULL, &stop,
                                     take(LOSSMAP_MINIMIZE_EX_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_MINIMIZE_STOCHASTIC_WORK_LEN(n), lossmap_minimize_stochastic_work_len(n));
    start(x, n);
    CHECK(lossmap_adam_init_f64(&adam, &acfg, n, m, v) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_minimize_stochastic_f64(sample_loss, NULL, NULL, 4, x, n, LOSSMAP_OPTIMIZER_ADAM, &adam, NULL, NULL,
                                             NULL, &scfg, &rng, perm, take(LOSSMAP_MINIMIZE_STOCHASTIC_WORK_LEN(n)), &srep));
    RULE(LOSSMAP_MINIMIZE_CURRICULUM_WORK_LEN(n), lossmap_minimize_curriculum_work_len(n));
    start(x, n);
    CHECK(lossmap_adam_init_f64(&adam, &acfg, n, m, v) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_minimize_curriculum_f64(sample_loss, NULL, NULL, 4, scores, &pacing, x, n, LOSSMAP_OPTIMIZER_ADAM,
                                             &adam, NULL, NULL, NULL, &scfg, &rng, perm,
                                             take(LOSSMAP_MINIMIZE_CURRICULUM_WORK_LEN(n)), &srep));
    RULE(LOSSMAP_SAM_STEP_WORK_LEN(n), lossmap_sam_step_work_len(n));
    start(x, n);
    CHECK(lossmap_adam_init_f64(&adam, &acfg, n, m, v) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_sam_step_f64(bowl, NULL, x, n, 0.05, LOSSMAP_OPTIMIZER_ADAM, &adam,
                                  take(LOSSMAP_SAM_STEP_WORK_LEN(n)), &grad_norm));
    RULE(LOSSMAP_NEWTON_WORK_LEN(n), lossmap_newton_work_len(n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_newton_f64(bowl, NULL, x, n, &ncfg, &stop, take(LOSSMAP_NEWTON_WORK_LEN(n)), &nrep));
    {
        lossmap_quasi_newton_config_f64 qcfg = lossmap_quasi_newton_config_default_f64();
        lossmap_nelder_mead_config_f64 mcfg = lossmap_nelder_mead_config_default_f64();
        lossmap_quasi_newton_report_f64 qrep;
        double lo[8], hi[8];
        size_t i;
        for (i = 0; i < n; i++) {
            lo[i] = -10.0;
            hi[i] = 10.0;
        }
        RULE(LOSSMAP_BFGS_WORK_LEN(n), lossmap_bfgs_work_len(n));
        start(x, n);
        fresh();
        EXACT(n, lossmap_bfgs_f64(bowl, NULL, NULL, x, n, &qcfg, &stop, take(LOSSMAP_BFGS_WORK_LEN(n)), &qrep));
        RULE(LOSSMAP_LBFGS_WORK_LEN(n, 3), lossmap_lbfgs_work_len(n, 3));
        start(x, n);
        fresh();
        EXACT(n, lossmap_lbfgs_f64(bowl, NULL, NULL, x, n, 3, &qcfg, &stop, take(LOSSMAP_LBFGS_WORK_LEN(n, 3)), &qrep));
        start(x, n);
        fresh();
        RULE(LOSSMAP_LBFGS_BOUNDED_WORK_LEN(n, 3), lossmap_lbfgs_bounded_work_len(n, 3));
        EXACT(n, lossmap_lbfgs_bounded_f64(bowl, NULL, NULL, x, lo, hi, n, 3, &qcfg, &stop,
                                           take(LOSSMAP_LBFGS_BOUNDED_WORK_LEN(n, 3)), &qrep));
        RULE(LOSSMAP_NELDER_MEAD_WORK_LEN(n), lossmap_nelder_mead_work_len(n));
        start(x, n);
        fresh();
        EXACT(n, lossmap_nelder_mead_f64(bowl, NULL, x, n, &mcfg, &stop, take(LOSSMAP_NELDER_MEAD_WORK_LEN(n)), &qrep));
    }
}

/* Residuals r_i = x_(i mod n) - 0.1 i (m = n + 3 of them): linear, full rank. */
static int32_t lin_residuals(const double *x, size_t n, double *r, size_t m, void *ctx) {
    size_t i;
    (void)ctx;
    for (i = 0; i < m; i++) r[i] = x[i % n] - 0.1 * (double)i;
    return 0;
}

static void nonlinear_lsq(size_t n) {
    const size_t m = n + 3;
    double x[8];
    lossmap_lm_config_f64 lcfg = lossmap_lm_config_default_f64();
    lossmap_gauss_newton_config_f64 gcfg = lossmap_gauss_newton_config_default_f64();
    lossmap_lsq_report_f64 rep;
    lossmap_fit_summary_f64 fs;

    RULE(LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(m, n), lossmap_levenberg_marquardt_work_len(m, n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_levenberg_marquardt_f64(lin_residuals, NULL, NULL, x, n, m, NULL, NULL, &lcfg,
                                             take(LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(m, n)), &rep));
    RULE(LOSSMAP_GAUSS_NEWTON_WORK_LEN(m, n), lossmap_gauss_newton_work_len(m, n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_gauss_newton_f64(lin_residuals, NULL, NULL, x, n, m, NULL, NULL, &gcfg,
                                      take(LOSSMAP_GAUSS_NEWTON_WORK_LEN(m, n)), &rep));
    RULE(LOSSMAP_FIT_STATISTICS_WORK_LEN(m, n), lossmap_fit_statistics_work_len(m, n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_fit_statistics_f64(lin_residuals, NULL, NULL, x, n, m, take(n * n), take(n), take(n * n),
                                        take(LOSSMAP_FIT_STATISTICS_WORK_LEN(m, n)), &fs));
}

static void least_squares(size_t d) {
    const size_t m = 2 * d + 4;
    double xm[8 * 20], y[20];
    size_t i, j;
    for (i = 0; i < m; i++) {
        y[i] = 0.5;
        for (j = 0; j < d; j++) {
            xm[i * d + j] = (i % (j + 2) == 0) ? 1.0 + 0.1 * (double)j : 0.3 * (double)((i * (j + 3)) % 5);
            y[i] += (double)(j + 1) * xm[i * d + j];
        }
    }
    RULE(LOSSMAP_LEAST_SQUARES_WORK_LEN(d), lossmap_least_squares_work_len(d));
    fresh();
    EXACT(d, lossmap_least_squares_f64(xm, y, m, d, take(LOSSMAP_LEAST_SQUARES_WORK_LEN(d)),
                                       take(LOSSMAP_LEAST_SQUARES_THETA_LEN(d))));
}

static void global(size_t n) {
    const size_t k = 3, p = 4, r = 3, dp = 5;
    double x[8], lo[8], hi[8], pop[4 * 8], xs[3 * 8], dpop[5 * 8];
    lossmap_rng rng;
    lossmap_search_report_f64 rep;
    lossmap_budget_f64 budget = lossmap_budget_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_hopping_config_f64 hop = lossmap_hopping_config_default_f64();
    lossmap_annealing_config_f64 ann = lossmap_annealing_config_default_f64();
    lossmap_perturbed_config_f64 pgd = lossmap_perturbed_config_default_f64();
    lossmap_genetic_config_f64 ga = lossmap_genetic_config_default_f64();
    lossmap_replica_config_f64 rex = lossmap_replica_config_default_f64();
    lossmap_differential_evolution_config_f64 de = lossmap_differential_evolution_config_default_f64();
    lossmap_dual_annealing_config_f64 da = lossmap_dual_annealing_config_default_f64();
    lossmap_cmaes_config_f64 es = lossmap_cmaes_config_default_f64();
    lossmap_polish_f64 lbfgs = lossmap_polish_default_f64();
    const size_t lam = 12; /* population scratch: the default 4 + 3 ln n is <= 10 for n <= 8 */
    int classify;
    es.budget.max_evals = 400;
    lbfgs.lbfgs.memory = 3;
    lbfgs.lbfgs.max_iter = 5;
    budget.max_evals = 400;
    polish.projected_gradient.max_iter = 5;
    hop.budget.max_evals = ann.budget.max_evals = pgd.budget.max_evals = 400;
    ga.budget.max_evals = rex.budget.max_evals = 400;
    de.budget.max_evals = da.budget.max_evals = 400;
    box(lo, hi, n);
    lossmap_rng_seed(&rng, 5);

    for (classify = 0; classify <= 1; classify++) {
        double starts[3 * 8];
        RULE(LOSSMAP_MULTISTART_WORK_LEN(n, classify), lossmap_multistart_work_len(n, classify));
        CHECK(lossmap_uniform_starts_f64(lo, hi, n, &rng, starts, k) == LOSSMAP_OK);
        fresh();
        EXACT(n, lossmap_multistart_f64(bowl, NULL, lo, hi, n, &budget, &polish, starts, k, take(k), take(n),
                                        classify ? take_i(k) : NULL, NULL,
                                        take(LOSSMAP_MULTISTART_WORK_LEN(n, classify)), &rep));
    }
    RULE(LOSSMAP_HOPPING_WORK_LEN(n), lossmap_hopping_work_len(n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_hopping_f64(bowl, NULL, lo, hi, n, &hop, &polish, NULL, &rng, x, take(LOSSMAP_HOPPING_WORK_LEN(n)),
                                 &rep));
    RULE(LOSSMAP_ANNEAL_WORK_LEN(n), lossmap_anneal_work_len(n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_anneal_f64(bowl, NULL, lo, hi, n, &ann, &polish, NULL, &rng, x, take(LOSSMAP_ANNEAL_WORK_LEN(n)),
                                &rep));
    RULE(LOSSMAP_PERTURBED_GD_WORK_LEN(n), lossmap_perturbed_gd_work_len(n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_perturbed_gd_f64(bowl, NULL, x, n, &pgd, &rng, take(LOSSMAP_PERTURBED_GD_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_GENETIC_WORK_LEN(n), lossmap_genetic_work_len(n));
    CHECK(lossmap_uniform_starts_f64(lo, hi, n, &rng, pop, p) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_genetic_f64(bowl, NULL, lo, hi, n, &ga, &polish, &rng, pop, p, take(p), take(p * n), take(p),
                                 take(n), take(LOSSMAP_GENETIC_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_REPLICA_EXCHANGE_WORK_LEN(n), lossmap_replica_exchange_work_len(n));
    CHECK(lossmap_uniform_starts_f64(lo, hi, n, &rng, xs, r) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_replica_exchange_f64(bowl, NULL, lo, hi, n, &rex, &polish, &rng, xs, r, take(r), take(r),
                                          take_z(LOSSMAP_REPLICA_EXCHANGE_PAIRS_LEN(r)),
                                          take_z(LOSSMAP_REPLICA_EXCHANGE_PAIRS_LEN(r)), take(n),
                                          take(LOSSMAP_REPLICA_EXCHANGE_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_DIFFERENTIAL_EVOLUTION_WORK_LEN(n), lossmap_differential_evolution_work_len(n));
    CHECK(lossmap_latin_hypercube_f64(lo, hi, n, &rng, dpop, dp) == LOSSMAP_OK);
    fresh();
    EXACT(n, lossmap_differential_evolution_f64(bowl, NULL, lo, hi, n, &de, &polish, &rng, dpop, dp, take(dp),
                                                take(n), take(LOSSMAP_DIFFERENTIAL_EVOLUTION_WORK_LEN(n)), &rep));
    RULE(LOSSMAP_DUAL_ANNEALING_WORK_LEN(n), lossmap_dual_annealing_work_len(n));
    start(x, n);
    fresh();
    EXACT(n, lossmap_dual_annealing_f64(bowl, NULL, lo, hi, n, &da, &polish, &rng, x,
                                        take(LOSSMAP_DUAL_ANNEALING_WORK_LEN(n)), &rep));
    /* The L-BFGS polish: its history after the method's own scratch. */
    RULE(LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, n, 3), lossmap_polish_len(LOSSMAP_POLISH_LBFGS, n, 3));
    RULE(LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_PROJECTED_GRADIENT, n, 3),
         lossmap_polish_len(LOSSMAP_POLISH_PROJECTED_GRADIENT, n, 3));
    start(x, n);
    fresh();
    EXACT(n, lossmap_dual_annealing_f64(
                 bowl, NULL, lo, hi, n, &da, &lbfgs, &rng, x,
                 take(LOSSMAP_DUAL_ANNEALING_WORK_LEN(n) + LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, n, 3)), &rep));
    RULE(LOSSMAP_CMAES_WORK_LEN(n, lam), lossmap_cmaes_work_len(n, lam));
    start(x, n);
    fresh();
    EXACT(n, lossmap_cmaes_f64(bowl, NULL, lo, hi, n, &es, &polish, &rng, x, lam, take(LOSSMAP_CMAES_WORK_LEN(n, lam)),
                               &rep));
    start(x, n);
    fresh();
    EXACT(n, lossmap_cmaes_f64(
                 bowl, NULL, lo, hi, n, &es, &lbfgs, &rng, x, lam,
                 take(LOSSMAP_CMAES_WORK_LEN(n, lam) + LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, n, 3)), &rep));
    {
        lossmap_mlsl_config_f64 ml = lossmap_mlsl_config_default_f64();
        const size_t k_max = 20;
        ml.budget.max_evals = 400;
        RULE(LOSSMAP_MLSL_WORK_LEN(n), lossmap_mlsl_work_len(n));
        RULE(LOSSMAP_MLSL_STORE_LEN(n, k_max), lossmap_mlsl_store_len(n, k_max));
        start(x, n);
        fresh();
        EXACT(n, lossmap_mlsl_f64(bowl, NULL, lo, hi, n, &ml, &polish, &rng, x, take(LOSSMAP_MLSL_STORE_LEN(n, k_max)),
                                  k_max, take(LOSSMAP_MLSL_WORK_LEN(n)), &rep));
        start(x, n);
        fresh();
        EXACT(n, lossmap_mlsl_f64(bowl, NULL, lo, hi, n, &ml, &lbfgs, &rng, x, take(LOSSMAP_MLSL_STORE_LEN(n, k_max)),
                                  k_max, take(LOSSMAP_MLSL_WORK_LEN(n) + LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, n, 3)),
                                  &rep));
    }
}

int main(void) {
    static const size_t sizes[] = {1, 2, 3, 5, 8};
    size_t s;
    float x32[8], g32[8];
    double x2[2] = {0.25, 0.25};
    lossmap_critical_point point;
    lossmap_curvature_summary_f64 summary;

    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        derivatives(sizes[s]);
        landscape(sizes[s]);
        neb(sizes[s]);
        census(sizes[s]);
        optimizers(sizes[s]);
        least_squares(sizes[s]);
        nonlinear_lsq(sizes[s]);
        global(sizes[s]);
    }

    /* The static arrays: exactly the macro's length for the call's n. */
    for (s = 0; s < 8; s++) x32[s] = 0.1f * (float)s;
    CHECK(lossmap_gradient_central_f32(bowl32, NULL, x32, 8, static_grad_work, g32, NULL) == LOSSMAP_OK);
    CHECK(sizeof static_grad_work / sizeof static_grad_work[0] == lossmap_gradient_central_work_len(8));
    CHECK(lossmap_classify_at_f64(bowl, NULL, x2, 2, NULL, static_classify_work, &point, &summary) == LOSSMAP_OK);
    CHECK(point.kind == LOSSMAP_POINT_MINIMUM);
    CHECK(sizeof static_classify_work / sizeof static_classify_work[0] == lossmap_classify_at_work_len(2));

    /* The run-time rules report overflow as 0 (the macros are for sizes that fit). */
    CHECK(lossmap_classify_at_work_len((size_t)-1) == 0);
    CHECK(lossmap_neb_work_len((size_t)-1, 3) == 0);

    printf("work_len: %d macro = function checks, %d calls with exactly-sized buffers\n", rules, calls);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
