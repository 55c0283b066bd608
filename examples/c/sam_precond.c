/* Sharpness-aware minimization and diagonal preconditioning through the C ABI, checked
 * against hand-worked steps: SAM with SGD on f = x^2 (ascent to x + rho, then the step with
 * the gradient there), a SAM run with Adam on a badly scaled bowl, and g / max(|diag|, delta).
 * Bad input (rho <= 0, unknown optimizer kind, NaN diagonal) changes nothing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

static double square(const double *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] * x[0];
}

static float bowl32(const float *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] * x[0] + 50.0f * x[1] * x[1];
}

int main(void) {
    lossmap_sgd_f64 sgd;
    lossmap_sgd_config_f64 sc = lossmap_sgd_config_default_f64();
    double x[1] = {1.0}, work[2], gn = 0.0;
    int t;

    /* x = 1, rho = 0.05: g = 2, e = +0.05, gradient at 1.05 is 2.1, x <- 1 - 0.1 * 2.1. */
    sc.lr = 0.1;
    CHECK(lossmap_sgd_init_f64(&sgd, &sc, 1, NULL) == LOSSMAP_OK);
    CHECK(lossmap_sam_step_f64(square, NULL, x, 1, 0.05, LOSSMAP_OPTIMIZER_SGD, &sgd, work, &gn) ==
          LOSSMAP_OK);
    CHECK(fabs(gn - 2.0) < 1e-8 && fabs(x[0] - 0.79) < 1e-8);
    printf("SAM step: |g| = %.9f, x = %.9f (hand: 2, 0.79)\n", gn, x[0]);

    /* Bad input: nothing moves. */
    CHECK(lossmap_sam_step_f64(square, NULL, x, 1, 0.0, LOSSMAP_OPTIMIZER_SGD, &sgd, work, &gn) ==
          LOSSMAP_ERR_PARAM);
    CHECK(lossmap_sam_step_f64(square, NULL, x, 1, 0.05, 42, &sgd, work, &gn) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_sam_step_f64(NULL, NULL, x, 1, 0.05, LOSSMAP_OPTIMIZER_SGD, &sgd, work, &gn) ==
          LOSSMAP_ERR_NULL);
    CHECK(fabs(x[0] - 0.79) < 1e-8);

    /* SAM with Adam (f32) on x^2 + 50 y^2 reaches the minimum's rho-neighbourhood. */
    {
        lossmap_adam_f32 adam;
        lossmap_adam_config_f32 ac = lossmap_adam_config_default_f32();
        float p[2] = {1.0f, 1.0f}, m[2], v[2], w[4];
        ac.lr = 0.02f;
        CHECK(lossmap_adam_init_f32(&adam, &ac, 2, m, v) == LOSSMAP_OK);
        for (t = 0; t < 400; t++)
            CHECK(lossmap_sam_step_f32(bowl32, NULL, p, 2, 0.01f, LOSSMAP_OPTIMIZER_ADAM, &adam, w,
                                     NULL) == LOSSMAP_OK);
        CHECK(fabsf(p[0]) < 0.05f && fabsf(p[1]) < 0.05f);
    }

    /* Preconditioning: 4 / max(|2|, .5), 4 / max(|-8|, .5), 4 / max(|0|, .5). */
    {
        double g[3] = {4, 4, 4}, d[3] = {2, -8, 0}, keep[3];
        float g32[2] = {3.0f, 3.0f}, d32[2] = {1.5f, NAN};
        CHECK(lossmap_precondition_diag_f64(g, d, 3, 0.5) == LOSSMAP_OK);
        CHECK(g[0] == 2.0 && g[1] == 0.5 && g[2] == 8.0);
        memcpy(keep, g, sizeof g);
        CHECK(lossmap_precondition_diag_f64(g, d, 3, 0.0) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_precondition_diag_f64(g, g, 3, 0.5) == LOSSMAP_ERR_ALIASED);
        CHECK(memcmp(g, keep, sizeof g) == 0);
        CHECK(lossmap_precondition_diag_f32(g32, d32, 2, 0.1f) == LOSSMAP_ERR_NON_FINITE);
        CHECK(g32[0] == 3.0f && g32[1] == 3.0f);
        d32[1] = 0.5f;
        CHECK(lossmap_precondition_diag_f32(g32, d32, 2, 0.1f) == LOSSMAP_OK);
        CHECK(g32[0] == 2.0f && g32[1] == 6.0f);
    }

    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures != 0;
}
