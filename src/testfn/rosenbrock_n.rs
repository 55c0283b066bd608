//! The chained (extended) Rosenbrock function in `N` dimensions,
//! `f(x) = Σᵢ₌₁ᴺ⁻¹ [100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²]` (Jamil & Yang, "A literature survey of
//! benchmark functions for global optimization problems", 2013; Surjanovic & Bingham, *Virtual
//! Library of Simulation Experiments*, "Rosenbrock function"). Global minimum 0 at
//! `(1, …, 1)`. For `N = 3` it is the only minimum; for `4 ≤ N ≤ 7` there is exactly one more,
//! a local minimum near `(−1, 1, …, 1)` (Shang & Qiu, "A note on the extended Rosenbrock
//! function", *Evolutionary Computation* 14, 2006; Kok & Sandrock, "Locating and characterizing
//! the stationary points of the extended Rosenbrock function", *Evolutionary Computation* 17,
//! 2009, who find it numerically up to N = 100). The four listed here were refined by Newton's
//! method from `(−1, 1, …, 1)` in `tests/reference/landscapes.py`.
//!
//! With `vᵢ = xᵢ₊₁ − xᵢ²` the gradient and the (tridiagonal) Hessian are
//!
//! ```text
//! ∂f/∂xᵢ = −400 xᵢ vᵢ − 2(1 − xᵢ)  [i < N]   + 200 vᵢ₋₁  [i > 1]
//! ∂²f/∂xᵢ² = 1200 xᵢ² − 400 xᵢ₊₁ + 2  [i < N]   + 200  [i > 1]
//! ∂²f/∂xᵢ∂xᵢ₊₁ = −400 xᵢ
//! ```
//!
//! For `N = 2` this is [`Rosenbrock`](super::Rosenbrock); for `N = 1` the sum is empty (`f = 0`).

use super::{add_at, add_to, c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// The chained Rosenbrock function in `N` dimensions.
///
/// ```
/// use lossmap::{testfn::RosenbrockN, Objective};
/// assert_eq!(RosenbrockN.value(&[1.0f64; 5]), 0.0);
/// // At 0 each of the three links costs (1 − 0)² = 1.
/// assert_eq!(RosenbrockN.value(&[0.0f64; 4]), 3.0);
/// let (x, f) = RosenbrockN::<4>::local_minimum().unwrap();
/// let mut g = [0.0; 4];
/// RosenbrockN.gradient(&x, &mut g).unwrap();
/// assert!(g.iter().all(|v| v.abs() < 1e-10));
/// assert!((RosenbrockN.value(&x) - f).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RosenbrockN<const N: usize>;

impl<const N: usize> RosenbrockN<N> {
    /// The global minimum `(1, …, 1)` (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; N] = [1.0; N];
    /// The value at the global minimum.
    pub const MIN_VALUE: f64 = 0.0;
    /// The local minimum for `N = 4`.
    pub const LOCAL_MINIMUM_4: [f64; 4] = [
        -0.7756592265653526,
        0.6130933654850435,
        0.38206284633839316,
        0.1459720185521946,
    ];
    /// The value at [`LOCAL_MINIMUM_4`](Self::LOCAL_MINIMUM_4).
    pub const LOCAL_MIN_VALUE_4: f64 = 3.701428610430017;
    /// The local minimum for `N = 5`.
    pub const LOCAL_MINIMUM_5: [f64; 5] = [
        -0.9620510206947501,
        0.93573939597671,
        0.8807136041943205,
        0.7778776758544064,
        0.6050936785926528,
    ];
    /// The value at [`LOCAL_MINIMUM_5`](Self::LOCAL_MINIMUM_5).
    pub const LOCAL_MIN_VALUE_5: f64 = 3.930839434133028;
    /// The local minimum for `N = 6`.
    pub const LOCAL_MINIMUM_6: [f64; 6] = [
        -0.9865749795709937,
        0.9833982288361818,
        0.9721066700530919,
        0.947437436826436,
        0.8986511848517297,
        0.8075739520354176,
    ];
    /// The value at [`LOCAL_MINIMUM_6`](Self::LOCAL_MINIMUM_6).
    pub const LOCAL_MIN_VALUE_6: f64 = 3.973940500930295;
    /// The local minimum for `N = 7`.
    pub const LOCAL_MINIMUM_7: [f64; 7] = [
        -0.9917225725614055,
        0.9935553935033713,
        0.9921733215946921,
        0.986898762690314,
        0.975164756608873,
        0.9514319827049926,
        0.9052228177139535,
    ];
    /// The value at [`LOCAL_MINIMUM_7`](Self::LOCAL_MINIMUM_7).
    pub const LOCAL_MIN_VALUE_7: f64 = 3.983600536424854;

    /// The local (non-global) minimum near `(−1, 1, …, 1)` and its value, for `4 ≤ N ≤ 7`
    /// (`None` otherwise: there is none for `N ≤ 3`, and for `N ≥ 8` it is not listed here).
    pub fn local_minimum() -> Option<([f64; N], f64)> {
        let (src, value): (&[f64], f64) = match N {
            4 => (&Self::LOCAL_MINIMUM_4, Self::LOCAL_MIN_VALUE_4),
            5 => (&Self::LOCAL_MINIMUM_5, Self::LOCAL_MIN_VALUE_5),
            6 => (&Self::LOCAL_MINIMUM_6, Self::LOCAL_MIN_VALUE_6),
            7 => (&Self::LOCAL_MINIMUM_7, Self::LOCAL_MIN_VALUE_7),
            _ => return None,
        };
        let mut x = [0.0; N];
        x.iter_mut().zip(src).for_each(|(o, &v)| *o = v);
        Some((x, value))
    }
}

impl<T: Real, const N: usize> Objective<T, N> for RosenbrockN<N> {
    fn value(&mut self, x: &[T; N]) -> T {
        let k = c::<T>(100.0);
        x.windows(2).fold(T::ZERO, |acc, w| match *w {
            [a, b] => {
                let (u, v) = (T::ONE - a, b - a * a);
                acc + k * v * v + u * u
            }
            _ => acc,
        })
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let mut out = [T::ZERO; N];
        for (i, w) in x.windows(2).enumerate() {
            if let [a, b] = *w {
                let v = b - a * a;
                add_to(&mut out, i, -c::<T>(400.0) * a * v - T::TWO * (T::ONE - a));
                add_to(&mut out, i + 1, c::<T>(200.0) * v);
            }
        }
        deliver_gradient(x, out, g)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let mut out = [[T::ZERO; N]; N];
        for (i, w) in x.windows(2).enumerate() {
            if let [a, b] = *w {
                add_at(
                    &mut out,
                    i,
                    i,
                    c::<T>(1200.0) * a * a - c::<T>(400.0) * b + T::TWO,
                );
                add_at(&mut out, i + 1, i + 1, c::<T>(200.0));
                add_at(&mut out, i, i + 1, -c::<T>(400.0) * a);
                add_at(&mut out, i + 1, i, -c::<T>(400.0) * a);
            }
        }
        deliver_hessian(x, out, h)
    }
}
