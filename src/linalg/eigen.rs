//! Symmetric eigen-decomposition: Householder tridiagonalization, then the implicit symmetric
//! QR iteration with Wilkinson shifts.
//!
//! The method is the one of Golub & Van Loan, *Matrix Computations*, 4th ed., §8.3
//! (Algorithm 8.3.1 "Householder tridiagonalization", Algorithm 8.3.2 "implicit symmetric QR
//! step with Wilkinson shift", Algorithm 8.3.3 "symmetric QR algorithm"), arranged as LAPACK's
//! `dsytrd` + `dorgtr` + `dsteqr` arrange it:
//!
//! 1. `A = Q T Qᵀ` with `T` tridiagonal, by `n − 2` Householder reflectors `H = I − τ v vᵀ`
//!    (`β = −sign(α)‖x‖`, `τ = (β − α)/β`, `v = x/(α − β)`, as in `dlarfg`); each one updates
//!    the trailing block by the symmetric rank-2 form `B ← B − v wᵀ − w vᵀ`,
//!    `w = τBv − ½τ²(vᵀBv)v`.
//! 2. `Qᵀ` is formed in place of the reflectors, last reflector first (the backward
//!    accumulation of `dorgtr`), directly in the eigenvector buffer: its rows become the
//!    eigenvectors as the rotations of step 3 mix them.
//! 3. Implicit QR steps with the Wilkinson shift of the trailing 2×2 chase a bulge down the
//!    bottom unreduced block; an off-diagonal `e` is negligible once
//!    `e² ≤ ε²|dᵢ||dᵢ₊₁| + λ_min` (`λ_min` the smallest normal number), the criterion of
//!    `dsteqr`. A 2×2 block is finished in closed form by one Jacobi rotation (Rutishauser's
//!    formulas, Golub & Van Loan §8.5.2: `θ = (d₂ − d₁)/(2e)`, `t = sign(θ)/(|θ| + √(θ² + 1))`),
//!    so `n = 2` costs one rotation.
//!
//! The matrix is scaled by its largest entry when that lies outside `[√λ_min/ε, √Λ·ε]`
//! (`Λ` the largest finite number), so no square over- or underflows. Every eigenvalue comes out
//! with an absolute error of a small multiple of `ε‖A‖` and the eigenvectors are orthonormal
//! to working precision, the guarantees of LAPACK's `dsyev`, against whose values the tests
//! compare. About `9n³` flops in all, two thirds of them in rotating the eigenvectors (two QR
//! steps per eigenvalue are typical), where cyclic Jacobi needs 5–8 sweeps of `≈ 6n³` each.
//!
//! Storage: the eigenvector buffer holds the matrix, then the reflectors, then `Qᵀ`; the
//! eigenvalue buffer holds the diagonal; the off-diagonal needs `n` more entries of scratch.

use super::{at, dot_unchecked, put, rows, rows_mut};
use crate::error::Error;
use crate::Real;

/// Iteration budget of [`sym_eigen`]: at most `JACOBI_MAX_SWEEPS · n` implicit QR steps in all
/// (one to three per eigenvalue is typical), else [`Error::NoConvergence`]. The name is kept for
/// compatibility.
pub const JACOBI_MAX_SWEEPS: usize = 64;

/// The matrix size the kernel is compiled for: [`Dyn`] at run time (the one copy behind
/// [`sym_eigen`]), [`Fixed`] as a constant (a copy per size, behind [`SymEigen`]), where the
/// compiler unrolls the short loops and decides the bounds checks.
trait Dim: Copy {
    /// The size `n`.
    fn get(self) -> usize;
}

/// A size known at run time.
#[derive(Clone, Copy)]
struct Dyn(usize);

impl Dim for Dyn {
    #[inline(always)]
    fn get(self) -> usize {
        self.0
    }
}

/// The size `N`, a constant.
#[derive(Clone, Copy)]
struct Fixed<const N: usize>;

impl<const N: usize> Dim for Fixed<N> {
    #[inline(always)]
    fn get(self) -> usize {
        N
    }
}

