//! C shells of the flat-valley pin (`crate::landscape::pin_penalty`, `pin_hessian`,
//! `pin_weight`): the directions are `k` rows of `n` values (for the flat run of an
//! eigen-decomposition, `vectors + start·n` with `k = count`, as `lossmap_flat_range_*`
//! returns them). No scratch.

use super::ptr::{apart, mul, write_opt, Raw, Span};
use super::status::status;
use crate::landscape as kernel;
use crate::{Error, Real};

/// The `k×n` directions as a slice (empty for `k = 0`, when `dirs` may be NULL).
///
/// # Safety
/// For `k > 0`, `dirs` must point to `k·n` valid values.
unsafe fn directions<'a, T: Copy>(
    dirs: *const T,
    k: usize,
    n: usize,
) -> Result<(&'a [T], Span), Error> {
    if k == 0 {
        return Ok((&[], Span::EMPTY));
    }
    let r = Raw::new(dirs, mul(k, n)?)?;
    // SAFETY: checked non-null, aligned and sized; validity is the caller's contract.
    Ok((unsafe { r.slice() }, Span::raw(r)))
}

/// [`Error::NullPointer`] unless `p` is non-null and aligned.
fn need<S>(p: *const S) -> Result<(), Error> {
    if p.is_null() || !p.is_aligned() {
        Err(Error::NullPointer)
    } else {
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn pin_penalty<T: Real>(
    dirs: *const T,
    k: usize,
    anchor: *const T,
    n: usize,
    weight: T,
    x: *const T,
    value: *mut T,
    grad: *mut T,
) -> Result<(), Error> {
    let (ar, xr) = (Raw::new(anchor, n)?, Raw::new(x, n)?);
    // SAFETY: the caller's contract (k·n values at `dirs`).
    let (d, ds) = unsafe { directions(dirs, k, n)? };
    need(value)?;
    let gr = if grad.is_null() {
        None
    } else {
        Some(Raw::new(grad as *const T, n)?)
    };
    let ins = [ds, Span::raw(ar), Span::raw(xr)];
    let gs = gr.map_or(Span::EMPTY, Span::raw);
    apart(&[Span::of(value, 1), gs], &ins)?;
    // SAFETY: checked non-null, aligned, sized and disjoint from every output.
    let (a, xs) = unsafe { (ar.slice(), xr.slice()) };
    // SAFETY: as above; `grad` is disjoint from the inputs and from `value`.
    let g = gr.map(|r| unsafe { r.slice_mut() });
    let v = kernel::pin_penalty(d, a, weight, xs, g)?;
    // SAFETY: checked by `need` and `apart`.
    unsafe { write_opt(value, v) };
    Ok(())
}

unsafe fn pin_hessian<T: Real>(
    dirs: *const T,
    k: usize,
    n: usize,
    weight: T,
    h: *mut T,
) -> Result<(), Error> {
    let hr = Raw::new(h as *const T, mul(n, n)?)?;
    // SAFETY: the caller's contract.
    let (d, ds) = unsafe { directions(dirs, k, n)? };
    apart(&[Span::raw(hr)], &[ds])?;
    // SAFETY: checked non-null, aligned, sized and disjoint from `dirs`.
    kernel::pin_hessian(d, n, weight, unsafe { hr.slice_mut() })
}

unsafe fn pin_weight<T: Real>(
    values: *const T,
    n: usize,
    start: usize,
    count: usize,
    weight: *mut T,
) -> Result<(), Error> {
    let vr = Raw::new(values, n)?;
    need(weight)?;
    apart(&[Span::of(weight, 1)], &[Span::raw(vr)])?;
    // SAFETY: checked non-null, aligned, sized.
    let w = kernel::pin_weight(unsafe { vr.slice() }, start, count)?;
    // SAFETY: checked by `need` and `apart`.
    unsafe { write_opt(weight, w) };
    Ok(())
}

/// The flat-valley pin `(w/2) Σᵢ (dᵢᵀ(x − a))²` at `x[0..n]` (f32) into `*value`, its gradient
/// *added* to `grad[0..n]` unless NULL (so a loss callback adds its pin in place): `dirs` holds
/// `k` directions as rows of `n` values (NULL allowed for k = 0), `anchor` the point `a`,
/// `weight` w > 0 (`lossmap_pin_weight_*` gives the default). Nothing is written on error. No
/// scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_penalty_f32(
    dirs: *const f32,
    k: usize,
    anchor: *const f32,
    n: usize,
    weight: f32,
    x: *const f32,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { pin_penalty(dirs, k, anchor, n, weight, x, value, grad) })
}

/// The flat-valley pin `(w/2) Σᵢ (dᵢᵀ(x − a))²` at `x[0..n]` (f64) into `*value`, its gradient
/// *added* to `grad[0..n]` unless NULL (so a loss callback adds its pin in place): `dirs` holds
/// `k` directions as rows of `n` values (NULL allowed for k = 0), `anchor` the point `a`,
/// `weight` w > 0 (`lossmap_pin_weight_*` gives the default). Nothing is written on error. No
/// scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_penalty_f64(
    dirs: *const f64,
    k: usize,
    anchor: *const f64,
    n: usize,
    weight: f64,
    x: *const f64,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { pin_penalty(dirs, k, anchor, n, weight, x, value, grad) })
}

/// Adds the pin's Hessian `w Σᵢ dᵢdᵢᵀ` to the `n×n` row-major `h` (f32; `dirs` as in
/// `lossmap_pin_penalty_f32`): the flat eigenvalues become `w`, the others are kept. `h`
/// unchanged on error. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_hessian_f32(
    dirs: *const f32,
    k: usize,
    n: usize,
    weight: f32,
    h: *mut f32,
) -> i32 {
    status(unsafe { pin_hessian(dirs, k, n, weight, h) })
}

/// Adds the pin's Hessian `w Σᵢ dᵢdᵢᵀ` to the `n×n` row-major `h` (f64; `dirs` as in
/// `lossmap_pin_penalty_f64`): the flat eigenvalues become `w`, the others are kept. `h`
/// unchanged on error. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_hessian_f64(
    dirs: *const f64,
    k: usize,
    n: usize,
    weight: f64,
    h: *mut f64,
) -> i32 {
    status(unsafe { pin_hessian(dirs, k, n, weight, h) })
}

/// The default pin weight (f32) for ascending eigenvalues `values[0..n]` whose flat run is
/// `start .. start + count` (from `lossmap_flat_range_f32`): the smallest `|λ|` outside the
/// run (1 when every direction is flat), so the pinned Hessian is no stiffer than its
/// determined part. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_weight_f32(
    values: *const f32,
    n: usize,
    start: usize,
    count: usize,
    weight: *mut f32,
) -> i32 {
    status(unsafe { pin_weight(values, n, start, count, weight) })
}

/// The default pin weight (f64) for ascending eigenvalues `values[0..n]` whose flat run is
/// `start .. start + count` (from `lossmap_flat_range_f64`): the smallest `|λ|` outside the
/// run (1 when every direction is flat), so the pinned Hessian is no stiffer than its
/// determined part. No scratch.
#[no_mangle]
pub unsafe extern "C" fn lossmap_pin_weight_f64(
    values: *const f64,
    n: usize,
    start: usize,
    count: usize,
    weight: *mut f64,
) -> i32 {
    status(unsafe { pin_weight(values, n, start, count, weight) })
}
