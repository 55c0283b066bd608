//! Builds the C static library, compiles every `examples/c/*.c` against `include/lossmap.h` with
//! warnings as errors, runs each, and requires exit status 0 (each program checks its own
//! results against closed forms and exits non-zero on a failed check).
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo rustc --crate-type staticlib` into its own target dir (no lock contention with the
/// outer `cargo test`).
fn build_staticlib() -> PathBuf {
    let target_dir = root().join("target").join("capi");
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args([
            "rustc",
            "--release",
            "--lib",
            "--features",
            "capi,std",
            "--crate-type",
            "staticlib",
            "--target-dir",
        ])
        .arg(&target_dir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "staticlib build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target_dir.join("release").join("liblossmap.a")
}

fn compile_and_run(lib: &Path, name: &str) {
    let src = root().join("examples").join("c").join(format!("{name}.c"));
    let exe = root().join("target").join("capi").join(name);
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args([
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-O2",
            "-I",
        ])
        .arg(root().join("include"))
        .arg(&src)
        .arg(lib)
        .args(["-lm", "-lpthread", "-ldl", "-o"])
        .arg(&exe)
        .output()
        .unwrap_or_else(|e| panic!("{cc} not runnable: {e}"));
    assert!(
        out.status.success(),
        "compiling {name}.c failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("example runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "{name} failed ({}):\n{stdout}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn c_examples_compile_and_pass_their_checks() {
    let lib = build_staticlib();
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples").join("c"))
        .expect("examples/c exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".c"))
                .map(String::from)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 2, "expected the C examples, found {names:?}");
    for name in names {
        compile_and_run(&lib, &name);
    }
}
