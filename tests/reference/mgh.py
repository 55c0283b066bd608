"""The Moré–Garbow–Hillstrom test set (J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing
unconstrained optimization software", ACM TOMS 7(1), 1981, pp. 17-41): residuals, standard
starts and the minima the paper reports, solved by scipy on the same starts.

For every problem this prints one line per solver: scipy.optimize.least_squares(method='lm'),
and scipy.optimize.minimize with 'BFGS', 'L-BFGS-B' and 'Nelder-Mead' (adaptive, and the
default standard coefficients) on f = sum r_i^2, all with scipy's default options and finite-difference derivatives (scipy's defaults), every call
of the residual function counted by one wrapper. `tests/repo/mgh.rs` reads the output
(`mgh.txt`), runs lossmap's solvers on the same problems from the same starts, and compares.

Run: python tests/reference/mgh.py > tests/reference/mgh.txt
"""

import math
import sys

import numpy as np
import scipy
from scipy.optimize import least_squares, minimize


def rosenbrock(x):
    return [10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]]


def freudenstein_roth(x):
    return [
        -13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1],
        -29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1],
    ]


def powell_badly_scaled(x):
    return [1e4 * x[0] * x[1] - 1.0, math.exp(-x[0]) + math.exp(-x[1]) - 1.0001]


def brown_badly_scaled(x):
    return [x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0]


def beale(x):
    y = [1.5, 2.25, 2.625]
    return [y[i] - x[0] * (1.0 - x[1] ** (i + 1)) for i in range(3)]


def jennrich_sampson(x):
    return [2.0 + 2.0 * i - (math.exp(i * x[0]) + math.exp(i * x[1])) for i in range(1, 11)]


def helical_valley(x):
    if x[0] > 0.0:
        theta = math.atan(x[1] / x[0]) / (2.0 * math.pi)
    elif x[0] < 0.0:
        theta = math.atan(x[1] / x[0]) / (2.0 * math.pi) + 0.5
    else:
        theta = 0.25 if x[1] >= 0.0 else -0.25
    return [10.0 * (x[2] - 10.0 * theta), 10.0 * (math.hypot(x[0], x[1]) - 1.0), x[2]]


BARD_Y = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]


def bard(x):
    r = []
    for i in range(1, 16):
        u, v = float(i), float(16 - i)
        w = min(u, v)
        r.append(BARD_Y[i - 1] - (x[0] + u / (v * x[1] + w * x[2])))
    return r


GAUSS_Y = [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
           0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009]


def gaussian(x):
    return [x[0] * math.exp(-x[1] * ((8.0 - i) / 2.0 - x[2]) ** 2 / 2.0) - GAUSS_Y[i - 1]
            for i in range(1, 16)]


MEYER_Y = [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147,
           4427, 3820, 3307, 2872]


def meyer(x):
    return [x[0] * math.exp(x[1] / (45.0 + 5.0 * i + x[2])) - MEYER_Y[i - 1] for i in range(1, 17)]


GULF_M = 99


def gulf(x):
    r = []
    for i in range(1, GULF_M + 1):
        t = i / 100.0
        u = 25.0 + (-50.0 * math.log(t)) ** (2.0 / 3.0)
        r.append(math.exp(-(abs(u - x[1]) ** x[2]) / x[0]) - t)
    return r


def box3d(x):
    r = []
    for i in range(1, 11):
        t = 0.1 * i
        r.append(math.exp(-t * x[0]) - math.exp(-t * x[1]) - x[2] * (math.exp(-t) - math.exp(-10.0 * t)))
    return r


def powell_singular(x):
    return [x[0] + 10.0 * x[1], math.sqrt(5.0) * (x[2] - x[3]), (x[1] - 2.0 * x[2]) ** 2,
            math.sqrt(10.0) * (x[0] - x[3]) ** 2]


def wood(x):
    return [10.0 * (x[1] - x[0] ** 2), 1.0 - x[0], math.sqrt(90.0) * (x[3] - x[2] ** 2), 1.0 - x[2],
            math.sqrt(10.0) * (x[1] + x[3] - 2.0), (x[1] - x[3]) / math.sqrt(10.0)]


KO_Y = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
KO_U = [4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]


def kowalik_osborne(x):
    return [KO_Y[i] - x[0] * (KO_U[i] ** 2 + KO_U[i] * x[1]) / (KO_U[i] ** 2 + KO_U[i] * x[2] + x[3])
            for i in range(11)]


