//! `lossmap::optim`'s quasi-Newton and simplex methods (BFGS, L-BFGS, L-BFGS on a box, the
//! Moré–Thuente line search, the `ProjectedLbfgs` polish, Nelder–Mead), the schedules added with
//! them (cosine, linear, multi-step, polynomial, lambda, sequential, chained, the cyclic and
//! one-cycle options, fractional warm restarts) and their C entry points.

use super::{input, out, reals};
use lossmap::global::{Bounds, LocalSearch};
use lossmap::objective::{FnSlice, Forward};
use lossmap::optim::*;
use lossmap::Real;

fn methods<T: Real>() {
    let mut f = |x: &[T; 2]| {
        let (a, b) = (x[0] - T::ONE, x[1] + T::HALF);
        a * a + T::from_f64(10.0) * b * b
    };
    let stop = Stop {
        max_iter: input(50usize),
        ..Stop::default()
    };
    let cfg = QuasiNewtonConfig {
        max_norm: input(1u8),
        ..QuasiNewtonConfig::default()
    };
    let mut x: [T; 2] = reals([0.3, -0.2]);
    out(bfgs(&mut f, &mut x, &cfg, &stop));
    out(lbfgs::<T, _, 2, 4>(
        &mut Forward(f),
        &mut x,
        &QuasiNewtonConfig::lbfgsb(),
        &stop,
    ));
    out(nelder_mead(
        &mut f,
        &mut x,
        &NelderMeadConfig::default(),
        &stop,
    ));
    let mut watch = |p: &Progress<T>| p.iteration < input(3usize);
    let mut b = Bfgs::<T, 2>::new(cfg);
    out(b.minimize(&mut f, &mut x, &stop));
    out(b.minimize_with(&mut f, &mut x, &stop, Some(&mut watch)));
    let mut l = Lbfgs::<T, 2, 3>::new(cfg);
    let lo: [T; 2] = reals([-1.0; 2]);
    let hi: [T; 2] = reals([1.0; 2]);
    out(l.minimize(&mut f, &mut x, &stop));
    out(l.minimize_with(&mut f, &mut x, &stop, Some(&mut watch)));
    out(l.minimize_bounded(&mut f, &mut x, &lo, &hi, &stop));
    out(l.minimize_bounded_with(&mut f, &mut x, &lo, &hi, &stop, Some(&mut watch)));
    let mut nm = NelderMead::<T, 2>::new(NelderMeadConfig::default());
    out(nm.minimize(&mut f, &mut x, &stop));
    out(nm.minimize_with(&mut f, &mut x, &stop, Some(&mut watch)));
    out((b.inverse_hessian, nm.simplex, nm.values, x));

    // Slice kernels at an opaque size, and the line search.
    let n = input(2usize);
    let mut g = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a * a));
    let mut xs: [T; 3] = reals([0.4, -0.3, 0.2]);
    let mut w = [T::ZERO; 64];
    let (mut p2, mut c2, mut v2) = ([T::ZERO; 24], [T::ZERO; 8], [T::ZERO; 12]);
    if let (Some(x), Some(h), Some(v), Some(l2), Some(h2)) = (
        xs.get_mut(..n),
        w.get_mut(..n * n),
        v2.get_mut(..bfgs_vecs_len(n).min(12)),
        lo.get(..n),
        hi.get(..n),
    ) {
        out(bfgs_slice(&mut g, x, h, v, &cfg, &stop, None));
        out(lbfgs_slice(
            &mut g,
            x,
            2,
            &mut p2[..lbfgs_pairs_len(2, 2)],
            &mut c2[..lbfgs_coef_len(2)],
            &mut v2[..lbfgs_vecs_len(2)],
            &cfg,
            &stop,
            None,
        ));
        out(lbfgs_bounded_slice(
            &mut g,
            x,
            l2,
            h2,
            2,
            &mut p2[..lbfgs_pairs_len(2, 2)],
            &mut c2[..lbfgs_coef_len(2)],
            &mut v2[..lbfgs_vecs_len(2)],
            &cfg,
            &stop,
            None,
        ));
    }
    let (mut sim, mut fv, mut nv) = ([T::ZERO; 9], [T::ZERO; 3], [T::ZERO; 9]);
    if let (Some(x), Some(s), Some(f), Some(v)) = (
        xs.get_mut(..n),
        sim.get_mut(..n * n),
        fv.get_mut(..n),
        nv.get_mut(..nelder_mead_vecs_len(n).min(9)),
    ) {
        out(nelder_mead_slice(
            &mut g,
            x,
            s,
            f,
            v,
            &NelderMeadConfig::default(),
            &stop,
            None,
        ));
    }
    let start: [T; 2] = reals([1.0, 1.0]);
    let dir: [T; 2] = reals([-1.0, -1.0]);
    let (mut xt, mut gt) = ([T::ZERO; 2], [T::ZERO; 2]);
    out(more_thuente_slice(
        &mut g,
        &start,
        &dir,
        input(T::TWO),
        input(-T::from_f64(4.0)),
        T::ONE,
        T::from_f64(1e10),
        &mut xt,
        &mut gt,
        &cfg,
    ));
    // The polish.
    if let Ok(bx) = Bounds::new(&lo, &hi) {
        let mut pl = ProjectedLbfgs::<T, 2, 3>::default();
        let mut xp: [T; 2] = reals([0.5, 0.5]);
        let mut loss = input(T::HALF);
        let mut pw = [T::ZERO; 6];
        out(pl.refine(&mut g, &bx, &mut xp, &mut loss, &mut pw, input(100usize)));
        out((xp, loss));
    }
}

