//! The basin tour: what the crate does today, on the host, with real numbers.
//!
//! Run: `cargo run --release --example tour`

use basin::diff::central_gradient_n;
mod analysis;
mod landscapes;
mod losses;
mod neb;

use basin::linalg::SymEigen;
use basin::optim::{minimize, Adam, AdamConfig, Report, Stop};
use basin::testfn::{Himmelblau, Rosenbrock};
use basin::{Counted, Objective, Real};

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

/// max|ĝ − g| / max|g| of the central-difference gradient against the analytic one.
fn fd_error<T: Real, O: Objective<T, 2> + Copy>(o: O, x: [f64; 2]) -> (f64, usize) {
    let x = [T::from_f64(x[0]), T::from_f64(x[1])];
    let (mut fd, mut exact) = ([T::ZERO; 2], [T::ZERO; 2]);
    let mut value = |p: &[T; 2]| o.clone().value(p);
    let evals = central_gradient_n(&mut value, &x, &mut fd).unwrap_or(0);
    let _ = o.clone().gradient(&x, &mut exact);
    let scale = exact.iter().fold(0.0f64, |m, v| m.max(v.to_f64().abs()));
    let err = fd
        .iter()
        .zip(&exact)
        .fold(0.0f64, |m, (a, b)| m.max((a.to_f64() - b.to_f64()).abs()));
    (err / scale, evals)
}

fn accuracy_table() {
    println!("\nCentral-difference gradient accuracy, max|ĝ − g| / max|g| against the analytic gradient:");
    println!(
        "{:<11} {:<24} {:>6} {:>10} {:>10}",
        "function", "point", "evals", "f64", "f32"
    );
    let rows: [(&str, [f64; 2], bool); 4] = [
        ("Rosenbrock", Rosenbrock::START, true),
        ("Rosenbrock", [0.5, -0.3], true),
        ("Himmelblau", [1.0, 1.0], false),
        ("Himmelblau", [-2.0, 0.5], false),
    ];
    for (name, x, rosen) in rows {
        let ((e64, n), (e32, _)) = if rosen {
            (
                fd_error::<f64, _>(Rosenbrock, x),
                fd_error::<f32, _>(Rosenbrock, x),
            )
        } else {
            (
                fd_error::<f64, _>(Himmelblau, x),
                fd_error::<f32, _>(Himmelblau, x),
            )
        };
        println!(
            "{name:<11} ({:>9.4}, {:>9.4})   {n:>6} {e64:>10.1e} {e32:>10.1e}",
            x[0], x[1]
        );
    }
}

fn main() {
    println!("basin tour — Adam (torch defaults, lr as given), gradients analytic, f64\n");
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
    accuracy_table();
    losses::show();
    analysis::show();
    neb::show();
    landscapes::show();
}
