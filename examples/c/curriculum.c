/* Curriculum learning through the C ABI: fit y = sin(2 t) at 64 points t in (0, 10) for the
 * frequency w and amplitude a, from w = 1 (a = 0.5), by mini-batch Adam (lr 0.05, batch 8).
 * With lossmap_minimize_curriculum (difficulty = t, a linear ramp from a tenth of the samples
 * to all of them over 30 of 60 epochs) the fit reaches the global minimum (2, 1); plain
 * lossmap_minimize_stochastic with as many sample evaluations ends in an aliasing minimum.
 * The observer checks each epoch's active count against ceil(c(t) * 64); f32 too; bad input
 * (NaN score, start 0, p 0, NULL scores or pacing) changes nothing. Exits non-zero on failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define S 64

typedef struct {
    double t[S], y[S];
} data_t;

/* Squared error of sample i: (a sin(w t) - y)^2, x = (w, a). */
static double sample_se(const double *x, size_t n, size_t i, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    double r = x[1] * sin(x[0] * d->t[i]) - d->y[i];
    (void)n;
    return r * r;
}

static int32_t sample_se_grad(const double *x, size_t n, size_t i, double *g, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    double s = sin(x[0] * d->t[i]), c = cos(x[0] * d->t[i]);
    double r = x[1] * s - d->y[i];
    (void)n;
    g[0] = 2.0 * r * x[1] * d->t[i] * c;
    g[1] = 2.0 * r * s;
    return 0;
}

static float sample_se_f32(const float *x, size_t n, size_t i, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    float r = x[1] * sinf(x[0] * (float)d->t[i]) - (float)d->y[i];
    (void)n;
    return r * r;
}

static int32_t sample_se_grad_f32(const float *x, size_t n, size_t i, float *g, void *ctx) {
    const data_t *d = (const data_t *)ctx;
    float t = (float)d->t[i], s = sinf(x[0] * t), c = cosf(x[0] * t);
    float r = x[1] * s - (float)d->y[i];
    (void)n;
    g[0] = 2.0f * r * x[1] * t * c;
    g[1] = 2.0f * r * s;
    return 0;
}

/* Observer: the active count of each epoch. */
typedef struct {
    size_t active[64];
} watch_t;

static int32_t observe(const lossmap_stochastic_progress_f64 *p, void *ctx) {
    watch_t *w = (watch_t *)ctx;
    if (p->epoch < 64) w->active[p->epoch] = p->active;
    return 0;
}

static void adam(lossmap_adam_f64 *o, double *m, double *v) {
    lossmap_adam_config_f64 cfg = lossmap_adam_config_default_f64();
    cfg.lr = 0.05;
    CHECK(lossmap_adam_init_f64(o, &cfg, 2, m, v) == LOSSMAP_OK);
}

