//! Builds the `plot` firmware (`examples/firmware/src/bin/plot.rs`) for each board, runs it
//! under QEMU and checks what it streams over semihosting stdout: well-formed SVG (the shared
//! checker `tests/common/xml.rs`) with the heat map's parts, byte for byte the SVG the same
//! drawing code (`examples/firmware/src/bin/plot/picture.rs`) writes on the host (IEEE-754
//! f32 arithmetic and libm are the same on both). The device's SVG is kept in
//! `target/lossmap-reports/firmware-plot-<board>.svg`.
//!
//! Needs `qemu-system-arm` and the board's Rust target; without them the test is skipped (with
//! a `skipped:` note on stderr) unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../../examples/firmware/src/bin/plot/picture.rs"]
mod picture;

use common::{build_firmware, reports_dir, require_tools, run_with_timeout, xml, Need};
use std::process::Command;
use std::time::Duration;

const QEMU_TIMEOUT: Duration = Duration::from_secs(120);

fn run_board(name: &str, target: &str, machine: &str) {
    let test = format!("firmware plot {name}");
    if !require_tools(
        &test,
        &[Need::Tool("qemu-system-arm"), Need::RustTarget(target)],
    ) {
        return;
    }
    let (build, elf) = build_firmware(target, "plot", &[]);
    assert!(
        build.success(),
        "{test}: building plot for {target} failed: {}",
        build.describe()
    );
    let mut qemu = Command::new("qemu-system-arm");
    qemu.args([
        "-M",
        machine,
        "-nographic",
        "-semihosting-config",
        "enable=on,target=native",
        "-kernel",
    ])
    .arg(&elf);
    let run = run_with_timeout(&mut qemu, QEMU_TIMEOUT);
    let svg = String::from_utf8(run.stdout_bytes.clone()).expect("UTF-8 output");
    let _ = std::fs::write(
        reports_dir().join(format!("firmware-plot-{name}.svg")),
        &svg,
    );
    assert!(
        !run.timed_out && run.success(),
        "{test}: QEMU {:?}, stderr:\n{}",
        run.status,
        run.stderr
    );
    let els = xml::well_formed(&svg);
    assert_eq!(els[0].name, "svg", "{test}");
    let class = |c: &str| els.iter().filter(|e| e.attr("class") == Some(c)).count();
    assert_eq!(class("contour"), 6, "{test}: six contour levels");
    assert_eq!(class("trajectory"), 1, "{test}: one trajectory");
    let line = els
        .iter()
        .find(|e| e.attr("class") == Some("trajectory"))
        .expect("trajectory");
    assert!(line
        .attr("points")
        .is_some_and(|p| p.split(' ').count() >= 10));
    let mut host = String::new();
    picture::draw(&mut host).expect("host drawing");
    assert!(
        host == svg,
        "{test}: the device's SVG ({} bytes) differs from the host's ({} bytes)",
        svg.len(),
        host.len()
    );
    eprintln!(
        "{test}: {} bytes of SVG in {:.2} s of QEMU",
        svg.len(),
        run.elapsed.as_secs_f64()
    );
}

#[test]
fn plot_firmware_mps2_an386_cortex_m4f() {
    run_board("mps2-an386", "thumbv7em-none-eabihf", "mps2-an386");
}

#[test]
fn plot_firmware_microbit_cortex_m0() {
    run_board("microbit", "thumbv6m-none-eabi", "microbit");
}
