//! Arbitrary bytes → an n×n matrix (any values: NaN, ∞, subnormals, asymmetric) → the
//! eigen-solver must return Ok or an Error, never panic; on Ok the eigenvalues are finite and
//! ascending. Run: `cargo +nightly fuzz run sym_eigen` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = (n % 9) as usize; // 0..=8, including the empty case
    let vals: Vec<f64> = rest
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect();
    // Sometimes symmetrize so the solver gets past its entry checks.
    let symmetric = data.len() % 2 == 0;
    let mut a = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..n {
            let k = if symmetric && j < i {
                j * n + i
            } else {
                i * n + j
            };
            a[i * n + j] = vals.get(k).copied().unwrap_or(0.0);
        }
    }
    let (mut w, mut values, mut vectors) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
    if lossmap::linalg::sym_eigen(&a, n, &mut w, &mut values, &mut vectors).is_ok() {
        assert!(values.iter().all(|v| v.is_finite()));
        assert!(values.windows(2).all(|p| p[0] <= p[1]));
    }
});
