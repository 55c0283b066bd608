//! Link-time proof that lossmap cannot panic.
//!
//! This binary calls every public entry point of lossmap — for `f32` and `f64`, for the
//! const-generic sizes 2 and 3 (and several image counts for the NEB), and every `lossmap_*`
//! function of the C ABI — on inputs the optimizer cannot see (`read_volatile`), and hands every
//! result to `black_box`. Its `#[panic_handler]` calls a function that exists
//! nowhere. After LTO the handler survives only if some panic path is reachable from one of
//! these calls, and then the link fails with
//!
//! ```text
//! undefined symbol: lossmap_panic_is_reachable
//! ```
//!
//! So `cargo build --release --bin panic_never --features capi` (from `examples/firmware`; the
//! release profile there has `lto = true`, `codegen-units = 1`) succeeding *is* the proof, for
//! the default release settings (no overflow checks, no debug assertions). `tests/panic_free.rs`
//! runs it.
//!
//! It is built for thumbv7em-none-eabihf only: with the C ABI its `.text` (≈ 430 KB) no longer
//! fits the micro:bit's 256 KiB of flash. The proof is for that target's code generation (which
//! checks the optimizer removes can differ between targets).
//!
//! Adding API: put the calls in the section of the module that owns it (one `mod` per lossmap
//! module below, `capi` behind the `capi` feature), call generic items for both scalar types and
//! more than one size, take every input from [`input`] and pass every output to [`out`].
//! Closures given to lossmap must not panic themselves: index them with `.get()` or fixed arrays,
//! never a slice with an unknown index.
//!
//! When the link fails, `./find-panics.sh --features capi` (in `examples/firmware`) builds this
//! binary with a spinning handler instead (feature `find-panics`) and prints the inlined call
//! chain of every panic site, from `main` down to core's panic function.
//!
//! # Known panics
//!
//! None. (Found and fixed so far: `heapless::HistoryBuf` in `minimize`, `chunks_exact_mut` in
//! `landscape::slice_2d`, and `ChunksExact` zipped in `loss` — see `linalg::rows`.)
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use lossmap::Real;

/// `v`, as far as the optimizer knows an arbitrary value: no check on it can be folded away.
#[inline(always)]
fn input<T: Copy>(v: T) -> T {
    // SAFETY: `&v` is a valid, aligned, initialized `T`.
    unsafe { core::ptr::read_volatile(&v) }
}

/// `N` opaque scalars of type `T` from `f64` literals.
#[inline(always)]
fn reals<T: Real, const N: usize>(v: [f64; N]) -> [T; N] {
    input(v).map(T::from_f64)
}

/// Keeps a result alive: the code computing it cannot be removed.
#[inline(always)]
fn out<T>(v: T) {
    black_box(v);
}

/// A `core::fmt::Write` that only counts bytes: runs `Display`/`Debug` implementations.
struct Sink(usize);

impl core::fmt::Write for Sink {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0 = self.0.wrapping_add(black_box(s).len());
        Ok(())
    }
}

/// A `core::hash::Hasher` that folds bytes: runs derived `Hash` implementations.
struct Fold(u64);

impl core::hash::Hasher for Fold {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(5) ^ u64::from(b);
        }
    }
}

/// xorshift64*, enough to drive lossmap's stochastic routines (any `rand_core::Rng` works).
struct XorShift(u64);

impl XorShift {
    fn step(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl rand_core::TryRng for XorShift {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.step() >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.step())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let v = self.step().to_le_bytes();
            for (d, s) in chunk.iter_mut().zip(v) {
                *d = s;
            }
        }
        Ok(())
    }
}

/// A generator with an opaque seed.
fn rng() -> XorShift {
    XorShift(input(0x9E37_79B9_7F4A_7C15))
}

/// `lossmap::Error` (crate root): codes, messages, `Display`, derives.
mod error {
    use super::{input, out, Fold, Sink};
    use core::fmt::Write as _;
    use core::hash::Hash as _;
    use lossmap::Error;

    pub fn exercise() {
        // Every variant, one of them picked at run time.
        let all = [
            Error::Empty,
            Error::LengthMismatch,
            Error::NonFiniteInput,
            Error::InvalidParameter,
            Error::NonFiniteLoss,
            Error::NonFiniteGradient,
            Error::NotSymmetric,
            Error::NotPositiveDefinite,
            Error::NoConvergence,
            Error::NullPointer,
            Error::Aliased,
            Error::WriteFailed,
        ];
        let e = all.get(input(4usize)).copied().unwrap_or(Error::Empty);
        out(e.code());
        out(e.message());
        let mut sink = Sink(0);
        out(write!(sink, "{e}"));
        out(sink.0);
        let e2 = input(Error::NotSymmetric);
        out((e == e2, e != e2));
        let mut h = Fold(0);
        e.hash(&mut h);
        out(core::hash::Hasher::finish(&h));
    }
}

/// `lossmap::Real`: every constant and method, for `f32` and `f64`.
mod real {
    use super::{input, out};
    use lossmap::Real;

    pub fn exercise<T: Real>() {
        out((T::ZERO, T::ONE, T::TWO, T::HALF, T::EPSILON_R, T::MAX_R));
        out((T::MIN_POSITIVE_R, T::PI_R, T::NAN_R, T::NAME));
        let a = T::from_f64(input(0.75));
        let b = T::from_f64(input(-2.5));
        out(a.to_f64());
        out(T::from_usize(input(7usize)));
        out(a.is_finite());
        out(b.abs());
        out(a.sqrt());
        out(a.cbrt());
        out(a.exp());
        out(a.ln());
        out(a.ln_1p());
        out(a.sin());
        out(a.cos());
        out(a.tanh());
        out(a.atan2(b));
        out(a.powf(b));
        out(b.powi(input(3i32)));
        out(a.hypot(b));
        out(b.floor());
        out(a.max(b));
        out(a.min(b));
        out(b.signum());
    }
}

/// `lossmap::diff`: step sizes; gradients (central, forward, Richardson), Hessians (from values,
/// Richardson, from gradients), Hessian–vector products, directional derivatives and the
/// quadratic model — each as a slice kernel with a run-time length and typed for N = 2 and 3.
mod diff {
    use super::{input, out, reals};
    use lossmap::diff::{
        central_gradient, central_gradient_n, central_step, directional, directional_n,
        fidelity_ratio, forward_gradient, forward_gradient_n, forward_step, hessian,
        hessian_from_gradient, hessian_from_gradient_n, hessian_n, hessian_richardson,
        hessian_richardson_n, hessian_step, hvp, hvp_n, model_value, richardson_gradient,
        richardson_gradient_n, richardson_hessian_step, richardson_step, Directional,
        QuadraticModel,
    };
    use lossmap::testfn::Rosenbrock;
    use lossmap::{Error, Real};

    pub fn exercise<T: Real>() {
        let x = T::from_f64(input(3.5));
        out(central_step(x));
        out(forward_step(x));
        out(richardson_step(x));
        out(hessian_step(x));
        out(richardson_hessian_step(x));
        gradients::<T>();
        hessians::<T>();
        model::<T>();
        typed::<T, 2>();
        typed::<T, 3>();
    }

    /// Σ xᵢ³, a value-only slice objective.
    fn cubes<T: Real>(v: &[T]) -> T {
        v.iter().fold(T::ZERO, |s, &a| s + a * a * a)
    }

    /// ∇ Σ xᵢ³ = 3xᵢ², a slice gradient.
    fn cubes_grad<T: Real>(p: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        for (gi, &pi) in g.iter_mut().zip(p.iter()) {
            *gi = T::from_f64(3.0) * pi * pi;
        }
        Ok(0)
    }

    fn gradients<T: Real>() {
        let len = input(3usize);
        let mut xs: [T; 3] = reals([0.5, -1.5, 2.0]);
        let mut gs = [T::ZERO; 3];
        let mut f = cubes::<T>;
        if let (Some(x), Some(g)) = (xs.get_mut(..len), gs.get_mut(..input(3usize))) {
            out(central_gradient(&mut f, x, g));
            out(forward_gradient(&mut f, x, g));
            let d: &mut dyn FnMut(&[T]) -> T = &mut f;
            out(richardson_gradient(d, x, g));
        }
        out((xs, gs));
    }

    fn hessians<T: Real>() {
        let (n, nn) = (input(3usize), input(9usize));
        let mut xs: [T; 3] = reals([0.5, -1.5, 2.0]);
        let v: [T; 3] = reals([1.0, 0.0, -1.0]);
        let (mut h, mut w) = ([T::ZERO; 9], [T::ZERO; 9]);
        let (mut gp, mut gm, mut pt, mut o) =
            ([T::ZERO; 3], [T::ZERO; 3], [T::ZERO; 3], [T::ZERO; 3]);
        let mut f = cubes::<T>;
        let mut grad = cubes_grad::<T>;
        if let (Some(x), Some(h), Some(w)) = (xs.get_mut(..n), h.get_mut(..nn), w.get_mut(..nn)) {
            out(hessian(&mut f, x, h));
            out(hessian_richardson(&mut f, x, h, w));
            if let (Some(gp), Some(gm)) = (gp.get_mut(..n), gm.get_mut(..n)) {
                out(hessian_from_gradient(&mut grad, x, h, gp, gm));
            }
        }
        if let (Some(x), Some(v), Some(o), Some(pt), Some(gm)) = (
            xs.get(..n),
            v.get(..n),
            o.get_mut(..n),
            pt.get_mut(..n),
            gm.get_mut(..n),
        ) {
            out(hvp(&mut grad, x, v, o, pt, gm));
            let r: Result<Directional<T>, Error> = directional(&mut f, x, v, pt);
            if let Ok(r) = r {
                out((r.first, r.second, r.third, r.evals, r == input(r)));
            }
        }
        out((xs, h, w, o));
    }

    fn model<T: Real>() {
        let n = input(2usize);
        let g: [T; 2] = reals([1.0, -2.0]);
        let h: [T; 4] = reals([2.0, 0.5, 0.5, 4.0]);
        let p: [T; 2] = reals([0.1, 0.2]);
        if let (Some(g), Some(h), Some(p)) = (g.get(..n), h.get(..n * n), p.get(..n)) {
            out(model_value(g, h, p));
            out(fidelity_ratio(
                T::from_f64(input(1.0)),
                T::from_f64(input(0.5)),
                g,
                h,
                p,
            ));
        }
        let x: [T; 2] = reals([0.0, 0.5]);
        if let Ok(m) = QuadraticModel::at(&mut Rosenbrock, &x) {
            out(m.predict(&p));
            out(m.fidelity(&mut Rosenbrock, &p));
            out((m.x, m.f, m.g, m.h, m == input(m)));
        }
    }

    fn typed<T: Real, const N: usize>() {
        let x: [T; N] = reals([1.25; N]);
        let d: [T; N] = reals([0.5; N]);
        let mut g = [T::ZERO; N];
        let mut h = [[T::ZERO; N]; N];
        let f = |v: &[T; N]| v.iter().fold(T::ONE, |s, &a| s * a.sin());
        out(central_gradient_n(f, &x, &mut g));
        out(forward_gradient_n(f, &x, &mut g));
        out(richardson_gradient_n(f, &x, &mut g));
        out(hessian_n(f, &x, &mut h));
        out(hessian_richardson_n(f, &x, &mut h));
        out(directional_n(f, &x, &d));
        let mut obj = f;
        out(hessian_from_gradient_n(&mut obj, &x, &mut h));
        out(hvp_n(&mut obj, &x, &d, &mut g));
        if let Ok(m) = QuadraticModel::<T, N>::at(&mut obj, &x) {
            out(m.predict(&d));
            out(m.fidelity(&mut obj, &d));
        }
        out((g, h));
    }
}

/// `lossmap::linalg`: vector kernels, Cholesky, the symmetric eigen-solver.
mod linalg {
    use super::{input, out, reals};
    use lossmap::linalg::{
        axpy, cholesky_factor, cholesky_solve, cholesky_solve_n, dot, norm2, norm_inf, sym_eigen,
        SymEigen, JACOBI_MAX_SWEEPS,
    };
    use lossmap::Real;

    pub fn exercise<T: Real>() {
        vectors::<T>();
        slices::<T>();
        typed::<T, 2>();
        typed::<T, 3>();
        out(JACOBI_MAX_SWEEPS);
    }

    fn vectors<T: Real>() {
        let a: [T; 3] = reals([1.0, -2.0, 3.0]);
        let b: [T; 3] = reals([0.5, 4.0, -1.0]);
        let mut y: [T; 3] = reals([1.0, 1.0, 1.0]);
        let (la, lb) = (input(3usize), input(3usize));
        if let (Some(a), Some(b)) = (a.get(..la), b.get(..lb)) {
            out(dot(a, b));
            out(norm2(a));
            out(norm_inf(b));
            if let Some(y) = y.get_mut(..input(3usize)) {
                out(axpy(T::from_f64(input(0.5)), a, y));
            }
        }
        out(y);
    }

    /// The `n×n` slice kernels with a run-time `n` (buffers sized for 3).
    fn slices<T: Real>() {
        let n = input(3usize);
        let a: [T; 9] = reals([4.0, 2.0, 2.0, 2.0, 10.0, 4.0, 2.0, 4.0, 3.0]);
        let mut l = [T::ZERO; 9];
        let mut work = [T::ZERO; 9];
        let mut b: [T; 3] = reals([6.0, 0.0, 4.0]);
        let mut values = [T::ZERO; 3];
        let mut vectors = [T::ZERO; 9];
        let nn = input(9usize);
        if let (Some(a), Some(l)) = (a.get(..nn), l.get_mut(..nn)) {
            out(cholesky_factor(a, n, l));
        }
        out(l);
        if let (Some(a), Some(w), Some(b)) = (a.get(..nn), work.get_mut(..nn), b.get_mut(..n)) {
            out(cholesky_solve(a, n, w, b));
        }
        out(b);
        if let (Some(a), Some(w), Some(vals), Some(vecs)) = (
            a.get(..nn),
            work.get_mut(..nn),
            values.get_mut(..n),
            vectors.get_mut(..nn),
        ) {
            out(sym_eigen(a, n, w, vals, vecs));
        }
        out((values, vectors, work));
    }

    fn typed<T: Real, const N: usize>() {
        // A symmetric, diagonally dominant (so positive-definite) matrix of opaque values.
        let mut a = [[T::ZERO; N]; N];
        for (i, row) in a.iter_mut().enumerate() {
            *row = reals([0.5; N]);
            if let Some(d) = row.get_mut(i) {
                *d = T::from_f64(input(4.0));
            }
        }
        let b: [T; N] = reals([1.0; N]);
        out(cholesky_solve_n(&a, &b));
        let e = SymEigen::<T, N>::new(&a);
        if let Ok(e) = &e {
            out(e.condition_number());
            out((e.values, e.vectors, e.sweeps));
        }
        out(e == input(e));
        let mut f = input(SymEigen::<T, N>::default());
        out(f.decompose(&a));
        out(f);
    }
}

/// `lossmap::objective` and the crate-root re-exports: `Objective` (closures, `WithGradient`,
/// `Counted`, trait objects), `SliceObjective` (`Fixed`, `FnSlice`).
mod objective {
    use super::{input, out, reals};
    use lossmap::objective::{FnSlice, SliceObjective, WithGradient};
    use lossmap::testfn::Rosenbrock;
    use lossmap::{objective::Fixed, Counted, Objective, Real};

