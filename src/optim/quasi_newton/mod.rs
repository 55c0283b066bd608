//! Quasi-Newton methods with a strong-Wolfe line search:
//!
//! * [`bfgs`] / [`bfgs_slice`] / [`Bfgs`]: BFGS with a dense inverse-Hessian approximation
//!   (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 6.1, update (6.17), `H₀ = I`
//!   as scipy's);
//! * [`lbfgs`] / [`lbfgs_slice`] / [`Lbfgs`]: limited-memory BFGS, the two-loop recursion of
//!   N&W Algorithm 7.4 with the scaling `γ = sᵀy / yᵀy` of (7.20);
//! * [`lbfgs_bounded_slice`] / [`Lbfgs::minimize_bounded`]: L-BFGS on a box by an active-set
//!   projection (the variables at a bound whose gradient points out of the box are held, in the
//!   manner of Bertsekas's projected Newton method, *SIAM J. Control Optim.* 20, 1982, and Kim,
//!   Sra & Dhillon, "Tackling box-constrained optimization via a new projected quasi-Newton
//!   approach", *SIAM J. Sci. Comput.* 32, 2010), with the line search capped at the first bound
//!   met along the direction, as L-BFGS-B caps its search at the feasible step;
//! * [`ProjectedLbfgs`]: that method as a [`LocalSearch`](crate::global::LocalSearch) for the
//!   global searches.
//!
//! Every step length comes from the Moré–Thuente line search (Moré & Thuente, *ACM TOMS* 20,
//! 1994: MINPACK-2 `dcsrch`/`dcstep`) with `c₁ = 10⁻⁴`, `c₂ = 0.9` (scipy's BFGS and L-BFGS-B)
//! and `xtol = 0.1` (`dcsrch`'s recommended value, L-BFGS-B's).
//!
//! **Stops** ([`Stop`](crate::optim::Stop)): `‖g‖₂ ≤ grad_tol` (on a box, the projected
//! gradient `‖x − P(x − g)‖₂`), the loss window `rel_tol`/`window`, `step_tol` on `‖x_{k+1} −
//! x_k‖₂`, `max_iter` iterations and `max_evals` objective evaluations (finite-difference ones
//! included; checked before every trial of the line search too), plus the relative reduction
//! `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol` of L-BFGS-B when
//! [`QuasiNewtonConfig::ftol`] is above 0.
//!
//! **Failures.** A non-finite loss or gradient (at a line-search trial included) rolls `x` back
//! to the last accepted point and returns [`Error::NonFiniteLoss`] /
//! [`Error::NonFiniteGradient`]. A line search that ends without a Wolfe point keeps its last
//! trial if that lowered the loss. If a trial's loss was within the rounding of the current one
//! (`4ε|f|`), the loss has reached its resolution: the run ends there with
//! [`StopReason::RelativeImprovement`]. Otherwise the approximation is reset to the identity
//! once and the search repeated, and if that fails too `x` is rolled back and
//! [`Error::NoConvergence`] returned.

mod bfgs;
mod lbfgs;
mod line_search;
mod polish;

pub use bfgs::{bfgs, bfgs_slice, bfgs_vecs_len, Bfgs};
pub use lbfgs::{
    lbfgs, lbfgs_bounded_slice, lbfgs_coef_len, lbfgs_pairs_len, lbfgs_slice, lbfgs_vecs_len, Lbfgs,
};
pub use polish::{projected_lbfgs_work_len, ProjectedLbfgs, ProjectedLbfgsSlice};

/// The result of [`more_thuente_slice`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LineSearch<T> {
    /// The accepted step α.
    pub step: T,
    /// `f(start + α·dir)`.
    pub loss: T,
    /// Whether both strong Wolfe conditions hold at α (otherwise α is `stpmax` with sufficient
    /// decrease, or the search ran out of trials or interval and kept a point that lowered the
    /// loss).
    pub wolfe: bool,
    /// Objective evaluations, finite-difference ones included.
    pub value_evals: usize,
    /// Gradient calls (one per trial point).
    pub grad_evals: usize,
}

