//! Writes the C program of the bad-input matrix: `runtime.c` (the case engine), then for every
//! entry point its parameter table, a setup that builds a valid call in the arena and a thunk
//! that makes the call from the generic argument slots, then `main`.

use super::header::{doc_says_optional, CFn, CParam, Header};
use super::overrides;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Functions that only build arguments (constructors, constants, names, scratch sizes): the
/// matrix uses them, it does not test them.
pub fn is_constructor(f: &CFn) -> bool {
    f.params.is_empty()
        || f.name.ends_with("_work_len")
        || f.name == "lossmap_status_message"
        || f.name == "lossmap_search_stop_name"
        || f.ret != "int32_t"
}

/// Sizes that are buffer lengths: 0 and SIZE_MAX must be rejected, two of them may overflow.
const LENGTHS: &[&str] = &[
    "n",
    "m",
    "d",
    "k",
    "images",
    "r",
    "rows",
    "cols",
    "p",
    "n_samples",
];

fn size_default(name: &str) -> &'static str {
    match name {
        "n" | "d" | "probes" | "rows" | "cols" | "samples" => "2",
        "m" | "images" | "r" => "3",
        "k" => "2",
        "p" | "n_samples" => "4",
        "ngroups" | "bias_stride" => "0",
        "max_iter" | "steps" => "5",
        "step" => "1",
        "t_0" | "step_size" | "step_size_up" | "step_size_down" => "2",
        "t_mult" => "1",
        "total_steps" => "10",
        _ => "2",
    }
}

fn float_default(name: &str) -> &'static str {
    match name {
        "lr" | "lambda" | "eta" | "step" | "sigma" | "rel" | "max_lr" => "0.1",
        "alpha" | "gamma" | "f_new" => "0.5",
        "delta" | "eps" | "eta_min" => "1e-3",
        "rho" => "0.05",
        "tol" => "1e-6",
        "base_lr" => "0.01",
        "div_factor" => "25.0",
        "final_div_factor" => "1e4",
        "pct_start" => "0.3",
        "t0" | "s0" => "0.0",
        _ => "1.0",
    }
}

fn int_default(name: &str) -> &'static str {
    match name {
        "kind" => "LOSSMAP_OPTIMIZER_ADAM",
        "seed" | "t" => "1",
        _ => "0",
    }
}

fn fill(name: &str) -> &'static str {
    match name {
        "lower" | "lo" => "fill_lower",
        "upper" | "hi" => "fill_upper",
        "x" | "w" | "starts" | "path" | "pop" | "xs" | "best" => "fill_x",
        "h" | "a" => "fill_spd",
        "scale" | "diag" | "weights" => "fill_one",
        _ => "fill_half",
    }
}

fn ifill(name: &str) -> &'static str {
    match name {
        "labels" => "ifill_label",
        "perm" => "ifill_perm",
        _ => "ifill_zero",
    }
}

fn callback_sub(ty: &str) -> Option<&'static str> {
    let t = ty.trim_start_matches("lossmap_").trim_end_matches("_fn");
    let t = t.trim_end_matches("_f32").trim_end_matches("_f64");
    Some(match t {
        "loss" => "CB_LOSS",
        "grad" => "CB_GRAD",
        "residuals" => "CB_RES",
        "jacobian" => "CB_JAC",
        "sample_loss" => "CB_SLOSS",
        "sample_grad" => "CB_SGRAD",
        "observer" => "CB_OBS",
        "stochastic_observer" => "CB_SOBS",
        "lambda" => "CB_LAMBDA",
        "scale" => "CB_SCALE",
        _ => return None,
    })
}

fn cb_fn(sub: &str, f64: bool) -> String {
    let s = if f64 { "f64" } else { "f32" };
    let base = sub.trim_start_matches("CB_").to_lowercase();
    format!("cb_{base}_{s}")
}

/// Float fields of a struct, flattened through nested structs (`config.lr`), with pointer
/// fields to caller buffers (`m`, `v`) as negative types.
/// Pointer fields that may be NULL are `-5` (float) / `-9` (double); integer fields are
/// `100 + ` their size (`104` int32_t, `105` uint32_t, `101` uint8_t, `108` size_t).
fn flat_fields(h: &Header, st: &str, prefix: &str, out: &mut Vec<(String, i32)>) {
    let Some(fields) = h.structs.get(st) else {
        return;
    };
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        let opt = f.may_be_null as i32;
        match f.ty.as_str() {
            "float" => out.push((path, 4)),
            "double" => out.push((path, 8)),
            "float *" => out.push((path, -4 - opt)),
            "double *" => out.push((path, -8 - opt)),
            "int32_t" => out.push((path, 104)),
            "uint32_t" => out.push((path, 105)),
            "uint8_t" => out.push((path, 101)),
            "size_t" => out.push((path, 108)),
            t if t.starts_with("struct ") => {
                flat_fields(h, t.trim_start_matches("struct "), &format!("{path}."), out)
            }
            _ => {}
        }
    }
}

