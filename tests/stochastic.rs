//! The stochastic mini-batch driver: sampling without replacement, epoch accounting, the
//! effective temperature lr/batch, convergence on a noisy linear fit (against the normal
//! equations), agreement with closed-form gradient descent for a full batch, reproducibility,
//! bad input and the divergence guard.

use lossmap::optim::{
    minimize_stochastic, Adam, AdamConfig, BatchObjective, ExponentialLr, PerSample,
    PerSampleWithGradient, Sgd, SgdConfig, StochasticConfig, StochasticProgress, StopReason,
};
use lossmap::Error;
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

const M: usize = 40;

/// y = 1.5 t + 0.5 + noise (uniform in ±0.3 from a fixed LCG), t on a grid in [−1, 1].
fn data() -> ([f64; M], [f64; M]) {
    let (mut t, mut y) = ([0.0; M], [0.0; M]);
    let mut s: u64 = 99;
    for i in 0..M {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        t[i] = -1.0 + 2.0 * i as f64 / (M - 1) as f64;
        y[i] = 1.5 * t[i] + 0.5 + 0.6 * ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
    }
    (t, y)
}

/// Least squares by the 2×2 normal equations.
fn least_squares(t: &[f64], y: &[f64]) -> (f64, f64) {
    let m = t.len() as f64;
    let (st, sy) = (t.iter().sum::<f64>(), y.iter().sum::<f64>());
    let stt = t.iter().map(|v| v * v).sum::<f64>();
    let sty = t.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let a = (m * sty - st * sy) / (m * stt - st * st);
    (a, (sy - a * st) / m)
}

#[test]
fn noisy_linear_fit_reaches_least_squares() {
    let (t, y) = data();
    let (a, b) = least_squares(&t, &y);
    let mut scratch = [0.0; 2];
    let mut obj = PerSampleWithGradient {
        loss: |x: &[f64], i: usize| 0.5 * (x[0] * t[i] + x[1] - y[i]).powi(2),
        grad: |x: &[f64], i: usize, g: &mut [f64]| {
            let r = x[0] * t[i] + x[1] - y[i];
            g[0] = r * t[i];
            g[1] = r;
            true
        },
        scratch: &mut scratch,
    };
    // SGD with momentum, batch 5, the rate decaying 0.2 → ~1e-4 over the run: the noise
    // (temperature lr/batch) anneals away and the iterate settles on the least-squares line.
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig {
        lr: 0.2,
        momentum: 0.5,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut sched = ExponentialLr::new(0.2, 0.996).unwrap();
    let mut x = [0.0, 0.0];
    let mut rng = XorShiftRng::seed_from_u64(5);
    let cfg = StochasticConfig {
        batch: 5,
        epochs: 250,
        drop_last: 0,
    };
    let r = minimize_stochastic(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut [0; M],
        &cfg,
        &mut rng,
        Some(&mut sched),
        None,
    )
    .unwrap();
    assert_eq!(
        (r.reason, r.epochs, r.steps),
        (StopReason::MaxEpochs, 250, 2000)
    );
    assert!(
        (x[0] - a).abs() < 2e-3 && (x[1] - b).abs() < 2e-3,
        "{x:?} vs {a} {b}"
    );
    // Analytic gradients: one loss per sample per step, no finite differences.
    assert_eq!(r.sample_evals, 2000 * 5);
    assert!((r.temperature - r.lr / 5.0).abs() < 1e-18);
    assert!((r.lr - 0.2 * 0.996f64.powi(1999)).abs() < 1e-12);

    // Adam, central-difference gradients, batch 8: same line, looser (no decay).
    let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] * t[i] + x[1] - y[i]).powi(2));
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .unwrap();
    let mut x = [0.0, 0.0];
    let cfg = StochasticConfig {
        batch: 8,
        epochs: 400,
        drop_last: 0,
    };
    let r = minimize_stochastic(
        &mut obj,
        &mut x,
        &mut adam,
        &mut [0; M],
        &cfg,
        &mut rng,
        None,
        None,
    )
    .unwrap();
    assert!(
        (x[0] - a).abs() < 2e-2 && (x[1] - b).abs() < 2e-2,
        "{x:?} vs {a} {b}"
    );
    assert_eq!(r.sample_evals, r.steps * (8 + 2 * 2 * 8));
}

