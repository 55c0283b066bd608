//! A 2-D slice of a loss as a heat map: cells coloured by value (viridis), contour lines,
//! a colour bar, axes, and overlays (optimizer trajectories, a nudged elastic band, multi-start
//! end points).
//!
//! # Grid layout
//!
//! [`slice_2d`](crate::landscape::slice_2d)'s: `values[i·ny + j] = f(x_i, y_j)` with `x_i`
//! evenly spaced over `x` (`nx` points, the rows) and `y_j` over `y` (`ny` points). Each value
//! colours the cell centred on its grid point, so the plot spans half a cell beyond `x` and `y`.
//!
//! # Non-finite values
//!
//! A NaN/±∞ value is a hole: its cell stays grey, contours skip the cells around it, and the
//! colour range is taken over the finite values. A grid with no finite value at all is
//! `Error::NonFiniteInput`.
//!
//! # Contour levels ([`Levels`])
//!
//! `Even(k)`: `k` levels evenly spaced strictly inside the value range, `min + (max − min)·i/(k+1)`.
//! `Log { count, decades }`: `min + (max − min)·10^(−decades·i/count)` for `i = 1 ..= count`,
//! dense near the minimum, for valleys like Rosenbrock's whose interesting part spans decades
//! below the range. `Values`: the caller's levels.
//!
//! # Evaluation from a closure
//!
//! [`heatmap_fn`] evaluates `f(x, y)` itself with a caller row buffer of `2·ny` values (no
//! `nx·ny` buffer): once over the grid for the range, once for the cells, and once per contour
//! level (each row once per level, two rows in the buffer at a time), i.e.
//! `(2 + levels)·nx·ny` calls.

use super::axes::{self, Axis, Scale};
use super::colour::{self, viridis, Rgb};
use super::frame::{self, Area, Chart, Entry, Glyph};
use super::num::write_sig;
use super::svg::{Anchor, Svg};
use super::{contour, wr};
use crate::{Error, Real};
use core::fmt::{self, Write};

/// A grid of values (see the module's layout): `values.len() == nx·ny`.
#[derive(Debug, Clone, Copy)]
pub struct Grid<'a, T> {
    /// `values[i·ny + j] = f(x_i, y_j)`.
    pub values: &'a [T],
    /// Points along x (rows), ≥ 2.
    pub nx: usize,
    /// Points along y (columns), ≥ 2.
    pub ny: usize,
    /// First and last x.
    pub x: (T, T),
    /// First and last y.
    pub y: (T, T),
}

/// A grid's shape without values, for [`heatmap_fn`].
#[derive(Debug, Clone, Copy)]
pub struct GridSpec<T> {
    /// Points along x, ≥ 2.
    pub nx: usize,
    /// Points along y, ≥ 2.
    pub ny: usize,
    /// First and last x.
    pub x: (T, T),
    /// First and last y.
    pub y: (T, T),
}

/// Which contour levels to draw (see the module docs for the rules).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Levels<'a> {
    /// No contours.
    None,
    /// `k` levels evenly spaced inside the range.
    Even(usize),
    /// `count` levels log-spaced above the minimum over `decades` decades.
    Log {
        /// How many levels (≥ 1).
        count: usize,
        /// Decades below the range spanned (> 0).
        decades: f64,
    },
    /// Explicit levels (finite).
    Values(&'a [f64]),
}

/// How values map to colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColourScale {
    /// `t = (f − min)/(max − min)`.
    Linear,
    /// `t = 1 + log10((f − min)/(max − min))/decades` clamped to [0, 1]: the colour bar is a
    /// log axis of `f − min` over `decades` decades below the range.
    Log {
        /// Decades shown (> 0).
        decades: f64,
    },
}

