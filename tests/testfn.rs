//! The test-landscape zoo against independent values: critical points refined outside lossmap
//! (tests/reference/landscapes.py, critical_points.py) and published minima, analytic
//! derivatives against finite differences within their error bounds, closed-form Hessians and
//! spectra, and values worked out by hand.

#[path = "common/micromath_trig.rs"]
mod micromath_trig;

use core::f64::consts::{E, PI};
use lossmap::diff::{
    central_gradient_n, central_step, hessian_richardson_n, richardson_hessian_step,
};
use lossmap::linalg::SymEigen;
use lossmap::testfn::{
    Ackley, Beale, Booth, Easom, ExpSinCos, Himmelblau, Quadratic, Rastrigin, Rosenbrock,
    RosenbrockN, SixHumpCamel, StyblinskiTang, TwoRate,
};
use lossmap::{Error, Objective, Real};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn grad<O: Objective<f64, N>, const N: usize>(o: &mut O, x: &[f64; N]) -> [f64; N] {
    let mut g = [f64::NAN; N];
    assert_eq!(o.gradient(x, &mut g), Ok(0), "analytic gradient at {x:?}");
    g
}

fn hess<O: Objective<f64, N>, const N: usize>(o: &mut O, x: &[f64; N]) -> [[f64; N]; N] {
    let mut h = [[f64::NAN; N]; N];
    assert_eq!(o.hessian(x, &mut h), Ok(0), "analytic Hessian at {x:?}");
    h
}

fn norm_inf(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, a| m.max(a.abs()))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Minimum,
    Saddle(usize),
    Maximum,
}

/// Checks a listed critical point: ‖∇f‖∞ ≤ 1e-10 (the coordinates are the nearest doubles, so
/// ∇f ≈ H·δ with |δ| ≲ 1e-16·|x|, plus rounding in ∇f itself, ≲ 1e-13 for every point here),
/// `f` equal to the listed value to 1e-13 relative (a few ulp of the largest term), and the
/// signs of the Hessian eigenvalues.
fn check_critical<O: Objective<f64, N>, const N: usize>(
    o: &mut O,
    name: &str,
    x: &[f64; N],
    value: f64,
    kind: Kind,
) {
    let g = grad(o, x);
    assert!(norm_inf(&g) <= 1e-10, "{name} at {x:?}: gradient {g:?}");
    let f = o.value(x);
    assert!(
        (f - value).abs() <= 1e-13 * value.abs().max(1.0),
        "{name} at {x:?}: f = {f:e}, listed {value:e}"
    );
    let e = SymEigen::new(&hess(o, x)).unwrap();
    let negative = e.values.iter().filter(|&&v| v < 0.0).count();
    let zero = e.values.iter().filter(|&&v| v == 0.0).count();
    assert_eq!(zero, 0, "{name} at {x:?}: singular Hessian {:?}", e.values);
    let got = match negative {
        0 => Kind::Minimum,
        k if k == N => Kind::Maximum,
        k => Kind::Saddle(k),
    };
    assert_eq!(got, kind, "{name} at {x:?}: eigenvalues {:?}", e.values);
}

// ---------------------------------------------------------------------------------------------
// 1. Listed critical points
// ---------------------------------------------------------------------------------------------

#[test]
fn rosenbrock_and_himmelblau_points() {
    check_critical(
        &mut Rosenbrock,
        "Rosenbrock",
        &Rosenbrock::MINIMUM,
        Rosenbrock::MIN_VALUE,
        Kind::Minimum,
    );
    for m in &Himmelblau::MINIMA {
        // The listed minima carry 15 decimals (critical_points.py), so f ≈ ½δᵀHδ ≲ 1e-26.
        check_critical(&mut Himmelblau, "Himmelblau", m, 0.0, Kind::Minimum);
    }
    for (s, &v) in Himmelblau::SADDLES.iter().zip(&Himmelblau::SADDLE_VALUES) {
        check_critical(&mut Himmelblau, "Himmelblau", s, v, Kind::Saddle(1));
    }
    check_critical(
        &mut Himmelblau,
        "Himmelblau",
        &Himmelblau::MAXIMUM,
        Himmelblau::MAX_VALUE,
        Kind::Maximum,
    );
}

#[test]
fn rosenbrock_n_points() {
    fn global<const N: usize>() {
        check_critical(
            &mut RosenbrockN::<N>,
            "RosenbrockN",
            &RosenbrockN::<N>::MINIMUM,
            0.0,
            Kind::Minimum,
        );
    }
    global::<2>();
    global::<3>();
    global::<4>();
    global::<10>();
    fn local<const N: usize>() {
        let (x, f) = RosenbrockN::<N>::local_minimum().unwrap();
        check_critical(&mut RosenbrockN::<N>, "RosenbrockN", &x, f, Kind::Minimum);
        // Near (−1, 1, …, 1), as published (Shang & Qiu 2006).
        assert!(x[0] < -0.7 && x[1..].iter().all(|&v| v > 0.1), "{x:?}");
    }
    local::<4>();
    local::<5>();
    local::<6>();
    local::<7>();
    // Each lies below the value 4 of its start (−1, 1, …, 1) (see hand_worked_values).
    for f in [
        RosenbrockN::<4>::LOCAL_MIN_VALUE_4,
        RosenbrockN::<5>::LOCAL_MIN_VALUE_5,
        RosenbrockN::<6>::LOCAL_MIN_VALUE_6,
        RosenbrockN::<7>::LOCAL_MIN_VALUE_7,
    ] {
        assert!(f > 3.7 && f < 4.0);
    }
    assert!(RosenbrockN::<3>::local_minimum().is_none());
    assert!(RosenbrockN::<8>::local_minimum().is_none());
}

