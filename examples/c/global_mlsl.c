/* Multi-level single linkage (MLSL) through lossmap's C interface, checked against known minima:
 *   Rastrigin 2-D f = 20 + sum(x_i^2 - 10 cos 2 pi x_i) on [-5.12, 5.12]^2: global minimum 0 at
 *     the origin, a local minimum near every integer point;
 *   six-hump camel f = (4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2 on [-3, 3] x [-2, 2]:
 *     global minimum -1.031628453489877 at +-(0.0898, -0.7126).
 * NLopt's defaults (4 samples per iteration, gamma 0.3, sigma 2), the projected-gradient and the
 * L-BFGS polish, f64 and f32, fixed seeds; the returned sample must be sorted by loss and lie in
 * the box; bad input must return the right LOSSMAP_ERR_* and leave the buffers and the
 * generator unchanged. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)
#define K 400

static const double PI = 3.14159265358979323846;
static const double CAMEL_MIN = -1.031628453489877;

static double rastrigin(const double *x, size_t n, void *ctx) {
    double s = 10.0 * (double)n;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] - 10.0 * cos(2.0 * PI * x[i]);
    return s;
}

static double camel(const double *v, size_t n, void *ctx) {
    double x = v[0], y = v[1], x2 = x * x, y2 = y * y;
    (void)n;
    (void)ctx;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2;
}

static float camel32(const float *v, size_t n, void *ctx) {
    float x = v[0], y = v[1], x2 = x * x, y2 = y * y;
    (void)n;
    (void)ctx;
    return (4.0f - 2.1f * x2 + x2 * x2 / 3.0f) * x2 + x * y + (-4.0f + 4.0f * y2) * y2;
}

typedef struct {
    const char *name;
    lossmap_loss_f64 f;
    double lower[2], upper[2];
    double fmin;
} problem;

static double store[LOSSMAP_MLSL_STORE_LEN(2, K)];

static void run(const problem *p, int32_t kind) {
    lossmap_rng rng;
    double x[2] = {p->upper[0] * 0.9, p->lower[1] * 0.8};
    double work[LOSSMAP_MLSL_WORK_LEN(2) + LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, 2, 10)];
    lossmap_mlsl_config_f64 cfg = lossmap_mlsl_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    lossmap_search_report_f64 r;
    size_t i, k;
    polish.kind = kind;
    cfg.budget.f_target = p->fmin + 1e-8;
    CHECK(lossmap_mlsl_work_len(2) == 10 && lossmap_mlsl_store_len(2, K) == K * 9);
    CHECK(lossmap_rng_seed(&rng, 21) == LOSSMAP_OK);
    CHECK(lossmap_mlsl_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &rng, x, store, K, work, &r) ==
          LOSSMAP_OK);
    printf("MLSL (%s) %-10s f=%.12f at (%+.6f, %+.6f)  evals=%zu samples=%zu searches=%zu stop=%s\n",
           kind == LOSSMAP_POLISH_LBFGS ? "L-BFGS" : "gradient", p->name, r.best_loss, x[0], x[1],
           r.value_evals + r.grad_evals, r.iterations, r.accepted, lossmap_search_stop_name(r.reason));
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && p->f(x, 2, NULL) == r.best_loss);
    CHECK(r.value_evals + r.grad_evals <= cfg.budget.max_evals);
    /* The sample: the start and 4 points per sampling phase, ascending loss, in the box. */
    k = 1 + 4 * r.iterations;
    CHECK(k <= K && r.accepted >= 1 && r.accepted <= k);
    for (i = 0; i < k; i++) {
        CHECK(store[2 * i] >= p->lower[0] && store[2 * i] <= p->upper[0]);
        CHECK(store[2 * i + 1] >= p->lower[1] && store[2 * i + 1] <= p->upper[1]);
        if (i > 0) CHECK(p->f(&store[2 * i - 2], 2, NULL) <= p->f(&store[2 * i], 2, NULL));
    }
}

static void f32_run(void) {
    static float store32[LOSSMAP_MLSL_STORE_LEN(2, K)];
    lossmap_rng rng;
    float lo[2] = {-3.0f, -2.0f}, hi[2] = {3.0f, 2.0f}, work[10], x[2] = {2.5f, 1.5f};
    lossmap_mlsl_config_f32 cfg = lossmap_mlsl_config_default_f32();
    lossmap_polish_f32 polish = lossmap_polish_default_f32();
    lossmap_search_report_f32 r;
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    cfg.budget.max_evals = 4000;
    CHECK(lossmap_rng_seed(&rng, 9) == LOSSMAP_OK);
    CHECK(lossmap_mlsl_f32(camel32, NULL, lo, hi, 2, &cfg, &polish, &rng, x, store32, K, work, &r) == LOSSMAP_OK);
    printf("MLSL f32             camel      f=%.7f\n", (double)r.best_loss);
    CHECK(fabs((double)r.best_loss - CAMEL_MIN) < 1e-5);
}

static void bad_input(void) {
    static double store0[LOSSMAP_MLSL_STORE_LEN(2, 8)], store1[LOSSMAP_MLSL_STORE_LEN(2, 8)];
    lossmap_rng rng, rng0;
    double lo[2] = {-1.0, -1.0}, hi[2] = {1.0, 1.0}, work[10], x[2] = {0.5, 0.5};
    lossmap_mlsl_config_f64 cfg = lossmap_mlsl_config_default_f64();
    lossmap_search_report_f64 r;
    size_t i;
    for (i = 0; i < sizeof store0 / sizeof store0[0]; i++) store0[i] = store1[i] = -3.5;
    CHECK(lossmap_rng_seed(&rng, 1) == LOSSMAP_OK);
    rng0 = rng;
    /* gamma 0 is out of (0, 1]. */
    cfg.gamma = 0.0;
    CHECK(lossmap_mlsl_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, store0, 8, work, &r) ==
          LOSSMAP_ERR_PARAM);
    cfg = lossmap_mlsl_config_default_f64();
    /* No sample capacity. */
    CHECK(lossmap_mlsl_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, store0, 0, work, &r) != LOSSMAP_OK);
    /* A start outside the box. */
    x[0] = 1.5;
    CHECK(lossmap_mlsl_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, store0, 8, work, &r) ==
          LOSSMAP_ERR_PARAM);
    /* The store overlapping x. */
    x[0] = 0.5;
    CHECK(lossmap_mlsl_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, store0, store0, 8, work, &r) != LOSSMAP_OK);
    CHECK(x[0] == 0.5 && x[1] == 0.5 && SAME(rng, rng0) && SAME(store0, store1));
}

int main(void) {
    const problem problems[] = {
        {"rastrigin", rastrigin, {-5.12, -5.12}, {5.12, 5.12}, 0.0},
        {"camel", camel, {-3.0, -2.0}, {3.0, 2.0}, CAMEL_MIN},
    };
    size_t i;
    for (i = 0; i < sizeof problems / sizeof problems[0]; i++) {
        run(&problems[i], LOSSMAP_POLISH_PROJECTED_GRADIENT);
        run(&problems[i], LOSSMAP_POLISH_LBFGS);
    }
    f32_run();
    bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
