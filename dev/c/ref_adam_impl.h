/*
 * One precision of ref_adam.c, included once per precision with
 *   T (float/double), SFX (f32/f64), SQRT, FABS, TMAX (largest finite T), STATE, and UBITS,
 *   BITS (the unsigned integer of T's width and T's bit pattern as one).
 */

int REF(REF_CAT(adam_init_, SFX))(STATE *s, T lr, T beta1, T beta2, T eps)
{
    /* Each comparison is false for NaN, so NaN is rejected too. */
    if (!(lr > 0 && lr <= TMAX) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) ||
        !(eps > 0 && eps <= TMAX)) {
        return -1;
    }
    s->lr = lr;
    s->beta1 = beta1;
    s->beta2 = beta2;
    s->eps = eps;
    s->b1t = 1;
    s->b2t = 1;
    s->t = 0;
    return 0;
}

void REF(REF_CAT(adam_unchecked_, SFX))(STATE *s, T *restrict x, const T *restrict g,
                                        T *restrict m, T *restrict v, size_t n)
{
    const T b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    const T c1 = 1 - b1, c2 = 1 - b2;
    s->t++;
    s->b1t = FLUSH(s->b1t * b1);
    s->b2t = FLUSH(s->b2t * b2);
    const T step = s->lr / (1 - s->b1t);
    const T bc2s = SQRT(1 - s->b2t);
    for (size_t i = 0; i < n; i++) {
        const T gi = g[i];
        const T mi = b1 * m[i] + c1 * gi;
        const T vi = b2 * v[i] + c2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        x[i] = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
    }
}

static inline int REF_CAT(checked_body_, SFX)(STATE *s, T *restrict x, const T *restrict g,
                                              T *restrict m, T *restrict v, size_t n)
{
    const T b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    const T c1 = 1 - b1, c2 = 1 - b2;
    const T b1t = FLUSH(s->b1t * b1), b2t = FLUSH(s->b2t * b2);
    const T step = s->lr / (1 - b1t);
    const T bc2s = SQRT(1 - b2t);
    /* |g| < sqrt(TMAX)/2 keeps g*g, and with finite m and v the new moments, finite. */
    const T glim = SQRT(TMAX) / 2;

    /* Pass 1, read-only. |x'| <= |x| + step*|m'|/eps (sqrt(v')/bc2s >= 0), so x' is finite
       wherever that bound is; `big` marks an element where it is not. */
    const T k = step / eps;
    int big = 0;
#if REF_BRANCHY_CHECKS
    /* Scalar cores: leave at the first failed test (a compare and a branch each). */
    for (size_t i = 0; i < n; i++) {
        const T xi = x[i], gi = g[i], mi = m[i], vi = v[i];
        const T ax = FABS(xi);
        if (!(ax <= TMAX) || !(FABS(gi) < glim) || !(FABS(mi) <= TMAX) || !(vi >= 0) ||
            !(vi <= TMAX)) {
            return -1;
        }
        if (!(ax + k * FABS(b1 * mi + c1 * gi) <= TMAX)) {
            big = 1;
        }
    }
#else
    /* SIMD cores: the flags collect every failed test without branching, so the loop
       vectorizes. */
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const T xi = x[i], gi = g[i], mi = m[i], vi = v[i];
        const T ax = FABS(xi);
        bad |= !(ax <= TMAX) | !(FABS(gi) < glim) | !(FABS(mi) <= TMAX) | !(vi >= 0) |
               !(vi <= TMAX);
        big |= !(ax + k * FABS(b1 * mi + c1 * gi) <= TMAX);
    }
    if (bad) {
        return -1;
    }
#endif
    /* Rare (huge x or lr): check each new x exactly. */
    if (big) {
        for (size_t i = 0; i < n; i++) {
            const T gi = g[i];
            const T mi = b1 * m[i] + c1 * gi;
            const T vi = b2 * v[i] + c2 * (gi * gi);
            const T xi = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
            if (!(FABS(xi) <= TMAX)) {
                return -1;
            }
        }
    }

    /* Pass 2: the update, as unchecked. */
    for (size_t i = 0; i < n; i++) {
        const T gi = g[i];
        const T mi = b1 * m[i] + c1 * gi;
        const T vi = b2 * v[i] + c2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        x[i] = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
    }
    s->b1t = b1t;
    s->b2t = b2t;
    if (s->t != UINT32_MAX) {
        s->t++;
    }
    return 0;
}

