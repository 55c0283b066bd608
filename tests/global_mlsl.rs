//! Multi-level single linkage (Rinnooy Kan & Timmer 1987, NLopt's defaults): the kernel against
//! a plain re-implementation of the paper's rule (heap vectors, no sorting tricks) that draws
//! the same samples and runs the same polish, bit for bit; success on landscapes with many
//! minima over 20 seeds; a minimum on the boundary; fewer local searches than sample points;
//! non-finite losses; bad input changes nothing.

mod common;
mod global_landscapes;

use global_landscapes::{Schwefel, ST_MIN, TOL};
use lossmap::global::{
    mlsl_slice, mlsl_store_len, Bounds, Budget, LocalSearch, Mlsl, MlslConfig, ProjectedGradient,
    ProjectedLbfgs, SearchStop, MLSL_WORK,
};
use lossmap::objective::{Fixed, FnSlice};
use lossmap::testfn::{Ackley, Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

fn config(max_evals: usize, f_target: f64) -> MlslConfig<f64> {
    MlslConfig {
        budget: Budget {
            max_evals,
            f_target,
            ..Budget::default()
        },
        ..MlslConfig::default()
    }
}

/// Counts every value and gradient call, as the global searches charge them.
struct Count<'a, O> {
    inner: &'a mut O,
    evals: usize,
}

impl<O: Objective<f64, N>, const N: usize> Objective<f64, N> for Count<'_, O> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        self.evals += 1;
        self.inner.value(x)
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        self.evals += 1;
        let r = self.inner.gradient(x, g);
        if let Ok(e) = r {
            self.evals += e;
        }
        r
    }
}

/// The paper's rule written plainly: the sample in insertion order, the candidates found by
/// sorting a copy, distances to every lower point and minimum, `r_k` from the formula with
/// `Γ(1 + n/2)` by `libm::tgamma`. Returns (best loss, evaluations, local searches).
fn reference<O: Objective<f64, N>, const N: usize>(
    obj: &mut O,
    b: &Bounds<'_, f64>,
    rng: &mut XorShiftRng,
    x0: [f64; N],
    cfg: &MlslConfig<f64>,
) -> (f64, usize, usize) {
    let n = N as f64;
    let vol: f64 = b
        .lower()
        .iter()
        .zip(b.upper())
        .map(|(l, u)| u - l)
        .product();
    let pre =
        (libm::tgamma(1.0 + n / 2.0) * vol * cfg.sigma).powf(1.0 / n) / std::f64::consts::PI.sqrt();
    let mut c = Count {
        inner: obj,
        evals: 0,
    };
    let mut best = f64::INFINITY;
    let mut sample: Vec<([f64; N], f64, bool)> = Vec::new();
    let mut minima: Vec<([f64; N], f64)> = Vec::new();
    let f0 = c.value(&x0);
    best = best.min(f0);
    sample.push((x0, f0, false));
    let d2 =
        |a: &[f64; N], p: &[f64; N]| a.iter().zip(p).map(|(u, v)| (u - v) * (u - v)).sum::<f64>();
    let mut searches = 0;
    let mut polish = ProjectedLbfgs::<f64, N, 10>::default();
    let reached = |best: f64| best <= cfg.budget.f_target;
    'run: loop {
        if reached(best) || c.evals >= cfg.budget.max_evals {
            break;
        }
        for _ in 0..cfg.samples {
            if c.evals >= cfg.budget.max_evals {
                break 'run;
            }
            let mut x = [0.0; N];
            b.sample(rng, &mut x).unwrap();
            let f = c.value(&x);
            best = best.min(f);
            if reached(best) {
                break 'run;
            }
            sample.push((x, f, false));
        }
        let k = sample.len() as f64;
        let r = pre * (k.ln() / k).powf(1.0 / n);
        let mut order: Vec<usize> = (0..sample.len()).collect();
        order.sort_by(|&i, &j| sample[i].1.total_cmp(&sample[j].1));
        for &i in order.iter().take(((cfg.gamma * k).ceil() as usize).max(1)) {
            if reached(best) || c.evals >= cfg.budget.max_evals {
                break 'run;
            }
            let (xi, fi, done) = sample[i];
            if done
                || sample.iter().any(|p| p.1 < fi && d2(&p.0, &xi) <= r * r)
                || minima.iter().any(|m| m.1 < fi && d2(&m.0, &xi) <= r * r)
            {
                continue;
            }
            sample[i].2 = true;
            let (mut x, mut f) = (xi, fi);
            let left = cfg.budget.max_evals - c.evals;
            let mut track = Track {
                inner: &mut c,
                best: &mut best,
            };
            polish
                .refine(
                    &mut Fixed::<_, N>(&mut track),
                    b,
                    &mut x,
                    &mut f,
                    &mut [],
                    left,
                )
                .unwrap();
            searches += 1;
            minima.push((x, f));
        }
    }
    (best, c.evals, searches)
}

