/* Losses, least squares, regularizers and standardization through lossmap's C interface, on
 * small data sets whose results are worked out by hand in the comments; then bad input, which
 * must return the documented status and leave every output buffer unchanged. Exits non-zero on
 * any failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"


#define NEAR(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol))
#define SAME(a, b) (memcmp((a), (b), sizeof(a)) == 0)

static void regression_losses(void) {
    /* Residuals r = pred - target = (1, -2, 2). */
    const double pred[3] = {1.0, -2.0, 3.0}, target[3] = {0.0, 0.0, 1.0};
    double v = 0.0, g[3];

    /* MSE = (1 + 4 + 4)/3 = 3; gradient 2r/m = (2/3, -4/3, 4/3). */
    CHECK(lossmap_mse_f64(pred, target, 3, &v, g) == LOSSMAP_OK);
    CHECK(NEAR(v, 3.0, 1e-15));
    CHECK(NEAR(g[0], 2.0 / 3.0, 1e-15) && NEAR(g[1], -4.0 / 3.0, 1e-15) && NEAR(g[2], 4.0 / 3.0, 1e-15));
    printf("MSE of residuals (1, -2, 2) = %.17g (3)\n", v);

    /* MAE = (1 + 2 + 2)/3 = 5/3; gradient sign(r)/m = (1/3, -1/3, 1/3). */
    CHECK(lossmap_mae_f64(pred, target, 3, &v, g) == LOSSMAP_OK);
    CHECK(NEAR(v, 5.0 / 3.0, 1e-15) && NEAR(g[1], -1.0 / 3.0, 1e-15));
    /* A zero residual has subgradient 0. */
    CHECK(lossmap_mae_f64(target, target, 1, &v, g) == LOSSMAP_OK && v == 0.0 && g[0] == 0.0);

    /* Huber, delta = 1, one residual 3: delta(|r| - delta/2) = 2.5, gradient delta*sign(r) = 1. */
    {
        const double p = 3.0, t = 0.0;
        CHECK(lossmap_huber_f64(&p, &t, 1, 1.0, &v, g) == LOSSMAP_OK);
        CHECK(v == 2.5 && g[0] == 1.0);
        printf("Huber(delta = 1) of residual 3 = %.17g (2.5)\n", v);
    }
    /* Huber, delta = 1, residuals (0.5, 3): (0.5^2/2 + 2.5)/2 = (0.125 + 2.5)/2 = 1.3125;
     * gradient (0.5/2, 1/2). */
    {
        const double p[2] = {0.5, 3.0}, t[2] = {0.0, 0.0};
        CHECK(lossmap_huber_f64(p, t, 2, 1.0, &v, g) == LOSSMAP_OK);
        CHECK(v == 1.3125 && g[0] == 0.25 && g[1] == 0.5);
    }
    /* f32, value only (grad NULL): MSE of residuals (1, -2, 2) = 3. */
    {
        const float pf[3] = {1.0f, -2.0f, 3.0f}, tf[3] = {0.0f, 0.0f, 1.0f};
        float vf = 0.0f;
        CHECK(lossmap_mse_f32(pf, tf, 3, &vf, NULL) == LOSSMAP_OK && vf == 3.0f);
    }
}

