//! proptest strategies for landscapes with known answers: random convex quadratics
//! ([`quadratic`]), points near the critical points of [`crate::testfn`]'s functions
//! ([`near_critical`]) and noisy least-squares problems ([`least_squares`]).
//!
//! Every value is an [`Objective`] (analytic gradient and Hessian) and `Debug`, so proptest
//! prints the shrunk counter-example whole. The known answers are computed in `f64` from the
//! values actually stored in `T` (for `f32`, from the rounded data), so they are the answers of
//! the landscape the optimizer sees.

use core::fmt;
use std::vec::Vec;

use proptest::prelude::*;

use crate::error::Error;
use crate::linalg::SymEigen;
use crate::optim::BatchObjective;
use crate::testfn::{Beale, Booth, Easom, Himmelblau, Rosenbrock, SixHumpCamel, StyblinskiTang};
use crate::{Objective, Real};

/// A landscape with a unique minimizer known in closed form: what the convergence property
/// [`converges`](super::converges) needs.
pub trait Landscape<T: Real, const N: usize>: Objective<T, N> + fmt::Debug + Clone {
    /// The minimizer `x*`.
    fn minimizer(&self) -> [T; N];
    /// The minimum `f* = f(x*)`.
    fn min_value(&self) -> T;
    /// Where a run starts.
    fn start(&self) -> [T; N];
    /// `L`: the largest eigenvalue of the Hessian (the gradient's Lipschitz constant).
    fn smoothness(&self) -> T;
    /// `μ > 0`: the smallest eigenvalue of the Hessian (the strong-convexity modulus).
    fn strong_convexity(&self) -> T;
}

fn t<T: Real>(v: f64) -> T {
    T::from_f64(v)
}

fn to_t<T: Real, const N: usize>(v: &[f64; N]) -> [T; N] {
    v.map(T::from_f64)
}

fn to_f64<T: Real, const N: usize>(v: &[T; N]) -> [f64; N] {
    v.map(T::to_f64)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// A standard normal deviate from two uniforms (Box & Muller, "A note on the generation of
/// random normal deviates", *Ann. Math. Stat.* 29, 1958): `√(−2 ln u₁) cos 2πu₂`, `u₁ ∈ (0, 1]`.
fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.ln()).sqrt() * (core::f64::consts::TAU * u2).cos()
}

fn gaussian() -> impl Strategy<Value = f64> + Clone {
    (1e-12f64..=1.0, 0.0f64..1.0).prop_map(|(a, b)| box_muller(a, b))
}

/// `[−w, w]`, or exactly 0 for `w = 0`.
fn symmetric(w: f64) -> BoxedStrategy<f64> {
    if w > 0.0 {
        (-w..=w).boxed()
    } else {
        Just(0.0).boxed()
    }
}

/// The rows of the orthogonal factor of a Gaussian matrix, by modified Gram–Schmidt with the
/// signs of `R`'s diagonal made positive: Haar-distributed on O(N) (Mezzadri, "How to generate
/// random matrices from the classical compact groups", *Notices AMS* 54, 2007). `None` when a
/// row is within 1e-6 of the span of the previous ones (probability ≈ 0; proptest rejects it).
fn orthonormalize<const N: usize>(mut m: [[f64; N]; N]) -> Option<[[f64; N]; N]> {
    for i in 0..N {
        for j in 0..i {
            let (done, rest) = m.split_at_mut(i);
            let p = dot(&rest[0], &done[j]);
            rest[0]
                .iter_mut()
                .zip(&done[j])
                .for_each(|(a, &b)| *a -= p * b);
        }
        let norm = dot(&m[i], &m[i]).sqrt();
        if norm.is_nan() || norm <= 1e-6 {
            return None;
        }
        m[i].iter_mut().for_each(|a| *a /= norm);
    }
    Some(m)
}

/// A random orthogonal `N×N` matrix (rows orthonormal), Haar-distributed: the QR factor of a
/// Gaussian matrix (see [`QuadraticLandscape`]). For [`rotation_invariant`](super::harness::rotation_invariant).
pub fn rotation<const N: usize>() -> impl Strategy<Value = [[f64; N]; N]> {
    proptest::array::uniform(proptest::array::uniform(gaussian()))
        .prop_filter_map("degenerate Gaussian matrix", orthonormalize::<N>)
}

