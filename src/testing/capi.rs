//! An [`Optimizer`] over a C step callback, so that an optimizer written in C (or any language
//! with the C calling convention) can be property-tested from a Rust test with the rest of this
//! module. Nothing here is exported to C: the C code is linked into the Rust test (a `cc`-built
//! object, or a static library) and its step function passed as a function pointer.
//!
//! The callback convention ([`CStepFn`]):
//!
//! ```text
//! int32_t step(T *x, const T *g, size_t n, void *ctx);
//! ```
//!
//! updates the `n` parameters `x` in place from the gradient `g` (its state lives behind
//! `ctx`) and returns 0, or returns a negative lossmap status (`LOSSMAP_ERR_*`, e.g. −3 for a
//! non-finite input) having left `x` unchanged — the contract of [`Optimizer::step`]. The
//! adapter passes the caller's `x` straight through, so the harness sees what the C code wrote.
//!
//! To check a C file: compile it into the test crate (e.g. with the `cc` crate from a build
//! script), declare `unsafe extern "C" { fn my_step(x: *mut f64, g: *const f64, n: usize,
//! ctx: *mut c_void) -> i32; }`, and give `my_step` and a pointer to its state to
//! [`CStepOptimizer::new`]; the properties then run on it like on any [`Optimizer`].

// Calling the caller's C function pointers is the one unsafe operation; its contract is the
// one of `CStepOptimizer::new`.
#![allow(unsafe_code)]

use core::ffi::c_void;

use crate::optim::Optimizer;
use crate::{Error, Real};

/// A C step function: `int32_t (*)(T *x, const T *g, size_t n, void *ctx)`; see the module
/// docs for the convention. Safe `extern "C" fn`s coerce to it.
pub type CStepFn<T> =
    unsafe extern "C" fn(x: *mut T, g: *const T, n: usize, ctx: *mut c_void) -> i32;

/// A C function that sets the learning rate: `int32_t (*)(T lr, void *ctx)`, 0 or a negative
/// status (then nothing changed).
pub type CSetLrFn<T> = unsafe extern "C" fn(lr: T, ctx: *mut c_void) -> i32;

/// A C function that forgets the optimizer's state: `void (*)(void *ctx)`.
pub type CResetFn = unsafe extern "C" fn(ctx: *mut c_void);

/// An [`Optimizer`] whose step is a C callback ([`CStepFn`]).
///
/// ```
/// use core::ffi::c_void;
/// use lossmap::optim::Optimizer;
/// use lossmap::testing::CStepOptimizer;
/// // Gradient descent "in C": the rate behind `ctx`.
/// extern "C" fn gd(x: *mut f64, g: *const f64, n: usize, ctx: *mut c_void) -> i32 {
///     // SAFETY: the adapter passes n-element buffers and our own ctx.
///     let (x, g, lr) = unsafe {
///         (core::slice::from_raw_parts_mut(x, n), core::slice::from_raw_parts(g, n), *(ctx as *const f64))
///     };
///     if g.iter().any(|v| !v.is_finite()) { return -3; }
///     x.iter_mut().zip(g).for_each(|(x, g)| *x -= lr * g);
///     0
/// }
/// let mut lr = 0.5f64;
/// // SAFETY: `gd` follows the convention and `lr` outlives the adapter.
/// let mut opt = unsafe { CStepOptimizer::new(gd, (&raw mut lr).cast(), 0.5) };
/// let mut x = [1.0, 2.0];
/// opt.step(&mut x, &[1.0, 1.0]).unwrap();
/// assert_eq!(x, [0.5, 1.5]);
/// assert_eq!(opt.step(&mut x, &[f64::NAN, 0.0]), Err(lossmap::Error::NonFiniteInput));
/// assert_eq!(x, [0.5, 1.5]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CStepOptimizer<T> {
    step: CStepFn<T>,
    set_lr: Option<CSetLrFn<T>>,
    reset: Option<CResetFn>,
    ctx: *mut c_void,
    lr: T,
}

/// The [`Error`] of a negative status (unknown or positive codes: [`Error::InvalidParameter`]).
fn from_status(code: i32) -> Error {
    [
        Error::NullPointer,
        Error::Empty,
        Error::NonFiniteInput,
        Error::LengthMismatch,
        Error::InvalidParameter,
        Error::NonFiniteLoss,
        Error::NonFiniteGradient,
        Error::NotSymmetric,
        Error::NotPositiveDefinite,
        Error::NoConvergence,
        Error::Aliased,
    ]
    .into_iter()
    .find(|e| e.code() == code)
    .unwrap_or(Error::InvalidParameter)
}

impl<T: Real> CStepOptimizer<T> {
    /// Wraps `step` with its context `ctx`; `lr` is what [`Optimizer::lr`] reports (the C side
    /// keeps its own rate; give [`with_set_lr`](Self::with_set_lr) to let schedules change it).
    ///
    /// # Safety
    /// Whenever the adapter is used, `step` (and the callbacks added later) must be sound to
    /// call with `ctx` and with `x`, `g` pointing to `n` valid values (`x` writable): `ctx` must
    /// stay valid for as long as the adapter (and its copies) is used.
    pub unsafe fn new(step: CStepFn<T>, ctx: *mut c_void, lr: T) -> Self {
        CStepOptimizer {
            step,
            set_lr: None,
            reset: None,
            ctx,
            lr,
        }
    }

    /// Adds the callback [`Optimizer::set_lr`] forwards to (under the contract of
    /// [`new`](Self::new)).
    pub fn with_set_lr(mut self, set_lr: CSetLrFn<T>) -> Self {
        self.set_lr = Some(set_lr);
        self
    }

    /// Adds the callback [`Optimizer::reset`] forwards to (under the contract of
    /// [`new`](Self::new)).
    pub fn with_reset(mut self, reset: CResetFn) -> Self {
        self.reset = Some(reset);
        self
    }
}

impl<T: Real> Optimizer<T> for CStepOptimizer<T> {
    /// Calls the C step on `x` in place; [`Error::LengthMismatch`] (nothing called) unless
    /// `x` and `g` have the same length; a non-zero status is its [`Error`].
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        if x.len() != g.len() {
            return Err(Error::LengthMismatch);
        }
        // SAFETY: `x` and `g` are valid for `x.len()` values, `x` writable; `step` and `ctx`
        // are sound to call together by the contract of `new`.
        let code = unsafe { (self.step)(x.as_mut_ptr(), g.as_ptr(), x.len(), self.ctx) };
        match code {
            0 => Ok(()),
            c => Err(from_status(c)),
        }
    }
    fn reset(&mut self) {
        if let Some(r) = self.reset {
            // SAFETY: by the contract of `new`.
            unsafe { r(self.ctx) }
        }
    }
    fn lr(&self) -> T {
        self.lr
    }
    fn set_lr(&mut self, lr: T) -> Result<(), Error> {
        crate::optim::check_lr(lr)?;
        if let Some(f) = self.set_lr {
            // SAFETY: by the contract of `new`.
            let code = unsafe { f(lr, self.ctx) };
            if code != 0 {
                return Err(from_status(code));
            }
        }
        self.lr = lr;
        Ok(())
    }
}
