//! Short decimal numbers without allocation and without `core`'s float formatting: pixel
//! coordinates with at most two decimals, labels and CSV fields with a chosen number of
//! significant digits (`%g`-like: fixed notation for exponents −4 … max(digits, 5) − 1,
//! scientific `1.5e-7` beyond, trailing zeros dropped).

use core::fmt::{self, Write};

/// The most significant digits [`Short`] writes (a `u64` holds 10¹⁸ exactly).
pub const MAX_DIGITS: u8 = 17;

/// `10^k` for any `k` whose result is finite or zero (split so that subnormal inputs scale).
fn pow10(k: i32) -> f64 {
    libm::pow(10.0, f64::from(k))
}

/// `a · 10^k` without overflowing the intermediate power (`a` in f64's range).
fn scale(a: f64, k: i32) -> f64 {
    if k > 300 {
        a * pow10(300) * pow10(k - 300)
    } else if k < -300 {
        a * pow10(-300) * pow10(k + 300)
    } else {
        a * pow10(k)
    }
}

/// Writes the digits of `m` into `buf`, most significant first; returns the count.
fn digits_of(m: u64, buf: &mut [u8; 20]) -> usize {
    let mut n = 0;
    let mut p = m;
    while p > 0 || n == 0 {
        n += 1;
        p /= 10;
    }
    let mut rest = m;
    // Fill from position n − 1 down to 0.
    for k in (0..n.min(20)).rev() {
        if let Some(slot) = buf.get_mut(k) {
            *slot = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
    }
    n.min(20)
}

fn put_digits<W: Write + ?Sized>(w: &mut W, d: &[u8]) -> fmt::Result {
    for &c in d {
        w.write_char(char::from(c))?;
    }
    Ok(())
}

/// Writes `v` with `digits` significant digits (clamped to 1 ..= 17); NaN as
/// `NaN`, infinities as `inf` / `-inf` (the spellings Rust's and Python's float parsers read).
pub fn write_sig<W: Write + ?Sized>(w: &mut W, v: f64, digits: u8) -> fmt::Result {
    if v.is_nan() {
        return w.write_str("NaN");
    }
    if v.is_infinite() {
        return w.write_str(if v > 0.0 { "inf" } else { "-inf" });
    }
    if v == 0.0 {
        return w.write_char('0');
    }
    let s = i32::from(digits.clamp(1, MAX_DIGITS));
    let a = libm::fabs(v);
    let mut e = libm::floor(libm::log10(a)) as i32;
    // m = round(a / 10^(e − s + 1)): s digits, unless log10 was off by one or rounding carried.
    let lo = pow10(s - 1) as u64;
    let hi = pow10(s) as u64;
    let mut m = libm::round(scale(a, s - 1 - e)) as u64;
    if m < lo {
        e -= 1;
        m = libm::round(scale(a, s - 1 - e)) as u64;
    }
    if m >= hi {
        e += 1;
        m = libm::round(scale(a, s - 1 - e)) as u64;
        if m >= hi {
            m = lo;
        }
    }
    let mut buf = [0u8; 20];
    let n = digits_of(m, &mut buf);
    // Significant digits without trailing zeros.
    let mut used = n;
    while used > 1 && buf.get(used - 1) == Some(&b'0') {
        used -= 1;
    }
    let d = buf.get(..used).unwrap_or(&[]);
    if v < 0.0 {
        w.write_char('-')?;
    }
    if (-4..s.max(5)).contains(&e) {
        if e >= 0 {
            let int = (e + 1) as usize;
            put_digits(w, d.get(..int.min(used)).unwrap_or(&[]))?;
            for _ in used..int {
                w.write_char('0')?;
            }
            if used > int {
                w.write_char('.')?;
                put_digits(w, d.get(int..).unwrap_or(&[]))?;
            }
        } else {
            w.write_str("0.")?;
            for _ in 0..(-e - 1) {
                w.write_char('0')?;
            }
            put_digits(w, d)?;
        }
        Ok(())
    } else {
        put_digits(w, d.get(..1).unwrap_or(&[]))?;
        if used > 1 {
            w.write_char('.')?;
            put_digits(w, d.get(1..).unwrap_or(&[]))?;
        }
        write!(w, "e{e}")
    }
}

/// Writes a pixel coordinate rounded to 0.01 px, trailing zeros dropped (`12.5`, `-3`, `0.07`);
/// clamped to ±10⁹ px, NaN as `0` (callers pass finite, mapped coordinates).
pub fn write_px<W: Write + ?Sized>(w: &mut W, v: f64) -> fmt::Result {
    let v = if v.is_nan() { 0.0 } else { v.clamp(-1e9, 1e9) };
    let c = libm::round(v * 100.0) as i64;
    if c < 0 {
        w.write_char('-')?;
    }
    let c = c.unsigned_abs();
    let (int, frac) = (c / 100, c % 100);
    write!(w, "{int}")?;
    if frac != 0 {
        w.write_char('.')?;
        w.write_char(char::from(b'0' + (frac / 10) as u8))?;
        if frac % 10 != 0 {
            w.write_char(char::from(b'0' + (frac % 10) as u8))?;
        }
    }
    Ok(())
}

/// A number that displays with a fixed count of significant digits through [`write_sig`]
/// (`format_args!("{}", Short(v, 4))` in any `core::fmt` sink).
///
/// ```
/// use lossmap::plot::Short;
/// let mut s = String::new();
/// core::fmt::write(&mut s, format_args!("{} {} {}", Short(1234.5678, 4), Short(2.5e-7, 4), Short(-0.5, 4))).unwrap();
/// assert_eq!(s, "1235 2.5e-7 -0.5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Short(pub f64, pub u8);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_sig(f, self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::String;

    fn sig(v: f64, d: u8) -> String {
        let mut s = String::new();
        write_sig(&mut s, v, d).unwrap();
        s
    }

    fn px(v: f64) -> String {
        let mut s = String::new();
        write_px(&mut s, v).unwrap();
        s
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(0.0, 4), "0");
        assert_eq!(sig(1.0, 4), "1");
        assert_eq!(sig(10.0, 4), "10");
        assert_eq!(sig(100000.0, 4), "1e5");
        assert_eq!(sig(12345.0, 4), "12350");
        assert_eq!(sig(0.001, 4), "0.001");
        assert_eq!(sig(0.0001234, 4), "0.0001234");
        assert_eq!(sig(0.00001234, 4), "1.234e-5");
        assert_eq!(sig(-2.5, 4), "-2.5");
        assert_eq!(sig(9.9996, 4), "10");
        assert_eq!(sig(0.1 + 0.2, 4), "0.3");
        assert_eq!(sig(1e300, 4), "1e300");
        assert_eq!(sig(5e-324, 4), "4.941e-324");
        let max: f64 = sig(f64::MAX, 17).parse().unwrap();
        assert!(max.is_finite() && (max / f64::MAX - 1.0).abs() <= 4.0 * f64::EPSILON);
        assert_eq!(sig(f64::NAN, 4), "NaN");
        assert_eq!(sig(f64::NEG_INFINITY, 4), "-inf");
        assert_eq!(sig(123.456, 0), "100");
    }

    #[test]
    fn round_trips_at_enough_digits() {
        let mut x = 0.7f64;
        for _ in 0..2000 {
            x = (x * 3.9 * (1.0 - x)).abs();
            for v in [x, x * 1e-9, x * 1e12, -x * 37.0] {
                let back: f64 = sig(v, 17).parse().unwrap();
                assert!(
                    (back - v).abs() <= 4.0 * f64::EPSILON * v.abs(),
                    "{v} {back}"
                );
                let back32: f32 = sig(f64::from(v as f32), 9).parse().unwrap();
                assert_eq!(back32, v as f32);
            }
        }
    }

    #[test]
    fn pixels() {
        assert_eq!(px(12.5), "12.5");
        assert_eq!(px(-3.0), "-3");
        assert_eq!(px(0.07), "0.07");
        assert_eq!(px(0.004), "0");
        assert_eq!(px(-0.456), "-0.46");
        assert_eq!(px(f64::NAN), "0");
    }
}
