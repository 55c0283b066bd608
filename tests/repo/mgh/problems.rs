//! The Moré–Garbow–Hillstrom problems (ACM TOMS 7(1), 1981) as residual functions, with the
//! paper's standard starts. Transcribed independently of `tests/reference/mgh.py`; the test
//! checks that both give the same `f(x₀) = Σ rᵢ²` for every problem. Index loops follow the
//! paper's formulas term by term.
#![allow(clippy::needless_range_loop)]

use std::f64::consts::PI;

/// One least-squares problem: `m` residuals of `n` parameters.
pub struct Problem {
    pub name: &'static str,
    pub m: usize,
    pub x0: Vec<f64>,
    pub residuals: fn(&[f64], &mut [f64]),
}

const N: usize = 10;
const LIN_M: usize = 20;
const GULF_M: usize = 99;

fn rosenbrock(x: &[f64], r: &mut [f64]) {
    r[0] = 10.0 * (x[1] - x[0] * x[0]);
    r[1] = 1.0 - x[0];
}

fn freudenstein_roth(x: &[f64], r: &mut [f64]) {
    r[0] = -13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1];
    r[1] = -29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1];
}

fn powell_badly_scaled(x: &[f64], r: &mut [f64]) {
    r[0] = 1e4 * x[0] * x[1] - 1.0;
    r[1] = (-x[0]).exp() + (-x[1]).exp() - 1.0001;
}

fn brown_badly_scaled(x: &[f64], r: &mut [f64]) {
    r[0] = x[0] - 1e6;
    r[1] = x[1] - 2e-6;
    r[2] = x[0] * x[1] - 2.0;
}

fn beale(x: &[f64], r: &mut [f64]) {
    let y = [1.5, 2.25, 2.625];
    for i in 0..3 {
        r[i] = y[i] - x[0] * (1.0 - x[1].powi(i as i32 + 1));
    }
}

fn jennrich_sampson(x: &[f64], r: &mut [f64]) {
    for (k, ri) in r.iter_mut().enumerate() {
        let i = (k + 1) as f64;
        *ri = 2.0 + 2.0 * i - ((i * x[0]).exp() + (i * x[1]).exp());
    }
}

fn helical_valley(x: &[f64], r: &mut [f64]) {
    let theta = if x[0] > 0.0 {
        (x[1] / x[0]).atan() / (2.0 * PI)
    } else if x[0] < 0.0 {
        (x[1] / x[0]).atan() / (2.0 * PI) + 0.5
    } else if x[1] >= 0.0 {
        0.25
    } else {
        -0.25
    };
    r[0] = 10.0 * (x[2] - 10.0 * theta);
    r[1] = 10.0 * (x[0].hypot(x[1]) - 1.0);
    r[2] = x[2];
}

const BARD_Y: [f64; 15] = [
    0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
];

fn bard(x: &[f64], r: &mut [f64]) {
    for k in 0..15 {
        let u = (k + 1) as f64;
        let v = 16.0 - u;
        let w = u.min(v);
        r[k] = BARD_Y[k] - (x[0] + u / (v * x[1] + w * x[2]));
    }
}

const GAUSS_Y: [f64; 15] = [
    0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540,
    0.0175, 0.0044, 0.0009,
];

fn gaussian(x: &[f64], r: &mut [f64]) {
    for k in 0..15 {
        let t = (8.0 - (k + 1) as f64) / 2.0;
        r[k] = x[0] * (-x[1] * (t - x[2]) * (t - x[2]) / 2.0).exp() - GAUSS_Y[k];
    }
}

const MEYER_Y: [f64; 16] = [
    34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0, 7030.0, 6005.0,
    5147.0, 4427.0, 3820.0, 3307.0, 2872.0,
];

fn meyer(x: &[f64], r: &mut [f64]) {
    for k in 0..16 {
        let t = 45.0 + 5.0 * (k + 1) as f64;
        r[k] = x[0] * (x[1] / (t + x[2])).exp() - MEYER_Y[k];
    }
}

fn gulf(x: &[f64], r: &mut [f64]) {
    for (k, ri) in r.iter_mut().enumerate() {
        let t = (k + 1) as f64 / 100.0;
        let u = 25.0 + (-50.0 * t.ln()).powf(2.0 / 3.0);
        *ri = (-((u - x[1]).abs().powf(x[2])) / x[0]).exp() - t;
    }
}

