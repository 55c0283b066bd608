//! Scale-free verdicts at a point: on functions the classification was not designed around
//! (|f| ≫ 1, large third derivatives, badly scaled parameters), every exact critical point gets
//! its closed-form kind in f64 with the loss multiplied by 1e-3, 1 and 1e3; in f32 the verdict
//! is the f64 one or `Undecided`, never a wrong kind; points that are not critical stay so at
//! every scale. Gradients and Hessians by finite differences (the objectives give values only).

use lossmap::landscape::{classify_at, CriticalPoint, Tolerance};
use lossmap::{Objective, Real};

/// `A + B Σ wᵢ (xᵢ³ − 3xᵢ)`: critical at `(±1, ±1, ±1)`, `∂ᵢᵢf = 6Bwᵢxᵢ`, so the index is the
/// number of coordinates at −1. |f| ≈ 1000, third derivatives 6Bwᵢ ≈ 180–420.
struct Cubic {
    scale: f64,
}
const CUBIC_W: [f64; 3] = [1.0, 0.6, 1.4];

impl<T: Real> Objective<T, 3> for Cubic {
    fn value(&mut self, x: &[T; 3]) -> T {
        let s = x.iter().zip(CUBIC_W).fold(T::ZERO, |a, (&xi, w)| {
            a + T::from_f64(50.0 * w) * (xi * xi * xi - T::from_f64(3.0) * xi)
        });
        T::from_f64(self.scale) * (T::from_f64(1000.0) + s)
    }
}

/// `C + Σ sᵢ (xᵢ⁴ − 2aᵢ²xᵢ²)`: critical at `xᵢ ∈ {−aᵢ, 0, aᵢ}`, index = number of zeros;
/// curvatures `8sᵢaᵢ²` and `−4sᵢaᵢ²` differ by 60× between the coordinates.
struct Quartic {
    scale: f64,
}
const QUARTIC_A: [f64; 2] = [1.5, 0.7];
const QUARTIC_S: [f64; 2] = [3.0, 0.2];

impl<T: Real> Objective<T, 2> for Quartic {
    fn value(&mut self, x: &[T; 2]) -> T {
        let mut s = T::from_f64(300.0);
        for ((&xi, a), w) in x.iter().zip(QUARTIC_A).zip(QUARTIC_S) {
            let x2 = xi * xi;
            s += T::from_f64(w) * (x2 * x2 - T::from_f64(2.0 * a * a) * x2);
        }
        T::from_f64(self.scale) * s
    }
}

/// `5 + 200 cos x cos 2y`: maxima and minima at `(kπ, mπ/2)`, saddles (eigenvalues ±400, zero
/// diagonal) at `(π/2 + kπ, π/4 + mπ/2)`.
struct Waves {
    scale: f64,
}

impl<T: Real> Objective<T, 2> for Waves {
    fn value(&mut self, x: &[T; 2]) -> T {
        T::from_f64(self.scale)
            * (T::from_f64(5.0) + T::from_f64(200.0) * x[0].cos() * (T::TWO * x[1]).cos())
    }
}

fn kind_of(index: usize, n: usize) -> CriticalPoint {
    match index {
        0 => CriticalPoint::Minimum,
        i if i == n => CriticalPoint::Maximum,
        i => CriticalPoint::Saddle { index: i },
    }
}

/// Every critical point of the three functions with its closed-form kind.
fn cases() -> Vec<(&'static str, Vec<f64>, CriticalPoint)> {
    let mut v = Vec::new();
    for m in 0..8u32 {
        let x: Vec<f64> = (0..3)
            .map(|i| if m >> i & 1 == 1 { -1.0 } else { 1.0 })
            .collect();
        v.push(("cubic", x, kind_of(m.count_ones() as usize, 3)));
    }
    for i in 0..3 {
        for j in 0..3 {
            let c = |k: usize, a: f64| [-a, 0.0, a][k];
            let x = vec![c(i, QUARTIC_A[0]), c(j, QUARTIC_A[1])];
            let zeros = usize::from(i == 1) + usize::from(j == 1);
            v.push(("quartic", x, kind_of(zeros, 2)));
        }
    }
    let pi = core::f64::consts::PI;
    for (x, k) in [
        ([0.0, 0.0], CriticalPoint::Maximum),
        ([pi, 0.0], CriticalPoint::Minimum),
        ([0.0, pi / 2.0], CriticalPoint::Minimum),
        ([pi / 2.0, pi / 4.0], CriticalPoint::Saddle { index: 1 }),
        ([-pi / 2.0, pi / 4.0], CriticalPoint::Saddle { index: 1 }),
    ] {
        v.push(("waves", x.to_vec(), k));
    }
    v
}

fn classify<T: Real>(name: &str, x: &[f64], scale: f64) -> CriticalPoint {
    let tol = Tolerance::<T>::default();
    let r = match name {
        "cubic" => {
            let p: [T; 3] = core::array::from_fn(|i| T::from_f64(x[i]));
            classify_at(&mut Cubic { scale }, &p, &tol).map(|r| r.0)
        }
        "quartic" => {
            let p = [T::from_f64(x[0]), T::from_f64(x[1])];
            classify_at(&mut Quartic { scale }, &p, &tol).map(|r| r.0)
        }
        _ => {
            let p = [T::from_f64(x[0]), T::from_f64(x[1])];
            classify_at(&mut Waves { scale }, &p, &tol).map(|r| r.0)
        }
    };
    r.unwrap()
}

const SCALES: [f64; 3] = [1e-3, 1.0, 1e3];

#[test]
fn f64_verdicts_are_exact_at_every_scale() {
    let mut wrong = Vec::new();
    for (name, x, want) in cases() {
        for s in SCALES {
            let got = classify::<f64>(name, &x, s);
            if got != want {
                wrong.push(format!("{name} {x:?} ×{s}: {got:?}, want {want:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn f32_verdicts_are_the_f64_ones_or_undecided() {
    let (mut decided, mut total) = (0, 0);
    let mut wrong = Vec::new();
    for (name, x, want) in cases() {
        for s in SCALES {
            total += 1;
            match classify::<f32>(name, &x, s) {
                got if got == want => decided += 1,
                CriticalPoint::Undecided { .. } => {}
                got => wrong.push(format!("{name} {x:?} ×{s}: {got:?}, want {want:?}")),
            }
        }
    }
    eprintln!("f32: {decided} of {total} decided, the rest undecided");
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Measured: 66 of 66 decided (with the truncation estimate as without it). The bound guards the figure against regression; it is not
    // derived.
    assert!(decided * 10 >= total * 8, "{decided} of {total}");
}

/// Points a little away from a critical point (a displacement of 1e-2 in each coordinate) are
/// not critical, at every scale and in both precisions.
#[test]
fn non_critical_points_stay_not_critical() {
    for (name, x, _) in cases() {
        let y: Vec<f64> = x.iter().map(|v| v + 1e-2).collect();
        for s in SCALES {
            assert_eq!(
                classify::<f64>(name, &y, s),
                CriticalPoint::NotCritical,
                "{name} {y:?} ×{s}"
            );
            assert_eq!(
                classify::<f32>(name, &y, s),
                CriticalPoint::NotCritical,
                "f32 {name} {y:?} ×{s}"
            );
        }
    }
}
