//! Nudged elastic band on stiff landscapes with DEFAULT settings: curvatures 1e3–1e5, each loss
//! also scaled by 1e-3 and 1e3 (curvatures from 1 to 1e8), 9 and 17 images, in 2-D and 4-D.
//!
//! The landscapes are valleys `E(x) = s·[A·p(x₀) + Σⱼ Bⱼ (xⱼ − gⱼ(x₀))²]`: on the valley floor
//! `xⱼ = gⱼ(x₀)` the stiff terms and their gradients vanish, and off it the `xⱼ`-gradient does
//! not, so the critical points are exactly the points of the floor where `p′(x₀) = 0`: minima
//! where `p″ > 0`, index-1 saddles where `p″ < 0` (the Hessian's determinant is
//! `s^N·A p″·Π 2Bⱼ`). The saddles are therefore known in closed form, and `classify_at` confirms
//! each one. The valleys are curved (`gⱼ` non-linear), so the straight band starts far up the
//! stiff walls (energies up to ~1e4·s) and must bend onto the floor.
//!
//! * `banana`: `p = (x² − 1)²`, A = 125, one valley `g = x²`, B = 5e4: minima (±1, 1) with
//!   curvatures ≈ 1e3 and 1e5, saddle (0, 0) (a stiff Rosenbrock-like valley double well).
//! * `triple2`: `p = x²(x² − 1)²`, A = 500, `g = ½ sin(3x + ½)`, B = 5e4: minima at x₀ = −1, 0, 1,
//!   saddles at x₀ = ±1/√3 (the phase ½ makes the two pairs differ).
//! * `stiff MB`: the Müller–Brown potential on stretched coordinates, `MB(2x, 6y)`, its
//!   critical points refined by Newton's method in the test: curvatures ≈ 1e3–1.5e5.
//! * `triple4`: the same `p` in 4-D with `g = (½ sin(3x + ½), 0.3x², −0.4x³)` and B = (5e2, 5e3, 5e4).

use lossmap::landscape::{classify_at, neb, CriticalPoint, Neb, NebConfig, Tolerance};
use lossmap::{Error, Objective};

#[derive(Clone, Copy)]
struct Valley<const N: usize> {
    /// Loss scale `s`.
    scale: f64,
    /// 0: banana double well; 1: triple well.
    kind: u8,
    a: f64,
    b: [f64; 3],
}

impl<const N: usize> Valley<N> {
    fn p(&self, x: f64) -> (f64, f64) {
        match self.kind {
            0 => ((x * x - 1.0).powi(2), 4.0 * x * (x * x - 1.0)),
            _ => {
                let u = x * x - 1.0;
                (x * x * u * u, 2.0 * x * u * u + 4.0 * x * x * x * u)
            }
        }
    }
    /// `gⱼ(x)` and `gⱼ′(x)` for j = 1..N−1.
    fn g(&self, j: usize, x: f64) -> (f64, f64) {
        match (self.kind, j) {
            (0, _) => (x * x, 2.0 * x),
            (_, 1) => (0.5 * (3.0 * x + 0.5).sin(), 1.5 * (3.0 * x + 0.5).cos()),
            (_, 2) => (0.3 * x * x, 0.6 * x),
            _ => (-0.4 * x * x * x, -1.2 * x * x),
        }
    }
    fn point(&self, x0: f64) -> [f64; N] {
        let mut p = [x0; N];
        for (j, v) in p.iter_mut().enumerate().skip(1) {
            *v = self.g(j, x0).0;
        }
        p
    }
}

impl<const N: usize> Objective<f64, N> for Valley<N> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        let mut e = self.a * self.p(x[0]).0;
        for j in 1..N {
            let r = x[j] - self.g(j, x[0]).0;
            e += self.b[j - 1] * r * r;
        }
        self.scale * e
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        g[0] = self.a * self.p(x[0]).1;
        for j in 1..N {
            let (gj, dgj) = self.g(j, x[0]);
            let r = x[j] - gj;
            g[j] = 2.0 * self.b[j - 1] * r;
            g[0] -= 2.0 * self.b[j - 1] * r * dgj;
        }
        g.iter_mut().for_each(|v| *v *= self.scale);
        Ok(0)
    }
}

