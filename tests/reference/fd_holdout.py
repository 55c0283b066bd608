"""A held-out set for the adaptive first derivative: functions not in tests/fd_hard.rs's set nor
in the zoo (src/testfn), exact gradients, numdifftools' default gradients and the floor of the
returned formula at every point.

Functions (Moré, Garbow & Hillstrom, "Testing unconstrained optimization software", ACM TOMS
7(1), 1981, problems 6, 7, 8, 10, 12, 15, 16, 17, 18, 20, 23, 24, 25, 26; Jamil & Yang, "A
literature survey of benchmark functions for global optimization problems", 2013: Levy,
Zakharov, Dixon-Price), each written once below as a sum of squares evaluated left to right so
that tests/fd_holdout.rs transliterates the same operations:

    helical (n=3, atan2 form), box3d (3), bard (3), meyer (3, badly scaled, |f| up to 1e9),
    biggs6 (6), watson (6), penalty1 (4), penalty2 (4), browndennis (4, |f| ~ 1e5..1e7),
    trig (5), vardim (5), kowalik (4, rational), osborne1 (5), jennrich (2, exp(10x)),
    levy (3), zakharov (4), dixonprice (3)

Points: minima (known in closed form, or refined: scipy.optimize.root on the gradient and then
Newton in 50-digit mpmath, rounded to doubles; the derivatives are exact at the rounded point)
and generic points (MGH's standard starts where the function is smooth there), a refined
critical point of trig and levy labelled by its Hessian's eigenvalues; each scaled by 1e-3, 1
and 1e3.

* exact: sympy differentiates the expression built from the double constants the f64 code uses
  (a Python float becomes a sympy Float of that exact value), evaluated by mpmath at 50 digits;
* numdifftools 0.11.2 defaults, `nd.Gradient(f)(x)`, every call of f counted;
* floor (as tests/reference/fd_floor.py): the least error of the two-term Richardson
  extrapolation R2 = (64 D(h/4) - 20 D(h/2) + D(h))/45 of central differences with f64 values
  over h = max(|x_i|, 1)·2^(-k/8), k = -16 .. 400, "best" the minimum and "robust" the minimum
  over h of the largest error within a factor 2^(1/2) of h (the max over entries, metric as
  below); also the central difference alone, and the rounding of f in f64 against mpmath at 64
  points near x (largest |error|, and in units of eps·|f(x)|).

Error norm (as tests/fd_hard.rs): max|g_est - g| / max(max|g|, c), c the scale factor.

Output lines (whitespace separated):
    case <function> <point> <scale> <n> x[n] f g[n] nd_err nd_evals
         central_best central_robust rich_best rich_robust noise_abs noise_eps

Run: /work/venv/bin/python tests/reference/fd_holdout.py > tests/reference/fd_holdout.txt
"""

import math
import sys
import types
import warnings

import mpmath as mp
import numdifftools as nd
import numpy as np
import scipy.optimize
import sympy as sp

mp.mp.dps = 50
PI = math.pi  # the double the f64 code uses, in every precision

FLOAT = types.SimpleNamespace(exp=math.exp, sin=math.sin, cos=math.cos, atan2=math.atan2, sqrt=math.sqrt)
SYM = types.SimpleNamespace(exp=sp.exp, sin=sp.sin, cos=sp.cos, atan2=sp.atan2, sqrt=sp.sqrt)
MP = types.SimpleNamespace(exp=mp.exp, sin=mp.sin, cos=mp.cos, atan2=mp.atan2, sqrt=mp.sqrt)


def sq(v):
    return v * v


def helical(x, m):
    theta = m.atan2(x[1], x[0]) / (2.0 * PI)
    r = m.sqrt(x[0] * x[0] + x[1] * x[1])
    return 100.0 * (sq(x[2] - 10.0 * theta) + sq(r - 1.0)) + x[2] * x[2]


def box3d(x, m):
    f = 0
    for i in range(1, 11):
        t = 0.1 * i
        c = math.exp(-t) - math.exp(-10.0 * t)
        f = f + sq(m.exp(-t * x[0]) - m.exp(-t * x[1]) - x[2] * c)
    return f


BARD_Y = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]


def bard(x, m):
    f = 0
    for i in range(1, 16):
        u, v = float(i), float(16 - i)
        w = min(u, v)
        f = f + sq(BARD_Y[i - 1] - (x[0] + u / (v * x[1] + w * x[2])))
    return f


MEYER_Y = [34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0, 7030.0,
           6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0]


