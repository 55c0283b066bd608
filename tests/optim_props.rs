//! Property tests of the first-order optimizers on random convex quadratics, written on the
//! property-testing kit (`lossmap::testing`): on random convex quadratics with condition ≤ 1e3,
//! every optimizer with its documented stable settings decreases the loss monotonically in
//! expectation and reaches the minimizer within tolerance; no optimizer ever writes a
//! non-finite parameter; the linear-in-the-gradient methods are rotation invariant.
//!
//! The landscape ([`lossmap::testing::quadratic`]) is `f(x) = ½ (x − c)ᵀ A (x − c)` in N = 3
//! with `A = Qᵀ diag(λ) Q`, `Q` a Haar-random orthogonal matrix (QR of a Gaussian matrix),
//! eigenvalues `λ ∈ [1, κ]` (1 and κ both present, the third uniform in between; κ ∈ [1, 1e3]
//! with both ends drawn on purpose), `c ∈ [−5, 5]³`, start `x₀ ∈ [−5, 5]³`. The gradient
//! `A(x − c)` is analytic and the minimizer is `c` (with an L2 weight decay `μ` it is
//! `Qᵀ diag(λ/(λ + μ)) Q c`), both in closed form and independent of the optimizers; the first
//! property checks the generator itself.
//!
//! Tolerance: `δ = 1e-4 · (1 + ‖x*‖)`. Every run ([`lossmap::testing::converges`]) must reach
//! `‖∇F‖ ≤ (λ_min + μ) δ` within its budget (which implies `‖x − x*‖ ≤ δ`), at a point whose
//! distance to the closed-form minimizer is ≤ δ.
//!
//! # Documented stable settings (L = λ_max = κ)
//!
//! | optimizer | settings | schedule | monotonicity asserted |
//! |---|---|---|---|
//! | SGD (plain) | lr = 1/L | constant | every step: f(x_{t+1}) ≤ f(x_t) |
//! | SGD + L2 decay μ | lr = 1/(L + μ), μ ∈ [0, 1] | constant | every step |
//! | SGD heavy-ball | lr = 1/L, momentum 0.5 | constant | windows of 250 steps |
//! | SGD Nesterov | lr = 1/L, momentum 0.5 | constant | windows of 250 steps |
//! | AdaGrad | lr = 10 | constant | windows of 250 steps |
//! | RMSProp (plain, centered) | lr₀ = 3, α = 0.99 | ExponentialLr γ = 0.998 | windows of 500 steps |
//! | RMSProp + momentum 0.5 | lr₀ = 1, α = 0.99 | ExponentialLr γ = 0.997 | windows of 500 steps |
//! | Adam, AdamW (λ = 0) | lr₀ = 10, β = (0.9, 0.999) | ExponentialLr γ = 0.999 | windows of 250 steps |
//! | AMSGrad (AdamW amsgrad = 1, decoupled = 0, λ = 0) | lr₀ = 10 | ExponentialLr γ = 0.999 | windows of 250 steps |
//!
//! "Windows" means: the mean loss over consecutive windows of W steps never increases from one
//! window to the next until a window's mean is below `½ δ²` (where the tolerance is reached).
//! The adaptive learning rates are in units of x (a step moves each coordinate by ≈ lr), so
//! lr₀ is of the size of the distance to travel (≤ 10√3 here) and the schedule brings it down
//! geometrically; a constant rate leaves Adam/RMSProp oscillating at an amplitude ∝ lr, and a
//! decay slower than the decay of √v (Adam: γ ≥ √β₂ ≈ 0.9995) lets the effective rate lr/√v
//! grow back until the loss spikes. Measured on 2000 random quadratics per setting (release
//! build): every run converged; the window rule never failed except for RMSProp with
//! momentum (≈ 1–4 in 2000 show one window above the previous one).
//!
//! AdamW with a *decoupled* decay λ > 0 is not in the minimizer property: its fixed point
//! depends on the adaptive denominator and is not the minimizer of f (nor of f + ½λ‖x‖²); it is
//! in the finiteness properties.
//!
//! The proptest seed is fixed so that the cases are the same on every run (the rare RMSProp
//! case above must not make CI flaky); the case generator still covers the stated ranges.

use lossmap::optim::{
    minimize, Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, ConstantLr,
    ExponentialLr, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, Stop,
};
use lossmap::testing::{
    adversarial_gradients, converges, quadratic, rotation, rotation_invariant,
    step_is_finite_or_refused_exactly, Convergence, Curvature, Landscape, Monotone,
    QuadraticLandscape, QuadraticSpec, Spectrum,
};
use lossmap::{Error, Objective};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const N: usize = 3;