fn banana(scale: f64) -> Valley<2> {
    Valley {
        scale,
        kind: 0,
        a: 125.0,
        b: [5e4, 0.0, 0.0],
    }
}
fn triple2(scale: f64) -> Valley<2> {
    Valley {
        scale,
        kind: 1,
        a: 500.0,
        b: [5e4, 0.0, 0.0],
    }
}
fn triple4(scale: f64) -> Valley<4> {
    Valley {
        scale,
        kind: 1,
        a: 500.0,
        b: [5e2, 5e3, 5e4],
    }
}

/// `(a, b, saddle)` in x₀ for the pairs of neighbouring minima of a landscape kind.
fn pairs(kind: u8) -> Vec<(f64, f64, f64)> {
    let r = 1.0 / 3f64.sqrt();
    match kind {
        0 => vec![(-1.0, 1.0, 0.0)],
        _ => vec![(-1.0, 0.0, -r), (0.0, 1.0, r)],
    }
}

fn dist<const N: usize>(x: &[f64; N], y: &[f64; N]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Runs the default NEB on one pair and checks convergence, the saddle (1e-6 of |b − a|), its
/// classification, no fold-back; returns the band.
fn run<O: Objective<f64, N> + Copy, const N: usize, const IMAGES: usize>(
    land: O,
    [a, b, s]: [[f64; N]; 3],
    name: &str,
    scale: f64,
) -> Neb<f64, N, IMAGES> {
    let (xa, xb) = (a[0], b[0]);
    let mut o = land;
    let band = neb::<f64, _, N, IMAGES>(&mut o, &a, &b, &NebConfig::default()).unwrap();
    let r = band.report;
    let span = dist(&a, &b);
    let err = dist(&band.saddle, &s) / span;
    let e_s = o.value(&s);
    let barrier = e_s - o.value(&a).max(o.value(&b));
    let top_other = band
        .energies
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != r.climbing)
        .fold(f64::NEG_INFINITY, |m, (_, &e)| m.max(e));
    println!(
        "{name} s={scale:e} IMAGES={IMAGES} {xa:.3}->{xb:.3}: converged {} in {} iterations, {} grads, \
         λ_max {:.3e}, saddle rel. error {err:.1e}, barrier {:.6e} (exact {:.6e}), highest other \
         image {:.3e} of the barrier, kinks {}",
        r.converged,
        r.iterations,
        r.grad_evals,
        r.curvature,
        r.barrier_from_a,
        e_s - o.value(&a),
        (top_other - o.value(&a).max(o.value(&b))) / barrier,
        r.kinks,
    );
    assert!(r.converged && r.climbed, "{name}: {r:?}");
    assert!(err < 1e-6, "{name}: saddle {:?} vs {s:?}", band.saddle);
    assert!(
        (r.barrier_from_a - (e_s - o.value(&a))).abs()
            <= 1e-6 * barrier.abs().max(e_s - o.value(&a))
    );
    assert!(
        band.energies.iter().all(|&e| e <= e_s + 1e-6 * barrier),
        "{name}: {:?}",
        band.energies
    );
    // The report's kinks, recounted; none away from the climbing image (where a coarse band
    // may turn sharply with the MEP at the saddle: the stretched Müller–Brown with 9 images).
    let turns: Vec<usize> = (1..IMAGES - 1)
        .filter(|&i| {
            let (p, c, q) = (band.path[i - 1], band.path[i], band.path[i + 1]);
            (0..N).map(|j| (q[j] - c[j]) * (c[j] - p[j])).sum::<f64>() < 0.0
        })
        .collect();
    assert_eq!(r.kinks, turns.len(), "{name}");
    assert!(
        turns.iter().all(|&i| i == r.climbing),
        "{name}: kinks at {turns:?}"
    );
    let tol = Tolerance {
        grad: 1e-6 * r.force_scale,
        ..Tolerance::default()
    };
    let (kind, c) = classify_at(&mut o, &band.saddle, &tol).unwrap();
    assert_eq!(
        kind,
        CriticalPoint::Saddle { index: 1 },
        "{name}: {:?}",
        c.eigen.values
    );
    band
}

