//! BFGS, L-BFGS (plain and on a box) and Nelder–Mead against known minima and against
//! `scipy.optimize.minimize` from the same starts (tests/reference/quasi_newton.py and its
//! committed output), in f64 and f32; bad input and mid-run failures.

use lossmap::objective::{Fixed, FnSlice, WithGradient};
use lossmap::optim::{
    bfgs, bfgs_slice, lbfgs, lbfgs_bounded_slice, lbfgs_slice, nelder_mead, nelder_mead_slice,
    Bfgs, Lbfgs, NelderMead, NelderMeadConfig, QuasiNewtonConfig, QuasiNewtonReport, Stop,
    StopReason,
};
use lossmap::testfn::{Beale, Himmelblau, Rosenbrock, RosenbrockN};
use lossmap::{Error, Objective};

const SCIPY: &str = include_str!("reference/quasi_newton.txt");

/// scipy's (nit, nfev, njev, fun) for `method` on `problem`.
fn scipy(method: &str, problem: &str) -> (usize, usize, usize, f64) {
    for line in SCIPY.lines().filter(|l| !l.starts_with('#')) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w[0] == method && w[1] == problem {
            return (
                w[2].parse().unwrap(),
                w[3].parse().unwrap(),
                w[4].parse().unwrap(),
                w[5].parse().unwrap(),
            );
        }
    }
    panic!("{method} {problem} not in the reference");
}

/// ½xᵀAx − bᵀx with the A, b of the reference script; minimum value −10.0696202531645...
fn quadratic() -> impl Objective<f64, 4> {
    const A: [[f64; 4]; 4] = [
        [4.0, 1.0, 0.0, 0.0],
        [1.0, 3.0, 1.0, 0.0],
        [0.0, 1.0, 2.0, 1.0],
        [0.0, 0.0, 1.0, 5.0],
    ];
    const B: [f64; 4] = [1.0, -2.0, 3.0, -4.0];
    let ax = |x: &[f64; 4]| -> [f64; 4] {
        core::array::from_fn(|i| (0..4).map(|j| A[i][j] * x[j]).sum())
    };
    WithGradient::new(
        move |x: &[f64; 4]| {
            let a = ax(x);
            (0..4).map(|i| 0.5 * x[i] * a[i] - B[i] * x[i]).sum::<f64>()
        },
        move |x: &[f64; 4], g: &mut [f64; 4]| {
            let a = ax(x);
            for i in 0..4 {
                g[i] = a[i] - B[i];
            }
        },
    )
}

fn row(
    method: &str,
    problem: &str,
    r: &QuasiNewtonReport<f64>,
    f_star: &[f64],
    tol: f64,
    budget: usize,
) {
    let (nit, nfev, njev, fun) = scipy(method, problem);
    println!(
        "{method:12} {problem:14} ours: it {:4} values {:5} grads {:4} f {:.3e} | scipy: it {nit:4} nfev {nfev:5} njev {njev:4} f {fun:.3e}",
        r.iterations, r.value_evals, r.grad_evals, r.loss
    );
    if method == "Nelder-Mead" && nfev >= budget {
        // scipy too ran out of evaluations (maxfev = 200n) on the way: no final value to match.
        assert_eq!(r.reason, StopReason::MaxEvaluations);
        return;
    }
    // Solved: the same final value as scipy's, or another known minimum.
    let ok = f_star
        .iter()
        .chain([fun].iter())
        .any(|&m| (r.loss - m).abs() <= tol * m.abs().max(1.0));
    assert!(ok, "{method} {problem}: f = {} (scipy {fun})", r.loss);
}

fn bfgs_stop(n: usize) -> Stop<f64> {
    Stop {
        grad_tol: 1e-5,
        max_iter: 200 * n,
        ..Stop::default()
    }
}

