//! Adaptive finite differences on a hard set (`tests/reference/fd_hard.py`): fourteen functions
//! with large third derivatives, |f| ≫ 1, badly scaled parameters, singular or near-barrier
//! points, each at minima, saddles and generic points and scaled by 1e-3, 1 and 1e3, against
//! derivatives computed exactly by sympy and beside numdifftools' default results.
//!
//! Error norm (as in the script): gradient `max|ĝ − g| / max(max|g|, c)`, Hessian
//! `max|Ĥ − H| / max(max|H|, c)`, `c` the scale factor applied to the function.
//!
//! Goals: f64 gradient ≤ 1e-11, f64 Hessian ≤ 1e-9, f32 Hessian ≤ 2e-3, at most a quarter of
//! numdifftools' evaluations, and the returned error bound covering the true error at ≥ 95 % of
//! the entries. Where the measured floor of the gradient formula (`tests/reference/fd_floor.py`,
//! the least error any step of it reaches with f64 values) is above 1e-11, the gradient goal is
//! 2× that floor; the points that miss it are listed in `known_miss` with their measured error.
//!
//! Run with `-- --nocapture` to print the table that README's "Accuracy and cost" shows.

#[path = "fd_hard/functions.rs"]
mod functions;

use lossmap::diff::{
    directional_adaptive_with, gradient_adaptive_with, hessian_adaptive_with, Accuracy,
};
use lossmap::Real;
use std::collections::BTreeMap;

struct Case {
    name: String,
    label: String,
    scale: f64,
    x: Vec<f64>,
    f: f64,
    g: Vec<f64>,
    h: Vec<f64>,
    nd_g_err: f64,
    nd_g_evals: usize,
    nd_h_err: f64,
    nd_h_evals: usize,
}

/// The functions that call `sin` or `cos`.
const TRIG: [&str; 2] = ["exptrig", "sincos10"];

fn cases() -> Vec<Case> {
    let text = include_str!("reference/fd_hard.txt");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("case ")) {
        let t: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| t[i].parse::<f64>().unwrap();
        let n: usize = t[4].parse().unwrap();
        let mut k = 5;
        let mut take = |m: usize| {
            let v: Vec<f64> = (k..k + m).map(num).collect();
            k += m;
            v
        };
        let x = take(n);
        let f = take(1)[0];
        let g = take(n);
        let h = take(n * n);
        out.push(Case {
            name: t[1].into(),
            label: t[2].into(),
            scale: num(3),
            x,
            f,
            g,
            h,
            nd_g_err: num(k),
            nd_g_evals: t[k + 1].parse().unwrap(),
            nd_h_err: num(k + 2),
            nd_h_evals: t[k + 3].parse().unwrap(),
        });
    }
    out
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, a| m.max(a.abs()))
}

/// Measured results of one precision on one case.
#[derive(Default, Clone, Copy)]
struct Run {
    g_err: f64,
    g_evals: usize,
    g_cover: (usize, usize),
    h_err: f64,
    h_evals: usize,
    h_cover: (usize, usize),
    /// Directional first and second derivatives along (1, −1, 1, …): relative errors (against
    /// max(|exact|, c)) and how many of the two bounds cover.
    d_err: [f64; 2],
    d_cover: usize,
    /// Evaluations of the directional derivatives (both orders).
    d_evals: usize,
}

