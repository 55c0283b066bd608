//! Keeps the cost firmware of `scripts/cost` from rotting: builds `cost` (feature `cost`: the
//! reference C through arm-none-eabi-gcc) and the footprint kits (`kit_empty`, `kit_typed`,
//! `kit_slice`, and `kit_capi` with `capi`) for each board, runs them under QEMU and checks
//!
//! * the timer calibration of `cost` under `-icount shift=0`: the loop of known length reads
//!   exactly its instruction count, within one timer tick;
//! * every Adam implementation ran and agreed with the C loop, the guarantee checks of the C
//!   lean and undo steps passed, every stack case succeeded
//!   (`LOSSMAP-COST … ok=1`);
//! * each kit exits with 0 (the kit classified its point correctly).
//!
//! The `LOSSMAP-COST` lines are kept in `target/lossmap-reports/firmware-cost-<board>.txt`.
//! The numbers themselves are `scripts/cost`'s business, not a test's.
//!
//! Needs `qemu-system-arm`, `arm-none-eabi-gcc` and the board's Rust target; without them the
//! test is skipped unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;

use common::{build_firmware, reports_dir, require_tools, run_with_timeout, write_report, Need};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

struct Board {
    name: &'static str,
    target: &'static str,
    machine: &'static str,
    /// Nanoseconds (= instructions under `-icount shift=0`) per timer tick.
    tick_ns: f64,
}

const QEMU_TIMEOUT: Duration = Duration::from_secs(120);

fn qemu(board: &Board, elf: &Path, icount: bool) -> common::RunOutput {
    let mut cmd = Command::new("qemu-system-arm");
    cmd.args(["-M", board.machine, "-nographic"]);
    if icount {
        cmd.args(["-icount", "shift=0"]);
    }
    cmd.args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(elf);
    run_with_timeout(&mut cmd, QEMU_TIMEOUT)
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

fn run_board(board: &Board) {
    let test = format!("firmware cost {}", board.name);
    if !require_tools(
        &test,
        &[
            Need::Tool("qemu-system-arm"),
            Need::Tool("arm-none-eabi-gcc"),
            Need::RustTarget(board.target),
        ],
    ) {
        return;
    }

    let (build, elf) = build_firmware(board.target, "cost", &["--features", "cost"]);
    assert!(build.success(), "{test}: build: {}", build.describe());
    let report = format!("firmware-cost-{}.txt", board.name);
    let _ = std::fs::remove_file(reports_dir().join(&report));
    let run = qemu(board, &elf, true);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("LOSSMAP-COST"))
        .collect();
    write_report(&report, &lines.join("\n"));
    assert!(run.success(), "{test}: {}", run.describe());

    let calib: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("LOSSMAP-COST-CALIB "))
        .collect();
    assert_eq!(calib.len(), 2, "{test}: {}", run.stdout);
    for l in calib {
        let num = |k: &str| -> f64 {
            field(l, k)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{test}: no {k}= in {l}"))
        };
        let expected = num("iters") * num("body");
        let measured = num("ticks") * num("tick_ps") / 1000.0;
        assert_eq!(num("tick_ps") / 1000.0, board.tick_ns, "{test}: {l}");
        assert!(
            (measured - expected).abs() <= board.tick_ns,
            "{test}: calibration off: {measured} instructions measured, {expected} expected: {l}"
        );
    }
    for l in &lines {
        assert_ne!(field(l, "ok"), Some("0"), "{test}: {l}");
    }
    assert!(
        lines.last().is_some_and(|l| l.starts_with("LOSSMAP-COST ")),
        "{test}: no final line: {}",
        run.stdout
    );

    for (bin, features) in [
        ("kit_empty", &[][..]),
        ("kit_typed", &[][..]),
        ("kit_slice", &[][..]),
        ("kit_capi", &["--features", "capi"][..]),
    ] {
        let (build, elf) = build_firmware(board.target, bin, features);
        assert!(build.success(), "{test}: build {bin}: {}", build.describe());
        let run = qemu(board, &elf, false);
        assert!(run.success(), "{test}: {bin}: {}", run.describe());
    }
    eprintln!(
        "{test}: calibration exact, every case ok, kits run; report {}",
        reports_dir().join(&report).display()
    );
}

#[test]
fn firmware_cost_mps2_an386_cortex_m4f() {
    run_board(&Board {
        name: "mps2-an386",
        target: "thumbv7em-none-eabihf",
        machine: "mps2-an386",
        tick_ns: 40.0,
    });
}

#[test]
fn firmware_cost_microbit_cortex_m0() {
    run_board(&Board {
        name: "microbit",
        target: "thumbv6m-none-eabi",
        machine: "microbit",
        tick_ns: 62.5,
    });
}
