"""scipy.optimize.minimize (BFGS, L-BFGS-B, adaptive Nelder-Mead) on the problems of
tests/quasi_newton.rs, from the same starts, with analytic gradients and scipy's defaults.

Run: /work/venv/bin/python tests/reference/quasi_newton.py > tests/reference/quasi_newton.txt
Columns: method problem nit nfev njev fun (nfev counts function values, njev gradients; for
L-BFGS-B scipy evaluates both at every trial point, so nfev = njev).
"""
import numpy as np
import scipy
from scipy.optimize import minimize


def rosen(x):
    return sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosen_g(x):
    g = np.zeros_like(x)
    d = x[1:] - x[:-1] ** 2
    g[:-1] += -400.0 * x[:-1] * d - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * d
    return g


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


def himmelblau(v):
    x, y = v
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_g(v):
    x, y = v
    u, w = x * x + y - 11, x + y * y - 7
    return np.array([4 * x * u + 2 * w, 2 * u + 4 * y * w])


# A convex quadratic ½xᵀAx − bᵀx in 4-D.
A = np.array([[4.0, 1, 0, 0], [1, 3, 1, 0], [0, 1, 2, 1], [0, 0, 1, 5]])
B = np.array([1.0, -2, 3, -4])


def quad(x):
    return 0.5 * x @ A @ x - B @ x


def quad_g(x):
    return A @ x - B


PROBLEMS = [
    ("rosenbrock", rosen, rosen_g, [-1.2, 1.0]),
    ("beale", beale, beale_g, [1.0, 1.0]),
    ("himmelblau_a", himmelblau, himmelblau_g, [2.5, 2.5]),
    ("himmelblau_b", himmelblau, himmelblau_g, [-2.5, 2.5]),
    ("himmelblau_c", himmelblau, himmelblau_g, [-3.0, -3.0]),
    ("himmelblau_d", himmelblau, himmelblau_g, [3.0, -1.5]),
    ("rosenbrock10", rosen, rosen_g, [-1.2, 1.0] * 5),
    ("quadratic4", quad, quad_g, [0.0, 0.0, 0.0, 0.0]),
]

print(f"# scipy {scipy.__version__}, numpy {np.__version__}")
print("# method problem nit nfev njev fun x...")
for name, f, g, x0 in PROBLEMS:
    x0 = np.array(x0, dtype=float)
    for method in ["BFGS", "L-BFGS-B", "Nelder-Mead"]:
        if method == "Nelder-Mead":
            r = minimize(f, x0, method=method, options={"adaptive": True})
            njev = 0
        else:
            r = minimize(f, x0, jac=g, method=method)
            njev = r.njev
        xs = " ".join(f"{v:.12g}" for v in r.x)
        print(f"{method} {name} {r.nit} {r.nfev} {njev} {r.fun:.6e} {xs}")

# A bound-constrained QP: ½xᵀQx − cᵀx on [0, 1]⁶, Q tridiagonal (4 on the diagonal, −1 off it),
# c chosen so that some bounds are active at the solution. Solved to pgtol 1e-12.
Q = 4.0 * np.eye(6) - np.eye(6, k=1) - np.eye(6, k=-1)
C = np.array([6.0, -3.0, 1.0, 5.0, -1.0, 2.0])
rq = minimize(lambda x: 0.5 * x @ Q @ x - C @ x, np.full(6, 0.5), jac=lambda x: Q @ x - C,
              method="L-BFGS-B", bounds=[(0.0, 1.0)] * 6,
              options={"gtol": 1e-12, "ftol": 0.0})
print("bounded_qp " + " ".join(f"{v:.15g}" for v in rq.x) + f" {rq.fun:.15g}")