/// How the matrix builds a valid struct of type `st`: a `*_default*` constructor, or an
/// init/seed function taking it first, or zeroes (an output).
struct StructInit<'a> {
    default: BTreeMap<String, &'a CFn>,
    init: BTreeMap<String, &'a CFn>,
}

impl<'a> StructInit<'a> {
    fn new(h: &'a Header) -> Self {
        let mut default = BTreeMap::new();
        let mut init: BTreeMap<String, &CFn> = BTreeMap::new();
        for f in &h.fns {
            if let Some(st) = f.ret.strip_prefix("struct ") {
                if f.params.is_empty() && f.name.contains("default") {
                    default.insert(st.to_string(), f);
                }
            }
            if let Some(first) = f.params.first() {
                let takes =
                    first.is_ptr() && !first.is_const_ptr() && first.ty.starts_with("struct ");
                if takes && (f.name.contains("_init_") || f.name.ends_with("_seed")) {
                    let st = first.base();
                    // Schedules: the constant one (one rate, no other rule).
                    let better = init.get(&st).is_none_or(|_| f.name.contains("constant"));
                    if better {
                        init.insert(st, f);
                    }
                }
            }
        }
        StructInit { default, init }
    }

    /// C statements initializing the struct at `ptr` (an expression of type `struct st *`).
    fn code(&self, st: &str, ptr: &str) -> String {
        if let Some(d) = self.default.get(st) {
            return format!("*({ptr}) = {}();", d.name);
        }
        let Some(init) = self.init.get(st) else {
            return String::new();
        };
        let f64 = init.name.ends_with("_f64");
        let mut args = vec![ptr.to_string()];
        let mut pre = String::new();
        for (i, p) in init.params.iter().enumerate().skip(1) {
            let a = match () {
                _ if p.ty.starts_with("const struct ") => {
                    let d = self.default.get(&p.base()).expect("config default");
                    let _ = write!(pre, "struct {} c{i} = {}(); ", p.base(), d.name);
                    format!("&c{i}")
                }
                _ if p.ty == "float *" || p.ty == "double *" => {
                    format!("({}) fbuf({}, fill_zero)", p.ty, f64 as i32)
                }
                _ if p.ty == "size_t" => size_default(&p.name).to_string(),
                _ if p.ty == "float" || p.ty == "double" => float_default(&p.name).to_string(),
                _ => int_default(&p.name).to_string(),
            };
            args.push(a);
        }
        format!(
            "{{ {pre}if ({}({}) != 0) {{ printf(\"SETUPFAIL {}\\n\"); }} }}",
            init.name,
            args.join(", "),
            init.name
        )
    }
}

/// Writes the `Field` table of parameter `i` of `f` (a `struct st`) and returns its name.
fn field_table(out: &mut String, t: &Target, i: usize, st: &str, flat: &[(String, i32)]) -> String {
    let f = t.f;
    let table = format!("fields_{}_{i}", t.cname);
    let _ = writeln!(out, "static const Field {table}[] = {{");
    for (path, ty) in flat {
        let inf = overrides::inf_ok(stem(&f.name), path) as i32;
        let _ = writeln!(
            out,
            "    {{\"{path}\", offsetof(struct {st}, {path}), {ty}, {inf}}},"
        );
    }
    let _ = writeln!(out, "    {{NULL, 0, 0, 0}}\n}};");
    table
}

/// The `Param` row, the setup statement and the call argument of one parameter.
struct ParamCode {
    row: String,
    setup: String,
    arg: String,
}

/// One function as the matrix runs it: the entry point, the C identifier of its generated
/// code, and the optimizer variant (code, instance struct with precision) behind `void *opt`.
struct Target<'a> {
    f: &'a CFn,
    cname: String,
    display: String,
    optimizer: Option<(&'static str, String)>,
}

