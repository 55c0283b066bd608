//! Tour section: least squares and the local methods without a learning rate. Rosenbrock from
//! (−1.2, 1) and Beale from (1, 1) by every local method of the crate, with analytic
//! gradients where the method takes them, and the evaluations each needed; then a calibration fit
//! with its standard errors.

use lossmap::nlls::{LevenbergMarquardt, LmConfig, Residuals};
use lossmap::optim::{
    bfgs, lbfgs, minimize, nelder_mead, newton, Adam, AdamConfig, NelderMeadConfig, NewtonConfig,
    QuasiNewtonConfig, Stop,
};
use lossmap::testfn::{Beale, Rosenbrock};
use lossmap::{Counted, Error, Objective};

/// Rosenbrock as residuals `(10(x₁ − x₀²), 1 − x₀)`, with its Jacobian.
struct RosenbrockResiduals;

impl Residuals<f64, 2, 2> for RosenbrockResiduals {
    fn residuals(&mut self, x: &[f64; 2], r: &mut [f64; 2]) {
        *r = [10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]];
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

/// Beale as residuals `yᵢ − x₀(1 − x₁ⁱ)`, with its Jacobian.
struct BealeResiduals;

impl Residuals<f64, 3, 2> for BealeResiduals {
    fn residuals(&mut self, x: &[f64; 2], r: &mut [f64; 3]) {
        let y = [1.5, 2.25, 2.625];
        for ((ri, yi), k) in r.iter_mut().zip(y).zip(1..) {
            *ri = yi - x[0] * (1.0 - x[1].powi(k));
        }
    }
    fn jacobian(
        &mut self,
        x: &[f64; 2],
        _: &[f64; 3],
        j: &mut [[f64; 2]; 3],
    ) -> Result<usize, Error> {
        for (row, k) in j.iter_mut().zip(1..) {
            *row = [
                -(1.0 - x[1].powi(k)),
                x[0] * f64::from(k) * x[1].powi(k - 1),
            ];
        }
        Ok(0)
    }
}

fn line(method: &str, x: [f64; 2], f: f64, values: usize, grads: usize, extra: &str) {
    println!(
        "  {method:<28} ({:>9.6}, {:>9.6})  {f:>9.2e} {values:>7} {grads:>7}  {extra}",
        x[0], x[1]
    );
}

fn local_methods<O: Objective<f64, 2> + Copy, R: Residuals<f64, M, 2>, const M: usize>(
    name: &str,
    o: O,
    res: &mut R,
    start: [f64; 2],
    adam_lr: f64,
) {
    println!("{name} from ({}, {}):", start[0], start[1]);
    let stop = Stop {
        grad_tol: 1e-6,
        max_iter: 50_000,
        ..Stop::default()
    };
    let show = |m: &str, x: [f64; 2], r: Result<(f64, usize, usize), Error>, extra: &str| match r {
        Ok((f, v, g)) => line(m, x, f, v, g, extra),
        Err(e) => println!("  {m:<28} error: {e}"),
    };
    let mut c = Counted::new(o);
    let mut x = start;
    let r = Adam::<f64, 2>::new(AdamConfig {
        lr: adam_lr,
        ..AdamConfig::default()
    })
    .and_then(|mut a| minimize(&mut c, &mut x, &mut a, &stop));
    show("Adam", x, r.map(|r| (r.loss, c.values, c.gradients)), "");
    let mut c = Counted::new(o);
    let mut x = start;
    let r = newton(&mut c, &mut x, &NewtonConfig::default(), &stop);
    show(
        "Newton (analytic Hessian)",
        x,
        r.map(|r| (r.loss, c.values, c.gradients)),
        "",
    );
    let mut c = Counted::new(o);
    let mut x = start;
    let r = bfgs(&mut c, &mut x, &QuasiNewtonConfig::default(), &stop);
    show("BFGS", x, r.map(|r| (r.loss, c.values, c.gradients)), "");
    let mut c = Counted::new(o);
    let mut x = start;
    let r = lbfgs::<_, _, 2, 10>(&mut c, &mut x, &QuasiNewtonConfig::lbfgsb(), &stop);
    show(
        "L-BFGS (m = 10)",
        x,
        r.map(|r| (r.loss, c.values, c.gradients)),
        "",
    );
    let mut c = Counted::new(o);
    let mut x = start;
    let nm_stop = Stop {
        max_iter: 1000,
        ..Stop::default()
    };
    let r = nelder_mead(&mut c, &mut x, &NelderMeadConfig::default(), &nm_stop);
    show(
        "Nelder–Mead (values only)",
        x,
        r.map(|r| (r.loss, c.values, c.gradients)),
        "",
    );
    let mut lm = LevenbergMarquardt::<f64, M, 2>::new(LmConfig::default());
    let mut x = start;
    let r = lm.fit(res, &mut x);
    show(
        "Levenberg–Marquardt",
        x,
        r.map(|r| (2.0 * r.cost, r.residual_evals, r.jacobian_evals)),
        "(residual vectors, Jacobians)",
    );
}

pub fn show() {
    println!(
        "\nLocal methods without a learning rate (f64, analytic derivatives; loss = Σr² for least squares):"
    );
    println!(
        "  {:<28} {:<22}  {:>9} {:>7} {:>7}",
        "method", "end", "loss", "values", "grads"
    );
    local_methods(
        "Rosenbrock",
        Rosenbrock,
        &mut RosenbrockResiduals,
        [-1.2, 1.0],
        0.02,
    );
    local_methods("Beale", Beale, &mut BealeResiduals, [1.0, 1.0], 0.05);
    println!(
        "(The Moré–Garbow–Hillstrom set against scipy: `cargo test -p lossmap-dev --test mgh -- --nocapture`;\n a calibration with standard errors: `cargo run --example calibrate`.)"
    );
}