/// Heat-map settings.
///
/// `Default`: a 640 × 520 px chart, 8 even contour levels, linear colours, colour bar
/// labelled `f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatmapConfig<'a> {
    /// Size, title, axis labels. The axes are the grid's, linear: the chart's scales and
    /// fixed ranges are not used.
    pub chart: Chart<'a>,
    /// Contour levels.
    pub levels: Levels<'a>,
    /// Colour scale.
    pub colour: ColourScale,
    /// Caption of the colour bar.
    pub colour_label: &'a str,
}

impl Default for HeatmapConfig<'_> {
    fn default() -> Self {
        HeatmapConfig {
            chart: Chart {
                height: 520,
                ..Chart::default()
            },
            levels: Levels::Even(8),
            colour: ColourScale::Linear,
            colour_label: "f",
        }
    }
}

/// One optimizer trajectory: a polyline in its own series colour, named in the legend.
#[derive(Debug, Clone, Copy)]
pub struct Trajectory<'a, T> {
    /// Legend label.
    pub label: &'a str,
    /// Visited points, in order.
    pub points: &'a [[T; 2]],
}

/// A nudged elastic band: images as dots joined by a line, the climbing image as a star.
#[derive(Debug, Clone, Copy)]
pub struct Band<'a, T> {
    /// Legend label of the band.
    pub label: &'a str,
    /// The images, end points included.
    pub images: &'a [[T; 2]],
    /// Index of the climbing image, if any.
    pub climbing: Option<usize>,
}

/// What is drawn over the heat map. `Default`: nothing.
#[derive(Debug, Clone, Copy)]
pub struct Overlays<'a, T> {
    /// Trajectories, one polyline each (`class="trajectory"`).
    pub trajectories: &'a [Trajectory<'a, T>],
    /// A band.
    pub band: Option<Band<'a, T>>,
    /// End points of a multi-start (× markers).
    pub markers: &'a [[T; 2]],
    /// Legend label of the markers.
    pub marker_label: &'a str,
}

impl<T> Default for Overlays<'_, T> {
    fn default() -> Self {
        Overlays {
            trajectories: &[],
            band: None,
            markers: &[],
            marker_label: "end points",
        }
    }
}

impl<T: Real> Overlays<'_, T> {
    fn validate(&self) -> Result<(), Error> {
        let fin = |p: &[[T; 2]]| p.iter().all(|q| q[0].is_finite() && q[1].is_finite());
        if !self.trajectories.iter().all(|t| fin(t.points)) || !fin(self.markers) {
            return Err(Error::NonFiniteInput);
        }
        if let Some(b) = &self.band {
            if !fin(b.images) {
                return Err(Error::NonFiniteInput);
            }
            if b.climbing.is_some_and(|c| c >= b.images.len()) {
                return Err(Error::InvalidParameter);
            }
        }
        Ok(())
    }
}

/// Rows of a grid, by reference (a slice) or computed into a two-row buffer (a closure).
trait Rows<T> {
    /// Row `i`.
    fn one(&mut self, i: usize) -> &[T];
    /// Rows `i` and `i + 1`.
    fn pair(&mut self, i: usize) -> (&[T], &[T]);
}

struct SliceRows<'a, T> {
    values: &'a [T],
    ny: usize,
}

impl<T> Rows<T> for SliceRows<'_, T> {
    fn one(&mut self, i: usize) -> &[T] {
        let s = i.saturating_mul(self.ny);
        self.values.get(s..s.saturating_add(self.ny)).unwrap_or(&[])
    }
    fn pair(&mut self, i: usize) -> (&[T], &[T]) {
        let s = i.saturating_mul(self.ny);
        let a = self.values.get(s..s.saturating_add(self.ny)).unwrap_or(&[]);
        let s = s.saturating_add(self.ny);
        let b = self.values.get(s..s.saturating_add(self.ny)).unwrap_or(&[]);
        (a, b)
    }
}

struct FnRows<'a, T, F> {
    f: &'a mut F,
    buf: &'a mut [T],
    spec: GridSpec<f64>,
    tags: [Option<usize>; 2],
}

