//! The cost report of `scripts/cost`: runs what the script built and prints Markdown tables
//! (also written to `<target>/lossmap-reports/cost.md`).
//!
//! ```text
//! cost-report [--no-x86] [--no-firmware] [--bench <bench-adam.md>]
//! ```
//!
//! * x86_64: `cost-adam` under `valgrind --tool=callgrind --toggle-collect`, one process per
//!   case: instructions per Adam step and per element.
//! * firmware: the `cost` ELF of each board under `qemu-system-arm -icount shift=0`
//!   (timer calibration, instructions per Adam step, painted stack depths), and the footprint
//!   kits (`arm-none-eabi-size`, `arm-none-eabi-nm`) that the script copied to
//!   `<target>/lossmap-reports/kits/<target triple>/`.
//! * `--bench`: the criterion ratio table of `cargo bench -p lossmap-dev --bench adam`, included
//!   as it is.
//!
//! Any tool that fails makes the report say so in place of its table, and the exit status 1.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The implementations counted on x86_64, in column order.
const X86_IMPLS: [&str; 7] = [
    "lossmap-slice",
    "lossmap-typed",
    "c-unchecked",
    "c-errno",
    "c-checked",
    "c-strict",
    "rust-plain",
];
const X86_SIZES: [usize; 4] = [8, 64, 1024, 65536];
/// Elements stepped per case (K·N): the steps K = max(8, ELEMENTS / N).
const ELEMENTS: usize = 1 << 18;

fn root() -> PathBuf {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR"));
    dev.parent()
        .map_or_else(|| dev.join(".."), Path::to_path_buf)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root().join(d),
        _ => root().join("target"),
    }
}

fn reports_dir() -> PathBuf {
    target_dir().join("lossmap-reports")
}

