//! Adam's steps on the Cortex-M4F (whose plain `f32` steps of n ≤ 16 elements take the
//! write-first step in assembly) and the Cortex-M0 against the host library: builds the
//! `adam_check` firmware, runs it under QEMU (which checks on the core every case against the
//! read-only pass with the same bias corrections, and every refused step's buffers against
//! its inputs), and runs the same cases (`examples/firmware/src/adam_cases.rs`, the shared
//! source) through the host's paths: the same status for every case, every refused step's
//! buffers unchanged on the host too, and the same bits of θ, m, v, v_max where the cores'
//! bias corrections are the host's (see [`same_corrections`]).
//!
//! Needs `qemu-system-arm` and the board's Rust target; without them the test is skipped
//! unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;

#[allow(dead_code)]
#[path = "../../examples/firmware/src/adam_cases.rs"]
mod adam_cases;

use adam_cases::{case, hash, run, unchanged, CASES, MAX_N};
use common::{build_firmware, require_tools, run_with_timeout, write_report, Need};
use std::process::Command;
use std::time::Duration;

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

fn run_board(name: &str, target: &str, machine: &str) {
    let test = format!("firmware adam {name}");
    if !require_tools(
        &test,
        &[Need::Tool("qemu-system-arm"), Need::RustTarget(target)],
    ) {
        return;
    }
    let (build, elf) = build_firmware(target, "adam_check", &[]);
    assert!(build.success(), "{test}: build: {}", build.describe());
    let mut cmd = Command::new("qemu-system-arm");
    cmd.args(["-M", machine, "-nographic"])
        .args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(&elf);
    let out = run_with_timeout(&mut cmd, Duration::from_secs(120));
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("LOSSMAP-ADAM-CASE "))
        .collect();
    write_report(&format!("firmware-adam-{name}.txt"), &lines.join("\n"));
    assert!(out.success(), "{test}: {}", out.describe());
    assert_eq!(lines.len(), CASES, "{test}: {}", out.stdout);
    let (mut bits_compared, mut differ) = (0usize, Vec::new());
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(field(l, "i"), Some(i.to_string().as_str()), "{test}: {l}");
        assert_eq!(field(l, "ok"), Some("1"), "{test}: {l}");
        let c = case(i);
        let mut o = [[0.0f32; 2 * MAX_N]; 4];
        let (status, t) = run(&c, c.n, &mut o);
        assert_eq!(
            field(l, "status"),
            Some(status.to_string().as_str()),
            "{test}: case {i} (n {}): host status {status}: {l}",
            c.n
        );
        if status != 0 {
            assert!(unchanged(&c, &o), "{test}: case {i}: host wrote on error");
        }
        let h = format!("{:08x}", hash(status, t, c.n, &o));
        if status != 0 || same_corrections(&c) {
            bits_compared += 1;
            assert_eq!(field(l, "hash"), Some(h.as_str()), "{test}: case {i}: {l}");
        } else if field(l, "hash") != Some(h.as_str()) {
            differ.push(i);
        }
    }
    eprintln!(
        "{test}: {CASES} cases, statuses equal; bits equal in {bits_compared}; {} accepted \
         steps with the core's own bias corrections differ from the host in some bit",
        differ.len()
    );
}

/// Whether the core's bias corrections are the host's bit for bit: the host rounds
/// `1 − βᵗ` from an `f64` running product, cores without an `f64` FPU compute
/// `−expm1(t·ln β)` in `f32` (within a few ulp). They agree exactly at the first step
/// (t = 0 before it): both give `1 − β`, which is exact. Later steps are checked on the core
/// against its own read-only pass, with its own corrections.
fn same_corrections(c: &adam_cases::Case) -> bool {
    c.t == 0
}

#[test]
fn firmware_adam_mps2_an386_cortex_m4f() {
    run_board("mps2-an386", "thumbv7em-none-eabihf", "mps2-an386");
}

#[test]
fn firmware_adam_microbit_cortex_m0() {
    run_board("microbit", "thumbv6m-none-eabi", "microbit");
}
