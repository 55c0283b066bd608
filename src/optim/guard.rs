//! The read-only pass shared by the first-order kernels ([`adam_kernel`](super::adam_kernel)
//! and the family's SGD, RMSProp and AdaGrad): lane-parallel sums of each buffer whose results
//! bound every new value of a step, the limits the bounds are compared against, and the exact
//! per-element predicates of the slow path.
//!
//! A computed sum of non-negative terms is at least each term (rounding is monotone), so
//! `Σ|s|` bounds `max |s|`, and a bound built from such sums with the update's own operations
//! (`+`, `×`, `/` by a smaller denominator) bounds the computed new values. A sum is non-finite
//! when an element is (or when the sum itself overflows, which only sends the step to the exact
//! check), and every comparison with NaN is false, so a failed bound never lets bad input through.

use crate::real::{HARD_F32, HARD_F64};
use crate::Real;

/// Whether `T` is computed in software on this target: the read-only pass then reduces bit
/// patterns as integers ([`Real::max_magnitude`], [`Real::max_nonnegative`]) instead of
/// summing, a few instructions per element against dozens.
#[inline(always)]
pub(crate) fn soft<T: Real>() -> bool {
    if T::IS_F64 {
        !HARD_F64
    } else {
        !HARD_F32
    }
}

/// Independent partial sums of the read-only pass: enough for LLVM to vectorize the reduction
/// on hosts without reordering a floating-point sum; one lane on cores without SIMD.
const LANES: usize = if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
    8
} else {
    1
};

/// The bound on `|g + λθ|` that keeps `(g + λθ)²` finite: `√MAX/2`, i.e. 2⁶³ ≈ 9.2e18 in
/// `f32` and 2⁵¹¹ ≈ 6.7e153 in `f64` (powers of two, so the constant is exact and folded).
#[inline(always)]
pub(crate) fn square_limit<T: Real>() -> T {
    T::from_f64(if T::IS_F64 {
        6.703_903_964_971_299e153
    } else {
        9.223_372_036_854_776e18
    })
}

/// `MAX/2`: what every bound of a new value must stay below. The margin covers the rounding of
/// the bounds themselves.
#[inline(always)]
pub(crate) fn half_max<T: Real>() -> T {
    T::MAX_R * T::HALF
}

/// `Σ|s|` with `LANES` independent partial sums (vectorizes without reassociating the loop),
/// the lanes then added pairwise (any order of adding non-negative terms gives a sum at least
/// each term, rounding being monotone, and non-finite when one is); where `T` is soft-float, `max |s|` by integer comparison instead (also a bound on every `|sᵢ|`, and
/// non-finite exactly when an element is).
#[inline]
pub(crate) fn sum_abs<T: Real>(s: &[T]) -> T {
    if soft::<T>() {
        return T::max_magnitude(s);
    }
    let mut acc = [T::ZERO; LANES];
    let (chunks, rest) = s.as_chunks::<LANES>();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += c[l].abs();
        }
    }
    let tail = rest.iter().fold(T::ZERO, |a, &e| a + e.abs());
    tail + lane_sum(&acc)
}

/// `(Σs, min(0, min s))` for a buffer of second moments: it is valid (every element finite and
/// ≥ 0) exactly when the sum is finite and the minimum is ≥ 0 (a NaN or ±∞ makes the sum
/// non-finite).
#[inline(always)]
pub(crate) fn sum_second<T: Real>(s: &[T]) -> (T, T) {
    if soft::<T>() {
        // max v bounds every v as Σv does; an invalid buffer reads as (NaN, −1).
        return match T::max_nonnegative(s) {
            Some(m) => (m, T::ZERO),
            None => (T::NAN_R, -T::ONE),
        };
    }
    let (mut acc, mut low) = ([T::ZERO; LANES], [T::ZERO; LANES]);
    let (chunks, rest) = s.as_chunks::<LANES>();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += c[l];
        }
        for l in 0..LANES {
            low[l] = if c[l] < low[l] { c[l] } else { low[l] };
        }
    }
    let (mut a, mut lo) = (T::ZERO, T::ZERO);
    for &e in rest {
        a += e;
        lo = if e < lo { e } else { lo };
    }
    let (sa, sl) = lane_sum_min(&acc, &low);
    (a + sa, if sl < lo { sl } else { lo })
}

/// Every element finite (the exact check of the slow path).
pub(crate) fn all_finite<T: Real>(s: &[T]) -> bool {
    s.iter().all(|a| a.is_finite())
}

/// Every element finite and ≥ 0: a valid buffer of second moments (the exact check of the
/// slow path).
pub(crate) fn valid_second<T: Real>(s: &[T]) -> bool {
    s.iter().all(|a| a.is_finite() && *a >= T::ZERO)
}

