//! Newton's method with Hessian modification and Armijo backtracking (Nocedal & Wright,
//! *Numerical Optimization*, 2nd ed., Algorithm 3.2 "Line Search Newton with Modification" and
//! Algorithm 3.3 "Cholesky with Added Multiple of the Identity").
//!
//! Each iteration, at `x` with gradient `g` and Hessian `H`:
//!
//! ```text
//! β  = beta·‖H‖_F            (beta itself when ‖H‖_F = 0)
//! τ₀ = 0 if minᵢ Hᵢᵢ > 0, else β − minᵢ Hᵢᵢ
//! repeat: try Cholesky of H + τI; on failure τ ← max(2τ, β)     (at most MAX_SHIFTS tries)
//! p  = −(H + τI)⁻¹ g
//! α  = 1, ρ, ρ², …  until f(x + αp) ≤ f(x) + c₁ α gᵀp          (Armijo, ≤ max_backtracks)
//! x ← x + αp
//! ```
//!
//! N&W use a fixed `β = 10⁻³`; scaling it by `‖H‖_F` makes the shift invariant to the scale of
//! the objective. An iteration "needed modification" when `τ > 0` was used.
//!
//! A full step (α = 1) whose loss differs from the current one by no more than the rounding of
//! the loss (`4ε|f|`) is accepted too: at a minimum with `f* ≠ 0` the Armijo decrease asked for
//! once `‖g‖` is near the requested tolerance is below what `f` can resolve.

use super::super::stop::StopReason;
use super::super::Stop;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::{at, cholesky_solve, dot_unchecked, norm2, put};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};

/// Most shifts `τ` tried per iteration before [`Error::NotPositiveDefinite`].
pub const NEWTON_MAX_SHIFTS: usize = 100;

/// Newton line-search and modification parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct NewtonConfig<T> {
    /// Armijo sufficient-decrease constant `c₁ ∈ (0, 1)`. Default 1e-4 (N&W §3.1).
    pub c1: T,
    /// Backtracking factor `ρ ∈ (0, 1)`: `α ← ρα` after a rejected step. Default 0.5.
    pub backtrack: T,
    /// Most step-length reductions per iteration (> 0). Default 50.
    pub max_backtracks: usize,
    /// Relative Hessian shift `β > 0` (times `‖H‖_F`). Default 1e-3 (N&W Alg. 3.3).
    pub beta: T,
}

impl<T: Real> Default for NewtonConfig<T> {
    fn default() -> Self {
        NewtonConfig {
            c1: T::from_f64(1e-4),
            backtrack: T::HALF,
            max_backtracks: 50,
            beta: T::from_f64(1e-3),
        }
    }
}

impl<T: Real> NewtonConfig<T> {
    /// [`Error::InvalidParameter`] unless `c₁, ρ ∈ (0, 1)`, `max_backtracks > 0` and `β` is
    /// finite and > 0.
    ///
    /// ```
    /// use lossmap::optim::NewtonConfig;
    /// assert!(NewtonConfig::<f64>::default().validate().is_ok());
    /// assert!(NewtonConfig { beta: 0.0, ..NewtonConfig::<f64>::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let unit = |v: T| v > T::ZERO && v < T::ONE;
        if unit(self.c1)
            && unit(self.backtrack)
            && self.max_backtracks > 0
            && self.beta.is_finite()
            && self.beta > T::ZERO
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// The outcome of a Newton run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NewtonReport<T> {
    /// [`StopReason::GradientNorm`] or [`StopReason::MaxIterations`].
    pub reason: StopReason,
    /// Newton steps taken.
    pub iterations: usize,
    /// Objective evaluations, including those of finite-difference gradients and Hessians.
    pub value_evals: usize,
    /// Gradient calls.
    pub grad_evals: usize,
    /// Hessian calls.
    pub hess_evals: usize,
    /// Iterations whose Hessian needed a shift `τ > 0` to be positive definite.
    pub modified: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// `‖g‖₂` at the returned point.
    pub grad_norm: T,
}

/// Scratch length (in `T`s) of [`newton_slice`]'s `vecs` for `n` parameters: `4n`.
pub const fn newton_vecs_len(n: usize) -> usize {
    n.saturating_mul(4)
}

