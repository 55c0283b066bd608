"""The global-search benchmark's scipy side: fifteen standard global-optimization functions
(Jamil & Yang 2013, "A literature survey of benchmark functions for global optimization";
Surjanovic & Bingham, "Virtual Library of Simulation Experiments: test functions"), the same
formulas as tests/global_bench/functions.rs, run through scipy's `dual_annealing`,
`differential_evolution`, `basinhopping` and `shgo` under one counting wrapper.

Protocol (tests/global_bench.rs runs lossmap's methods under the same one):
* budget per function: 5 000 x dimension evaluations (2-D 10 000 ... 10-D 50 000);
* one counting wrapper: every loss value and every gradient call counts one evaluation (a
  finite-difference gradient counts its loss values); past the budget the wrapper raises, so
  a method never gets more; a run succeeds when a loss evaluated inside the box is below
  f* + tol with tol = 1e-6 * max(1, |f*|) (absolute 1e-6 for |f*| <= 1, relative above), and
  "evals" is the wrapper's count at that first success (the wrapper then stops the method);
* gradients: analytic for the smooth functions (scipy's L-BFGS-B gets them through `jac`);
  Eggholder, Holder table and Cross-in-tray are not differentiable everywhere (|.|, sqrt|.|)
  and get none: L-BFGS-B's own forward differences (N loss values per gradient);
* x0: a point drawn uniformly in the box with numpy's default_rng(seed), seeds 0..99, the
  same generator then drives the method (`rng=`);
* scipy's defaults otherwise, with L-BFGS-B (jac, bounds) as every method's local search:
  - dual_annealing: maxiter 1000, initial_temp 5230, restart_temp_ratio 2e-5, visit 2.62,
    accept -5, maxfun = budget, local search iterations min(max(6n, 100), 1000) as scipy
    sets them;
  - differential_evolution: best1bin, popsize 15, mutation (0.5, 1), recombination 0.7,
    tol 0.01, latinhypercube, maxiter 1000, x0 in the population, L-BFGS-B polish;
  - basinhopping: T 1, stepsize 0.5 (adaptive, interval 50), niter raised to 10**9 so that
    the budget, not the hop count (default 100), ends a run;
  - shgo: deterministic (its Sobol and Halton engines have a fixed seed, the simplicial
    sampling has none), so one run: simplicial sampling, options maxfev = budget so that
    it iterates until the budget instead of the default single iteration.

Output (tests/reference/global_bench.txt), whitespace-separated lines after '#' comments:
  fstar <name> <dim> <f*> <tol> <budget> <gradient: analytic|fd>
  point <name> <dim> <x_1..x_n> f <f(x)> g <df/dx_1..n | - for fd>
  result <name> <method> <runs> <successes> <mean evals to success (0 if none)> <mean best gap at end>
    <least best gap>
Run: nice /work/venv/bin/python tests/reference/global_bench.py > tests/reference/global_bench.txt
(arguments: names of the functions to run, all by default; the fstar and point lines are always
written). Run time: about 12 min of CPU (one BLAS thread); the failing runs of basinhopping
(Eggholder, Holder table, Cross-in-tray, Michalewicz 5/10-D) and shgo's 10-D simplicial
sampling take most of it.
"""
import math
import os
import sys
import time

# One BLAS thread: L-BFGS-B's small dense products gain nothing from more, and OpenBLAS's
# spinning threads slow it tenfold on a loaded machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy
from scipy.optimize import (basinhopping, differential_evolution, dual_annealing, minimize,
                            shgo)

SEEDS = 100
PI = math.pi


# ---------------------------------------------------------------- functions (value, gradient)

def branin(x):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * PI * PI), 5 / PI, 6.0, 10.0, 1 / (8 * PI)
    h = x[1] - b * x[0] ** 2 + c * x[0] - r
    return a * h * h + s * (1 - t) * math.cos(x[0]) + s


def branin_g(x):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * PI * PI), 5 / PI, 6.0, 10.0, 1 / (8 * PI)
    h = x[1] - b * x[0] ** 2 + c * x[0] - r
    return np.array([2 * a * h * (-2 * b * x[0] + c) - s * (1 - t) * math.sin(x[0]), 2 * a * h])


def _gp_parts(x):
    x1, x2 = x
    u = x1 + x2 + 1
    p = 19 - 14 * x1 + 3 * x1 * x1 - 14 * x2 + 6 * x1 * x2 + 3 * x2 * x2
    v = 2 * x1 - 3 * x2
    q = 18 - 32 * x1 + 12 * x1 * x1 + 48 * x2 - 36 * x1 * x2 + 27 * x2 * x2
    return u, p, v, q