/// The Moré–Thuente line search (Moré & Thuente 1994; MINPACK-2 `dcsrch`/`dcstep`) along
/// `dir` from `start`, whose loss is `f0` and directional derivative `slope0 = ∇f(start)ᵀdir`
/// (< 0), with first trial `stp` in `(0, stpmax]`; `c₁`, `c₂`, `xtol` and the trial limit come
/// from `cfg`. On success `x` holds `start + α·dir` and `grad` its gradient.
///
/// Errors, with `x` back at `start` and `grad` unspecified: bad lengths or parameters
/// ([`Error::InvalidParameter`] also for `slope0 ≥ 0`), NaN/Inf in the inputs, a non-finite
/// loss or gradient at a trial, and [`Error::NoConvergence`] when no trial lowered the loss.
///
/// ```
/// use lossmap::objective::FnSlice;
/// use lossmap::optim::{more_thuente_slice, QuasiNewtonConfig};
/// // f = (x − 3)², from 0 along +1: the exact minimizer α = 3 satisfies strong Wolfe.
/// let mut obj = FnSlice(|v: &[f64]| (v[0] - 3.0).powi(2));
/// let (mut x, mut g) = ([0.0], [0.0]);
/// let ls = more_thuente_slice(&mut obj, &[0.0], &[1.0], 9.0, -6.0, 1.0, 1e10, &mut x, &mut g,
///     &QuasiNewtonConfig::default()).unwrap();
/// assert!(ls.wolfe && ls.loss <= 9.0 - 1e-4 * ls.step * 6.0);
/// assert!((2.0 * (x[0] - 3.0)).abs() <= 0.9 * 6.0);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn more_thuente_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    start: &[T],
    dir: &[T],
    f0: T,
    slope0: T,
    stp: T,
    stpmax: T,
    x: &mut [T],
    grad: &mut [T],
    cfg: &QuasiNewtonConfig<T>,
) -> Result<LineSearch<T>, Error> {
    let n = start.len();
    crate::error::check_len(n, n)?;
    crate::error::check_len(dir.len(), n)?;
    crate::error::check_len(x.len(), n)?;
    crate::error::check_len(grad.len(), n)?;
    cfg.validate()?;
    check_finite(start)?;
    check_finite(dir)?;
    check_finite(&[f0, slope0, stp, stpmax])?;
    if !(slope0 < T::ZERO && stp > T::ZERO && stpmax >= stp) {
        return Err(Error::InvalidParameter);
    }
    let mut ev = Evals {
        values: 0,
        grads: 0,
        max: 0,
        charge_grads: false,
    };
    copy(x, start);
    match line_search(
        obj, x, grad, start, dir, f0, slope0, stp, stpmax, None, cfg, &mut ev,
    )? {
        LineOutcome::Accepted(loss, step, wolfe) => Ok(LineSearch {
            step,
            loss,
            wolfe,
            value_evals: ev.values,
            grad_evals: ev.grads,
        }),
        LineOutcome::Failed(_) | LineOutcome::Budget => Err(Error::NoConvergence),
    }
}

use super::stop::{Progress, Stop, StopReason, MAX_WINDOW};
use super::window::LossWindow;
use super::ObserverHook;
use crate::error::{check_finite, Error};
use crate::linalg::dot_unchecked;
use crate::objective::SliceObjective;
use crate::Real;
use line_search::{LsEnd, MoreThuente};

/// Line-search and stopping parameters shared by BFGS and L-BFGS.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct QuasiNewtonConfig<T> {
    /// Sufficient-decrease constant `c₁ ∈ (0, c₂]`. Default 1e-4 (scipy's BFGS and L-BFGS-B).
    pub c1: T,
    /// Curvature constant `c₂ ∈ [c₁, 1)`. Default 0.9 (scipy's BFGS and L-BFGS-B; N&W §3.1).
    pub c2: T,
    /// Relative width of the line search's interval below which it stops, in (0, 1). Default
    /// 0.1 (`dcsrch`'s recommendation, used by L-BFGS-B).
    pub xtol: T,
    /// Most trial points per line search (> 0). Default 20 (L-BFGS-B's limit).
    pub max_line_evals: usize,
    /// Stop when `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol` (finite, ≥ 0; 0 turns the
    /// rule off). Default 0; L-BFGS-B's default is `factr·ε = 10⁷ · 2.2·10⁻¹⁶ = 2.2·10⁻⁹`.
    pub ftol: T,
    /// Which norm the stop rules' `grad_tol` bounds: 0 (the default) the Euclidean `‖g‖₂`, as
    /// every other method of the crate; 1 the largest component `‖g‖∞`, scipy's test for BFGS
    /// (`gtol`) and L-BFGS-B (`pgtol`, on the projected gradient). Reports give `‖g‖₂` either
    /// way.
    pub max_norm: u8,
}

impl<T: Real> Default for QuasiNewtonConfig<T> {
    fn default() -> Self {
        QuasiNewtonConfig {
            c1: T::from_f64(1e-4),
            c2: T::from_f64(0.9),
            xtol: T::from_f64(0.1),
            max_line_evals: 20,
            ftol: T::ZERO,
            max_norm: 0,
        }
    }
}