int REF(REF_CAT(adam_checked_, SFX))(STATE *s, T *restrict x, const T *restrict g,
                                     T *restrict m, T *restrict v, size_t n)
{
    return REF_CAT(checked_body_, SFX)(s, x, g, m, v, n);
}

/* strict: checked, and the state validated at every step as lossmap does (the state is
   caller-writable, so init's checks do not cover a later step): lr, eps in (0, TMAX],
   beta1, beta2 in [0, 1), and the running products b1t, b2t in [0, 1] (init's 1 included),
   so that each new product is in [0, 1) (rounding is monotonic: b^t * b <= b < 1) and each
   correction 1 - b^t in (0, 1]: lossmap's (0, 1] test of its corrections. As integer range
   tests of the bit patterns, branch-free (lossmap's own form, a few scalar instructions
   each): x in (0, TMAX] as bits(x) - 1 < bits(TMAX) (unsigned: +0, negatives and NaN fail),
   x in [0, 1) as bits(x + 0) < bits(1) (x + 0 turns -0 into +0), x in [0, 1] with <=.
   One branch, then the checked step; t saturates (in the checked step). */
int REF(REF_CAT(adam_strict_, SFX))(STATE *s, T *restrict x, const T *restrict g,
                                    T *restrict m, T *restrict v, size_t n)
{
    const UBITS max = BITS(TMAX), one = BITS((T)1);
    const int ok = (BITS(s->lr) - 1 < max) & (BITS(s->eps) - 1 < max) &
                   (BITS(s->beta1 + 0) < one) & (BITS(s->beta2 + 0) < one) &
                   (BITS(s->b1t + 0) <= one) & (BITS(s->b2t + 0) <= one);
    if (!ok) {
        return -1;
    }
    return REF_CAT(checked_body_, SFX)(s, x, g, m, v, n);
}

/* sums: lossmap's scheme in C (lean below is leaner). One fused
   read-only pass sums |x|, |g|, |m| and v and flags a negative v; the sums bound every new
   value (|g|, |m'|, v', m'/eps and |x'| all below TMAX/2), so the update then runs unchecked.
   When a bound fails it returns -1 (where lossmap runs its exact per-element check; the
   measured cases never take that path). */
int REF(REF_CAT(adam_sums_, SFX))(STATE *s, T *restrict x, const T *restrict g, T *restrict m,
                                  T *restrict v, size_t n)
{
    const T b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    const T c1 = 1 - b1, c2 = 1 - b2;
    const T b1t = FLUSH(s->b1t * b1), b2t = FLUSH(s->b2t * b2);
    const T step = s->lr / (1 - b1t);
    const T bc2s = SQRT(1 - b2t);
    T sx = 0, sg = 0, sm = 0, sv = 0;
    int neg = 0;
    for (size_t i = 0; i < n; i++) {
        const T vi = v[i];
        sx += FABS(x[i]);
        sg += FABS(g[i]);
        sm += FABS(m[i]);
        sv += vi;
        neg |= vi < 0;
    }
    const T half = TMAX / 2;
    const T mb = b1 * sm + c1 * sg;
    const T vb = b2 * sv + c2 * (sg * sg);
    const T qb = mb / eps;
    const T xb = sx + step * qb;
    /* Each comparison is false for NaN, so a non-finite sum fails. */
    if (neg || !(sg < SQRT(TMAX) / 2) || !(mb < half) || !(vb < half) || !(qb < half) ||
        !(xb < half)) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const T gi = g[i];
        const T mi = b1 * m[i] + c1 * gi;
        const T vi = b2 * v[i] + c2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        x[i] = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
    }
    s->b1t = b1t;
    s->b2t = b2t;
    if (s->t != UINT32_MAX) {
        s->t++;
    }
    return 0;
}

void REF(REF_CAT(stream_, SFX))(T *restrict x, const T *restrict g, T *restrict m,
                                T *restrict v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const T gi = g[i];
        x[i] += gi;
        m[i] += gi;
        v[i] += gi;
    }
}

