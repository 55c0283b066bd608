//! Axes: linear, base-10 logarithmic and symmetric-log scales, the map from data to pixels,
//! and tick positions.
//!
//! Linear ticks are Heckbert's "nice numbers" (*Nice numbers for graph labels*, Graphics Gems,
//! 1990): the step is the 1, 2 or 5 × 10ᵏ nearest to the range over the target count minus one
//! (the target follows the axis length: one tick per 90 px across, 60 px up). Log ticks are the powers of ten
//! in range (every k-th decade when there are more than eight). Symmetric-log ticks are 0 and
//! ±c·10ᵏ for the scale's linear threshold c.

/// How an axis maps values to positions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// Evenly spaced values.
    Linear,
    /// `log10(v)`; values ≤ 0 have no position (curves break there, markers are skipped).
    Log10,
    /// Symmetric log with linear threshold `c > 0` (matplotlib's `symlog`): `v / c` for
    /// `|v| ≤ c`, `sign(v)·(1 + log10(|v| / c))` beyond, so signs survive and decades of
    /// magnitude stay readable.
    SymLog(f64),
}

impl Scale {
    /// The transformed coordinate of `v`, `None` where the scale has none (log of v ≤ 0).
    pub fn forward(self, v: f64) -> Option<f64> {
        if !v.is_finite() {
            return None;
        }
        match self {
            Scale::Linear => Some(v),
            Scale::Log10 => (v > 0.0).then(|| libm::log10(v)),
            Scale::SymLog(c) => {
                let a = libm::fabs(v);
                let t = if a <= c {
                    a / c
                } else {
                    1.0 + libm::log10(a / c)
                };
                Some(if v < 0.0 { -t } else { t })
            }
        }
    }

    /// The value whose transformed coordinate is `t` (the inverse of [`forward`](Self::forward)).
    pub(crate) fn inverse(self, t: f64) -> f64 {
        match self {
            Scale::Linear => t,
            Scale::Log10 => libm::pow(10.0, t),
            Scale::SymLog(c) => {
                let a = libm::fabs(t);
                let v = if a <= 1.0 {
                    a * c
                } else {
                    c * libm::pow(10.0, a - 1.0)
                };
                if t < 0.0 {
                    -v
                } else {
                    v
                }
            }
        }
    }

    /// Whether the scale's own parameter is valid (SymLog's threshold finite and > 0).
    pub(crate) fn valid(self) -> bool {
        match self {
            Scale::SymLog(c) => c.is_finite() && c > 0.0,
            _ => true,
        }
    }
}

/// At most this many ticks per axis.
pub(crate) const MAX_TICKS: usize = 24;

/// Tick values of an axis, in a fixed array.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticks {
    pub vals: [f64; MAX_TICKS],
    pub len: usize,
}

impl Ticks {
    fn new() -> Self {
        Ticks {
            vals: [0.0; MAX_TICKS],
            len: 0,
        }
    }
    fn push(&mut self, v: f64) {
        if let Some(s) = self.vals.get_mut(self.len) {
            *s = v;
            self.len += 1;
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        self.vals.iter().take(self.len).copied()
    }
}

/// Heckbert's nice number nearest `x > 0`: 1, 2, 5 or 10 × 10ᵏ.
fn nice(x: f64) -> f64 {
    let e = libm::floor(libm::log10(x));
    let p = libm::pow(10.0, e);
    let f = x / p;
    let n = if f < 1.5 {
        1.0
    } else if f < 3.0 {
        2.0
    } else if f < 7.0 {
        5.0
    } else {
        10.0
    };
    n * p
}

/// Nice linear ticks inside `[lo, hi]`, about `target` of them.
pub(crate) fn linear_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let mut t = Ticks::new();
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        t.push(lo);
        return t;
    }
    let step = nice(span / (target.max(2) - 1) as f64);
    let first = libm::ceil(lo / step - 1e-9);
    let mut k = 0.0;
    while t.len < MAX_TICKS {
        let v = (first + k) * step;
        if v > hi + step * 1e-9 {
            break;
        }
        // Snap tiny rounding residue to zero so the label reads `0`.
        t.push(if libm::fabs(v) < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    t
}

/// Powers of ten inside `[lo, hi]` (`lo > 0`), every k-th decade when there are more than 8.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Ticks {
    let mut t = Ticks::new();
    let (a, b) = (
        libm::ceil(libm::log10(lo) - 1e-9),
        libm::floor(libm::log10(hi) + 1e-9),
    );
    if !(a.is_finite() && b.is_finite()) || b < a {
        return t;
    }
    let decades = b - a + 1.0;
    let every = libm::ceil(decades / 8.0).max(1.0);
    let mut e = a;
    while e <= b && t.len < MAX_TICKS {
        t.push(libm::pow(10.0, e));
        e += every;
    }
    t
}

