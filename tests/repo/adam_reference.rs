//! Adam against trajectories computed outside the crate by `tests/reference/adam_trajectory.py`
//! (real torch 2.15.0: torch.optim.Adam, cross-checked there against its documented algorithm in
//! plain Python): 50 steps on Rosenbrock and on a quadratic with weight decay, to 1e-12 relative
//! in f64 and 1e-5 in f32 (torch's f32 Adam rounds in another order: `lerp` for m, the step size
//! from binary64).

use lossmap::optim::{Adam, AdamConfig, Optimizer};
use lossmap::testfn::Rosenbrock;
use lossmap::{Objective, Real};

const REFERENCE: &str = include_str!("../reference/adam_trajectory.txt");

fn reference(case: &str, prec: &str) -> Vec<[f64; 2]> {
    REFERENCE
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 5 && f[0] == case && f[1] == prec)
                .then(|| [f[3].parse().expect("number"), f[4].parse().expect("number")])
        })
        .collect()
}

fn trajectory<T: Real>(case: &str) -> Vec<[f64; 2]> {
    let (x0, cfg) = match case {
        "rosenbrock" => ([-1.2, 1.0], (0.01, 0.9, 0.999, 1e-8, 0.0)),
        _ => ([3.0, -2.0], (0.1, 0.8, 0.99, 1e-6, 0.05)),
    };
    let c = |v: f64| T::from_f64(v);
    let config = AdamConfig {
        lr: c(cfg.0),
        beta1: c(cfg.1),
        beta2: c(cfg.2),
        eps: c(cfg.3),
        weight_decay: c(cfg.4),
        maximize: 0,
    };
    let mut adam = Adam::<T, 2>::new(config).unwrap();
    let mut x = [c(x0[0]), c(x0[1])];
    let mut out = Vec::new();
    for _ in 0..50 {
        let mut g = [T::ZERO; 2];
        if case == "rosenbrock" {
            Rosenbrock.gradient(&x, &mut g).unwrap();
        } else {
            g = [x[0] - T::ONE, c(10.0) * x[1]];
        }
        adam.step(&mut x, &g).unwrap();
        out.push([x[0].to_f64(), x[1].to_f64()]);
    }
    out
}

fn assert_matches<T: Real>(case: &str, tol: f64) {
    let want = reference(case, T::NAME);
    let got = trajectory::<T>(case);
    assert_eq!(
        want.len(),
        50,
        "reference file has 50 steps for {case}/{}",
        T::NAME
    );
    let mut worst = 0.0f64;
    for (step, (g, w)) in got.iter().zip(&want).enumerate() {
        for i in 0..2 {
            let rel = (g[i] - w[i]).abs() / w[i].abs().max(1e-300);
            worst = worst.max(rel);
            assert!(
                rel <= tol,
                "{case} {} step {}: x[{i}] = {} vs reference {} (rel {rel:.2e})",
                T::NAME,
                step + 1,
                g[i],
                w[i]
            );
        }
    }
    println!("{case} {}: max relative error {worst:.2e}", T::NAME);
}

#[test]
fn adam_f64_matches_reference_on_rosenbrock() {
    assert_matches::<f64>("rosenbrock", 1e-12);
}

#[test]
fn adam_f64_matches_reference_on_quadratic_with_weight_decay() {
    assert_matches::<f64>("quadratic_wd", 1e-12);
}

/// f32 tolerance (Adam needs only `sqrt`, which stays on libm with the `micromath` feature).
const F32_TOL: f64 = 1e-5;

#[test]
fn adam_f32_matches_reference_on_rosenbrock() {
    assert_matches::<f32>("rosenbrock", F32_TOL);
}

#[test]
fn adam_f32_matches_reference_on_quadratic_with_weight_decay() {
    assert_matches::<f32>("quadratic_wd", F32_TOL);
}
