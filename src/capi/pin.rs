//! C shells of the flat-valley pin (`crate::landscape::pin_penalty`, `pin_hessian`,
//! `pin_weight`): the directions are `k` rows of `n` values (for the flat run of an
//! eigen-decomposition, `vectors + start·n` with `k = count`, as `lossmap_flat_range_*`
//! returns them). No scratch.

use super::ptr::{check, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use crate::landscape as kernel;
use crate::{Error, Real};

/// The `k×n` directions as an [`Arg`]: none (NULL, optional) for `k = 0`, when `dirs` may be
/// NULL or anything else.
fn directions<T>(dirs: *const T, k: usize, n: usize) -> Arg {
    if k == 0 {
        Arg::of(core::ptr::null::<T>(), 0, OPTIONAL)
    } else {
        Arg::of(dirs, mul_len(k, n), READ)
    }
}

/// The directions as a slice after [`check`] (empty for `k = 0`).
///
/// # Safety
/// For `k > 0`, `dirs` must have been checked by [`check`] for `k·n` values, valid for reads.
unsafe fn directions_slice<'a, T>(dirs: *const T, k: usize, n: usize) -> &'a [T] {
    if k == 0 {
        &[]
    } else {
        // SAFETY: checked non-null, aligned and sized (`k·n` did not overflow) by `check`;
        // validity is the caller's contract.
        unsafe { core::slice::from_raw_parts(dirs, k.wrapping_mul(n)) }
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
    // Written: value, grad (optional); read: the rest.
    check(&mut [
        Arg::of(anchor, n, READ),
        Arg::of(x, n, READ),
        directions(dirs, k, n),
        Arg::of(value as *const T, 1, WRITTEN),
        Arg::of(grad as *const T, n, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint from every output by `check`.
    let (d, a, xs) = unsafe {
        (
            directions_slice(dirs, k, n),
            core::slice::from_raw_parts(anchor, n),
            core::slice::from_raw_parts(x, n),
        )
    };
    // SAFETY: as above; `grad` is disjoint from the inputs and from `value`.
    let g = (!grad.is_null()).then(|| unsafe { core::slice::from_raw_parts_mut(grad, n) });
    let v = kernel::pin_penalty(d, a, weight, xs, g)?;
    // SAFETY: checked non-null, aligned and apart by `check`.
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
    let nn = mul_len(n, n);
    check(&mut [Arg::of(h as *const T, nn, WRITTEN), directions(dirs, k, n)])?;
    // SAFETY: checked non-null, aligned, sized and disjoint from `dirs` by `check`.
    let (d, h) = unsafe {
        (
            directions_slice(dirs, k, n),
            core::slice::from_raw_parts_mut(h, nn),
        )
    };
    kernel::pin_hessian(d, n, weight, h)
}

unsafe fn pin_weight<T: Real>(
    values: *const T,
    n: usize,
    start: usize,
    count: usize,
    weight: *mut T,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(values, n, READ),
        Arg::of(weight as *const T, 1, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized by `check`.
    let w = kernel::pin_weight(
        unsafe { core::slice::from_raw_parts(values, n) },
        start,
        count,
    )?;
    // SAFETY: checked non-null, aligned and apart by `check`.
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