int main(void) {
    static data_t d;
    static watch_t w;
    double x[2], m[2], v[2], work[LOSSMAP_MINIMIZE_CURRICULUM_WORK_LEN(2)];
    size_t i, t, perm[S], plain_epochs;
    lossmap_adam_f64 opt;
    lossmap_pacing_f64 pacing = {0.1, 30, 1.0};
    lossmap_stochastic_config sc;
    lossmap_stochastic_report_f64 cur, plain;
    lossmap_rng rng;

    for (i = 0; i < S; i++) {
        d.t[i] = 10.0 * ((double)i + 0.5) / S;
        d.y[i] = sin(2.0 * d.t[i]);
    }
    CHECK(lossmap_minimize_curriculum_work_len(2) == 6);
    sc.batch = 8;
    sc.epochs = 60;
    sc.drop_last = 0;

    /* The curriculum: difficulty = t (the scores are the sample times). */
    adam(&opt, m, v);
    CHECK(lossmap_rng_seed(&rng, 1) == LOSSMAP_OK);
    x[0] = 1.0;
    x[1] = 0.5;
    CHECK(lossmap_minimize_curriculum_f64(sample_se, sample_se_grad, &d, S, d.t, &pacing, x, 2,
                                          LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, observe, &w, &sc, &rng,
                                          perm, work, &cur) == LOSSMAP_OK);
    printf("curriculum: w = %.6f, a = %.6f, %zu sample evaluations\n", x[0], x[1], cur.sample_evals);
    CHECK(fabs(x[0] - 2.0) < 1e-3 && fabs(x[1] - 1.0) < 1e-3);
    CHECK(cur.epochs == 60 && cur.active == S && cur.fraction == 1.0);
    for (t = 0; t < 60; t++) {
        double c = t >= 30 ? 1.0 : 0.1 + 0.9 * (double)t / 30.0;
        size_t want = (size_t)ceil(c * S);
        CHECK(w.active[t] == want);
    }
    /* Active counts summed: one evaluation per sample (analytic gradient). */
    {
        size_t total = 0;
        for (t = 0; t < 60; t++) total += w.active[t];
        CHECK(cur.sample_evals == total);
    }

    /* Plain mini-batches with at least as many sample evaluations: a wrong minimum. */
    adam(&opt, m, v);
    CHECK(lossmap_rng_seed(&rng, 1) == LOSSMAP_OK);
    plain_epochs = (cur.sample_evals + S - 1) / S;
    sc.epochs = plain_epochs;
    x[0] = 1.0;
    x[1] = 0.5;
    CHECK(lossmap_minimize_stochastic_f64(sample_se, sample_se_grad, &d, S, x, 2,
                                          LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc, &rng,
                                          perm, work, &plain) == LOSSMAP_OK);
    printf("plain:      w = %.6f, a = %.6f, %zu sample evaluations\n", x[0], x[1],
           plain.sample_evals);
    CHECK(plain.sample_evals >= cur.sample_evals);
    CHECK(fabs(x[0] - 2.0) > 0.1);
    CHECK(plain.active == S && plain.fraction == 1.0);

    /* f32, the square-root pacing from a fifth of the samples. */
    {
        lossmap_adam_f32 a32;
        lossmap_adam_config_f32 c32 = lossmap_adam_config_default_f32();
        lossmap_pacing_f32 p32 = {0.2f, 30, 2.0f};
        lossmap_stochastic_report_f32 r32;
        float x32[2] = {1.2f, 0.5f}, m32[2], v32[2], w32[6], s32[S];
        for (i = 0; i < S; i++) s32[i] = (float)d.t[i];
        c32.lr = 0.05f;
        sc.epochs = 60;
        CHECK(lossmap_adam_init_f32(&a32, &c32, 2, m32, v32) == LOSSMAP_OK);
        CHECK(lossmap_rng_seed(&rng, 3) == LOSSMAP_OK);
        CHECK(lossmap_minimize_curriculum_f32(sample_se_f32, sample_se_grad_f32, &d, S, s32, &p32,
                                              x32, 2, LOSSMAP_OPTIMIZER_ADAM, &a32, NULL, NULL, NULL,
                                              &sc, &rng, perm, w32, &r32) == LOSSMAP_OK);
        printf("f32 root-2: w = %.5f, a = %.5f\n", x32[0], x32[1]);
        CHECK(fabsf(x32[0] - 2.0f) < 1e-2f && fabsf(x32[1] - 1.0f) < 1e-2f);
        CHECK(r32.active == S && r32.fraction == 1.0f);
    }

    /* Bad input: nothing moves. */
    {
        lossmap_rng before;
        double keep[2] = {0.25, -0.5}, scores[S];
        size_t perm_keep[S];
        lossmap_pacing_f64 bad = pacing;
        memcpy(scores, d.t, sizeof scores);
        for (i = 0; i < S; i++) perm[i] = perm_keep[i] = 7;
        memcpy(x, keep, sizeof keep);
        CHECK(lossmap_rng_seed(&rng, 9) == LOSSMAP_OK);
        before = rng;
        adam(&opt, m, v);
        scores[5] = NAN;
        CHECK(lossmap_minimize_curriculum_f64(sample_se, NULL, &d, S, scores, &pacing, x, 2,
                                              LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc,
                                              &rng, perm, work, NULL) == LOSSMAP_ERR_NON_FINITE);
        scores[5] = 1.0;
        bad.start = 0.0;
        CHECK(lossmap_minimize_curriculum_f64(sample_se, NULL, &d, S, scores, &bad, x, 2,
                                              LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc,
                                              &rng, perm, work, NULL) == LOSSMAP_ERR_PARAM);
        bad.start = 0.5;
        bad.p = 0.0;
        CHECK(lossmap_minimize_curriculum_f64(sample_se, NULL, &d, S, scores, &bad, x, 2,
                                              LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc,
                                              &rng, perm, work, NULL) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_minimize_curriculum_f64(sample_se, NULL, &d, S, NULL, &pacing, x, 2,
                                              LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc,
                                              &rng, perm, work, NULL) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_minimize_curriculum_f64(sample_se, NULL, &d, S, scores, NULL, x, 2,
                                              LOSSMAP_OPTIMIZER_ADAM, &opt, NULL, NULL, NULL, &sc,
                                              &rng, perm, work, NULL) == LOSSMAP_ERR_NULL);
        CHECK(memcmp(x, keep, sizeof keep) == 0 && memcmp(&rng, &before, sizeof rng) == 0);
        CHECK(memcmp(perm, perm_keep, sizeof perm) == 0);
    }

    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures != 0;
}
