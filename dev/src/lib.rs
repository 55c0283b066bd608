//! lossmap's measurement harness (not published): the Adam step of lossmap side by side with
//! the same formula in C (unchecked; checked with lossmap's guarantees on the buffers; strict,
//! which also validates its state at every step) and in a plain Rust loop, for the criterion
//! bench (`benches/adam.rs`), the instruction counts under callgrind (`cost-adam`) and the
//! report (`cost-report`, driven by `scripts/cost`).
//!
//! The C is `c/ref_adam.c`, compiled by `build.rs` with the `cc` crate (see there for flags);
//! [`Isa`] picks which build.
//!
//! Every implementation runs torch's Adam (weight decay 0, defaults lr = 1e-3, β = (0.9, 0.999),
//! ε = 1e-8) on the same [`Work`] buffers; [`dispatch`] runs one of them.
#![deny(missing_docs)]

use lossmap::optim::{adam_step, Adam, AdamBias, AdamConfig, Optimizer};
use std::hint::black_box;

/// The C state (`ref_adam_f32` / `ref_adam_f64` in `c/ref_adam.h`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RefAdam<T> {
    /// Learning rate.
    pub lr: T,
    /// β₁.
    pub beta1: T,
    /// β₂.
    pub beta2: T,
    /// ε.
    pub eps: T,
    /// β₁ᵗ (running product).
    pub b1t: T,
    /// β₂ᵗ (running product).
    pub b2t: T,
    /// Steps taken.
    pub t: u32,
}

/// Which build of the reference C to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// `-O3 -march=native -fno-math-errno`: for timing on this machine.
    Native,
    /// `-O3 -march=x86-64-v3 -fno-math-errno` (AVX2 + FMA): for callgrind, which cannot
    /// decode AVX-512.
    V3,
    /// `-O3 -march=native` (C's default errno semantics: `sqrt` of a negative must set
    /// `errno`, which keeps gcc from vectorizing the loop).
    NativeErrno,
    /// `-O3 -march=x86-64-v3`, errno semantics.
    V3Errno,
}

impl Isa {
    /// The same ISA with C's default errno semantics.
    pub fn errno(self) -> Isa {
        match self {
            Isa::Native | Isa::NativeErrno => Isa::NativeErrno,
            Isa::V3 | Isa::V3Errno => Isa::V3Errno,
        }
    }
}

mod ffi {
    use super::RefAdam;

    macro_rules! decl {
        ($($init:ident $unchecked:ident $checked:ident $strict:ident $stream:ident: $t:ty;)*) => {
            extern "C" {
                $(
                    pub fn $init(s: *mut RefAdam<$t>, lr: $t, b1: $t, b2: $t, eps: $t) -> i32;
                    pub fn $unchecked(
                        s: *mut RefAdam<$t>, x: *mut $t, g: *const $t, m: *mut $t, v: *mut $t,
                        n: usize,
                    );
                    pub fn $checked(
                        s: *mut RefAdam<$t>, x: *mut $t, g: *const $t, m: *mut $t, v: *mut $t,
                        n: usize,
                    ) -> i32;
                    pub fn $strict(
                        s: *mut RefAdam<$t>, x: *mut $t, g: *const $t, m: *mut $t, v: *mut $t,
                        n: usize,
                    ) -> i32;
                    pub fn $stream(x: *mut $t, g: *const $t, m: *mut $t, v: *mut $t, n: usize);
                )*
            }
        };
    }

    decl! {
        ref_native_adam_init_f32 ref_native_adam_unchecked_f32 ref_native_adam_checked_f32
            ref_native_adam_strict_f32
            ref_native_stream_f32: f32;
        ref_native_adam_init_f64 ref_native_adam_unchecked_f64 ref_native_adam_checked_f64
            ref_native_adam_strict_f64
            ref_native_stream_f64: f64;
        ref_v3_adam_init_f32 ref_v3_adam_unchecked_f32 ref_v3_adam_checked_f32
            ref_v3_adam_strict_f32
            ref_v3_stream_f32: f32;
        ref_v3_adam_init_f64 ref_v3_adam_unchecked_f64 ref_v3_adam_checked_f64
            ref_v3_adam_strict_f64
            ref_v3_stream_f64: f64;
        ref_native_errno_adam_init_f32 ref_native_errno_adam_unchecked_f32
            ref_native_errno_adam_checked_f32 ref_native_errno_adam_strict_f32 ref_native_errno_stream_f32: f32;
        ref_native_errno_adam_init_f64 ref_native_errno_adam_unchecked_f64
            ref_native_errno_adam_checked_f64 ref_native_errno_adam_strict_f64 ref_native_errno_stream_f64: f64;
        ref_v3_errno_adam_init_f32 ref_v3_errno_adam_unchecked_f32
            ref_v3_errno_adam_checked_f32 ref_v3_errno_adam_strict_f32 ref_v3_errno_stream_f32: f32;
        ref_v3_errno_adam_init_f64 ref_v3_errno_adam_unchecked_f64
            ref_v3_errno_adam_checked_f64 ref_v3_errno_adam_strict_f64 ref_v3_errno_stream_f64: f64;
    }
}

