//! `lossmap::plot`: every chart is well-formed XML (checked by `common::xml`, a small
//! independent parser), overlays land on the right pixels (read back through the chart's own
//! tick marks, i.e. independently of its layout constants), a contour of a quadratic bowl is a
//! closed curve on the circle it should be, log axes tick at powers of ten, CSV parses back,
//! and bad input is refused before anything is written.

mod common;

use common::xml::{well_formed, Element};
use lossmap::landscape::slice_2d;
use lossmap::plot::*;
use lossmap::Error;

fn num(s: &str) -> f64 {
    s.trim()
        .parse()
        .unwrap_or_else(|e| panic!("not a number: {s:?} ({e})"))
}

fn attr(e: &Element, k: &str) -> f64 {
    num(e
        .attr(k)
        .unwrap_or_else(|| panic!("<{}> has no {k}", e.name)))
}

/// `(value, pixel)` pairs of an axis' ticks.
type Ticks = Vec<(f64, f64)>;

/// `(value, pixel)` of every tick of the x axis and of the y axis: a tick is a `<line>` 5 px
/// long across the axis followed by the `<text>` of its value.
fn ticks(els: &[Element]) -> (Ticks, Ticks) {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for w in els.windows(2) {
        let (l, t) = (&w[0], &w[1]);
        if l.name != "line" || t.name != "text" {
            continue;
        }
        let Ok(v) = t.text.trim().parse::<f64>() else {
            continue;
        };
        let (x1, y1, x2, y2) = (attr(l, "x1"), attr(l, "y1"), attr(l, "x2"), attr(l, "y2"));
        if x1 == x2 && (y2 - y1 - 5.0).abs() < 1e-9 {
            xs.push((v, x1));
        } else if y1 == y2 && (x2 - x1 - 5.0).abs() < 1e-9 {
            ys.push((v, y1));
        }
    }
    (xs, ys)
}

/// The linear map value → pixel through the first and last tick.
fn map_of(t: &[(f64, f64)]) -> impl Fn(f64) -> f64 {
    assert!(t.len() >= 2, "ticks: {t:?}");
    let (a, b) = (t[0], t[t.len() - 1]);
    move |v| a.1 + (v - a.0) / (b.0 - a.0) * (b.1 - a.1)
}

/// Inverse of [`map_of`].
fn unmap_of(t: &[(f64, f64)]) -> impl Fn(f64) -> f64 {
    let (a, b) = (t[0], t[t.len() - 1]);
    move |p| a.0 + (p - a.1) / (b.1 - a.1) * (b.0 - a.0)
}

fn polyline_points(e: &Element) -> Vec<(f64, f64)> {
    e.attr("points")
        .expect("points")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (num(x), num(y))
        })
        .collect()
}

fn with_class<'a>(els: &'a [Element], class: &str) -> Vec<&'a Element> {
    els.iter()
        .filter(|e| e.attr("class") == Some(class))
        .collect()
}

fn bowl_grid(n: usize, r: f64) -> Vec<f64> {
    let mut v = vec![0.0; n * n];
    slice_2d(
        &mut |p: &[f64]| p[0] * p[0] + p[1] * p[1],
        &[0.0, 0.0],
        &[1.0, 0.0],
        &[0.0, 1.0],
        (-r, r),
        (-r, r),
        n,
        &mut [0.0; 2],
        &mut v,
    )
    .unwrap();
    v
}

#[test]
fn heatmap_is_well_formed_with_escaped_text() {
    let v = bowl_grid(12, 1.0);
    let grid = Grid {
        values: &v,
        nx: 12,
        ny: 12,
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
    };
    let t = [[0.5, 0.5], [0.0, 0.1]];
    let paths = [Trajectory {
        label: "a<b & \"c\" 'd'",
        points: &t,
    }];
    let overlays = Overlays {
        trajectories: &paths,
        band: Some(Band {
            label: "band",
            images: &t,
            climbing: Some(1),
        }),
        markers: &t,
        marker_label: "ends",
    };
    let config = HeatmapConfig {
        chart: Chart {
            title: "<title> & more",
            ..Chart::default()
        },
        ..HeatmapConfig::default()
    };
    let mut s = String::new();
    heatmap(&mut s, &grid, &overlays, &config).unwrap();
    let els = well_formed(&s);
    assert_eq!(els[0].name, "svg");
    assert!(els
        .iter()
        .any(|e| e.name == "text" && e.text == "a<b & \"c\" 'd'"));
    assert!(els
        .iter()
        .any(|e| e.name == "text" && e.text == "<title> & more"));
    assert_eq!(with_class(&els, "climbing").len(), 1);
    assert_eq!(with_class(&els, "image").len(), 1);
}

