//! C entry points for the adaptive finite differences with error bounds. Each copies `x` into
//! caller scratch, computes into scratch, and copies the results (and their error bounds) out
//! only on success, so `x` and every output are untouched on every error.
//!
//! A non-finite loss at a trial step makes the step smaller (a barrier crossed) instead of
//! failing: `LOSSMAP_ERR_LOSS_NON_FINITE` only when the loss at `x`, or at every step tried, is
//! not finite. Likewise a gradient callback that fails or returns a non-finite value at a
//! trial step makes the step smaller: `LOSSMAP_ERR_GRAD_NON_FINITE` only when no window of
//! steps along a line succeeds.
//!
//! Counts: `evals` receives the loss evaluations (value-based entry points), `calls` the
//! gradient calls (gradient-based ones; a C gradient callback does not report loss evaluations).

use super::diff::{c_grad, CLoss, LossFn};
use super::ptr::{check, copy, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_grad_f32, lossmap_grad_f64, lossmap_loss_f32, lossmap_loss_f64};
use crate::diff::{self, Accuracy, DirectionalEstimate};
use crate::error::check_finite;
use crate::{Error, Real};
use core::ffi::c_void;

/// `accuracy` of the `_ex` entry points: the adaptive walk alone (as the entry points without
/// `_ex`), about `6n` evaluations for a gradient.
pub const LOSSMAP_ACCURACY_FAST: i32 = 0;
/// `accuracy` of the `_ex` entry points: the walk, then the error of the returned
/// extrapolation measured with up to three larger steps for each entry whose bound is above
/// 4·ε^(6/(6+d)) of its scale (d the derivative's order); over a hard test set this lowers the
/// f64 Hessian errors 5 to 30× for 1.5× the evaluations (gradients: 1.6×).
pub const LOSSMAP_ACCURACY_FULL: i32 = 1;

/// The [`Accuracy`] of a C `accuracy` argument; any other value is invalid.
fn accuracy_of(a: i32) -> Result<Accuracy, Error> {
    match a {
        LOSSMAP_ACCURACY_FAST => Ok(Accuracy::Fast),
        LOSSMAP_ACCURACY_FULL => Ok(Accuracy::Full),
        _ => Err(Error::InvalidParameter),
    }
}

/// Checks, in one [`check`]: the read-only inputs `ins` (`n` values each; the second may be
/// absent: NULL and [`OPTIONAL`]), `work`, the two outputs `out`, `err` (`out_len` each) and
/// the optional `count`, the written ones disjoint from every other (inputs may overlap each
/// other); then gives `work`, `out`, `err`.
///
/// # Safety
/// The pointers must be valid for their lengths (the C caller's contract).
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
unsafe fn buffers<'a, T: Real>(
    ins: [(*const T, u8); 2],
    n: usize,
    work: *mut T,
    work_len: usize,
    out: *mut T,
    err: *mut T,
    out_len: usize,
    count: *mut usize,
) -> Result<(&'a mut [T], &'a mut [T], &'a mut [T]), Error> {
    let [(a, af), (b, bf)] = ins;
    check(&mut [
        Arg::of(a, n, af),
        Arg::of(b, n, bf),
        Arg::of(work as *const T, work_len, WRITTEN),
        Arg::of(out as *const T, out_len, WRITTEN),
        Arg::of(err as *const T, out_len, WRITTEN),
        Arg::of(count as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    Ok(unsafe {
        (
            core::slice::from_raw_parts_mut(work, work_len),
            core::slice::from_raw_parts_mut(out, out_len),
            core::slice::from_raw_parts_mut(err, out_len),
        )
    })
}

/// The second input slot of [`buffers`] when there is none.
fn none<T>() -> (*const T, u8) {
    (core::ptr::null(), OPTIONAL)
}

/// Adaptive gradient: `work` = 3n (point, gradient, errors).
#[allow(clippy::too_many_arguments)]
unsafe fn gradient<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    accuracy: i32,
    work: *mut T,
    grad: *mut T,
    err: *mut T,
    evals: *mut usize,
) -> Result<(), Error> {
    let accuracy = accuracy_of(accuracy)?;
    let loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let len = work::gradient_adaptive(n).unwrap_or(usize::MAX);
    // SAFETY: caller's contract.
    let (work, grad, err) =
        unsafe { buffers([(x, READ), none()], n, work, len, grad, err, n, evals)? };
    // SAFETY: checked by `check` in `buffers` (read-only).
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    check_finite(x)?;
    let (point, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (g, e) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    copy(point, x);
    let used = diff::gradient_adaptive_with(&mut loss.closure(), point, g, e, accuracy)?;
    copy(grad, g);
    copy(err, e);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(evals, used) };
    Ok(())
}

/// Adaptive Hessian from values: `work` = n + 2n².
#[allow(clippy::too_many_arguments)]
unsafe fn hessian<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    accuracy: i32,
    work: *mut T,
    hess: *mut T,
    err: *mut T,
    evals: *mut usize,
) -> Result<(), Error> {
    let accuracy = accuracy_of(accuracy)?;
    let loss = CLoss::new(f, ctx)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let nn = mul_len(n, n);
    let len = work::hessian_adaptive(n).unwrap_or(usize::MAX);
    // SAFETY: caller's contract.
    let (work, hess, err) =
        unsafe { buffers([(x, READ), none()], n, work, len, hess, err, nn, evals)? };
    // SAFETY: checked by `check` in `buffers` (read-only).
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    check_finite(x)?;
    let (point, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (h, e) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    copy(point, x);
    let used = diff::hessian_adaptive_with(&mut loss.closure(), point, h, e, accuracy)?;
    copy(hess, h);
    copy(err, e);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(evals, used) };
    Ok(())
}

/// Adaptive Hessian from the gradient callback: `work` = 10n + 2n² (`ex`: 12n + 2n², valid for
/// both accuracies).
#[allow(clippy::too_many_arguments)]
unsafe fn hessian_from_gradient<T: Real>(
    g: Option<super::diff::GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    accuracy: i32,
    ex: bool,
    work: *mut T,
    hess: *mut T,
    err: *mut T,
    calls: *mut usize,
) -> Result<(), Error> {
    let accuracy = accuracy_of(accuracy)?;
    let mut grad = c_grad(g, ctx)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let nn = mul_len(n, n);
    let len = if ex {
        work::hessian_from_gradient_adaptive_ex(n)
    } else {
        work::hessian_from_gradient_adaptive(n)
    }
    .unwrap_or(usize::MAX);
    // SAFETY: caller's contract.
    let (work, hess, err) =
        unsafe { buffers([(x, READ), none()], n, work, len, hess, err, nn, calls)? };
    // SAFETY: checked by `check` in `buffers` (read-only).
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    check_finite(x)?;
    let (h, rest) = work.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    let (e, line) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
    let used = diff::hessian_from_gradient_adaptive_with(&mut grad, x, h, e, line, accuracy)?;
    copy(hess, h);
    copy(err, e);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(calls, used.gradients) };
    Ok(())
}