fn schedules<T: Real>() {
    let t = input(7usize);
    let lr = input(T::from_f64(0.1));
    let ask = |s: &mut dyn Schedule<T>| {
        out(s.lr(t, T::ONE));
        out(s.initial_lr());
        out(s.momentum(t));
    };
    if let Ok(mut s) = CosineAnnealingLr::new(lr, input(10usize), T::ZERO) {
        ask(&mut s);
    }
    if let Ok(mut s) = LinearLr::new(lr, T::HALF, T::ONE, input(5usize)) {
        ask(&mut s);
    }
    if let Ok(mut s) = LinearLr::with_defaults(lr) {
        ask(&mut s);
    }
    let ms = [input(3usize), 6, 9];
    if let Ok(mut s) = MultiStepLr::new(lr, &ms, input(0.5)) {
        ask(&mut s);
    }
    if let Ok(mut s) = PolynomialLr::new(lr, input(10usize), T::TWO) {
        ask(&mut s);
    }
    if let Ok(mut s) = LambdaLr::new(lr, |k: usize| T::ONE / T::from_usize(k + 1)) {
        ask(&mut s);
    }
    if let (Ok(a), Ok(b)) = (
        LinearLr::with_defaults(lr),
        CosineAnnealingLr::new(lr, 10, T::ZERO),
    ) {
        if let Ok(mut s) = SequentialLr::new(a, b, input(4usize)) {
            ask(&mut s);
        }
    }
    if let (Ok(a), Ok(b)) = (ExponentialLr::new(lr, 0.9), StepLr::new(lr, 3, 0.5)) {
        if let Ok(mut s) = ChainedLr::new(a, b, lr) {
            ask(&mut s);
        }
    }
    if let Ok(c) = CyclicLr::new(lr, T::ONE, input(4usize), 4, CYCLIC_EXP_RANGE) {
        out(c.lr_scaled(t, |v| v * 0.5));
        if let Ok(mut s) = c
            .with_gamma(input(0.99))
            .and_then(|c| c.with_momentum(T::from_f64(0.8), T::from_f64(0.9)))
        {
            ask(&mut s);
        }
    }
    if let Ok(c) = OneCycleLr::from_epochs(lr, input(4usize), 5) {
        if let Ok(mut s) = c
            .with_shape(true, ANNEAL_LINEAR)
            .and_then(|c| c.with_momentum(T::from_f64(0.85), T::from_f64(0.95)))
        {
            ask(&mut s);
        }
    }
    if let Ok(s) = CosineAnnealingWarmRestarts::new(lr, input(5usize), 2, T::ZERO) {
        out(s.lr_at(input(3.25)));
    }
}

