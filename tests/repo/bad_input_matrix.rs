//! The bad-input matrix of the C ABI, generated from `include/lossmap.h`.
//!
//! Every entry point of the header (but the constructors and scratch-size functions it uses to
//! build arguments) gets a valid baseline call inside an arena with canary bytes around every
//! buffer, then one case per bad input: every pointer NULL and misaligned, every written
//! pointer aliased onto every other pointer argument (structs included), sizes 0, SIZE_MAX and
//! overflowing products, NaN/±Inf/huge/subnormal in every float input, struct field, state
//! buffer and scalar, and callbacks failing at call 1, 2 and 5. Each case checks the status the
//! README's C section promises, that an input error left the whole arena byte-for-byte
//! unchanged and called no callback, and that an OK result holds no non-finite value.
//!
//! The program is compiled against the host static library twice, plain and under
//! AddressSanitizer + UndefinedBehaviorSanitizer, and both runs must report no failure. The
//! summary goes to stdout and `target/lossmap-reports/bad_input_matrix.md`.
//! One function alone: `LOSSMAP_MATRIX_ONLY=<substring> cargo test -p lossmap-dev --test bad_input_matrix`.

#[path = "bad_input_matrix/gen.rs"]
mod gen;
#[path = "bad_input_matrix/header.rs"]
mod header;
#[path = "bad_input_matrix/overrides.rs"]
mod overrides;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("dev/ is inside the repository")
        .to_path_buf()
}

/// The header's documented `cargo rustc …` line for the host static library, built into its
/// own target directory (as `tests/c_examples.rs` does), and the native libraries rustc prints.
fn build_staticlib() -> (PathBuf, Vec<String>) {
    let header = std::fs::read_to_string(root().join("include/lossmap.h")).expect("header");
    let build = header
        .lines()
        .map(|l| l.trim_start_matches([' ', '*']).trim())
        .find(|l| l.starts_with("cargo rustc "))
        .expect("the header documents the staticlib build")
        .to_string();
    let target_dir = root().join("target").join("capi");
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args(build.split_whitespace().skip(1))
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
        .map(|(_, l)| l.split_whitespace().map(String::from).collect())
        .expect("rustc prints native-static-libs");
    (target_dir.join("release").join("liblossmap.a"), libs)
}

/// Compiles `src` to `exe`; `Err` with the compiler's message when it fails.
fn compile(
    src: &Path,
    exe: &Path,
    lib: &Path,
    libs: &[String],
    extra: &[&str],
) -> Result<(), String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args([
            "-std=c11",
            "-O1",
            "-g",
            "-Wall",
            "-Wno-unused-function",
            "-I",
        ])
        .arg(root().join("include"))
        .args(extra)
        .arg(src)
        .arg(lib)
        .args(libs)
        .arg("-o")
        .arg(exe)
        .output()
        .unwrap_or_else(|e| panic!("{cc} not runnable: {e}"));
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// What one run reported.
#[derive(Default)]
struct Run {
    covered: BTreeMap<String, u64>,
    not_covered: Vec<String>,
    failures: Vec<String>,
    skipped: Vec<String>,
    crashes: Vec<String>,
    /// category → (cases, failures)
    categories: BTreeMap<String, (u64, u64)>,
    done: bool,
    seconds: f64,
}

