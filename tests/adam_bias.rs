//! Adam's bias-correction cache (`AdamBias`, in `Adam`, `AdamW`, their views and the C
//! instances): a cache written by hand is refused with `InvalidParameter` and nothing written,
//! by `validate` at once (so drivers refuse it before the objective runs) and by the step that
//! would use a bad correction (a bad stored correction: the next step; a bad power, which gives
//! the corrections of the step after: that step, the next running on the stored ones); a cache
//! whose key (step count, β₁, β₂) is not the state's is recomputed, so a changed β or step count
//! gives the step of a fresh cache; `reset` and the C init functions empty it.
#![cfg(feature = "capi")]

use core::ffi::c_void;
use lossmap::capi::*;
use lossmap::optim::{adam_step, Adam, AdamBias, AdamConfig, AdamW, AdamWConfig, Optimizer, Stop};
use lossmap::{Error, Real};

/// Values no cache may hold in either form (running products, `ln β`): NaN, +∞, and values
/// whose correction is negative (2: 1 − 2β < 0 as a product, −expm1(2t) < 0 as a log).
fn bad_values<T: Real>() -> [T; 4] {
    [
        T::NAN_R,
        T::from_f64(f64::INFINITY),
        T::TWO,
        T::from_f64(1e30),
    ]
}

const G: [[f64; 2]; 4] = [[0.5, -1.0], [0.25, 2.0], [-0.75, 0.5], [1.0, 1.0]];

fn grad<T: Real>(k: usize) -> [T; 2] {
    G[k % G.len()].map(T::from_f64)
}

fn corrupt<T: Real>(b: &AdamBias<T>, which: usize, v: T) -> AdamBias<T> {
    let mut c = *b;
    match which {
        0 => c.c1[0] = v,
        1 => c.c2[0] = v,
        2 => c.c1[1] = v,
        3 => c.c2[1] = v,
        4 => c.bc1 = v,
        _ => c.bc2_sqrt = v,
    }
    c
}

/// `validate` of both optimizers.
fn va_vw<T: Real, const N: usize>(
    a: &Adam<T, N>,
    w: &AdamW<T, N>,
) -> (Result<(), Error>, Result<(), Error>) {
    (a.validate(), w.validate())
}

fn refuses_bad_caches<T: Real + core::fmt::Debug>() {
    let mut adam = Adam::<T, 2>::default();
    let mut adamw = AdamW::<T, 2>::new(AdamWConfig {
        amsgrad: 1,
        ..AdamWConfig::default()
    })
    .unwrap();
    let (mut x, mut y) = ([T::ONE, -T::ONE], [T::ONE, -T::ONE]);
    for k in 0..3 {
        adam.step(&mut x, &grad(k)).unwrap();
        adamw.step(&mut y, &grad(k)).unwrap();
    }
    assert_eq!((adam.bias.t, adamw.bias.t), (3, 3));
    // The uncorrupted next step.
    let (mut xg, mut yg) = (x, y);
    let (mut ag, mut wg) = (adam, adamw);
    ag.step(&mut xg, &grad(3)).unwrap();
    wg.step(&mut yg, &grad(3)).unwrap();
    // By their Debug forms, which tell NaN bits apart no worse than `==` and compare a NaN with
    // itself.
    let dbg = |v: &dyn core::fmt::Debug| format!("{v:?}");
    let products = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));
    for which in 0..6 {
        for v in bad_values::<T>() {
            let (mut a, mut w) = (adam, adamw);
            a.bias = corrupt(&adam.bias, which, v);
            w.bias = corrupt(&adamw.bias, which, v);
            // c1[1], c2[1] are only read by f32 products (x86_64, aarch64), bc1 and bc2_sqrt
            // only by products (f64, and f32 there); elsewhere a bad value there is ignored,
            // and the step is the uncorrupted one.
            let f32_products = !T::IS_F64 && products;
            let read = match which {
                0 | 1 => true,
                2 | 3 => f32_products,
                _ => T::IS_F64 || products,
            };
            // f32 products hold an f64's bit pattern in c1, c2: the elements holding its low
            // 32 bits (c1[0], c2[0] on a little-endian target) change the power by less than
            // 2⁻²⁰ relative whatever they hold, so it stays a valid power, never refused (a
            // wrong step at worst): the next step, on the stored corrections, is the
            // uncorrupted one, and the one after it is finite.
            let low = if cfg!(target_endian = "little") {
                which < 2
            } else {
                (2..4).contains(&which)
            };
            if f32_products && low {
                let (mut xa, mut yw) = (x, y);
                assert_eq!(va_vw(&a, &w), (Ok(()), Ok(())), "{which} {v:?}");
                assert_eq!(
                    (a.step(&mut xa, &grad(3)), w.step(&mut yw, &grad(3))),
                    (Ok(()), Ok(()))
                );
                assert_eq!((xa, yw), (xg, yg), "{which} {v:?}");
                assert_eq!(
                    (a.step(&mut xa, &grad(4)), w.step(&mut yw, &grad(4))),
                    (Ok(()), Ok(()))
                );
                assert!(xa.iter().chain(&yw).all(|e| e.is_finite()));
                continue;
            }
            // A bad power is refused by the step after the next where the cache holds the next
            // step's corrections (products): the next step runs on the corrections it holds.
            let late = which < 4 && (T::IS_F64 || products);
            let (va, vw) = (a.validate(), w.validate());
            if !read {
                let (mut xa, mut yw) = (x, y);
                assert_eq!((va, vw), (Ok(()), Ok(())));
                assert_eq!(
                    (a.step(&mut xa, &grad(3)), w.step(&mut yw, &grad(3))),
                    (Ok(()), Ok(()))
                );
                assert_eq!((xa, yw), (xg, yg));
                continue;
            }
            // `validate` refuses what the next step refuses, no more: a bad power held for the
            // step after passes it, and is refused (by both) after the next step.
            let refused = (Err(Error::InvalidParameter), Err(Error::InvalidParameter));
            if late {
                assert_eq!((va, vw), (Ok(()), Ok(())), "{which} {v:?}");
            } else {
                assert_eq!((va, vw), refused, "{which} {v:?}");
            }
            let (mut xa, mut yw) = (x, y);
            if late {
                assert_eq!(a.step(&mut xa, &grad(3)), Ok(()), "{which} {v:?}");
                assert_eq!(w.step(&mut yw, &grad(3)), Ok(()), "{which} {v:?}");
                assert_eq!((xa, yw), (xg, yg), "{which} {v:?}");
                assert_eq!((a.validate(), w.validate()), refused, "{which} {v:?}");
            }
            let (a0, w0, x0, y0) = (a, w, xa, yw);
            assert_eq!(
                a.step(&mut xa, &grad(4)),
                Err(Error::InvalidParameter),
                "{which} {v:?}"
            );
            assert_eq!(
                w.step(&mut yw, &grad(4)),
                Err(Error::InvalidParameter),
                "{which} {v:?}"
            );
            assert_eq!(
                dbg(&(a, xa)),
                dbg(&(a0, x0)),
                "Adam changed on a refused cache"
            );
            assert_eq!(
                dbg(&(w, yw)),
                dbg(&(w0, y0)),
                "AdamW changed on a refused cache"
            );
            assert_eq!(
                (a.validate(), w.validate()),
                (Err(Error::InvalidParameter), Err(Error::InvalidParameter))
            );
        }
    }
}

