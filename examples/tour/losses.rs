//! Tour section: losses. (1) A line with one gross outlier, fitted by Adam under MSE, MAE and
//! Huber: the squared loss is pulled towards the outlier, the robust ones are not. (2) A
//! least-squares problem with features in the hundreds: the condition number of the MSE
//! Hessian before and after standardization, and what it does to an f32 closed-form solve.

use lossmap::linalg::SymEigen;
use lossmap::loss::{
    design_gram, destandardize_linear, least_squares, least_squares_work_len, standardize, Linear,
    LinearFit, Regression,
};
use lossmap::optim::{minimize, Adam, AdamConfig, Stop};

/// Deterministic noise in [−1, 1) (64-bit LCG).
fn noise(seed: u64, n: usize) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

fn outliers() {
    // y = 2x + 1 + small noise at x = 0, 0.5, …, 9.5; the sample at x = 8 is a gross outlier.
    const M: usize = 20;
    let x: Vec<f64> = (0..M).map(|i| 0.5 * i as f64).collect();
    let e = noise(7, M);
    let mut y: Vec<f64> = x
        .iter()
        .zip(&e)
        .map(|(v, n)| 2.0 * v + 1.0 + 0.1 * n)
        .collect();
    y[16] = -40.0;
    println!(
        "\nLosses: y = 2x + 1 (+ noise ≤ 0.1) at {M} points, one gross outlier (x = 8, y = −40);"
    );
    println!("Adam (lr 0.01, 30 000 steps max, grad tol 1e-8) from (0, 0):");
    println!(
        "{:<14} {:>9} {:>10} {:>11} {:>7}  stop",
        "loss", "slope", "intercept", "final loss", "steps"
    );
    let model = Linear::new(1).expect("d = 1");
    for (name, loss) in [
        ("MSE", Regression::Mse),
        ("MAE", Regression::Mae),
        ("Huber δ = 1", Regression::Huber { delta: 1.0 }),
    ] {
        let mut fit = LinearFit::<f64, 2>::new(model, loss, &x, &y).expect("valid data");
        let mut theta = [0.0, 0.0];
        let mut adam = Adam::<f64, 2>::new(AdamConfig {
            lr: 0.01,
            ..AdamConfig::default()
        })
        .expect("valid config");
        let stop = Stop {
            grad_tol: 1e-8,
            max_iter: 30_000,
            ..Stop::default()
        };
        match minimize(&mut fit, &mut theta, &mut adam, &stop) {
            Ok(r) => println!(
                "{name:<14} {:>9.4} {:>10.4} {:>11.4} {:>7}  {}",
                theta[0],
                theta[1],
                r.loss,
                r.iterations,
                r.reason.name()
            ),
            Err(err) => println!("{name:<14} error: {err}"),
        }
    }
    let mut work = [0.0; least_squares_work_len(1)];
    let mut theta = [0.0; 2];
    match least_squares(&x, &y, 1, &mut work, &mut theta) {
        Ok(()) => println!(
            "{:<14} {:>9.4} {:>10.4}   (normal equations, exact MSE minimizer)",
            "MSE closed", theta[0], theta[1]
        ),
        Err(err) => println!("closed form: {err}"),
    }
    println!("(truth: slope 2, intercept 1; MAE has only a subgradient, so Adam hovers and stops at the budget)");
}

/// Condition number of the MSE Hessian `2·G`, `G = [X 1]ᵀ[X 1]/m` (the factor 2 cancels).
fn hessian_condition(x: &[f64], d: usize) -> Result<f64, lossmap::Error> {
    const N: usize = 4;
    let mut g = [[0.0; N]; N];
    if d + 1 != N {
        return Err(lossmap::Error::LengthMismatch);
    }
    design_gram(x, d, g.as_flattened_mut())?;
    Ok(SymEigen::new(&g)?.condition_number())
}