/// Adaptive Hessian–vector product: `work` = 12n (`ex`: 14n, valid for both accuracies).
#[allow(clippy::too_many_arguments)]
unsafe fn hvp<T: Real>(
    g: Option<super::diff::GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    v: *const T,
    n: usize,
    accuracy: i32,
    ex: bool,
    work: *mut T,
    out: *mut T,
    err: *mut T,
    calls: *mut usize,
) -> Result<(), Error> {
    let accuracy = accuracy_of(accuracy)?;
    let mut grad = c_grad(g, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let len = if ex {
        work::hvp_adaptive_ex(n)
    } else {
        work::hvp_adaptive(n)
    }
    .unwrap_or(usize::MAX);
    // SAFETY: caller's contract.
    let (work, out, err) =
        unsafe { buffers([(x, READ), (v, READ)], n, work, len, out, err, n, calls)? };
    // SAFETY: checked by `check` in `buffers` (read-only).
    let (x, v) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts(v, n),
        )
    };
    let (o, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (e, line) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let used = diff::hvp_adaptive_with(&mut grad, x, v, o, e, line, accuracy)?;
    copy(out, o);
    copy(err, e);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(calls, used.gradients) };
    Ok(())
}

/// Adaptive directional derivatives: `work` = n.
#[allow(clippy::too_many_arguments)]
unsafe fn directional<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    d: *const T,
    n: usize,
    accuracy: i32,
    work: *mut T,
    out: *mut DirectionalEstimate<T>,
) -> Result<(), Error> {
    let accuracy = accuracy_of(accuracy)?;
    let loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wl = work::directional_adaptive(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(d, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(out as *const DirectionalEstimate<T>, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`; caller's contract.
    let (x, d, work, out) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts(d, n),
            core::slice::from_raw_parts_mut(work, wl),
            super::ptr::deref_mut(out)?,
        )
    };
    *out = diff::directional_adaptive_with(&mut loss.closure(), x, d, work, accuracy)?;
    Ok(())
}

/// Adaptive gradient of `f` at `x[0..n]` (f32) into `grad[0..n]`, with an error bound per
/// component in `err[0..n]`: Richardson extrapolation over a moving window of steps (typically
/// 1 + 6n evaluations). `work`: 3n; `evals` (may be NULL) receives the loss evaluations. On
/// error `x`, `grad` and `err` are unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_adaptive_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    grad: *mut f32,
    err: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient(f, ctx, x, n, LOSSMAP_ACCURACY_FAST, work, grad, err, evals) })
}

/// Adaptive gradient of `f` at `x[0..n]` (f64) into `grad[0..n]`, with an error bound per
/// component in `err[0..n]` (typically 1 + 6n evaluations). `work`: 3n; `evals` (may be NULL)
/// receives the loss evaluations. On error `x`, `grad` and `err` are unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_adaptive_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    grad: *mut f64,
    err: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient(f, ctx, x, n, LOSSMAP_ACCURACY_FAST, work, grad, err, evals) })
}

/// Adaptive Hessian of `f` from values (f32) into `hess` (n×n row-major), with an error bound
/// per entry in `err` (n×n); typically 1 + 6n + 6n(n−1) evaluations. `work`: n + 2n²; `evals`
/// (may be NULL) receives the loss evaluations. On error the outputs are unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_adaptive_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    hess: *mut f32,
    err: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian(f, ctx, x, n, LOSSMAP_ACCURACY_FAST, work, hess, err, evals) })
}

/// Adaptive Hessian of `f` from values (f64) into `hess` (n×n row-major), with an error bound
/// per entry in `err` (n×n). `work`: n + 2n²; `evals` (may be NULL) receives the loss
/// evaluations. On error the outputs are unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_adaptive_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    hess: *mut f64,
    err: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian(f, ctx, x, n, LOSSMAP_ACCURACY_FAST, work, hess, err, evals) })
}

/// Adaptive Hessian from the gradient callback `g` (f32), symmetrized, with an error bound per
/// entry in `err`; typically 6n gradient calls. `work`: 10n + 2n²; `calls` (may be NULL)
/// receives the gradient calls. A gradient failing at a trial step makes the step smaller. On
/// error the outputs are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_adaptive_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    hess: *mut f32,
    err: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe {
        hessian_from_gradient(
            g,
            ctx,
            x,
            n,
            LOSSMAP_ACCURACY_FAST,
            false,
            work,
            hess,
            err,
            calls,
        )
    })
}

/// Adaptive Hessian from the gradient callback `g` (f64), symmetrized, with an error bound per
/// entry in `err`. `work`: 10n + 2n²; `calls` (may be NULL) receives the gradient calls. On
/// error the outputs are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_adaptive_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    hess: *mut f64,
    err: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe {
        hessian_from_gradient(
            g,
            ctx,
            x,
            n,
            LOSSMAP_ACCURACY_FAST,
            false,
            work,
            hess,
            err,
            calls,
        )
    })
}

/// Adaptive Hessian–vector product `H(x)·v` from the gradient callback (f32), with an error
/// bound per entry in `err[0..n]`; typically 6 gradient calls. `work`: 12n; `calls` (may be
/// NULL) receives the gradient calls. A gradient failing at a trial step makes the step smaller. On
/// error the outputs are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_adaptive_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    v: *const f32,
    n: usize,
    work: *mut f32,
    out: *mut f32,
    err: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe {
        hvp(
            g,
            ctx,
            x,
            v,
            n,
            LOSSMAP_ACCURACY_FAST,
            false,
            work,
            out,
            err,
            calls,
        )
    })
}

/// Adaptive Hessian–vector product `H(x)·v` from the gradient callback (f64), with an error
/// bound per entry in `err[0..n]`. `work`: 12n; `calls` (may be NULL) receives the gradient
/// calls. On error the outputs are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_adaptive_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    v: *const f64,
    n: usize,
    work: *mut f64,
    out: *mut f64,
    err: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe {
        hvp(
            g,
            ctx,
            x,
            v,
            n,
            LOSSMAP_ACCURACY_FAST,
            false,
            work,
            out,
            err,
            calls,
        )
    })
}

/// Adaptive first and second derivatives of `f` along `d` at `x` (f32), with error bounds.
/// `work`: n. On error `*out` is unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_adaptive_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    d: *const f32,
    n: usize,
    work: *mut f32,
    out: *mut DirectionalEstimate<f32>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, LOSSMAP_ACCURACY_FAST, work, out) })
}

/// Adaptive first and second derivatives of `f` along `d` at `x` (f64), with error bounds.
/// `work`: n. On error `*out` is unchanged.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_adaptive_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    d: *const f64,
    n: usize,
    work: *mut f64,
    out: *mut DirectionalEstimate<f64>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, LOSSMAP_ACCURACY_FAST, work, out) })
}

/// As `lossmap_gradient_adaptive_f32`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`: 3n.
/// `LOSSMAP_ACCURACY_FULL` uses at most 1 + 30n evaluations.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_adaptive_ex_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    accuracy: i32,
    work: *mut f32,
    grad: *mut f32,
    err: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient(f, ctx, x, n, accuracy, work, grad, err, evals) })
}

/// As `lossmap_gradient_adaptive_f64`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`: 3n.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_adaptive_ex_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    accuracy: i32,
    work: *mut f64,
    grad: *mut f64,
    err: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient(f, ctx, x, n, accuracy, work, grad, err, evals) })
}

