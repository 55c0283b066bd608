//! CSV export (RFC 4180: comma-separated, CRLF line ends, a header row, fields containing a
//! comma, quote, CR or LF quoted with inner quotes doubled) of slices, trajectories and
//! reports, to any `core::fmt::Write`.
//!
//! Numbers are written with [`CsvConfig::digits`] significant digits (default 9: every `f32`
//! reads back bit for bit, an `f64` to about 1e-9 relative; 17 digits give an `f64` back to within a few ulps:
//! the digits come from binary scaling, not an exact decimal conversion); NaN and
//! infinities as `NaN`, `inf`, `-inf`, which Rust's, Python's and numpy's parsers accept.

use super::num::write_sig;
use super::wr;
use crate::optim::Report;
use crate::{Error, Real};
use core::fmt::{self, Write};

/// CSV settings. `Default`: 9 significant digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvConfig {
    /// Significant digits of numbers (1 ..= 17).
    pub digits: u8,
}

impl Default for CsvConfig {
    fn default() -> Self {
        CsvConfig { digits: 9 }
    }
}

impl CsvConfig {
    fn validate(&self) -> Result<(), Error> {
        if (1..=super::num::MAX_DIGITS).contains(&self.digits) {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// A streaming CSV writer: fields, then [`end_row`](Csv::end_row).
///
/// ```
/// use lossmap::plot::{Csv, CsvConfig};
/// let mut s = String::new();
/// let mut csv = Csv::new(&mut s, CsvConfig::default()).unwrap();
/// csv.text("name, with comma").unwrap();
/// csv.number(0.25f64).unwrap();
/// csv.end_row().unwrap();
/// assert_eq!(s, "\"name, with comma\",0.25\r\n");
/// ```
pub struct Csv<'w, W: Write + ?Sized> {
    w: &'w mut W,
    digits: u8,
    first: bool,
}

impl<'w, W: Write + ?Sized> Csv<'w, W> {
    /// A writer over `w`; `InvalidParameter` for digits outside 1 ..= 17.
    pub fn new(w: &'w mut W, config: CsvConfig) -> Result<Self, Error> {
        config.validate()?;
        Ok(Csv {
            w,
            digits: config.digits,
            first: true,
        })
    }

    fn sep(&mut self) -> fmt::Result {
        if !self.first {
            self.w.write_char(',')?;
        }
        self.first = false;
        Ok(())
    }

    /// A text field, quoted when it holds `,`, `"`, CR or LF.
    pub fn text(&mut self, s: &str) -> Result<(), Error> {
        wr(self.text_raw(s))
    }

    fn text_raw(&mut self, s: &str) -> fmt::Result {
        self.sep()?;
        if s.contains([',', '"', '\r', '\n']) {
            self.w.write_char('"')?;
            // Inner quotes doubled; runs between them written whole (`get` on the boundaries
            // `char_indices` gives, never a panicking slice).
            let mut start = 0;
            for (i, c) in s.char_indices() {
                if c == '"' {
                    self.w.write_str(s.get(start..i).unwrap_or(""))?;
                    self.w.write_str("\"\"")?;
                    start = i + 1;
                }
            }
            self.w.write_str(s.get(start..).unwrap_or(""))?;
            self.w.write_char('"')
        } else {
            self.w.write_str(s)
        }
    }

    /// A number field.
    pub fn number<T: Real>(&mut self, v: T) -> Result<(), Error> {
        wr(self.number_raw(v.to_f64()))
    }

    fn number_raw(&mut self, v: f64) -> fmt::Result {
        self.sep()?;
        write_sig(self.w, v, self.digits)
    }

    /// An integer field.
    pub fn integer(&mut self, v: u64) -> Result<(), Error> {
        wr(self.sep().and_then(|_| write!(self.w, "{v}")))
    }

    /// Ends the row (CRLF).
    pub fn end_row(&mut self) -> Result<(), Error> {
        self.first = true;
        wr(self.w.write_str("\r\n"))
    }
}

/// A 1-D slice: header `t,f`, then one row per point, `t` evenly spaced over `t` (as
/// [`slice_1d`](crate::landscape::slice_1d) spaces it). `Empty` for no values,
/// `NonFiniteInput` for a non-finite range, before writing (values may be non-finite).
///
/// ```
/// let mut s = String::new();
/// lossmap::plot::csv_slice_1d(&mut s, (-1.0f64, 1.0), &[1.0, 0.0, 1.0], Default::default()).unwrap();
/// assert_eq!(s, "t,f\r\n-1,1\r\n0,0\r\n1,1\r\n");
/// ```
pub fn csv_slice_1d<T: Real, W: Write + ?Sized>(
    w: &mut W,
    t: (T, T),
    values: &[T],
    config: CsvConfig,
) -> Result<(), Error> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    if !(t.0.is_finite() && t.1.is_finite()) {
        return Err(Error::NonFiniteInput);
    }
    let mut csv = Csv::new(w, config)?;
    wr((|| {
        csv.text_raw("t")?;
        csv.text_raw("f")?;
        csv.end_raw()?;
        let n = values.len();
        for (k, v) in values.iter().enumerate() {
            csv.number_raw(even(t.0.to_f64(), t.1.to_f64(), k, n))?;
            csv.number_raw(v.to_f64())?;
            csv.end_raw()?;
        }
        Ok(())
    })())
}

impl<W: Write + ?Sized> Csv<'_, W> {
    fn end_raw(&mut self) -> fmt::Result {
        self.first = true;
        self.w.write_str("\r\n")
    }
}