    pub fn exercise<T: Real>() {
        typed::<T, 2>();
        typed::<T, 3>();
        slices::<T>();
    }

    fn typed<T: Real, const N: usize>() {
        let x: [T; N] = reals([0.25; N]);
        let mut g = [T::ZERO; N];

        // A closure: value, and the default (central-difference) gradient.
        let mut f = |v: &[T; N]| v.iter().fold(T::ZERO, |s, &a| s + a * a);
        out(f.value(&x));
        out(Objective::gradient(&mut f, &x, &mut g));
        let mut h = [[T::ZERO; N]; N];
        out(Objective::hessian(&mut f, &x, &mut h));
        out(h);

        // Value and analytic gradient from two closures.
        let mut w = WithGradient::new(
            |v: &[T; N]| v.iter().fold(T::ZERO, |s, &a| s + a.exp()),
            |v: &[T; N], g: &mut [T; N]| {
                for (gi, &vi) in g.iter_mut().zip(v) {
                    *gi = vi.exp();
                }
            },
        );
        out(w.value(&x));
        out(w.gradient(&x, &mut g));

        // Counting, around a closure and as a trait object.
        let mut c = Counted::new(f);
        out(c.value(&x));
        out(c.gradient(&x, &mut g));
        out((c.values, c.gradients));
        let d: &mut dyn Objective<T, N> = &mut c;
        out(d.value(&x));
        out(d.gradient(&x, &mut g));
        out(d.hessian(&x, &mut h));
        out(g);
        let d = Counted::<Rosenbrock>::default();
        out(d.values);
    }

    fn slices<T: Real>() {
        let mut xs: [T; 3] = reals([1.5, -0.5, 0.25]);
        let mut gs = [T::ZERO; 3];
        let len = input(2usize);

        // A typed objective seen through slices; a run-time length can mismatch N.
        let mut rosen = Rosenbrock;
        let mut fixed = Fixed::<_, 2>(&mut rosen);
        if let (Some(x), Some(g)) = (xs.get_mut(..len), gs.get_mut(..len)) {
            out(SliceObjective::value(&mut fixed, x));
            out(fixed.gradient(x, g));
        }
        let mut hs = [T::ZERO; 9];
        if let (Some(x), Some(h)) = (xs.get_mut(..len), hs.get_mut(..len * len)) {
            out(SliceObjective::hessian(&mut fixed, x, h));
        }

        // A value-only slice closure, differentiated numerically; also as a trait object.
        let mut fs = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a.cos()));
        let d: &mut dyn SliceObjective<T> = &mut fs;
        if let (Some(x), Some(g)) = (xs.get_mut(..input(3usize)), gs.get_mut(..input(3usize))) {
            out(d.value(x));
            out(d.gradient(x, g));
        }
        if let (Some(x), Some(h)) = (xs.get_mut(..input(3usize)), hs.get_mut(..input(9usize))) {
            out(d.hessian(x, h));
        }
        out((xs, gs, hs));
    }
}

/// `lossmap::optim`: Adam (typed, view, kernel, trait object), the stopping rules, the report
/// types, and `minimize` / `minimize_slice` with concrete and `dyn` objectives and optimizers.
mod optim {
    use super::{input, out, reals};
    use lossmap::objective::{Fixed, FnSlice};
    use lossmap::optim::{
        adam_step, minimize, minimize_driver, minimize_slice, minimize_with, Adam, AdamBias,
        AdamConfig, AdamView, Optimizer, Report, Stop, StopReason, MAX_WINDOW,
    };
    use lossmap::testfn::{Himmelblau, Rosenbrock};
    use lossmap::{Counted, Error, Objective, Real};

    pub fn exercise<T: Real>() {
        out(MAX_WINDOW);
        adam::<T, 2>();
        adam::<T, 3>();
        adam_slices::<T>();
        out(stop::<T>());
        stop_reason();
        report::<T>();
        drivers::<T>();
        drivers_n::<T, 3>();
        drivers_slice::<T>();
        drivers_hooked::<T>();
    }

    /// `minimize_with` / `minimize_driver` with a schedule, an observer and every stop rule.
    fn drivers_hooked<T: Real>() {
        let cfg = config::<T>();
        let s = Stop {
            step_tol: T::from_f64(input(1e-9)),
            max_evals: input(500usize),
            ..stop::<T>()
        };
        let mut x: [T; 2] = reals([-1.2, 1.0]);
        if let (Ok(mut adam), Ok(mut sched)) = (
            Adam::<T, 2>::new(cfg),
            lossmap::optim::StepLr::new(T::from_f64(input(0.01)), input(7usize), input(0.5f64)),
        ) {
            let mut seen = 0usize;
            let mut watch = |p: &lossmap::optim::Progress<T>| {
                seen += 1;
                out(*p);
                seen < input(50usize)
            };
            outcome(minimize_with(
                &mut Rosenbrock,
                &mut x,
                &mut adam,
                &s,
                Some(&mut sched),
                Some(&mut watch),
            ));
            let (mut prev, mut grad) = ([T::ZERO; 2], [T::ZERO; 2]);
            let len = input(2usize);
            if let (Some(x), Some(p), Some(g)) =
                (x.get_mut(..len), prev.get_mut(..len), grad.get_mut(..len))
            {
                let mut h = Himmelblau;
                let mut fs = Fixed::<_, 2>(&mut h);
                outcome(minimize_driver(&mut fs, &mut adam, x, p, g, &s, None, None));
            }
        }
        out(x);
    }

    pub fn config<T: Real>() -> AdamConfig<T> {
        let d = AdamConfig::<T>::default();
        out(d.validate());
        AdamConfig {
            lr: T::from_f64(input(0.02)),
            beta1: T::from_f64(input(0.9)),
            beta2: T::from_f64(input(0.999)),
            eps: T::from_f64(input(1e-8)),
            weight_decay: T::from_f64(input(0.0)),
            maximize: input(0u8),
        }
    }

    pub fn stop<T: Real>() -> Stop<T> {
        let s = Stop {
            grad_tol: T::from_f64(input(1e-4)),
            rel_tol: T::from_f64(input(1e-6)),
            window: input(20usize),
            max_iter: input(500usize),
            step_tol: T::from_f64(input(0.0)),
            max_evals: input(0usize),
        };
        out(Stop::<T>::default().validate());
        out(s.validate());
        out(s == input(s));
        s
    }

    fn stop_reason() {
        let all = [
            StopReason::GradientNorm,
            StopReason::RelativeImprovement,
            StopReason::MaxIterations,
        ];
        let r = all
            .get(input(1usize))
            .copied()
            .unwrap_or(StopReason::MaxIterations);
        out((r.code(), r.name(), r == input(r)));
    }

    fn report<T: Real>() {
        let r = Report {
            reason: input(StopReason::GradientNorm),
            iterations: input(1usize),
            value_evals: input(2usize),
            grad_evals: input(2usize),
            loss: T::from_f64(input(0.5)),
            grad_norm: T::from_f64(input(1e-3)),
        };
        out(r == input(r));
    }

    fn adam<T: Real, const N: usize>() {
        let cfg = config::<T>();
        let mut x: [T; N] = reals([1.0; N]);
        let g: [T; N] = reals([0.5; N]);
        if let Ok(mut a) = Adam::<T, N>::new(cfg) {
            out(a.step(&mut x, &g));
            out((a.t, a.m, a.v, a.config));
            out(a == input(a));
            a.reset();
            out(a);
        }
        let mut d = input(Adam::<T, N>::default());
        out(d.step(&mut x, &g));
        out(d);
        out(x);
    }

    fn adam_slices<T: Real>() {
        let cfg = config::<T>();
        let len = input(3usize);
        let (mut t, mut m, mut v) = (input(0u32), [T::ZERO; 3], [T::ZERO; 3]);
        let mut bias = input(AdamBias::<T>::EMPTY);
        let mut x: [T; 3] = reals([1.0, -1.0, 0.5]);
        let g: [T; 3] = reals([0.1, 0.2, -0.3]);
        if let (Some(m), Some(v), Some(x), Some(g)) = (
            m.get_mut(..len),
            v.get_mut(..len),
            x.get_mut(..len),
            g.get(..len),
        ) {
            out(adam_step(&cfg, &mut t, &mut bias, m, v, x, g));
            let mut view = AdamView {
                config: cfg,
                t: &mut t,
                bias: &mut bias,
                m,
                v,
            };
            out(view.step(x, g));
            let d: &mut dyn Optimizer<T> = &mut view;
            out(d.step(x, g));
            d.reset();
        }
        out((t, m, v, x));
    }

    fn outcome<T: Real>(r: Result<Report<T>, Error>) {
        if let Ok(r) = r {
            let reason: StopReason = r.reason;
            out((reason.code(), reason.name()));
            out((
                r.iterations,
                r.value_evals,
                r.grad_evals,
                r.loss,
                r.grad_norm,
            ));
            out(r == input(r));
        }
        out(r.map(|r| r.reason == StopReason::MaxIterations));
    }

    fn drivers<T: Real>() {
        let cfg = config::<T>();
        let s = stop::<T>();
        if let Ok(mut adam) = Adam::<T, 2>::new(cfg) {
            let mut x: [T; 2] = reals(Rosenbrock::START);
            outcome(minimize(&mut Rosenbrock, &mut x, &mut adam, &s));
            adam.reset();
            let mut x: [T; 2] = reals([0.5, 0.5]);
            outcome(minimize(&mut Himmelblau, &mut x, &mut adam, &s));
            // Trait objects for both the objective and the optimizer.
            let mut counted = Counted::new(Himmelblau);
            let obj: &mut dyn Objective<T, 2> = &mut counted;
            let opt: &mut dyn Optimizer<T> = &mut adam;
            outcome(minimize(obj, &mut x, opt, &s));
            out(x);
        }
    }

    fn drivers_n<T: Real, const N: usize>() {
        let cfg = config::<T>();
        let s = stop::<T>();
        let mut f = |v: &[T; N]| {
            v.iter()
                .fold(T::ZERO, |s, &a| s + (a - T::ONE) * (a - T::ONE))
        };
        let mut x: [T; N] = reals([0.0; N]);
        if let Ok(mut adam) = Adam::<T, N>::new(cfg) {
            outcome(minimize(&mut f, &mut x, &mut adam, &s));
        }
        out(x);
    }

    fn drivers_slice<T: Real>() {
        let cfg = config::<T>();
        let s = stop::<T>();
        let len = input(2usize);
        let (mut t, mut m, mut v) = (0u32, [T::ZERO; 3], [T::ZERO; 3]);
        let mut bias = AdamBias::<T>::EMPTY;
        let mut x: [T; 3] = reals([-1.2, 1.0, 0.0]);
        let (mut prev, mut grad) = ([T::ZERO; 3], [T::ZERO; 3]);
        if let (Some(m), Some(v), Some(x), Some(prev), Some(grad)) = (
            m.get_mut(..len),
            v.get_mut(..len),
            x.get_mut(..len),
            prev.get_mut(..len),
            grad.get_mut(..len),
        ) {
            let mut view = AdamView {
                config: cfg,
                t: &mut t,
                bias: &mut bias,
                m,
                v,
            };
            let mut rosen = Rosenbrock;
            outcome(minimize_slice(
                &mut Fixed::<_, 2>(&mut rosen),
                &mut view,
                x,
                prev,
                grad,
                &s,
            ));
            view.reset();
            let mut fs = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a * a));
            outcome(minimize_slice(&mut fs, &mut view, x, prev, grad, &s));
        }
        out(x);
    }
}

/// `lossmap::loss`: regression and classification losses, linear and softmax-linear models and
/// their fit objectives, least squares, penalties and proximal steps, Jensen–Shannon smoothness,
/// reparameterization, Δ-learning baselines, standardization, weighted sums.
mod loss {
    use super::{input, out, reals};
    use lossmap::loss::{
        chain_rule, constrain, design_gram, destandardize_linear, js_divergence, js_smoothness,
        least_squares, least_squares_work_len, residual_targets, soft_threshold, standardize,
        standardize_with, unstandardize, Classification, JsSmoothness, Linear, LinearFit, Penalty,
        Regression, Regularizer, Reparam, SoftmaxFit, SoftmaxLinear, Transform, WeightedSum,
    };
    use lossmap::testfn::Rosenbrock;
    use lossmap::{Objective, Real};

    // m = 4 samples, d = 2 features, k = 3 classes; P = d + 1 and PK = k(d + 1) parameters.
    const P: usize = 3;
    const PK: usize = 9;

    pub fn exercise<T: Real>() {
        regression::<T>();
        classification::<T>();
        models::<T>();
        penalties::<T>();
        reparam::<T>();
        data::<T>();
        out(least_squares_work_len(input(2usize)));
    }

    fn regression<T: Real>() {
        let m = input(4usize);
        let pred: [T; 4] = reals([0.5, 1.5, -1.0, 2.0]);
        let target: [T; 4] = reals([0.0, 2.0, -1.5, 2.5]);
        let mut g = [T::ZERO; 4];
        let losses = [
            Regression::Mse,
            Regression::Mae,
            Regression::huber(T::from_f64(input(1.0))).unwrap_or(Regression::Mse),
        ];
        let l = losses
            .get(input(2usize))
            .copied()
            .unwrap_or(Regression::Mae);
        out(l.validate());
        out(l.point(T::from_f64(input(0.3))));
        if let (Some(p), Some(t), Some(g)) = (pred.get(..m), target.get(..m), g.get_mut(..m)) {
            out(l.value(p, t));
            out(l.value_grad(p, t, g));
        }
        out((g, l == input(l)));
    }

    fn classification<T: Real>() {
        let (m, k) = (input(4usize), input(3usize));
        let logits: [T; 12] = reals([1.0, 0.0, -1.0, 0.5, 0.2, 0.1, -0.3, 0.9, 0.0, 2.0, 1.0, 0.5]);
        let labels: [u32; 4] = input([0, 1, 2, 0]);
        let weights: [T; 3] = reals([1.0, 2.0, 0.5]);
        let cost: [T; 9] = reals([0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0]);
        let mut g = [T::ZERO; 12];
        let all = [
            Classification::CrossEntropy,
            Classification::Weighted(&weights),
            Classification::CostSensitive(&cost),
        ];
        for c in all.iter().take(input(3usize)) {
            out(c.validate(k));
            if let (Some(z), Some(l), Some(g)) =
                (logits.get(..m * k), labels.get(..m), g.get_mut(..m * k))
            {
                out(c.value(z, l, k));
                out(c.value_grad(z, l, k, g));
            }
        }
        let p: [T; 3] = reals([0.2, 0.3, 0.5]);
        let q: [T; 3] = reals([0.1, 0.6, 0.3]);
        if let (Some(p), Some(q), Some(z)) = (p.get(..k), q.get(..k), logits.get(..m * k)) {
            out(js_divergence(p, q));
            out(js_smoothness(
                z,
                k,
                T::from_f64(input(0.1)),
                g.get_mut(..m * k),
            ));
        }
        out(g);
    }

