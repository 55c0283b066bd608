//! The chart frame every plot shares: the configuration ([`Chart`]), the plot area, axes with
//! ticks and labels, the title, and the legend box.

use super::axes::{Axis, Scale};
use super::colour::Rgb;
use super::svg::{Anchor, Svg};
use crate::Error;
use core::fmt::{self, Write};

/// Size, title, axis labels and scales of a chart.
///
/// `Default`: 640 × 480 px, no title or labels, linear axes, ranges from the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chart<'a> {
    /// Width in px (100 ..= 10 000).
    pub width: u32,
    /// Height in px (100 ..= 10 000).
    pub height: u32,
    /// Title above the plot area (empty: none).
    pub title: &'a str,
    /// Label under the x axis.
    pub x_label: &'a str,
    /// Label left of the y axis (rotated).
    pub y_label: &'a str,
    /// Scale of the x axis (plots that fix it, such as heat maps, ignore it).
    pub x_scale: Scale,
    /// Scale of the y axis.
    pub y_scale: Scale,
    /// Fixed x range instead of the data's (padded) range.
    pub x_range: Option<(f64, f64)>,
    /// Fixed y range instead of the data's (padded) range.
    pub y_range: Option<(f64, f64)>,
}

impl Default for Chart<'_> {
    fn default() -> Self {
        Chart {
            width: 640,
            height: 480,
            title: "",
            x_label: "",
            y_label: "",
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            x_range: None,
            y_range: None,
        }
    }
}

fn range_ok(r: Option<(f64, f64)>, s: Scale) -> bool {
    match r {
        None => true,
        Some((a, b)) => a.is_finite() && b.is_finite() && a < b && (s != Scale::Log10 || a > 0.0),
    }
}

impl Chart<'_> {
    /// `InvalidParameter` for a size outside 100 ..= 10 000 px, a symmetric-log threshold
    /// that is not finite and positive, or a fixed range that is not finite and increasing
    /// (positive on a log axis).
    pub fn validate(&self) -> Result<(), Error> {
        let size = 100..=10_000;
        if size.contains(&self.width)
            && size.contains(&self.height)
            && self.x_scale.valid()
            && self.y_scale.valid()
            && range_ok(self.x_range, self.x_scale)
            && range_ok(self.y_range, self.y_scale)
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Font sizes (px).
pub(crate) const TICK_FONT: f64 = 11.0;
pub(crate) const LABEL_FONT: f64 = 13.0;
pub(crate) const TITLE_FONT: f64 = 15.0;
/// Approximate advance of one character at `size` px (Helvetica's average is ≈ 0.55 em).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.58
}

/// The plot area in px: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub l: f64,
    pub t: f64,
    pub r: f64,
    pub b: f64,
}

impl Area {
    /// The plot area of `chart` with `extra_right` px reserved right of it (a colour bar).
    pub fn of(chart: &Chart<'_>, extra_right: f64) -> Self {
        let (w, h) = (f64::from(chart.width), f64::from(chart.height));
        let top = if chart.title.is_empty() { 16.0 } else { 38.0 };
        let left = if chart.y_label.is_empty() { 56.0 } else { 74.0 };
        let bottom = if chart.x_label.is_empty() { 34.0 } else { 52.0 };
        Area {
            l: left,
            t: top,
            r: (w - 18.0 - extra_right).max(left + 10.0),
            b: (h - bottom).max(top + 10.0),
        }
    }
}

/// Which way an axis runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Bottom,
    Left,
}