/// L-BFGS-B's `factr·ε` with `factr = 10⁷` and the f64 machine epsilon.
pub(crate) const LBFGSB_FTOL: f64 = 1e7 * f64::EPSILON;

impl<T: Real> QuasiNewtonConfig<T> {
    /// The defaults with L-BFGS-B's relative-reduction stop `ftol = 2.2·10⁻⁹`.
    pub fn lbfgsb() -> Self {
        QuasiNewtonConfig {
            ftol: T::from_f64(LBFGSB_FTOL),
            ..Self::default()
        }
    }

    /// [`Error::InvalidParameter`] unless `0 < c₁ ≤ c₂ < 1`, `0 < xtol < 1`,
    /// `max_line_evals > 0`, `ftol` is finite and ≥ 0 and `max_norm` is 0 or 1.
    ///
    /// ```
    /// use lossmap::optim::QuasiNewtonConfig;
    /// assert!(QuasiNewtonConfig::<f64>::default().validate().is_ok());
    /// let bad = QuasiNewtonConfig { c1: 0.95, ..QuasiNewtonConfig::<f64>::default() };
    /// assert!(bad.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let unit = |v: T| v > T::ZERO && v < T::ONE;
        if unit(self.c1)
            && unit(self.c2)
            && self.c1 <= self.c2
            && unit(self.xtol)
            && self.max_line_evals > 0
            && self.ftol.is_finite()
            && self.ftol >= T::ZERO
            && self.max_norm <= 1
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Consecutive line searches that end on a decrease short of the strong Wolfe conditions (not at
/// the step limit) after which BFGS and L-BFGS stop with [`StopReason::RelativeImprovement`]:
/// the gradient (typically by finite differences, near the minimum) no longer agrees with the
/// loss, and further steps only grind. scipy stops at the first such search ("precision loss");
/// one more keeps the progress a single noisy search can still make.
pub(crate) const WEAK_STEPS: usize = 2;

/// The outcome of a BFGS, L-BFGS or Nelder–Mead run.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct QuasiNewtonReport<T> {
    /// The rule that ended the run. [`StopReason::RelativeImprovement`] also stands for `ftol`
    /// and for a line search whose trials changed the loss by no more than its rounding
    /// (`4ε|f|`): the loss can no longer show a decrease, and `x` is the last accepted point.
    pub reason: StopReason,
    /// Iterations (accepted steps).
    pub iterations: usize,
    /// Objective evaluations, including those of finite-difference gradients.
    pub value_evals: usize,
    /// Gradient calls (0 for Nelder–Mead).
    pub grad_evals: usize,
    /// Curvature pairs not used because `yᵀs ≤ ε‖y‖‖s‖` (ε the machine epsilon); for
    /// Nelder–Mead, the number of shrink steps.
    pub skipped: usize,
    /// Times the approximation was reset to the identity after a failed line search.
    pub resets: usize,
    /// Loss at the returned point.
    pub loss: T,
    /// `‖g‖₂` at the returned point (on a box the projected gradient's norm; for Nelder–Mead
    /// the simplex's largest coordinate distance from the best vertex).
    pub grad_norm: T,
}

/// Evaluation counters with the budget of [`Stop::max_evals`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evals {
    pub(crate) values: usize,
    pub(crate) grads: usize,
    /// Budget (0: none).
    pub(crate) max: usize,
    /// Gradient calls are charged against the budget too (the global searches' convention).
    pub(crate) charge_grads: bool,
}

impl Evals {
    pub(crate) fn used(&self) -> usize {
        if self.charge_grads {
            self.values.saturating_add(self.grads)
        } else {
            self.values
        }
    }
    pub(crate) fn exhausted(&self) -> bool {
        self.max > 0 && self.used() >= self.max
    }
}

/// Loss and gradient at `x` into `grad`, counted. A non-finite loss or gradient is an error
/// (a non-finite loss seen by a finite-difference gradient stays [`Error::NonFiniteLoss`]).
pub(crate) fn value_and_gradient<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    grad: &mut [T],
    ev: &mut Evals,
) -> Result<T, Error> {
    let f = obj.value(x);
    ev.values = ev.values.saturating_add(1);
    if !f.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    ev.grads = ev.grads.saturating_add(1);
    let used = obj.gradient_at(x, f, grad).map_err(map_gradient_error)?;
    ev.values = ev.values.saturating_add(used);
    if check_finite(grad).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(f)
}

