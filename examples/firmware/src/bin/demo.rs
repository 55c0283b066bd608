//! lossmap on a bare-metal Cortex-M under QEMU: minimizes Rosenbrock with Adam (f32), fits a noisy
//! line with Adam (f32, against the normal equations), solves Rosenbrock with damped Newton and a
//! finite-difference Hessian (f64, ‖∇f‖ < 1e-8 in ≤ 21 iterations, as on the host), checks
//! the Hessian's eigenvalues at the minimum against their closed form, classifies a Himmelblau
//! saddle point by its Hessian (and shows the Cholesky solve of a Newton step refusing it),
//! finds the barrier between two Himmelblau minima with a nudged elastic band (climbing image),
//! searches 2-D Rastrigin globally by simulated annealing and the six-hump camel by a genetic
//! algorithm (f32, seeded), calibrates a sensor's step response `y = a(1 − e^{−bt}) + c` by
//! Levenberg–Marquardt (f32) with the parameters' standard errors, and reports flash use and
//! stack depth.
//!
//! ```text
//! cd examples/firmware
//! cargo run --release --bin demo                               # mps2-an386 (Cortex-M4F)
//! cargo run --release --bin demo --target thumbv6m-none-eabi   # microbit (Cortex-M0, 16 KiB RAM)
//! ```
//!
//! # Output: defmt over semihosting
//!
//! Every line is a `defmt::println!` (no log level, so no `DEFMT_LOG` filter drops it). lossmap's
//! results go out through their `defmt::Format` impls (the library's `defmt` feature): `Report`,
//! `NewtonReport`, `SymEigen`, `CriticalPoint`, `NebReport`, `SearchReport` and an `Error`.
//! defmt-semihosting writes the binary defmt frames (rzCOBS) to semihosting stdout, which QEMU
//! (`-semihosting-config enable=on,target=native`) forwards to its own stdout; the runner
//! `qemu-run.sh` pipes that into `defmt-print -e <elf>`, which decodes it with the ELF's defmt
//! table. Nothing else may write to semihosting stdout (text would corrupt the frames): the
//! panic handler writes plain text to semihosting stderr, a separate host stream.
//!
//! The format strings live in the ELF's `.defmt` table, not in flash, and no float formatting
//! code is linked: the device sends the raw bits and the host formats them.
//!
//! The last line is machine-readable (`tests/firmware.rs` parses it from the decoded log, and
//! checks the values in the lines above it):
//!
//! ```text
//! LOSSMAP-FIRMWARE board=<name> flash=<bytes> text=<bytes> rodata=<bytes> stack_peak=<bytes> fit=<1|0> newton=<1|0> classify=<1|0> reject=<1|0> neb=<1|0> anneal=<1|0> ga=<1|0> calibrate=<1|0> ok=<1|0>
//! ```
//!
//! `fit`, `newton`, `classify`, `reject` (the Cholesky refusal at the saddle), `neb`, `anneal`,
//! `ga` and `calibrate` are the verdicts of those checks; `ok` is 1 only when every check (Adam, fit, Newton,
//! eigenvalues, classification, refusal, NEB, global searches, stack) passed.
//!
//! The QEMU process exits with 0 when every check passed and non-zero otherwise (semihosting
//! `SYS_EXIT` with `ADP_Stopped_ApplicationExit` or `ADP_Stopped_RunTimeErrorUnknown`).
#![no_std]
#![no_main]

use core::fmt::Write as _;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};
use defmt_semihosting as _;
use lossmap::global::{
    Annealer, AnnealingConfig, BasinHopper, Bounds, Budget, Cmaes, DifferentialEvolution,
    DualAnnealing, Genetic, GeneticConfig, Mlsl, MultiStart, PerturbedGd, ProjectedGradient,
    ReplicaExchange, SearchReport,
};
use lossmap::landscape::{classify_at, neb, CriticalPoint, Curvature, Neb, NebConfig, Tolerance};
use lossmap::linalg::{cholesky_solve_n, SymEigen};
use lossmap::nlls::{FitStatistics, LevenbergMarquardt, LmConfig, LsqReport};
use lossmap::objective::WithGradient;
use lossmap::optim::{
    minimize, newton, Adam, AdamConfig, NewtonConfig, NewtonReport, Report, Stop,
};
use lossmap::random::SplitMix64;
use lossmap::testfn::{Himmelblau, Rastrigin, Rosenbrock, SixHumpCamel};
use lossmap::Objective as _;
use lossmap::Real as _;

