"""Reference for tests/curriculum.rs.

1. The least-squares fit of the noisy phase model y = a sin(w t + phi) + noise (the data of
   `noisy_phase_data` there: 80 points t in (0, 12), w = 1.5, a = 1, phi = 0.7, noise uniform in
   +-0.1 from the same LCG), by scipy.optimize.least_squares from the true parameters: the
   global fit the curriculum runs must reach.
2. An independent numpy re-implementation of the experiment (mini-batch Adam, torch's update,
   lr 0.05, batch 8, each epoch a fresh permutation of the active samples; numpy's generator,
   so the runs differ from the Rust ones seed by seed): success counts over 20 seeds per start,
   curriculum (difficulty = t, linear ramp 0.1 -> 1 over 30 of 60 epochs) against plain
   training with at least as many sample evaluations.

Run: /work/venv/bin/python tests/reference/curriculum_sine.py > tests/reference/curriculum_sine.txt
"""
import math

import numpy as np
from scipy.optimize import least_squares


def lcg_noise(n, seed, scale):
    s, out = seed, []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(scale * ((s >> 11) / 2**53 - 0.5))
    return np.array(out)


def model(p, t):
    # p = (w, a) or (w, a, phi)
    ph = p[2] if len(p) > 2 else 0.0
    return p[1] * np.sin(p[0] * t + ph)


def grad(p, t, y):
    ph = p[2] if len(p) > 2 else 0.0
    arg = p[0] * t + ph
    r = p[1] * np.sin(arg) - y
    c = np.cos(arg)
    g = [np.mean(2 * r * p[1] * t * c), np.mean(2 * r * np.sin(arg))]
    if len(p) > 2:
        g.append(np.mean(2 * r * p[1] * c))
    return np.array(g)


def run(x0, t, y, seed, curriculum, epochs, lr=0.05, batch=8, c0=0.1, ramp=30):
    s = len(t)
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    m, v, k, evals = np.zeros_like(x), np.zeros_like(x), 0, 0
    for e in range(epochs):
        n = math.ceil(min(1.0, c0 + (1 - c0) * e / ramp) * s) if curriculum else s
        perm = rng.permutation(n)  # t is sorted: the first n samples are the easiest
        for i in range(0, n, batch):
            b = perm[i:i + batch]
            g = grad(x, t[b], y[b])
            evals += len(b)
            k += 1
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x = x - lr * (m / (1 - 0.9**k)) / (np.sqrt(v / (1 - 0.999**k)) + 1e-8)
    return x, evals


def experiment(name, t, y, starts, extra, ok):
    print(name)
    tc = tp = 0
    for w0 in starts:
        c = p = 0
        for seed in range(20):
            xc, ec = run([w0, 0.5] + extra, t, y, seed, True, 60)
            xp, ep = run([w0, 0.5] + extra, t, y, seed, False, math.ceil(ec / len(t)))
            c += ok(xc)
            p += ok(xp)
        print(f"  w0 = {w0}: curriculum {c}/20, plain {p}/20 (evals {ec} vs {ep})")
        tc, tp = tc + c, tp + p
    print(f"  total: curriculum {tc}/{20 * len(starts)}, plain {tp}/{20 * len(starts)}")


# 1. The noisy phase model's least-squares fit.
S2 = 80
t2 = 12.0 * (np.arange(S2) + 0.5) / S2
y2 = np.sin(1.5 * t2 + 0.7) + lcg_noise(S2, 7, 0.2)
fit = least_squares(lambda p: model(p, t2) - y2, [1.5, 1.0, 0.7], xtol=1e-15, ftol=1e-15, gtol=1e-15)
print("noisy phase least squares: w a phi = %.12f %.12f %.12f" % tuple(fit.x))

# 2. The experiments.
S = 64
t = 10.0 * (np.arange(S) + 0.5) / S
y = np.sin(2.0 * t)
experiment("sine (w, a), global (2, 1)", t, y, [0.5, 1.0, 1.4, 2.6, 3.0, 3.5], [],
           lambda x: abs(x[0] - 2.0) < 0.05 and abs(x[1] - 1.0) < 0.05)
experiment("noisy phase (w, a, phi)", t2, y2, [0.3, 0.6, 0.9, 2.1, 2.4, 2.8], [0.0],
           lambda x: abs(x[0] - fit.x[0]) < 0.05 and abs(abs(x[1]) - fit.x[1]) < 0.05)
