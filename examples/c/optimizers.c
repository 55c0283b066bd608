/* The first-order family through lossmap's C interface: SGD (plain, heavy-ball, Nesterov),
 * AdaGrad, RMSProp (centered, with momentum) and AdamW / AMSGrad, a few steps each on the
 * quadratic f(x) = 0.5 (x0^2 + 10 x1^2) - x0 (gradient (x0 - 1, 10 x1)), checked against
 * torch.optim's documented update rules written out here in C. Then bad input, which must
 * change neither x nor the state. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define N 2
#define STEPS 5

static void grad(const double *x, double *g) {
    g[0] = x[0] - 1.0;
    g[1] = 10.0 * x[1];
}

static int close_to(double a, double b) {
    return fabs(a - b) <= 1e-13 * (fabs(b) > 1.0 ? fabs(b) : 1.0);
}

/* Caller-owned state, statically allocated as firmware would. */
static double sgd_buf[N], ada_sum[N], rms_v[N], rms_avg[N], rms_buf[N];
static double aw_m[N], aw_v[N], aw_vmax[N];
static lossmap_sgd_f64 sgd;
static lossmap_adagrad_f64 ada;
static lossmap_rmsprop_f64 rms;
static lossmap_adamw_f64 aw;

static void check_sgd(void) {
    lossmap_sgd_config_f64 cfg = lossmap_sgd_config_default_f64();
    double x[N] = {3.0, -2.0}, y[N] = {3.0, -2.0}, b[N] = {0.0, 0.0}, g[N];
    int t, i;

    CHECK(cfg.lr == 1e-3 && cfg.momentum == 0.0 && cfg.nesterov == 0);
    /* Plain SGD, no buffer: one step is x - lr g exactly. */
    cfg.lr = 0.05;
    CHECK(lossmap_sgd_init_f64(&sgd, &cfg, N, NULL) == LOSSMAP_OK);
    grad(x, g);
    CHECK(lossmap_sgd_step_f64(&sgd, x, g, N) == LOSSMAP_OK);
    CHECK(x[0] == 3.0 - 0.05 * 2.0 && x[1] == -2.0 - 0.05 * -20.0 && sgd.step == 1);

    /* Nesterov momentum with weight decay: b = g (t = 1), then b = mu b + g; step g + mu b. */
    cfg.lr = 0.02;
    cfg.momentum = 0.8;
    cfg.weight_decay = 0.01;
    cfg.nesterov = 1;
    x[0] = y[0] = 3.0;
    x[1] = y[1] = -2.0;
    CHECK(lossmap_sgd_init_f64(&sgd, &cfg, N, sgd_buf) == LOSSMAP_OK);
    for (t = 1; t <= STEPS; t++) {
        grad(x, g);
        CHECK(lossmap_sgd_step_f64(&sgd, x, g, N) == LOSSMAP_OK);
        for (i = 0; i < N; i++) {
            double d = g[i] + 0.01 * y[i];
            b[i] = t == 1 ? d : 0.8 * b[i] + 1.0 * d;
            y[i] -= 0.02 * (d + 0.8 * b[i]);
        }
    }
    CHECK(close_to(x[0], y[0]) && close_to(x[1], y[1]));
    printf("sgd (nesterov): x = (%.15f, %.15f)\n", x[0], x[1]);

    /* f32, plain: exact. */
    {
        lossmap_sgd_config_f32 c32 = lossmap_sgd_config_default_f32();
        lossmap_sgd_f32 s32;
        float xf[N] = {1.0f, -1.0f}, gf[N] = {2.0f, -4.0f};
        c32.lr = 0.25f;
        CHECK(lossmap_sgd_init_f32(&s32, &c32, N, NULL) == LOSSMAP_OK);
        CHECK(lossmap_sgd_step_f32(&s32, xf, gf, N) == LOSSMAP_OK);
        CHECK(xf[0] == 0.5f && xf[1] == 0.0f);
    }
}

static void check_adagrad(void) {
    lossmap_adagrad_config_f64 cfg = lossmap_adagrad_config_default_f64();
    double x[N] = {3.0, -2.0}, y[N] = {3.0, -2.0}, s[N] = {0.1, 0.1}, g[N];
    int t, i;

    CHECK(cfg.lr == 1e-2 && cfg.eps == 1e-10);
    cfg.lr = 0.5;
    cfg.lr_decay = 0.01;
    cfg.weight_decay = 0.02;
    cfg.initial_accumulator_value = 0.1;
    CHECK(lossmap_adagrad_init_f64(&ada, &cfg, N, ada_sum) == LOSSMAP_OK);
    CHECK(ada_sum[0] == 0.1 && ada_sum[1] == 0.1);
    for (t = 1; t <= STEPS; t++) {
        double clr = 0.5 / (1.0 + (t - 1) * 0.01);
        grad(x, g);
        CHECK(lossmap_adagrad_step_f64(&ada, x, g, N) == LOSSMAP_OK);
        for (i = 0; i < N; i++) {
            double d = g[i] + 0.02 * y[i];
            s[i] += d * d;
            y[i] -= clr * (d / (sqrt(s[i]) + 1e-10));
        }
    }
    CHECK(close_to(x[0], y[0]) && close_to(x[1], y[1]));
    printf("adagrad: x = (%.15f, %.15f)\n", x[0], x[1]);
}

