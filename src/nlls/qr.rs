//! The linear algebra of MINPACK's Levenberg–Marquardt (Moré 1978, §3–§5; MINPACK-1 `qrfac`,
//! `qrsolv`, `lmpar`), written for a row-major `m×n` Jacobian (`m ≥ n`) stored in `a`:
//!
//! * [`qrfac`]: Householder QR with column pivoting, `J P = Q R`;
//! * [`qtf`]: `Qᵀ f` from the stored Householder vectors, restoring `R`'s diagonal;
//! * [`qrsolv`]: the least-squares solution of `[R; √λ D Pᵀ]... ` by Givens rotations;
//! * [`lmpar`]: the damping `λ` with `‖D p‖ ≈ Δ` (Moré's safeguarded Newton iteration on
//!   `φ(λ) = ‖D p(λ)‖ − Δ`, at most 10 steps).
//!
//! Pivot indices are stored as values of `T` (exact: `n ≤ 2²⁴` is checked by the callers).

use crate::linalg::{at, put};
use crate::Real;

/// Largest `n` whose column indices `T` (f32 included) represents exactly.
pub(crate) const MAX_COLUMNS: usize = 1 << 24;

#[inline(always)]
pub(crate) fn idx<T: Real>(v: &[T], j: usize) -> usize {
    at(v, j).to_index()
}

/// Euclidean norm of the values `get(k)`, `k in 0..len`, scaled against over/underflow.
pub(crate) fn enorm_by<T: Real>(len: usize, get: impl Fn(usize) -> T) -> T {
    let mut scale = T::ZERO;
    for k in 0..len {
        let v = get(k);
        if v.is_nan() {
            return v;
        }
        scale = scale.max(v.abs());
    }
    if scale == T::ZERO || !scale.is_finite() {
        return scale;
    }
    let mut s = T::ZERO;
    for k in 0..len {
        let r = get(k) / scale;
        s += r * r;
    }
    scale * s.sqrt()
}

/// Norm of rows `from..m` of column `j` of the row-major `m×n` matrix `a`.
pub(crate) fn col_norm<T: Real>(a: &[T], m: usize, n: usize, j: usize, from: usize) -> T {
    enorm_by(m.saturating_sub(from), |k| at(a, (from + k) * n + j))
}

/// Householder QR with column pivoting of the row-major `m×n` matrix `a` (`m ≥ n`), in place:
/// on return the strict upper triangle of the leading `n×n` block holds `R`'s off-diagonal,
/// the lower trapezoid (diagonal included) the Householder vectors, `rdiag` the diagonal of
/// `R`, `acnorm` the column norms of the input, `ipvt` the permutation (column `j` of `R`
/// belongs to parameter `ipvt[j]`). `wa` is scratch (`n`).
pub(crate) fn qrfac<T: Real>(
    a: &mut [T],
    m: usize,
    n: usize,
    ipvt: &mut [T],
    rdiag: &mut [T],
    acnorm: &mut [T],
    wa: &mut [T],
) {
    let eps = T::EPSILON_R;
    for j in 0..n {
        let c = col_norm(a, m, n, j, 0);
        put(acnorm, j, c);
        put(rdiag, j, c);
        put(wa, j, c);
        put(ipvt, j, T::from_usize(j));
    }
    for j in 0..n.min(m) {
        // Bring the column of largest remaining norm to the pivot position.
        let mut kmax = j;
        for k in j..n {
            if at(rdiag, k) > at(rdiag, kmax) {
                kmax = k;
            }
        }
        if kmax != j {
            for i in 0..m {
                let t = at(a, i * n + j);
                put(a, i * n + j, at(a, i * n + kmax));
                put(a, i * n + kmax, t);
            }
            put(rdiag, kmax, at(rdiag, j));
            put(wa, kmax, at(wa, j));
            let t = at(ipvt, j);
            put(ipvt, j, at(ipvt, kmax));
            put(ipvt, kmax, t);
        }
        // The Householder transformation that zeroes column j below the diagonal.
        let mut ajnorm = col_norm(a, m, n, j, j);
        if ajnorm != T::ZERO {
            if at(a, j * n + j) < T::ZERO {
                ajnorm = -ajnorm;
            }
            for i in j..m {
                put(a, i * n + j, at(a, i * n + j) / ajnorm);
            }
            let ajj = at(a, j * n + j) + T::ONE;
            put(a, j * n + j, ajj);
            for k in j + 1..n {
                let mut sum = T::ZERO;
                for i in j..m {
                    sum += at(a, i * n + j) * at(a, i * n + k);
                }
                let temp = sum / ajj;
                for i in j..m {
                    put(a, i * n + k, at(a, i * n + k) - temp * at(a, i * n + j));
                }
                let rk = at(rdiag, k);
                if rk != T::ZERO {
                    let t = at(a, j * n + k) / rk;
                    let mut r = rk * (T::ONE - t * t).max(T::ZERO).sqrt();
                    let q = r / at(wa, k);
                    if T::from_f64(0.05) * q * q <= eps {
                        r = col_norm(a, m, n, k, j + 1);
                        put(wa, k, r);
                    }
                    put(rdiag, k, r);
                }
            }
        }
        put(rdiag, j, -ajnorm);
    }
}

