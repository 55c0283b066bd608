//! The barrier between two minima: nudged elastic band (NEB) with a climbing image: barrier
//! heights and mode connectivity between minima.
//!
//! A chain of `images` points ("images") joins two minima `a` and `b`; the endpoints stay
//! fixed and the `images − 2` movable images are relaxed together onto the minimum-energy path
//! (MEP). The band starts as the straight line `(1 − t)·a + t·b`, `t = i/(images − 1)`.
//!
//! * **Improved tangent** (Henkelman & Jónsson, J. Chem. Phys. 113, 9978 (2000), eqs. 8–11):
//!   at image `i` with neighbours `i ± 1`, `τ = τ⁺ = Rᵢ₊₁ − Rᵢ` if `Eᵢ₊₁ > Eᵢ > Eᵢ₋₁`,
//!   `τ = τ⁻ = Rᵢ − Rᵢ₋₁` if `Eᵢ₊₁ < Eᵢ < Eᵢ₋₁`, and at an energy extremum the
//!   energy-weighted mix `τ⁺ΔE_max + τ⁻ΔE_min` (if `Eᵢ₊₁ > Eᵢ₋₁`) or `τ⁺ΔE_min + τ⁻ΔE_max`
//!   (otherwise), with `ΔE_max/min = max/min(|Eᵢ₊₁ − Eᵢ|, |Eᵢ₋₁ − Eᵢ|)`; then normalized.
//! * **NEB force** (same paper, eqs. 4–5 and 12, with the switching function of Jónsson, Mills
//!   & Jacobsen 1998, eq. 9 of Sheppard, Terrell & Henkelman, J. Chem. Phys. 128, 134106
//!   (2008)): the true force perpendicular to the path, the spring force along it, and the
//!   perpendicular spring force switched on at kinks,
//!   `Fᵢ = −∇E(Rᵢ)⊥ + k(|Rᵢ₊₁ − Rᵢ| − |Rᵢ − Rᵢ₋₁|)·τ + f(φ)·(k(Rᵢ₊₁ − 2Rᵢ + Rᵢ₋₁))⊥` with
//!   `f(φ) = ½(1 + cos(π cos φ))` of the angle `φ` between the two segments (0 on a straight
//!   band, 1 at a right angle and beyond): it straightens a band that starts to fold back
//!   through a neighbouring basin on a stiff landscape. [`NebReport::kinks`] counts the images
//!   where the final band still turns by more than 90°.
//! * **Climbing image** (Henkelman, Uberuaga & Jónsson, J. Chem. Phys. 113, 9901 (2000),
//!   eq. 5): the highest movable image feels no spring and the true force with its component
//!   along a unit direction `m` inverted, `F = −∇E + 2(∇E·m)m`, so it climbs along `m` and
//!   descends across it: it converges to the saddle point where the MEP crosses the ridge.
//!   `m` starts as the improved tangent there and is turned, once per iteration, towards the
//!   Hessian's lowest-curvature direction by one Rayleigh–Ritz rotation on the plane of `m`
//!   and `Hm − (m·Hm)m` (two Hessian–vector products from gradient differences, as in the
//!   dimer method, Henkelman & Jónsson, J. Chem. Phys. 111, 7010 (1999)). The climbing
//!   dynamics is stable only while `m` is within 45° of the unstable mode (the trace of
//!   `(I − 2mmᵀ)H` at an index-1 saddle is `(λ₂ − λ₁)·cos 2θ` in 2-D); the chord tangent of a
//!   coarse band where the MEP turns sharply at the saddle (a stretched Müller–Brown with 9
//!   images) misses that, the rotated mode does not. Climbing switches on at iteration
//!   [`NebConfig::climb_after`], or earlier once the band is roughly relaxed (maximum NEB
//!   force ≤ [`NebConfig::climb_tol`]`·F₀`); the highest image is re-chosen at every
//!   iteration, and the mode restarts from the tangent when that changes it.
//! * **Scales** (what makes the defaults work from curvature 1 to 1e8 and on any loss
//!   scale): before the first step, 8 power iterations at every movable image of the straight
//!   band, with Hessian–vector products from gradient differences `(∇E(Rᵢ + hv) − ∇E(Rᵢ))/h`
//!   (`h = ε^{1/3}·d`), estimate the largest curvature `λ_max` along the band
//!   ([`NebReport::curvature`]); `F₀` is the largest `|∇E|` there ([`NebReport::force_scale`])
//!   and `d = |b − a|/(images − 1)` the image spacing. Then `Δt_max = step/√λ_max` (FIRE's
//!   stability bound, Bitzek et al. 2006; Guénolé et al., Comput. Mater. Sci. 175, 109584
//!   (2020)), `k = spring·λ_max`, the move limit `max_move·d` and the tolerances `·F₀`.
//!   Multiplying the loss by `s` multiplies `λ_max`, `F₀`, `k` and every force by `s` and `Δt`
//!   by `1/√s`, so each FIRE displacement `Δt²F` and every decision are unchanged: the same
//!   path, up to rounding (measured at `s` = 1e-3 and 1e3: paths equal to 3e-8 of `|b − a|`;
//!   the rounding of the mode's finite differences shifts the last FIRE restarts, so the
//!   iteration counts agree to within 10 %).
//!   The scales are measured again whenever the band has stretched or shrunk by a factor 2
//!   since they were last measured (mean image spacing `L/(images − 1)`, `L` the band's
//!   length): `d` becomes that spacing, the probe runs once more on the band as it is (8
//!   gradients per movable image) and sets a new `λ_max`, spring constant and `Δt_max` (the
//!   current `Δt` is capped by it); `F₀`, and with it the tolerances, stays that of the
//!   straight band. A band that must swing far out to its saddle (Freudenstein–Roth's runs
//!   out to five times the length of the segment between the minima) otherwise keeps a move
//!   limit and a curvature measured on a line it has long left. The decision depends on
//!   lengths only, so it is the same at every loss scale.
//! * **Optimizer**: FIRE (Bitzek, Bitzek, Gähler, Koch & Gumbsch, Phys. Rev. Lett. 97, 170201
//!   (2006)) on all movable images at once: unit mass, semi-implicit Euler, the velocity mixed
//!   towards the force direction `v ← (1 − α)v + α|v|F̂` while the power `F·v` is positive,
//!   `Δt` growing by 1.1 (after 5 such steps, up to `Δt_max`) and `α` decaying by 0.99 from
//!   0.1; when `F·v ≤ 0` the velocity is zeroed, `Δt` halved and `α` reset, and half of the
//!   last move is taken back, `x ← x − ½Δt·v` (the correction of FIRE 2.0, Guénolé et al. 2020,
//!   Algorithm 2: the uphill step overshot the minimum along `v`). Measured against the same
//!   FIRE without it: 10 % fewer iterations over the 66 analytic-gradient test runs (single
//!   runs −23 % to +11 %), and Freudenstein–Roth's band with 17 images in 1482–1534
//!   iterations instead of 2081.
//!   The FIRE displacement is scaled down when any image would move farther than `max_move·d`
//!   (as ASE's FIRE does); the half step back adds at most half of the previous move.
//!
//! **Convergence**: the largest force that must vanish over the movable images, i.e. the NEB
//! force `|Fᵢ|` of every image and, once climbing, the whole gradient `|∇E|` of the climbing
//! image, is at most [`NebConfig::force_tol`]`·F₀`, or, when the gradients come from finite
//! differences (the objective reports evaluations), at most their rounding error if that is
//! larger: the largest `4ε_f|Eᵢ|·√Σⱼ hᵢⱼ⁻²` over the movable images (`hᵢⱼ` the
//! central-difference step of coordinate `j`; the bound `4ε|f|/h` of the classification's
//! rounding test with the loss's measured relative noise `ε_f` for `ε`), below which a central
//! difference resolves no force. `ε_f` ([`NebReport::noise`] `= ε_f/ε`) is measured with the
//! curvature probe, on the straight band and at each re-measurement, by ECnoise (Moré & Wild,
//! "Estimating computational noise", SIAM J. Sci. Comput. 33, 1292 (2011)): at every movable
//! image the loss at 9 points `Rᵢ + jh·p`, `j = −4…4`, `p` the unit direction `b − a`,
//! `h = ε^{1/2}·max(‖Rᵢ‖∞, 1)`, and the noise `σ` from their difference table; `ε_f` is the
//! largest `σ` over the images divided by their largest `|Eᵢ|` (an image where the loss
//! crosses zero does not inflate it), and never below `ε`. A loss that cancels inside its
//! formula rounds to much more than `ε|E|` (on the band of Goldstein–Price from (0, −1) to
//! (1.8, 0.2), ECnoise measures `ε_f ≈ 51ε` in f32), and a floor assuming `ε|E|` would then
//! never be met. In f32 the tolerance `100ε·F₀` is often below the floor (in 2-D it is `8√2·ε_f·ε^{−1/3}|E|/max(|x|, 1)` against
//! `100ε ≈ 0.5ε^{2/3}` of `F₀`: the larger wherever `|E| > F₀/20` on the unit scale when
//! `ε_f = ε`; in f64 `1e-9 ≈ 27ε^{2/3}`, so the floor decides only where `|E| > 2.4·F₀·ε/ε_f`).
//! With climbing enabled the run only counts as converged after the climbing image has
//! switched on.
//!
//! **When it converges** (what can be said honestly): FIRE is a damped dynamics, stable near
//! a stationary band when `Δt·√L < 2` for the largest curvature `L` of the band's force
//! (the landscape's Hessian projected across the path, and `4k` of the springs). The defaults
//! give `Δt_max·√λ_max = 1` and `4k = λ_max`, so the run is locally convergent whenever the
//! probed `λ_max` is within a factor 4 of `L` on the relaxed band (with `Δt` halving on every
//! uphill step as the safeguard when it is not), the loss has a Lipschitz gradient along the
//! band, the endpoints are minima and the MEP between them has a single index-1 saddle that
//! the images resolve (turn angles below 90° away from the climbing image: enough images that
//! a segment is shorter than the MEP's radius of curvature). The factor matters: with
//! `spring = 1` (`4k = 4λ_max`) 5 of the 16 stiff test runs no longer converge in 2000
//! iterations. No global guarantee: a band can settle on a different MEP than the one through
//! the intended saddle, and a very non-uniform landscape (curvature on the relaxed path far
//! above the probe's) can cost many restarts; the report then says `converged = false` after
//! `max_iter`. Measured with the default settings, from curvature 1 to 1e8, on banana and
//! triple-well valleys in 2-D and 4-D and a stretched Müller–Brown, with 9 and 17 images:
//! every run converges, in 218–742 iterations.
//!
//! On the hard finite-difference set (`tests/neb_hard.rs`: the 14 pairs of neighbouring minima
//! of poly9, exptrig, Goldstein–Price, `sin 10x cos 10y + r²/10` and Freudenstein–Roth, loss
//! ×1e-3, ×1, ×1e3, central-difference gradients) the default runs converge at the saddle in
//! f64 and in f32 in all 42 runs with 9 images and all 42 with 17 (the slowest,
//! Freudenstein–Roth, in 1534 iterations with 17 images), each with its climbing image at the
//! saddle to within what its final force resolves.
//!
//! Cost: `images` energies and `images − 2` gradients for the first band, `8·(images − 2)`
//! gradients for the curvature probe and, with finite-difference gradients, `8·(images − 2)`
//! energies for the noise (both again at each re-measurement), then `images − 2` energies and `images − 2` gradients
//! per iteration, plus at most 2 gradients per climbing iteration for the climbing image's
//! mode. Memory: the path, `images` energies and [`neb_work_len`]`(n, images) =
//! (3·images + 1)·n` values of scratch (the previous band for the roll-back, the FIRE velocities,
//! the gradients/forces, the climbing mode; the probe uses the endpoint rows); 224 bytes of
//! scratch for `N = 2`, `IMAGES = 9` in `f32`.
//!
//! The found saddle can be checked with [`classify_at`]: an index-1 saddle has one negative
//! Hessian eigenvalue ([`Neb::classify`]).

