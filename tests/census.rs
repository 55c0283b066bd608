//! The critical-point finder and the census against closed forms: the separable quartic
//! `f(x) = Σᵢ (xᵢ⁴ − 2xᵢ²)` has exactly the `3^N` critical points `xᵢ ∈ {−1, 0, 1}`, of index
//! the number of zeros (`f'' = 12xᵢ² − 4` is −4 at 0, 8 at ±1) and value `−(N − #zeros)`.

use lossmap::global::Bounds;
use lossmap::landscape::{
    census_slice, census_work_len, critical_point_slice, critical_work_len, find_critical, Census,
    CensusBuffers, CensusConfig, CriticalConfig, CriticalPoint, CriticalScratch,
};
use lossmap::objective::FnSlice;
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// `Σ (xᵢ⁴ − 2xᵢ²)`, derivatives by finite differences (the trait's defaults).
#[derive(Clone, Copy)]
struct Quartic;

impl<const N: usize> Objective<f64, N> for Quartic {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        x.iter().map(|v| v.powi(4) - 2.0 * v * v).sum()
    }
}

fn census_of<const N: usize, const K: usize>(starts: usize, seed: u64) -> Census<f64, N, K> {
    let (lo, hi) = ([-1.5; N], [1.5; N]);
    let bounds = Bounds::new(&lo, &hi).unwrap();
    let mut c = Census::<f64, N, K>::new();
    let cfg = CensusConfig {
        starts,
        ..CensusConfig::default()
    };
    c.run(
        &mut Quartic,
        &bounds,
        &mut XorShiftRng::seed_from_u64(seed),
        &cfg,
    )
    .unwrap();
    c
}

/// Every entry is one of the closed-form points with its index and value; all `3^N` found.
fn check_all_found<const N: usize, const K: usize>(c: &Census<f64, N, K>) {
    let total = 3usize.pow(N as u32);
    assert_eq!(c.entries.len(), total, "{:?}", c.report);
    let mut seen = std::collections::HashSet::new();
    for e in &c.entries {
        let key: Vec<i32> = e.point.iter().map(|v| v.round() as i32).collect();
        assert!(
            e.point.iter().all(|v| (v - v.round()).abs() < 1e-7),
            "{e:?}"
        );
        let zeros = key.iter().filter(|&&k| k == 0).count();
        assert_eq!(e.index, zeros, "{e:?}");
        assert!((e.value + (N - zeros) as f64).abs() < 1e-10, "{e:?}");
        let kind = match zeros {
            0 => CriticalPoint::Minimum,
            z if z == N => CriticalPoint::Maximum,
            z => CriticalPoint::Saddle { index: z },
        };
        assert_eq!(e.kind, kind);
        // Eigenvalues: −4 (zeros) and 8 (±1), ascending.
        let mut want: Vec<f64> = key
            .iter()
            .map(|&k| if k == 0 { -4.0 } else { 8.0 })
            .collect();
        want.sort_by(f64::total_cmp);
        for (g, w) in e.eigenvalues.iter().zip(&want) {
            assert!((g - w).abs() < 1e-4, "{e:?}");
        }
        assert!(seen.insert(key));
    }
    // Sorted by value.
    assert!(c.entries.windows(2).all(|w| w[0].value <= w[1].value));
    let minima = 2f64.powi(N as i32) / total as f64;
    assert!((c.minima_fraction() - minima).abs() < 1e-12);
    let r = c.report;
    assert_eq!(r.starts, r.converged + r.failed);
    assert_eq!(
        r.converged,
        r.distinct + r.duplicates + r.outside + r.dropped
    );
}

#[test]
fn separable_quartic_all_critical_points_n1_to_3() {
    // Starts: 20·3^N, enough for every basin of the damped Newton iteration in [−1.5, 1.5]^N.
    check_all_found(&census_of::<1, 8>(60, 1));
    check_all_found(&census_of::<2, 16>(180, 2));
    check_all_found(&census_of::<3, 32>(540, 3));
}

#[test]
fn full_list_keeps_the_lowest() {
    // N = 2 has 9 points; with room for 4 the census keeps the 4 minima (value −2).
    let c = census_of::<2, 4>(180, 2);
    assert_eq!(c.entries.len(), 4);
    assert!(c.entries.iter().all(|e| e.kind == CriticalPoint::Minimum));
    assert!(c.report.dropped > 0);
}

