//! Test landscapes with known minima, saddles and analytic gradients.
//!
//! Each is an [`Objective`](crate::Objective) for any `T: Real` with an analytic gradient, and
//! lists its critical points as `f64` constants (to the digits given by the cited sources or
//! by the Newton refinement in `tests/reference/critical_points.py`).

mod himmelblau;
mod rosenbrock;

pub use himmelblau::Himmelblau;
pub use rosenbrock::Rosenbrock;