/// Board name from `build.rs` (chosen by the compilation target).
const BOARD: &str = env!("LOSSMAP_BOARD");

/// Word written over the free stack before the work; any other value was touched since.
const PAINT: u32 = 0xA5C3_5A3C;
/// Bytes left unpainted below the stack pointer of [`paint_stack`], for its own spills.
const PAINT_MARGIN: usize = 64;

/// Adam settings that bring f32 Rosenbrock from (−1.2, 1) to ‖∇f‖ ≤ 1e-3 (≈ 2 900 steps,
/// endpoint ≈ (0.9989, 0.9979); same on the host, the FPU and soft-float: IEEE-754 arithmetic).
const LR: f32 = 0.02;
const GRAD_TOL: f32 = 1e-3;
const MAX_ITER: usize = 10_000;
/// Allowed |xᵢ − 1| at the end point. ‖∇f‖ ≤ 1e-3 bounds the distance only through the
/// smallest Hessian eigenvalue (≈ 0.4): ≈ 1e-3 / 0.4 = 2.5e-3 along the valley; 1e-2 leaves room.
const X_TOL: f32 = 1e-2;
/// Relative tolerance on each eigenvalue. Weyl's bound for a backward-stable solver is
/// |δλ| ≲ c·ε·‖H‖ ≈ c·1.2e-7·1002, i.e. c·3e-4 relative to the small eigenvalue 0.4 (κ ≈ 2 500);
/// Jacobi does better (observed 1.7e-5). 1e-4 ≈ 840 ε catches any real error.
const EIG_RTOL: f32 = 1e-4;

/// The Himmelblau saddle classified: `SADDLES[2]` ≈ (3.385154, 0.073852), the one the NEB below
/// climbs to. Rounded to f32 at compile time.
const SADDLE_INDEX: usize = 2;
const SADDLE_F32: [f32; 2] = [
    Himmelblau::SADDLES[SADDLE_INDEX][0] as f32,
    Himmelblau::SADDLES[SADDLE_INDEX][1] as f32,
];
// The classification uses `Tolerance::<f32>::default()`: `grad` = ε^{1/3} ≈ 4.9e-3 and
// `zero_rel` = 100·√ε ≈ 3.5e-2. Rounding the saddle to f32 moves it by ≤ ½ ulp(3.39) ≈ 1.2e-7,
// and the Hessian there has |λ| ≤ 98, so ‖∇f‖ stays ≲ 1e-5 (observed 5.3e-6): three orders below
// `grad`. The eigenvalues (−14.1, 97.5) have a ratio of 0.145, four times `zero_rel`.

/// NEB endpoints: the neighbouring Himmelblau minima (3, 2) and (3.584428, −1.848127).
const NEB_A: [f32; 2] = [
    Himmelblau::MINIMA[0][0] as f32,
    Himmelblau::MINIMA[0][1] as f32,
];
const NEB_B: [f32; 2] = [
    Himmelblau::MINIMA[3][0] as f32,
    Himmelblau::MINIMA[3][1] as f32,
];
/// Images of the band, endpoints included.
const NEB_IMAGES: usize = 9;
/// The saddle between them and its value (Himmelblau's `SADDLES[2]`, `SADDLE_VALUES[2]`, to
/// seven digits), independent of the library's constants.
const NEB_SADDLE: [f32; 2] = [3.385154, 0.073852];
const NEB_BARRIER: f32 = 13.31193;
/// Allowed |xᵢ − saddleᵢ| of the climbing image. With the default f32 `force_tol` (√ε ≈ 3.5e-4)
/// and the smallest |λ| ≈ 14 there, a converged climbing image is within ≈ 3.5e-4 / 14 ≈ 2.5e-5
/// of the saddle (observed 5e-6).
const NEB_X_TOL: f32 = 1e-3;
/// Allowed relative error of the barrier: f is stationary at the saddle, so a position error
/// ≤ 2.5e-5 costs ≤ ½·98·(2.5e-5)² ≈ 3e-8 (2e-9 relative); f32 rounding of f adds ≈ 1e-7 and the
/// seven-digit reference ≈ 3e-7 (the observed 2.9e-7).
const NEB_BARRIER_RTOL: f32 = 1e-3;

