//! Test landscapes the global methods were not designed around, beyond those of
//! `lossmap::testfn`, with analytic gradients (the same formulas as
//! tests/reference/global_de_da.py), and the cases shared with that script.
#![allow(dead_code)]

use lossmap::testfn::{Ackley, Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::{Error, Objective};

/// `max_{|x| ≤ 500} x sin √|x|`, so that Schwefel's minimum is 0 (tests/reference/global_de_da.txt).
pub const SCHWEFEL_C: f64 = 418.9828872724328;

/// Schwefel's function `Σ (C − xᵢ sin √|xᵢ|)` on `[−500, 500]ⁿ`: minimum 0 at `xᵢ ≈ 420.9687`,
/// far from the next best minima, near the box's corner.
#[derive(Debug, Clone, Copy)]
pub struct Schwefel;

impl<const N: usize> Objective<f64, N> for Schwefel {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        x.iter()
            .map(|&v| SCHWEFEL_C - v * v.abs().sqrt().sin())
            .sum()
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        for (gi, &v) in g.iter_mut().zip(x) {
            let s = v.abs().sqrt();
            *gi = -(s.sin() + 0.5 * s * s.cos());
        }
        Ok(0)
    }
}

/// Griewank's function `1 + Σ xᵢ²/4000 − Π cos(xᵢ/√i)` on `[−600, 600]ⁿ`: minimum 0 at the
/// origin among many shallow minima.
#[derive(Debug, Clone, Copy)]
pub struct Griewank;

impl<const N: usize> Objective<f64, N> for Griewank {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let s: f64 = x.iter().map(|v| v * v).sum::<f64>() / 4000.0;
        let p: f64 = x
            .iter()
            .enumerate()
            .map(|(i, v)| (v / ((i + 1) as f64).sqrt()).cos())
            .product();
        1.0 + s - p
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        for k in 0..N {
            let mut others = 1.0;
            for (i, v) in x.iter().enumerate() {
                if i != k {
                    others *= (v / ((i + 1) as f64).sqrt()).cos();
                }
            }
            let r = ((k + 1) as f64).sqrt();
            g[k] = x[k] / 2000.0 + (x[k] / r).sin() / r * others;
        }
        Ok(0)
    }
}

/// Levy's function (`wᵢ = 1 + (xᵢ − 1)/4`) on `[−10, 10]ⁿ`: minimum 0 at `(1, …, 1)`.
#[derive(Debug, Clone, Copy)]
pub struct Levy;

impl<const N: usize> Objective<f64, N> for Levy {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let pi = core::f64::consts::PI;
        let w = x.map(|v| 1.0 + (v - 1.0) / 4.0);
        let mut f = (pi * w[0]).sin().powi(2);
        for &wi in &w[..N - 1] {
            f += (wi - 1.0).powi(2) * (1.0 + 10.0 * (pi * wi + 1.0).sin().powi(2));
        }
        let wn = w[N - 1];
        f + (wn - 1.0).powi(2) * (1.0 + (2.0 * pi * wn).sin().powi(2))
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        let pi = core::f64::consts::PI;
        let w = x.map(|v| 1.0 + (v - 1.0) / 4.0);
        *g = [0.0; N];
        g[0] += pi * (2.0 * pi * w[0]).sin();
        for k in 0..N - 1 {
            let s = (pi * w[k] + 1.0).sin();
            g[k] += 2.0 * (w[k] - 1.0) * (1.0 + 10.0 * s * s)
                + (w[k] - 1.0).powi(2) * 10.0 * pi * (2.0 * (pi * w[k] + 1.0)).sin();
        }
        let k = N - 1;
        let s = (2.0 * pi * w[k]).sin();
        g[k] += 2.0 * (w[k] - 1.0) * (1.0 + s * s)
            + (w[k] - 1.0).powi(2) * 2.0 * pi * (4.0 * pi * w[k]).sin();
        for gi in g.iter_mut() {
            *gi /= 4.0;
        }
        Ok(0)
    }
}

