//! Reparameterization for constrained parameters: optimize an unconstrained `α` and map it to
//! the parameter `θ = T(α)` the inner objective sees, coordinate by coordinate:
//!
//! ```text
//! identity   θ = α                        dθ/dα = 1
//! positive   θ = exp(α)                   dθ/dα = θ                    (θ > 0)
//! bounded    θ = lo + (hi − lo)·σ(α)      dθ/dα = (hi − lo)·σ(α)(1 − σ(α))   (lo < θ < hi)
//! ```
//!
//! with `σ(a) = 1/(1 + e⁻ᵃ)`, evaluated without overflow for either sign of `a`. The gradient
//! of `L(T(α))` is `∂L/∂αⱼ = (∂L/∂θⱼ)·dθⱼ/dαⱼ` (the Jacobian is diagonal). These are the
//! transforms of the Stan Reference Manual, chapter "Constraint transforms", sections "Lower
//! bounded scalar" (with lower bound 0) and "Lower and upper bounded scalar". Optimizing `α`
//! never leaves the constraint set, at the price of flat directions near the bounds (σ' → 0).

use crate::error::{check_finite, check_len, Error};
use crate::{Objective, Real};

/// The map of one coordinate from unconstrained `α` to constrained `θ`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Transform<T> {
    /// `θ = α`.
    Identity,
    /// `θ = exp(α) > 0`.
    Positive,
    /// `θ = lo + (hi − lo)·σ(α) ∈ (lo, hi)`.
    Bounded {
        /// Lower bound (finite).
        lo: T,
        /// Upper bound (finite, > `lo`, with `hi − lo` finite).
        hi: T,
    },
}

/// The logistic function `1/(1 + e⁻ᵃ)` without overflow.
#[inline]
fn sigmoid<T: Real>(a: T) -> T {
    if a >= T::ZERO {
        T::ONE / (T::ONE + (-a).exp())
    } else {
        let e = a.exp();
        e / (T::ONE + e)
    }
}

impl<T: Real> Transform<T> {
    /// [`Error::InvalidParameter`] for bounds that are not finite, not ordered or too far
    /// apart for `hi − lo` to be finite.
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            Transform::Bounded { lo, hi } if !(lo < hi && (hi - lo).is_finite()) => {
                Err(Error::InvalidParameter)
            }
            _ => Ok(()),
        }
    }

    /// `(θ, dθ/dα)` at `α`. No checks.
    #[inline]
    pub fn apply(&self, alpha: T) -> (T, T) {
        match *self {
            Transform::Identity => (alpha, T::ONE),
            Transform::Positive => {
                let t = alpha.exp();
                (t, t)
            }
            Transform::Bounded { lo, hi } => {
                let s = sigmoid(alpha);
                let w = hi - lo;
                // Clamp: lo + w·s can round onto (or, for |lo| ≫ w, past) a bound.
                ((lo + w * s).max(lo).min(hi), w * s * (T::ONE - s))
            }
        }
    }

    /// The `α` with `T(α) = θ`. [`Error::InvalidParameter`] for `θ` outside the open range
    /// (`θ ≤ 0` for [`Positive`](Transform::Positive), `θ ∉ (lo, hi)` for
    /// [`Bounded`](Transform::Bounded)) or invalid bounds; [`Error::NonFiniteInput`] for NaN/Inf.
    pub fn inverse(&self, theta: T) -> Result<T, Error> {
        self.validate()?;
        if !theta.is_finite() {
            return Err(Error::NonFiniteInput);
        }
        match *self {
            Transform::Identity => Ok(theta),
            Transform::Positive if theta > T::ZERO => Ok(theta.ln()),
            Transform::Bounded { lo, hi } if theta > lo && theta < hi => {
                let u = (theta - lo) / (hi - lo);
                Ok((u / (T::ONE - u)).ln())
            }
            _ => Err(Error::InvalidParameter),
        }
    }
}

/// `θⱼ = Tⱼ(αⱼ)` for each coordinate (all three slices the same length).
///
/// Errors (nothing written): [`Error::Empty`], [`Error::LengthMismatch`],
/// [`Error::NonFiniteInput`] for NaN/Inf in `alpha` or a `θ` that overflows (`exp(α)` for
/// `α` ≳ 709 in f64), [`Error::InvalidParameter`] for invalid bounds.
///
/// ```
/// use lossmap::loss::{constrain, Transform};
/// let maps = [Transform::Identity, Transform::Positive, Transform::Bounded { lo: -1.0, hi: 3.0 }];
/// let mut theta = [0.0f64; 3];
/// constrain(&maps, &[5.0, 0.0, 0.0], &mut theta).unwrap();
/// assert_eq!(theta, [5.0, 1.0, 1.0]); // exp 0 = 1; −1 + 4·σ(0) = 1
/// ```
pub fn constrain<T: Real>(
    maps: &[Transform<T>],
    alpha: &[T],
    theta: &mut [T],
) -> Result<(), Error> {
    check(maps, alpha, theta.len())?;
    if maps
        .iter()
        .zip(alpha)
        .any(|(t, &a)| !t.apply(a).0.is_finite())
    {
        return Err(Error::NonFiniteInput);
    }
    for ((t, &a), th) in maps.iter().zip(alpha).zip(theta.iter_mut()) {
        *th = t.apply(a).0;
    }
    Ok(())
}

