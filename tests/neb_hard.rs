//! Nudged elastic band with DEFAULT settings on the hard finite-difference set
//! (`tests/reference/fd_hard.py`): every pair of neighbouring minima of its functions, each
//! loss ×1e-3, ×1 and ×1e3, with 9 and 17 images, gradients by central differences of the loss
//! alone.
//!
//! The pairs come from `tests/reference/neb_hard.py` (`neb_hard.txt`): two minima are
//! neighbours when an index-1 saddle joins them, i.e. the two steepest-descent paths leaving the
//! saddle along its negative-curvature direction end at them (the minimum-energy path through
//! one saddle); critical points and paths from sympy's exact derivatives, 50-digit refinement.
//! 14 pairs on 5 functions: poly9 (1), exptrig (2), Goldstein–Price (4), sin(10x)cos(10y) + r²/10
//! (6), Freudenstein–Roth (1, over a saddle far outside the segment between the minima). The
//! other functions of the set have one minimum (or none) in their box.
//!
//! Checked for each run: converged with the climbing image on, the climbing image at the
//! reference saddle, its energy the reference barrier, no image above the saddle's energy, and
//! the climbing image classifies as an index-1 saddle.

#[path = "fd_hard/functions.rs"]
mod functions;

use lossmap::landscape::{neb, NebConfig};
use lossmap::{Objective, Real};

#[derive(Clone, Copy)]
struct Hard {
    name: &'static str,
    scale: f64,
}

impl<T: Real> Objective<T, 2> for Hard {
    fn value(&mut self, x: &[T; 2]) -> T {
        T::from_f64(self.scale) * functions::value::<T>(self.name, x)
    }
}

struct Pair {
    name: &'static str,
    a: [f64; 2],
    b: [f64; 2],
    s: [f64; 2],
    /// f(a), f(b), f(s) at scale 1.
    f: [f64; 3],
    /// The Hessian's eigenvalues at `s` at scale 1, `λ₁ < 0 < λ₂`.
    lambda: [f64; 2],
}

fn pairs() -> Vec<Pair> {
    let names = [
        "poly9",
        "exptrig",
        "goldsteinprice",
        "sincos10",
        "freudenstein",
    ];
    include_str!("reference/neb_hard.txt")
        .lines()
        .filter(|l| l.starts_with("pair "))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let v = |i: usize| t[i].parse::<f64>().unwrap();
            Pair {
                name: names.iter().copied().find(|n| *n == t[1]).unwrap(),
                a: [v(2), v(3)],
                b: [v(4), v(5)],
                s: [v(6), v(7)],
                f: [v(8), v(9), v(10)],
                lambda: [v(11), v(12)],
            }
        })
        .collect()
}

const SCALES: [f64; 3] = [1e-3, 1.0, 1e3];

fn dist(x: [f64; 2], y: [f64; 2]) -> f64 {
    (x[0] - y[0]).hypot(x[1] - y[1])
}

/// One run's outcome.
struct Outcome {
    /// Converged with the climbing image on.
    converged: bool,
    /// The climbing image within what the run resolves of the saddle, no image above it.
    located: bool,
    line: String,
}

