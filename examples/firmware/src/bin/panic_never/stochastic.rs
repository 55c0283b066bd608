//! The stochastic mini-batch driver (`minimize_stochastic*`, `minimize_curriculum*`,
//! `Curriculum`, `Pacing`, `PerSample*`, configs, reports) and, with `capi`, the general C
//! drivers `lossmap_minimize_ex_*`, `lossmap_minimize_stochastic_*` and
//! `lossmap_minimize_curriculum_*` with an opaque optimizer kind (so every kind's arm is linked).

use super::{input, out, reals};
use lossmap::optim::{
    minimize_curriculum, minimize_curriculum_slice, minimize_stochastic, minimize_stochastic_slice,
    Adam, AdamConfig, BatchObjective, Curriculum, Pacing, PerSample, PerSampleWithGradient, StepLr,
    StochasticConfig, StochasticProgress, StochasticReport,
};
use lossmap::random::SplitMix64;
use lossmap::{Error, Real};

pub fn exercise<T: Real>() {
    let data: [T; 6] = reals([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let cfg = StochasticConfig {
        batch: input(2usize),
        epochs: input(3usize),
        drop_last: input(0u8),
    };
    out(cfg.validate(input(6usize)));
    let mut rng = SplitMix64::new(input(5));
    if let Ok(mut adam) = Adam::<T, 1>::new(AdamConfig::default()) {
        let mut obj = PerSample(|x: &[T], i: usize| {
            let d = data.get(i).copied().unwrap_or(T::ZERO);
            x.first().map_or(T::ZERO, |&v| (v - d) * (v - d))
        });
        let mut x: [T; 1] = reals([0.5]);
        let mut perm = [0usize; 6];
        let mut seen = 0usize;
        let mut watch = |p: &StochasticProgress<T>| {
            seen += 1;
            out(*p);
            seen < input(10usize)
        };
        if let Ok(mut sched) = StepLr::new(T::from_f64(input(0.1)), input(3usize), input(0.5f64)) {
            report(minimize_stochastic(
                &mut obj,
                &mut x,
                &mut adam,
                &mut perm,
                &cfg,
                &mut rng,
                Some(&mut sched),
                Some(&mut watch),
            ));
        }
        let mut scratch = [T::ZERO; 1];
        let mut with_grad = PerSampleWithGradient {
            loss: |x: &[T], i: usize| {
                let d = data.get(i).copied().unwrap_or(T::ZERO);
                x.first().map_or(T::ZERO, |&v| (v - d) * (v - d))
            },
            grad: |x: &[T], i: usize, g: &mut [T]| {
                let d = data.get(i).copied().unwrap_or(T::ZERO);
                if let (Some(&v), Some(o)) = (x.first(), g.first_mut()) {
                    *o = T::TWO * (v - d);
                }
                input(true)
            },
            scratch: &mut scratch,
        };
        let (mut prev, mut grad) = ([T::ZERO; 1], [T::ZERO; 1]);
        let len = input(1usize);
        let plen = input(6usize);
        if let (Some(x), Some(p), Some(g), Some(perm)) = (
            x.get_mut(..len),
            prev.get_mut(..len),
            grad.get_mut(..len),
            perm.get_mut(..plen),
        ) {
            report(minimize_stochastic_slice(
                &mut with_grad,
                &mut adam,
                x,
                perm,
                p,
                g,
                &cfg,
                &mut rng,
                None,
                None,
            ));
            let d: &mut dyn BatchObjective<T> = &mut obj;
            out(d.batch_value(x, perm));
            out(d.batch_gradient(x, perm, g));
        }
        out(x);
        // The curriculum: scores and pacing hidden from the optimizer.
        let scores: [T; 6] = reals(input([3.0, 1.0, 2.0, 1.0, 0.5, 4.0]));
        let pacing = Pacing::root(
            T::from_f64(input(0.3)),
            input(2usize),
            T::from_f64(input(2.0)),
        );
        out(pacing.validate());
        out((
            pacing.fraction(input(1usize)),
            pacing.active(input(1usize), input(6usize)),
        ));
        out(Pacing::linear(T::from_f64(input(0.5)), input(3usize)));
        let slen = input(6usize);
        if let Some(s) = scores.get(..slen) {
            let cur = Curriculum { scores: s, pacing };
            out(cur.validate(input(6usize)));
            report(minimize_curriculum(
                &mut obj,
                &mut x,
                &mut adam,
                &mut perm,
                &cfg,
                &cur,
                &mut rng,
                None,
                Some(&mut watch),
            ));
            let len = input(1usize);
            if let (Some(x), Some(p), Some(g), Some(perm)) = (
                x.get_mut(..len),
                prev.get_mut(..len),
                grad.get_mut(..len),
                perm.get_mut(..plen),
            ) {
                report(minimize_curriculum_slice(
                    &mut with_grad,
                    &mut adam,
                    x,
                    perm,
                    p,
                    g,
                    &cfg,
                    &cur,
                    &mut rng,
                    None,
                    None,
                ));
            }
        }
        out(x);
    }
}

fn report<T: Real>(r: Result<StochasticReport<T>, Error>) {
    if let Ok(r) = r {
        out((r.reason.code(), r.epochs, r.steps, r.sample_evals));
        out((r.epoch_loss, r.lr, r.temperature, r.active, r.fraction));
    }
}

#[cfg(feature = "capi")]
pub mod capi {
    use super::{input, out};
    use core::ffi::c_void;
    use core::mem::MaybeUninit;
    use core::ptr::null_mut;
    use lossmap::capi::*;
    use lossmap::optim::{Pacing, Progress, StochasticConfig, StochasticProgress};

    unsafe extern "C" fn loss64(x: *const f64, n: usize, _: *mut c_void) -> f64 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter().fold(0.0, |a, &b| a + b * b)
    }
    unsafe extern "C" fn loss32(x: *const f32, n: usize, _: *mut c_void) -> f32 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter().fold(0.0, |a, &b| a + b * b)
    }
    unsafe extern "C" fn sample64(x: *const f64, n: usize, i: usize, _: *mut c_void) -> f64 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter()
            .fold(0.0, |a, &b| a + (b - i as f64) * (b - i as f64))
    }
    unsafe extern "C" fn sample32(x: *const f32, n: usize, i: usize, _: *mut c_void) -> f32 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter()
            .fold(0.0, |a, &b| a + (b - i as f32) * (b - i as f32))
    }
    unsafe extern "C" fn grad64(
        x: *const f64,
        n: usize,
        i: usize,
        g: *mut f64,
        _: *mut c_void,
    ) -> i32 {
        let (x, g) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(g, n),
            )
        };
        g.iter_mut()
            .zip(x)
            .for_each(|(o, &b)| *o = 2.0 * (b - i as f64));
        0
    }
    unsafe extern "C" fn grad32(
        x: *const f32,
        n: usize,
        i: usize,
        g: *mut f32,
        _: *mut c_void,
    ) -> i32 {
        let (x, g) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(g, n),
            )
        };
        g.iter_mut()
            .zip(x)
            .for_each(|(o, &b)| *o = 2.0 * (b - i as f32));
        0
    }
    unsafe extern "C" fn watch64(p: *const Progress<f64>, _: *mut c_void) -> i32 {
        i32::from(unsafe { (*p).iteration } > 20)
    }
    unsafe extern "C" fn watch32(p: *const Progress<f32>, _: *mut c_void) -> i32 {
        i32::from(unsafe { (*p).iteration } > 20)
    }
    unsafe extern "C" fn swatch64(p: *const StochasticProgress<f64>, _: *mut c_void) -> i32 {
        i32::from(unsafe { (*p).step } > 20)
    }
    unsafe extern "C" fn swatch32(p: *const StochasticProgress<f32>, _: *mut c_void) -> i32 {
        i32::from(unsafe { (*p).step } > 20)
    }

    pub fn exercise() {
        let n = input(2usize);
        let kind = input(LOSSMAP_OPTIMIZER_ADAM);
        out((
            LOSSMAP_OPTIMIZER_SGD,
            LOSSMAP_OPTIMIZER_ADAGRAD,
            LOSSMAP_OPTIMIZER_RMSPROP,
            LOSSMAP_OPTIMIZER_ADAMW,
            LOSSMAP_STOP_MAX_EPOCHS,
        ));
        let cfg = StochasticConfig {
            batch: input(2),
            epochs: input(2),
            drop_last: input(0),
        };
        let mut rng = lossmap::random::SplitMix64::new(input(1));
        let mut perm = [0usize; 4];
        // SAFETY: every pointer is to a live local of the right type and size.
        unsafe {
            let (mut m, mut v) = ([0.0f64; 2], [0.0f64; 2]);
            let c = lossmap_adam_config_default_f64();
            let mut s: LossmapAdam<f64> = core::mem::zeroed();
            out(lossmap_adam_init_f64(
                &mut s,
                &c,
                n,
                m.as_mut_ptr(),
                v.as_mut_ptr(),
            ));
            let mut sch: LossmapSchedule<f64> = core::mem::zeroed();
            out(lossmap_schedule_constant_init_f64(&mut sch, input(0.1)));
            let mut x = input([1.0f64, 2.0]);
            let mut w = [0.0f64; 6];
            let stop = lossmap_stop_default_f64();
            let mut r = MaybeUninit::<LossmapReport<f64>>::uninit();
            let opt = input(&mut s as *mut LossmapAdam<f64> as *mut c_void);
            out(lossmap_minimize_ex_f64(
                Some(loss64),
                null_mut(),
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(watch64),
                null_mut(),
                &stop,
                w.as_mut_ptr(),
                r.as_mut_ptr(),
            ));
            let mut sr = MaybeUninit::<LossmapStochasticReport<f64>>::uninit();
            out(lossmap_minimize_stochastic_f64(
                Some(sample64),
                input(Some(grad64 as _)),
                null_mut(),
                input(4),
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(swatch64),
                null_mut(),
                &cfg,
                &mut rng,
                perm.as_mut_ptr(),
                w.as_mut_ptr(),
                sr.as_mut_ptr(),
            ));
            out((x, w, m, v, r, sr));
            let scores = input([3.0f64, 1.0, 2.0, 0.0]);
            let pacing = input(Pacing::linear(0.5f64, 2));
            out(lossmap_minimize_curriculum_f64(
                Some(sample64),
                input(Some(grad64 as _)),
                null_mut(),
                input(4),
                scores.as_ptr(),
                &pacing,
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(swatch64),
                null_mut(),
                &cfg,
                &mut rng,
                perm.as_mut_ptr(),
                w.as_mut_ptr(),
                sr.as_mut_ptr(),
            ));
            out((x, w, sr));

            let (mut m, mut v) = ([0.0f32; 2], [0.0f32; 2]);
            let c = lossmap_adam_config_default_f32();
            let mut s: LossmapAdam<f32> = core::mem::zeroed();
            out(lossmap_adam_init_f32(
                &mut s,
                &c,
                n,
                m.as_mut_ptr(),
                v.as_mut_ptr(),
            ));
            let mut sch: LossmapSchedule<f32> = core::mem::zeroed();
            out(lossmap_schedule_constant_init_f32(&mut sch, input(0.1)));
            let mut x = input([1.0f32, 2.0]);
            let mut w = [0.0f32; 6];
            let stop = lossmap_stop_default_f32();
            let mut r = MaybeUninit::<LossmapReport<f32>>::uninit();
            let opt = input(&mut s as *mut LossmapAdam<f32> as *mut c_void);
            out(lossmap_minimize_ex_f32(
                Some(loss32),
                null_mut(),
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(watch32),
                null_mut(),
                &stop,
                w.as_mut_ptr(),
                r.as_mut_ptr(),
            ));
            let mut sr = MaybeUninit::<LossmapStochasticReport<f32>>::uninit();
            out(lossmap_minimize_stochastic_f32(
                Some(sample32),
                input(Some(grad32 as _)),
                null_mut(),
                input(4),
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(swatch32),
                null_mut(),
                &cfg,
                &mut rng,
                perm.as_mut_ptr(),
                w.as_mut_ptr(),
                sr.as_mut_ptr(),
            ));
            out((x, w, m, v, r, sr, rng));
            let scores = input([3.0f32, 1.0, 2.0, 0.0]);
            let pacing = input(Pacing::root(0.5f32, 2, 2.0));
            out(lossmap_minimize_curriculum_f32(
                Some(sample32),
                input(Some(grad32 as _)),
                null_mut(),
                input(4),
                scores.as_ptr(),
                &pacing,
                x.as_mut_ptr(),
                n,
                kind,
                opt,
                input(&mut sch as *mut _),
                Some(swatch32),
                null_mut(),
                &cfg,
                &mut rng,
                perm.as_mut_ptr(),
                w.as_mut_ptr(),
                sr.as_mut_ptr(),
            ));
            out((x, w, sr));
            let mut gn = 0.0f32;
            out(lossmap_sam_step_f32(
                Some(loss32),
                null_mut(),
                x.as_mut_ptr(),
                n,
                input(0.05),
                kind,
                opt,
                w.as_mut_ptr(),
                &mut gn,
            ));
            let d = input([1.0f32, 2.0]);
            out(lossmap_precondition_diag_f32(
                x.as_mut_ptr(),
                d.as_ptr(),
                n,
                input(0.1),
            ));
            out((x, gn));
        }
        // SAFETY: as above.
        unsafe {
            let mut m = [0.0f64; 2];
            let c = lossmap_sgd_config_default_f64();
            let mut s: LossmapSgd<f64> = core::mem::zeroed();
            out(lossmap_sgd_init_f64(&mut s, &c, input(2), m.as_mut_ptr()));
            let mut x = input([1.0f64, 2.0]);
            let mut w = [0.0f64; 6];
            let mut gn = 0.0f64;
            out(lossmap_sam_step_f64(
                Some(loss64),
                null_mut(),
                x.as_mut_ptr(),
                input(2),
                input(0.05),
                input(LOSSMAP_OPTIMIZER_SGD),
                input(&mut s as *mut LossmapSgd<f64> as *mut c_void),
                w.as_mut_ptr(),
                &mut gn,
            ));
            let d = input([1.0f64, 2.0]);
            out(lossmap_precondition_diag_f64(
                x.as_mut_ptr(),
                d.as_ptr(),
                input(2),
                input(0.1),
            ));
            out((x, gn, m));
        }
    }
}
