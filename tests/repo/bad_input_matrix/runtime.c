/* Runtime of the generated bad-input matrix (tests/repo/bad_input_matrix.rs).
 *
 * The generator appends, for every entry point, a parameter table, a setup function that
 * builds a valid call inside the arena, and a thunk that makes the call from the generic
 * argument slots. Everything the case engine below needs to know about a parameter is in its
 * `Param` row; the engine knows nothing about individual functions.
 *
 * Output, one line per finding or function (parsed by the Rust side):
 *   FN <name> <cases> <cat>=<count>...        a covered function and its case counts
 *   NOTCOVERED <name> <reason>                its valid baseline call did not return OK
 *   FAIL <name> <category> <detail> status=<s> <what>
 *   SKIP <name> <category> <detail>           a case excluded by the generator's skip list
 *   HANG / CRASH <name> …                     the function's process did not finish
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lossmap.h"

/* ---- parameter descriptions ---------------------------------------------------------- */

enum kind {
    K_CB,     /* a callback (sub: which typedef) */
    K_CTX,    /* an opaque `void *` context, never dereferenced by the library */
    K_FBUF,   /* a float/double buffer */
    K_IBUF,   /* an integer buffer (size_t, uint32_t, int32_t) */
    K_STRUCT, /* one struct */
    K_OPAQUE, /* `void *opt`: an optimizer instance chosen by `kind` */
    K_SIZE,   /* a size_t scalar */
    K_FLOAT,  /* a float/double scalar */
    K_INT     /* an integer scalar (int32_t, uint32_t, uint64_t) */
};

enum cb { CB_LOSS, CB_GRAD, CB_RES, CB_JAC, CB_SLOSS, CB_SGRAD, CB_OBS, CB_SOBS, CB_LAMBDA, CB_SCALE };

enum flag {
    F_CONST = 1,    /* pointer to const: read only */
    F_OPTIONAL = 2, /* the function's doc says it may be NULL */
    F_WORK = 4,     /* the scratch buffer `work` */
    F_LENGTH = 8,   /* a size that is a buffer length (0 and SIZE_MAX must be rejected) */
    F_F64 = 16,     /* double precision (floats, buffers, structs' float fields) */
    F_INF_OK = 32,  /* documented to accept ±Inf (NaN must still be rejected) */
    F_RAW = 64,     /* an output documented to hold the callback's values as they are */
    F_FRESH = 128   /* a struct the function initializes: its old bytes are not read */
};

/* A float field (or a pointer to a caller buffer) inside a struct, flattened. */
typedef struct {
    const char *name;
    size_t off;
    int type; /* 4 float, 8 double, -4 float *, -8 double *; -5, -9: pointers that may be NULL;
               * 104 int32_t, 105 uint32_t, 101 uint8_t, 108 size_t */
    int inf_ok; /* documented to accept ±Inf */
} Field;

typedef struct {
    const char *name;
    int kind, sub, flags;
    size_t elem; /* element size of buffers and structs */
    const Field *fields;
    size_t nfields;
} Param;

typedef union {
    void *p;
    void (*f)(void);
    size_t z;
    double s;
    int64_t i;
} Arg;

#define MAXP 24

typedef struct {
    const char *name;
    const Param *params;
    int np;
    void (*setup)(Arg *a);
    int32_t (*call)(Arg *a);
    const char *skip; /* "category:detail" exclusions, see `skipped` */
    int tolerant;     /* documented to survive a failing callback (OK with finite outputs) */
} Fn;

/* ---- the arena ----------------------------------------------------------------------- */

#define ARENA (1u << 19)
#define CANARY 0xA5
#define BUF_VALUES 512 /* every buffer holds this many values, whatever the function needs */

static _Alignas(64) unsigned char arena[ARENA];
static unsigned char base[ARENA], pre[ARENA];
static size_t used;

static void arena_reset(void) {
    memset(arena, CANARY, sizeof arena);
    used = 0;
}

