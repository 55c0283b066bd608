//! # lossmap — loss-landscape tools for microcontrollers
//!
//! Fixed-size objectives, finite-difference derivatives, curvature analysis and optimizers,
//! `no_std`, without heap or panics, sized by const generics, and callable from C
//! (feature `capi`, header `include/lossmap.h`).
//!
//! Every algorithm is written once as a *slice kernel* (`&[T]`, `n×n` row-major matrices) and
//! wrapped by a typed API over `[T; N]` / `[[T; N]; N]`, so sizes are checked at compile time; the
//! C ABI calls the same kernels with caller-owned buffers.
//!
//! ```
//! use lossmap::{optim::{minimize, Adam, AdamConfig, Stop}, testfn::Rosenbrock};
//! let mut x = [-1.2f64, 1.0];
//! let mut adam = Adam::<f64, 2>::new(AdamConfig { lr: 0.02, ..AdamConfig::default() }).unwrap();
//! let stop = Stop { grad_tol: 1e-6, max_iter: 20_000, ..Stop::default() };
//! let report = minimize(&mut Rosenbrock, &mut x, &mut adam, &stop).unwrap();
//! assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3, "{report:?}");
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_op_in_unsafe_fn)]
#![deny(missing_docs)]
#![deny(unconditional_recursion)]
// Unsafe code lives in the C ABI and in the hardware square root (`real/sqrt.rs`) only.
#![cfg_attr(not(any(test, feature = "capi")), deny(unsafe_code))]

// Feature `std` only links std: the panic handler of a host C static library (it replaces
// `panic-handler`'s). `Error` implements `core::error::Error` without it.
#[cfg(feature = "std")]
extern crate std;

pub mod diff;
mod error;
pub mod global;
pub mod landscape;
pub mod linalg;
pub mod loss;
pub mod nlls;
pub mod objective;
pub mod optim;
pub mod plot;
pub mod random;
mod real;
pub mod testfn;

#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[cfg(feature = "capi")]
#[cfg_attr(docsrs, doc(cfg(feature = "capi")))]
pub mod capi;

#[cfg(all(feature = "panic-handler", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    // lossmap never panics; this only satisfies the linker of a bare-metal static library.
    loop {
        core::hint::spin_loop();
    }
}

/// The README's Rust code blocks, compiled and run by `cargo test` as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The `heapless` release whose `Vec` carries bounded results (the flat directions of an
/// identifiability report, a multi-start's distinct minima), so callers can name those types
/// without depending on the same version themselves.
pub use heapless;
/// The `rand_core` release whose `Rng` every stochastic routine takes (see [`random`]).
pub use rand_core;

pub use error::Error;
pub use objective::{Counted, Objective};
pub use real::Real;