/// Eigen-decomposition of a symmetric `n×n` row-major matrix `a`.
///
/// Writes the eigenvalues in ascending order to `values` (length `n`) and the matching unit
/// eigenvectors **as rows** to `vectors` (`n×n`: row `k` is the eigenvector of `values[k]`, so
/// `A = Σₖ λₖ vₖ vₖᵀ`). `work` must have length `n×n`; only its first `n` entries are used as
/// scratch. Entries `a[i][j]` and `a[j][i]` are averaged; they must agree to `√ε · max|a|`,
/// else [`Error::NotSymmetric`]. Returns the number of iterations: implicit QR steps plus
/// closed-form 2×2 blocks (0 for a diagonal matrix).
///
/// On any error detected on entry (sizes, NaN/Inf, asymmetry) nothing is written. A finite
/// matrix with an eigenvalue beyond the type's range (`|λ| > MAX`, possible only when entries
/// are within a factor `n` of `MAX`, e.g. the all-`MAX` 2×2 with `λ = 2·MAX`) gives
/// [`Error::NonFiniteInput`]: the input is out of range, and an `Ok` result is always finite.
/// After that error `values` and `vectors` hold the decomposition of `A / max|a|` (finite,
/// unsorted; [`SymEigen`]`<T, 2>` leaves them untouched). After [`Error::NoConvergence`] the
/// outputs hold intermediate values.
///
/// One code path serves every `n` (a 2×2 matrix is tridiagonal already and costs one
/// rotation), so a firmware calling this with a run-time `n` links no special cases.
/// [`SymEigen`]`<T, N>` runs the same kernel compiled for its constant `N` (short loops
/// unrolled, bounds checks decided at compile time: 10–44 % fewer instructions on x86-64 at
/// `N = 3…16`, most at small `N`), and [`SymEigen`]`<T, 2>` a closed form without loops; both
/// give this function's results bit for bit.
///
/// ```
/// let a = [2.0f64, 1.0, 1.0, 2.0];
/// let (mut w, mut vals, mut vecs) = ([0.0; 4], [0.0; 2], [0.0; 4]);
/// lossmap::linalg::sym_eigen(&a, 2, &mut w, &mut vals, &mut vecs).unwrap();
/// assert!((vals[0] - 1.0).abs() < 1e-14 && (vals[1] - 3.0).abs() < 1e-14);
/// ```
pub fn sym_eigen<T: Real>(
    a: &[T],
    n: usize,
    work: &mut [T],
    values: &mut [T],
    vectors: &mut [T],
) -> Result<usize, Error> {
    if n == 0 {
        return Err(Error::Empty);
    }
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    if work.len() != nn {
        return Err(Error::LengthMismatch);
    }
    decompose(a, Dyn(n), work, values, vectors)
}

/// The kernel behind [`sym_eigen`] and [`SymEigen`]: `scratch` needs only `n` entries.
fn decompose<T: Real, D: Dim>(
    a: &[T],
    dim: D,
    scratch: &mut [T],
    values: &mut [T],
    vectors: &mut [T],
) -> Result<usize, Error> {
    let n = dim.get();
    if n == 0 {
        return Err(Error::Empty);
    }
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    if a.len() != nn || vectors.len() != nn || values.len() != n || scratch.len() < n {
        return Err(Error::LengthMismatch);
    }
    let amax = validate(a, dim)?;
    let scale = scale_for(amax);
    load(a, dim, scale, vectors);
    let e = scratch;
    let iterations = match n {
        1 => {
            put(values, 0, at(vectors, 0));
            put(vectors, 0, T::ONE);
            0
        }
        _ => {
            tridiagonalize(vectors, dim, values, e);
            accumulate(vectors, dim);
            tridiagonal_qr(values, e, vectors, dim)?
        }
    };
    if let Some(s) = scale {
        // Scaling back must not overflow: an eigenvalue beyond the type's range is an error,
        // with `values` left holding the finite scaled eigenvalues.
        if values.iter().any(|&v| !(v * s).is_finite()) {
            return Err(Error::NonFiniteInput);
        }
        values.iter_mut().for_each(|v| *v *= s);
    }
    sort_ascending(values, vectors, dim);
    Ok(iterations)
}

/// `n = 2` in closed form, for [`SymEigen`]`<T, 2>`: the checks of [`decompose`] and one
/// rotation without loops, the same results bit for bit (`None` for any other size, decided at
/// compile time for a typed matrix). Outputs are untouched on every error.
#[inline(always)]
fn closed2<T: Real>(a: &[T], values: &mut [T], vectors: &mut [T]) -> Option<Result<usize, Error>> {
    let ([a00, a01, a10, a11], [l0, l1], [z00, z01, z10, z11]) = (a, values, vectors) else {
        return None;
    };
    let m = [*a00, *a01, *a10, *a11];
    if !m.iter().all(|x| x.abs() <= T::MAX_R) {
        return Some(Err(Error::NonFiniteInput));
    }
    let amax = m
        .iter()
        .fold(T::ZERO, |s, x| if x.abs() > s { x.abs() } else { s });
    if (*a01 - *a10).abs() > T::EPSILON_R.sqrt() * amax {
        return Some(Err(Error::NotSymmetric));
    }
    let scale = scale_for(amax);
    let (p, b, q) = match scale {
        Some(s) => (*a00 / s, T::HALF * (*a01 / s + *a10 / s), *a11 / s),
        None => (*a00, T::HALF * (*a01 + *a10), *a11),
    };
    let (c, sn, t, iterations) = if negligible(b, p, q) {
        (T::ONE, T::ZERO, T::ZERO, 0)
    } else {
        let (c, sn, t) = jacobi_rotation(p, b, q);
        (c, sn, t, 1)
    };
    let s = scale.unwrap_or(T::ONE);
    let (lp, lq) = ((p - t * b) * s, (q + t * b) * s);
    if !(lp.is_finite() && lq.is_finite()) {
        // An eigenvalue beyond the type's range (e.g. 2·MAX for the all-MAX matrix).
        return Some(Err(Error::NonFiniteInput));
    }
    // Rows (c, −s) for lp and (s, c) for lq, ascending.
    let (v, z) = if lp <= lq {
        ([lp, lq], [c, -sn, sn, c])
    } else {
        ([lq, lp], [sn, c, c, -sn])
    };
    (*l0, *l1) = (v[0], v[1]);
    (*z00, *z01, *z10, *z11) = (z[0], z[1], z[2], z[3]);
    Some(Ok(iterations))
}

