"""Hard finite-difference cases: exact gradients and Hessians (sympy, 50-digit arithmetic,
printed as 17-digit decimals) and numdifftools' default results on the same points.

Each function is also scaled by 1e-3 and 1e3. The points are minima, saddles and generic
points; minima and saddles not known in closed form are refined with sympy's nsolve in
50 digits and then rounded to 17 digits (the derivatives are exact at the rounded point).

numdifftools 0.11.2 with its defaults: `nd.Gradient(f)(x)` and `nd.Hessian(f)(x)`, every call
of f counted by one wrapper. The error norm (the same in tests/fd_hard.rs):
    gradient: max|g_est - g| / max(max|g|, c)
    Hessian:  max|H_est - H| / max(max|H|, c)
where c is the scale factor applied to the function (1e-3, 1 or 1e3): at a critical point
g = 0 and the error is measured against the unit of the function.

Output lines (whitespace separated):
    case <function> <point> <scale> <n> x[n] f g[n] H[n*n] nd_grad_err nd_grad_evals
         nd_hess_err nd_hess_evals

Run: /work/venv/bin/python tests/reference/fd_hard.py > tests/reference/fd_hard.txt
"""

import sys
import warnings

import mpmath
import numdifftools as nd
import numpy as np
import scipy.optimize
import sympy as sp

mpmath.mp.dps = 50
X = sp.symbols("x0:4")


def fns():
    x0, x1, x2, x3 = X
    return [
        # exp-sum: large third derivatives (27 e^{3x}), |f| >> 1 away from the minimum.
        ("expsum", 2, sp.exp(3 * x0) + sp.exp(-2 * x0) + sp.exp(2 * x1) + sp.exp(-x1) + sp.exp(x0 + x1)),
        # A degree-9 polynomial with large coefficients.
        ("poly9", 2, 3 * x0**9 - 40 * x0**5 * x1**2 + 250 * x1**4 + 700 * x0**2 - 90 * x0 * x1 + 5 * x1**6),
        # Products of exponentials and trigonometric functions, frequencies 5 and 3.
        ("exptrig", 2, sp.exp(x0) * sp.sin(5 * x1) + sp.cos(3 * x0 * x1) * sp.exp(-x1 / 2)),
        # Badly scaled quadratic + quartic: x0 lives on a 1e-3 scale, x1 on a 1e3 scale.
        ("scaledquartic", 2, (1e3 * x0) ** 2 + (1e3 * x0) ** 4 + (x1 / 1e3) ** 2 + (x1 / 1e3) ** 4 + (1e3 * x0) * (x1 / 1e3)),
        # Rosenbrock: f''' = 2400 at the minimum.
        ("rosenbrock", 2, 100 * (x1 - x0**2) ** 2 + (1 - x0) ** 2),
        ("beale", 2, (sp.Rational(3, 2) - x0 + x0 * x1) ** 2 + (sp.Rational(9, 4) - x0 + x0 * x1**2) ** 2 + (sp.Rational(21, 8) - x0 + x0 * x1**3) ** 2),
        ("powell", 4, (x0 + 10 * x1) ** 2 + 5 * (x2 - x3) ** 2 + (x1 - 2 * x2) ** 4 + 10 * (x0 - x3) ** 4),
        ("wood", 4, 100 * (x1 - x0**2) ** 2 + (1 - x0) ** 2 + 90 * (x3 - x2**2) ** 2 + (1 - x2) ** 2
            + sp.Rational(101, 10) * ((x1 - 1) ** 2 + (x3 - 1) ** 2) + sp.Rational(198, 10) * (x1 - 1) * (x3 - 1)),
        # Log-barrier of the simplex x0, x1 > 0, x0 + x1 < 1, plus a linear term.
        ("logbarrier", 2, -sp.log(x0) - sp.log(x1) - sp.log(1 - x0 - x1) + 3 * x0 - x1),
        # Monkey saddle plus a quadratic: a saddle at 0, third derivatives 6.
        ("monkey", 2, x0**3 - 3 * x0 * x1**2 + x0**2 - x1**2),
        # Goldstein-Price: degree 8, |f| up to 1e6 on [-2, 2]^2.
        ("goldsteinprice", 2, (1 + (x0 + x1 + 1) ** 2 * (19 - 14 * x0 + 3 * x0**2 - 14 * x1 + 6 * x0 * x1 + 3 * x1**2))
            * (30 + (2 * x0 - 3 * x1) ** 2 * (18 - 32 * x0 + 12 * x0**2 + 48 * x1 - 36 * x0 * x1 + 27 * x1**2))),
        # Brown badly scaled (MGH 4): minimum at (1e6, 2e-6).
        ("brown", 2, (x0 - 1e6) ** 2 + (x1 - 2e-6) ** 2 + (x0 * x1 - 2) ** 2),
        # High-frequency trigonometric bowl: third derivatives 1000.
        ("sincos10", 2, sp.sin(10 * x0) * sp.cos(10 * x1) + (x0**2 + x1**2) / 10),
        # Freudenstein-Roth (MGH 2) as a sum of squares.
        ("freudenstein", 2, (-13 + x0 + ((5 - x1) * x1 - 2) * x1) ** 2 + (-29 + x0 + ((x1 + 1) * x1 - 14) * x1) ** 2),
    ]


