"""Physical floor of finite differences at the hard set's failing points.

For each point of tests/reference/fd_hard.txt where the adaptive kernels miss an accuracy goal,
this script measures, with the function evaluated in the working precision (f64 = Python float,
f32 = numpy.float32, the same expressions as tests/fd_hard/functions.rs):

* noise: the rounding error of f as evaluated in that precision, f_T(x') - f(x') with f(x')
  computed by mpmath in 50 digits at the same (exactly representable) points x' = x + t*e_i,
  64 points with |t| <= 1e-6*max(|x_i|, 1); printed as the largest |error| and in units of
  eps*|f(x)|;
* floor: the least error that ANY step reaches with (a) the central difference
  D(h) = (f(x+h) - f(x-h))/2h and (b) its two-term Richardson extrapolation
  R2 = (64 D(h/4) - 20 D(h/2) + D(h))/45 (the value the adaptive kernel returns), scanning
  h = max(|x_i|, 1) * 2^(-k/8) for k = -16 .. 8*50 (exact derivatives from fd_hard.txt).
  Two figures: "best" = min over h (a lucky step), "robust" = min over h of the largest error
  within a factor 2^(1/2) of h (what a step chosen without knowing the answer can hope for).

The metric is the one of tests/fd_hard.rs: max over entries of |error| / max(max|exact|, c).
Gradients: each entry may take its own step (the max over entries of each entry's floor).
Directional derivative: phi(t) = f(x + t*d), d = (1, -1), step h along d.
f32 Hessian: the diagonal second difference (f(x+h) - 2f + f(x-h))/h^2 with Richardson, and the
mixed four-point difference, same scan.
"""

import math
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50


def sq(v):
    return v * v


def goldsteinprice(x, c):
    x0, x1 = x
    a = c(1) + sq(x0 + x1 + c(1)) * (c(19) - c(14) * x0 + c(3) * x0 * x0 - c(14) * x1 + c(6) * x0 * x1 + c(3) * x1 * x1)
    b = c(30) + sq(c(2) * x0 - c(3) * x1) * (c(18) - c(32) * x0 + c(12) * x0 * x0 + c(48) * x1 - c(36) * x0 * x1 + c(27) * x1 * x1)
    return a * b


def brown(x, c):
    x0, x1 = x
    return sq(x0 - c(1e6)) + sq(x1 - c(2e-6)) + sq(x0 * x1 - c(2))


def freudenstein(x, c):
    x0, x1 = x
    return sq(c(-13) + x0 + ((c(5) - x1) * x1 - c(2)) * x1) + sq(c(-29) + x0 + ((x1 + c(1)) * x1 - c(14)) * x1)


def logbarrier(x, c):
    x0, x1 = x
    s = c(1) - x0 - x1
    if not (x0 > 0 and x1 > 0 and s > 0):
        return c(float("nan"))
    lg = mp.log if isinstance(x0, mp.mpf) else (np.log if isinstance(x0, np.float32) else math.log)
    return -lg(x0) - lg(x1) - lg(s) + c(3) * x0 - x1


FNS = {"goldsteinprice": goldsteinprice, "brown": brown, "freudenstein": freudenstein, "logbarrier": logbarrier}


def read_cases():
    cases = []
    for line in open(__file__.replace("fd_floor.py", "fd_hard.txt")):
        if not line.startswith("case "):
            continue
        t = line.split()
        n = int(t[4])
        v = [float(a) for a in t[5:]]
        x = v[:n]
        f = v[n]
        g = v[n + 1:2 * n + 1]
        h = v[2 * n + 1:2 * n + 1 + n * n]
        cases.append(dict(name=t[1], label=t[2], scale=float(t[3]), n=n, x=x, f=f, g=g, h=h,
                          nd_g=float(t[-4]), nd_h=float(t[-2])))
    return cases


def conv(prec):
    if prec == "f64":
        return float
    if prec == "f32":
        return lambda v: np.float32(v)
    return lambda v: mp.mpf(v)


def value(name, x, scale, prec):
    c = conv(prec)
    xs = [c(v) for v in x]
    return c(scale) * FNS[name](xs, c)


def noise(case, prec):
    """Largest |f_T(x') - f(x')| over points near x, and the same in eps*|f(x)|."""
    eps = np.finfo(np.float32 if prec == "f32" else np.float64).eps
    c = conv(prec)
    worst = 0.0
    for i in range(case["n"]):
        s = max(abs(case["x"][i]), 1.0)
        for k in range(-32, 32):
            xp = [c(v) for v in case["x"]]
            xp[i] = c(xp[i] + c(k * 1e-6 * s / 32))
            ft = value(case["name"], xp, case["scale"], prec)
            fe = value(case["name"], [mp.mpf(float(v)) for v in xp], case["scale"], "mp")
            worst = max(worst, abs(float(mp.mpf(float(ft)) - fe)))
    return worst, worst / (eps * max(abs(case["f"]), 1e-300))


def steps():
    return [2.0 ** (-k / 8.0) for k in range(-16, 8 * 50)]


def scan(errs):
    """(best, robust) over a list of errors on the step grid."""
    best = min(errs)
    robust = min(max(errs[max(0, k - 4):k + 5]) for k in range(len(errs)))
    return best, robust


