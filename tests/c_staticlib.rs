//! The bare-metal C static library of `scripts/c-staticlib`, for thumbv6m-none-eabi (micro:bit,
//! Cortex-M0) and thumbv7em-none-eabihf (MPS2-AN386, Cortex-M4F):
//!
//! - `arm-none-eabi-nm` finds no defined global symbol but `lossmap_*`, exactly the functions
//!   `include/lossmap.h` declares, and no undefined symbol;
//! - a C program whose `sqrtf` comes from its own library, linked after `liblossmap.a` as
//!   newlib's libm would be, is linked with arm-none-eabi-gcc by the header's bare-metal line and
//!   run under QEMU: its calls reach its own `sqrtf` (a marker value), lossmap's norm is still
//!   exact, and `lossmap_classify_at_f32` classifies a saddle (`tests/c-baremetal/own_sqrtf.c`).
//!
//! The same program linked against cargo's raw staticlib is reported for comparison (there
//! compiler_builtins' weak `sqrtf` wins). Each result goes to
//! `target/lossmap-reports/c-staticlib-<target>.txt`.
//!
//! Needs the Rust target, arm-none-eabi-gcc and binutils, and qemu-system-arm; without them the
//! tests are skipped (with a `skipped:` note on stderr) unless `LOSSMAP_REQUIRE_TOOLS=1`.
#![cfg(feature = "capi")]

mod common;

use common::cheader::functions;
use common::{
    repo_root, require_tools, run_with_timeout, without_cargo_steering, write_report, Need,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

struct Board {
    target: &'static str,
    machine: &'static str,
    /// The code-generation flags of the target, as the header documents them.
    cflags: &'static [&'static str],
}

const MICROBIT: Board = Board {
    target: "thumbv6m-none-eabi",
    machine: "microbit",
    cflags: &["-mcpu=cortex-m0", "-mthumb"],
};

const MPS2_AN386: Board = Board {
    target: "thumbv7em-none-eabihf",
    machine: "mps2-an386",
    cflags: &[
        "-mcpu=cortex-m4",
        "-mthumb",
        "-mfloat-abi=hard",
        "-mfpu=fpv4-sp-d16",
    ],
};

const QEMU_TIMEOUT: Duration = Duration::from_secs(60);
const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

fn sources() -> PathBuf {
    repo_root().join("tests").join("c-baremetal")
}

/// Runs `cmd`, panicking with its output unless it succeeds; returns its stdout.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = run_with_timeout(cmd, BUILD_TIMEOUT);
    assert!(out.success(), "{what} failed: {}", out.describe());
    out.stdout
}

/// `arm-none-eabi-nm <args> <lib>`: (type, name) of every symbol line that has both.
fn nm(args: &[&str], lib: &Path) -> Vec<(String, String)> {
    let out = run(
        Command::new("arm-none-eabi-nm").args(args).arg(lib),
        "arm-none-eabi-nm",
    );
    out.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.as_slice() {
                [_, kind, name] | [kind, name] => Some((kind.to_string(), name.to_string())),
                _ => None,
            }
        })
        .collect()
}

/// Compiles the bare-metal program against `lib` (then `libmarker.a`) and runs it under QEMU:
/// the LOSSMAP-BAREMETAL line and whether QEMU exited 0.
fn link_and_run(board: &Board, lib: &Path, marker: &Path, out: &Path) -> (String, bool) {
    let src = sources();
    let elf = out.with_extension("elf");
    let mut gcc = Command::new("arm-none-eabi-gcc");
    gcc.args(board.cflags)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-Os"])
        .args(["-ffunction-sections", "-fdata-sections", "-I"])
        .arg(repo_root().join("include"))
        .arg("-I")
        .arg(&src)
        .args(["-nostartfiles", "-T"])
        .arg(src.join("link.ld"))
        .arg(src.join("startup.c"))
        .arg(src.join("own_sqrtf.c"))
        .arg(lib)
        .arg(marker)
        .args(["-Wl,--gc-sections", "-o"])
        .arg(&elf);
    run(&mut gcc, "arm-none-eabi-gcc (link)");
    let mut qemu = Command::new("qemu-system-arm");
    qemu.args(["-M", board.machine, "-nographic"])
        .args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(&elf);
    let r = run_with_timeout(&mut qemu, QEMU_TIMEOUT);
    assert!(!r.timed_out, "QEMU timed out: {}", r.describe());
    // QEMU writes semihosting output to its stderr or stdout, depending on the version.
    let line = r
        .stdout
        .lines()
        .chain(r.stderr.lines())
        .find(|l| l.starts_with("LOSSMAP-BAREMETAL "))
        .unwrap_or_else(|| panic!("no LOSSMAP-BAREMETAL line: {}", r.describe()))
        .trim()
        .to_string();
    (line, r.success())
}

