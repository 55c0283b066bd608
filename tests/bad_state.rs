//! Regression tests for issue 12 (items 3, 6, 10): drivers validate everything before they draw
//! a random number, report no inf as Ok, and tell bad input from an objective that failed.
#![cfg(feature = "capi")]

use core::ffi::c_void;
use core::ptr::null_mut;
use lossmap::capi::*;
use lossmap::optim::{
    minimize_stochastic, Adam, AdamConfig, Optimizer, PerSample, Sgd, SgdConfig, StochasticConfig,
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

mod global_mid_run {
    use super::*;
    use lossmap::global::{
        anneal_slice, replica_exchange_slice, Annealer, AnnealingConfig, AnnealingState,
        BasinHopper, Bounds, Budget, Genetic, GeneticConfig, HoppingConfig, MultiStart,
        ProjectedGradient, ReplicaConfig, ReplicaExchange, ReplicaState,
    };
    use lossmap::landscape::Tolerance;
    use lossmap::objective::FnSlice;

    /// A bowl that is `bad` (−∞, +∞ or NaN) on the patch x₀ > 0.6 of the box: finite at the
    /// starts.
    fn pit(bad: f64) -> impl FnMut(&[f64; 2]) -> f64 {
        move |x: &[f64; 2]| {
            if x[0] > 0.6 {
                bad
            } else {
                x[0] * x[0] + x[1] * x[1]
            }
        }
    }

    #[test]
    fn every_global_driver_rejects_a_non_finite_proposal_and_goes_on() {
        let b = Bounds::new(&[-1.0, -1.0], &[1.0, 1.0]).unwrap();
        for bad in [f64::NEG_INFINITY, f64::INFINITY, f64::NAN] {
            let mut pg = ProjectedGradient::default();
            let mut rng = XorShiftRng::seed_from_u64(1);
            let ok = |r: Result<f64, Error>, who: &str| {
                let v = r.unwrap_or_else(|e| panic!("{who} with {bad}: {e:?}"));
                assert!(v.is_finite() && v < 1e-6, "{who} with {bad}: {v}");
            };
            let mut x = [0.5, 0.5];
            let mut sa = Annealer::<f64, 2>::new(AnnealingConfig::default()).unwrap();
            let r = sa.run(&mut pit(bad), &mut pg, &b, &mut rng, &mut x);
            ok(r.map(|r| r.best_loss), "annealing");
            assert!(x.iter().all(|v| v.is_finite()) && x[0] <= 0.6);
            let mut x = [0.5, 0.5];
            let mut pt = ReplicaExchange::<f64, 2, 4>::new(ReplicaConfig::default()).unwrap();
            let r = pt.run(&mut pit(bad), &mut pg, &b, &mut rng, &mut x);
            ok(r.map(|r| r.best_loss), "replica exchange");
            let mut x = [0.5, 0.5];
            let mut bh = BasinHopper::<f64, 2>::new(HoppingConfig::default()).unwrap();
            let r = bh.run(&mut pit(bad), &mut pg, &b, &mut rng, &mut x);
            ok(r.map(|r| r.best_loss), "basin hopping");
            let mut x = [0.5, 0.5];
            let mut ga = Genetic::<f64, 2, 8>::new(GeneticConfig::default()).unwrap();
            let r = ga.run(&mut pit(bad), &mut pg, &b, &mut rng, &mut x);
            ok(r.map(|r| r.best_loss), "genetic");
            let mut ms = MultiStart::<f64, 2, 1>::new(Budget::default()).unwrap();
            let r = ms.run(
                &mut pit(bad),
                &mut pg,
                &b,
                &[[0.5, 0.5]],
                &Tolerance::default(),
            );
            ok(r.map(|r| r.report.best_loss), "multistart");
        }
    }

    #[test]
    fn replica_exchange_slice_state_stays_finite_with_a_minus_inf_patch() {
        let b = Bounds::new(&[-1.0, -1.0], &[1.0, 1.0]).unwrap();
        let mut f = pit(f64::NEG_INFINITY);
        let mut obj = FnSlice(|x: &[f64]| f(&[x[0], x[1]]));
        let mut rng = XorShiftRng::seed_from_u64(9);
        let cfg = ReplicaConfig {
            budget: Budget {
                max_iter: 50,
                ..Budget::default()
            },
            ..ReplicaConfig::default()
        };
        let mut xs = [0.5, 0.5, 0.0, 0.0, -0.5, 0.5, 0.5, -0.5];
        let (mut e, mut t, mut best) = ([0.0; 4], [0.0; 4], [0.0; 2]);
        let (mut att, mut acc) = ([0usize; 3], [0usize; 3]);
        let (mut trial, mut work) = ([0.0; 2], [0.0; 6]);
        let r = replica_exchange_slice(
            &mut obj,
            &mut ProjectedGradient::default(),
            &mut rng,
            &b,
            &cfg,
            &mut xs,
            &mut e,
            &mut t,
            &mut ReplicaState {
                attempts: &mut att,
                accepts: &mut acc,
            },
            &mut best,
            &mut trial,
            &mut work,
        )
        .unwrap();
        assert!(r.best_loss.is_finite());
        assert!(e
            .iter()
            .chain(xs.iter())
            .chain(best.iter())
            .all(|v| v.is_finite()));
        // Annealing over slices likewise.
        let mut x = [0.5, 0.5];
        let mut st = AnnealingState::default();
        let r = anneal_slice(
            &mut obj,
            &mut ProjectedGradient::default(),
            &mut rng,
            &b,
            &AnnealingConfig::default(),
            &mut st,
            &mut x,
            &mut best,
            &mut trial,
            &mut work,
        );
        assert!(r.unwrap().best_loss.is_finite());
        assert!(st.current_loss.is_finite());
    }

    #[test]
    fn ladders_with_an_infinite_temperature_or_inverse_are_refused() {
        let c32 = ReplicaConfig::<f32>::default();
        let c64 = ReplicaConfig::<f64>::default();
        let mut t32 = [7.0f32; 4];
        for c in [
            ReplicaConfig {
                t_min: 1e-40,
                ..c32
            },
            ReplicaConfig { t_max: 1e38, ..c32 },
        ] {
            assert_eq!(c.validate(4), Err(Error::InvalidParameter));
            assert_eq!(c.ladder(&mut t32), Err(Error::InvalidParameter));
            assert_eq!(t32, [7.0; 4]);
        }
        let mut t64 = [7.0f64; 4];
        for tiny in [f64::MIN_POSITIVE / 2.0, 5e-324] {
            let c = ReplicaConfig { t_min: tiny, ..c64 };
            assert_eq!(c.ladder(&mut t64), Err(Error::InvalidParameter));
            assert_eq!(t64, [7.0; 4]);
        }
        // Subnormal but with a finite inverse and ratio: refused too.
        let c = ReplicaConfig {
            t_min: 1e-310,
            t_max: 1e-300,
            ..c64
        };
        assert_eq!(c.ladder(&mut t64), Err(Error::InvalidParameter));
        assert_eq!(t64, [7.0; 4]);
        // A wide but representable ladder is still fine.
        let c = ReplicaConfig {
            t_min: 1e-18,
            t_max: 1e18,
            ..c32
        };
        c.ladder(&mut t32).unwrap();
        assert!(t32.iter().all(|t| t.is_finite() && (1.0 / t).is_finite()));
        // And through the C ABI: LOSSMAP_ERR_PARAM, the generator untouched.
        let lower = [-1.0f32];
        let upper = [1.0f32];
        let cfg = ReplicaConfig {
            t_min: 1e-40,
            ..lossmap_replica_config_default_f32()
        };
        let mut rng = SplitMix64::new(3);
        let mut xs = [0.1f32, 0.2];
        let (mut e, mut t, mut best) = ([9.0f32; 2], [9.0f32; 2], [9.0f32]);
        let (mut att, mut acc) = ([9usize], [9usize]);
        let mut work = [0.0f32; 4];
        let rc = unsafe {
            lossmap_replica_exchange_f32(
                Some(sq32),
                null_mut(),
                lower.as_ptr(),
                upper.as_ptr(),
                1,
                &cfg,
                core::ptr::null(),
                &mut rng,
                xs.as_mut_ptr(),
                2,
                e.as_mut_ptr(),
                t.as_mut_ptr(),
                att.as_mut_ptr(),
                acc.as_mut_ptr(),
                best.as_mut_ptr(),
                work.as_mut_ptr(),
                null_mut(),
            )
        };
        assert_eq!(rc, LOSSMAP_ERR_PARAM);
        assert_eq!(
            (rng.state, xs, e, t, best, att, acc),
            (3, [0.1, 0.2], [9.0; 2], [9.0; 2], [9.0], [9], [9])
        );
    }

    unsafe extern "C" fn sq32(x: *const f32, n: usize, _: *mut c_void) -> f32 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s[0] * s[0]
    }

    unsafe extern "C" fn pit_c(x: *const f64, n: usize, _: *mut c_void) -> f64 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        if s[0] > 0.6 {
            f64::NEG_INFINITY
        } else {
            s[0] * s[0]
        }
    }

    #[test]
    fn c_replica_exchange_with_a_minus_inf_loss_mid_run_is_ok_and_finite() {
        let lower = [-1.0f64];
        let upper = [1.0f64];
        let cfg = lossmap_replica_config_default_f64();
        let mut rng = SplitMix64::new(3);
        let mut xs = [0.1f64, 0.2];
        let (mut e, mut t, mut best) = ([0.0f64; 2], [0.0f64; 2], [0.0f64]);
        let (mut att, mut acc) = ([0usize], [0usize]);
        let mut work = [0.0f64; 4];
        let rc = unsafe {
            lossmap_replica_exchange_f64(
                Some(pit_c),
                null_mut(),
                lower.as_ptr(),
                upper.as_ptr(),
                1,
                &cfg,
                core::ptr::null(),
                &mut rng,
                xs.as_mut_ptr(),
                2,
                e.as_mut_ptr(),
                t.as_mut_ptr(),
                att.as_mut_ptr(),
                acc.as_mut_ptr(),
                best.as_mut_ptr(),
                work.as_mut_ptr(),
                null_mut(),
            )
        };
        assert_eq!(rc, LOSSMAP_OK);
        assert!(xs.iter().chain(&e).chain(&best).all(|v| v.is_finite()));
        assert!(xs.iter().all(|&v| v <= 0.6));
    }
}

