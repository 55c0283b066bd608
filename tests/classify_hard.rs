//! The scale-free classification on the hard finite-difference set: every critical point of
//! `tests/reference/fd_hard.txt` (minima and saddles of 14 functions, each loss ×1e-3, ×1 and
//! ×1e3) classified by `classify_at_slice` from finite differences of the loss alone, against
//! the kind the exact (sympy) Hessian gives. f64 must give that kind at every scale (no
//! `Undecided`); f32 that kind or `Undecided`, never another kind. The hard case is Powell's
//! singular function at its minimum, where two eigenvalues are exactly 0 and f32's
//! finite-difference step (about 0.05) leaves a truncation error of the quartic terms (about
//! h^2 f^(4)/12, 1e-2, or 5e-5 of the largest eigenvalue) far above the rounding bound: only
//! the truncation estimate (the Hessian at twice the step) turns its `Minimum` into
//! `Undecided`.

#[path = "fd_hard/functions.rs"]
mod functions;

use lossmap::landscape::{
    classify, classify_at_slice, convex_work_len, CriticalPoint, HessianScratch, Tolerance,
};
use lossmap::linalg::sym_eigen;
use lossmap::objective::FnSlice;
use lossmap::Real;

struct Case {
    name: String,
    label: String,
    scale: f64,
    x: Vec<f64>,
    h: Vec<f64>,
}

fn cases() -> Vec<Case> {
    let text = include_str!("reference/fd_hard.txt");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("case ")) {
        let t: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| t[i].parse::<f64>().unwrap();
        let n: usize = t[4].parse().unwrap();
        let x: Vec<f64> = (5..5 + n).map(num).collect();
        // x, f, g, then the n×n Hessian.
        let h0 = 5 + n + 1 + n;
        let h: Vec<f64> = (h0..h0 + n * n).map(num).collect();
        if t[2] == "min" || t[2] == "saddle" {
            out.push(Case {
                name: t[1].into(),
                label: t[2].into(),
                scale: num(3),
                x,
                h,
            });
        }
    }
    out
}

/// The kind the exact Hessian gives, with the default tolerance's zero test (gradient 0).
fn exact_kind(c: &Case) -> CriticalPoint {
    let n = c.x.len();
    let (mut w, mut vals, mut vecs) = (vec![0.0; n * n], vec![0.0; n], vec![0.0; n * n]);
    sym_eigen(&c.h, n, &mut w, &mut vals, &mut vecs).unwrap();
    classify(&vals, 0.0, &Tolerance::default()).unwrap()
}

fn verdict<T: Real>(c: &Case) -> CriticalPoint {
    let n = c.x.len();
    let s = T::from_f64(c.scale);
    let name = c.name.clone();
    let mut f = FnSlice(move |v: &[T]| s * functions::value::<T>(&name, v));
    let x: Vec<T> = c.x.iter().map(|&v| T::from_f64(v)).collect();
    let mut buf = vec![T::ZERO; convex_work_len(n)];
    let mut scratch = HessianScratch::split(&mut buf, n).unwrap();
    let mut grad = vec![T::ZERO; n];
    classify_at_slice(&mut f, &x, &Tolerance::default(), &mut scratch, &mut grad)
        .unwrap()
        .0
}

#[test]
fn hard_set_critical_points_f64_at_every_scale() {
    let mut wrong = Vec::new();
    let all = cases();
    assert!(all.len() >= 45, "{} critical cases", all.len());
    for c in &all {
        let want = exact_kind(c);
        let got = verdict::<f64>(c);
        if got != want {
            wrong.push(format!(
                "{} {} ×{}: {got:?}, exact {want:?}",
                c.name, c.label, c.scale
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn hard_set_critical_points_f32_never_wrong() {
    let (mut decided, mut total, mut wrong, mut open) = (0, 0, Vec::new(), Vec::new());
    for c in &cases() {
        total += 1;
        let want = exact_kind(c);
        match verdict::<f32>(c) {
            got if got == want => decided += 1,
            CriticalPoint::Undecided { .. } => {
                open.push(format!("{} {} ×{}", c.name, c.label, c.scale))
            }
            got => wrong.push(format!(
                "{} {} ×{}: {got:?}, exact {want:?}",
                c.name, c.label, c.scale
            )),
        }
    }
    eprintln!("f32 on the hard set: {decided} of {total} decided; undecided: {open:#?}");
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Measured: 42 of 51 decided; undecided are Powell's minimum (two exact zero eigenvalues),
    // exptrig's saddle (eigenvalue 5e-3 of 47, fourth derivatives near 600) and
    // Freudenstein-Roth's minimum at (5, 4) (eigenvalue 2.9 of 3729, a sextic in x1 at a step
    // of 0.2), each at the three scales. The bound guards the figure against regression; it
    // is not derived.
    assert!(decided >= 42, "{decided} of {total}");
}

/// The truncation estimate's cost: `n² + n` evaluations more at a critical point, none at a
/// point that is not critical.
#[test]
fn truncation_estimate_costs_one_more_hessian_at_critical_points_only() {
    for (x, critical) in [
        ([0.0f64, 0.0, 0.0, 0.0], true),
        ([3.0, -1.0, 0.0, 1.0], false),
    ] {
        let calls = core::cell::Cell::new(0usize);
        let mut f = FnSlice(|v: &[f64]| {
            calls.set(calls.get() + 1);
            functions::value::<f64>("powell", v)
        });
        let mut buf = vec![0.0; convex_work_len(4)];
        let mut scratch = HessianScratch::split(&mut buf, 4).unwrap();
        let mut grad = [0.0; 4];
        let (kind, _) =
            classify_at_slice(&mut f, &x, &Tolerance::default(), &mut scratch, &mut grad).unwrap();
        assert_eq!(kind == CriticalPoint::NotCritical, !critical, "{kind:?}");
        // 2n gradient + (n² + n + 1) Hessian + 1 loss, then n² + n at a critical point.
        let want = 8 + 21 + 1 + if critical { 20 } else { 0 };
        assert_eq!(calls.get(), want, "{x:?}");
    }
}

/// A loss defined at the Hessian's steps but not at twice them: the truncation cannot be
/// estimated, so every sign it would decide stays open (never a guessed kind, never an error).
#[test]
fn truncation_estimate_outside_the_domain_leaves_the_signs_open() {
    let h = lossmap::diff::hessian_step(0.0f64);
    let mut f = FnSlice(move |v: &[f64]| {
        if v[0] < -1.5 * h {
            f64::NAN
        } else {
            v[0] * v[0] + 3.0 * v[1] * v[1]
        }
    });
    let mut buf = vec![0.0; convex_work_len(2)];
    let mut scratch = HessianScratch::split(&mut buf, 2).unwrap();
    let mut grad = [0.0; 2];
    let (kind, s) = classify_at_slice(
        &mut f,
        &[0.0, 0.0],
        &Tolerance::default(),
        &mut scratch,
        &mut grad,
    )
    .unwrap();
    assert_eq!(
        kind,
        CriticalPoint::Undecided {
            uncertain: 2,
            negative: 0
        }
    );
    assert!((s.min - 2.0).abs() < 1e-6 && (s.max - 6.0).abs() < 1e-6);
}