/// The function table of one C build for one scalar type (see [`Elem::c_fns`]).
#[derive(Debug, Clone, Copy)]
pub struct CFns<T: 'static> {
    init: unsafe extern "C" fn(*mut RefAdam<T>, T, T, T, T) -> i32,
    unchecked: unsafe extern "C" fn(*mut RefAdam<T>, *mut T, *const T, *mut T, *mut T, usize),
    checked: unsafe extern "C" fn(*mut RefAdam<T>, *mut T, *const T, *mut T, *mut T, usize) -> i32,
    strict: unsafe extern "C" fn(*mut RefAdam<T>, *mut T, *const T, *mut T, *mut T, usize) -> i32,
    stream: unsafe extern "C" fn(*mut T, *const T, *mut T, *mut T, usize),
}

/// A scalar the harness measures: f32 or f64.
pub trait Elem: lossmap::Real + Default + core::fmt::Debug + 'static {
    /// √ through `std` (what a plain Rust loop uses).
    fn std_sqrt(self) -> Self;
    /// The reference C functions of build `isa` for this type.
    fn c_fns(isa: Isa) -> CFns<Self>;
}

macro_rules! elem {
    ($t:ty, $([$isa:ident: $i:ident $u:ident $c:ident $x:ident $s:ident]),* $(,)?) => {
        impl Elem for $t {
            fn std_sqrt(self) -> Self {
                self.sqrt()
            }
            fn c_fns(isa: Isa) -> CFns<Self> {
                match isa {
                    $(Isa::$isa => CFns {
                        init: ffi::$i,
                        unchecked: ffi::$u,
                        checked: ffi::$c,
                        strict: ffi::$x,
                        stream: ffi::$s,
                    },)*
                }
            }
        }
    };
}

elem!(
    f32,
    [Native: ref_native_adam_init_f32 ref_native_adam_unchecked_f32
        ref_native_adam_checked_f32 ref_native_adam_strict_f32 ref_native_stream_f32],
    [V3: ref_v3_adam_init_f32 ref_v3_adam_unchecked_f32 ref_v3_adam_checked_f32
        ref_v3_adam_strict_f32
        ref_v3_stream_f32],
    [NativeErrno: ref_native_errno_adam_init_f32 ref_native_errno_adam_unchecked_f32
        ref_native_errno_adam_checked_f32 ref_native_errno_adam_strict_f32 ref_native_errno_stream_f32],
    [V3Errno: ref_v3_errno_adam_init_f32 ref_v3_errno_adam_unchecked_f32
        ref_v3_errno_adam_checked_f32 ref_v3_errno_adam_strict_f32 ref_v3_errno_stream_f32],
);
elem!(
    f64,
    [Native: ref_native_adam_init_f64 ref_native_adam_unchecked_f64
        ref_native_adam_checked_f64 ref_native_adam_strict_f64 ref_native_stream_f64],
    [V3: ref_v3_adam_init_f64 ref_v3_adam_unchecked_f64 ref_v3_adam_checked_f64
        ref_v3_adam_strict_f64
        ref_v3_stream_f64],
    [NativeErrno: ref_native_errno_adam_init_f64 ref_native_errno_adam_unchecked_f64
        ref_native_errno_adam_checked_f64 ref_native_errno_adam_strict_f64 ref_native_errno_stream_f64],
    [V3Errno: ref_v3_errno_adam_init_f64 ref_v3_errno_adam_unchecked_f64
        ref_v3_errno_adam_checked_f64 ref_v3_errno_adam_strict_f64 ref_v3_errno_stream_f64],
);