/// How the eigenvalues of a [`QuadraticLandscape`] fill `[μ, L]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spectrum {
    /// `λₖ = μ κ^{k/(N−1)}`: geometric from `μ` to `L = κμ`.
    LogSpaced,
    /// `μ` and `L` present (the first two eigenvalues), the others uniform in `[μ, L]`.
    Uniform,
}

/// The scale of a [`QuadraticLandscape`]'s spectrum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curvature {
    /// The smallest eigenvalue `μ` is this (and `L = κμ`).
    Smallest(f64),
    /// The largest eigenvalue `L` is this (and `μ = L/κ`).
    Largest(f64),
}

/// What [`quadratic`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticSpec {
    /// The condition number κ = L/μ is drawn from `[kappa.0, kappa.1]` (≥ 1): each end with
    /// probability 1/6, log-uniform in between otherwise (1 for `N = 1`).
    pub kappa: (f64, f64),
    /// The scale of the eigenvalues.
    pub curvature: Curvature,
    /// How the eigenvalues fill `[μ, L]`.
    pub spectrum: Spectrum,
    /// The minimizer is uniform in `[−center, center]ᴺ`.
    pub center: f64,
    /// The start is uniform in `[−start, start]ᴺ`.
    pub start: f64,
    /// `f*` is uniform in `[−f_star, f_star]` (0 when `f_star = 0`).
    pub f_star: f64,
}

impl Default for QuadraticSpec {
    /// κ ∈ [1, 1e3], `μ = 1`, log-spaced eigenvalues, `x*` and `x₀` in `[−5, 5]ᴺ`, `f* = 0`.
    fn default() -> Self {
        QuadraticSpec {
            kappa: (1.0, 1e3),
            curvature: Curvature::Smallest(1.0),
            spectrum: Spectrum::LogSpaced,
            center: 5.0,
            start: 5.0,
            f_star: 0.0,
        }
    }
}

/// `f(x) = ½ (x − x*)ᵀ A (x − x*) + f*` with `A = Σₖ λₖ vₖ vₖᵀ`, the `vₖ` the rows of a random
/// orthogonal matrix: the model problem of first-order convergence analysis (Nocedal & Wright,
/// *Numerical Optimization*, 2nd ed., 2006, §3.3). The value is computed as
/// `½ Σₖ λₖ (vₖ·(x − x*))² + f*` (rotated coordinates first: full relative accuracy near the
/// minimum), the gradient `A(x − x*)` from the stored `A`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticLandscape<T: Real, const N: usize> {
    /// Eigenvalues `λₖ` (μ = min, L = max).
    pub eigenvalues: [T; N],
    /// Unit eigenvectors as rows: `eigenvectors[k]` belongs to `eigenvalues[k]`.
    pub eigenvectors: [[T; N]; N],
    /// `A = Σₖ λₖ vₖ vₖᵀ`.
    pub matrix: [[T; N]; N],
    /// The minimizer `x*`.
    pub minimizer: [T; N],
    /// The minimum `f*`.
    pub min_value: T,
    /// Where a run starts.
    pub start: [T; N],
}

impl<T: Real, const N: usize> QuadraticLandscape<T, N> {
    /// The landscape of the given eigenvalues and orthonormal eigenvector rows `q`.
    /// [`Error::Empty`] for `N = 0`, [`Error::NonFiniteInput`] for a non-finite input,
    /// [`Error::InvalidParameter`] unless every eigenvalue is > 0 and the rows of `q` are
    /// orthonormal within `max(1e-9, 16 N ε)` (`ε` of `T`: rows already rounded to `T` pass).
    pub fn new(
        eigenvalues: [f64; N],
        q: [[f64; N]; N],
        minimizer: [f64; N],
        min_value: f64,
        start: [f64; N],
    ) -> Result<Self, Error> {
        if N == 0 {
            return Err(Error::Empty);
        }
        let finite = eigenvalues
            .iter()
            .chain(q.as_flattened())
            .chain(&minimizer)
            .chain(&start)
            .all(|v| v.is_finite())
            && min_value.is_finite();
        if !finite {
            return Err(Error::NonFiniteInput);
        }
        if eigenvalues.iter().any(|&l| l <= 0.0) {
            return Err(Error::InvalidParameter);
        }
        // 1e-9, or the rounding of rows stored in `T` (f32: ≈ 16·N·ε ≈ 2e-6·N).
        let tol = (16.0 * N as f64 * T::EPSILON_R.to_f64()).max(1e-9);
        for (i, a) in q.iter().enumerate() {
            for (j, b) in q.iter().enumerate() {
                let want = if i == j { 1.0 } else { 0.0 };
                if (dot(a, b) - want).abs() > tol {
                    return Err(Error::InvalidParameter);
                }
            }
        }
        let eigenvectors = q.map(|row| to_t::<T, N>(&row));
        let lam: [T; N] = to_t(&eigenvalues);
        // A from the stored (rounded) factors, in f64.
        let (l64, v64) = (to_f64(&lam), eigenvectors.map(|r| to_f64(&r)));
        let mut a = [[0.0f64; N]; N];
        for (&l, v) in l64.iter().zip(&v64) {
            for (row, &vi) in a.iter_mut().zip(v) {
                for (e, &vj) in row.iter_mut().zip(v) {
                    *e += l * vi * vj;
                }
            }
        }
        Ok(QuadraticLandscape {
            eigenvalues: lam,
            eigenvectors,
            matrix: a.map(|r| to_t::<T, N>(&r)),
            minimizer: to_t(&minimizer),
            min_value: t(min_value),
            start: to_t(&start),
        })
    }

