//! Replica exchange (Swendsen & Wang 1986; Earl & Deem 2005) on test landscapes with known
//! global minima (Rastrigin: 0; six-hump camel: −1.031628453489877; Styblinski–Tang:
//! −39.16616570377142·n), and Easom's golf course (−1 at (π, π), |f| < 1e-8 on the plateau):
//! every method's success rate there within 20 000 evaluations, and the swap rates that show
//! why it is hard.

mod common;

use lossmap::global::{
    Annealer, AnnealingConfig, BasinHopper, Bounds, Budget, Genetic, GeneticConfig, HoppingConfig,
    ProjectedGradient, ReplicaConfig, ReplicaExchange, SearchStop,
};
use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
use lossmap::testfn::{Easom, Rastrigin, SixHumpCamel, StyblinskiTang};
use lossmap::Objective;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

const SEEDS: u64 = 100;
const ST_MIN_PER_COORD: f64 = -39.16616570377142;

/// Replica exchange with `R` replicas from uniform starts for seeds `0..SEEDS`, stopping at
/// `f_star + 1e-6`: (successes, mean evaluations of the successful runs, mean swap rate per
/// pair).
fn rate<O: Objective<f64, N> + Copy, const N: usize, const R: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    f_star: f64,
    cfg: ReplicaConfig<f64>,
) -> (usize, f64, Vec<f64>) {
    let tol = 1e-6;
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = ReplicaConfig {
        budget: Budget {
            f_target: f_star + tol,
            ..cfg.budget
        },
        ..cfg
    };
    let (mut ok, mut evals) = (0, 0usize);
    let mut rates = vec![0.0; R - 1];
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let mut pt = ReplicaExchange::<f64, N, R>::new(cfg).unwrap();
        let r = pt
            .run(
                &mut o,
                &mut ProjectedGradient::default(),
                &b,
                &mut rng,
                &mut x,
            )
            .unwrap();
        assert!(r.evals() <= cfg.budget.max_evals, "{r:?}");
        assert_eq!(o.value(&x), r.best_loss);
        assert!(pt.replicas.iter().all(|p| b.contains(p)));
        // Replica energies are the losses of their configurations, never below the best.
        for (p, &e) in pt.replicas.iter().zip(&pt.energies) {
            assert_eq!(o.value(p), e);
            assert!(e >= r.best_loss);
        }
        for (i, m) in rates.iter_mut().enumerate() {
            *m += pt.swap_rate(i).unwrap_or(0.0) / SEEDS as f64;
        }
        if r.best_loss - f_star < tol {
            assert_eq!(r.reason, SearchStop::Target);
            ok += 1;
            evals += r.evals();
        }
    }
    (ok, evals as f64 / ok.max(1) as f64, rates)
}

fn cfg(max_evals: usize) -> ReplicaConfig<f64> {
    ReplicaConfig {
        budget: Budget {
            max_evals,
            ..Budget::default()
        },
        ..ReplicaConfig::default()
    }
}

