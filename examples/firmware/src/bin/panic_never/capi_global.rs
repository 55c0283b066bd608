//! The C ABI of global exploration (`lossmap_multistart_*`, `lossmap_hopping_*`, `lossmap_anneal_*`,
//! `lossmap_perturbed_gd_*`, `lossmap_genetic_*`, `lossmap_replica_exchange_*`, `lossmap_uniform_starts_*`,
//! `lossmap_differential_evolution_*`, `lossmap_dual_annealing_*`, `lossmap_latin_hypercube_*`,
//! `lossmap_cmaes_*`, `lossmap_mlsl_*`, the polish struct, the defaults, work lengths and constants), every pointer
//! and size opaque.

use super::{input, out};
use core::ffi::c_void;
use lossmap::capi::*;
use lossmap::Real;

/// A C loss callback written in Rust: Σ xᵢ² − cos xᵢ, NaN for a null `x`.
pub unsafe extern "C" fn bowl<T: Real>(x: *const T, n: usize, _: *mut c_void) -> T {
    if x.is_null() {
        return T::NAN_R;
    }
    // SAFETY: lossmap passes `n` valid values at `x`.
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    x.iter().fold(T::ZERO, |s, &v| s + v * v - v.cos())
}

pub fn exercise() {
    out(lossmap_search_stop_name(input(3)));
    out((
        LOSSMAP_SEARCH_MAX_EVALS,
        LOSSMAP_SEARCH_TARGET,
        LOSSMAP_SEARCH_STAGNATION,
        LOSSMAP_SEARCH_MAX_ITER,
    ));
    out((LOSSMAP_SEARCH_CONVERGED, LOSSMAP_SEARCH_COMPLETED));
    out((
        LOSSMAP_COOLING_GEOMETRIC,
        LOSSMAP_COOLING_LOGARITHMIC,
        LOSSMAP_COOLING_ADAPTIVE,
    ));
    out((LOSSMAP_PROPOSAL_GAUSSIAN, LOSSMAP_PROPOSAL_CAUCHY));
    out((LOSSMAP_BOUNDARY_CLIP, LOSSMAP_BOUNDARY_REFLECT));
    out((
        LOSSMAP_CROSSOVER_BLX,
        LOSSMAP_CROSSOVER_ARITHMETIC,
        LOSSMAP_POINT_UNCLASSIFIED,
    ));
    let n = input(usize::MAX);
    out(lossmap_multistart_work_len(n, input(1)));
    out(lossmap_hopping_work_len(n));
    out(lossmap_anneal_work_len(n));
    out(lossmap_perturbed_gd_work_len(n));
    out(lossmap_genetic_work_len(n));
    out(lossmap_replica_exchange_work_len(n));
    out(lossmap_differential_evolution_work_len(n));
    out(lossmap_dual_annealing_work_len(n));
    out(lossmap_mlsl_work_len(n));
    out(lossmap_mlsl_store_len(n, input(8)));
    out((LOSSMAP_DE_BEST1BIN, LOSSMAP_DE_RAND1BIN));
    out(lossmap_cmaes_work_len(n, input(6)));
    out(lossmap_polish_len(input(2), n, input(10)));
    out((
        LOSSMAP_POLISH_NONE,
        LOSSMAP_POLISH_PROJECTED_GRADIENT,
        LOSSMAP_POLISH_LBFGS,
    ));
    f32_api::exercise();
    f64_api::exercise();
}

