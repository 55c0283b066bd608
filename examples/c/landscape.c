/* Landscape analysis through lossmap's C interface, checked against values known independently:
 *   Himmelblau f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2: minimum (3, 2), a saddle of index 1 at
 *     (0.0866775, 2.8842547), the maximum (-0.2708446, -0.9230386) with eigenvalues -45.61, -16.07;
 *   Rastrigin f = 20 + sum(x_i^2 - 10 cos 2 pi x_i), Hessian diag(2 + 40 pi^2 cos 2 pi x_i):
 *     not convex over [-1, 1]^2, convex over [-0.2, 0.2]^2;
 *   a diagonal quadratic 1/2 sum(l_i x_i^2): Hutchinson's trace is exactly sum(l_i), the top
 *     eigenvalues are the largest l_i;
 *   a 1-D slice of a parabola, a 2-D slice, a random direction, filter normalization;
 *   the epsilon-sharpness 1/2 l_max eps^2 of a quadratic, its noisy loss, curvature stability;
 *   bad input: the right LOSSMAP_ERR_* and every output unchanged.
 * Exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"


#define SAME(a, b) (memcmp((a), (b), sizeof(a)) == 0)

static const double PI = 3.14159265358979323846;

/* ---- Himmelblau: loss and analytic gradient ---- */
static double himmelblau(const double *x, size_t n, void *ctx) {
    double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    (void)n;
    (void)ctx;
    return a * a + b * b;
}

static double himmelblau_grad_norm(const double *x) {
    double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    double gx = 4.0 * x[0] * a + 2.0 * b, gy = 2.0 * a + 4.0 * x[1] * b;
    return sqrt(gx * gx + gy * gy);
}

/* Hessian by finite differences, its spectrum, and the verdict at x. */
static lossmap_critical_point classify_himmelblau(const double *x, double *values) {
    double work[6], h[4], vectors[4];
    lossmap_curvature_summary_f64 s;
    lossmap_critical_point p = {-1, 99, 99};
    lossmap_tolerance_f64 tol = lossmap_tolerance_default_f64();
    CHECK(lossmap_hessian_f64(himmelblau, NULL, x, 2, work, h, NULL) == LOSSMAP_OK);
    CHECK(lossmap_curvature_f64(h, 2, work, values, vectors, &s) == LOSSMAP_OK);
    CHECK(s.min == values[0] && s.max == values[1] && fabs(s.trace - (h[0] + h[3])) < 1e-9);
    CHECK(lossmap_classify_f64(values, 2, himmelblau_grad_norm(x), &tol, &p) == LOSSMAP_OK);
    return p;
}

static void check_himmelblau(void) {
    const double minimum[2] = {3.0, 2.0};
    const double saddle[2] = {0.086677504555396, 2.884254701174776};
    const double maximum[2] = {-0.270844590667348, -0.923038556479981};
    const double off[2] = {1.0, 1.0};
    double values[2];
    lossmap_critical_point p;

    p = classify_himmelblau(minimum, values);
    printf("Himmelblau (3, 2):        kind %d, eigenvalues %.4f %.4f\n", (int)p.kind, values[0], values[1]);
    CHECK(p.kind == LOSSMAP_POINT_MINIMUM && p.negative == 0 && p.zero == 0);
    /* Analytic Hessian at (3, 2): [[74, 20], [20, 34]], eigenvalues 54 -+ sqrt(800). */
    CHECK(fabs(values[0] - (54.0 - sqrt(800.0))) < 1e-4 && fabs(values[1] - (54.0 + sqrt(800.0))) < 1e-4);

    p = classify_himmelblau(saddle, values);
    printf("Himmelblau saddle:        kind %d, index %zu, eigenvalues %.4f %.4f\n", (int)p.kind, p.negative, values[0], values[1]);
    CHECK(p.kind == LOSSMAP_POINT_SADDLE && p.negative == 1 && p.zero == 0);

    p = classify_himmelblau(maximum, values);
    printf("Himmelblau maximum:       kind %d, eigenvalues %.4f %.4f\n", (int)p.kind, values[0], values[1]);
    CHECK(p.kind == LOSSMAP_POINT_MAXIMUM && p.negative == 2);
    CHECK(fabs(values[0] + 45.61) < 0.01 && fabs(values[1] + 16.07) < 0.01);

    p = classify_himmelblau(off, values);
    CHECK(p.kind == LOSSMAP_POINT_NOT_CRITICAL);

    {
        /* Two flat directions in the middle of an ascending spectrum. */
        const double spectrum[4] = {-3.0, 1e-9, 2e-9, 5.0};
        size_t start = 99, count = 99;
        CHECK(lossmap_flat_range_f64(spectrum, 4, 1e-6, &start, &count) == LOSSMAP_OK);
        CHECK(start == 1 && count == 2);
    }
}