/// Runs `cmd`; its stdout, or a one-line description of the failure.
fn run(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Err(format!("{shown} failed ({}): {last}", out.status))
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

// ---------------------------------------------------------------------------------------------
// x86_64: callgrind

/// Instructions collected in `cost_adam_measured` for one case, per step.
fn callgrind_case(bin: &Path, which: &str, ty: &str, n: usize, k: usize) -> Result<f64, String> {
    let out = std::env::temp_dir().join(format!(
        "lossmap-cost-{}-{which}-{ty}-{n}.callgrind",
        std::process::id()
    ));
    let res = run(Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--toggle-collect=*cost_adam_measured*")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(bin)
        .args([which, ty, &n.to_string(), &k.to_string()]));
    let text = std::fs::read_to_string(&out);
    let _ = std::fs::remove_file(&out);
    let stdout = res?;
    if !stdout.contains("ok=1") {
        return Err(format!("cost-adam {which} {ty} {n}: a step failed"));
    }
    let text = text.map_err(|e| format!("no callgrind output for {which} {ty} {n}: {e}"))?;
    let total: u64 = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no summary in callgrind output of {which} {ty} {n}"))?;
    Ok(total as f64 / k as f64)
}

fn x86_section(md: &mut String) -> bool {
    // scripts/cost builds the x86 binaries for the C's ISA (x86-64-v3) in a target dir of their
    // own, named by LOSSMAP_X86_TARGET_DIR.
    let bin_dir = std::env::var_os("LOSSMAP_X86_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(target_dir, |d| root().join(d));
    let bin = bin_dir.join("release").join("cost-adam");
    let version = run(Command::new("valgrind").arg("--version")).map(|v| v.trim().to_string());
    let cc = run(Command::new("cc").arg("--version"))
        .map(|v| v.lines().next().unwrap_or("").to_string());
    let _ = writeln!(
        md,
        "## Adam step, x86_64: instructions (callgrind)\n\n\
         Instructions executed per step, one process per case (`{}`, `--toggle-collect` on the \
         loop running K = max(8, 2¹⁸/N) steps, which adds ≈ 3 instructions per step). C: `{}` \
         `-O3 -march=x86-64-v3 -fno-math-errno` (AVX2 + FMA: valgrind cannot decode AVX-512, \
         which `-march=native` may emit here); C errno: the unchecked C without \
         `-fno-math-errno` (a plain `-O3` build: scalar); lossmap and the Rust loop: rustc \
         release with `-C target-cpu=x86-64-v3` (the same ISA as the C).\n",
        version.as_deref().unwrap_or("valgrind"),
        cc.as_deref().unwrap_or("cc"),
    );
    let mut counts: BTreeMap<(String, usize, &str), f64> = BTreeMap::new();
    let mut ok = true;
    for ty in ["f32", "f64"] {
        for n in X86_SIZES {
            let k = (ELEMENTS / n).max(8);
            for which in X86_IMPLS {
                match callgrind_case(&bin, which, ty, n, k) {
                    Ok(per_step) => {
                        counts.insert((ty.to_string(), n, which), per_step);
                    }
                    Err(e) => {
                        ok = false;
                        let _ = writeln!(md, "- **failed**: {e}");
                    }
                }
            }
        }
    }
    md.push_str(
        "\n| type | N | lossmap slice / step | C checked / step | C strict / step | lossmap / element | typed / element | C unchecked / element | C errno / element | C checked / element | C strict / element | Rust loop / element | lossmap / C unchecked | lossmap / C errno | lossmap / C checked | lossmap / C strict | typed / C checked | typed / C strict |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for ty in ["f32", "f64"] {
        for n in X86_SIZES {
            let get = |w: &str| {
                counts
                    .get(&(ty.to_string(), n, w))
                    .copied()
                    .unwrap_or(f64::NAN)
            };
            let per = |w: &str| {
                let v = get(w) / n as f64;
                if v.is_finite() {
                    format!("{v:.2}")
                } else {
                    "–".into()
                }
            };
            let (ls, lt, cu, ce, cc, cs) = (
                get("lossmap-slice"),
                get("lossmap-typed"),
                get("c-unchecked"),
                get("c-errno"),
                get("c-checked"),
                get("c-strict"),
            );
            let _ = writeln!(
                md,
                "| {ty} | {n} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                ls,
                cc,
                cs,
                per("lossmap-slice"),
                per("lossmap-typed"),
                per("c-unchecked"),
                per("c-errno"),
                per("c-checked"),
                per("c-strict"),
                per("rust-plain"),
                ratio(ls, cu),
                ratio(ls, ce),
                ratio(ls, cc),
                ratio(ls, cs),
                ratio(lt, cc),
                ratio(lt, cs),
            );
        }
    }
    md.push('\n');
    ok
}

// ---------------------------------------------------------------------------------------------
// Firmware: QEMU -icount

struct Board {
    name: &'static str,
    triple: &'static str,
    machine: &'static str,
    core: &'static str,
    timer: &'static str,
}

const BOARDS: [Board; 2] = [
    Board {
        name: "mps2-an386",
        triple: "thumbv7em-none-eabihf",
        machine: "mps2-an386",
        core: "Cortex-M4F",
        timer: "SysTick, processor clock 25 MHz",
    },
    Board {
        name: "microbit",
        triple: "thumbv6m-none-eabi",
        machine: "microbit",
        core: "Cortex-M0",
        timer: "nRF51 TIMER0, 16 MHz",
    },
];

/// `key=value` fields of the lines starting with `tag ` in `out`.
fn tagged<'a>(out: &'a str, tag: &str) -> Vec<BTreeMap<&'a str, &'a str>> {
    out.lines()
        .filter_map(|l| l.strip_prefix(tag)?.strip_prefix(' '))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .collect()
        })
        .collect()
}

