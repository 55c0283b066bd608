//! The one Adam kernel behind [`adam_step`](super::adam_step) (Adam with L2 weight decay) and
//! [`adamw_step`](super::adamw_step) (decoupled decay, AMSGrad): torch.optim's algorithm boxes
//! for `Adam` and `AdamW`, written once.
//!
//! **Cost model.** The guarantee — nothing is written unless every input is finite, the state
//! valid and every new value finite — is checked by one of two paths, by length:
//! - **small n** (one vector's worth, `SMALL_MAX` = 8 elements on x86_64 and aarch64, none on
//!   other targets): the new values of every element are computed once, into registers, and a
//!   test of products and comparisons per element (`Coeffs::small`) decides whether they are
//!   written. No read-only pass, no lane reductions, no bounds from sums: at n = 8 these were
//!   most of a step's fixed cost, and a step reads its buffers once.
//! - **larger n** (every n where the path above is off): a read-only pass and a writing pass,
//!   so the buffers stream through memory twice but nothing is held aside:
//!   1. a read-only reduction of each of `x`, `g`, `m`, `v` (and `v_max`), each read once:
//!      `Σ|x|`, `Σ|g|`, `Σ|m|`, `Σv` and `min v` (the shared pass of [`guard`](super::guard)).
//!      A sum is non-finite when an element is (or the sum overflows), and `v` is valid (finite
//!      and ≥ 0) exactly when `Σv` is finite and `min v ≥ 0`. From these sums (upper bounds
//!      of the maxima) follow bounds on `|g + λθ|`, the new moments and the new `θ`; when the
//!      bounds are finite, no element can overflow and the update runs at once. The reduction
//!      keeps `LANES` independent partial sums, so it vectorizes without reassociating
//!      anything.
//!   2. the update, monomorphized for the options in use, so a zero weight decay costs nothing.
//!
//! On either path, only when the test or a bound fails (an element is non-finite or invalid,
//! or the values come within a few orders of magnitude of overflow) does an exact per-element
//! check decide, with the errors in the documented order. Both paths compute each new value
//! with the same function (`Coeffs::apply`), so they write the same bits.
//!
//! The small path is off on cores without SIMD (Cortex-M0, Cortex-M4F): there a comparison is
//! no cheaper than the sums' additions, and its copy of the update would cost flash. On
//! hard-float ARMv7+ cores, plain Adam in `f32` with n ≤ 16 writes first and undoes (`asm`).
//!
//! **Bias corrections** `1 − βᵗ` come from a cache kept in the optimizer's state
//! ([`AdamBias`]), advanced by one multiplication per β and step instead of a power per step:
//! - where the target has an `f64` FPU (x86_64, aarch64, …), and for `f64` everywhere, the cache
//!   holds the running products βᵗ in `f64` (for `f32`, the `f64`'s bit pattern in the 8 bytes
//!   of two `f32`: one load and one store, all 53 bits), and `1 − βᵗ` is rounded to `T` once. Against torch's `1 − β**t` (Python
//!   floats: `pow`, then the subtraction) over t = 1…10⁵, the `f64` product is within 3.2e-16
//!   relative at β = 0.9, 3.7e-15 at 0.99, 1.4e-14 at 0.999 and 3.7e-13 at 0.9999 (worst at
//!   t ≤ 8, where `1 − βᵗ` cancels: torch's own value carries the same ε/(1 − β) amplification);
//!   the `f32` corrections are within 0.5 ulp of the `f64` value (correctly rounded but for
//!   ties; β rounded to `f32` first, as the optimizer holds it), `tests/reference/adam_bias.py`. A running product in `f32` alone, what C code
//!   usually keeps, is off by up to 840 ulp at β = 0.9999. The cache also holds the next
//!   step's corrections and its products run one step further ahead (βᵗ⁺² after step t), so
//!   that a step's update starts from two loads, and the two chains it computes for later
//!   steps (the next corrections from the products, the products advanced), each about 35
//!   cycles of conversions, `f64` arithmetic and a square root on x86, run side by side instead
//!   of one after the other before the update: on an out-of-order core a step's time at small n
//!   is set by its longest dependency chain, not by its instruction count.
//! - for `f32` on cores without an `f64` FPU (Cortex-M0, Cortex-M4F), where `f64` arithmetic
//!   would be soft-float and libm's `expm1f`/`log1pf` cost about 40 instructions each on the
//!   Cortex-M4F (and soft-float on the M0), the cache holds βᵗ as a 64-bit fixed-point running
//!   product, `p = ⌊βᵗ·2⁶⁴⌋` as a `u64` in the 8 bytes of `c1` (and `c2`): β as an `f32` is
//!   exactly `B·2⁻ˢ` (`B` its 24-bit significand), so a step computes `p·β = ⌊p·B/2ˢ⌋` by two
//!   32×32→64-bit products (`umull`) and shifts, truncated once. The error of the power is
//!   `e_t < β·e_{t−1} + 1` units of 2⁻⁶⁴, so below `min(t, 1/(1 − β))` units while `p > 0`
//!   (measured against exact integers, `tests/reference/adam_bias.py`: at most 5 036 units,
//!   3.1e-16 of `1 − βᵗ`, at β = 0.9999 over t ≤ 10⁵). Then `1 − βᵗ = (2⁶⁴ − 1 − p)·2⁻⁶⁴` is
//!   rounded to `f32` (with an `f32` FPU, its top 24 bits and the 32 below them converted by
//!   `vcvt` and added; without, in integer arithmetic) and its square root rounded correctly
//!   (with an FPU, `vsqrt` and one Newton correction in `f32`; without, one exact integer
//!   midpoint test): both corrections are the correctly rounded values of the fixed-point power,
//!   within 0.5 ulp of torch's `f64` value (worst 0.486 / 0.467 ulp for `1 − βᵗ` / its root at
//!   β = 0.999, 0.492 / 0.492 at 0.9999, over t = 1…10⁵) and the same bits as the `f64`
//!   products of x86_64 (this module's tests), so a run on these cores is the host's run.
//!   On hard-float ARMv7+ cores the products and both corrections run in inline assembly
//!   (`asm`: the same operations in the same order, so the same bits).
//!   No transcendental function and no soft-float routine is linked for them.
//!
//! The cache is keyed by `t` and both β: a key that is not the state's (a fresh or reset
//! optimizer, a β changed between steps, `t` set by hand) recomputes it from scratch — the
//! binary powering of `Real::powi`, or the same in fixed point (high halves of 64×64-bit
//! products) — so the result never depends on how the state got there beyond the rounding of
//! the products. Since the state is caller-writable, a step refuses with
//! [`Error::InvalidParameter`] (nothing written) a product cache whose corrections for it fall
//! outside (0, 1] (`validate` refuses the same); a fixed-point cache cannot hold one (every
//! bit pattern gives corrections in (0, 1], since `p·β ≤ (2⁶⁴ − 1)(1 − 2⁻²⁴)`). Inside, the
//! step size is ≥ γ and the denominator ≥ ε, which the bounds below assume, so a cache written
//! by hand can give a wrong step but never a non-finite one.

use super::guard::{
    all_finite, fused_sums, half_max, square_limit, sum_abs, sum_second, valid_second,
};
use crate::error::Error;
use crate::real::{HARD_F32, HARD_F64};
use crate::Real;

/// Plain Adam in `f32` on hard-float ARMv7 and later cores, n ≤ 16: the write-first step in
/// assembly (`cfg(lossmap_arm_v7_fp)`, set by the build script).
#[cfg(lossmap_arm_v7_fp)]
#[path = "adam_asm.rs"]
mod asm;

/// What the kernel does besides plain Adam.
#[derive(Clone, Copy)]
pub(crate) struct AdamRule<T> {
    pub lr: T,
    pub beta1: T,
    pub beta2: T,
    pub eps: T,
    pub weight_decay: T,
    /// Decoupled decay θ ← θ(1 − γλ) instead of the L2 term g ← g + λθ.
    pub decoupled: bool,
    /// AMSGrad: the denominator from the running maximum of v.
    pub amsgrad: bool,
    /// torch's `maximize`, folded into the step size and the L2 term (see `Coeffs::maximize`):
    /// no per-element cost; `m` then holds the first moment of `g`, the negative of torch's.
    pub maximize: bool,
}

/// Where a kernel takes its [`AdamRule`] from: a rule, or a configuration the rule is read
/// from inside the kernel (plain Adam's), so that the caller does not store a copy of it for
/// the call.
pub(crate) trait RuleOf<T> {
    /// The rule.
    fn rule(&self) -> AdamRule<T>;
}

impl<T: Copy> RuleOf<T> for AdamRule<T> {
    #[inline(always)]
    fn rule(&self) -> AdamRule<T> {
        *self
    }
}

/// The state behind Adam's bias corrections `1 − β₁ᵗ` and `√(1 − β₂ᵗ)`, kept between steps so
/// that a step does not recompute the powers βᵗ: running `f64` products of β for `f64`, and
/// for `f32` where the target has an `f64` FPU; a 64-bit fixed-point product for `f32` on cores
/// without one.
///
/// With running products the cache also holds the next step's two corrections, computed by
/// the step before it, and the products of the step after the next: a step then starts its
/// update from two loads, and computes the next corrections and the products advanced by one
/// side by side, beside its update.
///
/// Written by every successful step and by the empty cache `EMPTY` that a new or reset
/// optimizer (and the C init functions) store; nothing else needs to write it. It is keyed by
/// the step count and the two β it was computed for: a step whose `t`, `beta1` or `beta2`
/// differ from the key (a changed β, a step count set by hand) recomputes it from scratch, so
/// changing hyperparameters or the step count between steps gives torch's result. Values
/// written by hand under a matching key give a wrong step at worst, never a non-finite one: a
/// step refuses, with the invalid-parameter error and nothing written, a cache whose
/// corrections for it fall outside (0, 1] — with running products, the two it holds, so a bad
/// power is refused by the step after it, whose corrections it gives (the step in between runs
/// on the corrections held, so it is the step a valid cache gives). Validating the optimizer
/// refuses what its next step would refuse, no more (drivers validate before they evaluate
/// anything, and a bad power then fails the driver one step later, as that step does).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct AdamBias<T> {
    /// The step count the cache belongs to (the count before the step that uses it).
    pub t: u32,
    /// The β₁ it was computed for (2, never a valid β, in the empty cache).
    pub beta1: T,
    /// The β₂ it was computed for (2 in the empty cache).
    pub beta2: T,
    /// With running products, `1 − β₁ᵗ⁺¹`: the next step's first correction, rounded to `T`
    /// once from the `f64` product. Unused (the step computes it) in fixed point.
    pub bc1: T,
    /// With running products, `√(1 − β₂ᵗ⁺¹)` (the `f64` root rounded to `T` once). Unused
    /// in fixed point.
    pub bc2_sqrt: T,
    /// For β₁: `[β₁ᵗ⁺², 0]` in `f64` (the power of the step after the next, whose corrections
    /// the next step computes); for `f32` where the target has an `f64` FPU, β₁ᵗ⁺² as an `f64`
    /// whose bit pattern fills the 8 bytes of `c1` in the target's byte order (on a
    /// little-endian target `c1[0]` holds the low 32 bits, `c1[1]` the high 32: the two
    /// elements are bit patterns, not values, and `c1[0]` may be a NaN pattern); for `f32` on
    /// cores without one, `⌊β₁ᵗ·2⁶⁴⌋` (the power of the cache's own step) as a `u64` whose bits
    /// fill the 8 bytes in the same way.
    pub c1: [T; 2],
    /// The same for β₂.
    pub c2: [T; 2],
}

