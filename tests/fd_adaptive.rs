//! The adaptive finite differences beyond the hard set (`tests/fd_hard.rs`): Hessians from
//! gradients and Hessian–vector products against closed forms with analytic gradients, the
//! counts in both units, non-finite trial steps, and bad input changing nothing (Rust and C).

use lossmap::capi::*;
use lossmap::diff::{
    directional_adaptive, gradient_adaptive, gradient_adaptive_n, hessian_adaptive,
    hessian_adaptive_n, hessian_from_gradient_adaptive, hessian_from_gradient_adaptive_n,
    hvp_adaptive, hvp_adaptive_n, line_work_len,
};
use lossmap::Error;
use std::ffi::c_void;

/// `f = e^{3a} + a·b³ + sin(5b)`, its gradient and Hessian.
fn f(x: &[f64]) -> f64 {
    (3.0 * x[0]).exp() + x[0] * x[1].powi(3) + (5.0 * x[1]).sin()
}
fn grad(x: &[f64], g: &mut [f64]) {
    g[0] = 3.0 * (3.0 * x[0]).exp() + x[1].powi(3);
    g[1] = 3.0 * x[0] * x[1] * x[1] + 5.0 * (5.0 * x[1]).cos();
}
fn hess(x: &[f64]) -> [f64; 4] {
    let off = 3.0 * x[1] * x[1];
    [
        9.0 * (3.0 * x[0]).exp(),
        off,
        off,
        6.0 * x[0] * x[1] - 25.0 * (5.0 * x[1]).sin(),
    ]
}

const POINTS: [[f64; 2]; 4] = [[0.5, 2.0], [-1.0, 0.3], [0.0, -1.5], [1.2, 0.01]];

#[test]
fn hessian_from_gradients_and_products_are_within_their_bounds() {
    for x in POINTS {
        let h = hess(&x);
        let scale = h.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let calls = std::cell::Cell::new(0usize);
        let mut g = |p: &mut [f64], out: &mut [f64]| {
            calls.set(calls.get() + 1);
            grad(p, out);
            Ok(0)
        };
        let (mut hh, mut he, mut w) = ([0.0; 4], [0.0; 4], [0.0; 20]);
        let ev = hessian_from_gradient_adaptive(&mut g, &x, &mut hh, &mut he, &mut w).unwrap();
        assert_eq!((ev.gradients, ev.values), (calls.get(), 0));
        for k in 0..4 {
            assert!(
                (hh[k] - h[k]).abs() <= he[k],
                "{x:?} {k}: {} vs {} ± {}",
                hh[k],
                h[k],
                he[k]
            );
            assert!((hh[k] - h[k]).abs() <= 1e-9 * scale, "{x:?} {k}");
        }
        let v = [0.6, -0.8];
        let hv = [h[0] * v[0] + h[1] * v[1], h[2] * v[0] + h[3] * v[1]];
        let (mut o, mut oe) = ([0.0; 2], [0.0; 2]);
        let ev = hvp_adaptive(&mut g, &x, &v, &mut o, &mut oe, &mut w).unwrap();
        assert!(ev.gradients >= 6 && ev.values == 0);
        for k in 0..2 {
            assert!(
                (o[k] - hv[k]).abs() <= oe[k] && (o[k] - hv[k]).abs() <= 1e-9 * scale,
                "{x:?} {k}: {} vs {} ± {}",
                o[k],
                hv[k],
                oe[k]
            );
        }
    }
}

#[test]
fn typed_views_count_values_behind_gradients() {
    // A closure objective differentiates its values centrally: 2N values per gradient call.
    let mut obj = |x: &[f64; 2]| f(x);
    let (mut h, mut e) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    let ev = hessian_from_gradient_adaptive_n(&mut obj, &[0.5, 2.0], &mut h, &mut e).unwrap();
    assert_eq!(ev.values, 4 * ev.gradients);
    let (mut o, mut oe) = ([0.0; 2], [0.0; 2]);
    let ev = hvp_adaptive_n(&mut obj, &[0.5, 2.0], &[1.0, 0.0], &mut o, &mut oe).unwrap();
    assert_eq!(ev.values, 4 * ev.gradients);
    // Value-based kernels: the count is what the closure saw.
    let mut seen = 0usize;
    let (mut g, mut ge) = ([0.0; 2], [0.0; 2]);
    let evals = gradient_adaptive_n(
        |x: &[f64; 2]| {
            seen += 1;
            f(x)
        },
        &[0.5, 2.0],
        &mut g,
        &mut ge,
    )
    .unwrap();
    assert_eq!(evals, seen);
}

