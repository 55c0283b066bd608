//! Builds the `demo` firmware (`examples/firmware`) for each board, runs it under QEMU and checks
//! what it reports. The demo logs through defmt: QEMU's stdout carries the binary defmt frames
//! (semihosting), which this test decodes with `defmt-print` against the ELF's own defmt table,
//! the same decoder `examples/firmware/qemu-run.sh` runs for `cargo run`. It then checks:
//!
//! - QEMU's exit status (the firmware exits through semihosting, non-zero when one of its own
//!   checks failed) and a clean decode (no malformed frame skipped);
//! - the values in the decoded lines, against host-side references: the results and
//!   lossmap's report structs and `Error` as their `defmt::Format` impls print them (the Adam
//!   end point and its loss recomputed on the host, the line fit against the normal equations
//!   solved here, Newton's gradient norm, the Hessian eigenvalues against their closed form, the
//!   saddle's classification and eigenvalues against lossmap in f64, the Cholesky rejection at
//!   the saddle, the NEB barrier and saddle, both global searches' minima and budgets);
//! - the `LOSSMAP-FIRMWARE … ok=1` line, with flash and stack use, which is kept in
//!   `target/lossmap-reports/firmware-<board>.txt` (the decoded log beside it, `.log`).
//!
//! Needs `qemu-system-arm`, `defmt-print` and the board's Rust target; without them the test is
//! skipped (with a `skipped:` note on stderr) unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;

use common::{build_firmware, reports_dir, require_tools, run_with_timeout, write_report, Need};
use lossmap::landscape::Curvature;
use lossmap::optim::{minimize, Adam, AdamConfig, Stop};
use lossmap::testfn::{Himmelblau, Rastrigin, Rosenbrock, SixHumpCamel};
use lossmap::Objective as _;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A QEMU board and the compilation target that selects it in `examples/firmware/build.rs`.
struct Board {
    name: &'static str,
    target: &'static str,
    machine: &'static str,
    ram_bytes: u64,
}

const MPS2_AN386: Board = Board {
    name: "mps2-an386",
    target: "thumbv7em-none-eabihf",
    machine: "mps2-an386",
    ram_bytes: 4 << 20,
};

const MICROBIT: Board = Board {
    name: "microbit",
    target: "thumbv6m-none-eabi",
    machine: "microbit",
    ram_bytes: 16 << 10,
};

/// The firmware finishes in well under a second; this only guards against a hang.
const QEMU_TIMEOUT: Duration = Duration::from_secs(120);

/// The defmt decoder program (`scripts/test` installs a pinned version).
const DEFMT_PRINT: &str = "defmt-print";

/// What `defmt-print --show-skipped-frames` prints for a frame it could not decode.
const SKIPPED_FRAME: &str = "malformed frame skipped";

/// Decodes the defmt stream `frames` with the defmt table of `elf`: one message per line
/// (`--log-format {s}`: the message alone, whatever defmt-print's default layout).
fn decode(elf: &Path, frames: &[u8]) -> Result<String, String> {
    let mut child = Command::new(DEFMT_PRINT)
        .arg("-e")
        .arg(elf)
        .args(["--log-format", "{s}", "--show-skipped-frames"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {DEFMT_PRINT}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let frames = frames.to_vec();
    // Written from a thread: defmt-print's output could fill its pipe before it has read all.
    let writer = std::thread::spawn(move || stdin.write_all(&frames));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {DEFMT_PRINT}: {e}"))?;
    let written = writer.join().expect("writer thread");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if let Err(e) = written {
        return Err(format!("writing to {DEFMT_PRINT}: {e}\n{err}"));
    }
    if !out.status.success() || !err.trim().is_empty() || text.contains(SKIPPED_FRAME) {
        return Err(format!("{DEFMT_PRINT}: {}\n{err}\n{text}", out.status));
    }
    Ok(text)
}

/// The decoded log, for lookups that fail with the whole log in the message.
struct Log<'a> {
    test: &'a str,
    text: &'a str,
}

impl<'a> Log<'a> {
    /// The one line that starts with `prefix`.
    fn line(&self, prefix: &str) -> Line<'a> {
        let mut found = self.text.lines().filter(|l| l.starts_with(prefix));
        let line = found
            .next()
            .unwrap_or_else(|| panic!("{}: no line `{prefix}…` in:\n{}", self.test, self.text));
        assert!(
            found.next().is_none(),
            "{}: more than one line `{prefix}…` in:\n{}",
            self.test,
            self.text
        );
        Line {
            test: self.test,
            text: line,
        }
    }
}

