//! The Nelder–Mead simplex method with the adaptive coefficients of Gao & Han ("Implementing
//! the Nelder–Mead simplex algorithm with adaptive parameters", *Comput. Optim. Appl.* 51,
//! 2012), in the form of `scipy.optimize.minimize(method='Nelder-Mead', adaptive=True)`.
//!
//! For `n` parameters: reflection `α = 1`, expansion `β = 1 + 2/n`, contraction
//! `γ = 0.75 − 1/(2n)`, shrink `δ = 1 − 1/n`. With the vertices sorted by loss, `x̄` the
//! centroid of all but the worst `x_w`:
//!
//! ```text
//! x_r = x̄ + α(x̄ − x_w)                         reflect
//! f_r < f_best:            x_e = x̄ + αβ(x̄ − x_w), keep the better of x_e, x_r
//! f_r < f_second-worst:    keep x_r
//! f_r < f_w:               x_c = x̄ + γα(x̄ − x_w), keep if f_c ≤ f_r, else shrink
//! otherwise:               x_cc = x̄ − γ(x̄ − x_w), keep if f_cc < f_w, else shrink
//! shrink:                  x_j ← x_best + δ(x_j − x_best) for every other vertex
//! ```
//!
//! The initial simplex is scipy's: the start and, for each coordinate `k`, the start with
//! `x_k ← 1.05·x_k` (`x_k ← 0.00025` when `x_k = 0`). The run stops, as scipy's, when
//! `maxⱼ,ᵢ |xⱼᵢ − x_best,ᵢ| ≤ xatol` and `maxⱼ |fⱼ − f_best| ≤ fatol` (reported as
//! [`StopReason::StepSize`]), after `max_iter` iterations or after `max_evals` evaluations
//! (0: scipy's `200·n`), checked before each iteration as scipy does.
//!
//! **Storage.** The `n + 1` vertices are the caller's `x` (always the best vertex, so that `x`
//! holds the best point found whenever the run returns) and the `n` rows of an `n×n` buffer:
//! `[T; N + 1]` cannot be written with stable const generics, and this split needs no index
//! arithmetic on `N + 1` either. The values are one scalar and an `n`-vector.

use super::quasi_newton::QuasiNewtonReport;
use super::{ObserverHook, Progress, Stop, StopReason};
use crate::error::{check_finite, check_len, Error};
use crate::objective::{Fixed, SliceObjective};
use crate::{Objective, Real};

/// Nelder–Mead tolerances and initial simplex.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct NelderMeadConfig<T> {
    /// Simplex-size tolerance (finite, ≥ 0). Default 1e-4 (scipy's `xatol`).
    pub xatol: T,
    /// Loss-spread tolerance (finite, ≥ 0). Default 1e-4 (scipy's `fatol`).
    pub fatol: T,
    /// Relative offset of the initial vertices (finite, ≠ 0). Default 0.05 (scipy's
    /// `nonzdelt`).
    pub initial_rel: T,
    /// Offset of the initial vertex along a zero coordinate (finite, ≠ 0). Default 0.00025
    /// (scipy's `zdelt`).
    pub initial_zero: T,
}

impl<T: Real> Default for NelderMeadConfig<T> {
    fn default() -> Self {
        NelderMeadConfig {
            xatol: T::from_f64(1e-4),
            fatol: T::from_f64(1e-4),
            initial_rel: T::from_f64(0.05),
            initial_zero: T::from_f64(0.00025),
        }
    }
}

impl<T: Real> NelderMeadConfig<T> {
    /// [`Error::InvalidParameter`] unless the tolerances are finite and ≥ 0 and the offsets
    /// finite and non-zero.
    ///
    /// ```
    /// use lossmap::optim::NelderMeadConfig;
    /// assert!(NelderMeadConfig::<f32>::default().validate().is_ok());
    /// assert!(NelderMeadConfig { initial_zero: 0.0, ..NelderMeadConfig::<f32>::default() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let tol = |v: T| v.is_finite() && v >= T::ZERO;
        let off = |v: T| v.is_finite() && v != T::ZERO;
        if tol(self.xatol) && tol(self.fatol) && off(self.initial_rel) && off(self.initial_zero) {
            Ok(())
        } else {
            Err(Error::InvalidParameter)
        }
    }
}

/// Scratch length of [`nelder_mead_slice`]'s `vecs` for `n` parameters: `3n`.
pub const fn nelder_mead_vecs_len(n: usize) -> usize {
    n.saturating_mul(3)
}

