/* The C program's own sqrtf, as a vendor or newlib libm would provide it from a library linked
 * after liblossmap.a: it returns a marker, so a caller can tell it was reached. */
float sqrtf(float x) {
    (void)x;
    return 42.0f;
}
