"""Reference success rates of scipy.optimize.differential_evolution and
scipy.optimize.dual_annealing on test landscapes with known global minima, for
tests/global_de_da_reference.rs (which runs lossmap's DifferentialEvolution and DualAnnealing on
the same functions, boxes, budgets and number of seeds).

Protocol (the same on both sides):
* one counting wrapper: every loss value and every gradient call counts one evaluation (both
  sides get the analytic gradient: scipy's L-BFGS-B through `jac`, lossmap's objectives
  through `gradient`);
* a run succeeds when an evaluated loss is below f* + 1e-6 within the budget; "evals" is the
  number of evaluations up to that first success (the wrapper stops scipy there, as lossmap's
  `f_target` stops its searches);
* scipy's defaults otherwise: DE best1bin, popsize 15 (P = 15 N), mutation (0.5, 1),
  recombination 0.7, tol 0.01, init 'latinhypercube', maxiter 1000, polish with L-BFGS-B
  (given `jac`), updating 'immediate'; dual annealing maxiter 1000, initial_temp 5230,
  restart_temp_ratio 2e-5, visit 2.62, accept -5, local search L-BFGS-B with `jac`, `bounds`
  and scipy's own maxiter rule min(max(6n, 100), 1000), maxfun = budget;
* x0: a point drawn uniformly in the box (scipy's DE puts it in the population as lossmap's
  `run` does), seeds 0..19 (numpy's default_rng(seed)).

Run: /work/venv/bin/python tests/reference/global_de_da.py > tests/reference/global_de_da.txt
Output lines after the header: `<function> <dim> <method> <budget> <successes> <seeds>
<mean evals of the successful runs>`; also the visiting distribution's sigma(T) for
tests/global_dual_annealing.rs: `sigma <qv> <T> <sigma>`.
"""
import math

import numpy as np
import scipy
from scipy.optimize import differential_evolution, dual_annealing, minimize, minimize_scalar
from scipy.optimize._dual_annealing import VisitingDistribution

SEEDS = 20
TOL = 1e-6


def rastrigin(x):
    return 10.0 * len(x) + float(np.sum(x * x - 10.0 * np.cos(2 * np.pi * x)))


def rastrigin_g(x):
    return 2.0 * x + 20.0 * np.pi * np.sin(2 * np.pi * x)


def ackley(x):
    n = len(x)
    r = math.sqrt(float(np.sum(x * x)) / n)
    c = float(np.sum(np.cos(2 * np.pi * x)))
    return 20.0 * (1.0 - math.exp(-0.2 * r)) + (math.e - math.exp(c / n))


def ackley_g(x):
    n = len(x)
    r = math.sqrt(float(np.sum(x * x)) / n)
    c = float(np.sum(np.cos(2 * np.pi * x)))
    g = (2 * np.pi / n) * math.exp(c / n) * np.sin(2 * np.pi * x)
    if r > 0:
        g = g + 20.0 * 0.2 * math.exp(-0.2 * r) * x / (n * r)
    return g


def styblinski_tang(x):
    return 0.5 * float(np.sum(x**4 - 16.0 * x**2 + 5.0 * x))


def styblinski_tang_g(x):
    return 2.0 * x**3 - 16.0 * x + 2.5


def camel(x):
    a, b = x
    return (4 - 2.1 * a * a + a**4 / 3) * a * a + a * b + (-4 + 4 * b * b) * b * b


def camel_g(x):
    a, b = x
    return np.array([(8 - 8.4 * a * a + 2 * a**4) * a + b, a - 8 * b + 16 * b**3])


# Schwefel: sum_i (C - x_i sin(sqrt|x_i|)), C the maximum of x sin(sqrt|x|) on [-500, 500], so
# that f* = 0.
_s = minimize_scalar(lambda v: -v * math.sin(math.sqrt(abs(v))), bounds=(400, 450),
                     method="bounded", options={"xatol": 1e-12})
SCHWEFEL_C = -float(_s.fun)


def schwefel(x):
    return float(np.sum(SCHWEFEL_C - x * np.sin(np.sqrt(np.abs(x)))))


def schwefel_g(x):
    s = np.sqrt(np.abs(x))
    return -(np.sin(s) + 0.5 * s * np.cos(s))


def griewank(x):
    i = np.sqrt(np.arange(1, len(x) + 1))
    return 1.0 + float(np.sum(x * x)) / 4000.0 - float(np.prod(np.cos(x / i)))


def griewank_g(x):
    i = np.sqrt(np.arange(1, len(x) + 1))
    c = np.cos(x / i)
    g = x / 2000.0
    for k in range(len(x)):
        others = float(np.prod(np.delete(c, k)))
        g[k] += math.sin(x[k] / i[k]) / i[k] * others
    return g