/// Records the batches it is asked for.
struct Recorder {
    seen: Vec<Vec<usize>>,
}

impl BatchObjective<f64> for Recorder {
    fn batch_value(&mut self, x: &[f64], batch: &[usize]) -> f64 {
        self.seen.push(batch.to_vec());
        x[0] * x[0]
    }
    fn batch_gradient(
        &mut self,
        x: &mut [f64],
        _: &[usize],
        g: &mut [f64],
    ) -> Result<usize, Error> {
        g[0] = 2.0 * x[0];
        Ok(0)
    }
}

#[test]
fn every_sample_once_per_epoch_and_the_last_batch() {
    for (drop_last, per_epoch, sizes) in [(0u8, 4, vec![3, 3, 3, 1]), (1, 3, vec![3, 3, 3])] {
        let mut obj = Recorder { seen: vec![] };
        let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
        let cfg = StochasticConfig {
            batch: 3,
            epochs: 5,
            drop_last,
        };
        let mut rng = XorShiftRng::seed_from_u64(11);
        let r = minimize_stochastic(
            &mut obj,
            &mut [1.0],
            &mut sgd,
            &mut [0; 10],
            &cfg,
            &mut rng,
            None,
            None,
        )
        .unwrap();
        assert_eq!((r.epochs, r.steps), (5, 5 * per_epoch));
        let mut orders = vec![];
        for epoch in obj.seen.chunks(per_epoch) {
            assert_eq!(epoch.iter().map(Vec::len).collect::<Vec<_>>(), sizes);
            let mut all: Vec<usize> = epoch.concat();
            orders.push(all.clone());
            all.sort_unstable();
            all.dedup();
            // Without replacement: no sample twice in an epoch (all ten when nothing dropped).
            assert_eq!(all.len(), sizes.iter().sum::<usize>());
            assert!(all.iter().all(|&i| i < 10));
        }
        // Reshuffled each epoch.
        assert!(orders.windows(2).any(|w| w[0] != w[1]));
    }
}

#[test]
fn full_batch_sgd_is_gradient_descent() {
    // Mean of ½(x − dᵢ)² has gradient x − d̄: GD gives x_t = d̄ + (1 − lr)^t (x₀ − d̄).
    let d = [1.0, 4.0, -2.0, 7.0, 0.5];
    let mean = d.iter().sum::<f64>() / 5.0;
    let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - d[i]).powi(2));
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr: 0.3,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut x = [10.0];
    let cfg = StochasticConfig {
        batch: 5,
        epochs: 12,
        drop_last: 0,
    };
    let mut rng = XorShiftRng::seed_from_u64(0);
    minimize_stochastic(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut [0; 5],
        &cfg,
        &mut rng,
        None,
        None,
    )
    .unwrap();
    let expect = mean + 0.7f64.powi(12) * (10.0 - mean);
    assert!((x[0] - expect).abs() < 1e-8, "{} vs {expect}", x[0]);
}

/// Variance of SGD's iterate about the minimizer on the mean of ½(x − dᵢ)² (1000 samples),
/// sampled once per epoch (an epoch is ≥ 250 steps, longer than the 1/lr correlation time).
fn stationary_variance(lr: f64, batch: usize, seed: u64) -> f64 {
    const S: usize = 1000;
    let mut d = [0.0; S];
    let mut g = XorShiftRng::seed_from_u64(1234);
    d.iter_mut()
        .for_each(|v| *v = lossmap::random::normal::<f64, _>(&mut g));
    let mean = d.iter().sum::<f64>() / S as f64;
    let mut scratch = [0.0];
    let mut obj = PerSampleWithGradient {
        loss: |x: &[f64], i: usize| 0.5 * (x[0] - d[i]).powi(2),
        grad: |x: &[f64], i: usize, out: &mut [f64]| {
            out[0] = x[0] - d[i];
            true
        },
        scratch: &mut scratch,
    };
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr,
        ..SgdConfig::default()
    })
    .unwrap();
    let cfg = StochasticConfig {
        batch,
        epochs: 1,
        drop_last: 1,
    };
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let mut x = [mean];
    let mut perm = [0usize; S];
    let epochs = 100;
    let mut s2 = 0.0;
    for _ in 0..epochs {
        minimize_stochastic(
            &mut obj, &mut x, &mut sgd, &mut perm, &cfg, &mut rng, None, None,
        )
        .unwrap();
        s2 += (x[0] - mean).powi(2);
    }
    s2 / epochs as f64
}

