"""pycma reference for tests/global_cmaes.rs (output: cmaes.txt).

1. The strategy constants pycma computes for n = 2 and n = 10 (default population).
2. Evaluations pycma needs to reach f <= 1e-10 on the rotated ellipsoid (kappa = 1e6, 8-D,
   f = 1/2 sum_k kappa^(k/7) (q_k . x)^2 with a fixed random rotation; CMA-ES is rotation
   invariant, so the rotation does not matter) and on Rosenbrock 10-D, from x0 uniform in
   [-5, 5]^n, sigma0 = 3 (0.3 of the range), no bounds, 20 seeds, passive (CMA_active=False,
   the variant of the Rust code) and pycma's default (active).
"""
import numpy as np
import cma

print("# pycma", cma.__version__)
for n in (2, 10):
    es = cma.CMAEvolutionStrategy(n * [0.0], 1.0, {"verbose": -9, "CMA_active": False})
    sp, a = es.sp, es.adapt_sigma
    # pycma's c_mu uses (1/4 + mueff + 1/mueff - 2), a later refinement of the tutorial's
    # (mueff - 2 + 1/mueff); cs and damps are pycma's CSA settings.
    print(f"params n={n} lambda={sp.popsize} mu={sp.weights.mu} mueff={sp.weights.mueff:.12g} "
          f"cs={a.cs:.12g} damps={a.damps:.12g} cc={sp.cc:.12g} c1={sp.c1:.12g} cmu={sp.cmu:.12g} "
          f"chiN={es.const.chiN:.12g}")

rng = np.random.default_rng(0)
q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
lam = 1e6 ** (np.arange(8) / 7.0)


def ellipsoid(x):
    y = q.T @ np.asarray(x)
    return 0.5 * float(np.sum(lam * y * y))


def rosenbrock(x):
    x = np.asarray(x)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


for name, f, n in (("ellipsoid8", ellipsoid, 8), ("rosenbrock10", rosenbrock, 10)):
    for active in (False, True):
        evals, ok = [], 0
        for seed in range(100, 120):
            r = np.random.default_rng(seed)
            x0 = r.uniform(-5, 5, n)
            opts = {"verbose": -9, "seed": seed, "ftarget": 1e-10, "maxfevals": 40000,
                    "CMA_active": active, "tolflatfitness": 10}
            es = cma.CMAEvolutionStrategy(x0, 3.0, opts)
            es.optimize(f)
            if es.result.fbest <= 1e-10:
                ok += 1
                evals.append(es.result.evals_best)
        print(f"{name} active={int(active)} successes={ok}/20 median_evals={int(np.median(evals))}")
