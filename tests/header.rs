//! `include/lossmap.h` must be exactly what the pinned cbindgen generates from `src/capi` today,
//! and speak C: every name it declares carries the `lossmap_`/`LOSSMAP_` prefix, its comments
//! hold no Rust doc syntax, and every `work` argument has its compile-time size macro and
//! run-time size function, both exercised by `examples/c/work_len.c`.
#![cfg(feature = "capi")]

mod common;

use common::cheader::{comments, defines, functions, macro_params, type_names};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn header() -> String {
    std::fs::read_to_string(root().join("include").join("lossmap.h")).expect("include/lossmap.h")
}

/// `lossmap_<fn>_f32` / `_f64` → `<fn>`.
fn base_name(function: &str) -> Option<&str> {
    function
        .strip_prefix("lossmap_")?
        .strip_suffix("_f32")
        .or_else(|| function.strip_prefix("lossmap_")?.strip_suffix("_f64"))
}

#[test]
fn every_name_is_prefixed() {
    let h = header();
    let bad_defines: Vec<String> = defines(&h)
        .into_iter()
        .filter(|d| d != "LOSSMAP_H" && !d.starts_with("LOSSMAP_"))
        .collect();
    assert!(
        bad_defines.is_empty(),
        "unprefixed #defines: {bad_defines:?}"
    );
    let types = type_names(&h);
    assert!(
        types.len() > 50,
        "found only {} types: {types:?}",
        types.len()
    );
    let bad_types: Vec<&String> = types
        .iter()
        .filter(|t| !t.starts_with("lossmap_"))
        .collect();
    assert!(bad_types.is_empty(), "unprefixed types: {bad_types:?}");
    let fns = functions(&h);
    assert!(fns.len() > 200, "found only {} functions", fns.len());
    let bad_fns: Vec<&str> = fns
        .iter()
        .map(|f| f.name.as_str())
        .filter(|f| !f.starts_with("lossmap_"))
        .collect();
    assert!(bad_fns.is_empty(), "unprefixed functions: {bad_fns:?}");
}

#[test]
fn comments_speak_c() {
    // Rust intra-doc links, code fences, paths, inclusive ranges.
    let rust = ["[`", "](", "```", "::", "..="];
    let bad: Vec<String> = comments(&header())
        .into_iter()
        .filter(|(_, text)| rust.iter().any(|r| text.contains(r)))
        .map(|(line, text)| format!("{line}: {}", text.trim()))
        .collect();
    assert!(
        bad.is_empty(),
        "Rust doc syntax in header comments:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_work_argument_has_its_macro_and_function() {
    let h = header();
    let fns = functions(&h);
    let declared: BTreeSet<&str> = fns.iter().map(|f| f.name.as_str()).collect();
    let macros = macro_params(&h);
    let example = std::fs::read_to_string(root().join("examples").join("c").join("work_len.c"))
        .expect("examples/c/work_len.c");
    let mut bases = BTreeSet::new();
    let mut missing = Vec::new();
    for f in fns.iter().filter(|f| f.params.iter().any(|p| p == "work")) {
        let Some(base) = base_name(&f.name) else {
            missing.push(format!(
                "{}: takes `work` but is not lossmap_<fn>_f32/_f64",
                f.name
            ));
            continue;
        };
        if !bases.insert(base.to_string()) {
            continue;
        }
        let macro_name = format!("LOSSMAP_{}_WORK_LEN", base.to_uppercase());
        let function = format!("lossmap_{base}_work_len");
        let Some((_, macro_args)) = macros.iter().find(|(m, _)| *m == macro_name) else {
            missing.push(format!("{}: no {macro_name}(…)", f.name));
            continue;
        };
        match fns.iter().find(|g| g.name == function) {
            None => missing.push(format!("{}: no {function}(…)", f.name)),
            Some(g) if &g.params != macro_args => missing.push(format!(
                "{macro_name}{macro_args:?} and {function}{:?} take different arguments",
                g.params
            )),
            Some(_) => {}
        }
        for name in [&macro_name, &function] {
            if !example.contains(name.as_str()) {
                missing.push(format!("examples/c/work_len.c does not check {name}"));
            }
        }
    }
    assert!(
        bases.len() >= 30,
        "found only {} work functions",
        bases.len()
    );
    // No size rule without an entry point.
    for (m, _) in macros.iter().filter(|(m, _)| m.ends_with("_WORK_LEN")) {
        let base = m
            .trim_start_matches("LOSSMAP_")
            .trim_end_matches("_WORK_LEN")
            .to_lowercase();
        if !bases.contains(&base) {
            missing.push(format!("{m}: no lossmap_{base}_f32/_f64 takes `work`"));
        }
    }
    for g in declared.iter().filter(|g| g.ends_with("_work_len")) {
        let base = g
            .trim_start_matches("lossmap_")
            .trim_end_matches("_work_len");
        if !bases.contains(base) {
            missing.push(format!("{g}: no lossmap_{base}_f32/_f64 takes `work`"));
        }
    }
    // The other size macros are exercised too.
    for (m, _) in macros
        .iter()
        .filter(|(m, _)| m.ends_with("_LEN") && !m.ends_with("_WORK_LEN"))
    {
        if !example.contains(m.as_str()) {
            missing.push(format!("examples/c/work_len.c does not use {m}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The cbindgen version the committed header was generated with (also pinned in scripts/test).
const CBINDGEN_VERSION: &str = "0.29.4";

#[test]
fn committed_header_is_fresh() {
    let root = root();
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
