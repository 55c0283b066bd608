//! The property-testing kit itself (`lossmap::testing`): its landscapes have the answers they
//! claim, checked by independent means (the Jacobi eigen-solver, the gradient formula, the
//! Hessians of `testfn`), its properties catch broken optimizers and shrink to a counter-example,
//! and the C step adapter runs C-convention optimizers through the same checks.

use core::ffi::c_void;

use lossmap::linalg::SymEigen;
use lossmap::optim::{BatchObjective, Optimizer, Sgd, SgdConfig};
use lossmap::testing::{
    check_optimizer, converges, critical_points, least_squares, near_critical, quadratic, rotation,
    step_is_finite_or_refused, stochastic_descends, CStepOptimizer, CheckConfig, Convergence,
    CriticalKind, Curvature, Landscape, LeastSquaresLandscape, LeastSquaresSpec, Monotone,
    QuadraticLandscape, QuadraticSpec, StochasticDescent,
};
use lossmap::{Error, Objective};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x6b17),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(config(64))]

    /// The Jacobi eigenvalues of the stored matrix are the log-spaced spectrum with L = 10, and
    /// the value agrees with `½ dᵀ A d + f*` from the matrix.
    #[test]
    fn log_spaced_quadratic_has_its_spectrum(
        mut q in quadratic::<f64, 4>(QuadraticSpec {
            curvature: Curvature::Largest(10.0),
            f_star: 3.0,
            ..QuadraticSpec::default()
        }),
        x in proptest::array::uniform4(-5.0f64..5.0),
    ) {
        let e = SymEigen::new(&q.matrix).unwrap();
        prop_assert!(rel(e.values[3], 10.0) < 1e-12, "{:?}", e.values);
        let kappa = e.values[3] / e.values[0];
        prop_assert!((1.0 - 1e-9..=1e3 * (1.0 + 1e-9)).contains(&kappa));
        prop_assert!(rel(q.condition(), kappa) < 1e-9);
        for k in 0..3 {
            let ratio = e.values[k + 1] / e.values[k];
            prop_assert!(rel(ratio, kappa.powf(1.0 / 3.0)) < 1e-9, "{:?}", e.values);
        }
        let c = q.minimizer();
        prop_assert_eq!(q.value(&c), q.min_value());
        prop_assert!(q.min_value().abs() <= 3.0);
        let mut g = [1.0; 4];
        q.gradient(&c, &mut g).unwrap();
        prop_assert_eq!(g, [0.0; 4]);
        let d: [f64; 4] = core::array::from_fn(|i| x[i] - c[i]);
        let quad: f64 = (0..4).map(|i| d[i] * (0..4).map(|j| q.matrix[i][j] * d[j]).sum::<f64>()).sum();
        prop_assert!(rel(q.value(&x), 0.5 * quad + q.min_value()) < 1e-12);
    }

    /// In f32 too: the minimizer is exact, the gradient there zero.
    #[test]
    fn f32_quadratic_knows_its_minimum(mut q in quadratic::<f32, 3>(QuadraticSpec::default())) {
        let c = q.minimizer();
        prop_assert_eq!(q.value(&c), 0.0f32);
        let mut g = [1.0f32; 3];
        q.gradient(&c, &mut g).unwrap();
        prop_assert_eq!(g, [0.0f32; 3]);
        prop_assert!(q.strong_convexity() == 1.0 && q.smoothness() <= 1e3 * (1.0 + 1e-6));
    }

    /// `f_R(R x) = f(x)`: the rotated landscape is the same function in the new coordinates.
    #[test]
    fn rotated_landscape_is_the_same_function(
        mut q in quadratic::<f64, 3>(QuadraticSpec::default()),
        r in rotation::<3>(),
        x in proptest::array::uniform3(-5.0f64..5.0),
    ) {
        let mut qr = q.rotated(&r).unwrap();
        let rx: [f64; 3] = core::array::from_fn(|i| (0..3).map(|j| r[i][j] * x[j]).sum());
        prop_assert!(rel(qr.value(&rx), q.value(&x)) < 1e-11);
        prop_assert!(rel(qr.condition(), q.condition()) < 1e-12);
    }

    /// Every listed point is critical (gradient ≈ 0 relative to the Hessian's scale), has the
    /// listed value, and its index is the number of negative Hessian eigenvalues.
    #[test]
    fn near_critical_points_are_what_they_say(mut p in near_critical::<f64>(1e-2)) {
        let at = p.point;
        let mut g = [1.0; 2];
        p.gradient(&at, &mut g).unwrap();
        let mut h = [[0.0; 2]; 2];
        p.hessian(&at, &mut h).unwrap();
        let e = SymEigen::new(&h).unwrap();
        let scale = e.values[0].abs().max(e.values[1].abs());
        prop_assert!(g[0].hypot(g[1]) <= 1e-9 * (1.0 + scale), "{:?}: ∇f = {:?}", p, g);
        prop_assert!(rel(p.value(&at), p.value) < 1e-12, "{:?}", p);
        let negative = e.values.iter().filter(|&&v| v < 0.0).count();
        prop_assert_eq!(negative, p.index, "{:?}: eigenvalues {:?}", p, e.values);
        let kind = [CriticalKind::Minimum, CriticalKind::Saddle, CriticalKind::Maximum][p.index];
        prop_assert_eq!(kind, p.kind);
        let off = (p.start[0] - at[0]).hypot(p.start[1] - at[1]);
        prop_assert!(off <= 1e-2 * (1.0 + 1e-12));
    }

    /// The least-squares solution zeroes the mean gradient (computed sample by sample, apart
    /// from the Cholesky solve); the batch objective over every sample is the full objective.
    #[test]
    fn least_squares_solution_is_stationary(mut p in least_squares::<f64, 4>(LeastSquaresSpec::default())) {
        let s = p.minimizer();
        let mut g = [1.0; 4];
        p.gradient(&s, &mut g).unwrap();
        prop_assert!(g.iter().all(|v| v.abs() < 1e-12), "{g:?}");
        let all: Vec<usize> = (0..p.samples()).collect();
        let start = p.start();
        prop_assert!(rel(p.batch_value(&start, &all), p.value(&start)) < 1e-14);
        prop_assert!(p.value(&start) >= p.min_value());
        // μ ≤ the curvature along any direction ≤ L: f(s + t u) − f* = ½ t² uᵀ G u.
        let u = [0.5, -0.5, 0.5, -0.5];
        let t = 1e-1;
        let su: [f64; 4] = core::array::from_fn(|i| s[i] + t * u[i]);
        let curv = 2.0 * (p.value(&su) - p.min_value()) / (t * t);
        prop_assert!(curv >= p.strong_convexity() * (1.0 - 1e-6) && curv <= p.smoothness() * (1.0 + 1e-6));
        // The analytic Hessian (sample by sample) has the extreme eigenvalues the strategy
        // computed from the crate's Gram matrix.
        let mut h = [[0.0; 4]; 4];
        p.hessian(&start, &mut h).unwrap();
        let e = SymEigen::new(&h).unwrap();
        prop_assert!(rel(e.values[0], p.strong_convexity()) < 1e-12 && rel(e.values[3], p.smoothness()) < 1e-12);
    }
}

