//! C entry points for landscape analysis: curvature reports, critical-point classification,
//! flat directions, convexity, sharpness, spectral estimates from Hessian–vector products, loss slices
//! and random directions, plus the seeded generator `lossmap_rng` the stochastic ones draw from.
//!
//! Outputs (including `work` and the in-out `rng`) must not overlap any other buffer of the
//! call (`LOSSMAP_ERR_ALIASED`); inputs may overlap each other. Kernels that would write their
//! outputs progressively compute into `work` first, so nothing (not even `rng`) changes on
//! error (one documented exception: `vectors` of `lossmap_curvature_*` on an eigen
//! non-convergence). Point kinds are the `int32_t` constants `LOSSMAP_POINT_*`.

use super::diff::{c_grad, CLoss, GradFn, LossFn};
use super::ptr::{check, copy, deref, mul, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_grad_f32, lossmap_grad_f64, lossmap_loss_f32, lossmap_loss_f64};
use crate::landscape::{
    self as kernel, CriticalPoint, CurvatureSummary, HessianScratch, NoisyLoss, Tolerance,
    TraceEstimate,
};
use crate::objective::SliceObjective;
use crate::random::SplitMix64;
use crate::{Error, Real};
use core::ffi::c_void;

// Literal values: cbindgen cannot evaluate `CriticalPoint::code()`; a unit test keeps them equal.
/// The gradient does not vanish (`LOSSMAP_POINT_*`, the `kind` of `lossmap_critical_point`).
pub const LOSSMAP_POINT_NOT_CRITICAL: i32 = 0;
/// Every Hessian eigenvalue positive: a strict local minimum.
pub const LOSSMAP_POINT_MINIMUM: i32 = 1;
/// Every Hessian eigenvalue negative: a strict local maximum.
pub const LOSSMAP_POINT_MAXIMUM: i32 = 2;
/// Eigenvalues of both signs: a saddle whose index is `negative`.
pub const LOSSMAP_POINT_SADDLE: i32 = 3;
/// Some eigenvalues zero within tolerance: the second-order test cannot decide.
pub const LOSSMAP_POINT_DEGENERATE: i32 = 4;
/// A critical point (from `lossmap_classify_at_*` only) whose Hessian's error leaves the sign
/// of `zero` eigenvalues open; `negative` counts those decided negative.
pub const LOSSMAP_POINT_UNDECIDED: i32 = 5;

/// The verdict of `lossmap_classify_*`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossmapCriticalPoint {
    /// `LOSSMAP_POINT_*`.
    pub kind: i32,
    /// Negative eigenvalues: 0 for a minimum, n for a maximum, the index of a saddle, the
    /// negative ones beside the flat ones of a degenerate point; 0 when not critical.
    pub negative: usize,
    /// Eigenvalues zero within tolerance (flat directions) when degenerate; eigenvalues whose
    /// sign is open when undecided; 0 otherwise.
    pub zero: usize,
}

impl LossmapCriticalPoint {
    /// The C form of `kind` for a spectrum of `n` eigenvalues.
    pub(super) fn of(kind: CriticalPoint, n: usize) -> Self {
        let (negative, zero) = match kind {
            CriticalPoint::NotCritical | CriticalPoint::Minimum => (0, 0),
            CriticalPoint::Maximum => (n, 0),
            CriticalPoint::Saddle { index } => (index, 0),
            CriticalPoint::Degenerate { zero, negative } => (negative, zero),
            CriticalPoint::Undecided {
                uncertain,
                negative,
            } => (negative, uncertain),
        };
        LossmapCriticalPoint {
            kind: kind.code(),
            negative,
            zero,
        }
    }
}

/// [`Error::NullPointer`] unless `p` (a required single-value argument) is non-null and aligned.
fn need<S>(p: *const S) -> Result<(), Error> {
    if p.is_null() || !p.is_aligned() {
        Err(Error::NullPointer)
    } else {
        Ok(())
    }
}

/// A copy of the caller's generator state (written back only on success).
///
/// # Safety
/// `rng` checked by [`check`] (or [`need`]); validity is the caller's contract.
unsafe fn rng_state(rng: *const SplitMix64) -> Result<SplitMix64, Error> {
    // SAFETY: as above.
    unsafe { deref(rng) }.copied()
}

unsafe fn rng_seed(rng: *mut SplitMix64, seed: u64) -> Result<(), Error> {
    need(rng)?;
    // SAFETY: checked non-null and aligned; validity is the caller's contract.
    unsafe { write_opt(rng, SplitMix64::new(seed)) };
    Ok(())
}