/* `bytes` at a 64-aligned offset with at least 64 canary bytes before and after. */
static void *arena_alloc(size_t bytes) {
    size_t off = (used + 64 + 63) & ~(size_t)63;
    if (off + bytes + 64 > ARENA) {
        printf("ARENA OVERFLOW\n");
        exit(3);
    }
    used = off + bytes;
    return arena + off;
}

static size_t arena_len(void) { return used + 64; }

/* Byte offset of `p` inside the arena, or SIZE_MAX. */
static size_t arena_off(const void *p) {
    const unsigned char *c = (const unsigned char *)p;
    return c >= arena && c < arena + ARENA ? (size_t)(c - arena) : SIZE_MAX;
}

/* A buffer of BUF_VALUES floats/doubles: `fill(i)` values. */
static void *fbuf(int f64, double (*fill)(size_t)) {
    void *p = arena_alloc(BUF_VALUES * (f64 ? 8 : 4));
    for (size_t i = 0; i < BUF_VALUES; i++) {
        if (f64)
            ((double *)p)[i] = fill(i);
        else
            ((float *)p)[i] = (float)fill(i);
    }
    return p;
}

static void *ibuf(size_t elem, int64_t (*fill)(size_t)) {
    void *p = arena_alloc(BUF_VALUES * elem);
    for (size_t i = 0; i < BUF_VALUES; i++) {
        int64_t v = fill(i);
        if (elem == 8)
            ((uint64_t *)p)[i] = (uint64_t)v;
        else
            ((uint32_t *)p)[i] = (uint32_t)v;
    }
    return p;
}

static void *sbuf(size_t size) { return memset(arena_alloc(size), 0, size); }

/* Fills: the defaults by parameter name (the generator picks one). */
static double fill_x(size_t i) { return 0.25 + 0.03125 * (double)(i % 8); }
static double fill_half(size_t i) { return 0.5 + 0.0625 * (double)(i % 4); }
static double fill_lower(size_t i) { (void)i; return -1.0; }
static double fill_upper(size_t i) { (void)i; return 1.0; }
static double fill_one(size_t i) { (void)i; return 1.0; }
static double fill_zero(size_t i) { (void)i; return 0.0; }
/* A symmetric positive definite 2×2 (and, by its pattern, any n×n with n = 2). */
static double fill_spd(size_t i) { return i % 3 == 0 ? 2.0 : 0.5; }
static int64_t ifill_zero(size_t i) { (void)i; return 0; }
static int64_t ifill_label(size_t i) { return (int64_t)(i % 2); }
static int64_t ifill_perm(size_t i) { return (int64_t)i; }

/* ---- callbacks: smooth functions, counted, failing at call `fail_at` ------------------ */

typedef struct {
    long calls;   /* every callback call */
    long fail_at; /* 0: never; k: the k-th call fails */
    int mode;     /* 0: NaN value, 1: non-zero status (status callbacks) */
} Ctx;

static Ctx ctx;

/* 1 when this call is the failing one. */
static int tick(void *c) {
    Ctx *k = c ? (Ctx *)c : &ctx;
    k->calls++;
    return k->fail_at != 0 && k->calls == k->fail_at;
}