impl<T: Real, F: FnMut(T, T) -> T> FnRows<'_, T, F> {
    fn fill(&mut self, half: usize, i: usize) {
        let ny = self.spec.ny;
        let x = T::from_f64(coord(self.spec.x, i, self.spec.nx));
        if let Some(row) = self.buf.get_mut(half * ny..(half + 1) * ny) {
            for (j, v) in row.iter_mut().enumerate() {
                *v = (self.f)(x, T::from_f64(coord(self.spec.y, j, ny)));
            }
        }
        if let Some(t) = self.tags.get_mut(half) {
            *t = Some(i);
        }
    }
    fn half(&self, h: usize) -> &[T] {
        let ny = self.spec.ny;
        self.buf.get(h * ny..(h + 1) * ny).unwrap_or(&[])
    }
}

impl<T: Real, F: FnMut(T, T) -> T> Rows<T> for FnRows<'_, T, F> {
    fn one(&mut self, i: usize) -> &[T] {
        let h = if self.tags[0] == Some(i) {
            0
        } else if self.tags[1] == Some(i) {
            1
        } else {
            self.fill(0, i);
            0
        };
        self.half(h)
    }
    fn pair(&mut self, i: usize) -> (&[T], &[T]) {
        let next = i.saturating_add(1);
        let (first, second) = match self.tags {
            [Some(a), Some(b)] if a == i && b == next => (0, 1),
            [Some(a), Some(b)] if b == i && a == next => (1, 0),
            [Some(a), _] if a == i => {
                self.fill(1, next);
                (0, 1)
            }
            [_, Some(b)] if b == i => {
                self.fill(0, next);
                (1, 0)
            }
            _ => {
                self.fill(0, i);
                self.fill(1, next);
                (0, 1)
            }
        };
        let ny = self.spec.ny;
        let a = self.buf.get(first * ny..(first + 1) * ny).unwrap_or(&[]);
        let b = self.buf.get(second * ny..(second + 1) * ny).unwrap_or(&[]);
        (a, b)
    }
}

/// The `k`-th of `n` evenly spaced values over `r` (as `landscape::slice_2d` spaces them).
fn coord(r: (f64, f64), k: usize, n: usize) -> f64 {
    if n <= 1 {
        return r.0;
    }
    r.0 + (r.1 - r.0) * k as f64 / (n - 1) as f64
}

fn spec_f64<T: Real>(s: &GridSpec<T>) -> Result<GridSpec<f64>, Error> {
    if s.nx < 2 || s.ny < 2 {
        return Err(Error::Empty);
    }
    let v = GridSpec {
        nx: s.nx,
        ny: s.ny,
        x: (s.x.0.to_f64(), s.x.1.to_f64()),
        y: (s.y.0.to_f64(), s.y.1.to_f64()),
    };
    if [v.x.0, v.x.1, v.y.0, v.y.1].iter().all(|a| a.is_finite()) && v.x.0 < v.x.1 && v.y.0 < v.y.1
    {
        Ok(v)
    } else {
        Err(Error::InvalidParameter)
    }
}