fn check(board: &Board) {
    let test = format!("c-staticlib {}", board.target);
    let tools = [
        Need::RustTarget(board.target),
        Need::Tool("arm-none-eabi-gcc"),
        Need::Tool("arm-none-eabi-ld"),
        Need::Tool("arm-none-eabi-objcopy"),
        Need::Tool("arm-none-eabi-ar"),
        Need::Tool("arm-none-eabi-nm"),
        Need::Tool("qemu-system-arm"),
    ];
    if !require_tools(&test, &tools) {
        return;
    }
    // Its own target dir: no lock contention with the outer `cargo test`.
    let target_dir = repo_root().join("target").join("c-staticlib");
    let mut script = Command::new("bash");
    without_cargo_steering(&mut script)
        .current_dir(repo_root())
        .env("CARGO", env!("CARGO"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .arg(repo_root().join("scripts").join("c-staticlib"))
        .arg(board.target);
    let printed = run(&mut script, "scripts/c-staticlib");
    let lib = PathBuf::from(printed.lines().last().expect("the library's path").trim());
    assert!(lib.is_file(), "{test}: no library at {}", lib.display());

    // Only lossmap_* leaves the library: exactly the header's functions, nothing undefined.
    let defined = nm(&["-g", "--defined-only"], &lib);
    let others: Vec<&(String, String)> = defined
        .iter()
        .filter(|(_, name)| !name.starts_with("lossmap_"))
        .collect();
    assert!(
        others.is_empty(),
        "{test}: other global symbols: {others:?}"
    );
    let exported: BTreeSet<&str> = defined.iter().map(|(_, n)| n.as_str()).collect();
    let header = std::fs::read_to_string(repo_root().join("include").join("lossmap.h"))
        .expect("include/lossmap.h");
    let declared_fns = functions(&header);
    let declared: BTreeSet<&str> = declared_fns.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        exported, declared,
        "{test}: the library must export exactly the header's functions"
    );
    let undefined = nm(&["-u"], &lib);
    assert!(undefined.is_empty(), "{test}: needs {undefined:?}");
    // The header's bare-metal line uses these flags (for the M4F; the M0's are in its note).
    for flag in board.cflags {
        assert!(
            header.contains(flag),
            "{test}: the header does not document {flag}"
        );
    }

    // The program's own sqrtf, from a library after liblossmap.a.
    let out = target_dir.join(board.target).join("baremetal");
    std::fs::create_dir_all(&out).expect("output dir");
    let marker_o = out.join("marker_sqrtf.o");
    let marker = out.join("libmarker.a");
    run(
        Command::new("arm-none-eabi-gcc")
            .args(board.cflags)
            .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-Os", "-c"])
            .arg(sources().join("marker_sqrtf.c"))
            .arg("-o")
            .arg(&marker_o),
        "arm-none-eabi-gcc (marker)",
    );
    let _ = std::fs::remove_file(&marker);
    run(
        Command::new("arm-none-eabi-ar")
            .arg("rcs")
            .arg(&marker)
            .arg(&marker_o),
        "arm-none-eabi-ar",
    );
    let (line, ok) = link_and_run(board, &lib, &marker, &out.join("own_sqrtf"));
    let raw = target_dir
        .join(board.target)
        .join("release")
        .join("liblossmap.a");
    let (raw_line, _) = link_and_run(board, &raw, &marker, &out.join("own_sqrtf_raw"));
    let raw_own = raw_line.contains("own-sqrtf=1");
    let report = format!(
        "LOSSMAP-C-STATICLIB target={} machine={} exported={} other_globals={} undefined={} \
         run=[{}] raw_archive_own_sqrtf={}",
        board.target,
        board.machine,
        exported.len(),
        others.len(),
        undefined.len(),
        line.trim_start_matches("LOSSMAP-BAREMETAL "),
        u8::from(raw_own),
    );
    let path = write_report(&format!("c-staticlib-{}.txt", board.target), &report);
    eprintln!("{report}\n(report: {})", path.display());
    assert!(
        ok && line.ends_with("ok=1"),
        "{test}: the program against the bare-metal library: {line}"
    );
}

#[test]
fn exports_only_lossmap_and_leaves_sqrtf_to_the_program_thumbv6m() {
    check(&MICROBIT);
}

#[test]
fn exports_only_lossmap_and_leaves_sqrtf_to_the_program_thumbv7em() {
    check(&MPS2_AN386);
}
