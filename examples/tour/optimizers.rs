//! Tour section: the optimizer family side by side on Rosenbrock from (−1.2, 1), analytic
//! gradient, f64, the same stop rules for all (‖g‖ ≤ 1e-6 or 20 000 steps).

use basin::optim::{
    minimize, newton, Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, NewtonConfig,
    Optimizer, Report, RmsProp, RmsPropConfig, Sgd, SgdConfig, Stop,
};
use basin::testfn::Rosenbrock;
use basin::Error;

fn row(name: &str, opt: Result<&mut dyn Optimizer<f64>, Error>) {
    let stop = Stop {
        grad_tol: 1e-6,
        max_iter: 20_000,
        ..Stop::default()
    };
    let mut x = Rosenbrock::START;
    let r: Result<Report<f64>, Error> =
        opt.and_then(|o| minimize(&mut Rosenbrock, &mut x, o, &stop));
    match r {
        Ok(r) => println!(
            "{name:<34} ({:>8.5}, {:>8.5})  {:>10.3e} {:>6} {:>6} {:>6}  {}",
            x[0],
            x[1],
            r.loss,
            r.iterations,
            r.value_evals,
            r.grad_evals,
            r.reason.name()
        ),
        Err(e) => println!("{name:<34} error: {e}"),
    }
}

pub fn show() {
    println!("\nOptimizers on Rosenbrock from (−1.2, 1), analytic gradient, f64 (‖g‖ ≤ 1e-6 or 20 000 steps):");
    println!(
        "{:<34} {:<20}  {:>10} {:>6} {:>6} {:>6}  stop",
        "optimizer (torch hyperparameters)", "end", "loss", "iters", "f-evs", "g-evs"
    );
    let sgd = |lr: f64, momentum: f64, nesterov: u8| SgdConfig {
        lr,
        momentum,
        nesterov,
        ..SgdConfig::default()
    };
    row(
        "SGD lr 1e-3",
        Sgd::<f64, 2>::new(sgd(1e-3, 0.0, 0))
            .as_mut()
            .map(|o| o as &mut dyn Optimizer<f64>)
            .map_err(|e| *e),
    );
    row(
        "SGD lr 1e-3, momentum 0.9",
        Sgd::<f64, 2>::new(sgd(1e-3, 0.9, 0))
            .as_mut()
            .map(|o| o as &mut dyn Optimizer<f64>)
            .map_err(|e| *e),
    );
    row(
        "SGD lr 1e-3, Nesterov 0.9",
        Sgd::<f64, 2>::new(sgd(1e-3, 0.9, 1))
            .as_mut()
            .map(|o| o as &mut dyn Optimizer<f64>)
            .map_err(|e| *e),
    );
    row(
        "AdaGrad lr 0.5",
        Adagrad::<f64, 2>::new(AdagradConfig {
            lr: 0.5,
            ..AdagradConfig::default()
        })
        .as_mut()
        .map(|o| o as &mut dyn Optimizer<f64>)
        .map_err(|e| *e),
    );
    row(
        "RMSProp lr 1e-3",
        RmsProp::<f64, 2>::new(RmsPropConfig {
            lr: 1e-3,
            ..RmsPropConfig::default()
        })
        .as_mut()
        .map(|o| o as &mut dyn Optimizer<f64>)
        .map_err(|e| *e),
    );
    row(
        "Adam lr 0.02",
        Adam::<f64, 2>::new(AdamConfig {
            lr: 0.02,
            ..AdamConfig::default()
        })
        .as_mut()
        .map(|o| o as &mut dyn Optimizer<f64>)
        .map_err(|e| *e),
    );
    row(
        "AdamW lr 0.02, weight decay 1e-2",
        AdamW::<f64, 2>::new(AdamWConfig {
            lr: 0.02,
            ..AdamWConfig::default()
        })
        .as_mut()
        .map(|o| o as &mut dyn Optimizer<f64>)
        .map_err(|e| *e),
    );
    row(
        "AMSGrad lr 0.02",
        AdamW::<f64, 2>::new(AdamWConfig {
            lr: 0.02,
            amsgrad: 1,
            decoupled: 0,
            weight_decay: 0.0,
            ..AdamWConfig::default()
        })
        .as_mut()
        .map(|o| o as &mut dyn Optimizer<f64>)
        .map_err(|e| *e),
    );
    let mut x = Rosenbrock::START;
    let stop = Stop {
        grad_tol: 1e-8,
        max_iter: 100,
        ..Stop::default()
    };
    match newton(&mut Rosenbrock, &mut x, &NewtonConfig::default(), &stop) {
        Ok(r) => println!(
            "{:<34} ({:>8.5}, {:>8.5})  {:>10.3e} {:>6} {:>6} {:>6}  {} ({} Hessians, ‖g‖ ≤ 1e-8)",
            "Newton + Armijo (analytic Hessian)",
            x[0],
            x[1],
            r.loss,
            r.iterations,
            r.value_evals,
            r.grad_evals,
            r.reason.name(),
            r.hess_evals
        ),
        Err(e) => println!("Newton error: {e}"),
    }
    println!("(AdamW's decoupled decay pulls the end point off (1, 1): it minimizes a different objective.)");
}
