//! The benchmark's fifteen functions (Jamil & Yang 2013, "A literature survey of benchmark
//! functions for global optimization"; Surjanovic & Bingham, "Virtual Library of Simulation
//! Experiments: test functions and datasets"), none of them in `lossmap::testfn` or
//! tests/global_landscapes: the same formulas as tests/reference/global_bench.py, whose
//! values at fixed points tests/global_bench.rs compares with these.
//!
//! Gradients are analytic where the function is smooth; Eggholder, Holder table and
//! Cross-in-tray (|·|, √|·|) have none and the harness differentiates them by forward
//! differences, as scipy's L-BFGS-B does.
// The formulas index their coefficient tables as the literature writes them.
#![allow(dead_code, clippy::needless_range_loop)]

use core::f64::consts::PI;

/// An analytic gradient: writes ∇f(x) to `g`.
pub type Grad = fn(&[f64], &mut [f64]);

/// One benchmark function: its box, its global minimum and its formulas on slices.
#[derive(Clone, Copy)]
pub struct Bench {
    /// Name (the reference file's key with `dim`).
    pub name: &'static str,
    /// Dimension.
    pub dim: usize,
    /// The search box.
    pub lower: &'static [f64],
    /// The search box.
    pub upper: &'static [f64],
    /// The global minimum's value: the literature minimizer polished by
    /// tests/reference/global_bench.py (Michalewicz: the sum of its separable 1-D minima).
    pub f_star: f64,
    /// The loss.
    pub value: fn(&[f64]) -> f64,
    /// The analytic gradient, `None` for forward differences.
    pub grad: Option<Grad>,
}

impl Bench {
    /// Success tolerance: `1e-6·max(1, |f*|)`.
    pub fn tol(&self) -> f64 {
        1e-6 * self.f_star.abs().max(1.0)
    }
    /// Evaluation budget: 5 000 per dimension.
    pub fn budget(&self) -> usize {
        5000 * self.dim
    }
}

/// The functions, in the reference file's order.
pub const FUNCTIONS: [Bench; 15] = [
    Bench {
        name: "branin",
        dim: 2,
        lower: &[-5.0, 0.0],
        upper: &[10.0, 15.0],
        f_star: 0.39788735772973816,
        value: branin,
        grad: Some(branin_g),
    },
    Bench {
        name: "goldstein-price",
        dim: 2,
        lower: &[-2.0; 2],
        upper: &[2.0; 2],
        f_star: 3.0,
        value: goldstein_price,
        grad: Some(goldstein_price_g),
    },
    Bench {
        name: "shubert",
        dim: 2,
        lower: &[-10.0; 2],
        upper: &[10.0; 2],
        f_star: -186.73090883102392,
        value: shubert,
        grad: Some(shubert_g),
    },
    Bench {
        name: "drop-wave",
        dim: 2,
        lower: &[-5.12; 2],
        upper: &[5.12; 2],
        f_star: -1.0,
        value: drop_wave,
        grad: Some(drop_wave_g),
    },
    Bench {
        name: "eggholder",
        dim: 2,
        lower: &[-512.0; 2],
        upper: &[512.0; 2],
        f_star: -959.6406627208509,
        value: eggholder,
        grad: None,
    },
    Bench {
        name: "holder-table",
        dim: 2,
        lower: &[-10.0; 2],
        upper: &[10.0; 2],
        f_star: -19.208502567886747,
        value: holder_table,
        grad: None,
    },
    Bench {
        name: "cross-in-tray",
        dim: 2,
        lower: &[-10.0; 2],
        upper: &[10.0; 2],
        f_star: -2.0626118708227392,
        value: cross_in_tray,
        grad: None,
    },
    Bench {
        name: "michalewicz",
        dim: 2,
        lower: &[0.0; 2],
        upper: &[PI; 2],
        f_star: -1.8013034100985525,
        value: michalewicz,
        grad: Some(michalewicz_g),
    },
    Bench {
        name: "hartmann3",
        dim: 3,
        lower: &[0.0; 3],
        upper: &[1.0; 3],
        f_star: -3.862779787332663,
        value: hartmann3,
        grad: Some(hartmann3_g),
    },
    Bench {
        name: "shekel5",
        dim: 4,
        lower: &[0.0; 4],
        upper: &[10.0; 4],
        f_star: -10.153199679058227,
        value: shekel::<5>,
        grad: Some(shekel_g::<5>),
    },
    Bench {
        name: "shekel7",
        dim: 4,
        lower: &[0.0; 4],
        upper: &[10.0; 4],
        f_star: -10.402915336777744,
        value: shekel::<7>,
        grad: Some(shekel_g::<7>),
    },
    Bench {
        name: "shekel10",
        dim: 4,
        lower: &[0.0; 4],
        upper: &[10.0; 4],
        f_star: -10.536443153483525,
        value: shekel::<10>,
        grad: Some(shekel_g::<10>),
    },
    Bench {
        name: "michalewicz",
        dim: 5,
        lower: &[0.0; 5],
        upper: &[PI; 5],
        f_star: -4.687658179088137,
        value: michalewicz,
        grad: Some(michalewicz_g),
    },
    Bench {
        name: "hartmann6",
        dim: 6,
        lower: &[0.0; 6],
        upper: &[1.0; 6],
        f_star: -3.3223680114155147,
        value: hartmann6,
        grad: Some(hartmann6_g),
    },
    Bench {
        name: "michalewicz",
        dim: 10,
        lower: &[0.0; 10],
        upper: &[PI; 10],
        f_star: -9.660151715641287,
        value: michalewicz,
        grad: Some(michalewicz_g),
    },
];

