//! A fixed-capacity ring of recent losses for the relative-improvement stopping rule.
//!
//! Written here rather than taken from `heapless::HistoryBuf` (checked again with heapless
//! 0.9.4): its `write` stores through `data[write_at]` and its `oldest_ordered` slices at
//! `write_at`, where `write_at` is a field, so neither bounds check can be removed by the
//! optimizer and either would put a reachable panic into every `minimize` (the `panic_never`
//! link proof fails with it). This ring reaches its storage only through `get`/`get_mut`.

use crate::Real;

/// The last `CAP` losses pushed, newest last.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LossWindow<T, const CAP: usize> {
    buf: [T; CAP],
    /// Index the next push writes to.
    head: usize,
    /// Values held, ≤ CAP.
    len: usize,
}

impl<T: Real, const CAP: usize> LossWindow<T, CAP> {
    pub(crate) fn new() -> Self {
        LossWindow {
            buf: [T::ZERO; CAP],
            head: 0,
            len: 0,
        }
    }

    /// Number of losses held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends `v`, dropping the oldest when full.
    pub(crate) fn push(&mut self, v: T) {
        if let Some(slot) = self.buf.get_mut(self.head) {
            *slot = v;
        }
        self.head = if self.head + 1 >= CAP {
            0
        } else {
            self.head + 1
        };
        self.len = (self.len + 1).min(CAP);
    }

    /// The loss pushed `k` pushes before the newest (`k = 0` is the newest), if held.
    pub(crate) fn back(&self, k: usize) -> Option<T> {
        if k >= self.len {
            return None;
        }
        // head − 1 − k, modulo CAP, without underflow.
        let idx = (self.head + CAP - 1 - k) % CAP.max(1);
        self.buf.get(idx).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::LossWindow;

    #[test]
    fn keeps_the_last_cap_values_in_order() {
        let mut w = LossWindow::<f64, 3>::new();
        assert_eq!((w.len(), w.back(0)), (0, None));
        for v in 1..=5 {
            w.push(v as f64);
        }
        assert_eq!(w.len(), 3);
        assert_eq!(
            [w.back(0), w.back(1), w.back(2), w.back(3)],
            [Some(5.0), Some(4.0), Some(3.0), None]
        );
    }
}