/* f(x) = Σ (x_i − 0.1)² + 0.5; ∇f = 2(x − 0.1); residuals r_j = x_{j mod n} − 0.1(j + 1). */
#define CALLBACKS(T, S)                                                                        \
    static T cb_loss_##S(const T *x, size_t n, void *c) {                                      \
        T s = (T)0.5;                                                                          \
        if (tick(c)) return (T)NAN;                                                            \
        for (size_t i = 0; i < n; i++) s += (x[i] - (T)0.1) * (x[i] - (T)0.1);                 \
        return s;                                                                              \
    }                                                                                          \
    static int32_t cb_grad_##S(const T *x, size_t n, T *g, void *c) {                          \
        int f = tick(c);                                                                       \
        if (f && ctx.mode) return -1;                                                          \
        for (size_t i = 0; i < n; i++) g[i] = (T)2 * (x[i] - (T)0.1);                          \
        if (f) g[0] = (T)NAN;                                                                  \
        return 0;                                                                              \
    }                                                                                          \
    static int32_t cb_res_##S(const T *x, size_t n, T *r, size_t m, void *c) {                 \
        int f = tick(c);                                                                       \
        if (f && ctx.mode) return -1;                                                          \
        for (size_t j = 0; j < m; j++) r[j] = x[j % n] - (T)0.1 * (T)(j + 1);                  \
        if (f) r[0] = (T)NAN;                                                                  \
        return 0;                                                                              \
    }                                                                                          \
    static int32_t cb_jac_##S(const T *x, size_t n, T *jac, size_t m, void *c) {               \
        int f = tick(c);                                                                       \
        (void)x;                                                                               \
        if (f && ctx.mode) return -1;                                                          \
        for (size_t j = 0; j < m; j++)                                                         \
            for (size_t i = 0; i < n; i++) jac[j * n + i] = (T)(i == j % n);                   \
        if (f) jac[0] = (T)NAN;                                                                \
        return 0;                                                                              \
    }                                                                                          \
    static T cb_sloss_##S(const T *x, size_t n, size_t sample, void *c) {                      \
        T s = (T)0.5;                                                                          \
        if (tick(c)) return (T)NAN;                                                            \
        for (size_t i = 0; i < n; i++) {                                                       \
            T d = x[i] - (T)0.1 * (T)(sample % 3);                                             \
            s += d * d;                                                                        \
        }                                                                                      \
        return s;                                                                              \
    }                                                                                          \
    static int32_t cb_sgrad_##S(const T *x, size_t n, size_t sample, T *g, void *c) {          \
        int f = tick(c);                                                                       \
        if (f && ctx.mode) return -1;                                                          \
        for (size_t i = 0; i < n; i++) g[i] = (T)2 * (x[i] - (T)0.1 * (T)(sample % 3));        \
        if (f) g[0] = (T)NAN;                                                                  \
        return 0;                                                                              \
    }                                                                                          \
    static int32_t cb_obs_##S(const struct lossmap_progress_##S *p, void *c) {                 \
        (void)p;                                                                               \
        (void)c;                                                                               \
        return 0;                                                                              \
    }                                                                                          \
    static int32_t cb_sobs_##S(const struct lossmap_stochastic_progress_##S *p, void *c) {     \
        (void)p;                                                                               \
        (void)c;                                                                               \
        return 0;                                                                              \
    }                                                                                          \
    /* Schedule callbacks (a constant factor): stored by the init functions, not called. */   \
    static T cb_lambda_##S(size_t step, void *c) {                                             \
        (void)step;                                                                            \
        (void)c;                                                                               \
        return (T)1;                                                                           \
    }                                                                                          \
    static T cb_scale_##S(T x, void *c) {                                                      \
        (void)x;                                                                               \
        (void)c;                                                                               \
        return (T)1;                                                                           \
    }

CALLBACKS(float, f32)
CALLBACKS(double, f64)

/* ---- checks -------------------------------------------------------------------------- */

/* (memcpy: the pointer of an accepted case may be misaligned.) */
static int is_finite_at(const void *p, int f64) {
    double d;
    float f;
    if (f64) {
        memcpy(&d, p, sizeof d);
        return isfinite(d);
    }
    memcpy(&f, p, sizeof f);
    return isfinite(f);
}

static void put_value(void *p, int f64, double v) {
    if (f64)
        *(double *)p = v;
    else
        *(float *)p = (float)v;
}

/* Every written float buffer (but `work`) holds finite values in its first CHECKED values:
 * more than any small size of the matrix uses, and the fill beyond is finite. */
