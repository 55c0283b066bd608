"""Reference learning-rate schedules from real torch: the torch.optim.lr_scheduler classes of
torch 2.15.0 (StepLR, ExponentialLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR,
ReduceLROnPlateau; the rate read from the optimizer's `param_groups[0]["lr"]` after each
`step()`, ReduceLROnPlateau's `step(loss(t))`), cross-checked against the formulas documented
for torch.optim.lr_scheduler (https://pytorch.org/docs/stable/optim.html) in plain Python floats
(IEEE binary64):

  StepLR        closed form (_get_closed_form_lr): base_lr * gamma ** (t // step_size)
  ExponentialLR closed form (_get_closed_form_lr): base_lr * gamma ** t
  CosineAnnealingWarmRestarts: torch's recursion T_cur += 1; if T_cur >= T_i: T_cur -= T_i,
                T_i *= T_mult; eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
  CyclicLR      get_lr (scale_mode "cycle"), modes triangular and triangular2
  OneCycleLR    get_lr, two phases, anneal_strategy "cos"
  ReduceLROnPlateau  step(metrics), mode "min", threshold_mode "rel"

The feedback schedules see the synthetic loss sequence loss(t) below.

For f32 the inputs (parameters except the decay factors gamma, which lossmap keeps in binary64,
and losses) are rounded to binary32 first, the arithmetic is
done in binary64 (as lossmap does, and as torch does in Python floats), the returned rate is
rounded to binary32, and so is the state lossmap keeps in T (the plateau rate).
(The PI controller steers by each step's observation, not by a loss sequence: its reference is
tests/reference/schedule_trajectories.py.)

torch computes the rates in Python floats whatever the parameters' dtype; for f32 it is given the
binary32-rounded parameters and its rate is rounded to binary32. The script asserts that torch
and the formulas agree to 1e-12 relative in f64 and to 1e-6 in f32 (the measured differences
are printed on stderr); the file holds torch's numbers. (In f32 the plateau rate differs: torch
keeps it in binary64, lossmap and the formula run in T.)

Run: /work/venv-torch/bin/python tests/reference/schedules.py > tests/reference/schedules.txt
Output lines: `<schedule> <precision> <step> <lr>` (repr: shortest round-trip decimal).
"""
import math
import struct
import sys

STEPS = 300


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def ident(v):
    return v


def loss(t):
    """Falls, stalls on a plateau for 60 steps, falls again; up-blips at t = 49, 99, ..."""
    if t < 100:
        v = 1.0 / (1.0 + 0.05 * t)
    elif t < 160:
        v = 1.0 / 6.0
    else:
        v = 0.99 ** (t - 160) / 6.0
    return v * 1.02 if t % 50 == 49 else v


def constant(r, lr):
    return [r(lr)] * STEPS