fn param_code(
    h: &Header,
    si: &StructInit,
    t: &Target,
    i: usize,
    p: &CParam,
    fields: &mut String,
) -> ParamCode {
    let f = t.f;
    let f64 = f.name.ends_with("_f64") || p.ty.contains("double") || p.ty.contains("_f64");
    let mut flags = vec![];
    if f64 {
        flags.push("F_F64");
    }
    if p.is_const_ptr() {
        flags.push("F_CONST");
    }
    let st = stem(&f.name);
    let pointer = p.is_ptr() || callback_sub(&p.ty).is_some();
    if pointer && (doc_says_optional(&f.doc, &p.name) || overrides::optional(st, &p.name)) {
        flags.push("F_OPTIONAL");
    }
    if overrides::inf_ok(st, &p.name) {
        flags.push("F_INF_OK");
    }
    if overrides::raw_output(st, &p.name) {
        flags.push("F_RAW");
    }
    // The instance an init/seed function writes (the matrix still aliases it onto the rest).
    if i == 0 && (f.name.contains("_init_") || f.name.ends_with("_seed")) {
        flags.push("F_FRESH");
    }
    if p.name == "work" {
        flags.push("F_WORK");
    }
    if p.ty == "size_t" && LENGTHS.contains(&p.name.as_str()) {
        flags.push("F_LENGTH");
    }
    let flags = if flags.is_empty() {
        "0".to_string()
    } else {
        flags.join("|")
    };
    let slot = format!("a[{i}]");
    let base = p.base();
    let (kind, sub, elem, fref, setup, arg) = if let Some(sub) = callback_sub(&p.ty) {
        let cb = cb_fn(sub, p.ty.contains("_f64"));
        (
            "K_CB",
            sub,
            "0".into(),
            None,
            format!("{slot}.f = (void (*)(void)){cb};"),
            format!("({}){slot}.f", p.ty),
        )
    } else if p.ty == "void *" && p.name.ends_with("ctx") {
        (
            "K_CTX",
            "0",
            "0".into(),
            None,
            format!("{slot}.p = &ctx;"),
            format!("{slot}.p"),
        )
    } else if p.ty == "void *" {
        // The instance the override builds (its fields, for the state cases), if any.
        let fref = t.optimizer.as_ref().map(|(_, s)| {
            let mut flat = Vec::new();
            flat_fields(h, s, "", &mut flat);
            let table = field_table(fields, t, i, s, &flat);
            (table, flat.len())
        });
        (
            "K_OPAQUE",
            "0",
            "1".into(),
            fref,
            String::new(),
            format!("{slot}.p"),
        )
    } else if base == "float" || base == "double" {
        if p.is_ptr() {
            (
                "K_FBUF",
                "0",
                format!("sizeof({base})"),
                None,
                format!(
                    "{slot}.p = fbuf({}, {});",
                    (base == "double") as i32,
                    fill(&p.name)
                ),
                format!("({}){slot}.p", p.ty),
            )
        } else {
            let v = float_default(&p.name);
            (
                "K_FLOAT",
                "0",
                "0".into(),
                None,
                format!("{slot}.s = {v};"),
                format!("({base}){slot}.s"),
            )
        }
    } else if p.ty.contains("struct ") {
        let mut flat = Vec::new();
        flat_fields(h, &base, "", &mut flat);
        flat.retain(|(path, _)| overrides::field_in_use(stem(&t.f.name), path));
        let table = field_table(fields, t, i, &base, &flat);
        let init = si.code(&base, &format!("(struct {base} *){slot}.p"));
        (
            "K_STRUCT",
            "0",
            format!("sizeof(struct {base})"),
            Some((table, flat.len())),
            format!("{slot}.p = sbuf(sizeof(struct {base})); {init}"),
            format!("({}){slot}.p", p.ty),
        )
    } else if p.is_ptr() {
        let elem = format!("sizeof({base})");
        (
            "K_IBUF",
            "0",
            elem.clone(),
            None,
            format!("{slot}.p = ibuf({elem}, {});", ifill(&p.name)),
            format!("({}){slot}.p", p.ty),
        )
    } else if p.ty == "size_t" {
        (
            "K_SIZE",
            "0",
            "0".into(),
            None,
            format!("{slot}.z = {};", size_default(&p.name)),
            format!("{slot}.z"),
        )
    } else {
        (
            "K_INT",
            "0",
            "0".into(),
            None,
            format!("{slot}.i = {};", int_default(&p.name)),
            format!("({}){slot}.i", p.ty),
        )
    };
    let (ftab, nf) = fref.unwrap_or(("NULL".into(), 0));
    ParamCode {
        row: format!(
            "    {{\"{}\", {kind}, {sub}, {flags}, {elem}, {ftab}, {nf}}},",
            p.name
        ),
        setup: format!(
            "    {setup} Arg *p_{} = &{slot}; (void)p_{};",
            p.name, p.name
        ),
        arg: arg.to_string(),
    }
}

/// The name without `_f32`/`_f64`.
pub fn stem(name: &str) -> &str {
    name.strip_suffix("_f32")
        .or_else(|| name.strip_suffix("_f64"))
        .unwrap_or(name)
}