#[test]
fn slice_census_matches_typed() {
    const N: usize = 2;
    const K: usize = 16;
    let typed = census_of::<N, K>(180, 2);
    let mut f = FnSlice(|v: &[f64]| v.iter().map(|x| x.powi(4) - 2.0 * x * x).sum::<f64>());
    let (lo, hi) = ([-1.5; N], [1.5; N]);
    let bounds = Bounds::new(&lo, &hi).unwrap();
    let (mut p, mut v, mut ix, mut kd, mut eg) =
        ([0.0; K * N], [0.0; K], [0usize; K], [0i32; K], [0.0; K * N]);
    let mut out = CensusBuffers {
        points: &mut p,
        values: &mut v,
        index: &mut ix,
        kinds: &mut kd,
        eigenvalues: &mut eg,
    };
    let mut work = vec![0.0; census_work_len(N)];
    let cfg = CensusConfig {
        starts: 180,
        ..CensusConfig::default()
    };
    let r = census_slice(
        &mut f,
        &bounds,
        &mut XorShiftRng::seed_from_u64(2),
        &cfg,
        &mut out,
        &mut work,
    )
    .unwrap();
    assert_eq!(r, typed.report);
    for (i, e) in typed.entries.iter().enumerate() {
        assert_eq!(&p[i * N..i * N + N], &e.point);
        assert_eq!(v[i], e.value);
        assert_eq!(ix[i], e.index);
        assert_eq!(kd[i], e.kind.code());
    }
}

#[test]
fn finder_reaches_saddles_and_maxima() {
    // From a start near each critical point of x⁴ − 2x² + y⁴ − 2y² the finder lands on it.
    let cfg = CriticalConfig::default();
    for (start, want, kind) in [
        ([0.1, 0.2], [0.0, 0.0], CriticalPoint::Maximum),
        ([0.9, -0.1], [1.0, 0.0], CriticalPoint::Saddle { index: 1 }),
        ([-1.1, 0.8], [-1.0, 1.0], CriticalPoint::Minimum),
    ] {
        let mut x = start;
        let (r, _) = find_critical(&mut Quartic, &mut x, &cfg).unwrap();
        assert_eq!(r.kind, kind);
        assert!((x[0] - want[0]).abs() < 1e-8 && (x[1] - want[1]).abs() < 1e-8);
        assert!(r.grad_norm <= cfg.tol.grad);
    }
}

#[test]
fn bad_input_changes_nothing() {
    let mut f = FnSlice(|v: &[f64]| v[0] * v[0] - v[1] * v[1]);
    let mut buf = vec![0.5; critical_work_len(2)];
    let before = buf.clone();
    let mut x = [0.3, f64::NAN];
    {
        let mut s = CriticalScratch::split(&mut buf, 2).unwrap();
        let cfg = CriticalConfig::default();
        let e = critical_point_slice(&mut f, &mut x, &cfg, &mut s).unwrap_err();
        assert_eq!(e, Error::NonFiniteInput);
        let mut x3 = [0.1, 0.2, 0.3];
        let e = critical_point_slice(&mut f, &mut x3, &cfg, &mut s).unwrap_err();
        assert_eq!(e, Error::LengthMismatch);
        assert_eq!(x3, [0.1, 0.2, 0.3]);
        let mut y = [0.3, 0.4];
        let bad = CriticalConfig { max_iter: 0, ..cfg };
        let e = critical_point_slice(&mut f, &mut y, &bad, &mut s).unwrap_err();
        assert_eq!(e, Error::InvalidParameter);
        assert_eq!(y, [0.3, 0.4]);
    }
    assert!(x[1].is_nan() && x[0] == 0.3);
    assert_eq!(buf, before);
    assert_eq!(
        CriticalScratch::split(&mut [0.0; 10], 2).unwrap_err(),
        Error::LengthMismatch
    );

    // Census: sizes and config checked before any output is written.
    let (lo, hi) = ([-1.0; 2], [1.0; 2]);
    let bounds = Bounds::new(&lo, &hi).unwrap();
    let (mut p, mut v, mut ix, mut kd, mut eg) =
        ([7.0; 8], [7.0; 4], [7usize; 4], [7i32; 4], [7.0; 8]);
    let mut work = vec![7.0; census_work_len(2)];
    let mut rng = XorShiftRng::seed_from_u64(1);
    let cases: [(CensusConfig<f64>, usize); 3] = [
        (
            CensusConfig {
                starts: 0,
                ..CensusConfig::default()
            },
            census_work_len(2),
        ),
        (
            CensusConfig {
                dedup_tol: f64::NAN,
                ..CensusConfig::default()
            },
            census_work_len(2),
        ),
        (CensusConfig::default(), census_work_len(2) - 1),
    ];
    for (cfg, wl) in cases {
        let mut out = CensusBuffers {
            points: &mut p,
            values: &mut v,
            index: &mut ix,
            kinds: &mut kd,
            eigenvalues: &mut eg,
        };
        let w = &mut work[..wl];
        assert!(census_slice(&mut f, &bounds, &mut rng, &cfg, &mut out, w).is_err());
    }
    assert!(p
        .iter()
        .chain(&v)
        .chain(&eg)
        .chain(&work)
        .all(|&a| a == 7.0));
    assert!(ix.iter().all(|&a| a == 7) && kd.iter().all(|&a| a == 7));
}

