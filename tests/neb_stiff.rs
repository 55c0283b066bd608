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
fn run<const N: usize, const IMAGES: usize>(
    land: Valley<N>,
    (xa, xb, xs): (f64, f64, f64),
    name: &str,
) -> Neb<f64, N, IMAGES> {
    let (a, b, s) = (land.point(xa), land.point(xb), land.point(xs));
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
        "{name} s={:e} IMAGES={IMAGES} {xa}->{xb}: converged {} in {} iterations, {} grads, \
         λ_max {:.3e}, saddle rel. error {err:.1e}, barrier {:.6e} (exact {:.6e}), highest other \
         image {:.3e} of the barrier, kinks {}",
        land.scale,
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
    assert_eq!(r.kinks, 0, "{name}");
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
/// |b − a|) at every scale.
fn check_all<const N: usize, const IMAGES: usize>(make: fn(f64) -> Valley<N>, name: &str) {
    for pair in pairs(make(1.0).kind) {
        let base = run::<N, IMAGES>(make(1.0), pair, name);
        let span = dist(&base.path[0], &base.path[IMAGES - 1]);
        for scale in [1e-3, 1e3] {
            let band = run::<N, IMAGES>(make(scale), pair, name);
            let moved = base
                .path
                .iter()
                .zip(&band.path)
                .map(|(x, y)| dist(x, y))
                .fold(0.0, f64::max);
            println!(
                "  scale {scale:e}: path differs by {:.1e} of |b − a|",
                moved / span
            );
            assert!(moved < 1e-6 * span, "{name} scale {scale}: {moved}");
            assert_eq!(band.report.converged, base.report.converged);
        }
    }
}

#[test]
fn banana_9() {
    check_all::<2, 9>(banana, "banana");
}
#[test]
fn banana_17() {
    check_all::<2, 17>(banana, "banana");
}
#[test]
fn triple_well_2d_9() {
    check_all::<2, 9>(triple2, "triple2");
}
#[test]
fn triple_well_2d_17() {
    check_all::<2, 17>(triple2, "triple2");
}
#[test]
fn triple_well_4d_9() {
    check_all::<4, 9>(triple4, "triple4");
}
#[test]
fn triple_well_4d_17() {
    check_all::<4, 17>(triple4, "triple4");
}
