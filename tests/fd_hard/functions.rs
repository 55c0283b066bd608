//! The hard finite-difference functions, written once more (the first time is sympy in
//! `tests/reference/fd_hard.py`); `tests/fd_hard.rs` cross-checks their values.

use lossmap::Real;

/// `name`'s value at `x` (NaN for an unknown name or a point outside the domain).
pub fn value<T: Real>(name: &str, x: &[T]) -> T {
    let c = |v: f64| T::from_f64(v);
    let g = |i: usize| x.get(i).copied().unwrap_or(T::NAN_R);
    let (x0, x1, x2, x3) = (g(0), g(1), g(2), g(3));
    let sq = |v: T| v * v;
    match name {
        "expsum" => {
            (c(3.0) * x0).exp()
                + (c(-2.0) * x0).exp()
                + (c(2.0) * x1).exp()
                + (-x1).exp()
                + (x0 + x1).exp()
        }
        "poly9" => {
            c(3.0) * x0.powi(9) - c(40.0) * x0.powi(5) * x1 * x1
                + c(250.0) * x1.powi(4)
                + c(700.0) * x0 * x0
                - c(90.0) * x0 * x1
                + c(5.0) * x1.powi(6)
        }
        "exptrig" => {
            x0.exp() * (c(5.0) * x1).sin() + (c(3.0) * x0 * x1).cos() * (-x1 / c(2.0)).exp()
        }
        "scaledquartic" => {
            let (a, b) = (c(1e3) * x0, x1 / c(1e3));
            a * a + a.powi(4) + b * b + b.powi(4) + a * b
        }
        "rosenbrock" => c(100.0) * sq(x1 - x0 * x0) + sq(T::ONE - x0),
        "beale" => {
            sq(c(1.5) - x0 + x0 * x1)
                + sq(c(2.25) - x0 + x0 * x1 * x1)
                + sq(c(2.625) - x0 + x0 * x1.powi(3))
        }
        "powell" => {
            sq(x0 + c(10.0) * x1)
                + c(5.0) * sq(x2 - x3)
                + sq(x1 - c(2.0) * x2).powi(2)
                + c(10.0) * sq(x0 - x3).powi(2)
        }
        "wood" => {
            c(100.0) * sq(x1 - x0 * x0)
                + sq(T::ONE - x0)
                + c(90.0) * sq(x3 - x2 * x2)
                + sq(T::ONE - x2)
                + c(10.1) * (sq(x1 - T::ONE) + sq(x3 - T::ONE))
                + c(19.8) * (x1 - T::ONE) * (x3 - T::ONE)
        }
        "logbarrier" => {
            let s = T::ONE - x0 - x1;
            if x0 > T::ZERO && x1 > T::ZERO && s > T::ZERO {
                -x0.ln() - x1.ln() - s.ln() + c(3.0) * x0 - x1
            } else {
                T::NAN_R
            }
        }
        "monkey" => x0.powi(3) - c(3.0) * x0 * x1 * x1 + x0 * x0 - x1 * x1,
        "goldsteinprice" => {
            let a = T::ONE
                + sq(x0 + x1 + T::ONE)
                    * (c(19.0) - c(14.0) * x0 + c(3.0) * x0 * x0 - c(14.0) * x1
                        + c(6.0) * x0 * x1
                        + c(3.0) * x1 * x1);
            let b = c(30.0)
                + sq(c(2.0) * x0 - c(3.0) * x1)
                    * (c(18.0) - c(32.0) * x0 + c(12.0) * x0 * x0 + c(48.0) * x1
                        - c(36.0) * x0 * x1
                        + c(27.0) * x1 * x1);
            a * b
        }
        "brown" => sq(x0 - c(1e6)) + sq(x1 - c(2e-6)) + sq(x0 * x1 - c(2.0)),
        "sincos10" => (c(10.0) * x0).sin() * (c(10.0) * x1).cos() + (x0 * x0 + x1 * x1) / c(10.0),
        "freudenstein" => {
            sq(c(-13.0) + x0 + ((c(5.0) - x1) * x1 - c(2.0)) * x1)
                + sq(c(-29.0) + x0 + ((x1 + T::ONE) * x1 - c(14.0)) * x1)
        }
        _ => T::NAN_R,
    }
}
