"""Refines the critical points listed in src/testfn/ by Newton's method, independently of lossmap.

Plain Python only. Candidate points are found by Newton's method in double precision from a grid
of starts (or from the published approximations), de-duplicated, then polished by Newton's
method in 50-digit `decimal` arithmetic (with Taylor-series sin/cos/exp where needed) and
printed as the nearest doubles (`repr(float(d))` is correctly rounded). Each point is classified
by the signs of its Hessian eigenvalues. The printed values are the constants in src/testfn/.

Run: python3 tests/reference/landscapes.py
"""

import math
from decimal import Decimal as D, getcontext

getcontext().prec = 50


# --- elementary functions in Decimal -------------------------------------------------------

def d_pi():
    # Machin: pi = 16 atan(1/5) - 4 atan(1/239)
    def atan_inv(n):
        x = D(1) / n
        x2 = x * x
        term, total, k = x, x, 1
        while True:
            term *= -x2
            t = term / (2 * k + 1)
            if abs(t) < D(10) ** -60:
                return total
            total += t
            k += 1

    return 16 * atan_inv(5) - 4 * atan_inv(239)


PI = d_pi()


def d_exp(x):
    # exp(x) = exp(x / 2^k)^(2^k)
    k = 0
    while abs(x) > D("0.5"):
        x /= 2
        k += 1
    term, total, n = D(1), D(1), 1
    while True:
        term = term * x / n
        if abs(term) < D(10) ** -60:
            break
        total += term
        n += 1
    for _ in range(k):
        total *= total
    return total


def d_sin_cos(x):
    # reduce to [-pi, pi], then Taylor series
    two_pi = 2 * PI
    x = x - two_pi * (x / two_pi).to_integral_value()
    s_term, s, c_term, c, n = x, x, D(1), D(1), 1
    x2 = x * x
    while True:
        c_term = -c_term * x2 / ((2 * n - 1) * (2 * n))
        s_term = -s_term * x2 / ((2 * n) * (2 * n + 1))
        if abs(c_term) < D(10) ** -60 and abs(s_term) < D(10) ** -60:
            break
        c += c_term
        s += s_term
        n += 1
    return s, c


def fl(d):
    return repr(float(d))


# --- linear algebra ------------------------------------------------------------------------

def solve(a, b):
    """Gaussian elimination with partial pivoting (works for float and Decimal)."""
    n = len(b)
    m = [list(row) + [bi] for row, bi in zip(a, b)]
    for col in range(n):
        p = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[p] = m[p], m[col]
        if m[col][col] == 0:
            raise ZeroDivisionError("singular")
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0] * n
    for r in reversed(range(n)):
        s = m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))
        x[r] = s / m[r][r]
    return x


def newton(grad, hess, x, steps=100, tol=0.0):
    for _ in range(steps):
        g = grad(x)
        dx = solve(hess(x), g)
        x = [xi - di for xi, di in zip(x, dx)]
        if max(abs(d) for d in dx) <= tol:
            break
    return x


def sym_eigs(h):
    """Eigenvalues of a symmetric matrix by cyclic Jacobi in floats (only signs matter here)."""
    n = len(h)
    a = [[float(v) for v in row] for row in h]
    for _ in range(100):
        off = sum(a[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        if off < 1e-30:
            break
        for p in range(n):
            for q in range(p + 1, n):
                if a[p][q] == 0.0:
                    continue
                theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1))
                c = 1 / math.sqrt(t * t + 1)
                s = t * c
                for k in range(n):
                    akp, akq = a[k][p], a[k][q]
                    a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = a[p][k], a[q][k]
                    a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
    return sorted(a[i][i] for i in range(n))


def kind(eigs):
    neg = sum(1 for e in eigs if e < 0)
    if neg == 0:
        return "minimum"
    if neg == len(eigs):
        return "maximum"
    return f"saddle{neg}"