type Quadratic = QuadraticLandscape<f64, N>;

/// The landscapes of the table above.
fn quadratics() -> impl Strategy<Value = Quadratic> {
    quadratic::<f64, N>(QuadraticSpec {
        kappa: (1.0, 1e3),
        curvature: Curvature::Smallest(1.0),
        spectrum: Spectrum::Uniform,
        center: 5.0,
        start: 5.0,
        f_star: 0.0,
    })
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x0b5e_551a),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The run every convergence property makes: tolerance `1e-4 (1 + ‖x*‖)`.
fn run(monotone: Monotone, budget: usize) -> Convergence {
    Convergence {
        tol: 1e-4,
        budget,
        monotone,
        decay: 0.0,
    }
}

fn constant(lr: f64) -> ConstantLr<f64> {
    ConstantLr::new(lr).unwrap()
}

fn exponential(lr: f64, gamma: f64) -> ExponentialLr<f64> {
    ExponentialLr::new(lr, gamma).unwrap()
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn generator_is_a_rotated_diagonal(mut q in quadratics()) {
        // Independent of the optimizers: Q orthonormal, A q_k = λ_k q_k, ∇f(c) = 0, f(c) = 0.
        let (v, lam, a) = (q.eigenvectors, q.eigenvalues, q.matrix);
        for i in 0..N {
            for j in 0..N {
                let d: f64 = (0..N).map(|k| v[i][k] * v[j][k]).sum();
                prop_assert!((d - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
            let av: [f64; N] = core::array::from_fn(|r| (0..N).map(|s| a[r][s] * v[i][s]).sum());
            for (x, vx) in av.iter().zip(&v[i]) {
                prop_assert!((x - lam[i] * vx).abs() < 1e-9 * q.smoothness());
            }
        }
        prop_assert!(lam.contains(&1.0) && lam.iter().all(|&l| (1.0..=1e3).contains(&l)));
        let c = q.minimizer();
        prop_assert_eq!(q.value(&c), 0.0);
        let mut g = [1.0; N];
        q.gradient(&c, &mut g).unwrap();
        prop_assert!(norm(&g) == 0.0);
    }

    #[test]
    fn sgd_plain_is_monotone_and_converges(q in quadratics()) {
        let l = q.smoothness();
        let mut o = Sgd::<f64, N>::new(SgdConfig { lr: 1.0 / l, ..SgdConfig::default() }).unwrap();
        converges(&q, &mut o, Some(&mut constant(1.0 / l)), &run(Monotone::EveryStep, 12_000))?;
    }

    #[test]
    fn sgd_l2_decay_reaches_the_shifted_minimizer(q in quadratics(), mu in 0.0f64..=1.0) {
        let lr = 1.0 / (q.smoothness() + mu);
        let cfg = SgdConfig { lr, weight_decay: mu, ..SgdConfig::default() };
        let mut o = Sgd::<f64, N>::new(cfg).unwrap();
        // The decay is applied by the optimizer, not the objective: the optimizer sees ∇f, the
        // target is the minimizer of F = f + ½μ‖x‖², and F falls at every step.
        let spec = Convergence { decay: mu, ..run(Monotone::EveryStep, 12_000) };
        let trace = converges(&q, &mut o, None, &spec)?;
        // The kit's target (a Cholesky solve) is the closed form Qᵀ diag(λ/(λ + μ)) Q c.
        let closed = q.minimizer_with_decay(mu);
        let gap = norm(&core::array::from_fn::<f64, N, _>(|i| trace.target[i] - closed[i]));
        prop_assert!(gap <= 1e-12 * (1.0 + norm(&closed)), "targets differ by {gap:e}");
    }

    #[test]
    fn sgd_heavy_ball_converges(q in quadratics()) {
        let l = q.smoothness();
        let cfg = SgdConfig { lr: 1.0 / l, momentum: 0.5, ..SgdConfig::default() };
        let mut o = Sgd::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut o, Some(&mut constant(1.0 / l)), &run(Monotone::Windows(250), 7_000))?;
    }

    #[test]
    fn sgd_nesterov_converges(q in quadratics()) {
        let l = q.smoothness();
        let cfg = SgdConfig { lr: 1.0 / l, momentum: 0.5, nesterov: 1, ..SgdConfig::default() };
        let mut o = Sgd::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut o, Some(&mut constant(1.0 / l)), &run(Monotone::Windows(250), 7_000))?;
    }

    #[test]
    fn adagrad_converges(q in quadratics()) {
        let mut o = Adagrad::<f64, N>::new(AdagradConfig { lr: 10.0, ..AdagradConfig::default() }).unwrap();
        converges(&q, &mut o, Some(&mut constant(10.0)), &run(Monotone::Windows(250), 12_000))?;
    }

    #[test]
    fn rmsprop_plain_and_centered_converge(q in quadratics(), centered in 0u8..=1) {
        let cfg = RmsPropConfig { lr: 3.0, centered, ..RmsPropConfig::default() };
        let mut o = RmsProp::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut o, Some(&mut exponential(3.0, 0.998)), &run(Monotone::Windows(500), 9_000))?;
    }

    #[test]
    fn rmsprop_momentum_converges(q in quadratics()) {
        let cfg = RmsPropConfig { lr: 1.0, momentum: 0.5, ..RmsPropConfig::default() };
        let mut o = RmsProp::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut o, Some(&mut exponential(1.0, 0.997)), &run(Monotone::Windows(500), 5_000))?;
    }

    #[test]
    fn adam_and_adamw_converge(q in quadratics()) {
        let spec = run(Monotone::Windows(250), 4_000);
        let mut adam = Adam::<f64, N>::new(AdamConfig { lr: 10.0, ..AdamConfig::default() }).unwrap();
        converges(&q, &mut adam, Some(&mut exponential(10.0, 0.999)), &spec)?;
        let cfg = AdamWConfig { lr: 10.0, weight_decay: 0.0, ..AdamWConfig::default() };
        let mut adamw = AdamW::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut adamw, Some(&mut exponential(10.0, 0.999)), &spec)?;
    }

    #[test]
    fn amsgrad_converges(q in quadratics()) {
        let cfg = AdamWConfig { lr: 10.0, weight_decay: 0.0, amsgrad: 1, decoupled: 0, ..AdamWConfig::default() };
        let mut o = AdamW::<f64, N>::new(cfg).unwrap();
        converges(&q, &mut o, Some(&mut exponential(10.0, 0.999)), &run(Monotone::Windows(250), 5_000))?;
    }

    /// SGD, heavy-ball and Nesterov updates are linear in the gradient with scalar
    /// coefficients: in rotated coordinates `y = Rx` they take the rotated steps.
    #[test]
    fn sgd_family_is_rotation_invariant(q in quadratics(), r in rotation::<N>(), kind in 0u8..=2, mu in 0.0f64..=1.0) {
        let factory = |l: &Quadratic| {
            let lr = 1.0 / l.smoothness();
            let cfg = match kind {
                0 => SgdConfig { lr, weight_decay: mu, ..SgdConfig::default() },
                1 => SgdConfig { lr, momentum: 0.5, ..SgdConfig::default() },
                _ => SgdConfig { lr, momentum: 0.5, nesterov: 1, ..SgdConfig::default() },
            };
            Sgd::<f64, N>::new(cfg).unwrap()
        };
        rotation_invariant(&q, &r, factory, 200, 1e-10)?;
    }
}

