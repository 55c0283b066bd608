//! Every learning-rate schedule driving SGD (and Adam, for cycle momentum) through the real driver
//! (`lossmap::optim::minimize_with`) against trajectories computed outside the crate by
//! `tests/reference/schedule_trajectories.py` (real torch 2.15.0: torch.optim.SGD / Adam driven by
//! the torch.optim.lr_scheduler classes, cross-checked there against torch's documented formulas
//! in plain Python; the PI controller, lossmap-only, from its documented rule in plain Python):
//! 100 steps of every case on a fixed quadratic and on Rosenbrock (the PI cases while the loss
//! still changes: `pi_horizon`); the rate and loss of every step (seen through the observer)
//! and the final point agree to 1e-12 relative in f64 and 1e-6 in f32 (3e-5 for Adam, whose
//! f32 rounding order differs from torch's).

use lossmap::objective::WithGradient;
use lossmap::optim::{
    minimize_with, ChainedLr, ConstantLr, CosineAnnealingLr, CosineAnnealingWarmRestarts, CyclicLr,
    CyclicScaledLr, ExponentialLr, LambdaLr, LinearLr, MultiStepLr, OneCycleLr, PiConfig,
    PiController, PlateauConfig, PolynomialLr, Progress, ReduceLrOnPlateau, Schedule, SequentialLr,
    Sgd, SgdConfig, StepLr, Stop, StopReason,
};
use lossmap::optim::{Adam, AdamConfig, Optimizer};
use lossmap::testfn::Rosenbrock;
use lossmap::{Objective, Real};
use std::collections::HashMap;

const REFERENCE: &str = include_str!("../reference/schedule_trajectories.txt");
const STEPS: usize = 100;

/// One `config` line: case, function, schedule kind and its parameters.
struct Case {
    name: String,
    function: String,
    kind: String,
    params: HashMap<String, f64>,
}

fn cases() -> Vec<Case> {
    REFERENCE
        .lines()
        .filter_map(|l| l.strip_prefix("config "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let params = f[3..]
                .iter()
                .map(|kv| {
                    let (k, v) = kv.split_once('=').expect("key=value");
                    (k.to_string(), v.parse().expect("number"))
                })
                .collect();
            Case {
                name: f[0].into(),
                function: f[1].into(),
                kind: f[2].into(),
                params,
            }
        })
        .collect()
}

/// The per-step `(rate, loss)` rows and the final point of a case in a precision.
fn reference(case: &Case, prec: &str) -> (Vec<[f64; 2]>, [f64; 2]) {
    let num = |s: &str| -> f64 { s.parse().expect("number") };
    let mut rows = Vec::new();
    let mut last = None;
    for l in REFERENCE.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() != 6 {
            continue;
        }
        if f[0] == "final" && f[1] == case.name && f[2] == case.function && f[3] == prec {
            last = Some([num(f[4]), num(f[5])]);
        } else if f[0] == case.name && f[1] == case.function && f[2] == prec {
            assert_eq!(f[3].parse::<usize>().unwrap(), rows.len() + 1, "step order");
            rows.push([num(f[4]), num(f[5])]);
        }
    }
    (rows, last.expect("final line"))
}

/// torch's `scheduler.step(epoch + i / iters)` inside each epoch of `iters` steps.
struct FractionalEpochs<T> {
    s: CosineAnnealingWarmRestarts<T>,
    iters: usize,
}

impl<T: Real> Schedule<T> for FractionalEpochs<T> {
    fn lr(&mut self, step: usize, _loss: T) -> Result<T, lossmap::Error> {
        let (e, i) = (step / self.iters, step % self.iters);
        self.s.lr_at(e as f64 + i as f64 / self.iters as f64)
    }
}

/// The schedule of a case, parameters rounded to `T` as the script does.
fn build<T: Real>(kind: &str, p: &HashMap<String, f64>) -> Box<dyn Schedule<T>> {
    build_more(kind, p).unwrap_or_else(|| build_first(kind, p))
}

/// The factor of the "lambda" cases, the script's `lambda_factor`, rounded to `T`.
fn lambda_factor<T: Real>(t: usize) -> T {
    T::from_f64(1.0 / (1.0 + 0.05 * t as f64))
}

