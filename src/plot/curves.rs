//! Curves: several series `y(x)` on one chart with a legend (convergence curves on a log axis,
//! 1-D loss slices), and a nudged-elastic-band energy profile.
//!
//! A point with a non-finite coordinate, or a non-positive one on a log axis, has no position:
//! the curve breaks there (a new `M` in its path) and its marker is skipped.

use super::axes::{pad, Axis};
use super::colour::{self, Rgb};
use super::frame::{self, Area, Chart, Entry, Glyph};
use super::svg::Svg;
use super::wr;
use crate::{Error, Real};
use core::fmt::{self, Write};

/// Markers on a series' points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// A line only.
    None,
    /// A dot on every point.
    Dots,
}

/// One series: `y` against `x` (or against the index 0, 1, 2, … when `x` is `None`; on a log x
/// axis index 0 has no position, so pass `x` = 1, 2, 3, … there).
#[derive(Debug, Clone, Copy)]
pub struct Series<'a, T> {
    /// Legend label (all empty: no legend).
    pub label: &'a str,
    /// Abscissae, as many as `y`; `None`: the index.
    pub x: Option<&'a [T]>,
    /// Ordinates.
    pub y: &'a [T],
    /// Markers.
    pub marks: Marks,
}

/// A point of series `s` at index `k`, as `f64`.
fn point<T: Real>(s: &Series<'_, T>, k: usize) -> Option<(f64, f64)> {
    let y = s.y.get(k)?.to_f64();
    let x = match s.x {
        Some(x) => x.get(k)?.to_f64(),
        None => k as f64,
    };
    Some((x, y))
}

/// Whether `(x, y)` has a position on the chart's scales.
fn placeable(chart: &Chart<'_>, (x, y): (f64, f64)) -> bool {
    chart.x_scale.forward(x).is_some() && chart.y_scale.forward(y).is_some()
}

/// The data range over every placeable point, padded.
fn ranges<I: Iterator<Item = (f64, f64)>>(
    chart: &Chart<'_>,
    pts: I,
) -> Option<((f64, f64), (f64, f64))> {
    let mut r: Option<(f64, f64, f64, f64)> = None;
    for p in pts.filter(|p| placeable(chart, *p)) {
        r = Some(match r {
            None => (p.0, p.0, p.1, p.1),
            Some((a, b, c, d)) => (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)),
        });
    }
    let (a, b, c, d) = r?;
    let xr = chart.x_range.unwrap_or_else(|| pad(a, b, chart.x_scale));
    let yr = chart.y_range.unwrap_or_else(|| pad(c, d, chart.y_scale));
    Some((xr, yr))
}