/// `Some(max|a|)` when a square of an entry could over- or underflow: the matrix is then
/// divided by it. The test needs no square root.
#[inline]
fn scale_for<T: Real>(amax: T) -> Option<T> {
    let eps2 = T::EPSILON_R * T::EPSILON_R;
    let (lo2, hi2) = (T::MIN_POSITIVE_R / eps2, T::MAX_R * eps2);
    if amax > T::ZERO && !(lo2..=hi2).contains(&(amax * amax)) {
        Some(amax)
    } else {
        None
    }
}

/// One read-only pass over `a`: every entry finite ([`Error::NonFiniteInput`]), then
/// `|a[i][j] − a[j][i]| ≤ √ε · max|a|` ([`Error::NotSymmetric`]). Returns `max|a|`.
fn validate<T: Real, D: Dim>(a: &[T], dim: D) -> Result<T, Error> {
    let n = dim.get();
    // `x · 0` is ±0 for finite `x` and NaN for NaN and ±∞: one multiply-add per entry.
    let mut probe = T::ZERO;
    let mut amax = T::ZERO;
    for &x in a {
        probe += x * T::ZERO;
        let ax = x.abs();
        amax = if ax > amax { ax } else { amax };
    }
    if probe != T::ZERO {
        return Err(Error::NonFiniteInput);
    }
    let mut asym = T::ZERO;
    for (i, row) in rows(a, n).enumerate() {
        for (j, &x) in row.iter().enumerate().skip(i + 1) {
            let d = (x - at(a, j * n + i)).abs();
            asym = if d > asym { d } else { asym };
        }
    }
    if asym > T::EPSILON_R.sqrt() * amax {
        return Err(Error::NotSymmetric);
    }
    Ok(amax)
}

/// `z ← (A + Aᵀ)/2`, divided by `scale` first when given. An exactly symmetric `A` comes out
/// unchanged bit for bit (`½(x + x) = x`: no overflow, since an unscaled `|x|` is below
/// `√Λ·ε`), so one loop serves both cases, and it writes two entries per step rather than
/// copying (a copy loop would become a call to `memcpy`).
fn load<T: Real, D: Dim>(a: &[T], dim: D, scale: Option<T>, z: &mut [T]) {
    let n = dim.get();
    for (i, (zr, ar)) in rows_mut(z, n).zip(rows(a, n)).enumerate() {
        for (j, (zv, &x)) in zr.iter_mut().zip(ar).enumerate() {
            // `x + y = y + x` exactly: `z` comes out exactly symmetric.
            let y = at(a, j * n + i);
            *zv = match scale {
                Some(s) => T::HALF * (x / s + y / s),
                None => T::HALF * (x + y),
            };
        }
    }
}

/// The reflector `H = I − τvvᵀ`, `v = (1, v₁…)`, with `H(α, x…) = (β, 0…)`: writes `v` over
/// `(α, x…)` and returns `(τ, β)`; `None` (and nothing written) when `x = 0` already.
#[inline(always)]
fn reflector<T: Real>(alpha: &mut T, rest: &mut [T]) -> Option<(T, T)> {
    let sigma = rest.iter().fold(T::ZERO, |s, &v| s + v * v);
    if sigma == T::ZERO {
        return None;
    }
    let mu = (*alpha * *alpha + sigma).sqrt();
    let beta = if *alpha > T::ZERO { -mu } else { mu };
    let tau = (beta - *alpha) / beta;
    let inv = T::ONE / (*alpha - beta);
    rest.iter_mut().for_each(|v| *v *= inv);
    *alpha = T::ONE;
    Some((tau, beta))
}

