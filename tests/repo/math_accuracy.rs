//! The measured accuracy of every [`Real`] function, per backend: f32 through libm, f32 through
//! micromath, f64 through libm. Prints Markdown tables, writes them to
//! `target/lossmap-reports/math-accuracy.txt`, and asserts every bound it prints, so the tables
//! cannot drift silently.
//!
//! References, independent of the function under test:
//! - f32 rows: libm's f64 functions at the same inputs (widened exactly). Their error, ≤ 1 f64 ulp
//!   (2⁻²⁹ f32 ulp), is itself measured against mpmath by the f64 rows.
//! - f64 rows: mpmath at 200 bits, computed outside the crate by
//!   `tests/reference/math_accuracy.py` and kept as a double-double `hi + lo`.
//!
//! Bounds, each derived from the method, none fitted to the grid:
//! - libm: IEEE 754's correct rounding for `sqrt` (½ ulp) and exactness for `floor`; 1 ulp for
//!   the rest, the accuracy musl's and FreeBSD's libm (which the `libm` crate ports) state for
//!   them, except 2 ulp for `tanh` (libm's own note: "up to 2ulp error in [0.1,0.2554]") and
//!   `atan2` (atan's 1 ulp plus the roundings of `y/x` and of the quadrant's ±π; the first
//!   guess, 1 ulp, was refuted by the measurement: 1.38 ulp in f32, 1.05 in f64).
//! - micromath: the error of each approximation, from its formula (see [`mm_bounds`]).
//! - `powi` (lossmap's binary exponentiation): `k` roundings that compound to `|k|` ulp for
//!   `k > 0`, twice that for `k < 0` (the reciprocal first).
//!
//! Besides the per-row bounds, the test checks that lossmap's `f32` functions are exactly the
//! backend the table says they use in this build (with `--features micromath`: micromath for
//! `sin` and `cos`, libm for the rest), and that lossmap's special values (NaN, ±∞, 0) follow
//! IEEE 754 / C99 Annex F in both builds.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/micromath_trig.rs"]
mod micromath_trig;

use lossmap::Real;
use micromath::F32Ext;
use micromath_trig::{
    cos_model, rounding, sin_model, value_error, APPROX_CURVATURE, APPROX_SLOPE, APPROX_VALUE,
};
use std::f64::consts::PI;
use std::fmt::Write as _;

const REFERENCE: &str = include_str!("../reference/math_accuracy.txt");

#[derive(Clone, Copy, PartialEq, Debug)]
enum F {
    Sqrt,
    Cbrt,
    Exp,
    Ln,
    Ln1p,
    ExpM1,
    Sin,
    Cos,
    Tanh,
    Atan2,
    Powf,
    Hypot,
    Floor,
    Powi,
}