/// The line fit: `FIT_M` points `y = 2t − 0.5 + noise`, t evenly in [−1, 1], noise ±0.1 from a
/// fixed LCG; Adam (lr 0.05) on the mean squared error until ‖∇f‖ ≤ 1e-4.
const FIT_M: usize = 16;
const FIT_LR: f32 = 0.05;
const FIT_GRAD_TOL: f32 = 1e-4;
/// Allowed |a − a*|, |b − b*| against the normal equations (solved in f64 here). The MSE's
/// Hessian has eigenvalues ≥ 2·min(var t, 1) ≈ 0.8, so ‖∇f‖ ≤ 1e-4 puts the end point within
/// ≈ 1.3e-4 of the optimum; f32 rounding of the loss adds ≈ 1e-6.
const FIT_TOL: f32 = 5e-4;
/// Newton's target on Rosenbrock from (−1.2, 1) ‖∇f‖ < 1e-8 in ≤ 21 iterations.
const NEWTON_GRAD_TOL: f64 = 1e-8;
const NEWTON_MAX_ITERS: usize = 21;

/// Global searches: evaluation budget, success tolerance on f − f*, population of the GA. Each
/// search stops at the target f* + tol/2, so its evaluation count is the cost of success.
const GLOBAL_EVALS: usize = 20_000;
const GLOBAL_TOL: f32 = 1e-5;
const GA_POP: usize = 16;
/// The six-hump camel's global minimum value, to 16 digits (Hessian-refined; see testfn).
const CAMEL_MIN: f32 = -1.031_628_4;

/// The calibration: `CAL_M` samples `t = 0, 0.5, …, 7.5` of `y = 2.5(1 − e^{−0.8t}) + 0.3` with
/// noise ±0.02 from a fixed LCG, fitted from (1, 1, 0) by Levenberg–Marquardt with its defaults.
const CAL_M: usize = 16;
/// scipy's `curve_fit` on the same f32 data, in f64 (`tests/reference/firmware_calibration.py`):
/// the parameters and their standard errors.
const CAL_PARAMS: [f32; 3] = [2.502_813_6, 0.802_474_9, 0.298_920_94];
const CAL_STDERR: [f32; 3] = [0.013_168_243, 0.009_322_552, 0.012_979_858];
/// Allowed |p − p_ref| in standard errors, and relative error of each standard error. f32
/// rounding of the residuals (≈ 3e-7 on |y| ≤ 3) moves the fit by ≈ 3e-7·κ(J)/σ ≈ 1e-4 standard
/// errors (κ(J) ≈ 10, σ ≈ 0.012); the stopping tolerance ftol = ε adds the same order. 0.05
/// standard errors and 2 % leave two orders of margin and still catch a wrong fit or covariance.
const CAL_PTOL: f32 = 0.05;
const CAL_SE_RTOL: f32 = 0.02;

extern "C" {
    // cortex-m-rt's link.x: section bounds and the memory between `.uninit` and the stack.
    static __stext: u32;
    static __etext: u32;
    static __srodata: u32;
    static __erodata: u32;
    static __sheap: u32;
    static _stack_start: u32;
}

/// The address a linker symbol stands for (its "contents" are never read).
macro_rules! sym_addr {
    ($sym:ident) => {
        (&raw const $sym) as usize
    };
}

/// Fills `[__sheap, SP − PAINT_MARGIN)` with [`PAINT`]; returns the painted range.
///
/// `inline(never)` so that its frame sits right below the caller's and the bound it reads
/// from SP covers everything deeper that the caller will use afterwards.
#[inline(never)]
fn paint_stack() -> (usize, usize) {
    let sp = cortex_m::register::msp::read() as usize;
    let start = sym_addr!(__sheap);
    let end = (sp - PAINT_MARGIN) & !3;
    let mut p = start;
    while p < end {
        // SAFETY: [__sheap, SP − margin) is RAM that no live object occupies: cortex-m-rt puts
        // nothing above `.uninit` but the stack, which grows down from `_stack_start` and is
        // only in use above SP.
        unsafe { core::ptr::write_volatile(p as *mut u32, PAINT) };
        p += 4;
    }
    (start, end)
}

/// Bytes of stack used since [`paint_stack`]: from the stack top down to the lowest word of
/// the painted region that no longer holds the pattern. `None` when even the lowest word was
/// overwritten (the stack may have run past the painted region).
fn stack_peak(painted: (usize, usize)) -> Option<usize> {
    let (start, end) = painted;
    let top = sym_addr!(_stack_start);
    let mut p = start;
    while p < end {
        // SAFETY: the range was painted by `paint_stack`; reading any RAM word is sound.
        if unsafe { core::ptr::read_volatile(p as *const u32) } != PAINT {
            break;
        }
        p += 4;
    }
    if p == start {
        None
    } else {
        Some(top - p)
    }
}