use super::classify::{classify_at, CriticalPoint, Tolerance};
use super::curvature::Curvature;
use crate::diff::central_step;
use crate::error::{check_finite, Error};
use crate::linalg::{at, dot_unchecked, norm2};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};

/// FIRE constants (Bitzek et al. 2006, the values recommended there).
const FIRE_N_MIN: usize = 5;
const FIRE_F_INC: f64 = 1.1;
const FIRE_F_DEC: f64 = 0.5;
const FIRE_ALPHA_START: f64 = 0.1;
const FIRE_F_ALPHA: f64 = 0.99;
/// `Δt_max = FIRE_DT_MAX · step`.
const FIRE_DT_MAX: f64 = 10.0;

/// Settings of a nudged-elastic-band run. Every setting is relative to three scales the run
/// measures on the straight band, so that the defaults suit any landscape and multiplying the
/// loss by a constant changes neither the convergence nor the path: the largest curvature
/// `λ_max` (probed; reported as the curvature), the force scale `F₀` (the largest `|∇E|`;
/// reported as the force scale) and the image spacing `d = |b − a|/(images − 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct NebConfig<T> {
    /// Spring constant relative to the curvature (> 0): `k = spring·λ_max`. The springs only
    /// act along the path (and across it at kinks), so `k` sets how evenly the images spread
    /// and how fast, not where the path lies. Default 0.25: the stiffest mode of a chain of
    /// springs `k` is `4k = λ_max`, so the springs are as stiff as the landscape and no
    /// stiffer (the time step below stays stable for both).
    pub spring: T,
    /// Largest FIRE time step relative to the curvature (> 0): `Δt_max = step/√λ_max`; FIRE
    /// starts at `Δt_max/10` (the ratio of Bitzek et al. 2006) and adapts within
    /// `(0, Δt_max]`. Default 1: half the stability bound `Δt < 2/√λ_max` of the
    /// semi-implicit Euler step, leaving a factor 2 for the probe's underestimate.
    pub step: T,
    /// Largest distance any image may move in one FIRE step, relative to the image spacing
    /// `d` (> 0); after an uphill step, half the previous move is taken back on top of it.
    /// Default 0.2.
    pub max_move: T,
    /// Converged when the NEB force (the perpendicular gradient plus the spring forces) of
    /// every movable image, and the whole `|∇E|` of the climbing image once it is on, is at
    /// most `force_tol·F₀` (≥ 0). Default the larger of 1e-9 and `100ε` (1e-9 in f64, 1.2e-5
    /// in f32): above the rounding of an analytic gradient and of a central difference
    /// (`ε^{2/3}` ≈ 4e-11 in f64), so that a converged climbing image classifies as a critical
    /// point. With finite-difference gradients the run also accepts a force within their
    /// rounding error (see the module doc).
    pub force_tol: T,
    /// The climbing image switches on once the largest NEB force is at most `climb_tol·F₀`
    /// (≥ 0), or at iteration `climb_after`, whichever comes first. Default 0.005.
    pub climb_tol: T,
    /// Iteration at which climbing switches on at the latest (0: from the start). Default 200.
    pub climb_after: usize,
    /// Largest number of iterations (> 0). Default 2000.
    pub max_iter: usize,
    /// 1: climbing image (CI-NEB, the default); 0: plain NEB (the highest image then only
    /// approximates the saddle, to within the image spacing). Other values are invalid.
    pub climb: u32,
}

impl<T: Real> Default for NebConfig<T> {
    fn default() -> Self {
        NebConfig {
            spring: T::from_f64(0.25),
            step: T::ONE,
            max_move: T::from_f64(0.2),
            force_tol: T::from_f64(1e-9)
                .max(T::from_f64(1e-5).min(T::EPSILON_R * T::from_f64(100.0))),
            climb_tol: T::from_f64(0.005),
            climb_after: 200,
            max_iter: 2000,
            climb: 1,
        }
    }
}