fn run(exe: &Path) -> Run {
    let start = Instant::now();
    let mut cmd = Command::new(exe);
    if let Ok(only) = std::env::var("LOSSMAP_MATRIX_ONLY") {
        cmd.arg(only);
    }
    // halt_on_error is the default; leaks are not this test's subject (fork + _exit).
    cmd.env("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0");
    cmd.env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");
    let out = cmd.output().expect("matrix runs");
    let mut r = Run {
        seconds: start.elapsed().as_secs_f64(),
        ..Run::default()
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines() {
        let mut w = line.split_whitespace();
        match w.next() {
            Some("FN") => {
                let name = w.next().unwrap_or("?").to_string();
                let total = w.next().and_then(|t| t.parse().ok()).unwrap_or(0);
                for c in w {
                    if let Some((cat, nums)) = c.split_once('=') {
                        let (n, f) = nums.split_once('/').unwrap_or((nums, "0"));
                        let e = r.categories.entry(cat.to_string()).or_default();
                        e.0 += n.parse::<u64>().unwrap_or(0);
                        e.1 += f.parse::<u64>().unwrap_or(0);
                    }
                }
                r.covered.insert(name, total);
            }
            Some("NOTCOVERED") => r.not_covered.push(line[11..].to_string()),
            Some("FAIL") => r.failures.push(line[5..].to_string()),
            Some("SKIP") => r.skipped.push(line[5..].to_string()),
            Some("CRASH") | Some("HANG") | Some("SETUPFAIL") | Some("ARENA") => {
                r.crashes.push(line.to_string())
            }
            Some("DONE") => r.done = true,
            _ => {}
        }
    }
    if !out.status.success() || !r.done {
        r.crashes.push(format!(
            "run ended with {} before DONE; stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    r
}

fn summary(label: &str, r: &Run, functions: usize) -> String {
    let mut s = String::new();
    let cases: u64 = r.covered.values().sum();
    s += &format!(
        "## {label}\n\n{} of {functions} targets covered, {cases} cases, {} failures, {} skipped, {} crashes, {:.1} s\n\n",
        r.covered.len(),
        r.failures.len(),
        r.skipped.len(),
        r.crashes.len(),
        r.seconds
    );
    s += "| category | cases | failures |\n|---|---:|---:|\n";
    for (c, (n, f)) in &r.categories {
        s += &format!("| {c} | {n} | {f} |\n");
    }
    if !r.not_covered.is_empty() {
        s += "\nNot covered (baseline call not OK):\n\n";
        for n in &r.not_covered {
            s += &format!("- {n}\n");
        }
    }
    let lists = [
        ("Failures", &r.failures),
        ("Skipped (the generator's commented exclusions)", &r.skipped),
        ("Crashes", &r.crashes),
    ];
    for (title, list) in lists {
        if !list.is_empty() {
            s += &format!("\n{title} ({}):\n\n", list.len());
            for l in list.iter().take(400) {
                s += &format!("- `{l}`\n");
            }
        }
    }
    s + "\n"
}

/// Does this compiler link a program with ASan + UBSan?
fn sanitizers_available(dir: &Path) -> bool {
    let src = dir.join("probe.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").expect("probe");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    Command::new(cc)
        .args(["-fsanitize=address,undefined", "-o"])
        .arg(dir.join("probe"))
        .arg(&src)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn every_entry_point_rejects_bad_input_and_changes_nothing() {
    let text = std::fs::read_to_string(root().join("include/lossmap.h")).expect("header");
    let h = header::parse(&text);
    let runtime = include_str!("bad_input_matrix/runtime.c");
    let (program, names) = gen::program(&h, runtime);
    assert!(
        names.len() > 150,
        "the header parser found only {} functions",
        names.len()
    );
    let dir = root().join("target").join("capi").join("matrix");
    std::fs::create_dir_all(&dir).expect("target/capi/matrix");
    let src = dir.join("bad_input_matrix.c");
    std::fs::write(&src, &program).expect("write the program");
    let (lib, libs) = build_staticlib();

    let mut variants: Vec<(&str, Vec<&str>)> = vec![("plain", vec![])];
    if sanitizers_available(&dir) {
        variants.push((
            "asan+ubsan",
            vec![
                "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer",
            ],
        ));
    } else {
        println!("note: the C compiler has no ASan/UBSan runtime; the sanitizer run is skipped");
    }
    let mut report = String::from("# Bad-input matrix of the C ABI\n\n");
    let entry_points = names.iter().filter(|n| !n.contains("[")).count()
        + names
            .iter()
            .filter_map(|n| n.split_once('[').map(|(f, _)| f))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    let intro = format!(
        "Generated from include/lossmap.h: {entry_points} entry points (constructors, defaults \
         and scratch sizes excluded), {} targets (the drivers taking `kind` + `void *opt` once \
         per optimizer, `name[optimizer]`).\n\n",
        names.len()
    );
    println!("{intro}");
    report += &intro;
    let mut bad = Vec::new();
    for (label, flags) in &variants {
        let exe = dir.join(format!("matrix-{}", label.replace('+', "-")));
        compile(&src, &exe, &lib, &libs, flags)
            .unwrap_or_else(|e| panic!("compiling the matrix ({label}) failed:\n{e}"));
        let r = run(&exe);
        let s = summary(label, &r, names.len());
        println!("{s}");
        report += &s;
        if !r.failures.is_empty() || !r.crashes.is_empty() {
            bad.push(format!(
                "{label}: {} failures, {} crashes",
                r.failures.len(),
                r.crashes.len()
            ));
        }
        let unexpected: Vec<&String> = r
            .not_covered
            .iter()
            .filter(|l| {
                !overrides::NOT_COVERED
                    .iter()
                    .any(|(n, _)| l.starts_with(&format!("{n} ")))
            })
            .collect();
        if !unexpected.is_empty() {
            bad.push(format!(
                "{label}: baseline not OK (add a setup override): {unexpected:?}"
            ));
        }
        let only = std::env::var("LOSSMAP_MATRIX_ONLY").is_ok();
        if !only {
            let missing: Vec<&String> = names
                .iter()
                .filter(|n| {
                    !r.covered.contains_key(*n)
                        && !r
                            .not_covered
                            .iter()
                            .any(|l| l.starts_with(&format!("{n} ")))
                })
                .collect();
            if !missing.is_empty() {
                bad.push(format!("{label}: no report for {missing:?}"));
            }
        }
    }
    let reports = root().join("target").join("lossmap-reports");
    std::fs::create_dir_all(&reports).expect("target/lossmap-reports");
    std::fs::write(reports.join("bad_input_matrix.md"), &report).expect("write the report");
    assert!(bad.is_empty(), "the bad-input matrix failed: {bad:?} (details above and in target/lossmap-reports/bad_input_matrix.md)");
}
