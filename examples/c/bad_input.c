/* Every entry point rejects bad input with its status code and leaves the caller's buffers
 * unchanged: null pointers, n = 0, NaN/Inf, negative learning rate, mismatched n, overlapping
 * buffers, and a loss callback that returns NaN. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"


static double bowl(const double *x, size_t n, void *ctx) {
    double s = 0.0;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i];
    return s;
}

static double nan_loss(const double *x, size_t n, void *ctx) {
    (void)x;
    (void)n;
    (void)ctx;
    return NAN;
}

/* Finite near the start, NaN once x[0] has moved below 0.5: divergence mid-run. */
static double nan_after_moving(const double *x, size_t n, void *ctx) {
    (void)ctx;
    return x[0] < 0.5 ? NAN : bowl(x, n, ctx);
}

#define SAME(a, b) (memcmp((a), (b), sizeof(a)) == 0)

int main(void) {
    double x[2] = {1.0, 2.0}, x0[2], g[2] = {7.0, 7.0}, g0[2], work[4];
    double m[2], v[2];
    lossmap_adam_f64 adam, adam0;
    lossmap_adam_config_f64 cfg = lossmap_adam_config_default_f64();
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_report_f64 rep;
    memcpy(x0, x, sizeof x);
    memcpy(g0, g, sizeof g);

    /* Gradient. */
    CHECK(lossmap_gradient_central_f64(NULL, NULL, x, 2, work, g, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_gradient_central_f64(bowl, NULL, NULL, 2, work, g, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_gradient_central_f64(bowl, NULL, x, 0, work, g, NULL) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_gradient_central_f64(bowl, NULL, x, 2, work, NULL, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_gradient_central_f64(nan_loss, NULL, x, 2, work, g, NULL) == LOSSMAP_ERR_LOSS_NON_FINITE);
    CHECK(lossmap_gradient_central_f64(bowl, NULL, x, 2, work, x, NULL) == LOSSMAP_ERR_ALIASED);
    {
        double xn[2] = {NAN, 0.0};
        CHECK(lossmap_gradient_central_f64(bowl, NULL, xn, 2, work, g, NULL) == LOSSMAP_ERR_NON_FINITE);
        xn[0] = INFINITY;
        CHECK(lossmap_gradient_central_f64(bowl, NULL, xn, 2, work, g, NULL) == LOSSMAP_ERR_NON_FINITE);
    }
    CHECK(SAME(x, x0) && SAME(g, g0));

    /* Eigen-solver. */
    {
        double a[4] = {1.0, 2.0, 3.0, 1.0}, w[4], vals[2] = {5.0, 5.0}, vecs[4] = {5.0, 5.0, 5.0, 5.0};
        double vals0[2], vecs0[4];
        memcpy(vals0, vals, sizeof vals);
        memcpy(vecs0, vecs, sizeof vecs);
        CHECK(lossmap_sym_eigen_f64(a, 2, w, vals, vecs) == LOSSMAP_ERR_NOT_SYMMETRIC);
        a[1] = 3.0;
        CHECK(lossmap_sym_eigen_f64(a, 0, w, vals, vecs) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_sym_eigen_f64(NULL, 2, w, vals, vecs) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_sym_eigen_f64(a, 2, w, NULL, vecs) == LOSSMAP_ERR_NULL);
        a[0] = NAN;
        CHECK(lossmap_sym_eigen_f64(a, 2, w, vals, vecs) == LOSSMAP_ERR_NON_FINITE);
        CHECK(SAME(vals, vals0) && SAME(vecs, vecs0));
    }

    /* Adam: bad hyperparameters never initialize the instance. */
    memset(&adam, 0x5a, sizeof adam);
    memcpy(&adam0, &adam, sizeof adam);
    cfg.lr = -0.1;
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_ERR_PARAM);
    cfg.lr = 0.0;
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_ERR_PARAM);
    cfg.lr = 0.1;
    cfg.beta1 = 1.0;
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_ERR_PARAM);
    cfg.beta1 = 0.9;
    CHECK(lossmap_adam_init_f64(&adam, NULL, 2, m, v) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, m) == LOSSMAP_ERR_ALIASED);
    CHECK(memcmp(&adam, &adam0, sizeof adam) == 0);
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_OK);

    /* Adam step: NaN gradient, wrong n, negative lr set after init: nothing moves. */
    memcpy(&adam0, &adam, sizeof adam);
    {
        double gn[2] = {NAN, 1.0}, m0[2], v0[2];
        memcpy(m0, m, sizeof m);
        memcpy(v0, v, sizeof v);
        CHECK(lossmap_adam_step_f64(&adam, x, gn, 2) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_adam_step_f64(&adam, x, g, 3) == LOSSMAP_ERR_LENGTH);
        CHECK(lossmap_adam_step_f64(NULL, x, g, 2) == LOSSMAP_ERR_NULL);
        adam.config.lr = -1.0;
        CHECK(lossmap_adam_step_f64(&adam, x, g, 2) == LOSSMAP_ERR_PARAM);
        adam.config.lr = 0.1;
        CHECK(SAME(x, x0) && SAME(m, m0) && SAME(v, v0) && adam.step == adam0.step);
    }

    /* Minimize: bad stop rule, NaN at the start, NaN mid-run (rolled back to a finite point). */
    stop.max_iter = 0;
    CHECK(lossmap_minimize_adam_f64(bowl, NULL, x, 2, &adam, &stop, work, &rep) == LOSSMAP_ERR_PARAM);
    stop.max_iter = 100;
    CHECK(lossmap_minimize_adam_f64(nan_loss, NULL, x, 2, &adam, &stop, work, &rep) == LOSSMAP_ERR_LOSS_NON_FINITE);
    CHECK(lossmap_minimize_adam_f64(bowl, NULL, x, 1, &adam, &stop, work, &rep) == LOSSMAP_ERR_LENGTH);
    CHECK(SAME(x, x0));
    {
        int rc = lossmap_minimize_adam_f64(nan_after_moving, NULL, x, 2, &adam, &stop, work, &rep);
        printf("divergence guard: status %d (%s), x = (%.6f, %.6f)\n", rc, lossmap_status_message(rc), x[0], x[1]);
        CHECK(rc == LOSSMAP_ERR_LOSS_NON_FINITE || rc == LOSSMAP_ERR_GRAD_NON_FINITE);
        CHECK(isfinite(x[0]) && isfinite(x[1]) && x[0] >= 0.5 && !isnan(nan_after_moving(x, 2, NULL)));
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all bad-input checks passed\n");
    return 0;
}
