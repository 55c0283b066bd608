//! The bounded L-BFGS of [`lbfgs_bounded_slice`](super::lbfgs_bounded_slice) as a
//! [`LocalSearch`] for the global searches.

use super::lbfgs::{core, Store};
use super::{copy, BoxRef, Evals, QuasiNewtonConfig, LBFGSB_FTOL};
use crate::error::{check_finite, Error};
use crate::global::{Bounds, LocalSearch};
use crate::objective::SliceObjective;
use crate::optim::Stop;
use crate::Real;

/// Projected L-BFGS polish (the active-set method of
/// [`lbfgs_bounded_slice`](super::lbfgs_bounded_slice)) for problems of up to `N` parameters
/// with `M` curvature pairs, its history in this struct (the [`LocalSearch`] scratch of
/// `LOCAL_WORK·n` values is not used). Never leaves the box, never raises the loss; a
/// non-finite loss or gradient, a failed line search or the end of the budget ends the search
/// at its last accepted point. A problem with more than `N` parameters is
/// [`Error::LengthMismatch`].
///
/// Defaults follow scipy's L-BFGS-B: `M = 10` is the caller's choice (scipy's `maxcor`),
/// `grad_tol` 1e-5 (`pgtol`, here on the projected gradient's 2-norm), `ftol` 2.2e-9
/// (`factr = 10⁷` times the f64 epsilon), `max_iter` 15 000.
///
/// ```
/// use lossmap::global::{Bounds, LocalSearch};
/// use lossmap::objective::{Fixed, SliceObjective};
/// use lossmap::optim::ProjectedLbfgs;
/// use lossmap::testfn::Himmelblau;
/// let b = Bounds::new(&[-5.0f64, -5.0], &[5.0, 5.0]).unwrap();
/// let mut polish = ProjectedLbfgs::<f64, 2, 10>::default();
/// let mut x = [3.3, 1.8];
/// let mut obj = Fixed::<_, 2>(&mut Himmelblau);
/// let mut f = obj.value(&x);
/// polish.refine(&mut obj, &b, &mut x, &mut f, &mut [], 200).unwrap();
/// assert!(f < 1e-10 && (x[0] - 3.0).abs() < 1e-5 && (x[1] - 2.0).abs() < 1e-5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectedLbfgs<T, const N: usize, const M: usize> {
    /// Line search and `ftol` (default: [`QuasiNewtonConfig::lbfgsb`]).
    pub config: QuasiNewtonConfig<T>,
    /// Stop when `‖x − P(x − g)‖₂ ≤ grad_tol` (finite, ≥ 0). Default 1e-5.
    pub grad_tol: T,
    /// Most iterations (> 0). Default 15 000.
    pub max_iter: usize,
    pairs: [[[T; N]; M]; 2],
    coef: [[T; M]; 2],
    vecs: [[T; N]; 5],
}

impl<T: Real, const N: usize, const M: usize> Default for ProjectedLbfgs<T, N, M> {
    fn default() -> Self {
        ProjectedLbfgs {
            config: QuasiNewtonConfig {
                ftol: T::from_f64(LBFGSB_FTOL),
                ..QuasiNewtonConfig::default()
            },
            grad_tol: T::from_f64(1e-5),
            max_iter: 15_000,
            pairs: [[[T::ZERO; N]; M]; 2],
            coef: [[T::ZERO; M]; 2],
            vecs: [[T::ZERO; N]; 5],
        }
    }
}

impl<T: Real, const N: usize, const M: usize> ProjectedLbfgs<T, N, M> {
    fn stop(&self) -> Stop<T> {
        Stop {
            grad_tol: self.grad_tol,
            max_iter: self.max_iter,
            ..Stop::default()
        }
    }
}

