//! The low-level SVG writer: elements with quoted attributes, XML-escaped text, coordinates
//! through [`write_px`](super::num::write_px). Every method streams straight to the sink.

use super::num::{write_px, write_sig};
use core::fmt::{self, Write};

/// Writes `s` with `&`, `<`, `>`, `"` and `'` escaped (safe in text and in quoted attributes).
pub fn escape<W: Write + ?Sized>(w: &mut W, s: &str) -> fmt::Result {
    // Runs between special characters are written whole (`get` on char boundaries from
    // `char_indices`, never a panicking slice).
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            _ => continue,
        };
        w.write_str(s.get(start..i).unwrap_or(""))?;
        w.write_str(rep)?;
        start = i + 1;
    }
    w.write_str(s.get(start..).unwrap_or(""))
}

/// Text anchor of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written to `w`.
pub(crate) struct Svg<'w, W: Write + ?Sized> {
    pub w: &'w mut W,
}

impl<W: Write + ?Sized> Svg<'_, W> {
    /// A pixel coordinate.
    pub fn px(&mut self, v: f64) -> fmt::Result {
        write_px(self.w, v)
    }

    /// `name="v"` with a pixel value, preceded by a space.
    pub fn attr_px(&mut self, name: &str, v: f64) -> fmt::Result {
        self.w.write_char(' ')?;
        self.w.write_str(name)?;
        self.w.write_str("=\"")?;
        write_px(self.w, v)?;
        self.w.write_char('"')
    }

    /// `name="v"` with an escaped string value, preceded by a space.
    pub fn attr(&mut self, name: &str, v: &str) -> fmt::Result {
        self.w.write_char(' ')?;
        self.w.write_str(name)?;
        self.w.write_str("=\"")?;
        escape(self.w, v)?;
        self.w.write_char('"')
    }

    /// The XML declaration and the `<svg>` root of `width × height` px, a white background.
    pub fn open(&mut self, width: f64, height: f64) -> fmt::Result {
        self.w
            .write_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        self.w
            .write_str("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"")?;
        self.attr_px("width", width)?;
        self.attr_px("height", height)?;
        self.w.write_str(" viewBox=\"0 0 ")?;
        self.px(width)?;
        self.w.write_char(' ')?;
        self.px(height)?;
        self.w
            .write_str("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")?;
        self.rect(0.0, 0.0, width, height, "#ffffff", None)
    }

    /// Closes the root.
    pub fn close(&mut self) -> fmt::Result {
        self.w.write_str("</svg>\n")
    }

    /// A filled rectangle, optionally stroked.
    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        stroke: Option<&str>,
    ) -> fmt::Result {
        self.w.write_str("<rect")?;
        self.attr_px("x", x)?;
        self.attr_px("y", y)?;
        self.attr_px("width", w.max(0.0))?;
        self.attr_px("height", h.max(0.0))?;
        self.attr("fill", fill)?;
        if let Some(s) = stroke {
            self.attr("stroke", s)?;
        }
        self.w.write_str("/>\n")
    }

    /// A straight line.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), stroke: &str, width: f64) -> fmt::Result {
        self.w.write_str("<line")?;
        self.attr_px("x1", a.0)?;
        self.attr_px("y1", a.1)?;
        self.attr_px("x2", b.0)?;
        self.attr_px("y2", b.1)?;
        self.attr("stroke", stroke)?;
        self.attr_px("stroke-width", width)?;
        self.w.write_str("/>\n")
    }

    /// A circle.
    pub fn circle(
        &mut self,
        c: (f64, f64),
        r: f64,
        fill: &str,
        stroke: &str,
        class: &str,
    ) -> fmt::Result {
        self.w.write_str("<circle")?;
        self.attr("class", class)?;
        self.attr_px("cx", c.0)?;
        self.attr_px("cy", c.1)?;
        self.attr_px("r", r)?;
        self.attr("fill", fill)?;
        self.attr("stroke", stroke)?;
        self.w.write_str("/>\n")
    }

    /// A text label at `(x, y)` (baseline), `size` px, optionally rotated by `rotate` degrees
    /// about its anchor.
    pub fn text(
        &mut self,
        at: (f64, f64),
        anchor: Anchor,
        size: f64,
        rotate: Option<f64>,
        content: &str,
    ) -> fmt::Result {
        self.text_open(at, anchor, size, rotate, "#222222")?;
        escape(self.w, content)?;
        self.w.write_str("</text>\n")
    }

    /// A number label (`digits` significant digits).
    pub fn number(
        &mut self,
        at: (f64, f64),
        anchor: Anchor,
        size: f64,
        v: f64,
        digits: u8,
        fill: &str,
    ) -> fmt::Result {
        self.text_open(at, anchor, size, None, fill)?;
        write_sig(self.w, v, digits)?;
        self.w.write_str("</text>\n")
    }

    /// The opening `<text …>` tag; the caller writes escaped content and `</text>`.
    pub fn text_open(
        &mut self,
        at: (f64, f64),
        anchor: Anchor,
        size: f64,
        rotate: Option<f64>,
        fill: &str,
    ) -> fmt::Result {
        self.w.write_str("<text")?;
        self.attr_px("x", at.0)?;
        self.attr_px("y", at.1)?;
        self.attr("text-anchor", anchor.name())?;
        self.attr_px("font-size", size)?;
        self.attr("fill", fill)?;
        if let Some(r) = rotate {
            self.w.write_str(" transform=\"rotate(")?;
            self.px(r)?;
            self.w.write_char(' ')?;
            self.px(at.0)?;
            self.w.write_char(' ')?;
            self.px(at.1)?;
            self.w.write_str(")\"")?;
        }
        self.w.write_char('>')
    }

    /// `M x y` or `L x y` in a path's `d` attribute.
    pub fn move_line(&mut self, cmd: char, p: (f64, f64)) -> fmt::Result {
        self.w.write_char(cmd)?;
        self.px(p.0)?;
        self.w.write_char(' ')?;
        self.px(p.1)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::String;

    #[test]
    fn escapes_markup() {
        let mut s = String::new();
        escape(&mut s, "a<b & \"c\" 'd'>").unwrap();
        assert_eq!(s, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    }
}
