//! Curriculum learning in the stochastic driver: the pacing functions against their closed
//! forms, each epoch's active set against an independent sort, the plain run recovered with
//! all samples active, bad input, the C entry point against the Rust one, and the
//! demonstration — fitting the frequency of a sine, where mini-batch Adam from a wrong start
//! ends in an aliasing minimum and the same Adam with the curriculum (difficulty = t) finds
//! the global fit, over 20 seeds × 6 starts on the same budget of sample evaluations.

use lossmap::optim::{
    minimize_curriculum, minimize_curriculum_slice, minimize_stochastic, Adam, AdamConfig,
    BatchObjective, Curriculum, Pacing, PerSample, PerSampleWithGradient, Sgd, SgdConfig,
    StochasticConfig, StochasticProgress,
};
use lossmap::Error;
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

#[test]
fn pacing_matches_the_competence_formulas() {
    // Platanios et al. 2019, §3.2: c_linear(t) = min(1, t(1 − c₀)/T + c₀),
    // c_sqrt(t) = min(1, sqrt(t(1 − c₀²)/T + c₀²)); the root-p one with p = 3.
    let (c0, ramp) = (0.1_f64, 10);
    let lin = Pacing::linear(c0, ramp);
    let sqrt = Pacing::root(c0, ramp, 2.0);
    let cube = Pacing::root(c0, ramp, 3.0);
    for t in 0..15 {
        let tf = t as f64;
        let want_lin = (tf * (1.0 - c0) / ramp as f64 + c0).min(1.0);
        let want_sqrt = (tf * (1.0 - c0 * c0) / ramp as f64 + c0 * c0)
            .sqrt()
            .min(1.0);
        let c03 = c0 * c0 * c0;
        let want_cube = (tf * (1.0 - c03) / ramp as f64 + c03).cbrt().min(1.0);
        assert!((lin.fraction(t) - want_lin).abs() < 1e-15, "linear t={t}");
        assert!((sqrt.fraction(t) - want_sqrt).abs() < 1e-15, "sqrt t={t}");
        assert!((cube.fraction(t) - want_cube).abs() < 1e-14, "cube t={t}");
        // ⌈c·S⌉ for S = 37, at least 1.
        assert_eq!(
            lin.active(t, 37),
            ((want_lin * 37.0).ceil() as usize).max(1)
        );
    }
    assert_eq!(lin.fraction(0), c0);
    assert_eq!(sqrt.fraction(0), c0);
    assert_eq!(lin.fraction(ramp), 1.0);
    // No ramp: everything from the start. A tiny start still activates one sample.
    assert_eq!(Pacing::linear(0.3, 0).active(0, 10), 10);
    assert_eq!(Pacing::linear(1e-9, 5).active(0, 10), 1);
    assert_eq!(Pacing::linear(0.5, 5).active(2, 0), 0);
    // Validity.
    for bad in [
        Pacing::linear(0.0, 3),
        Pacing::linear(1.5, 3),
        Pacing::linear(f64::NAN, 3),
        Pacing::root(0.5, 3, 0.0),
        Pacing::root(0.5, 3, -1.0),
        Pacing::root(0.5, 3, f64::INFINITY),
    ] {
        assert_eq!(bad.validate(), Err(Error::InvalidParameter), "{bad:?}");
    }
    assert_eq!(Pacing::linear(1.0_f32, 3).validate(), Ok(()));
}

/// Records every batch it is asked for (per-sample loss `(x − i)²/2`, analytic gradient).
struct Recorder {
    seen: Vec<Vec<usize>>,
}

impl BatchObjective<f64> for Recorder {
    fn batch_value(&mut self, x: &[f64], batch: &[usize]) -> f64 {
        self.seen.push(batch.to_vec());
        batch
            .iter()
            .map(|&i| 0.5 * (x[0] - i as f64).powi(2))
            .sum::<f64>()
            / batch.len() as f64
    }
    fn batch_gradient(
        &mut self,
        x: &mut [f64],
        batch: &[usize],
        g: &mut [f64],
    ) -> Result<usize, Error> {
        g[0] = batch.iter().map(|&i| x[0] - i as f64).sum::<f64>() / batch.len() as f64;
        Ok(0)
    }
}

