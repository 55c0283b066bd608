//! RMSProp (Hinton, *Neural Networks for Machine Learning*, lecture 6e; centered variant of
//! Graves 2013), as `torch.optim.RMSprop` (PyTorch documentation, "RMSprop" algorithm box;
//! `maximize` is not offered):
//!
//! ```text
//! g ← g + λθ                          (weight_decay λ)
//! v ← αv + (1 − α)g²                  (alpha α)
//! ṽ ← v
//! if centered:
//!     ḡ ← αḡ + (1 − α)g
//!     ṽ ← v − ḡ²
//! if μ > 0:                           (momentum μ)
//!     b ← μb + g / (√ṽ + ε)
//!     θ ← θ − γb
//! else:
//!     θ ← θ − γ · g / (√ṽ + ε)
//! ```
//!
//! with v, ḡ and b starting at 0, in the operation order of torch's single-tensor
//! implementation. Defaults as torch: γ = 1e-2, α = 0.99, ε = 1e-8, λ = 0, μ = 0, not centered.
//! Deviations: ε must be > 0 and α, μ must lie in [0, 1); the centered ṽ is clamped at 0
//! (v ≥ ḡ² holds exactly, so this only catches rounding, where torch would take √ of a
//! negative number and return NaN).

use super::{fill, flag, lr_methods, non_negative, param, positive, unit};
use crate::error::{check_len, Error};
use crate::optim::guard::{all_finite, half_max, square_limit, sum_abs, sum_second, valid_second};
use crate::optim::Optimizer;
use crate::Real;

/// RMSProp hyperparameters (torch.optim names and defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct RmsPropConfig<T> {
    /// Learning rate γ > 0.
    pub lr: T,
    /// Smoothing constant α ∈ [0, 1) of the squared-gradient average.
    pub alpha: T,
    /// Denominator offset ε > 0.
    pub eps: T,
    /// L2 weight decay λ ≥ 0 (added to the gradient).
    pub weight_decay: T,
    /// Momentum μ ∈ [0, 1); 0 turns the momentum buffer off.
    pub momentum: T,
    /// Centered RMSProp (normalize by the estimated variance): 0 or 1.
    pub centered: u8,
    /// Maximize instead of minimize (torch's `maximize`): 0 (default) or 1; 1 negates the
    /// gradient. The negation is folded into the rate and the decay term (no per-element cost,
    /// the same new θ bit for bit); the state linear in the gradient (momentum buffer, gradient
    /// average, first moment) then holds the negatives of torch's.
    pub maximize: u8,
}

impl<T: Real> Default for RmsPropConfig<T> {
    fn default() -> Self {
        RmsPropConfig {
            lr: T::from_f64(1e-2),
            alpha: T::from_f64(0.99),
            eps: T::from_f64(1e-8),
            weight_decay: T::ZERO,
            momentum: T::ZERO,
            centered: 0,
            maximize: 0,
        }
    }
}

impl<T: Real> RmsPropConfig<T> {
    /// Checks every hyperparameter: [`Error::InvalidParameter`] if out of range or not finite.
    pub fn validate(&self) -> Result<(), Error> {
        param(
            positive(self.lr)
                && unit(self.alpha)
                && positive(self.eps)
                && non_negative(self.weight_decay)
                && unit(self.momentum)
                && flag(self.centered)
                && flag(self.maximize),
        )
    }
}