def goldstein_price(x):
    u, p, v, q = _gp_parts(x)
    return (1 + u * u * p) * (30 + v * v * q)


def goldstein_price_g(x):
    x1, x2 = x
    u, p, v, q = _gp_parts(x)
    a, b = 1 + u * u * p, 30 + v * v * q
    dp = -14 + 6 * x1 + 6 * x2  # dp/dx1 = dp/dx2
    da = 2 * u * p + u * u * dp
    db1 = 4 * v * q + v * v * (-32 + 24 * x1 - 36 * x2)
    db2 = -6 * v * q + v * v * (48 - 36 * x1 + 54 * x2)
    return np.array([da * b + a * db1, da * b + a * db2])


def _shubert_1(t):
    s = sum(i * math.cos((i + 1) * t + i) for i in range(1, 6))
    ds = -sum(i * (i + 1) * math.sin((i + 1) * t + i) for i in range(1, 6))
    return s, ds


def shubert(x):
    return _shubert_1(x[0])[0] * _shubert_1(x[1])[0]


def shubert_g(x):
    s1, d1 = _shubert_1(x[0])
    s2, d2 = _shubert_1(x[1])
    return np.array([d1 * s2, s1 * d2])


H3_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H3_A = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
H3_P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547],
                        [381, 5743, 8828]])
H6_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                 [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
H6_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886],
                        [2329, 4135, 8307, 3736, 1004, 9991],
                        [2348, 1451, 3522, 2883, 3047, 6650],
                        [4047, 8828, 8732, 5743, 1091, 381]])


def _hartmann(a, p):
    def f(x):
        return -sum(H3_ALPHA[i] * math.exp(-sum(a[i, j] * (x[j] - p[i, j]) ** 2
                                                 for j in range(len(x))))
                    for i in range(4))

    def g(x):
        out = np.zeros(len(x))
        for i in range(4):
            e = H3_ALPHA[i] * math.exp(-sum(a[i, j] * (x[j] - p[i, j]) ** 2
                                            for j in range(len(x))))
            for j in range(len(x)):
                out[j] += e * 2 * a[i, j] * (x[j] - p[i, j])
        return out
    return f, g


hartmann3, hartmann3_g = _hartmann(H3_A, H3_P)
hartmann6, hartmann6_g = _hartmann(H6_A, H6_P)

SHEKEL_BETA = 0.1 * np.array([1, 2, 2, 4, 4, 6, 3, 7, 5, 5.0])
SHEKEL_C = np.array([[4, 1, 8, 6, 3, 2, 5, 8, 6, 7], [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6],
                     [4, 1, 8, 6, 3, 2, 5, 8, 6, 7], [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6]])


def _shekel(m):
    def f(x):
        return -sum(1.0 / (sum((x[j] - SHEKEL_C[j, i]) ** 2 for j in range(4)) + SHEKEL_BETA[i])
                    for i in range(m))

    def g(x):
        out = np.zeros(4)
        for i in range(m):
            d = sum((x[j] - SHEKEL_C[j, i]) ** 2 for j in range(4)) + SHEKEL_BETA[i]
            for j in range(4):
                out[j] += 2 * (x[j] - SHEKEL_C[j, i]) / (d * d)
        return out
    return f, g


shekel5, shekel5_g = _shekel(5)
shekel7, shekel7_g = _shekel(7)
shekel10, shekel10_g = _shekel(10)


def michalewicz(x):
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / PI) ** 20 for i, v in enumerate(x))


def michalewicz_g(x):
    out = np.zeros(len(x))
    for i, v in enumerate(x):
        u = (i + 1) * v * v / PI
        su, cu = math.sin(u), math.cos(u)
        out[i] = -(math.cos(v) * su ** 20 + math.sin(v) * 20 * su ** 19 * cu * 2 * (i + 1) * v / PI)
    return out


def drop_wave(x):
    r = math.hypot(x[0], x[1])
    return -(1 + math.cos(12 * r)) / (0.5 * r * r + 2)


def drop_wave_g(x):
    r = math.hypot(x[0], x[1])
    n, d = 1 + math.cos(12 * r), 0.5 * r * r + 2
    s = 12.0 if r == 0 else math.sin(12 * r) / r  # sin(12 r)/r -> 12 at r = 0
    # f = -n/d, dn/dx = -12 s x, dd/dx = x
    return np.array([-(-12 * s * v * d - n * v) / (d * d) for v in x])


def eggholder(x):
    x1, x2 = x
    return (-(x2 + 47) * math.sin(math.sqrt(abs(x2 + x1 / 2 + 47)))
            - x1 * math.sin(math.sqrt(abs(x1 - (x2 + 47)))))