fn map_gradient_error(e: Error) -> Error {
    match e {
        Error::NonFiniteLoss => Error::NonFiniteLoss,
        Error::LengthMismatch => Error::LengthMismatch,
        _ => Error::NonFiniteGradient,
    }
}

/// The gradient at `x` into `grad`, counted, with the error mapping of
/// [`value_and_gradient`].
pub(crate) fn gradient_only<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    grad: &mut [T],
    ev: &mut Evals,
) -> Result<(), Error> {
    ev.grads = ev.grads.saturating_add(1);
    let used = obj.gradient(x, grad).map_err(map_gradient_error)?;
    ev.values = ev.values.saturating_add(used);
    if check_finite(grad).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(())
}

/// The box of a bounded run, as slices of the run's length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoxRef<'a, T> {
    pub(crate) lower: &'a [T],
    pub(crate) upper: &'a [T],
}

impl<T: Real> BoxRef<'_, T> {
    pub(crate) fn clip(&self, x: &mut [T]) {
        for (v, (&l, &u)) in x.iter_mut().zip(self.lower.iter().zip(self.upper)) {
            *v = v.max(l).min(u);
        }
    }
    /// `‖x − P(x − g)‖₂`.
    pub(crate) fn projected_gradient_norm(&self, x: &[T], g: &[T]) -> T {
        let mut s = T::ZERO;
        for ((&xi, &gi), (&l, &u)) in x.iter().zip(g).zip(self.lower.iter().zip(self.upper)) {
            let d = xi - (xi - gi).max(l).min(u);
            s += d * d;
        }
        s.sqrt()
    }

    /// `‖x − P(x − g)‖∞`: the projected gradient's largest component.
    pub(crate) fn projected_gradient_max(&self, x: &[T], g: &[T]) -> T {
        let mut s = T::ZERO;
        for ((&xi, &gi), (&l, &u)) in x.iter().zip(g).zip(self.lower.iter().zip(self.upper)) {
            s = s.max((xi - (xi - gi).max(l).min(u)).abs());
        }
        s
    }
}

/// How a line search ended.
pub(crate) enum LineOutcome<T> {
    /// `x`, `grad` hold the accepted point; its loss, step, and whether the strong Wolfe
    /// conditions hold there (else: the step-length limit, or a plain decrease).
    Accepted(T, T, bool),
    /// No acceptable point: `x` is back at `prev` (`grad` is not the gradient there). `flat`:
    /// some trial's loss differed from `f0` by no more than its rounding (`4ε|f0|`), so the
    /// loss cannot show a decrease along this direction any more.
    Failed(bool),
    /// The budget ran out without an acceptable point: `x` is back at `prev`.
    Budget,
}

/// The trial point `prev + stp·p`, projected onto the box when there is one.
fn trial_point<T: Real>(x: &mut [T], prev: &[T], p: &[T], stp: T, bounds: Option<BoxRef<'_, T>>) {
    for (xi, (&a, &d)) in x.iter_mut().zip(prev.iter().zip(p)) {
        *xi = a + stp * d;
    }
    if let Some(b) = bounds {
        b.clip(x);
    }
}

/// The Moré–Thuente search along `p` from `prev` (loss `f0`, slope `g0 = ∇fᵀp < 0`) with first
/// trial `stp` and largest step `stpmax`. On error `x` is back at `prev`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn line_search<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    grad: &mut [T],
    prev: &[T],
    p: &[T],
    f0: T,
    g0: T,
    stp: T,
    stpmax: T,
    bounds: Option<BoxRef<'_, T>>,
    cfg: &QuasiNewtonConfig<T>,
    ev: &mut Evals,
) -> Result<LineOutcome<T>, Error> {
    let mut stp = stp.min(stpmax);
    let mut ls = MoreThuente::new(f0, g0, stp, T::ZERO, stpmax, cfg.c1, cfg.c2, cfg.xtol);
    let mut last: Option<(T, T)> = None;
    let noise = T::from_f64(4.0) * T::EPSILON_R * f0.abs();
    let mut flat = false;
    // Consecutive trials that neither lowered the loss nor left its rounding band.
    let mut flat_run = 0usize;
    for _ in 0..cfg.max_line_evals {
        if ev.exhausted() {
            return Ok(match last {
                Some((f, s)) if f < f0 => {
                    trial_point(x, prev, p, s, bounds);
                    // The gradient of this point was computed last; `grad` still holds it.
                    LineOutcome::Accepted(f, s, false)
                }
                _ => {
                    x.iter_mut().zip(prev).for_each(|(a, &b)| *a = b);
                    LineOutcome::Budget
                }
            });
        }
        trial_point(x, prev, p, stp, bounds);
        let f = match value_and_gradient(obj, x, grad, ev) {
            Ok(f) => f,
            Err(e) => {
                x.iter_mut().zip(prev).for_each(|(a, &b)| *a = b);
                return Err(e);
            }
        };
        let g = dot_unchecked(grad, p);
        last = Some((f, stp));
        if (f - f0).abs() <= noise {
            flat = true;
        }
        flat_run = if (f - f0).abs() <= noise && f >= f0 {
            flat_run + 1
        } else {
            0
        };
        if flat_run >= 2 {
            // The loss cannot resolve a decrease along `p`: more trials would only confirm it.
            break;
        }
        match ls.next(stp, f, g) {
            Ok(s) => stp = s,
            Err(LsEnd::Converged) => return Ok(LineOutcome::Accepted(f, stp, true)),
            Err(LsEnd::AtMax) => return Ok(LineOutcome::Accepted(f, stp, false)),
            Err(LsEnd::AtMin) | Err(LsEnd::Stalled) => {
                if f < f0 {
                    return Ok(LineOutcome::Accepted(f, stp, false));
                }
                break;
            }
        }
    }
    if let Some((f, s)) = last {
        if f < f0 {
            return Ok(LineOutcome::Accepted(f, s, false));
        }
    }
    x.iter_mut().zip(prev).for_each(|(a, &b)| *a = b);
    Ok(LineOutcome::Failed(flat))
}

