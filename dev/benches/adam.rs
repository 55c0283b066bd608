//! Adam step times, side by side in one run, for f32 and f64 at N = 8, 64, 1024, 65536:
//! lossmap's slice kernel (`adam_step`) and typed `Adam<T, N>`, the same formula in C
//! (`-O3 -march=native -fno-math-errno`) unchecked, checked (validate θ, g, m, v read-only,
//! then update) and strict (checked, and its state validated at every step, as lossmap does), the unchecked C of a plain `-O3 -march=native` build
//! ("C errno": scalar), a plain Rust loop, and at N = 65536 the memory traffic of a step
//! (reads θ, g, m, v, writes θ, m, v: the memory-bound limit). After the runs it prints the
//! ratios of the fastest samples (see [`fastest`]) as a Markdown table and writes it to
//! `<target>/lossmap-reports/bench-adam.md`.
//!
//! ```text
//! cargo bench -p lossmap-dev --bench adam
//! cargo bench -p lossmap-dev --bench adam -- --warm-up-time 0.5 --measurement-time 1   # quicker
//! ```
//!
//! Times on a shared machine move from run to run; their ratios within one run are the figure.
//! A filtered run (`-- adam_f32`) rewrites only the results it ran: the table then mixes in
//! earlier ones.

use criterion::{BenchmarkId, Criterion, Throughput};
use lossmap_dev::{dispatch, Elem, Impl, Isa, Visit, Work, SIZES};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Registers the bench of one implementation at one size.
struct Bench<'a, 'b> {
    group: &'a mut criterion::BenchmarkGroup<'b, criterion::measurement::WallTime>,
    which: Impl,
    n: usize,
}

impl<T: Elem> Visit<T> for Bench<'_, '_> {
    type Out = ();
    fn visit<S: FnMut(&mut Work<T>) -> bool>(self, mut step: S) {
        let mut w = Work::<T>::new(self.n);
        self.group
            .bench_function(BenchmarkId::new(self.which.name(), self.n), |b| {
                b.iter(|| black_box(step(black_box(&mut w))))
            });
    }
}

fn group<T: Elem>(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!("adam_{}", T::NAME));
    for n in SIZES {
        g.throughput(Throughput::Elements(n as u64));
        for which in Impl::ALL {
            // The memory-bound limit matters where the arrays leave L1: the largest size only.
            if which == Impl::Stream && n != SIZES[SIZES.len() - 1] {
                continue;
            }
            dispatch::<T, _>(
                which,
                n,
                Isa::Native,
                Bench {
                    group: &mut g,
                    which,
                    n,
                },
            );
        }
    }
    g.finish();
}

/// Where criterion keeps its results: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`,
/// else the workspace's `target/criterion` (set as `CRITERION_HOME` so criterion agrees).
fn criterion_home() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(h);
    }
    target_dir().join("criterion")
}

fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    }
}

/// The fastest sample (ns per iteration) criterion recorded for `group/id/n` in this run. On a
/// shared machine noise only ever adds time, so the minimum over the samples is the most
/// repeatable estimate; criterion's own report gives the mean and median.
fn fastest(home: &Path, group: &str, id: &str, n: usize) -> Option<f64> {
    let path = home
        .join(group)
        .join(id)
        .join(n.to_string())
        .join("new")
        .join("sample.json");
    let text = std::fs::read_to_string(path).ok()?;
    let array = |key: &str| -> Option<Vec<f64>> {
        let start = text.find(&format!("\"{key}\":["))? + key.len() + 4;
        let end = start + text[start..].find(']')?;
        text[start..end]
            .split(',')
            .map(|v| v.trim().parse().ok())
            .collect()
    };
    let (iters, times) = (array("iters")?, array("times")?);
    iters
        .iter()
        .zip(&times)
        .filter(|(&i, _)| i > 0.0)
        .map(|(i, t)| t / i)
        .min_by(f64::total_cmp)
}

/// The ratio table of this run's fastest samples.
fn ratios(home: &Path) -> String {
    let mut md = String::from(
        "| type | N | lossmap slice, ns per step | lossmap / C unchecked | lossmap / C errno | lossmap / C checked | lossmap / C strict | typed / C checked | typed / C strict | Rust loop / C unchecked | C checked / C unchecked | C strict / C checked | lossmap / stream | C unchecked / stream |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for ty in ["f32", "f64"] {
        let group = format!("adam_{ty}");
        for n in SIZES {
            let t = |i: Impl| fastest(home, &group, i.name(), n);
            let r = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
                _ => "–".to_string(),
            };
            let (ls, lt) = (t(Impl::LossmapSlice), t(Impl::LossmapTyped));
            let (cu, cc, ce) = (t(Impl::CUnchecked), t(Impl::CChecked), t(Impl::CErrno));
            let cs = t(Impl::CStrict);
            let (rp, st) = (t(Impl::RustPlain), t(Impl::Stream));
            let _ = writeln!(
                md,
                "| {ty} | {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                ls.map_or("–".into(), |v| format!("{v:.1}")),
                r(ls, cu),
                r(ls, ce),
                r(ls, cc),
                r(ls, cs),
                r(lt, cc),
                r(lt, cs),
                r(rp, cu),
                r(cc, cu),
                r(cs, cc),
                r(ls, st),
                r(cu, st),
            );
        }
    }
    md
}

fn main() {
    let home = criterion_home();
    if std::env::var_os("CRITERION_HOME").is_none() {
        // Single-threaded here, before criterion reads the environment.
        std::env::set_var("CRITERION_HOME", &home);
    }
    let mut c = Criterion::default().configure_from_args();
    group::<f32>(&mut c);
    group::<f64>(&mut c);
    c.final_summary();
    // `cargo test --benches` runs each bench once without recording: no table then.
    if fastest(&home, "adam_f32", Impl::LossmapSlice.name(), SIZES[0]).is_none() {
        return;
    }
    let md = ratios(&home);
    println!(
        "\nAdam step, ratios of the fastest samples in this run (C: -O3 -march=native -fno-math-errno):\n\n{md}"
    );
    let dir = target_dir().join("lossmap-reports");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("bench-adam.md"), &md);
    }
}
