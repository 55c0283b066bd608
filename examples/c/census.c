/* The critical-point finder and the census, lossmap_critical_point_f64 / _f32 and
 * lossmap_census_f64 / _f32, on the separable quartic f(x) = sum_i (x_i^4 - 2 x_i^2) in 2D:
 * its 9 critical points are x_i in {-1, 0, 1}; index = number of zeros (f'' = -4 there, 8 at
 * +-1), value = -(2 - #zeros): 4 minima (-2), 4 saddles (-1), 1 maximum (0). The finder reaches
 * the saddle and the maximum (which a minimizer leaves); the census finds all 9, sorted by value.
 * Bad input returns the right LOSSMAP_ERR_* and changes nothing. Exits non-zero on any failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lossmap.h"
#include "check.h"

#define N 2
#define K 12

static double work[LOSSMAP_CENSUS_WORK_LEN(N)];
static double cwork[LOSSMAP_CRITICAL_POINT_WORK_LEN(N)];
static float cwork32[LOSSMAP_CRITICAL_POINT_WORK_LEN(N)];

static double quartic(const double *x, size_t n, void *ctx) {
    double s = 0.0;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] * x[i] * x[i] - 2.0 * x[i] * x[i];
    return s;
}

static float quartic32(const float *x, size_t n, void *ctx) {
    float s = 0.0f;
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) s += x[i] * x[i] * x[i] * x[i] - 2.0f * x[i] * x[i];
    return s;
}

int main(void) {
    lossmap_critical_config_f64 ccfg = lossmap_critical_config_default_f64();
    lossmap_critical_config_f32 ccfg32 = lossmap_critical_config_default_f32();
    lossmap_census_config_f64 cfg = lossmap_census_config_default_f64();
    lossmap_critical_report_f64 crep;
    lossmap_critical_report_f32 crep32;
    lossmap_census_report rep, rep0;
    lossmap_rng rng, rng0;
    double x[N] = {0.9, 0.1}, eig[N];
    float x32[N] = {0.1f, -0.2f};
    double points[K * N], values[K], eigs[K * N], copy[K];
    size_t index[K], i;
    int32_t kinds[K];

    /* Finder: a saddle (1, 0) of index 1, eigenvalues -4 and 8. */
    CHECK(lossmap_critical_point_f64(quartic, NULL, x, N, &ccfg, cwork, eig, &crep) == LOSSMAP_OK);
    CHECK(fabs(x[0] - 1.0) < 1e-8 && fabs(x[1]) < 1e-8);
    CHECK(crep.point.kind == LOSSMAP_POINT_SADDLE && crep.point.negative == 1);
    CHECK(fabs(crep.value + 1.0) < 1e-12 && fabs(eig[0] + 4.0) < 1e-4 && fabs(eig[1] - 8.0) < 1e-4);
    /* f32: the maximum at the origin. */
    CHECK(lossmap_critical_point_f32(quartic32, NULL, x32, N, &ccfg32, cwork32, NULL, &crep32) == LOSSMAP_OK);
    CHECK(crep32.point.kind == LOSSMAP_POINT_MAXIMUM && crep32.point.negative == 2);
    CHECK(fabsf(x32[0]) < 1e-3f && fabsf(x32[1]) < 1e-3f);

    /* Census of [-1.5, 1.5]^2 from 180 starts. */
    {
        const double lo[N] = {-1.5, -1.5}, hi[N] = {1.5, 1.5};
        cfg.starts = 180;
        CHECK(lossmap_rng_seed(&rng, 2) == LOSSMAP_OK);
        CHECK(lossmap_census_f64(quartic, NULL, lo, hi, N, &cfg, &rng, K, points, values, index, kinds, eigs, work,
                                 &rep) == LOSSMAP_OK);
        CHECK(rep.distinct == 9 && rep.starts == 180 && rep.converged + rep.failed == rep.starts);
        for (i = 0; i < 9; i++) {
            size_t zeros = (fabs(points[i * N]) < 0.5) + (fabs(points[i * N + 1]) < 0.5);
            CHECK(index[i] == zeros);
            CHECK(fabs(values[i] + (double)(N - zeros)) < 1e-10);
            CHECK(kinds[i] == (zeros == 0 ? LOSSMAP_POINT_MINIMUM : zeros == N ? LOSSMAP_POINT_MAXIMUM
                                                                              : LOSSMAP_POINT_SADDLE));
            if (i > 0) CHECK(values[i - 1] <= values[i]);
        }
        printf("census: %zu starts, %zu converged, %zu distinct, %zu duplicates\n", rep.starts, rep.converged,
               rep.distinct, rep.duplicates);
        for (i = 0; i < 9; i++)
            printf("  (%6.3f, %6.3f)  f = %5.2f  index %zu\n", points[i * N], points[i * N + 1], values[i], index[i]);

        /* Bad input: NULL config, an inverted box, k = 0; nothing changes, rng included. */
        memcpy(copy, values, sizeof copy);
        rng0 = rng;
        rep0 = rep;
        CHECK(lossmap_census_f64(quartic, NULL, lo, hi, N, NULL, &rng, K, points, values, index, kinds, eigs, work,
                                 &rep) == LOSSMAP_ERR_NULL);
        CHECK(lossmap_census_f64(quartic, NULL, hi, lo, N, &cfg, &rng, K, points, values, index, kinds, eigs, work,
                                 &rep) == LOSSMAP_ERR_PARAM);
        cfg.starts = 0;
        CHECK(lossmap_census_f64(quartic, NULL, lo, hi, N, &cfg, &rng, K, points, values, index, kinds, eigs, work,
                                 &rep) == LOSSMAP_ERR_PARAM);
        CHECK(memcmp(copy, values, sizeof copy) == 0 && memcmp(&rng0, &rng, sizeof rng) == 0);
        CHECK(memcmp(&rep0, &rep, sizeof rep) == 0);
    }
    {
        double y[N] = {0.3, NAN};
        CHECK(lossmap_critical_point_f64(quartic, NULL, y, N, &ccfg, cwork, NULL, NULL) == LOSSMAP_ERR_NON_FINITE);
        CHECK(y[0] == 0.3 && isnan(y[1]));
    }
    if (failures) return 1;
    printf("census: all checks passed\n");
    return 0;
}
