//! C entry points for finite-difference derivatives.

use super::ptr::{copy, disjoint, mul, write_opt, Raw};
use super::status::status;
use super::{basin_loss_f32, basin_loss_f64};
use crate::diff::central_gradient;
use crate::objective::SliceObjective;
use crate::{Error, Real};
use core::ffi::c_void;

/// The C loss callback seen as a [`SliceObjective`], differentiated by central differences.
pub(crate) struct CLoss<T: Real> {
    f: unsafe extern "C" fn(*const T, usize, *mut c_void) -> T,
    ctx: *mut c_void,
}

impl<T: Real> CLoss<T> {
    pub(crate) fn new(
        f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
        ctx: *mut c_void,
    ) -> Result<Self, Error> {
        f.map(|f| CLoss { f, ctx }).ok_or(Error::NullPointer)
    }
}

impl<T: Real> SliceObjective<T> for CLoss<T> {
    fn value(&mut self, x: &[T]) -> T {
        // SAFETY: the caller's callback, given a valid pointer to `x.len()` values.
        unsafe { (self.f)(x.as_ptr(), x.len(), self.ctx) }
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        let (f, ctx) = (self.f, self.ctx);
        // SAFETY: as in `value`.
        central_gradient(&mut |s: &[T]| unsafe { f(s.as_ptr(), s.len(), ctx) }, x, g)
    }
}

/// Central-difference gradient through the C ABI: `x` const, `work` (2n) scratch, `grad` written
/// only on success.
unsafe fn gradient_central<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    x: *const T,
    n: usize,
    work: *mut T,
    grad: *mut T,
    evals: *mut usize,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    let (xr, wr, gr) = (
        Raw::new(x, n)?,
        Raw::new(work, mul(n, 2)?)?,
        Raw::new(grad, n)?,
    );
    disjoint(&[xr, wr, gr])?;
    // SAFETY: checked non-null, aligned, sized and disjoint; validity is the caller's contract.
    let (x, work, grad) = unsafe { (xr.slice(), wr.slice_mut(), gr.slice_mut()) };
    let (point, out) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    copy(point, x);
    let used = loss.gradient(point, out)?;
    copy(grad, out);
    // SAFETY: optional out-parameter.
    unsafe { write_opt(evals, used) };
    Ok(())
}

/// Central-difference gradient of `f` at `x[0..n]` into `grad[0..n]` (f32).
///
/// `work` holds `2n` floats of scratch. `evals` (may be NULL) receives the evaluations used
/// (`2n`). On any error `x` and `grad` are unchanged; a callback returning NaN/Inf gives
/// `BASIN_ERR_LOSS_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn basin_gradient_central_f32(
    f: basin_loss_f32,
    ctx: *mut c_void,
    x: *const f32,
    n: usize,
    work: *mut f32,
    grad: *mut f32,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient_central(f, ctx, x, n, work, grad, evals) })
}

/// Central-difference gradient of `f` at `x[0..n]` into `grad[0..n]` (f64).
///
/// `work` holds `2n` doubles of scratch. `evals` (may be NULL) receives the evaluations used
/// (`2n`). On any error `x` and `grad` are unchanged; a callback returning NaN/Inf gives
/// `BASIN_ERR_LOSS_NON_FINITE`.
#[no_mangle]
pub unsafe extern "C" fn basin_gradient_central_f64(
    f: basin_loss_f64,
    ctx: *mut c_void,
    x: *const f64,
    n: usize,
    work: *mut f64,
    grad: *mut f64,
    evals: *mut usize,
) -> i32 {
    status(unsafe { gradient_central(f, ctx, x, n, work, grad, evals) })
}
