//! The write-first step of plain Adam in `f32` on hard-float ARMv7 and later Arm cores (the
//! Cortex-M4F), for short vectors (1 ≤ n ≤ [`ASM_MAX`]): one pass in inline assembly writes
//! every new value at once, keeps the old ones in an undo log on the stack, and computes a flag
//! that decides whether the step stands; when it does not, the log is copied back and the exact
//! check decides as on every other path. It uses `bfc` (ARMv6T2) and `vcvt` to and from fixed
//! point (VFPv3), so the build script enables it only on ARMv7 and later; ARMv6 with VFPv2
//! takes the compiled step.
//!
//! **Why.** On an in-order scalar core every instruction counts. The other paths pay for
//! their guarantee (nothing written unless every input is finite, the state valid and every
//! new value finite) with a read-only pass over θ, g, m, v before the update: 45 instructions
//! per element at `opt-level = "s"`, against 20 for an unchecked update written in C. Written
//! first, each buffer is read once; the log costs one multiple store per two elements, the
//! flag four instructions per element (an addition, a multiply-accumulate, a register move and
//! an OR). The assembly keeps the constants and the accumulators in FPU registers, moves two
//! elements of each stream per `vldmia`/`vstmia` with post-increment, and leaves the log
//! uninitialized (only the entries it wrote are ever read), none of which safe Rust reaches
//! (the same scheme in safe Rust measured 39 per element: 9 of them address arithmetic, 4
//! moving the square root's operand through core registers, and zeroing the log cost ≈ 72
//! per step).
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
//! The argument holds for any order of the sums (each uses only that a sum of non-negative
//! terms is at least each term, and that a non-finite term or an overflow leaves a sum
//! non-finite), so the pairs' interleaving changes nothing.
//!
//! So the inputs are finite, v ≥ 0, |g| below the exact check's limit and every new value
//! finite: the exact check accepts, and the values written are the ones any other path
//! writes. The converse need not hold (a sum may overflow, an old v may be −0): when the flag
//! fails, the log is copied back, every buffer exactly as before the call, and the exact
//! check decides with its errors in its order; on `Ok` the writing pass of the other paths
//! (`Coeffs::update`: the same operations in the same order, the same bits) writes the step
//! on the restored buffers. The flag's test of `sv` is an unsigned compare of its bits with
//! the bound's (for `sv` ≥ +0 the order of the values; a NaN fails it). The step count
//! and the bias cache are written only on success, as on the other paths.
//!
//! **The one difference** from the other paths: during the call the caller's buffers hold the
//! new values before the step is known to be accepted, so an interrupt handler reading them
//! mid-step could see a step that is then undone. On return the guarantee is unchanged.
//!
//! **Scope and stack.** Plain Adam only (no L2 decay, no decoupled shrink, no AMSGrad: those
//! take the read-only pass) and only `f32`, which the FPU computes. The log is 3·[`ASM_MAX`]
//! `f32` (192 B) on the stack, in the kernel's frame; with the saved FPU registers one step
//! of n = 8 uses 512 B of stack below its caller (320 B by the read-only pass alone; 544 B
//! before the corrections moved to assembly, 32 B of spill slots).
//!
//! **The bias corrections** of the fixed-point cache (see the kernel's module doc) are
//! assembly too on these cores, in two blocks of registers only, the same operations in the
//! same order as the kernel's `fixed_mul`, `fixed_one_minus` and `fixed_root_fpu` (so the same
//! bits for every input; `tests/repo/firmware_adam.rs` compares the cores' steps with the
//! host's): [`fixed_advance`] multiplies both powers by their β (`umull`, `umlal`; the shift
//! for β < ½ out of line), [`fixed_corrections`] converts `1 − βᵗ` in two parts by `vcvt` to
//! fixed point and takes the root with its Newton correction, without the moves of every
//! value between core and FPU registers that the compiled code made (the two results leave
//! through core registers: an `f32` operand in an FPU register needs a target feature these
//! targets do not declare). The flag's three tests and its bound `(1 − β₂)·2^126` are at the
//! end of the pass ([`pass`]), which returns one register.
//!
//! **Measured** (QEMU `-icount`, Cortex-M4F, `scripts/cost`, the configuration and state opaque
//! to the compiler): 19.1 instructions per element at `opt-level = "s"` (18.6 at 3) and 393.1 per
//! step at n = 8 (394.1): the rest of a step is its fixed cost (bias corrections, the
//! configuration's checks, the cache). The figures below were taken with a constant
//! configuration the compiler folded (41 fewer per step): 18.5 per element (the read-only pass
//! 45.0 and 43.8) and 352.1 per step, where the read-only pass took 622.6 and 636.9 with the
//! bias corrections of that time; the corrections' two blocks took it from 378.1 to 357.1, the
//! flag's tests in the pass to 352.1. When it was written, this pass measured 423.6 per step; a rolled loop of one element
//! per iteration measured 24.0 per element (497.6 per step as a function of its own, against
//! 454.6 for this one), 60 B less flash. Steps that keep the read-only pass pay 9 instructions
//! more at n = 24 (the branch, and the FPU registers the kernel now saves).
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