impl<T: Real> NebConfig<T> {
    /// [`Error::InvalidParameter`] unless `spring`, `step`, `max_move` are finite and > 0,
    /// `force_tol`, `climb_tol` finite and ≥ 0, `max_iter > 0` and `climb` is 0 or 1.
    ///
    /// ```
    /// use lossmap::landscape::NebConfig;
    /// assert!(NebConfig::<f64>::default().validate().is_ok());
    /// assert!(NebConfig::<f64> { spring: 0.0, ..NebConfig::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let pos = |v: T| v.is_finite() && v > T::ZERO;
        let nonneg = |v: T| v.is_finite() && v >= T::ZERO;
        if pos(self.spring)
            && pos(self.step)
            && pos(self.max_move)
            && nonneg(self.force_tol)
            && nonneg(self.climb_tol)
            && self.max_iter > 0
            && self.climb <= 1
        {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// The outcome of a NEB run (the path and energies are returned alongside).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NebReport<T> {
    /// Index of the highest movable image at the end: the climbing image, whose position is
    /// the saddle-point estimate.
    pub climbing: usize,
    /// Whether the climbing image was switched on at the end.
    pub climbed: bool,
    /// `E_max − E(a)`: the barrier seen from the first endpoint (`E_max` is the energy of
    /// image `climbing`).
    pub barrier_from_a: T,
    /// `E_max − E(b)`: the barrier seen from the last endpoint.
    pub barrier_from_b: T,
    /// The largest force at the end: `|∇E⊥|` over the movable images, `|∇E|` for the climbing
    /// image when it is on.
    pub max_force: T,
    /// Iterations (FIRE steps) taken.
    pub iterations: usize,
    /// Objective value evaluations, including those spent by finite-difference gradients.
    pub value_evals: usize,
    /// Gradient evaluations.
    pub grad_evals: usize,
    /// `max_force ≤ force_tol·force_scale`, or within the finite-difference gradient's
    /// rounding (see the module doc), and, with climbing enabled, the climbing image was on.
    pub converged: bool,
    /// Kinks at the end: movable images where the band turns by more than 90°
    /// (`(Rᵢ₊₁ − Rᵢ)·(Rᵢ − Rᵢ₋₁) < 0`), the sign of a band folding back. 0 on a relaxed band.
    pub kinks: usize,
    /// Gradient evaluations (of [`grad_evals`](NebReport::grad_evals)) spent rotating the
    /// climbing image's mode: at most 2 per iteration with the climbing image on.
    pub mode_grads: usize,
    /// The probed largest curvature `λ_max` that set the time step and the spring constant:
    /// along the straight band, or along the band at the last re-measurement (see the module
    /// doc).
    pub curvature: T,
    /// The force scale `F₀`: the largest `|∇E|` over the movable images of the straight band.
    pub force_scale: T,
    /// The loss's measured noise in units of its rounding, `ε_f/ε ≥ 1` (ECnoise of Moré &
    /// Wild 2011 at the movable images, see the module doc); 1 with an analytic gradient.
    pub noise: T,
}

/// Scratch length [`neb_slice`] needs: `(3·images + 1)·n` (saturating).
///
/// ```
/// assert_eq!(lossmap::landscape::neb_work_len(2, 9), 56);
/// ```
pub const fn neb_work_len(n: usize, images: usize) -> usize {
    n.saturating_mul(images.saturating_mul(3).saturating_add(1))
}

/// Evaluation counts.
#[derive(Clone, Copy, Default)]
struct Counts {
    values: usize,
    grads: usize,
    /// Of `grads`: those spent rotating the climbing image's mode.
    mode: usize,
    /// Some gradient came from finite differences (the objective reported evaluations).
    fd: bool,
}

/// Row `i` of an `·×n` row-major slice, `None` out of range. (Rows are taken by index rather
/// than by zipping `chunks_exact` iterators, whose zipped length is a division by `n` that the
/// optimizer cannot always prove safe: a reachable panic.)
fn row<T>(s: &[T], n: usize, i: usize) -> Option<&[T]> {
    let start = i.checked_mul(n)?;
    s.get(start..start.checked_add(n)?)
}

/// Row `i`, mutable (see [`row`]).
fn row_mut<T>(s: &mut [T], n: usize, i: usize) -> Option<&mut [T]> {
    let start = i.checked_mul(n)?;
    s.get_mut(start..start.checked_add(n)?)
}

/// Energies of the images (the endpoints too when `endpoints`) into `energies`, gradients of
/// the movable images into the rows of `grads`.
fn evaluate<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &mut [T],
    energies: &mut [T],
    grads: &mut [T],
    n: usize,
    endpoints: bool,
    counts: &mut Counts,
) -> Result<(), Error> {
    let m = energies.len();
    let last = m.saturating_sub(1);
    for i in 0..m {
        let movable = i > 0 && i < last;
        if !movable && !endpoints {
            continue;
        }
        let (Some(x), Some(e), Some(g)) = (
            row_mut(path, n, i),
            energies.get_mut(i),
            row_mut(grads, n, i),
        ) else {
            continue;
        };
        let v = obj.value(x);
        counts.values += 1;
        if !v.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        *e = v;
        if movable {
            counts.grads += 1;
            let used = obj.gradient(x, g).map_err(|e| match e {
                Error::NonFiniteLoss => Error::NonFiniteLoss,
                Error::LengthMismatch => Error::LengthMismatch,
                _ => Error::NonFiniteGradient,
            })?;
            counts.values += used;
            counts.fd |= used > 0;
            check_finite(g).map_err(|_| Error::NonFiniteGradient)?;
        }
    }
    Ok(())
}

/// Index of the highest movable image (the first one on ties); `energies.len() ≥ 3`.
fn highest<T: Real>(energies: &[T]) -> usize {
    let last = energies.len().saturating_sub(1);
    let mut best = 1;
    let mut top = at(energies, 1);
    for (i, &e) in energies.iter().enumerate().take(last).skip(2) {
        if e > top {
            best = i;
            top = e;
        }
    }
    best
}

/// `√Σ (cp·(qⱼ − cⱼ) + cm·(cⱼ − pⱼ))²`.
fn combo_norm<T: Real>(p: &[T], c: &[T], q: &[T], cp: T, cm: T) -> T {
    p.iter()
        .zip(c)
        .zip(q)
        .fold(T::ZERO, |s, ((&p, &c), &q)| {
            let t = cp * (q - c) + cm * (c - p);
            s + t * t
        })
        .sqrt()
}

/// The improved tangent (Henkelman & Jónsson 2000) at image `c` between `p` and `q`, as the
/// coefficients `(cp, cm)` of the unit vector `τ = cp·(q − c) + cm·(c − p)`. A degenerate
/// tangent (equal energies and coincident neighbours) falls back to `q − p`, then to 0.
fn tangent<T: Real>(p: &[T], c: &[T], q: &[T], ep: T, ec: T, eq: T) -> (T, T) {
    let (mut cp, mut cm) = if eq > ec && ec > ep {
        (T::ONE, T::ZERO)
    } else if eq < ec && ec < ep {
        (T::ZERO, T::ONE)
    } else {
        let (dq, dp) = ((eq - ec).abs(), (ep - ec).abs());
        let (hi, lo) = (dq.max(dp), dq.min(dp));
        // Weights relative to the larger difference: no overflow, and 0/0 is avoided.
        let lo = if hi > T::ZERO { lo / hi } else { T::ONE };
        if eq > ep {
            (T::ONE, lo)
        } else {
            (lo, T::ONE)
        }
    };
    let mut norm = combo_norm(p, c, q, cp, cm);
    if !(norm > T::ZERO && norm.is_finite()) {
        (cp, cm) = (T::ONE, T::ONE);
        norm = combo_norm(p, c, q, cp, cm);
    }
    if norm > T::ZERO && norm.is_finite() {
        (cp / norm, cm / norm)
    } else {
        (T::ZERO, T::ZERO)
    }
}

/// Euclidean distance `|q − c|`.
fn distance<T: Real>(c: &[T], q: &[T]) -> T {
    c.iter()
        .zip(q)
        .fold(T::ZERO, |s, (&c, &q)| s + (q - c) * (q - c))
        .sqrt()
}

/// What the force pass needs of one movable image.
struct Local<T> {
    /// Tangent coefficients (see [`tangent`]).
    cp: T,
    cm: T,
    /// `∇E·τ`.
    g_par: T,
    /// The parallel spring force `k(|q − c| − |c − p|)`.
    s_par: T,
    /// The switching factor `f(φ)` of the perpendicular spring force.
    switch: T,
    /// `k(q − 2c + p)·τ`.
    s_tau: T,
    /// `cos φ` of the turning angle between the segments `c − p` and `q − c`.
    cos_phi: T,
}

