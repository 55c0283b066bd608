//! The tour's pictures, as `(file name, SVG text)` pairs. Shared with `tests/plot_docs.rs`,
//! which checks that the copies committed under `docs/plots/` are what this code draws now.
//!
//! Every run is deterministic (fixed starts, a seeded generator, IEEE-754 arithmetic and the
//! crate's own libm-based number formatting), so the SVG text is the same on every machine.

use lossmap::global::{Bounds, Budget, MultiStart, ProjectedGradient};
use lossmap::landscape::{neb, slice_1d, slice_2d, Neb, NebConfig, Tolerance};
use lossmap::linalg::SymEigen;
use lossmap::nlls::{LevenbergMarquardt, LmConfig};
use lossmap::optim::{Adam, AdamConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig};
use lossmap::plot::{
    correlation, curves, heatmap, neb_profile, spectrum, Band, Chart, ColourScale,
    CorrelationConfig, Grid, HeatmapConfig, Levels, Marks, Overlays, Scale, Series, Trajectory,
};
use lossmap::random::SplitMix64;
use lossmap::testfn::{Himmelblau, Rosenbrock};
use lossmap::Objective;

/// A run of a first-order optimizer with analytic gradients: the visited points (thinned to
/// steps of at least `thin` in x, for a compact picture), and loss and ‖g‖ per iteration.
pub struct Run {
    pub name: &'static str,
    pub points: Vec<[f64; 2]>,
    pub loss: Vec<f64>,
    pub grad_norm: Vec<f64>,
}

fn run<O: Objective<f64, 2>, P: Optimizer<f64>>(
    name: &'static str,
    obj: &mut O,
    opt: &mut P,
    start: [f64; 2],
    steps: usize,
    thin: f64,
) -> Run {
    let mut x = start;
    let mut g = [0.0; 2];
    let mut r = Run {
        name,
        points: vec![x],
        loss: Vec::new(),
        grad_norm: Vec::new(),
    };
    for _ in 0..=steps {
        obj.gradient(&x, &mut g).expect("analytic gradient");
        r.loss.push(obj.value(&x));
        r.grad_norm.push(g[0].hypot(g[1]));
        if r.grad_norm.last().is_some_and(|&n| n < 1e-8) {
            break;
        }
        opt.step(&mut x, &g).expect("step");
        let last = r.points.last().copied().unwrap_or(x);
        if (x[0] - last[0]).hypot(x[1] - last[1]) >= thin {
            r.points.push(x);
        }
    }
    r.points.push(x);
    r
}

/// Adam from (−1.2, 1), SGD with momentum from (−1.6, 2.8) and RMSprop from (1.6, −0.6) on
/// Rosenbrock (separate starts keep the three paths apart in the picture), 3 000 steps each.
pub fn rosenbrock_runs() -> Vec<Run> {
    let steps = 3000;
    let mut adam = Adam::<f64, 2>::new(AdamConfig {
        lr: 0.02,
        ..AdamConfig::default()
    })
    .expect("config");
    let mut sgd = Sgd::<f64, 2>::new(SgdConfig {
        lr: 2e-4,
        momentum: 0.9,
        ..SgdConfig::default()
    })
    .expect("config");
    let mut rms = RmsProp::<f64, 2>::new(RmsPropConfig {
        lr: 2e-3,
        ..RmsPropConfig::default()
    })
    .expect("config");
    vec![
        run(
            "Adam (lr 0.02) from (\u{2212}1.2, 1)",
            &mut Rosenbrock,
            &mut adam,
            [-1.2, 1.0],
            steps,
            0.01,
        ),
        run(
            "SGD, momentum 0.9 (lr 2e-4) from (\u{2212}1.6, 2.8)",
            &mut Rosenbrock,
            &mut sgd,
            [-1.6, 2.8],
            steps,
            0.01,
        ),
        run(
            "RMSprop (lr 2e-3) from (1.6, \u{2212}0.6)",
            &mut Rosenbrock,
            &mut rms,
            [1.6, -0.6],
            steps,
            0.01,
        ),
    ]
}

