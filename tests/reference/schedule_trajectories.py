"""Reference trajectories of SGD (and Adam, for cycle momentum) driven by every learning-rate
schedule, computed by real torch (torch.optim.SGD / torch.optim.Adam and the
torch.optim.lr_scheduler classes of torch 2.15.0, CPU, one thread) in float64 and float32, and
cross-checked against a transcription of torch's documented formulas in plain Python floats:

  torch.optim.lr_scheduler: StepLR, ExponentialLR, CosineAnnealingWarmRestarts (stepped once per
  step, and with fractional epochs `step(epoch + i / iters)`), CyclicLR (triangular,
  triangular2, exp_range with gamma, a custom scale_fn with scale_mode cycle / iterations,
  cycle_momentum on SGD momentum and on Adam's beta1), OneCycleLR (two and three phases, cos
  and linear, cycle momentum, total_steps and the epochs x steps_per_epoch form),
  CosineAnnealingLR, LinearLR, MultiStepLR, PolynomialLR, LambdaLR, SequentialLR (LinearLR
  then CosineAnnealingLR), ChainedScheduler (LinearLR and ExponentialLR), ReduceLROnPlateau
  (min/max, rel/abs) in torch's documented loop `opt.step(); sched.step(loss)`;
  PI controller: lossmap-only ("autopilot", documented in src/optim/schedule/mod.rs): no torch
  counterpart, so its reference stays the plain-Python run of lossmap's documented rule, told
  the fidelity ratio of each step (the driver's StepObservation: the losses before and after
  the step and -g.dx computed in the run's precision).

The torch loop: `opt.step()` with `param.grad` set to the objective's gradient, then
`sched.step()` (`sched.step(loss)` for ReduceLROnPlateau, so step 0 runs at the initial rate
and the starting loss is never seen); for the fractional-epoch case `sched.step(epoch)` with the
epoch of the coming step, before it. The rate written for a step is `param_groups[0]["lr"]`
when the step runs. The objective is the Python function below in both runs (for float32 with
every operation rounded to binary32, as lossmap's f32 objective computes it), handed to torch
as the gradient tensor. That is the loop documented for lossmap::optim::minimize_with: before
step t (from 0) the schedule gives the rate; SGD steps; loss and gradient at the new point.

torch runs with its portable CPU kernels (ATEN_CPU_CAPABILITY=default, set below): its
vectorized AVX2/AVX512 kernels compute `param.add_(grad, alpha=-lr)` with a fused multiply-add
(one rounding of x - lr*g), so their last bits depend on the machine; measured on AVX512 the
two differ by <= 1e-13 relative in float64 except where 1 - 10*lr cancels to 0 (polynomial,
quadratic, step 10: x1 = 9e-31 fused against 0), and by up to 4.5e-5 in float32.

Cross-check (asserted): torch and the formula runs agree to 1e-12 relative in float64 (measured
1.1e-14, Adam with cycle momentum; SGD cases to the last bit). In float32 they differ by <=
1.8e-7 (ReduceLROnPlateau: torch keeps the cut rate in binary64, lossmap in T) and, for Adam,
by up to 1.3e-5: torch's Adam updates m with `lerp` and scales by lr / bias_correction1 in
binary64 before rounding to float32, the formulas (as lossmap) by b1*m + (1 - b1)*g and an f32
step size: the same algorithm in a different rounding order. The file holds torch's numbers.

Formula details kept for the cross-check: CosineAnnealingLR, LinearLR, MultiStepLR,
PolynomialLR, SequentialLR and ChainedScheduler follow torch's recursive (chainable) `get_lr`;
lossmap evaluates closed forms (they differ by rounding only). A rate of 0 (PolynomialLR at
total_iters, a cosine down to eta_min = 0) is written as the smallest normal number, as lossmap
returns it (the difference to a step of 0 is below any tolerance). CyclicLR honours scale_mode
only with a user scale_fn (a built-in mode forces its own); the cases with a built-in mode and
the other scale mode give torch that mode's function as scale_fn. With cycle momentum torch's
SGD is momentum SGD (dampening 0, buffer = gradient at the first step) and Adam (betas (beta1,
0.999), eps 1e-8) gets beta1 = the momentum, its bias correction 1 - beta1**t using the current
beta1.

Functions, in the operation order of the Rust test (the quadratic) and of
src/testfn/rosenbrock.rs (Rosenbrock):

  quadratic   f = 0.5 * (x0*x0 + (10*x1)*x1) - x0,      g = (x0 - 1, 10*x1),    from (3, -2)
  rosenbrock  u = 1 - a, v = b - a*a, f = u*u + (100*v)*v,
              g = ((-2)*u - ((400*a)*v), 200*v),                                 from (-1.2, 1)

Precision: hyperparameters are rounded to binary32 first for float32, except the decay factors
gamma, which lossmap keeps in binary64 (as torch does). In the formula runs every arithmetic
result of the objective and of SGD is rounded to binary32 (exact emulation for + - * /); the
schedules compute in binary64 and round the returned rate to binary32, and so is the state
lossmap keeps in T (the plateau rate, the PI controller's log-rate and previous error).

Run: /work/venv-torch/bin/python tests/reference/schedule_trajectories.py \
         > tests/reference/schedule_trajectories.txt
Output: `config <case> <function> <schedule> key=value ...` once per case and function, then
`<case> <function> <precision> <step> <lr> <loss>` for steps 1..100 (the rate used for the
step and the loss after it) and `final <case> <function> <precision> <x0> <x1>` (17
significant digits).
"""
import os

os.environ["ATEN_CPU_CAPABILITY"] = "default"  # torch's portable kernels: see above
import math
import struct
import sys

