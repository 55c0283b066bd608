//! Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4 and
//! 7.5), unconstrained or on a box.
//!
//! The direction `d = −H g` comes from the two-loop recursion over the last `m` pairs
//! `(sᵢ, yᵢ)`, starting from `H₀ = γI` with `γ = sᵀy / yᵀy` of the newest pair (N&W 7.20).
//! A pair with `yᵀs ≤ ε‖y‖‖s‖` is skipped. The first trial step is `min(1/‖d‖, α_max)` while
//! no pair is stored and `min(1, α_max)` after, as in L-BFGS-B.
//!
//! **Box bounds** (`l ≤ x ≤ u`): an active-set projection. Variable `i` is held when it is at
//! a bound and the gradient points out of the box (`xᵢ = lᵢ, gᵢ > 0` or `xᵢ = uᵢ, gᵢ < 0`;
//! "at" within 4ε relative), and also when it is at a bound and the quasi-Newton direction
//! points out. The direction is the two-loop recursion applied to the gradient with the held
//! components zeroed, with the held components of the result zeroed: `d_F = −(H q)_F`,
//! `q = (g_F, 0)`, so `gᵀd = −qᵀHq < 0` (Bertsekas 1982; Kim, Sra & Dhillon 2010). The line
//! search runs along `d` up to the first bound it meets (`α_max`, L-BFGS-B's `stpmx`), every
//! trial projected onto the box, so a variable reaching its bound is held from the next
//! iteration and released when its gradient points back inside. A start outside the box is
//! projected onto it (as L-BFGS-B does). This replaces L-BFGS-B's generalized Cauchy point and
//! subspace minimization, whose compact representation needs `2mn + 11m²` more storage: on the
//! small boxes and interior minima of a polish both take the same steps.

use super::bfgs::STPMAX;
use super::{
    copy, distance, gradient_only, line_search, observe, value_and_gradient, BoxRef, Evals,
    LineOutcome, QuasiNewtonConfig, QuasiNewtonReport, StopCheck, WEAK_STEPS,
};
use crate::error::{check_finite, check_len, Error};
use crate::global::Bounds;
use crate::linalg::{at, dot_unchecked, norm2, put};
use crate::objective::{Fixed, SliceObjective};
use crate::optim::{ObserverHook, Stop, StopReason};
use crate::{Objective, Real};

/// Length (in `T`s) of the curvature pairs `pairs` of [`lbfgs_slice`]: `2mn` (the `m` vectors
/// `sᵢ`, then the `m` vectors `yᵢ`).
pub const fn lbfgs_pairs_len(n: usize, m: usize) -> usize {
    n.saturating_mul(m).saturating_mul(2)
}

/// Length of the coefficients `coef` of [`lbfgs_slice`]: `2m` (`ρᵢ` and the recursion's `αᵢ`).
pub const fn lbfgs_coef_len(m: usize) -> usize {
    m.saturating_mul(2)
}

/// Scratch length of [`lbfgs_slice`]'s `vecs` for `n` parameters: `4n`.
pub const fn lbfgs_vecs_len(n: usize) -> usize {
    n.saturating_mul(4)
}

/// A failed run: the error and, once the start was evaluated, the loss at the point `x` was
/// left at.
pub(crate) struct Failure<T> {
    pub(crate) error: Error,
    pub(crate) loss: Option<T>,
}

impl<T> From<Error> for Failure<T> {
    fn from(error: Error) -> Self {
        Failure { error, loss: None }
    }
}

/// L-BFGS over slices, unconstrained (Nocedal & Wright Algorithm 7.4/7.5, `H₀ = γI` with
/// `γ = sᵀy/yᵀy`, (7.20); Moré–Thuente line search): the kernel behind [`lbfgs`], [`Lbfgs`]
/// and the C ABI.
///
/// `m ≥ 1` pairs are kept in `pairs` (`2mn`) with their coefficients in `coef` (`2m`); `vecs`
/// (`4n`) is scratch. `observer` as in [`bfgs_slice`](super::bfgs_slice). Bad input (sizes,
/// `m = 0`, NaN/Inf in `x`, invalid configuration or stop rules) and a non-finite loss or
/// gradient at the start return an error with `x` untouched; the stops and failures are those of
/// [`bfgs_slice`](super::bfgs_slice) (the memory is cleared instead of the matrix reset).
#[allow(clippy::too_many_arguments)]
pub fn lbfgs_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    m: usize,
    pairs: &mut [T],
    coef: &mut [T],
    vecs: &mut [T],
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
    observer: ObserverHook<'_, T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    let mut ev = Evals {
        values: 0,
        grads: 0,
        max: stop.max_evals,
        charge_grads: false,
    };
    let store = Store { pairs, coef, vecs };
    core(obj, x, None, None, m, store, cfg, stop, observer, &mut ev).map_err(|f| f.error)
}