/// Rosenbrock's heat map on [−2, 2] × [−1, 3] with the three trajectories.
pub fn rosenbrock_heatmap(runs: &[Run]) -> String {
    let (nx, ny) = (61, 61);
    let mut v = vec![0.0; nx * ny];
    let mut f = |p: &[f64]| Rosenbrock.value(&[p[0], p[1]]);
    slice_2d(
        &mut f,
        &[0.0, 0.0],
        &[1.0, 0.0],
        &[0.0, 1.0],
        (-2.0, 2.0),
        (-1.0, 3.0),
        nx,
        &mut [0.0; 2],
        &mut v,
    )
    .expect("slice");
    let grid = Grid {
        values: &v,
        nx,
        ny,
        x: (-2.0, 2.0),
        y: (-1.0, 3.0),
    };
    let paths: Vec<Trajectory<'_, f64>> = runs
        .iter()
        .map(|r| Trajectory {
            label: r.name,
            points: &r.points,
        })
        .collect();
    let overlays = Overlays {
        trajectories: &paths,
        markers: &[[1.0, 1.0]],
        marker_label: "minimum (1, 1)",
        ..Overlays::default()
    };
    let config = HeatmapConfig {
        chart: Chart {
            width: 680,
            height: 540,
            title: "Rosenbrock: three optimizers, 3 000 steps each",
            x_label: "x\u{2080}",
            y_label: "x\u{2081}",
            ..Chart::default()
        },
        levels: Levels::Log {
            count: 8,
            decades: 4.0,
        },
        colour: ColourScale::Log { decades: 4.0 },
        colour_label: "f",
    };
    let mut svg = String::new();
    heatmap(&mut svg, &grid, &overlays, &config).expect("heat map");
    svg
}

/// Loss (and ‖g‖) of the runs against the iteration, log y.
pub fn convergence(runs: &[Run], grad: bool) -> String {
    let series: Vec<Series<'_, f64>> = runs
        .iter()
        .map(|r| Series {
            label: r.name,
            x: None,
            y: if grad { &r.grad_norm } else { &r.loss },
            marks: Marks::None,
        })
        .collect();
    let chart = Chart {
        title: if grad {
            "Rosenbrock: gradient norm"
        } else {
            "Rosenbrock: loss"
        },
        x_label: "iteration (= gradient evaluations)",
        y_label: if grad {
            "\u{2016}\u{2207}f\u{2016}"
        } else {
            "f(x)"
        },
        y_scale: Scale::Log10,
        ..Chart::default()
    };
    let mut svg = String::new();
    curves(&mut svg, &series, &chart).expect("curves");
    svg
}

const IMAGES: usize = 11;

/// The band between Himmelblau's minima 0 and 3 (climbing image on the saddle between them).
pub fn himmelblau_band() -> Neb<f64, 2, IMAGES> {
    let (a, b) = (Himmelblau::MINIMA[0], Himmelblau::MINIMA[3]);
    neb::<f64, _, 2, IMAGES>(&mut Himmelblau, &a, &b, &NebConfig::default()).expect("band")
}

