//! Tour section: global exploration. Every method on 2-D Rastrigin, the six-hump camel and
//! Easom's golf course, 100 seeds each, starts drawn uniformly in the box, 20 000 evaluations;
//! success is f − f* < 1e-6 (each run stops at that target, so the evaluations column is the
//! cost of success). Replica exchange's swap rates show why Easom is hard.

use lossmap::global::{
    Annealer, AnnealingConfig, BasinHopper, Bounds, Budget, Genetic, GeneticConfig, HoppingConfig,
    MultiStart, ProjectedGradient, ReplicaConfig, ReplicaExchange, SearchReport,
};
use lossmap::landscape::Tolerance;
use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
use lossmap::testfn::{Easom, Rastrigin, SixHumpCamel};
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

const SEEDS: u64 = 100;
const EVALS: usize = 20_000;
const TOL: f64 = 1e-6;

/// A landscape: name, objective, box, global minimum value.
struct Land<O> {
    name: &'static str,
    obj: O,
    lo: [f64; 2],
    hi: [f64; 2],
    f_star: f64,
}

/// (successes, mean evaluations of the successes) of `run` over the seeds.
fn rate<O: Objective<f64, 2> + Copy>(
    land: &Land<O>,
    mut run: impl FnMut(
        &mut O,
        &Bounds<'_, f64>,
        Budget<f64>,
        &mut XorShiftRng,
        [f64; 2],
    ) -> Result<(f64, usize), Error>,
) -> (usize, f64) {
    let b = Bounds::new(&land.lo, &land.hi).expect("box");
    let budget = Budget {
        max_evals: EVALS,
        f_target: land.f_star + TOL,
        ..Budget::default()
    };
    let (mut ok, mut evals) = (0usize, 0usize);
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x0 = [0.0; 2];
        b.sample(&mut rng, &mut x0).expect("sample");
        let mut obj = land.obj;
        if let Ok((f, e)) = run(&mut obj, &b, budget, &mut rng, x0) {
            if f - land.f_star < TOL {
                ok += 1;
                evals += e;
            }
        }
    }
    (ok, evals as f64 / ok.max(1) as f64)
}

fn done(r: Result<SearchReport<f64>, Error>) -> Result<(f64, usize), Error> {
    r.map(|r| (r.best_loss, r.evals()))
}

/// One row: every landscape for one method.
fn row<O: Objective<f64, 2> + Copy>(lands: &[Land<O>], cells: &mut Vec<String>, method: Method) {
    for land in lands {
        let (ok, e) = rate(land, |obj, b, budget, rng, mut x| match method {
            Method::Adam => {
                let mut adam = Adam::<f64, 2>::new(AdamConfig {
                    lr: 0.01,
                    ..AdamConfig::default()
                })?;
                let stop = Stop {
                    max_evals: EVALS,
                    max_iter: EVALS,
                    ..Stop::default()
                };
                let r = minimize(obj, &mut x, &mut adam, &stop)?;
                Ok((r.loss, r.value_evals))
            }
            Method::MultiStart => {
                let r = MultiStart::<f64, 2, 8>::new(budget)?.run_uniform(
                    obj,
                    &mut ProjectedGradient::default(),
                    b,
                    rng,
                    &Tolerance::default(),
                )?;
                Ok((r.report.best_loss, r.report.evals()))
            }
            Method::Annealing => done(
                Annealer::<f64, 2>::new(AnnealingConfig {
                    budget,
                    ..AnnealingConfig::default()
                })?
                .run(obj, &mut ProjectedGradient::default(), b, rng, &mut x),
            ),
            Method::Hopping => done(
                BasinHopper::<f64, 2>::new(HoppingConfig {
                    budget,
                    interval: 10,
                    ..HoppingConfig::default()
                })?
                .run(obj, &mut ProjectedGradient::default(), b, rng, &mut x),
            ),
            Method::Genetic => done(
                Genetic::<f64, 2, 32>::new(GeneticConfig {
                    budget,
                    ..GeneticConfig::default()
                })?
                .run(obj, &mut ProjectedGradient::default(), b, rng, &mut x),
            ),
            Method::Replica => done(
                ReplicaExchange::<f64, 2, 4>::new(ReplicaConfig {
                    budget,
                    ..ReplicaConfig::default()
                })?
                .run(obj, &mut ProjectedGradient::default(), b, rng, &mut x),
            ),
        });
        cells.push(format!("{ok:>3}/{SEEDS} {e:>7.0}"));
    }
}