unsafe fn curvature<T: Real>(
    h: *const T,
    n: usize,
    work: *mut T,
    values: *mut T,
    vectors: *mut T,
    summary: *mut CurvatureSummary<T>,
) -> Result<(), Error> {
    let nn = mul(n, n)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::eigen(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(h, nn, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(values as *const T, n, WRITTEN),
        Arg::of(vectors as *const T, nn, WRITTEN),
        Arg::of(summary as *const CurvatureSummary<T>, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (h, w, l, v) = unsafe {
        (
            core::slice::from_raw_parts(h, nn),
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(values, n),
            core::slice::from_raw_parts_mut(vectors, nn),
        )
    };
    let s = kernel::curvature(h, n, w, l, v)?;
    // SAFETY: checked by `check`.
    unsafe { write_opt(summary, s) };
    Ok(())
}

unsafe fn classify<T: Real>(
    values: *const T,
    n: usize,
    grad_norm: T,
    tol: *const Tolerance<T>,
    out: *mut LossmapCriticalPoint,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(values, n, READ),
        Arg::of(tol, 1, READ),
        Arg::of(out as *const LossmapCriticalPoint, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized and `out` apart from both by `check`; validity
    // is the caller's contract.
    let (v, tol) = unsafe { (core::slice::from_raw_parts(values, n), &*tol) };
    let kind = kernel::classify(v, grad_norm, tol)?;
    // SAFETY: as above.
    unsafe { *out = LossmapCriticalPoint::of(kind, n) };
    Ok(())
}

unsafe fn flat_range<T: Real>(
    values: *const T,
    n: usize,
    rel: T,
    start: *mut usize,
    count: *mut usize,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(values, n, READ),
        Arg::of(start as *const usize, 1, WRITTEN),
        Arg::of(count as *const usize, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    let (s, c) = kernel::flat_range(unsafe { core::slice::from_raw_parts(values, n) }, rel)?;
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(start, s);
        write_opt(count, c);
    }
    Ok(())
}

/// `lossmap_classify_at_*`: `work` = the gradient (`n`), then one Hessian analysis.
#[allow(clippy::too_many_arguments)]
unsafe fn classify_at<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    tol: *const Tolerance<T>,
    work: *mut T,
    point: *mut LossmapCriticalPoint,
    summary: *mut CurvatureSummary<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::classify_at(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(point as *const LossmapCriticalPoint, 1, WRITTEN),
        Arg::of(summary as *const CurvatureSummary<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(tol, 1, READ | OPTIONAL),
    ])?;
    let tol = if tol.is_null() {
        Tolerance::default()
    } else {
        // SAFETY: checked by `deref`; validity is the caller's contract.
        unsafe { *deref(tol)? }
    };
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (grad, rest) = w.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let mut scratch = HessianScratch::split(rest, n)?;
    // Checks `x` and `tol` before the first call of `f`.
    let (kind, s) = kernel::classify_at_slice(&mut loss, x, &tol, &mut scratch, grad)?;
    // SAFETY: checked by `check`; `summary` may be NULL.
    unsafe {
        write_opt(point, LossmapCriticalPoint::of(kind, n));
        write_opt(summary, s);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn convex_at<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    tol: T,
    work: *mut T,
    direction: *mut T,
    curvature: *mut T,
    is_convex: *mut i32,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let wl = work::hessian_analysis(n)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(direction as *const T, n, WRITTEN),
        Arg::of(curvature as *const T, 1, WRITTEN),
        Arg::of(is_convex as *const i32, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w, d) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(direction, n),
        )
    };
    let mut scratch = HessianScratch::split(w, n)?;
    let (lambda, convex) = match kernel::convex_at_slice(&mut loss, x, tol, &mut scratch, d)? {
        Some(c) => (c, 0),
        None => {
            // PSD: report the smallest eigenpair all the same (row 0, values ascending).
            copy(d, scratch.vectors);
            (scratch.values.first().copied().unwrap_or(T::ZERO), 1)
        }
    };
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(curvature, lambda);
        write_opt(is_convex, convex);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn convex_over_box<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    lo: *const T,
    hi: *const T,
    n: usize,
    samples: usize,
    rng: *mut SplitMix64,
    tol: T,
    work: *mut T,
    witness: *mut T,
    direction: *mut T,
    curvature: *mut T,
    is_convex: *mut i32,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let hl = work::hessian_analysis(n)?;
    let wl = work::convex_over_box(n)?;
    check(&mut [
        Arg::of(lo, n, READ),
        Arg::of(hi, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(witness as *const T, n, WRITTEN),
        Arg::of(direction as *const T, n, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(curvature as *const T, 1, WRITTEN),
        Arg::of(is_convex as *const i32, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (lo, hi, w) = unsafe {
        (
            core::slice::from_raw_parts(lo, n),
            core::slice::from_raw_parts(hi, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut r = unsafe { rng_state(rng)? };
    let (hw, rest) = w.split_at_mut_checked(hl).ok_or(Error::LengthMismatch)?;
    let (wit, dir) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let mut scratch = HessianScratch::split(hw, n)?;
    let verdict = kernel::convex_over_box_slice(
        &mut loss,
        lo,
        hi,
        samples,
        &mut r,
        tol,
        &mut scratch,
        wit,
        dir,
    )?;
    if let Some(c) = verdict {
        // SAFETY: checked non-null, aligned, sized and disjoint by `check` above.
        let (pw, pd) = unsafe {
            (
                core::slice::from_raw_parts_mut(witness, n),
                core::slice::from_raw_parts_mut(direction, n),
            )
        };
        copy(pw, wit);
        copy(pd, dir);
        // SAFETY: checked by `check`.
        unsafe { write_opt(curvature, c) };
    }
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(is_convex, i32::from(verdict.is_none()));
        write_opt(rng, r);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn top_eigen<T: Real>(
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    k: usize,
    max_iter: usize,
    tol: T,
    rng: *mut SplitMix64,
    work: *mut T,
    values: *mut T,
    vectors: *mut T,
    products: *mut usize,
) -> Result<(), Error> {
    let mut grad = c_grad(g, ctx)?;
    let kn = mul(k, n)?;
    let wl = work::top_eigen(n, k)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(values as *const T, k, WRITTEN),
        Arg::of(vectors as *const T, kn, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(products as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut r = unsafe { rng_state(rng)? };
    let (four, rest) = w
        .split_at_mut_checked(mul(n, 4)?)
        .ok_or(Error::LengthMismatch)?;
    let (vals, vecs) = rest.split_at_mut_checked(k).ok_or(Error::LengthMismatch)?;
    let used = kernel::power_iteration(&mut grad, x, vals, vecs, four, &mut r, max_iter, tol)?;
    // SAFETY: as above.
    let (l, v) = unsafe {
        (
            core::slice::from_raw_parts_mut(values, k),
            core::slice::from_raw_parts_mut(vectors, kn),
        )
    };
    copy(l, vals);
    copy(v, vecs);
    // SAFETY: checked by `check`; `products` may be NULL.
    unsafe {
        write_opt(rng, r);
        write_opt(products, used);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn hutchinson_trace<T: Real>(
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    probes: usize,
    rng: *mut SplitMix64,
    work: *mut T,
    out: *mut TraceEstimate<T>,
) -> Result<(), Error> {
    let mut grad = c_grad(g, ctx)?;
    let wl = work::hutchinson_trace(n)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(out, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut r = unsafe { rng_state(rng)? };
    let t = kernel::hutchinson_trace(&mut grad, x, probes, w, &mut r)?;
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(rng, r);
        write_opt(out, t);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn slice_1d<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    d: *const T,
    n: usize,
    t0: T,
    t1: T,
    work: *mut T,
    out: *mut T,
    m: usize,
    nonfinite: *mut usize,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::slice(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(d, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(out as *const T, m, WRITTEN),
        Arg::of(nonfinite as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, d, w, o) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts(d, n),
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(out, m),
        )
    };
    // Every check precedes the first write to `out`; the loop itself cannot fail.
    let bad = kernel::slice_1d(&mut |p: &[T]| loss.value(p), x, d, t0, t1, w, o)?;
    // SAFETY: optional out-parameter, checked by `check`.
    unsafe { write_opt(nonfinite, bad) };
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn slice_2d<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    d1: *const T,
    d2: *const T,
    n: usize,
    s: (T, T),
    t: (T, T),
    rows: usize,
    cols: usize,
    work: *mut T,
    out: *mut T,
    nonfinite: *mut usize,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let m = mul(rows, cols)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::slice(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(d1, n, READ),
        Arg::of(d2, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(out as *const T, m, WRITTEN),
        Arg::of(nonfinite as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, a, b) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts(d1, n),
            core::slice::from_raw_parts(d2, n),
        )
    };
    // SAFETY: as above.
    let (w, o) = unsafe {
        (
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(out, m),
        )
    };
    // Every check precedes the first write to `out`; the loop itself cannot fail.
    let bad = kernel::slice_2d(&mut |p: &[T]| loss.value(p), x, a, b, s, t, rows, w, o)?;
    // SAFETY: optional out-parameter, checked by `check`.
    unsafe { write_opt(nonfinite, bad) };
    Ok(())
}

unsafe fn random_direction<T: Real>(
    rng: *mut SplitMix64,
    out: *mut T,
    n: usize,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(out as *const T, n, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`; validity is the
    // caller's contract.
    let o = unsafe { core::slice::from_raw_parts_mut(out, n) };
    let mut r = unsafe { rng_state(rng)? };
    kernel::random_direction(&mut r, o)?;
    // SAFETY: checked by `check`.
    unsafe { write_opt(rng, r) };
    Ok(())
}

unsafe fn filter_normalize<T: Real>(
    x: *const T,
    n: usize,
    groups: *const usize,
    ngroups: usize,
    d: *mut T,
) -> Result<(), Error> {
    // No groups: none (NULL, optional), whatever `groups` is.
    let (gp, gf) = match ngroups {
        0 => (core::ptr::null(), OPTIONAL),
        _ => (groups, READ),
    };
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(d as *const T, n, WRITTEN),
        Arg::of(gp, ngroups, gf),
    ])?;
    // SAFETY: checked non-null, aligned, sized, `d` disjoint by `check`; validity is the
    // caller's contract.
    let (x, d) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(d, n),
        )
    };
    // SAFETY: as above.
    let g: &[usize] = if gp.is_null() {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(gp, ngroups) }
    };
    // Every check (sizes, NaN/Inf, group sums) precedes the first write to `d`.
    kernel::filter_normalize(x, g, d)
}

#[allow(clippy::too_many_arguments)]
unsafe fn epsilon_sharpness<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    eps: T,
    steps: usize,
    rng: *mut SplitMix64,
    work: *mut T,
    best_delta: *mut T,
    rise: *mut T,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let wl = work::epsilon_sharpness(n)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(best_delta as *const T, n, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(rise as *const T, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut r = unsafe { rng_state(rng)? };
    let (best, three) = w.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let up = kernel::epsilon_sharpness_slice(&mut loss, x, eps, steps, &mut r, best, three)?;
    // SAFETY: as above.
    copy(
        unsafe { core::slice::from_raw_parts_mut(best_delta, n) },
        best,
    );
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(rise, up);
        write_opt(rng, r);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn noisy_loss<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    sigma: T,
    samples: usize,
    rng: *mut SplitMix64,
    work: *mut T,
    out: *mut NoisyLoss<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let wl = work::noisy_loss(n)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(rng as *const SplitMix64, 1, WRITTEN),
        Arg::of(out, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let mut r = unsafe { rng_state(rng)? };
    let (point, hessian) = w.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let v = kernel::noisy_loss_slice(&mut loss, x, sigma, samples, &mut r, point, hessian)?;
    // SAFETY: checked by `check`.
    unsafe {
        write_opt(out, v);
        write_opt(rng, r);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn curvature_stability<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    work: *mut T,
    values: *mut T,
    vectors: *mut T,
    third: *mut T,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let (nn, hl) = (mul(n, n)?, work::hessian_analysis(n)?);
    let wl = work::curvature_stability(n)?;
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(values as *const T, n, WRITTEN),
        Arg::of(vectors as *const T, nn, WRITTEN),
        Arg::of(third as *const T, n, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (x, w) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, wl),
        )
    };
    let (hw, t) = w.split_at_mut_checked(hl).ok_or(Error::LengthMismatch)?;
    let mut scratch = HessianScratch::split(hw, n)?;
    kernel::curvature_stability_slice(&mut loss, x, &mut scratch, t)?;
    // SAFETY: as above.
    let (l, v, th) = unsafe {
        (
            core::slice::from_raw_parts_mut(values, n),
            core::slice::from_raw_parts_mut(vectors, nn),
            core::slice::from_raw_parts_mut(third, n),
        )
    };
    copy(l, scratch.values);
    copy(v, scratch.vectors);
    copy(th, t);
    Ok(())
}

/// Seeds the generator `*rng` with `seed`: any value is valid, and equal seeds give equal
/// runs. The stochastic functions draw from `*rng`, advancing it on success and leaving it
/// unchanged on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_rng_seed(rng: *mut SplitMix64, seed: u64) -> i32 {
    status(unsafe { rng_seed(rng, seed) })
}

/// Eigen-decomposition of the symmetric `n×n` row-major Hessian `h` (f32): eigenvalues
/// ascending in `values[0..n]`, unit eigenvectors as rows of `vectors` (`n×n`), and their
/// summary (min, max, trace, condition, log-determinant) in `*summary`. `work`: n² floats.
/// Nothing is written on bad input (sizes, NaN/Inf, asymmetry); should the QR iteration
/// not converge (`LOSSMAP_ERR_NO_CONVERGENCE`, not met in practice), `vectors` is overwritten.
#[no_mangle]
pub unsafe extern "C" fn lossmap_curvature_f32(
    h: *const f32,
    n: usize,
    work: *mut f32,
    values: *mut f32,
    vectors: *mut f32,
    summary: *mut CurvatureSummary<f32>,
) -> i32 {
    status(unsafe { curvature(h, n, work, values, vectors, summary) })
}

/// Eigen-decomposition of the symmetric `n×n` row-major Hessian `h` (f64): eigenvalues
/// ascending in `values[0..n]`, unit eigenvectors as rows of `vectors` (`n×n`), and their
/// summary (min, max, trace, condition, log-determinant) in `*summary`. `work`: n² doubles.
/// Nothing is written on bad input (sizes, NaN/Inf, asymmetry); should the QR iteration
/// not converge (`LOSSMAP_ERR_NO_CONVERGENCE`, not met in practice), `vectors` is overwritten.
#[no_mangle]
pub unsafe extern "C" fn lossmap_curvature_f64(
    h: *const f64,
    n: usize,
    work: *mut f64,
    values: *mut f64,
    vectors: *mut f64,
    summary: *mut CurvatureSummary<f64>,
) -> i32 {
    status(unsafe { curvature(h, n, work, values, vectors, summary) })
}

/// Default classification tolerances (f32): `grad` = ε^{1/3} ≈ 4.9e-3, `zero_rel` = 100·√ε
/// ≈ 3.5e-2.
#[no_mangle]
pub extern "C" fn lossmap_tolerance_default_f32() -> Tolerance<f32> {
    Tolerance::default()
}

/// Default classification tolerances (f64): `grad` = ε^{1/3} ≈ 6.1e-6, `zero_rel` = 100·√ε
/// ≈ 1.5e-6.
#[no_mangle]
pub extern "C" fn lossmap_tolerance_default_f64() -> Tolerance<f64> {
    Tolerance::default()
}

/// Classifies a point from its Hessian eigenvalues `values[0..n]` (any order) and gradient
/// norm `grad_norm` (f32) into `*out`: `LOSSMAP_POINT_NOT_CRITICAL` when `grad_norm > tol->grad`,
/// else minimum / maximum / saddle (index in `out->negative`) / degenerate (eigenvalues with
/// `|λ| ≤ tol->zero_rel · max|λ|` counted in `out->zero`). No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_classify_f32(
    values: *const f32,
    n: usize,
    grad_norm: f32,
    tol: *const Tolerance<f32>,
    out: *mut LossmapCriticalPoint,
) -> i32 {
    status(unsafe { classify(values, n, grad_norm, tol, out) })
}

/// Classifies a point from its Hessian eigenvalues `values[0..n]` (any order) and gradient
/// norm `grad_norm` (f64) into `*out`: `LOSSMAP_POINT_NOT_CRITICAL` when `grad_norm > tol->grad`,
/// else minimum / maximum / saddle (index in `out->negative`) / degenerate (eigenvalues with
/// `|λ| ≤ tol->zero_rel · max|λ|` counted in `out->zero`). No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_classify_f64(
    values: *const f64,
    n: usize,
    grad_norm: f64,
    tol: *const Tolerance<f64>,
    out: *mut LossmapCriticalPoint,
) -> i32 {
    status(unsafe { classify(values, n, grad_norm, tol, out) })
}

/// Classifies the point `x[0..n]` of the loss `f` in one call (f32): its central-difference
/// gradient (2n evaluations), its finite-difference Hessian (n² + n + 1 evaluations), the
/// loss at `x` (1 evaluation), the Hessian's eigenvalues and the scale-free second-order test
/// with `tol` (NULL for the defaults): critical when the Newton step to the quadratic model's
/// critical point is within `tol.step` central-difference steps or the gradient within its
/// rounding error; at a critical point the Hessian once more at twice the steps (n² + n
/// evaluations) for a Richardson estimate of its truncation error; `LOSSMAP_POINT_UNDECIDED`
/// where the Hessian's rounding and truncation errors leave an eigenvalue's sign open (see the
/// Rust `landscape` classification docs). `*point` receives the kind (`LOSSMAP_POINT_*`) and the index (`negative`),
/// `*summary` (may be NULL) the Hessian's curvature summary. `work` holds
/// `lossmap_classify_at_work_len(n)` = `3n² + 3n` floats. Bad input (NULL or misaligned
/// pointers, `n` = 0, NaN/Inf in `x`, a negative tolerance, overlapping buffers) changes nothing
/// and `f` is not called; a NaN/Inf loss is `LOSSMAP_ERR_LOSS_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_classify_at_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    tol: *const Tolerance<f32>,
    work: *mut f32,
    point: *mut LossmapCriticalPoint,
    summary: *mut CurvatureSummary<f32>,
) -> i32 {
    status(unsafe { classify_at(f, ctx, x, n, tol, work, point, summary) })
}

/// Classifies the point `x[0..n]` of the loss `f` in one call (f64): its central-difference
/// gradient (2n evaluations), its finite-difference Hessian (n² + n + 1 evaluations), the
/// loss at `x` (1 evaluation), the Hessian's eigenvalues and the scale-free second-order test
/// with `tol` (NULL for the defaults): critical when the Newton step to the quadratic model's
/// critical point is within `tol.step` central-difference steps or the gradient within its
/// rounding error; at a critical point the Hessian once more at twice the steps (n² + n
/// evaluations) for a Richardson estimate of its truncation error; `LOSSMAP_POINT_UNDECIDED`
/// where the Hessian's rounding and truncation errors leave an eigenvalue's sign open (see the
/// Rust `landscape` classification docs). `*point` receives the kind (`LOSSMAP_POINT_*`) and the index (`negative`),
/// `*summary` (may be NULL) the Hessian's curvature summary. `work` holds
/// `lossmap_classify_at_work_len(n)` = `3n² + 3n` doubles. Bad input (NULL or misaligned
/// pointers, `n` = 0, NaN/Inf in `x`, a negative tolerance, overlapping buffers) changes nothing
/// and `f` is not called; a NaN/Inf loss is `LOSSMAP_ERR_LOSS_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_classify_at_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    tol: *const Tolerance<f64>,
    work: *mut f64,
    point: *mut LossmapCriticalPoint,
    summary: *mut CurvatureSummary<f64>,
) -> i32 {
    status(unsafe { classify_at(f, ctx, x, n, tol, work, point, summary) })
}

/// The flat (unidentifiable) directions of ascending eigenvalues `values[0..n]` (f32): the
/// run `*start .. *start + *count` with `|λ| ≤ rel · max|λ|` (`*count` = 0, `*start` = n when
/// none). Their eigenvectors are the parameter combinations the loss does not determine. No
/// scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_flat_range_f32(
    values: *const f32,
    n: usize,
    rel: f32,
    start: *mut usize,
    count: *mut usize,
) -> i32 {
    status(unsafe { flat_range(values, n, rel, start, count) })
}

/// The flat (unidentifiable) directions of ascending eigenvalues `values[0..n]` (f64): the
/// run `*start .. *start + *count` with `|λ| ≤ rel · max|λ|` (`*count` = 0, `*start` = n when
/// none). Their eigenvectors are the parameter combinations the loss does not determine. No
/// scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_flat_range_f64(
    values: *const f64,
    n: usize,
    rel: f64,
    start: *mut usize,
    count: *mut usize,
) -> i32 {
    status(unsafe { flat_range(values, n, rel, start, count) })
}

/// Convexity of `f` at `x[0..n]` (f32): the finite-difference Hessian (n² + n + 1 evaluations)
/// is positive semi-definite when `λ_min ≥ −tol · max|λ|` (`tol` ≥ 0, at least the Hessian's
/// noise, e.g. 1e-3 in f32). `*is_convex` receives 1 or 0, `*curvature` the smallest eigenvalue
/// and `direction[0..n]` its unit eigenvector (in both cases). `work`: 3n² + 2n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_convex_at_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    tol: f32,
    work: *mut f32,
    direction: *mut f32,
    curvature: *mut f32,
    is_convex: *mut i32,
) -> i32 {
    status(unsafe { convex_at(f, ctx, x, n, tol, work, direction, curvature, is_convex) })
}

/// Convexity of `f` at `x[0..n]` (f64): the finite-difference Hessian (n² + n + 1 evaluations)
/// is positive semi-definite when `λ_min ≥ −tol · max|λ|` (`tol` ≥ 0, at least the Hessian's
/// noise, e.g. 1e-6 in f64). `*is_convex` receives 1 or 0, `*curvature` the smallest eigenvalue
/// and `direction[0..n]` its unit eigenvector (in both cases). `work`: 3n² + 2n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_convex_at_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    tol: f64,
    work: *mut f64,
    direction: *mut f64,
    curvature: *mut f64,
    is_convex: *mut i32,
) -> i32 {
    status(unsafe { convex_at(f, ctx, x, n, tol, work, direction, curvature, is_convex) })
}

/// Convexity of `f` over the box `[lo, hi]` (f32; `lo[i] ≤ hi[i]`) by `samples` points drawn
/// uniformly from `*rng`, each tested as in `lossmap_convex_at_f32`. Stops at the first
/// failure: `*is_convex` = 0, the point in `witness[0..n]`, the most negative eigenvalue in
/// `*curvature` and its unit eigenvector in `direction[0..n]`. When no sample fails,
/// `*is_convex` = 1 and `witness`, `direction`, `*curvature` are left unchanged (sampling can
/// refute convexity, never prove it). `work`: 3n² + 4n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_convex_over_box_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    lo: *const f32,
    hi: *const f32,
    n: usize,
    samples: usize,
    rng: *mut SplitMix64,
    tol: f32,
    work: *mut f32,
    witness: *mut f32,
    direction: *mut f32,
    curvature: *mut f32,
    is_convex: *mut i32,
) -> i32 {
    status(unsafe {
        convex_over_box(
            f, ctx, lo, hi, n, samples, rng, tol, work, witness, direction, curvature, is_convex,
        )
    })
}

/// Convexity of `f` over the box `[lo, hi]` (f64; `lo[i] ≤ hi[i]`) by `samples` points drawn
/// uniformly from `*rng`, each tested as in `lossmap_convex_at_f64`. Stops at the first
/// failure: `*is_convex` = 0, the point in `witness[0..n]`, the most negative eigenvalue in
/// `*curvature` and its unit eigenvector in `direction[0..n]`. When no sample fails,
/// `*is_convex` = 1 and `witness`, `direction`, `*curvature` are left unchanged (sampling can
/// refute convexity, never prove it). `work`: 3n² + 4n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_convex_over_box_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    lo: *const f64,
    hi: *const f64,
    n: usize,
    samples: usize,
    rng: *mut SplitMix64,
    tol: f64,
    work: *mut f64,
    witness: *mut f64,
    direction: *mut f64,
    curvature: *mut f64,
    is_convex: *mut i32,
) -> i32 {
    status(unsafe {
        convex_over_box(
            f, ctx, lo, hi, n, samples, rng, tol, work, witness, direction, curvature, is_convex,
        )
    })
}

/// ε-sharpness of `f` at `x[0..n]` (f32): the largest rise `f(x + δ) − f(x)` found with
/// `‖δ‖₂ ≤ eps` (`eps` > 0) by `steps` (> 0) projected normalized-gradient ascent steps of length
/// `eps/4` (central-difference gradients, 2n evaluations each), started along the gradient or,
/// where it vanishes, along a random direction from `*rng`. The rise goes to `*rise` and its
/// perturbation to `best_delta[0..n]`; for a quadratic the answer is `½ λ_max eps²`.
/// `work`: 4n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_epsilon_sharpness_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    eps: f32,
    steps: usize,
    rng: *mut SplitMix64,
    work: *mut f32,
    best_delta: *mut f32,
    rise: *mut f32,
) -> i32 {
    status(unsafe { epsilon_sharpness(f, ctx, x, n, eps, steps, rng, work, best_delta, rise) })
}

/// ε-sharpness of `f` at `x[0..n]` (f64): the largest rise `f(x + δ) − f(x)` found with
/// `‖δ‖₂ ≤ eps` (`eps` > 0) by `steps` (> 0) projected normalized-gradient ascent steps of length
/// `eps/4` (central-difference gradients, 2n evaluations each), started along the gradient or,
/// where it vanishes, along a random direction from `*rng`. The rise goes to `*rise` and its
/// perturbation to `best_delta[0..n]`; for a quadratic the answer is `½ λ_max eps²`.
/// `work`: 4n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_epsilon_sharpness_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    eps: f64,
    steps: usize,
    rng: *mut SplitMix64,
    work: *mut f64,
    best_delta: *mut f64,
    rise: *mut f64,
) -> i32 {
    status(unsafe { epsilon_sharpness(f, ctx, x, n, eps, steps, rng, work, best_delta, rise) })
}

/// Expected loss under Gaussian parameter noise (f32): the mean of `f(x + σz)`, `z ~ N(0, I)`
/// from `*rng`, over `samples` (≥ 2) draws, with its standard error, beside `f(x)` and the
/// second-order prediction `f(x) + σ²/2 · tr H(x)` (finite-difference Hessian), into `*out`.
/// `sigma` ≥ 0. `work`: n + n² floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_noisy_loss_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    sigma: f32,
    samples: usize,
    rng: *mut SplitMix64,
    work: *mut f32,
    out: *mut NoisyLoss<f32>,
) -> i32 {
    status(unsafe { noisy_loss(f, ctx, x, n, sigma, samples, rng, work, out) })
}

/// Expected loss under Gaussian parameter noise (f64): the mean of `f(x + σz)`, `z ~ N(0, I)`
/// from `*rng`, over `samples` (≥ 2) draws, with its standard error, beside `f(x)` and the
/// second-order prediction `f(x) + σ²/2 · tr H(x)` (finite-difference Hessian), into `*out`.
/// `sigma` ≥ 0. `work`: n + n² doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_noisy_loss_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    sigma: f64,
    samples: usize,
    rng: *mut SplitMix64,
    work: *mut f64,
    out: *mut NoisyLoss<f64>,
) -> i32 {
    status(unsafe { noisy_loss(f, ctx, x, n, sigma, samples, rng, work, out) })
}

/// Curvature stability at `x[0..n]` (f32): the finite-difference Hessian's eigenvalues
/// (ascending, `values[0..n]`) and unit eigenvectors (rows of `vectors`, `n×n`), and the third
/// directional derivative `D³f[v, v, v]` along each eigenvector in `third[0..n]` (how fast the
/// curvature changes walking out along it; 5 evaluations each). `work`: 3n² + 3n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_curvature_stability_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    values: *mut f32,
    vectors: *mut f32,
    third: *mut f32,
) -> i32 {
    status(unsafe { curvature_stability(f, ctx, x, n, work, values, vectors, third) })
}

/// Curvature stability at `x[0..n]` (f64): the finite-difference Hessian's eigenvalues
/// (ascending, `values[0..n]`) and unit eigenvectors (rows of `vectors`, `n×n`), and the third
/// directional derivative `D³f[v, v, v]` along each eigenvector in `third[0..n]` (how fast the
/// curvature changes walking out along it; 5 evaluations each). `work`: 3n² + 3n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_curvature_stability_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    values: *mut f64,
    vectors: *mut f64,
    third: *mut f64,
) -> i32 {
    status(unsafe { curvature_stability(f, ctx, x, n, work, values, vectors, third) })
}

/// The `k ≤ n` largest-magnitude Hessian eigenvalues at `x[0..n]` (f32) by power iteration
/// with deflation on Hessian–vector products from the gradient callback `g` (two calls each):
/// `values[0..k]` in decreasing magnitude, unit eigenvectors as rows of `vectors` (`k×n`).
/// Each vector iterates until the Rayleigh quotient moves by at most `tol·|λ|` or `max_iter`
/// products; start vectors come from `*rng`. `*products` (may be NULL) receives the products
/// used. `work`: 4n + k + k·n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_top_eigen_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    k: usize,
    max_iter: usize,
    tol: f32,
    rng: *mut SplitMix64,
    work: *mut f32,
    values: *mut f32,
    vectors: *mut f32,
    products: *mut usize,
) -> i32 {
    status(unsafe {
        top_eigen(
            g, ctx, x, n, k, max_iter, tol, rng, work, values, vectors, products,
        )
    })
}

/// The `k ≤ n` largest-magnitude Hessian eigenvalues at `x[0..n]` (f64) by power iteration
/// with deflation on Hessian–vector products from the gradient callback `g` (two calls each):
/// `values[0..k]` in decreasing magnitude, unit eigenvectors as rows of `vectors` (`k×n`).
/// Each vector iterates until the Rayleigh quotient moves by at most `tol·|λ|` or `max_iter`
/// products; start vectors come from `*rng`. `*products` (may be NULL) receives the products
/// used. `work`: 4n + k + k·n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_top_eigen_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    k: usize,
    max_iter: usize,
    tol: f64,
    rng: *mut SplitMix64,
    work: *mut f64,
    values: *mut f64,
    vectors: *mut f64,
    products: *mut usize,
) -> i32 {
    status(unsafe {
        top_eigen(
            g, ctx, x, n, k, max_iter, tol, rng, work, values, vectors, products,
        )
    })
}

/// Hutchinson's estimate of the Hessian trace at `x[0..n]` (f32): the mean of `zᵀHz` over
/// `probes` Rademacher vectors `z` drawn from `*rng`, each product from two calls of the
/// gradient callback `g`, with its standard error, into `*out`. Exact for a diagonal Hessian.
/// `work`: 4n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hutchinson_trace_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    probes: usize,
    rng: *mut SplitMix64,
    work: *mut f32,
    out: *mut TraceEstimate<f32>,
) -> i32 {
    status(unsafe { hutchinson_trace(g, ctx, x, n, probes, rng, work, out) })
}

/// Hutchinson's estimate of the Hessian trace at `x[0..n]` (f64): the mean of `zᵀHz` over
/// `probes` Rademacher vectors `z` drawn from `*rng`, each product from two calls of the
/// gradient callback `g`, with its standard error, into `*out`. Exact for a diagonal Hessian.
/// `work`: 4n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hutchinson_trace_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    probes: usize,
    rng: *mut SplitMix64,
    work: *mut f64,
    out: *mut TraceEstimate<f64>,
) -> i32 {
    status(unsafe { hutchinson_trace(g, ctx, x, n, probes, rng, work, out) })
}

