//! C entry points for the nudged elastic band with climbing image
//! ([`neb_slice`](crate::landscape::neb_slice)), with gradients of the loss callback by central
//! differences.

use super::diff::CLoss;
use super::ptr::{check, deref, mul_len, write_opt, Arg, OPTIONAL, READ, WRITTEN};
use super::status::status;
use super::work;
use super::{lossmap_loss_f32, lossmap_loss_f64};
use crate::landscape::{neb_slice, NebConfig, NebReport};
use crate::{Error, Real};
use core::ffi::c_void;

/// The outcome of a `lossmap_neb_*` run. The saddle estimate is row `climbing` of the path,
/// `path + climbing * n`; its energy is `energies[climbing]`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct LossmapNebReport<T> {
    /// `E_max − E(a)`: the barrier from the first endpoint.
    pub barrier_from_a: T,
    /// `E_max − E(b)`: the barrier from the last endpoint.
    pub barrier_from_b: T,
    /// Largest remaining force: perpendicular gradient over the movable images, whole gradient
    /// of the climbing image when it is on.
    pub max_force: T,
    /// Index of the highest movable image (the climbing image).
    pub climbing: usize,
    /// Iterations (FIRE steps) taken.
    pub iterations: usize,
    /// Loss evaluations, including those of the finite-difference gradients.
    pub value_evals: usize,
    /// Gradient evaluations (2n loss evaluations each).
    pub grad_evals: usize,
    /// 1 if the climbing image was on at the end, else 0.
    pub climbed: i32,
    /// 1 if the force tolerance was met (with the climbing image on, if enabled), else 0.
    pub converged: i32,
    /// Kinks at the end: movable images where the band turns by more than 90° (0 on a relaxed
    /// band).
    pub kinks: usize,
    /// Gradient evaluations (of `grad_evals`) spent rotating the climbing image's mode.
    pub mode_grads: usize,
    /// The probed largest curvature along the straight band (sets the time step and spring).
    pub curvature: T,
    /// The force scale: the largest gradient norm on the straight band (`force_tol` and
    /// `climb_tol` are relative to it).
    pub force_scale: T,
    /// The loss's measured noise in units of its rounding (≥ 1; ECnoise at the movable images,
    /// it scales the finite-difference convergence floor); 1 with an analytic gradient.
    pub noise: T,
}

impl<T: Real> From<NebReport<T>> for LossmapNebReport<T> {
    fn from(r: NebReport<T>) -> Self {
        LossmapNebReport {
            barrier_from_a: r.barrier_from_a,
            barrier_from_b: r.barrier_from_b,
            max_force: r.max_force,
            climbing: r.climbing,
            iterations: r.iterations,
            value_evals: r.value_evals,
            grad_evals: r.grad_evals,
            climbed: i32::from(r.climbed),
            converged: i32::from(r.converged),
            kinks: r.kinks,
            mode_grads: r.mode_grads,
            curvature: r.curvature,
            force_scale: r.force_scale,
            noise: r.noise,
        }
    }
}

/// Checks every buffer, runs the kernel, writes the report.
unsafe fn neb<T: Real>(
    f: Option<unsafe extern "C" fn(*const T, usize, *mut c_void) -> T>,
    ctx: *mut c_void,
    a: *const T,
    b: *const T,
    n: usize,
    images: usize,
    config: *const NebConfig<T>,
    path: *mut T,
    energies: *mut T,
    work: *mut T,
    report: *mut LossmapNebReport<T>,
) -> Result<(), Error> {
    let mut loss = CLoss::new(f, ctx)?;
    // Overflowing lengths are refused by `check` in their buffer's turn.
    let mn = mul_len(n, images);
    let work_len = work::neb(n, images).unwrap_or(usize::MAX);
    // a and b are only read: they may overlap each other, not the written buffers.
    check(&mut [
        Arg::of(config, 1, READ),
        Arg::of(report as *const LossmapNebReport<T>, 1, WRITTEN | OPTIONAL),
        Arg::of(a, n, READ),
        Arg::of(b, n, READ),
        Arg::of(path as *const T, mn, WRITTEN),
        Arg::of(energies as *const T, images, WRITTEN),
        Arg::of(work as *const T, work_len, WRITTEN),
    ])?;
    // SAFETY: checked non-null and aligned by `check`; validity is the caller's contract.
    let config = unsafe { *deref(config)? };
    // SAFETY: checked non-null, aligned, sized and disjoint by `check`.
    let (a, b, path, energies, work) = unsafe {
        (
            core::slice::from_raw_parts(a, n),
            core::slice::from_raw_parts(b, n),
            core::slice::from_raw_parts_mut(path, mn),
            core::slice::from_raw_parts_mut(energies, images),
            core::slice::from_raw_parts_mut(work, work_len),
        )
    };
    let r = neb_slice(&mut loss, a, b, path, energies, work, &config)?;
    // SAFETY: optional out-parameter.
    unsafe { write_opt(report, LossmapNebReport::from(r)) };
    Ok(())
}

