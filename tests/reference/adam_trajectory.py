"""Reference Adam trajectories from real torch: torch.optim.Adam of torch 2.15.0 (CPU, one
thread, its portable kernels: ATEN_CPU_CAPABILITY=default, whose rounding does not depend on the
machine's vector unit) in float64 and float32, the gradient handed to it as `param.grad`.
Cross-checked against torch's documented algorithm
(https://pytorch.org/docs/stable/generated/torch.optim.Adam.html) in plain Python, in the
operation order of torch's single-tensor implementation:

    g  <- g + weight_decay * theta
    m  <- beta1 * m + (1 - beta1) * g
    v  <- beta2 * v + (1 - beta2) * g * g
    bc1 = 1 - beta1 ** t ; bc2 = 1 - beta2 ** t          (t = 1, 2, ...)
    theta <- theta - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)

Plain Python floats are IEEE binary64, so the f64 trajectory is what numpy would give. For f32
every arithmetic result is rounded to binary32 (exact for + - * / sqrt: binary64 carries more
than 2*24+2 bits, so double rounding cannot occur).

The script asserts that torch and the formulas agree to 1e-12 relative in float64 (measured:
see the line it prints on stderr) and that torch's `maximize=True` on the negated gradient gives
the same trajectory bit for bit; the file holds torch's numbers. In float32 they differ by the
rounding order only (torch updates m with `lerp` and rounds lr / bias_correction1 from
binary64), measured on stderr as well.

Run: /work/venv-torch/bin/python tests/reference/adam_trajectory.py \
         > tests/reference/adam_trajectory.txt
Output lines: `<case> <precision> <step> <theta_0> <theta_1>` (17 significant digits).
"""
import math
import os
import struct
import sys

os.environ["ATEN_CPU_CAPABILITY"] = "default"  # before torch is imported
import torch  # noqa: E402


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


def run_torch(grad, x, lr, beta1, beta2, eps, wd, steps, r, maximize=False):
    dtype = torch.float64 if r is ident else torch.float32
    lr, beta1, beta2, eps, wd = map(r, (lr, beta1, beta2, eps, wd))
    p = torch.nn.Parameter(torch.tensor([r(v) for v in x], dtype=dtype))
    opt = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd,
                           maximize=maximize)
    out = []
    for _ in range(steps):
        g = grad(p.detach().tolist(), r)
        if maximize:  # the gradient of -f
            g = [-v for v in g]
        p.grad = torch.tensor(g, dtype=dtype)
        opt.step()
        out.append(p.detach().tolist())
    return out


torch.set_num_threads(1)
assert torch.backends.cpu.get_cpu_capability() == "DEFAULT"
cases = {
    # name: (gradient, start, lr, beta1, beta2, eps, weight_decay)
    "rosenbrock": (rosenbrock_grad, [-1.2, 1.0], 0.01, 0.9, 0.999, 1e-8, 0.0),
    "quadratic_wd": (quadratic_grad, [3.0, -2.0], 0.1, 0.8, 0.99, 1e-6, 0.05),
}
worst = {"f64": 0.0, "f32": 0.0}
for name, (grad, x0, lr, b1, b2, eps, wd) in cases.items():
    for prec, r in (("f64", ident), ("f32", f32)):
        formula = run(grad, x0, lr, b1, b2, eps, wd, 50, r)
        real = run_torch(grad, x0, lr, b1, b2, eps, wd, 50, r)
        # torch negates the gradient before adding the L2 term: maximizing -f is minimizing f.
        assert run_torch(grad, x0, lr, b1, b2, eps, wd, 50, r, maximize=True) == real
        for a, b in zip(formula, real):
            for i in range(2):
                worst[prec] = max(worst[prec], abs(a[i] - b[i]) / max(abs(b[i]), 1e-300))
        for t, x in enumerate(real, start=1):
            print(f"{name} {prec} {t} {x[0]:.17g} {x[1]:.17g}")
for prec in ("f64", "f32"):
    print(f"torch {torch.__version__} vs formulas, {prec}: max relative difference "
          f"{worst[prec]:.2e}", file=sys.stderr)
assert worst["f64"] <= 1e-12, worst
