/* Minimizes Rosenbrock's function through lossmap's C interface, with statically allocated
 * state, then checks the result against the known minimum (1, 1) and the Hessian eigenvalues
 * there against their closed form. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>

#include "lossmap.h"
#include "check.h"


struct counter {
    unsigned long calls;
};

static double rosenbrock(const double *x, size_t n, void *ctx) {
    struct counter *c = (struct counter *)ctx;
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    c->calls++;
    return a * a + 100.0 * b * b;
}

static float rosenbrock_f32(const float *x, size_t n, void *ctx) {
    float a = 1.0f - x[0], b = x[1] - x[0] * x[0];
    (void)n;
    (void)ctx;
    return a * a + 100.0f * b * b;
}

/* Caller-owned state, statically allocated as firmware would. */
static double adam_m[2], adam_v[2], work[4];
static lossmap_adam_f64 adam;

int main(void) {
    lossmap_adam_config_f64 cfg = lossmap_adam_config_default_f64();
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_report_f64 rep;
    struct counter counter = {0};
    double x[2] = {-1.2, 1.0};
    int rc;

    cfg.lr = 0.02;
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, adam_m, adam_v) == LOSSMAP_OK);
    stop.grad_tol = 1e-6;
    stop.max_iter = 50000;
    rc = lossmap_minimize_adam_f64(rosenbrock, &counter, x, 2, &adam, &stop, work, &rep);
    printf("minimize: status %d (%s), x = (%.9f, %.9f), loss %.3e, %zu iterations, %zu evaluations, stop %d\n",
           rc, lossmap_status_message(rc), x[0], x[1], rep.loss, rep.iterations, rep.value_evals, rep.reason);
    CHECK(rc == LOSSMAP_OK);
    CHECK(rep.reason == LOSSMAP_STOP_GRAD_NORM);
    CHECK(fabs(x[0] - 1.0) < 1e-5 && fabs(x[1] - 1.0) < 1e-5);
    CHECK(rep.value_evals == counter.calls);
    CHECK(rep.value_evals == 1 + rep.iterations + 4 * rep.grad_evals);

    /* Hessian of Rosenbrock at (1, 1) is [[802, -400], [-400, 200]]:
     * eigenvalues 501 -+ sqrt(301^2 + 400^2). */
    {
        double h[4] = {802.0, -400.0, -400.0, 200.0}, w[4], vals[2], vecs[4];
        double r = sqrt(301.0 * 301.0 + 400.0 * 400.0);
        rc = lossmap_sym_eigen_f64(h, 2, w, vals, vecs);
        printf("eigen: status %d, values (%.10f, %.10f)\n", rc, vals[0], vals[1]);
        CHECK(rc == LOSSMAP_OK);
        CHECK(fabs(vals[0] - (501.0 - r)) < 1e-10 && fabs(vals[1] - (501.0 + r)) < 1e-9);
        /* Eigenvector rows are unit and orthogonal. */
        CHECK(fabs(vecs[0] * vecs[0] + vecs[1] * vecs[1] - 1.0) < 1e-14);
        CHECK(fabs(vecs[0] * vecs[2] + vecs[1] * vecs[3]) < 1e-14);
    }

    /* f32 gradient at (-1.2, 1): analytic (-215.6, -88). */
    {
        float xf[2] = {-1.2f, 1.0f}, wf[4], g[2];
        size_t evals = 0;
        rc = lossmap_gradient_central_f32(rosenbrock_f32, NULL, xf, 2, wf, g, &evals);
        printf("gradient f32: status %d, g = (%.4f, %.4f), %zu evaluations\n", rc, g[0], g[1], evals);
        CHECK(rc == LOSSMAP_OK && evals == 4);
        CHECK(fabsf(g[0] + 215.6f) < 0.05f && fabsf(g[1] + 88.0f) < 0.05f);
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
