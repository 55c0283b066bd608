/* The C examples' tiny test harness: CHECK(cond) reports a failed condition and counts it in
 * `failures`; each example exits non-zero when `failures` is not 0. */
#ifndef LOSSMAP_EXAMPLES_CHECK_H
#define LOSSMAP_EXAMPLES_CHECK_H

#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                        \
        }                                                                      \
    } while (0)

#endif