impl F {
    fn name(self) -> &'static str {
        match self {
            F::Sqrt => "sqrt",
            F::Cbrt => "cbrt",
            F::Exp => "exp",
            F::Ln => "ln",
            F::Ln1p => "ln_1p",
            F::ExpM1 => "exp_m1",
            F::Sin => "sin",
            F::Cos => "cos",
            F::Tanh => "tanh",
            F::Atan2 => "atan2",
            F::Powf => "powf",
            F::Hypot => "hypot",
            F::Floor => "floor",
            F::Powi => "powi",
        }
    }

    /// The backend lossmap's `f32` uses for this function with the `micromath` feature.
    fn with_micromath(self) -> Backend {
        if matches!(self, F::Sin | F::Cos) {
            Backend::Micromath
        } else {
            Backend::Libm
        }
    }

    /// The backend lossmap's `f32` uses for this function in this build.
    fn lossmap_f32_backend(self) -> Backend {
        if cfg!(feature = "micromath") {
            self.with_micromath()
        } else {
            Backend::Libm
        }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Backend {
    Libm,
    Micromath,
}

/// lossmap's `f32` function (whatever backend this build uses).
fn lossmap32(f: F, x: f32, y: f32) -> f32 {
    match f {
        F::Sqrt => Real::sqrt(x),
        F::Cbrt => Real::cbrt(x),
        F::Exp => Real::exp(x),
        F::Ln => Real::ln(x),
        F::Ln1p => Real::ln_1p(x),
        F::ExpM1 => Real::exp_m1(x),
        F::Sin => Real::sin(x),
        F::Cos => Real::cos(x),
        F::Tanh => Real::tanh(x),
        F::Atan2 => Real::atan2(x, y),
        F::Powf => Real::powf(x, y),
        F::Hypot => Real::hypot(x, y),
        F::Floor => Real::floor(x),
        F::Powi => Real::powi(x, y as i32),
    }
}

/// lossmap's `f64` function (always libm).
fn lossmap64(f: F, x: f64, y: f64) -> f64 {
    match f {
        F::Sqrt => Real::sqrt(x),
        F::Cbrt => Real::cbrt(x),
        F::Exp => Real::exp(x),
        F::Ln => Real::ln(x),
        F::Ln1p => Real::ln_1p(x),
        F::ExpM1 => Real::exp_m1(x),
        F::Sin => Real::sin(x),
        F::Cos => Real::cos(x),
        F::Tanh => Real::tanh(x),
        F::Atan2 => Real::atan2(x, y),
        F::Powf => Real::powf(x, y),
        F::Hypot => Real::hypot(x, y),
        F::Floor => Real::floor(x),
        F::Powi => Real::powi(x, y as i32),
    }
}

/// libm's f32 function (`powi`: lossmap's own, the same under every backend).
fn libm32(f: F, x: f32, y: f32) -> f32 {
    match f {
        F::Sqrt => libm::sqrtf(x),
        F::Cbrt => libm::cbrtf(x),
        F::Exp => libm::expf(x),
        F::Ln => libm::logf(x),
        F::Ln1p => libm::log1pf(x),
        F::ExpM1 => libm::expm1f(x),
        F::Sin => libm::sinf(x),
        F::Cos => libm::cosf(x),
        F::Tanh => libm::tanhf(x),
        F::Atan2 => libm::atan2f(x, y),
        F::Powf => libm::powf(x, y),
        F::Hypot => libm::hypotf(x, y),
        F::Floor => libm::floorf(x),
        F::Powi => Real::powi(x, y as i32),
    }
}

/// micromath's f32 function, where it has one.
fn micromath32(f: F, x: f32, y: f32) -> Option<f32> {
    Some(match f {
        F::Sqrt => F32Ext::sqrt(x),
        F::Exp => F32Ext::exp(x),
        F::Ln => F32Ext::ln(x),
        F::Sin => F32Ext::sin(x),
        F::Cos => F32Ext::cos(x),
        F::Atan2 => F32Ext::atan2(x, y),
        F::Powf => F32Ext::powf(x, y),
        F::Hypot => F32Ext::hypot(x, y),
        F::Floor => F32Ext::floor(x),
        F::Cbrt | F::Ln1p | F::ExpM1 | F::Tanh | F::Powi => return None,
    })
}

/// The f32 reference: libm's f64 function at the widened inputs (`powi`: libm's `pow`).
fn reference64(f: F, x: f64, y: f64) -> f64 {
    match f {
        F::Sqrt => libm::sqrt(x),
        F::Cbrt => libm::cbrt(x),
        F::Exp => libm::exp(x),
        F::Ln => libm::log(x),
        F::Ln1p => libm::log1p(x),
        F::ExpM1 => libm::expm1(x),
        F::Sin => libm::sin(x),
        F::Cos => libm::cos(x),
        F::Tanh => libm::tanh(x),
        F::Atan2 => libm::atan2(x, y),
        F::Powf | F::Powi => libm::pow(x, y),
        F::Hypot => libm::hypot(x, y),
        F::Floor => libm::floor(x),
    }
}

/// One ulp of `r` in a format with `mant` fraction bits and minimum exponent `emin`.
fn ulp(r: f64, mant: i32, emin: i32) -> f64 {
    let e = if r == 0.0 || !r.is_finite() {
        emin
    } else {
        (((r.abs().to_bits() >> 52) & 0x7ff) as i32 - 1023).max(emin)
    };
    // 2^(e − mant), built from its bits: `powi` would underflow through 1/2^1074.
    let p = e - mant;
    if p >= -1022 {
        f64::from_bits(((p + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (p + 1074))
    }
}

/// Worst errors over a row's points.
#[derive(Clone, Copy, Default)]
struct Worst {
    rel: f64,
    abs: f64,
    ulp: f64,
}

impl Worst {
    /// Adds one point: `err` = result − exact (∞ when the result is not finite but the exact
    /// value is), `exact` the exact value, `unit` one ulp of it.
    fn add(&mut self, err: f64, exact: f64, unit: f64) {
        let a = err.abs();
        self.abs = self.abs.max(a);
        self.ulp = self.ulp.max(a / unit);
        if exact != 0.0 {
            self.rel = self.rel.max(a / exact.abs());
        }
    }
    fn get(&self, m: Metric) -> f64 {
        match m {
            Metric::Rel => self.rel,
            Metric::Abs => self.abs,
            Metric::Ulp => self.ulp,
        }
    }
}

#[derive(Clone, Copy)]
enum Metric {
    Rel,
    Abs,
    Ulp,
}

/// A promised bound on one metric, and where it comes from.
#[derive(Clone, Copy)]
struct Bound {
    metric: Metric,
    value: f64,
    why: &'static str,
}

fn ulps(value: f64, why: &'static str) -> Bound {
    Bound {
        metric: Metric::Ulp,
        value,
        why,
    }
}

/// The default libm bound: 1 ulp, the stated accuracy of musl's / FreeBSD's libm.
const LIBM_1ULP: Bound = Bound {
    metric: Metric::Ulp,
    value: 1.0,
    why: "msun/musl: < 1 ulp",
};

/// atan2: atan's < 1 ulp, plus the rounding of the quotient `y/x` (½ ulp, passed on with a
/// factor ≤ 1 since `|z·atan′(z)/atan(z)| ≤ 1`) and of the quadrant's `±π` correction (½ ulp).
const ATAN2_BOUND: Bound = Bound {
    metric: Metric::Ulp,
    value: 2.0,
    why: "atan + quotient + π",
};

fn fmt_bound(b: &Bound) -> String {
    match b.metric {
        Metric::Ulp => format!("≤ {} ulp", b.value),
        Metric::Rel => format!("rel ≤ {:.2e}", b.value),
        Metric::Abs => format!("abs ≤ {:.2e}", b.value),
    }
}

fn uniform(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
}

fn log_uniform(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
    let (a, b) = (lo.ln(), hi.ln());
    (0..n).map(move |i| (a + (b - a) * i as f64 / (n - 1) as f64).exp())
}

/// Alternating signs.
fn signed(it: impl Iterator<Item = f64>) -> impl Iterator<Item = f64> {
    it.enumerate().map(|(i, v)| if i % 2 == 0 { v } else { -v })
}

/// `(r sin t, r cos t)`: `t` sweeps [−t_max, t_max], `r` log-uniform, walked with a coprime
/// stride.
fn polar(n: usize, t_max: f64, r_lo: f64, r_hi: f64) -> Vec<(f64, f64)> {
    let rs: Vec<f64> = log_uniform(r_lo, r_hi, n).collect();
    uniform(-t_max, t_max, n)
        .enumerate()
        .map(|(i, t)| {
            let r = rs[(7919 * i) % n];
            (r * t.sin(), r * t.cos())
        })
        .collect()
}

fn unary(it: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    it.map(|x| (x, 0.0)).collect()
}

fn grid2(xs: impl Iterator<Item = f64>, ys: Vec<f64>) -> Vec<(f64, f64)> {
    xs.flat_map(|x| ys.iter().map(move |&y| (x, y))).collect()
}

/// Points per one-dimensional f32 row (odd, so the middle of a symmetric domain is on it).
const N1: usize = (1 << 16) + 1;

struct Row32 {
    f: F,
    domain: &'static str,
    points: Vec<(f64, f64)>,
    libm: Bound,
    /// `None`: micromath has no such function, or no bound is claimed on this domain (then the
    /// note says what goes wrong).
    micromath: Option<Bound>,
    note: &'static str,
}

/// The micromath bounds, each from the approximation's formula:
/// - `exp`: a 4-term Taylor polynomial of `e^r`, `|r| < ln 2`, then an exact power of two. The
///   remainder `|r|⁵/5!·e^{|r|−r}` is at most `2(ln 2)⁵/120 = 2.68e-3` relative.
/// - `ln`: for `x < 1` it takes `ln(1/x)` with `1/x` from the bit trick `0x7f00_0000 − bits`,
///   which overshoots by up to 12.5 % (at mantissa ½: `(2 − m)(1 + m)/2 ≤ 9/8`), so the absolute
///   error reaches `ln(9/8) = 0.1178`; on top, the quartic fit of `ln` on [1, 2) (budget 1e-4;
///   6.1e-5 measured). Relative error is unbounded near 1.
/// - `powf`: `exp(p·ln x)`; for `|p| ≤ 2` the `ln` error becomes a factor `e^{2·0.1179}` for
///   `x < 1` (`e^{2e-4}` for `x ≥ 1`), times `exp`'s `1 + 2.68e-3`.
/// - `sin`, `cos`: the parabolic approximation (see `tests/common/micromath_trig.rs`), `1.091e-3`
///   plus rounding `ε(2|x| + 11)`.
/// - `atan2`: the rational approximation's stated maximum error, 0.1620° = 2.83e-3 rad, plus
///   rounding; micromath forms `x²` and `y²`, so below 1e-19 and above 1e19 it is NaN.
/// - `sqrt`, and `hypot = sqrt(x² + y²)`: the exponent-halving bit trick, at most
///   `1.5/√2 − 1 = 6.07 %` high.
/// - `floor`: exact while `|x| < 2³¹` (through an `i32`); NaN gives 0 and larger values saturate.
fn mm_bounds(f: F, domain_max: f64) -> Bound {
    let rel = |value, why| Bound {
        metric: Metric::Rel,
        value,
        why,
    };
    let abs = |value, why| Bound {
        metric: Metric::Abs,
        value,
        why,
    };
    match f {
        F::Exp => rel(
            2.0 * 2f64.ln().powi(5) / 120.0 + 4.0 * EPS,
            "Taylor remainder",
        ),
        F::Ln => abs((9.0f64 / 8.0).ln() + 1e-4, "ln(9/8) + fit"),
        F::Sin | F::Cos => abs(value_error(domain_max), "parabola + rounding"),
        F::Atan2 => abs(0.16205f64.to_radians() + 16.0 * EPS, "stated 0.1620°"),
        F::Sqrt | F::Hypot => rel(1.5 / 2f64.sqrt() - 1.0 + 4.0 * EPS, "bit trick"),
        F::Floor => abs(0.0, "exact below 2³¹"),
        F::Powf if domain_max < 1.0 => rel(
            (2.0 * ((9.0f64 / 8.0).ln() + 1e-4)).exp() * (1.0 + 2.7e-3) - 1.0,
            "exp(p ln x)",
        ),
        F::Powf => rel((2.0 * 1e-4f64).exp() * (1.0 + 2.7e-3) - 1.0, "exp(p ln x)"),
        F::Cbrt | F::Ln1p | F::ExpM1 | F::Tanh | F::Powi => {
            unreachable!("micromath has no {f:?}")
        }
    }
}

const EPS: f64 = f32::EPSILON as f64;

fn rows32() -> Vec<Row32> {
    let half_ulp = ulps(0.5, "IEEE 754: correctly rounded");
    let exact = ulps(0.0, "exact");
    let atan2_bound = ATAN2_BOUND;
    let row = |f: F, domain, points, libm, mm_max: Option<f64>, note| Row32 {
        f,
        domain,
        points,
        libm,
        micromath: mm_max.map(|m| mm_bounds(f, m)),
        note,
    };
    let p = [-2.0, -1.7, -1.0, -0.5, -0.3, 0.3, 0.5, 1.0, 1.3, 1.7, 2.0];
    let big: Vec<f64> = signed(log_uniform(2.2e9, 1e12, N1)).collect();
    vec![
        row(
            F::Sqrt,
            "[1e-37, 1e38] log",
            unary(log_uniform(1e-37, 1e38, N1)),
            half_ulp,
            Some(1e38),
            "",
        ),
        row(
            F::Cbrt,
            "±[1e-37, 1e38] log",
            unary(signed(log_uniform(1e-37, 1e38, N1))),
            LIBM_1ULP,
            None,
            "micromath has none",
        ),
        row(
            F::Exp,
            "[−87, 88]",
            unary(uniform(-87.0, 88.0, N1)),
            LIBM_1ULP,
            Some(88.0),
            "",
        ),
        row(
            F::Ln,
            "[1e-37, 1e38] log",
            unary(log_uniform(1e-37, 1e38, N1)),
            LIBM_1ULP,
            Some(1e38),
            "micromath: x < 1 through a 12 % reciprocal",
        ),
        row(
            F::Ln,
            "[0.5, 2]",
            unary(uniform(0.5, 2.0, N1)),
            LIBM_1ULP,
            Some(2.0),
            "e.g. ln 0.751: −0.4041 for −0.2864",
        ),
        row(
            F::Ln1p,
            "[−0.9, 10]",
            unary(uniform(-0.9, 10.0, N1)),
            LIBM_1ULP,
            None,
            "micromath has none",
        ),
        row(
            F::Ln1p,
            "±[1e-8, 1e-2] log",
            unary(signed(log_uniform(1e-8, 1e-2, N1))),
            LIBM_1ULP,
            None,
            "micromath has none",
        ),
        row(
            F::ExpM1,
            "[−20, 20]",
            unary(uniform(-20.0, 20.0, N1)),
            LIBM_1ULP,
            None,
            "micromath has none",
        ),
        row(
            F::ExpM1,
            "±[1e-8, 1e-2] log",
            unary(signed(log_uniform(1e-8, 1e-2, N1))),
            LIBM_1ULP,
            None,
            "micromath has none",
        ),
        row(
            F::Sin,
            "[−π, π]",
            unary(uniform(-PI, PI, N1)),
            LIBM_1ULP,
            Some(PI + 1e-6),
            "",
        ),
        row(
            F::Sin,
            "[−1e4, 1e4]",
            unary(uniform(-1e4, 1e4, N1)),
            LIBM_1ULP,
            Some(1e4),
            "micromath: phase error ≈ 1 ulp of x",
        ),
        row(
            F::Cos,
            "[−π, π]",
            unary(uniform(-PI, PI, N1)),
            LIBM_1ULP,
            Some(PI + 1e-6),
            "",
        ),
        row(
            F::Cos,
            "[−1e4, 1e4]",
            unary(uniform(-1e4, 1e4, N1)),
            LIBM_1ULP,
            Some(1e4),
            "micromath: phase error ≈ 1 ulp of x",
        ),
        row(
            F::Tanh,
            "[−10, 10]",
            unary(uniform(-10.0, 10.0, N1)),
            ulps(2.0, "libm: ≤ 2 ulp"),
            None,
            "micromath has none",
        ),
        row(
            F::Atan2,
            "polar, |θ| ≤ 3.1, r ∈ [1e-3, 1e3]",
            polar(N1, 3.1, 1e-3, 1e3),
            atan2_bound,
            Some(1e3),
            "micromath: +π just below the negative x-axis",
        ),
        row(
            F::Atan2,
            "polar, |θ| ≤ π, r ∈ [1e-30, 1e30]",
            polar(N1, PI, 1e-30, 1e30),
            atan2_bound,
            None,
            "micromath: NaN below 1e-19, above 1e19",
        ),
        row(
            F::Powf,
            "x ∈ [1e-3, 1) log, |p| ≤ 2",
            grid2(log_uniform(1e-3, 0.999_999, N1 / p.len()), p.to_vec()),
            LIBM_1ULP,
            Some(0.999_999),
            "micromath: ln's error times p",
        ),
        row(
            F::Powf,
            "x ∈ [1, 1e3] log, |p| ≤ 2",
            grid2(log_uniform(1.0, 1e3, N1 / p.len()), p.to_vec()),
            LIBM_1ULP,
            Some(1e3),
            "",
        ),
        row(
            F::Hypot,
            "polar, r ∈ [1e-3, 1e3]",
            polar(N1, PI, 1e-3, 1e3),
            LIBM_1ULP,
            Some(1e3),
            "",
        ),
        row(
            F::Hypot,
            "polar, r ∈ [1e-30, 1e30]",
            polar(N1, PI, 1e-30, 1e30),
            LIBM_1ULP,
            None,
            "micromath: x² + y² under/overflows",
        ),
        row(
            F::Floor,
            "[−1e6, 1e6]",
            unary(uniform(-1e6, 1e6, N1)),
            exact,
            Some(1e6),
            "",
        ),
        row(
            F::Floor,
            "±[2.2e9, 1e12] log",
            unary(big.into_iter()),
            exact,
            None,
            "micromath saturates at ±2³¹",
        ),
        row(
            F::Powi,
            "x ∈ [0.5, 2], k ∈ 0..=8",
            grid2(uniform(0.5, 2.0, N1 / 9), (0..=8).map(f64::from).collect()),
            ulps(8.0, "|k| roundings"),
            None,
            "lossmap's own, both backends",
        ),
        row(
            F::Powi,
            "x ∈ [0.5, 2], k ∈ −8..=−1",
            grid2(
                uniform(0.5, 2.0, N1 / 8),
                (-8..=-1).map(f64::from).collect(),
            ),
            ulps(16.0, "2|k| roundings"),
            None,
            "lossmap's own, both backends",
        ),
    ]
}

struct Measured32 {
    libm: Worst,
    micromath: Option<Worst>,
}

fn measure32(row: &Row32) -> Measured32 {
    let mut libm = Worst::default();
    let mut mm = micromath32(row.f, 1.0, 1.0).map(|_| Worst::default());
    for &(x, y) in &row.points {
        let (x, y) = (x as f32, y as f32);
        let exact = reference64(row.f, f64::from(x), f64::from(y));
        assert!(
            exact.is_finite(),
            "{:?}({x}, {y}): reference not finite",
            row.f
        );
        let unit = ulp(exact, 23, -126);
        let err = |v: f32| {
            if v.is_finite() {
                f64::from(v) - exact
            } else {
                f64::INFINITY
            }
        };
        let l = libm32(row.f, x, y);
        libm.add(err(l), exact, unit);
        if let (Some(e), Some(v)) = (mm.as_mut(), micromath32(row.f, x, y)) {
            e.add(err(v), exact, unit);
        }
        // lossmap's f32 is exactly the backend the table names.
        let ours = lossmap32(row.f, x, y);
        let want = match row.f.lossmap_f32_backend() {
            Backend::Libm => l,
            Backend::Micromath => micromath32(row.f, x, y).unwrap(),
        };
        assert!(
            ours.to_bits() == want.to_bits() || (ours.is_nan() && want.is_nan()),
            "lossmap {:?}({x}, {y}) = {ours}, its backend gives {want}",
            row.f
        );
    }
    Measured32 {
        libm,
        micromath: mm,
    }
}

/// The f64 rows: lossmap's f64 against mpmath.
struct Row64 {
    id: &'static str,
    f: F,
    domain: &'static str,
    bound: Bound,
    /// Only the points whose second input has this sign (`powi`'s k), or all for 0.
    sign: i8,
}

fn rows64() -> Vec<Row64> {
    let r = |id, f, domain, bound| Row64 {
        id,
        f,
        domain,
        bound,
        sign: 0,
    };
    let half_ulp = ulps(0.5, "IEEE 754: correctly rounded");
    vec![
        r("sqrt", F::Sqrt, "[1e-300, 1e300] log", half_ulp),
        r("cbrt", F::Cbrt, "±[1e-300, 1e300] log", LIBM_1ULP),
        r("exp", F::Exp, "[−700, 700]", LIBM_1ULP),
        r("ln", F::Ln, "[1e-300, 1e300] log", LIBM_1ULP),
        r("ln_near_1", F::Ln, "[0.5, 2]", LIBM_1ULP),
        r("exp_m1", F::ExpM1, "[−50, 50]", LIBM_1ULP),
        r("exp_m1_small", F::ExpM1, "±[1e-12, 1e-2] log", LIBM_1ULP),
        r("ln_1p", F::Ln1p, "[−0.9, 10]", LIBM_1ULP),
        r("ln_1p_small", F::Ln1p, "±[1e-12, 1e-2] log", LIBM_1ULP),
        r("sin", F::Sin, "[−π, π]", LIBM_1ULP),
        r("sin_wide", F::Sin, "[−1e4, 1e4]", LIBM_1ULP),
        r("cos", F::Cos, "[−π, π]", LIBM_1ULP),
        r("cos_wide", F::Cos, "[−1e4, 1e4]", LIBM_1ULP),
        r("tanh", F::Tanh, "[−20, 20]", ulps(2.0, "libm: ≤ 2 ulp")),
        r("atan2", F::Atan2, "polar, r ∈ [1e-300, 1e300]", ATAN2_BOUND),
        r("powf", F::Powf, "x ∈ [1e-3, 1e3] log, |p| ≤ 3", LIBM_1ULP),
        r("hypot", F::Hypot, "polar, r ∈ [1e-300, 1e300]", LIBM_1ULP),
        r(
            "floor",
            F::Floor,
            "[−1e6, 1e6], ±[1e15, 1e300]",
            ulps(0.0, "exact"),
        ),
        Row64 {
            sign: 1,
            ..r(
                "powi",
                F::Powi,
                "x ∈ [0.5, 2], k ∈ 0..=8",
                ulps(8.0, "|k| roundings"),
            )
        },
        Row64 {
            sign: -1,
            ..r(
                "powi",
                F::Powi,
                "x ∈ [0.5, 2], k ∈ −8..=−1",
                ulps(16.0, "2|k| roundings"),
            )
        },
    ]
}

fn measure64(row: &Row64) -> (Worst, usize) {
    let mut e = Worst::default();
    let mut n = 0;
    for line in REFERENCE.lines().filter(|l| !l.starts_with('#')) {
        let mut it = line.split_whitespace();
        if it.next() != Some(row.id) {
            continue;
        }
        let v: Vec<f64> = it.map(|s| s.parse().unwrap()).collect();
        let [x, y, hi, lo] = v[..] else {
            panic!("bad reference line {line}")
        };
        if (row.sign > 0 && y < 0.0) || (row.sign < 0 && y >= 0.0) {
            continue;
        }
        let got = lossmap64(row.f, x, y);
        // got − hi is exact when they are within a factor 2 (Sterbenz); lo is the exact rest.
        let err = if got.is_finite() {
            (got - hi) - lo
        } else {
            f64::INFINITY
        };
        e.add(err, hi, ulp(hi, 52, -1022));
        n += 1;
    }
    assert!(n > 0, "no reference points for {}", row.id);
    (e, n)
}

/// A Markdown table cell: `|` escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn sci(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if !v.is_finite() {
        "∞".into()
    } else {
        format!("{v:.2e}")
    }
}

fn ulp_str(v: f64) -> String {
    if !v.is_finite() {
        "∞".into()
    } else {
        format!("{v:.2}")
    }
}

/// Checks a measured error against its bound (plus the f32 reference's own error, 2⁻²⁹ f32 ulp,
/// and its relative and absolute counterparts).
fn within(m: &Worst, b: &Bound) -> bool {
    let slack = match b.metric {
        Metric::Ulp => 1e-6,
        Metric::Rel | Metric::Abs => 1e-15,
    };
    m.get(b.metric) <= b.value + slack
}

/// micromath's sine and cosine as seen by a derivative: the error of their slope and curvature,
/// by central differences on exactly representable points (so the differences carry only the
/// functions' own rounding), against the same differences of the exact function.
fn trig_derivative_rows(out: &mut String, failures: &mut Vec<String>) {
    // Step 2⁻⁵: small against the period, large enough that rounding noise stays below 1e-3.
    let h = 2f64.powi(-5);
    let xs: Vec<f64> = (-3217..=3217)
        .map(|k| f64::from(k) * 2f64.powi(-10))
        .collect();
    let x_max = 3217.0 * 2f64.powi(-10) + h;
    let _ = writeln!(
        out,
        "\n| derivative of | over | f32 libm | f32 micromath | micromath bound (model + rounding) |\n|---|---|---|---|---|"
    );
    type F32Fn = fn(f32) -> f32;
    /// Name, libm's f32, micromath's f32, libm's f64 (the exact function).
    type Trig = (&'static str, F32Fn, F32Fn, fn(f64) -> f64);
    let fns: [Trig; 2] = [
        ("sin", libm::sinf, |x| F32Ext::sin(x), libm::sin),
        ("cos", libm::cosf, |x| F32Ext::cos(x), libm::cos),
    ];
    for (name, lib, mm, exact) in fns {
        for (order, what, model_bound) in [
            (1, "slope", APPROX_SLOPE),
            (2, "curvature", APPROX_CURVATURE),
        ] {
            let diff = |g: &dyn Fn(f64) -> f64, x: f64| match order {
                1 => (g(x + h) - g(x - h)) / (2.0 * h),
                _ => (g(x + h) - 2.0 * g(x) + g(x - h)) / (h * h),
            };
            let worst = |g: F32Fn| {
                xs.iter().fold(0.0f64, |m, &x| {
                    let approx = |t: f64| f64::from(g(t as f32));
                    m.max((diff(&approx, x) - diff(&exact, x)).abs())
                })
            };
            let (l, m) = (worst(lib), worst(mm));
            // A difference of errors bounded by e' (e″) is bounded by e' (e″); rounding ν adds
            // 2ν/2h (4ν/h²).
            let nu = rounding(x_max);
            let bound = model_bound
                + match order {
                    1 => nu / h,
                    _ => 4.0 * nu / (h * h),
                };
            // libm's only error is its rounding, ≤ 1 ulp ≤ 1.2e-7 here.
            let libm_bound = match order {
                1 => 2.0 * EPS / (2.0 * h),
                _ => 4.0 * EPS / (h * h),
            };
            let _ = writeln!(
                out,
                "| {name} ({what}) | [−π, π], step 2⁻⁵ | {} (≤ {}) | {} | ≤ {} |",
                sci(l),
                sci(libm_bound),
                sci(m),
                sci(bound)
            );
            if l > libm_bound {
                failures.push(format!("libm {name} {what}: {l:.3e} > {libm_bound:.3e}"));
            }
            if m > bound {
                failures.push(format!("micromath {name} {what}: {m:.3e} > {bound:.3e}"));
            }
        }
    }
}

/// The model of micromath's sine and cosine in `tests/common/micromath_trig.rs`: its error
/// constants are what the formula gives, and micromath is the model up to the stated rounding.
#[test]
fn micromath_trig_model_matches_micromath() {
    // The approximation's own errors, over a dense grid of the reduced argument.
    let n = 1_000_000;
    let (mut e0, mut e1, mut e2) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..=n {
        // x over one period, plus points just right of the zeros of cos (the kinks).
        let x = -PI + 2.0 * PI * f64::from(i) / f64::from(n);
        for x in [x, PI / 2.0 + 1e-12, -PI / 2.0 + 1e-12] {
            let [q, dq, d2q] = cos_model(x);
            e0 = e0.max((q - libm::cos(x)).abs());
            e1 = e1.max((dq + libm::sin(x)).abs());
            e2 = e2.max((d2q + libm::cos(x)).abs());
        }
    }
    // Grid spacing 2π·1e-6 times the error's slope (≤ 1 + 3.1/π) bounds what falls between points.
    let slack = 2.0 * PI * 1e-6 * 2.0;
    assert!(e0 <= APPROX_VALUE && e0 + slack > 1.09e-3, "value {e0:e}");
    assert!((e1 - APPROX_SLOPE).abs() < 1e-9, "slope {e1:e}");
    assert!((e2 - APPROX_CURVATURE).abs() < 1e-9, "curvature {e2:e}");
    // micromath's f32 sine and cosine are the model, to within the rounding bound.
    for x_max in [0.5, 2.0, 16.0, 1e4] {
        let nu = rounding(x_max);
        let (mut worst_c, mut worst_s) = (0.0f64, 0.0f64);
        for x in uniform(-x_max, x_max, 200_001) {
            let x = f64::from(x as f32);
            let (c, s) = (F32Ext::cos(x as f32), F32Ext::sin(x as f32));
            worst_c = worst_c.max((f64::from(c) - cos_model(x)[0]).abs());
            worst_s = worst_s.max((f64::from(s) - sin_model(x)[0]).abs());
        }
        assert!(
            worst_c <= nu && worst_s <= nu,
            "|x| ≤ {x_max}: cos {worst_c:e}, sin {worst_s:e} vs rounding bound {nu:e}"
        );
    }
}

/// IEEE 754 / C99 Annex F special values, `(function, x, y, expected)`, plus edge cases of
/// range (overflow, underflow, tiny and huge arguments).
fn special_cases() -> Vec<(F, f32, f32, f32)> {
    let (nan, inf) = (f32::NAN, f32::INFINITY);
    let (pi, pi4) = (std::f32::consts::PI, std::f32::consts::FRAC_PI_4);
    let root2 = |v: f32| (f64::from(v) * std::f64::consts::SQRT_2) as f32;
    let mut v = vec![];
    // (function, f(NaN), f(+∞), f(−∞), f(−0))
    for (f, at_inf, at_minus_inf, at_minus_zero) in [
        (F::Sqrt, inf, nan, -0.0),
        (F::Cbrt, inf, -inf, -0.0),
        (F::Exp, inf, 0.0, 1.0),
        (F::Ln, inf, nan, -inf),
        (F::Ln1p, inf, nan, -0.0),
        (F::ExpM1, inf, -1.0, -0.0),
        (F::Sin, nan, nan, -0.0),
        (F::Cos, nan, nan, 1.0),
        (F::Tanh, 1.0, -1.0, -0.0),
        (F::Floor, inf, -inf, -0.0),
    ] {
        v.extend([
            (f, nan, 0.0, nan),
            (f, inf, 0.0, at_inf),
            (f, -inf, 0.0, at_minus_inf),
            (f, -0.0, 0.0, at_minus_zero),
        ]);
    }
    v.extend([
        (F::Sqrt, -1.0, 0.0, nan),
        (F::Exp, 100.0, 0.0, inf),
        (F::Exp, -110.0, 0.0, 0.0),
        (F::Ln, 0.0, 0.0, -inf),
        (F::Ln, -1.0, 0.0, nan),
        (F::Ln1p, -1.0, 0.0, -inf),
        (F::Ln1p, -2.0, 0.0, nan),
        (F::Floor, 3e9, 0.0, 3e9),
        (F::Floor, -3.5e9, 0.0, -3.5e9),
        (F::Atan2, nan, 1.0, nan),
        (F::Atan2, 1.0, nan, nan),
        (F::Atan2, 0.0, 0.0, 0.0),
        (F::Atan2, -0.0, -1.0, -pi),
        (F::Atan2, -1e-10, -1.0, -pi),
        (F::Atan2, 1.0, inf, 0.0),
        (F::Atan2, inf, inf, pi4),
        (F::Atan2, 1e-30, 1e-30, pi4),
        (F::Atan2, 1e30, 1e30, pi4),
        (F::Powf, nan, 1.0, nan),
        (F::Powf, 1.0, nan, 1.0),
        (F::Powf, 0.0, 2.0, 0.0),
        (F::Powf, -8.0, 1.0 / 3.0, nan),
        (F::Powf, -2.0, 3.0, -8.0),
        (F::Powf, 2.0, 200.0, inf),
        (F::Hypot, nan, 1.0, nan),
        (F::Hypot, inf, nan, inf),
        (F::Hypot, 3e38, 3e38, inf),
        (F::Hypot, 1e30, 1e30, root2(1e30)),
        (F::Hypot, 1e-30, 1e-30, root2(1e-30)),
    ]);
    v
}

/// Both NaN, or equal with the same sign; finite non-zero values within 1 % (the special-value
/// check is about NaN, ∞, zeros and signs; accuracy is the tables' business).
fn same(a: f32, b: f32) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if b == 0.0 || b.is_infinite() {
        return a == b && a.is_sign_negative() == b.is_sign_negative();
    }
    a.is_finite() && (a - b).abs() <= 1e-2 * b.abs()
}

fn show(v: f32) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "∞" } else { "−∞" }.into()
    } else if v == 0.0 {
        if v.is_sign_negative() { "−0" } else { "0" }.into()
    } else {
        // Shortest round-trip digits: plain when short, else in exponent form.
        let plain = format!("{v}");
        let s = if plain.len() <= 10 {
            plain
        } else {
            let short = format!("{v:e}");
            if short.len() > 12 {
                format!("{v:.5e}")
            } else {
                short
            }
        };
        s.replace('-', "−")
    }
}

