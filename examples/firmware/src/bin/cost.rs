//! What lossmap costs on the core, for `scripts/cost`: executed instructions per Adam step
//! (f32, N = 8 and 16) of lossmap, of the reference C (`dev/c/ref_adam.c`, arm-none-eabi-gcc
//! `-O3`, unchecked, checked, strict, sums, lean, lean_ldm and undo) and of a plain Rust loop, the
//! guarantee of the C lean, lean_ldm and undo steps (bit identity, refusal with nothing changed), and the stack depth of the typed API
//! and of the slice kernels doing the same work.
//!
//! ```text
//! cd examples/firmware
//! cargo build --release --bin cost --features cost [--target thumbv6m-none-eabi]
//! qemu-system-arm -M mps2-an386 -icount shift=0 -nographic \
//!     -semihosting-config enable=on,target=native -kernel target/thumbv7em-none-eabihf/release/cost
//! ```
//!
//! # Instructions
//!
//! Under `-icount shift=0` QEMU advances its virtual clock by exactly 1 ns per executed guest
//! instruction, and the timers below run on that clock, so `ticks × tick length in ns` is the
//! number of instructions executed between two reads:
//!
//! * mps2-an386 (Cortex-M4F): SysTick with CLKSOURCE = processor clock, which QEMU's MPS2
//!   model runs at its SYSCLK of 25 MHz: 40 ns, i.e. 40 instructions per tick (24-bit
//!   down-counter: intervals below 2²⁴ ticks ≈ 671 M instructions).
//! * microbit (nRF51, Cortex-M0): TIMER0 in timer mode, 32 bit, prescaler 0, which QEMU's
//!   `nrf51_timer` clocks at 16 MHz: 62.5 instructions per tick.
//!
//! Each case runs [`STEPS`] steps between two reads, so the resolution is 40 / 1000 = 0.04
//! (M4F) or 0.0625 (M0) instructions per step. The calibration runs a loop of known length —
//! `CALIB_ITERS` × (100 `nop`s + `subs` + `bne`), and twice as many iterations — and prints the
//! expected and measured counts: the difference of the two runs must be exactly
//! `CALIB_ITERS × 102` instructions, within one tick.
//!
//! # Stack
//!
//! Each case paints the free stack below its own frame, calls the library through a function
//! pointer the optimizer cannot see through (so nothing is inlined into the caller's frame),
//! and reports how far below the stack pointer at the call the paint was overwritten: the
//! stack the call uses beyond the caller's buffers (inputs, outputs, scratch and the returned
//! value all live in the caller's frame).
//!
//! # Output
//!
//! ```text
//! LOSSMAP-COST-CALIB board=<b> tick_ps=<picoseconds per tick> iters=<i> body=102 ticks=<t>
//! LOSSMAP-COST-ADAM board=<b> impl=<name> n=<n> steps=<k> ticks=<t> ok=<1|0>
//! LOSSMAP-COST-GUARD board=<b> case=<name> ok=<1|0>
//! LOSSMAP-COST-STACK board=<b> case=<name> bytes=<b> ok=<1|0>
//! LOSSMAP-COST board=<b> ok=<1|0>
//! ```
//!
//! `ok` of an Adam case: every step succeeded and the end point agrees with the C loop's;
//! of a stack case: the call succeeded and its result is right. QEMU exits with 0 when every
//! case is ok.
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use lossmap::diff::{central_gradient, hessian};
use lossmap::global::{genetic_slice, Bounds, Budget, Genetic, GeneticConfig, ProjectedGradient};
use lossmap::global::{SearchReport, LOCAL_WORK};
use lossmap::landscape::{classify, classify_at, curvature, CriticalPoint, Curvature, Tolerance};
use lossmap::linalg::{norm2, sym_eigen, SymEigen};
use lossmap::objective::{Fixed, SliceObjective};
use lossmap::optim::{
    adam_step, newton, newton_slice, newton_vecs_len, Adam, AdamBias, AdamConfig, Newton,
    NewtonConfig, NewtonReport, Optimizer, Stop,
};
use lossmap::random::SplitMix64;
use lossmap::testfn::{RosenbrockN, SixHumpCamel};
use lossmap::{Error, Objective, Real};

/// Board name from `build.rs` (chosen by the compilation target).
const BOARD: &str = env!("LOSSMAP_BOARD");
/// The micro:bit (nRF51 TIMER0) rather than the MPS2 (SysTick).
const MICROBIT: bool = str_eq(BOARD, "microbit");

/// Adam steps per measured interval.
const STEPS: u32 = 1000;
/// Iterations of the calibration loop (and twice as many).
const CALIB_ITERS: u32 = 1000;
/// Instructions per calibration iteration: 100 `nop`s, `subs`, `bne`.
const CALIB_BODY: u32 = 102;

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Timers on QEMU's virtual clock

/// SysTick registers (ARMv7-M / ARMv6-M system control space).
const SYST_CSR: usize = 0xE000_E010;
const SYST_RVR: usize = 0xE000_E014;
const SYST_CVR: usize = 0xE000_E018;
/// nRF51 TIMER0 and its registers (nRF51 Reference Manual, TIMER chapter).
const TIMER0: usize = 0x4000_8000;
const TASKS_START: usize = 0x000;
const TASKS_CLEAR: usize = 0x00C;
const TASKS_CAPTURE0: usize = 0x040;
const MODE: usize = 0x504;
const BITMODE: usize = 0x508;
const PRESCALER: usize = 0x510;
const CC0: usize = 0x540;