/// Householder reduction of the symmetric `z` (`n ≥ 3`, full storage) to tridiagonal form:
/// diagonal into `d`, off-diagonal into `e[0..n−1]`. Reflector `k` is left in row `k`:
/// `τₖ` at column `k`, `v` (with its leading 1) at columns `k+1..n`; `τₖ = 0` means none.
/// `d[k+1..n]` holds `τBv` during step `k`. The last reflector, on a 2×2 block, is written out.
fn tridiagonalize<T: Real, D: Dim>(z: &mut [T], dim: D, d: &mut [T], e: &mut [T]) {
    let n = dim.get();
    for k in 0..n.saturating_sub(3) {
        let Some((head, tail)) = z.split_at_mut_checked((k + 1) * n) else {
            return;
        };
        let Some((left, x)) = head
            .get_mut(k * n..)
            .and_then(|row| row.split_at_mut_checked(k + 1))
        else {
            return;
        };
        put(d, k, at(left, k));
        let Some((alpha, rest)) = x.split_first_mut() else {
            return;
        };
        let Some((tau, beta)) = reflector(alpha, rest) else {
            put(e, k, *alpha);
            put(left, k, T::ZERO);
            continue;
        };
        put(e, k, beta);
        put(left, k, tau);
        let v: &[T] = x;
        let Some(p) = d.get_mut(k + 1..n) else {
            return;
        };
        // p = τBv, then w = p − ½τ(pᵀv)v.
        for (pi, row) in p.iter_mut().zip(rows(tail, n)) {
            *pi = tau * dot_unchecked(row.get(k + 1..).unwrap_or(&[]), v);
        }
        let half_k = T::HALF * tau * dot_unchecked(p, v);
        p.iter_mut().zip(v).for_each(|(pi, &vi)| *pi -= half_k * vi);
        let w: &[T] = p;
        // B ← B − v wᵀ − w vᵀ.
        for ((row, &vi), &wi) in rows_mut(tail, n).zip(v).zip(w) {
            if let Some(b) = row.get_mut(k + 1..) {
                for ((bij, &vj), &wj) in b.iter_mut().zip(v).zip(w) {
                    *bij -= vi * wj + wi * vj;
                }
            }
        }
    }
    // Step n − 3 on the trailing 2×2 block [b00 b01; b01 b11], v = (1, v1); a 2×2 matrix is
    // tridiagonal already.
    let Some(k) = n.checked_sub(3) else {
        if let [z00, z01, _, z11] = *z {
            put(d, 0, z00);
            put(e, 0, z01);
            put(d, 1, z11);
        }
        return;
    };
    let (b00, b01, b11) = (
        at(z, (n - 2) * (n + 1)),
        at(z, (n - 2) * (n + 1) + 1),
        at(z, n * n - 1),
    );
    put(d, k, at(z, k * (n + 1)));
    let (mut alpha, mut x1) = (at(z, k * n + n - 2), at(z, k * n + n - 1));
    let (dd0, ee, dd1) = match reflector(&mut alpha, core::slice::from_mut(&mut x1)) {
        None => {
            put(e, k, alpha);
            put(z, k * (n + 1), T::ZERO);
            (b00, b01, b11)
        }
        Some((tau, beta)) => {
            put(e, k, beta);
            put(z, k * (n + 1), tau);
            put(z, k * n + n - 1, x1);
            let v1 = x1;
            let (p0, p1) = (tau * (b00 + b01 * v1), tau * (b01 + b11 * v1));
            let half_k = T::HALF * tau * (p0 + p1 * v1);
            let (w0, w1) = (p0 - half_k, p1 - half_k * v1);
            (
                b00 - (w0 + w0),
                b01 - (w1 + w0 * v1),
                b11 - (v1 * w1 + w1 * v1),
            )
        }
    };
    put(d, n - 2, dd0);
    put(e, n - 2, ee);
    put(d, n - 1, dd1);
}

/// Overwrites the reflectors left by [`tridiagonalize`] with `Qᵀ` (`A = Q T Qᵀ`), applying
/// `H_{n−3}` first, each to the rows of the trailing block it acts on.
fn accumulate<T: Real, D: Dim>(z: &mut [T], dim: D) {
    let n = dim.get();
    // H_{n−3} alone, on the trailing 2×2 block: [1 − τ, −τv₁; −τv₁, 1 − τv₁²]. A 2×2 matrix
    // has no reflector: Qᵀ = I.
    let Some(k) = n.checked_sub(3) else {
        if let [z00, z01, z10, z11] = z {
            (*z00, *z01, *z10, *z11) = (T::ONE, T::ZERO, T::ZERO, T::ONE);
        }
        return;
    };
    let (tau, v1) = (at(z, k * (n + 1)), at(z, k * n + n - 1));
    let tv = tau * v1;
    put(z, (n - 2) * (n + 1), T::ONE - tau);
    put(z, (n - 2) * (n + 1) + 1, T::ZERO - tv);
    put(z, (n - 1) * n + n - 2, T::ZERO - tv);
    put(z, n * n - 1, T::ONE - tv * v1);
    for k in (0..n.saturating_sub(3)).rev() {
        let Some((head, tail)) = z.split_at_mut_checked((k + 1) * n) else {
            return;
        };
        let (tau, v) = match head.get(k * n..) {
            Some(row) => (at(row, k), row.get(k + 1..).unwrap_or(&[])),
            None => return,
        };
        // The trailing block holds the product of the later reflectors, bordered by the first row
        // and column of the identity; the reflector from the right makes row 0 `e₀ − τv` and,
        // in every later row, the border entry `−s` and the rest `x − s v` (`s = τ x·v`).
        let mut block = rows_mut(tail, n);
        if let Some(first) = block.next().and_then(|r| r.get_mut(k + 1..)) {
            for (j, (x, &vj)) in first.iter_mut().zip(v).enumerate() {
                let e = if j == 0 { T::ONE } else { T::ZERO };
                *x = e - tau * vj;
            }
        }
        let v_rest = v.get(1..).unwrap_or(&[]);
        for r in block {
            if let Some((border, rest)) = r.get_mut(k + 1..).and_then(|s| s.split_first_mut()) {
                let s = tau * dot_unchecked(rest, v_rest);
                *border = T::ZERO - s;
                rest.iter_mut()
                    .zip(v_rest)
                    .for_each(|(x, &vj)| *x -= s * vj);
            }
        }
    }
    for (j, x) in z.iter_mut().take(n).enumerate() {
        *x = if j == 0 { T::ONE } else { T::ZERO };
    }
    for r in rows_mut(z, n).skip(1) {
        put(r, 0, T::ZERO);
    }
}