#[test]
fn one_polyline_per_trajectory_on_the_right_pixels() {
    let v = bowl_grid(20, 2.0);
    let grid = Grid {
        values: &v,
        nx: 20,
        ny: 20,
        x: (-2.0, 2.0),
        y: (-2.0, 2.0),
    };
    let a = [[-1.5, 1.5], [-0.5, 0.25], [0.0, 0.0]];
    let b = [[1.5, -1.0], [0.7, -0.3]];
    let c = [[1.0, 1.9], [0.3, 0.8], [0.1, 0.1]];
    let paths = [
        Trajectory {
            label: "A",
            points: &a,
        },
        Trajectory {
            label: "B",
            points: &b,
        },
        Trajectory {
            label: "C",
            points: &c,
        },
    ];
    let overlays = Overlays {
        trajectories: &paths,
        ..Overlays::default()
    };
    let mut s = String::new();
    heatmap(&mut s, &grid, &overlays, &HeatmapConfig::default()).unwrap();
    let els = well_formed(&s);
    let lines = with_class(&els, "trajectory");
    assert_eq!(lines.len(), 3);
    let (xt, yt) = ticks(&els);
    let (mx, my) = (map_of(&xt), map_of(&yt));
    for (line, pts) in lines.iter().zip([&a[..], &b[..], &c[..]]) {
        let got = polyline_points(line);
        assert_eq!(got.len(), pts.len());
        for (g, p) in got.iter().zip(pts) {
            assert!(
                (g.0 - mx(p[0])).abs() <= 0.5 && (g.1 - my(p[1])).abs() <= 0.5,
                "{g:?} vs {p:?}"
            );
        }
    }
    // Each has a differently coloured stroke.
    let strokes: Vec<_> = lines.iter().map(|l| l.attr("stroke").unwrap()).collect();
    assert!(strokes[0] != strokes[1] && strokes[1] != strokes[2] && strokes[0] != strokes[2]);
}

#[test]
fn curve_points_on_the_right_pixels() {
    let x = [0.0, 2.5, 7.0, 10.0];
    let y = [1.0, 5.0, 3.0, 9.5];
    let chart = Chart {
        x_range: Some((0.0, 10.0)),
        y_range: Some((0.0, 10.0)),
        ..Chart::default()
    };
    let mut s = String::new();
    let series = [Series {
        label: "s",
        x: Some(&x[..]),
        y: &y,
        marks: Marks::Dots,
    }];
    curves(&mut s, &series, &chart).unwrap();
    let els = well_formed(&s);
    let (xt, yt) = ticks(&els);
    let (mx, my) = (map_of(&xt), map_of(&yt));
    let dots = with_class(&els, "point");
    assert_eq!(dots.len(), 4);
    for (d, (&xv, &yv)) in dots.iter().zip(x.iter().zip(&y)) {
        assert!((attr(d, "cx") - mx(xv)).abs() <= 0.5);
        assert!((attr(d, "cy") - my(yv)).abs() <= 0.5);
    }
    // The frame's corners are the fixed range.
    assert!((mx(0.0) - xt[0].1).abs() < 1e-9);
}

/// Segments `((x0, y0), (x1, y1))` of a path `d` made of `M a L b` pairs, as written.
fn segments(d: &str) -> Vec<((String, String), (String, String))> {
    let mut out = Vec::new();
    for part in d.split('M').filter(|p| !p.trim().is_empty()) {
        let (a, b) = part.split_once('L').expect("M a L b");
        let pair = |s: &str| {
            let mut it = s.split_whitespace();
            (
                it.next().expect("x").to_string(),
                it.next().expect("y").to_string(),
            )
        };
        out.push((pair(a), pair(b)));
    }
    out
}

