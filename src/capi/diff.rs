//! C entry points for finite-difference derivatives. Each copies `x` into caller scratch,
//! computes into scratch, and copies the result out only on success, so `x` and the output are
//! untouched on every error.

use super::ptr::{check, copy, mul, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_grad_f32, lossmap_grad_f64, lossmap_loss_f32, lossmap_loss_f64};
use crate::diff::{self, Directional, GradientKernel};
use crate::error::check_finite;
use crate::objective::SliceObjective;
use crate::{Error, Real};
use core::ffi::c_void;

pub(crate) type LossFn<T> = unsafe extern "C" fn(*const T, usize, *mut c_void) -> T;
pub(crate) type GradFn<T> = unsafe extern "C" fn(*const T, usize, *mut T, *mut c_void) -> i32;

/// The C loss callback seen as a [`SliceObjective`], differentiated by central differences.
pub(crate) struct CLoss<T: Real> {
    f: LossFn<T>,
    ctx: *mut c_void,
}

impl<T: Real> CLoss<T> {
    pub(crate) fn new(f: Option<LossFn<T>>, ctx: *mut c_void) -> Result<Self, Error> {
        f.map(|f| CLoss { f, ctx }).ok_or(Error::NullPointer)
    }
    /// The callback as a slice closure.
    pub(crate) fn closure(&self) -> impl FnMut(&[T]) -> T {
        let (f, ctx) = (self.f, self.ctx);
        // SAFETY: the caller's callback, given a valid pointer to `s.len()` values.
        move |s: &[T]| unsafe { f(s.as_ptr(), s.len(), ctx) }
    }
}

impl<T: Real> SliceObjective<T> for CLoss<T> {
    fn value(&mut self, x: &[T]) -> T {
        self.closure()(x)
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        diff::central_gradient(&mut self.closure(), x, g)
    }
}

/// The C gradient callback as a slice closure; a non-zero return is a failed gradient.
pub(crate) fn c_grad<T: Real>(
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
) -> Result<impl FnMut(&mut [T], &mut [T]) -> Result<usize, Error>, Error> {
    let g = g.ok_or(Error::NullPointer)?;
    // SAFETY: the caller's callback, given valid pointers to `p.len()` values each.
    Ok(move |p: &mut [T], out: &mut [T]| {
        match unsafe { g(p.as_ptr(), p.len(), out.as_mut_ptr(), ctx) } {
            0 => Ok(0),
            _ => Err(Error::NonFiniteGradient),
        }
    })
}

