//! C ABI of global exploration (Rust module [`crate::global`]): the shared constants, report,
//! default configurations and argument checks. The entry points of multi-start local search,
//! basin hopping, simulated annealing and perturbed gradient descent are in
//! `global_point.rs`, those of the genetic algorithm and replica exchange in
//! `global_population.rs`.
//!
//! Every method takes the loss callback, the box `lower[0..n]`/`upper[0..n]` (except
//! perturbed gradient descent, which is unconstrained), its configuration struct, an optional
//! local search `polish` (a `lossmap_polish_*`: none, projected gradient or L-BFGS, whose
//! history extends `work` by `lossmap_polish_len`; NULL for none), the generator
//! `lossmap_rng` for the stochastic ones, caller-owned buffers and an optional report
//! (`lossmap_search_report_*`, whose `reason` is a `LOSSMAP_SEARCH_*` code).
//!
//! Everything is checked before anything is written: null or misaligned pointers, zero and
//! overflowing lengths, overlap of any output (buffers, `rng`, state, report) with any other
//! buffer of the call (`LOSSMAP_ERR_ALIASED`; the inputs `lower` and `upper` may overlap each
//! other), the box (`LOSSMAP_ERR_EMPTY` for n = 0, `LOSSMAP_ERR_PARAM` for `lower > upper`), the
//! configuration and the start points. The generator, the state struct and the report are
//! written only on success.

use super::ptr::{deref, mul};
use crate::global::{
    AnnealingConfig, Bounds, Budget, HoppingConfig, LocalSearch, NoPolish, PerturbedConfig,
    ProjectedGradient, SearchReport, LOCAL_WORK,
};
use crate::objective::SliceObjective;
use crate::optim::{projected_lbfgs_work_len, ProjectedLbfgsSlice, QuasiNewtonConfig};
use crate::{Error, Real};
use core::ffi::c_char;

// Literal values: cbindgen cannot evaluate the Rust constants; a unit test keeps them equal.
/// Search stopped: `max_evals` evaluations used (`reason` of `lossmap_search_report_*`).
pub const LOSSMAP_SEARCH_MAX_EVALS: i32 = 1;
/// Search stopped: the best loss reached `f_target`.
pub const LOSSMAP_SEARCH_TARGET: i32 = 2;
/// Search stopped: the best loss stopped improving (the method's stagnation rule).
pub const LOSSMAP_SEARCH_STAGNATION: i32 = 3;
/// Search stopped: `max_iter` iterations done.
pub const LOSSMAP_SEARCH_MAX_ITER: i32 = 4;
/// Search stopped (perturbed gradient descent): a kick did not lower the loss by `f_thresh`;
/// (differential evolution): the population's losses converged.
pub const LOSSMAP_SEARCH_CONVERGED: i32 = 5;
/// Search stopped (multi-start): every start was run.
pub const LOSSMAP_SEARCH_COMPLETED: i32 = 6;

/// Annealing cooling `T ← αT` (`cooling` of `lossmap_annealing_config_*`).
pub const LOSSMAP_COOLING_GEOMETRIC: i32 = 0;
/// Annealing cooling `T_k = T₀ ln 2 / ln(k + 2)`.
pub const LOSSMAP_COOLING_LOGARITHMIC: i32 = 1;
/// Annealing cooling `T ← T·max(½, exp(−λT/σ_E))`.
pub const LOSSMAP_COOLING_ADAPTIVE: i32 = 2;
/// Gaussian annealing proposals (`proposal` of `lossmap_annealing_config_*`).
pub const LOSSMAP_PROPOSAL_GAUSSIAN: i32 = 0;
/// Cauchy annealing proposals.
pub const LOSSMAP_PROPOSAL_CAUCHY: i32 = 1;
/// Proposals leaving the box are clipped to it (`boundary` of the annealing and replica
/// configurations).
pub const LOSSMAP_BOUNDARY_CLIP: i32 = 0;
/// Proposals leaving the box are reflected into it.
pub const LOSSMAP_BOUNDARY_REFLECT: i32 = 1;
/// BLX-α blend crossover (`crossover` of `lossmap_genetic_config_*`).
pub const LOSSMAP_CROSSOVER_BLX: i32 = 0;
/// Arithmetic (convex-combination) crossover.
pub const LOSSMAP_CROSSOVER_ARITHMETIC: i32 = 1;
/// `kinds` entry of `lossmap_multistart_*` for an end point that was not classified (not run,
/// non-finite loss, or its gradient or Hessian could not be computed).
pub const LOSSMAP_POINT_UNCLASSIFIED: i32 = -1;

