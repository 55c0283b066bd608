//! The first-order family (SGD, AdaGrad, RMSProp, AdamW / AMSGrad) against trajectories
//! computed outside the crate by `tests/reference/optim_family.py` (real torch 2.15.0:
//! torch.optim.SGD, Adagrad, RMSprop, AdamW and Adam, cross-checked there against the documented
//! algorithms in plain Python): 50 steps of every case on a quadratic and on Rosenbrock, to
//! 1e-12 relative in f64 and 1e-5 in f32 (1e-4 for the Adam family, whose f32 rounding order
//! differs from torch's); then bad input, which must change nothing.

use lossmap::optim::{
    adagrad_step, adamw_step, rmsprop_step, sgd_step, Adagrad, AdagradConfig, AdagradView, Adam,
    AdamBias, AdamConfig, AdamW, AdamWConfig, AdamWView, Optimizer, RmsProp, RmsPropConfig,
    RmsPropView, Sgd, SgdConfig, SgdView,
};
use lossmap::testfn::Rosenbrock;
use lossmap::{Error, Objective, Real};
use std::collections::HashMap;

const REFERENCE: &str = include_str!("../reference/optim_family.txt");

/// `(case, function, optimizer, hyperparameters)` from the `config` lines.
fn configs() -> Vec<(String, String, String, HashMap<String, f64>)> {
    REFERENCE
        .lines()
        .filter_map(|l| l.strip_prefix("config "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let params = f[3..]
                .iter()
                .map(|kv| {
                    let (k, v) = kv.split_once('=').expect("key=value");
                    (k.to_string(), v.parse().expect("number"))
                })
                .collect();
            (f[0].into(), f[1].into(), f[2].into(), params)
        })
        .collect()
}

fn reference(case: &str, function: &str, prec: &str) -> Vec<[f64; 2]> {
    REFERENCE
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 6 && f[0] == case && f[1] == function && f[2] == prec)
                .then(|| [f[4].parse().expect("number"), f[5].parse().expect("number")])
        })
        .collect()
}

/// The optimizer of a case, boxed so that every kind runs through the same loop.
fn build<T: Real>(opt: &str, p: &HashMap<String, f64>, maximize: u8) -> Box<dyn Optimizer<T>> {
    let c = |k: &str| T::from_f64(p[k]);
    let flag = |k: &str| p[k] as u8;
    match opt {
        "sgd" => Box::new(
            Sgd::<T, 2>::new(SgdConfig {
                lr: c("lr"),
                momentum: c("momentum"),
                dampening: c("dampening"),
                weight_decay: c("weight_decay"),
                nesterov: flag("nesterov"),
                maximize,
            })
            .unwrap(),
        ),
        "adagrad" => Box::new(
            Adagrad::<T, 2>::new(AdagradConfig {
                lr: c("lr"),
                lr_decay: c("lr_decay"),
                weight_decay: c("weight_decay"),
                initial_accumulator_value: c("initial_accumulator_value"),
                eps: c("eps"),
                maximize,
            })
            .unwrap(),
        ),
        "rmsprop" => Box::new(
            RmsProp::<T, 2>::new(RmsPropConfig {
                lr: c("lr"),
                alpha: c("alpha"),
                eps: c("eps"),
                weight_decay: c("weight_decay"),
                momentum: c("momentum"),
                centered: flag("centered"),
                maximize,
            })
            .unwrap(),
        ),
        "adamw" => Box::new(
            AdamW::<T, 2>::new(AdamWConfig {
                lr: c("lr"),
                beta1: c("beta1"),
                beta2: c("beta2"),
                eps: c("eps"),
                weight_decay: c("weight_decay"),
                amsgrad: flag("amsgrad"),
                decoupled: flag("decoupled"),
                maximize,
            })
            .unwrap(),
        ),
        other => panic!("unknown optimizer {other}"),
    }
}