/// Max relative error of an f32 closed-form fit on `x` against `want` (f64 parameters mapped
/// to the same features), or the error it returned.
fn f32_fit_error(x: &[f64], y: &[f64], d: usize, want: &[f64]) -> String {
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let mut work = vec![0.0f32; least_squares_work_len(d)];
    let mut theta = vec![0.0f32; d + 1];
    match least_squares(&x32, &y32, d, &mut work, &mut theta) {
        Ok(()) => {
            let err = theta.iter().zip(want).fold(0.0f64, |m, (&t, &w)| {
                m.max((f64::from(t) - w).abs() / w.abs().max(1e-3))
            });
            format!("{err:.1e}")
        }
        Err(e) => format!("error: {e}"),
    }
}

fn conditioning() {
    // Three sensor-like features: temperature ≈ 300 ± 10 K, pressure ≈ 1000 ± 40 hPa,
    // a reading ≈ 150 ± 30; target linear in them plus noise.
    const M: usize = 50;
    const D: usize = 3;
    let u = noise(11, M * D + M);
    let (feats, eps) = u.split_at(M * D);
    let x: Vec<f64> = feats
        .chunks(D)
        .flat_map(|r| {
            [
                300.0 + 10.0 * r[0],
                1000.0 + 40.0 * r[1],
                150.0 + 30.0 * r[2],
            ]
        })
        .collect();
    let w = [0.8, -0.05, 0.3];
    let y: Vec<f64> = x
        .chunks(D)
        .zip(eps)
        .map(|(r, e)| r.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() + 12.0 + 0.5 * e)
        .collect();

    let mut xs = x.clone();
    let (mut mean, mut scale) = ([0.0; D], [0.0; D]);
    let constant = standardize(&mut xs, D, &mut mean, &mut scale);

    println!(
        "\nConditioning: least squares on {M} samples, features in the hundreds (d = {D} + bias)."
    );
    println!(
        "Condition number of the MSE Hessian 2·XᵀX/m (SymEigen), and an f32 normal-equation fit:"
    );
    let raw = hessian_condition(&x, D);
    let std = hessian_condition(&xs, D);
    // Reference parameters in f64 for both feature sets.
    let mut work = vec![0.0; least_squares_work_len(D)];
    let (mut t_raw, mut t_std) = (vec![0.0; D + 1], vec![0.0; D + 1]);
    let ok = least_squares(&x, &y, D, &mut work, &mut t_raw).is_ok()
        && least_squares(&xs, &y, D, &mut work, &mut t_std).is_ok();
    println!(
        "{:<14} {:>14}  f32 closed form, max rel. error vs f64",
        "features", "cond(H)"
    );
    let show = |name: &str, c: Result<f64, lossmap::Error>, x: &[f64], t: &[f64]| {
        let c = c.map_or_else(|e| e.to_string(), |v| format!("{v:.3e}"));
        let f = if ok {
            f32_fit_error(x, &y, D, t)
        } else {
            "-".into()
        };
        println!("{name:<14} {c:>14}  {f}");
    };
    show("raw", raw, &x, &t_raw);
    show("standardized", std, &xs, &t_std);
    if let (Ok(a), Ok(b)) = (raw, std) {
        println!("condition number reduced {:.1e}×", a / b);
    }
    if let Ok(c) = constant {
        println!("(means {mean:.1?}, scales {scale:.2?}, constant columns {c})");
    }
    if ok {
        let mut back = t_std.clone();
        if destandardize_linear(&mut back, &mean, &scale).is_ok() {
            println!(
                "f64 fit, raw features: w = ({:.4}, {:.4}, {:.4}), b = {:.3}; from the standardized fit mapped back: ({:.4}, {:.4}, {:.4}), b = {:.3}",
                t_raw[0], t_raw[1], t_raw[2], t_raw[3], back[0], back[1], back[2], back[3]
            );
        }
    }
}

/// Prints the losses section of the tour.
pub fn show() {
    outliers();
    conditioning();
}