static void check_rmsprop(void) {
    lossmap_rmsprop_config_f64 cfg = lossmap_rmsprop_config_default_f64();
    double x[N] = {3.0, -2.0}, y[N] = {3.0, -2.0}, g[N];
    double v[N] = {0, 0}, a[N] = {0, 0}, b[N] = {0, 0};
    int t, i;

    CHECK(cfg.lr == 1e-2 && cfg.alpha == 0.99 && cfg.centered == 0);
    cfg.alpha = 0.9;
    cfg.eps = 1e-6;
    cfg.weight_decay = 0.01;
    cfg.momentum = 0.5;
    cfg.centered = 1;
    CHECK(lossmap_rmsprop_init_f64(&rms, &cfg, N, rms_v, rms_avg, rms_buf) == LOSSMAP_OK);
    for (t = 1; t <= STEPS; t++) {
        grad(x, g);
        CHECK(lossmap_rmsprop_step_f64(&rms, x, g, N) == LOSSMAP_OK);
        for (i = 0; i < N; i++) {
            double d = g[i] + 0.01 * y[i], var;
            v[i] = 0.9 * v[i] + (1.0 - 0.9) * d * d;
            a[i] = 0.9 * a[i] + (1.0 - 0.9) * d;
            var = v[i] - a[i] * a[i];
            b[i] = 0.5 * b[i] + d / (sqrt(var > 0.0 ? var : 0.0) + 1e-6);
            y[i] -= 0.01 * b[i];
        }
    }
    CHECK(close_to(x[0], y[0]) && close_to(x[1], y[1]));
    printf("rmsprop (centered, momentum): x = (%.15f, %.15f)\n", x[0], x[1]);
}

static void check_adamw(void) {
    lossmap_adamw_config_f64 cfg = lossmap_adamw_config_default_f64();
    double x[N] = {3.0, -2.0}, y[N] = {3.0, -2.0}, g[N];
    double m[N] = {0, 0}, v[N] = {0, 0}, vm[N] = {0, 0};
    int t, i;

    CHECK(cfg.lr == 1e-3 && cfg.weight_decay == 1e-2 && cfg.amsgrad == 0 && cfg.decoupled == 1);
    cfg.lr = 0.1;
    cfg.weight_decay = 0.1;
    cfg.amsgrad = 1;
    CHECK(lossmap_adamw_init_f64(&aw, &cfg, N, aw_m, aw_v, aw_vmax) == LOSSMAP_OK);
    for (t = 1; t <= STEPS; t++) {
        double bc1 = 1.0 - pow(0.9, t), bc2 = sqrt(1.0 - pow(0.999, t));
        grad(x, g);
        CHECK(lossmap_adamw_step_f64(&aw, x, g, N) == LOSSMAP_OK);
        for (i = 0; i < N; i++) {
            y[i] *= 1.0 - 0.1 * 0.1; /* decoupled decay first */
            m[i] = 0.9 * m[i] + (1.0 - 0.9) * g[i];
            v[i] = 0.999 * v[i] + (1.0 - 0.999) * g[i] * g[i];
            if (v[i] > vm[i]) vm[i] = v[i];
            y[i] -= (0.1 / bc1) * (m[i] / (sqrt(vm[i]) / bc2 + 1e-8));
        }
    }
    CHECK(close_to(x[0], y[0]) && close_to(x[1], y[1]));
    CHECK(aw_vmax[0] >= aw_v[0] && aw_vmax[1] >= aw_v[1]);
    printf("adamw (amsgrad): x = (%.15f, %.15f)\n", x[0], x[1]);

    /* f32 (without AMSGrad, v_max NULL) agrees with the same run in f64 to single precision. */
    {
        lossmap_adamw_config_f32 c32 = lossmap_adamw_config_default_f32();
        lossmap_adamw_f32 s32;
        lossmap_adamw_f64 s64;
        float m32[N], v32[N], xf[N] = {3.0f, -2.0f}, gf[N];
        double m64[N], v64[N], xd[N] = {3.0, -2.0};
        c32.lr = 0.1f;
        c32.weight_decay = 0.1f;
        cfg.amsgrad = 0;
        CHECK(lossmap_adamw_init_f32(&s32, &c32, N, m32, v32, NULL) == LOSSMAP_OK);
        CHECK(lossmap_adamw_init_f64(&s64, &cfg, N, m64, v64, NULL) == LOSSMAP_OK);
        for (t = 1; t <= STEPS; t++) {
            gf[0] = xf[0] - 1.0f;
            gf[1] = 10.0f * xf[1];
            grad(xd, g);
            CHECK(lossmap_adamw_step_f32(&s32, xf, gf, N) == LOSSMAP_OK);
            CHECK(lossmap_adamw_step_f64(&s64, xd, g, N) == LOSSMAP_OK);
        }
        CHECK(fabs(xf[0] - xd[0]) < 1e-5 * fabs(xd[0]) && fabs(xf[1] - xd[1]) < 1e-5 * fabs(xd[1]));
    }
}

