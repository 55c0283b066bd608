//! Status and stop-reason codes, and their messages.

use crate::optim::StopReason;
use crate::Error;
use core::ffi::c_char;

/// Success.
pub const BASIN_OK: i32 = 0;
/// A pointer argument was null or misaligned.
pub const BASIN_ERR_NULL: i32 = -1;
/// A size was zero.
pub const BASIN_ERR_EMPTY: i32 = -2;
/// An input contained NaN or infinity.
pub const BASIN_ERR_NON_FINITE: i32 = -3;
/// Buffer lengths disagree (e.g. `n` differs from the instance's `n`).
pub const BASIN_ERR_LENGTH: i32 = -4;
/// A hyperparameter is out of range.
pub const BASIN_ERR_PARAM: i32 = -5;
/// The loss callback returned NaN or infinity; parameters rolled back.
pub const BASIN_ERR_LOSS_NON_FINITE: i32 = -6;
/// A gradient was NaN or infinite; parameters rolled back.
pub const BASIN_ERR_GRAD_NON_FINITE: i32 = -7;
/// A matrix that must be symmetric is not.
pub const BASIN_ERR_NOT_SYMMETRIC: i32 = -8;
/// A matrix that must be positive definite is not.
pub const BASIN_ERR_NOT_POS_DEF: i32 = -9;
/// An iteration did not converge.
pub const BASIN_ERR_NO_CONVERGENCE: i32 = -10;
/// Two buffers that must not overlap do.
pub const BASIN_ERR_ALIASED: i32 = -11;

/// Longest loss window `basin_stop_*.window` may ask for.
pub const BASIN_MAX_WINDOW: usize = 64;

/// Run stopped: gradient norm below tolerance.
pub const BASIN_STOP_GRAD_NORM: i32 = 1;
/// Run stopped: relative loss improvement over the window below tolerance.
pub const BASIN_STOP_REL_IMPROVEMENT: i32 = 2;
/// Run stopped: iteration budget used.
pub const BASIN_STOP_MAX_ITER: i32 = 3;
/// Run stopped: the last step moved x by at most `step_tol`.
pub const BASIN_STOP_STEP_SIZE: i32 = 4;
/// Run stopped: evaluation budget used.
pub const BASIN_STOP_MAX_EVALS: i32 = 5;
/// Run stopped: the observer asked to stop.
pub const BASIN_STOP_OBSERVER: i32 = 6;
/// Run stopped: the stochastic driver ran its epochs.
pub const BASIN_STOP_MAX_EPOCHS: i32 = 7;

/// Maps a kernel result to a status code.
#[inline]
pub(crate) fn status(r: Result<(), Error>) -> i32 {
    match r {
        Ok(()) => BASIN_OK,
        Err(e) => e.code(),
    }
}

/// A static, NUL-terminated English description of a status or stop-reason code.
#[no_mangle]
pub extern "C" fn basin_status_message(code: i32) -> *const c_char {
    let s: &'static core::ffi::CStr = match code {
        BASIN_OK => c"ok",
        BASIN_ERR_NULL => c"null or misaligned pointer",
        BASIN_ERR_EMPTY => c"empty input (a size is zero)",
        BASIN_ERR_NON_FINITE => c"input contains NaN or infinity",
        BASIN_ERR_LENGTH => c"buffer lengths do not agree",
        BASIN_ERR_PARAM => c"hyperparameter out of range",
        BASIN_ERR_LOSS_NON_FINITE => {
            c"loss callback returned NaN or infinity; parameters rolled back"
        }
        BASIN_ERR_GRAD_NON_FINITE => c"gradient is NaN or infinite; parameters rolled back",
        BASIN_ERR_NOT_SYMMETRIC => c"matrix is not symmetric",
        BASIN_ERR_NOT_POS_DEF => c"matrix is not positive definite",
        BASIN_ERR_NO_CONVERGENCE => c"iteration did not converge",
        BASIN_ERR_ALIASED => c"buffers overlap",
        _ => c"unknown status",
    };
    s.as_ptr()
}

/// The C code of a stop reason.
pub(crate) fn stop_code(r: StopReason) -> i32 {
    r.code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_rust_codes() {
        let pairs = [
            (BASIN_ERR_NULL, Error::NullPointer),
            (BASIN_ERR_EMPTY, Error::Empty),
            (BASIN_ERR_NON_FINITE, Error::NonFiniteInput),
            (BASIN_ERR_LENGTH, Error::LengthMismatch),
            (BASIN_ERR_PARAM, Error::InvalidParameter),
            (BASIN_ERR_LOSS_NON_FINITE, Error::NonFiniteLoss),
            (BASIN_ERR_GRAD_NON_FINITE, Error::NonFiniteGradient),
            (BASIN_ERR_NOT_SYMMETRIC, Error::NotSymmetric),
            (BASIN_ERR_NOT_POS_DEF, Error::NotPositiveDefinite),
            (BASIN_ERR_NO_CONVERGENCE, Error::NoConvergence),
            (BASIN_ERR_ALIASED, Error::Aliased),
        ];
        for (c, e) in pairs {
            assert_eq!(c, e.code(), "{e:?}");
        }
        assert_eq!(BASIN_MAX_WINDOW, crate::optim::MAX_WINDOW);
        assert_eq!(BASIN_STOP_GRAD_NORM, StopReason::GradientNorm.code());
        assert_eq!(
            BASIN_STOP_REL_IMPROVEMENT,
            StopReason::RelativeImprovement.code()
        );
        assert_eq!(BASIN_STOP_MAX_ITER, StopReason::MaxIterations.code());
        assert_eq!(BASIN_STOP_STEP_SIZE, StopReason::StepSize.code());
        assert_eq!(BASIN_STOP_MAX_EVALS, StopReason::MaxEvaluations.code());
        assert_eq!(BASIN_STOP_OBSERVER, StopReason::Observer.code());
        assert_eq!(BASIN_STOP_MAX_EPOCHS, StopReason::MaxEpochs.code());
    }
}