    fn models<T: Real>() {
        let (m, d, k) = (input(4usize), input(2usize), input(3usize));
        let x: [T; 8] = reals([0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 5.0]);
        let y: [T; 4] = reals([1.0, 2.0, 4.0, 9.0]);
        let labels: [u32; 4] = input([0, 1, 2, 0]);
        let theta: [T; PK] = reals([0.1, -0.2, 0.3, 0.0, 0.5, -0.5, 0.2, 0.2, 0.1]);
        let (mut g, mut z, mut work) = ([T::ZERO; PK], [T::ZERO; 3], [T::ZERO; 6]);
        let (Some(x), Some(y), Some(labels)) = (x.get(..m * d), y.get(..m), labels.get(..m)) else {
            return;
        };
        if let Ok(lin) = Linear::new(d) {
            out((lin.features(), lin.params(), lin == input(lin)));
            if let (Some(th), Some(row)) = (theta.get(..lin.params()), x.get(..d)) {
                out(lin.predict(th, row));
                out(lin.loss(&Regression::Mse, th, x, y, None, g.get_mut(..lin.params())));
            }
            // Δ-learning: a baseline from a closure, residual targets, a fit on top.
            let mut base: [T; 4] = reals([0.5, 1.0, 2.0, 4.0]);
            baseline(x, d, base.get_mut(..m).unwrap_or(&mut []));
            let mut r = [T::ZERO; 4];
            out(residual_targets(
                y,
                &base,
                r.get_mut(..m).unwrap_or(&mut []),
            ));
            if let Ok(fit) = LinearFit::<T, P>::new(lin, Regression::Mae, x, y) {
                if let Ok(mut fit) = fit.with_baseline(&base) {
                    let th: [T; P] = reals([0.5, 0.5, 0.0]);
                    let (mut gp, mut hp) = ([T::ZERO; P], [[T::ZERO; P]; P]);
                    out(fit.value(&th));
                    out(fit.gradient(&th, &mut gp));
                    out(fit.hessian(&th, &mut hp));
                    out((gp, hp));
                }
            }
        }
        if let Ok(sm) = SoftmaxLinear::new(d, k) {
            out((sm.features(), sm.classes(), sm.params(), sm == input(sm)));
            if let (Some(th), Some(row)) = (theta.get(..sm.params()), x.get(..d)) {
                out(sm.logits(th, row, &mut z));
                let ce = Classification::CrossEntropy;
                out(sm.loss(&ce, th, x, labels, &mut work, g.get_mut(..sm.params())));
                out(sm.js_smoothness(
                    T::from_f64(input(0.1)),
                    th,
                    x,
                    &mut work,
                    g.get_mut(..sm.params()),
                ));
            }
            let th: [T; PK] = reals([0.1; PK]);
            let mut gk = [T::ZERO; PK];
            if let Ok(mut fit) =
                SoftmaxFit::<T, PK>::new(sm, Classification::CrossEntropy, x, labels)
            {
                out(fit.value(&th));
                out(fit.gradient(&th, &mut gk));
            }
            if let Ok(mut js) = JsSmoothness::<T, PK>::new(sm, x, T::from_f64(input(0.1))) {
                out(js.value(&th));
                out(js.gradient(&th, &mut gk));
            }
            out(gk);
        }
        // Least squares by the normal equations.
        let mut gram = [T::ZERO; 9];
        let mut lw = [T::ZERO; least_squares_work_len(2)];
        let mut th = [T::ZERO; P];
        out(design_gram(
            x,
            d,
            gram.get_mut(..(d + 1) * (d + 1)).unwrap_or(&mut []),
        ));
        out(least_squares(
            x,
            y,
            d,
            &mut lw,
            th.get_mut(..d + 1).unwrap_or(&mut []),
        ));
        out((g, z, gram, th));
    }

    fn penalties<T: Real>() {
        let n = input(6usize);
        let lambda = T::from_f64(input(0.1));
        let mut w: [T; 6] = reals([1.0, -2.0, 0.5, 0.0, 3.0, -0.1]);
        let mut g = [T::ZERO; 6];
        let ps = [
            Penalty::L2 { lambda },
            Penalty::L1 { lambda },
            Penalty::ElasticNet {
                lambda,
                alpha: T::from_f64(input(0.5)),
            },
        ];
        let p = ps
            .get(input(2usize))
            .copied()
            .unwrap_or(Penalty::L2 { lambda });
        out(p.validate());
        let made = [
            Regularizer::new(p),
            Regularizer::l2(lambda),
            Regularizer::l1(lambda),
            Regularizer::elastic_net(lambda, T::from_f64(input(0.5))),
        ];
        for r in made.into_iter().flatten().take(input(4usize)) {
            let mut r = r.skip_bias(input(3usize));
            out(r.penalty());
            if let (Some(w), Some(g)) = (w.get_mut(..n), g.get_mut(..n)) {
                out(r.eval(w, Some(g)));
                out(r.prox(w, T::from_f64(input(0.01))));
            }
            let x: [T; 2] = reals([1.0, -1.0]);
            let mut g2 = [T::ZERO; 2];
            out(Objective::<T, 2>::value(&mut r, &x));
            out(Objective::<T, 2>::gradient(&mut r, &x, &mut g2));
            out(g2);
        }
        out(soft_threshold(T::from_f64(input(0.3)), lambda));
        // A weighted sum of objectives, extended once.
        if let Ok(ws) = WeightedSum::new(
            T::ONE,
            Rosenbrock,
            T::HALF,
            Regularizer::l2(lambda)
                .unwrap_or_else(|_| Regularizer::l2(T::ONE).unwrap_or_else(|_| unreachable_free())),
        ) {
            out(ws.coefficients());
            if let Ok(mut ws) = ws.plus(T::HALF, |x: &[T; 2]| x[0] * x[1]) {
                let x: [T; 2] = reals([0.5, 0.5]);
                let (mut g2, mut h2) = ([T::ZERO; 2], [[T::ZERO; 2]; 2]);
                out(ws.value(&x));
                out(ws.gradient(&x, &mut g2));
                out(ws.hessian(&x, &mut h2));
                out((g2, h2));
            }
        }
        out((w, g));
    }

    fn reparam<T: Real>() {
        let n = input(3usize);
        let maps = [
            Transform::Identity,
            Transform::Positive,
            Transform::Bounded {
                lo: T::from_f64(input(-1.0)),
                hi: T::from_f64(input(2.0)),
            },
        ];
        let t = maps
            .get(input(2usize))
            .copied()
            .unwrap_or(Transform::Identity);
        out(t.validate());
        out(t.apply(T::from_f64(input(0.3))));
        out(t.inverse(T::from_f64(input(0.3))));
        let alpha: [T; 3] = reals([0.1, -0.2, 0.3]);
        let (mut theta, mut g) = ([T::ZERO; 3], reals::<T, 3>([1.0, 1.0, 1.0]));
        if let (Some(mp), Some(a), Some(th), Some(g)) = (
            maps.get(..n),
            alpha.get(..n),
            theta.get_mut(..n),
            g.get_mut(..n),
        ) {
            out(constrain(mp, a, th));
            out(chain_rule(mp, a, g));
        }
        let a2: [T; 2] = reals([0.1, 0.2]);
        let mut g2 = [T::ZERO; 2];
        if let Ok(mut r) = Reparam::new(Rosenbrock, [t, Transform::Positive]) {
            out(r.maps());
            out(r.constrained(&a2));
            out(r.unconstrained(&a2));
            out(r.value(&a2));
            out(r.gradient(&a2, &mut g2));
        }
        if let Ok(mut r) = Reparam::<_, T, 2>::all(Rosenbrock, t) {
            out(r.value(&a2));
        }
        out((theta, g, g2));
    }

    fn data<T: Real>() {
        let (m, d) = (input(4usize), input(2usize));
        let mut x: [T; 8] = reals([0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 5.0]);
        let (mut mean, mut scale) = ([T::ZERO; 2], [T::ZERO; 2]);
        let mut theta: [T; 3] = reals([1.0, 2.0, 0.5]);
        if let (Some(x), Some(mu), Some(sd)) =
            (x.get_mut(..m * d), mean.get_mut(..d), scale.get_mut(..d))
        {
            out(standardize(x, d, mu, sd));
            out(unstandardize(x, d, mu, sd));
            out(standardize_with(x, d, mu, sd));
            if let Some(th) = theta.get_mut(..d + 1) {
                out(destandardize_linear(th, mu, sd));
            }
        }
        out((x, mean, scale, theta));
    }

    /// `baseline_from_fn` forced inline into `models`: the context where rustc 1.95 once kept a
    /// division-by-zero panic (`ChunksExact::size_hint` behind `zip(rows(x, d))`,
    /// src/loss/residual.rs), which `#[inline(never)]` here used to hide. lossmap now walks rows
    /// with `linalg::rows` (`split_at_checked`, no division), so it links in this context too.
    #[inline(always)]
    fn baseline<T: Real>(x: &[T], d: usize, out: &mut [T]) {
        let f = |row: &[T]| row.iter().fold(T::ZERO, |s, &v| s + v);
        super::out(lossmap::loss::baseline_from_fn(x, d, f, out));
    }

    /// Never called: a typed stand-in where an `unwrap` would otherwise be needed.
    fn unreachable_free<T: Real>() -> Regularizer<T> {
        loop {
            core::hint::spin_loop();
        }
    }
}

/// `lossmap::landscape`: curvature, critical-point classification, identifiability, convexity,
/// sharpness, noisy loss, curvature stability (typed for N = 2 and 3, and as slice kernels),
/// 1-D/2-D slices, random and filter-normalized directions, power iteration and Hutchinson trace,
/// and the nudged elastic band (typed for several image counts, and as a slice kernel).
mod landscape {
    use super::{input, out, reals, rng};
    use lossmap::landscape::{
        classify, classify_at, classify_at_slice, convex_at, convex_at_slice, convex_over_box,
        convex_over_box_slice, convex_work_len, curvature, curvature_stability,
        curvature_stability_slice, epsilon_sharpness, epsilon_sharpness_slice, filter_normalize,
        flat_range, hutchinson_trace, hutchinson_trace_n, neb, neb_slice, neb_work_len, noisy_loss,
        noisy_loss_slice, pin_hessian, pin_penalty, pin_weight, power_iteration, random_direction,
        slice_1d, top_eigen_n, Convexity, CriticalPoint, Curvature, CurvatureStability,
        CurvatureSummary, HessianScratch, Identifiability, Neb, NebConfig, NebReport, NoisyLoss,
        Pinned, Sharpness, Tolerance, TopEigen, TraceEstimate,
    };
    use lossmap::objective::{Fixed, FnSlice, SliceObjective};
    use lossmap::random::SplitMix64;
    use lossmap::testfn::{Himmelblau, Rosenbrock, RosenbrockN};
    use lossmap::{Error, Objective, Real};

    pub fn exercise<T: Real>() {
        curvature_and_classes::<T>();
        convexity::<T>();
        sampling::<T, _, 2>(&mut Rosenbrock);
        sampling::<T, _, 3>(&mut RosenbrockN::<3>);
        sampling_slices::<T>();
        slices::<T>();
        spectral::<T>();
        typed::<T, 3>();
        bands::<T>();
    }

    fn grad3<T: Real>(p: &mut [T], g: &mut [T]) -> Result<usize, Error> {
        for (i, (gi, &pi)) in g.iter_mut().zip(p.iter()).enumerate() {
            *gi = T::from_usize(i + 1) * pi;
        }
        Ok(0)
    }

    fn curvature_and_classes<T: Real>() {
        let n = input(3usize);
        let h: [T; 9] = reals([2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 1e-9]);
        let (mut w, mut vals, mut vecs) = ([T::ZERO; 9], [T::ZERO; 3], [T::ZERO; 9]);
        if let (Some(h), Some(w), Some(v), Some(e)) = (
            h.get(..n * n),
            w.get_mut(..n * n),
            vals.get_mut(..n),
            vecs.get_mut(..n * n),
        ) {
            out(curvature(h, n, w, v, e));
        }
        out(flat_range(&vals, T::from_f64(input(1e-6))));
        let tol = Tolerance::<T>::default();
        let tol = Tolerance {
            grad: T::from_f64(input(1e-6)),
            ..tol
        };
        out(classify(&vals, T::from_f64(input(1e-9)), &tol));
        let x: [T; 2] = reals([1.0, 1.0]);
        if let Ok((cp, c)) = classify_at(&mut Rosenbrock, &x, &tol) {
            let cp: CriticalPoint = cp;
            out((cp.code(), cp.name(), cp == input(cp)));
            out(c);
        }
        let h2 = [reals::<T, 2>([802.0, -400.0]), reals([-400.0, 200.0])];
        out(Curvature::of_hessian(&h2));
        out(Curvature::at(&mut Himmelblau, &x));
        let mut view = Curvature::<T, 2>::default();
        out(view.classify_at(&mut Himmelblau, &x, &tol));
        out(view.analyse(&mut Rosenbrock, &x));
        out(view);
        out(Identifiability::of_hessian(&h2, T::from_f64(input(1e-3))));
        // The pin of flat valleys: slice kernels and the typed wrapper.
        let d: [T; 2] = input(reals([0.6, -0.8]));
        let a: [T; 2] = input(reals([0.1, 0.2]));
        let mut gp: [T; 2] = input(reals([0.0, 0.0]));
        let wgt = T::from_f64(input(2.0));
        out(pin_penalty(&d, &a, wgt, &x, Some(&mut gp)));
        out(pin_penalty(&d, &a, wgt, &x, None));
        let mut hp: [T; 4] = input(reals([1.0, 0.0, 0.0, 1.0]));
        out(pin_hessian(&d, input(2usize), wgt, &mut hp));
        out(pin_weight(&vals, input(0usize), input(1usize)));
        let h1 = [reals::<T, 2>([1.0, 1.0]), reals([1.0, 1.0])];
        if let Ok(id) = Identifiability::of_hessian(&h1, T::from_f64(input(1e-6))) {
            let mut ros = Rosenbrock;
            if let Ok(mut p) = Pinned::new(&mut ros, &id, a, None) {
                out((p.weight(), p.directions().len(), p.penalty(&x), p.value(&x)));
                let mut g2 = [T::ZERO; 2];
                out(p.gradient(&x, &mut g2));
                let mut hh = [[T::ZERO; 2]; 2];
                out(p.hessian(&x, &mut hh));
                out((g2, hh));
            }
            out(Pinned::new(&mut Himmelblau, &id, a, Some(wgt)).map(|p| p.weight()));
        }
        out((vals, vecs, w, gp, hp));
    }