/// The vertices: `x` (vertex 0, the best) and the rows of `sim` (vertices 1..=n), with values.
struct Simplex<'a, T> {
    x: &'a mut [T],
    f0: T,
    sim: &'a mut [T],
    fs: &'a mut [T],
    n: usize,
}

impl<T: Real> Simplex<'_, T> {
    fn f(&self, j: usize) -> T {
        if j == 0 {
            self.f0
        } else {
            self.fs.get(j - 1).copied().unwrap_or(T::NAN_R)
        }
    }

    fn row(&self, j: usize) -> &[T] {
        if j == 0 {
            self.x
        } else {
            self.sim.get((j - 1) * self.n..j * self.n).unwrap_or(&[])
        }
    }

    fn row_mut(&mut self, j: usize) -> &mut [T] {
        let n = self.n;
        self.sim.get_mut((j - 1) * n..j * n).unwrap_or(&mut [])
    }

    /// Swaps vertices `j − 1` and `j` (`j ≥ 1`) with their values.
    fn swap_down(&mut self, j: usize) {
        let n = self.n;
        if j == 1 {
            let row = self.sim.get_mut(..n).unwrap_or(&mut []);
            self.x
                .iter_mut()
                .zip(row)
                .for_each(|(a, b)| core::mem::swap(a, b));
            if let Some(v) = self.fs.get_mut(0) {
                core::mem::swap(&mut self.f0, v);
            }
        } else if let Some((lo, hi)) = self.sim.split_at_mut_checked((j - 1) * n) {
            let a = lo.get_mut((j - 2) * n..).unwrap_or(&mut []);
            a.iter_mut()
                .zip(hi.iter_mut())
                .for_each(|(a, b)| core::mem::swap(a, b));
            if let Some((l, h)) = self.fs.split_at_mut_checked(j - 1) {
                if let (Some(a), Some(b)) = (l.last_mut(), h.first_mut()) {
                    core::mem::swap(a, b);
                }
            }
        }
    }

    /// Insertion sort by value (stable: a new vertex goes after equal ones).
    fn sort(&mut self) {
        for i in 1..=self.n {
            let mut j = i;
            while j > 0 && self.f(j) < self.f(j - 1) {
                self.swap_down(j);
                j -= 1;
            }
        }
    }

    /// Largest coordinate distance of a vertex from the best, and largest loss difference.
    fn spread(&self) -> (T, T) {
        let (mut dx, mut df) = (T::ZERO, T::ZERO);
        for j in 1..=self.n {
            for (&a, &b) in self.row(j).iter().zip(self.x.iter()) {
                dx = dx.max((a - b).abs());
            }
            df = df.max((self.f(j) - self.f0).abs());
        }
        (dx, df)
    }

    /// Replaces the worst vertex by `p` with value `fp`.
    fn replace_worst(&mut self, p: &[T], fp: T) {
        let n = self.n;
        self.row_mut(n).iter_mut().zip(p).for_each(|(a, &b)| *a = b);
        if let Some(v) = self.fs.get_mut(n - 1) {
            *v = fp;
        }
    }
}

/// `out = c·x̄ + (1 − c)·x_w`, the points of the module notes as combinations of the centroid
/// and the worst vertex.
fn combine<T: Real>(out: &mut [T], xbar: &[T], worst: &[T], c: T) {
    for (o, (&a, &w)) in out.iter_mut().zip(xbar.iter().zip(worst)) {
        *o = c * a + (T::ONE - c) * w;
    }
}

