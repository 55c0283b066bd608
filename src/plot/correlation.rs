//! A correlation matrix as a heat map: cell `(i, j)` coloured by `c[i·n + j]` on the diverging
//! map (blue −1, white 0, red +1), optionally with its value printed (2 decimals, white text on
//! dark cells), parameter names along both axes, and a colour bar from −1 to 1.

use super::colour::diverging;
use super::frame::{self, Chart};
use super::svg::{Anchor, Svg};
use super::wr;
use crate::{Error, Real};
use core::fmt::{self, Write};

/// Correlation-plot settings. `Default`: a 480 × 420 px chart, values printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorrelationConfig<'a> {
    /// Size and title (axis labels and scales are not used).
    pub chart: Chart<'a>,
    /// Print each cell's value.
    pub values: bool,
}

impl Default for CorrelationConfig<'_> {
    fn default() -> Self {
        CorrelationConfig {
            chart: Chart {
                width: 480,
                height: 420,
                ..Chart::default()
            },
            values: true,
        }
    }
}

/// Writes the `n × n` correlation matrix `c` (row-major, e.g. `FitStatistics`' correlations
/// flattened) with `labels` (`n` names, or none: `p1 … pn`).
///
/// `Empty` for `n = 0`, `LengthMismatch` unless `c.len() == n²` and `labels` has 0 or `n`
/// entries, `InvalidParameter` for a bad chart or `n > 64`, `NonFiniteInput` for a non-finite
/// entry; before writing. Entries beyond ±1 take the end colours. `WriteFailed` if the writer
/// fails.
///
/// ```
/// use lossmap::plot::{correlation, CorrelationConfig};
/// let mut svg = String::new();
/// correlation(&mut svg, &[1.0f64, -0.8, -0.8, 1.0], 2, &["a", "b"], &CorrelationConfig::default()).unwrap();
/// assert!(svg.contains(">-0.80<"));
/// ```
pub fn correlation<T: Real, W: Write + ?Sized>(
    w: &mut W,
    c: &[T],
    n: usize,
    labels: &[&str],
    config: &CorrelationConfig<'_>,
) -> Result<(), Error> {
    if n == 0 {
        return Err(Error::Empty);
    }
    if n.checked_mul(n) != Some(c.len()) || !(labels.is_empty() || labels.len() == n) {
        return Err(Error::LengthMismatch);
    }
    config.chart.validate()?;
    if n > 64 {
        return Err(Error::InvalidParameter);
    }
    if !c.iter().all(|v| v.is_finite()) {
        return Err(Error::NonFiniteInput);
    }
    wr(draw(w, c, n, labels, config))
}

/// Writes label `k` (or `p{k+1}`).
fn label<W: Write + ?Sized>(svg: &mut Svg<'_, W>, labels: &[&str], k: usize) -> fmt::Result {
    match labels.get(k) {
        Some(s) => super::svg::escape(svg.w, s),
        None => write!(svg.w, "p{}", k + 1),
    }
}

fn draw<T: Real, W: Write + ?Sized>(
    w: &mut W,
    c: &[T],
    n: usize,
    labels: &[&str],
    config: &CorrelationConfig<'_>,
) -> fmt::Result {
    let chart = &config.chart;
    let (wd, ht) = (f64::from(chart.width), f64::from(chart.height));
    let widest = labels
        .iter()
        .map(|s| frame::text_width(s, frame::TICK_FONT))
        .fold(frame::text_width("p00", frame::TICK_FONT), f64::max);
    let top = if chart.title.is_empty() { 16.0 } else { 40.0 };
    let left = widest + 16.0;
    let bar = 70.0;
    let side = (wd - left - bar - 16.0).min(ht - top - 30.0).max(10.0);
    let cell = side / n as f64;
    let mut svg = Svg { w };
    svg.open(wd, ht)?;
    if !chart.title.is_empty() {
        svg.text(
            (left + 0.5 * side, 24.0),
            Anchor::Middle,
            frame::TITLE_FONT,
            None,
            chart.title,
        )?;
    }
    let font = (0.3 * cell).clamp(7.0, 13.0);
    for (i, row) in c.chunks(n).enumerate() {
        for (j, v) in row.iter().enumerate() {
            let v = v.to_f64();
            let col = diverging(v);
            let (x, y) = (left + cell * j as f64, top + cell * i as f64);
            svg.w.write_str("<rect class=\"cell\"")?;
            svg.attr_px("x", x)?;
            svg.attr_px("y", y)?;
            svg.attr_px("width", cell)?;
            svg.attr_px("height", cell)?;
            svg.attr("fill", col.hex().as_str())?;
            svg.w
                .write_str(" stroke=\"#ffffff\" stroke-width=\"1\"/>\n")?;
            if config.values && cell >= 18.0 {
                let ink = if col.luma() < 0.45 {
                    "#ffffff"
                } else {
                    "#222222"
                };
                svg.text_open(
                    (x + 0.5 * cell, y + 0.5 * cell + 0.35 * font),
                    Anchor::Middle,
                    font,
                    None,
                    ink,
                )?;
                write_fixed2(svg.w, v)?;
                svg.w.write_str("</text>\n")?;
            }
        }
    }
    // Names: left of the rows, under the columns.
    for k in 0..n {
        let mid = cell * (k as f64 + 0.5);
        svg.text_open(
            (left - 6.0, top + mid + 4.0),
            Anchor::End,
            frame::TICK_FONT,
            None,
            "#222222",
        )?;
        label(&mut svg, labels, k)?;
        svg.w.write_str("</text>\n")?;
        svg.text_open(
            (left + mid, top + side + 16.0),
            Anchor::Middle,
            frame::TICK_FONT,
            None,
            "#222222",
        )?;
        label(&mut svg, labels, k)?;
        svg.w.write_str("</text>\n")?;
    }
    // Colour bar −1 … 1.
    let bx = left + side + 18.0;
    let bands = 40;
    svg.w
        .write_str("<g class=\"colourbar\" shape-rendering=\"crispEdges\">\n")?;
    for k in 0..bands {
        let t = (k as f64 + 0.5) / bands as f64;
        svg.rect(
            bx,
            top + side * (1.0 - (k + 1) as f64 / bands as f64),
            14.0,
            side / bands as f64 + 0.3,
            diverging(2.0 * t - 1.0).hex().as_str(),
            None,
        )?;
    }
    svg.w.write_str("</g>\n")?;
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let y = top + side * (1.0 - 0.5 * (v + 1.0));
        svg.line((bx + 14.0, y), (bx + 18.0, y), "#444444", 1.0)?;
        svg.number(
            (bx + 21.0, y + 4.0),
            Anchor::Start,
            frame::TICK_FONT,
            v,
            2,
            "#222222",
        )?;
    }
    svg.close()
}

/// `v` with exactly two decimals (`-0.80`, `1.00`), `|v|` < 10⁹.
fn write_fixed2<W: Write + ?Sized>(w: &mut W, v: f64) -> fmt::Result {
    let c = libm::round(v.clamp(-1e9, 1e9) * 100.0) as i64;
    if c < 0 {
        w.write_char('-')?;
    }
    let a = c.unsigned_abs();
    write!(w, "{}.{}{}", a / 100, (a / 10) % 10, a % 10)
}
