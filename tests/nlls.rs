//! Nonlinear least squares against closed forms: a straight-line fit (the linear least-squares
//! solution), Rosenbrock's residuals (zero residual at (1, 1)), a rank-deficient model whose two
//! parameters enter only as a sum, box-constrained minima, and bad input / failing callbacks
//! (nothing changed, or rolled back to an accepted point).

use lossmap::nlls::{
    central_jacobian, fit_statistics, fit_statistics_slice, fit_statistics_work_len,
    forward_jacobian, gauss_newton, gauss_newton_slice, gn_work_len, levenberg_marquardt,
    levenberg_marquardt_slice, lm_work_len, Central, FnResiduals, GaussNewton, GaussNewtonConfig,
    LevenbergMarquardt, LmConfig, LsqReason, Residuals,
};
use lossmap::Error;

fn rosen(x: &[f64; 2], r: &mut [f64; 2]) {
    *r = [10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]];
}

/// Rosenbrock residuals with their analytic Jacobian.
struct Rosen;
impl Residuals<f64, 2, 2> for Rosen {
    fn residuals(&mut self, x: &[f64; 2], r: &mut [f64; 2]) {
        rosen(x, r)
    }
    fn jacobian(
        &mut self,
        x: &[f64; 2],
        _: &[f64; 2],
        j: &mut [[f64; 2]; 2],
    ) -> Result<usize, Error> {
        *j = [[-20.0 * x[0], 10.0], [-1.0, 0.0]];
        Ok(0)
    }
}

const T: [f64; 7] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
const Y: [f64; 7] = [0.9, 3.1, 4.8, 7.2, 9.1, 10.8, 13.2];

#[test]
fn linear_model_gives_the_linear_least_squares_solution() {
    // Closed form for y = p0 + p1 t: p1 = Sty / Stt (centred), p0 = ȳ − p1 t̄.
    let n = T.len() as f64;
    let (tm, ym) = (T.iter().sum::<f64>() / n, Y.iter().sum::<f64>() / n);
    let stt: f64 = T.iter().map(|t| (t - tm) * (t - tm)).sum();
    let sty: f64 = T.iter().zip(Y).map(|(t, y)| (t - tm) * (y - ym)).sum();
    let p1 = sty / stt;
    let p0 = ym - p1 * tm;
    let mut res = |p: &[f64; 2], r: &mut [f64; 7]| {
        for i in 0..7 {
            r[i] = p[0] + p[1] * T[i] - Y[i];
        }
    };
    let mut p = [0.0, 0.0];
    let rep = levenberg_marquardt(&mut res, &mut p, &LmConfig::default()).unwrap();
    // Forward differences of a linear model are exact up to rounding, ε/√ε relative: the
    // solution is within MINPACK's xtol = 1e-8 relative of the closed form.
    assert!(
        (p[0] - p0).abs() < 1e-7 && (p[1] - p1).abs() < 1e-7,
        "{p:?} {rep:?}"
    );
    let mut q = [5.0, -3.0];
    gauss_newton(&mut res, &mut q, &GaussNewtonConfig::default()).unwrap();
    assert!((q[0] - p0).abs() < 1e-7 && (q[1] - p1).abs() < 1e-7);
    // Covariance of a line fit: σ² (XᵀX)⁻¹, Var(p1) = σ²/Stt, Var(p0) = σ²(1/n + t̄²/Stt).
    let (mut cov, mut corr) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    let st = fit_statistics(&mut res, &p, &mut cov, &mut corr).unwrap();
    let mut r = [0.0; 7];
    res(&p, &mut r);
    let s2 = r.iter().map(|v| v * v).sum::<f64>() / 5.0;
    assert!((st.summary.sigma2 - s2).abs() < 1e-12 * s2.max(1.0));
    // (The closure's Jacobian is by forward differences: 1e-8 relative.)
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b.abs();
    assert!(close(cov[1][1], s2 / stt));
    assert!(close(cov[0][0], s2 * (1.0 / n + tm * tm / stt)));
    assert!(close(st.stderr[1], (s2 / stt).sqrt()));
    assert!((corr[0][1] - cov[0][1] / (cov[0][0] * cov[1][1]).sqrt()).abs() < 1e-12);
    assert!(st.undetermined.is_empty() && st.summary.covariance_valid);
}

