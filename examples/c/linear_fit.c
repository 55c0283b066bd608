/* A noisy linear fit through the C ABI: Adam with a cosine-restart (SGDR) schedule and an
 * observer, full-batch with lossmap_minimize_ex and mini-batch with lossmap_minimize_stochastic.
 * Both land on the least-squares line computed here from the normal equations. Also: the
 * observer stops a run, and bad input (zero batch, batch larger than the data, unknown
 * optimizer kind, NaN start) returns an error with x untouched. Exits non-zero on failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define M 64

typedef struct {
    double t[M], y[M];
} data_t;

/* Mean squared error of y ≈ a t + b over all samples. */
static double mse(const double *x, size_t n, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    double s = 0.0;
    size_t i;
    (void)n;
    for (i = 0; i < M; i++) {
        double r = x[0] * d->t[i] + x[1] - d->y[i];
        s += r * r;
    }
    return s / M;
}

/* Squared error of one sample. */
static double sample_se(const double *x, size_t n, size_t i, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    double r = x[0] * d->t[i] + x[1] - d->y[i];
    (void)n;
    return r * r;
}

/* Its gradient: d/da = 2 r t, d/db = 2 r. */
static int32_t sample_se_grad(const double *x, size_t n, size_t i, double *g, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    double r = x[0] * d->t[i] + x[1] - d->y[i];
    (void)n;
    g[0] = 2.0 * r * d->t[i];
    g[1] = 2.0 * r;
    return 0;
}

static float sample_se_f32(const float *x, size_t n, size_t i, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    float r = x[0] * (float)d->t[i] + x[1] - (float)d->y[i];
    (void)n;
    return r * r;
}

/* Observer: records the rate of each step; stops when ctx->stop_at steps are done. */
typedef struct {
    double lr[4096];
    size_t steps, stop_at;
} watch_t;

static int32_t observe(const lossmap_progress_f64 *p, void *ctx) {
    watch_t *w = (watch_t *)ctx;
    if (p->iteration - 1 < 4096) w->lr[p->iteration - 1] = p->lr;
    w->steps = p->iteration;
    return (w->stop_at != 0 && p->iteration >= w->stop_at) ? 1 : 0;
}

static int32_t observe_batches(const lossmap_stochastic_progress_f64 *p, void *ctx) {
    size_t *count = (size_t *)ctx;
    (*count)++;
    /* The temperature is lr / batch for every step. */
    return fabs(p->temperature - p->lr / (double)p->batch) <= 1e-18 ? 0 : 1;
}

