//! The link-time proof that lossmap cannot panic: builds `examples/firmware`'s `panic_never` binary
//! (every public entry point, the C ABI included, on opaque inputs; a `#[panic_handler]` that
//! calls an undefined symbol) in release with LTO for thumbv7em-none-eabihf. It links only if no
//! panic is reachable. The one-line result goes to `target/lossmap-reports/panic-free.txt`.
//!
//! Needs the thumbv7em-none-eabihf target; without it the tests are skipped (with a `skipped:`
//! note on stderr) unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;

use common::{build_firmware, require_tools, write_report, Need, RunOutput};

const TARGET: &str = "thumbv7em-none-eabihf";
/// The symbol `panic_never`'s panic handler calls; defined nowhere.
const SENTINEL: &str = "lossmap_panic_is_reachable";

/// The linker's verdict from cargo's stderr: the error and `>>> referenced by` lines (the
/// full stderr if there are none, e.g. for a compile error).
fn linker_errors(build: &RunOutput) -> String {
    let relevant: Vec<&str> = build
        .stderr
        .lines()
        .filter(|l| {
            l.contains("error")
                || l.contains("undefined symbol")
                || l.trim_start().starts_with(">>>")
        })
        .filter(|l| !l.contains("\"rust-lld\" \"-flavor\"")) // the long linker command line
        .collect();
    if relevant.is_empty() {
        build.describe()
    } else {
        relevant.join("\n")
    }
}

#[test]
fn panic_never_links_for_thumbv7em() {
    if !require_tools("panic-free", &[Need::RustTarget(TARGET)]) {
        return;
    }
    let (build, elf) = build_firmware(TARGET, "panic_never", &["--features", "capi"]);
    let reachable = build.stderr.contains(SENTINEL);
    let result = match (build.success(), reachable) {
        (true, _) => "linked",
        (false, true) => "panic-reachable",
        (false, false) => "build-failed",
    };
    let line = format!(
        "LOSSMAP-PANIC-FREE target={TARGET} bin=panic_never features=capi \
         profile=release(lto=true,codegen-units=1) result={result} build_secs={:.1}",
        build.elapsed.as_secs_f64()
    );
    let report = write_report("panic-free.txt", &line);
    eprintln!("{line}\n(report: {})", report.display());
    assert!(
        !reachable,
        "panic_never did not link for {TARGET}: a panic is reachable from lossmap's public API. \
         `examples/firmware/find-panics.sh --features capi` lists the call chain of every panic \
         site.\n{}",
        linker_errors(&build)
    );
    assert!(
        build.success(),
        "building panic_never for {TARGET} failed (not at the panic link):\n{}",
        linker_errors(&build)
    );
    assert!(elf.is_file(), "no ELF at {}", elf.display());
}