/// Writes several series on one chart (axes, ticks, legend) as an SVG document.
///
/// `Empty` for no series, `LengthMismatch` when a series' `x` and `y` lengths differ,
/// `InvalidParameter` for a bad [`Chart`], `NonFiniteInput` when no point at all can be placed;
/// all before writing. `WriteFailed` if the writer fails.
///
/// ```
/// use lossmap::plot::{curves, Chart, Marks, Scale, Series};
/// let loss = [1.0f64, 0.3, 0.05, 0.004, 2e-4];
/// let mut svg = String::new();
/// let chart = Chart { y_scale: Scale::Log10, x_label: "iteration", y_label: "loss", ..Chart::default() };
/// curves(&mut svg, &[Series { label: "Adam", x: None, y: &loss, marks: Marks::None }], &chart).unwrap();
/// assert_eq!(svg.matches("class=\"series\"").count(), 1);
/// ```
pub fn curves<T: Real, W: Write + ?Sized>(
    w: &mut W,
    series: &[Series<'_, T>],
    chart: &Chart<'_>,
) -> Result<(), Error> {
    if series.is_empty() {
        return Err(Error::Empty);
    }
    if series
        .iter()
        .any(|s| s.x.is_some_and(|x| x.len() != s.y.len()))
    {
        return Err(Error::LengthMismatch);
    }
    chart.validate()?;
    let all = series
        .iter()
        .flat_map(|s| (0..s.y.len()).filter_map(move |k| point(s, k)));
    let (xr, yr) = ranges(chart, all).ok_or(Error::NonFiniteInput)?;
    wr(draw_curves(w, series, chart, xr, yr))
}

fn axes_for(
    chart: &Chart<'_>,
    area: &Area,
    xr: (f64, f64),
    yr: (f64, f64),
) -> Option<(Axis, Axis)> {
    Some((
        Axis::new(xr.0, xr.1, chart.x_scale, area.l, area.r)?,
        Axis::new(yr.0, yr.1, chart.y_scale, area.b, area.t)?,
    ))
}

fn draw_curves<T: Real, W: Write + ?Sized>(
    w: &mut W,
    series: &[Series<'_, T>],
    chart: &Chart<'_>,
    xr: (f64, f64),
    yr: (f64, f64),
) -> fmt::Result {
    let area = Area::of(chart, 0.0);
    let (xa, ya) = axes_for(chart, &area, xr, yr).ok_or(fmt::Error)?;
    let mut svg = Svg { w };
    svg.open(f64::from(chart.width), f64::from(chart.height))?;
    frame::axes(&mut svg, chart, &area, Some(&xa), Some(&ya), true)?;
    frame::clip_open(&mut svg, &area, "plot-area")?;
    for (k, s) in series.iter().enumerate() {
        let c = colour::series(k);
        let pts = (0..s.y.len()).map(|i| point(s, i).unwrap_or((f64::NAN, f64::NAN)));
        path(&mut svg, &xa, &ya, pts.clone(), c, "series")?;
        if s.marks == Marks::Dots {
            dots(&mut svg, &xa, &ya, pts, c)?;
        }
    }
    svg.w.write_str("</g>\n")?;
    let entries = series
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.label.is_empty())
        .map(|(k, s)| Entry {
            glyph: Glyph::Line,
            colour: colour::series(k),
            label: s.label,
        });
    let hits = |r: frame::Rect| {
        series
            .iter()
            .map(|s| {
                (0..s.y.len())
                    .filter_map(|i| point(s, i))
                    .filter_map(|(x, y)| Some((xa.map(x)?, ya.map(y)?)))
                    .filter(|&p| frame::inside(r, p, 4.0))
                    .count()
            })
            .sum()
    };
    frame::legend(&mut svg, &area, entries, &hits)?;
    svg.close()
}

/// One `<path>` through the placeable points, broken at the others.
fn path<W: Write + ?Sized, I: Iterator<Item = (f64, f64)>>(
    svg: &mut Svg<'_, W>,
    xa: &Axis,
    ya: &Axis,
    pts: I,
    c: Rgb,
    class: &str,
) -> fmt::Result {
    svg.w.write_str("<path")?;
    svg.attr("class", class)?;
    svg.w.write_str(" d=\"")?;
    // `last`: the last point written in the current piece; `pending`: a later point within
    // 0.5 px of it, written only if the piece ends there.
    let mut last: Option<(f64, f64)> = None;
    let mut pending: Option<(f64, f64)> = None;
    for (x, y) in pts {
        match (xa.map(x), ya.map(y)) {
            (Some(px), Some(py)) => match last {
                Some(l) if (px - l.0).abs() < 0.5 && (py - l.1).abs() < 0.5 => {
                    pending = Some((px, py));
                }
                _ => {
                    svg.move_line(if last.is_some() { 'L' } else { 'M' }, (px, py))?;
                    last = Some((px, py));
                    pending = None;
                }
            },
            _ => {
                if let Some(p) = pending.take() {
                    svg.move_line('L', p)?;
                }
                last = None;
            }
        }
    }
    if let Some(p) = pending {
        svg.move_line('L', p)?;
    }
    svg.w.write_str("\" fill=\"none\" stroke=\"")?;
    colour::write_rgb(svg.w, c)?;
    svg.w
        .write_str("\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n")
}

fn dots<W: Write + ?Sized, I: Iterator<Item = (f64, f64)>>(
    svg: &mut Svg<'_, W>,
    xa: &Axis,
    ya: &Axis,
    pts: I,
    c: Rgb,
) -> fmt::Result {
    let hex = c.hex();
    for (x, y) in pts {
        if let (Some(px), Some(py)) = (xa.map(x), ya.map(y)) {
            svg.circle((px, py), 3.5, hex.as_str(), "#ffffff", "point")?;
        }
    }
    Ok(())
}

/// Writes the energy profile of a nudged elastic band: energy against the reaction coordinate
/// (the cumulative Euclidean distance between successive images, from image 0), a dot per
/// image and a star on the climbing image.
///
/// `images` holds the images row-major, `n` coordinates each (`Neb::path.as_flattened()`),
/// `energies` one value per image. `Empty` for `n = 0` or fewer than 2 images,
/// `LengthMismatch` unless `images.len() == n·energies.len()`, `InvalidParameter` for a
/// climbing index out of range or a bad chart, `NonFiniteInput` for a non-finite image or
/// energy; before writing. `WriteFailed` if the writer fails.
///
/// ```
/// use lossmap::plot::{neb_profile, Chart};
/// let images = [0.0f64, 0.0, 1.0, 0.0, 2.0, 0.0];
/// let mut svg = String::new();
/// neb_profile(&mut svg, &images, 2, &[0.0, 1.0, 0.2], Some(1), &Chart::default()).unwrap();
/// assert_eq!(svg.matches("class=\"climbing\"").count(), 1);
/// ```
pub fn neb_profile<T: Real, W: Write + ?Sized>(
    w: &mut W,
    images: &[T],
    n: usize,
    energies: &[T],
    climbing: Option<usize>,
    chart: &Chart<'_>,
) -> Result<(), Error> {
    if n == 0 || energies.len() < 2 {
        return Err(Error::Empty);
    }
    if n.checked_mul(energies.len()) != Some(images.len()) {
        return Err(Error::LengthMismatch);
    }
    if climbing.is_some_and(|c| c >= energies.len()) {
        return Err(Error::InvalidParameter);
    }
    chart.validate()?;
    if !images.iter().chain(energies).all(|v| v.is_finite()) {
        return Err(Error::NonFiniteInput);
    }
    let profile = Profile {
        images,
        n,
        energies,
    };
    let (xr, yr) = ranges(chart, profile.iter()).ok_or(Error::NonFiniteInput)?;
    wr(draw_profile(w, &profile, climbing, chart, xr, yr))
}

struct Profile<'a, T> {
    images: &'a [T],
    n: usize,
    energies: &'a [T],
}