static void classification_losses(void) {
    double v = 0.0, g[4];

    /* Logits (0, 0), label 0: p = (1/2, 1/2), loss -ln(1/2) = ln 2, gradient p - e0 = (-1/2, 1/2). */
    {
        const double z[2] = {0.0, 0.0};
        const uint32_t y[1] = {0};
        CHECK(lossmap_cross_entropy_f64(z, y, 1, 2, &v, g) == LOSSMAP_OK);
        CHECK(NEAR(v, log(2.0), 1e-15) && g[0] == -0.5 && g[1] == 0.5);
        printf("cross-entropy of logits (0, 0), label 0 = %.17g (ln 2 = %.17g)\n", v, log(2.0));
    }
    /* Same in f32. */
    {
        const float zf[2] = {0.0f, 0.0f};
        const uint32_t y[1] = {0};
        float vf = 0.0f, gf[2];
        CHECK(lossmap_cross_entropy_f32(zf, y, 1, 2, &vf, gf) == LOSSMAP_OK);
        CHECK(NEAR(vf, log(2.0), 1e-7) && gf[0] == -0.5f);
    }
    /* Class-weighted, weights (1, 3). Sample 0: logits (0, 0), label 0, loss ln 2.
     * Sample 1: logits (ln 3, 0), label 1: p = (3/4, 1/4), loss -ln(1/4) = ln 4 = 2 ln 2.
     * Weighted mean (1*ln 2 + 3*2 ln 2)/(1 + 3) = 7 ln 2 / 4. */
    {
        const double z[4] = {0.0, 0.0, log(3.0), 0.0}, w[2] = {1.0, 3.0};
        const uint32_t y[2] = {0, 1};
        CHECK(lossmap_cross_entropy_weighted_f64(z, y, 2, 2, w, &v, g) == LOSSMAP_OK);
        CHECK(NEAR(v, 7.0 * log(2.0) / 4.0, 1e-15));
        /* Gradient row 1: w1 (p - e1)/W = 3 (3/4, -3/4)/4 = (9/16, -9/16). */
        CHECK(NEAR(g[2], 9.0 / 16.0, 1e-15) && NEAR(g[3], -9.0 / 16.0, 1e-15));
    }
    /* Cost-sensitive, C = [[0, 1], [5, 0]] (row = true class): logits (0, 0), label 1.
     * Expected cost 1/2*5 + 1/2*0 = 2.5; gradient p_j (C[1][j] - 2.5) = (1.25, -1.25). */
    {
        const double z[2] = {0.0, 0.0}, c[4] = {0.0, 1.0, 5.0, 0.0};
        const uint32_t y[1] = {1};
        CHECK(lossmap_cross_entropy_cost_f64(z, y, 1, 2, c, &v, g) == LOSSMAP_OK);
        CHECK(v == 2.5 && g[0] == 1.25 && g[1] == -1.25);
    }
}

static void least_squares(void) {
    /* Exactly collinear points on y = 2x - 1: slope 2, intercept -1. */
    {
        const double x[4] = {0.0, 1.0, 2.0, 3.0}, y[4] = {-1.0, 1.0, 3.0, 5.0};
        double work[10], theta[2] = {0.0, 0.0};
        CHECK(lossmap_least_squares_work_len(1) == 10);
        CHECK(lossmap_least_squares_f64(x, y, 4, 1, work, theta) == LOSSMAP_OK);
        CHECK(NEAR(theta[0], 2.0, 1e-13) && NEAR(theta[1], -1.0, 1e-13));
        printf("least squares through y = 2x - 1: slope %.17g, intercept %.17g\n", theta[0], theta[1]);
    }
    /* Two features, y = 1 + 2 x1 - 3 x2 exactly on five points. */
    {
        const double x[10] = {0, 0, 1, 0, 0, 1, 1, 1, 2, 1};
        const double y[5] = {1, 3, -2, 0, 2};
        double work[21], theta[3];
        CHECK(lossmap_least_squares_work_len(2) == 21);
        CHECK(lossmap_least_squares_f64(x, y, 5, 2, work, theta) == LOSSMAP_OK);
        CHECK(NEAR(theta[0], 2.0, 1e-13) && NEAR(theta[1], -3.0, 1e-13) && NEAR(theta[2], 1.0, 1e-13));
    }
    /* f32, the line again. */
    {
        const float x[4] = {0.0f, 1.0f, 2.0f, 3.0f}, y[4] = {-1.0f, 1.0f, 3.0f, 5.0f};
        float work[10], theta[2];
        CHECK(lossmap_least_squares_f32(x, y, 4, 1, work, theta) == LOSSMAP_OK);
        CHECK(NEAR(theta[0], 2.0, 1e-5) && NEAR(theta[1], -1.0, 1e-5));
    }
}

