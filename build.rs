//! Tells the library whether the Arm core it is built for runs the assembly of the `f32` Adam
//! step (`src/optim/adam_asm.rs`), which uses `bfc` (ARMv6T2) and `vcvt` between floating and
//! fixed point (VFPv3): `cfg(lossmap_arm_v7_fp)` on hard-float ARMv7 and ARMv8 targets
//! (`armv7*`, `thumbv7*`, `armv8*`, `thumbv8*` with the `eabihf` ABI, e.g. the Cortex-M4F's
//! `thumbv7em-none-eabihf`). Stable Rust sets no Arm `target_feature` to test instead; older
//! hard-float cores (ARMv6 with VFPv2, `arm-unknown-linux-gnueabihf`) take the compiled step,
//! which gives the same bits.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(lossmap_arm_v7_fp)");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let target = var("TARGET");
    let arch = target.split('-').next().unwrap_or_default();
    let v7_or_later = ["armv7", "thumbv7", "armv8", "thumbv8"]
        .iter()
        .any(|p| arch.starts_with(p));
    if var("CARGO_CFG_TARGET_ARCH") == "arm"
        && var("CARGO_CFG_TARGET_ABI") == "eabihf"
        && v7_or_later
    {
        println!("cargo::rustc-cfg=lossmap_arm_v7_fp");
    }
}