/// Nelder–Mead over slices (Gao & Han 2012 adaptive coefficients, scipy's initial simplex and
/// stop rules): the kernel behind [`nelder_mead`], [`NelderMead`] and the C ABI.
///
/// `sim` (`n×n`) and `fvals` (`n`) hold the vertices other than the best (sorted by loss on
/// return) and `vecs` (`3n`) is scratch; `x` is the start and always the best vertex. Uses
/// `stop.max_iter` and `stop.max_evals` (0: `200·n`); its gradient and step rules do not apply.
/// `observer` is called after every iteration (`grad_norm` is the simplex size, `lr` 0). Bad
/// input (sizes, NaN/Inf in `x`, invalid configuration or stop rules) and a non-finite loss at
/// the start return an error with `x` untouched; a non-finite loss later, or a trial point
/// that leaves the finite numbers, returns [`Error::NonFiniteLoss`] with `x` at the best
/// vertex so far.
#[allow(clippy::too_many_arguments)]
pub fn nelder_mead_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    sim: &mut [T],
    fvals: &mut [T],
    vecs: &mut [T],
    cfg: &NelderMeadConfig<T>,
    stop: &Stop<T>,
    mut observer: ObserverHook<'_, T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    let n = x.len();
    check_len(n, n)?;
    let nn = n.checked_mul(n).ok_or(Error::LengthMismatch)?;
    check_len(sim.len(), nn)?;
    check_len(fvals.len(), n)?;
    check_len(vecs.len(), nelder_mead_vecs_len(n))?;
    cfg.validate()?;
    stop.validate()?;
    check_finite(x)?;
    let (xbar, rest) = vecs.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (xr, xt) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let max_evals = if stop.max_evals == 0 {
        n.saturating_mul(200)
    } else {
        stop.max_evals
    };
    let nf = T::from_usize(n);
    let (rho, chi) = (T::ONE, T::ONE + T::TWO / nf);
    let psi = T::from_f64(0.75) - T::ONE / (T::TWO * nf);
    let sigma = T::ONE - T::ONE / nf;

    let f0 = obj.value(x);
    let mut evals = 1usize;
    if !f0.is_finite() {
        return Err(Error::NonFiniteLoss);
    }
    // The initial vertices, evaluated before anything of the caller's changes.
    for (k, row) in sim.chunks_exact_mut(n.max(1)).enumerate() {
        row.iter_mut().zip(x.iter()).for_each(|(a, &b)| *a = b);
        if let Some(v) = row.get_mut(k) {
            *v = if *v != T::ZERO {
                (T::ONE + cfg.initial_rel) * *v
            } else {
                cfg.initial_zero
            };
        }
        if !row.iter().all(|v| v.is_finite()) {
            return Err(Error::NonFiniteLoss);
        }
        let fk = obj.value(row);
        evals = evals.saturating_add(1);
        if !fk.is_finite() {
            return Err(Error::NonFiniteLoss);
        }
        if let Some(v) = fvals.get_mut(k) {
            *v = fk;
        }
    }
    let mut s = Simplex {
        x,
        f0,
        sim,
        fs: fvals,
        n,
    };
    s.sort();
    let (mut iterations, mut shrinks) = (0usize, 0usize);
    let reason = 'run: loop {
        let (dx, df) = s.spread();
        if dx <= cfg.xatol && df <= cfg.fatol {
            break StopReason::StepSize;
        }
        if evals >= max_evals {
            break StopReason::MaxEvaluations;
        }
        if iterations >= stop.max_iter {
            break StopReason::MaxIterations;
        }
        // Centroid of the n best vertices.
        xbar.iter_mut().for_each(|v| *v = T::ZERO);
        for j in 0..n {
            let row = s.row(j);
            xbar.iter_mut().zip(row).for_each(|(a, &b)| *a += b);
        }
        xbar.iter_mut().for_each(|v| *v /= nf);
        let fw = s.f(n);
        let f_second = s.f(n - 1);
        // `None` once the budget is spent: like scipy, never evaluate beyond `max_evals`.
        let mut eval = |p: &[T], evals: &mut usize| {
            if *evals >= max_evals {
                return Ok(None);
            }
            // A trial point that left the finite numbers (a reflection of vertices near MAX)
            // has no finite loss: the objective is not asked.
            if !p.iter().all(|v| v.is_finite()) {
                return Err(Error::NonFiniteLoss);
            }
            *evals = evals.saturating_add(1);
            let v = obj.value(p);
            if v.is_finite() {
                Ok(Some(v))
            } else {
                Err(Error::NonFiniteLoss)
            }
        };
        combine(xr, xbar, s.row(n), T::ONE + rho);
        let Some(fr) = eval(xr, &mut evals)? else {
            break 'run StopReason::MaxEvaluations;
        };
        let mut shrink = false;
        if fr < s.f0 {
            combine(xt, xbar, s.row(n), T::ONE + rho * chi);
            let Some(fe) = eval(xt, &mut evals)? else {
                // The reflection is better than the best vertex: keep it.
                s.replace_worst(xr, fr);
                s.sort();
                break 'run StopReason::MaxEvaluations;
            };
            if fe < fr {
                s.replace_worst(xt, fe);
            } else {
                s.replace_worst(xr, fr);
            }
        } else if fr < f_second {
            s.replace_worst(xr, fr);
        } else if fr < fw {
            combine(xt, xbar, s.row(n), T::ONE + psi * rho);
            let Some(fc) = eval(xt, &mut evals)? else {
                s.replace_worst(xr, fr);
                s.sort();
                break 'run StopReason::MaxEvaluations;
            };
            if fc <= fr {
                s.replace_worst(xt, fc);
            } else {
                shrink = true;
            }
        } else {
            combine(xt, xbar, s.row(n), T::ONE - psi);
            let Some(fcc) = eval(xt, &mut evals)? else {
                break 'run StopReason::MaxEvaluations;
            };
            if fcc < fw {
                s.replace_worst(xt, fcc);
            } else {
                shrink = true;
            }
        }
        if shrink {
            shrinks = shrinks.saturating_add(1);
            for j in 1..=n {
                // The shrunk vertex is built and evaluated in scratch, and stored only with its
                // value: a budget spent mid-shrink leaves every vertex with its own loss.
                for ((t, &v), &b) in xt.iter_mut().zip(s.row(j)).zip(s.x.iter()) {
                    *t = b + sigma * (v - b);
                }
                let Some(fj) = eval(xt, &mut evals)? else {
                    s.sort();
                    break 'run StopReason::MaxEvaluations;
                };
                let n0 = (j - 1) * n;
                if let Some(row) = s.sim.get_mut(n0..n0 + n) {
                    row.iter_mut().zip(xt.iter()).for_each(|(a, &b)| *a = b);
                }
                if let Some(v) = s.fs.get_mut(j - 1) {
                    *v = fj;
                }
            }
        }
        iterations = iterations.saturating_add(1);
        s.sort();
        if let Some(o) = observer.as_deref_mut() {
            let p = Progress {
                iteration: iterations,
                loss: s.f0,
                grad_norm: s.spread().0,
                step_norm: T::ZERO,
                lr: T::ZERO,
                value_evals: evals,
                grad_evals: 0,
            };
            if !o(&p) {
                break StopReason::Observer;
            }
        }
    };
    Ok(QuasiNewtonReport {
        reason,
        iterations,
        value_evals: evals,
        grad_evals: 0,
        skipped: shrinks,
        resets: 0,
        loss: s.f0,
        grad_norm: s.spread().0,
    })
}