/// `$m::exercise()` calls every `_f32` or `_f64` entry point, imported under short names.
macro_rules! per_type {
    ($m:ident, $t:ty, { $($long:ident as $short:ident,)* }) => {
        mod $m {
            use super::super::{input, out, reals};
            use super::bowl;
            use lossmap::capi::{$($long as $short,)* LossmapSearchReport};
            use lossmap::global::{AnnealingState, HoppingState};
            use lossmap::landscape::Tolerance;
            use lossmap::random::SplitMix64;
            use lossmap::Real;
            use core::mem::MaybeUninit;
            use core::ptr::null_mut;

            type T = $t;
            /// Scratch for any call here: CMA-ES's `3n² + 11n + 6(n + 1)` = 52 and the L-BFGS
            /// polish's `2mn + 2m + 5n` = 28 (m = 3) after it.
            const WORK: usize = 96;

            pub fn exercise() {
                let lo: [T; 2] = reals([-2.0, -2.0]);
                let hi: [T; 2] = reals([2.0, 2.0]);
                let n = input(2usize);
                let mut rng = SplitMix64::new(input(7));
                let mut pg = polish_default();
                pg.kind = input(2);
                pg.lbfgs.memory = input(3);
                out(projected_gradient_default());
                let polish = input(&pg as *const _);
                let mut b = budget_default();
                b.max_evals = input(300);
                let tol = Tolerance::<T>::default();
                let f = Some(bowl::<T> as unsafe extern "C" fn(*const T, usize, *mut _) -> T);
                let mut work = [T::ZERO; WORK];
                let mut best = [T::ZERO; 2];
                // SAFETY: every pointer is valid for the lengths passed (the sizes and pointers
                // are opaque only to the optimizer).
                unsafe {
                    let mut starts = [T::ZERO; 8];
                    let k = input(4usize);
                    out(uniform_starts(lo.as_ptr(), hi.as_ptr(), n, &mut rng, starts.as_mut_ptr(), k));
                    let (mut losses, mut kinds) = ([T::ZERO; 4], [0i32; 4]);
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(multistart(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &b,
                        polish,
                        starts.as_mut_ptr(),
                        k,
                        losses.as_mut_ptr(),
                        best.as_mut_ptr(),
                        input(kinds.as_mut_ptr()),
                        input(&tol as *const _),
                        work.as_mut_ptr(),
                        input(r.as_mut_ptr()),
                    ));
                    out((starts, losses, kinds, best, r));

                    let mut hc = hopping_config_default();
                    hc.budget = b;
                    let mut hs = MaybeUninit::<HoppingState<T>>::uninit();
                    let mut x: [T; 2] = reals([1.5, -1.0]);
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(hopping(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &hc,
                        polish,
                        input(hs.as_mut_ptr()),
                        &mut rng,
                        x.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, hs, r));

                    let mut ac = annealing_config_default();
                    ac.budget = b;
                    ac.cooling = input(2);
                    ac.proposal = input(1);
                    ac.boundary = input(0);
                    let mut st = MaybeUninit::<AnnealingState<T>>::uninit();
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(anneal(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &ac,
                        polish,
                        input(st.as_mut_ptr()),
                        &mut rng,
                        x.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, st, r));

                    let mut pc = perturbed_config_default();
                    pc.budget = b;
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(perturbed_gd(
                        f,
                        null_mut(),
                        x.as_mut_ptr(),
                        n,
                        &pc,
                        &mut rng,
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, r));

                    let mut gc = genetic_config_default();
                    gc.budget = b;
                    gc.crossover = input(1);
                    let p = input(4usize);
                    let (mut pop, mut next) = ([T::ZERO; 8], [T::ZERO; 8]);
                    let (mut fit, mut next_fit) = ([T::ZERO; 4], [T::ZERO; 4]);
                    out(uniform_starts(lo.as_ptr(), hi.as_ptr(), n, &mut rng, pop.as_mut_ptr(), p));
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(genetic(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &gc,
                        polish,
                        &mut rng,
                        pop.as_mut_ptr(),
                        p,
                        fit.as_mut_ptr(),
                        next.as_mut_ptr(),
                        next_fit.as_mut_ptr(),
                        best.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((pop, fit, best, r));

                    let mut rc = replica_config_default();
                    rc.budget = b;
                    rc.boundary = input(0);
                    let reps = input(3usize);
                    let mut xs = [T::ZERO; 6];
                    let (mut energies, mut temps) = ([T::ZERO; 3], [T::ZERO; 3]);
                    let (mut attempts, mut accepts) = ([0usize; 2], [0usize; 2]);
                    out(uniform_starts(lo.as_ptr(), hi.as_ptr(), n, &mut rng, xs.as_mut_ptr(), reps));
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(replica_exchange(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &rc,
                        polish,
                        &mut rng,
                        xs.as_mut_ptr(),
                        reps,
                        energies.as_mut_ptr(),
                        temps.as_mut_ptr(),
                        attempts.as_mut_ptr(),
                        accepts.as_mut_ptr(),
                        best.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((xs, energies, temps, attempts, accepts, best, r));

                    let mut dc = de_config_default();
                    dc.budget = b;
                    dc.strategy = input(1);
                    let dp = input(5usize);
                    let mut dpop = [T::ZERO; 10];
                    let mut dfit = [T::ZERO; 5];
                    out(latin_hypercube(lo.as_ptr(), hi.as_ptr(), n, &mut rng, dpop.as_mut_ptr(), dp));
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(differential_evolution(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &dc,
                        polish,
                        &mut rng,
                        dpop.as_mut_ptr(),
                        dp,
                        dfit.as_mut_ptr(),
                        best.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((dpop, dfit, best, r));

                    let mut dac = da_config_default();
                    dac.budget = b;
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(dual_annealing(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &dac,
                        polish,
                        &mut rng,
                        x.as_mut_ptr(),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, r));

                    let mut cc = cmaes_config_default();
                    cc.budget = b;
                    cc.restarts = input(1);
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(cmaes(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &cc,
                        polish,
                        &mut rng,
                        x.as_mut_ptr(),
                        input(6),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, r));

                    let mut mc = mlsl_config_default();
                    mc.budget = b;
                    let mut store = [T::ZERO; 72];
                    let mut r = MaybeUninit::<LossmapSearchReport<T>>::uninit();
                    out(mlsl(
                        f,
                        null_mut(),
                        lo.as_ptr(),
                        hi.as_ptr(),
                        n,
                        &mc,
                        polish,
                        &mut rng,
                        x.as_mut_ptr(),
                        store.as_mut_ptr(),
                        input(8usize),
                        work.as_mut_ptr(),
                        r.as_mut_ptr(),
                    ));
                    out((x, store, r));
                }
                out((work, rng, T::NAME));
            }
        }
    };
}

per_type!(f32_api, f32, {
    lossmap_budget_default_f32 as budget_default,
    lossmap_projected_gradient_default_f32 as projected_gradient_default,
    lossmap_hopping_config_default_f32 as hopping_config_default,
    lossmap_annealing_config_default_f32 as annealing_config_default,
    lossmap_perturbed_config_default_f32 as perturbed_config_default,
    lossmap_genetic_config_default_f32 as genetic_config_default,
    lossmap_replica_config_default_f32 as replica_config_default,
    lossmap_uniform_starts_f32 as uniform_starts,
    lossmap_multistart_f32 as multistart,
    lossmap_hopping_f32 as hopping,
    lossmap_anneal_f32 as anneal,
    lossmap_perturbed_gd_f32 as perturbed_gd,
    lossmap_genetic_f32 as genetic,
    lossmap_replica_exchange_f32 as replica_exchange,
    lossmap_differential_evolution_config_default_f32 as de_config_default,
    lossmap_dual_annealing_config_default_f32 as da_config_default,
    lossmap_latin_hypercube_f32 as latin_hypercube,
    lossmap_differential_evolution_f32 as differential_evolution,
    lossmap_dual_annealing_f32 as dual_annealing,
    lossmap_polish_default_f32 as polish_default,
    lossmap_cmaes_config_default_f32 as cmaes_config_default,
    lossmap_cmaes_f32 as cmaes,
    lossmap_mlsl_config_default_f32 as mlsl_config_default,
    lossmap_mlsl_f32 as mlsl,
});

per_type!(f64_api, f64, {
    lossmap_budget_default_f64 as budget_default,
    lossmap_projected_gradient_default_f64 as projected_gradient_default,
    lossmap_hopping_config_default_f64 as hopping_config_default,
    lossmap_annealing_config_default_f64 as annealing_config_default,
    lossmap_perturbed_config_default_f64 as perturbed_config_default,
    lossmap_genetic_config_default_f64 as genetic_config_default,
    lossmap_replica_config_default_f64 as replica_config_default,
    lossmap_uniform_starts_f64 as uniform_starts,
    lossmap_multistart_f64 as multistart,
    lossmap_hopping_f64 as hopping,
    lossmap_anneal_f64 as anneal,
    lossmap_perturbed_gd_f64 as perturbed_gd,
    lossmap_genetic_f64 as genetic,
    lossmap_replica_exchange_f64 as replica_exchange,
    lossmap_differential_evolution_config_default_f64 as de_config_default,
    lossmap_dual_annealing_config_default_f64 as da_config_default,
    lossmap_latin_hypercube_f64 as latin_hypercube,
    lossmap_differential_evolution_f64 as differential_evolution,
    lossmap_dual_annealing_f64 as dual_annealing,
    lossmap_polish_default_f64 as polish_default,
    lossmap_cmaes_config_default_f64 as cmaes_config_default,
    lossmap_cmaes_f64 as cmaes,
    lossmap_mlsl_config_default_f64 as mlsl_config_default,
    lossmap_mlsl_f64 as mlsl,
});