fn run<T: Real>(c: &Case, acc: Accuracy) -> Run {
    let n = c.x.len();
    let xt: Vec<T> = c.x.iter().map(|&v| T::from_f64(v)).collect();
    let s = T::from_f64(c.scale);
    let mut f = |v: &[T]| s * functions::value::<T>(&c.name, v);
    let (mut x, mut g, mut ge) = (xt.clone(), vec![T::ZERO; n], vec![T::ZERO; n]);
    let g_evals = gradient_adaptive_with(&mut f, &mut x, &mut g, &mut ge, acc).unwrap();
    assert_eq!(x, xt, "point restored");
    let (mut hh, mut he) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let h_evals = hessian_adaptive_with(&mut f, &mut x, &mut hh, &mut he, acc).unwrap();
    let cover = |est: &[T], err: &[T], exact: &[f64]| {
        if std::env::var_os("FD_HARD_VERBOSE").is_some() {
            for ((e, b), x) in est.iter().zip(err).zip(exact) {
                if (e.to_f64() - *x).abs() > b.to_f64() {
                    println!(
                        "  uncovered {} {} {} {}: est {:e} exact {:e} bound {:e} err {:e}",
                        T::NAME,
                        c.name,
                        c.label,
                        c.scale,
                        e.to_f64(),
                        x,
                        b.to_f64(),
                        (e.to_f64() - x).abs()
                    );
                }
            }
        }
        let hit = est
            .iter()
            .zip(err)
            .zip(exact)
            .filter(|((e, b), x)| (e.to_f64() - **x).abs() <= b.to_f64())
            .count();
        (hit, exact.len())
    };
    let rel = |est: &[T], exact: &[f64]| {
        let d: Vec<f64> = est.iter().zip(exact).map(|(e, x)| e.to_f64() - x).collect();
        max_abs(&d) / max_abs(exact).max(c.scale)
    };
    let d: Vec<T> = (0..n)
        .map(|i| if i % 2 == 0 { T::ONE } else { -T::ONE })
        .collect();
    let df: Vec<f64> = d.iter().map(|v| v.to_f64()).collect();
    let first: f64 = df.iter().zip(&c.g).map(|(a, b)| a * b).sum();
    let second: f64 = (0..n * n).map(|k| df[k / n] * c.h[k] * df[k % n]).sum();
    let mut pt = vec![T::ZERO; n];
    let de = directional_adaptive_with(&mut f, &xt, &d, &mut pt, acc).unwrap();
    let d_err = [
        (de.first.to_f64() - first).abs() / first.abs().max(c.scale),
        (de.second.to_f64() - second).abs() / second.abs().max(c.scale),
    ];
    let d_cover = usize::from((de.first.to_f64() - first).abs() <= de.first_err.to_f64())
        + usize::from((de.second.to_f64() - second).abs() <= de.second_err.to_f64());
    Run {
        d_err,
        d_cover,
        d_evals: de.evals,
        g_err: rel(&g, &c.g),
        g_evals,
        g_cover: cover(&g, &ge, &c.g),
        h_err: rel(&hh, &c.h),
        h_evals,
        h_cover: cover(&hh, &he, &c.h),
    }
}

/// The points that miss their gradient goal (1e-11, or 2× the floor where the floor of
/// `fd_floor.txt` is above it) under the default, with the measured error (50 % margin): none.
///
/// Goldstein–Price at its local minimum (1.2, 0.8) missed at scale 1 (4.25e-10 against a floor
/// of 2.0e-10; 3.4e-10 and 3.7e-10 at the other scales) until an unmoved window at a critical
/// point, whose bound is `R₁`'s truncation, was judged by `R₂`'s own error one step up: now
/// 9.3e-11, 5.0e-11 and 9.3e-11 (17 evaluations instead of 13). Brown's badly scaled function
/// at its generic point missed at scale 1e-3 too (2.82e-11, 2.01× its floor of 1.4e-11) while
/// its search walked up in strides of 3 and 6 halvings; the jump to the rounding model's optimum
/// gives 2.2e-11, 1.9e-11 and 2.4e-11 at scales 1e-3, 1 and 1e3.
fn known_miss(_name: &str, _label: &str, _scale: f64) -> Option<f64> {
    None
}

/// A quarter of numdifftools' evaluations per (point, scale, derivative) run: measured 50 of the
/// 180 runs above it (Goldstein–Price's local minimum, 17 of 61, in place of the monkey saddle,
/// whose critical-point searches stop at its first window; 44 before the first derivative's
/// jump to the rounding optimum, which adds exp-sum's and Freudenstein–Roth's local minima; 37
/// before its search gate was lowered to `ε^{2/3}`, 36 before its walk started a halving
/// higher), all where a window moved or was judged one step up.
const RUNS_ABOVE_QUARTER: usize = 50;

#[test]
fn values_match_the_script() {
    for c in cases() {
        let v = c.scale * functions::value::<f64>(&c.name, &c.x);
        assert!(
            (v - c.f).abs() <= 1e-13 * c.f.abs().max(c.scale),
            "{} {}: {v} vs {}",
            c.name,
            c.label,
            c.f
        );
    }
}

