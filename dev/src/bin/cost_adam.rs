//! One Adam case, `K` steps, for instruction counting under callgrind:
//!
//! ```text
//! cost-adam <impl> <f32|f64> <N> <K>
//! valgrind --tool=callgrind --toggle-collect='*cost_adam_measured*' \
//!     --callgrind-out-file=out target/release/cost-adam lossmap-slice f32 8 10000
//! ```
//!
//! `<impl>` is one of lossmap-slice, lossmap-typed, c-unchecked, c-errno, c-checked, c-strict,
//! rust-plain, stream (the C is the `-march=x86-64-v3` build: valgrind cannot decode AVX-512).
//! The `K` steps run inside [`cost_adam_measured`], so the collected instructions divided by `K`
//! are one step plus the loop around it (about three instructions). Prints
//! `steps=<K> ok=<1|0>`.

use lossmap_dev::{dispatch, Elem, Impl, Isa, Visit, Work};
use std::hint::black_box;
use std::process::ExitCode;

/// Runs `k` steps of `step` on `w`; returns whether every step succeeded. The one function
/// callgrind collects in (`--toggle-collect`).
#[inline(never)]
fn cost_adam_measured<T: Elem, S: FnMut(&mut Work<T>) -> bool>(
    k: usize,
    w: &mut Work<T>,
    step: &mut S,
) -> bool {
    let mut ok = true;
    for _ in 0..k {
        ok &= step(black_box(&mut *w));
    }
    ok
}

struct Run {
    n: usize,
    k: usize,
}

impl<T: Elem> Visit<T> for Run {
    type Out = bool;
    fn visit<S: FnMut(&mut Work<T>) -> bool>(self, mut step: S) -> bool {
        let mut w = Work::<T>::new(self.n);
        let ok = cost_adam_measured(self.k, &mut w, &mut step);
        black_box(&w);
        ok
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        eprintln!("usage: cost-adam <impl> <f32|f64> <N> <K>; impl: lossmap-slice, lossmap-typed, c-unchecked, c-errno, c-checked, c-strict, rust-plain, stream");
        ExitCode::from(2)
    };
    let [which, ty, n, k] = args.as_slice() else {
        return usage();
    };
    let (Some(which), Ok(n), Ok(k)) = (Impl::parse(which), n.parse(), k.parse()) else {
        return usage();
    };
    let run = Run { n, k };
    let ok = match ty.as_str() {
        "f32" => dispatch::<f32, _>(which, n, Isa::V3, run),
        "f64" => dispatch::<f64, _>(which, n, Isa::V3, run),
        _ => return usage(),
    };
    match ok {
        Some(ok) => {
            println!("steps={k} ok={}", u8::from(ok));
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        None => {
            eprintln!("cost-adam: no typed Adam for N = {n}");
            ExitCode::from(2)
        }
    }
}
