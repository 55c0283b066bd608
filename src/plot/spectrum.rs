//! A Hessian spectrum: each eigenvalue as a stem from 0 at its index (1-based), positive ones
//! blue, negative ones vermillion (Okabe–Ito), zero and tiny ones grey.
//!
//! The y axis is the chart's: [`Scale::Linear`] by default, or [`Scale::SymLog`]`(c)` for
//! spectra spanning decades of both signs (linear within ±c, logarithmic beyond). A log10 axis
//! is refused (`InvalidParameter`): it cannot show negative curvature.

use super::axes::{pad, Axis, Scale};
use super::colour::Rgb;
use super::frame::{self, Area, Chart, Entry, Glyph};
use super::svg::Svg;
use super::wr;
use crate::{Error, Real};
use core::fmt::{self, Write};

const POS: Rgb = Rgb(0x00, 0x72, 0xb2);
const NEG: Rgb = Rgb(0xd5, 0x5e, 0x00);

/// Writes the spectrum `values` (in the order given, e.g. `SymEigen::values`, ascending).
///
/// `Empty` for no values, `InvalidParameter` for a bad chart or a log10 y axis,
/// `NonFiniteInput` for a non-finite value; before writing. `WriteFailed` if the writer fails.
///
/// ```
/// use lossmap::plot::{spectrum, Chart, Scale};
/// let mut svg = String::new();
/// let chart = Chart { y_scale: Scale::SymLog(1.0), ..Chart::default() };
/// spectrum(&mut svg, &[-3.0f64, 0.5, 120.0], &chart).unwrap();
/// assert_eq!(svg.matches("class=\"eigenvalue negative\"").count(), 1);
/// ```
pub fn spectrum<T: Real, W: Write + ?Sized>(
    w: &mut W,
    values: &[T],
    chart: &Chart<'_>,
) -> Result<(), Error> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    chart.validate()?;
    if chart.y_scale == Scale::Log10 || chart.x_scale != Scale::Linear {
        return Err(Error::InvalidParameter);
    }
    if !values.iter().all(|v| v.is_finite()) {
        return Err(Error::NonFiniteInput);
    }
    wr(draw(w, values, chart))
}

fn draw<T: Real, W: Write + ?Sized>(w: &mut W, values: &[T], chart: &Chart<'_>) -> fmt::Result {
    let area = Area::of(chart, 0.0);
    let n = values.len() as f64;
    let (lo, hi) = values.iter().fold((0.0f64, 0.0f64), |(a, b), v| {
        let v = v.to_f64();
        (a.min(v), b.max(v))
    });
    let yr = chart.y_range.unwrap_or_else(|| pad(lo, hi, chart.y_scale));
    let xr = chart.x_range.unwrap_or((0.4, n + 0.6));
    let (Some(xa), Some(ya)) = (
        Axis::new(xr.0, xr.1, Scale::Linear, area.l, area.r),
        Axis::new(yr.0, yr.1, chart.y_scale, area.b, area.t),
    ) else {
        return Err(fmt::Error);
    };
    let mut svg = Svg { w };
    svg.open(f64::from(chart.width), f64::from(chart.height))?;
    frame::axes(&mut svg, chart, &area, None, Some(&ya), true)?;
    // Index ticks: every k-th eigenvalue, about ten labels.
    let every = (values.len() / 10).max(1);
    let mut k = every;
    while k <= values.len() {
        if let Some(x) = xa.map(k as f64) {
            svg.line((x, area.b), (x, area.b + 5.0), "#444444", 1.0)?;
            svg.number(
                (x, area.b + 17.0),
                super::svg::Anchor::Middle,
                frame::TICK_FONT,
                k as f64,
                6,
                "#222222",
            )?;
        }
        k = k.saturating_add(every);
    }
    frame::clip_open(&mut svg, &area, "plot-area")?;
    let zero = ya.map(0.0).unwrap_or(area.b);
    svg.line((area.l, zero), (area.r, zero), "#444444", 1.0)?;
    // Stems as wide as the spacing allows (2 ..= 10 px).
    let spacing = (area.r - area.l) / (xr.1 - xr.0);
    let width = (0.5 * spacing).clamp(2.0, 10.0);
    let scale = values
        .iter()
        .fold(0.0f64, |m, v| m.max(libm::fabs(v.to_f64())));
    for (k, v) in values.iter().enumerate() {
        let v = v.to_f64();
        let (Some(x), Some(y)) = (xa.map((k + 1) as f64), ya.map(v)) else {
            continue;
        };
        let tiny = libm::fabs(v) <= 1e-12 * scale;
        let (c, class) = if tiny {
            (Rgb(0x88, 0x88, 0x88), "eigenvalue zero")
        } else if v > 0.0 {
            (POS, "eigenvalue positive")
        } else {
            (NEG, "eigenvalue negative")
        };
        svg.w.write_str("<rect")?;
        svg.attr("class", class)?;
        svg.attr_px("x", x - 0.5 * width)?;
        svg.attr_px("y", y.min(zero))?;
        svg.attr_px("width", width)?;
        svg.attr_px("height", libm::fabs(y - zero).max(1.0))?;
        svg.attr("fill", c.hex().as_str())?;
        svg.w.write_str("/>\n")?;
        svg.circle(
            (x, y),
            0.5 * width + 1.0,
            c.hex().as_str(),
            "#ffffff",
            "tip",
        )?;
    }
    svg.w.write_str("</g>\n")?;
    let has = |p: fn(f64) -> bool| values.iter().any(|v| p(v.to_f64()));
    let entries = [
        (has(|v| v > 0.0), POS, "\u{3bb} > 0"),
        (has(|v| v < 0.0), NEG, "\u{3bb} < 0"),
    ];
    let hits = |r: frame::Rect| {
        values
            .iter()
            .enumerate()
            .filter(|(k, v)| {
                let (Some(x), Some(y)) = (xa.map((k + 1) as f64), ya.map(v.to_f64())) else {
                    return false;
                };
                let (top, bottom) = (y.min(zero) - width, y.max(zero));
                x + width >= r.0 && x - width <= r.2 && bottom >= r.1 && top <= r.3
            })
            .count()
    };
    frame::legend(
        &mut svg,
        &area,
        entries.iter().filter(|e| e.0).map(|e| Entry {
            glyph: Glyph::Bar,
            colour: e.1,
            label: e.2,
        }),
        &hits,
    )?;
    svg.close()
}
