//! The fuzz targets' bodies: plain Rust over raw bytes (parsed by hand, no `arbitrary`), so the
//! same code runs under libFuzzer (`fuzz/fuzz_targets/*.rs`, one line each) and in the replay
//! test (`tests/repo/fuzz_replay.rs`, which includes this file by `#[path]`).
//!
//! Each body asserts the library's promises on whatever the bytes say: it never panics; an `Ok`
//! result and everything it wrote are finite; an `Err` leaves the caller's parameters and
//! outputs unchanged (compared bit for bit, or by their `Debug` form for structs); the counts
//! it reports match the calls it made.
#![allow(
    clippy::too_many_arguments,
    clippy::field_reassign_with_default,
    clippy::assign_op_pattern,
    clippy::manual_is_multiple_of,
    clippy::single_match
)]

use core::fmt::Debug;

/// A cursor over the fuzzer's bytes; reads past the end give zeros.
pub struct In<'a>(&'a [u8]);

/// Tagged special values: NaN, ±∞, extremes, subnormals, values near the limits of f32.
const SPECIAL: [f64; 32] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    -f64::MAX,
    f64::MIN_POSITIVE,
    5e-324,
    -5e-324,
    1e-300,
    1e300,
    1e38,
    3.4e38,
    1e-40,
    1e-45,
    1e19,
    9.3e18,
    1e154,
    1e-8,
    0.5,
    0.9,
    0.999,
    1e-16,
    2.2e-16,
    f32::MAX as f64,
    -1e38,
    1e308,
    1.5e308,
    0.1,
];

impl<'a> In<'a> {
    /// A cursor at the start of `d`.
    pub fn new(d: &'a [u8]) -> Self {
        In(d)
    }
    /// The next byte (0 past the end).
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    /// A number in `0..n` (0 when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.byte() as usize % n
        }
    }
    /// A boolean.
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }
    /// Up to eight raw bytes, little-endian.
    pub fn raw(&mut self, k: usize) -> u64 {
        let mut v = 0u64;
        for i in 0..k {
            v |= (self.byte() as u64) << (8 * i);
        }
        v
    }
    /// A count: small mostly, sometimes anything.
    pub fn count(&mut self) -> usize {
        match self.byte() {
            t @ 0..=239 => t as usize,
            240..=247 => usize::MAX,
            _ => self.raw(8) as usize,
        }
    }
    /// A float: mostly a small multiple of 1/8, sometimes a special value, sometimes raw bits.
    pub fn real<T: Fl>(&mut self) -> T {
        match self.byte() {
            t @ 0..=159 => T::from_f64((t as f64 - 80.0) / 8.0),
            t @ 160..=191 => T::from_f64(SPECIAL[(t - 160) as usize]),
            _ => T::raw(self),
        }
    }
    /// `N` floats.
    pub fn arr<T: Fl, const N: usize>(&mut self) -> [T; N] {
        core::array::from_fn(|_| self.real())
    }
    /// The bytes left.
    pub fn rest(&self) -> &'a [u8] {
        self.0
    }
}

/// f32 and f64 with their bits.
pub trait Fl: lossmap::Real + Debug {
    /// The bits, widened.
    fn bits(self) -> u64;
    /// A value from raw bits read off the input.
    fn raw(i: &mut In) -> Self;
}
impl Fl for f32 {
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn raw(i: &mut In) -> Self {
        f32::from_bits(i.raw(4) as u32)
    }
}
impl Fl for f64 {
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn raw(i: &mut In) -> Self {
        f64::from_bits(i.raw(8))
    }
}

/// Bit-for-bit equality of two float slices.
pub fn same<T: Fl>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.bits() == y.bits())
}
/// Every value finite.
pub fn finite<T: Fl>(a: &[T]) -> bool {
    a.iter().all(|v| v.is_finite())
}
/// A struct's `Debug` form shows no NaN or infinity.
pub fn finite_dbg<D: Debug>(d: &D) -> bool {
    let s = format!("{d:?}");
    s.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-')))
        .all(|t| !matches!(t.trim_start_matches(['-', '+']), "inf" | "NaN"))
}
/// A curvature summary as documented: finite, except `log_det`, NaN when some eigenvalue is
/// ≤ 0.
pub fn summary_ok<T: Fl>(s: &lossmap::landscape::CurvatureSummary<T>) -> bool {
    finite(&[s.min, s.max, s.trace, s.condition])
        && (s.log_det.is_finite() || (s.log_det.is_nan() && s.min <= T::ZERO))
}
/// [`finite_dbg`] for a struct holding a [`CurvatureSummary`](lossmap::landscape::CurvatureSummary)
/// `s` (checked by [`summary_ok`]).
pub fn curvature_ok<D: Debug, T: Fl>(d: &D, s: &lossmap::landscape::CurvatureSummary<T>) -> bool {
    summary_ok(s) && finite_dbg(&format!("{d:?}").replace("log_det: NaN", "log_det: 0"))
}
/// A struct's `Debug` form, for before/after comparisons.
pub fn dbg<D: Debug>(d: &D) -> String {
    format!("{d:?}")
}

// ---------------------------------------------------------------------------------------------
// sym_eigen

/// Arbitrary bytes → an n×n matrix (any values: NaN, ∞, subnormals, asymmetric) → the
/// eigen-solver returns Ok or an Error, never panics; on Ok the eigenvalues are finite and
/// ascending, the eigenvectors finite; on Err the input matrix is unchanged.
pub fn sym_eigen(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = (n % 9) as usize; // 0..=8, including the empty case
    let vals: Vec<f64> = rest
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect();
    // Sometimes symmetrize so the solver gets past its entry checks.
    let symmetric = data.len() % 2 == 0;
    let mut a = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..n {
            let k = if symmetric && j < i {
                j * n + i
            } else {
                i * n + j
            };
            a[i * n + j] = vals.get(k).copied().unwrap_or(0.0);
        }
    }
    let a0 = a.clone();
    let (mut w, mut values, mut vectors) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
    let (v0, e0) = (values.clone(), vectors.clone());
    match lossmap::linalg::sym_eigen(&a, n, &mut w, &mut values, &mut vectors) {
        Ok(_) => {
            assert!(finite(&values) && finite(&vectors), "{a:?} → {values:?}");
            assert!(values.windows(2).all(|p| p[0] <= p[1]));
        }
        // Documented: an eigenvalue beyond MAX (finite input) leaves the finite decomposition
        // of A / max|a|; NoConvergence leaves intermediate values; entry errors write nothing.
        Err(lossmap::Error::NonFiniteInput) if finite(&a) => {
            assert!(finite(&values) && finite(&vectors));
        }
        Err(lossmap::Error::NoConvergence) => {}
        Err(_) => {
            assert!(same(&values, &v0) && same(&vectors, &e0));
        }
    }
    assert!(same(&a, &a0));
}

// ---------------------------------------------------------------------------------------------
// derivatives

/// A polynomial Σₖ cₖ Πᵢ xᵢ^eₖᵢ with up to 4 terms and exponents 0..=4.
#[derive(Clone, Copy)]
struct Poly<T, const N: usize> {
    c: [T; 4],
    e: [[u8; N]; 4],
    terms: usize,
}

impl<T: Fl, const N: usize> Poly<T, N> {
    fn read(i: &mut In) -> Self {
        let terms = i.below(5);
        let c = i.arr();
        let e = core::array::from_fn(|_| core::array::from_fn(|_| i.byte() % 5));
        Poly { c, e, terms }
    }
    fn at(&self, x: &[T]) -> T {
        let mut s = T::ZERO;
        for (c, e) in self.c.iter().zip(&self.e).take(self.terms) {
            let mut p = *c;
            for (xi, &k) in x.iter().zip(e) {
                for _ in 0..k {
                    p = p * *xi;
                }
            }
            s = s + p;
        }
        s
    }
}

