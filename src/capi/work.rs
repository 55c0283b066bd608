//! Scratch lengths: one rule per C entry point that takes `work`, used by the entry point to
//! size its scratch and exported as `lossmap_<fn>_work_len` (0 when the length overflows
//! `size_t`). The header's `LOSSMAP_<FN>_WORK_LEN` macros (written in `cbindgen.toml`, in the
//! order of this file) state the same rules as integer constant expressions, for static arrays;
//! `examples/c/work_len.c` checks that every macro equals its function and that each entry
//! point succeeds with exactly that many elements.

use super::global::local_len;
use super::ptr::mul;
use crate::Error;

/// `a + b` or [`Error::LengthMismatch`] on overflow.
fn add(a: usize, b: usize) -> Result<usize, Error> {
    a.checked_add(b).ok_or(Error::LengthMismatch)
}

/// `n²`, checked.
fn square(n: usize) -> Result<usize, Error> {
    mul(n, n)
}

/// Value-based gradients (central, forward, Richardson): the point and the result, `2n`.
pub(crate) fn gradient(n: usize) -> Result<usize, Error> {
    mul(n, 2)
}

/// Value-based Hessian: the point and the Hessian, `n + n²`; Richardson adds a second
/// Hessian, `n + 2n²`.
pub(crate) fn hessian(n: usize, richardson: bool) -> Result<usize, Error> {
    add(n, mul(square(n)?, if richardson { 2 } else { 1 })?)
}

/// Hessian from gradients: the point, two gradients and the Hessian, `3n + n²`.
pub(crate) fn hessian_from_gradient(n: usize) -> Result<usize, Error> {
    add(mul(n, 3)?, square(n)?)
}

/// Hessian–vector product: the point, a gradient and the result, `3n`.
pub(crate) fn hvp(n: usize) -> Result<usize, Error> {
    mul(n, 3)
}

/// Directional derivatives: the moved point, `n`.
pub(crate) fn directional(n: usize) -> Result<usize, Error> {
    Ok(n)
}

/// Adaptive gradient: the point, the gradient and its error bounds, `3n`.
pub(crate) fn gradient_adaptive(n: usize) -> Result<usize, Error> {
    mul(n, 3)
}

/// Adaptive Hessian from values: the point, the Hessian and its error bounds, `n + 2n²`.
pub(crate) fn hessian_adaptive(n: usize) -> Result<usize, Error> {
    hessian(n, true)
}

/// Adaptive Hessian from gradients: the Hessian and its error bounds, and the line's scratch
/// (`diff::line_work_len`, `10n`): `10n + 2n²`.
pub(crate) fn hessian_from_gradient_adaptive(n: usize) -> Result<usize, Error> {
    add(mul(n, 10)?, mul(square(n)?, 2)?)
}

/// Adaptive Hessian–vector product: the product, its error bounds and the line's scratch, `12n`.
pub(crate) fn hvp_adaptive(n: usize) -> Result<usize, Error> {
    mul(n, 12)
}

/// Adaptive Hessian from gradients at either accuracy: the Hessian and its error bounds, and the
/// line's scratch for `Accuracy::Full` (`diff::line_work_len_full`, `12n`): `12n + 2n²`.
pub(crate) fn hessian_from_gradient_adaptive_ex(n: usize) -> Result<usize, Error> {
    add(mul(n, 12)?, mul(square(n)?, 2)?)
}

/// Adaptive Hessian–vector product at either accuracy: the product, its error bounds and the
/// line's scratch for `Accuracy::Full`, `14n`.
pub(crate) fn hvp_adaptive_ex(n: usize) -> Result<usize, Error> {
    mul(n, 14)
}

/// Adaptive directional derivatives: the moved point, `n`.
pub(crate) fn directional_adaptive(n: usize) -> Result<usize, Error> {
    Ok(n)
}

/// The eigen solver's working buffer, `n²` (symmetric eigen-decomposition, curvature report;
/// the solver uses `n` of it, the length stays `n²` for compatibility).
pub(crate) fn eigen(n: usize) -> Result<usize, Error> {
    square(n)
}

/// One Hessian analysis: the point, the Hessian, the eigen solver's buffer, the eigenvalues and the
/// eigenvectors, `3n² + 2n` (`landscape::convex_work_len`).
pub(crate) fn hessian_analysis(n: usize) -> Result<usize, Error> {
    add(mul(square(n)?, 3)?, mul(n, 2)?)
}

/// One-call classification: the gradient and one Hessian analysis, `3n² + 3n`.
pub(crate) fn classify_at(n: usize) -> Result<usize, Error> {
    add(hessian_analysis(n)?, n)
}

/// Convexity over a box: one Hessian analysis, the sample and the direction, `3n² + 4n`.
pub(crate) fn convex_over_box(n: usize) -> Result<usize, Error> {
    add(hessian_analysis(n)?, mul(n, 2)?)
}

/// ε-sharpness: the best perturbation, the trial point, the gradient and the ascent point,
/// `4n`.
pub(crate) fn epsilon_sharpness(n: usize) -> Result<usize, Error> {
    mul(n, 4)
}

