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
        if !loss.is_finite() || check_finite(x).is_err() || !bounds.contains(x) {
            return Err(Error::NonFiniteInput);
        }
        if max_evals == 0 {
            return Ok(());
        }
        let stop = self.stop();
        let cfg = self.config;
        let (start, vecs) = self
            .vecs
            .as_flattened_mut()
            .split_at_mut_checked(n)
            .ok_or(Error::LengthMismatch)?;
        copy(start, x);
        let mn2 = n.saturating_mul(M).saturating_mul(2);
        let store = Store {
            pairs: self
                .pairs
                .as_flattened_mut()
                .as_flattened_mut()
                .get_mut(..mn2)
                .ok_or(Error::LengthMismatch)?,
            coef: self.coef.as_flattened_mut(),
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
            M,
            store,
            &cfg,
            &stop,
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
}