    /// The condition number `L/μ`.
    pub fn condition(&self) -> T {
        self.smoothness() / self.strong_convexity()
    }

    /// The same landscape seen in coordinates `y = R x` (`R` orthogonal, rows orthonormal):
    /// `f_R(y) = f(Rᵀ y)`, eigenvectors `R vₖ`, minimizer `R x*`, start `R x₀`.
    /// Errors as [`new`](Self::new).
    pub fn rotated(&self, r: &[[f64; N]; N]) -> Result<Self, Error> {
        let apply = |v: &[T; N]| -> [f64; N] {
            let v = to_f64(v);
            core::array::from_fn(|i| dot(&r[i], &v))
        };
        Self::new(
            to_f64(&self.eigenvalues),
            self.eigenvectors.map(|v| apply(&v)),
            apply(&self.minimizer),
            self.min_value.to_f64(),
            apply(&self.start),
        )
    }

    /// The minimizer of `f(x) + ½ d ‖x‖²` (an optimizer's L2 weight decay `d ≥ 0`):
    /// `Σₖ vₖ (λₖ/(λₖ + d)) (vₖ·x*)`, which is `x*` for `d = 0`.
    pub fn minimizer_with_decay(&self, d: T) -> [T; N] {
        let (c, d) = (to_f64(&self.minimizer), d.to_f64());
        let mut out = [0.0f64; N];
        for (&l, v) in self.eigenvalues.iter().zip(&self.eigenvectors) {
            let (l, v) = (l.to_f64(), to_f64(v));
            let w = l / (l + d) * dot(&v, &c);
            out.iter_mut().zip(&v).for_each(|(o, &vi)| *o += w * vi);
        }
        to_t(&out)
    }
}

impl<T: Real, const N: usize> Objective<T, N> for QuadraticLandscape<T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        let mut sum = T::ZERO;
        for (&l, v) in self.eigenvalues.iter().zip(&self.eigenvectors) {
            let p = v
                .iter()
                .zip(x.iter().zip(&self.minimizer))
                .fold(T::ZERO, |acc, (&vi, (&xi, &ci))| acc + vi * (xi - ci));
            sum += l * p * p;
        }
        T::HALF * sum + self.min_value
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        let mut out = [T::ZERO; N];
        for (o, row) in out.iter_mut().zip(&self.matrix) {
            *o = row
                .iter()
                .zip(x.iter().zip(&self.minimizer))
                .fold(T::ZERO, |acc, (&a, (&xi, &ci))| acc + a * (xi - ci));
        }
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        *g = out;
        Ok(0)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        *h = self.matrix;
        Ok(0)
    }
}

impl<T: Real, const N: usize> Landscape<T, N> for QuadraticLandscape<T, N> {
    fn minimizer(&self) -> [T; N] {
        self.minimizer
    }
    fn min_value(&self) -> T {
        self.min_value
    }
    fn start(&self) -> [T; N] {
        self.start
    }
    fn smoothness(&self) -> T {
        self.eigenvalues.iter().fold(T::ZERO, |m, &v| m.max(v))
    }
    fn strong_convexity(&self) -> T {
        self.eigenvalues.iter().fold(T::MAX_R, |m, &v| m.min(v))
    }
}

