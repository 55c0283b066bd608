"""Accuracy of Adam's bias corrections `1 - beta**t` as lossmap keeps them between steps
(`AdamBias`), against torch's value: torch.optim.Adam computes `1 - beta1 ** step` and
`(1 - beta2 ** step) ** 0.5` in Python floats (IEEE binary64, `**` is the C library's `pow`).

Schemes, each emulated here operation for operation (Python floats are binary64 and numpy's
float32 rounds every operation to binary32, as the Rust code does):
  f64 running product      p <- p * beta (binary64), bc = 1 - p            (lossmap, f64)
  f32, f64 product         p <- p * b (binary64, b the binary32 beta), bc = f32(1 - p)
                           (lossmap, f32 on x86_64/aarch64: the product's f64 bits in the
                           cache's 8 bytes)
  f32 running product      p <- f32(p * beta), bc = f32(1 - p)  (what C code usually keeps)
  f32 fixed point          p <- floor(p * B / 2**s) (integers: p = beta**t * 2**64, B / 2**s
                           the binary32 beta exactly), bc = f32((2**64 - 1 - p) / 2**64)
                           correctly rounded, sqrt correctly rounded (lossmap, f32 on cores
                           without an f64 FPU: Cortex-M0, Cortex-M4F)
For f32 the reference is the binary64 `1 - b**t` with b the binary32 beta, and the error is
given in units of f32 epsilon relative (|bc - ref| / (ref * 2**-23)). For the fixed point, the
power itself is also compared with the exact floor(b**t * 2**64) (Python integers: b**t =
B**t / 2**(s t) exactly): the worst error in units of 2**-64, against the bound
min(t, 1/(1 - b)), and relative to 1 - b**t. The Rust tests `fixed_point_corrections_*`
(src/optim/adam_kernel.rs) check that the kernel's corrections are these, within 0.5 ulp.

Run: /work/venv/bin/python tests/reference/adam_bias.py > tests/reference/adam_bias.txt
Output: one line per (scheme, beta): the worst relative error of bc1 = 1 - beta**t over
t = 1..100000, the t where it occurs, and the same for sqrt(1 - beta**t).
"""
import math

import numpy as np

T_MAX = 100_000
BETAS = [0.9, 0.99, 0.999, 0.9999]
F32_EPS = 2.0**-23


def f32(v):
    return float(np.float32(v))


def worst(pairs):
    """(max relative error, t) over (t, got, ref)."""
    w, wt = 0.0, 0
    for t, got, ref in pairs:
        e = abs(got - ref) / ref
        if e > w:
            w, wt = e, t
    return w, wt


def f64_products(b):
    p = 1.0
    for t in range(1, T_MAX + 1):
        p *= b
        yield t, p




def f32_bits(b):
    """(B, s) with the binary32 b = B / 2**s exactly, B < 2**24."""
    import struct
    u = struct.unpack("<I", struct.pack("<f", b))[0]
    e = u >> 23
    return (u & 0x7FFFFF) | 0x800000, 150 - e


def fixed_products(b, exact=False):
    """The fixed-point power p_t = floor(p_{t-1} B / 2**s), p_0 = 2**64; with `exact`, also
    the exact floor(b**t 2**64), computed as an integer."""
    B, s = f32_bits(b)
    p, num, den_exp = 1 << 64, 1, 0
    for t in range(1, T_MAX + 1):
        p = (p * B) >> s
        if exact:
            num *= B
            den_exp += s
            yield t, p, (num << 64) >> den_exp
        else:
            yield t, p


def f32_products(b):
    p = np.float32(1.0)
    bb = np.float32(b)
    for t in range(1, T_MAX + 1):
        p = np.float32(p * bb)
        yield t, float(p)


def main():
    print("# scheme beta worst_rel_bc1 at_t worst_rel_sqrt_bc2 at_t (f64: relative; f32: in f32 eps)")
    for b in BETAS:
        r1, r2 = [], []
        for t, p in f64_products(b):
            ref = 1.0 - b**t
            r1.append((t, 1.0 - p, ref))
            r2.append((t, math.sqrt(1.0 - p), math.sqrt(ref)))
        (w1, t1), (w2, t2) = worst(r1), worst(r2)
        print(f"f64-running-product {b} {w1:.3e} {t1} {w2:.3e} {t2}")
    b32s = [f32(b) for b in BETAS]
    for name, gen in [("f32-f64-product", f64_products), ("f32-running-product", f32_products)]:
        for b, b32 in zip(BETAS, b32s):
            r1, r2 = [], []
            for t, p in gen(b32):
                ref = 1.0 - b32**t
                r1.append((t, f32(1.0 - p), ref))
                r2.append((t, f32(math.sqrt(1.0 - p)), math.sqrt(ref)))
            (w1, t1), (w2, t2) = worst(r1), worst(r2)
            print(f"{name} {b} {w1 / F32_EPS:.3f} {t1} {w2 / F32_EPS:.3f} {t2}")
    print("# f32-fixed-point beta worst_bc1 at_t worst_sqrt_bc2 at_t (f32 eps) "
          "worst_power_error (2**-64 units) bound min(t, 1/(1-b)) worst_rel_to_1-b**t")
    for b, b32 in zip(BETAS, b32s):
        r1, r2 = [], []
        werr, wrel, bound = 0, 0.0, 0.0
        for t, p, exact in fixed_products(b32, exact=True):
            ref = 1.0 - b32**t
            d = (1 << 64) - 1 - p
            bc = f32(d / (1 << 64))  # int / int: correctly rounded, then to f32
            r1.append((t, bc, ref))
            r2.append((t, f32(math.sqrt(d / (1 << 64))), math.sqrt(ref)))
            err = exact - p
            if err > werr:
                werr = err
            bound = max(bound, min(t, 1.0 / (1.0 - b32)))
            wrel = max(wrel, err / 2.0**64 / ref)
        (w1, t1), (w2, t2) = worst(r1), worst(r2)
        print(f"f32-fixed-point {b} {w1 / F32_EPS:.3f} {t1} {w2 / F32_EPS:.3f} {t2} "
              f"{werr} {bound:.0f} {wrel:.2e}")


main()