def brown_dennis(x):
    r = []
    for i in range(1, 21):
        t = i / 5.0
        r.append((x[0] + t * x[1] - math.exp(t)) ** 2 + (x[2] + x[3] * math.sin(t) - math.cos(t)) ** 2)
    return r


OS1_Y = [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718,
         0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467,
         0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]


def osborne1(x):
    return [OS1_Y[i] - (x[0] + x[1] * math.exp(-10.0 * i * x[3]) + x[2] * math.exp(-10.0 * i * x[4]))
            for i in range(33)]


def biggs_exp6(x):
    r = []
    for i in range(1, 14):
        t = 0.1 * i
        y = math.exp(-t) - 5.0 * math.exp(-10.0 * t) + 3.0 * math.exp(-4.0 * t)
        r.append(x[2] * math.exp(-t * x[0]) - x[3] * math.exp(-t * x[1]) + x[5] * math.exp(-t * x[4]) - y)
    return r


OS2_Y = [1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679,
         0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644,
         0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391,
         0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668,
         0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
         0.428, 0.292, 0.162, 0.098, 0.054]


def osborne2(x):
    r = []
    for i in range(65):
        t = i / 10.0
        r.append(OS2_Y[i] - (x[0] * math.exp(-t * x[4]) + x[1] * math.exp(-((t - x[8]) ** 2) * x[5])
                             + x[2] * math.exp(-((t - x[9]) ** 2) * x[6])
                             + x[3] * math.exp(-((t - x[10]) ** 2) * x[7])))
    return r


def watson(x):
    n = len(x)
    r = []
    for i in range(1, 30):
        t = i / 29.0
        s1 = sum((j - 1) * x[j - 1] * t ** (j - 2) for j in range(2, n + 1))
        s2 = sum(x[j - 1] * t ** (j - 1) for j in range(1, n + 1))
        r.append(s1 - s2 * s2 - 1.0)
    r.append(x[0])
    r.append(x[1] - x[0] ** 2 - 1.0)
    return r


def extended_rosenbrock(x):
    r = []
    for i in range(0, len(x), 2):
        r += [10.0 * (x[i + 1] - x[i] ** 2), 1.0 - x[i]]
    return r


def extended_powell(x):
    r = []
    for i in range(0, len(x), 4):
        r += powell_singular(x[i:i + 4])
    return r


def penalty1(x):
    a = 1e-5
    return [math.sqrt(a) * (xi - 1.0) for xi in x] + [sum(xi * xi for xi in x) - 0.25]


def penalty2(x):
    n = len(x)
    a = 1e-5
    r = [x[0] - 0.2]
    for i in range(2, n + 1):
        y = math.exp(i / 10.0) + math.exp((i - 1) / 10.0)
        r.append(math.sqrt(a) * (math.exp(x[i - 1] / 10.0) + math.exp(x[i - 2] / 10.0) - y))
    for i in range(n + 1, 2 * n):
        r.append(math.sqrt(a) * (math.exp(x[i - n] / 10.0) - math.exp(-1.0 / 10.0)))
    r.append(sum((n - j + 1) * x[j - 1] ** 2 for j in range(1, n + 1)) - 1.0)
    return r


def variably_dimensioned(x):
    s = sum((j + 1) * (xj - 1.0) for j, xj in enumerate(x))
    return [xj - 1.0 for xj in x] + [s, s * s]


def trigonometric(x):
    n = len(x)
    c = sum(math.cos(xj) for xj in x)
    return [n - c + (i + 1) * (1.0 - math.cos(x[i])) - math.sin(x[i]) for i in range(n)]


def brown_almost_linear(x):
    n = len(x)
    s = sum(x)
    r = [x[i] + s - (n + 1) for i in range(n - 1)]
    r.append(math.prod(x) - 1.0)
    return r


def discrete_boundary(x):
    n = len(x)
    h = 1.0 / (n + 1)
    r = []
    for i in range(n):
        t = (i + 1) * h
        lo = x[i - 1] if i > 0 else 0.0
        hi = x[i + 1] if i < n - 1 else 0.0
        r.append(2.0 * x[i] - lo - hi + h * h * (x[i] + t + 1.0) ** 3 / 2.0)
    return r