/// One decoded line: text of the demo's own (`key=value`) and lossmap structs as their derived
/// `defmt::Format` prints them (`Report { reason: GradientNorm, iterations: 2864, … }`).
#[derive(Clone, Copy)]
struct Line<'a> {
    test: &'a str,
    text: &'a str,
}

impl Line<'_> {
    /// The value after `key=` or `key: ` (the first such key not preceded by a word character):
    /// up to the next space or comma outside brackets, or the bracket that closes its container.
    fn field(&self, key: &str) -> &str {
        let t = self.text;
        let start = t
            .match_indices(key)
            .filter(|&(i, _)| {
                !t[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
            .find_map(|(i, _)| {
                let rest = &t[i + key.len()..];
                rest.strip_prefix('=')
                    .or_else(|| rest.strip_prefix(": "))
                    .map(|v| t.len() - v.len())
            })
            .unwrap_or_else(|| panic!("{}: no `{key}` in: {t}", self.test));
        let mut depth = 0usize;
        let mut end = t.len();
        for (i, c) in t[start..].char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => {
                    end = start + i;
                    break;
                }
                ')' | ']' | '}' => depth -= 1,
                ' ' | ',' if depth == 0 => {
                    end = start + i;
                    break;
                }
                _ => {}
            }
        }
        &t[start..end]
    }

    /// [`field`](Self::field) as a number.
    fn num(&self, key: &str) -> f64 {
        let v = self.field(key);
        v.parse()
            .unwrap_or_else(|e| panic!("{}: `{key}` = {v:?} ({e}) in: {}", self.test, self.text))
    }

    /// [`field`](Self::field) as a list of numbers, brackets and parentheses dropped:
    /// `(1.0, 2.0)` and `[[1.0, 2.0], [3.0, 4.0]]` alike.
    fn nums(&self, key: &str) -> Vec<f64> {
        let v = self.field(key);
        v.split(|c: char| "()[], ".contains(c))
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().unwrap_or_else(|e| {
                    panic!("{}: `{key}` = {v:?} ({e}) in: {}", self.test, self.text)
                })
            })
            .collect()
    }

    /// [`nums`](Self::nums) of a 2-vector.
    fn pair(&self, key: &str) -> [f64; 2] {
        let v = self.nums(key);
        assert_eq!(v.len(), 2, "{}: `{key}` in: {}", self.test, self.text);
        [v[0], v[1]]
    }

    /// Asserts `ok`, showing the line.
    fn check(&self, ok: bool, what: &str) {
        assert!(ok, "{}: {what}: {}", self.test, self.text);
    }

    /// Asserts the line ends with the firmware's own `[ok]`.
    fn check_verdict(&self) {
        self.check(
            self.text.ends_with(" [ok]"),
            "the firmware's verdict is not [ok]",
        );
    }
}

