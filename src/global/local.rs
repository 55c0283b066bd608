//! Local search ("polish") inside the global methods: the [`LocalSearch`] trait and three
//! implementations.
//!
//! * [`ProjectedGradient`]: gradient descent projected onto the box with Armijo backtracking
//!   along the projection arc (Bertsekas, "On the Goldstein–Levitin–Polyak gradient projection
//!   method", *IEEE Trans. Automatic Control* 21, 1976; Nocedal & Wright §16.7). No learning
//!   rate to tune, never leaves the box, never raises the loss: the default polish.
//! * [`Polish`]: any [`Optimizer`] run by [`minimize_slice`] (unconstrained) under a [`Stop`];
//!   the end point is clipped back into the box and kept only if its loss is not higher.
//! * [`NoPolish`]: no local search.

use super::{clip, copy, open_unit, param, positive, Bounds, Counting};
use crate::error::{check_finite, Error};
use crate::objective::SliceObjective;
use crate::optim::{minimize_slice, Optimizer, Stop};
use crate::Real;

/// Scratch a [`LocalSearch`] may use: `LOCAL_WORK · n` values.
pub const LOCAL_WORK: usize = 3;

/// A local search started from a point of the box.
///
/// Contract of [`refine`](LocalSearch::refine): on entry `x` lies in `bounds` and `*loss` is
/// its finite loss; on return `x` lies in `bounds`, `*loss` is its finite loss and not higher
/// than on entry, and at most about `max_evals` evaluations (values + gradient calls, see the
/// [module](super) notes) were used. A non-finite loss or gradient met on the way ends the
/// search at its last finite point; it is not an error. Errors are only for bad lengths or a
/// bad configuration, and then `x` and `*loss` are unchanged.
pub trait LocalSearch<T: Real> {
    /// Improves `x` in place; `work` is scratch of at least [`LOCAL_WORK`]`·n` values.
    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error>;

    /// Checks the configuration ([`Error::InvalidParameter`]); the global methods call it
    /// before they write anything.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// No local search: [`refine`](LocalSearch::refine) returns at once.
///
/// ```
/// use lossmap::global::{Bounds, LocalSearch, NoPolish};
/// use lossmap::objective::FnSlice;
/// let b = Bounds::new(&[-1.0f64], &[1.0]).unwrap();
/// let (mut x, mut f, mut work) = ([0.5], 0.25, [0.0; 3]);
/// NoPolish.refine(&mut FnSlice(|x: &[f64]| x[0] * x[0]), &b, &mut x, &mut f, &mut work, 100).unwrap();
/// assert_eq!((x, f), ([0.5], 0.25));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoPolish;

impl<T: Real> LocalSearch<T> for NoPolish {
    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        _obj: &mut O,
        _bounds: &Bounds<'_, T>,
        _x: &mut [T],
        _loss: &mut T,
        _work: &mut [T],
        _max_evals: usize,
    ) -> Result<(), Error> {
        Ok(())
    }
}

/// Projected gradient descent with Armijo backtracking (Bertsekas 1976): each trial point
/// `x(α) = clip(x − α∇f(x))` is accepted when `f(x(α)) ≤ f(x) + c₁ ∇f(x)ᵀ(x(α) − x)`; after a
/// rejection `α ← shrink·α`, and after a first-try accept the next iteration starts from `2α`.
///
/// Stops when the projected gradient `‖x − clip(x − ∇f)‖₂ ≤ grad_tol`, after `max_iter`
/// iterations, when no step length within `max_backtracks` reductions decreases the loss
/// (a step below the resolution of `x`, too), or when the evaluations run out.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct ProjectedGradient<T> {
    /// First trial step length α (finite, > 0). Default 1e-2.
    pub step: T,
    /// Stop when the projected gradient's norm is ≤ `grad_tol` (finite, ≥ 0). Default 1e-7.
    pub grad_tol: T,
    /// Most iterations (> 0). Default 500.
    pub max_iter: usize,
    /// Armijo constant `c₁ ∈ (0, 1)`. Default ½: on a quadratic the accepted step is then at
    /// most the exact line-search step, so the step doubling cannot make it zig-zag.
    pub c1: T,
    /// Step reduction after a rejected trial, in (0, 1). Default 0.5.
    pub shrink: T,
    /// Most reductions per iteration (> 0). Default 40.
    pub max_backtracks: usize,
}

