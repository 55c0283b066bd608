//! Optimizers and the [`minimize`] driver.
//!
//! An optimizer implements [`Optimizer`]: one update `x ← step(x, g)` over slices, so the same
//! state type serves the typed API, the slice kernels and the C ABI. The driver
//! ([`minimize`], [`minimize_slice`]) evaluates the objective, asks the optimizer for steps,
//! applies the stopping rules ([`Stop`]) and guards against divergence: a non-finite loss or
//! gradient rolls the parameters back to the last good point and returns an error.

mod adam;
mod minimize;
mod stop;
mod window;

pub use adam::{adam_step, Adam, AdamConfig, AdamView};
pub use minimize::{minimize, minimize_slice};
pub use stop::{Report, Stop, StopReason, MAX_WINDOW};

use crate::Error;

/// A first-order update rule over slices.
///
/// `step` must either update `x` and its own state and return `Ok`, or return an error having
/// changed neither (bad lengths, NaN/Inf in `x` or `g`, invalid hyperparameters).
pub trait Optimizer<T> {
    /// One update of `x` from the gradient `g` at `x`.
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error>;
    /// Forgets the state (moments, step count), keeping the hyperparameters.
    fn reset(&mut self);
}
