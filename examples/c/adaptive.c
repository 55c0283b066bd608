/* Adaptive finite differences with error bounds through lossmap's C interface, on
 * f(x, y) = exp(3x) + x y^3 at (0.5, 2), against its analytic derivatives:
 *   gradient (3 exp(3x) + y^3, 3 x y^2)            = (3e^1.5 + 8, 6)
 *   Hessian  [[9 exp(3x), 3 y^2], [3 y^2, 6 x y]]   = [[9e^1.5, 12], [12, 6]]
 * Every returned error bound must cover the true error. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

static double f(const double *x, size_t n, void *ctx) {
    size_t *calls = (size_t *)ctx;
    (void)n;
    if (calls) (*calls)++;
    return exp(3.0 * x[0]) + x[0] * x[1] * x[1] * x[1];
}

static float f_f32(const float *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return expf(3.0f * x[0]) + x[0] * x[1] * x[1] * x[1];
}

static int32_t grad(const double *x, size_t n, double *g, void *ctx) {
    (void)n;
    (void)ctx;
    g[0] = 3.0 * exp(3.0 * x[0]) + x[1] * x[1] * x[1];
    g[1] = 3.0 * x[0] * x[1] * x[1];
    return 0;
}

static int32_t grad_f32(const float *x, size_t n, float *g, void *ctx) {
    (void)n;
    (void)ctx;
    g[0] = 3.0f * expf(3.0f * x[0]) + x[1] * x[1] * x[1];
    g[1] = 3.0f * x[0] * x[1] * x[1];
    return 0;
}

static double nan_loss(const double *x, size_t n, void *ctx) {
    (void)x;
    (void)n;
    (void)ctx;
    return NAN;
}

/* Every |est - exact| <= bound, and the largest error relative to max|exact|. */
static int covered(const double *est, const double *bound, const double *exact, size_t len, double *rel) {
    double err = 0.0, scale = 0.0;
    int ok = 1;
    size_t i;
    for (i = 0; i < len; i++) {
        double e = fabs(est[i] - exact[i]);
        if (e > bound[i]) ok = 0;
        if (e > err) err = e;
        if (fabs(exact[i]) > scale) scale = fabs(exact[i]);
    }
    *rel = err / scale;
    return ok;
}