impl<T: Real, const N: usize, const M: usize> LocalSearch<T> for ProjectedLbfgs<T, N, M> {
    fn validate(&self) -> Result<(), Error> {
        self.config.validate()?;
        self.stop().validate()?;
        if M == 0 {
            return Err(Error::InvalidParameter);
        }
        Ok(())
    }

    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        _work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        let n = x.len();
        bounds.check_dim(n)?;
        if n > N {
            return Err(Error::LengthMismatch);
        }
        LocalSearch::<T>::validate(self)?;
        let mn2 = n.saturating_mul(M).saturating_mul(2);
        let store = Store {
            pairs: self
                .pairs
                .as_flattened_mut()
                .as_flattened_mut()
                .get_mut(..mn2)
                .ok_or(Error::LengthMismatch)?,
            coef: self.coef.as_flattened_mut(),
            vecs: self
                .vecs
                .as_flattened_mut()
                .get_mut(..5 * n)
                .ok_or(Error::LengthMismatch)?,
        };
        let stop = Stop {
            grad_tol: self.grad_tol,
            max_iter: self.max_iter,
            ..Stop::default()
        };
        refine_with(
            obj,
            bounds,
            x,
            loss,
            max_evals,
            M,
            store,
            &self.config,
            &stop,
        )
    }
}

/// The bounded L-BFGS run of a polish: `store.vecs` holds `5n` values (the start, then the
/// method's `4n`); on a failed or worse run `x` goes back to the start.
#[allow(clippy::too_many_arguments)]
fn refine_with<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    bounds: &Bounds<'_, T>,
    x: &mut [T],
    loss: &mut T,
    max_evals: usize,
    m: usize,
    store: Store<'_, T>,
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
) -> Result<(), Error> {
    if !loss.is_finite() || check_finite(x).is_err() || !bounds.contains(x) {
        return Err(Error::NonFiniteInput);
    }
    if max_evals == 0 {
        return Ok(());
    }
    let n = x.len();
    let Store { pairs, coef, vecs } = store;
    let (start, vecs) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    copy(start, x);
    let store = Store {
        pairs,
        coef,
        vecs: vecs.get_mut(..4 * n).ok_or(Error::LengthMismatch)?,
    };
    let mut ev = Evals {
        values: 0,
        grads: 0,
        max: max_evals,
        charge_grads: true,
    };
    let bx = BoxRef {
        lower: bounds.lower(),
        upper: bounds.upper(),
    };
    let end = match core(
        obj,
        x,
        Some(bx),
        Some(*loss),
        m,
        store,
        cfg,
        stop,
        None,
        &mut ev,
    ) {
        Ok(r) => Some(r.loss),
        Err(f) => f.loss,
    };
    match end {
        Some(f) if f.is_finite() && f <= *loss && bounds.contains(x) => *loss = f,
        _ => copy(x, start),
    }
    Ok(())
}

/// Scratch length of [`ProjectedLbfgsSlice`] for `n` parameters and `m` pairs:
/// `2mn + 2m + 5n` (the pairs, their coefficients, the start and four vectors); `None` on
/// overflow.
///
/// ```
/// assert_eq!(lossmap::optim::projected_lbfgs_work_len(2, 10), Some(40 + 20 + 10));
/// ```
pub const fn projected_lbfgs_work_len(n: usize, m: usize) -> Option<usize> {
    let Some(nm) = n.checked_mul(m) else {
        return None;
    };
    let Some(pairs) = nm.checked_mul(2) else {
        return None;
    };
    let Some(coef) = m.checked_mul(2) else {
        return None;
    };
    let Some(vecs) = n.checked_mul(5) else {
        return None;
    };
    let Some(a) = pairs.checked_add(coef) else {
        return None;
    };
    a.checked_add(vecs)
}