fn validate_config(c: &HeatmapConfig<'_>) -> Result<(), Error> {
    c.chart.validate()?;
    let ok_levels = match c.levels {
        Levels::None => true,
        Levels::Even(k) => k <= 64,
        Levels::Log { count, decades } => {
            (1..=64).contains(&count) && decades.is_finite() && decades > 0.0
        }
        Levels::Values(v) => v.len() <= 64 && v.iter().all(|l| l.is_finite()),
    };
    let ok_colour = match c.colour {
        ColourScale::Linear => true,
        ColourScale::Log { decades } => decades.is_finite() && decades > 0.0,
    };
    if ok_levels && ok_colour {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// The `k`-th contour level (`k < count`) of a range.
fn level(levels: &Levels<'_>, min: f64, max: f64, k: usize) -> Option<f64> {
    let span = max - min;
    match *levels {
        Levels::None => None,
        Levels::Even(n) => (k < n).then(|| min + span * (k + 1) as f64 / (n + 1) as f64),
        Levels::Log { count, decades } => (k < count)
            .then(|| min + span * libm::pow(10.0, -decades * (k + 1) as f64 / count as f64)),
        Levels::Values(v) => v.get(k).copied(),
    }
}

/// Colour position `t ∈ [0, 1]` of value `v`.
fn colour_t(scale: ColourScale, v: f64, min: f64, max: f64) -> f64 {
    let span = max - min;
    if span <= 0.0 {
        return 0.5;
    }
    match scale {
        ColourScale::Linear => ((v - min) / span).clamp(0.0, 1.0),
        ColourScale::Log { decades } => {
            let r = (v - min) / span;
            if r <= 0.0 {
                0.0
            } else {
                (1.0 + libm::log10(r) / decades).clamp(0.0, 1.0)
            }
        }
    }
}

/// Colour steps cells are quantized to (runs of equal colour merge into one rectangle).
const STEPS: f64 = 64.0;

/// Writes a heat map of `grid` with contours, colour bar and `overlays` as an SVG document.
///
/// Validates everything first (`Empty` for `nx` or `ny` < 2, `LengthMismatch` unless
/// `values.len() == nx·ny`, `InvalidParameter` for a bad config or range (`x.0 < x.1`, finite),
/// `NonFiniteInput` for a grid without a finite value or a non-finite overlay point); then
/// writes. `WriteFailed` if the writer fails, possibly after part of the document.
///
/// ```
/// use lossmap::plot::{heatmap, Grid, HeatmapConfig, Overlays};
/// let mut v = [0.0f64; 16 * 16];
/// lossmap::landscape::slice_2d(&mut |p: &[f64]| p[0] * p[0] + p[1] * p[1], &[0.0, 0.0], &[1.0, 0.0], &[0.0, 1.0], (-1.0, 1.0), (-1.0, 1.0), 16, &mut [0.0; 2], &mut v).unwrap();
/// let grid = Grid { values: &v, nx: 16, ny: 16, x: (-1.0, 1.0), y: (-1.0, 1.0) };
/// let mut svg = String::new();
/// heatmap(&mut svg, &grid, &Overlays::default(), &HeatmapConfig::default()).unwrap();
/// assert!(svg.starts_with("<?xml") && svg.ends_with("</svg>\n"));
/// assert_eq!(svg.matches("class=\"contour\"").count(), 8);
/// ```
pub fn heatmap<T: Real, W: Write + ?Sized>(
    w: &mut W,
    grid: &Grid<'_, T>,
    overlays: &Overlays<'_, T>,
    config: &HeatmapConfig<'_>,
) -> Result<(), Error> {
    let spec = spec_f64(&GridSpec {
        nx: grid.nx,
        ny: grid.ny,
        x: grid.x,
        y: grid.y,
    })?;
    if grid.nx.checked_mul(grid.ny) != Some(grid.values.len()) {
        return Err(Error::LengthMismatch);
    }
    validate_config(config)?;
    overlays.validate()?;
    let range = min_max(grid.values.iter().copied()).ok_or(Error::NonFiniteInput)?;
    let mut rows = SliceRows {
        values: grid.values,
        ny: grid.ny,
    };
    wr(draw(w, &mut rows, &spec, range, overlays, config))
}

/// [`heatmap`] of `f(x, y)` evaluated on the grid `spec` by the plot itself, with `row`
/// (length ≥ `2·ny`) as its only buffer; `(2 + levels)·nx·ny` calls (see the module docs).
/// `LengthMismatch` for a shorter `row`; otherwise as [`heatmap`] (`NonFiniteInput` when `f`
/// is nowhere finite, found in the first pass, before anything is written).
///
/// ```
/// use lossmap::plot::{heatmap_fn, GridSpec, HeatmapConfig, Overlays};
/// let mut row = [0.0f32; 2 * 24];
/// let spec = GridSpec { nx: 24, ny: 24, x: (-2.0, 2.0), y: (-1.0, 3.0) };
/// let mut svg = String::new();
/// let mut f = |x: f32, y: f32| (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
/// heatmap_fn(&mut svg, &mut f, &spec, &mut row, &Overlays::default(), &HeatmapConfig::default()).unwrap();
/// assert!(svg.contains("</svg>"));
/// ```
pub fn heatmap_fn<T: Real, F: FnMut(T, T) -> T, W: Write + ?Sized>(
    w: &mut W,
    f: &mut F,
    spec: &GridSpec<T>,
    row: &mut [T],
    overlays: &Overlays<'_, T>,
    config: &HeatmapConfig<'_>,
) -> Result<(), Error> {
    let s = spec_f64(spec)?;
    let need = s.ny.checked_mul(2).ok_or(Error::LengthMismatch)?;
    let buf = row.get_mut(..need).ok_or(Error::LengthMismatch)?;
    validate_config(config)?;
    overlays.validate()?;
    let mut rows = FnRows {
        f,
        buf,
        spec: s,
        tags: [None, None],
    };
    let mut range: Option<(f64, f64)> = None;
    for i in 0..s.nx {
        let r = min_max(rows.one(i).iter().copied());
        range = match (range, r) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        };
    }
    let range = range.ok_or(Error::NonFiniteInput)?;
    wr(draw(w, &mut rows, &s, range, overlays, config))
}

/// Finite minimum and maximum.
fn min_max<T: Real, I: Iterator<Item = T>>(it: I) -> Option<(f64, f64)> {
    it.map(T::to_f64)
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })
}

