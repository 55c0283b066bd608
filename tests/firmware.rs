//! Builds the `demo` firmware (`examples/firmware`) for each board, runs it under QEMU and checks
//! its verdict: QEMU's exit status (the firmware exits through semihosting, non-zero when one of
//! its own checks failed) and the `LOSSMAP-FIRMWARE … classify=1 neb=1 ok=1` line (Adam and the
//! eigenvalues, the Himmelblau saddle classification, the NEB barrier; `ok` covers them all). The
//! line, with flash and stack use, is kept in `target/lossmap-reports/firmware-<board>.txt`.
//!
//! Needs `qemu-system-arm` and the board's Rust target; without them the test is skipped
//! (with a `skipped:` note on stderr) unless `LOSSMAP_REQUIRE_TOOLS=1`.

mod common;

use common::{build_firmware, reports_dir, require_tools, run_with_timeout, write_report, Need};
use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

/// A QEMU board and the compilation target that selects it in `examples/firmware/build.rs`.
struct Board {
    name: &'static str,
    target: &'static str,
    machine: &'static str,
    ram_bytes: u64,
}

const MPS2_AN386: Board = Board {
    name: "mps2-an386",
    target: "thumbv7em-none-eabihf",
    machine: "mps2-an386",
    ram_bytes: 4 << 20,
};

const MICROBIT: Board = Board {
    name: "microbit",
    target: "thumbv6m-none-eabi",
    machine: "microbit",
    ram_bytes: 16 << 10,
};

/// The firmware finishes in well under a second; this only guards against a hang.
const QEMU_TIMEOUT: Duration = Duration::from_secs(120);

/// `key=value` pairs of the `LOSSMAP-FIRMWARE` line in `stdout`, with the line itself.
fn parse_result_line(stdout: &str) -> Option<(String, HashMap<String, String>)> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("LOSSMAP-FIRMWARE "))?
        .trim();
    let fields = line
        .split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Some((line.to_string(), fields))
}

fn number(fields: &HashMap<String, String>, key: &str, line: &str) -> u64 {
    fields
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no numeric `{key}=` in: {line}"))
}

fn run_board(board: &Board) {
    let test = format!("firmware {}", board.name);
    if !require_tools(
        &test,
        &[
            Need::Tool("qemu-system-arm"),
            Need::RustTarget(board.target),
        ],
    ) {
        return;
    }

    let (build, elf) = build_firmware(board.target, "demo", &[]);
    assert!(
        build.success(),
        "{test}: building demo for {} failed: {}",
        board.target,
        build.describe()
    );
    eprintln!(
        "{test}: built {} in {:.1} s",
        elf.display(),
        build.elapsed.as_secs_f64()
    );

    let mut qemu = Command::new("qemu-system-arm");
    qemu.args([
        "-M",
        board.machine,
        "-nographic",
        "-semihosting-config",
        "enable=on,target=native",
        "-kernel",
    ])
    .arg(&elf);
    let report_name = format!("firmware-{}.txt", board.name);
    let _ = std::fs::remove_file(reports_dir().join(&report_name));
    let run = run_with_timeout(&mut qemu, QEMU_TIMEOUT);
    eprintln!("{test}: QEMU {}:\n{}", board.machine, run.stdout.trim_end());
    // The line is kept even when a check failed (it then says ok=0).
    let parsed = parse_result_line(&run.stdout);
    let report = parsed
        .as_ref()
        .map(|(line, _)| write_report(&report_name, line));
    assert!(
        !run.timed_out,
        "{test}: QEMU did not exit within {QEMU_TIMEOUT:?}: {}",
        run.describe()
    );
    assert!(
        run.success(),
        "{test}: firmware reported failure: {}",
        run.describe()
    );

    let (line, fields) =
        parsed.unwrap_or_else(|| panic!("{test}: no LOSSMAP-FIRMWARE line: {}", run.describe()));
    assert_eq!(
        fields.get("board").map(String::as_str),
        Some(board.name),
        "{test}: {line}"
    );
    // The individual checks first, so a failure names the one that failed.
    for check in ["fit", "newton", "classify", "neb", "anneal", "ga", "ok"] {
        assert_eq!(
            fields.get(check).map(String::as_str),
            Some("1"),
            "{test}: `{check}=1` expected: {line}"
        );
    }
    let flash = number(&fields, "flash", &line);
    let text = number(&fields, "text", &line);
    let rodata = number(&fields, "rodata", &line);
    let stack_peak = number(&fields, "stack_peak", &line);
    assert_eq!(flash, text + rodata, "{test}: {line}");
    assert!(text > 0 && stack_peak > 0, "{test}: {line}");
    assert!(
        stack_peak < board.ram_bytes,
        "{test}: stack beyond RAM: {line}"
    );
    eprintln!(
        "{test}: flash {flash} B (.text {text} + .rodata {rodata}), stack peak {stack_peak} B; \
         QEMU ran {:.2} s; report {}",
        run.elapsed.as_secs_f64(),
        report.unwrap_or_default().display()
    );
}

#[test]
fn firmware_mps2_an386_cortex_m4f() {
    run_board(&MPS2_AN386);
}

#[test]
fn firmware_microbit_cortex_m0() {
    run_board(&MICROBIT);
}