/// The axes' frame, ticks with labels (4 significant digits) and light grid lines, axis
/// labels and title.
pub(crate) fn axes<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    chart: &Chart<'_>,
    area: &Area,
    xa: Option<&Axis>,
    ya: Option<&Axis>,
    grid: bool,
) -> fmt::Result {
    if let Some(xa) = xa {
        ticks(svg, area, xa, Side::Bottom, grid)?;
    }
    if let Some(ya) = ya {
        ticks(svg, area, ya, Side::Left, grid)?;
    }
    svg.w.write_str("<rect")?;
    svg.attr_px("x", area.l)?;
    svg.attr_px("y", area.t)?;
    svg.attr_px("width", area.r - area.l)?;
    svg.attr_px("height", area.b - area.t)?;
    svg.w
        .write_str(" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>\n")?;
    let h = f64::from(chart.height);
    if !chart.title.is_empty() {
        svg.text(
            (0.5 * (area.l + area.r), 24.0),
            Anchor::Middle,
            TITLE_FONT,
            None,
            chart.title,
        )?;
    }
    if !chart.x_label.is_empty() {
        svg.text(
            (0.5 * (area.l + area.r), h - 12.0),
            Anchor::Middle,
            LABEL_FONT,
            None,
            chart.x_label,
        )?;
    }
    if !chart.y_label.is_empty() {
        svg.text(
            (16.0, 0.5 * (area.t + area.b)),
            Anchor::Middle,
            LABEL_FONT,
            Some(-90.0),
            chart.y_label,
        )?;
    }
    Ok(())
}

/// Ticks of one axis.
pub(crate) fn ticks<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    area: &Area,
    axis: &Axis,
    side: Side,
    grid: bool,
) -> fmt::Result {
    let target = match side {
        Side::Bottom => ((area.r - area.l) / 90.0) as usize,
        Side::Left => ((area.b - area.t) / 60.0) as usize,
    };
    let ticks = axis.ticks(target.clamp(3, 8));
    for v in ticks.iter() {
        let Some(p) = axis.map(v) else { continue };
        match side {
            Side::Bottom => {
                if p < area.l - 0.5 || p > area.r + 0.5 {
                    continue;
                }
                if grid {
                    svg.line((p, area.t), (p, area.b), "#e6e6e6", 1.0)?;
                }
                svg.line((p, area.b), (p, area.b + 5.0), "#444444", 1.0)?;
                svg.number(
                    (p, area.b + 17.0),
                    Anchor::Middle,
                    TICK_FONT,
                    v,
                    4,
                    "#222222",
                )?;
            }
            Side::Left => {
                if p < area.t - 0.5 || p > area.b + 0.5 {
                    continue;
                }
                if grid {
                    svg.line((area.l, p), (area.r, p), "#e6e6e6", 1.0)?;
                }
                svg.line((area.l - 5.0, p), (area.l, p), "#444444", 1.0)?;
                svg.number(
                    (area.l - 8.0, p + 4.0),
                    Anchor::End,
                    TICK_FONT,
                    v,
                    4,
                    "#222222",
                )?;
            }
        }
    }
    Ok(())
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Glyph {
    Line,
    Dot,
    Cross,
    Star,
    Bar,
}

/// One legend entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub glyph: Glyph,
    pub colour: Rgb,
    pub label: &'a str,
}

/// A rectangle in px: left, top, right, bottom.
pub(crate) type Rect = (f64, f64, f64, f64);

/// A legend box where it covers the fewest data (`hits(rect)` counts what a box would hide):
/// a corner of `area` or the middle of its top or bottom edge; ties go to top-right, top-left,
/// bottom-right, bottom-left, top-middle, bottom-middle in that order.
/// `entries` is iterated twice: once to size the box, once to draw.
pub(crate) fn legend<'a, W: Write + ?Sized, I: Iterator<Item = Entry<'a>> + Clone>(
    svg: &mut Svg<'_, W>,
    area: &Area,
    entries: I,
    hits: &dyn Fn(Rect) -> usize,
) -> fmt::Result {
    let (mut n, mut widest) = (0usize, 0.0f64);
    for e in entries.clone() {
        n += 1;
        widest = widest.max(text_width(e.label, TICK_FONT));
    }
    if n == 0 {
        return Ok(());
    }
    let line_h = 16.0;
    let (bw, bh) = (widest + 40.0, n as f64 * line_h + 8.0);
    let mid = 0.5 * (area.l + area.r - bw);
    let corners = [
        (area.r - bw - 8.0, area.t + 8.0),
        (area.l + 8.0, area.t + 8.0),
        (area.r - bw - 8.0, area.b - bh - 8.0),
        (area.l + 8.0, area.b - bh - 8.0),
        (mid, area.t + 8.0),
        (mid, area.b - bh - 8.0),
    ];
    let mut best = (usize::MAX, corners[0]);
    for c in corners {
        let h = hits((c.0, c.1, c.0 + bw, c.1 + bh));
        if h < best.0 {
            best = (h, c);
        }
    }
    let (x0, y0) = best.1;
    svg.w.write_str("<g class=\"legend\">\n<rect")?;
    svg.attr_px("x", x0)?;
    svg.attr_px("y", y0)?;
    svg.attr_px("width", bw)?;
    svg.attr_px("height", bh)?;
    svg.w.write_str(
        " fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#999999\" stroke-width=\"0.8\"/>\n",
    )?;
    for (k, e) in entries.enumerate() {
        let cy = y0 + 4.0 + line_h * (k as f64 + 0.5);
        let cx = x0 + 16.0;
        let hex = e.colour.hex();
        let c = hex.as_str();
        match e.glyph {
            Glyph::Line => svg.line((cx - 10.0, cy), (cx + 10.0, cy), c, 2.2)?,
            Glyph::Bar => svg.rect(cx - 6.0, cy - 5.0, 12.0, 10.0, c, None)?,
            Glyph::Dot => svg.circle((cx, cy), 4.0, c, "#222222", "legend-dot")?,
            Glyph::Cross => cross(svg, (cx, cy), 5.0, c)?,
            Glyph::Star => star(svg, (cx, cy), 7.0, c, "legend-star")?,
        }
        svg.text(
            (x0 + 32.0, cy + 4.0),
            Anchor::Start,
            TICK_FONT,
            None,
            e.label,
        )?;
    }
    svg.w.write_str("</g>\n")
}

