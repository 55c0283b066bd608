//! BFGS with a dense inverse-Hessian approximation (Nocedal & Wright, *Numerical
//! Optimization*, 2nd ed., Algorithm 6.1).
//!
//! ```text
//! p = −H g;  x⁺ = x + αp  (α: Moré–Thuente, strong Wolfe)
//! s = x⁺ − x,  y = g⁺ − g,  ρ = 1 / yᵀs
//! H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ                          (N&W 6.17)
//!    = H − ρ (s uᵀ + u sᵀ) + (ρ² yᵀu + ρ) s sᵀ,  u = H y
//! ```
//!
//! `H₀ = I`, as scipy's BFGS. N&W's rescaling of `H₀` to `(yᵀs / yᵀy) I` before the first
//! update (6.20) is not applied: on the Moré–Garbow–Hillstrom set from the standard starts
//! (`tests/repo/mgh.rs`) the unscaled start did as well as scipy on 35 of 36 problems against 33,
//! and needed no more evaluations than scipy on 24 of them against 17. A pair
//! with `yᵀs ≤ ε‖y‖‖s‖` (ε the machine epsilon: no measurable positive curvature, which a
//! Wolfe step rules out in exact arithmetic) is skipped and counted in
//! [`QuasiNewtonReport::skipped`]. The first trial step is 1, except at the start (and after
//! a reset) where it is `min(1, 1.01/‖g‖)`, and later `min(1, 1.01 · 2(f_k − f_{k−1})/gᵀp)`
//! when that is positive: N&W's initial-step rule (3.60) as scipy's BFGS applies it.

use super::{
    copy, distance, line_search, observe, value_and_gradient, Evals, LineOutcome,
    QuasiNewtonConfig, QuasiNewtonReport, StopCheck, WEAK_STEPS,
};
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, dot_unchecked, norm2, put};
use crate::objective::{Fixed, SliceObjective};
use crate::optim::{ObserverHook, Stop, StopReason};
use crate::{Objective, Real};

/// Largest line-search step (L-BFGS-B's `big`).
pub(crate) const STPMAX: f64 = 1e10;

/// Scratch length (in `T`s) of [`bfgs_slice`]'s `vecs` for `n` parameters: `5n`.
pub const fn bfgs_vecs_len(n: usize) -> usize {
    n.saturating_mul(5)
}