fn run_all<O: Objective<f64, N>, const N: usize>(
    name: &str,
    mut make: impl FnMut() -> O,
    x0: [f64; N],
    f_star: &[f64],
) {
    let mut x = x0;
    let r = bfgs(
        &mut make(),
        &mut x,
        &QuasiNewtonConfig::default(),
        &bfgs_stop(N),
    )
    .unwrap();
    assert_eq!(r.reason, StopReason::GradientNorm, "BFGS {name}");
    row("BFGS", name, &r, f_star, 1e-8, 0);
    let mut x = x0;
    let r = lbfgs::<_, _, N, 10>(
        &mut make(),
        &mut x,
        &QuasiNewtonConfig::lbfgsb(),
        &bfgs_stop(N),
    )
    .unwrap();
    row("L-BFGS-B", name, &r, f_star, 1e-8, 0);
    let mut x = x0;
    let stop = Stop {
        max_iter: 200 * N,
        ..Stop::default()
    };
    let r = nelder_mead(&mut make(), &mut x, &NelderMeadConfig::default(), &stop).unwrap();
    row("Nelder-Mead", name, &r, f_star, 1e-5, 200 * N);
}

#[test]
fn known_minima_against_scipy() {
    run_all("rosenbrock", || Rosenbrock, [-1.2, 1.0], &[0.0]);
    run_all("beale", || Beale, [1.0, 1.0], &[0.0]);
    for (name, x0) in [
        ("himmelblau_a", [2.5, 2.5]),
        ("himmelblau_b", [-2.5, 2.5]),
        ("himmelblau_c", [-3.0, -3.0]),
        ("himmelblau_d", [3.0, -1.5]),
    ] {
        run_all(name, || Himmelblau, x0, &[0.0]);
    }
    // Extended Rosenbrock: the global minimum 0 and the local one near (−1, 1, …, 1), whose
    // value 3.9865791123471386 scipy's BFGS gives from scipy's end point with gtol = 1e-13.
    let x0: [f64; 10] = core::array::from_fn(|i| if i % 2 == 0 { -1.2 } else { 1.0 });
    run_all(
        "rosenbrock10",
        || RosenbrockN::<10>,
        x0,
        &[0.0, 3.9865791123471386],
    );
    run_all("quadratic4", quadratic, [0.0; 4], &[-10.069620253164556]);
}

#[test]
fn himmelblau_lands_on_each_of_its_four_minima() {
    let starts = [[2.5, 2.5], [-2.5, 2.5], [-3.0, -3.0], [3.0, -1.5]];
    for (x0, m) in starts.iter().zip(Himmelblau::MINIMA) {
        let mut x = *x0;
        bfgs(
            &mut Himmelblau,
            &mut x,
            &QuasiNewtonConfig::default(),
            &Stop {
                grad_tol: 1e-10,
                ..Stop::default()
            },
        )
        .unwrap();
        assert!(
            (x[0] - m[0]).abs() < 1e-9 && (x[1] - m[1]).abs() < 1e-9,
            "{x:?} vs {m:?}"
        );
        let mut x = *x0;
        lbfgs::<_, _, 2, 5>(
            &mut Himmelblau,
            &mut x,
            &QuasiNewtonConfig::default(),
            &Stop {
                grad_tol: 1e-10,
                ..Stop::default()
            },
        )
        .unwrap();
        assert!(
            (x[0] - m[0]).abs() < 1e-9 && (x[1] - m[1]).abs() < 1e-9,
            "{x:?} vs {m:?}"
        );
    }
}

#[test]
fn bfgs_on_a_convex_quadratic_converges_in_few_iterations() {
    let mut x = [0.0; 4];
    let stop = Stop {
        grad_tol: 1e-10,
        ..Stop::default()
    };
    let r = bfgs(
        &mut quadratic(),
        &mut x,
        &QuasiNewtonConfig::default(),
        &stop,
    )
    .unwrap();
    let exact = [
        0.746835443037975,
        -1.9873417721518987,
        3.2151898734177213,
        -1.4430379746835442,
    ];
    // f ≈ −10 resolves x to about √(4ε·10/λ_min) ≈ 1e-7; grad_tol 1e-10 lies below that, so
    // the run may end at the loss's resolution instead.
    assert!(matches!(
        r.reason,
        StopReason::GradientNorm | StopReason::RelativeImprovement
    ));
    for (a, b) in x.iter().zip(exact) {
        assert!((a - b).abs() < 1e-7, "{x:?}");
    }
    // The inverse-Hessian approximation approaches A⁻¹ (secant conditions on a quadratic).
    assert!(r.iterations <= 12, "{r:?}");
    let mut b = Bfgs::<f64, 4>::new(QuasiNewtonConfig::default());
    let mut x = [0.0; 4];
    b.minimize(&mut quadratic(), &mut x, &stop).unwrap();
    let a00_inv = 0.3227848101265823; // (A⁻¹)₀₀
    assert!(
        (b.inverse_hessian[0][0] - a00_inv).abs() < 0.05,
        "{:?}",
        b.inverse_hessian
    );
}

