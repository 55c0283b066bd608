/* Newton's method (Hessian modification + Armijo backtracking) on Rosenbrock's function from
 * (-1.2, 1) through lossmap's C interface, gradients and Hessians by finite differences of the
 * loss callback; checks the minimum (1, 1) to 1e-6, then that bad input is refused with nothing
 * written. Also exercises gradient clipping, gradient noise and SWA. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* NaN beyond x0 = 0.5: the first full Newton step of a bowl centred at 1 from 0 lands there. */
static double cliff(const double *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] > 0.5 ? NAN : (x[0] - 1.0) * (x[0] - 1.0);
}

/* Caller-owned scratch: 2n^2 + 4n for n = 2. */
static double work[16];
static float work_f32[16];

int main(void) {
    lossmap_newton_config_f64 cfg = lossmap_newton_config_default_f64();
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_newton_report_f64 rep;
    struct counter counter = {0};
    double x[2] = {-1.2, 1.0};
    int rc;

    CHECK(lossmap_newton_work_len(2) == 16);
    stop.grad_tol = 1e-7;
    stop.max_iter = 100;
    rc = lossmap_newton_f64(rosenbrock, &counter, x, 2, &cfg, &stop, work, &rep);
    printf("newton: status %d (%s), x = (%.12f, %.12f), loss %.3e, |g| %.3e, %zu iterations, "
           "%zu modified, %zu evaluations, stop %d\n",
           rc, lossmap_status_message(rc), x[0], x[1], rep.loss, rep.grad_norm, rep.iterations,
           rep.modified, rep.value_evals, rep.reason);
    CHECK(rc == LOSSMAP_OK);
    CHECK(rep.reason == LOSSMAP_STOP_GRAD_NORM);
    CHECK(fabs(x[0] - 1.0) < 1e-6 && fabs(x[1] - 1.0) < 1e-6);
    CHECK(rep.value_evals == counter.calls);
    CHECK(rep.hess_evals == rep.iterations && rep.grad_evals == rep.iterations + 1);

    /* f32 with a looser tolerance. */
    {
        lossmap_newton_config_f32 cf = lossmap_newton_config_default_f32();
        lossmap_stop_f32 sf = lossmap_stop_default_f32();
        float xf[2] = {-1.2f, 1.0f};
        sf.grad_tol = 1e-2f;
        sf.max_iter = 100;
        rc = lossmap_newton_f32(rosenbrock_f32, NULL, xf, 2, &cf, &sf, work_f32, NULL);
        printf("newton f32: status %d, x = (%.5f, %.5f)\n", rc, xf[0], xf[1]);
        CHECK(rc == LOSSMAP_OK);
        CHECK(fabsf(xf[0] - 1.0f) < 1e-2f && fabsf(xf[1] - 1.0f) < 1e-2f);
    }

    /* Bad input: nothing written. */
    {
        double y[2] = {-1.2, 1.0};
        lossmap_newton_config_f64 bad = cfg;
        lossmap_stop_f64 bad_stop = stop;
        bad.c1 = 0.0;
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &bad, &stop, work, &rep) == LOSSMAP_ERR_PARAM);
        bad = cfg;
        bad.beta = -1.0;
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &bad, &stop, work, &rep) == LOSSMAP_ERR_PARAM);
        bad_stop.max_iter = 0;
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &cfg, &bad_stop, work, &rep) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_newton_f64(NULL, NULL, y, 2, &cfg, &stop, work, &rep) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &cfg, &stop, NULL, &rep) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 0, &cfg, &stop, work, &rep) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &cfg, &stop, y, &rep) == LOSSMAP_ERR_ALIASED);
        CHECK(y[0] == -1.2 && y[1] == 1.0);
        y[0] = NAN;
        CHECK(lossmap_newton_f64(rosenbrock, &counter, y, 2, &cfg, &stop, work, &rep) == LOSSMAP_ERR_NON_FINITE);
        CHECK(isnan(y[0]) && y[1] == 1.0);
    }

    /* Divergence guard: NaN loss at the trial point rolls back. */
    {
        double z[1] = {0.0};
        rc = lossmap_newton_f64(cliff, NULL, z, 1, &cfg, &stop, work, &rep);
        printf("newton on a NaN cliff: status %d (%s), x = %.3f\n", rc, lossmap_status_message(rc), z[0]);
        CHECK(rc == LOSSMAP_ERR_LOSS_NON_FINITE);
        CHECK(z[0] == 0.0);
    }

    /* Gradient clipping, torch formula. */
    {
        double g[2] = {3.0, 4.0}, total = 0.0;
        CHECK(lossmap_clip_grad_norm_f64(g, 2, 1.0, &total) == LOSSMAP_OK);
        CHECK(total == 5.0);
        CHECK(fabs(g[0] - 3.0 / 5.000001) < 1e-15 && fabs(g[1] - 4.0 / 5.000001) < 1e-15);
        CHECK(lossmap_clip_grad_norm_f64(g, 2, 0.0, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_clip_grad_norm_f64(g, 2, -1.0, NULL) == LOSSMAP_ERR_PARAM);
    }

    /* Annealed gradient noise: sigma_t^2 = eta / (1 + t)^gamma, sample variance matches. */
    {
        static double noise[4000];
        lossmap_rng rng, saved;
        double sigma = 0.0, var = 0.0, before;
        size_t i;
        CHECK(lossmap_rng_seed(&rng, 2015) == LOSSMAP_OK);
        CHECK(lossmap_gradient_noise_f64(noise, 4000, 0.3, 0.55, 99, &rng, &sigma) == LOSSMAP_OK);
        for (i = 0; i < 4000; i++) {
            var += noise[i] * noise[i];
        }
        var /= 4000.0;
        printf("gradient noise: sigma %.6f, sample sd %.6f\n", sigma, sqrt(var));
        CHECK(fabs(sigma * sigma - 0.3 / pow(100.0, 0.55)) < 1e-15);
        CHECK(fabs(var / (sigma * sigma) - 1.0) < 0.1);
        saved = rng;
        before = noise[0];
        CHECK(lossmap_gradient_noise_f64(noise, 4000, 0.3, -1.0, 0, &rng, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(noise[0] == before && memcmp(&saved, &rng, sizeof rng) == 0);
    }

    /* SWA running average. */
    {
        float avg[2] = {0.0f, 0.0f}, a[2] = {1.0f, 2.0f}, b[2] = {3.0f, 6.0f}, bad[2] = {NAN, 0.0f};
        uint32_t count = 0;
        CHECK(lossmap_swa_update_f32(avg, &count, a, 2) == LOSSMAP_OK);
        CHECK(lossmap_swa_update_f32(avg, &count, b, 2) == LOSSMAP_OK);
        CHECK(count == 2 && avg[0] == 2.0f && avg[1] == 4.0f);
        CHECK(lossmap_swa_update_f32(avg, &count, bad, 2) == LOSSMAP_ERR_NON_FINITE);
        CHECK(count == 2 && avg[0] == 2.0f);
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
