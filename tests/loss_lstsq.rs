//! Closed-form least squares: a hand-solved 2-parameter system, agreement with the minimizer
//! Adam finds on the MSE objective, rank-deficient designs rejected (f32 and f64), Δ-learning
//! and standardization round trips.

use lossmap::loss::{
    baseline_from_fn, destandardize_linear, least_squares, least_squares_work_len,
    residual_targets, standardize, Linear, LinearFit, Regression,
};
use lossmap::optim::{minimize, Adam, AdamConfig, Stop, StopReason};
use lossmap::{Error, Objective};

fn lcg(seed: u64, n: usize) -> Vec<f64> {
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

fn solve(x: &[f64], y: &[f64], d: usize) -> Result<Vec<f64>, Error> {
    let mut work = vec![0.0; least_squares_work_len(d)];
    let mut theta = vec![0.0; d + 1];
    least_squares(x, y, d, &mut work, &mut theta).map(|_| theta)
}

#[test]
fn hand_solved_two_parameter_system() {
    // Points (0, 1), (1, 2), (2, 2), (3, 4). Normal equations (×m):
    //   [Σx² Σx; Σx m] (w, b) = (Σxy, Σy)  →  [14 6; 6 4](w, b) = (18, 9).
    // det = 14·4 − 6·6 = 20; w = (18·4 − 6·9)/20 = 0.9; b = (14·9 − 6·18)/20 = 0.9.
    let theta = solve(&[0.0, 1.0, 2.0, 3.0], &[1.0, 2.0, 2.0, 4.0], 1).unwrap();
    assert!(
        (theta[0] - 0.9).abs() < 1e-14 && (theta[1] - 0.9).abs() < 1e-14,
        "{theta:?}"
    );
    // f32.
    let mut work = [0.0f32; 10];
    let mut t32 = [0.0f32; 2];
    least_squares(
        &[0.0, 1.0, 2.0, 3.0],
        &[1.0, 2.0, 2.0, 4.0],
        1,
        &mut work,
        &mut t32,
    )
    .unwrap();
    assert!(
        (t32[0] - 0.9).abs() < 1e-6 && (t32[1] - 0.9).abs() < 1e-6,
        "{t32:?}"
    );
}

#[test]
fn agrees_with_adam_on_the_mse_objective() {
    const D: usize = 3;
    const M: usize = 20;
    let x = lcg(1, M * D);
    let noise = lcg(2, M);
    let w_true = [1.5, -2.0, 0.5];
    let y: Vec<f64> = x
        .chunks(D)
        .zip(&noise)
        .map(|(r, e)| r.iter().zip(&w_true).map(|(a, b)| a * b).sum::<f64>() + 0.7 + 0.1 * e)
        .collect();
    let closed = solve(&x, &y, D).unwrap();

    let mut fit =
        LinearFit::<f64, 4>::new(Linear::new(D).unwrap(), Regression::Mse, &x, &y).unwrap();
    let mut theta = [0.0; 4];
    let mut adam = Adam::<f64, 4>::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .unwrap();
    let stop = Stop {
        grad_tol: 1e-10,
        max_iter: 200_000,
        ..Stop::default()
    };
    let r = minimize(&mut fit, &mut theta, &mut adam, &stop).unwrap();
    assert_eq!(r.reason, StopReason::GradientNorm, "{r:?}");
    for (a, c) in theta.iter().zip(&closed) {
        assert!(
            (a - c).abs() < 1e-8,
            "Adam {theta:?} vs closed form {closed:?}"
        );
    }
    // The closed form is a stationary point of the objective.
    let mut g = [0.0; 4];
    let c4 = [closed[0], closed[1], closed[2], closed[3]];
    fit.gradient(&c4, &mut g).unwrap();
    assert!(g.iter().all(|v| v.abs() < 1e-14), "{g:?}");
}

#[test]
fn rank_deficient_designs_are_rejected_and_theta_kept() {
    let x1 = [0.3, -1.2, 2.5, 0.7, 1.9, -0.4];
    let y = [1.0, 2.0, 0.5, -1.0, 3.0, 0.0];
    // Duplicated feature, a scaled copy, a constant feature (collinear with the bias), an
    // affine copy (collinear with the feature and the bias). In floating point some of these
    // factor with a pivot of rounding size instead of failing (measured L_jj²/G_jj: 3e-7 for
    // the scaled copy and 6e-8 for the constant in f32, 2e-16 for the affine copy in f64):
    // the relative pivot tolerance catches them.
    let dup: Vec<f64> = x1.iter().flat_map(|&v| [v, v]).collect();
    let scaled: Vec<f64> = x1.iter().flat_map(|&v| [v, 3.0 * v]).collect();
    let constant: Vec<f64> = x1.iter().flat_map(|&v| [v, 2.5]).collect();
    let affine: Vec<f64> = x1.iter().flat_map(|&v| [v, 0.1 * v + 0.7]).collect();
    let cases = [
        ("dup", &dup),
        ("scaled", &scaled),
        ("constant", &constant),
        ("affine", &affine),
    ];
    for (name, x) in cases {
        let mut work = [0.0; 21];
        let mut theta = [7.0; 3];
        assert_eq!(
            least_squares(x, &y, 2, &mut work, &mut theta),
            Err(Error::NotPositiveDefinite),
            "{name} f64"
        );
        assert_eq!(theta, [7.0; 3]);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
        let mut w32 = [0.0f32; 21];
        let mut t32 = [7.0f32; 3];
        assert_eq!(
            least_squares(&x32, &y32, 2, &mut w32, &mut t32),
            Err(Error::NotPositiveDefinite),
            "{name} f32"
        );
        assert_eq!(t32, [7.0; 3]);
    }
    // Fewer samples than parameters: 2 samples, 3 parameters.
    let mut work = [0.0; 21];
    let mut theta = [7.0; 3];
    assert_eq!(
        least_squares(&[1.0, 2.0, 3.0, 5.0], &[1.0, 2.0], 2, &mut work, &mut theta),
        Err(Error::NotPositiveDefinite)
    );
    assert_eq!(theta, [7.0; 3]);
}

#[test]
fn ill_conditioned_but_full_rank_is_solved() {
    // Features in the hundreds with a small spread: cond(G) ≈ 1e6, still well within f64.
    const D: usize = 2;
    let u = lcg(3, 40);
    let x: Vec<f64> = u
        .chunks(2)
        .flat_map(|p| [300.0 + 5.0 * p[0], 150.0 + 20.0 * p[1]])
        .collect();
    let y: Vec<f64> = x
        .chunks(D)
        .map(|r| 0.02 * r[0] - 0.5 * r[1] + 3.0)
        .collect();
    let theta = solve(&x, &y, D).unwrap();
    for (t, w) in theta.iter().zip([0.02, -0.5, 3.0]) {
        assert!((t - w).abs() < 1e-8, "{theta:?}");
    }
    // The same fit on standardized features, mapped back, agrees.
    let mut xs = x.clone();
    let (mut mean, mut scale) = ([0.0; D], [0.0; D]);
    standardize(&mut xs, D, &mut mean, &mut scale).unwrap();
    let mut ts = solve(&xs, &y, D).unwrap();
    destandardize_linear(&mut ts, &mean, &scale).unwrap();
    for (a, b) in ts.iter().zip(&theta) {
        assert!((a - b).abs() < 1e-9, "{ts:?} vs {theta:?}");
    }
}

#[test]
fn delta_learning_fits_the_residual() {
    // y = baseline(x) + 2x + 1 with baseline(x) = 10 sin(x): the Δ-model recovers (2, 1).
    let x: Vec<f64> = (0..12).map(|i| 0.5 * i as f64).collect();
    let f = |r: &[f64]| 10.0 * r[0].sin();
    let mut base = vec![0.0; x.len()];
    baseline_from_fn(&x, 1, f, &mut base).unwrap();
    let y: Vec<f64> = x
        .iter()
        .zip(&base)
        .map(|(v, b)| b + 2.0 * v + 1.0)
        .collect();
    let mut r = vec![0.0; x.len()];
    residual_targets(&y, &base, &mut r).unwrap();
    let theta = solve(&x, &r, 1).unwrap();
    assert!((theta[0] - 2.0).abs() < 1e-12 && (theta[1] - 1.0).abs() < 1e-12);
    // Fitting y directly with a line cannot: the sine is left in the residuals.
    let direct = solve(&x, &y, 1).unwrap();
    assert!((direct[0] - 2.0).abs() > 0.1);
    // The objective with a baseline has its minimum (0 loss) at the same θ.
    let mut fit = LinearFit::<f64, 2>::new(Linear::new(1).unwrap(), Regression::Mse, &x, &y)
        .unwrap()
        .with_baseline(&base)
        .unwrap();
    assert!(fit.value(&[2.0, 1.0]) < 1e-25);
    let mut theta = [0.0; 2];
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.02,
        ..AdamConfig::default()
    })
    .unwrap();
    let stop = Stop {
        grad_tol: 1e-10,
        max_iter: 100_000,
        ..Stop::default()
    };
    minimize(&mut fit, &mut theta, &mut adam, &stop).unwrap();
    assert!(
        (theta[0] - 2.0).abs() < 1e-8 && (theta[1] - 1.0).abs() < 1e-8,
        "{theta:?}"
    );
}
