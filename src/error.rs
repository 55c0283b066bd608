//! The crate's one error type, [`Error`], and its stable integer codes for the C ABI.

use core::fmt;

/// Why a call failed. Every failing call leaves the caller's parameters unchanged.
///
/// `#[non_exhaustive]`: later versions add variants; match with a wildcard arm.
/// [`Error::code`] gives the stable negative status used by the C ABI (`LOSSMAP_ERR_*`).
///
/// ```
/// use lossmap::Error;
/// assert_eq!(Error::NonFiniteInput.code(), -3);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
// Each discriminant is the magnitude of the variant's C status code (`code`).
pub enum Error {
    /// A size was zero (no parameters, no samples).
    Empty = 2,
    /// Buffers whose lengths must agree do not (e.g. `x.len() != grad.len()`, `a.len() != n*n`).
    LengthMismatch = 4,
    /// An input contained NaN or ±∞, or a pure computation on finite inputs (no callback
    /// involved: [`model_value`](crate::diff::model_value),
    /// [`sym_eigen`](crate::linalg::sym_eigen), ...) would give a result beyond the type's
    /// range. Reported on entry, with nothing the caller owns changed, unless a function's
    /// documentation says otherwise.
    NonFiniteInput = 3,
    /// A hyperparameter is outside its valid range (e.g. learning rate ≤ 0, β ∉ [0, 1)).
    InvalidParameter = 5,
    /// The objective returned NaN or ±∞ (or finite values whose statistics overflow) during a
    /// run: the callback failed, not the input. Drivers roll the parameters back to the last
    /// good point; each function documents what its outputs hold.
    NonFiniteLoss = 6,
    /// A gradient came back with NaN or ±∞, or a derivative computed from finite loss values
    /// overflowed (a finite-difference gradient, Hessian, directional derivative or
    /// Hessian–vector product beyond the type's range); the parameters were rolled back.
    NonFiniteGradient = 7,
    /// A matrix that must be symmetric is not (beyond a relative tolerance).
    NotSymmetric = 8,
    /// A matrix that must be positive definite is not (Cholesky met a pivot ≤ 0).
    NotPositiveDefinite = 9,
    /// An iterative kernel did not converge within its sweep limit.
    NoConvergence = 10,
    /// A null or misaligned pointer was passed through the C ABI.
    NullPointer = 1,
    /// Two C buffers that must not overlap do overlap.
    Aliased = 11,
    /// The `core::fmt::Write` sink a text writer ([`plot`](crate::plot)'s SVG and CSV) was given
    /// failed (a full buffer, a closed port). Input is validated before the first byte, so this
    /// is the one error after which part of the output may have been written.
    WriteFailed = 12,
}

impl Error {
    /// Stable status code for the C ABI: always negative; 0 means success.
    pub const fn code(self) -> i32 {
        // The discriminants are the codes' magnitudes: no table to look up.
        -(self as i32)
    }

    /// One-line English description.
    pub const fn message(self) -> &'static str {
        match self {
            Error::Empty => "empty input (a size is zero)",
            Error::LengthMismatch => "buffer lengths do not agree",
            Error::NonFiniteInput => "input contains NaN or infinity",
            Error::InvalidParameter => "hyperparameter out of range",
            Error::NonFiniteLoss => "objective returned NaN or infinity; parameters rolled back",
            Error::NonFiniteGradient => "gradient is NaN or infinite; parameters rolled back",
            Error::NotSymmetric => "matrix is not symmetric",
            Error::NotPositiveDefinite => "matrix is not positive definite",
            Error::NoConvergence => "iteration did not converge",
            Error::NullPointer => "null or misaligned pointer",
            Error::Aliased => "buffers overlap",
            Error::WriteFailed => "the output writer failed",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// `core::error::Error` (the trait `std::error::Error` re-exports), without `std`: `?` turns an
/// `Error` into a `Box<dyn std::error::Error>` (or any error type with a `From` for it) with
/// default features, and `no_std` code can hold it as `&dyn core::error::Error`. No variant has
/// a [`source`](core::error::Error::source).
///
/// ```
/// use lossmap::optim::{Adam, AdamConfig};
///
/// fn setup(lr: f64) -> Result<Adam<f64, 2>, Box<dyn std::error::Error + Send + Sync>> {
///     Ok(Adam::new(AdamConfig { lr, ..AdamConfig::default() })?)
/// }
///
/// assert!(setup(1e-3).is_ok());
/// let err = setup(-1.0).unwrap_err();
/// assert_eq!(err.to_string(), "hyperparameter out of range");
/// assert_eq!(err.downcast_ref(), Some(&lossmap::Error::InvalidParameter));
/// assert!(err.source().is_none());
/// ```
impl core::error::Error for Error {}

// Checked where the crate is built, `no_std` targets included: `Error` is an error type there.
const _: fn() = || {
    fn is_error<E: core::error::Error + Send + Sync + 'static>() {}
    is_error::<Error>();
};

/// Returns `Err(NonFiniteInput)` unless every value is finite.
#[inline]
pub(crate) fn check_finite<T: crate::Real>(xs: &[T]) -> Result<(), Error> {
    if xs.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::NonFiniteInput)
    }
}

/// Returns `Err(Empty)` for `n == 0`, `Err(LengthMismatch)` unless `len == n`.
#[inline]
pub(crate) fn check_len(len: usize, n: usize) -> Result<(), Error> {
    if n == 0 {
        Err(Error::Empty)
    } else if len != n {
        Err(Error::LengthMismatch)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn codes_are_distinct_and_negative() {
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
        for (i, a) in all.iter().enumerate() {
            assert!(a.code() < 0);
            for b in &all[i + 1..] {
                assert_ne!(a.code(), b.code());
            }
        }
    }
}