impl<T: Real> AdamBias<T> {
    /// The empty cache (a fresh or reset optimizer): the first step computes it.
    pub const EMPTY: Self = AdamBias {
        t: 0,
        beta1: T::TWO,
        beta2: T::TWO,
        bc1: T::ZERO,
        bc2_sqrt: T::ZERO,
        c1: [T::ZERO; 2],
        c2: [T::ZERO; 2],
    };
}

/// Two caches are equal when their fields are, a NaN in `c1`, `c2` equal to a NaN (for `f32`
/// products they hold bit patterns, which may read as NaN).
impl<T: PartialEq> PartialEq for AdamBias<T> {
    fn eq(&self, o: &Self) -> bool {
        // NaN equals NaN in `c1`, `c2`: for `f32` products they hold bit patterns.
        #[allow(clippy::eq_op)]
        fn same<T: PartialEq>(a: &[T; 2], b: &[T; 2]) -> bool {
            a.iter().zip(b).all(|(p, q)| p == q || (p != p && q != q))
        }
        self.t == o.t
            && self.beta1 == o.beta1
            && self.beta2 == o.beta2
            && self.bc1 == o.bc1
            && self.bc2_sqrt == o.bc2_sqrt
            && same(&self.c1, &o.c1)
            && same(&self.c2, &o.c2)
    }
}

impl<T: Real> Default for AdamBias<T> {
    /// [`AdamBias::EMPTY`].
    fn default() -> Self {
        Self::EMPTY
    }
}

/// Running products where the target computes `f64` in hardware (and for `f64` everywhere).
const PRODUCTS: bool = HARD_F64;

/// `true` when the bits of `a` and `b` are equal (a key match; an integer compare, which is
/// one instruction where a float compare is a library call).
#[inline(always)]
fn same<T: Real>(a: T, b: T) -> bool {
    a.to_bits_u64() == b.to_bits_u64()
}

/// `x ∈ (0, 1]` by one integer range test of the bits (false for NaN, ±0, negatives).
#[inline(always)]
fn in_unit<T: Real>(x: T) -> bool {
    x.to_bits_u64().wrapping_sub(1) < T::ONE.to_bits_u64()
}

/// What a step takes from the cache and what it leaves there besides the key.
#[derive(Clone, Copy)]
struct Corrected<T> {
    /// The step's own corrections `1 − β₁ᵗ` and `√(1 − β₂ᵗ)`.
    bc1: T,
    bc2_sqrt: T,
    /// The cache's `c1`, `c2` after the step.
    c1: [T; 2],
    c2: [T; 2],
    /// With running products, the next step's corrections (the cache's `bc1`, `bc2_sqrt`).
    next1: T,
    next2: T,
}

impl<T: Real> Corrected<T> {
    /// Whether the step's corrections are in (0, 1].
    #[inline(always)]
    fn valid(&self) -> bool {
        in_unit(self.bc1) & in_unit(self.bc2_sqrt)
    }

    /// [`valid`](Self::valid) where a cache can hold invalid values: with running products
    /// (`P`). A fixed-point cache cannot (see [`fixed_next`]; tested for every bit pattern
    /// class), so there the test is not compiled.
    #[inline(always)]
    fn valid_in<const P: bool>(&self) -> bool {
        !stored::<T, P>() || self.valid()
    }
}

/// Whether the cache holds running products and, with them, the next step's corrections
/// (`P`: the target's choice, [`PRODUCTS`]; the tests also run the other).
#[inline(always)]
const fn stored<T: Real, const P: bool>() -> bool {
    T::IS_F64 || P
}

/// A fixed-point power as the cache holds it: the bits of `p` in the 8 bytes of `c1` (or `c2`),
/// low 32 bits first on a little-endian target, as an `f64` product is held.
#[inline(always)]
fn fixed_split<T: Real>(p: u64) -> [T; 2] {
    let (first, second) = if cfg!(target_endian = "little") {
        (p, p >> 32)
    } else {
        (p >> 32, p)
    };
    [
        T::from_bits_u64(first & 0xffff_ffff),
        T::from_bits_u64(second & 0xffff_ffff),
    ]
}

/// The power [`fixed_split`] stored, bit for bit.
#[inline(always)]
fn fixed_joined<T: Real>(c: [T; 2]) -> u64 {
    let (first, second) = (c[0].to_bits_u64(), c[1].to_bits_u64());
    if cfg!(target_endian = "little") {
        first | second << 32
    } else {
        first << 32 | second
    }
}

/// `⌊p·β⌋` for a fixed-point `p` (units of 2⁻⁶⁴) and an `f32` β ∈ [0, 1): β's bits are
/// `B·2⁻ˢ` (`B` its 24-bit significand, `s = 150 − e` ≥ 24 from its biased exponent `e`), so
/// `p·β = (p·B) >> s`, `p·B` by two 32×32→64-bit products: exact but for the one truncation.
/// β below 2⁻¹²⁶ (0, subnormals) gives 0 (`p·β < 2⁻⁶²`).
#[inline(always)]
fn fixed_mul<T: Real>(p: u64, beta: T) -> u64 {
    let b = beta.to_bits_u64() as u32;
    let e = b >> 23;
    let sig = (b & 0x007f_ffff) | 0x0080_0000;
    let hi = (p >> 32) * sig as u64;
    let lo = (p & 0xffff_ffff) * sig as u64;
    // ⌊(hi·2³² + lo)/2²⁴⌋, exact (hi·2³² is a multiple of 2²⁴), and < 2⁶⁴ since B < 2²⁴.
    let r = (hi << 8).wrapping_add(lo >> 24);
    // The rest of the shift, s − 24 = 126 − e: zero for β ∈ [½, 1).
    let sh = 126u32.wrapping_sub(e);
    if e == 0 {
        0
    } else if sh == 0 {
        r
    } else {
        r.checked_shr(sh).unwrap_or(0)
    }
}

/// `⌊a·b/2⁶⁴⌋`: the high half of the 128-bit product, by four 32×32→64-bit products (exact).
#[inline(always)]
fn mul_high(a: u64, b: u64) -> u64 {
    let (ah, al, bh, bl) = (a >> 32, a & 0xffff_ffff, b >> 32, b & 0xffff_ffff);
    let (ll, lh, hl, hh) = (al * bl, al * bh, ah * bl, ah * bh);
    let mid = (ll >> 32) + (lh & 0xffff_ffff) + (hl & 0xffff_ffff);
    hh + (lh >> 32) + (hl >> 32) + (mid >> 32)
}

/// `βᵗ·2⁶⁴` truncated, `t ≥ 1`, by binary powering in fixed point from `⌊β·2⁶⁴⌋` (exact for
/// β ≥ 2⁻⁴⁰): each squaring and product is [`mul_high`], truncated once. The absolute error
/// grows with the squarings (a relative error doubles in a squaring), but stays within a few
/// times `log₂ t · min(t, 1/(1 − β))` units of 2⁻⁶⁴, below 2⁻³⁰ of `1 − βᵗ` for every `f32` β:
/// far below an `f32` rounding (tests: the same `f32` corrections as the running product).
#[inline(never)]
fn fixed_pow<T: Real>(beta: T, t: u32) -> u64 {
    let b = beta.to_bits_u64() as u32;
    let e = b >> 23;
    if e == 0 || t == 0 {
        // β < 2⁻¹²⁶: every power is below 2⁻⁶⁴ (t = 0 does not occur: steps count from 1).
        return 0;
    }
    let sig = ((b & 0x007f_ffff) | 0x0080_0000) as u64;
    let mut base = (sig << 40).checked_shr(126u32.wrapping_sub(e)).unwrap_or(0);
    let mut acc: Option<u64> = None;
    let mut k = t;
    loop {
        if k & 1 == 1 {
            acc = Some(match acc {
                Some(a) => mul_high(a, base),
                None => base,
            });
        }
        k >>= 1;
        if k == 0 || base == 0 {
            break;
        }
        base = mul_high(base, base);
    }
    match acc {
        Some(a) if k == 0 => a,
        _ => 0,
    }
}

/// `1 − p·2⁻⁶⁴` in `f32` (for `T` = `f32`), as `d·2⁻⁶⁴` with `d = 2⁶⁴ − 1 − p` (the missing
/// unit of 2⁻⁶⁴ is below 2⁻⁴⁰ of any correction, `1 − β ≥ 2⁻²⁴`), and `d`, from which
/// [`fixed_root`] rounds the square root. With an `f32` FPU (`HARD`): the top 24 bits of `d`
/// (exact in `f32`) and the 32 below them converted (`vcvt`) and added, one rounding of a sum
/// whose second term is off by at most 2⁻⁴⁹: correctly rounded but within 2⁻¹⁶ ulp of a
/// midpoint. Without: rounded to nearest even in integer arithmetic, correctly rounded, no
/// soft-float routine.
#[inline(always)]
fn fixed_one_minus<T: Real, const HARD: bool>(p: u64) -> (T, u64) {
    let d = !p;
    if HARD {
        let (hi, mid) = ((d >> 40) as usize, ((d >> 8) & 0xffff_ffff) as usize);
        // 2⁻²⁴ and 2⁻⁵⁶.
        let (s24, s56) = (
            T::from_f64(5.960_464_477_539_063e-8),
            T::from_f64(1.387_778_780_781_445_7e-17),
        );
        return (T::from_usize(hi) * s24 + T::from_usize(mid) * s56, d);
    }
    if d == 0 {
        return (T::ZERO, d);
    }
    let z = d.leading_zeros();
    let n = d << z;
    // n·2^(−64−z): the top 24 bits, rounded to nearest even by the 40 below.
    let (sig, rest) = (n >> 40, n & 0x00ff_ffff_ffff);
    let half = 1u64 << 39;
    let up = (rest > half || (rest == half && sig & 1 == 1)) as u64;
    // Biased exponent 126 − z; the significand's leading bit adds one to the field, and a
    // rounding carry out of it one more (then the significand is 0).
    (T::from_bits_u64(((125 - z as u64) << 23) + sig + up), d)
}

