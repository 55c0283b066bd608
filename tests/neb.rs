//! Nudged elastic band with climbing image: the saddle and barrier between neighbouring minima
//! of Himmelblau's function and between the global minima of the six-hump camel, in f32 and
//! f64; bad input; the divergence guard; evaluation counts; memory.
//!
//! Reference points: Himmelblau's `MINIMA`/`SADDLES` (Newton-refined constants) and, for the
//! camel, the saddle its minimum-energy path crosses as found independently by the string
//! method + Newton in `tests/reference/neb_paths.py`: the origin, barrier 1.031628453489877.

use lossmap::landscape::{neb, neb_slice, neb_work_len, CriticalPoint, Neb, NebConfig, Tolerance};
use lossmap::objective::{Fixed, WithGradient};
use lossmap::testfn::{Himmelblau, SixHumpCamel};
use lossmap::{Counted, Error, Objective, Real};

/// The camel's global minima ±(0.0898, −0.7127) (Jamil & Yang 2013; `SixHumpCamel::MINIMA`).
const CAMEL_A: [f64; 2] = SixHumpCamel::MINIMA[0];
const CAMEL_B: [f64; 2] = SixHumpCamel::MINIMA[1];
/// Where the camel's minimum-energy path between them crosses the ridge, and the barrier,
/// found independently by the string method + Newton in `tests/reference/neb_paths.py`: the
/// origin (one of the camel's seven saddles, not the lower pair at ±(1.109, −0.768)).
const CAMEL_SADDLE: [f64; 2] = [0.0, 0.0];
const CAMEL_BARRIER: f64 = 1.031628453489877;

#[test]
fn camel_reference_agrees_with_the_listed_critical_points() {
    assert_eq!(SixHumpCamel::SADDLES[0], CAMEL_SADDLE);
    let listed = SixHumpCamel::SADDLE_VALUES[0] - SixHumpCamel::MIN_VALUE;
    assert!((listed - CAMEL_BARRIER).abs() < 1e-14);
}

/// Power-iteration gradients per movable image spent probing the curvature of the first band.
const PROBE: usize = 8;
/// Loss values of the noise estimate per movable image, with finite-difference gradients.
const NOISE: usize = 8;

fn cast<T: Real>(p: [f64; 2]) -> [T; 2] {
    p.map(T::from_f64)
}

fn max_dist<T: Real>(x: &[T; 2], y: [f64; 2]) -> f64 {
    (x[0].to_f64() - y[0])
        .abs()
        .max((x[1].to_f64() - y[1]).abs())
}

/// Runs NEB from `a` to `b` and checks saddle (1e-4, max norm), barrier from both ends (1e-4
/// relative), classification, fixed endpoints and the energies.
fn check_pair<T: Real, O: Objective<T, 2> + Copy, const IMAGES: usize>(
    obj: O,
    a: [f64; 2],
    b: [f64; 2],
    saddle: [f64; 2],
    barrier: f64,
) -> Neb<T, 2, IMAGES> {
    let (ta, tb) = (cast::<T>(a), cast::<T>(b));
    let mut o = obj;
    let band = neb::<T, _, 2, IMAGES>(&mut o, &ta, &tb, &NebConfig::default())
        .unwrap_or_else(|e| panic!("{} {a:?}->{b:?}: {e}", T::NAME));
    let r = band.report;
    println!(
        "{} IMAGES={IMAGES} {a:?} -> {b:?}: {} iterations, {} value / {} gradient evaluations, \
         climbing image {} at ({:.9}, {:.9}), saddle error {:.1e}, barrier {:.9} (rel. error {:.1e}), \
         max force {:.1e}",
        T::NAME,
        r.iterations,
        r.value_evals,
        r.grad_evals,
        r.climbing,
        band.saddle[0].to_f64(),
        band.saddle[1].to_f64(),
        max_dist(&band.saddle, saddle),
        r.barrier_from_a.to_f64(),
        (r.barrier_from_a.to_f64() - barrier).abs() / barrier,
        r.max_force.to_f64(),
    );
    assert!(r.converged && r.climbed, "{r:?}");
    assert!(r.max_force <= NebConfig::<T>::default().force_tol * r.force_scale);
    assert_eq!(r.kinks, 0);
    assert!(r.climbing > 0 && r.climbing < IMAGES - 1);
    assert_eq!(band.saddle, band.path[r.climbing]);
    assert!(
        max_dist(&band.saddle, saddle) < 1e-4,
        "saddle {:?} vs {saddle:?}",
        band.saddle
    );
    // The minima are (numerically) at the reference energies, so both barriers are f(s) − f(min).
    for got in [r.barrier_from_a, r.barrier_from_b] {
        assert!(
            (got.to_f64() - barrier).abs() < 1e-4 * barrier,
            "barrier {got:?} vs {barrier}"
        );
    }
    // Endpoints fixed, bit for bit; energies are those of the returned images.
    assert_eq!(band.path[0], ta);
    assert_eq!(band.path[IMAGES - 1], tb);
    for (x, &e) in band.path.iter().zip(&band.energies) {
        assert_eq!(o.value(x), e);
    }
    assert_eq!(
        band.energies
            .iter()
            .enumerate()
            .skip(1)
            .take(IMAGES - 2)
            .fold((1, band.energies[1]), |m, (i, &e)| if e > m.1 {
                (i, e)
            } else {
                m
            })
            .0,
        r.climbing
    );
    let (kind, c) = band
        .classify(&mut o, &Tolerance::default())
        .expect("classifies");
    assert_eq!(
        kind,
        CriticalPoint::Saddle { index: 1 },
        "eigenvalues {:?}",
        c.eigen.values
    );
    band
}