#define CHECKED 16
static int outputs_finite(const Fn *fn, const Arg *a, const char **which) {
    for (int i = 0; i < fn->np; i++) {
        const Param *q = &fn->params[i];
        if (q->kind != K_FBUF || (q->flags & (F_CONST | F_WORK | F_RAW)) || !a[i].p) continue;
        if (arena_off(a[i].p) == SIZE_MAX) continue;
        size_t elem = (q->flags & F_F64) ? 8 : 4;
        for (size_t k = 0; k < CHECKED; k++) {
            if (!is_finite_at((const unsigned char *)a[i].p + k * elem, q->flags & F_F64)) {
                *which = q->name;
                return 0;
            }
        }
    }
    return 1;
}

/* ---- the case engine ----------------------------------------------------------------- */

enum cat { C_NULL, C_MISALIGN, C_ALIAS, C_SIZE, C_NONFINITE, C_EXTREME, C_CALLBACK, C_PARAM, NCAT };
static const char *cat_name[NCAT] = {"null",      "misaligned", "aliased",  "size",
                                     "nonfinite", "extreme",    "callback", "param"};

/* Expectations. */
enum expect {
    E_CODE,       /* exactly `code` (or `code2` when non-zero), nothing changed, no callback call */
    E_NEG,        /* any negative code, nothing changed, no callback call */
    E_OK_OR_NEG,  /* OK with finite outputs, or an input-check error with nothing changed */
    E_NEG_FINITE  /* a negative code with the written buffers finite (callback failures) */
};

static long counts[NCAT], fails[NCAT], total_fails;
static const Fn *cur;
static Arg A0[MAXP], A[MAXP];

/* A case id listed in the function's `skip` string (comma-separated `category:param`). */
static int skipped(const char *cat, const char *detail) {
    char key[160];
    if (!cur->skip) return 0;
    snprintf(key, sizeof key, ",%s:%s,", cat, detail);
    char all[1024];
    snprintf(all, sizeof all, ",%s,", cur->skip);
    if (strstr(all, key) == NULL) return 0;
    printf("SKIP %s %s %s\n", cur->name, cat, detail);
    return 1;
}

static int input_check_code(int32_t s) {
    return s == LOSSMAP_ERR_NULL || s == LOSSMAP_ERR_EMPTY || s == LOSSMAP_ERR_NON_FINITE ||
           s == LOSSMAP_ERR_LENGTH || s == LOSSMAP_ERR_PARAM || s == LOSSMAP_ERR_ALIASED;
}

/* Restores the arena and the arguments of the baseline call. */
static void restore(void) {
    memcpy(arena, base, arena_len());
    memcpy(A, A0, sizeof A);
    ctx.calls = 0;
    ctx.fail_at = 0;
    ctx.mode = 0;
}

/* A read-only argument (its baseline bytes: a whole struct, the first CHECKED values of a
 * buffer) that the call wrote, or NULL. */
static const char *const_written(void) {
    for (int i = 0; i < cur->np; i++) {
        const Param *q = &cur->params[i];
        size_t off = arena_off(A0[i].p);
        if (!(q->flags & F_CONST) || q->kind == K_CB || off == SIZE_MAX) continue;
        size_t len = q->kind == K_STRUCT ? q->elem : CHECKED * q->elem;
        if (memcmp(arena + off, pre + off, len) != 0) return q->name;
    }
    return NULL;
}

/* Runs the prepared case (arguments in A, arena already mutated) and judges it. */
static char last_case[200];

