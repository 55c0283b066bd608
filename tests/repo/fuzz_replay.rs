//! The cargo-fuzz corpora replayed as ordinary tests: every committed input of every target
//! (`fuzz/corpus/<target>/`, minimized by `cargo fuzz cmin`) and every regression input
//! (`fuzz/regressions/<target>/`, crashes found and fixed) runs through the same body the
//! fuzzer runs (`fuzz/src/bodies.rs`), which asserts the library's promises: no panic, finite
//! results on success, nothing changed on bad input.

#[allow(dead_code)]
#[path = "../../fuzz/src/bodies.rs"]
mod bodies;

use std::path::Path;

/// A fuzz target's body.
type Body = fn(&[u8]);

const TARGETS: [(&str, Body); 7] = [
    ("sym_eigen", bodies::sym_eigen),
    ("derivatives", bodies::derivatives),
    ("optimizer_steps", bodies::optimizer_steps),
    ("drivers", bodies::drivers),
    ("landscape", bodies::landscape),
    ("global", bodies::global),
    ("capi", bodies::capi),
];

/// Runs every file under `fuzz/<dir>/<target>/` through the target's body; returns the count.
fn replay(dir: &str, target: &str, body: Body) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(dir)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&root) else {
        return 0;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let r = std::panic::catch_unwind(|| body(&data));
        assert!(
            r.is_ok(),
            "{target}: {} breaks a promise (run `cargo +nightly fuzz run {target} {}`)",
            f.display(),
            f.display()
        );
    }
    files.len()
}

#[test]
fn corpora_replay_clean() {
    let mut total = 0;
    for (target, body) in TARGETS {
        let n = replay("corpus", target, body);
        assert!(n > 0, "no committed corpus for {target}");
        total += n;
    }
    println!("replayed {total} corpus inputs");
}

#[test]
fn regressions_replay_clean() {
    for (target, body) in TARGETS {
        replay("regressions", target, body);
    }
}
