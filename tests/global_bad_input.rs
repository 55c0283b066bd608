//! Bad input to the global methods returns an error and changes nothing: an empty box,
//! lower > upper, non-finite bounds, a start outside the box, temperature ≤ 0, population or
//! replica count < 2, zero budgets, mismatched lengths.

use lossmap::global::{
    anneal_slice, basin_hopping_slice, genetic_slice, multistart_slice, perturbed_gd_slice,
    replica_exchange_slice, Annealer, AnnealingConfig, AnnealingState, BasinHopper, Bounds, Budget,
    Genetic, GeneticConfig, HoppingConfig, HoppingState, MultiStart, PerturbedConfig, PerturbedGd,
    ProjectedGradient, ReplicaConfig, ReplicaExchange, ReplicaState,
};
use lossmap::landscape::Tolerance;
use lossmap::objective::FnSlice;
use lossmap::testfn::Rastrigin;
use lossmap::Error;
use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

#[test]
fn bounds_are_validated() {
    assert_eq!(Bounds::<f64>::new(&[], &[]), Err(Error::Empty));
    assert_eq!(
        Bounds::new(&[0.0, 1.0], &[1.0, 0.5]),
        Err(Error::InvalidParameter)
    );
    assert_eq!(Bounds::new(&[0.0], &[1.0, 2.0]), Err(Error::LengthMismatch));
    assert_eq!(Bounds::new(&[f64::NAN], &[1.0]), Err(Error::NonFiniteInput));
    assert_eq!(
        Bounds::new(&[0.0], &[f64::INFINITY]),
        Err(Error::NonFiniteInput)
    );
    assert_eq!(
        Bounds::new(&[-f64::MAX], &[f64::MAX]),
        Err(Error::NonFiniteInput)
    );
    assert!(Bounds::new(&[1.0], &[1.0]).is_ok());
}

