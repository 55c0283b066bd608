"""Reference Adam trajectories, computed independently of lossmap from torch.optim.Adam's
documented algorithm (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html), in the
operation order of torch's single-tensor implementation:

    g  <- g + weight_decay * theta
    m  <- beta1 * m + (1 - beta1) * g
    v  <- beta2 * v + (1 - beta2) * g * g
    bc1 = 1 - beta1 ** t ; bc2 = 1 - beta2 ** t          (t = 1, 2, ...)
    theta <- theta - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)

Plain Python floats are IEEE binary64, so the f64 trajectory is what numpy would give. For f32
every arithmetic result is rounded to binary32 (exact for + - * / sqrt: binary64 carries more
than 2*24+2 bits, so double rounding cannot occur).

Run: python3 tests/reference/adam_trajectory.py > tests/reference/adam_trajectory.txt
Output lines: `<case> <precision> <step> <theta_0> <theta_1>` (17 significant digits).
"""
import math
import struct


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def ident(v):
    return v


def rosenbrock_grad(x, r):
    a, b = x
    v = r(b - r(a * a))
    return [r(r(-2.0 * r(1.0 - a)) - r(r(400.0 * a) * v)), r(200.0 * v)]


def quadratic_grad(x, r):
    # f = 0.5 * (x0^2 + 10 x1^2) - x0: a fixed, anisotropic bowl with minimum (1, 0).
    return [r(x[0] - 1.0), r(10.0 * x[1])]


def run(grad, x, lr, beta1, beta2, eps, wd, steps, r):
    x = [r(v) for v in x]
    lr, beta1, beta2, eps, wd = map(r, (lr, beta1, beta2, eps, wd))
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    out = []
    for t in range(1, steps + 1):
        g = grad(x, r)
        # torch computes the bias corrections with Python floats (binary64) for every dtype.
        bc1 = r(1.0 - beta1 ** t)
        bc2_sqrt = r(math.sqrt(1.0 - beta2 ** t))
        step_size = r(lr / bc1)
        for i in range(2):
            ge = r(g[i] + r(wd * x[i]))
            m[i] = r(r(beta1 * m[i]) + r(r(1.0 - beta1) * ge))
            v[i] = r(r(beta2 * v[i]) + r(r(r(1.0 - beta2) * ge) * ge))
            denom = r(r(math.sqrt(v[i]) / bc2_sqrt) + eps)
            x[i] = r(x[i] - r(step_size * r(m[i] / denom)))
        out.append(list(x))
    return out


cases = {
    # name: (gradient, start, lr, beta1, beta2, eps, weight_decay)
    "rosenbrock": (rosenbrock_grad, [-1.2, 1.0], 0.01, 0.9, 0.999, 1e-8, 0.0),
    "quadratic_wd": (quadratic_grad, [3.0, -2.0], 0.1, 0.8, 0.99, 1e-6, 0.05),
}
for name, (grad, x0, lr, b1, b2, eps, wd) in cases.items():
    for prec, r in (("f64", ident), ("f32", f32)):
        for t, x in enumerate(run(grad, x0, lr, b1, b2, eps, wd, 50, r), start=1):
            print(f"{name} {prec} {t} {x[0]:.17g} {x[1]:.17g}")