/// Checked `x` (n), `work` (`work_len` ≥ n) and `out` (`out_len`), pairwise disjoint, as
/// slices, `work` split into the point (its first n values) and the rest; the optional count
/// `count` (NULL or aligned) must be disjoint from all three. With `SEED`, `x` is checked
/// finite and copied into the point (before that, nothing is written).
///
/// # Safety
/// The pointers must be valid for their lengths (the C caller's contract).
unsafe fn buffers<'a, T: Real, const SEED: bool>(
    x: *const T,
    n: usize,
    work: *mut T,
    work_len: usize,
    out: *mut T,
    out_len: usize,
    count: *mut usize,
) -> Result<(&'a [T], &'a mut [T], &'a mut [T], &'a mut [T]), Error> {
    // One check: the written buffers apart from each other and from x.
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(work as *const T, work_len, WRITTEN),
        Arg::of(out as *const T, out_len, WRITTEN),
        Arg::of(count as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    let rest = work_len.checked_sub(n).ok_or(Error::LengthMismatch)?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`; the point and the rest
    // are the two disjoint parts of `work` (`n + rest = work_len`); validity is the caller's
    // contract.
    let (x, point, rest, out) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(work, n),
            core::slice::from_raw_parts_mut(work.add(n), rest),
            core::slice::from_raw_parts_mut(out, out_len),
        )
    };
    if SEED {
        check_finite(x)?;
        copy(point, x);
    }
    Ok((x, point, rest, out))
}

/// Any value-based gradient kernel: `work` = 2n (point, result).
unsafe fn gradient<T: Real>(
    kernel: GradientKernel<T>,
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    work: *mut T,
    grad: *mut T,
    evals: *mut usize,
) -> Result<(), Error> {
    let loss = CLoss::new(f, ctx)?;
    // SAFETY: caller's contract.
    let (_, point, out, grad) =
        unsafe { buffers::<T, true>(x, n, work, work::gradient(n)?, grad, n, evals)? };
    let used = kernel(&mut loss.closure(), point, out)?;
    copy(grad, out);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(evals, used) };
    Ok(())
}

/// Value-based Hessian, plain (`work` = n + n²) or Richardson (`work` = n + 2n²).
///
/// `RICHARDSON` is a const parameter so that each entry point links only its own scheme.
unsafe fn hessian<T: Real, const RICHARDSON: bool>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    work: *mut T,
    hess: *mut T,
    evals: *mut usize,
) -> Result<(), Error> {
    let loss = CLoss::new(f, ctx)?;
    let nn = mul(n, n)?;
    let len = work::hessian(n, RICHARDSON)?;
    // SAFETY: caller's contract.
    let (_, point, rest, hess) = unsafe { buffers::<T, true>(x, n, work, len, hess, nn, evals)? };
    let mut fx = loss.closure();
    let used = if RICHARDSON {
        let (out, scratch) = rest.split_at_mut_checked(nn).ok_or(Error::LengthMismatch)?;
        let e = diff::hessian_richardson(&mut fx, point, out, scratch)?;
        copy(hess, out);
        e
    } else {
        // Into the rest of work (n² values), copied out only on success.
        let e = diff::hessian(&mut fx, point, rest)?;
        copy(hess, rest);
        e
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(evals, used) };
    Ok(())
}

/// Hessian from the gradient callback: `work` = 3n + n².
unsafe fn hessian_from_gradient<T: Real>(
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    work: *mut T,
    hess: *mut T,
    calls: *mut usize,
) -> Result<(), Error> {
    let mut grad = c_grad(g, ctx)?;
    let nn = mul(n, n)?;
    let len = work::hessian_from_gradient(n)?;
    // SAFETY: caller's contract.
    let (_, point, rest, hess) = unsafe { buffers::<T, true>(x, n, work, len, hess, nn, calls)? };
    let (gp, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (gm, out) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let used = diff::hessian_from_gradient(&mut grad, point, out, gp, gm)?;
    copy(hess, out);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(calls, used.gradients) };
    Ok(())
}

/// Hessian–vector product: `work` = 3n.
#[allow(clippy::too_many_arguments)]
unsafe fn hvp<T: Real>(
    g: Option<GradFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    v: *const T,
    n: usize,
    work: *mut T,
    out: *mut T,
    calls: *mut usize,
) -> Result<(), Error> {
    let mut grad = c_grad(g, ctx)?;
    // v first, as the checks always ran.
    check(&mut [Arg::of(v, n, READ)])?;
    // SAFETY: caller's contract (v is only read, so it may overlap x).
    let wl = work::hvp(n)?;
    let (x, point, rest, out) = unsafe { buffers::<T, false>(x, n, work, wl, out, n, calls)? };
    // v against the written ones (checked by `buffers`).
    check(&mut [
        Arg::of(v, n, READ),
        Arg::of(point.as_ptr(), wl, WRITTEN),
        Arg::of(out.as_ptr(), n, WRITTEN),
        Arg::of(calls as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized and apart from every written buffer by `check`.
    let v = unsafe { core::slice::from_raw_parts(v, n) };
    let (gm, res) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let used = diff::hvp(&mut grad, x, v, res, point, gm)?;
    copy(out, res);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(calls, used) };
    Ok(())
}

/// Directional derivatives: `work` = n.
unsafe fn directional<T: Real>(
    f: Option<LossFn<T>>,
    ctx: *mut c_void,
    x: *const T,
    d: *const T,
    n: usize,
    work: *mut T,
    out: *mut Directional<T>,
) -> Result<(), Error> {
    let loss = CLoss::new(f, ctx)?;
    let wl = work::directional(n).unwrap_or(usize::MAX);
    check(&mut [
        Arg::of(x, n, READ),
        Arg::of(d, n, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(out as *const Directional<T>, 1, WRITTEN),
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
    *out = diff::directional(&mut loss.closure(), x, d, work)?;
    Ok(())
}

/// `gᵀp + ½pᵀHp` and optionally the fidelity ratio.
unsafe fn model<'a, T: Real>(
    g: *const T,
    h: *const T,
    p: *const T,
    n: usize,
    out: *mut T,
) -> Result<(&'a [T], &'a [T], &'a [T]), Error> {
    let nn = mul_len(n, n);
    check(&mut [
        Arg::of(g, n, READ),
        Arg::of(h, nn, READ),
        Arg::of(p, n, READ),
        Arg::of(out as *const T, 1, WRITTEN),
    ])?;
    // SAFETY: read-only buffers, checked non-null, aligned and sized (and apart from `out`) by
    // `check`.
    Ok(unsafe {
        (
            core::slice::from_raw_parts(g, n),
            core::slice::from_raw_parts(h, nn),
            core::slice::from_raw_parts(p, n),
        )
    })
}

/// Central-difference gradient of `f` at `x[0..n]` into `grad[0..n]` (f32); `work`: 2n;
/// `evals` (may be NULL): 2n. On error `x` and `grad` are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_central_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    grad: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::central_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Central-difference gradient of `f` at `x[0..n]` into `grad[0..n]` (f64); `work`: 2n;
/// `evals` (may be NULL): 2n. On error `x` and `grad` are unchanged.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_central_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    grad: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::central_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Forward-difference gradient (f32), `O(h)`, n + 1 evaluations; `work`: 2n; `evals` (may be
/// NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_forward_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    grad: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::forward_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Forward-difference gradient (f64), `O(h)`, n + 1 evaluations; `work`: 2n; `evals` (may be
/// NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_forward_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    grad: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::forward_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Richardson-extrapolated central gradient (f32), `O(h⁴)`, 4n evaluations; `work`: 2n;
/// `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_richardson_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    grad: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::richardson_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Richardson-extrapolated central gradient (f64), `O(h⁴)`, 4n evaluations; `work`: 2n;
/// `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_gradient_richardson_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    grad: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe {
        gradient(
            |f, x, g| diff::richardson_gradient(f, x, g),
            f,
            ctx,
            x,
            n,
            work,
            grad,
            evals,
        )
    })
}