impl<T: Real> Profile<'_, T> {
    /// `(reaction coordinate, energy)` per image.
    fn iter(&self) -> impl Iterator<Item = (f64, f64)> + Clone + '_ {
        let mut s = 0.0f64;
        let mut prev: Option<&[T]> = None;
        self.images
            .chunks(self.n.max(1))
            .zip(self.energies)
            .map(move |(img, e)| {
                if let Some(p) = prev {
                    let d2 = p.iter().zip(img).fold(0.0, |a, (u, v)| {
                        let d = v.to_f64() - u.to_f64();
                        a + d * d
                    });
                    s += libm::sqrt(d2);
                }
                prev = Some(img);
                (s, e.to_f64())
            })
    }
}

fn draw_profile<T: Real, W: Write + ?Sized>(
    w: &mut W,
    p: &Profile<'_, T>,
    climbing: Option<usize>,
    chart: &Chart<'_>,
    xr: (f64, f64),
    yr: (f64, f64),
) -> fmt::Result {
    let area = Area::of(chart, 0.0);
    let (xa, ya) = axes_for(chart, &area, xr, yr).ok_or(fmt::Error)?;
    let mut svg = Svg { w };
    svg.open(f64::from(chart.width), f64::from(chart.height))?;
    frame::axes(&mut svg, chart, &area, Some(&xa), Some(&ya), true)?;
    let c = colour::series(0);
    frame::clip_open(&mut svg, &area, "plot-area")?;
    path(&mut svg, &xa, &ya, p.iter(), c, "series")?;
    for (k, (x, y)) in p.iter().enumerate() {
        let (Some(px), Some(py)) = (xa.map(x), ya.map(y)) else {
            continue;
        };
        if Some(k) == climbing {
            frame::star(&mut svg, (px, py), 9.0, "#d55e00", "climbing")?;
        } else {
            svg.circle((px, py), 4.0, c.hex().as_str(), "#ffffff", "image")?;
        }
    }
    svg.w.write_str("</g>\n")?;
    let entries = [
        Entry {
            glyph: Glyph::Dot,
            colour: c,
            label: "images",
        },
        Entry {
            glyph: Glyph::Star,
            colour: Rgb(0xd5, 0x5e, 0x00),
            label: "climbing image",
        },
    ];
    let n = if climbing.is_some() { 2 } else { 1 };
    let hits = |r: frame::Rect| {
        p.iter()
            .filter_map(|(x, y)| Some((xa.map(x)?, ya.map(y)?)))
            .filter(|&q| frame::inside(r, q, 6.0))
            .count()
    };
    frame::legend(&mut svg, &area, entries.iter().take(n).copied(), &hits)?;
    svg.close()
}