#[derive(Clone, Copy)]
enum Method {
    Adam,
    MultiStart,
    Annealing,
    Hopping,
    Genetic,
    Replica,
}

/// Mean swap rate per pair of replica exchange (R = 4, T = 0.1 … 10) over 20 seeds.
fn swap_rates<O: Objective<f64, 2> + Copy>(land: &Land<O>) -> [f64; 3] {
    let b = Bounds::new(&land.lo, &land.hi).expect("box");
    let mut mean = [0.0; 3];
    for seed in 0..20 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; 2];
        b.sample(&mut rng, &mut x).expect("sample");
        let mut obj = land.obj;
        if let Ok(mut pt) = ReplicaExchange::<f64, 2, 4>::new(ReplicaConfig {
            budget: Budget {
                max_evals: EVALS,
                ..Budget::default()
            },
            ..ReplicaConfig::default()
        }) {
            if pt
                .run(
                    &mut obj,
                    &mut ProjectedGradient::default(),
                    &b,
                    &mut rng,
                    &mut x,
                )
                .is_ok()
            {
                for (i, m) in mean.iter_mut().enumerate() {
                    *m += pt.swap_rate(i).unwrap_or(0.0) / 20.0;
                }
            }
        }
    }
    mean
}

pub fn show() {
    println!(
        "\nGlobal exploration: {SEEDS} seeds per cell, uniform starts in the box, ≤ {EVALS} evaluations, success = f − f* < 1e-6."
    );
    println!("Each cell: successes, mean evaluations of the successful runs (f64; every method polishes with projected gradient).");
    let rastrigin = [Land {
        name: "Rastrigin 2-D",
        obj: Rastrigin,
        lo: [-5.12; 2],
        hi: [5.12; 2],
        f_star: 0.0,
    }];
    let camel = [Land {
        name: "six-hump camel",
        obj: SixHumpCamel,
        lo: [-3.0, -2.0],
        hi: [3.0, 2.0],
        f_star: SixHumpCamel::MIN_VALUE,
    }];
    let easom = [Land {
        name: "Easom",
        obj: Easom,
        lo: [-100.0; 2],
        hi: [100.0; 2],
        f_star: -1.0,
    }];
    println!(
        "{:<34} {:>15} {:>15} {:>15}",
        "method", rastrigin[0].name, camel[0].name, easom[0].name
    );
    let methods = [
        ("Adam alone (lr 0.01)", Method::Adam),
        ("multi-start, K = 8", Method::MultiStart),
        ("simulated annealing", Method::Annealing),
        ("basin hopping (interval 10)", Method::Hopping),
        ("genetic algorithm, P = 32", Method::Genetic),
        ("replica exchange, R = 4", Method::Replica),
    ];
    for (name, m) in methods {
        let mut cells = Vec::new();
        row(&rastrigin, &mut cells, m);
        row(&camel, &mut cells, m);
        row(&easom, &mut cells, m);
        println!(
            "{name:<34} {:>15} {:>15} {:>15}",
            cells[0], cells[1], cells[2]
        );
    }
    let (r, e) = (swap_rates(&rastrigin[0]), swap_rates(&easom[0]));
    println!(
        "Replica-exchange swap rates per pair (T = 0.1, 0.46, 2.2, 10), mean of 20 seeds: Rastrigin [{:.2}, {:.2}, {:.2}], Easom [{:.2}, {:.2}, {:.2}]",
        r[0], r[1], r[2], e[0], e[1], e[2]
    );
    println!("(On Easom's plateau |f| < 1e-8: the swap exponent (1/Tᵢ − 1/Tⱼ)(Eᵢ − Eⱼ) ≈ 0, every swap is accepted and the ladder carries no information about the hole.)");
}