const BAR_SPACE: f64 = 92.0;

fn draw<T: Real, R: Rows<T>, W: Write + ?Sized>(
    w: &mut W,
    rows: &mut R,
    s: &GridSpec<f64>,
    (min, max): (f64, f64),
    overlays: &Overlays<'_, T>,
    config: &HeatmapConfig<'_>,
) -> fmt::Result {
    let chart = &config.chart;
    let area = Area::of(chart, BAR_SPACE);
    let dx = (s.x.1 - s.x.0) / (s.nx - 1) as f64;
    let dy = (s.y.1 - s.y.0) / (s.ny - 1) as f64;
    let (x0, x1) = (s.x.0 - 0.5 * dx, s.x.1 + 0.5 * dx);
    let (y0, y1) = (s.y.0 - 0.5 * dy, s.y.1 + 0.5 * dy);
    // Validated finite and increasing: the axes exist.
    let (Some(xa), Some(ya)) = (
        Axis::new(x0, x1, Scale::Linear, area.l, area.r),
        Axis::new(y0, y1, Scale::Linear, area.b, area.t),
    ) else {
        return Err(fmt::Error);
    };
    let mut svg = Svg { w };
    svg.open(f64::from(chart.width), f64::from(chart.height))?;
    // Holes show as grey.
    svg.rect(
        area.l,
        area.t,
        area.r - area.l,
        area.b - area.t,
        "#c8c8c8",
        None,
    )?;
    // Cells: vertical runs of one quantized colour per grid row (one x), in grid units (a
    // transform maps cell (i, j) to its pixels) so that coordinates are short integers.
    let px_w = (area.r - area.l) / s.nx as f64;
    let px_h = (area.b - area.t) / s.ny as f64;
    svg.w
        .write_str("<g class=\"cells\" shape-rendering=\"crispEdges\" transform=\"translate(")?;
    svg.px(area.l)?;
    svg.w.write_char(' ')?;
    svg.px(area.b)?;
    svg.w.write_str(") scale(")?;
    write_sig(svg.w, px_w, 8)?;
    svg.w.write_char(' ')?;
    write_sig(svg.w, -px_h, 8)?;
    // Each run is a vertical stroke one cell wide (2 % wider, so that no seam shows) through
    // the cell centres: `M i+0.5 start v length`, the shortest element a coloured box has.
    svg.w
        .write_str(")\" fill=\"none\" stroke-width=\"1.02\" stroke-linecap=\"butt\">\n")?;
    let quant = |v: f64| -> Option<i32> {
        v.is_finite()
            .then(|| libm::round(colour_t(config.colour, v, min, max) * STEPS) as i32)
    };
    for i in 0..s.nx {
        let row = rows.one(i);
        let mut run: Option<(usize, i32)> = None;
        let ny = row.len();
        for j in 0..=ny {
            let q = row.get(j).and_then(|v| quant(v.to_f64()));
            let same = matches!((run, q), (Some((_, a)), Some(b)) if a == b);
            if same {
                continue;
            }
            if let Some((start, c)) = run {
                // Cells start..j (y grows upwards in these units), overlapping the next run
                // by 0.02 of a cell.
                let colour = viridis(f64::from(c) / STEPS);
                svg.w.write_str("<path d=\"")?;
                svg.move_line('M', (i as f64 + 0.5, start as f64))?;
                svg.w.write_char('v')?;
                svg.px((j - start) as f64 + 0.02)?;
                svg.w.write_str("\" stroke=\"")?;
                svg.w.write_str(colour.hex().as_str())?;
                svg.w.write_str("\"/>\n")?;
            }
            run = q.map(|c| (j, c));
        }
    }
    svg.w.write_str("</g>\n")?;
    // Contours, one path per level.
    let mut k = 0;
    while let Some(lv) = level(&config.levels, min, max, k) {
        k += 1;
        svg.w.write_str("<path class=\"contour\"")?;
        svg.w.write_str(" data-level=\"")?;
        write_sig(svg.w, lv, 6)?;
        svg.w.write_str("\" d=\"")?;
        let mut err = Ok(());
        for i in 0..s.nx - 1 {
            let (ra, rb) = rows.pair(i);
            for j in 0..s.ny - 1 {
                let g = |r: &[T], j: usize| r.get(j).map_or(f64::NAN, |v| v.to_f64());
                let corners = (g(ra, j), g(rb, j), g(rb, j + 1), g(ra, j + 1));
                contour::cell(
                    lv,
                    corners,
                    (i as f64, j as f64),
                    &mut |p: (f64, f64), q: (f64, f64)| {
                        if err.is_ok() {
                            let to_px = |g: (f64, f64)| {
                                (area.l + px_w * (g.0 + 0.5), area.b - px_h * (g.1 + 0.5))
                            };
                            err = svg
                                .move_line('M', to_px(p))
                                .and_then(|_| svg.move_line('L', to_px(q)));
                        }
                    },
                );
            }
        }
        err?;
        svg.w.write_str(
            "\" fill=\"none\" stroke=\"#000000\" stroke-opacity=\"0.45\" stroke-width=\"0.9\"/>\n",
        )?;
    }
    frame::axes(&mut svg, chart, &area, Some(&xa), Some(&ya), false)?;
    colour_bar(&mut svg, &area, config, min, max)?;
    draw_overlays(&mut svg, &area, &xa, &ya, overlays)?;
    svg.close()
}