/// Random convex quadratics ([`QuadraticLandscape`]) as `spec` says: condition number, scale
/// and spectrum, a Haar-random rotation ([`rotation`]), minimizer, minimum and start.
///
/// ```
/// use lossmap::testing::{quadratic, Landscape, QuadraticSpec};
/// use lossmap::Objective;
/// use proptest::prelude::*;
/// proptest!(|(mut q in quadratic::<f64, 3>(QuadraticSpec::default()))| {
///     let x = q.minimizer();
///     prop_assert_eq!(q.value(&x), q.min_value());
///     prop_assert!(q.condition() <= 1e3 * (1.0 + 1e-12));
/// });
/// ```
pub fn quadratic<T: Real, const N: usize>(
    spec: QuadraticSpec,
) -> impl Strategy<Value = QuadraticLandscape<T, N>> {
    let (lo, hi) = (spec.kappa.0.max(1.0), spec.kappa.1.max(1.0));
    let kappa: BoxedStrategy<f64> = if N <= 1 || hi <= lo {
        Just(if N <= 1 { 1.0 } else { lo }).boxed()
    } else {
        let (a, b) = (lo.ln(), hi.ln());
        prop_oneof![
            1 => Just(lo),
            1 => Just(hi),
            4 => (a..b).prop_map(f64::exp),
        ]
        .boxed()
    };
    (
        kappa,
        proptest::array::uniform::<_, N>(0.0f64..=1.0),
        rotation::<N>(),
        proptest::array::uniform::<_, N>(symmetric(spec.center)),
        proptest::array::uniform::<_, N>(symmetric(spec.start)),
        symmetric(spec.f_star),
    )
        .prop_filter_map(
            "invalid quadratic",
            move |(kappa, fill, q, c, x0, f_star)| {
                let mu = match spec.curvature {
                    Curvature::Smallest(m) => m,
                    Curvature::Largest(l) => l / kappa,
                };
                let last = N.saturating_sub(1).max(1) as f64;
                let lam: [f64; N] = core::array::from_fn(|k| match (spec.spectrum, k) {
                    (Spectrum::LogSpaced, _) => mu * kappa.powf(k as f64 / last),
                    (Spectrum::Uniform, 0) => mu,
                    (Spectrum::Uniform, 1) => mu * kappa,
                    (Spectrum::Uniform, _) => mu * (1.0 + (kappa - 1.0) * fill[k]),
                });
                let mut lam = lam;
                // Exact ends: powf(κ, 1) may round.
                if let (Spectrum::LogSpaced, Some(v)) = (spec.spectrum, lam.last_mut()) {
                    *v = mu * kappa;
                }
                QuadraticLandscape::new(lam, q, c, f_star, x0).ok()
            },
        )
}

// ---------------------------------------------------------------------------------------------

/// What a critical point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriticalKind {
    /// Every Hessian eigenvalue > 0.
    Minimum,
    /// Some > 0, some < 0.
    Saddle,
    /// Every Hessian eigenvalue < 0.
    Maximum,
}

/// The two-dimensional functions of [`crate::testfn`] with listed critical points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoo {
    /// [`Himmelblau`]: 4 minima, 4 saddles, 1 maximum.
    Himmelblau,
    /// [`SixHumpCamel`]: 6 minima, 7 saddles, 2 maxima.
    SixHumpCamel,
    /// [`Beale`]: 1 minimum, 2 saddles.
    Beale,
    /// [`Booth`]: 1 minimum.
    Booth,
    /// [`Rosenbrock`]: 1 minimum.
    Rosenbrock,
    /// [`Easom`]: 1 minimum.
    Easom,
    /// [`StyblinskiTang`]`<2>`: every pair of the coordinate's critical points (2 minima, 1
    /// maximum per coordinate): 4 minima, 4 saddles, 1 maximum.
    StyblinskiTang,
}

/// One listed critical point: function, point, value, kind and index (the number of negative
/// Hessian eigenvalues).
pub type CriticalPoint = (Zoo, [f64; 2], f64, CriticalKind, usize);

