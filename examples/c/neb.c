/* Nudged elastic band with climbing image through lossmap's C interface: the barrier between two
 * minima of Himmelblau's function, (3, 2) and (3.584428, -1.848127), with gradients by central
 * differences and caller-owned, statically allocated buffers. Checks the climbing image against
 * the saddle (3.385154183607021, 0.073851879837749) and the barrier against f(saddle) computed
 * here from the formula, then that bad input is rejected without writing. Exits non-zero on any
 * failure. */
#include <math.h>
#include <stdio.h>

#include "lossmap.h"
#include "check.h"


#define N 2
#define IMAGES 9

struct counter {
    unsigned long calls;
};

static double himmelblau_xy(double x, double y) {
    double u = x * x + y - 11.0, v = x + y * y - 7.0;
    return u * u + v * v;
}

static double himmelblau(const double *x, size_t n, void *ctx) {
    struct counter *c = (struct counter *)ctx;
    (void)n;
    c->calls++;
    return himmelblau_xy(x[0], x[1]);
}

/* Caller-owned state, statically allocated as firmware would: (3 * IMAGES + 1) * N doubles of
 * work. */
static double path[IMAGES * N], energies[IMAGES], work[LOSSMAP_NEB_WORK_LEN(N, IMAGES)];

int main(void) {
    const double a[N] = {3.0, 2.0};
    const double b[N] = {3.584428340330492, -1.848126526964403};
    const double saddle[N] = {3.385154183607021, 0.073851879837749};
    const double barrier = himmelblau_xy(saddle[0], saddle[1]); /* the minima have f = 0 */
    lossmap_neb_config_f64 cfg = lossmap_neb_config_default_f64();
    lossmap_neb_report_f64 rep;
    struct counter counter = {0};
    const double *s;
    int rc;

    rc = lossmap_neb_f64(himmelblau, &counter, a, b, N, IMAGES, &cfg, path, energies, work, &rep);
    s = path + rep.climbing * N;
    printf("neb: status %d (%s), %zu iterations, %zu evaluations, converged %d, max force %.2e\n",
           rc, lossmap_status_message(rc), rep.iterations, rep.value_evals, rep.converged, rep.max_force);
    printf("  probed curvature %.3e, force scale %.3e, kinks %zu, loss noise %.1f eps\n",
           rep.curvature, rep.force_scale, rep.kinks, rep.noise);
    printf("  climbing image %zu at (%.9f, %.9f), barrier %.9f / %.9f (exact %.9f)\n", rep.climbing,
           s[0], s[1], rep.barrier_from_a, rep.barrier_from_b, barrier);
    CHECK(rc == LOSSMAP_OK);
    CHECK(rep.converged == 1 && rep.climbed == 1 && rep.kinks == 0);
    /* The tolerances are relative to the force scale the run measured. */
    CHECK(rep.force_scale > 0.0 && rep.curvature > 0.0);
    /* The loss's noise in units of its rounding (ECnoise at every movable image), at least 1. */
    CHECK(rep.noise >= 1.0);
    CHECK(rep.max_force <= cfg.force_tol * rep.force_scale);
    CHECK(rep.climbing > 0 && rep.climbing < IMAGES - 1);
    CHECK(fabs(s[0] - saddle[0]) < 1e-4 && fabs(s[1] - saddle[1]) < 1e-4);
    CHECK(fabs(rep.barrier_from_a - barrier) < 1e-4 * barrier);
    CHECK(fabs(rep.barrier_from_b - barrier) < 1e-4 * barrier);
    CHECK(energies[rep.climbing] == rep.barrier_from_a + energies[0]);
    /* Endpoints stay fixed; every loss call is counted (2N per central-difference gradient). */
    CHECK(path[0] == a[0] && path[1] == a[1]);
    CHECK(path[(IMAGES - 1) * N] == b[0] && path[(IMAGES - 1) * N + 1] == b[1]);
    CHECK(rep.value_evals == counter.calls);
    /* ... plus 8 loss values per movable image for the noise estimate of the probe. */
    CHECK(rep.value_evals ==
          IMAGES + (IMAGES - 2) * rep.iterations + 2 * N * rep.grad_evals + 8 * (IMAGES - 2));
    /* Gradients: the first band, 8 curvature probes per movable image, one per image and
     * iteration, and those rotating the climbing image's mode. */
    CHECK(rep.grad_evals == (IMAGES - 2) * (rep.iterations + 1 + 8) + rep.mode_grads);
    CHECK(rep.mode_grads <= 2 * rep.iterations);

    /* Bad input: identical endpoints, and too few images; nothing is written. */
    {
        double before = path[N];
        counter.calls = 0;
        rc = lossmap_neb_f64(himmelblau, &counter, a, a, N, IMAGES, &cfg, path, energies, work, &rep);
        printf("identical endpoints: status %d (%s)\n", rc, lossmap_status_message(rc));
        CHECK(rc == LOSSMAP_ERR_PARAM);
        rc = lossmap_neb_f64(himmelblau, &counter, a, b, N, 2, &cfg, path, energies, work, &rep);
        printf("2 images: status %d (%s)\n", rc, lossmap_status_message(rc));
        CHECK(rc == LOSSMAP_ERR_EMPTY);
        CHECK(path[N] == before && counter.calls == 0);
    }

    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