/// The layout of [`Coeffs`] the assembly loads (s16–s24): checked at compile time, so a
/// reordered field cannot go unnoticed.
const _: () = {
    use core::mem::offset_of;
    type K = Coeffs<f32>;
    assert!(
        offset_of!(K, beta1) == 0
            && offset_of!(K, beta2) == 4
            && offset_of!(K, one_m_b1) == 8
            && offset_of!(K, one_m_b2) == 12
            && offset_of!(K, eps) == 16
            && offset_of!(K, step_size) == 28
            && offset_of!(K, bc2_sqrt) == 32
            && core::mem::size_of::<K>() == 36
    );
};

/// The log's length: three entries per element.
const LOG: usize = 3 * ASM_MAX;

/// One plain Adam step by the write-first pass (`k` already maximized when asked; the caller
/// has checked [`takes`] and that `m`, `v`, `g` have `x.len()` elements): the contract of
/// `adam_kernel` for the buffers; the step count and the bias cache are the caller's.
///
/// When the flag fails, [`fallback`] copies the log back and lets the exact check decide.
/// The flag is three integer tests at the end of the pass (see [`pass`]). Inlined into the
/// kernel: as a function of its own, the call, its argument moves and a second prologue cost
/// 31 instructions per step; with the fallback out of line, nothing the pass takes stays live
/// after it (a retry loop kept its operands on the stack: 21 instructions per step more).
#[inline(always)]
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
    let mut log = [MaybeUninit::<T>::uninit(); LOG];
    if pass(k, x, m, v, g, &mut log) {
        return Ok(());
    }
    fallback(k, x, m, v, g, &log)
}

/// The flag failed: the log copied back (every buffer as before the call), the exact check's
/// verdict, and on `Ok` the step by the kernel's writing pass (`Coeffs::update`, the
/// operations of the pass in the same order: the same bits).
#[cold]
#[inline(never)]
fn fallback<T: Real>(
    k: &Coeffs<T>,
    x: &mut [T],
    m: &mut [T],
    v: &mut [T],
    g: &[T],
    log: &[MaybeUninit<T>; LOG],
) -> Result<(), Error> {
    restore(x, m, v, log);
    k.check_exact::<false, false>(x, m, v, None, g)?;
    k.update::<false, false, false>(x, m, v, &mut [], g);
    Ok(())
}