/// Every listed critical point of the [`Zoo`] functions, with the constants of
/// [`crate::testfn`].
pub fn critical_points() -> Vec<CriticalPoint> {
    use CriticalKind::{Maximum, Minimum, Saddle};
    let mut v = Vec::new();
    for m in Himmelblau::MINIMA {
        v.push((Zoo::Himmelblau, m, Himmelblau::MIN_VALUE, Minimum, 0));
    }
    for (s, f) in Himmelblau::SADDLES.iter().zip(Himmelblau::SADDLE_VALUES) {
        v.push((Zoo::Himmelblau, *s, f, Saddle, 1));
    }
    v.push((
        Zoo::Himmelblau,
        Himmelblau::MAXIMUM,
        Himmelblau::MAX_VALUE,
        Maximum,
        2,
    ));
    for m in SixHumpCamel::MINIMA {
        v.push((Zoo::SixHumpCamel, m, SixHumpCamel::MIN_VALUE, Minimum, 0));
    }
    for (m, f) in SixHumpCamel::LOCAL_MINIMA
        .iter()
        .zip(SixHumpCamel::LOCAL_MIN_VALUES)
    {
        v.push((Zoo::SixHumpCamel, *m, f, Minimum, 0));
    }
    for (s, f) in SixHumpCamel::SADDLES
        .iter()
        .zip(SixHumpCamel::SADDLE_VALUES)
    {
        v.push((Zoo::SixHumpCamel, *s, f, Saddle, 1));
    }
    for m in SixHumpCamel::MAXIMA {
        v.push((Zoo::SixHumpCamel, m, SixHumpCamel::MAX_VALUE, Maximum, 2));
    }
    v.push((Zoo::Beale, Beale::MINIMUM, Beale::MIN_VALUE, Minimum, 0));
    for (s, f) in Beale::SADDLES.iter().zip(Beale::SADDLE_VALUES) {
        v.push((Zoo::Beale, *s, f, Saddle, 1));
    }
    v.push((Zoo::Booth, Booth::MINIMUM, Booth::MIN_VALUE, Minimum, 0));
    v.push((
        Zoo::Rosenbrock,
        Rosenbrock::MINIMUM,
        Rosenbrock::MIN_VALUE,
        Minimum,
        0,
    ));
    v.push((Zoo::Easom, Easom::MINIMUM, Easom::MIN_VALUE, Minimum, 0));
    type St = StyblinskiTang<2>;
    let coord = [
        (St::MIN_COORDINATE, St::MIN_COORDINATE_VALUE, false),
        (
            St::LOCAL_MIN_COORDINATE,
            St::LOCAL_MIN_COORDINATE_VALUE,
            false,
        ),
        (St::MAX_COORDINATE, St::MAX_COORDINATE_VALUE, true),
    ];
    for &(a, fa, ma) in &coord {
        for &(b, fb, mb) in &coord {
            let index = usize::from(ma) + usize::from(mb);
            let kind = [Minimum, Saddle, Maximum][index];
            v.push((Zoo::StyblinskiTang, [a, b], fa + fb, kind, index));
        }
    }
    v
}

/// A start near a critical point of a [`Zoo`] function; the objective is the function itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearCritical<T> {
    /// The function.
    pub function: Zoo,
    /// The critical point (the `f64` constant of [`crate::testfn`]).
    pub point: [f64; 2],
    /// The value there.
    pub value: f64,
    /// Minimum, saddle or maximum.
    pub kind: CriticalKind,
    /// The number of negative Hessian eigenvalues at the point.
    pub index: usize,
    /// The start: the point plus an offset of length ≤ the strategy's radius.
    pub start: [T; 2],
}

impl<T: Real> Objective<T, 2> for NearCritical<T> {
    fn value(&mut self, x: &[T; 2]) -> T {
        match self.function {
            Zoo::Himmelblau => Himmelblau.value(x),
            Zoo::SixHumpCamel => SixHumpCamel.value(x),
            Zoo::Beale => Beale.value(x),
            Zoo::Booth => Booth.value(x),
            Zoo::Rosenbrock => Rosenbrock.value(x),
            Zoo::Easom => Easom.value(x),
            Zoo::StyblinskiTang => StyblinskiTang::<2>.value(x),
        }
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        match self.function {
            Zoo::Himmelblau => Himmelblau.gradient(x, g),
            Zoo::SixHumpCamel => SixHumpCamel.gradient(x, g),
            Zoo::Beale => Beale.gradient(x, g),
            Zoo::Booth => Booth.gradient(x, g),
            Zoo::Rosenbrock => Rosenbrock.gradient(x, g),
            Zoo::Easom => Easom.gradient(x, g),
            Zoo::StyblinskiTang => StyblinskiTang::<2>.gradient(x, g),
        }
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        match self.function {
            Zoo::Himmelblau => Himmelblau.hessian(x, h),
            Zoo::SixHumpCamel => SixHumpCamel.hessian(x, h),
            Zoo::Beale => Beale.hessian(x, h),
            Zoo::Booth => Booth.hessian(x, h),
            Zoo::Rosenbrock => Rosenbrock.hessian(x, h),
            Zoo::Easom => Easom.hessian(x, h),
            Zoo::StyblinskiTang => StyblinskiTang::<2>.hessian(x, h),
        }
    }
}

