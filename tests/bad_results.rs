//! Regression tests for issue 12 (items 4 and 7): finite input never yields an `Ok` result with
//! a NaN/Inf in it, and the documented state of every output after an error holds.
#![cfg(feature = "capi")]

use core::ffi::c_void;
use core::ptr::null_mut;
use lossmap::capi::*;
use lossmap::diff;
use lossmap::Error;

/// `f(x) = 3e38 · (x₀ − ½)` in f32 (plus ½·x₁ for a second coordinate): finite everywhere
/// near ½, its Hessian differences overflow.
fn huge32(x: &[f32]) -> f32 {
    let s = if x[0] > 0.5 { 1.0 } else { -1.0 };
    3e38 * s + x.get(1).map_or(0.0, |v| 0.5 * v)
}

#[test]
fn central_gradient_of_a_finite_jump_is_an_error_not_inf() {
    // 3e38·sign(x − ½) at ½: f(½ + h) − f(½ − h) = 6e38 overflows f32.
    let mut x = [0.5f32, 1.0];
    let mut g = [7.0f32; 2];
    assert_eq!(
        diff::central_gradient(&mut huge32, &mut x, &mut g),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(g, [7.0; 2], "coordinate 0 fails: nothing written");
    assert_eq!(x, [0.5, 1.0]);
    assert_eq!(
        diff::richardson_gradient(&mut huge32, &mut x, &mut g),
        Err(Error::NonFiniteGradient)
    );
    let mut gn = [7.0f32; 2];
    assert_eq!(
        diff::central_gradient_n(|v: &[f32; 2]| huge32(v), &[0.5, 1.0], &mut gn),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(gn, [7.0; 2]);
}

#[test]
fn forward_gradient_overflow_is_an_error() {
    // f(x) = −3e38 at x ≤ ½, +3e38 above: the forward difference from ½ overflows.
    let mut x = [0.5f32];
    let mut g = [7.0f32];
    assert_eq!(
        diff::forward_gradient(&mut huge32, &mut x, &mut g),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(g, [7.0]);
}

#[test]
fn hessian_of_a_huge_loss_is_an_error_not_inf() {
    // A loss near 1e38 in f32: every value finite, 2·f and the sums overflow.
    let mut big = |x: &[f32]| 2e38 + x[0] * x[1];
    let mut x = [1.0f32, 2.0];
    let mut h = [0.0f32; 4];
    let r = diff::hessian(&mut big, &mut x, &mut h);
    assert_eq!(r, Err(Error::NonFiniteGradient));
    assert!(
        h.iter().all(|v| v.is_finite()),
        "documented: finite intermediates"
    );
    let mut w = [0.0f32; 4];
    assert_eq!(
        diff::hessian_richardson(&mut big, &mut x, &mut h, &mut w),
        Err(Error::NonFiniteGradient)
    );
    assert!(h.iter().chain(w.iter()).all(|v| v.is_finite()));
    let mut hn = [[5.0f32; 2]; 2];
    assert_eq!(
        diff::hessian_n(|v: &[f32; 2]| 2e38 + v[0] * v[1], &[1.0, 2.0], &mut hn),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(hn, [[5.0; 2]; 2]);
    // f64: the same with a loss near f64::MAX.
    let mut big64 = |x: &[f64]| 1.5e308 + x[0];
    let mut x = [1.0f64];
    let mut h = [0.0f64];
    assert_eq!(
        diff::hessian(&mut big64, &mut x, &mut h),
        Err(Error::NonFiniteGradient)
    );
}

#[test]
fn hessian_from_gradient_overflow_is_an_error() {
    // Gradients finite, their difference quotient overflows.
    let mut grad = |p: &mut [f32], g: &mut [f32]| {
        g[0] = if p[0] > 0.5 { 3e38 } else { -3e38 };
        Ok(0)
    };
    let (mut x, mut h, mut gp, mut gm) = ([0.5f32], [9.0f32], [0.0f32], [0.0f32]);
    assert_eq!(
        diff::hessian_from_gradient(&mut grad, &mut x, &mut h, &mut gp, &mut gm),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(h, [9.0]);
    let (mut out, mut pt) = ([9.0f32], [0.0f32]);
    assert_eq!(
        diff::hvp(&mut grad, &[0.5], &[1.0], &mut out, &mut pt, &mut gm),
        Err(Error::NonFiniteGradient)
    );
}

#[test]
fn directional_with_a_huge_direction_is_an_error_not_inf() {
    let mut p = [0.0f32; 2];
    let r = diff::directional(
        &mut |v: &[f32]| v[0] * v[0] + v[1],
        &[1.0, 2.0],
        &[1e38, 0.0],
        &mut p,
    );
    assert_eq!(r, Err(Error::NonFiniteGradient));
    let r = diff::directional_n(|v: &[f32; 1]| v[0] * v[0], &[1.0], &[1e38]);
    assert_eq!(r, Err(Error::NonFiniteGradient));
}

#[test]
fn model_value_overflow_is_an_error() {
    let r = diff::model_value(&[1.0f32], &[2.0], &[1e38]);
    assert_eq!(r, Err(Error::NonFiniteInput));
    let r = diff::fidelity_ratio(1.0f32, 0.0, &[1.0], &[2.0], &[1e38]);
    assert_eq!(r, Err(Error::NonFiniteInput));
    // In range: still fine.
    assert_eq!(
        diff::model_value(&[1.0f32], &[2.0], &[1e18]),
        Ok(1e18 + 1e36)
    );
}

#[test]
fn sym_eigen_overflowing_eigenvalue_is_an_error() {
    // [MAX] has eigenvalue MAX: representable, Ok.
    let (mut w, mut vals, mut vecs) = ([0.0f64; 1], [0.0f64; 1], [0.0f64; 1]);
    let r = lossmap::linalg::sym_eigen(&[f64::MAX], 1, &mut w, &mut vals, &mut vecs);
    assert_eq!(r.map(|_| vals[0]), Ok(f64::MAX));
    // The all-MAX 2×2 has eigenvalue 2·MAX: an error; the slice kernel (one code path for
    // every n) leaves the finite decomposition of A / max|a|, the typed 2×2 writes nothing.
    let m = f64::MAX;
    let (mut w, mut vals, mut vecs) = ([0.0f64; 4], [3.0f64; 2], [3.0f64; 4]);
    let r = lossmap::linalg::sym_eigen(&[m, m, m, m], 2, &mut w, &mut vals, &mut vecs);
    assert_eq!(r, Err(Error::NonFiniteInput));
    assert!(vals.iter().chain(vecs.iter()).all(|v| v.is_finite()));
    let mut e = lossmap::linalg::SymEigen::<f64, 2> {
        values: [3.0; 2],
        vectors: [[3.0; 2]; 2],
        sweeps: 3,
    };
    assert_eq!(e.decompose(&[[m; 2]; 2]), Err(Error::NonFiniteInput));
    assert_eq!(
        (e.values, e.vectors, e.sweeps),
        ([3.0; 2], [[3.0; 2]; 2], 3)
    );
    // 3×3 all-MAX: eigenvalue 3·MAX; outputs finite.
    let (mut w, mut vals, mut vecs) = ([0.0f64; 9], [0.0f64; 3], [0.0f64; 9]);
    let r = lossmap::linalg::sym_eigen(&[m; 9], 3, &mut w, &mut vals, &mut vecs);
    assert_eq!(r, Err(Error::NonFiniteInput));
    assert!(vals.iter().chain(vecs.iter()).all(|v| v.is_finite()));
    // Through the C ABI, f32.
    let mf = f32::MAX;
    let (mut w, mut vals, mut vecs) = ([0.0f32; 4], [3.0f32; 2], [3.0f32; 4]);
    let a = [mf, mf, mf, mf];
    let rc = unsafe {
        lossmap_sym_eigen_f32(
            a.as_ptr(),
            2,
            w.as_mut_ptr(),
            vals.as_mut_ptr(),
            vecs.as_mut_ptr(),
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_NON_FINITE);
    assert!(vals.iter().chain(vecs.iter()).all(|v| v.is_finite()));
}

#[test]
fn noisy_loss_with_overflowing_variance_is_an_error() {
    use rand_core::SeedableRng;
    // Losses finite (±1e300 around the point) but their variance overflows f64.
    let mut jumpy = |x: &[f64; 1]| if x[0] > 0.0 { 1e300 } else { -1e300 };
    let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(3);
    let r = lossmap::landscape::noisy_loss(&mut jumpy, &[0.0], 0.1, 64, &mut rng);
    assert_eq!(r.map(|r| r.std_error), Err(Error::NonFiniteLoss));
}

unsafe extern "C" fn big_c(x: *const f32, n: usize, _: *mut c_void) -> f32 {
    let s = unsafe { core::slice::from_raw_parts(x, n) };
    2e38 + s[0] * s[1]
}

#[test]
fn c_hessian_of_a_huge_loss_is_an_error_and_writes_nothing() {
    let x = [1.0f32, 2.0];
    let mut work = [0.0f32; 6];
    let mut hess = [5.0f32; 4];
    let mut evals = 77usize;
    let rc = unsafe {
        lossmap_hessian_f32(
            Some(big_c),
            null_mut(),
            x.as_ptr(),
            2,
            work.as_mut_ptr(),
            hess.as_mut_ptr(),
            &mut evals,
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_GRAD_NON_FINITE);
    assert_eq!((hess, evals), ([5.0; 4], 77));
}

/// A loss that is NaN as soon as the second coordinate moves: coordinate 0 differentiates
/// fine, coordinate 1 fails.
fn nan_at_second(x: &[f64]) -> f64 {
    if x[1] != 7.0 {
        f64::NAN
    } else {
        x[0]
    }
}

#[test]
fn slice_gradients_after_a_failure_hold_the_finished_prefix_only() {
    type Kernel = fn(&mut dyn FnMut(&[f64]) -> f64, &mut [f64], &mut [f64]) -> Result<usize, Error>;
    let kernels: [(&str, Kernel); 3] = [
        ("central", |f, x, g| diff::central_gradient(f, x, g)),
        ("forward", |f, x, g| diff::forward_gradient(f, x, g)),
        ("richardson", |f, x, g| diff::richardson_gradient(f, x, g)),
    ];
    for (name, k) in kernels {
        let mut x = [7.0f64, 7.0];
        let mut g = [7.0f64, 7.0];
        assert_eq!(
            k(&mut nan_at_second, &mut x, &mut g),
            Err(Error::NonFiniteLoss),
            "{name}"
        );
        assert!(
            (g[0] - 1.0).abs() < 1e-6,
            "{name}: finished component 0, {}",
            g[0]
        );
        assert_eq!(g[1], 7.0, "{name}: the failing component is untouched");
        assert_eq!(x, [7.0, 7.0], "{name}: x restored");
    }
}

#[test]
fn typed_derivatives_leave_the_output_untouched_on_a_late_failure() {
    let f = |x: &[f64; 2]| nan_at_second(x);
    let mut g = [7.0f64; 2];
    assert_eq!(
        diff::central_gradient_n(f, &[7.0, 7.0], &mut g),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(
        diff::forward_gradient_n(f, &[7.0, 7.0], &mut g),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(
        diff::richardson_gradient_n(f, &[7.0, 7.0], &mut g),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(g, [7.0; 2]);
    let mut obj = f;
    assert_eq!(
        lossmap::Objective::gradient(&mut obj, &[7.0, 7.0], &mut g),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(g, [7.0; 2]);
    let mut h = [[7.0f64; 2]; 2];
    assert_eq!(
        diff::hessian_n(f, &[7.0, 7.0], &mut h),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(
        diff::hessian_richardson_n(f, &[7.0, 7.0], &mut h),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(h, [[7.0; 2]; 2]);
    // The slice Hessian: only finite intermediates.
    let (mut x, mut hs) = ([7.0f64, 7.0], [7.0f64; 4]);
    assert_eq!(
        diff::hessian(&mut nan_at_second, &mut x, &mut hs),
        Err(Error::NonFiniteLoss)
    );
    assert!(hs.iter().all(|v| v.is_finite()));
    assert_eq!(x, [7.0, 7.0]);
}

#[test]
fn curvature_summary_has_no_infinity() {
    let m = f64::MAX;
    let (mut w, mut vals, mut vecs) = ([0.0f64; 4], [0.0f64; 2], [0.0f64; 4]);
    // Eigenvalues MAX and MAX: representable, their trace is not.
    let r = lossmap::landscape::curvature(&[m, 0.0, 0.0, m], 2, &mut w, &mut vals, &mut vecs);
    assert_eq!(r.map(|s| s.trace), Err(Error::NonFiniteInput));
    // Condition MAX / 1e-300 overflows: it saturates at MAX, as for an exact 0.
    let s =
        lossmap::landscape::curvature(&[1e10, 0.0, 0.0, 1e-300], 2, &mut w, &mut vals, &mut vecs)
            .unwrap();
    assert_eq!(s.condition, f64::MAX);
}

#[test]
fn power_iteration_and_hutchinson_refuse_overflowing_products() {
    use rand_core::SeedableRng;
    // H = c·I from an analytic gradient: every product is finite, but zᵀHz of a Rademacher
    // probe (n·c = 4e308) is beyond f64.
    fn scaled(c: f64) -> impl FnMut(&mut [f64], &mut [f64]) -> Result<usize, Error> {
        move |p: &mut [f64], g: &mut [f64]| {
            g.iter_mut().zip(p.iter()).for_each(|(a, &b)| *a = c * b);
            Ok(0)
        }
    }
    let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(1);
    let mut work = [0.0f64; 16];
    let r =
        lossmap::landscape::hutchinson_trace(&mut scaled(1e308), &[0.0; 4], 4, &mut work, &mut rng);
    assert_eq!(r.map(|t| t.trace), Err(Error::NonFiniteGradient));
    let (mut vals, mut vecs, mut work) = ([0.0f64; 1], [0.0f64; 2], [0.0f64; 8]);
    let r = lossmap::landscape::power_iteration(
        &mut scaled(1.5e308),
        &[0.0; 2],
        &mut vals,
        &mut vecs,
        &mut work,
        &mut rng,
        50,
        1e-10,
    );
    // λ = 1.5e308 is representable (‖Hv‖ for a unit v): Ok, and finite.
    assert!(r.is_ok() && vals[0].is_finite() && (vals[0] / 1.5e308 - 1.0).abs() < 1e-9);
}

unsafe extern "C" fn jump_c(x: *const f32, n: usize, _: *mut c_void) -> f32 {
    huge32(unsafe { core::slice::from_raw_parts(x, n) })
}

unsafe extern "C" fn jumpy64(x: *const f64, n: usize, _: *mut c_void) -> f64 {
    let s = unsafe { core::slice::from_raw_parts(x, n) };
    if s[0] > 0.0 {
        1e300
    } else {
        -1e300
    }
}

unsafe extern "C" fn square_c(x: *const f32, n: usize, _: *mut c_void) -> f32 {
    let s = unsafe { core::slice::from_raw_parts(x, n) };
    s[0] * s[0]
}

#[test]
fn c_entry_points_report_overflow_and_keep_their_outputs() {
    // Central gradient of 3e38·sign(x − ½) at ½.
    let x = [0.5f32, 1.0];
    let (mut work, mut grad, mut evals) = ([0.0f32; 4], [7.0f32; 2], 77usize);
    let rc = unsafe {
        lossmap_gradient_central_f32(
            Some(jump_c),
            null_mut(),
            x.as_ptr(),
            2,
            work.as_mut_ptr(),
            grad.as_mut_ptr(),
            &mut evals,
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_GRAD_NON_FINITE);
    assert_eq!((grad, evals), ([7.0; 2], 77));
    // Model value with p = 1e38.
    let mut out = 7.0f32;
    let rc = unsafe {
        lossmap_model_value_f32(
            [1.0f32].as_ptr(),
            [2.0f32].as_ptr(),
            [1e38f32].as_ptr(),
            1,
            &mut out,
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_NON_FINITE);
    assert_eq!(out, 7.0);
    // Directional derivatives along d = 1e38.
    let mut work = [0.0f32; 1];
    let mut dir = core::mem::MaybeUninit::<lossmap::diff::Directional<f32>>::zeroed();
    let rc = unsafe {
        lossmap_directional_f32(
            Some(square_c),
            null_mut(),
            [1.0f32].as_ptr(),
            [1e38f32].as_ptr(),
            1,
            work.as_mut_ptr(),
            dir.as_mut_ptr(),
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_GRAD_NON_FINITE);
    // Noisy loss whose variance overflows: the rng and the output untouched.
    let mut rng = lossmap::random::SplitMix64::new(11);
    let mut work = [0.0f64; 2];
    let mut nl = core::mem::MaybeUninit::<lossmap::landscape::NoisyLoss<f64>>::zeroed();
    let rc = unsafe {
        lossmap_noisy_loss_f64(
            Some(jumpy64),
            null_mut(),
            [0.0f64].as_ptr(),
            1,
            0.1,
            64,
            &mut rng,
            work.as_mut_ptr(),
            nl.as_mut_ptr(),
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_LOSS_NON_FINITE);
    assert_eq!(rng.state, 11);
    assert_eq!(unsafe { nl.assume_init() }.std_error, 0.0);
}

#[test]
fn a_finite_gradient_never_reports_an_infinite_norm() {
    use lossmap::objective::WithGradient;
    use lossmap::optim::{minimize, Sgd, SgdConfig, Stop};
    // A loss whose gradient is [MAX, MAX] everywhere: finite, its norm beyond f32's range.
    let mut obj = WithGradient::new(
        |x: &[f32; 2]| x[0] + x[1],
        |_: &[f32; 2], g: &mut [f32; 2]| *g = [f32::MAX; 2],
    );
    let mut x = [0.0f32; 2];
    let mut sgd = Sgd::<f32, 2>::new(SgdConfig {
        lr: 1e-30,
        ..SgdConfig::default()
    })
    .unwrap();
    let stop = Stop {
        max_iter: 2,
        ..Stop::default()
    };
    let r = minimize(&mut obj, &mut x, &mut sgd, &stop).unwrap();
    assert!(r.grad_norm.is_finite(), "grad_norm = {}", r.grad_norm);
    assert_eq!(r.grad_norm, f32::MAX);
}