fn gradient<T: Real>(function: &str, x: &[T; 2]) -> [T; 2] {
    let mut g = [T::ZERO; 2];
    if function == "rosenbrock" {
        Rosenbrock.gradient(x, &mut g).unwrap();
    } else {
        g = [x[0] - T::ONE, T::from_f64(10.0) * x[1]];
    }
    g
}

fn trajectory<T: Real>(opt: &mut dyn Optimizer<T>, function: &str) -> Vec<[f64; 2]> {
    trajectory_signed(opt, function, false)
}

/// The trajectory with the gradient of `f`, or with that of `−f` when `negate`.
fn trajectory_signed<T: Real>(
    opt: &mut dyn Optimizer<T>,
    function: &str,
    negate: bool,
) -> Vec<[f64; 2]> {
    let mut x = if function == "rosenbrock" {
        [T::from_f64(-1.2), T::ONE]
    } else {
        [T::from_f64(3.0), T::from_f64(-2.0)]
    };
    (0..50)
        .map(|_| {
            let mut g = gradient(function, &x);
            if negate {
                g = g.map(|v| -v);
            }
            opt.step(&mut x, &g).unwrap();
            [x[0].to_f64(), x[1].to_f64()]
        })
        .collect()
}

/// Checks every case to `tol` relative (`tol_adam` for the Adam family); returns the largest
/// relative error seen.
fn check_all<T: Real>(tol: f64, tol_adam: f64) -> f64 {
    let cases = configs();
    assert_eq!(cases.len(), 22, "11 cases × 2 functions");
    let mut worst = 0.0f64;
    for (case, function, opt, p) in &cases {
        let want = reference(case, function, T::NAME);
        assert_eq!(want.len(), 50, "{case}/{function}/{}", T::NAME);
        let mut o = build::<T>(opt, p, 0);
        let got = trajectory(o.as_mut(), function);
        let tol = if opt == "adamw" { tol_adam } else { tol };
        let mut case_worst = 0.0f64;
        for (step, (g, w)) in got.iter().zip(&want).enumerate() {
            for i in 0..2 {
                let rel = (g[i] - w[i]).abs() / w[i].abs().max(1e-300);
                case_worst = case_worst.max(rel);
                assert!(
                    rel <= tol,
                    "{case} {function} {} step {}: x[{i}] = {} vs reference {} (rel {rel:.2e})",
                    T::NAME,
                    step + 1,
                    g[i],
                    w[i]
                );
            }
        }
        println!("{} {case} {function}: {case_worst:.1e}", T::NAME);
        worst = worst.max(case_worst);
        // reset() forgets everything: the same trajectory again.
        o.reset();
        assert_eq!(trajectory(o.as_mut(), function), got, "{case} after reset");
    }
    println!("{}: max relative error {worst:.2e}", T::NAME);
    worst
}

/// torch's `maximize`: maximizing `−f` (the gradient negated by the caller, then again by the
/// optimizer, both exact) is minimizing `f`, bit for bit, in every case and both precisions;
/// so the reference trajectories hold for it too.
fn check_maximize<T: Real>() {
    for (case, function, opt, p) in &configs() {
        let plain = trajectory(build::<T>(opt, p, 0).as_mut(), function);
        let up = trajectory_signed(build::<T>(opt, p, 1).as_mut(), function, true);
        assert_eq!(up, plain, "{case} {function} {} maximize", T::NAME);
        // And it does ascend f: the first step moves the other way.
        let mut o = build::<T>(opt, p, 1);
        let mut x = [T::ZERO; 2];
        let x0 = x;
        o.step(&mut x, &gradient(function, &x0)).unwrap();
        let mut m = build::<T>(opt, p, 0);
        let mut y = x0;
        m.step(&mut y, &gradient(function, &x0)).unwrap();
        // From 0 (no decay term there) the two first steps are exact mirror images.
        assert_eq!(x, y.map(|v| -v), "{case} {function}");
        assert_ne!(x, y, "{case} {function}");
    }
    // Adam (the L2 form) likewise.
    for wd in [0.0, 0.05] {
        let cfg = |maximize| AdamConfig {
            lr: T::from_f64(0.05),
            weight_decay: T::from_f64(wd),
            maximize,
            ..AdamConfig::default()
        };
        for f in ["quadratic", "rosenbrock"] {
            let plain = trajectory(&mut Adam::<T, 2>::new(cfg(0)).unwrap(), f);
            let up = trajectory_signed(&mut Adam::<T, 2>::new(cfg(1)).unwrap(), f, true);
            assert_eq!(up, plain, "adam {f} {wd} {}", T::NAME);
        }
    }
}