/// BFGS over slices (Nocedal & Wright Algorithm 6.1: update (6.17), `H₀ = I`,
/// Moré–Thuente strong-Wolfe line search with [`QuasiNewtonConfig`]'s constants): the kernel
/// behind [`bfgs`], [`Bfgs`] and the C ABI.
///
/// `hinv` (`n×n`, row-major) receives the inverse-Hessian approximation; `vecs` (`5n`) is
/// scratch. `observer` (may be `None`) sees every accepted step ([`Progress::lr`] is the step
/// length α) and stops the run by returning `false`. Bad input (sizes, NaN/Inf in `x`, invalid
/// configuration or stop rules) return an error with nothing written; a non-finite loss or
/// gradient at the start returns one with `x` and `hinv` untouched.
///
/// Stops: `‖g‖₂ ≤ stop.grad_tol`, the loss window `rel_tol`/`window`, `‖x_{k+1} − x_k‖₂ ≤
/// step_tol`, `max_iter` iterations, `max_evals` evaluations (finite-difference ones included;
/// checked before every line-search trial) and, when [`QuasiNewtonConfig::ftol`] > 0,
/// `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol`. Failures: a non-finite loss or gradient
/// (at a line-search trial included) rolls `x` back to the last accepted point and returns
/// [`Error::NonFiniteLoss`] / [`Error::NonFiniteGradient`]. A line search without a Wolfe point
/// keeps its last trial if that lowered the loss. If a trial's loss was within the rounding of
/// the current one (`4ε|f|`), the loss has reached its resolution and the run ends at the last
/// accepted point with [`StopReason::RelativeImprovement`]. Otherwise the approximation is reset
/// to the identity and the search repeated once, and if that fails too `x` is rolled back and
/// [`Error::NoConvergence`] returned.
///
/// [`Progress::lr`]: crate::optim::Progress::lr
pub fn bfgs_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    hinv: &mut [T],
    vecs: &mut [T],
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
    mut observer: ObserverHook<'_, T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    let n = x.len();
    check_len(n, n)?;
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    check_len(hinv.len(), nn)?;
    check_len(vecs.len(), bfgs_vecs_len(n))?;
    cfg.validate()?;
    stop.validate()?;
    check_finite(x)?;
    let (prev, rest) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (grad, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (gprev, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (p, u) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let mut ev = Evals {
        values: 0,
        grads: 0,
        max: stop.max_evals,
        charge_grads: false,
    };
    let mut f = value_and_gradient(obj, x, grad, &mut ev)?;
    identity(hinv, n, T::ONE);
    let mut checker = StopCheck::new(f);
    let (mut iterations, mut skipped, mut resets) = (0usize, 0usize, 0usize);
    let mut fresh = true;
    let (mut f_old, mut step): (Option<T>, Option<T>) = (None, None);
    let stpmax = T::from_f64(STPMAX);
    // Consecutive steps the line search accepted short of the strong Wolfe conditions (not at
    // the step limit): the gradient no longer agrees with the loss.
    let mut weak = 0usize;
    let reason = 'run: loop {
        if weak >= WEAK_STEPS {
            break StopReason::RelativeImprovement;
        }
        if let Some(r) = checker.check(
            stop,
            cfg.ftol,
            tested_norm(cfg, grad),
            f,
            f_old,
            step,
            iterations,
            &ev,
        ) {
            break r;
        }
        let mut retried = false;
        let (f_new, alpha) = loop {
            direction(hinv, n, grad, p);
            let mut slope = dot_unchecked(grad, p);
            if !(slope < T::ZERO && slope.is_finite()) {
                identity(hinv, n, T::ONE);
                resets = resets.saturating_add(1);
                fresh = true;
                direction(hinv, n, grad, p);
                slope = dot_unchecked(grad, p);
            }
            let stp = initial_step(fresh, f, f_old, slope, norm2(grad));
            copy(prev, x);
            copy(gprev, grad);
            match line_search(
                obj, x, grad, prev, p, f, slope, stp, stpmax, None, cfg, &mut ev,
            ) {
                Ok(LineOutcome::Accepted(fa, s, wolfe)) => {
                    weak = if wolfe || s >= stpmax { 0 } else { weak + 1 };
                    break (fa, s);
                }
                Ok(LineOutcome::Budget) => {
                    copy(grad, gprev);
                    break 'run StopReason::MaxEvaluations;
                }
                Ok(LineOutcome::Failed(flat)) => {
                    copy(grad, gprev);
                    if flat {
                        break 'run StopReason::RelativeImprovement;
                    }
                    if retried || fresh {
                        return Err(Error::NoConvergence);
                    }
                    retried = true;
                    identity(hinv, n, T::ONE);
                    resets = resets.saturating_add(1);
                    fresh = true;
                }
                Err(e) => return Err(e),
            }
        };
        fresh = false;
        // s into p, y into gprev.
        for ((pi, &xi), &qi) in p.iter_mut().zip(x.iter()).zip(prev.iter()) {
            *pi = xi - qi;
        }
        for (yi, &gi) in gprev.iter_mut().zip(grad.iter()) {
            *yi = gi - *yi;
        }
        let sy = dot_unchecked(p, gprev);
        let (sn, yn) = (norm2(p), norm2(gprev));
        if sy.is_finite() && sy > T::EPSILON_R * sn * yn && yn > T::ZERO {
            update(hinv, n, p, gprev, u, sy);
        } else {
            skipped = skipped.saturating_add(1);
        }
        iterations = iterations.saturating_add(1);
        f_old = Some(f);
        f = f_new;
        checker.push(f);
        let s_norm = distance(x, prev);
        step = Some(s_norm);
        if !observe(
            &mut observer,
            iterations,
            f,
            norm2(grad),
            s_norm,
            alpha,
            &ev,
        ) {
            break StopReason::Observer;
        }
    };
    Ok(QuasiNewtonReport {
        reason,
        iterations,
        value_evals: ev.values,
        grad_evals: ev.grads,
        skipped,
        resets,
        loss: f,
        grad_norm: norm2(grad),
    })
}

/// The first trial step (see the module notes).
pub(crate) fn initial_step<T: Real>(fresh: bool, f: T, f_old: Option<T>, slope: T, gn: T) -> T {
    let c = T::from_f64(1.01);
    let a = match (fresh, f_old) {
        (true, _) | (false, None) => c / gn,
        (false, Some(fo)) => c * T::TWO * (f - fo) / slope,
    };
    if a.is_finite() && a > T::ZERO {
        a.min(T::ONE)
    } else {
        T::ONE
    }
}

/// `H ← c·I`.
fn identity<T: Real>(h: &mut [T], n: usize, c: T) {
    for (k, v) in h.iter_mut().enumerate() {
        *v = if k % n.saturating_add(1) == 0 {
            c
        } else {
            T::ZERO
        };
    }
}