    fn convexity<T: Real>() {
        let x: [T; 2] = reals([0.5, 0.5]);
        let (lo, hi): ([T; 2], [T; 2]) = (reals([-1.0, -1.0]), reals([1.0, 1.0]));
        let tol = T::from_f64(input(1e-6));
        let mut r = rng();
        let c: Result<Convexity<T, 2>, Error> = convex_at(&mut Rosenbrock, &x, tol);
        if let Ok(c) = &c {
            out(c.is_convex());
        }
        out(c);
        out(convex_over_box(
            &mut Himmelblau,
            &lo,
            &hi,
            input(8usize),
            &mut r,
            tol,
        ));
        // Slice versions over a run-time size.
        let n = input(2usize);
        let mut work = [T::ZERO; 32];
        let (mut witness, mut dir) = ([T::ZERO; 2], [T::ZERO; 2]);
        let mut f = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a * a * a * a));
        out(convex_work_len(n));
        if let Ok(mut scratch) = HessianScratch::split(&mut work, n) {
            if let (Some(xs), Some(lo), Some(hi), Some(wn), Some(d)) = (
                x.get(..n),
                lo.get(..n),
                hi.get(..n),
                witness.get_mut(..n),
                dir.get_mut(..n),
            ) {
                out(convex_at_slice(&mut f, xs, tol, &mut scratch, d));
                out(convex_over_box_slice(
                    &mut f,
                    lo,
                    hi,
                    input(8usize),
                    &mut r,
                    tol,
                    &mut scratch,
                    wn,
                    d,
                ));
            }
        }
        out((work, witness, dir));
    }

    fn sampling<T: Real, O: Objective<T, N>, const N: usize>(obj: &mut O) {
        let x: [T; N] = reals([1.0; N]);
        let mut r = rng();
        let s: Result<Sharpness<T, N>, Error> =
            epsilon_sharpness(obj, &x, T::from_f64(input(1e-2)), input(5usize), &mut r);
        if let Ok(s) = &s {
            out((s.rise, s.delta, s.steps, *s == input(*s)));
        }
        out(s);
        let v: Result<NoisyLoss<T>, Error> =
            noisy_loss(obj, &x, T::from_f64(input(1e-2)), input(8usize), &mut r);
        if let Ok(v) = &v {
            out((
                v.loss,
                v.sampled,
                v.std_error,
                v.second_order,
                *v == input(*v),
            ));
        }
        out(v);
        let c: Result<CurvatureStability<T, N>, Error> = curvature_stability(obj, &x);
        if let Ok(c) = &c {
            out((c.values, c.vectors, c.third, *c == input(*c)));
        }
        out(c);
    }

    /// The slice kernels of sharpness, noisy loss and curvature stability over a run-time `n`,
    /// with a closure objective seen as a trait object and SplitMix64 as the generator.
    fn sampling_slices<T: Real>() {
        let n = input(3usize);
        let x: [T; 3] = reals([0.5, -1.0, 2.0]);
        let mut best = [T::ZERO; 3];
        let mut third = [T::ZERO; 3];
        // 3n² + 3n = 36 for n = 3: enough for each kernel (3n, n + n², 3n² + 2n, 3n² + 3n).
        let mut work = [T::ZERO; 36];
        let mut r = SplitMix64::new(input(7u64));
        let mut quartic = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a * a * a * a));
        let f: &mut dyn SliceObjective<T> = &mut quartic;
        if let (Some(x), Some(b), Some(w)) = (x.get(..n), best.get_mut(..n), work.get_mut(..3 * n))
        {
            out(epsilon_sharpness_slice(
                f,
                x,
                T::from_f64(input(1e-2)),
                input(5usize),
                &mut r,
                b,
                w,
            ));
        }
        if let (Some(x), Some((p, h))) = (x.get(..n), work.split_at_mut_checked(n)) {
            if let Some(h) = h.get_mut(..n * n) {
                out(noisy_loss_slice(
                    f,
                    x,
                    T::from_f64(input(1e-2)),
                    input(8usize),
                    &mut r,
                    p,
                    h,
                ));
            }
        }
        if let (Some(x), Ok(mut scratch)) = (x.get(..n), HessianScratch::split(&mut work, n)) {
            if let Some(t) = third.get_mut(..n) {
                out(curvature_stability_slice(f, x, &mut scratch, t));
            }
        }
        if let (Some(x), Some((g, rest))) = (x.get(..n), work.split_at_mut_checked(n)) {
            if let (Ok(mut scratch), Some(g)) = (HessianScratch::split(rest, n), g.get_mut(..n)) {
                let tol = Tolerance::<T>::default();
                out(classify_at_slice(f, x, &tol, &mut scratch, g));
            }
        }
        out((best, third, work, r));
    }

    fn slices<T: Real>() {
        let n = input(3usize);
        let x: [T; 3] = reals([0.5, -1.0, 2.0]);
        let (mut d1, mut d2) = ([T::ZERO; 3], [T::ZERO; 3]);
        let (mut point, mut line) = ([T::ZERO; 3], [T::ZERO; 5]);
        let mut r = rng();
        let mut f = |v: &[T]| v.iter().fold(T::ZERO, |s, &a| s + a.sin());
        if let (Some(x), Some(d1), Some(d2), Some(p)) = (
            x.get(..n),
            d1.get_mut(..n),
            d2.get_mut(..n),
            point.get_mut(..n),
        ) {
            out(random_direction(&mut r, d1));
            out(random_direction(&mut r, d2));
            let groups: [usize; 2] = input([2, 1]);
            out(filter_normalize(
                x,
                groups.get(..input(2usize)).unwrap_or(&[]),
                d1,
            ));
            let (lo, hi) = (T::from_f64(input(-1.0)), T::from_f64(input(1.0)));
            out(slice_1d(
                &mut f,
                x,
                d1,
                lo,
                hi,
                p,
                line.get_mut(..input(5usize)).unwrap_or(&mut []),
            ));
            {
                let mut grid = [T::ZERO; 12];
                let g = grid.get_mut(..input(12usize)).unwrap_or(&mut []);
                let (s, t) = ((lo, hi), (lo, hi));
                out(lossmap::landscape::slice_2d(
                    &mut f,
                    x,
                    d1,
                    d2,
                    s,
                    t,
                    input(3usize),
                    p,
                    g,
                ));
                out(grid);
            }
        }
        out(line);
    }

    fn spectral<T: Real>() {
        let (n, k) = (input(3usize), input(2usize));
        let x: [T; 3] = reals([0.5, -1.0, 2.0]);
        let (mut vals, mut vecs, mut work) = ([T::ZERO; 2], [T::ZERO; 6], [T::ZERO; 12]);
        let mut r = rng();
        let mut g = grad3::<T>;
        let tol = T::from_f64(input(1e-6));
        if let (Some(x), Some(v), Some(e), Some(w)) = (
            x.get(..n),
            vals.get_mut(..k),
            vecs.get_mut(..k * n),
            work.get_mut(..4 * n),
        ) {
            out(power_iteration(
                &mut g,
                x,
                v,
                e,
                w,
                &mut r,
                input(50usize),
                tol,
            ));
            out(hutchinson_trace(&mut g, x, input(4usize), w, &mut r));
        }
        let x2: [T; 2] = reals([1.0, 1.0]);
        let top: Result<TopEigen<T, 2, 2>, Error> =
            top_eigen_n(&mut Rosenbrock, &x2, &mut r, input(50usize), tol);
        out(top);
        out(hutchinson_trace_n(
            &mut Rosenbrock,
            &x2,
            input(4usize),
            &mut r,
        ));
        out((vals, vecs));
    }

    /// The typed analyses at another size (the functions above cover N = 2).
    fn typed<T: Real, const N: usize>() {
        let x: [T; N] = reals([1.0; N]);
        let tol = Tolerance {
            grad: T::from_f64(input(1e-3)),
            zero_rel: T::from_f64(input(1e-3)),
            step: T::from_f64(input(1.0)),
        };
        let mut f = RosenbrockN::<N>;
        if let Ok((cp, c)) = classify_at(&mut f, &x, &tol) {
            out((cp.code(), cp.name()));
            let s: CurvatureSummary<T> = c.summary;
            out((s.min, s.max, s.trace, s.condition, s.log_det, s == input(s)));
            out((c.hessian, c.eigen.values, c == input(c)));
        }
        let mut h = [[T::ZERO; N]; N];
        out(Objective::hessian(&mut f, &x, &mut h));
        out(Curvature::of_hessian(&h));
        out(Curvature::at(&mut f, &x));
        let id = Identifiability::of_hessian(&h, T::from_f64(input(1e-6)));
        if let Ok(id) = &id {
            let twin = core::hint::black_box(id.clone());
            out((
                id.flat.len(),
                id.flat.first(),
                id.determined.last(),
                *id == twin,
            ));
            for d in id.flat.iter().chain(&id.determined) {
                out((d.vector, d.curvature, *d == input(*d)));
            }
        }
        out(id);
        let c: Result<Convexity<T, N>, Error> = convex_at(&mut f, &x, tol.zero_rel);
        out(c);
        let (lo, hi): ([T; N], [T; N]) = (reals([-1.0; N]), reals([1.0; N]));
        out(convex_over_box(
            &mut f,
            &lo,
            &hi,
            input(4usize),
            &mut rng(),
            tol.zero_rel,
        ));
        let top: Result<TopEigen<T, N, 1>, Error> =
            top_eigen_n(&mut f, &x, &mut rng(), input(20usize), tol.zero_rel);
        if let Ok(t) = &top {
            out((t.values, t.vectors, t.products, *t == input(*t)));
        }
        out(top);
        let top: Result<TopEigen<T, N, N>, Error> =
            top_eigen_n(&mut f, &x, &mut rng(), input(20usize), tol.zero_rel);
        out(top);
        let t: Result<TraceEstimate<T>, Error> =
            hutchinson_trace_n(&mut f, &x, input(4usize), &mut rng());
        if let Ok(t) = &t {
            out((t.trace, t.std_error, t.products, *t == input(*t)));
        }
        out(t);
    }

    /// `NebConfig`, `neb` for several sizes and image counts (with a trait-object objective),
    /// `Neb::classify`, `neb_work_len` and the `neb_slice` kernel.
    fn bands<T: Real>() {
        out(neb_work_len(input(2usize), input(9usize)));
        let d = NebConfig::<T>::default();
        out((d.validate(), d == input(d)));
        let cfg = NebConfig {
            spring: T::from_f64(input(0.25)),
            step: T::from_f64(input(1.0)),
            max_move: T::from_f64(input(0.2)),
            force_tol: T::from_f64(input(1e-5)),
            climb_tol: T::from_f64(input(0.005)),
            climb_after: input(200usize),
            max_iter: input(500usize),
            climb: input(1u32),
        };
        out(cfg.validate());
        let (a, b): ([T; 2], [T; 2]) = (reals(Himmelblau::MINIMA[0]), reals(Himmelblau::MINIMA[3]));
        band::<T, _, 2, 9>(&mut Himmelblau, &a, &b, &cfg);
        band::<T, _, 2, 5>(&mut Rosenbrock, &a, &b, &cfg);
        let obj: &mut dyn Objective<T, 2> = &mut Himmelblau;
        band::<T, _, 2, 3>(obj, &a, &b, &cfg);
        let (a3, b3): ([T; 3], [T; 3]) = (reals([-1.0, 1.0, 1.0]), reals([1.0, 1.0, 1.0]));
        band::<T, _, 3, 4>(&mut RosenbrockN::<3>, &a3, &b3, &cfg);
        band::<T, _, 3, 7>(&mut RosenbrockN::<3>, &a3, &b3, &cfg);
        bands_slice::<T>(&cfg);
    }

    fn band<T: Real, O: Objective<T, N> + ?Sized, const N: usize, const IMAGES: usize>(
        obj: &mut O,
        a: &[T; N],
        b: &[T; N],
        cfg: &NebConfig<T>,
    ) {
        let r: Result<Neb<T, N, IMAGES>, Error> = neb(obj, a, b, cfg);
        if let Ok(band) = &r {
            let rep: NebReport<T> = band.report;
            out((
                rep.climbing,
                rep.climbed,
                rep.barrier_from_a,
                rep.barrier_from_b,
            ));
            out((
                rep.max_force,
                rep.iterations,
                rep.value_evals,
                rep.grad_evals,
            ));
            out((rep.converged, rep == input(rep)));
            out((band.path, band.energies, band.saddle, *band == input(*band)));
            let tol = Tolerance::<T>::default();
            if let Ok((kind, c)) = band.classify(obj, &tol) {
                out((kind.code(), kind.name(), c));
            }
        }
        out(r);
    }

    /// `neb_slice` over a run-time size and image count, typed and closure objectives.
    fn bands_slice<T: Real>(cfg: &NebConfig<T>) {
        let (n, m) = (input(3usize), input(9usize));
        let a: [T; 3] = reals([-1.0, 1.0, 1.0]);
        let b: [T; 3] = reals([1.0, 1.0, 1.0]);
        let (mut path, mut energies, mut work) = ([T::ZERO; 27], [T::ZERO; 9], [T::ZERO; 81]);
        let mut rosen = RosenbrockN::<3>;
        let mut fixed = Fixed::<_, 3>(&mut rosen);
        let mut bowl = FnSlice(|v: &[T]| v.iter().fold(T::ZERO, |s, &x| s + x * x * (x - T::ONE)));
        if let (Some(a), Some(b), Some(p), Some(e), Some(w)) = (
            a.get(..n),
            b.get(..n),
            path.get_mut(..n * m),
            energies.get_mut(..m),
            work.get_mut(..neb_work_len(n, m)),
        ) {
            out(neb_slice(&mut fixed, a, b, p, e, w, cfg));
            let f: &mut dyn SliceObjective<T> = &mut bowl;
            out(neb_slice(f, a, b, p, e, w, cfg));
        }
        out((path, energies, work));
    }
}

/// `lossmap::random`: variates from any `Rng`, and the crate's own `SplitMix64`.
mod random {
    use super::{input, out, rng, Fold};
    use core::hash::{Hash as _, Hasher as _};
    use lossmap::random::{below, normal, rademacher, uniform, uniform_in, SplitMix64};
    use lossmap::Real;
    use rand_core::Rng;

    pub fn exercise<T: Real>() {
        variates::<T, _>(&mut rng());
        let mut s = SplitMix64::new(input(1_234_567u64));
        variates::<T, _>(&mut s);
        let d: &mut dyn Rng = &mut s;
        variates::<T, dyn Rng>(d);
        split_mix();
    }

    fn variates<T: Real, R: Rng + ?Sized>(r: &mut R) {
        out(uniform::<T, R>(r));
        out(uniform_in(
            r,
            T::from_f64(input(-1.0)),
            T::from_f64(input(2.0)),
        ));
        out(rademacher::<T, R>(r));
        out(normal::<T, R>(r));
        out(below(r, input(7usize)));
    }

    /// `SplitMix64`: the `Rng` methods (`fill_bytes` over a run-time length) and derives.
    fn split_mix() {
        let mut s = SplitMix64::new(input(99u64));
        out((s.next_u32(), s.next_u64(), s.state));
        let mut bytes = [0u8; 11];
        if let Some(b) = bytes.get_mut(..input(11usize)) {
            s.fill_bytes(b);
        }
        out(bytes);
        let t = s;
        out((s == input(t), s != input(t)));
        let mut h = Fold(0);
        s.hash(&mut h);
        out(h.finish());
    }
}

/// `lossmap::testfn`: every landscape (value, analytic gradient and Hessian at an opaque point,
/// constructors, accessors, constants), the dimension-generic ones for N = 2 and 3.
mod testfn {
    use super::{input, out, reals};
    use lossmap::testfn::{
        Ackley, Beale, Booth, Easom, ExpSinCos, Himmelblau, Quadratic, Rastrigin, Rosenbrock,
        RosenbrockN, SixHumpCamel, StyblinskiTang, TwoRate,
    };
    use lossmap::{Objective, Real};

    pub fn exercise<T: Real>() {
        classic::<T>();
        plane::<T>();
        any_n::<T, 2>();
        any_n::<T, 3>();
        out(RosenbrockN::<4>::local_minimum());
        quadratic::<T, 2>();
        quadratic::<T, 3>();
        two_rate::<T>();
    }

    /// Value, analytic gradient and analytic Hessian of `f` at the opaque point `at`.
    fn derivatives<T: Real, O: Objective<T, N> + ?Sized, const N: usize>(f: &mut O, at: [f64; N]) {
        let x: [T; N] = reals(at);
        let (mut g, mut h) = ([T::ZERO; N], [[T::ZERO; N]; N]);
        out(f.value(&x));
        out(f.gradient(&x, &mut g));
        out(f.hessian(&x, &mut h));
        out((g, h));
    }

