//! Sharpness-aware minimization (Foret, Kleiner, Mobahi & Neyshabur, *Sharpness-Aware
//! Minimization for Efficiently Improving Generalization*, ICLR 2021), one step:
//!
//! ```text
//! g  = ∇f(x)
//! ε̂  = ρ g / ‖g‖₂                  (ε̂ = 0 when g = 0)
//! x ← base_opt.step(x, ∇f(x + ε̂))
//! ```

use super::newton::eval_gradient;
use crate::error::{check_finite, check_len, Error};
use crate::linalg::norm2;
use crate::objective::{Fixed, SliceObjective};
use crate::optim::Optimizer;
use crate::{Objective, Real};

/// One SAM step over slices; `work` (`2n`) is scratch. Returns `‖∇f(x)‖₂` at the starting
/// point. [`Error::InvalidParameter`] unless `rho` is finite and > 0 and the base optimizer's
/// hyperparameters are valid; these and NaN/Inf in `x` are found before anything is written or
/// evaluated. A failed or non-finite gradient and the base optimizer's own errors leave `x`
/// unchanged (`work` then holds intermediate values).
pub fn sam_step_slice<T: Real, O: SliceObjective<T> + ?Sized, P: Optimizer<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    opt: &mut P,
    rho: T,
    work: &mut [T],
) -> Result<T, Error> {
    let n = x.len();
    check_len(work.len(), n.checked_mul(2).ok_or(Error::LengthMismatch)?)?;
    if !(rho.is_finite() && rho > T::ZERO) {
        return Err(Error::InvalidParameter);
    }
    opt.validate()?;
    check_finite(x)?;
    let (adv, grad) = work.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    adv.iter_mut().zip(x.iter()).for_each(|(a, &b)| *a = b);
    eval_gradient(obj, adv, grad)?;
    let gnorm = norm2(grad);
    if gnorm > T::ZERO {
        let scale = rho / gnorm;
        adv.iter_mut()
            .zip(grad.iter())
            .for_each(|(a, &g)| *a += scale * g);
        check_finite(adv).map_err(|_| Error::NonFiniteGradient)?;
    }
    eval_gradient(obj, adv, grad)?;
    opt.step(x, grad)?;
    Ok(gnorm)
}

/// One SAM step on a typed objective with the base optimizer `opt`; see [`sam_step_slice`].
///
/// ```
/// use lossmap::optim::{sam_step, Adam, AdamConfig};
/// let mut f = |x: &[f64; 1]| x[0] * x[0];
/// let mut adam = Adam::<f64, 1>::new(AdamConfig { lr: 0.1, ..AdamConfig::default() }).unwrap();
/// let mut x = [1.0];
/// let gnorm = sam_step(&mut f, &mut x, &mut adam, 0.05).unwrap();
/// assert!((gnorm - 2.0).abs() < 1e-6 && x[0] < 1.0);
/// assert!(sam_step(&mut f, &mut x, &mut adam, 0.0).is_err());
/// ```
pub fn sam_step<T: Real, O: Objective<T, N> + ?Sized, P: Optimizer<T> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    opt: &mut P,
    rho: T,
) -> Result<T, Error> {
    let mut work = [[T::ZERO; N]; 2];
    sam_step_slice(
        &mut Fixed::<O, N>(obj),
        x,
        opt,
        rho,
        work.as_flattened_mut(),
    )
}
