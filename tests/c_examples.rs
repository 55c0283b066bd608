//! Builds the C static library and compiles every `examples/c/*.c` against `include/lossmap.h`
//! with warnings as errors, with exactly the host build and link lines the header documents,
//! runs each, and requires exit status 0 (each program checks its own results against closed
//! forms and exits non-zero on a failed check). The documented libraries must be the ones rustc
//! prints for the static library (`--print native-static-libs`).
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The header's documented host lines: the `cargo` arguments that build the static library,
/// and the libraries of the `cc` line that follow `target/release/liblossmap.a`.
fn documented_host_lines() -> (Vec<String>, Vec<String>) {
    let header = std::fs::read_to_string(root().join("include").join("lossmap.h"))
        .expect("include/lossmap.h");
    let line = |start: &str| {
        header
            .lines()
            .map(|l| l.trim_start_matches([' ', '*']).trim())
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("include/lossmap.h documents no `{start}…` line"))
            .to_string()
    };
    let build = line("cargo rustc ");
    let link = line("cc -I include prog.c target/release/liblossmap.a");
    let args = build.split_whitespace().skip(1).map(String::from).collect();
    let libs = link
        .split_whitespace()
        .skip_while(|w| *w != "target/release/liblossmap.a")
        .skip(1)
        .map(String::from)
        .collect();
    (args, libs)
}

/// The documented `cargo rustc …` into its own target dir (no lock contention with the outer
/// `cargo test`), asking rustc for the native libraries the archive needs. Returns the archive
/// and those libraries.
fn build_staticlib(args: &[String]) -> (PathBuf, Vec<String>) {
    let target_dir = root().join("target").join("capi");
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args(args)
        .arg("--target-dir")
        .arg(&target_dir)
        .args(["--", "--print", "native-static-libs"])
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "staticlib build failed:\n{stderr}");
    let libs = stderr
        .lines()
        .find_map(|l| l.split_once("native-static-libs:"))
        .map(|(_, libs)| libs.split_whitespace().map(String::from).collect())
        .unwrap_or_else(|| panic!("rustc printed no native-static-libs:\n{stderr}"));
    (target_dir.join("release").join("liblossmap.a"), libs)
}

fn compile_and_run(lib: &Path, libs: &[String], name: &str) {
    let src = root().join("examples").join("c").join(format!("{name}.c"));
    compile_and_run_file(lib, libs, name, &src);
}

fn compile_and_run_file(lib: &Path, libs: &[String], name: &str, src: &Path) {
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
        .arg(src)
        .arg(lib)
        .args(libs)
        .arg("-o")
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
    let (args, documented) = documented_host_lines();
    let (lib, native) = build_staticlib(&args);
    assert_eq!(
        documented, native,
        "the header's host link line must list the libraries rustc prints"
    );
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
        compile_and_run(&lib, &documented, &name);
    }
    // The README's C blocks are whole programs: each is compiled with the same line and run.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let blocks = readme_c_blocks(&readme);
    assert!(!blocks.is_empty(), "the README has a C example");
    let dir = root().join("target").join("capi");
    std::fs::create_dir_all(&dir).expect("target/capi");
    for (i, code) in blocks.iter().enumerate() {
        let name = format!("readme_{i}");
        let src = dir.join(format!("{name}.c"));
        std::fs::write(&src, code).expect("write README block");
        compile_and_run_file(&lib, &documented, &name, &src);
    }
}

/// The bodies of the README's ```` ```c ```` code blocks.
fn readme_c_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```c") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(code), l) => {
                code.push_str(l);
                code.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}