/// A listed critical point ([`critical_points`]) and a start within `radius` of it (uniform
/// direction, length uniform in `[0, radius]`). Shrinks towards the first point of the list
/// and towards no offset.
///
/// ```
/// use lossmap::testing::{near_critical, CriticalKind};
/// use lossmap::Objective;
/// use proptest::prelude::*;
/// proptest!(|(mut p in near_critical::<f64>(1e-3))| {
///     let mut g = [0.0; 2];
///     let at = p.point;
///     p.gradient(&at, &mut g).unwrap();
///     prop_assert!(g[0].hypot(g[1]) < 1e-6);
///     prop_assert_eq!(p.kind == CriticalKind::Saddle, p.index == 1);
/// });
/// ```
pub fn near_critical<T: Real>(radius: f64) -> impl Strategy<Value = NearCritical<T>> {
    let points = critical_points();
    let count = points.len();
    (
        0..count,
        0.0f64..core::f64::consts::TAU,
        0.0f64..=radius.max(0.0),
    )
        .prop_map(move |(i, angle, r)| {
            let (function, point, value, kind, index) = points[i % count];
            let (s, c) = angle.sin_cos();
            NearCritical {
                function,
                point,
                value,
                kind,
                index,
                start: [t(point[0] + r * c), t(point[1] + r * s)],
            }
        })
}

// ---------------------------------------------------------------------------------------------

/// What [`least_squares`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct LeastSquaresSpec {
    /// The number of samples `m`, in this range (≥ `N` for a unique solution).
    pub samples: (usize, usize),
    /// Feature entries are uniform in `[−features, features]`.
    pub features: f64,
    /// The true weights and bias are uniform in `[−truth, truth]`.
    pub truth: f64,
    /// The noise standard deviation, uniform in this range.
    pub noise: (f64, f64),
    /// The start is uniform in `[−start, start]ᴺ`.
    pub start: f64,
}

impl Default for LeastSquaresSpec {
    /// 32–64 samples, features in `[−1, 1]`, truth in `[−2, 2]`, noise σ ∈ [0.01, 0.3], start
    /// in `[−1, 1]ᴺ`.
    fn default() -> Self {
        LeastSquaresSpec {
            samples: (32, 64),
            features: 1.0,
            truth: 2.0,
            noise: (0.01, 0.3),
            start: 1.0,
        }
    }
}

/// A noisy linear regression `yᵢ = β·xᵢ + b + σ zᵢ` (`zᵢ` standard normal) with `N − 1`
/// features and `N` parameters `θ = (w, b)`, as a mean of per-sample losses
/// `ℓᵢ(θ) = ½ (w·xᵢ + b − yᵢ)²`: an [`Objective`] over all samples and a [`BatchObjective`]
/// for [`minimize_stochastic`](crate::optim::minimize_stochastic) (sample indices `0..m`).
///
/// The known answer is the least-squares solution, computed by the crate's
/// [`least_squares`](crate::loss::least_squares) (Cholesky solve of the normal equations with
/// its rank test) in `f64` from the stored data; `L` and `μ` are the extreme eigenvalues of the
/// Gram matrix `AᵀA/m` (the Hessian), from [`SymEigen`].
#[derive(Debug, Clone, PartialEq)]
pub struct LeastSquaresLandscape<T, const N: usize> {
    /// The features, `m × (N − 1)` row-major.
    pub features: Vec<T>,
    /// The targets `yᵢ`.
    pub targets: Vec<T>,
    /// The weights and bias that generated the targets.
    pub truth: [T; N],
    /// The noise standard deviation.
    pub noise: T,
    /// The least-squares solution `θ*`.
    pub solution: [T; N],
    /// The loss at `θ*`.
    pub min_value: T,
    /// The largest Hessian eigenvalue.
    pub l: T,
    /// The smallest Hessian eigenvalue.
    pub mu: T,
    /// Where a run starts.
    pub start: [T; N],
}

