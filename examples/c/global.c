/* Global exploration through lossmap's C interface, checked against known minima:
 *   Rastrigin 2-D f = 20 + sum(x_i^2 - 10 cos 2 pi x_i) on [-5.12, 5.12]^2: global minimum 0 at
 *     the origin, a local minimum near every integer point;
 *   six-hump camel f = (4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2 on [-3, 3] x [-2, 2]:
 *     global minimum -1.031628453489877 at +-(0.0898, -0.7126), the origin a saddle;
 *   Easom f = -cos x cos y exp(-((x - pi)^2 + (y - pi)^2)) on [-100, 100]^2: minimum -1 at
 *     (pi, pi) on a plateau of f ~ 0, where hot replicas swap almost always.
 * Every method (multi-start, basin hopping, perturbed gradient descent, simulated annealing,
 * genetic algorithm, replica exchange) runs from a fixed seed and must find the known minimum;
 * bad input must return the right LOSSMAP_ERR_* and leave x and the generator unchanged.
 * Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)

static const double PI = 3.14159265358979323846;
static const double CAMEL_MIN = -1.031628453489877;

/* ---- Test functions, written out independently of the crate ---- */
static double rastrigin(const double *x, size_t n, void *ctx) {
    double s = 10.0 * (double)n;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) {
        s += x[i] * x[i] - 10.0 * cos(2.0 * PI * x[i]);
    }
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

static double easom(const double *v, size_t n, void *ctx) {
    double dx = v[0] - PI, dy = v[1] - PI;
    (void)n;
    (void)ctx;
    return -cos(v[0]) * cos(v[1]) * exp(-(dx * dx + dy * dy));
}

typedef struct {
    const char *name;
    lossmap_loss_f64 f;
    double lower[2], upper[2];
    double fmin;
    double start[2]; /* inside the box, away from the global minimum */
} problem;

static const problem PROBLEMS[2] = {
    {"Rastrigin", rastrigin, {-5.12, -5.12}, {5.12, 5.12}, 0.0, {4.1, -3.3}},
    {"six-hump camel", camel, {-3.0, -2.0}, {3.0, 2.0}, -1.031628453489877, {2.0, 1.5}},
};

static size_t evals(const lossmap_search_report_f64 *r) { return r->value_evals + r->grad_evals; }

static void show(const char *method, const problem *p, const lossmap_search_report_f64 *r, const double *x) {
    printf("%-18s %-15s f = %+.12f at (%+.6f, %+.6f), %6zu evaluations, %6zu iterations, stop: %s\n", method,
           p->name, r->best_loss, x[0], x[1], evals(r), r->iterations, lossmap_search_stop_name(r->reason));
}

/* ---- Multi-start from K uniform starts, end points classified ---- */
#define K 64
static void run_multistart(const problem *p) {
    lossmap_rng rng;
    double starts[K * 2], losses[K], best[2], work[3 * 2 * 2 + 3 * 2];
    int32_t kinds[K];
    size_t i, ibest = 0;
    lossmap_budget_f64 budget = lossmap_budget_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f64 r;
    CHECK(lossmap_multistart_work_len(2, 1) == sizeof work / sizeof work[0]);
    CHECK(lossmap_rng_seed(&rng, 11) == LOSSMAP_OK);
    CHECK(lossmap_uniform_starts_f64(p->lower, p->upper, 2, &rng, starts, K) == LOSSMAP_OK);
    CHECK(lossmap_multistart_f64(p->f, NULL, p->lower, p->upper, 2, &budget, &polish, starts, K, losses, best, kinds,
                               NULL, work, &r) == LOSSMAP_OK);
    show("multi-start", p, &r, best);
    CHECK(r.reason == LOSSMAP_SEARCH_COMPLETED && r.iterations == K);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-9);
    CHECK(fabs(p->f(best, 2, NULL) - r.best_loss) < 1e-12);
    for (i = 0; i < K; i++) {
        if (losses[i] < losses[ibest]) {
            ibest = i;
        }
    }
    /* The reported best is the best point evaluated: never above the lowest end point. */
    CHECK(r.best_loss <= losses[ibest] && losses[ibest] - r.best_loss < 1e-9);
    CHECK(kinds[ibest] == LOSSMAP_POINT_MINIMUM);
}
#undef K

