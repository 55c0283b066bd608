//! Himmelblau's function `f(x, y) = (x² + y − 11)² + (x + y² − 7)²` (Himmelblau, *Applied
//! Nonlinear Programming*, 1972): four minima of value 0, four saddles, one maximum.
//! Coordinates of the non-integer points refined by Newton's method in f64 with the script
//! `tests/reference/critical_points.py`.

use crate::{Error, Objective, Real};

/// Himmelblau's function.
///
/// ```
/// use basin::{testfn::Himmelblau, Objective};
/// assert_eq!(Himmelblau.value(&[3.0f64, 2.0]), 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Himmelblau;

impl Himmelblau {
    /// The four global minima (value 0).
    pub const MINIMA: [[f64; 2]; 4] = [
        [3.0, 2.0],
        [-2.805118086952745, 3.131312518250573],
        [-3.779310253377747, -3.28318599128617],
        [3.584428340330492, -1.848126526964403],
    ];
    /// The four index-1 saddle points.
    pub const SADDLES: [[f64; 2]; 4] = [
        [0.086677504555396, 2.884254701174776],
        [-3.07302575076439, -0.081353044287968],
        [3.385154183607021, 0.073851879837749],
        [-0.127961346730680, -1.953714980244577],
    ];
    /// The local maximum.
    pub const MAXIMUM: [f64; 2] = [-0.270844590667348, -0.923038556479981];
}

impl<T: Real> Objective<T, 2> for Himmelblau {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let u = a * a + b - T::from_f64(11.0);
        let v = a + b * b - T::from_f64(7.0);
        u * u + v * v
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let u = a * a + b - T::from_f64(11.0);
        let v = a + b * b - T::from_f64(7.0);
        let two = T::TWO;
        *g = [two * two * a * u + two * v, two * u + two * two * b * v];
        Ok(0)
    }
}