#[test]
fn temperature_lr_over_batch_sets_the_noise() {
    // For SGD on a quadratic with unit curvature, x follows an AR(1) process with stationary
    // variance lr·σ²/(batch·(2 − lr)) (σ² the sample variance, without-replacement factor ≈ 1
    // here): doubling lr doubles it, doubling lr and batch together keeps it.
    let seeds = 0..6u64;
    let avg = |lr: f64, b: usize| {
        seeds
            .clone()
            .map(|s| stationary_variance(lr, b, s))
            .sum::<f64>()
            / 6.0
    };
    let base = avg(0.02, 2);
    let hot = avg(0.04, 2);
    let same_temp = avg(0.04, 4);
    let r_hot = hot / base;
    let r_same = same_temp / base;
    assert!(
        (r_hot - 2.0).abs() < 0.5,
        "variance ratio at 2× lr: {r_hot}"
    );
    assert!(
        (r_same - 1.0).abs() < 0.3,
        "variance ratio at 2× lr and 2× batch: {r_same}"
    );
}

#[test]
fn same_seed_same_run() {
    let (t, y) = data();
    let run = |seed: u64| {
        let mut obj = PerSample(|x: &[f64], i: usize| (x[0] * t[i] + x[1] - y[i]).powi(2));
        let mut adam = Adam::<f64, 2>::new(AdamConfig {
            lr: 0.05,
            ..AdamConfig::default()
        })
        .unwrap();
        let mut x = [0.0, 0.0];
        let cfg = StochasticConfig {
            batch: 4,
            epochs: 3,
            drop_last: 0,
        };
        let mut rng = XorShiftRng::seed_from_u64(seed);
        minimize_stochastic(
            &mut obj,
            &mut x,
            &mut adam,
            &mut [0; M],
            &cfg,
            &mut rng,
            None,
            None,
        )
        .unwrap();
        x.map(f64::to_bits)
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn bad_input_changes_nothing() {
    let mut obj = PerSample(|x: &[f64], i: usize| (x[0] - i as f64).powi(2));
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
    let good = StochasticConfig {
        batch: 2,
        epochs: 1,
        drop_last: 0,
    };
    let cases = [
        (
            StochasticConfig { batch: 0, ..good },
            [0.5],
            Error::InvalidParameter,
        ),
        (
            StochasticConfig { batch: 7, ..good },
            [0.5],
            Error::InvalidParameter,
        ),
        (
            StochasticConfig { epochs: 0, ..good },
            [0.5],
            Error::InvalidParameter,
        ),
        (
            StochasticConfig {
                drop_last: 2,
                ..good
            },
            [0.5],
            Error::InvalidParameter,
        ),
        (good, [f64::NAN], Error::NonFiniteInput),
    ];
    for (cfg, start, err) in cases {
        let mut rng = XorShiftRng::seed_from_u64(1);
        let mut twin = rng.clone();
        let mut x = start;
        let mut perm = [7usize; 6];
        let r = minimize_stochastic(
            &mut obj, &mut x, &mut sgd, &mut perm, &cfg, &mut rng, None, None,
        );
        assert_eq!(r, Err(err));
        assert_eq!(x[0].to_bits(), start[0].to_bits());
        assert_eq!(perm, [7; 6]);
        assert_eq!(rng.next_u64(), twin.next_u64(), "generator untouched");
    }
    // No samples at all.
    let mut rng = XorShiftRng::seed_from_u64(1);
    let r = minimize_stochastic(
        &mut obj,
        &mut [0.5],
        &mut sgd,
        &mut [0usize; 0],
        &good,
        &mut rng,
        None,
        None,
    );
    assert_eq!(r, Err(Error::Empty));
}

#[test]
fn non_finite_batch_loss_rolls_back() {
    // The loss is NaN beyond x = 3; SGD at lr 0.4 from 0 toward the data mean 10 crosses it.
    let mut obj = PerSample(|x: &[f64], _: usize| {
        if x[0] > 3.0 {
            f64::NAN
        } else {
            0.5 * (x[0] - 10.0).powi(2)
        }
    });
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig {
        lr: 0.4,
        ..SgdConfig::default()
    })
    .unwrap();
    let mut x = [0.0];
    let cfg = StochasticConfig {
        batch: 1,
        epochs: 10,
        drop_last: 0,
    };
    let mut rng = XorShiftRng::seed_from_u64(2);
    let r = minimize_stochastic(
        &mut obj,
        &mut x,
        &mut sgd,
        &mut [0; 4],
        &cfg,
        &mut rng,
        None,
        None,
    );
    assert_eq!(r, Err(Error::NonFiniteLoss));
    // GD from 0 toward 10: x₁ = 4 where the loss is NaN, so x rolls back to the last point
    // whose loss was finite, the start.
    assert_eq!(x, [0.0]);
}

#[test]
fn observer_sees_the_temperature_and_may_stop() {
    let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - i as f64).powi(2));
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
    // Rate 0.1·0.5^t; batch 4 of 10 samples: batches 4, 4, 2 per epoch.
    let mut sched = ExponentialLr::new(0.1, 0.5).unwrap();
    let cfg = StochasticConfig {
        batch: 4,
        epochs: 10,
        drop_last: 0,
    };
    let mut seen = vec![];
    let mut watch = |p: &StochasticProgress<f64>| {
        seen.push(*p);
        p.step < 5
    };
    let mut rng = XorShiftRng::seed_from_u64(9);
    let r = minimize_stochastic(
        &mut obj,
        &mut [0.0],
        &mut sgd,
        &mut [0; 10],
        &cfg,
        &mut rng,
        Some(&mut sched),
        Some(&mut watch),
    )
    .unwrap();
    assert_eq!((r.reason, r.steps, r.epochs), (StopReason::Observer, 5, 1));
    let batches: Vec<usize> = seen.iter().map(|p| p.batch).collect();
    assert_eq!(batches, [4, 4, 2, 4, 4]);
    let epochs: Vec<usize> = seen.iter().map(|p| p.epoch).collect();
    assert_eq!(epochs, [0, 0, 0, 1, 1]);
    for (t, p) in seen.iter().enumerate() {
        let lr = 0.1 * 0.5f64.powi(t as i32);
        assert_eq!(p.lr, lr);
        assert_eq!(p.temperature, lr / p.batch as f64);
    }
}