/// Newton's method over slices: the kernel behind [`newton`] and the C ABI.
///
/// `hess` and `chol` (`n×n` each) and `vecs` (`4n`) are scratch. Stops when `‖g‖₂ ≤
/// stop.grad_tol` or after `stop.max_iter` steps (`stop.rel_tol` and `stop.window` are not
/// used). Bad input (sizes, NaN/Inf in `x`, invalid config or stop rules) and a non-finite
/// loss, gradient or Hessian at the start return an error with `x` untouched. Later:
///
/// * a non-finite loss (at a line-search trial point included), gradient or Hessian rolls `x`
///   back to the last accepted point and returns [`Error::NonFiniteLoss`] /
///   [`Error::NonFiniteGradient`] (a non-finite Hessian is reported as the latter);
/// * a line search that finds no acceptable step in `max_backtracks` reductions rolls back and
///   returns [`Error::NoConvergence`];
/// * a Hessian that no shift makes positive definite returns [`Error::NotPositiveDefinite`]
///   (`x` at the last accepted point).
pub fn newton_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    hess: &mut [T],
    chol: &mut [T],
    vecs: &mut [T],
    cfg: &NewtonConfig<T>,
    stop: &Stop<T>,
) -> Result<NewtonReport<T>, Error> {
    let n = x.len();
    check_len(n, n)?;
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    check_len(hess.len(), nn)?;
    check_len(chol.len(), nn)?;
    check_len(vecs.len(), newton_vecs_len(n))?;
    cfg.validate()?;
    stop.validate()?;
    check_finite(x)?;
    let (prev, rest) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (grad, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (p, diag) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;

    let mut value_evals = 1usize;
    let mut loss = obj.value(x);
    if !loss.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    let mut grad_evals = 1usize;
    value_evals = value_evals.saturating_add(eval_gradient(obj, x, grad)?);
    let (mut hess_evals, mut modified, mut iterations) = (0usize, 0usize, 0usize);
    let reason = loop {
        if norm2(grad) <= stop.grad_tol {
            break StopReason::GradientNorm;
        }
        if iterations >= stop.max_iter {
            break StopReason::MaxIterations;
        }
        hess_evals = hess_evals.saturating_add(1);
        value_evals = value_evals.saturating_add(eval_hessian(obj, x, hess)?);
        if newton_direction(hess, n, chol, grad, p, diag, cfg.beta)? {
            modified = modified.saturating_add(1);
        }
        let slope = dot_unchecked(grad, p);
        prev.iter_mut().zip(x.iter()).for_each(|(a, &b)| *a = b);
        let mut alpha = T::ONE;
        let mut accepted = None;
        for k in 0..=cfg.max_backtracks {
            x.iter_mut()
                .zip(prev.iter().zip(p.iter()))
                .for_each(|(xi, (&pr, &pi))| *xi = pr + alpha * pi);
            let trial = obj.value(x);
            value_evals = value_evals.saturating_add(1);
            if !trial.is_finite() {
                roll_back(x, prev);
                return Err(Error::NonFiniteLoss);
            }
            let armijo = trial <= loss + cfg.c1 * alpha * slope;
            let in_noise =
                k == 0 && (trial - loss).abs() <= T::from_f64(4.0) * T::EPSILON_R * loss.abs();
            if armijo || in_noise {
                accepted = Some(trial);
                break;
            }
            alpha *= cfg.backtrack;
        }
        let Some(new_loss) = accepted else {
            roll_back(x, prev);
            return Err(Error::NoConvergence);
        };
        iterations = iterations.saturating_add(1);
        grad_evals = grad_evals.saturating_add(1);
        match eval_gradient(obj, x, grad) {
            Ok(e) => value_evals = value_evals.saturating_add(e),
            Err(e) => {
                roll_back(x, prev);
                return Err(e);
            }
        }
        loss = new_loss;
    };
    Ok(NewtonReport {
        reason,
        iterations,
        value_evals,
        grad_evals,
        hess_evals,
        modified,
        loss,
        grad_norm: norm2(grad),
    })
}

/// Solves `(H + τI) p = −g` with the smallest `τ` of N&W Alg. 3.3's sequence for which the
/// Cholesky factorization succeeds; returns whether `τ > 0` was needed. `hess` is overwritten
/// (its diagonal shifted); `diag` keeps the original diagonal.
fn newton_direction<T: Real>(
    hess: &mut [T],
    n: usize,
    chol: &mut [T],
    grad: &[T],
    p: &mut [T],
    diag: &mut [T],
    beta_rel: T,
) -> Result<bool, Error> {
    let mut min_d = T::MAX_R;
    for i in 0..n {
        let d = at(hess, i * n + i);
        put(diag, i, d);
        min_d = min_d.min(d);
    }
    let fro = norm2(hess);
    let mut beta = beta_rel * fro;
    if !(beta.is_finite() && beta > T::ZERO) {
        beta = beta_rel;
    }
    let mut tau = if min_d > T::ZERO {
        T::ZERO
    } else {
        beta - min_d
    };
    for _ in 0..NEWTON_MAX_SHIFTS {
        for i in 0..n {
            put(hess, i * n + i, at(diag, i) + tau);
        }
        p.iter_mut().zip(grad).for_each(|(pi, &gi)| *pi = -gi);
        match cholesky_solve(hess, n, chol, p) {
            Ok(()) if p.iter().all(|v| v.is_finite()) => return Ok(tau > T::ZERO),
            Ok(()) | Err(Error::NotPositiveDefinite) | Err(Error::NonFiniteInput) => {
                tau = (tau * T::TWO).max(beta);
            }
            Err(e) => return Err(e),
        }
    }
    Err(Error::NotPositiveDefinite)
}

/// Gradient at `x`; failures and non-finite entries are [`Error::NonFiniteGradient`] (a
/// non-finite loss seen by a finite-difference gradient stays [`Error::NonFiniteLoss`]).
pub(super) fn eval_gradient<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    grad: &mut [T],
) -> Result<usize, Error> {
    let evals = obj.gradient(x, grad).map_err(map_derivative_error)?;
    if check_finite(grad).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(evals)
}