/* ---- Rastrigin: convexity ---- */
static double rastrigin(const double *x, size_t n, void *ctx) {
    double s = 10.0 * (double)n;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] - 10.0 * cos(2.0 * PI * x[i]);
    return s;
}

/* d^T diag(2 + 40 pi^2 cos 2 pi w_i) d: the exact curvature along d at w. */
static double rastrigin_curvature(const double *w, const double *d, size_t n) {
    double s = 0.0;
    size_t i;
    for (i = 0; i < n; i++) s += d[i] * d[i] * (2.0 + 40.0 * PI * PI * cos(2.0 * PI * w[i]));
    return s;
}

static void check_rastrigin(void) {
    const double lo[2] = {-1.0, -1.0}, hi[2] = {1.0, 1.0};
    const double lo2[2] = {-0.2, -0.2}, hi2[2] = {0.2, 0.2};
    double work[3 * 4 + 4 * 2], witness[2] = {0.0, 0.0}, dir[2] = {0.0, 0.0}, curv = 0.0, exact;
    int32_t convex = -1;
    lossmap_rng rng;

    CHECK(lossmap_rng_seed(&rng, 2024) == LOSSMAP_OK);
    CHECK(lossmap_convex_over_box_f64(rastrigin, NULL, lo, hi, 2, 64, &rng, 1e-6, work, witness, dir, &curv, &convex) == LOSSMAP_OK);
    exact = rastrigin_curvature(witness, dir, 2);
    printf("Rastrigin [-1,1]^2:       convex %d, witness (%.4f, %.4f), curvature %.6f (exact %.6f)\n",
           (int)convex, witness[0], witness[1], curv, exact);
    CHECK(convex == 0 && curv < 0.0);
    CHECK(fabs(curv - exact) < 1e-4 * (2.0 + 40.0 * PI * PI));
    CHECK(fabs(dir[0] * dir[0] + dir[1] * dir[1] - 1.0) < 1e-12);

    {
        double w0[2], d0[2], c0 = curv;
        memcpy(w0, witness, sizeof w0);
        memcpy(d0, dir, sizeof d0);
        CHECK(lossmap_convex_over_box_f64(rastrigin, NULL, lo2, hi2, 2, 64, &rng, 1e-6, work, witness, dir, &curv, &convex) == LOSSMAP_OK);
        printf("Rastrigin [-0.2,0.2]^2:   convex %d\n", (int)convex);
        CHECK(convex == 1 && SAME(witness, w0) && SAME(dir, d0) && curv == c0);
    }
    {
        /* At one point: the smallest eigenvalue and its direction, convex or not. */
        const double x[2] = {0.5, 0.0};
        CHECK(lossmap_convex_at_f64(rastrigin, NULL, x, 2, 1e-6, work, dir, &curv, &convex) == LOSSMAP_OK);
        CHECK(convex == 0 && fabs(curv - (2.0 - 40.0 * PI * PI)) < 1e-3 && fabs(fabs(dir[0]) - 1.0) < 1e-9);
        CHECK(lossmap_convex_at_f64(rastrigin, NULL, lo2 + 1, 1, 1e-6, work, dir, &curv, &convex) == LOSSMAP_OK);
        CHECK(convex == 1 && fabs(curv - (2.0 + 40.0 * PI * PI * cos(0.4 * PI))) < 1e-3);
    }
}

/* ---- Diagonal quadratic 1/2 sum(l_i x_i^2): spectral estimates from gradients ---- */
static const double LAMBDA[8] = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 20.0};

