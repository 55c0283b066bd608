"""Refines the critical points of Himmelblau's function by Newton's method in double precision,
independently of lossmap (plain Python floats). Prints the constants used in src/testfn/himmelblau.rs.

Run: python3 tests/reference/critical_points.py
"""


def grad(x, y):
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def hess(x, y):
    return (12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 4 * y, 4 * x + 12 * y * y - 26)


def newton(x, y):
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


# Published approximations (Himmelblau 1972; e.g. Wikipedia's table) as Newton starts.
starts = {
    "minimum": [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)],
    "saddle": [(0.086677, 2.884254), (-3.073026, -0.081353), (3.385154, 0.073852), (-0.127961, -1.953715)],
    "maximum": [(-0.270845, -0.923039)],
}
for kind, pts in starts.items():
    for p in pts:
        x, y = newton(*p)
        a, b, c, d = hess(x, y)
        print(f"{kind:8s} [{x:.15f}, {y:.15f}]  |grad| = {max(map(abs, grad(x, y))):.1e}  hess = [[{a:.6f}, {b:.6f}], [{c:.6f}, {d:.6f}]]")