static void judge(int cat, const char *detail, int expect, int32_t code, int32_t code2) {
    if (skipped(cat_name[cat], detail)) return;
    snprintf(last_case, sizeof last_case, "%s %s", cat_name[cat], detail);
    memcpy(pre, arena, arena_len());
    long fail_at = ctx.fail_at;
    int32_t s = cur->call(A);
    counts[cat]++;
    const char *bad = NULL, *which = "";
    int unchanged = memcmp(arena, pre, arena_len()) == 0;
    long calls = fail_at ? 0 : ctx.calls;
    switch (expect) {
    case E_CODE:
    case E_NEG:
        if (expect == E_CODE ? (s != code && (code2 == 0 || s != code2)) : s >= 0)
            bad = "wrong-status";
        else if (!unchanged)
            bad = "changed-buffer";
        else if (calls)
            bad = "callback-called";
        break;
    case E_OK_OR_NEG:
        if (s == 0) {
            if (!outputs_finite(cur, A, &which)) bad = "ok-with-non-finite-output";
        } else if (s > 0) {
            bad = "wrong-status";
        } else if (input_check_code(s) && !unchanged) {
            bad = "changed-buffer";
        } else if (input_check_code(s) && calls) {
            bad = "callback-called";
        }
        break;
    case E_NEG_FINITE:
        if (s >= 0)
            bad = "wrong-status";
        else if (!outputs_finite(cur, A, &which))
            bad = "non-finite-output";
        break;
    }
    const char *ro = const_written();
    if (!bad && ro) {
        bad = "read-only-written";
        which = ro;
    }
    if (bad) {
        fails[cat]++;
        total_fails++;
        printf("FAIL %s %s %s status=%d %s%s%s\n", cur->name, cat_name[cat], detail, s, bad,
               *which ? ":" : "", which);
    }
}

static int is_ptr(const Param *q) {
    return q->kind == K_FBUF || q->kind == K_IBUF || q->kind == K_STRUCT || q->kind == K_OPAQUE;
}

static const double bad_values[3] = {NAN, INFINITY, -INFINITY};
static const char *bad_names[3] = {"nan", "+inf", "-inf"};

/* Injects `v` at byte `p` (a float of the parameter's precision) and judges. */
static void inject(const char *what, void *p, int f64, int strict, int inf_ok) {
    char detail[160];
    for (int b = 0; b < 3; b++) {
        restore();
        put_value(p, f64, bad_values[b]);
        snprintf(detail, sizeof detail, "%s=%s", what, bad_names[b]);
        if (strict && !(inf_ok && b > 0))
            judge(C_NONFINITE, detail, E_CODE, LOSSMAP_ERR_NON_FINITE, LOSSMAP_ERR_PARAM);
        else
            judge(C_NONFINITE, detail, E_OK_OR_NEG, 0, 0);
    }
    const double huge[2] = {1e30, 1e300}, tiny[2] = {1e-40, 1e-310};
    const double ext[3] = {huge[f64 ? 1 : 0], -huge[f64 ? 1 : 0], tiny[f64 ? 1 : 0]};
    const char *ext_names[3] = {"huge", "-huge", "subnormal"};
    for (int b = 0; b < 3; b++) {
        restore();
        put_value(p, f64, ext[b]);
        snprintf(detail, sizeof detail, "%s=%s", what, ext_names[b]);
        judge(C_EXTREME, detail, E_OK_OR_NEG, 0, 0);
    }
}


/* Out-of-range integers (enum codes, flags, counts) in a struct field or scalar argument:
 * OK with finite outputs, or a rejection that changed nothing. Sizes only get 0 (and, for an
 * instance's `n`, 2^62): a huge count is a valid, endless request. */
static void int_field_cases(const char *what, void *p, int size, const char *name) {
    char detail[200];
    static const int64_t vals[3] = {99, -1, 0};
    for (int b = 0; b < 3; b++) {
        if (size == 8 && b < 2) continue;
        restore();
        if (size == 1) { uint8_t v = (uint8_t)vals[b]; memcpy(p, &v, 1); }
        if (size == 4 || size == 5) { int32_t v = (int32_t)vals[b]; memcpy(p, &v, 4); }
        if (size == 8) { size_t v = 0; memcpy(p, &v, 8); }
        snprintf(detail, sizeof detail, "%s=%lld", what, (long long)vals[b]);
        judge(C_PARAM, detail, E_OK_OR_NEG, 0, 0);
    }
    if (size == 8 && strcmp(name, "n") == 0) {
        restore();
        size_t v = (size_t)1 << 62;
        memcpy(p, &v, 8);
        snprintf(detail, sizeof detail, "%s=2^62", what);
        judge(C_PARAM, detail, E_OK_OR_NEG, 0, 0);
    }
}

