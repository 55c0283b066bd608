"""Evaluations per local polish: scipy L-BFGS-B (the polish of scipy's basinhopping,
dual_annealing and differential_evolution) from points near smooth 2-D minima, in the boxes
of tests/quasi_newton_polish.rs, with analytic gradients and with scipy's default
finite-difference gradients (jac=None: 2-point, n extra values per gradient).

Run: /work/venv/bin/python tests/reference/polish.py > tests/reference/polish.txt
Columns: function start_x start_y nfev_analytic nfev_fd fun_analytic fun_fd
"""
import numpy as np
import scipy
from scipy.optimize import minimize


def himmelblau(v):
    x, y = v
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_g(v):
    x, y = v
    u, w = x * x + y - 11, x + y * y - 7
    return np.array([4 * x * u + 2 * w, 2 * u + 4 * y * w])


def rosen(v):
    x, y = v
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosen_g(v):
    x, y = v
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


BEALE = [(1.5, 1), (2.25, 2), (2.625, 3)]


def beale(v):
    x, y = v
    return sum((c - x + x * y ** k) ** 2 for c, k in BEALE)


def beale_g(v):
    x, y = v
    gx = gy = 0.0
    for c, k in BEALE:
        u = c - x + x * y ** k
        gx += 2 * u * (y ** k - 1)
        gy += 2 * u * k * x * y ** (k - 1)
    return np.array([gx, gy])


def booth(v):
    x, y = v
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def booth_g(v):
    x, y = v
    u, w = x + 2 * y - 7, 2 * x + y - 5
    return np.array([2 * u + 4 * w, 4 * u + 2 * w])


HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286170),
    (3.584428340330492, -1.848126526964403),
]
FUNCTIONS = [
    ("himmelblau", himmelblau, himmelblau_g, [(-5, 5), (-5, 5)], HIMMELBLAU_MINIMA),
    ("rosenbrock", rosen, rosen_g, [(-2, 2), (-1, 3)], [(1.0, 1.0)]),
    ("beale", beale, beale_g, [(-4.5, 4.5), (-4.5, 4.5)], [(3.0, 0.5)]),
    ("booth", booth, booth_g, [(-10, 10), (-10, 10)], [(1.0, 3.0)]),
]
OFFSETS = [(0.3, -0.2), (-0.25, 0.35), (0.1, 0.4)]

print(f"# scipy {scipy.__version__}, numpy {np.__version__}")
print("# function start_x start_y nfev_analytic nfev_fd fun_analytic fun_fd")
for name, f, g, box, minima in FUNCTIONS:
    for m in minima:
        for dx, dy in OFFSETS:
            x0 = np.array([m[0] + dx, m[1] + dy])
            ra = minimize(f, x0, jac=g, method="L-BFGS-B", bounds=box)
            rf = minimize(f, x0, method="L-BFGS-B", bounds=box)
            print(f"{name} {x0[0]:.17g} {x0[1]:.17g} {ra.nfev} {rf.nfev} {ra.fun:.6e} {rf.fun:.6e}")