#[test]
fn rastrigin_ackley_styblinski_tang_points() {
    fn rastrigin<const N: usize>() {
        check_critical(
            &mut Rastrigin::<N>,
            "Rastrigin",
            &Rastrigin::<N>::MINIMUM,
            0.0,
            Kind::Minimum,
        );
        let (x, f) = Rastrigin::<N>::first_local_minimum();
        check_critical(&mut Rastrigin::<N>, "Rastrigin", &x, f, Kind::Minimum);
        let (x, f) = Rastrigin::<N>::first_saddle();
        let kind = if N == 1 {
            Kind::Maximum
        } else {
            Kind::Saddle(1)
        };
        check_critical(&mut Rastrigin::<N>, "Rastrigin", &x, f, kind);
    }
    rastrigin::<1>();
    rastrigin::<2>();
    rastrigin::<5>();
    // The well-known 1-D local minimum of Rastrigin: x ≈ 0.994959, f ≈ 0.994959.
    assert!((Rastrigin::<1>::LOCAL_MIN_COORDINATE - 0.994959).abs() < 1e-6);

    // Ackley: the minimum is the tip of a cone (no Hessian), so only value and gradient.
    assert_eq!(
        Ackley::<1>.value(&Ackley::<1>::MINIMUM),
        Ackley::<1>::MIN_VALUE
    );
    assert_eq!(Ackley::<7>.value(&Ackley::<7>::MINIMUM), 0.0);
    assert_eq!(grad(&mut Ackley::<2>, &Ackley::<2>::MINIMUM), [0.0; 2]);

    fn styblinski<const N: usize>() {
        let mut o = StyblinskiTang::<N>;
        let min = StyblinskiTang::<N>::MINIMUM;
        let local = StyblinskiTang::<N>::HIGHEST_LOCAL_MINIMUM;
        let max = StyblinskiTang::<N>::MAXIMUM;
        let (fmin, flocal, fmax) = (
            StyblinskiTang::<N>::MIN_VALUE,
            StyblinskiTang::<N>::HIGHEST_LOCAL_MIN_VALUE,
            StyblinskiTang::<N>::MAX_VALUE,
        );
        check_critical(&mut o, "ST", &min, fmin, Kind::Minimum);
        check_critical(&mut o, "ST", &local, flocal, Kind::Minimum);
        check_critical(&mut o, "ST", &max, fmax, Kind::Maximum);
        // The published minimum (Surjanovic & Bingham list −39.16599·N; the often-quoted
        // −39.16616570377142·N at −2.903534027771178 is one ulp from the refined constants).
        let n = N as f64;
        assert!((fmin - -39.16616570377142 * n).abs() < 1e-12 * n);
        assert!((fmin - -39.16599 * n).abs() < 2e-4 * n);
        assert!((StyblinskiTang::<N>::MIN_COORDINATE - -2.903534027771178).abs() < 1e-15);
    }
    styblinski::<1>();
    styblinski::<2>();
    styblinski::<6>();
    // A saddle: one coordinate at the maximum, the rest at the minimum.
    let x = [
        StyblinskiTang::<2>::MAX_COORDINATE,
        StyblinskiTang::<2>::MIN_COORDINATE,
    ];
    let v = StyblinskiTang::<2>::MAX_COORDINATE_VALUE + StyblinskiTang::<2>::MIN_COORDINATE_VALUE;
    check_critical(&mut StyblinskiTang::<2>, "ST", &x, v, Kind::Saddle(1));
}

#[test]
fn two_dimensional_points() {
    check_critical(&mut Beale, "Beale", &Beale::MINIMUM, 0.0, Kind::Minimum);
    for (s, &v) in Beale::SADDLES.iter().zip(&Beale::SADDLE_VALUES) {
        check_critical(&mut Beale, "Beale", s, v, Kind::Saddle(1));
    }
    check_critical(&mut Booth, "Booth", &Booth::MINIMUM, 0.0, Kind::Minimum);

    let mut camel = SixHumpCamel;
    for m in &SixHumpCamel::MINIMA {
        check_critical(
            &mut camel,
            "camel",
            m,
            SixHumpCamel::MIN_VALUE,
            Kind::Minimum,
        );
    }
    // Published (Dixon & Szegő 1978; Surjanovic & Bingham): ±(0.0898, −0.7126), −1.0316.
    assert!((SixHumpCamel::MIN_VALUE - -1.031628453489877).abs() < 1e-15);
    assert!((SixHumpCamel::MINIMA[0][0] - 0.0898420131003).abs() < 1e-13);
    assert!((SixHumpCamel::MINIMA[0][1] - -0.7126564030207).abs() < 1e-13);
    for (m, &v) in SixHumpCamel::LOCAL_MINIMA
        .iter()
        .zip(&SixHumpCamel::LOCAL_MIN_VALUES)
    {
        check_critical(&mut camel, "camel", m, v, Kind::Minimum);
        assert!(v > SixHumpCamel::MIN_VALUE);
    }
    for (s, &v) in SixHumpCamel::SADDLES
        .iter()
        .zip(&SixHumpCamel::SADDLE_VALUES)
    {
        check_critical(&mut camel, "camel", s, v, Kind::Saddle(1));
    }
    for m in &SixHumpCamel::MAXIMA {
        check_critical(
            &mut camel,
            "camel",
            m,
            SixHumpCamel::MAX_VALUE,
            Kind::Maximum,
        );
    }
    // Morse count for a coercive function on ℝ² with non-degenerate critical points:
    // #minima − #saddles + #maxima = χ(ℝ²) = 1 (a necessary condition for a complete list).
    let minima = SixHumpCamel::MINIMA.len() + SixHumpCamel::LOCAL_MINIMA.len();
    assert_eq!(
        minima + SixHumpCamel::MAXIMA.len(),
        SixHumpCamel::SADDLES.len() + 1
    );
    let hb = Himmelblau::MINIMA.len() + 1; // + the maximum
    assert_eq!(hb, Himmelblau::SADDLES.len() + 1);

    // Easom: sin(π) in f64 is 1.2e-16, so the gradient there is ~1e-16, not 0.
    check_critical(&mut Easom, "Easom", &Easom::MINIMUM, -1.0, Kind::Minimum);
}

#[test]
fn two_rate_line_of_minima() {
    let mut m = TwoRate::<f64>::new(1.3).unwrap();
    for k1 in [-2.0, 0.0, 0.4, 1.3, 5.0] {
        // k₁ + (S − k₁) may differ from S by an ulp: residuals ≲ 4·ε·t·e^{−St}.
        let x = m.minimum(k1);
        assert!(m.value(&x) < 1e-30, "{x:?}");
        assert!(norm_inf(&grad(&mut m, &x)) < 1e-15, "{x:?}");
    }
    assert_eq!(m.value(&m.minimum(0.4)), TwoRate::<f64>::MIN_VALUE);
}

// ---------------------------------------------------------------------------------------------
// 2. Analytic derivatives against finite differences
// ---------------------------------------------------------------------------------------------

/// Bounds for the finite-difference comparison on a sampling box. `fscale` is the largest
/// rounding error of `f` on the box in units of ε (the size of the terms it sums and of the
/// cancellations inside them), where that exceeds `|f|`.
#[derive(Clone, Copy)]
struct Bounds {
    /// Largest |∂³f/∂xᵢ³| on the box (central-difference truncation).
    m3: f64,
    /// Largest |sixth partial derivative| on the box (Richardson-Hessian truncation).
    m6: f64,
    /// Rounding error of `f` on the box, in units of ε (at least 1).
    fscale: f64,
}

