"""Reference curve fits for lossmap's Levenberg-Marquardt, computed with scipy (MINPACK).

Four models, synthetic data with seeded numpy noise (numpy.random.default_rng(13)):

exp_rise    y = a (1 - exp(-b t)) + c                 t = linspace(0, 10, 40)
michaelis   y = V s / (K + s)                         s = geomspace(0.05, 5, 20)
gauss       y = A exp(-(t - mu)^2 / (2 w^2)) + c      t = linspace(-5, 5, 60)
thermistor  T = 1 / (A + B L + C L^3), L = ln R       T = 253.15 .. 373.15 K (25 points),
            R of a 10 kOhm NTC (A, B, C = 1.129148e-3, 2.34125e-4, 8.76741e-8), 0.02 K noise

Each is fitted from the stated start with
  * scipy.optimize.curve_fit(method='lm', jac=<analytic>): parameters and standard errors
    sqrt(diag(pcov)) (absolute_sigma=False, so pcov = s^2 (J^T J)^-1 with s^2 = |r|^2/(m - n));
  * the standard errors of curve_fit's SVD formula (pcov = s^2 V S^-2 V^T, singular values
    above eps*max(m, n)*s_max) at that solution, and curve_fit(method='trf')'s;
  * scipy.optimize.least_squares(method='lm') with the default forward-difference Jacobian
    ('2-point', MINPACK lmdif; its nfev counts the Jacobian's evaluations) and with the analytic
    Jacobian (MINPACK lmder): parameters, nfev, njev.

Run: /work/venv/bin/python tests/reference/curve_fits.py > tests/reference/curve_fits.txt
Output, one record per line, values with 17 significant digits:
  model <name> <m> <n>
  x <m values>            (t, s or R)
  y <m values>
  start <n values>
  cf_params <n> / cf_stderr <n> / cf_nfev <k>      (curve_fit, method 'lm')
  svd_stderr <n>          (curve_fit's SVD covariance formula at the 'lm' solution)
  trf_params <n> / trf_stderr <n>                   (curve_fit, method 'trf')
  ls_fd_params <n> / ls_fd_nfev <k>
  ls_jac_params <n> / ls_jac_nfev <k> / ls_jac_njev <k>
  end
"""
import numpy as np
from scipy.optimize import curve_fit, least_squares


def exp_rise(t, a, b, c):
    return a * (1.0 - np.exp(-b * t)) + c


def exp_rise_jac(t, a, b, c):
    e = np.exp(-b * t)
    return np.stack([1.0 - e, a * t * e, np.ones_like(t)], axis=1)


def michaelis(s, v, k):
    return v * s / (k + s)


def michaelis_jac(s, v, k):
    return np.stack([s / (k + s), -v * s / (k + s) ** 2], axis=1)


def gauss(t, a, mu, w, c):
    return a * np.exp(-((t - mu) ** 2) / (2.0 * w * w)) + c


def gauss_jac(t, a, mu, w, c):
    e = np.exp(-((t - mu) ** 2) / (2.0 * w * w))
    return np.stack(
        [e, a * e * (t - mu) / (w * w), a * e * (t - mu) ** 2 / w**3, np.ones_like(t)], axis=1
    )


def thermistor(r, a, b, c):
    l = np.log(r)
    return 1.0 / (a + b * l + c * l**3)


def thermistor_jac(r, a, b, c):
    l = np.log(r)
    d = a + b * l + c * l**3
    g = -1.0 / (d * d)
    return np.stack([g, g * l, g * l**3], axis=1)


def thermistor_resistance(temp, a, b, c):
    """R with 1/T = A + B ln R + C ln^3 R (the real root of the cubic in ln R)."""
    x = (a - 1.0 / temp) / c
    y = np.sqrt((b / (3.0 * c)) ** 3 + x * x / 4.0)
    return np.exp(np.cbrt(y - x / 2.0) - np.cbrt(y + x / 2.0))


def main():
    rng = np.random.default_rng(13)
    cases = []
    t = np.linspace(0.0, 10.0, 40)
    y = exp_rise(t, 2.5, 0.7, 0.3) + 0.02 * rng.standard_normal(t.size)
    cases.append(("exp_rise", exp_rise, exp_rise_jac, t, y, [1.0, 1.0, 0.0]))
    s = np.geomspace(0.05, 5.0, 20)
    y = michaelis(s, 1.8, 0.6) + 0.02 * rng.standard_normal(s.size)
    cases.append(("michaelis", michaelis, michaelis_jac, s, y, [1.0, 1.0]))
    t = np.linspace(-5.0, 5.0, 60)
    y = gauss(t, 3.0, 0.4, 1.1, 0.2) + 0.05 * rng.standard_normal(t.size)
    cases.append(("gauss", gauss, gauss_jac, t, y, [2.0, 0.0, 1.5, 0.0]))
    sh = (1.129148e-3, 2.34125e-4, 8.76741e-8)
    temp = np.linspace(253.15, 373.15, 25)
    r = thermistor_resistance(temp, *sh)
    y = temp + 0.02 * rng.standard_normal(temp.size)
    cases.append(("thermistor", thermistor, thermistor_jac, r, y, [1.0e-3, 2.0e-4, 1.0e-7]))

    def fmt(v):
        return " ".join(f"{float(a):.17g}" for a in v)

    for name, f, jac, xs, ys, p0 in cases:
        m, n = xs.size, len(p0)
        print(f"model {name} {m} {n}")
        print("x " + fmt(xs))
        print("y " + fmt(ys))
        print("start " + fmt(p0))
        popt, pcov, info, _, _ = curve_fit(
            f, xs, ys, p0=p0, jac=jac, method="lm", full_output=True
        )
        print("cf_params " + fmt(popt))
        print("cf_stderr " + fmt(np.sqrt(np.diag(pcov))))
        print(f"cf_nfev {info['nfev']}")
        # curve_fit's own covariance formula (the SVD pseudo-inverse of its 'trf' branch),
        # applied to the analytic Jacobian at the 'lm' solution: method 'lm' takes pcov from
        # MINPACK's last QR factor, which belongs to the Jacobian of the previous iterate.
        jm = jac(xs, *popt)
        _, sv, vt = np.linalg.svd(jm, full_matrices=False)
        keep = sv > np.finfo(float).eps * max(jm.shape) * sv[0]
        sv, vt = sv[keep], vt[: sv.size]
        r = f(xs, *popt) - ys
        pcov_svd = (vt.T / sv**2) @ vt * (r @ r) / (m - n)
        print("svd_stderr " + fmt(np.sqrt(np.diag(pcov_svd))))
        ptrf, pcov_trf = curve_fit(f, xs, ys, p0=p0, jac=jac, method="trf")
        print("trf_params " + fmt(ptrf))
        print("trf_stderr " + fmt(np.sqrt(np.diag(pcov_trf))))

        def res(p):
            return f(xs, *p) - ys

        def res_jac(p):
            return jac(xs, *p)

        fd = least_squares(res, p0, method="lm")
        print("ls_fd_params " + fmt(fd.x))
        print(f"ls_fd_nfev {fd.nfev}")
        an = least_squares(res, p0, jac=res_jac, method="lm")
        print("ls_jac_params " + fmt(an.x))
        print(f"ls_jac_nfev {an.nfev}")
        print(f"ls_jac_njev {an.njev}")
        print("end")


if __name__ == "__main__":
    main()