static int32_t quad_grad(const double *x, size_t n, double *g, void *ctx) {
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) g[i] = LAMBDA[i] * x[i];
    return 0;
}

static int32_t failing_grad(const double *x, size_t n, double *g, void *ctx) {
    (void)x;
    (void)n;
    (void)g;
    (void)ctx;
    return 1;
}

static void check_spectral(void) {
    const double x[8] = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8};
    double work[4 * 8 + 2 + 2 * 8], values[2], vectors[16];
    lossmap_trace_estimate_f64 t;
    lossmap_rng rng;
    size_t products = 0;

    CHECK(lossmap_rng_seed(&rng, 7) == LOSSMAP_OK);
    CHECK(lossmap_hutchinson_trace_f64(quad_grad, NULL, x, 8, 16, &rng, work, &t) == LOSSMAP_OK);
    printf("Hutchinson trace:         %.9f +- %.1e (exact 48), %zu products\n", t.trace, t.std_error, t.products);
    CHECK(fabs(t.trace - 48.0) < 1e-6 && t.std_error < 1e-6 && t.products == 16);

    CHECK(lossmap_top_eigen_f64(quad_grad, NULL, x, 8, 2, 500, 1e-12, &rng, work, values, vectors, &products) == LOSSMAP_OK);
    printf("top eigenvalues:          %.9f %.9f (exact 20, 7), %zu products\n", values[0], values[1], products);
    CHECK(fabs(values[0] - 20.0) / 20.0 < 1e-6 && fabs(values[1] - 7.0) / 7.0 < 1e-4);
    CHECK(fabs(fabs(vectors[7]) - 1.0) < 1e-6 && fabs(fabs(vectors[8 + 6]) - 1.0) < 1e-3);
    CHECK(products > 0);

    {
        /* A gradient that fails: error, and neither the estimate nor the generator changes. */
        lossmap_trace_estimate_f64 t0 = t;
        lossmap_rng r0 = rng;
        CHECK(lossmap_hutchinson_trace_f64(failing_grad, NULL, x, 8, 4, &rng, work, &t) == LOSSMAP_ERR_GRAD_NON_FINITE);
        CHECK(memcmp(&t, &t0, sizeof t) == 0 && memcmp(&rng, &r0, sizeof rng) == 0);
    }
}

/* ---- Slices, directions ---- */
static double parabola(const double *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] * x[0] + 3.0 * x[1] * x[1];
}

static void check_slices(void) {
    /* f(x + t d) = (1 + t)^2 + 3 (2t - 1)^2 along d = (1, 2) from x = (1, -1). */
    const double x[2] = {1.0, -1.0}, d[2] = {1.0, 2.0}, e[2] = {0.0, 1.0};
    double work[2], out[11], grid[3 * 4], err = 0.0;
    size_t k, bad = 99;

    CHECK(lossmap_slice_1d_f64(parabola, NULL, x, d, 2, -1.0, 1.0, work, out, 11, &bad) == LOSSMAP_OK);
    for (k = 0; k < 11; k++) {
        double t = -1.0 + 0.2 * (double)k;
        double want = (1.0 + t) * (1.0 + t) + 3.0 * (2.0 * t - 1.0) * (2.0 * t - 1.0);
        if (fabs(out[k] - want) > err) err = fabs(out[k] - want);
    }
    printf("1-D slice of a parabola:  max error %.1e\n", err);
    CHECK(bad == 0 && err < 1e-12);

    /* f(x + s d + t e) on a 3 x 4 grid, s over [0, 1], t over [-1, 2]. */
    CHECK(lossmap_slice_2d_f64(parabola, NULL, x, d, e, 2, 0.0, 1.0, -1.0, 2.0, 3, 4, work, grid, NULL) == LOSSMAP_OK);
    err = 0.0;
    for (k = 0; k < 12; k++) {
        double s = 0.5 * (double)(k / 4), t = -1.0 + (double)(k % 4);
        double a = 1.0 + s, b = -1.0 + 2.0 * s + t;
        if (fabs(grid[k] - (a * a + 3.0 * b * b)) > err) err = fabs(grid[k] - (a * a + 3.0 * b * b));
    }
    CHECK(err < 1e-12);

    {
        lossmap_rng rng;
        double dir[5], nrm = 0.0;
        CHECK(lossmap_rng_seed(&rng, 11) == LOSSMAP_OK);
        CHECK(lossmap_random_direction_f64(&rng, dir, 5) == LOSSMAP_OK);
        for (k = 0; k < 5; k++) nrm += dir[k] * dir[k];
        CHECK(fabs(nrm - 1.0) < 1e-12);
    }
    {
        /* Groups (2, 1): (3, 4) scaled to |(1, 0)| = 1, (1) scaled to |-2| = 2. */
        const double w[3] = {1.0, 0.0, -2.0};
        const size_t groups[2] = {2, 1};
        double dd[3] = {3.0, 4.0, 1.0}, one[3] = {3.0, 4.0, 0.0};
        CHECK(lossmap_filter_normalize_f64(w, 3, groups, 2, dd) == LOSSMAP_OK);
        CHECK(fabs(dd[0] - 0.6) < 1e-15 && fabs(dd[1] - 0.8) < 1e-15 && fabs(dd[2] - 2.0) < 1e-15);
        CHECK(lossmap_filter_normalize_f64(w, 3, NULL, 0, one) == LOSSMAP_OK);
        CHECK(fabs(one[0] - 3.0 * sqrt(5.0) / 5.0) < 1e-15 && fabs(one[1] - 4.0 * sqrt(5.0) / 5.0) < 1e-15);
    }
}

