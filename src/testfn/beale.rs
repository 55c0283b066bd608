//! Beale's function `f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²`
//! (Beale, "On an iterative method for finding a local minimum of a function of more than one
//! variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton University, 1958;
//! Jamil & Yang 2013; Surjanovic & Bingham, *Virtual Library of Simulation Experiments*, "Beale
//! function"). Global minimum 0 at (3, ½), at the bottom of narrow curved valleys; usually
//! searched on `[−4.5, 4.5]²`, where it also has two index-1 saddles (refined by multistart
//! Newton in `tests/reference/landscapes.py`). The one at (0, 1) has a closed form: there every
//! `∂uₖ/∂x = yᵏ − 1` and `∂uₖ/∂y = k x yᵏ⁻¹` vanish, so
//! `∇²f = [[0, 2Σ k uₖ], [2Σ k uₖ, 0]] = [[0, 27.75], [27.75, 0]]`, eigenvalues ±27.75.
//!
//! With `uₖ = cₖ − x + x yᵏ`, `(c₁, c₂, c₃) = (1.5, 2.25, 2.625)`:
//!
//! ```text
//! ∇f = 2 Σₖ uₖ (yᵏ − 1, k x yᵏ⁻¹)
//! ∂²f/∂x² = 2 Σₖ (yᵏ − 1)²
//! ∂²f/∂x∂y = 2 Σₖ [(yᵏ − 1) k x yᵏ⁻¹ + uₖ k yᵏ⁻¹]
//! ∂²f/∂y² = 2 Σₖ [(k x yᵏ⁻¹)² + uₖ k (k − 1) x yᵏ⁻²]
//! ```

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Beale's function.
///
/// ```
/// use lossmap::{testfn::Beale, Objective};
/// assert_eq!(Beale.value(&[3.0f64, 0.5]), 0.0);
/// // (0, 0): 1.5² + 2.25² + 2.625² = 2.25 + 5.0625 + 6.890625.
/// assert_eq!(Beale.value(&[0.0f64, 0.0]), 14.203125);
/// let mut h = [[0.0; 2]; 2];
/// Beale.hessian(&[0.0f64, 1.0], &mut h).unwrap();
/// assert_eq!(h, [[0.0, 27.75], [27.75, 0.0]]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Beale;

impl Beale {
    /// The global minimum (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; 2] = [3.0, 0.5];
    /// The value at the minimum.
    pub const MIN_VALUE: f64 = 0.0;
    /// The two index-1 saddles in `[−4.5, 4.5]²`.
    pub const SADDLES: [[f64; 2]; 2] = [[0.0, 1.0], [0.10053793732415836, -2.644513585023125]];
    /// The values at [`SADDLES`](Self::SADDLES).
    pub const SADDLE_VALUES: [f64; 2] = [14.203125, 9.86451228475556];
    /// `(cₖ, k)` for the three terms.
    const TERMS: [(f64, i32); 3] = [(1.5, 1), (2.25, 2), (2.625, 3)];
}

impl<T: Real> Objective<T, 2> for Beale {
    fn value(&mut self, x: &[T; 2]) -> T {
        let [a, b] = *x;
        Self::TERMS.iter().fold(T::ZERO, |acc, &(ck, k)| {
            let u = c::<T>(ck) - a + a * b.powi(k);
            acc + u * u
        })
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let (mut gx, mut gy) = (T::ZERO, T::ZERO);
        for &(ck, k) in &Self::TERMS {
            let u = c::<T>(ck) - a + a * b.powi(k);
            let kk = c::<T>(f64::from(k));
            gx += T::TWO * u * (b.powi(k) - T::ONE);
            gy += T::TWO * u * kk * a * b.powi(k - 1);
        }
        deliver_gradient(x, [gx, gy], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let [a, b] = *x;
        let (mut hxx, mut hxy, mut hyy) = (T::ZERO, T::ZERO, T::ZERO);
        for &(ck, k) in &Self::TERMS {
            let u = c::<T>(ck) - a + a * b.powi(k);
            let kk = c::<T>(f64::from(k));
            let ux = b.powi(k) - T::ONE;
            let uy = kk * a * b.powi(k - 1);
            let uxy = kk * b.powi(k - 1);
            let uyy = if k >= 2 {
                kk * (kk - T::ONE) * a * b.powi(k - 2)
            } else {
                T::ZERO
            };
            hxx += T::TWO * ux * ux;
            hxy += T::TWO * (ux * uy + u * uxy);
            hyy += T::TWO * (uy * uy + u * uyy);
        }
        deliver_hessian(x, [[hxx, hxy], [hxy, hyy]], h)
    }
}