/// Keeps the lowest loss a polish evaluates.
struct Track<'a, 'b, O> {
    inner: &'a mut Count<'b, O>,
    best: &'a mut f64,
}

impl<O: Objective<f64, N>, const N: usize> Objective<f64, N> for Track<'_, '_, O> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let v = self.inner.value(x);
        *self.best = self.best.min(v);
        v
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        self.inner.gradient(x, g)
    }
}

fn same_as_reference<O: Objective<f64, N> + Copy, const N: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    max_evals: usize,
) {
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = config(max_evals, f_star + TOL);
    for seed in 0..4 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x0 = [0.0; N];
        b.sample(&mut rng, &mut x0).unwrap();
        let mut reference_rng = rng.clone();
        let mut o = obj;
        let (want_f, want_evals, want_searches) =
            reference(&mut o, &b, &mut reference_rng, x0, &cfg);
        let mut o = obj;
        let mut c = Count {
            inner: &mut o,
            evals: 0,
        };
        let mut x = x0;
        let r = Mlsl::<f64, N, 4000>::new(cfg)
            .unwrap()
            .run(
                &mut c,
                &mut ProjectedLbfgs::<f64, N, 10>::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        assert_eq!(r.best_loss, want_f, "seed {seed}: {r:?}");
        assert_eq!(
            (r.evals(), c.evals),
            (want_evals, want_evals),
            "seed {seed}"
        );
        assert_eq!(r.accepted, want_searches, "seed {seed}");
        assert_eq!(c.inner.value(&x), r.best_loss);
    }
}

#[test]
fn the_kernel_takes_the_papers_decisions() {
    same_as_reference(Rastrigin::<2>, [-5.12; 2], [5.12; 2], 0.0, 10_000);
    same_as_reference(
        SixHumpCamel,
        [-3.0, -2.0],
        [3.0, 2.0],
        SixHumpCamel::MIN_VALUE,
        5_000,
    );
    same_as_reference(
        StyblinskiTang::<3>,
        [-5.0; 3],
        [5.0; 3],
        3.0 * ST_MIN,
        15_000,
    );
    // Without a reachable target the whole budget runs.
    same_as_reference(Ackley::<2>, [-32.768; 2], [32.768; 2], -1.0, 1_000);
}

/// Successes of 20 seeds (100..120) reaching f* + TOL within the budget.
fn successes<O: Objective<f64, N> + Copy, const N: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    max_evals: usize,
) -> usize {
    let b = Bounds::new(&lo, &hi).unwrap();
    let mut ok = 0;
    for seed in 100..120 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let (np, nm, nv) = mlsl_store_len(N, max_evals / 2).unwrap();
        let (mut p, mut m, mut v) = (vec![0.0; np], vec![0.0; nm], vec![0.0; nv]);
        let mut work = [[0.0; N]; MLSL_WORK];
        let x0 = x;
        let r = mlsl_slice(
            &mut Fixed::<O, N>(&mut o),
            &mut ProjectedLbfgs::<f64, N, 10>::default(),
            &mut rng,
            &b,
            &config(max_evals, f_star + TOL),
            &x0,
            &mut x,
            &mut p,
            &mut m,
            &mut v,
            work.as_flattened_mut(),
        )
        .unwrap();
        assert!(r.evals() <= max_evals + N + 2 && b.contains(&x), "{r:?}");
        assert_eq!(o.value(&x), r.best_loss);
        ok += usize::from(r.reason == SearchStop::Target);
    }
    ok
}

#[test]
fn finds_the_global_minimum_of_multimodal_landscapes() {
    // Rastrigin 2-D (121 minima in the box), Styblinski–Tang 4-D (16 minima), Schwefel 2-D
    // (its minimum near the corner (420.97, 420.97) of ±500).
    assert_eq!(
        successes(Rastrigin::<2>, [-5.12; 2], [5.12; 2], 0.0, 10_000),
        20
    );
    assert_eq!(
        successes(
            StyblinskiTang::<4>,
            [-5.0; 4],
            [5.0; 4],
            4.0 * ST_MIN,
            20_000
        ),
        20
    );
    assert_eq!(
        successes(Schwefel, [-500.0; 2], [500.0; 2], 0.0, 10_000),
        20
    );
}