fn rel_err(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

/// The demo's line-fit data (`fit_data` in `demo.rs`, the same LCG and noise) and its
/// least-squares line from the normal equations in f64.
fn fit_reference() -> ([f32; 16], [f32; 16], [f64; 2]) {
    let (mut t, mut y) = ([0.0f32; 16], [0.0f32; 16]);
    let mut s: u32 = 2024;
    let (mut st, mut sy, mut stt, mut sty) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (i, (ti, yi)) in t.iter_mut().zip(y.iter_mut()).enumerate() {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = 0.2 * ((s >> 8) as f32 / (1u32 << 24) as f32 - 0.5);
        *ti = -1.0 + 2.0 * i as f32 / 15.0;
        *yi = 2.0 * *ti - 0.5 + noise;
        let (a, b) = (f64::from(*ti), f64::from(*yi));
        st += a;
        sy += b;
        stt += a * a;
        sty += a * b;
    }
    let a = (16.0 * sty - st * sy) / (16.0 * stt - st * st);
    (t, y, [a, (sy - a * st) / 16.0])
}

/// scipy's `curve_fit` on the demo's calibration data (`tests/reference/firmware_calibration.txt`):
/// `(params, stderr)`.
fn calibration_reference() -> ([f64; 3], [f64; 3]) {
    let text = include_str!("../reference/firmware_calibration.txt");
    let row = |key: &str| -> [f64; 3] {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .expect("reference row");
        let v: Vec<f64> = line
            .split_whitespace()
            .map(|s| s.parse().expect("number"))
            .collect();
        [v[0], v[1], v[2]]
    };
    (row("params "), row("stderr "))
}

/// Checks the values of every result line of the decoded log against host references.
fn check_results(log: &Log<'_>) {
    // The calibration against scipy's curve_fit on the same data: the parameters within 0.05
    // standard errors, the standard errors within 2 % (the demo's own tolerances, derived there).
    let cal = log.line("calibration f32 levenberg-marquardt,");
    let (params, stderr) = calibration_reference();
    let (p, se) = (cal.nums("params"), cal.nums("stderr"));
    cal.check(p.len() == 3 && se.len() == 3, "three parameters");
    for i in 0..3 {
        cal.check(
            (p[i] - params[i]).abs() <= 0.05 * stderr[i],
            "parameter not within 0.05 standard errors of curve_fit's",
        );
        cal.check(
            rel_err(se[i], stderr[i]) <= 0.02,
            "standard error not within 2 % of curve_fit's",
        );
    }
    cal.check_verdict();

    // Adam on Rosenbrock: the end point near (1, 1), the reported loss f(x) at that point.
    let adam = log.line("rosenbrock f32 adam(");
    let x = adam.pair("x");
    adam.check(
        x.iter().all(|v| (v - 1.0).abs() <= 1e-2),
        "Adam end point not within 1e-2 of (1, 1)",
    );
    adam.check(adam.field("reason") == "GradientNorm", "reason");
    adam.check(adam.num("grad_norm") <= 1e-3, "grad_norm > 1e-3");
    let steps = adam.num("iterations");
    adam.check((1.0..=10_000.0).contains(&steps), "iterations");
    // Decoded f32s print as their shortest round-trip decimal: the parse restores the bits.
    let f = f64::from(Rosenbrock.value(&x.map(|v| v as f32)));
    adam.check(rel_err(adam.num("loss"), f) <= 1e-5, "loss is not f(x)");
    // The same run on the host (IEEE-754 f32, sqrt correctly rounded everywhere): the same
    // steps to the same end point, bit for bit.
    let mut host_x = [-1.2f32, 1.0];
    let config = AdamConfig {
        lr: 0.02,
        ..AdamConfig::default()
    };
    let stop = Stop {
        grad_tol: 1e-3,
        max_iter: 10_000,
        ..Stop::default()
    };
    let host = Adam::<f32, 2>::new(config)
        .and_then(|mut adam| minimize(&mut Rosenbrock, &mut host_x, &mut adam, &stop))
        .expect("host Adam run");
    adam.check(
        steps == host.iterations as f64 && x.map(|v| v as f32) == host_x,
        &format!("not the host's run: {host:?} at {host_x:?}"),
    );
    adam.check_verdict();

    // The line fit against the normal equations solved here.
    let fit = log.line("line fit f32 adam(");
    let (t, y, ls) = fit_reference();
    let device_ls = fit.pair("least_squares");
    fit.check(
        device_ls
            .iter()
            .zip(ls)
            .all(|(d, h)| rel_err(*d, h) <= 1e-12),
        "the device's least-squares line differs from the host's",
    );
    let (a, b) = (fit.num("a"), fit.num("b"));
    fit.check(
        (a - ls[0]).abs() <= 5e-4 && (b - ls[1]).abs() <= 5e-4,
        "fit not within 5e-4 of the least-squares line",
    );
    fit.check(fit.field("reason") == "GradientNorm", "reason");
    fit.check(fit.num("grad_norm") <= 1e-4, "grad_norm > 1e-4");
    let (a32, b32) = (a as f32, b as f32);
    let mse = t.iter().zip(&y).fold(0.0f32, |s, (&ti, &yi)| {
        let r = a32 * ti + b32 - yi;
        s + r * r
    }) / 16.0;
    fit.check(
        rel_err(fit.num("loss"), f64::from(mse)) <= 1e-5,
        "loss is not the MSE at (a, b)",
    );
    fit.check_verdict();

    // Newton in f64 (soft-float on both boards).
    let newton = log.line("rosenbrock f64 newton");
    let x = newton.pair("x");
    newton.check(
        x.iter().all(|v| (v - 1.0).abs() < 1e-8),
        "x not within 1e-8 of (1, 1)",
    );
    newton.check(newton.field("reason") == "GradientNorm", "reason");
    newton.check(newton.num("grad_norm") < 1e-8, "grad_norm ≥ 1e-8");
    newton.check(newton.num("iterations") <= 21.0, "more than 21 iterations");
    let f = Rosenbrock.value(&x);
    newton.check(
        (newton.num("loss") - f).abs() <= 1e-6 * f + 1e-30,
        "loss is not f(x)",
    );
    newton.check_verdict();

    // Eigen-decomposition of H(1, 1) = [[802, −400], [−400, 200]]: values against the closed
    // form, vectors by their residual.
    let eig = log.line("eigen(H(1,1)) f32");
    let r = (301.0f64 * 301.0 + 400.0 * 400.0).sqrt();
    let want = [501.0 - r, 501.0 + r];
    let values = eig.pair("values");
    eig.check(
        values.iter().zip(want).all(|(v, w)| rel_err(*v, w) <= 1e-4),
        "eigenvalues not within 1e-4 of 501 ∓ √(301² + 400²)",
    );
    let v = eig.nums("vectors");
    eig.check(v.len() == 4, "two 2-vectors");
    let h = [[802.0, -400.0], [-400.0, 200.0]];
    for (k, lambda) in values.iter().enumerate() {
        let u = [v[2 * k], v[2 * k + 1]];
        let res = (0..2)
            .map(|i| (h[i][0] * u[0] + h[i][1] * u[1] - lambda * u[i]).abs())
            .fold(0.0, f64::max);
        eig.check(res <= 1e-3 * 1002.0, "‖H v − λ v‖ > 1e-3 ‖H‖");
        eig.check(
            ((u[0] * u[0] + u[1] * u[1]) - 1.0).abs() <= 1e-5,
            "vector not unit",
        );
    }
    eig.check_verdict();

    // The saddle: index 1, its eigenvalues against lossmap's own in f64 on the host.
    let saddle = Himmelblau::SADDLES[2];
    let cls = log.line("classify himmelblau saddle[2]");
    cls.check(
        cls.text.contains(": Saddle { index: 1 } "),
        "not classified Saddle { index: 1 }",
    );
    cls.check(
        cls.num("|g|") <= 1e-4,
        "|g| at the f32-rounded saddle > 1e-4",
    );
    let host = Curvature::at(&mut Himmelblau, &saddle).expect("host curvature");
    cls.check(
        cls.pair("eigenvalues")
            .iter()
            .zip(host.eigen.values)
            .all(|(d, h)| rel_err(*d, h) <= 1e-3),
        "eigenvalues not within 1e-3 of the host's f64 ones",
    );
    cls.check_verdict();

    // The refusal: lossmap's `Error`, printed by its derived `defmt::Format`.
    let reject = log.line("cholesky newton step at the saddle f32");
    let e = lossmap::Error::NotPositiveDefinite;
    reject.check(
        reject
            .text
            .contains(&format!(": error {e:?} (code {}) ", e.code())),
        "not `error NotPositiveDefinite (code -9)`",
    );
    reject.check_verdict();

    // NEB between MINIMA[0] and MINIMA[3]: the climbing image on Himmelblau's SADDLES[2].
    let neb = log.line("neb himmelblau f32");
    let s = neb.pair("saddle");
    neb.check(
        s.iter().zip(saddle).all(|(d, h)| (d - h).abs() <= 1e-3),
        "climbing image not within 1e-3 of the saddle",
    );
    neb.check(
        neb.field("climbing_image") == "Saddle",
        "climbing image not a saddle",
    );
    neb.check(
        neb.text.contains("climbing_image=Saddle { index: 1 } "),
        "not index 1",
    );
    for key in ["barrier_from_a", "barrier_from_b"] {
        neb.check(
            rel_err(
                neb.num(key),
                Himmelblau::SADDLE_VALUES[2] - Himmelblau::MIN_VALUE,
            ) <= 1e-3,
            "barrier not within 1e-3 of the saddle value",
        );
    }
    neb.check(
        neb.field("climbed") == "true",
        "climbing image never switched on",
    );
    neb.check(neb.field("converged") == "true", "not converged");
    // The tolerance is relative to the force scale the run measured.
    let force_tol = f64::from(lossmap::landscape::NebConfig::<f32>::default().force_tol)
        * neb.num("force_scale");
    neb.check(neb.num("max_force") <= force_tol, "max_force > force_tol");
    neb.check_verdict();

    // Global searches: the target reached within the budget, at a global minimizer.
    let check_search = |line: Line<'_>, minimizers: &[[f64; 2]], f_star: f64, f: f64| {
        let best = line.pair("best");
        line.check(
            minimizers
                .iter()
                .any(|m| best.iter().zip(m).all(|(b, m)| (b - m).abs() <= 1e-3)),
            "best point not within 1e-3 of a global minimizer",
        );
        line.check(line.field("reason") == "Target", "reason is not Target");
        let best_loss = line.num("best_loss");
        line.check(
            (best_loss - f_star).abs() <= 1e-5,
            "best_loss not within 1e-5 of f*",
        );
        line.check((best_loss - f).abs() <= 1e-5, "best_loss is not f(best)");
        line.check(
            line.num("value_evals") + line.num("grad_evals") <= 20_000.0,
            "over the 20 000-evaluation budget",
        );
        line.check_verdict();
    };
    let line = log.line("annealing rastrigin f32");
    let best = line.pair("best").map(|v| v as f32);
    let f = f64::from(Rastrigin::<2>.value(&best));
    check_search(
        line,
        &[Rastrigin::<2>::MINIMUM],
        Rastrigin::<2>::MIN_VALUE,
        f,
    );
    let line = log.line("genetic (P=16) six-hump camel f32");
    let best = line.pair("best").map(|v| v as f32);
    let f = f64::from(SixHumpCamel.value(&best));
    check_search(line, &SixHumpCamel::MINIMA, SixHumpCamel::MIN_VALUE, f);
}