static void check_bad_input(void) {
    lossmap_sgd_config_f64 sc = lossmap_sgd_config_default_f64();
    lossmap_rmsprop_config_f64 rc = lossmap_rmsprop_config_default_f64();
    lossmap_adagrad_config_f64 ac = lossmap_adagrad_config_default_f64();
    lossmap_adamw_config_f64 wc = lossmap_adamw_config_default_f64();
    double x[N] = {1.0, 2.0}, g[N] = {0.5, 0.5}, bad_g[N] = {NAN, 0.5};
    lossmap_sgd_f64 before;

    /* Nesterov needs momentum > 0 and no dampening, as torch raises. */
    sc.nesterov = 1;
    CHECK(lossmap_sgd_init_f64(&sgd, &sc, N, sgd_buf) == LOSSMAP_ERR_PARAM);
    sc.nesterov = 0;
    sc.lr = -0.1;
    CHECK(lossmap_sgd_init_f64(&sgd, &sc, N, sgd_buf) == LOSSMAP_ERR_PARAM);
    sc.lr = 0.1;
    sc.momentum = 0.9;
    CHECK(lossmap_sgd_init_f64(&sgd, &sc, N, NULL) == LOSSMAP_ERR_NULL); /* momentum needs buf */
    CHECK(lossmap_sgd_init_f64(&sgd, &sc, N, sgd_buf) == LOSSMAP_OK);
    CHECK(lossmap_sgd_step_f64(&sgd, x, g, N) == LOSSMAP_OK);
    memcpy(&before, &sgd, sizeof sgd);
    {
        double buf0[N] = {sgd_buf[0], sgd_buf[1]}, x0[N] = {x[0], x[1]};
        CHECK(lossmap_sgd_step_f64(&sgd, x, bad_g, N) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_sgd_step_f64(&sgd, x, g, 1) == LOSSMAP_ERR_LENGTH);
        CHECK(lossmap_sgd_step_f64(&sgd, x, x, N) == LOSSMAP_ERR_ALIASED);
        CHECK(lossmap_sgd_step_f64(&sgd, sgd_buf, g, N) == LOSSMAP_ERR_ALIASED);
        sgd.config.dampening = 2.0;
        CHECK(lossmap_sgd_step_f64(&sgd, x, g, N) == LOSSMAP_ERR_PARAM);
        sgd.config.dampening = 0.0;
        CHECK(memcmp(&before, &sgd, sizeof sgd) == 0);
        CHECK(buf0[0] == sgd_buf[0] && buf0[1] == sgd_buf[1] && x0[0] == x[0] && x0[1] == x[1]);
    }

    ac.eps = 0.0;
    CHECK(lossmap_adagrad_init_f64(&ada, &ac, N, ada_sum) == LOSSMAP_ERR_PARAM);
    rc.centered = 1;
    CHECK(lossmap_rmsprop_init_f64(&rms, &rc, N, rms_v, NULL, NULL) == LOSSMAP_ERR_NULL);
    rc.alpha = 1.0;
    CHECK(lossmap_rmsprop_init_f64(&rms, &rc, N, rms_v, rms_avg, NULL) == LOSSMAP_ERR_PARAM);
    wc.amsgrad = 1;
    CHECK(lossmap_adamw_init_f64(&aw, &wc, N, aw_m, aw_v, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_adamw_init_f64(&aw, &wc, N, aw_m, aw_m, aw_vmax) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_adamw_init_f64(&aw, &wc, 0, aw_m, aw_v, aw_vmax) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_adamw_init_f64(NULL, &wc, N, aw_m, aw_v, aw_vmax) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_adamw_step_f64(NULL, x, g, N) == LOSSMAP_ERR_NULL);
}

int main(void) {
    check_sgd();
    check_adagrad();
    check_rmsprop();
    check_adamw();
    check_bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("optimizers: all checks passed\n");
    return 0;
}
