//! Exact gradients of the hard finite-difference functions of `functions.rs`, written by hand;
//! `tests/fd_hard_grad.rs` cross-checks them against sympy's (`tests/reference/fd_hard.txt`).

use lossmap::Real;

/// `name`'s gradient at `x` into `g` (NaN for an unknown name or a point outside the domain).
pub fn gradient<T: Real>(name: &str, x: &[T], g: &mut [T]) {
    let c = |v: f64| T::from_f64(v);
    let at = |i: usize| x.get(i).copied().unwrap_or(T::NAN_R);
    let (x0, x1, x2, x3) = (at(0), at(1), at(2), at(3));
    let cube = |v: T| v * v * v;
    let v: [T; 4] = match name {
        "expsum" => {
            let e01 = (x0 + x1).exp();
            [
                c(3.0) * (c(3.0) * x0).exp() - c(2.0) * (c(-2.0) * x0).exp() + e01,
                c(2.0) * (c(2.0) * x1).exp() - (-x1).exp() + e01,
                T::ZERO,
                T::ZERO,
            ]
        }
        "poly9" => [
            c(27.0) * x0.powi(8) - c(200.0) * x0.powi(4) * x1 * x1 + c(1400.0) * x0 - c(90.0) * x1,
            c(-80.0) * x0.powi(5) * x1 + c(1000.0) * cube(x1) - c(90.0) * x0 + c(30.0) * x1.powi(5),
            T::ZERO,
            T::ZERO,
        ],
        "exptrig" => {
            let (e0, s5, c5) = (x0.exp(), (c(5.0) * x1).sin(), (c(5.0) * x1).cos());
            let (s3, c3, eh) = (
                (c(3.0) * x0 * x1).sin(),
                (c(3.0) * x0 * x1).cos(),
                (-x1 / c(2.0)).exp(),
            );
            [
                e0 * s5 - c(3.0) * x1 * s3 * eh,
                c(5.0) * e0 * c5 - c(3.0) * x0 * s3 * eh - c(0.5) * c3 * eh,
                T::ZERO,
                T::ZERO,
            ]
        }
        "scaledquartic" => {
            let (a, b) = (c(1e3) * x0, x1 / c(1e3));
            [
                c(1e3) * (c(2.0) * a + c(4.0) * cube(a) + b),
                (c(2.0) * b + c(4.0) * cube(b) + a) / c(1e3),
                T::ZERO,
                T::ZERO,
            ]
        }
        "rosenbrock" => [
            c(-400.0) * x0 * (x1 - x0 * x0) - c(2.0) * (T::ONE - x0),
            c(200.0) * (x1 - x0 * x0),
            T::ZERO,
            T::ZERO,
        ],
        "beale" => {
            let t1 = c(1.5) - x0 + x0 * x1;
            let t2 = c(2.25) - x0 + x0 * x1 * x1;
            let t3 = c(2.625) - x0 + x0 * cube(x1);
            [
                c(2.0) * (t1 * (x1 - T::ONE) + t2 * (x1 * x1 - T::ONE) + t3 * (cube(x1) - T::ONE)),
                c(2.0) * x0 * (t1 + c(2.0) * t2 * x1 + c(3.0) * t3 * x1 * x1),
                T::ZERO,
                T::ZERO,
            ]
        }
        "powell" => {
            let (a, b, d, e) = (x0 + c(10.0) * x1, x2 - x3, x1 - c(2.0) * x2, x0 - x3);
            [
                c(2.0) * a + c(40.0) * cube(e),
                c(20.0) * a + c(4.0) * cube(d),
                c(10.0) * b - c(8.0) * cube(d),
                c(-10.0) * b - c(40.0) * cube(e),
            ]
        }
        "wood" => [
            c(-400.0) * x0 * (x1 - x0 * x0) - c(2.0) * (T::ONE - x0),
            c(200.0) * (x1 - x0 * x0) + c(20.2) * (x1 - T::ONE) + c(19.8) * (x3 - T::ONE),
            c(-360.0) * x2 * (x3 - x2 * x2) - c(2.0) * (T::ONE - x2),
            c(180.0) * (x3 - x2 * x2) + c(20.2) * (x3 - T::ONE) + c(19.8) * (x1 - T::ONE),
        ],
        "logbarrier" => {
            let s = T::ONE - x0 - x1;
            if x0 > T::ZERO && x1 > T::ZERO && s > T::ZERO {
                [
                    -T::ONE / x0 + T::ONE / s + c(3.0),
                    -T::ONE / x1 + T::ONE / s - T::ONE,
                    T::ZERO,
                    T::ZERO,
                ]
            } else {
                [T::NAN_R; 4]
            }
        }
        "monkey" => [
            c(3.0) * x0 * x0 - c(3.0) * x1 * x1 + c(2.0) * x0,
            c(-6.0) * x0 * x1 - c(2.0) * x1,
            T::ZERO,
            T::ZERO,
        ],
        "goldsteinprice" => {
            let u = x0 + x1 + T::ONE;
            let p = c(19.0) - c(14.0) * x0 + c(3.0) * x0 * x0 - c(14.0) * x1
                + c(6.0) * x0 * x1
                + c(3.0) * x1 * x1;
            let dp = c(-14.0) + c(6.0) * x0 + c(6.0) * x1;
            let w = c(2.0) * x0 - c(3.0) * x1;
            let q = c(18.0) - c(32.0) * x0 + c(12.0) * x0 * x0 + c(48.0) * x1 - c(36.0) * x0 * x1
                + c(27.0) * x1 * x1;
            let (q0, q1) = (
                c(-32.0) + c(24.0) * x0 - c(36.0) * x1,
                c(48.0) - c(36.0) * x0 + c(54.0) * x1,
            );
            let a = T::ONE + u * u * p;
            let b = c(30.0) + w * w * q;
            let da = c(2.0) * u * p + u * u * dp;
            let (db0, db1) = (c(4.0) * w * q + w * w * q0, c(-6.0) * w * q + w * w * q1);
            [da * b + a * db0, da * b + a * db1, T::ZERO, T::ZERO]
        }
        "brown" => {
            let r = x0 * x1 - c(2.0);
            [
                c(2.0) * (x0 - c(1e6)) + c(2.0) * r * x1,
                c(2.0) * (x1 - c(2e-6)) + c(2.0) * r * x0,
                T::ZERO,
                T::ZERO,
            ]
        }
        "sincos10" => [
            c(10.0) * (c(10.0) * x0).cos() * (c(10.0) * x1).cos() + x0 / c(5.0),
            c(-10.0) * (c(10.0) * x0).sin() * (c(10.0) * x1).sin() + x1 / c(5.0),
            T::ZERO,
            T::ZERO,
        ],
        "freudenstein" => {
            let r1 = c(-13.0) + x0 + ((c(5.0) - x1) * x1 - c(2.0)) * x1;
            let r2 = c(-29.0) + x0 + ((x1 + T::ONE) * x1 - c(14.0)) * x1;
            [
                c(2.0) * (r1 + r2),
                c(2.0) * r1 * (c(10.0) * x1 - c(3.0) * x1 * x1 - c(2.0))
                    + c(2.0) * r2 * (c(3.0) * x1 * x1 + c(2.0) * x1 - c(14.0)),
                T::ZERO,
                T::ZERO,
            ]
        }
        _ => [T::NAN_R; 4],
    };
    for (o, &w) in g.iter_mut().zip(&v) {
        *o = w;
    }
}
