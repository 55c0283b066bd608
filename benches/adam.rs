//! Adam step cost for N = 8 and N = 1024: lossmap's checked kernel against a plain, unchecked
//! loop of the same formula measured in the same run (the reference). The ratio is the price
//! of lossmap's entry checks (finiteness, lengths, hyperparameters, overflow guard).
//!
//! Run: `cargo bench --bench adam`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lossmap::optim::{Adam, AdamConfig, Optimizer};
use std::hint::black_box;

/// The reference: torch's formula with no checks at all.
struct PlainAdam<const N: usize> {
    t: i32,
    m: [f32; N],
    v: [f32; N],
}

impl<const N: usize> PlainAdam<N> {
    fn step(&mut self, x: &mut [f32; N], g: &[f32; N]) {
        let (lr, b1, b2, eps) = (1e-3f32, 0.9f32, 0.999f32, 1e-8f32);
        self.t += 1;
        let bc1 = 1.0 - b1.powi(self.t);
        let bc2s = (1.0 - b2.powi(self.t)).sqrt();
        for i in 0..N {
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g[i];
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g[i] * g[i];
            x[i] -= lr / bc1 * self.m[i] / (self.v[i].sqrt() / bc2s + eps);
        }
    }
}

fn bench_n<const N: usize>(c: &mut Criterion) {
    let mut group = c.benchmark_group("adam_step_f32");
    let g: [f32; N] = core::array::from_fn(|i| ((i as f32) * 0.37).sin());
    group.bench_function(BenchmarkId::new("lossmap", N), |b| {
        let mut adam = Adam::<f32, N>::new(AdamConfig::default()).unwrap();
        let mut x = [0.5f32; N];
        b.iter(|| adam.step(black_box(&mut x), black_box(&g)).unwrap())
    });
    group.bench_function(BenchmarkId::new("reference", N), |b| {
        let mut adam = PlainAdam::<N> {
            t: 0,
            m: [0.0; N],
            v: [0.0; N],
        };
        let mut x = [0.5f32; N];
        b.iter(|| adam.step(black_box(&mut x), black_box(&g)))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_n::<8>(c);
    bench_n::<1024>(c);
}

criterion_group!(adam, benches);
criterion_main!(adam);