/// The switching function `f(φ) = ½(1 + cos(π cos φ))` of Jónsson, Mills & Jacobsen (1998):
/// 0 on a straight band, 1 at a right-angle turn and beyond.
fn switching<T: Real>(cos_phi: T) -> T {
    if cos_phi <= T::ZERO {
        T::ONE
    } else {
        T::HALF * (T::ONE + (T::PI_R * cos_phi).cos())
    }
}

/// Tangent, gradient and spring components at one movable image with spring constant `k`.
fn local<T: Real>(p: &[T], c: &[T], q: &[T], e: [T; 3], g: &[T], k: T) -> Local<T> {
    let [ep, ec, eq] = e;
    let (cp, cm) = tangent(p, c, q, ep, ec, eq);
    let tau = |(&pj, &cj): (&T, &T), &qj: &T| cp * (qj - cj) + cm * (cj - pj);
    let pcq = || p.iter().zip(c).zip(q);
    let g_par = pcq()
        .zip(g)
        .fold(T::ZERO, |s, ((pc, q), &gj)| s + gj * tau(pc, q));
    let s_tau = pcq().fold(T::ZERO, |s, ((&pj, &cj), &qj)| {
        s + (qj - T::TWO * cj + pj) * tau((&pj, &cj), &qj)
    }) * k;
    let (dq, dp) = (distance(c, q), distance(p, c));
    let cross = pcq().fold(T::ZERO, |s, ((&pj, &cj), &qj)| s + (qj - cj) * (cj - pj));
    let cos_phi = if dq > T::ZERO && dp > T::ZERO {
        (cross / dq / dp).max(-T::ONE).min(T::ONE)
    } else {
        T::ONE
    };
    Local {
        cp,
        cm,
        g_par,
        s_par: k * (dq - dp),
        switch: switching(cos_phi),
        s_tau,
        cos_phi,
    }
}

/// Component `j` of the NEB force at an image (`climbing`: the climbing-image force).
#[inline]
fn force_j<T: Real>(l: &Local<T>, climbing: bool, pj: T, cj: T, qj: T, gj: T, k: T) -> T {
    let tau = l.cp * (qj - cj) + l.cm * (cj - pj);
    if climbing {
        // −∇E + 2(∇E·τ)τ: the parallel component inverted, no spring.
        -gj + T::TWO * l.g_par * tau
    } else {
        // −∇E⊥ + k(|q − c| − |c − p|)τ + f(φ)·(k(q − 2c + p))⊥.
        let spring_perp = k * (qj - T::TWO * cj + pj) - l.s_tau * tau;
        -(gj - l.g_par * tau) + l.s_par * tau + l.switch * spring_perp
    }
}

/// `|F|` of the NEB force at an image.
fn force_norm<T: Real>(
    l: &Local<T>,
    climbing: bool,
    p: &[T],
    c: &[T],
    q: &[T],
    g: &[T],
    k: T,
) -> T {
    p.iter()
        .zip(c)
        .zip(q)
        .zip(g)
        .fold(T::ZERO, |s, (((&pj, &cj), &qj), &gj)| {
            let f = force_j(l, climbing, pj, cj, qj, gj, k);
            s + f * f
        })
        .sqrt()
}

/// Runs `f(index, prev row, row, next row, [E₋, E, E₊], gradient/force row)` over the
/// movable images.
fn for_movable<T: Real>(
    path: &[T],
    energies: &[T],
    grads: &mut [T],
    n: usize,
    mut f: impl FnMut(usize, &[T], &[T], &[T], [T; 3], &mut [T]),
) {
    let m = energies.len();
    for i in 1..m.saturating_sub(1) {
        let (Some(p), Some(c), Some(q), Some(g)) = (
            row(path, n, i - 1),
            row(path, n, i),
            row(path, n, i + 1),
            row_mut(grads, n, i),
        ) else {
            continue;
        };
        let e = [at(energies, i - 1), at(energies, i), at(energies, i + 1)];
        f(i, p, c, q, e, g);
    }
}

/// The largest NEB force over the movable images without a climbing image, the same with
/// image `top` climbing (its `|∇E|`), and the number of kinks (turns by more than 90°).
fn residuals<T: Real>(
    path: &[T],
    energies: &[T],
    grads: &mut [T],
    n: usize,
    top: usize,
    k: T,
) -> (T, T, usize) {
    let (mut plain, mut climbing, mut kinks) = (T::ZERO, T::ZERO, 0usize);
    for_movable(path, energies, grads, n, |i, p, c, q, e, g| {
        let l = local(p, c, q, e, g, k);
        let f = force_norm(&l, false, p, c, q, g, k);
        plain = plain.max(f);
        climbing = climbing.max(if i == top { norm2(g) } else { f });
        if l.cos_phi < T::ZERO {
            kinks = kinks.saturating_add(1);
        }
    });
    (plain, climbing, kinks)
}

/// Replaces the gradients of the movable images by their NEB forces. Image `climb`, if any,
/// climbs along `mode` (a unit vector): `F = −∇E + 2(∇E·m)m`.
fn forces<T: Real>(
    path: &[T],
    energies: &[T],
    grads: &mut [T],
    n: usize,
    spring: T,
    climb: Option<usize>,
    mode: &[T],
) {
    for_movable(path, energies, grads, n, |i, p, c, q, e, g| {
        if climb == Some(i) {
            let g_par = dot_unchecked(g, mode);
            g.iter_mut()
                .zip(mode)
                .for_each(|(gj, &mj)| *gj = -*gj + T::TWO * g_par * mj);
            return;
        }
        let l = local(p, c, q, e, g, spring);
        for (((gj, &pj), &cj), &qj) in g.iter_mut().zip(p).zip(c).zip(q) {
            *gj = force_j(&l, false, pj, cj, qj, *gj, spring);
        }
    });
}

/// Writes the unit improved tangent at movable image `i` into `out` (0 if degenerate).
fn tangent_at<T: Real>(path: &[T], energies: &[T], n: usize, i: usize, out: &mut [T]) {
    let (Some(p), Some(c), Some(q)) = (
        row(path, n, i.wrapping_sub(1)),
        row(path, n, i),
        row(path, n, i.wrapping_add(1)),
    ) else {
        return;
    };
    let e = |k: usize| energies.get(k).copied().unwrap_or(T::ZERO);
    let (cp, cm) = tangent(p, c, q, e(i.wrapping_sub(1)), e(i), e(i.wrapping_add(1)));
    for (o, ((&pj, &cj), &qj)) in out.iter_mut().zip(p.iter().zip(c).zip(q)) {
        *o = cp * (qj - cj) + cm * (cj - pj);
    }
}

/// `(∇E(x + h·v) − g)/h` into `hv` (`point` is scratch), one gradient.
#[allow(clippy::too_many_arguments)]
fn hvp<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    g: &[T],
    v: &[T],
    h: T,
    point: &mut [T],
    hv: &mut [T],
    counts: &mut Counts,
) -> Result<(), Error> {
    point
        .iter_mut()
        .zip(x.iter().zip(v))
        .for_each(|(p, (&x, &v))| *p = x + h * v);
    counts.grads = counts.grads.saturating_add(1);
    let used = obj.gradient(point, hv).map_err(|e| match e {
        Error::NonFiniteLoss => Error::NonFiniteLoss,
        Error::LengthMismatch => Error::LengthMismatch,
        _ => Error::NonFiniteGradient,
    })?;
    counts.values = counts.values.saturating_add(used);
    check_finite(hv).map_err(|_| Error::NonFiniteGradient)?;
    hv.iter_mut().zip(g).for_each(|(d, &g)| *d = (*d - g) / h);
    if check_finite(hv).is_err() {
        return Err(Error::NonFiniteGradient);
    }
    Ok(())
}