/// As `lossmap_hessian_adaptive_f32`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`:
/// n + 2n².
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_adaptive_ex_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    accuracy: i32,
    work: *mut f32,
    hess: *mut f32,
    err: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian(f, ctx, x, n, accuracy, work, hess, err, evals) })
}

/// As `lossmap_hessian_adaptive_f64`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`:
/// n + 2n².
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_adaptive_ex_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    accuracy: i32,
    work: *mut f64,
    hess: *mut f64,
    err: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian(f, ctx, x, n, accuracy, work, hess, err, evals) })
}

/// As `lossmap_directional_adaptive_f32`, at the accuracy `accuracy`
/// (`LOSSMAP_ACCURACY_FAST` or `LOSSMAP_ACCURACY_FULL`; any other value is
/// `LOSSMAP_ERR_PARAM`). `work`: n.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_adaptive_ex_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    d: *const f32,
    n: usize,
    accuracy: i32,
    work: *mut f32,
    out: *mut DirectionalEstimate<f32>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, accuracy, work, out) })
}

/// As `lossmap_directional_adaptive_f64`, at the accuracy `accuracy`
/// (`LOSSMAP_ACCURACY_FAST` or `LOSSMAP_ACCURACY_FULL`; any other value is
/// `LOSSMAP_ERR_PARAM`). `work`: n.
/// A non-finite loss at a trial step makes the step smaller (a barrier crossed).
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_adaptive_ex_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    d: *const f64,
    n: usize,
    accuracy: i32,
    work: *mut f64,
    out: *mut DirectionalEstimate<f64>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, accuracy, work, out) })
}

