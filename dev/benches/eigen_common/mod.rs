//! The cases shared by the eigen bench and the instruction-count binary: random symmetric
//! matrices (entries uniform in [−1, 1), fixed seed) and the two solvers behind one interface.
#![allow(dead_code)]

use lossmap::linalg::{sym_eigen, SymEigen};
use nalgebra::allocator::Allocator;
use nalgebra::{Const, DefaultAllocator, DimDiff, DimSub, SMatrix, SymmetricEigen, U1};
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;
use std::hint::black_box;

/// Matrices per case: the measured unit is one pass over all of them.
pub const BATCH: usize = 16;

/// The sizes measured.
pub const SIZES: [usize; 7] = [2, 3, 4, 6, 8, 12, 16];

/// A scalar both solvers take.
pub trait Scalar: lossmap::Real + nalgebra::RealField + Copy {}
impl Scalar for f32 {}
impl Scalar for f64 {}

/// `BATCH` random symmetric `N×N` matrices, the same for every run (seed depends on `N` only).
pub fn matrices<T: Scalar, const N: usize>() -> Vec<[[T; N]; N]> {
    let mut rng = XorShiftRng::seed_from_u64(0x5eed_0000 + N as u64);
    (0..BATCH)
        .map(|_| {
            let g: [[T; N]; N] = core::array::from_fn(|_| {
                core::array::from_fn(|_| {
                    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    <T as lossmap::Real>::from_f64(2.0 * u - 1.0)
                })
            });
            // The upper triangle of g, mirrored.
            core::array::from_fn(|i| core::array::from_fn(|j| g[i.min(j)][i.max(j)]))
        })
        .collect()
}

/// The same matrices as nalgebra's static matrices.
pub fn to_nalgebra<T: Scalar, const N: usize>(ms: &[[[T; N]; N]]) -> Vec<SMatrix<T, N, N>> {
    ms.iter()
        .map(|a| SMatrix::<T, N, N>::from_fn(|i, j| a[i][j]))
        .collect()
}

/// lossmap's typed solver over the batch; returns a checksum so nothing is optimized away.
#[inline(always)]
pub fn lossmap_batch<T: Scalar, const N: usize>(ms: &[[[T; N]; N]]) -> T {
    let mut acc = T::ZERO;
    for a in ms {
        if let Ok(e) = SymEigen::new(black_box(a)) {
            let e = black_box(e);
            acc += e.values[0] + e.vectors[0][0];
        }
    }
    acc
}

/// lossmap's slice kernel over the batch (caller-provided buffers).
#[inline(always)]
pub fn slice_batch<T: Scalar, const N: usize>(ms: &[[[T; N]; N]]) -> T {
    let mut acc = T::ZERO;
    let mut work = [[T::ZERO; N]; N];
    let mut values = [T::ZERO; N];
    let mut vectors = [[T::ZERO; N]; N];
    for a in ms {
        let r = sym_eigen(
            black_box(a).as_flattened(),
            N,
            work.as_flattened_mut(),
            &mut values,
            vectors.as_flattened_mut(),
        );
        if r.is_ok() {
            black_box((&values, &vectors));
            acc += values[0] + vectors[0][0];
        }
    }
    acc
}

/// nalgebra's `SymmetricEigen` (eigenvalues and eigenvectors) over the batch.
#[inline(always)]
pub fn nalgebra_batch<T: Scalar, const N: usize>(ms: &[SMatrix<T, N, N>]) -> T
where
    Const<N>: DimSub<U1>,
    DefaultAllocator: Allocator<DimDiff<Const<N>, U1>>,
{
    let mut acc = T::ZERO;
    for a in ms {
        let e = black_box(SymmetricEigen::<T, Const<N>>::new(*black_box(a)));
        acc += e.eigenvalues[0] + e.eigenvectors[(0, 0)];
    }
    acc
}