fn fmt_rates(r: &[f64]) -> String {
    r.iter()
        .map(|v| format!("{v:.2}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn reaches_the_global_minimum_of_2d_landscapes_in_95_percent_of_seeds() {
    let c = cfg(20_000);
    let (r, e1, s1) = rate::<_, 2, 4>(Rastrigin, [-5.12; 2], [5.12; 2], 0.0, c);
    let (s, e2, s2) = rate::<_, 2, 4>(
        SixHumpCamel,
        [-3.0, -2.0],
        [3.0, 2.0],
        -1.031628453489877,
        c,
    );
    let (t, e3, s3) = rate::<_, 2, 4>(
        StyblinskiTang,
        [-5.0; 2],
        [5.0; 2],
        2.0 * ST_MIN_PER_COORD,
        c,
    );
    let line = format!(
        "LOSSMAP-GLOBAL method=replica-exchange R=4 T=0.1..10 dim=2 seeds={SEEDS} \
         max_evals=20000 tol=1e-6 rastrigin={r}/{SEEDS} camel={s}/{SEEDS} \
         styblinski-tang={t}/{SEEDS} mean_evals_to_success={e1:.0}/{e2:.0}/{e3:.0} \
         swap_rates=[{}]/[{}]/[{}]",
        fmt_rates(&s1),
        fmt_rates(&s2),
        fmt_rates(&s3)
    );
    println!("{line}");
    common::write_report("global-tempering-2d.txt", &line);
    assert!(r >= 95 && s >= 95 && t >= 95, "{line}");
}

/// Easom: every method within 20 000 evaluations, reported; replica exchange's swap rates.
#[test]
fn easom_golf_course() {
    let lo = [-100.0; 2];
    let hi = [100.0; 2];
    let b = Bounds::new(&lo, &hi).unwrap();
    let budget = Budget {
        max_evals: 20_000,
        f_target: -1.0 + 1e-6,
        ..Budget::default()
    };
    let hit = |f: f64| f < -1.0 + 1e-6;
    let (mut adam_ok, mut sa_ok, mut bh_ok, mut ga_ok) = (0, 0, 0, 0);
    for seed in 0..SEEDS {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x0 = [0.0; 2];
        b.sample(&mut rng, &mut x0).unwrap();
        let mut pg = ProjectedGradient::default();
        // Adam alone: the plateau's gradient is ~1e-9 or less; it stops at once.
        let mut x = x0;
        let mut adam = Adam::<f64, 2>::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        })
        .unwrap();
        if let Ok(r) = minimize(
            &mut Easom,
            &mut x,
            &mut adam,
            &Stop {
                max_evals: 20_000,
                ..Stop::default()
            },
        ) {
            adam_ok += usize::from(hit(r.loss));
        }
        let mut x = x0;
        let r = Annealer::<f64, 2>::new(AnnealingConfig {
            budget,
            ..AnnealingConfig::default()
        })
        .unwrap()
        .run(&mut Easom, &mut pg, &b, &mut rng, &mut x)
        .unwrap();
        sa_ok += usize::from(hit(r.best_loss));
        let mut x = x0;
        let r = BasinHopper::<f64, 2>::new(HoppingConfig {
            budget,
            interval: 10,
            ..HoppingConfig::default()
        })
        .unwrap()
        .run(&mut Easom, &mut pg, &b, &mut rng, &mut x)
        .unwrap();
        bh_ok += usize::from(hit(r.best_loss));
        let mut x = x0;
        let r = Genetic::<f64, 2, 32>::new(GeneticConfig {
            budget,
            ..GeneticConfig::default()
        })
        .unwrap()
        .run(&mut Easom, &mut pg, &b, &mut rng, &mut x)
        .unwrap();
        ga_ok += usize::from(hit(r.best_loss));
    }
    let (pt_ok, pt_evals, rates) = rate::<_, 2, 4>(Easom, lo, hi, -1.0, cfg(20_000));
    let line = format!(
        "LOSSMAP-GLOBAL easom box=[-100,100]^2 seeds={SEEDS} max_evals=20000 tol=1e-6 \
         adam-alone={adam_ok}/{SEEDS} annealing={sa_ok}/{SEEDS} basin-hopping={bh_ok}/{SEEDS} \
         genetic(P=32)={ga_ok}/{SEEDS} replica-exchange(R=4)={pt_ok}/{SEEDS} \
         (mean evals {pt_evals:.0}) pt_swap_rates(T=0.1..10)=[{}]",
        fmt_rates(&rates)
    );
    println!("{line}");
    common::write_report("global-easom.txt", &line);
    // Independent of the search: on the plateau every loss is within 1e-8 of 0, so the swap
    // exponent (1/T_i − 1/T_j)(E_i − E_j) is ~1e-8 and a swap between replicas that are both
    // on the plateau is accepted with probability ~1. The hot replicas cannot tell the
    // temperatures apart: the ladder gives no guidance towards the hole.
    let hottest = *rates.last().unwrap();
    assert!(hottest > 0.95, "{line}");
    // Adam alone never leaves the plateau.
    assert!(adam_ok <= 5, "{line}");
}