/// A 1-D loss slice (f32): `out[k] = f(x + t_k·d)` for `m` values `t_k` evenly spaced over
/// `[t0, t1]` (both included; `t0` alone when `m` = 1). NaN/Inf values of `f` are stored as
/// they are and counted in `*nonfinite` (may be NULL). `work`: n floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_slice_1d_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    d: *const f32,
    n: usize,
    t0: f32,
    t1: f32,
    work: *mut f32,
    out: *mut f32,
    m: usize,
    nonfinite: *mut usize,
) -> i32 {
    status(unsafe { slice_1d(f, ctx, x, d, n, t0, t1, work, out, m, nonfinite) })
}

/// A 1-D loss slice (f64): `out[k] = f(x + t_k·d)` for `m` values `t_k` evenly spaced over
/// `[t0, t1]` (both included; `t0` alone when `m` = 1). NaN/Inf values of `f` are stored as
/// they are and counted in `*nonfinite` (may be NULL). `work`: n doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_slice_1d_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    d: *const f64,
    n: usize,
    t0: f64,
    t1: f64,
    work: *mut f64,
    out: *mut f64,
    m: usize,
    nonfinite: *mut usize,
) -> i32 {
    status(unsafe { slice_1d(f, ctx, x, d, n, t0, t1, work, out, m, nonfinite) })
}