    /// Rosenbrock and Himmelblau.
    fn classic<T: Real>() {
        let x: [T; 2] = reals([-1.2, 1.0]);
        let mut g = [T::ZERO; 2];
        let mut r = Rosenbrock;
        out(r.value(&x));
        out(r.gradient(&x, &mut g));
        out(Rosenbrock::hessian(&x));
        let mut hh = [[T::ZERO; 2]; 2];
        out(Objective::hessian(&mut r, &x, &mut hh));
        out((Rosenbrock::MINIMUM, Rosenbrock::START));
        let mut h = Himmelblau;
        out(h.value(&x));
        out(h.gradient(&x, &mut g));
        out(Objective::hessian(&mut h, &x, &mut hh));
        out(hh);
        out((Himmelblau::MINIMA, Himmelblau::SADDLES, Himmelblau::MAXIMUM));
        out(g);
        out((r == Rosenbrock, h == input(Himmelblau)));
        out((Rosenbrock::MIN_VALUE, Himmelblau::MIN_VALUE));
        out((Himmelblau::SADDLE_VALUES, Himmelblau::MAX_VALUE));
    }

    /// The fixed two-dimensional landscapes.
    fn plane<T: Real>() {
        derivatives::<T, _, 2>(&mut Beale, [1.0, 0.5]);
        derivatives::<T, _, 2>(&mut Booth, [0.0, 0.0]);
        derivatives::<T, _, 2>(&mut SixHumpCamel, [0.1, -0.7]);
        derivatives::<T, _, 2>(&mut Easom, [3.0, 3.2]);
        derivatives::<T, _, 2>(&mut ExpSinCos, ExpSinCos::REFERENCE_POINT);
        let obj: &mut dyn Objective<T, 2> = &mut Beale;
        derivatives::<T, _, 2>(obj, [0.0, 1.0]);
        out((
            Beale::MINIMUM,
            Beale::MIN_VALUE,
            Beale::SADDLES,
            Beale::SADDLE_VALUES,
        ));
        out((Booth::MINIMUM, Booth::MIN_VALUE, Booth::HESSIAN));
        out((SixHumpCamel::MINIMA, SixHumpCamel::MIN_VALUE));
        out((SixHumpCamel::LOCAL_MINIMA, SixHumpCamel::LOCAL_MIN_VALUES));
        out((SixHumpCamel::SADDLES, SixHumpCamel::SADDLE_VALUES));
        out((SixHumpCamel::MAXIMA, SixHumpCamel::MAX_VALUE));
        out((Easom::MINIMUM, Easom::MIN_VALUE, Easom::HESSIAN_AT_MINIMUM));
        out((ExpSinCos::REFERENCE_VALUE, ExpSinCos::REFERENCE_GRADIENT));
        out(ExpSinCos::REFERENCE_HESSIAN);
        out((Beale == input(Beale), Booth, Easom, ExpSinCos, SixHumpCamel));
    }

    /// The dimension-generic landscapes.
    fn any_n<T: Real, const N: usize>() {
        derivatives::<T, _, N>(&mut RosenbrockN::<N>, [0.5; N]);
        derivatives::<T, _, N>(&mut Rastrigin::<N>, [0.3; N]);
        derivatives::<T, _, N>(&mut Ackley::<N>, [0.2; N]);
        derivatives::<T, _, N>(&mut StyblinskiTang::<N>, [-2.9; N]);
        out(RosenbrockN::<N>::local_minimum());
        out((RosenbrockN::<N>::MINIMUM, RosenbrockN::<N>::MIN_VALUE));
        out((
            RosenbrockN::<N>::LOCAL_MINIMUM_4,
            RosenbrockN::<N>::LOCAL_MIN_VALUE_4,
        ));
        out((
            RosenbrockN::<N>::LOCAL_MINIMUM_5,
            RosenbrockN::<N>::LOCAL_MIN_VALUE_5,
        ));
        out((
            RosenbrockN::<N>::LOCAL_MINIMUM_6,
            RosenbrockN::<N>::LOCAL_MIN_VALUE_6,
        ));
        out((
            RosenbrockN::<N>::LOCAL_MINIMUM_7,
            RosenbrockN::<N>::LOCAL_MIN_VALUE_7,
        ));
        out(Rastrigin::<N>::first_local_minimum());
        out(Rastrigin::<N>::first_saddle());
        out((Rastrigin::<N>::MINIMUM, Rastrigin::<N>::MIN_VALUE));
        out((
            Rastrigin::<N>::LOCAL_MIN_COORDINATE,
            Rastrigin::<N>::LOCAL_MIN_COORDINATE_VALUE,
            Rastrigin::<N>::MAX_COORDINATE,
            Rastrigin::<N>::MAX_COORDINATE_VALUE,
        ));
        out((Ackley::<N>::A, Ackley::<N>::B, Ackley::<N>::C));
        out((Ackley::<N>::MINIMUM, Ackley::<N>::MIN_VALUE));
        out((
            StyblinskiTang::<N>::MIN_COORDINATE,
            StyblinskiTang::<N>::MIN_COORDINATE_VALUE,
            StyblinskiTang::<N>::LOCAL_MIN_COORDINATE,
            StyblinskiTang::<N>::LOCAL_MIN_COORDINATE_VALUE,
            StyblinskiTang::<N>::MAX_COORDINATE,
            StyblinskiTang::<N>::MAX_COORDINATE_VALUE,
        ));
        out((StyblinskiTang::<N>::MINIMUM, StyblinskiTang::<N>::MIN_VALUE));
        out((
            StyblinskiTang::<N>::HIGHEST_LOCAL_MINIMUM,
            StyblinskiTang::<N>::HIGHEST_LOCAL_MIN_VALUE,
        ));
        out((StyblinskiTang::<N>::MAXIMUM, StyblinskiTang::<N>::MAX_VALUE));
        out((RosenbrockN::<N>, Rastrigin::<N> == input(Rastrigin::<N>)));
        out((Ackley::<N>, StyblinskiTang::<N>));
    }

    /// Every `Quadratic` constructor, its accessors and derivatives.
    fn quadratic<T: Real, const N: usize>() {
        let lambda: [T; N] = reals([2.0; N]);
        let center: [T; N] = reals([0.5; N]);
        let u: [T; N] = reals([1.0; N]);
        let all = [
            Ok(Quadratic::<T, N>::default()),
            Quadratic::axis_aligned(lambda, center),
            Quadratic::rotated(lambda, center),
            Quadratic::reflected(lambda, center, u),
            Quadratic::with_condition(T::from_f64(input(100.0)), center, input(true)),
        ];
        for q in all {
            if let Ok(mut q) = q {
                derivatives::<T, _, N>(&mut q, [1.0; N]);
                out((
                    *q.matrix(),
                    *q.center(),
                    *q.eigenvalues(),
                    *q.eigenvectors(),
                ));
                out(q == input(q));
            }
            out(q.map(|_| ()));
        }
        out(Quadratic::<T, N>::MIN_VALUE);
    }

    /// `TwoRate` with the default and a custom number of samples.
    fn two_rate<T: Real>() {
        let sum = T::from_f64(input(1.3));
        let mut d = TwoRate::<T>::default();
        derivatives::<T, _, 2>(&mut d, [0.4, 0.9]);
        if let Ok(mut m) = TwoRate::<T>::new(sum) {
            derivatives::<T, _, 2>(&mut m, [0.4, 0.9]);
            out((m.true_sum(), m.y0(), *m.times(), *m.data()));
            out((m.minimum(T::from_f64(input(0.4))), m.curvature_along_sum()));
            out(m == input(m));
        }
        let times: [T; 3] = reals([0.5, 1.0, 2.0]);
        if let Ok(mut m) = TwoRate::<T, 3>::with_times(sum, T::from_f64(input(2.0)), times) {
            derivatives::<T, _, 2>(&mut m, [1.0, 0.3]);
            out((m.true_sum(), m.y0(), *m.times(), *m.data()));
            out((m.minimum(T::from_f64(input(0.4))), m.curvature_along_sum()));
        }
        out((TwoRate::<T>::DEFAULT_SUM, TwoRate::<T>::MIN_VALUE));
        out((TwoRate::<T>::FLAT_DIRECTION, TwoRate::<T>::SUM_DIRECTION));
    }
}

/// `lossmap::capi` (feature `capi`): every `extern "C" fn lossmap_*` for both scalar types, with
/// opaque pointers (so the null/alignment/overlap checks stay) and opaque sizes.
///
/// One body serves both types: [`per_type!`] imports each `lossmap_*_f32` / `lossmap_*_f64` under a
/// short alias into a module of its own. A new entry point is one alias per type plus a call.
#[cfg(feature = "capi")]
mod capi {
    use super::{input, out};
    use core::ffi::c_void;
    use lossmap::capi::*;
    use lossmap::Real;

    /// A C loss callback written in Rust: Σ xᵢ², NaN for a null `x`.
    pub unsafe extern "C" fn sum_of_squares<T: Real>(x: *const T, n: usize, _: *mut c_void) -> T {
        if x.is_null() {
            return T::NAN_R;
        }
        // SAFETY: lossmap passes `n` valid values at `x`.
        let x = unsafe { core::slice::from_raw_parts(x, n) };
        x.iter().fold(T::ZERO, |s, &v| s + v * v)
    }

    /// A C gradient callback written in Rust: ∇ Σ xᵢ² = 2x; −1 for a null pointer.
    pub unsafe extern "C" fn twice<T: Real>(
        x: *const T,
        n: usize,
        g: *mut T,
        _: *mut c_void,
    ) -> i32 {
        if x.is_null() || g.is_null() {
            return -1;
        }
        // SAFETY: lossmap passes `n` valid values at `x` and room for `n` at `g`, disjoint.
        let (x, g) = unsafe {
            (
                core::slice::from_raw_parts(x, n),
                core::slice::from_raw_parts_mut(g, n),
            )
        };
        for (gi, &xi) in g.iter_mut().zip(x) {
            *gi = T::TWO * xi;
        }
        0
    }

    pub fn exercise() {
        out(lossmap_status_message(input(-4)));
        // Every scratch-length rule, on a size that fits and on one that overflows.
        for n in [input(3usize), input(usize::MAX)] {
            out((
                lossmap_gradient_central_work_len(n),
                lossmap_gradient_forward_work_len(n),
                lossmap_gradient_richardson_work_len(n),
                lossmap_hessian_work_len(n),
                lossmap_hessian_richardson_work_len(n),
                lossmap_hessian_from_gradient_work_len(n),
                lossmap_hvp_work_len(n),
                lossmap_directional_work_len(n),
                lossmap_sym_eigen_work_len(n),
                lossmap_curvature_work_len(n),
                lossmap_classify_at_work_len(n),
                lossmap_convex_at_work_len(n),
            ));
            out((
                lossmap_convex_over_box_work_len(n),
                lossmap_epsilon_sharpness_work_len(n),
                lossmap_noisy_loss_work_len(n),
                lossmap_curvature_stability_work_len(n),
                lossmap_top_eigen_work_len(n, input(2usize)),
                lossmap_hutchinson_trace_work_len(n),
                lossmap_slice_1d_work_len(n),
                lossmap_slice_2d_work_len(n),
                lossmap_neb_work_len(n, input(9usize)),
                lossmap_minimize_adam_work_len(n),
                lossmap_minimize_ex_work_len(n),
                lossmap_minimize_stochastic_work_len(n),
                lossmap_minimize_curriculum_work_len(n),
            ));
            out((
                lossmap_sam_step_work_len(n),
                lossmap_newton_work_len(n),
                lossmap_least_squares_work_len(n),
            ));
        }
        let mut rng = lossmap::random::SplitMix64::new(0);
        // SAFETY: a valid generator (the pointer is opaque only to the optimizer).
        out(unsafe { lossmap_rng_seed(input(&mut rng as *mut _), input(42u64)) });
        out(rng);
        out((
            LOSSMAP_POINT_NOT_CRITICAL,
            LOSSMAP_POINT_MINIMUM,
            LOSSMAP_POINT_MAXIMUM,
            LOSSMAP_POINT_SADDLE,
            LOSSMAP_POINT_DEGENERATE,
        ));
        let p = input(LossmapCriticalPoint::default());
        out((p.kind, p.negative, p.zero, p == input(p)));
        out((
            LOSSMAP_OK,
            LOSSMAP_ERR_NULL,
            LOSSMAP_ERR_EMPTY,
            LOSSMAP_ERR_NON_FINITE,
        ));
        out((
            LOSSMAP_ERR_LENGTH,
            LOSSMAP_ERR_PARAM,
            LOSSMAP_ERR_LOSS_NON_FINITE,
        ));
        out((
            LOSSMAP_ERR_GRAD_NON_FINITE,
            LOSSMAP_ERR_NOT_SYMMETRIC,
            LOSSMAP_ERR_NOT_POS_DEF,
        ));
        out((
            LOSSMAP_ERR_NO_CONVERGENCE,
            LOSSMAP_ERR_ALIASED,
            LOSSMAP_MAX_WINDOW,
        ));
        out((
            LOSSMAP_STOP_GRAD_NORM,
            LOSSMAP_STOP_REL_IMPROVEMENT,
            LOSSMAP_STOP_MAX_ITER,
        ));
        f32_api::exercise();
        f64_api::exercise();
    }