def holder_table(x):
    x1, x2 = x
    return -abs(math.sin(x1) * math.cos(x2) * math.exp(abs(1 - math.hypot(x1, x2) / PI)))


def cross_in_tray(x):
    x1, x2 = x
    v = abs(math.sin(x1) * math.sin(x2) * math.exp(abs(100 - math.hypot(x1, x2) / PI)))
    return -0.0001 * (v + 1) ** 0.1


# Michalewicz is separable: f* is the sum of the 1-D minima of -sin(v) sin^20(i v^2/pi) on
# [0, pi], each found by a dense grid and a bounded polish.
def _michalewicz_term_min(i):
    def h(v):
        return -math.sin(v) * math.sin(i * v * v / PI) ** 20
    grid = np.linspace(0, PI, 200001)
    vals = [h(v) for v in grid]
    k = int(np.argmin(vals))
    r = minimize(lambda z: h(z[0]), [grid[k]], method="L-BFGS-B",
                 bounds=[(max(0.0, grid[k] - 1e-3), min(PI, grid[k] + 1e-3))],
                 options={"ftol": 1e-15, "gtol": 1e-12})
    return float(r.x[0]), float(r.fun)


# name, dim, f, grad (None: finite differences), lower, upper, literature minimizer, literature f*
FUNCTIONS = [
    ("branin", 2, branin, branin_g, [-5, 0], [10, 15], [PI, 2.275], 0.397887),
    ("goldstein-price", 2, goldstein_price, goldstein_price_g, [-2, -2], [2, 2], [0, -1], 3.0),
    ("shubert", 2, shubert, shubert_g, [-10, -10], [10, 10], [-7.0835, 4.8580], -186.7309),
    ("drop-wave", 2, drop_wave, drop_wave_g, [-5.12] * 2, [5.12] * 2, [0, 0], -1.0),
    ("eggholder", 2, eggholder, None, [-512] * 2, [512] * 2, [512, 404.2319], -959.6407),
    ("holder-table", 2, holder_table, None, [-10] * 2, [10] * 2, [8.05502, 9.66459], -19.2085),
    ("cross-in-tray", 2, cross_in_tray, None, [-10] * 2, [10] * 2, [1.3491, 1.3491], -2.06261),
    ("michalewicz", 2, michalewicz, michalewicz_g, [0] * 2, [PI] * 2, [2.20, 1.57], -1.8013),
    ("hartmann3", 3, hartmann3, hartmann3_g, [0] * 3, [1] * 3, [0.114614, 0.555649, 0.852547],
     -3.86278),
    ("shekel5", 4, shekel5, shekel5_g, [0] * 4, [10] * 4, [4] * 4, -10.1532),
    ("shekel7", 4, shekel7, shekel7_g, [0] * 4, [10] * 4, [4] * 4, -10.4029),
    ("shekel10", 4, shekel10, shekel10_g, [0] * 4, [10] * 4, [4] * 4, -10.5364),
    ("michalewicz", 5, michalewicz, michalewicz_g, [0] * 5, [PI] * 5, None, -4.687658),
    ("hartmann6", 6, hartmann6, hartmann6_g, [0] * 6, [1] * 6,
     [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573], -3.32237),
    ("michalewicz", 10, michalewicz, michalewicz_g, [0] * 10, [PI] * 10, None, -9.66015),
]


