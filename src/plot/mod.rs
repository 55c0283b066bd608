//! Pictures of landscapes: SVG charts and CSV tables written to any `core::fmt::Write`.
//!
//! Everything here streams text: no heap, no buffer of the picture, no panic, so the same calls
//! write into a `String` or a file on a host and over a UART or semihosting from a device.
//!
//! * [`heatmap`] / [`heatmap_fn`]: a 2-D slice (values from
//!   [`slice_2d`](crate::landscape::slice_2d) or a closure) as a viridis heat map with contour
//!   lines (marching squares), a colour bar, and [`Overlays`]: optimizer trajectories, a nudged
//!   elastic band with its climbing image, multi-start end points.
//! * [`curves`]: series against an index or x on linear/log axes (convergence curves of loss
//!   and ‖g‖, 1-D slices); [`neb_profile`]: a band's energy against the reaction coordinate.
//! * [`spectrum`]: Hessian eigenvalues as stems, by sign, linear or symmetric-log axis;
//!   [`correlation`]: a correlation matrix on a diverging map.
//! * CSV ([`csv_slice_1d`], [`csv_slice_2d`], [`TrajectoryCsv`], [`csv_report`],
//!   [`csv_optim_report`], the field writer [`Csv`]).
//!
//! Numbers are written by the module's own short formatter ([`Short`]): pixel coordinates to
//! 0.01 px, labels to 4 significant digits, CSV fields to a chosen count; no `{:e}`/`{:.N}`
//! float formatting is linked.
//!
//! Errors: every function validates its input and configuration before writing the first
//! byte (bad sizes, non-finite data where the docs say so, an invalid [`Chart`]) and returns
//! the crate's usual variants. [`Error::WriteFailed`] means the
//! writer refused a write; only then may part of a document have been written.
//!
//! There is no C ABI for this module: it is a text writer over `core::fmt::Write`, a Rust
//! trait C has no counterpart for.
//!
//! ```
//! use lossmap::plot::{curves, Chart, Marks, Scale, Series};
//! let loss = [10.0f64, 1.0, 0.1, 0.01];
//! let mut svg = String::new();
//! let chart = Chart { title: "convergence", y_scale: Scale::Log10, ..Chart::default() };
//! curves(&mut svg, &[Series { label: "GD", x: None, y: &loss, marks: Marks::Dots }], &chart).unwrap();
//! assert!(svg.contains(">0.01<") && svg.contains(">convergence<"));
//! ```

// There is no C entry point here, so nothing of it belongs in the C header: cbindgen reads
// `cbindgen:ignore` on each (private, undocumented) module.
/// cbindgen:ignore
mod axes;
/// cbindgen:ignore
mod colour;
/// cbindgen:ignore
mod contour;
/// cbindgen:ignore
mod correlation;
/// cbindgen:ignore
mod csv;
/// cbindgen:ignore
mod curves;
/// cbindgen:ignore
mod frame;
/// cbindgen:ignore
mod heatmap;
/// cbindgen:ignore
mod num;
/// cbindgen:ignore
mod spectrum;
/// cbindgen:ignore
mod svg;

pub use axes::Scale;
pub use colour::{diverging, series, viridis, Hex, Rgb, SERIES};
pub use correlation::{correlation, CorrelationConfig};
pub use csv::{
    csv_optim_report, csv_report, csv_slice_1d, csv_slice_2d, Csv, CsvConfig, TrajectoryCsv, Value,
};
pub use curves::{curves, neb_profile, Marks, Series};
pub use frame::Chart;
pub use heatmap::{
    heatmap, heatmap_fn, Band, ColourScale, Grid, GridSpec, HeatmapConfig, Levels, Overlays,
    Trajectory,
};
pub use num::{write_sig, Short};
pub use spectrum::spectrum;
pub use svg::escape;

use crate::Error;

/// A writer's failure as the crate's error.
fn wr(r: core::fmt::Result) -> Result<(), Error> {
    r.map_err(|_| Error::WriteFailed)
}