#[test]
fn bowl_contour_is_a_closed_circle() {
    let (n, r) = (41, 2.0);
    let v = bowl_grid(n, r);
    let grid = Grid {
        values: &v,
        nx: n,
        ny: n,
        x: (-r, r),
        y: (-r, r),
    };
    // Not a value of the grid (x² + y² on a 0.1 lattice: 175 is no sum of two squares), so
    // the level meets no grid point.
    let c = 1.75;
    let level = [c];
    let config = HeatmapConfig {
        levels: Levels::Values(&level),
        ..HeatmapConfig::default()
    };
    let mut s = String::new();
    heatmap(&mut s, &grid, &Overlays::<f64>::default(), &config).unwrap();
    let els = well_formed(&s);
    let contours = with_class(&els, "contour");
    assert_eq!(contours.len(), 1);
    let segs = segments(contours[0].attr("d").unwrap());
    let (xt, yt) = ticks(&els);
    let (ux, uy) = (unmap_of(&xt), unmap_of(&yt));
    // Every end point on the circle of radius √c, within the grid's resolution (linear
    // interpolation of x² over a cell of h = 0.1 is off by at most h²/4 in value).
    let h = 2.0 * r / (n - 1) as f64;
    let radius = c.sqrt();
    for (a, b) in &segs {
        for p in [a, b] {
            let (x, y) = (ux(num(&p.0)), uy(num(&p.1)));
            let d = (x * x + y * y).sqrt();
            // h²/4 in value is h²/(8√c) in radius, plus 0.01 px of rounding (≈ 3e-4 here).
            assert!(
                (d - radius).abs() <= h * h / (8.0 * radius) + 1e-3,
                "{d} vs {radius}"
            );
        }
    }
    // Closed and in one piece: every end point is shared by exactly two segments, and walking
    // from one segment visits them all.
    let mut count = std::collections::HashMap::new();
    for (a, b) in &segs {
        *count.entry(a.clone()).or_insert(0) += 1;
        *count.entry(b.clone()).or_insert(0) += 1;
    }
    let odd: Vec<_> = count.iter().filter(|(_, &k)| k != 2).collect();
    assert!(odd.is_empty(), "open ends: {odd:?} of {}", count.len());
    let mut used = vec![false; segs.len()];
    let (start, mut at) = (segs[0].0.clone(), segs[0].1.clone());
    used[0] = true;
    let mut steps = 1;
    while at != start {
        let k = (0..segs.len())
            .find(|&k| !used[k] && (segs[k].0 == at || segs[k].1 == at))
            .expect("chain continues");
        used[k] = true;
        at = if segs[k].0 == at {
            segs[k].1.clone()
        } else {
            segs[k].0.clone()
        };
        steps += 1;
    }
    assert_eq!(steps, segs.len(), "more than one closed piece");
    // The polygon's area approximates π c.
    let pts: Vec<(f64, f64)> = segs
        .iter()
        .map(|(a, _)| (ux(num(&a.0)), uy(num(&a.1))))
        .collect();
    let area = {
        // Order the vertices by angle (the circle is star-shaped about 0).
        let mut p = pts.clone();
        p.sort_by(|a, b| a.1.atan2(a.0).total_cmp(&b.1.atan2(b.0)));
        let mut s = 0.0;
        for i in 0..p.len() {
            let (a, b) = (p[i], p[(i + 1) % p.len()]);
            s += a.0 * b.1 - b.0 * a.1;
        }
        0.5 * s.abs()
    };
    assert!(
        (area / (std::f64::consts::PI * c) - 1.0).abs() < 0.01,
        "{area}"
    );
}

#[test]
fn heatmap_fn_draws_what_heatmap_draws() {
    let (n, r) = (17, 1.5);
    let v = bowl_grid(n, r);
    let grid = Grid {
        values: &v,
        nx: n,
        ny: n,
        x: (-r, r),
        y: (-r, r),
    };
    let spec = GridSpec {
        nx: n,
        ny: n,
        x: (-r, r),
        y: (-r, r),
    };
    let (mut a, mut b) = (String::new(), String::new());
    let config = HeatmapConfig::default();
    heatmap(&mut a, &grid, &Overlays::default(), &config).unwrap();
    let mut calls = 0usize;
    let mut f = |x: f64, y: f64| {
        calls += 1;
        x * x + y * y
    };
    let mut row = vec![0.0; 2 * n];
    heatmap_fn(
        &mut b,
        &mut f,
        &spec,
        &mut row,
        &Overlays::default(),
        &config,
    )
    .unwrap();
    assert_eq!(a, b);
    // Range, cells, and each of the 8 levels: every row once per pass.
    assert_eq!(calls, (2 + 8) * n * n);
}

