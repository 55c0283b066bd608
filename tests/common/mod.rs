//! Helpers for the integration tests that drive outside tools: QEMU, cross builds of
//! `examples/firmware`, C compilers.
//!
//! Skip rule: a test whose tools are missing prints `skipped: <test>: …` to stderr and passes,
//! unless `LOSSMAP_REQUIRE_TOOLS=1`, in which case it fails (CI sets it where the tools exist).
//!
//! Each test file compiles this module separately and uses part of it.
#![allow(dead_code)]

pub mod cheader;
pub mod xml;

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The lossmap crate's root (where its Cargo.toml is).
pub fn repo_root() -> PathBuf {
    // The repository-only tests (tests/repo/) belong to the `dev` package one level down.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if dir.join("src").join("bin").join("cost_report.rs").is_file() {
        dir.parent().map(PathBuf::from).unwrap_or(dir)
    } else {
        dir
    }
}

/// `examples/firmware`: the bare-metal crate (its own workspace, its own `target/`).
pub fn firmware_dir() -> PathBuf {
    repo_root().join("examples").join("firmware")
}

/// `<target dir>/lossmap-reports`, created if needed: where tests leave one-line results. The
/// target dir is `$CARGO_TARGET_DIR` when set (relative to the crate root), else `target/`.
pub fn reports_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => repo_root().join(d),
        _ => repo_root().join("target"),
    };
    let dir = target.join("lossmap-reports");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// Writes `line` (plus a newline) to `<reports_dir>/<name>`.