/* A caller buffer an instance struct points to (Adam's `m`, `v`, …): NaN/extreme values in
 * it, the pointer NULL, misaligned, and aimed at every other pointer argument. */
static void state_pointer_cases(int i, const Param *q, size_t off, const Field *fd) {
    char detail[160];
    void *target;
    memcpy(&target, base + off + fd->off, sizeof target);
    size_t toff = arena_off(target);
    if (toff == SIZE_MAX) return;
    int f64 = fd->type == -8 || fd->type == -9, may_be_null = fd->type == -5 || fd->type == -9;
    snprintf(detail, sizeof detail, "%s->%s", q->name, fd->name);
    inject(detail, arena + toff, f64, 0, 0);
    void *const null = NULL;
    restore();
    memcpy(arena + off + fd->off, &null, sizeof null);
    snprintf(detail, sizeof detail, "%s->%s", q->name, fd->name);
    judge(C_NULL, detail, may_be_null ? E_OK_OR_NEG : E_CODE, LOSSMAP_ERR_NULL, 0);
    restore();
    void *mis = (unsigned char *)target + 1;
    memcpy(arena + off + fd->off, &mis, sizeof mis);
    judge(C_MISALIGN, detail, may_be_null ? E_OK_OR_NEG : E_CODE, LOSSMAP_ERR_NULL, 0);
    for (int j = 0; j < cur->np; j++) {
        if (j == i || !is_ptr(&cur->params[j])) continue;
        restore();
        memcpy(arena + off + fd->off, &A0[j].p, sizeof(void *));
        snprintf(detail, sizeof detail, "%s->%s@%s", q->name, fd->name, cur->params[j].name);
        judge(C_ALIAS, detail, may_be_null ? E_OK_OR_NEG : E_CODE, LOSSMAP_ERR_ALIASED, 0);
    }
    /* ... onto the other buffers of the instance ... */
    for (size_t k = 0; k < q->nfields; k++) {
        const Field *other = &q->fields[k];
        void *t2;
        if (other == fd || other->type >= 0) continue;
        memcpy(&t2, base + off + other->off, sizeof t2);
        if (arena_off(t2) == SIZE_MAX) continue;
        restore();
        memcpy(arena + off + fd->off, &t2, sizeof t2);
        snprintf(detail, sizeof detail, "%s->%s@%s->%s", q->name, fd->name, q->name, other->name);
        judge(C_ALIAS, detail, may_be_null ? E_OK_OR_NEG : E_CODE, LOSSMAP_ERR_ALIASED, 0);
    }
    /* ... and onto the instance struct itself. */
    restore();
    void *self = arena + off;
    memcpy(arena + off + fd->off, &self, sizeof self);
    snprintf(detail, sizeof detail, "%s->%s@%s", q->name, fd->name, q->name);
    judge(C_ALIAS, detail, may_be_null ? E_OK_OR_NEG : E_CODE, LOSSMAP_ERR_ALIASED, 0);
}