/// `e² ≤ ε²|a||b| + λ_min`: the coupling of `a` and `b` can be dropped.
#[inline]
fn negligible<T: Real>(e: T, a: T, b: T) -> bool {
    e * e <= T::EPSILON_R * T::EPSILON_R * a.abs() * b.abs() + T::MIN_POSITIVE_R
}

/// Rows `i` and `i + 1` of the `n`-column `z`, mutably.
#[inline]
fn row_pair<T>(z: &mut [T], n: usize, i: usize) -> Option<(&mut [T], &mut [T])> {
    let (p, q) = z.get_mut(i * n..(i + 2) * n)?.split_at_mut_checked(n)?;
    Some((p, q))
}

/// Diagonalizes the symmetric tridiagonal `(d, e)` (`e[i]` couples `d[i]` and `d[i+1]`),
/// combining the rows of `z` alike. Returns the iterations used.
fn tridiagonal_qr<T: Real, D: Dim>(
    d: &mut [T],
    e: &mut [T],
    z: &mut [T],
    dim: D,
) -> Result<usize, Error> {
    let n = dim.get();
    let cap = JACOBI_MAX_SWEEPS.saturating_mul(n);
    let mut iterations = 0;
    // The block being iterated is `lo..=hi`; everything below it has converged, and `e[floor−1]`
    // (when `floor > 0`) was found negligible and zeroed, so the block starts at `floor` or below.
    let Some(mut hi) = n.checked_sub(1) else {
        return Ok(0);
    };
    let mut floor = 0;
    while hi > 0 {
        if hi <= floor {
            floor = 0;
        }
        // The lowest negligible coupling in e[floor..hi], zeroed: it ends the block above it.
        let mut split = None;
        if let (Some(es), Some(ds)) = (e.get_mut(floor..hi), d.get(floor..=hi)) {
            for (k, (ek, w)) in es.iter_mut().zip(ds.windows(2)).enumerate().rev() {
                if let [a, b] = w {
                    if negligible(*ek, *a, *b) {
                        *ek = T::ZERO;
                        split = Some(floor + k);
                        break;
                    }
                }
            }
        }
        let lo = match split {
            Some(k) if k + 1 == hi => {
                hi -= 1;
                continue;
            }
            Some(k) => k + 1,
            None => floor,
        };
        floor = lo;
        if iterations == cap {
            return Err(Error::NoConvergence);
        }
        iterations += 1;
        if lo + 1 == hi {
            jacobi2(d, e, z, dim, lo);
            if lo == 0 {
                break;
            }
            hi = lo - 1;
        } else {
            qr_step(d, e, z, dim, lo, hi);
        }
    }
    Ok(iterations)
}

/// Rutishauser's rotation `(c, s, t = s/c)` diagonalizing `[a b; b d]` (`b ≠ 0`): the
/// eigenvalues are `a − t b` (row `(c, −s)`) and `d + t b` (row `(s, c)`).
#[inline(always)]
fn jacobi_rotation<T: Real>(a: T, b: T, d: T) -> (T, T, T) {
    // |θ| may overflow to ∞ for a tiny b; then t = 0, which is right to working precision.
    let theta = (d - a) / (T::TWO * b);
    let t = theta.signum() / (theta.abs() + (theta * theta + T::ONE).sqrt());
    let c = T::ONE / (t * t + T::ONE).sqrt();
    (c, t * c, t)
}

/// Diagonalizes the 2×2 block `[d[i] e[i]; e[i] d[i+1]]` by one rotation.
fn jacobi2<T: Real, D: Dim>(d: &mut [T], e: &mut [T], z: &mut [T], dim: D, i: usize) {
    let n = dim.get();
    let (a, b, c) = (at(d, i), at(e, i), at(d, i + 1));
    let (cs, sn, t) = jacobi_rotation(a, b, c);
    put(d, i, a - t * b);
    put(d, i + 1, c + t * b);
    put(e, i, T::ZERO);
    if let Some((p, q)) = row_pair(z, n, i) {
        rotate_rows(p, q, cs, -sn);
    }
}