/// Whether `p` lies in `r` (grown by `m` px).
pub(crate) fn inside(r: Rect, p: (f64, f64), m: f64) -> bool {
    p.0 >= r.0 - m && p.0 <= r.2 + m && p.1 >= r.1 - m && p.1 <= r.3 + m
}

/// An × marker with a white halo.
pub(crate) fn cross<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    c: (f64, f64),
    r: f64,
    colour: &str,
) -> fmt::Result {
    for (stroke, width) in [("#ffffff", 4.0), (colour, 2.0)] {
        svg.w.write_str("<path class=\"marker\" d=\"")?;
        svg.move_line('M', (c.0 - r, c.1 - r))?;
        svg.move_line('L', (c.0 + r, c.1 + r))?;
        svg.move_line('M', (c.0 - r, c.1 + r))?;
        svg.move_line('L', (c.0 + r, c.1 - r))?;
        svg.w.write_char('"')?;
        svg.attr("stroke", stroke)?;
        svg.attr_px("stroke-width", width)?;
        svg.w.write_str(" fill=\"none\"/>\n")?;
    }
    Ok(())
}

/// A five-pointed star of outer radius `r`, outlined in white.
pub(crate) fn star<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    c: (f64, f64),
    r: f64,
    colour: &str,
    class: &str,
) -> fmt::Result {
    svg.w.write_str("<path")?;
    svg.attr("class", class)?;
    svg.w.write_str(" d=\"")?;
    for k in 0..10 {
        let a = core::f64::consts::PI * (f64::from(k) / 5.0 - 0.5);
        let rr = if k % 2 == 0 { r } else { 0.42 * r };
        let p = (c.0 + rr * libm::cos(a), c.1 + rr * libm::sin(a));
        svg.move_line(if k == 0 { 'M' } else { 'L' }, p)?;
    }
    svg.w.write_str("Z\"")?;
    svg.attr("fill", colour)?;
    svg.w
        .write_str(" stroke=\"#ffffff\" stroke-width=\"1\"/>\n")
}

/// Opens a group clipped to the plot area (`id` unique within the document).
pub(crate) fn clip_open<W: Write + ?Sized>(
    svg: &mut Svg<'_, W>,
    area: &Area,
    id: &str,
) -> fmt::Result {
    svg.w.write_str("<clipPath")?;
    svg.attr("id", id)?;
    svg.w.write_str("><rect")?;
    svg.attr_px("x", area.l)?;
    svg.attr_px("y", area.t)?;
    svg.attr_px("width", area.r - area.l)?;
    svg.attr_px("height", area.b - area.t)?;
    svg.w.write_str("/></clipPath>\n<g clip-path=\"url(#")?;
    svg.w.write_str(id)?;
    svg.w.write_str(")\">\n")
}