/// The report of a global search.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossmapSearchReport<T> {
    /// Why the search stopped: a `LOSSMAP_SEARCH_*` code.
    pub reason: i32,
    /// Loss at the best point (finite).
    pub best_loss: T,
    /// Loss evaluations, those of finite-difference gradients included.
    pub value_evals: usize,
    /// Gradient calls (each also counts as one evaluation of the budget).
    pub grad_evals: usize,
    /// Iterations done: starts, hops, gradient steps, proposals, generations or sweeps.
    pub iterations: usize,
    /// Accepted Metropolis moves (annealing, hopping, replica exchange), kicks (perturbed
    /// gradient descent), starts run without error (multi-start), accepted trials (differential
    /// evolution), restarts (CMA-ES); 0 for the GA.
    pub accepted: usize,
    /// Times the best point improved.
    pub improvements: usize,
}

impl<T: Real> LossmapSearchReport<T> {
    /// The C form of a [`SearchReport`].
    pub(super) fn of(r: SearchReport<T>) -> Self {
        LossmapSearchReport {
            reason: r.reason.code(),
            best_loss: r.best_loss,
            value_evals: r.value_evals,
            grad_evals: r.grad_evals,
            iterations: r.iterations,
            accepted: r.accepted,
            improvements: r.improvements,
        }
    }
}

/// A copy of the struct at `p` (required input).
///
/// # Safety
/// A non-null, aligned `p` must point to a valid `S`.
pub(super) unsafe fn read<S: Copy>(p: *const S) -> Result<S, Error> {
    // SAFETY: checked by `deref`; validity is the caller's contract.
    unsafe { deref(p) }.copied()
}

/// `LOCAL_WORK·n + extra·n`, overflow-checked.
pub(super) fn local_len(n: usize, extra: usize) -> Result<usize, Error> {
    mul(
        n,
        LOCAL_WORK.checked_add(extra).ok_or(Error::LengthMismatch)?,
    )
}

/// No local search (`kind` of `lossmap_polish_*`).
pub const LOSSMAP_POLISH_NONE: i32 = 0;
/// Projected gradient descent with Armijo backtracking (`projected_gradient` of
/// `lossmap_polish_*`): no extra scratch, about 200 evaluations per 2-D polish.
pub const LOSSMAP_POLISH_PROJECTED_GRADIENT: i32 = 1;
/// Projected L-BFGS (`lbfgs` of `lossmap_polish_*`), scipy's L-BFGS-B role: about 30
/// evaluations per 2-D polish; its history takes `lossmap_polish_len` more values of
/// `work`.
pub const LOSSMAP_POLISH_LBFGS: i32 = 2;

/// Parameters of the L-BFGS polish (`lbfgs` of `lossmap_polish_*`; Rust
/// `ProjectedLbfgsSlice`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossmapLbfgsPolish<T> {
    /// Curvature pairs kept, ≥ 1. Default 10 (scipy's `maxcor`).
    pub memory: usize,
    /// Stop when the projected gradient's 2-norm is ≤ `grad_tol` (finite, ≥ 0). Default 1e-5
    /// (scipy's `pgtol`).
    pub grad_tol: T,
    /// Most iterations, > 0. Default 15 000 (scipy's `maxiter`).
    pub max_iter: usize,
    /// Line search and `ftol`. Default `lossmap_quasi_newton_config_lbfgsb_*` (`ftol` 2.2e-9).
    pub config: QuasiNewtonConfig<T>,
}

