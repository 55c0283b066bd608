//! Regression tests for the breaks of the library's promises found by the cargo-fuzz targets
//! (`fuzz/`; their inputs are also replayed from `fuzz/regressions/` by
//! `tests/repo/fuzz_replay.rs`). Each states the promise and checks it on the minimal case.

use lossmap::nlls::{gauss_newton, levenberg_marquardt, GaussNewtonConfig, LmConfig};
use lossmap::optim::{Adam, AdamBias, AdamConfig, AdamW, AdamWConfig, Optimizer};
use lossmap::Error;

/// Finite f32 residuals whose cost ½‖r‖² overflows (1e20² > f32::MAX) are a non-finite loss:
/// an error with `x` unchanged, never an Ok report with `cost = inf` (target `drivers`).
#[test]
fn overflowing_least_squares_cost_is_a_non_finite_loss() {
    let mut res = |x: &[f32; 1], r: &mut [f32; 2]| *r = [1e20 + x[0], 1e20 - x[0]];
    let mut x = [0.5f32];
    let e = levenberg_marquardt(&mut res, &mut x, &LmConfig::default()).unwrap_err();
    assert_eq!((e, x), (Error::NonFiniteLoss, [0.5]));
    let e = gauss_newton(&mut res, &mut x, &GaussNewtonConfig::default()).unwrap_err();
    assert_eq!((e, x), (Error::NonFiniteLoss, [0.5]));
    // Below the overflow the fit runs and reports a finite cost.
    let mut small = |x: &[f32; 1], r: &mut [f32; 2]| *r = [1e18 + x[0], 1e18 - x[0]];
    let rep = levenberg_marquardt(&mut small, &mut x, &LmConfig::default()).unwrap();
    assert!(rep.cost.is_finite() && x[0].is_finite(), "{rep:?}");
}

/// With a subnormal learning rate and ε (f32 1e-45) the Adam update `lr·m̂/(√v̂ + ε)` is small,
/// but its quotient `m̂/(√v̂ + ε)` overflows: the step must refuse (nothing written), never
/// write −∞ into x and return Ok (target `optimizer_steps`).
#[test]
fn adam_quotient_overflow_is_refused() {
    let tiny = 1e-45f32;
    let mut w = AdamW::<f32, 2> {
        config: AdamWConfig {
            lr: tiny,
            beta1: 0.25,
            beta2: tiny,
            eps: tiny,
            weight_decay: tiny,
            amsgrad: 0,
            decoupled: 0,
            maximize: 0,
        },
        t: 40,
        bias: AdamBias::EMPTY,
        m: [tiny, 2.0],
        v: [0.25, tiny],
        v_max: [tiny; 2],
    };
    let before = w;
    let mut x = [4.875f32, 0.0];
    let r = w.step(&mut x, &[tiny, tiny]);
    assert_eq!(r, Err(Error::NonFiniteGradient));
    assert_eq!((w, x), (before, [4.875, 0.0]));
    let mut a = Adam::<f32, 1> {
        config: AdamConfig {
            lr: tiny,
            beta1: 0.25,
            beta2: tiny,
            eps: tiny,
            weight_decay: 0.0,
            maximize: 0,
        },
        t: 40,
        bias: AdamBias::EMPTY,
        m: [2.0],
        v: [0.0],
    };
    let mut x = [1.0f32];
    match a.step(&mut x, &[0.0]) {
        Ok(()) => assert!(x[0].is_finite() && a.m[0].is_finite(), "{x:?} {a:?}"),
        Err(e) => assert_eq!((e, x), (Error::NonFiniteGradient, [1.0])),
    }
}