static void regularizers(void) {
    double v = 0.0, g[4];
    /* L2, lambda = 0.5, w = (2, -1, 7) with the bias (every 3rd coordinate) left out:
     * 0.5/2 * (4 + 1) = 1.25; gradient lambda*w = (1, -0.5, 0). */
    {
        const double w[3] = {2.0, -1.0, 7.0};
        CHECK(lossmap_l2_f64(w, 3, 0.5, 3, &v, g) == LOSSMAP_OK);
        CHECK(v == 1.25 && g[0] == 1.0 && g[1] == -0.5 && g[2] == 0.0);
    }
    /* L1, lambda = 2, w = (1.5, 0, -0.25), all penalized: 2 * 1.75 = 3.5; gradient (2, 0, -2). */
    {
        const double w[3] = {1.5, 0.0, -0.25};
        CHECK(lossmap_l1_f64(w, 3, 2.0, 0, &v, g) == LOSSMAP_OK);
        CHECK(v == 3.5 && g[0] == 2.0 && g[1] == 0.0 && g[2] == -2.0);
    }
    /* Elastic net, lambda = 1, alpha = 0.5, w = (2, -2): 1*(0.5*4 + 0.25*8) = 4;
     * gradient 0.5 sign(w) + 0.5 w = (1.5, -1.5). */
    {
        const double w[2] = {2.0, -2.0};
        CHECK(lossmap_elastic_net_f64(w, 2, 1.0, 0.5, 0, &v, g) == LOSSMAP_OK);
        CHECK(v == 4.0 && g[0] == 1.5 && g[1] == -1.5);
    }
    /* L1 prox, lambda = 1, step 0.5: threshold 0.5. (2, -0.3, 0.5, -1) -> (1.5, 0, 0, -0.5):
     * weights within the threshold become exactly zero. */
    {
        double w[4] = {2.0, -0.3, 0.5, -1.0};
        CHECK(lossmap_l1_prox_f64(w, 4, 1.0, 0.5, 0) == LOSSMAP_OK);
        CHECK(w[0] == 1.5 && w[1] == 0.0 && w[2] == 0.0 && w[3] == -0.5);
        printf("L1 prox (threshold 0.5) of (2, -0.3, 0.5, -1) = (%g, %g, %g, %g)\n", w[0], w[1], w[2], w[3]);
    }
    /* Elastic-net prox, lambda = 1, alpha = 0.5, step 1: soft(w, 0.5)/(1 + 0.5): 2 -> 1. */
    {
        double w[2] = {2.0, 0.25};
        CHECK(lossmap_elastic_net_prox_f64(w, 2, 1.0, 0.5, 1.0, 0) == LOSSMAP_OK);
        CHECK(w[0] == 1.0 && w[1] == 0.0);
    }
    /* Jensen-Shannon smoothness of rows (0, 0) and (ln 3, 0): p = (1/2, 1/2), q = (3/4, 1/4),
     * m = (5/8, 3/8); JS = 1/2 [1/2 ln(4/5) + 1/2 ln(4/3)] + 1/2 [3/4 ln(6/5) + 1/4 ln(2/3)]. */
    {
        const double z[4] = {0.0, 0.0, log(3.0), 0.0};
        const double want = 0.5 * (0.5 * log(0.8) + 0.5 * log(4.0 / 3.0)) +
                            0.5 * (0.75 * log(1.2) + 0.25 * log(2.0 / 3.0));
        CHECK(lossmap_js_smoothness_f64(z, 2, 2, 1.0, &v, g) == LOSSMAP_OK);
        CHECK(NEAR(v, want, 1e-15));
        CHECK(NEAR(g[0] + g[1], 0.0, 1e-16) && NEAR(g[2] + g[3], 0.0, 1e-16));
    }
}

static void standardization(void) {
    /* Column 0: (1, 3, 5) -> mean 3, population std sqrt(8/3). Column 1: constant 7 -> mean 7,
     * scale 1, reported; it becomes 0. */
    double x[6] = {1.0, 7.0, 3.0, 7.0, 5.0, 7.0}, x0[6], mean[2], scale[2];
    size_t constant = 99;
    memcpy(x0, x, sizeof x);
    CHECK(lossmap_standardize_f64(x, 3, 2, mean, scale, &constant) == LOSSMAP_OK);
    CHECK(constant == 1 && mean[0] == 3.0 && mean[1] == 7.0 && scale[1] == 1.0);
    CHECK(NEAR(scale[0], sqrt(8.0 / 3.0), 1e-15));
    CHECK(NEAR(x[0], -2.0 / sqrt(8.0 / 3.0), 1e-15) && x[1] == 0.0 && x[2] == 0.0 && x[5] == 0.0);
    CHECK(lossmap_unstandardize_f64(x, 3, 2, mean, scale) == LOSSMAP_OK);
    CHECK(NEAR(x[0], 1.0, 1e-15) && NEAR(x[4], 5.0, 1e-15) && x[1] == 7.0);
    (void)x0;
}