/* ---- Sharpness ---- */
static double bowl(const double *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return 0.5 * x[0] * x[0] + 0.5 * 9.0 * x[1] * x[1];
}

/* x^3/6 + y^2: along x the curvature grows at rate 1, along y it is constant. */
static double cubic(const double *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] * x[0] * x[0] / 6.0 + x[1] * x[1];
}

static void check_sharpness(void) {
    const double zero[2] = {0.0, 0.0}, x[2] = {0.5, 0.0};
    double work[3 * 4 + 3 * 2], delta[2], rise = 0.0, values[2], vectors[4], third[2];
    lossmap_noisy_loss_result_f64 nl;
    lossmap_rng rng;

    /* At the minimum the gradient vanishes: the ascent starts along a random direction. */
    CHECK(lossmap_rng_seed(&rng, 2) == LOSSMAP_OK);
    CHECK(lossmap_epsilon_sharpness_f64(bowl, NULL, zero, 2, 0.1, 50, &rng, work, delta, &rise) == LOSSMAP_OK);
    printf("epsilon-sharpness:        %.9f (exact 1/2 * 9 * 0.1^2 = 0.045), delta (%.4f, %.4f)\n", rise, delta[0], delta[1]);
    CHECK(fabs(rise - 0.045) < 1e-6 && fabs(fabs(delta[1]) - 0.1) < 1e-4);

    /* A quadratic: the second-order prediction is exact, f(0) + sigma^2/2 * tr H = 0.01/2 * 10. */
    CHECK(lossmap_noisy_loss_f64(bowl, NULL, zero, 2, 0.1, 4000, &rng, work, &nl) == LOSSMAP_OK);
    printf("noisy loss:               sampled %.5f +- %.5f, second order %.6f (exact 0.05)\n", nl.sampled, nl.std_error, nl.second_order);
    CHECK(nl.loss == 0.0 && fabs(nl.second_order - 0.05) < 1e-8 && fabs(nl.sampled - 0.05) < 5.0 * nl.std_error);

    CHECK(lossmap_curvature_stability_f64(cubic, NULL, x, 2, work, values, vectors, third) == LOSSMAP_OK);
    printf("curvature stability:      eigenvalues %.5f %.5f, third %.5f %.5f\n", values[0], values[1], third[0], third[1]);
    CHECK(fabs(values[0] - 0.5) < 1e-5 && fabs(values[1] - 2.0) < 1e-5);
    CHECK(fabs(fabs(third[0]) - 1.0) < 1e-3 && fabs(third[1]) < 1e-3);

    {
        /* Bad input: nothing written. */
        const double xn[2] = {NAN, 0.0};
        double d0[2], r0 = rise;
        lossmap_rng g0 = rng;
        memcpy(d0, delta, sizeof d0);
        CHECK(lossmap_epsilon_sharpness_f64(bowl, NULL, xn, 2, 0.1, 50, &rng, work, delta, &rise) == LOSSMAP_ERR_NON_FINITE);
        CHECK(lossmap_epsilon_sharpness_f64(bowl, NULL, zero, 2, -0.1, 50, &rng, work, delta, &rise) == LOSSMAP_ERR_PARAM);
        CHECK(lossmap_epsilon_sharpness_f64(bowl, NULL, zero, 0, 0.1, 50, &rng, work, delta, &rise) == LOSSMAP_ERR_EMPTY);
        CHECK(lossmap_epsilon_sharpness_f64(bowl, NULL, zero, 2, 0.1, 50, NULL, work, delta, &rise) == LOSSMAP_ERR_NULL);
        CHECK(SAME(delta, d0) && rise == r0 && memcmp(&rng, &g0, sizeof rng) == 0);
    }
}