/// Nelder–Mead on a typed objective (values only). Its simplex lives in this call's frame;
/// [`NelderMead`] keeps it in storage the caller owns. See [`nelder_mead_slice`].
///
/// ```
/// use lossmap::optim::{nelder_mead, NelderMeadConfig, Stop, StopReason};
/// use lossmap::testfn::Rosenbrock;
/// let mut x = [-1.2f64, 1.0];
/// let r = nelder_mead(&mut Rosenbrock, &mut x, &NelderMeadConfig::default(), &Stop::default()).unwrap();
/// assert_eq!(r.reason, StopReason::StepSize);
/// assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3 && r.value_evals <= 400);
/// ```
pub fn nelder_mead<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(
    obj: &mut O,
    x: &mut [T; N],
    cfg: &NelderMeadConfig<T>,
    stop: &Stop<T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    NelderMead::new(*cfg).minimize(obj, x, stop)
}

/// Nelder–Mead with its simplex in storage the caller owns: the typed view over
/// [`nelder_mead_slice`]. The best vertex is `x`; `simplex` holds the other `N` vertices
/// (sorted by loss after a run) and `values` their losses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NelderMead<T, const N: usize> {
    /// Tolerances and initial simplex.
    pub config: NelderMeadConfig<T>,
    /// The vertices other than the best, one per row.
    pub simplex: [[T; N]; N],
    /// Their losses.
    pub values: [T; N],
    vecs: [[T; N]; 3],
}

impl<T: Real, const N: usize> NelderMead<T, N> {
    /// Storage for `N` parameters; the configuration is checked by [`NelderMead::minimize`].
    pub fn new(config: NelderMeadConfig<T>) -> Self {
        NelderMead {
            config,
            simplex: [[T::ZERO; N]; N],
            values: [T::ZERO; N],
            vecs: [[T::ZERO; N]; 3],
        }
    }

    /// Minimizes `obj` from `x` (start in, best vertex out).
    pub fn minimize<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        self.minimize_with(obj, x, stop, None)
    }

    /// [`NelderMead::minimize`] with an observer called after every iteration.
    pub fn minimize_with<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
        observer: ObserverHook<'_, T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        nelder_mead_slice(
            &mut Fixed::<O, N>(obj),
            x,
            self.simplex.as_flattened_mut(),
            &mut self.values,
            self.vecs.as_flattened_mut(),
            &self.config,
            stop,
            observer,
        )
    }
}