/* ---- Basin hopping from a far start ---- */
static void run_hopping(const problem *p) {
    lossmap_rng rng;
    double x[2], work[10];
    lossmap_hopping_config_f64 cfg = lossmap_hopping_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_hopping_state_f64 st;
    lossmap_search_report_f64 r;
    memcpy(x, p->start, sizeof x);
    cfg.budget.f_target = p->fmin + 1e-9;
    cfg.step = 1.0;
    CHECK(lossmap_hopping_work_len(2) == 10);
    CHECK(lossmap_rng_seed(&rng, 2) == LOSSMAP_OK);
    CHECK(lossmap_hopping_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &st, &rng, x, work, &r) == LOSSMAP_OK);
    show("basin hopping", p, &r, x);
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && fabs(p->f(x, 2, NULL) - r.best_loss) < 1e-12);
    CHECK(st.accepts <= st.trials && st.step > 0.0);
    CHECK(evals(&r) <= cfg.budget.max_evals + 4);
}

/* ---- Simulated annealing ---- */
static void run_anneal(const problem *p) {
    lossmap_rng rng;
    double x[2], work[10];
    lossmap_annealing_config_f64 cfg = lossmap_annealing_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_annealing_state_f64 st;
    lossmap_search_report_f64 r;
    memcpy(x, p->start, sizeof x);
    cfg.budget.f_target = p->fmin + 1e-9;
    CHECK(lossmap_anneal_work_len(2) == 10);
    CHECK(lossmap_rng_seed(&rng, 4) == LOSSMAP_OK);
    CHECK(lossmap_anneal_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &st, &rng, x, work, &r) == LOSSMAP_OK);
    show("annealing", p, &r, x);
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && fabs(p->f(x, 2, NULL) - r.best_loss) < 1e-12);
    CHECK(st.chains >= 1 && st.temperature > 0.0);
}

/* ---- Genetic algorithm, population 24 ---- */
static void run_genetic(const problem *p) {
    lossmap_rng rng;
    double pop[24 * 2], fit[24], next[24 * 2], next_fit[24], best[2], work[6];
    lossmap_genetic_config_f64 cfg = lossmap_genetic_config_default_f64();
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f64 r;
    size_t i;
    cfg.budget.f_target = p->fmin + 1e-9;
    CHECK(lossmap_genetic_work_len(2) == 6);
    CHECK(lossmap_rng_seed(&rng, 3) == LOSSMAP_OK);
    CHECK(lossmap_uniform_starts_f64(p->lower, p->upper, 2, &rng, pop, 24) == LOSSMAP_OK);
    CHECK(lossmap_genetic_f64(p->f, NULL, p->lower, p->upper, 2, &cfg, &polish, &rng, pop, 24, fit, next, next_fit,
                            best, work, &r) == LOSSMAP_OK);
    show("genetic", p, &r, best);
    CHECK(r.reason == LOSSMAP_SEARCH_TARGET);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && fabs(p->f(best, 2, NULL) - r.best_loss) < 1e-12);
    for (i = 0; i < 24; i++) {
        CHECK(fit[i] >= r.best_loss);
        CHECK(pop[2 * i] >= p->lower[0] && pop[2 * i] <= p->upper[0]);
        CHECK(pop[2 * i + 1] >= p->lower[1] && pop[2 * i + 1] <= p->upper[1]);
    }
}