def step_lr(r, lr, step_size, gamma):
    lr = r(lr)  # gamma stays binary64, as lossmap keeps it
    return [r(lr * gamma ** (t // step_size)) for t in range(STEPS)]


def exponential(r, lr, gamma):
    lr = r(lr)  # gamma stays binary64, as lossmap keeps it
    return [r(lr * gamma ** t) for t in range(STEPS)]


def sgdr(r, lr, t_0, t_mult, eta_min):
    lr, eta_min = r(lr), r(eta_min)
    out, t_cur, t_i = [], 0, t_0
    for t in range(STEPS):
        if t > 0:
            t_cur += 1
            if t_cur >= t_i:
                t_cur -= t_i
                t_i *= t_mult
        out.append(r(eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2))
    return out


def cyclic(r, base_lr, max_lr, up, down, mode):
    base_lr, max_lr = r(base_lr), r(max_lr)
    total = float(up + down)
    ratio = float(up) / total
    out = []
    for t in range(STEPS):
        cycle = math.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        if x <= ratio:
            scale_factor = x / ratio
        else:
            scale_factor = (x - 1) / (ratio - 1)
        height = (max_lr - base_lr) * scale_factor
        scale = 1.0 if mode == "triangular" else 1 / (2.0 ** (cycle - 1))
        out.append(r(base_lr + height * scale))
    return out


def annealing_cos(start, end, pct):
    cos_out = math.cos(math.pi * pct) + 1
    return end + (start - end) / 2.0 * cos_out


def one_cycle(r, max_lr, total_steps, pct_start, div_factor, final_div_factor):
    max_lr, pct_start = r(max_lr), r(pct_start)
    div_factor, final_div_factor = r(div_factor), r(final_div_factor)
    initial = max_lr / div_factor
    min_lr = initial / final_div_factor
    phases = [
        (float(pct_start * total_steps) - 1, initial, max_lr),
        (float(total_steps - 1), max_lr, min_lr),
    ]
    out = []
    for t in range(total_steps + 1):
        start_step = 0.0
        for i, (end_step, a, b) in enumerate(phases):
            if t <= end_step or i == len(phases) - 1:
                pct = (t - start_step) / (end_step - start_step)
                out.append(r(annealing_cos(a, b, pct)))
                break
            start_step = end_step
    return out


def plateau(r, lr, factor, patience, threshold, cooldown, min_lr, eps):
    lr, factor, threshold, min_lr, eps = r(lr), r(factor), r(threshold), r(min_lr), r(eps)
    best, bad, cool, out = math.inf, 0, 0, []
    for t in range(STEPS):
        cur = r(loss(t))
        if cur < best * (1.0 - threshold):
            best, bad = cur, 0
        else:
            bad += 1
        if cool > 0:
            cool -= 1
            bad = 0
        if bad > patience:
            new = max(lr * factor, min_lr)
            if lr - new > eps:
                lr = r(new)
            cool, bad = cooldown, 0
        out.append(lr)
    return out


def cases(r):
    return [
        ("constant", constant(r, 0.05)),
        ("step", step_lr(r, 0.1, 7, 0.5)),
        ("exponential", exponential(r, 0.2, 0.97)),
        ("sgdr_mult1", sgdr(r, 0.1, 13, 1, 0.001)),
        ("sgdr_mult3", sgdr(r, 0.1, 5, 3, 0.0)),
        ("cyclic_triangular", cyclic(r, 0.01, 0.1, 7, 13, "triangular")),
        ("cyclic_triangular2", cyclic(r, 0.01, 0.1, 10, 5, "triangular2")),
        ("one_cycle", one_cycle(r, 0.5, 250, 0.3, 25.0, 1e4)),
        ("plateau", plateau(r, 1.0, 0.5, 3, 0.01, 2, 0.01, 1e-8)),
    ]


def torch_cases(r):
    import warnings

    import torch
    L = torch.optim.lr_scheduler
    warnings.filterwarnings("ignore")

    def rates(make, steps=STEPS, lr=1.0, fed=False):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=lr)
        s = make(opt)
        out = []
        for t in range(steps):
            if fed:  # ReduceLROnPlateau: the rate after seeing loss(t)
                s.step(r(loss(t)))
            elif t > 0:
                s.step()
            out.append(r(opt.param_groups[0]["lr"]))
        return out

    return [
        ("constant", rates(lambda o: L.ConstantLR(o, factor=1.0), lr=r(0.05))),
        ("step", rates(lambda o: L.StepLR(o, 7, 0.5), lr=r(0.1))),
        ("exponential", rates(lambda o: L.ExponentialLR(o, 0.97), lr=r(0.2))),
        ("sgdr_mult1", rates(lambda o: L.CosineAnnealingWarmRestarts(o, 13, 1, r(0.001)),
                             lr=r(0.1))),
        ("sgdr_mult3", rates(lambda o: L.CosineAnnealingWarmRestarts(o, 5, 3, 0.0), lr=r(0.1))),
        ("cyclic_triangular", rates(lambda o: L.CyclicLR(o, r(0.01), r(0.1), 7, 13,
                                                         "triangular", cycle_momentum=False))),
        ("cyclic_triangular2", rates(lambda o: L.CyclicLR(o, r(0.01), r(0.1), 10, 5,
                                                          "triangular2",
                                                          cycle_momentum=False))),
        ("one_cycle", rates(lambda o: L.OneCycleLR(o, r(0.5), 250, pct_start=r(0.3),
                                                   div_factor=r(25.0),
                                                   final_div_factor=r(1e4),
                                                   cycle_momentum=False), steps=251)),
        ("plateau", rates(lambda o: L.ReduceLROnPlateau(o, "min", r(0.5), 3, r(0.01), "rel", 2,
                                                        r(0.01), r(1e-8)),
                          lr=r(1.0), fed=True)),
    ]


worst = {}
for prec, r in (("f64", ident), ("f32", f32)):
    formula = dict(cases(r))
    for name, rates in torch_cases(r):
        assert len(rates) == len(formula[name]), name
        e = max(abs(a - b) / abs(b) for a, b in zip(formula[name], rates))
        print(f"torch vs formulas, {name} {prec}: max relative difference {e:.2e}",
              file=sys.stderr)
        worst[prec] = max(worst.get(prec, 0.0), e)
        for t, v in enumerate(rates):
            print(f"{name} {prec} {t} {v!r}")
assert worst["f64"] <= 1e-12 and worst["f32"] <= 1e-6, worst