int main(void) {
    const double x[2] = {0.5, 2.0};
    const double e15 = exp(1.5);
    const double g_true[2] = {3.0 * e15 + 8.0, 6.0};
    const double h_true[4] = {9.0 * e15, 12.0, 12.0, 6.0};
    static double work[LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_WORK_LEN(2)];
    double g[2], ge[2], h[4], he[4], rel;
    size_t evals = 0, calls = 0;

    CHECK(lossmap_gradient_adaptive_f64(f, &calls, x, 2, work, g, ge, &evals) == LOSSMAP_OK);
    CHECK(covered(g, ge, g_true, 2, &rel));
    printf("adaptive gradient: evals %zu (callback ran %zu), rel err %.1e, bounds %.1e %.1e\n", evals, calls, rel,
           ge[0], ge[1]);
    CHECK(evals == calls && rel < 1e-11);

    calls = 0;
    CHECK(lossmap_hessian_adaptive_f64(f, &calls, x, 2, work, h, he, &evals) == LOSSMAP_OK);
    CHECK(covered(h, he, h_true, 4, &rel));
    printf("adaptive Hessian:  evals %zu, rel err %.1e\n", evals, rel);
    CHECK(evals == calls && rel < 1e-9 && h[1] == h[2]);

    CHECK(lossmap_hessian_from_gradient_adaptive_f64(grad, NULL, x, 2, work, h, he, &calls) == LOSSMAP_OK);
    CHECK(covered(h, he, h_true, 4, &rel));
    printf("adaptive Hessian from gradients: calls %zu, rel err %.1e\n", calls, rel);
    CHECK(rel < 1e-9);
    {
        /* H (1, 1) = (9e^1.5 + 12, 18). */
        const double v[2] = {1.0, 1.0}, hv_true[2] = {9.0 * e15 + 12.0, 18.0};
        double hv[2], hve[2];
        CHECK(lossmap_hvp_adaptive_f64(grad, NULL, x, v, 2, work, hv, hve, &calls) == LOSSMAP_OK);
        CHECK(covered(hv, hve, hv_true, 2, &rel));
        printf("adaptive Hessian-vector: calls %zu, rel err %.1e\n", calls, rel);
        CHECK(rel < 1e-9);
    }
    {
        const double d[2] = {1.0, 0.0};
        lossmap_directional_estimate_f64 de;
        CHECK(lossmap_directional_adaptive_f64(f, NULL, x, d, 2, work, &de) == LOSSMAP_OK);
        printf("adaptive directional (1,0): %.12f +- %.1e, %.10f +- %.1e\n", de.first, de.first_err, de.second,
               de.second_err);
        CHECK(fabs(de.first - g_true[0]) <= de.first_err && fabs(de.second - h_true[0]) <= de.second_err);
    }
    {
        float xf[2] = {0.5f, 2.0f}, hf[4], hef[4], wf[LOSSMAP_HESSIAN_ADAPTIVE_WORK_LEN(2)];
        double hd[4], hed[4];
        int i;
        CHECK(lossmap_hessian_adaptive_f32(f_f32, NULL, xf, 2, wf, hf, hef, &evals) == LOSSMAP_OK);
        for (i = 0; i < 4; i++) {
            hd[i] = hf[i];
            hed[i] = hef[i];
        }
        CHECK(covered(hd, hed, h_true, 4, &rel));
        printf("adaptive Hessian f32: rel err %.1e\n", rel);
        CHECK(rel < 2e-3);
    }

    /* The opt-in accuracy mode: the error of the returned extrapolation measured with larger steps. */
    {
        size_t fast = 0, full = 0;
        double gf[2], gfe[2];
        lossmap_directional_estimate_f64 de;
        const double d[2] = {1.0, 0.0};
        CHECK(lossmap_gradient_adaptive_ex_f64(f, NULL, x, 2, LOSSMAP_ACCURACY_FAST, work, gf, gfe, &fast) ==
              LOSSMAP_OK);
        CHECK(lossmap_gradient_adaptive_ex_f64(f, NULL, x, 2, LOSSMAP_ACCURACY_FULL, work, g, ge, &full) == LOSSMAP_OK);
        CHECK(covered(g, ge, g_true, 2, &rel));
        printf("adaptive gradient, full accuracy: rel err %.1e, %zu evaluations (fast: %zu)\n", rel, full, fast);
        CHECK(rel < 1e-11 && full >= fast && full <= 1 + 30 * 2);
        CHECK(lossmap_hessian_adaptive_ex_f64(f, NULL, x, 2, LOSSMAP_ACCURACY_FULL, work, h, he, &evals) == LOSSMAP_OK);
        CHECK(covered(h, he, h_true, 4, &rel));
        printf("adaptive Hessian, full accuracy: rel err %.1e, %zu evaluations\n", rel, evals);
        CHECK(rel < 1e-9);
        CHECK(lossmap_directional_adaptive_ex_f64(f, NULL, x, d, 2, LOSSMAP_ACCURACY_FULL, work, &de) == LOSSMAP_OK);
        CHECK(fabs(de.first - g_true[0]) <= de.first_err && fabs(de.second - h_true[0]) <= de.second_err);
    }
    /* The same for the Hessian from gradients and the Hessian-vector product: one scratch length
       for both accuracies. */
    {
        static double wex[LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_EX_WORK_LEN(2)];
        static double wv[LOSSMAP_HVP_ADAPTIVE_EX_WORK_LEN(2)];
        const double v[2] = {1.0, -1.0}, hv_true[2] = {9.0 * e15 - 12.0, 12.0 - 6.0};
        double hv[2], hve[2], rel_fast;
        size_t fast = 0, full = 0;
        CHECK(lossmap_hessian_from_gradient_adaptive_ex_f64(grad, NULL, x, 2, LOSSMAP_ACCURACY_FAST, wex, h, he,
                                                            &fast) == LOSSMAP_OK);
        CHECK(covered(h, he, h_true, 4, &rel_fast));
        CHECK(lossmap_hessian_from_gradient_adaptive_ex_f64(grad, NULL, x, 2, LOSSMAP_ACCURACY_FULL, wex, h, he,
                                                            &full) == LOSSMAP_OK);
        CHECK(covered(h, he, h_true, 4, &rel));
        printf("adaptive Hessian from gradients, full accuracy: rel err %.1e, %zu calls (fast: %.1e, %zu)\n", rel,
               full, rel_fast, fast);
        CHECK(rel < 1e-9 && full >= fast && full <= 36 * 2 && h[1] == h[2]);
        CHECK(lossmap_hvp_adaptive_ex_f64(grad, NULL, x, v, 2, LOSSMAP_ACCURACY_FULL, wv, hv, hve, &calls) ==
              LOSSMAP_OK);
        CHECK(covered(hv, hve, hv_true, 2, &rel));
        printf("adaptive Hessian-vector, full accuracy: rel err %.1e, %zu calls\n", rel, calls);
        CHECK(rel < 1e-9 && calls <= 36);
        {
            float xf[2] = {0.5f, 2.0f}, vf[2] = {1.0f, -1.0f}, of[2], oef[2];
            static float wf[LOSSMAP_HVP_ADAPTIVE_EX_WORK_LEN(2)];
            CHECK(lossmap_hvp_adaptive_ex_f32(grad_f32, NULL, xf, vf, 2, LOSSMAP_ACCURACY_FULL, wf, of, oef, NULL) ==
                  LOSSMAP_OK);
            CHECK(fabs(of[0] - hv_true[0]) <= oef[0] && fabs(of[1] - hv_true[1]) <= oef[1]);
        }
        /* A bad accuracy: the outputs stay as they were. */
        memcpy(hv, v, sizeof hv);
        CHECK(lossmap_hvp_adaptive_ex_f64(grad, NULL, x, v, 2, 7, wv, hv, hve, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_hessian_from_gradient_adaptive_ex_f64(grad, NULL, x, 2, -1, wex, h, he, NULL) ==
              LOSSMAP_ERR_PARAM);
        CHECK(hv[0] == v[0] && hv[1] == v[1]);
    }

    /* Bad input: nothing written. */
    {
        double keep[4] = {9.0, 9.0, 9.0, 9.0}, xn[2] = {NAN, 1.0};
        memcpy(h, keep, sizeof h);
        memcpy(he, keep, sizeof he);
        CHECK(lossmap_hessian_adaptive_f64(nan_loss, NULL, x, 2, work, h, he, NULL) == LOSSMAP_ERR_LOSS_NON_FINITE);
        CHECK(lossmap_hessian_adaptive_f64(f, NULL, xn, 2, work, h, he, NULL) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_hessian_adaptive_f64(f, NULL, x, 2, work, h, h, NULL) == LOSSMAP_ERR_ALIASED);
        CHECK(lossmap_gradient_adaptive_f64(f, NULL, x, 0, work, h, he, NULL) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_gradient_adaptive_f64(NULL, NULL, x, 2, work, h, he, NULL) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_gradient_adaptive_ex_f64(f, NULL, x, 2, 2, work, h, he, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_hessian_adaptive_ex_f64(f, NULL, x, 2, -1, work, h, he, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(memcmp(h, keep, sizeof h) == 0 && memcmp(he, keep, sizeof he) == 0);
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all adaptive derivative checks passed\n");
    return 0;
}