/// Picoseconds per tick: 40 ns (25 MHz SysTick) or 62.5 ns (16 MHz TIMER0).
const TICK_PS: u32 = if MICROBIT { 62_500 } else { 40_000 };

fn write_reg(addr: usize, v: u32) {
    // SAFETY: a memory-mapped register of this board, written with a value it accepts.
    unsafe { core::ptr::write_volatile(addr as *mut u32, v) }
}

fn read_reg(addr: usize) -> u32 {
    // SAFETY: a memory-mapped register of this board.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

/// Starts the free-running timer.
fn timer_start() {
    if MICROBIT {
        write_reg(TIMER0 + MODE, 0); // timer
        write_reg(TIMER0 + BITMODE, 3); // 32 bit
        write_reg(TIMER0 + PRESCALER, 0); // 16 MHz
        write_reg(TIMER0 + TASKS_CLEAR, 1);
        write_reg(TIMER0 + TASKS_START, 1);
    } else {
        write_reg(SYST_RVR, 0x00FF_FFFF);
        write_reg(SYST_CVR, 0); // any write clears the counter
        write_reg(SYST_CSR, 0b101); // CLKSOURCE = processor clock, no interrupt, ENABLE
    }
}

/// The timer now, as an up-counting value (wraps at 2³² on the nRF51, 2²⁴ on SysTick).
#[inline(always)]
fn timer_now() -> u32 {
    if MICROBIT {
        write_reg(TIMER0 + TASKS_CAPTURE0, 1);
        read_reg(TIMER0 + CC0)
    } else {
        // SysTick counts down.
        0x00FF_FFFF - read_reg(SYST_CVR)
    }
}

/// Ticks from `t0` to `t1` (one wrap at most).
fn ticks_between(t0: u32, t1: u32) -> u32 {
    let mask = if MICROBIT { u32::MAX } else { 0x00FF_FFFF };
    t1.wrapping_sub(t0) & mask
}

/// Timer ticks taken by `f`.
#[inline(always)]
fn ticks_of(f: impl FnOnce()) -> u32 {
    let t0 = timer_now();
    f();
    let t1 = timer_now();
    ticks_between(t0, t1)
}

// ---------------------------------------------------------------------------------------------
// Calibration: a loop of known instruction count

/// `iters` × (100 `nop` + `subs` + `bne`) instructions.
#[inline(never)]
fn nop_loop(iters: u32) {
    // SAFETY: only r0 and the flags change; no memory or stack access.
    unsafe {
        core::arch::asm!(
            "2:",
            ".rept 100",
            "nop",
            ".endr",
            "subs r0, #1",
            "bne 2b",
            inout("r0") iters => _,
            options(nomem, nostack),
        );
    }
}

fn calibrate() {
    for iters in [CALIB_ITERS, 2 * CALIB_ITERS] {
        let ticks = ticks_of(|| nop_loop(black_box(iters)));
        hprintln!(
            "LOSSMAP-COST-CALIB board={} tick_ps={} iters={} body={} ticks={}",
            BOARD,
            TICK_PS,
            iters,
            CALIB_BODY,
            ticks
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Adam: lossmap, the reference C, a plain Rust loop

/// `ref_adam_f32` of `dev/c/ref_adam.h`.
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct RefAdam {
    lr: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    b1t: f32,
    b2t: f32,
    t: u32,
}

extern "C" {
    fn ref_adam_init_f32(s: *mut RefAdam, lr: f32, beta1: f32, beta2: f32, eps: f32) -> i32;
    fn ref_adam_unchecked_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    );
    /// `ref_adam_unchecked_f32` built with plain `-O3` (gcc's default `-fmath-errno`).
    fn ref_errno_adam_unchecked_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    );
    fn ref_adam_checked_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    ) -> i32;
    fn ref_adam_strict_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    ) -> i32;
    fn ref_adam_sums_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    ) -> i32;
    fn ref_adam_lean_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    ) -> i32;
    fn ref_adam_lean_ldm_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
    ) -> i32;
    fn ref_adam_undo_f32(
        s: *mut RefAdam,
        x: *mut f32,
        g: *const f32,
        m: *mut f32,
        v: *mut f32,
        n: usize,
        log: *mut f32,
    ) -> i32;
}

/// newlib's `sqrtf` (linked for the M0's C) sets errno on a negative argument through this.
#[no_mangle]
extern "C" fn __errno() -> *mut i32 {
    static mut ERRNO: i32 = 0;
    &raw mut ERRNO
}

/// A fresh C state with torch's defaults.
fn c_state() -> RefAdam {
    let c = AdamConfig::<f32>::default();
    let mut s = RefAdam::default();
    // SAFETY: `s` is a valid, exclusive state.
    let rc = unsafe { ref_adam_init_f32(&mut s, c.lr, c.beta1, c.beta2, c.eps) };
    if rc != 0 {
        s.t = u32::MAX; // marks the failure: every step then disagrees
    }
    s
}

/// The plain Rust loop: the C unchecked step transcribed (βᵗ as running products, √ from
/// lossmap's `Real`, no checks).
struct PlainAdam {
    b1t: f32,
    b2t: f32,
}

impl PlainAdam {
    #[inline(always)]
    fn step<const N: usize>(
        &mut self,
        x: &mut [f32; N],
        g: &[f32; N],
        m: &mut [f32; N],
        v: &mut [f32; N],
    ) {
        let c = AdamConfig::<f32>::default();
        let (b1, b2) = (c.beta1, c.beta2);
        let (c1, c2) = (1.0 - b1, 1.0 - b2);
        self.b1t *= b1;
        self.b2t *= b2;
        let step = c.lr / (1.0 - self.b1t);
        let bc2s = Real::sqrt(1.0 - self.b2t);
        for (((x, &g), m), v) in x.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
            let mi = b1 * *m + c1 * g;
            let vi = b2 * *v + c2 * (g * g);
            *m = mi;
            *v = vi;
            *x -= step * (mi / (Real::sqrt(vi) / bc2s + c.eps));
        }
    }
}