/// Noisy loss: the perturbed point and the Hessian, `n + n²`.
pub(crate) fn noisy_loss(n: usize) -> Result<usize, Error> {
    add(n, square(n)?)
}

/// Curvature stability: one Hessian analysis and the third derivatives, `3n² + 3n`.
pub(crate) fn curvature_stability(n: usize) -> Result<usize, Error> {
    add(hessian_analysis(n)?, n)
}

/// Power iteration: four vectors of `n`, then the `k` values and the `k×n` vectors,
/// `4n + k + k·n`.
pub(crate) fn top_eigen(n: usize, k: usize) -> Result<usize, Error> {
    add(add(mul(n, 4)?, k)?, mul(k, n)?)
}

/// Hutchinson's trace: the probe, the point and two gradients, `4n`.
pub(crate) fn hutchinson_trace(n: usize) -> Result<usize, Error> {
    mul(n, 4)
}

/// Loss slices (1-D and 2-D): the moved point, `n`.
pub(crate) fn slice(n: usize) -> Result<usize, Error> {
    Ok(n)
}

/// Nudged elastic band: three `images×n` bands and the climbing image's mode,
/// `(3·images + 1)·n`.
pub(crate) fn neb(n: usize, images: usize) -> Result<usize, Error> {
    mul(
        n,
        mul(images, 3)?
            .checked_add(1)
            .ok_or(Error::LengthMismatch)?,
    )
}

/// The critical-point finder: one Hessian analysis, `H²`, a Cholesky factor and five
/// vectors, `5n² + 7n` (`landscape::critical_work_len`).
pub(crate) fn critical_point(n: usize) -> Result<usize, Error> {
    add(mul(square(n)?, 5)?, mul(n, 7)?)
}

/// The census: the point and the finder's scratch, `5n² + 8n` (`landscape::census_work_len`).
pub(crate) fn census(n: usize) -> Result<usize, Error> {
    add(critical_point(n)?, n)
}

/// The minimization drivers (Adam, any optimizer) and SAM: the point and the gradient, `2n`.
pub(crate) fn minimize(n: usize) -> Result<usize, Error> {
    mul(n, 2)
}

/// The mini-batch driver: the point, the batch gradient and one sample's gradient, `3n`.
pub(crate) fn minimize_stochastic(n: usize) -> Result<usize, Error> {
    mul(n, 3)
}

/// Newton's method: the Hessian and its factor (`2n²`) and four vectors, `2n² + 4n`.
pub(crate) fn newton(n: usize) -> Result<usize, Error> {
    add(mul(square(n)?, 2)?, mul(n, 4)?)
}

/// Levenberg–Marquardt with `m` residuals and `n` parameters: the Jacobian, two residual
/// vectors and six parameter vectors, `m·n + 2m + 6n`.
pub(crate) fn levenberg_marquardt(m: usize, n: usize) -> Result<usize, Error> {
    add(add(mul(m, n)?, mul(m, 2)?)?, mul(n, 6)?)
}

/// Gauss–Newton: the Jacobian, two residual vectors and seven parameter vectors,
/// `m·n + 2m + 7n`.
pub(crate) fn gauss_newton(m: usize, n: usize) -> Result<usize, Error> {
    add(add(mul(m, n)?, mul(m, 2)?)?, mul(n, 7)?)
}

/// Fit statistics: singular values, `Vᵀ`, the Jacobian, the residuals, a residual scratch
/// and a copy of `x`, `n² + m·n + 2m + 2n`.
pub(crate) fn fit_statistics(m: usize, n: usize) -> Result<usize, Error> {
    crate::nlls::residual_stats_len(m, n)
}

/// BFGS: the inverse-Hessian approximation and five vectors, `n² + 5n`.
pub(crate) fn bfgs(n: usize) -> Result<usize, Error> {
    add(square(n)?, mul(n, 5)?)
}

/// L-BFGS with `m` pairs: the pairs `2mn`, their coefficients `2m` and four vectors,
/// `2mn + 2m + 4n`.
pub(crate) fn lbfgs(n: usize, m: usize) -> Result<usize, Error> {
    add(add(mul(mul(n, m)?, 2)?, mul(m, 2)?)?, mul(n, 4)?)
}

/// Nelder–Mead: the `n` vertices other than the best (`n²`), their losses and three vectors,
/// `n² + 4n`.
pub(crate) fn nelder_mead(n: usize) -> Result<usize, Error> {
    add(square(n)?, mul(n, 4)?)
}

/// Least squares with `d` features: the Gram matrix, its Cholesky factor and the right-hand
/// side of the `(d + 1)`-dimensional normal equations, `(d + 1)(2d + 3)`.
pub(crate) fn least_squares(d: usize) -> Result<usize, Error> {
    let p = add(d, 1)?;
    mul(p, add(mul(p, 2)?, 1)?)
}