fn box3d(x: &[f64], r: &mut [f64]) {
    for (k, ri) in r.iter_mut().enumerate() {
        let t = 0.1 * (k + 1) as f64;
        *ri = (-t * x[0]).exp() - (-t * x[1]).exp() - x[2] * ((-t).exp() - (-10.0 * t).exp());
    }
}

fn powell_singular(x: &[f64], r: &mut [f64]) {
    r[0] = x[0] + 10.0 * x[1];
    r[1] = 5f64.sqrt() * (x[2] - x[3]);
    r[2] = (x[1] - 2.0 * x[2]).powi(2);
    r[3] = 10f64.sqrt() * (x[0] - x[3]).powi(2);
}

fn wood(x: &[f64], r: &mut [f64]) {
    r[0] = 10.0 * (x[1] - x[0] * x[0]);
    r[1] = 1.0 - x[0];
    r[2] = 90f64.sqrt() * (x[3] - x[2] * x[2]);
    r[3] = 1.0 - x[2];
    r[4] = 10f64.sqrt() * (x[1] + x[3] - 2.0);
    r[5] = (x[1] - x[3]) / 10f64.sqrt();
}

const KO_Y: [f64; 11] = [
    0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246,
];
const KO_U: [f64; 11] = [
    4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625,
];

fn kowalik_osborne(x: &[f64], r: &mut [f64]) {
    for k in 0..11 {
        let u = KO_U[k];
        r[k] = KO_Y[k] - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3]);
    }
}

fn brown_dennis(x: &[f64], r: &mut [f64]) {
    for (k, ri) in r.iter_mut().enumerate() {
        let t = (k + 1) as f64 / 5.0;
        *ri = (x[0] + t * x[1] - t.exp()).powi(2) + (x[2] + x[3] * t.sin() - t.cos()).powi(2);
    }
}

const OS1_Y: [f64; 33] = [
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685,
    0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448,
    0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
];

fn osborne1(x: &[f64], r: &mut [f64]) {
    for k in 0..33 {
        let t = 10.0 * k as f64;
        r[k] = OS1_Y[k] - (x[0] + x[1] * (-t * x[3]).exp() + x[2] * (-t * x[4]).exp());
    }
}

fn biggs_exp6(x: &[f64], r: &mut [f64]) {
    for (k, ri) in r.iter_mut().enumerate() {
        let t = 0.1 * (k + 1) as f64;
        let y = (-t).exp() - 5.0 * (-10.0 * t).exp() + 3.0 * (-4.0 * t).exp();
        *ri = x[2] * (-t * x[0]).exp() - x[3] * (-t * x[1]).exp() + x[5] * (-t * x[4]).exp() - y;
    }
}

const OS2_Y: [f64; 65] = [
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608,
    0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624, 0.661,
    0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428,
    0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559,
    0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054,
];

fn osborne2(x: &[f64], r: &mut [f64]) {
    for k in 0..65 {
        let t = k as f64 / 10.0;
        let g = |a: f64, c: f64, w: f64| a * (-(t - c) * (t - c) * w).exp();
        r[k] = OS2_Y[k]
            - (x[0] * (-t * x[4]).exp()
                + g(x[1], x[8], x[5])
                + g(x[2], x[9], x[6])
                + g(x[3], x[10], x[7]));
    }
}

fn watson(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    for k in 0..29 {
        let t = (k + 1) as f64 / 29.0;
        let s1: f64 = (2..=n)
            .map(|j| (j - 1) as f64 * x[j - 1] * t.powi(j as i32 - 2))
            .sum();
        let s2: f64 = (1..=n).map(|j| x[j - 1] * t.powi(j as i32 - 1)).sum();
        r[k] = s1 - s2 * s2 - 1.0;
    }
    r[29] = x[0];
    r[30] = x[1] - x[0] * x[0] - 1.0;
}

fn extended_rosenbrock(x: &[f64], r: &mut [f64]) {
    for i in (0..x.len()).step_by(2) {
        rosenbrock(&x[i..i + 2], &mut r[i..i + 2]);
    }
}

fn extended_powell(x: &[f64], r: &mut [f64]) {
    for i in (0..x.len()).step_by(4) {
        powell_singular(&x[i..i + 4], &mut r[i..i + 4]);
    }
}

fn penalty1(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let a = 1e-5f64.sqrt();
    for i in 0..n {
        r[i] = a * (x[i] - 1.0);
    }
    r[n] = x.iter().map(|v| v * v).sum::<f64>() - 0.25;
}