#[test]
fn rosenbrock_residuals_reach_the_zero_residual_minimum() {
    for analytic in [true, false] {
        let mut x = [-1.2, 1.0];
        let rep = if analytic {
            levenberg_marquardt(&mut Rosen, &mut x, &LmConfig::default())
        } else {
            levenberg_marquardt(&mut rosen, &mut x, &LmConfig::default())
        }
        .unwrap();
        assert!(
            (x[0] - 1.0).abs() < 1e-10 && (x[1] - 1.0).abs() < 1e-10,
            "{x:?}"
        );
        assert!(rep.cost < 1e-20 && rep.reason.converged(), "{rep:?}");
        // scipy 1.17 `least_squares(method='lm')` (MINPACK lmder) with this Jacobian: nfev 21,
        // njev 16.
        if analytic {
            assert_eq!(
                (rep.residual_evals, rep.jacobian_evals),
                (21, 16),
                "{rep:?}"
            );
        }
    }
    let mut x = [-1.2, 1.0];
    let rep = gauss_newton(&mut Rosen, &mut x, &GaussNewtonConfig::default()).unwrap();
    assert!(
        (x[0] - 1.0).abs() < 1e-9 && (x[1] - 1.0).abs() < 1e-9,
        "{x:?} {rep:?}"
    );
    // Started at the solution: one Jacobian, the gtol test (r = 0), nothing moved.
    let mut x = [1.0, 1.0];
    let rep = levenberg_marquardt(&mut Rosen, &mut x, &LmConfig::default()).unwrap();
    assert_eq!(
        (rep.reason, rep.residual_evals, rep.jacobian_evals),
        (LsqReason::Gtol, 1, 1)
    );
    assert_eq!(x, [1.0, 1.0]);
    let mut x = [0.0, 0.0]; // ‖D x₀‖ = 0: the trust region starts at `factor`
    levenberg_marquardt(&mut Rosen, &mut x, &LmConfig::default()).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-10 && (x[1] - 1.0).abs() < 1e-10);
    // Central differences reach the same point.
    let mut x = [-1.2, 1.0];
    levenberg_marquardt(&mut Central(rosen), &mut x, &LmConfig::default()).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-9 && (x[1] - 1.0).abs() < 1e-9);
}

/// y = (a + b) t + c: only a + b is determined.
struct Sum;
impl Residuals<f64, 7, 3> for Sum {
    fn residuals(&mut self, p: &[f64; 3], r: &mut [f64; 7]) {
        for i in 0..7 {
            r[i] = (p[0] + p[1]) * T[i] + p[2] - Y[i];
        }
    }
    fn jacobian(
        &mut self,
        _: &[f64; 3],
        _: &[f64; 7],
        j: &mut [[f64; 3]; 7],
    ) -> Result<usize, Error> {
        for i in 0..7 {
            j[i] = [T[i], T[i], 1.0];
        }
        Ok(0)
    }
}

