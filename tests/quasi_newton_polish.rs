//! Evaluations per polish near smooth 2-D minima: the projected-gradient polish against the
//! projected L-BFGS one, both through `LocalSearch::refine` in the boxes and from the starts of
//! tests/reference/polish.py, whose committed output gives scipy L-BFGS-B's counts. Prints the
//! table of the README's "Polish cost" section.

use lossmap::global::{Bounds, LocalSearch, ProjectedGradient, ProjectedLbfgs};
use lossmap::objective::{Fixed, FnSlice, SliceObjective};
use lossmap::testfn::{Beale, Booth, Himmelblau, Rosenbrock};
use lossmap::{Error, Objective};

const SCIPY: &str = include_str!("reference/polish.txt");

/// Counts values and gradient calls of a slice objective.
struct Count<O> {
    inner: O,
    values: usize,
    grads: usize,
    fd_values: usize,
}

impl<O: SliceObjective<f64>> SliceObjective<f64> for Count<O> {
    fn value(&mut self, x: &[f64]) -> f64 {
        self.values += 1;
        self.inner.value(x)
    }
    fn gradient(&mut self, x: &mut [f64], g: &mut [f64]) -> Result<usize, Error> {
        self.grads += 1;
        let r = self.inner.gradient(x, g);
        if let Ok(e) = r {
            self.fd_values += e;
        }
        r
    }
}

/// One polish from `x0`: (values, gradient calls, values spent inside finite differences,
/// final loss).
fn polish<L: LocalSearch<f64>, O: SliceObjective<f64>>(
    ls: &mut L,
    obj: O,
    b: &Bounds<'_, f64>,
    x0: [f64; 2],
) -> (usize, usize, usize, f64) {
    let mut c = Count {
        inner: obj,
        values: 0,
        grads: 0,
        fd_values: 0,
    };
    let mut x = x0;
    let mut f = c.inner.value(&x);
    let mut work = [0.0; 6];
    ls.refine(&mut c, b, &mut x, &mut f, &mut work, 5000)
        .unwrap();
    assert!(b.contains(&x));
    (c.values, c.grads, c.fd_values, f)
}

fn value_of(name: &str, x: &[f64; 2]) -> f64 {
    match name {
        "himmelblau" => Himmelblau.value(x),
        "rosenbrock" => Rosenbrock.value(x),
        "beale" => Beale.value(x),
        _ => Booth.value(x),
    }
}

/// A slice objective with the test function's analytic gradient.
struct Analytic {
    name: &'static str,
}

impl SliceObjective<f64> for Analytic {
    fn value(&mut self, x: &[f64]) -> f64 {
        value_of(self.name, &[x[0], x[1]])
    }
    fn gradient(&mut self, x: &mut [f64], g: &mut [f64]) -> Result<usize, Error> {
        let a = [x[0], x[1]];
        let mut ga = [0.0; 2];
        let r = match self.name {
            "himmelblau" => Himmelblau.gradient(&a, &mut ga),
            "rosenbrock" => Rosenbrock.gradient(&a, &mut ga),
            "beale" => Beale.gradient(&a, &mut ga),
            _ => Booth.gradient(&a, &mut ga),
        };
        g.copy_from_slice(&ga);
        r
    }
}