/// One RMSProp step over slices: the kernel behind [`RmsProp`], [`RmsPropView`] and the C ABI.
///
/// `t` counts the steps taken (incremented here); `v` is the squared-gradient average (length
/// n), `grad_avg` the gradient average (length n when centered, else ignored and may be
/// empty), `buf` the momentum buffer (length n when μ > 0, else ignored and may be empty).
/// Everything is checked before anything is written, in this order: lengths
/// ([`Error::Empty`] for n = 0, [`Error::LengthMismatch`]), the hyperparameters
/// ([`Error::InvalidParameter`]), NaN/±∞ in `x`, `g` or the state in use (`v` must also be
/// ≥ 0: [`Error::NonFiniteInput`]), and that `(g + λθ)²` and the new values cannot overflow
/// ([`Error::NonFiniteGradient`]).
///
/// Cost: one read-only pass (sums of |x|, |g|, v and of the buffers in use, which bound every
/// new value) and one writing pass specialized for the options in use; an exact per-element
/// check runs only when a bound fails.
///
/// ```
/// use lossmap::optim::{rmsprop_step, RmsPropConfig};
/// let cfg = RmsPropConfig { lr: 0.1, alpha: 0.75, ..RmsPropConfig::default() };
/// let (mut t, mut v, mut x) = (0u32, [0.0f64], [1.0]);
/// rmsprop_step(&cfg, &mut t, &mut v, &mut [], &mut [], &mut x, &[2.0]).unwrap();
/// // v = 0.25 · 4 = 1, step = 0.1 · 2 / (1 + 1e-8)
/// assert!((x[0] - 0.8).abs() < 1e-8 && v[0] == 1.0);
/// ```
pub fn rmsprop_step<T: Real>(
    cfg: &RmsPropConfig<T>,
    t: &mut u32,
    v: &mut [T],
    grad_avg: &mut [T],
    buf: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    check_len(g.len(), n)?;
    check_len(v.len(), n)?;
    let centered = cfg.centered != 0;
    let heavy = cfg.momentum > T::ZERO;
    if centered {
        check_len(grad_avg.len(), n)?;
    }
    if heavy {
        check_len(buf.len(), n)?;
    }
    cfg.validate()?;
    let mut k = Coeffs {
        lr: cfg.lr,
        alpha: cfg.alpha,
        one_m_alpha: T::ONE - cfg.alpha,
        eps: cfg.eps,
        wd: cfg.weight_decay,
        mu: cfg.momentum,
    };
    let wd = k.wd != T::ZERO;
    // Bounds from the sums (each ≥ the corresponding maximum, computed with the update's own
    // operations, so they bound the computed values):
    //   |d|  ≤ D = Σ|g| + λΣ|θ|           (d = g + λθ; D < √MAX/2 keeps d² finite)
    //   v'   ≤ V = αΣv + (1 − α)D²
    //   |ḡ'| ≤ A = αΣ|ḡ| + (1 − α)D       (centered; A < √MAX/2 keeps ḡ'² finite)
    //   0 ≤ ṽ ≤ v', so √ṽ + ε ≥ ε and |d/(√ṽ + ε)| ≤ Q = D/ε
    //   |b'| ≤ B = μΣ|b| + Q               (momentum)
    //   |θ'| ≤ Θ = Σ|θ| + γ·(B or Q)
    // Every comparison is false for NaN, so a non-finite sum fails.
    let (sx, sg) = (sum_abs(x), sum_abs(g));
    let (sv, v_min) = sum_second(v);
    let sa = if centered { sum_abs(grad_avg) } else { T::ZERO };
    let sb = if heavy { sum_abs(buf) } else { T::ZERO };
    let db = if wd { sg + k.wd * sx } else { sg };
    let vb = k.alpha * sv + k.one_m_alpha * db * db;
    let ab = k.alpha * sa + k.one_m_alpha * db;
    let qb = db / k.eps;
    let bb = k.mu * sb + qb;
    let xb = sx + k.lr * if heavy { bb } else { qb };
    let (hm, limit) = (half_max::<T>(), square_limit::<T>());
    let fast = sx < hm
        && sg < hm
        && sv < hm
        && v_min >= T::ZERO
        && sa < hm
        && sb < hm
        && db < limit
        && vb < hm
        && ab < limit
        && qb < hm
        && bb < hm
        && xb < hm;
    if cfg.maximize != 0 {
        k.maximize();
    }
    if !fast {
        k.check_exact(wd, centered, heavy, v, grad_avg, buf, x, g)?;
    }
    match (wd, centered, heavy) {
        (false, false, false) => k.update::<false, false, false>(v, grad_avg, buf, x, g),
        (true, false, false) => k.update::<true, false, false>(v, grad_avg, buf, x, g),
        (false, true, false) => k.update::<false, true, false>(v, grad_avg, buf, x, g),
        (true, true, false) => k.update::<true, true, false>(v, grad_avg, buf, x, g),
        (false, false, true) => k.update::<false, false, true>(v, grad_avg, buf, x, g),
        (true, false, true) => k.update::<true, false, true>(v, grad_avg, buf, x, g),
        (false, true, true) => k.update::<false, true, true>(v, grad_avg, buf, x, g),
        (true, true, true) => k.update::<true, true, true>(v, grad_avg, buf, x, g),
    }
    *t = t.saturating_add(1);
    Ok(())
}