#[test]
fn rank_deficient_jacobian_reports_the_undetermined_combination() {
    let mut lm = LevenbergMarquardt::<f64, 7, 3>::new(LmConfig::default());
    let mut p = [0.3, 0.1, 0.0];
    let rep = lm.fit(&mut Sum, &mut p).unwrap();
    assert!(rep.reason.converged(), "{rep:?}");
    // The fitted slope a + b and intercept c are the line fit's.
    let mut line = [0.0, 0.0];
    let mut res = |q: &[f64; 2], r: &mut [f64; 7]| {
        for i in 0..7 {
            r[i] = q[0] + q[1] * T[i] - Y[i];
        }
    };
    levenberg_marquardt(&mut res, &mut line, &LmConfig::default()).unwrap();
    assert!(
        (p[0] + p[1] - line[1]).abs() < 1e-7 && (p[2] - line[0]).abs() < 1e-7,
        "{p:?} {line:?} {rep:?}"
    );
    let (mut cov, mut corr) = ([[0.0; 3]; 3], [[0.0; 3]; 3]);
    let st = lm.statistics(&mut Sum, &p, &mut cov, &mut corr).unwrap();
    assert_eq!(st.summary.rank, 2);
    assert!(!st.summary.covariance_valid);
    assert_eq!(st.undetermined.len(), 1);
    let d = st.undetermined[0].vector;
    let h = 0.5f64.sqrt();
    assert!(
        (d[0] - h).abs() < 1e-12 && (d[1] + h).abs() < 1e-12 && d[2].abs() < 1e-12,
        "{d:?}"
    );
    assert!(st.undetermined[0].curvature < 1e-20);
    assert!(st.summary.condition > 1e12);
    // The same split as the identifiability report: one flat, two determined directions.
    let id = lm.identifiability(&st);
    assert_eq!((id.flat.len(), id.determined.len()), (1, 2));
    assert_eq!(id.flat[0], st.undetermined[0]);
    assert!(id.determined[0].curvature <= id.determined[1].curvature);
    // The pseudo-inverse covariance is finite; the determined combination a + b has the line
    // fit's slope variance (1, 1, 0) Cov (1, 1, 0)ᵀ, up to σ²'s degrees of freedom (7 − 3
    // here, 7 − 2 for the line).
    let mut lcov = [[0.0; 2]; 2];
    let mut lcorr = [[0.0; 2]; 2];
    fit_statistics(&mut res, &line, &mut lcov, &mut lcorr).unwrap();
    let var_sum = (cov[0][0] + cov[1][1] + 2.0 * cov[0][1]) * 4.0 / 5.0;
    assert!(
        (var_sum - lcov[1][1]).abs() < 1e-6 * lcov[1][1],
        "{var_sum} {}",
        lcov[1][1]
    );
}

#[test]
fn box_bounds_give_the_constrained_minimum() {
    // r = x − (2, −3) in [0, 1] × [−1, 1]: the minimum is the corner (1, −1).
    let mut res = |x: &[f64; 2], r: &mut [f64; 2]| *r = [x[0] - 2.0, x[1] + 3.0];
    let mut lm = LevenbergMarquardt::<f64, 2, 2>::new(LmConfig::default());
    let mut x = [0.5, 0.0];
    lm.fit_bounded(&mut res, &mut x, &[0.0, -1.0], &[1.0, 1.0])
        .unwrap();
    assert_eq!(x, [1.0, -1.0]);
    let mut gn = GaussNewton::<f64, 2, 2>::new(GaussNewtonConfig::default());
    let mut x = [0.5, 0.0];
    gn.fit_bounded(&mut res, &mut x, &[0.0, -1.0], &[1.0, 1.0])
        .unwrap();
    assert_eq!(x, [1.0, -1.0]);
    // Rosenbrock with x0 ≤ 0.5: the valley x1 = x0² meets the bound at (0.5, 0.25).
    let inf = f64::INFINITY;
    for analytic in [true, false] {
        let mut lm = LevenbergMarquardt::<f64, 2, 2>::new(LmConfig::default());
        let mut x = [-1.2, 1.0];
        let rep = if analytic {
            lm.fit_bounded(&mut Rosen, &mut x, &[-inf, -inf], &[0.5, inf])
        } else {
            lm.fit_bounded(&mut rosen, &mut x, &[-inf, -inf], &[0.5, inf])
        }
        .unwrap();
        assert!(rep.reason.converged(), "{rep:?}");
        assert!(
            (x[0] - 0.5).abs() < 1e-9 && (x[1] - 0.25).abs() < 1e-7,
            "{x:?} {rep:?}"
        );
        let mut gn = GaussNewton::<f64, 2, 2>::new(GaussNewtonConfig::default());
        let mut x = [-1.2, 1.0];
        gn.fit_bounded(&mut Rosen, &mut x, &[-inf, -inf], &[0.5, inf])
            .unwrap();
        assert!(
            (x[0] - 0.5).abs() < 1e-9 && (x[1] - 0.25).abs() < 1e-7,
            "{x:?}"
        );
    }
}