/// L-BFGS over slices on the box `lower ≤ x ≤ upper`: an active-set projection (Bertsekas,
/// *SIAM J. Control Optim.* 20, 1982; Kim, Sra & Dhillon, *SIAM J. Sci. Comput.* 32, 2010). A
/// variable at a bound whose gradient, or whose quasi-Newton direction, points out of the box
/// is held; the two-loop recursion runs on the gradient with the held components zeroed; the
/// line search stops at the first bound met along the direction. The kernel behind [`Lbfgs::minimize_bounded`] and the C ABI. Buffers as in
/// [`lbfgs_slice`]; the reported `grad_norm` is the projected gradient's `‖x − P(x − g)‖₂`, the
/// measure `stop.grad_tol` applies to. The box must be valid ([`Bounds::new`]: finite,
/// `lower ≤ upper`); a start outside it is projected onto it. The iterates never leave it.
///
/// ```
/// use lossmap::objective::FnSlice;
/// use lossmap::optim::{lbfgs_bounded_slice, QuasiNewtonConfig, Stop};
/// // (x − 2)² + (y + 1)² on [0, 1]²: the constrained minimum is (1, 0).
/// let mut obj = FnSlice(|v: &[f64]| (v[0] - 2.0).powi(2) + (v[1] + 1.0).powi(2));
/// let (m, n) = (5, 2);
/// let (mut pairs, mut coef, mut vecs) = ([0.0; 20], [0.0; 10], [0.0; 8]);
/// let mut x = [0.5, 0.5];
/// let stop = Stop { grad_tol: 1e-8, ..Stop::default() };
/// let r = lbfgs_bounded_slice(&mut obj, &mut x, &[0.0, 0.0], &[1.0, 1.0], m, &mut pairs,
///     &mut coef, &mut vecs, &QuasiNewtonConfig::default(), &stop, None).unwrap();
/// assert_eq!(x, [1.0, 0.0]);
/// assert!((r.loss - 2.0).abs() < 1e-12 && n == 2);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn lbfgs_bounded_slice<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    lower: &[T],
    upper: &[T],
    m: usize,
    pairs: &mut [T],
    coef: &mut [T],
    vecs: &mut [T],
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
    observer: ObserverHook<'_, T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    let b = Bounds::new(lower, upper)?;
    check_len(b.dim(), x.len())?;
    let mut ev = Evals {
        values: 0,
        grads: 0,
        max: stop.max_evals,
        charge_grads: false,
    };
    let store = Store { pairs, coef, vecs };
    let bx = BoxRef { lower, upper };
    core(
        obj,
        x,
        Some(bx),
        None,
        m,
        store,
        cfg,
        stop,
        observer,
        &mut ev,
    )
    .map_err(|f| f.error)
}

/// The caller's buffers of one run.
pub(crate) struct Store<'a, T> {
    pub(crate) pairs: &'a mut [T],
    pub(crate) coef: &'a mut [T],
    pub(crate) vecs: &'a mut [T],
}

/// Within 4ε (relative, at least absolute 4ε) of the bound `b`.
fn near<T: Real>(v: T, b: T) -> bool {
    (v - b).abs() <= T::from_f64(4.0) * T::EPSILON_R * b.abs().max(T::ONE)
}