/* undo: write first, restore on failure. Each element's old x, m, v go to the caller's
   scratch `log` (3n: per block of 4 elements old x[4], m[4], v[4], each copied as one
   16-byte block, which arm-none-eabi-gcc moves with one ldm and one stm; then x, m, v of
   each tail element), the new
   values are written at once, and one multiply-accumulate per element keeps a flag:
   acc += x'·d, d = sqrt(v')/bc2s + eps the update's own denominator. acc finite implies every
   new value finite: x'·d is not finite when x' or d is not (d >= eps > 0 when finite, so
   0·inf cannot hide), a non-finite term keeps acc non-finite, d is not finite when v' is not
   (or v' < 0), and x' finite implies m' finite (m' = ±inf gives x' = ∓inf or NaN, m' NaN gives
   NaN). acc not finite (or a finite sum overflowing: a false alarm) runs the exact test of
   every new value; on a failure the log is copied back: x, m, v as they were, the state
   untouched, -1. The scratch is clobbered either way. */
typedef struct {
    T a[4];
} REF_CAT(block4_, SFX);

static inline int REF_CAT(finite_, SFX)(T a)
{
    return FABS(a) <= TMAX;
}

int REF(REF_CAT(adam_undo_, SFX))(STATE *s, T *restrict x, const T *restrict g, T *restrict m,
                                  T *restrict v, size_t n, T *restrict log)
{
    typedef REF_CAT(block4_, SFX) B4;
    const T b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    const T c1 = 1 - b1, c2 = 1 - b2;
    const T b1t = FLUSH(s->b1t * b1), b2t = FLUSH(s->b2t * b2);
    const T step = s->lr / (1 - b1t);
    const T bc2s = SQRT(1 - b2t);
    T acc = 0;
    T *xp = x, *mp = m, *vp = v, *lp = log;
    const T *gp = g;
    const T *const end4 = g + (n & ~(size_t)3), *const end = g + n;
#define UNDO_ELEM(j)                                                                        \
    do {                                                                                    \
        const T gi = gp[j];                                                                 \
        const T mi = b1 * mp[j] + c1 * gi;                                                  \
        const T vi = b2 * vp[j] + c2 * (gi * gi);                                           \
        const T di = SQRT(vi) / bc2s + eps;                                                 \
        const T xi = xp[j] - step * (mi / di);                                              \
        mp[j] = mi;                                                                         \
        vp[j] = vi;                                                                         \
        xp[j] = xi;                                                                         \
        acc += xi * di;                                                                     \
    } while (0)
    /* log, per block of 4 elements: old x[4], m[4], v[4]; then per tail element x, m, v. */
    for (; gp != end4; gp += 4, xp += 4, mp += 4, vp += 4, lp += 12) {
        ((B4 *)lp)[0] = *(const B4 *)xp;
        ((B4 *)lp)[1] = *(const B4 *)mp;
        ((B4 *)lp)[2] = *(const B4 *)vp;
        UNDO_ELEM(0);
        UNDO_ELEM(1);
        UNDO_ELEM(2);
        UNDO_ELEM(3);
    }
    for (; gp != end; gp++, xp++, mp++, vp++, lp += 3) {
        lp[0] = xp[0];
        lp[1] = mp[0];
        lp[2] = vp[0];
        UNDO_ELEM(0);
    }
#undef UNDO_ELEM
    if (!REF_CAT(finite_, SFX)(acc)) {
        int bad = 0;
        for (size_t j = 0; j < n; j++) {
            bad |= !REF_CAT(finite_, SFX)(x[j]) | !REF_CAT(finite_, SFX)(m[j]) |
                   !REF_CAT(finite_, SFX)(v[j]);
        }
        if (bad) {
            size_t j = 0;
            const T *l = log;
            for (; j + 4 <= n; j += 4, l += 12) {
                *(B4 *)(x + j) = ((const B4 *)l)[0];
                *(B4 *)(m + j) = ((const B4 *)l)[1];
                *(B4 *)(v + j) = ((const B4 *)l)[2];
            }
            for (; j < n; j++, l += 3) {
                x[j] = l[0];
                m[j] = l[1];
                v[j] = l[2];
            }
            return -1;
        }
    }
    s->b1t = b1t;
    s->b2t = b2t;
    if (s->t != UINT32_MAX) {
        s->t++;
    }
    return 0;
}

