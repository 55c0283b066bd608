//! CMA-ES (Hansen's tutorial, arXiv:1604.00772; IPOP restarts, Auger & Hansen 2005) on
//! landscapes it was not designed around: the rotated ellipsoid (κ = 10⁶, 8-D, to 1e-10),
//! Rosenbrock (10-D), Rastrigin (5-D, IPOP), Ackley, Schwefel; over 20 seeds (100..120) each;
//! rotation invariance; every evaluation counted and within budget; reproducibility; the
//! strategy constants against the tutorial's Table 1 and pycma (tests/reference/cmaes.py).

mod global_landscapes;

use global_landscapes::Schwefel;
use lossmap::global::{
    cmaes_slice, cmaes_work_len, default_lambda, Bounds, Budget, Cmaes, CmaesBuffers,
    CmaesConfig, CmaesParams, NoPolish, ProjectedGradient, ProjectedLbfgs, SearchReport,
    SearchStop,
};
use lossmap::objective::FnSlice;
use lossmap::testfn::{Ackley, Quadratic, Rastrigin, RosenbrockN};
use lossmap::{Error, Objective};
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

/// Counts value and gradient calls independently of the search.
#[derive(Clone, Copy)]
struct Count<O> {
    inner: O,
    values: usize,
    grads: usize,
}

impl<O> Count<O> {
    fn new(inner: O) -> Self {
        Count {
            inner,
            values: 0,
            grads: 0,
        }
    }
}

impl<O: Objective<f64, N>, const N: usize> Objective<f64, N> for Count<O> {
    fn value(&mut self, x: &[f64; N]) -> f64 {
        self.values += 1;
        self.inner.value(x)
    }
    fn gradient(&mut self, x: &[f64; N], g: &mut [f64; N]) -> Result<usize, Error> {
        self.grads += 1;
        self.inner.gradient(x, g)
    }
}

fn config(max_evals: usize, f_target: f64, restarts: usize) -> CmaesConfig<f64> {
    let d = CmaesConfig::default();
    CmaesConfig {
        budget: Budget {
            max_evals,
            f_target,
            ..d.budget
        },
        restarts,
        ..d
    }
}

/// Runs 20 seeds from uniform starts; returns (successes, the evaluations of each run).
fn seeds<O: Objective<f64, N> + Copy, const N: usize, const L: usize>(
    obj: O,
    lo: [f64; N],
    hi: [f64; N],
    cfg: CmaesConfig<f64>,
) -> (usize, Vec<SearchReport<f64>>) {
    let b = Bounds::new(&lo, &hi).unwrap();
    let mut ok = 0;
    let mut all = Vec::new();
    for seed in 100..120 {
        let mut rng = XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; N];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = Count::new(obj);
        let mut es = Cmaes::<f64, N, L>::new(cfg).unwrap();
        let r = es.run(&mut o, &mut NoPolish, &b, &mut rng, &mut x).unwrap();
        assert_eq!(r.value_evals, o.values, "{r:?}");
        assert!(r.evals() <= cfg.budget.max_evals, "{r:?}");
        assert!(b.contains(&x));
        assert_eq!(o.inner.value(&x), r.best_loss);
        if r.reason == SearchStop::Target {
            ok += 1;
        }
        all.push(r);
    }
    (ok, all)
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

#[test]
fn explore() {
    let q = Quadratic::<f64, 8>::with_condition(1e6, [0.0; 8], true).unwrap();
    let (ok, all) = seeds::<_, 8, 10>(q, [-5.0; 8], [5.0; 8], config(40_000, 1e-10, 0));
    eprintln!("ellipsoid ok {ok} median {}", median(all.iter().map(|r| r.evals()).collect()));
    let q = Quadratic::<f64, 8>::with_condition(1e6, [0.0; 8], false).unwrap();
    let (ok, all) = seeds::<_, 8, 10>(q, [-5.0; 8], [5.0; 8], config(40_000, 1e-10, 0));
    eprintln!("ellipsoid axis ok {ok} median {}", median(all.iter().map(|r| r.evals()).collect()));
    let (ok, all) = seeds::<_, 10, 10>(RosenbrockN::<10>, [-5.0; 10], [5.0; 10], config(40_000, 1e-10, 0));
    eprintln!("rosen ok {ok} median {} {:?}", median(all.iter().map(|r| r.evals()).collect()), all.iter().map(|r| r.reason).collect::<Vec<_>>());
    let (ok, all) = seeds::<_, 5, 256>(Rastrigin::<5>, [-5.12; 5], [5.12; 5], config(100_000, 1e-8, 6));
    eprintln!("rastrigin ok {ok} median {} {:?}", median(all.iter().map(|r| r.evals()).collect()), all.iter().map(|r| (r.reason, r.accepted, r.best_loss)).collect::<Vec<_>>());
}