/// `(m, x, bounds, config, expected error)`.
type Bad = (
    usize,
    [f64; 2],
    Option<([f64; 2], [f64; 2])>,
    LmConfig<f64>,
    Error,
);

#[test]
fn bad_input_changes_nothing() {
    let mut res = FnResiduals(|x: &[f64], r: &mut [f64]| {
        for (i, v) in r.iter_mut().enumerate() {
            *v = x[i % x.len()] - i as f64;
        }
    });
    let cfg = LmConfig::<f64>::default();
    let gcfg = GaussNewtonConfig::<f64>::default();
    let x0 = [0.5, 0.25];
    let cases: Vec<Bad> = vec![
        (1, x0, None, cfg, Error::LengthMismatch), // m < n
        (0, x0, None, cfg, Error::Empty),
        (4, [f64::NAN, 0.0], None, cfg, Error::NonFiniteInput),
        (
            4,
            x0,
            None,
            LmConfig { ftol: -1.0, ..cfg },
            Error::InvalidParameter,
        ),
        (
            4,
            x0,
            None,
            LmConfig { factor: 0.0, ..cfg },
            Error::InvalidParameter,
        ),
        (
            4,
            x0,
            None,
            LmConfig {
                xtol: f64::NAN,
                ..cfg
            },
            Error::InvalidParameter,
        ),
        (
            4,
            x0,
            Some(([1.0, 0.0], [0.0, 1.0])),
            cfg,
            Error::InvalidParameter,
        ), // lower > upper
        (
            4,
            x0,
            Some(([0.0, 0.3], [1.0, 1.0])),
            cfg,
            Error::InvalidParameter,
        ), // x outside
        (
            4,
            x0,
            Some(([f64::NAN, 0.0], [1.0, 1.0])),
            cfg,
            Error::InvalidParameter,
        ),
    ];
    for (m, xs, bounds, c, want) in cases {
        let mut x = xs;
        let mut work = vec![7.0; lm_work_len(m.max(2), 2)];
        let b = bounds.as_ref().map(|(l, h)| (&l[..], &h[..]));
        let got = levenberg_marquardt_slice(&mut res, &mut x, m, b, &mut work, &c);
        assert_eq!(got, Err(want));
        assert_eq!(x.map(f64::to_bits), xs.map(f64::to_bits));
        assert!(work.iter().all(|&v| v == 7.0));
        if c.factor == 0.0 {
            continue; // no Gauss–Newton counterpart
        }
        let g = GaussNewtonConfig {
            ftol: c.ftol,
            xtol: c.xtol,
            ..gcfg
        };
        let mut gwork = vec![7.0; gn_work_len(m.max(2), 2)];
        let got = gauss_newton_slice(&mut res, &mut x, m, b, &mut gwork, &g);
        assert_eq!(got, Err(want));
        assert_eq!(x.map(f64::to_bits), xs.map(f64::to_bits));
        assert!(gwork.iter().all(|&v| v == 7.0));
    }
    // Wrong work length.
    let mut x = x0;
    let mut work = vec![7.0; lm_work_len(4, 2) - 1];
    assert_eq!(
        levenberg_marquardt_slice(&mut res, &mut x, 4, None, &mut work, &cfg),
        Err(Error::LengthMismatch)
    );
    assert_eq!(x, x0);
    for c in [
        GaussNewtonConfig { c1: 1.0, ..gcfg },
        GaussNewtonConfig {
            backtrack: 0.0,
            ..gcfg
        },
        GaussNewtonConfig {
            max_iter: 0,
            ..gcfg
        },
        GaussNewtonConfig {
            max_backtracks: 0,
            ..gcfg
        },
    ] {
        let mut gwork = vec![7.0; gn_work_len(4, 2)];
        assert_eq!(
            gauss_newton_slice(&mut res, &mut x, 4, None, &mut gwork, &c),
            Err(Error::InvalidParameter)
        );
        assert_eq!(x, x0);
    }
    // A start whose residuals are NaN.
    let mut nan = |x: &[f64; 2], r: &mut [f64; 3]| *r = [x[0], f64::NAN, 0.0];
    let mut x = x0;
    assert_eq!(
        levenberg_marquardt(&mut nan, &mut x, &cfg),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, x0);
    // Statistics: m = n has no degrees of freedom; sizes; NaN.
    let mut cov = [9.0; 4];
    let mut w = vec![7.0; fit_statistics_work_len(2, 2)];
    assert_eq!(
        fit_statistics_slice(&[1.0, 0.0, 0.0, 1.0], &[0.1, 0.2], 2, &mut cov, &mut w),
        Err(Error::InvalidParameter)
    );
    let mut w = vec![7.0; fit_statistics_work_len(3, 2)];
    assert_eq!(
        fit_statistics_slice(
            &[1.0, 0.0, 0.0, 1.0, 1.0, f64::NAN],
            &[0.1, 0.2, 0.3],
            2,
            &mut cov,
            &mut w
        ),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        fit_statistics_slice(&[1.0, 0.0, 0.0, 1.0], &[0.1, 0.2, 0.3], 2, &mut cov, &mut w),
        Err(Error::LengthMismatch)
    );
    assert_eq!(cov, [9.0; 4]);
    assert!(w.iter().all(|&v| v == 7.0));
}