/// A 2-D loss slice (f32), row-major `out[i·cols + j] = f(x + s_i·d1 + t_j·d2)` with `rows`
/// values `s_i` over `[s0, s1]` and `cols` values `t_j` over `[t0, t1]`, evenly spaced. NaN/Inf
/// values of `f` are stored as they are and counted in `*nonfinite` (may be NULL). `work`: n
/// floats.
#[no_mangle]
pub unsafe extern "C" fn lossmap_slice_2d_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    d1: *const f32,
    d2: *const f32,
    n: usize,
    s0: f32,
    s1: f32,
    t0: f32,
    t1: f32,
    rows: usize,
    cols: usize,
    work: *mut f32,
    out: *mut f32,
    nonfinite: *mut usize,
) -> i32 {
    status(unsafe {
        slice_2d(
            f,
            ctx,
            x,
            d1,
            d2,
            n,
            (s0, s1),
            (t0, t1),
            rows,
            cols,
            work,
            out,
            nonfinite,
        )
    })
}

/// A 2-D loss slice (f64), row-major `out[i·cols + j] = f(x + s_i·d1 + t_j·d2)` with `rows`
/// values `s_i` over `[s0, s1]` and `cols` values `t_j` over `[t0, t1]`, evenly spaced. NaN/Inf
/// values of `f` are stored as they are and counted in `*nonfinite` (may be NULL). `work`: n
/// doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_slice_2d_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    d1: *const f64,
    d2: *const f64,
    n: usize,
    s0: f64,
    s1: f64,
    t0: f64,
    t1: f64,
    rows: usize,
    cols: usize,
    work: *mut f64,
    out: *mut f64,
    nonfinite: *mut usize,
) -> i32 {
    status(unsafe {
        slice_2d(
            f,
            ctx,
            x,
            d1,
            d2,
            n,
            (s0, s1),
            (t0, t1),
            rows,
            cols,
            work,
            out,
            nonfinite,
        )
    })
}

