//! The Styblinski–Tang function `f(x) = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ)` (Styblinski & Tang,
//! "Experiments in nonconvex optimization: stochastic approximation with function smoothing and
//! simulated annealing", *Neural Networks* 3, 1990; Surjanovic & Bingham, *Virtual Library of
//! Simulation Experiments*, "Styblinski-Tang function"). Separable: each coordinate is a
//! tilted double well with roots of `f′ = 2x³ − 16x + 2.5` at −2.90353 (the deeper minimum),
//! 0.15673 (maximum) and 2.74680 (the shallower minimum), so there are `3ᴺ` critical points:
//! `2ᴺ` minima, one maximum, the rest saddles. Global minimum `−39.16616570377141·N` at
//! `xᵢ = −2.903534027771177` (the values often quoted, −2.903534027771178 and
//! −39.16616570377142, are each one unit in the last place away from the correctly rounded
//! ones printed by `tests/reference/landscapes.py`).
//!
//! ```text
//! ∂f/∂xᵢ = 2xᵢ³ − 16xᵢ + 2.5       ∂²f/∂xᵢ² = 6xᵢ² − 16     (Hessian diagonal)
//! ```

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// The Styblinski–Tang function in `N` dimensions.
///
/// ```
/// use lossmap::{testfn::StyblinskiTang, Objective};
/// type St = StyblinskiTang<3>;
/// let f = StyblinskiTang.value(&St::MINIMUM);
/// assert!((f - St::MIN_VALUE).abs() < 1e-12 && St::MIN_VALUE < -117.0);
/// // At 0 every term vanishes.
/// assert_eq!(StyblinskiTang.value(&[0.0f64; 3]), 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StyblinskiTang<const N: usize>;

impl<const N: usize> StyblinskiTang<N> {
    /// Each coordinate of the global minimum (the deeper well).
    pub const MIN_COORDINATE: f64 = -2.903534027771177;
    /// `½(x⁴ − 16x² + 5x)` at [`MIN_COORDINATE`](Self::MIN_COORDINATE).
    pub const MIN_COORDINATE_VALUE: f64 = -39.16616570377141;
    /// The other root of `f′` that is a minimum in one coordinate (the shallower well).
    pub const LOCAL_MIN_COORDINATE: f64 = 2.746802770990837;
    /// `½(x⁴ − 16x² + 5x)` at [`LOCAL_MIN_COORDINATE`](Self::LOCAL_MIN_COORDINATE).
    pub const LOCAL_MIN_COORDINATE_VALUE: f64 = -25.02944665528394;
    /// The root of `f′` that is a maximum in one coordinate.
    pub const MAX_COORDINATE: f64 = 0.1567312567803401;
    /// `½(x⁴ − 16x² + 5x)` at [`MAX_COORDINATE`](Self::MAX_COORDINATE).
    pub const MAX_COORDINATE_VALUE: f64 = 0.19561235905535806;

    /// The global minimum.
    pub const MINIMUM: [f64; N] = [Self::MIN_COORDINATE; N];
    /// The value at the global minimum.
    pub const MIN_VALUE: f64 = Self::MIN_COORDINATE_VALUE * N as f64;
    /// The highest of the `2ᴺ` local minima: every coordinate in the shallower well.
    pub const HIGHEST_LOCAL_MINIMUM: [f64; N] = [Self::LOCAL_MIN_COORDINATE; N];
    /// The value at [`HIGHEST_LOCAL_MINIMUM`](Self::HIGHEST_LOCAL_MINIMUM).
    pub const HIGHEST_LOCAL_MIN_VALUE: f64 = Self::LOCAL_MIN_COORDINATE_VALUE * N as f64;
    /// The only local maximum.
    pub const MAXIMUM: [f64; N] = [Self::MAX_COORDINATE; N];
    /// The value at [`MAXIMUM`](Self::MAXIMUM).
    pub const MAX_VALUE: f64 = Self::MAX_COORDINATE_VALUE * N as f64;
}

impl<T: Real, const N: usize> Objective<T, N> for StyblinskiTang<N> {
    fn value(&mut self, x: &[T; N]) -> T {
        let (sixteen, five) = (c::<T>(16.0), c::<T>(5.0));
        let sum = x.iter().fold(T::ZERO, |acc, &v| {
            let v2 = v * v;
            acc + v2 * v2 - sixteen * v2 + five * v
        });
        T::HALF * sum
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let out = x.map(|v| T::TWO * v * v * v - c::<T>(16.0) * v + c::<T>(2.5));
        deliver_gradient(x, out, g)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let mut out = [[T::ZERO; N]; N];
        for (i, (row, &v)) in out.iter_mut().zip(x).enumerate() {
            if let Some(d) = row.get_mut(i) {
                *d = c::<T>(6.0) * v * v - c::<T>(16.0);
            }
        }
        deliver_hessian(x, out, h)
    }
}