/// Whether `d·2⁻⁶⁴` exceeds the square of the midpoint between the positive `f32` of bits `c`
/// and the next one: `(2C + 1)²·2^(2k−2)` for `c = C·2ᵏ` (`C` its 24-bit significand), an
/// exact integer comparison of `d` with `q = (2C + 1)²` (< 2⁵⁰) scaled by `2^sh`, `sh = 2k +
/// 62`: `d > q·2^sh` is `⌊(d − 1)/2^sh⌋ ≥ q` for `sh ≥ 0` and `d > ⌊q/2^−sh⌋` below. The roots
/// tested are in [2⁻¹², 1] (corrections ≥ 2⁻²⁴), so `sh ∈ [−10, 16]`; the shifts are masked
/// to 63 (no other values reach here).
#[inline(always)]
fn above_midpoint(d: u64, c: u64) -> bool {
    let e = ((c >> 23) & 0xff) as u32;
    let big = ((c & 0x007f_ffff) | 0x0080_0000) * 2 + 1;
    let q = big * big;
    let sh = (2 * e).wrapping_sub(238);
    if (sh as i32) >= 0 {
        d.wrapping_sub(1) >> (sh & 63) >= q
    } else {
        d > q >> (sh.wrapping_neg() & 63)
    }
}

/// `√(d·2⁻⁶⁴)` correctly rounded (ties aside) from `a`, the correctly rounded `d·2⁻⁶⁴`: the
/// root of `a` (`Real::sqrt`: `vsqrt` with an FPU) is within one ulp of it, on the side where
/// `a` was rounded, so one midpoint test ([`above_midpoint`]) decides between it and that
/// neighbour: the same bits as the running products' `f64` root rounded to `f32`.
#[inline(always)]
fn fixed_root<T: Real>(a: T, d: u64) -> T {
    let r = a.sqrt();
    let rb = r.to_bits_u64();
    // a·2⁶⁴ = a's significand shifted; a > X when it was rounded up.
    let ab = a.to_bits_u64();
    let ae = (ab >> 23) as u32;
    let asig = (ab & 0x007f_ffff) | 0x0080_0000;
    // a = asig·2^(ae−150), so a·2⁶⁴ = asig·2^(ae−86) (ae ≥ 102 for a ≥ 2⁻²⁴): compare with d.
    // a = 1 (ae = 127) is above every X (d < 2⁶⁴); below, a ≥ 2⁻²⁴, so the shift is ≤ 24.
    let a_fixed = (asig << 40) >> (126u32.wrapping_sub(ae) & 63);
    if ae > 126 || a_fixed > d {
        // √X < √a: r or the one below.
        let below = rb.wrapping_sub(1);
        if above_midpoint(d, below) {
            r
        } else {
            T::from_bits_u64(below)
        }
    } else if a_fixed < d {
        if above_midpoint(d, rb) {
            T::from_bits_u64(rb + 1)
        } else {
            r
        }
    } else {
        r
    }
}

/// [`fixed_root`] with an `f32` FPU, by one Newton correction in `f32`: `r₀ = √a`, then
/// `r₀ + (X − r₀²)/(2r₀)` rounded once, with `X − r₀²` = `(H − a) + M + L + (a − r₀²)` (`H`,
/// `M`, `L` the top 24, next 24 and last 16 bits of `d`, each exact in `f32`; `H − a` exact
/// by Sterbenz's lemma; `a − r₀²` by Veltkamp's splitting of `r₀` into two 12-bit halves,
/// whose products are exact and whose differences are exact by Sterbenz's lemma but the
/// last, of a residual already ≈ 2⁻²³ of `a`). The correction is within about 2⁻⁴⁸ of `a` of
/// its value, so the sum rounds to the
/// correctly rounded root unless that lies within as much of a midpoint: the same bits as
/// the integer test, about 15 instructions where that test took about 50 (`vdiv` counts
/// one). `a ≥ 2⁻²⁴` (every correction is), so `2r₀` is never 0.
#[inline(always)]
fn fixed_root_fpu<T: Real>(a: T, d: u64) -> T {
    // 2⁻²⁴, 2⁻⁴⁸, 2⁻⁶⁴.
    let (s24, s48, s64) = (
        T::from_f64(5.960_464_477_539_063e-8),
        T::from_f64(3.552_713_678_800_501e-15),
        T::from_f64(5.421_010_862_427_522e-20),
    );
    let h = T::from_usize((d >> 40) as usize) * s24;
    let m = T::from_usize(((d >> 16) & 0xff_ffff) as usize) * s48;
    let l = T::from_usize((d & 0xffff) as usize) * s64;
    let r = a.sqrt();
    let rh = T::from_bits_u64(r.to_bits_u64() & 0xffff_f000);
    let rl = r - rh;
    let res = ((a - rh * rh) - (rh + rh) * rl) - rl * rl;
    let corr = ((h - a) + m + l + res) / (r + r);
    r + corr
}

/// The fixed-point powers of step `t + 1` (as [`fixed_next`] computes them): the cache's
/// advanced by one step when its key matches, from scratch otherwise.
#[inline(always)]
fn fixed_powers<T: Real>(bias: &AdamBias<T>, t: u32, beta1: T, beta2: T) -> (u64, u64) {
    let hit = bias.t == t && same(bias.beta1, beta1) && same(bias.beta2, beta2);
    if hit {
        let (p1, p2) = (fixed_joined(bias.c1), fixed_joined(bias.c2));
        #[cfg(lossmap_arm_v7_fp)]
        if asm::takes::<T>(1) {
            let bits = |b: T| b.to_bits_u64() as u32;
            return asm::fixed_advance(p1, p2, bits(beta1), bits(beta2));
        }
        (fixed_mul(p1, beta1), fixed_mul(p2, beta2))
    } else {
        let (c1, c2) = fresh::<T, false>(beta1, beta2, t.saturating_add(1));
        (fixed_joined(c1), fixed_joined(c2))
    }
}

/// The fixed-point path of [`next_bias`] (`f32` where the target has no `f64` FPU): the
/// cache's `c1`, `c2` hold `βᵗ·2⁶⁴` truncated (`t` the cache's step count), a step multiplies
/// it by β ([`fixed_mul`]) and derives its corrections ([`fixed_one_minus`], then `Real::sqrt`).
/// Every cache gives corrections in (0, 1]: `p·β ≤ (2⁶⁴ − 1)(1 − 2⁻²⁴)`, so `d ≥ 2⁴⁰`.
#[inline(always)]
fn fixed_next<T: Real, const HARD: bool>(
    bias: &AdamBias<T>,
    t: u32,
    beta1: T,
    beta2: T,
) -> Corrected<T> {
    let (p1, p2) = fixed_powers(bias, t, beta1, beta2);
    // On hard-float ARMv7+ cores, the same operations in assembly.
    #[cfg(lossmap_arm_v7_fp)]
    if HARD && asm::takes::<T>(1) {
        let (bc1, bc2) = asm::fixed_corrections(p1, p2);
        return Corrected {
            bc1: T::from_bits_u64(bc1.to_bits().into()),
            bc2_sqrt: T::from_bits_u64(bc2.to_bits().into()),
            c1: fixed_split(p1),
            c2: fixed_split(p2),
            next1: T::ZERO,
            next2: T::ZERO,
        };
    }
    let (bc1, _) = fixed_one_minus::<T, HARD>(p1);
    let (a2, d2) = fixed_one_minus::<T, HARD>(p2);
    Corrected {
        bc1,
        bc2_sqrt: if HARD {
            fixed_root_fpu(a2, d2)
        } else {
            fixed_root(a2, d2)
        },
        c1: fixed_split(p1),
        c2: fixed_split(p2),
        next1: T::ZERO,
        next2: T::ZERO,
    }
}

/// The cache values of step `t ≥ 1`, from scratch: the powers βᵗ by one binary powering (the
/// products of `Real::powi`, in the same order: bit-identical; in fixed point, [`fixed_pow`]).
/// Returned in registers (for `f32`, 16 bytes); the caller derives the rest.
#[cold]
#[inline(never)]
fn fresh<T: Real, const P: bool>(beta1: T, beta2: T, t: u32) -> ([T; 2], [T; 2]) {
    if T::IS_F64 || P {
        let (mut p1, mut p2) = (beta1.to_f64(), beta2.to_f64());
        let (mut a1, mut a2) = (1.0f64, 1.0f64);
        let mut e = t.min(i32::MAX as u32);
        // From set bit to set bit: the squarings of the clear bits in between, then one
        // product per set bit (the products of `powi`, without its per-bit select).
        while e > 0 {
            for _ in 0..e.trailing_zeros() {
                p1 *= p1;
                p2 *= p2;
            }
            a1 *= p1;
            a2 *= p2;
            p1 *= p1;
            p2 *= p2;
            e >>= e.trailing_zeros();
            e >>= 1;
        }
        (split(a1), split(a2))
    } else {
        let (p1, p2) = (fixed_pow(beta1, t), fixed_pow(beta2, t));
        (fixed_split(p1), fixed_split(p2))
    }
}

/// An `f64` as the cache holds it: `[p, 0]` for `f64`; for `f32`, the bit pattern of `p` in the
/// 8 bytes of the two elements, in the target's byte order (the pair is the `f64` in memory:
/// one 8-byte store, and [`joined`] one 8-byte load).
#[inline(always)]
fn split<T: Real>(p: f64) -> [T; 2] {
    if T::IS_F64 {
        [T::from_f64(p), T::ZERO]
    } else {
        let b = p.to_bits();
        let (first, second) = if cfg!(target_endian = "little") {
            (b, b >> 32)
        } else {
            (b >> 32, b)
        };
        [T::from_bits_u64(first), T::from_bits_u64(second)]
    }
}

/// The `f64` a product cache holds ([`split`] undone, bit for bit).
#[inline(always)]
fn joined<T: Real>(c: [T; 2]) -> f64 {
    if T::IS_F64 {
        c[0].to_f64()
    } else {
        let (first, second) = (c[0].to_bits_u64(), c[1].to_bits_u64());
        f64::from_bits(if cfg!(target_endian = "little") {
            first | second << 32
        } else {
            first << 32 | second
        })
    }
}

/// The product cache of the step after the one `c` belongs to: the products times β (rounded
/// once, in `f64`).
///
/// A product below 2⁻⁶⁰ is flushed to 0: `1 − p` then rounds to 1 either way (as does its
/// square root), so no correction changes, and the product never becomes subnormal, which
/// costs x86 cores about a hundred cycles per operation (for thousands of steps: β₂ = 0.999
/// reaches the subnormal range at t ≈ 7·10⁵ and 0 only 4·10⁴ steps later).
#[inline(always)]
fn advance<T: Real>(c: [T; 2], beta: T) -> [T; 2] {
    let q = joined(c) * beta.to_f64();
    split(if q < TINY_POWER { 0.0 } else { q })
}

/// 2⁻⁶⁰: below it a power of β no longer changes `1 − βᵗ` in `f64` (see [`advance`]).
const TINY_POWER: f64 = 8.673_617_379_884_035e-19;

/// `(1 − β₁ᵗ, √(1 − β₂ᵗ))` from the product cache of step `t`, rounded to `T` once.
#[inline(always)]
fn corrections<T: Real>(c1: [T; 2], c2: [T; 2]) -> (T, T) {
    let (bc1, bc2) = (1.0 - joined(c1), 1.0 - joined(c2));
    (T::from_f64(bc1), T::from_f64(Real::sqrt(bc2)))
}

