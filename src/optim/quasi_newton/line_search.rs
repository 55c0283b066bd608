//! The Moré–Thuente line search for the strong Wolfe conditions (Moré & Thuente, "Line search
//! algorithms with guaranteed sufficient decrease", *ACM TOMS* 20, 1994; the MINPACK-2
//! routines `dcsrch`/`dcstep` behind L-BFGS-B and `scipy.optimize.line_search_wolfe1`).
//!
//! Along `φ(α) = f(x + αp)` with `φ'(0) < 0` it looks for a step with
//!
//! ```text
//! φ(α) ≤ φ(0) + c₁ α φ'(0)        (sufficient decrease)
//! |φ'(α)| ≤ c₂ |φ'(0)|            (curvature)
//! ```
//!
//! keeping an interval of uncertainty `[stx, sty]` and choosing each trial by the safeguarded
//! cubic/quadratic interpolation of the paper's §4 (cases 1–4 of `dcstep`). While no point has
//! met the sufficient decrease with `φ' ≥ 0`, it works on the modified function
//! `ψ(α) = φ(α) − φ(0) − c₁ α φ'(0)` (the paper's stage 1).

use crate::Real;

/// Why a Moré–Thuente search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LsEnd {
    /// Both strong Wolfe conditions hold.
    Converged,
    /// The step reached its upper limit with sufficient decrease and `φ' ≤ c₁φ'(0)`.
    AtMax,
    /// The step reached its lower limit.
    AtMin,
    /// Rounding errors prevent progress, or the interval is below `xtol`.
    Stalled,
}

/// The state of one search (the variables `dcsrch` keeps between calls).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MoreThuente<T> {
    gtol: T,
    xtol: T,
    stpmin: T,
    stpmax: T,
    finit: T,
    ginit: T,
    gtest: T,
    stage2: bool,
    br: Bracket<T>,
    stmin: T,
    stmax: T,
    width: T,
    width1: T,
}

/// The interval of uncertainty: the best step `stx` so far and the other end `sty`, with their
/// values and derivatives.
#[derive(Debug, Clone, Copy)]
struct Bracket<T> {
    stx: T,
    fx: T,
    dx: T,
    sty: T,
    fy: T,
    dy: T,
    brackt: bool,
}

/// Extrapolation factors of `dcsrch` before a minimizer is bracketed.
const XTRAPL: f64 = 1.1;
const XTRAPU: f64 = 4.0;

impl<T: Real> MoreThuente<T> {
    /// A search from `φ(0) = f0`, `φ'(0) = g0 < 0` whose first trial is `stp` in
    /// `[stpmin, stpmax]`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(f0: T, g0: T, stp: T, stpmin: T, stpmax: T, c1: T, c2: T, xtol: T) -> Self {
        let width = stpmax - stpmin;
        MoreThuente {
            gtol: c2,
            xtol,
            stpmin,
            stpmax,
            finit: f0,
            ginit: g0,
            gtest: c1 * g0,
            stage2: false,
            br: Bracket {
                stx: T::ZERO,
                fx: f0,
                dx: g0,
                sty: T::ZERO,
                fy: f0,
                dy: g0,
                brackt: false,
            },
            stmin: T::ZERO,
            stmax: stp + T::from_f64(XTRAPU) * stp,
            width,
            width1: width * T::TWO,
        }
    }

    /// Takes `φ(stp) = f`, `φ'(stp) = g` and returns either the end of the search or the next
    /// trial step.
    pub(crate) fn next(&mut self, stp: T, f: T, g: T) -> Result<T, LsEnd> {
        let ftest = self.finit + stp * self.gtest;
        if !self.stage2 && f <= ftest && g >= T::ZERO {
            self.stage2 = true;
        }
        // Convergence takes precedence over the warnings, as in `dcsrch`.
        if f <= ftest && g.abs() <= self.gtol * (-self.ginit) {
            return Err(LsEnd::Converged);
        }
        if stp == self.stpmin && (f > ftest || g >= self.gtest) {
            return Err(LsEnd::AtMin);
        }
        if stp == self.stpmax && f <= ftest && g <= self.gtest {
            return Err(LsEnd::AtMax);
        }
        if self.br.brackt
            && (stp <= self.stmin
                || stp >= self.stmax
                || self.stmax - self.stmin <= self.xtol * self.stmax)
        {
            return Err(LsEnd::Stalled);
        }
        let mut stp_new;
        if !self.stage2 && f <= self.br.fx && f > ftest {
            // Stage 1 on ψ: shift values and derivatives by the sufficient-decrease line.
            let gt = self.gtest;
            let mut m = Bracket {
                fx: self.br.fx - self.br.stx * gt,
                fy: self.br.fy - self.br.sty * gt,
                dx: self.br.dx - gt,
                dy: self.br.dy - gt,
                ..self.br
            };
            stp_new = m.step(stp, f - stp * gt, g - gt, self.stmin, self.stmax);
            self.br = Bracket {
                fx: m.fx + m.stx * gt,
                fy: m.fy + m.sty * gt,
                dx: m.dx + gt,
                dy: m.dy + gt,
                ..m
            };
        } else {
            stp_new = self.br.step(stp, f, g, self.stmin, self.stmax);
        }
        let half = T::HALF;
        if self.br.brackt {
            // Bisect when the interval did not shrink enough over two steps.
            let w = (self.br.sty - self.br.stx).abs();
            if w >= T::from_f64(0.66) * self.width1 {
                stp_new = self.br.stx + half * (self.br.sty - self.br.stx);
            }
            self.width1 = self.width;
            self.width = w;
            self.stmin = self.br.stx.min(self.br.sty);
            self.stmax = self.br.stx.max(self.br.sty);
        } else {
            self.stmin = stp_new + T::from_f64(XTRAPL) * (stp_new - self.br.stx);
            self.stmax = stp_new + T::from_f64(XTRAPU) * (stp_new - self.br.stx);
        }
        stp_new = stp_new.max(self.stpmin).min(self.stpmax);
        // No further progress possible: the best step found is the last trial.
        if self.br.brackt
            && (stp_new <= self.stmin
                || stp_new >= self.stmax
                || self.stmax - self.stmin <= self.xtol * self.stmax)
        {
            stp_new = self.br.stx;
        }
        if !stp_new.is_finite() {
            return Err(LsEnd::Stalled);
        }
        Ok(stp_new)
    }
}