int main(void) {
    static data_t d;
    static watch_t w;
    double a_ls, b_ls, st = 0, sy = 0, stt = 0, sty = 0;
    double x[2], m[2], v[2], work[6];
    size_t i, perm[M], batches = 0;
    uint64_t lcg = 12345;
    lossmap_adam_f64 adam;
    lossmap_adam_config_f64 cfg = lossmap_adam_config_default_f64();
    lossmap_schedule_f64 sgdr;
    lossmap_stop_f64 stop = lossmap_stop_default_f64();
    lossmap_report_f64 rep;
    lossmap_stochastic_config sc;
    lossmap_stochastic_report_f64 srep;
    lossmap_rng rng;

    /* y = 2.5 t - 1 + noise, noise uniform in [-0.2, 0.2] from a fixed LCG. */
    for (i = 0; i < M; i++) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        d.t[i] = -1.0 + 2.0 * (double)i / (M - 1);
        d.y[i] = 2.5 * d.t[i] - 1.0 + 0.4 * ((double)(lcg >> 11) / 9007199254740992.0 - 0.5);
        st += d.t[i];
        sy += d.y[i];
        stt += d.t[i] * d.t[i];
        sty += d.t[i] * d.y[i];
    }
    a_ls = (M * sty - st * sy) / (M * stt - st * st);
    b_ls = (sy - a_ls * st) / M;

    /* Full batch: Adam, lr 0.1 restarted by SGDR every 50, 100, 200, ... steps. */
    cfg.lr = 0.1;
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_OK);
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&sgdr, 0.1, 50, 2, 1e-4) == LOSSMAP_OK);
    stop.grad_tol = 1e-7;
    stop.max_iter = 3000;
    x[0] = x[1] = 0.0;
    CHECK(lossmap_minimize_ex_f64(mse, &d, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam, &sgdr, observe, &w,
                                &stop, work, &rep) == LOSSMAP_OK);
    printf("full batch: a = %.6f (LS %.6f), b = %.6f (LS %.6f), %zu steps, stop %d\n", x[0],
           a_ls, x[1], b_ls, rep.iterations, (int)rep.reason);
    CHECK(fabs(x[0] - a_ls) < 1e-5 && fabs(x[1] - b_ls) < 1e-5);
    CHECK(rep.reason == LOSSMAP_STOP_GRAD_NORM && w.steps == rep.iterations);
    /* The observer saw the schedule: 0.1 at each restart, eta_min + (0.1 - eta_min)/2 halfway. */
    CHECK(w.lr[0] == 0.1 && w.lr[50] == 0.1 && w.lr[150] == 0.1);
    CHECK(fabs(w.lr[25] - (1e-4 + 0.5 * (0.1 - 1e-4))) < 1e-15);
    CHECK(adam.config.lr == w.lr[rep.iterations - 1]); /* the last rate stays in the instance */

    /* The observer may stop the run. */
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_OK);
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&sgdr, 0.1, 50, 2, 1e-4) == LOSSMAP_OK);
    w.stop_at = 7;
    x[0] = x[1] = 0.0;
    CHECK(lossmap_minimize_ex_f64(mse, &d, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam, &sgdr, observe, &w,
                                &stop, work, &rep) == LOSSMAP_OK);
    CHECK(rep.reason == LOSSMAP_STOP_OBSERVER && rep.iterations == 7);

    /* Mini-batches of 8 without replacement, 300 epochs, the same schedule per step. */
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_OK);
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&sgdr, 0.05, 80, 2, 1e-5) == LOSSMAP_OK);
    CHECK(lossmap_rng_seed(&rng, 2024) == LOSSMAP_OK);
    sc.batch = 8;
    sc.epochs = 150;
    sc.drop_last = 0;
    x[0] = x[1] = 0.0;
    CHECK(lossmap_minimize_stochastic_f64(sample_se, NULL, &d, M, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam,
                                        &sgdr, observe_batches, &batches, &sc, &rng, perm, work,
                                        &srep) == LOSSMAP_OK);
    printf("mini-batch: a = %.6f, b = %.6f, %zu epochs, %zu steps, temperature %.3g\n", x[0], x[1],
           srep.epochs, srep.steps, srep.temperature);
    CHECK(srep.reason == LOSSMAP_STOP_MAX_EPOCHS && srep.epochs == 150 && srep.steps == 150 * 8);
    CHECK(batches == srep.steps);
    /* Per step: 8 losses for the batch value, 2n * 8 for the central-difference gradient. */
    CHECK(srep.sample_evals == srep.steps * (8 + 4 * 8));
    CHECK(fabs(srep.temperature - srep.lr / 8.0) < 1e-18);
    CHECK(fabs(x[0] - a_ls) < 2e-3 && fabs(x[1] - b_ls) < 2e-3);

    /* The same with the analytic sample gradient: one evaluation per sample per step. */
    CHECK(lossmap_adam_init_f64(&adam, &cfg, 2, m, v) == LOSSMAP_OK);
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&sgdr, 0.05, 80, 2, 1e-5) == LOSSMAP_OK);
    CHECK(lossmap_rng_seed(&rng, 2024) == LOSSMAP_OK);
    x[0] = x[1] = 0.0;
    CHECK(lossmap_minimize_stochastic_f64(sample_se, sample_se_grad, &d, M, x, 2,
                                        LOSSMAP_OPTIMIZER_ADAM, &adam, &sgdr, NULL, NULL, &sc, &rng,
                                        perm, work, &srep) == LOSSMAP_OK);
    CHECK(srep.steps == 150 * 8 && srep.sample_evals == srep.steps * 8);
    CHECK(fabs(x[0] - a_ls) < 2e-3 && fabs(x[1] - b_ls) < 2e-3);

    /* f32: the same fit, looser tolerance. */
    {
        lossmap_adam_f32 a32;
        lossmap_adam_config_f32 c32 = lossmap_adam_config_default_f32();
        lossmap_schedule_f32 s32;
        lossmap_stochastic_report_f32 r32;
        float x32[2] = {0, 0}, m32[2], v32[2], w32[6];
        c32.lr = 0.05f;
        CHECK(lossmap_adam_init_f32(&a32, &c32, 2, m32, v32) == LOSSMAP_OK);
        CHECK(lossmap_schedule_cosine_restarts_init_f32(&s32, 0.05f, 80, 2, 1e-5f) == LOSSMAP_OK);
        CHECK(lossmap_rng_seed(&rng, 7) == LOSSMAP_OK);
        CHECK(lossmap_minimize_stochastic_f32(sample_se_f32, NULL, &d, M, x32, 2, LOSSMAP_OPTIMIZER_ADAM, &a32,
                                            &s32, NULL, NULL, &sc, &rng, perm, w32,
                                            &r32) == LOSSMAP_OK);
        CHECK(fabs(x32[0] - a_ls) < 1e-2 && fabs(x32[1] - b_ls) < 1e-2);
    }

    /* Bad input: nothing moves. */
    {
        lossmap_rng before = rng;
        double keep[2] = {0.25, -0.5};
        x[0] = keep[0];
        x[1] = keep[1];
        sc.batch = 0;
        CHECK(lossmap_minimize_stochastic_f64(sample_se, NULL, &d, M, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam,
                                            NULL, NULL, NULL, &sc, &rng, perm, work,
                                            NULL) == LOSSMAP_ERR_PARAM);
        sc.batch = M + 1;
        CHECK(lossmap_minimize_stochastic_f64(sample_se, NULL, &d, M, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam,
                                            NULL, NULL, NULL, &sc, &rng, perm, work,
                                            NULL) == LOSSMAP_ERR_PARAM);
        sc.batch = 8;
        CHECK(lossmap_minimize_stochastic_f64(sample_se, NULL, &d, M, x, 2, 99, &adam, NULL, NULL, NULL, &sc,
                                            &rng, perm, work, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_minimize_ex_f64(mse, &d, x, 2, 99, &adam, NULL, NULL, NULL, &stop, work,
                                    NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_minimize_ex_f64(mse, &d, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam, NULL, NULL, NULL,
                                    &stop, x, NULL) == LOSSMAP_ERR_ALIASED);
        CHECK(memcmp(x, keep, sizeof keep) == 0 && memcmp(&rng, &before, sizeof rng) == 0);
        x[0] = NAN;
        CHECK(lossmap_minimize_ex_f64(mse, &d, x, 2, LOSSMAP_OPTIMIZER_ADAM, &adam, NULL, NULL, NULL,
                                    &stop, work, NULL) == LOSSMAP_ERR_NON_FINITE);
    }

    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures != 0;
}