/// The corrections `(1 − β₁ᵗ, √(1 − β₂ᵗ))` of the step after step `t` and the cache it leaves:
/// with a matching key and running products, the corrections the cache holds, those of the
/// step after from the products it holds, and the products advanced by one; in fixed point,
/// the power advanced and the corrections from it ([`fixed_next`]); from scratch when the key
/// is not this state's (an empty cache, a β or `t` changed since). The step refuses it unless
/// its corrections are in (0, 1] ([`Corrected::valid`]; `validate` refuses the same): a cache
/// written by hand; this keeps the step size ≥ γ > 0 and the denominator ≥ ε, which the
/// kernel's bounds rely on.
///
/// The step's update waits only for the two loads. The step does not test the next step's
/// corrections (that step does): the test would be a branch on the end of their chain, and an
/// out-of-order core retires nothing after an instruction until it has completed.
#[inline(always)]
fn next_bias<T: Real>(bias: &AdamBias<T>, t: u32, beta1: T, beta2: T) -> Corrected<T> {
    next_bias_in::<T, PRODUCTS, HARD_F32>(bias, t, beta1, beta2)
}

/// [`next_bias`] with the scheme chosen by `P` (running products, or fixed point) and, in fixed
/// point, `HARD` (the conversions with an `f32` FPU): the tests run every scheme on the host.
#[inline(always)]
fn next_bias_in<T: Real, const P: bool, const HARD: bool>(
    bias: &AdamBias<T>,
    t: u32,
    beta1: T,
    beta2: T,
) -> Corrected<T> {
    if !stored::<T, P>() {
        return fixed_next::<T, HARD>(bias, t, beta1, beta2);
    }
    let step = t.saturating_add(1);
    let hit = bias.t == t && same(bias.beta1, beta1) && same(bias.beta2, beta2);
    // The step's corrections and the products of the step after it.
    let (bc1, bc2_sqrt, p1, p2) = if hit {
        (bias.bc1, bias.bc2_sqrt, bias.c1, bias.c2)
    } else {
        let (c1, c2) = fresh::<T, true>(beta1, beta2, step);
        let (bc1, bc2_sqrt) = corrections(c1, c2);
        (bc1, bc2_sqrt, advance(c1, beta1), advance(c2, beta2))
    };
    // Two chains of half the length, neither waited for by the update: the next step's
    // corrections from those products, and the products one step further.
    let (next1, next2) = corrections(p1, p2);
    Corrected {
        bc1,
        bc2_sqrt,
        c1: advance(p1, beta1),
        c2: advance(p2, beta2),
        next1,
        next2,
    }
}

/// The cache after step `step` (`t` of the cache, keyed by the β in use) from what
/// [`next_bias`] left. In fixed point its `bc1`, `bc2_sqrt` are not written.
#[inline(always)]
fn leave<T: Real>(bias: &mut AdamBias<T>, k: &Corrected<T>, step: u32, beta1: T, beta2: T) {
    leave_in::<T, PRODUCTS>(bias, k, step, beta1, beta2)
}

/// [`leave`] for the scheme `P` (see [`next_bias_in`]).
#[inline(always)]
fn leave_in<T: Real, const P: bool>(
    bias: &mut AdamBias<T>,
    k: &Corrected<T>,
    step: u32,
    beta1: T,
    beta2: T,
) {
    bias.t = step;
    bias.beta1 = beta1;
    bias.beta2 = beta2;
    if stored::<T, P>() {
        bias.bc1 = k.next1;
        bias.bc2_sqrt = k.next2;
    }
    bias.c1 = k.c1;
    bias.c2 = k.c2;
}

/// [`Error::InvalidParameter`] when the next step would refuse the cache `bias` (for
/// `Optimizer::validate`, so that drivers refuse it before they evaluate anything).
pub(crate) fn check_bias<T: Real>(
    bias: &AdamBias<T>,
    t: u32,
    beta1: T,
    beta2: T,
) -> Result<(), Error> {
    if next_bias(bias, t, beta1, beta2).valid_in::<PRODUCTS>() {
        Ok(())
    } else {
        Err(Error::InvalidParameter)
    }
}

/// `1 − βᵗ` and `√(1 − β₂ᵗ)` for step `t ≥ 1` from scratch (what a step computes from an empty
/// cache) with running products.
#[cfg(test)]
pub(crate) fn bias_corrections<T: Real>(beta1: T, beta2: T, t: u32) -> (T, T) {
    let (c1, c2) = fresh::<T, true>(beta1, beta2, t);
    corrections(c1, c2)
}

/// The read-only pass: `[Σ|x|, Σ|g|, Σ|m|, Σv, min v, Σv_max, min v_max]` (the last two zero
/// without AMSGrad; each minimum taken with 0). Each buffer is read once, by one fused loop on a
/// scalar core with an FPU, by a loop of its own elsewhere.
#[inline]
fn sums<T: Real>(x: &[T], g: &[T], m: &[T], v: &[T], v_max: Option<&[T]>) -> [T; 7] {
    let (svm, svm_neg) = match v_max {
        Some(vm) => sum_second(vm),
        None => (T::ZERO, T::ZERO),
    };
    if let Some([sx, sg, sm, sv, sneg]) = fused_sums(x, g, m, v) {
        return [sx, sg, sm, sv, sneg, svm, svm_neg];
    }
    let (sv, sneg) = sum_second(v);
    [sum_abs(x), sum_abs(g), sum_abs(m), sv, sneg, svm, svm_neg]
}

/// Up to this many elements a step computes its new values in registers, tests them with the
/// inputs, and then writes them ([`Coeffs::small`]); longer buffers take the read-only pass of
/// sums and the bounds. One vector of `f32` (two of `f64`) on x86-64-v3: measured (callgrind
/// and criterion, f32/f64), this path took 251/319 instructions and 12.4/18.3 ns a step at
/// n = 8 against 350/427 and 25.3/30.6 for the sums (207/262 instructions through
/// [`small_full`], the f32 one-sum test); with 64 (new values held in local arrays, zeroed
/// first), 422/537 at n = 8 and 803/1380 at n = 64 against 672/953 for the sums. Where the
/// target has SIMD only (x86_64, aarch64); zero elsewhere.
const SMALL_MAX: usize = if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
    8
} else {
    0
};

/// Whether a step of `n` elements takes the small path: never where [`SMALL_MAX`] is 0.
#[inline(always)]
#[allow(clippy::absurd_extreme_comparisons)] // `SMALL_MAX` is 0 on targets without SIMD.
fn small_n(n: usize) -> bool {
    SMALL_MAX > 0 && n <= SMALL_MAX
}

/// The whole-vector length of the tests: [`SMALL_MAX`] elements.
#[cfg(test)]
const SMALL_LANES: usize = 8;

/// What the small-n test compares against (see [`Coeffs::small`]), from the step's constants
/// by multiplications only.
struct Limits<T> {
    /// `max(|γ'|, ½)`, γ' the step size.
    step: T,
    /// `E = min(ε·MAX/4, MAX)`: ε·MAX/4 rounded, or MAX when ε > 4 (where the quotient by a
    /// denominator ≥ ε is below its numerator).
    eps_quarter: T,
    /// `E/(√MAX/2)` and `E/2^(e−2)` (`e` MAX's exponent, so `2^(e−2)` is MAX/4 rounded up by
    /// less than one part in 2²³): `E` times powers of two, rounded once. The terms they scale
    /// are of the size of ε times the values (normal numbers where the values are), not of
    /// the values over 2^(e−2) (subnormal for |θ| < 2 in `f32`, each one a microcode assist
    /// on x86 cores).
    over_square: T,
    over_quarter: T,
    /// For the four conditions of `f64` ([`Coeffs::conditions`]): `1/(√MAX/2)`, `2^(2−e)`
    /// (powers of two), MAX and `ε·MAX/4` (+∞ when ε > 4).
    inv_square: T,
    inv_quarter: T,
    max: T,
    eps_quarter_raw: T,
}

impl<T: Real> Limits<T> {
    #[inline(always)]
    fn of(k: &Coeffs<T>) -> Self {
        let quarter = half_max::<T>() * T::HALF;
        let s = k.step_size.abs();
        let raw = k.eps * quarter;
        let e = if raw < T::MAX_R { raw } else { T::MAX_R };
        let (inv_square, inv_quarter) = if T::IS_F64 {
            (1.491_668_146_240_041_3e-154, 2.225_073_858_507_201_4e-308)
        } else {
            (1.084_202_172_485_504_4e-19, 1.175_494_350_822_287_5e-38)
        };
        Limits {
            step: if s < T::HALF { T::HALF } else { s },
            eps_quarter: e,
            over_square: e * T::from_f64(inv_square),
            over_quarter: e * T::from_f64(inv_quarter),
            inv_square: T::from_f64(inv_square),
            inv_quarter: T::from_f64(inv_quarter),
            max: T::MAX_R,
            eps_quarter_raw: raw,
        }
    }
}

/// The per-step constants of the update (`repr(C)`: the assembly step loads them in this
/// order).
#[derive(Clone, Copy)]
#[repr(C)]
struct Coeffs<T> {
    beta1: T,
    beta2: T,
    one_m_b1: T,
    one_m_b2: T,
    eps: T,
    l2: T,
    shrink: T,
    step_size: T,
    bc2_sqrt: T,
}

impl<T: Real> Coeffs<T> {
    /// torch's `maximize` at no per-element cost: `−g + λθ = −(g + (−λ)θ)`, `m` changes sign with
    /// the gradient (exactly: rounding is symmetric) and `v` does not, so negating the step size
    /// and the L2 coefficient after the bounds (which use absolute values) gives the same new θ;
    /// `m` then holds the first moment of `g`, the negative of torch's `exp_avg`.
    fn maximize(&mut self) {
        self.step_size = -self.step_size;
        self.l2 = -self.l2;
    }

    /// New `(θ, m, v, v_max)` from `(θ, m, v, v_max, g)`; with `AMS` off `v_max` passes through.
    #[inline(always)]
    fn apply<const L2: bool, const SHRINK: bool, const AMS: bool>(
        &self,
        xi: T,
        mi: T,
        vi: T,
        vmi: T,
        gi: T,
    ) -> (T, T, T, T) {
        let xs = if SHRINK { xi * self.shrink } else { xi };
        let ge = if L2 { gi + self.l2 * xs } else { gi };
        let m = self.beta1 * mi + self.one_m_b1 * ge;
        let v = self.beta2 * vi + self.one_m_b2 * ge * ge;
        let (vm, second) = if AMS {
            let vm = if v > vmi { v } else { vmi };
            (vm, vm)
        } else {
            (vmi, v)
        };
        let denom = second.sqrt() / self.bc2_sqrt + self.eps;
        (xs - self.step_size * (m / denom), m, v, vm)
    }