#[test]
fn polish_cost_before_and_after() {
    let boxes: [(&'static str, [f64; 2], [f64; 2]); 4] = [
        ("himmelblau", [-5.0, -5.0], [5.0, 5.0]),
        ("rosenbrock", [-2.0, -1.0], [2.0, 3.0]),
        ("beale", [-4.5, -4.5], [4.5, 4.5]),
        ("booth", [-10.0, -10.0], [10.0, 10.0]),
    ];
    println!("| function | polishes | projected gradient: evals (values + gradients) | projected L-BFGS: evals | scipy L-BFGS-B: nfev + njev | projected gradient, central differences: values | projected L-BFGS, central differences: values | scipy L-BFGS-B, 2-point differences: nfev |");
    println!("|---|---|---|---|---|---|---|---|");
    let (mut tot_pg, mut tot_qn, mut tot_sp) = (0usize, 0usize, 0usize);
    for (name, lo, hi) in boxes {
        let b = Bounds::new(&lo, &hi).unwrap();
        let (mut k, mut pg, mut qn, mut sp, mut pgfd, mut qnfd, mut spfd) = (0, 0, 0, 0, 0, 0, 0);
        for line in SCIPY.lines().filter(|l| l.starts_with(name)) {
            let w: Vec<&str> = line.split_whitespace().collect();
            let x0 = [w[1].parse::<f64>().unwrap(), w[2].parse::<f64>().unwrap()];
            let (nfev_a, nfev_fd): (usize, usize) = (w[3].parse().unwrap(), w[4].parse().unwrap());
            let an = || Analytic { name };
            let fd = || FnSlice(move |x: &[f64]| value_of(name, &[x[0], x[1]]));
            let a = polish(&mut ProjectedGradient::default(), an(), &b, x0);
            let q = polish(&mut ProjectedLbfgs::<f64, 2, 10>::default(), an(), &b, x0);
            let afd = polish(&mut ProjectedGradient::default(), fd(), &b, x0);
            let qfd = polish(&mut ProjectedLbfgs::<f64, 2, 10>::default(), fd(), &b, x0);
            // Solved as well as before, and as scipy: f* = 0 for all four.
            assert!(q.3 <= 1e-8 && qfd.3 <= 1e-8, "{name} {x0:?}: {q:?} {qfd:?}");
            assert!(q.0 + q.1 < a.0 + a.1, "{name} {x0:?}: {q:?} vs {a:?}");
            k += 1;
            pg += a.0 + a.1;
            qn += q.0 + q.1;
            sp += 2 * nfev_a; // L-BFGS-B evaluates f and ∇f together: nfev = njev
            pgfd += afd.0 + afd.2;
            qnfd += qfd.0 + qfd.2;
            spfd += nfev_fd;
        }
        assert!(k > 0);
        let m = |v: usize| v as f64 / k as f64;
        println!(
            "| {name} | {k} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            m(pg),
            m(qn),
            m(sp),
            m(pgfd),
            m(qnfd),
            m(spfd)
        );
        tot_pg += pg;
        tot_qn += qn;
        tot_sp += sp;
    }
    println!("total evaluations: projected gradient {tot_pg}, projected L-BFGS {tot_qn}, scipy nfev + njev {tot_sp}");
    assert!(tot_qn * 3 < tot_pg);
}

#[test]
fn the_polish_keeps_its_contract() {
    // Start on the boundary, the minimum outside the box; a tiny budget; a NaN region.
    let b = Bounds::new(&[-1.0, -1.0], &[2.5, 2.5]).unwrap();
    let mut ls = ProjectedLbfgs::<f64, 2, 5>::default();
    let mut x = [2.5, 0.0];
    let mut obj = Fixed::<_, 2>(&mut Himmelblau);
    let mut f = obj.value(&x);
    let f0 = f;
    ls.refine(&mut obj, &b, &mut x, &mut f, &mut [], 500)
        .unwrap();
    assert!(b.contains(&x) && f < f0 && x[0] == 2.5, "{x:?} {f}");
    for budget in [1, 2, 3, 5, 8] {
        let mut x = [0.0, 0.0];
        let mut f = obj.value(&x);
        let mut c = Count {
            inner: Fixed::<_, 2>(&mut Himmelblau),
            values: 0,
            grads: 0,
            fd_values: 0,
        };
        ls.refine(&mut c, &b, &mut x, &mut f, &mut [], budget)
            .unwrap();
        assert!(f <= 170.0 && b.contains(&x));
        // The budget is checked before each trial: at most one trial's worth beyond it.
        assert!(
            c.values + c.grads <= budget + 2,
            "budget {budget}: {} + {}",
            c.values,
            c.grads
        );
    }
    let mut nan = FnSlice(|v: &[f64]| {
        if v[0] > 2.9 {
            f64::NAN
        } else {
            Himmelblau.value(&[v[0], v[1]])
        }
    });
    let b = Bounds::new(&[-5.0, -5.0], &[5.0, 5.0]).unwrap();
    let mut x = [2.0, 1.0];
    let mut f = nan.value(&x);
    let f0 = f;
    ls.refine(&mut nan, &b, &mut x, &mut f, &mut [], 500)
        .unwrap();
    assert!(f.is_finite() && f <= f0 && x[0] <= 2.9);
    // Bad input: more parameters than the capacity, a start outside the box.
    let b3 = Bounds::new(&[-1.0; 3], &[1.0; 3]).unwrap();
    let mut x3 = [0.1, 0.2, 0.3];
    let mut f3 = 1.0;
    let mut q = FnSlice(|v: &[f64]| v.iter().map(|a| a * a).sum::<f64>());
    assert_eq!(
        ls.refine(&mut q, &b3, &mut x3, &mut f3, &mut [], 100),
        Err(Error::LengthMismatch)
    );
    assert_eq!((x3, f3), ([0.1, 0.2, 0.3], 1.0));
    let mut xo = [6.0, 0.0];
    let mut fo = 1.0;
    assert_eq!(
        ls.refine(&mut q, &b, &mut xo, &mut fo, &mut [], 100),
        Err(Error::NonFiniteInput)
    );
    assert_eq!((xo, fo), ([6.0, 0.0], 1.0));
}

/// Basin hopping (the configuration of tests/global_hopping.rs) with either polish, seeds
/// 0..50, 20 000 evaluations, success f − f* < 1e-6: (successes, mean evaluations to success).
fn hopping<O: Objective<f64, 2> + Copy, L: LocalSearch<f64>>(
    obj: O,
    mut local: impl FnMut() -> L,
    lo: [f64; 2],
    hi: [f64; 2],
    f_star: f64,
) -> (usize, f64) {
    use lossmap::global::{BasinHopper, Budget, HoppingConfig};
    use rand_core::SeedableRng;
    let b = Bounds::new(&lo, &hi).unwrap();
    let cfg = HoppingConfig {
        budget: Budget {
            max_evals: 20_000,
            f_target: f_star + 1e-6,
            ..Budget::default()
        },
        interval: 10,
        ..HoppingConfig::default()
    };
    let (mut ok, mut evals) = (0, 0);
    for seed in 0..50 {
        let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(seed);
        let mut x = [0.0; 2];
        b.sample(&mut rng, &mut x).unwrap();
        let mut o = obj;
        let mut h = BasinHopper::<f64, 2>::new(cfg).unwrap();
        let r = h.run(&mut o, &mut local(), &b, &mut rng, &mut x).unwrap();
        assert!(b.contains(&x) && r.evals() <= 20_000 + 4);
        if r.best_loss - f_star < 1e-6 {
            ok += 1;
            evals += r.evals();
        }
    }
    (ok, evals as f64 / ok.max(1) as f64)
}

#[test]
fn basin_hopping_with_either_polish() {
    use lossmap::testfn::{Rastrigin, SixHumpCamel, StyblinskiTang};
    let cases: [(&str, f64, [f64; 2], [f64; 2]); 3] = [
        ("rastrigin", 0.0, [-5.12; 2], [5.12; 2]),
        (
            "six-hump camel",
            -1.031628453489877,
            [-3.0, -2.0],
            [3.0, 2.0],
        ),
        ("styblinski-tang", -78.33233140754284, [-5.0; 2], [5.0; 2]),
    ];
    for (name, f_star, lo, hi) in cases {
        let (pg, lb) = match name {
            "rastrigin" => (
                hopping(Rastrigin::<2>, ProjectedGradient::default, lo, hi, f_star),
                hopping(
                    Rastrigin::<2>,
                    ProjectedLbfgs::<f64, 2, 10>::default,
                    lo,
                    hi,
                    f_star,
                ),
            ),
            "six-hump camel" => (
                hopping(SixHumpCamel, ProjectedGradient::default, lo, hi, f_star),
                hopping(
                    SixHumpCamel,
                    ProjectedLbfgs::<f64, 2, 10>::default,
                    lo,
                    hi,
                    f_star,
                ),
            ),
            _ => (
                hopping(
                    StyblinskiTang::<2>,
                    ProjectedGradient::default,
                    lo,
                    hi,
                    f_star,
                ),
                hopping(
                    StyblinskiTang::<2>,
                    ProjectedLbfgs::<f64, 2, 10>::default,
                    lo,
                    hi,
                    f_star,
                ),
            ),
        };
        println!(
            "basin hopping, {name}: projected gradient {}/50, {:.0} evals; projected L-BFGS {}/50, {:.0} evals",
            pg.0, pg.1, lb.0, lb.1
        );
        assert!(lb.0 + 2 >= pg.0, "{name}: {lb:?} vs {pg:?}");
    }
}