def meyer(x, m):
    f = 0
    for i in range(1, 17):
        t = 45.0 + 5.0 * i
        f = f + sq(x[0] * m.exp(x[1] / (t + x[2])) - MEYER_Y[i - 1])
    return f


def biggs6(x, m):
    f = 0
    for i in range(1, 14):
        t = 0.1 * i
        y = math.exp(-t) - 5.0 * math.exp(-10.0 * t) + 3.0 * math.exp(-4.0 * t)
        f = f + sq(x[2] * m.exp(-t * x[0]) - x[3] * m.exp(-t * x[1]) + x[5] * m.exp(-t * x[4]) - y)
    return f


def watson(x, m):
    n = len(x)
    f = 0
    for i in range(1, 30):
        t = i / 29.0
        s1, s2, p, q = 0, 0, 1.0, 0.0  # p = t^j, q = t^(j-1), as doubles
        for j in range(n):
            if j > 0:
                s1 = s1 + (j * q) * x[j]
            s2 = s2 + p * x[j]
            q = p
            p = p * t
        f = f + sq(s1 - s2 * s2 - 1.0)
    return f + x[0] * x[0] + sq(x[1] - x[0] * x[0] - 1.0)


def penalty1(x, m):
    s, q = 0, 0
    for v in x:
        s = s + sq(v - 1.0)
        q = q + v * v
    return 1e-5 * s + sq(q - 0.25)


def penalty2(x, m):
    n = len(x)
    f = sq(x[0] - 0.2)
    a = 0
    for i in range(1, n):
        y = math.exp((i + 1) / 10.0) + math.exp(i / 10.0)
        e = m.exp(x[i] / 10.0)
        a = a + sq(e + m.exp(x[i - 1] / 10.0) - y) + sq(e - math.exp(-0.1))
    q = 0
    for j in range(n):
        q = q + float(n - j) * x[j] * x[j]
    return f + 1e-5 * a + sq(q - 1.0)


def browndennis(x, m):
    f = 0
    for i in range(1, 21):
        t = i / 5.0
        f = f + sq(sq(x[0] + t * x[1] - math.exp(t)) + sq(x[2] + x[3] * math.sin(t) - math.cos(t)))
    return f


def trig(x, m):
    n = len(x)
    c = 0
    for v in x:
        c = c + m.cos(v)
    f = 0
    for i in range(n):
        f = f + sq(float(n) - c + float(i + 1) * (1.0 - m.cos(x[i])) - m.sin(x[i]))
    return f


def vardim(x, m):
    s, r = 0, 0
    for j, v in enumerate(x):
        s = s + sq(v - 1.0)
        r = r + float(j + 1) * (v - 1.0)
    return s + r * r + sq(r * r)


KO_Y = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
KO_U = [4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625]


def kowalik(x, m):
    f = 0
    for y, u in zip(KO_Y, KO_U):
        f = f + sq(y - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3]))
    return f


OS1_Y = [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718,
         0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467,
         0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]


def osborne1(x, m):
    f = 0
    for i, y in enumerate(OS1_Y):
        t = 10.0 * i
        f = f + sq(y - (x[0] + x[1] * m.exp(-t * x[3]) + x[2] * m.exp(-t * x[4])))
    return f


def jennrich(x, m):
    f = 0
    for i in range(1, 11):
        k = float(i)
        f = f + sq(2.0 + 2.0 * k - (m.exp(k * x[0]) + m.exp(k * x[1])))
    return f


def levy(x, m):
    n = len(x)
    w = [1.0 + (v - 1.0) / 4.0 for v in x]
    f = sq(m.sin(PI * w[0]))
    for i in range(n - 1):
        f = f + sq(w[i] - 1.0) * (1.0 + 10.0 * sq(m.sin(PI * w[i] + 1.0)))
    return f + sq(w[n - 1] - 1.0) * (1.0 + sq(m.sin(2.0 * PI * w[n - 1])))


def zakharov(x, m):
    q, s = 0, 0
    for i, v in enumerate(x):
        q = q + v * v
        s = s + 0.5 * float(i + 1) * v
    return q + s * s + sq(s * s)


def dixonprice(x, m):
    f = sq(x[0] - 1.0)
    for i in range(1, len(x)):
        f = f + float(i + 1) * sq(2.0 * x[i] * x[i] - x[i - 1])
    return f


def dp_min(n):
    return [2.0 ** (-(2.0 ** i - 2.0) / 2.0 ** i) for i in range(1, n + 1)]


