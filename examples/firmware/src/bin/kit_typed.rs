//! The analysis kit through lossmap's typed API, for its footprint: one Adam step, a
//! central-difference gradient, a finite-difference Hessian, its eigen-decomposition and the
//! classification of the point, N = 8, f32, on inputs the optimizer cannot see. Otherwise as
//! `kit_empty` (the baseline); exits with 0 when the point is classified as the minimum it is.
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use lossmap::diff::{central_gradient_n, hessian_n};
use lossmap::landscape::{classify, CriticalPoint, Tolerance};
use lossmap::linalg::{norm2, SymEigen};
use lossmap::optim::{Adam, Optimizer};

const N: usize = 8;

/// Σ (i+1)·xᵢ² + ½·xᵢxᵢ₊₁ (positive definite; the origin is its minimum).
fn loss(x: &[f32; N]) -> f32 {
    let mut s = 0.0;
    for (i, w) in x.windows(2).enumerate() {
        if let [a, b] = *w {
            s += (i + 1) as f32 * a * a + 0.5 * a * b;
        }
    }
    s + N as f32 * x[N - 1] * x[N - 1]
}

#[inline(never)]
fn kit(x: &mut [f32; N]) -> Result<bool, lossmap::Error> {
    let mut g = [0.0f32; N];
    central_gradient_n(loss, x, &mut g)?;
    let mut h = [[0.0f32; N]; N];
    hessian_n(loss, x, &mut h)?;
    let mut eigen = SymEigen::<f32, N>::default();
    eigen.decompose(&h)?;
    let kind = classify(&eigen.values, norm2(&g), &Tolerance::default())?;
    // A firmware steps an optimizer whose state the compiler cannot know (the step count of a
    // running fit): hide it, or the first step's bias corrections fold to constants.
    // Hidden through a reference (as in `kit_capi`): hiding the value would move the whole
    // optimizer through the stack, a copy no firmware makes.
    let mut adam = Adam::<f32, N>::default();
    black_box(&mut adam).step(x, &g)?;
    // Compared here, as `kit_capi` compares its C struct: returning the classification by
    // value would add a copy (a `memcpy` call on the M0) that is the kit's, not the library's.
    Ok(kind == CriticalPoint::Minimum)
}

#[entry]
fn main() -> ! {
    let mut x = black_box([1e-4f32, -2e-4, 1e-4, 0.0, 2e-4, -1e-4, 0.0, 1e-4]);
    let ok = kit(&mut x) == Ok(true);
    black_box(x);
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {
        cortex_m::asm::bkpt();
    }
}