/// `s·sqrt(max(0, (a/s)² − (b/s)(c/s)))`, the scaled discriminant of `dcstep`.
fn scaled_root<T: Real>(theta: T, b: T, c: T) -> T {
    let s = theta.abs().max(b.abs()).max(c.abs());
    if s == T::ZERO {
        return T::ZERO;
    }
    let (t, u, v) = (theta / s, b / s, c / s);
    s * (t * t - u * v).max(T::ZERO).sqrt()
}

impl<T: Real> Bracket<T> {
    /// One `dcstep`: the next trial from the trial `stp` with value `fp` and derivative `dp`,
    /// clamped to `[lo, hi]` when not bracketed, and the updated interval.
    fn step(&mut self, stp: T, fp: T, dp: T, lo: T, hi: T) -> T {
        let (stx, fx, dx) = (self.stx, self.fx, self.dx);
        let three = T::from_f64(3.0);
        let sgnd = dp * dx.signum();
        let stpf;
        if fp > fx {
            // Case 1: higher value; the minimizer is bracketed.
            let theta = three * (fx - fp) / (stp - stx) + dx + dp;
            let mut gamma = scaled_root(theta, dx, dp);
            if stp < stx {
                gamma = -gamma;
            }
            let p = (gamma - dx) + theta;
            let q = ((gamma - dx) + gamma) + dp;
            let stpc = stx + (p / q) * (stp - stx);
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / T::TWO) * (stp - stx);
            stpf = if (stpc - stx).abs() < (stpq - stx).abs() {
                stpc
            } else {
                stpc + (stpq - stpc) / T::TWO
            };
            self.brackt = true;
        } else if sgnd < T::ZERO {
            // Case 2: lower value, derivatives of opposite sign; bracketed.
            let theta = three * (fx - fp) / (stp - stx) + dx + dp;
            let mut gamma = scaled_root(theta, dx, dp);
            if stp > stx {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = ((gamma - dp) + gamma) + dx;
            let stpc = stp + (p / q) * (stx - stp);
            let stpq = stp + (dp / (dp - dx)) * (stx - stp);
            stpf = if (stpc - stp).abs() > (stpq - stp).abs() {
                stpc
            } else {
                stpq
            };
            self.brackt = true;
        } else if dp.abs() < dx.abs() {
            // Case 3: lower value, same-sign derivative decreasing in magnitude.
            let theta = three * (fx - fp) / (stp - stx) + dx + dp;
            let mut gamma = scaled_root(theta, dx, dp);
            if stp > stx {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = (gamma + (dx - dp)) + gamma;
            let r = p / q;
            let stpc = if r < T::ZERO && gamma != T::ZERO {
                stp + r * (stx - stp)
            } else if stp > stx {
                hi
            } else {
                lo
            };
            let stpq = stp + (dp / (dp - dx)) * (stx - stp);
            let six = T::from_f64(0.66);
            if self.brackt {
                let f = if (stpc - stp).abs() < (stpq - stp).abs() {
                    stpc
                } else {
                    stpq
                };
                stpf = if stp > stx {
                    (stp + six * (self.sty - stp)).min(f)
                } else {
                    (stp + six * (self.sty - stp)).max(f)
                };
            } else {
                let f = if (stpc - stp).abs() > (stpq - stp).abs() {
                    stpc
                } else {
                    stpq
                };
                stpf = f.min(hi).max(lo);
            }
        } else if self.brackt {
            // Case 4: lower value, derivative not decreasing; cubic through stp and sty.
            let theta = three * (fp - self.fy) / (self.sty - stp) + self.dy + dp;
            let mut gamma = scaled_root(theta, self.dy, dp);
            if stp > self.sty {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = ((gamma - dp) + gamma) + self.dy;
            stpf = stp + (p / q) * (self.sty - stp);
        } else if stp > stx {
            stpf = hi;
        } else {
            stpf = lo;
        }
        if fp > fx {
            self.sty = stp;
            self.fy = fp;
            self.dy = dp;
        } else {
            if sgnd < T::ZERO {
                self.sty = stx;
                self.fy = fx;
                self.dy = dx;
            }
            self.stx = stp;
            self.fx = fp;
            self.dx = dp;
        }
        if stpf.is_finite() {
            stpf
        } else {
            // Degenerate interpolation (coincident points): bisect or extrapolate.
            if self.brackt {
                self.stx + T::HALF * (self.sty - self.stx)
            } else {
                hi
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a search on `φ` and returns the accepted step and the number of evaluations.
    fn search(phi: impl Fn(f64) -> (f64, f64), stp: f64) -> (f64, usize, LsEnd) {
        let (f0, g0) = phi(0.0);
        let mut ls = MoreThuente::new(f0, g0, stp, 0.0, 1e10, 1e-4, 0.9, 0.1);
        let mut stp = stp;
        for k in 1..50 {
            let (f, g) = phi(stp);
            match ls.next(stp, f, g) {
                Ok(s) => stp = s,
                Err(e) => return (stp, k, e),
            }
        }
        panic!("no end");
    }

    #[test]
    fn strong_wolfe_on_the_papers_first_function() {
        // Moré & Thuente 1994, Table 1: φ(α) = −α/(α² + β), β = 2, with c₁ = 1e-3, c₂ = 0.1.
        let phi = |a: f64| (-a / (a * a + 2.0), (a * a - 2.0) / (a * a + 2.0).powi(2));
        for stp0 in [1e-3, 1e-1, 1e1, 1e3] {
            let (f0, g0) = phi(0.0);
            let mut ls = MoreThuente::new(f0, g0, stp0, 0.0, 1e10, 1e-3, 0.1, 0.1);
            let mut stp = stp0;
            let mut end = None;
            for _ in 0..30 {
                let (f, g) = phi(stp);
                match ls.next(stp, f, g) {
                    Ok(s) => stp = s,
                    Err(e) => {
                        end = Some(e);
                        break;
                    }
                }
            }
            assert_eq!(end, Some(LsEnd::Converged), "from {stp0}");
            let (f, g) = phi(stp);
            assert!(
                f <= f0 + 1e-3 * stp * g0 && g.abs() <= 0.1 * g0.abs(),
                "from {stp0}: {stp}"
            );
        }
    }

    #[test]
    fn a_quadratic_accepts_the_unit_step_at_once() {
        let (stp, evals, end) = search(|a| ((a - 1.0).powi(2), 2.0 * (a - 1.0)), 1.0);
        assert_eq!((stp, evals, end), (1.0, 1, LsEnd::Converged));
        // From a tiny step it extrapolates and then interpolates to the minimizer.
        let (stp, _, end) = search(|a| ((a - 1.0).powi(2), 2.0 * (a - 1.0)), 1e-3);
        assert_eq!(end, LsEnd::Converged);
        assert!((stp - 1.0).abs() <= 0.9);
    }
}
