//! Contour lines by marching squares (Lorensen & Cline's marching cubes in two dimensions):
//! each grid cell whose corners straddle the level gets one segment (two at a saddle cell,
//! split by the cell's mean value), with end points linearly interpolated on the cell's edges.
//! Segments are streamed as `M a L b` pairs; the end points on an edge two cells share are
//! computed identically, so the segments of a closed level set join end to end. A corner whose
//! value equals the level counts as below it; where a level passes exactly through grid points
//! the curve touches each such point from the cells around it (up to four segments meet there).

/// One cell: corner values `a = f(i, j)`, `b = f(i+1, j)`, `c = f(i+1, j+1)`, `d = f(i, j+1)`
/// and the grid position of corner `a`. Calls `seg` with each segment in grid coordinates
/// (fractional `(i, j)`). Cells with a non-finite corner have no segment.
pub(crate) fn cell<F: FnMut((f64, f64), (f64, f64))>(
    level: f64,
    (a, b, c, d): (f64, f64, f64, f64),
    (i, j): (f64, f64),
    seg: &mut F,
) {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && d.is_finite()) {
        return;
    }
    let above = |v: f64| v > level;
    let idx = usize::from(above(a))
        | usize::from(above(b)) << 1
        | usize::from(above(c)) << 2
        | usize::from(above(d)) << 3;
    if idx == 0 || idx == 15 {
        return;
    }
    // Crossing on an edge from value `p` (at `from`) to `q` (at `to`), always interpolated
    // from the corner with the smaller grid index so that neighbours agree bit for bit.
    let cut = |p: f64, q: f64, from: (f64, f64), to: (f64, f64)| {
        let den = q - p;
        let t = if den != 0.0 {
            ((level - p) / den).clamp(0.0, 1.0)
        } else {
            0.5
        };
        (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1))
    };
    let pa = (i, j);
    let pb = (i + 1.0, j);
    let pc = (i + 1.0, j + 1.0);
    let pd = (i, j + 1.0);
    let e0 = || cut(a, b, pa, pb); // a–b (j fixed)
    let e1 = || cut(b, c, pb, pc); // b–c (i + 1 fixed)
    let e2 = || cut(d, c, pd, pc); // d–c (j + 1 fixed)
    let e3 = || cut(a, d, pa, pd); // a–d (i fixed)
    let centre_above = above(0.25 * (a + b + c + d));
    match idx {
        1 | 14 => seg(e3(), e0()),
        2 | 13 => seg(e0(), e1()),
        3 | 12 => seg(e3(), e1()),
        4 | 11 => seg(e1(), e2()),
        6 | 9 => seg(e0(), e2()),
        7 | 8 => seg(e3(), e2()),
        5 => {
            if centre_above {
                seg(e0(), e1());
                seg(e2(), e3());
            } else {
                seg(e3(), e0());
                seg(e1(), e2());
            }
        }
        _ => {
            // 10: b and d above.
            if centre_above {
                seg(e3(), e0());
                seg(e1(), e2());
            } else {
                seg(e0(), e1());
                seg(e2(), e3());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn one_corner_above_cuts_two_edges() {
        let mut segs = [((0.0, 0.0), (0.0, 0.0)); 2];
        let mut n = 0;
        cell(0.5, (1.0, 0.0, 0.0, 0.0), (0.0, 0.0), &mut |p, q| {
            if let Some(s) = segs.get_mut(n) {
                *s = (p, q);
            }
            n += 1;
        });
        assert_eq!(n, 1);
        assert_eq!(segs[0], ((0.0, 0.5), (0.5, 0.0)));
    }
}