/* ---- Replica exchange, 4 replicas; returns the hottest pair's swap rate ---- */
static double run_replica(const problem *p, const lossmap_replica_config_f64 *cfg, uint64_t seed) {
    lossmap_rng rng;
    double xs[4 * 2], energies[4], temps[4], best[2], work[8];
    size_t attempts[3], accepts[3], i;
    lossmap_polish_f64 polish = lossmap_polish_default_f64();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f64 r;
    CHECK(lossmap_replica_exchange_work_len(2) == 8);
    CHECK(lossmap_rng_seed(&rng, seed) == LOSSMAP_OK);
    CHECK(lossmap_uniform_starts_f64(p->lower, p->upper, 2, &rng, xs, 4) == LOSSMAP_OK);
    CHECK(lossmap_replica_exchange_f64(p->f, NULL, p->lower, p->upper, 2, cfg, &polish, &rng, xs, 4, energies, temps,
                                     attempts, accepts, best, work, &r) == LOSSMAP_OK);
    show("replica exchange", p, &r, best);
    CHECK(fabs(r.best_loss - p->fmin) < 1e-8 && fabs(p->f(best, 2, NULL) - r.best_loss) < 1e-12);
    CHECK(temps[0] == cfg->t_min && temps[3] == cfg->t_max && temps[1] < temps[2]);
    printf("  swap rates:");
    for (i = 0; i < 3; i++) {
        double rate = attempts[i] > 0 ? (double)accepts[i] / (double)attempts[i] : -1.0;
        printf(" (%zu,%zu) %.3f", i, i + 1, rate);
        CHECK(accepts[i] <= attempts[i] && rate >= 0.0 && rate <= 1.0);
    }
    printf("\n");
    return (double)accepts[2] / (double)attempts[2];
}

static void run_replicas(void) {
    lossmap_replica_config_f64 cfg = lossmap_replica_config_default_f64();
    const problem easom_p = {"Easom", easom, {-100.0, -100.0}, {100.0, 100.0}, -1.0, {50.0, 50.0}};
    size_t i;
    for (i = 0; i < 2; i++) {
        cfg.budget.f_target = PROBLEMS[i].fmin + 1e-9;
        run_replica(&PROBLEMS[i], &cfg, 1);
    }
    /* Easom: no target, a fixed budget, so every pair is tried many times. */
    cfg = lossmap_replica_config_default_f64();
    cfg.budget.max_evals = 20000;
    CHECK(run_replica(&easom_p, &cfg, 5) > 0.9);
}

/* ---- Perturbed gradient descent (unconstrained): escapes the camel's saddle at the origin ---- */
static void run_perturbed(void) {
    lossmap_rng rng;
    double x[2] = {0.0, 0.0}, work[6];
    lossmap_perturbed_config_f64 cfg = lossmap_perturbed_config_default_f64();
    lossmap_search_report_f64 r;
    CHECK(lossmap_perturbed_gd_work_len(2) == 6);
    CHECK(lossmap_rng_seed(&rng, 9) == LOSSMAP_OK);
    CHECK(lossmap_perturbed_gd_f64(camel, NULL, x, 2, &cfg, &rng, work, &r) == LOSSMAP_OK);
    show("perturbed GD", &PROBLEMS[1], &r, x);
    CHECK(r.reason == LOSSMAP_SEARCH_CONVERGED && r.accepted >= 1);
    CHECK(fabs(r.best_loss - CAMEL_MIN) < 1e-6 && fabs(camel(x, 2, NULL) - r.best_loss) < 1e-12);
    /* Rastrigin from inside the origin's basin (step below 1/L = 1/(2 + 40 pi^2)). */
    x[0] = 0.3;
    x[1] = -0.2;
    cfg.lr = 2e-3;
    CHECK(lossmap_perturbed_gd_f64(rastrigin, NULL, x, 2, &cfg, &rng, work, &r) == LOSSMAP_OK);
    show("perturbed GD", &PROBLEMS[0], &r, x);
    CHECK(r.reason == LOSSMAP_SEARCH_CONVERGED && fabs(r.best_loss) < 1e-6);
}

/* ---- f32: basin hopping on the camel ---- */
static void run_f32(void) {
    lossmap_rng rng;
    const float lo[2] = {-3.0f, -2.0f}, hi[2] = {3.0f, 2.0f};
    float x[2] = {2.0f, 1.5f}, work[10];
    lossmap_hopping_config_f32 cfg = lossmap_hopping_config_default_f32();
    lossmap_polish_f32 polish = lossmap_polish_default_f32();
    polish.kind = LOSSMAP_POLISH_PROJECTED_GRADIENT;
    lossmap_search_report_f32 r;
    cfg.budget.max_evals = 5000;
    CHECK(lossmap_rng_seed(&rng, 2) == LOSSMAP_OK);
    CHECK(lossmap_hopping_f32(camel32, NULL, lo, hi, 2, &cfg, &polish, NULL, &rng, x, work, &r) == LOSSMAP_OK);
    printf("basin hopping f32  six-hump camel  f = %+.6f, %zu evaluations\n", (double)r.best_loss,
           r.value_evals + r.grad_evals);
    CHECK(fabs((double)r.best_loss - CAMEL_MIN) < 1e-4);
}