/// The hyperparameters every implementation uses: torch's defaults.
pub fn config<T: Elem>() -> AdamConfig<T> {
    AdamConfig::default()
}

/// Parameters, gradient and moments of one problem of size `n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Work<T> {
    /// Parameters θ.
    pub x: Vec<T>,
    /// Gradient (constant over the steps).
    pub g: Vec<T>,
    /// First moment.
    pub m: Vec<T>,
    /// Second moment.
    pub v: Vec<T>,
}

impl<T: Elem> Work<T> {
    /// Deterministic data: θᵢ = 0.5 + 0.01·(i mod 7), gᵢ = sin(0.37·i + 0.1), zero moments.
    pub fn new(n: usize) -> Self {
        Work {
            x: (0..n)
                .map(|i| T::from_f64(0.5 + 0.01 * (i % 7) as f64))
                .collect(),
            g: (0..n)
                .map(|i| T::from_f64((0.37 * i as f64 + 0.1).sin()))
                .collect(),
            m: vec![T::ZERO; n],
            v: vec![T::ZERO; n],
        }
    }

    /// Problem size.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// `true` for size 0.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}

/// The reference C optimizer state with its build.
#[derive(Debug, Clone, Copy)]
pub struct CAdam<T: 'static> {
    fns: CFns<T>,
    state: RefAdam<T>,
}

impl<T: Elem> CAdam<T> {
    /// A fresh C optimizer with [`config`]'s hyperparameters, calling build `isa`.
    pub fn new(isa: Isa) -> Self {
        let fns = T::c_fns(isa);
        let c = config::<T>();
        let mut state = RefAdam::default();
        // SAFETY: `state` is a valid, exclusive `RefAdam<T>`; the hyperparameters are valid.
        let rc = unsafe { (fns.init)(&mut state, c.lr, c.beta1, c.beta2, c.eps) };
        assert_eq!(rc, 0, "reference C rejected the default hyperparameters");
        CAdam { fns, state }
    }

    /// Steps taken.
    pub fn steps(&self) -> u32 {
        self.state.t
    }

    /// One unchecked step on `w`.
    #[inline]
    pub fn unchecked(&mut self, w: &mut Work<T>) {
        let n = checked_len(w);
        // SAFETY: four distinct vectors of length n (checked), the state is exclusive.
        unsafe {
            (self.fns.unchecked)(
                &mut self.state,
                w.x.as_mut_ptr(),
                w.g.as_ptr(),
                w.m.as_mut_ptr(),
                w.v.as_mut_ptr(),
                n,
            )
        }
    }

    /// One checked step on `w`: `false` (and nothing written) when a check failed.
    #[inline]
    pub fn checked(&mut self, w: &mut Work<T>) -> bool {
        let n = checked_len(w);
        // SAFETY: as in `unchecked`.
        let rc = unsafe {
            (self.fns.checked)(
                &mut self.state,
                w.x.as_mut_ptr(),
                w.g.as_ptr(),
                w.m.as_mut_ptr(),
                w.v.as_mut_ptr(),
                n,
            )
        };
        rc == 0
    }

    /// One strict step on `w` (checked, and the state validated first, every step): `false`
    /// (and nothing written) when a check failed.
    #[inline]
    pub fn strict(&mut self, w: &mut Work<T>) -> bool {
        let n = checked_len(w);
        // SAFETY: as in `unchecked`.
        let rc = unsafe {
            (self.fns.strict)(
                &mut self.state,
                w.x.as_mut_ptr(),
                w.g.as_ptr(),
                w.m.as_mut_ptr(),
                w.v.as_mut_ptr(),
                n,
            )
        };
        rc == 0
    }

    /// The memory traffic of a step: reads θ, g, m, v, writes θ, m, v (one add each).
    #[inline]
    pub fn stream(&self, w: &mut Work<T>) {
        let n = checked_len(w);
        // SAFETY: as in `unchecked`.
        unsafe {
            (self.fns.stream)(
                w.x.as_mut_ptr(),
                w.g.as_ptr(),
                w.m.as_mut_ptr(),
                w.v.as_mut_ptr(),
                n,
            )
        }
    }
}