#[test]
fn holes_are_skipped() {
    let mut v = bowl_grid(10, 1.0);
    v[33] = f64::NAN;
    v[34] = f64::INFINITY;
    let grid = Grid {
        values: &v,
        nx: 10,
        ny: 10,
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
    };
    let mut s = String::new();
    heatmap(
        &mut s,
        &grid,
        &Overlays::default(),
        &HeatmapConfig::default(),
    )
    .unwrap();
    well_formed(&s);
    assert!(!s.contains("NaN") && !s.contains("inf"));
}

#[test]
fn log_axis_ticks_at_powers_of_ten() {
    let y: Vec<f64> = (0..60).map(|k| 100.0 * 0.7f64.powi(k)).collect();
    let chart = Chart {
        y_scale: Scale::Log10,
        x_scale: Scale::Log10,
        ..Chart::default()
    };
    let x: Vec<f64> = (1..=60).map(|k| k as f64).collect();
    let mut s = String::new();
    let series = [Series {
        label: "",
        x: Some(&x),
        y: &y,
        marks: Marks::None,
    }];
    curves(&mut s, &series, &chart).unwrap();
    let els = well_formed(&s);
    let (xt, yt) = ticks(&els);
    for t in [&xt, &yt] {
        assert!(t.len() >= 2);
        for &(v, _) in t.iter() {
            let e = v.log10();
            assert!((e - e.round()).abs() < 1e-12, "{v} is not a power of ten");
        }
        // Equal spacing per decade.
        let per = (t[1].1 - t[0].1) / (t[1].0.log10() - t[0].0.log10());
        for w in t.windows(2) {
            let d = (w[1].1 - w[0].1) / (w[1].0.log10() - w[0].0.log10());
            assert!((d - per).abs() < 0.02, "{d} vs {per}");
        }
    }
    // No legend without labels.
    assert!(with_class(&els, "legend").is_empty());
}

#[test]
fn neb_profile_uses_the_path_length() {
    // Images at 0, 3, 3 + 4 (a 3-4-5 corner is not on the way: distances 3 and 4).
    let images = [0.0, 0.0, 3.0, 0.0, 3.0, 4.0];
    let e = [0.0, 2.0, 1.0];
    let chart = Chart {
        x_range: Some((0.0, 8.0)),
        y_range: Some((0.0, 2.5)),
        ..Chart::default()
    };
    let mut s = String::new();
    neb_profile(&mut s, &images, 2, &e, Some(1), &chart).unwrap();
    let els = well_formed(&s);
    let (xt, yt) = ticks(&els);
    let (mx, my) = (map_of(&xt), map_of(&yt));
    let star = with_class(&els, "climbing");
    assert_eq!(star.len(), 1);
    let imgs = with_class(&els, "image");
    assert_eq!(imgs.len(), 2);
    assert!((attr(imgs[0], "cx") - mx(0.0)).abs() <= 0.5);
    assert!((attr(imgs[1], "cx") - mx(7.0)).abs() <= 0.5);
    assert!((attr(imgs[1], "cy") - my(1.0)).abs() <= 0.5);
}

#[test]
fn spectrum_colours_by_sign() {
    let values = [-50.0, -0.2, 0.0, 3.0, 400.0];
    let mut s = String::new();
    let chart = Chart {
        y_scale: Scale::SymLog(1.0),
        ..Chart::default()
    };
    spectrum(&mut s, &values, &chart).unwrap();
    let els = well_formed(&s);
    assert_eq!(with_class(&els, "eigenvalue negative").len(), 2);
    assert_eq!(with_class(&els, "eigenvalue positive").len(), 2);
    assert_eq!(with_class(&els, "eigenvalue zero").len(), 1);
    let neg = with_class(&els, "eigenvalue negative")[0].attr("fill");
    let pos = with_class(&els, "eigenvalue positive")[0].attr("fill");
    assert_ne!(neg, pos);
    // Symmetric-log ticks: 0 and ±10^k.
    let (_, yt) = ticks(&els);
    assert!(yt.iter().any(|t| t.0 == 0.0));
    for &(v, _) in &yt {
        assert!(v == 0.0 || (v.abs().log10() - v.abs().log10().round()).abs() < 1e-12);
    }
    assert_eq!(
        spectrum(
            &mut String::new(),
            &values,
            &Chart {
                y_scale: Scale::Log10,
                ..Chart::default()
            }
        ),
        Err(Error::InvalidParameter)
    );
}