/* ---- Bad input: the right status, x and the generator unchanged ---- */
static void bad_input(void) {
    const problem *p = &PROBLEMS[1];
    const double swapped_lo[2] = {-3.0, 2.0}, swapped_hi[2] = {3.0, -2.0};
    double x[2] = {1.0, 1.0}, x0[2], work[32], pop[4], fit[2], next[4], next_fit[2], best[2];
    double xs[4], energies[2], temps[2];
    size_t attempts[1], accepts[1];
    lossmap_rng rng, rng0;
    lossmap_hopping_config_f64 hop = lossmap_hopping_config_default_f64();
    lossmap_annealing_config_f64 ann = lossmap_annealing_config_default_f64();
    lossmap_genetic_config_f64 ga = lossmap_genetic_config_default_f64();
    lossmap_replica_config_f64 rep = lossmap_replica_config_default_f64();
    lossmap_perturbed_config_f64 pgd = lossmap_perturbed_config_default_f64();
    lossmap_budget_f64 budget = lossmap_budget_default_f64();
    lossmap_search_report_f64 r;
    int32_t kinds[2];

    ga.tournament = 2; /* valid for P = 2 */
    CHECK(lossmap_rng_seed(&rng, 77) == LOSSMAP_OK);
    rng0 = rng;
    memcpy(x0, x, sizeof x);
    memcpy(pop, (const double[4]){0.5, 0.5, -0.5, 0.5}, sizeof pop);
    memcpy(xs, pop, sizeof xs);

#define UNCHANGED() CHECK(SAME(x, x0) && SAME(rng, rng0))
    /* Empty box. */
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 0, &hop, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_EMPTY);
    UNCHANGED();
    CHECK(lossmap_anneal_f64(camel, NULL, p->lower, p->upper, 0, &ann, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_EMPTY);
    UNCHANGED();
    CHECK(lossmap_perturbed_gd_f64(camel, NULL, x, 0, &pgd, &rng, work, &r) == LOSSMAP_ERR_EMPTY);
    UNCHANGED();
    /* lower > upper. */
    CHECK(lossmap_hopping_f64(camel, NULL, swapped_lo, swapped_hi, 2, &hop, NULL, NULL, &rng, x, work, &r) ==
          LOSSMAP_ERR_PARAM);
    UNCHANGED();
    CHECK(lossmap_multistart_f64(camel, NULL, swapped_lo, swapped_hi, 2, &budget, NULL, x, 1, fit, best, kinds, NULL,
                               work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    CHECK(lossmap_uniform_starts_f64(swapped_lo, swapped_hi, 2, &rng, x, 1) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    /* Temperature <= 0. */
    hop.temperature = 0.0;
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 2, &hop, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    hop = lossmap_hopping_config_default_f64();
    ann.t0 = -1.0;
    CHECK(lossmap_anneal_f64(camel, NULL, p->lower, p->upper, 2, &ann, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    ann = lossmap_annealing_config_default_f64();
    rep.t_min = 0.0;
    CHECK(lossmap_replica_exchange_f64(camel, NULL, p->lower, p->upper, 2, &rep, NULL, &rng, xs, 2, energies, temps,
                                     attempts, accepts, best, work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    rep = lossmap_replica_config_default_f64();
    /* P = 1, R = 1. */
    CHECK(lossmap_genetic_f64(camel, NULL, p->lower, p->upper, 2, &ga, NULL, &rng, pop, 1, fit, next, next_fit, best,
                            work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    CHECK(lossmap_replica_exchange_f64(camel, NULL, p->lower, p->upper, 2, &rep, NULL, &rng, xs, 1, energies, temps,
                                     attempts, accepts, best, work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    /* A start outside the box. */
    x[0] = 5.0;
    x0[0] = 5.0;
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 2, &hop, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_PARAM);
    UNCHANGED();
    x[0] = x0[0] = 1.0;
    /* NULL pointers. */
    CHECK(lossmap_hopping_f64(NULL, NULL, p->lower, p->upper, 2, &hop, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 2, NULL, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 2, &hop, NULL, NULL, NULL, x, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_anneal_f64(camel, NULL, p->lower, p->upper, 2, &ann, NULL, NULL, &rng, NULL, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_anneal_f64(camel, NULL, NULL, p->upper, 2, &ann, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_perturbed_gd_f64(camel, NULL, x, 2, &pgd, &rng, NULL, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_genetic_f64(camel, NULL, p->lower, p->upper, 2, &ga, NULL, &rng, pop, 2, fit, NULL, next_fit, best,
                            work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    CHECK(lossmap_replica_exchange_f64(camel, NULL, p->lower, p->upper, 2, &rep, NULL, &rng, xs, 2, energies, temps,
                                     NULL, accepts, best, work, &r) == LOSSMAP_ERR_NULL);
    UNCHANGED();
    /* Aliased buffers. */
    CHECK(lossmap_hopping_f64(camel, NULL, p->lower, p->upper, 2, &hop, NULL, NULL, &rng, x, x, &r) == LOSSMAP_ERR_ALIASED);
    UNCHANGED();
    CHECK(lossmap_anneal_f64(camel, NULL, p->lower, p->upper, 2, &ann, NULL, NULL, &rng, work + 1, work, &r) ==
          LOSSMAP_ERR_ALIASED);
    UNCHANGED();
    CHECK(lossmap_perturbed_gd_f64(camel, NULL, x, 2, &pgd, &rng, work, (lossmap_search_report_f64 *)(void *)work) ==
          LOSSMAP_ERR_ALIASED);
    UNCHANGED();
    CHECK(lossmap_genetic_f64(camel, NULL, p->lower, p->upper, 2, &ga, NULL, &rng, pop, 2, fit, pop, next_fit, best,
                            work, &r) == LOSSMAP_ERR_ALIASED);
    UNCHANGED();
    CHECK(lossmap_replica_exchange_f64(camel, NULL, p->lower, p->upper, 2, &rep, NULL, &rng, xs, 2, energies, temps,
                                     attempts, attempts, best, work, &r) == LOSSMAP_ERR_ALIASED);
    UNCHANGED();
    /* The output x overlapping the input box. */
    CHECK(lossmap_hopping_f64(camel, NULL, x, p->upper, 2, &hop, NULL, NULL, &rng, x, work, &r) == LOSSMAP_ERR_ALIASED);
    UNCHANGED();
#undef UNCHANGED
    {
        /* f32: an empty box and P = 1. */
        const float lo[2] = {-3.0f, -2.0f}, hi[2] = {3.0f, 2.0f};
        float xf[2] = {1.0f, 1.0f}, xf0[2] = {1.0f, 1.0f}, w[8], fi[2], nx[4], nf[2], b[2];
        lossmap_hopping_config_f32 h32 = lossmap_hopping_config_default_f32();
        lossmap_genetic_config_f32 g32 = lossmap_genetic_config_default_f32();
        CHECK(lossmap_hopping_f32(camel32, NULL, lo, hi, 0, &h32, NULL, NULL, &rng, xf, w, NULL) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_genetic_f32(camel32, NULL, lo, hi, 2, &g32, NULL, &rng, xf, 1, fi, nx, nf, b, w, NULL) ==
              LOSSMAP_ERR_PARAM);
        CHECK(SAME(xf, xf0) && SAME(rng, rng0));
    }
    printf("bad input: all rejected, x and rng unchanged\n");
}

int main(void) {
    size_t i;
    for (i = 0; i < 2; i++) {
        run_multistart(&PROBLEMS[i]);
        run_hopping(&PROBLEMS[i]);
        run_anneal(&PROBLEMS[i]);
        run_genetic(&PROBLEMS[i]);
    }
    run_replicas();
    run_perturbed();
    run_f32();
    bad_input();
    if (failures != 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all global-exploration checks passed\n");
    return 0;
}