pub fn exercise<T: Real>() {
    methods::<T>();
    schedules::<T>();
}

#[cfg(feature = "capi")]
pub mod capi {
    use super::{input, out};
    use core::ffi::c_void;
    use core::ptr::{null, null_mut};
    use lossmap::capi::*;

    unsafe extern "C" fn loss64(x: *const f64, n: usize, _: *mut c_void) -> f64 {
        let x = unsafe { core::slice::from_raw_parts(x, n) };
        x.iter().map(|v| (v - 0.5) * (v - 0.5)).sum()
    }
    unsafe extern "C" fn loss32(x: *const f32, n: usize, _: *mut c_void) -> f32 {
        let x = unsafe { core::slice::from_raw_parts(x, n) };
        x.iter().map(|v| (v - 0.5) * (v - 0.5)).sum()
    }
    unsafe extern "C" fn lam64(k: usize, _: *mut c_void) -> f64 {
        1.0 / (k as f64 + 1.0)
    }
    unsafe extern "C" fn lam32(k: usize, _: *mut c_void) -> f32 {
        1.0 / (k as f32 + 1.0)
    }
    unsafe extern "C" fn scale64(x: f64, _: *mut c_void) -> f64 {
        1.0 / (1.0 + x)
    }
    unsafe extern "C" fn scale32(x: f32, _: *mut c_void) -> f32 {
        1.0 / (1.0 + x)
    }

