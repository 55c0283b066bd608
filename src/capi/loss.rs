//! C entry points for losses, least squares, regularizers and standardization.
//!
//! Outputs (`value`, `grad`, `theta`, `work`, `mean`, `scale`, in-place `w` and `x`) must not
//! overlap any other buffer of the call (`LOSSMAP_ERR_ALIASED`); inputs may overlap each other.
//! `grad` may be NULL for the value alone; `value` may not. Nothing is written on error.

use super::ptr::{check, mul, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use crate::loss::{
    js_smoothness as js_kernel, least_squares as lstsq_kernel, standardize as standardize_kernel,
    unstandardize as unstandardize_kernel, Classification, Penalty, Regression, Regularizer,
};
use crate::{Error, Real};

/// The optional gradient output of `len` values: `Some` when non-null (after [`check`]).
///
/// # Safety
/// A non-null `grad` must have been checked by [`check`] for `len` values, valid for writes
/// and disjoint from every other buffer of the call.
unsafe fn grad_out<'a, T>(grad: *mut T, len: usize) -> Option<&'a mut [T]> {
    // SAFETY: the function's contract.
    (!grad.is_null()).then(|| unsafe { core::slice::from_raw_parts_mut(grad, len) })
}

/// Which classification loss a C entry point asked for.
#[derive(Clone, Copy)]
enum ClassKind {
    Plain,
    Weighted,
    Cost,
}

unsafe fn regression<T: Real>(
    loss: Regression<T>,
    pred: *const T,
    target: *const T,
    m: usize,
    value: *mut T,
    grad: *mut T,
) -> Result<(), Error> {
    check(&mut [
        Arg::of(pred, m, READ),
        Arg::of(target, m, READ),
        Arg::of(value as *const T, 1, WRITTEN),
        Arg::of(grad as *const T, m, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (p, t) = unsafe {
        (
            core::slice::from_raw_parts(pred, m),
            core::slice::from_raw_parts(target, m),
        )
    };
    // SAFETY: as above.
    let v = match unsafe { grad_out(grad, m) } {
        Some(g) => loss.value_grad(p, t, g)?,
        None => loss.value(p, t)?,
    };
    // SAFETY: as above.
    unsafe { write_opt(value, v) };
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn classification<T: Real>(
    kind: ClassKind,
    table: *const T,
    logits: *const T,
    labels: *const u32,
    m: usize,
    k: usize,
    value: *mut T,
    grad: *mut T,
) -> Result<(), Error> {
    let mk = mul(m, k)?;
    // The class table: none (NULL, optional) for the plain loss.
    let (tp, tl, tf) = match kind {
        ClassKind::Plain => (core::ptr::null(), 0, OPTIONAL),
        ClassKind::Weighted => (table, k, READ),
        ClassKind::Cost => (table, mul_len(k, k), READ),
    };
    check(&mut [
        Arg::of(logits, mk, READ),
        Arg::of(labels, m, READ),
        Arg::of(tp, tl, tf),
        Arg::of(value as *const T, 1, WRITTEN),
        Arg::of(grad as *const T, mk, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint (from the labels too) by
    // `check`; validity is the caller's contract.
    let (z, l) = unsafe {
        (
            core::slice::from_raw_parts(logits, mk),
            core::slice::from_raw_parts(labels, m),
        )
    };
    // SAFETY: as above.
    let t: &[T] = if tp.is_null() {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(tp, tl) }
    };
    let loss = match kind {
        ClassKind::Plain => Classification::CrossEntropy,
        ClassKind::Weighted => Classification::Weighted(t),
        ClassKind::Cost => Classification::CostSensitive(t),
    };
    // SAFETY: as above.
    let v = match unsafe { grad_out(grad, mk) } {
        Some(g) => loss.value_grad(z, l, k, g)?,
        None => loss.value(z, l, k)?,
    };
    // SAFETY: as above.
    unsafe { write_opt(value, v) };
    Ok(())
}

unsafe fn least_squares<T: Real>(
    x: *const T,
    y: *const T,
    m: usize,
    d: usize,
    work: *mut T,
    theta: *mut T,
) -> Result<(), Error> {
    let md = mul(m, d)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let wl = work::least_squares(d).unwrap_or(usize::MAX);
    let tl = d.saturating_add(1);
    check(&mut [
        Arg::of(x, md, READ),
        Arg::of(y, m, READ),
        Arg::of(work as *const T, wl, WRITTEN),
        Arg::of(theta as *const T, tl, WRITTEN),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let (xs, ys, ws, ts) = unsafe {
        (
            core::slice::from_raw_parts(x, md),
            core::slice::from_raw_parts(y, m),
            core::slice::from_raw_parts_mut(work, wl),
            core::slice::from_raw_parts_mut(theta, tl),
        )
    };
    lstsq_kernel(xs, ys, d, ws, ts)
}

unsafe fn penalty<T: Real>(
    p: Penalty<T>,
    w: *const T,
    n: usize,
    bias_stride: usize,
    value: *mut T,
    grad: *mut T,
) -> Result<(), Error> {
    let reg = Regularizer::new(p)?.skip_bias(bias_stride);
    check(&mut [
        Arg::of(w, n, READ),
        Arg::of(value as *const T, 1, WRITTEN),
        Arg::of(grad as *const T, n, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let ws = unsafe { core::slice::from_raw_parts(w, n) };
    // SAFETY: as above.
    let v = reg.eval(ws, unsafe { grad_out(grad, n) })?;
    // SAFETY: as above.
    unsafe { write_opt(value, v) };
    Ok(())
}

unsafe fn prox<T: Real>(
    p: Penalty<T>,
    w: *mut T,
    n: usize,
    step: T,
    bias_stride: usize,
) -> Result<(), Error> {
    let reg = Regularizer::new(p)?.skip_bias(bias_stride);
    check(&mut [Arg::of(w as *const T, n, WRITTEN)])?;
    // SAFETY: checked non-null, aligned, sized by `check`; validity is the caller's contract.
    reg.prox(unsafe { core::slice::from_raw_parts_mut(w, n) }, step)
}

unsafe fn js_smoothness<T: Real>(
    logits: *const T,
    m: usize,
    k: usize,
    lambda: T,
    value: *mut T,
    grad: *mut T,
) -> Result<(), Error> {
    let mk = mul(m, k)?;
    check(&mut [
        Arg::of(logits, mk, READ),
        Arg::of(value as *const T, 1, WRITTEN),
        Arg::of(grad as *const T, mk, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized, outputs disjoint by `check`; validity is the
    // caller's contract.
    let z = unsafe { core::slice::from_raw_parts(logits, mk) };
    // SAFETY: as above.
    let v = js_kernel(z, k, lambda, unsafe { grad_out(grad, mk) })?;
    // SAFETY: as above.
    unsafe { write_opt(value, v) };
    Ok(())
}

unsafe fn standardize<T: Real>(
    x: *mut T,
    m: usize,
    d: usize,
    mean: *mut T,
    scale: *mut T,
    constant: *mut usize,
) -> Result<(), Error> {
    let md = mul(m, d)?;
    check(&mut [
        Arg::of(x as *const T, md, WRITTEN),
        Arg::of(mean as *const T, d, WRITTEN),
        Arg::of(scale as *const T, d, WRITTEN),
        Arg::of(constant as *const usize, 1, WRITTEN | OPTIONAL),
    ])?;
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`; validity is the
    // caller's contract.
    let (xs, ms, ss) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, md),
            core::slice::from_raw_parts_mut(mean, d),
            core::slice::from_raw_parts_mut(scale, d),
        )
    };
    let c = standardize_kernel(xs, d, ms, ss)?;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(constant, c) };
    Ok(())
}

unsafe fn unstandardize<T: Real>(
    x: *mut T,
    m: usize,
    d: usize,
    mean: *const T,
    scale: *const T,
) -> Result<(), Error> {
    let md = mul(m, d)?;
    check(&mut [
        Arg::of(x as *const T, md, WRITTEN),
        Arg::of(mean, d, READ),
        Arg::of(scale, d, READ),
    ])?;
    // SAFETY: checked non-null, aligned, sized, output disjoint by `check`; validity is the
    // caller's contract.
    let (xs, ms, ss) = unsafe {
        (
            core::slice::from_raw_parts_mut(x, md),
            core::slice::from_raw_parts(mean, d),
            core::slice::from_raw_parts(scale, d),
        )
    };
    unstandardize_kernel(xs, d, ms, ss)
}

/// Mean squared error `(1/m) Σ (pred[i] − target[i])²` (f32) into `*value`; its gradient
/// `2(pred − target)/m` with respect to `pred` into `grad[0..m]` unless `grad` is NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_mse_f32(
    pred: *const f32,
    target: *const f32,
    m: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { regression(Regression::Mse, pred, target, m, value, grad) })
}

/// Mean squared error `(1/m) Σ (pred[i] − target[i])²` (f64) into `*value`; its gradient
/// `2(pred − target)/m` with respect to `pred` into `grad[0..m]` unless `grad` is NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_mse_f64(
    pred: *const f64,
    target: *const f64,
    m: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { regression(Regression::Mse, pred, target, m, value, grad) })
}

/// Mean absolute error `(1/m) Σ |pred[i] − target[i]|` (f32) into `*value`; its gradient
/// `sign(pred − target)/m` (0 at a zero residual) into `grad[0..m]` unless `grad` is NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_mae_f32(
    pred: *const f32,
    target: *const f32,
    m: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { regression(Regression::Mae, pred, target, m, value, grad) })
}

/// Mean absolute error `(1/m) Σ |pred[i] − target[i]|` (f64) into `*value`; its gradient
/// `sign(pred − target)/m` (0 at a zero residual) into `grad[0..m]` unless `grad` is NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_mae_f64(
    pred: *const f64,
    target: *const f64,
    m: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { regression(Regression::Mae, pred, target, m, value, grad) })
}

/// Huber loss with threshold `delta` > 0 (f32; torch.nn.HuberLoss, mean): per residual `r`,
/// `r²/2` if `|r| ≤ delta` else `delta(|r| − delta/2)`. Gradient `clamp(r, ±delta)/m` into
/// `grad[0..m]` unless NULL. `LOSSMAP_ERR_PARAM` for `delta` ≤ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_huber_f32(
    pred: *const f32,
    target: *const f32,
    m: usize,
    delta: f32,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { regression(Regression::Huber { delta }, pred, target, m, value, grad) })
}

/// Huber loss with threshold `delta` > 0 (f64; torch.nn.HuberLoss, mean): per residual `r`,
/// `r²/2` if `|r| ≤ delta` else `delta(|r| − delta/2)`. Gradient `clamp(r, ±delta)/m` into
/// `grad[0..m]` unless NULL. `LOSSMAP_ERR_PARAM` for `delta` ≤ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_huber_f64(
    pred: *const f64,
    target: *const f64,
    m: usize,
    delta: f64,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { regression(Regression::Huber { delta }, pred, target, m, value, grad) })
}

/// Softmax cross-entropy (f32), mean over `m` samples: `logits` is `m×k` row-major, `labels`
/// holds `m` class indices `< k` (`LOSSMAP_ERR_PARAM` otherwise). Gradient with respect to the
/// logits (`softmax − one-hot`, divided by `m`) into `grad` (`m×k`) unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_f32(
    logits: *const f32,
    labels: *const u32,
    m: usize,
    k: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe {
        classification(
            ClassKind::Plain,
            core::ptr::null(),
            logits,
            labels,
            m,
            k,
            value,
            grad,
        )
    })
}

/// Softmax cross-entropy (f64), mean over `m` samples: `logits` is `m×k` row-major, `labels`
/// holds `m` class indices `< k` (`LOSSMAP_ERR_PARAM` otherwise). Gradient with respect to the
/// logits (`softmax − one-hot`, divided by `m`) into `grad` (`m×k`) unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_f64(
    logits: *const f64,
    labels: *const u32,
    m: usize,
    k: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe {
        classification(
            ClassKind::Plain,
            core::ptr::null(),
            logits,
            labels,
            m,
            k,
            value,
            grad,
        )
    })
}

/// Class-weighted cross-entropy (f32; torch.nn.CrossEntropyLoss with `weight`):
/// `Σ w[y_i] ℓ_i / Σ w[y_i]` with `weights[0..k]` ≥ 0. `LOSSMAP_ERR_PARAM` for a negative weight,
/// a label ≥ k or a zero total weight of the labels present. Gradient into `grad` (`m×k`)
/// unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_weighted_f32(
    logits: *const f32,
    labels: *const u32,
    m: usize,
    k: usize,
    weights: *const f32,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe {
        classification(
            ClassKind::Weighted,
            weights,
            logits,
            labels,
            m,
            k,
            value,
            grad,
        )
    })
}

/// Class-weighted cross-entropy (f64; torch.nn.CrossEntropyLoss with `weight`):
/// `Σ w[y_i] ℓ_i / Σ w[y_i]` with `weights[0..k]` ≥ 0. `LOSSMAP_ERR_PARAM` for a negative weight,
/// a label ≥ k or a zero total weight of the labels present. Gradient into `grad` (`m×k`)
/// unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_weighted_f64(
    logits: *const f64,
    labels: *const u32,
    m: usize,
    k: usize,
    weights: *const f64,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe {
        classification(
            ClassKind::Weighted,
            weights,
            logits,
            labels,
            m,
            k,
            value,
            grad,
        )
    })
}

/// Cost-sensitive loss (f32): the expected cost `Σ_k p_k cost[y_i·k + k]` under the softmax
/// `p` of each row, mean over samples (Elkan 2001); `cost` is `k×k` row-major, row = true
/// class, column = predicted class, entries ≥ 0 (`LOSSMAP_ERR_PARAM` for a negative one).
/// Gradient with respect to the logits into `grad` (`m×k`) unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_cost_f32(
    logits: *const f32,
    labels: *const u32,
    m: usize,
    k: usize,
    cost: *const f32,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { classification(ClassKind::Cost, cost, logits, labels, m, k, value, grad) })
}

/// Cost-sensitive loss (f64): the expected cost `Σ_k p_k cost[y_i·k + k]` under the softmax
/// `p` of each row, mean over samples (Elkan 2001); `cost` is `k×k` row-major, row = true
/// class, column = predicted class, entries ≥ 0 (`LOSSMAP_ERR_PARAM` for a negative one).
/// Gradient with respect to the logits into `grad` (`m×k`) unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_cross_entropy_cost_f64(
    logits: *const f64,
    labels: *const u32,
    m: usize,
    k: usize,
    cost: *const f64,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { classification(ClassKind::Cost, cost, logits, labels, m, k, value, grad) })
}

/// Least-squares fit of `y ≈ w·x + b` (f32) by the normal equations and Cholesky: `x` is `m×d`
/// row-major, `y` has `m` entries; `theta[0..d+1] = (w, b)`. `work` holds
/// `lossmap_least_squares_work_len(d)` floats. `LOSSMAP_ERR_NOT_POS_DEF` for a rank-deficient
/// design (duplicated or constant feature, `m < d + 1`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_least_squares_f32(
    x: *const f32,
    y: *const f32,
    m: usize,
    d: usize,
    work: *mut f32,
    theta: *mut f32,
) -> i32 {
    status(unsafe { least_squares(x, y, m, d, work, theta) })
}

/// Least-squares fit of `y ≈ w·x + b` (f64) by the normal equations and Cholesky: `x` is `m×d`
/// row-major, `y` has `m` entries; `theta[0..d+1] = (w, b)`. `work` holds
/// `lossmap_least_squares_work_len(d)` doubles. `LOSSMAP_ERR_NOT_POS_DEF` for a rank-deficient
/// design (duplicated or constant feature, `m < d + 1`).
#[no_mangle]
pub unsafe extern "C" fn lossmap_least_squares_f64(
    x: *const f64,
    y: *const f64,
    m: usize,
    d: usize,
    work: *mut f64,
    theta: *mut f64,
) -> i32 {
    status(unsafe { least_squares(x, y, m, d, work, theta) })
}

/// L2 penalty `lambda/2 · Σ w_j²` (f32, `lambda` > 0) into `*value`, gradient `lambda·w` into
/// `grad[0..n]` unless NULL. With `bias_stride` s > 0 every coordinate j with `(j+1) % s == 0`
/// is left out (gradient 0); 0 penalizes all.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l2_f32(
    w: *const f32,
    n: usize,
    lambda: f32,
    bias_stride: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { penalty(Penalty::L2 { lambda }, w, n, bias_stride, value, grad) })
}

/// L2 penalty `lambda/2 · Σ w_j²` (f64, `lambda` > 0) into `*value`, gradient `lambda·w` into
/// `grad[0..n]` unless NULL. With `bias_stride` s > 0 every coordinate j with `(j+1) % s == 0`
/// is left out (gradient 0); 0 penalizes all.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l2_f64(
    w: *const f64,
    n: usize,
    lambda: f64,
    bias_stride: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { penalty(Penalty::L2 { lambda }, w, n, bias_stride, value, grad) })
}

/// L1 penalty `lambda · Σ |w_j|` (f32, `lambda` > 0) into `*value`, subgradient
/// `lambda·sign(w)` (0 at 0) into `grad[0..n]` unless NULL; `bias_stride` as for `lossmap_l2_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l1_f32(
    w: *const f32,
    n: usize,
    lambda: f32,
    bias_stride: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { penalty(Penalty::L1 { lambda }, w, n, bias_stride, value, grad) })
}

/// L1 penalty `lambda · Σ |w_j|` (f64, `lambda` > 0) into `*value`, subgradient
/// `lambda·sign(w)` (0 at 0) into `grad[0..n]` unless NULL; `bias_stride` as for `lossmap_l2_f64`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l1_f64(
    w: *const f64,
    n: usize,
    lambda: f64,
    bias_stride: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { penalty(Penalty::L1 { lambda }, w, n, bias_stride, value, grad) })
}

/// Elastic net `lambda(alpha Σ|w_j| + (1 − alpha)/2 Σ w_j²)` (f32, `lambda` > 0,
/// `alpha` ∈ [0, 1]) into `*value`, gradient into `grad[0..n]` unless NULL; `bias_stride` as
/// for `lossmap_l2_f32`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_elastic_net_f32(
    w: *const f32,
    n: usize,
    lambda: f32,
    alpha: f32,
    bias_stride: usize,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    let p = Penalty::ElasticNet { lambda, alpha };
    status(unsafe { penalty(p, w, n, bias_stride, value, grad) })
}

/// Elastic net `lambda(alpha Σ|w_j| + (1 − alpha)/2 Σ w_j²)` (f64, `lambda` > 0,
/// `alpha` ∈ [0, 1]) into `*value`, gradient into `grad[0..n]` unless NULL; `bias_stride` as
/// for `lossmap_l2_f64`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_elastic_net_f64(
    w: *const f64,
    n: usize,
    lambda: f64,
    alpha: f64,
    bias_stride: usize,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    let p = Penalty::ElasticNet { lambda, alpha };
    status(unsafe { penalty(p, w, n, bias_stride, value, grad) })
}

/// L1 proximal step (f32) in place: `w_j ← sign(w_j)·max(|w_j| − step·lambda, 0)`, exact
/// zeros below the threshold (`lambda`, `step` > 0); `bias_stride` coordinates are kept.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l1_prox_f32(
    w: *mut f32,
    n: usize,
    lambda: f32,
    step: f32,
    bias_stride: usize,
) -> i32 {
    status(unsafe { prox(Penalty::L1 { lambda }, w, n, step, bias_stride) })
}

/// L1 proximal step (f64) in place: `w_j ← sign(w_j)·max(|w_j| − step·lambda, 0)`, exact
/// zeros below the threshold (`lambda`, `step` > 0); `bias_stride` coordinates are kept.
#[no_mangle]
pub unsafe extern "C" fn lossmap_l1_prox_f64(
    w: *mut f64,
    n: usize,
    lambda: f64,
    step: f64,
    bias_stride: usize,
) -> i32 {
    status(unsafe { prox(Penalty::L1 { lambda }, w, n, step, bias_stride) })
}

/// Elastic-net proximal step (f32) in place:
/// `w_j ← sign(w_j)·max(|w_j| − step·lambda·alpha, 0) / (1 + step·lambda·(1 − alpha))`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_elastic_net_prox_f32(
    w: *mut f32,
    n: usize,
    lambda: f32,
    alpha: f32,
    step: f32,
    bias_stride: usize,
) -> i32 {
    let p = Penalty::ElasticNet { lambda, alpha };
    status(unsafe { prox(p, w, n, step, bias_stride) })
}

/// Elastic-net proximal step (f64) in place:
/// `w_j ← sign(w_j)·max(|w_j| − step·lambda·alpha, 0) / (1 + step·lambda·(1 − alpha))`.
#[no_mangle]
pub unsafe extern "C" fn lossmap_elastic_net_prox_f64(
    w: *mut f64,
    n: usize,
    lambda: f64,
    alpha: f64,
    step: f64,
    bias_stride: usize,
) -> i32 {
    let p = Penalty::ElasticNet { lambda, alpha };
    status(unsafe { prox(p, w, n, step, bias_stride) })
}

/// Jensen–Shannon smoothness (f32): `lambda Σ_i JS(softmax(row i) ‖ softmax(row i+1))` over
/// the `m` rows of `logits` (`m×k`), natural log, into `*value`; gradient with respect to the
/// logits into `grad` (`m×k`) unless NULL. `lambda` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_js_smoothness_f32(
    logits: *const f32,
    m: usize,
    k: usize,
    lambda: f32,
    value: *mut f32,
    grad: *mut f32,
) -> i32 {
    status(unsafe { js_smoothness(logits, m, k, lambda, value, grad) })
}

/// Jensen–Shannon smoothness (f64): `lambda Σ_i JS(softmax(row i) ‖ softmax(row i+1))` over
/// the `m` rows of `logits` (`m×k`), natural log, into `*value`; gradient with respect to the
/// logits into `grad` (`m×k`) unless NULL. `lambda` > 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_js_smoothness_f64(
    logits: *const f64,
    m: usize,
    k: usize,
    lambda: f64,
    value: *mut f64,
    grad: *mut f64,
) -> i32 {
    status(unsafe { js_smoothness(logits, m, k, lambda, value, grad) })
}

/// Standardizes the columns of `x` (`m×d` row-major, f32) in place to mean 0 and population
/// standard deviation 1; the means and scales used go to `mean[0..d]` and `scale[0..d]`. A
/// constant column gets scale 1 (it becomes 0); their number goes to `*constant` unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_standardize_f32(
    x: *mut f32,
    m: usize,
    d: usize,
    mean: *mut f32,
    scale: *mut f32,
    constant: *mut usize,
) -> i32 {
    status(unsafe { standardize(x, m, d, mean, scale, constant) })
}

/// Standardizes the columns of `x` (`m×d` row-major, f64) in place to mean 0 and population
/// standard deviation 1; the means and scales used go to `mean[0..d]` and `scale[0..d]`. A
/// constant column gets scale 1 (it becomes 0); their number goes to `*constant` unless NULL.
#[no_mangle]
pub unsafe extern "C" fn lossmap_standardize_f64(
    x: *mut f64,
    m: usize,
    d: usize,
    mean: *mut f64,
    scale: *mut f64,
    constant: *mut usize,
) -> i32 {
    status(unsafe { standardize(x, m, d, mean, scale, constant) })
}

/// Inverse of `lossmap_standardize_f32`: `x[i·d + j] ← x[i·d + j]·scale[j] + mean[j]` in place.
/// `LOSSMAP_ERR_PARAM` for a scale ≤ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_unstandardize_f32(
    x: *mut f32,
    m: usize,
    d: usize,
    mean: *const f32,
    scale: *const f32,
) -> i32 {
    status(unsafe { unstandardize(x, m, d, mean, scale) })
}

/// Inverse of `lossmap_standardize_f64`: `x[i·d + j] ← x[i·d + j]·scale[j] + mean[j]` in place.
/// `LOSSMAP_ERR_PARAM` for a scale ≤ 0.
#[no_mangle]
pub unsafe extern "C" fn lossmap_unstandardize_f64(
    x: *mut f64,
    m: usize,
    d: usize,
    mean: *const f64,
    scale: *const f64,
) -> i32 {
    status(unsafe { unstandardize(x, m, d, mean, scale) })
}
