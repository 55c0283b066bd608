//! The C global methods with each polish of `lossmap_polish_*`: none, projected gradient and
//! projected L-BFGS (its history after the method's own `work`), on the six-hump camel
//! (minimum −1.031628453489877, two global minima) in [−3, 3]×[−2, 2]. Every method reaches the
//! minimum to 1e-8 with either polish, within budget; the L-BFGS polish costs fewer evaluations
//! (multi-start: per polish; the others: to the target, median of 5 seeds).

use lossmap::capi::*;
use lossmap::global::{AnnealingState, HoppingState};
use lossmap::random::SplitMix64;
use std::ffi::c_void;
use std::ptr::null_mut;

const CAMEL_MIN: f64 = -1.031628453489877;
const LO: [f64; 2] = [-3.0, -2.0];
const HI: [f64; 2] = [3.0, 2.0];

unsafe extern "C" fn camel(x: *const f64, n: usize, _: *mut c_void) -> f64 {
    // SAFETY: the library passes n valid values.
    let v = unsafe { std::slice::from_raw_parts(x, n) };
    let (x, y) = (v[0], v[1]);
    (4.0 - 2.1 * x * x + x.powi(4) / 3.0) * x * x + x * y + (-4.0 + 4.0 * y * y) * y * y
}

/// The polish of `kind` (defaults otherwise) and the extra `work` it needs for n = 2.
fn polish(kind: i32) -> (LossmapPolish<f64>, usize) {
    let mut p = lossmap_polish_default_f64();
    p.kind = kind;
    (p, lossmap_polish_len(kind, 2, p.lbfgs.memory))
}

fn report() -> LossmapSearchReport<f64> {
    // SAFETY: plain data.
    unsafe { std::mem::zeroed() }
}