    pub fn exercise() {
        let n = input(2usize);
        let m = input(3usize);
        // SAFETY: every pointer is to a live local of the right type and length.
        unsafe {
            let (mut x64, mut x32) = ([0.1f64; 4], [0.1f32; 4]);
            let (lo64, hi64) = ([-1.0f64; 4], [1.0f64; 4]);
            let (lo32, hi32) = ([-1.0f32; 4], [1.0f32; 4]);
            let (mut w64, mut w32) = ([0.0f64; 128], [0.0f32; 128]);
            let (q64, q32) = (
                lossmap_quasi_newton_config_default_f64(),
                lossmap_quasi_newton_config_lbfgsb_f32(),
            );
            let (q64b, q32b) = (
                lossmap_quasi_newton_config_lbfgsb_f64(),
                lossmap_quasi_newton_config_default_f32(),
            );
            let (nm64, nm32) = (
                lossmap_nelder_mead_config_default_f64(),
                lossmap_nelder_mead_config_default_f32(),
            );
            let (s64, s32) = (lossmap_stop_default_f64(), lossmap_stop_default_f32());
            let mut r64: LossmapQuasiNewtonReport<f64> = core::mem::zeroed();
            let mut r32: LossmapQuasiNewtonReport<f32> = core::mem::zeroed();
            out(lossmap_bfgs_work_len(n) + lossmap_lbfgs_work_len(n, m));
            out(lossmap_lbfgs_bounded_work_len(n, m) + lossmap_nelder_mead_work_len(n));
            out(lossmap_bfgs_f64(
                Some(loss64),
                None,
                null_mut(),
                x64.as_mut_ptr(),
                n,
                &q64,
                &s64,
                w64.as_mut_ptr(),
                &mut r64,
            ));
            out(lossmap_bfgs_f32(
                Some(loss32),
                None,
                null_mut(),
                x32.as_mut_ptr(),
                n,
                &q32,
                &s32,
                w32.as_mut_ptr(),
                &mut r32,
            ));
            out(lossmap_lbfgs_f64(
                Some(loss64),
                None,
                null_mut(),
                x64.as_mut_ptr(),
                n,
                m,
                &q64b,
                &s64,
                w64.as_mut_ptr(),
                null_mut(),
            ));
            out(lossmap_lbfgs_f32(
                Some(loss32),
                None,
                null_mut(),
                x32.as_mut_ptr(),
                n,
                m,
                &q32b,
                &s32,
                w32.as_mut_ptr(),
                null_mut(),
            ));
            out(lossmap_lbfgs_bounded_f64(
                Some(loss64),
                None,
                null_mut(),
                x64.as_mut_ptr(),
                lo64.as_ptr(),
                hi64.as_ptr(),
                n,
                m,
                &q64,
                &s64,
                w64.as_mut_ptr(),
                &mut r64,
            ));
            out(lossmap_lbfgs_bounded_f32(
                Some(loss32),
                None,
                null_mut(),
                x32.as_mut_ptr(),
                lo32.as_ptr(),
                hi32.as_ptr(),
                n,
                m,
                &q32,
                &s32,
                w32.as_mut_ptr(),
                &mut r32,
            ));
            out(lossmap_nelder_mead_f64(
                Some(loss64),
                null_mut(),
                x64.as_mut_ptr(),
                n,
                &nm64,
                &s64,
                w64.as_mut_ptr(),
                &mut r64,
            ));
            out(lossmap_nelder_mead_f32(
                Some(loss32),
                null_mut(),
                x32.as_mut_ptr(),
                n,
                &nm32,
                &s32,
                w32.as_mut_ptr(),
                &mut r32,
            ));
            out((x64, x32, w64, w32, r64, r32));

            // The schedules added with them.
            let mut a: LossmapSchedule<f64> = core::mem::zeroed();
            let mut b: LossmapSchedule<f64> = core::mem::zeroed();
            let mut c: LossmapSchedule<f64> = core::mem::zeroed();
            let mut a32: LossmapSchedule<f32> = core::mem::zeroed();
            let mut b32: LossmapSchedule<f32> = core::mem::zeroed();
            let mut c32: LossmapSchedule<f32> = core::mem::zeroed();
            let (mut l64, mut l32) = (0.0f64, 0.0f32);
            let t = input(5usize);
            let ms = [input(2usize), 4];
            out(lossmap_schedule_cosine_init_f64(&mut a, input(0.1), t, 0.0));
            out(lossmap_schedule_cosine_init_f32(
                &mut a32,
                input(0.1),
                t,
                0.0,
            ));
            out(lossmap_schedule_linear_init_f64(
                &mut b,
                input(0.1),
                0.5,
                1.0,
                t,
            ));
            out(lossmap_schedule_linear_init_f32(
                &mut b32,
                input(0.1),
                0.5,
                1.0,
                t,
            ));
            out(lossmap_schedule_sequential_init_f64(
                &mut c, &mut b, &mut a, t,
            ));
            out(lossmap_schedule_sequential_init_f32(
                &mut c32, &mut b32, &mut a32, t,
            ));
            out(lossmap_schedule_lr_f64(&mut c, t, 1.0, &mut l64));
            out(lossmap_schedule_lr_f32(&mut c32, t, 1.0, &mut l32));
            out(lossmap_schedule_chained_init_f64(
                &mut c,
                &mut b,
                &mut a,
                input(0.1),
            ));
            out(lossmap_schedule_chained_init_f32(
                &mut c32,
                &mut b32,
                &mut a32,
                input(0.1),
            ));
            out(lossmap_schedule_lr_f64(&mut c, t, 1.0, &mut l64));
            out(lossmap_schedule_lr_f32(&mut c32, t, 1.0, &mut l32));
            out(lossmap_schedule_multi_step_init_f64(
                &mut a,
                input(0.1),
                ms.as_ptr(),
                2,
                0.5,
            ));
            out(lossmap_schedule_multi_step_init_f32(
                &mut a32,
                input(0.1),
                ms.as_ptr(),
                2,
                0.5,
            ));
            out(lossmap_schedule_polynomial_init_f64(
                &mut b,
                input(0.1),
                t,
                2.0,
            ));
            out(lossmap_schedule_polynomial_init_f32(
                &mut b32,
                input(0.1),
                t,
                2.0,
            ));
            out(lossmap_schedule_lambda_init_f64(
                &mut c,
                input(0.1),
                Some(lam64),
                null_mut(),
            ));
            out(lossmap_schedule_lambda_init_f32(
                &mut c32,
                input(0.1),
                Some(lam32),
                null_mut(),
            ));
            out(lossmap_schedule_lr_f64(&mut c, t, 1.0, &mut l64));
            out(lossmap_schedule_lr_f32(&mut c32, t, 1.0, &mut l32));
            use lossmap::optim::{CyclicLr, OneCycleLr, ANNEAL_COS, CYCLIC_TRIANGULAR};
            let cy64 = CyclicLr::<f64>::new(input(0.01), 0.1, t, t, CYCLIC_TRIANGULAR)
                .and_then(|c| c.with_momentum(0.8, 0.9));
            let cy32 = CyclicLr::<f32>::new(input(0.01), 0.1, t, t, CYCLIC_TRIANGULAR)
                .and_then(|c| c.with_momentum(0.8, 0.9));
            if let (Ok(cy64), Ok(cy32)) = (cy64, cy32) {
                out(lossmap_schedule_cyclic_ex_init_f64(&mut a, &cy64));
                out(lossmap_schedule_cyclic_ex_init_f32(&mut a32, &cy32));
                out(lossmap_schedule_momentum_f64(&mut a, t, &mut l64));
                out(lossmap_schedule_momentum_f32(&mut a32, t, &mut l32));
                out(lossmap_schedule_cyclic_fn_init_f64(
                    &mut b,
                    &cy64,
                    Some(scale64),
                    null_mut(),
                ));
                out(lossmap_schedule_cyclic_fn_init_f32(
                    &mut b32,
                    &cy32,
                    Some(scale32),
                    null_mut(),
                ));
                out(lossmap_schedule_lr_f64(&mut b, t, 1.0, &mut l64));
                out(lossmap_schedule_lr_f32(&mut b32, t, 1.0, &mut l32));
            }
            let oc64 = OneCycleLr::<f64>::new(input(0.1), 20, 0.3, 25.0, 1e4)
                .and_then(|c| c.with_shape(true, ANNEAL_COS));
            let oc32 = OneCycleLr::<f32>::new(input(0.1), 20, 0.3, 25.0, 1e4)
                .and_then(|c| c.with_shape(true, ANNEAL_COS));
            if let (Ok(oc64), Ok(oc32)) = (oc64, oc32) {
                out(lossmap_schedule_one_cycle_ex_init_f64(&mut c, &oc64));
                out(lossmap_schedule_one_cycle_ex_init_f32(&mut c32, &oc32));
                out(lossmap_schedule_lr_f64(&mut c, t, 1.0, &mut l64));
                out(lossmap_schedule_lr_f32(&mut c32, t, 1.0, &mut l32));
            }
            out(lossmap_schedule_cosine_restarts_init_f64(
                &mut a, 0.1, t, 2, 0.0,
            ));
            out(lossmap_schedule_cosine_restarts_init_f32(
                &mut a32, 0.1, t, 2, 0.0,
            ));
            out(lossmap_schedule_lr_at_f64(&a, input(2.5), &mut l64));
            out(lossmap_schedule_lr_at_f32(&a32, input(2.5), &mut l32));
            out((l64, l32, null::<u8>()));
        }
    }
}
