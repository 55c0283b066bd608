"""Reference eigenvalues of symmetric matrices from LAPACK's dsyev (Householder
tridiagonalization + implicit QL/QR, the reference implementation the eigen-solver is measured
against), called through ctypes on the system's liblapack (Debian: liblapack3). The matrices are
made here from a fixed-seed LCG and printed with the values, so the Rust test reads both and
shares no code or random stream with the crate.

Run: python3 tests/reference/eigen_lapack.py > tests/reference/eigen_lapack.txt
Output: one line per matrix, `<case> <n> <a_00 … a_(n-1)(n-1) row-major> | <values ascending>`
(17 significant digits, so every float round-trips).
"""
import ctypes
import ctypes.util
import math

lib = ctypes.CDLL(ctypes.util.find_library("lapack") or "liblapack.so.3")
c_int, c_double, c_char = ctypes.c_int, ctypes.c_double, ctypes.c_char


def dsyev(a, n):
    """Eigenvalues (ascending) of the symmetric n*n row-major list a."""
    arr = (c_double * (n * n))(*a)
    w = (c_double * n)()
    lwork = max(1, 3 * n)
    work = (c_double * lwork)()
    info = c_int(0)
    lib.dsyev_(ctypes.byref(c_char(b"N")), ctypes.byref(c_char(b"U")), ctypes.byref(c_int(n)),
               arr, ctypes.byref(c_int(n)), w, work, ctypes.byref(c_int(lwork)),
               ctypes.byref(info), 1, 1)
    assert info.value == 0, info.value
    return list(w)


class Lcg:
    """Knuth's MMIX LCG; uniform doubles in [-1, 1) from the top 53 bits."""

    def __init__(self, seed):
        self.s = seed

    def uniform(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return 2.0 * (self.s >> 11) / float(1 << 53) - 1.0


def random_sym(n, rng):
    a = [0.0] * (n * n)
    for i in range(n):
        for j in range(i, n):
            a[i * n + j] = a[j * n + i] = rng.uniform()
    return a


def orthogonal(n, rng):
    """A product of n Householder reflectors of random vectors, row-major."""
    q = [1.0 if i == j else 0.0 for i in range(n) for j in range(n)]
    for _ in range(n):
        u = [rng.uniform() for _ in range(n)]
        uu = sum(x * x for x in u)
        for r in range(n):  # Q <- Q (I - 2 u u^T / u^T u)
            s = sum(q[r * n + k] * u[k] for k in range(n)) * 2.0 / uu
            for k in range(n):
                q[r * n + k] -= s * u[k]
    return q


def with_spectrum(lams, rng):
    """Q diag(lams) Q^T, symmetrized exactly."""
    n = len(lams)
    q = orthogonal(n, rng)
    a = [0.0] * (n * n)
    for i in range(n):
        for j in range(i, n):
            a[i * n + j] = a[j * n + i] = sum(q[i * n + k] * lams[k] * q[j * n + k] for k in range(n))
    return a


def cases():
    rng = Lcg(20240611)
    for n in list(range(1, 17)) + [3, 4, 5, 6, 8, 8, 12, 16, 16]:
        yield "random", n, random_sym(n, rng)
    for n in (3, 5, 8, 12):
        # A cluster of three eigenvalues 1e-10 apart, a repeated pair, and spread values.
        lams = [1.0, 1.0 + 1e-10, 1.0 + 2e-10, -2.0, -2.0] + [0.5 * k for k in range(3, n)]
        yield "clustered", n, with_spectrum(lams[:n], rng)
    for n in (4, 8):
        # Graded: eigenvalues over twelve decades.
        yield "graded", n, with_spectrum([10.0 ** (-12 * k / (n - 1)) for k in range(n)], rng)
    for n, s in ((6, 1e-300), (6, 1e300), (9, 2.0 ** -1000), (9, 1e307)):
        base = random_sym(n, rng)
        yield "scaled", n, [v * s for v in base]
    for n in (5, 10):
        # Rank one plus identity: I + u u^T.
        u = [rng.uniform() for _ in range(n)]
        yield "rank_one", n, [(1.0 if i == j else 0.0) + u[i] * u[j] for i in range(n) for j in range(n)]


for case, n, a in cases():
    vals = dsyev(a, n)
    print(case, n, " ".join(repr(v) for v in a), "|", " ".join(repr(v) for v in vals))
