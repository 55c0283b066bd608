//! lossmap's `plot` on bare metal: streams an SVG heat map of f32 Rosenbrock (a 24 × 24 grid
//! evaluated on the device with a two-row buffer, log-spaced contours) with the path Adam takes
//! from (−1.2, 1) over semihosting stdout, as it is drawn: no buffer of the picture.
//!
//! ```text
//! cd examples/firmware
//! cargo build --release --bin plot
//! qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native \
//!     -kernel target/thumbv7em-none-eabihf/release/plot > rosenbrock.svg
//! ```
//!
//! stdout carries the SVG only (plain text: this binary links no defmt logger). The writes go
//! through a 256-byte buffer, so the host sees a few hundred semihosting calls, not one per
//! number. The QEMU process exits with 0 when the picture was written and non-zero on an error
//! (the error, or a panic, as text on semihosting stderr). `tests/repo/firmware.rs` runs it on
//! both boards and parses the output as XML.
#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};
use lossmap::Error;

#[path = "plot/picture.rs"]
mod picture;

/// A `fmt::Write` that collects bytes and hands them to semihosting stdout in blocks.
struct Buffered {
    out: hio::HostStream,
    buf: [u8; 256],
    len: usize,
    failed: bool,
}

impl Buffered {
    fn flush(&mut self) -> fmt::Result {
        let data = self.buf.get(..self.len).ok_or(fmt::Error)?;
        let r = self.out.write_all(data).map_err(|_| fmt::Error);
        self.len = 0;
        if r.is_err() {
            self.failed = true;
        }
        r
    }
}

impl Write for Buffered {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.len == self.buf.len() {
                self.flush()?;
            }
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}

fn draw(w: &mut Buffered) -> Result<(), Error> {
    picture::draw(w)?;
    w.flush().map_err(|_| Error::WriteFailed)
}

#[entry]
fn main() -> ! {
    let result = match hio::hstdout() {
        Ok(out) => {
            let mut w = Buffered {
                out,
                buf: [0; 256],
                len: 0,
                failed: false,
            };
            let r = draw(&mut w);
            if w.failed {
                Err(Error::WriteFailed)
            } else {
                r
            }
        }
        Err(()) => Err(Error::WriteFailed),
    };
    match result {
        Ok(()) => debug::exit(debug::EXIT_SUCCESS),
        Err(e) => {
            if let Ok(mut err) = hio::hstderr() {
                let _ = writeln!(err, "lossmap plot firmware: error {e:?} ({})", e.code());
            }
            debug::exit(debug::EXIT_FAILURE);
        }
    }
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    if let Ok(mut err) = hio::hstderr() {
        let _ = writeln!(err, "lossmap plot firmware: {info}");
    }
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