/// Gradients (forward, central, Richardson), Hessians (values, Richardson, from gradients),
/// Hessian-vector products and directional derivatives of an arbitrary polynomial at an
/// arbitrary point, in f32 and f64, typed and slice forms.
pub fn derivatives(data: &[u8]) {
    let mut i = In::new(data);
    if i.flag() {
        derivs::<f64, 3>(&mut i);
    } else {
        derivs::<f32, 2>(&mut i);
    }
}

fn derivs<T: Fl, const N: usize>(i: &mut In) {
    let p = Poly::<T, N>::read(i);
    let x: [T; N] = i.arr();
    let d: [T; N] = i.arr();
    let which = i.below(12);
    let calls = core::cell::Cell::new(0usize);
    let f = |z: &[T; N]| {
        calls.set(calls.get() + 1);
        p.at(z)
    };
    let fs = |z: &[T]| {
        calls.set(calls.get() + 1);
        p.at(z)
    };
    use lossmap::diff;
    let mut g = [T::from_f64(7.0); N];
    let g0 = g;
    let mut h = [[T::from_f64(7.0); N]; N];
    let h0 = h;
    // typed gradient-like results: Ok ⇒ finite, counted; Err ⇒ untouched
    let vec_check = |r: Result<usize, lossmap::Error>, out: &[T], before: &[T], c: usize| match r {
        Ok(e) => {
            assert!(finite(out), "Ok with {out:?}");
            assert_eq!(e, c, "evals reported {e}, made {c}");
        }
        Err(_) => assert!(same(out, before), "Err changed the output"),
    };
    match which {
        0 => {
            let r = diff::forward_gradient_n(f, &x, &mut g);
            vec_check(r, &g, &g0, calls.get());
        }
        1 => {
            let r = diff::central_gradient_n(f, &x, &mut g);
            vec_check(r, &g, &g0, calls.get());
        }
        2 => {
            let r = diff::richardson_gradient_n(f, &x, &mut g);
            vec_check(r, &g, &g0, calls.get());
        }
        3 => {
            let r = diff::hessian_n(f, &x, &mut h);
            vec_check(r, h.as_flattened(), h0.as_flattened(), calls.get());
        }
        4 => {
            let r = diff::hessian_richardson_n(f, &x, &mut h);
            vec_check(r, h.as_flattened(), h0.as_flattened(), calls.get());
        }
        5 => {
            let mut o = f;
            // counts gradient calls (2N), each a central gradient of 2N values
            let r = diff::hessian_from_gradient_n(&mut o, &x, &mut h);
            if let Ok(e) = r {
                assert_eq!(e.gradients * 2 * N, calls.get());
                assert_eq!(e.values, calls.get());
            }
            vec_check(r.map(|_| 0), h.as_flattened(), h0.as_flattened(), 0);
        }
        6 => {
            let mut o = f;
            let r = diff::hvp_n(&mut o, &x, &d, &mut g);
            if let Ok(e) = r {
                assert_eq!(e.gradients * 2 * N, calls.get());
                assert_eq!(e.values, calls.get());
            }
            vec_check(r.map(|_| 0), &g, &g0, 0);
        }
        7 => match diff::directional_n(f, &x, &d) {
            Ok(r) => {
                assert!(r.first.is_finite() && r.second.is_finite() && r.third.is_finite());
                assert_eq!(r.evals, calls.get());
            }
            Err(_) => {}
        },
        8 => {
            // slice kernels: x restored bit-exactly; Ok ⇒ finite; Err ⇒ no NaN/∞ written
            let mut xs = x;
            let mut fm = fs;
            let r = match i.below(3) {
                0 => diff::forward_gradient(&mut fm, &mut xs, &mut g),
                1 => diff::central_gradient(&mut fm, &mut xs, &mut g),
                _ => diff::richardson_gradient(&mut fm, &mut xs, &mut g),
            };
            assert!(same(&xs, &x), "x not restored");
            slice_check(r, &g, &g0, calls.get());
        }
        9 => {
            let mut xs = x;
            let mut fm = fs;
            let mut work = [T::from_f64(7.0); 64];
            let r = if i.flag() {
                diff::hessian(&mut fm, &mut xs, h.as_flattened_mut())
            } else {
                let w = work.get_mut(..i.below(40)).unwrap_or_default();
                diff::hessian_richardson(&mut fm, &mut xs, h.as_flattened_mut(), w)
            };
            assert!(same(&xs, &x), "x not restored");
            slice_check(r, h.as_flattened(), h0.as_flattened(), calls.get());
        }
        10 => {
            let mut pt = [T::ZERO; N];
            let mut fm = fs;
            if let Ok(r) = diff::directional(&mut fm, &x, &d, &mut pt) {
                assert!(r.first.is_finite() && r.second.is_finite() && r.third.is_finite());
                assert_eq!(r.evals, calls.get());
            }
        }
        _ => {
            let hm: [T; 9] = i.arr();
            let k = N * N;
            if let Ok(v) = diff::model_value(&g[..], &hm[..k.min(9)], &d[..]) {
                assert!(v.is_finite());
            }
            let f0 = i.real::<T>();
            let f1 = i.real::<T>();
            if let Ok(v) = diff::fidelity_ratio(f0, f1, &x[..], &hm[..k.min(9)], &d[..]) {
                assert!(v.is_finite());
            }
        }
    }
}

