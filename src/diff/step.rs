//! Step sizes for finite differences, from the precision of `T` and the scale of `x`.

use crate::Real;

/// Central-difference step for coordinate value `x`: `½·ε^{1/3}·max(|x|, 1)`, rounded so that
/// `x + h` is exactly `h` away from `x` in floating point. `ε^{1/3}` balances truncation
/// (`h²/6·|f'''|`) against rounding (`ε|f|/h`) when `|f'''| ≈ |f|`; the factor ½ favours
/// functions whose third derivatives exceed their values (measured: Beale at its minimum).
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

/// Forward-difference step for coordinate value `x`: `ε^{1/2}·max(|x|, 1)`, made representable.
///
/// ```
/// let h = lossmap::diff::forward_step(100.0f64);
/// assert!(h > 1.4e-6 && h < 1.6e-6); // √ε · 100 ≈ 1.49e-6
/// ```
#[inline]
pub fn forward_step<T: Real>(x: T) -> T {
    representable(x, T::EPSILON_R.sqrt() * x.abs().max(T::ONE))
}

/// Richardson-gradient step (the larger of its two): `ε^{1/5}·max(|x|, 1)`, made
/// representable (the `O(h⁴)` rounding optimum, halved once more for functions with large
/// fifth derivatives such as Beale's).
#[inline]
pub fn richardson_step<T: Real>(x: T) -> T {
    representable(x, T::EPSILON_R.powf(T::from_f64(0.2)) * x.abs().max(T::ONE))
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
