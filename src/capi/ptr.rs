//! Raw-pointer checks shared by every C entry point: null/alignment, size overflow, overlap,
//! all described as one table of [`Arg`]s for [`check`].

use crate::Error;
use core::mem::{align_of, size_of};

/// `n·m` or [`Error::LengthMismatch`] on overflow.
pub(crate) fn mul(n: usize, m: usize) -> Result<usize, Error> {
    n.checked_mul(m).ok_or(Error::LengthMismatch)
}

/// A shared reference from a C pointer to one struct, or [`Error::NullPointer`].
///
/// # Safety
/// A non-null, aligned `p` must point to a valid `S` for `'a`.
pub(crate) unsafe fn deref<'a, S>(p: *const S) -> Result<&'a S, Error> {
    if !p.is_aligned() {
        return Err(Error::NullPointer);
    }
    // SAFETY: aligned; null is handled by `as_ref`; validity is the caller's contract.
    unsafe { p.as_ref() }.ok_or(Error::NullPointer)
}

/// A unique reference from a C pointer to one struct, or [`Error::NullPointer`].
///
/// # Safety
/// A non-null, aligned `p` must point to a valid `S`, not otherwise referenced, for `'a`.
pub(crate) unsafe fn deref_mut<'a, S>(p: *mut S) -> Result<&'a mut S, Error> {
    if !p.is_aligned() {
        return Err(Error::NullPointer);
    }
    // SAFETY: as for `deref`.
    unsafe { p.as_mut() }.ok_or(Error::NullPointer)
}

/// Writes `v` through `p` when `p` is non-null (an optional C out-parameter).
///
/// Every entry point checks such a `p` on entry as an [`OPTIONAL`] [`Arg`] of its [`check`]
/// (misaligned is [`Error::NullPointer`], overlap [`Error::Aliased`]), so the alignment test
/// here is only a second line of defence.
///
/// # Safety
/// A non-null `p` must be aligned and valid for writes.
pub(crate) unsafe fn write_opt<S>(p: *mut S, v: S) {
    if p.is_aligned() {
        // SAFETY: aligned; null skipped by `as_mut`; validity is the caller's contract.
        if let Some(slot) = unsafe { p.as_mut() } {
            *slot = v;
        }
    }
}

pub(crate) use crate::linalg::copy;

/// [`Arg`] flag: the call reads the buffer (it may overlap the other read buffers).
pub(crate) const READ: u8 = 0;
/// [`Arg`] flag: the call writes the buffer, so it must be disjoint from every other one.
pub(crate) const WRITTEN: u8 = 1;
/// [`Arg`] flag: NULL is an absent optional argument (no bytes, nothing checked).
pub(crate) const OPTIONAL: u8 = 2;

/// One pointer argument of a C call, described for [`check`]: address, element count, element
/// size and alignment, and how the call uses it.
#[derive(Clone, Copy)]
pub(crate) struct Arg {
    addr: usize,
    len: usize,
    size: u16,
    align: u8,
    flags: u8,
}

impl Arg {
    /// `len` values of `U` at `p`, used as `flags` says ([`READ`], [`WRITTEN`], [`OPTIONAL`]).
    #[inline(always)]
    pub(crate) fn of<U>(p: *const U, len: usize, flags: u8) -> Self {
        const { assert!(size_of::<U>() <= u16::MAX as usize && align_of::<U>() <= u8::MAX as usize) };
        Arg {
            addr: p as usize,
            len,
            size: size_of::<U>() as u16,
            align: align_of::<U>() as u8,
            flags,
        }
    }
}

/// Every pointer check of a C call, in one out-of-line function shared by the entry points
/// that describe their arguments as [`Arg`]s: in order, each argument non-null (unless
/// [`OPTIONAL`]) and aligned ([`Error::NullPointer`]), of a non-zero length ([`Error::Empty`])
/// whose bytes are addressable ([`Error::LengthMismatch`]); then each [`WRITTEN`] argument
/// disjoint from every other ([`Error::Aliased`]). Read arguments may overlap each other.
/// The descriptions are used up: each length becomes the end of the argument's bytes.
#[inline(never)]
pub(crate) fn check(args: &mut [Arg]) -> Result<(), Error> {
    // Each argument in turn; `len` becomes the end of its byte range (`addr` its start).
    for a in args.iter_mut() {
        if a.addr == 0 {
            if a.flags & OPTIONAL != 0 {
                // No bytes: `[0, 0)` meets nothing.
                a.len = 0;
                continue;
            }
            return Err(Error::NullPointer);
        }
        // `align` is a power of two (from `align_of`), never 0.
        if a.addr & (usize::from(a.align).wrapping_sub(1)) != 0 {
            return Err(Error::NullPointer);
        }
        if a.len == 0 {
            return Err(Error::Empty);
        }
        // `len · size ≤ isize::MAX` (a multiply, not a division: none is linked on the M0).
        match a.len.checked_mul(usize::from(a.size)) {
            Some(bytes) if bytes <= isize::MAX as usize => a.len = a.addr.saturating_add(bytes),
            _ => return Err(Error::LengthMismatch),
        }
    }
    // Every pair of which one is written.
    for (i, a) in args.iter().enumerate() {
        for b in args.iter().skip(i + 1) {
            if (a.flags | b.flags) & WRITTEN != 0 && a.addr < b.len && b.addr < a.len {
                return Err(Error::Aliased);
            }
        }
    }
    Ok(())
}

/// [`Error::Aliased`] if an argument of `a` overlaps an argument of `b` and one of the two is
/// [`WRITTEN`]: [`check`]'s overlap rule between two tables checked apart (the other arguments
/// of a call against an optimizer instance's state, checked later). Every argument of both
/// must have been through [`check`], which turned its length into the end of its bytes (an
/// absent optional one has none).
#[inline(never)]
pub(crate) fn clear_of(a: &[Arg], b: &[Arg]) -> Result<(), Error> {
    for x in a {
        for y in b {
            if (x.flags | y.flags) & WRITTEN != 0 && x.addr < y.len && y.addr < x.len {
                return Err(Error::Aliased);
            }
        }
    }
    Ok(())
}

/// `n·m`, or `usize::MAX` on overflow: a length for an [`Arg`] that [`check`] then refuses
/// ([`Error::LengthMismatch`], as [`mul`] would) in that argument's turn.
pub(crate) fn mul_len(n: usize, m: usize) -> usize {
    n.saturating_mul(m)
}
