/* CMA-ES through lossmap's C interface, checked against known minima:
 *   the rotated ellipsoid f = sum_i 10^(6 i/(n-1)) (Q x)_i^2 in 6-D (Q a fixed rotation) on
 *     [-5, 5]^6: minimum 0 at the origin, condition number 1e6;
 *   Rastrigin 3-D on [-5.12, 5.12]^3 with IPOP restarts: minimum 0 at the origin;
 *   six-hump camel (f32), global minimum -1.031628453489877.
 * The L-BFGS polish (LOSSMAP_POLISH_LBFGS) takes its history after CMA-ES's own scratch; bad
 * input must return the right LOSSMAP_ERR_* and leave the buffers and the generator unchanged.
 * Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)
#define N 6
#define LAMBDA_MAX 64

static const double PI = 3.14159265358979323846;

/* A fixed rotation: the product of Givens rotations of angle 0.5 + 0.3 k in planes (k, k+1). */
static double rot[N][N];

static void make_rotation(void) {
    size_t i, j, k;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) rot[i][j] = i == j ? 1.0 : 0.0;
    for (k = 0; k + 1 < N; k++) {
        double c = cos(0.5 + 0.3 * (double)k), s = sin(0.5 + 0.3 * (double)k);
        for (j = 0; j < N; j++) {
            double a = rot[k][j], b = rot[k + 1][j];
            rot[k][j] = c * a - s * b;
            rot[k + 1][j] = s * a + c * b;
        }
    }
}

static double ellipsoid(const double *x, size_t n, void *ctx) {
    double s = 0.0;
    size_t i, j;
    (void)ctx;
    for (i = 0; i < n; i++) {
        double y = 0.0;
        for (j = 0; j < n; j++) y += rot[i][j] * x[j];
        s += pow(10.0, 6.0 * (double)i / (double)(n - 1)) * y * y;
    }
    return s;
}

static double rastrigin(const double *x, size_t n, void *ctx) {
    double s = 10.0 * (double)n;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] - 10.0 * cos(2.0 * PI * x[i]);
    return s;
}

static float camel32(const float *v, size_t n, void *ctx) {
    float x = v[0], y = v[1], x2 = x * x, y2 = y * y;
    (void)n;
    (void)ctx;
    return (4.0f - 2.1f * x2 + x2 * x2 / 3.0f) * x2 + x * y + (-4.0f + 4.0f * y2) * y2;
}

static double work[LOSSMAP_CMAES_WORK_LEN(N, LAMBDA_MAX) + LOSSMAP_POLISH_LEN(LOSSMAP_POLISH_LBFGS, N, 10)];

static void run_ellipsoid(void) {
    lossmap_rng rng;
    double lo[N], hi[N], x[N];
    lossmap_cmaes_config_f64 cfg = lossmap_cmaes_config_default_f64();
    lossmap_search_report_f64 r;
    size_t i;
    for (i = 0; i < N; i++) {
        lo[i] = -5.0;
        hi[i] = 5.0;
        x[i] = 3.0 - (double)i;
    }
    cfg.budget.f_target = 1e-10;
    CHECK(lossmap_cmaes_work_len(N, 10) == LOSSMAP_CMAES_WORK_LEN(N, 10));
    CHECK(lossmap_cmaes_work_len(N, 10) == 3 * N * N + 11 * N + 10 * (N + 1));
    CHECK(lossmap_rng_seed(&rng, 3) == LOSSMAP_OK);
    /* Default population 4 + floor(3 ln 6) = 9; scratch for 10. */
    CHECK(lossmap_cmaes_f64(ellipsoid, NULL, lo, hi, N, &cfg, NULL, &rng, x, 10, work, &r) == LOSSMAP_OK);
    printf("CMA-ES ellipsoid 6-D  f=%.3e evals=%zu generations=%zu stop=%s\n", r.best_loss, r.value_evals,
           r.iterations, lossmap_search_stop_name(r.reason));
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET && r.best_loss <= 1e-10 && ellipsoid(x, N, NULL) == r.best_loss);
    CHECK(r.value_evals <= cfg.budget.max_evals && r.grad_evals == 0);
}