/// A plain gradient descent that never checks its input.
#[derive(Debug, Clone)]
struct NaiveGd(f64);

impl Optimizer<f64> for NaiveGd {
    fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), Error> {
        x.iter_mut().zip(g).for_each(|(x, g)| *x -= self.0 * g);
        Ok(())
    }
    fn reset(&mut self) {}
    fn lr(&self) -> f64 {
        self.0
    }
    fn set_lr(&mut self, lr: f64) -> Result<(), Error> {
        self.0 = lr;
        Ok(())
    }
}

#[test]
fn check_optimizer_passes_sgd_and_catches_what_is_wrong() {
    let sgd = |q: &QuadraticLandscape<f64, 3>| {
        Sgd::<f64, 3>::new(SgdConfig {
            lr: 1.0 / q.smoothness(),
            ..SgdConfig::default()
        })
        .unwrap()
    };
    let cfg = CheckConfig {
        cases: 32,
        rotation: Some((100, 1e-10)),
        convergence: Convergence {
            monotone: Monotone::EveryStep,
            budget: 12_000,
            ..Convergence::default()
        },
        ..CheckConfig::default()
    };
    check_optimizer(sgd, &cfg).unwrap();

    // Heavy-ball momentum 0.9 is not monotone step by step.
    let heavy = |q: &QuadraticLandscape<f64, 3>| {
        Sgd::<f64, 3>::new(SgdConfig {
            lr: 1.0 / q.smoothness(),
            momentum: 0.9,
            ..SgdConfig::default()
        })
        .unwrap()
    };
    let f = check_optimizer(heavy, &cfg).unwrap_err();
    assert_eq!(f.property, "monotone", "{f}");
    assert!(f.case.contains("QuadraticLandscape"), "{f}");

    // Converges, but writes NaN for a NaN gradient.
    let f = check_optimizer(
        |q: &QuadraticLandscape<f64, 3>| NaiveGd(1.0 / q.smoothness()),
        &cfg,
    )
    .unwrap_err();
    assert_eq!(f.property, "step_is_finite_or_refused", "{f}");
    // Shrunk: proptest reduces the gradients to a single non-finite one, after no warm-up.
    assert!(
        f.message.contains("NaN") || f.message.contains("inf"),
        "{f}"
    );
}