/// Applies the Householder vectors left by [`qrfac`] to `f` (`m`, overwritten with `Qᵀf`),
/// copies its first `n` entries to `qtf`, and puts `R`'s diagonal (`rdiag`) back on the
/// diagonal of `a`.
pub(crate) fn qtf<T: Real>(
    a: &mut [T],
    m: usize,
    n: usize,
    rdiag: &[T],
    f: &mut [T],
    qtf: &mut [T],
) {
    for j in 0..n {
        let ajj = at(a, j * n + j);
        if ajj != T::ZERO {
            let mut sum = T::ZERO;
            for i in j..m {
                sum += at(a, i * n + j) * at(f, i);
            }
            let temp = -sum / ajj;
            for i in j..m {
                put(f, i, at(f, i) + at(a, i * n + j) * temp);
            }
        }
        put(a, j * n + j, at(rdiag, j));
        put(qtf, j, at(f, j));
    }
}

/// Solves `R z = qtb` by back substitution over the leading non-singular block of `R` (the
/// rest of `z` zero) and un-permutes: `x[ipvt[j]] = z[j]`, the Gauss–Newton step (negated).
/// `z` is scratch.
pub(crate) fn gauss_newton_solve<T: Real>(
    a: &[T],
    n: usize,
    ipvt: &[T],
    qtb: &[T],
    x: &mut [T],
    z: &mut [T],
) {
    let mut nsing = n;
    for j in 0..n {
        put(z, j, at(qtb, j));
        if at(a, j * n + j) == T::ZERO && nsing == n {
            nsing = j;
        }
        if nsing < n {
            put(z, j, T::ZERO);
        }
    }
    for k in (0..nsing).rev() {
        let zk = at(z, k) / at(a, k * n + k);
        put(z, k, zk);
        for i in 0..k {
            put(z, i, at(z, i) - at(a, i * n + k) * zk);
        }
    }
    for j in 0..n {
        put(x, idx(ipvt, j), at(z, j));
    }
}

/// MINPACK `qrsolv`: given `R` (upper triangle of `a`'s leading block), the permutation, the
/// diagonal `d` and `qtb`, solves `min ‖[J; D] x − [f; 0]‖` in the least-squares sense via
/// Givens rotations. The strict lower triangle of `a`'s block receives the transposed strict
/// upper triangle of the new triangular factor `S`, `sdiag` its diagonal. `wa` is scratch.
#[allow(clippy::too_many_arguments)]
pub(crate) fn qrsolv<T: Real>(
    a: &mut [T],
    n: usize,
    ipvt: &[T],
    d: &[T],
    qtb: &[T],
    x: &mut [T],
    sdiag: &mut [T],
    wa: &mut [T],
) {
    for j in 0..n {
        for i in j..n {
            put(a, i * n + j, at(a, j * n + i));
        }
        put(x, j, at(a, j * n + j));
        put(wa, j, at(qtb, j));
    }
    for j in 0..n {
        let l = idx(ipvt, j);
        let dl = at(d, l);
        if dl != T::ZERO {
            for k in j..n {
                put(sdiag, k, T::ZERO);
            }
            put(sdiag, j, dl);
            let mut qtbpj = T::ZERO;
            for k in j..n {
                let sk = at(sdiag, k);
                if sk == T::ZERO {
                    continue;
                }
                let rkk = at(a, k * n + k);
                let (sin, cos) = if rkk.abs() < sk.abs() {
                    let cotan = rkk / sk;
                    let s =
                        T::HALF / (T::from_f64(0.25) + T::from_f64(0.25) * cotan * cotan).sqrt();
                    (s, s * cotan)
                } else {
                    let tan = sk / rkk;
                    let c = T::HALF / (T::from_f64(0.25) + T::from_f64(0.25) * tan * tan).sqrt();
                    (c * tan, c)
                };
                put(a, k * n + k, cos * rkk + sin * sk);
                let wk = at(wa, k);
                put(wa, k, cos * wk + sin * qtbpj);
                qtbpj = -sin * wk + cos * qtbpj;
                for i in k + 1..n {
                    let rik = at(a, i * n + k);
                    let si = at(sdiag, i);
                    put(a, i * n + k, cos * rik + sin * si);
                    put(sdiag, i, -sin * rik + cos * si);
                }
            }
        }
        put(sdiag, j, at(a, j * n + j));
        put(a, j * n + j, at(x, j));
    }
    let mut nsing = n;
    for j in 0..n {
        if at(sdiag, j) == T::ZERO && nsing == n {
            nsing = j;
        }
        if nsing < n {
            put(wa, j, T::ZERO);
        }
    }
    for k in (0..nsing).rev() {
        let mut sum = T::ZERO;
        for i in k + 1..nsing {
            sum += at(a, i * n + k) * at(wa, i);
        }
        put(wa, k, (at(wa, k) - sum) / at(sdiag, k));
    }
    for j in 0..n {
        put(x, idx(ipvt, j), at(wa, j));
    }
}