    /// The writing pass.
    #[inline(always)]
    fn update<const L2: bool, const SHRINK: bool, const AMS: bool>(
        &self,
        x: &mut [T],
        m: &mut [T],
        v: &mut [T],
        v_max: &mut [T],
        g: &[T],
    ) {
        if AMS {
            for ((((xi, mi), vi), vmi), &gi) in x
                .iter_mut()
                .zip(m.iter_mut())
                .zip(v.iter_mut())
                .zip(v_max.iter_mut())
                .zip(g)
            {
                (*xi, *mi, *vi, *vmi) = self.apply::<L2, SHRINK, true>(*xi, *mi, *vi, *vmi, gi);
            }
        } else {
            for (((xi, mi), vi), &gi) in x.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g) {
                let (a, b, c, _) = self.apply::<L2, SHRINK, false>(*xi, *mi, *vi, T::ZERO, gi);
                (*xi, *mi, *vi) = (a, b, c);
            }
        }
    }

    /// The small-n step (`x.len() ≤ SMALL_MAX`; the caller has checked that every buffer has
    /// `x.len()` elements, `v_max` too with `AMS`): every new value computed once by
    /// [`apply`](Self::apply), tested, and only then written. A whole vector of elements keeps
    /// its new values in registers; fewer are tested here and computed again by
    /// [`update`](Self::update) (the same `apply`, so the same bits).
    ///
    /// The test ([`accepts`](Self::accepts)), per element, with θ_s = θ·shrink, `m'`, `v'`,
    /// `v_max'` the new values, γ' the step size, `e` the exponent of MAX, `E = min(ε·MAX/4,
    /// MAX)` and `s = max(|γ'|, ½)`: one sum of non-negative terms
    /// `s·|m'| + |g + λθ_s|·E/(√MAX/2) + |θ_s|·E/2^(e−2) + |v'|·c (+ |v_max'|·c) < E`, with
    /// `c = E/2^(e−2)` when `v ≥ 0` (and `v_max ≥ 0`) and `c = +∞` otherwise (`∞·|v'|` is ∞ or
    /// NaN, so a negative `v` fails it), each scale factor rounded once. A rounded sum of
    /// non-negative terms is at least each term, and a rounded product below `E` is an exact
    /// product below `E`, so each term is below `E` on its own: `|g + λθ_s| < √MAX/2`,
    /// `|θ_s| < 2^(e−2)`, `v' < 2^(e−2)`, `|m'| < 2E ≤ ε·MAX/2` and `|γ'|·|m'| < E` (each up
    /// to the rounding of its scale factor); a NaN or ∞ anywhere fails it. So the test implies
    /// the exact check's acceptance, and a step it passes is one the exact check passes (whole
    /// vectors of `f64` test the same bounds as four conditions, [`conditions`](Self::conditions)):
    /// - the inputs are finite: `|θ_s|` finite makes θ finite (`∞·0 = NaN` fails it when the
    ///   shrink factor is 0); then `g + λθ_s` finite makes `g` finite; `m'` = `β₁m + (1 −
    ///   β₁)(g + λθ_s)` finite makes `m` finite (`0·∞ = NaN` when β₁ = 0), `v ≥ 0` and `v'`
    ///   finite make `v` finite (`β₂v` is ∞ or NaN for v = +∞), and `v_max' = max(v', v_max)`
    ///   finite makes `v_max` finite;
    /// - the new θ is finite: the denominator is ≥ ε, so the quotient is at most `|m'|/ε`
    ///   (< MAX/2) and the step `|γ'|·|m'|/ε` (< MAX/4), each up to a few roundings, and
    ///   `|θ'| ≤ (2^(e−2) + MAX/4)·(1 + O(ε_mach)) < MAX`; for ε > 4, `E` is MAX and the
    ///   quotient is below its numerator (`|m'| < 2·MAX/ε`, the step below `MAX/ε`).
    ///
    /// Only products, sums and one comparison per element, whose mask is reduced once
    /// (x86-64-v3: a compare, a `vtestps` and a branch; four comparisons per element, reduced
    /// together, took about 30 instructions of packing at n = 8). The scale factors multiply
    /// `E`, not the values: `|θ_s|/2^(e−2)` is subnormal for `|θ| < 2` in `f32`, and an
    /// operation on a subnormal costs x86 cores a microcode assist (the same test as
    /// `E·(Σ scaled values)` took 63 ns a step instead of 20 at n = 8, f32). The test does
    /// not wait for the update's square root and two quotients, which the branch on it would
    /// otherwise wait for (measured on x86-64-v3 at n = 8, f32: testing `|θ'| ≤ MAX` itself
    /// took 31 ns a step against 24 for the bounds).
    /// When it fails, [`check_exact`](Self::check_exact) decides: its error, nothing written,
    /// or `Ok` (values within a factor of four of overflow, finite all the same) and the values
    /// are written. `maximize` has negated the step size and λ before, as for the exact check.
    #[inline(always)]
    fn small<const L2: bool, const SHRINK: bool, const AMS: bool>(
        &self,
        x: &mut [T],
        m: &mut [T],
        v: &mut [T],
        v_max: &mut [T],
        g: &[T],
    ) -> Result<(), Error> {
        let lim = Limits::of(self);
        let full = (
            <&[T; SMALL_MAX]>::try_from(&*x),
            <&[T; SMALL_MAX]>::try_from(&*m),
            <&[T; SMALL_MAX]>::try_from(&*v),
            <&[T; SMALL_MAX]>::try_from(g),
        );
        let (Ok(&x8), Ok(&m8), Ok(&v8), Ok(&g8)) = full else {
            // Fewer elements: tested here, computed again by the writing pass.
            let vr = if AMS { &*v_max } else { &[] };
            let ok = x
                .iter()
                .zip(m.iter())
                .zip(v.iter())
                .zip(g)
                .enumerate()
                .fold(true, |ok, (i, (((&xi, &mi), &vi), &gi))| {
                    let vmi = if AMS {
                        vr.get(i).copied().unwrap_or(T::ZERO)
                    } else {
                        T::ZERO
                    };
                    let y = self.apply::<L2, SHRINK, AMS>(xi, mi, vi, vmi, gi);
                    ok & self.accepts::<L2, SHRINK, AMS>(&lim, xi, vi, vmi, gi, y)
                });
            if !ok {
                let vm_ref: Option<&[T]> = if AMS { Some(v_max) } else { None };
                self.check_exact::<SHRINK, AMS>(x, m, v, vm_ref, g)?;
            }
            self.update::<L2, SHRINK, AMS>(x, m, v, v_max, g);
            return Ok(());
        };
        // One whole vector of elements: the new values stay in registers until written.
        let vm8 = match <&[T; SMALL_MAX]>::try_from(&*v_max) {
            Ok(&a) if AMS => a,
            _ => [T::ZERO; SMALL_MAX],
        };
        let (mut xn, mut mn, mut vn, mut vmn) = (
            [T::ZERO; SMALL_MAX],
            [T::ZERO; SMALL_MAX],
            [T::ZERO; SMALL_MAX],
            [T::ZERO; SMALL_MAX],
        );
        let mut ok = true;
        let mut all = [true; 4];
        #[allow(clippy::reversed_empty_ranges)] // `SMALL_MAX` is 0 on targets without SIMD.
        for l in 0..SMALL_MAX {
            let y = self.apply::<L2, SHRINK, AMS>(x8[l], m8[l], v8[l], vm8[l], g8[l]);
            if T::IS_F64 {
                // Each condition reduced on its own (the four conditions, measured 24.9–25.0 ns
                // a step at n = 8 on x86-64-v3; the one-sum test was measured in `f64` only
                // with `g` as an array, 29.6 ns, a slowdown that came from the array).
                let c = self.conditions::<L2, SHRINK, AMS>(&lim, x8[l], v8[l], vm8[l], g8[l], y);
                for (a, c) in all.iter_mut().zip(c) {
                    *a &= c;
                }
            } else {
                ok &= self.accepts::<L2, SHRINK, AMS>(&lim, x8[l], v8[l], vm8[l], g8[l], y);
            }
            (xn[l], mn[l], vn[l], vmn[l]) = y;
        }
        if T::IS_F64 {
            ok = all[0] & all[1] & all[2] & all[3];
        }
        if !ok {
            let vm_ref: Option<&[T]> = if AMS { Some(v_max) } else { None };
            self.check_exact::<SHRINK, AMS>(x, m, v, vm_ref, g)?;
        }
        let put = |s: &mut [T], y: [T; SMALL_MAX]| {
            if let Ok(s) = <&mut [T; SMALL_MAX]>::try_from(s) {
                *s = y;
            }
        };
        put(x, xn);
        put(m, mn);
        put(v, vn);
        if AMS {
            put(v_max, vmn);
        }
        Ok(())
    }

    /// The test of [`small`](Self::small) for one element: `(θ, v, v_max, g)` and its new values
    /// `y` from [`apply`](Self::apply), against the step's [`Limits`]. Only multiplications
    /// and comparisons, none waiting for the update's square root and quotients.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn accepts<const L2: bool, const SHRINK: bool, const AMS: bool>(
        &self,
        lim: &Limits<T>,
        xi: T,
        vi: T,
        vmi: T,
        gi: T,
        y: (T, T, T, T),
    ) -> bool {
        let xs = if SHRINK { xi * self.shrink } else { xi };
        let ge = if L2 { gi + self.l2 * xs } else { gi };
        // One sum of non-negative terms against E = min(ε·MAX/4, MAX): |γ'|·|m'| scaled by
        // max(|γ'|, ½)/|γ'| ≥ 1, and E times |g + λθ_s|/(√MAX/2), |θ_s|/2^(e−2) and v'/2^(e−2)
        // (and v_max'/2^(e−2)). A rounded sum of non-negative terms is at least each term, and
        // a rounded product below E is an exact product below E, so each bound holds on its
        // own (up to the rounding of the scale factors); a NaN or ∞ anywhere fails it, and a
        // v (or v_max) below 0 makes the scale of v' infinite (∞·|v'| is ∞ or NaN; v' may be
        // negative then, hence its absolute value).
        let valid = if AMS {
            (vi >= T::ZERO) & (vmi >= T::ZERO)
        } else {
            vi >= T::ZERO
        };
        let cv = if valid {
            lim.over_quarter
        } else {
            T::from_f64(f64::INFINITY)
        };
        let mut u = lim.step * y.1.abs() + ge.abs() * lim.over_square;
        u = u + xs.abs() * lim.over_quarter + y.2.abs() * cv;
        if AMS {
            u += y.3.abs() * cv;
        }
        u < lim.eps_quarter
    }

    /// The test of [`accepts`](Self::accepts) as four conditions, for `f64`'s whole vectors:
    /// `|g + λθ_s|/(√MAX/2) + |θ_s|/2^(e−2) < 1` (power-of-two scalings, exact; the sum is
    /// at least each term), `v ≥ 0`, `max(|γ'|, ½)·|m'| < ε·MAX/4`, `v' ≤ MAX` (and
    /// `v_max ≥ 0`, `v_max' ≤ MAX`): the same bounds, so the same argument.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn conditions<const L2: bool, const SHRINK: bool, const AMS: bool>(
        &self,
        lim: &Limits<T>,
        xi: T,
        vi: T,
        vmi: T,
        gi: T,
        y: (T, T, T, T),
    ) -> [bool; 4] {
        let xs = if SHRINK { xi * self.shrink } else { xi };
        let ge = if L2 { gi + self.l2 * xs } else { gi };
        let inputs = ge.abs() * lim.inv_square + xs.abs() * lim.inv_quarter < T::ONE;
        let step = lim.step * y.1.abs() < lim.eps_quarter_raw;
        if AMS {
            [
                inputs,
                (vi >= T::ZERO) & (vmi >= T::ZERO),
                step,
                (y.2 <= lim.max) & (y.3 <= lim.max),
            ]
        } else {
            [inputs, vi >= T::ZERO, step, y.2 <= lim.max]
        }
    }

    /// The exact per-element check (the slow path): the first error in the documented order.
    ///
    /// Takes the constants by value so that the fast path keeps them in registers: only this
    /// cold call copies them to memory.
    ///
    /// Built per kernel (`SHRINK`: decoupled decay can shrink θ; `AMS`: AMSGrad), so a kernel
    /// links only the check of its own options.
    #[cold]
    fn check_exact<const SHRINK: bool, const AMS: bool>(
        self,
        x: &[T],
        m: &[T],
        v: &[T],
        v_max: Option<&[T]>,
        g: &[T],
    ) -> Result<(), Error> {
        let ams = AMS;
        if !all_finite(x) || !all_finite(g) || !all_finite(m) || !valid_second(v) {
            return Err(Error::NonFiniteInput);
        }
        if let Some(vm) = v_max {
            if !valid_second(vm) {
                return Err(Error::NonFiniteInput);
            }
        }
        let limit = square_limit::<T>();
        let shrinks = SHRINK && self.shrink != T::ONE;
        for (&xi, &gi) in x.iter().zip(g) {
            let xs = if shrinks { xi * self.shrink } else { xi };
            if (gi + self.l2 * xs).abs() >= limit {
                return Err(Error::NonFiniteGradient);
            }
        }
        let vr = v_max.unwrap_or(&[]);
        let ok = x
            .iter()
            .zip(m)
            .zip(v)
            .zip(g)
            .enumerate()
            .all(|(i, (((&xi, &mi), &vi), &gi))| {
                let vmi = if ams {
                    vr.get(i).copied().unwrap_or(T::ZERO)
                } else {
                    T::ZERO
                };
                let (a, b, c, d) = self.apply::<true, SHRINK, AMS>(xi, mi, vi, vmi, gi);
                a.is_finite() && b.is_finite() && c.is_finite() && d.is_finite()
            });
        if ok {
            Ok(())
        } else {
            Err(Error::NonFiniteGradient)
        }
    }
}