/// Hessian from values (f32), `O(h²)`, n² + n + 1 evaluations, into `hess` (n×n row-major);
/// `work`: n + n²; `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    hess: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian::<_, false>(f, ctx, x, n, work, hess, evals) })
}

/// Hessian from values (f64), `O(h²)`, n² + n + 1 evaluations, into `hess` (n×n row-major);
/// `work`: n + n²; `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    hess: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian::<_, false>(f, ctx, x, n, work, hess, evals) })
}

/// Richardson Hessian from values (f32), `O(h⁴)`, 2n² + 2n + 1 evaluations; `work`: n + 2n²;
/// `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_richardson_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    hess: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian::<_, true>(f, ctx, x, n, work, hess, evals) })
}

/// Richardson Hessian from values (f64), `O(h⁴)`, 2n² + 2n + 1 evaluations; `work`: n + 2n²;
/// `evals` (may be NULL) receives the evaluations.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_richardson_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    hess: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { hessian::<_, true>(f, ctx, x, n, work, hess, evals) })
}

/// Hessian from the gradient callback `g` (f32): 2n gradient calls, symmetrized; `work`:
/// 3n + n²; `calls` (may be NULL) receives the gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    hess: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hessian_from_gradient(g, ctx, x, n, work, hess, calls) })
}

/// Hessian from the gradient callback `g` (f64): 2n gradient calls, symmetrized; `work`:
/// 3n + n²; `calls` (may be NULL) receives the gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hessian_from_gradient_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    hess: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hessian_from_gradient(g, ctx, x, n, work, hess, calls) })
}