/// `(p, q) ← (c p + s q, c q − s p)`.
#[inline(always)]
fn rotate_rows<T: Real>(p: &mut [T], q: &mut [T], c: T, s: T) {
    for (u, v) in p.iter_mut().zip(q.iter_mut()) {
        let (x, y) = (*u, *v);
        *u = c * x + s * y;
        *v = c * y - s * x;
    }
}

/// `(c, s, r)` with `c x + s z = r`, `−s x + c z = 0`, `c² + s² = 1`.
#[inline(always)]
fn givens<T: Real>(x: T, z: T) -> (T, T, T) {
    let r2 = x * x + z * z;
    // Below this the square has lost precision to underflow (or x = z = 0).
    if r2 >= T::MIN_POSITIVE_R / T::EPSILON_R {
        let r = r2.sqrt();
        let inv = T::ONE / r;
        (x * inv, z * inv, r)
    } else {
        givens_tiny(x, z)
    }
}

/// [`givens`] for `x² + z²` near or below underflow (`x = z = 0` included).
#[cold]
#[inline(never)]
fn givens_tiny<T: Real>(x: T, z: T) -> (T, T, T) {
    let t = x.abs().max(z.abs());
    if t == T::ZERO {
        return (T::ONE, T::ZERO, x);
    }
    // Scaled by the larger magnitude, so neither square underflows.
    let (xs, zs) = (x / t, z / t);
    let r = t * (xs * xs + zs * zs).sqrt();
    (x / r, z / r, r)
}

/// One implicit QR step with Wilkinson shift on the unreduced block `lo..=hi` (`hi ≥ lo + 2`).
/// The chase walks the block with running references, so the loop indexes nothing.
fn qr_step<T: Real, D: Dim>(d: &mut [T], e: &mut [T], z: &mut [T], dim: D, lo: usize, hi: usize) {
    let n = dim.get();
    let (Some(d), Some(e), Some(z)) = (d.get_mut(lo..=hi), e.get_mut(lo..hi), z.get_mut(lo * n..))
    else {
        return;
    };
    let m = e.len();
    // The eigenvalue of the trailing 2×2 nearer to its last diagonal entry.
    let (a, b, c) = (at(d, m - 1), at(e, m - 1), at(d, m));
    let delta = T::HALF * (a - c);
    let r = (delta * delta + b * b).sqrt();
    let den = if delta >= T::ZERO {
        delta + r
    } else {
        delta - r
    };
    let shift = c - b * (b / den);
    let (Some((d_first, d_rest)), Some((e_first, e_rest))) =
        (d.split_first_mut(), e.split_first_mut())
    else {
        return;
    };
    let mut zs = rows_mut(z, n);
    let Some(mut z_k) = zs.next() else {
        return;
    };
    // Running state: the current d[k] and e[k], the slots of d[k], e[k−1] and e[k].
    let mut dk = *d_first;
    let mut ek = *e_first;
    let mut d_k: &mut T = d_first;
    let mut spare = T::ZERO;
    let mut e_prev: &mut T = &mut spare;
    let mut e_k: &mut T = e_first;
    let mut e_next = e_rest.iter_mut();
    let mut x = dk - shift;
    let mut bulge = ek;
    for (d_k1, z_k1) in d_rest.iter_mut().zip(zs) {
        let (cs, sn, r) = givens(x, bulge);
        *e_prev = r;
        // [d_k e_k; e_k d_k+1] ← Gᵀ[…]G, G = [c −s; s c].
        let dk1 = *d_k1;
        let g = sn * (dk - dk1) - T::TWO * cs * ek;
        let q = sn * g;
        *d_k = dk - q;
        dk = dk1 + q;
        d_k = d_k1;
        let ek_new = -(cs * g + ek);
        match e_next.next() {
            Some(slot) => {
                let next = *slot;
                bulge = sn * next;
                ek = cs * next;
                x = ek_new;
                e_prev = e_k;
                e_k = slot;
            }
            None => *e_k = ek_new,
        }
        rotate_rows(z_k, z_k1, cs, sn);
        z_k = z_k1;
    }
    *d_k = dk;
}

/// Selection sort of `values` ascending, permuting the rows of `vectors` alike.
fn sort_ascending<T: Real, D: Dim>(values: &mut [T], vectors: &mut [T], dim: D) {
    let n = dim.get();
    for i in 0..n {
        let Some((first, rest)) = values.get_mut(i..).and_then(|v| v.split_first_mut()) else {
            return;
        };
        let mut min = *first;
        let mut k = 0;
        for (j, &v) in rest.iter().enumerate() {
            if v < min {
                min = v;
                k = j + 1;
            }
        }
        if k == 0 {
            continue;
        }
        if let Some(slot) = rest.get_mut(k - 1) {
            *slot = *first;
            *first = min;
        }
        // Row i ends before row i + k starts.
        if let Some((upper, lower)) = vectors.split_at_mut_checked((i + k) * n) {
            if let (Some(ri), Some(rk)) = (upper.get_mut(i * n..(i + 1) * n), lower.get_mut(..n)) {
                ri.iter_mut()
                    .zip(rk.iter_mut())
                    .for_each(|(x, y)| core::mem::swap(x, y));
            }
        }
    }
}