/// Default NEB settings (f32), all relative to the landscape: spring 0.25 (× the probed largest
/// curvature λ_max), step 1 (largest FIRE time step × √λ_max), max_move 0.2 (× the image
/// spacing), force_tol 1.2e-5 (100ε, × the force scale; loosen for the finite-difference
/// gradients of a curved loss), climb_tol 0.005 (× the force scale), climb_after 200, max_iter
/// 2000, climb 1.
#[no_mangle]
pub extern "C" fn lossmap_neb_config_default_f32() -> NebConfig<f32> {
    NebConfig::default()
}

/// Default NEB settings (f64), all relative to the landscape: spring 0.25 (× the probed largest
/// curvature λ_max), step 1 (largest FIRE time step × √λ_max), max_move 0.2 (× the image
/// spacing), force_tol 1e-9 (× the force scale), climb_tol 0.005 (× the force scale),
/// climb_after 200, max_iter 2000, climb 1.
#[no_mangle]
pub extern "C" fn lossmap_neb_config_default_f64() -> NebConfig<f64> {
    NebConfig::default()
}

/// Nudged elastic band with climbing image between the minima `a[0..n]` and `b[0..n]` of the
/// loss `f` (f32; gradients by central differences, 2n evaluations each), over `images` ≥ 3
/// images, endpoints included. Writes the band to `path` (`images × n`, row-major), its
/// energies to `energies` (`images`); `work` holds `(3·images + 1)·n` floats of scratch; `report`
/// (may be NULL) receives barriers, climbing index, final force, counts, kinks and scales. Bad input (NULL,
/// sizes, NaN/Inf or identical endpoints, invalid config) changes nothing. A NaN/Inf loss or
/// gradient during the run returns `LOSSMAP_ERR_LOSS_NON_FINITE` / `LOSSMAP_ERR_GRAD_NON_FINITE`
/// with `path` restored to the band before the failing step (untouched if the first band
/// fails); `energies` is then unspecified.
#[no_mangle]
pub unsafe extern "C" fn lossmap_neb_f32(
    f: lossmap_loss_f32,
    ctx: *mut c_void,
    a: *const f32,
    b: *const f32,
    n: usize,
    images: usize,
    config: *const NebConfig<f32>,
    path: *mut f32,
    energies: *mut f32,
    work: *mut f32,
    report: *mut LossmapNebReport<f32>,
) -> i32 {
    status(unsafe {
        neb(
            f, ctx, a, b, n, images, config, path, energies, work, report,
        )
    })
}

/// Nudged elastic band with climbing image between the minima `a[0..n]` and `b[0..n]` of the
/// loss `f` (f64; gradients by central differences, 2n evaluations each), over `images` ≥ 3
/// images, endpoints included. Writes the band to `path` (`images × n`, row-major), its
/// energies to `energies` (`images`); `work` holds `(3·images + 1)·n` doubles of scratch; `report`
/// (may be NULL) receives barriers, climbing index, final force, counts, kinks and scales. Bad input (NULL,
/// sizes, NaN/Inf or identical endpoints, invalid config) changes nothing. A NaN/Inf loss or
/// gradient during the run returns `LOSSMAP_ERR_LOSS_NON_FINITE` / `LOSSMAP_ERR_GRAD_NON_FINITE`
/// with `path` restored to the band before the failing step (untouched if the first band
/// fails); `energies` is then unspecified.
#[no_mangle]
pub unsafe extern "C" fn lossmap_neb_f64(
    f: lossmap_loss_f64,
    ctx: *mut c_void,
    a: *const f64,
    b: *const f64,
    n: usize,
    images: usize,
    config: *const NebConfig<f64>,
    path: *mut f64,
    energies: *mut f64,
    work: *mut f64,
    report: *mut LossmapNebReport<f64>,
) -> i32 {
    status(unsafe {
        neb(
            f, ctx, a, b, n, images, config, path, energies, work, report,
        )
    })
}