#[test]
fn hard_set() {
    let cs = cases();
    assert!(cs.len() >= 12 * 2 * 3);
    let mut table: BTreeMap<String, Vec<(Run, Run, usize)>> = BTreeMap::new();
    let (mut cover, mut total) = ((0, 0), (0, 0));
    let mut misses = Vec::new();
    let mut unexpected = Vec::new();
    let floors = gradient_floors();
    let mut above_quarter = 0usize;
    let (mut ours_g, mut nd_g, mut ours_h, mut nd_h) = (0usize, 0usize, 0usize, 0usize);
    let (mut dcover, mut dmax) = ((0usize, 0usize), [0.0f64; 2]);
    for (idx, c) in cs.iter().enumerate() {
        let r64 = run::<f64>(c, Accuracy::Fast);
        let r32 = run::<f32>(c, Accuracy::Fast);
        // Under `micromath`, f32 `sin`/`cos` are an approximation (absolute error 1.1e-3): the
        // f32 function is not the one sympy differentiated, so its f32 results are not judged.
        let judged32 = !(cfg!(feature = "micromath") && TRIG.contains(&c.name.as_str()));
        let runs: &[&Run] = if judged32 { &[&r64, &r32] } else { &[&r64] };
        for r in runs.iter().copied() {
            cover.0 += r.g_cover.0;
            total.0 += r.g_cover.1;
            cover.1 += r.h_cover.0;
            total.1 += r.h_cover.1;
            dcover.0 += r.d_cover;
            dcover.1 += 2;
        }
        dmax[0] = dmax[0].max(r64.d_err[0]);
        dmax[1] = dmax[1].max(r64.d_err[1]);
        let key = (c.name.clone(), c.label.clone(), format!("{}", c.scale));
        let floor = floors.get(&key).copied().unwrap_or(0.0);
        let checks = [
            ("f64 gradient", r64.g_err, 1e-11f64.max(2.0 * floor), floor),
            ("f64 Hessian", r64.h_err, 1e-9, 0.0),
            ("f32 Hessian", r32.h_err, 2e-3, 0.0),
        ];
        for (what, err, goal, floor) in checks {
            if what.starts_with("f32") && !judged32 {
                continue;
            }
            if err > goal {
                misses.push(format!(
                    "{what} {} {} ×{:e}: {err:.2e} (goal {goal:.1e}, floor {floor:.1e}, numdifftools {})",
                    c.name, c.label, c.scale,
                    if what.contains("gradient") { format!("{:.1e}", c.nd_g_err) } else if what.starts_with("f64") { format!("{:.1e}", c.nd_h_err) } else { "-".into() }
                ));
                match known_miss(&c.name, &c.label, c.scale) {
                    Some(bound) if what == "f64 gradient" && err <= bound => {}
                    _ => unexpected.push(format!(
                        "{what} {} {} ×{:e}: {err:.2e}",
                        c.name, c.label, c.scale
                    )),
                }
            }
        }
        ours_g += r64.g_evals;
        nd_g += c.nd_g_evals;
        ours_h += r64.h_evals;
        nd_h += c.nd_h_evals;
        if std::env::var_os("FD_HARD_VERBOSE").is_some() {
            println!(
                "{:>14} {:>8} {:>6e} g64 {:.1e} ({}) {}/{} h64 {:.1e} ({}) {}/{} g32 {:.1e} h32 {:.1e} {}/{} dir {:.1e} {:.1e} {}/2 {}/2",
                c.name, c.label, c.scale, r64.g_err, r64.g_evals, r64.g_cover.0, r64.g_cover.1,
                r64.h_err, r64.h_evals, r64.h_cover.0, r64.h_cover.1, r32.g_err, r32.h_err,
                r32.h_cover.0, r32.h_cover.1, r64.d_err[0], r64.d_err[1], r64.d_cover, r32.d_cover
            );
        }
        for (what, used, nd) in [
            ("gradient", r64.g_evals, c.nd_g_evals),
            ("Hessian", r64.h_evals, c.nd_h_evals),
        ] {
            if used * 4 > nd {
                above_quarter += 1;
                misses.push(format!(
                    "{what} evaluations {} {} ×{:e}: {used} > {nd}/4",
                    c.name, c.label, c.scale
                ));
            }
        }
        table
            .entry(c.name.clone())
            .or_default()
            .push((r64, r32, idx));
    }
    println!("| function | f64 gradient error | evals | numdifftools error | evals | f64 Hessian error | evals | numdifftools error | evals | f32 Hessian error | bound covers |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, rows) in &table {
        let mx = |f: &dyn Fn(&(Run, Run, usize)) -> f64| rows.iter().map(f).fold(0.0, f64::max);
        let mxu = |f: &dyn Fn(&(Run, Run, usize)) -> usize| rows.iter().map(f).max().unwrap_or(0);
        let nd = |f: &dyn Fn(&Case) -> f64| {
            rows.iter().map(|r| f(&cs[r.2])).fold(0.0, |a: f64, b| {
                if b.is_nan() || a.is_nan() {
                    f64::NAN
                } else {
                    a.max(b)
                }
            })
        };
        let (hit, all) = rows.iter().fold((0, 0), |(h, a), r| {
            let parts = [r.0.g_cover, r.0.h_cover, r.1.g_cover, r.1.h_cover];
            parts.iter().fold((h, a), |(h, a), p| (h + p.0, a + p.1))
        });
        println!(
            "| {name} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {:.0} % |",
            mx(&|r| r.0.g_err),
            mxu(&|r| r.0.g_evals),
            nd(&|c| c.nd_g_err),
            mxu(&|r| cs[r.2].nd_g_evals),
            mx(&|r| r.0.h_err),
            mxu(&|r| r.0.h_evals),
            nd(&|c| c.nd_h_err),
            mxu(&|r| cs[r.2].nd_h_evals),
            mx(&|r| r.1.h_err),
            100.0 * hit as f64 / all as f64,
        );
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b as f64;
    println!(
        "error bound covers the true error: gradient {:.1} % of {} entries, Hessian {:.1} % of {} (f64 and f32)",
        pct(cover.0, total.0),
        total.0,
        pct(cover.1, total.1),
        total.1
    );
    println!(
        "directional derivatives (f64): first {:.1e}, second {:.1e} (worst); bounds cover {:.1} % of {}",
        dmax[0],
        dmax[1],
        pct(dcover.0, dcover.1),
        dcover.1
    );
    println!(
        "evaluations over the set: gradient {ours_g} vs numdifftools {nd_g} ({:.2}), Hessian {ours_h} vs {nd_h} ({:.2})",
        ours_g as f64 / nd_g as f64,
        ours_h as f64 / nd_h as f64
    );
    println!(
        "runs above a quarter of numdifftools' evaluations: {above_quarter} of {}",
        2 * cs.len()
    );
    for m in &misses {
        println!("missed: {m}");
    }
    assert!(above_quarter <= RUNS_ABOVE_QUARTER);
    assert!(pct(cover.0, total.0) >= 95.0 && pct(cover.1, total.1) >= 95.0);
    assert!(pct(dcover.0, dcover.1) >= 95.0);
    // Directional derivatives along (1, −1, …): worst measured 2.4e-10 (first, Brown's generic
    // point; 2.5e-10 before the jump to the rounding optimum, 7.9e-10 at scale 1e3 with the
    // search gate at `√ε`) and 4.5e-10 (second, Wood); the
    // scale `‖x‖∞` gave 4.3e-2 at Brown's minimum.
    assert!(dmax[0] <= 1e-9 && dmax[1] <= 1e-9, "directional {dmax:?}");
    assert!(
        4 * ours_g <= nd_g && 4 * ours_h <= nd_h,
        "more than a quarter of numdifftools' evaluations"
    );
    assert!(
        unexpected.is_empty(),
        "goals missed beyond the known cases: {unexpected:#?}"
    );
}

/// Robust floors of the f64 gradient from `fd_floor.txt`: (function, point, scale) → the least
/// error any step of the two-term Richardson formula reaches, taken robustly.
fn gradient_floors() -> BTreeMap<(String, String, String), f64> {
    let text = include_str!("reference/fd_floor.txt");
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("gradient64 ")) {
        let t: Vec<&str> = line.split_whitespace().collect();
        let Some(pos) = t.iter().position(|w| *w == "richardson") else {
            continue;
        };
        let robust: f64 = t[pos + 2].parse().unwrap();
        let scale = t[3].trim_end_matches(':').to_string();
        out.insert((t[1].to_string(), t[2].to_string(), scale), robust);
    }
    out
}