fn num(fields: &BTreeMap<&str, &str>, key: &str) -> f64 {
    fields
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// What the `cost` firmware reported on one board.
#[derive(Default)]
struct Fw {
    /// (iterations, expected instructions, measured instructions).
    calib: Vec<(u64, f64, f64)>,
    /// impl → N → instructions per step (raw, loop included).
    adam: BTreeMap<String, BTreeMap<usize, f64>>,
    /// case → bytes.
    stack: BTreeMap<String, u64>,
    /// The guarantee checks of the C lean and undo steps: (case, passed).
    guard: Vec<(String, bool)>,
    ok: bool,
}

/// Runs the `cost` firmware of cargo profile `profile` (`release` or `speed`) on `board`.
fn run_cost_firmware(board: &Board, profile: &str) -> Result<Fw, String> {
    let elf = root()
        .join("examples/firmware/target")
        .join(board.triple)
        .join(profile)
        .join("cost");
    // A failed check exits non-zero but still prints its lines: keep stdout either way.
    let out = Command::new("qemu-system-arm")
        .args(["-M", board.machine, "-icount", "shift=0", "-nographic"])
        .args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(&elf)
        .output()
        .map_err(|e| format!("cannot run qemu-system-arm: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut fw = Fw::default();
    for f in tagged(&text, "LOSSMAP-COST-CALIB") {
        let (iters, body, ticks, ps) = (
            num(&f, "iters"),
            num(&f, "body"),
            num(&f, "ticks"),
            num(&f, "tick_ps"),
        );
        fw.calib
            .push((iters as u64, iters * body, ticks * ps / 1000.0));
    }
    let tick_ns = tagged(&text, "LOSSMAP-COST-CALIB")
        .first()
        .map(|f| num(f, "tick_ps") / 1000.0)
        .unwrap_or(f64::NAN);
    for f in tagged(&text, "LOSSMAP-COST-ADAM") {
        let (n, steps, ticks) = (num(&f, "n"), num(&f, "steps"), num(&f, "ticks"));
        let ok = f.get("ok") == Some(&"1");
        let per_step = if ok {
            ticks * tick_ns / steps
        } else {
            f64::NAN
        };
        fw.adam
            .entry(f.get("impl").copied().unwrap_or("?").to_string())
            .or_default()
            .insert(n as usize, per_step);
    }
    for f in tagged(&text, "LOSSMAP-COST-GUARD") {
        fw.guard.push((
            f.get("case").copied().unwrap_or("?").to_string(),
            f.get("ok") == Some(&"1"),
        ));
    }
    for f in tagged(&text, "LOSSMAP-COST-STACK") {
        if f.get("ok") == Some(&"1") {
            fw.stack.insert(
                f.get("case").copied().unwrap_or("?").to_string(),
                num(&f, "bytes") as u64,
            );
        }
    }
    fw.ok = tagged(&text, "LOSSMAP-COST")
        .last()
        .is_some_and(|f| f.get("ok") == Some(&"1"));
    if fw.calib.is_empty() || fw.adam.is_empty() {
        return Err(format!(
            "no LOSSMAP-COST lines from {} ({}): {}",
            elf.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(fw)
}

fn firmware_section(md: &mut String) -> bool {
    let mut ok = true;
    let mut fws = Vec::new();
    for b in &BOARDS {
        // The same firmware at `opt-level = 3` (like the C's -O3): its Rust rows join the table
        // with an "(opt 3)" suffix.
        let speed = run_cost_firmware(b, "speed");
        match run_cost_firmware(b, "release") {
            Ok(mut fw) => {
                match speed {
                    Ok(sp) => {
                        ok &= sp.ok;
                        for w in ["lossmap-slice", "lossmap-typed", "rust-plain", "rust-undo"] {
                            if let Some(v) = sp.adam.get(w) {
                                fw.adam.insert(format!("{w} (opt 3)"), v.clone());
                            }
                        }
                    }
                    Err(e) => {
                        ok = false;
                        let _ = writeln!(md, "- **failed** ({}, opt-level 3): {e}", b.name);
                    }
                }
                ok &= fw.ok;
                if !fw.ok {
                    let _ = writeln!(md, "- **{}: a check of the cost firmware failed**", b.name);
                }
                fws.push((b, fw));
            }
            Err(e) => {
                ok = false;
                let _ = writeln!(md, "- **failed** ({}): {e}", b.name);
            }
        }
    }
    let gcc = run(Command::new("arm-none-eabi-gcc").arg("--version"))
        .map(|v| v.lines().next().unwrap_or("").to_string());
    let qemu = run(Command::new("qemu-system-arm").arg("--version"))
        .map(|v| v.lines().next().unwrap_or("").to_string());
    let _ = writeln!(
        md,
        "## Firmware: timer calibration\n\n\
         `{}` with `-icount shift=0`: 1 executed instruction = 1 ns of virtual time; the timers \
         run on that clock. A loop of known length (100 `nop`s + `subs` + `bne` = 102 \
         instructions per iteration) checks it:\n\n\
         | board | timer | ns per tick | iterations | expected instructions | measured | measured − expected |\n\
         |---|---|---:|---:|---:|---:|---:|",
        qemu.as_deref().unwrap_or("qemu-system-arm")
    );
    for (b, fw) in &fws {
        let tick = if b.name == "microbit" { 62.5 } else { 40.0 };
        for &(iters, want, got) in &fw.calib {
            let _ = writeln!(
                md,
                "| {} | {} | {tick} | {iters} | {want:.0} | {got:.1} | {:+.1} |",
                b.name,
                b.timer,
                got - want
            );
        }
    }
    let _ = writeln!(
        md,
        "\n## Firmware: Adam step, f32, instructions (QEMU `-icount`)\n\n\
         1000 steps per case between two timer reads (resolution 0.04 instruction per step on \
         the M4F, 0.0625 on the M0), less the empty loop's own instructions. Per element: \
         (N = 16 − N = 8) / 8. C: `{}` `-O3 -fno-math-errno`, `-mcpu=cortex-m4 \
         -mfpu=fpv4-sp-d16 -mfloat-abi=hard` / `-mcpu=cortex-m0` (newlib `sqrtf` on the M0); C \
         errno: the unchecked C built with plain `-O3` (gcc's default `-fmath-errno`: each \
         `vsqrt.f32` result is tested, and a NaN calls newlib's `sqrtf` to set `errno`). \
         Rust: firmware release profile (`opt-level = \"s\"`, LTO), and \"(opt 3)\": the same \
         firmware at `opt-level = 3` (profile `speed`), like for like with the C's `-O3`. The \
         plain Rust loop takes √ from lossmap's `Real`; Rust undo is C undo's scheme on it \
         (bit for bit the plain loop's update). C sums: lossmap's own validate-then-update \
         scheme written in C (`adam_sums_f32`: one fused read-only pass of sums that bound every \
         new value, then the unchecked update); C lean: the leanest read-only pass found \
         (`adam_lean_f32`: Σx², Σg², Σm² and Σ√v, one arithmetic instruction each per element \
         but √v's two, bound every new value), then the unchecked update; C lean-ldm: the same with its pass \
         over blocks of 8 in assembly (`vldmia` of 8 registers per stream, 5.75 instructions \
         per element, the floor of that pass; on the M0, no FPU, it is C lean); C undo: write first, \
         restore on failure (`adam_undo_f32`: the old θ, m, v copied to a caller scratch of 3n \
         by `ldm`/`stm` of 4 elements, one multiply-accumulate per element as the flag, a \
         flagged step tested exactly and undone); all three bit for bit the unchecked update, \
         checked on the core (below); C checked: a per-element checked pass; C strict: C \
         checked that also validates its state (hyperparameters, running products) at every \
         step, as lossmap does.\n\n\
         | board | implementation | per step, N = 8 | per step, N = 16 | per element | per step / C unchecked | per element / C unchecked | per step / C checked | per step / C strict | per step / C sums | per element / C sums |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        gcc.as_deref().unwrap_or("arm-none-eabi-gcc"),
    );
    for (b, fw) in &fws {
        let empty = |n: usize| {
            fw.adam
                .get("empty-loop")
                .and_then(|m| m.get(&n))
                .copied()
                .unwrap_or(0.0)
        };
        let at = |w: &str, n: usize| {
            fw.adam
                .get(w)
                .and_then(|m| m.get(&n))
                .map_or(f64::NAN, |v| v - empty(n))
        };
        let per_elem = |w: &str| (at(w, 16) - at(w, 8)) / 8.0;
        for w in [
            "lossmap-slice",
            "lossmap-typed",
            "lossmap-slice (opt 3)",
            "lossmap-typed (opt 3)",
            "c-unchecked",
            "c-errno",
            "c-checked",
            "c-strict",
            "c-sums",
            "c-lean",
            "c-lean-ldm",
            "c-undo",
            "rust-plain",
            "rust-plain (opt 3)",
            "rust-undo",
            "rust-undo (opt 3)",
        ] {
            let _ = writeln!(
                md,
                "| {} ({}) | {w} | {:.1} | {:.1} | {:.2} | {} | {} | {} | {} | {} | {} |",
                b.name,
                b.core,
                at(w, 8),
                at(w, 16),
                per_elem(w),
                ratio(at(w, 8), at("c-unchecked", 8)),
                ratio(per_elem(w), per_elem("c-unchecked")),
                ratio(at(w, 8), at("c-checked", 8)),
                ratio(at(w, 8), at("c-strict", 8)),
                ratio(at(w, 8), at("c-sums", 8)),
                ratio(per_elem(w), per_elem("c-sums")),
            );
        }
        let _ = writeln!(
            md,
            "| {} ({}) | (empty loop, subtracted above) | {:.2} | {:.2} | | | | | | | |",
            b.name,
            b.core,
            empty(8),
            empty(16)
        );
    }
    let _ = writeln!(
        md,
        "\nThe guarantee of C lean, lean-ldm and undo, checked on each core at N = 8 and 11: on accepted data (also \
         data that overflows the lean sums or the undo flag while every new value is finite) \
         the new θ, m, v and state equal the unchecked step's bit for bit; on a NaN gradient, a \
         gradient whose square overflows, an infinite v and a θ whose update overflows, -1 \
         with θ, m, v and the state unchanged.\n"
    );
    for (b, fw) in &fws {
        let cases: Vec<String> = fw
            .guard
            .iter()
            .map(|(c, ok)| format!("{c} {}", if *ok { "ok" } else { "**FAILED**" }))
            .collect();
        ok &= !fw.guard.is_empty() && fw.guard.iter().all(|(_, ok)| *ok);
        let _ = writeln!(md, "- {} ({}): {}", b.name, b.core, cases.join(", "));
    }
    md.push_str(
        "\n## Firmware: stack beyond the caller's buffers (painted)\n\n\
         Bytes below the caller's stack pointer written during the call (its inputs, outputs, \
         scratch and returned value live in the caller's frame; the call goes through an \
         opaque function pointer, so nothing is inlined into that frame). The floor of the \
         method (an empty call) reads 32 B. Typed API against the slice kernels doing the same \
         work with caller buffers:\n\n",
    );
    let mut header = String::from("| work |");
    let mut rule = String::from("|---|");
    for (b, _) in &fws {
        let _ = write!(
            header,
            " {} typed | {} slices | typed / slices |",
            b.core, b.core
        );
        rule.push_str("---:|---:|---:|");
    }
    let _ = writeln!(md, "{header}\n{rule}");
    for (label, typed, slices) in [
        (
            "`Curvature::classify_at` (caller's storage), N = 8, f32 (FD gradient + FD Hessian + eigen + classify)",
            "classify_at-view",
            "classify-slices",
        ),
        (
            "`classify_at` returning the report by value, N = 8, f32",
            "classify_at-typed",
            "classify-slices",
        ),
        (
            "`SymEigen::decompose` (caller's storage) / sym_eigen, N = 8, f32",
            "sym_eigen-view",
            "sym_eigen-slice",
        ),
        (
            "`SymEigen::new` (by value) / sym_eigen, N = 8, f32",
            "sym_eigen-typed",
            "sym_eigen-slice",
        ),
        (
            "GA, P = 16, six-hump camel (N = 2), f32, 2 000 evaluations",
            "genetic-typed",
            "genetic-slice",
        ),
        (
            "`Newton::minimize` (caller's storage), f64, 4-D Rosenbrock, FD gradient + FD Hessian",
            "newton-f64-view",
            "newton-f64-slice",
        ),
        (
            "`newton` (scratch in its frame), f64, 4-D Rosenbrock",
            "newton-f64-typed",
            "newton-f64-slice",
        ),
    ] {
        let mut row = format!("| {label} |");
        for (_, fw) in &fws {
            let t = fw.stack.get(typed).copied();
            let s = fw.stack.get(slices).copied();
            let show = |v: Option<u64>| v.map_or("–".into(), |v| format!("{v} B"));
            let _ = write!(
                row,
                " {} | {} | {} |",
                show(t),
                show(s),
                match (t, s) {
                    (Some(t), Some(s)) => ratio(t as f64, s as f64),
                    _ => "–".into(),
                }
            );
        }
        let _ = writeln!(md, "{row}");
    }
    md.push('\n');
    ok
}

// ---------------------------------------------------------------------------------------------
// Footprint

/// Section sizes of an ELF (`arm-none-eabi-size -A`).
fn sections(elf: &Path) -> Result<BTreeMap<String, u64>, String> {
    let out = run(Command::new("arm-none-eabi-size").arg("-A").arg(elf))?;
    Ok(out
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (name, size) = (it.next()?, it.next()?.parse().ok()?);
            name.starts_with('.').then(|| (name.to_string(), size))
        })
        .collect())
}

/// `(flash = .text + .rodata, static = .data + .bss)`.
fn footprint(elf: &Path) -> Result<(u64, u64), String> {
    let s = sections(elf)?;
    let get = |k: &str| s.get(k).copied().unwrap_or(0);
    Ok((get(".text") + get(".rodata"), get(".data") + get(".bss")))
}

/// `(size, demangled name without hash)` of every sized symbol, largest first.
fn symbols(elf: &Path) -> Result<Vec<(u64, String)>, String> {
    let out = run(Command::new("arm-none-eabi-nm")
        .args(["--size-sort", "--reverse-sort", "-S", "-C"])
        .arg(elf))?;
    Ok(out
        .lines()
        .filter_map(|l| {
            let mut it = l.splitn(4, ' ');
            let (_addr, size, _kind, name) = (it.next()?, it.next()?, it.next()?, it.next()?);
            let size = u64::from_str_radix(size, 16).ok()?;
            let name = match name.rfind("::h") {
                Some(i) if name[i + 3..].chars().all(|c| c.is_ascii_hexdigit()) => &name[..i],
                _ => name,
            };
            Some((size, name.to_string()))
        })
        .collect())
}

/// Soft-float double routines (compiler-builtins / libgcc names, with or without their Rust
/// path) and libm's f64 functions.
fn is_f64_helper(path: &str) -> bool {
    let name = path.rsplit("::").next().unwrap_or(path);
    let soft = name.starts_with("__aeabi_d")
        || [
            "__aeabi_f2d",
            "__aeabi_i2d",
            "__aeabi_ui2d",
            "__aeabi_l2d",
            "__aeabi_ul2d",
        ]
        .contains(&name)
        || (name.starts_with("__")
            && (name.ends_with("df3")
                || name.ends_with("df2")
                || name.contains("dfsi")
                || name.contains("dfdi")
                || name.contains("sidf")
                || name.contains("didf")
                || name == "__extendsfdf2"
                || name == "__truncdfsf2"
                || name == "__powidf2"));
    // libm (Rust): `libm::math::<name>::<name>` for the f64 function, `…f` for f32.
    let libm_f64 = path.strip_prefix("libm::math::").is_some_and(|rest| {
        let last = rest.rsplit("::").next().unwrap_or("");
        !last.is_empty()
            && !last.ends_with('f')
            && !last.chars().next().is_some_and(|c| c.is_uppercase())
    });
    soft || libm_f64
}

/// `compiler_builtins`' memory routines (`memcpy`, `memclr`, `memset`, `memmove` and their
/// `__aeabi_` entries), which copy and zeroing loops compile to.
fn is_mem_routine(path: &str) -> bool {
    let name = path.rsplit("::").next().unwrap_or(path);
    let name = name.strip_prefix("__aeabi_").unwrap_or(name);
    ["memcpy", "memclr", "memset", "memmove"]
        .iter()
        .any(|m| name.starts_with(m))
}

fn kit_path(triple: &str, name: &str) -> PathBuf {
    reports_dir().join("kits").join(triple).join(name)
}

/// The kits of the footprint table, in row order: label, ELF, baseline ELF (the empty firmware
/// built with the same features).
const KITS: [(&str, &str, &str); 3] = [
    ("typed API", "kit_typed", "kit_empty"),
    ("slice kernels, run-time n", "kit_slice", "kit_empty"),
    ("C ABI", "kit_capi", "kit_empty_capi"),
];

/// `a / b` as a ratio cell, or `–`.
fn ratio_cell(a: Option<i64>, b: Option<i64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0 => format!("{:.2}×", a as f64 / b as f64),
        _ => "–".to_string(),
    }
}

fn footprint_section(md: &mut String) -> bool {
    let mut ok = true;
    md.push_str(
        "## Footprint: the analysis kit (Adam + central gradient + FD Hessian + eigen + classify, N = 8, f32)\n\n\
         Flash = `.text` + `.rodata`, static = `.data` + `.bss`, both beyond an empty firmware \
         (`kit_empty`) built with the same features; firmware release profile \
         (`opt-level = \"s\"`, LTO, one codegen unit). Three kits do the same work: the typed \
         API (every size known), the slice kernels with `n` hidden from the compiler, and the C \
         ABI (the same kernels behind the C shells): slice − typed is what a run-time size \
         costs, C − slice what the C shells cost.\n\n\
         | kit | board | flash | ÷ typed | ÷ slice | static data | f64 helpers linked (bytes) | `mem*` routines linked (bytes) |\n\
         |---|---|---:|---:|---:|---:|---|---|\n",
    );
    let mut details = String::new();
    let mut summary = String::new();
    for b in &BOARDS {
        let mut flashes: [Option<i64>; 3] = [None; 3];
        for (k, (label, kit, base)) in KITS.iter().enumerate() {
            let (kp, bp) = (kit_path(b.triple, kit), kit_path(b.triple, base));
            let res =
                footprint(&kp).and_then(|k| Ok((k, footprint(&bp)?, symbols(&kp)?, symbols(&bp)?)));
            match res {
                Ok(((kf, ks), (bf, bs), syms, base_syms)) => {
                    let f64s: Vec<&(u64, String)> =
                        syms.iter().filter(|(_, n)| is_f64_helper(n)).collect();
                    let f64_bytes: u64 = f64s.iter().map(|(s, _)| s).sum();
                    let f64_list = if f64s.is_empty() {
                        "none".to_string()
                    } else {
                        format!(
                            "{} ({f64_bytes} B)",
                            f64s.iter()
                                .map(|(s, n)| {
                                    let n = n
                                        .strip_prefix("compiler_builtins::")
                                        .map_or(n.as_str(), |p| p.rsplit("::").next().unwrap_or(p));
                                    format!("`{n}` {s}")
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    let flash = kf as i64 - bf as i64;
                    if let Some(slot) = flashes.get_mut(k) {
                        *slot = Some(flash);
                    }
                    let (by_typed, by_slice) = match k {
                        0 => ("–".to_string(), "–".to_string()),
                        1 => (ratio_cell(Some(flash), flashes[0]), "–".to_string()),
                        _ => (
                            ratio_cell(Some(flash), flashes[0]),
                            ratio_cell(Some(flash), flashes[1]),
                        ),
                    };
                    let mems: Vec<&(u64, String)> =
                        syms.iter().filter(|(_, n)| is_mem_routine(n)).collect();
                    let mem_list = if mems.is_empty() {
                        "none".to_string()
                    } else {
                        mems.iter()
                            .map(|(s, n)| format!("`{}` {s}", n.rsplit("::").next().unwrap_or(n)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let _ = writeln!(
                        md,
                        "| {label} | {} ({}) | {flash} B ({:.1} KB) | {by_typed} | {by_slice} | {} B | {f64_list} | {mem_list} |",
                        b.name,
                        b.core,
                        flash as f64 / 1024.0,
                        ks as i64 - bs as i64,
                    );
                    let _ = writeln!(
                        details,
                        "\n{label}, {} ({}), largest symbols not in the baseline:\n",
                        b.name, b.core
                    );
                    let kit_only = syms.iter().filter(|s| !base_syms.contains(s));
                    for (s, n) in kit_only.take(8) {
                        let _ = writeln!(details, "- {s} B `{n}`");
                    }
                }
                Err(e) => {
                    ok = false;
                    let _ = writeln!(md, "| {label} | {} | failed: {e} | | | | | |", b.name);
                }
            }
        }
        if let [Some(t), Some(sl), Some(c)] = flashes {
            let _ = writeln!(
                summary,
                "- {} ({}): run-time n (slice − typed) {} B, C shells (C − slice) {} B; \
                 C ≤ 1.1× typed needs C ≤ {} B ({} B less), C ≤ 1.1× slice needs C ≤ {} B ({} B less).",
                b.name,
                b.core,
                sl - t,
                c - sl,
                t * 11 / 10,
                (c - t * 11 / 10).max(0),
                sl * 11 / 10,
                (c - sl * 11 / 10).max(0),
            );
        }
    }
    if !summary.is_empty() {
        md.push('\n');
        md.push_str(&summary);
    }
    md.push_str(&details);
    md.push('\n');
    ok
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |f: &str| args.iter().any(|a| a == f);
    let bench = args
        .iter()
        .position(|a| a == "--bench")
        .and_then(|i| args.get(i + 1));
    let mut md = String::from("# lossmap cost report\n\n");
    let mut ok = true;
    if let Some(path) = bench {
        match std::fs::read_to_string(path) {
            Ok(t) => {
                let _ = writeln!(
                    md,
                    "## Adam step, x86_64: time ratios (criterion, one run)\n\n\
                     Fastest samples of `cargo bench -p lossmap-dev --bench adam` (noise only \
                     adds time on a shared machine); C: `-O3 -march=native \
                     -fno-math-errno`; C errno: the unchecked C of a plain `-O3 -march=native` \
                     build (scalar: `sqrt`'s errno path blocks vectorization). Stream: the \
                     memory traffic of a step (reads θ, g, m, v; writes θ, m, v).\n\n{t}"
                );
            }
            Err(e) => {
                ok = false;
                let _ = writeln!(md, "- **no bench table** ({path}): {e}\n");
            }
        }
    }
    if !has("--no-x86") {
        ok &= x86_section(&mut md);
    }
    if !has("--no-firmware") {
        ok &= firmware_section(&mut md);
        ok &= footprint_section(&mut md);
    }
    print!("{md}");
    let dir = reports_dir();
    if std::fs::create_dir_all(&dir).is_ok() {
        let path = dir.join("cost.md");
        if let Err(e) = std::fs::write(&path, &md) {
            eprintln!("cost-report: cannot write {}: {e}", path.display());
        } else {
            eprintln!("cost-report: wrote {}", path.display());
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