fn even(a: f64, b: f64, k: usize, n: usize) -> f64 {
    if n <= 1 {
        a
    } else {
        a + (b - a) * k as f64 / (n - 1) as f64
    }
}

/// A 2-D slice in [`Grid`](super::Grid) layout: header `x,y,f`, one row per grid point
/// (`x` outer, `y` inner). `Empty` for `nx` or `ny` zero, `LengthMismatch` unless
/// `values.len() == nx·ny`, `NonFiniteInput` for a non-finite range; before writing.
pub fn csv_slice_2d<T: Real, W: Write + ?Sized>(
    w: &mut W,
    grid: &super::Grid<'_, T>,
    config: CsvConfig,
) -> Result<(), Error> {
    if grid.nx == 0 || grid.ny == 0 {
        return Err(Error::Empty);
    }
    if grid.nx.checked_mul(grid.ny) != Some(grid.values.len()) {
        return Err(Error::LengthMismatch);
    }
    if ![grid.x.0, grid.x.1, grid.y.0, grid.y.1]
        .iter()
        .all(|v| v.is_finite())
    {
        return Err(Error::NonFiniteInput);
    }
    let mut csv = Csv::new(w, config)?;
    let (x, y) = (
        (grid.x.0.to_f64(), grid.x.1.to_f64()),
        (grid.y.0.to_f64(), grid.y.1.to_f64()),
    );
    wr((|| {
        for h in ["x", "y", "f"] {
            csv.text_raw(h)?;
        }
        csv.end_raw()?;
        for (i, row) in grid.values.chunks(grid.ny).enumerate() {
            for (j, v) in row.iter().enumerate() {
                csv.number_raw(even(x.0, x.1, i, grid.nx))?;
                csv.number_raw(even(y.0, y.1, j, grid.ny))?;
                csv.number_raw(v.to_f64())?;
                csv.end_raw()?;
            }
        }
        Ok(())
    })())
}

/// A trajectory written row by row while a run goes (e.g. from a
/// [`minimize_with`](crate::optim::minimize_with) observer or a hand-written loop): header
/// `iter,evals,loss,grad_norm,x0,…,x{n−1}`.
///
/// ```
/// use lossmap::plot::{CsvConfig, TrajectoryCsv};
/// let mut s = String::new();
/// let mut t = TrajectoryCsv::new(&mut s, 2, CsvConfig::default()).unwrap();
/// t.row(0, 1, 24.2f64, 232.9, &[-1.2, 1.0]).unwrap();
/// assert_eq!(s, "iter,evals,loss,grad_norm,x0,x1\r\n0,1,24.2,232.9,-1.2,1\r\n");
/// ```
pub struct TrajectoryCsv<'w, W: Write + ?Sized> {
    csv: Csv<'w, W>,
    n: usize,
}