/// `Accuracy::Full` over the whole set against `Accuracy::Fast`: every f64 gradient within the
/// 1e-11 goal or 2× of the measured floor, the Hessian goals, bounds covering ≥ 95 % of the
/// entries, and the cost measured against numdifftools.
#[test]
fn hard_set_full_accuracy() {
    let cs = cases();
    let floors = gradient_floors();
    let mut table: BTreeMap<String, [[(f64, usize); 3]; 2]> = BTreeMap::new();
    let mut sums = [[0usize; 3]; 2];
    let (mut nd_g, mut nd_h) = (0usize, 0usize);
    let mut cover = [(0usize, 0usize); 3];
    let mut dmax = [0.0f64; 2];
    let mut bad = Vec::new();
    for c in &cs {
        let fast = run::<f64>(c, Accuracy::Fast);
        let full = run::<f64>(c, Accuracy::Full);
        let judged32 = !(cfg!(feature = "micromath") && TRIG.contains(&c.name.as_str()));
        let full32 = run::<f32>(c, Accuracy::Full);
        let runs: &[&Run] = if judged32 {
            &[&full, &full32]
        } else {
            &[&full]
        };
        for r in runs.iter().copied() {
            cover[0].0 += r.g_cover.0;
            cover[0].1 += r.g_cover.1;
            cover[1].0 += r.h_cover.0;
            cover[1].1 += r.h_cover.1;
            cover[2].0 += r.d_cover;
            cover[2].1 += 2;
        }
        dmax[0] = dmax[0].max(full.d_err[0]);
        dmax[1] = dmax[1].max(full.d_err[1]);
        if std::env::var_os("FD_HARD_VERBOSE").is_some() {
            println!(
                "{:>14} {:>8} {:>6e} fast g {:.1e} ({}) h {:.1e} ({}) | full g {:.1e} ({}) {}/{} h {:.1e} ({}) {}/{}",
                c.name, c.label, c.scale, fast.g_err, fast.g_evals, fast.h_err, fast.h_evals,
                full.g_err, full.g_evals, full.g_cover.0, full.g_cover.1, full.h_err, full.h_evals,
                full.h_cover.0, full.h_cover.1
            );
        }
        let key = (c.name.clone(), c.label.clone(), format!("{}", c.scale));
        let floor = floors.get(&key).copied().unwrap_or(0.0);
        let goal_g = 1e-11f64.max(2.0 * floor);
        if full.g_err > goal_g {
            bad.push(format!(
                "f64 gradient {} {} ×{}: {:.2e} > {goal_g:.1e}",
                c.name, c.label, c.scale, full.g_err
            ));
        }
        if full.h_err > 1e-9 {
            bad.push(format!(
                "f64 Hessian {} {} ×{}: {:.2e}",
                c.name, c.label, c.scale, full.h_err
            ));
        }
        if judged32 && full32.h_err > 2e-3 {
            bad.push(format!(
                "f32 Hessian {} {} ×{}: {:.2e}",
                c.name, c.label, c.scale, full32.h_err
            ));
        }
        for (m, r) in [fast, full].iter().enumerate() {
            sums[m][0] += r.g_evals;
            sums[m][1] += r.h_evals;
            sums[m][2] += r.d_evals;
            let row = &mut table.entry(c.name.clone()).or_default()[m];
            for (slot, (e, n)) in row.iter_mut().zip([
                (r.g_err, r.g_evals),
                (r.h_err, r.h_evals),
                (r.d_err[0].max(r.d_err[1]), 0),
            ]) {
                *slot = (slot.0.max(e), slot.1.max(n));
            }
        }
        nd_g += c.nd_g_evals;
        nd_h += c.nd_h_evals;
    }
    println!("| function | Fast gradient | evals | Full gradient | evals | Fast Hessian | evals | Full Hessian | evals | Fast directional | Full directional |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, [a, b]) in &table {
        println!(
            "| {name} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {} | {:.1e} | {:.1e} |",
            a[0].0, a[0].1, b[0].0, b[0].1, a[1].0, a[1].1, b[1].0, b[1].1, a[2].0, b[2].0
        );
    }
    let ratio = |a: usize, b: usize| a as f64 / b as f64;
    let pct = |(a, b): (usize, usize)| 100.0 * a as f64 / b as f64;
    println!(
        "evaluations over the set, of numdifftools': Fast gradient {:.2}, Hessian {:.2}; Full gradient {:.2}, Hessian {:.2}",
        ratio(sums[0][0], nd_g),
        ratio(sums[0][1], nd_h),
        ratio(sums[1][0], nd_g),
        ratio(sums[1][1], nd_h)
    );
    println!(
        "directional evaluations over the set: Fast {}, Full {} ({:.2}×)",
        sums[0][2],
        sums[1][2],
        ratio(sums[1][2], sums[0][2])
    );
    println!(
        "Full: bounds cover gradient {:.1} % of {}, Hessian {:.1} % of {}, directional {:.1} % of {} (f64 and f32); directional worst {:.1e}, {:.1e}",
        pct(cover[0]),
        cover[0].1,
        pct(cover[1]),
        cover[1].1,
        pct(cover[2]),
        cover[2].1,
        dmax[0],
        dmax[1]
    );
    for m in &bad {
        println!("missed: {m}");
    }
    assert!(bad.is_empty(), "goals missed: {bad:#?}");
    assert!(pct(cover[0]) >= 95.0 && pct(cover[1]) >= 95.0 && pct(cover[2]) >= 95.0);
    // Measured 2.4e-10 (first, Brown's generic point) and 7.9e-11 (second).
    assert!(
        dmax[0] <= 1e-9 && dmax[1] <= 2.5e-10,
        "directional {dmax:?}"
    );
    // Measured 0.41 (gradients) and 0.35 (Hessians) of numdifftools' evaluations.
    assert!(
        ratio(sums[1][0], nd_g) <= 0.42 && ratio(sums[1][1], nd_h) <= 0.37,
        "Full costs more than measured"
    );
    // `Fast` (the default): at most a quarter.
    assert!(4 * sums[0][0] <= nd_g && 4 * sums[0][1] <= nd_h);
}