const BRANIN_B: f64 = 5.1 / (4.0 * PI * PI);
const BRANIN_C: f64 = 5.0 / PI;
const BRANIN_T: f64 = 1.0 / (8.0 * PI);

/// Branin: `(x₂ − b x₁² + c x₁ − 6)² + 10(1 − t) cos x₁ + 10` on [−5, 10] × [0, 15].
pub fn branin(x: &[f64]) -> f64 {
    let h = x[1] - BRANIN_B * x[0] * x[0] + BRANIN_C * x[0] - 6.0;
    h * h + 10.0 * (1.0 - BRANIN_T) * x[0].cos() + 10.0
}

pub fn branin_g(x: &[f64], g: &mut [f64]) {
    let h = x[1] - BRANIN_B * x[0] * x[0] + BRANIN_C * x[0] - 6.0;
    g[0] = 2.0 * h * (-2.0 * BRANIN_B * x[0] + BRANIN_C) - 10.0 * (1.0 - BRANIN_T) * x[0].sin();
    g[1] = 2.0 * h;
}

fn gp_parts(x: &[f64]) -> (f64, f64, f64, f64) {
    let (x1, x2) = (x[0], x[1]);
    let u = x1 + x2 + 1.0;
    let p = 19.0 - 14.0 * x1 + 3.0 * x1 * x1 - 14.0 * x2 + 6.0 * x1 * x2 + 3.0 * x2 * x2;
    let v = 2.0 * x1 - 3.0 * x2;
    let q = 18.0 - 32.0 * x1 + 12.0 * x1 * x1 + 48.0 * x2 - 36.0 * x1 * x2 + 27.0 * x2 * x2;
    (u, p, v, q)
}

/// Goldstein–Price on [−2, 2]²: minimum 3 at (0, −1).
pub fn goldstein_price(x: &[f64]) -> f64 {
    let (u, p, v, q) = gp_parts(x);
    (1.0 + u * u * p) * (30.0 + v * v * q)
}

pub fn goldstein_price_g(x: &[f64], g: &mut [f64]) {
    let (x1, x2) = (x[0], x[1]);
    let (u, p, v, q) = gp_parts(x);
    let (a, b) = (1.0 + u * u * p, 30.0 + v * v * q);
    let dp = -14.0 + 6.0 * x1 + 6.0 * x2;
    let da = 2.0 * u * p + u * u * dp;
    let db1 = 4.0 * v * q + v * v * (-32.0 + 24.0 * x1 - 36.0 * x2);
    let db2 = -6.0 * v * q + v * v * (48.0 - 36.0 * x1 + 54.0 * x2);
    g[0] = da * b + a * db1;
    g[1] = da * b + a * db2;
}

