//! `lossmap::nlls`: Levenberg–Marquardt, Gauss–Newton, fit statistics, the Jacobian kernels,
//! typed and slice forms, and their C entry points.

use super::{input, out, reals};
use lossmap::nlls::*;
use lossmap::Real;

fn typed<T: Real, const M: usize, const N: usize>() {
    let t: [T; M] = reals([0.5; M]);
    let mut res = |p: &[T; N], r: &mut [T; M]| {
        for (i, (ri, &ti)) in r.iter_mut().zip(&t).enumerate() {
            let a = p.get(i % N.max(1)).copied().unwrap_or(T::ZERO);
            *ri = a * a * ti - ti - T::from_usize(i);
        }
    };
    let mut x: [T; N] = reals([0.3; N]);
    out(levenberg_marquardt(&mut res, &mut x, &LmConfig::default()));
    out(gauss_newton(
        &mut res,
        &mut x,
        &GaussNewtonConfig::default(),
    ));
    let mut lm = LevenbergMarquardt::<T, M, N>::new(LmConfig::default());
    out(lm.fit(&mut res, &mut x));
    let lo: [T; N] = reals([-1.0; N]);
    let hi: [T; N] = reals([1.0; N]);
    out(lm.fit_bounded(&mut res, &mut x, &lo, &hi));
    let mut c = Central(res);
    out(lm.fit(&mut c, &mut x));
    let (mut cov, mut corr) = ([[T::ZERO; N]; N], [[T::ZERO; N]; N]);
    if let Ok(st) = lm.statistics(&mut c, &x, &mut cov, &mut corr) {
        out(lm.identifiability(&st));
        out(st);
    }
    out(lm.singular_vectors());
    out(fit_statistics(&mut c, &x, &mut cov, &mut corr));
    let mut gn = GaussNewton::<T, M, N>::new(GaussNewtonConfig::default());
    out(gn.fit_bounded(&mut c, &mut x, &lo, &hi));
    out((cov, corr, x, lm.residuals, gn.residuals));
}

fn slices<T: Real>() {
    let m = input(4usize);
    let mut xs: [T; 3] = reals([0.3, -0.2, 0.1]);
    let mut w = [T::ZERO; 64];
    let mut res = FnResiduals(|p: &[T], r: &mut [T]| {
        for (ri, &pi) in r.iter_mut().zip(p.iter().cycle()) {
            *ri = pi - T::ONE;
        }
    });
    let lo: [T; 3] = reals([-1.0; 3]);
    let hi: [T; 3] = reals([1.0; 3]);
    if let (Some(x), Some(wl), Some(l), Some(h)) = (
        xs.get_mut(..input(2usize)),
        w.get_mut(..lm_work_len(m, 2)),
        lo.get(..input(2usize)),
        hi.get(..input(2usize)),
    ) {
        out(levenberg_marquardt_slice(
            &mut res,
            x,
            m,
            None,
            wl,
            &LmConfig::default(),
        ));
        let d: &mut dyn SliceResiduals<T> = &mut res;
        out(levenberg_marquardt_slice(
            d,
            x,
            m,
            Some((l, h)),
            wl,
            &LmConfig::default(),
        ));
    }
    if let (Some(x), Some(wl)) = (xs.get_mut(..input(2usize)), w.get_mut(..gn_work_len(m, 2))) {
        out(gauss_newton_slice(
            &mut res,
            x,
            m,
            None,
            wl,
            &GaussNewtonConfig::default(),
        ));
    }
    let jac: [T; 8] = reals([1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 2.0]);
    let r: [T; 4] = reals([0.1, -0.1, 0.2, 0.0]);
    let mut cov = [T::ZERO; 4];
    if let (Some(j), Some(rr), Some(wl)) = (
        jac.get(..input(8usize)),
        r.get(..m),
        w.get_mut(..fit_statistics_work_len(m, 2)),
    ) {
        out(fit_statistics_slice(j, rr, input(2usize), &mut cov, wl));
    }
    let mut f = |p: &[T], o: &mut [T]| {
        for (oi, &pi) in o.iter_mut().zip(p.iter().cycle()) {
            *oi = pi * pi;
        }
    };
    let mut j = [T::ZERO; 6];
    let mut tmp = [T::ZERO; 6];
    let rr: [T; 3] = reals([0.09, 0.04, 0.09]);
    if let (Some(x), Some(jj), Some(t1), Some(r3)) = (
        xs.get_mut(..input(2usize)),
        j.get_mut(..input(6usize)),
        tmp.get_mut(..input(3usize)),
        rr.get(..input(3usize)),
    ) {
        out(forward_jacobian(&mut f, x, r3, jj, t1, T::ZERO));
    }
    if let (Some(x), Some(jj), Some(t2)) = (
        xs.get_mut(..input(2usize)),
        j.get_mut(..input(6usize)),
        tmp.get_mut(..input(6usize)),
    ) {
        out(central_jacobian(&mut f, x, jj, t2, T::ZERO));
    }
    out(LsqReason::Ftol.code());
    out(LsqReason::MaxIterations.converged());
    out(xs);
}