def critical_points_2d(name, f, grad, hess, box, grid=41, keep=lambda p: True):
    """Multistart Newton in floats over `box`, de-duplicated, polished in Decimal."""
    (x0, x1), (y0, y1) = box
    found = []
    for i in range(grid):
        for j in range(grid):
            p = [x0 + (x1 - x0) * i / (grid - 1), y0 + (y1 - y0) * j / (grid - 1)]
            try:
                q = newton(grad, hess, p, steps=60)
            except (ZeroDivisionError, OverflowError):
                continue
            if not all(math.isfinite(v) for v in q):
                continue
            if max(abs(v) for v in grad(q)) > 1e-9:
                continue
            if not (x0 <= q[0] <= x1 and y0 <= q[1] <= y1) or not keep(q):
                continue
            if all(max(abs(a - b) for a, b in zip(q, r)) > 1e-6 for r in found):
                found.append(q)
    out = []
    for q in found:
        p = newton(grad, hess, [D(repr(v)) for v in q], steps=30, tol=D(10) ** -45)
        eigs = sym_eigs(hess(p))
        out.append((kind(eigs), p, f(p), eigs))
    out.sort(key=lambda t: (t[0], float(t[2]), float(t[1][0]), float(t[1][1])))
    print(f"\n{name}: {len(out)} critical points in {box}")
    for k, p, v, eigs in out:
        print(f"  {k:8s} [{fl(p[0])}, {fl(p[1])}]  f = {fl(v)}  "
              f"eig = ({eigs[0]:.6g}, {eigs[1]:.6g})")
    return out


# --- six-hump camel (Dixon & Szegő 1978) -----------------------------------------------------