#[test]
fn each_epoch_draws_the_easiest_prefix_once() {
    const S: usize = 23;
    // Scores with ties (to test the tie-break by index), not in index order.
    let scores: [f64; S] = core::array::from_fn(|i| ((i * 7) % 5) as f64);
    // The order an independent stable sort gives.
    let mut order: Vec<usize> = (0..S).collect();
    order.sort_by(|&a, &b| scores[a].partial_cmp(&scores[b]).unwrap());
    let pacing = Pacing::root(0.2, 6, 2.0);
    let cur = Curriculum {
        scores: &scores,
        pacing,
    };
    let cfg = StochasticConfig {
        batch: 3,
        epochs: 9,
        drop_last: 0,
    };
    let mut obj = Recorder { seen: Vec::new() };
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr: 0.01,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut rng = XorShiftRng::seed_from_u64(5);
    let mut x = [0.0];
    let mut per_step: Vec<(usize, usize, usize)> = Vec::new();
    let mut watch = |p: &StochasticProgress<f64>| {
        per_step.push((p.epoch, p.batch, p.active));
        true
    };
    let r = minimize_curriculum(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut [0usize; S],
        &cfg,
        &cur,
        &mut rng,
        None,
        Some(&mut watch),
    )
    .unwrap();
    // Walk the recorded batches epoch by epoch.
    let mut at = 0;
    let mut total = 0;
    for epoch in 0..cfg.epochs {
        let k = pacing.active(epoch, S);
        let mut drawn: Vec<usize> = Vec::new();
        let steps = per_step.iter().filter(|s| s.0 == epoch).count();
        assert_eq!(steps, k.div_ceil(3), "epoch {epoch}");
        for s in per_step.iter().filter(|s| s.0 == epoch) {
            assert_eq!(s.2, k, "observer's active, epoch {epoch}");
        }
        for _ in 0..steps {
            drawn.extend(&obj.seen[at]);
            at += 1;
        }
        total += k;
        drawn.sort();
        let mut want = order[..k].to_vec();
        want.sort();
        assert_eq!(drawn, want, "epoch {epoch}: the easiest {k}, each once");
    }
    assert_eq!(at, obj.seen.len());
    assert_eq!((r.epochs, r.active, r.fraction), (9, S, 1.0));
    assert_eq!(r.sample_evals, total);
}

#[test]
fn all_active_with_equal_scores_is_the_plain_run() {
    // Equal scores sort to the identity and start = 1 activates everything: the same draws,
    // the same steps, bit for bit.
    let data = [1.0, -2.0, 3.0, 6.0, 0.5, -1.0, 4.0];
    let run = |cur: Option<Pacing<f64>>| {
        let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - data[i]).powi(2));
        let mut adam = Adam::<f64, 1>::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        })
        .unwrap();
        let mut rng = XorShiftRng::seed_from_u64(3);
        let cfg = StochasticConfig {
            batch: 3,
            epochs: 20,
            drop_last: 0,
        };
        let mut x = [0.0];
        let mut perm = [0usize; 7];
        let r = match cur {
            Some(pacing) => minimize_curriculum(
                &mut obj,
                &mut x,
                &mut adam,
                &mut perm,
                &cfg,
                &Curriculum {
                    scores: &[2.0; 7],
                    pacing,
                },
                &mut rng,
                None,
                None,
            ),
            None => minimize_stochastic(
                &mut obj, &mut x, &mut adam, &mut perm, &cfg, &mut rng, None, None,
            ),
        }
        .unwrap();
        (x, perm, r, rng.next_u64())
    };
    let plain = run(None);
    assert_eq!(plain.2.active, 7);
    assert_eq!(plain.2.fraction, 1.0);
    assert_eq!(run(Some(Pacing::linear(1.0, 5))), plain);
    assert_eq!(run(Some(Pacing::root(0.1, 0, 2.0))), plain);
}