pub fn exercise<T: Real>() {
    typed::<T, 3, 2>();
    typed::<T, 4, 3>();
    slices::<T>();
}

#[cfg(feature = "capi")]
pub mod capi {
    use super::super::{input, out};
    use core::ffi::c_void;
    use core::ptr::{null, null_mut};
    use lossmap::capi::*;

    unsafe extern "C" fn r64(
        x: *const f64,
        n: usize,
        r: *mut f64,
        m: usize,
        _: *mut c_void,
    ) -> i32 {
        let (x, r) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(r, m),
            )
        };
        for (ri, &xi) in r.iter_mut().zip(x.iter().cycle()) {
            *ri = xi * xi - 1.0;
        }
        0
    }
    unsafe extern "C" fn r32(
        x: *const f32,
        n: usize,
        r: *mut f32,
        m: usize,
        _: *mut c_void,
    ) -> i32 {
        let (x, r) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(r, m),
            )
        };
        for (ri, &xi) in r.iter_mut().zip(x.iter().cycle()) {
            *ri = xi * xi - 1.0;
        }
        0
    }

    pub fn exercise() {
        let (n, m) = (input(2usize), input(3usize));
        let mut x64 = input([0.5f64, 2.0]);
        let mut w64 = input([0.0f64; 64]);
        let lo64 = input([-3.0f64; 2]);
        let hi64 = input([3.0f64; 2]);
        let (mut cov64, mut se64, mut co64) = ([0.0f64; 4], [0.0f64; 2], [0.0f64; 4]);
        let lc64 = lossmap_lm_config_default_f64();
        let gc64 = lossmap_gauss_newton_config_default_f64();
        let mut rep64 = core::mem::MaybeUninit::<LossmapLsqReport<f64>>::uninit();
        let mut fs64 = core::mem::MaybeUninit::<LossmapFitSummary<f64>>::uninit();
        let mut x32 = input([0.5f32, 2.0]);
        let mut w32 = input([0.0f32; 64]);
        let (mut cov32, mut se32, mut co32) = ([0.0f32; 4], [0.0f32; 2], [0.0f32; 4]);
        let lc32 = lossmap_lm_config_default_f32();
        let gc32 = lossmap_gauss_newton_config_default_f32();
        let mut rep32 = core::mem::MaybeUninit::<LossmapLsqReport<f32>>::uninit();
        let mut fs32 = core::mem::MaybeUninit::<LossmapFitSummary<f32>>::uninit();
        out(lossmap_levenberg_marquardt_work_len(m, n));
        out(lossmap_gauss_newton_work_len(m, n));
        out(lossmap_fit_statistics_work_len(m, n));
        // SAFETY: every buffer is at least as long as the sizes passed.
        unsafe {
            out(lossmap_levenberg_marquardt_f64(
                Some(r64),
                None,
                null_mut(),
                x64.as_mut_ptr(),
                n,
                m,
                lo64.as_ptr(),
                hi64.as_ptr(),
                &lc64,
                w64.as_mut_ptr(),
                rep64.as_mut_ptr(),
            ));
            out(lossmap_gauss_newton_f64(
                Some(r64),
                None,
                null_mut(),
                x64.as_mut_ptr(),
                n,
                m,
                null(),
                null(),
                &gc64,
                w64.as_mut_ptr(),
                rep64.as_mut_ptr(),
            ));
            out(lossmap_fit_statistics_f64(
                Some(r64),
                None,
                null_mut(),
                x64.as_ptr(),
                n,
                m,
                cov64.as_mut_ptr(),
                se64.as_mut_ptr(),
                co64.as_mut_ptr(),
                w64.as_mut_ptr(),
                fs64.as_mut_ptr(),
            ));
            out(lossmap_levenberg_marquardt_f32(
                Some(r32),
                None,
                null_mut(),
                x32.as_mut_ptr(),
                n,
                m,
                null(),
                null(),
                &lc32,
                w32.as_mut_ptr(),
                rep32.as_mut_ptr(),
            ));
            out(lossmap_gauss_newton_f32(
                Some(r32),
                None,
                null_mut(),
                x32.as_mut_ptr(),
                n,
                m,
                null(),
                null(),
                &gc32,
                w32.as_mut_ptr(),
                rep32.as_mut_ptr(),
            ));
            out(lossmap_fit_statistics_f32(
                Some(r32),
                None,
                null_mut(),
                x32.as_ptr(),
                n,
                m,
                cov32.as_mut_ptr(),
                se32.as_mut_ptr(),
                co32.as_mut_ptr(),
                w32.as_mut_ptr(),
                fs32.as_mut_ptr(),
            ));
        }
        out((
            x64, w64, cov64, se64, co64, rep64, fs64, x32, w32, cov32, se32, co32, rep32, fs32,
        ));
    }
}