impl<T: Real, const N: usize> LeastSquaresLandscape<T, N> {
    /// The number of samples.
    pub fn samples(&self) -> usize {
        self.targets.len()
    }

    /// The residual `w·xᵢ + b − yᵢ` of sample `i` (NaN out of range).
    fn residual(&self, theta: &[T], i: usize) -> T {
        let d = N.saturating_sub(1);
        let (Some(row), Some(&y)) = (self.features.get(i * d..i * d + d), self.targets.get(i))
        else {
            return T::NAN_R;
        };
        let bias = theta.get(d).copied().unwrap_or(T::NAN_R);
        row.iter()
            .zip(theta)
            .fold(bias - y, |acc, (&xi, &wi)| acc + xi * wi)
    }

    /// Adds `scale · rᵢ aᵢ` (the gradient of `ℓᵢ` times `scale`) to `g`.
    fn add_gradient(&self, theta: &[T], i: usize, scale: T, g: &mut [T]) {
        let d = N.saturating_sub(1);
        let r = self.residual(theta, i) * scale;
        if let Some(row) = self.features.get(i * d..i * d + d) {
            g.iter_mut().zip(row).for_each(|(gj, &xj)| *gj += r * xj);
        }
        if let Some(gb) = g.get_mut(d) {
            *gb += r;
        }
    }

    fn mean_loss(&self, theta: &[T], batch: impl ExactSizeIterator<Item = usize>) -> T {
        let k = T::from_usize(batch.len().max(1));
        batch.fold(T::ZERO, |acc, i| {
            let r = self.residual(theta, i);
            acc + T::HALF * r * r / k
        })
    }

    fn mean_gradient(
        &self,
        theta: &[T],
        batch: impl ExactSizeIterator<Item = usize>,
        g: &mut [T],
    ) -> Result<usize, Error> {
        if theta.len() != N || g.len() != N {
            return Err(Error::LengthMismatch);
        }
        if theta.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        let k = T::ONE / T::from_usize(batch.len().max(1));
        let mut out = [T::ZERO; N];
        batch.for_each(|i| self.add_gradient(theta, i, k, &mut out));
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        g.iter_mut().zip(&out).for_each(|(a, &b)| *a = b);
        Ok(0)
    }
}

impl<T: Real, const N: usize> Objective<T, N> for LeastSquaresLandscape<T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        self.mean_loss(x, 0..self.samples())
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        self.mean_gradient(x, 0..self.samples(), g)
    }
    /// The Gram matrix `AᵀA/m` (the same everywhere).
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        let d = N.saturating_sub(1);
        let k = T::ONE / T::from_usize(self.samples().max(1));
        let mut out = [[T::ZERO; N]; N];
        for row in self.features.chunks_exact(d.max(1)).take(self.samples()) {
            let a: [T; N] = core::array::from_fn(|j| row.get(j).copied().unwrap_or(T::ONE));
            for (o, &ai) in out.iter_mut().zip(&a) {
                o.iter_mut().zip(&a).for_each(|(e, &aj)| *e += k * ai * aj);
            }
        }
        if out.as_flattened().iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        *h = out;
        Ok(0)
    }
}

impl<T: Real, const N: usize> BatchObjective<T> for LeastSquaresLandscape<T, N> {
    fn batch_value(&mut self, x: &[T], batch: &[usize]) -> T {
        if x.len() != N {
            return T::NAN_R;
        }
        self.mean_loss(x, batch.iter().copied())
    }
    fn batch_gradient(
        &mut self,
        x: &mut [T],
        batch: &[usize],
        g: &mut [T],
    ) -> Result<usize, Error> {
        self.mean_gradient(x, batch.iter().copied(), g)
    }
}

impl<T: Real, const N: usize> Landscape<T, N> for LeastSquaresLandscape<T, N> {
    fn minimizer(&self) -> [T; N] {
        self.solution
    }
    fn min_value(&self) -> T {
        self.min_value
    }
    fn start(&self) -> [T; N] {
        self.start
    }
    fn smoothness(&self) -> T {
        self.l
    }
    fn strong_convexity(&self) -> T {
        self.mu
    }
}