/// `.text` and `.rodata` sizes from the linker symbols.
fn image_sizes() -> (usize, usize) {
    let text = sym_addr!(__etext) - sym_addr!(__stext);
    let rodata = sym_addr!(__erodata) - sym_addr!(__srodata);
    (text, rodata)
}

/// The Rosenbrock run: end point and report, or lossmap's error.
#[inline(never)]
fn run_minimize() -> ([f32; 2], Result<Report<f32>, lossmap::Error>) {
    let mut x = [-1.2f32, 1.0];
    let config = AdamConfig {
        lr: LR,
        ..AdamConfig::default()
    };
    let stop = Stop {
        grad_tol: GRAD_TOL,
        max_iter: MAX_ITER,
        ..Stop::default()
    };
    let report = Adam::<f32, 2>::new(config)
        .and_then(|mut adam| minimize(&mut Rosenbrock, &mut x, &mut adam, &stop));
    (x, report)
}

/// The fit data (f32) and its least-squares line from the 2×2 normal equations (f64).
fn fit_data() -> ([f32; FIT_M], [f32; FIT_M], [f64; 2]) {
    let (mut t, mut y) = ([0.0f32; FIT_M], [0.0f32; FIT_M]);
    let mut s: u32 = 2024;
    let (mut st, mut sy, mut stt, mut sty) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (i, (ti, yi)) in t.iter_mut().zip(y.iter_mut()).enumerate() {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = 0.2 * ((s >> 8) as f32 / (1u32 << 24) as f32 - 0.5);
        *ti = -1.0 + 2.0 * i as f32 / (FIT_M - 1) as f32;
        *yi = 2.0 * *ti - 0.5 + noise;
        let (a, b) = (f64::from(*ti), f64::from(*yi));
        st += a;
        sy += b;
        stt += a * a;
        sty += a * b;
    }
    let m = FIT_M as f64;
    let a = (m * sty - st * sy) / (m * stt - st * st);
    (t, y, [a, (sy - a * st) / m])
}

/// Adam on the mean squared error of the line fit: end point, report, least-squares line.
#[inline(never)]
fn run_fit() -> ([f32; 2], Result<Report<f32>, lossmap::Error>, [f64; 2]) {
    let (t, y, ls) = fit_data();
    let mut mse = |p: &[f32; 2]| {
        t.iter().zip(y.iter()).fold(0.0f32, |s, (&ti, &yi)| {
            let r = p[0] * ti + p[1] - yi;
            s + r * r
        }) / FIT_M as f32
    };
    let mut x = [0.0f32; 2];
    let config = AdamConfig {
        lr: FIT_LR,
        ..AdamConfig::default()
    };
    let stop = Stop {
        grad_tol: FIT_GRAD_TOL,
        max_iter: MAX_ITER,
        ..Stop::default()
    };
    let report = Adam::<f32, 2>::new(config)
        .and_then(|mut adam| minimize(&mut mse, &mut x, &mut adam, &stop));
    (x, report, ls)
}

/// The calibration samples (the demo's LCG, seed 7; `tests/reference/firmware_calibration.py`
/// computes the same f32 values).
fn calibration_data() -> ([f32; CAL_M], [f32; CAL_M]) {
    let (mut t, mut y) = ([0.0f32; CAL_M], [0.0f32; CAL_M]);
    let mut s: u32 = 7;
    for (i, (ti, yi)) in t.iter_mut().zip(y.iter_mut()).enumerate() {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = 0.04 * ((s >> 8) as f32 / (1u32 << 24) as f32 - 0.5);
        *ti = 0.5 * i as f32;
        *yi = 2.5 * (1.0 - (-0.8 * *ti).exp()) + 0.3 + noise;
    }
    (t, y)
}

/// The calibration's parameters, its run and its fit statistics.
type Calibration = ([f32; 3], LsqReport<f32>, FitStatistics<f32, 3>);