/// An optimizer that refuses the step but has already written x.
struct Sloppy;

impl Optimizer<f64> for Sloppy {
    fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), Error> {
        x.iter_mut().zip(g).for_each(|(x, g)| *x -= 0.1 * g);
        Err(Error::NonFiniteInput)
    }
    fn reset(&mut self) {}
    fn lr(&self) -> f64 {
        0.1
    }
    fn set_lr(&mut self, _: f64) -> Result<(), Error> {
        Ok(())
    }
}

#[test]
fn a_refused_step_must_change_nothing() {
    let mut x = [1.0, 2.0];
    let f = step_is_finite_or_refused(&mut Sloppy, &mut x, &[1.0, 1.0]).unwrap_err();
    assert_eq!(f.property, "step_is_finite_or_refused");
    let mut x = [1.0, 2.0];
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig::default()).unwrap();
    assert_eq!(
        step_is_finite_or_refused(&mut sgd, &mut x, &[f64::NAN, 1.0]),
        Ok(false)
    );
    assert_eq!(x, [1.0, 2.0]);
}

/// SGD with a constant rate η ≤ 1/L on a μ-strongly convex, L-smooth loss whose stochastic
/// gradients have noise variance ≤ M settles at an expected excess loss ≤ ηLM/(2μ) (Bottou,
/// Curtis & Nocedal, "Optimization methods for large-scale machine learning", SIAM Review 60,
/// 2018, Theorem 4.6). Near the solution the per-sample gradient `rᵢ aᵢ` has second moment
/// ≈ σ² · mean‖aᵢ‖² = σ² tr(G), so a batch of b has M ≈ σ² tr(G)/b: that bound is the plateau.
#[test]
fn sgd_descends_in_expectation_on_least_squares() {
    const N: usize = 3;
    let mut runner = proptest::test_runner::TestRunner::new(config(16));
    let spec = StochasticDescent {
        batch: 8,
        epochs: 40,
        runs: 8,
        seed: 1,
    };
    let lr = |p: &LeastSquaresLandscape<f64, N>| 0.5 / p.smoothness();
    let result = runner.run(&least_squares::<f64, N>(LeastSquaresSpec::default()), |p| {
        let sigma = p.noise;
        // tr(G) = mean over samples of ‖(xᵢ, 1)‖².
        let trace = 1.0 + p.features.iter().map(|v| v * v).sum::<f64>() / p.samples() as f64;
        let m = sigma * sigma * trace / spec.batch as f64;
        let plateau = lr(&p) * p.smoothness() * m / (2.0 * p.strong_convexity());
        let sgd = |q: &LeastSquaresLandscape<f64, N>| {
            Sgd::<f64, N>::new(SgdConfig {
                lr: lr(q),
                ..SgdConfig::default()
            })
            .unwrap()
        };
        stochastic_descends(&p, sgd, &spec, plateau)?;
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");

    // Three times the stable rate diverges: the property fails.
    let mut runner = proptest::test_runner::TestRunner::new(config(4));
    let result = runner.run(&least_squares::<f64, N>(LeastSquaresSpec::default()), |p| {
        let sgd = |q: &LeastSquaresLandscape<f64, N>| {
            Sgd::<f64, N>::new(SgdConfig {
                lr: 3.0 / q.smoothness(),
                ..SgdConfig::default()
            })
            .unwrap()
        };
        stochastic_descends(&p, sgd, &spec, 1e-3)?;
        Ok(())
    });
    assert!(result.is_err());
}

#[test]
fn every_zoo_function_has_its_points_listed() {
    let pts = critical_points();
    let count = |k: CriticalKind| pts.iter().filter(|p| p.3 == k).count();
    // Himmelblau 4 + 4 + 1, six-hump camel 6 + 7 + 2, Beale 1 + 2, Booth, Rosenbrock, Easom,
    // Styblinski–Tang in 2-D 4 + 4 + 1.
    assert_eq!(count(CriticalKind::Minimum), 4 + 6 + 1 + 3 + 4);
    assert_eq!(count(CriticalKind::Saddle), 4 + 7 + 2 + 4);
    assert_eq!(count(CriticalKind::Maximum), 1 + 2 + 1);
}

// ---------------------------------------------------------------------------------------------
// C-convention optimizers through `CStepOptimizer`.

/// The state of the C optimizers below: the rate and a momentum buffer.
#[repr(C)]
struct CState {
    lr: f64,
    momentum: f64,
    v: [f64; 3],
}

/// Heavy-ball momentum "in C": v ← μv + g, x ← x − lr·v; −3 (NonFiniteInput) and nothing
/// changed for a non-finite gradient or result.
extern "C" fn c_momentum(x: *mut f64, g: *const f64, n: usize, ctx: *mut c_void) -> i32 {
    // SAFETY: the adapter passes n valid values; ctx is a CState (n = 3).
    let (x, g, s) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts(g, n),
            &mut *ctx.cast::<CState>(),
        )
    };
    if n != s.v.len() {
        return -4;
    }
    let v: Vec<f64> = s.v.iter().zip(g).map(|(v, g)| s.momentum * v + g).collect();
    let new: Vec<f64> = x.iter().zip(&v).map(|(x, v)| x - s.lr * v).collect();
    if v.iter().chain(&new).any(|a| !a.is_finite()) {
        return -3;
    }
    s.v.copy_from_slice(&v);
    x.copy_from_slice(&new);
    0
}

