//! The analysis kit of `kit_typed` through lossmap's slice kernels, for its footprint:
//! `adam_step`, `central_gradient`, `hessian`, `sym_eigen`, `classify`, N = 8, f32, with the size
//! hidden from the compiler (`black_box(8)`) as a C caller's run-time `n` is, and the optimizer's
//! state hidden as in the other kits. Between `kit_typed` (every size known) and `kit_capi` (the
//! same kernels behind the C shells): slice − typed is what a run-time size costs, C ABI − slice
//! what the C shells cost. Otherwise as `kit_empty` (the baseline).
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use lossmap::diff::{central_gradient, hessian};
use lossmap::landscape::{classify, CriticalPoint, Tolerance};
use lossmap::linalg::{norm2, sym_eigen};
use lossmap::optim::{adam_step, AdamBias, AdamConfig};
use lossmap::Error;

const N: usize = 8;

/// The loss of `kit_typed`, over a slice.
fn loss(x: &[f32]) -> f32 {
    let mut s = 0.0;
    for (i, w) in x.windows(2).enumerate() {
        if let [a, b] = *w {
            s += (i + 1) as f32 * a * a + 0.5 * a * b;
        }
    }
    match x.last() {
        Some(&l) => s + x.len() as f32 * l * l,
        None => f32::NAN,
    }
}

/// Every buffer of the kit, as in `kit_capi`.
struct Buffers {
    g: [f32; N],
    h: [f32; N * N],
    eig_work: [f32; N * N],
    values: [f32; N],
    vectors: [f32; N * N],
    m: [f32; N],
    v: [f32; N],
}

#[inline(never)]
fn kit(x: &mut [f32; N], b: &mut Buffers, n: usize) -> Result<bool, Error> {
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    let x = x.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let g = b.g.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let h = b.h.get_mut(..nn).ok_or(Error::LengthMismatch)?;
    let work = b.eig_work.get_mut(..nn).ok_or(Error::LengthMismatch)?;
    let values = b.values.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let vectors = b.vectors.get_mut(..nn).ok_or(Error::LengthMismatch)?;
    let m = b.m.get_mut(..n).ok_or(Error::LengthMismatch)?;
    let v = b.v.get_mut(..n).ok_or(Error::LengthMismatch)?;
    central_gradient(&mut loss, x, g)?;
    hessian(&mut loss, x, h)?;
    sym_eigen(h, n, work, values, vectors)?;
    let kind = classify(values, norm2(g), &Tolerance::default())?;
    // A fresh state (`lossmap_adam_init`), then a step with the state of a running fit hidden
    // (as in `kit_typed`).
    let cfg = AdamConfig::default();
    cfg.validate()?;
    m.iter_mut().chain(v.iter_mut()).for_each(|a| *a = 0.0);
    let (mut t, mut bias) = (black_box(0u32), black_box(AdamBias::EMPTY));
    adam_step(black_box(&cfg), &mut t, &mut bias, m, v, x, g)?;
    // Compared here, as `kit_capi` compares its C struct: returning the classification by
    // value would add a copy (a `memcpy` call on the M0) that is the kit's, not the library's.
    Ok(kind == CriticalPoint::Minimum)
}

#[entry]
fn main() -> ! {
    let mut x = black_box([1e-4f32, -2e-4, 1e-4, 0.0, 2e-4, -1e-4, 0.0, 1e-4]);
    let mut b = Buffers {
        g: [0.0; N],
        h: [0.0; N * N],
        eig_work: [0.0; N * N],
        values: [0.0; N],
        vectors: [0.0; N * N],
        m: [0.0; N],
        v: [0.0; N],
    };
    let ok = kit(&mut x, &mut b, black_box(N)) == Ok(true);
    black_box((x, &b));
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