/// One step of the Adam family. The caller has checked that `m`, `v`, `g` have `x.len()`
/// elements (and `v_max` too with AMSGrad) and that the hyperparameters are valid.
///
/// Errors, with nothing written: [`Error::NonFiniteInput`] for NaN/±∞ in `x`, `g` or the state
/// (`m`, and `v`, `v_max` which must also be ≥ 0); [`Error::NonFiniteGradient`] when
/// `(g + λθ)²` or a new value would overflow.
///
/// Dispatches on `r.decoupled` and `r.amsgrad` to [`kernel`], which is built once per
/// combination: a caller that fixes them (plain Adam, [`adam_l2_kernel_of`]) links only its own.
#[inline]
#[allow(clippy::too_many_arguments)]
pub(crate) fn adam_kernel<T: Real>(
    r: &AdamRule<T>,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    v_max: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let small = small_n(x.len());
    match (r.decoupled, r.amsgrad, small) {
        (false, false, false) => kernel::<T, false, false>(r, t, bias, m, v, v_max, x, g),
        (true, false, false) => kernel::<T, true, false>(r, t, bias, m, v, v_max, x, g),
        (false, true, false) => kernel::<T, false, true>(r, t, bias, m, v, v_max, x, g),
        (true, true, false) => kernel::<T, true, true>(r, t, bias, m, v, v_max, x, g),
        (false, false, true) => {
            small_kernel::<T, AdamRule<T>, false, false>(r, t, bias, m, v, v_max, x, g)
        }
        (true, false, true) => {
            small_kernel::<T, AdamRule<T>, true, false>(r, t, bias, m, v, v_max, x, g)
        }
        (false, true, true) => {
            small_kernel::<T, AdamRule<T>, false, true>(r, t, bias, m, v, v_max, x, g)
        }
        (true, true, true) => {
            small_kernel::<T, AdamRule<T>, true, true>(r, t, bias, m, v, v_max, x, g)
        }
    }
}

/// [`adam_kernel`] for plain Adam (L2 weight decay, no AMSGrad), the rule read from `r` inside
/// the kernels (the caller stores no copy of it: on the Cortex-M4F, 19 instructions per step
/// less at `opt-level = "s"` than a rule built by the caller, 41 at 3): on vector hosts a whole
/// vector of elements (`SMALL_MAX`) goes to [`small_full`], which takes the buffers as arrays
/// (one length test here, none there, fewer arguments on the stack), other lengths (every
/// length elsewhere) to [`kernel_l2`] (no empty `v_max` among its arguments). The update
/// variants of decoupled decay and AMSGrad are not linked.
#[inline]
pub(crate) fn adam_l2_kernel_of<T: Real, R: RuleOf<T>>(
    r: &R,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    if small_n(x.len()) {
        let full = (
            <&mut [T; SMALL_MAX]>::try_from(&mut *m),
            <&mut [T; SMALL_MAX]>::try_from(&mut *v),
            <&mut [T; SMALL_MAX]>::try_from(&mut *x),
            <&[T; SMALL_MAX]>::try_from(g),
        );
        if let (Ok(m), Ok(v), Ok(x), Ok(_)) = full {
            return small_full(r, t, bias, m, v, x, g);
        }
        small_kernel::<T, R, false, false>(r, t, bias, m, v, &mut [], x, g)
    } else {
        kernel_l2::<T, R>(r, t, bias, m, v, x, g)
    }
}

/// `m`, `v`, `g` (and `v_max` with `AMS`) re-sliced to `n` elements: the callers have checked
/// that every buffer has them, and this tells the compiler the lengths are equal, so no loop
/// computes the shortest of its buffers.
#[inline(always)]
#[allow(clippy::type_complexity)]
fn equal_lengths<'a, T, const AMS: bool>(
    n: usize,
    m: &'a mut [T],
    v: &'a mut [T],
    v_max: &'a mut [T],
    g: &'a [T],
) -> Result<(&'a mut [T], &'a mut [T], &'a mut [T], &'a [T]), Error> {
    let (Some(g), Some(m), Some(v)) = (g.get(..n), m.get_mut(..n), v.get_mut(..n)) else {
        return Err(Error::LengthMismatch);
    };
    let v_max = if AMS {
        match v_max.get_mut(..n) {
            Some(vm) => vm,
            None => return Err(Error::LengthMismatch),
        }
    } else {
        v_max
    };
    Ok((m, v, v_max, g))
}

/// What both paths compute first: the step's constants (`Coeffs`, before `maximize`), the
/// bias corrections with the cache they leave, and the new step count; the invalid-parameter
/// error for a cache whose corrections fall outside (0, 1].
#[inline(always)]
fn prelude<T: Real, const DECOUPLED: bool>(
    r: &AdamRule<T>,
    t: u32,
    bias: &AdamBias<T>,
) -> Result<(Coeffs<T>, Corrected<T>, u32), Error> {
    let l2 = if DECOUPLED { T::ZERO } else { r.weight_decay };
    let shrink = if DECOUPLED && r.weight_decay != T::ZERO {
        if T::IS_F64 || HARD_F64 {
            T::from_f64(1.0 - r.lr.to_f64() * r.weight_decay.to_f64())
        } else {
            T::ONE - r.lr * r.weight_decay
        }
    } else {
        T::ONE
    };
    let step = t.saturating_add(1);
    // The corrections as values, not a `Result`: a `Result` of them goes through the stack,
    // whose wide reload of narrow stores cannot be forwarded and waits for their chains.
    let bc = next_bias(bias, t, r.beta1, r.beta2);
    if !bc.valid_in::<PRODUCTS>() {
        return Err(Error::InvalidParameter);
    }
    let k = Coeffs {
        beta1: r.beta1,
        beta2: r.beta2,
        one_m_b1: T::ONE - r.beta1,
        one_m_b2: T::ONE - r.beta2,
        eps: r.eps,
        l2,
        shrink,
        step_size: r.lr / bc.bc1,
        bc2_sqrt: bc.bc2_sqrt,
    };
    Ok((k, bc, step))
}

/// The small-n path of [`kernel`] (`x.len() ≤ SMALL_MAX`, every buffer of that length), a
/// function of its own: its registers are not shaped by the sums path's (whose constants,
/// live across its loops, would otherwise be spilled before the branch between the paths).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn small_kernel<T: Real, R: RuleOf<T>, const DECOUPLED: bool, const AMS: bool>(
    r: &R,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    v_max: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    // No re-slicing: whole vectors are taken by `try_from` (which checks each length), the
    // rest by zipped iterators, so nothing indexes past a buffer even if the callers' check
    // were wrong.
    let r = &r.rule();
    let (mut k, bc, step) = prelude::<T, DECOUPLED>(r, *t, bias)?;
    let (has_l2, shrinks) = (k.l2 != T::ZERO, k.shrink != T::ONE);
    if r.maximize {
        k.maximize();
    }
    match (has_l2, shrinks, AMS) {
        (false, false, false) => k.small::<false, false, false>(x, m, v, v_max, g),
        (true, false, false) => k.small::<true, false, false>(x, m, v, v_max, g),
        (false, true, false) => k.small::<false, true, false>(x, m, v, v_max, g),
        (true, true, false) => k.small::<true, true, false>(x, m, v, v_max, g),
        (false, false, true) => k.small::<false, false, true>(x, m, v, v_max, g),
        (true, false, true) => k.small::<true, false, true>(x, m, v, v_max, g),
        (false, true, true) => k.small::<false, true, true>(x, m, v, v_max, g),
        (true, true, true) => k.small::<true, true, true>(x, m, v, v_max, g),
    }?;
    *t = step;
    leave(bias, &bc, step, r.beta1, r.beta2);
    Ok(())
}

/// [`small_kernel`] for plain Adam on one whole vector of elements, the rule read from `r`,
/// the buffers as arrays: the same step, without the length tests and with fewer arguments
/// on the stack. `g` stays a slice (of `SMALL_MAX` elements): as an array it took 4/12
/// instructions fewer (callgrind, x86-64-v3, n = 8, f32/f64) but 28.7–29.4 ns a step in `f64`
/// against 24.9–25.0 (fastest samples, three runs).
#[inline(never)]
fn small_full<T: Real, R: RuleOf<T>>(
    r: &R,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T; SMALL_MAX],
    v: &mut [T; SMALL_MAX],
    x: &mut [T; SMALL_MAX],
    g: &[T],
) -> Result<(), Error> {
    let r = &r.rule();
    let (mut k, bc, step) = prelude::<T, false>(r, *t, bias)?;
    let has_l2 = k.l2 != T::ZERO;
    if r.maximize {
        k.maximize();
    }
    if has_l2 {
        k.small::<true, false, false>(x, m, v, &mut [], g)
    } else {
        k.small::<false, false, false>(x, m, v, &mut [], g)
    }?;
    *t = step;
    leave(bias, &bc, step, r.beta1, r.beta2);
    Ok(())
}