def levy(x):
    w = 1.0 + (x - 1.0) / 4.0
    f = math.sin(math.pi * w[0]) ** 2
    f += float(np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2)))
    f += (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)
    return f


def levy_g(x):
    w = 1.0 + (x - 1.0) / 4.0
    n = len(x)
    g = np.zeros(n)
    g[0] += math.pi * math.sin(2 * math.pi * w[0])
    for k in range(n - 1):
        s = math.sin(math.pi * w[k] + 1)
        g[k] += 2 * (w[k] - 1) * (1 + 10 * s * s) + (w[k] - 1) ** 2 * 10 * math.pi * math.sin(
            2 * (math.pi * w[k] + 1))
    k = n - 1
    s = math.sin(2 * math.pi * w[k])
    g[k] += 2 * (w[k] - 1) * (1 + s * s) + (w[k] - 1) ** 2 * 2 * math.pi * math.sin(
        4 * math.pi * w[k])
    return g / 4.0


ST_MIN = -39.16616570377142
CASES = [
    # name, dim, f, grad, lower, upper, f*, budget
    ("rastrigin", 2, rastrigin, rastrigin_g, -5.12, 5.12, 0.0, 20000),
    ("rastrigin", 5, rastrigin, rastrigin_g, -5.12, 5.12, 0.0, 50000),
    ("ackley", 2, ackley, ackley_g, -32.768, 32.768, 0.0, 20000),
    ("styblinski-tang", 5, styblinski_tang, styblinski_tang_g, -5.0, 5.0, 5 * ST_MIN, 50000),
    ("six-hump-camel", 2, camel, camel_g, None, None, -1.0316284534898774, 20000),
    ("schwefel", 2, schwefel, schwefel_g, -500.0, 500.0, 0.0, 20000),
    ("griewank", 2, griewank, griewank_g, -600.0, 600.0, 0.0, 20000),
    ("levy", 5, levy, levy_g, -10.0, 10.0, 0.0, 50000),
]


class Done(Exception):
    pass


class Counter:
    """The one counting wrapper: values and gradient calls, stop at success or budget."""

    def __init__(self, f, g, fstar, budget):
        self.f, self.g, self.fstar, self.budget = f, g, fstar, budget
        self.n, self.hit = 0, None

    def _tick(self):
        if self.n >= self.budget:
            raise Done
        self.n += 1

    def value(self, x):
        self._tick()
        v = self.f(np.asarray(x, dtype=float))
        if self.hit is None and v - self.fstar < TOL:
            self.hit = self.n
            raise Done
        return v

    def grad(self, x):
        self._tick()
        return self.g(np.asarray(x, dtype=float))


def run(method, case, seed):
    name, dim, f, g, lo, hi, fstar, budget = case
    if lo is None:
        lower, upper = np.array([-3.0, -2.0]), np.array([3.0, 2.0])
    else:
        lower, upper = np.full(dim, lo), np.full(dim, hi)
    bounds = list(zip(lower, upper))
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(lower, upper)
    c = Counter(f, g, fstar, budget)
    try:
        if method == "de":
            def polish(fun, x, bounds=None, constraints=()):
                return minimize(fun, x, jac=c.grad, method="L-BFGS-B", bounds=bounds)
            differential_evolution(c.value, bounds, rng=rng, x0=x0, polish=polish)
        else:
            ls_iter = min(max(6 * dim, 100), 1000)
            dual_annealing(c.value, bounds, rng=rng, x0=x0, maxfun=budget,
                           minimizer_kwargs={"method": "L-BFGS-B", "jac": c.grad,
                                             "bounds": bounds,
                                             "options": {"maxiter": ls_iter}})
    except Done:
        pass
    return c.hit


def main():
    print(f"# scipy {scipy.__version__}, numpy {np.__version__}; seeds {SEEDS}, tol {TOL}")
    print(f"# schwefel_c {SCHWEFEL_C!r}")
    print("# function dim method budget successes seeds mean_evals")
    for case in CASES:
        for method in ("de", "da"):
            hits = [run(method, case, s) for s in range(SEEDS)]
            ok = [h for h in hits if h is not None]
            mean = sum(ok) / len(ok) if ok else 0.0
            print(f"{case[0]} {case[1]} {method} {case[7]} {len(ok)} {SEEDS} {mean:.1f}",
                  flush=True)
    for qv in (1.5, 2.0, 2.62, 2.9):
        d = VisitingDistribution(np.zeros(1), np.ones(1), qv, np.random.default_rng(0))
        for t in (0.1, 1.0, 100.0, 5230.0):
            f1 = math.exp(math.log(t) / (qv - 1.0))
            f4 = d._factor4_p * f1
            sigma = math.exp(-(qv - 1.0) * math.log(d._factor6 / f4) / (3.0 - qv))
            print(f"sigma {qv} {t} {sigma!r}")


if __name__ == "__main__":
    main()
