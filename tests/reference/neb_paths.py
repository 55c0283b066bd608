"""Minimum-energy paths between minima, found independently of lossmap (plain Python floats), for
the NEB targets of tests/neb.rs.

1. Simplified string method (E, Ren & Vanden-Eijnden, J. Chem. Phys. 126, 164103 (2007)):
   steepest-descent steps on every image, then redistribution to equal arc length. Started from
   the straight line and, to rule out a path held on a symmetric line by symmetry alone, from
   bent lines (sin bump of +-0.5 and 1.0 across the line).
2. Newton's method on grad f = 0 from the highest image of the converged string: the saddle the
   path crosses; Hessian determinant < 0 (one negative eigenvalue in 2-D: index 1).
3. Check: steepest descent from that saddle, started 1e-3 along +-the negative-curvature
   eigenvector, must end in the two minima (then the saddle connects them).

Result: the Himmelblau pairs cross the listed saddles of src/testfn/himmelblau.rs; the six-hump
camel path between its global minima +-(0.0898420131003, -0.7126564030207) crosses the origin,
an index-1 saddle (eigenvalues +-sqrt(65)), with barrier 1.031628453489877 from either side
(the camel's other saddles, at +-(1.1092, -0.7683) with f = 0.5437 and higher, are not on it).

Run: python3 tests/reference/neb_paths.py   (about 30 s)
"""
import math


def camel(x, y):
    return (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y


def camel_grad(x, y):
    return 8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3


def camel_hess(x, y):
    return 8 - 25.2 * x * x + 10 * x ** 4, 1.0, 1.0, -8 + 48 * y * y


def himmel(x, y):
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmel_grad(x, y):
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def himmel_hess(x, y):
    return 12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 4 * y, 4 * x + 12 * y * y - 26


def newton(grad, hess, x, y):
    for _ in range(100):
        gx, gy = grad(x, y)
        a, b, c, d = hess(x, y)
        det = a * d - b * c
        dx = (d * gx - b * gy) / det
        dy = (-c * gx + a * gy) / det
        x, y = x - dx, y - dy
        if abs(dx) + abs(dy) < 1e-17:
            break
    return x, y


def reparametrize(pts):
    """Equal arc-length redistribution by linear interpolation (endpoints kept)."""
    s = [0.0]
    for p, q in zip(pts, pts[1:]):
        s.append(s[-1] + math.hypot(q[0] - p[0], q[1] - p[1]))
    total, m = s[-1], len(pts)
    out = [pts[0]]
    k = 0
    for i in range(1, m - 1):
        t = total * i / (m - 1)
        while s[k + 1] < t:
            k += 1
        w = (t - s[k]) / (s[k + 1] - s[k])
        p, q = pts[k], pts[k + 1]
        out.append((p[0] + w * (q[0] - p[0]), p[1] + w * (q[1] - p[1])))
    out.append(pts[-1])
    return out


def string_method(f, grad, a, b, bump=0.0, images=41, dt=1e-3, steps=20000):
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    pts = []
    for i in range(images):
        t = i / (images - 1)
        s = bump * math.sin(math.pi * t)
        pts.append((a[0] + dx * t + s * nx, a[1] + dy * t + s * ny))
    for _ in range(steps):
        moved = [pts[0]]
        for p in pts[1:-1]:
            gx, gy = grad(*p)
            moved.append((p[0] - dt * gx, p[1] - dt * gy))
        moved.append(pts[-1])
        pts = reparametrize(moved)
    energies = [f(*p) for p in pts]
    top = max(range(1, images - 1), key=lambda i: energies[i])
    return pts[top], energies[top]


def descend(grad, x, y, dt=1e-4, steps=200000):
    for _ in range(steps):
        gx, gy = grad(x, y)
        x, y = x - dt * gx, y - dt * gy
    return x, y


def negative_mode(hess, x, y):
    a, b, _, d = hess(x, y)
    tr, det = a + d, a * d - b * b
    lam = tr / 2 - math.sqrt(tr * tr / 4 - det)
    vx, vy = b, lam - a
    n = math.hypot(vx, vy)
    return lam, (vx / n, vy / n)


cases = [
    ("Himmelblau", himmel, himmel_grad, himmel_hess,
     (3.0, 2.0), (3.584428340330492, -1.848126526964403)),
    ("Himmelblau", himmel, himmel_grad, himmel_hess,
     (3.0, 2.0), (-2.805118086952745, 3.131312518250573)),
    ("Himmelblau", himmel, himmel_grad, himmel_hess,
     (-3.779310253377747, -3.28318599128617), (3.584428340330492, -1.848126526964403)),
    ("six-hump camel", camel, camel_grad, camel_hess,
     (0.0898420131003, -0.7126564030207), (-0.0898420131003, 0.7126564030207)),
]
for name, f, grad, hess, a, b in cases:
    print(f"{name}: {a} -> {b}")
    for bump in (0.0, 0.5, -0.5, 1.0):
        top, e = string_method(f, grad, a, b, bump)
        x, y = newton(grad, hess, *top)
        print(f"  string (bump {bump:+.1f}) top image ({top[0]: .6f}, {top[1]: .6f}) E = {e:.6f}"
              f" -> Newton [{x:.15f}, {y:.15f}]")
    ha, hb, hc, hd = hess(x, y)
    lam, (vx, vy) = negative_mode(hess, x, y)
    ends = [descend(grad, x + sg * 1e-3 * vx, y + sg * 1e-3 * vy) for sg in (1, -1)]
    print(f"  saddle [{x:.15f}, {y:.15f}]  f = {f(x, y):.15f}  |grad| = {max(map(abs, grad(x, y))):.1e}"
          f"  det H = {ha * hd - hb * hc:.3f}, negative eigenvalue {lam:.6f}")
    print("  steepest descent from it ends at " + ", ".join(f"({p[0]:.9f}, {p[1]:.9f})" for p in ends))
    print(f"  barrier from a {f(x, y) - f(*a):.15f}, from b {f(x, y) - f(*b):.15f}")