/// A random unit direction (standard normal from `*rng`, normalized) into `out[0..n]` (f32).
/// No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_random_direction_f32(
    rng: *mut SplitMix64,
    out: *mut f32,
    n: usize,
) -> i32 {
    status(unsafe { random_direction(rng, out, n) })
}

/// A random unit direction (standard normal from `*rng`, normalized) into `out[0..n]` (f64).
/// No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_random_direction_f64(
    rng: *mut SplitMix64,
    out: *mut f64,
    n: usize,
) -> i32 {
    status(unsafe { random_direction(rng, out, n) })
}

/// Filter normalization (Li et al., NeurIPS 2018) of the direction `d[0..n]` in place (f32):
/// each group of consecutive coordinates (sizes `groups[0..ngroups]`, non-zero, summing to n;
/// `ngroups` = 0 means one group and `groups` may be NULL) is rescaled to the norm of the same
/// group of `x`; a group where `x` is zero becomes zero. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_filter_normalize_f32(
    x: *const f32,
    n: usize,
    groups: *const usize,
    ngroups: usize,
    d: *mut f32,
) -> i32 {
    status(unsafe { filter_normalize(x, n, groups, ngroups, d) })
}

/// Filter normalization (Li et al., NeurIPS 2018) of the direction `d[0..n]` in place (f64):
/// each group of consecutive coordinates (sizes `groups[0..ngroups]`, non-zero, summing to n;
/// `ngroups` = 0 means one group and `groups` may be NULL) is rescaled to the norm of the same
/// group of `x`; a group where `x` is zero becomes zero. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_filter_normalize_f64(
    x: *const f64,
    n: usize,
    groups: *const usize,
    ngroups: usize,
    d: *mut f64,
) -> i32 {
    status(unsafe { filter_normalize(x, n, groups, ngroups, d) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn point_constants_match_the_rust_codes() {
        let pairs = [
            (LOSSMAP_POINT_NOT_CRITICAL, CriticalPoint::NotCritical),
            (LOSSMAP_POINT_MINIMUM, CriticalPoint::Minimum),
            (LOSSMAP_POINT_MAXIMUM, CriticalPoint::Maximum),
            (LOSSMAP_POINT_SADDLE, CriticalPoint::Saddle { index: 2 }),
            (
                LOSSMAP_POINT_DEGENERATE,
                CriticalPoint::Degenerate {
                    zero: 1,
                    negative: 1,
                },
            ),
            (
                LOSSMAP_POINT_UNDECIDED,
                CriticalPoint::Undecided {
                    uncertain: 1,
                    negative: 0,
                },
            ),
        ];
        for (c, k) in pairs {
            assert_eq!(c, k.code(), "{k:?}");
        }
        let all = [
            LOSSMAP_POINT_NOT_CRITICAL,
            LOSSMAP_POINT_MINIMUM,
            LOSSMAP_POINT_MAXIMUM,
            LOSSMAP_POINT_SADDLE,
            LOSSMAP_POINT_DEGENERATE,
            LOSSMAP_POINT_UNDECIDED,
        ];
        assert_eq!(all, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn checked_work_length_is_the_kernels() {
        for n in 0..20 {
            assert_eq!(work::hessian_analysis(n), Ok(kernel::convex_work_len(n)));
        }
        assert_eq!(
            work::hessian_analysis(usize::MAX / 2),
            Err(Error::LengthMismatch)
        );
    }

    fn himmelblau(x: &[f64; 2]) -> f64 {
        let (a, b) = (x[0] * x[0] + x[1] - 11.0, x[0] + x[1] * x[1] - 7.0);
        a * a + b * b
    }

    unsafe extern "C" fn himmelblau_c(x: *const f64, n: usize, ctx: *mut c_void) -> f64 {
        // SAFETY: lossmap passes `n` = 2 valid values; `ctx` counts the calls.
        let v = unsafe { core::slice::from_raw_parts(x, n) };
        if let Some(calls) = unsafe { (ctx as *mut usize).as_mut() } {
            *calls += 1;
        }
        himmelblau(&[v[0], v[1]])
    }

    /// The one-call C classification is the Rust `classify_at` (same kernels, bit for bit) at
    /// every critical point of Himmelblau's function.
    #[test]
    fn classify_at_is_the_rust_classify_at() {
        use crate::testfn::Himmelblau;
        let tol = Tolerance::<f64>::default();
        let points = Himmelblau::MINIMA
            .iter()
            .map(|p| (p, LOSSMAP_POINT_MINIMUM, 0))
            .chain(
                Himmelblau::SADDLES
                    .iter()
                    .map(|p| (p, LOSSMAP_POINT_SADDLE, 1)),
            )
            .chain([(&Himmelblau::MAXIMUM, LOSSMAP_POINT_MAXIMUM, 2)]);
        for (x, kind, negative) in points {
            let mut work = [0.0; 18];
            let mut point = LossmapCriticalPoint::default();
            let mut summary = CurvatureSummary {
                min: 0.0,
                max: 0.0,
                trace: 0.0,
                condition: 0.0,
                log_det: 0.0,
            };
            let mut calls = 0usize;
            let status = unsafe {
                lossmap_classify_at_f64(
                    Some(himmelblau_c),
                    &mut calls as *mut usize as *mut c_void,
                    x.as_ptr(),
                    2,
                    &tol,
                    work.as_mut_ptr(),
                    &mut point,
                    &mut summary,
                )
            };
            assert_eq!(status, 0, "{x:?}");
            assert_eq!(
                (point.kind, point.negative, point.zero),
                (kind, negative, 0)
            );
            let (rust_kind, c) = kernel::classify_at(&mut himmelblau, x, &tol).unwrap();
            assert_eq!(point, LossmapCriticalPoint::of(rust_kind, 2));
            // Bit for bit, except that every NaN is one (its sign is not specified: Miri
            // chooses it at random, as the language allows).
            let bits = |s: &CurvatureSummary<f64>| {
                [s.min, s.max, s.trace, s.condition, s.log_det].map(|v| {
                    if v.is_nan() {
                        u64::MAX
                    } else {
                        v.to_bits()
                    }
                })
            };
            assert_eq!(bits(&summary), bits(&c.summary), "{x:?}");
            // 2n for the gradient, n² + n + 1 for the Hessian, 1 for the loss at x (the scale
            // of the rounding bounds), n² + n for the Hessian at twice the steps (the
            // truncation estimate at a critical point).
            assert_eq!(calls, 4 + 7 + 1 + 6);
        }
    }

    #[test]
    fn classify_counts() {
        let tol = lossmap_tolerance_default_f64();
        let mut out = LossmapCriticalPoint::default();
        let vals = [-3.0, -1.0, 1e-12, 2.0];
        assert_eq!(
            unsafe { lossmap_classify_f64(vals.as_ptr(), 4, 0.0, &tol, &mut out) },
            0
        );
        assert_eq!(
            out,
            LossmapCriticalPoint {
                kind: LOSSMAP_POINT_DEGENERATE,
                negative: 2,
                zero: 1
            }
        );
        let vals = [-3.0, -1.0];
        assert_eq!(
            unsafe { lossmap_classify_f64(vals.as_ptr(), 2, 0.0, &tol, &mut out) },
            0
        );
        assert_eq!(
            (out.kind, out.negative, out.zero),
            (LOSSMAP_POINT_MAXIMUM, 2, 0)
        );
        let bad = Tolerance { grad: -1.0, ..tol };
        assert_eq!(
            unsafe { lossmap_classify_f64(vals.as_ptr(), 2, 0.0, &bad, &mut out) },
            Error::InvalidParameter.code()
        );
        assert_eq!((out.kind, out.negative), (LOSSMAP_POINT_MAXIMUM, 2));
    }

    #[test]
    fn rng_seed_and_fill_bytes() {
        let mut r = SplitMix64::new(99);
        assert_eq!(unsafe { lossmap_rng_seed(&mut r, 0) }, 0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut a = SplitMix64::new(5);
        let mut b = a;
        let mut bytes = [0u8; 11];
        a.fill_bytes(&mut bytes);
        let (w0, w1) = (b.next_u64().to_le_bytes(), b.next_u64().to_le_bytes());
        assert_eq!(bytes[..8], w0);
        assert_eq!(bytes[8..], w1[..3]);
        assert_eq!(
            unsafe { lossmap_rng_seed(core::ptr::null_mut(), 1) },
            Error::NullPointer.code()
        );
    }

    unsafe extern "C" fn nan_after_two(x: *const f64, n: usize, ctx: *mut c_void) -> f64 {
        // SAFETY: `ctx` is the test's counter, `x` holds `n` values.
        let calls = unsafe { &mut *(ctx as *mut usize) };
        *calls += 1;
        let x = unsafe { core::slice::from_raw_parts(x, n) };
        if *calls > 2 {
            f64::NAN
        } else {
            x.iter().map(|v| v * v).sum()
        }
    }

    #[test]
    fn failing_callback_mid_run_changes_nothing() {
        let (lo, hi) = ([-1.0f64, -1.0], [1.0, 1.0]);
        let mut rng = SplitMix64::new(3);
        let mut work = [0.0f64; 3 * 4 + 4 * 2];
        let (mut wit, mut dir, mut curv, mut convex) = ([7.0; 2], [7.0; 2], 7.0, 7);
        let mut calls = 0usize;
        let code = unsafe {
            lossmap_convex_over_box_f64(
                Some(nan_after_two),
                &mut calls as *mut usize as *mut c_void,
                lo.as_ptr(),
                hi.as_ptr(),
                2,
                4,
                &mut rng,
                1e-6,
                work.as_mut_ptr(),
                wit.as_mut_ptr(),
                dir.as_mut_ptr(),
                &mut curv,
                &mut convex,
            )
        };
        assert_eq!(code, Error::NonFiniteLoss.code());
        assert_eq!((wit, dir, curv, convex), ([7.0; 2], [7.0; 2], 7.0, 7));
        assert_eq!(rng, SplitMix64::new(3));
        // Aliased outputs are refused before any call.
        let code = unsafe {
            lossmap_convex_over_box_f64(
                Some(nan_after_two),
                &mut calls as *mut usize as *mut c_void,
                lo.as_ptr(),
                hi.as_ptr(),
                2,
                4,
                &mut rng,
                1e-6,
                work.as_mut_ptr(),
                work.as_mut_ptr(),
                dir.as_mut_ptr(),
                &mut curv,
                &mut convex,
            )
        };
        assert_eq!(code, Error::Aliased.code());
    }
}