fn himmelblau_barrier(s: [f64; 2]) -> f64 {
    Objective::<f64, 2>::value(&mut Himmelblau, &s)
}

fn himmelblau_pairs<T: Real>() {
    let (m, s) = (Himmelblau::MINIMA, Himmelblau::SADDLES);
    // (3, 2) ↔ (3.584, −1.848) across (3.385, 0.074); (3, 2) ↔ (−2.805, 3.131) across
    // (0.087, 2.884); (−3.779, −3.283) ↔ (3.584, −1.848) across (−0.128, −1.954).
    for (a, b, saddle) in [(m[0], m[3], s[2]), (m[0], m[1], s[0]), (m[2], m[3], s[3])] {
        let barrier = himmelblau_barrier(saddle);
        check_pair::<T, _, 9>(Himmelblau, a, b, saddle, barrier);
        // Reversed direction: same saddle.
        check_pair::<T, _, 9>(Himmelblau, b, a, saddle, barrier);
    }
    // Other band sizes, including the smallest (one movable image, which only climbs).
    check_pair::<T, _, 3>(Himmelblau, m[0], m[3], s[2], himmelblau_barrier(s[2]));
    check_pair::<T, _, 6>(Himmelblau, m[0], m[1], s[0], himmelblau_barrier(s[0]));
    check_pair::<T, _, 16>(Himmelblau, m[2], m[3], s[3], himmelblau_barrier(s[3]));
}

#[test]
fn himmelblau_saddles_and_barriers_f64() {
    himmelblau_pairs::<f64>();
}

#[test]
fn himmelblau_saddles_and_barriers_f32() {
    himmelblau_pairs::<f32>();
}

fn camel_pair<T: Real>() {
    // 8 images: no image starts on the saddle (the straight band's midpoint is the origin, so
    // with 9 images the middle image starts there); the climbing image has to get there.
    let band = check_pair::<T, _, 8>(SixHumpCamel, CAMEL_A, CAMEL_B, CAMEL_SADDLE, CAMEL_BARRIER);
    assert!(band.report.iterations > 10);
    check_pair::<T, _, 9>(SixHumpCamel, CAMEL_A, CAMEL_B, CAMEL_SADDLE, CAMEL_BARRIER);
    check_pair::<T, _, 12>(SixHumpCamel, CAMEL_B, CAMEL_A, CAMEL_SADDLE, CAMEL_BARRIER);
}

#[test]
fn six_hump_camel_saddle_and_barrier_f64() {
    camel_pair::<f64>();
}

#[test]
fn six_hump_camel_saddle_and_barrier_f32() {
    camel_pair::<f32>();
}