fn checked_len<T>(w: &Work<T>) -> usize {
    let n = w.x.len();
    assert!(w.g.len() == n && w.m.len() == n && w.v.len() == n);
    n
}

/// The plain Rust loop: the C unchecked step transcribed (running products for βᵗ, `std`'s
/// square root, iterators, no checks).
#[derive(Debug, Clone, Copy)]
pub struct PlainAdam<T> {
    cfg: AdamConfig<T>,
    b1t: T,
    b2t: T,
}

impl<T: Elem> PlainAdam<T> {
    /// A fresh optimizer with [`config`]'s hyperparameters.
    pub fn new() -> Self {
        PlainAdam {
            cfg: config(),
            b1t: T::ONE,
            b2t: T::ONE,
        }
    }

    /// One step on `w`.
    #[inline]
    pub fn step(&mut self, w: &mut Work<T>) {
        let AdamConfig {
            lr,
            beta1: b1,
            beta2: b2,
            eps,
            ..
        } = self.cfg;
        let (c1, c2) = (T::ONE - b1, T::ONE - b2);
        // Flushed below 2⁻⁶⁰ as lossmap and the C do (see `c/ref_adam.c`): an unflushed
        // product sticks at the smallest subnormal, slow on x86 at every later step.
        let tiny = T::from_f64(8.673_617_379_884_035e-19);
        self.b1t = if self.b1t * b1 < tiny {
            T::ZERO
        } else {
            self.b1t * b1
        };
        self.b2t = if self.b2t * b2 < tiny {
            T::ZERO
        } else {
            self.b2t * b2
        };
        let step = lr / (T::ONE - self.b1t);
        let bc2s = (T::ONE - self.b2t).std_sqrt();
        for (((x, &g), m), v) in w.x.iter_mut().zip(&w.g).zip(&mut w.m).zip(&mut w.v) {
            let mi = b1 * *m + c1 * g;
            let vi = b2 * *v + c2 * (g * g);
            *m = mi;
            *v = vi;
            *x -= step * (mi / (vi.std_sqrt() / bc2s + eps));
        }
    }
}

impl<T: Elem> Default for PlainAdam<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// An implementation of the step, by name (the names the bench, `cost-adam` and the report
/// share).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    /// lossmap's slice kernel [`adam_step`].
    LossmapSlice,
    /// lossmap's typed [`Adam<T, N>`] through [`Optimizer::step`].
    LossmapTyped,
    /// The reference C, unchecked.
    CUnchecked,
    /// The reference C, unchecked, built without `-fno-math-errno` (a plain `cc -O3
    /// -march=…` build: scalar, since `sqrt`'s errno path blocks vectorization).
    CErrno,
    /// The reference C with lossmap's guarantees on the buffers (validate read-only, then
    /// update); its state is checked by init only.
    CChecked,
    /// [`CChecked`](Impl::CChecked) that also validates its state (hyperparameters, running
    /// products) at every step, as lossmap validates its caller-writable config and cache.
    CStrict,
    /// [`PlainAdam`].
    RustPlain,
    /// The memory-traffic loop ([`CAdam::stream`]).
    Stream,
}

impl Impl {
    /// Every implementation, in table order.
    pub const ALL: [Impl; 8] = [
        Impl::LossmapSlice,
        Impl::LossmapTyped,
        Impl::CUnchecked,
        Impl::CErrno,
        Impl::CChecked,
        Impl::CStrict,
        Impl::RustPlain,
        Impl::Stream,
    ];

    /// Short name (command-line argument, bench id).
    pub fn name(self) -> &'static str {
        match self {
            Impl::LossmapSlice => "lossmap-slice",
            Impl::LossmapTyped => "lossmap-typed",
            Impl::CUnchecked => "c-unchecked",
            Impl::CErrno => "c-errno",
            Impl::CChecked => "c-checked",
            Impl::CStrict => "c-strict",
            Impl::RustPlain => "rust-plain",
            Impl::Stream => "stream",
        }
    }

    /// The implementation called `name`.
    pub fn parse(name: &str) -> Option<Impl> {
        Impl::ALL.into_iter().find(|i| i.name() == name)
    }
}

/// The sizes measured.
pub const SIZES: [usize; 4] = [8, 64, 1024, 65536];