/// Styblinski–Tang's minimum per coordinate.
pub const ST_MIN: f64 = -39.16616570377142;
/// Success: a loss below f* + TOL.
pub const TOL: f64 = 1e-6;

/// One case of the comparison with scipy: name, dimension, box, f*, evaluation budget.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub dim: usize,
    pub lower: [f64; 2],
    pub upper: [f64; 2],
    pub f_star: f64,
    pub budget: usize,
}

/// The cases of tests/reference/global_de_da.py (`lower`/`upper` per coordinate: the camel's
/// box is [−3, 3] × [−2, 2], the others are cubes).
pub const CASES: [Case; 8] = [
    Case {
        name: "rastrigin",
        dim: 2,
        lower: [-5.12; 2],
        upper: [5.12; 2],
        f_star: 0.0,
        budget: 20_000,
    },
    Case {
        name: "rastrigin",
        dim: 5,
        lower: [-5.12; 2],
        upper: [5.12; 2],
        f_star: 0.0,
        budget: 50_000,
    },
    Case {
        name: "ackley",
        dim: 2,
        lower: [-32.768; 2],
        upper: [32.768; 2],
        f_star: 0.0,
        budget: 20_000,
    },
    Case {
        name: "styblinski-tang",
        dim: 5,
        lower: [-5.0; 2],
        upper: [5.0; 2],
        f_star: 5.0 * ST_MIN,
        budget: 50_000,
    },
    Case {
        name: "six-hump-camel",
        dim: 2,
        lower: [-3.0, -2.0],
        upper: [3.0, 2.0],
        f_star: -1.0316284534898774,
        budget: 20_000,
    },
    Case {
        name: "schwefel",
        dim: 2,
        lower: [-500.0; 2],
        upper: [500.0; 2],
        f_star: 0.0,
        budget: 20_000,
    },
    Case {
        name: "griewank",
        dim: 2,
        lower: [-600.0; 2],
        upper: [600.0; 2],
        f_star: 0.0,
        budget: 20_000,
    },
    Case {
        name: "levy",
        dim: 5,
        lower: [-10.0; 2],
        upper: [10.0; 2],
        f_star: 0.0,
        budget: 50_000,
    },
];

/// The box of a case in `N` dimensions.
pub fn boxed<const N: usize>(c: &Case) -> ([f64; N], [f64; N]) {
    if N == 2 {
        let mut lo = [0.0; N];
        let mut hi = [0.0; N];
        lo.copy_from_slice(&c.lower[..N]);
        hi.copy_from_slice(&c.upper[..N]);
        (lo, hi)
    } else {
        ([c.lower[0]; N], [c.upper[0]; N])
    }
}

/// Calls `$run::<_, N, ..>(objective, case)` with the case's objective and dimension.
#[macro_export]
macro_rules! dispatch {
    ($case:expr, $run2:ident, $run5:ident) => {{
        use lossmap::testfn::{Ackley, Rastrigin, SixHumpCamel, StyblinskiTang};
        let c = $case;
        match (c.name, c.dim) {
            ("rastrigin", 2) => $run2(Rastrigin::<2>, c),
            ("rastrigin", 5) => $run5(Rastrigin::<5>, c),
            ("ackley", 2) => $run2(Ackley::<2>, c),
            ("styblinski-tang", 5) => $run5(StyblinskiTang::<5>, c),
            ("six-hump-camel", 2) => $run2(SixHumpCamel, c),
            ("schwefel", 2) => $run2(global_landscapes::Schwefel, c),
            ("griewank", 2) => $run2(global_landscapes::Griewank, c),
            ("levy", 5) => $run5(global_landscapes::Levy, c),
            _ => unreachable!("unknown case {}", c.name),
        }
    }};
}

/// Keeps the imports used by the macro's expansion sites visible here.
pub fn _uses() -> (Ackley<2>, Rastrigin<2>, SixHumpCamel, StyblinskiTang<2>) {
    (Ackley, Rastrigin, SixHumpCamel, StyblinskiTang)
}
