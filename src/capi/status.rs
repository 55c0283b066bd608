//! Status and stop-reason codes, and their messages.

use crate::optim::StopReason;
use crate::Error;
use core::ffi::c_char;

/// Success.
pub const LOSSMAP_OK: i32 = 0;
/// A pointer argument was null or misaligned.
pub const LOSSMAP_ERR_NULL: i32 = -1;
/// A size was zero.
pub const LOSSMAP_ERR_EMPTY: i32 = -2;
/// An input contained NaN or infinity.
pub const LOSSMAP_ERR_NON_FINITE: i32 = -3;
/// Buffer lengths disagree (e.g. `n` differs from the instance's `n`).
pub const LOSSMAP_ERR_LENGTH: i32 = -4;
/// A hyperparameter is out of range.
pub const LOSSMAP_ERR_PARAM: i32 = -5;
/// The loss callback returned NaN or infinity; parameters rolled back.
pub const LOSSMAP_ERR_LOSS_NON_FINITE: i32 = -6;
/// A gradient was NaN or infinite; parameters rolled back.
pub const LOSSMAP_ERR_GRAD_NON_FINITE: i32 = -7;
/// A matrix that must be symmetric is not.
pub const LOSSMAP_ERR_NOT_SYMMETRIC: i32 = -8;
/// A matrix that must be positive definite is not.
pub const LOSSMAP_ERR_NOT_POS_DEF: i32 = -9;
/// An iteration did not converge.
pub const LOSSMAP_ERR_NO_CONVERGENCE: i32 = -10;
/// Two buffers that must not overlap do.
pub const LOSSMAP_ERR_ALIASED: i32 = -11;
/// A text writer's output sink failed (no C entry point returns it today; Rust's `plot`).
pub const LOSSMAP_ERR_WRITE: i32 = -12;

/// Longest loss window `lossmap_stop_*.window` may ask for.
pub const LOSSMAP_MAX_WINDOW: usize = 64;

/// Run stopped: gradient norm below tolerance.
pub const LOSSMAP_STOP_GRAD_NORM: i32 = 1;
/// Run stopped: relative loss improvement over the window below tolerance.
pub const LOSSMAP_STOP_REL_IMPROVEMENT: i32 = 2;
/// Run stopped: iteration budget used.
pub const LOSSMAP_STOP_MAX_ITER: i32 = 3;
/// Run stopped: the last step moved x by at most `step_tol`.
pub const LOSSMAP_STOP_STEP_SIZE: i32 = 4;
/// Run stopped: evaluation budget used.
pub const LOSSMAP_STOP_MAX_EVALS: i32 = 5;
/// Run stopped: the observer asked to stop.
pub const LOSSMAP_STOP_OBSERVER: i32 = 6;
/// Run stopped: the stochastic driver ran its epochs.
pub const LOSSMAP_STOP_MAX_EPOCHS: i32 = 7;

/// Maps a kernel result to a status code.
#[inline]
pub(crate) fn status(r: Result<(), Error>) -> i32 {
    match r {
        Ok(()) => LOSSMAP_OK,
        Err(e) => e.code(),
    }
}

/// A static, NUL-terminated English description of a status or stop-reason code.
#[no_mangle]
pub extern "C" fn lossmap_status_message(code: i32) -> *const c_char {
    let s: &'static core::ffi::CStr = match code {
        LOSSMAP_OK => c"ok",
        LOSSMAP_ERR_NULL => c"null or misaligned pointer",
        LOSSMAP_ERR_EMPTY => c"empty input (a size is zero)",
        LOSSMAP_ERR_NON_FINITE => c"input contains NaN or infinity",
        LOSSMAP_ERR_LENGTH => c"buffer lengths do not agree",
        LOSSMAP_ERR_PARAM => c"hyperparameter out of range",
        LOSSMAP_ERR_LOSS_NON_FINITE => {
            c"loss callback returned NaN or infinity; parameters rolled back"
        }
        LOSSMAP_ERR_GRAD_NON_FINITE => c"gradient is NaN or infinite; parameters rolled back",
        LOSSMAP_ERR_NOT_SYMMETRIC => c"matrix is not symmetric",
        LOSSMAP_ERR_NOT_POS_DEF => c"matrix is not positive definite",
        LOSSMAP_ERR_NO_CONVERGENCE => c"iteration did not converge",
        LOSSMAP_ERR_ALIASED => c"buffers overlap",
        LOSSMAP_ERR_WRITE => c"the output writer failed",
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
            (LOSSMAP_ERR_NULL, Error::NullPointer),
            (LOSSMAP_ERR_EMPTY, Error::Empty),
            (LOSSMAP_ERR_NON_FINITE, Error::NonFiniteInput),
            (LOSSMAP_ERR_LENGTH, Error::LengthMismatch),
            (LOSSMAP_ERR_PARAM, Error::InvalidParameter),
            (LOSSMAP_ERR_LOSS_NON_FINITE, Error::NonFiniteLoss),
            (LOSSMAP_ERR_GRAD_NON_FINITE, Error::NonFiniteGradient),
            (LOSSMAP_ERR_NOT_SYMMETRIC, Error::NotSymmetric),
            (LOSSMAP_ERR_NOT_POS_DEF, Error::NotPositiveDefinite),
            (LOSSMAP_ERR_NO_CONVERGENCE, Error::NoConvergence),
            (LOSSMAP_ERR_ALIASED, Error::Aliased),
            (LOSSMAP_ERR_WRITE, Error::WriteFailed),
        ];
        for (c, e) in pairs {
            assert_eq!(c, e.code(), "{e:?}");
        }
        assert_eq!(LOSSMAP_MAX_WINDOW, crate::optim::MAX_WINDOW);
        assert_eq!(LOSSMAP_STOP_GRAD_NORM, StopReason::GradientNorm.code());
        assert_eq!(
            LOSSMAP_STOP_REL_IMPROVEMENT,
            StopReason::RelativeImprovement.code()
        );
        assert_eq!(LOSSMAP_STOP_MAX_ITER, StopReason::MaxIterations.code());
        assert_eq!(LOSSMAP_STOP_STEP_SIZE, StopReason::StepSize.code());
        assert_eq!(LOSSMAP_STOP_MAX_EVALS, StopReason::MaxEvaluations.code());
        assert_eq!(LOSSMAP_STOP_OBSERVER, StopReason::Observer.code());
        assert_eq!(LOSSMAP_STOP_MAX_EPOCHS, StopReason::MaxEpochs.code());
    }
}