def discrete_integral(x):
    n = len(x)
    h = 1.0 / (n + 1)
    t = [(j + 1) * h for j in range(n)]
    r = []
    for i in range(n):
        s1 = sum(t[j] * (x[j] + t[j] + 1.0) ** 3 for j in range(i + 1))
        s2 = sum((1.0 - t[j]) * (x[j] + t[j] + 1.0) ** 3 for j in range(i + 1, n))
        r.append(x[i] + h * ((1.0 - t[i]) * s1 + t[i] * s2) / 2.0)
    return r


def broyden_tridiagonal(x):
    n = len(x)
    r = []
    for i in range(n):
        lo = x[i - 1] if i > 0 else 0.0
        hi = x[i + 1] if i < n - 1 else 0.0
        r.append((3.0 - 2.0 * x[i]) * x[i] - lo - 2.0 * hi + 1.0)
    return r


def broyden_banded(x):
    n = len(x)
    r = []
    for i in range(n):
        s = sum(x[j] * (1.0 + x[j]) for j in range(max(0, i - 5), min(n, i + 2)) if j != i)
        r.append(x[i] * (2.0 + 5.0 * x[i] ** 2) + 1.0 - s)
    return r


LIN_M = 20


def linear_full_rank(x):
    n = len(x)
    s = sum(x)
    return [x[i] - 2.0 * s / LIN_M - 1.0 for i in range(n)] + [-2.0 * s / LIN_M - 1.0] * (LIN_M - n)


def linear_rank1(x):
    s = sum((j + 1) * xj for j, xj in enumerate(x))
    return [(i + 1) * s - 1.0 for i in range(LIN_M)]


def linear_rank1_zero(x):
    n = len(x)
    s = sum((j + 1) * x[j] for j in range(1, n - 1))
    return [-1.0] + [i * s - 1.0 for i in range(1, LIN_M - 1)] + [-1.0]


def chebyquad(x):
    n = len(x)
    r = []
    for i in range(1, n + 1):
        s = 0.0
        for xj in x:
            # Shifted Chebyshev polynomial T_i(2x - 1) by the three-term recurrence.
            y = 2.0 * xj - 1.0
            t0, t1 = 1.0, y
            for _ in range(i - 1):
                t0, t1 = t1, 2.0 * y * t1 - t0
            s += t1
        integral = -1.0 / (i * i - 1.0) if i % 2 == 0 else 0.0
        r.append(s / n - integral)
    return r


N = 10
# name, residual function, start, m, the minimum of f = sum r^2 the paper reports (all the
# local minima it lists; the first is the global one where known).
PROBLEMS = [
    ("rosenbrock", rosenbrock, [-1.2, 1.0], 2, [0.0]),
    ("freudenstein_roth", freudenstein_roth, [0.5, -2.0], 2, [0.0, 48.9842]),
    ("powell_badly_scaled", powell_badly_scaled, [0.0, 1.0], 2, [0.0]),
    ("brown_badly_scaled", brown_badly_scaled, [1.0, 1.0], 3, [0.0]),
    ("beale", beale, [1.0, 1.0], 3, [0.0]),
    ("jennrich_sampson", jennrich_sampson, [0.3, 0.4], 10, [124.362]),
    ("helical_valley", helical_valley, [-1.0, 0.0, 0.0], 3, [0.0]),
    ("bard", bard, [1.0, 1.0, 1.0], 15, [8.21487e-3, 17.4286]),
    ("gaussian", gaussian, [0.4, 1.0, 0.0], 15, [1.12793e-8]),
    ("meyer", meyer, [0.02, 4000.0, 250.0], 16, [87.9458]),
    ("gulf", gulf, [5.0, 2.5, 0.15], GULF_M, [0.0]),
    ("box3d", box3d, [0.0, 10.0, 20.0], 10, [0.0]),
    ("powell_singular", powell_singular, [3.0, -1.0, 0.0, 1.0], 4, [0.0]),
    ("wood", wood, [-3.0, -1.0, -3.0, -1.0], 6, [0.0]),
    ("kowalik_osborne", kowalik_osborne, [0.25, 0.39, 0.415, 0.39], 11, [3.07505e-4, 1.02734e-3]),
    ("brown_dennis", brown_dennis, [25.0, 5.0, -5.0, -1.0], 20, [85822.2]),
    ("osborne1", osborne1, [0.5, 1.5, -1.0, 0.01, 0.02], 33, [5.46489e-5]),
    ("biggs_exp6", biggs_exp6, [1.0, 2.0, 1.0, 1.0, 1.0, 1.0], 13, [0.0, 5.65565e-3]),
    ("osborne2", osborne2, [1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5], 65, [4.01377e-2]),
    ("watson6", watson, [0.0] * 6, 31, [2.28767e-3]),
    ("watson9", watson, [0.0] * 9, 31, [1.39976e-6]),
    ("extended_rosenbrock10", extended_rosenbrock, [-1.2, 1.0] * 5, 10, [0.0]),
    ("extended_powell12", extended_powell, [3.0, -1.0, 0.0, 1.0] * 3, 12, [0.0]),
    ("penalty1_10", penalty1, [float(j) for j in range(1, N + 1)], N + 1, [7.08765e-5]),
    ("penalty2_10", penalty2, [0.5] * N, 2 * N, [2.93660e-4]),
    ("variably_dimensioned10", variably_dimensioned, [1.0 - (j + 1) / N for j in range(N)], N + 2, [0.0]),
    ("trigonometric10", trigonometric, [1.0 / N] * N, N, [0.0, 2.79506e-5]),
    ("brown_almost_linear10", brown_almost_linear, [0.5] * N, N, [0.0, 1.0]),
    ("discrete_boundary10", discrete_boundary, [(j + 1) / (N + 1) * ((j + 1) / (N + 1) - 1.0) for j in range(N)], N, [0.0]),
    ("discrete_integral10", discrete_integral, [(j + 1) / (N + 1) * ((j + 1) / (N + 1) - 1.0) for j in range(N)], N, [0.0]),
    ("broyden_tridiagonal10", broyden_tridiagonal, [-1.0] * N, N, [0.0]),
    ("broyden_banded10", broyden_banded, [-1.0] * N, N, [0.0]),
    ("linear_full_rank10", linear_full_rank, [1.0] * N, LIN_M, [float(LIN_M - N)]),
    ("linear_rank1_10", linear_rank1, [1.0] * N, LIN_M, [LIN_M * (LIN_M - 1) / (2.0 * (2 * LIN_M + 1))]),
    ("linear_rank1_zero10", linear_rank1_zero, [1.0] * N, LIN_M, [(LIN_M ** 2 + 3 * LIN_M - 6) / (2.0 * (2 * LIN_M - 3))]),
    ("chebyquad10", chebyquad, [(j + 1) / (N + 1) for j in range(N)], N, [6.50395e-3]),
]