#[test]
fn a_barrier_shrinks_the_step() {
    // −ln x at x = 1e-3: every step ≥ 1e-3 crosses the barrier; the result is still right.
    let mut barrier = |x: &[f64]| if x[0] > 0.0 { -x[0].ln() } else { f64::NAN };
    let (mut x, mut g, mut e) = ([1e-3], [0.0], [0.0]);
    gradient_adaptive(&mut barrier, &mut x, &mut g, &mut e).unwrap();
    assert!((g[0] + 1e3).abs() <= e[0] && e[0] < 1e-6, "{g:?} ± {e:?}");
    let (mut h, mut he) = ([0.0], [0.0]);
    hessian_adaptive(&mut barrier, &mut x, &mut h, &mut he).unwrap();
    assert!(
        (h[0] - 1e6).abs() <= he[0] && he[0] < 1e-2 * 1e6,
        "{h:?} ± {he:?}"
    );
    // NaN everywhere but at x: no window, an error.
    let mut only_x = |p: &[f64]| if p[0] == 0.5 { 1.0 } else { f64::NAN };
    let (mut x, mut g, mut e) = ([0.5], [7.0], [7.0]);
    assert_eq!(
        gradient_adaptive(&mut only_x, &mut x, &mut g, &mut e),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!((x, g, e), ([0.5], [7.0], [7.0]));
}

#[test]
fn bad_input_changes_nothing() {
    let mut ff = |x: &[f64]| f(x);
    let (mut g, mut e) = ([7.0; 2], [7.0; 2]);
    let mut xn = [f64::NAN, 1.0];
    assert_eq!(
        gradient_adaptive(&mut ff, &mut xn, &mut g, &mut e),
        Err(Error::NonFiniteInput)
    );
    let mut x = [0.5, 2.0];
    assert_eq!(
        gradient_adaptive(&mut ff, &mut x, &mut g[..1], &mut e),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        gradient_adaptive(&mut ff, &mut [], &mut [], &mut []),
        Err(Error::Empty)
    );
    let (mut h, mut he) = ([7.0; 4], [7.0; 4]);
    assert_eq!(
        hessian_adaptive(&mut ff, &mut x, &mut h, &mut he[..3]),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        hessian_adaptive(&mut |_: &[f64]| f64::NAN, &mut x, &mut h, &mut he),
        Err(Error::NonFiniteLoss)
    );
    let mut gg = |p: &mut [f64], o: &mut [f64]| {
        grad(p, o);
        Ok(0)
    };
    let mut w = [7.0; 20];
    assert_eq!(
        hessian_from_gradient_adaptive(&mut gg, &x, &mut h, &mut he, &mut w[..19]),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        hvp_adaptive(&mut gg, &x, &[f64::INFINITY, 0.0], &mut g, &mut e, &mut w),
        Err(Error::NonFiniteInput)
    );
    let mut failing = |_: &mut [f64], _: &mut [f64]| Err(Error::NonFiniteGradient);
    assert_eq!(
        hvp_adaptive(
            &mut failing,
            &x,
            &[1.0, 0.0],
            &mut g,
            &mut e,
            &mut w[..line_work_len(2)]
        ),
        Err(Error::NonFiniteGradient)
    );
    let mut pt = [7.0; 2];
    assert_eq!(
        directional_adaptive(&mut ff, &x, &[0.0, 0.0], &mut pt),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        (x, g, e, h, he, pt),
        ([0.5, 2.0], [7.0; 2], [7.0; 2], [7.0; 4], [7.0; 4], [7.0; 2])
    );
    // Typed: outputs untouched on error.
    let (mut ht, mut et) = ([[7.0; 2]; 2], [[7.0; 2]; 2]);
    assert_eq!(
        hessian_adaptive_n(|_: &[f64; 2]| f64::NAN, &[0.5, 2.0], &mut ht, &mut et),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!((ht, et), ([[7.0; 2]; 2], [[7.0; 2]; 2]));
}

unsafe extern "C" fn c_f(x: *const f64, n: usize, _: *mut c_void) -> f64 {
    f(unsafe { std::slice::from_raw_parts(x, n) })
}
unsafe extern "C" fn c_nan(_: *const f64, _: usize, _: *mut c_void) -> f64 {
    f64::NAN
}
unsafe extern "C" fn c_grad(x: *const f64, n: usize, g: *mut f64, _: *mut c_void) -> i32 {
    let (x, g) = unsafe {
        (
            std::slice::from_raw_parts(x, n),
            std::slice::from_raw_parts_mut(g, n),
        )
    };
    grad(x, g);
    0
}

#[test]
fn c_entry_points_agree_and_leave_outputs_on_error() {
    let x = [0.5, 2.0];
    let mut w = [0.0; 64];
    let (mut h, mut he, mut evals) = ([0.0; 4], [0.0; 4], 0usize);
    let rc = unsafe {
        lossmap_hessian_adaptive_f64(
            Some(c_f),
            std::ptr::null_mut(),
            x.as_ptr(),
            2,
            w.as_mut_ptr(),
            h.as_mut_ptr(),
            he.as_mut_ptr(),
            &mut evals,
        )
    };
    assert_eq!(rc, 0);
    let (mut hr, mut her, mut xr) = ([0.0; 4], [0.0; 4], x);
    let er = hessian_adaptive(&mut |p: &[f64]| f(p), &mut xr, &mut hr, &mut her).unwrap();
    assert_eq!((h, he, evals), (hr, her, er));
    let (mut hg, mut hge, mut calls) = ([0.0; 4], [0.0; 4], 0usize);
    let rc = unsafe {
        lossmap_hessian_from_gradient_adaptive_f64(
            Some(c_grad),
            std::ptr::null_mut(),
            x.as_ptr(),
            2,
            w.as_mut_ptr(),
            hg.as_mut_ptr(),
            hge.as_mut_ptr(),
            &mut calls,
        )
    };
    assert_eq!(rc, 0);
    assert!(calls >= 12);
    let hx = hess(&x);
    for k in 0..4 {
        assert!((hg[k] - hx[k]).abs() <= hge[k]);
    }
    // Errors: nothing written.
    let (mut g, mut ge, mut cnt) = ([7.0; 2], [7.0; 2], 7usize);
    let rc = unsafe {
        lossmap_gradient_adaptive_f64(
            Some(c_nan),
            std::ptr::null_mut(),
            x.as_ptr(),
            2,
            w.as_mut_ptr(),
            g.as_mut_ptr(),
            ge.as_mut_ptr(),
            &mut cnt,
        )
    };
    assert_eq!(rc, Error::NonFiniteLoss.code());
    let rc = unsafe {
        lossmap_gradient_adaptive_f64(
            Some(c_f),
            std::ptr::null_mut(),
            x.as_ptr(),
            2,
            w.as_mut_ptr(),
            g.as_mut_ptr(),
            g.as_mut_ptr(),
            &mut cnt,
        )
    };
    assert_eq!(rc, Error::Aliased.code());
    let v = [1.0, 0.0];
    let rc = unsafe {
        lossmap_hvp_adaptive_f64(
            None,
            std::ptr::null_mut(),
            x.as_ptr(),
            v.as_ptr(),
            2,
            w.as_mut_ptr(),
            g.as_mut_ptr(),
            ge.as_mut_ptr(),
            &mut cnt,
        )
    };
    assert_eq!(rc, Error::NullPointer.code());
    assert_eq!((g, ge, cnt), ([7.0; 2], [7.0; 2], 7));
    assert_eq!(lossmap_hvp_adaptive_work_len(2), 24);
}

/// Brown's badly scaled function at its minimum `(10⁶, 2·10⁻⁶)` along `(1, −1)`: the Hessian is
/// `[[2 + 2y², 4xy − 4], [4xy − 4, 2 + 2x²]]` in closed form. The step and rounding scales come
/// from the moving components (`min max(|xᵢ|, 1)/|vᵢ|`), so the small entry of `H·v` (−2 beside
/// −2·10¹²) is resolved too; a scale `‖x‖∞ = 10⁶` left it at a relative error of 4e-5.
#[test]
fn hvp_badly_scaled_entries() {
    let mut g = |p: &mut [f64], g: &mut [f64]| {
        let (a, b) = (p[0], p[1]);
        g[0] = 2.0 * (a - 1e6) + 2.0 * (a * b - 2.0) * b;
        g[1] = 2.0 * (b - 2e-6) + 2.0 * (a * b - 2.0) * a;
        Ok(0)
    };
    for (x, v) in [([1e6, 2e-6], [1.0, -1.0]), ([1e6, 2e-6], [0.0, 1.0])] {
        let (a, b) = (x[0], x[1]);
        let h = [
            [2.0 + 2.0 * b * b, 4.0 * a * b - 4.0],
            [4.0 * a * b - 4.0, 2.0 + 2.0 * a * a],
        ];
        let (mut o, mut e, mut w) = ([0.0; 2], [0.0; 2], [0.0; 20]);
        hvp_adaptive(&mut g, &x, &v, &mut o, &mut e, &mut w).unwrap();
        for i in 0..2 {
            let ex = h[i][0] * v[0] + h[i][1] * v[1];
            assert!((o[i] - ex).abs() <= e[i], "{x:?} {v:?} {i}: bound");
            assert!(
                (o[i] - ex).abs() <= 1e-10 * ex.abs(),
                "{x:?} {v:?} {i}: {} vs {ex}",
                o[i]
            );
        }
    }
}
