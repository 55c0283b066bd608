"""The firmware demo's sensor calibration, solved by scipy: the exponential rise
y = a(1 - exp(-b t)) + c on 16 samples t_i = 0.5 i whose noise comes from the demo's own
linear congruential generator, computed here in float32 exactly as the device computes it.
scipy.optimize.curve_fit (Levenberg-Marquardt, absolute_sigma=False) gives the parameters and
their standard errors; `tests/repo/firmware.rs` checks the device's f32 fit against them.

Run: python tests/reference/firmware_calibration.py > tests/reference/firmware_calibration.txt
"""

import numpy as np
from scipy.optimize import curve_fit

M = 16
A, B, C = 2.5, 0.8, 0.3


def data():
    t = np.zeros(M, dtype=np.float32)
    y = np.zeros(M, dtype=np.float32)
    s = 7
    for i in range(M):
        s = (s * 1664525 + 1013904223) % 2**32
        u = np.float32(s >> 8) / np.float32(1 << 24)
        noise = np.float32(0.04) * (u - np.float32(0.5))
        ti = np.float32(0.5) * np.float32(i)
        yi = np.float32(A) * (np.float32(1.0) - np.exp(-np.float32(B) * ti)) + np.float32(C) + noise
        t[i], y[i] = ti, np.float32(yi)
    return t, y


def model(t, a, b, c):
    return a * (1.0 - np.exp(-b * t)) + c


def main():
    t, y = data()
    p, cov = curve_fit(model, t.astype(float), y.astype(float), p0=[1.0, 1.0, 0.0], method="lm")
    print("# firmware calibration: exponential rise, curve_fit on the device's f32 data")
    print("y", " ".join(repr(float(v)) for v in y))
    print("params", " ".join(repr(float(v)) for v in p))
    print("stderr", " ".join(repr(float(v)) for v in np.sqrt(np.diag(cov))))


if __name__ == "__main__":
    main()
