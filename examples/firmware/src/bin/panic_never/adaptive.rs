//! `lossmap::diff`'s adaptive finite differences with error bounds: the slice kernels, the typed
//! views and their C entry points, every size and pointer opaque.

use super::{input, out, reals};
use lossmap::diff::*;
use lossmap::testfn::Rosenbrock;
use lossmap::{Error, Real};

fn typed<T: Real, const N: usize>() {
    let x: [T; N] = reals([0.3; N]);
    let v: [T; N] = reals([1.0; N]);
    let f = |p: &[T; N]| p.iter().fold(T::ZERO, |s, &a| s + a * a * a - a.exp());
    let (mut g, mut ge) = ([T::ZERO; N], [T::ZERO; N]);
    out(gradient_adaptive_n(f, &x, &mut g, &mut ge));
    let (mut h, mut he) = ([[T::ZERO; N]; N], [[T::ZERO; N]; N]);
    out(hessian_adaptive_n(f, &x, &mut h, &mut he));
    let mut obj = f;
    out(hessian_from_gradient_adaptive_n(
        &mut obj, &x, &mut h, &mut he,
    ));
    out(hvp_adaptive_n(&mut obj, &x, &v, &mut g, &mut ge));
    out((g, ge, h, he));
}

fn slices<T: Real>() {
    let n = input(2usize);
    let mut xs: [T; 3] = reals([0.3, -0.2, 0.1]);
    let vs: [T; 3] = reals([1.0, 0.5, -0.5]);
    let mut a = [T::ZERO; 3];
    let mut b = [T::ZERO; 3];
    let mut hm = [T::ZERO; 9];
    let mut he = [T::ZERO; 9];
    let mut w = [T::ZERO; 40];
    let mut f = |p: &[T]| p.iter().fold(T::ZERO, |s, &q| s + q * q - q.cos());
    let mut grad = |p: &mut [T], g: &mut [T]| -> Result<usize, Error> {
        for (gi, &pi) in g.iter_mut().zip(p.iter()) {
            *gi = T::TWO * pi + pi.sin();
        }
        Ok(input(0usize))
    };
    if let (Some(x), Some(v), Some(g), Some(e), Some(hh), Some(hhe), Some(wl)) = (
        xs.get_mut(..n),
        vs.get(..n),
        a.get_mut(..n),
        b.get_mut(..n),
        hm.get_mut(..n * n),
        he.get_mut(..n * n),
        w.get_mut(..line_work_len(n)),
    ) {
        out(gradient_adaptive(&mut f, x, g, e));
        out(hessian_adaptive(&mut f, x, hh, hhe));
        out(hessian_from_gradient_adaptive(&mut grad, x, hh, hhe, wl));
        out(hvp_adaptive(&mut grad, x, v, g, e, wl));
        out(directional_adaptive(&mut f, x, v, wl));
        let acc = if input(true) {
            Accuracy::Full
        } else {
            Accuracy::Fast
        };
        out(gradient_adaptive_with(&mut f, x, g, e, acc));
        out(hessian_adaptive_with(&mut f, x, hh, hhe, acc));
        out(directional_adaptive_with(&mut f, x, v, wl, acc));
    }
    if let (Some(x), Some(v), Some(g), Some(e), Some(hh), Some(hhe), Some(wl)) = (
        xs.get_mut(..n),
        vs.get(..n),
        a.get_mut(..n),
        b.get_mut(..n),
        hm.get_mut(..n * n),
        he.get_mut(..n * n),
        w.get_mut(..line_work_len_full(n)),
    ) {
        let acc = if input(true) {
            Accuracy::Full
        } else {
            Accuracy::Fast
        };
        out(hessian_from_gradient_adaptive_with(
            &mut grad, x, hh, hhe, wl, acc,
        ));
        out(hvp_adaptive_with(&mut grad, x, v, g, e, wl, acc));
    }
    out((xs, a, b, hm, he, MAX_MOVES));
    let x2: [T; 2] = reals([1.0, 1.0]);
    let (mut h2, mut e2) = ([[T::ZERO; 2]; 2], [[T::ZERO; 2]; 2]);
    out(hessian_from_gradient_adaptive_n(
        &mut Rosenbrock,
        &x2,
        &mut h2,
        &mut e2,
    ));
    out((h2, e2, Evals::default()));
}

pub fn exercise<T: Real>() {
    typed::<T, 2>();
    typed::<T, 3>();
    slices::<T>();
}

#[cfg(feature = "capi")]
pub mod capi {
    use super::super::{capi::sum_of_squares, capi::twice, input, out};
    use lossmap::capi::*;