#[test]
fn configurations_are_validated() {
    let zero_evals = Budget {
        max_evals: 0,
        ..Budget::<f64>::default()
    };
    let zero_iter = Budget {
        max_iter: 0,
        ..Budget::<f64>::default()
    };
    let nan_target = Budget {
        f_target: f64::NAN,
        ..Budget::<f64>::default()
    };
    for b in [zero_evals, zero_iter, nan_target] {
        assert_eq!(b.validate(), Err(Error::InvalidParameter));
        assert!(Annealer::<f64, 2>::new(AnnealingConfig {
            budget: b,
            ..AnnealingConfig::default()
        })
        .is_err());
        assert!(BasinHopper::<f64, 2>::new(HoppingConfig {
            budget: b,
            ..HoppingConfig::default()
        })
        .is_err());
        assert!(Genetic::<f64, 2, 8>::new(GeneticConfig {
            budget: b,
            ..GeneticConfig::default()
        })
        .is_err());
        assert!(ReplicaExchange::<f64, 2, 4>::new(ReplicaConfig {
            budget: b,
            ..ReplicaConfig::default()
        })
        .is_err());
        assert!(PerturbedGd::<f64, 2>::new(PerturbedConfig {
            budget: b,
            ..PerturbedConfig::default()
        })
        .is_err());
        assert!(MultiStart::<f64, 2, 4>::new(b).is_err());
    }
    let sa = AnnealingConfig::<f64>::default();
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            AnnealingConfig { t0: t, ..sa }.validate(),
            Err(Error::InvalidParameter)
        );
        assert_eq!(
            AnnealingConfig { t_min: t, ..sa }.validate(),
            Err(Error::InvalidParameter)
        );
        assert!(HoppingConfig {
            temperature: t,
            ..HoppingConfig::<f64>::default()
        }
        .validate()
        .is_err());
        assert!(ReplicaConfig {
            t_min: t,
            ..ReplicaConfig::<f64>::default()
        }
        .validate(4)
        .is_err());
    }
    assert!(AnnealingConfig { t_min: 20.0, ..sa }.validate().is_err()); // t_min ≥ t0
    assert!(AnnealingConfig { alpha: 1.0, ..sa }.validate().is_err());
    assert!(AnnealingConfig { proposal: 2, ..sa }.validate().is_err());
    assert!(AnnealingConfig { boundary: -1, ..sa }.validate().is_err());
    assert!(ReplicaConfig {
        t_max: 0.05,
        ..ReplicaConfig::<f64>::default()
    }
    .validate(4)
    .is_err());
    // Population and replica counts below 2.
    assert_eq!(
        Genetic::<f64, 2, 1>::new(GeneticConfig::default()).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!(
        Genetic::<f64, 2, 0>::new(GeneticConfig::default()).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!(
        ReplicaExchange::<f64, 2, 1>::new(ReplicaConfig::default()).unwrap_err(),
        Error::InvalidParameter
    );
    assert!(Genetic::<f64, 2, 4>::new(GeneticConfig {
        tournament: 5,
        ..GeneticConfig::default()
    })
    .is_err());
    assert!(Genetic::<f64, 2, 4>::new(GeneticConfig {
        mutation_rate: 1.5,
        ..GeneticConfig::default()
    })
    .is_err());
    assert!(Genetic::<f64, 2, 4>::new(GeneticConfig {
        crossover: 9,
        ..GeneticConfig::default()
    })
    .is_err());
    assert!(PerturbedGd::<f64, 2>::new(PerturbedConfig {
        lr: 0.0,
        ..PerturbedConfig::default()
    })
    .is_err());
    assert!(PerturbedGd::<f64, 2>::new(PerturbedConfig {
        t_thresh: 0,
        ..PerturbedConfig::default()
    })
    .is_err());
    assert!(Annealer::<f64, 0>::new(AnnealingConfig::default()).is_err());
}

/// Typed runs: wrong box dimension or a start outside the box leave `x` and the generator as
/// they were.
#[test]
fn typed_runs_reject_bad_starts_without_changing_anything() {
    let b3 = [-1.0, -1.0, -1.0];
    let u3 = [1.0, 1.0, 1.0];
    let wrong_dim = Bounds::new(&b3, &u3).unwrap();
    let b = Bounds::new(&[-1.0, -1.0], &[1.0, 1.0]).unwrap();
    let mut pg = ProjectedGradient::default();
    for (bounds, start, err) in [
        (wrong_dim, [0.5, 0.5], Error::LengthMismatch),
        (b, [2.0, 0.0], Error::InvalidParameter),
        (b, [f64::NAN, 0.0], Error::NonFiniteInput),
    ] {
        let fresh = XorShiftRng::seed_from_u64(1);
        let mut rng = fresh.clone();
        let mut x = start;
        let same = |x: &[f64; 2]| {
            x.iter()
                .zip(&start)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        };
        let mut sa = Annealer::<f64, 2>::new(AnnealingConfig::default()).unwrap();
        assert_eq!(
            sa.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        let mut bh = BasinHopper::<f64, 2>::new(HoppingConfig::default()).unwrap();
        assert_eq!(
            bh.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        let mut ga = Genetic::<f64, 2, 8>::new(GeneticConfig::default()).unwrap();
        assert_eq!(
            ga.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        let mut pt = ReplicaExchange::<f64, 2, 4>::new(ReplicaConfig::default()).unwrap();
        assert_eq!(
            pt.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        let mut ms = MultiStart::<f64, 2, 1>::new(Budget::default()).unwrap();
        assert_eq!(
            ms.run(
                &mut Rastrigin,
                &mut pg,
                &bounds,
                &[start],
                &Tolerance::default()
            )
            .unwrap_err(),
            err
        );
        assert!(same(&x));
        assert_eq!(rng.next_u64(), fresh.clone().next_u64());
    }
    // A bad local search configuration is rejected too.
    let mut bad = ProjectedGradient {
        step: -1.0,
        ..ProjectedGradient::default()
    };
    let mut x = [0.5, 0.5];
    let mut rng = XorShiftRng::seed_from_u64(1);
    let mut bh = BasinHopper::<f64, 2>::new(HoppingConfig::default()).unwrap();
    assert_eq!(
        bh.run(&mut Rastrigin, &mut bad, &b, &mut rng, &mut x),
        Err(Error::InvalidParameter)
    );
    assert_eq!(x, [0.5, 0.5]);
    // Perturbed GD: NaN start, and a start whose loss is not finite.
    let mut pgd = PerturbedGd::<f64, 2>::new(PerturbedConfig::default()).unwrap();
    let mut x = [f64::NAN, 0.0];
    assert_eq!(
        pgd.run(&mut Rastrigin, &mut rng, &mut x),
        Err(Error::NonFiniteInput)
    );
    let mut x = [1.0, 0.0];
    let mut inf = |_: &[f64; 2]| f64::INFINITY;
    assert_eq!(
        pgd.run(&mut inf, &mut rng, &mut x),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, [1.0, 0.0]);
}

/// Slice kernels: mismatched lengths and P/R < 2 leave every buffer unchanged.
#[test]
fn kernels_reject_bad_lengths_without_writing() {
    let lo = [-1.0, -1.0];
    let hi = [1.0, 1.0];
    let b = Bounds::new(&lo, &hi).unwrap();
    let mut obj = FnSlice(|x: &[f64]| x.iter().map(|v| v * v).sum::<f64>());
    let mut pg = ProjectedGradient::default();
    let mut rng = XorShiftRng::seed_from_u64(1);
    let s = 7.0; // sentinel
    let (mut x, mut best, mut trial, mut work) = ([0.5, 0.5], [s; 2], [s; 2], [s; 6]);
    let mut short = [s; 5];
    let mut hs = HoppingState::default();
    let cfg = HoppingConfig::default();
    assert_eq!(
        basin_hopping_slice(
            &mut obj, &mut pg, &mut rng, &b, &cfg, &mut hs, &mut x, &mut best, &mut trial,
            &mut short
        ),
        Err(Error::LengthMismatch)
    );
    let mut st = AnnealingState::default();
    assert_eq!(
        anneal_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &AnnealingConfig::default(),
            &mut st,
            &mut x,
            &mut best[..1],
            &mut trial,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    // GA with P = 1 (runtime check of the C path).
    let (mut pop, mut fit, mut next, mut nfit) = ([0.5; 2], [s; 1], [s; 2], [s; 1]);
    assert_eq!(
        genetic_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &GeneticConfig::default(),
            &mut pop,
            &mut fit,
            &mut next,
            &mut nfit,
            &mut best,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    // GA with a row outside the box.
    let (mut pop, mut fit, mut next, mut nfit) = ([0.5, 0.5, 3.0, 0.0], [s; 2], [s; 4], [s; 2]);
    assert_eq!(
        genetic_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &GeneticConfig::default(),
            &mut pop,
            &mut fit,
            &mut next,
            &mut nfit,
            &mut best,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    assert_eq!(fit, [s; 2]);
    // Replica exchange with R = 1, and with swap statistics of the wrong length.
    let (mut xs, mut e, mut t) = ([0.5; 2], [s; 1], [s; 1]);
    let (mut att, mut acc) = ([9usize; 1], [9usize; 1]);
    let mut stats = ReplicaState {
        attempts: &mut att[..0],
        accepts: &mut acc[..0],
    };
    assert_eq!(
        replica_exchange_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &ReplicaConfig::default(),
            &mut xs,
            &mut e,
            &mut t,
            &mut stats,
            &mut best,
            &mut trial,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    let (mut xs, mut e, mut t) = ([0.5; 4], [s; 2], [s; 2]);
    let mut stats = ReplicaState {
        attempts: &mut att,
        accepts: &mut acc[..0],
    };
    assert_eq!(
        replica_exchange_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &ReplicaConfig::default(),
            &mut xs,
            &mut e,
            &mut t,
            &mut stats,
            &mut best,
            &mut trial,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!((e, t, att), ([s; 2], [s; 2], [9]));
    // Multi-start: starts not K×n.
    let (mut starts, mut losses) = ([0.5; 3], [s; 2]);
    assert_eq!(
        multistart_slice(
            &mut obj,
            &mut pg,
            &b,
            &Budget::default(),
            &mut starts,
            &mut losses,
            &mut best,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(losses, [s; 2]);
    // Perturbed GD: scratch of the wrong length, empty x.
    let (mut a, mut g, mut k) = ([s; 2], [s; 2], [s; 1]);
    assert_eq!(
        perturbed_gd_slice(
            &mut obj,
            &mut rng,
            &PerturbedConfig::default(),
            &mut x,
            &mut a,
            &mut g,
            &mut k
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        perturbed_gd_slice(
            &mut obj,
            &mut rng,
            &PerturbedConfig::default(),
            &mut [],
            &mut [],
            &mut [],
            &mut []
        ),
        Err(Error::Empty)
    );
    assert_eq!(
        (x, best, trial, work, a, g),
        ([0.5, 0.5], [s; 2], [s; 2], [s; 6], [s; 2], [s; 2])
    );
    // The generator was never drawn from.
    assert_eq!(rng.next_u64(), XorShiftRng::seed_from_u64(1).next_u64());
}

/// Differential evolution and dual annealing: bad configurations, starts, populations and
/// lengths return an error with every buffer and the generator unchanged.
#[test]
fn differential_evolution_and_dual_annealing_reject_bad_input_without_writing() {
    use lossmap::global::{
        differential_evolution_slice, dual_annealing_slice, latin_hypercube, DifferentialEvolution,
        DifferentialEvolutionConfig, DualAnnealing, DualAnnealingConfig,
    };
    let de = DifferentialEvolutionConfig::<f64>::default();
    let da = DualAnnealingConfig::<f64>::default();
    // Configurations.
    for bad in [
        DifferentialEvolutionConfig { strategy: 2, ..de },
        DifferentialEvolutionConfig {
            mutation_min: -0.1,
            ..de
        },
        DifferentialEvolutionConfig {
            mutation_min: 0.9,
            mutation_max: 0.8,
            ..de
        },
        DifferentialEvolutionConfig {
            mutation_max: 2.0,
            ..de
        },
        DifferentialEvolutionConfig {
            recombination: 1.5,
            ..de
        },
        DifferentialEvolutionConfig {
            tol: f64::NAN,
            ..de
        },
        DifferentialEvolutionConfig { atol: -1.0, ..de },
        DifferentialEvolutionConfig {
            budget: Budget {
                max_evals: 0,
                ..de.budget
            },
            ..de
        },
    ] {
        assert_eq!(
            DifferentialEvolution::<f64, 2, 10>::new(bad).unwrap_err(),
            Error::InvalidParameter,
            "{bad:?}"
        );
    }
    assert_eq!(
        DifferentialEvolution::<f64, 2, 4>::new(de).unwrap_err(),
        Error::InvalidParameter
    );
    assert_eq!(
        DifferentialEvolution::<f64, 0, 10>::new(de).unwrap_err(),
        Error::Empty
    );
    for bad in [
        DualAnnealingConfig { visit: 1.0, ..da },
        DualAnnealingConfig { visit: 3.0, ..da },
        DualAnnealingConfig { accept: 1.0, ..da },
        DualAnnealingConfig {
            accept: f64::NEG_INFINITY,
            ..da
        },
        DualAnnealingConfig {
            initial_temp: 0.0,
            ..da
        },
        DualAnnealingConfig {
            initial_temp: 1e5,
            ..da
        },
        DualAnnealingConfig {
            restart_temp_ratio: 0.0,
            ..da
        },
        DualAnnealingConfig {
            restart_temp_ratio: 1.0,
            ..da
        },
        DualAnnealingConfig {
            budget: Budget {
                f_target: f64::NAN,
                ..da.budget
            },
            ..da
        },
    ] {
        assert_eq!(
            DualAnnealing::<f64, 2>::new(bad).unwrap_err(),
            Error::InvalidParameter,
            "{bad:?}"
        );
    }
    assert_eq!(DualAnnealing::<f64, 0>::new(da).unwrap_err(), Error::Empty);

    // Typed runs: bad starts change neither x nor the generator.
    let b3 = [-1.0; 3];
    let u3 = [1.0; 3];
    let wrong_dim = Bounds::new(&b3, &u3).unwrap();
    let b = Bounds::new(&[-1.0, -1.0], &[1.0, 1.0]).unwrap();
    let mut pg = ProjectedGradient::default();
    for (bounds, start, err) in [
        (wrong_dim, [0.5, 0.5], Error::LengthMismatch),
        (b, [2.0, 0.0], Error::InvalidParameter),
        (b, [f64::NAN, 0.0], Error::NonFiniteInput),
    ] {
        let fresh = XorShiftRng::seed_from_u64(1);
        let mut rng = fresh.clone();
        let mut x = start;
        let mut m = DifferentialEvolution::<f64, 2, 10>::new(de).unwrap();
        assert_eq!(
            m.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        let mut a = DualAnnealing::<f64, 2>::new(da).unwrap();
        assert_eq!(
            a.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        assert!(x
            .iter()
            .zip(&start)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(rng.next_u64(), fresh.clone().next_u64());
    }
    // A start whose loss is not finite.
    let mut rng = XorShiftRng::seed_from_u64(1);
    let mut x = [0.5, 0.5];
    let mut inf = |_: &[f64; 2]| f64::INFINITY;
    let mut a = DualAnnealing::<f64, 2>::new(da).unwrap();
    assert_eq!(
        a.run(&mut inf, &mut pg, &b, &mut rng, &mut x),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, [0.5, 0.5]);

    // Kernels: lengths, a small population, a row outside the box, a bad local search.
    let mut obj = FnSlice(|x: &[f64]| x.iter().map(|v| v * v).sum::<f64>());
    let mut rng = XorShiftRng::seed_from_u64(1);
    let s = 7.0;
    let (mut best, mut trial, mut work) = ([s; 2], [s; 2], [s; 6]);
    let mut pop = [0.5; 10];
    let mut fit = [s; 5];
    // P = 4 < 5.
    assert_eq!(
        differential_evolution_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &de,
            &mut pop[..8],
            &mut fit[..4],
            &mut trial,
            &mut best,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    // pop not P×n, trial short, work short.
    assert_eq!(
        differential_evolution_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &de,
            &mut pop[..9],
            &mut fit,
            &mut trial,
            &mut best,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        differential_evolution_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &de,
            &mut pop,
            &mut fit,
            &mut trial[..1],
            &mut best,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        differential_evolution_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &de,
            &mut pop,
            &mut fit,
            &mut trial,
            &mut best,
            &mut work[..5]
        ),
        Err(Error::LengthMismatch)
    );
    pop[3] = 1.5;
    assert_eq!(
        differential_evolution_slice(
            &mut obj, &mut pg, &mut rng, &b, &de, &mut pop, &mut fit, &mut trial, &mut best,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    pop[3] = f64::NAN;
    assert_eq!(
        differential_evolution_slice(
            &mut obj, &mut pg, &mut rng, &b, &de, &mut pop, &mut fit, &mut trial, &mut best,
            &mut work
        ),
        Err(Error::NonFiniteInput)
    );
    pop[3] = 0.5;
    let mut bad_pg = ProjectedGradient {
        c1: 2.0,
        ..ProjectedGradient::default()
    };
    assert_eq!(
        differential_evolution_slice(
            &mut obj,
            &mut bad_pg,
            &mut rng,
            &b,
            &de,
            &mut pop,
            &mut fit,
            &mut trial,
            &mut best,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    // Dual annealing: best short, start outside, bad local search.
    let mut x = [0.5, 0.5];
    assert_eq!(
        dual_annealing_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &da,
            &mut x,
            &mut best[..1],
            &mut trial,
            &mut work
        ),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        dual_annealing_slice(
            &mut obj,
            &mut bad_pg,
            &mut rng,
            &b,
            &da,
            &mut x,
            &mut best,
            &mut trial,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    let mut outside = [0.5, -1.5];
    assert_eq!(
        dual_annealing_slice(
            &mut obj,
            &mut pg,
            &mut rng,
            &b,
            &da,
            &mut outside,
            &mut best,
            &mut trial,
            &mut work
        ),
        Err(Error::InvalidParameter)
    );
    // The Latin hypercube: a population not a multiple of n, or empty.
    assert_eq!(
        latin_hypercube(&mut rng, &b, &mut pop[..9]),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        latin_hypercube(&mut rng, &b, &mut []),
        Err(Error::LengthMismatch)
    );
    assert_eq!(
        (pop, fit, best, trial, work, x, outside),
        (
            [0.5; 10],
            [s; 5],
            [s; 2],
            [s; 2],
            [s; 6],
            [0.5, 0.5],
            [0.5, -1.5]
        )
    );
    assert_eq!(rng.next_u64(), XorShiftRng::seed_from_u64(1).next_u64());
}

#[test]
fn cmaes_rejects_bad_input_without_writing() {
    use lossmap::global::{cmaes_slice, cmaes_work_len, Cmaes, CmaesBuffers, CmaesConfig};
    let c = CmaesConfig::<f64>::default();
    for bad in [
        CmaesConfig { population: 1, ..c },
        CmaesConfig { sigma0: 0.0, ..c },
        CmaesConfig {
            sigma0: f64::INFINITY,
            ..c
        },
        CmaesConfig { tol_x: -1.0, ..c },
        CmaesConfig {
            tol_fun: f64::NAN,
            ..c
        },
        CmaesConfig {
            max_condition: 1.0,
            ..c
        },
        CmaesConfig {
            budget: Budget {
                max_evals: 0,
                ..c.budget
            },
            ..c
        },
    ] {
        assert_eq!(
            Cmaes::<f64, 2, 6>::new(bad).unwrap_err(),
            Error::InvalidParameter
        );
    }
    assert_eq!(Cmaes::<f64, 0, 6>::new(c).unwrap_err(), Error::Empty);
    // The default population of 2-D is 6 > 5.
    assert_eq!(
        Cmaes::<f64, 2, 5>::new(c).unwrap_err(),
        Error::LengthMismatch
    );

    // Typed runs: bad starts change neither x nor the generator.
    let b3 = [-1.0; 3];
    let u3 = [1.0; 3];
    let wrong_dim = Bounds::new(&b3, &u3).unwrap();
    let b = Bounds::new(&[-1.0, -1.0], &[1.0, 1.0]).unwrap();
    let mut pg = ProjectedGradient::default();
    for (bounds, start, err) in [
        (wrong_dim, [0.5, 0.5], Error::LengthMismatch),
        (b, [2.0, 0.0], Error::InvalidParameter),
        (b, [f64::NAN, 0.0], Error::NonFiniteInput),
    ] {
        let fresh = XorShiftRng::seed_from_u64(1);
        let mut rng = fresh.clone();
        let mut x = start;
        let mut es = Cmaes::<f64, 2, 6>::new(c).unwrap();
        let before = es;
        assert_eq!(
            es.run(&mut Rastrigin, &mut pg, &bounds, &mut rng, &mut x),
            Err(err)
        );
        assert!(x
            .iter()
            .zip(&start)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(rng.next_u64(), fresh.clone().next_u64());
        assert!(es.cov == before.cov && es.mean() == before.mean());
    }
    let mut rng = XorShiftRng::seed_from_u64(1);
    let mut x = [0.5, 0.5];
    let mut inf = |_: &[f64; 2]| f64::INFINITY;
    let mut es = Cmaes::<f64, 2, 6>::new(c).unwrap();
    assert_eq!(
        es.run(&mut inf, &mut pg, &b, &mut rng, &mut x),
        Err(Error::NonFiniteLoss)
    );
    assert_eq!(x, [0.5, 0.5]);

    // Kernel: a work of the wrong length, a population scratch too small, a bad local search,
    // and nothing written.
    let mut obj = FnSlice(|x: &[f64]| x.iter().map(|v| v * v).sum::<f64>());
    let len = cmaes_work_len(2, 6).unwrap();
    let mut work = vec![7.0; len + 1];
    assert_eq!(
        CmaesBuffers::split(&mut work, 2, 6).unwrap_err(),
        Error::LengthMismatch
    );
    assert_eq!(
        CmaesBuffers::split(&mut work[..len], 0, 6).unwrap_err(),
        Error::LengthMismatch
    );
    let small = cmaes_work_len(2, 5).unwrap();
    let mut buf = CmaesBuffers::split(&mut work[..small], 2, 5).unwrap();
    let mut x = [0.5, 0.5];
    assert_eq!(
        cmaes_slice(&mut obj, &mut pg, &mut rng, &b, &c, &mut x, &mut buf),
        Err(Error::LengthMismatch)
    );
    let mut bad_pg = ProjectedGradient {
        c1: 2.0,
        ..ProjectedGradient::default()
    };
    let mut buf = CmaesBuffers::split(&mut work[..len], 2, 6).unwrap();
    assert_eq!(
        cmaes_slice(&mut obj, &mut bad_pg, &mut rng, &b, &c, &mut x, &mut buf),
        Err(Error::InvalidParameter)
    );
    let mut outside = [0.5, -1.5];
    assert_eq!(
        cmaes_slice(&mut obj, &mut pg, &mut rng, &b, &c, &mut outside, &mut buf),
        Err(Error::InvalidParameter)
    );
    let mut short = [0.5];
    assert_eq!(
        cmaes_slice(&mut obj, &mut pg, &mut rng, &b, &c, &mut short, &mut buf),
        Err(Error::LengthMismatch)
    );
    assert!(work.iter().all(|&v| v == 7.0));
    assert_eq!(x, [0.5, 0.5]);
    assert_eq!(rng.next_u64(), XorShiftRng::seed_from_u64(1).next_u64());
}
