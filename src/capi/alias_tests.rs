//! Regression tests for the C ABI's pointer checks: optional and scalar out-parameters and struct
//! arguments take part in the alignment and overlap checks, on entry, before anything is
//! written or any callback is called.
//!
//! Every buffer and struct of a call lives in one arena, so "nothing the caller owns changed"
//! is a byte-for-byte comparison of the arena before and after.

use super::diff::{lossmap_gradient_central_f64, lossmap_model_value_f64};
use super::driver::{lossmap_minimize_ex_f64, lossmap_minimize_stochastic_f64};
use super::driver::{LOSSMAP_OPTIMIZER_ADAM, LOSSMAP_OPTIMIZER_SGD};
use super::optim::{
    lossmap_adam_config_default_f64, lossmap_adam_init_f64, lossmap_adam_step_f64,
    lossmap_minimize_adam_f64, lossmap_stop_default_f64, LossmapAdam, LossmapReport,
};
use super::optimizers::{lossmap_sgd_config_default_f64, lossmap_sgd_init_f64, LossmapSgd};
use super::status::{LOSSMAP_ERR_ALIASED, LOSSMAP_ERR_LENGTH, LOSSMAP_ERR_NULL, LOSSMAP_OK};
use crate::optim::{StochasticConfig, Stop};
use crate::random::SplitMix64;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::mem::size_of;
use core::ptr::{null_mut, write};

const WORDS: usize = 256;

/// 8-byte aligned caller memory. Every pointer into it derives from the one raw pointer of
/// the cell, so handing out a second pointer never invalidates the first (as a C caller's
/// pointers into one array do not).
struct Arena(UnsafeCell<[u64; WORDS]>);

