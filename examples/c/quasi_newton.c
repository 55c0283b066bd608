/* BFGS, L-BFGS, bounded L-BFGS and Nelder-Mead through lossmap's C interface on Rosenbrock's
 * function from (-1.2, 1): with an analytic gradient callback and with central differences,
 * in f64 and f32; a box whose constrained minimum is on its edge; bad input refused with
 * nothing written; a loss turning NaN rolled back. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

struct counter {
    unsigned long values, grads;
};

static double rosenbrock(const double *x, size_t n, void *ctx) {
    struct counter *c = (struct counter *)ctx;
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    if (c) c->values++;
    return a * a + 100.0 * b * b;
}

static int32_t rosenbrock_grad(const double *x, size_t n, double *g, void *ctx) {
    struct counter *c = (struct counter *)ctx;
    double b = x[1] - x[0] * x[0];
    (void)n;
    if (c) c->grads++;
    g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * b;
    g[1] = 200.0 * b;
    return 0;
}

static float rosenbrock_f32(const float *x, size_t n, void *ctx) {
    float a = 1.0f - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    (void)ctx;
    return a * a + 100.0f * b * b;
}

/* A gradient callback that fails (non-zero) once x0 passes 0.5. */
static int32_t failing_grad(const double *x, size_t n, double *g, void *ctx) {
    if (x[0] > 0.5) return 1;
    return rosenbrock_grad(x, n, g, ctx);
}

/* NaN once x0 passes 0.5 on the way from (-1.2, 1) to (1, 1). */
static double cliff(const double *x, size_t n, void *ctx) {
    return x[0] > 0.5 ? NAN : rosenbrock(x, n, ctx);
}

/* Scratch for n = 2, m = 10: the largest rule (L-BFGS, 2mn + 2m + 4n = 68). */
static double work[LOSSMAP_LBFGS_WORK_LEN(2, 10)];
static float work_f32[LOSSMAP_LBFGS_WORK_LEN(2, 10)];