/// The schedules added with torch's CosineAnnealingLR, LinearLR, MultiStepLR, PolynomialLR,
/// LambdaLR, SequentialLR and ChainedScheduler.
fn build_more<T: Real>(kind: &str, p: &HashMap<String, f64>) -> Option<Box<dyn Schedule<T>>> {
    let c = |k: &str| T::from_f64(p[k]);
    let n = |k: &str| p[k] as usize;
    Some(match kind {
        "cosine" => Box::new(CosineAnnealingLr::new(c("lr"), n("t_max"), c("eta_min")).unwrap()),
        "linear" => Box::new(
            LinearLr::new(
                c("lr"),
                c("start_factor"),
                c("end_factor"),
                n("total_iters"),
            )
            .unwrap(),
        ),
        "multi_step" => {
            let mut keys: Vec<&String> = p
                .keys()
                .filter(|k| k.starts_with('m') && k[1..].parse::<u32>().is_ok())
                .collect();
            keys.sort();
            let m: Vec<usize> = keys.iter().map(|k| p[*k] as usize).collect();
            Box::new(MultiStepLr::new(c("lr"), &m, p["gamma"]).unwrap())
        }
        "polynomial" => Box::new(PolynomialLr::new(c("lr"), n("total_iters"), c("power")).unwrap()),
        "lambda" => Box::new(LambdaLr::new(c("lr"), lambda_factor::<T>).unwrap()),
        "sequential" => Box::new(
            SequentialLr::new(
                LinearLr::new(c("lr"), c("start_factor"), T::ONE, n("total_iters")).unwrap(),
                CosineAnnealingLr::new(c("lr"), n("t_max"), c("eta_min")).unwrap(),
                n("milestone"),
            )
            .unwrap(),
        ),
        "chained" => Box::new(
            ChainedLr::new(
                LinearLr::new(c("lr"), c("start_factor"), T::ONE, n("total_iters")).unwrap(),
                ExponentialLr::new(c("lr"), p["gamma"]).unwrap(),
                c("lr"),
            )
            .unwrap(),
        ),
        _ => return None,
    })
}

fn build_first<T: Real>(kind: &str, p: &HashMap<String, f64>) -> Box<dyn Schedule<T>> {
    let c = |k: &str| T::from_f64(p[k]);
    let n = |k: &str| p[k] as usize;
    match kind {
        "constant" => Box::new(ConstantLr::new(c("lr")).unwrap()),
        "step" => Box::new(StepLr::new(c("lr"), n("step_size"), p["gamma"]).unwrap()),
        "exponential" => Box::new(ExponentialLr::new(c("lr"), p["gamma"]).unwrap()),
        "sgdr" => Box::new(
            CosineAnnealingWarmRestarts::new(c("lr"), n("t_0"), n("t_mult"), c("eta_min")).unwrap(),
        ),
        "cyclic" => {
            let mut s = CyclicLr::new(
                c("base_lr"),
                c("max_lr"),
                n("step_size_up"),
                n("step_size_down"),
                p["mode"] as i32,
            )
            .unwrap();
            if let Some(&g) = p.get("gamma") {
                s = s.with_gamma(g).unwrap();
            }
            if let Some(&m) = p.get("scale_mode") {
                s.scale_mode = m as i32;
            }
            if p.get("cycle_momentum") == Some(&1.0) {
                s = s
                    .with_momentum(c("base_momentum"), c("max_momentum"))
                    .unwrap();
            }
            if p.get("custom") == Some(&1.0) {
                // The script's custom scale_fn.
                return Box::new(CyclicScaledLr {
                    cyclic: s,
                    scale: |x: f64| 1.0 / (1.0 + 0.1 * x),
                });
            }
            Box::new(s)
        }
        "one_cycle" => {
            let mut s = OneCycleLr::new(
                c("max_lr"),
                n("total_steps"),
                c("pct_start"),
                c("div_factor"),
                c("final_div_factor"),
            )
            .unwrap();
            let flag = |k: &str| p.get(k).copied().unwrap_or(0.0);
            s = s
                .with_shape(flag("three_phase") == 1.0, flag("anneal") as i32)
                .unwrap();
            if flag("cycle_momentum") == 1.0 {
                s = s
                    .with_momentum(c("base_momentum"), c("max_momentum"))
                    .unwrap();
            }
            Box::new(s)
        }
        "sgdr_frac" => Box::new(FractionalEpochs {
            s: CosineAnnealingWarmRestarts::new(c("lr"), n("t_0"), n("t_mult"), c("eta_min"))
                .unwrap(),
            iters: n("iters"),
        }),
        "plateau" => Box::new(
            ReduceLrOnPlateau::new(PlateauConfig {
                lr: c("lr"),
                factor: c("factor"),
                patience: n("patience"),
                threshold: c("threshold"),
                cooldown: n("cooldown"),
                min_lr: c("min_lr"),
                eps: c("eps"),
                mode: p["mode"] as i32,
                threshold_mode: p["threshold_mode"] as i32,
            })
            .unwrap(),
        ),
        "pi" => Box::new(
            PiController::new(PiConfig {
                lr: c("lr"),
                target: c("target"),
                kp: c("kp"),
                ki: c("ki"),
                cut: c("cut"),
                growth: c("growth"),
                lr_min: c("lr_min"),
                lr_max: c("lr_max"),
                ceiling: c("ceiling"),
                memory: c("memory"),
            })
            .unwrap(),
        ),
        other => panic!("unknown schedule {other}"),
    }
}