impl PlainAdam {
    /// The C undo step transcribed (`adam_undo_f32` of `dev/c`): the plain loop writing first,
    /// the old x, m, v copied to `log` 4 elements at a time (`N` a multiple of 4), the flag
    /// acc += x'·d (d the update's denominator: finite acc means every new value finite), and
    /// on a non-finite acc the exact test of the new values and, if one is not finite, the
    /// copy back. `false` when the step was undone.
    #[inline(always)]
    fn step_undo<const N: usize>(
        &mut self,
        x: &mut [f32; N],
        g: &[f32; N],
        m: &mut [f32; N],
        v: &mut [f32; N],
        log: &mut [[f32; 12]],
    ) -> bool {
        let c = AdamConfig::<f32>::default();
        let (b1, b2) = (c.beta1, c.beta2);
        let (c1, c2) = (1.0 - b1, 1.0 - b2);
        let (b1t, b2t) = (self.b1t * b1, self.b2t * b2);
        let step = c.lr / (1.0 - b1t);
        let bc2s = Real::sqrt(1.0 - b2t);
        let mut acc = 0.0f32;
        let blocks = x
            .as_chunks_mut::<4>()
            .0
            .iter_mut()
            .zip(g.as_chunks::<4>().0)
            .zip(
                m.as_chunks_mut::<4>()
                    .0
                    .iter_mut()
                    .zip(v.as_chunks_mut::<4>().0),
            )
            .zip(log.iter_mut());
        for (((xc, gc), (mc, vc)), lc) in blocks {
            let [lx, lm, lv] = lc.as_chunks_mut::<4>().0 else {
                continue;
            };
            *lx = *xc;
            *lm = *mc;
            *lv = *vc;
            // Four elements at fixed offsets, written out (opt-level "s" keeps a loop over
            // four rolled, with index arithmetic and a bounds check).
            let mut el = |x: &mut f32, g: f32, m: &mut f32, v: &mut f32| {
                let mi = b1 * *m + c1 * g;
                let vi = b2 * *v + c2 * (g * g);
                let d = Real::sqrt(vi) / bc2s + c.eps;
                let xi = *x - step * (mi / d);
                *m = mi;
                *v = vi;
                *x = xi;
                acc += xi * d;
            };
            let ([x0, x1, x2, x3], [g0, g1, g2, g3]) = (xc, *gc);
            let ([m0, m1, m2, m3], [v0, v1, v2, v3]) = (mc, vc);
            el(x0, g0, m0, v0);
            el(x1, g1, m1, v1);
            el(x2, g2, m2, v2);
            el(x3, g3, m3, v3);
        }
        if !acc.is_finite() {
            let finite = |a: &[f32; N]| a.iter().all(|e| e.is_finite());
            if !(finite(x) && finite(m) && finite(v)) {
                let blocks = x
                    .chunks_exact_mut(4)
                    .zip(m.chunks_exact_mut(4).zip(v.chunks_exact_mut(4)))
                    .zip(log.iter());
                for ((xc, (mc, vc)), lc) in blocks {
                    let (lx, rest) = lc.split_at(4);
                    let (lm, lv) = rest.split_at(4);
                    xc.copy_from_slice(lx);
                    mc.copy_from_slice(lm);
                    vc.copy_from_slice(lv);
                }
                return false;
            }
        }
        self.b1t = b1t;
        self.b2t = b2t;
        true
    }
}

/// Start point and gradient of size `N`: θᵢ = 0.5 + 0.01·(i mod 7), gᵢ = (37i mod 17 − 8.5)/10.
fn adam_data<const N: usize>() -> ([f32; N], [f32; N]) {
    let x = core::array::from_fn(|i| 0.5 + 0.01 * (i % 7) as f32);
    let g = core::array::from_fn(|i| ((i * 37 % 17) as f32 - 8.5) * 0.1);
    (black_box(x), black_box(g))
}

/// The Adam implementations measured, by report name.
const ADAM_IMPLS: [&str; 13] = [
    "lossmap-slice",
    "lossmap-typed",
    "c-unchecked",
    "c-errno",
    "c-checked",
    "c-strict",
    "c-sums",
    "c-lean",
    "c-lean-ldm",
    "c-undo",
    "rust-plain",
    "rust-undo",
    "empty-loop",
];