/// The same, but it writes x before it checks.
extern "C" fn c_sloppy(x: *mut f64, g: *const f64, n: usize, ctx: *mut c_void) -> i32 {
    // SAFETY: as above.
    let (x, g, s) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, n),
            core::slice::from_raw_parts(g, n),
            &*ctx.cast::<CState>(),
        )
    };
    x.iter_mut().zip(g).for_each(|(x, g)| *x -= s.lr * g);
    if x.iter().any(|v| !v.is_finite()) {
        return -3;
    }
    0
}

extern "C" fn c_set_lr(lr: f64, ctx: *mut c_void) -> i32 {
    // SAFETY: ctx is a CState.
    unsafe { (*ctx.cast::<CState>()).lr = lr };
    0
}

extern "C" fn c_reset(ctx: *mut c_void) {
    // SAFETY: ctx is a CState.
    unsafe { (*ctx.cast::<CState>()).v = [0.0; 3] };
}

/// A C optimizer with its state owned next to the adapter (boxed: the address stays put).
struct Owned {
    opt: CStepOptimizer<f64>,
    _state: Box<CState>,
}

impl Owned {
    fn new(step: lossmap::testing::CStepFn<f64>, lr: f64, momentum: f64) -> Self {
        let mut state = Box::new(CState {
            lr,
            momentum,
            v: [0.0; 3],
        });
        let ctx: *mut c_void = (&raw mut *state).cast();
        // SAFETY: the callbacks follow the convention for a CState context, which lives as
        // long as the adapter (both in `Owned`).
        let opt = unsafe { CStepOptimizer::new(step, ctx, lr) }
            .with_set_lr(c_set_lr)
            .with_reset(c_reset);
        Owned { opt, _state: state }
    }
}