/// Multi-start: the polish scratch `3n`; classifying the end points adds one Hessian
/// analysis and a gradient, `3n² + 3n`.
pub(crate) fn multistart(n: usize, classify: bool) -> Result<usize, Error> {
    if classify {
        classify_at(n)
    } else {
        local_len(n, 0)
    }
}

/// Basin hopping and simulated annealing: the current point, the trial point and the polish
/// scratch, `5n`.
pub(crate) fn hopping(n: usize) -> Result<usize, Error> {
    local_len(n, 2)
}

/// Perturbed gradient descent: the anchor, the gradient and the kick, `3n`.
pub(crate) fn perturbed_gd(n: usize) -> Result<usize, Error> {
    mul(n, 3)
}

/// The genetic algorithm: the polish scratch, `3n`.
pub(crate) fn genetic(n: usize) -> Result<usize, Error> {
    local_len(n, 0)
}

/// Differential evolution: the trial point and the polish scratch, `4n`.
pub(crate) fn differential_evolution(n: usize) -> Result<usize, Error> {
    local_len(n, 1)
}

/// Dual annealing: the current point, the trial point and the polish scratch, `5n`.
pub(crate) fn dual_annealing(n: usize) -> Result<usize, Error> {
    local_len(n, 2)
}

/// MLSL: the start, the trial point and the polish scratch, `5n`.
pub(crate) fn mlsl(n: usize) -> Result<usize, Error> {
    local_len(n, 2)
}

/// MLSL's sample store for `k_max` points: `k_max·(2n + 5)`.
pub(crate) fn mlsl_store(n: usize, k_max: usize) -> Result<usize, Error> {
    match crate::global::mlsl_store_len(n, k_max) {
        Some((p, m, v)) => p
            .checked_add(m)
            .and_then(|s| s.checked_add(v))
            .ok_or(Error::LengthMismatch),
        None => Err(Error::LengthMismatch),
    }
}

/// Replica exchange: the trial point and the polish scratch, `4n`.
pub(crate) fn replica_exchange(n: usize) -> Result<usize, Error> {
    local_len(n, 1)
}

/// CMA-ES with a population scratch of `lambda` points: `C`, its eigenvectors and the
/// decomposition's scratch, `D`, seven vectors, the polish scratch, the population and its
/// losses, `3n² + 11n + λ(n + 1)`.
pub(crate) fn cmaes(n: usize, lambda: usize) -> Result<usize, Error> {
    crate::global::cmaes_work_len(n, lambda).ok_or(Error::LengthMismatch)
}

/// The C value of a rule: the length, or 0 when it overflows.
fn c_len(len: Result<usize, Error>) -> usize {
    len.unwrap_or(0)
}

/// Scratch length (in values) of `lossmap_gradient_central_*` for `n` parameters: `2n`; 0
/// when that overflows (`LOSSMAP_GRADIENT_CENTRAL_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_gradient_central_work_len(n: usize) -> usize {
    c_len(gradient(n))
}

/// Scratch length (in values) of `lossmap_gradient_forward_*` for `n` parameters: `2n`; 0
/// when that overflows (`LOSSMAP_GRADIENT_FORWARD_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_gradient_forward_work_len(n: usize) -> usize {
    c_len(gradient(n))
}

/// Scratch length (in values) of `lossmap_gradient_richardson_*` for `n` parameters: `2n`; 0
/// when that overflows (`LOSSMAP_GRADIENT_RICHARDSON_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_gradient_richardson_work_len(n: usize) -> usize {
    c_len(gradient(n))
}

/// Scratch length (in values) of `lossmap_hessian_*` for `n` parameters: `n + n²`; 0 when
/// that overflows (`LOSSMAP_HESSIAN_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_work_len(n: usize) -> usize {
    c_len(hessian(n, false))
}

/// Scratch length (in values) of `lossmap_hessian_richardson_*` for `n` parameters:
/// `n + 2n²`; 0 when that overflows (`LOSSMAP_HESSIAN_RICHARDSON_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_richardson_work_len(n: usize) -> usize {
    c_len(hessian(n, true))
}

/// Scratch length (in values) of `lossmap_hessian_from_gradient_*` for `n` parameters:
/// `3n + n²`; 0 when that overflows (`LOSSMAP_HESSIAN_FROM_GRADIENT_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_from_gradient_work_len(n: usize) -> usize {
    c_len(hessian_from_gradient(n))
}

/// Scratch length (in values) of `lossmap_hvp_*` for `n` parameters: `3n`; 0 when that
/// overflows (`LOSSMAP_HVP_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hvp_work_len(n: usize) -> usize {
    c_len(hvp(n))
}

/// Scratch length (in values) of `lossmap_directional_*` for `n` parameters: `n`
/// (`LOSSMAP_DIRECTIONAL_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_directional_work_len(n: usize) -> usize {
    c_len(directional(n))
}

/// Scratch length (in values) of `lossmap_gradient_adaptive_*` for `n` parameters: `3n`; 0
/// when that overflows (`LOSSMAP_GRADIENT_ADAPTIVE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_gradient_adaptive_work_len(n: usize) -> usize {
    c_len(gradient_adaptive(n))
}