/// The local search ("polish") of a C global method: `kind` is a `LOSSMAP_POLISH_*` code and
/// selects which of the two parameter sets is used; both are checked whatever the kind, so
/// the defaults of `lossmap_polish_default_*` are a valid start for every kind. With
/// `LOSSMAP_POLISH_LBFGS` the method's `work` is longer by
/// `lossmap_polish_len(kind, n, lbfgs.memory)` values (the L-BFGS history, after the
/// method's own scratch). A NULL polish is `LOSSMAP_POLISH_NONE`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossmapPolish<T> {
    /// `LOSSMAP_POLISH_NONE`, `LOSSMAP_POLISH_PROJECTED_GRADIENT` or `LOSSMAP_POLISH_LBFGS`.
    pub kind: i32,
    /// Parameters of the projected-gradient polish.
    pub projected_gradient: ProjectedGradient<T>,
    /// Parameters of the L-BFGS polish.
    pub lbfgs: LossmapLbfgsPolish<T>,
}

impl<T: Real> Default for LossmapPolish<T> {
    fn default() -> Self {
        LossmapPolish {
            kind: LOSSMAP_POLISH_LBFGS,
            projected_gradient: ProjectedGradient::default(),
            lbfgs: LossmapLbfgsPolish {
                memory: 10,
                grad_tol: T::from_f64(1e-5),
                max_iter: 15_000,
                config: QuasiNewtonConfig::lbfgsb(),
            },
        }
    }
}

impl<T: Real> LossmapPolish<T> {
    /// [`Error::InvalidParameter`] for an unknown kind or any bad parameter (of either set).
    pub(super) fn validate(&self) -> Result<(), Error> {
        let l = &self.lbfgs;
        if !matches!(
            self.kind,
            LOSSMAP_POLISH_NONE | LOSSMAP_POLISH_PROJECTED_GRADIENT | LOSSMAP_POLISH_LBFGS
        ) || l.memory == 0
            || l.max_iter == 0
            || !(l.grad_tol.is_finite() && l.grad_tol >= T::ZERO)
        {
            return Err(Error::InvalidParameter);
        }
        LocalSearch::<T>::validate(&self.projected_gradient)?;
        l.config.validate()
    }
}

/// Extra `work` of a polish of `kind` for `n` parameters and an L-BFGS memory `m`:
/// `2mn + 2m + 5n` for `LOSSMAP_POLISH_LBFGS`, else 0.
pub(super) fn polish_len(kind: i32, n: usize, m: usize) -> Result<usize, Error> {
    if kind == LOSSMAP_POLISH_LBFGS {
        projected_lbfgs_work_len(n, m).ok_or(Error::LengthMismatch)
    } else {
        Ok(0)
    }
}

/// The polish of a C call, read and not yet bound to its scratch.
#[derive(Clone, Copy)]
pub(super) struct PolishSpec<T>(Option<LossmapPolish<T>>);

impl<T: Real> PolishSpec<T> {
    /// Extra `work` for `n` parameters (checked: the kind is validated later).
    pub(super) fn len(&self, n: usize) -> Result<usize, Error> {
        match &self.0 {
            None => Ok(0),
            Some(p) => polish_len(p.kind, n, p.lbfgs.memory),
        }
    }

    /// `base` plus the extra `work`.
    pub(super) fn total(&self, base: usize, n: usize) -> Result<usize, Error> {
        base.checked_add(self.len(n)?).ok_or(Error::LengthMismatch)
    }

    /// Checks the parameters.
    pub(super) fn validate(&self) -> Result<(), Error> {
        match &self.0 {
            None => Ok(()),
            Some(p) => p.validate(),
        }
    }