# Points: (label, start for nsolve or exact point, refine?)
POINTS = {
    "expsum": [("min", [0.1, 0.1], True), ("generic", [1.2, -0.8], False)],
    "poly9": [("min", [0.0, 0.0], False), ("generic", [1.3, -0.7], False), ("critical", [-1.5, 1.3], True)],
    "exptrig": [("generic", [0.4, 1.1], False), ("critical", [0.0, 0.3], True)],
    "scaledquartic": [("min", [0.0, 0.0], False), ("generic", [1.5e-3, -800.0], False)],
    "rosenbrock": [("min", [1.0, 1.0], False), ("generic", [-1.2, 1.0], False)],
    "beale": [("min", [3.0, 0.5], False), ("generic", [1.0, 1.0], False)],
    "powell": [("min", [0.0, 0.0, 0.0, 0.0], False), ("generic", [3.0, -1.0, 0.0, 1.0], False)],
    "wood": [("min", [1.0, 1.0, 1.0, 1.0], False), ("generic", [-3.0, -1.0, -3.0, -1.0], False)],
    "logbarrier": [("min", [0.2, 0.4], True), ("edge", [1e-3, 0.5], False)],
    "monkey": [("saddle", [0.0, 0.0], False), ("generic", [0.7, -0.4], False)],
    "goldsteinprice": [("min", [0.0, -1.0], False), ("generic", [1.2, 0.8], False), ("saddle", [-0.4, -0.6], True)],
    "brown": [("min", [1e6, 2e-6], False), ("generic", [5e5, 1e-5], False)],
    "sincos10": [("generic", [0.33, -0.21], False), ("min", [-0.15, 0.0], True)],
    "freudenstein": [("min", [5.0, 4.0], False), ("localmin", [11.41, -0.8968], True)],
}

SCALES = [1e-3, 1.0, 1e3]


def fmt(v):
    return "%.17g" % float(v)


def main():
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    out = sys.stdout
    out.write("# generated by tests/reference/fd_hard.py (sympy %s, numdifftools %s, numpy %s)\n"
              % (sp.__version__, nd.__version__, np.__version__))
    for name, n, expr in fns():
        xs = X[:n]
        grad = [sp.diff(expr, v) for v in xs]
        hess = [[sp.diff(gi, v) for v in xs] for gi in grad]
        f_num = sp.lambdify([xs], expr, "numpy")
        for label, start, refine in POINTS[name]:
            if refine:
                g_num = sp.lambdify([xs], grad, "numpy")
                guess = scipy.optimize.root(lambda v: np.array(g_num(v), dtype=float), start, tol=1e-14).x
                sol = sp.nsolve(grad, xs, list(guess), prec=50)
                pt = [float(sol[i]) for i in range(n)]
            else:
                pt = [float(v) for v in start]
            sub = {v: sp.Float(repr(pt[i]), 50) for i, v in enumerate(xs)}
            fv = sp.N(expr.subs(sub), 50)
            if refine:
                eig = np.linalg.eigvalsh(np.array([[float(sp.N(hij.subs(sub), 30)) for hij in row] for row in hess]))
                label = "min" if eig.min() > 0 else ("max" if eig.max() < 0 else "saddle")
            gv = [sp.N(gi.subs(sub), 50) for gi in grad]
            hv = [[sp.N(hij.subs(sub), 50) for hij in row] for row in hess]
            for c in SCALES:
                cc = sp.Float(repr(c), 50)
                g_ex = np.array([float(cc * gi) for gi in gv])
                h_ex = np.array([[float(cc * hij) for hij in row] for row in hv])
                calls = [0]

                def fc(x, c=c):
                    calls[0] += 1
                    return c * f_num(x)

                calls[0] = 0
                g_nd = nd.Gradient(fc)(np.array(pt))
                g_calls = calls[0]
                calls[0] = 0
                h_nd = nd.Hessian(fc)(np.array(pt))
                h_calls = calls[0]
                g_err = np.max(np.abs(g_nd - g_ex)) / max(np.max(np.abs(g_ex)), c)
                h_err = np.max(np.abs(h_nd - h_ex)) / max(np.max(np.abs(h_ex)), c)
                fields = ["case", name, label, fmt(c), str(n)]
                fields += [fmt(v) for v in pt]
                fields.append(fmt(cc * fv))
                fields += [fmt(v) for v in g_ex]
                fields += [fmt(v) for v in h_ex.ravel()]
                fields += ["%.3e" % g_err, str(g_calls), "%.3e" % h_err, str(h_calls)]
                out.write(" ".join(fields) + "\n")


if __name__ == "__main__":
    main()
