//! Tour section: the optimizer family side by side on two tasks, with the same stop rules for
//! all: Rosenbrock from (−1.2, 1) with analytic gradients (f64, ‖g‖ ≤ 1e-6 or 20 000 steps), and
//! a noisy linear fit by the stochastic driver (200 samples, batches of 10, 40 epochs, seeded),
//! scored by its excess loss over the least-squares line.

use lossmap::optim::{
    minimize, minimize_stochastic, newton, Adagrad, AdagradConfig, Adam, AdamConfig, AdamW,
    AdamWConfig, NewtonConfig, Optimizer, PerSampleWithGradient, RmsProp, RmsPropConfig, Sgd,
    SgdConfig, StochasticConfig, Stop,
};
use lossmap::testfn::Rosenbrock;
use lossmap::Error;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// Samples of the linear fit.
const M: usize = 200;

type Make = fn(f64) -> Result<Box<dyn Optimizer<f64>>, Error>;

/// (name, Rosenbrock lr, fit lr, constructor from lr).
fn entries() -> Vec<(&'static str, f64, f64, Make)> {
    fn sgd(lr: f64, momentum: f64, nesterov: u8) -> Result<Box<dyn Optimizer<f64>>, Error> {
        let c = SgdConfig {
            lr,
            momentum,
            nesterov,
            ..SgdConfig::default()
        };
        Ok(Box::new(Sgd::<f64, 2>::new(c)?))
    }
    vec![
        ("SGD", 1e-3, 0.05, |lr| sgd(lr, 0.0, 0)),
        ("SGD, momentum 0.9", 1e-3, 0.005, |lr| sgd(lr, 0.9, 0)),
        ("SGD, Nesterov 0.9", 1e-3, 0.005, |lr| sgd(lr, 0.9, 1)),
        ("AdaGrad", 0.5, 0.5, |lr| {
            let c = AdagradConfig {
                lr,
                ..AdagradConfig::default()
            };
            Ok(Box::new(Adagrad::<f64, 2>::new(c)?))
        }),
        ("RMSProp", 1e-3, 0.005, |lr| {
            let c = RmsPropConfig {
                lr,
                ..RmsPropConfig::default()
            };
            Ok(Box::new(RmsProp::<f64, 2>::new(c)?))
        }),
        ("Adam", 0.02, 0.01, |lr| {
            let c = AdamConfig {
                lr,
                ..AdamConfig::default()
            };
            Ok(Box::new(Adam::<f64, 2>::new(c)?))
        }),
        ("AdamW, weight decay 1e-2", 0.02, 0.01, |lr| {
            let c = AdamWConfig {
                lr,
                ..AdamWConfig::default()
            };
            Ok(Box::new(AdamW::<f64, 2>::new(c)?))
        }),
        ("AMSGrad", 0.02, 0.01, |lr| {
            let c = AdamWConfig {
                lr,
                amsgrad: 1,
                decoupled: 0,
                weight_decay: 0.0,
                ..AdamWConfig::default()
            };
            Ok(Box::new(AdamW::<f64, 2>::new(c)?))
        }),
    ]
}

/// y = 1.5 t + 0.5 + N(0, 0.3²), t uniform in [−1, 1], from a fixed seed.
fn fit_data() -> (Vec<f64>, Vec<f64>) {
    let mut rng = XorShiftRng::seed_from_u64(17);
    let t: Vec<f64> = (0..M)
        .map(|_| lossmap::random::uniform_in(&mut rng, -1.0, 1.0))
        .collect();
    let y = t
        .iter()
        .map(|&ti| 1.5 * ti + 0.5 + 0.3 * lossmap::random::normal::<f64, _>(&mut rng))
        .collect();
    (t, y)
}

/// Mean of ½(a t + b − y)² over the data.
fn fit_loss(x: &[f64], t: &[f64], y: &[f64]) -> f64 {
    t.iter()
        .zip(y)
        .map(|(ti, yi)| 0.5 * (x[0] * ti + x[1] - yi).powi(2))
        .sum::<f64>()
        / t.len() as f64
}

/// The least-squares line (normal equations).
fn least_squares(t: &[f64], y: &[f64]) -> [f64; 2] {
    let m = t.len() as f64;
    let (st, sy) = (t.iter().sum::<f64>(), y.iter().sum::<f64>());
    let stt = t.iter().map(|v| v * v).sum::<f64>();
    let sty = t.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let a = (m * sty - st * sy) / (m * stt - st * st);
    [a, (sy - a * st) / m]
}