#[test]
fn maximize_is_minimizing_the_negated_function() {
    check_maximize::<f64>();
    check_maximize::<f32>();
    let bad = SgdConfig {
        maximize: 2,
        ..SgdConfig::<f64>::default()
    };
    assert_eq!(
        Sgd::<f64, 2>::new(bad).map(|_| ()),
        Err(Error::InvalidParameter)
    );
    let bad = AdamWConfig {
        maximize: 2,
        ..AdamWConfig::<f64>::default()
    };
    assert_eq!(
        AdamW::<f64, 2>::new(bad).map(|_| ()),
        Err(Error::InvalidParameter)
    );
}

#[test]
fn family_f64_matches_reference() {
    check_all::<f64>(1e-12, 1e-12);
}

#[test]
fn family_f32_matches_reference() {
    // The Adam family: torch updates m with `lerp(g, 1 − β₁)` and rounds `lr / (1 − β₁ᵗ)` from
    // binary64, lossmap computes β₁m + (1 − β₁)g and the step size in f32: the same algorithm in
    // another rounding order. The quadratic's x₁ oscillates through 0, where an absolute
    // difference of ~1e-7 (the rounding of the O(1) terms) is 5.5e-5 of x₁ = −1.6e-3 (adamw,
    // step 23). The script's f32 formula run in lossmap's order agrees with lossmap to 1e-5.
    check_all::<f32>(1e-5, 1e-4);
}

/// The views over borrowed buffers step exactly as the typed optimizers.
#[test]
fn views_match_typed_optimizers() {
    let g = [0.3f64, -1.7];
    let x0 = [1.0f64, 2.0];
    let run = |o: &mut dyn Optimizer<f64>| {
        let mut x = x0;
        for _ in 0..5 {
            o.step(&mut x, &g).unwrap();
        }
        x
    };
    let sgd = SgdConfig {
        lr: 0.1,
        momentum: 0.9,
        nesterov: 1,
        ..SgdConfig::default()
    };
    let (mut t, mut b) = (0u32, [0.0; 2]);
    assert_eq!(
        run(&mut Sgd::<f64, 2>::new(sgd).unwrap()),
        run(&mut SgdView {
            config: sgd,
            t: &mut t,
            buf: &mut b
        })
    );
    let ada = AdagradConfig {
        initial_accumulator_value: 0.2,
        ..AdagradConfig::default()
    };
    let (mut t, mut s) = (0u32, [0.2; 2]);
    let mut view = AdagradView {
        config: ada,
        t: &mut t,
        sum: &mut s,
    };
    assert_eq!(
        run(&mut Adagrad::<f64, 2>::new(ada).unwrap()),
        run(&mut view)
    );
    view.reset();
    assert_eq!((*view.t, view.sum[0]), (0, 0.2));
    let rms = RmsPropConfig {
        centered: 1,
        momentum: 0.3,
        ..RmsPropConfig::default()
    };
    let (mut t, mut v, mut a, mut b) = (0u32, [0.0; 2], [0.0; 2], [0.0; 2]);
    assert_eq!(
        run(&mut RmsProp::<f64, 2>::new(rms).unwrap()),
        run(&mut RmsPropView {
            config: rms,
            t: &mut t,
            v: &mut v,
            grad_avg: &mut a,
            buf: &mut b
        })
    );
    let aw = AdamWConfig {
        amsgrad: 1,
        ..AdamWConfig::default()
    };
    let (mut t, mut m, mut v, mut vm) = (0u32, [0.0; 2], [0.0; 2], [0.0; 2]);
    let mut bias = AdamBias::EMPTY;
    assert_eq!(
        run(&mut AdamW::<f64, 2>::new(aw).unwrap()),
        run(&mut AdamWView {
            config: aw,
            t: &mut t,
            bias: &mut bias,
            m: &mut m,
            v: &mut v,
            v_max: &mut vm
        })
    );
}