impl Arena {
    fn new() -> Self {
        // A recognizable, non-zero pattern.
        let mut w = [0u64; WORDS];
        for (i, v) in w.iter_mut().enumerate() {
            *v = 0x0123_4567_89ab_cdef ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        Arena(UnsafeCell::new(w))
    }
    fn base(&self) -> *mut u64 {
        self.0.get() as *mut u64
    }
    /// A pointer `word` words (8 bytes) into the arena.
    fn at<S>(&self, word: usize) -> *mut S {
        assert!(word < WORDS);
        // SAFETY: in bounds.
        unsafe { self.base().add(word) as *mut S }
    }
    /// A pointer `bytes` bytes into the arena (possibly misaligned for `S`).
    fn byte<S>(&self, bytes: usize) -> *mut S {
        assert!(bytes < WORDS * 8);
        // SAFETY: in bounds.
        unsafe { (self.base() as *mut u8).add(bytes) as *mut S }
    }
    /// Writes `v` at `word`.
    fn put<S>(&self, word: usize, v: S) -> *mut S {
        assert!(word * 8 + size_of::<S>() <= WORDS * 8);
        let p = self.at::<S>(word);
        // SAFETY: in bounds and aligned (8-byte arena, every struct here has align ≤ 8).
        unsafe { write(p, v) };
        p
    }
    fn words(&self) -> [u64; WORDS] {
        // SAFETY: no call is running; the arena is read whole.
        unsafe { *self.0.get() }
    }
}

/// Σ xᵢ², counting its calls in `*ctx` (a `usize` outside the arena).
unsafe extern "C" fn quad(x: *const f64, n: usize, ctx: *mut c_void) -> f64 {
    // SAFETY: the test passes a valid counter and `n` values.
    unsafe {
        *(ctx as *mut usize) += 1;
        core::slice::from_raw_parts(x, n)
            .iter()
            .map(|v| v * v)
            .sum()
    }
}

/// (x₀ − sample)², counting its calls.
unsafe extern "C" fn sample_quad(x: *const f64, n: usize, i: usize, ctx: *mut c_void) -> f64 {
    // SAFETY: as for `quad`.
    unsafe {
        *(ctx as *mut usize) += 1;
        let x = core::slice::from_raw_parts(x, n);
        (x[0] - i as f64) * (x[0] - i as f64)
    }
}

/// An Adam instance for `n` = 2 at word `s`, moments at words `m`, `v`. Initialized in a
/// local and stored field by field, as a C program assigning the fields would: the padding
/// bytes keep the arena's pattern (a whole-struct store would leave them uninitialized in
/// Rust's memory model, and the byte-for-byte comparisons could not read them under Miri).
fn adam(a: &Arena, s: usize, m: usize, v: usize) -> *mut LossmapAdam<f64> {
    let cfg = lossmap_adam_config_default_f64();
    let (sp, mp, vp) = (a.at::<LossmapAdam<f64>>(s), a.at(m), a.at(v));
    let mut local = core::mem::MaybeUninit::<LossmapAdam<f64>>::uninit();
    // SAFETY: valid, disjoint memory.
    assert_eq!(
        unsafe { lossmap_adam_init_f64(local.as_mut_ptr(), &cfg, 2, mp, vp) },
        LOSSMAP_OK
    );
    // SAFETY: initialized by the call above; `sp` is aligned arena memory.
    unsafe {
        let l = local.assume_init();
        // The config too has padding (after `maximize`): field by field.
        core::ptr::addr_of_mut!((*sp).config.lr).write(l.config.lr);
        core::ptr::addr_of_mut!((*sp).config.beta1).write(l.config.beta1);
        core::ptr::addr_of_mut!((*sp).config.beta2).write(l.config.beta2);
        core::ptr::addr_of_mut!((*sp).config.eps).write(l.config.eps);
        core::ptr::addr_of_mut!((*sp).config.weight_decay).write(l.config.weight_decay);
        core::ptr::addr_of_mut!((*sp).config.maximize).write(l.config.maximize);
        core::ptr::addr_of_mut!((*sp).step).write(l.step);
        core::ptr::addr_of_mut!((*sp).n).write(l.n);
        core::ptr::addr_of_mut!((*sp).m).write(l.m);
        core::ptr::addr_of_mut!((*sp).v).write(l.v);
    }
    sp
}

#[test]
fn evals_aliased_onto_the_gradient_is_refused_untouched() {
    let a = Arena::new();
    let mut calls = 0usize;
    let ctx = &mut calls as *mut usize as *mut c_void;
    let x = a.put(0, [0.5f64, -1.0]) as *const f64;
    let (work, grad) = (a.at::<f64>(4), a.at::<f64>(16));
    let before = a.words();
    // gradient_central_f64(f, ctx, x, 2, work, grad, (size_t *)&grad[0])
    let r = unsafe { lossmap_gradient_central_f64(Some(quad), ctx, x, 2, work, grad, grad.cast()) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(a.words(), before);
    assert_eq!(calls, 0);
    // Onto x and onto work too.
    for evals in [a.at::<usize>(1), a.at::<usize>(5)] {
        let r = unsafe { lossmap_gradient_central_f64(Some(quad), ctx, x, 2, work, grad, evals) };
        assert_eq!(r, LOSSMAP_ERR_ALIASED);
    }
    assert_eq!(a.words(), before);
    assert_eq!(calls, 0);
    // Control: apart, it works and counts.
    let evals = a.at::<usize>(30);
    let r = unsafe { lossmap_gradient_central_f64(Some(quad), ctx, x, 2, work, grad, evals) };
    assert_eq!(r, LOSSMAP_OK);
    assert_eq!(unsafe { *evals }, 4);
}

#[test]
fn misaligned_evals_is_null_untouched() {
    let a = Arena::new();
    let mut calls = 0usize;
    let ctx = &mut calls as *mut usize as *mut c_void;
    let x = a.put(0, [0.5f64, -1.0]) as *const f64;
    let (work, grad) = (a.at::<f64>(4), a.at::<f64>(16));
    let evals = a.byte::<usize>(30 * 8 + 1);
    let before = a.words();
    let r = unsafe { lossmap_gradient_central_f64(Some(quad), ctx, x, 2, work, grad, evals) };
    assert_eq!(r, LOSSMAP_ERR_NULL);
    assert_eq!(a.words(), before);
    assert_eq!(calls, 0);
}

#[test]
fn model_value_out_aliased_or_misaligned_is_refused() {
    let a = Arena::new();
    let g = a.put(0, [1.0f64, 2.0]) as *const f64;
    let h = a.put(2, [1.0f64, 0.0, 0.0, 1.0]) as *const f64;
    let p = a.put(6, [0.5f64, 0.5]) as *const f64;
    let before = a.words();
    let r = unsafe { lossmap_model_value_f64(g, h, p, 2, a.at(3)) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    let r = unsafe { lossmap_model_value_f64(g, h, p, 2, a.byte(20 * 8 + 4)) };
    assert_eq!(r, LOSSMAP_ERR_NULL);
    assert_eq!(a.words(), before);
}

#[test]
fn x_overlapping_stop_in_minimize_adam_is_refused_untouched() {
    let a = Arena::new();
    let mut calls = 0usize;
    let ctx = &mut calls as *mut usize as *mut c_void;
    let s = adam(&a, 40, 10, 12);
    let stop = a.put(100, lossmap_stop_default_f64()) as *const Stop<f64>;
    let work = a.at::<f64>(20);
    // x = the first two words of the stop rules.
    let x = a.at::<f64>(100);
    let before = a.words();
    let r = unsafe { lossmap_minimize_adam_f64(Some(quad), ctx, x, 2, s, stop, work, null_mut()) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(a.words(), before);
    assert_eq!(calls, 0);
    // The same through the general driver.
    let r = unsafe {
        lossmap_minimize_ex_f64(
            Some(quad),
            ctx,
            x,
            2,
            LOSSMAP_OPTIMIZER_ADAM,
            s.cast(),
            null_mut(),
            None,
            null_mut(),
            stop,
            work,
            null_mut(),
        )
    };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(a.words(), before);
    assert_eq!(calls, 0);
}

#[test]
fn report_overlapping_x_or_the_instance_is_refused_untouched() {
    let a = Arena::new();
    let mut calls = 0usize;
    let ctx = &mut calls as *mut usize as *mut c_void;
    let s = adam(&a, 40, 10, 12);
    let stop = a.put(100, lossmap_stop_default_f64()) as *const Stop<f64>;
    let x = a.put(0, [0.5f64, -1.0]) as *mut f64;
    let work = a.at::<f64>(20);
    let before = a.words();
    // report on x, on the instance, on the moments, on the stop rules, misaligned.
    let bad: [(*mut LossmapReport<f64>, i32); 5] = [
        (a.at(0), LOSSMAP_ERR_ALIASED),
        (a.at(41), LOSSMAP_ERR_ALIASED),
        (a.at(12), LOSSMAP_ERR_ALIASED),
        (a.at(100), LOSSMAP_ERR_ALIASED),
        (a.byte(160 * 8 + 4), LOSSMAP_ERR_NULL),
    ];
    for (report, code) in bad {
        let r = unsafe { lossmap_minimize_adam_f64(Some(quad), ctx, x, 2, s, stop, work, report) };
        assert_eq!(r, code);
        let r = unsafe {
            lossmap_minimize_ex_f64(
                Some(quad),
                ctx,
                x,
                2,
                LOSSMAP_OPTIMIZER_ADAM,
                s.cast(),
                null_mut(),
                None,
                null_mut(),
                stop,
                work,
                report,
            )
        };
        assert_eq!(r, code);
        assert_eq!(a.words(), before);
        assert_eq!(calls, 0);
    }
    // Control: a report of its own.
    let report = a.at::<LossmapReport<f64>>(160);
    let r = unsafe { lossmap_minimize_adam_f64(Some(quad), ctx, x, 2, s, stop, work, report) };
    assert_eq!(r, LOSSMAP_OK);
    assert!(calls > 0);
}

#[test]
fn optimizer_instance_overlapping_x_or_its_own_buffers_is_refused() {
    let a = Arena::new();
    let s = adam(&a, 40, 10, 12);
    let g = a.put(2, [1.0f64, 1.0]) as *const f64;
    let before = a.words();
    // x on the instance struct.
    let r = unsafe { lossmap_adam_step_f64(s, a.at(41), g, 2) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(a.words(), before);
    // An instance whose moment buffer lies inside the instance struct itself.
    let cfg = lossmap_adam_config_default_f64();
    let b = Arena::new();
    let before = b.words();
    let (sp, mp, vp) = (b.at(40), b.at(42), b.at(60));
    let r = unsafe { lossmap_adam_init_f64(sp, &cfg, 2, mp, vp) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(b.words(), before);
    // SGD: config struct overlapping the instance being initialized.
    let c = Arena::new();
    // Stored field by field: the config has padding after `nesterov` (see `adam`).
    let cfg = c.at::<crate::optim::SgdConfig<f64>>(40);
    let d = lossmap_sgd_config_default_f64();
    // SAFETY: aligned arena memory.
    unsafe {
        core::ptr::addr_of_mut!((*cfg).lr).write(d.lr);
        core::ptr::addr_of_mut!((*cfg).momentum).write(d.momentum);
        core::ptr::addr_of_mut!((*cfg).dampening).write(d.dampening);
        core::ptr::addr_of_mut!((*cfg).weight_decay).write(d.weight_decay);
        core::ptr::addr_of_mut!((*cfg).nesterov).write(d.nesterov);
        core::ptr::addr_of_mut!((*cfg).maximize).write(d.maximize);
    }
    let before = c.words();
    let r = unsafe { lossmap_sgd_init_f64(c.at::<LossmapSgd<f64>>(41), cfg, 2, c.at(10)) };
    assert_eq!(r, LOSSMAP_ERR_ALIASED);
    assert_eq!(c.words(), before);
    let _ = LOSSMAP_OPTIMIZER_SGD;
}

#[test]
fn rng_overlapping_adams_v_in_the_stochastic_driver_is_refused_untouched() {
    let a = Arena::new();
    let mut calls = 0usize;
    let ctx = &mut calls as *mut usize as *mut c_void;
    let s = adam(&a, 40, 10, 12);
    // Stored field by field: the config has padding after `drop_last` (see `adam`).
    let cp = a.at::<StochasticConfig>(100);
    // SAFETY: aligned arena memory.
    unsafe {
        core::ptr::addr_of_mut!((*cp).batch).write(2);
        core::ptr::addr_of_mut!((*cp).epochs).write(3);
        core::ptr::addr_of_mut!((*cp).drop_last).write(0);
    }
    let config = cp as *const StochasticConfig;
    let x = a.put(0, [0.5f64, -1.0]) as *mut f64;
    let (perm, work) = (a.at::<usize>(110), a.at::<f64>(20));
    // rng = v[1]
    let rng = a.put(13, SplitMix64::new(7));
    let before = a.words();
    let run = |rng: *mut SplitMix64, config: *const StochasticConfig, perm: *mut usize| unsafe {
        lossmap_minimize_stochastic_f64(
            Some(sample_quad),
            None,
            ctx,
            4,
            x,
            2,
            LOSSMAP_OPTIMIZER_ADAM,
            s.cast(),
            null_mut(),
            None,
            null_mut(),
            config,
            rng,
            perm,
            work,
            null_mut(),
        )
    };
    assert_eq!(run(rng, config, perm), LOSSMAP_ERR_ALIASED);
    assert_eq!(a.words(), before);
    assert_eq!(unsafe { *(ctx as *const usize) }, 0);
    // rng on the instance struct, on x, on the configuration; perm on the configuration.
    for (g, c, p) in [
        (a.at(41), config, perm),
        (a.at(0), config, perm),
        (a.at(100), config, perm),
        (a.at(120), config, a.at(100)),
    ] {
        assert_eq!(run(g, c, p), LOSSMAP_ERR_ALIASED);
        assert_eq!(a.words(), before);
    }
    // A misaligned generator.
    assert_eq!(run(a.byte(120 * 8 + 2), config, perm), LOSSMAP_ERR_NULL);
    assert_eq!(a.words(), before);
    assert_eq!(unsafe { *(ctx as *const usize) }, 0);
    // Control: a generator of its own.
    let rng = a.put(120, SplitMix64::new(7));
    assert_eq!(run(rng, config, perm), LOSSMAP_OK);
}

#[test]
fn adam_step_length_mismatch_is_its_own_status_with_adjacent_moments() {
    let a = Arena::new();
    // Moments of 2 at words 10 and 12: a call's n = 3 would make them overlap.
    let s = adam(&a, 40, 10, 12);
    let x = a.put(0, [0.5f64, -1.0, 0.25]) as *mut f64;
    let g = a.put(4, [1.0f64, 2.0, 3.0]) as *const f64;
    let before = a.words();
    for n in [1, 3] {
        // SAFETY: arena memory of at least n values for x and g.
        let r = unsafe { lossmap_adam_step_f64(s, x, g, n) };
        assert_eq!(r, LOSSMAP_ERR_LENGTH, "n = {n}");
        assert_eq!(a.words(), before);
    }
    // The instance's own n changed by hand (to 0 and to 3): the mismatch again.
    for sn in [0usize, 3] {
        // SAFETY: aligned arena memory.
        unsafe { core::ptr::addr_of_mut!((*s).n).write(sn) };
        let before = a.words();
        // SAFETY: as above.
        let r = unsafe { lossmap_adam_step_f64(s, x, g, 2) };
        assert_eq!(r, LOSSMAP_ERR_LENGTH, "s.n = {sn}");
        assert_eq!(a.words(), before);
    }
}
