//! Finite-difference derivatives from function values alone.
//!
//! Each method is a slice kernel (the point is perturbed in place and restored bit-exactly) with
//! a typed `[T; N]` wrapper that also guarantees the output is untouched on error. Every routine
//! reports the number of function evaluations it used.
//!
//! Step sizes follow Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (and Numerical
//! Recipes, 3rd ed., §5.7): the truncation error of a central difference is `O(h²)` and its
//! rounding error `O(ε/h)`, balanced at `h = ε^{1/3}·max(|xᵢ|, 1)`; for a forward difference at
//! `h = ε^{1/2}·max(|xᵢ|, 1)`. The step is then made exactly representable (`h ← (x+h) − x`).

mod gradient;
mod hessian;
mod step;

pub use gradient::{central_gradient, central_gradient_n};
pub use hessian::{
    hessian, hessian_n, hessian_richardson, hessian_richardson_n, hessian_step,
    richardson_hessian_step,
};
pub use step::{central_step, forward_step};