STEPS = 100


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def ident(v):
    return v


# --- objectives -------------------------------------------------------------------------------

def quadratic_value(x, r):
    x0, x1 = x
    return r(r(0.5 * r(r(x0 * x0) + r(r(10.0 * x1) * x1))) - x0)


def quadratic_grad(x, r):
    return [r(x[0] - 1.0), r(10.0 * x[1])]


def rosenbrock_value(x, r):
    a, b = x
    u = r(1.0 - a)
    v = r(b - r(a * a))
    return r(r(u * u) + r(r(100.0 * v) * v))


def rosenbrock_grad(x, r):
    a, b = x
    v = r(b - r(a * a))
    return [r(r(-2.0 * r(1.0 - a)) - r(r(400.0 * a) * v)), r(200.0 * v)]


FUNCTIONS = {
    "quadratic": (quadratic_value, quadratic_grad, [3.0, -2.0]),
    "rosenbrock": (rosenbrock_value, rosenbrock_grad, [-1.2, 1.0]),
}


# --- schedules: make(params, r) -> rate(t, loss) ------------------------------------------------
# Parameters arrive already rounded to the precision; rates are rounded by r on return.

def constant(p, r):
    return lambda t, loss: p["lr"]


def step_lr(p, r):
    return lambda t, loss: r(p["lr"] * p["gamma"] ** (t // p["step_size"]))


def exponential(p, r):
    return lambda t, loss: r(p["lr"] * p["gamma"] ** t)


def sgdr(p, r):
    lr, eta_min, t_mult = p["lr"], p["eta_min"], p["t_mult"]
    st = {"t": -1, "t_cur": 0, "t_i": p["t_0"]}

    def rate(t, loss):
        assert t == st["t"] + 1
        if t > 0:  # torch's step(): T_cur += 1, restart when it reaches T_i
            st["t_cur"] += 1
            if st["t_cur"] >= st["t_i"]:
                st["t_cur"] -= st["t_i"]
                st["t_i"] *= t_mult
        st["t"] = t
        c = math.cos(math.pi * st["t_cur"] / st["t_i"])
        return r(eta_min + (lr - eta_min) * (1 + c) / 2)

    return rate


def cyclic(p, r):  # CyclicLR.get_lr (torch 2.x), with scale_mode, exp_range, cycle_momentum
    base_lr, max_lr, up, down = p["base_lr"], p["max_lr"], p["step_size_up"], p["step_size_down"]
    mode, gamma = p["mode"], p.get("gamma", 1.0)
    scale_mode = p.get("scale_mode", 1 if mode == 2 else 0)
    cycle_momentum = p.get("cycle_momentum", 0)
    base_m, max_m = p.get("base_momentum", 0.8), p.get("max_momentum", 0.9)
    total = float(up + down)
    ratio = float(up) / total

    def scale_fn(x):
        if p.get("custom", 0) == 1:  # a user scale_fn (the Rust test uses the same one)
            return 1.0 / (1.0 + 0.1 * x)
        if mode == 0:
            return 1.0
        if mode == 1:
            return 1 / (2.0 ** (x - 1))
        return gamma ** x

    def rate(t, loss):
        cycle = math.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        if x <= ratio:
            scale_factor = x / ratio
        else:
            scale_factor = (x - 1) / (ratio - 1)
        arg = cycle if scale_mode == 0 else t
        height = (max_lr - base_lr) * scale_factor
        lr = r(base_lr + height * scale_fn(arg))
        if not cycle_momentum:
            return lr
        mh = (max_m - base_m) * scale_factor
        return lr, r(max_m - mh * scale_fn(arg))

    return rate


def annealing_cos(start, end, pct):
    cos_out = math.cos(math.pi * pct) + 1
    return end + (start - end) / 2.0 * cos_out


def annealing_linear(start, end, pct):
    return (end - start) * pct + start


def one_cycle(p, r):  # OneCycleLR (torch 2.x): three_phase, anneal_strategy, cycle_momentum
    max_lr, total_steps, pct_start = p["max_lr"], p["total_steps"], p["pct_start"]
    initial = max_lr / p["div_factor"]
    min_lr = initial / p["final_div_factor"]
    base_m, max_m = p.get("base_momentum", 0.85), p.get("max_momentum", 0.95)
    cycle_momentum = p.get("cycle_momentum", 0)
    anneal = annealing_linear if p.get("anneal", 0) == 1 else annealing_cos
    if p.get("three_phase", 0):
        phases = [
            (float(pct_start * total_steps) - 1, initial, max_lr, max_m, base_m),
            (float(2 * pct_start * total_steps) - 2, max_lr, initial, base_m, max_m),
            (total_steps - 1, initial, min_lr, max_m, max_m),
        ]
    else:
        phases = [
            (float(pct_start * total_steps) - 1, initial, max_lr, max_m, base_m),
            (float(total_steps - 1), max_lr, min_lr, base_m, max_m),
        ]

    def rate(t, loss):
        assert t <= total_steps
        start_step = 0.0
        for i, (end_step, a, b, ma, mb) in enumerate(phases):
            if t <= end_step or i == len(phases) - 1:
                pct = (t - start_step) / (end_step - start_step)
                lr = r(anneal(a, b, pct))
                return (lr, r(anneal(ma, mb, pct))) if cycle_momentum else lr
            start_step = end_step

    return rate


def sgdr_frac(p, r):  # CosineAnnealingWarmRestarts.step(epoch + i / iters), a float epoch
    lr, eta_min, t_0, t_mult, iters = p["lr"], p["eta_min"], p["t_0"], p["t_mult"], p["iters"]

    def rate(t, loss):
        epoch = t // iters + (t % iters) / iters
        if epoch >= t_0:
            if t_mult == 1:
                t_cur, t_i = epoch % t_0, t_0
            else:
                n = int(math.log((epoch / t_0 * (t_mult - 1) + 1), t_mult))
                t_cur = epoch - t_0 * (t_mult ** n - 1) / (t_mult - 1)
                t_i = t_0 * t_mult ** n
        else:
            t_cur, t_i = epoch, t_0
        return r(eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)

    return rate


def plateau(p, r):
    factor, patience, threshold = p["factor"], p["patience"], p["threshold"]
    cooldown, min_lr, eps = p["cooldown"], p["min_lr"], p["eps"]
    mode_max, abs_mode = p["mode"] == 1, p["threshold_mode"] == 1
    st = {"lr": p["lr"], "best": -math.inf if mode_max else math.inf, "bad": 0, "cool": 0}

    def is_better(a, best):  # torch's ReduceLROnPlateau._is_better
        if not mode_max and not abs_mode:
            return a < best * (1.0 - threshold)
        if not mode_max and abs_mode:
            return a < best - threshold
        if mode_max and not abs_mode:
            return a > best * (threshold + 1.0)
        return a > best + threshold

    def rate(t, cur):  # torch's step(metrics), then the current rate
        # torch's loop `opt.step(); sched.step(loss)`: the first step runs at the initial rate,
        # and the starting loss is never seen.
        if t == 0:
            return st["lr"]
        if is_better(cur, st["best"]):
            st["best"], st["bad"] = cur, 0
        else:
            st["bad"] += 1
        if st["cool"] > 0:
            st["cool"] -= 1
            st["bad"] = 0
        if st["bad"] > patience:
            new = max(st["lr"] * factor, min_lr)
            if st["lr"] - new > eps:
                st["lr"] = r(new)
            st["cool"], st["bad"] = cooldown, 0
        return st["lr"]

    return rate


def pi(p, r):
    # lossmap's PI controller on the fidelity ratio rho = (f(x_t) - f(x_t+1)) / (-g.dx), told
    # after each step (`observe`); `rate` only reads the current rate.
    # Under the ceiling theta/c_hat, c_hat the largest curvature along the steps, forgotten by
    # 1 - phi per observation; the noise mean q (the gap between the previous step's loss at
    # x_t+1 and this step's loss there, over the previous predicted decrease) raises the target.
    target, kp, ki, cut, growth = p["target"], p["kp"], p["ki"], p["cut"], p["growth"]
    theta, phi = p["ceiling"], p["memory"]
    lo, hi = math.log(p["lr_min"]), math.log(p["lr_max"])
    eps = 2.0 ** -52 if r is ident else 2.0 ** -23
    big_t = sys.float_info.max if r is ident else (2.0 - 2.0 ** -23) * 2.0 ** 127
    st = {"lg": r(math.log(p["lr"])), "pe": 0.0, "c": 0.0, "q": 0.0, "last": None}

    def rate(t, cur):
        lg = st["lg"]
        if lg >= hi:
            return p["lr_max"]
        if lg <= lo:
            return p["lr_min"]
        return r(math.exp(lg))

    def observe(t, fb, fa, pred, sn):
        err, bend, informative = 0.0, None, False
        q = st["q"]
        if st["last"] is not None and st["last"][2] == t - 1:
            la, lp = st["last"][0], st["last"][1]
            q += phi * (min(max((fb - la) / lp, -1.0), 2.0) - q)
        signal = min(max(1.0 - q, 0.0), 1.0)
        goal = target + (1.0 - target) * (1.0 - signal)
        if not math.isfinite(fa):
            step = math.log(cut)
        else:
            dec = fb - fa
            floor = 32.0 * eps * max(abs(fb), abs(fa), MIN_NORMAL[r])
            if pred <= floor:
                if dec < -floor:
                    step = math.log(cut)
                else:
                    return
            else:
                informative = True
                k = 2.0 * (pred - dec) / (sn * sn) if sn > 0 else math.inf
                if pred - dec >= floor and math.isfinite(k):
                    bend = k
                rho = dec / pred
                if rho < 0.0:
                    step = math.log(min(cut, (1.0 - target) / (1.0 - rho)))
                else:
                    err = min(max(rho - goal, -goal), 1.0 - goal)
                    d = kp * (err - st["pe"]) + ki * err
                    step = min(max(d, math.log(cut)), math.log(growth))
        c = st["c"] * (1.0 - phi)
        if bend is not None:
            c = max(c, bend)
        c = min(c, big_t)
        new = st["lg"] + step
        if c > 0.0:
            new = min(new, math.log(theta / c))
        st["lg"] = r(min(max(new, lo), hi))
        st["pe"] = r(err)
        st["c"] = r(c)
        st["q"] = r(q)
        st["last"] = (fa, pred, t) if informative else None

    rate.observe = observe
    return rate


# The schedules below follow what torch computes when `step()` is called once per step: the
# chainable (recursive) `get_lr` of each class, on the rate kept in the optimizer (a Python
# float), from torch/optim/lr_scheduler.py. lossmap evaluates the closed forms instead; the two
# differ by rounding only.

def cosine(p, r):  # CosineAnnealingLR.get_lr
    base, t_max, eta_min = p["lr"], p["t_max"], p["eta_min"]
    st = {"lr": base}

    def rate(t, loss):
        if t == 0:
            st["lr"] = base
        elif (t - 1 - t_max) % (2 * t_max) == 0:
            st["lr"] = st["lr"] + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        else:
            st["lr"] = ((1 + math.cos(math.pi * t / t_max))
                        / (1 + math.cos(math.pi * (t - 1) / t_max))
                        * (st["lr"] - eta_min) + eta_min)
        return r(max(st["lr"], MIN_NORMAL[r]))

    return rate


def linear(p, r):  # LinearLR.get_lr
    base, a, b, n = p["lr"], p["start_factor"], p["end_factor"], p["total_iters"]
    st = {"lr": base}

    def rate(t, loss):
        if t == 0:
            st["lr"] = st["lr"] * a
        elif t <= n:
            st["lr"] = st["lr"] * (1.0 + (b - a) / (n * a + (t - 1) * (b - a)))
        return r(st["lr"])

    return rate


def multi_step(p, r):  # MultiStepLR.get_lr (milestones counted as torch's Counter)
    base, gamma = p["lr"], p["gamma"]
    milestones = [p[k] for k in sorted(k for k in p if k.startswith("m") and k[1:].isdigit())]
    st = {"lr": base}

    def rate(t, loss):
        k = milestones.count(t)
        if k:
            st["lr"] = st["lr"] * gamma ** k
        return r(st["lr"])

    return rate


def polynomial(p, r):  # PolynomialLR.get_lr
    base, n, power = p["lr"], p["total_iters"], p["power"]
    st = {"lr": base}

    def rate(t, loss):
        if 0 < t <= n:
            st["lr"] = st["lr"] * ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** power
        return r(max(st["lr"], MIN_NORMAL[r]))

    return rate


def lambda_factor(t):
    # The factor of the "lambda" cases (the Rust test uses the same expression).
    return 1.0 / (1.0 + 0.05 * t)


def lambda_lr(p, r):  # LambdaLR: base_lr * lr_lambda(last_epoch)
    return lambda t, loss: r(p["lr"] * r(lambda_factor(t)))


def sequential(p, r):  # SequentialLR([LinearLR, CosineAnnealingLR], [milestone])
    m = p["milestone"]
    warm = linear(dict(lr=p["lr"], start_factor=p["start_factor"], end_factor=1.0,
                       total_iters=p["total_iters"]), r)
    st = {"cos": None}

    def rate(t, loss):
        if t < m:
            return warm(t, loss)
        if t == m:  # scheduler.step(0): the closed form, = base_lr at epoch 0
            st["cos"] = cosine(dict(lr=p["lr"], t_max=p["t_max"], eta_min=p["eta_min"]), r)
        return st["cos"](t - m, loss)

    return rate


def chained(p, r):  # ChainedScheduler([LinearLR, ExponentialLR]): both factors every step
    base, a, b, n, gamma = p["lr"], p["start_factor"], 1.0, p["total_iters"], p["gamma"]
    st = {"lr": base}

    def rate(t, loss):
        if t == 0:
            st["lr"] = st["lr"] * a  # LinearLR's initial step; ExponentialLR's keeps the rate
        else:
            if t <= n:
                st["lr"] = st["lr"] * (1.0 + (b - a) / (n * a + (t - 1) * (b - a)))
            st["lr"] = st["lr"] * gamma
        return r(st["lr"])

    return rate


MIN_NORMAL = {}  # filled in main(): the smallest normal number of each precision


SCHEDULES = {
    "constant": constant,
    "step": step_lr,
    "exponential": exponential,
    "sgdr": sgdr,
    "cyclic": cyclic,
    "one_cycle": one_cycle,
    "plateau": plateau,
    "pi": pi,
    "cosine": cosine,
    "linear": linear,
    "multi_step": multi_step,
    "polynomial": polynomial,
    "lambda": lambda_lr,
    "sequential": sequential,
    "chained": chained,
    "sgdr_frac": sgdr_frac,
}

# case: (schedule, {function: parameters}). Rates: SGD on the quadratic is stable below
# 2/10 = 0.2; on Rosenbrock from (-1.2, 1) below about 1.3e-3 at the start (the largest
# Hessian eigenvalue there is ~1.5e3). Every schedule's features show within 50 steps.
CASES = {
    "constant": ("constant", {
        "quadratic": dict(lr=0.05),
        "rosenbrock": dict(lr=5e-4),
    }),
    "step": ("step", {  # decays at 10, 20, 30, 40
        "quadratic": dict(lr=0.15, step_size=10, gamma=0.5),
        "rosenbrock": dict(lr=1e-3, step_size=10, gamma=0.6),
    }),
    "exponential": ("exponential", {
        "quadratic": dict(lr=0.15, gamma=0.95),
        "rosenbrock": dict(lr=1e-3, gamma=0.97),
    }),
    "sgdr_mult1": ("sgdr", {  # restarts at 12, 24, 36, 48 / 15, 30, 45
        "quadratic": dict(lr=0.15, t_0=12, t_mult=1, eta_min=0.005),
        "rosenbrock": dict(lr=1e-3, t_0=15, t_mult=1, eta_min=1e-5),
    }),
    "sgdr_mult2": ("sgdr", {  # restarts at 5, 15, 35 / 7, 28
        "quadratic": dict(lr=0.15, t_0=5, t_mult=2, eta_min=0.0),
        "rosenbrock": dict(lr=1e-3, t_0=7, t_mult=3, eta_min=2e-5),
    }),
    "cyclic_triangular": ("cyclic", {  # peaks at 6, 21, 36 / 4, 16, 28, 40
        "quadratic": dict(base_lr=0.01, max_lr=0.15, step_size_up=6, step_size_down=9, mode=0),
        "rosenbrock": dict(base_lr=1e-4, max_lr=1e-3, step_size_up=4, step_size_down=8,
                           mode=0),
    }),
    "cyclic_triangular2": ("cyclic", {  # five cycles of halving height / four
        "quadratic": dict(base_lr=0.01, max_lr=0.15, step_size_up=5, step_size_down=5, mode=1),
        "rosenbrock": dict(base_lr=1e-4, max_lr=1.2e-3, step_size_up=3, step_size_down=9,
                           mode=1),
    }),
    "one_cycle": ("one_cycle", {  # warm-up to step 14, then anneal to the end
        "quadratic": dict(max_lr=0.15, total_steps=100, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4),
        "rosenbrock": dict(max_lr=1e-3, total_steps=100, pct_start=0.4, div_factor=10.0,
                           final_div_factor=100.0),
    }),
    "cyclic_exp_range": ("cyclic", {  # gamma^step (torch's default scale mode for exp_range)
        "quadratic": dict(base_lr=0.01, max_lr=0.15, step_size_up=4, step_size_down=6, mode=2,
                          gamma=0.97),
        "rosenbrock": dict(base_lr=1e-4, max_lr=1.2e-3, step_size_up=5, step_size_down=5,
                           mode=2, gamma=0.99),
    }),
    "cyclic_custom": ("cyclic", {  # scale_fn(x) = 1/(1 + 0.1 x), by step / by cycle + momentum
        "quadratic": dict(base_lr=0.01, max_lr=0.15, step_size_up=4, step_size_down=6, mode=0,
                          custom=1, scale_mode=1),
        "rosenbrock": dict(base_lr=5e-5, max_lr=2e-4, step_size_up=5, step_size_down=5,
                           mode=0, custom=1, scale_mode=0, cycle_momentum=1,
                           base_momentum=0.8, max_momentum=0.9),
    }),
    "cyclic_exp_cycles": ("cyclic", {  # exp_range with scale_mode cycle; triangular by step
        "quadratic": dict(base_lr=0.01, max_lr=0.15, step_size_up=4, step_size_down=6, mode=2,
                          gamma=0.7, scale_mode=0),
        "rosenbrock": dict(base_lr=1e-4, max_lr=1.2e-3, step_size_up=5, step_size_down=5,
                           mode=1, scale_mode=1),
    }),
    # torch's default cycle_momentum: SGD becomes heavy-ball momentum, 0.9 at the lowest rate
    # and 0.8 at the peak (0.85/0.95 on Rosenbrock).
    "cyclic_momentum": ("cyclic", {
        "quadratic": dict(base_lr=0.005, max_lr=0.03, step_size_up=6, step_size_down=9, mode=0,
                          cycle_momentum=1, base_momentum=0.8, max_momentum=0.9),
        "rosenbrock": dict(base_lr=5e-5, max_lr=2e-4, step_size_up=5, step_size_down=10,
                           mode=1, cycle_momentum=1, base_momentum=0.85, max_momentum=0.95),
    }),
    "one_cycle_three": ("one_cycle", {  # three phases, linear annealing
        "quadratic": dict(max_lr=0.15, total_steps=100, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4, three_phase=1, anneal=1),
        "rosenbrock": dict(max_lr=1e-3, total_steps=100, pct_start=0.25, div_factor=10.0,
                           final_div_factor=100.0, three_phase=1, anneal=0),
    }),
    "one_cycle_momentum": ("one_cycle", {  # torch's default momentum cycling 0.95 → 0.85
        "quadratic": dict(max_lr=0.03, total_steps=100, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4, cycle_momentum=1, base_momentum=0.85,
                          max_momentum=0.95, epochs_form=1),
        "rosenbrock": dict(max_lr=2e-4, total_steps=100, pct_start=0.3, div_factor=25.0,
                           final_div_factor=1e4, three_phase=1, anneal=1, cycle_momentum=1,
                           base_momentum=0.85, max_momentum=0.95),
    }),
    # Cycle momentum on Adam: beta1 follows the momentum (torch's betas[0]).
    "cyclic_momentum_adam": ("cyclic", {
        "quadratic": dict(base_lr=0.01, max_lr=0.1, step_size_up=5, step_size_down=10, mode=0,
                          cycle_momentum=1, base_momentum=0.8, max_momentum=0.9, adam=1),
        "rosenbrock": dict(base_lr=1e-3, max_lr=1e-2, step_size_up=5, step_size_down=10,
                           mode=0, cycle_momentum=1, base_momentum=0.8, max_momentum=0.9,
                           adam=1),
    }),
    "one_cycle_momentum_adam": ("one_cycle", {
        "quadratic": dict(max_lr=0.1, total_steps=100, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4, cycle_momentum=1, base_momentum=0.85,
                          max_momentum=0.95, adam=1),
        "rosenbrock": dict(max_lr=1e-2, total_steps=100, pct_start=0.3, div_factor=25.0,
                           final_div_factor=1e4, cycle_momentum=1, base_momentum=0.85,
                           max_momentum=0.95, adam=1),
    }),
    "sgdr_frac": ("sgdr_frac", {  # 4 (3) steps per epoch
        "quadratic": dict(lr=0.15, t_0=3, t_mult=2, eta_min=0.001, iters=4),
        "rosenbrock": dict(lr=1e-3, t_0=4, t_mult=1, eta_min=1e-5, iters=3),
    }),
    # quadratic: an unstable start (|1 - 10 lr| > 1) makes the loss rise; the cuts bring the rate
    # back inside. rosenbrock: the slow crawl along the valley misses the threshold; cuts down to
    # the floor min_lr.
    "plateau": ("plateau", {
        "quadratic": dict(lr=0.44, factor=0.5, patience=1, threshold=0.01, cooldown=1,
                          min_lr=0.01, eps=1e-8, mode=0, threshold_mode=0),
        "rosenbrock": dict(lr=1e-3, factor=0.5, patience=2, threshold=0.02, cooldown=2,
                           min_lr=1.5e-4, eps=1e-8, mode=0, threshold_mode=0),
    }),
    # Absolute threshold: an improvement must exceed threshold in loss units.
    "plateau_abs": ("plateau", {
        "quadratic": dict(lr=0.15, factor=0.5, patience=2, threshold=1e-3, cooldown=0,
                          min_lr=1e-3, eps=1e-8, mode=0, threshold_mode=1),
        "rosenbrock": dict(lr=1e-3, factor=0.7, patience=1, threshold=0.05, cooldown=1,
                           min_lr=1e-4, eps=1e-8, mode=0, threshold_mode=1),
    }),
    # Mode max on a falling loss: never an improvement after the first call, so a cut every
    # patience + 1 calls (relative and absolute thresholds).
    "plateau_max": ("plateau", {
        "quadratic": dict(lr=0.15, factor=0.8, patience=3, threshold=1e-4, cooldown=1,
                          min_lr=0.01, eps=1e-8, mode=1, threshold_mode=0),
        "rosenbrock": dict(lr=1e-3, factor=0.8, patience=4, threshold=1e-3, cooldown=0,
                           min_lr=2e-4, eps=1e-8, mode=1, threshold_mode=1),
    }),
    # T_max shorter than the run: torch's formula turns back up after T_max.
    "cosine": ("cosine", {
        "quadratic": dict(lr=0.15, t_max=20, eta_min=0.01),
        "rosenbrock": dict(lr=1e-3, t_max=30, eta_min=0.0),
    }),
    "linear": ("linear", {  # torch's defaults on the quadratic: 1/3 → 1 over 5 steps
        "quadratic": dict(lr=0.15, start_factor=1.0 / 3.0, end_factor=1.0, total_iters=5),
        "rosenbrock": dict(lr=1e-3, start_factor=0.1, end_factor=0.5, total_iters=20),
    }),
    "multi_step": ("multi_step", {  # a repeated milestone decays twice, as torch's Counter
        "quadratic": dict(lr=0.15, gamma=0.5, m0=5, m1=12, m2=12, m3=30),
        "rosenbrock": dict(lr=1e-3, gamma=0.3, m0=10, m1=20, m2=40),
    }),
    "polynomial": ("polynomial", {  # reaches 0 at total_iters on the quadratic
        "quadratic": dict(lr=0.15, total_iters=30, power=1.0),
        "rosenbrock": dict(lr=1e-3, total_iters=60, power=2.0),
    }),
    "lambda": ("lambda", {
        "quadratic": dict(lr=0.15),
        "rosenbrock": dict(lr=1e-3),
    }),
    "sequential": ("sequential", {  # linear warm-up, then cosine from the milestone
        "quadratic": dict(lr=0.15, start_factor=0.1, total_iters=5, milestone=5, t_max=45,
                          eta_min=0.0),
        "rosenbrock": dict(lr=1e-3, start_factor=0.2, total_iters=10, milestone=10, t_max=40,
                           eta_min=1e-5),
    }),
    "chained": ("chained", {  # linear warm-up and exponential decay at once
        "quadratic": dict(lr=0.15, start_factor=0.25, total_iters=8, gamma=0.97),
        "rosenbrock": dict(lr=1e-3, start_factor=0.5, total_iters=10, gamma=0.98),
    }),
    # The defaults from a timid rate: the rate rises to the curvature's 1/c, under the ceiling
    # sqrt(2)/c_hat of the largest curvature seen (on Rosenbrock the stiff valley wall's).
    "pi": ("pi", {
        "quadratic": dict(lr=0.02, target=0.5, kp=0.25, ki=1.25, cut=0.5, growth=2.0,
                          lr_min=1e-8, lr_max=1e3, ceiling=math.sqrt(2.0), memory=1.0 / 32.0),
        "rosenbrock": dict(lr=2e-4, target=0.5, kp=0.25, ki=1.25, cut=0.5, growth=2.0,
                           lr_min=1e-8, lr_max=1e3, ceiling=math.sqrt(2.0), memory=1.0 / 32.0),
    }),
}


def run(fname, sched, params, r):
    value, grad, x0 = FUNCTIONS[fname]
    # lossmap keeps the decay factors gamma in binary64 whatever T is (as torch does).
    p = {k: (r(v) if isinstance(v, float) and k != "gamma" else v) for k, v in params.items()}
    rate = SCHEDULES[sched](p, r)
    x = [r(v) for v in x0]
    loss, g = value(x, r), grad(x, r)
    rows = []
    buf = None
    adam = p.get("adam", 0) == 1
    m, v = [0.0, 0.0], [0.0, 0.0]
    b2, eps = r(0.999), r(1e-8)
    for t in range(STEPS):
        lr = rate(t, loss)
        if adam:
            # torch.optim.Adam (defaults betas (0.9, 0.999), eps 1e-8), beta1 set by the
            # schedule's cycle momentum before each step (torch sets betas[0]); the bias
            # corrections use the current beta1, as torch does. lossmap's operation order.
            lr, b1 = lr
            k = t + 1
            bc1 = r(1.0 - b1 ** k)
            bc2_sqrt = r(math.sqrt(1.0 - b2 ** k))
            step_size = r(lr / bc1)
            for i in range(2):
                m[i] = r(r(b1 * m[i]) + r(r(1.0 - b1) * g[i]))
                v[i] = r(r(b2 * v[i]) + r(r(r(1.0 - b2) * g[i]) * g[i]))
                denom = r(r(math.sqrt(v[i]) if r is ident else f32(math.sqrt(v[i]))) / bc2_sqrt)
                denom = r(denom + eps)
                x[i] = r(x[i] - r(step_size * r(m[i] / denom)))
            loss, g = value(x, r), grad(x, r)
            assert math.isfinite(loss) and all(math.isfinite(w) for w in g)
            rows.append((t + 1, lr, loss))
            continue
        if isinstance(lr, tuple):
            # Cycle momentum: torch's SGD with that momentum (dampening 0): the buffer is the
            # gradient at the first step, then mu*buf + g; theta -= lr*buf.
            lr, mu = lr
            buf = list(g) if buf is None else [r(r(mu * buf[i]) + g[i]) for i in range(2)]
            d = buf
        else:
            d = g
        assert lr > 0 and math.isfinite(lr)
        x_old, g_old, loss_old = x, g, loss
        x = [r(x[i] - r(lr * d[i])) for i in range(2)]
        loss, g = value(x, r), grad(x, r)
        if hasattr(rate, "observe"):
            # -g.dx and |dx| in T, in lossmap's order (StepObservation::from_step; the norm as
            # lossmap's `distance`: scaled by the largest component, a correctly rounded sqrt).
            pred = 0.0
            for i in range(2):
                pred = r(pred - r(g_old[i] * r(x[i] - x_old[i])))
            dx = [r(x[i] - x_old[i]) for i in range(2)]
            scale = max(abs(v) for v in dx)
            sn = 0.0
            if scale > 0.0:
                for v in dx:
                    w = r(v / scale)
                    sn = r(sn + r(w * w))
                sn = r(scale * r(math.sqrt(sn)))
            rate.observe(t, loss_old, loss, pred, sn)
        assert math.isfinite(loss) and all(math.isfinite(v) for v in g)
        rows.append((t + 1, lr, loss))
    return rows, x



# --- the same runs in real torch ----------------------------------------------------------------

def torch_scheduler(torch, opt, sched, p, r):
    """The torch.optim.lr_scheduler object of a case, or None (constant rate)."""
    L = torch.optim.lr_scheduler
    if sched == "constant":
        return None
    if sched == "step":
        return L.StepLR(opt, step_size=p["step_size"], gamma=p["gamma"])
    if sched == "exponential":
        return L.ExponentialLR(opt, gamma=p["gamma"])
    if sched in ("sgdr", "sgdr_frac"):
        return L.CosineAnnealingWarmRestarts(opt, T_0=p["t_0"], T_mult=p["t_mult"],
                                             eta_min=p["eta_min"])
    if sched == "cyclic":
        mode = ["triangular", "triangular2", "exp_range"][p["mode"]]
        default_scale_mode = 1 if p["mode"] == 2 else 0
        scale_mode = p.get("scale_mode", default_scale_mode)
        kw = {}
        if p.get("custom", 0) == 1:
            kw["scale_fn"] = lambda x: 1.0 / (1.0 + 0.1 * x)
        elif scale_mode != default_scale_mode:
            # torch honours scale_mode only with a user scale_fn (a built-in mode forces its
            # own); the mode's own function with the other scale mode is that scale_fn.
            g = p.get("gamma", 1.0)
            kw["scale_fn"] = [lambda x: 1.0, lambda x: 1 / (2.0 ** (x - 1)),
                              lambda x: g ** x][p["mode"]]
        if "scale_fn" in kw:
            kw["scale_mode"] = ["cycle", "iterations"][scale_mode]
        cm = p.get("cycle_momentum", 0) == 1
        if cm:
            kw.update(base_momentum=p["base_momentum"], max_momentum=p["max_momentum"])
        return L.CyclicLR(opt, base_lr=p["base_lr"], max_lr=p["max_lr"],
                          step_size_up=p["step_size_up"], step_size_down=p["step_size_down"],
                          mode=mode, gamma=p.get("gamma", 1.0), cycle_momentum=cm, **kw)
    if sched == "one_cycle":
        cm = p.get("cycle_momentum", 0) == 1
        kw = dict(base_momentum=p["base_momentum"], max_momentum=p["max_momentum"]) if cm else {}
        if p.get("epochs_form", 0) == 1:  # torch's epochs x steps_per_epoch form
            kw.update(epochs=10, steps_per_epoch=p["total_steps"] // 10)
        else:
            kw.update(total_steps=p["total_steps"])
        return L.OneCycleLR(opt, max_lr=p["max_lr"], pct_start=p["pct_start"],
                            anneal_strategy="linear" if p.get("anneal", 0) == 1 else "cos",
                            cycle_momentum=cm, div_factor=p["div_factor"],
                            final_div_factor=p["final_div_factor"],
                            three_phase=p.get("three_phase", 0) == 1, **kw)
    if sched == "plateau":
        return L.ReduceLROnPlateau(opt, mode="max" if p["mode"] == 1 else "min",
                                   factor=p["factor"], patience=p["patience"],
                                   threshold=p["threshold"],
                                   threshold_mode="abs" if p["threshold_mode"] == 1 else "rel",
                                   cooldown=p["cooldown"], min_lr=p["min_lr"], eps=p["eps"])
    if sched == "cosine":
        return L.CosineAnnealingLR(opt, T_max=p["t_max"], eta_min=p["eta_min"])
    if sched == "linear":
        return L.LinearLR(opt, start_factor=p["start_factor"], end_factor=p["end_factor"],
                          total_iters=p["total_iters"])
    if sched == "multi_step":
        ms = [p[k] for k in sorted(k for k in p if k.startswith("m") and k[1:].isdigit())]
        return L.MultiStepLR(opt, milestones=ms, gamma=p["gamma"])
    if sched == "polynomial":
        return L.PolynomialLR(opt, total_iters=p["total_iters"], power=p["power"])
    if sched == "lambda":
        return L.LambdaLR(opt, lr_lambda=lambda t: r(lambda_factor(t)))
    if sched == "sequential":
        warm = L.LinearLR(opt, start_factor=p["start_factor"], end_factor=1.0,
                          total_iters=p["total_iters"])
        cos = L.CosineAnnealingLR(opt, T_max=p["t_max"], eta_min=p["eta_min"])
        return L.SequentialLR(opt, [warm, cos], milestones=[p["milestone"]])
    if sched == "chained":
        warm = L.LinearLR(opt, start_factor=p["start_factor"], end_factor=1.0,
                          total_iters=p["total_iters"])
        return L.ChainedScheduler([warm, L.ExponentialLR(opt, gamma=p["gamma"])])
    raise ValueError(sched)


def run_torch(fname, sched, params, r):
    """The case in torch: torch.optim.SGD (or Adam) and the torch.optim.lr_scheduler object,
    in the documented loop `opt.step(); sched.step()` (`sched.step(loss)` for
    ReduceLROnPlateau; `sched.step(epoch)` with the fractional epoch of the coming step for
    sgdr_frac). The objective stays the Python function above (the same binary32 emulation),
    its gradient handed to torch as `param.grad`."""
    import torch
    import warnings
    warnings.filterwarnings("ignore")  # step(epoch) is deprecated
    dtype = torch.float64 if r is ident else torch.float32
    value, grad, x0 = FUNCTIONS[fname]
    p = {k: (r(v) if isinstance(v, float) and k != "gamma" else v) for k, v in params.items()}
    x = torch.nn.Parameter(torch.tensor([r(v) for v in x0], dtype=dtype))
    cm = p.get("cycle_momentum", 0) == 1
    mu0 = p.get("max_momentum", 0.0) if cm else 0.0
    lr0 = p.get("lr", p.get("base_lr", p.get("max_lr")))
    if p.get("adam", 0) == 1:
        opt = torch.optim.Adam([x], lr=lr0, betas=(mu0, r(0.999)), eps=r(1e-8))
    else:
        opt = torch.optim.SGD([x], lr=lr0, momentum=mu0)
    s = torch_scheduler(torch, opt, sched, p, r)
    group = opt.param_groups[0]
    xs = x.detach().tolist()
    loss = value(xs, r)
    rows = []
    for t in range(STEPS):
        if sched == "sgdr_frac":
            s.step(t // p["iters"] + (t % p["iters"]) / p["iters"])
        lr = group["lr"]
        x.grad = torch.tensor(grad(xs, r), dtype=dtype)
        opt.step()
        xs = x.detach().tolist()
        loss = value(xs, r)
        assert math.isfinite(loss)
        if s is not None and sched != "sgdr_frac" and t + 1 < STEPS:
            if sched == "plateau":
                s.step(loss)
            else:
                s.step()
        # lossmap never returns a rate of 0 (torch's cosine and polynomial reach it): the
        # smallest normal number stands in, as in the formula runs above.
        rows.append((t + 1, r(max(float(lr), MIN_NORMAL[r])), loss))
    return rows, xs


# Final coordinates below this are compared absolutely (as the Rust replay does).
X_FLOOR = 1e-20


def rel_err(got, want, floor):
    return abs(got - want) / max(abs(want), floor)

def main():
    MIN_NORMAL[ident] = sys.float_info.min
    MIN_NORMAL[f32] = 2.0 ** -126
    import torch
    torch.set_num_threads(1)
    assert torch.backends.cpu.get_cpu_capability() == "DEFAULT"
    verbose = "-v" in sys.argv
    worst = {"f64": (0.0, ""), "f32": (0.0, "")}
    for case, (sched, per_function) in CASES.items():
        for fname, params in per_function.items():
            print(f"config {case} {fname} {sched} "
                  + " ".join(f"{k}={v!r}" for k, v in params.items()))
            for prec, r in (("f64", ident), ("f32", f32)):
                rows, x = run(fname, sched, params, r)
                if sched != "pi":  # lossmap-only: the formula run is the reference
                    trows, tx = run_torch(fname, sched, params, r)
                    for (t, lr, loss), (_, tlr, tloss) in zip(rows, trows):
                        for what, a, b in (("lr", lr, tlr), ("loss", loss, tloss)):
                            e = rel_err(a, b, MIN_NORMAL[r])
                            if e > worst[prec][0]:
                                worst[prec] = (e, f"{case} {fname} step {t} {what}")
                    for i in range(2):
                        e = rel_err(x[i], tx[i], X_FLOOR)
                        if e > worst[prec][0]:
                            worst[prec] = (e, f"{case} {fname} final x[{i}]")
                    if verbose:
                        ce = max([max(rel_err(a[1], b[1], MIN_NORMAL[r]),
                                      rel_err(a[2], b[2], MIN_NORMAL[r]))
                                  for a, b in zip(rows, trows)]
                                 + [rel_err(x[i], tx[i], X_FLOOR) for i in range(2)])
                        print(f"{case} {fname} {prec}: {ce:.1e}", file=sys.stderr)
                    rows, x = trows, tx
                for t, lr, loss in rows:
                    print(f"{case} {fname} {prec} {t} {lr:.17g} {loss:.17g}")
                print(f"final {case} {fname} {prec} {x[0]:.17g} {x[1]:.17g}")
                if verbose and prec == "f64":
                    print(f"{case} {fname}: x = {x}", file=sys.stderr)
    for prec in ("f64", "f32"):
        print(f"torch {torch.__version__} vs formulas, {prec}: max relative difference "
              f"{worst[prec][0]:.2e} ({worst[prec][1]})", file=sys.stderr)
    # The formulas transcribe torch: in binary64 they agree with it to rounding.
    assert worst["f64"][0] <= 1e-12, worst["f64"]


main()