/// The colour bar right of the plot: the gradient as stacked bands, tick labels, the contour
/// levels as white lines, the caption.
fn colour_bar<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    area: &Area,
    config: &HeatmapConfig<'_>,
    min: f64,
    max: f64,
) -> fmt::Result {
    let (bx, bw) = (area.r + 14.0, 14.0);
    let h = area.b - area.t;
    let bands = 48;
    svg.w
        .write_str("<g class=\"colourbar\" shape-rendering=\"crispEdges\">\n")?;
    for k in 0..bands {
        let t0 = k as f64 / bands as f64;
        let c = viridis((k as f64 + 0.5) / bands as f64);
        svg.rect(
            bx,
            area.b - h * (t0 + 1.0 / bands as f64),
            bw,
            h / bands as f64 + 0.3,
            c.hex().as_str(),
            None,
        )?;
    }
    svg.w.write_str("</g>\n")?;
    svg.w.write_str("<rect")?;
    svg.attr_px("x", bx)?;
    svg.attr_px("y", area.t)?;
    svg.attr_px("width", bw)?;
    svg.attr_px("height", h)?;
    svg.w
        .write_str(" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>\n")?;
    let span = max - min;
    let y_of = |t: f64| area.b - h * t;
    // Tick labels.
    match config.colour {
        ColourScale::Linear => {
            let ticks = axes::linear_ticks(min, max, 6);
            for v in ticks.iter() {
                let t = colour_t(config.colour, v, min, max);
                if span > 0.0 && !(-1e-9..=1.0 + 1e-9).contains(&((v - min) / span)) {
                    continue;
                }
                bar_tick(svg, bx + bw, y_of(t), v)?;
            }
        }
        ColourScale::Log { decades } => {
            let lo = span * libm::pow(10.0, -decades);
            let ticks = axes::log_ticks(lo, span);
            for d in ticks.iter() {
                let t = colour_t(config.colour, min + d, min, max);
                bar_tick(svg, bx + bw, y_of(t), d)?;
            }
        }
    }
    // Contour levels on the bar.
    let mut k = 0;
    while let Some(lv) = level(&config.levels, min, max, k) {
        k += 1;
        if !(min..=max).contains(&lv) {
            continue;
        }
        let y = y_of(colour_t(config.colour, lv, min, max));
        svg.line((bx, y), (bx + bw, y), "#ffffff", 1.0)?;
    }
    // Caption, rotated, right of the labels.
    let cx = bx + bw + 62.0;
    let cy = 0.5 * (area.t + area.b);
    svg.text_open(
        (cx, cy),
        Anchor::Middle,
        frame::LABEL_FONT,
        Some(-90.0),
        "#222222",
    )?;
    super::svg::escape(svg.w, config.colour_label)?;
    if let (ColourScale::Log { .. }, true) = (config.colour, min != 0.0) {
        svg.w.write_str(" \u{2212} ")?;
        write_sig(svg.w, min, 4)?;
        svg.w.write_str(" (grid minimum)")?;
    }
    svg.w.write_str("</text>\n")
}

