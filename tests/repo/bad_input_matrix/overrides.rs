//! The per-function exceptions of the matrix, kept as small as possible: setups that need a
//! specific valid input, what the documentation allows beyond the generic rules, and
//! (commented) cases excluded from the judgment.
//!
//! Setup snippets are C statements run after the generic setup; `p_<name>` is the argument
//! slot of parameter `<name>`, `{S}` is `f32`/`f64` and `{T}` `float`/`double`.

/// Extra setup statements for the function `stem` (name without `_f32`/`_f64`).
pub fn setup(stem: &str) -> &'static str {
    match stem {
        // A batch of 2 of the 4 samples for one epoch (the struct has no default constructor).
        "lossmap_minimize_stochastic" => {
            "p_config->p = sbuf(sizeof(struct lossmap_stochastic_config)); \
             ((struct lossmap_stochastic_config *)p_config->p)->batch = 2; \
             ((struct lossmap_stochastic_config *)p_config->p)->epochs = 1;"
        }
        // The same, and a linear ramp from half the samples over 2 epochs (no default
        // constructor either).
        "lossmap_minimize_curriculum" => {
            "p_config->p = sbuf(sizeof(struct lossmap_stochastic_config)); \
             ((struct lossmap_stochastic_config *)p_config->p)->batch = 2; \
             ((struct lossmap_stochastic_config *)p_config->p)->epochs = 1; \
             p_pacing->p = sbuf(sizeof(struct lossmap_pacing_{S})); \
             { struct lossmap_pacing_{S} *c = p_pacing->p; c->start = 0.5; c->ramp_epochs = 2; \
               c->p = 1; }"
        }
        // A full-rank design: x = [[0.25, 1], [0.5, 0], [1, 0.5]] (m = 3 rows, d = 2).
        "lossmap_least_squares" => {
            "{ {T} *x = p_x->p; x[0] = 0.25; x[1] = 1; x[2] = 0.5; x[3] = 0; x[4] = 1; x[5] = 0.5; }"
        }
        // A plateau schedule: the kind that reads `loss` (the generic setup builds a constant
        // one, which ignores it).
        "lossmap_schedule_lr" => {
            "{ struct lossmap_plateau_config_{S} c = lossmap_schedule_plateau_config_default_{S}(); \
               lossmap_schedule_plateau_init_{S}(p_s->p, &c); }"
        }
        // A PI schedule: the kind that reads the observation (the others ignore it).
        "lossmap_schedule_observe" => {
            "{ struct lossmap_pi_config_{S} c = lossmap_schedule_pi_config_default_{S}(); \
               lossmap_schedule_pi_init_{S}(p_s->p, &c); }"
        }
        // One group of both coordinates, so that `groups` is read (ignored with `ngroups` = 0).
        "lossmap_filter_normalize" => "p_ngroups->z = 1; ((size_t *)p_groups->p)[0] = 2;",
        // A triangular cycle of 4 + 4 steps with cycle momentum (no default constructor: torch's
        // CyclicLR defaults but short steps); the custom-scale form ignores `mode`.
        "lossmap_schedule_cyclic_ex_init" | "lossmap_schedule_cyclic_fn_init" => {
            "p_config->p = sbuf(sizeof(struct lossmap_schedule_cyclic_{S})); \
             { struct lossmap_schedule_cyclic_{S} *c = p_config->p; c->base_lr = 0.001; \
               c->max_lr = 0.006; c->step_size_up = 4; c->step_size_down = 4; \
               c->mode = LOSSMAP_CYCLIC_TRIANGULAR; c->gamma = 1; \
               c->scale_mode = LOSSMAP_CYCLIC_SCALE_CYCLE; c->cycle_momentum = 1; \
               c->base_momentum = 0.8; c->max_momentum = 0.9; }"
        }
        // torch's OneCycleLR defaults over 100 steps, cycle momentum on.
        "lossmap_schedule_one_cycle_ex_init" => {
            "p_config->p = sbuf(sizeof(struct lossmap_schedule_one_cycle_{S})); \
             { struct lossmap_schedule_one_cycle_{S} *c = p_config->p; c->max_lr = 0.1; \
               c->total_steps = 100; c->pct_start = 0.3; c->div_factor = 25; \
               c->final_div_factor = 1e4; c->three_phase = 0; \
               c->anneal_strategy = LOSSMAP_ANNEAL_COS; c->cycle_momentum = 1; \
               c->base_momentum = 0.85; c->max_momentum = 0.95; }"
        }
        // The momentum is asked of a cyclic schedule that cycles it.
        "lossmap_schedule_momentum" => {
            "{ struct lossmap_schedule_cyclic_{S} c = { 0 }; c.base_lr = 0.001; c.max_lr = 0.006; \
               c.step_size_up = 4; c.step_size_down = 4; c.mode = LOSSMAP_CYCLIC_TRIANGULAR; \
               c.gamma = 1; c.scale_mode = LOSSMAP_CYCLIC_SCALE_CYCLE; c.cycle_momentum = 1; \
               c.base_momentum = 0.8; c.max_momentum = 0.9; \
               lossmap_schedule_cyclic_ex_init_{S}(p_s->p, &c); }"
        }
        // A population scratch for CMA-ES's default population 4 + ⌊3 ln 2⌋ = 6.
        "lossmap_cmaes" => "p_lambda_max->z = 6;",
        // A population of 5, differential evolution's smallest (the generic size of `p` is 4).
        "lossmap_differential_evolution" => "p_p->z = 5;",
        // Fractional epochs are asked of a warm-restarts schedule.
        "lossmap_schedule_lr_at" => "lossmap_schedule_cosine_restarts_init_{S}(p_s->p, 0.1, 10, 2, 0.0);",
        // A flat run of one eigenvalue inside the `n` values.
        "lossmap_pin_weight" => "p_start->z = 0; p_count->z = 1;",
        _ => "",
    }
}