def rich(d0, d1, d2):
    return (64 * d2 - 20 * d1 + d0) / 45


def grad_floor(case, prec="f64"):
    c = conv(prec)
    name, x, scale = case["name"], case["x"], case["scale"]
    denom = max(max(abs(v) for v in case["g"]), scale)
    out_c, out_r = [], []
    for i in range(case["n"]):
        s = max(abs(x[i]), 1.0)
        hs = steps()
        d = []
        for rel in hs:
            xi = c(x[i])
            h = c(xi + c(rel * s)) - xi  # the step actually taken
            xp = [c(v) for v in x]
            xm = [c(v) for v in x]
            xp[i] = xi + h
            xm[i] = xi - h
            d.append(float((value(name, xp, scale, prec) - value(name, xm, scale, prec)) / (c(2) * h)))
        ec = [abs(v - case["g"][i]) for v in d]
        # R2 over (h, h/2, h/4) = grid indices k, k+8, k+16.
        er = [abs(rich(d[k], d[k + 8], d[k + 16]) - case["g"][i]) for k in range(len(d) - 16)]
        out_c.append(scan(ec))
        out_r.append(scan(er))
    pick = lambda rows, j: max(r[j] for r in rows) / denom
    return pick(out_c, 0), pick(out_c, 1), pick(out_r, 0), pick(out_r, 1)


def dir_floor(case, d=(1.0, -1.0)):
    name, x, scale = case["name"], case["x"], case["scale"]
    exact = sum(a * b for a, b in zip(d, case["g"]))
    denom = max(abs(exact), scale)
    vals = []
    for h in [2.0 ** (-k / 8.0) * max(abs(v) for v in x) for k in range(-16, 8 * 80)]:
        xp = [v + h * a for v, a in zip(x, d)]
        xm = [v - h * a for v, a in zip(x, d)]
        vals.append((value(name, xp, scale, "f64") - value(name, xm, scale, "f64")) / (2 * h))
    ec = [abs(v - exact) for v in vals]
    er = [abs(rich(vals[k], vals[k + 8], vals[k + 16]) - exact) for k in range(len(vals) - 16)]
    return scan(ec) + scan(er)


def hess_floor(case, prec):
    c = conv(prec)
    name, x, scale, n = case["name"], case["x"], case["scale"], case["n"]
    H = case["h"]
    denom = max(max(abs(v) for v in H), scale)
    f0 = value(name, x, scale, prec)
    worst_b, worst_r = 0.0, 0.0
    for i in range(n):
        for j in range(i, n):
            q = []
            for rel in steps():
                xi, xj = c(x[i]), c(x[j])
                hi = c(xi + c(rel * max(abs(x[i]), 1.0))) - xi
                hj = c(xj + c(rel * max(abs(x[j]), 1.0))) - xj

                def at(a, b):
                    xp = [c(v) for v in x]
                    xp[i] = c(xp[i] + a)
                    xp[j] = c(xp[j] + b)
                    return value(name, xp, scale, prec)

                if i == j:
                    v = (at(hi, c(0)) - f0 + (at(-hi, c(0)) - f0)) / (hi * hi)
                else:
                    v = (at(hi, hj) - at(hi, -hj) + (at(-hi, -hj) - at(-hi, hj))) / (c(4) * hi * hj)
                q.append(float(v))
            ex = H[i * n + j]
            er = [abs(rich(q[k], q[k + 8], q[k + 16]) - ex) if all(map(math.isfinite, (q[k], q[k + 8], q[k + 16]))) else math.inf
                  for k in range(len(q) - 16)]
            b, r = scan(er)
            worst_b, worst_r = max(worst_b, b), max(worst_r, r)
    return worst_b / denom, worst_r / denom


def main():
    out = sys.stdout
    out.write("# generated by tests/reference/fd_floor.py (mpmath %s, numpy %s)\n" % (mp.__version__, np.__version__))
    out.write("# what point scale: noise_abs noise_in_eps|f| | central best robust | richardson best robust | numdifftools\n")
    for case in read_cases():
        key = (case["name"], case["label"])
        tag = "%s %s %g" % (case["name"], case["label"], case["scale"])
        if case["name"] in ("goldsteinprice", "brown") or key == ("freudenstein", "min") and case["x"][0] > 10:
            na, ne = noise(case, "f64")
            cb, cr, rb, rr = grad_floor(case)
            out.write("gradient64 %s: noise %.2e %.1f | central %.1e %.1e | richardson %.1e %.1e | nd %.1e\n"
                      % (tag, na, ne, cb, cr, rb, rr, case["nd_g"]))
        if key == ("brown", "min"):
            cb, cr, rb, rr = dir_floor(case)
            out.write("directional64 %s: along (1,-1) | central %.1e %.1e | richardson %.1e %.1e\n" % (tag, cb, cr, rb, rr))
        if key == ("logbarrier", "min"):
            na, ne = noise(case, "f32")
            b, r = hess_floor(case, "f32")
            out.write("hessian32 %s: noise %.2e %.1f | richardson %.1e %.1e\n" % (tag, na, ne, b, r))


if __name__ == "__main__":
    main()
