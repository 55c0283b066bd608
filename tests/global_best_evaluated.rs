//! Every global search reports the best point it evaluated, wherever it was evaluated: here a
//! local search that looks at one very good point of the box (as a line search's trial may)
//! and then returns its start unchanged, which the methods' own bookkeeping of minima would
//! never have kept. The reported `best_loss` must be that point's loss and the returned point
//! that point.

use lossmap::global::{
    Annealer, AnnealingConfig, BasinHopper, Bounds, Budget, Cmaes, CmaesConfig,
    DifferentialEvolution, DifferentialEvolutionConfig, DualAnnealing, DualAnnealingConfig,
    Genetic, GeneticConfig, HoppingConfig, LocalSearch, MultiStart, ReplicaConfig, ReplicaExchange,
};
use lossmap::landscape::Tolerance;
use lossmap::objective::SliceObjective;
use lossmap::{Error, Real};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// A bowl whose minimum 0 is at `PEEK`; the searches start far from it.
const PEEK: [f64; 2] = [0.7, -0.3];

fn bowl(x: &[f64; 2]) -> f64 {
    (x[0] - PEEK[0]).powi(2) + (x[1] - PEEK[1]).powi(2)
}

/// Evaluates `PEEK` once per call, then leaves `x` and its loss as they were.
struct Peek {
    calls: usize,
}

impl<T: Real> LocalSearch<T> for Peek {
    fn refine<O: SliceObjective<T> + ?Sized>(
        &mut self,
        obj: &mut O,
        _: &Bounds<'_, T>,
        _: &mut [T],
        _: &mut T,
        _: &mut [T],
        max_evals: usize,
    ) -> Result<(), Error> {
        if max_evals > 0 {
            self.calls += 1;
            let _ = obj.value(&[T::from_f64(PEEK[0]), T::from_f64(PEEK[1])]);
        }
        Ok(())
    }
}

fn budget() -> Budget<f64> {
    Budget {
        max_evals: 300,
        ..Budget::default()
    }
}

fn check(name: &str, best_loss: f64, x: &[f64; 2], peek: &Peek) {
    assert!(peek.calls > 0, "{name}: the local search ran");
    assert_eq!(
        best_loss, 0.0,
        "{name}: the peeked point is the best evaluated"
    );
    assert_eq!(*x, PEEK, "{name}: and it is the point returned");
}

#[test]
fn every_search_reports_the_best_point_it_evaluated() {
    let b = Bounds::new(&[-2.0; 2], &[2.0; 2]).unwrap();
    let start = [-1.9, 1.9];
    let mut f = |x: &[f64; 2]| bowl(x);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = HoppingConfig {
        budget: budget(),
        ..HoppingConfig::default()
    };
    let r = BasinHopper::<f64, 2>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(1),
            &mut x,
        )
        .unwrap();
    check("basin hopping", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = AnnealingConfig {
        budget: budget(),
        ..AnnealingConfig::default()
    };
    let r = Annealer::<f64, 2>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(2),
            &mut x,
        )
        .unwrap();
    check("annealing", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = GeneticConfig {
        budget: budget(),
        ..GeneticConfig::default()
    };
    let r = Genetic::<f64, 2, 8>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(3),
            &mut x,
        )
        .unwrap();
    check("genetic", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = ReplicaConfig {
        budget: budget(),
        polish_every: 5,
        ..ReplicaConfig::default()
    };
    let r = ReplicaExchange::<f64, 2, 4>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(4),
            &mut x,
        )
        .unwrap();
    check("replica exchange", r.best_loss, &x, &peek);

    // Differential evolution polishes once, at the end: the generations end first here so
    // that evaluations are left for it.
    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = DifferentialEvolutionConfig {
        budget: Budget {
            max_iter: 5,
            ..budget()
        },
        ..DifferentialEvolutionConfig::default()
    };
    let r = DifferentialEvolution::<f64, 2, 10>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(5),
            &mut x,
        )
        .unwrap();
    check("differential evolution", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = DualAnnealingConfig {
        budget: budget(),
        ..DualAnnealingConfig::default()
    };
    let r = DualAnnealing::<f64, 2>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(6),
            &mut x,
        )
        .unwrap();
    check("dual annealing", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let mut x = start;
    let cfg = CmaesConfig {
        budget: Budget {
            max_iter: 10,
            ..budget()
        },
        ..CmaesConfig::default()
    };
    let r = Cmaes::<f64, 2, 6>::new(cfg)
        .unwrap()
        .run(
            &mut f,
            &mut peek,
            &b,
            &mut XorShiftRng::seed_from_u64(7),
            &mut x,
        )
        .unwrap();
    check("CMA-ES", r.best_loss, &x, &peek);

    let mut peek = Peek { calls: 0 };
    let starts = [start, [1.9, -1.9], [1.9, 1.9]];
    let r = MultiStart::<f64, 2, 3>::new(budget())
        .unwrap()
        .run(&mut f, &mut peek, &b, &starts, &Tolerance::default())
        .unwrap();
    check("multi-start", r.report.best_loss, &r.best, &peek);
    // The end points themselves are the unchanged starts.
    assert_eq!(r.ends, starts);
}
