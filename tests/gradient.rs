//! Central-difference gradients against the analytic gradients of the test landscapes, within
//! the method's error bound: per coordinate `h²/6·|∂³f/∂xᵢ³|` (truncation, Nocedal & Wright
//! §8.1) plus `c·ε·max(|f|, 1)/h` (rounding), with `h = ε^{1/3}·max(|xᵢ|, 1)`.

use lossmap::diff::{central_gradient_n, central_step};
use lossmap::testfn::{Himmelblau, Rosenbrock};
use lossmap::{Counted, Objective, Real};
use proptest::prelude::*;

/// Checks the finite-difference gradient of `o` at `x` against its analytic gradient, given
/// the pure third derivatives `third` at `x`.
fn within_bound<T: Real, O: Objective<T, 2> + Copy>(
    o: O,
    x: [T; 2],
    third: [f64; 2],
) -> Result<(), TestCaseError> {
    let (mut fd, mut exact) = ([T::ZERO; 2], [T::ZERO; 2]);
    let evals = central_gradient_n(|p: &[T; 2]| o.clone().value(p), &x, &mut fd).unwrap();
    prop_assert_eq!(evals, 4);
    o.clone().gradient(&x, &mut exact).unwrap();
    let f = o.clone().value(&x).abs().to_f64().max(1.0);
    let eps = T::EPSILON_R.to_f64();
    for i in 0..2 {
        let h = central_step(x[i]).to_f64();
        let bound = 1.5 * h * h / 6.0 * third[i].abs() + 64.0 * eps * f / h;
        let err = (fd[i].to_f64() - exact[i].to_f64()).abs();
        prop_assert!(
            err <= bound,
            "{} at {:?}, i = {}: fd {:?} exact {:?} err {:.2e} bound {:.2e}",
            T::NAME,
            x,
            i,
            fd[i],
            exact[i],
            err,
            bound
        );
    }
    Ok(())
}

proptest! {
    // Rosenbrock: ∂³f/∂x³ = 2400x, ∂³f/∂y³ = 0. Himmelblau: 24x and 24y.
    #[test]
    fn rosenbrock_f64(a in -2.0f64..2.0, b in -1.0f64..3.0) {
        within_bound(Rosenbrock, [a, b], [2400.0 * a, 0.0])?;
    }

    #[test]
    fn rosenbrock_f32(a in -2.0f32..2.0, b in -1.0f32..3.0) {
        within_bound(Rosenbrock, [a, b], [2400.0 * a as f64, 0.0])?;
    }

    #[test]
    fn himmelblau_f64(a in -5.0f64..5.0, b in -5.0f64..5.0) {
        within_bound(Himmelblau, [a, b], [24.0 * a, 24.0 * b])?;
    }

    #[test]
    fn himmelblau_f32(a in -5.0f32..5.0, b in -5.0f32..5.0) {
        within_bound(Himmelblau, [a, b], [24.0 * a as f64, 24.0 * b as f64])?;
    }
}

#[test]
fn f64_relative_error_at_the_classic_start_is_near_eps_two_thirds() {
    // At (−1.2, 1) the relative error max|ĝ − g| / max|g| must be ≲ 1e-9 (ε^{2/3} ≈ 4e-11
    // times the third-derivative constant).
    let x = Rosenbrock::START;
    let (mut fd, mut exact) = ([0.0; 2], [0.0; 2]);
    central_gradient_n(|p: &[f64; 2]| Rosenbrock.value(p), &x, &mut fd).unwrap();
    Rosenbrock.gradient(&x, &mut exact).unwrap();
    let rel = fd
        .iter()
        .zip(exact)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
        / 215.6;
    assert!(rel < 1e-9, "relative error {rel:.2e}");
    assert!((exact[0] + 215.6).abs() < 1e-12 && (exact[1] + 88.0).abs() < 1e-12);
}

#[test]
fn gradient_vanishes_at_known_critical_points() {
    let mut g = [0.0f64; 2];
    Rosenbrock.gradient(&Rosenbrock::MINIMUM, &mut g).unwrap();
    assert_eq!(g, [0.0, 0.0]);
    for p in Himmelblau::MINIMA
        .iter()
        .chain(&Himmelblau::SADDLES)
        .chain([&Himmelblau::MAXIMUM])
    {
        Himmelblau.gradient(p, &mut g).unwrap();
        assert!(g.iter().all(|v| v.abs() < 1e-12), "∇f{p:?} = {g:?}");
    }
    for p in &Himmelblau::MINIMA {
        assert!(
            Himmelblau.value(p) < 1e-25,
            "f{p:?} = {}",
            Himmelblau.value(p)
        );
    }
}

#[test]
fn counted_objective_counts_finite_difference_evaluations() {
    let mut c = Counted::new(|x: &[f64; 3]| x[0] * x[1] * x[2]);
    let mut g = [0.0; 3];
    let used = c.gradient(&[1.0, 2.0, 3.0], &mut g).unwrap();
    assert_eq!((used, c.values, c.gradients), (6, 6, 1));
    // ∇(xyz) = (yz, xz, xy)
    for (got, want) in g.iter().zip([6.0, 3.0, 2.0]) {
        assert!((got - want).abs() < 1e-9);
    }
}