/// Levenberg–Marquardt in f32 on the step response, then the fit statistics.
#[inline(never)]
fn run_calibrate() -> Result<Calibration, lossmap::Error> {
    let (t, y) = calibration_data();
    let mut res = |p: &[f32; 3], r: &mut [f32; CAL_M]| {
        for ((ri, &ti), &yi) in r.iter_mut().zip(t.iter()).zip(y.iter()) {
            *ri = p[0] * (1.0 - (-p[1] * ti).exp()) + p[2] - yi;
        }
    };
    let mut lm = LevenbergMarquardt::<f32, CAL_M, 3>::new(LmConfig::default());
    let mut p = [1.0f32, 1.0, 0.0];
    let report = lm.fit(&mut res, &mut p)?;
    let (mut cov, mut corr) = ([[0.0f32; 3]; 3], [[0.0f32; 3]; 3]);
    let stats = lm.statistics(&mut res, &p, &mut cov, &mut corr)?;
    Ok((p, report, stats))
}

/// Damped Newton in f64 on Rosenbrock: analytic gradient, finite-difference Hessian.
#[inline(never)]
fn run_newton() -> ([f64; 2], Result<NewtonReport<f64>, lossmap::Error>) {
    let mut obj = WithGradient::new(
        |x: &[f64; 2]| Rosenbrock.value(x),
        |x: &[f64; 2], g: &mut [f64; 2]| {
            let _ = Rosenbrock.gradient(x, g);
        },
    );
    let mut x = [-1.2f64, 1.0];
    let stop = Stop {
        grad_tol: NEWTON_GRAD_TOL,
        max_iter: 100,
        ..Stop::default()
    };
    let report = newton(&mut obj, &mut x, &NewtonConfig::default(), &stop);
    (x, report)
}

/// Simulated annealing on 2-D Rastrigin (box ±5.12, global minimum 0 at the origin) from
/// (4, −3), with projected-gradient polish: the best point and the report.
#[inline(never)]
fn run_anneal() -> ([f32; 2], Result<SearchReport<f32>, lossmap::Error>) {
    let (lo, hi) = ([-5.12f32; 2], [5.12f32; 2]);
    let mut x = [4.0f32, -3.0];
    let config = AnnealingConfig {
        budget: Budget {
            max_evals: GLOBAL_EVALS,
            f_target: GLOBAL_TOL / 2.0,
            ..Budget::default()
        },
        ..AnnealingConfig::default()
    };
    let mut rng = SplitMix64::new(2024);
    let report = Bounds::new(&lo, &hi).and_then(|b| {
        Annealer::<f32, 2>::new(config)?.run(
            &mut Rastrigin,
            &mut ProjectedGradient::default(),
            &b,
            &mut rng,
            &mut x,
        )
    });
    (x, report)
}

/// A genetic algorithm (population 16) on the six-hump camel (x ∈ [−3, 3], y ∈ [−2, 2]).
#[inline(never)]
fn run_ga() -> ([f32; 2], Result<SearchReport<f32>, lossmap::Error>) {
    let (lo, hi) = ([-3.0f32, -2.0], [3.0f32, 2.0]);
    let mut x = [2.5f32, 1.5];
    let config = GeneticConfig {
        budget: Budget {
            max_evals: GLOBAL_EVALS,
            f_target: CAMEL_MIN + GLOBAL_TOL / 2.0,
            ..Budget::default()
        },
        ..GeneticConfig::default()
    };
    let mut rng = SplitMix64::new(7);
    let report = Bounds::new(&lo, &hi).and_then(|b| {
        Genetic::<f32, 2, GA_POP>::new(config)?.run(
            &mut SixHumpCamel,
            &mut ProjectedGradient::default(),
            &b,
            &mut rng,
            &mut x,
        )
    });
    (x, report)
}

/// Logs one global search and returns its verdict: best value within `GLOBAL_TOL` of `f_star`.
fn global_line(
    what: &str,
    x: &[f32; 2],
    report: &Result<SearchReport<f32>, lossmap::Error>,
    f_star: f32,
) -> bool {
    match report {
        Ok(r) => {
            let good = (r.best_loss - f_star).abs() <= GLOBAL_TOL && r.evals() <= GLOBAL_EVALS;
            defmt::println!(
                "{=str} f32: best=({=f32}, {=f32}) f*={=f32} {} [{=str}]",
                what,
                x[0],
                x[1],
                f_star,
                r,
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "{=str} f32: error {} (code {=i32}) [FAIL]",
                what,
                e,
                e.code()
            );
            false
        }
    }
}

/// The tag that ends every result line.
fn verdict(good: bool) -> &'static str {
    if good {
        "ok"
    } else {
        "FAIL"
    }
}