#[test]
fn failing_callback_rolls_back_to_an_accepted_point() {
    let x0 = [-1.2, 1.0];
    let cost = |x: &[f64; 2]| {
        let mut r = [0.0; 2];
        rosen(x, &mut r);
        0.5 * (r[0] * r[0] + r[1] * r[1])
    };
    for k in 1..30 {
        for gn in [false, true] {
            let mut calls = 0;
            let mut res = |x: &[f64; 2], r: &mut [f64; 2]| {
                calls += 1;
                rosen(x, r);
                if calls == k {
                    r[1] = f64::NAN;
                }
            };
            let mut x = x0;
            let got = if gn {
                gauss_newton(&mut res, &mut x, &GaussNewtonConfig::default())
            } else {
                levenberg_marquardt(&mut res, &mut x, &LmConfig::default())
            };
            match got {
                Err(e) => {
                    assert_eq!(e, Error::NonFiniteLoss, "k = {k}");
                    assert!(x.iter().all(|v| v.is_finite()));
                    assert!(cost(&x) <= cost(&x0), "k = {k}: {x:?}");
                    if k == 1 {
                        assert_eq!(x, x0);
                    }
                }
                Ok(rep) => assert!(rep.residual_evals < k, "k = {k}: {rep:?}"),
            }
        }
    }
    // A failing Jacobian is NonFiniteGradient, x unchanged at the start.
    struct BadJac;
    impl Residuals<f64, 2, 2> for BadJac {
        fn residuals(&mut self, x: &[f64; 2], r: &mut [f64; 2]) {
            rosen(x, r)
        }
        fn jacobian(
            &mut self,
            _: &[f64; 2],
            _: &[f64; 2],
            j: &mut [[f64; 2]; 2],
        ) -> Result<usize, Error> {
            j[0][0] = f64::INFINITY;
            Ok(0)
        }
    }
    let mut x = x0;
    assert_eq!(
        levenberg_marquardt(&mut BadJac, &mut x, &LmConfig::default()),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(x, x0);
}

#[test]
fn budget_and_reasons() {
    let mut x = [-1.2, 1.0];
    let rep = levenberg_marquardt(
        &mut Rosen,
        &mut x,
        &LmConfig {
            max_evals: 3,
            ..LmConfig::default()
        },
    )
    .unwrap();
    assert_eq!(rep.reason, LsqReason::MaxEvaluations);
    assert!(rep.residual_evals >= 3 && rep.residual_evals <= 4);
    let mut x = [-1.2, 1.0];
    let rep = gauss_newton(
        &mut Rosen,
        &mut x,
        &GaussNewtonConfig {
            max_iter: 1,
            ..GaussNewtonConfig::default()
        },
    )
    .unwrap();
    assert_eq!((rep.reason, rep.iterations), (LsqReason::MaxIterations, 1));
    assert_eq!(LsqReason::Gtol.code(), 4);
}

#[test]
fn finite_difference_kernels_match_the_analytic_jacobian() {
    let mut f = |x: &[f64], r: &mut [f64]| {
        r[0] = 10.0 * (x[1] - x[0] * x[0]);
        r[1] = 1.0 - x[0];
        r[2] = x[0] * x[1].exp();
    };
    let x0 = [0.7, -0.4];
    let exact = [
        -14.0,
        10.0,
        -1.0,
        0.0,
        (-0.4f64).exp(),
        0.7 * (-0.4f64).exp(),
    ];
    let mut x = x0;
    let mut r = [0.0; 3];
    f(&x, &mut r);
    let (mut j, mut tmp, mut tmp2) = ([0.0; 6], [0.0; 3], [0.0; 6]);
    assert_eq!(
        forward_jacobian(&mut f, &mut x, &r, &mut j, &mut tmp, 0.0),
        Ok(2)
    );
    assert!(j.iter().zip(exact).all(|(a, b)| (a - b).abs() < 1e-6));
    assert_eq!(x, x0);
    assert_eq!(
        central_jacobian(&mut f, &mut x, &mut j, &mut tmp2, 0.0),
        Ok(4)
    );
    assert!(j.iter().zip(exact).all(|(a, b)| (a - b).abs() < 1e-9));
    assert_eq!(x, x0);
    assert_eq!(
        forward_jacobian(&mut f, &mut x, &r, &mut j[..5], &mut tmp, 0.0),
        Err(Error::LengthMismatch)
    );
}

#[test]
fn observers_see_every_accepted_step_and_can_stop_the_run() {
    use lossmap::nlls::{GaussNewton, GaussNewtonConfig, LevenbergMarquardt, LmConfig, LsqReason};
    use lossmap::optim::Progress;
    // Rosenbrock residuals from the standard start: the full run, then one stopped at step 4.
    let mut lm = LevenbergMarquardt::<f64, 2, 2>::new(LmConfig::default());
    let mut x = [-1.2, 1.0];
    let mut seen: Vec<Progress<f64>> = Vec::new();
    let full = lm
        .fit_with(&mut rosen, &mut x, None, &mut |p| {
            seen.push(*p);
            true
        })
        .unwrap();
    assert_eq!(seen.len(), full.iterations);
    let last = seen.last().unwrap();
    assert_eq!(last.loss, full.cost);
    // After the last step the run may still evaluate a Jacobian (to test gtol).
    assert!(last.value_evals <= full.residual_evals);
    assert!(seen
        .windows(2)
        .all(|w| w[1].loss < w[0].loss && w[1].iteration == w[0].iteration + 1));
    let mut y = [-1.2, 1.0];
    let stopped = lm
        .fit_with(&mut rosen, &mut y, None, &mut |p| p.iteration < 4)
        .unwrap();
    assert_eq!(
        (stopped.reason, stopped.iterations),
        (LsqReason::Observer, 4)
    );
    assert!(!stopped.reason.converged());
    assert_eq!(stopped.cost, seen[3].loss, "the same run up to the stop");

    let mut gn = GaussNewton::<f64, 2, 2>::new(GaussNewtonConfig::default());
    let mut z = [-1.2, 1.0];
    let mut costs = Vec::new();
    let r = gn
        .fit_with(&mut rosen, &mut z, None, &mut |p| {
            costs.push(p.loss);
            p.iteration < 2
        })
        .unwrap();
    assert_eq!(
        (r.reason, r.iterations, costs.len()),
        (LsqReason::Observer, 2, 2)
    );
    assert_eq!(r.cost, costs[1]);
}