/// One rotation of the climbing image's mode towards the lowest-curvature direction of the
/// Hessian at `x` (gradient `g`), as in the dimer method (Henkelman & Jónsson, J. Chem. Phys.
/// 111, 7010 (1999)): the Rayleigh–Ritz step on the plane of the mode `m` and the residual
/// `w = Hm − (m·Hm)m`, two Hessian–vector products by gradient differences. `a`, `b`, `c` are
/// scratch rows.
#[allow(clippy::too_many_arguments)]
fn rotate_mode<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    g: &[T],
    mode: &mut [T],
    h: T,
    point: &mut [T],
    hm: &mut [T],
    w: &mut [T],
    hw: &mut [T],
    counts: &mut Counts,
) -> Result<(), Error> {
    let len = norm2(mode);
    if len <= T::ZERO || !len.is_finite() || h <= T::ZERO || !h.is_finite() {
        return Ok(());
    }
    mode.iter_mut().for_each(|m| *m /= len);
    hvp(obj, x, g, mode, h, point, hm, counts)?;
    let rho = dot_unchecked(mode, hm);
    w.iter_mut()
        .zip(hm.iter().zip(mode.iter()))
        .for_each(|(w, (&hm, &m))| *w = hm - rho * m);
    let wn = norm2(w);
    // Already an eigenvector to rounding: nothing to rotate.
    if wn <= T::EPSILON_R.sqrt() * norm2(hm) || !wn.is_finite() {
        return Ok(());
    }
    w.iter_mut().for_each(|w| *w /= wn);
    hvp(obj, x, g, w, h, point, hw, counts)?;
    let off = T::HALF * (dot_unchecked(w, hm) + dot_unchecked(mode, hw));
    let ww = dot_unchecked(w, hw);
    // The lower eigenvector (e₀, e₁) of [[ρ, off], [off, ww]].
    let mean = T::HALF * (rho + ww);
    let rad = (T::HALF * (rho - ww)).hypot(off);
    let low = mean - rad;
    let (e0, e1) = if (rho - low).abs() > (ww - low).abs() {
        (low - ww, off)
    } else {
        (off, low - rho)
    };
    let en = e0.hypot(e1);
    if en > T::ZERO && en.is_finite() {
        let (e0, e1) = (e0 / en, e1 / en);
        mode.iter_mut()
            .zip(w.iter())
            .for_each(|(m, &w)| *m = e0 * *m + e1 * w);
    }
    Ok(())
}

/// FIRE state.
struct Fire<T> {
    dt: T,
    dt_max: T,
    alpha: T,
    positive: usize,
    restarted: bool,
}

impl<T: Real> Fire<T> {
    /// FIRE with the largest time step `dt_max`, starting at `dt_max / 10`.
    fn new(dt_max: T) -> Self {
        Fire {
            dt: dt_max / T::from_f64(FIRE_DT_MAX),
            dt_max,
            alpha: T::from_f64(FIRE_ALPHA_START),
            positive: 0,
            restarted: false,
        }
    }

    /// Updates the velocities from the forces (rows of the endpoints are zero in both) and
    /// returns the position increment factor `h`: move by `h·v`.
    fn velocities(&mut self, force: &[T], vel: &mut [T], n: usize, max_move: T) -> T {
        let power = dot_unchecked(force, vel);
        if power > T::ZERO {
            let (fnorm, vnorm) = (norm2(force), norm2(vel));
            if fnorm > T::ZERO {
                let mix = self.alpha * vnorm / fnorm;
                let keep = T::ONE - self.alpha;
                vel.iter_mut()
                    .zip(force)
                    .for_each(|(v, &f)| *v = keep * *v + mix * f);
            }
            if self.positive > FIRE_N_MIN {
                self.dt = (self.dt * T::from_f64(FIRE_F_INC)).min(self.dt_max);
                self.alpha *= T::from_f64(FIRE_F_ALPHA);
            }
            self.positive += 1;
        } else {
            vel.iter_mut().for_each(|v| *v = T::ZERO);
            self.dt *= T::from_f64(FIRE_F_DEC);
            self.alpha = T::from_f64(FIRE_ALPHA_START);
            self.positive = 0;
            self.restarted = true;
        }
        let dt = self.dt;
        vel.iter_mut().zip(force).for_each(|(v, &f)| *v += dt * f);
        let longest = vel
            .chunks_exact(n.max(1))
            .fold(T::ZERO, |m, row| m.max(dt * norm2(row)));
        if longest > max_move {
            dt * (max_move / longest)
        } else {
            dt
        }
    }
}

/// [`rotate_mode`] at movable image `top`, with the endpoint rows of `vel` and `grads` as
/// scratch (zeroed again afterwards, as FIRE needs them).
#[allow(clippy::too_many_arguments)]
fn rotate_climbing_mode<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &[T],
    vel: &mut [T],
    grads: &mut [T],
    mode: &mut [T],
    n: usize,
    top: usize,
    h: T,
    counts: &mut Counts,
) -> Result<(), Error> {
    let before = counts.grads;
    let result = {
        let (Some((point, vrest)), Some((hm, grest))) =
            (vel.split_at_mut_checked(n), grads.split_at_mut_checked(n))
        else {
            return Err(Error::LengthMismatch);
        };
        let (Some((_, w)), Some((mid, hw))) = (
            vrest.split_at_mut_checked(vrest.len().saturating_sub(n)),
            grest.split_at_mut_checked(grest.len().saturating_sub(n)),
        ) else {
            return Err(Error::LengthMismatch);
        };
        match (row(path, n, top), row(mid, n, top.wrapping_sub(1))) {
            (Some(x), Some(g)) => rotate_mode(obj, x, g, mode, h, point, hm, w, hw, counts),
            _ => Ok(()),
        }
    };
    let zero = |s: &mut [T], k: usize| {
        if let Some(r) = row_mut(s, n, k) {
            r.iter_mut().for_each(|v| *v = T::ZERO);
        }
    };
    let last = grads.len().checked_div(n).unwrap_or(0).saturating_sub(1);
    zero(vel, 0);
    zero(vel, last);
    zero(grads, 0);
    zero(grads, last);
    counts.mode = counts
        .mode
        .saturating_add(counts.grads.saturating_sub(before));
    result
}

/// Power-iteration steps per movable image of the curvature probe.
const PROBE_ITERS: usize = 8;

/// The largest curvature along the band, `λ_max ≈ max_i |H(Rᵢ)v|`, by [`PROBE_ITERS`] power
/// iterations at each movable image with Hessian–vector products from gradient differences,
/// `Hv ≈ (∇E(Rᵢ + hv) − ∇E(Rᵢ))/h`, `|v| = 1`, `h = ε^{1/3}·d` (`d` the image spacing). The
/// start vector is the gradient at the image (on the straight band it points mostly along
/// the stiff directions), or the band direction where that vanishes. `v`, `point`, `gh` are
/// scratch rows; row `i − 1` of `grads` holds the gradient of movable image `i`.
#[allow(clippy::too_many_arguments)]
fn probe_curvature<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &[T],
    grads: &[T],
    n: usize,
    m: usize,
    d: T,
    v: &mut [T],
    point: &mut [T],
    gh: &mut [T],
    counts: &mut Counts,
) -> Result<T, Error> {
    let h = T::EPSILON_R.cbrt() * d;
    let mut lambda = T::ZERO;
    if h <= T::ZERO || !h.is_finite() {
        // Endpoints too close or too far apart for a difference step: no estimate.
        return Ok(lambda);
    }
    for i in 1..m.saturating_sub(1) {
        let (Some(x), Some(g), Some(first), Some(last)) = (
            row(path, n, i),
            row(grads, n, i.wrapping_sub(1)),
            row(path, n, 0),
            row(path, n, m.saturating_sub(1)),
        ) else {
            continue;
        };
        copy(v, g);
        if norm2(v) <= T::ZERO || !norm2(v).is_finite() {
            v.iter_mut()
                .zip(first.iter().zip(last))
                .for_each(|(v, (&a, &b))| *v = b - a);
        }
        for _ in 0..PROBE_ITERS {
            let len = norm2(v);
            if !(len > T::ZERO && len.is_finite()) {
                break;
            }
            v.iter_mut().for_each(|v| *v /= len);
            point
                .iter_mut()
                .zip(x.iter().zip(v.iter()))
                .for_each(|(p, (&x, &v))| *p = x + h * v);
            counts.grads = counts.grads.saturating_add(1);
            let used = obj.gradient(point, gh).map_err(|e| match e {
                Error::NonFiniteLoss => Error::NonFiniteLoss,
                Error::LengthMismatch => Error::LengthMismatch,
                _ => Error::NonFiniteGradient,
            })?;
            counts.values = counts.values.saturating_add(used);
            check_finite(gh).map_err(|_| Error::NonFiniteGradient)?;
            v.iter_mut()
                .zip(gh.iter().zip(g))
                .for_each(|(v, (&gh, &g))| *v = (gh - g) / h);
            let hv = norm2(v);
            if !hv.is_finite() {
                return Err(Error::NonFiniteGradient);
            }
            lambda = lambda.max(hv);
        }
    }
    Ok(lambda)
}