/// The four sums of a step (`[Σ|x|, Σ|g|, Σ|m|, Σv, min(0, min v)]`) in one loop where `T` is
/// computed in hardware: one loop's overhead (and, on vector hosts, one vector prologue) instead
/// of four; `None` where `T` is soft-float, where the separate integer reductions are the faster
/// form, and on vector hosts beyond `FUSED_MAX_LEN` elements, where the separate loops are.
///
/// On a scalar core (one lane: Cortex-M4F) these are the sequential sums of `sum_abs` and
/// `sum_second`, bit for bit. With `LANES` lanes each buffer keeps `LANES` partial sums, added
/// pairwise at the end, and the rest of a partial chunk is added to that: another order of the
/// same additions of non-negative terms, so the bounds are as valid as the sequential sums (see
/// [`sum_abs`]).
#[inline]
pub(crate) fn fused_sums<T: Real>(x: &[T], g: &[T], m: &[T], v: &[T]) -> Option<[T; 5]> {
    if soft::<T>() {
        return None;
    }
    if LANES == 1 {
        return Some(fused_sums_of(x, g, m, v));
    }
    // With lanes, the fused loop costs a little more per chunk than four separate (unrolled)
    // loops and saves their prologues: measured fewer instructions up to a few hundred elements.
    if x.len() <= FUSED_MAX_LEN {
        return Some(fused_sums_lanes(x, g, m, v));
    }
    None
}

/// Up to this length the fused lane-parallel loop is the cheaper read-only pass on vector
/// hosts (callgrind, x86-64-v3, an Adam step: 42/47 fewer instructions (f32/f64) than the
/// separate loops at n = 64, 31/46 at n = 256, 15/46 at n = 512; at n = 1024 18 more in `f32`).
const FUSED_MAX_LEN: usize = 64 * LANES;

/// The loop of [`fused_sums`] on `LANES` lanes: whole chunks lane-parallel, the rest (fewer
/// than `LANES` elements) by [`fused_sums_of`]. No early exit: a test per chunk costs more than
/// it saves, and keeps LLVM from unrolling the loop (the lane reductions' `black_box`, see
/// [`lane_sum`], is what keeps it from vectorizing across chunks).
#[inline(always)]
fn fused_sums_lanes<T: Real>(x: &[T], g: &[T], m: &[T], v: &[T]) -> [T; 5] {
    let z = [T::ZERO; LANES];
    let (mut sx, mut sg, mut sm, mut sv, mut lo) = (z, z, z, z, z);
    let (xc, xr) = x.as_chunks::<LANES>();
    let (gc, gr) = g.as_chunks::<LANES>();
    let (mc, mr) = m.as_chunks::<LANES>();
    let (vc, vr) = v.as_chunks::<LANES>();
    for (((cx, cg), cm), cv) in xc.iter().zip(gc).zip(mc).zip(vc) {
        for l in 0..LANES {
            sx[l] += cx[l].abs();
        }
        for l in 0..LANES {
            sg[l] += cg[l].abs();
        }
        for l in 0..LANES {
            sm[l] += cm[l].abs();
        }
        for l in 0..LANES {
            sv[l] += cv[l];
        }
        for l in 0..LANES {
            lo[l] = if cv[l] < lo[l] { cv[l] } else { lo[l] };
        }
    }
    // The rest (fewer than `LANES` elements) added to the lane sums: nothing to add, and no
    // zeros to add them to, when `n` is a multiple of `LANES`.
    let (ssv, slo) = lane_sum_min(&sv, &lo);
    let lanes = [lane_sum(&sx), lane_sum(&sg), lane_sum(&sm), ssv, slo];
    fused_sums_from(lanes, xr, gr, mr, vr)
}

/// The loop of [`fused_sums`].
#[inline(always)]
fn fused_sums_of<T: Real>(x: &[T], g: &[T], m: &[T], v: &[T]) -> [T; 5] {
    fused_sums_from([T::ZERO; 5], x, g, m, v)
}

/// [`fused_sums_of`] continued from `[Σ|x|, Σ|g|, Σ|m|, Σv, min v]` of elements before these.
#[inline(always)]
fn fused_sums_from<T: Real>(s: [T; 5], x: &[T], g: &[T], m: &[T], v: &[T]) -> [T; 5] {
    let [mut sx, mut sg, mut sm, mut sv, mut lo] = s;
    for (((&xi, &gi), &mi), &vi) in x.iter().zip(g).zip(m).zip(v) {
        sx += xi.abs();
        sg += gi.abs();
        sm += mi.abs();
        sv += vi;
        lo = if vi < lo { vi } else { lo };
    }
    [sx, sg, sm, sv, lo]
}