impl<T: Real> Default for ProjectedGradient<T> {
    fn default() -> Self {
        ProjectedGradient {
            step: T::from_f64(1e-2),
            grad_tol: T::from_f64(1e-7),
            max_iter: 500,
            c1: T::HALF,
            shrink: T::HALF,
            max_backtracks: 40,
        }
    }
}

impl<T: Real> LocalSearch<T> for ProjectedGradient<T> {
    fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.step)
                && self.grad_tol.is_finite()
                && self.grad_tol >= T::ZERO
                && self.max_iter > 0
                && open_unit(self.c1)
                && open_unit(self.shrink)
                && self.max_backtracks > 0,
        )
    }

    /// Projected-gradient iterations from `x` inside `bounds` (see the type's documentation).
    ///
    /// ```
    /// use lossmap::global::{Bounds, LocalSearch, ProjectedGradient};
    /// use lossmap::objective::FnSlice;
    /// // (x − 2)² + y² over [−1, 1]²: the constrained minimum is (1, 0), on the boundary.
    /// let b = Bounds::new(&[-1.0f64, -1.0], &[1.0, 1.0]).unwrap();
    /// let mut obj = FnSlice(|v: &[f64]| (v[0] - 2.0).powi(2) + v[1] * v[1]);
    /// let (mut x, mut work) = ([-0.5, 0.7], [0.0; 6]);
    /// let mut f = 6.74;
    /// ProjectedGradient::default().refine(&mut obj, &b, &mut x, &mut f, &mut work, 500).unwrap();
    /// assert!((x[0] - 1.0).abs() < 1e-12 && x[1].abs() < 1e-6 && (f - 1.0).abs() < 1e-10);
    /// ```
    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        let n = x.len();
        bounds.check_dim(n)?;
        LocalSearch::<T>::validate(self)?;
        let (grad, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let trial = rest.get_mut(..n).ok_or(Error::LengthMismatch)?;
        if !loss.is_finite() || check_finite(x).is_err() || !bounds.contains(x) {
            return Err(Error::NonFiniteInput);
        }
        let mut obj = Counting::new(obj, max_evals);
        let mut f = *loss;
        let mut alpha = self.step;
        for _ in 0..self.max_iter {
            if obj.exhausted() {
                break;
            }
            if obj.gradient(x, grad).is_err() || check_finite(grad).is_err() {
                break;
            }
            // Projected gradient x − clip(x − g): zero at a constrained stationary point.
            let mut pg2 = T::ZERO;
            for ((&xi, &gi), (l, u)) in x.iter().zip(grad.iter()).zip(bounds.pairs()) {
                let d = xi - clip(xi - gi, l, u);
                pg2 += d * d;
            }
            if pg2.sqrt() <= self.grad_tol {
                break;
            }
            let mut accepted = false;
            let mut first = true;
            for _ in 0..self.max_backtracks {
                if obj.exhausted() {
                    break;
                }
                let mut xmax = T::ONE;
                let mut dmax = T::ZERO;
                let mut slope = T::ZERO;
                for ((t, &xi), (&gi, (l, u))) in trial
                    .iter_mut()
                    .zip(x.iter())
                    .zip(grad.iter().zip(bounds.pairs()))
                {
                    *t = clip(xi - alpha * gi, l, u);
                    slope += gi * (*t - xi);
                    xmax = xmax.max(xi.abs());
                    dmax = dmax.max((*t - xi).abs());
                }
                // Below the resolution of x: no step can decrease the loss any more.
                if dmax <= T::EPSILON_R * xmax {
                    break;
                }
                let ft = obj.value(trial);
                if ft.is_finite() && ft <= f + self.c1 * slope.min(T::ZERO) {
                    if ft >= f {
                        // No representable decrease left.
                        break;
                    }
                    accepted = true;
                    f = ft;
                    copy(x, trial);
                    break;
                }
                alpha *= self.shrink;
                first = false;
            }
            if !accepted {
                break;
            }
            if first {
                alpha *= T::TWO;
                if !alpha.is_finite() {
                    alpha = self.step;
                }
            }
        }
        *loss = f;
        Ok(())
    }
}