def camel_f(p):
    x, y = p
    c = D("2.1") if isinstance(x, D) else 2.1
    return (4 - c * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def camel_g(p):
    x, y = p
    c = D("8.4") if isinstance(x, D) else 8.4
    return [8 * x - c * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3]


def camel_h(p):
    x, y = p
    c = D("25.2") if isinstance(x, D) else 25.2
    return [[8 - c * x**2 + 10 * x**4, 1], [1, -8 + 48 * y**2]]


# --- Himmelblau (values only; the points are in critical_points.py) ------------------------

def himmelblau_f(p):
    x, y = p
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_g(p):
    x, y = p
    u, v = x * x + y - 11, x + y * y - 7
    return [4 * x * u + 2 * v, 2 * u + 4 * y * v]


def himmelblau_h(p):
    x, y = p
    return [[12 * x * x + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y * y - 26]]


# --- Beale (Beale 1958) ------------------------------------------------------------------------

BEALE_C = [1.5, 2.25, 2.625]


def beale_terms(p):
    x, y = p
    cs = [D(repr(c)) for c in BEALE_C] if isinstance(x, D) else BEALE_C
    return [(cs[k] - x + x * y ** (k + 1), k + 1) for k in range(3)]


def beale_f(p):
    return sum(u * u for u, _ in beale_terms(p))


def beale_g(p):
    x, y = p
    gx = gy = 0
    for u, k in beale_terms(p):
        gx += 2 * u * (y**k - 1)
        gy += 2 * u * k * x * y ** (k - 1)
    return [gx, gy]


def beale_h(p):
    x, y = p
    hxx = hxy = hyy = 0
    for u, k in beale_terms(p):
        ux, uy = y**k - 1, k * x * y ** (k - 1)
        uxy = k * y ** (k - 1)
        uyy = k * (k - 1) * x * y ** (k - 2) if k >= 2 else 0
        hxx += 2 * ux * ux
        hxy += 2 * (ux * uy + u * uxy)
        hyy += 2 * (uy * uy + u * uyy)
    return [[hxx, hxy], [hxy, hyy]]


# --- Styblinski–Tang, one coordinate: ½(x⁴ − 16x² + 5x) ------------------------------------------

def st_1d():
    g = lambda p: [2 * p[0] ** 3 - 16 * p[0] + D("2.5")]
    h = lambda p: [[6 * p[0] ** 2 - 16]]
    print("\nStyblinski–Tang, per coordinate: roots of 2x³ − 16x + 2.5")
    for start in ["-2.9", "0.15", "2.75"]:
        (x,) = newton(g, h, [D(start)], tol=D(10) ** -45)
        v = (x**4 - 16 * x**2 + 5 * x) / 2
        print(f"  x = {fl(x)}  f = {fl(v)}  f'' = {fl(6 * x * x - 16)}")


# --- Rastrigin, one coordinate: x² − 10 cos 2πx + 10 ---------------------------------------------

def rastrigin_1d():
    def g(p):
        s, _ = d_sin_cos(2 * PI * p[0])
        return [2 * p[0] + 20 * PI * s]

    def h(p):
        _, c = d_sin_cos(2 * PI * p[0])
        return [[2 + 40 * PI * PI * c]]

    print("\nRastrigin, per coordinate: roots of 2x + 20π sin 2πx next to 0")
    for start in ["0.99", "0.5", "-0.5", "-0.99"]:
        (x,) = newton(g, h, [D(start)], tol=D(10) ** -45)
        _, c = d_sin_cos(2 * PI * x)
        v = x * x - 10 * c + 10
        print(f"  x = {fl(x)}  f = {fl(v)}  f'' = {fl(h([x])[0][0])}")


# --- chained Rosenbrock: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² ----------------------------------

def rosen_n_f(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rosen_n_g(x):
    n = len(x)
    g = [0 * x[0]] * n
    for i in range(n - 1):
        v = x[i + 1] - x[i] ** 2
        g[i] += -400 * x[i] * v - 2 * (1 - x[i])
        g[i + 1] += 200 * v
    return g


def rosen_n_h(x):
    n = len(x)
    h = [[0 * x[0]] * n for _ in range(n)]
    for i in range(n - 1):
        h[i][i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        h[i + 1][i + 1] += 200
        h[i][i + 1] = h[i + 1][i] = -400 * x[i]
    return h


def rosenbrock_n():
    print("\nChained Rosenbrock: the local minimum from (−1, 1, …, 1) (Shang & Qiu 2006)")
    for n in range(4, 8):
        x = newton(rosen_n_g, rosen_n_h, [D(-1)] + [D(1)] * (n - 1), tol=D(10) ** -45)
        eigs = sym_eigs(rosen_n_h(x))
        print(f"  N = {n}: [{', '.join(fl(v) for v in x)}]")
        print(f"         f = {fl(rosen_n_f(x))}  {kind(eigs)}  eig min {eigs[0]:.6g}")


# --- ExpSinCos: eˣ sin y + cos(xy) ----------------------------------------------------------------

def exp_sin_cos():
    x, y = D("0.5"), D("0.7")
    e = d_exp(x)
    sy, cy = d_sin_cos(y)
    sxy, cxy = d_sin_cos(x * y)
    f = e * sy + cxy
    g = [e * sy - y * sxy, e * cy - x * sxy]
    h = [[e * sy - y * y * cxy, e * cy - sxy - x * y * cxy],
         [e * cy - sxy - x * y * cxy, -e * sy - x * x * cxy]]
    print("\nExpSinCos at (0.5, 0.7):")
    print(f"  f = {fl(f)}")
    print(f"  g = [{fl(g[0])}, {fl(g[1])}]")
    print(f"  H = [[{fl(h[0][0])}, {fl(h[0][1])}], [{fl(h[1][0])}, {fl(h[1][1])}]]")


if __name__ == "__main__":
    critical_points_2d("Six-hump camel", camel_f, camel_g, camel_h, ((-3.0, 3.0), (-2.0, 2.0)))
    critical_points_2d(
        "Himmelblau", himmelblau_f, himmelblau_g, himmelblau_h, ((-5.0, 5.0), (-5.0, 5.0))
    )
    critical_points_2d("Beale", beale_f, beale_g, beale_h, ((-4.5, 4.5), (-4.5, 4.5)), grid=61)
    st_1d()
    rastrigin_1d()
    rosenbrock_n()
    exp_sin_cos()
