//! Rastrigin's function `f(x) = 10N + Σᵢ [xᵢ² − 10 cos(2πxᵢ)]` (Rastrigin, *Systems of Extremal
//! Control*, Nauka, 1974, for N = 2; the N-dimensional form is from Mühlenbein, Schomisch &
//! Born, "The parallel genetic algorithm as function optimizer", *Parallel Computing* 17,
//! 1991; Surjanovic & Bingham, *Virtual Library of Simulation Experiments*, "Rastrigin
//! function"). A bowl `‖x‖²` with a cosine egg-crate of amplitude 10 on top: a local minimum
//! near every integer point, global minimum 0 at the origin.
//!
//! Computed as `Σᵢ [xᵢ² + 20 sin²(πxᵢ)]` (the same function, since `1 − cos 2θ = 2 sin² θ`),
//! which avoids the cancellation of `10N` against the cosines near the minimum.
//!
//! ```text
//! ∂f/∂xᵢ = 2xᵢ + 20π sin(2πxᵢ)       ∂²f/∂xᵢ² = 2 + 40π² cos(2πxᵢ)     (Hessian diagonal)
//! ```
//!
//! The function is separable, so its critical points are the products of those of one
//! coordinate, `2x + 20π sin 2πx = 0`: `x = 0` (minimum), `±0.50255` (maxima), `±0.99496`
//! (minima), … — refined by `tests/reference/landscapes.py`.

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Rastrigin's function with `A = 10` in `N` dimensions.
///
/// ```
/// use lossmap::{testfn::Rastrigin, Objective};
/// assert_eq!(Rastrigin.value(&[0.0f64; 3]), 0.0);
/// // (1, 1): 10·2 + (1 − 10 cos 2π) + (1 − 10 cos 2π) = 20 − 9 − 9 = 2.
/// assert_eq!(Rastrigin.value(&[1.0f64, 1.0]), 2.0);
/// let (x, f) = Rastrigin::<2>::first_local_minimum();
/// assert!((Rastrigin.value(&x) - f).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rastrigin<const N: usize>;

impl<const N: usize> Rastrigin<N> {
    /// The global minimum, the origin (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; N] = [0.0; N];
    /// The value at the global minimum.
    pub const MIN_VALUE: f64 = 0.0;
    /// The positive root of `2x + 20π sin 2πx` next to 1: in one coordinate, the local minimum
    /// nearest the global one.
    pub const LOCAL_MIN_COORDINATE: f64 = 0.9949586376523348;
    /// `x² + 10(1 − cos 2πx)` at [`LOCAL_MIN_COORDINATE`](Self::LOCAL_MIN_COORDINATE).
    pub const LOCAL_MIN_COORDINATE_VALUE: f64 = 0.9949590570932914;
    /// The positive root of `2x + 20π sin 2πx` next to ½: in one coordinate, the maximum
    /// between the two minima.
    pub const MAX_COORDINATE: f64 = 0.5025460365546747;
    /// `x² + 10(1 − cos 2πx)` at [`MAX_COORDINATE`](Self::MAX_COORDINATE).
    pub const MAX_COORDINATE_VALUE: f64 = 20.251272990990113;

    /// A local minimum next to the global one, `(0.99496, 0, …, 0)`, and its value.
    pub fn first_local_minimum() -> ([f64; N], f64) {
        Self::first_coordinate(Self::LOCAL_MIN_COORDINATE, Self::LOCAL_MIN_COORDINATE_VALUE)
    }

    /// The index-1 saddle between the global minimum and
    /// [`first_local_minimum`](Self::first_local_minimum), `(0.50255, 0, …, 0)`, and its value
    /// (for `N = 1`, a maximum).
    pub fn first_saddle() -> ([f64; N], f64) {
        Self::first_coordinate(Self::MAX_COORDINATE, Self::MAX_COORDINATE_VALUE)
    }

    /// `(v, 0, …, 0)` and `value`.
    fn first_coordinate(v: f64, value: f64) -> ([f64; N], f64) {
        let mut x = [0.0; N];
        if let Some(x0) = x.first_mut() {
            *x0 = v;
        }
        (x, value)
    }
}

impl<T: Real, const N: usize> Objective<T, N> for Rastrigin<N> {
    fn value(&mut self, x: &[T; N]) -> T {
        let twenty = c::<T>(20.0);
        x.iter().fold(T::ZERO, |acc, &v| {
            let s = (T::PI_R * v).sin();
            acc + v * v + twenty * s * s
        })
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let k = c::<T>(20.0) * T::PI_R;
        let out = x.map(|v| T::TWO * v + k * (T::TWO * T::PI_R * v).sin());
        deliver_gradient(x, out, g)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let k = c::<T>(40.0) * T::PI_R * T::PI_R;
        let mut out = [[T::ZERO; N]; N];
        for (i, (row, &v)) in out.iter_mut().zip(x).enumerate() {
            if let Some(d) = row.get_mut(i) {
                *d = T::TWO + k * (T::TWO * T::PI_R * v).cos();
            }
        }
        deliver_hessian(x, out, h)
    }
}