/// MINPACK `lmpar`: the Levenberg–Marquardt parameter `par ≥ 0` and the step `x` (negated:
/// the step is `−x`) with `‖D x‖ ≤ 1.1 Δ` and, when `par > 0`, `|‖D x‖ − Δ| ≤ 0.1 Δ`
/// (Moré 1978, Algorithm 5.5). `par` is the start estimate in and the result out. Scratch:
/// `sdiag`, `wa1`, `wa2` (`n` each).
#[allow(clippy::too_many_arguments)]
pub(crate) fn lmpar<T: Real>(
    a: &mut [T],
    n: usize,
    ipvt: &[T],
    diag: &[T],
    qtb: &[T],
    delta: T,
    par: &mut T,
    x: &mut [T],
    sdiag: &mut [T],
    wa1: &mut [T],
    wa2: &mut [T],
) {
    let dwarf = T::MIN_POSITIVE_R;
    let p1 = T::from_f64(0.1);
    // The Gauss–Newton direction (a least-squares solution when R is singular).
    gauss_newton_solve(a, n, ipvt, qtb, x, wa1);
    let nsing = (0..n)
        .position(|j| at(a, j * n + j) == T::ZERO)
        .unwrap_or(n);
    for j in 0..n {
        put(wa2, j, at(diag, j) * at(x, j));
    }
    let mut dxnorm = enorm_by(n, |j| at(wa2, j));
    let mut fp = dxnorm - delta;
    if fp <= p1 * delta {
        *par = T::ZERO;
        return;
    }
    // Lower bound parl (zero when R is singular).
    let mut parl = T::ZERO;
    if nsing == n {
        for j in 0..n {
            let l = idx(ipvt, j);
            put(wa1, j, at(diag, l) * (at(wa2, l) / dxnorm));
        }
        for j in 0..n {
            let mut sum = T::ZERO;
            for i in 0..j {
                sum += at(a, i * n + j) * at(wa1, i);
            }
            put(wa1, j, (at(wa1, j) - sum) / at(a, j * n + j));
        }
        let temp = enorm_by(n, |j| at(wa1, j));
        parl = ((fp / delta) / temp) / temp;
    }
    // Upper bound paru.
    for j in 0..n {
        let mut sum = T::ZERO;
        for i in 0..=j {
            sum += at(a, i * n + j) * at(qtb, i);
        }
        put(wa1, j, sum / at(diag, idx(ipvt, j)));
    }
    let gnorm = enorm_by(n, |j| at(wa1, j));
    let mut paru = gnorm / delta;
    if paru == T::ZERO {
        paru = dwarf / delta.min(p1);
    }
    *par = par.max(parl).min(paru);
    if *par == T::ZERO {
        *par = gnorm / dxnorm;
    }
    let mut iter = 0usize;
    loop {
        iter += 1;
        if *par == T::ZERO {
            *par = dwarf.max(T::from_f64(0.001) * paru);
        }
        let s = par.sqrt();
        for j in 0..n {
            put(wa1, j, s * at(diag, j));
        }
        qrsolv(a, n, ipvt, wa1, qtb, x, sdiag, wa2);
        for j in 0..n {
            put(wa2, j, at(diag, j) * at(x, j));
        }
        dxnorm = enorm_by(n, |j| at(wa2, j));
        let temp = fp;
        fp = dxnorm - delta;
        if fp.abs() <= p1 * delta
            || (parl == T::ZERO && fp <= temp && temp < T::ZERO)
            || iter == 10
            || !fp.is_finite()
        {
            return;
        }
        // Newton correction.
        for j in 0..n {
            let l = idx(ipvt, j);
            put(wa1, j, at(diag, l) * (at(wa2, l) / dxnorm));
        }
        for j in 0..n {
            let w = at(wa1, j) / at(sdiag, j);
            put(wa1, j, w);
            for i in j + 1..n {
                put(wa1, i, at(wa1, i) - at(a, i * n + j) * w);
            }
        }
        let temp = enorm_by(n, |j| at(wa1, j));
        let parc = ((fp / delta) / temp) / temp;
        if fp > T::ZERO {
            parl = parl.max(*par);
        }
        if fp < T::ZERO {
            paru = paru.min(*par);
        }
        *par = parl.max(*par + parc);
    }
}
