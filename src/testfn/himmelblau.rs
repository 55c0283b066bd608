//! Himmelblau's function `f(x, y) = (x² + y − 11)² + (x + y² − 7)²` (Himmelblau, *Applied
//! Nonlinear Programming*, McGraw-Hill, 1972): four minima of value 0, four saddles, one
//! maximum. Coordinates of the non-integer points refined by Newton's method in f64 with the
//! script `tests/reference/critical_points.py`.
//!
//! With `u = x² + y − 11`, `v = x + y² − 7`:
//!
//! ```text
//! ∇f = (4xu + 2v, 2u + 4yv)
//! ∇²f = [[12x² + 4y − 42, 4x + 4y], [4x + 4y, 4x + 12y² − 26]]
//! ```

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Himmelblau's function.
///
/// ```
/// use lossmap::{testfn::Himmelblau, Objective};
/// assert_eq!(Himmelblau.value(&[3.0f64, 2.0]), 0.0);
/// let mut h = [[0.0; 2]; 2];
/// Himmelblau.hessian(&[3.0f64, 2.0], &mut h).unwrap();
/// assert_eq!(h, [[74.0, 20.0], [20.0, 34.0]]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Himmelblau;

impl Himmelblau {
    /// The four global minima (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMA: [[f64; 2]; 4] = [
        [3.0, 2.0],
        [-2.805118086952745, 3.131312518250573],
        [-3.779310253377747, -3.28318599128617],
        [3.584428340330492, -1.848126526964403],
    ];
    /// The value at the minima.
    pub const MIN_VALUE: f64 = 0.0;
    /// The four index-1 saddle points.
    pub const SADDLES: [[f64; 2]; 4] = [
        [0.086677504555396, 2.884254701174776],
        [-3.07302575076439, -0.081353044287968],
        [3.385154183607021, 0.073851879837749],
        [-0.127961346730680, -1.953714980244577],
    ];
    /// The values at [`SADDLES`](Self::SADDLES) (from `tests/reference/landscapes.py`).
    pub const SADDLE_VALUES: [f64; 4] = [
        67.71915008752615,
        104.0151629175581,
        13.31192627040559,
        178.33723920192747,
    ];
    /// The local maximum.
    pub const MAXIMUM: [f64; 2] = [-0.270844590667348, -0.923038556479981];
    /// The value at the maximum (from `tests/reference/landscapes.py`).
    pub const MAX_VALUE: f64 = 181.6165215225827;
}

impl<T: Real> Objective<T, 2> for Himmelblau {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let u = a * a + b - c::<T>(11.0);
        let v = a + b * b - c::<T>(7.0);
        u * u + v * v
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let u = a * a + b - c::<T>(11.0);
        let v = a + b * b - c::<T>(7.0);
        let (two, four) = (T::TWO, c::<T>(4.0));
        deliver_gradient(x, [four * a * u + two * v, two * u + four * b * v], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let four = c::<T>(4.0);
        let twelve = c::<T>(12.0);
        let off = four * a + four * b;
        let hess = [
            [twelve * a * a + four * b - c::<T>(42.0), off],
            [off, four * a + twelve * b * b - c::<T>(26.0)],
        ];
        deliver_hessian(x, hess, h)
    }
}