/* lean: the leanest read-only pass found, then the unchecked update. Pass 1 keeps four sums,
   one arithmetic instruction each per element: X = Σx², G = Σg², M = Σm² (one
   multiply-accumulate each) and R = Σ√v (a square root and an add). R finite means every v
   in [0, TMAX] (√ of a negative is NaN, of +inf +inf; -0 gives -0, as good as +0); X, G, M
   finite mean every x, g, m finite; and then for every element (each term of a sum of
   non-negative terms is at most the sum; every rounded operation is monotonic):
     |g| <= √G, |m| <= √M, v <= R²,
     |m'| = |b1·m + c1·g| <= √M + √G                     (b1, c1 in [0, 1]),
     0 <= v' = b2·v + c2·g² <= R² + G                     (b2, c2 in [0, 1]),
     d = √v'/bc2s + eps >= eps > 0, and d finite          (√v' <= 2^64, 1/bc2s <= 2^12),
     |m'/d| <= (√M + √G)/eps,
     |x'| <= √X + step·(√M + √G)/eps.
   Each bound is evaluated in T and compared with TMAX/2: the few roundings of a bound
   (relative error a few 2^-24) cannot take it from below TMAX/2 to the true value's
   overflow, so all new values are finite. A bound that fails (or a NaN) falls back to the
   exact test of each new value (checked's rare path). */
/* The lean step after its read-only pass: sum = {Σx², Σg², Σm², Σ√v}. */
static inline int REF_CAT(lean_finish_, SFX)(STATE *s, T *restrict x, const T *restrict g,
                                             T *restrict m, T *restrict v, size_t n,
                                             const T sum[4])
{
    const T b1 = s->beta1, b2 = s->beta2, eps = s->eps;
    const T c1 = 1 - b1, c2 = 1 - b2;
    const T b1t = FLUSH(s->b1t * b1), b2t = FLUSH(s->b2t * b2);
    const T step = s->lr / (1 - b1t);
    const T bc2s = SQRT(1 - b2t);
    const T sx = sum[0], sg = sum[1], sm = sum[2], sr = sum[3];
    const T half = TMAX / 2;
    const T mb = SQRT(sm) + SQRT(sg);
    const T vb = sr * sr + sg;
    const T qb = mb / eps;
    const T xb = SQRT(sx) + step * qb;
    /* Each comparison is false for NaN, so a non-finite sum fails. */
    if (!(mb < half) || !(vb < half) || !(qb < half) || !(xb < half)) {
        for (size_t i = 0; i < n; i++) {
            const T gi = g[i];
            const T mi = b1 * m[i] + c1 * gi;
            const T vi = b2 * v[i] + c2 * (gi * gi);
            const T xi = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
            if (!REF_CAT(finite_, SFX)(xi) || !REF_CAT(finite_, SFX)(mi) ||
                !REF_CAT(finite_, SFX)(vi)) {
                return -1;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        const T gi = g[i];
        const T mi = b1 * m[i] + c1 * gi;
        const T vi = b2 * v[i] + c2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        x[i] = x[i] - step * (mi / (SQRT(vi) / bc2s + eps));
    }
    s->b1t = b1t;
    s->b2t = b2t;
    if (s->t != UINT32_MAX) {
        s->t++;
    }
    return 0;
}

/* The sums of the lean step's read-only pass over elements [from, n), added to sum. */
static inline void REF_CAT(lean_sums_, SFX)(const T *restrict x, const T *restrict g,
                                            const T *restrict m, const T *restrict v,
                                            size_t from, size_t n, T sum[4])
{
    T sx = sum[0], sg = sum[1], sm = sum[2], sr = sum[3];
    for (size_t i = from; i < n; i++) {
        const T xi = x[i], gi = g[i], mi = m[i], vi = v[i];
        sx += xi * xi;
        sg += gi * gi;
        sm += mi * mi;
        sr += SQRT(vi);
    }
    sum[0] = sx;
    sum[1] = sg;
    sum[2] = sm;
    sum[3] = sr;
}

int REF(REF_CAT(adam_lean_, SFX))(STATE *s, T *restrict x, const T *restrict g, T *restrict m,
                                  T *restrict v, size_t n)
{
    T sum[4] = {0, 0, 0, 0};
    REF_CAT(lean_sums_, SFX)(x, g, m, v, 0, n, sum);
    return REF_CAT(lean_finish_, SFX)(s, x, g, m, v, n, sum);
}