/// Runs [`STEPS`] steps of implementation `which` at size `N`: ticks, end point, all steps ok.
#[inline(never)]
fn adam_case<const N: usize>(which: &str) -> (u32, [f32; N], bool) {
    let (mut x, g) = adam_data::<N>();
    let (mut m, mut v) = ([0.0f32; N], [0.0f32; N]);
    let mut ok = true;
    let ticks = match which {
        "lossmap-slice" => {
            let (cfg, mut t, mut bias) = (AdamConfig::<f32>::default(), 0u32, AdamBias::EMPTY);
            ticks_of(|| {
                for _ in 0..STEPS {
                    let (x, m, v) = black_box((&mut x, &mut m, &mut v));
                    let (cfg, t, bias) = black_box((&cfg, &mut t, &mut bias));
                    ok &= adam_step(cfg, t, bias, m, v, x, &g).is_ok();
                }
            })
        }
        "lossmap-typed" => match Adam::<f32, N>::new(AdamConfig::default()) {
            Ok(mut adam) => ticks_of(|| {
                for _ in 0..STEPS {
                    ok &= black_box(&mut adam).step(black_box(&mut x), &g).is_ok();
                }
            }),
            Err(_) => {
                ok = false;
                0
            }
        },
        "c-unchecked" | "c-errno" | "c-checked" | "c-strict" | "c-sums" | "c-lean"
        | "c-lean-ldm" | "c-undo" => {
            let mut s = c_state();
            let (checked, strict) = (which == "c-checked", which == "c-strict");
            let (sums, lean, undo) = (which == "c-sums", which == "c-lean", which == "c-undo");
            let (lean_ldm, errno) = (which == "c-lean-ldm", which == "c-errno");
            let mut log = [[0.0f32; N]; 3];
            ticks_of(|| {
                for _ in 0..STEPS {
                    let (x, m, v) = black_box((&mut x, &mut m, &mut v));
                    // SAFETY: four distinct arrays of N floats and an exclusive state.
                    unsafe {
                        let (xp, gp, mp, vp) =
                            (x.as_mut_ptr(), g.as_ptr(), m.as_mut_ptr(), v.as_mut_ptr());
                        if checked {
                            ok &= ref_adam_checked_f32(&mut s, xp, gp, mp, vp, N) == 0;
                        } else if strict {
                            ok &= ref_adam_strict_f32(&mut s, xp, gp, mp, vp, N) == 0;
                        } else if sums {
                            ok &= ref_adam_sums_f32(&mut s, xp, gp, mp, vp, N) == 0;
                        } else if lean {
                            ok &= ref_adam_lean_f32(&mut s, xp, gp, mp, vp, N) == 0;
                        } else if lean_ldm {
                            ok &= ref_adam_lean_ldm_f32(&mut s, xp, gp, mp, vp, N) == 0;
                        } else if undo {
                            let lp = black_box(&mut log).as_flattened_mut().as_mut_ptr();
                            ok &= ref_adam_undo_f32(&mut s, xp, gp, mp, vp, N, lp) == 0;
                        } else if errno {
                            ref_errno_adam_unchecked_f32(&mut s, xp, gp, mp, vp, N);
                        } else {
                            ref_adam_unchecked_f32(&mut s, xp, gp, mp, vp, N);
                        }
                    }
                }
            })
        }
        "rust-plain" => {
            let mut p = PlainAdam { b1t: 1.0, b2t: 1.0 };
            ticks_of(|| {
                for _ in 0..STEPS {
                    let (x, m, v) = black_box((&mut x, &mut m, &mut v));
                    p.step(x, &g, m, v);
                }
            })
        }
        "rust-undo" => {
            let mut p = PlainAdam { b1t: 1.0, b2t: 1.0 };
            let mut log = [[0.0f32; 12]; 4];
            ticks_of(|| {
                for _ in 0..STEPS {
                    let (x, m, v) = black_box((&mut x, &mut m, &mut v));
                    ok &= p.step_undo(x, &g, m, v, &mut log[..N / 4]);
                }
            })
        }
        _ => ticks_of(|| {
            for _ in 0..STEPS {
                black_box((&mut x, &mut m, &mut v));
            }
        }),
    };
    (ticks, x, ok)
}

/// Measures every implementation at size `N`; `true` when all agree with the C loop.
fn adam_size<const N: usize>() -> bool {
    let (_, reference, _) = adam_case::<N>("c-unchecked");
    let (_, plain, _) = adam_case::<N>("rust-plain");
    let mut all = true;
    for which in ADAM_IMPLS {
        let (ticks, x, ok) = adam_case::<N>(which);
        // 1000 steps move θ by ≈ 1; f32 βᵗ products and f64 bias corrections differ by ~1e-5.
        // The C errno, lean and undo steps are the unchecked update, the Rust undo step the plain
        // Rust loop: bit for bit.
        let agrees = match which {
            "empty-loop" => true,
            "rust-undo" => x
                .iter()
                .zip(&plain)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "c-errno" | "c-lean" | "c-lean-ldm" | "c-undo" => x
                .iter()
                .zip(&reference)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            _ => x.iter().zip(&reference).all(|(a, b)| (a - b).abs() <= 1e-3),
        };
        let ok = ok && agrees;
        all &= ok;
        hprintln!(
            "LOSSMAP-COST-ADAM board={} impl={} n={} steps={} ticks={} ok={}",
            BOARD,
            which,
            N,
            STEPS,
            ticks,
            u8::from(ok)
        );
    }
    all
}

/// One C lean (`which` 0), lean_ldm (1) or undo (2, with a scratch of 3N) step on copies
/// of `x, g, m, v` and of the state `s`: status, new x, m, v and state.
fn guarded_step<const N: usize>(
    which: u8,
    s: &RefAdam,
    x: &[f32; N],
    g: &[f32; N],
    m: &[f32; N],
    v: &[f32; N],
) -> (i32, [[f32; N]; 3], [u32; 3]) {
    let mut st = *s;
    let (mut x, mut m, mut v) = (*x, *m, *v);
    let mut log = [[0.0f32; N]; 3];
    let (xp, gp, mp, vp) = (x.as_mut_ptr(), g.as_ptr(), m.as_mut_ptr(), v.as_mut_ptr());
    // SAFETY: distinct arrays of N floats (log: 3N) and an exclusive state.
    let rc = unsafe {
        match black_box(which) {
            0 => ref_adam_lean_f32(&mut st, xp, gp, mp, vp, N),
            1 => ref_adam_lean_ldm_f32(&mut st, xp, gp, mp, vp, N),
            _ => {
                let lp = log.as_flattened_mut().as_mut_ptr();
                ref_adam_undo_f32(&mut st, xp, gp, mp, vp, N, lp)
            }
        }
    };
    (rc, [x, m, v], [st.b1t.to_bits(), st.b2t.to_bits(), st.t])
}