#[test]
fn plain_sgd_is_one_exact_step_and_needs_no_buffer() {
    let cfg = SgdConfig {
        lr: 0.25,
        ..SgdConfig::default()
    };
    let (mut t, mut x) = (0u32, [1.0f64, -2.0]);
    sgd_step(&cfg, &mut t, &mut [], &mut x, &[2.0, 4.0]).unwrap();
    assert_eq!(x, [0.5, -3.0]);
}

#[test]
fn adamw_without_decay_is_adam_and_amsgrad_keeps_the_maximum() {
    use lossmap::optim::{Adam, AdamConfig};
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    })
    .unwrap();
    let cfg = AdamWConfig {
        lr: 0.05,
        weight_decay: 0.0,
        ..AdamWConfig::default()
    };
    let mut adamw = AdamW::<f64, 2>::new(cfg).unwrap();
    let (mut x, mut y) = ([1.0, 2.0], [1.0, 2.0]);
    for k in 0..10 {
        let g = [0.5 - k as f64 * 0.1, 1.0];
        adam.step(&mut x, &g).unwrap();
        adamw.step(&mut y, &g).unwrap();
    }
    assert_eq!(x, y);
    let ams = AdamWConfig { amsgrad: 1, ..cfg };
    let (mut t, mut m, mut v, mut vm, mut x) = (0u32, [0.0], [0.0], [0.0], [1.0]);
    let mut bias = AdamBias::EMPTY;
    adamw_step(
        &ams,
        &mut t,
        &mut bias,
        &mut m,
        &mut v,
        &mut vm,
        &mut x,
        &[3.0],
    )
    .unwrap();
    adamw_step(
        &ams,
        &mut t,
        &mut bias,
        &mut m,
        &mut v,
        &mut vm,
        &mut x,
        &[0.0],
    )
    .unwrap();
    assert!(vm[0] > v[0] && (vm[0] - 0.001 * 9.0).abs() < 1e-15);
}