/// Counts calls; `ctx` points at a `usize`.
unsafe extern "C" fn counting_loss(x: *const f64, n: usize, ctx: *mut c_void) -> f64 {
    unsafe { *(ctx as *mut usize) += 1 };
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    x.iter().map(|v| v * v).sum()
}

unsafe extern "C" fn counting_grad(x: *const f64, n: usize, g: *mut f64, ctx: *mut c_void) -> i32 {
    unsafe { *(ctx as *mut usize) += 1 };
    for i in 0..n {
        unsafe { *g.add(i) = 2.0 * *x.add(i) };
    }
    0
}

#[test]
fn derivative_entry_points_refuse_nan_before_touching_scratch() {
    type Value = unsafe extern "C" fn(
        lossmap_loss_f64,
        *mut c_void,
        *const f64,
        usize,
        *mut f64,
        *mut f64,
        *mut usize,
    ) -> i32;
    let by_value: [(Value, usize, usize); 5] = [
        (lossmap_gradient_central_f64, 4, 2),
        (lossmap_gradient_forward_f64, 4, 2),
        (lossmap_gradient_richardson_f64, 4, 2),
        (lossmap_hessian_f64, 6, 4),
        (lossmap_hessian_richardson_f64, 10, 4),
    ];
    let x = [1.0, f64::NAN];
    for (k, (entry, work_len, out_len)) in by_value.into_iter().enumerate() {
        let mut calls = 0usize;
        let (mut work, mut out, mut evals) = ([7.0; 10], [9.0; 4], 5usize);
        let s = unsafe {
            entry(
                Some(counting_loss),
                &mut calls as *mut usize as *mut c_void,
                x.as_ptr(),
                2,
                work.as_mut_ptr(),
                out.as_mut_ptr(),
                &mut evals,
            )
        };
        assert_eq!(s, Error::NonFiniteInput.code(), "entry {k}");
        assert_eq!(calls, 0, "entry {k}: the callback never ran");
        assert_eq!(
            work[..work_len],
            [7.0; 10][..work_len],
            "entry {k}: work unchanged"
        );
        assert_eq!((out[..out_len].to_vec(), evals), (vec![9.0; out_len], 5));
    }
    let mut calls = 0usize;
    let (mut work, mut out, mut evals) = ([7.0; 10], [9.0; 4], 5usize);
    let s = unsafe {
        lossmap_hessian_from_gradient_f64(
            Some(counting_grad),
            &mut calls as *mut usize as *mut c_void,
            x.as_ptr(),
            2,
            work.as_mut_ptr(),
            out.as_mut_ptr(),
            &mut evals,
        )
    };
    assert_eq!(s, Error::NonFiniteInput.code());
    assert_eq!((calls, work, out, evals), (0, [7.0; 10], [9.0; 4], 5));
}