/// The shared L-BFGS loop; `ev` carries the budget and its convention. `known` is the loss at
/// `x` when the caller has it (then `x` must lie in the box), saving its evaluation.
#[allow(clippy::too_many_arguments)]
pub(crate) fn core<T: Real, O: SliceObjective<T> + ?Sized>(
    obj: &mut O,
    x: &mut [T],
    bounds: Option<BoxRef<'_, T>>,
    known: Option<T>,
    m: usize,
    store: Store<'_, T>,
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
    mut observer: ObserverHook<'_, T>,
    ev: &mut Evals,
) -> Result<QuasiNewtonReport<T>, Failure<T>> {
    let n = x.len();
    check_len(n, n)?;
    if m == 0 {
        return Err(Error::InvalidParameter.into());
    }
    check_len(store.pairs.len(), lbfgs_pairs_len(n, m))?;
    check_len(store.coef.len(), lbfgs_coef_len(m))?;
    check_len(store.vecs.len(), lbfgs_vecs_len(n))?;
    cfg.validate()?;
    stop.validate()?;
    check_finite(x)?;
    let mn = n.checked_mul(m).ok_or(Error::LengthMismatch)?;
    let (prev, rest) = store
        .vecs
        .split_at_mut_checked(n)
        .ok_or(Error::LengthMismatch)?;
    let (grad, rest) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (gprev, d) = rest.split_at_mut_checked(n).ok_or(Error::LengthMismatch)?;
    let (ss, ys) = store
        .pairs
        .split_at_mut_checked(mn)
        .ok_or(Error::LengthMismatch)?;
    let (rho, alpha) = store
        .coef
        .split_at_mut_checked(m)
        .ok_or(Error::LengthMismatch)?;
    // The start, projected, evaluated in scratch: `x` changes only once it is known good.
    copy(prev, x);
    if let Some(b) = bounds {
        b.clip(prev);
    }
    let mut f = match known {
        Some(f) if f.is_finite() => {
            gradient_only(obj, prev, grad, ev)?;
            f
        }
        _ => value_and_gradient(obj, prev, grad, ev)?,
    };
    copy(x, prev);
    let fail = |error: Error, loss: T| Failure {
        error,
        loss: Some(loss),
    };
    let mut hist = History {
        k: 0,
        newest: 0,
        m,
        n,
    };
    let inf = cfg.max_norm == 1;
    let gnorm = |x: &[T], g: &[T]| match (bounds, inf) {
        (Some(b), false) => b.projected_gradient_norm(x, g),
        (Some(b), true) => b.projected_gradient_max(x, g),
        (None, false) => norm2(g),
        (None, true) => crate::linalg::norm_inf(g),
    };
    let mut checker = StopCheck::new(f);
    let (mut iterations, mut skipped, mut resets) = (0usize, 0usize, 0usize);
    let (mut f_old, mut step): (Option<T>, Option<T>) = (None, None);
    // Consecutive steps accepted short of the strong Wolfe conditions (see `bfgs_slice`).
    let mut weak = 0usize;
    let reason = 'run: loop {
        if weak >= WEAK_STEPS {
            break StopReason::RelativeImprovement;
        }
        if let Some(r) = checker.check(
            stop,
            cfg.ftol,
            gnorm(x, grad),
            f,
            f_old,
            step,
            iterations,
            ev,
        ) {
            break r;
        }
        let mut retried = false;
        let (f_new, stp) = loop {
            let (slope, stpmax) = hist.direction(x, grad, d, gprev, bounds, ss, ys, rho, alpha);
            if !(slope < T::ZERO && slope.is_finite() && stpmax > T::ZERO) {
                if hist.k == 0 {
                    if d.iter().all(|&v| v == T::ZERO) {
                        // Every free component of the gradient is 0: stationary on the box (the
                        // held variables lie within rounding of their bounds).
                        break 'run StopReason::GradientNorm;
                    }
                    return Err(fail(Error::NoConvergence, f));
                }
                hist.k = 0;
                resets = resets.saturating_add(1);
                continue;
            }
            let stp0 = if hist.k == 0 {
                T::ONE / norm2(d)
            } else {
                T::ONE
            };
            copy(prev, x);
            copy(gprev, grad);
            match line_search(
                obj, x, grad, prev, d, f, slope, stp0, stpmax, bounds, cfg, ev,
            ) {
                Ok(LineOutcome::Accepted(fa, s, wolfe)) => {
                    weak = if wolfe || s >= stpmax { 0 } else { weak + 1 };
                    break (fa, s);
                }
                Ok(LineOutcome::Budget) => {
                    copy(grad, gprev);
                    break 'run StopReason::MaxEvaluations;
                }
                Ok(LineOutcome::Failed(flat)) => {
                    copy(grad, gprev);
                    if flat {
                        break 'run StopReason::RelativeImprovement;
                    }
                    if retried || hist.k == 0 {
                        return Err(fail(Error::NoConvergence, f));
                    }
                    retried = true;
                    hist.k = 0;
                    resets = resets.saturating_add(1);
                }
                Err(e) => return Err(fail(e, f)),
            }
        };
        // s into d, y into gprev.
        for ((di, &xi), &pi) in d.iter_mut().zip(x.iter()).zip(prev.iter()) {
            *di = xi - pi;
        }
        for (yi, &gi) in gprev.iter_mut().zip(grad.iter()) {
            *yi = gi - *yi;
        }
        let sy = dot_unchecked(d, gprev);
        let (sn, yn) = (norm2(d), norm2(gprev));
        if sy.is_finite() && sy > T::EPSILON_R * sn * yn && yn > T::ZERO {
            hist.push(d, gprev, T::ONE / sy, ss, ys, rho);
        } else {
            skipped = skipped.saturating_add(1);
        }
        iterations = iterations.saturating_add(1);
        f_old = Some(f);
        f = f_new;
        checker.push(f);
        let s_norm = distance(x, prev);
        step = Some(s_norm);
        if !observe(
            &mut observer,
            iterations,
            f,
            gnorm(x, grad),
            s_norm,
            stp,
            ev,
        ) {
            break StopReason::Observer;
        }
    };
    Ok(QuasiNewtonReport {
        reason,
        iterations,
        value_evals: ev.values,
        grad_evals: ev.grads,
        skipped,
        resets,
        loss: f,
        grad_norm: match bounds {
            Some(b) => b.projected_gradient_norm(x, grad),
            None => norm2(grad),
        },
    })
}