/// Central-difference gradient vs analytic gradient, coordinate by coordinate, within
/// `2·h²/6·m3` (truncation; Nocedal & Wright §8.1; factor 2 for the third derivative varying
/// over `[x − h, x + h]`) plus `64·ε·F/h` (rounding of the two values, each off by a few ulp of
/// the largest term `F`), `h = central_step(xᵢ) ≈ 6e-6·max(|xᵢ|, 1)`.
///
/// Richardson Hessian vs analytic Hessian within `0.06·h⁴·m6` (truncation: the `h⁴` term of
/// the plain scheme is at most `62·2/720/2·h⁴·m6 ≈ 0.086 h⁴ m6` for a mixed entry and
/// `h⁴/360·m6` on the diagonal, and the extrapolation `(4H(h/2) − H(h))/3` scales it by 1/4;
/// doubled for safety) plus `256·ε·F/(hᵢhⱼ)` (rounding: 6 values of size `F` over
/// `2(hᵢ/2)(hⱼ/2)`, amplified 5/3 by the extrapolation), `h = richardson_hessian_step(x) ≈
/// 4.9e-3·max(|x|, 1)`.
fn check_derivatives<O: Objective<f64, N> + Copy, const N: usize>(
    o: O,
    x: [f64; N],
    b: Bounds,
) -> Result<(), TestCaseError> {
    let eps = f64::EPSILON;
    let f = o.clone().value(&x);
    prop_assume!(f.is_finite());
    let big_f = f.abs().max(b.fscale).max(1.0);

    let (mut fd, mut g) = ([0.0; N], [0.0; N]);
    central_gradient_n(|p: &[f64; N]| o.clone().value(p), &x, &mut fd).unwrap();
    prop_assert_eq!(o.clone().gradient(&x, &mut g), Ok(0));
    for i in 0..N {
        let h = central_step(x[i]);
        let bound = 2.0 * h * h / 6.0 * b.m3 + 64.0 * eps * big_f / h;
        let err = (fd[i] - g[i]).abs();
        prop_assert!(
            err <= bound,
            "gradient at {:?}, i = {}: fd {:e} analytic {:e}, err {:.2e} > bound {:.2e}",
            x,
            i,
            fd[i],
            g[i],
            err,
            bound
        );
    }

    let (mut hfd, mut h) = ([[0.0; N]; N], [[0.0; N]; N]);
    hessian_richardson_n(|p: &[f64; N]| o.clone().value(p), &x, &mut hfd).unwrap();
    prop_assert_eq!(o.clone().hessian(&x, &mut h), Ok(0));
    let steps: [f64; N] = core::array::from_fn(|i| richardson_hessian_step(x[i]));
    let hmax = steps.iter().fold(0.0f64, |m, &s| m.max(s));
    for i in 0..N {
        for j in 0..N {
            prop_assert_eq!(h[i][j], h[j][i], "analytic Hessian not symmetric");
            let bound = 0.06 * hmax.powi(4) * b.m6 + 256.0 * eps * big_f / (steps[i] * steps[j]);
            let err = (hfd[i][j] - h[i][j]).abs();
            prop_assert!(
                err <= bound,
                "Hessian at {:?}, ({}, {}): fd {:e} analytic {:e}, err {:.2e} > bound {:.2e}",
                x,
                i,
                j,
                hfd[i][j],
                h[i][j],
                err,
                bound
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    // ∂³f/∂x³ = 2400x, ∂³f/∂y³ = 0; degree 4, so no sixth derivatives. Rounding: v = y − x²
    // is off by ε·max(|y|, x²) ≤ 4ε, which moves 100v² by 800|v|ε ≲ 1e3·ε even where f is
    // small (near the valley floor).
    #[test]
    fn rosenbrock(a in -2.0f64..2.0, b in -1.0f64..3.0) {
        check_derivatives(Rosenbrock, [a, b], Bounds { m3: 4800.0, m6: 0.0, fscale: 1e3 })?;
    }

    // ∂³f/∂x³ = 24x, ∂³f/∂y³ = 24y; degree 4. Rounding: u = x² + y − 11 is off by
    // ≲ 41ε, which moves u² by 2|u|·41ε ≲ 3.4e3·ε (same for v).
    #[test]
    fn himmelblau(x in proptest::array::uniform2(-5.0f64..5.0)) {
        check_derivatives(Himmelblau, x, Bounds { m3: 120.0, m6: 0.0, fscale: 7e3 })?;
    }

    // ∂³f/∂xᵢ³ = 2400xᵢ (i < N), 0 for the last; degree 4. Rounding as for Rosenbrock, three
    // links.
    #[test]
    fn rosenbrock_n(x in proptest::array::uniform4(-2.0f64..2.0)) {
        check_derivatives(RosenbrockN::<4>, x, Bounds { m3: 4800.0, m6: 0.0, fscale: 3e3 })?;
    }

    // ∂³f/∂xᵢ³ = −80π³ sin 2πxᵢ (≤ 2481), ∂⁶f/∂xᵢ⁶ = −10(2π)⁶ cos 2πxᵢ (≤ 6.2e5); no mixed
    // derivatives. Rounding: πxᵢ is off by ≲ 3πε, which moves 20 sin²(πxᵢ) by ≲ 20·3πε
    // ≈ 190ε per coordinate.
    #[test]
    fn rastrigin(x in proptest::array::uniform4(-3.0f64..3.0)) {
        check_derivatives(Rastrigin::<4>, x, Bounds { m3: 2481.0, m6: 6.2e5, fscale: 800.0 })?;
    }

    // Kept away from the cone tip at 0 (r ≥ 0.25): there the cone a(1 − e^{−br}) has
    // derivatives of order k up to ≈ a·b·k!/r^{k−1}/√N (≈ 200 for k = 3, 4e5 for k = 6), the
    // ripple −e^{C/N} up to ≈ e·c^k·(combinatorial ≤ 10)/N (≈ 1.1e3 for k = 3, 4e5 for k = 6).
    // Terms of size a + e.
    #[test]
    fn ackley(x in proptest::array::uniform4(-3.0f64..3.0)) {
        let r = (x.iter().map(|v| v * v).sum::<f64>() / 4.0).sqrt();
        prop_assume!(r >= 0.25);
        check_derivatives(Ackley::<4>, x, Bounds { m3: 2e3, m6: 1e6, fscale: 25.0 })?;
    }

    // ∂³f/∂xᵢ³ = 12xᵢ; degree 4. Terms ½(x⁴ + 16x² + 5|x|) ≤ 525 per coordinate.
    #[test]
    fn styblinski_tang(x in proptest::array::uniform4(-5.0f64..5.0)) {
        check_derivatives(StyblinskiTang::<4>, x, Bounds { m3: 60.0, m6: 0.0, fscale: 2100.0 })?;
    }

    // On [−2, 2]²: f is quadratic in x; ∂³f/∂y³ ≤ 120x²|y|³ + 24x²|y| + lower ≈ 4.1e3 (from the
    // x²y⁶ and x²y⁴ terms); the sixth derivatives come from x²y⁶: 720x² and 720y²·… ≤ 3e3,
    // with the cross terms ≤ 1e4. Terms up to (2.625 + 2 + 16)² ≈ 425.
    #[test]
    fn beale(x in proptest::array::uniform2(-2.0f64..2.0)) {
        check_derivatives(Beale, x, Bounds { m3: 5e3, m6: 1e4, fscale: 1e3 })?;
    }

    // Quadratic: no third derivatives; the Richardson scheme is exact up to rounding. The
    // residuals u, v (≤ 37) are off by ≲ 37ε, which moves u² by ≲ 2·37·37ε ≈ 2.7e3·ε.
    #[test]
    fn booth(x in proptest::array::uniform2(-10.0f64..10.0)) {
        check_derivatives(Booth, x, Bounds { m3: 0.0, m6: 0.0, fscale: 5e3 })?;
    }

    // ∂³f/∂x³ = −50.4x + 40x³ (≤ 930 on |x| ≤ 3), ∂³f/∂y³ = 96y (≤ 192); ∂⁶f/∂x⁶ = 240.
    // Terms up to x⁶/3 + 2.1x⁴ + … ≈ 535.
    #[test]
    fn six_hump_camel(a in -3.0f64..3.0, b in -2.0f64..2.0) {
        check_derivatives(SixHumpCamel, [a, b], Bounds { m3: 1000.0, m6: 240.0, fscale: 600.0 })?;
    }

    // Near the hole, [0, 6]²: by Leibniz, derivatives of cos·Gaussian are bounded by
    // Σₖ C(n, k)·max|dᵏe^{−a²}/daᵏ| (1, 0.86, 2, 3.7, 12, 26, 120 for k = 0…6): ≤ 17 for
    // n = 3, ≤ 630 for n = 6 (pure or mixed: the variables separate).
    #[test]
    fn easom(x in proptest::array::uniform2(0.0f64..6.0)) {
        check_derivatives(Easom, x, Bounds { m3: 20.0, m6: 1e3, fscale: 1.0 })?;
    }

    // ℓ(s) = (1/M) Σ (y − d)², y = e^{−st}, t ∈ {0.5, …, 4}, s ∈ [0, 3]:
    // |d³(y − d)²/ds³| ≤ 8t³ → m3 ≤ (8/8)·Σt³ = 162; |d⁶(y − d)²/ds⁶| ≤ 66t⁶ → m6 ≤
    // (66/8)·Σt⁶ ≈ 4.9e4 (every partial in k₁, k₂ is the same s-derivative).
    #[test]
    fn two_rate(x in proptest::array::uniform2(0.0f64..1.5)) {
        let m = TwoRate::<f64>::new(1.3).unwrap();
        check_derivatives(m, x, Bounds { m3: 200.0, m6: 5e4, fscale: 1.0 })?;
    }

    // On [−2, 2]²: ∂³f/∂x³ = eˣ sin y + y³ sin xy, ∂³f/∂y³ = −eˣ cos y + x³ sin xy (≤ 15.4);
    // sixth partials ≤ e² + (|x| + |y|)⁶-ish terms of cos xy, ≤ 1e4. Terms ≤ e² + 1.
    #[test]
    fn exp_sin_cos(x in proptest::array::uniform2(-2.0f64..2.0)) {
        check_derivatives(ExpSinCos, x, Bounds { m3: 16.0, m6: 1e4, fscale: 10.0 })?;
    }

    // Quadratic: exact schemes up to rounding. The rotated coordinates qₖ·(x − c) (≤ 9) are
    // off by ≲ 3·9ε, which moves ½·10·p² by ≲ 10·9·27ε ≈ 2.4e3·ε.
    #[test]
    fn quadratic(x in proptest::array::uniform3(-3.0f64..3.0)) {
        let q = Quadratic::rotated([1e-6, 1.0, 10.0], [1.0, -2.0, 0.5]).unwrap();
        check_derivatives(q, x, Bounds { m3: 0.0, m6: 0.0, fscale: 3e3 })?;
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Closed forms
// ---------------------------------------------------------------------------------------------

#[test]
fn six_hump_camel_origin_is_a_saddle_with_eigenvalues_plus_minus_sqrt_65() {
    let h = hess(&mut SixHumpCamel, &[0.0, 0.0]);
    assert_eq!(h, [[8.0, 1.0], [1.0, -8.0]]);
    let e = SymEigen::new(&h).unwrap();
    let r = 65f64.sqrt();
    assert!(
        (e.values[0] + r).abs() < 1e-14 && (e.values[1] - r).abs() < 1e-14,
        "{e:?}"
    );
}

#[test]
fn rosenbrock_hessian_at_the_minimum() {
    assert_eq!(
        hess(&mut Rosenbrock, &[1.0, 1.0]),
        [[802.0, -400.0], [-400.0, 200.0]]
    );
    // Same as the chained form for N = 2, everywhere (both are the same polynomial).
    // (Summed in a different order: equal to rounding.)
    for x in [[1.0, 1.0], [-1.2, 1.0], [0.3, -0.7]] {
        let (h, hn) = (hess(&mut Rosenbrock, &x), hess(&mut RosenbrockN::<2>, &x));
        for (a, b) in h.as_flattened().iter().zip(hn.as_flattened()) {
            assert!((a - b).abs() <= 1e-13 * a.abs().max(1.0), "{h:?} vs {hn:?}");
        }
        let (g, gn) = (grad(&mut Rosenbrock, &x), grad(&mut RosenbrockN::<2>, &x));
        for (a, b) in g.iter().zip(&gn) {
            assert!((a - b).abs() <= 1e-13 * a.abs().max(1.0), "{g:?} vs {gn:?}");
        }
        assert!((Rosenbrock.value(&x) - RosenbrockN::<2>.value(&x)).abs() < 1e-13);
    }
    // Eigenvalues 501 ∓ √250601.
    let e = SymEigen::new(&hess(&mut Rosenbrock, &[1.0, 1.0])).unwrap();
    let d = 250_601f64.sqrt();
    assert!((e.values[0] - (501.0 - d)).abs() < 1e-12 && (e.values[1] - (501.0 + d)).abs() < 1e-12);
}

#[test]
fn himmelblau_hessian_closed_form() {
    // [[12x² + 4y − 42, 4x + 4y], [4x + 4y, 4x + 12y² − 26]] at (1, −1): [[−34, 0], [0, −10]].
    assert_eq!(
        hess(&mut Himmelblau, &[1.0, -1.0]),
        [[-34.0, 0.0], [0.0, -10.0]]
    );
}

#[test]
fn quadratic_spectrum_is_the_chosen_one() {
    fn sorted<const N: usize>(mut v: [f64; N]) -> [f64; N] {
        v.sort_by(f64::total_cmp);
        v
    }
    let lambda = [10.0, 1e-6, 1.0];
    let c = [1.0, -2.0, 0.5];
    for q in [
        Quadratic::axis_aligned(lambda, c).unwrap(),
        Quadratic::rotated(lambda, c).unwrap(),
        Quadratic::reflected(lambda, c, [0.3, -1.0, 2.0]).unwrap(),
    ] {
        let mut q = q;
        let e = SymEigen::new(&hess(&mut q, &[0.0; 3])).unwrap();
        for (got, want) in e.values.iter().zip(sorted(lambda)) {
            assert!(
                (got - want).abs() <= 1e-14 * 10.0,
                "{:?} vs {lambda:?}",
                e.values
            );
        }
        // The listed eigenvectors: A qₖ = λₖ qₖ, unit length, orthogonal.
        let a = *q.matrix();
        for (k, (v, &l)) in q.eigenvectors().iter().zip(q.eigenvalues()).enumerate() {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i][j] * v[j]).sum();
                assert!((av - l * v[i]).abs() < 1e-13, "k = {k}");
            }
            for (m, w) in q.eigenvectors().iter().enumerate() {
                let d: f64 = v.iter().zip(w).map(|(a, b)| a * b).sum();
                assert!((d - if k == m { 1.0 } else { 0.0 }).abs() < 4e-15);
            }
        }
        // Minimum at c, value 0; value = ½ dᵀAd; gradient Ad.
        assert_eq!(q.value(&c), 0.0);
        assert_eq!(grad(&mut q, &c), [0.0; 3]);
        let x = [0.2, 0.4, -1.1];
        let d: [f64; 3] = core::array::from_fn(|i| x[i] - c[i]);
        let ad: [f64; 3] = core::array::from_fn(|i| (0..3).map(|j| a[i][j] * d[j]).sum());
        let quad: f64 = 0.5 * d.iter().zip(&ad).map(|(p, q)| p * q).sum::<f64>();
        assert!((q.value(&x) - quad).abs() < 1e-14 * quad);
        for (gi, ai) in grad(&mut q, &x).iter().zip(&ad) {
            assert!((gi - ai).abs() < 1e-14);
        }
    }
    // The rotated bowl mixes every coordinate: no eigenvector is an axis.
    let q = Quadratic::rotated(lambda, c).unwrap();
    assert!(q.eigenvectors().iter().flatten().all(|v| v.abs() > 0.05));
    assert!(q.matrix().iter().flatten().all(|v| v.abs() > 1e-3));
    // The flat direction keeps its value to full precision: f(c + t·q_flat) = ½·1e-6·t².
    let flat = q.eigenvectors()[1];
    let x: [f64; 3] = core::array::from_fn(|i| c[i] + 2.0 * flat[i]);
    let mut q = q;
    assert!(
        (q.value(&x) - 2e-6).abs() < 1e-12 * 2e-6 + 1e-20,
        "{}",
        q.value(&x)
    );

    // Condition number.
    for rotated in [false, true] {
        let mut q = Quadratic::<f64, 4>::with_condition(1e3, [0.0; 4], rotated).unwrap();
        let e = SymEigen::new(&hess(&mut q, &[0.0; 4])).unwrap();
        assert!((e.condition_number() - 1e3).abs() < 1e-8, "{:?}", e.values);
        // Geometric spacing: 1, 10, 100, 1000.
        for (got, want) in e.values.iter().zip([1.0, 10.0, 100.0, 1000.0]) {
            assert!((got - want).abs() < 1e-11 * want);
        }
    }
    assert_eq!(
        Quadratic::<f64, 1>::with_condition(1.0, [2.0], false)
            .unwrap()
            .eigenvalues(),
        &[1.0]
    );

    // A saddle from a negative eigenvalue.
    let mut q = Quadratic::rotated([-2.0, 3.0], [0.0; 2]).unwrap();
    let e = SymEigen::new(&hess(&mut q, &[5.0, 5.0])).unwrap();
    assert!((e.values[0] + 2.0).abs() < 1e-15 && (e.values[1] - 3.0).abs() < 1e-15);

    // Default: the unit bowl ½‖x‖².
    let mut q = Quadratic::<f32, 3>::default();
    assert_eq!(q.value(&[1.0, 2.0, 2.0]), 4.5);
}

#[test]
fn quadratic_rejects_bad_input() {
    let nan = f64::NAN;
    assert_eq!(
        Quadratic::axis_aligned([nan, 1.0], [0.0; 2]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        Quadratic::rotated([f64::INFINITY, 1.0], [0.0; 2]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        Quadratic::rotated([1.0, 1.0], [0.0, nan]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        Quadratic::reflected([1.0, 1.0], [0.0; 2], [0.0; 2]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        Quadratic::reflected([1.0, 1.0], [0.0; 2], [nan, 1.0]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        Quadratic::<f64, 2>::with_condition(0.5, [0.0; 2], true),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        Quadratic::<f64, 2>::with_condition(nan, [0.0; 2], true),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        Quadratic::<f64, 1>::with_condition(10.0, [0.0], true),
        Err(Error::InvalidParameter)
    );
    assert_eq!(Quadratic::<f64, 0>::axis_aligned([], []), Err(Error::Empty));
    // An overflowing gradient is an error (A is orthogonally similar to diag(λ), so building
    // it cannot overflow beyond rounding).
    let mut q = Quadratic::rotated([1e10, 1.0], [0.0; 2]).unwrap();
    let mut g = [3.0; 2];
    assert_eq!(
        q.gradient(&[1e300, -1e300], &mut g),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(g, [3.0; 2]);
    // A huge or tiny reflection vector is fine (scaled before squaring).
    let a = Quadratic::reflected([1.0, 2.0], [0.0; 2], [1e-300, 1e-300]).unwrap();
    let b = Quadratic::reflected([1.0, 2.0], [0.0; 2], [1e300, 1e300]).unwrap();
    assert_eq!(a, b);
}

#[test]
fn two_rate_hessian_has_one_flat_direction() {
    let mut m = TwoRate::<f64>::new(1.3).unwrap();
    let s = 0.5f64.sqrt();
    // The non-zero eigenvalue on the line, from the closed form (4/M) Σ t² e^{−2St}, written out.
    let want = 4.0 / 8.0
        * (1..=8)
            .map(|j| {
                let t = 0.5 * j as f64;
                t * t * (-2.0 * 1.3 * t).exp()
            })
            .sum::<f64>();
    assert!((m.curvature_along_sum() - want).abs() < 1e-15 * want);
    for x in [m.minimum(0.4), m.minimum(-3.0), m.minimum(1.3)] {
        let e = SymEigen::new(&hess(&mut m, &x)).unwrap();
        assert!(e.values[0].abs() < 1e-15 * e.values[1], "{:?}", e.values);
        assert!((e.values[1] - want).abs() < 1e-14 * want, "{:?}", e.values);
        let v = e.vectors[0];
        assert!(
            (v[0].abs() - s).abs() < 1e-12 && (v[0] + v[1]).abs() < 1e-12,
            "flat {v:?}"
        );
        let w = e.vectors[1];
        assert!(
            (w[0].abs() - s).abs() < 1e-12 && (w[0] - w[1]).abs() < 1e-12,
            "sum {w:?}"
        );
        let fd = TwoRate::<f64>::FLAT_DIRECTION;
        assert!((v[0] * fd[0] + v[1] * fd[1]).abs() > 1.0 - 1e-12);
    }
    // Off the line the flat direction stays flat and the gradient is along (1, 1).
    let x = [2.0, 0.5];
    let h = hess(&mut m, &x);
    assert!(h[0][0] == h[0][1] && h[1][0] == h[1][1] && h[0][0] == h[1][1]);
    let g = grad(&mut m, &x);
    assert!(g[0] == g[1] && g[0] > 0.0);
    // Moving along (1, −1) does not change the loss.
    let y = [x[0] + 0.7, x[1] - 0.7];
    assert!((m.value(&y) - m.value(&x)).abs() < 1e-16);
}

#[test]
fn two_rate_constructors() {
    assert_eq!(TwoRate::<f64, 0>::new(1.0), Err(Error::Empty));
    assert_eq!(TwoRate::<f64, 3>::new(f64::NAN), Err(Error::NonFiniteInput));
    assert_eq!(
        TwoRate::with_times(1.0, 0.0, [1.0, 2.0]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        TwoRate::with_times(1.0, 1.0, [0.0, 0.0]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        TwoRate::with_times(-1e3, 1.0, [1.0, 2.0]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        TwoRate::with_times(1.0, 1.0, [1.0, f64::INFINITY]),
        Err(Error::NonFiniteInput)
    );
    let d = TwoRate::<f64>::default();
    assert_eq!(d, TwoRate::new(TwoRate::<f64>::DEFAULT_SUM).unwrap());
    assert_eq!(d.times(), &[0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]);
    assert_eq!(d.true_sum(), 1.3);
    assert_eq!(d.y0(), 1.0);
    assert_eq!(d.data()[1], (-1.3f64).exp());
    // Custom times and amplitude; a different true sum moves the line.
    let mut m = TwoRate::with_times(0.25, 3.0, [0.1, 1.0, 10.0]).unwrap();
    assert_eq!(m.value(&[0.05, 0.2]), 0.0);
    assert!(m.value(&[0.0, 0.0]) > 0.0);
}

#[test]
fn other_closed_form_hessians() {
    // Beale at the saddle (0, 1): [[0, 2Σk·cₖ], [2Σk·cₖ, 0]] = [[0, 27.75], [27.75, 0]].
    let h = hess(&mut Beale, &[0.0, 1.0]);
    assert_eq!(h, [[0.0, 27.75], [27.75, 0.0]]);
    let e = SymEigen::new(&h).unwrap();
    assert!((e.values[0] + 27.75).abs() < 1e-13 && (e.values[1] - 27.75).abs() < 1e-13);
    // Booth: constant [[10, 8], [8, 10]], eigenvalues 2 and 18.
    for x in [[0.0, 0.0], [1.0, 3.0], [-7.0, 100.0]] {
        let e = SymEigen::new(&hess(&mut Booth, &x)).unwrap();
        assert!((e.values[0] - 2.0).abs() < 1e-14 && (e.values[1] - 18.0).abs() < 1e-14);
    }
    // Easom at (π, π): 3I (cos π = −1, sin π ≈ 1.2e-16 in f64).
    let h = hess(&mut Easom, &Easom::MINIMUM);
    assert_eq!([h[0][0], h[1][1]], [3.0, 3.0]);
    assert!(h[0][1].abs() < 1e-30);
    // Rastrigin at 0: (2 + 40π²) I.
    let h = hess(&mut Rastrigin::<3>, &[0.0; 3]);
    for (i, row) in h.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let want = if i == j { 2.0 + 40.0 * PI * PI } else { 0.0 };
            assert!((v - want).abs() < 1e-12, "{h:?}");
        }
    }
    // Styblinski–Tang at the minimum: 6x² − 16 on the diagonal.
    let x = StyblinskiTang::<3>::MINIMUM;
    let h = hess(&mut StyblinskiTang::<3>, &x);
    let want = 6.0 * x[0] * x[0] - 16.0;
    assert!((want - 34.583059102550685).abs() < 1e-12); // landscapes.py
    assert!(h[0][0] == want && h[1][1] == want && h[2][2] == want && h[0][1] == 0.0);
    // ExpSinCos at (0.5, 0.7): the values from landscapes.py.
    let x = ExpSinCos::REFERENCE_POINT;
    assert!((ExpSinCos.value(&x) - ExpSinCos::REFERENCE_VALUE).abs() < 1e-15);
    let g = grad(&mut ExpSinCos, &x);
    let h = hess(&mut ExpSinCos, &x);
    for (gi, want) in g.iter().zip(ExpSinCos::REFERENCE_GRADIENT) {
        assert!((gi - want).abs() < 1e-15, "{g:?}");
    }
    let reference = ExpSinCos::REFERENCE_HESSIAN;
    for (hi, want) in h.as_flattened().iter().zip(reference.as_flattened()) {
        assert!((hi - want).abs() < 1e-15, "{h:?}");
    }
    // As an accuracy target: the adaptive Hessian there is good to ~1e-10, within its bound;
    // the fixed-step Richardson Hessian to 2e-9 (tests/derivative_accuracy.rs).
    let (mut fd, mut fe) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    lossmap::diff::hessian_adaptive_n(|p: &[f64; 2]| ExpSinCos.value(p), &x, &mut fd, &mut fe)
        .unwrap();
    for ((fi, want), bound) in fd
        .as_flattened()
        .iter()
        .zip(reference.as_flattened())
        .zip(fe.as_flattened())
    {
        assert!(
            (fi - want).abs() < 1e-9 && (fi - want).abs() <= *bound,
            "{fd:?}"
        );
    }
    hessian_richardson_n(|p: &[f64; 2]| ExpSinCos.value(p), &x, &mut fd).unwrap();
    for (fi, want) in fd.as_flattened().iter().zip(reference.as_flattened()) {
        assert!((fi - want).abs() < 3e-9, "{fd:?}");
    }
}

#[test]
fn ackley_at_and_near_the_cone_tip() {
    let mut a = Ackley::<3>;
    assert_eq!(a.value(&[0.0; 3]), 0.0);
    assert_eq!(grad(&mut a, &[0.0; 3]), [0.0; 3]);
    let mut h = [[7.0; 3]; 3];
    assert_eq!(a.hessian(&[0.0; 3], &mut h), Err(Error::NonFiniteGradient));
    assert_eq!(h, [[7.0; 3]; 3]);
    // Next to the tip the cone dominates: ∇f ≈ a·b/√N·x/‖x‖ (length 4/√3) and the Hessian's
    // tangential eigenvalues ≈ a·b/(N·r) are huge but finite. With x = t·(1, 0, 0):
    // r = t/√3.
    for t in [1e-3, 1e-100, 1e-300, 5e-324] {
        let g = grad(&mut a, &[t, 0.0, 0.0]);
        let want = 4.0 / 3f64.sqrt();
        // The ripple adds (c/N)·e·sin(c t) ≈ 2π²e·t/3·… ≤ 0.04 at t = 1e-3.
        assert!(
            (g[0] - want).abs() < 0.05 && g[1] == 0.0 && g[2] == 0.0,
            "{t}: {g:?}"
        );
    }
    let h = hess(&mut a, &[1e-6, 0.0, 0.0]);
    // Tangential: φ/(N r) with φ ≈ 4, r = 1e-6/√3 → 4·√3/(3·1e-6) ≈ 2.31e6.
    let want = 4.0 * 3f64.sqrt() / 3.0 / 1e-6;
    assert!((h[1][1] / want - 1.0).abs() < 1e-3, "{h:?}");
    // Radial: −b·φ + ripple c²e/N·(1 − 1/N)... bounded.
    assert!(h[0][0].abs() < 100.0, "{h:?}");
    // Overflowing curvature at a subnormal radius is an error, not ∞.
    let mut h = [[0.0; 3]; 3];
    assert_eq!(
        a.hessian(&[5e-324, 0.0, 0.0], &mut h),
        Err(Error::NonFiniteGradient)
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Values worked out by hand
// ---------------------------------------------------------------------------------------------

#[test]
fn hand_worked_values() {
    // Rosenbrock (0, 0): (1 − 0)² + 100(0 − 0)² = 1.
    assert_eq!(Rosenbrock.value(&[0.0, 0.0]), 1.0);
    // Himmelblau (0, 0): (−11)² + (−7)² = 121 + 49 = 170.
    assert_eq!(Himmelblau.value(&[0.0, 0.0]), 170.0);
    // Chained Rosenbrock at 0 ∈ ℝ⁴: three links of (1 − 0)² = 3. At (−1, 1, 1, 1): the
    // first link is 100(1 − 1)² + (1 + 1)² = 4, the others 0.
    assert_eq!(RosenbrockN::<4>.value(&[0.0; 4]), 3.0);
    assert_eq!(RosenbrockN::<4>.value(&[-1.0, 1.0, 1.0, 1.0]), 4.0);
    // Rastrigin: 0 at 0; (1, 1): 20 + 2·(1 − 10) = 2; (0.5, 0): 20 + (0.25 + 10) + (0 − 10)
    // = 20.25.
    assert_eq!(Rastrigin::<2>.value(&[0.0, 0.0]), 0.0);
    assert_eq!(Rastrigin::<2>.value(&[1.0, 1.0]), 2.0);
    assert!((Rastrigin::<2>.value(&[0.5, 0.0]) - 20.25).abs() < 1e-14);
    // Ackley (1, 1): r = 1, (1/N)Σcos 2πxᵢ = 1 → 20(1 − e^{−0.2}) + e − e = 20(1 − e^{−0.2}).
    // (0.5, 0.5): r = 0.5, the cosines are −1 → 20(1 − e^{−0.1}) + e − e^{−1}.
    assert!((Ackley::<2>.value(&[1.0, 1.0]) - 20.0 * (1.0 - (-0.2f64).exp())).abs() < 1e-14);
    let want = 20.0 * (1.0 - (-0.1f64).exp()) + E - (-1.0f64).exp();
    assert!((Ackley::<2>.value(&[0.5, 0.5]) - want).abs() < 1e-14);
    // Styblinski–Tang: ½(1 − 16 + 5) = −5 per coordinate at 1; (2, −2):
    // ½[(16 − 64 + 10) + (16 − 64 − 10)] = ½(−38 − 58) = −48.
    assert_eq!(StyblinskiTang::<2>.value(&[1.0, 1.0]), -10.0);
    assert_eq!(StyblinskiTang::<2>.value(&[2.0, -2.0]), -48.0);
    // Beale: (0, 0): 1.5² + 2.25² + 2.625² = 2.25 + 5.0625 + 6.890625 = 14.203125;
    // (1, 0): 0.5² + 1.25² + 1.625² = 0.25 + 1.5625 + 2.640625 = 4.453125;
    // (2, 2): 3.5² + 8.25² + 16.625² = 12.25 + 68.0625 + 276.390625 = 356.703125.
    assert_eq!(Beale.value(&[0.0, 0.0]), 14.203125);
    assert_eq!(Beale.value(&[1.0, 0.0]), 4.453125);
    assert_eq!(Beale.value(&[2.0, 2.0]), 356.703125);
    // Booth: (0, 0): 49 + 25 = 74; (1, 1): (−4)² + (−2)² = 20.
    assert_eq!(Booth.value(&[0.0, 0.0]), 74.0);
    assert_eq!(Booth.value(&[1.0, 1.0]), 20.0);
    // Six-hump camel: (0, 1): −4 + 4 = 0; (1, 0): 4 − 2.1 + 1/3 = 2.2333…;
    // (1, −1): 2.2333… − 1 + 0 = 1.2333….
    assert_eq!(SixHumpCamel.value(&[0.0, 1.0]), 0.0);
    assert!((SixHumpCamel.value(&[1.0, 0.0]) - (1.9 + 1.0 / 3.0)).abs() < 1e-14);
    assert!((SixHumpCamel.value(&[1.0, -1.0]) - (0.9 + 1.0 / 3.0)).abs() < 1e-14);
    // Easom: (π, π) = −(−1)(−1)·1 = −1; (π, 0): −(−1)(1)e^{−π²} = e^{−π²} ≈ 5.17e-5.
    assert_eq!(Easom.value(&[PI, PI]), -1.0);
    assert!((Easom.value(&[PI, 0.0]) - (-PI * PI).exp()).abs() < 1e-19);
    // Two-rate with one sample t = 1, y₀ = 2, S = 1, at k = (0, 0): (2 − 2/e)².
    let mut m = TwoRate::with_times(1.0, 2.0, [1.0]).unwrap();
    let want = (2.0 - 2.0 / E).powi(2);
    assert!((m.value(&[0.0, 0.0]) - want).abs() < 1e-15);
    // ExpSinCos: (0, 0): 0 + 1 = 1; (0, π/2): 1 + 1 = 2.
    assert_eq!(ExpSinCos.value(&[0.0, 0.0]), 1.0);
    assert_eq!(ExpSinCos.value(&[0.0, PI / 2.0]), 2.0);
    // Quadratic diag(2, 8) at c = (1, −1), x = (2, 0): ½(2·1 + 8·1) = 5.
    let mut q = Quadratic::axis_aligned([2.0, 8.0], [1.0, -1.0]).unwrap();
    assert_eq!(q.value(&[2.0, 0.0]), 5.0);
}

// ---------------------------------------------------------------------------------------------
// 5. Bad input, f32, Copy + Default
// ---------------------------------------------------------------------------------------------

fn rejects_non_finite<O: Objective<f64, N>, const N: usize>(mut o: O, name: &str) {
    let mut x = [0.5; N];
    x[N - 1] = f64::NAN;
    let (mut g, mut h) = ([9.0; N], [[9.0; N]; N]);
    assert_eq!(o.gradient(&x, &mut g), Err(Error::NonFiniteInput), "{name}");
    assert_eq!(o.hessian(&x, &mut h), Err(Error::NonFiniteInput), "{name}");
    assert!(
        g == [9.0; N] && h == [[9.0; N]; N],
        "{name}: output written on error"
    );
}

#[test]
fn non_finite_input_is_rejected_and_outputs_untouched() {
    rejects_non_finite(Rosenbrock, "Rosenbrock");
    rejects_non_finite(Himmelblau, "Himmelblau");
    rejects_non_finite(RosenbrockN::<3>, "RosenbrockN");
    rejects_non_finite(Rastrigin::<3>, "Rastrigin");
    rejects_non_finite(Ackley::<3>, "Ackley");
    rejects_non_finite(StyblinskiTang::<3>, "StyblinskiTang");
    rejects_non_finite(Beale, "Beale");
    rejects_non_finite(Booth, "Booth");
    rejects_non_finite(SixHumpCamel, "SixHumpCamel");
    rejects_non_finite(Easom, "Easom");
    rejects_non_finite(TwoRate::<f64>::default(), "TwoRate");
    rejects_non_finite(ExpSinCos, "ExpSinCos");
    rejects_non_finite(Quadratic::<f64, 3>::default(), "Quadratic");
    // Overflow is an error too: Rosenbrock's gradient at 1e200 is ∞.
    let mut g = [1.0; 2];
    assert_eq!(
        Rosenbrock.gradient(&[1e200, 0.0], &mut g),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(g, [1.0; 2]);
}

/// f32 and f64 agree to f32 precision: `T::from_f64` constants and the generic code paths.
fn f32_matches_f64<O32, O64, const N: usize>(a: O32, b: O64, x: [f64; N])
where
    O32: Objective<f32, N>,
    O64: Objective<f64, N>,
{
    f32_matches_f64_within(a, b, x, [0.0; 3]);
}

/// [`f32_matches_f64`], plus `extra` on the value, each gradient entry and each Hessian entry.
fn f32_matches_f64_within<O32, O64, const N: usize>(
    mut a: O32,
    mut b: O64,
    x: [f64; N],
    extra: [f64; 3],
) where
    O32: Objective<f32, N>,
    O64: Objective<f64, N>,
{
    let x32 = x.map(|v| v as f32);
    // Evaluate f64 at the f32-rounded point so the only difference is arithmetic.
    let x64 = x32.map(f64::from);
    let (f32v, f64v) = (a.value(&x32), b.value(&x64));
    let (mut g32, mut g64) = ([0.0f32; N], [0.0f64; N]);
    let (mut h32, mut h64) = ([[0.0f32; N]; N], [[0.0f64; N]; N]);
    a.gradient(&x32, &mut g32).unwrap();
    b.gradient(&x64, &mut g64).unwrap();
    a.hessian(&x32, &mut h32).unwrap();
    b.hessian(&x64, &mut h64).unwrap();
    // A few hundred f32 ulp of the largest term (condition of the sums).
    let tol = |scale: f64| 1e-4 * scale.max(1.0);
    assert!(
        (f32v as f64 - f64v).abs() < tol(f64v.abs()) + extra[0],
        "value {f32v} vs {f64v}"
    );
    let gs = norm_inf(&g64);
    for (p, q) in g32.iter().zip(&g64) {
        assert!(
            (*p as f64 - q).abs() < tol(gs) + extra[1],
            "gradient {g32:?} vs {g64:?}"
        );
    }
    let hs = norm_inf(h64.as_flattened());
    for (p, q) in h32.as_flattened().iter().zip(h64.as_flattened()) {
        assert!(
            (*p as f64 - q).abs() < tol(hs) + extra[2],
            "Hessian {h32:?} vs {h64:?}"
        );
    }
}

/// Under `micromath`, f32 `sin` and `cos` are micromath's, each within κ = κ₀(|arg|) of the true
/// value (`tests/common/micromath_trig.rs`, checked by `tests/math_accuracy.rs`); these bound what
/// that adds to `[value, gradient entry, Hessian entry]` of the objectives that call them, by
/// propagating κ through each formula with every sine and cosine bounded by 1 (a product of two
/// approximate factors is off by at most `(1 + κ)² − 1 = 2κ + κ²` times its coefficients). Zero
/// with libm.
mod trig {
    use super::micromath_trig::value_error;
    use core::f64::consts::{E, PI};

    /// κ for arguments up to `arg_max`, or 0 without micromath.
    fn kappa(arg_max: f64) -> f64 {
        if cfg!(feature = "micromath") {
            value_error(arg_max)
        } else {
            0.0
        }
    }

    fn max_abs(x: &[f64]) -> f64 {
        x.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    /// `Σ xᵢ² + 20 sin²(πxᵢ)`; gradient `2xᵢ + 20π sin 2πxᵢ`; Hessian `2 + 40π² cos 2πxᵢ`.
    pub fn rastrigin(x: &[f64]) -> [f64; 3] {
        let k = kappa(2.0 * PI * max_abs(x));
        let n = x.len() as f64;
        [
            n * 20.0 * (2.0 * k + k * k),
            20.0 * PI * k,
            40.0 * PI * PI * k,
        ]
    }

    /// `E = exp(Σ cos(2πxᵢ)/N) ≤ e` is off by a factor within `e^{±κ}` (κ' = e^κ − 1); the
    /// gradient's ripple is `(2π/N)·E·sin 2πxᵢ`, the Hessian's `(4π²/N)·E·(δᵢⱼ cos 2πxᵢ − sᵢsⱼ/N)`.
    pub fn ackley(x: &[f64]) -> [f64; 3] {
        let k = kappa(2.0 * PI * max_abs(x));
        let kp = k.exp() - 1.0;
        let (n, c) = (x.len() as f64, 2.0 * PI);
        [
            E * kp,
            c / n * E * (kp + (1.0 + kp) * k),
            c * c / n * E * (kp * (1.0 + 1.0 / n) + (1.0 + kp) * (k + (2.0 * k + k * k) / n)),
        ]
    }

    /// With `a = x − π`, `b = y − π` and the Gaussian ≤ 1: value `−cos x cos y`, gradient
    /// `cos y (sin x + 2a cos x)`, Hessian `cos y ((3 − 4a²) cos x − 4a sin x)` and
    /// `(sin x + 2a cos x)(sin y + 2b cos y)`: products of two approximate factors.
    pub fn easom([x, y]: [f64; 2]) -> [f64; 3] {
        let k = kappa(max_abs(&[x, y]));
        let two = 2.0 * k + k * k;
        let (a, b) = ((x - PI).abs(), (y - PI).abs());
        let hess = (3.0 - 4.0 * a * a).abs() + 4.0 * a;
        let hess = hess.max((3.0 - 4.0 * b * b).abs() + 4.0 * b);
        let hess = hess.max((1.0 + 2.0 * a) * (1.0 + 2.0 * b));
        [two, (1.0 + 2.0 * a.max(b)) * two, hess * two]
    }

    /// `e^a sin b + cos ab`: every sine and cosine enters once, linearly, with coefficients
    /// `e^a` and 1 (value), `e^a` and `|a|` or `|b|` (gradient), `e^a` and `b²`, `1 + |ab|`, `a²`
    /// (Hessian).
    pub fn exp_sin_cos([a, b]: [f64; 2]) -> [f64; 3] {
        let k = kappa(b.abs().max((a * b).abs()));
        let e = a.exp();
        let hess = (b * b).max(1.0 + (a * b).abs()).max(a * a);
        [
            (e + 1.0) * k,
            (e + a.abs().max(b.abs())) * k,
            (e + hess) * k,
        ]
    }
}

#[test]
fn f32_agrees_with_f64() {
    f32_matches_f64(Rosenbrock, Rosenbrock, [-1.2, 1.0]);
    f32_matches_f64(Himmelblau, Himmelblau, [1.0, -2.0]);
    f32_matches_f64(RosenbrockN::<4>, RosenbrockN::<4>, [-1.2, 1.0, 0.5, 0.3]);
    let x3 = [0.3, -1.2, 2.1];
    f32_matches_f64_within(Rastrigin::<3>, Rastrigin::<3>, x3, trig::rastrigin(&x3));
    f32_matches_f64_within(Ackley::<3>, Ackley::<3>, x3, trig::ackley(&x3));
    f32_matches_f64(StyblinskiTang::<3>, StyblinskiTang::<3>, [0.3, -1.2, 2.1]);
    f32_matches_f64(Beale, Beale, [1.0, 0.3]);
    f32_matches_f64(Booth, Booth, [1.0, 0.3]);
    f32_matches_f64(SixHumpCamel, SixHumpCamel, [1.0, 0.3]);
    f32_matches_f64_within(Easom, Easom, [3.0, 3.5], trig::easom([3.0, 3.5]));
    f32_matches_f64(
        TwoRate::<f32>::new(1.3).unwrap(),
        TwoRate::<f64>::new(1.3).unwrap(),
        [0.2, 0.3],
    );
    f32_matches_f64_within(
        ExpSinCos,
        ExpSinCos,
        [0.5, 0.7],
        trig::exp_sin_cos([0.5, 0.7]),
    );
    f32_matches_f64(
        Quadratic::<f32, 3>::rotated([0.1, 1.0, 10.0], [1.0, 0.0, -1.0]).unwrap(),
        Quadratic::<f64, 3>::rotated([0.1, 1.0, 10.0], [1.0, 0.0, -1.0]).unwrap(),
        [0.3, -1.2, 2.1],
    );
}

#[test]
fn every_landscape_is_copy_and_default() {
    fn ok<T: Copy + Default>() {}
    ok::<Rosenbrock>();
    ok::<Himmelblau>();
    ok::<RosenbrockN<5>>();
    ok::<Rastrigin<5>>();
    ok::<Ackley<5>>();
    ok::<StyblinskiTang<5>>();
    ok::<Beale>();
    ok::<Booth>();
    ok::<SixHumpCamel>();
    ok::<Easom>();
    ok::<TwoRate<f32, 3>>();
    ok::<ExpSinCos>();
    ok::<Quadratic<f64, 40>>();
    fn generic<T: Real>() -> T {
        Rastrigin::<1>.value(&[T::ONE])
    }
    assert_eq!(generic::<f32>(), 1.0);
}
