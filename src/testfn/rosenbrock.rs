//! Rosenbrock's banana valley `f(x, y) = (1 − x)² + 100 (y − x²)²` (Rosenbrock, *Computer
//! Journal* 3, 1960). One minimum, f = 0 at (1, 1), at the end of a curved flat-bottomed valley;
//! Hessian there `[[802, −400], [−400, 200]]`, eigenvalues ≈ 0.3994 and 1001.6.

use crate::{Error, Objective, Real};

/// The 2-D Rosenbrock function with `a = 1`, `b = 100`.
///
/// ```
/// use basin::{testfn::Rosenbrock, Objective};
/// assert_eq!(Rosenbrock.value(&[1.0f64, 1.0]), 0.0);
/// assert_eq!(Rosenbrock.value(&[-1.2f64, 1.0]), 24.199999999999996);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rosenbrock;

impl Rosenbrock {
    /// The global minimum (value 0).
    pub const MINIMUM: [f64; 2] = [1.0, 1.0];
    /// The classic start point.
    pub const START: [f64; 2] = [-1.2, 1.0];
    /// The analytic Hessian at `(x, y)`.
    pub fn hessian<T: Real>(x: &[T; 2]) -> [[T; 2]; 2] {
        let [a, b] = *x;
        let c = T::from_f64(100.0);
        let h00 = T::TWO - T::from_f64(4.0) * c * (b - a * a) + T::from_f64(8.0) * c * a * a;
        let h01 = -T::from_f64(4.0) * c * a;
        [[h00, h01], [h01, T::TWO * c]]
    }
}

impl<T: Real> Objective<T, 2> for Rosenbrock {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let u = T::ONE - a;
        let v = b - a * a;
        u * u + T::from_f64(100.0) * v * v
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let v = b - a * a;
        let c = T::from_f64(200.0);
        *g = [-T::TWO * (T::ONE - a) - T::TWO * c * a * v, c * v];
        Ok(0)
    }
}
