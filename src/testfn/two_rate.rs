//! A non-identifiable two-rate model (the data pin down only the sum of two rates,
//! e.g. of phosphorylation and dephosphorylation). Parameters `(k₁, k₂)`; the model predicts
//! `y(t) = y₀ exp(−(k₁ + k₂) t)` at fixed sample times `t₁ … t_M`, the data are the same curve
//! for a true sum `S`, and the loss is the mean squared error
//!
//! ```text
//! L(k₁, k₂) = (1/M) Σⱼ (y₀ e^{−s tⱼ} − y₀ e^{−S tⱼ})²,    s = k₁ + k₂
//! ```
//!
//! It depends on `s` only, so with `ℓ(s) = L`:
//!
//! ```text
//! rⱼ = y₀ (e^{−s tⱼ} − e^{−S tⱼ})
//! ∇L = ℓ′(s) (1, 1),             ℓ′(s) = −(2/M) Σⱼ rⱼ tⱼ y₀ e^{−s tⱼ}
//! ∇²L = ℓ″(s) [[1, 1], [1, 1]],  ℓ″(s) = (2/M) Σⱼ [(tⱼ y₀ e^{−s tⱼ})² + rⱼ tⱼ² y₀ e^{−s tⱼ}]
//! ```
//!
//! The minima (value 0) are the whole line `k₁ + k₂ = S`. Everywhere the Hessian has the
//! eigenvalue 0 along `(1, −1)/√2` (the combination the data do not determine) and `2ℓ″(s)`
//! along `(1, 1)/√2`; on the line of minima that is
//! [`curvature_along_sum`](TwoRate::curvature_along_sum) `= (4/M) Σⱼ tⱼ² y₀² e^{−2S tⱼ} > 0`.
//! This is *structural* non-identifiability in the sense of Raue et al., "Structural and
//! practical identifiability analysis of partially observed dynamical models by exploiting
//! the profile likelihood", *Bioinformatics* 25, 2009.

use super::{deliver_gradient, deliver_hessian};
use crate::error::{check_finite, Error};
use crate::{Objective, Real};

/// The two-rate decay model `y₀ e^{−(k₁ + k₂) t}` fitted by MSE to `M` samples generated with a
/// true sum `S`.
///
/// ```
/// use lossmap::{linalg::SymEigen, testfn::TwoRate, Objective};
/// let mut m = TwoRate::<f64>::new(1.3).unwrap(); // t = 0.5, 1, …, 4
/// // Every split of the sum fits the data exactly.
/// assert_eq!(m.value(&[0.4, 0.9]), 0.0);
/// assert_eq!(m.value(&[1.3, 0.0]), 0.0);
/// let mut h = [[0.0; 2]; 2];
/// m.hessian(&[0.4, 0.9], &mut h).unwrap();
/// let e = SymEigen::new(&h).unwrap();
/// assert!(e.values[0].abs() < 1e-15 * e.values[1]);
/// assert!((e.values[1] - m.curvature_along_sum()).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoRate<T: Real, const M: usize = 8> {
    true_sum: T,
    y0: T,
    times: [T; M],
    data: [T; M],
}

impl<T: Real, const M: usize> Default for TwoRate<T, M> {
    /// True sum [`DEFAULT_SUM`](TwoRate::DEFAULT_SUM) = 1.3, `y₀ = 1`, `tⱼ = j/2`
    /// (`j = 1 … M`); as [`new`](TwoRate::new) but infallible (for `M = 0` the loss is NaN).
    fn default() -> Self {
        let true_sum = T::from_f64(Self::DEFAULT_SUM);
        let times = Self::default_times();
        TwoRate {
            true_sum,
            y0: T::ONE,
            times,
            data: times.map(|t| (-true_sum * t).exp()),
        }
    }
}

impl<T: Real, const M: usize> TwoRate<T, M> {
    /// The true sum used by [`Default`].
    pub const DEFAULT_SUM: f64 = 1.3;
    /// The value on the line of minima.
    pub const MIN_VALUE: f64 = 0.0;
    /// The undetermined direction `(1, −1)/√2`: zero curvature everywhere.
    pub const FLAT_DIRECTION: [f64; 2] = [
        core::f64::consts::FRAC_1_SQRT_2,
        -core::f64::consts::FRAC_1_SQRT_2,
    ];
    /// The determined direction `(1, 1)/√2`: the sum.
    pub const SUM_DIRECTION: [f64; 2] = [
        core::f64::consts::FRAC_1_SQRT_2,
        core::f64::consts::FRAC_1_SQRT_2,
    ];