/// The guarantee of the C lean, lean_ldm and undo steps, checked on the core: on accepted data the
/// new x, m, v are bit for bit the unchecked step's (also when the undo step's flag or the
/// lean step's sums overflow while every new value is finite: the exact test accepts); on
/// a NaN gradient, a gradient whose square overflows, an infinite v, and an x whose update
/// overflows, -1 with x, m, v and the state unchanged.
fn guard_checks<const N: usize>() -> bool {
    let (x0, g0) = adam_data::<N>();
    // A state a few steps in: non-zero moments, t = 3.
    let (mut s0, mut x1, mut m1, mut v1) = (c_state(), x0, [0.0f32; N], [0.0f32; N]);
    for _ in 0..3 {
        // SAFETY: four distinct arrays of N floats and an exclusive state.
        unsafe {
            ref_adam_unchecked_f32(
                &mut s0,
                x1.as_mut_ptr(),
                g0.as_ptr(),
                m1.as_mut_ptr(),
                v1.as_mut_ptr(),
                N,
            );
        }
    }
    let unchecked = |x: &[f32; N], g: &[f32; N], m: &[f32; N], v: &[f32; N]| {
        let (mut st, mut x, mut m, mut v) = (s0, *x, *m, *v);
        // SAFETY: as above.
        unsafe {
            ref_adam_unchecked_f32(
                &mut st,
                x.as_mut_ptr(),
                g.as_ptr(),
                m.as_mut_ptr(),
                v.as_mut_ptr(),
                N,
            );
        }
        ([x, m, v], [st.b1t.to_bits(), st.b2t.to_bits(), st.t])
    };
    let bits = |a: &[[f32; N]; 3]| a.map(|r| r.map(f32::to_bits));
    let accept = |x: [f32; N], g: [f32; N], m: [f32; N], v: [f32; N]| {
        let (want, wst) = unchecked(&x, &g, &m, &v);
        (0..3).all(|which| {
            let (rc, got, st) = guarded_step(which, &s0, &x, &g, &m, &v);
            rc == 0 && bits(&got) == bits(&want) && st == wst
        })
    };
    let refuse = |x: [f32; N], g: [f32; N], m: [f32; N], v: [f32; N]| {
        let was = [s0.b1t.to_bits(), s0.b2t.to_bits(), s0.t];
        (0..3).all(|which| {
            let (rc, got, st) = guarded_step(which, &s0, &x, &g, &m, &v);
            rc == -1 && bits(&got) == bits(&[x, m, v]) && st == was
        })
    };
    let with = |mut a: [f32; N], i: usize, val: f32| {
        a[i] = val;
        black_box(a)
    };
    let big_x = [1e30f32; N]; // x'·d ≈ 3e40 and Σx² overflow; every new value finite
    let big_v = [1e18f32; N];
    let cases: [(&str, bool); 6] = [
        ("accept", accept(x1, g0, m1, v1)),
        ("accept-flag-overflow", accept(big_x, g0, m1, big_v)),
        ("refuse-g-nan", refuse(x1, with(g0, 3, f32::NAN), m1, v1)),
        ("refuse-g2-overflow", refuse(x1, with(g0, 5, 2e19), m1, v1)),
        (
            "refuse-v-inf",
            refuse(x1, g0, m1, with(v1, 2, f32::INFINITY)),
        ),
        (
            "refuse-x-overflow",
            refuse(with(x1, 6, -f32::MAX), g0, with(m1, 6, 1e38), v1),
        ),
    ];
    let mut all = true;
    for (name, ok) in cases {
        all &= ok;
        hprintln!(
            "LOSSMAP-COST-GUARD board={} case={}-n{} ok={}",
            BOARD,
            name,
            N,
            u8::from(ok)
        );
    }
    all
}

// ---------------------------------------------------------------------------------------------
// Stack: painted below the caller's frame

extern "C" {
    // cortex-m-rt's link.x: the start of the free RAM between `.uninit` and the stack.
    static __sheap: u32;
}

/// Word written over the free stack; any other value was touched since.
const PAINT: u32 = 0xA5C3_5A3C;
/// Bytes left unpainted right below the stack pointer (slack should the painting loop not be
/// inlined and push a frame); a depth reads at least this.
const PAINT_MARGIN: usize = 32;

/// Paints `[__sheap, SP − PAINT_MARGIN)` and returns `(bottom, SP)`. Inlined, so SP is the
/// bottom of the calling frame.
#[inline(always)]
fn paint() -> (usize, usize) {
    let sp = cortex_m::register::msp::read() as usize;
    let start = (&raw const __sheap) as usize;
    let end = (sp - PAINT_MARGIN) & !3;
    let mut p = start;
    while p < end {
        // SAFETY: [__sheap, SP − margin) is RAM no live object occupies (only the stack lives
        // above `.uninit`, and it is in use only above SP).
        unsafe { core::ptr::write_volatile(p as *mut u32, PAINT) };
        p += 4;
    }
    (start, sp)
}

