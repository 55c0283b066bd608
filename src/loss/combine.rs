//! Sums of objectives: `L(θ) = c_a·A(θ) + c_b·B(θ)`, with gradient `c_a∇A + c_b∇B` and
//! Hessian `c_a∇²A + c_b∇²B`. More terms by nesting (`WeightedSum` is itself an
//! [`Objective`]; [`WeightedSum::plus`] nests one more), e.g. data loss + L2 + smoothness.

use crate::error::Error;
use crate::{Objective, Real};

/// `c_a·A + c_b·B` for two objectives over the same parameters.
///
/// ```
/// use lossmap::loss::{Linear, LinearFit, Regression, Regularizer, WeightedSum};
/// use lossmap::Objective;
/// let (x, y) = ([0.0f64, 1.0], [1.0, 3.0]);
/// let fit = LinearFit::<f64, 2>::new(Linear::new(1).unwrap(), Regression::Mse, &x, &y).unwrap();
/// let l2 = Regularizer::l2(0.5).unwrap().skip_bias(2);
/// let mut obj = WeightedSum::new(1.0, fit, 1.0, l2).unwrap();
/// // At θ = (2, 1) the fit is exact; only the penalty ½·0.5·2² = 1 remains.
/// assert_eq!(obj.value(&[2.0, 1.0]), 1.0);
/// let mut g = [0.0; 2];
/// obj.gradient(&[2.0, 1.0], &mut g).unwrap();
/// assert_eq!(g, [1.0, 0.0]); // λw for the weight, nothing for the bias
/// // A third term by nesting:
/// let mut three = obj.plus(2.0, |t: &[f64; 2]| t[1]).unwrap();
/// assert_eq!(three.value(&[2.0, 1.0]), 3.0);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct WeightedSum<A, B, T> {
    /// The first objective.
    pub a: A,
    /// The second objective.
    pub b: B,
    ca: T,
    cb: T,
}

impl<A, B, T: Real> WeightedSum<A, B, T> {
    /// `ca·a + cb·b`; [`Error::InvalidParameter`] unless both coefficients are finite (any
    /// sign: a negative coefficient is allowed, though it can make the sum unbounded below).
    pub fn new(ca: T, a: A, cb: T, b: B) -> Result<Self, Error> {
        if ca.is_finite() && cb.is_finite() {
            Ok(WeightedSum { a, b, ca, cb })
        } else {
            Err(Error::InvalidParameter)
        }
    }

    /// `self + c·other`, nesting one more term.
    pub fn plus<C>(self, c: T, other: C) -> Result<WeightedSum<Self, C, T>, Error> {
        WeightedSum::new(T::ONE, self, c, other)
    }

    /// The coefficients `(c_a, c_b)`.
    pub fn coefficients(&self) -> (T, T) {
        (self.ca, self.cb)
    }
}

impl<T: Real, const N: usize, A: Objective<T, N>, B: Objective<T, N>> Objective<T, N>
    for WeightedSum<A, B, T>
{
    fn value(&mut self, x: &[T; N]) -> T {
        self.ca * self.a.value(x) + self.cb * self.b.value(x)
    }

    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let (mut ga, mut gb) = ([T::ZERO; N], [T::ZERO; N]);
        let ea = self.a.gradient(x, &mut ga)?;
        let eb = self.b.gradient(x, &mut gb)?;
        let mut out = [T::ZERO; N];
        for ((o, &u), &v) in out.iter_mut().zip(&ga).zip(&gb) {
            *o = self.ca * u + self.cb * v;
        }
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        *g = out;
        Ok(ea.saturating_add(eb))
    }

    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let (mut ha, mut hb) = ([[T::ZERO; N]; N], [[T::ZERO; N]; N]);
        let ea = self.a.hessian(x, &mut ha)?;
        let eb = self.b.hessian(x, &mut hb)?;
        let mut out = [[T::ZERO; N]; N];
        let cells = out
            .iter_mut()
            .flatten()
            .zip(ha.iter().flatten().zip(hb.iter().flatten()));
        for (o, (&u, &v)) in cells {
            *o = self.ca * u + self.cb * v;
        }
        if out.iter().flatten().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteGradient);
        }
        *h = out;
        Ok(ea.saturating_add(eb))
    }
}