static void run_cases(void) {
    const Fn *fn = cur;
    char detail[160];
    for (int i = 0; i < fn->np; i++) {
        const Param *q = &fn->params[i];
        /* NULL, misaligned. */
        if (is_ptr(q) || q->kind == K_CB) {
            restore();
            A[i].p = NULL;
            if (q->kind == K_CB) A[i].f = NULL;
            if (q->flags & F_OPTIONAL)
                judge(C_NULL, q->name, E_OK_OR_NEG, 0, 0);
            else
                judge(C_NULL, q->name, E_CODE, LOSSMAP_ERR_NULL, 0);
        }
        if (is_ptr(q)) {
            restore();
            A[i].p = (unsigned char *)A[i].p + 1;
            judge(C_MISALIGN, q->name, E_CODE, LOSSMAP_ERR_NULL, 0);
        }
        /* Aliasing a written pointer onto every other pointer argument. */
        if (is_ptr(q) && !(q->flags & F_CONST)) {
            for (int j = 0; j < fn->np; j++) {
                if (j == i || !is_ptr(&fn->params[j])) continue;
                restore();
                A[i].p = A[j].p;
                snprintf(detail, sizeof detail, "%s@%s", q->name, fn->params[j].name);
                judge(C_ALIAS, detail, E_CODE, LOSSMAP_ERR_ALIASED, 0);
            }
        }
        /* Sizes. */
        if (q->kind == K_SIZE) {
            int e = (q->flags & F_LENGTH) ? E_NEG : E_OK_OR_NEG;
            restore();
            A[i].z = 0;
            /* A zero length is ERR_EMPTY (ptr.rs), or ERR_PARAM where the doc states a
             * minimum count (`r >= 2`, `p >= 2`, `m >= 1`). */
            snprintf(detail, sizeof detail, "%s=0", q->name);
            judge(C_SIZE, detail, e == E_NEG ? E_CODE : e, LOSSMAP_ERR_EMPTY, LOSSMAP_ERR_PARAM);
            /* SIZE_MAX iterations or samples is a valid (endless) request. */
            int count = strstr(q->name, "iter") || strstr(q->name, "steps") ||
                        strstr(q->name, "samples") || strstr(q->name, "probes");
            if ((q->flags & F_LENGTH) || !count) {
                restore();
                A[i].z = SIZE_MAX;
                /* Beyond the address space: ERR_LENGTH, or ERR_PARAM from a count rule. */
                snprintf(detail, sizeof detail, "%s=max", q->name);
                judge(C_SIZE, detail, e == E_NEG ? E_CODE : e, LOSSMAP_ERR_LENGTH,
                      LOSSMAP_ERR_PARAM);
            }
            for (int j = i + 1; j < fn->np; j++) {
                const Param *r = &fn->params[j];
                if (!(q->flags & F_LENGTH) || r->kind != K_SIZE || !(r->flags & F_LENGTH)) continue;
                restore();
                A[i].z = (size_t)1 << (sizeof(size_t) * 4 + 1);
                A[j].z = A[i].z;
                /* Any rejection: where the two are not factors of one buffer's length, the
                 * buffers' spans overlap first (ERR_ALIASED). */
                snprintf(detail, sizeof detail, "%s*%s", q->name, r->name);
                judge(C_SIZE, detail, E_NEG, 0, 0);
            }
        }
        if (q->kind == K_INT) {
            static const int64_t vals[3] = {99, -1, 1000000};
            for (int b = 0; b < 3; b++) {
                restore();
                A[i].i = vals[b];
                snprintf(detail, sizeof detail, "%s=%lld", q->name, (long long)vals[b]);
                judge(C_PARAM, detail, E_OK_OR_NEG, 0, 0);
            }
        }
        /* Non-finite and extreme values: scalars, buffers, struct fields, state buffers. */
        int f64 = (q->flags & F_F64) != 0;
        if (q->kind == K_FLOAT) {
            for (int b = 0; b < 3; b++) {
                restore();
                A[i].s = bad_values[b];
                snprintf(detail, sizeof detail, "%s=%s", q->name, bad_names[b]);
                if ((q->flags & F_INF_OK) && b > 0)
                    judge(C_NONFINITE, detail, E_OK_OR_NEG, 0, 0);
                else
                    judge(C_NONFINITE, detail, E_CODE, LOSSMAP_ERR_NON_FINITE, LOSSMAP_ERR_PARAM);
            }
            const double ext[3] = {f64 ? 1e300 : 1e30, f64 ? -1e300 : -1e30,
                                   f64 ? 1e-310 : 1e-40};
            const char *ext_names[3] = {"huge", "-huge", "subnormal"};
            for (int b = 0; b < 3; b++) {
                restore();
                A[i].s = ext[b];
                snprintf(detail, sizeof detail, "%s=%s", q->name, ext_names[b]);
                judge(C_EXTREME, detail, E_OK_OR_NEG, 0, 0);
            }
        }
        if (q->kind == K_FBUF && !(q->flags & F_WORK)) {
            size_t off = arena_off(A0[i].p);
            if (off != SIZE_MAX)
                inject(q->name, arena + off, f64, (q->flags & F_CONST) != 0,
                       (q->flags & F_INF_OK) != 0);
        }
        if ((q->kind == K_STRUCT || q->kind == K_OPAQUE) && !(q->flags & F_FRESH)) {
            size_t off = arena_off(A0[i].p);
            if (off == SIZE_MAX) continue;
            for (size_t k = 0; k < q->nfields; k++) {
                const Field *fd = &q->fields[k];
                snprintf(detail, sizeof detail, "%s.%s", q->name, fd->name);
                if (fd->type > 100) {
                    int_field_cases(detail, arena + off + fd->off, fd->type - 100, fd->name);
                } else if (fd->type > 0) {
                    inject(detail, arena + off + fd->off, fd->type == 8,
                           (q->flags & F_CONST) != 0, fd->inf_ok);
                } else {
                    state_pointer_cases(i, q, off, fd);
                }
            }
        }
    }
}

