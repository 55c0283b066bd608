//! What is minimized: the [`Objective`] trait over `[T; N]`, closures as objectives, an
//! evaluation counter, and the run-time-sized view ([`SliceObjective`]) the slice kernels and
//! the C ABI use.

use crate::diff::{central_gradient, central_gradient_n, hessian_n};
use crate::error::Error;
use crate::Real;

/// A loss over `N` parameters. Only [`value`](Objective::value) is required; the gradient
/// defaults to central differences (`2N` evaluations). Any `FnMut(&[T; N]) -> T` is an
/// objective.
///
/// ```
/// use lossmap::Objective;
/// struct Bowl;
/// impl Objective<f64, 2> for Bowl {
///     fn value(&mut self, x: &[f64; 2]) -> f64 { x[0] * x[0] + 4.0 * x[1] * x[1] }
///     fn gradient(&mut self, x: &[f64; 2], g: &mut [f64; 2]) -> Result<usize, lossmap::Error> {
///         *g = [2.0 * x[0], 8.0 * x[1]];
///         Ok(0) // no function evaluations used
///     }
/// }
/// let mut g = [0.0; 2];
/// Bowl.gradient(&[1.0, 1.0], &mut g).unwrap();
/// assert_eq!(g, [2.0, 8.0]);
///
/// // A closure, differentiated numerically:
/// let mut f = |x: &[f64; 2]| x[0] * x[1];
/// assert_eq!(f.gradient(&[3.0, 5.0], &mut g), Ok(4));
/// assert!((g[0] - 5.0).abs() < 1e-9 && (g[1] - 3.0).abs() < 1e-9);
/// ```
pub trait Objective<T: Real, const N: usize> {
    /// The loss at `x`. May return NaN/Inf; callers treat that as an error and roll back.
    fn value(&mut self, x: &[T; N]) -> T;

    /// Writes the gradient at `x` to `g` and returns the number of [`value`](Objective::value)
    /// evaluations used (0 for an analytic gradient). On error `g` must be left unchanged.
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        central_gradient_n(|p: &[T; N]| self.value(p), x, g)
    }

    /// The gradient at `x` where the loss `fx = value(x)` is already known: methods that
    /// evaluate the loss first (the quasi-Newton line searches) call this, so that a
    /// forward-difference gradient ([`Forward`]) need not evaluate `f(x)` again. Defaults to
    /// [`gradient`](Objective::gradient).
    fn gradient_at(&mut self, x: &[T; N], fx: T, g: &mut [T; N]) -> Result<usize, Error> {
        let _ = fx;
        self.gradient(x, g)
    }

    /// Writes the Hessian at `x` to `h` and returns the number of value evaluations used.
    /// Defaults to the `O(h²)` finite-difference scheme from values ([`hessian_n`],
    /// `N² + N + 1` evaluations); objectives with an analytic Hessian override it (returning 0).
    /// On error `h` must be left unchanged.
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        hessian_n(|p: &[T; N]| self.value(p), x, h)
    }
}

impl<T: Real, const N: usize, F: FnMut(&[T; N]) -> T> Objective<T, N> for F {
    #[inline]
    fn value(&mut self, x: &[T; N]) -> T {
        self(x)
    }
}

/// An objective from a value closure and an analytic-gradient closure.
///
/// ```
/// use lossmap::{objective::WithGradient, Objective};
/// let mut o = WithGradient::new(|x: &[f32; 1]| x[0] * x[0], |x: &[f32; 1], g: &mut [f32; 1]| g[0] = 2.0 * x[0]);
/// let mut g = [0.0];
/// assert_eq!(o.gradient(&[3.0], &mut g), Ok(0));
/// assert_eq!(g, [6.0]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct WithGradient<F, G> {
    f: F,
    g: G,
}

impl<F, G> WithGradient<F, G> {
    /// Pairs a value closure `f(x) -> T` with a gradient closure `g(x, &mut grad)`.
    pub fn new(f: F, g: G) -> Self {
        WithGradient { f, g }
    }
}

