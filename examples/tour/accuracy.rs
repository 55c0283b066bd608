//! Tour section: finite-difference accuracy and cost against analytic derivatives (the accuracy
//! points). Hessian error: max|Ĥ − H| / max|H|. Gradient error: max|ĝ − g| / max(max|g|, |f|, 1)
//! (at a critical point g = 0 and rounding scales with |f|).

use lossmap::diff::{
    central_gradient_n, forward_gradient_n, hessian_from_gradient_n, hessian_n,
    hessian_richardson_n, richardson_gradient_n,
};
use lossmap::testfn::{Beale, ExpSinCos, Himmelblau, Rosenbrock};
use lossmap::{Objective, Real};

fn grad_err<T: Real>(a: &[T; 2], b: &[T; 2], f: T) -> f64 {
    let scale = b
        .iter()
        .fold(f.to_f64().abs().max(1.0), |m, v| m.max(v.to_f64().abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (p, q)| m.max((p.to_f64() - q.to_f64()).abs()))
        / scale
}

fn hess_err<T: Real>(a: &[[T; 2]; 2], b: &[[T; 2]; 2]) -> f64 {
    let scale = b
        .as_flattened()
        .iter()
        .fold(0.0f64, |m, v| m.max(v.to_f64().abs()));
    a.as_flattened()
        .iter()
        .zip(b.as_flattened())
        .fold(0.0f64, |m, (p, q)| m.max((p.to_f64() - q.to_f64()).abs()))
        / scale
}

/// (method, evaluations, error) for every method on one landscape at one point.
fn measure<T: Real, O: Objective<T, 2> + Copy>(
    o: O,
    x: [f64; 2],
) -> Vec<(&'static str, usize, f64)> {
    let x = [T::from_f64(x[0]), T::from_f64(x[1])];
    let (mut g, mut h) = ([T::ZERO; 2], [[T::ZERO; 2]; 2]);
    let (mut a, mut b) = (o, o);
    let _ = a.gradient(&x, &mut g);
    let _ = a.hessian(&x, &mut h);
    let f = a.value(&x);
    let value = move |p: &[T; 2]| b.value(p);
    let mut rows = Vec::new();
    let mut gg = [T::ZERO; 2];
    let mut hh = [[T::ZERO; 2]; 2];
    if let Ok(e) = forward_gradient_n(value, &x, &mut gg) {
        rows.push(("gradient, forward", e, grad_err(&gg, &g, f)));
    }
    if let Ok(e) = central_gradient_n(value, &x, &mut gg) {
        rows.push(("gradient, central", e, grad_err(&gg, &g, f)));
    }
    if let Ok(e) = richardson_gradient_n(value, &x, &mut gg) {
        rows.push(("gradient, Richardson", e, grad_err(&gg, &g, f)));
    }
    if let Ok(e) = hessian_n(value, &x, &mut hh) {
        rows.push(("Hessian, values O(h²)", e, hess_err(&hh, &h)));
    }
    if let Ok(e) = hessian_richardson_n(value, &x, &mut hh) {
        rows.push(("Hessian, values Richardson", e, hess_err(&hh, &h)));
    }
    let mut c = o;
    if let Ok(ev) = hessian_from_gradient_n(&mut c, &x, &mut hh) {
        rows.push((
            "Hessian, from ∇ (gradient calls)",
            ev.gradients,
            hess_err(&hh, &h),
        ));
    }
    rows
}

pub fn show() {
    println!("\nFinite differences against analytic derivatives (N = 2; error as in tests/derivative_accuracy.rs):");
    println!(
        "{:<11} {:<22} {:<34} {:>6} {:>10} {:>10}",
        "function", "point", "method", "evals", "f64", "f32"
    );
    let mut points: Vec<(&str, [f64; 2])> = vec![("Rosenbrock", Rosenbrock::START)];
    points.push(("Himmelblau", Himmelblau::SADDLES[0]));
    points.push(("Himmelblau", Himmelblau::SADDLES[3]));
    points.push(("Beale", Beale::MINIMUM));
    points.push(("ExpSinCos", ExpSinCos::REFERENCE_POINT));
    for (name, x) in points {
        let (r64, r32) = match name {
            "Rosenbrock" => (
                measure::<f64, _>(Rosenbrock, x),
                measure::<f32, _>(Rosenbrock, x),
            ),
            "Himmelblau" => (
                measure::<f64, _>(Himmelblau, x),
                measure::<f32, _>(Himmelblau, x),
            ),
            "Beale" => (measure::<f64, _>(Beale, x), measure::<f32, _>(Beale, x)),
            _ => (
                measure::<f64, _>(ExpSinCos, x),
                measure::<f32, _>(ExpSinCos, x),
            ),
        };
        for (k, ((m, e, err64), (_, _, err32))) in r64.iter().zip(&r32).enumerate() {
            let (n, p) = if k == 0 {
                (name, format!("({:.4}, {:.4})", x[0], x[1]))
            } else {
                ("", String::new())
            };
            println!("{n:<11} {p:<22} {m:<34} {e:>6} {err64:>10.1e} {err32:>10.1e}");
        }
    }
}