/// Adam's per-coordinate denominator is not rotation invariant, and the kit's property says so:
/// a counter-example exists among a few random cases.
#[test]
fn adam_is_not_rotation_invariant() {
    let mut runner = proptest::test_runner::TestRunner::new(config(64));
    let adam = |_: &Quadratic| {
        Adam::<f64, N>::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        })
        .unwrap()
    };
    let r = runner.run(&(quadratics(), rotation::<N>()), |(q, r)| {
        rotation_invariant(&q, &r, adam, 20, 1e-10)?;
        Ok(())
    });
    assert!(r.is_err(), "Adam passed the rotation property");
}

// ---------------------------------------------------------------------------------------------
// No optimizer writes a non-finite parameter.

/// Every optimizer kind, with hyperparameters from the generator.
#[derive(Debug, Clone)]
enum AnyOpt {
    Sgd(Sgd<f64, N>),
    Adagrad(Adagrad<f64, N>),
    RmsProp(RmsProp<f64, N>),
    Adam(Adam<f64, N>),
    AdamW(AdamW<f64, N>),
}

impl Optimizer<f64> for AnyOpt {
    fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), Error> {
        self.opt().step(x, g)
    }
    fn reset(&mut self) {
        self.opt().reset()
    }
    fn lr(&self) -> f64 {
        match self {
            AnyOpt::Sgd(o) => o.lr(),
            AnyOpt::Adagrad(o) => o.lr(),
            AnyOpt::RmsProp(o) => o.lr(),
            AnyOpt::Adam(o) => o.lr(),
            AnyOpt::AdamW(o) => o.lr(),
        }
    }
    fn set_lr(&mut self, lr: f64) -> Result<(), Error> {
        self.opt().set_lr(lr)
    }
}