#[test]
fn f32_runs_reach_the_minima() {
    let stop = Stop {
        grad_tol: 1e-3,
        ..Stop::default()
    };
    let mut x = [-1.2f32, 1.0];
    bfgs(
        &mut Rosenbrock,
        &mut x,
        &QuasiNewtonConfig::default(),
        &stop,
    )
    .unwrap();
    assert!(
        (x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 2e-3,
        "{x:?}"
    );
    let mut x = [-1.2f32, 1.0];
    lbfgs::<_, _, 2, 10>(
        &mut Rosenbrock,
        &mut x,
        &QuasiNewtonConfig::default(),
        &stop,
    )
    .unwrap();
    assert!(
        (x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 2e-3,
        "{x:?}"
    );
    let mut x = [3.3f32, 1.7];
    let mut l = Lbfgs::<f32, 2, 4>::new(QuasiNewtonConfig::default());
    l.minimize_bounded(&mut Himmelblau, &mut x, &[0.0, 0.0], &[5.0, 5.0], &stop)
        .unwrap();
    assert!(
        (x[0] - 3.0).abs() < 1e-4 && (x[1] - 2.0).abs() < 1e-4,
        "{x:?}"
    );
    let mut x = [1.0f32, 1.0];
    let r = nelder_mead(
        &mut Beale,
        &mut x,
        &NelderMeadConfig::default(),
        &Stop::default(),
    )
    .unwrap();
    assert!(
        (x[0] - 3.0).abs() < 1e-3 && (x[1] - 0.5).abs() < 1e-3 && r.loss < 1e-6,
        "{x:?}"
    );
}

#[test]
fn a_minimum_outside_the_box_is_found_on_its_boundary() {
    // (x − 3)² + 10(y − x)² + z² on [−1, 1]³: the minimizer with x, y ≤ 1 is (1, 1, 0), on a
    // corner edge; the iterates never leave the box.
    let lo = [-1.0, -1.0, -1.0];
    let hi = [1.0, 1.0, 1.0];
    let mut outside = false;
    let mut inner = WithGradient::new(
        |v: &[f64; 3]| {
            if v.iter()
                .zip(lo.iter().zip(&hi))
                .any(|(&x, (&l, &u))| x < l || x > u)
            {
                outside = true;
            }
            (v[0] - 3.0).powi(2) + 10.0 * (v[1] - v[0]).powi(2) + v[2] * v[2]
        },
        |v: &[f64; 3], g: &mut [f64; 3]| {
            *g = [
                2.0 * (v[0] - 3.0) - 20.0 * (v[1] - v[0]),
                20.0 * (v[1] - v[0]),
                2.0 * v[2],
            ];
        },
    );
    let mut obj = Fixed::<_, 3>(&mut inner);
    let (mut pairs, mut coef, mut vecs) = ([0.0; 60], [0.0; 20], [0.0; 12]);
    let mut x = [-0.5, 0.9, 0.7];
    let stop = Stop {
        grad_tol: 1e-9,
        ..Stop::default()
    };
    let r = lbfgs_bounded_slice(
        &mut obj,
        &mut x,
        &lo,
        &hi,
        10,
        &mut pairs,
        &mut coef,
        &mut vecs,
        &QuasiNewtonConfig::default(),
        &stop,
        None,
    )
    .unwrap();
    assert!(!outside);
    assert!(x[0] == 1.0 && (x[1] - 1.0).abs() < 1e-9, "{x:?} {r:?}");
    assert!(
        x[2].abs() < 1e-9 && (r.loss - 4.0).abs() < 1e-12,
        "{x:?} {r:?}"
    );
    assert_eq!(r.reason, StopReason::GradientNorm);
    // Rosenbrock on [−2, 0.5] × [−1, 2]: the constrained minimum is on x = 0.5 where
    // ∂f/∂y = 0, y = 0.25, f = 0.25.
    let mut l = Lbfgs::<f64, 2, 10>::new(QuasiNewtonConfig::default());
    let mut x = [-1.2, 1.0];
    let r = l
        .minimize_bounded(&mut Rosenbrock, &mut x, &[-2.0, -1.0], &[0.5, 2.0], &stop)
        .unwrap();
    assert_eq!(x[0], 0.5);
    assert!(
        (x[1] - 0.25).abs() < 1e-9 && (r.loss - 0.25).abs() < 1e-12,
        "{x:?}"
    );
}

#[test]
fn bad_input_changes_nothing() {
    let cfg = QuasiNewtonConfig::<f64>::default();
    let stop = Stop::<f64>::default();
    let x0 = [0.5, 0.5];
    let mut obj = FnSlice(|v: &[f64]| v[0] * v[0] + v[1] * v[1]);
    let check = |x: &[f64; 2], h: &[f64], v: &[f64]| {
        assert_eq!(*x, x0);
        assert!(h.iter().chain(v).all(|&e| e == 7.0));
    };
    // BFGS: short scratch, bad config, bad stop, NaN in x.
    let (mut h, mut v) = ([7.0; 4], [7.0; 10]);
    let mut x = x0;
    assert_eq!(
        bfgs_slice(&mut obj, &mut x, &mut h[..3], &mut v, &cfg, &stop, None),
        Err(Error::LengthMismatch)
    );
    check(&x, &h, &v);
    let bad = QuasiNewtonConfig { c2: 1e-5, ..cfg };
    assert_eq!(
        bfgs_slice(&mut obj, &mut x, &mut h, &mut v, &bad, &stop, None),
        Err(Error::InvalidParameter)
    );
    check(&x, &h, &v);
    let bad_stop = Stop {
        max_iter: 0,
        ..stop
    };
    assert_eq!(
        bfgs_slice(&mut obj, &mut x, &mut h, &mut v, &cfg, &bad_stop, None),
        Err(Error::InvalidParameter)
    );
    check(&x, &h, &v);
    let mut xn = [f64::NAN, 0.5];
    assert_eq!(
        bfgs_slice(&mut obj, &mut xn, &mut h, &mut v, &cfg, &stop, None),
        Err(Error::NonFiniteInput)
    );
    assert!(h.iter().chain(&v).all(|&e| e == 7.0));
    // L-BFGS: m = 0, short pairs, a bad box, lower > upper.
    let (mut p, mut c, mut w) = ([7.0; 8], [7.0; 4], [7.0; 8]);
    assert_eq!(
        lbfgs_slice(&mut obj, &mut x, 0, &mut p, &mut c, &mut w, &cfg, &stop, None),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        lbfgs_slice(
            &mut obj,
            &mut x,
            2,
            &mut p[..7],
            &mut c,
            &mut w,
            &cfg,
            &stop,
            None
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        lbfgs_bounded_slice(
            &mut obj,
            &mut x,
            &[1.0, 0.0],
            &[0.0, 1.0],
            2,
            &mut p,
            &mut c,
            &mut w,
            &cfg,
            &stop,
            None
        ),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        lbfgs_bounded_slice(
            &mut obj,
            &mut x,
            &[0.0],
            &[1.0],
            2,
            &mut p,
            &mut c,
            &mut w,
            &cfg,
            &stop,
            None
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(x, x0);
    assert!(p.iter().chain(&c).chain(&w).all(|&e| e == 7.0));
    // Nelder–Mead: a zero offset, short scratch.
    let (mut s, mut fv, mut nv) = ([7.0; 4], [7.0; 2], [7.0; 6]);
    let badnm = NelderMeadConfig {
        initial_rel: 0.0,
        ..NelderMeadConfig::default()
    };
    assert_eq!(
        nelder_mead_slice(&mut obj, &mut x, &mut s, &mut fv, &mut nv, &badnm, &stop, None),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        nelder_mead_slice(
            &mut obj,
            &mut x,
            &mut s,
            &mut fv,
            &mut nv[..5],
            &NelderMeadConfig::default(),
            &stop,
            None
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(x, x0);
    assert!(s.iter().chain(&fv).chain(&nv).all(|&e| e == 7.0));
    // A non-finite loss at the start: an error, x untouched.
    let mut nan = FnSlice(|_: &[f64]| f64::NAN);
    assert_eq!(
        bfgs_slice(&mut nan, &mut x, &mut h, &mut v, &cfg, &stop, None),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(
        nelder_mead_slice(
            &mut nan,
            &mut x,
            &mut s,
            &mut fv,
            &mut nv,
            &NelderMeadConfig::default(),
            &stop,
            None
        ),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, x0);
}

/// Himmelblau, turning NaN from evaluation `k` on; records the points it was finite at.
struct TurnsNan {
    k: usize,
    calls: usize,
    finite: Vec<[f64; 2]>,
}

impl Objective<f64, 2> for TurnsNan {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        self.calls += 1;
        if self.calls >= self.k {
            f64::NAN
        } else {
            self.finite.push(*x);
            Himmelblau.value(x)
        }
    }
}

#[test]
fn a_loss_turning_nan_rolls_back_to_an_accepted_point() {
    for k in [8, 15, 30, 47] {
        let stop = Stop {
            grad_tol: 1e-12,
            ..Stop::default()
        };
        let cfg = QuasiNewtonConfig::default();
        let mut o = TurnsNan {
            k,
            calls: 0,
            finite: vec![],
        };
        let mut x = [0.5, 0.5];
        assert_eq!(
            bfgs(&mut o, &mut x, &cfg, &stop),
            Err(Error::NonFiniteLoss),
            "k = {k}"
        );
        assert!(
            x.iter().all(|v| v.is_finite()) && o.finite.contains(&x),
            "BFGS k = {k}: {x:?}"
        );
        let mut o = TurnsNan {
            k,
            calls: 0,
            finite: vec![],
        };
        let mut x = [0.5, 0.5];
        assert_eq!(
            lbfgs::<_, _, 2, 3>(&mut o, &mut x, &cfg, &stop),
            Err(Error::NonFiniteLoss)
        );
        assert!(o.finite.contains(&x), "L-BFGS k = {k}: {x:?}");
        let mut o = TurnsNan {
            k,
            calls: 0,
            finite: vec![],
        };
        let mut x = [0.5, 0.5];
        let mut l = Lbfgs::<f64, 2, 3>::new(cfg);
        assert_eq!(
            l.minimize_bounded(&mut o, &mut x, &[-5.0, -5.0], &[5.0, 5.0], &stop),
            Err(Error::NonFiniteLoss)
        );
        assert!(o.finite.contains(&x), "bounded k = {k}: {x:?}");
        let mut o = TurnsNan {
            k,
            calls: 0,
            finite: vec![],
        };
        let mut x = [0.5, 0.5];
        let nm = NelderMeadConfig {
            xatol: 0.0,
            fatol: 0.0,
            ..NelderMeadConfig::default()
        };
        assert_eq!(
            nelder_mead(&mut o, &mut x, &nm, &stop),
            Err(Error::NonFiniteLoss)
        );
        assert!(o.finite.contains(&x), "NM k = {k}: {x:?}");
    }
}

#[test]
fn budgets_and_observers_stop_the_runs() {
    let cfg = QuasiNewtonConfig::default();
    let stop = Stop {
        grad_tol: 0.0,
        max_evals: 40,
        ..Stop::default()
    };
    let mut x = [-1.2, 1.0];
    let r = bfgs(&mut Rosenbrock, &mut x, &cfg, &stop).unwrap();
    assert_eq!(r.reason, StopReason::MaxEvaluations);
    // Analytic gradient: one value per trial; the budget is checked before every trial.
    assert!(r.value_evals <= 40, "{r:?}");
    let stop = Stop {
        grad_tol: 0.0,
        max_iter: 5,
        ..Stop::default()
    };
    let r = lbfgs::<_, _, 2, 10>(&mut Rosenbrock, &mut [-1.2, 1.0], &cfg, &stop).unwrap();
    assert_eq!((r.reason, r.iterations), (StopReason::MaxIterations, 5));
    let stop = Stop {
        grad_tol: 0.0,
        step_tol: 1e-3,
        ..Stop::default()
    };
    let r = bfgs(&mut Himmelblau, &mut [2.5, 2.5], &cfg, &stop).unwrap();
    assert_eq!(r.reason, StopReason::StepSize);
    let mut seen = Vec::new();
    let mut obs = |p: &lossmap::optim::Progress<f64>| {
        seen.push(p.loss);
        p.iteration < 3
    };
    let mut b = Bfgs::<f64, 2>::new(cfg);
    let r = b
        .minimize_with(
            &mut Rosenbrock,
            &mut [-1.2, 1.0],
            &Stop::default(),
            Some(&mut obs),
        )
        .unwrap();
    assert_eq!(
        (r.reason, r.iterations, seen.len()),
        (StopReason::Observer, 3, 3)
    );
    assert!(seen.windows(2).all(|w| w[1] < w[0]));
    let mut losses = Vec::new();
    let mut obs = |p: &lossmap::optim::Progress<f64>| {
        losses.push(p.loss);
        true
    };
    let mut l = Lbfgs::<f64, 2, 5>::new(cfg);
    let r = l
        .minimize_bounded_with(
            &mut Rosenbrock,
            &mut [-1.2, 1.0],
            &[-2.0; 2],
            &[0.5, 2.0],
            &Stop::default(),
            Some(&mut obs),
        )
        .unwrap();
    assert_eq!(losses.len(), r.iterations);
    assert!(losses.windows(2).all(|w| w[1] < w[0]) && *losses.last().unwrap() == r.loss);
    let mut nm = NelderMead::<f64, 2>::new(NelderMeadConfig::default());
    let r = nm
        .minimize(
            &mut Rosenbrock,
            &mut [-1.2, 1.0],
            &Stop {
                max_evals: 50,
                ..Stop::default()
            },
        )
        .unwrap();
    assert_eq!(r.reason, StopReason::MaxEvaluations);
    assert!(r.value_evals <= 50 + 2, "{r:?}");
}

/// A 1-D function with its derivative, as a slice objective.
struct OneD<F: Fn(f64) -> (f64, f64)>(F);

impl<F: Fn(f64) -> (f64, f64)> lossmap::objective::SliceObjective<f64> for OneD<F> {
    fn value(&mut self, x: &[f64]) -> f64 {
        (self.0)(x[0]).0
    }
    fn gradient(&mut self, x: &mut [f64], g: &mut [f64]) -> Result<usize, Error> {
        g[0] = (self.0)(x[0]).1;
        Ok(0)
    }
}

#[test]
fn more_thuente_on_the_papers_functions_1_and_2() {
    use lossmap::optim::more_thuente_slice;
    // Moré & Thuente 1994, §5: function (5.1) with β = 2, µ = 0.001, η = 0.1, and (5.2) with
    // β = 0.004, µ = η = 0.1, from α₀ = 10⁻³, 10⁻¹, 10, 10³. The paper's minimizers: α ≈ √2 for
    // (5.1) and 1.6 for (5.2).
    let f1 = |a: f64| (-a / (a * a + 2.0), (a * a - 2.0) / (a * a + 2.0).powi(2));
    let f2 = |a: f64| {
        let b = a + 0.004;
        (
            b.powi(5) - 2.0 * b.powi(4),
            5.0 * b.powi(4) - 8.0 * b.powi(3),
        )
    };
    type Phi<'a> = &'a dyn Fn(f64) -> (f64, f64);
    let cases: [(Phi, f64, f64); 2] = [(&f1, 0.001, 0.1), (&f2, 0.1, 0.1)];
    for (k, (phi, c1, c2)) in cases.into_iter().enumerate() {
        let cfg = QuasiNewtonConfig {
            c1,
            c2,
            // The paper's runs shrink the interval until the conditions hold.
            xtol: 1e-10,
            max_line_evals: 30,
            ..QuasiNewtonConfig::default()
        };
        let (f0, g0) = phi(0.0);
        let mut evals = vec![];
        for a0 in [1e-3, 1e-1, 1e1, 1e3] {
            let (mut x, mut g) = ([0.0], [0.0]);
            let ls = more_thuente_slice(
                &mut OneD(phi),
                &[0.0],
                &[1.0],
                f0,
                g0,
                a0,
                1e10,
                &mut x,
                &mut g,
                &cfg,
            )
            .unwrap();
            let (f, d) = phi(ls.step);
            println!(
                "function {} from {a0:e}: α = {:.3}, {} evaluations",
                k + 1,
                ls.step,
                ls.value_evals
            );
            assert!(ls.wolfe, "{ls:?}");
            assert!(f <= f0 + c1 * ls.step * g0 && d.abs() <= c2 * g0.abs());
            assert_eq!((x[0], g[0], ls.loss), (ls.step, d, f));
            evals.push(ls.value_evals);
        }
    }
    // Not a descent direction, and a NaN start: refused, x untouched.
    let (mut x, mut g) = ([5.0], [5.0]);
    let cfg = QuasiNewtonConfig::default();
    assert_eq!(
        more_thuente_slice(
            &mut OneD(f1),
            &[0.0],
            &[1.0],
            0.0,
            0.5,
            1.0,
            10.0,
            &mut x,
            &mut g,
            &cfg
        ),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        more_thuente_slice(
            &mut OneD(f1),
            &[f64::NAN],
            &[1.0],
            0.0,
            -0.5,
            1.0,
            10.0,
            &mut x,
            &mut g,
            &cfg
        ),
        Err(Error::NonFiniteInput)
    );
    assert_eq!((x, g), ([5.0], [5.0]));
}

#[test]
fn a_bound_constrained_qp_with_several_active_bounds() {
    // ½xᵀQx − cᵀx on [0, 1]⁶ (the reference script's `bounded_qp`): x₁ and x₄ at 1, x₂ at 0,
    // and the free ones solve their rows: x₃ = ½, (x₅, x₆) = (2/15, 8/15).
    let line = SCIPY.lines().find(|l| l.starts_with("bounded_qp")).unwrap();
    let scipy_x: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .take(6)
        .map(|v| v.parse().unwrap())
        .collect();
    let exact = [1.0, 0.0, 0.5, 1.0, 2.0 / 15.0, 8.0 / 15.0];
    const C: [f64; 6] = [6.0, -3.0, 1.0, 5.0, -1.0, 2.0];
    let qx = |x: &[f64; 6]| -> [f64; 6] {
        core::array::from_fn(|i| {
            4.0 * x[i] - if i > 0 { x[i - 1] } else { 0.0 } - if i < 5 { x[i + 1] } else { 0.0 }
        })
    };
    let mut obj = WithGradient::new(
        move |x: &[f64; 6]| {
            let q = qx(x);
            (0..6).map(|i| 0.5 * x[i] * q[i] - C[i] * x[i]).sum::<f64>()
        },
        move |x: &[f64; 6], g: &mut [f64; 6]| {
            let q = qx(x);
            for i in 0..6 {
                g[i] = q[i] - C[i];
            }
        },
    );
    let stop = Stop {
        grad_tol: 1e-10,
        ..Stop::default()
    };
    for start in [
        [0.5; 6],
        [1.0; 6],
        [0.0; 6],
        [3.0, -2.0, 0.5, 9.0, 0.2, -1.0],
    ] {
        let mut x = start;
        let mut l = Lbfgs::<f64, 6, 3>::new(QuasiNewtonConfig::default());
        let r = l
            .minimize_bounded(&mut obj, &mut x, &[0.0; 6], &[1.0; 6], &stop)
            .unwrap();
        // ‖P∇f‖ ≤ 1e-10 is below what f ≈ −8 resolves from some starts: the run then ends at
        // the loss's resolution (`RelativeImprovement`) with ‖P∇f‖ ≈ 3e-8.
        assert!(
            matches!(
                r.reason,
                StopReason::GradientNorm | StopReason::RelativeImprovement
            ),
            "from {start:?}: {r:?}"
        );
        assert!(r.grad_norm < 1e-7, "{r:?}");
        for i in 0..6 {
            assert!((x[i] - exact[i]).abs() < 1e-7, "from {start:?}: {x:?}");
            assert!(
                (x[i] - scipy_x[i]).abs() < 1e-7,
                "from {start:?}: {x:?} vs scipy {scipy_x:?}"
            );
        }
        // The bounds active at the solution are met exactly.
        assert_eq!((x[0], x[1], x[3]), (1.0, 0.0, 1.0), "from {start:?}");
        assert!(x.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }
}