# name: (function, n, [(label, point, refine)])
SET = {
    "helical": (helical, 3, [("min", [1.0, 0.0, 0.0], False), ("generic", [0.7, 0.9, 0.8], False)]),
    "box3d": (box3d, 3, [("min", [1.0, 10.0, 1.0], False), ("generic", [0.0, 10.0, 20.0], False)]),
    "bard": (bard, 3, [("min", [0.0824, 1.133, 2.344], True), ("generic", [1.0, 1.0, 1.0], False)]),
    "meyer": (meyer, 3, [("min", [0.0056096, 6181.35, 345.224], True), ("generic", [0.02, 4000.0, 250.0], False)]),
    "biggs6": (biggs6, 6, [("min", [1.0, 10.0, 1.0, 5.0, 4.0, 3.0], False), ("generic", [1.0, 2.0, 1.0, 1.0, 1.0, 1.0], False)]),
    "watson": (watson, 6, [("min", [-0.0157, 1.0124, -0.2326, 1.2604, -1.5137, 0.9930], True), ("generic", [0.0] * 6, False)]),
    "penalty1": (penalty1, 4, [("min", [0.25, 0.25, 0.25, 0.25], True), ("generic", [1.0, 2.0, 3.0, 4.0], False)]),
    "penalty2": (penalty2, 4, [("min", [0.2, 0.4, 0.3, 0.5], True), ("generic", [0.5] * 4, False)]),
    "browndennis": (browndennis, 4, [("min", [-11.594, 13.204, -0.4034, 0.2368], True), ("generic", [25.0, 5.0, -5.0, -1.0], False)]),
    "trig": (trig, 5, [("generic", [0.2] * 5, False), ("critical", [0.05, 0.05, 0.05, 0.3, 0.2], True)]),
    "vardim": (vardim, 5, [("min", [1.0] * 5, False), ("generic", [0.8, 0.6, 0.4, 0.2, 0.0], False)]),
    "kowalik": (kowalik, 4, [("min", [0.19281, 0.19128, 0.12306, 0.13606], True), ("generic", [0.25, 0.39, 0.415, 0.39], False)]),
    "osborne1": (osborne1, 5, [("min", [0.3754, 1.9358, -1.4647, 0.01287, 0.02212], True), ("generic", [0.5, 1.5, -1.0, 0.01, 0.02], False)]),
    "jennrich": (jennrich, 2, [("min", [0.2578, 0.2578], True), ("generic", [0.3, 0.4], False)]),
    "levy": (levy, 3, [("min", [1.0, 1.0, 1.0], False), ("generic", [-2.3, 0.7, 3.1], False), ("critical", [2.0, 1.0, 1.0], True)]),
    "zakharov": (zakharov, 4, [("min", [0.0] * 4, False), ("generic", [1.0, -0.5, 2.0, 0.3], False)]),
    "dixonprice": (dixonprice, 3, [("min", dp_min(3), False), ("generic", [2.0, -1.0, 0.5], False)]),
}

SCALES = [1e-3, 1.0, 1e3]


def fmt(v):
    return "%.17g" % float(v)


def refine(fn, n, start, xs, grad_mp, hess_mp):
    """A critical point near `start`: scipy's root of the gradient, then mpmath Newton."""
    g_np = sp.lambdify([xs], sp.Matrix(grad_mp[0]), "numpy")
    h_np = sp.lambdify([xs], sp.Matrix(hess_mp[0]), "numpy")
    sol = scipy.optimize.root(lambda v: np.array(g_np(v), dtype=float).ravel(), start,
                              jac=lambda v: np.array(h_np(v), dtype=float), tol=1e-15)
    v = mp.matrix([mp.mpf(float(a)) for a in sol.x])
    for _ in range(30):
        vl = [v[i] for i in range(n)]
        g = mp.matrix(grad_mp[1](vl))
        hm = mp.matrix(hess_mp[1](vl))
        step = mp.lu_solve(hm, g)
        v = v - step
        if mp.norm(step) < mp.mpf(10) ** -40 * (1 + mp.norm(v)):
            break
    return [float(v[i]) for i in range(n)]


def value(fn, x, scale):
    return scale * fn([float(v) for v in x], FLOAT)


def noise(fn, x, scale, fx):
    eps = np.finfo(np.float64).eps
    worst = 0.0
    for i in range(len(x)):
        s = max(abs(x[i]), 1.0)
        for k in range(-32, 32):
            xp = list(x)
            xp[i] = xp[i] + k * 1e-6 * s / 32
            ft = value(fn, xp, scale)
            fe = mp.mpf(scale) * fn([mp.mpf(v) for v in xp], MP)
            worst = max(worst, abs(float(mp.mpf(ft) - fe)))
    return worst, worst / (eps * max(abs(fx), 1e-300))


