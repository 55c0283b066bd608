//! `f(x, y) = eˣ sin y + cos(xy)`: a smooth function whose second derivatives are all non-zero
//! and of different sizes at a generic point, used as an accuracy target for finite-difference
//! Hessians at the reference point (0.5, 0.7) (the point of the `diff::hessian_richardson`
//! example, which uses `eˣ sin y` alone; the `cos(xy)` term adds mixed curvature). Not bounded
//! below
//! (`eˣ sin y → −∞`), so no minimum is listed; the reference values at (0.5, 0.7) were computed
//! in 50-digit arithmetic by `tests/reference/landscapes.py`.
//!
//! ```text
//! ∇f = (eˣ sin y − y sin(xy), eˣ cos y − x sin(xy))
//! ∂²f/∂x² = eˣ sin y − y² cos(xy)
//! ∂²f/∂x∂y = eˣ cos y − sin(xy) − xy cos(xy)
//! ∂²f/∂y² = −eˣ sin y − x² cos(xy)
//! ```

use super::{deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// `eˣ sin y + cos(xy)`.
///
/// ```
/// use lossmap::{testfn::ExpSinCos, Objective};
/// let x = ExpSinCos::REFERENCE_POINT;
/// let (mut h, mut fd) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
/// ExpSinCos.hessian(&x, &mut h).unwrap();
/// lossmap::diff::hessian_n(|p: &[f64; 2]| ExpSinCos.value(p), &x, &mut fd).unwrap();
/// for (row, want) in h.iter().zip(&ExpSinCos::REFERENCE_HESSIAN) {
///     assert!((row[0] - want[0]).abs() < 1e-15 && (row[1] - want[1]).abs() < 1e-15);
/// }
/// assert!((fd[0][1] - h[0][1]).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpSinCos;

impl ExpSinCos {
    /// The reference point (0.5, 0.7).
    pub const REFERENCE_POINT: [f64; 2] = [0.5, 0.7];
    /// `f` at the reference point.
    pub const REFERENCE_VALUE: f64 = 2.0015081167574027;
    /// `∇f` at the reference point.
    pub const REFERENCE_GRADIENT: [f64; 2] = [0.8221069386912078, 1.0895626791770214];
    /// `∇²f` at the reference point.
    pub const REFERENCE_HESSIAN: [[f64; 2]; 2] = [
        [0.6018427746148081, 0.5893333259527131],
        [0.5893333259527131, -1.2969785821218685],
    ];
}

impl<T: Real> Objective<T, 2> for ExpSinCos {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        a.exp() * b.sin() + (a * b).cos()
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let (e, s) = (a.exp(), (a * b).sin());
        deliver_gradient(x, [e * b.sin() - b * s, e * b.cos() - a * s], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let (e, s, c) = (a.exp(), (a * b).sin(), (a * b).cos());
        let (esy, ecy) = (e * b.sin(), e * b.cos());
        let hxy = ecy - s - a * b * c;
        deliver_hessian(x, [[esy - b * b * c, hxy], [hxy, -esy - a * a * c]], h)
    }
}