/// The optimizers behind `int32_t kind` + `void *opt`: the matrix runs such a function once per
/// optimizer (`LOSSMAP_OPTIMIZER_*` code, instance struct without `_f32`/`_f64`), each built by
/// its init function with the default configuration.
pub fn optimizer_variants(stem: &str) -> &'static [(&'static str, &'static str)] {
    const ALL: &[(&str, &str)] = &[
        ("LOSSMAP_OPTIMIZER_SGD", "lossmap_sgd"),
        ("LOSSMAP_OPTIMIZER_ADAGRAD", "lossmap_adagrad"),
        ("LOSSMAP_OPTIMIZER_RMSPROP", "lossmap_rmsprop"),
        ("LOSSMAP_OPTIMIZER_ADAM", "lossmap_adam"),
        ("LOSSMAP_OPTIMIZER_ADAMW", "lossmap_adamw"),
    ];
    match stem {
        "lossmap_minimize_ex"
        | "lossmap_minimize_stochastic"
        | "lossmap_minimize_curriculum"
        | "lossmap_sam_step" => ALL,
        _ => &[],
    }
}

/// Pointer parameters the documentation lets be NULL in words the generic reading of the doc
/// comment does not catch.
pub fn optional(stem: &str, param: &str) -> bool {
    // "`buf` … may be NULL when `config.momentum == 0`" (the default) is in the struct's doc.
    matches!((stem, param), ("lossmap_sgd_init", "buf"))
}

/// Float inputs the documentation lets be ±Inf (NaN must still be rejected).
pub fn inf_ok(stem: &str, param: &str) -> bool {
    match (stem, param) {
        // "`f_target` (not NaN; −∞ … turns it off)": +∞ stops at once, −∞ never.
        (_, p) if p.ends_with("f_target") => true,
        // "entries may be ±INFINITY" (the bounds of Levenberg–Marquardt and Gauss–Newton).
        ("lossmap_levenberg_marquardt" | "lossmap_gauss_newton", "lower" | "upper") => true,
        _ => false,
    }
}