/// What to do with one implementation's step function: [`dispatch`] builds the
/// implementation's state and hands a closure stepping it to [`visit`](Visit::visit), as a
/// concrete type (no dynamic call in the measured loop).
pub trait Visit<T: Elem> {
    /// The result of the visit.
    type Out;
    /// Called once with a step on a [`Work`] of the size given to [`dispatch`]; the closure
    /// returns `false` when the implementation reported an error.
    fn visit<S: FnMut(&mut Work<T>) -> bool>(self, step: S) -> Self::Out;
}

/// Builds `which` for size `n` (C build `isa`) and visits its step. `None` when `which` is
/// [`Impl::LossmapTyped`] and `n` is not 8, 16, 64, 1024 or 65536 (its monomorphizations).
pub fn dispatch<T: Elem, V: Visit<T>>(which: Impl, n: usize, isa: Isa, v: V) -> Option<V::Out> {
    Some(match which {
        Impl::LossmapSlice => {
            // On the heap like the typed optimizer's, and opaque, as the C's state is to its
            // step and a caller's is to the library: no constant of the configuration or the
            // cache is folded into the measured step.
            let mut state = Box::new((config::<T>(), 0u32, AdamBias::EMPTY));
            v.visit(move |w: &mut Work<T>| {
                let (cfg, t, bias) = black_box(&mut *state);
                adam_step(cfg, t, bias, &mut w.m, &mut w.v, &mut w.x, &w.g).is_ok()
            })
        }
        Impl::LossmapTyped => match n {
            8 => typed::<T, V, 8>(v),
            16 => typed::<T, V, 16>(v),
            64 => typed::<T, V, 64>(v),
            1024 => typed::<T, V, 1024>(v),
            65536 => typed::<T, V, 65536>(v),
            _ => return None,
        },
        Impl::CUnchecked => {
            let mut c = CAdam::<T>::new(isa);
            v.visit(move |w: &mut Work<T>| {
                c.unchecked(w);
                true
            })
        }
        Impl::CErrno => {
            let mut c = CAdam::<T>::new(isa.errno());
            v.visit(move |w: &mut Work<T>| {
                c.unchecked(w);
                true
            })
        }
        Impl::CChecked => {
            let mut c = CAdam::<T>::new(isa);
            v.visit(move |w: &mut Work<T>| c.checked(w))
        }
        Impl::CStrict => {
            let mut c = CAdam::<T>::new(isa);
            v.visit(move |w: &mut Work<T>| c.strict(w))
        }
        Impl::RustPlain => {
            let mut p = PlainAdam::<T>::new();
            v.visit(move |w: &mut Work<T>| {
                black_box(&mut p).step(w);
                true
            })
        }
        Impl::Stream => {
            let c = CAdam::<T>::new(isa);
            v.visit(move |w: &mut Work<T>| {
                c.stream(w);
                true
            })
        }
    })
}