impl Optimizer<f64> for Owned {
    fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), Error> {
        self.opt.step(x, g)
    }
    fn reset(&mut self) {
        self.opt.reset()
    }
    fn lr(&self) -> f64 {
        self.opt.lr()
    }
    fn set_lr(&mut self, lr: f64) -> Result<(), Error> {
        self.opt.set_lr(lr)
    }
}

#[test]
fn c_optimizers_are_checked_like_rust_ones() {
    let cfg = CheckConfig {
        cases: 32,
        rotation: Some((100, 1e-10)),
        convergence: Convergence {
            budget: 12_000,
            ..CheckConfig::default().convergence
        },
        ..CheckConfig::default()
    };
    let good = |q: &QuadraticLandscape<f64, 3>| Owned::new(c_momentum, 1.0 / q.smoothness(), 0.5);
    check_optimizer(good, &cfg).unwrap();

    let sloppy = |q: &QuadraticLandscape<f64, 3>| Owned::new(c_sloppy, 1.0 / q.smoothness(), 0.0);
    let f = check_optimizer(sloppy, &cfg).unwrap_err();
    assert_eq!(f.property, "step_is_finite_or_refused", "{f}");
    assert!(f.message.contains("x changed"), "{f}");

    // The adapter itself: lengths checked before the call, statuses mapped, lr forwarded,
    // reset forwarded.
    let mut o = Owned::new(c_momentum, 0.5, 0.5);
    let mut x = [1.0, 1.0, 1.0];
    assert_eq!(o.step(&mut x, &[1.0, 1.0]), Err(Error::LengthMismatch));
    o.step(&mut x, &[1.0, 0.0, 0.0]).unwrap();
    assert_eq!(x, [0.5, 1.0, 1.0]);
    assert_eq!(o.set_lr(-1.0), Err(Error::InvalidParameter));
    o.set_lr(1.0).unwrap();
    assert_eq!((o.lr(), o._state.lr), (1.0, 1.0));
    assert_eq!(o._state.v, [1.0, 0.0, 0.0]);
    o.reset();
    assert_eq!(o._state.v, [0.0; 3]);
    assert_eq!(
        o.step(&mut x, &[f64::INFINITY, 0.0, 0.0]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(x, [0.5, 1.0, 1.0]);
    // And through the plain convergence property, with the ordinary trace.
    let mut runner = proptest::test_runner::TestRunner::new(config(8));
    let r = runner.run(&quadratic::<f64, 3>(QuadraticSpec::default()), |q| {
        let mut o = Owned::new(c_momentum, 1.0 / q.smoothness(), 0.5);
        let spec = Convergence {
            monotone: Monotone::Windows(250),
            budget: 7_000,
            ..Convergence::default()
        };
        let t = converges(&q, &mut o, None, &spec)?;
        prop_assert!(t.steps > 0 || t.losses.len() == 1);
        Ok(())
    });
    assert!(r.is_ok(), "{r:?}");
}

/// The kit in f32: gradient descent at 1/L converges to 1e-3 · (1 + ‖x*‖) on κ ≤ 100 (the
/// gradient's rounding, ≈ ε·L·‖x‖ ≈ 1e-4, stays below μδ = 1e-3).
#[test]
fn check_optimizer_in_f32() {
    let sgd = |q: &QuadraticLandscape<f32, 3>| {
        Sgd::<f32, 3>::new(SgdConfig {
            lr: 1.0 / q.smoothness(),
            ..SgdConfig::default()
        })
        .unwrap()
    };
    let cfg = CheckConfig {
        cases: 32,
        landscape: QuadraticSpec {
            kappa: (1.0, 100.0),
            ..QuadraticSpec::default()
        },
        convergence: Convergence {
            tol: 1e-3,
            monotone: Monotone::Windows(50),
            ..Convergence::default()
        },
        huge: f64::from(f32::MAX),
        rotation: Some((50, 1e-5)),
        ..CheckConfig::default()
    };
    check_optimizer(sgd, &cfg).unwrap();
}
