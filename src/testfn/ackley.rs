//! Ackley's function with `a = 20`, `b = 0.2`, `c = 2π`:
//!
//! ```text
//! f(x) = −a exp(−b r) − exp((1/N) Σᵢ cos(c xᵢ)) + a + e,     r = √((1/N) Σᵢ xᵢ²)
//! ```
//!
//! (Ackley, *A Connectionist Machine for Genetic Hillclimbing*, Kluwer, 1987, for N = 2; the
//! N-dimensional form from Bäck, *Evolutionary Algorithms in Theory and Practice*, 1996;
//! Surjanovic & Bingham, *Virtual Library of Simulation Experiments*, "Ackley function").
//! Nearly flat (f ≈ a + e − …) far out, riddled with local minima near the integer points, and a
//! funnel down to the global minimum 0 at the origin.
//!
//! Computed as `a (1 − e^{−b r}) + (e − e^{C/N})`, `C = Σ cos(c xᵢ)`, so that `f(0) = 0`
//! exactly. With `φ = a b e^{−b r}`, `v = ∇r = x / (N r)` and `E = e^{C/N}`:
//!
//! ```text
//! ∇f  = φ v + (c/N) E sin(c x)
//! ∇²f = φ [(I/N − v vᵀ)/r − b v vᵀ] + (c²/N) E [diag(cos(c x)) − sin(c x) sin(c x)ᵀ/N]
//! ```
//!
//! **The origin is not a smooth point.** Near 0 the first term is a cone,
//! `a b ‖x‖/√N + O(‖x‖²)`: its gradient has no limit there and its second derivative is
//! infinite. [`gradient`](Objective::gradient) returns the cone's part as 0 at `x = 0`
//! exactly (the minimum-norm subgradient, so `∇f(0) = 0` as for a smooth minimum), and
//! [`hessian`](Objective::hessian) returns [`Error::NonFiniteGradient`] there.

use super::{c, deliver_gradient, deliver_hessian};
use crate::{Error, Objective, Real};

/// Ackley's function in `N` dimensions (`a = 20`, `b = 0.2`, `c = 2π`).
///
/// ```
/// use lossmap::{testfn::Ackley, Objective};
/// assert_eq!(Ackley.value(&[0.0f64; 4]), 0.0);
/// let mut g = [1.0; 4];
/// assert_eq!(Ackley.gradient(&[0.0f64; 4], &mut g), Ok(0));
/// assert_eq!(g, [0.0; 4]);
/// // The origin is the tip of a cone: no Hessian there.
/// let mut h = [[0.0; 4]; 4];
/// assert!(Ackley.hessian(&[0.0f64; 4], &mut h).is_err());
/// // (1, 1): r = 1 and both cosines are 1, so f = 20 (1 − e^{−0.2}).
/// let f = Ackley.value(&[1.0f64, 1.0]);
/// assert!((f - 20.0 * (1.0 - (-0.2f64).exp())).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ackley<const N: usize>;

impl<const N: usize> Ackley<N> {
    /// `a`: depth of the funnel.
    pub const A: f64 = 20.0;
    /// `b`: decay rate of the funnel with the RMS radius.
    pub const B: f64 = 0.2;
    /// `c = 2π`: frequency of the ripples.
    pub const C: f64 = 2.0 * core::f64::consts::PI;
    /// The global minimum, the origin (value [`MIN_VALUE`](Self::MIN_VALUE)).
    pub const MINIMUM: [f64; N] = [0.0; N];
    /// The value at the global minimum.
    pub const MIN_VALUE: f64 = 0.0;
}

/// Shared pieces at `x`: `r = √(Σx²/N)` (computed with scaling, no overflow or underflow),
/// `x / (N r)` (0 when `r = 0`), and `e^{C/N}`.
struct Parts<T: Real, const N: usize> {
    r: T,
    v: [T; N],
    e_cos: T,
}

fn parts<T: Real, const N: usize>(x: &[T; N]) -> Parts<T, N> {
    let n = T::from_usize(N);
    let m = x.iter().fold(T::ZERO, |m, v| m.max(v.abs()));
    let (r, v) = if m > T::ZERO {
        let s = x.iter().fold(T::ZERO, |acc, &xi| {
            let t = xi / m;
            acc + t * t
        });
        let rho = (s / n).sqrt(); // r / m, in [1/√N, 1]
                                  // x / (N r) = (x / m) / (N ρ)
        (m * rho, x.map(|xi| xi / m / (n * rho)))
    } else {
        (T::ZERO, [T::ZERO; N])
    };
    let cc = c::<T>(2.0) * T::PI_R;
    let cos_sum = x.iter().fold(T::ZERO, |acc, &xi| acc + (cc * xi).cos());
    Parts {
        r,
        v,
        e_cos: (cos_sum / n).exp(),
    }
}

impl<T: Real, const N: usize> Objective<T, N> for Ackley<N> {
    fn value(&mut self, x: &[T; N]) -> T {
        if N == 0 {
            return T::ZERO;
        }
        let p = parts(x);
        let (a, b) = (c::<T>(Self::A), c::<T>(Self::B));
        a * (T::ONE - (-b * p.r).exp()) + (T::ONE.exp() - p.e_cos)
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let mut out = [T::ZERO; N];
        if N > 0 {
            let p = parts(x);
            let (a, b, cc) = (c::<T>(Self::A), c::<T>(Self::B), c::<T>(Self::C));
            let phi = a * b * (-b * p.r).exp();
            let k = cc / T::from_usize(N) * p.e_cos;
            for ((o, &xi), &vi) in out.iter_mut().zip(x).zip(&p.v) {
                *o = phi * vi + k * (cc * xi).sin();
            }
        }
        deliver_gradient(x, out, g)
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let mut out = [[T::ZERO; N]; N];
        if N > 0 {
            let p = parts(x);
            if p.r == T::ZERO {
                return Err(if x.iter().all(|v| v.is_finite()) {
                    Error::NonFiniteGradient
                } else {
                    Error::NonFiniteInput
                });
            }
            let n = T::from_usize(N);
            let (a, b, cc) = (c::<T>(Self::A), c::<T>(Self::B), c::<T>(Self::C));
            let phi = a * b * (-b * p.r).exp();
            let k2 = cc * cc / n * p.e_cos;
            let sin = x.map(|xi| (cc * xi).sin());
            for (i, (row, (&xi, (&vi, &si)))) in out
                .iter_mut()
                .zip(x.iter().zip(p.v.iter().zip(&sin)))
                .enumerate()
            {
                for (j, (e, (&vj, &sj))) in row.iter_mut().zip(p.v.iter().zip(&sin)).enumerate() {
                    let diag = if i == j { T::ONE } else { T::ZERO };
                    // Products formed once so that the matrix is exactly symmetric.
                    let (vv, ss) = (vi * vj, si * sj);
                    let cone = phi * ((diag / n - vv) / p.r - b * vv);
                    let ripple = k2 * (diag * (cc * xi).cos() - ss / n);
                    *e = cone + ripple;
                }
            }
        }
        deliver_hessian(x, out, h)
    }
}
