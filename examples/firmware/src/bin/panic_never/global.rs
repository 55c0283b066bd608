//! `lossmap::global`: every typed search (`run`, `run_uniform`, `run_population`-free paths),
//! every slice kernel with opaque lengths, the local searches and the report types, for f32 and
//! f64 and several sizes.

use super::{input, out, rng};
use lossmap::global::*;
use lossmap::landscape::Tolerance;
use lossmap::optim::{Adam, AdamConfig, Stop};
use lossmap::testfn::Rastrigin;
use lossmap::Real;

pub fn exercise() {
    typed::<f32, 2>();
    typed::<f64, 3>();
    typed::<f32, 8>();
    slices::<f32>();
    slices::<f64>();
}

fn typed<T: Real, const N: usize>() {
    let lo = input([T::from_f64(-5.0); N]);
    let hi = input([T::from_f64(5.0); N]);
    let Ok(b) = Bounds::new(&lo, &hi) else { return };
    let mut rng = rng();
    let mut x = input([T::from_f64(1.0); N]);
    let budget = Budget {
        max_evals: input(500),
        max_iter: input(1000),
        f_target: input(T::from_f64(-1.0)),
    };
    let mut pg = input(ProjectedGradient::<T>::default());
    let Ok(mut adam) = Adam::<T, N>::new(input(AdamConfig::default())) else {
        return;
    };
    let mut polish = Polish {
        opt: &mut adam,
        stop: input(Stop::default()),
    };
    if let Ok(mut s) = Annealer::<T, N>::new(input(AnnealingConfig {
        budget,
        ..AnnealingConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.run(&mut Rastrigin, &mut polish, &b, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = BasinHopper::<T, N>::new(input(HoppingConfig {
        budget,
        ..HoppingConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.run(&mut Rastrigin, &mut NoPolish, &b, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = Genetic::<T, N, 5>::new(input(GeneticConfig {
        budget,
        ..GeneticConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.run(&mut Rastrigin, &mut polish, &b, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = DifferentialEvolution::<T, N, 6>::new(input(DifferentialEvolutionConfig {
        budget,
        strategy: input(DE_RAND1BIN),
        ..DifferentialEvolutionConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.run(&mut Rastrigin, &mut polish, &b, &mut rng, &mut x));
        let mut lbfgs = input(ProjectedLbfgs::<T, N, 4>::default());
        out(s.run(&mut Rastrigin, &mut lbfgs, &b, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = DualAnnealing::<T, N>::new(input(DualAnnealingConfig {
        budget,
        ..DualAnnealingConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.run(&mut Rastrigin, &mut NoPolish, &b, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = Mlsl::<T, N, 16>::new(input(MlslConfig {
        budget,
        ..MlslConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        let mut lbfgs = input(ProjectedLbfgs::<T, N, 4>::default());
        out(s.run(&mut Rastrigin, &mut lbfgs, &b, &mut rng, &mut x));
        out(s);
    }
    out(mlsl_store_len(input(N), input(16)));
    if let Ok(mut s) = Cmaes::<T, N, 12>::new(input(CmaesConfig {
        budget,
        restarts: input(2),
        ..CmaesConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        let mut lbfgs = input(ProjectedLbfgs::<T, N, 4>::default());
        out(s.run(&mut Rastrigin, &mut lbfgs, &b, &mut rng, &mut x));
        out(s.mean());
        out(s);
    }
    out(CmaesParams::new(input(N), input(7)).map(|p| (p.weight(input(2)), p.eigen_interval(N))));
    out(default_lambda(input(N)));
    if let Ok(d) = VisitingDistribution::new(input(T::from_f64(2.62))) {
        out(d.sample(&mut rng, input(T::from_f64(10.0))));
        out(d.sigma(input(T::ONE)));
    }
    out(dual_annealing_temperature(
        input(T::from_f64(5230.0)),
        input(T::from_f64(2.62)),
        input(7),
    ));
    if let Ok(mut s) = ReplicaExchange::<T, N, 3>::new(input(ReplicaConfig {
        budget,
        ..ReplicaConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut pg, &b, &mut rng, &mut x));
        out(s.swap_rate(input(1)));
        out(s);
    }
    if let Ok(mut s) = PerturbedGd::<T, N>::new(input(PerturbedConfig {
        budget,
        ..PerturbedConfig::default()
    })) {
        out(s.run(&mut Rastrigin, &mut rng, &mut x));
        out(s);
    }
    if let Ok(mut s) = MultiStart::<T, N, 3>::new(budget) {
        out(s.run_uniform(
            &mut Rastrigin,
            &mut pg,
            &b,
            &mut rng,
            &input(Tolerance::default()),
        ));
        let r = s.run(
            &mut Rastrigin,
            &mut polish,
            &b,
            &input([x; 3]),
            &input(Tolerance::default()),
        );
        if let Ok(r) = &r {
            if let Ok(minima) = r.minima(T::from_f64(input(1e-3))) {
                out((
                    minima.len(),
                    minima.first().copied(),
                    minima == core::hint::black_box(minima.clone()),
                ));
            }
        }
        out(r);
    }
    out(uniform_starts::<T, _, N, 4>(&b, &mut rng));
    out(x);
}

fn slices<T: Real>() {
    // Opaque lengths and contents.
    let mut buf = input([T::from_f64(0.5); 64]);
    let n: usize = input(2);
    let r: usize = input(3);
    let lo = input([T::from_f64(-1.0); 4]);
    let hi = input([T::from_f64(1.0); 4]);
    let Ok(b) = Bounds::new(lo.get(..n).unwrap_or(&[]), hi.get(..n).unwrap_or(&[])) else {
        return;
    };
    let mut rng = rng();
    let mut pg = input(ProjectedGradient::<T>::default());
    let mut obj = lossmap::objective::FnSlice(|x: &[T]| x.iter().fold(T::ZERO, |s, &v| s + v * v));
    let Some((a, rest)) = buf.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((bb, rest)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((c, rest)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((d, rest)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((e, rest)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((f, rest)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let Some((g, h)) = rest.split_at_mut_checked(input(8)) else {
        return;
    };
    let mut hs = HoppingState::default();
    out(basin_hopping_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(HoppingConfig::default()),
        &mut hs,
        a,
        bb,
        c,
        d,
    ));
    let mut st = AnnealingState::default();
    out(anneal_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(AnnealingConfig::default()),
        &mut st,
        a,
        bb,
        c,
        d,
    ));
    out(genetic_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(GeneticConfig::default()),
        a,
        bb,
        c,
        d,
        e,
        f,
    ));
    let mut at = input([0usize; 4]);
    let mut ac = input([0usize; 4]);
    let Some((at1, _)) = at.split_at_mut_checked(input(2)) else {
        return;
    };
    let Some((ac1, _)) = ac.split_at_mut_checked(input(2)) else {
        return;
    };
    out(replica_exchange_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(ReplicaConfig::default()),
        a,
        bb,
        c,
        &mut ReplicaState {
            attempts: at1,
            accepts: ac1,
        },
        d,
        e,
        f,
    ));
    out(latin_hypercube(&mut rng, &b, a));
    out(differential_evolution_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(DifferentialEvolutionConfig::default()),
        a,
        bb,
        c,
        d,
        e,
    ));
    out(dual_annealing_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(DualAnnealingConfig::default()),
        a,
        bb,
        c,
        d,
    ));
    out(multistart_slice(
        &mut obj,
        &mut pg,
        &b,
        &input(Budget::default()),
        a,
        bb,
        c,
        d,
    ));
    out(mlsl_slice(
        &mut obj,
        &mut pg,
        &mut rng,
        &b,
        &input(MlslConfig::default()),
        a,
        bb,
        c,
        d,
        e,
        f,
    ));
    out(perturbed_gd_slice(
        &mut obj,
        &mut rng,
        &input(PerturbedConfig::default()),
        a,
        bb,
        c,
        d,
    ));
    out(pg.refine(&mut obj, &b, g, &mut input(T::ONE), h, input(100)));
    // CMA-ES over opaque buffers, polished by the slice L-BFGS.
    let mut cw = input([T::ZERO; 96]);
    let lam: usize = input(6);
    let len = cmaes_work_len(n, lam).unwrap_or(0);
    let Some((cw, lw)) = cw.split_at_mut_checked(input(52)) else {
        return;
    };
    if let (Some(cw), Some(ll)) = (
        cw.get_mut(..len),
        lossmap::optim::projected_lbfgs_work_len(n, input(3)),
    ) {
        if let (Ok(mut cb), Some(lw)) = (CmaesBuffers::split(cw, n, lam), lw.get_mut(..ll)) {
            if let Ok(mut l) = lossmap::optim::ProjectedLbfgsSlice::new(input(3), n, lw) {
                out(cmaes_slice(
                    &mut obj,
                    &mut l,
                    &mut rng,
                    &b,
                    &input(CmaesConfig::default()),
                    g,
                    &mut cb,
                ));
                out(l.refine(&mut obj, &b, g, &mut input(T::ONE), h, input(100)));
            }
        }
    }
    out((
        hs,
        st,
        r,
        input(SearchStop::Target).code(),
        input(SearchStop::Converged).name(),
    ));
}