/// Bytes below `sp` overwritten since [`paint`].
#[inline(always)]
fn depth((start, sp): (usize, usize)) -> usize {
    let mut p = start;
    // SAFETY: the range was painted; reading any RAM word is sound.
    while p < sp && unsafe { core::ptr::read_volatile(p as *const u32) } == PAINT {
        p += 4;
    }
    sp - p
}

/// `f`, as far as the optimizer knows any function: called, never inlined.
#[inline(always)]
fn opaque<F: Copy>(f: F) -> F {
    black_box(f)
}

const KN: usize = 8;

/// A value-only objective over R⁸ (FD gradient and Hessian): Σ (i+1)·xᵢ² + ½·xᵢxᵢ₊₁, a
/// positive definite quadratic; at the origin a minimum.
fn quad8(x: &[f32]) -> f32 {
    let mut s = 0.0;
    for (i, w) in x.windows(2).enumerate() {
        if let [a, b] = *w {
            s += (i + 1) as f32 * a * a + 0.5 * a * b;
        }
    }
    if let Some(&l) = x.last() {
        s += x.len() as f32 * l * l;
    }
    s
}

struct Quad8;

impl Objective<f32, KN> for Quad8 {
    fn value(&mut self, x: &[f32; KN]) -> f32 {
        quad8(x)
    }
}

fn kit_point() -> [f32; KN] {
    black_box([1e-4f32, -2e-4, 1e-4, 0.0, 2e-4, -1e-4, 0.0, 1e-4])
}

type ClassifyAt = fn(
    &mut Quad8,
    &[f32; KN],
    &Tolerance<f32>,
) -> Result<(CriticalPoint, Curvature<f32, KN>), Error>;

#[inline(never)]
fn stack_classify_typed() -> (usize, bool) {
    let x = kit_point();
    let tol = Tolerance::default();
    let f: ClassifyAt = opaque(classify_at::<f32, Quad8, KN>);
    let painted = paint();
    let r = f(&mut Quad8, &x, &tol);
    let d = depth(painted);
    (d, matches!(r, Ok((CriticalPoint::Minimum, _))))
}

type ClassifyView = fn(
    &mut Curvature<f32, KN>,
    &mut Quad8,
    &[f32; KN],
    &Tolerance<f32>,
) -> Result<CriticalPoint, Error>;

/// The typed view: [`Curvature::classify_at`] into storage the caller owns.
#[inline(never)]
fn stack_classify_view() -> (usize, bool) {
    let x = kit_point();
    let tol = Tolerance::default();
    let mut c = Curvature::<f32, KN>::default();
    let f: ClassifyView = opaque(Curvature::<f32, KN>::classify_at::<Quad8>);
    let painted = paint();
    let r = f(&mut c, &mut Quad8, &x, &tol);
    let d = depth(painted);
    (d, r == Ok(CriticalPoint::Minimum) && c.summary.min > 0.0)
}

/// The caller's buffers of the slice version of `classify_at`.
struct ClassifyBufs {
    x: [f32; KN],
    g: [f32; KN],
    h: [f32; KN * KN],
    work: [f32; KN * KN],
    values: [f32; KN],
    vectors: [f32; KN * KN],
}

/// `classify_at`'s work through the slice kernels.
#[inline(never)]
fn classify_slices(b: &mut ClassifyBufs, tol: &Tolerance<f32>) -> Result<CriticalPoint, Error> {
    let f = &mut |x: &[f32]| quad8(x);
    central_gradient(f, &mut b.x, &mut b.g)?;
    hessian(f, &mut b.x, &mut b.h)?;
    curvature(&b.h, KN, &mut b.work, &mut b.values, &mut b.vectors)?;
    classify(&b.values, norm2(&b.g), tol)
}

type ClassifySlices = fn(&mut ClassifyBufs, &Tolerance<f32>) -> Result<CriticalPoint, Error>;

#[inline(never)]
fn stack_classify_slices() -> (usize, bool) {
    let mut b = ClassifyBufs {
        x: kit_point(),
        g: [0.0; KN],
        h: [0.0; KN * KN],
        work: [0.0; KN * KN],
        values: [0.0; KN],
        vectors: [0.0; KN * KN],
    };
    let tol = Tolerance::default();
    let f: ClassifySlices = opaque(classify_slices);
    let painted = paint();
    let r = f(&mut b, &tol);
    let d = depth(painted);
    (d, r == Ok(CriticalPoint::Minimum))
}

/// The Hessian of [`quad8`]: 2(i+1) on the diagonal, ½ beside it.
fn quad8_hessian() -> [[f32; KN]; KN] {
    let mut h = [[0.0f32; KN]; KN];
    for (i, row) in h.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = if i == j {
                2.0 * (i + 1) as f32
            } else if i.abs_diff(j) == 1 {
                0.5
            } else {
                0.0
            };
        }
    }
    black_box(h)
}

type EigenNew = fn(&[[f32; KN]; KN]) -> Result<SymEigen<f32, KN>, Error>;

#[inline(never)]
fn stack_eigen_typed() -> (usize, bool) {
    let h = quad8_hessian();
    let f: EigenNew = opaque(SymEigen::<f32, KN>::new);
    let painted = paint();
    let r = f(&h);
    let d = depth(painted);
    (d, r.is_ok_and(|e| e.values[0] > 0.0))
}

type EigenView = fn(&mut SymEigen<f32, KN>, &[[f32; KN]; KN]) -> Result<(), Error>;

