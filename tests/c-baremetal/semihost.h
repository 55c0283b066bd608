/* Output of the bare-metal C tests: a NUL-terminated string to QEMU's stdout. */
#ifndef LOSSMAP_TESTS_SEMIHOST_H
#define LOSSMAP_TESTS_SEMIHOST_H

void semihost_puts(const char *s);

#endif