#[test]
fn climbing_from_the_start_and_finite_difference_gradients() {
    let (m, s) = (Himmelblau::MINIMA, Himmelblau::SADDLES);
    let cfg = NebConfig {
        climb_after: 0,
        ..NebConfig::default()
    };
    let band = neb::<f64, _, 2, 9>(&mut Himmelblau, &m[0], &m[3], &cfg).unwrap();
    assert!(band.report.converged && max_dist(&band.saddle, s[2]) < 1e-6);

    // A value-only closure: gradients by central differences (2N values each), counted.
    let f = |x: &[f64; 2]| (x[0] * x[0] + x[1] - 11.0).powi(2) + (x[0] + x[1] * x[1] - 7.0).powi(2);
    let mut counted = Counted::new(f);
    let band = neb::<f64, _, 2, 9>(&mut counted, &m[0], &m[3], &NebConfig::default()).unwrap();
    let r = band.report;
    assert!(r.converged && max_dist(&band.saddle, s[2]) < 1e-5, "{r:?}");
    assert_eq!(r.grad_evals, 7 * (r.iterations + 1 + PROBE) + r.mode_grads);
    assert!(r.mode_grads <= 2 * r.iterations);
    assert_eq!(
        r.value_evals,
        9 + 7 * r.iterations + 4 * r.grad_evals + 7 * NOISE
    );
    assert_eq!(
        (counted.values, counted.gradients),
        (r.value_evals, r.grad_evals)
    );
}

#[test]
fn evaluation_counts_with_an_analytic_gradient() {
    let m = Himmelblau::MINIMA;
    let mut counted = Counted::new(Himmelblau);
    let r = neb::<f64, _, 2, 9>(&mut counted, &m[0], &m[3], &NebConfig::default())
        .unwrap()
        .report;
    // First band: 9 energies, 7 gradients and 7 × 8 curvature probes; then 7 of each per
    // iteration.
    assert_eq!(r.value_evals, 9 + 7 * r.iterations);
    assert_eq!(r.grad_evals, 7 * (r.iterations + 1 + PROBE) + r.mode_grads);
    assert!(r.mode_grads <= 2 * r.iterations);
    assert_eq!(
        (counted.values, counted.gradients),
        (r.value_evals, r.grad_evals)
    );
}

#[test]
fn plain_neb_brackets_the_saddle_from_below() {
    let (m, s) = (Himmelblau::MINIMA, Himmelblau::SADDLES);
    let cfg = NebConfig {
        climb: 0,
        ..NebConfig::default()
    };
    let band = neb::<f64, _, 2, 9>(&mut Himmelblau, &m[0], &m[3], &cfg).unwrap();
    let r = band.report;
    assert!(r.converged && !r.climbed, "{r:?}");
    // Images on the MEP lie below its saddle, within an image spacing of it.
    let exact = himmelblau_barrier(s[2]);
    assert!(
        r.barrier_from_a < exact && r.barrier_from_a > 0.95 * exact,
        "{r:?}"
    );
    let spacing = ((m[3][0] - m[0][0]).hypot(m[3][1] - m[0][1])) / 8.0;
    assert!(max_dist(&band.saddle, s[2]) < spacing);
}

#[test]
fn climbing_never_switched_on_does_not_converge() {
    let m = Himmelblau::MINIMA;
    let cfg = NebConfig {
        climb_after: usize::MAX,
        climb_tol: 0.0,
        max_iter: 300,
        ..NebConfig::default()
    };
    let r = neb::<f64, _, 2, 9>(&mut Himmelblau, &m[0], &m[3], &cfg)
        .unwrap()
        .report;
    assert!(!r.converged && !r.climbed && r.iterations == 300, "{r:?}");
}

/// The slice kernel on Himmelblau with sentinel-filled outputs; returns what it returned.
fn run_slice(
    obj: &mut impl Objective<f64, 2>,
    a: &[f64],
    b: &[f64],
    images: usize,
    cfg: &NebConfig<f64>,
    path: &mut [f64],
    energies: &mut [f64],
) -> Result<lossmap::landscape::NebReport<f64>, Error> {
    let n = a.len();
    let mut work = vec![-7.0; neb_work_len(n, images)];
    neb_slice(
        &mut Fixed::<_, 2>(obj),
        a,
        b,
        path,
        energies,
        &mut work,
        cfg,
    )
}