/// Which pairs are stored: `k` of them, the newest in row `newest` (a ring of `m` rows).
struct History {
    k: usize,
    newest: usize,
    m: usize,
    n: usize,
}

impl History {
    /// Row of the `j`-th newest pair (`j < k`).
    fn row(&self, j: usize) -> usize {
        let m = self.m.max(1);
        (self.newest + m - j % m) % m
    }

    fn push<T: Real>(&mut self, s: &[T], y: &[T], r: T, ss: &mut [T], ys: &mut [T], rho: &mut [T]) {
        let slot = if self.k == 0 {
            0
        } else {
            (self.newest + 1) % self.m.max(1)
        };
        let base = slot * self.n;
        for i in 0..self.n {
            put(ss, base + i, at(s, i));
            put(ys, base + i, at(y, i));
        }
        put(rho, slot, r);
        self.newest = slot;
        self.k = (self.k + 1).min(self.m);
    }

    /// `r ← H r` by the two-loop recursion over the stored pairs, with `mask[i] ≠ 0` marking
    /// held components (zeroed on input and output).
    #[allow(clippy::too_many_arguments)]
    fn apply<T: Real>(
        &self,
        r: &mut [T],
        mask: &[T],
        ss: &[T],
        ys: &[T],
        rho: &[T],
        alpha: &mut [T],
    ) {
        let n = self.n;
        let seg = |row: usize| (row * n, row * n + n);
        for j in 0..self.k {
            let row = self.row(j);
            let (a, b) = seg(row);
            let s = ss.get(a..b).unwrap_or(&[]);
            let y = ys.get(a..b).unwrap_or(&[]);
            let al = at(rho, row) * dot_unchecked(s, r);
            put(alpha, row, al);
            r.iter_mut().zip(y).for_each(|(ri, &yi)| *ri -= al * yi);
        }
        if self.k > 0 {
            let row = self.row(0);
            let (a, b) = seg(row);
            let s = ss.get(a..b).unwrap_or(&[]);
            let y = ys.get(a..b).unwrap_or(&[]);
            let yy = dot_unchecked(y, y);
            let gamma = dot_unchecked(s, y) / yy;
            if gamma.is_finite() && gamma > T::ZERO {
                r.iter_mut().for_each(|ri| *ri *= gamma);
            }
        }
        for j in (0..self.k).rev() {
            let row = self.row(j);
            let (a, b) = seg(row);
            let s = ss.get(a..b).unwrap_or(&[]);
            let y = ys.get(a..b).unwrap_or(&[]);
            let beta = at(rho, row) * dot_unchecked(y, r);
            let c = at(alpha, row) - beta;
            r.iter_mut().zip(s).for_each(|(ri, &si)| *ri += c * si);
        }
        r.iter_mut()
            .zip(mask)
            .for_each(|(ri, &h)| *ri = if h != T::ZERO { T::ZERO } else { *ri });
    }