#[test]
fn correlation_map_prints_values() {
    let c = [1.0, 0.5, -0.25, 0.5, 1.0, 0.0, -0.25, 0.0, 1.0];
    let mut s = String::new();
    correlation(
        &mut s,
        &c,
        3,
        &["a", "b&c", "d"],
        &CorrelationConfig::default(),
    )
    .unwrap();
    let els = well_formed(&s);
    let cells = with_class(&els, "cell");
    assert_eq!(cells.len(), 9);
    // −0.25 is bluish, 0.5 reddish, 0 near white.
    let fill = |k: usize| cells[k].attr("fill").unwrap().to_string();
    let rgb = |h: &str| {
        let p = |i| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
        (p(1), p(3), p(5))
    };
    let (r, _, b) = rgb(&fill(2));
    assert!(b > r);
    let (r, _, b) = rgb(&fill(1));
    assert!(r > b);
    assert!(els.iter().any(|e| e.name == "text" && e.text == "-0.25"));
    assert!(els.iter().any(|e| e.name == "text" && e.text == "b&c"));
}

/// An RFC 4180 parser: rows of fields, quoted fields with doubled quotes, CRLF row ends.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("bare LF"),
            _ => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "last row without CRLF");
    rows
}

#[test]
fn csv_round_trips() {
    let n = 7;
    let mut v = bowl_grid(n, 1.3);
    v[5] = f64::NAN;
    let grid = Grid {
        values: &v,
        nx: n,
        ny: n,
        x: (-1.3, 1.3),
        y: (-1.3, 1.3),
    };
    let mut s = String::new();
    csv_slice_2d(&mut s, &grid, CsvConfig::default()).unwrap();
    let rows = parse_csv(&s);
    assert_eq!(rows[0], ["x", "y", "f"]);
    assert_eq!(rows.len(), 1 + n * n);
    for (k, r) in rows[1..].iter().enumerate() {
        let (i, j) = (k / n, k % n);
        let x = -1.3 + 2.6 * i as f64 / (n - 1) as f64;
        let y = -1.3 + 2.6 * j as f64 / (n - 1) as f64;
        let f: f64 = r[2].parse().unwrap();
        assert!((num(&r[0]) - x).abs() <= 1e-8 && (num(&r[1]) - y).abs() <= 1e-8);
        if k == 5 {
            assert!(f.is_nan());
        } else {
            assert!(
                (f - v[k]).abs() <= 1e-8 * v[k].abs().max(1e-300),
                "{f} {}",
                v[k]
            );
        }
    }
    // Trajectory rows; f32 values come back bit for bit at the default 9 digits.
    let mut s = String::new();
    let mut t = TrajectoryCsv::new(&mut s, 3, CsvConfig::default()).unwrap();
    let xs = [[0.1f32, -2.5e-7, 3.0e8], [1.0 / 3.0, 2.0, -0.0]];
    for (k, x) in xs.iter().enumerate() {
        t.row(k, 2 * k + 1, 0.5f32 / (k + 1) as f32, 1e-3, x)
            .unwrap();
    }
    assert_eq!(t.row(9, 9, 0.0, 0.0, &[0.0]), Err(Error::LengthMismatch));
    let rows = parse_csv(&s);
    assert_eq!(
        rows[0],
        ["iter", "evals", "loss", "grad_norm", "x0", "x1", "x2"]
    );
    for (k, x) in xs.iter().enumerate() {
        let r = &rows[k + 1];
        assert_eq!(r[0], k.to_string());
        assert_eq!(r[1], (2 * k + 1).to_string());
        for (a, b) in r[4..].iter().zip(x) {
            assert_eq!(a.parse::<f32>().unwrap(), *b);
        }
    }
    // Reports: text quoted as needed.
    let mut s = String::new();
    csv_report(
        &mut s,
        &[
            ("name", Value::Text("say \"hi\", then\r\nbye")),
            ("n", Value::Integer(42)),
            ("ok", Value::Bool(true)),
            ("x", Value::Number(-1.25e-12)),
        ],
        CsvConfig { digits: 17 },
    )
    .unwrap();
    let rows = parse_csv(&s);
    assert_eq!(rows[1], ["name", "say \"hi\", then\r\nbye"]);
    assert_eq!(rows[2], ["n", "42"]);
    assert_eq!(rows[3], ["ok", "true"]);
    assert!((num(&rows[4][1]) / -1.25e-12 - 1.0).abs() < 4.0 * f64::EPSILON);
}