/// `key=value` pairs of the `LOSSMAP-FIRMWARE` line in `text`, with the line itself.
fn parse_result_line(text: &str) -> Option<(String, HashMap<String, String>)> {
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with("LOSSMAP-FIRMWARE "))?
        .trim();
    let fields = line
        .split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Some((line.to_string(), fields))
}

fn number(fields: &HashMap<String, String>, key: &str, line: &str) -> u64 {
    fields
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no numeric `{key}=` in: {line}"))
}

fn run_board(board: &Board) {
    let test = format!("firmware {}", board.name);
    if !require_tools(
        &test,
        &[
            Need::Tool("qemu-system-arm"),
            Need::Tool(DEFMT_PRINT),
            Need::RustTarget(board.target),
        ],
    ) {
        return;
    }

    let (build, elf) = build_firmware(board.target, "demo", &[]);
    assert!(
        build.success(),
        "{test}: building demo for {} failed: {}",
        board.target,
        build.describe()
    );
    eprintln!(
        "{test}: built {} in {:.1} s",
        elf.display(),
        build.elapsed.as_secs_f64()
    );

    let mut qemu = Command::new("qemu-system-arm");
    qemu.args([
        "-M",
        board.machine,
        "-nographic",
        "-semihosting-config",
        "enable=on,target=native",
        "-kernel",
    ])
    .arg(&elf);
    let report_name = format!("firmware-{}.txt", board.name);
    let log_name = format!("firmware-{}.log", board.name);
    let _ = std::fs::remove_file(reports_dir().join(&report_name));
    let _ = std::fs::remove_file(reports_dir().join(&log_name));
    let run = run_with_timeout(&mut qemu, QEMU_TIMEOUT);
    // stdout is the binary defmt stream; stderr only has text after a panic (or from QEMU).
    let decoded = decode(&elf, &run.stdout_bytes);
    let qemu_says = format!(
        "QEMU {}, {} bytes of defmt frames, {:.2} s\n--- stderr ---\n{}",
        match run.status {
            Some(s) => s.to_string(),
            None => "killed after the timeout".to_string(),
        },
        run.stdout_bytes.len(),
        run.elapsed.as_secs_f64(),
        run.stderr.trim_end()
    );
    let text = match &decoded {
        Ok(text) => text.as_str(),
        Err(e) => panic!("{test}: decoding the defmt log failed: {e}\n{qemu_says}"),
    };
    eprintln!(
        "{test}: {qemu_says}\n--- decoded defmt log ---\n{}",
        text.trim_end()
    );
    write_report(&log_name, text.trim_end());
    // The line is kept even when a check failed (it then says ok=0); after a panic it is on
    // stderr, in plain text.
    let parsed = parse_result_line(text).or_else(|| parse_result_line(&run.stderr));
    let report = parsed
        .as_ref()
        .map(|(line, _)| write_report(&report_name, line));
    assert!(
        !run.timed_out,
        "{test}: QEMU did not exit within {QEMU_TIMEOUT:?}: {qemu_says}"
    );
    assert!(
        run.success(),
        "{test}: firmware reported failure: {qemu_says}\n{text}"
    );

    let log = Log { test: &test, text };
    assert_eq!(
        text.lines().next(),
        Some(format!("lossmap firmware demo on {}", board.name).as_str()),
        "{test}: first line"
    );
    check_results(&log);

    let (line, fields) =
        parsed.unwrap_or_else(|| panic!("{test}: no LOSSMAP-FIRMWARE line: {qemu_says}\n{text}"));
    assert_eq!(
        text.lines().last().map(str::trim),
        Some(line.as_str()),
        "{test}: the LOSSMAP-FIRMWARE line is not the last"
    );
    assert_eq!(
        fields.get("board").map(String::as_str),
        Some(board.name),
        "{test}: {line}"
    );
    // The individual checks first, so a failure names the one that failed.
    for check in [
        "fit",
        "newton",
        "classify",
        "reject",
        "neb",
        "anneal",
        "ga",
        "calibrate",
        "ok",
    ] {
        assert_eq!(
            fields.get(check).map(String::as_str),
            Some("1"),
            "{test}: `{check}=1` expected: {line}"
        );
    }
    let flash = number(&fields, "flash", &line);
    let text_bytes = number(&fields, "text", &line);
    let rodata = number(&fields, "rodata", &line);
    let stack_peak = number(&fields, "stack_peak", &line);
    assert_eq!(flash, text_bytes + rodata, "{test}: {line}");
    assert!(text_bytes > 0 && stack_peak > 0, "{test}: {line}");
    assert!(
        stack_peak < board.ram_bytes,
        "{test}: stack beyond RAM: {line}"
    );
    let stack = log.line("stack: peak ");
    stack.check(
        stack
            .text
            .starts_with(&format!("stack: peak {stack_peak} bytes ")),
        "stack line disagrees with stack_peak",
    );
    let image = log.line("image: ");
    image.check(
        image.text
            == format!("image: .text {text_bytes} + .rodata {rodata} = {flash} bytes of flash"),
        "image line disagrees with the LOSSMAP-FIRMWARE line",
    );
    eprintln!(
        "{test}: flash {flash} B (.text {text_bytes} + .rodata {rodata}), stack peak {stack_peak} B; \
         QEMU ran {:.2} s; report {}",
        run.elapsed.as_secs_f64(),
        report.unwrap_or_default().display()
    );
}

#[test]
fn firmware_mps2_an386_cortex_m4f() {
    run_board(&MPS2_AN386);
}

#[test]
fn firmware_microbit_cortex_m0() {
    run_board(&MICROBIT);
}