#[test]
fn a_cache_written_by_hand_is_refused_and_nothing_changes() {
    refuses_bad_caches::<f32>();
    refuses_bad_caches::<f64>();
}

/// The step of a fresh (empty) cache on the same state: the reference for a recomputed one.
fn fresh_step<T: Real>(a: &Adam<T, 2>, x: &[T; 2], g: &[T; 2]) -> [T; 2] {
    let (mut t, mut m, mut v, mut x) = (a.t, a.m, a.v, *x);
    let mut bias = AdamBias::EMPTY;
    adam_step(&a.config, &mut t, &mut bias, &mut m, &mut v, &mut x, g).unwrap();
    x
}

fn close<T: Real>(a: [T; 2], b: [T; 2], tol: f64) -> bool {
    a.iter()
        .zip(&b)
        .all(|(p, q)| (p.to_f64() - q.to_f64()).abs() <= tol * q.to_f64().abs())
}

fn stale_keys_are_recomputed<T: Real + core::fmt::Debug>(tol: f64) {
    let mut adam = Adam::<T, 2>::default();
    let mut x = [T::ONE, -T::ONE];
    for k in 0..5 {
        adam.step(&mut x, &grad(k)).unwrap();
    }
    // A key that is not the state's, with values that would be refused under a matching one.
    let garbage = |t: u32, b1: f64, b2: f64| AdamBias {
        t,
        beta1: T::from_f64(b1),
        beta2: T::from_f64(b2),
        bc1: T::NAN_R,
        bc2_sqrt: T::NAN_R,
        c1: [T::NAN_R; 2],
        c2: [T::NAN_R; 2],
    };
    let g = grad(5);
    let want = fresh_step(&adam, &x, &g);
    for bias in [
        garbage(4, 0.9, 0.999),
        garbage(5, 0.5, 0.999),
        garbage(5, 0.9, 0.5),
        AdamBias::EMPTY,
    ] {
        let mut a = adam;
        a.bias = bias;
        assert_eq!(a.validate(), Ok(()));
        let mut y = x;
        a.step(&mut y, &g).unwrap();
        assert_eq!(y, want, "{bias:?}");
        assert_eq!((a.t, a.bias.t), (6, 6));
    }
    // The running cache agrees with the fresh one (to the rounding of the products).
    let mut y = x;
    let mut a = adam;
    a.step(&mut y, &g).unwrap();
    assert!(close(y, want, tol), "{y:?} vs {want:?}");
    // A β changed between steps (set_momentum) and a step count set by hand: recomputed.
    let mut a = adam;
    a.set_momentum(T::from_f64(0.5)).unwrap();
    let (mut y, want) = (x, fresh_step(&a, &x, &g));
    a.step(&mut y, &g).unwrap();
    assert_eq!(y, want);
    let mut a = adam;
    a.t = 0;
    let (mut y, want) = (x, fresh_step(&a, &x, &g));
    a.step(&mut y, &g).unwrap();
    assert_eq!((y, a.t), (want, 1));
    // reset empties the cache.
    let mut a = adam;
    a.reset();
    assert_eq!((a.t, a.bias), (0, AdamBias::EMPTY));
}

