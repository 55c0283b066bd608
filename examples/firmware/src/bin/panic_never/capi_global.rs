//! The C ABI of global exploration (`basin_multistart_*`, `basin_hopping_*`, `basin_anneal_*`,
//! `basin_perturbed_gd_*`, `basin_genetic_*`, `basin_replica_exchange_*`, `basin_uniform_starts_*`,
//! the defaults, work lengths and constants), every pointer and size opaque.

use super::{input, out};
use basin::capi::*;
use basin::Real;
use core::ffi::c_void;

/// A C loss callback written in Rust: Σ xᵢ² − cos xᵢ, NaN for a null `x`.
pub unsafe extern "C" fn bowl<T: Real>(x: *const T, n: usize, _: *mut c_void) -> T {
    if x.is_null() {
        return T::NAN_R;
    }
    // SAFETY: basin passes `n` valid values at `x`.
    let x = unsafe { core::slice::from_raw_parts(x, n) };
    x.iter().fold(T::ZERO, |s, &v| s + v * v - v.cos())
}

pub fn exercise() {
    out(basin_search_stop_name(input(3)));
    out((
        BASIN_SEARCH_MAX_EVALS,
        BASIN_SEARCH_TARGET,
        BASIN_SEARCH_STAGNATION,
        BASIN_SEARCH_MAX_ITER,
    ));
    out((BASIN_SEARCH_CONVERGED, BASIN_SEARCH_COMPLETED));
    out((
        BASIN_COOLING_GEOMETRIC,
        BASIN_COOLING_LOGARITHMIC,
        BASIN_COOLING_ADAPTIVE,
    ));
    out((BASIN_PROPOSAL_GAUSSIAN, BASIN_PROPOSAL_CAUCHY));
    out((BASIN_BOUNDARY_CLIP, BASIN_BOUNDARY_REFLECT));
    out((
        BASIN_CROSSOVER_BLX,
        BASIN_CROSSOVER_ARITHMETIC,
        BASIN_POINT_UNCLASSIFIED,
    ));
    let n = input(usize::MAX);
    out(basin_multistart_work_len(n, input(1)));
    out(basin_hopping_work_len(n));
    out(basin_anneal_work_len(n));
    out(basin_perturbed_work_len(n));
    out(basin_genetic_work_len(n));
    out(basin_replica_work_len(n));
    f32_api::exercise();
    f64_api::exercise();
}

/// `$m::exercise()` calls every `_f32` or `_f64` entry point, imported under short names.
macro_rules! per_type {
    ($m:ident, $t:ty, { $($long:ident as $short:ident,)* }) => {
        mod $m {
            use super::super::{input, out, reals};
            use super::bowl;
            use basin::capi::{$($long as $short,)* BasinSearchReport};
            use basin::global::{AnnealingState, HoppingState};
            use basin::landscape::Tolerance;
            use basin::random::SplitMix64;
            use basin::Real;
            use core::mem::MaybeUninit;
            use core::ptr::null_mut;

            type T = $t;
            /// Scratch for any call here: `3n² + 3n` = 18 for the classifying multi-start.
            const WORK: usize = 18;

            pub fn exercise() {
                let lo: [T; 2] = reals([-2.0, -2.0]);
                let hi: [T; 2] = reals([2.0, 2.0]);
                let n = input(2usize);
                let mut rng = SplitMix64::new(input(7));
                let pg = projected_gradient_default();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                    let mut r = MaybeUninit::<BasinSearchReport<T>>::uninit();
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
                }
                out((work, rng, T::NAME));
            }
        }
    };
}

per_type!(f32_api, f32, {
    basin_budget_default_f32 as budget_default,
    basin_projected_gradient_default_f32 as projected_gradient_default,
    basin_hopping_config_default_f32 as hopping_config_default,
    basin_annealing_config_default_f32 as annealing_config_default,
    basin_perturbed_config_default_f32 as perturbed_config_default,
    basin_genetic_config_default_f32 as genetic_config_default,
    basin_replica_config_default_f32 as replica_config_default,
    basin_uniform_starts_f32 as uniform_starts,
    basin_multistart_f32 as multistart,
    basin_hopping_f32 as hopping,
    basin_anneal_f32 as anneal,
    basin_perturbed_gd_f32 as perturbed_gd,
    basin_genetic_f32 as genetic,
    basin_replica_exchange_f32 as replica_exchange,
});

per_type!(f64_api, f64, {
    basin_budget_default_f64 as budget_default,
    basin_projected_gradient_default_f64 as projected_gradient_default,
    basin_hopping_config_default_f64 as hopping_config_default,
    basin_annealing_config_default_f64 as annealing_config_default,
    basin_perturbed_config_default_f64 as perturbed_config_default,
    basin_genetic_config_default_f64 as genetic_config_default,
    basin_replica_config_default_f64 as replica_config_default,
    basin_uniform_starts_f64 as uniform_starts,
    basin_multistart_f64 as multistart,
    basin_hopping_f64 as hopping,
    basin_anneal_f64 as anneal,
    basin_perturbed_gd_f64 as perturbed_gd,
    basin_genetic_f64 as genetic,
    basin_replica_exchange_f64 as replica_exchange,
});
