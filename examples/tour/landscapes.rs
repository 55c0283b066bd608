//! Tour section: the test-landscape zoo. For every landscape in `lossmap::testfn`, one listed
//! critical point: the value there, the gradient norm (≈ 0), and the eigenvalues of the
//! analytic Hessian (their signs say minimum, saddle or maximum; a zero says flat direction).

use lossmap::linalg::SymEigen;
use lossmap::testfn::{
    Ackley, Beale, Booth, Easom, ExpSinCos, Himmelblau, Quadratic, Rastrigin, Rosenbrock,
    RosenbrockN, SixHumpCamel, StyblinskiTang, TwoRate,
};
use lossmap::Objective;

/// A number in 10 characters: fixed point for ordinary magnitudes, scientific otherwise.
fn num(v: f64) -> String {
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        format!("{v:>10.4}")
    } else {
        format!("{v:>10.3e}")
    }
}

fn point(x: &[f64]) -> String {
    let inner: Vec<String> = x.iter().map(|v| format!("{v:.4}")).collect();
    format!("({})", inner.join(", "))
}

fn row<O: Objective<f64, N>, const N: usize>(name: &str, mut o: O, x: [f64; N], what: &str) {
    let f = o.value(&x);
    let mut g = [0.0; N];
    let gnorm = match o.gradient(&x, &mut g) {
        Ok(_) => num(g.iter().map(|v| v * v).sum::<f64>().sqrt()),
        Err(e) => format!("{e}"),
    };
    let mut h = [[0.0; N]; N];
    let eig = match o.hessian(&x, &mut h).and_then(|_| SymEigen::new(&h)) {
        Ok(e) => e
            .values
            .iter()
            .map(|&v| num(v))
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => "     (none: not twice differentiable here)".to_string(),
    };
    println!(
        "{name:<16} {N:>2}  {what:<10} {:<42} {} {gnorm}  {eig}",
        point(&x),
        num(f)
    );
}

/// Prints the zoo table.
pub fn show() {
    println!(
        "\nTest landscapes (lossmap::testfn): a listed point, f, |∇f| and the eigenvalues of the \
         analytic Hessian there"
    );
    println!(
        "{:<16} {:>2}  {:<10} {:<42} {:>10} {:>10}  Hessian eigenvalues (ascending)",
        "landscape", "N", "point", "x", "f", "|∇f|"
    );
    let q = Quadratic::rotated([1e-6, 1.0, 10.0], [1.0, -2.0, 0.5]).expect("finite eigenvalues");
    row("Quadratic", q, *q.center(), "minimum");
    let k = Quadratic::<f64, 4>::with_condition(1e3, [0.0; 4], true).expect("κ ≥ 1");
    row("Quadratic κ=1e3", k, [0.0; 4], "minimum");
    row("Rosenbrock", Rosenbrock, Rosenbrock::MINIMUM, "minimum");
    row(
        "RosenbrockN",
        RosenbrockN::<4>,
        RosenbrockN::<4>::MINIMUM,
        "minimum",
    );
    if let Some((x, _)) = RosenbrockN::<4>::local_minimum() {
        row("RosenbrockN", RosenbrockN::<4>, x, "local min");
    }
    row("Himmelblau", Himmelblau, Himmelblau::MINIMA[1], "minimum");
    row("Himmelblau", Himmelblau, Himmelblau::SADDLES[0], "saddle");
    row("Himmelblau", Himmelblau, Himmelblau::MAXIMUM, "maximum");
    row(
        "Rastrigin",
        Rastrigin::<4>,
        Rastrigin::<4>::MINIMUM,
        "minimum",
    );
    row(
        "Rastrigin",
        Rastrigin::<4>,
        Rastrigin::<4>::first_saddle().0,
        "saddle",
    );
    row("Ackley", Ackley::<4>, Ackley::<4>::MINIMUM, "minimum");
    row(
        "Styblinski-Tang",
        StyblinskiTang::<4>,
        StyblinskiTang::<4>::MINIMUM,
        "minimum",
    );
    row(
        "Styblinski-Tang",
        StyblinskiTang::<4>,
        StyblinskiTang::<4>::MAXIMUM,
        "maximum",
    );
    row("Beale", Beale, Beale::MINIMUM, "minimum");
    row("Beale", Beale, Beale::SADDLES[0], "saddle");
    row("Booth", Booth, Booth::MINIMUM, "minimum");
    row(
        "Six-hump camel",
        SixHumpCamel,
        SixHumpCamel::MINIMA[0],
        "minimum",
    );
    row(
        "Six-hump camel",
        SixHumpCamel,
        SixHumpCamel::SADDLES[0],
        "saddle",
    );
    row(
        "Six-hump camel",
        SixHumpCamel,
        SixHumpCamel::MAXIMA[0],
        "maximum",
    );
    row("Easom", Easom, Easom::MINIMUM, "minimum");
    row("Easom", Easom, [0.0, 0.0], "plateau");
    let two = TwoRate::<f64>::new(1.3).expect("valid sum");
    row("TwoRate", two, two.minimum(0.4), "min line");
    row(
        "ExpSinCos",
        ExpSinCos,
        ExpSinCos::REFERENCE_POINT,
        "reference",
    );
}