def fstar(case):
    """(x*, f*): the literature minimizer polished (Nelder-Mead for the non-smooth ones)."""
    name, dim, f, g, lo, hi, xs, flit = case
    if name == "michalewicz":
        terms = [_michalewicz_term_min(i) for i in range(1, dim + 1)]
        x = np.array([t[0] for t in terms])
        fs = float(sum(t[1] for t in terms))
        assert abs(f(x) - fs) < 1e-12
    elif g is not None:
        r = minimize(f, xs, jac=g, method="L-BFGS-B", bounds=list(zip(lo, hi)),
                     options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
        x, fs = r.x, float(r.fun)
    else:
        r = minimize(f, xs, method="Nelder-Mead", bounds=list(zip(lo, hi)),
                     options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
        x, fs = r.x, float(r.fun)
    assert abs(fs - flit) <= 1e-4 * max(1.0, abs(flit)), (name, fs, flit)
    return np.asarray(x, dtype=float), fs


def tol_of(fs):
    return 1e-6 * max(1.0, abs(fs))


def budget_of(dim):
    return 5000 * dim


def check_points(case, xstar):
    """The points the Rust side evaluates: x*, the box's centre, two fixed interior points."""
    _, dim, _, _, lo, hi, _, _ = case
    lo, hi = np.array(lo, float), np.array(hi, float)
    pts = [xstar, 0.5 * (lo + hi)]
    for k in (1, 2):
        frac = np.array([((0.1 + 0.37 * k + 0.23 * j) % 1.0) for j in range(dim)])
        pts.append(lo + frac * (hi - lo))
    return pts


# ---------------------------------------------------------------- the counting wrapper

class Done(Exception):
    pass


class Counter:
    """The one counting wrapper: values and gradient calls; raises at success or budget."""

    def __init__(self, f, g, fstar_, tol, budget, lo, hi):
        self.f, self.g, self.fstar, self.tol, self.budget = f, g, fstar_, tol, budget
        self.lo, self.hi = lo, hi
        self.n, self.hit, self.best = 0, None, math.inf

    def _tick(self):
        if self.n >= self.budget:
            raise Done
        self.n += 1

    def value(self, x):
        self._tick()
        x = np.asarray(x, dtype=float)
        v = float(self.f(x))
        if np.all(x >= self.lo) and np.all(x <= self.hi):
            if v < self.best:
                self.best = v
            if self.hit is None and v - self.fstar < self.tol:
                self.hit = self.n
                raise Done
        return v

    def grad(self, x):
        self._tick()
        return self.g(np.asarray(x, dtype=float))


def run(method, case, fs, seed):
    name, dim, f, g, lo, hi, _, _ = case
    lower, upper = np.array(lo, float), np.array(hi, float)
    bounds = list(zip(lower, upper))
    budget = budget_of(dim)
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(lower, upper)
    c = Counter(f, g, fs, tol_of(fs), budget, lower, upper)
    jac = c.grad if g is not None else None
    lbfgsb = {"method": "L-BFGS-B", "jac": jac, "bounds": bounds}
    try:
        if method == "dual_annealing":
            ls_iter = min(max(6 * dim, 100), 1000)
            dual_annealing(c.value, bounds, rng=rng, x0=x0, maxfun=budget,
                           minimizer_kwargs=dict(lbfgsb, options={"maxiter": ls_iter}))
        elif method == "differential_evolution":
            def polish(fun, x, bounds=None, constraints=()):
                return minimize(fun, x, jac=jac, method="L-BFGS-B", bounds=bounds)
            differential_evolution(c.value, bounds, rng=rng, x0=x0, polish=polish)
        elif method == "basinhopping":
            basinhopping(c.value, x0, niter=10**9, minimizer_kwargs=lbfgsb, rng=rng)
        elif method == "shgo":
            shgo(c.value, bounds, minimizer_kwargs={"method": "L-BFGS-B", "jac": jac},
                 options={"maxfev": budget})
        else:
            raise ValueError(method)
    except Done:
        pass
    gap = c.best - fs if math.isfinite(c.best) else math.inf
    return c.hit, gap


METHODS = [("dual_annealing", SEEDS), ("differential_evolution", SEEDS),
           ("basinhopping", SEEDS), ("shgo", 1)]


def main():
    only = sys.argv[1:]
    print(f"# scipy {scipy.__version__}, numpy {np.__version__}; seeds {SEEDS} (shgo 1: "
          f"deterministic); budget 5000*dim; tol 1e-6*max(1,|f*|)")
    print("# fstar <name> <dim> <f*> <tol> <budget> <gradient>")
    print("# point <name> <dim> <x...> f <f> g <grad... | ->")
    print("# result <name> <dim> <method> <runs> <successes> <mean_evals> <mean_final_gap> <min_final_gap>")
    cases = [(c, fstar(c)) for c in FUNCTIONS]
    for c, (xs, fs) in cases:
        name, dim, f, g = c[:4]
        print(f"fstar {name} {dim} {fs!r} {tol_of(fs)!r} {budget_of(dim)} "
              f"{'analytic' if g is not None else 'fd'}")
        for p in check_points(c, xs):
            gs = " ".join(repr(float(v)) for v in g(p)) if g is not None else "-"
            print(f"point {name} {dim} {' '.join(repr(float(v)) for v in p)} f {float(f(p))!r} g {gs}")
    sys.stdout.flush()
    for c, (xs, fs) in cases:
        if only and c[0] not in only:
            continue
        for method, seeds in METHODS:
            t0 = time.time()
            out = [run(method, c, fs, s) for s in range(seeds)]
            hits = [h for h, _ in out if h is not None]
            gaps = [gp for _, gp in out]
            mean = sum(hits) / len(hits) if hits else 0.0
            print(f"result {c[0]} {c[1]} {method} {seeds} {len(hits)} {mean:.1f} "
                  f"{sum(gaps) / len(gaps):.6g} {min(gaps):.6g}", flush=True)
            print(f"{c[0]} {c[1]} {method}: {time.time() - t0:.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