fn shubert_1(t: f64) -> (f64, f64) {
    let (mut s, mut ds) = (0.0, 0.0);
    for i in 1..=5 {
        let i = i as f64;
        s += i * ((i + 1.0) * t + i).cos();
        ds -= i * (i + 1.0) * ((i + 1.0) * t + i).sin();
    }
    (s, ds)
}

/// Shubert `Π_k Σ_{i=1}^{5} i cos((i + 1) x_k + i)` on [−10, 10]²: 18 global minima.
pub fn shubert(x: &[f64]) -> f64 {
    shubert_1(x[0]).0 * shubert_1(x[1]).0
}

pub fn shubert_g(x: &[f64], g: &mut [f64]) {
    let (s1, d1) = shubert_1(x[0]);
    let (s2, d2) = shubert_1(x[1]);
    g[0] = d1 * s2;
    g[1] = s1 * d2;
}

/// Drop-wave `−(1 + cos 12r)/(r²/2 + 2)` on [−5.12, 5.12]²: minimum −1 at the origin.
pub fn drop_wave(x: &[f64]) -> f64 {
    let r = x[0].hypot(x[1]);
    -(1.0 + (12.0 * r).cos()) / (0.5 * r * r + 2.0)
}

pub fn drop_wave_g(x: &[f64], g: &mut [f64]) {
    let r = x[0].hypot(x[1]);
    let (n, d) = (1.0 + (12.0 * r).cos(), 0.5 * r * r + 2.0);
    // sin(12 r)/r → 12 at r = 0.
    let s = if r == 0.0 { 12.0 } else { (12.0 * r).sin() / r };
    for (gi, &v) in g.iter_mut().zip(x) {
        *gi = -(-12.0 * s * v * d - n * v) / (d * d);
    }
}

/// Eggholder on [−512, 512]²: minimum ≈ −959.64 at (512, 404.23), on the box's edge.
pub fn eggholder(x: &[f64]) -> f64 {
    let (x1, x2) = (x[0], x[1]);
    -(x2 + 47.0) * (x2 + x1 / 2.0 + 47.0).abs().sqrt().sin()
        - x1 * (x1 - (x2 + 47.0)).abs().sqrt().sin()
}

/// Holder table `−|sin x₁ cos x₂ exp|1 − r/π||` on [−10, 10]²: four minima ≈ −19.2085.
pub fn holder_table(x: &[f64]) -> f64 {
    let r = x[0].hypot(x[1]);
    -(x[0].sin() * x[1].cos() * (1.0 - r / PI).abs().exp()).abs()
}

/// Cross-in-tray `−10⁻⁴(|sin x₁ sin x₂ exp|100 − r/π|| + 1)^0.1` on [−10, 10]²: four
/// minima ≈ −2.06261.
pub fn cross_in_tray(x: &[f64]) -> f64 {
    let r = x[0].hypot(x[1]);
    let v = (x[0].sin() * x[1].sin() * (100.0 - r / PI).abs().exp()).abs();
    -0.0001 * (v + 1.0).powf(0.1)
}

/// Michalewicz (m = 10) `−Σ sin xᵢ sin²⁰(i xᵢ²/π)` on [0, π]ⁿ.
pub fn michalewicz(x: &[f64]) -> f64 {
    -x.iter()
        .enumerate()
        .map(|(i, &v)| v.sin() * ((i + 1) as f64 * v * v / PI).sin().powi(20))
        .sum::<f64>()
}

pub fn michalewicz_g(x: &[f64], g: &mut [f64]) {
    for (i, (gi, &v)) in g.iter_mut().zip(x).enumerate() {
        let k = (i + 1) as f64;
        let u = k * v * v / PI;
        let (su, cu) = (u.sin(), u.cos());
        *gi = -(v.cos() * su.powi(20) + v.sin() * 20.0 * su.powi(19) * cu * 2.0 * k * v / PI);
    }
}