class Counted:
    """Every call of the residual function, whoever makes it (solver or finite differences)."""

    def __init__(self, fun, m):
        self.fun = fun
        self.m = m
        self.calls = 0

    def residuals(self, x):
        self.calls += 1
        with np.errstate(all="ignore"):
            try:
                return np.array(self.fun(list(x)), dtype=float)
            except (OverflowError, ValueError, ZeroDivisionError):
                return np.full(self.m, np.nan)

    def value(self, x):
        r = self.residuals(x)
        return float(np.dot(r, r))


def fmt(v):
    return repr(float(v))


def main():
    print(f"# Moré–Garbow–Hillstrom test set, scipy {scipy.__version__}, numpy {np.__version__}")
    print("# problem <name> n m f(x0) known-minima...")
    print("# <solver> <name> f_final nfev x_final...")
    for name, fun, x0, m, minima in PROBLEMS:
        x0 = np.array(x0, dtype=float)
        n = len(x0)
        r0 = np.array(fun(list(x0)))
        assert len(r0) == m, (name, len(r0), m)
        print("problem", name, n, m, fmt(np.dot(r0, r0)), " ".join(fmt(v) for v in minima))
        c = Counted(fun, m)
        try:
            res = least_squares(c.residuals, x0, method="lm")
            print("lm", name, fmt(2.0 * res.cost), c.calls, " ".join(fmt(v) for v in res.x))
        except Exception as e:  # noqa: BLE001  (recorded as a failure)
            print("lm", name, "nan", c.calls, "#", type(e).__name__, file=sys.stdout)
        for method, tag, options in (
            ("BFGS", "bfgs", {}),
            ("L-BFGS-B", "lbfgs", {}),
            # lossmap's Nelder-Mead is Gao & Han's adaptive one: compare it with scipy's.
            ("Nelder-Mead", "nelder_mead", {"adaptive": True}),
            ("Nelder-Mead", "nelder_mead_standard", {}),
        ):
            c = Counted(fun, m)
            with np.errstate(all="ignore"):
                res = minimize(c.value, x0, method=method, options=options)
            print(tag, name, fmt(res.fun), c.calls, " ".join(fmt(v) for v in res.x))


if __name__ == "__main__":
    main()
