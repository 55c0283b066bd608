//! Regression tests for issue 12 (items 3, 6, 10): drivers validate everything before they draw
//! a random number, report no inf as Ok, and tell bad input from an objective that failed.
#![cfg(feature = "capi")]

use core::ffi::c_void;
use core::ptr::null_mut;
use lossmap::capi::*;
use lossmap::optim::{
    minimize_stochastic, Adam, AdamConfig, PerSample, Sgd, SgdConfig, StochasticConfig,
};
use lossmap::random::SplitMix64;
use lossmap::Error;
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

const CFG: StochasticConfig = StochasticConfig {
    batch: 2,
    epochs: 2,
    drop_last: 0,
};

#[test]
fn rust_stochastic_refuses_a_bad_optimizer_before_shuffling() {
    let mut obj = PerSample(|x: &[f64], i: usize| (x[0] - i as f64).powi(2));
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
    sgd.config.momentum = f64::NAN;
    let mut adam = Adam::<f64, 1>::new(AdamConfig::default()).unwrap();
    adam.config.beta1 = f64::NAN;
    let opts: [&mut dyn lossmap::optim::Optimizer<f64>; 2] = [&mut sgd, &mut adam];
    for opt in opts {
        let mut rng = XorShiftRng::seed_from_u64(1);
        let mut twin = rng.clone();
        let (mut x, mut perm) = ([0.5f64], [7usize; 4]);
        let r = minimize_stochastic(&mut obj, &mut x, opt, &mut perm, &CFG, &mut rng, None, None);
        assert_eq!(r, Err(Error::InvalidParameter));
        assert_eq!((x, perm), ([0.5], [7; 4]));
        assert_eq!(rng.next_u64(), twin.next_u64(), "generator untouched");
    }
}

unsafe extern "C" fn sample_loss(x: *const f64, n: usize, i: usize, _: *mut c_void) -> f64 {
    let s = unsafe { core::slice::from_raw_parts(x, n) };
    (s[0] - i as f64).powi(2)
}

unsafe extern "C" fn huge_sample_loss(_: *const f64, _: usize, _: usize, _: *mut c_void) -> f64 {
    1.5e308
}

/// A C stochastic run with Adam of hyperparameters `cfg` and optimizer kind `kind`.
fn c_stochastic(
    kind: i32,
    cfg: AdamConfig<f64>,
    loss: lossmap_sample_loss_f64,
    x: &mut [f64; 1],
    rng: &mut SplitMix64,
    perm: &mut [usize; 4],
    report: &mut LossmapStochasticReport<f64>,
) -> i32 {
    let (mut m, mut v) = ([0.0f64], [0.0f64]);
    let mut s = core::mem::MaybeUninit::<LossmapAdam<f64>>::uninit();
    let good = lossmap_adam_config_default_f64();
    let rc =
        unsafe { lossmap_adam_init_f64(s.as_mut_ptr(), &good, 1, m.as_mut_ptr(), v.as_mut_ptr()) };
    assert_eq!(rc, LOSSMAP_OK);
    let mut s = unsafe { s.assume_init() };
    s.config = cfg;
    let mut work = [0.0f64; 3];
    unsafe {
        lossmap_minimize_stochastic_f64(
            loss,
            None,
            null_mut(),
            4,
            x.as_mut_ptr(),
            1,
            kind,
            (&mut s as *mut LossmapAdam<f64>).cast(),
            null_mut(),
            None,
            null_mut(),
            &CFG,
            rng,
            perm.as_mut_ptr(),
            work.as_mut_ptr(),
            report,
        )
    }
}

fn zero_report() -> LossmapStochasticReport<f64> {
    // SAFETY: a plain C struct of integers and floats; all-zero is a valid value.
    unsafe { core::mem::zeroed() }
}

#[test]
fn c_stochastic_refuses_a_bad_optimizer_before_shuffling() {
    let good = lossmap_adam_config_default_f64();
    let bad = AdamConfig {
        beta1: f64::NAN,
        ..good
    };
    for (kind, cfg) in [(LOSSMAP_OPTIMIZER_ADAM, bad), (99, good)] {
        let mut rng = SplitMix64::new(5);
        let (mut x, mut perm) = ([0.5f64], [7usize; 4]);
        let mut rep = zero_report();
        let rc = c_stochastic(
            kind,
            cfg,
            Some(sample_loss),
            &mut x,
            &mut rng,
            &mut perm,
            &mut rep,
        );
        assert_eq!(rc, LOSSMAP_ERR_PARAM);
        assert_eq!(rng.state, 5, "generator untouched");
        assert_eq!((x, perm), ([0.5], [7; 4]));
        assert_eq!(rep.steps, 0);
    }
}

#[test]
fn stochastic_epoch_mean_does_not_overflow() {
    // Every sample loss is 1.5e308: the epoch mean is 1.5e308, not inf.
    let mut rng = SplitMix64::new(5);
    let (mut x, mut perm) = ([0.5f64], [7usize; 4]);
    let mut rep = zero_report();
    let good = lossmap_adam_config_default_f64();
    let rc = c_stochastic(
        LOSSMAP_OPTIMIZER_ADAM,
        good,
        Some(huge_sample_loss),
        &mut x,
        &mut rng,
        &mut perm,
        &mut rep,
    );
    assert_eq!(rc, LOSSMAP_OK);
    assert!(
        rep.epoch_loss.is_finite(),
        "epoch_loss = {}",
        rep.epoch_loss
    );
    assert!((rep.epoch_loss - 1.5e308).abs() <= 1e-12 * 1.5e308);
    // The Rust driver, f32 with 3e38 per sample.
    let mut obj = PerSample(|_: &[f32], _: usize| 3e38f32);
    let mut sgd = Sgd::<f32, 1>::new(SgdConfig::default()).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(1);
    let r = minimize_stochastic(
        &mut obj,
        &mut [0.5f32],
        &mut sgd,
        &mut [0usize; 4],
        &CFG,
        &mut rng,
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.epoch_loss, 3e38);
}