    macro_rules! all {
        ($t:ty, $grad:ident, $hess:ident, $hfg:ident, $hvp:ident, $dir:ident, $est:ty,
         $gex:ident, $hex:ident, $dex:ident, $hfgex:ident, $hvpex:ident) => {{
            let n = input(2usize);
            let mut x = [input(0.5 as $t); 3];
            let mut v = [input(1.0 as $t); 3];
            let mut w = [0.0 as $t; 64];
            let mut o = [0.0 as $t; 9];
            let mut e = [0.0 as $t; 9];
            let mut cnt = 0usize;
            let mut d: $est = unsafe { core::mem::zeroed() };
            let (xp, vp, wp, op, ep) = (
                input(x.as_mut_ptr() as *const $t),
                input(v.as_mut_ptr() as *const $t),
                input(w.as_mut_ptr()),
                input(o.as_mut_ptr()),
                input(e.as_mut_ptr()),
            );
            let cp = input(&mut cnt as *mut usize);
            let ctx = input(core::ptr::null_mut());
            // SAFETY: the pointers are valid for the sizes lossmap checks.
            unsafe {
                out($grad(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    n,
                    wp,
                    op,
                    ep,
                    cp,
                ));
                out($hess(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    n,
                    wp,
                    op,
                    ep,
                    cp,
                ));
                out($hfg(Some(twice::<$t>), ctx, xp, n, wp, op, ep, cp));
                out($hvp(Some(twice::<$t>), ctx, xp, vp, n, wp, op, ep, cp));
                out($dir(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    vp,
                    n,
                    wp,
                    input(&mut d as *mut $est),
                ));
                let acc = input(LOSSMAP_ACCURACY_FULL);
                out($gex(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    n,
                    acc,
                    wp,
                    op,
                    ep,
                    cp,
                ));
                out($hex(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    n,
                    acc,
                    wp,
                    op,
                    ep,
                    cp,
                ));
                out($dex(
                    Some(sum_of_squares::<$t>),
                    ctx,
                    xp,
                    vp,
                    n,
                    acc,
                    wp,
                    input(&mut d as *mut $est),
                ));
                out($hfgex(Some(twice::<$t>), ctx, xp, n, acc, wp, op, ep, cp));
                out($hvpex(
                    Some(twice::<$t>),
                    ctx,
                    xp,
                    vp,
                    n,
                    acc,
                    wp,
                    op,
                    ep,
                    cp,
                ));
            }
            out((x, v, w, o, e, cnt, d));
        }};
    }

    pub fn exercise() {
        let n = input(usize::MAX);
        out(lossmap_gradient_adaptive_work_len(n));
        out(lossmap_hessian_adaptive_work_len(n));
        out(lossmap_hessian_from_gradient_adaptive_work_len(n));
        out(lossmap_hvp_adaptive_work_len(n));
        out(lossmap_directional_adaptive_work_len(n));
        out(lossmap_gradient_adaptive_ex_work_len(n));
        out(lossmap_hessian_adaptive_ex_work_len(n));
        out(lossmap_directional_adaptive_ex_work_len(n));
        out(lossmap_hessian_from_gradient_adaptive_ex_work_len(n));
        out(lossmap_hvp_adaptive_ex_work_len(n));
        all!(
            f32,
            lossmap_gradient_adaptive_f32,
            lossmap_hessian_adaptive_f32,
            lossmap_hessian_from_gradient_adaptive_f32,
            lossmap_hvp_adaptive_f32,
            lossmap_directional_adaptive_f32,
            lossmap::diff::DirectionalEstimate<f32>,
            lossmap_gradient_adaptive_ex_f32,
            lossmap_hessian_adaptive_ex_f32,
            lossmap_directional_adaptive_ex_f32,
            lossmap_hessian_from_gradient_adaptive_ex_f32,
            lossmap_hvp_adaptive_ex_f32
        );
        all!(
            f64,
            lossmap_gradient_adaptive_f64,
            lossmap_hessian_adaptive_f64,
            lossmap_hessian_from_gradient_adaptive_f64,
            lossmap_hvp_adaptive_f64,
            lossmap_directional_adaptive_f64,
            lossmap::diff::DirectionalEstimate<f64>,
            lossmap_gradient_adaptive_ex_f64,
            lossmap_hessian_adaptive_ex_f64,
            lossmap_directional_adaptive_ex_f64,
            lossmap_hessian_from_gradient_adaptive_ex_f64,
            lossmap_hvp_adaptive_ex_f64
        );
    }
}