/// Scratch length (in values) of `lossmap_hessian_adaptive_*` for `n` parameters: `n + 2n²`;
/// 0 when that overflows (`LOSSMAP_HESSIAN_ADAPTIVE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_adaptive_work_len(n: usize) -> usize {
    c_len(hessian_adaptive(n))
}

/// Scratch length (in values) of `lossmap_hessian_from_gradient_adaptive_*` for `n`
/// parameters: `10n + 2n²`; 0 when that overflows
/// (`LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_from_gradient_adaptive_work_len(n: usize) -> usize {
    c_len(hessian_from_gradient_adaptive(n))
}

/// Scratch length (in values) of `lossmap_hvp_adaptive_*` for `n` parameters: `12n`; 0 when
/// that overflows (`LOSSMAP_HVP_ADAPTIVE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hvp_adaptive_work_len(n: usize) -> usize {
    c_len(hvp_adaptive(n))
}

/// Scratch length (in values) of `lossmap_directional_adaptive_*` for `n` parameters: `n`
/// (`LOSSMAP_DIRECTIONAL_ADAPTIVE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_directional_adaptive_work_len(n: usize) -> usize {
    c_len(directional_adaptive(n))
}

/// Scratch length (in values) of `lossmap_gradient_adaptive_ex_*` for `n` parameters: `3n`;
/// 0 when that overflows (`LOSSMAP_GRADIENT_ADAPTIVE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_gradient_adaptive_ex_work_len(n: usize) -> usize {
    c_len(gradient_adaptive(n))
}

/// Scratch length (in values) of `lossmap_hessian_adaptive_ex_*` for `n` parameters:
/// `n + 2n²`; 0 when that overflows (`LOSSMAP_HESSIAN_ADAPTIVE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_adaptive_ex_work_len(n: usize) -> usize {
    c_len(hessian_adaptive(n))
}

/// Scratch length (in values) of `lossmap_hessian_from_gradient_adaptive_ex_*` for `n`
/// parameters, valid for both accuracies: `12n + 2n²`; 0 when that overflows
/// (`LOSSMAP_HESSIAN_FROM_GRADIENT_ADAPTIVE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hessian_from_gradient_adaptive_ex_work_len(n: usize) -> usize {
    c_len(hessian_from_gradient_adaptive_ex(n))
}

/// Scratch length (in values) of `lossmap_hvp_adaptive_ex_*` for `n` parameters, valid for
/// both accuracies: `14n`; 0 when that overflows (`LOSSMAP_HVP_ADAPTIVE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hvp_adaptive_ex_work_len(n: usize) -> usize {
    c_len(hvp_adaptive_ex(n))
}

/// Scratch length (in values) of `lossmap_directional_adaptive_ex_*` for `n` parameters: `n`
/// (`LOSSMAP_DIRECTIONAL_ADAPTIVE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_directional_adaptive_ex_work_len(n: usize) -> usize {
    c_len(directional_adaptive(n))
}

/// Scratch length (in values) of `lossmap_sym_eigen_*` for an `n×n` matrix: `n²`; 0 when
/// that overflows (`LOSSMAP_SYM_EIGEN_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_sym_eigen_work_len(n: usize) -> usize {
    c_len(eigen(n))
}

/// Scratch length (in values) of `lossmap_curvature_*` for an `n×n` Hessian: `n²`; 0 when
/// that overflows (`LOSSMAP_CURVATURE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_curvature_work_len(n: usize) -> usize {
    c_len(eigen(n))
}

/// Scratch length (in values) of `lossmap_classify_at_*` for `n` parameters: `3n² + 3n`; 0
/// when that overflows (`LOSSMAP_CLASSIFY_AT_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_classify_at_work_len(n: usize) -> usize {
    c_len(classify_at(n))
}

/// Scratch length (in values) of `lossmap_convex_at_*` for `n` parameters: `3n² + 2n`; 0 when
/// that overflows (`LOSSMAP_CONVEX_AT_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_convex_at_work_len(n: usize) -> usize {
    c_len(hessian_analysis(n))
}

/// Scratch length (in values) of `lossmap_convex_over_box_*` for `n` parameters: `3n² + 4n`;
/// 0 when that overflows (`LOSSMAP_CONVEX_OVER_BOX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_convex_over_box_work_len(n: usize) -> usize {
    c_len(convex_over_box(n))
}

/// Scratch length (in values) of `lossmap_epsilon_sharpness_*` for `n` parameters: `4n`; 0
/// when that overflows (`LOSSMAP_EPSILON_SHARPNESS_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_epsilon_sharpness_work_len(n: usize) -> usize {
    c_len(epsilon_sharpness(n))
}

/// Scratch length (in values) of `lossmap_noisy_loss_*` for `n` parameters: `n + n²`; 0 when
/// that overflows (`LOSSMAP_NOISY_LOSS_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_noisy_loss_work_len(n: usize) -> usize {
    c_len(noisy_loss(n))
}