    /// `$m::exercise()` calls every `_f32` or `_f64` entry point, imported under short names.
    macro_rules! per_type {
        ($m:ident, $t:ty, { $($long:ident as $short:ident,)* }) => {
            mod $m {
                use super::super::{input, out, reals};
                use super::{sum_of_squares, twice};
                use lossmap::capi::{
                    $($long as $short,)* LossmapAdam, LossmapCriticalPoint, LossmapNebReport, LossmapReport,
                };
                use lossmap::diff::Directional;
                use lossmap::optim::AdamBias;
                use lossmap::landscape::{CurvatureSummary, NoisyLoss, TraceEstimate};
                use lossmap::random::SplitMix64;
                use core::mem::MaybeUninit;
                use core::ptr::null_mut;

                type T = $t;
                /// Scratch for any call here (the largest need is the NEB's 3·images·n = 81 for
                /// 9 images of n = 3; then 3n² + 4n = 39 for `convex_over_box`).
                const WORK: usize = 81;

                pub fn exercise() {
                    diff();
                    linalg_optim();
                    loss();
                    landscape();
                    bands();
                }

                fn diff() {
                    let n = input(3usize);
                    let f: loss_cb = input(Some(sum_of_squares::<T> as _));
                    let g: grad_cb = input(Some(twice::<T> as _));
                    let ctx: *mut core::ffi::c_void = input(null_mut());
                    let x: [T; 3] = reals([0.5, -1.0, 2.0]);
                    let v: [T; 3] = reals([1.0, 0.0, -1.0]);
                    let mut work = [0.0 as T; WORK];
                    let (mut o, mut h, mut evals) = ([0.0 as T; 3], [0.0 as T; 9], 0usize);
                    let (xp, vp) = (input(x.as_ptr()), input(v.as_ptr()));
                    let (w, op, hp) = (input(work.as_mut_ptr()), input(o.as_mut_ptr()), input(h.as_mut_ptr()));
                    let ep = input(&mut evals as *mut usize);
                    // SAFETY: every buffer is as long as the call needs; the pointers are opaque
                    // only to the optimizer.
                    unsafe {
                        out(gradient_central(f, ctx, xp, n, w, op, ep));
                        out(gradient_forward(f, ctx, xp, n, w, op, ep));
                        out(gradient_richardson(f, ctx, xp, n, w, op, ep));
                        out(hessian(f, ctx, xp, n, w, hp, ep));
                        out(hessian_richardson(f, ctx, xp, n, w, hp, ep));
                        out(hessian_from_gradient(g, ctx, xp, n, w, hp, ep));
                        out(hvp(g, ctx, xp, vp, n, w, op, ep));
                        let mut d = MaybeUninit::<Directional<T>>::uninit();
                        out(directional(f, ctx, xp, vp, n, w, input(d.as_mut_ptr())));
                        out(d);
                        let mut r = 0.0 as T;
                        let rp = input(&mut r as *mut T);
                        out(model_value(xp, input(h.as_ptr()), vp, n, rp));
                        out(fidelity_ratio(input(1.0), input(0.5), xp, input(h.as_ptr()), vp, n, rp));
                        out(r);
                    }
                    out((o, h, evals, work));
                }

                fn linalg_optim() {
                    let n = input(3usize);
                    // Eigen-decomposition.
                    let a: [T; 9] = reals([2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 2.0]);
                    let (mut w, mut vals, mut vecs) = ([0.0 as T; 9], [0.0 as T; 3], [0.0 as T; 9]);
                    // SAFETY: buffers sized n×n, n, n×n.
                    out(unsafe {
                        sym_eigen(
                            input(a.as_ptr()),
                            n,
                            input(w.as_mut_ptr()),
                            input(vals.as_mut_ptr()),
                            input(vecs.as_mut_ptr()),
                        )
                    });
                    out((vals, vecs));

                    // Adam: defaults, init, one step, then the minimize driver.
                    let cfg = input(adam_config_default());
                    let (mut m, mut v) = ([0.0 as T; 3], [0.0 as T; 3]);
                    let mut s = LossmapAdam { config: cfg, step: 0, bias: AdamBias::EMPTY, n: 0, m: null_mut(), v: null_mut() };
                    let sp = input(&mut s as *mut LossmapAdam<T>);
                    let mut x: [T; 3] = reals([1.0, 1.0, 1.0]);
                    let g: [T; 3] = reals([0.1, -0.2, 0.3]);
                    let stop = input(stop_default());
                    let mut work = [0.0 as T; 6];
                    let mut report = MaybeUninit::<LossmapReport<T>>::uninit();
                    // SAFETY: the instance is initialized by `adam_init` before use; buffers sized n.
                    unsafe {
                        out(adam_init(sp, input(&cfg as *const _), n, input(m.as_mut_ptr()), input(v.as_mut_ptr())));
                        out(adam_step(sp, input(x.as_mut_ptr()), input(g.as_ptr()), n));
                        out(minimize_adam(
                            input(Some(sum_of_squares::<T> as _)),
                            input(null_mut()),
                            input(x.as_mut_ptr()),
                            n,
                            sp,
                            input(&stop as *const _),
                            input(work.as_mut_ptr()),
                            input(report.as_mut_ptr()),
                        ));
                    }
                    out((s.step, s.n, x, m, v, report));
                }

                fn loss() {
                    // m = 4 samples, k = 3 classes, d = 2 features.
                    let (m, k, d) = (input(4usize), input(3usize), input(2usize));
                    let pred: [T; 4] = reals([0.5, 1.5, -1.0, 2.0]);
                    let target: [T; 4] = reals([0.0, 2.0, -1.5, 2.5]);
                    let logits: [T; 12] = reals([1.0, 0.0, -1.0, 0.5, 0.2, 0.1, -0.3, 0.9, 0.0, 2.0, 1.0, 0.5]);
                    let labels: [u32; 4] = input([0, 1, 2, 0]);
                    let weights: [T; 3] = reals([1.0, 2.0, 0.5]);
                    let cost: [T; 9] = reals([0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0]);
                    let x: [T; 8] = reals([0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 5.0]);
                    let (mut value, mut grad) = (0.0 as T, [0.0 as T; 12]);
                    let (vp, gp) = (input(&mut value as *mut T), input(grad.as_mut_ptr()));
                    let (pp, tp) = (input(pred.as_ptr()), input(target.as_ptr()));
                    let (lp, lab) = (input(logits.as_ptr()), input(labels.as_ptr()));
                    let (lambda, alpha, step, delta) = (input(0.1 as T), input(0.5 as T), input(0.01 as T), input(1.0 as T));
                    let stride = input(3usize);
                    let mut work = [0.0 as T; WORK];
                    let mut theta = [0.0 as T; 3];
                    let mut w: [T; 6] = reals([1.0, -2.0, 0.5, 0.0, 3.0, -0.1]);
                    let mut xs = x;
                    let (mut mean, mut scale, mut constant) = ([0.0 as T; 2], [0.0 as T; 2], 0usize);
                    // SAFETY: every buffer is as long as the call needs (m, m·k, k, k·k, m·d, …).
                    unsafe {
                        out(mse(pp, tp, m, vp, gp));
                        out(mae(pp, tp, m, vp, gp));
                        out(huber(pp, tp, m, delta, vp, gp));
                        out(cross_entropy(lp, lab, m, k, vp, gp));
                        out(cross_entropy_weighted(lp, lab, m, k, input(weights.as_ptr()), vp, gp));
                        out(cross_entropy_cost(lp, lab, m, k, input(cost.as_ptr()), vp, gp));
                        out(js_smoothness(lp, m, k, lambda, vp, gp));
                        out(least_squares(input(x.as_ptr()), tp, m, d, input(work.as_mut_ptr()), input(theta.as_mut_ptr())));
                        let n = input(6usize);
                        let (wc, wm) = (input(w.as_ptr()), input(w.as_mut_ptr()));
                        out(l2(wc, n, lambda, stride, vp, gp));
                        out(l1(wc, n, lambda, stride, vp, gp));
                        out(elastic_net(wc, n, lambda, alpha, stride, vp, gp));
                        out(l1_prox(wm, n, lambda, step, stride));
                        out(elastic_net_prox(wm, n, lambda, alpha, step, stride));
                        let xm = input(xs.as_mut_ptr());
                        out(standardize(xm, m, d, input(mean.as_mut_ptr()), input(scale.as_mut_ptr()), input(&mut constant as *mut usize)));
                        out(unstandardize(xm, m, d, input(mean.as_ptr()), input(scale.as_ptr())));
                    }
                    out((value, grad, theta, w, xs, mean, scale, constant));
                }

                fn landscape() {
                    let n = input(3usize);
                    let f: loss_cb = input(Some(sum_of_squares::<T> as _));
                    let g: grad_cb = input(Some(twice::<T> as _));
                    let ctx: *mut core::ffi::c_void = input(null_mut());
                    let mut rng = SplitMix64::new(input(3u64));
                    let rp = input(&mut rng as *mut SplitMix64);
                    let x: [T; 3] = reals([0.5, -1.0, 2.0]);
                    let d: [T; 3] = reals([1.0, 0.0, -1.0]);
                    let (lo, hi): ([T; 3], [T; 3]) = (reals([-1.0; 3]), reals([1.0; 3]));
                    let h: [T; 9] = reals([2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 2.0]);
                    let groups: [usize; 2] = input([2, 1]);
                    let tol = input(tolerance_default());
                    let mut work = [0.0 as T; WORK];
                    let (mut vals, mut vecs, mut third) = ([0.0 as T; 3], [0.0 as T; 9], [0.0 as T; 3]);
                    let (mut wit, mut dir) = ([0.0 as T; 3], [0.0 as T; 3]);
                    let (mut line, mut grid) = ([0.0 as T; 5], [0.0 as T; 12]);
                    let (mut scalar, mut flag, mut start, mut count) = (0.0 as T, 0i32, 0usize, 0usize);
                    let mut point = LossmapCriticalPoint::default();
                    let (mut pin_grad, mut pin_h) = ([0.0 as T; 3], [0.0 as T; 9]);
                    let mut summary = MaybeUninit::<CurvatureSummary<T>>::uninit();
                    let mut noisy = MaybeUninit::<NoisyLoss<T>>::uninit();
                    let mut trace = MaybeUninit::<TraceEstimate<T>>::uninit();
                    let (xp, dp, wp) = (input(x.as_ptr()), input(d.as_ptr()), input(work.as_mut_ptr()));
                    let (lp, vp, tp) = (input(vals.as_mut_ptr()), input(vecs.as_mut_ptr()), input(third.as_mut_ptr()));
                    let (wit_p, dir_p) = (input(wit.as_mut_ptr()), input(dir.as_mut_ptr()));
                    let (sp, fp) = (input(&mut scalar as *mut T), input(&mut flag as *mut i32));
                    let (startp, countp) = (input(&mut start as *mut usize), input(&mut count as *mut usize));
                    let (small, one) = (input(1e-3 as T), input(1.0 as T));
                    // SAFETY: every buffer is as long as the call needs (n, n×n, k×n, rows×cols,
                    // the documented `work` lengths); outputs do not overlap.
                    unsafe {
                        out(curvature(input(h.as_ptr()), n, wp, lp, vp, input(summary.as_mut_ptr())));
                        out(classify(input(vals.as_ptr()), n, small, input(&tol as *const _), input(&mut point as *mut _)));
                        out(classify_at(f, ctx, xp, n, input(&tol as *const _), wp, input(&mut point as *mut _), input(summary.as_mut_ptr())));
                        out(flat_range(input(vals.as_ptr()), n, small, startp, countp));
                        out(pin_penalty(vp, input(1usize), xp, n, one, xp, sp, input(pin_grad.as_mut_ptr())));
                        out(pin_hessian(vp, input(1usize), n, one, input(pin_h.as_mut_ptr())));
                        out(pin_weight(input(vals.as_ptr()), n, input(0usize), input(1usize), sp));
                        out(convex_at(f, ctx, xp, n, small, wp, dir_p, sp, fp));
                        out(convex_over_box(f, ctx, input(lo.as_ptr()), input(hi.as_ptr()), n, input(4usize), rp, small, wp, wit_p, dir_p, sp, fp));
                        out(epsilon_sharpness(f, ctx, xp, n, small, input(5usize), rp, wp, dir_p, sp));
                        out(noisy_loss(f, ctx, xp, n, small, input(8usize), rp, wp, input(noisy.as_mut_ptr())));
                        out(curvature_stability(f, ctx, xp, n, wp, lp, vp, tp));
                        out(top_eigen(g, ctx, xp, n, input(2usize), input(50usize), small, rp, wp, lp, vp, countp));
                        out(hutchinson_trace(g, ctx, xp, n, input(4usize), rp, wp, input(trace.as_mut_ptr())));
                        out(slice_1d(f, ctx, xp, dp, n, -one, one, wp, input(line.as_mut_ptr()), input(5usize), countp));
                        out(slice_2d(f, ctx, xp, dp, dp, n, -one, one, -one, one, input(3usize), input(4usize), wp, input(grid.as_mut_ptr()), countp));
                        out(random_direction(rp, dir_p, n));
                        out(filter_normalize(xp, n, input(groups.as_ptr()), input(2usize), dir_p));
                    }
                    out((tol, vals, vecs, third, wit, dir, line, grid));
                    out((scalar, flag, start, count, point, summary, noisy, trace, rng, work));
                }

                fn bands() {
                    let (n, images) = (input(3usize), input(9usize));
                    let f: loss_cb = input(Some(sum_of_squares::<T> as _));
                    let ctx: *mut core::ffi::c_void = input(null_mut());
                    let cfg = input(neb_config_default());
                    let a: [T; 3] = reals([-1.0, 0.5, 0.0]);
                    let b: [T; 3] = reals([1.0, 0.5, 0.0]);
                    let (mut path, mut energies, mut work) = ([0.0 as T; 27], [0.0 as T; 9], [0.0 as T; WORK]);
                    let mut report = MaybeUninit::<LossmapNebReport<T>>::uninit();
                    // SAFETY: path n×images, energies images, work 3·images·n; disjoint.
                    out(unsafe {
                        neb(
                            f,
                            ctx,
                            input(a.as_ptr()),
                            input(b.as_ptr()),
                            n,
                            images,
                            input(&cfg as *const _),
                            input(path.as_mut_ptr()),
                            input(energies.as_mut_ptr()),
                            input(work.as_mut_ptr()),
                            input(report.as_mut_ptr()),
                        )
                    });
                    out((cfg, path, energies, work, report));
                }
            }
        };
    }