/// The stopping rules checked after every accepted step, in the order of
/// [`minimize_driver`](crate::optim::minimize_driver).
pub(crate) struct StopCheck<T> {
    history: LossWindow<T, { MAX_WINDOW + 1 }>,
}

impl<T: Real> StopCheck<T> {
    pub(crate) fn new(f0: T) -> Self {
        let mut history = LossWindow::new();
        history.push(f0);
        StopCheck { history }
    }

    pub(crate) fn push(&mut self, f: T) {
        self.history.push(f);
    }

    /// The rule that holds at loss `f` after a step of length `step` from loss `f_old`, if
    /// any (gradient-norm first).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check(
        &self,
        stop: &Stop<T>,
        ftol: T,
        gnorm: T,
        f: T,
        f_old: Option<T>,
        step: Option<T>,
        iterations: usize,
        ev: &Evals,
    ) -> Option<StopReason> {
        if gnorm <= stop.grad_tol {
            return Some(StopReason::GradientNorm);
        }
        if stop.window > 0 && self.history.len() > stop.window {
            if let Some(old) = self.history.back(stop.window) {
                if old - f <= stop.rel_tol * old.abs().max(T::MIN_POSITIVE_R) {
                    return Some(StopReason::RelativeImprovement);
                }
            }
        }
        if let Some(fo) = f_old {
            if ftol > T::ZERO && fo - f <= ftol * fo.abs().max(f.abs()).max(T::ONE) {
                return Some(StopReason::RelativeImprovement);
            }
        }
        if let Some(s) = step {
            if stop.step_tol > T::ZERO && s <= stop.step_tol {
                return Some(StopReason::StepSize);
            }
        }
        if iterations >= stop.max_iter {
            return Some(StopReason::MaxIterations);
        }
        if ev.exhausted() {
            return Some(StopReason::MaxEvaluations);
        }
        None
    }
}

/// Calls the observer after a step; `false` when it asks to stop.
#[allow(clippy::too_many_arguments)]
pub(crate) fn observe<T: Real>(
    observer: &mut ObserverHook<'_, T>,
    iteration: usize,
    loss: T,
    grad_norm: T,
    step_norm: T,
    lr: T,
    ev: &Evals,
) -> bool {
    match observer.as_deref_mut() {
        Some(f) => f(&Progress {
            iteration,
            loss,
            grad_norm,
            step_norm,
            lr,
            value_evals: ev.values,
            grad_evals: ev.grads,
        }),
        None => true,
    }
}

/// `‖a − b‖₂` (the step length), scaled against overflow.
pub(crate) fn distance<T: Real>(a: &[T], b: &[T]) -> T {
    let mut scale = T::ZERO;
    for (&p, &q) in a.iter().zip(b) {
        scale = scale.max((p - q).abs());
    }
    if scale == T::ZERO || !scale.is_finite() {
        return scale;
    }
    let s = a.iter().zip(b).fold(T::ZERO, |s, (&p, &q)| {
        let r = (p - q) / scale;
        s + r * r
    });
    scale * s.sqrt()
}

/// Copies `src` into `dst` (common prefix).
#[inline]
pub(crate) fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s);
}