/// Scratch length (in values) of `lossmap_curvature_stability_*` for `n` parameters:
/// `3n² + 3n`; 0 when that overflows (`LOSSMAP_CURVATURE_STABILITY_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_curvature_stability_work_len(n: usize) -> usize {
    c_len(curvature_stability(n))
}

/// Scratch length (in values) of `lossmap_top_eigen_*` for `n` parameters and `k`
/// eigenpairs: `4n + k + k·n`; 0 when that overflows (`LOSSMAP_TOP_EIGEN_WORK_LEN(n, k)`).
#[no_mangle]
pub extern "C" fn lossmap_top_eigen_work_len(n: usize, k: usize) -> usize {
    c_len(top_eigen(n, k))
}

/// Scratch length (in values) of `lossmap_hutchinson_trace_*` for `n` parameters: `4n`; 0
/// when that overflows (`LOSSMAP_HUTCHINSON_TRACE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hutchinson_trace_work_len(n: usize) -> usize {
    c_len(hutchinson_trace(n))
}

/// Scratch length (in values) of `lossmap_slice_1d_*` for `n` parameters: `n`
/// (`LOSSMAP_SLICE_1D_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_slice_1d_work_len(n: usize) -> usize {
    c_len(slice(n))
}

/// Scratch length (in values) of `lossmap_slice_2d_*` for `n` parameters: `n`
/// (`LOSSMAP_SLICE_2D_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_slice_2d_work_len(n: usize) -> usize {
    c_len(slice(n))
}

/// Scratch length (in values) of `lossmap_neb_*` for `n` parameters and `images` images:
/// `(3·images + 1)·n`; 0 when that overflows (`LOSSMAP_NEB_WORK_LEN(n, images)`).
#[no_mangle]
pub extern "C" fn lossmap_neb_work_len(n: usize, images: usize) -> usize {
    c_len(neb(n, images))
}

/// Scratch length (in values) of `lossmap_critical_point_*` for `n` parameters: `5n² + 7n`;
/// 0 when that overflows (`LOSSMAP_CRITICAL_POINT_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_critical_point_work_len(n: usize) -> usize {
    c_len(critical_point(n))
}

/// Scratch length (in values) of `lossmap_census_*` for `n` parameters: `5n² + 8n`; 0 when
/// that overflows (`LOSSMAP_CENSUS_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_census_work_len(n: usize) -> usize {
    c_len(census(n))
}

/// Scratch length (in values) of `lossmap_minimize_adam_*` for `n` parameters: `2n`; 0 when
/// that overflows (`LOSSMAP_MINIMIZE_ADAM_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_minimize_adam_work_len(n: usize) -> usize {
    c_len(minimize(n))
}

/// Scratch length (in values) of `lossmap_minimize_ex_*` for `n` parameters: `2n`; 0 when
/// that overflows (`LOSSMAP_MINIMIZE_EX_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_minimize_ex_work_len(n: usize) -> usize {
    c_len(minimize(n))
}

/// Scratch length (in values) of `lossmap_minimize_stochastic_*` for `n` parameters: `3n`; 0
/// when that overflows (`LOSSMAP_MINIMIZE_STOCHASTIC_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_minimize_stochastic_work_len(n: usize) -> usize {
    c_len(minimize_stochastic(n))
}

/// Scratch length (in values) of `lossmap_minimize_curriculum_*` for `n` parameters: `3n` (as
/// the stochastic driver); 0 when that overflows (`LOSSMAP_MINIMIZE_CURRICULUM_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_minimize_curriculum_work_len(n: usize) -> usize {
    c_len(minimize_stochastic(n))
}

/// Scratch length (in values) of `lossmap_sam_step_*` for `n` parameters: `2n`; 0 when that
/// overflows (`LOSSMAP_SAM_STEP_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_sam_step_work_len(n: usize) -> usize {
    c_len(minimize(n))
}

/// Scratch length (in values) of `lossmap_newton_*` for `n` parameters: `2n² + 4n`; 0 when
/// that overflows (`LOSSMAP_NEWTON_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_newton_work_len(n: usize) -> usize {
    c_len(newton(n))
}

/// Scratch length (in values) of `lossmap_levenberg_marquardt_*` for `m` residuals and `n`
/// parameters: `m·n + 2m + 6n`; 0 when that overflows
/// (`LOSSMAP_LEVENBERG_MARQUARDT_WORK_LEN(m, n)`).
#[no_mangle]
pub extern "C" fn lossmap_levenberg_marquardt_work_len(m: usize, n: usize) -> usize {
    c_len(levenberg_marquardt(m, n))
}

/// Scratch length (in values) of `lossmap_gauss_newton_*` for `m` residuals and `n`
/// parameters: `m·n + 2m + 7n`; 0 when that overflows (`LOSSMAP_GAUSS_NEWTON_WORK_LEN(m, n)`).
#[no_mangle]
pub extern "C" fn lossmap_gauss_newton_work_len(m: usize, n: usize) -> usize {
    c_len(gauss_newton(m, n))
}