/* ---- f32 ---- */
static float bowl_f32(const float *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return 0.5f * x[0] * x[0] + 4.5f * x[1] * x[1];
}

static void check_f32(void) {
    const float x[2] = {0.3f, -0.2f};
    float work[3 * 4 + 2 * 2], dir[2], curv = 0.0f, h[4], vals[2], vecs[4];
    int32_t convex = -1;
    lossmap_curvature_summary_f32 s;
    CHECK(lossmap_convex_at_f32(bowl_f32, NULL, x, 2, 1e-3f, work, dir, &curv, &convex) == LOSSMAP_OK);
    CHECK(convex == 1 && fabsf(curv - 1.0f) < 2e-2f);
    h[0] = 1.0f;
    h[1] = h[2] = 0.0f;
    h[3] = 9.0f;
    CHECK(lossmap_curvature_f32(h, 2, work, vals, vecs, &s) == LOSSMAP_OK);
    CHECK(fabsf(s.min - 1.0f) < 1e-6f && fabsf(s.max - 9.0f) < 1e-5f && fabsf(s.condition - 9.0f) < 1e-5f);
}

/* ---- Bad input: the right code, nothing written ---- */
static void check_bad_input(void) {
    const double x[2] = {0.5, 0.5}, xn[2] = {NAN, 0.0};
    const double lo[2] = {-1.0, 1.0}, hi[2] = {1.0, -1.0};
    double work[3 * 4 + 4 * 2], dir[2] = {7.0, 7.0}, witness[2] = {7.0, 7.0}, curv = 7.0;
    double dir0[2], witness0[2], curv0 = 7.0;
    double h[4] = {2.0, 0.0, 0.0, 3.0}, values[2] = {7.0, 7.0}, vectors[4] = {7.0, 7.0, 7.0, 7.0};
    double values0[2], vectors0[4], out[3] = {7.0, 7.0, 7.0}, out0[3];
    int32_t convex = 7;
    lossmap_curvature_summary_f64 s, s0;
    lossmap_critical_point p = {7, 7, 7}, p0 = p;
    lossmap_tolerance_f64 tol = lossmap_tolerance_default_f64();
    lossmap_trace_estimate_f64 t, t0;
    lossmap_rng rng, rng0;
    size_t start = 7, count = 7;

    memcpy(dir0, dir, sizeof dir);
    memcpy(witness0, witness, sizeof witness);
    memcpy(values0, values, sizeof values);
    memcpy(vectors0, vectors, sizeof vectors);
    memcpy(out0, out, sizeof out);
    memset(&s, 0x5a, sizeof s);
    s0 = s;
    memset(&t, 0x5a, sizeof t);
    t0 = t;
    CHECK(lossmap_rng_seed(&rng, 3) == LOSSMAP_OK);
    rng0 = rng;

    /* NULL pointers. */
    CHECK(lossmap_convex_at_f64(NULL, NULL, x, 2, 1e-6, work, dir, &curv, &convex) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, NULL, 2, 1e-6, work, dir, &curv, &convex) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, x, 2, 1e-6, work, dir, NULL, &convex) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_curvature_f64(h, 2, work, values, vectors, NULL) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_classify_f64(values, 2, 0.0, NULL, &p) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_hutchinson_trace_f64(quad_grad, NULL, x, 2, 4, NULL, work, &t) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_convex_over_box_f64(rastrigin, NULL, lo, hi, 2, 8, NULL, 1e-6, work, witness, dir, &curv, &convex) == LOSSMAP_ERR_NULL);
    CHECK(lossmap_rng_seed(NULL, 1) == LOSSMAP_ERR_NULL);
    /* n = 0 (and other empty sizes). */
    CHECK(lossmap_curvature_f64(h, 0, work, values, vectors, &s) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, x, 0, 1e-6, work, dir, &curv, &convex) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_slice_1d_f64(parabola, NULL, x, x, 2, 0.0, 1.0, work, out, 0, NULL) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_hutchinson_trace_f64(quad_grad, NULL, x, 2, 0, &rng, work, &t) == LOSSMAP_ERR_EMPTY);
    CHECK(lossmap_random_direction_f64(&rng, out, 0) == LOSSMAP_ERR_EMPTY);
    /* NaN in x. */
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, xn, 2, 1e-6, work, dir, &curv, &convex) == LOSSMAP_ERR_NON_FINITE);
    CHECK(lossmap_hutchinson_trace_f64(quad_grad, NULL, xn, 2, 4, &rng, work, &t) == LOSSMAP_ERR_NON_FINITE);
    CHECK(lossmap_slice_1d_f64(parabola, NULL, xn, x, 2, 0.0, 1.0, work, out, 3, NULL) == LOSSMAP_ERR_NON_FINITE);
    CHECK(lossmap_filter_normalize_f64(xn, 2, NULL, 0, out) == LOSSMAP_ERR_NON_FINITE);
    h[1] = NAN;
    CHECK(lossmap_curvature_f64(h, 2, work, values, vectors, &s) == LOSSMAP_ERR_NON_FINITE);
    h[1] = 0.0;
    /* Negative tolerances. */
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, x, 2, -1e-6, work, dir, &curv, &convex) == LOSSMAP_ERR_PARAM);
    tol.zero_rel = -1.0;
    CHECK(lossmap_classify_f64(values0, 2, 0.0, &tol, &p) == LOSSMAP_ERR_PARAM);
    CHECK(lossmap_flat_range_f64(values0, 2, -1.0, &start, &count) == LOSSMAP_ERR_PARAM);
    /* lo > hi. */
    CHECK(lossmap_convex_over_box_f64(rastrigin, NULL, lo, hi, 2, 8, &rng, 1e-6, work, witness, dir, &curv, &convex) == LOSSMAP_ERR_PARAM);
    /* Overlapping outputs. */
    CHECK(lossmap_convex_at_f64(rastrigin, NULL, x, 2, 1e-6, work, work, &curv, &convex) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_convex_over_box_f64(rastrigin, NULL, x, x, 2, 8, &rng, 1e-6, work, witness, witness, &curv, &convex) == LOSSMAP_ERR_ALIASED);
    CHECK(lossmap_slice_1d_f64(parabola, NULL, out, x, 2, 0.0, 1.0, work, out, 3, NULL) == LOSSMAP_ERR_ALIASED);
    /* Group sizes that do not sum to n. */
    {
        const size_t groups[2] = {1, 2};
        CHECK(lossmap_filter_normalize_f64(x, 2, groups, 2, out) == LOSSMAP_ERR_LENGTH);
    }

    CHECK(SAME(dir, dir0) && SAME(witness, witness0) && curv == curv0 && convex == 7);
    CHECK(SAME(values, values0) && SAME(vectors, vectors0) && SAME(out, out0));
    CHECK(memcmp(&s, &s0, sizeof s) == 0 && memcmp(&t, &t0, sizeof t) == 0);
    CHECK(memcmp(&p, &p0, sizeof p) == 0 && start == 7 && count == 7);
    CHECK(memcmp(&rng, &rng0, sizeof rng) == 0);
    printf("bad input:                rejected, outputs unchanged\n");
}

int main(void) {
    check_himmelblau();
    check_rastrigin();
    check_spectral();
    check_slices();
    check_sharpness();
    check_f32();
    check_bad_input();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all landscape checks passed\n");
    return 0;
}