/// [`kernel`] for plain Adam on vector hosts, the rule read from `r`: without the empty
/// `v_max` among its arguments (two fewer on the stack).
#[inline(never)]
fn kernel_l2<T: Real, R: RuleOf<T>>(
    r: &R,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let r = &r.rule();
    kernel_body::<T, false, false>(r, t, bias, m, v, &mut [], x, g)
}

/// The kernel for one choice of decoupled decay (`DECOUPLED`) and AMSGrad (`AMS`); the
/// contract of [`adam_kernel`].
#[allow(clippy::too_many_arguments)]
fn kernel<T: Real, const DECOUPLED: bool, const AMS: bool>(
    r: &AdamRule<T>,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    v_max: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    kernel_body::<T, DECOUPLED, AMS>(r, t, bias, m, v, v_max, x, g)
}

/// The body of [`kernel`] and [`kernel_l2`].
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn kernel_body<T: Real, const DECOUPLED: bool, const AMS: bool>(
    r: &AdamRule<T>,
    t: &mut u32,
    bias: &mut AdamBias<T>,
    m: &mut [T],
    v: &mut [T],
    v_max: &mut [T],
    x: &mut [T],
    g: &[T],
) -> Result<(), Error> {
    let ams = AMS;
    let (mut k, bc, step) = prelude::<T, DECOUPLED>(r, *t, bias)?;
    let (l2, shrink) = (k.l2, k.shrink);
    let (has_l2, shrinks) = (l2 != T::ZERO, shrink != T::ONE);
    // The assembly step tests the lengths itself (the callers have: nothing is written
    // before either test), so it does not take the re-slicing below.
    #[cfg(lossmap_arm_v7_fp)]
    if !AMS && !has_l2 && !shrinks && asm::takes::<T>(x.len()) {
        if r.maximize {
            k.maximize();
        }
        asm::step(&k, x, m, v, g)?;
        *t = step;
        leave(bias, &bc, step, r.beta1, r.beta2);
        return Ok(());
    }
    let (m, v, v_max, g) = equal_lengths::<T, AMS>(x.len(), m, v, v_max, g)?;
    let vm_ref: Option<&[T]> = if ams { Some(v_max) } else { None };
    let [sx, sg, sm, sv, sneg, svm, svm_neg] = sums(x, g, m, v, vm_ref);
    // Bounds from the sums (each ≥ the corresponding maximum): |g + λθ| ≤ B, |m'| ≤ M,
    // v' ≤ V, |θ'| ≤ X. Every comparison is false for NaN, so a non-finite sum fails.
    let limit = square_limit::<T>();
    let sxs = sx * shrink.abs();
    let b = sg + l2 * sxs;
    let mb = k.beta1 * sm + k.one_m_b1 * b;
    let vb = k.beta2 * sv + k.one_m_b2 * b * b;
    // |θ'| ≤ sxs + γ'·M/ε (γ' the step size) and the update's quotient m'/(√v̂ + ε) ≤ M/ε
    // must stay finite (with lr and ε both tiny, subnormal f32, the first holds while m'/ε
    // overflows). A margin of ½ below MAX covers the rounding of the bounds themselves.
    let half_max = half_max::<T>();
    let (qb, xb) = if T::IS_F64 {
        // Without a division, which would wait for the divider that the previous step's `f64`
        // square roots and quotients hold (half the throughput of `f32`'s): M/ε < MAX/2 as
        // M < ε·MAX/2, and γ'·M/ε < MAX/4 as γ'·M < ε·MAX/4, with sxs < MAX/4. Each product of
        // ε with a power of two near MAX is normal (ε ≥ the smallest subnormal) and within half
        // an ulp, or +∞ when ε > 2 or 4, where the quotient is below its numerator.
        // As bounds below MAX/2: M·(MAX/2)/(ε·MAX/2), and sxs, γ'·M·(MAX/4)/(ε·MAX/4) each
        // below MAX/4 or the sum +∞.
        let quarter_max = half_max * T::HALF;
        let qb = if mb < k.eps * half_max {
            T::ZERO
        } else {
            half_max
        };
        let within = sxs < quarter_max && k.step_size * mb < k.eps * quarter_max;
        (qb, if within { T::ZERO } else { half_max })
    } else {
        (mb / k.eps, sxs + k.step_size / k.eps * mb)
    };
    let fast = b < limit
        && sneg >= T::ZERO
        && svm_neg >= T::ZERO
        && mb < half_max
        && vb + svm < half_max
        && qb < half_max
        && xb < half_max;
    if r.maximize {
        k.maximize();
    }
    if !fast {
        k.check_exact::<DECOUPLED, AMS>(x, m, v, vm_ref, g)?;
    }
    match (has_l2, shrinks, ams) {
        (false, false, false) => k.update::<false, false, false>(x, m, v, v_max, g),
        (true, false, false) => k.update::<true, false, false>(x, m, v, v_max, g),
        (false, true, false) => k.update::<false, true, false>(x, m, v, v_max, g),
        (true, true, false) => k.update::<true, true, false>(x, m, v, v_max, g),
        (false, false, true) => k.update::<false, false, true>(x, m, v, v_max, g),
        (true, false, true) => k.update::<true, false, true>(x, m, v, v_max, g),
        (false, true, true) => k.update::<false, true, true>(x, m, v, v_max, g),
        (true, true, true) => k.update::<true, true, true>(x, m, v, v_max, g),
    }
    *t = step;
    leave(bias, &bc, step, r.beta1, r.beta2);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache carried from step to step is the running product that
    /// `tests/reference/adam_bias.py` emulates (whose accuracy against torch's `1 − β**t` it
    /// measures, see `adam_bias.txt`): bit for bit, in `f64` and, for `f32`, the `f64` product
    /// of the `f32` β, t ≤ 10⁵.
    #[test]
    fn the_cache_is_the_measured_running_product() {
        if !PRODUCTS {
            return;
        }
        for beta in [0.9f64, 0.99, 0.999, 0.9999] {
            let (mut b64, mut p) = (AdamBias::<f64>::EMPTY, 1.0f64);
            let b = beta as f32;
            let (mut b32, mut q) = (AdamBias::<f32>::EMPTY, 1.0f64);
            for t in 0..100_000u32 {
                let k = next_bias(&b64, t, beta, beta);
                let (bc1, bc2s) = (k.bc1, k.bc2_sqrt);
                p *= beta;
                assert_eq!(bc1.to_bits(), (1.0 - p).to_bits(), "{beta} {t}");
                assert_eq!(bc2s.to_bits(), Real::sqrt(1.0 - p).to_bits());
                leave(&mut b64, &k, t + 1, beta, beta);
                let k = next_bias(&b32, t, b, b);
                let (bc1, bc2s) = (k.bc1, k.bc2_sqrt);
                q *= b as f64;
                assert_eq!(bc1.to_bits(), ((1.0 - q) as f32).to_bits(), "{b} {t}");
                assert_eq!(bc2s.to_bits(), (Real::sqrt(1.0 - q) as f32).to_bits());
                leave(&mut b32, &k, t + 1, b, b);
            }
        }
    }

    /// An `f32` product's 8 bytes are the `f64` (`joined` undoes `split` bit for bit), its low
    /// half may read as NaN, and a cache holding one equals its copy.
    #[test]
    fn f32_products_are_the_f64_bits() {
        for p in [
            0.0f64,
            0.5,
            0.9f32 as f64 * 0.999,
            f64::from_bits(0x3fef_ffff_7fc0_0001),
        ] {
            let c: [f32; 2] = split(p);
            assert_eq!(joined(c).to_bits(), p.to_bits());
            let b = AdamBias {
                c1: c,
                ..AdamBias::EMPTY
            };
            assert_eq!(b, b.clone());
        }
        let c: [f32; 2] = split(f64::from_bits(0x3fef_ffff_7fc0_0001));
        assert!(c[if cfg!(target_endian = "little") { 0 } else { 1 }].is_nan());
    }

    /// 2⁻⁶⁰ is what `TINY_POWER` says, and flushing below it changes no correction: `1 − p`
    /// and `√(1 − p)` are 1 for every p < 2⁻⁶⁰ (checked at the largest such f64 and a spread of
    /// smaller ones), and so are the f32 roundings.
    #[test]
    fn flushing_tiny_powers_changes_no_correction() {
        assert_eq!(TINY_POWER, 2f64.powi(-60));
        let below = f64::from_bits(TINY_POWER.to_bits() - 1);
        for p in [below, 1e-19, 1e-100, 1e-300, 5e-324] {
            assert_eq!(1.0 - p, 1.0);
            assert_eq!(Real::sqrt(1.0 - p), 1.0);
        }
        // The running cache past the threshold (β = 0.5: 2⁻⁶¹ at t = 61) gives corrections of 1.
        let mut b = AdamBias::<f64>::EMPTY;
        for t in 0..100u32 {
            let k = next_bias(&b, t, 0.5, 0.5);
            if PRODUCTS && t >= 60 {
                assert_eq!((k.c1[0], k.bc1, k.bc2_sqrt), (0.0, 1.0, 1.0));
            }
            leave(&mut b, &k, t + 1, 0.5, 0.5);
        }
    }

    /// The joint powering of the f64 path is bit-identical to `Real::powi` for each β.
    #[test]
    fn joint_powering_matches_powi() {
        for t in (1..5000u32).chain([65_535, 1 << 20, u32::MAX]) {
            for (b1, b2) in [(0.9f64, 0.999f64), (0.5, 0.99999), (0.0, 0.3)] {
                let (bc1, bc2s) = bias_corrections(b1, b2, t);
                let tp = t.min(i32::MAX as u32) as i32;
                assert_eq!(bc1.to_bits(), (1.0 - Real::powi(b1, tp)).to_bits());
                let want = Real::sqrt(1.0 - Real::powi(b2, tp));
                assert_eq!(bc2s.to_bits(), want.to_bits());
            }
        }
    }

    /// The fixed-point scheme (`f32` on cores without an `f64` FPU), run on the host: over
    /// t = 1…10⁵ the running power gives corrections within 0.5 ulp of the `f64` value (torch's
    /// Python-float arithmetic on the `f32` β), in units of `f32` ε relative as
    /// `tests/reference/adam_bias.py` reports them (which also measures the error of the power
    /// itself), and the same bits as the running `f64` products (the x86_64 and aarch64
    /// scheme) but for the steps counted in `mismatch`; the from-scratch power gives the same
    /// corrections; β₁ = 0 gives a first correction of exactly 1.
    fn fixed_point_corrections<const HARD: bool>(bound: [f64; 2], most: u32) {
        for beta in [0.0f32, 0.1, 0.5, 0.8, 0.9, 0.99, 0.999, 0.9999, 0.99999] {
            for b1 in [0.0, beta] {
                let (mut b, mut w) = (AdamBias::<f32>::EMPTY, [0.0f64; 2]);
                let (mut bp, mut mismatch) = (b, 0u32);
                for t in 0..100_000u32 {
                    let k = next_bias_in::<f32, false, HARD>(&b, t, b1, beta);
                    let kp = next_bias_in::<f32, true, HARD>(&bp, t, b1, beta);
                    let step = t + 1;
                    let exact = 1.0 - Real::powi(beta as f64, step as i32);
                    let rel = |got: f32, want: f64| {
                        (got as f64 - want).abs() / want / f32::EPSILON as f64
                    };
                    w[0] = w[0].max(rel(k.bc1, 1.0 - Real::powi(b1 as f64, step as i32)));
                    w[1] = w[1].max(rel(k.bc2_sqrt, exact.sqrt()));
                    mismatch += (k.bc1 != kp.bc1 || k.bc2_sqrt != kp.bc2_sqrt) as u32;
                    assert!(k.valid());
                    if b1 == 0.0 {
                        assert_eq!(k.bc1, 1.0);
                    }
                    // From scratch (an empty cache): the same corrections.
                    if step < 300 || step % 97 == 0 {
                        let f = next_bias_in::<f32, false, HARD>(&AdamBias::EMPTY, t, b1, beta);
                        assert_eq!(f.bc1.to_bits(), k.bc1.to_bits(), "{beta} {step}");
                        assert_eq!(f.bc2_sqrt.to_bits(), k.bc2_sqrt.to_bits(), "{beta} {step}");
                    }
                    leave_in::<f32, false>(&mut b, &k, step, b1, beta);
                    leave_in::<f32, true>(&mut bp, &kp, step, b1, beta);
                }
                #[cfg(feature = "std")]
                std::println!(
                    "fixed {HARD} β₁ {b1} β₂ {beta}: worst {w:?} ε, {mismatch} mismatches"
                );
                assert!(w[0] <= bound[0] && w[1] <= bound[1], "{b1} {beta}: {w:?}");
                assert!(mismatch <= most, "{b1} {beta}: {mismatch}");
            }
        }
    }

    #[test]
    fn fixed_point_corrections_integer() {
        fixed_point_corrections::<false>([0.5001, 0.5001], 2);
    }

    #[test]
    fn fixed_point_corrections_fpu() {
        fixed_point_corrections::<true>([0.5001, 0.5001], 2);
    }

    /// [`fixed_root`] is the correctly rounded root of `d·2⁻⁶⁴` (against the `f64` root of the
    /// exact `f64` value, rounded to `f32`: `d` of at most 53 significant bits), and so is
    /// [`fixed_root_fpu`] but for at most 2 in 300 000 (within 1 ulp always).
    #[test]
    fn fixed_root_rounds_to_nearest() {
        let mut fpu_off = 0u32;
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for i in 0..300_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // At least 2⁴⁰ (as every correction is), at most 53 bits wide (exact in f64).
            let w = 41 + i % 24;
            let top = 1u64.checked_shl(w).map_or(u64::MAX, |v| v - 1);
            let d = (x & top & !((1u64 << (w.saturating_sub(53))) - 1)) | (1 << 40);
            let (a, dd): (f32, u64) = fixed_one_minus::<f32, false>(!d);
            let want = Real::sqrt(d as f64 * 5.421_010_862_427_522e-20) as f32;
            assert_eq!(fixed_root(a, dd).to_bits(), want.to_bits(), "{d:#x}");
            let (a, dd): (f32, u64) = fixed_one_minus::<f32, true>(!d);
            let fpu = fixed_root_fpu(a, dd);
            fpu_off += (fpu != want) as u32;
            assert!(fpu.to_bits().abs_diff(want.to_bits()) <= 1, "{d:#x}");
        }
        #[cfg(feature = "std")]
        std::println!("fixed_root_fpu: {fpu_off} of 300000 not correctly rounded");
        assert!(fpu_off <= 2, "{fpu_off}");
    }

    /// Every fixed-point cache gives corrections in (0, 1] (so none is refused), whatever its
    /// bits, and a power is exact while `B·2⁻ˢ` times it is (β = ½: p halves exactly).
    #[test]
    fn every_fixed_point_cache_is_valid() {
        let pats = [
            0u64,
            1,
            u64::MAX,
            u64::MAX - 1,
            1 << 63,
            0x7fc0_0001_7f80_0000,
            12345,
        ];
        for &p in &pats {
            for &q in &pats {
                for beta in [0.0f32, 1e-40, 0.3, 0.5, 0.999, 1.0 - f32::EPSILON / 2.0] {
                    let b = AdamBias {
                        t: 7,
                        beta1: beta,
                        beta2: beta,
                        c1: fixed_split(p),
                        c2: fixed_split(q),
                        ..AdamBias::EMPTY
                    };
                    assert!(next_bias_in::<f32, false, false>(&b, 7, beta, beta).valid());
                    assert!(next_bias_in::<f32, false, true>(&b, 7, beta, beta).valid());
                }
            }
            assert_eq!(fixed_mul(p, 0.5f32), p >> 1);
            assert_eq!(fixed_joined::<f32>(fixed_split(p)), p);
        }
        assert_eq!(fixed_pow(0.5f32, 3), 1 << 61);
        assert_eq!(fixed_pow(0.5f32, 64), 1);
        assert_eq!(fixed_pow(0.5f32, 65), 0);
        assert_eq!(mul_high(u64::MAX, u64::MAX), u64::MAX - 1);
    }

    /// The integer rounding is the correctly rounded `f32` of `d·2⁻⁶⁴` (against the host's
    /// `u64 → f32` conversion, which rounds to nearest even).
    #[test]
    fn integer_conversion_rounds_to_nearest() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let d = x >> (i % 64);
            let want = d as f32 * (2f32).powi(-64);
            let (got, _): (f32, u64) = fixed_one_minus::<f32, false>(!d);
            assert_eq!(got.to_bits(), want.to_bits(), "{d:#x}");
        }
    }

    /// Values at and around every boundary of the small-n test: zeros of both signs, ordinary
    /// values, the square limit, a quarter and all of MAX, ±∞ and NaN.
    fn specials<T: Real>() -> [T; 9] {
        let f = T::from_f64;
        [
            T::ZERO,
            -T::ZERO,
            f(1.5),
            f(-0.75),
            square_limit::<T>(),
            -T::MAX_R * f(0.25),
            T::MAX_R,
            T::from_f64(f64::NEG_INFINITY),
            T::NAN_R,
        ]
    }

    /// Buffers of `len` copies of one element through the small-n path, against the exact
    /// check and the writing pass: the same result, the writing pass's values bit for bit when
    /// `Ok`, and nothing written on an error.
    fn one<T: Real, const L2: bool, const SHRINK: bool, const AMS: bool>(
        k: &Coeffs<T>,
        e: [T; 5],
        len: usize,
    ) {
        let bits = |a: &[T]| -> [u64; 4 * SMALL_LANES] {
            core::array::from_fn(|i| a.get(i).map_or(0, |e| e.to_bits_u64()))
        };
        let fill = |a: T| [a; SMALL_LANES];
        let [x, g, m, v, vm] = e.map(fill);
        let (mut sx, mut sm, mut sv, mut svm) = (x, m, v, vm);
        let got = k.small::<L2, SHRINK, AMS>(
            &mut sx[..len],
            &mut sm[..len],
            &mut sv[..len],
            &mut svm[..len],
            &g[..len],
        );
        let vm_ref = if AMS { Some(&vm[..len]) } else { None };
        let exact =
            k.check_exact::<SHRINK, AMS>(&x[..len], &m[..len], &v[..len], vm_ref, &g[..len]);
        let e64 = e.map(|a| a.to_f64());
        assert_eq!(
            got, exact,
            "{e64:?} L2 {L2} SHRINK {SHRINK} AMS {AMS} len {len}"
        );
        let (mut ux, mut um, mut uv, mut uvm) = (x, m, v, vm);
        if exact.is_ok() {
            k.update::<L2, SHRINK, AMS>(
                &mut ux[..len],
                &mut um[..len],
                &mut uv[..len],
                &mut uvm[..len],
                &g[..len],
            );
        }
        let cat = |a: [T; SMALL_LANES], b, c, d| -> [T; 4 * SMALL_LANES] {
            let all = [a, b, c, d];
            core::array::from_fn(|i| all[i / SMALL_LANES][i % SMALL_LANES])
        };
        assert_eq!(
            bits(&cat(sx, sm, sv, svm)),
            bits(&cat(ux, um, uv, uvm)),
            "{e64:?} L2 {L2} SHRINK {SHRINK} AMS {AMS} len {len}"
        );
    }

    /// [`one`] for every combination of special values of θ, g, m, v (and a few of v_max with
    /// AMSGrad), one element (the partial chunk) and a whole chunk.
    fn all_specials<T: Real, const L2: bool, const SHRINK: bool, const AMS: bool>(k: &Coeffs<T>) {
        let s = specials::<T>();
        let vms: &[T] = if AMS { &s[1..] } else { &s[..1] };
        for &x in &s {
            for &g in &s {
                for &m in &s {
                    for &v in &s {
                        for &vm in vms.iter().step_by(2) {
                            for len in [1, SMALL_LANES] {
                                one::<T, L2, SHRINK, AMS>(k, [x, g, m, v, vm], len);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The small-n path decides as the exact check does and writes what the writing pass
    /// writes (see [`Coeffs::small`]), over special values of every input with β₁ = 0 or β₂
    /// = 0 (where `0·∞` is NaN), no decay / L2 / decoupled decay with a shrink factor of ½, 0
    /// and −1, AMSGrad, `maximize`, and step sizes and ε whose quotient overflows.
    fn small_decides_as_the_exact_check<T: Real>() {
        if SMALL_MAX == 0 {
            return;
        }
        let f = T::from_f64;
        let cases = [
            (0.0, 0.0, 1e-3, 1e-8, false),
            (0.9, 0.999, 1e-3, 1e-8, true),
            (0.0, 0.9, 1e30, 1e-3, false),
            (0.9, 0.0, 1e-3, 1e-40, true),
        ];
        for (beta1, beta2, step_size, eps, maximize) in cases {
            let mut k = Coeffs {
                beta1: f(beta1),
                beta2: f(beta2),
                one_m_b1: T::ONE - f(beta1),
                one_m_b2: T::ONE - f(beta2),
                eps: f(eps),
                l2: T::ZERO,
                shrink: T::ONE,
                step_size: f(step_size),
                bc2_sqrt: f(0.5),
            };
            if maximize {
                k.maximize();
            }
            all_specials::<T, false, false, false>(&k);
            all_specials::<T, false, false, true>(&k);
            let l2 = Coeffs {
                l2: if maximize { f(-0.5) } else { f(0.5) },
                ..k
            };
            all_specials::<T, true, false, false>(&l2);
            for shrink in [0.5, 0.0, -1.0] {
                let d = Coeffs {
                    shrink: f(shrink),
                    ..k
                };
                all_specials::<T, false, true, false>(&d);
            }
            all_specials::<T, false, true, true>(&Coeffs {
                shrink: T::ZERO,
                ..k
            });
        }
    }

    #[test]
    fn small_decides_as_the_exact_check_f32() {
        small_decides_as_the_exact_check::<f32>();
    }

    #[test]
    fn small_decides_as_the_exact_check_f64() {
        small_decides_as_the_exact_check::<f64>();
    }
}
