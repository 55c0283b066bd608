//! `include/lossmap.h` must be exactly what the pinned cbindgen generates from `src/capi` today.
#![cfg(feature = "capi")]

use std::path::PathBuf;
use std::process::Command;

/// The cbindgen version the committed header was generated with (also pinned in scripts/test).
const CBINDGEN_VERSION: &str = "0.29.4";

#[test]
fn committed_header_is_fresh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let required = std::env::var("LOSSMAP_REQUIRE_TOOLS").as_deref() == Ok("1");
    let version = Command::new("cbindgen").arg("--version").output();
    let have =
        matches!(&version, Ok(o) if String::from_utf8_lossy(&o.stdout).contains(CBINDGEN_VERSION));
    if !have {
        assert!(
            !required,
            "cbindgen {CBINDGEN_VERSION} is required (scripts/test installs it)"
        );
        eprintln!("skipped: cbindgen {CBINDGEN_VERSION} not installed (run scripts/test)");
        return;
    }
    let fresh = root.join("target").join("lossmap.h.fresh");
    std::fs::create_dir_all(root.join("target")).expect("target dir");
    let out = Command::new("cbindgen")
        .current_dir(&root)
        .args([
            "--config",
            "cbindgen.toml",
            "--crate",
            "lossmap",
            "--quiet",
            "--output",
        ])
        .arg(&fresh)
        .output()
        .expect("cbindgen runs");
    assert!(
        out.status.success(),
        "cbindgen failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed =
        std::fs::read_to_string(root.join("include").join("lossmap.h")).expect("include/lossmap.h");
    let generated = std::fs::read_to_string(&fresh).expect("generated header");
    assert!(
        committed == generated,
        "include/lossmap.h is stale: run `cbindgen --config cbindgen.toml --crate lossmap --output include/lossmap.h`"
    );
}