#[test]
fn a_stale_key_recomputes_the_cache() {
    stale_keys_are_recomputed::<f32>(1e-6);
    stale_keys_are_recomputed::<f64>(1e-15);
}

unsafe extern "C" fn counting(x: *const f64, n: usize, ctx: *mut c_void) -> f64 {
    // SAFETY: the driver passes n values and the counter given below.
    unsafe {
        *(ctx as *mut usize) += 1;
        core::slice::from_raw_parts(x, n)
            .iter()
            .map(|a| a * a)
            .sum()
    }
}

#[test]
fn c_instances_empty_the_cache_and_refuse_a_bad_one() {
    let code = Error::InvalidParameter.code();
    let cfg = AdamConfig::<f64>::default();
    let (mut m, mut v) = ([7.0f64; 2], [7.0f64; 2]);
    let mut s = core::mem::MaybeUninit::<LossmapAdam<f64>>::uninit();
    // SAFETY: every pointer is live and sized for n = 2.
    unsafe {
        assert_eq!(
            lossmap_adam_init_f64(s.as_mut_ptr(), &cfg, 2, m.as_mut_ptr(), v.as_mut_ptr()),
            0
        );
    }
    // SAFETY: initialized above.
    let s = unsafe { s.assume_init_mut() };
    assert_eq!((s.step, s.bias), (0, AdamBias::EMPTY));
    let mut x = [1.0f64, -1.0];
    // SAFETY: as above.
    unsafe {
        for k in 0..3 {
            assert_eq!(
                lossmap_adam_step_f64(s, x.as_mut_ptr(), grad::<f64>(k).as_ptr(), 2),
                0
            );
        }
    }
    assert_eq!(s.bias.t, 3);
    let good = s.bias;
    for v0 in bad_values::<f64>() {
        s.bias = corrupt(&good, 4, v0);
        let (bias0, x0, m0, v0s) = (s.bias, x, m, v);
        // SAFETY: as above.
        let rc = unsafe { lossmap_adam_step_f64(s, x.as_mut_ptr(), grad::<f64>(3).as_ptr(), 2) };
        assert_eq!(rc, code);
        assert_eq!(s.step, 3);
        assert_eq!(s.bias.t, bias0.t);
        assert!(s.bias.bc1.to_bits() == bias0.bc1.to_bits() && x == x0 && m == m0 && v == v0s);
        // The driver refuses it before the objective runs.
        let (stop, mut work, mut calls) = (Stop::<f64>::default(), [0.0f64; 4], 0usize);
        // SAFETY: as above; the callback reads n values and the counter.
        let rc = unsafe {
            lossmap_minimize_adam_f64(
                Some(counting),
                &mut calls as *mut usize as *mut c_void,
                x.as_mut_ptr(),
                2,
                s,
                &stop,
                work.as_mut_ptr(),
                core::ptr::null_mut(),
            )
        };
        assert_eq!((rc, calls, x), (code, 0, x0));
    }
    // AdamW: the same field, emptied by init, refused when corrupt.
    let acfg = AdamWConfig::<f64>::default();
    let (mut am, mut av) = ([7.0f64; 2], [7.0f64; 2]);
    let mut w = core::mem::MaybeUninit::<LossmapAdamW<f64>>::uninit();
    // SAFETY: as above; v_max may be null without AMSGrad.
    unsafe {
        let rc = lossmap_adamw_init_f64(
            w.as_mut_ptr(),
            &acfg,
            2,
            am.as_mut_ptr(),
            av.as_mut_ptr(),
            core::ptr::null_mut(),
        );
        assert_eq!(rc, 0);
    }
    // SAFETY: initialized above.
    let w = unsafe { w.assume_init_mut() };
    assert_eq!(w.bias, AdamBias::EMPTY);
    let mut y = [1.0f64, -1.0];
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            lossmap_adamw_step_f64(w, y.as_mut_ptr(), grad::<f64>(0).as_ptr(), 2),
            0
        )
    };
    w.bias.bc2_sqrt = f64::NAN;
    let y0 = (y, am, av);
    // SAFETY: as above.
    let rc = unsafe { lossmap_adamw_step_f64(w, y.as_mut_ptr(), grad::<f64>(1).as_ptr(), 2) };
    assert_eq!((rc, w.step), (code, 1));
    assert_eq!((y, am, av), y0);
}
