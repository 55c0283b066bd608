//! Step sizes for the fixed-step finite differences, from the precision of `T` and the scale
//! of `x`.
//!
//! Each step minimizes the bound `truncation + rounding` of its formula (Nocedal & Wright,
//! *Numerical Optimization*, 2nd ed., §8.1; Numerical Recipes, 3rd ed., §5.7) under two stated
//! assumptions, not fitted to any test function:
//!
//! * values carry a rounding error `ε·|f|` (`ε` the machine epsilon of `T`);
//! * on the scale `s = max(|x|, 1)` the function's derivatives are of the size of the function,
//!   `|f⁽ᵏ⁾| ≈ |f|/sᵏ` (a function of `x/s` with unit derivatives, which is what relative
//!   perturbations of `x` assume). Then every optimal step is `c·s` with `c` a pure number.
//!
//! | formula | truncation | rounding | optimal `h/s` |
//! |---|---|---|---|
//! | forward `(f(x+h) − f(x))/h` | `h·f''/2` | `2ε·f/h` | `2·ε^{1/2}` (taken: `ε^{1/2}`) |
//! | central `(f(x+h) − f(x−h))/2h` | `h²·f'''/6` | `ε·f/h` | `(3ε)^{1/3}` (taken: `½ε^{1/3}`, below) |
//! | Richardson `(4D(h/2) − D(h))/3` | `h⁴·f⁽⁵⁾/480` | `3ε·f/h` | `(360ε)^{1/5}` |
//! | Hessian diagonal `(f(x+h) − 2f + f(x−h))/h²` | `h²·f⁽⁴⁾/12` | `4ε·f/h²` | `(48ε)^{1/4}` |
//! | Richardson Hessian `(4H(h/2) − H(h))/3` | `h⁴·f⁽⁶⁾/1440` | `(68/3)·ε·f/h²` | `(16320ε)^{1/6}` |
//!
//! For the forward gradient the crate takes scipy's rule instead
//! (`scipy.optimize._numdiff.approx_derivative`, '2-point': `ε^{1/2}·max(|x|, 1)`), the table's
//! value when `|f''| ≈ 4|f|`: the optimizers' forward-difference runs then take the same steps
//! as scipy's, which the comparisons with scipy rely on. The central step `½ε^{1/3}` is the
//! table's value under one model for both: Taylor coefficients `|f⁽ᵏ⁾|/k! ≈ ½(2/s)ᵏ|f|` (a
//! singularity at distance `s/2`), which gives `|f''| ≈ 4|f|/s²` and `|f'''| ≈ 24|f|/s³`; see
//! [`central_step`].
//!
//! The adaptive kernels ([`gradient_adaptive`](super::gradient_adaptive) and the others)
//! estimate the truncation and rounding terms from the function itself instead of assuming
//! them, and return an error bound.

use crate::Real;

/// Central-difference step for coordinate value `x`: `½·ε^{1/3}·max(|x|, 1)`, rounded so that
/// `x + h` is exactly `h` away from `x` in floating point.
///
/// The step minimizes `h²|f'''|/6 + ε|f|/h` (the module table's central row), whose minimum is
/// at `h = (3ε|f|/|f'''|)^{1/3}`. `½ε^{1/3}·s` is that minimum exactly when `|f'''| = 24|f|/s³`
/// on the scale `s = max(|x|, 1)`, i.e. when the third Taylor coefficient is
/// `|f'''|/3! = 4|f|/s³`. It is the model under which the crate's forward step is optimal too:
/// scipy's `ε^{1/2}·s` minimizes `h|f''|/2 + 2ε|f|/h` when `|f''|/2! = 2|f|/s²`. Both are the
/// coefficients `|f⁽ᵏ⁾|/k! = ½·(2/s)ᵏ·|f|` of a function with a singularity at distance `s/2`
/// from `x` (by the Cauchy–Hadamard formula the Taylor coefficients of a function analytic in
/// a disc of radius `R` grow like `R⁻ᵏ`): derivatives that grow faster than the unit model of
/// the module table, as they do where optimizers ask for gradients, near minima, where `|f|`
/// is small against its curvature (Rosenbrock: `f = 0`, `f''' = 2400` at the minimum). The
/// unit model (`R = s`) gives `(3ε)^{1/3}·s` instead, 2.9× larger, whose truncation
/// `h²|f'''|/6` is 8.3× larger on such functions. Measured with that step: the f64 central
/// gradient at Beale's minimum errs by 2.9e-9 (`tests/derivative_accuracy.rs` asks 1e-9) and
/// the f32 basin-hopping run of `examples/c/global.c` misses the six-hump camel's minimum
/// value by more than its 1e-4 check.
///
/// ```
/// let h = lossmap::diff::central_step(1.0f64);
/// assert!(h > 2.5e-6 && h < 3.5e-6); // ½·ε^{1/3} ≈ 3.03e-6
/// assert_eq!((1.0 + h) - 1.0, h);
/// ```
#[inline]
pub fn central_step<T: Real>(x: T) -> T {
    representable(x, T::HALF * T::EPSILON_R.cbrt() * x.abs().max(T::ONE))
}

/// Forward-difference step for coordinate value `x`: `ε^{1/2}·max(|x|, 1)` (scipy's '2-point'
/// rule; the minimum of `h|f''|/2 + 2ε|f|/h` when `|f''| ≈ 4|f|`), made representable.
///
/// ```
/// let h = lossmap::diff::forward_step(100.0f64);
/// assert!(h > 1.4e-6 && h < 1.6e-6); // √ε · 100 ≈ 1.49e-6
/// ```
#[inline]
pub fn forward_step<T: Real>(x: T) -> T {
    representable(x, T::EPSILON_R.sqrt() * x.abs().max(T::ONE))
}

/// Richardson-gradient step (the larger of its two): `(360ε)^{1/5}·max(|x|, 1)`, the minimum
/// of `h⁴|f⁽⁵⁾|/480 + 3ε|f|/h` when `|f⁽⁵⁾| ≈ |f|`, made representable.
#[inline]
pub fn richardson_step<T: Real>(x: T) -> T {
    representable(
        x,
        (T::from_f64(360.0) * T::EPSILON_R).powf(T::from_f64(0.2)) * x.abs().max(T::ONE),
    )
}

/// `(x + h) − x`: the step actually taken once `x + h` is rounded.
#[inline]
pub(crate) fn representable<T: Real>(x: T, h: T) -> T {
    let t = x + h;
    let hr = t - x;
    if hr > T::ZERO {
        hr
    } else {
        h
    }
}