/// Visits `Adam<T, N>` (boxed: at N = 65536, f64, it holds 1 MiB of moments).
fn typed<T: Elem, V: Visit<T>, const N: usize>(v: V) -> V::Out {
    let mut adam = Box::new(Adam::<T, N>::new(config()).expect("default config is valid"));
    v.visit(move |w: &mut Work<T>| black_box(&mut *adam).step(&mut w.x, &w.g).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs 50 steps and returns θ.
    struct Fifty(usize);

    impl<T: Elem> Visit<T> for Fifty {
        type Out = Vec<T>;
        fn visit<S: FnMut(&mut Work<T>) -> bool>(self, mut step: S) -> Vec<T> {
            let mut w = Work::new(self.0);
            for _ in 0..50 {
                assert!(step(&mut w));
            }
            w.x
        }
    }

    /// Every implementation computes the same trajectory, within a few ulps: C contracts
    /// a·b + c into FMA where the ISA has it, lossmap evaluates βᵗ in f64 and groups
    /// (1 − β₂)·g·g differently.
    fn agree<T: Elem>(rtol: f64) {
        let n = 16;
        let reference: Vec<T> = dispatch(Impl::RustPlain, n, Isa::V3, Fifty(n)).unwrap();
        let start = Work::<T>::new(n).x;
        assert!(reference.iter().zip(&start).all(|(a, b)| a != b));
        for which in [
            Impl::LossmapSlice,
            Impl::LossmapTyped,
            Impl::CUnchecked,
            Impl::CChecked,
            Impl::CStrict,
        ] {
            for isa in [Isa::Native, Isa::V3] {
                let x: Vec<T> = dispatch(which, n, isa, Fifty(n)).unwrap();
                for (a, b) in x.iter().zip(&reference) {
                    let (a, b) = (a.to_f64(), b.to_f64());
                    assert!(
                        (a - b).abs() <= rtol * b.abs(),
                        "{which:?} {isa:?}: {a} vs {b}"
                    );
                }
            }
        }
        assert!(dispatch::<T, _>(Impl::LossmapTyped, 5, Isa::V3, Fifty(5)).is_none());
    }

    #[test]
    fn implementations_agree_f32() {
        agree::<f32>(1e-6);
    }

    #[test]
    fn implementations_agree_f64() {
        agree::<f64>(1e-14);
    }

    /// Every value of `w` as bits (NaN compares equal to itself).
    fn bits<T: Elem>(w: &Work<T>) -> Vec<u64> {
        [&w.x, &w.g, &w.m, &w.v]
            .into_iter()
            .flatten()
            .map(|v| v.to_f64().to_bits())
            .collect()
    }

    #[test]
    fn c_checked_rejects_bad_input_and_writes_nothing() {
        for bad in [f64::NAN, f64::INFINITY, 1e300] {
            let mut w = Work::<f64>::new(9);
            w.g[4] = bad;
            let before = w.clone();
            let mut c = CAdam::<f64>::new(Isa::V3);
            assert!(!c.checked(&mut w), "{bad}");
            assert_eq!((bits(&w), c.steps()), (bits(&before), 0));
        }
        let mut w = Work::<f32>::new(9);
        w.v[2] = -1.0;
        let before = w.clone();
        let mut c = CAdam::<f32>::new(Isa::Native);
        assert!(!c.checked(&mut w));
        assert_eq!(bits(&w), bits(&before));
        // An update that overflows: θ near MAX, a large rate.
        let mut w = Work::<f32>::new(3);
        w.x[1] = -f32::MAX;
        w.g[1] = 1.0;
        let before = w.clone();
        let mut c = CAdam::<f32>::new(Isa::V3);
        c.state.lr = 1e37;
        assert!(!c.checked(&mut w));
        assert_eq!(bits(&w), bits(&before));
        // The bound |θ| + lr/bc₁·|m'|/ε overflows but no update does: the exact check passes.
        let mut w = Work::<f32>::new(3);
        w.x[1] = 0.9 * f32::MAX;
        let mut c = CAdam::<f32>::new(Isa::V3);
        c.state.lr = 1e30;
        assert!(c.checked(&mut w));
        assert!(c.steps() == 1 && w.x.iter().all(|v| v.is_finite()));
    }

    /// The strict step refuses, with nothing written, a state written by hand that the checked
    /// step takes (init's checks only), and takes a valid one as the checked step does.
    #[test]
    fn c_strict_refuses_a_bad_state_and_writes_nothing() {
        let bad: [fn(&mut RefAdam<f32>); 8] = [
            |s| s.lr = -1.0,
            |s| s.lr = f32::NAN,
            |s| s.eps = 0.0,
            |s| s.beta1 = 1.0,
            |s| s.beta2 = f32::INFINITY,
            |s| s.b1t = 1.5,
            |s| s.b2t = -0.25,
            |s| s.b2t = f32::NAN,
        ];
        for (i, spoil) in bad.into_iter().enumerate() {
            let mut c = CAdam::<f32>::new(Isa::V3);
            spoil(&mut c.state);
            let state = c.state;
            let mut w = Work::<f32>::new(9);
            let before = w.clone();
            assert!(!c.strict(&mut w), "case {i}");
            assert_eq!(bits(&w), bits(&before), "case {i}");
            assert_eq!(format!("{:?}", c.state), format!("{state:?}"), "case {i}");
        }
        for isa in [Isa::Native, Isa::V3] {
            let (mut a, mut b) = (CAdam::<f64>::new(isa), CAdam::<f64>::new(isa));
            let (mut wa, mut wb) = (Work::<f64>::new(9), Work::<f64>::new(9));
            for _ in 0..20 {
                assert!(a.checked(&mut wa) && b.strict(&mut wb));
            }
            assert_eq!((bits(&wa), a.state), (bits(&wb), b.state));
        }
    }
}