    /// The direction into `d` with its slope `gᵀd` and largest feasible step; `mask` (`n`) is
    /// scratch for the held set.
    #[allow(clippy::too_many_arguments)]
    fn direction<T: Real>(
        &self,
        x: &[T],
        g: &[T],
        d: &mut [T],
        mask: &mut [T],
        bounds: Option<BoxRef<'_, T>>,
        ss: &[T],
        ys: &[T],
        rho: &[T],
        alpha: &mut [T],
    ) -> (T, T) {
        let stpmax = T::from_f64(STPMAX);
        let Some(b) = bounds else {
            mask.iter_mut().for_each(|v| *v = T::ZERO);
            d.iter_mut().zip(g).for_each(|(di, &gi)| *di = gi);
            self.apply(d, mask, ss, ys, rho, alpha);
            d.iter_mut().for_each(|di| *di = -*di);
            return (dot_unchecked(g, d), stpmax);
        };
        for (((h, &xi), &gi), (&l, &u)) in mask
            .iter_mut()
            .zip(x)
            .zip(g)
            .zip(b.lower.iter().zip(b.upper))
        {
            let held = (near(xi, l) && gi > T::ZERO) || (near(xi, u) && gi < T::ZERO);
            *h = if held { T::ONE } else { T::ZERO };
        }
        // Each pass holds at least one more variable or ends: at most n + 1 passes.
        for _ in 0..=self.n {
            for ((di, &gi), &h) in d.iter_mut().zip(g).zip(mask.iter()) {
                *di = if h != T::ZERO { T::ZERO } else { gi };
            }
            self.apply(d, mask, ss, ys, rho, alpha);
            d.iter_mut().for_each(|di| *di = -*di);
            let mut more = false;
            for (((h, &xi), &di), (&l, &u)) in mask
                .iter_mut()
                .zip(x)
                .zip(d.iter())
                .zip(b.lower.iter().zip(b.upper))
            {
                if *h == T::ZERO && ((near(xi, l) && di < T::ZERO) || (near(xi, u) && di > T::ZERO))
                {
                    *h = T::ONE;
                    more = true;
                }
            }
            if !more {
                break;
            }
        }
        let mut amax = stpmax;
        for ((&xi, &di), (&l, &u)) in x.iter().zip(d.iter()).zip(b.lower.iter().zip(b.upper)) {
            let r = if di > T::ZERO {
                (u - xi) / di
            } else if di < T::ZERO {
                (l - xi) / di
            } else {
                continue;
            };
            if r.is_finite() {
                amax = amax.min(r.max(T::ZERO));
            }
        }
        (dot_unchecked(g, d), amax)
    }
}