fn arg(f: F, x: f32, y: f32) -> String {
    match f {
        F::Atan2 | F::Powf | F::Hypot => format!("{}({}, {})", f.name(), show(x), show(y)),
        _ => format!("{}({})", f.name(), show(x)),
    }
}

fn special_values(out: &mut String, failures: &mut Vec<String>) {
    let _ = writeln!(
        out,
        "\n**Special values** (IEEE 754 / C99 Annex F; only the cases some backend gets wrong; lossmap's f32 and f64 get all {} right):\n\n| call | expected | f32 libm | f32 micromath |\n|---|---|---|---|",
        special_cases().len()
    );
    for (f, x, y, expected) in special_cases() {
        let l = libm32(f, x, y);
        // micromath's reciprocal trick overflows a u32 for negative inputs to ln: a panic in
        // debug builds (a wrong value in release).
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let m = std::panic::catch_unwind(|| micromath32(f, x, y));
        std::panic::set_hook(quiet);
        let ours = lossmap32(f, x, y);
        let ours64 = lossmap64(f, f64::from(x), f64::from(y)) as f32;
        if !same(ours, expected) {
            failures.push(format!(
                "lossmap f32 {}: {} for {}",
                arg(f, x, y),
                show(ours),
                show(expected)
            ));
        }
        if !same(ours64, expected) {
            failures.push(format!(
                "lossmap f64 {}: {} for {}",
                arg(f, x, y),
                show(ours64),
                show(expected)
            ));
        }
        let (bad_m, shown_m) = match m {
            Ok(Some(v)) => (!same(v, expected), show(v)),
            Ok(None) => (false, "—".into()),
            Err(_) => (true, "overflow panic".into()),
        };
        if !same(l, expected) || bad_m {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {shown_m} |",
                arg(f, x, y),
                show(expected),
                show(l),
            );
        }
    }
}