#[test]
fn bad_input_is_rejected_without_writing_or_evaluating() {
    let m = Himmelblau::MINIMA;
    let (a, b) = (m[0], m[3]);
    let good = NebConfig::<f64>::default();
    let bad_configs = [
        NebConfig {
            spring: 0.0,
            ..good
        },
        NebConfig {
            spring: -1.0,
            ..good
        },
        NebConfig {
            spring: f64::NAN,
            ..good
        },
        NebConfig { step: 0.0, ..good },
        NebConfig { step: -0.1, ..good },
        NebConfig {
            step: f64::INFINITY,
            ..good
        },
        NebConfig {
            max_move: 0.0,
            ..good
        },
        NebConfig {
            force_tol: -1e-6,
            ..good
        },
        NebConfig {
            force_tol: f64::NAN,
            ..good
        },
        NebConfig {
            climb_tol: -1.0,
            ..good
        },
        NebConfig {
            max_iter: 0,
            ..good
        },
        NebConfig { climb: 2, ..good },
    ];
    let sentinel = 123.25;
    // (what, a, b, images, rows of path, config, expected error)
    type Case = (
        &'static str,
        Vec<f64>,
        Vec<f64>,
        usize,
        usize,
        NebConfig<f64>,
        Error,
    );
    let cases: Vec<Case> = {
        let mut v = vec![
            ("2 images", a.to_vec(), b.to_vec(), 2, 2, good, Error::Empty),
            ("1 image", a.to_vec(), b.to_vec(), 1, 1, good, Error::Empty),
            ("0 images", a.to_vec(), b.to_vec(), 0, 0, good, Error::Empty),
            (
                "identical endpoints",
                a.to_vec(),
                a.to_vec(),
                9,
                9,
                good,
                Error::InvalidParameter,
            ),
            (
                "NaN in a",
                vec![f64::NAN, 2.0],
                b.to_vec(),
                9,
                9,
                good,
                Error::NonFiniteInput,
            ),
            (
                "Inf in b",
                a.to_vec(),
                vec![3.5, f64::INFINITY],
                9,
                9,
                good,
                Error::NonFiniteInput,
            ),
            (
                "b too short",
                a.to_vec(),
                vec![3.5],
                9,
                9,
                good,
                Error::LengthMismatch,
            ),
            (
                "path too short",
                a.to_vec(),
                b.to_vec(),
                9,
                8,
                good,
                Error::LengthMismatch,
            ),
            ("n = 0", vec![], vec![], 9, 9, good, Error::Empty),
        ];
        for cfg in bad_configs {
            v.push((
                "bad config",
                a.to_vec(),
                b.to_vec(),
                9,
                9,
                cfg,
                Error::InvalidParameter,
            ));
        }
        v
    };
    for (what, a, b, images, path_rows, cfg, want) in cases {
        let mut counted = Counted::new(Himmelblau);
        let mut path = vec![sentinel; path_rows * 2];
        let mut energies = vec![sentinel; images];
        let n = a.len();
        let mut work = vec![sentinel; neb_work_len(n.max(2), images)];
        let got = neb_slice(
            &mut Fixed::<_, 2>(&mut counted),
            &a,
            &b,
            &mut path,
            &mut energies,
            &mut work,
            &cfg,
        );
        assert_eq!(got.map(|_| ()), Err(want), "{what}");
        assert!(path.iter().all(|&v| v == sentinel), "{what}: path written");
        assert!(
            energies.iter().all(|&v| v == sentinel),
            "{what}: energies written"
        );
        assert!(work.iter().all(|&v| v == sentinel), "{what}: work written");
        assert_eq!(
            (counted.values, counted.gradients),
            (0, 0),
            "{what}: evaluated"
        );
    }
    // Scratch one value short.
    let (mut path, mut energies) = (vec![sentinel; 18], vec![sentinel; 9]);
    let mut work = vec![sentinel; neb_work_len(2, 9) - 1];
    let got = neb_slice(
        &mut Fixed::<_, 2>(&mut Himmelblau),
        &a,
        &b,
        &mut path,
        &mut energies,
        &mut work,
        &good,
    );
    assert_eq!(got.map(|_| ()), Err(Error::LengthMismatch));
    assert!(path
        .iter()
        .chain(&energies)
        .chain(&work)
        .all(|&v| v == sentinel));

    // The typed wrapper: IMAGES < 3, identical endpoints, NaN, spring ≤ 0.
    let cfg = NebConfig::default();
    assert_eq!(
        neb::<f64, _, 2, 2>(&mut Himmelblau, &a, &b, &cfg).map(|_| ()),
        Err(Error::Empty)
    );
    assert_eq!(
        neb::<f64, _, 2, 9>(&mut Himmelblau, &a, &a, &cfg).map(|_| ()),
        Err(Error::InvalidParameter)
    );
    assert_eq!(
        neb::<f32, _, 2, 9>(
            &mut Himmelblau,
            &[f32::NAN, 0.0],
            &[1.0, 1.0],
            &NebConfig::default()
        )
        .map(|_| ()),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        neb::<f64, _, 2, 9>(&mut Himmelblau, &a, &b, &NebConfig { spring: 0.0, ..cfg }).map(|_| ()),
        Err(Error::InvalidParameter)
    );
}