/// The constants of one RMSProp step.
#[derive(Clone, Copy)]
struct Coeffs<T> {
    lr: T,
    alpha: T,
    one_m_alpha: T,
    eps: T,
    wd: T,
    mu: T,
}

impl<T: Real> Coeffs<T> {
    /// torch's `maximize` at no per-element cost: `−g + λθ = −(g + (−λ)θ)` and every moment that is
    /// linear in the gradient changes sign with it (exactly: rounding is symmetric), so negating the
    /// rate and the decay term after the bounds (which use absolute values) gives the same new θ;
    /// the linear state (momentum buffer, gradient average, first moment) then holds the moments of
    /// `g`, i.e. the negatives of torch's.
    fn maximize(&mut self) {
        self.lr = -self.lr;
        self.wd = -self.wd;
    }

    /// The effective gradient `d = g + λθ` (`g` itself without decay, as torch skips the term).
    #[inline(always)]
    fn grad(&self, wd: bool, xi: T, gi: T) -> T {
        if wd {
            gi + self.wd * xi
        } else {
            gi
        }
    }

    /// New `(θ, v, ḡ, b)` from `(θ, v, ḡ, b, g)` in torch's operation order; `ḡ` and `b` pass
    /// through when not in use.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn apply(
        &self,
        wd: bool,
        centered: bool,
        heavy: bool,
        xi: T,
        vi: T,
        ai: T,
        bi: T,
        gi: T,
    ) -> (T, T, T, T) {
        let d = self.grad(wd, xi, gi);
        let v = self.alpha * vi + self.one_m_alpha * d * d;
        let (a, var) = if centered {
            let a = self.alpha * ai + self.one_m_alpha * d;
            let c = v - a * a;
            (a, if c > T::ZERO { c } else { T::ZERO })
        } else {
            (ai, v)
        };
        let avg = var.sqrt() + self.eps;
        if heavy {
            let b = self.mu * bi + d / avg;
            (xi - self.lr * b, v, a, b)
        } else {
            (xi - self.lr * (d / avg), v, a, bi)
        }
    }

    /// The writing pass, monomorphized for the options (decay on or off, centered, momentum).
    #[inline(always)]
    fn update<const WD: bool, const CENTERED: bool, const HEAVY: bool>(
        &self,
        v: &mut [T],
        grad_avg: &mut [T],
        buf: &mut [T],
        x: &mut [T],
        g: &[T],
    ) {
        let xv = x.iter_mut().zip(v.iter_mut());
        match (CENTERED, HEAVY) {
            (false, false) => {
                for ((xi, vi), &gi) in xv.zip(g) {
                    let z = T::ZERO;
                    let (a, b, _, _) = self.apply(WD, false, false, *xi, *vi, z, z, gi);
                    (*xi, *vi) = (a, b);
                }
            }
            (true, false) => {
                for (((xi, vi), ai), &gi) in xv.zip(grad_avg.iter_mut()).zip(g) {
                    let (a, b, c, _) = self.apply(WD, true, false, *xi, *vi, *ai, T::ZERO, gi);
                    (*xi, *vi, *ai) = (a, b, c);
                }
            }
            (false, true) => {
                for (((xi, vi), bi), &gi) in xv.zip(buf.iter_mut()).zip(g) {
                    let (a, b, _, d) = self.apply(WD, false, true, *xi, *vi, T::ZERO, *bi, gi);
                    (*xi, *vi, *bi) = (a, b, d);
                }
            }
            (true, true) => {
                let it = xv.zip(grad_avg.iter_mut()).zip(buf.iter_mut()).zip(g);
                for ((((xi, vi), ai), bi), &gi) in it {
                    (*xi, *vi, *ai, *bi) = self.apply(WD, true, true, *xi, *vi, *ai, *bi, gi);
                }
            }
        }
    }

    /// The exact per-element check (the slow path): the first error in the documented order.
    /// Buffers not in use read as zero.
    #[allow(clippy::too_many_arguments)]
    #[cold]
    fn check_exact(
        &self,
        wd: bool,
        centered: bool,
        heavy: bool,
        v: &[T],
        grad_avg: &[T],
        buf: &[T],
        x: &[T],
        g: &[T],
    ) -> Result<(), Error> {
        if !all_finite(x)
            || !all_finite(g)
            || !valid_second(v)
            || (centered && !all_finite(grad_avg))
            || (heavy && !all_finite(buf))
        {
            return Err(Error::NonFiniteInput);
        }
        let limit = square_limit::<T>();
        if x.iter()
            .zip(g)
            .any(|(&xi, &gi)| self.grad(wd, xi, gi).abs() >= limit)
        {
            return Err(Error::NonFiniteGradient);
        }
        let at = |s: &[T], on: bool, i: usize| {
            if on {
                s.get(i).copied().unwrap_or(T::ZERO)
            } else {
                T::ZERO
            }
        };
        let ok = x
            .iter()
            .zip(v)
            .zip(g)
            .enumerate()
            .all(|(i, ((&xi, &vi), &gi))| {
                let (ai, bi) = (at(grad_avg, centered, i), at(buf, heavy, i));
                let (a, b, c, d) = self.apply(wd, centered, heavy, xi, vi, ai, bi, gi);
                a.is_finite() && b.is_finite() && c.is_finite() && d.is_finite()
            });
        if ok {
            Ok(())
        } else {
            Err(Error::NonFiniteGradient)
        }
    }
}

