//! The analysis kit of `kit_typed` through lossmap's C ABI (`lossmap_*` functions, called from
//! Rust as a C program would call them), for its footprint: `lossmap_adam_init_f32` /
//! `lossmap_adam_step_f32`, `lossmap_gradient_central_f32`, `lossmap_hessian_f32`,
//! `lossmap_sym_eigen_f32`, `lossmap_classify_f32`, N = 8, caller-owned buffers. Built with the
//! feature `capi`; the baseline is `kit_empty` built with it too.
#![no_std]
#![no_main]

use core::ffi::c_void;
use core::hint::black_box;
use core::mem::MaybeUninit;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use lossmap::capi::{
    lossmap_adam_config_default_f32, lossmap_adam_init_f32, lossmap_adam_step_f32,
    lossmap_classify_f32, lossmap_gradient_central_f32, lossmap_hessian_f32, lossmap_sym_eigen_f32,
    lossmap_tolerance_default_f32, LossmapAdam, LossmapCriticalPoint, LOSSMAP_POINT_MINIMUM,
};
use lossmap::linalg::norm2;

const N: usize = 8;

/// The loss of `kit_typed`, as a C callback.
unsafe extern "C" fn loss(x: *const f32, n: usize, _ctx: *mut c_void) -> f32 {
    if x.is_null() || n != N {
        return f32::NAN;
    }
    // SAFETY: lossmap passes `n` valid floats at `x`.
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    let mut s = 0.0;
    for (i, w) in x.windows(2).enumerate() {
        if let [a, b] = *w {
            s += (i + 1) as f32 * a * a + 0.5 * a * b;
        }
    }
    match x.last() {
        Some(&l) => s + N as f32 * l * l,
        None => f32::NAN,
    }
}

/// Every buffer of the kit, as a C program would allocate it.
struct Buffers {
    grad_work: [f32; 2 * N],
    g: [f32; N],
    hess_work: [f32; N + N * N],
    h: [f32; N * N],
    eig_work: [f32; N * N],
    values: [f32; N],
    vectors: [f32; N * N],
    m: [f32; N],
    v: [f32; N],
}

#[inline(never)]
fn kit(x: &mut [f32; N], b: &mut Buffers) -> i32 {
    let f = Some(loss as unsafe extern "C" fn(*const f32, usize, *mut c_void) -> f32);
    let ctx = core::ptr::null_mut();
    let mut evals = 0usize;
    let mut point = LossmapCriticalPoint::default();
    let tol = lossmap_tolerance_default_f32();
    let cfg = lossmap_adam_config_default_f32();
    // SAFETY: every pointer is to a live buffer of the documented length.
    unsafe {
        let mut rc = lossmap_gradient_central_f32(
            f,
            ctx,
            x.as_ptr(),
            N,
            b.grad_work.as_mut_ptr(),
            b.g.as_mut_ptr(),
            &mut evals,
        );
        if rc == 0 {
            rc = lossmap_hessian_f32(
                f,
                ctx,
                x.as_ptr(),
                N,
                b.hess_work.as_mut_ptr(),
                b.h.as_mut_ptr(),
                &mut evals,
            );
        }
        if rc == 0 {
            rc = lossmap_sym_eigen_f32(
                b.h.as_ptr(),
                N,
                b.eig_work.as_mut_ptr(),
                b.values.as_mut_ptr(),
                b.vectors.as_mut_ptr(),
            );
        }
        if rc == 0 {
            rc = lossmap_classify_f32(b.values.as_ptr(), N, norm2(&b.g), &tol, &mut point);
        }
        if rc == 0 {
            // Declared without an initializer, as a C program declares it: the init writes
            // every field.
            let mut adam = MaybeUninit::<LossmapAdam<f32>>::uninit();
            rc = lossmap_adam_init_f32(
                adam.as_mut_ptr(),
                &cfg,
                N,
                b.m.as_mut_ptr(),
                b.v.as_mut_ptr(),
            );
            if rc == 0 {
                // The state of a running fit is unknown to the compiler (as in `kit_typed`).
                let adam = black_box(adam.as_mut_ptr());
                rc = lossmap_adam_step_f32(adam, x.as_mut_ptr(), b.g.as_ptr(), N);
            }
        }
        if rc == 0 && point.kind != LOSSMAP_POINT_MINIMUM {
            rc = -100;
        }
        rc
    }
}

#[entry]
fn main() -> ! {
    let mut x = black_box([1e-4f32, -2e-4, 1e-4, 0.0, 2e-4, -1e-4, 0.0, 1e-4]);
    let mut b = Buffers {
        grad_work: [0.0; 2 * N],
        g: [0.0; N],
        hess_work: [0.0; N + N * N],
        h: [0.0; N * N],
        eig_work: [0.0; N * N],
        values: [0.0; N],
        vectors: [0.0; N * N],
        m: [0.0; N],
        v: [0.0; N],
    };
    let ok = kit(&mut x, &mut b) == 0;
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
