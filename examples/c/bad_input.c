/* Every entry point rejects bad input with its status code and leaves the caller's buffers
 * unchanged: null pointers, n = 0, NaN/Inf, negative learning rate, mismatched n, overlapping
 * buffers, and a loss callback that returns NaN. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "basin.h"
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
    basin_adam_f64 adam, adam0;
    basin_adam_config_f64 cfg = basin_adam_config_default_f64();
    basin_stop_f64 stop = basin_stop_default_f64();
    basin_report_f64 rep;
    memcpy(x0, x, sizeof x);
    memcpy(g0, g, sizeof g);

    /* Gradient. */
    CHECK(basin_gradient_central_f64(NULL, NULL, x, 2, work, g, NULL) == BASIN_ERR_NULL);
    CHECK(basin_gradient_central_f64(bowl, NULL, NULL, 2, work, g, NULL) == BASIN_ERR_NULL);
    CHECK(basin_gradient_central_f64(bowl, NULL, x, 0, work, g, NULL) == BASIN_ERR_EMPTY);
    CHECK(basin_gradient_central_f64(bowl, NULL, x, 2, work, NULL, NULL) == BASIN_ERR_NULL);
    CHECK(basin_gradient_central_f64(nan_loss, NULL, x, 2, work, g, NULL) == BASIN_ERR_LOSS_NON_FINITE);
    CHECK(basin_gradient_central_f64(bowl, NULL, x, 2, work, x, NULL) == BASIN_ERR_ALIASED);
    {
        double xn[2] = {NAN, 0.0};
        CHECK(basin_gradient_central_f64(bowl, NULL, xn, 2, work, g, NULL) == BASIN_ERR_NON_FINITE);
        xn[0] = INFINITY;
        CHECK(basin_gradient_central_f64(bowl, NULL, xn, 2, work, g, NULL) == BASIN_ERR_NON_FINITE);
    }
    CHECK(SAME(x, x0) && SAME(g, g0));

    /* Eigen-solver. */
    {
        double a[4] = {1.0, 2.0, 3.0, 1.0}, w[4], vals[2] = {5.0, 5.0}, vecs[4] = {5.0, 5.0, 5.0, 5.0};
        double vals0[2], vecs0[4];
        memcpy(vals0, vals, sizeof vals);
        memcpy(vecs0, vecs, sizeof vecs);
        CHECK(basin_sym_eigen_f64(a, 2, w, vals, vecs) == BASIN_ERR_NOT_SYMMETRIC);
        a[1] = 3.0;
        CHECK(basin_sym_eigen_f64(a, 0, w, vals, vecs) == BASIN_ERR_EMPTY);
        CHECK(basin_sym_eigen_f64(NULL, 2, w, vals, vecs) == BASIN_ERR_NULL);
        CHECK(basin_sym_eigen_f64(a, 2, w, NULL, vecs) == BASIN_ERR_NULL);
        a[0] = NAN;
        CHECK(basin_sym_eigen_f64(a, 2, w, vals, vecs) == BASIN_ERR_NON_FINITE);
        CHECK(SAME(vals, vals0) && SAME(vecs, vecs0));
    }

    /* Adam: bad hyperparameters never initialize the instance. */
    memset(&adam, 0x5a, sizeof adam);
    memcpy(&adam0, &adam, sizeof adam);
    cfg.lr = -0.1;
    CHECK(basin_adam_init_f64(&adam, &cfg, 2, m, v) == BASIN_ERR_PARAM);
    cfg.lr = 0.0;
    CHECK(basin_adam_init_f64(&adam, &cfg, 2, m, v) == BASIN_ERR_PARAM);
    cfg.lr = 0.1;
    cfg.beta1 = 1.0;
    CHECK(basin_adam_init_f64(&adam, &cfg, 2, m, v) == BASIN_ERR_PARAM);
    cfg.beta1 = 0.9;
    CHECK(basin_adam_init_f64(&adam, NULL, 2, m, v) == BASIN_ERR_NULL);
    CHECK(basin_adam_init_f64(&adam, &cfg, 2, m, m) == BASIN_ERR_ALIASED);
    CHECK(memcmp(&adam, &adam0, sizeof adam) == 0);
    CHECK(basin_adam_init_f64(&adam, &cfg, 2, m, v) == BASIN_OK);

    /* Adam step: NaN gradient, wrong n, negative lr set after init: nothing moves. */
    memcpy(&adam0, &adam, sizeof adam);
    {
        double gn[2] = {NAN, 1.0}, m0[2], v0[2];
        memcpy(m0, m, sizeof m);
        memcpy(v0, v, sizeof v);
        CHECK(basin_adam_step_f64(&adam, x, gn, 2) == BASIN_ERR_NON_FINITE);
        CHECK(basin_adam_step_f64(&adam, x, g, 3) == BASIN_ERR_LENGTH);
        CHECK(basin_adam_step_f64(NULL, x, g, 2) == BASIN_ERR_NULL);
        adam.config.lr = -1.0;
        CHECK(basin_adam_step_f64(&adam, x, g, 2) == BASIN_ERR_PARAM);
        adam.config.lr = 0.1;
        CHECK(SAME(x, x0) && SAME(m, m0) && SAME(v, v0) && adam.step == adam0.step);
    }

    /* Minimize: bad stop rule, NaN at the start, NaN mid-run (rolled back to a finite point). */
    stop.max_iter = 0;
    CHECK(basin_minimize_adam_f64(bowl, NULL, x, 2, &adam, &stop, work, &rep) == BASIN_ERR_PARAM);
    stop.max_iter = 100;
    CHECK(basin_minimize_adam_f64(nan_loss, NULL, x, 2, &adam, &stop, work, &rep) == BASIN_ERR_LOSS_NON_FINITE);
    CHECK(basin_minimize_adam_f64(bowl, NULL, x, 1, &adam, &stop, work, &rep) == BASIN_ERR_LENGTH);
    CHECK(SAME(x, x0));
    {
        int rc = basin_minimize_adam_f64(nan_after_moving, NULL, x, 2, &adam, &stop, work, &rep);
        printf("divergence guard: status %d (%s), x = (%.6f, %.6f)\n", rc, basin_status_message(rc), x[0], x[1]);
        CHECK(rc == BASIN_ERR_LOSS_NON_FINITE || rc == BASIN_ERR_GRAD_NON_FINITE);
        CHECK(isfinite(x[0]) && isfinite(x[1]) && x[0] >= 0.5 && !isnan(nan_after_moving(x, 2, NULL)));
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all bad-input checks passed\n");
    return 0;
}