/// The gradient norm `Stop::grad_tol` bounds ([`QuasiNewtonConfig::max_norm`]).
fn tested_norm<T: Real>(cfg: &QuasiNewtonConfig<T>, g: &[T]) -> T {
    if cfg.max_norm == 1 {
        crate::linalg::norm_inf(g)
    } else {
        norm2(g)
    }
}

/// `p = −H g`.
fn direction<T: Real>(h: &[T], n: usize, g: &[T], p: &mut [T]) {
    for (row, pi) in h.chunks_exact(n.max(1)).zip(p.iter_mut()) {
        *pi = -dot_unchecked(row, g);
    }
}

/// The update (6.17) in the expanded form of the module notes; `u` is scratch.
fn update<T: Real>(h: &mut [T], n: usize, s: &[T], y: &[T], u: &mut [T], sy: T) {
    for (row, ui) in h.chunks_exact(n.max(1)).zip(u.iter_mut()) {
        *ui = dot_unchecked(row, y);
    }
    let rho = T::ONE / sy;
    let yu = dot_unchecked(y, u);
    let c = rho * rho * yu + rho;
    for i in 0..n {
        let (si, ui) = (at(s, i), at(u, i));
        for j in 0..n {
            let k = i * n + j;
            let (sj, uj) = (at(s, j), at(u, j));
            put(h, k, at(h, k) - rho * (si * uj + ui * sj) + c * si * sj);
        }
    }
}

/// BFGS on a typed objective (its `gradient`: analytic when it overrides it, central
/// differences otherwise). Its scratch (one `N×N` matrix) lives in this call's frame; [`Bfgs`]
/// keeps it in storage the caller owns. See [`bfgs_slice`] for the errors.
///
/// ```
/// use lossmap::optim::{bfgs, QuasiNewtonConfig, Stop, StopReason};
/// use lossmap::testfn::Rosenbrock;
/// let mut x = [-1.2f64, 1.0];
/// let stop = Stop { grad_tol: 1e-8, max_iter: 200, ..Stop::default() };
/// let r = bfgs(&mut Rosenbrock, &mut x, &QuasiNewtonConfig::default(), &stop).unwrap();
/// assert_eq!(r.reason, StopReason::GradientNorm);
/// assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7);
/// assert!(r.iterations < 60);
/// ```
pub fn bfgs<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    Bfgs::new(*cfg).minimize(obj, x, stop)
}

/// BFGS with its scratch (the inverse-Hessian approximation and five vectors) in storage the
/// caller owns: the typed view over [`bfgs_slice`], for firmware that places it statically.
/// After a run `inverse_hessian` holds the last approximation.
///
/// ```
/// use lossmap::optim::{Bfgs, QuasiNewtonConfig, Stop};
/// use lossmap::testfn::Himmelblau;
/// let mut b = Bfgs::<f64, 2>::new(QuasiNewtonConfig::default());
/// let mut x = [3.5, 1.5];
/// b.minimize(&mut Himmelblau, &mut x, &Stop { grad_tol: 1e-9, ..Stop::default() }).unwrap();
/// assert!((x[0] - 3.0).abs() < 1e-9 && (x[1] - 2.0).abs() < 1e-9); // the minimum (3, 2)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bfgs<T, const N: usize> {
    /// Line search and `ftol`.
    pub config: QuasiNewtonConfig<T>,
    /// The last inverse-Hessian approximation.
    pub inverse_hessian: [[T; N]; N],
    vecs: [[T; N]; 5],
}

impl<T: Real, const N: usize> Bfgs<T, N> {
    /// Storage for `N` parameters; the configuration is checked by [`Bfgs::minimize`].
    pub fn new(config: QuasiNewtonConfig<T>) -> Self {
        Bfgs {
            config,
            inverse_hessian: [[T::ZERO; N]; N],
            vecs: [[T::ZERO; N]; 5],
        }
    }

    /// Minimizes `obj` from `x` (start in, end out); see [`bfgs_slice`].
    pub fn minimize<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        self.minimize_with(obj, x, stop, None)
    }

    /// [`Bfgs::minimize`] with an observer called after every accepted step (`false` stops the
    /// run with [`StopReason::Observer`]).
    pub fn minimize_with<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
        observer: ObserverHook<'_, T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        bfgs_slice(
            &mut Fixed::<O, N>(obj),
            x,
            self.inverse_hessian.as_flattened_mut(),
            self.vecs.as_flattened_mut(),
            &self.config,
            stop,
            observer,
        )
    }
}