/// A NaN first moment in the caller's Adam instance is bad input: `lossmap_minimize_adam_*` and
/// `lossmap_minimize_ex_*` refuse it before they call the loss or write `work` (the README's
/// "checks its input before writing anything or calling a callback"), target `capi`.
#[cfg(feature = "capi")]
#[test]
fn adam_state_is_checked_before_the_callback() {
    use core::ffi::c_void;
    use lossmap::capi::*;
    unsafe extern "C" fn f(x: *const f64, _n: usize, ctx: *mut c_void) -> f64 {
        // SAFETY: ctx is the test's counter, x holds one value.
        unsafe {
            *(ctx as *mut usize) += 1;
            *x * *x
        }
    }
    for (m0, v0) in [(f64::NAN, 0.0), (0.0, -1.0), (0.0, f64::INFINITY)] {
        let (mut m, mut v) = ([m0], [v0]);
        let mut s = LossmapAdam {
            config: lossmap::optim::AdamConfig::default(),
            step: 0,
            bias: lossmap::optim::AdamBias::EMPTY,
            n: 1,
            m: m.as_mut_ptr(),
            v: v.as_mut_ptr(),
        };
        let stop = lossmap::optim::Stop::<f64>::default();
        let (mut x, mut work, mut calls) = ([1.0], [7.0; 2], 0usize);
        let ctx = &mut calls as *mut usize as *mut c_void;
        // SAFETY: every buffer is live and sized for n = 1.
        let rc = unsafe {
            lossmap_minimize_adam_f64(
                Some(f),
                ctx,
                x.as_mut_ptr(),
                1,
                &mut s,
                &stop,
                work.as_mut_ptr(),
                core::ptr::null_mut(),
            )
        };
        assert_eq!(
            (rc, calls, work, x),
            (LOSSMAP_ERR_NON_FINITE, 0, [7.0; 2], [1.0])
        );
        // SAFETY: as above; `s` is an Adam instance.
        let rc = unsafe {
            lossmap_minimize_ex_f64(
                Some(f),
                ctx,
                x.as_mut_ptr(),
                1,
                LOSSMAP_OPTIMIZER_ADAM,
                &mut s as *mut LossmapAdam<f64> as *mut c_void,
                core::ptr::null_mut(),
                None,
                core::ptr::null_mut(),
                &stop,
                work.as_mut_ptr(),
                core::ptr::null_mut(),
            )
        };
        assert_eq!(
            (rc, calls, work, x),
            (LOSSMAP_ERR_NON_FINITE, 0, [7.0; 2], [1.0])
        );
        assert!(m[0].to_bits() == m0.to_bits() && v[0].to_bits() == v0.to_bits());
    }
}

/// NEB on f32 energies with finite but large gradients (1e25 across the band): the force norm
/// overflows; the run must return an error, never an Ok report with `max_force = inf`
/// (target `landscape`).
#[test]
fn neb_force_overflow_is_an_error() {
    use lossmap::landscape::{neb, NebConfig};
    let mut f = |x: &[f32; 2]| 1e25 * x[0] + x[1] * x[1];
    let r = neb::<f32, _, 2, 5>(&mut f, &[0.0, 0.0], &[0.0, 1.0], &NebConfig::default());
    match r {
        Ok(band) => {
            let rep = band.report;
            assert!(
                rep.max_force.is_finite() && rep.barrier_from_a.is_finite(),
                "{rep:?}"
            );
        }
        Err(e) => assert_eq!(e, lossmap::Error::NonFiniteGradient),
    }
    // Energies whose barrier overflows f32 are a non-finite loss.
    let mut g = |x: &[f32; 2]| if x[1] > 0.2 && x[1] < 0.8 { 3e38 } else { -3e38 } + 0.0 * x[0];
    let r = neb::<f32, _, 2, 5>(
        &mut g,
        &[0.0, 0.0],
        &[0.0, 1.0],
        &NebConfig {
            max_iter: 1,
            ..NebConfig::default()
        },
    );
    assert!(
        matches!(
            r,
            Err(lossmap::Error::NonFiniteLoss) | Err(lossmap::Error::NonFiniteGradient)
        ),
        "{r:?}"
    );
}

/// Finite f32 residuals, cost and Jacobian whose gradient `Jᵀr` overflows (`2 · 1.4e19²` is
/// above `f32::MAX`, `½‖r‖²` below): a non-finite gradient, never an Ok report with
/// `grad_inf = inf` (target `drivers`).
#[test]
fn overflowing_least_squares_gradient_is_an_error() {
    let mut res = |x: &[f32; 1], r: &mut [f32; 2]| *r = [1.4e19 * x[0], 1.4e19 * x[0]];
    let mut x = [1.0f32];
    let e = levenberg_marquardt(&mut res, &mut x, &LmConfig::default()).unwrap_err();
    assert_eq!((e, x), (Error::NonFiniteGradient, [1.0]));
    let e = gauss_newton(&mut res, &mut x, &GaussNewtonConfig::default()).unwrap_err();
    assert_eq!((e, x), (Error::NonFiniteGradient, [1.0]));
}

/// Nelder–Mead from a vertex near f32::MAX on a loss that ignores that coordinate: reflections
/// overflow to ±∞ and then NaN, which the loss never sees; the run must stop with an error and
/// `x` finite, never return Ok with a NaN in `x` (target `drivers`).
#[test]
fn nelder_mead_never_accepts_a_non_finite_vertex() {
    use lossmap::optim::{nelder_mead, NelderMeadConfig, Stop};
    let mut f = |x: &[f32; 3]| x[0] * x[0] - x[1];
    let mut x = [6.0f32, 6.0, 6.2e37];
    let stop = Stop {
        max_iter: 128,
        ..Stop::default()
    };
    match nelder_mead(&mut f, &mut x, &NelderMeadConfig::default(), &stop) {
        Ok(r) => assert!(
            x.iter().all(|v| v.is_finite()) && r.loss.is_finite(),
            "{x:?} {r:?}"
        ),
        Err(e) => {
            assert_eq!(e, Error::NonFiniteLoss);
            assert!(x.iter().all(|v| v.is_finite()), "{x:?}");
        }
    }
}
