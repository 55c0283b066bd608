//! Instruction counts of the eigen cases: each `cost_*` function runs one case `REPS` times over
//! the batch of `eigen_common`; `scripts/cost-eigen` runs this binary under callgrind with
//! collection toggled on exactly these functions, and divides by the decompositions done.
//! Without valgrind it just runs every case once (a smoke test).
//!
//! Build: `cargo bench --bench eigen_cost --no-run`; run: `scripts/cost-eigen`.

mod eigen_common;

use eigen_common::{lossmap_batch, matrices, nalgebra_batch, slice_batch, to_nalgebra, BATCH};
use nalgebra::SMatrix;
use std::hint::black_box;

/// Passes over the batch per case (so `REPS · BATCH` decompositions).
const REPS: usize = 8;

macro_rules! cases {
    ($(($t:ty, $n:literal, $lm:ident, $sl:ident, $na:ident)),* $(,)?) => {
        $(
            #[inline(never)]
            fn $lm(ms: &[[[$t; $n]; $n]]) -> $t {
                (0..REPS).map(|_| lossmap_batch(black_box(ms))).sum()
            }
            #[inline(never)]
            fn $sl(ms: &[[[$t; $n]; $n]]) -> $t {
                (0..REPS).map(|_| slice_batch(black_box(ms))).sum()
            }
            #[inline(never)]
            fn $na(ms: &[SMatrix<$t, $n, $n>]) -> $t {
                (0..REPS).map(|_| nalgebra_batch(black_box(ms))).sum()
            }
        )*
        fn run_all() {
            $(
                let ms = matrices::<$t, $n>();
                let na = to_nalgebra(&ms);
                black_box($lm(&ms));
                black_box($sl(&ms));
                black_box($na(&na));
            )*
        }
    };
}

cases!(
    (
        f64,
        2,
        cost_lossmap_f64_2,
        cost_slice_f64_2,
        cost_nalgebra_f64_2
    ),
    (
        f64,
        3,
        cost_lossmap_f64_3,
        cost_slice_f64_3,
        cost_nalgebra_f64_3
    ),
    (
        f64,
        4,
        cost_lossmap_f64_4,
        cost_slice_f64_4,
        cost_nalgebra_f64_4
    ),
    (
        f64,
        6,
        cost_lossmap_f64_6,
        cost_slice_f64_6,
        cost_nalgebra_f64_6
    ),
    (
        f64,
        8,
        cost_lossmap_f64_8,
        cost_slice_f64_8,
        cost_nalgebra_f64_8
    ),
    (
        f64,
        12,
        cost_lossmap_f64_12,
        cost_slice_f64_12,
        cost_nalgebra_f64_12
    ),
    (
        f64,
        16,
        cost_lossmap_f64_16,
        cost_slice_f64_16,
        cost_nalgebra_f64_16
    ),
    (
        f32,
        2,
        cost_lossmap_f32_2,
        cost_slice_f32_2,
        cost_nalgebra_f32_2
    ),
    (
        f32,
        3,
        cost_lossmap_f32_3,
        cost_slice_f32_3,
        cost_nalgebra_f32_3
    ),
    (
        f32,
        4,
        cost_lossmap_f32_4,
        cost_slice_f32_4,
        cost_nalgebra_f32_4
    ),
    (
        f32,
        6,
        cost_lossmap_f32_6,
        cost_slice_f32_6,
        cost_nalgebra_f32_6
    ),
    (
        f32,
        8,
        cost_lossmap_f32_8,
        cost_slice_f32_8,
        cost_nalgebra_f32_8
    ),
    (
        f32,
        12,
        cost_lossmap_f32_12,
        cost_slice_f32_12,
        cost_nalgebra_f32_12
    ),
    (
        f32,
        16,
        cost_lossmap_f32_16,
        cost_slice_f32_16,
        cost_nalgebra_f32_16
    ),
);

fn main() {
    run_all();
    // Read by scripts/cost-eigen.
    println!("decompositions per case: {}", REPS * BATCH);
}
