/* Levenberg-Marquardt through lossmap's C interface: calibrates a sensor whose step response is
 * y = a (1 - exp(-b t)) + c from 40 noisy samples (noise from a fixed pseudo-random sequence,
 * standard deviation about 0.02), in f64 with an analytic Jacobian and in f32 with forward
 * differences; prints the parameters with their standard errors and checks them against the
 * true (2.5, 0.7, 0.3) within 4 standard errors. Then Gauss-Newton on the same data, a box
 * that excludes the unconstrained fit, a callback that fails mid-run (x rolled back), and bad
 * input (refused, nothing written). Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define M 40
#define N 3

struct data {
    double t[M], y[M];
    int calls, fail_after;
};

static int32_t rise(const double *p, size_t n, double *r, size_t m, void *ctx) {
    struct data *d = (struct data *)ctx;
    size_t i;
    (void)n;
    d->calls++;
    if (d->fail_after > 0 && d->calls > d->fail_after) return 1;
    for (i = 0; i < m; i++) r[i] = p[0] * (1.0 - exp(-p[1] * d->t[i])) + p[2] - d->y[i];
    return 0;
}

static int32_t rise_jac(const double *p, size_t n, double *jac, size_t m, void *ctx) {
    struct data *d = (struct data *)ctx;
    size_t i;
    for (i = 0; i < m; i++) {
        double e = exp(-p[1] * d->t[i]);
        jac[i * n + 0] = 1.0 - e;
        jac[i * n + 1] = p[0] * d->t[i] * e;
        jac[i * n + 2] = 1.0;
    }
    return 0;
}

static int32_t rise_f32(const float *p, size_t n, float *r, size_t m, void *ctx) {
    struct data *d = (struct data *)ctx;
    size_t i;
    (void)n;
    for (i = 0; i < m; i++)
        r[i] = p[0] * (1.0f - expf(-p[1] * (float)d->t[i])) + p[2] - (float)d->y[i];
    return 0;
}

static double work[LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(M, N)];
static double gwork[LOSSMAP_GAUSS_NEWTON_WORK_LEN(M, N)];
static double swork[LOSSMAP_FIT_STATISTICS_WORK_LEN(M, N)];
static float work32[LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(M, N)];
static double work_before[LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(M, N)];

int main(void) {
    static const double truth[N] = {2.5, 0.7, 0.3};
    struct data d;
    double x[N] = {1.0, 1.0, 0.0}, cov[N * N], se[N], corr[N * N], before[N];
    float x32[N] = {1.0f, 1.0f, 0.0f};
    lossmap_lm_config_f64 cfg = lossmap_lm_config_default_f64();
    lossmap_lm_config_f32 cfg32 = lossmap_lm_config_default_f32();
    lossmap_gauss_newton_config_f64 gcfg = lossmap_gauss_newton_config_default_f64();
    lossmap_lsq_report_f64 rep;
    lossmap_lsq_report_f32 rep32;
    lossmap_fit_summary_f64 fs;
    unsigned long s = 12345;
    size_t i;

    memset(&d, 0, sizeof d);
    for (i = 0; i < M; i++) {
        double u = 0.0;
        int k;
        for (k = 0; k < 12; k++) { /* Irwin-Hall: 12 uniforms minus 6 is about N(0, 1). */
            s = s * 1103515245UL + 12345UL;
            u += (double)((s >> 8) & 0xFFFF) / 65536.0;
        }
        d.t[i] = 10.0 * (double)i / (M - 1);
        d.y[i] = truth[0] * (1.0 - exp(-truth[1] * d.t[i])) + truth[2] + 0.02 * (u - 6.0);
    }

    CHECK(lossmap_levenberg_marquardt_f64(rise, rise_jac, &d, x, N, M, NULL, NULL, &cfg, work, &rep) == LOSSMAP_OK);
    CHECK(rep.reason >= LOSSMAP_LSQ_FTOL && rep.reason <= LOSSMAP_LSQ_GTOL);
    CHECK(lossmap_fit_statistics_f64(rise, rise_jac, &d, x, N, M, cov, se, corr, swork, &fs) == LOSSMAP_OK);
    CHECK(fs.rank == N && fs.covariance_valid == 1 && fs.dof == M - N);
    printf("f64: reason %d, %zu iterations, %zu residual and %zu Jacobian evaluations, cost %.3e\n",
           (int)rep.reason, rep.iterations, rep.residual_evals, rep.jacobian_evals, rep.cost);
    for (i = 0; i < N; i++) {
        printf("  p%zu = %.6f +- %.6f (true %.2f)\n", i, x[i], se[i], truth[i]);
        CHECK(fabs(x[i] - truth[i]) < 4.0 * se[i]);
        CHECK(se[i] > 0.001 && se[i] < 0.05);
        CHECK(fabs(corr[i * N + i] - 1.0) < 1e-12);
    }
    printf("  sigma = %.4f, condition number %.1f\n", sqrt(fs.sigma2), fs.condition);
    CHECK(sqrt(fs.sigma2) > 0.01 && sqrt(fs.sigma2) < 0.04);

    /* f32, forward differences. */
    CHECK(lossmap_levenberg_marquardt_f32(rise_f32, NULL, &d, x32, N, M, NULL, NULL, &cfg32, work32, &rep32) == LOSSMAP_OK);
    printf("f32: reason %d, %zu residual evaluations: %.6f %.6f %.6f\n", (int)rep32.reason, rep32.residual_evals,
           (double)x32[0], (double)x32[1], (double)x32[2]);
    for (i = 0; i < N; i++) CHECK(fabs((double)x32[i] - x[i]) < 0.05 * se[i]);

    /* Gauss-Newton lands on the same fit. */
    {
        double g[N] = {1.0, 1.0, 0.0};
        CHECK(lossmap_gauss_newton_f64(rise, rise_jac, &d, g, N, M, NULL, NULL, &gcfg, gwork, &rep) == LOSSMAP_OK);
        printf("gauss-newton: reason %d, %zu iterations, %zu evaluations, %.9f %.9f %.9f\n", (int)rep.reason, rep.iterations,
               rep.residual_evals, g[0], g[1], g[2]);
        for (i = 0; i < N; i++) CHECK(fabs(g[i] - x[i]) < 1e-3 * se[i]);
    }

    /* A box with c <= 0.25: the fit ends on that bound. */
    {
        double b[N] = {1.0, 1.0, 0.0};
        double lo[N] = {-INFINITY, 0.0, -INFINITY}, hi[N] = {INFINITY, INFINITY, 0.25};
        CHECK(lossmap_levenberg_marquardt_f64(rise, rise_jac, &d, b, N, M, lo, hi, &cfg, work, &rep) == LOSSMAP_OK);
        CHECK(b[2] == 0.25);
        printf("bounded (c <= 0.25): %.6f %.6f %.6f\n", b[0], b[1], b[2]);
    }

    /* The callback fails at its 6th call: x is rolled back to an accepted point. */
    {
        double f[N] = {1.0, 1.0, 0.0};
        d.calls = 0;
        d.fail_after = 5;
        CHECK(lossmap_levenberg_marquardt_f64(rise, rise_jac, &d, f, N, M, NULL, NULL, &cfg, work, &rep) ==
              LOSSMAP_ERR_LOSS_NON_FINITE);
        for (i = 0; i < N; i++) CHECK(isfinite(f[i]));
        d.fail_after = 0;
    }

    /* Bad input: nothing written (x, work, report). */
    memcpy(before, x, sizeof x);
    memcpy(work_before, work, sizeof work);
    rep.iterations = 12345;
    CHECK(lossmap_levenberg_marquardt_f64(rise, NULL, &d, x, N, 2, NULL, NULL, &cfg, work, &rep) == LOSSMAP_ERR_LENGTH);
    CHECK(lossmap_levenberg_marquardt_f64(NULL, NULL, &d, x, N, M, NULL, NULL, &cfg, work, &rep) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_levenberg_marquardt_f64(rise, NULL, &d, work, N, M, NULL, NULL, &cfg, work, &rep) == LOSSMAP_ERR_ALIASED);
    cfg.ftol = -1.0;
    CHECK(lossmap_levenberg_marquardt_f64(rise, NULL, &d, x, N, M, NULL, NULL, &cfg, work, &rep) == LOSSMAP_ERR_PARAM);
    CHECK(memcmp(before, x, sizeof x) == 0);
    CHECK(memcmp(work_before, work, sizeof work) == 0);
    CHECK(rep.iterations == 12345);

    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