/// 100 steps of SGD (or Adam) on `obj` from `x0`, the rate set by `schedule` through
/// `minimize_with`; returns the observer's `(rate, loss)` per step and the final point.
fn drive<T: Real, O: Objective<T, 2>>(
    obj: &mut O,
    x0: [f64; 2],
    schedule: &mut dyn Schedule<T>,
    adam: bool,
) -> (Vec<[f64; 2]>, [f64; 2]) {
    // The initial rate is never used: the schedule sets the rate before every step.
    let mut sgd = Sgd::<T, 2>::new(SgdConfig {
        lr: T::from_f64(1e-3),
        ..SgdConfig::default()
    })
    .unwrap();
    let mut adam_opt = Adam::<T, 2>::new(AdamConfig::default()).unwrap();
    let opt: &mut dyn Optimizer<T> = if adam { &mut adam_opt } else { &mut sgd };
    let stop = Stop {
        grad_tol: T::ZERO,
        max_iter: STEPS,
        ..Stop::default()
    };
    let mut x = x0.map(T::from_f64);
    let mut rows = Vec::new();
    let mut watch = |p: &Progress<T>| {
        assert_eq!(p.iteration, rows.len() + 1);
        rows.push([p.lr.to_f64(), p.loss.to_f64()]);
        true
    };
    let report = minimize_with(obj, &mut x, opt, &stop, Some(schedule), Some(&mut watch))
        .expect("run succeeds");
    assert_eq!(
        (report.reason, report.iterations),
        (StopReason::MaxIterations, STEPS)
    );
    assert_eq!(report.loss.to_f64(), rows[STEPS - 1][1]);
    (rows, x.map(|v| v.to_f64()))
}

/// f = ½(x₀² + 10x₁²) − x₀ with its analytic gradient, in the script's operation order.
fn quadratic<T: Real>() -> impl Objective<T, 2> {
    WithGradient::new(
        |x: &[T; 2]| T::HALF * (x[0] * x[0] + T::from_f64(10.0) * x[1] * x[1]) - x[0],
        |x: &[T; 2], g: &mut [T; 2]| *g = [x[0] - T::ONE, T::from_f64(10.0) * x[1]],
    )
}

fn run_case<T: Real>(case: &Case) -> (Vec<[f64; 2]>, [f64; 2]) {
    let mut s = build::<T>(&case.kind, &case.params);
    let adam = case.params.get("adam") == Some(&1.0);
    match case.function.as_str() {
        "quadratic" => drive(&mut quadratic::<T>(), [3.0, -2.0], s.as_mut(), adam),
        "rosenbrock" => drive(&mut Rosenbrock, Rosenbrock::START, s.as_mut(), adam),
        other => panic!("unknown function {other}"),
    }
}

/// Relative error; below `T`'s smallest normal number (the quadratic's x₁ reaches 1e-44)
/// there is no relative precision to speak of, so the denominator is floored there.
fn rel<T: Real>(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(T::MIN_POSITIVE_R.to_f64())
}

/// The steps of a PI case that are compared: those before the first step whose loss changes by
/// less than 1e-5 relative (32 of the quadratic's 100, all of Rosenbrock's). The controller
/// steers by `ρ = (f_t − f_{t+1})/(−gᵀΔx)`, whose numerator cancels as the loss nears its
/// minimum (−0.5 on the quadratic), so from there a one-ulp difference between lossmap's
/// `ln`/`exp` and Python's reaches the next rate multiplied by `|f|/(f_t − f_{t+1})` (> 1e5)
/// and the two trajectories part.
fn pi_horizon(rows: &[[f64; 2]]) -> usize {
    (1..rows.len())
        .find(|&t| (rows[t][1] - rows[t - 1][1]).abs() < 1e-5 * rows[t - 1][1].abs())
        .unwrap_or(rows.len())
}