impl<T: Real, const N: usize, F, G> Objective<T, N> for WithGradient<F, G>
where
    F: FnMut(&[T; N]) -> T,
    G: FnMut(&[T; N], &mut [T; N]),
{
    fn value(&mut self, x: &[T; N]) -> T {
        (self.f)(x)
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        let mut out = [T::ZERO; N];
        (self.g)(x, &mut out);
        if out.iter().all(|v| v.is_finite()) {
            *g = out;
            Ok(0)
        } else {
            Err(Error::NonFiniteGradient)
        }
    }
}

/// Counts evaluations of the wrapped objective: every function value (including those a
/// finite-difference gradient spends) and every gradient call.
///
/// ```
/// use lossmap::{Counted, Objective};
/// let mut c = Counted::new(|x: &[f64; 3]| x.iter().sum::<f64>());
/// let mut g = [0.0; 3];
/// c.value(&[1.0, 2.0, 3.0]);
/// c.gradient(&[1.0, 2.0, 3.0], &mut g).unwrap();
/// assert_eq!((c.values, c.gradients), (1 + 6, 1));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Counted<O> {
    /// The wrapped objective.
    pub inner: O,
    /// Function evaluations so far.
    pub values: usize,
    /// Gradient calls so far.
    pub gradients: usize,
}

impl<O> Counted<O> {
    /// Wraps `inner` with zeroed counters.
    pub fn new(inner: O) -> Self {
        Counted {
            inner,
            values: 0,
            gradients: 0,
        }
    }
}

impl<T: Real, const N: usize, O: Objective<T, N>> Objective<T, N> for Counted<O> {
    fn value(&mut self, x: &[T; N]) -> T {
        self.values = self.values.saturating_add(1);
        self.inner.value(x)
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        self.gradients = self.gradients.saturating_add(1);
        let r = self.inner.gradient(x, g);
        if let Ok(evals) = r {
            self.values = self.values.saturating_add(evals);
        }
        r
    }
    fn gradient_at(&mut self, x: &[T; N], fx: T, g: &mut [T; N]) -> Result<usize, Error> {
        self.gradients = self.gradients.saturating_add(1);
        let r = self.inner.gradient_at(x, fx, g);
        if let Ok(evals) = r {
            self.values = self.values.saturating_add(evals);
        }
        r
    }
    fn hessian(&mut self, x: &[T; N], h: &mut [[T; N]; N]) -> Result<usize, Error> {
        let r = self.inner.hessian(x, h);
        if let Ok(evals) = r {
            self.values = self.values.saturating_add(evals);
        }
        r
    }
}

/// An objective whose dimension is known only at run time: what slice kernels and the C ABI
/// work with. Implemented by [`Fixed`] (an [`Objective`] seen through slices) and by the C
/// callback adapter.
pub trait SliceObjective<T: Real> {
    /// The loss at `x`.
    fn value(&mut self, x: &[T]) -> T;
    /// Writes the gradient at `x` to `g` (same length), returning the value evaluations used.
    /// `x` may be perturbed during the call but must be restored bit-exactly.
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error>;
    /// The gradient at `x` where the loss `fx` there is already known (see
    /// [`Objective::gradient_at`]). Defaults to [`gradient`](SliceObjective::gradient).
    fn gradient_at(&mut self, x: &mut [T], fx: T, g: &mut [T]) -> Result<usize, Error> {
        let _ = fx;
        self.gradient(x, g)
    }
    /// Writes the `n×n` row-major Hessian at `x` to `h`, returning the value evaluations used.
    /// Defaults to the `O(h²)` scheme from values ([`hessian`](crate::diff::hessian)).
    fn hessian(&mut self, x: &mut [T], h: &mut [T]) -> Result<usize, Error> {
        crate::diff::hessian(&mut |p: &[T]| self.value(p), x, h)
    }
}

/// An [`Objective<T, N>`] seen as a [`SliceObjective`]; slices of any length other than `N`
/// give NaN / [`Error::LengthMismatch`].
#[derive(Debug)]
pub struct Fixed<'a, O: ?Sized, const N: usize>(pub &'a mut O);