fn bar_tick<W: Write + ?Sized>(svg: &mut Svg<'_, W>, x: f64, y: f64, v: f64) -> fmt::Result {
    svg.line((x, y), (x + 4.0, y), "#444444", 1.0)?;
    svg.number(
        (x + 7.0, y + 4.0),
        Anchor::Start,
        frame::TICK_FONT,
        v,
        4,
        "#222222",
    )
}

fn draw_overlays<T: Real, W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    area: &Area,
    xa: &Axis,
    ya: &Axis,
    o: &Overlays<'_, T>,
) -> fmt::Result {
    let pix = |p: &[T; 2]| -> (f64, f64) {
        (
            xa.map(p[0].to_f64()).unwrap_or(0.0),
            ya.map(p[1].to_f64()).unwrap_or(0.0),
        )
    };
    frame::clip_open(svg, area, "plot-area")?;
    // All halos first, then the lines, each narrower than the one before, so that paths
    // which run together still show every colour.
    let width = |k: usize| (3.6 - k as f64).max(1.4);
    for (k, t) in o.trajectories.iter().enumerate() {
        line(
            svg,
            t.points.iter().map(pix),
            "#ffffff",
            "halo",
            width(k) + 2.4,
        )?;
    }
    for (k, t) in o.trajectories.iter().enumerate() {
        let c = colour::series(k);
        line(
            svg,
            t.points.iter().map(pix),
            c.hex().as_str(),
            "trajectory",
            width(k),
        )?;
        if let Some(last) = t.points.last() {
            svg.circle(
                pix(last),
                width(k) + 1.5,
                c.hex().as_str(),
                "#ffffff",
                "trajectory-end",
            )?;
        }
    }
    if let Some(b) = &o.band {
        line(svg, b.images.iter().map(pix), "#222222", "halo", 3.5)?;
        line(svg, b.images.iter().map(pix), "#ffffff", "band", 1.5)?;
        for (i, p) in b.images.iter().enumerate() {
            if Some(i) == b.climbing {
                continue;
            }
            svg.circle(pix(p), 3.5, "#ffffff", "#222222", "image")?;
        }
        if let Some(p) = b.climbing.and_then(|c| b.images.get(c)) {
            frame::star(svg, pix(p), 8.0, "#d55e00", "climbing")?;
        }
    }
    for p in o.markers {
        frame::cross(svg, pix(p), 5.0, "#cc79a7")?;
    }
    svg.w.write_str("</g>\n")?;
    let band_entries = o.band.iter().flat_map(|b| {
        let dots = Entry {
            glyph: Glyph::Dot,
            colour: Rgb(0xff, 0xff, 0xff),
            label: b.label,
        };
        let climb = b.climbing.map(|_| Entry {
            glyph: Glyph::Star,
            colour: Rgb(0xd5, 0x5e, 0x00),
            label: "climbing image",
        });
        core::iter::once(dots).chain(climb)
    });
    let entries = o
        .trajectories
        .iter()
        .enumerate()
        .map(|(k, t)| Entry {
            glyph: Glyph::Line,
            colour: colour::series(k),
            label: t.label,
        })
        .chain(band_entries)
        .chain((!o.markers.is_empty()).then_some(Entry {
            glyph: Glyph::Cross,
            colour: Rgb(0xcc, 0x79, 0xa7),
            label: o.marker_label,
        }));
    let hits = |r: frame::Rect| {
        let count = |pts: &[[T; 2]]| pts.iter().filter(|p| frame::inside(r, pix(p), 6.0)).count();
        o.trajectories
            .iter()
            .map(|t| count(t.points))
            .sum::<usize>()
            + o.band.as_ref().map_or(0, |b| count(b.images))
            + count(o.markers)
    };
    frame::legend(svg, area, entries, &hits)
}