/// Himmelblau whose value turns NaN from the `fail_at`-th evaluation on (counting from 1).
#[derive(Clone, Copy)]
struct NanAfter {
    calls: usize,
    fail_at: usize,
}

impl Objective<f64, 2> for NanAfter {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        self.calls += 1;
        if self.calls >= self.fail_at {
            f64::NAN
        } else {
            Objective::<f64, 2>::value(&mut Himmelblau, x)
        }
    }
    fn gradient(&mut self, x: &[f64; 2], g: &mut [f64; 2]) -> Result<usize, Error> {
        Objective::<f64, 2>::gradient(&mut Himmelblau, x, g)
    }
}

#[test]
fn divergence_restores_the_band_before_the_failing_step() {
    let m = Himmelblau::MINIMA;
    let (a, b) = (m[0], m[3]);
    let cfg = NebConfig::default();
    let sentinel = -5.5;

    // NaN while evaluating the straight band: the caller's path is untouched.
    for fail_at in [1, 5, 9] {
        let mut obj = NanAfter { calls: 0, fail_at };
        let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
        let got = run_slice(&mut obj, &a, &b, 9, &cfg, &mut path, &mut energies);
        assert_eq!(got.map(|_| ()), Err(Error::NonFiniteLoss));
        assert!(path.iter().all(|&v| v == sentinel), "fail_at {fail_at}");
    }

    // NaN in the middle of iteration k + 1: the path is the band after k iterations.
    for k in [1usize, 10, 40] {
        let stop_after_k = NebConfig { max_iter: k, ..cfg };
        let mut reference = NanAfter {
            calls: 0,
            fail_at: usize::MAX,
        };
        let (mut band_k, mut e_k) = (vec![0.0; 18], vec![0.0; 9]);
        let r = run_slice(
            &mut reference,
            &a,
            &b,
            9,
            &stop_after_k,
            &mut band_k,
            &mut e_k,
        )
        .unwrap();
        assert_eq!(r.iterations, k);
        // 9 energies for the first band, 7 per iteration: fail on the 4th of iteration k + 1.
        let mut failing = NanAfter {
            calls: 0,
            fail_at: 9 + 7 * k + 4,
        };
        let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
        let got = run_slice(&mut failing, &a, &b, 9, &cfg, &mut path, &mut energies);
        assert_eq!(got.map(|_| ()), Err(Error::NonFiniteLoss), "k = {k}");
        assert_eq!(path, band_k, "k = {k}");
    }

    // A gradient that turns NaN: NonFiniteGradient, path rolled back to a finite band.
    let mut calls = 0usize;
    let mut obj = WithGradient::new(
        |x: &[f64; 2]| Objective::<f64, 2>::value(&mut Himmelblau, x),
        |x: &[f64; 2], g: &mut [f64; 2]| {
            calls += 1;
            let _ = Objective::<f64, 2>::gradient(&mut Himmelblau, x, g);
            if calls > 7 * (PROBE + 5) + 3 {
                g[1] = f64::NAN;
            }
        },
    );
    let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
    let got = run_slice(&mut obj, &a, &b, 9, &cfg, &mut path, &mut energies);
    assert_eq!(got.map(|_| ()), Err(Error::NonFiniteGradient));
    assert!(path.iter().all(|v| v.is_finite()));
    assert_eq!(&path[..2], &a[..]);
    assert_eq!(&path[16..], &b[..]);

    // A gradient that turns NaN during the curvature probes: the caller's path is untouched.
    let mut calls = 0usize;
    let mut obj = WithGradient::new(
        |x: &[f64; 2]| Objective::<f64, 2>::value(&mut Himmelblau, x),
        |x: &[f64; 2], g: &mut [f64; 2]| {
            calls += 1;
            let _ = Objective::<f64, 2>::gradient(&mut Himmelblau, x, g);
            if calls > 7 + 20 {
                g[0] = f64::INFINITY;
            }
        },
    );
    let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
    let got = run_slice(&mut obj, &a, &b, 9, &cfg, &mut path, &mut energies);
    assert_eq!(got.map(|_| ()), Err(Error::NonFiniteGradient));
    assert!(path.iter().all(|&v| v == sentinel));

    // A gradient that turns NaN while rotating the climbing image's mode (climbing from the
    // start; 7 + 7·8 gradients before it, 2 per rotation, 7 per iteration): in the first
    // iteration the caller's path is untouched, in the second it is the band after one.
    let climb_now = NebConfig {
        climb_after: 0,
        ..cfg
    };
    let nan_after = |limit: usize| {
        let mut calls = 0usize;
        WithGradient::new(
            |x: &[f64; 2]| Objective::<f64, 2>::value(&mut Himmelblau, x),
            move |x: &[f64; 2], g: &mut [f64; 2]| {
                calls += 1;
                let _ = Objective::<f64, 2>::gradient(&mut Himmelblau, x, g);
                if calls > limit {
                    g[1] = f64::NAN;
                }
            },
        )
    };
    let mut obj = nan_after(7 + 7 * PROBE);
    let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
    let got = run_slice(&mut obj, &a, &b, 9, &climb_now, &mut path, &mut energies);
    assert_eq!(got.map(|_| ()), Err(Error::NonFiniteGradient));
    assert!(path.iter().all(|&v| v == sentinel));
    let one = NebConfig {
        max_iter: 1,
        ..climb_now
    };
    let (mut band_1, mut e_1) = (vec![0.0; 18], vec![0.0; 9]);
    let r = run_slice(&mut Himmelblau, &a, &b, 9, &one, &mut band_1, &mut e_1).unwrap();
    assert_eq!((r.iterations, r.mode_grads), (1, 2));
    let mut obj = nan_after(7 + 7 * PROBE + 2 + 7);
    let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
    let got = run_slice(&mut obj, &a, &b, 9, &climb_now, &mut path, &mut energies);
    assert_eq!(got.map(|_| ()), Err(Error::NonFiniteGradient));
    assert_eq!(path, band_1);
}