/// RMSProp with its buffers in fixed-size arrays.
///
/// ```
/// use lossmap::optim::{Optimizer, RmsProp, RmsPropConfig};
/// let cfg = RmsPropConfig { centered: 1, momentum: 0.5, ..RmsPropConfig::default() };
/// let mut opt = RmsProp::<f32, 2>::new(cfg).unwrap();
/// let mut x = [1.0f32, -1.0];
/// opt.step(&mut x, &[0.5, -0.5]).unwrap();
/// assert!(x[0] < 1.0 && x[1] > -1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RmsProp<T, const N: usize> {
    /// Hyperparameters.
    pub config: RmsPropConfig<T>,
    /// Steps taken.
    pub t: u32,
    /// Squared-gradient average v.
    pub v: [T; N],
    /// Gradient average ḡ (centered only).
    pub grad_avg: [T; N],
    /// Momentum buffer b (μ > 0 only).
    pub buf: [T; N],
}

impl<T: Real, const N: usize> RmsProp<T, N> {
    /// A fresh optimizer; [`Error::InvalidParameter`] for bad hyperparameters.
    pub fn new(config: RmsPropConfig<T>) -> Result<Self, Error> {
        config.validate()?;
        Ok(RmsProp {
            config,
            t: 0,
            v: [T::ZERO; N],
            grad_avg: [T::ZERO; N],
            buf: [T::ZERO; N],
        })
    }
}

impl<T: Real, const N: usize> Optimizer<T> for RmsProp<T, N> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        let c = &self.config;
        rmsprop_step(
            c,
            &mut self.t,
            &mut self.v,
            &mut self.grad_avg,
            &mut self.buf,
            x,
            g,
        )
    }
    fn reset(&mut self) {
        self.t = 0;
        fill(
            &mut [&mut self.v, &mut self.grad_avg, &mut self.buf],
            T::ZERO,
        );
    }
    lr_methods!(momentum, state: |s: &Self| {
        valid_second(&s.v[..])
            && (s.config.centered == 0 || all_finite(&s.grad_avg[..]))
            && (s.config.momentum == T::ZERO || all_finite(&s.buf[..]))
    });
}

/// RMSProp over borrowed buffers (the C instance struct's view); `grad_avg` and `buf` may be
/// empty when not centered / μ = 0.
#[derive(Debug)]
pub struct RmsPropView<'a, T> {
    /// Hyperparameters.
    pub config: RmsPropConfig<T>,
    /// Steps taken.
    pub t: &'a mut u32,
    /// Squared-gradient average, length n.
    pub v: &'a mut [T],
    /// Gradient average, length n (or empty when not centered).
    pub grad_avg: &'a mut [T],
    /// Momentum buffer, length n (or empty when μ = 0).
    pub buf: &'a mut [T],
}

