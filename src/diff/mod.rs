//! Finite-difference derivatives from function values alone.
//!
//! Each method is a slice kernel (the point is perturbed in place and restored bit-exactly) with
//! a typed `[T; N]` wrapper that also guarantees the output is untouched on error. Every routine
//! reports the number of function evaluations it used.
//!
//! Errors: [`Error::NonFiniteLoss`](crate::Error::NonFiniteLoss) when `f` returned NaN/±∞,
//! [`Error::NonFiniteGradient`](crate::Error::NonFiniteGradient) when every value was finite but
//! a derivative computed from them overflows; an `Ok` result is always finite. A slice kernel
//! works in its output, so after such an error the output is not untouched; each kernel states
//! what it holds (the gradients: the finished components before the failing coordinate, the rest
//! unchanged; the Hessians: finite intermediate values to discard), never a NaN/±∞.
//!
//! Step sizes follow Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (and Numerical
//! Recipes, 3rd ed., §5.7): the truncation error of a central difference is `O(h²)` and its
//! rounding error `O(ε/h)`, balanced at `h ∝ ε^{1/3}·max(|xᵢ|, 1)`; for a forward difference at
//! `h = ε^{1/2}·max(|xᵢ|, 1)` (every step is derived in [`central_step`]'s module). The step is
//! then made exactly representable (`h ← (x+h) − x`). The adaptive kernels
//! ([`gradient_adaptive`], [`hessian_adaptive`], [`hessian_from_gradient_adaptive`],
//! [`hvp_adaptive`], [`directional_adaptive`]) choose the step from the function itself and
//! return an error bound for every entry.

mod adaptive;
mod directional;
mod gradient;
mod hessian;
mod hessian_grad;
mod model;
pub(crate) mod step;

pub use adaptive::{
    directional_adaptive, directional_adaptive_with, gradient_adaptive, gradient_adaptive_n,
    gradient_adaptive_with, hessian_adaptive, hessian_adaptive_n, hessian_adaptive_with,
    hessian_from_gradient_adaptive, hessian_from_gradient_adaptive_n,
    hessian_from_gradient_adaptive_with, hvp_adaptive, hvp_adaptive_n, hvp_adaptive_with,
    line_work_len, line_work_len_full, Accuracy, DirectionalEstimate, Evals, MAX_MOVES,
};
pub use directional::{directional, directional_n, Directional};
#[cfg(feature = "capi")]
pub(crate) use gradient::GradientKernel;
pub use gradient::{
    central_gradient, central_gradient_n, forward_gradient, forward_gradient_at,
    forward_gradient_n, richardson_gradient, richardson_gradient_n,
};
pub(crate) use hessian::plain_truncation;
pub use hessian::{
    hessian, hessian_n, hessian_richardson, hessian_richardson_n, hessian_step,
    richardson_hessian_step,
};
pub use hessian_grad::{hessian_from_gradient, hessian_from_gradient_n, hvp, hvp_n};
pub use model::{fidelity_ratio, model_value, QuadraticModel};
pub use step::{central_step, forward_step, richardson_step};

use crate::Real;

/// A typed objective `f(&[T; N])` seen through slices (any other length gives NaN, which every
/// kernel reports as [`Error::NonFiniteLoss`](crate::Error::NonFiniteLoss)).
pub(crate) fn sliced<T: Real, F: FnMut(&[T; N]) -> T, const N: usize>(
    f: &mut F,
) -> impl FnMut(&[T]) -> T + '_ {
    move |s: &[T]| match <&[T; N]>::try_from(s) {
        Ok(a) => f(a),
        Err(_) => T::NAN_R,
    }
}