#[test]
fn every_real_function_meets_its_stated_accuracy() {
    let mut out = String::new();
    let mut failures = Vec::new();
    let _ = writeln!(
        out,
        "**f32**: max error over the domain (relative, absolute, ulps of the exact value), against libm's f64 at the same inputs; {N1} points per row (2-D rows: a grid or a polar sweep of the same size). The bound column is what the test asserts. *Uses* is lossmap's f32 with `micromath`; without it, libm throughout.\n\n| function | domain | libm rel | libm abs | libm ulp | libm bound | micromath rel | micromath abs | micromath bound | uses | note |\n|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in rows32() {
        let m = measure32(&row);
        if !within(&m.libm, &row.libm) {
            failures.push(format!(
                "f32 libm {} on {}: {:.3} ulp / {:.3e} > {}",
                row.f.name(),
                row.domain,
                m.libm.ulp,
                m.libm.rel,
                fmt_bound(&row.libm)
            ));
        }
        let (mm_rel, mm_abs, mm_bound) = match (&m.micromath, &row.micromath) {
            (Some(e), Some(b)) => {
                if !within(e, b) {
                    failures.push(format!(
                        "f32 micromath {} on {}: rel {:.3e} abs {:.3e} > {}",
                        row.f.name(),
                        row.domain,
                        e.rel,
                        e.abs,
                        fmt_bound(b)
                    ));
                }
                (
                    sci(e.rel),
                    sci(e.abs),
                    cell(&format!("{} ({})", fmt_bound(b), b.why)),
                )
            }
            (Some(e), None) => (sci(e.rel), sci(e.abs), "none".into()),
            (None, _) => ("—".into(), "—".into(), "—".into()),
        };
        let uses = match (row.f, row.f.with_micromath()) {
            (F::Powi, _) => "lossmap",
            (_, Backend::Micromath) => "micromath",
            (_, Backend::Libm) => "libm",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {mm_rel} | {mm_abs} | {mm_bound} | {uses} | {} |",
            row.f.name(),
            cell(row.domain),
            sci(m.libm.rel),
            sci(m.libm.abs),
            ulp_str(m.libm.ulp),
            cell(&format!("{} ({})", fmt_bound(&row.libm), row.libm.why)),
            cell(row.note)
        );
    }

    trig_derivative_rows(&mut out, &mut failures);

    let _ = writeln!(
        out,
        "\n**f64** (libm, lossmap's only f64 backend): max error against mpmath at 200 bits (`tests/reference/math_accuracy.py`).\n\n| function | domain | points | rel | abs | ulp | bound |\n|---|---|---|---|---|---|---|"
    );
    for row in rows64() {
        let (e, n) = measure64(&row);
        if !within(&e, &row.bound) {
            failures.push(format!(
                "f64 {} on {}: {:.3} ulp > {}",
                row.f.name(),
                row.domain,
                e.ulp,
                fmt_bound(&row.bound)
            ));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {n} | {} | {} | {} | {} |",
            row.f.name(),
            cell(row.domain),
            sci(e.rel),
            sci(e.abs),
            ulp_str(e.ulp),
            cell(&format!("{} ({})", fmt_bound(&row.bound), row.bound.why)),
        );
    }

    special_values(&mut out, &mut failures);

    println!("{out}");
    let path = common::write_report("math-accuracy.txt", out.trim_end());
    eprintln!("table written to {}", path.display());
    assert!(
        failures.is_empty(),
        "bounds not met:\n{}",
        failures.join("\n")
    );
}