/// Himmelblau's heat map with the band and the end points of an 8-start multi-start.
pub fn himmelblau_heatmap(band: &Neb<f64, 2, IMAGES>) -> String {
    let (nx, ny) = (61, 61);
    let mut v = vec![0.0; nx * ny];
    let mut f = |p: &[f64]| Himmelblau.value(&[p[0], p[1]]);
    slice_2d(
        &mut f,
        &[0.0, 0.0],
        &[1.0, 0.0],
        &[0.0, 1.0],
        (-5.0, 5.0),
        (-5.0, 5.0),
        nx,
        &mut [0.0; 2],
        &mut v,
    )
    .expect("slice");
    let grid = Grid {
        values: &v,
        nx,
        ny,
        x: (-5.0, 5.0),
        y: (-5.0, 5.0),
    };
    let (lo, hi) = ([-5.0, -5.0], [5.0, 5.0]);
    let bounds = Bounds::new(&lo, &hi).expect("box");
    let ends = MultiStart::<f64, 2, 8>::new(Budget::default())
        .and_then(|mut ms| {
            ms.run_uniform(
                &mut Himmelblau,
                &mut ProjectedGradient::default(),
                &bounds,
                &mut SplitMix64::new(7),
                &Tolerance::default(),
            )
        })
        .expect("multi-start")
        .ends;
    let overlays = Overlays {
        band: Some(Band {
            label: "NEB images",
            images: &band.path,
            climbing: Some(band.report.climbing),
        }),
        markers: &ends,
        marker_label: "multi-start ends (8)",
        ..Overlays::default()
    };
    let config = HeatmapConfig {
        chart: Chart {
            width: 680,
            height: 540,
            title: "Himmelblau: a nudged elastic band and a multi-start",
            x_label: "x\u{2080}",
            y_label: "x\u{2081}",
            ..Chart::default()
        },
        levels: Levels::Log {
            count: 8,
            decades: 3.0,
        },
        colour: ColourScale::Log { decades: 3.0 },
        colour_label: "f",
    };
    let mut svg = String::new();
    heatmap(&mut svg, &grid, &overlays, &config).expect("heat map");
    svg
}

/// The band's energy profile.
pub fn himmelblau_profile(band: &Neb<f64, 2, IMAGES>) -> String {
    let chart = Chart {
        title: "Himmelblau: NEB energy profile",
        x_label: "reaction coordinate (path length)",
        y_label: "f",
        ..Chart::default()
    };
    let mut svg = String::new();
    neb_profile(
        &mut svg,
        band.path.as_flattened(),
        2,
        &band.energies,
        Some(band.report.climbing),
        &chart,
    )
    .expect("profile");
    svg
}

/// 1-D slices of Himmelblau through minima 0 and 3: along the straight line between them
/// (`t = 0` and `t = 1` are the minima) and along the perpendicular through minimum 0.
pub fn himmelblau_slices() -> String {
    let (a, b) = (Himmelblau::MINIMA[0], Himmelblau::MINIMA[3]);
    let d = [b[0] - a[0], b[1] - a[1]];
    let perp = [-0.25 * d[1], 0.25 * d[0]];
    let n = 121;
    let (t0, t1) = (-0.5, 1.5);
    let t: Vec<f64> = (0..n)
        .map(|k| t0 + (t1 - t0) * k as f64 / (n - 1) as f64)
        .collect();
    let mut f = |p: &[f64]| Himmelblau.value(&[p[0], p[1]]);
    let mut along = vec![0.0; n];
    let mut across = vec![0.0; n];
    slice_1d(&mut f, &a, &d, t0, t1, &mut [0.0; 2], &mut along).expect("slice");
    slice_1d(&mut f, &a, &perp, t0, t1, &mut [0.0; 2], &mut across).expect("slice");
    let series = [
        Series {
            label: "f(m\u{2080} + t(m\u{2083} \u{2212} m\u{2080})): straight line to m\u{2083}",
            x: Some(&t),
            y: &along,
            marks: Marks::None,
        },
        Series {
            label: "perpendicular through m\u{2080} (a quarter of the length)",
            x: Some(&t),
            y: &across,
            marks: Marks::None,
        },
    ];
    let chart = Chart {
        title: "Himmelblau: 1-D slices through the minimum m\u{2080} = (3, 2)",
        x_label: "t",
        y_label: "f",
        ..Chart::default()
    };
    let mut svg = String::new();
    curves(&mut svg, &series, &chart).expect("curves");
    svg
}