/// Every pair at loss scales 1e-3, 1, 1e3: the same convergence and the same path (to 1e-6 of
/// |b − a|) at every scale. `make(scale)` builds the landscape and its `[a, b, saddle]` triples.
fn check_all<O: Objective<f64, N> + Copy, const N: usize, const IMAGES: usize>(
    make: impl Fn(f64) -> (O, Vec<[[f64; N]; 3]>),
    name: &str,
) {
    let (_, triples) = make(1.0);
    for (k, points) in triples.into_iter().enumerate() {
        let base = run::<O, N, IMAGES>(make(1.0).0, points, name, 1.0);
        let span = dist(&points[0], &points[1]);
        for scale in [1e-3, 1e3] {
            let band = run::<O, N, IMAGES>(make(scale).0, points, name, scale);
            let moved = base
                .path
                .iter()
                .zip(&band.path)
                .map(|(x, y)| dist(x, y))
                .fold(0.0, f64::max);
            println!(
                "  pair {k}, scale {scale:e}: path differs by {:.1e} of |b − a|",
                moved / span
            );
            assert!(moved < 1e-6 * span, "{name} scale {scale}: {moved}");
            assert_eq!(band.report.converged, base.report.converged);
            // Scale-free in exact arithmetic; rounding in the finite-difference Hessian–vector
            // products of the climbing mode can shift the last FIRE restarts a little.
            let (i0, i1) = (base.report.iterations, band.report.iterations);
            assert!(
                i0.abs_diff(i1) * 10 <= i0,
                "{name} scale {scale}: {i0} vs {i1} iterations"
            );
        }
    }
}

/// A valley landscape with its pairs of neighbouring minima and their saddles.
fn valley<const N: usize>(v: Valley<N>) -> (Valley<N>, Vec<[[f64; N]; 3]>) {
    let t = pairs(v.kind)
        .into_iter()
        .map(|(a, b, s)| [v.point(a), v.point(b), v.point(s)])
        .collect();
    (v, t)
}

#[test]
fn banana_9() {
    check_all::<_, 2, 9>(|s| valley(banana(s)), "banana");
}
#[test]
fn banana_17() {
    check_all::<_, 2, 17>(|s| valley(banana(s)), "banana");
}
#[test]
fn triple_well_2d_9() {
    check_all::<_, 2, 9>(|s| valley(triple2(s)), "triple2");
}
#[test]
fn triple_well_2d_17() {
    check_all::<_, 2, 17>(|s| valley(triple2(s)), "triple2");
}
#[test]
fn triple_well_4d_9() {
    check_all::<_, 4, 9>(|s| valley(triple4(s)), "triple4");
}
#[test]
fn triple_well_4d_17() {
    check_all::<_, 4, 17>(|s| valley(triple4(s)), "triple4");
}

/// The Müller–Brown potential (Müller & Brown, Theor. Chim. Acta 53, 75 (1979)) on stretched
/// coordinates, `E(x, y) = s·MB(2x, 6y)`: the curvatures at its minima and saddles, 2e2–4e3 in
/// MB's own coordinates, become ≈ 1e3–1.5e5 and strongly anisotropic.
#[derive(Clone, Copy)]
struct StiffMb {
    scale: f64,
}