#[test]
fn no_critical_point_is_no_convergence() {
    // x + y²: ∇f = (1, 2y) never vanishes; the finder stalls.
    let mut f = FnSlice(|v: &[f64]| v[0] + v[1] * v[1]);
    let mut buf = vec![0.0; critical_work_len(2)];
    let mut s = CriticalScratch::split(&mut buf, 2).unwrap();
    let mut x = [0.0, 0.5];
    let e = critical_point_slice(&mut f, &mut x, &CriticalConfig::default(), &mut s).unwrap_err();
    assert_eq!(e, Error::NoConvergence);
    assert!(x.iter().all(|v| v.is_finite()));
}

#[test]
fn f32_census_finds_the_nine_points() {
    const N: usize = 2;
    let (lo, hi) = ([-1.5f32; N], [1.5; N]);
    let bounds = Bounds::new(&lo, &hi).unwrap();
    let mut c = Census::<f32, N, 16>::new();
    let cfg = CensusConfig {
        starts: 180,
        ..CensusConfig::default()
    };
    let mut f = |x: &[f32; N]| x.iter().map(|v| v.powi(4) - 2.0 * v * v).sum::<f32>();
    let r = c
        .run(&mut f, &bounds, &mut XorShiftRng::seed_from_u64(2), &cfg)
        .unwrap();
    assert_eq!(r.distinct, 9, "{r:?}");
    for e in &c.entries {
        let zeros = e.point.iter().filter(|v| v.abs() < 0.5).count();
        assert_eq!(e.index, zeros);
        assert!((e.value + (N - zeros) as f32).abs() < 1e-4, "{e:?}");
        assert!(
            e.point.iter().all(|v| (v - v.round()).abs() < 1e-2),
            "{e:?}"
        );
    }
}

#[test]
fn failing_callback_mid_run_leaves_a_finite_accepted_point() {
    // x⁴ − 2x² + y⁴ − 2y², NaN from the k-th call on.
    for k in [1usize, 5, 20, 40] {
        let mut calls = 0usize;
        let mut f = FnSlice(|v: &[f64]| {
            calls += 1;
            if calls >= k {
                f64::NAN
            } else {
                v.iter().map(|x| x.powi(4) - 2.0 * x * x).sum::<f64>()
            }
        });
        let mut buf = vec![0.0; critical_work_len(2)];
        let mut s = CriticalScratch::split(&mut buf, 2).unwrap();
        let mut x = [0.9, 0.2];
        let e = critical_point_slice(&mut f, &mut x, &CriticalConfig::default(), &mut s);
        let e = e.unwrap_err();
        assert!(
            matches!(e, Error::NonFiniteLoss | Error::NonFiniteGradient),
            "{e:?}"
        );
        assert!(x.iter().all(|v| v.is_finite()), "{x:?}");
        if k == 1 {
            assert_eq!(x, [0.9, 0.2]);
        }
    }
    // In a census such starts count as failed and the rest go on.
    let mut calls = 0usize;
    let mut f = |x: &[f64; 1]| {
        calls += 1;
        if calls.is_multiple_of(97) {
            f64::NAN
        } else {
            x[0].powi(4) - 2.0 * x[0] * x[0]
        }
    };
    let (lo, hi) = ([-1.5], [1.5]);
    let bounds = Bounds::new(&lo, &hi).unwrap();
    let mut c = Census::<f64, 1, 4>::new();
    let cfg = CensusConfig {
        starts: 60,
        ..CensusConfig::default()
    };
    let r = c
        .run(&mut f, &bounds, &mut XorShiftRng::seed_from_u64(4), &cfg)
        .unwrap();
    assert!(r.failed > 0 && r.distinct == 3, "{r:?}");
    assert!(c.entries.iter().all(|e| e.value.is_finite()));
}
