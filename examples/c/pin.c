/* Pinning a flat valley through lossmap's C interface: the two-rate model
 *   L(k1, k2) = (1/M) sum_j (exp(-(k1 + k2) t_j) - exp(-S t_j))^2,   S = 1.3, t_j = j/2,
 * depends on k1 + k2 only, so its Hessian is singular along (1, -1)/sqrt 2 everywhere and
 * every split of S is a minimum. The flat direction comes from the Hessian's spectrum
 * (lossmap_flat_range), the pin (w/2)(d.(x - a))^2 is added to the loss in the callback
 * (lossmap_pin_penalty) and to the Hessian (lossmap_pin_hessian): the minimum becomes
 * non-degenerate, and gradient descent on the pinned loss ends at the closed form
 * k1 - k2 = a1 - a2, k1 + k2 = S from any start. Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define M 8
static const double S = 1.3;

static double two_rate(const double *x, size_t n, void *ctx) {
    double s = x[0] + x[1], sum = 0.0;
    (void)n;
    (void)ctx;
    for (int j = 1; j <= M; j++) {
        double t = 0.5 * j, r = exp(-s * t) - exp(-S * t);
        sum += r * r;
    }
    return sum / M;
}

/* The pin of the flat direction, shared with the pinned loss. */
struct pin {
    double dir[2], anchor[2], weight;
};

static double pinned(const double *x, size_t n, void *ctx) {
    const struct pin *p = ctx;
    double pen = NAN;
    if (lossmap_pin_penalty_f64(p->dir, 1, p->anchor, n, p->weight, x, &pen, NULL) != LOSSMAP_OK) {
        return NAN;
    }
    return two_rate(x, n, NULL) + pen;
}

int main(void) {
    double x[2] = {0.4, 0.9}, work[LOSSMAP_HESSIAN_WORK_LEN(2)], h[4], values[2], vectors[4];
    double ework[LOSSMAP_SYM_EIGEN_WORK_LEN(2)];
    size_t start = 99, count = 99;
    lossmap_tolerance_f64 tol = lossmap_tolerance_default_f64();
    lossmap_critical_point kind;

    /* Before: a degenerate minimum, one flat direction. */
    CHECK(lossmap_hessian_f64(two_rate, NULL, x, 2, work, h, NULL) == LOSSMAP_OK);
    CHECK(lossmap_sym_eigen_f64(h, 2, ework, values, vectors) == LOSSMAP_OK);
    CHECK(lossmap_flat_range_f64(values, 2, 1e-6, &start, &count) == LOSSMAP_OK);
    CHECK(start == 0 && count == 1);
    CHECK(lossmap_classify_f64(values, 2, 0.0, &tol, &kind) == LOSSMAP_OK);
    CHECK(kind.kind == LOSSMAP_POINT_DEGENERATE && kind.zero == 1);

    /* The pin: the flat eigenvector, anchored off the valley, with the default weight. */
    struct pin p = {{vectors[0], vectors[1]}, {0.2, 0.3}, 0.0};
    CHECK(lossmap_pin_weight_f64(values, 2, start, count, &p.weight) == LOSSMAP_OK);
    CHECK(fabs(p.weight - values[1]) < 1e-12 * values[1]);
    CHECK(fabs(fabs(p.dir[0]) - sqrt(0.5)) < 1e-6 && fabs(p.dir[0] + p.dir[1]) < 1e-6);

    /* After: the pinned Hessian at the valley point has both eigenvalues = the weight. */
    CHECK(lossmap_pin_hessian_f64(p.dir, 1, 2, p.weight, h) == LOSSMAP_OK);
    CHECK(lossmap_sym_eigen_f64(h, 2, ework, values, vectors) == LOSSMAP_OK);
    CHECK(fabs(values[0] - p.weight) < 1e-6 * p.weight && fabs(values[1] - p.weight) < 1e-6 * p.weight);
    CHECK(lossmap_classify_f64(values, 2, 0.0, &tol, &kind) == LOSSMAP_OK);
    CHECK(kind.kind == LOSSMAP_POINT_MINIMUM);

    /* Gradient descent on the pinned loss from two starts ends at the closed form. */
    const double want0 = (S + (0.2 - 0.3)) / 2.0, want1 = (S - (0.2 - 0.3)) / 2.0;
    const double starts[2][2] = {{1.0, 0.1}, {0.0, 1.5}};
    for (int s = 0; s < 2; s++) {
        double y[2] = {starts[s][0], starts[s][1]}, g[2], gw[LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(2)];
        double lr = 1.0 / p.weight;
        for (int it = 0; it < 4000; it++) {
            CHECK(lossmap_gradient_central_f64(pinned, &p, y, 2, gw, g, NULL) == LOSSMAP_OK);
            y[0] -= lr * g[0];
            y[1] -= lr * g[1];
        }
        CHECK(fabs(y[0] - want0) < 1e-6 && fabs(y[1] - want1) < 1e-6);
    }

    /* Bad input: an error code and nothing written. */
    double v = 7.0, g2[2] = {1.0, 2.0};
    CHECK(lossmap_pin_penalty_f64(p.dir, 1, p.anchor, 2, 0.0, x, &v, g2) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_pin_penalty_f64(p.dir, 1, p.anchor, 2, 1.0, x, NULL, g2) == LOSSMAP_ERR_NULL);
    CHECK(v == 7.0 && g2[0] == 1.0 && g2[1] == 2.0);

    if (failures == 0) {
        printf("pin: ok (pinned minimum %.6f %.6f)\n", want0, want1);
    }
    return failures != 0;
}
