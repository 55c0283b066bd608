//! Easom's function `f(x, y) = −cos x cos y exp(−((x − π)² + (y − π)²))` (Easom, *A Survey of
//! Global Optimization Techniques*, M.Eng. thesis, University of Louisville, 1990; Jamil & Yang
//! 2013; Surjanovic & Bingham, *Virtual Library of Simulation Experiments*, "Easom function").
//! A golf course: a plateau where `|f| < 10⁻⁸` once `(x − π)² + (y − π)² > 18.5`,
//! and one narrow hole of depth −1 at (π, π), Hessian there `3I` (each cosine contributes 1
//! and the Gaussian 2). The plateau carries countless shallow critical points; only the hole
//! is listed.
//!
//! With `a = x − π`, `b = y − π`, `E = exp(−(a² + b²))`:
//!
//! ```text
//! ∇f = E (cos y (sin x + 2a cos x), cos x (sin y + 2b cos y))
//! ∂²f/∂x² = E cos y ((3 − 4a²) cos x − 4a sin x)
//! ∂²f/∂x∂y = −E (sin x + 2a cos x)(sin y + 2b cos y)
//! ∂²f/∂y² = E cos x ((3 − 4b²) cos y − 4b sin y)
//! ```

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Easom's golf-course function.
///
/// ```
/// use lossmap::{testfn::Easom, Objective};
/// use core::f64::consts::PI;
/// assert_eq!(Easom.value(&[PI, PI]), -1.0);
/// // The plateau: at the origin f = −e^{−2π²} ≈ −2.7e−9.
/// assert!((Easom.value(&[0.0f64, 0.0]) + (-2.0 * PI * PI).exp()).abs() < 1e-22);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Easom;

impl Easom {
    /// The global minimum (π, π) (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; 2] = [core::f64::consts::PI, core::f64::consts::PI];
    /// The value at the minimum.
    pub const MIN_VALUE: f64 = -1.0;
    /// The Hessian at the minimum.
    pub const HESSIAN_AT_MINIMUM: [[f64; 2]; 2] = [[3.0, 0.0], [0.0, 3.0]];
}

/// `(cos x, sin x, x − π)` per coordinate and the Gaussian `E`.
fn parts<T: Real>(x: &[T; 2]) -> ([T; 2], [T; 2], [T; 2], T) {
    let cos = x.map(|v| v.cos());
    let sin = x.map(|v| v.sin());
    let d = x.map(|v| v - T::PI_R);
    let [a, b] = d;
    (cos, sin, d, (-(a * a + b * b)).exp())
}

impl<T: Real> Objective<T, 2> for Easom {
    fn value(&mut self, x: &[T; 2]) -> T {
        let ([cx, cy], _, _, e) = parts(x);
        -cx * cy * e
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let ([cx, cy], [sx, sy], [a, b], e) = parts(x);
        let px = sx + T::TWO * a * cx;
        let py = sy + T::TWO * b * cy;
        deliver_gradient(x, [e * cy * px, e * cx * py], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let ([cx, cy], [sx, sy], [a, b], e) = parts(x);
        let (three, four) = (c::<T>(3.0), c::<T>(4.0));
        let hxx = e * cy * ((three - four * a * a) * cx - four * a * sx);
        let hyy = e * cx * ((three - four * b * b) * cy - four * b * sy);
        let hxy = -e * (sx + T::TWO * a * cx) * (sy + T::TWO * b * cy);
        deliver_hessian(x, [[hxx, hxy], [hxy, hyy]], h)
    }
}
