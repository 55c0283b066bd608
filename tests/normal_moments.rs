//! `random::normal`'s first four moments in f32 and f64 against the standard normal's (mean 0,
//! variance 1, skewness 0, kurtosis 3), over n = 10⁶ draws: enough to see a sampler built on an
//! inaccurate logarithm (micromath's `ln` gave variance 1.083, kurtosis 2.79).
//!
//! For n draws of a true standard normal the sample moments have standard errors `1/√n` (mean),
//! `√(2/n)` (variance), `√(6/n)` (skewness) and `√(24/n)` (kurtosis): 1.0e-3, 1.4e-3, 2.4e-3 and
//! 4.9e-3 here. Each moment must lie within 5 standard errors (a false alarm about once in 1.7
//! million seeds) plus the sampler's own bias bound:
//! - libm: none worth a term. Box–Muller is exact in real arithmetic; the 24-bit uniform of f32
//!   cuts the tail beyond `√(−2 ln 2⁻²⁴) = 5.8σ` (probability 8e-9).
//! - `micromath` (f32): `ln` and `sqrt` stay on libm; the cosine is micromath's, within
//!   κ = 1.1e-3 of `cos` on [0, 2π] (`tests/common/micromath_trig.rs`). With `z = r·c̃`,
//!   `E r² = 2`, `E r⁴ = 8`, and `c̃ = c + δ`, `|δ| ≤ κ`: `|E c̃² − ½| ≤ 2κ·E|c| + κ² = 4κ/π + κ²`,
//!   `|E c̃⁴ − ⅜| ≤ 4κ·E|c|³ + O(κ²) = 16κ/3π + O(κ²)`; the mean and skewness stay 0 by symmetry
//!   (micromath's cosine is odd about π/2, like cos). So the variance is off by at most
//!   `2(4κ/π + κ²) = 2.8e-3` and the kurtosis `2 E c̃⁴ / (E c̃²)²` by at most
//!   `3(16κ/3π / ⅜ + 2(4κ/π + κ²)/½) + O(κ²) ≈ 29κ = 3.2e-2`.

#[path = "common/micromath_trig.rs"]
mod micromath_trig;

use lossmap::random::{normal, SplitMix64};
use lossmap::Real;
use std::f64::consts::PI;

const N: usize = 1_000_000;

/// Sample mean, variance, skewness and kurtosis of `N` draws.
fn moments<T: Real>(seed: u64) -> [f64; 4] {
    let mut rng = SplitMix64::new(seed);
    let z: Vec<f64> = (0..N).map(|_| normal::<T, _>(&mut rng).to_f64()).collect();
    let n = N as f64;
    let mean = z.iter().sum::<f64>() / n;
    let m = |p: i32| z.iter().map(|v| (v - mean).powi(p)).sum::<f64>() / n;
    let var = m(2);
    [mean, var, m(3) / var.powf(1.5), m(4) / (var * var)]
}

/// Bias bounds `[mean, variance, skewness, kurtosis]` of the f32 sampler in this build.
fn f32_bias() -> [f64; 4] {
    if cfg!(feature = "micromath") {
        let k = micromath_trig::value_error(2.0 * PI);
        let var = 2.0 * (4.0 * k / PI + k * k);
        // The O(κ²) rest of the kurtosis bound, with room: 100κ² = 1.2e-4.
        let kurt = 3.0 * ((16.0 * k / (3.0 * PI)) / 0.375 + 2.0 * (4.0 * k / PI + k * k) / 0.5)
            + 100.0 * k * k;
        [0.0, var, 0.0, kurt]
    } else {
        [0.0; 4]
    }
}

fn check(name: &str, got: [f64; 4], bias: [f64; 4]) {
    let n = N as f64;
    let se = [
        1.0 / n.sqrt(),
        (2.0 / n).sqrt(),
        (6.0 / n).sqrt(),
        (24.0 / n).sqrt(),
    ];
    let want = [0.0, 1.0, 0.0, 3.0];
    let labels = ["mean", "variance", "skewness", "kurtosis"];
    for i in 0..4 {
        let tol = 5.0 * se[i] + bias[i];
        eprintln!(
            "{name} {}: {:.5} (want {} ± {tol:.2e})",
            labels[i], got[i], want[i]
        );
        assert!(
            (got[i] - want[i]).abs() <= tol,
            "{name}: {} {:.5}, want {} within {tol:.2e}",
            labels[i],
            got[i],
            want[i]
        );
    }
}

#[test]
fn f32_normal_has_unit_variance_and_normal_kurtosis() {
    check("f32", moments::<f32>(20_240_601), f32_bias());
}

#[test]
fn f64_normal_has_unit_variance_and_normal_kurtosis() {
    check("f64", moments::<f64>(20_240_601), [0.0; 4]);
}