/// Points of the noise estimate's difference table: `x + i·h·p`, `i = −4, …, 4` (the 8
/// extra values plus the image's own energy; Moré & Wild 2011 recommend 7 to 9 points).
const NOISE_POINTS: usize = 9;

/// `γ_k = (k!)²/(2k)!`, `k = 1, …, 6`: `E[(Δᵏf)²] = σ²/γ_k` for independent noise of
/// standard deviation `σ` (Moré & Wild 2011, eq. 2.6).
const NOISE_GAMMA: [f64; 6] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 20.0,
    1.0 / 70.0,
    1.0 / 252.0,
    1.0 / 924.0,
];

/// The computational noise of `E` at one point by ECnoise (Moré & Wild, "Estimating
/// computational noise", SIAM J. Sci. Comput. 33, 1292 (2011), algorithm of §5): the values
/// `fᵢ = E(x + i·h·p)` on [`NOISE_POINTS`] equally spaced points, their difference table, and
/// the estimates `σ_k = (γ_k·mean(Δᵏf)²)^{1/2}`; the noise is the first `σ_k` that agrees with
/// `σ_{k+1}` and `σ_{k+2}` to a factor 4 while `Δᵏf` changes sign (so the differences are
/// noise, not the smooth part). `None` when no level qualifies (the step too large or too
/// small for a reading). `values[4]` is `E(x)`; the others are filled here.
fn noise_at<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &[T],
    p: &[T],
    h: T,
    values: &mut [T; NOISE_POINTS],
    point: &mut [T],
    counts: &mut Counts,
) -> Result<Option<T>, Error> {
    let mid = NOISE_POINTS / 2;
    for (i, f) in values.iter_mut().enumerate() {
        if i == mid {
            continue;
        }
        let t = (T::from_usize(i) - T::from_usize(mid)) * h;
        point
            .iter_mut()
            .zip(x.iter().zip(p))
            .for_each(|(q, (&x, &p))| *q = x + t * p);
        counts.values = counts.values.saturating_add(1);
        *f = obj.value(point);
        if !f.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
    }
    // Fewer than half the values distinct: the step is below the loss's resolution.
    let distinct = (0..NOISE_POINTS)
        .filter(|&i| values.iter().take(i).all(|&v| v != at(values, i)))
        .count();
    if 2 * distinct < NOISE_POINTS {
        return Ok(None);
    }
    let mut sigma = [T::ZERO; 6];
    let mut sign_change = [false; 6];
    let mut len = NOISE_POINTS;
    for (k, (s, c)) in sigma.iter_mut().zip(sign_change.iter_mut()).enumerate() {
        len -= 1;
        for i in 0..len {
            let d = at(values, i + 1) - at(values, i);
            if let Some(v) = values.get_mut(i) {
                *v = d;
            }
        }
        let diffs = values.get(..len).unwrap_or(&[]);
        let (lo, hi) = diffs
            .iter()
            .fold((T::ZERO, T::ZERO), |(lo, hi), &d| (lo.min(d), hi.max(d)));
        *c = lo < T::ZERO && hi > T::ZERO;
        let sq = diffs.iter().fold(T::ZERO, |s, &d| s + d * d);
        let gamma = NOISE_GAMMA.get(k).copied().unwrap_or(1.0);
        *s = (T::from_f64(gamma) * sq / T::from_usize(len.max(1))).sqrt();
    }
    let four = T::from_f64(4.0);
    for k in 0..4 {
        let trio = [at(&sigma, k), at(&sigma, k + 1), at(&sigma, k + 2)];
        let lo = trio.iter().fold(T::MAX_R, |m, &s| m.min(s));
        let hi = trio.iter().fold(T::ZERO, |m, &s| m.max(s));
        if sign_change.get(k).copied().unwrap_or(false) && hi <= four * lo && hi.is_finite() {
            return Ok(Some(at(&sigma, k)));
        }
    }
    Ok(None)
}

/// The loss's noise relative to its rounding, `max(1, maxᵢ σᵢ/(ε·maxᵢ|Eᵢ|))` over the movable
/// images, `σᵢ` by [`noise_at`] along the band's direction `(b − a)/|b − a|` with the step
/// `h = ε^{1/2}·max(‖Rᵢ‖∞, 1)` (small enough that the smooth part's third differences,
/// `O(h³)`, lie far below `ε|E|`, large enough that the points are distinct). `p` and `point`
/// are scratch rows.
#[allow(clippy::too_many_arguments)]
fn probe_noise<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &[T],
    energies: &[T],
    n: usize,
    p: &mut [T],
    point: &mut [T],
    counts: &mut Counts,
) -> Result<T, Error> {
    let m = energies.len();
    let (Some(first), Some(last)) = (row(path, n, 0), row(path, n, m.saturating_sub(1))) else {
        return Ok(T::ONE);
    };
    p.iter_mut()
        .zip(first.iter().zip(last))
        .for_each(|(p, (&a, &b))| *p = b - a);
    let len = norm2(p);
    if !(len > T::ZERO && len.is_finite()) {
        return Ok(T::ONE);
    }
    p.iter_mut().for_each(|p| *p /= len);
    let (mut sigma_max, mut e_max) = (T::ZERO, T::ZERO);
    let mut values = [T::ZERO; NOISE_POINTS];
    for i in 1..m.saturating_sub(1) {
        let Some(x) = row(path, n, i) else {
            continue;
        };
        let e = at(energies, i);
        e_max = e_max.max(e.abs());
        let scale = x.iter().fold(T::ONE, |s, &v| s.max(v.abs()));
        let h = T::EPSILON_R.sqrt() * scale;
        if let Some(v) = values.get_mut(NOISE_POINTS / 2) {
            *v = e;
        }
        if let Some(sigma) = noise_at(obj, x, p, h, &mut values, point, counts)? {
            sigma_max = sigma_max.max(sigma);
        }
    }
    let ratio = sigma_max / (T::EPSILON_R * e_max);
    Ok(if ratio.is_finite() {
        ratio.max(T::ONE)
    } else {
        T::ONE
    })
}

/// The rounding error of a central-difference gradient at the movable images, the largest
/// `4ε|Eᵢ|·√Σⱼ hᵢⱼ⁻²` (`hᵢⱼ` = [`central_step`] of coordinate `j`; per component the bound
/// `4ε|f|/h` of the classification's rounding test, two probes of about `2ε|f|` each).
fn gradient_floor<T: Real>(path: &[T], energies: &[T], n: usize, noise: T) -> T {
    let m = energies.len();
    let four = T::from_f64(4.0);
    (1..m.saturating_sub(1)).fold(T::ZERO, |f, i| match row(path, n, i) {
        Some(x) => {
            let inv = x.iter().fold(T::ZERO, |s, &xj| {
                let h = central_step(xj);
                s + T::ONE / (h * h)
            });
            f.max(four * noise * T::EPSILON_R * at(energies, i).abs() * inv.sqrt())
        }
        None => f,
    })
}

/// `Σ |Rᵢ₊₁ − Rᵢ|`, the band's length.
fn band_length<T: Real>(path: &[T], n: usize, m: usize) -> T {
    (1..m).fold(T::ZERO, |s, i| {
        match (row(path, n, i - 1), row(path, n, i)) {
            (Some(p), Some(q)) => s + distance(p, q),
            _ => s,
        }
    })
}