/// The pass of the module doc over `x.len()` elements (1 ≤ n ≤ [`ASM_MAX`], every buffer of
/// that length, `T` = `f32`: checked by [`step`]): new values written, old ones logged, and
/// the flag of the module doc: `true` when the step is accepted.
///
/// The flag, from the bits of `acc`, `sv` and `bits` and the bound `(1 − β₂)·2^126` (the
/// `f32` product of 1 − β₂ and [`SECOND_LIMIT`], a positive finite `f32` or +∞: 2^126 moved
/// into s21, which the pass does not use, at its start, the product after the loop): `sv < (1 − β₂)·2^126` as an unsigned
/// compare of the bits (for `sv` ≥ +0 the order of the values; −0, a negative `sv` and every
/// NaN fail it, which only sends more steps to the exact check), then `acc` finite (its bits
/// shifted left by one, the sign dropped, below +∞'s `0xff00_0000`), then the sign bit of
/// `bits` clear (`cmn` of `bits` with itself carries it out): the carry is set at the first
/// test that fails (the later ones are skipped by `it lo`), and `sbc` turns a clear carry into
/// all ones.
///
/// Two elements per iteration (their θ, m, v, g each by one `vldmia` of two, the new values
/// by one `vstmia` of two, the six old values logged by one `vstmia`), then the last one when
/// n is odd. The log holds, per pair p, `θ₂ₚ, θ₂ₚ₊₁, m₂ₚ, m₂ₚ₊₁, v₂ₚ, v₂ₚ₊₁` at 6p, and the odd
/// last element's `θ, m, v` after the pairs.
#[inline(always)]
fn pass<T: Real>(
    k: &Coeffs<T>,
    x: &mut [T],
    m: &mut [T],
    v: &mut [T],
    g: &[T],
    log: &mut [MaybeUninit<T>; LOG],
) -> bool {
    let n = x.len();
    let ok: u32;
    // SAFETY: `T` is `f32` (`takes`: the sealed `Real` is implemented for `f32` and `f64`
    // only, and `T` is not `f64`), so every buffer is `n` consecutive 4-byte floats and `k`
    // (`repr(C)`) nine of them: β₁, β₂, 1 − β₁, 1 − β₂, ε, λ, the shrink factor, γ' and
    // √(1 − β₂ᵗ), loaded into s16–s24. The caller checked 1 ≤ n ≤ ASM_MAX and the lengths:
    // the pairs loop runs ⌊n/2⌋ times and the tail once when n is odd (the count's parity
    // survives the subtractions of 2), so the pass reads `x`, `m`, `v`, `g` at elements 0..n,
    // writes `x`, `m`, `v` at 0..n (exclusive borrows, so no overlap; `g` is only read) and
    // the log at entries 0..3n ≤ 48, inside `log`. The FPU registers used are declared
    // clobbered (LLVM saves the callee-saved s16–s26 itself); the core registers are operands
    // (`k`'s is reused as a scratch once its block is loaded). No stack is used; the flags
    // are clobbered (no `preserves_flags`). FPSCR is not touched: the rounding mode is the one
    // every other float operation of the program uses. `vmla`/`vmls` are VFPv4's chained
    // multiply-accumulates (the product rounded, then the sum), the bits of `a + b·c`.
    unsafe {
        core::arch::asm!(
            // s16 β₁, s17 β₂, s18 1 − β₁, s19 1 − β₂, s20 ε, s23 γ', s24 √(1 − β₂ᵗ);
            // s25 acc = 0, s26 sv = 0.
            "vldmia {k}, {{s16-s24}}",
            "vmov s21, {t}",
            "movs {t}, #0",
            "vmov s25, s26, {t}, {t}",
            "subs {n}, {n}, #2",
            "blo 3f",
            // Two elements: s0-s1 θ, s2-s3 m, s4-s5 v, s6-s7 g; new m s8-s9, v s10-s11,
            // d s12-s13, m'/d in s6-s7; θ' in s0-s1.
            "2:",
            "vldmia {x}, {{s0-s1}}",
            "vldmia {m}, {{s2-s3}}",
            "vldmia {v}, {{s4-s5}}",
            "vldmia {g}!, {{s6-s7}}",
            "vstmia {log}!, {{s0-s5}}",
            "vmov {t}, {k}, s4, s5",
            "orr {bits}, {bits}, {t}",
            "orr {bits}, {bits}, {k}",
            "vmul.f32 s8, s18, s6",
            "vmul.f32 s9, s18, s7",
            "vmla.f32 s8, s16, s2",
            "vmla.f32 s9, s16, s3",
            "vmul.f32 s10, s19, s6",
            "vmul.f32 s11, s19, s7",
            "vmul.f32 s10, s10, s6",
            "vmul.f32 s11, s11, s7",
            "vmla.f32 s10, s17, s4",
            "vmla.f32 s11, s17, s5",
            "vsqrt.f32 s12, s10",
            "vsqrt.f32 s13, s11",
            "vdiv.f32 s12, s12, s24",
            "vdiv.f32 s13, s13, s24",
            "vadd.f32 s12, s12, s20",
            "vadd.f32 s13, s13, s20",
            "vdiv.f32 s6, s8, s12",
            "vdiv.f32 s7, s9, s13",
            "vmls.f32 s0, s23, s6",
            "vmls.f32 s1, s23, s7",
            "vmla.f32 s25, s0, s12",
            "vmla.f32 s25, s1, s13",
            "vadd.f32 s26, s26, s10",
            "vadd.f32 s26, s26, s11",
            "vstmia {x}!, {{s0-s1}}",
            "vstmia {m}!, {{s8-s9}}",
            "vstmia {v}!, {{s10-s11}}",
            "subs {n}, {n}, #2",
            "bhs 2b",
            // The last element when n is odd: s0 θ, s1 m, s2 v, s3 g.
            "3:",
            "tst {n}, #1",
            "beq 4f",
            "vldr s0, [{x}]",
            "vldr s1, [{m}]",
            "vldr s2, [{v}]",
            "vldr s3, [{g}]",
            "vstmia {log}, {{s0-s2}}",
            "vmov {t}, s2",
            "orr {bits}, {bits}, {t}",
            "vmul.f32 s8, s18, s3",
            "vmla.f32 s8, s16, s1",
            "vmul.f32 s10, s19, s3",
            "vmul.f32 s10, s10, s3",
            "vmla.f32 s10, s17, s2",
            "vsqrt.f32 s12, s10",
            "vdiv.f32 s12, s12, s24",
            "vadd.f32 s12, s12, s20",
            "vdiv.f32 s3, s8, s12",
            "vmls.f32 s0, s23, s3",
            "vmla.f32 s25, s0, s12",
            "vadd.f32 s26, s26, s10",
            "vstr s0, [{x}]",
            "vstr s8, [{m}]",
            "vstr s10, [{v}]",
            "4:",
            "vmul.f32 s21, s19, s21",
            "vmov {t}, s21",
            "vmov {k}, s26",
            "cmp {k}, {t}",
            "vmov {t}, s25",
            "lsl {t}, {t}, #1",
            "it lo",
            "cmplo {t}, #0xff000000",
            "it lo",
            "cmnlo {bits}, {bits}",
            "sbc {bits}, {bits}, {bits}",
            k = inout(reg) core::ptr::from_ref(k).cast::<f32>() => _,
            x = inout(reg) x.as_mut_ptr().cast::<f32>() => _,
            m = inout(reg) m.as_mut_ptr().cast::<f32>() => _,
            v = inout(reg) v.as_mut_ptr().cast::<f32>() => _,
            g = inout(reg) g.as_ptr().cast::<f32>() => _,
            log = inout(reg) log.as_mut_ptr().cast::<f32>() => _,
            n = inout(reg) n => _,
            bits = inout(reg) 0u32 => ok,
            t = inout(reg) (SECOND_LIMIT as f32).to_bits() => _,
            out("s0") _, out("s1") _, out("s2") _, out("s3") _,
            out("s4") _, out("s5") _, out("s6") _, out("s7") _,
            out("s8") _, out("s9") _, out("s10") _, out("s11") _,
            out("s12") _, out("s13") _, out("s16") _, out("s17") _,
            out("s18") _, out("s19") _, out("s20") _, out("s21") _,
            out("s22") _, out("s23") _, out("s24") _, out("s25") _,
            out("s26") _,
            options(nostack)
        );
    }
    ok != 0
}