/// `Accuracy::Full` next to a barrier: the larger steps of the refinement cross it (`f` is NaN
/// beyond `x₀ = 1.01`); the search ends there and the result stays finite and covered.
/// Bad input changes nothing.
#[test]
fn full_accuracy_at_a_barrier_and_bad_input() {
    // f = 1e4·(x₀⁷ + x₀·x₁) for x₀ ≤ 1.01, NaN beyond: ∇f = 1e4·(7x₀⁶ + x₁, x₀).
    let mut f = |v: &[f64]| {
        if v[0] > 1.01 {
            f64::NAN
        } else {
            1e4 * (v[0].powi(7) + v[0] * v[1])
        }
    };
    let x0 = [1.0f64, 2.0];
    let mut x = x0;
    let (mut g, mut e) = ([0.0; 2], [0.0; 2]);
    let evals = gradient_adaptive_with(&mut f, &mut x, &mut g, &mut e, Accuracy::Full).unwrap();
    assert_eq!(x, x0);
    let exact = [1e4 * 9.0, 1e4];
    for i in 0..2 {
        assert!(
            g[i].is_finite() && (g[i] - exact[i]).abs() <= e[i],
            "{g:?} {e:?}"
        );
    }
    assert!(evals <= 1 + 2 * 2 * (3 + 4 * lossmap::diff::MAX_MOVES));
    let (mut h, mut he) = ([0.0; 4], [0.0; 4]);
    hessian_adaptive_with(&mut f, &mut x, &mut h, &mut he, Accuracy::Full).unwrap();
    let hx = [1e4 * 42.0, 1e4, 1e4, 0.0];
    for i in 0..4 {
        assert!((h[i] - hx[i]).abs() <= he[i], "{h:?} {he:?}");
    }
    let mut pt = [0.0; 2];
    let de = directional_adaptive_with(&mut f, &x0, &[1.0, 0.0], &mut pt, Accuracy::Full).unwrap();
    assert!((de.first - exact[0]).abs() <= de.first_err);
    assert!((de.second - hx[0]).abs() <= de.second_err);
    // Bad input: NaN in x, wrong lengths; nothing changes.
    let (keep_g, keep_e) = ([7.0; 2], [8.0; 2]);
    for (xs, glen) in [([f64::NAN, 1.0], 2), ([1.0, 2.0], 1)] {
        let mut xb = xs;
        let (mut gb, mut eb) = (keep_g, keep_e);
        let r = gradient_adaptive_with(&mut f, &mut xb, &mut gb[..glen], &mut eb, Accuracy::Full);
        assert!(r.is_err());
        assert!(xb.iter().zip(&xs).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!((gb, eb), (keep_g, keep_e));
        let (mut hb, mut hbe) = ([7.0; 4], [8.0; 4]);
        let r = hessian_adaptive_with(
            &mut f,
            &mut xb,
            &mut hb[..2 * glen],
            &mut hbe[..2 * glen],
            Accuracy::Full,
        );
        assert!(r.is_err());
        assert_eq!((hb, hbe), ([7.0; 4], [8.0; 4]));
    }
}
