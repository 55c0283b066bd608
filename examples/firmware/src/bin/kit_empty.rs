//! The footprint baseline: an empty firmware (cortex-m-rt's vector table and reset handler, a
//! semihosting exit, a spinning panic handler) and nothing else. `scripts/cost` counts the
//! kits' flash (`.text` + `.rodata`) and static data (`.data` + `.bss`) beyond this one, built
//! with the same features.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;

#[entry]
fn main() -> ! {
    debug::exit(debug::EXIT_SUCCESS);
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