/// One run of `method` with polish `kind` from seed `seed`: (status, report, best point).
fn run(method: &str, kind: i32, seed: u64) -> (i32, LossmapSearchReport<f64>, [f64; 2]) {
    let (p, extra) = polish(kind);
    let mut rng = SplitMix64::new(seed);
    let mut r = report();
    let mut x = [2.5, 1.5];
    let f: lossmap_loss_f64 = Some(camel);
    let target = CAMEL_MIN + 1e-8;
    // SAFETY: every buffer is as long as documented.
    let st = unsafe {
        match method {
            "hopping" => {
                let mut c = lossmap_hopping_config_default_f64();
                c.budget.f_target = target;
                let mut w = vec![0.0; lossmap_hopping_work_len(2) + extra];
                let mut s = std::mem::MaybeUninit::<HoppingState<f64>>::uninit();
                lossmap_hopping_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    s.as_mut_ptr(),
                    &mut rng,
                    x.as_mut_ptr(),
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            "annealing" => {
                let mut c = lossmap_annealing_config_default_f64();
                c.budget.f_target = target;
                let mut w = vec![0.0; lossmap_anneal_work_len(2) + extra];
                let mut s = std::mem::MaybeUninit::<AnnealingState<f64>>::uninit();
                lossmap_anneal_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    s.as_mut_ptr(),
                    &mut rng,
                    x.as_mut_ptr(),
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            "genetic" => {
                let mut c = lossmap_genetic_config_default_f64();
                c.budget.f_target = target;
                let k = 20;
                let (mut pop, mut next) = (vec![0.0; 2 * k], vec![0.0; 2 * k]);
                let (mut fit, mut next_fit) = (vec![0.0; k], vec![0.0; k]);
                let mut w = vec![0.0; lossmap_genetic_work_len(2) + extra];
                assert_eq!(
                    lossmap_uniform_starts_f64(
                        LO.as_ptr(),
                        HI.as_ptr(),
                        2,
                        &mut rng,
                        pop.as_mut_ptr(),
                        k
                    ),
                    0
                );
                lossmap_genetic_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    &mut rng,
                    pop.as_mut_ptr(),
                    k,
                    fit.as_mut_ptr(),
                    next.as_mut_ptr(),
                    next_fit.as_mut_ptr(),
                    x.as_mut_ptr(),
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            "differential evolution" => {
                let mut c = lossmap_differential_evolution_config_default_f64();
                c.budget.f_target = target;
                let k = 30;
                let (mut pop, mut fit) = (vec![0.0; 2 * k], vec![0.0; k]);
                let mut w = vec![0.0; lossmap_differential_evolution_work_len(2) + extra];
                assert_eq!(
                    lossmap_latin_hypercube_f64(
                        LO.as_ptr(),
                        HI.as_ptr(),
                        2,
                        &mut rng,
                        pop.as_mut_ptr(),
                        k
                    ),
                    0
                );
                lossmap_differential_evolution_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    &mut rng,
                    pop.as_mut_ptr(),
                    k,
                    fit.as_mut_ptr(),
                    x.as_mut_ptr(),
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            "dual annealing" => {
                let mut c = lossmap_dual_annealing_config_default_f64();
                c.budget.f_target = target;
                let mut w = vec![0.0; lossmap_dual_annealing_work_len(2) + extra];
                lossmap_dual_annealing_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    &mut rng,
                    x.as_mut_ptr(),
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            "CMA-ES" => {
                let mut c = lossmap_cmaes_config_default_f64();
                // Stop the evolution early and let the polish finish.
                c.budget.f_target = target;
                c.tol_x = 1e-3;
                let mut w = vec![0.0; lossmap_cmaes_work_len(2, 6) + extra];
                lossmap_cmaes_f64(
                    f,
                    null_mut(),
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &c,
                    &p,
                    &mut rng,
                    x.as_mut_ptr(),
                    6,
                    w.as_mut_ptr(),
                    &mut r,
                )
            }
            _ => unreachable!(),
        }
    };
    (st, r, x)
}

#[test]
fn every_method_reaches_the_minimum_with_either_polish() {
    let methods = [
        "hopping",
        "annealing",
        "genetic",
        "differential evolution",
        "dual annealing",
        "CMA-ES",
    ];
    for m in methods {
        let mut med = Vec::new();
        for kind in [LOSSMAP_POLISH_PROJECTED_GRADIENT, LOSSMAP_POLISH_LBFGS] {
            let mut evals = Vec::new();
            for seed in 1..=5 {
                let (st, r, x) = run(m, kind, seed);
                assert_eq!(st, 0, "{m} kind {kind}");
                assert!(
                    r.best_loss <= CAMEL_MIN + 1e-8,
                    "{m} kind {kind} seed {seed}: {r:?}"
                );
                assert_eq!(unsafe { camel(x.as_ptr(), 2, null_mut()) }, r.best_loss);
                assert!(r.value_evals + r.grad_evals <= 20_000);
                evals.push(r.value_evals + r.grad_evals);
            }
            evals.sort_unstable();
            med.push(evals[2]);
        }
        eprintln!(
            "{m}: median evaluations to 1e-8, projected gradient {}, L-BFGS {}",
            med[0], med[1]
        );
    }
}

/// Multi-start is all polish: ten starts, each polished; the L-BFGS polish needs far fewer
/// evaluations (about half, the start evaluations included) for the same best point.
#[test]
fn multistart_polish_cost() {
    let mut cost = Vec::new();
    for kind in [LOSSMAP_POLISH_PROJECTED_GRADIENT, LOSSMAP_POLISH_LBFGS] {
        let (p, extra) = polish(kind);
        let mut rng = SplitMix64::new(3);
        let k = 10;
        let mut starts = vec![0.0; 2 * k];
        // SAFETY: buffers as documented.
        unsafe {
            assert_eq!(
                lossmap_uniform_starts_f64(
                    LO.as_ptr(),
                    HI.as_ptr(),
                    2,
                    &mut rng,
                    starts.as_mut_ptr(),
                    k
                ),
                0
            );
            let b = lossmap_budget_default_f64();
            let (mut losses, mut best) = (vec![0.0; k], [0.0; 2]);
            let mut w = vec![0.0; lossmap_multistart_work_len(2, 0) + extra];
            let mut r = report();
            let st = lossmap_multistart_f64(
                Some(camel),
                null_mut(),
                LO.as_ptr(),
                HI.as_ptr(),
                2,
                &b,
                &p,
                starts.as_mut_ptr(),
                k,
                losses.as_mut_ptr(),
                best.as_mut_ptr(),
                null_mut(),
                std::ptr::null(),
                w.as_mut_ptr(),
                &mut r,
            );
            assert_eq!(st, 0);
            assert!(r.best_loss <= CAMEL_MIN + 1e-8, "{r:?}");
            cost.push((r.value_evals + r.grad_evals) as f64 / k as f64);
        }
    }
    eprintln!(
        "multi-start: evaluations per polish, projected gradient {:.1}, L-BFGS {:.1}",
        cost[0], cost[1]
    );
    assert!(cost[1] < 0.6 * cost[0], "{cost:?}");
}

/// Bad polish parameters are rejected before anything is written, whatever the kind.
#[test]
fn bad_polish_is_rejected() {
    let mut bad = Vec::new();
    let d = lossmap_polish_default_f64();
    bad.push(LossmapPolish { kind: 3, ..d });
    bad.push(LossmapPolish { kind: -1, ..d });
    let mut b = d;
    b.lbfgs.memory = 0;
    bad.push(b);
    let mut b = d;
    b.lbfgs.grad_tol = f64::NAN;
    bad.push(b);
    let mut b = d;
    b.lbfgs.max_iter = 0;
    bad.push(b);
    let mut b = d;
    b.kind = LOSSMAP_POLISH_NONE;
    b.projected_gradient.c1 = 2.0;
    bad.push(b);
    let mut b = d;
    b.lbfgs.config.c1 = 0.95;
    bad.push(b);
    for p in bad {
        let mut rng = SplitMix64::new(1);
        let rng0 = rng;
        let mut x = [0.5, 0.5];
        let mut w = vec![7.0; 200];
        let c = lossmap_dual_annealing_config_default_f64();
        let mut r = report();
        // SAFETY: buffers longer than needed.
        let st = unsafe {
            lossmap_dual_annealing_f64(
                Some(camel),
                null_mut(),
                LO.as_ptr(),
                HI.as_ptr(),
                2,
                &c,
                &p,
                &mut rng,
                x.as_mut_ptr(),
                w.as_mut_ptr(),
                &mut r,
            )
        };
        assert_eq!(st, lossmap::Error::InvalidParameter.code(), "{p:?}");
        assert!(x == [0.5, 0.5] && w.iter().all(|&v| v == 7.0) && rng == rng0);
    }
}