/// The Rosenbrock cells: iterations, evaluations, final loss, stop reason.
fn rosenbrock_cells(opt: &mut dyn Optimizer<f64>) -> String {
    let stop = Stop {
        grad_tol: 1e-6,
        max_iter: 20_000,
        ..Stop::default()
    };
    let mut x = Rosenbrock::START;
    match minimize(&mut Rosenbrock, &mut x, opt, &stop) {
        Ok(r) => format!(
            "{:>6} {:>6} {:>9.2e} {:<9}",
            r.iterations,
            r.value_evals + r.grad_evals,
            r.loss,
            r.reason.name()
        ),
        Err(e) => format!("error: {e}"),
    }
}

/// The linear-fit cells: steps, sample evaluations, excess loss, stop reason.
fn fit_cells(opt: &mut dyn Optimizer<f64>, t: &[f64], y: &[f64], best: f64) -> String {
    let mut scratch = [0.0; 2];
    let mut obj = PerSampleWithGradient {
        loss: |x: &[f64], i: usize| 0.5 * (x[0] * t[i] + x[1] - y[i]).powi(2),
        grad: |x: &[f64], i: usize, g: &mut [f64]| {
            let r = x[0] * t[i] + x[1] - y[i];
            g[0] = r * t[i];
            g[1] = r;
            true
        },
        scratch: &mut scratch,
    };
    let cfg = StochasticConfig {
        batch: 10,
        epochs: 40,
        drop_last: 0,
    };
    let mut rng = XorShiftRng::seed_from_u64(3);
    let mut x = [0.0, 0.0];
    let mut perm = [0usize; M];
    match minimize_stochastic(&mut obj, &mut x, opt, &mut perm, &cfg, &mut rng, None, None) {
        Ok(r) => format!(
            "{:>6} {:>6} {:>9.2e} {:<10}",
            r.steps,
            r.sample_evals,
            fit_loss(&x, t, y) - best,
            r.reason.name()
        ),
        Err(e) => format!("error: {e}"),
    }
}

pub fn show() {
    let (t, y) = fit_data();
    let ls = least_squares(&t, &y);
    let best = fit_loss(&ls, &t, &y);
    println!("\nOptimizers, one table (f64; same stop rules for all):");
    println!("  Rosenbrock: from (−1.2, 1), analytic gradient, ‖g‖ ≤ 1e-6 or 20 000 steps; evals = f + ∇f calls.");
    println!(
        "  linear fit: {M} noisy samples (σ = 0.3), mini-batches of 10, 40 epochs; excess = loss − least-squares loss ({best:.5})."
    );
    println!(
        "{:<26} {:>7} {:>6} | {:>6} {:>6} {:>9} {:<9} | {:>6} {:>6} {:>9} {:<10}",
        "optimizer",
        "lr rosen",
        "fit",
        "iters",
        "evals",
        "loss",
        "stop",
        "steps",
        "evals",
        "excess",
        "stop"
    );
    for (name, lr_r, lr_f, make) in entries() {
        let rosen =
            make(lr_r).map_or_else(|e| format!("error: {e}"), |mut o| rosenbrock_cells(&mut *o));
        let fit = make(lr_f).map_or_else(
            |e| format!("error: {e}"),
            |mut o| fit_cells(&mut *o, &t, &y, best),
        );
        println!("{name:<26} {lr_r:>7} {lr_f:>6} | {rosen} | {fit}");
    }
    let mut x = Rosenbrock::START;
    let stop = Stop {
        grad_tol: 1e-8,
        max_iter: 100,
        ..Stop::default()
    };
    match newton(&mut Rosenbrock, &mut x, &NewtonConfig::default(), &stop) {
        Ok(r) => println!(
            "{:<26} {:>7} {:>6} | {:>6} {:>6} {:>9.2e} {:<9} | (‖g‖ ≤ 1e-8; {} Hessians)",
            "Newton + Armijo",
            "-",
            "-",
            r.iterations,
            r.value_evals + r.grad_evals + r.hess_evals,
            r.loss,
            r.reason.name(),
            r.hess_evals
        ),
        Err(e) => println!("Newton error: {e}"),
    }
    println!("(AdamW's decoupled decay pulls both end points off the optimum: it minimizes a different objective.)");
}