static void run_rastrigin(void) {
    lossmap_rng rng;
    double lo[3] = {-5.12, -5.12, -5.12}, hi[3] = {5.12, 5.12, 5.12}, x[3] = {4.0, -3.0, 2.5};
    lossmap_cmaes_config_f64 cfg = lossmap_cmaes_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    lossmap_search_report_f64 r;
    cfg.budget.f_target = 1e-9;
    cfg.budget.max_evals = 60000;
    cfg.restarts = 5;
    CHECK(polish.kind == LOSSMAP_POLISH_LBFGS && polish.lbfgs.memory == 10);
    CHECK(lossmap_polish_len(LOSSMAP_POLISH_LBFGS, 3, 10) == 2 * 10 * 3 + 2 * 10 + 5 * 3);
    CHECK(lossmap_rng_seed(&rng, 5) == LOSSMAP_OK);
    /* The polish's history follows CMA-ES's own LOSSMAP_CMAES_WORK_LEN(3, 64) values. */
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 3, &cfg, &polish, &rng, x, LAMBDA_MAX, work, &r) == LOSSMAP_OK);
    printf("CMA-ES rastrigin 3-D  f=%.3e evals=%zu restarts=%zu stop=%s\n", r.best_loss, r.value_evals + r.grad_evals,
           r.accepted, lossmap_search_stop_name(r.reason));
    CHECK(r.best_loss <= 1e-9 && rastrigin(x, 3, NULL) == r.best_loss);
    CHECK(r.value_evals + r.grad_evals <= cfg.budget.max_evals);
}

static void run_f32(void) {
    lossmap_rng rng;
    float lo[2] = {-3.0f, -2.0f}, hi[2] = {3.0f, 2.0f}, x[2] = {2.5f, 1.5f};
    static float w[LOSSMAP_CMAES_WORK_LEN(2, 24)];
    lossmap_cmaes_config_f32 cfg = lossmap_cmaes_config_default_f32();
    lossmap_polish_f32 polish = lossmap_polish_default_f32();
    lossmap_search_report_f32 r;
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    cfg.restarts = 2;
    CHECK(lossmap_rng_seed(&rng, 9) == LOSSMAP_OK);
    CHECK(lossmap_cmaes_f32(camel32, NULL, lo, hi, 2, &cfg, &polish, &rng, x, 24, w, &r) == LOSSMAP_OK);
    printf("CMA-ES f32 camel      f=%.7f evals=%zu stop=%s\n", (double)r.best_loss, r.value_evals + r.grad_evals,
           lossmap_search_stop_name(r.reason));
    CHECK(fabs((double)r.best_loss + 1.031628453489877) < 1e-5);
}

static void bad_input(void) {
    lossmap_rng rng, rng0;
    double lo[2] = {-1.0, -1.0}, hi[2] = {1.0, 1.0}, x[2] = {0.5, 0.5}, w[LOSSMAP_CMAES_WORK_LEN(2, 6)], w0[sizeof w / sizeof w[0]];
    lossmap_cmaes_config_f64 cfg = lossmap_cmaes_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    lossmap_search_report_f64 r;
    size_t i;
    for (i = 0; i < sizeof w / sizeof w[0]; i++) w[i] = w0[i] = 7.0;
    CHECK(lossmap_rng_seed(&rng, 1) == LOSSMAP_OK);
    rng0 = rng;
    /* A population scratch smaller than the default population 6. */
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, 5, w, &r) == LOSSMAP_ERR_LENGTH);
    /* Population 1. */
    cfg.population = 1;
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, 6, w, &r) == LOSSMAP_ERR_PARAM);
    cfg = lossmap_cmaes_config_default_f64();
    /* sigma0 <= 0. */
    cfg.sigma0 = 0.0;
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, 6, w, &r) == LOSSMAP_ERR_PARAM);
    cfg = lossmap_cmaes_config_default_f64();
    /* An unknown polish kind; an L-BFGS memory of 0. */
    polish.kind = 9;
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, &polish, &rng, x, 6, w, &r) == LOSSMAP_ERR_PARAM);
    polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    polish.lbfgs.memory = 0;
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, &polish, &rng, x, 6, w, &r) == LOSSMAP_ERR_PARAM);
    /* A start outside the box; work overlapping x. */
    x[0] = 1.5;
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, x, 6, w, &r) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_cmaes_f64(rastrigin, NULL, lo, hi, 2, &cfg, NULL, &rng, w, 6, w, &r) == LOSSMAP_ERR_ALIASED);
    CHECK(x[0] == 1.5 && x[1] == 0.5 && SAME(rng, rng0) && SAME(w, w0));
}

int main(void) {
    make_rotation();
    CHECK(LOSSMAP_POLISH_NONE == 0 && LOSSMAP_POLISH_PROJECTED_GRADIENT == 1 && LOSSMAP_POLISH_LBFGS == 2);
    run_ellipsoid();
    run_rastrigin();
    run_f32();
    bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