/// An optimizer whose hyperparameters are invalid: `step` would refuse them.
struct Refusing;

impl Optimizer<f64> for Refusing {
    fn step(&mut self, _: &mut [f64], _: &[f64]) -> Result<(), Error> {
        Err(Error::InvalidParameter)
    }
    fn reset(&mut self) {}
    fn lr(&self) -> f64 {
        0.0
    }
    fn set_lr(&mut self, _: f64) -> Result<(), Error> {
        Err(Error::InvalidParameter)
    }
    fn validate(&self) -> Result<(), Error> {
        Err(Error::InvalidParameter)
    }
}

#[test]
fn sam_refuses_a_bad_optimizer_before_evaluating() {
    let mut calls = 0usize;
    let mut f = |x: &[f64]| {
        calls += 1;
        x[0] * x[0]
    };
    let mut x = [1.0, 2.0];
    let mut work = [7.0; 4];
    let r = lossmap::optim::sam_step_slice(
        &mut lossmap::objective::FnSlice(&mut f),
        &mut x,
        &mut Refusing,
        0.05,
        &mut work,
    );
    assert_eq!(r, Err(Error::InvalidParameter));
    assert_eq!((calls, x, work), (0, [1.0, 2.0], [7.0; 4]));
}

#[test]
fn every_optimizer_refuses_a_bad_state_before_the_objective_runs() {
    use lossmap::optim::{
        minimize, Adagrad, AdagradConfig, AdamW, AdamWConfig, RmsProp, RmsPropConfig, Stop,
    };
    fn run<P: Optimizer<f64>>(name: &str, opt: &mut P) {
        let mut calls = 0usize;
        let mut f = |x: &[f64; 2]| {
            calls += 1;
            x[0] * x[0] + x[1] * x[1]
        };
        let mut x = [1.0, 2.0];
        let r = minimize(&mut f, &mut x, opt, &Stop::default());
        assert_eq!(r.map(|_| ()), Err(Error::NonFiniteInput), "{name}");
        assert_eq!(
            (calls, x),
            (0, [1.0, 2.0]),
            "{name}: nothing evaluated or changed"
        );
    }
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig {
        momentum: 0.9,
        ..SgdConfig::default()
    })
    .unwrap();
    sgd.t = 3;
    sgd.buf = [f64::NAN, 0.0];
    run("SGD momentum", &mut sgd);
    let mut ada = Adagrad::<f64, 2>::new(AdagradConfig::default()).unwrap();
    ada.sum = [-1.0, 0.0];
    run("AdaGrad", &mut ada);
    let mut rms = RmsProp::<f64, 2>::new(RmsPropConfig {
        centered: 1,
        ..RmsPropConfig::default()
    })
    .unwrap();
    rms.grad_avg = [0.0, f64::INFINITY];
    run("RMSProp centered", &mut rms);
    let mut adamw = AdamW::<f64, 2>::new(AdamWConfig {
        amsgrad: 1,
        ..AdamWConfig::default()
    })
    .unwrap();
    adamw.v_max = [f64::NAN, 0.0];
    run("AMSGrad", &mut adamw);
    let mut adam = Adam::<f64, 2>::new(AdamConfig::default()).unwrap();
    adam.v = [-1.0, 0.0];
    run("Adam", &mut adam);
}