impl<T: Real, const N: usize, O: Objective<T, N> + ?Sized> SliceObjective<T> for Fixed<'_, O, N> {
    fn value(&mut self, x: &[T]) -> T {
        match <&[T; N]>::try_from(x) {
            Ok(a) => self.0.value(a),
            Err(_) => T::NAN_R,
        }
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        let a = <&[T; N]>::try_from(&*x).map_err(|_| Error::LengthMismatch)?;
        let ga = <&mut [T; N]>::try_from(g).map_err(|_| Error::LengthMismatch)?;
        self.0.gradient(a, ga)
    }
    fn gradient_at(&mut self, x: &mut [T], fx: T, g: &mut [T]) -> Result<usize, Error> {
        let a = <&[T; N]>::try_from(&*x).map_err(|_| Error::LengthMismatch)?;
        let ga = <&mut [T; N]>::try_from(g).map_err(|_| Error::LengthMismatch)?;
        self.0.gradient_at(a, fx, ga)
    }
    fn hessian(&mut self, x: &mut [T], h: &mut [T]) -> Result<usize, Error> {
        let a = <&[T; N]>::try_from(&*x).map_err(|_| Error::LengthMismatch)?;
        if h.len() != N * N {
            return Err(Error::LengthMismatch);
        }
        let mut local = [[T::ZERO; N]; N];
        let evals = self.0.hessian(a, &mut local)?;
        h.iter_mut()
            .zip(local.as_flattened())
            .for_each(|(o, &v)| *o = v);
        Ok(evals)
    }
}

/// A value-only slice objective from a closure, differentiated by central differences.
#[derive(Debug, Clone, Copy)]
pub struct FnSlice<F>(pub F);

impl<T: Real, F: FnMut(&[T]) -> T> SliceObjective<T> for FnSlice<F> {
    fn value(&mut self, x: &[T]) -> T {
        (self.0)(x)
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        central_gradient(&mut self.0, x, g)
    }
}

/// A value-only objective differentiated by forward differences (`N + 1` evaluations, or `N`
/// when the caller already has `f(x)`: [`Objective::gradient_at`]), scipy's default for
/// `minimize`'s BFGS and L-BFGS-B. Half the evaluations of central differences per gradient, at
/// `O(√ε)` instead of `O(ε^{2/3})` accuracy ([`diff::forward_step`](crate::diff::forward_step)):
/// the cheaper choice when gradients only steer a line search, as in quasi-Newton methods.
/// Works over `[T; N]` and, for a closure over slices, as a [`SliceObjective`].
///
/// ```
/// use lossmap::objective::Forward;
/// use lossmap::optim::{bfgs, QuasiNewtonConfig, Stop};
/// let mut obj = Forward(|x: &[f64; 2]| (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2));
/// let mut x = [0.0, 0.0];
/// let r = bfgs(&mut obj, &mut x, &QuasiNewtonConfig::default(), &Stop { grad_tol: 1e-6, ..Stop::default() }).unwrap();
/// assert!((x[0] - 1.0).abs() < 1e-5 && (x[1] + 2.0).abs() < 1e-5);
/// assert!(r.value_evals < 40);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Forward<F>(pub F);

impl<T: Real, const N: usize, F: FnMut(&[T; N]) -> T> Objective<T, N> for Forward<F> {
    fn value(&mut self, x: &[T; N]) -> T {
        (self.0)(x)
    }
    fn gradient(&mut self, x: &[T; N], g: &mut [T; N]) -> Result<usize, Error> {
        crate::diff::forward_gradient_n(&mut self.0, x, g)
    }
    fn gradient_at(&mut self, x: &[T; N], fx: T, g: &mut [T; N]) -> Result<usize, Error> {
        let mut p = *x;
        let mut out = *g;
        let f = &mut self.0;
        let mut fs = |v: &[T]| match <&[T; N]>::try_from(v) {
            Ok(a) => f(a),
            Err(_) => T::NAN_R,
        };
        let used = crate::diff::forward_gradient_at(&mut fs, &mut p, fx, &mut out)?;
        *g = out;
        Ok(used)
    }
}

impl<T: Real, F: FnMut(&[T]) -> T> SliceObjective<T> for Forward<F> {
    fn value(&mut self, x: &[T]) -> T {
        (self.0)(x)
    }
    fn gradient(&mut self, x: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        crate::diff::forward_gradient(&mut self.0, x, g)
    }
    fn gradient_at(&mut self, x: &mut [T], fx: T, g: &mut [T]) -> Result<usize, Error> {
        crate::diff::forward_gradient_at(&mut self.0, x, fx, g)
    }
}