/// [`probe_curvature`] on the current band with image spacing `d`, its scratch rows the
/// endpoint rows of `vel` and `grads` (zeroed again afterwards, as FIRE needs them).
#[allow(clippy::too_many_arguments)]
fn reprobe<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &[T],
    vel: &mut [T],
    grads: &mut [T],
    n: usize,
    m: usize,
    d: T,
    counts: &mut Counts,
) -> Result<T, Error> {
    let result = match (vel.split_at_mut_checked(n), grads.split_at_mut_checked(n)) {
        (Some((v, vrest)), Some((gh, grest))) => {
            let tail = vrest.len().saturating_sub(n);
            match vrest.get_mut(tail..) {
                Some(point) => probe_curvature(obj, path, grest, n, m, d, v, point, gh, counts),
                None => Err(Error::LengthMismatch),
            }
        }
        _ => Err(Error::LengthMismatch),
    };
    let zero = |s: &mut [T], k: usize| {
        if let Some(r) = row_mut(s, n, k) {
            r.iter_mut().for_each(|v| *v = T::ZERO);
        }
    };
    let last = m.saturating_sub(1);
    zero(vel, 0);
    zero(vel, last);
    zero(grads, 0);
    result
}

/// [`probe_noise`] on the current band, its scratch rows the endpoint rows of `vel` (zeroed
/// again afterwards, as FIRE needs them).
fn measure_noise<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    path: &[T],
    energies: &[T],
    vel: &mut [T],
    n: usize,
    counts: &mut Counts,
) -> Result<T, Error> {
    let result = match vel.split_at_mut_checked(n) {
        Some((p, rest)) => {
            let tail = rest.len().saturating_sub(n);
            match rest.get_mut(tail..) {
                Some(point) => probe_noise(obj, path, energies, n, p, point, counts),
                None => Err(Error::LengthMismatch),
            }
        }
        None => Err(Error::LengthMismatch),
    };
    let last = energies.len().saturating_sub(1);
    for k in [0, last] {
        if let Some(r) = row_mut(vel, n, k) {
            r.iter_mut().for_each(|v| *v = T::ZERO);
        }
    }
    result
}

/// Nudged elastic band with climbing image over slices: the kernel behind [`neb`] and the C
/// ABI. `a`, `b` (length `n`) are the endpoints, `path` (`images × n`, row-major) receives the
/// band, `energies` (`images`) its energies, `work` at least [`neb_work_len`]`(n, images)`
/// values of scratch. The incoming contents of `path` are not used, only put back if the
/// first band fails.
///
/// Errors, with nothing written: [`Error::Empty`] for `n = 0` or fewer than 3 images (no
/// movable image); [`Error::LengthMismatch`] if `b`, `path` or `work` has the wrong length;
/// [`Error::NonFiniteInput`] for NaN/∞ in `a` or `b`; [`Error::InvalidParameter`] for an
/// invalid [`NebConfig`] or identical endpoints.
///
/// Divergence guard: a non-finite energy ([`Error::NonFiniteLoss`]; also finite energies
/// whose barrier overflows) or gradient ([`Error::NonFiniteGradient`]; also finite gradients
/// whose force norm overflows, or a step that would leave the finite numbers) stops the
/// run. `path` is then left as it was before the failing step: the last band whose energies
/// and gradients were all finite, or the caller's original contents if the straight-line band
/// or the curvature probe or noise estimate on it already fails (or the climbing mode's first
/// rotation, when climbing from the start). `energies` is unspecified after such an error.
pub fn neb_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    a: &[T],
    b: &[T],
    path: &mut [T],
    energies: &mut [T],
    work: &mut [T],
    config: &NebConfig<T>,
) -> Result<NebReport<T>, Error> {
    let split = a
        .len()
        .checked_mul(energies.len())
        .and_then(|mn| mn.checked_mul(3))
        .unwrap_or(usize::MAX)
        .min(work.len());
    let (bands, mode) = work
        .split_at_mut_checked(split)
        .ok_or(Error::LengthMismatch)?;
    neb_parts(obj, a, b, path, energies, bands, mode, config)
}

/// [`neb_slice`] with its scratch in two parts: `bands` (`3·images·n`) and `mode` (`n`).
#[allow(clippy::too_many_arguments)]
fn neb_parts<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    a: &[T],
    b: &[T],
    path: &mut [T],
    energies: &mut [T],
    work: &mut [T],
    mode: &mut [T],
    config: &NebConfig<T>,
) -> Result<NebReport<T>, Error> {
    let n = a.len();
    let m = energies.len();
    if n == 0 || m < 3 {
        return Err(Error::Empty);
    }
    let mn = n.checked_mul(m).ok_or(Error::LengthMismatch)?;
    if b.len() != n || path.len() != mn || work.len() < mn.saturating_mul(3) || mode.len() < n {
        return Err(Error::LengthMismatch);
    }
    check_finite(a)?;
    check_finite(b)?;
    config.validate()?;
    if a == b {
        return Err(Error::InvalidParameter);
    }
    let (prev, rest) = work.split_at_mut_checked(mn).ok_or(Error::LengthMismatch)?;
    let (vel, rest) = rest.split_at_mut_checked(mn).ok_or(Error::LengthMismatch)?;
    let (grads, _) = rest.split_at_mut_checked(mn).ok_or(Error::LengthMismatch)?;
    let (mode, _) = mode.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;

    // The straight band, built in `path` with the caller's contents kept in `prev`.
    copy(prev, path);
    let last = T::from_usize(m.saturating_sub(1));
    for (i, row) in path.chunks_exact_mut(n.max(1)).enumerate() {
        let t = T::from_usize(i) / last;
        for ((x, &ai), &bi) in row.iter_mut().zip(a).zip(b) {
            *x = (T::ONE - t) * ai + t * bi;
        }
    }
    vel.iter_mut()
        .chain(grads.iter_mut())
        .for_each(|v| *v = T::ZERO);
    let mut counts = Counts::default();
    if let Err(e) = evaluate(obj, path, energies, grads, n, true, &mut counts) {
        copy(path, prev);
        return Err(e);
    }

    // The scales: force F₀ (largest gradient on the straight band), length d (image
    // spacing), curvature λ_max (probed along the band).
    let f0 = grads
        .chunks_exact(n.max(1))
        .fold(T::ZERO, |s, g| s.max(norm2(g)));
    let d = distance(a, b) / last;
    let probed = match (vel.split_at_mut_checked(n), grads.split_at_mut_checked(n)) {
        (Some((v, vrest)), Some((gh, grest))) => match vrest.get_mut(..n) {
            Some(point) => probe_curvature(obj, path, grest, n, m, d, v, point, gh, &mut counts),
            None => Err(Error::LengthMismatch),
        },
        _ => Err(Error::LengthMismatch),
    };
    vel.iter_mut().for_each(|v| *v = T::ZERO);
    if let Some(g0) = grads.get_mut(..n) {
        g0.iter_mut().for_each(|v| *v = T::ZERO);
    }
    if !f0.is_finite() {
        // Finite gradients whose norm overflows (f32 gradients near 1e20).
        copy(path, prev);
        return Err(Error::NonFiniteGradient);
    }
    let lambda = match probed {
        Ok(l) if l > T::ZERO && l.is_finite() => l,
        // A band along which the loss is (numerically) linear: the force over the length.
        Ok(_) if f0 > T::ZERO && d > T::ZERO && (f0 / d).is_finite() => f0 / d,
        Ok(_) => T::ONE,
        Err(e) => {
            copy(path, prev);
            return Err(e);
        }
    };
    // The loss's noise relative to its rounding, for the finite-difference floor.
    let mut noise = if counts.fd {
        match measure_noise(obj, path, energies, vel, n, &mut counts) {
            Ok(r) => r,
            Err(e) => {
                copy(path, prev);
                return Err(e);
            }
        }
    } else {
        T::ONE
    };
    let mut lambda = lambda;
    let mut spring = config.spring * lambda;
    let mut max_move = config.max_move * d;
    let force_tol = config.force_tol * f0;
    let climb_tol = config.climb_tol * f0;
    let climb_enabled = config.climb != 0;
    let mut climbing = climb_enabled && config.climb_after == 0;
    let mut fire = Fire::new(config.step / lambda.sqrt());
    let mut iterations = 0usize;
    let mut kinks;
    // The climbing image's mode and the image it belongs to.
    let mut mode_of: Option<usize> = None;
    let mut h_fd = T::EPSILON_R.cbrt() * d;
    // The spacing the scales were last measured at.
    let mut d_ref = d;
    let (converged, max_force) = loop {
        let top = highest(energies);
        let (plain, with_climb, k) = residuals(path, energies, grads, n, top, spring);
        kinks = k;
        if climb_enabled && !climbing && (iterations >= config.climb_after || plain <= climb_tol) {
            climbing = true;
        }
        let residual = if climbing { with_climb } else { plain };
        if !residual.is_finite() {
            // Finite gradients whose force norm overflows (f32 gradients near 1e20).
            if iterations == 0 {
                copy(path, prev);
            }
            return Err(Error::NonFiniteGradient);
        }
        // A finite-difference gradient resolves no force below its rounding.
        let tol_now = if counts.fd {
            force_tol.max(gradient_floor(path, energies, n, noise))
        } else {
            force_tol
        };
        if residual <= tol_now && (climbing || !climb_enabled) {
            break (true, residual);
        }
        if iterations >= config.max_iter {
            break (false, residual);
        }
        if climbing {
            if mode_of != Some(top) {
                tangent_at(path, energies, n, top, mode);
                mode_of = Some(top);
            }
            let rotated =
                rotate_climbing_mode(obj, path, vel, grads, mode, n, top, h_fd, &mut counts);
            if let Err(e) = rotated {
                if iterations == 0 {
                    copy(path, prev);
                }
                return Err(e);
            }
        }
        forces(
            path,
            energies,
            grads,
            n,
            spring,
            climbing.then_some(top),
            mode,
        );
        fire.restarted = false;
        let h = fire.velocities(grads, vel, n, max_move);
        // FIRE 2.0's correction on an uphill step (Guénolé et al. 2020, Algorithm 2): half of the
        // last move is taken back, `x ← x − ½Δt·v`, before moving on from where the force was
        // evaluated (not at the first step: `prev` then holds the caller's contents).
        let back = if fire.restarted && iterations > 0 {
            T::HALF
        } else {
            T::ZERO
        };
        for i in 1..m.saturating_sub(1) {
            if let (Some(x), Some(v), Some(p)) =
                (row_mut(path, n, i), row(vel, n, i), row_mut(prev, n, i))
            {
                x.iter_mut().zip(v).zip(p).for_each(|((x, &v), p)| {
                    let c = *x;
                    *x = c + h * v - back * (c - *p);
                    *p = c;
                });
            }
        }
        for k in [0, m.saturating_sub(1)] {
            if let (Some(x), Some(p)) = (row(path, n, k), row_mut(prev, n, k)) {
                copy(p, x);
            }
        }
        iterations += 1;
        let moved = if check_finite(path).is_err() {
            Err(Error::NonFiniteGradient)
        } else {
            evaluate(obj, path, energies, grads, n, false, &mut counts)
        };
        if let Err(e) = moved {
            copy(path, prev);
            return Err(e);
        }
        // The band has stretched or shrunk by a factor 2 since the scales were measured: the
        // curvature, spring, time step and move limit are measured again on the band as it is.
        let spacing = band_length(path, n, m) / last;
        if spacing.is_finite() && (spacing > T::TWO * d_ref || T::TWO * spacing < d_ref) {
            match reprobe(obj, path, vel, grads, n, m, spacing, &mut counts) {
                Ok(l) if l > T::ZERO && l.is_finite() => {
                    lambda = l;
                    spring = config.spring * l;
                    fire.dt_max = config.step / l.sqrt();
                    fire.dt = fire.dt.min(fire.dt_max);
                }
                Ok(_) => {}
                Err(e) => {
                    copy(path, prev);
                    return Err(e);
                }
            }
            if counts.fd {
                match measure_noise(obj, path, energies, vel, n, &mut counts) {
                    Ok(r) => noise = r,
                    Err(e) => {
                        copy(path, prev);
                        return Err(e);
                    }
                }
            }
            d_ref = spacing;
            max_move = config.max_move * spacing;
            h_fd = T::EPSILON_R.cbrt() * spacing;
        }
    };
    let top = highest(energies);
    let e_top = at(energies, top);
    let barrier_from_a = e_top - at(energies, 0);
    let barrier_from_b = e_top - at(energies, m.saturating_sub(1));
    if !(barrier_from_a.is_finite() && barrier_from_b.is_finite()) {
        // Finite energies whose differences overflow.
        if iterations == 0 {
            copy(path, prev);
        }
        return Err(Error::NonFiniteLoss);
    }
    Ok(NebReport {
        climbing: top,
        climbed: climbing,
        barrier_from_a,
        barrier_from_b,
        max_force,
        iterations,
        value_evals: counts.values,
        grad_evals: counts.grads,
        converged,
        kinks,
        mode_grads: counts.mode,
        curvature: lambda,
        force_scale: f0,
        noise,
    })
}