/// [`ProjectedLbfgs`] with its history in a caller's buffer instead of fixed arrays: the same
/// method and defaults, for a dimension known only at run time (the C interface's L-BFGS
/// polish). `work` holds [`projected_lbfgs_work_len`]`(n, m)` values for `n` parameters and
/// `m ≥ 1` pairs; a problem of another dimension is [`Error::LengthMismatch`].
///
/// ```
/// use lossmap::global::{Bounds, LocalSearch};
/// use lossmap::objective::{Fixed, SliceObjective};
/// use lossmap::optim::{projected_lbfgs_work_len, ProjectedLbfgsSlice};
/// use lossmap::testfn::Himmelblau;
/// let b = Bounds::new(&[-5.0f64, -5.0], &[5.0, 5.0]).unwrap();
/// let mut work = [0.0; 70];
/// assert_eq!(projected_lbfgs_work_len(2, 10), Some(work.len()));
/// let mut polish = ProjectedLbfgsSlice::new(10, 2, &mut work).unwrap();
/// let mut x = [3.3, 1.8];
/// let mut obj = Fixed::<_, 2>(&mut Himmelblau);
/// let mut f = obj.value(&x);
/// polish.refine(&mut obj, &b, &mut x, &mut f, &mut [], 200).unwrap();
/// assert!(f < 1e-10 && (x[0] - 3.0).abs() < 1e-5 && (x[1] - 2.0).abs() < 1e-5);
/// ```
#[derive(Debug)]
pub struct ProjectedLbfgsSlice<'a, T> {
    /// Line search and `ftol` (default: [`QuasiNewtonConfig::lbfgsb`]).
    pub config: QuasiNewtonConfig<T>,
    /// Stop when `‖x − P(x − g)‖₂ ≤ grad_tol` (finite, ≥ 0). Default 1e-5.
    pub grad_tol: T,
    /// Most iterations (> 0). Default 15 000.
    pub max_iter: usize,
    m: usize,
    n: usize,
    work: &'a mut [T],
}

impl<'a, T: Real> ProjectedLbfgsSlice<'a, T> {
    /// scipy's L-BFGS-B defaults with `m` pairs for `n` parameters in `work`
    /// ([`Error::InvalidParameter`] for `m = 0`, [`Error::LengthMismatch`] unless
    /// `work.len() == projected_lbfgs_work_len(n, m)` and `n > 0`).
    pub fn new(m: usize, n: usize, work: &'a mut [T]) -> Result<Self, Error> {
        if m == 0 {
            return Err(Error::InvalidParameter);
        }
        if n == 0 || Some(work.len()) != projected_lbfgs_work_len(n, m) {
            return Err(Error::LengthMismatch);
        }
        Ok(ProjectedLbfgsSlice {
            config: QuasiNewtonConfig::lbfgsb(),
            grad_tol: T::from_f64(1e-5),
            max_iter: 15_000,
            m,
            n,
            work,
        })
    }

    fn stop(&self) -> Stop<T> {
        Stop {
            grad_tol: self.grad_tol,
            max_iter: self.max_iter,
            ..Stop::default()
        }
    }
}

impl<T: Real> LocalSearch<T> for ProjectedLbfgsSlice<'_, T> {
    fn validate(&self) -> Result<(), Error> {
        self.config.validate()?;
        self.stop().validate()
    }

    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        bounds: &Bounds<'_, T>,
        x: &mut [T],
        loss: &mut T,
        _work: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        let n = x.len();
        bounds.check_dim(n)?;
        if n != self.n {
            return Err(Error::LengthMismatch);
        }
        LocalSearch::<T>::validate(self)?;
        let stop = self.stop();
        let mn2 = n.saturating_mul(self.m).saturating_mul(2);
        let (pairs, rest) = self
            .work
            .split_at_mut_checked(mn2)
            .ok_or(Error::LengthMismatch)?;
        let (coef, vecs) = rest
            .split_at_mut_checked(self.m.saturating_mul(2))
            .ok_or(Error::LengthMismatch)?;
        let store = Store { pairs, coef, vecs };
        refine_with(
            obj,
            bounds,
            x,
            loss,
            max_evals,
            self.m,
            store,
            &self.config,
            &stop,
        )
    }
}