/// As `lossmap_hessian_from_gradient_adaptive_f32`, at the accuracy `accuracy`
/// (`LOSSMAP_ACCURACY_FAST` or `LOSSMAP_ACCURACY_FULL`; any other value is
/// `LOSSMAP_ERR_PARAM`). `work`: 12n + 2n² for either accuracy. `LOSSMAP_ACCURACY_FULL` refines
/// each column, judged on its largest entry, where its worst bound exceeds 4·ε^(6/7) of it; at
/// most 36 gradient calls per column.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_adaptive_ex_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    accuracy: i32,
    work: *mut f32,
    hess: *mut f32,
    err: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hessian_from_gradient(g, ctx, x, n, accuracy, true, work, hess, err, calls) })
}

/// As `lossmap_hessian_from_gradient_adaptive_f64`, at the accuracy `accuracy`
/// (`LOSSMAP_ACCURACY_FAST` or `LOSSMAP_ACCURACY_FULL`; any other value is
/// `LOSSMAP_ERR_PARAM`). `work`: 12n + 2n² for either accuracy. `LOSSMAP_ACCURACY_FULL` refines
/// each column, judged on its largest entry, where its worst bound exceeds 4·ε^(6/7) of it; at
/// most 36 gradient calls per column.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_adaptive_ex_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    accuracy: i32,
    work: *mut f64,
    hess: *mut f64,
    err: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hessian_from_gradient(g, ctx, x, n, accuracy, true, work, hess, err, calls) })
}

/// As `lossmap_hvp_adaptive_f32`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`: 14n for either
/// accuracy. `LOSSMAP_ACCURACY_FULL` refines the product, judged on its largest entry, where
/// its worst bound exceeds 4·ε^(6/7) of it; at most 36 gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_adaptive_ex_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    v: *const f32,
    n: usize,
    accuracy: i32,
    work: *mut f32,
    out: *mut f32,
    err: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hvp(g, ctx, x, v, n, accuracy, true, work, out, err, calls) })
}

/// As `lossmap_hvp_adaptive_f64`, at the accuracy `accuracy` (`LOSSMAP_ACCURACY_FAST` or
/// `LOSSMAP_ACCURACY_FULL`; any other value is `LOSSMAP_ERR_PARAM`). `work`: 14n for either
/// accuracy. `LOSSMAP_ACCURACY_FULL` refines the product, judged on its largest entry, where
/// its worst bound exceeds 4·ε^(6/7) of it; at most 36 gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_adaptive_ex_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    v: *const f64,
    n: usize,
    accuracy: i32,
    work: *mut f64,
    out: *mut f64,
    err: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hvp(g, ctx, x, v, n, accuracy, true, work, out, err, calls) })
}