/// A `<polyline>` of class `class`.
fn line<W: Write + ?Sized, I: Iterator<Item = (f64, f64)>>(
    svg: &mut Svg<'_, W>,
    pts: I,
    stroke: &str,
    class: &str,
    width: f64,
) -> fmt::Result {
    svg.w.write_str("<polyline")?;
    svg.attr("class", class)?;
    svg.w.write_str(" points=\"")?;
    points(svg, pts)?;
    svg.w.write_str("\" fill=\"none\"")?;
    svg.attr("stroke", stroke)?;
    svg.attr_px("stroke-width", width)?;
    svg.w
        .write_str(" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n")
}

fn points<W: Write + ?Sized, I: Iterator<Item = (f64, f64)>>(
    svg: &mut Svg<'_, W>,
    pts: I,
) -> fmt::Result {
    // Points closer than 0.5 px to the last one written are left out (the last point is
    // always written).
    let mut last: Option<(f64, f64)> = None;
    let mut pending: Option<(f64, f64)> = None;
    for p in pts {
        if let Some(l) = last {
            if (p.0 - l.0).abs() < 0.5 && (p.1 - l.1).abs() < 0.5 {
                pending = Some(p);
                continue;
            }
            svg.w.write_char(' ')?;
        }
        svg.px(p.0)?;
        svg.w.write_char(',')?;
        svg.px(p.1)?;
        last = Some(p);
        pending = None;
    }
    if let Some(p) = pending {
        svg.w.write_char(' ')?;
        svg.px(p.0)?;
        svg.w.write_char(',')?;
        svg.px(p.1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_levels_approach_the_minimum() {
        let l = Levels::Log {
            count: 3,
            decades: 3.0,
        };
        let v: [f64; 3] = [0, 1, 2].map(|k| level(&l, 1.0, 1001.0, k).unwrap());
        assert!((v[0] - 101.0).abs() < 1e-9 && (v[1] - 11.0).abs() < 1e-9);
        assert!((v[2] - 2.0).abs() < 1e-9);
        assert_eq!(level(&l, 1.0, 1001.0, 3), None);
    }
}