#[test]
fn state_is_small() {
    use core::mem::size_of;
    let work = neb_work_len(2, 9) * size_of::<f32>();
    let result = size_of::<Neb<f32, 2, 9>>();
    let config = size_of::<NebConfig<f32>>();
    println!(
        "N = 2, IMAGES = 9, f32: scratch {work} B, Neb (path + energies + saddle + report) \
         {result} B, NebConfig {config} B, NebReport {} B",
        size_of::<lossmap::landscape::NebReport<f32>>()
    );
    assert_eq!(work, 224);
    assert!(work + result + config < 512, "{work} + {result} + {config}");
}

/// Himmelblau with multiplicative noise of known relative standard deviation `eta`: a
/// deterministic hash of the point, uniform on `[−√3, √3]` (standard deviation 1).
struct NoisyHimmelblau {
    eta: f64,
}

impl Objective<f64, 2> for NoisyHimmelblau {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        let f = (x[0] * x[0] + x[1] - 11.0).powi(2) + (x[0] + x[1] * x[1] - 7.0).powi(2);
        let bits = x[0].to_bits() ^ x[1].to_bits().rotate_left(29);
        let h = bits
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(31)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let u = (h >> 11) as f64 / (1u64 << 53) as f64;
        f * (1.0 + self.eta * (u - 0.5) * 12f64.sqrt())
    }
}

