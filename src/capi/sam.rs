//! C entry points for sharpness-aware minimization (one SAM step with any optimizer) and
//! diagonal preconditioning of a gradient.

use super::diff::CLoss;
use super::driver::with_optimizer;
use super::ptr::{check, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::optim::{precondition_diag, sam_step_slice};
use crate::{Error, Real};
use core::ffi::c_void;

#[allow(clippy::too_many_arguments)]
unsafe fn sam<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    x: *mut T,
    n: usize,
    rho: T,
    kind: i32,
    opt: *mut c_void,
    work: *mut T,
    grad_norm: *mut T,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // An overflowing length is refused by `check` in the work buffer's turn.
    let wn = work::minimize(n).unwrap_or(usize::MAX);
    let mut args = [
        Arg::of(x as *const T, n, WRITTEN),
        Arg::of(work as *const T, wn, WRITTEN),
        Arg::of(grad_norm as *const T, 1, WRITTEN | OPTIONAL),
    ];
    check(&mut args)?;
    let gn = unsafe {
        with_optimizer(kind, opt, n, &args, |o| {
            // SAFETY: checked non-null, aligned, sized and disjoint from each other by `check`,
            // and from the optimizer's buffers by `with_optimizer`.
            let (x, work) = (
                core::slice::from_raw_parts_mut(x, n),
                core::slice::from_raw_parts_mut(work, wn),
            );
            sam_step_slice(&mut loss, x, o, rho, work)
        })?
    };
    // SAFETY: optional out-parameter.
    unsafe { write_opt(grad_norm, gn) };
    Ok(())
}

unsafe fn precond<T: Real>(g: *mut T, diag: *const T, n: usize, delta: T) -> Result<(), Error> {
    check(&mut [Arg::of(g as *const T, n, WRITTEN), Arg::of(diag, n, READ)])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (g, d) = unsafe {
        (
            core::slice::from_raw_parts_mut(g, n),
            core::slice::from_raw_parts(diag, n),
        )
    };
    precondition_diag(g, d, delta)
}

/// One SAM step (Foret et al. 2021) on `x[0..n]` (f32): `e = rho g/|g|` from the gradient
/// `g` of `f` at `x`, then the optimizer (`kind`, `opt` as in `lossmap_minimize_ex_f32`) steps
/// with the gradient at `x + e` (central differences). `work` holds `2n` floats; `grad_norm`
/// (may be NULL) receives `|g|` at `x`. `rho` must be finite and > 0. Nothing changes on error.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sam_step_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    x: *mut f32,
    n: usize,
    rho: f32,
    kind: i32,
    opt: *mut c_void,
    work: *mut f32,
    grad_norm: *mut f32,
) -> i32 {
    status(unsafe { sam(f, ctx, x, n, rho, kind, opt, work, grad_norm) })
}

/// One SAM step on `x[0..n]` (f64); see `lossmap_sam_step_f32`. `work` holds `2n` doubles.
#[no_mangle]
pub unsafe extern "C" fn lossmap_sam_step_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    x: *mut f64,
    n: usize,
    rho: f64,
    kind: i32,
    opt: *mut c_void,
    work: *mut f64,
    grad_norm: *mut f64,
) -> i32 {
    status(unsafe { sam(f, ctx, x, n, rho, kind, opt, work, grad_norm) })
}

/// Diagonal preconditioning (f32): `g[i] /= max(|diag[i]|, delta)` for a Hessian diagonal (or
/// any curvature estimate) `diag`, before any optimizer's step. `delta` must be finite and
/// > 0; NaN/Inf in `g` or `diag` change nothing.
#[no_mangle]
pub unsafe extern "C" fn lossmap_precondition_diag_f32(
    g: *mut f32,
    diag: *const f32,
    n: usize,
    delta: f32,
) -> i32 {
    status(unsafe { precond(g, diag, n, delta) })
}

/// Diagonal preconditioning (f64): `g[i] /= max(|diag[i]|, delta)`; see
/// `lossmap_precondition_diag_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_precondition_diag_f64(
    g: *mut f64,
    diag: *const f64,
    n: usize,
    delta: f64,
) -> i32 {
    status(unsafe { precond(g, diag, n, delta) })
}