/// A writer that fails after `left` bytes.
struct Failing {
    left: usize,
}

impl core::fmt::Write for Failing {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        if s.len() > self.left {
            return Err(core::fmt::Error);
        }
        self.left -= s.len();
        Ok(())
    }
}

#[test]
fn a_failing_writer_is_write_failed() {
    let v = bowl_grid(6, 1.0);
    let grid = Grid {
        values: &v,
        nx: 6,
        ny: 6,
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
    };
    for left in [0, 10, 300] {
        let mut w = Failing { left };
        assert_eq!(
            heatmap(
                &mut w,
                &grid,
                &Overlays::default(),
                &HeatmapConfig::default()
            ),
            Err(Error::WriteFailed)
        );
        let mut w = Failing { left };
        assert_eq!(
            csv_slice_2d(&mut w, &grid, CsvConfig::default()),
            Err(Error::WriteFailed)
        );
    }
    assert_eq!(Error::WriteFailed.code(), -12);
}

#[test]
fn bad_input_writes_nothing() {
    let v = bowl_grid(6, 1.0);
    let good = Grid {
        values: &v,
        nx: 6,
        ny: 6,
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
    };
    let cfg = HeatmapConfig::default();
    let none = Overlays::default();
    let nan_pt = [[f64::NAN, 0.0]];
    let bad_traj = [Trajectory {
        label: "t",
        points: &nan_pt,
    }];
    let all_nan = [f64::NAN; 36];
    type Case<'a> = Box<dyn Fn(&mut String) -> Result<(), Error> + 'a>;
    let cases: Vec<(Error, Case<'_>)> = vec![
        (
            Error::LengthMismatch,
            Box::new(|s| heatmap(s, &Grid { nx: 5, ..good }, &none, &cfg)),
        ),
        (
            Error::Empty,
            Box::new(|s| {
                heatmap(
                    s,
                    &Grid {
                        nx: 1,
                        ny: 36,
                        ..good
                    },
                    &none,
                    &cfg,
                )
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                heatmap(
                    s,
                    &Grid {
                        x: (1.0, -1.0),
                        ..good
                    },
                    &none,
                    &cfg,
                )
            }),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                heatmap(
                    s,
                    &Grid {
                        values: &all_nan,
                        ..good
                    },
                    &none,
                    &cfg,
                )
            }),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                let o = Overlays {
                    trajectories: &bad_traj,
                    ..Overlays::default()
                };
                heatmap(s, &good, &o, &cfg)
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                let o = Overlays {
                    band: Some(Band {
                        label: "",
                        images: &[[0.0, 0.0]],
                        climbing: Some(1),
                    }),
                    ..Overlays::default()
                };
                heatmap(s, &good, &o, &cfg)
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                let c = HeatmapConfig {
                    chart: Chart {
                        width: 20,
                        ..Chart::default()
                    },
                    ..cfg
                };
                heatmap(s, &good, &none, &c)
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                let c = HeatmapConfig {
                    levels: Levels::Log {
                        count: 3,
                        decades: -1.0,
                    },
                    ..cfg
                };
                heatmap(s, &good, &none, &c)
            }),
        ),
        (
            Error::LengthMismatch,
            Box::new(|s| {
                let spec = GridSpec {
                    nx: 6,
                    ny: 6,
                    x: (-1.0, 1.0),
                    y: (-1.0, 1.0),
                };
                let mut row = [0.0; 11];
                heatmap_fn(s, &mut |x: f64, y: f64| x + y, &spec, &mut row, &none, &cfg)
            }),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                let spec = GridSpec {
                    nx: 6,
                    ny: 6,
                    x: (-1.0, 1.0),
                    y: (-1.0, 1.0),
                };
                let mut row = [0.0; 12];
                heatmap_fn(
                    s,
                    &mut |_: f64, _: f64| f64::NAN,
                    &spec,
                    &mut row,
                    &none,
                    &cfg,
                )
            }),
        ),
        (
            Error::Empty,
            Box::new(|s| curves::<f64, _>(s, &[], &Chart::default())),
        ),
        (
            Error::LengthMismatch,
            Box::new(|s| {
                let series = [Series {
                    label: "",
                    x: Some(&[1.0, 2.0][..]),
                    y: &[1.0],
                    marks: Marks::None,
                }];
                curves(s, &series, &Chart::default())
            }),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                let series = [Series {
                    label: "",
                    x: None,
                    y: &[-1.0, 0.0],
                    marks: Marks::None,
                }];
                let chart = Chart {
                    y_scale: Scale::Log10,
                    ..Chart::default()
                };
                curves(s, &series, &chart)
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                let series = [Series {
                    label: "",
                    x: None,
                    y: &[1.0, 2.0],
                    marks: Marks::None,
                }];
                let chart = Chart {
                    y_scale: Scale::SymLog(0.0),
                    ..Chart::default()
                };
                curves(s, &series, &chart)
            }),
        ),
        (
            Error::LengthMismatch,
            Box::new(|s| neb_profile(s, &[0.0; 5], 2, &[0.0, 1.0, 2.0], None, &Chart::default())),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| {
                neb_profile(
                    s,
                    &[0.0; 6],
                    2,
                    &[0.0, 1.0, 2.0],
                    Some(3),
                    &Chart::default(),
                )
            }),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                neb_profile(
                    s,
                    &[0.0; 6],
                    2,
                    &[0.0, f64::NAN, 2.0],
                    None,
                    &Chart::default(),
                )
            }),
        ),
        (
            Error::Empty,
            Box::new(|s| spectrum::<f64, _>(s, &[], &Chart::default())),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| spectrum(s, &[1.0, f64::INFINITY], &Chart::default())),
        ),
        (
            Error::LengthMismatch,
            Box::new(|s| correlation(s, &[1.0; 4], 2, &["a"], &CorrelationConfig::default())),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| {
                correlation(
                    s,
                    &[1.0, f64::NAN, 0.0, 1.0],
                    2,
                    &[],
                    &CorrelationConfig::default(),
                )
            }),
        ),
        (
            Error::InvalidParameter,
            Box::new(|s| csv_slice_2d(s, &good, CsvConfig { digits: 0 })),
        ),
        (
            Error::LengthMismatch,
            Box::new(|s| csv_slice_2d(s, &Grid { ny: 5, ..good }, CsvConfig::default())),
        ),
        (
            Error::NonFiniteInput,
            Box::new(|s| csv_slice_1d(s, (0.0, f64::NAN), &[1.0], CsvConfig::default())),
        ),
        (
            Error::Empty,
            Box::new(|s| TrajectoryCsv::new(s, 0, CsvConfig::default()).map(|_| ())),
        ),
    ];
    for (k, (want, case)) in cases.iter().enumerate() {
        let mut s = String::new();
        assert_eq!(case(&mut s), Err(*want), "case {k}");
        assert!(s.is_empty(), "case {k} wrote {s:?}");
    }
}

#[test]
fn the_xml_checker_rejects_malformed_documents() {
    use common::xml::parse;
    assert!(parse("<svg><g a=\"1\"><rect/></g><text>a &amp; b</text></svg>").is_ok());
    for bad in [
        "<svg><g></svg>",
        "<svg><g></h></svg>",
        "<svg a=1/>",
        "<svg a=\"1/>",
        "<svg a=\"1\" a=\"2\"/>",
        "<svg>a & b</svg>",
        "<svg>a > b</svg>",
        "<svg>&nbsp;</svg>",
        "<svg/><svg/>",
        "<svg></svg>text",
        "<svg b=\"<\"/>",
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
}