/// torch's mini-batch loop `loss = f(batch); opt.step(); sched.step(loss)`: a schedule whose
/// `initial_lr` is `Some` (reduce-on-plateau) first runs at its initial rate and is asked for
/// step t with the batch loss of step t − 1.
#[test]
fn feedback_schedules_see_the_previous_batch_loss() {
    use lossmap::optim::Schedule;
    use lossmap::Error;
    struct Recorder(Vec<(usize, f64)>);
    impl Schedule<f64> for Recorder {
        fn lr(&mut self, step: usize, loss: f64) -> Result<f64, Error> {
            self.0.push((step, loss));
            Ok(0.1)
        }
        fn initial_lr(&mut self) -> Option<Result<f64, Error>> {
            Some(Ok(0.1))
        }
    }
    let mut obj = PerSample(|x: &[f64], i: usize| 0.5 * (x[0] - i as f64).powi(2));
    let mut sgd = Sgd::<f64, 1>::new(SgdConfig::default()).unwrap();
    let cfg = StochasticConfig {
        batch: 4,
        epochs: 2,
        drop_last: 0,
    };
    let mut seen = vec![];
    let mut watch = |p: &StochasticProgress<f64>| {
        seen.push(*p);
        true
    };
    let mut rng = XorShiftRng::seed_from_u64(3);
    let mut rec = Recorder(Vec::new());
    minimize_stochastic(
        &mut obj,
        &mut [0.0],
        &mut sgd,
        &mut [0; 10],
        &cfg,
        &mut rng,
        Some(&mut rec),
        Some(&mut watch),
    )
    .unwrap();
    assert_eq!(seen.len(), 6);
    let want: Vec<(usize, f64)> = (1..6).map(|t| (t, seen[t - 1].batch_loss)).collect();
    assert_eq!(rec.0, want);
}