/// One run with `config`.
fn run<T: Real, const IMAGES: usize>(p: &Pair, scale: f64, config: &NebConfig<T>) -> Outcome {
    let mut o = Hard {
        name: p.name,
        scale,
    };
    let cast = |v: [f64; 2]| v.map(T::from_f64);
    let band = neb::<T, _, 2, IMAGES>(&mut o, &cast(p.a), &cast(p.b), config)
        .unwrap_or_else(|e| panic!("{} {}: {e}", p.name, T::NAME));
    let r = band.report;
    let saddle = band.saddle.map(|v| v.to_f64());
    let span = dist(p.a, p.b);
    let err = dist(saddle, p.s);
    // What the run can resolve: a force of the convergence tolerance (or the run's own final
    // force, if larger), or of the rounding of a central-difference gradient of the loss at
    // the saddle (`4ε|f|/h` per component), moves
    // the zero of the gradient by at most force / min|λ| (a Newton step; ×2 for the
    // nonlinearity).
    let eps = T::EPSILON_R.to_f64();
    let inv: f64 =
        p.s.iter()
            .map(|&x| (0.5 * eps.cbrt() * x.abs().max(1.0)).powi(-2))
            .sum();
    let floor = 4.0 * eps * (p.f[2] * scale).abs() * inv.sqrt();
    let force = (NebConfig::<T>::default().force_tol.to_f64() * r.force_scale.to_f64())
        .max(floor)
        .max(r.max_force.to_f64());
    // The central-difference gradient at the exact saddle: its truncation and rounding, which
    // move the point where it vanishes.
    let mut g = [T::ZERO; 2];
    o.gradient(&cast(p.s), &mut g).unwrap();
    let bias = g[0].to_f64().hypot(g[1].to_f64());
    let soft = p.lambda[0].abs().min(p.lambda[1]) * scale;
    let allowed = 2.0 * (force + bias) / soft + 4.0 * eps * span;
    // No image above the saddle's energy by more than its positive curvature over that
    // distance, plus the rounding of the energies.
    let low = p.f[0].max(p.f[1]);
    let barrier = (p.f[2] - low) * scale;
    let top = band
        .energies
        .iter()
        .fold(f64::NEG_INFINITY, |m, &e| m.max(e.to_f64()));
    // Against the loss at the saddle in the same precision (its rounding cancels).
    let e_s = o.value(&cast(p.s)).to_f64();
    let rise = top - e_s;
    // The loss's own rounding near the saddle, measured: the spread of its values a few ulps
    // from `s`, where the quadratic change is below rounding.
    let mut noise = 0.0f64;
    for j in 0..2 {
        for k in [-4.0, -2.0, -1.0, 1.0, 2.0, 4.0] {
            let mut q = cast(p.s);
            q[j] += T::from_f64(k) * T::EPSILON_R * q[j].abs().max(T::EPSILON_R);
            noise = noise.max((o.value(&q).to_f64() - e_s).abs());
        }
    }
    let rise_allowed =
        0.5 * p.lambda[1] * scale * allowed * allowed + 8.0 * eps * e_s.abs() + 2.0 * noise;
    let line = format!(
        "{} {} ×{scale:e} {IMAGES}: converged {} climbed {} in {} iterations ({} grads), saddle \
         error {:.1e} of |b − a| ({:.2} of the resolvable), highest image {:+.1e} barriers above \
         the saddle ({:.2} of the allowed), loss rounding {:.0}ε|f|, kinks {}, λ_max {:.2e}, F₀ {:.2e}, max force {:.2e} F₀, noise {:.1}ε",
        T::NAME,
        p.name,
        r.converged,
        r.climbed,
        r.iterations,
        r.grad_evals,
        err / span,
        err / allowed,
        rise / barrier,
        rise / rise_allowed,
        noise / (eps * e_s.abs()),
        r.kinks,
        r.curvature.to_f64(),
        r.force_scale.to_f64(),
        (r.max_force / r.force_scale).to_f64(),
        r.noise.to_f64(),
    );
    Outcome {
        converged: r.converged && r.climbed,
        located: err <= allowed && rise <= rise_allowed,
        line,
    }
}

/// Every pair at every scale with the default settings: the runs that located the saddle and
/// converged, and the descriptions of the others (`pair name, a, scale`).
fn all<T: Real, const IMAGES: usize>() -> (usize, Vec<String>) {
    let (mut ok, mut bad) = (0, Vec::new());
    for p in &pairs() {
        for s in SCALES {
            let o = run::<T, IMAGES>(p, s, &NebConfig::default());
            println!(
                "{}{}",
                if o.converged && o.located {
                    ""
                } else {
                    "FAIL "
                },
                o.line
            );
            // Never a wrong saddle: every run, converged or not, is at the saddle to what it
            // resolves.
            assert!(o.located, "{}", o.line);
            if o.converged {
                ok += 1;
            } else {
                bad.push(format!("{} {:.1?}–{:.1?} ×{s:e}", p.name, p.a, p.b));
            }
        }
    }
    (ok, bad)
}

#[test]
fn f64_9() {
    let (ok, bad) = all::<f64, 9>();
    assert!(bad.is_empty(), "{ok} converged; {bad:#?}");
    assert_eq!(ok, 42);
}

/// With 17 images too. The Freudenstein–Roth band, whose path runs out to the saddle at
/// (23.9, 2.2), five times longer than the segment between the minima, is the slowest:
/// 1482–1534 iterations of the budget of 2000 (1290–1423 with 9 images).
#[test]
fn f64_17() {
    let (ok, bad) = all::<f64, 17>();
    assert!(bad.is_empty(), "{ok} converged; {bad:#?}");
    assert_eq!(ok, 42);
}

/// In f32 every run converges too. The Goldstein–Price pair (0, −1)–(1.8, 0.2) is the one
/// whose loss rounds to about 50ε|f| near its saddle (the cancellation in its polynomial
/// factors): the run's measured noise (`NebReport::noise`, ECnoise) raises its
/// finite-difference floor to match.
fn f32_runs<const IMAGES: usize>() {
    let (ok, bad) = all::<f32, IMAGES>();
    assert!(bad.is_empty(), "{ok} converged; {bad:#?}");
    assert_eq!(ok, 42);
}

#[test]
fn f32_9() {
    f32_runs::<9>();
}
#[test]
fn f32_17() {
    f32_runs::<17>();
}