/// Scratch length (in values) of `lossmap_fit_statistics_*` for `m` residuals and `n`
/// parameters: `n·n + m·n + 2m + 2n`; 0 when that overflows
/// (`LOSSMAP_FIT_STATISTICS_WORK_LEN(m, n)`).
#[no_mangle]
pub extern "C" fn lossmap_fit_statistics_work_len(m: usize, n: usize) -> usize {
    c_len(fit_statistics(m, n))
}

/// Scratch length (in values) of `lossmap_bfgs_*` for `n` parameters: `n² + 5n`; 0 when that
/// overflows (`LOSSMAP_BFGS_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_bfgs_work_len(n: usize) -> usize {
    c_len(bfgs(n))
}

/// Scratch length (in values) of `lossmap_lbfgs_*` for `n`
/// parameters and `m` pairs: `2mn + 2m + 4n`; 0 when that overflows
/// (`LOSSMAP_LBFGS_WORK_LEN(n, m)`).
#[no_mangle]
pub extern "C" fn lossmap_lbfgs_work_len(n: usize, m: usize) -> usize {
    c_len(lbfgs(n, m))
}

/// Scratch length (in values) of `lossmap_lbfgs_bounded_*` for `n` parameters and `m` pairs:
/// `2mn + 2m + 4n`, as `lossmap_lbfgs_work_len`; 0 when that overflows
/// (`LOSSMAP_LBFGS_BOUNDED_WORK_LEN(n, m)`).
#[no_mangle]
pub extern "C" fn lossmap_lbfgs_bounded_work_len(n: usize, m: usize) -> usize {
    c_len(lbfgs(n, m))
}

/// Scratch length (in values) of `lossmap_nelder_mead_*` for `n` parameters: `n² + 4n`; 0 when
/// that overflows (`LOSSMAP_NELDER_MEAD_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_nelder_mead_work_len(n: usize) -> usize {
    c_len(nelder_mead(n))
}

/// Scratch length (in values) of `lossmap_least_squares_*` for `d` features:
/// `(d + 1)(2d + 3)`; 0 when that overflows (`LOSSMAP_LEAST_SQUARES_WORK_LEN(d)`).
#[no_mangle]
pub extern "C" fn lossmap_least_squares_work_len(d: usize) -> usize {
    c_len(least_squares(d))
}

/// Scratch length (in values) of `lossmap_multistart_*` for `n` parameters: `3n` when `kinds`
/// is NULL (`classify` = 0), `3n² + 3n` when the end points are classified (`classify` ≠ 0);
/// 0 when that overflows (`LOSSMAP_MULTISTART_WORK_LEN(n, classify)`).
#[no_mangle]
pub extern "C" fn lossmap_multistart_work_len(n: usize, classify: i32) -> usize {
    c_len(multistart(n, classify != 0))
}

/// Scratch length (in values) of `lossmap_hopping_*` for `n` parameters: `5n` (current point,
/// trial point, polish scratch); 0 when that overflows (`LOSSMAP_HOPPING_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_hopping_work_len(n: usize) -> usize {
    c_len(hopping(n))
}

/// Scratch length (in values) of `lossmap_anneal_*` for `n` parameters: `5n` (current point,
/// trial point, polish scratch); 0 when that overflows (`LOSSMAP_ANNEAL_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_anneal_work_len(n: usize) -> usize {
    c_len(hopping(n))
}

/// Scratch length (in values) of `lossmap_perturbed_gd_*` for `n` parameters: `3n`; 0 when
/// that overflows (`LOSSMAP_PERTURBED_GD_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_perturbed_gd_work_len(n: usize) -> usize {
    c_len(perturbed_gd(n))
}

/// Scratch length (in values) of `lossmap_genetic_*` for `n` parameters: `3n` (polish
/// scratch); 0 when that overflows (`LOSSMAP_GENETIC_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_genetic_work_len(n: usize) -> usize {
    c_len(genetic(n))
}

/// Scratch length (in values) of `lossmap_replica_exchange_*` for `n` parameters: `4n` (trial
/// point, polish scratch); 0 when that overflows (`LOSSMAP_REPLICA_EXCHANGE_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_replica_exchange_work_len(n: usize) -> usize {
    c_len(replica_exchange(n))
}

/// Scratch length (in values) of `lossmap_differential_evolution_*` for `n` parameters: `4n`
/// (trial point, polish scratch); 0 when that overflows
/// (`LOSSMAP_DIFFERENTIAL_EVOLUTION_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_differential_evolution_work_len(n: usize) -> usize {
    c_len(differential_evolution(n))
}

/// Scratch length (in values) of `lossmap_dual_annealing_*` for `n` parameters: `5n` (current
/// point, trial point, polish scratch); 0 when that overflows
/// (`LOSSMAP_DUAL_ANNEALING_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_dual_annealing_work_len(n: usize) -> usize {
    c_len(dual_annealing(n))
}

/// Scratch length (in values) of `lossmap_mlsl_*` for `n` parameters: `5n` (start, trial
/// point, polish scratch); 0 when that overflows (`LOSSMAP_MLSL_WORK_LEN(n)`).
#[no_mangle]
pub extern "C" fn lossmap_mlsl_work_len(n: usize) -> usize {
    c_len(mlsl(n))
}

