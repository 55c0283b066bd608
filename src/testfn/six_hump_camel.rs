//! The six-hump camel-back function
//! `f(x, y) = (4 − 2.1x² + x⁴/3) x² + xy + (−4 + 4y²) y²` (Dixon & Szegő, "The global
//! optimisation problem: an introduction", in *Towards Global Optimisation 2*, North-Holland,
//! 1978; Jamil & Yang 2013; Surjanovic & Bingham, *Virtual Library of Simulation Experiments*,
//! "Six-hump camel function"). Symmetric under `(x, y) → (−x, −y)`. On `[−3, 3] × [−2, 2]` it
//! has 15 critical points: two global minima ±(0.0898, −0.7127) of value −1.0316, four more
//! local minima, seven index-1 saddles (the origin among them) and two maxima, all refined by
//! multistart Newton in 50-digit arithmetic in `tests/reference/landscapes.py`.
//!
//! ```text
//! ∇f = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³)
//! ∇²f = [[8 − 25.2x² + 10x⁴, 1], [1, −8 + 48y²]]
//! ```
//!
//! At the origin `∇²f = [[8, 1], [1, −8]]`, eigenvalues `±√65 ≈ ±8.062`.

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// The six-hump camel-back function.
///
/// ```
/// use lossmap::{testfn::SixHumpCamel, Objective};
/// let f = SixHumpCamel.value(&SixHumpCamel::MINIMA[0]);
/// assert!((f - SixHumpCamel::MIN_VALUE).abs() < 1e-15);
/// // (1, 1): (4 − 2.1 + 1/3) + 1 + 0 = 3.2333….
/// assert!((SixHumpCamel.value(&[1.0f64, 1.0]) - (3.2 + 1.0 / 30.0)).abs() < 1e-14);
/// let mut h = [[0.0; 2]; 2];
/// SixHumpCamel.hessian(&[0.0f64, 0.0], &mut h).unwrap();
/// assert_eq!(h, [[8.0, 1.0], [1.0, -8.0]]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SixHumpCamel;

impl SixHumpCamel {
    /// The two global minima (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMA: [[f64; 2]; 2] = [
        [0.08984201310031806, -0.7126564030207396],
        [-0.08984201310031806, 0.7126564030207396],
    ];
    /// The value at the global minima.
    pub const MIN_VALUE: f64 = -1.0316284534898774;
    /// The four other local minima, in pairs `±p`.
    pub const LOCAL_MINIMA: [[f64; 2]; 4] = [
        [1.703606714969981, -0.7960835686726251],
        [-1.703606714969981, 0.7960835686726251],
        [1.6071047529201972, 0.5686514548841314],
        [-1.6071047529201972, -0.5686514548841314],
    ];
    /// The values at [`LOCAL_MINIMA`](Self::LOCAL_MINIMA).
    pub const LOCAL_MIN_VALUES: [f64; 4] = [
        -0.21546382438371764,
        -0.21546382438371764,
        2.1042503103112584,
        2.1042503103112584,
    ];
    /// The seven index-1 saddles: the origin and three pairs `±p`.
    pub const SADDLES: [[f64; 2]; 7] = [
        [0.0, 0.0],
        [1.1092053368047865, -0.7682680925095399],
        [-1.1092053368047865, 0.7682680925095399],
        [1.6380679841897785, 0.22867406904439408],
        [-1.6380679841897785, -0.22867406904439408],
        [1.2960702671671092, 0.6050843880386585],
        [-1.2960702671671092, -0.6050843880386585],
    ];
    /// The values at [`SADDLES`](Self::SADDLES).
    pub const SADDLE_VALUES: [f64; 7] = [
        0.0,
        0.5437186009781851,
        0.5437186009781851,
        2.2293571975307147,
        2.2293571975307147,
        2.22947081802986,
        2.22947081802986,
    ];
    /// The two local maxima.
    pub const MAXIMA: [[f64; 2]; 2] = [
        [1.2302298765166526, 0.16233458445899496],
        [-1.2302298765166526, -0.16233458445899496],
    ];
    /// The value at the maxima.
    pub const MAX_VALUE: f64 = 2.496295351023577;
}

impl<T: Real> Objective<T, 2> for SixHumpCamel {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        let (a2, b2) = (a * a, b * b);
        (c::<T>(4.0) - c::<T>(2.1) * a2 + a2 * a2 / c::<T>(3.0)) * a2
            + a * b
            + (c::<T>(-4.0) + c::<T>(4.0) * b2) * b2
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let a2 = a * a;
        let gx = (c::<T>(8.0) - c::<T>(8.4) * a2 + T::TWO * a2 * a2) * a + b;
        let gy = a - c::<T>(8.0) * b + c::<T>(16.0) * b * b * b;
        deliver_gradient(x, [gx, gy], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let a2 = a * a;
        let hxx = c::<T>(8.0) - c::<T>(25.2) * a2 + c::<T>(10.0) * a2 * a2;
        let hyy = c::<T>(-8.0) + c::<T>(48.0) * b * b;
        deliver_hessian(x, [[hxx, T::ONE], [T::ONE, hyy]], h)
    }
}
