//! `lossmap::landscape`'s critical-point finder and census, typed and slice forms, and their C
//! entry points (`lossmap_critical_point_*`, `lossmap_census_*`, defaults, work lengths).

use super::{input, out, reals, rng};
use lossmap::global::Bounds;
use lossmap::landscape::*;
use lossmap::objective::FnSlice;
use lossmap::testfn::Himmelblau;
use lossmap::Real;

pub fn exercise<T: Real>() {
    let cfg = CriticalConfig::<T>::default();
    let mut x: [T; 2] = reals([-0.5, -0.7]);
    out(find_critical(&mut Himmelblau, &mut x, &cfg));
    let mut st = CriticalArrays::<T, 2>::default();
    out(st.find(&mut Himmelblau, &mut x, &cfg));
    out(st.eigenvalues());
    let lo: [T; 2] = reals([-5.0, -5.0]);
    let hi: [T; 2] = reals([5.0, 5.0]);
    let mut g = rng();
    let ccfg = CensusConfig {
        starts: input(4usize),
        ..CensusConfig::<T>::default()
    };
    if let Ok(b) = Bounds::new(&lo, &hi) {
        let mut c = Census::<T, 2, 4>::new();
        out(c.run(&mut Himmelblau, &b, &mut g, &ccfg));
        out(c.minima_fraction());
        out(&c.entries);
    }

    // Slice forms, the size opaque.
    let n = input(2usize);
    let mut f = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a * a * a * a - a * a));
    let mut buf = [T::ZERO; 40];
    let mut xs: [T; 3] = reals([0.3, -0.2, 0.1]);
    if let (Some(w), Some(xv)) = (buf.get_mut(..input(critical_work_len(2))), xs.get_mut(..n)) {
        if let Ok(mut s) = CriticalScratch::split(w, n) {
            out(critical_point_slice(&mut f, xv, &cfg, &mut s));
            out(s.eigenvalues());
        }
    }
    let (mut p, mut v, mut ix, mut kd, mut eg) = (
        [T::ZERO; 6],
        [T::ZERO; 3],
        [0usize; 3],
        [0i32; 3],
        [T::ZERO; 6],
    );
    let mut work = [T::ZERO; 40];
    if let (Some(l), Some(h), Some(w)) = (
        lo.get(..n),
        hi.get(..n),
        work.get_mut(..input(census_work_len(2))),
    ) {
        if let Ok(b) = Bounds::new(l, h) {
            let mut o = CensusBuffers {
                points: &mut p,
                values: &mut v,
                index: &mut ix,
                kinds: &mut kd,
                eigenvalues: &mut eg,
            };
            out(census_slice(&mut f, &b, &mut g, &ccfg, &mut o, w));
        }
    }
    out((x, xs, p, v, ix, kd, eg));
}

#[cfg(feature = "capi")]
pub mod capi {
    use super::super::capi_global::bowl;
    use super::super::{input, out, reals};
    use core::mem::MaybeUninit;
    use core::ptr::null_mut;
    use lossmap::capi::*;
    use lossmap::random::SplitMix64;

    macro_rules! per_type {
        ($name:ident, $t:ty, $crit:ident, $census:ident, $cdef:ident, $sdef:ident) => {
            fn $name() {
                type T = $t;
                let n = input(2usize);
                let k = input(3usize);
                let f = Some(bowl::<T> as unsafe extern "C" fn(*const T, usize, *mut _) -> T);
                let cfg = $cdef();
                let mut scfg = $sdef();
                scfg.starts = input(3);
                let mut x: [T; 2] = reals([0.3, -0.2]);
                let (mut work, mut eig) = ([0.0 as T; 40], [0.0 as T; 2]);
                let lo: [T; 2] = reals([-1.0, -1.0]);
                let hi: [T; 2] = reals([1.0, 1.0]);
                let mut rng = SplitMix64::new(input(3));
                let (mut p, mut v, mut ix, mut kd, mut eg) = (
                    [0.0 as T; 6],
                    [0.0 as T; 3],
                    [0usize; 3],
                    [0i32; 3],
                    [0.0 as T; 6],
                );
                // SAFETY: every pointer is valid for the lengths passed.
                unsafe {
                    let mut r = MaybeUninit::uninit();
                    out($crit(
                        f,
                        null_mut(),
                        x.as_mut_ptr(),
                        n,
                        input(&cfg as *const _),
                        work.as_mut_ptr(),
                        input(eig.as_mut_ptr()),
                        input(r.as_mut_ptr()),
                    ));
                    out(r);
                    let mut cr = MaybeUninit::uninit();
                    out($census(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        input(&scfg as *const _),
                        &mut rng,
                        k,
                        p.as_mut_ptr(),
                        v.as_mut_ptr(),
                        ix.as_mut_ptr(),
                        kd.as_mut_ptr(),
                        eg.as_mut_ptr(),
                        work.as_mut_ptr(),
                        input(cr.as_mut_ptr()),
                    ));
                    out(cr);
                }
                out((x, eig, p, v, ix, kd, eg, rng));
            }
        };
    }

    per_type!(
        f32_api,
        f32,
        lossmap_critical_point_f32,
        lossmap_census_f32,
        lossmap_critical_config_default_f32,
        lossmap_census_config_default_f32
    );
    per_type!(
        f64_api,
        f64,
        lossmap_critical_point_f64,
        lossmap_census_f64,
        lossmap_critical_config_default_f64,
        lossmap_census_config_default_f64
    );

    pub fn exercise() {
        let n = input(usize::MAX);
        out(lossmap_critical_point_work_len(n));
        out(lossmap_census_work_len(n));
        f32_api();
        f64_api();
    }
}