/// Fields of a struct input that the function reads. A `lossmap_schedule_*` holds one member
/// per kind, and only the one its `kind` names is read: NaN in another kind's member is no input.
pub fn field_in_use(stem: &str, path: &str) -> bool {
    match stem {
        // The setup makes it a warm-restarts schedule.
        "lossmap_schedule_lr_at" => path.starts_with("cosine_restarts.") || path == "kind",
        _ => true,
    }
}

/// Output buffers documented to hold the callback's values as they are (NaN/Inf included).
pub fn raw_output(stem: &str, param: &str) -> bool {
    matches!(
        (stem, param),
        // "values of `f` are stored as they are and counted in `*nonfinite`".
        ("lossmap_slice_1d" | "lossmap_slice_2d", "out")
        // "`losses[k]` receives its loss (NaN for a row not run or whose loss is not finite)".
        | ("lossmap_multistart", "losses")
        // "When no sample fails, … `witness`, `direction`, `*curvature` are left unchanged".
        | ("lossmap_convex_over_box", "witness" | "direction" | "curvature")
    )
}

/// Functions documented to survive a failing callback (a non-finite loss is a rejected
/// proposal or an unrun start): OK with finite outputs is right for them.
pub fn tolerates_callback_failure(stem: &str) -> bool {
    matches!(
        stem,
        "lossmap_multistart"
            | "lossmap_hopping"
            | "lossmap_anneal"
            | "lossmap_genetic"
            | "lossmap_differential_evolution"
            | "lossmap_dual_annealing"
            | "lossmap_mlsl"
            | "lossmap_cmaes"
            | "lossmap_replica_exchange"
            // "a start whose loss, gradient or Hessian is NaN/Inf counts in `report->failed`".
            | "lossmap_census"
            | "lossmap_slice_1d"
            | "lossmap_slice_2d"
            // "A non-finite loss at a trial step makes the step smaller (a barrier crossed)":
            // only a non-finite loss at `x`, or at every step tried, is an error.
            | "lossmap_gradient_adaptive"
            | "lossmap_hessian_adaptive"
            | "lossmap_directional_adaptive"
            | "lossmap_gradient_adaptive_ex"
            | "lossmap_hessian_adaptive_ex"
            | "lossmap_directional_adaptive_ex"
            // "A step at which the gradient fails or is not finite moves the window to
            // smaller steps": only a line with no usable window is an error.
            | "lossmap_hessian_from_gradient_adaptive"
            | "lossmap_hvp_adaptive"
            | "lossmap_hessian_from_gradient_adaptive_ex"
            | "lossmap_hvp_adaptive_ex"
    )
}

/// Cases excluded from the judgment, as `category:detail` (comma-separated), each with the
/// documented rule that makes the matrix's strict expectation wrong for it.
pub fn skip(stem: &str) -> &'static str {
    match stem {
        // Documented exception: finite features of ±1e30 (f32) / ±1e300 (f64) overflow the
        // normal equations' sums. That is a computation on valid input failing, which the
        // README's C section allows to leave intermediate values in `work` (`theta` is
        // untouched); the code is LOSSMAP_ERR_NON_FINITE, as `Error::NonFiniteInput` documents
        // for a pure computation whose result is beyond the type's range.
        "lossmap_least_squares" => "extreme:x=huge,extreme:x=-huge",
        // Documented: `k` = 0 directions (nothing flat) is a valid pin of nothing, penalty 0
        // and `h` unchanged (`dirs` may then be NULL).
        "lossmap_pin_penalty" | "lossmap_pin_hessian" => "size:k=0",
        // Documented rule: "a non-finite `loss_after` is a blown-up step: the PI kind cuts its
        // rate" (an overflowing step is what the controller must react to, with LOSSMAP_OK).
        "lossmap_schedule_observe" => {
            "nonfinite:obs.loss_after=nan,nonfinite:obs.loss_after=+inf,\
             nonfinite:obs.loss_after=-inf"
        }
        _ => "",
    }
}

/// Entry points whose valid baseline call the matrix cannot build, with the reason (none
/// today). Any other function whose baseline is not OK fails the test: give it a [`setup`]
/// override or list it here.
pub const NOT_COVERED: &[(&str, &str)] = &[];