/// Every kind of bad input returns its error and leaves x and the state bit-for-bit unchanged.
#[test]
fn bad_input_changes_nothing() {
    let x0 = [1.0f64, 2.0];
    let good_g = [0.5, 0.5];
    let common: [(&[f64], &[f64], Error); 4] = [
        (&x0, &[f64::NAN, 1.0], Error::NonFiniteInput),
        (&[f64::INFINITY, 1.0], &good_g, Error::NonFiniteInput),
        (&x0, &[1.0], Error::LengthMismatch),
        (&x0, &[1e200, 1.0], Error::NonFiniteGradient),
    ];

    // SGD (1e200 is finite for SGD, which squares nothing: use an overflowing decay term).
    let sgd = SgdConfig {
        lr: 0.1,
        momentum: 0.5,
        ..SgdConfig::default()
    };
    let (mut t, mut b, mut x) = (2u32, [0.25; 2], x0);
    for (xi, gi, e) in &common[..3] {
        let mut xx = [0.0; 2];
        xx.iter_mut().zip(xi.iter()).for_each(|(a, &v)| *a = v);
        let r = sgd_step(&sgd, &mut t, &mut b, &mut xx[..xi.len()], gi);
        assert_eq!(r, Err(*e));
        assert_eq!((t, b), (2, [0.25; 2]));
    }
    let huge = SgdConfig {
        weight_decay: 1e300,
        ..sgd
    };
    assert_eq!(
        sgd_step(&huge, &mut t, &mut b, &mut [1e10, 1.0], &good_g),
        Err(Error::NonFiniteGradient)
    );
    assert_eq!(
        sgd_step(&sgd, &mut t, &mut [0.0], &mut x, &good_g),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        sgd_step(&sgd, &mut t, &mut [], &mut [], &[]),
        Err(Error::Empty)
    );
    let bad_sgd = [
        SgdConfig { lr: 0.0, ..sgd },
        SgdConfig { lr: -0.1, ..sgd },
        SgdConfig {
            lr: f64::INFINITY,
            ..sgd
        },
        SgdConfig {
            momentum: -0.1,
            ..sgd
        },
        SgdConfig {
            momentum: 1.0,
            ..sgd
        },
        SgdConfig {
            dampening: 1.5,
            ..sgd
        },
        SgdConfig {
            weight_decay: -1e-3,
            ..sgd
        },
        SgdConfig { nesterov: 2, ..sgd },
        SgdConfig {
            nesterov: 1,
            momentum: 0.0,
            ..sgd
        },
        SgdConfig {
            nesterov: 1,
            dampening: 0.1,
            ..sgd
        },
    ];
    for c in bad_sgd {
        assert_eq!(
            sgd_step(&c, &mut t, &mut b, &mut x, &good_g),
            Err(Error::InvalidParameter),
            "{c:?}"
        );
        assert!(Sgd::<f64, 2>::new(c).is_err());
    }
    assert_eq!((t, b, x), (2, [0.25; 2], x0));

    // AdaGrad.
    let ada = AdagradConfig::<f64>::default();
    let (mut t, mut s, mut x) = (2u32, [0.25; 2], x0);
    for (xi, gi, e) in &common {
        let mut xx = [0.0; 2];
        xx.iter_mut().zip(xi.iter()).for_each(|(a, &v)| *a = v);
        assert_eq!(
            adagrad_step(&ada, &mut t, &mut s, &mut xx[..xi.len()], gi),
            Err(*e)
        );
    }
    assert_eq!(
        adagrad_step(&ada, &mut t, &mut [0.0; 3], &mut x, &good_g),
        Err(Error::LengthMismatch)
    );
    let bad_ada = [
        AdagradConfig { lr: 0.0, ..ada },
        AdagradConfig {
            lr_decay: -0.1,
            ..ada
        },
        AdagradConfig {
            weight_decay: -0.1,
            ..ada
        },
        AdagradConfig {
            initial_accumulator_value: -0.1,
            ..ada
        },
        AdagradConfig { eps: 0.0, ..ada },
        AdagradConfig {
            eps: f64::NAN,
            ..ada
        },
    ];
    for c in bad_ada {
        assert_eq!(
            adagrad_step(&c, &mut t, &mut s, &mut x, &good_g),
            Err(Error::InvalidParameter),
            "{c:?}"
        );
        assert!(Adagrad::<f64, 2>::new(c).is_err());
    }
    assert_eq!((t, s, x), (2, [0.25; 2], x0));

    // RMSProp, including missing optional buffers when the option needs them.
    let rms = RmsPropConfig {
        centered: 1,
        momentum: 0.5,
        ..RmsPropConfig::<f64>::default()
    };
    let (mut t, mut v, mut a, mut b, mut x) = (2u32, [0.25; 2], [0.1; 2], [0.3; 2], x0);
    for (xi, gi, e) in &common {
        let mut xx = [0.0; 2];
        xx.iter_mut().zip(xi.iter()).for_each(|(a, &v)| *a = v);
        assert_eq!(
            rmsprop_step(
                &rms,
                &mut t,
                &mut v,
                &mut a,
                &mut b,
                &mut xx[..xi.len()],
                gi
            ),
            Err(*e)
        );
    }
    assert_eq!(
        rmsprop_step(&rms, &mut t, &mut v, &mut [], &mut b, &mut x, &good_g),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        rmsprop_step(&rms, &mut t, &mut v, &mut a, &mut [], &mut x, &good_g),
        Err(Error::LengthMismatch)
    );
    let bad_rms = [
        RmsPropConfig { lr: -1.0, ..rms },
        RmsPropConfig { alpha: 1.0, ..rms },
        RmsPropConfig { alpha: -0.5, ..rms },
        RmsPropConfig { eps: 0.0, ..rms },
        RmsPropConfig {
            weight_decay: -1.0,
            ..rms
        },
        RmsPropConfig {
            momentum: -0.5,
            ..rms
        },
        RmsPropConfig { centered: 3, ..rms },
    ];
    for c in bad_rms {
        assert_eq!(
            rmsprop_step(&c, &mut t, &mut v, &mut a, &mut b, &mut x, &good_g),
            Err(Error::InvalidParameter),
            "{c:?}"
        );
        assert!(RmsProp::<f64, 2>::new(c).is_err());
    }
    assert_eq!((t, v, a, b, x), (2, [0.25; 2], [0.1; 2], [0.3; 2], x0));

    // AdamW / AMSGrad.
    let aw = AdamWConfig {
        amsgrad: 1,
        ..AdamWConfig::<f64>::default()
    };
    let (mut t, mut m, mut v, mut vm, mut x) = (2u32, [0.1; 2], [0.25; 2], [0.3; 2], x0);
    let mut bias = AdamBias::EMPTY;
    for (xi, gi, e) in &common {
        let mut xx = [0.0; 2];
        xx.iter_mut().zip(xi.iter()).for_each(|(a, &v)| *a = v);
        assert_eq!(
            adamw_step(
                &aw,
                &mut t,
                &mut bias,
                &mut m,
                &mut v,
                &mut vm,
                &mut xx[..xi.len()],
                gi
            ),
            Err(*e)
        );
    }
    assert_eq!(
        adamw_step(
            &aw,
            &mut t,
            &mut bias,
            &mut m,
            &mut v,
            &mut [],
            &mut x,
            &good_g
        ),
        Err(Error::LengthMismatch)
    );
    let bad_aw = [
        AdamWConfig { lr: 0.0, ..aw },
        AdamWConfig { beta1: 1.0, ..aw },
        AdamWConfig { beta2: -0.1, ..aw },
        AdamWConfig { eps: 0.0, ..aw },
        AdamWConfig {
            weight_decay: -0.1,
            ..aw
        },
        AdamWConfig { amsgrad: 2, ..aw },
        AdamWConfig { decoupled: 2, ..aw },
    ];
    for c in bad_aw {
        assert_eq!(
            adamw_step(&c, &mut t, &mut bias, &mut m, &mut v, &mut vm, &mut x, &good_g),
            Err(Error::InvalidParameter),
            "{c:?}"
        );
        assert!(AdamW::<f64, 2>::new(c).is_err());
    }
    assert_eq!((t, m, v, vm, x), (2, [0.1; 2], [0.25; 2], [0.3; 2], x0));
}

#[test]
fn set_lr_checks_and_applies() {
    let mut o = Sgd::<f32, 1>::new(SgdConfig::default()).unwrap();
    assert_eq!(o.set_lr(0.0), Err(Error::InvalidParameter));
    assert_eq!(o.set_lr(f32::NAN), Err(Error::InvalidParameter));
    assert_eq!(o.lr(), 1e-3);
    o.set_lr(0.5).unwrap();
    let mut x = [1.0f32];
    o.step(&mut x, &[1.0]).unwrap();
    assert_eq!((o.lr(), x[0]), (0.5, 0.5));
    let mut r = RmsProp::<f64, 1>::new(RmsPropConfig::default()).unwrap();
    r.set_lr(0.2).unwrap();
    let mut a = Adagrad::<f64, 1>::new(AdagradConfig::default()).unwrap();
    a.set_lr(0.3).unwrap();
    let mut w = AdamW::<f64, 1>::new(AdamWConfig::default()).unwrap();
    w.set_lr(0.4).unwrap();
    assert_eq!((r.lr(), a.lr(), w.lr()), (0.2, 0.3, 0.4));
}