/// The typed view: [`SymEigen::decompose`] into storage the caller owns.
#[inline(never)]
fn stack_eigen_view() -> (usize, bool) {
    let h = quad8_hessian();
    let mut e = SymEigen::<f32, KN>::default();
    let f: EigenView = opaque(SymEigen::<f32, KN>::decompose);
    let painted = paint();
    let r = f(&mut e, &h);
    let d = depth(painted);
    (d, r.is_ok() && e.values[0] > 0.0)
}

type EigenSlice = fn(&[f32], usize, &mut [f32], &mut [f32], &mut [f32]) -> Result<usize, Error>;

#[inline(never)]
fn stack_eigen_slice() -> (usize, bool) {
    let h = quad8_hessian();
    let (mut work, mut values, mut vectors) = ([0.0f32; KN * KN], [0.0f32; KN], [0.0f32; KN * KN]);
    let f: EigenSlice = opaque(sym_eigen::<f32>);
    let painted = paint();
    let r = f(h.as_flattened(), KN, &mut work, &mut values, &mut vectors);
    let d = depth(painted);
    (d, r.is_ok() && values[0] > 0.0)
}

/// GA population.
const GA_P: usize = 16;
const GA_LO: [f32; 2] = [-3.0, -2.0];
const GA_HI: [f32; 2] = [3.0, 2.0];

fn ga_config() -> GeneticConfig<f32> {
    GeneticConfig {
        budget: Budget {
            max_evals: 2_000,
            ..Budget::default()
        },
        ..GeneticConfig::default()
    }
}

type GaRun = fn(
    &mut Genetic<f32, 2, GA_P>,
    &mut SixHumpCamel,
    &mut ProjectedGradient<f32>,
    &Bounds<'_, f32>,
    &mut SplitMix64,
    &mut [f32; 2],
) -> Result<SearchReport<f32>, Error>;

fn ga_run(
    ga: &mut Genetic<f32, 2, GA_P>,
    obj: &mut SixHumpCamel,
    local: &mut ProjectedGradient<f32>,
    bounds: &Bounds<'_, f32>,
    rng: &mut SplitMix64,
    x: &mut [f32; 2],
) -> Result<SearchReport<f32>, Error> {
    ga.run(obj, local, bounds, rng, x)
}

#[inline(never)]
fn stack_ga_typed() -> (usize, bool) {
    let (lo, hi) = (black_box(GA_LO), black_box(GA_HI));
    let Ok(bounds) = Bounds::new(&lo, &hi) else {
        return (0, false);
    };
    let Ok(mut ga) = Genetic::<f32, 2, GA_P>::new(ga_config()) else {
        return (0, false);
    };
    let (mut local, mut rng, mut x) = (
        ProjectedGradient::default(),
        SplitMix64::new(7),
        black_box([2.5f32, 1.5]),
    );
    let f: GaRun = opaque(ga_run);
    let painted = paint();
    let r = f(
        &mut ga,
        &mut SixHumpCamel,
        &mut local,
        &bounds,
        &mut rng,
        &mut x,
    );
    let d = depth(painted);
    (d, r.is_ok_and(|r| r.best_loss < -1.0))
}

/// The caller's buffers of [`genetic_slice`].
struct GaBufs {
    pop: [f32; GA_P * 2],
    fit: [f32; GA_P],
    next: [f32; GA_P * 2],
    next_fit: [f32; GA_P],
    best: [f32; 2],
    work: [f32; LOCAL_WORK * 2],
}

#[inline(never)]
fn ga_slices(
    b: &mut GaBufs,
    bounds: &Bounds<'_, f32>,
    rng: &mut SplitMix64,
) -> Result<SearchReport<f32>, Error> {
    let cfg = ga_config();
    genetic_slice(
        &mut Fixed::<_, 2>(&mut SixHumpCamel),
        &mut ProjectedGradient::default(),
        rng,
        bounds,
        &cfg,
        &mut b.pop,
        &mut b.fit,
        &mut b.next,
        &mut b.next_fit,
        &mut b.best,
        &mut b.work,
    )
}