/// Typed eigen-decomposition of a symmetric `N×N` matrix: values ascending, `vectors[k]` the
/// unit eigenvector of `values[k]`.
///
/// [`SymEigen::new`] returns a fresh value; [`SymEigen::decompose`] fills an existing one in
/// place, using no matrix-sized memory besides it (the scratch is one `[T; N]`).
///
/// The kernel of [`sym_eigen`] is compiled here for the constant `N`, with the same results bit
/// for bit and fewer instructions. Each size used links its own copy, so a firmware that
/// decomposes many sizes may prefer [`sym_eigen`], which is one copy for all.
///
/// ```
/// use lossmap::linalg::SymEigen;
/// let e = SymEigen::new(&[[4.0f64, 0.0], [0.0, -1.0]]).unwrap();
/// assert_eq!(e.values, [-1.0, 4.0]);
/// assert_eq!(e.vectors[0].map(f64::abs), [0.0, 1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SymEigen<T: Real, const N: usize> {
    /// Eigenvalues, ascending.
    pub values: [T; N],
    /// Unit eigenvectors as rows: `vectors[k]` belongs to `values[k]`.
    pub vectors: [[T; N]; N],
    /// Iterations used: implicit QR steps plus closed-form 2×2 blocks (see [`sym_eigen`]).
    pub sweeps: usize,
}

impl<T: Real, const N: usize> Default for SymEigen<T, N> {
    /// All zeros: storage for [`SymEigen::decompose`].
    fn default() -> Self {
        SymEigen {
            values: [T::ZERO; N],
            vectors: [[T::ZERO; N]; N],
            sweeps: 0,
        }
    }
}

impl<T: Real, const N: usize> SymEigen<T, N> {
    /// Decomposes `a`; see [`sym_eigen`] for the errors.
    pub fn new(a: &[[T; N]; N]) -> Result<Self, Error> {
        let mut out = Self::default();
        out.decompose(a)?;
        Ok(out)
    }

    /// Decomposes `a` into `self`, in place; see [`sym_eigen`] for the errors. On an error found
    /// on entry `self` is unchanged; after [`Error::NoConvergence`] it holds intermediate values.
    ///
    /// ```
    /// use lossmap::linalg::SymEigen;
    /// let mut e = SymEigen::<f64, 2>::default();
    /// e.decompose(&[[2.0, 1.0], [1.0, 2.0]]).unwrap();
    /// assert!((e.values[0] - 1.0).abs() < 1e-15 && (e.values[1] - 3.0).abs() < 1e-15);
    /// ```
    pub fn decompose(&mut self, a: &[[T; N]; N]) -> Result<(), Error> {
        let (a, z) = (a.as_flattened(), self.vectors.as_flattened_mut());
        self.sweeps = match closed2(a, &mut self.values, z) {
            Some(r) => r?,
            None => decompose(a, Fixed::<N>, &mut [T::ZERO; N], &mut self.values, z)?,
        };
        Ok(())
    }