const HARTMANN_ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];
const H3_A: [[f64; 3]; 4] = [
    [3.0, 10.0, 30.0],
    [0.1, 10.0, 35.0],
    [3.0, 10.0, 30.0],
    [0.1, 10.0, 35.0],
];
const H3_P: [[f64; 3]; 4] = [
    [0.3689, 0.1170, 0.2673],
    [0.4699, 0.4387, 0.7470],
    [0.1091, 0.8732, 0.5547],
    [0.0381, 0.5743, 0.8828],
];
const H6_A: [[f64; 6]; 4] = [
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
];
const H6_P: [[f64; 6]; 4] = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

fn hartmann_terms<const D: usize>(
    a: &[[f64; D]; 4],
    p: &[[f64; D]; 4],
    x: &[f64],
    i: usize,
) -> f64 {
    HARTMANN_ALPHA[i]
        * (-(0..D)
            .map(|j| a[i][j] * (x[j] - p[i][j]).powi(2))
            .sum::<f64>())
        .exp()
}

fn hartmann<const D: usize>(a: &[[f64; D]; 4], p: &[[f64; D]; 4], x: &[f64]) -> f64 {
    -(0..4).map(|i| hartmann_terms(a, p, x, i)).sum::<f64>()
}

fn hartmann_grad<const D: usize>(a: &[[f64; D]; 4], p: &[[f64; D]; 4], x: &[f64], g: &mut [f64]) {
    g.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..4 {
        let e = hartmann_terms(a, p, x, i);
        for j in 0..D {
            g[j] += e * 2.0 * a[i][j] * (x[j] - p[i][j]);
        }
    }
}

/// Hartmann 3-D on [0, 1]³: minimum ≈ −3.86278.
pub fn hartmann3(x: &[f64]) -> f64 {
    hartmann(&H3_A, &H3_P, x)
}

pub fn hartmann3_g(x: &[f64], g: &mut [f64]) {
    hartmann_grad(&H3_A, &H3_P, x, g)
}

/// Hartmann 6-D on [0, 1]⁶: minimum ≈ −3.32237.
pub fn hartmann6(x: &[f64]) -> f64 {
    hartmann(&H6_A, &H6_P, x)
}

pub fn hartmann6_g(x: &[f64], g: &mut [f64]) {
    hartmann_grad(&H6_A, &H6_P, x, g)
}

const SHEKEL_BETA: [f64; 10] = [0.1, 0.2, 0.2, 0.4, 0.4, 0.6, 0.3, 0.7, 0.5, 0.5];
const SHEKEL_C: [[f64; 10]; 4] = [
    [4.0, 1.0, 8.0, 6.0, 3.0, 2.0, 5.0, 8.0, 6.0, 7.0],
    [4.0, 1.0, 8.0, 6.0, 7.0, 9.0, 3.0, 1.0, 2.0, 3.6],
    [4.0, 1.0, 8.0, 6.0, 3.0, 2.0, 5.0, 8.0, 6.0, 7.0],
    [4.0, 1.0, 8.0, 6.0, 7.0, 9.0, 3.0, 1.0, 2.0, 3.6],
];

fn shekel_d(x: &[f64], i: usize) -> f64 {
    (0..4).map(|j| (x[j] - SHEKEL_C[j][i]).powi(2)).sum::<f64>() + SHEKEL_BETA[i]
}

/// Shekel `−Σ_{i<M} 1/(‖x − Cᵢ‖² + βᵢ)` on [0, 10]⁴ (M = 5, 7, 10): minimum near (4, 4, 4, 4).
pub fn shekel<const M: usize>(x: &[f64]) -> f64 {
    -(0..M).map(|i| 1.0 / shekel_d(x, i)).sum::<f64>()
}

pub fn shekel_g<const M: usize>(x: &[f64], g: &mut [f64]) {
    g.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..M {
        let d = shekel_d(x, i);
        for j in 0..4 {
            g[j] += 2.0 * (x[j] - SHEKEL_C[j][i]) / (d * d);
        }
    }
}
