/* Finite-difference derivatives through lossmap's C interface, checked against the analytic
 * derivatives of Rosenbrock's function at (-1.2, 1):
 *   gradient  (-2(1-x) - 400x(y-x^2), 200(y-x^2))         = (-215.6, -88)
 *   Hessian   [[2 - 400(y-x^2) + 800x^2, -400x], [-400x, 200]] = [[1330, 480], [480, 200]]
 *   d^3f/dx^3 = 2400x                                       = -2880
 * Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"


static double rosen(const double *x, size_t n, void *ctx) {
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    (void)ctx;
    return a * a + 100.0 * b * b;
}

static float rosen_f32(const float *x, size_t n, void *ctx) {
    float a = 1.0f - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    (void)ctx;
    return a * a + 100.0f * b * b;
}

static int32_t rosen_grad(const double *x, size_t n, double *g, void *ctx) {
    double b = x[1] - x[0] * x[0];
    (void)n;
    (void)ctx;
    g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * b;
    g[1] = 200.0 * b;
    return 0;
}

static int32_t failing_grad(const double *x, size_t n, double *g, void *ctx) {
    (void)x;
    (void)n;
    (void)g;
    (void)ctx;
    return 1;
}

static double nan_loss(const double *x, size_t n, void *ctx) {
    (void)x;
    (void)n;
    (void)ctx;
    return NAN;
}

static double max_rel(const double *a, const double *b, size_t len) {
    double err = 0.0, scale = 0.0;
    size_t i;
    for (i = 0; i < len; i++) {
        if (fabs(a[i] - b[i]) > err) err = fabs(a[i] - b[i]);
        if (fabs(b[i]) > scale) scale = fabs(b[i]);
    }
    return err / scale;
}

int main(void) {
    const double x[2] = {-1.2, 1.0};
    const double g_true[2] = {-215.6, -88.0};
    const double h_true[4] = {1330.0, 480.0, 480.0, 200.0};
    double g[2], h[4], work[16];
    size_t evals = 0;

    CHECK(lossmap_gradient_forward_f64(rosen, NULL, x, 2, work, g, &evals) == LOSSMAP_OK);
    printf("forward gradient:    evals %zu, rel err %.1e\n", evals, max_rel(g, g_true, 2));
    CHECK(evals == 3 && max_rel(g, g_true, 2) < 1e-6);
    CHECK(lossmap_gradient_central_f64(rosen, NULL, x, 2, work, g, &evals) == LOSSMAP_OK);
    printf("central gradient:    evals %zu, rel err %.1e\n", evals, max_rel(g, g_true, 2));
    CHECK(evals == 4 && max_rel(g, g_true, 2) < 1e-9);
    CHECK(lossmap_gradient_richardson_f64(rosen, NULL, x, 2, work, g, &evals) == LOSSMAP_OK);
    printf("Richardson gradient: evals %zu, rel err %.1e\n", evals, max_rel(g, g_true, 2));
    CHECK(evals == 8 && max_rel(g, g_true, 2) < 1e-11);

    CHECK(lossmap_hessian_f64(rosen, NULL, x, 2, work, h, &evals) == LOSSMAP_OK);
    printf("Hessian (values):    evals %zu, rel err %.1e\n", evals, max_rel(h, h_true, 4));
    CHECK(evals == 7 && max_rel(h, h_true, 4) < 1e-6 && h[1] == h[2]);
    CHECK(lossmap_hessian_richardson_f64(rosen, NULL, x, 2, work, h, &evals) == LOSSMAP_OK);
    printf("Hessian (Richardson): evals %zu, rel err %.1e\n", evals, max_rel(h, h_true, 4));
    CHECK(evals == 13 && max_rel(h, h_true, 4) < 1e-9);
    CHECK(lossmap_hessian_from_gradient_f64(rosen_grad, NULL, x, 2, work, h, &evals) == LOSSMAP_OK);
    printf("Hessian (gradient):  calls %zu, rel err %.1e\n", evals, max_rel(h, h_true, 4));
    CHECK(evals == 4 && max_rel(h, h_true, 4) < 1e-8);

    {
        /* H (1, 1) = (1330 + 480, 480 + 200) = (1810, 680). */
        const double v[2] = {1.0, 1.0}, hv_true[2] = {1810.0, 680.0};
        double hv[2];
        CHECK(lossmap_hvp_f64(rosen_grad, NULL, x, v, 2, work, hv, &evals) == LOSSMAP_OK);
        printf("Hessian-vector:      calls %zu, rel err %.1e\n", evals, max_rel(hv, hv_true, 2));
        CHECK(evals == 2 && max_rel(hv, hv_true, 2) < 1e-8);
    }
    {
        const double d[2] = {1.0, 0.0};
        lossmap_directional_result_f64 dd;
        CHECK(lossmap_directional_f64(rosen, NULL, x, d, 2, work, &dd) == LOSSMAP_OK);
        printf("directional (1,0):   %.6f %.4f %.2f (want -215.6, 1330, -2880)\n", dd.first, dd.second, dd.third);
        CHECK(fabs(dd.first + 215.6) < 1e-8 && fabs(dd.second - 1330.0) < 1e-4 && fabs(dd.third + 2880.0) < 0.5);
    }
    {
        /* A tiny step along -g is modelled faithfully: rho -> 1. */
        double p[2] = {215.6e-6, 88.0e-6}, xp[2], m, rho;
        xp[0] = x[0] + p[0];
        xp[1] = x[1] + p[1];
        CHECK(lossmap_model_value_f64(g_true, h_true, p, 2, &m) == LOSSMAP_OK);
        CHECK(lossmap_fidelity_ratio_f64(rosen(x, 2, NULL), rosen(xp, 2, NULL), g_true, h_true, p, 2, &rho) == LOSSMAP_OK);
        printf("fidelity of a 2e-4 step: rho = %.6f (model change %.6e)\n", rho, m);
        CHECK(fabs(rho - 1.0) < 1e-3);
    }
    {
        float xf[2] = {-1.2f, 1.0f}, hf[4], wf[16];
        double hd[4];
        int i;
        CHECK(lossmap_hessian_f32(rosen_f32, NULL, xf, 2, wf, hf, &evals) == LOSSMAP_OK);
        for (i = 0; i < 4; i++) hd[i] = hf[i];
        printf("Hessian f32 (values): rel err %.1e\n", max_rel(hd, h_true, 4));
        CHECK(max_rel(hd, h_true, 4) < 2e-3);
    }

    /* Bad input: nothing written. */
    {
        double keep[4] = {9.0, 9.0, 9.0, 9.0}, d0[2] = {0.0, 0.0}, xn[2] = {NAN, 1.0};
        lossmap_directional_result_f64 dd;
        memcpy(h, keep, sizeof h);
        CHECK(lossmap_hessian_f64(nan_loss, NULL, x, 2, work, h, NULL) == LOSSMAP_ERR_LOSS_NON_FINITE);
        CHECK(lossmap_hessian_richardson_f64(rosen, NULL, xn, 2, work, h, NULL) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_hessian_from_gradient_f64(failing_grad, NULL, x, 2, work, h, NULL) == LOSSMAP_ERR_GRAD_NON_FINITE);
        CHECK(lossmap_hessian_from_gradient_f64(NULL, NULL, x, 2, work, h, NULL) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_hessian_f64(rosen, NULL, x, 0, work, h, NULL) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_hessian_f64(rosen, NULL, x, 2, h, h, NULL) == LOSSMAP_ERR_ALIASED);
        CHECK(memcmp(h, keep, sizeof h) == 0);
        CHECK(lossmap_directional_f64(rosen, NULL, x, d0, 2, work, &dd) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_fidelity_ratio_f64(1.0, 0.5, d0, h_true, d0, 2, &dd.first) == LOSSMAP_ERR_PARAM);
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all derivative checks passed\n");
    return 0;
}