/// The eigen-decomposition of the Hessian at the minimum.
#[inline(never)]
fn run_eigen() -> Result<SymEigen<f32, 2>, lossmap::Error> {
    SymEigen::<f32, 2>::new(&Rosenbrock::hessian(&[1.0f32, 1.0]))
}

/// The classification of the f32-rounded saddle, and its gradient norm.
#[inline(never)]
fn run_classify() -> Result<((CriticalPoint, Curvature<f32, 2>), f32), lossmap::Error> {
    let verdict = classify_at(&mut Himmelblau, &SADDLE_F32, &Tolerance::default())?;
    let mut g = [0.0f32; 2];
    lossmap::Objective::gradient(&mut Himmelblau, &SADDLE_F32, &mut g)?;
    Ok((verdict, lossmap::linalg::norm2(&g)))
}

/// The NEB between the two minima, and the classification of its climbing image.
#[inline(never)]
fn run_neb() -> Result<(Neb<f32, 2, NEB_IMAGES>, CriticalPoint), lossmap::Error> {
    let band =
        neb::<f32, _, 2, NEB_IMAGES>(&mut Himmelblau, &NEB_A, &NEB_B, &NebConfig::default())?;
    let (kind, _) = band.classify(&mut Himmelblau, &Tolerance::default())?;
    Ok((band, kind))
}

/// A pure Newton step `H·δ = −∇f` by Cholesky at the f32-rounded Himmelblau saddle. The Hessian
/// there is indefinite (eigenvalues −14.1 and 97.5), so the solve must fail with
/// [`lossmap::Error::NotPositiveDefinite`]: the case `newton` shifts the Hessian for.
#[inline(never)]
fn run_saddle_step() -> Result<[f32; 2], lossmap::Error> {
    let h = Curvature::at(&mut Himmelblau, &SADDLE_F32)?.hessian;
    let mut g = [0.0f32; 2];
    lossmap::Objective::gradient(&mut Himmelblau, &SADDLE_F32, &mut g)?;
    cholesky_solve_n(&h, &g.map(|v| -v))
}

/// λ of [[802, −400], [−400, 200]]: 501 ∓ √(301² + 400²), from trace 1002 and determinant
/// 802·200 − 400² = 400, in f64 and then rounded.
fn hessian_eigenvalues_closed_form() -> [f32; 2] {
    let r = libm_sqrt(301.0 * 301.0 + 400.0 * 400.0);
    [(501.0 - r) as f32, (501.0 + r) as f32]
}

/// √ in f64 via lossmap's `Real` (libm), so the firmware needs no extra dependency.
fn libm_sqrt(v: f64) -> f64 {
    <f64 as lossmap::Real>::sqrt(v)
}

fn rel_err(got: f32, want: f32) -> f32 {
    ((got - want) / want).abs()
}