fn penalty2(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let a = 1e-5f64.sqrt();
    r[0] = x[0] - 0.2;
    for i in 2..=n {
        let y = (i as f64 / 10.0).exp() + ((i - 1) as f64 / 10.0).exp();
        r[i - 1] = a * ((x[i - 1] / 10.0).exp() + (x[i - 2] / 10.0).exp() - y);
    }
    for i in n + 1..2 * n {
        r[i - 1] = a * ((x[i - n] / 10.0).exp() - (-0.1f64).exp());
    }
    r[2 * n - 1] = (1..=n)
        .map(|j| (n - j + 1) as f64 * x[j - 1] * x[j - 1])
        .sum::<f64>()
        - 1.0;
}

fn variably_dimensioned(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let s: f64 = x
        .iter()
        .enumerate()
        .map(|(j, v)| (j + 1) as f64 * (v - 1.0))
        .sum();
    for i in 0..n {
        r[i] = x[i] - 1.0;
    }
    r[n] = s;
    r[n + 1] = s * s;
}

fn trigonometric(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let c: f64 = x.iter().map(|v| v.cos()).sum();
    for i in 0..n {
        r[i] = n as f64 - c + (i + 1) as f64 * (1.0 - x[i].cos()) - x[i].sin();
    }
}

fn brown_almost_linear(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let s: f64 = x.iter().sum();
    for i in 0..n - 1 {
        r[i] = x[i] + s - (n + 1) as f64;
    }
    r[n - 1] = x.iter().product::<f64>() - 1.0;
}

fn discrete_boundary(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let h = 1.0 / (n + 1) as f64;
    for i in 0..n {
        let t = (i + 1) as f64 * h;
        let lo = if i > 0 { x[i - 1] } else { 0.0 };
        let hi = if i + 1 < n { x[i + 1] } else { 0.0 };
        r[i] = 2.0 * x[i] - lo - hi + h * h * (x[i] + t + 1.0).powi(3) / 2.0;
    }
}

fn discrete_integral(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let h = 1.0 / (n + 1) as f64;
    let t = |j: usize| (j + 1) as f64 * h;
    for i in 0..n {
        let s1: f64 = (0..=i).map(|j| t(j) * (x[j] + t(j) + 1.0).powi(3)).sum();
        let s2: f64 = (i + 1..n)
            .map(|j| (1.0 - t(j)) * (x[j] + t(j) + 1.0).powi(3))
            .sum();
        r[i] = x[i] + h * ((1.0 - t(i)) * s1 + t(i) * s2) / 2.0;
    }
}

fn broyden_tridiagonal(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    for i in 0..n {
        let lo = if i > 0 { x[i - 1] } else { 0.0 };
        let hi = if i + 1 < n { x[i + 1] } else { 0.0 };
        r[i] = (3.0 - 2.0 * x[i]) * x[i] - lo - 2.0 * hi + 1.0;
    }
}

fn broyden_banded(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    for i in 0..n {
        let s: f64 = (i.saturating_sub(5)..(i + 2).min(n))
            .filter(|&j| j != i)
            .map(|j| x[j] * (1.0 + x[j]))
            .sum();
        r[i] = x[i] * (2.0 + 5.0 * x[i] * x[i]) + 1.0 - s;
    }
}

fn linear_full_rank(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let s: f64 = x.iter().sum();
    for (i, ri) in r.iter_mut().enumerate() {
        *ri = if i < n { x[i] } else { 0.0 } - 2.0 * s / LIN_M as f64 - 1.0;
    }
}

fn linear_rank1(x: &[f64], r: &mut [f64]) {
    let s: f64 = x.iter().enumerate().map(|(j, v)| (j + 1) as f64 * v).sum();
    for (i, ri) in r.iter_mut().enumerate() {
        *ri = (i + 1) as f64 * s - 1.0;
    }
}

fn linear_rank1_zero(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    let s: f64 = (1..n - 1).map(|j| (j + 1) as f64 * x[j]).sum();
    for (i, ri) in r.iter_mut().enumerate() {
        *ri = if i == 0 || i == LIN_M - 1 {
            -1.0
        } else {
            i as f64 * s - 1.0
        };
    }
}

fn chebyquad(x: &[f64], r: &mut [f64]) {
    let n = x.len();
    for (k, ri) in r.iter_mut().enumerate() {
        let i = k + 1;
        let mut s = 0.0;
        for &xj in x {
            let y = 2.0 * xj - 1.0;
            let (mut t0, mut t1) = (1.0, y);
            for _ in 1..i {
                let t2 = 2.0 * y * t1 - t0;
                t0 = t1;
                t1 = t2;
            }
            s += t1;
        }
        let integral = if i % 2 == 0 {
            -1.0 / (i * i - 1) as f64
        } else {
            0.0
        };
        *ri = s / n as f64 - integral;
    }
}