/// With finite-difference gradients of a noisy loss, the run measures the noise (ECnoise,
/// Moré & Wild 2011) and converges at the resolution the noise allows; the measured relative
/// noise agrees with the known one. Without added noise it is the rounding's, a few ε. (Much
/// larger noise, `η = 1e-10`, swamps the finite-difference forces and the climbing mode's
/// Hessian–vector products: that run ends unconverged after 2000 iterations.)
#[test]
fn finite_difference_floor_follows_the_measured_noise() {
    let (m, s) = (Himmelblau::MINIMA, Himmelblau::SADDLES);
    let eps = f64::EPSILON;
    for eta in [0.0, 1e-12] {
        let band = neb::<f64, _, 2, 9>(
            &mut NoisyHimmelblau { eta },
            &m[0],
            &m[3],
            &NebConfig::default(),
        )
        .unwrap();
        let r = band.report;
        let err = max_dist(&band.saddle, s[2]);
        println!(
            "eta {eta:e}: noise {:.3e} ε (known {:.3e} ε), converged {} in {} iterations, \
             max force {:.2e} F₀, saddle error {err:.1e}",
            r.noise,
            eta / eps,
            r.converged,
            r.iterations,
            r.max_force / r.force_scale
        );
        assert!(r.converged && r.climbed, "{r:?}");
        if eta == 0.0 {
            assert!(r.noise >= 1.0 && r.noise < 10.0, "{r:?}");
            assert!(err < 1e-5, "{err}");
        } else {
            // The largest of 7 estimates from 9 values each: within a factor 2 of the truth.
            assert!(
                r.noise > 0.5 * eta / eps && r.noise < 2.0 * eta / eps,
                "{r:?}"
            );
            // The final force moves the zero of the gradient by at most force / min|λ| (a
            // Newton step, ×2 for the nonlinearity), λ Himmelblau's Hessian eigenvalues there.
            let [x, y] = s[2];
            let (a, b, c) = (
                12.0 * x * x + 4.0 * y - 42.0,
                4.0 * (x + y),
                4.0 * x + 12.0 * y * y - 26.0,
            );
            let rad = (0.25 * (a - c) * (a - c) + b * b).sqrt();
            let soft = (0.5 * (a + c) - rad).abs().min((0.5 * (a + c) + rad).abs());
            assert!(err < 2.0 * r.max_force / soft, "{err} {soft}");
        }
    }
}

/// A value-only loss (central-difference gradients) that turns NaN at call `fail_at`.
struct ValueNanAfter {
    calls: usize,
    fail_at: usize,
}

impl Objective<f64, 2> for ValueNanAfter {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        self.calls += 1;
        if self.calls >= self.fail_at {
            f64::NAN
        } else {
            Objective::<f64, 2>::value(&mut Himmelblau, x)
        }
    }
}

/// A loss that turns NaN during the noise estimate of the first probe: NonFiniteLoss, and the
/// caller's path is untouched.
#[test]
fn nan_during_the_noise_estimate_leaves_the_path_untouched() {
    let (a, b) = (Himmelblau::MINIMA[0], Himmelblau::MINIMA[3]);
    let sentinel = 123.25;
    // 9 energies, 7 gradients of 4 values, 7·8 probe gradients of 4 values, then the noise:
    // 8 values per movable image.
    let before_noise = 9 + 7 * 4 + 7 * PROBE * 4;
    for k in [1, NOISE + 3, 7 * NOISE] {
        let mut obj = ValueNanAfter {
            calls: 0,
            fail_at: before_noise + k,
        };
        let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
        let got = run_slice(
            &mut obj,
            &a,
            &b,
            9,
            &NebConfig::default(),
            &mut path,
            &mut energies,
        );
        assert_eq!(got.map(|_| ()), Err(Error::NonFiniteLoss), "k = {k}");
        assert!(path.iter().all(|&v| v == sentinel), "k = {k}");
    }
    // One value later the run goes on (the first iteration's energies).
    let mut obj = ValueNanAfter {
        calls: 0,
        fail_at: before_noise + 7 * NOISE + 1,
    };
    let (mut path, mut energies) = (vec![sentinel; 18], vec![0.0; 9]);
    let got = run_slice(
        &mut obj,
        &a,
        &b,
        9,
        &NebConfig::default(),
        &mut path,
        &mut energies,
    );
    assert_eq!(got.map(|_| ()), Err(Error::NonFiniteLoss));
    assert!(path.iter().any(|&v| v != sentinel));
}