int main(void) {
    lossmap_quasi_newton_config_f64 cfg = lossmap_quasi_newton_config_default_f64();
    lossmap_nelder_mead_config_f64 ncfg = lossmap_nelder_mead_config_default_f64();
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_quasi_newton_report_f64 rep;
    struct counter c = {0, 0};
    double x[2] = {-1.2, 1.0};
    int rc;

    CHECK(lossmap_bfgs_work_len(2) == 14 && LOSSMAP_BFGS_WORK_LEN(2) == 14);
    CHECK(lossmap_lbfgs_work_len(2, 10) == 68 && lossmap_nelder_mead_work_len(2) == 12);
    stop.grad_tol = 1e-8;
    rc = lossmap_bfgs_f64(rosenbrock, rosenbrock_grad, &c, x, 2, &cfg, &stop, work, &rep);
    printf("bfgs (analytic gradient): status %d, x = (%.10f, %.10f), loss %.3e, %zu iterations, "
           "%zu values, %zu gradients, stop %d\n",
           rc, x[0], x[1], rep.loss, rep.iterations, rep.value_evals, rep.grad_evals, rep.reason);
    CHECK(rc == LOSSMAP_OK && rep.reason == LOSSMAP_STOP_GRAD_NORM);
    CHECK(fabs(x[0] - 1.0) < 1e-7 && fabs(x[1] - 1.0) < 1e-7);
    CHECK(rep.value_evals == c.values && rep.grad_evals == c.grads);

    x[0] = -1.2;
    x[1] = 1.0;
    stop.grad_tol = 1e-6;
    rc = lossmap_lbfgs_f64(rosenbrock, NULL, NULL, x, 2, 10, &cfg, &stop, work, &rep);
    printf("lbfgs (central differences): status %d, x = (%.8f, %.8f), %zu iterations, %zu values\n", rc,
           x[0], x[1], rep.iterations, rep.value_evals);
    CHECK(rc == LOSSMAP_OK && fabs(x[0] - 1.0) < 1e-5 && fabs(x[1] - 1.0) < 1e-5);
    CHECK(rep.value_evals == rep.grad_evals * 5); /* one value and 2n differences per trial */

    /* On [-2, 0.5] x [-1, 2] the minimum is on the edge x = 0.5, at y = 0.25. */
    {
        double lo[2] = {-2.0, -1.0}, hi[2] = {0.5, 2.0};
        x[0] = -1.2;
        x[1] = 1.0;
        rc = lossmap_lbfgs_bounded_f64(rosenbrock, rosenbrock_grad, NULL, x, lo, hi, 2, 10, &cfg, &stop, work,
                                       &rep);
        printf("lbfgs_bounded: status %d, x = (%.8f, %.8f), loss %.6f, %zu iterations\n", rc, x[0], x[1],
               rep.loss, rep.iterations);
        CHECK(rc == LOSSMAP_OK && x[0] == 0.5 && fabs(x[1] - 0.25) < 1e-6);
        /* lower > upper: refused, x unchanged. */
        lo[0] = 1.0;
        rc = lossmap_lbfgs_bounded_f64(rosenbrock, NULL, NULL, x, lo, hi, 2, 10, &cfg, &stop, work, &rep);
        CHECK(rc == LOSSMAP_ERR_PARAM && x[0] == 0.5);
    }

    x[0] = -1.2;
    x[1] = 1.0;
    rc = lossmap_nelder_mead_f64(rosenbrock, NULL, x, 2, &ncfg, &stop, work, &rep);
    printf("nelder_mead: status %d, x = (%.6f, %.6f), %zu iterations, %zu values, %zu shrinks\n", rc, x[0],
           x[1], rep.iterations, rep.value_evals, rep.skipped);
    CHECK(rc == LOSSMAP_OK && rep.reason == LOSSMAP_STOP_STEP_SIZE);
    CHECK(fabs(x[0] - 1.0) < 1e-3 && fabs(x[1] - 1.0) < 1e-3 && rep.value_evals <= 400);

    /* f32. */
    {
        lossmap_quasi_newton_config_f32 cf = lossmap_quasi_newton_config_default_f32();
        lossmap_stop_f32 sf = lossmap_stop_default_f32();
        float xf[2] = {-1.2f, 1.0f};
        sf.grad_tol = 1e-3f;
        rc = lossmap_bfgs_f32(rosenbrock_f32, NULL, NULL, xf, 2, &cf, &sf, work_f32, NULL);
        printf("bfgs f32: status %d, x = (%.5f, %.5f)\n", rc, xf[0], xf[1]);
        CHECK(rc == LOSSMAP_OK && fabsf(xf[0] - 1.0f) < 2e-3f && fabsf(xf[1] - 1.0f) < 4e-3f);
        xf[0] = -1.2f;
        xf[1] = 1.0f;
        rc = lossmap_lbfgs_f32(rosenbrock_f32, NULL, NULL, xf, 2, 5, &cf, &sf, work_f32, NULL);
        CHECK(rc == LOSSMAP_OK && fabsf(xf[0] - 1.0f) < 2e-3f && fabsf(xf[1] - 1.0f) < 4e-3f);
    }

    /* Bad input: nothing written. */
    {
        double y[2] = {-1.2, 1.0};
        double before[LOSSMAP_LBFGS_WORK_LEN(2, 10)];
        lossmap_quasi_newton_config_f64 bad = cfg;
        lossmap_quasi_newton_report_f64 untouched;
        memset(&untouched, 0x5a, sizeof untouched);
        rep = untouched;
        memcpy(before, work, sizeof work);
        bad.c2 = 2.0;
        CHECK(lossmap_bfgs_f64(rosenbrock, NULL, NULL, y, 2, &bad, &stop, work, &rep) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_lbfgs_f64(rosenbrock, NULL, NULL, y, 2, 0, &cfg, &stop, work, &rep) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_bfgs_f64(NULL, NULL, NULL, y, 2, &cfg, &stop, work, &rep) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_bfgs_f64(rosenbrock, NULL, NULL, y, 2, &cfg, &stop, y, &rep) == LOSSMAP_ERR_ALIASED);
        CHECK(lossmap_nelder_mead_f64(rosenbrock, NULL, y, 0, &ncfg, &stop, work, &rep) == LOSSMAP_ERR_EMPTY);
        CHECK(y[0] == -1.2 && y[1] == 1.0);
        CHECK(memcmp(before, work, sizeof work) == 0 && memcmp(&rep, &untouched, sizeof rep) == 0);
    }

    /* A loss turning NaN: rolled back to the last accepted point, which is finite. */
    x[0] = -1.2;
    x[1] = 1.0;
    rc = lossmap_bfgs_f64(cliff, rosenbrock_grad, NULL, x, 2, &cfg, &stop, work, &rep);
    printf("bfgs into NaN: status %d (%s), x = (%.6f, %.6f)\n", rc, lossmap_status_message(rc), x[0], x[1]);
    CHECK(rc == LOSSMAP_ERR_LOSS_NON_FINITE && x[0] <= 0.5 && isfinite(x[1]));

    /* A failing gradient callback: rolled back too. */
    x[0] = -1.2;
    x[1] = 1.0;
    rc = lossmap_lbfgs_f64(rosenbrock, failing_grad, NULL, x, 2, 10, &cfg, &stop, work, &rep);
    printf("lbfgs with a failing gradient: status %d (%s), x = (%.6f, %.6f)\n", rc, lossmap_status_message(rc),
           x[0], x[1]);
    CHECK(rc == LOSSMAP_ERR_GRAD_NON_FINITE && x[0] <= 0.5 && isfinite(x[1]));

    /* Nelder-Mead in f32. */
    {
        lossmap_nelder_mead_config_f32 nf = lossmap_nelder_mead_config_default_f32();
        lossmap_stop_f32 sf = lossmap_stop_default_f32();
        lossmap_quasi_newton_report_f32 rf;
        float xf[2] = {-1.2f, 1.0f};
        rc = lossmap_nelder_mead_f32(rosenbrock_f32, NULL, xf, 2, &nf, &sf, work_f32, &rf);
        printf("nelder_mead f32: status %d, x = (%.4f, %.4f), %zu values\n", rc, xf[0], xf[1], rf.value_evals);
        CHECK(rc == LOSSMAP_OK && fabsf(xf[0] - 1.0f) < 2e-3f && fabsf(xf[1] - 1.0f) < 4e-3f);
    }

    return failures ? 1 : 0;
}