/// Hessian at `x`, with the error mapping of [`eval_gradient`].
fn eval_hessian<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    hess: &mut [T],
) -> Result<usize, Error> {
    let evals = obj.hessian(x, hess).map_err(map_derivative_error)?;
    if check_finite(hess).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(evals)
}

fn map_derivative_error(e: Error) -> Error {
    match e {
        Error::NonFiniteLoss => Error::NonFiniteLoss,
        Error::LengthMismatch => Error::LengthMismatch,
        _ => Error::NonFiniteGradient,
    }
}

fn roll_back<T: Real>(x: &mut [T], prev: &[T]) {
    x.iter_mut().zip(prev).for_each(|(xi, &p)| *xi = p);
}

/// Newton's method on a typed objective (its `gradient` and `hessian`: analytic when it
/// overrides them, finite differences otherwise). See [`newton_slice`] for the errors. Its
/// scratch (two `N×N` matrices) lives in this call's frame; [`Newton`] keeps it in storage the
/// caller owns.
///
/// ```
/// use lossmap::optim::{newton, NewtonConfig, Stop, StopReason};
/// use lossmap::testfn::Rosenbrock;
/// let mut x = [-1.2f64, 1.0];
/// let stop = Stop { grad_tol: 1e-8, max_iter: 100, ..Stop::default() };
/// let r = newton(&mut Rosenbrock, &mut x, &NewtonConfig::default(), &stop).unwrap();
/// assert_eq!(r.reason, StopReason::GradientNorm);
/// assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] - 1.0).abs() < 1e-8);
/// assert!(r.iterations <= 21);
/// ```
pub fn newton<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    cfg: &NewtonConfig<T>,
    stop: &Stop<T>,
) -> Result<NewtonReport<T>, Error> {
    Newton::new(*cfg).minimize(obj, x, stop)
}

/// Newton's method with its scratch (the Hessian, its factor and four vectors) in storage the
/// caller owns: the thin typed view over [`newton_slice`], for firmware that places it
/// statically. After a run `hessian` holds the last Hessian evaluated.
///
/// ```
/// use lossmap::optim::{Newton, NewtonConfig, Stop};
/// use lossmap::testfn::Himmelblau;
/// let mut nt = Newton::<f64, 2>::new(NewtonConfig::default());
/// let mut x = [3.2, 2.1];
/// nt.minimize(&mut Himmelblau, &mut x, &Stop { grad_tol: 1e-10, ..Stop::default() }).unwrap();
/// assert!((x[0] - 3.0).abs() < 1e-10 && (x[1] - 2.0).abs() < 1e-10); // the minimum (3, 2)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Newton<T, const N: usize> {
    /// Step control.
    pub config: NewtonConfig<T>,
    /// The last Hessian evaluated.
    pub hessian: [[T; N]; N],
    chol: [[T; N]; N],
    vecs: [[T; N]; 4],
}

impl<T: Real, const N: usize> Newton<T, N> {
    /// Storage for `N` parameters; the configuration is checked by [`Newton::minimize`].
    pub fn new(config: NewtonConfig<T>) -> Self {
        Newton {
            config,
            hessian: [[T::ZERO; N]; N],
            chol: [[T::ZERO; N]; N],
            vecs: [[T::ZERO; N]; 4],
        }
    }

    /// Minimizes `obj` from `x` (start in, end out); see [`newton_slice`] for the errors.
    pub fn minimize<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
    ) -> Result<NewtonReport<T>, Error> {
        newton_slice(
            &mut Fixed::<O, N>(obj),
            x,
            self.hessian.as_flattened_mut(),
            self.chol.as_flattened_mut(),
            self.vecs.as_flattened_mut(),
            &self.config,
            stop,
        )
    }
}