/// 0 and ±c·10ᵏ inside `[lo, hi]` for a symmetric log with threshold `c`.
pub(crate) fn symlog_ticks(lo: f64, hi: f64, c: f64) -> Ticks {
    let mut t = Ticks::new();
    let top = libm::fabs(lo).max(libm::fabs(hi));
    let decades = if top > c {
        libm::ceil(libm::log10(top / c) + 1e-9)
    } else {
        0.0
    };
    let every = libm::ceil(decades / 4.0).max(1.0);
    // Negative side, from the largest magnitude down, then 0, then positive.
    let mut k = libm::floor(decades / every) * every;
    while k >= 0.0 {
        let v = -c * libm::pow(10.0, k);
        if v >= lo * (1.0 + 1e-9) - 1e-300 && v <= hi {
            t.push(v);
        }
        k -= every;
    }
    if lo <= 0.0 && hi >= 0.0 {
        t.push(0.0);
    }
    let mut k = 0.0;
    while k <= decades && t.len < MAX_TICKS {
        let v = c * libm::pow(10.0, k);
        if v <= hi * (1.0 + 1e-9) + 1e-300 && v >= lo {
            t.push(v);
        }
        k += every;
    }
    t
}

/// One axis: a data range `[lo, hi]` under a scale, mapped onto pixels `p0 → p1`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub scale: Scale,
    tlo: f64,
    thi: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Axis {
    /// `None` when the range has no transformed extent (e.g. a log axis of values ≤ 0).
    pub fn new(lo: f64, hi: f64, scale: Scale, p0: f64, p1: f64) -> Option<Self> {
        let (mut tlo, mut thi) = (scale.forward(lo)?, scale.forward(hi)?);
        if thi - tlo <= 0.0 || !(thi - tlo).is_finite() {
            // A flat range: widen by one unit of the transformed coordinate around it.
            tlo -= 0.5;
            thi += 0.5;
        }
        Some(Axis {
            lo,
            hi,
            scale,
            tlo,
            thi,
            p0,
            p1,
        })
    }

    /// The pixel of `v`, `None` where the scale has none.
    pub fn map(&self, v: f64) -> Option<f64> {
        let t = self.scale.forward(v)?;
        Some(self.p0 + (t - self.tlo) / (self.thi - self.tlo) * (self.p1 - self.p0))
    }

    /// Tick values for this axis, about `target` of them on a linear scale.
    pub fn ticks(&self, target: usize) -> Ticks {
        match self.scale {
            Scale::Linear => linear_ticks(self.lo, self.hi, target),
            Scale::Log10 => log_ticks(self.lo, self.hi),
            Scale::SymLog(c) => symlog_ticks(self.lo, self.hi, c),
        }
    }
}

/// `[lo, hi]` padded for display by 4 % of its transformed extent on each side (at least
/// 0.05 decades on a log axis); an empty range widened around its value.
pub(crate) fn pad(lo: f64, hi: f64, scale: Scale) -> (f64, f64) {
    let (Some(a), Some(b)) = (scale.forward(lo), scale.forward(hi)) else {
        return (lo, hi);
    };
    let d = (b - a) * 0.04;
    let d = if scale == Scale::Log10 {
        d.max(0.05)
    } else {
        d
    };
    if d > 0.0 {
        (scale.inverse(a - d), scale.inverse(b + d))
    } else {
        let w = if lo == 0.0 { 1.0 } else { libm::fabs(lo) * 0.1 };
        (lo - w, hi + w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_linear_ticks() {
        let t = linear_ticks(-2.0, 2.0, 5);
        let v: [f64; 5] = [-2.0, -1.0, 0.0, 1.0, 2.0];
        assert_eq!(t.len, 5);
        assert!(t.iter().zip(v).all(|(a, b)| (a - b).abs() < 1e-12));
        let t = linear_ticks(0.0, 0.37, 5);
        assert_eq!(t.vals.get(1).copied(), Some(0.1));
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        let t = log_ticks(3e-7, 2e2);
        let want = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 1e1, 1e2];
        // Nine decades: every second one.
        assert_eq!(t.len, 5);
        for (a, k) in t.iter().zip([0, 2, 4, 6, 8]) {
            assert!((a / want[k] - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn axis_maps_linearly() {
        let a = Axis::new(0.0, 10.0, Scale::Linear, 100.0, 300.0).unwrap();
        assert_eq!(a.map(2.5), Some(150.0));
        let l = Axis::new(1.0, 1e4, Scale::Log10, 0.0, 400.0).unwrap();
        assert!((l.map(100.0).unwrap() - 200.0).abs() < 1e-9);
        assert_eq!(l.map(0.0), None);
        let s = Scale::SymLog(1.0);
        assert_eq!(s.forward(-100.0), Some(-3.0));
        assert_eq!(s.forward(0.5), Some(0.5));
        for scale in [Scale::Linear, Scale::Log10, Scale::SymLog(0.01)] {
            for v in [0.003, 0.7, 42.0, 1e5] {
                let t = scale.forward(v).unwrap();
                assert!((scale.inverse(t) / v - 1.0).abs() < 1e-12, "{scale:?} {v}");
            }
        }
    }
}