/// Checks every case in `T`; returns the largest relative error seen.
fn check_all<T: Real>(tol: f64, tol_adam: f64) -> f64 {
    let all = cases();
    assert_eq!(all.len(), 56, "28 schedule cases × 2 functions");
    let kinds: std::collections::BTreeSet<&str> = all.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds.len(), 16, "every schedule kind: {kinds:?}");
    let mut worst = (0.0f64, String::from("all exact"));
    let mut per_case: std::collections::BTreeMap<String, f64> = Default::default();
    for case in &all {
        let (want_rows, want_x) = reference(case, T::NAME);
        assert_eq!(want_rows.len(), STEPS, "{} {}", case.name, case.function);
        let (rows, x) = run_case::<T>(case);
        let what = format!("{} {} {}", case.name, case.function, T::NAME);
        let tol = if case.params.get("adam") == Some(&1.0) {
            tol_adam
        } else {
            tol
        };
        let horizon = if case.kind == "pi" {
            pi_horizon(&want_rows)
        } else {
            STEPS
        };
        for (t, (g, w)) in rows.iter().zip(&want_rows).take(horizon).enumerate() {
            for (i, label) in ["lr", "loss"].iter().enumerate() {
                let e = rel::<T>(g[i], w[i]);
                let slot = per_case.entry(case.name.clone()).or_insert(0.0);
                *slot = slot.max(e);
                if e > worst.0 {
                    worst = (e, format!("{what} step {} {label}", t + 1));
                }
                assert!(
                    e <= tol,
                    "{what} step {}: {label} = {:e} vs reference {:e} (rel {e:.2e})",
                    t + 1,
                    g[i],
                    w[i]
                );
            }
        }
        for i in (0..2).filter(|_| horizon == STEPS) {
            // The quadratic's x₁ shrinks by |1 − 10γ| per step; when a rate passes near 0.1 that
            // factor is tiny and ill-conditioned, so x₁ (1e-46 after 100 cosine steps) carries
            // no relative precision: coordinates below 1e-20 are compared absolutely.
            let e = (x[i] - want_x[i]).abs() / want_x[i].abs().max(1e-20);
            if e > worst.0 {
                worst = (e, format!("{what} final x[{i}]"));
            }
            assert!(
                e <= tol,
                "{what} final x[{i}] = {:e} vs reference {:e} (rel {e:.2e})",
                x[i],
                want_x[i]
            );
        }
    }
    for (name, e) in &per_case {
        println!("{} {name}: {e:.1e}", T::NAME);
    }
    println!(
        "{}: max relative error {:.3e} ({})",
        T::NAME,
        worst.0,
        worst.1
    );
    worst.0
}

#[test]
fn schedule_trajectories_f64_match_reference() {
    // Adam: lossmap computes β₁ᵗ by binary powering, the script (as torch) by `pow`; the last-bit
    // difference in the bias correction grows to 3.2e-13 near convergence.
    check_all::<f64>(1e-12, 1e-12);
}

#[test]
fn schedule_trajectories_f32_match_reference() {
    // Adam: torch updates m with `lerp(g, 1 − β₁)` and rounds `lr / (1 − β₁ᵗ)` from binary64,
    // lossmap computes β₁m + (1 − β₁)g and the step size in f32: the same algorithm in another
    // rounding order. Measured against torch: 1.3e-5 (cyclic_momentum_adam, quadratic, where
    // the loss nears its minimum); the script's f32 formula run in lossmap's order agrees with
    // lossmap to 1e-6. SGD cases: torch's portable kernels round as lossmap does.
    check_all::<f32>(1e-6, 3e-5);
}

