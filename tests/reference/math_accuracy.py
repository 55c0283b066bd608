"""Reference values for the f64 rows of tests/math_accuracy.rs, computed with mpmath at 200 bits,
independently of lossmap and of libm.

Each output line is `row x y hi lo`: the row name (a function and its domain), the inputs (y is 0
for functions of one argument), and the exact result as an unevaluated sum hi + lo of two doubles
(hi the double nearest the exact value, lo the rest to 4 digits, enough to measure errors in
hundredths of an ulp). Floats are printed with repr(), which round-trips exactly.

Run: python3 tests/reference/math_accuracy.py > tests/reference/math_accuracy.txt
"""

import math

import mpmath

mpmath.mp.prec = 200


def uniform(lo, hi, n):
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def log_uniform(lo, hi, n):
    a, b = math.log(lo), math.log(hi)
    return [math.exp(a + (b - a) * i / (n - 1)) for i in range(n)]


def signed(xs):
    """Alternates the sign so both half-lines are covered."""
    return [x if i % 2 == 0 else -x for i, x in enumerate(xs)]


def polar(n, r_lo, r_hi):
    """n points (r cos t, r sin t): t sweeps [-pi, pi], r log-uniform over [r_lo, r_hi] (the two
    grids are walked together, so every angle meets a different radius)."""
    ts = uniform(-math.pi, math.pi, n)
    rs = log_uniform(r_lo, r_hi, n)
    # A stride coprime to n so that radius and angle are not correlated.
    return [(rs[(7 * i) % n] * math.sin(t), rs[(7 * i) % n] * math.cos(t)) for i, t in enumerate(ts)]


def unary(xs):
    return [(x, 0.0) for x in xs]


ROWS = [
    ("sqrt", unary(log_uniform(1e-300, 1e300, 101)), lambda x, y: mpmath.sqrt(x)),
    ("cbrt", unary(signed(log_uniform(1e-300, 1e300, 101))), lambda x, y: mpmath.cbrt(x) if x >= 0 else -mpmath.cbrt(-x)),
    ("exp", unary(uniform(-700.0, 700.0, 101)), lambda x, y: mpmath.exp(x)),
    ("ln", unary(log_uniform(1e-300, 1e300, 101)), lambda x, y: mpmath.log(x)),
    ("ln near 1", unary(uniform(0.5, 2.0, 51)), lambda x, y: mpmath.log(x)),
    ("exp_m1", unary(uniform(-50.0, 50.0, 101)), lambda x, y: mpmath.expm1(x)),
    ("exp_m1_small", unary(signed(log_uniform(1e-12, 1e-2, 50))), lambda x, y: mpmath.expm1(x)),
    ("ln_1p", unary(uniform(-0.9, 10.0, 51)), lambda x, y: mpmath.log1p(x)),
    ("ln_1p small", unary(signed(log_uniform(1e-12, 1e-2, 50))), lambda x, y: mpmath.log1p(x)),
    ("sin", unary(uniform(-math.pi, math.pi, 101)), lambda x, y: mpmath.sin(x)),
    ("sin wide", unary(uniform(-1e4, 1e4, 101)), lambda x, y: mpmath.sin(x)),
    ("cos", unary(uniform(-math.pi, math.pi, 101)), lambda x, y: mpmath.cos(x)),
    ("cos wide", unary(uniform(-1e4, 1e4, 101)), lambda x, y: mpmath.cos(x)),
    ("tanh", unary(uniform(-20.0, 20.0, 101)), lambda x, y: mpmath.tanh(x)),
    ("atan2", polar(101, 1e-300, 1e300), lambda y, x: mpmath.atan2(y, x)),
    (
        "powf",
        [(x, p) for x in log_uniform(1e-3, 1e3, 11) for p in uniform(-3.0, 3.0, 9)],
        lambda x, p: mpmath.power(x, p),
    ),
    ("hypot", polar(101, 1e-300, 1e300), lambda x, y: mpmath.hypot(x, y)),
    ("floor", unary(uniform(-1e6, 1e6, 51) + signed(log_uniform(1e15, 1e300, 50))), lambda x, y: mpmath.floor(x)),
    (
        "powi",
        [(x, float(k)) for x in uniform(0.5, 2.0, 6) for k in range(-8, 9)],
        lambda x, k: mpmath.mpf(x) ** int(k),
    ),
]


def main():
    print("# row x y hi lo: the exact f(x[, y]) = hi + lo (mpmath, 200 bits); see math_accuracy.py")
    for name, points, f in ROWS:
        for x, y in points:
            exact = f(mpmath.mpf(x), mpmath.mpf(y))
            hi = float(exact)
            lo = float(exact - mpmath.mpf(hi)) if math.isfinite(hi) else 0.0
            print(f"{name.replace(' ', '_')} {x!r} {y!r} {hi!r} {lo:.4g}")


if __name__ == "__main__":
    main()
