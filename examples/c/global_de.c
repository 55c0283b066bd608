/* Differential evolution and dual annealing through lossmap's C interface, checked against
 * known minima:
 *   Rastrigin 2-D f = 20 + sum(x_i^2 - 10 cos 2 pi x_i) on [-5.12, 5.12]^2: global minimum 0 at
 *     the origin, a local minimum near every integer point;
 *   six-hump camel f = (4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2 on [-3, 3] x [-2, 2]:
 *     global minimum -1.031628453489877 at +-(0.0898, -0.7126).
 * Both methods run with scipy's defaults (population 15 n = 30 for DE, Latin-hypercube start),
 * the projected-gradient polish, in f64 and f32, from fixed seeds; the Latin hypercube must hit
 * each stratum once per coordinate; bad input must return the right LOSSMAP_ERR_* and leave the
 * buffers and the generator unchanged. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)
#define P 30

static const double PI = 3.14159265358979323846;
static const double CAMEL_MIN = -1.031628453489877;

static double rastrigin(const double *x, size_t n, void *ctx) {
    double s = 10.0 * (double)n;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] - 10.0 * cos(2.0 * PI * x[i]);
    return s;
}

static double camel(const double *v, size_t n, void *ctx) {
    double x = v[0], y = v[1], x2 = x * x, y2 = y * y;
    (void)n;
    (void)ctx;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2;
}

static float camel32(const float *v, size_t n, void *ctx) {
    float x = v[0], y = v[1], x2 = x * x, y2 = y * y;
    (void)n;
    (void)ctx;
    return (4.0f - 2.1f * x2 + x2 * x2 / 3.0f) * x2 + x * y + (-4.0f + 4.0f * y2) * y2;
}

typedef struct {
    const char *name;
    lossmap_loss_f64 f;
    double lower[2], upper[2];
    double fmin;
} problem;

static void show(const char *method, const problem *p, const lossmap_search_report_f64 *r, const double *x) {
    printf("%-24s %-10s f=%.12f at (%+.6f, %+.6f)  evals=%zu iters=%zu stop=%s\n", method, p->name, r->best_loss,
           x[0], x[1], r->value_evals + r->grad_evals, r->iterations, lossmap_search_stop_name(r->reason));
}

static void run_de(const problem *p, int32_t strategy) {
    lossmap_rng rng;
    double pop[P * 2], fit[P], best[2], work[8];
    lossmap_differential_evolution_config_f64 cfg = lossmap_differential_evolution_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f64 r;
    size_t i;
    cfg.strategy = strategy;
    cfg.budget.f_target = p->fmin + 1e-8;
    CHECK(lossmap_differential_evolution_work_len(2) == 8 && LOSSMAP_DIFFERENTIAL_EVOLUTION_WORK_LEN(2) == 8);
    CHECK(lossmap_rng_seed(&rng, 11) == LOSSMAP_OK);
    CHECK(lossmap_latin_hypercube_f64(p->lower, p->upper, 2, &rng, pop, P) == LOSSMAP_OK);
    CHECK(lossmap_differential_evolution_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &rng, pop, P, fit,
                                             best, work, &r) == LOSSMAP_OK);
    show(strategy == LOSSMAP_DE_BEST1BIN ? "DE best1bin" : "DE rand1bin", p, &r, best);
    /* The target is met during the evolution, or by the polish after the population converged. */
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET || r.reason == LOSSMAP_SEARCH_CONVERGED);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && p->f(best, 2, NULL) == r.best_loss);
    CHECK(r.value_evals + r.grad_evals <= cfg.budget.max_evals);
    for (i = 0; i < P; i++) {
        CHECK(fit[i] >= r.best_loss);
        CHECK(pop[2 * i] >= p->lower[0] && pop[2 * i] <= p->upper[0]);
        CHECK(pop[2 * i + 1] >= p->lower[1] && pop[2 * i + 1] <= p->upper[1]);
    }
}

static void run_da(const problem *p) {
    lossmap_rng rng;
    double x[2] = {p->upper[0] * 0.9, p->lower[1] * 0.8}, work[10];
    lossmap_dual_annealing_config_f64 cfg = lossmap_dual_annealing_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f64 r;
    cfg.budget.f_target = p->fmin + 1e-8;
    CHECK(lossmap_dual_annealing_work_len(2) == 10 && LOSSMAP_DUAL_ANNEALING_WORK_LEN(2) == 10);
    CHECK(lossmap_rng_seed(&rng, 12) == LOSSMAP_OK);
    CHECK(lossmap_dual_annealing_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &rng, x, work, &r) ==
          LOSSMAP_OK);
    show("dual annealing", p, &r, x);
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && p->f(x, 2, NULL) == r.best_loss);
    CHECK(r.value_evals + r.grad_evals <= cfg.budget.max_evals);
    /* work[0..n] is the chain's current point, inside the box. */
    CHECK(work[0] >= p->lower[0] && work[0] <= p->upper[0] && work[1] >= p->lower[1] && work[1] <= p->upper[1]);
}