const MB_A: [f64; 4] = [-200.0, -100.0, -170.0, 15.0];
const MB_SA: [f64; 4] = [-1.0, -1.0, -6.5, 0.7];
const MB_SB: [f64; 4] = [0.0, 0.0, 11.0, 0.6];
const MB_SC: [f64; 4] = [-10.0, -10.0, -6.5, 0.7];
const MB_X0: [f64; 4] = [1.0, 0.0, -0.5, -1.0];
const MB_Y0: [f64; 4] = [0.0, 0.5, 1.5, 1.0];
const MB_STRETCH: [f64; 2] = [2.0, 6.0];

/// MB's value, gradient and Hessian at `(u, v)`, its own coordinates.
fn mb(u: f64, v: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
    let (mut e, mut g, mut h) = (0.0, [0.0; 2], [[0.0; 2]; 2]);
    for k in 0..4 {
        let (dx, dy) = (u - MB_X0[k], v - MB_Y0[k]);
        let t = MB_A[k] * (MB_SA[k] * dx * dx + MB_SB[k] * dx * dy + MB_SC[k] * dy * dy).exp();
        let gx = 2.0 * MB_SA[k] * dx + MB_SB[k] * dy;
        let gy = MB_SB[k] * dx + 2.0 * MB_SC[k] * dy;
        e += t;
        g[0] += t * gx;
        g[1] += t * gy;
        h[0][0] += t * (gx * gx + 2.0 * MB_SA[k]);
        h[0][1] += t * (gx * gy + MB_SB[k]);
        h[1][1] += t * (gy * gy + 2.0 * MB_SC[k]);
    }
    h[1][0] = h[0][1];
    (e, g, h)
}

/// A critical point of MB refined by Newton's method from a literature estimate, mapped to
/// the stretched coordinates.
fn mb_critical(start: [f64; 2]) -> [f64; 2] {
    let [mut u, mut v] = start;
    for _ in 0..20 {
        let (_, g, h) = mb(u, v);
        let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
        u -= (h[1][1] * g[0] - h[0][1] * g[1]) / det;
        v -= (h[0][0] * g[1] - h[1][0] * g[0]) / det;
    }
    let (_, g, _) = mb(u, v);
    assert!(g[0].hypot(g[1]) < 1e-10, "Newton: {g:?}");
    [u / MB_STRETCH[0], v / MB_STRETCH[1]]
}

impl Objective<f64, 2> for StiffMb {
    fn value(&mut self, x: &[f64; 2]) -> f64 {
        self.scale * mb(MB_STRETCH[0] * x[0], MB_STRETCH[1] * x[1]).0
    }
    fn gradient(&mut self, x: &[f64; 2], g: &mut [f64; 2]) -> Result<usize, Error> {
        let (_, d, _) = mb(MB_STRETCH[0] * x[0], MB_STRETCH[1] * x[1]);
        *g = [
            self.scale * MB_STRETCH[0] * d[0],
            self.scale * MB_STRETCH[1] * d[1],
        ];
        Ok(0)
    }
}

/// The stiff Müller–Brown landscape with its two pairs of neighbouring minima: A (−0.558,
/// 1.442) ↔ B (−0.050, 0.467) over (−0.822, 0.624), and B ↔ C (0.623, 0.028) over (0.212,
/// 0.293) (MB coordinates; the minima and saddles of Müller & Brown 1979, Newton-refined).
fn stiff_mb(scale: f64) -> (StiffMb, Vec<[[f64; 2]; 3]>) {
    let [ma, mb_, mc] = [[-0.558, 1.442], [-0.050, 0.467], [0.623, 0.028]].map(mb_critical);
    let [s1, s2] = [[-0.822, 0.624], [0.212, 0.293]].map(mb_critical);
    (StiffMb { scale }, vec![[ma, mb_, s1], [mb_, mc, s2]])
}

#[test]
fn stiff_muller_brown_9() {
    check_all::<_, 2, 9>(stiff_mb, "stiff MB");
}
#[test]
fn stiff_muller_brown_17() {
    check_all::<_, 2, 17>(stiff_mb, "stiff MB");
}