fn grid(n: usize) -> Vec<f64> {
    let h = 1.0 / (n + 1) as f64;
    (1..=n)
        .map(|j| j as f64 * h * (j as f64 * h - 1.0))
        .collect()
}

/// Every problem, in the order of `tests/reference/mgh.py`.
pub fn all() -> Vec<Problem> {
    let p = |name, m, x0: Vec<f64>, residuals| Problem {
        name,
        m,
        x0,
        residuals,
    };
    vec![
        p("rosenbrock", 2, vec![-1.2, 1.0], rosenbrock),
        p("freudenstein_roth", 2, vec![0.5, -2.0], freudenstein_roth),
        p(
            "powell_badly_scaled",
            2,
            vec![0.0, 1.0],
            powell_badly_scaled,
        ),
        p("brown_badly_scaled", 3, vec![1.0, 1.0], brown_badly_scaled),
        p("beale", 3, vec![1.0, 1.0], beale),
        p("jennrich_sampson", 10, vec![0.3, 0.4], jennrich_sampson),
        p("helical_valley", 3, vec![-1.0, 0.0, 0.0], helical_valley),
        p("bard", 15, vec![1.0; 3], bard),
        p("gaussian", 15, vec![0.4, 1.0, 0.0], gaussian),
        p("meyer", 16, vec![0.02, 4000.0, 250.0], meyer),
        p("gulf", GULF_M, vec![5.0, 2.5, 0.15], gulf),
        p("box3d", 10, vec![0.0, 10.0, 20.0], box3d),
        p(
            "powell_singular",
            4,
            vec![3.0, -1.0, 0.0, 1.0],
            powell_singular,
        ),
        p("wood", 6, vec![-3.0, -1.0, -3.0, -1.0], wood),
        p(
            "kowalik_osborne",
            11,
            vec![0.25, 0.39, 0.415, 0.39],
            kowalik_osborne,
        ),
        p(
            "brown_dennis",
            20,
            vec![25.0, 5.0, -5.0, -1.0],
            brown_dennis,
        ),
        p("osborne1", 33, vec![0.5, 1.5, -1.0, 0.01, 0.02], osborne1),
        p(
            "biggs_exp6",
            13,
            vec![1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
            biggs_exp6,
        ),
        p(
            "osborne2",
            65,
            vec![1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5],
            osborne2,
        ),
        p("watson6", 31, vec![0.0; 6], watson),
        p("watson9", 31, vec![0.0; 9], watson),
        p(
            "extended_rosenbrock10",
            10,
            [-1.2, 1.0].repeat(5),
            extended_rosenbrock,
        ),
        p(
            "extended_powell12",
            12,
            [3.0, -1.0, 0.0, 1.0].repeat(3),
            extended_powell,
        ),
        p(
            "penalty1_10",
            N + 1,
            (1..=N).map(|j| j as f64).collect(),
            penalty1,
        ),
        p("penalty2_10", 2 * N, vec![0.5; N], penalty2),
        p(
            "variably_dimensioned10",
            N + 2,
            (1..=N).map(|j| 1.0 - j as f64 / N as f64).collect(),
            variably_dimensioned,
        ),
        p("trigonometric10", N, vec![1.0 / N as f64; N], trigonometric),
        p(
            "brown_almost_linear10",
            N,
            vec![0.5; N],
            brown_almost_linear,
        ),
        p("discrete_boundary10", N, grid(N), discrete_boundary),
        p("discrete_integral10", N, grid(N), discrete_integral),
        p(
            "broyden_tridiagonal10",
            N,
            vec![-1.0; N],
            broyden_tridiagonal,
        ),
        p("broyden_banded10", N, vec![-1.0; N], broyden_banded),
        p("linear_full_rank10", LIN_M, vec![1.0; N], linear_full_rank),
        p("linear_rank1_10", LIN_M, vec![1.0; N], linear_rank1),
        p(
            "linear_rank1_zero10",
            LIN_M,
            vec![1.0; N],
            linear_rank1_zero,
        ),
        p(
            "chebyquad10",
            N,
            (1..=N).map(|j| j as f64 / (N + 1) as f64).collect(),
            chebyquad,
        ),
    ]
}