#[entry]
fn main() -> ! {
    let painted = paint_stack();

    let (x, report) = run_minimize();
    let (fit_x, fit, ls) = run_fit();
    let (newton_x, newton_report) = run_newton();
    let eigen = run_eigen();
    let classified = run_classify();
    let saddle_step = run_saddle_step();
    let band = run_neb();
    let (anneal_x, anneal) = run_anneal();
    let (ga_x, ga) = run_ga();
    let calibration = run_calibrate();

    let peak = stack_peak(painted);
    let (text, rodata) = image_sizes();

    let mut ok = true;

    defmt::println!("lossmap firmware demo on {=str}", BOARD);
    match &report {
        Ok(r) => {
            let close = (x[0] - 1.0).abs() <= X_TOL && (x[1] - 1.0).abs() <= X_TOL;
            ok &= close;
            defmt::println!(
                "rosenbrock f32 adam(lr={=f32}): x=({=f32}, {=f32}) {} [{=str}]",
                LR,
                x[0],
                x[1],
                r,
                verdict(close)
            );
        }
        Err(e) => {
            ok = false;
            defmt::println!(
                "rosenbrock f32 adam: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
        }
    }
    let fit_ok = match &fit {
        Ok(r) => {
            let err = [
                (f64::from(fit_x[0]) - ls[0]).abs() as f32,
                (f64::from(fit_x[1]) - ls[1]).abs() as f32,
            ];
            let good = err[0] <= FIT_TOL && err[1] <= FIT_TOL;
            defmt::println!(
                "line fit f32 adam(lr={=f32}), {=usize} points: a={=f32} b={=f32} least_squares=({=f64}, {=f64}) off=({=f32}, {=f32}) {} [{=str}]",
                FIT_LR,
                FIT_M,
                fit_x[0],
                fit_x[1],
                ls[0],
                ls[1],
                err[0],
                err[1],
                r,
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "line fit f32 adam: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
            false
        }
    };
    let newton_ok = match &newton_report {
        Ok(r) => {
            let good = r.grad_norm < NEWTON_GRAD_TOL
                && r.iterations <= NEWTON_MAX_ITERS
                && (newton_x[0] - 1.0).abs() < 1e-8
                && (newton_x[1] - 1.0).abs() < 1e-8;
            defmt::println!(
                "rosenbrock f64 newton (FD Hessian): x=({=f64}, {=f64}) {} [{=str}]",
                newton_x[0],
                newton_x[1],
                r,
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "rosenbrock f64 newton: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
            false
        }
    };
    ok &= fit_ok && newton_ok;
    match &eigen {
        Ok(e) => {
            let want = hessian_eigenvalues_closed_form();
            let errs = [rel_err(e.values[0], want[0]), rel_err(e.values[1], want[1])];
            let close = errs[0] <= EIG_RTOL && errs[1] <= EIG_RTOL;
            ok &= close;
            defmt::println!(
                "eigen(H(1,1)) f32: {} closed_form=({=f32}, {=f32}) rel_err=({=f32}, {=f32}) [{=str}]",
                e,
                want[0],
                want[1],
                errs[0],
                errs[1],
                verdict(close)
            );
        }
        Err(e) => {
            ok = false;
            defmt::println!(
                "eigen(H(1,1)) f32: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
        }
    }
    let classify_ok = match &classified {
        Ok(((kind, c), gnorm)) => {
            let good = *kind == CriticalPoint::Saddle { index: 1 };
            defmt::println!(
                "classify himmelblau saddle[{=usize}] f32 ({=f32}, {=f32}): {} |g|={=f32} eigenvalues=({=f32}, {=f32}) [{=str}]",
                SADDLE_INDEX,
                SADDLE_F32[0],
                SADDLE_F32[1],
                kind,
                gnorm,
                c.eigen.values[0],
                c.eigen.values[1],
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "classify himmelblau saddle f32: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
            false
        }
    };
    // The one call that must fail: lossmap's error, logged through its `defmt::Format`.
    let reject_ok = match &saddle_step {
        Err(e) => {
            let good = *e == lossmap::Error::NotPositiveDefinite;
            defmt::println!(
                "cholesky newton step at the saddle f32: error {} (code {=i32}) [{=str}]",
                e,
                e.code(),
                verdict(good)
            );
            good
        }
        Ok(d) => {
            defmt::println!(
                "cholesky newton step at the saddle f32: step=({=f32}, {=f32}), expected NotPositiveDefinite [FAIL]",
                d[0],
                d[1]
            );
            false
        }
    };
    let neb_ok = match &band {
        Ok((b, kind)) => {
            let r = &b.report;
            let dx = [
                (b.saddle[0] - NEB_SADDLE[0]).abs(),
                (b.saddle[1] - NEB_SADDLE[1]).abs(),
            ];
            let barrier_err = rel_err(r.barrier_from_a, NEB_BARRIER);
            let good = r.converged
                && dx[0] <= NEB_X_TOL
                && dx[1] <= NEB_X_TOL
                && barrier_err <= NEB_BARRIER_RTOL
                && *kind == CriticalPoint::Saddle { index: 1 };
            defmt::println!(
                "neb himmelblau f32 ({=f32}, {=f32})-({=f32}, {=f32}), {=usize} images: saddle=({=f32}, {=f32}) off=({=f32}, {=f32}) barrier_rel_err={=f32} climbing_image={} {} [{=str}]",
                NEB_A[0],
                NEB_A[1],
                NEB_B[0],
                NEB_B[1],
                NEB_IMAGES,
                b.saddle[0],
                b.saddle[1],
                dx[0],
                dx[1],
                barrier_err,
                kind,
                r,
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "neb himmelblau f32: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
            false
        }
    };
    ok &= classify_ok && reject_ok && neb_ok;
    let anneal_ok = global_line("annealing rastrigin", &anneal_x, &anneal, 0.0);
    let ga_ok = global_line("genetic (P=16) six-hump camel", &ga_x, &ga, CAMEL_MIN);
    ok &= anneal_ok && ga_ok;
    let calibrate_ok = match &calibration {
        Ok((p, r, st)) => {
            let good = r.reason.converged()
                && st.summary.rank == 3
                && (0..3).all(|i| {
                    (p[i] - CAL_PARAMS[i]).abs() <= CAL_PTOL * CAL_STDERR[i]
                        && (st.stderr[i] - CAL_STDERR[i]).abs() <= CAL_SE_RTOL * CAL_STDERR[i]
                });
            defmt::println!(
                "calibration f32 levenberg-marquardt, {=usize} samples: params=({=f32}, {=f32}, {=f32}) stderr=({=f32}, {=f32}, {=f32}) condition={=f32} {} [{=str}]",
                CAL_M,
                p[0],
                p[1],
                p[2],
                st.stderr[0],
                st.stderr[1],
                st.stderr[2],
                st.summary.condition,
                r,
                verdict(good)
            );
            good
        }
        Err(e) => {
            defmt::println!(
                "calibration f32 levenberg-marquardt: error {} (code {=i32}) [FAIL]",
                e,
                e.code()
            );
            false
        }
    };
    ok &= calibrate_ok;
    defmt::println!(
        "state bytes, N = 8, f32: annealer {=usize} hopper {=usize} perturbed-gd {=usize} multistart(K=8) {=usize} ga(P=16) {=usize} ga(P=32) {=usize} replicas(R=4) {=usize} replicas(R=8) {=usize} de(P=16) {=usize} dual-annealing {=usize} cma-es(L=10) {=usize} mlsl(K=32) {=usize}",
        core::mem::size_of::<Annealer<f32, 8>>(),
        core::mem::size_of::<BasinHopper<f32, 8>>(),
        core::mem::size_of::<PerturbedGd<f32, 8>>(),
        core::mem::size_of::<MultiStart<f32, 8, 8>>(),
        core::mem::size_of::<Genetic<f32, 8, 16>>(),
        core::mem::size_of::<Genetic<f32, 8, 32>>(),
        core::mem::size_of::<ReplicaExchange<f32, 8, 4>>(),
        core::mem::size_of::<ReplicaExchange<f32, 8, 8>>(),
        core::mem::size_of::<DifferentialEvolution<f32, 8, 16>>(),
        core::mem::size_of::<DualAnnealing<f32, 8>>(),
        core::mem::size_of::<Cmaes<f32, 8, 10>>(),
        core::mem::size_of::<Mlsl<f32, 8, 32>>()
    );
    let painted_bytes = painted.1 - painted.0;
    let stack = match peak {
        Some(p) => {
            defmt::println!(
                "stack: peak {=usize} bytes (painted {=usize} bytes below {=usize:#010x})",
                p,
                painted_bytes,
                sym_addr!(_stack_start)
            );
            p
        }
        None => {
            ok = false;
            defmt::println!(
                "stack: the whole painted region ({=usize} bytes) was used [FAIL]",
                painted_bytes
            );
            0
        }
    };
    defmt::println!(
        "image: .text {=usize} + .rodata {=usize} = {=usize} bytes of flash",
        text,
        rodata,
        text + rodata
    );
    defmt::println!(
        "LOSSMAP-FIRMWARE board={=str} flash={=usize} text={=usize} rodata={=usize} stack_peak={=usize} fit={=u8} newton={=u8} classify={=u8} reject={=u8} neb={=u8} anneal={=u8} ga={=u8} calibrate={=u8} ok={=u8}",
        BOARD,
        text + rodata,
        text,
        rodata,
        stack,
        u8::from(fit_ok),
        u8::from(newton_ok),
        u8::from(classify_ok),
        u8::from(reject_ok),
        u8::from(neb_ok),
        u8::from(anneal_ok),
        u8::from(ga_ok),
        u8::from(calibrate_ok),
        u8::from(ok)
    );

    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // `exit` returns only if no debugger/emulator handled the semihosting call.
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    // Plain text on the host's stderr, not defmt: the panic may come from inside the defmt
    // logger (defmt-semihosting panics when re-entered), and stderr is a stream of its own, so
    // the text cannot corrupt the frames on stdout.
    if let Ok(mut err) = hio::hstderr() {
        let _ = writeln!(err, "lossmap firmware demo: {info}");
        let _ = writeln!(
            err,
            "LOSSMAP-FIRMWARE board={BOARD} flash=0 text=0 rodata=0 stack_peak=0 fit=0 newton=0 classify=0 reject=0 neb=0 anneal=0 ga=0 calibrate=0 ok=0"
        );
    }
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