impl<T: Real> Optimizer<T> for RmsPropView<'_, T> {
    fn step(&mut self, x: &mut [T], g: &[T]) -> Result<(), Error> {
        rmsprop_step(&self.config, self.t, self.v, self.grad_avg, self.buf, x, g)
    }
    fn reset(&mut self) {
        *self.t = 0;
        fill(
            &mut [&mut *self.v, &mut *self.grad_avg, &mut *self.buf],
            T::ZERO,
        );
    }
    lr_methods!(momentum, state: |s: &Self| {
        valid_second(&s.v[..])
            && (s.config.centered == 0 || all_finite(&s.grad_avg[..]))
            && (s.config.momentum == T::ZERO || all_finite(&s.buf[..]))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_state_is_rejected_without_writing() {
        let all = RmsPropConfig::<f64> {
            centered: 1,
            momentum: 0.5,
            ..RmsPropConfig::default()
        };
        let ok = [0.25f64, 0.25];
        let bad = [
            [f64::NAN, 0.0],
            [0.0, f64::INFINITY],
            [f64::NEG_INFINITY, 0.0],
        ];
        // (v, ḡ, b): each buffer in turn invalid, the others valid; v also negative.
        let mut cases = [[[0.25, -1e-300], ok, ok]; 10];
        for (i, s) in bad.into_iter().enumerate() {
            cases[3 * i] = [s, ok, ok];
            cases[3 * i + 1] = [ok, s, ok];
            cases[3 * i + 2] = [ok, ok, s];
        }
        for state in cases {
            let [mut v, mut a, mut b] = state;
            let (mut t, mut x) = (2u32, [1.0f64, 2.0]);
            assert_eq!(
                rmsprop_step(&all, &mut t, &mut v, &mut a, &mut b, &mut x, &[0.5, 0.5]),
                Err(Error::NonFiniteInput),
                "{state:?}"
            );
            assert_eq!((t, x), (2, [1.0, 2.0]));
            let bits = |s: [f64; 2]| s.map(f64::to_bits);
            assert_eq!([bits(v), bits(a), bits(b)], state.map(bits));
        }
        // Buffers not in use are neither read nor written.
        let plain = RmsPropConfig::<f64>::default();
        let (mut t, mut v, mut a, mut b, mut x) = (2u32, ok, bad[0], bad[1], [1.0f64, 2.0]);
        rmsprop_step(&plain, &mut t, &mut v, &mut a, &mut b, &mut x, &[0.5, 0.5]).unwrap();
        assert!(a[0].is_nan() && a[1] == 0.0 && b == bad[1] && t == 3);
    }

    /// Near overflow the bounds of the read-only pass fail and the exact check decides: a huge
    /// but safe θ, and gradients whose sum passes √MAX/2 while each stays below, still step;
    /// an update that would overflow, or a single gradient at √MAX/2, is refused.
    #[test]
    fn near_overflow_the_exact_check_decides() {
        let cfg = RmsPropConfig::<f32> {
            lr: 0.5,
            alpha: 0.75,
            ..RmsPropConfig::default()
        };
        let step = |c: &RmsPropConfig<f32>, v: &mut [f32], x: &mut [f32], g: &[f32]| {
            rmsprop_step(c, &mut 0, v, &mut [], &mut [], x, g)
        };
        // v' = g²/4, so the step is γ·g/(|g|/2 + ε) ≈ ±2γ = ±1.
        let (mut v, mut x) = ([0.0f32; 2], [3e38f32, 1.0]);
        step(&cfg, &mut v, &mut x, &[1.0, -1.0]).unwrap();
        assert_eq!((v, x[0]), ([0.25, 0.25], 3e38));
        assert!((x[1] - 2.0).abs() < 1e-6);

        let (mut v, mut x) = ([0.0f32; 2], [1.0f32, 1.0]);
        step(&cfg, &mut v, &mut x, &[6e18, -6e18]).unwrap();
        assert!((v[0] / 9e36 - 1.0).abs() < 1e-6 && v[0] == v[1]);
        assert!(x[0].abs() < 1e-6 && (x[1] - 2.0).abs() < 1e-6);

        let big = RmsPropConfig::<f32> { lr: 1e38, ..cfg };
        let (mut v, mut x) = ([0.0f32], [-3e38f32]);
        let before = (v, x);
        assert_eq!(
            step(&big, &mut v, &mut x, &[1.0]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((v, x), before);
        assert_eq!(
            step(&cfg, &mut v, &mut x, &[9.3e18]),
            Err(Error::NonFiniteGradient)
        );
        assert_eq!((v, x), before);
    }
}