/// A two-exponential decay `y = a₁e^{−b₁t} + a₂e^{−b₂t} + c` fitted by Levenberg–Marquardt to
/// 40 noisy samples: the parameters' correlation matrix and the spectrum of the Hessian of
/// ½‖r‖² at the start (indefinite) and at the fit.
pub fn fit_pictures() -> (String, String) {
    const M: usize = 40;
    let truth = [2.0, 1.3, 1.0, 0.25, 0.2];
    let model = |p: &[f64; 5], t: f64| p[0] * (-p[1] * t).exp() + p[2] * (-p[3] * t).exp() + p[4];
    let mut t = [0.0; M];
    let mut y = [0.0; M];
    let mut s: u32 = 99;
    for (k, (tk, yk)) in t.iter_mut().zip(y.iter_mut()).enumerate() {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = 0.02 * (f64::from(s >> 8) / f64::from(1u32 << 24) - 0.5);
        *tk = 0.25 * k as f64;
        *yk = model(&truth, *tk) + noise;
    }
    let mut res = |p: &[f64; 5], r: &mut [f64; M]| {
        for ((ri, &ti), &yi) in r.iter_mut().zip(&t).zip(&y) {
            *ri = model(p, ti) - yi;
        }
    };
    let start = [1.0, 2.0, 1.0, 0.1, 0.0];
    let mut p = start;
    let mut lm = LevenbergMarquardt::<f64, M, 5>::new(LmConfig::default());
    lm.fit(&mut res, &mut p).expect("fit");
    let (mut cov, mut corr) = ([[0.0; 5]; 5], [[0.0; 5]; 5]);
    lm.statistics(&mut res, &p, &mut cov, &mut corr)
        .expect("statistics");
    let names = ["a\u{2081}", "b\u{2081}", "a\u{2082}", "b\u{2082}", "c"];
    let mut corr_svg = String::new();
    correlation(
        &mut corr_svg,
        corr.as_flattened(),
        5,
        &names,
        &CorrelationConfig {
            chart: Chart {
                width: 480,
                height: 440,
                title: "Two-exponential fit: parameter correlations",
                ..Chart::default()
            },
            values: true,
        },
    )
    .expect("correlation");
    // Hessian of ½‖r‖² by finite differences, at the start and at the fit.
    let loss = |q: &[f64; 5]| {
        let mut r = [0.0; M];
        for ((ri, &ti), &yi) in r.iter_mut().zip(&t).zip(&y) {
            *ri = model(q, ti) - yi;
        }
        0.5 * r.iter().map(|v| v * v).sum::<f64>()
    };
    let mut spec = Vec::new();
    for x in [start, p] {
        let mut h = [[0.0; 5]; 5];
        let mut l = loss;
        l.hessian(&x, &mut h).expect("hessian");
        spec.extend(SymEigen::new(&h).expect("eigen").values);
    }
    let chart = Chart {
        title: "Hessian spectrum of \u{bd}\u{2016}r\u{2016}\u{b2}: start (1\u{2013}5), fit (6\u{2013}10)",
        x_label: "eigenvalue index (ascending within each point)",
        y_label: "\u{3bb} (symmetric log, linear within \u{b1}0.01)",
        y_scale: Scale::SymLog(0.01),
        ..Chart::default()
    };
    let mut spec_svg = String::new();
    spectrum(&mut spec_svg, &spec, &chart).expect("spectrum");
    (spec_svg, corr_svg)
}

/// Every picture, `(file name, SVG)`.
pub fn all() -> Vec<(&'static str, String)> {
    let runs = rosenbrock_runs();
    let band = himmelblau_band();
    let (spec, corr) = fit_pictures();
    vec![
        ("rosenbrock.svg", rosenbrock_heatmap(&runs)),
        ("convergence-loss.svg", convergence(&runs, false)),
        ("convergence-grad.svg", convergence(&runs, true)),
        ("himmelblau-neb.svg", himmelblau_heatmap(&band)),
        ("neb-profile.svg", himmelblau_profile(&band)),
        ("himmelblau-slices.svg", himmelblau_slices()),
        ("fit-spectrum.svg", spec),
        ("fit-correlation.svg", corr),
    ]
}