    /// Splits `work` into the method's first `base` values and the polish's tail, and binds
    /// the polish to the tail.
    pub(super) fn bind<'w>(
        &self,
        n: usize,
        base: usize,
        work: &'w mut [T],
    ) -> Result<(&'w mut [T], Local<'w, T>), Error> {
        self.validate()?;
        let (head, tail) = work
            .split_at_mut_checked(base)
            .ok_or(Error::LengthMismatch)?;
        let local = match &self.0 {
            None => Local::Off,
            Some(p) => match p.kind {
                LOSSMAP_POLISH_PROJECTED_GRADIENT => Local::Gradient(p.projected_gradient),
                LOSSMAP_POLISH_LBFGS => {
                    let mut l = ProjectedLbfgsSlice::new(p.lbfgs.memory, n, tail)?;
                    l.config = p.lbfgs.config;
                    l.grad_tol = p.lbfgs.grad_tol;
                    l.max_iter = p.lbfgs.max_iter;
                    Local::Lbfgs(l)
                }
                _ => Local::Off,
            },
        };
        Ok((head, local))
    }
}

/// The polish of a C call bound to its scratch.
pub(super) enum Local<'w, T> {
    /// None: [`NoPolish`].
    Off,
    /// A [`ProjectedGradient`].
    Gradient(ProjectedGradient<T>),
    /// A [`ProjectedLbfgsSlice`] over the tail of `work`.
    Lbfgs(ProjectedLbfgsSlice<'w, T>),
}

/// The polish of a C call: NULL is none, otherwise a copy of the struct (checked later, with
/// the other parameters).
///
/// # Safety
/// A non-null, aligned `p` must point to a valid `lossmap_polish_*`.
pub(super) unsafe fn local<T: Real>(p: *const LossmapPolish<T>) -> Result<PolishSpec<T>, Error> {
    if p.is_null() {
        Ok(PolishSpec(None))
    } else {
        // SAFETY: caller's contract.
        Ok(PolishSpec(Some(unsafe { read(p)? })))
    }
}

impl<T: Real> LocalSearch<T> for Local<'_, T> {
    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        match self {
            Local::Off => {
                LocalSearch::<T>::refine(&mut NoPolish, obj, bounds, x, loss, work, max_evals)
            }
            Local::Gradient(p) => p.refine(obj, bounds, x, loss, work, max_evals),
            Local::Lbfgs(p) => p.refine(obj, bounds, x, loss, work, max_evals),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        match self {
            Local::Off => Ok(()),
            Local::Gradient(p) => LocalSearch::<T>::validate(p),
            Local::Lbfgs(p) => LocalSearch::<T>::validate(p),
        }
    }
}

/// A static, NUL-terminated name of a `LOSSMAP_SEARCH_*` stop code ("unknown" otherwise).
#[no_mangle]
pub extern "C" fn lossmap_search_stop_name(code: i32) -> *const c_char {
    let s: &'static core::ffi::CStr = match code {
        LOSSMAP_SEARCH_MAX_EVALS => c"max-evals",
        LOSSMAP_SEARCH_TARGET => c"target",
        LOSSMAP_SEARCH_STAGNATION => c"stagnation",
        LOSSMAP_SEARCH_MAX_ITER => c"max-iter",
        LOSSMAP_SEARCH_CONVERGED => c"converged",
        LOSSMAP_SEARCH_COMPLETED => c"completed",
        _ => c"unknown",
    };
    s.as_ptr()
}

/// Budget defaults (f32): 20 000 evaluations, 1 000 000 iterations, no target (−FLT_MAX).
#[no_mangle]
pub extern "C" fn lossmap_budget_default_f32() -> Budget<f32> {
    Budget::default()
}

/// Budget defaults (f64): 20 000 evaluations, 1 000 000 iterations, no target (−DBL_MAX).
#[no_mangle]
pub extern "C" fn lossmap_budget_default_f64() -> Budget<f64> {
    Budget::default()
}

/// Projected-gradient polish defaults (f32): step 1e-2, grad_tol 1e-7, max_iter 500, c1 0.5,
/// shrink 0.5, max_backtracks 40.
#[no_mangle]
pub extern "C" fn lossmap_projected_gradient_default_f32() -> ProjectedGradient<f32> {
    ProjectedGradient::default()
}