/// Store length (in values) of `lossmap_mlsl_*` for `n` parameters and a sample of up to
/// `k_max` points: `k_max·(2n + 5)` (points, local minima, losses, flags and nearest-lower distances); 0 when that
/// overflows (`LOSSMAP_MLSL_STORE_LEN(n, k_max)`).
#[no_mangle]
pub extern "C" fn lossmap_mlsl_store_len(n: usize, k_max: usize) -> usize {
    c_len(mlsl_store(n, k_max))
}

/// Scratch length (in values) of `lossmap_cmaes_*` for `n` parameters and a population
/// scratch of `lambda` points (the largest population of the run, IPOP restarts included):
/// `3n² + 11n + lambda·(n + 1)`; 0 when that overflows (`LOSSMAP_CMAES_WORK_LEN(n, lambda)`).
/// An L-BFGS polish adds `lossmap_polish_len`.
#[no_mangle]
pub extern "C" fn lossmap_cmaes_work_len(n: usize, lambda: usize) -> usize {
    c_len(cmaes(n, lambda))
}

/// Extra scratch (in values) a `lossmap_polish_*` of `kind` needs for `n` parameters and an
/// L-BFGS memory `m`, after a global method's own `work`: `2mn + 2m + 5n` for
/// `LOSSMAP_POLISH_LBFGS`, 0 for the other kinds; 0 when that overflows
/// (`LOSSMAP_POLISH_LEN(kind, n, m)`).
#[no_mangle]
pub extern "C" fn lossmap_polish_len(kind: i32, n: usize, m: usize) -> usize {
    c_len(super::global::polish_len(kind, n, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::{convex_work_len, neb_work_len};
    use crate::loss::least_squares_work_len;

    /// Every run-time function for several sizes against its closed form, and 0 on overflow.
    #[test]
    fn closed_forms_and_overflow() {
        type One = extern "C" fn(usize) -> usize;
        let one: [(One, fn(usize) -> usize); 47] = [
            (lossmap_critical_point_work_len, |n| 5 * n * n + 7 * n),
            (lossmap_census_work_len, |n| 5 * n * n + 8 * n),
            (lossmap_gradient_central_work_len, |n| 2 * n),
            (lossmap_gradient_forward_work_len, |n| 2 * n),
            (lossmap_gradient_richardson_work_len, |n| 2 * n),
            (lossmap_hessian_work_len, |n| n + n * n),
            (lossmap_hessian_richardson_work_len, |n| n + 2 * n * n),
            (lossmap_hessian_from_gradient_work_len, |n| 3 * n + n * n),
            (lossmap_hvp_work_len, |n| 3 * n),
            (lossmap_directional_work_len, |n| n),
            (lossmap_gradient_adaptive_work_len, |n| 3 * n),
            (lossmap_hessian_adaptive_work_len, |n| n + 2 * n * n),
            (lossmap_hessian_from_gradient_adaptive_work_len, |n| {
                10 * n + 2 * n * n
            }),
            (lossmap_hvp_adaptive_work_len, |n| 12 * n),
            (lossmap_directional_adaptive_work_len, |n| n),
            (lossmap_gradient_adaptive_ex_work_len, |n| 3 * n),
            (lossmap_hessian_adaptive_ex_work_len, |n| n + 2 * n * n),
            (lossmap_directional_adaptive_ex_work_len, |n| n),
            (lossmap_hessian_from_gradient_adaptive_ex_work_len, |n| {
                12 * n + 2 * n * n
            }),
            (lossmap_hvp_adaptive_ex_work_len, |n| 14 * n),
            (lossmap_sym_eigen_work_len, |n| n * n),
            (lossmap_curvature_work_len, |n| n * n),
            (lossmap_classify_at_work_len, |n| 3 * n * n + 3 * n),
            (lossmap_convex_at_work_len, |n| 3 * n * n + 2 * n),
            (lossmap_convex_over_box_work_len, |n| 3 * n * n + 4 * n),
            (lossmap_epsilon_sharpness_work_len, |n| 4 * n),
            (lossmap_noisy_loss_work_len, |n| n + n * n),
            (lossmap_curvature_stability_work_len, |n| 3 * n * n + 3 * n),
            (lossmap_hutchinson_trace_work_len, |n| 4 * n),
            (lossmap_slice_1d_work_len, |n| n),
            (lossmap_slice_2d_work_len, |n| n),
            (lossmap_minimize_adam_work_len, |n| 2 * n),
            (lossmap_minimize_ex_work_len, |n| 2 * n),
            (lossmap_minimize_stochastic_work_len, |n| 3 * n),
            (lossmap_minimize_curriculum_work_len, |n| 3 * n),
            (lossmap_sam_step_work_len, |n| 2 * n),
            (lossmap_newton_work_len, |n| 2 * n * n + 4 * n),
            (lossmap_bfgs_work_len, |n| n * n + 5 * n),
            (lossmap_nelder_mead_work_len, |n| n * n + 4 * n),
            (lossmap_least_squares_work_len, |d| (d + 1) * (2 * d + 3)),
            (lossmap_hopping_work_len, |n| 5 * n),
            (lossmap_anneal_work_len, |n| 5 * n),
            (lossmap_perturbed_gd_work_len, |n| 3 * n),
            (lossmap_genetic_work_len, |n| 3 * n),
            (lossmap_differential_evolution_work_len, |n| 4 * n),
            (lossmap_dual_annealing_work_len, |n| 5 * n),
            (lossmap_mlsl_work_len, |n| 5 * n),
        ];
        for (i, (c, closed)) in one.iter().enumerate() {
            for n in [1, 2, 3, 5, 8, 100] {
                assert_eq!(c(n), closed(n), "rule {i}, n = {n}");
            }
            let identity = closed(7) == 7;
            let at_max = if identity { usize::MAX } else { 0 };
            assert_eq!(c(usize::MAX), at_max, "rule {i} at usize::MAX");
        }
        assert_eq!(lossmap_replica_exchange_work_len(3), 12);
        assert_eq!(lossmap_mlsl_store_len(2, 100), 900);
        assert_eq!(lossmap_mlsl_store_len(usize::MAX, 2), 0);
        for (m, n) in [(1, 1), (5, 2), (40, 3), (100, 7)] {
            assert_eq!(
                lossmap_levenberg_marquardt_work_len(m, n),
                m * n + 2 * m + 6 * n
            );
            assert_eq!(
                lossmap_levenberg_marquardt_work_len(m, n),
                crate::nlls::lm_work_len(m, n)
            );
            assert_eq!(lossmap_gauss_newton_work_len(m, n), m * n + 2 * m + 7 * n);
            assert_eq!(
                lossmap_gauss_newton_work_len(m, n),
                crate::nlls::gn_work_len(m, n)
            );
            assert_eq!(
                lossmap_fit_statistics_work_len(m, n),
                n * n + m * n + 2 * m + 2 * n
            );
        }
        assert_eq!(lossmap_levenberg_marquardt_work_len(usize::MAX, 2), 0);
        assert_eq!(lossmap_gauss_newton_work_len(2, usize::MAX), 0);
        assert_eq!(lossmap_fit_statistics_work_len(1, usize::MAX), 0);
        for n in [1, 2, 3, 5, 8] {
            assert_eq!(lossmap_multistart_work_len(n, 0), 3 * n);
            assert_eq!(lossmap_multistart_work_len(n, 7), 3 * n * n + 3 * n);
            assert_eq!(lossmap_convex_at_work_len(n), convex_work_len(n));
            assert_eq!(lossmap_least_squares_work_len(n), least_squares_work_len(n));
            for k in [1, 2, 3] {
                assert_eq!(lossmap_top_eigen_work_len(n, k), 4 * n + k + k * n);
            }
            for images in [3, 9] {
                assert_eq!(lossmap_neb_work_len(n, images), neb_work_len(n, images));
            }
        }
        assert_eq!(lossmap_directional_work_len(usize::MAX), usize::MAX);
        assert_eq!(lossmap_gradient_central_work_len(usize::MAX), 0);
        assert_eq!(lossmap_multistart_work_len(usize::MAX, 0), 0);
        assert_eq!(lossmap_multistart_work_len(usize::MAX, 1), 0);
        assert_eq!(lossmap_top_eigen_work_len(usize::MAX, 2), 0);
        assert_eq!(lossmap_neb_work_len(usize::MAX, 3), 0);
        assert_eq!(lossmap_least_squares_work_len(usize::MAX), 0);
        assert_eq!(lossmap_replica_exchange_work_len(usize::MAX), 0);
        for (n, m) in [(1, 1), (2, 10), (10, 5)] {
            assert_eq!(lossmap_lbfgs_work_len(n, m), 2 * m * n + 2 * m + 4 * n);
            assert_eq!(
                lossmap_lbfgs_bounded_work_len(n, m),
                2 * m * n + 2 * m + 4 * n
            );
        }
        assert_eq!(lossmap_lbfgs_work_len(usize::MAX, 2), 0);
        for (n, l) in [(1, 4), (2, 6), (8, 10), (16, 12)] {
            assert_eq!(
                lossmap_cmaes_work_len(n, l),
                3 * n * n + 11 * n + l * (n + 1)
            );
        }
        assert_eq!(lossmap_cmaes_work_len(usize::MAX, 2), 0);
        assert_eq!(lossmap_cmaes_work_len(2, usize::MAX), 0);
        for (n, m) in [(1, 1), (2, 10), (10, 5)] {
            assert_eq!(lossmap_polish_len(2, n, m), 2 * m * n + 2 * m + 5 * n);
            assert_eq!(lossmap_polish_len(0, n, m), 0);
            assert_eq!(lossmap_polish_len(1, n, m), 0);
        }
        assert_eq!(lossmap_polish_len(2, usize::MAX, 2), 0);
    }
}