#[test]
fn fewer_local_searches_than_sample_points() {
    // A bowl has one basin: after the first polish every later sample point has a lower
    // minimum or a lower sample point near it, nearly always.
    let b = Bounds::new(&[-4.0; 2], &[4.0; 2]).unwrap();
    let mut bowl = FnSlice(|x: &[f64]| x[0] * x[0] + 2.0 * x[1] * x[1]);
    let mut rng = XorShiftRng::seed_from_u64(3);
    let (np, nm, nv) = mlsl_store_len(2, 500).unwrap();
    let (mut p, mut m, mut v) = (vec![0.0; np], vec![0.0; nm], vec![0.0; nv]);
    let (mut best, mut work) = ([0.0; 2], [0.0; 2 * MLSL_WORK]);
    let r = mlsl_slice(
        &mut bowl,
        &mut ProjectedGradient::default(),
        &mut rng,
        &b,
        &config(1_000_000, -1.0),
        &[3.0, -3.0],
        &mut best,
        &mut p,
        &mut m,
        &mut v,
        &mut work,
    )
    .unwrap();
    // The sample filled up: the start and 4 points per iteration.
    assert_eq!(r.reason, SearchStop::Completed);
    assert_eq!(r.iterations, 125);
    let searches = v[500..1000].iter().filter(|&&d| d != 0.0).count();
    assert_eq!(searches, r.accepted);
    assert!(r.accepted >= 1 && r.accepted * 20 < 500, "{r:?}");
    assert!(best.iter().all(|c| c.abs() < 1e-3), "{best:?}");
    // The sample is sorted by loss.
    assert!(v[..500].windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn ends_on_a_bound_where_the_minimum_is() {
    // (x − 2)² + (y + 3)² on [−1, 1]²: the minimum is the corner (1, −1).
    let b = Bounds::new(&[-1.0; 2], &[1.0; 2]).unwrap();
    let mut f = FnSlice(|v: &[f64]| (v[0] - 2.0).powi(2) + (v[1] + 3.0).powi(2));
    let mut rng = XorShiftRng::seed_from_u64(1);
    let (np, nm, nv) = mlsl_store_len(2, 50).unwrap();
    let (mut p, mut m, mut v) = (vec![0.0; np], vec![0.0; nm], vec![0.0; nv]);
    let (mut best, mut work) = ([0.0; 2], [0.0; 2 * MLSL_WORK]);
    let mut lbfgs = ProjectedLbfgs::<f64, 2, 10>::default();
    let r = mlsl_slice(
        &mut f,
        &mut lbfgs,
        &mut rng,
        &b,
        &config(2_000, 5.0 + 1e-12),
        &[0.0, 0.0],
        &mut best,
        &mut p,
        &mut m,
        &mut v,
        &mut work,
    );
    let r = r.unwrap();
    assert_eq!(best, [1.0, -1.0], "{r:?}");
    assert_eq!(r.best_loss, 5.0);
}

#[test]
fn non_finite_sample_points_are_dropped() {
    // NaN on the left half of the box: those samples never enter the sample.
    let b = Bounds::new(&[-2.0; 2], &[2.0; 2]).unwrap();
    let mut f = FnSlice(|v: &[f64]| {
        if v[0] < 0.0 {
            f64::NAN
        } else {
            (v[0] - 1.0).powi(2) + v[1] * v[1]
        }
    });
    let mut rng = XorShiftRng::seed_from_u64(2);
    let (np, nm, nv) = mlsl_store_len(2, 100).unwrap();
    let (mut p, mut m, mut v) = (vec![0.0; np], vec![0.0; nm], vec![0.0; nv]);
    let (mut best, mut work) = ([0.0; 2], [0.0; 2 * MLSL_WORK]);
    let r = mlsl_slice(
        &mut f,
        &mut ProjectedGradient::default(),
        &mut rng,
        &b,
        &config(3_000, -1.0),
        &[1.5, 1.5],
        &mut best,
        &mut p,
        &mut m,
        &mut v,
        &mut work,
    )
    .unwrap();
    assert!(r.best_loss.is_finite() && r.best_loss < 1e-8, "{r:?}");
    assert!(v[..100].iter().all(|l| l.is_finite()));
    // A start whose loss is NaN is an error, with nothing written.
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let before = (best, p.clone(), bits(&v));
    let e = mlsl_slice(
        &mut f,
        &mut ProjectedGradient::default(),
        &mut rng,
        &b,
        &config(3_000, -1.0),
        &[-1.0, 0.0],
        &mut best,
        &mut p,
        &mut m,
        &mut v,
        &mut work,
    );
    assert_eq!(e.unwrap_err(), Error::NonFiniteLoss);
    assert_eq!((best, p, bits(&v)), before);
}

#[test]
fn bad_input_changes_nothing() {
    let b = Bounds::new(&[-1.0; 2], &[1.0; 2]).unwrap();
    let mut f = FnSlice(|v: &[f64]| v[0] * v[0] + v[1] * v[1]);
    let good = config(500, -1.0);
    let (np, nm, nv) = mlsl_store_len(2, 10).unwrap();
    let w = 2 * MLSL_WORK;
    // (configuration, start, points length, values length, work length, error)
    type Case = (MlslConfig<f64>, [f64; 2], usize, usize, usize, Error);
    let cases: [Case; 8] = [
        (
            MlslConfig { gamma: 0.0, ..good },
            [0.5; 2],
            np,
            nv,
            w,
            Error::InvalidParameter,
        ),
        (
            MlslConfig { gamma: 1.5, ..good },
            [0.5; 2],
            np,
            nv,
            w,
            Error::InvalidParameter,
        ),
        (
            MlslConfig {
                sigma: f64::NAN,
                ..good
            },
            [0.5; 2],
            np,
            nv,
            w,
            Error::InvalidParameter,
        ),
        (
            MlslConfig { samples: 0, ..good },
            [0.5; 2],
            np,
            nv,
            w,
            Error::InvalidParameter,
        ),
        (good, [1.5, 0.0], np, nv, w, Error::InvalidParameter),
        (good, [f64::NAN, 0.0], np, nv, w, Error::NonFiniteInput),
        (good, [0.5; 2], np - 1, nv, w, Error::LengthMismatch),
        (good, [0.5; 2], np, nv - 1, w, Error::LengthMismatch),
    ];
    for (k, (cfg, x0, lp, lv, lw, want)) in cases.into_iter().enumerate() {
        let (mut p, mut m, mut v) = (vec![7.0; lp], vec![7.0; nm], vec![7.0; lv]);
        let (mut best, mut work) = ([7.0; 2], vec![7.0; lw]);
        let mut rng = XorShiftRng::seed_from_u64(5);
        let rng0 = rng.clone();
        let e = mlsl_slice(
            &mut f,
            &mut ProjectedGradient::default(),
            &mut rng,
            &b,
            &cfg,
            &x0,
            &mut best,
            &mut p,
            &mut m,
            &mut v,
            &mut work,
        );
        assert_eq!(e.unwrap_err(), want, "case {k}");
        assert!(
            p.iter()
                .chain(&m)
                .chain(&v)
                .chain(&best)
                .chain(&work)
                .all(|&c| c == 7.0),
            "case {k}"
        );
        assert_eq!(rng, rng0, "case {k}");
    }
    // No sample capacity; a short work buffer.
    let (mut best, mut work) = ([7.0; 2], [7.0; 8]);
    let mut rng = XorShiftRng::seed_from_u64(5);
    let e = mlsl_slice(
        &mut f,
        &mut ProjectedGradient::default(),
        &mut rng,
        &b,
        &good,
        &[0.5; 2],
        &mut best,
        &mut [],
        &mut [],
        &mut [],
        &mut work,
    );
    assert_eq!(e.unwrap_err(), Error::Empty);
    let (mut p, mut m, mut v) = (vec![7.0; np], vec![7.0; nm], vec![7.0; nv]);
    let e = mlsl_slice(
        &mut f,
        &mut ProjectedGradient::default(),
        &mut rng,
        &b,
        &good,
        &[0.5; 2],
        &mut best,
        &mut p,
        &mut m,
        &mut v,
        &mut work[..7],
    );
    assert_eq!(e.unwrap_err(), Error::LengthMismatch);
    assert!(best.iter().chain(&work).chain(&p).all(|&c| c == 7.0));
    assert!(Mlsl::<f64, 2, 0>::new(good).is_err());
    assert!(Mlsl::<f64, 2, 4>::new(MlslConfig {
        gamma: -1.0,
        ..good
    })
    .is_err());
}

#[test]
fn runs_in_f32() {
    let b = Bounds::new(&[-3.0f32, -2.0], &[3.0, 2.0]).unwrap();
    let mut rng = XorShiftRng::seed_from_u64(9);
    let mut x = [2.5f32, 1.5];
    let cfg = MlslConfig {
        budget: Budget {
            max_evals: 4_000,
            ..Budget::default()
        },
        ..MlslConfig::default()
    };
    let r = Mlsl::<f32, 2, 1000>::new(cfg)
        .unwrap()
        .run(
            &mut SixHumpCamel,
            &mut ProjectedGradient::default(),
            &b,
            &mut rng,
            &mut x,
        )
        .unwrap();
    assert!(
        (f64::from(r.best_loss) - SixHumpCamel::MIN_VALUE).abs() < 1e-5,
        "{r:?}"
    );
}