/// Projected-gradient polish defaults (f64): step 1e-2, grad_tol 1e-7, max_iter 500, c1 0.5,
/// shrink 0.5, max_backtracks 40.
#[no_mangle]
pub extern "C" fn lossmap_projected_gradient_default_f64() -> ProjectedGradient<f64> {
    ProjectedGradient::default()
}

/// Polish defaults (f32): `kind` `LOSSMAP_POLISH_LBFGS` with memory 10, grad_tol 1e-5,
/// max_iter 15 000 and the L-BFGS-B line search (`ftol` 2.2e-9); the projected-gradient
/// parameters at their defaults (`lossmap_projected_gradient_default_f32`).
#[no_mangle]
pub extern "C" fn lossmap_polish_default_f32() -> LossmapPolish<f32> {
    LossmapPolish::default()
}

/// Polish defaults (f64): `kind` `LOSSMAP_POLISH_LBFGS` with memory 10, grad_tol 1e-5,
/// max_iter 15 000 and the L-BFGS-B line search (`ftol` 2.2e-9); the projected-gradient
/// parameters at their defaults (`lossmap_projected_gradient_default_f64`).
#[no_mangle]
pub extern "C" fn lossmap_polish_default_f64() -> LossmapPolish<f64> {
    LossmapPolish::default()
}

/// Basin-hopping defaults (f32): default budget, temperature 1, step 0.5, adaptive (target
/// acceptance 0.5, interval 50, factor 0.9), no stall rule.
#[no_mangle]
pub extern "C" fn lossmap_hopping_config_default_f32() -> HoppingConfig<f32> {
    HoppingConfig::default()
}

/// Basin-hopping defaults (f64): default budget, temperature 1, step 0.5, adaptive (target
/// acceptance 0.5, interval 50, factor 0.9), no stall rule.
#[no_mangle]
pub extern "C" fn lossmap_hopping_config_default_f64() -> HoppingConfig<f64> {
    HoppingConfig::default()
}

/// Annealing defaults (f32): default budget, t0 10, t_min 1e-3, geometric cooling α 0.9
/// (λ 0.7), chains of 50 Gaussian proposals of scale 0.1, reflecting boundary, reheat after
/// 20 stalled chains, at most 1000 reheats.
#[no_mangle]
pub extern "C" fn lossmap_annealing_config_default_f32() -> AnnealingConfig<f32> {
    AnnealingConfig::default()
}

/// Annealing defaults (f64): default budget, t0 10, t_min 1e-3, geometric cooling α 0.9
/// (λ 0.7), chains of 50 Gaussian proposals of scale 0.1, reflecting boundary, reheat after
/// 20 stalled chains, at most 1000 reheats.
#[no_mangle]
pub extern "C" fn lossmap_annealing_config_default_f64() -> AnnealingConfig<f64> {
    AnnealingConfig::default()
}

/// Perturbed gradient descent defaults (f32): default budget, lr 1e-2, g_thresh 1e-3, radius
/// 1e-2, t_thresh 100, f_thresh 1e-4.
#[no_mangle]
pub extern "C" fn lossmap_perturbed_config_default_f32() -> PerturbedConfig<f32> {
    PerturbedConfig::default()
}

/// Perturbed gradient descent defaults (f64): default budget, lr 1e-2, g_thresh 1e-3, radius
/// 1e-2, t_thresh 100, f_thresh 1e-4.
#[no_mangle]
pub extern "C" fn lossmap_perturbed_config_default_f64() -> PerturbedConfig<f64> {
    PerturbedConfig::default()
}