/// The cases exercise what they claim: restarts, cycle peaks, plateau cuts down to the floor,
/// the PI controller at both clamps and cutting after a rise of the loss.
#[test]
fn reference_cases_exercise_the_schedules() {
    let all = cases();
    let case = |name: &str, function: &str| -> (&Case, Vec<[f64; 2]>) {
        let c = all
            .iter()
            .find(|c| c.name == name && c.function == function)
            .expect("case");
        (c, reference(c, "f64").0)
    };
    let rates = |name: &str, function: &str| -> Vec<f64> {
        case(name, function).1.iter().map(|r| r[0]).collect()
    };
    let rises = |v: &[f64]| v.windows(2).filter(|w| w[1] > w[0] * (1.0 + 1e-9)).count();
    let falls = |v: &[f64]| v.windows(2).filter(|w| w[1] < w[0] * (1.0 - 1e-9)).count();
    for f in ["quadratic", "rosenbrock"] {
        // Restarts: the rate jumps back up.
        assert!(rises(&rates("sgdr_mult1", f)) >= 3, "sgdr_mult1 {f}");
        assert!(rises(&rates("sgdr_mult2", f)) >= 2, "sgdr_mult2 {f}");
        // Several cycles; the peaks of triangular2 halve their height.
        assert!(rises(&rates("cyclic_triangular", f)) >= 3 * 4, "cyclic {f}");
        let tri2 = rates("cyclic_triangular2", f);
        let peaks: Vec<f64> = tri2
            .windows(3)
            .filter(|w| w[1] > w[0] && w[1] > w[2])
            .map(|w| w[1])
            .collect();
        assert!(peaks.len() >= 3, "cyclic_triangular2 {f}: {peaks:?}");
        assert!(peaks.windows(2).all(|p| p[1] < p[0]));
        // OneCycle warms up, then anneals.
        let one = rates("one_cycle", f);
        let top = one.iter().cloned().fold(0.0, f64::max);
        assert!(
            one[0] < top / 5.0 && one[STEPS - 1] < top / 50.0,
            "one_cycle {f}"
        );
        // At least two plateau cuts.
        assert!(falls(&rates("plateau", f)) >= 2, "plateau {f}");
        // The PI controller raises the timid starting rate (more than 5× within 20 steps) and
        // cuts it after every rise of the loss by at least half. On the quadratic the curvature
        // ceiling keeps the loss from rising at all; on Rosenbrock it still rises (once).
        let (_, rows) = case("pi", f);
        let pi: Vec<f64> = rows.iter().map(|r| r[0]).collect();
        assert!(
            pi[..20].iter().cloned().fold(0.0, f64::max) > 5.0 * pi[0],
            "pi {f}"
        );
        let cuts: Vec<usize> = (1..STEPS - 1)
            .filter(|&t| rows[t][1] > rows[t - 1][1])
            .collect();
        assert_eq!(
            cuts.is_empty(),
            f == "quadratic",
            "pi {f}: rises at {cuts:?}"
        );
        for t in cuts {
            assert!(pi[t + 1] <= 0.5 * pi[t] * (1.0 + 1e-12), "pi {f} {t}");
        }
    }
    // The plateau cuts on Rosenbrock end at the floor min_lr.
    let (c, rows) = case("plateau", "rosenbrock");
    assert_eq!(rows[STEPS - 1][0], c.params["min_lr"]);
}

/// Cycle momentum drives Adam's β₁ as torch drives `betas[0]`: after a run the optimizer holds
/// the momentum of the last step, and a different β₁ path gives a different trajectory.
#[test]
fn cycle_momentum_sets_adam_beta1() {
    let run = |momentum: bool| {
        let mut s = OneCycleLr::new(0.05f64, 30, 0.3, 25.0, 1e4).unwrap();
        if momentum {
            s = s.with_momentum(0.85, 0.95).unwrap();
        }
        let mut adam = Adam::<f64, 2>::new(AdamConfig::default()).unwrap();
        let mut x = [3.0, -2.0];
        let stop = Stop {
            grad_tol: 0.0,
            max_iter: 30,
            ..Stop::default()
        };
        minimize_with(
            &mut quadratic::<f64>(),
            &mut x,
            &mut adam,
            &stop,
            Some(&mut s),
            None,
        )
        .unwrap();
        (x, adam.config.beta1, s)
    };
    let (x_plain, beta_plain, _) = run(false);
    let (x_cycled, beta_cycled, s) = run(true);
    assert_eq!(beta_plain, 0.9, "untouched without cycle momentum");
    let mut s = s;
    assert_eq!(Some(Ok(beta_cycled)), s.momentum(29));
    assert!(beta_cycled > 0.94 && beta_cycled <= 0.95);
    assert_ne!(x_plain, x_cycled);
}