/* Each of the P strata of each coordinate holds exactly one point. */
static void latin_hypercube(void) {
    lossmap_rng rng;
    double lo[3] = {-1.0, 0.0, 10.0}, hi[3] = {1.0, 5.0, 12.0}, pts[P * 3];
    size_t i, j;
    CHECK(lossmap_rng_seed(&rng, 4) == LOSSMAP_OK);
    CHECK(lossmap_latin_hypercube_f64(lo, hi, 3, &rng, pts, P) == LOSSMAP_OK);
    for (j = 0; j < 3; j++) {
        int hit[P] = {0};
        for (i = 0; i < P; i++) {
            double s = (pts[i * 3 + j] - lo[j]) / (hi[j] - lo[j]) * P;
            size_t k = (size_t)s;
            CHECK(s >= 0.0 && k < P);
            if (k < P) hit[k]++;
        }
        for (i = 0; i < P; i++) CHECK(hit[i] == 1);
    }
}

static void f32_runs(void) {
    lossmap_rng rng;
    float lo[2] = {-3.0f, -2.0f}, hi[2] = {3.0f, 2.0f}, pop[P * 2], fit[P], best[2], work[10], x[2] = {2.5f, 1.5f};
    lossmap_differential_evolution_config_f32 de = lossmap_differential_evolution_config_default_f32();
    lossmap_dual_annealing_config_f32 da = lossmap_dual_annealing_config_default_f32();
    lossmap_polish_f32 polish = lossmap_polish_default_f32();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f32 r;
    CHECK(lossmap_rng_seed(&rng, 9) == LOSSMAP_OK);
    CHECK(lossmap_latin_hypercube_f32(lo, hi, 2, &rng, pop, P) == LOSSMAP_OK);
    CHECK(lossmap_differential_evolution_f32(camel32, NULL, lo, hi, 2, &de, &polish, &rng, pop, P, fit, best, work,
                                             &r) == LOSSMAP_OK);
    printf("DE f32                   camel      f=%.7f\n", (double)r.best_loss);
    CHECK(fabs((double)r.best_loss - CAMEL_MIN) < 1e-5);
    CHECK(lossmap_dual_annealing_f32(camel32, NULL, lo, hi, 2, &da, &polish, &rng, x, work, &r) == LOSSMAP_OK);
    printf("dual annealing f32       camel      f=%.7f\n", (double)r.best_loss);
    CHECK(fabs((double)r.best_loss - CAMEL_MIN) < 1e-5);
}

static void bad_input(void) {
    lossmap_rng rng, rng0;
    double lo[2] = {-1.0, -1.0}, hi[2] = {1.0, 1.0}, pop[P * 2], pop0[P * 2], fit[P], best[2] = {7.0, 7.0},
           work[10], x[2] = {0.5, 0.5};
    lossmap_differential_evolution_config_f64 de = lossmap_differential_evolution_config_default_f64();
    lossmap_dual_annealing_config_f64 da = lossmap_dual_annealing_config_default_f64();
    lossmap_search_report_f64 r;
    CHECK(lossmap_rng_seed(&rng, 1) == LOSSMAP_OK);
    CHECK(lossmap_latin_hypercube_f64(lo, hi, 2, &rng, pop, P) == LOSSMAP_OK);
    memcpy(pop0, pop, sizeof pop);
    rng0 = rng;
    /* Population of 4 < 5. */
    CHECK(lossmap_differential_evolution_f64(rastrigin, NULL, lo, hi, 2, &de, NULL, &rng, pop, 4, fit, best, work,
                                             &r) == LOSSMAP_ERR_PARAM);
    /* A member outside the box. */
    pop[3] = 2.0;
    CHECK(lossmap_differential_evolution_f64(rastrigin, NULL, lo, hi, 2, &de, NULL, &rng, pop, P, fit, best, work,
                                             &r) == LOSSMAP_ERR_PARAM);
    pop[3] = pop0[3];
    /* An unknown strategy. */
    de.strategy = 7;
    CHECK(lossmap_differential_evolution_f64(rastrigin, NULL, lo, hi, 2, &de, NULL, &rng, pop, P, fit, best, work,
                                             &r) == LOSSMAP_ERR_PARAM);
    CHECK(SAME(pop, pop0) && SAME(rng, rng0) && best[0] == 7.0 && best[1] == 7.0);
    /* Dual annealing: visit 3 is out of (1, 3); a start outside the box. */
    da.visit = 3.0;
    CHECK(lossmap_dual_annealing_f64(rastrigin, NULL, lo, hi, 2, &da, NULL, &rng, x, work, &r) == LOSSMAP_ERR_PARAM);
    da = lossmap_dual_annealing_config_default_f64();
    x[0] = 1.5;
    CHECK(lossmap_dual_annealing_f64(rastrigin, NULL, lo, hi, 2, &da, NULL, &rng, x, work, &r) == LOSSMAP_ERR_PARAM);
    CHECK(x[0] == 1.5 && x[1] == 0.5 && SAME(rng, rng0));
    /* No points for the hypercube. */
    CHECK(lossmap_latin_hypercube_f64(lo, hi, 2, &rng, pop, 0) != LOSSMAP_OK && SAME(rng, rng0));
}

int main(void) {
    const problem problems[] = {
        {"rastrigin", rastrigin, {-5.12, -5.12}, {5.12, 5.12}, 0.0},
        {"camel", camel, {-3.0, -2.0}, {3.0, 2.0}, CAMEL_MIN},
    };
    size_t i;
    CHECK(LOSSMAP_DE_BEST1BIN == 0 && LOSSMAP_DE_RAND1BIN == 1);
    for (i = 0; i < sizeof problems / sizeof problems[0]; i++) {
        run_de(&problems[i], LOSSMAP_DE_BEST1BIN);
        run_de(&problems[i], LOSSMAP_DE_RAND1BIN);
        run_da(&problems[i]);
    }
    latin_hypercube();
    f32_runs();
    bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