/* Callback failures at calls 1, 2, 5 (if the baseline makes that many calls). */
static void run_callback_cases(long baseline_calls) {
    char detail[160];
    for (int i = 0; i < cur->np; i++) {
        const Param *q = &cur->params[i];
        if (q->kind != K_CB || q->sub == CB_OBS || q->sub == CB_SOBS || q->sub == CB_LAMBDA ||
            q->sub == CB_SCALE)
            continue;
        static const long ks[3] = {1, 2, 5};
        int modes = (q->sub == CB_LOSS || q->sub == CB_SLOSS) ? 1 : 2;
        for (int k = 0; k < 3; k++) {
            if (ks[k] > baseline_calls) continue;
            for (int mode = 0; mode < modes; mode++) {
                restore();
                ctx.fail_at = ks[k];
                ctx.mode = mode;
                snprintf(detail, sizeof detail, "%s@%ld:%s", q->name, ks[k],
                         mode ? "status" : "nan");
                judge(C_CALLBACK, detail, cur->tolerant ? E_OK_OR_NEG : E_NEG_FINITE, 0, 0);
            }
        }
    }
}

static void run_fn(const Fn *fn) {
    cur = fn;
    memset(counts, 0, sizeof counts);
    memset(fails, 0, sizeof fails);
    arena_reset();
    memset(A0, 0, sizeof A0);
    fn->setup(A0);
    memcpy(base, arena, arena_len());
    restore();
    int32_t s = fn->call(A);
    long calls = ctx.calls;
    if (s != 0) {
        printf("NOTCOVERED %s baseline-status=%d\n", fn->name, s);
        return;
    }
    /* A second baseline from the restored arena must also be OK (the setup is complete). */
    restore();
    s = fn->call(A);
    if (s != 0) {
        printf("NOTCOVERED %s second-baseline-status=%d\n", fn->name, s);
        return;
    }
    run_cases();
    run_callback_cases(calls);
    long total = 0;
    for (int c = 0; c < NCAT; c++) total += counts[c];
    printf("FN %s %ld", fn->name, total);
    for (int c = 0; c < NCAT; c++) printf(" %s=%ld/%ld", cat_name[c], counts[c], fails[c]);
    printf("\n");
}

static void on_alarm(int sig) {
    (void)sig;
    /* Not async-signal-safe in general; the process ends here anyway. */
    printf("HANG %s %s\n", cur->name, last_case);
    fflush(stdout);
    _exit(4);
}

/* Each function in its own process: a crash or a hang (20 s) is reported, not fatal to the
 * matrix. */
static void run_isolated(const Fn *fn) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        snprintf(last_case, sizeof last_case, "baseline");
        cur = fn;
        signal(SIGALRM, on_alarm);
        alarm(20);
        run_fn(fn);
        fflush(stdout);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        printf("CRASH %s status=%d\n", fn->name, st);
}
