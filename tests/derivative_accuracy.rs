//! Accuracy targets for finite-difference derivatives, against analytic derivatives:
//! Rosenbrock at (−1.2, 1), Himmelblau at its four saddles, Beale at (3, 0.5), exp(x)·sin(y) +
//! cos(xy) at (0.5, 0.7).
//!
//! Hessian error: max|Ĥ − H| / max|H|. Gradient error: max|ĝ − g| / max(max|g|, |f|, 1): at a
//! critical point g = 0 and the rounding error of a difference quotient scales with |f|, so the
//! error is measured against the scale of the function there (away from critical points this
//! is the plain max|ĝ − g| / max|g|).

use lossmap::diff::{central_gradient_n, hessian_n, hessian_richardson_n, richardson_gradient_n};
use lossmap::testfn::{Beale, ExpSinCos, Himmelblau, Rosenbrock};
use lossmap::{Objective, Real};

fn cases() -> Vec<(&'static str, [f64; 2])> {
    let mut v = vec![("Rosenbrock", Rosenbrock::START)];
    v.extend(Himmelblau::SADDLES.iter().map(|s| ("Himmelblau", *s)));
    v.push(("Beale", Beale::MINIMUM));
    v.push(("ExpSinCos", ExpSinCos::REFERENCE_POINT));
    v
}

fn eval<T: Real>(name: &str, x: &[T; 2]) -> (T, [T; 2], [[T; 2]; 2]) {
    fn go<T: Real, O: Objective<T, 2>>(mut o: O, x: &[T; 2]) -> (T, [T; 2], [[T; 2]; 2]) {
        let (mut g, mut h) = ([T::ZERO; 2], [[T::ZERO; 2]; 2]);
        o.gradient(x, &mut g).unwrap();
        o.hessian(x, &mut h).unwrap();
        (o.value(x), g, h)
    }
    match name {
        "Rosenbrock" => go(Rosenbrock, x),
        "Himmelblau" => go(Himmelblau, x),
        "Beale" => go(Beale, x),
        _ => go(ExpSinCos, x),
    }
}

fn value<T: Real>(name: &str, x: &[T; 2]) -> T {
    match name {
        "Rosenbrock" => Rosenbrock.value(x),
        "Himmelblau" => Himmelblau.value(x),
        "Beale" => Beale.value(x),
        _ => ExpSinCos.value(x),
    }
}

fn hess_err<T: Real>(a: &[[T; 2]; 2], b: &[[T; 2]; 2]) -> f64 {
    let (a, b) = (a.as_flattened(), b.as_flattened());
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.to_f64().abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (p, q)| m.max((p.to_f64() - q.to_f64()).abs()))
        / scale
}

fn grad_err<T: Real>(a: &[T; 2], b: &[T; 2], f: T) -> f64 {
    let scale = b
        .iter()
        .fold(f.to_f64().abs().max(1.0), |m, v| m.max(v.to_f64().abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (p, q)| m.max((p.to_f64() - q.to_f64()).abs()))
        / scale
}

#[test]
fn f64_hessians_meet_the_targets() {
    for (name, x) in cases() {
        let (_, _, h) = eval::<f64>(name, &x);
        let (mut hr, mut hp) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
        let er = hessian_richardson_n(|p: &[f64; 2]| value(name, p), &x, &mut hr).unwrap();
        let ep = hessian_n(|p: &[f64; 2]| value(name, p), &x, &mut hp).unwrap();
        assert!(
            er <= 4 * 4 + 4 * 2 + 1 && er == 13 && ep == 7,
            "evaluation counts {er} {ep}"
        );
        assert!(
            hess_err(&hr, &h) <= 1e-9,
            "{name} {x:?}: Richardson {:.1e}",
            hess_err(&hr, &h)
        );
        assert!(
            hess_err(&hp, &h) <= 1e-6,
            "{name} {x:?}: plain {:.1e}",
            hess_err(&hp, &h)
        );
    }
}

#[test]
fn f32_plain_hessian_meets_the_target() {
    for (name, x) in cases() {
        let x32 = x.map(|v| v as f32);
        let (_, _, h) = eval::<f32>(name, &x32);
        let mut hp = [[0.0f32; 2]; 2];
        hessian_n(|p: &[f32; 2]| value(name, p), &x32, &mut hp).unwrap();
        assert!(
            hess_err(&hp, &h) <= 2e-3,
            "{name} {x:?}: f32 plain {:.1e}",
            hess_err(&hp, &h)
        );
    }
}

#[test]
fn f64_gradients_meet_the_targets() {
    for (name, x) in cases() {
        let (f, g, _) = eval::<f64>(name, &x);
        let (mut gc, mut gr) = ([0.0; 2], [0.0; 2]);
        assert_eq!(
            central_gradient_n(|p: &[f64; 2]| value(name, p), &x, &mut gc).unwrap(),
            4
        );
        assert_eq!(
            richardson_gradient_n(|p: &[f64; 2]| value(name, p), &x, &mut gr).unwrap(),
            8
        );
        assert!(
            grad_err(&gc, &g, f) <= 1e-9,
            "{name} {x:?}: central {:.1e}",
            grad_err(&gc, &g, f)
        );
        assert!(
            grad_err(&gr, &g, f) <= 1e-11,
            "{name} {x:?}: Richardson {:.1e}",
            grad_err(&gr, &g, f)
        );
    }
}
