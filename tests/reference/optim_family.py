"""Reference trajectories for the first-order family (SGD, Adagrad, RMSprop, AdamW/AMSGrad)
from real torch: torch.optim.SGD, Adagrad, RMSprop, AdamW and Adam (amsgrad) of torch 2.15.0
(CPU, one thread, its portable kernels: ATEN_CPU_CAPABILITY=default, whose rounding does not
depend on the machine's vector unit) in float64 and float32, the gradient handed to torch as
`param.grad`. Cross-checked against torch.optim's documented algorithms
(https://pytorch.org/docs/stable/optim.html) in plain Python, in the operation order of
torch's single-tensor implementations:

SGD       d = g + wd*theta; if momentum: b = d (t = 1) else b = momentum*b + (1 - dampening)*d;
          step = d + momentum*b (nesterov) or b; theta -= lr*step
Adagrad   clr = lr / (1 + (t - 1)*lr_decay) (binary64); d = g + wd*theta; s += d*d;
          theta -= clr * d / (sqrt(s) + eps)                       (s starts at initial_accumulator_value)
RMSprop   d = g + wd*theta; v = alpha*v + (1 - alpha)*d*d;
          centered: ga = alpha*ga + (1 - alpha)*d, var = max(v - ga*ga, 0) else var = v;
          avg = sqrt(var) + eps; momentum: b = momentum*b + d/avg, theta -= lr*b
          else theta -= lr*(d/avg)
AdamW     decoupled: theta *= 1 - lr*wd (factor in binary64), d = g; else d = g + wd*theta;
          m = b1*m + (1 - b1)*d; v = b2*v + (1 - b2)*d*d; amsgrad: vmax = max(vmax, v), use vmax;
          theta -= (lr/bc1) * m / (sqrt(v)/sqrt(bc2) + eps)          (bc in binary64)

Plain Python floats are IEEE binary64. For f32 every arithmetic result is rounded to binary32
(exact for + - * / sqrt: binary64 carries more than 2*24+2 bits, so double rounding cannot
occur); hyperparameters are rounded to binary32 first, as lossmap stores them in T.

The script asserts that torch and the formulas agree to 1e-12 relative in float64 (measured:
printed on stderr, per optimizer) and that torch's `maximize=True` on the negated gradient gives
the same trajectory bit for bit in every case; the file holds torch's numbers. The float32
differences (printed too) come from rounding order only.

Run: /work/venv-torch/bin/python tests/reference/optim_family.py \
         > tests/reference/optim_family.txt
Output: `config <case> <function> <optimizer> key=value ...` once per case, then lines
`<case> <function> <precision> <step> <theta_0> <theta_1>` (17 significant digits).
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


def sgd(x, g, st, p, r, t):
    b = st.setdefault("b", [0.0, 0.0])
    mu, wd = p["momentum"], p["weight_decay"]
    damp = r(1.0 - p["dampening"])
    for i in range(2):
        d = r(g[i] + r(wd * x[i]))
        if mu > 0:
            b[i] = d if t == 1 else r(r(mu * b[i]) + r(damp * d))
            step = r(d + r(mu * b[i])) if p["nesterov"] else b[i]
        else:
            step = d
        x[i] = r(x[i] - r(p["lr"] * step))


def adagrad(x, g, st, p, r, t):
    s = st.setdefault("s", [p["initial_accumulator_value"]] * 2)
    clr = r(p["lr"] / (1.0 + (t - 1) * p["lr_decay"]))
    for i in range(2):
        d = r(g[i] + r(p["weight_decay"] * x[i]))
        s[i] = r(s[i] + r(d * d))
        std = r(r(math.sqrt(s[i])) + p["eps"])
        x[i] = r(x[i] - r(clr * r(d / std)))


def rmsprop(x, g, st, p, r, t):
    v = st.setdefault("v", [0.0, 0.0])
    ga = st.setdefault("ga", [0.0, 0.0])
    b = st.setdefault("b", [0.0, 0.0])
    alpha, mu = p["alpha"], p["momentum"]
    oma = r(1.0 - alpha)
    for i in range(2):
        d = r(g[i] + r(p["weight_decay"] * x[i]))
        v[i] = r(r(alpha * v[i]) + r(r(oma * d) * d))
        if p["centered"]:
            ga[i] = r(r(alpha * ga[i]) + r(oma * d))
            var = max(r(v[i] - r(ga[i] * ga[i])), 0.0)
        else:
            var = v[i]
        avg = r(r(math.sqrt(var)) + p["eps"])
        if mu > 0:
            b[i] = r(r(mu * b[i]) + r(d / avg))
            x[i] = r(x[i] - r(p["lr"] * b[i]))
        else:
            x[i] = r(x[i] - r(p["lr"] * r(d / avg)))


def adamw(x, g, st, p, r, t):
    m = st.setdefault("m", [0.0, 0.0])
    v = st.setdefault("v", [0.0, 0.0])
    vmax = st.setdefault("vmax", [0.0, 0.0])
    lr, b1, b2, eps, wd = p["lr"], p["beta1"], p["beta2"], p["eps"], p["weight_decay"]
    bc1 = r(1.0 - b1 ** t)
    bc2_sqrt = r(math.sqrt(1.0 - b2 ** t))
    step_size = r(lr / bc1)
    shrink = r(1.0 - lr * wd)
    l2 = 0.0 if p["decoupled"] else wd
    for i in range(2):
        if p["decoupled"] and wd != 0:
            x[i] = r(x[i] * shrink)
        d = r(g[i] + r(l2 * x[i]))
        m[i] = r(r(b1 * m[i]) + r(r(1.0 - b1) * d))
        v[i] = r(r(b2 * v[i]) + r(r(r(1.0 - b2) * d) * d))
        if p["amsgrad"]:
            vmax[i] = max(vmax[i], v[i])
            second = vmax[i]
        else:
            second = v[i]
        denom = r(r(r(math.sqrt(second)) / bc2_sqrt) + eps)
        x[i] = r(x[i] - r(step_size * r(m[i] / denom)))


OPTIMIZERS = {"sgd": sgd, "adagrad": adagrad, "rmsprop": rmsprop, "adamw": adamw}
FUNCTIONS = {
    "quadratic": (quadratic_grad, [3.0, -2.0]),
    "rosenbrock": (rosenbrock_grad, [-1.2, 1.0]),
}

# case: (optimizer, {function: lr}, other hyperparameters); every option is exercised.
CASES = {
    "sgd_plain": ("sgd", {"quadratic": 0.05, "rosenbrock": 2e-4},
                  dict(momentum=0.0, dampening=0.0, weight_decay=0.01, nesterov=0)),
    "sgd_heavy_ball": ("sgd", {"quadratic": 0.02, "rosenbrock": 1e-4},
                       dict(momentum=0.9, dampening=0.1, weight_decay=0.02, nesterov=0)),
    "sgd_nesterov": ("sgd", {"quadratic": 0.02, "rosenbrock": 1e-4},
                     dict(momentum=0.8, dampening=0.0, weight_decay=0.01, nesterov=1)),
    "adagrad": ("adagrad", {"quadratic": 0.5, "rosenbrock": 0.05},
                dict(lr_decay=0.01, weight_decay=0.02, initial_accumulator_value=0.1, eps=1e-9)),
    "rmsprop": ("rmsprop", {"quadratic": 0.01, "rosenbrock": 1e-3},
                dict(alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.0, centered=0)),
    "rmsprop_centered": ("rmsprop", {"quadratic": 0.01, "rosenbrock": 1e-3},
                         dict(alpha=0.95, eps=1e-7, weight_decay=0.0, momentum=0.0, centered=1)),
    "rmsprop_momentum": ("rmsprop", {"quadratic": 0.01, "rosenbrock": 1e-3},
                         dict(alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.5, centered=0)),
    "rmsprop_centered_momentum": ("rmsprop", {"quadratic": 0.01, "rosenbrock": 1e-3},
                                  dict(alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.5,
                                       centered=1)),
    "adamw": ("adamw", {"quadratic": 0.1, "rosenbrock": 0.01},
              dict(beta1=0.85, beta2=0.98, eps=1e-7, weight_decay=0.1, amsgrad=0, decoupled=1)),
    "adamw_amsgrad": ("adamw", {"quadratic": 0.1, "rosenbrock": 0.01},
                      dict(beta1=0.85, beta2=0.98, eps=1e-7, weight_decay=0.05, amsgrad=1,
                           decoupled=1)),
    "adam_amsgrad": ("adamw", {"quadratic": 0.1, "rosenbrock": 0.01},
                     dict(beta1=0.9, beta2=0.99, eps=1e-8, weight_decay=0.05, amsgrad=1,
                          decoupled=0)),
}

def torch_optimizer(opt, x, p, maximize):
    o = torch.optim
    if opt == "sgd":
        return o.SGD([x], lr=p["lr"], momentum=p["momentum"], dampening=p["dampening"],
                     weight_decay=p["weight_decay"], nesterov=p["nesterov"] == 1,
                     maximize=maximize)
    if opt == "adagrad":
        return o.Adagrad([x], lr=p["lr"], lr_decay=p["lr_decay"],
                         weight_decay=p["weight_decay"],
                         initial_accumulator_value=p["initial_accumulator_value"],
                         eps=p["eps"], maximize=maximize)
    if opt == "rmsprop":
        return o.RMSprop([x], lr=p["lr"], alpha=p["alpha"], eps=p["eps"],
                         weight_decay=p["weight_decay"], momentum=p["momentum"],
                         centered=p["centered"] == 1, maximize=maximize)
    kind = o.AdamW if p["decoupled"] else o.Adam
    return kind([x], lr=p["lr"], betas=(p["beta1"], p["beta2"]), eps=p["eps"],
                weight_decay=p["weight_decay"], amsgrad=p["amsgrad"] == 1, maximize=maximize)


def run_torch(opt, grad, x0, p, r, maximize=False):
    dtype = torch.float64 if r is ident else torch.float32
    x = torch.nn.Parameter(torch.tensor([r(v) for v in x0], dtype=dtype))
    o = torch_optimizer(opt, x, p, maximize)
    out = []
    for _ in range(STEPS):
        g = grad(x.detach().tolist(), r)
        if maximize:  # the gradient of -f
            g = [-v for v in g]
        x.grad = torch.tensor(g, dtype=dtype)
        o.step()
        out.append(x.detach().tolist())
    return out


torch.set_num_threads(1)
assert torch.backends.cpu.get_cpu_capability() == "DEFAULT"
worst = {}
STEPS = 50
for case, (opt, lrs, hyper) in CASES.items():
    for fname, (grad, x0) in FUNCTIONS.items():
        params = dict(lr=lrs[fname], **hyper)
        print(f"config {case} {fname} {opt} " + " ".join(f"{k}={v!r}" for k, v in params.items()))
        for prec, r in (("f64", ident), ("f32", f32)):
            p = {k: (r(v) if isinstance(v, float) else v) for k, v in params.items()}
            x = [r(v) for v in x0]
            st = {}
            formula = []
            for t in range(1, STEPS + 1):
                g = grad(x, r)
                OPTIMIZERS[opt](x, g, st, p, r, t)
                assert all(math.isfinite(v) for v in x), (case, fname, prec, t)
                formula.append(list(x))
            real = run_torch(opt, grad, x0, p, r)
            assert run_torch(opt, grad, x0, p, r, maximize=True) == real, (case, fname, prec)
            key = (prec, case)
            for a, b in zip(formula, real):
                for i in range(2):
                    e = abs(a[i] - b[i]) / max(abs(b[i]), 1e-300)
                    worst[key] = max(worst.get(key, 0.0), e)
            for t, x in enumerate(real, start=1):
                print(f"{case} {fname} {prec} {t} {x[0]:.17g} {x[1]:.17g}")
for (prec, case), e in sorted(worst.items()):
    print(f"torch {torch.__version__} vs formulas, {prec} {case}: max relative difference "
          f"{e:.2e}", file=sys.stderr)
bad = {k: e for k, e in worst.items() if k[0] == "f64" and e > 1e-12}
assert not bad, bad