impl<'w, W: Write + ?Sized> TrajectoryCsv<'w, W> {
    /// Writes the header for `n` coordinates. `Empty` for `n = 0`, `InvalidParameter` for a
    /// bad config (before writing).
    pub fn new(w: &'w mut W, n: usize, config: CsvConfig) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::Empty);
        }
        let mut csv = Csv::new(w, config)?;
        wr((|| {
            for h in ["iter", "evals", "loss", "grad_norm"] {
                csv.text_raw(h)?;
            }
            for k in 0..n {
                csv.sep()?;
                write!(csv.w, "x{k}")?;
            }
            csv.end_raw()
        })())?;
        Ok(TrajectoryCsv { csv, n })
    }

    /// One row. `LengthMismatch` (nothing written) unless `x.len() == n`.
    pub fn row<T: Real>(
        &mut self,
        iter: usize,
        evals: usize,
        loss: T,
        grad_norm: T,
        x: &[T],
    ) -> Result<(), Error> {
        if x.len() != self.n {
            return Err(Error::LengthMismatch);
        }
        let csv = &mut self.csv;
        wr((|| {
            csv.sep()?;
            write!(csv.w, "{iter}")?;
            csv.sep()?;
            write!(csv.w, "{evals}")?;
            csv.number_raw(loss.to_f64())?;
            csv.number_raw(grad_norm.to_f64())?;
            for v in x {
                csv.number_raw(v.to_f64())?;
            }
            csv.end_raw()
        })())
    }
}

/// A value in a key/value report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A number.
    Number(f64),
    /// A count.
    Integer(u64),
    /// Text (quoted as needed).
    Text(&'a str),
    /// `true` / `false`.
    Bool(bool),
}

/// Key/value rows: header `key,value`, then one row per entry.
///
/// ```
/// use lossmap::plot::{csv_report, Value};
/// let mut s = String::new();
/// csv_report(&mut s, &[("method", Value::Text("adam")), ("loss", Value::Number(1.5e-9))], Default::default()).unwrap();
/// assert_eq!(s, "key,value\r\nmethod,adam\r\nloss,1.5e-9\r\n");
/// ```
pub fn csv_report<W: Write + ?Sized>(
    w: &mut W,
    rows: &[(&str, Value<'_>)],
    config: CsvConfig,
) -> Result<(), Error> {
    let mut csv = Csv::new(w, config)?;
    wr((|| {
        csv.text_raw("key")?;
        csv.text_raw("value")?;
        csv.end_raw()?;
        for (k, v) in rows {
            csv.text_raw(k)?;
            match *v {
                Value::Number(x) => csv.number_raw(x)?,
                Value::Integer(i) => {
                    csv.sep()?;
                    write!(csv.w, "{i}")?;
                }
                Value::Text(t) => csv.text_raw(t)?,
                Value::Bool(b) => csv.text_raw(if b { "true" } else { "false" })?,
            }
            csv.end_raw()?;
        }
        Ok(())
    })())
}

/// An optimizer's [`Report`] as key/value rows (`reason`, `iterations`, `value_evals`,
/// `grad_evals`, `loss`, `grad_norm`).
pub fn csv_optim_report<T: Real, W: Write + ?Sized>(
    w: &mut W,
    report: &Report<T>,
    config: CsvConfig,
) -> Result<(), Error> {
    let as_u64 = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
    csv_report(
        w,
        &[
            ("reason", Value::Text(report.reason.name())),
            ("iterations", Value::Integer(as_u64(report.iterations))),
            ("value_evals", Value::Integer(as_u64(report.value_evals))),
            ("grad_evals", Value::Integer(as_u64(report.grad_evals))),
            ("loss", Value::Number(report.loss.to_f64())),
            ("grad_norm", Value::Number(report.grad_norm.to_f64())),
        ],
        config,
    )
}