/// The search box from its two bounds of `n` values each, as [`Bounds::new`] checks them.
///
/// # Safety
/// `lower` and `upper` have been through `check` (non-null, aligned, `n` values addressable)
/// and point to `n` initialized values each, valid for reads for `'a`.
pub(super) unsafe fn checked_box<'a, T: Real>(
    lower: *const T,
    upper: *const T,
    n: usize,
) -> Result<Bounds<'a, T>, Error> {
    // SAFETY: checked by `check`; validity is the caller's contract.
    let (lower, upper) = unsafe {
        (
            core::slice::from_raw_parts(lower, n),
            core::slice::from_raw_parts(upper, n),
        )
    };
    Bounds::new(lower, upper)
}

/// [`Error::NullPointer`] for a misaligned optional pointer (NULL is fine).
pub(super) fn need_opt<S>(p: *const S) -> Result<(), Error> {
    if p.is_aligned() {
        Ok(())
    } else {
        Err(Error::NullPointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::global::{
        SearchStop, BOUNDARY_CLIP, BOUNDARY_REFLECT, COOLING_ADAPTIVE, COOLING_GEOMETRIC,
        COOLING_LOGARITHMIC, CROSSOVER_ARITHMETIC, CROSSOVER_BLX, PROPOSAL_CAUCHY,
        PROPOSAL_GAUSSIAN,
    };

    #[test]
    fn constants_match_the_rust_codes() {
        assert_eq!(LOSSMAP_SEARCH_MAX_EVALS, SearchStop::MaxEvaluations.code());
        assert_eq!(LOSSMAP_SEARCH_TARGET, SearchStop::Target.code());
        assert_eq!(LOSSMAP_SEARCH_STAGNATION, SearchStop::Stagnation.code());
        assert_eq!(LOSSMAP_SEARCH_MAX_ITER, SearchStop::MaxIterations.code());
        assert_eq!(LOSSMAP_SEARCH_CONVERGED, SearchStop::Converged.code());
        assert_eq!(LOSSMAP_SEARCH_COMPLETED, SearchStop::Completed.code());
        assert_eq!(LOSSMAP_COOLING_GEOMETRIC, COOLING_GEOMETRIC);
        assert_eq!(LOSSMAP_COOLING_LOGARITHMIC, COOLING_LOGARITHMIC);
        assert_eq!(LOSSMAP_COOLING_ADAPTIVE, COOLING_ADAPTIVE);
        assert_eq!(LOSSMAP_PROPOSAL_GAUSSIAN, PROPOSAL_GAUSSIAN);
        assert_eq!(LOSSMAP_PROPOSAL_CAUCHY, PROPOSAL_CAUCHY);
        assert_eq!(LOSSMAP_BOUNDARY_CLIP, BOUNDARY_CLIP);
        assert_eq!(LOSSMAP_BOUNDARY_REFLECT, BOUNDARY_REFLECT);
        assert_eq!(LOSSMAP_CROSSOVER_BLX, CROSSOVER_BLX);
        assert_eq!(LOSSMAP_CROSSOVER_ARITHMETIC, CROSSOVER_ARITHMETIC);
        for c in [0, 1, 2, 3, 4] {
            assert_ne!(LOSSMAP_POINT_UNCLASSIFIED, c);
        }
        assert_eq!(
            (
                LOSSMAP_POLISH_NONE,
                LOSSMAP_POLISH_PROJECTED_GRADIENT,
                LOSSMAP_POLISH_LBFGS
            ),
            (0, 1, 2)
        );
        assert!(LossmapPolish::<f64>::default().validate().is_ok());
        let bad = LossmapPolish {
            kind: 3,
            ..LossmapPolish::<f64>::default()
        };
        assert_eq!(bad.validate(), Err(Error::InvalidParameter));
    }

    #[test]
    fn stop_names_are_the_rust_names() {
        let all = [
            SearchStop::MaxEvaluations,
            SearchStop::Target,
            SearchStop::Stagnation,
            SearchStop::MaxIterations,
            SearchStop::Converged,
            SearchStop::Completed,
        ];
        for s in all {
            // SAFETY: static NUL-terminated strings.
            let c = unsafe { core::ffi::CStr::from_ptr(lossmap_search_stop_name(s.code())) };
            assert_eq!(c.to_str(), Ok(s.name()));
        }
    }
}
