//! Property testing for optimizers and schedules (feature `testing`, host only: it links `std`
//! and proptest).
//!
//! - Strategies with known answers: random convex quadratics of a chosen
//!   condition number and a Haar-random rotation ([`quadratic`]), starts near the listed
//!   minima, saddles and maxima of [`crate::testfn`] ([`near_critical`]), and noisy
//!   least-squares regressions solved in the strategy ([`least_squares`], also a
//!   [`BatchObjective`](crate::optim::BatchObjective) for the stochastic driver). Each value is
//!   an [`Objective`](crate::Objective) and `Debug`, so proptest prints the shrunk case.
//! - Properties of any [`Optimizer`](crate::optim::Optimizer), each a function returning
//!   `Result<_, `[`PropertyFailure`]`>` that `?` turns into a proptest failure inside
//!   `proptest!`: [`converges`] (to the closed-form minimizer, under the stable settings a
//!   factory picks from the landscape's `L` and `μ`), [`monotone`] (every step, or in
//!   expectation over windows of steps), [`stochastic_descends`] (mini-batch training, in
//!   expectation over seeds), [`step_is_finite_or_refused`] on
//!   [`adversarial_gradients`], [`rotation_invariant`] (SGD, momentum, Nesterov — not the
//!   coordinate-wise adaptive methods).
//! - [`check_optimizer`] / [`check_optimizer_scheduled`]: the standard set under a proptest
//!   `TestRunner`, returning the shrunk failure as a value ([`CheckFailure`]), usable outside
//!   `proptest!`.
//! - [`CStepOptimizer`]: an optimizer whose step is a C callback, to check C code the same way.
//!
//! Property-testing a hand-written gradient descent:
//!
//! ```
//! use lossmap::optim::Optimizer;
//! use lossmap::testing::{check_optimizer, CheckConfig, Landscape, QuadraticLandscape};
//! struct Gd(f64);
//! impl Optimizer<f64> for Gd {
//!     fn step(&mut self, x: &mut [f64], g: &[f64]) -> Result<(), lossmap::Error> {
//!         let new: Vec<f64> = x.iter().zip(g).map(|(x, g)| x - self.0 * g).collect();
//!         if new.iter().any(|v| !v.is_finite()) { return Err(lossmap::Error::NonFiniteInput); }
//!         x.copy_from_slice(&new);
//!         Ok(())
//!     }
//!     fn reset(&mut self) {}
//!     fn lr(&self) -> f64 { self.0 }
//!     fn set_lr(&mut self, lr: f64) -> Result<(), lossmap::Error> { self.0 = lr; Ok(()) }
//! }
//! // The stable rate 1/L; gradient descent is rotation invariant, so check that too.
//! let factory = |q: &QuadraticLandscape<f64, 4>| Gd(1.0 / q.smoothness());
//! let config = CheckConfig { cases: 16, rotation: Some((100, 1e-9)), ..CheckConfig::default() };
//! check_optimizer(factory, &config).unwrap();
//! // A rate of 2.5/L diverges: the shrunk counter-example comes back as a value.
//! let failure = check_optimizer(|q: &QuadraticLandscape<f64, 4>| Gd(2.5 / q.smoothness()), &config).unwrap_err();
//! assert_eq!(failure.property, "converges");
//! ```

mod capi;
mod harness;
mod landscapes;

pub use capi::{CResetFn, CSetLrFn, CStepFn, CStepOptimizer};
pub use harness::{
    adversarial_entry, adversarial_gradients, check_optimizer, check_optimizer_scheduled,
    converges, finite_under, monotone, rotation_invariant, step_is_finite_or_refused,
    step_is_finite_or_refused_exactly, stochastic_descends, CheckConfig, CheckFailure, Convergence,
    Monotone, PropertyFailure, StochasticDescent, Trace,
};
pub use landscapes::{
    critical_points, least_squares, near_critical, quadratic, rotation, CriticalKind,
    CriticalPoint, Curvature, Landscape, LeastSquaresLandscape, LeastSquaresSpec, NearCritical,
    QuadraticLandscape, QuadraticSpec, Spectrum, Zoo,
};