#[test]
fn bad_curriculum_changes_nothing() {
    let data = [1.0, 2.0, 3.0, 4.0];
    let good = [0.0, 1.0, 2.0, 3.0];
    let short = [0.0, 1.0, 2.0];
    let nan = [0.0, f64::NAN, 2.0, 3.0];
    let cases: [(&[f64], Pacing<f64>, Error); 5] = [
        (&short, Pacing::linear(0.5, 3), Error::LengthMismatch),
        (&nan, Pacing::linear(0.5, 3), Error::NonFiniteInput),
        (&good, Pacing::linear(0.0, 3), Error::InvalidParameter),
        (&good, Pacing::linear(1.01, 3), Error::InvalidParameter),
        (
            &good,
            Pacing::root(0.5, 3, f64::NAN),
            Error::InvalidParameter,
        ),
    ];
    for (scores, pacing, err) in cases {
        let mut obj = PerSample(|x: &[f64], i: usize| (x[0] - data[i]).powi(2));
        let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
        let mut rng = XorShiftRng::seed_from_u64(1);
        let (mut x, mut perm, mut prev, mut grad) = ([0.5], [7usize; 4], [9.0], [9.0]);
        let cfg = StochasticConfig {
            batch: 2,
            epochs: 3,
            drop_last: 0,
        };
        let r = minimize_curriculum_slice(
            &mut obj,
            &mut sgd,
            &mut x,
            &mut perm,
            &mut prev,
            &mut grad,
            &cfg,
            &Curriculum { scores, pacing },
            &mut rng,
            None,
            None,
        );
        assert_eq!(r, Err(err), "{pacing:?}");
        assert_eq!((x, perm, prev, grad), ([0.5], [7; 4], [9.0], [9.0]));
        assert_eq!(
            rng.next_u64(),
            XorShiftRng::seed_from_u64(1).next_u64(),
            "nothing drawn"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The demonstration: y = a·sin(ω t), fit (ω, a) to S noise-free samples at t ∈ (0, 10).
// ---------------------------------------------------------------------------------------------

/// Samples.
const S: usize = 64;
/// True frequency and amplitude (the global minimum, loss 0).
const OMEGA: f64 = 2.0;
const AMP: f64 = 1.0;
/// Starts ω₀ (a₀ = 0.5), all outside the convex basin of the full loss around ω = 2 (its
/// width is about π/T = 0.3; the aliasing minima of the full loss lie between).
const STARTS: [f64; 6] = [0.5, 1.0, 1.4, 2.6, 3.0, 3.5];
const SEEDS: u64 = 20;

fn sine_t() -> [f64; S] {
    core::array::from_fn(|i| 10.0 * (i as f64 + 0.5) / S as f64)
}

/// One Adam run (lr 0.05, torch's betas and eps), batch 8; `pacing` None is plain mini-batch
/// training for `epochs`. Returns the fit and the sample evaluations the report counts.
fn sine_run(w0: f64, seed: u64, pacing: Option<Pacing<f64>>, epochs: usize) -> ([f64; 2], usize) {
    let t = sine_t();
    let y = t.map(|t| AMP * (OMEGA * t).sin());
    let mut scratch = [0.0; 2];
    let mut obj = PerSampleWithGradient {
        loss: |x: &[f64], i: usize| (x[1] * (x[0] * t[i]).sin() - y[i]).powi(2),
        grad: |x: &[f64], i: usize, g: &mut [f64]| {
            let (s, c) = (x[0] * t[i]).sin_cos();
            let r = x[1] * s - y[i];
            g[0] = 2.0 * r * x[1] * t[i] * c;
            g[1] = 2.0 * r * s;
            true
        },
        scratch: &mut scratch,
    };
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let cfg = StochasticConfig {
        batch: 8,
        epochs,
        drop_last: 0,
    };
    let mut x = [w0, 0.5];
    let mut perm = [0usize; S];
    let r = match pacing {
        // Difficulty = t: the small-t samples see a nearly convex loss in ω.
        Some(pacing) => minimize_curriculum(
            &mut obj,
            &mut x,
            &mut adam,
            &mut perm,
            &cfg,
            &Curriculum { scores: &t, pacing },
            &mut rng,
            None,
            None,
        ),
        None => minimize_stochastic(
            &mut obj, &mut x, &mut adam, &mut perm, &cfg, &mut rng, None, None,
        ),
    }
    .unwrap();
    (x, r.sample_evals)
}

fn global(x: [f64; 2]) -> bool {
    (x[0] - OMEGA).abs() < 0.05 && (x[1] - AMP).abs() < 0.05
}

/// Successes of the curriculum and of plain training, per start, with the budgets.
fn compare(pacing: Pacing<f64>, epochs: usize) -> (Vec<(usize, usize)>, usize, usize) {
    let (mut rows, mut cur_evals, mut plain_evals) = (Vec::new(), 0, 0);
    for &w0 in &STARTS {
        let (mut c, mut p) = (0, 0);
        for seed in 0..SEEDS {
            let (xc, ec) = sine_run(w0, seed, Some(pacing), epochs);
            // Plain training gets the fewest whole epochs with at least the curriculum's
            // sample evaluations (each sample's loss and analytic gradient counted once).
            let plain_epochs = ec.div_ceil(S);
            let (xp, ep) = sine_run(w0, seed, None, plain_epochs);
            assert!(ep >= ec);
            c += global(xc) as usize;
            p += global(xp) as usize;
            (cur_evals, plain_evals) = (ec, ep);
        }
        rows.push((c, p));
    }
    (rows, cur_evals, plain_evals)
}

#[test]
fn curriculum_finds_the_frequency_plain_training_misses() {
    // Sanity: from near the answer both find it (the optimizer and budget are adequate).
    assert!(global(sine_run(2.1, 0, None, 47).0));
    // The global minimum is the data's (ω, a) = (2, 1), loss 0: checked independently of
    // the runs by the data's construction.
    let runs = [
        ("linear c₀ = 0.1, T = 30", Pacing::linear(0.1, 30), 60),
        ("root-2 c₀ = 0.1, T = 30", Pacing::root(0.1, 30, 2.0), 60),
    ];
    let mut totals = Vec::new();
    for (name, pacing, epochs) in runs {
        let (rows, ec, ep) = compare(pacing, epochs);
        eprintln!("{name}, {epochs} epochs: curriculum {ec} sample evals, plain {ep}");
        for (w0, (c, p)) in STARTS.iter().zip(&rows) {
            eprintln!("  ω₀ = {w0}: curriculum {c}/{SEEDS}, plain {p}/{SEEDS}");
        }
        let c: usize = rows.iter().map(|r| r.0).sum();
        let p: usize = rows.iter().map(|r| r.1).sum();
        eprintln!(
            "  total: curriculum {c}/{}, plain {p}/{}",
            rows.len() * 20,
            rows.len() * 20
        );
        totals.push((c, p));
    }
    let n = STARTS.len() * SEEDS as usize;
    // The linear ramp: at least 90 % success against at most 10 % for plain training.
    let (c, p) = totals[0];
    assert!(c * 10 >= n * 9, "linear curriculum {c}/{n}");
    assert!(p * 10 <= n, "plain {p}/{n}");
    // The root-2 ramp admits samples faster: still far ahead of plain training.
    let (c2, p2) = totals[1];
    assert!(
        c2 >= p2 + n / 2,
        "root-2 curriculum {c2}/{n}, plain {p2}/{n}"
    );
}

// ---------------------------------------------------------------------------------------------
// A second model: y = a·sin(ω t + φ) + noise, three parameters, 80 samples at t ∈ (0, 12).
// ---------------------------------------------------------------------------------------------

const S2: usize = 80;
/// scipy.optimize.least_squares on this data (tests/reference/curriculum_sine.txt).
const PHASE_LS: [f64; 3] = [1.497719329654, 1.000365040068, 0.722594327702];
const PHASE_STARTS: [f64; 6] = [0.3, 0.6, 0.9, 2.1, 2.4, 2.8];

/// ω = 1.5, a = 1, φ = 0.7, noise uniform in ±0.1 from a fixed LCG.
fn noisy_phase_data() -> ([f64; S2], [f64; S2]) {
    let t: [f64; S2] = core::array::from_fn(|i| 12.0 * (i as f64 + 0.5) / S2 as f64);
    let mut s: u64 = 7;
    let y = t.map(|t| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (1.5 * t + 0.7).sin() + 0.2 * ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
    });
    (t, y)
}

fn phase_run(w0: f64, seed: u64, pacing: Option<Pacing<f64>>, epochs: usize) -> ([f64; 3], usize) {
    let (t, y) = noisy_phase_data();
    let mut scratch = [0.0; 3];
    let mut obj = PerSampleWithGradient {
        loss: |x: &[f64], i: usize| (x[1] * (x[0] * t[i] + x[2]).sin() - y[i]).powi(2),
        grad: |x: &[f64], i: usize, g: &mut [f64]| {
            let (s, c) = (x[0] * t[i] + x[2]).sin_cos();
            let r = x[1] * s - y[i];
            g[0] = 2.0 * r * x[1] * t[i] * c;
            g[1] = 2.0 * r * s;
            g[2] = 2.0 * r * x[1] * c;
            true
        },
        scratch: &mut scratch,
    };
    let mut adam = Adam::<f64, 3>::new(AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let cfg = StochasticConfig {
        batch: 8,
        epochs,
        drop_last: 0,
    };
    let mut x = [w0, 0.5, 0.0];
    let mut perm = [0usize; S2];
    let r = match pacing {
        Some(pacing) => minimize_curriculum(
            &mut obj,
            &mut x,
            &mut adam,
            &mut perm,
            &cfg,
            &Curriculum { scores: &t, pacing },
            &mut rng,
            None,
            None,
        ),
        None => minimize_stochastic(
            &mut obj, &mut x, &mut adam, &mut perm, &cfg, &mut rng, None, None,
        ),
    }
    .unwrap();
    (x, r.sample_evals)
}

#[test]
fn curriculum_fits_the_noisy_phase_model() {
    // Same protocol as the sine: linear ramp 0.1 → 1 over 30 of 60 epochs; plain training
    // gets the fewest whole epochs with at least as many sample evaluations. Success: the
    // basin of scipy's least-squares fit, ω within 0.05 and |a| within 0.05 (a sin(θ + φ) =
    // −a sin(θ + φ − π): the sign-flipped fit is the same minimum). At the constant rate the
    // iterate hovers within about 0.03 of the fit in ω; the aliasing minima lie ≥ 0.2 away.
    let ok =
        |x: [f64; 3]| (x[0] - PHASE_LS[0]).abs() < 0.05 && (x[1].abs() - PHASE_LS[1]).abs() < 0.05;
    let (mut c, mut p) = (0, 0);
    let mut worst_err = 0.0_f64;
    for &w0 in &PHASE_STARTS {
        let (mut cw, mut pw) = (0, 0);
        for seed in 0..SEEDS {
            let (xc, ec) = phase_run(w0, seed, Some(Pacing::linear(0.1, 30)), 60);
            let (xp, ep) = phase_run(w0, seed, None, ec.div_ceil(S2));
            assert!(ep >= ec);
            if ok(xc) {
                cw += 1;
                worst_err = worst_err.max((xc[0] - PHASE_LS[0]).abs());
            }
            pw += ok(xp) as usize;
        }
        eprintln!("noisy phase ω₀ = {w0}: curriculum {cw}/{SEEDS}, plain {pw}/{SEEDS}");
        (c, p) = (c + cw, p + pw);
    }
    let n = PHASE_STARTS.len() * SEEDS as usize;
    eprintln!("noisy phase total: curriculum {c}/{n}, plain {p}/{n}; worst |ω − ω_LS| of the successes {worst_err:.2e}");
    // At least 90 % for the curriculum, at least 75 points ahead of plain training.
    assert!(c * 10 >= n * 9, "curriculum {c}/{n}");
    assert!(c * 4 >= p * 4 + n * 3, "curriculum {c}/{n}, plain {p}/{n}");
}

#[test]
fn the_c_entry_point_is_the_rust_kernel() {
    use lossmap::capi::{
        lossmap_adam_init_f64, lossmap_minimize_curriculum_f64, LossmapAdam,
        LossmapStochasticReport, LOSSMAP_OPTIMIZER_ADAM,
    };
    use lossmap::random::SplitMix64;
    use std::ffi::c_void;
    let t = sine_t();
    unsafe extern "C" fn loss(x: *const f64, n: usize, i: usize, ctx: *mut c_void) -> f64 {
        let (x, t) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                &*(ctx as *const [f64; S]),
            )
        };
        (x[1] * (x[0] * t[i]).sin() - (2.0 * t[i]).sin()).powi(2)
    }
    let pacing = Pacing::root(0.15, 20, 2.0);
    let cfg = StochasticConfig {
        batch: 5,
        epochs: 30,
        drop_last: 1,
    };
    // Rust: central differences of the same per-sample loss.
    let mut obj =
        PerSample(|x: &[f64], i: usize| (x[1] * (x[0] * t[i]).sin() - (2.0 * t[i]).sin()).powi(2));
    let acfg = AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    };
    let mut adam = Adam::<f64, 2>::new(acfg).unwrap();
    let mut rng = SplitMix64::new(42);
    let mut x = [1.2, 0.5];
    let mut perm = [0usize; S];
    let r = minimize_curriculum(
        &mut obj,
        &mut x,
        &mut adam,
        &mut perm,
        &cfg,
        &Curriculum { scores: &t, pacing },
        &mut rng,
        None,
        None,
    )
    .unwrap();
    // C.
    let (mut m, mut v, mut work) = ([0.0; 2], [0.0; 2], [0.0; 6]);
    let mut cx = [1.2, 0.5];
    let mut cperm = [0usize; S];
    let mut crng = SplitMix64::new(42);
    let mut rep = core::mem::MaybeUninit::<LossmapStochasticReport<f64>>::uninit();
    let rep = unsafe {
        let mut s = core::mem::MaybeUninit::<LossmapAdam<f64>>::uninit();
        assert_eq!(
            lossmap_adam_init_f64(s.as_mut_ptr(), &acfg, 2, m.as_mut_ptr(), v.as_mut_ptr()),
            0
        );
        let status = lossmap_minimize_curriculum_f64(
            Some(loss),
            None,
            &t as *const [f64; S] as *mut c_void,
            S,
            t.as_ptr(),
            &pacing,
            cx.as_mut_ptr(),
            2,
            LOSSMAP_OPTIMIZER_ADAM,
            s.as_mut_ptr() as *mut c_void,
            core::ptr::null_mut(),
            None,
            core::ptr::null_mut(),
            &cfg,
            &mut crng,
            cperm.as_mut_ptr(),
            work.as_mut_ptr(),
            rep.as_mut_ptr(),
        );
        assert_eq!(status, 0);
        rep.assume_init()
    };
    assert_eq!(cx, x);
    assert_eq!(cperm, perm);
    assert_eq!(
        (
            rep.epochs,
            rep.steps,
            rep.sample_evals,
            rep.active,
            rep.fraction
        ),
        (r.epochs, r.steps, r.sample_evals, r.active, r.fraction)
    );
    assert_eq!((rep.epoch_loss, rep.lr), (r.epoch_loss, r.lr));
    // drop_last = 1 with batches of 5: epoch t takes ⌊active/5⌋ steps.
    let steps: usize = (0..30).map(|e| pacing.active(e, S) / 5).sum();
    assert_eq!(r.steps, steps);
}
