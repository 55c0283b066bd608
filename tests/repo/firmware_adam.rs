//! Adam's steps on the Cortex-M4F (whose plain `f32` steps of n ≤ 16 elements take the
//! write-first step in assembly) and the Cortex-M0 against the host library: builds the
//! `adam_check` firmware, runs it under QEMU (which checks on the core every case against the
//! read-only pass with the same bias corrections, and every refused step's buffers against
//! its inputs), and runs the same cases (`examples/firmware/src/adam_cases.rs`, the shared
//! source) through the host's paths: the same status for every case, every refused step's
//! buffers unchanged on the host too, and the same bits of θ, m, v, v_max in every case: the
//! cores' fixed-point bias corrections are correctly rounded, as the host's from its `f64`
//! running products are (they could differ only where `1 − βᵗ` or its root lies within about
//! 2⁻⁴⁸ of a rounding midpoint, which none of these cases does). Each case is one step from an
//! empty cache; six chains of 80 steps (`adam_cases::chain`, β from 0 and the smallest normal
//! `f32` to 0.9999) check the cache the cores keep from step to step: after every step
//! its fixed-point powers are the exact integer recurrence `⌊pₜ₋₁·β⌋` computed here in `u128`,
//! and θ, m, v after every step the host's bits (the host keeps `f64` products: the same
//! corrections).
//!
//! Needs `qemu-system-arm` and the board's Rust target; without them the test is skipped
//! unless `LOSSMAP_REQUIRE_TOOLS=1`.

#[path = "../common/mod.rs"]
mod common;

#[allow(dead_code)]
#[path = "../../examples/firmware/src/adam_cases.rs"]
mod adam_cases;

use adam_cases::{
    case, chain, chain_word, hash, run, unchanged, CASES, CHAIN_BETAS, CHAIN_STEPS, MAX_N,
};
use common::{build_firmware, require_tools, run_with_timeout, write_report, Need};
use lossmap::optim::AdamBias;
use std::process::Command;
use std::time::Duration;

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

fn run_board(name: &str, target: &str, machine: &str) {
    let test = format!("firmware adam {name}");
    if !require_tools(
        &test,
        &[Need::Tool("qemu-system-arm"), Need::RustTarget(target)],
    ) {
        return;
    }
    let (build, elf) = build_firmware(target, "adam_check", &[]);
    assert!(build.success(), "{test}: build: {}", build.describe());
    let mut cmd = Command::new("qemu-system-arm");
    cmd.args(["-M", machine, "-nographic"])
        .args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(&elf);
    let out = run_with_timeout(&mut cmd, Duration::from_secs(120));
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("LOSSMAP-ADAM-CASE "))
        .collect();
    write_report(&format!("firmware-adam-{name}.txt"), &lines.join("\n"));
    assert!(out.success(), "{test}: {}", out.describe());
    assert_eq!(lines.len(), CASES, "{test}: {}", out.stdout);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(field(l, "i"), Some(i.to_string().as_str()), "{test}: {l}");
        assert_eq!(field(l, "ok"), Some("1"), "{test}: {l}");
        let c = case(i);
        let mut o = [[0.0f32; 2 * MAX_N]; 4];
        let (status, t) = run(&c, c.n, &mut o);
        assert_eq!(
            field(l, "status"),
            Some(status.to_string().as_str()),
            "{test}: case {i} (n {}): host status {status}: {l}",
            c.n
        );
        if status != 0 {
            assert!(unchanged(&c, &o), "{test}: case {i}: host wrote on error");
        }
        let h = format!("{:08x}", hash(status, t, c.n, &o));
        assert_eq!(field(l, "hash"), Some(h.as_str()), "{test}: case {i}: {l}");
    }
    eprintln!("{test}: {CASES} cases, statuses and bits equal to the host's");
    let chains: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("LOSSMAP-ADAM-CHAIN "))
        .collect();
    assert_eq!(chains.len(), CHAIN_BETAS.len(), "{test}: {}", out.stdout);
    for (i, l) in chains.iter().enumerate() {
        assert_eq!(field(l, "status"), Some("0"), "{test}: chain {i}: {l}");
        let h = format!("{:08x}", exact_chain(CHAIN_BETAS[i]));
        assert_eq!(field(l, "hash"), Some(h.as_str()), "{test}: chain {i}: {l}");
        let (status, _, hs) = chain(i);
        assert_eq!(status, 0, "{test}: chain {i} on the host");
        let hs = format!("{hs:08x}");
        assert_eq!(
            field(l, "state"),
            Some(hs.as_str()),
            "{test}: chain {i}: {l}"
        );
    }
    eprintln!(
        "{test}: {} chains of {CHAIN_STEPS} steps, the cache's powers the exact ⌊βᵗ·2⁶⁴⌋ \
         recurrence, θ, m, v the host's bits",
        CHAIN_BETAS.len()
    );
}

/// The hash `adam_cases::chain` computes on the core, from the exact integer recurrence of the
/// fixed-point powers (independent of the library): `p₀ = 2⁶⁴`, `pₜ = ⌊pₜ₋₁·β⌋` with β =
/// `B·2^(e−150)` exactly (`B` its significand, `e` its biased exponent; β = 0 or subnormal: 0),
/// in `u128`.
fn exact_chain((beta1, beta2): (f32, f32)) -> u32 {
    let next = |p: u128, b: f32| -> u128 {
        let bits = b.to_bits();
        let e = bits >> 23;
        if e == 0 {
            return 0;
        }
        let sig = u128::from(bits & 0x007f_ffff | 0x0080_0000);
        (p * sig).checked_shr(150 - e).unwrap_or(0)
    };
    let (mut p1, mut p2, mut h) = (1u128 << 64, 1u128 << 64, 0x811c_9dc5u32);
    for t in 1..=CHAIN_STEPS {
        (p1, p2) = (next(p1, beta1), next(p2, beta2));
        let words = |p: u128| [f32::from_bits(p as u32), f32::from_bits((p >> 32) as u32)];
        let bias = AdamBias {
            t,
            beta1,
            beta2,
            bc1: 0.0,
            bc2_sqrt: 0.0,
            c1: words(p1),
            c2: words(p2),
        };
        chain_word(&mut h, &bias);
    }
    h
}

#[test]
fn firmware_adam_mps2_an386_cortex_m4f() {
    run_board("mps2-an386", "thumbv7em-none-eabihf", "mps2-an386");
}

#[test]
fn firmware_adam_microbit_cortex_m0() {
    run_board("microbit", "thumbv6m-none-eabi", "microbit");
}
