//! Symmetric eigen-decomposition (values and vectors): lossmap's `SymEigen::new` and slice
//! kernel `sym_eigen` against nalgebra's `SymmetricEigen` on static matrices, N = 2…16, f64 and
//! f32, on the same random symmetric matrices (fixed seed), in one run. After criterion's
//! report, a table of time ratios lossmap / nalgebra measured interleaved (the median of 15
//! rounds, each timing both on the same batch), which is what a shared machine can compare.
//! Instruction counts, the stable figure: `scripts/cost-eigen`.
//!
//! Run: `cargo bench --bench eigen`

mod eigen_common;

use criterion::{BenchmarkId, Criterion};
use eigen_common::{lossmap_batch, matrices, nalgebra_batch, slice_batch, to_nalgebra, Scalar};
use nalgebra::allocator::Allocator;
use nalgebra::{Const, DefaultAllocator, DimDiff, DimSub, U1};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn group<T: Scalar, const N: usize>(c: &mut Criterion)
where
    Const<N>: DimSub<U1>,
    DefaultAllocator: Allocator<DimDiff<Const<N>, U1>>,
{
    let ms = matrices::<T, N>();
    let na = to_nalgebra(&ms);
    let mut g = c.benchmark_group(format!("sym_eigen_{}", T::NAME));
    g.bench_function(BenchmarkId::new("lossmap", N), |b| {
        b.iter(|| lossmap_batch(black_box(&ms)))
    });
    g.bench_function(BenchmarkId::new("lossmap_slice", N), |b| {
        b.iter(|| slice_batch(black_box(&ms)))
    });
    g.bench_function(BenchmarkId::new("nalgebra", N), |b| {
        b.iter(|| nalgebra_batch(black_box(&na)))
    });
    g.finish();
}

/// Nanoseconds per batch of `f`, over enough repetitions to last about `budget`.
fn time(budget: Duration, mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    f();
    let once = t0.elapsed().max(Duration::from_nanos(50));
    let reps = (budget.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    t.elapsed().as_nanos() as f64 / f64::from(reps)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `(typed ratio, slice ratio, nalgebra ns per matrix)`.
fn ratio<T: Scalar, const N: usize>() -> (f64, f64, f64)
where
    Const<N>: DimSub<U1>,
    DefaultAllocator: Allocator<DimDiff<Const<N>, U1>>,
{
    let ms = matrices::<T, N>();
    let na = to_nalgebra(&ms);
    let budget = Duration::from_millis(4);
    let (mut typed, mut slice, mut base) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..15 {
        let n = time(budget, || {
            black_box(nalgebra_batch(black_box(&na)));
        });
        let l = time(budget, || {
            black_box(lossmap_batch(black_box(&ms)));
        });
        let s = time(budget, || {
            black_box(slice_batch(black_box(&ms)));
        });
        typed.push(l / n);
        slice.push(s / n);
        base.push(n);
    }
    let per = median(base) / eigen_common::BATCH as f64;
    (median(typed), median(slice), per)
}

fn table<T: Scalar>() {
    println!(
        "\nsym_eigen {} time ratio lossmap / nalgebra (median of 15 interleaved rounds)",
        T::NAME
    );
    println!("| N | SymEigen::new | sym_eigen (slice) | nalgebra ns |");
    println!("|---|---|---|---|");
    macro_rules! row {
        ($($n:literal)*) => {$(
            let (t, s, ns) = ratio::<T, $n>();
            println!("| {} | {:.2} | {:.2} | {:.0} |", $n, t, s, ns);
        )*};
    }
    row!(2 3 4 6 8 12 16);
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    macro_rules! groups {
        ($($n:literal)*) => {$(
            group::<f64, $n>(&mut c);
            group::<f32, $n>(&mut c);
        )*};
    }
    groups!(2 3 4 6 8 12 16);
    c.final_summary();
    // `cargo bench` passes --bench; `cargo test --benches` runs each case once without it.
    if std::env::args().any(|a| a == "--bench") {
        table::<f64>();
        table::<f32>();
    }
}