/// Hessian–vector product `H(x)·v` from two gradient calls (f32); `work`: 3n; `calls` (may be
/// NULL) receives the gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_f32(
    g: lossmap_grad_f32,
    ctx: *mut c_void,
    x: *const f32,
    v: *const f32,
    n: usize,
    work: *mut f32,
    out: *mut f32,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hvp(g, ctx, x, v, n, work, out, calls) })
}

/// Hessian–vector product `H(x)·v` from two gradient calls (f64); `work`: 3n; `calls` (may be
/// NULL) receives the gradient calls.
#[no_mangle]
pub unsafe extern "C" fn lossmap_hvp_f64(
    g: lossmap_grad_f64,
    ctx: *mut c_void,
    x: *const f64,
    v: *const f64,
    n: usize,
    work: *mut f64,
    out: *mut f64,
    calls: *mut usize,
) -> i32 {
    status(unsafe { hvp(g, ctx, x, v, n, work, out, calls) })
}

/// First, second and third derivatives of `f` along `d` at `x` (f32), 5 evaluations; `work`: n.
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    d: *const f32,
    n: usize,
    work: *mut f32,
    out: *mut Directional<f32>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, work, out) })
}

/// First, second and third derivatives of `f` along `d` at `x` (f64), 5 evaluations; `work`: n.
#[no_mangle]
pub unsafe extern "C" fn lossmap_directional_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    d: *const f64,
    n: usize,
    work: *mut f64,
    out: *mut Directional<f64>,
) -> i32 {
    status(unsafe { directional(f, ctx, x, d, n, work, out) })
}

/// The change `gᵀp + ½pᵀHp` the quadratic model predicts for the step `p` (f32).
#[no_mangle]
pub unsafe extern "C" fn lossmap_model_value_f32(
    g: *const f32,
    h: *const f32,
    p: *const f32,
    n: usize,
    out: *mut f32,
) -> i32 {
    status(
        unsafe { model(g, h, p, n, out) }
            .and_then(|(g, h, p)| diff::model_value(g, h, p))
            .and_then(|v| unsafe { super::ptr::deref_mut(out) }.map(|o| *o = v)),
    )
}

/// The change `gᵀp + ½pᵀHp` the quadratic model predicts for the step `p` (f64).
#[no_mangle]
pub unsafe extern "C" fn lossmap_model_value_f64(
    g: *const f64,
    h: *const f64,
    p: *const f64,
    n: usize,
    out: *mut f64,
) -> i32 {
    status(
        unsafe { model(g, h, p, n, out) }
            .and_then(|(g, h, p)| diff::model_value(g, h, p))
            .and_then(|v| unsafe { super::ptr::deref_mut(out) }.map(|o| *o = v)),
    )
}

/// Fidelity ratio `(f0 − f_new) / −(gᵀp + ½pᵀHp)` of a step (f32).
#[no_mangle]
pub unsafe extern "C" fn lossmap_fidelity_ratio_f32(
    f0: f32,
    f_new: f32,
    g: *const f32,
    h: *const f32,
    p: *const f32,
    n: usize,
    out: *mut f32,
) -> i32 {
    status(
        unsafe { model(g, h, p, n, out) }
            .and_then(|(g, h, p)| diff::fidelity_ratio(f0, f_new, g, h, p))
            .and_then(|v| unsafe { super::ptr::deref_mut(out) }.map(|o| *o = v)),
    )
}

/// Fidelity ratio `(f0 − f_new) / −(gᵀp + ½pᵀHp)` of a step (f64).
#[no_mangle]
pub unsafe extern "C" fn lossmap_fidelity_ratio_f64(
    f0: f64,
    f_new: f64,
    g: *const f64,
    h: *const f64,
    p: *const f64,
    n: usize,
    out: *mut f64,
) -> i32 {
    status(
        unsafe { model(g, h, p, n, out) }
            .and_then(|(g, h, p)| diff::fidelity_ratio(f0, f_new, g, h, p))
            .and_then(|v| unsafe { super::ptr::deref_mut(out) }.map(|o| *o = v)),
    )
}
