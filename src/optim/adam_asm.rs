//! The write-first step of plain Adam in `f32` on hard-float Arm cores (the Cortex-M4F), for
//! short vectors (1 ≤ n ≤ [`ASM_MAX`]): one pass in inline assembly writes every new value at
//! once, keeps the old ones in an undo log on the stack, and computes a flag that decides
//! whether the step stands; when it does not, the log is copied back and the exact check
//! decides as on every other path.
//!
//! **Why.** On an in-order scalar core every instruction counts. The other paths pay for
//! their guarantee (nothing written unless every input is finite, the state valid and every
//! new value finite) with a read-only pass over θ, g, m, v before the update. Written first,
//! each buffer is read once; the log costs one multiple store per element, the flag four
//! instructions (an addition, a multiply-accumulate, a register move and an OR). The
//! assembly keeps the constants and the accumulators in FPU registers, addresses every
//! stream with post-incremented loads and stores and leaves the log uninitialized (only the
//! entries it wrote are ever read), which safe Rust cannot express.
//!
//! **The pass**, per element, in the operation order of `Coeffs::apply` (so the same bits as
//! every other path): `m' = β₁m + (1 − β₁)g` (`vmul`, `vmla`), `v' = β₂v + ((1 − β₂)g)·g`
//! (`vmul`, `vmul`, `vmla`), `d = √v'/√(1 − β₂ᵗ) + ε` (`vsqrt`, `vdiv`, `vadd`),
//! `θ' = θ − γ'·(m'/d)` (`vdiv`, `vmls`), γ' the bias-corrected step size (negated for
//! `maximize`). VFPv4's `vmla`/`vmls` round the product before the addition (they are not
//! fused), the bits of Rust's `a + b·c`. The accumulators:
//! - `acc += θ'·d`;
//! - `sv += v'`;
//! - `bits |= bits(v)`, the integer OR of the old second moments' bit patterns.
//!
//! The step is accepted at once when `acc` is finite, `sv < (1 − β₂)·2^126` (`(1 − β₂)` times
//! the square of the exact check's gradient limit `√MAX/2 = 2^63`) and the sign bit of `bits`
//! is clear. **Proof** that every such step is one the exact check (`Coeffs::check_exact`)
//! accepts:
//! - the sign bit clear means no old v is negative, −0 or a negative NaN, so every
//!   `v' = β₂v + (1 − β₂)g²` is ≥ 0 or NaN; `sv` is then at least every v' (rounding is
//!   monotone) and non-finite when one is, so each v' is finite and below the bound. As
//!   `(1 − β₂)·|g|·|g|` is rounded monotonically and `(1 − β₂)·2^126` is exact, `|g| ≥ 2^63`
//!   would give v' ≥ the bound: so `|g| < √MAX/2`, the exact check's gradient test, and g is
//!   finite (`g = ±∞` gives +∞ or NaN);
//! - `acc` finite means every term θ'·d finite (a non-finite term keeps the sum non-finite:
//!   ∞ + finite = ∞, ∞ − ∞ = NaN). `d ≥ ε > 0` unless it is +∞ or NaN, so θ'·d finite means θ'
//!   and d finite (`0·∞` is NaN, so an infinite d cannot hide behind θ' = 0);
//! - the old v is finite: v = +∞ gives v' = +∞ (β₂ > 0) or NaN (β₂ = 0, `0·∞`), and v' is
//!   finite;
//! - θ' = θ − γ'·m'/d finite means θ and m' are (an infinite or NaN θ or m' gives ±∞ or NaN:
//!   γ' is finite and non-zero), and m' = β₁m + (1 − β₁)g finite with g finite means m is
//!   finite (`0·∞ = NaN` when β₁ = 0).
//!
//! So the inputs are finite, v ≥ 0, |g| below the exact check's limit and every new value
//! finite: the exact check accepts, and the values written are the ones any other path
//! writes. The converse need not hold (a sum may overflow, an old v may be −0): when the flag
//! fails, the log is copied back, every buffer exactly as before the call, and the exact
//! check decides with its errors in its order; on `Ok` the writing pass runs. The step count
//! and the bias cache are written only on success, as on the other paths.
//!
//! **The one difference** from the other paths: during the call the caller's buffers hold the
//! new values before the step is known to be accepted, so an interrupt handler reading them
//! mid-step could see a step that is then undone. On return the guarantee is unchanged.
//!
//! **Scope and stack.** Plain Adam only (no L2 decay, no decoupled shrink, no AMSGrad: those
//! take the read-only pass) and only `f32`, which the FPU computes. The log is 3·[`ASM_MAX`]
//! `f32` (192 B) on the stack.
//!
//! **Measured** (QEMU `-icount`, Cortex-M4F, `scripts/cost`): see the crate README's
//! "Adam step, f32, firmware" table.
#![allow(unsafe_code)]