fn slice_check<T: Fl>(r: Result<usize, lossmap::Error>, out: &[T], before: &[T], c: usize) {
    match r {
        Ok(e) => {
            assert!(finite(out), "Ok with {out:?}");
            assert_eq!(e, c, "evals reported {e}, made {c}");
        }
        Err(_) => assert!(
            out.iter()
                .zip(before)
                .all(|(a, b)| a.is_finite() || a.bits() == b.bits()),
            "Err left a non-finite value in the output: {out:?}"
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// optimizer_steps

/// Every first-order optimizer (SGD with momentum/Nesterov, AdaGrad, RMSProp centered/momentum,
/// Adam, AdamW/AMSGrad) stepping from arbitrary state with arbitrary hyperparameters, gradient
/// and x, up to four steps: Ok ⇒ x and the state finite; Err ⇒ nothing changed; a config that
/// `validate` refuses never steps.
pub fn optimizer_steps(data: &[u8]) {
    let mut i = In::new(data);
    if i.flag() {
        opt_steps::<f64, 3>(&mut i);
    } else {
        opt_steps::<f32, 2>(&mut i);
    }
}

fn opt_steps<T: Fl, const N: usize>(i: &mut In) {
    use lossmap::optim::*;
    let kind = i.below(5);
    let t = if i.flag() {
        i.raw(4) as u32
    } else {
        i.byte() as u32
    };
    let mut x: [T; N] = i.arr();
    match kind {
        0 => {
            let config = SgdConfig {
                lr: i.real(),
                momentum: i.real(),
                dampening: i.real(),
                weight_decay: i.real(),
                nesterov: i.byte() % 3,
                maximize: i.byte() % 3,
            };
            let mut o = Sgd::<T, N> {
                config,
                t,
                buf: i.arr(),
            };
            run_steps(&mut o, &mut x, i);
        }
        1 => {
            let config = AdagradConfig {
                lr: i.real(),
                lr_decay: i.real(),
                weight_decay: i.real(),
                initial_accumulator_value: i.real(),
                eps: i.real(),
                maximize: i.byte() % 3,
            };
            let mut o = Adagrad::<T, N> {
                config,
                t,
                sum: i.arr(),
            };
            run_steps(&mut o, &mut x, i);
        }
        2 => {
            let config = RmsPropConfig {
                lr: i.real(),
                alpha: i.real(),
                eps: i.real(),
                weight_decay: i.real(),
                momentum: i.real(),
                centered: i.byte() % 3,
                maximize: i.byte() % 3,
            };
            let mut o = RmsProp::<T, N> {
                config,
                t,
                v: i.arr(),
                grad_avg: i.arr(),
                buf: i.arr(),
            };
            run_steps(&mut o, &mut x, i);
        }
        3 => {
            let config = AdamConfig {
                lr: i.real(),
                beta1: i.real(),
                beta2: i.real(),
                eps: i.real(),
                weight_decay: i.real(),
                maximize: i.byte() % 3,
            };
            let bias = fuzz_bias(i, t, config.beta1, config.beta2);
            let mut o = Adam::<T, N> {
                config,
                t,
                bias,
                m: i.arr(),
                v: i.arr(),
            };
            run_steps(&mut o, &mut x, i);
        }
        _ => {
            let config = AdamWConfig {
                lr: i.real(),
                beta1: i.real(),
                beta2: i.real(),
                eps: i.real(),
                weight_decay: i.real(),
                amsgrad: i.byte() % 3,
                decoupled: i.byte() % 3,
                maximize: i.byte() % 3,
            };
            let bias = fuzz_bias(i, t, config.beta1, config.beta2);
            let mut o = AdamW::<T, N> {
                config,
                t,
                bias,
                m: i.arr(),
                v: i.arr(),
                v_max: i.arr(),
            };
            run_steps(&mut o, &mut x, i);
        }
    }
}

/// An Adam bias-correction cache: empty, or keyed to this state (so that a step uses it) with
/// arbitrary values, or wholly arbitrary.
fn fuzz_bias<T: Fl>(i: &mut In, t: u32, beta1: T, beta2: T) -> lossmap::optim::AdamBias<T> {
    match i.byte() % 3 {
        0 => lossmap::optim::AdamBias::EMPTY,
        1 => lossmap::optim::AdamBias {
            t,
            beta1,
            beta2,
            bc1: i.real(),
            bc2_sqrt: i.real(),
            c1: i.arr(),
            c2: i.arr(),
        },
        _ => lossmap::optim::AdamBias {
            t: i.byte() as u32,
            beta1: i.real(),
            beta2: i.real(),
            bc1: i.real(),
            bc2_sqrt: i.real(),
            c1: i.arr(),
            c2: i.arr(),
        },
    }
}

fn run_steps<T: Fl, O: lossmap::optim::Optimizer<T> + Debug, const N: usize>(
    o: &mut O,
    x: &mut [T; N],
    i: &mut In,
) {
    let valid = o.validate().is_ok();
    let steps = 1 + i.below(4);
    for _ in 0..steps {
        let g: [T; N] = i.arr();
        let (o0, x0) = (dbg(o), *x);
        let was_finite = finite_dbg(o);
        match o.step(x, &g) {
            Ok(()) => {
                assert!(valid, "a config validate() refuses stepped: {o:?}");
                assert!(finite(x), "Ok with x = {x:?}");
                assert!(
                    !was_finite || finite_dbg(o),
                    "Ok made the state non-finite: {o:?}"
                );
            }
            Err(_) => {
                assert!(same(x, &x0), "Err changed x");
                assert_eq!(dbg(o), o0, "Err changed the optimizer");
                return;
            }
        }
        if i.flag() {
            let lr: T = i.real();
            let o0 = dbg(o);
            if o.set_lr(lr).is_err() {
                assert_eq!(dbg(o), o0, "set_lr Err changed the optimizer");
            } else {
                assert!(lr.is_finite() && lr > T::ZERO);
            }
        }
    }
}
// ---------------------------------------------------------------------------------------------
// objectives for the drivers, the landscape tools and the global searches

/// Most objective calls one input may make before the objective turns NaN (bounds the run
/// time of inputs with huge budgets; a NaN is an ordinary failure the drivers must handle).
const MAX_CALLS: usize = 4000;

/// A small objective chosen by a byte: a scaled quadratic, a Rosenbrock chain, a polynomial;
/// optionally failing (NaN, +∞ or −∞) from call `k` on.
struct Obj<T, const N: usize> {
    kind: u8,
    a: [T; N],
    c: [T; N],
    poly: Poly<T, N>,
    fail_at: usize,
    fail: T,
    calls: usize,
}

impl<T: Fl, const N: usize> Obj<T, N> {
    fn read(i: &mut In) -> Self {
        let kind = i.byte() % 3;
        let a = i.arr();
        let c = i.arr();
        let poly = Poly::read(i);
        let fail_at = if i.flag() {
            i.byte() as usize
        } else {
            usize::MAX
        };
        let fail = match i.byte() % 3 {
            0 => T::NAN_R,
            1 => T::from_f64(f64::INFINITY),
            _ => T::from_f64(f64::NEG_INFINITY),
        };
        Obj {
            kind,
            a,
            c,
            poly,
            fail_at,
            fail,
            calls: 0,
        }
    }
    fn eval(&mut self, x: &[T]) -> T {
        self.calls += 1;
        if self.calls > self.fail_at {
            return self.fail;
        }
        if self.calls > MAX_CALLS {
            return T::NAN_R;
        }
        match self.kind {
            0 => {
                let mut s = T::ZERO;
                for ((xi, ai), ci) in x.iter().zip(&self.a).zip(&self.c) {
                    let d = *xi - *ci;
                    s = s + *ai * d * d;
                }
                s
            }
            1 => {
                let mut s = T::ZERO;
                for w in x.windows(2) {
                    let (p, q) = (w[0], w[1]);
                    let u = q - p * p;
                    let v = T::ONE - p;
                    s = s + T::from_f64(100.0) * u * u + v * v;
                }
                if x.len() == 1 {
                    s = x[0] * x[0];
                }
                s
            }
            _ => self.poly.at(x),
        }
    }
}

/// Stop rules from bytes: tolerances anything, windows around the limit, budgets small.
fn read_stop<T: Fl>(i: &mut In) -> lossmap::optim::Stop<T> {
    let mut s = lossmap::optim::Stop::<T>::default();
    s.grad_tol = i.real();
    s.rel_tol = i.real();
    s.window = i.below(70);
    s.max_iter = i.below(256);
    s.step_tol = i.real();
    s.max_evals = if i.flag() { i.count() } else { 0 };
    s
}

/// The common check of a run that moves `x`: a non-finite start is refused with `x`
/// unchanged; Ok ⇒ `x` and the report finite; Err ⇒ `x` unchanged or at a finite point.
fn run_check<T: Fl, R: Debug, const N: usize>(
    r: Result<R, lossmap::Error>,
    x: &[T; N],
    x0: &[T; N],
) {
    match r {
        Ok(rep) => {
            assert!(finite(x0), "Ok from a non-finite start");
            assert!(finite(x), "Ok with x = {x:?} from {x0:?}: {rep:?}");
            assert!(finite_dbg(&rep), "Ok with report {rep:?}");
        }
        Err(e) => {
            assert!(same(x, x0) || finite(x), "{e:?} left x = {x:?}");
            if !finite(x0) {
                assert!(same(x, x0), "non-finite start changed");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// drivers

/// `minimize`/`minimize_with` (Adam, SGD, with an observer that may stop), Newton, BFGS,
/// L-BFGS, Nelder–Mead and Levenberg–Marquardt with arbitrary stop rules and configurations
/// on a small objective chosen by a byte (possibly failing at call k): never panic; Ok ⇒
/// finite report and x; Err ⇒ x unchanged or at a finite point.
pub fn drivers(data: &[u8]) {
    let mut i = In::new(data);
    if i.flag() {
        drive::<f64, 2>(&mut i);
    } else {
        drive::<f32, 3>(&mut i);
    }
}

fn drive<T: Fl, const N: usize>(i: &mut In) {
    use lossmap::optim::*;
    let which = i.below(8);
    let mut o = Obj::<T, N>::read(i);
    let stop = read_stop::<T>(i);
    let x0: [T; N] = i.arr();
    let mut x = x0;
    let mut f = |z: &[T; N]| o.eval(z);
    match which {
        0 => {
            let mut cfg = AdamConfig::<T>::default();
            if i.flag() {
                cfg.lr = i.real();
                cfg.beta1 = i.real();
                cfg.beta2 = i.real();
                cfg.eps = i.real();
            }
            let mut adam = Adam::<T, N> {
                config: cfg,
                t: 0,
                bias: lossmap::optim::AdamBias::EMPTY,
                m: [T::ZERO; N],
                v: [T::ZERO; N],
            };
            let r = minimize(&mut f, &mut x, &mut adam, &stop);
            run_check(r, &x, &x0);
        }
        1 => {
            let mut cfg = SgdConfig::<T>::default();
            cfg.lr = i.real();
            cfg.momentum = i.real();
            cfg.nesterov = i.byte() % 2;
            let mut sgd = Sgd::<T, N> {
                config: cfg,
                t: 0,
                buf: [T::ZERO; N],
            };
            let quit = i.byte() as usize;
            let mut seen = 0usize;
            let mut obs = |p: &Progress<T>| {
                seen += 1;
                assert!(finite_dbg(p), "observer saw {p:?}");
                seen < quit
            };
            let r = minimize_with(&mut f, &mut x, &mut sgd, &stop, None, Some(&mut obs));
            run_check(r, &x, &x0);
        }
        2 => {
            let mut cfg = NewtonConfig::<T>::default();
            if i.flag() {
                cfg.c1 = i.real();
                cfg.backtrack = i.real();
                cfg.max_backtracks = i.below(80);
                cfg.beta = i.real();
            }
            let r = newton(&mut f, &mut x, &cfg, &stop);
            run_check(r, &x, &x0);
        }
        3 | 4 => {
            let mut cfg = QuasiNewtonConfig::<T>::default();
            if i.flag() {
                cfg.c1 = i.real();
                cfg.c2 = i.real();
                cfg.xtol = i.real();
                cfg.max_line_evals = i.below(40);
                cfg.ftol = i.real();
            }
            let r = if which == 3 {
                bfgs(&mut f, &mut x, &cfg, &stop)
            } else {
                lbfgs::<T, _, N, 3>(&mut f, &mut x, &cfg, &stop)
            };
            run_check(r, &x, &x0);
        }
        5 => {
            let mut cfg = NelderMeadConfig::<T>::default();
            if i.flag() {
                cfg.xatol = i.real();
                cfg.fatol = i.real();
                cfg.initial_rel = i.real();
                cfg.initial_zero = i.real();
            }
            let r = nelder_mead(&mut f, &mut x, &cfg, &stop);
            run_check(r, &x, &x0);
        }
        _ => {
            let mut cfg = lossmap::nlls::LmConfig::<T>::default();
            if i.flag() {
                cfg.ftol = i.real();
                cfg.xtol = i.real();
                cfg.gtol = i.real();
                cfg.factor = i.real();
            }
            cfg.max_evals = i.below(300);
            // residuals: (a ⊙ (x − c), the objective's value)
            let mut res = |z: &[T; N], r: &mut [T; 4]| {
                let v = o.eval(z);
                for (k, rk) in r.iter_mut().enumerate() {
                    *rk = match (z.get(k), o.a.get(k), o.c.get(k)) {
                        (Some(&zk), Some(&ak), Some(&ck)) => ak * (zk - ck),
                        _ => v,
                    };
                }
            };
            let r = lossmap::nlls::levenberg_marquardt::<T, _, 4, N>(&mut res, &mut x, &cfg);
            run_check(r, &x, &x0);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// landscape

/// `classify_at`, `Curvature::{at, of_hessian}`, `Identifiability::of_hessian` and NEB (with
/// the saddle's classification) on arbitrary points, tolerances, matrices and configurations:
/// Ok ⇒ every reported number finite; the objective's failures are errors, never panics.
pub fn landscape(data: &[u8]) {
    let mut i = In::new(data);
    if i.flag() {
        land::<f64, 2>(&mut i);
    } else {
        land::<f32, 3>(&mut i);
    }
}

fn land<T: Fl, const N: usize>(i: &mut In) {
    use lossmap::landscape::*;
    let which = i.below(5);
    let mut o = Obj::<T, N>::read(i);
    let x: [T; N] = i.arr();
    let mut tol = Tolerance::<T>::default();
    if i.flag() {
        tol.grad = i.real();
        tol.zero_rel = i.real();
    }
    let mut f = |z: &[T; N]| o.eval(z);
    match which {
        0 => {
            if let Ok((kind, c)) = classify_at(&mut f, &x, &tol) {
                assert!(curvature_ok(&c, &c.summary), "Ok with {c:?}");
                let _ = kind.name();
            }
        }
        1 => {
            let mut c = Curvature::<T, N>::default();
            if c.analyse(&mut f, &x).is_ok() {
                assert!(curvature_ok(&c, &c.summary), "Ok with {c:?}");
            }
        }
        2 => {
            let h: [[T; N]; N] = core::array::from_fn(|_| i.arr());
            if let Ok(c) = Curvature::of_hessian(&h) {
                assert!(curvature_ok(&c, &c.summary), "Ok with {c:?}");
            }
            let rel: T = i.real();
            if let Ok(id) = Identifiability::of_hessian(&h, rel) {
                assert!(finite_dbg(&id), "Ok with {id:?}");
            }
        }
        3 => {
            let values: [T; N] = i.arr();
            let rel: T = i.real();
            if let Ok((a, b)) = flat_range(&values, rel) {
                assert!(a <= N && b <= N && a.saturating_add(b) <= N.max(a.saturating_add(b)));
            }
        }
        _ => {
            let b: [T; N] = i.arr();
            let mut cfg = NebConfig::<T>::default();
            cfg.max_iter = i.below(64);
            if i.flag() {
                cfg.spring = i.real();
                cfg.step = i.real();
                cfg.max_move = i.real();
                cfg.force_tol = i.real();
                cfg.climb_tol = i.real();
                cfg.climb_after = i.below(64);
                cfg.climb = i.byte() as u32 % 3;
            }
            if let Ok(band) = neb::<T, _, N, 5>(&mut f, &x, &b, &cfg) {
                assert!(finite_dbg(&band), "Ok with {band:?}");
                assert!(finite(&x) && finite(&b));
                if let Ok((_, c)) = band.classify(&mut f, &tol) {
                    assert!(curvature_ok(&c, &c.summary), "Ok with {c:?}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// global

/// The global searches (annealing, basin hopping, multistart, genetic, replica exchange,
/// perturbed GD) with arbitrary boxes, starts, small budgets, configurations and seeds
/// (SplitMix64): never panic; Ok ⇒ the best point finite and inside the box, the report
/// finite; Err ⇒ x unchanged or at a finite point.
pub fn global(data: &[u8]) {
    let mut i = In::new(data);
    if i.flag() {
        glob::<f64, 2>(&mut i);
    } else {
        glob::<f32, 3>(&mut i);
    }
}

fn glob<T: Fl, const N: usize>(i: &mut In) {
    use lossmap::global::*;
    let which = i.below(6);
    let mut o = Obj::<T, N>::read(i);
    let lower: [T; N] = i.arr();
    let upper: [T; N] = i.arr();
    let x0: [T; N] = i.arr();
    let mut x = x0;
    let mut rng = lossmap::random::SplitMix64::new(i.raw(8));
    let mut budget = Budget::<T>::default();
    budget.max_evals = i.below(400);
    budget.max_iter = i.below(100);
    budget.f_target = if i.flag() { i.real() } else { -T::MAX_R };
    let mut pg = ProjectedGradient::<T>::default();
    pg.max_iter = i.below(8);
    if i.flag() {
        pg.step = i.real();
        pg.grad_tol = i.real();
        pg.c1 = i.real();
        pg.shrink = i.real();
        pg.max_backtracks = i.below(20);
    }
    let polish = i.flag();
    let Ok(bounds) = Bounds::new(&lower, &upper) else {
        return;
    };
    let mut f = |z: &[T; N]| o.eval(z);
    let inside = |x: &[T; N]| {
        x.iter()
            .zip(&lower)
            .zip(&upper)
            .all(|((v, l), u)| l <= v && v <= u)
    };
    macro_rules! local {
        ($l:ident => $run:expr) => {
            if polish {
                let $l = &mut pg;
                $run
            } else {
                let $l = &mut NoPolish;
                $run
            }
        };
    }
    let check = |r: Result<SearchReport<T>, lossmap::Error>, x: &[T; N]| match r {
        Ok(rep) => {
            assert!(finite(x) && inside(x), "Ok with x = {x:?}");
            assert!(finite_dbg(&rep), "Ok with {rep:?}");
        }
        Err(e) => assert!(same(x, &x0) || finite(x), "{e:?} left x = {x:?}"),
    };
    match which {
        0 => {
            let mut c = AnnealingConfig::<T>::default();
            c.budget = budget;
            c.t0 = i.real();
            c.t_min = i.real();
            c.cooling = i.byte() as i32 % 4 - 1;
            c.alpha = i.real();
            c.lambda = i.real();
            c.chain = i.below(20);
            c.proposal = i.byte() as i32 % 3;
            c.scale = i.real();
            c.boundary = i.byte() as i32 % 3;
            c.reheat_after = i.below(20);
            c.max_reheats = i.below(4);
            let Ok(mut a) = Annealer::<T, N>::new(c) else {
                return;
            };
            let r = local!(l => a.run(&mut f, l, &bounds, &mut rng, &mut x));
            check(r, &x);
        }
        1 => {
            let mut c = HoppingConfig::<T>::default();
            c.budget = budget;
            c.temperature = i.real();
            c.step = i.real();
            c.adaptive = i.byte() % 3;
            c.target_accept = i.real();
            c.interval = i.below(20);
            c.factor = i.real();
            c.stall = i.below(20);
            let Ok(mut h) = BasinHopper::<T, N>::new(c) else {
                return;
            };
            let r = local!(l => h.run(&mut f, l, &bounds, &mut rng, &mut x));
            check(r, &x);
        }
        2 => {
            let Ok(mut m) = MultiStart::<T, N, 3>::new(budget) else {
                return;
            };
            let tol = lossmap::landscape::Tolerance::<T>::default();
            let r = local!(l => m.run_uniform(&mut f, l, &bounds, &mut rng, &tol));
            if let Ok(res) = r {
                assert!(
                    finite(&res.best) && inside(&res.best),
                    "Ok with best {:?}",
                    res.best
                );
                assert!(res.best_index < 3);
                assert!(finite_dbg(&res.report), "Ok with {:?}", res.report);
            }
        }
        3 => {
            let mut c = GeneticConfig::<T>::default();
            c.budget = budget;
            c.tournament = i.below(8);
            c.crossover = i.byte() as i32 % 3;
            c.crossover_rate = i.real();
            c.blx_alpha = i.real();
            c.mutation_rate = i.real();
            c.mutation_scale = i.real();
            c.elites = i.below(8);
            c.stall = i.below(20);
            c.polish_every = i.below(8);
            let Ok(mut g) = Genetic::<T, N, 6>::new(c) else {
                return;
            };
            let r = local!(l => g.run(&mut f, l, &bounds, &mut rng, &mut x));
            check(r, &x);
        }
        4 => {
            let mut c = ReplicaConfig::<T>::default();
            c.budget = budget;
            c.t_min = i.real();
            c.t_max = i.real();
            c.steps = i.below(20);
            c.scale = i.real();
            c.boundary = i.byte() as i32 % 3;
            c.polish_every = i.below(8);
            let Ok(mut rx) = ReplicaExchange::<T, N, 4>::new(c) else {
                return;
            };
            let r = local!(l => rx.run(&mut f, l, &bounds, &mut rng, &mut x));
            check(r, &x);
        }
        _ => {
            let mut c = PerturbedConfig::<T>::default();
            c.budget = budget;
            c.lr = i.real();
            c.g_thresh = i.real();
            c.radius = i.real();
            c.t_thresh = i.below(20);
            c.f_thresh = i.real();
            let Ok(mut p) = PerturbedGd::<T, N>::new(c) else {
                return;
            };
            match p.run(&mut f, &mut rng, &mut x) {
                Ok(rep) => {
                    assert!(finite(&x), "Ok with x = {x:?}");
                    assert!(finite_dbg(&rep), "Ok with {rep:?}");
                }
                Err(e) => assert!(same(&x, &x0) || finite(&x), "{e:?} left x = {x:?}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// capi

/// Bytes per region of the C target's arena; every buffer starts in one region (at an offset
/// of up to 71 bytes, so misaligned and partly overlapping placements occur) and its honest
/// length fits in it, so no entry point is ever handed memory outside the allocation.
const REGION: usize = 2048;
const REGIONS: usize = 16;

/// The callback context of the C target.
struct CCtx {
    obj: Obj<f64, 8>,
    /// Return a nonzero status from the residual/gradient callbacks once a value is non-finite.
    fail_status: bool,
}

unsafe fn ctx_of<'a>(ctx: *mut core::ffi::c_void) -> &'a mut CCtx {
    // SAFETY: every call passes a pointer to the live `CCtx` of `capi`.
    unsafe { &mut *(ctx as *mut CCtx) }
}

unsafe extern "C" fn c_loss(x: *const f64, n: usize, ctx: *mut core::ffi::c_void) -> f64 {
    assert!(
        !x.is_null() && x.is_aligned() && (1..=8).contains(&n),
        "callback got x={x:?} n={n}"
    );
    // SAFETY: the library promises `n` readable values at `x`.
    let xs = unsafe { core::slice::from_raw_parts(x, n) };
    unsafe { ctx_of(ctx) }.obj.eval(xs)
}

unsafe extern "C" fn c_grad(
    x: *const f64,
    n: usize,
    g: *mut f64,
    ctx: *mut core::ffi::c_void,
) -> i32 {
    assert!(!x.is_null() && x.is_aligned() && (1..=8).contains(&n));
    assert!(!g.is_null() && g.is_aligned());
    // SAFETY: the library promises `n` readable values at `x`, `n` writable at `g`, disjoint.
    let (xs, gs) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(g, n),
        )
    };
    let c = unsafe { ctx_of(ctx) };
    let v = c.obj.eval(xs);
    for (k, gk) in gs.iter_mut().enumerate() {
        let (a, cc) = (
            c.obj.a.get(k).copied().unwrap_or(1.0),
            c.obj.c.get(k).copied().unwrap_or(0.0),
        );
        *gk = if v.is_finite() {
            2.0 * a * (xs[k] - cc)
        } else {
            v
        };
    }
    if !v.is_finite() && c.fail_status {
        1
    } else {
        0
    }
}

unsafe extern "C" fn c_res(
    x: *const f64,
    n: usize,
    r: *mut f64,
    m: usize,
    ctx: *mut core::ffi::c_void,
) -> i32 {
    assert!(!x.is_null() && x.is_aligned() && (1..=8).contains(&n));
    assert!(!r.is_null() && r.is_aligned() && (1..=16).contains(&m));
    // SAFETY: as for `c_grad`, with `m` writable residuals.
    let (xs, rs) = unsafe {
        (
            core::slice::from_raw_parts(x, n),
            core::slice::from_raw_parts_mut(r, m),
        )
    };
    let c = unsafe { ctx_of(ctx) };
    let v = c.obj.eval(xs);
    for (k, rk) in rs.iter_mut().enumerate() {
        *rk = match (xs.get(k), c.obj.a.get(k), c.obj.c.get(k)) {
            (Some(&xk), Some(&ak), Some(&ck)) => ak * (xk - ck),
            _ => v,
        };
    }
    if !v.is_finite() && c.fail_status {
        1
    } else {
        0
    }
}

/// One buffer handed to an entry point: where, how many bytes its honest length covers, the
/// alignment its type needs, whether the call may write it, and whether it may be NULL.
#[derive(Clone, Copy, Debug)]
struct Buf {
    p: *mut u8,
    bytes: usize,
    align: usize,
    written: bool,
    /// 1 for `work` (may hold intermediate values once the callback has run), 2 for the
    /// outputs of `sym_eigen` (documented to hold `A / max|a|`'s decomposition after an
    /// eigenvalue overflow), else 0.
    scratch: u8,
}

struct Arena {
    mem: Vec<u64>,
    bufs: Vec<Buf>,
}

impl Arena {
    fn base(&mut self) -> *mut u8 {
        self.mem.as_mut_ptr() as *mut u8
    }
    /// A pointer for a buffer of `bytes` (honest length) of type alignment `align`: NULL now
    /// and then, else in a region chosen by the input, sometimes misaligned.
    fn place(
        &mut self,
        i: &mut In,
        bytes: usize,
        align: usize,
        written: bool,
        nullable: bool,
    ) -> *mut u8 {
        let b = i.byte();
        if b >= 250 && (nullable || b == 255) {
            self.bufs.push(Buf {
                p: core::ptr::null_mut(),
                bytes,
                align,
                written,
                scratch: 0,
            });
            return core::ptr::null_mut();
        }
        let region = (b as usize) % REGIONS;
        let t = i.byte();
        let off = if t >= 240 {
            (t as usize) % 72
        } else {
            8 * ((t as usize) % 4)
        };
        let off = region * REGION + off;
        // honest lengths always fit: the caller never lies about memory it does not own
        let bytes_in = bytes.min(REGION - 72);
        let p = self.base().wrapping_add(off);
        self.bufs.push(Buf {
            p,
            bytes: bytes_in,
            align,
            written,
            scratch: 0,
        });
        p
    }
    /// Marks the buffer placed last as scratch of kind `k`.
    fn scratch(&mut self, k: u8) {
        if let Some(b) = self.bufs.last_mut() {
            b.scratch = k;
        }
    }
    /// Writes `n` input values at `p` (unaligned writes; `p` may be NULL).
    fn fill(&mut self, i: &mut In, p: *mut u8, n: usize) {
        if p.is_null() {
            return;
        }
        for k in 0..n.min(64) {
            let v: f64 = i.real();
            // SAFETY: `p` was placed with room for its honest length, which `n` does not exceed.
            unsafe { core::ptr::write_unaligned((p as *mut f64).add(k), v) };
        }
    }
    fn put<S>(&mut self, p: *mut u8, s: S) {
        if !p.is_null() {
            // SAFETY: placed with room for an `S`.
            unsafe { core::ptr::write_unaligned(p as *mut S, s) };
        }
    }
}

/// An OK status leaves a finite report (when one was asked for).
fn check_struct<S: Debug>(rc: i32, p: *const S) {
    if rc == 0 && !p.is_null() {
        // SAFETY: OK implies `p` was aligned and written; it lies inside the arena.
        let r = unsafe { core::ptr::read_unaligned(p) };
        assert!(finite_dbg(&r), "OK with {r:?}");
    }
}

fn read_f64s(p: *const u8, n: usize) -> Vec<f64> {
    // SAFETY: only called on pointers placed with room for `n` values.
    (0..n)
        .map(|k| unsafe { core::ptr::read_unaligned((p as *const f64).add(k)) })
        .collect()
}

/// A dozen representative C entry points (f64) with buffers of arbitrary placement (NULL,
/// misaligned, overlapping), sizes (0, mismatched, overflowing), contents (NaN/±∞, huge,
/// subnormal) and struct fields, and callbacks failing at call k: no crash; the status is OK
/// or a `LOSSMAP_ERR_*` code; bad input (NULL, empty, non-finite, length, parameter, symmetry,
/// aliasing) changes no byte of any buffer; a failure during the run leaves `x` finite; OK
/// only with every pointer aligned and every written buffer disjoint from the others, and
/// finite results.
pub fn capi(data: &[u8]) {
    use lossmap::capi::*;
    use lossmap::optim::Stop;
    use std::mem::size_of;
    let mut i = In::new(data);
    let which = i.below(12);
    let n = match i.byte() {
        t @ 0..=249 => (t % 7) as usize,
        250..=252 => usize::MAX,
        253 => usize::MAX / 8 + 1,
        _ => 1usize << 61,
    };
    let sane = n <= 8;
    let m = if i.flag() {
        n.saturating_add(i.below(4))
    } else {
        i.below(10)
    };
    let d = if sane { n } else { 0 };
    let mut ar = Arena {
        mem: vec![0u64; (REGIONS + 1) * REGION / 8],
        bufs: Vec::new(),
    };
    // background: small multiples of 1/4 with some specials, from a seed
    let mut seed = i.raw(2);
    for w in ar.mem.iter_mut() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (seed >> 58) as usize;
        let v = if k < 32 {
            SPECIAL[k]
        } else {
            (k as f64 - 48.0) / 4.0
        };
        *w = v.to_bits();
    }
    let mut obj = Obj::<f64, 8>::read(&mut i);
    obj.kind %= 3;
    let mut cx = CCtx {
        obj,
        fail_status: i.flag(),
    };
    let ctx = &mut cx as *mut CCtx as *mut core::ffi::c_void;
    let f8 = size_of::<f64>();
    let wl = |len: usize| if sane { len.saturating_mul(f8) } else { 0 };
    // common buffers
    // x (not an argument of sym_eigen); the derivative and classification entries only read it
    let x = if which == 8 {
        core::ptr::null_mut()
    } else {
        let p = ar.place(&mut i, wl(d), 8, matches!(which, 2..=6 | 9), false);
        ar.fill(&mut i, p, d);
        p
    };
    let stop_struct = |i: &mut In| {
        let mut s = Stop::<f64>::default();
        s.max_iter = i.below(64);
        if i.flag() {
            s.grad_tol = i.real();
            s.rel_tol = i.real();
            s.window = i.below(70);
            s.step_tol = i.real();
            s.max_evals = i.count();
        }
        s
    };
    let rc: i32;
    let mut x_written = false;
    let mut outs: Vec<(*const u8, usize)> = Vec::new(); // results that must be finite on OK
    macro_rules! put_struct {
        ($ty:ty, $val:expr, $written:expr, $nullable:expr) => {{
            let p = ar.place(
                &mut i,
                size_of::<$ty>(),
                core::mem::align_of::<$ty>(),
                $written,
                $nullable,
            );
            if i.byte() < 230 {
                let v: $ty = $val;
                ar.put(p, v);
            }
            p as *mut $ty
        }};
    }
    // the snapshot is taken right before the call, after every placement and fill
    let snap: Vec<u64>;
    macro_rules! call {
        ($e:expr) => {{
            snap = ar.mem.clone();
            // SAFETY: every pointer is NULL or inside the arena with room for its honest
            // length; the callbacks and their context outlive the call.
            unsafe { $e }
        }};
    }
    match which {
        0 | 1 | 10 | 11 => {
            let (wlen, olen) = match which {
                0 => (lossmap_gradient_central_work_len(d), d),
                11 => (lossmap_gradient_forward_work_len(d), d),
                1 => (lossmap_hessian_work_len(d), d * d),
                _ => (lossmap_hessian_richardson_work_len(d), d * d),
            };
            let work = ar.place(&mut i, wl(wlen), 8, true, false) as *mut f64;
            ar.scratch(1);
            let out = ar.place(&mut i, wl(olen), 8, true, false) as *mut f64;
            let evals = ar.place(&mut i, size_of::<usize>(), 8, true, true) as *mut usize;
            let f: lossmap_loss_f64 = if i.byte() == 7 { None } else { Some(c_loss) };
            rc = match which {
                0 => call!(lossmap_gradient_central_f64(
                    f,
                    ctx,
                    x as *const f64,
                    n,
                    work,
                    out,
                    evals
                )),
                11 => call!(lossmap_gradient_forward_f64(
                    f,
                    ctx,
                    x as *const f64,
                    n,
                    work,
                    out,
                    evals
                )),
                1 => call!(lossmap_hessian_f64(
                    f,
                    ctx,
                    x as *const f64,
                    n,
                    work,
                    out,
                    evals
                )),
                _ => call!(lossmap_hessian_richardson_f64(
                    f,
                    ctx,
                    x as *const f64,
                    n,
                    work,
                    out,
                    evals
                )),
            };
            outs.push((out as *const u8, olen));
        }
        2 | 3 => {
            let mv = [(); 2].map(|_| {
                let p = ar.place(&mut i, wl(d), 8, true, false);
                ar.fill(&mut i, p, d);
                p as *mut f64
            });
            let sn = if i.byte() < 240 { n } else { i.below(8) };
            let mut config = lossmap::optim::AdamConfig::<f64>::default();
            if i.flag() {
                config.lr = i.real();
                config.beta1 = i.real();
                config.beta2 = i.real();
                config.eps = i.real();
                config.weight_decay = i.real();
            }
            let step = i.byte() as u32;
            let s = ar.place(&mut i, size_of::<LossmapAdam<f64>>(), 8, true, false);
            // always typed: the instance holds pointers
            ar.put(
                s,
                LossmapAdam {
                    config,
                    step,
                    bias: lossmap::optim::AdamBias::EMPTY,
                    n: sn,
                    m: mv[0],
                    v: mv[1],
                },
            );
            let stop = put_struct!(Stop<f64>, stop_struct(&mut i), false, false);
            let work = ar.place(
                &mut i,
                wl(lossmap_minimize_adam_work_len(d)),
                8,
                true,
                false,
            ) as *mut f64;
            ar.scratch(1);
            let report = put_struct!(
                LossmapReport<f64>,
                unsafe { core::mem::zeroed() },
                true,
                true
            );
            let kind = match i.byte() {
                0..=250 => LOSSMAP_OPTIMIZER_ADAM,
                251 => 0,
                252 => 99,
                _ => -1,
            };
            rc = if which == 2 {
                call!(lossmap_minimize_adam_f64(
                    Some(c_loss),
                    ctx,
                    x as *mut f64,
                    n,
                    s as *mut _,
                    stop,
                    work,
                    report
                ))
            } else {
                call!(lossmap_minimize_ex_f64(
                    Some(c_loss),
                    ctx,
                    x as *mut f64,
                    n,
                    kind,
                    s as *mut core::ffi::c_void,
                    core::ptr::null_mut(),
                    None,
                    core::ptr::null_mut(),
                    stop,
                    work,
                    report
                ))
            };
            x_written = true;
            check_struct(rc, report as *const LossmapReport<f64>);
        }
        4 => {
            let mut cfg = lossmap::optim::NewtonConfig::<f64>::default();
            if i.flag() {
                cfg.c1 = i.real();
                cfg.backtrack = i.real();
                cfg.max_backtracks = i.below(60);
                cfg.beta = i.real();
            }
            let config = put_struct!(lossmap::optim::NewtonConfig<f64>, cfg, false, false);
            let stop = put_struct!(Stop<f64>, stop_struct(&mut i), false, false);
            let work = ar.place(&mut i, wl(lossmap_newton_work_len(d)), 8, true, false) as *mut f64;
            ar.scratch(1);
            let report = put_struct!(
                LossmapNewtonReport<f64>,
                unsafe { core::mem::zeroed() },
                true,
                true
            );
            rc = call!(lossmap_newton_f64(
                Some(c_loss),
                ctx,
                x as *mut f64,
                n,
                config,
                stop,
                work,
                report
            ));
            x_written = true;
            check_struct(rc, report as *const LossmapNewtonReport<f64>);
        }
        5 => {
            let ms = if sane && m <= 16 { m } else { 0 };
            let bounded = i.flag();
            let (lo, up) = if bounded {
                let lo = ar.place(&mut i, wl(d), 8, false, true);
                ar.fill(&mut i, lo, d);
                let up = ar.place(&mut i, wl(d), 8, false, true);
                ar.fill(&mut i, up, d);
                (lo as *const f64, up as *const f64)
            } else {
                (core::ptr::null(), core::ptr::null())
            };
            let mut cfg = lossmap::nlls::LmConfig::<f64>::default();
            cfg.max_evals = i.below(200);
            if i.flag() {
                cfg.ftol = i.real();
                cfg.xtol = i.real();
                cfg.gtol = i.real();
                cfg.factor = i.real();
            }
            let config = put_struct!(lossmap::nlls::LmConfig<f64>, cfg, false, false);
            let work = ar.place(
                &mut i,
                wl(lossmap_levenberg_marquardt_work_len(ms, d)),
                8,
                true,
                false,
            ) as *mut f64;
            ar.scratch(1);
            let report = put_struct!(
                LossmapLsqReport<f64>,
                unsafe { core::mem::zeroed() },
                true,
                true
            );
            rc = call!(lossmap_levenberg_marquardt_f64(
                Some(c_res),
                None,
                ctx,
                x as *mut f64,
                n,
                m,
                lo,
                up,
                config,
                work,
                report
            ));
            x_written = true;
            check_struct(rc, report as *const LossmapLsqReport<f64>);
        }
        6 => {
            let g: lossmap_grad_f64 = if i.flag() { Some(c_grad) } else { None };
            let mut cfg = lossmap::optim::QuasiNewtonConfig::<f64>::default();
            if i.flag() {
                cfg.c1 = i.real();
                cfg.c2 = i.real();
                cfg.xtol = i.real();
                cfg.max_line_evals = i.below(30);
                cfg.ftol = i.real();
            }
            let config = put_struct!(lossmap::optim::QuasiNewtonConfig<f64>, cfg, false, false);
            let stop = put_struct!(Stop<f64>, stop_struct(&mut i), false, false);
            let work = ar.place(&mut i, wl(lossmap_bfgs_work_len(d)), 8, true, false) as *mut f64;
            ar.scratch(1);
            let report = put_struct!(
                LossmapQuasiNewtonReport<f64>,
                unsafe { core::mem::zeroed() },
                true,
                true
            );
            rc = call!(lossmap_bfgs_f64(
                Some(c_loss),
                g,
                ctx,
                x as *mut f64,
                n,
                config,
                stop,
                work,
                report
            ));
            x_written = true;
            check_struct(rc, report as *const LossmapQuasiNewtonReport<f64>);
        }
        7 => {
            let mut t = lossmap::landscape::Tolerance::<f64>::default();
            if i.flag() {
                t.grad = i.real();
                t.zero_rel = i.real();
            }
            let tol = put_struct!(lossmap::landscape::Tolerance<f64>, t, false, false);
            let work =
                ar.place(&mut i, wl(lossmap_classify_at_work_len(d)), 8, true, false) as *mut f64;
            ar.scratch(1);
            let point = ar.place(
                &mut i,
                size_of::<LossmapCriticalPoint>(),
                core::mem::align_of::<LossmapCriticalPoint>(),
                true,
                true,
            );
            let summary = ar.place(
                &mut i,
                size_of::<lossmap::landscape::CurvatureSummary<f64>>(),
                8,
                true,
                true,
            );
            rc = call!(lossmap_classify_at_f64(
                Some(c_loss),
                ctx,
                x as *const f64,
                n,
                tol,
                work,
                point as *mut _,
                summary as *mut _
            ));
            if rc == 0 && !summary.is_null() {
                // SAFETY: OK implies `summary` was aligned and written; it lies in the arena.
                let s = unsafe {
                    core::ptr::read_unaligned(
                        summary as *const lossmap::landscape::CurvatureSummary<f64>,
                    )
                };
                assert!(summary_ok(&s), "OK with {s:?}");
            }
        }
        8 => {
            let a = ar.place(&mut i, wl(d * d), 8, false, false);
            let sym = i.flag();
            let mut vals = vec![0.0f64; d * d];
            for r in 0..d {
                for c in 0..d {
                    vals[r * d + c] = if sym && c < r {
                        vals[c * d + r]
                    } else {
                        i.real()
                    };
                }
            }
            for (k, v) in vals.into_iter().enumerate().filter(|_| !a.is_null()) {
                ar.put((a as *mut f64).wrapping_add(k) as *mut u8, v);
            }
            let work =
                ar.place(&mut i, wl(lossmap_sym_eigen_work_len(d)), 8, true, false) as *mut f64;
            ar.scratch(2);
            let values = ar.place(&mut i, wl(d), 8, true, false) as *mut f64;
            ar.scratch(2);
            let vectors = ar.place(&mut i, wl(d * d), 8, true, false) as *mut f64;
            ar.scratch(2);
            rc = call!(lossmap_sym_eigen_f64(
                a as *const f64,
                n,
                work,
                values,
                vectors
            ));
            outs.push((values as *const u8, d));
            outs.push((vectors as *const u8, d * d));
        }
        _ => {
            let lo = ar.place(&mut i, wl(d), 8, false, false);
            ar.fill(&mut i, lo, d);
            let up = ar.place(&mut i, wl(d), 8, false, false);
            ar.fill(&mut i, up, d);
            let mut hc = lossmap::global::HoppingConfig::<f64>::default();
            hc.budget.max_evals = i.below(300);
            hc.budget.max_iter = i.below(40);
            if i.flag() {
                hc.temperature = i.real();
                hc.step = i.real();
                hc.adaptive = i.byte() % 3;
                hc.target_accept = i.real();
                hc.interval = i.below(10);
                hc.factor = i.real();
                hc.stall = i.below(10);
            }
            let config = put_struct!(lossmap::global::HoppingConfig<f64>, hc, false, false);
            let mut pg = lossmap::global::ProjectedGradient::<f64>::default();
            pg.max_iter = i.below(6);
            // Any of the three polish kinds; the L-BFGS history goes after the method's work.
            let mut pol = lossmap::capi::LossmapPolish::<f64>::default();
            pol.kind = [
                lossmap::capi::LOSSMAP_POLISH_PROJECTED_GRADIENT,
                lossmap::capi::LOSSMAP_POLISH_LBFGS,
                lossmap::capi::LOSSMAP_POLISH_NONE,
            ][i.below(3)];
            pol.projected_gradient = pg;
            pol.lbfgs.memory = 1 + i.below(4);
            pol.lbfgs.max_iter = i.below(6);
            let polish_len = lossmap::capi::lossmap_polish_len(pol.kind, d, pol.lbfgs.memory);
            let polish = put_struct!(lossmap::capi::LossmapPolish<f64>, pol, false, true);
            let state = put_struct!(
                lossmap::global::HoppingState<f64>,
                unsafe { core::mem::zeroed() },
                true,
                false
            );
            let rng = put_struct!(
                lossmap::random::SplitMix64,
                lossmap::random::SplitMix64::new(i.raw(8)),
                true,
                false
            );
            let work = ar.place(
                &mut i,
                wl(lossmap_hopping_work_len(d) + polish_len),
                8,
                true,
                false,
            ) as *mut f64;
            ar.scratch(1);
            let report = put_struct!(
                LossmapSearchReport<f64>,
                unsafe { core::mem::zeroed() },
                true,
                true
            );
            rc = call!(lossmap_hopping_f64(
                Some(c_loss),
                ctx,
                lo as *const f64,
                up as *const f64,
                n,
                config,
                polish,
                state,
                rng,
                x as *mut f64,
                work,
                report
            ));
            x_written = true;
            check_struct(rc, report as *const LossmapSearchReport<f64>);
        }
    }
    let codes = [
        LOSSMAP_ERR_NULL,
        LOSSMAP_ERR_EMPTY,
        LOSSMAP_ERR_NON_FINITE,
        LOSSMAP_ERR_LENGTH,
        LOSSMAP_ERR_PARAM,
        LOSSMAP_ERR_LOSS_NON_FINITE,
        LOSSMAP_ERR_GRAD_NON_FINITE,
        LOSSMAP_ERR_NOT_SYMMETRIC,
        LOSSMAP_ERR_NOT_POS_DEF,
        LOSSMAP_ERR_NO_CONVERGENCE,
        LOSSMAP_ERR_ALIASED,
    ];
    assert!(rc == 0 || codes.contains(&rc), "entry {which}: status {rc}");
    let bad_input = [
        LOSSMAP_ERR_NULL,
        LOSSMAP_ERR_EMPTY,
        LOSSMAP_ERR_NON_FINITE,
        LOSSMAP_ERR_LENGTH,
        LOSSMAP_ERR_PARAM,
        LOSSMAP_ERR_NOT_SYMMETRIC,
        LOSSMAP_ERR_ALIASED,
    ];
    if rc == 0 {
        assert!(sane, "entry {which}: OK with n = {n}");
        for b in ar.bufs.iter().filter(|b| !b.p.is_null()) {
            assert!(
                b.p as usize % b.align == 0,
                "entry {which}: OK with misaligned {b:?}"
            );
        }
        let live: Vec<Buf> = ar
            .bufs
            .iter()
            .copied()
            .filter(|b| !b.p.is_null() && b.bytes > 0)
            .collect();
        for (k, w) in live.iter().enumerate().filter(|(_, b)| b.written) {
            for (j, o) in live.iter().enumerate() {
                let (a0, a1) = (w.p as usize, w.p as usize + w.bytes);
                let (b0, b1) = (o.p as usize, o.p as usize + o.bytes);
                assert!(
                    k == j || a1 <= b0 || b1 <= a0,
                    "entry {which}: OK with {w:?} overlapping {o:?}"
                );
            }
        }
        for &(p, len) in &outs {
            let v = read_f64s(p, len);
            assert!(finite(&v), "entry {which}: OK with {v:?}");
        }
        if x_written {
            let v = read_f64s(x, d);
            assert!(finite(&v), "entry {which}: OK with x = {v:?}");
        }
    } else if bad_input.contains(&rc) {
        // Bad input found on entry changes nothing; once the callback has run only `work` may
        // hold intermediate values (and `sym_eigen`'s outputs after an eigenvalue overflow).
        let ran = cx.obj.calls > 0;
        let base = ar.base() as usize;
        let may = |off: usize| {
            ar.bufs.iter().any(|b| {
                let s = (b.p as usize).wrapping_sub(base);
                let ok =
                    (b.scratch == 1 && ran) || (b.scratch == 2 && rc == LOSSMAP_ERR_NON_FINITE);
                ok && !b.p.is_null() && off + 8 > s && off < s + b.bytes
            })
        };
        let changed: Vec<usize> = ar
            .mem
            .iter()
            .zip(&snap)
            .enumerate()
            .filter(|(k, (a, b))| a != b && !may(8 * k))
            .map(|(k, _)| 8 * k)
            .collect();
        if !changed.is_empty() {
            let bufs: Vec<(usize, usize, bool, u8)> = ar
                .bufs
                .iter()
                .map(|b| {
                    (
                        (b.p as usize).wrapping_sub(base),
                        b.bytes,
                        b.written,
                        b.scratch,
                    )
                })
                .collect();
            panic!(
                "entry {which}: status {rc} (callback ran: {ran}) changed the bytes at {changed:?} of the buffers (offset, bytes, written, scratch) {bufs:?}"
            );
        }
    } else if x_written {
        let v = read_f64s(x, d);
        assert!(finite(&v), "entry {which}: status {rc} left x = {v:?}");
    }
}