/// The chain rule in place: `grad[j] ← grad[j]·dθⱼ/dαⱼ` turns `∂L/∂θ` into `∂L/∂α`.
///
/// Errors (nothing written): as [`constrain`], plus [`Error::NonFiniteInput`] for NaN/Inf in
/// `grad`, [`Error::NonFiniteGradient`] if a product overflows.
///
/// ```
/// use lossmap::loss::{chain_rule, Transform};
/// let maps = [Transform::Positive, Transform::Bounded { lo: 0.0, hi: 4.0 }];
/// let mut g = [3.0f64, 1.0];
/// chain_rule(&maps, &[2.0f64.ln(), 0.0], &mut g).unwrap();
/// assert_eq!(g, [6.0, 1.0]); // 3·θ with θ = 2; 1·4·σ(0)(1 − σ(0)) = 1
/// ```
pub fn chain_rule<T: Real>(
    maps: &[Transform<T>],
    alpha: &[T],
    grad: &mut [T],
) -> Result<(), Error> {
    check(maps, alpha, grad.len())?;
    check_finite(grad)?;
    let ok = maps
        .iter()
        .zip(alpha)
        .zip(grad.iter())
        .all(|((t, &a), &g)| (g * t.apply(a).1).is_finite());
    if !ok {
        return Err(Error::NonFiniteGradient);
    }
    for ((t, &a), g) in maps.iter().zip(alpha).zip(grad.iter_mut()) {
        *g *= t.apply(a).1;
    }
    Ok(())
}

fn check<T: Real>(maps: &[Transform<T>], alpha: &[T], out: usize) -> Result<(), Error> {
    check_len(alpha.len(), maps.len())?;
    check_len(out, maps.len())?;
    check_finite(alpha)?;
    maps.iter().try_for_each(|t| t.validate())
}

/// An objective over unconstrained `α`: `L(α) = inner(T(α))`, with the gradient by the chain
/// rule from the inner gradient. The Hessian is the default finite-difference one (of `L(α)`).
///
/// ```
/// use lossmap::loss::{Reparam, Transform};
/// use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
/// use lossmap::Objective;
/// // Minimize (θ − 3)² over θ > 0, starting from θ = 1 (α = 0).
/// let inner = |t: &[f64; 1]| (t[0] - 3.0).powi(2);
/// let mut obj = Reparam::all(inner, Transform::Positive).unwrap();
/// let mut alpha = [0.0];
/// let mut adam = Adam::<f64, 1>::new(AdamConfig { lr: 0.05, ..AdamConfig::default() }).unwrap();
/// minimize(&mut obj, &mut alpha, &mut adam, &Stop { grad_tol: 1e-8, max_iter: 20_000, ..Stop::default() }).unwrap();
/// let theta = obj.constrained(&alpha).unwrap();
/// assert!((theta[0] - 3.0).abs() < 1e-6);
/// assert!((obj.unconstrained(&[3.0]).unwrap()[0] - 3.0f64.ln()).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Reparam<O, T, const N: usize> {
    /// The objective over the constrained parameters `θ`.
    pub inner: O,
    maps: [Transform<T>; N],
}

impl<O, T: Real, const N: usize> Reparam<O, T, N> {
    /// One transform per coordinate; [`Error::InvalidParameter`] for invalid bounds.
    pub fn new(inner: O, maps: [Transform<T>; N]) -> Result<Self, Error> {
        maps.iter().try_for_each(|t| t.validate())?;
        Ok(Reparam { inner, maps })
    }

    /// The same transform on every coordinate.
    pub fn all(inner: O, map: Transform<T>) -> Result<Self, Error> {
        Self::new(inner, [map; N])
    }

    /// The transforms.
    pub fn maps(&self) -> &[Transform<T>; N] {
        &self.maps
    }

    /// `θ = T(α)`; errors as [`constrain`].
    pub fn constrained(&self, alpha: &[T; N]) -> Result<[T; N], Error> {
        let mut theta = [T::ZERO; N];
        constrain(&self.maps, alpha, &mut theta)?;
        Ok(theta)
    }

    /// `α = T⁻¹(θ)`, e.g. for a starting point; errors as [`Transform::inverse`].
    pub fn unconstrained(&self, theta: &[T; N]) -> Result<[T; N], Error> {
        let mut alpha = [T::ZERO; N];
        for ((a, t), &th) in alpha.iter_mut().zip(&self.maps).zip(theta) {
            *a = t.inverse(th)?;
        }
        Ok(alpha)
    }
}

impl<T: Real, const N: usize, O: Objective<T, N>> Objective<T, N> for Reparam<O, T, N> {
    fn value(&mut self, x: &[T; N]) -> T {
        match self.constrained(x) {
            Ok(theta) => self.inner.value(&theta),
            Err(_) => T::NAN_R,
        }
    }

    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let theta = self.constrained(x)?;
        let mut gt = [T::ZERO; N];
        let evals = self.inner.gradient(&theta, &mut gt)?;
        chain_rule(&self.maps, x, &mut gt)?;
        *g = gt;
        Ok(evals)
    }
}