use super::Coeffs;
use crate::error::Error;
use crate::Real;
use core::mem::MaybeUninit;

/// The longest vector that takes the assembly step: the undo log is `3·ASM_MAX` elements.
pub(super) const ASM_MAX: usize = 16;

/// Whether a plain step of `n` elements of `T` takes the assembly path: `T` is `f32` (the
/// sealed [`Real`] has only `f32` and `f64`) and 1 ≤ n ≤ [`ASM_MAX`].
#[inline(always)]
pub(super) fn takes<T: Real>(n: usize) -> bool {
    !T::IS_F64 && core::mem::size_of::<T>() == 4 && (1..=ASM_MAX).contains(&n)
}

/// `2^126`: the square of the exact check's `f32` gradient limit `√MAX/2 = 2^63`.
const SECOND_LIMIT: f64 = 8.507_059_173_023_462e37;

/// The step's constants in the order the assembly loads them (`vldmia` into s7–s14).
#[repr(C)]
struct Block<T> {
    beta1: T,
    one_m_b1: T,
    beta2: T,
    one_m_b2: T,
    bc2_sqrt: T,
    eps: T,
    step_size: T,
    zero: T,
}

/// One plain Adam step by the write-first pass (`k` already maximized when asked; the caller
/// has checked [`takes`] and that `m`, `v`, `g` have `x.len()` elements): the contract of
/// `adam_kernel` for the buffers; the step count and the bias cache are the caller's.
#[inline(never)]
pub(super) fn step<T: Real>(
    k: &Coeffs<T>,
    x: &mut [T],
    m: &mut [T],
    v: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let n = x.len();
    if !takes::<T>(n) || m.len() != n || v.len() != n || g.len() != n {
        return Err(Error::LengthMismatch);
    }
    let block = Block {
        beta1: k.beta1,
        one_m_b1: k.one_m_b1,
        beta2: k.beta2,
        one_m_b2: k.one_m_b2,
        bc2_sqrt: k.bc2_sqrt,
        eps: k.eps,
        step_size: k.step_size,
        zero: T::ZERO,
    };
    let mut log = [MaybeUninit::<T>::uninit(); 3 * ASM_MAX];
    let (acc, sv, bits): (u32, u32, u32);
    // SAFETY: `T` is `f32` (`takes`: the sealed `Real` is implemented for `f32` and `f64`
    // only, and `T` is not `f64`), so every buffer is `n` consecutive 4-byte floats, and
    // `block` eight of them (`repr(C)`). The loop runs `n` times (1 ≤ n ≤ ASM_MAX, checked
    // above, so `subs` reaches 0): it reads `x`, `m`, `v`, `g` at elements 0..n, writes `x`,
    // `m`, `v` at 0..n (the caller's exclusive borrows; `g` is only read) and the log at
    // entries 0..3n ≤ 48, inside `log`. The pointers are distinct borrows (no overlap). The
    // FPU registers s0–s15 are declared clobbered (all caller-saved); the core registers are
    // operands. No stack is used; the flags are clobbered (no `preserves_flags`). FPSCR is
    // not touched: the rounding mode is the one every other float operation of the program
    // uses.
    unsafe {
        core::arch::asm!(
            "vldmia {k}, {{s7-s14}}",
            "vmov.f32 s15, s14",
            "2:",
            "vldr s0, [{x}]",
            "vldr s1, [{m}]",
            "vldr s2, [{v}]",
            "vldmia {g}!, {{s3}}",
            "vstmia {log}!, {{s0-s2}}",
            "vmov {tmp}, s2",
            "orr {bits}, {bits}, {tmp}",
            "vmul.f32 s4, s8, s3",
            "vmla.f32 s4, s7, s1",
            "vmul.f32 s5, s10, s3",
            "vmul.f32 s5, s5, s3",
            "vmla.f32 s5, s9, s2",
            "vsqrt.f32 s6, s5",
            "vdiv.f32 s6, s6, s11",
            "vadd.f32 s6, s6, s12",
            "vdiv.f32 s3, s4, s6",
            "vmls.f32 s0, s13, s3",
            "vmla.f32 s14, s0, s6",
            "vadd.f32 s15, s15, s5",
            "vstmia {x}!, {{s0}}",
            "vstmia {m}!, {{s4}}",
            "vstmia {v}!, {{s5}}",
            "subs {n}, {n}, #1",
            "bne 2b",
            "vmov {acc}, s14",
            "vmov {sv}, s15",
            k = in(reg) core::ptr::from_ref(&block).cast::<f32>(),
            x = inout(reg) x.as_mut_ptr().cast::<f32>() => _,
            m = inout(reg) m.as_mut_ptr().cast::<f32>() => _,
            v = inout(reg) v.as_mut_ptr().cast::<f32>() => _,
            g = inout(reg) g.as_ptr().cast::<f32>() => _,
            log = inout(reg) log.as_mut_ptr().cast::<f32>() => _,
            n = inout(reg) n => _,
            bits = inout(reg) 0u32 => bits,
            tmp = out(reg) _,
            acc = lateout(reg) acc,
            sv = lateout(reg) sv,
            out("s0") _, out("s1") _, out("s2") _, out("s3") _,
            out("s4") _, out("s5") _, out("s6") _, out("s7") _,
            out("s8") _, out("s9") _, out("s10") _, out("s11") _,
            out("s12") _, out("s13") _, out("s14") _, out("s15") _,
            options(nostack)
        );
    }
    let (acc, sv) = (
        T::from_f64(f64::from(f32::from_bits(acc))),
        T::from_f64(f64::from(f32::from_bits(sv))),
    );
    if acc.is_finite() && sv < k.one_m_b2 * T::from_f64(SECOND_LIMIT) && bits & (1 << 31) == 0 {
        return Ok(());
    }
    restore(x, m, v, &log);
    k.check_exact::<false, false>(x, m, v, None, g)?;
    k.update::<false, false, false>(x, m, v, &mut [], g);
    Ok(())
}

/// The log copied back into the caller's buffers: entry `3i + j` is the old element `i` of
/// θ, m, v (`j` = 0, 1, 2), written by the pass for every `i < x.len()`.
#[cold]
#[inline(never)]
fn restore<T: Real>(x: &mut [T], m: &mut [T], v: &mut [T], log: &[MaybeUninit<T>; 3 * ASM_MAX]) {
    let olds = log.chunks_exact(3);
    for (((xi, mi), vi), old) in x.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(olds) {
        if let [a, b, c] = old {
            // SAFETY: the pass wrote entries 0..3n, n = x.len(), and this reads entries
            // 3i..3i + 3 for i < n only (the zip stops at the shortest).
            unsafe {
                (*xi, *mi, *vi) = (a.assume_init(), b.assume_init(), c.assume_init());
            }
        }
    }
}
