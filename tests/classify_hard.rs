//! The scale-free classification on the hard finite-difference set: every critical point of
//! `tests/reference/fd_hard.txt` (minima and saddles of 14 functions, each loss ×1e-3, ×1 and
//! ×1e3) classified by `classify_at_slice` from finite differences of the loss alone, against
//! the kind the exact (sympy) Hessian gives. f64 must give that kind at every scale; f32 that
//! kind or `Undecided`, with one measured exception: Powell's singular function at its minimum,
//! where two eigenvalues are exactly 0 and f32's finite-difference step (about 0.027) leaves a
//! truncation error of the quartic terms (about h^2 f^(4)/12, 1e-2, or 5e-5 of the largest
//! eigenvalue) that the rounding bound does not cover: it reads `Minimum` where the exact kind
//! is `Degenerate`. Covering truncation needs a second Hessian (or the adaptive one's bound).

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
    let (mut decided, mut total, mut wrong) = (0, 0, Vec::new());
    for c in &cases() {
        total += 1;
        let want = exact_kind(c);
        match verdict::<f32>(c) {
            got if got == want => decided += 1,
            CriticalPoint::Undecided { .. } => {}
            got => wrong.push(format!(
                "{} {} ×{}: {got:?}, exact {want:?}",
                c.name, c.label, c.scale
            )),
        }
    }
    eprintln!(
        "f32 on the hard set: {decided} of {total} decided, the rest undecided; wrong: {wrong:#?}"
    );
    // The documented exception (see the module doc), at each of the three scales, and no other.
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert!(
        wrong.iter().all(|w| w.starts_with("powell min")),
        "{wrong:#?}"
    );
}