type GaSlices =
    fn(&mut GaBufs, &Bounds<'_, f32>, &mut SplitMix64) -> Result<SearchReport<f32>, Error>;

#[inline(never)]
fn stack_ga_slices() -> (usize, bool) {
    let (lo, hi) = (black_box(GA_LO), black_box(GA_HI));
    let Ok(bounds) = Bounds::new(&lo, &hi) else {
        return (0, false);
    };
    let mut rng = SplitMix64::new(7);
    let mut b = GaBufs {
        pop: [0.0; GA_P * 2],
        fit: [0.0; GA_P],
        next: [0.0; GA_P * 2],
        next_fit: [0.0; GA_P],
        best: [0.0; 2],
        work: [0.0; LOCAL_WORK * 2],
    };
    // The typed `run`'s initial population: the start point, then uniform samples.
    b.pop[..2].copy_from_slice(&[2.5, 1.5]);
    for r in b.pop.chunks_exact_mut(2).skip(1) {
        if bounds.sample(&mut rng, r).is_err() {
            return (0, false);
        }
    }
    let f: GaSlices = opaque(ga_slices);
    let painted = paint();
    let r = f(&mut b, &bounds, &mut rng);
    let d = depth(painted);
    (d, r.is_ok_and(|r| r.best_loss < -1.0))
}

const NN: usize = 4;

/// 4-D Rosenbrock, value only (Newton then uses FD gradients and Hessians).
fn rosen4(x: &[f64]) -> f64 {
    match <&[f64; NN]>::try_from(x) {
        Ok(a) => Objective::<f64, NN>::value(&mut RosenbrockN::<NN>, a),
        Err(_) => f64::NAN,
    }
}

struct Rosen4;

impl Objective<f64, NN> for Rosen4 {
    fn value(&mut self, x: &[f64; NN]) -> f64 {
        rosen4(x)
    }
}

impl SliceObjective<f64> for Rosen4 {
    fn value(&mut self, x: &[f64]) -> f64 {
        rosen4(x)
    }
    fn gradient(&mut self, x: &mut [f64], g: &mut [f64]) -> Result<usize, Error> {
        central_gradient(&mut |p: &[f64]| rosen4(p), x, g)
    }
}

fn newton_stop() -> Stop<f64> {
    Stop {
        grad_tol: 1e-6,
        max_iter: 60,
        ..Stop::default()
    }
}

type NewtonTyped = fn(
    &mut Rosen4,
    &mut [f64; NN],
    &NewtonConfig<f64>,
    &Stop<f64>,
) -> Result<NewtonReport<f64>, Error>;

type NewtonView = fn(
    &mut Newton<f64, NN>,
    &mut Rosen4,
    &mut [f64; NN],
    &Stop<f64>,
) -> Result<NewtonReport<f64>, Error>;

/// The typed view: [`Newton::minimize`] with its scratch in storage the caller owns.
#[inline(never)]
fn stack_newton_view() -> (usize, bool) {
    let mut x = black_box([-1.2f64, 1.0, -1.2, 1.0]);
    let mut nt = Newton::<f64, NN>::new(NewtonConfig::default());
    let stop = newton_stop();
    let f: NewtonView = opaque(Newton::<f64, NN>::minimize::<Rosen4>);
    let painted = paint();
    let r = f(&mut nt, &mut Rosen4, &mut x, &stop);
    let d = depth(painted);
    (d, r.is_ok() && (x[0] - 1.0).abs() < 1e-4)
}

#[inline(never)]
fn stack_newton_typed() -> (usize, bool) {
    let mut x = black_box([-1.2f64, 1.0, -1.2, 1.0]);
    let (cfg, stop) = (NewtonConfig::default(), newton_stop());
    let f: NewtonTyped = opaque(newton::<f64, Rosen4, NN>);
    let painted = paint();
    let r = f(&mut Rosen4, &mut x, &cfg, &stop);
    let d = depth(painted);
    (d, r.is_ok() && (x[0] - 1.0).abs() < 1e-4)
}

/// The caller's buffers of [`newton_slice`].
struct NewtonBufs {
    x: [f64; NN],
    hess: [f64; NN * NN],
    chol: [f64; NN * NN],
    vecs: [f64; 4 * NN],
}

type NewtonSlice = fn(
    &mut Rosen4,
    &mut [f64],
    &mut [f64],
    &mut [f64],
    &mut [f64],
    &NewtonConfig<f64>,
    &Stop<f64>,
) -> Result<NewtonReport<f64>, Error>;

#[inline(never)]
fn stack_newton_slice() -> (usize, bool) {
    let mut b = NewtonBufs {
        x: black_box([-1.2f64, 1.0, -1.2, 1.0]),
        hess: [0.0; NN * NN],
        chol: [0.0; NN * NN],
        vecs: [0.0; 4 * NN],
    };
    if b.vecs.len() != newton_vecs_len(NN) {
        return (0, false);
    }
    let (cfg, stop) = (NewtonConfig::default(), newton_stop());
    let f: NewtonSlice = opaque(newton_slice::<f64, Rosen4>);
    let painted = paint();
    let r = f(
        &mut Rosen4,
        &mut b.x,
        &mut b.hess,
        &mut b.chol,
        &mut b.vecs,
        &cfg,
        &stop,
    );
    let d = depth(painted);
    (d, r.is_ok() && (b.x[0] - 1.0).abs() < 1e-4)
}

fn nothing() {}

/// The floor of the method: a call that uses no stack.
#[inline(never)]
fn stack_floor() -> (usize, bool) {
    let f: fn() = opaque(nothing);
    let painted = paint();
    f();
    (depth(painted), true)
}

/// A stack case: the bytes used and whether the call succeeded with the right result.
type StackCase = fn() -> (usize, bool);

/// The stack cases, by report name.
const STACK_CASES: [(&str, StackCase); 12] = [
    ("floor", stack_floor),
    ("classify_at-typed", stack_classify_typed),
    ("classify_at-view", stack_classify_view),
    ("sym_eigen-view", stack_eigen_view),
    ("classify-slices", stack_classify_slices),
    ("sym_eigen-typed", stack_eigen_typed),
    ("sym_eigen-slice", stack_eigen_slice),
    ("genetic-typed", stack_ga_typed),
    ("genetic-slice", stack_ga_slices),
    ("newton-f64-typed", stack_newton_typed),
    ("newton-f64-view", stack_newton_view),
    ("newton-f64-slice", stack_newton_slice),
];

#[entry]
fn main() -> ! {
    timer_start();
    calibrate();
    let mut ok = adam_size::<8>();
    ok &= adam_size::<16>();
    // 8: whole blocks (lean_ldm's assembly, undo's blocks of 4); 11: and a tail.
    ok &= guard_checks::<8>();
    ok &= guard_checks::<11>();
    for (name, case) in STACK_CASES {
        let (bytes, good) = case();
        ok &= good;
        hprintln!(
            "LOSSMAP-COST-STACK board={} case={} bytes={} ok={}",
            BOARD,
            name,
            bytes,
            u8::from(good)
        );
    }
    hprintln!("LOSSMAP-COST board={} ok={}", BOARD, u8::from(ok));
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
    hprintln!("LOSSMAP-COST board={} ok=0 (panic)", BOARD);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
