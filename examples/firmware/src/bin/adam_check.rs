//! Adam's steps checked on the core: every case of `src/adam_cases.rs` (sizes 1…17, special
//! values at the first, middle and last element, random valid data, configurations on and off
//! the Cortex-M4F's write-first step) run twice, as given (n ≤ 16 takes the write-first step
//! on the M4F) and padded with zeros beyond 16 elements (the read-only pass, the same bias
//! corrections): the same status and the same bits of θ, m, v, v_max are required, and on an
//! error every buffer as before. Prints one line per case for the host test
//! (`tests/repo/firmware_adam.rs`), which runs the same cases through the host library:
//!
//! ```text
//! LOSSMAP-ADAM-CASE board=<b> i=<case> n=<n> status=<0|code> hash=<fnv1a hex> ok=<1|0>
//! LOSSMAP-ADAM-CHECK board=<b> cases=<k> ok=<1|0>
//! ```
//!
//! QEMU exits with 0 when every case is ok.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};

#[path = "../adam_cases.rs"]
mod adam_cases;

use adam_cases::{case, chain, hash, run, unchanged, CASES, CHAIN_BETAS, MAX_N};

/// Board name from `build.rs` (chosen by the compilation target).
const BOARD: &str = env!("LOSSMAP_BOARD");

#[entry]
fn main() -> ! {
    let mut all = true;
    let (mut a, mut b) = ([[0.0f32; 2 * MAX_N]; 4], [[0.0f32; 2 * MAX_N]; 4]);
    for i in 0..CASES {
        let c = case(i);
        let (sa, ta) = run(&c, c.n, &mut a);
        let (sb, tb) = run(&c, c.n + MAX_N, &mut b);
        let (ha, hb) = (hash(sa, ta, c.n, &a), hash(sb, tb, c.n, &b));
        let ok = sa == sb && ha == hb && (sa == 0 || unchanged(&c, &a));
        all &= ok;
        hprintln!(
            "LOSSMAP-ADAM-CASE board={} i={} n={} status={} hash={:08x} ok={}",
            BOARD,
            i,
            c.n,
            sa,
            ha,
            u8::from(ok)
        );
    }
    for i in 0..CHAIN_BETAS.len() {
        let (status, h, hs) = chain(i);
        all &= status == 0;
        hprintln!(
            "LOSSMAP-ADAM-CHAIN board={} i={} status={} hash={:08x} state={:08x}",
            BOARD,
            i,
            status,
            h,
            hs
        );
    }
    hprintln!(
        "LOSSMAP-ADAM-CHECK board={} cases={} ok={}",
        BOARD,
        CASES,
        u8::from(all)
    );
    debug::exit(if all {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    hprintln!("LOSSMAP-ADAM-CHECK board={} panic: {}", BOARD, info);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