def steps():
    return [2.0 ** (-k / 8.0) for k in range(-16, 8 * 50)]


def scan(errs):
    best = min(errs)
    robust = min(max(errs[max(0, k - 4):k + 5]) for k in range(len(errs)))
    return best, robust


def rich(d0, d1, d2):
    return (64 * d2 - 20 * d1 + d0) / 45


def floor(fn, x, scale, g):
    denom = max(max(abs(v) for v in g), scale)
    out_c, out_r = [], []
    for i in range(len(x)):
        s = max(abs(x[i]), 1.0)
        d = []
        for rel in steps():
            xi = x[i]
            h = (xi + rel * s) - xi
            xp, xm = list(x), list(x)
            xp[i] = xi + h
            xm[i] = xi - h
            try:
                d.append((value(fn, xp, scale) - value(fn, xm, scale)) / (2 * h))
            except (OverflowError, ValueError, ZeroDivisionError):
                d.append(math.inf)
        ec = [abs(v - g[i]) if math.isfinite(v) else math.inf for v in d]
        er = [abs(rich(d[k], d[k + 8], d[k + 16]) - g[i]) if all(map(math.isfinite, (d[k], d[k + 8], d[k + 16])))
              else math.inf for k in range(len(d) - 16)]
        out_c.append(scan(ec))
        out_r.append(scan(er))
    pick = lambda rows, j: max(r[j] for r in rows) / denom
    return pick(out_c, 0), pick(out_c, 1), pick(out_r, 0), pick(out_r, 1)


def main():
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    out = sys.stdout
    out.write("# generated by tests/reference/fd_holdout.py (sympy %s, mpmath %s, numdifftools %s, numpy %s)\n"
              % (sp.__version__, mp.__version__, nd.__version__, np.__version__))
    out.write("# case name point scale n x[n] f g[n] nd_err nd_evals central_best central_robust "
              "rich_best rich_robust noise_abs noise_eps\n")
    for name, (fn, n, points) in SET.items():
        xs = sp.symbols("x0:%d" % n)
        expr = fn(list(xs), SYM)
        grad = [sp.diff(expr, v) for v in xs]
        g_mp = sp.lambdify([xs], grad, "mpmath")
        f_mp = sp.lambdify([xs], expr, "mpmath")
        hess = None
        for label, start, refine_it in points:
            if refine_it:
                if hess is None:
                    hess = [[sp.diff(gi, v) for v in xs] for gi in grad]
                h_mp = sp.lambdify([xs], hess, "mpmath")
                pt = refine(fn, n, start, xs, (grad, g_mp), (hess, h_mp))
                hv = np.array([[float(e) for e in row] for row in h_mp([mp.mpf(v) for v in pt])])
                eig = np.linalg.eigvalsh(hv)
                label = "min" if eig.min() > 0 else ("max" if eig.max() < 0 else "saddle")
                sys.stderr.write("%s %s %s eig %s\n" % (name, label, pt, eig))
            else:
                pt = [float(v) for v in start]
            xm = [mp.mpf(v) for v in pt]
            fv = f_mp(xm)
            gv = g_mp(xm)
            fcheck = fn(xm, MP)
            # sympy folds Float constants at 53 bits: the expression differentiated is the f64 one
            # up to that rounding of its constants.
            assert abs(fv - fcheck) <= 1e-14 * (1 + abs(fv)), (name, fv, fcheck)
            for c in SCALES:
                cm = mp.mpf(c)
                g_ex = [float(cm * v) for v in gv]
                calls = [0]

                def fc(v, c=c):
                    calls[0] += 1
                    try:
                        return value(fn, v, c)
                    except (OverflowError, ZeroDivisionError):  # a pole crossed by a large step
                        return math.nan

                g_nd = nd.Gradient(fc)(np.array(pt))
                g_calls = calls[0]
                nd_err = np.max(np.abs(np.atleast_1d(g_nd) - g_ex)) / max(max(abs(v) for v in g_ex), c)
                f_ex = float(cm * fv)
                cb, cr, rb, rr = floor(fn, pt, c, g_ex)
                na, ne = noise(fn, pt, c, f_ex)
                fields = ["case", name, label, fmt(c), str(n)]
                fields += [fmt(v) for v in pt]
                fields.append(fmt(f_ex))
                fields += [fmt(v) for v in g_ex]
                fields += ["%.3e" % nd_err, str(g_calls)]
                fields += ["%.2e" % v for v in (cb, cr, rb, rr, na, ne)]
                out.write(" ".join(fields) + "\n")
                out.flush()


if __name__ == "__main__":
    main()