/// The C code of one function: its tables, setup and thunk; the `Fn` row for `main`.
fn function_code(h: &Header, si: &StructInit, t: &Target, out: &mut String) -> String {
    let f = t.f;
    let mut fields = String::new();
    let codes: Vec<ParamCode> = f
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| param_code(h, si, t, i, p, &mut fields))
        .collect();
    let (name, cname) = (&f.name, &t.cname);
    let prec = if name.ends_with("_f64") { "f64" } else { "f32" };
    let st = stem(name);
    let mut ov = overrides::setup(st)
        .replace("{S}", prec)
        .replace("{T}", if prec == "f64" { "double" } else { "float" });
    if let Some((code, s)) = &t.optimizer {
        let init = si.code(s, &format!("(struct {s} *)p_opt->p"));
        let _ = write!(
            ov,
            " p_kind->i = {code}; p_opt->p = sbuf(sizeof(struct {s})); {init}"
        );
    }
    out.push_str(&fields);
    let _ = writeln!(out, "static const Param params_{cname}[] = {{");
    for c in &codes {
        let _ = writeln!(out, "{}", c.row);
    }
    let _ = writeln!(out, "}};");
    let _ = writeln!(out, "static void setup_{cname}(Arg *a) {{");
    for c in &codes {
        let _ = writeln!(out, "{}", c.setup);
    }
    if !ov.trim().is_empty() {
        let _ = writeln!(out, "    /* override */ {ov}");
    }
    let _ = writeln!(out, "}}");
    let args: Vec<&str> = codes.iter().map(|c| c.arg.as_str()).collect();
    let _ = writeln!(
        out,
        "static int32_t call_{cname}(Arg *a) {{ (void)a; return {name}({}); }}\n",
        args.join(", ")
    );
    let skip = overrides::skip(st);
    let skip = if skip.is_empty() {
        "NULL".to_string()
    } else {
        format!("\"{skip}\"")
    };
    format!(
        "    {{\"{}\", params_{cname}, {}, setup_{cname}, call_{cname}, {skip}, {}}},",
        t.display,
        f.params.len(),
        overrides::tolerates_callback_failure(st) as i32
    )
}

/// The targets of one entry point: itself, or once per optimizer behind `void *opt`.
fn targets(f: &CFn) -> Vec<Target<'_>> {
    let prec = if f.name.ends_with("_f64") {
        "f64"
    } else {
        "f32"
    };
    let variants = overrides::optimizer_variants(stem(&f.name));
    if variants.is_empty() {
        return vec![Target {
            f,
            cname: f.name.clone(),
            display: f.name.clone(),
            optimizer: None,
        }];
    }
    variants
        .iter()
        .map(|(code, s)| {
            let short = s.trim_start_matches("lossmap_");
            Target {
                f,
                cname: format!("{}__{short}", f.name),
                display: format!("{}[{short}]", f.name),
                optimizer: Some((*code, format!("{s}_{prec}"))),
            }
        })
        .collect()
}

/// `f` with the docs it refers to appended ("see `lossmap_x_f32`", "arguments as in
/// `lossmap_y_f32`", and an f64 entry point's f32 twin), three levels deep: what the header
/// says about a parameter may be there.
fn with_referenced_docs(h: &Header, f: &CFn) -> CFn {
    let mut f = f.clone();
    let mut seen = vec![f.name.clone()];
    if let Some(s) = f.name.strip_suffix("_f64") {
        seen.push(format!("{s}_f32"));
    }
    let mut docs = vec![f.doc.clone()];
    for _ in 0..3 {
        let text = docs.join(" ");
        for g in &h.fns {
            let named = text.contains(&format!("`{}`", g.name)) || seen[1..].contains(&g.name);
            if named && !docs.contains(&g.doc) {
                seen.push(g.name.clone());
                docs.push(g.doc.clone());
            }
        }
    }
    f.doc = docs.join(" ");
    f
}

/// The whole program, and the names of what it covers (entry points, `name[optimizer]` for
/// each optimizer behind `void *opt`).
pub fn program(h: &Header, runtime: &str) -> (String, Vec<String>) {
    let si = StructInit::new(h);
    let mut out = String::from(runtime);
    out.push_str(
        "\n/* ---- generated from include/lossmap.h --------------------------------- */\n\n",
    );
    out.push_str("#include <stddef.h>\n\n");
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for f in h.fns.iter().filter(|f| !is_constructor(f)) {
        let f = &with_referenced_docs(h, f);
        for t in targets(f) {
            rows.push(function_code(h, &si, &t, &mut out));
            names.push(t.display.clone());
        }
    }
    out.push_str("static const Fn fns[] = {\n");
    for r in &rows {
        out.push_str(r);
        out.push('\n');
    }
    out.push_str("};\n\n");
    out.push_str(
        "int main(int argc, char **argv) {\n\
         \x20   for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)\n\
         \x20       if (argc < 2 || strstr(fns[i].name, argv[1])) run_isolated(&fns[i]);\n\
         \x20   printf(\"DONE\\n\");\n\
         \x20   return 0;\n}\n",
    );
    (out, names)
}
