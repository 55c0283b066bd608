/* A bare-metal C program whose sqrtf comes from its own library (libmarker.a, linked after
 * liblossmap.a): its calls must reach that sqrtf, and lossmap's results must not depend on it.
 * Also classifies a saddle with the one-call lossmap_classify_at_f32 over a static scratch array.
 * Prints a LOSSMAP-BAREMETAL line through semihosting; returns 0 when every check passed. */
#include <stddef.h>

#include "lossmap.h"
#include "semihost.h"

float sqrtf(float x);

/* x^2 - y^2: a saddle of index 1 at the origin. */
static float saddle(const float *x, size_t n, void *ctx) {
    (void)n;
    (void)ctx;
    return x[0] * x[0] - x[1] * x[1];
}

static float work[LOSSMAP_CLASSIFY_AT_WORK_LEN(2)];

int main(void) {
    volatile float four = 4.0f;
    float g[2] = {3.0f, 4.0f}, norm = 0.0f;
    const float origin[2] = {0.0f, 0.0f};
    lossmap_critical_point point;
    lossmap_curvature_summary_f32 summary;
    int own = 0, lib = 0, classify = 0;

    own = sqrtf(four) == 42.0f;
    lib = lossmap_clip_grad_norm_f32(g, 2, 100.0f, &norm) == LOSSMAP_OK && norm == 5.0f;
    classify = lossmap_classify_at_f32(saddle, NULL, origin, 2, NULL, work, &point, &summary) == LOSSMAP_OK &&
               point.kind == LOSSMAP_POINT_SADDLE && point.negative == 1 && summary.min < -1.9f &&
               summary.max > 1.9f;
    semihost_puts(own ? "LOSSMAP-BAREMETAL own-sqrtf=1" : "LOSSMAP-BAREMETAL own-sqrtf=0");
    semihost_puts(lib ? " lossmap-norm=1" : " lossmap-norm=0");
    semihost_puts(classify ? " classify=1" : " classify=0");
    semihost_puts(own && lib && classify ? " ok=1\n" : " ok=0\n");
    return own && lib && classify ? 0 : 1;
}