/// `Σ a` over the lanes, added pairwise (lane `i` with lane `i + w/2`, halving `w`: vector
/// halves, a few instructions where a sequential fold takes two per lane).
///
/// `black_box` hides the reduction's shape from the loop that filled `a` (it costs a store and
/// a load): seeing a pairwise reduction, LLVM vectorizes that loop across chunks instead of
/// across lanes, several times slower. A second `black_box` on the result keeps the reduction
/// where it is: without it LLVM sinks the additions to the bounds that use them, past the
/// loops that follow, holding each lane in a register (spilled) across them (callgrind,
/// x86-64-v3, an Adam step at n = 64: 38/50 instructions more, f32/f64).
#[inline(always)]
fn lane_sum<T: Real>(a: &[T; LANES]) -> T {
    if LANES == 1 {
        return a[0];
    }
    core::hint::black_box(pairwise(core::hint::black_box(*a), |a, b| a + b))
}

/// [`lane_sum`] of `a` and the minimum over the lanes of `lo`.
#[inline(always)]
fn lane_sum_min<T: Real>(a: &[T; LANES], lo: &[T; LANES]) -> (T, T) {
    if LANES == 1 {
        return (a[0], lo[0]);
    }
    let min = |a: T, b: T| if b < a { b } else { a };
    let (a, lo) = core::hint::black_box((*a, *lo));
    core::hint::black_box((pairwise(a, |a, b| a + b), pairwise(lo, min)))
}

/// `a[0] ∘ a[1] ∘ …` folded pairwise (lane `i` with lane `i + w/2`, halving `w`), the order
/// that maps onto vector halves.
#[inline(always)]
fn pairwise<T: Real>(mut a: [T; LANES], f: impl Fn(T, T) -> T) -> T {
    let mut w = LANES;
    while w > 1 {
        w /= 2;
        for i in 0..w {
            a[i] = f(a[i], a[i + w]);
        }
    }
    a[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fused loop gives the sequential sums and minimum of each buffer (what the one-lane
    /// `sum_abs` and `sum_second` compute on a scalar core), bit for bit.
    #[test]
    fn fused_sums_are_the_separate_ones() {
        let x = [1.5f32, -2.25, 1e-30, 3e7, -0.0];
        let g = [0.1f32, 0.2, -0.3, 1e20, 7.0];
        let m = [-1.0f32, 1e-3, 2.0, 0.5, -0.25];
        let v = [0.0f32, 4.0, 1e-40, 9.0, 0.5];
        let seq = |s: &[f32]| s.iter().fold(0.0f32, |a, &e| a + libm::fabsf(e));
        let got = fused_sums_of(&x, &g, &m, &v);
        let want = [
            seq(&x),
            seq(&g),
            seq(&m),
            v.iter().fold(0.0f32, |a, &e| a + e),
            0.0,
        ];
        assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits));
        let bad = [1.0f32, -2.0, 3.0, 0.0, 1.0];
        assert_eq!(fused_sums_of(&x, &g, &m, &bad)[4], -2.0);
    }

    /// The lane-parallel fused loop: each sum bounds every term (it is at least the largest),
    /// is within rounding of the exact sum, the minimum is exact, and a NaN or ∞ anywhere makes
    /// its sum non-finite; with or without a tail shorter than a chunk.
    #[test]
    fn lane_sums_bound_and_detect() {
        for n in [1usize, 7, 8, 9, 16, 19, 32] {
            let x: [f32; 32] = core::array::from_fn(|i| (i as f32 * 0.37).sin() * 1e3);
            let g: [f32; 32] = core::array::from_fn(|i| (i as f32 * 1.3).cos() * 1e-3);
            let m: [f32; 32] = core::array::from_fn(|i| i as f32 - 16.0);
            let mut v: [f32; 32] = core::array::from_fn(|i| (i * i) as f32 * 0.5);
            v[n / 2] = -0.25;
            let (x, g, m, v) = (&x[..n], &g[..n], &m[..n], &v[..n]);
            let got = fused_sums_lanes(x, g, m, v);
            for (k, s) in [x, g, m].into_iter().enumerate() {
                let exact: f64 = s.iter().map(|a| (a.abs()) as f64).sum();
                let big = s.iter().fold(0.0f32, |a, b| a.max(b.abs()));
                assert!(got[k] >= big, "n {n} stream {k}");
                assert!(
                    (got[k] as f64 - exact).abs() <= 1e-5 * exact,
                    "n {n} stream {k}"
                );
            }
            let exact: f64 = v.iter().map(|&a| a as f64).sum();
            assert!((got[3] as f64 - exact).abs() <= 1e-5 * exact.abs().max(1.0));
            assert_eq!(got[4], -0.25);
            for bad in [f32::NAN, f32::INFINITY] {
                let mut xb = [0.0f32; 32];
                xb[..n].copy_from_slice(x);
                xb[n - 1] = bad;
                assert!(!fused_sums_lanes(&xb[..n], g, m, v)[0].is_finite(), "n {n}");
                assert!(!fused_sums_lanes(x, &xb[..n], m, v)[1].is_finite(), "n {n}");
            }
        }
    }
}
