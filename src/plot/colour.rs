//! Colours: viridis (sequential, perceptually uniform), a blue–white–red diverging map, and the
//! Okabe–Ito palette for series.
//!
//! * Viridis (van der Walt & Smith, matplotlib 2.0's default): the 25 anchors of
//!   `viridisLite::viridis(25)` (R), interpolated linearly in sRGB between them.
//! * Diverging: ColorBrewer's 7-class RdBu (Brewer, colorbrewer2.org), blue at −1, near-white
//!   at 0, red at +1; safe for the common colour-vision deficiencies.
//! * Series: Okabe & Ito, *Color Universal Design* (2008), ordered for white paper (blue,
//!   vermillion, bluish green, reddish purple, orange, sky blue, black, yellow last).

use core::fmt::{self, Write};

/// An sRGB colour, written as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Relative luminance in 0..=1 (Rec. 709 weights on the sRGB values, a fast
    /// approximation used to pick black or white text on a cell).
    pub fn luma(self) -> f64 {
        (0.2126 * f64::from(self.0) + 0.7152 * f64::from(self.1) + 0.0722 * f64::from(self.2))
            / 255.0
    }

    /// `#rrggbb` in a fixed buffer (no allocation); `as_str` of the result.
    pub fn hex(self) -> Hex {
        const D: &[u8; 16] = b"0123456789abcdef";
        let mut b = [b'#'; 7];
        for (i, v) in [self.0, self.1, self.2].into_iter().enumerate() {
            if let (Some(hi), Some(lo)) = (D.get(usize::from(v >> 4)), D.get(usize::from(v & 15))) {
                if let Some(s) = b.get_mut(1 + 2 * i) {
                    *s = *hi;
                }
                if let Some(s) = b.get_mut(2 + 2 * i) {
                    *s = *lo;
                }
            }
        }
        Hex(b)
    }
}

/// `#rrggbb` text of an [`Rgb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hex([u8; 7]);

impl Hex {
    /// The seven ASCII bytes as a string.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or("#000000")
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.hex().as_str())
    }
}

const VIRIDIS: [Rgb; 25] = [
    Rgb(0x44, 0x01, 0x54),
    Rgb(0x47, 0x11, 0x64),
    Rgb(0x48, 0x1f, 0x70),
    Rgb(0x47, 0x2d, 0x7b),
    Rgb(0x44, 0x3a, 0x83),
    Rgb(0x40, 0x46, 0x88),
    Rgb(0x3b, 0x52, 0x8b),
    Rgb(0x36, 0x5d, 0x8d),
    Rgb(0x31, 0x68, 0x8e),
    Rgb(0x2c, 0x72, 0x8e),
    Rgb(0x28, 0x7c, 0x8e),
    Rgb(0x24, 0x86, 0x8e),
    Rgb(0x21, 0x90, 0x8c),
    Rgb(0x1f, 0x9a, 0x8a),
    Rgb(0x20, 0xa4, 0x86),
    Rgb(0x27, 0xad, 0x81),
    Rgb(0x35, 0xb7, 0x79),
    Rgb(0x47, 0xc1, 0x6e),
    Rgb(0x5d, 0xc8, 0x63),
    Rgb(0x75, 0xd0, 0x54),
    Rgb(0x8f, 0xd7, 0x44),
    Rgb(0xaa, 0xdc, 0x32),
    Rgb(0xc7, 0xe0, 0x20),
    Rgb(0xe3, 0xe4, 0x18),
    Rgb(0xfd, 0xe7, 0x25),
];

const RDBU: [Rgb; 7] = [
    Rgb(0x21, 0x66, 0xac),
    Rgb(0x67, 0xa9, 0xcf),
    Rgb(0xd1, 0xe5, 0xf0),
    Rgb(0xf7, 0xf7, 0xf7),
    Rgb(0xfd, 0xdb, 0xc7),
    Rgb(0xef, 0x8a, 0x62),
    Rgb(0xb2, 0x18, 0x2b),
];

/// The Okabe–Ito series colours in the order series take them.
pub const SERIES: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2),
    Rgb(0xd5, 0x5e, 0x00),
    Rgb(0x00, 0x9e, 0x73),
    Rgb(0xcc, 0x79, 0xa7),
    Rgb(0xe6, 0x9f, 0x00),
    Rgb(0x56, 0xb4, 0xe9),
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xf0, 0xe4, 0x42),
];

/// Series colour `k` (cycling through [`SERIES`]).
pub fn series(k: usize) -> Rgb {
    SERIES
        .get(k % SERIES.len())
        .copied()
        .unwrap_or(Rgb(0, 0, 0))
}

fn lerp(table: &[Rgb], t: f64) -> Rgb {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let last = table.len().saturating_sub(1);
    let pos = t * last as f64;
    let i = (libm::floor(pos) as usize).min(last.saturating_sub(1));
    let f = pos - i as f64;
    let (Some(a), Some(b)) = (table.get(i), table.get(i + 1)) else {
        return table.first().copied().unwrap_or(Rgb(0, 0, 0));
    };
    let mix = |x: u8, y: u8| libm::round(f64::from(x) + (f64::from(y) - f64::from(x)) * f) as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Viridis at `t` ∈ [0, 1] (clamped; NaN → 0): dark purple at 0, yellow at 1.
///
/// ```
/// use lossmap::plot::{viridis, Rgb};
/// assert_eq!(viridis(0.0), Rgb(0x44, 0x01, 0x54));
/// assert_eq!(viridis(1.0), Rgb(0xfd, 0xe7, 0x25));
/// ```
pub fn viridis(t: f64) -> Rgb {
    lerp(&VIRIDIS, t)
}

/// The diverging map at `v` ∈ [−1, 1] (clamped): blue at −1, near-white at 0, red at +1.
pub fn diverging(v: f64) -> Rgb {
    lerp(&RDBU, 0.5 * (v + 1.0))
}

/// Writes a colour as `#rrggbb`.
pub(crate) fn write_rgb<W: Write + ?Sized>(w: &mut W, c: Rgb) -> fmt::Result {
    w.write_str(c.hex().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_hit_their_anchors() {
        assert_eq!(viridis(0.5), Rgb(0x21, 0x90, 0x8c));
        assert_eq!(viridis(0.25), Rgb(0x3b, 0x52, 0x8b));
        assert_eq!(diverging(0.0), Rgb(0xf7, 0xf7, 0xf7));
        assert_eq!(diverging(-1.0), Rgb(0x21, 0x66, 0xac));
        assert_eq!(diverging(2.0), Rgb(0xb2, 0x18, 0x2b));
        assert_eq!(Rgb(0, 0x72, 0xb2).hex().as_str(), "#0072b2");
        // Viridis gets lighter monotonically.
        let mut last = -1.0;
        for k in 0..=64 {
            let l = viridis(f64::from(k) / 64.0).luma();
            assert!(l > last, "{k}");
            last = l;
        }
    }
}
