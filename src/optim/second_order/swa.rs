//! Stochastic weight averaging (Izmailov, Podoprikhin, Garipov, Vetrov & Wilson, *Averaging
//! Weights Leads to Wider Optima and Better Generalization*, UAI 2018): the running mean of the
//! iterates from a start step on, `w ← w + (x − w)/(n + 1)`, `n ← n + 1`.

use crate::error::{check_finite, check_len, Error};
use crate::Real;

/// One running-average update `avg ← avg + (x − avg)/(count + 1)`, `count ← count + 1` (the
/// first update copies `x`). NaN/Inf in `x` or `avg`, length mismatches and a saturated count
/// are errors with nothing written.
///
/// ```
/// let (mut avg, mut count) = ([0.0f64; 2], 0u32);
/// for x in [[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]] {
///     lossmap::optim::swa_update(&mut avg, &mut count, &x).unwrap();
/// }
/// assert_eq!((avg, count), ([3.0, 2.0], 3));
/// ```
pub fn swa_update<T: Real>(avg: &mut [T], count: &mut u32, x: &[T]) -> Result<(), Error> {
    check_len(x.len(), avg.len())?;
    check_finite(x)?;
    check_finite(avg)?;
    let next = count.checked_add(1).ok_or(Error::InvalidParameter)?;
    let w = T::ONE / T::from_f64(f64::from(next));
    avg.iter_mut()
        .zip(x)
        .for_each(|(a, &xi)| *a += (xi - *a) * w);
    *count = next;
    Ok(())
}

/// SWA state: the average of the iterates observed from step `start` on.
///
/// ```
/// use lossmap::optim::Swa;
/// let mut swa = Swa::<f32, 1>::new(2);
/// for (k, x) in [10.0, 20.0, 1.0, 3.0].into_iter().enumerate() {
///     assert_eq!(swa.observe(&[x]).unwrap(), k >= 2);
/// }
/// assert_eq!(swa.average(), Some(&[2.0]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Swa<T, const N: usize> {
    /// The running average (meaningful once `count > 0`).
    pub avg: [T; N],
    /// Iterates averaged.
    pub count: u32,
    /// First step (counted from 0) that enters the average.
    pub start: usize,
    /// Steps observed so far.
    pub steps: usize,
}

impl<T: Real, const N: usize> Swa<T, N> {
    /// Empty average that starts at step `start`.
    pub fn new(start: usize) -> Self {
        Swa {
            avg: [T::ZERO; N],
            count: 0,
            start,
            steps: 0,
        }
    }

    /// Observes the iterate after a step; returns whether it entered the average. NaN/Inf in
    /// `x` is an error with nothing changed.
    pub fn observe(&mut self, x: &[T; N]) -> Result<bool, Error> {
        check_finite(x)?;
        let use_it = self.steps >= self.start;
        if use_it {
            swa_update(&mut self.avg, &mut self.count, x)?;
        }
        self.steps = self.steps.saturating_add(1);
        Ok(use_it)
    }

    /// The average, or `None` before any iterate entered it.
    pub fn average(&self) -> Option<&[T; N]> {
        if self.count > 0 {
            Some(&self.avg)
        } else {
            None
        }
    }

    /// Forgets the average and the step count, keeping `start`.
    pub fn reset(&mut self) {
        *self = Swa::new(self.start);
    }
}
