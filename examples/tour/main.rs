//! The lossmap tour: what the crate does today, on the host, with real numbers.
//!
//! Run: `cargo run --release --example tour`

mod accuracy;
mod analysis;
mod census;
mod fitting;
mod global;
mod landscapes;
mod losses;
mod neb;
mod optimizers;
mod plots;

use lossmap::linalg::SymEigen;
use lossmap::optim::{minimize, Adam, AdamConfig, Report, Stop};
use lossmap::testfn::{Himmelblau, Rosenbrock};
use lossmap::{Counted, Objective};

fn row<O: Objective<f64, 2> + Copy>(name: &str, o: O, start: [f64; 2], lr: f64) {
    let mut counted = Counted::new(o);
    let mut x = start;
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })
    .expect("valid config");
    let stop = Stop {
        grad_tol: 1e-6,
        max_iter: 50_000,
        ..Stop::default()
    };
    match minimize(&mut counted, &mut x, &mut adam, &stop) {
        Ok(Report {
            reason,
            iterations,
            value_evals,
            grad_evals,
            loss,
            ..
        }) => {
            let mut o2 = o;
            let mut h = [[0.0; 2]; 2];
            let eig = o2.hessian(&x, &mut h).and_then(|_| SymEigen::new(&h));
            let eig = eig.map(|e| format!("{:>9.4} {:>9.4}", e.values[0], e.values[1]));
            println!(
                "{name:<11} ({:>5.2}, {:>5.2})  ({:>9.6}, {:>9.6})  {loss:>9.2e} {iterations:>6} {value_evals:>6} {grad_evals:>6}  {:<15} {}",
                start[0],
                start[1],
                x[0],
                x[1],
                reason.name(),
                eig.unwrap_or_else(|e| e.to_string()),
            );
        }
        Err(e) => println!(
            "{name:<11} ({:>5.2}, {:>5.2})  error: {e}",
            start[0], start[1]
        ),
    }
}

fn main() {
    println!("lossmap tour — Adam (torch defaults, lr as given), gradients analytic, f64\n");
    println!(
        "{:<11} {:<14}  {:<22}  {:>9} {:>6} {:>6} {:>6}  {:<15} Hessian eigenvalues at end",
        "function", "start", "end", "loss", "iters", "f-evs", "g-evs", "stop",
    );
    for start in [[-1.2, 1.0], [0.0, 0.0], [2.0, -1.0]] {
        row("Rosenbrock", Rosenbrock, start, 0.02);
    }
    for start in [[0.0, 0.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]] {
        row("Himmelblau", Himmelblau, start, 0.05);
    }
    println!(
        "\nSame starts with finite-difference gradients (closure objective, 2N evaluations each):"
    );
    let rb: fn(&[f64; 2]) -> f64 = |x| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
    row("Rosenbrock", rb, [-1.2, 1.0], 0.02);
    accuracy::show();
    optimizers::show();
    fitting::show();
    losses::show();
    analysis::show();
    neb::show();
    landscapes::show();
    global::show();
    census::show();
    plots::show();
}