/// Builds the landscape from drawn data: stores the data in `T`, then solves in `f64` from
/// the stored values. `None` for a rank-deficient design.
fn build_least_squares<T: Real, const N: usize>(
    features: Vec<f64>,
    z: Vec<f64>,
    truth: [f64; N],
    sigma: f64,
    start: [f64; N],
) -> Option<LeastSquaresLandscape<T, N>> {
    let d = N.checked_sub(1).filter(|&d| d > 0)?;
    let xs: Vec<T> = features.iter().map(|&v| t(v)).collect();
    let truth_t: [T; N] = to_t(&truth);
    let ys: Vec<T> = xs
        .chunks_exact(d)
        .zip(&z)
        .map(|(row, &zi)| {
            let clean = row
                .iter()
                .zip(&truth_t)
                .fold(truth_t[d], |acc, (&a, &w)| acc + a * w);
            clean + t::<T>(sigma * zi)
        })
        .collect();
    let (x64, y64): (Vec<f64>, Vec<f64>) = (
        xs.iter().map(|v| v.to_f64()).collect(),
        ys.iter().map(|v| v.to_f64()).collect(),
    );
    let mut work = std::vec![0.0f64; crate::loss::least_squares_work_len(d)];
    let mut theta = [0.0f64; N];
    crate::loss::least_squares(&x64, &y64, d, &mut work, &mut theta).ok()?;
    let mut gram = [[0.0f64; N]; N];
    crate::loss::design_gram(&x64, d, gram.as_flattened_mut()).ok()?;
    let eig = SymEigen::new(&gram).ok()?;
    let mu = eig.values.iter().fold(f64::MAX, |m, &v| m.min(v));
    let l = eig.values.iter().fold(0.0f64, |m, &v| m.max(v));
    if mu.is_nan() || mu <= 0.0 {
        return None;
    }
    let mut land = LeastSquaresLandscape {
        features: xs,
        targets: ys,
        truth: truth_t,
        noise: t(sigma),
        solution: to_t(&theta),
        min_value: T::ZERO,
        l: t(l),
        mu: t(mu),
        start: to_t(&start),
    };
    let sol = land.solution;
    land.min_value = land.value(&sol);
    Some(land)
}

/// Noisy least-squares problems ([`LeastSquaresLandscape`]) as `spec` says, `N ≥ 2`
/// parameters (`N − 1` features and a bias; `N < 2` draws nothing: proptest reports every case
/// rejected). Rank-deficient designs are rejected.
///
/// ```
/// use lossmap::testing::{least_squares, Landscape, LeastSquaresSpec};
/// use lossmap::Objective;
/// use proptest::prelude::*;
/// proptest!(ProptestConfig::with_cases(16), |(mut p in least_squares::<f64, 3>(LeastSquaresSpec::default()))| {
///     let mut g = [0.0; 3];
///     let s = p.minimizer();
///     p.gradient(&s, &mut g).unwrap();
///     prop_assert!(g.iter().all(|v| v.abs() < 1e-12));
///     prop_assert!(p.strong_convexity() > 0.0 && p.smoothness() >= p.strong_convexity());
/// });
/// ```
pub fn least_squares<T: Real, const N: usize>(
    spec: LeastSquaresSpec,
) -> impl Strategy<Value = LeastSquaresLandscape<T, N>> {
    let d = N.saturating_sub(1);
    let (m_lo, m_hi) = (
        spec.samples.0.max(1),
        spec.samples.1.max(spec.samples.0.max(1)),
    );
    let features = spec.features;
    let (s_lo, s_hi) = (
        spec.noise.0.max(0.0),
        spec.noise.1.max(spec.noise.0.max(0.0)),
    );
    let noise: BoxedStrategy<f64> = if s_hi > s_lo {
        (s_lo..=s_hi).boxed()
    } else {
        Just(s_lo).boxed()
    };
    (m_lo..=m_hi)
        .prop_flat_map(move |m| {
            (
                proptest::collection::vec(symmetric(features), m * d),
                proptest::collection::vec(gaussian(), m),
            )
        })
        .prop_flat_map(move |(x, z)| {
            (
                Just(x),
                Just(z),
                proptest::array::uniform::<_, N>(symmetric(spec.truth)),
                noise.clone(),
                proptest::array::uniform::<_, N>(symmetric(spec.start)),
            )
        })
        .prop_filter_map("rank-deficient design", |(x, z, truth, sigma, start)| {
            build_least_squares::<T, N>(x, z, truth, sigma, start)
        })
}