    /// Largest |eigenvalue| / smallest |eigenvalue| (∞ when singular).
    pub fn condition_number(&self) -> T {
        let mut lo = T::MAX_R;
        let mut hi = T::ZERO;
        for &v in &self.values {
            lo = lo.min(v.abs());
            hi = hi.max(v.abs());
        }
        if lo == T::ZERO {
            T::MAX_R
        } else {
            hi / lo
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_by_three_closed_form() {
        // Tridiagonal [2 -1 0; -1 2 -1; 0 -1 2]: eigenvalues 2 - √2, 2, 2 + √2.
        let e = SymEigen::new(&[[2.0f64, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]]).unwrap();
        let r2 = core::f64::consts::SQRT_2;
        for (got, want) in e.values.iter().zip([2.0 - r2, 2.0, 2.0 + r2]) {
            assert!((got - want).abs() < 1e-14, "{got} vs {want}");
        }
        // Eigenvector of 2: (1, 0, -1)/√2 up to sign.
        let v = e.vectors[1];
        assert!((v[0].abs() - 0.5f64.sqrt()).abs() < 1e-14 && v[1].abs() < 1e-14);
        assert!((v[0] + v[2]).abs() < 1e-14);
    }

    #[test]
    fn rejects_bad_input_without_writing() {
        let mut w = [7.0f64; 4];
        let mut vals = [7.0f64; 2];
        let mut vecs = [7.0f64; 4];
        let cases: [(&[f64], usize, Error); 4] = [
            (&[1.0, 2.0, 3.0, 1.0], 2, Error::NotSymmetric),
            (&[1.0, f64::NAN, f64::NAN, 1.0], 2, Error::NonFiniteInput),
            (&[1.0, 0.0, 0.0], 2, Error::LengthMismatch),
            (&[], 0, Error::Empty),
        ];
        for (a, n, err) in cases {
            assert_eq!(sym_eigen(a, n, &mut w, &mut vals, &mut vecs), Err(err));
        }
        assert_eq!((w, vals, vecs), ([7.0; 4], [7.0; 2], [7.0; 4]));
        let mut e = SymEigen::<f64, 2> {
            values: [7.0; 2],
            vectors: [[7.0; 2]; 2],
            sweeps: 7,
        };
        let before = e;
        assert_eq!(
            e.decompose(&[[1.0, 2.0], [3.0, 1.0]]),
            Err(Error::NotSymmetric)
        );
        assert_eq!(
            e.decompose(&[[1.0, f64::INFINITY], [f64::INFINITY, 1.0]]),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(e, before);
    }

    #[test]
    fn two_by_two_slice_path_matches_the_closed_form_bit_for_bit() {
        // Random, graded, near-diagonal, exactly and nearly symmetric, scaled to both ends of
        // the range: the QR path of `sym_eigen` and `SymEigen<_, 2>`'s closed form agree.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let mut checked = 0;
        for k in 0..400 {
            let (p, b, q) = (next(), next(), next());
            let scale = [1.0, 1e-300, 1e300, 1e-160, 1e150, 3.0][k % 6];
            let b = if k % 7 == 0 { b * 1e-12 } else { b };
            let asym = if k % 5 == 0 { 1.0 + 1e-12 } else { 1.0 };
            let a = [p * scale, b * scale, b * scale * asym, q * scale];
            let (mut w, mut vals, mut vecs) = ([0.0; 4], [0.0; 2], [0.0; 4]);
            let slice = sym_eigen(&a, 2, &mut w, &mut vals, &mut vecs);
            let typed = SymEigen::<f64, 2>::new(&[[a[0], a[1]], [a[2], a[3]]]);
            match (slice, typed) {
                (Ok(it), Ok(e)) => {
                    assert_eq!(it, e.sweeps, "{a:?}");
                    assert_eq!(vals.map(f64::to_bits), e.values.map(f64::to_bits), "{a:?}");
                    let flat = [e.vectors[0], e.vectors[1]].concat();
                    for (x, y) in vecs.iter().zip(&flat) {
                        assert_eq!(x.to_bits(), y.to_bits(), "{a:?}");
                    }
                    checked += 1;
                }
                (s, t) => assert_eq!(s.err(), t.err(), "{a:?}"),
            }
        }
        assert!(checked > 390);
        // f32 too, and the all-MAX matrix whose eigenvalue 2·MAX is out of range.
        let a = [0.75f32, -0.5, -0.5, 0.25];
        let (mut w, mut vals, mut vecs) = ([0.0f32; 4], [0.0; 2], [0.0; 4]);
        sym_eigen(&a, 2, &mut w, &mut vals, &mut vecs).unwrap();
        let e = SymEigen::<f32, 2>::new(&[[0.75, -0.5], [-0.5, 0.25]]).unwrap();
        assert_eq!(
            (vals, vecs),
            (
                e.values,
                [e.vectors[0], e.vectors[1]]
                    .concat()
                    .try_into()
                    .unwrap_or([0.0; 4])
            )
        );
        let m = f64::MAX;
        assert_eq!(
            sym_eigen(&[m; 4], 2, &mut [0.0; 4], &mut [0.0; 2], &mut [0.0; 4]),
            Err(Error::NonFiniteInput)
        );
        assert_eq!(SymEigen::new(&[[m; 2]; 2]), Err(Error::NonFiniteInput));
    }

    #[test]
    fn zero_matrix_is_already_diagonal() {
        let e = SymEigen::new(&[[0.0f32; 3]; 3]).unwrap();
        assert_eq!(e.values, [0.0; 3]);
        assert_eq!(e.sweeps, 0);
        let e = SymEigen::new(&[[0.0f64; 5]; 5]).unwrap();
        assert_eq!(
            e.vectors,
            core::array::from_fn(|i| core::array::from_fn(|j| if i == j { 1.0 } else { 0.0 }))
        );
    }

    #[test]
    fn work_needs_only_n_entries_inside() {
        let a = [4.0f64, 1.0, 0.5, 1.0, 3.0, 0.25, 0.5, 0.25, 2.0];
        let (mut vals, mut vecs) = ([0.0; 3], [0.0; 9]);
        let mut scratch = [0.0; 3];
        decompose(&a, Dyn(3), &mut scratch, &mut vals, &mut vecs).unwrap();
        let (mut w, mut vals2, mut vecs2) = ([9.0; 9], [0.0; 3], [0.0; 9]);
        sym_eigen(&a, 3, &mut w, &mut vals2, &mut vecs2).unwrap();
        assert_eq!((vals, vecs), (vals2, vecs2));
        assert_eq!(w[3..], [9.0; 6]);
        assert_eq!(
            decompose(&a, Dyn(3), &mut [0.0; 2], &mut vals, &mut vecs),
            Err(Error::LengthMismatch)
        );
    }
}