/// L-BFGS on a typed objective with `M` pairs (its `gradient`: analytic when it overrides it,
/// central differences otherwise). The history lives in this call's frame; [`Lbfgs`] keeps it
/// in storage the caller owns. See [`lbfgs_slice`] for the errors.
///
/// ```
/// use lossmap::optim::{lbfgs, QuasiNewtonConfig, Stop, StopReason};
/// use lossmap::testfn::RosenbrockN;
/// let mut x = [-1.2f64, 1.0, -1.2, 1.0, -1.2, 1.0, -1.2, 1.0, -1.2, 1.0];
/// let stop = Stop { grad_tol: 1e-8, max_iter: 500, ..Stop::default() };
/// let r = lbfgs::<_, _, 10, 10>(&mut RosenbrockN::<10>, &mut x, &QuasiNewtonConfig::default(), &stop).unwrap();
/// assert_eq!(r.reason, StopReason::GradientNorm);
/// assert!(x.iter().all(|&v| (v - 1.0).abs() < 1e-6));
/// ```
pub fn lbfgs<T: Real, O: Objective<T, N> + ?Sized, const N: usize, const M: usize>(
    obj: &mut O,
    x: &mut [T; N],
    cfg: &QuasiNewtonConfig<T>,
    stop: &Stop<T>,
) -> Result<QuasiNewtonReport<T>, Error> {
    Lbfgs::<T, N, M>::new(*cfg).minimize(obj, x, stop)
}

/// L-BFGS with `M` curvature pairs in storage the caller owns: the typed view over
/// [`lbfgs_slice`] and [`lbfgs_bounded_slice`]. `M = 10` is L-BFGS-B's (and scipy's) default.
///
/// ```
/// use lossmap::optim::{Lbfgs, QuasiNewtonConfig, Stop};
/// use lossmap::testfn::Himmelblau;
/// let mut l = Lbfgs::<f64, 2, 10>::new(QuasiNewtonConfig::default());
/// // The minimum (3, 2) lies outside [−1, 2.5]²: the constrained one is on the edge x = 2.5.
/// let mut x = [0.0, 0.0];
/// l.minimize_bounded(&mut Himmelblau, &mut x, &[-1.0, -1.0], &[2.5, 2.5], &Stop { grad_tol: 1e-9, ..Stop::default() }).unwrap();
/// assert_eq!(x[0], 2.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lbfgs<T, const N: usize, const M: usize> {
    /// Line search and `ftol`.
    pub config: QuasiNewtonConfig<T>,
    pairs: [[[T; N]; M]; 2],
    coef: [[T; M]; 2],
    vecs: [[T; N]; 4],
}

impl<T: Real, const N: usize, const M: usize> Lbfgs<T, N, M> {
    /// Storage for `N` parameters and `M` pairs; the configuration is checked by the runs.
    pub fn new(config: QuasiNewtonConfig<T>) -> Self {
        Lbfgs {
            config,
            pairs: [[[T::ZERO; N]; M]; 2],
            coef: [[T::ZERO; M]; 2],
            vecs: [[T::ZERO; N]; 4],
        }
    }

    /// Minimizes `obj` from `x` (start in, end out); see [`lbfgs_slice`].
    pub fn minimize<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        self.minimize_with(obj, x, stop, None)
    }

    /// [`Lbfgs::minimize`] with an observer called after every accepted step.
    pub fn minimize_with<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        stop: &Stop<T>,
        observer: ObserverHook<'_, T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        lbfgs_slice(
            &mut Fixed::<O, N>(obj),
            x,
            M,
            self.pairs.as_flattened_mut().as_flattened_mut(),
            self.coef.as_flattened_mut(),
            self.vecs.as_flattened_mut(),
            &self.config,
            stop,
            observer,
        )
    }

    /// Minimizes `obj` on the box `lower ≤ x ≤ upper`; see [`lbfgs_bounded_slice`].
    pub fn minimize_bounded<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        lower: &[T; N],
        upper: &[T; N],
        stop: &Stop<T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        self.minimize_bounded_with(obj, x, lower, upper, stop, None)
    }

    /// [`Lbfgs::minimize_bounded`] with an observer called after every accepted step.
    pub fn minimize_bounded_with<O: Objective<T, N> + ?Sized>(
        &mut self,
        obj: &mut O,
        x: &mut [T; N],
        lower: &[T; N],
        upper: &[T; N],
        stop: &Stop<T>,
        observer: ObserverHook<'_, T>,
    ) -> Result<QuasiNewtonReport<T>, Error> {
        lbfgs_bounded_slice(
            &mut Fixed::<O, N>(obj),
            x,
            lower,
            upper,
            M,
            self.pairs.as_flattened_mut().as_flattened_mut(),
            self.coef.as_flattened_mut(),
            self.vecs.as_flattened_mut(),
            &self.config,
            stop,
            observer,
        )
    }
}
