//! The SPEC D C entry points called from Rust: results match the Rust API, bad input changes
//! nothing.
#![cfg(feature = "capi")]

use core::ffi::c_void;
use core::ptr::null_mut;
use lossmap::capi::*;
use lossmap::optim::{newton_slice, NewtonConfig, Stop};

unsafe extern "C" fn rosen(x: *const f64, n: usize, _: *mut c_void) -> f64 {
    let s = unsafe { core::slice::from_raw_parts(x, n) };
    (1.0 - s[0]).powi(2) + 100.0 * (s[1] - s[0] * s[0]).powi(2)
}

fn stop() -> Stop<f64> {
    Stop {
        grad_tol: 1e-7,
        max_iter: 100,
        ..Stop::default()
    }
}

#[test]
fn newton_c_matches_rust_kernel() {
    let cfg = lossmap_newton_config_default_f64();
    let mut x = [-1.2, 1.0];
    let mut work = [0.0; 16];
    let mut rep = core::mem::MaybeUninit::<LossmapNewtonReport<f64>>::uninit();
    let rc = unsafe {
        lossmap_newton_f64(
            Some(rosen),
            null_mut(),
            x.as_mut_ptr(),
            2,
            &cfg,
            &stop(),
            work.as_mut_ptr(),
            rep.as_mut_ptr(),
        )
    };
    assert_eq!(rc, LOSSMAP_OK);
    let rep = unsafe { rep.assume_init() };
    let mut y = [-1.2, 1.0];
    let (mut h, mut l, mut v) = ([0.0; 4], [0.0; 4], [0.0; 8]);
    let mut f =
        lossmap::objective::FnSlice(|p: &[f64]| unsafe { rosen(p.as_ptr(), p.len(), null_mut()) });
    let r = newton_slice(
        &mut f,
        &mut y,
        &mut h,
        &mut l,
        &mut v,
        &NewtonConfig::default(),
        &stop(),
    )
    .unwrap();
    assert_eq!(x, y);
    assert_eq!(
        (rep.iterations, rep.value_evals, rep.loss),
        (r.iterations, r.value_evals, r.loss)
    );
    assert_eq!(rep.reason, LOSSMAP_STOP_GRAD_NORM);
    assert_eq!(lossmap_newton_work_len(2), 16);
    assert_eq!(lossmap_newton_work_len(usize::MAX), 0);
}

#[test]
fn bad_input_changes_nothing() {
    let cfg = lossmap_newton_config_default_f64();
    let mut buf = [0.0f64; 20];
    buf[0] = -1.2;
    buf[1] = 1.0;
    let p = buf.as_mut_ptr();
    // work overlapping x
    let rc = unsafe {
        lossmap_newton_f64(
            Some(rosen),
            null_mut(),
            p,
            2,
            &cfg,
            &stop(),
            p.wrapping_add(1),
            null_mut(),
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_ALIASED);
    assert_eq!(&buf[..3], &[-1.2, 1.0, 0.0]);
    // too-large n for the work buffer is the caller's contract; a NULL config is not
    let mut x = [-1.2, 1.0];
    let mut work = [0.0; 16];
    let rc = unsafe {
        lossmap_newton_f64(
            Some(rosen),
            null_mut(),
            x.as_mut_ptr(),
            2,
            core::ptr::null(),
            &stop(),
            work.as_mut_ptr(),
            null_mut(),
        )
    };
    assert_eq!(rc, LOSSMAP_ERR_NULL);
    assert_eq!(x, [-1.2, 1.0]);

    // clipping, f32
    let mut g = [3.0f32, 4.0];
    let mut total = 0.0f32;
    assert_eq!(
        unsafe { lossmap_clip_grad_norm_f32(g.as_mut_ptr(), 2, 1.0, &mut total) },
        LOSSMAP_OK
    );
    assert_eq!(total, 5.0);
    assert!((g[0] - 0.6).abs() < 1e-6 && (g[1] - 0.8).abs() < 1e-6);
    assert_eq!(
        unsafe { lossmap_clip_grad_norm_f32(g.as_mut_ptr(), 2, f32::NAN, null_mut()) },
        LOSSMAP_ERR_PARAM
    );
    assert_eq!(
        unsafe { lossmap_clip_grad_norm_f32(null_mut(), 2, 1.0, null_mut()) },
        LOSSMAP_ERR_NULL
    );

    // SWA: count inside avg is aliasing
    let mut avg = [0.0f64; 4];
    let x = [1.0, 2.0];
    let count_ptr = avg.as_mut_ptr().wrapping_add(1) as *mut u32;
    assert_eq!(
        unsafe { lossmap_swa_update_f64(avg.as_mut_ptr(), count_ptr, x.as_ptr(), 2) },
        LOSSMAP_ERR_ALIASED
    );
    assert_eq!(avg, [0.0; 4]);
    let mut count = 0u32;
    assert_eq!(
        unsafe {
            lossmap_swa_update_f64(
                avg.as_mut_ptr(),
                &mut count,
                avg.as_ptr().wrapping_add(1),
                2,
            )
        },
        LOSSMAP_ERR_ALIASED
    );
    assert_eq!(
        unsafe { lossmap_swa_update_f64(avg.as_mut_ptr(), &mut count, x.as_ptr(), 2) },
        LOSSMAP_OK
    );
    assert_eq!((avg[0], avg[1], count), (1.0, 2.0, 1));

    // noise: bad gamma leaves g and the generator alone
    let mut rng = core::mem::MaybeUninit::uninit();
    assert_eq!(unsafe { lossmap_rng_seed(rng.as_mut_ptr(), 9) }, LOSSMAP_OK);
    let mut rng = unsafe { rng.assume_init() };
    let saved = format!("{rng:?}");
    let mut g = [1.0f32, 2.0];
    assert_eq!(
        unsafe {
            lossmap_gradient_noise_f32(g.as_mut_ptr(), 2, 0.3, f32::NAN, 0, &mut rng, null_mut())
        },
        LOSSMAP_ERR_PARAM
    );
    assert_eq!((g, format!("{rng:?}")), ([1.0, 2.0], saved.clone()));
    let mut sigma = 0.0f32;
    assert_eq!(
        unsafe {
            lossmap_gradient_noise_f32(g.as_mut_ptr(), 2, 0.3, 0.55, 0, &mut rng, &mut sigma)
        },
        LOSSMAP_OK
    );
    assert!((sigma - 0.3f32.sqrt()).abs() < 1e-6 && g != [1.0, 2.0] && format!("{rng:?}") != saved);
}