static void bad_input(void) {
    double v = 42.0, g[4] = {5.0, 5.0, 5.0, 5.0}, g0[4];
    memcpy(g0, g, sizeof g);

    /* NaN in the data. */
    {
        const double pred[2] = {1.0, NAN}, target[2] = {0.0, 0.0};
        CHECK(lossmap_mse_f64(pred, target, 2, &v, g) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_huber_f64(pred, target, 2, 1.0, &v, g) == LOSSMAP_ERR_NON_FINITE);
    }
    /* Zero samples. */
    {
        const double pred[1] = {1.0}, target[1] = {0.0};
        CHECK(lossmap_mae_f64(pred, target, 0, &v, g) == LOSSMAP_ERR_EMPTY);
        /* Huber delta <= 0. */
        CHECK(lossmap_huber_f64(pred, target, 1, 0.0, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_huber_f64(pred, target, 1, -1.0, &v, g) == LOSSMAP_ERR_PARAM);
        /* NULL value, gradient aliasing an input. */
        CHECK(lossmap_mse_f64(pred, target, 1, NULL, g) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_mse_f64(pred, target, 1, &v, (double *)pred) == LOSSMAP_ERR_ALIASED);
    }
    /* Label >= K, negative cost, negative weight, NaN logit, zero classes. */
    {
        const double z[2] = {0.0, 0.0}, zn[2] = {0.0, NAN};
        const double c[4] = {0.0, 1.0, -5.0, 0.0}, w[2] = {1.0, -1.0};
        const uint32_t y_bad[1] = {2}, y_ok[1] = {0};
        CHECK(lossmap_cross_entropy_f64(z, y_bad, 1, 2, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_cross_entropy_cost_f64(z, y_ok, 1, 2, c, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_cross_entropy_weighted_f64(z, y_ok, 1, 2, w, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_cross_entropy_f64(zn, y_ok, 1, 2, &v, g) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_cross_entropy_f64(z, y_ok, 1, 0, &v, g) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_cross_entropy_f64(z, y_ok, 0, 2, &v, g) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_cross_entropy_f64(z, NULL, 1, 2, &v, g) == LOSSMAP_ERR_NULL);
    }
    CHECK(v == 42.0 && SAME(g, g0));

    /* Rank-deficient least squares (duplicated feature), fewer samples than parameters,
     * NaN in the targets: theta unchanged. */
    {
        const double x[8] = {0, 0, 1, 1, 2, 2, 3, 3}, y[4] = {-1, 1, 3, 5}, yn[4] = {-1, NAN, 3, 5};
        double work[21], theta[3] = {9.0, 9.0, 9.0};
        CHECK(lossmap_least_squares_f64(x, y, 4, 2, work, theta) == LOSSMAP_ERR_NOT_POS_DEF);
        CHECK(lossmap_least_squares_f64(x, y, 2, 2, work, theta) == LOSSMAP_ERR_NOT_POS_DEF);
        CHECK(lossmap_least_squares_f64(x, yn, 4, 2, work, theta) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_least_squares_f64(x, y, 0, 2, work, theta) == LOSSMAP_ERR_EMPTY);
        CHECK(theta[0] == 9.0 && theta[1] == 9.0 && theta[2] == 9.0);
    }
    /* Regularizers: lambda <= 0, alpha outside [0, 1], step <= 0, NaN weight. */
    {
        double w[2] = {1.0, NAN}, wok[2] = {1.0, -1.0}, w0[2];
        memcpy(w0, wok, sizeof wok);
        CHECK(lossmap_l2_f64(wok, 2, 0.0, 0, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_l1_f64(wok, 2, -1.0, 0, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_elastic_net_f64(wok, 2, 1.0, 1.5, 0, &v, g) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_l1_f64(w, 2, 1.0, 0, &v, g) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_l1_prox_f64(wok, 2, 1.0, 0.0, 0) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_l1_prox_f64(w, 2, 1.0, 1.0, 0) == LOSSMAP_ERR_NON_FINITE);
        CHECK(SAME(wok, w0) && v == 42.0 && SAME(g, g0));
    }
    /* Standardization: NaN, zero samples, non-positive scale in the inverse. */
    {
        double x[4] = {1.0, NAN, 2.0, 3.0}, x0[4], mean[2] = {8.0, 8.0}, scale[2] = {8.0, 8.0};
        double bad_scale[2] = {1.0, 0.0};
        size_t constant = 77;
        memcpy(x0, x, sizeof x);
        CHECK(lossmap_standardize_f64(x, 2, 2, mean, scale, &constant) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_standardize_f64(x, 0, 2, mean, scale, &constant) == LOSSMAP_ERR_EMPTY);
        x[1] = 0.0;
        x0[1] = 0.0;
        CHECK(lossmap_unstandardize_f64(x, 2, 2, mean, bad_scale) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_standardize_f64(x, 2, 2, mean, x, &constant) == LOSSMAP_ERR_ALIASED);
        CHECK(SAME(x, x0) && mean[0] == 8.0 && scale[1] == 8.0 && constant == 77);
    }
}

int main(void) {
    regression_losses();
    classification_losses();
    least_squares();
    regularizers();
    standardization();
    bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all loss checks passed\n");
    return 0;
}