pub fn write_report(name: &str, line: &str) -> PathBuf {
    let path = reports_dir().join(name);
    std::fs::write(&path, format!("{line}\n"))
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// `true` when `cmd --version` can be run and succeeds (found on `PATH`, executable).
pub fn tool_available(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `true` when the toolchain that runs these tests has the standard library for `target`
/// (e.g. installed by `rustup target add`): `<sysroot>/lib/rustlib/<target>/lib` exists.
pub fn rust_target_installed(target: &str) -> bool {
    let Ok(out) = Command::new(rustc()).args(["--print", "sysroot"]).output() else {
        return false;
    };
    if !out.status.success() {
        return false;
    }
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    sysroot
        .join("lib")
        .join("rustlib")
        .join(target)
        .join("lib")
        .is_dir()
}

/// The `rustc` next to the `cargo` running the tests (same toolchain), else `rustc` on `PATH`.
fn rustc() -> PathBuf {
    let beside_cargo =
        Path::new(env!("CARGO")).with_file_name(format!("rustc{}", std::env::consts::EXE_SUFFIX));
    if beside_cargo.is_file() {
        beside_cargo
    } else {
        PathBuf::from("rustc")
    }
}

/// Something a test needs from the machine.
#[derive(Debug, Clone, Copy)]
pub enum Need<'a> {
    /// A program on `PATH` that answers `--version`.
    Tool(&'a str),
    /// A Rust compilation target with its standard library installed.
    RustTarget(&'a str),
}

impl Need<'_> {
    fn present(self) -> bool {
        match self {
            Need::Tool(cmd) => tool_available(cmd),
            Need::RustTarget(t) => rust_target_installed(t),
        }
    }
    fn describe(self) -> String {
        match self {
            Need::Tool(cmd) => format!("`{cmd}` not found (install it or put it on PATH)"),
            Need::RustTarget(t) => {
                format!("Rust target {t} not installed (`rustup target add {t}`)")
            }
        }
    }
}

/// `true` when `LOSSMAP_REQUIRE_TOOLS=1`: missing tools fail tests instead of skipping them.
pub fn tools_required() -> bool {
    std::env::var_os("LOSSMAP_REQUIRE_TOOLS").is_some_and(|v| v == "1")
}

/// Checks `needs` for the test `test`. Returns `true` when all are present. Otherwise panics
/// if [`tools_required`], else prints `skipped: <test>: <what is missing>` to stderr and
/// returns `false` (the caller returns, and the test passes).
pub fn require_tools(test: &str, needs: &[Need<'_>]) -> bool {
    let missing: Vec<String> = needs
        .iter()
        .filter(|n| !n.present())
        .map(|n| n.describe())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = missing.join("; ");
    assert!(!tools_required(), "{test}: {msg} (LOSSMAP_REQUIRE_TOOLS=1)");
    eprintln!("skipped: {test}: {msg}");
    false
}

/// What a command did.
#[derive(Debug)]
pub struct RunOutput {
    /// Exit status; `None` if it was killed on timeout.
    pub status: Option<ExitStatus>,
    /// Everything it wrote to stdout (lossy UTF-8).
    pub stdout: String,
    /// The same bytes as written (e.g. a binary defmt stream).
    pub stdout_bytes: Vec<u8>,
    /// Everything it wrote to stderr (lossy UTF-8).
    pub stderr: String,
    /// Wall-clock time until exit (or until killed).
    pub elapsed: Duration,
    /// It ran past the timeout and was killed.
    pub timed_out: bool,
}

impl RunOutput {
    /// Exited on its own with status 0.
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// Status, time, stdout and stderr, for assertion messages.
    pub fn describe(&self) -> String {
        let status = match (self.timed_out, self.status) {
            (true, _) => "killed after the timeout".to_string(),
            (false, Some(s)) => s.to_string(),
            (false, None) => "no status".to_string(),
        };
        format!(
            "{status} after {:.1} s\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.elapsed.as_secs_f64(),
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }
}

/// Runs `cmd` with stdin closed and stdout/stderr captured, killing it if it is still running
/// after `timeout`. Panics only if the program cannot be started.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> RunOutput {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() >= timeout => {
                timed_out = true;
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("waiting for {:?}: {e}", cmd.get_program()),
        }
    };
    let elapsed = start.elapsed();
    let stdout_bytes = out.join().unwrap_or_default();
    RunOutput {
        status,
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stdout_bytes,
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
        elapsed,
        timed_out,
    }
}

/// Environment variables of the outer `cargo test` that must not reach a nested cargo: they
/// would redirect its target dir, replace the firmware's `.cargo/config.toml` rustflags
/// (`-Tlink.x`), force another target or change the profile.
fn leaks_into_nested_cargo(key: &OsStr) -> bool {
    let Some(k) = key.to_str() else { return false };
    matches!(
        k,
        "RUSTFLAGS" | "CARGO_ENCODED_RUSTFLAGS" | "RUSTDOCFLAGS" | "CARGO_ENCODED_RUSTDOCFLAGS"
    ) || k.starts_with("CARGO_TARGET_") // CARGO_TARGET_DIR, CARGO_TARGET_<TRIPLE>_{RUNNER,LINKER,RUSTFLAGS}
        || k.starts_with("CARGO_BUILD_") // CARGO_BUILD_TARGET, _TARGET_DIR, _RUSTFLAGS
        || k.starts_with("CARGO_PROFILE_")
}

/// A `cargo` command (the toolchain running the tests) in `examples/firmware`, with the
/// outer cargo's build-steering variables removed. Cargo reads the firmware's
/// `.cargo/config.toml` only because the current directory is `examples/firmware`.
pub fn firmware_cargo() -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(firmware_dir());
    without_cargo_steering(&mut cmd);
    cmd
}

/// Removes the outer cargo's build-steering variables from `cmd` (a nested cargo, or a script
/// that runs one).
pub fn without_cargo_steering(cmd: &mut Command) -> &mut Command {
    for (k, _) in std::env::vars_os() {
        if leaks_into_nested_cargo(&k) {
            cmd.env_remove(&k);
        }
    }
    cmd
}

/// Release build timeout: generous for a cold build on a slow CI machine.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// `cargo build --release --target <target> --bin <bin> [extra…]` in `examples/firmware`.
/// Returns the run (check [`RunOutput::success`]) and the path the ELF is written to.
pub fn build_firmware(target: &str, bin: &str, extra: &[&str]) -> (RunOutput, PathBuf) {
    let mut cmd = firmware_cargo();
    cmd.args(["build", "--release", "--target", target, "--bin", bin])
        .args(extra);
    let out = run_with_timeout(&mut cmd, BUILD_TIMEOUT);
    let elf = firmware_dir()
        .join("target")
        .join(target)
        .join("release")
        .join(bin);
    (out, elf)
}
