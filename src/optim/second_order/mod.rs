//! Second-order methods and gradient modifiers:
//!
//! * [`newton`] / [`newton_slice`]: line-search Newton with Hessian modification (Nocedal &
//!   Wright Alg. 3.2 + 3.3);
//! * [`DiagPrecond`] / [`precondition_diag`]: diagonal-Hessian preconditioning of any
//!   first-order [`Optimizer`](super::Optimizer);
//! * [`sam_step`] / [`sam_step_slice`]: sharpness-aware minimization (Foret et al. 2021);
//! * [`Swa`] / [`swa_update`]: stochastic weight averaging (Izmailov et al. 2018);
//! * [`clip_grad_norm`] and [`gradient_noise`]: gradient clipping by norm and annealed
//!   gradient noise (Neelakantan et al. 2015).

mod clip;
mod newton;
mod precond;
mod sam;
mod swa;

pub use clip::{clip_grad_norm, gradient_noise, noise_sigma};
pub use newton::{
    newton, newton_slice, newton_vecs_len, Newton, NewtonConfig, NewtonReport, NEWTON_MAX_SHIFTS,
};
pub use precond::{precondition_diag, DiagPrecond};
pub use sam::{sam_step, sam_step_slice};
pub use swa::{swa_update, Swa};