/// Copies `src` into `dst` over the common prefix.
fn copy<T: Copy>(dst: &mut [T], src: &[T]) {
    dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s);
}

/// A relaxed band from [`neb`]: the path, its energies, the saddle estimate and the report.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Neb<T: Real, const N: usize, const IMAGES: usize> {
    /// The images, `path[0] = a` and `path[IMAGES − 1] = b`.
    pub path: [[T; N]; IMAGES],
    /// Energy of each image.
    pub energies: [T; IMAGES],
    /// The saddle-point estimate: the climbing image, `path[report.climbing]`.
    pub saddle: [T; N],
    /// Barriers, final force, counts, convergence.
    pub report: NebReport<T>,
}

impl<T: Real, const N: usize, const IMAGES: usize> Neb<T, N, IMAGES> {
    /// Classifies [`saddle`](Neb::saddle) with [`classify_at`] (gradient and Hessian of `obj`
    /// there); a converged climbing image between two minima gives
    /// [`CriticalPoint::Saddle`]` { index: 1 }`. The point counts as critical when
    /// `|∇E| ≤ tol.grad`, so `tol.grad` should not be below the run's
    /// [`NebConfig::force_tol`] (it is not, for both defaults).
    pub fn classify<O: Objective<T, N> + ?Sized>(
        &self,
        obj: &mut O,
        tol: &Tolerance<T>,
    ) -> Result<(CriticalPoint, Curvature<T, N>), Error> {
        classify_at(obj, &self.saddle, tol)
    }
}

/// Nudged elastic band with climbing image from `a` to `b` over `IMAGES` images (endpoints
/// included, `IMAGES ≥ 3`): the minimum-energy path, the saddle where it crosses the ridge and
/// the barrier from each side. Errors and the divergence guard as for [`neb_slice`]; nothing
/// is returned on error. Scratch: `(3·IMAGES + 1)·N` values on the stack.
///
/// ```
/// use lossmap::landscape::{neb, CriticalPoint, NebConfig, Tolerance};
/// use lossmap::testfn::Himmelblau;
/// let [a, b] = [Himmelblau::MINIMA[0], Himmelblau::MINIMA[3]];
/// let band = neb::<f64, _, 2, 9>(&mut Himmelblau, &a, &b, &NebConfig::default()).unwrap();
/// assert!(band.report.converged);
/// let s = Himmelblau::SADDLES[2]; // (3.385, 0.074), barrier 13.31 from both minima
/// assert!((band.saddle[0] - s[0]).abs() < 1e-6 && (band.saddle[1] - s[1]).abs() < 1e-6);
/// assert!((band.report.barrier_from_a - 13.311926).abs() < 1e-6);
/// let (kind, _) = band.classify(&mut Himmelblau, &Tolerance::default()).unwrap();
/// assert_eq!(kind, CriticalPoint::Saddle { index: 1 });
/// ```
pub fn neb<T: Real, O: Objective<T, N> + ?Sized, const N: usize, const IMAGES: usize>(
    obj: &mut O,
    a: &[T; N],
    b: &[T; N],
    config: &NebConfig<T>,
) -> Result<Neb<T, N, IMAGES>, Error> {
    let mut path = [[T::ZERO; N]; IMAGES];
    let mut energies = [T::ZERO; IMAGES];
    let mut work = [[[T::ZERO; N]; IMAGES]; 3];
    let mut mode_work = [T::ZERO; N];
    let report = neb_parts(
        &mut Fixed::<O, N>(obj),
        a,
        b,
        path.as_flattened_mut(),
        &mut energies,
        work.as_flattened_mut().as_flattened_mut(),
        &mut mode_work,
        config,
    )?;
    let saddle = path.get(report.climbing).copied().unwrap_or(*a);
    Ok(Neb {
        path,
        energies,
        saddle,
        report,
    })
}
