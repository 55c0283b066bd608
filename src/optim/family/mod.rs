//! The first-order family of `torch.optim`: [`Sgd`] (plain, heavy-ball, Nesterov),
//! [`Adagrad`], [`RmsProp`] (plain, centered, with momentum) and [`AdamW`] (decoupled weight
//! decay, optional AMSGrad; with `decoupled = 0` it is torch's `Adam(amsgrad=...)`).
//!
//! Each optimizer comes in the three shapes of [`Adam`](super::Adam): a slice kernel
//! (`sgd_step`, ...) that checks everything before writing anything, a typed state with
//! `[T; N]` buffers, and a view over borrowed buffers (what the C instance structs use).
//! Boolean options are `u8` flags (0 or 1; anything else is [`Error::InvalidParameter`]) so
//! that the configs are plain C structs.
//!
//! Deviations from torch, all on inputs torch accepts but that cannot work: `lr` and `eps`
//! must be > 0, momentum and averaging constants must lie in [0, 1).

mod adagrad;
mod adamw;
mod rmsprop;
mod sgd;

pub use adagrad::{adagrad_step, Adagrad, AdagradConfig, AdagradView};
pub use adamw::{adamw_step, AdamW, AdamWConfig, AdamWView};
pub use rmsprop::{rmsprop_step, RmsProp, RmsPropConfig, RmsPropView};
pub use sgd::{sgd_step, Sgd, SgdConfig, SgdView};

use crate::{Error, Real};

/// `Ok` when `ok`, else [`Error::InvalidParameter`].
fn param(ok: bool) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// Finite and > 0.
fn positive<T: Real>(v: T) -> bool {
    v.is_finite() && v > T::ZERO
}

/// Finite and ≥ 0.
fn non_negative<T: Real>(v: T) -> bool {
    v.is_finite() && v >= T::ZERO
}

/// In [0, 1).
fn unit<T: Real>(v: T) -> bool {
    v >= T::ZERO && v < T::ONE
}

/// A 0/1 flag.
fn flag(f: u8) -> bool {
    f <= 1
}

/// Sets every element of every buffer to `v`.
fn fill<T: Copy>(bufs: &mut [&mut [T]], v: T) {
    bufs.iter_mut()
        .for_each(|b| b.iter_mut().for_each(|a| *a = v));
}

/// `lr` / `set_lr` / `validate` for a type with a `config` field (with `lr` and `validate`).
macro_rules! lr_methods {
    (state: $state:expr) => {
        lr_methods!(params: |_: &Self| Ok(()), state: $state);
    };
    (params: $params:expr, state: $state:expr) => {
        fn lr(&self) -> T {
            self.config.lr
        }
        fn set_lr(&mut self, lr: T) -> Result<(), Error> {
            crate::optim::check_lr(lr)?;
            self.config.lr = lr;
            Ok(())
        }
        /// The hyperparameters, then the state the next step will read (what `step` would
        /// refuse with [`Error::NonFiniteInput`]), so that drivers refuse both before they
        /// evaluate anything.
        fn validate(&self) -> Result<(), Error> {
            self.config.validate()?;
            let params: fn(&Self) -> Result<(), Error> = $params;
            params(self)?;
            let ok: fn(&Self) -> bool = $state;
            if ok(self) {
                Ok(())
            } else {
                Err(Error::NonFiniteInput)
            }
        }
    };
    ($field:ident, state: $state:expr) => {
        lr_methods!($field, params: |_: &Self| Ok(()), state: $state);
    };
    ($field:ident, params: $params:expr, state: $state:expr) => {
        lr_methods!(params: $params, state: $state);
        fn set_momentum(&mut self, momentum: T) -> Result<(), Error> {
            let mut c = self.config;
            c.$field = momentum;
            c.validate()?;
            self.config = c;
            Ok(())
        }
    };
}
use lr_methods;
