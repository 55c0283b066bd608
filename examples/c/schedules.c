/* Learning-rate schedules through the C ABI: each kind's rates against closed forms computed
 * here (StepLR gamma^floor(t/s), exponential, SGDR restarts, CyclicLR peaks and troughs,
 * OneCycleLR ends), ReduceLROnPlateau and the PI controller on loss sequences, and bad
 * configurations rejected with nothing written. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define PI_D 3.14159265358979323846

static int close_rel(double a, double b, double tol) { return fabs(a - b) <= tol * fabs(b); }

/* A LambdaLR factor: ctx^t. */
static double half_life(size_t t, void *ctx) { return pow(*(const double *)ctx, (double)t); }

/* A CyclicLR scale function: 1/x. */
static double inverse(double x, void *ctx) {
    (void)ctx;
    return 1.0 / x;
}

/* The rate of step t, or NAN on error. */
static double rate(lossmap_schedule_f64 *s, size_t t, double loss) {
    double lr = NAN;
    return lossmap_schedule_lr_f64(s, t, loss, &lr) == LOSSMAP_OK ? lr : NAN;
}

int main(void) {
    lossmap_schedule_f64 s, before;
    lossmap_schedule_f32 s32;
    size_t t;
    double lr;
    float lr32;

    /* StepLR: 0.1 * 0.5^floor(t / 7). */
    CHECK(lossmap_schedule_step_init_f64(&s, 0.1, 7, 0.5) == LOSSMAP_OK);
    CHECK(s.kind == LOSSMAP_SCHEDULE_STEP);
    for (t = 0; t < 60; t++) CHECK(close_rel(rate(&s, t, 0.0), 0.1 * pow(0.5, (double)(t / 7)), 1e-15));

    /* ExponentialLR: 0.2 * 0.97^t. */
    CHECK(lossmap_schedule_exponential_init_f64(&s, 0.2, 0.97) == LOSSMAP_OK);
    for (t = 0; t < 60; t++) CHECK(close_rel(rate(&s, t, 0.0), 0.2 * pow(0.97, (double)t), 1e-13));

    /* SGDR, T_0 = 5, T_mult = 2: restarts at 0, 5, 15, 35; half way through each period the
     * rate is (lr + eta_min) / 2. */
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&s, 0.1, 5, 2, 0.001) == LOSSMAP_OK);
    CHECK(rate(&s, 0, 0.0) == 0.1 && rate(&s, 5, 0.0) == 0.1);
    CHECK(rate(&s, 15, 0.0) == 0.1 && rate(&s, 35, 0.0) == 0.1);
    CHECK(close_rel(rate(&s, 10, 0.0), 0.0505, 1e-14)); /* 5 into a period of 10 */
    CHECK(close_rel(rate(&s, 25, 0.0), 0.0505, 1e-14)); /* 10 into a period of 20 */
    CHECK(close_rel(rate(&s, 16, 0.0), 0.001 + 0.099 * (1 + cos(PI_D / 20)) / 2, 1e-14));

    /* CyclicLR triangular2, up 10, down 5: troughs at multiples of 15, peaks at 10 + 15k with
     * height (max - base) / 2^k. */
    CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.01, 0.1, 10, 5, LOSSMAP_CYCLIC_TRIANGULAR2) == LOSSMAP_OK);
    for (t = 0; t < 5; t++) {
        CHECK(close_rel(rate(&s, 15 * t, 0.0), 0.01, 1e-14));
        CHECK(close_rel(rate(&s, 10 + 15 * t, 0.0), 0.01 + 0.09 / pow(2.0, (double)t), 1e-14));
    }
    CHECK(close_rel(rate(&s, 5, 0.0), 0.055, 1e-14)); /* half way up */
    CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.01, 0.1, 10, 5, LOSSMAP_CYCLIC_TRIANGULAR) == LOSSMAP_OK);
    CHECK(close_rel(rate(&s, 40, 0.0), 0.1, 1e-14)); /* every peak at max_lr */

    /* OneCycleLR: max_lr/25 at 0, max_lr at pct*total - 1, max_lr/25/1e4 at total - 1. */
    CHECK(lossmap_schedule_one_cycle_init_f64(&s, 0.5, 100, 0.3, 25.0, 1e4) == LOSSMAP_OK);
    CHECK(close_rel(rate(&s, 0, 0.0), 0.02, 1e-14));
    CHECK(close_rel(rate(&s, 29, 0.0), 0.5, 1e-14));
    CHECK(close_rel(rate(&s, 99, 0.0), 2e-6, 1e-12));
    CHECK(lossmap_schedule_lr_f64(&s, 101, 0.0, &lr) == LOSSMAP_ERR_PARAM);

    /* ReduceLROnPlateau: a flat loss cuts the rate after `patience` + 1 calls. */
    {
        lossmap_plateau_config_f64 cfg = lossmap_schedule_plateau_config_default_f64();
        cfg.lr = 1.0;
        cfg.patience = 2;
        cfg.factor = 0.5;
        CHECK(lossmap_schedule_plateau_init_f64(&s, &cfg) == LOSSMAP_OK);
        CHECK(rate(&s, 0, 3.0) == 1.0 && rate(&s, 1, 3.0) == 1.0 && rate(&s, 2, 3.0) == 1.0);
        CHECK(rate(&s, 3, 3.0) == 0.5);
        CHECK(rate(&s, 4, 1.0) == 0.5); /* improvement: no cut */
        before = s;
        CHECK(lossmap_schedule_lr_f64(&s, 5, NAN, &lr) == LOSSMAP_ERR_NON_FINITE);
        CHECK(memcmp(&s, &before, sizeof s) == 0);
    }

    /* PI controller: gradient descent on 0.5 * 100 x^2, told after each step what the step
     * did (lossmap_schedule_observe_f64), settles on the optimal rate 1/100 both from a timid
     * rate (1e-6) and from a diverging one (0.2, ten times the stability edge 2/100). It
     * remembers the curvature 100 the steps showed (its ceiling is sqrt(2)/100), and one
     * deterministic loss shows no gradient noise. */
    {
        const double starts[2] = {1e-6, 0.2};
        int k;
        for (k = 0; k < 2; k++) {
            lossmap_pi_config_f64 cfg = lossmap_schedule_pi_config_default_f64();
            lossmap_step_observation_f64 obs;
            double x = 1.0, loss = 50.0;
            cfg.lr = starts[k];
            CHECK(lossmap_schedule_pi_init_f64(&s, &cfg) == LOSSMAP_OK);
            for (t = 0; t < 40 && loss > 1e-20; t++) {
                double g = 100.0 * x, x1;
                CHECK(lossmap_schedule_lr_f64(&s, t, loss, &lr) == LOSSMAP_OK);
                x1 = x - lr * g;
                obs.step = t;
                obs.loss_before = loss;
                obs.loss_after = 50.0 * x1 * x1;
                obs.predicted_decrease = -g * (x1 - x);
                obs.grad_norm = fabs(g);
                obs.step_norm = fabs(x1 - x);
                CHECK(lossmap_schedule_observe_f64(&s, &obs) == LOSSMAP_OK);
                x = x1;
                loss = obs.loss_after;
            }
            CHECK(loss <= 1e-20);
            CHECK(lr > 0.005 && lr < 0.02);
            CHECK(fabs(s.pi.curvature - 100.0) < 1e-9 && s.pi.noise == 0.0);
            printf("PI controller from %g: loss %.3g after %zu steps, rate %.5f (best 0.01)\n",
                   starts[k], loss, t, lr);
            /* A NaN in the observation is refused and changes nothing. */
            before = s;
            obs.loss_before = NAN;
            CHECK(lossmap_schedule_observe_f64(&s, &obs) == LOSSMAP_ERR_NON_FINITE);
            CHECK(memcmp(&s, &before, sizeof s) == 0);
        }
        /* A ceiling factor beyond the stability edge (theta > 2) is refused. */
        {
            lossmap_pi_config_f64 cfg = lossmap_schedule_pi_config_default_f64();
            cfg.ceiling = 3.0;
            before = s;
            CHECK(lossmap_schedule_pi_init_f64(&s, &cfg) == LOSSMAP_ERR_PARAM);
            CHECK(memcmp(&s, &before, sizeof s) == 0);
        }
    }

    /* f32: constant rate and StepLR. */
    CHECK(lossmap_schedule_constant_init_f32(&s32, 0.01f) == LOSSMAP_OK);
    CHECK(lossmap_schedule_lr_f32(&s32, 12345, 1.0f, &lr32) == LOSSMAP_OK && lr32 == 0.01f);
    CHECK(lossmap_schedule_step_init_f32(&s32, 1.0f, 3, 0.5f) == LOSSMAP_OK);
    CHECK(lossmap_schedule_lr_f32(&s32, 7, 0.0f, &lr32) == LOSSMAP_OK && lr32 == 0.25f);

    /* Bad configurations: LOSSMAP_ERR_PARAM and nothing written. */
    CHECK(lossmap_schedule_step_init_f64(&s, 0.1, 7, 0.5) == LOSSMAP_OK);
    before = s;
    CHECK(lossmap_schedule_step_init_f64(&s, 0.1, 0, 0.5) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_step_init_f64(&s, -0.1, 7, 0.5) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_exponential_init_f64(&s, 0.1, 0.0) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&s, 0.1, 0, 1, 0.0) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.1, 1.0, 0, 5, LOSSMAP_CYCLIC_TRIANGULAR) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.1, 1.0, 5, 5, 7) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_one_cycle_init_f64(&s, 0.5, 0, 0.3, 25.0, 1e4) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_one_cycle_init_f64(&s, 0.5, 100, 1.5, 25.0, 1e4) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_schedule_constant_init_f64(&s, NAN) == LOSSMAP_ERR_PARAM);
    CHECK(memcmp(&s, &before, sizeof s) == 0);
    CHECK(lossmap_schedule_constant_init_f64(NULL, 0.1) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_schedule_plateau_init_f64(&s, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_schedule_lr_f64(&s, 0, 0.0, NULL) == LOSSMAP_ERR_NULL);
    s.kind = 99; /* not a kind */
    CHECK(lossmap_schedule_lr_f64(&s, 0, 0.0, &lr) == LOSSMAP_ERR_PARAM);
    s.kind = LOSSMAP_SCHEDULE_STEP;
    s.step.step_size = 0; /* corrupted after init: checked at every call, no division by 0 */
    CHECK(lossmap_schedule_lr_f64(&s, 3, 0.0, &lr) == LOSSMAP_ERR_PARAM);

    /* CosineAnnealingLR: eta_min + (lr - eta_min)(1 + cos(pi t / T_max)) / 2. */
    CHECK(lossmap_schedule_cosine_init_f64(&s, 0.1, 20, 0.001) == LOSSMAP_OK);
    CHECK(s.kind == LOSSMAP_SCHEDULE_COSINE);
    for (t = 0; t < 60; t++)
        CHECK(close_rel(rate(&s, t, 0.0), 0.001 + 0.099 * (1 + cos(PI_D * (double)t / 20)) / 2, 1e-13));

    /* LinearLR warm-up, torch's defaults 1/3 -> 1 over 5 steps. */
    CHECK(lossmap_schedule_linear_init_f64(&s, 0.3, 1.0 / 3.0, 1.0, 5) == LOSSMAP_OK);
    CHECK(close_rel(rate(&s, 0, 0.0), 0.1, 1e-15) && rate(&s, 5, 0.0) == 0.3 && rate(&s, 50, 0.0) == 0.3);

    /* MultiStepLR, milestones in any order, a repeated one decays twice. */
    {
        const size_t m[3] = {30, 10, 10};
        const size_t too_many[LOSSMAP_MULTI_STEP_MAX + 1] = {0};
        CHECK(lossmap_schedule_multi_step_init_f64(&s, 1.0, m, 3, 0.5) == LOSSMAP_OK);
        CHECK(rate(&s, 9, 0.0) == 1.0 && rate(&s, 10, 0.0) == 0.25 && rate(&s, 30, 0.0) == 0.125);
        before = s;
        CHECK(lossmap_schedule_multi_step_init_f64(&s, 1.0, too_many, LOSSMAP_MULTI_STEP_MAX + 1, 0.5) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_schedule_multi_step_init_f64(&s, 1.0, NULL, 2, 0.5) == LOSSMAP_ERR_NULL);
        CHECK(memcmp(&s, &before, sizeof s) == 0);
    }

    /* PolynomialLR: lr (1 - t/T)^p. */
    CHECK(lossmap_schedule_polynomial_init_f64(&s, 1.0, 4, 2.0) == LOSSMAP_OK);
    CHECK(rate(&s, 2, 0.0) == 0.25 && rate(&s, 4, 0.0) > 0.0 && rate(&s, 4, 0.0) < 1e-300);

    /* LambdaLR with a callback and its context. */
    {
        double half = 0.5;
        CHECK(lossmap_schedule_lambda_init_f64(&s, 0.2, half_life, &half) == LOSSMAP_OK);
        CHECK(rate(&s, 0, 0.0) == 0.2 && close_rel(rate(&s, 3, 0.0), 0.025, 1e-15));
        CHECK(lossmap_schedule_lambda_init_f64(&s, 0.2, NULL, &half) == LOSSMAP_ERR_NULL);
    }

    /* SequentialLR: a linear warm-up over 5 steps, then the cosine from its start; and
     * ChainedScheduler: the warm-up and an exponential decay at once. */
    {
        lossmap_schedule_f64 warm, decay, seq;
        CHECK(lossmap_schedule_linear_init_f64(&warm, 0.1, 0.1, 1.0, 5) == LOSSMAP_OK);
        CHECK(lossmap_schedule_cosine_init_f64(&decay, 0.1, 45, 0.0) == LOSSMAP_OK);
        CHECK(lossmap_schedule_sequential_init_f64(&seq, &warm, &decay, 5) == LOSSMAP_OK);
        CHECK(close_rel(rate(&seq, 0, 0.0), 0.01, 1e-15) && rate(&seq, 5, 0.0) == 0.1);
        CHECK(close_rel(rate(&seq, 27, 0.0), 0.05 * (1 + cos(PI_D * 22 / 45)), 1e-13));
        CHECK(lossmap_schedule_exponential_init_f64(&decay, 0.1, 0.5) == LOSSMAP_OK);
        CHECK(lossmap_schedule_chained_init_f64(&seq, &warm, &decay, 0.1) == LOSSMAP_OK);
        CHECK(close_rel(rate(&seq, 2, 0.0), 0.1 * 0.46 * 0.25, 1e-14));
        /* No nesting, no aliasing, milestone >= 1. */
        before = seq;
        CHECK(lossmap_schedule_sequential_init_f64(&s, &seq, &decay, 5) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_schedule_sequential_init_f64(&seq, &warm, &decay, 0) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_schedule_sequential_init_f64(&seq, &seq, &decay, 5) == LOSSMAP_ERR_ALIASED);
        CHECK(memcmp(&seq, &before, sizeof seq) == 0);
    }

    /* ReduceLROnPlateau in mode max with an absolute threshold: a falling metric never
     * improves, so the rate is cut after patience + 1 calls. */
    {
        lossmap_plateau_config_f64 cfg = lossmap_schedule_plateau_config_default_f64();
        CHECK(cfg.mode == LOSSMAP_PLATEAU_MIN && cfg.threshold_mode == LOSSMAP_PLATEAU_REL);
        cfg.lr = 1.0;
        cfg.patience = 1;
        cfg.mode = LOSSMAP_PLATEAU_MAX;
        cfg.threshold_mode = LOSSMAP_PLATEAU_ABS;
        CHECK(lossmap_schedule_plateau_init_f64(&s, &cfg) == LOSSMAP_OK);
        CHECK(rate(&s, 1, 5.0) == 1.0 && rate(&s, 2, 4.0) == 1.0 && rate(&s, 3, 3.0) == 0.1);
        cfg.mode = 2;
        CHECK(lossmap_schedule_plateau_init_f64(&s, &cfg) == LOSSMAP_ERR_PARAM);
    }

    /* CyclicLR exp_range with cycle momentum from a full parameter struct: the momentum is
     * max_momentum at the troughs and base_momentum at the peaks. */
    {
        lossmap_schedule_cyclic_f64 c;
        double m = NAN;
        CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.01, 0.1, 5, 5, LOSSMAP_CYCLIC_EXP_RANGE) == LOSSMAP_OK);
        CHECK(s.cyclic.scale_mode == LOSSMAP_CYCLIC_SCALE_ITERATIONS && s.cyclic.gamma == 1.0);
        c = s.cyclic;
        c.gamma = 0.9;
        c.cycle_momentum = 1;
        c.base_momentum = 0.8;
        c.max_momentum = 0.9;
        CHECK(lossmap_schedule_cyclic_ex_init_f64(&s, &c) == LOSSMAP_OK);
        CHECK(close_rel(rate(&s, 5, 0.0), 0.01 + 0.09 * pow(0.9, 5.0), 1e-14));
        CHECK(lossmap_schedule_momentum_f64(&s, 0, &m) == LOSSMAP_OK && m == 0.9);
        CHECK(lossmap_schedule_momentum_f64(&s, 5, &m) == LOSSMAP_OK && close_rel(m, 0.9 - 0.1 * pow(0.9, 5.0), 1e-14));
        c.max_momentum = 1.0;
        before = s;
        CHECK(lossmap_schedule_cyclic_ex_init_f64(&s, &c) == LOSSMAP_ERR_PARAM);
        CHECK(memcmp(&s, &before, sizeof s) == 0);
    }

    /* CyclicLR with a custom scale function of the cycle: peaks at 1/cycle of the height. */
    {
        lossmap_schedule_cyclic_f64 c;
        CHECK(lossmap_schedule_cyclic_init_f64(&s, 0.1, 1.0, 5, 5, LOSSMAP_CYCLIC_TRIANGULAR) == LOSSMAP_OK);
        c = s.cyclic;
        CHECK(lossmap_schedule_cyclic_fn_init_f64(&s, &c, inverse, NULL) == LOSSMAP_OK);
        CHECK(s.kind == LOSSMAP_SCHEDULE_CYCLIC_FN);
        CHECK(close_rel(rate(&s, 5, 0.0), 1.0, 1e-15) && close_rel(rate(&s, 25, 0.0), 0.4, 1e-15));
        CHECK(lossmap_schedule_cyclic_fn_init_f64(&s, &c, NULL, NULL) == LOSSMAP_ERR_NULL);
    }

    /* OneCycleLR, three phases, linear: back at the initial rate at 2 pct total - 2. */
    {
        lossmap_schedule_one_cycle_f64 c;
        CHECK(lossmap_schedule_one_cycle_init_f64(&s, 1.0, 100, 0.25, 10.0, 100.0) == LOSSMAP_OK);
        c = s.one_cycle;
        c.three_phase = 1;
        c.anneal_strategy = LOSSMAP_ANNEAL_LINEAR;
        CHECK(lossmap_schedule_one_cycle_ex_init_f64(&s, &c) == LOSSMAP_OK);
        CHECK(close_rel(rate(&s, 24, 0.0), 1.0, 1e-15) && close_rel(rate(&s, 48, 0.0), 0.1, 1e-15));
        CHECK(close_rel(rate(&s, 12, 0.0), 0.1 + 0.9 * 12.0 / 24.0, 1e-15));
        CHECK(lossmap_schedule_momentum_f64(&s, 3, &lr) == LOSSMAP_ERR_PARAM); /* no cycling */
    }

    /* SGDR at fractional epochs: half way through the first period of 4 epochs. */
    CHECK(lossmap_schedule_cosine_restarts_init_f64(&s, 0.1, 4, 2, 0.0) == LOSSMAP_OK);
    CHECK(lossmap_schedule_lr_at_f64(&s, 2.0, &lr) == LOSSMAP_OK && close_rel(lr, 0.05, 1e-14));
    CHECK(lossmap_schedule_lr_at_f64(&s, 7.0, &lr) == LOSSMAP_OK && close_rel(lr, 0.05 * (1 + cos(PI_D * 3 / 8)), 1e-14));
    CHECK(lossmap_schedule_lr_at_f64(&s, -1.0, &lr) == LOSSMAP_ERR_PARAM);

    if (failures == 0) printf("schedules: all checks passed\n");
    return failures != 0;
}