    per_type!(f32_api, f32, {
        lossmap_loss_f32 as loss_cb,
        lossmap_grad_f32 as grad_cb,
        lossmap_gradient_central_f32 as gradient_central,
        lossmap_gradient_forward_f32 as gradient_forward,
        lossmap_gradient_richardson_f32 as gradient_richardson,
        lossmap_hessian_f32 as hessian,
        lossmap_hessian_richardson_f32 as hessian_richardson,
        lossmap_hessian_from_gradient_f32 as hessian_from_gradient,
        lossmap_hvp_f32 as hvp,
        lossmap_directional_f32 as directional,
        lossmap_model_value_f32 as model_value,
        lossmap_fidelity_ratio_f32 as fidelity_ratio,
        lossmap_sym_eigen_f32 as sym_eigen,
        lossmap_adam_config_default_f32 as adam_config_default,
        lossmap_adam_init_f32 as adam_init,
        lossmap_adam_step_f32 as adam_step,
        lossmap_stop_default_f32 as stop_default,
        lossmap_minimize_adam_f32 as minimize_adam,
        lossmap_mse_f32 as mse,
        lossmap_mae_f32 as mae,
        lossmap_huber_f32 as huber,
        lossmap_cross_entropy_f32 as cross_entropy,
        lossmap_cross_entropy_weighted_f32 as cross_entropy_weighted,
        lossmap_cross_entropy_cost_f32 as cross_entropy_cost,
        lossmap_js_smoothness_f32 as js_smoothness,
        lossmap_least_squares_f32 as least_squares,
        lossmap_l2_f32 as l2,
        lossmap_l1_f32 as l1,
        lossmap_elastic_net_f32 as elastic_net,
        lossmap_l1_prox_f32 as l1_prox,
        lossmap_elastic_net_prox_f32 as elastic_net_prox,
        lossmap_standardize_f32 as standardize,
        lossmap_unstandardize_f32 as unstandardize,
        lossmap_curvature_f32 as curvature,
        lossmap_tolerance_default_f32 as tolerance_default,
        lossmap_classify_f32 as classify,
        lossmap_classify_at_f32 as classify_at,
        lossmap_flat_range_f32 as flat_range,
        lossmap_pin_penalty_f32 as pin_penalty,
        lossmap_pin_hessian_f32 as pin_hessian,
        lossmap_pin_weight_f32 as pin_weight,
        lossmap_convex_at_f32 as convex_at,
        lossmap_convex_over_box_f32 as convex_over_box,
        lossmap_epsilon_sharpness_f32 as epsilon_sharpness,
        lossmap_noisy_loss_f32 as noisy_loss,
        lossmap_curvature_stability_f32 as curvature_stability,
        lossmap_top_eigen_f32 as top_eigen,
        lossmap_hutchinson_trace_f32 as hutchinson_trace,
        lossmap_slice_1d_f32 as slice_1d,
        lossmap_slice_2d_f32 as slice_2d,
        lossmap_random_direction_f32 as random_direction,
        lossmap_filter_normalize_f32 as filter_normalize,
        lossmap_neb_config_default_f32 as neb_config_default,
        lossmap_neb_f32 as neb,
    });
    per_type!(f64_api, f64, {
        lossmap_loss_f64 as loss_cb,
        lossmap_grad_f64 as grad_cb,
        lossmap_gradient_central_f64 as gradient_central,
        lossmap_gradient_forward_f64 as gradient_forward,
        lossmap_gradient_richardson_f64 as gradient_richardson,
        lossmap_hessian_f64 as hessian,
        lossmap_hessian_richardson_f64 as hessian_richardson,
        lossmap_hessian_from_gradient_f64 as hessian_from_gradient,
        lossmap_hvp_f64 as hvp,
        lossmap_directional_f64 as directional,
        lossmap_model_value_f64 as model_value,
        lossmap_fidelity_ratio_f64 as fidelity_ratio,
        lossmap_sym_eigen_f64 as sym_eigen,
        lossmap_adam_config_default_f64 as adam_config_default,
        lossmap_adam_init_f64 as adam_init,
        lossmap_adam_step_f64 as adam_step,
        lossmap_stop_default_f64 as stop_default,
        lossmap_minimize_adam_f64 as minimize_adam,
        lossmap_mse_f64 as mse,
        lossmap_mae_f64 as mae,
        lossmap_huber_f64 as huber,
        lossmap_cross_entropy_f64 as cross_entropy,
        lossmap_cross_entropy_weighted_f64 as cross_entropy_weighted,
        lossmap_cross_entropy_cost_f64 as cross_entropy_cost,
        lossmap_js_smoothness_f64 as js_smoothness,
        lossmap_least_squares_f64 as least_squares,
        lossmap_l2_f64 as l2,
        lossmap_l1_f64 as l1,
        lossmap_elastic_net_f64 as elastic_net,
        lossmap_l1_prox_f64 as l1_prox,
        lossmap_elastic_net_prox_f64 as elastic_net_prox,
        lossmap_standardize_f64 as standardize,
        lossmap_unstandardize_f64 as unstandardize,
        lossmap_curvature_f64 as curvature,
        lossmap_tolerance_default_f64 as tolerance_default,
        lossmap_classify_f64 as classify,
        lossmap_classify_at_f64 as classify_at,
        lossmap_flat_range_f64 as flat_range,
        lossmap_pin_penalty_f64 as pin_penalty,
        lossmap_pin_hessian_f64 as pin_hessian,
        lossmap_pin_weight_f64 as pin_weight,
        lossmap_convex_at_f64 as convex_at,
        lossmap_convex_over_box_f64 as convex_over_box,
        lossmap_epsilon_sharpness_f64 as epsilon_sharpness,
        lossmap_noisy_loss_f64 as noisy_loss,
        lossmap_curvature_stability_f64 as curvature_stability,
        lossmap_top_eigen_f64 as top_eigen,
        lossmap_hutchinson_trace_f64 as hutchinson_trace,
        lossmap_slice_1d_f64 as slice_1d,
        lossmap_slice_2d_f64 as slice_2d,
        lossmap_random_direction_f64 as random_direction,
        lossmap_filter_normalize_f64 as filter_normalize,
        lossmap_neb_config_default_f64 as neb_config_default,
        lossmap_neb_f64 as neb,
    });
}

/// `Debug` for the public types that hold no float (`Display` of `Error` is in [`error`]).
///
/// The derived `Debug` of the float-holding types (`Stop`, `AdamConfig`, `Adam`, `AdamView`,
/// `SymEigen`, `Report`, `Directional`, `QuadraticModel`, the landscape reports `Tolerance`,
/// `Curvature`, `CurvatureSummary`, `Identifiability`, `Convexity`, `HessianScratch`,
/// `Sharpness`, `NoisyLoss`, `CurvatureStability`, `TopEigen`, `TraceEstimate`, `NebConfig`,
/// `NebReport`, `Neb`, the landscapes `Quadratic` and `TwoRate`, and `LossmapAdam`, `LossmapReport`,
/// `LossmapNebReport`) only forwards to core's `f32`/`f64` `Debug`, and core's float formatting
/// (`core::num::flt2dec`: Grisu, Dragon, `bignum`) has panic paths of its own; they are core's,
/// not lossmap's, so those impls are left out of the proof.
mod debug {
    use super::{input, out, Sink};
    use core::fmt::{Debug, Write as _};
    use lossmap::landscape::CriticalPoint;
    use lossmap::objective::{Fixed, FnSlice, WithGradient};
    use lossmap::optim::StopReason;
    use lossmap::random::SplitMix64;
    use lossmap::testfn::{
        Ackley, Beale, Booth, Easom, ExpSinCos, Himmelblau, Rastrigin, Rosenbrock, RosenbrockN,
        SixHumpCamel, StyblinskiTang,
    };
    use lossmap::{Counted, Error};

    fn show(v: &dyn Debug) {
        let mut s = Sink(0);
        out(write!(s, "{v:?}"));
        out(s.0);
    }

    pub fn exercise() {
        show(&input(Error::NoConvergence));
        show(&input(StopReason::RelativeImprovement));
        show(&Rosenbrock);
        show(&Himmelblau);
        show(&Counted::new(Rosenbrock));
        show(&Fixed::<_, 2>(&mut Himmelblau));
        show(&FnSlice(()));
        show(&WithGradient::new((), ()));
        let kinds = [
            CriticalPoint::NotCritical,
            CriticalPoint::Minimum,
            CriticalPoint::Maximum,
            CriticalPoint::Saddle { index: 1 },
            CriticalPoint::Degenerate {
                zero: 1,
                negative: 0,
            },
        ];
        show(&input(kinds));
        show(&SplitMix64::new(input(5u64)));
        show(&(Beale, Booth, Easom, ExpSinCos, SixHumpCamel));
        show(&(
            RosenbrockN::<3>,
            Rastrigin::<3>,
            Ackley::<2>,
            StyblinskiTang::<2>,
        ));
        #[cfg(feature = "capi")]
        show(&input(lossmap::capi::LossmapCriticalPoint::default()));
    }
}

/// The first-order family (SGD, AdaGrad, RMSProp, AdamW/AMSGrad): typed, views, kernels, C ABI.
mod family {
    use super::{input, out, reals};
    use lossmap::optim::*;
    use lossmap::Real;

    fn drive<T: Real>(o: &mut dyn Optimizer<T>) {
        let len = input(3usize);
        let mut x: [T; 3] = reals([1.0, -1.0, 0.5]);
        let g: [T; 3] = reals([0.1, 0.2, -0.3]);
        if let (Some(x), Some(g)) = (x.get_mut(..len), g.get(..len)) {
            out(o.step(x, g));
            out(o.step(x, g));
            out(o.set_lr(input(T::ONE)));
            out(o.lr());
            o.reset();
        }
        out(x);
    }

    pub fn exercise<T: Real>() {
        let sgd = input(SgdConfig::<T>::default());
        let ada = input(AdagradConfig::<T>::default());
        let rms = input(RmsPropConfig::<T>::default());
        let aw = input(AdamWConfig::<T>::default());
        out((
            sgd.validate(),
            ada.validate(),
            rms.validate(),
            aw.validate(),
        ));
        if let Ok(mut o) = Sgd::<T, 3>::new(sgd) {
            drive(&mut o);
            out(o);
        }
        if let Ok(mut o) = Adagrad::<T, 3>::new(ada) {
            drive(&mut o);
            out(o);
        }
        if let Ok(mut o) = RmsProp::<T, 3>::new(rms) {
            drive(&mut o);
            out(o);
        }
        if let Ok(mut o) = AdamW::<T, 3>::new(aw) {
            drive(&mut o);
            out(o);
        }
        let len = input(3usize);
        let mut t = input(0u32);
        let mut bias = input(AdamBias::<T>::EMPTY);
        let (mut a, mut b, mut c) = ([T::ZERO; 3], [T::ZERO; 3], [T::ZERO; 3]);
        if let (Some(a), Some(b), Some(c)) = (
            a.get_mut(..len),
            b.get_mut(..input(2usize)),
            c.get_mut(..input(1usize)),
        ) {
            drive(&mut SgdView {
                config: sgd,
                t: &mut t,
                buf: a,
            });
            drive(&mut AdagradView {
                config: ada,
                t: &mut t,
                sum: a,
            });
            drive(&mut RmsPropView {
                config: rms,
                t: &mut t,
                v: a,
                grad_avg: b,
                buf: c,
            });
            drive(&mut AdamWView {
                config: aw,
                t: &mut t,
                bias: &mut bias,
                m: a,
                v: b,
                v_max: c,
            });
        }
        out((a, b, c, t, bias));
    }