/// The log copied back into the caller's buffers, in the layout of [`pass`].
#[inline(always)]
fn restore<T: Real>(x: &mut [T], m: &mut [T], v: &mut [T], log: &[MaybeUninit<T>; LOG]) {
    let n = x.len();
    let pairs = n / 2;
    for (i, ((xi, mi), vi)) in x.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).enumerate() {
        let (p, j) = (i / 2, i % 2);
        let at = if p < pairs {
            [6 * p + j, 6 * p + 2 + j, 6 * p + 4 + j]
        } else {
            [6 * p, 6 * p + 1, 6 * p + 2]
        };
        if let (Some(a), Some(b), Some(c)) = (log.get(at[0]), log.get(at[1]), log.get(at[2])) {
            // SAFETY: the pass wrote entries 0..3n in this layout (pairs at 6p, the odd last
            // element at 6·pairs), and these are element i's (i < n).
            unsafe {
                (*xi, *mi, *vi) = (a.assume_init(), b.assume_init(), c.assume_init());
            }
        }
    }
}

/// `⌊p·β⌋` for the fixed-point powers of the bias cache, in assembly: `fixed_mul` of the
/// kernel for both β, the same integer result for every `p` and every bit pattern of β (`b1`,
/// `b2` their bits). With `S = B·2⁸` (β's 24-bit significand `B` at the top of a word: β's bits
/// shifted left by 8, the leading bit set), `⌊p·B/2²⁴⌋ = pₕ·S + ⌊pₗ·S/2³²⌋` (`pₕ`, `pₗ` the
/// halves of p, the sum < 2⁶⁴): one `umull` and one `umlal` (into a zeroed high word), exact. Then the shift by
/// `126 − e` (`e` the bits above the significand, sign included): none for β ∈ [½, 1); out of
/// line otherwise, 0 for `e > 126` (β ≥ 1, negative or NaN, as `fixed_mul` gives), else a
/// 64-bit shift by a register amount in [1, 126] (a shift by register of 32 or more, its
/// amount the register's low byte, gives 0, so the three terms of the low word are right for
/// every amount, and e = 0 gives 0).
#[inline(always)]
pub(super) fn fixed_advance(p1: u64, p2: u64, b1: u32, b2: u32) -> (u64, u64) {
    let (l1, h1, l2, h2): (u32, u32, u32, u32);
    // SAFETY: only the operands' registers are read and written (no memory, no stack, no FPU
    // register); the flags are clobbered (no `preserves_flags`). The labels are local to the
    // block and every branch returns into it.
    unsafe {
        core::arch::asm!(
            // p₁: S in {s}; h₁:l₁ = p₁ₕ·S + ⌊p₁ₗ·S/2³²⌋.
            "lsls {s}, {b1}, #8",
            "orr {s}, {s}, #0x80000000",
            "umull {h1}, {l1}, {l1}, {s}",
            "movs {h1}, #0",
            "umlal {l1}, {h1}, {ph1}, {s}",
            "lsrs {s}, {b1}, #23",
            "cmp {s}, #126",
            "bne 5f",
            "6:",
            "lsls {s}, {b2}, #8",
            "orr {s}, {s}, #0x80000000",
            "umull {h2}, {l2}, {l2}, {s}",
            "movs {h2}, #0",
            "umlal {l2}, {h2}, {ph2}, {s}",
            "lsrs {s}, {b2}, #23",
            "cmp {s}, #126",
            "bne 7f",
            "b 4f",
            // β₁ ∉ [½, 1): 0 for e > 126 (the flags of the compare), else the shift by 126 − e.
            "5:",
            "bhi 55f",
            "rsb {s}, {s}, #126",
            "lsr.w {l1}, {l1}, {s}",
            "rsb {ph1}, {s}, #32",
            "lsl.w {ph1}, {h1}, {ph1}",
            "orr {l1}, {l1}, {ph1}",
            "sub {ph1}, {s}, #32",
            "lsr.w {ph1}, {h1}, {ph1}",
            "orr {l1}, {l1}, {ph1}",
            "lsr.w {h1}, {h1}, {s}",
            "b 6b",
            "55:",
            "movs {l1}, #0",
            "movs {h1}, #0",
            "b 6b",
            // The same for β₂.
            "7:",
            "bhi 77f",
            "rsb {s}, {s}, #126",
            "lsr.w {l2}, {l2}, {s}",
            "rsb {ph2}, {s}, #32",
            "lsl.w {ph2}, {h2}, {ph2}",
            "orr {l2}, {l2}, {ph2}",
            "sub {ph2}, {s}, #32",
            "lsr.w {ph2}, {h2}, {ph2}",
            "orr {l2}, {l2}, {ph2}",
            "lsr.w {h2}, {h2}, {s}",
            "b 4f",
            "77:",
            "movs {l2}, #0",
            "movs {h2}, #0",
            "4:",
            b1 = in(reg) b1,
            b2 = in(reg) b2,
            s = out(reg) _,
            l1 = inout(reg) p1 as u32 => l1,
            ph1 = inout(reg) (p1 >> 32) as u32 => _,
            h1 = out(reg) h1,
            l2 = inout(reg) p2 as u32 => l2,
            ph2 = inout(reg) (p2 >> 32) as u32 => _,
            h2 = out(reg) h2,
            options(pure, nomem, nostack)
        );
    }
    (
        u64::from(l1) | u64::from(h1) << 32,
        u64::from(l2) | u64::from(h2) << 32,
    )
}

