//! Builds the reference C (`c/ref_adam.c`) twice with the host C compiler (the `cc` crate),
//! `-O3 -fno-math-errno` and
//!
//! | library       | symbols        | x86_64 flags          | used by                               |
//! |---------------|----------------|-----------------------|---------------------------------------|
//! | `ref_native`  | `ref_native_*` | `-march=native`       | the criterion bench (times)           |
//! | `ref_v3`      | `ref_v3_*`     | `-march=x86-64-v3`    | `cost-adam` under callgrind (counts)  |
//!
//! x86-64-v3 (AVX2, FMA) is the widest ISA valgrind 3.19–3.22 decodes: `-march=native` on a
//! machine with AVX-512 can emit instructions callgrind stops at. On other host architectures
//! both are built with `-O3` only.

use std::env;

fn build(lib: &str, prefix: &str, march: Option<&str>) {
    let mut b = cc::Build::new();
    b.file("c/ref_adam.c")
        .include("c")
        .opt_level(3)
        .flag("-fno-math-errno")
        .define("REF_PREFIX", prefix)
        .warnings(true)
        .extra_warnings(true);
    if let Some(m) = march {
        b.flag(format!("-march={m}"));
    }
    b.compile(lib);
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=c");
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    build("ref_native", "ref_native_", x86_64.then_some("native"));
    build("ref_v3", "ref_v3_", x86_64.then_some("x86-64-v3"));
}