    #[cfg(feature = "capi")]
    pub fn capi() {
        use lossmap::capi::*;
        let n = input(2usize);
        let (mut b1, mut b2, mut b3, mut x, g) = (
            [0.0f32; 2],
            [0.0f32; 2],
            [0.0f32; 2],
            [1.0f32; 2],
            [0.5f32; 2],
        );
        let (p1, p2, p3, px, pg) = (
            input(b1.as_mut_ptr()),
            input(b2.as_mut_ptr()),
            input(b3.as_mut_ptr()),
            input(x.as_mut_ptr()),
            input(g.as_ptr()),
        );
        unsafe {
            let mut s = core::mem::MaybeUninit::<LossmapSgd<f32>>::zeroed().assume_init();
            let c = lossmap_sgd_config_default_f32();
            out(lossmap_sgd_init_f32(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
            ));
            out(lossmap_sgd_step_f32(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapAdagrad<f32>>::zeroed().assume_init();
            let c = lossmap_adagrad_config_default_f32();
            out(lossmap_adagrad_init_f32(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
            ));
            out(lossmap_adagrad_step_f32(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapRmsProp<f32>>::zeroed().assume_init();
            let c = lossmap_rmsprop_config_default_f32();
            out(lossmap_rmsprop_init_f32(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
                p2,
                p3,
            ));
            out(lossmap_rmsprop_step_f32(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapAdamW<f32>>::zeroed().assume_init();
            let c = lossmap_adamw_config_default_f32();
            out(lossmap_adamw_init_f32(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
                p2,
                p3,
            ));
            out(lossmap_adamw_step_f32(input(&mut s as *mut _), px, pg, n));
        }
        let (mut b1, mut b2, mut b3, mut x, g) = (
            [0.0f64; 2],
            [0.0f64; 2],
            [0.0f64; 2],
            [1.0f64; 2],
            [0.5f64; 2],
        );
        let (p1, p2, p3, px, pg) = (
            input(b1.as_mut_ptr()),
            input(b2.as_mut_ptr()),
            input(b3.as_mut_ptr()),
            input(x.as_mut_ptr()),
            input(g.as_ptr()),
        );
        unsafe {
            let mut s = core::mem::MaybeUninit::<LossmapSgd<f64>>::zeroed().assume_init();
            let c = lossmap_sgd_config_default_f64();
            out(lossmap_sgd_init_f64(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
            ));
            out(lossmap_sgd_step_f64(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapAdagrad<f64>>::zeroed().assume_init();
            let c = lossmap_adagrad_config_default_f64();
            out(lossmap_adagrad_init_f64(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
            ));
            out(lossmap_adagrad_step_f64(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapRmsProp<f64>>::zeroed().assume_init();
            let c = lossmap_rmsprop_config_default_f64();
            out(lossmap_rmsprop_init_f64(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
                p2,
                p3,
            ));
            out(lossmap_rmsprop_step_f64(input(&mut s as *mut _), px, pg, n));
            let mut s = core::mem::MaybeUninit::<LossmapAdamW<f64>>::zeroed().assume_init();
            let c = lossmap_adamw_config_default_f64();
            out(lossmap_adamw_init_f64(
                input(&mut s as *mut _),
                input(&c as *const _),
                n,
                p1,
                p2,
                p3,
            ));
            out(lossmap_adamw_step_f64(input(&mut s as *mut _), px, pg, n));
        }
        out((b1, b2, b3, x));
    }
}

/// `lossmap::optim` schedules: every kind, both scalar types, opaque steps and losses.
mod schedule {
    use super::{input, out};
    use lossmap::optim::{
        ConstantLr, CosineAnnealingWarmRestarts, CyclicLr, ExponentialLr, OneCycleLr, PiConfig,
        PiController, PlateauConfig, ReduceLrOnPlateau, Schedule, StepLr, StepObservation,
    };
    use lossmap::Real;

    fn drive<T: Real, S: Schedule<T> + Copy + PartialEq>(s: Result<S, lossmap::Error>) {
        if let Ok(mut s) = s {
            let steps = [input(0usize), input(7usize), input(usize::MAX)];
            for t in steps {
                out(s.lr(t, T::from_f64(input(1.5))));
            }
            out(s == input(s));
            let d: &mut dyn Schedule<T> = &mut s;
            out(d.lr(input(3usize), T::from_f64(input(0.5))));
        }
    }

    pub fn exercise<T: Real>() {
        let c = |v: f64| T::from_f64(input(v));
        drive::<T, _>(ConstantLr::new(c(0.1)));
        drive::<T, _>(StepLr::new(c(0.1), input(7usize), input(0.5f64)));
        drive::<T, _>(ExponentialLr::new(c(0.1), input(0.97f64)));
        drive::<T, _>(CosineAnnealingWarmRestarts::new(
            c(0.1),
            input(5usize),
            input(3usize),
            c(0.0),
        ));
        drive::<T, _>(CyclicLr::new(
            c(0.01),
            c(0.1),
            input(7usize),
            input(5usize),
            input(1i32),
        ));
        drive::<T, _>(OneCycleLr::new(
            c(0.5),
            input(100usize),
            c(0.3),
            c(25.0),
            c(1e4),
        ));
        let p = PlateauConfig {
            lr: c(1.0),
            factor: c(0.5),
            patience: input(2usize),
            threshold: c(1e-4),
            cooldown: input(1usize),
            min_lr: c(0.0),
            eps: c(1e-8),
            mode: input(0i32),
            threshold_mode: input(0i32),
        };
        out(PlateauConfig::<T>::default().validate());
        drive::<T, _>(ReduceLrOnPlateau::new(p));
        if let Ok(mut r) = ReduceLrOnPlateau::new(input(p)) {
            r.reset();
            out(r);
        }
        let q = PiConfig {
            lr: c(0.05),
            target: c(0.5),
            kp: c(0.25),
            ki: c(1.25),
            cut: c(0.5),
            growth: c(2.0),
            lr_min: c(1e-8),
            lr_max: c(1e3),
            ceiling: c(1.4),
            memory: c(0.03),
        };
        out(PiConfig::<T>::default().validate());
        drive::<T, _>(PiController::new(q));
        if let Ok(mut r) = PiController::new(input(q)) {
            let (g, a, b) = ([c(2.0), c(-1.0)], [c(1.0), c(0.5)], [c(0.9), c(0.6)]);
            let o = StepObservation::from_step(input(3usize), c(2.0), c(1.5), &g, &a, &b);
            out(r.observe(&input(o)));
            out(r.observes());
            let d: &mut dyn Schedule<T> = &mut r;
            out(d.observe(&input(o)));
            out(r.lr(input(4usize), c(1.5)));
            let o = StepObservation::from_step(input(4usize), c(1.6), c(1.4), &g, &b, &a);
            out(r.observe(&input(o)));
            out(r.lr(input(5usize), c(1.4)));
            r.reset();
            out(r);
        }
    }
}

/// The `lossmap_schedule_*` C entry points.
#[cfg(feature = "capi")]
mod capi_schedule {
    use super::{input, out};
    use lossmap::capi::*;

    pub fn exercise() {
        // SAFETY: every pointer is to a live local of the right type.
        unsafe {
            let mut s: LossmapSchedule<f32> = core::mem::zeroed();
            let mut d: LossmapSchedule<f64> = core::mem::zeroed();
            let (mut l32, mut l64) = (0.0f32, 0.0f64);
            let t = input(5usize);
            out(lossmap_schedule_constant_init_f32(&mut s, input(0.1)));
            out(lossmap_schedule_constant_init_f64(&mut d, input(0.1)));
            out(lossmap_schedule_step_init_f32(
                &mut s,
                input(0.1),
                t,
                input(0.5),
            ));
            out(lossmap_schedule_step_init_f64(
                &mut d,
                input(0.1),
                t,
                input(0.5),
            ));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            out(lossmap_schedule_exponential_init_f32(
                &mut s,
                input(0.1),
                input(0.9),
            ));
            out(lossmap_schedule_exponential_init_f64(
                &mut d,
                input(0.1),
                input(0.9),
            ));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            out(lossmap_schedule_cosine_restarts_init_f32(
                &mut s,
                input(0.1),
                t,
                t,
                input(0.0),
            ));
            out(lossmap_schedule_cosine_restarts_init_f64(
                &mut d,
                input(0.1),
                t,
                t,
                input(0.0),
            ));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            out(lossmap_schedule_cyclic_init_f32(
                &mut s,
                input(0.01),
                input(0.1),
                t,
                t,
                input(1),
            ));
            out(lossmap_schedule_cyclic_init_f64(
                &mut d,
                input(0.01),
                input(0.1),
                t,
                t,
                input(1),
            ));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            out(lossmap_schedule_one_cycle_init_f32(
                &mut s,
                input(0.5),
                input(100),
                input(0.3),
                input(25.0),
                input(1e4),
            ));
            out(lossmap_schedule_one_cycle_init_f64(
                &mut d,
                input(0.5),
                input(100),
                input(0.3),
                input(25.0),
                input(1e4),
            ));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            let p32 = input(lossmap_schedule_plateau_config_default_f32());
            let p64 = input(lossmap_schedule_plateau_config_default_f64());
            out(lossmap_schedule_plateau_init_f32(&mut s, &p32));
            out(lossmap_schedule_plateau_init_f64(&mut d, &p64));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            let q32 = input(lossmap_schedule_pi_config_default_f32());
            let q64 = input(lossmap_schedule_pi_config_default_f64());
            out(lossmap_schedule_pi_init_f32(&mut s, &q32));
            out(lossmap_schedule_pi_init_f64(&mut d, &q64));
            out(lossmap_schedule_lr_f32(&mut s, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d, t, input(1.0), &mut l64));
            let o32: lossmap::optim::StepObservation<f32> = input(core::mem::zeroed());
            let o64: lossmap::optim::StepObservation<f64> = input(core::mem::zeroed());
            out(lossmap_schedule_observe_f32(&mut s, &o32));
            out(lossmap_schedule_observe_f64(&mut d, &o64));
            // Whatever C wrote into the instances.
            let mut s2 = input(s);
            let mut d2 = input(d);
            out(lossmap_schedule_lr_f32(&mut s2, t, input(1.0), &mut l32));
            out(lossmap_schedule_lr_f64(&mut d2, t, input(1.0), &mut l64));
            out((l32, l64));
        }
    }
}

/// Second-order methods and modifiers: Newton, diagonal preconditioning, SAM, SWA, clipping,
/// gradient noise.
mod second_order {
    use super::{input, out, reals};
    use lossmap::objective::{FnSlice, WithGradient};
    use lossmap::optim::*;
    use lossmap::testfn::{Himmelblau, Rosenbrock};
    use lossmap::{Objective, Real};

    struct Xs(u64);
    impl Xs {
        fn step(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }
    impl rand_core::TryRng for Xs {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.step() as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(self.step())
        }
        fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> {
            for b in d {
                *b = self.step() as u8;
            }
            Ok(())
        }
    }

    fn cfg<T: Real>() -> NewtonConfig<T> {
        NewtonConfig {
            c1: T::from_f64(input(1e-4)),
            backtrack: T::from_f64(input(0.5)),
            max_backtracks: input(50),
            beta: T::from_f64(input(1e-3)),
        }
    }
    fn stop<T: Real>() -> Stop<T> {
        Stop {
            grad_tol: T::from_f64(input(1e-6)),
            rel_tol: T::from_f64(input(0.0)),
            window: input(0),
            max_iter: input(100),
            step_tol: T::from_f64(input(0.0)),
            max_evals: input(0),
        }
    }

    fn typed<T: Real, const N: usize>() {
        let mut x: [T; N] = reals([0.3; N]);
        let mut f = |v: &[T; N]| v.iter().fold(T::ZERO, |a, &b| a + b * b * b * b - b);
        out(newton(&mut f, &mut x, &cfg(), &stop()));
        let mut nt = Newton::<T, N>::new(cfg());
        out(nt.minimize(&mut f, &mut x, &stop()));
        out(nt.hessian);
        let Ok(mut adam) = Adam::<T, N>::new(AdamConfig::default()) else {
            return;
        };
        out(sam_step(
            &mut f,
            &mut x,
            &mut adam,
            T::from_f64(input(0.05)),
        ));
        let dyn_opt: &mut dyn Optimizer<T> = &mut adam;
        out(sam_step(&mut f, &mut x, dyn_opt, T::from_f64(input(0.05))));
        if let Ok(mut p) = DiagPrecond::<T, Adam<T, N>, N>::new(adam, T::from_f64(input(1e-3))) {
            out(p.refresh(&mut f, &x));
            let g: [T; N] = reals([0.1; N]);
            out(p.step(&mut x, &g));
            out(p.set_lr(T::from_f64(input(0.1))));
            out(p.lr());
            p.reset();
            out(p);
        }
        let mut swa = Swa::<T, N>::new(input(2));
        out(swa.observe(&x));
        out(swa.average().copied());
        swa.reset();
        out(swa);
        out(x);
    }

    fn slices<T: Real>() {
        let mut xs: [T; 3] = reals([0.3, -0.2, 0.1]);
        let mut h = [T::ZERO; 9];
        let mut l = [T::ZERO; 9];
        let mut v = [T::ZERO; 12];
        let n = input(3usize);
        let mut fs = FnSlice(|p: &[T]| p.iter().fold(T::ZERO, |a, &b| a + b * b));
        if let (Some(x), Some(h), Some(l), Some(v)) = (
            xs.get_mut(..n),
            h.get_mut(..input(9usize)),
            l.get_mut(..input(9usize)),
            v.get_mut(..input(12usize)),
        ) {
            out(newton_slice(&mut fs, x, h, l, v, &cfg(), &stop()));
            let d: &mut dyn lossmap::objective::SliceObjective<T> = &mut fs;
            out(newton_slice(d, x, h, l, v, &cfg(), &stop()));
            let Ok(mut adam) = Adam::<T, 3>::new(AdamConfig::default()) else {
                return;
            };
            if let Some(w) = v.get_mut(..input(6usize)) {
                out(sam_step_slice(
                    &mut fs,
                    x,
                    &mut adam,
                    T::from_f64(input(0.1)),
                    w,
                ));
            }
            let diag: [T; 3] = reals([1.0, 2.0, 3.0]);
            if let Some(dg) = diag.get(..input(3usize)) {
                out(precondition_diag(x, dg, T::from_f64(input(0.01))));
            }
            out(clip_grad_norm(x, T::from_f64(input(1.0))));
            let mut rng = Xs(input(7));
            out(gradient_noise(
                x,
                T::from_f64(input(0.3)),
                T::from_f64(input(0.55)),
                input(3u32),
                &mut rng,
            ));
            out(noise_sigma(
                T::from_f64(input(0.3)),
                T::from_f64(input(0.55)),
                input(9u32),
            ));
            let mut avg: [T; 3] = reals([0.0; 3]);
            let mut count = input(0u32);
            if let Some(a) = avg.get_mut(..input(3usize)) {
                out(swa_update(a, &mut count, x));
            }
            out(avg);
        }
        out(newton_vecs_len(input(5usize)));
        out(xs);
    }

    pub fn all<T: Real>() {
        typed::<T, 2>();
        typed::<T, 3>();
        slices::<T>();
        let mut x: [T; 2] = reals([-1.2, 1.0]);
        out(newton(&mut Rosenbrock, &mut x, &cfg(), &stop()));
        out(newton(&mut Himmelblau, &mut x, &cfg(), &stop()));
        let mut w = WithGradient::new(
            |v: &[T; 2]| Rosenbrock.value(v),
            |v: &[T; 2], g: &mut [T; 2]| {
                let _ = Rosenbrock.gradient(v, g);
            },
        );
        out(newton(&mut w, &mut x, &cfg(), &stop()));
        out(NewtonConfig::<T>::default().validate());
        out(x);
    }
}

#[cfg(feature = "capi")]
mod capi_second_order {
    use super::{input, out};
    use core::ffi::c_void;
    use lossmap::capi::*;

    unsafe extern "C" fn f64_loss(x: *const f64, n: usize, _: *mut c_void) -> f64 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter().fold(0.0, |a, &b| a + b * b)
    }
    unsafe extern "C" fn f32_loss(x: *const f32, n: usize, _: *mut c_void) -> f32 {
        let s = unsafe { core::slice::from_raw_parts(x, n) };
        s.iter().fold(0.0, |a, &b| a + b * b)
    }

    pub fn exercise() {
        let n = input(2usize);
        let mut x64 = input([1.0f64, 2.0]);
        let mut w64 = input([0.0f64; 16]);
        let c64 = lossmap_newton_config_default_f64();
        let s64 = lossmap_stop_default_f64();
        let mut r64 = core::mem::MaybeUninit::<LossmapNewtonReport<f64>>::uninit();
        out(unsafe {
            lossmap_newton_f64(
                Some(f64_loss),
                core::ptr::null_mut(),
                x64.as_mut_ptr(),
                n,
                &c64,
                &s64,
                w64.as_mut_ptr(),
                r64.as_mut_ptr(),
            )
        });
        let mut x32 = input([1.0f32, 2.0]);
        let mut w32 = input([0.0f32; 16]);
        let c32 = lossmap_newton_config_default_f32();
        let s32 = lossmap_stop_default_f32();
        out(unsafe {
            lossmap_newton_f32(
                Some(f32_loss),
                core::ptr::null_mut(),
                x32.as_mut_ptr(),
                n,
                &c32,
                &s32,
                w32.as_mut_ptr(),
                core::ptr::null_mut(),
            )
        });
        out(lossmap_newton_work_len(input(usize::MAX)));
        let mut t64 = 0.0f64;
        out(unsafe { lossmap_clip_grad_norm_f64(x64.as_mut_ptr(), n, input(1.0), &mut t64) });
        let mut t32 = 0.0f32;
        out(unsafe { lossmap_clip_grad_norm_f32(x32.as_mut_ptr(), n, input(1.0), &mut t32) });
        let mut cnt = input(0u32);
        let mut a64 = input([0.0f64; 2]);
        out(unsafe { lossmap_swa_update_f64(a64.as_mut_ptr(), &mut cnt, x64.as_ptr(), n) });
        let mut a32 = input([0.0f32; 2]);
        out(unsafe { lossmap_swa_update_f32(a32.as_mut_ptr(), &mut cnt, x32.as_ptr(), n) });
        let mut rng = lossmap::random::SplitMix64::new(input(3));
        let mut sg = 0.0f64;
        out(unsafe {
            lossmap_gradient_noise_f64(
                x64.as_mut_ptr(),
                n,
                input(0.3),
                input(0.55),
                input(2),
                &mut rng,
                &mut sg,
            )
        });
        let mut sg32 = 0.0f32;
        out(unsafe {
            lossmap_gradient_noise_f32(
                x32.as_mut_ptr(),
                n,
                input(0.3),
                input(0.55),
                input(2),
                &mut rng,
                &mut sg32,
            )
        });
        out((x64, x32, w64, w32, a64, a32, t64, t32, cnt, sg, sg32, rng));
    }
}

#[path = "panic_never/adaptive.rs"]
mod adaptive;
#[cfg(feature = "capi")]
#[path = "panic_never/capi_global.rs"]
mod capi_global;
#[path = "panic_never/census.rs"]
mod census;
#[path = "panic_never/global.rs"]
mod global;
#[path = "panic_never/nlls.rs"]
mod nlls;
#[path = "panic_never/plot.rs"]
mod plot;
#[path = "panic_never/quasi.rs"]
mod quasi;
#[path = "panic_never/rand_compat.rs"]
mod rand_compat;
#[path = "panic_never/stochastic.rs"]
mod stochastic;

#[entry]
fn main() -> ! {
    adaptive::exercise::<f32>();
    adaptive::exercise::<f64>();
    #[cfg(feature = "capi")]
    adaptive::capi::exercise();
    global::exercise();
    #[cfg(feature = "capi")]
    capi_global::exercise();
    census::exercise::<f32>();
    census::exercise::<f64>();
    #[cfg(feature = "capi")]
    census::capi::exercise();
    nlls::exercise::<f32>();
    nlls::exercise::<f64>();
    #[cfg(feature = "capi")]
    nlls::capi::exercise();
    quasi::exercise::<f32>();
    quasi::exercise::<f64>();
    #[cfg(feature = "capi")]
    quasi::capi::exercise();
    stochastic::exercise::<f32>();
    stochastic::exercise::<f64>();
    #[cfg(feature = "capi")]
    stochastic::capi::exercise();
    family::exercise::<f32>();
    family::exercise::<f64>();
    #[cfg(feature = "capi")]
    family::capi();
    schedule::exercise::<f32>();
    schedule::exercise::<f64>();
    second_order::all::<f32>();
    second_order::all::<f64>();
    #[cfg(feature = "capi")]
    capi_second_order::exercise();
    #[cfg(feature = "capi")]
    capi_schedule::exercise();
    error::exercise();
    real::exercise::<f32>();
    real::exercise::<f64>();
    diff::exercise::<f32>();
    diff::exercise::<f64>();
    linalg::exercise::<f32>();
    linalg::exercise::<f64>();
    objective::exercise::<f32>();
    objective::exercise::<f64>();
    optim::exercise::<f32>();
    optim::exercise::<f64>();
    loss::exercise::<f32>();
    loss::exercise::<f64>();
    landscape::exercise::<f32>();
    landscape::exercise::<f64>();
    random::exercise::<f32>();
    random::exercise::<f64>();
    rand_compat::exercise::<f32>();
    rand_compat::exercise::<f64>();
    testfn::exercise::<f32>();
    testfn::exercise::<f64>();
    plot::exercise::<f32>();
    plot::exercise::<f64>();
    #[cfg(feature = "capi")]
    capi::exercise();
    debug::exercise();
    loop {
        cortex_m::asm::wfi();
    }
}

#[cfg(not(feature = "find-panics"))]
extern "C" {
    /// Defined nowhere: referencing it fails the link.
    fn lossmap_panic_is_reachable() -> !;
}

#[cfg(not(feature = "find-panics"))]
#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    // SAFETY: never runs — if a panic were reachable, the program would not link.
    unsafe { lossmap_panic_is_reachable() }
}

/// `find-panics.sh` only: links whatever is reachable, so the panic sites can be listed.
#[cfg(feature = "find-panics")]
#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {
        cortex_m::asm::nop();
    }
}