impl AnyOpt {
    fn opt(&mut self) -> &mut dyn Optimizer<f64> {
        match self {
            AnyOpt::Sgd(o) => o,
            AnyOpt::Adagrad(o) => o,
            AnyOpt::RmsProp(o) => o,
            AnyOpt::Adam(o) => o,
            AnyOpt::AdamW(o) => o,
        }
    }
}

fn any_opt() -> impl Strategy<Value = AnyOpt> {
    let lr = (-4.0f64..0.0).prop_map(|e| 10f64.powf(e));
    let unit = 0.0f64..0.99;
    let wd = prop_oneof![Just(0.0), 0.0f64..1.0];
    prop_oneof![
        (lr.clone(), unit.clone(), 0.0f64..=1.0, wd.clone(), 0u8..=2).prop_map(
            |(lr, momentum, dampening, weight_decay, kind)| {
                let cfg = match kind {
                    0 => SgdConfig {
                        lr,
                        weight_decay,
                        ..SgdConfig::default()
                    },
                    1 => SgdConfig {
                        lr,
                        momentum,
                        dampening,
                        weight_decay,
                        ..SgdConfig::default()
                    },
                    _ => SgdConfig {
                        lr,
                        momentum: momentum.max(0.1),
                        weight_decay,
                        nesterov: 1,
                        ..SgdConfig::default()
                    },
                };
                AnyOpt::Sgd(Sgd::new(cfg).unwrap())
            }
        ),
        (lr.clone(), 0.0f64..1.0, wd.clone(), 0.0f64..1.0).prop_map(
            |(lr, lr_decay, weight_decay, s0)| {
                AnyOpt::Adagrad(
                    Adagrad::new(AdagradConfig {
                        lr,
                        lr_decay,
                        weight_decay,
                        initial_accumulator_value: s0,
                        ..AdagradConfig::default()
                    })
                    .unwrap(),
                )
            }
        ),
        (lr.clone(), unit.clone(), unit.clone(), wd.clone(), 0u8..=1).prop_map(
            |(lr, alpha, momentum, weight_decay, centered)| {
                AnyOpt::RmsProp(
                    RmsProp::new(RmsPropConfig {
                        lr,
                        alpha,
                        momentum,
                        weight_decay,
                        centered,
                        ..RmsPropConfig::default()
                    })
                    .unwrap(),
                )
            }
        ),
        (lr.clone(), unit.clone(), unit.clone(), wd.clone()).prop_map(
            |(lr, beta1, beta2, weight_decay)| {
                AnyOpt::Adam(
                    Adam::new(AdamConfig {
                        lr,
                        beta1,
                        beta2,
                        weight_decay,
                        ..AdamConfig::default()
                    })
                    .unwrap(),
                )
            }
        ),
        (lr, unit.clone(), unit, wd, 0u8..=1, 0u8..=1).prop_map(
            |(lr, beta1, beta2, weight_decay, amsgrad, decoupled)| {
                AnyOpt::AdamW(
                    AdamW::new(AdamWConfig {
                        lr,
                        beta1,
                        beta2,
                        weight_decay,
                        amsgrad,
                        decoupled,
                        ..AdamWConfig::default()
                    })
                    .unwrap(),
                )
            }
        ),
    ]
}

/// One step on arbitrary (x, g): either Ok with every x finite, or Err with x and the whole
/// optimizer state bit-for-bit unchanged.
fn check_step(opt: &mut AnyOpt, x: &mut [f64; N], g: &[f64; N]) -> Result<bool, TestCaseError> {
    Ok(step_is_finite_or_refused_exactly(opt, x, g)?)
}

proptest! {
    #![proptest_config(config(256))]

    /// Moderate parameters (|x| ≤ 1e3) and gradients up to ±1e300, near √MAX, tiny and
    /// subnormal, NaN, ±∞, independent or alternating in sign.
    #[test]
    fn step_is_finite_or_changes_nothing(
        mut opt in any_opt(),
        warmup in proptest::collection::vec(proptest::array::uniform3(-10.0f64..10.0), 0..5),
        x0 in proptest::array::uniform3(-1e3f64..1e3),
        gs in adversarial_gradients::<f64, N>(1e300, 1..6),
    ) {
        let mut x = x0;
        for g in &warmup {
            prop_assert!(check_step(&mut opt, &mut x, g)?);
        }
        for g in &gs {
            check_step(&mut opt, &mut x, g)?;
        }
    }
}

