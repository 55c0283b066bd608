//! The Moré–Garbow–Hillstrom test set (ACM TOMS 7(1), 1981) against scipy on the same standard
//! starts: `tests/reference/mgh.py` ran `least_squares(method='lm')` and `minimize` (BFGS,
//! L-BFGS-B, Nelder–Mead) with scipy's defaults and one evaluation counter; its output is
//! `tests/reference/mgh.txt`. This file runs lossmap's solvers from the same starts, counts every
//! residual evaluation the same way, and writes the comparison to
//! `target/lossmap-reports/mgh.md` (the README's table).

#[path = "mgh/problems.rs"]
mod problems;

use std::collections::HashMap;

const REFERENCE: &str = include_str!("../reference/mgh.txt");

/// `f(x₀)` and the minima the paper lists, per problem.
struct Known {
    n: usize,
    m: usize,
    f0: f64,
    minima: Vec<f64>,
}

/// scipy's `(final f, evaluations)` per `(solver, problem)`.
fn reference() -> (HashMap<String, Known>, HashMap<(String, String), (f64, usize)>) {
    let (mut known, mut runs) = (HashMap::new(), HashMap::new());
    for line in REFERENCE.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |s: &str| s.parse::<f64>().expect("number");
        if f[0] == "problem" {
            known.insert(
                f[1].to_string(),
                Known {
                    n: f[2].parse().expect("n"),
                    m: f[3].parse().expect("m"),
                    f0: num(f[4]),
                    minima: f[5..].iter().map(|s| num(s)).collect(),
                },
            );
        } else {
            runs.insert(
                (f[0].to_string(), f[1].to_string()),
                (num(f[2]), f[3].parse().expect("nfev")),
            );
        }
    }
    (known, runs)
}

fn sum_sq(p: &problems::Problem, x: &[f64]) -> f64 {
    let mut r = vec![0.0; p.m];
    (p.residuals)(x, &mut r);
    r.iter().map(|v| v * v).sum()
}

#[test]
fn the_transcription_agrees_with_the_reference_script() {
    let (known, _) = reference();
    let all = problems::all();
    assert_eq!(all.len(), known.len(), "every problem of the script is here");
    for p in &all {
        let k = &known[p.name];
        assert_eq!((p.x0.len(), p.m), (k.n, k.m), "{}", p.name);
        let f0 = sum_sq(p, &p.x0);
        assert!(
            (f0 - k.f0).abs() <= 1e-12 * k.f0.abs().max(1e-300),
            "{}: f(x0) = {f0}, reference {}",
            p.name,
            k.f0
        );
    }
}
