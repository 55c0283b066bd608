//! Rosenbrock's banana valley `f(x, y) = (1 − x)² + 100 (y − x²)²` (Rosenbrock, "An automatic
//! method for finding the greatest or least value of a function", *Computer Journal* 3, 1960;
//! Jamil & Yang, "A literature survey of benchmark functions for global optimization
//! problems", *Int. J. Math. Model. Numer. Optim.* 4, 2013). One minimum, f = 0 at (1, 1), at
//! the end of a curved flat-bottomed valley; no other critical point.
//!
//! ```text
//! ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²))
//! ∇²f = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]]
//! ```
//!
//! Hessian at the minimum `[[802, −400], [−400, 200]]`, eigenvalues `501 ∓ √250 601` ≈ 0.3994
//! and 1001.6 (condition number ≈ 2508). The chained N-dimensional form is
//! [`RosenbrockN`](super::RosenbrockN).

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// The 2-D Rosenbrock function with `a = 1`, `b = 100`.
///
/// ```
/// use lossmap::{testfn::Rosenbrock, Objective};
/// assert_eq!(Rosenbrock.value(&[1.0f64, 1.0]), 0.0);
/// assert_eq!(Rosenbrock.value(&[-1.2f64, 1.0]), 24.199999999999996);
/// let mut h = [[0.0; 2]; 2];
/// assert_eq!(Rosenbrock.hessian(&[1.0f64, 1.0], &mut h), Ok(0));
/// assert_eq!(h, [[802.0, -400.0], [-400.0, 200.0]]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rosenbrock;

impl Rosenbrock {
    /// The global minimum (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; 2] = [1.0, 1.0];
    /// The value at the minimum.
    pub const MIN_VALUE: f64 = 0.0;
    /// The classic start point.
    pub const START: [f64; 2] = [-1.2, 1.0];
    /// The analytic Hessian at `(x, y)`.
    pub fn hessian<T: Real>(x: &[T; 2]) -> [[T; 2]; 2] {
        let [a, b] = *x;
        let k = c::<T>(100.0);
        let h00 = T::TWO - c::<T>(4.0) * k * (b - a * a) + c::<T>(8.0) * k * a * a;
        let h01 = -c::<T>(4.0) * k * a;
        [[h00, h01], [h01, T::TWO * k]]
    }
}

impl<T: Real> Objective<T, 2> for Rosenbrock {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let u = T::ONE - a;
        let v = b - a * a;
        u * u + c::<T>(100.0) * v * v
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let v = b - a * a;
        let k = c::<T>(200.0);
        deliver_gradient(x, [-T::TWO * (T::ONE - a) - T::TWO * k * a * v, k * v], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        deliver_hessian(x, Rosenbrock::hessian(x), h)
    }
}