/// A run of `minimize` where the objective goes bad: the loss is NaN/±∞ from evaluation `k`
/// on, or the gradient has a NaN/±∞/huge entry at gradient call `k`.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Loss(usize, f64),
    Gradient(usize, usize, f64),
}

struct Faulty {
    q: Quadratic,
    fault: Fault,
    values: usize,
    grads: usize,
    /// The last point whose value and gradient were both finite: where a roll-back must land.
    last_good: [f64; N],
    last_value_ok: bool,
}

impl Objective<f64, N> for Faulty {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        self.values += 1;
        let v = match self.fault {
            Fault::Loss(k, bad) if self.values >= k => bad,
            _ => self.q.value(x),
        };
        self.last_value_ok = v.is_finite();
        v
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        self.grads += 1;
        // A(x − c) as computed, overflow included (the landscape's own `gradient` would refuse
        // it): written straight into g.
        let (a, c) = (&self.q.matrix, &self.q.minimizer);
        *g = core::array::from_fn(|i| (0..N).map(|j| a[i][j] * (x[j] - c[j])).sum());
        if let Fault::Gradient(k, i, bad) = self.fault {
            if self.grads == k {
                g[i] = bad;
            }
        }
        // Written straight into g with Ok: the driver's own check must catch non-finite entries.
        if self.last_value_ok && g.iter().all(|v| v.is_finite()) {
            self.last_good = *x;
        }
        Ok(0)
    }
}

fn fault() -> impl Strategy<Value = Fault> {
    let bad = prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)];
    prop_oneof![
        (1usize..40, bad.clone()).prop_map(|(k, b)| Fault::Loss(k, b)),
        (
            1usize..40,
            0usize..N,
            prop_oneof![bad, Just(1e300), Just(-1e300), Just(1e200)]
        )
            .prop_map(|(k, i, b)| Fault::Gradient(k, i, b)),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// The divergence guard of `minimize`: whatever goes wrong, x ends finite, and after an
    /// error it is the last point whose loss and gradient were finite.
    #[test]
    fn minimize_never_leaves_non_finite_x(
        mut q in quadratics(),
        mut opt in any_opt(),
        fault in fault(),
    ) {
        let x0 = q.start;
        let mut obj = Faulty { q: q.clone(), fault, values: 0, grads: 0, last_good: x0, last_value_ok: false };
        let mut x = x0;
        let stop = Stop { max_iter: 60, grad_tol: 0.0, ..Stop::default() };
        let r = minimize(&mut obj, &mut x, opt.opt(), &stop);
        prop_assert!(x.iter().all(|v| v.is_finite()), "{fault:?}: x = {x:?} ({r:?})");
        match r {
            Ok(rep) => {
                prop_assert!(rep.loss.is_finite());
                prop_assert_eq!(rep.loss.to_bits(), q.value(&x).to_bits());
            }
            Err(e) => {
                prop_assert!(
                    matches!(e, Error::NonFiniteLoss | Error::NonFiniteGradient),
                    "{:?}", e
                );
                // Failing at the start leaves x0 (last_good is x0 then, too).
                prop_assert_eq!(x, obj.last_good, "{:?}: not rolled back", fault);
            }
        }
    }
}

/// A step from finite `x` with a finite gradient must not overflow `x` when `|x|` is near
/// `f64::MAX`: SGD's `θ − γ(g + λθ)` and AdamW's decoupled shrink `θ·(1 − γλ)` (γλ > 2, e.g.
/// γ = 10, λ = 1) could, before the kernels checked every new value before writing. The trait
/// promises Ok-with-finite-x or Err-with-nothing-changed.
#[test]
fn huge_finite_inputs_never_overflow_x() {
    let mut failures = Vec::new();
    let mut sgd = AnyOpt::Sgd(
        Sgd::new(SgdConfig {
            lr: 1.0,
            ..SgdConfig::default()
        })
        .unwrap(),
    );
    let mut x = [0.0, 0.0, f64::MAX];
    if check_step(&mut sgd, &mut x, &[0.0, 0.0, -1e300]).is_err() {
        failures.push("sgd");
    }
    let cfg = AdamWConfig {
        lr: 10.0,
        weight_decay: 1.0,
        ..AdamWConfig::default()
    };
    let mut adamw = AnyOpt::AdamW(AdamW::new(cfg).unwrap());
    let mut x = [0.0, 0.0, 1e308];
    if check_step(&mut adamw, &mut x, &[1.0, 1.0, 1.0]).is_err() {
        failures.push("adamw");
    }
    assert!(failures.is_empty(), "non-finite x written by {failures:?}");
}
