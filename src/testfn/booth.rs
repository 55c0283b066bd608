//! Booth's function `f(x, y) = (x + 2y − 7)² + (2x + y − 5)²` (Jamil & Yang, "A literature
//! survey of benchmark functions for global optimization problems", 2013; Surjanovic &
//! Bingham, *Virtual Library of Simulation Experiments*, "Booth function"). A convex quadratic:
//! the least-squares form of the linear system `x + 2y = 7`, `2x + y = 5`, whose solution
//! (1, 3) is the minimum, value 0.
//!
//! ```text
//! ∇f = (2u + 4v, 4u + 2v),  u = x + 2y − 7, v = 2x + y − 5
//! ∇²f = [[10, 8], [8, 10]]   (everywhere; eigenvalues 2 along (1, −1), 18 along (1, 1))
//! ```

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Booth's function.
///
/// ```
/// use lossmap::{testfn::Booth, Objective};
/// assert_eq!(Booth.value(&[1.0f64, 3.0]), 0.0);
/// // (0, 0): 7² + 5² = 74.
/// assert_eq!(Booth.value(&[0.0f64, 0.0]), 74.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Booth;

impl Booth {
    /// The global minimum (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; 2] = [1.0, 3.0];
    /// The value at the minimum.
    pub const MIN_VALUE: f64 = 0.0;
    /// The constant Hessian.
    pub const HESSIAN: [[f64; 2]; 2] = [[10.0, 8.0], [8.0, 10.0]];
}

impl<T: Real> Objective<T, 2> for Booth {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let u = a + T::TWO * b - c::<T>(7.0);
        let v = T::TWO * a + b - c::<T>(5.0);
        u * u + v * v
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let u = a + T::TWO * b - c::<T>(7.0);
        let v = T::TWO * a + b - c::<T>(5.0);
        let four = c::<T>(4.0);
        deliver_gradient(x, [T::TWO * u + four * v, four * u + T::TWO * v], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        deliver_hessian(x, Self::HESSIAN.map(|row| row.map(c::<T>)), h)
    }
}