/// Any [`Optimizer`] as a local search: [`minimize_slice`] from the point under the rules
/// `stop` (the optimizer is [`reset`](Optimizer::reset) first; its iteration and evaluation
/// budgets are cut to what the global method has left). The optimizer runs unconstrained: its
/// end point is clipped into the box and re-evaluated, and kept only if its loss is finite and
/// not higher than the start's. A divergence (non-finite loss or gradient) ends the run at the
/// last finite point, as [`minimize_slice`] rolls back.
///
/// ```
/// use lossmap::global::{Bounds, LocalSearch, Polish};
/// use lossmap::objective::FnSlice;
/// use lossmap::optim::{Adam, AdamConfig, Stop};
/// let b = Bounds::new(&[-2.0f64], &[2.0]).unwrap();
/// let mut adam = Adam::<f64, 1>::new(AdamConfig { lr: 0.05, ..AdamConfig::default() }).unwrap();
/// let mut polish = Polish { opt: &mut adam, stop: Stop { grad_tol: 1e-8, max_iter: 5000, ..Stop::default() } };
/// let (mut x, mut f, mut work) = ([1.5], 2.25, [0.0; 3]);
/// polish.refine(&mut FnSlice(|v: &[f64]| (v[0] - 0.5).powi(2)), &b, &mut x, &mut f, &mut work, 20_000).unwrap();
/// assert!((x[0] - 0.5).abs() < 1e-6 && f < 1e-12);
/// ```
#[derive(Debug)]
pub struct Polish<'a, T, P: ?Sized> {
    /// The optimizer.
    pub opt: &'a mut P,
    /// Its stopping rules.
    pub stop: Stop<T>,
}

impl<T: Real, P: Optimizer<T> + ?Sized> LocalSearch<T> for Polish<'_, T, P> {
    fn validate(&self) -> Result<(), Error> {
        self.stop.validate()
    }

    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        let n = x.len();
        bounds.check_dim(n)?;
        self.stop.validate()?;
        let (start, rest) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let (prev, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
        let grad = rest.get_mut(..n).ok_or(Error::LengthMismatch)?;
        if !loss.is_finite() || check_finite(x).is_err() || !bounds.contains(x) {
            return Err(Error::NonFiniteInput);
        }
        // A run costs 2 evaluations (value and gradient) at the start and 2 per iteration,
        // and 1 more to re-evaluate the end point.
        let iters = max_evals.saturating_sub(3) / 2;
        if iters == 0 {
            return Ok(());
        }
        let mut stop = self.stop;
        stop.max_iter = stop.max_iter.min(iters);
        // The value budget leaves one charge per gradient call.
        let value_budget = max_evals.saturating_sub(iters.saturating_add(2)).max(1);
        stop.max_evals = if stop.max_evals == 0 {
            value_budget
        } else {
            stop.max_evals.min(value_budget)
        };
        copy(start, x);
        self.opt.reset();
        let result = minimize_slice(obj, self.opt, x, prev, grad, &stop);
        let known = match result {
            Ok(r) if bounds.contains(x) && r.loss.is_finite() => Some(r.loss),
            _ => None,
        };
        let f = match known {
            Some(f) => f,
            None => {
                if check_finite(x).is_err() {
                    copy(x, start);
                    return Ok(());
                }
                bounds.clip(x);
                obj.value(x)
            }
        };
        if f.is_finite() && f <= *loss {
            *loss = f;
        } else {
            copy(x, start);
        }
        Ok(())
    }
}