/// The bias corrections `(1 − β₁ᵗ, √(1 − β₂ᵗ))` from the fixed-point powers `p1`, `p2`
/// (`⌊βᵗ·2⁶⁴⌋`), in assembly: the kernel's `fixed_one_minus` and `fixed_root_fpu` (with an
/// `f32` FPU), the same operations in the same order, so the same bits for every input,
/// without the moves of each value between core and FPU registers that the compiled code made:
/// - `1 − p·2⁻⁶⁴` as `d·2⁻⁶⁴`, `d = ¬p`: the top 24 bits of `d` and the 32 below them
///   converted by `vcvt` to fixed point with 24 and 32 fraction bits (the first exact, the
///   second rounded once, as the integer conversion it replaces: a scaling by a power of two
///   commutes with the rounding), the second scaled by 2⁻²⁴ in a `vmla` (an exact product,
///   then the one rounding of the sum);
/// - the root: `H`, `M`, `L` of `fixed_root_fpu` by the same conversions (each exact), the
///   scalings of `M` and `L` folded into `vmla`s whose products are exact; Veltkamp's split
///   by `bfc` of the root's low 12 bits; `vmls` subtracts the rounded product, the bits of
///   `a − b·c`.
///
/// The two results leave through core registers (an `f32` operand in an FPU register needs a
/// target feature the hard-float targets do not declare).
#[inline(always)]
pub(super) fn fixed_corrections(p1: u64, p2: u64) -> (f32, f32) {
    let (bc1, bc2): (u32, u32);
    // SAFETY: only registers are read and written: the operands (the inputs reused as
    // scratch, declared clobbered) and s0–s15 (caller-saved, declared clobbered). No memory
    // is touched and no stack used; the flags are clobbered (no `preserves_flags`). FPSCR is
    // not touched (the program's rounding mode, as every other float operation uses).
    unsafe {
        core::arch::asm!(
            // s14 = 2⁻²⁴, s15 = 2⁻³².
            "mov {a}, #0x33800000",
            "mov {b}, #0x2f800000",
            "vmov s14, s15, {a}, {b}",
            // 1 − β₁ᵗ from d = ¬p₁: s0 = the top 24 bits · 2⁻²⁴, s1 = the next 32 · 2⁻³².
            "mvn {h1}, {h1}",
            "mvn {l1}, {l1}",
            "lsrs {l1}, {l1}, #8",
            "orr {l1}, {l1}, {h1}, lsl #24",
            "lsrs {h1}, {h1}, #8",
            "vmov s0, s1, {h1}, {l1}",
            "vcvt.f32.u32 s0, s0, #24",
            "vcvt.f32.u32 s1, s1, #32",
            "vmla.f32 s0, s1, s14",
            // √(1 − β₂ᵗ) from d = ¬p₂: s2 H, s3 the next 32 bits · 2⁻³², s4 M·2²⁴, s5 L·2³².
            "mvn {h2}, {h2}",
            "mvn {l2}, {l2}",
            "lsrs {b}, {l2}, #8",
            "orr {b}, {b}, {h2}, lsl #24",
            "lsrs {h2}, {h2}, #8",
            "vmov s2, s3, {h2}, {b}",
            "bic {b}, {b}, #0xff",
            "uxth {l2}, {l2}",
            "vmov s4, s5, {b}, {l2}",
            "vcvt.f32.u32 s2, s2, #24",
            "vcvt.f32.u32 s3, s3, #32",
            "vcvt.f32.u32 s4, s4, #32",
            "vcvt.f32.u32 s5, s5, #32",
            // s6 a = 1 − β₂ᵗ rounded, s7 r₀ = √a, s8 its high 12 bits, s9 the rest.
            "vmov.f32 s6, s2",
            "vmla.f32 s6, s3, s14",
            "vsqrt.f32 s7, s6",
            "vmov {a}, s7",
            "bfc {a}, #0, #12",
            "vmov s8, {a}",
            "vsub.f32 s9, s7, s8",
            // s10 = a − r₀² as ((a − rₕ²) − 2rₕ·rₗ) − rₗ².
            "vmov.f32 s10, s6",
            "vmls.f32 s10, s8, s8",
            "vadd.f32 s11, s8, s8",
            "vmls.f32 s10, s11, s9",
            "vmls.f32 s10, s9, s9",
            // r₀ + ((((H − a) + M) + L) + (a − r₀²))/(2r₀).
            "vsub.f32 s2, s2, s6",
            "vmla.f32 s2, s4, s14",
            "vmla.f32 s2, s5, s15",
            "vadd.f32 s2, s2, s10",
            "vadd.f32 s3, s7, s7",
            "vdiv.f32 s2, s2, s3",
            "vadd.f32 s1, s7, s2",
            "vmov {a}, {b}, s0, s1",
            a = out(reg) bc1,
            b = out(reg) bc2,
            l1 = inout(reg) p1 as u32 => _,
            h1 = inout(reg) (p1 >> 32) as u32 => _,
            l2 = inout(reg) p2 as u32 => _,
            h2 = inout(reg) (p2 >> 32) as u32 => _,
            out("s0") _, out("s1") _, out("s2") _, out("s3") _, out("s4") _, out("s5") _,
            out("s6") _, out("s7") _, out("s8") _, out("s9") _,
            out("s10") _, out("s11") _, out("s14") _, out("s15") _,
            options(pure, nomem, nostack)
        );
    }
    (f32::from_bits(bc1), f32::from_bits(bc2))
}
