//! `lossmap::plot`: every chart (heat map from a slice and from a closure, with every overlay;
//! curves on every scale; the NEB profile; the spectrum; the correlation map), every CSV writer,
//! the number formatter and the colour maps, for f32 and f64 with opaque sizes, into a counting
//! writer ([`Sink`]) and into a small `heapless::String` that fills up (the `WriteFailed` path).

use super::{input, out, reals, Sink};
use core::fmt::Write as _;
use lossmap::heapless::String as HString;
use lossmap::plot::*;
use lossmap::Real;

pub fn exercise<T: Real>() {
    charts::<T>();
    tables::<T>();
    helpers();
}

fn chart<'a>() -> Chart<'a> {
    let scales = [Scale::Linear, Scale::Log10, Scale::SymLog(input(0.5))];
    let pick = |k: usize| scales.get(k).copied().unwrap_or(Scale::Linear);
    Chart {
        width: input(320),
        height: input(240),
        title: input("t<&>"),
        x_label: input("x"),
        y_label: input("y"),
        x_scale: pick(input(0usize)),
        y_scale: pick(input(1usize)),
        x_range: input(None),
        y_range: input(Some((0.5, 100.0))),
    }
}

fn charts<T: Real>() {
    let values: [T; 36] = reals([0.0; 36]).map(|v: T| v + T::from_f64(input(1.5)));
    let nx = input(6usize);
    let ny = input(6usize);
    let x = (T::from_f64(input(-1.0)), T::from_f64(input(1.0)));
    let grid = Grid {
        values: &values,
        nx,
        ny,
        x,
        y: x,
    };
    let pts: [[T; 2]; 4] = [
        reals([0.1, 0.2]),
        reals([0.3, -0.4]),
        reals([0.0, 0.9]),
        reals([-0.5, 0.5]),
    ];
    let paths = [
        Trajectory {
            label: input("a"),
            points: &pts,
        },
        Trajectory {
            label: input("b"),
            points: pts.get(..input(2usize)).unwrap_or(&[]),
        },
    ];
    let overlays = Overlays {
        trajectories: &paths,
        band: Some(Band {
            label: input("band"),
            images: &pts,
            climbing: input(Some(2)),
        }),
        markers: &pts,
        marker_label: input("m"),
    };
    let levels_v = [input(1.6), input(1.7)];
    let all_levels = [
        Levels::None,
        Levels::Even(input(5)),
        Levels::Log {
            count: input(4),
            decades: input(3.0),
        },
        Levels::Values(&levels_v),
    ];
    let level = all_levels
        .get(input(2usize))
        .copied()
        .unwrap_or(Levels::None);
    let colour = if input(true) {
        ColourScale::Log {
            decades: input(2.0),
        }
    } else {
        ColourScale::Linear
    };
    let config = HeatmapConfig {
        chart: chart(),
        levels: level,
        colour,
        colour_label: input("f"),
    };
    let mut sink = Sink(0);
    out(heatmap(&mut sink, &grid, &overlays, &config));
    let mut small: HString<64> = HString::new();
    out(heatmap(&mut small, &grid, &overlays, &config));
    let spec = GridSpec { nx, ny, x, y: x };
    let mut row = [T::ZERO; 12];
    let mut f = |a: T, b: T| a * a + b * b;
    out(heatmap_fn(
        &mut sink, &mut f, &spec, &mut row, &overlays, &config,
    ));
    let ys: [T; 5] = reals([1.0, 0.5, 0.1, 0.0, -1.0]);
    let xs: [T; 5] = reals([1.0, 2.0, 3.0, 4.0, 5.0]);
    let series = [
        Series {
            label: input("s"),
            x: Some(xs.get(..input(5usize)).unwrap_or(&[])),
            y: &ys,
            marks: Marks::Dots,
        },
        Series {
            label: input(""),
            x: None,
            y: &ys,
            marks: Marks::None,
        },
    ];
    out(curves(&mut sink, &series, &chart()));
    out(curves(&mut small, &series, &chart()));
    let images: [T; 6] = reals([0.0, 0.0, 1.0, 0.5, 2.0, 0.0]);
    out(neb_profile(
        &mut sink,
        &images,
        input(2usize),
        ys.get(..input(3usize)).unwrap_or(&[]),
        input(Some(1)),
        &chart(),
    ));
    let lin = Chart {
        x_scale: Scale::Linear,
        y_scale: Scale::SymLog(input(1.0)),
        ..chart()
    };
    out(spectrum(&mut sink, &ys, &lin));
    out(spectrum(&mut small, &ys, &lin));
    let corr: [T; 9] = reals([1.0, 0.5, -0.2, 0.5, 1.0, 0.1, -0.2, 0.1, 1.0]);
    let names = [input("a"), input("b"), input("c")];
    let cfg = CorrelationConfig {
        chart: chart(),
        values: input(true),
    };
    out(correlation(&mut sink, &corr, input(3usize), &names, &cfg));
    out(correlation(&mut small, &corr, input(3usize), &[], &cfg));
    out(sink.0);
}

fn tables<T: Real>() {
    let values: [T; 36] = reals([0.25; 36]);
    let x = (T::from_f64(input(-1.0)), T::from_f64(input(1.0)));
    let grid = Grid {
        values: &values,
        nx: input(6usize),
        ny: input(6usize),
        x,
        y: x,
    };
    let config = CsvConfig { digits: input(9u8) };
    let mut sink = Sink(0);
    out(csv_slice_2d(&mut sink, &grid, config));
    out(csv_slice_1d(&mut sink, x, &values, config));
    let mut small: HString<32> = HString::new();
    out(csv_slice_2d(&mut small, &grid, config));
    if let Ok(mut t) = TrajectoryCsv::new(&mut sink, input(2usize), config) {
        let p: [T; 2] = reals([0.5, -0.5]);
        out(t.row(input(1usize), input(3usize), p[0], p[1], &p));
    }
    let rows = [
        ("a", Value::Number(input(1.5))),
        ("b", Value::Integer(input(7))),
        ("c", Value::Text(input("x,\"y\""))),
        ("d", Value::Bool(input(false))),
    ];
    out(csv_report(&mut sink, &rows, config));
    let report = lossmap::optim::Report {
        reason: input(lossmap::optim::StopReason::GradientNorm),
        iterations: input(3),
        value_evals: input(4),
        grad_evals: input(5),
        loss: T::from_f64(input(0.5)),
        grad_norm: T::from_f64(input(1e-9)),
    };
    out(csv_optim_report(&mut sink, &report, config));
    if let Ok(mut csv) = Csv::new(&mut sink, config) {
        out(csv.text(input("q\"")));
        out(csv.number(T::from_f64(input(2.5e-300))));
        out(csv.integer(input(9)));
        out(csv.end_row());
    }
    out(sink.0);
}

fn helpers() {
    let mut sink = Sink(0);
    for v in [
        input(1.0e-310),
        input(-123.456),
        input(f64::NAN),
        input(f64::MAX),
    ] {
        out(write_sig(&mut sink, v, input(17u8)));
        out(write!(sink, "{}", Short(v, input(4u8))));
    }
    out(escape(&mut sink, input("<&>\"'")));
    let t = input(0.3);
    out((viridis(t), diverging(t), series(input(9usize))));
    out(viridis(t).hex());
    out(write!(sink, "{}", viridis(t)));
    out(viridis(t).luma());
    out(sink.0);
}
