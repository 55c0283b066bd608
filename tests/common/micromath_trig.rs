//! micromath's sine and cosine (what `Real::sin`/`Real::cos` use for `f32` under the `micromath`
//! feature) as functions of a real variable, and the error bounds the tests derive from them.
//!
//! micromath computes `cos x` as the parabolic approximation `Q(r)` of `−sin 2πr` on the reduced
//! argument `r = x/2π − ¼ − ⌊x/2π + ¼⌋ ∈ [−½, ½)`:
//!
//! ```text
//! y = 16 r (|r| − ½),   Q = y + 0.225 y (|y| − 1),   sin x = cos(x − π/2)
//! ```
//!
//! `Q` is C¹ but only piecewise C²: at the zeros of cosine (`r = 0`, `y = 0`) its second
//! derivative jumps between ±4, where `−sin 2πr` has none. In `x`, the three errors of the
//! approximation against the true function are therefore:
//!
//! - value: `max |Q + sin 2πr| = 1.0903e-3` (the 0.001 the method's author states), by dense
//!   evaluation of the formula in f64 (`tests/math_accuracy.rs` recomputes it);
//! - slope: at a zero, `Q′ = −8·(1 − 0.225)`, so `|Q′/2π| = 3.1/π` for a true slope of 1: an error
//!   of `1 − 3.1/π = 1.32e-2`, the largest anywhere;
//! - curvature: at a zero, `|Q″/(2π)²| = 4/4π² = 1/π² = 0.101` for a true curvature of 0.
//!
//! The f32 evaluation adds rounding: the reduced argument carries `≤ u(0.48|x| + 0.75)` (u = ε/2:
//! the product by `1/2π` and its constant, `+ ¼`, the subtraction), times `|Q′| ≤ 6.2`; the
//! polynomial adds `≤ 8u`; `sin` adds the rounding of `x − π/2`. Together at most
//! `ε(2|x| + 11)` (`ROUNDING`), which `tests/math_accuracy.rs` checks against micromath itself.
#![allow(dead_code)]

use std::f64::consts::PI;

/// f32 machine epsilon, 2⁻²³.
pub const EPS32: f64 = f32::EPSILON as f64;

/// Upper bound on `max |Q(r) + sin 2πr|` (1.0903e-3, see the module docs).
pub const APPROX_VALUE: f64 = 1.091e-3;
/// The largest slope error, `1 − 3.1/π`, at the zeros.
pub const APPROX_SLOPE: f64 = 1.0 - 3.1 / PI;
/// The largest curvature error, `1/π²`, at the zeros (one-sided limits).
pub const APPROX_CURVATURE: f64 = 1.0 / (PI * PI);

/// Bound on the rounding of micromath's f32 sine or cosine at `|x| ≤ x_max`, on top of the
/// approximation error.
pub fn rounding(x_max: f64) -> f64 {
    EPS32 * (2.0 * x_max + 11.0)
}

/// Bound on `|sin_micromath(x) − sin x|` and `|cos_micromath(x) − cos x|` for `|x| ≤ x_max`.
pub fn value_error(x_max: f64) -> f64 {
    APPROX_VALUE + rounding(x_max)
}

/// `(Q, dQ/dx, d²Q/dx²)` at `x`: micromath's cosine as a real function and its derivatives
/// (at a kink, the limit from the right).
pub fn cos_model(x: f64) -> [f64; 3] {
    let t = x / (2.0 * PI);
    let r = t - 0.25 - (t + 0.25).floor();
    let sr = if r < 0.0 { -1.0 } else { 1.0 };
    let y = 16.0 * r * (r.abs() - 0.5);
    // Just right of r = 0, y < 0; just right of r = −½, y > 0.
    let sy = if y < 0.0 || (y == 0.0 && r == 0.0) {
        -1.0
    } else {
        1.0
    };
    let dy = 16.0 * (2.0 * r.abs() - 0.5);
    let d2y = 32.0 * sr;
    let q = y + 0.225 * y * (y.abs() - 1.0);
    let dq = dy * (1.0 + 0.225 * (2.0 * y.abs() - 1.0));
    let d2q = d2y * (1.0 + 0.225 * (2.0 * y.abs() - 1.0)) + 0.45 * sy * dy * dy;
    let k = 1.0 / (2.0 * PI);
    [q, dq * k, d2q * k * k]
}

/// micromath's sine as a real function and its derivatives: `cos_model(x − π/2)`.
pub fn sin_model(x: f64) -> [f64; 3] {
    cos_model(x - PI / 2.0)
}