    /// `tⱼ = j/2`, `j = 1 … M`.
    fn default_times() -> [T; M] {
        let mut times = [T::ZERO; M];
        for (j, t) in times.iter_mut().enumerate() {
            *t = T::from_usize(j + 1) * T::HALF;
        }
        times
    }

    /// Data from the true sum `true_sum` with `y₀ = 1` at the built-in times
    /// `tⱼ = j/2`, `j = 1 … M` (0.5, 1, …, 4 for the default `M = 8`).
    /// Errors as [`with_times`](Self::with_times).
    pub fn new(true_sum: T) -> Result<Self, Error> {
        Self::with_times(true_sum, T::ONE, Self::default_times())
    }

    /// Data from the true sum `true_sum` and amplitude `y0` at the given sample `times`.
    ///
    /// Errors: [`Error::Empty`] for `M = 0`; [`Error::NonFiniteInput`] for a NaN/±∞ argument;
    /// [`Error::InvalidParameter`] for `y0 = 0` or all times 0 (the loss would be constant)
    /// or when `y₀ e^{−S t}` overflows.
    pub fn with_times(true_sum: T, y0: T, times: [T; M]) -> Result<Self, Error> {
        if M == 0 {
            return Err(Error::Empty);
        }
        check_finite(&[true_sum, y0])?;
        check_finite(&times)?;
        if y0 == T::ZERO || times.iter().all(|&t| t == T::ZERO) {
            return Err(Error::InvalidParameter);
        }
        let data = times.map(|t| y0 * (-true_sum * t).exp());
        check_finite(&data).map_err(|_| Error::InvalidParameter)?;
        Ok(TwoRate {
            true_sum,
            y0,
            times,
            data,
        })
    }

    /// The true sum `S`: the minima are the line `k₁ + k₂ = S`.
    pub fn true_sum(&self) -> T {
        self.true_sum
    }

    /// The amplitude `y₀`.
    pub fn y0(&self) -> T {
        self.y0
    }

    /// The sample times.
    pub fn times(&self) -> &[T; M] {
        &self.times
    }

    /// The data `y₀ e^{−S tⱼ}`.
    pub fn data(&self) -> &[T; M] {
        &self.data
    }

    /// The point `(k₁, S − k₁)` of the line of minima.
    pub fn minimum(&self, k1: T) -> [T; 2] {
        [k1, self.true_sum - k1]
    }

    /// The non-zero Hessian eigenvalue on the line of minima, `2ℓ″(S) = (4/M) Σ tⱼ² y₀²
    /// e^{−2S tⱼ}`, along [`SUM_DIRECTION`](Self::SUM_DIRECTION) (NaN for `M = 0`).
    pub fn curvature_along_sum(&self) -> T {
        let sum = self
            .times
            .iter()
            .zip(&self.data)
            .fold(T::ZERO, |acc, (&t, &d)| {
                let v = t * d; // t y₀ e^{−S t}
                acc + v * v
            });
        T::from_f64(4.0) * sum / T::from_usize(M)
    }

    /// `(ℓ(s), ℓ′(s), ℓ″(s))` at `s = k₁ + k₂`.
    fn derivatives(&self, x: &[T; 2]) -> (T, T, T) {
        let [k1, k2] = *x;
        let s = k1 + k2;
        let (mut l0, mut l1, mut l2) = (T::ZERO, T::ZERO, T::ZERO);
        for (&t, &d) in self.times.iter().zip(&self.data) {
            let y = self.y0 * (-s * t).exp();
            let r = y - d;
            let ty = t * y; // −∂y/∂s
            l0 += r * r;
            l1 -= r * ty;
            l2 += ty * ty + r * t * ty;
        }
        let m = T::from_usize(M);
        (l0 / m, T::TWO * l1 / m, T::TWO * l2 / m)
    }
}

impl<T: Real, const M: usize> Objective<T, 2> for TwoRate<T, M> {
    fn value(&mut self, x: &[T; 2]) -> T {
        self.derivatives(x).0
    }
    fn gradient(&mut self, x: &[T; 2], g: &mut [T; 2]) -> Result<usize, Error> {
        let (_, d1, _) = self.derivatives(x);
        deliver_gradient(x, [d1, d1], g)
    }
    fn hessian(&mut self, x: &[T; 2], h: &mut [[T; 2]; 2]) -> Result<usize, Error> {
        let (_, _, d2) = self.derivatives(x);
        deliver_hessian(x, [[d2, d2], [d2, d2]], h)
    }
}
