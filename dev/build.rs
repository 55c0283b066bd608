//! Builds the reference C (`c/ref_adam.c`) four times with the host C compiler (the `cc`
//! crate), each `-O3`:
//!
//! | library            | x86_64 flags                       | used by                     |
//! |--------------------|------------------------------------|-----------------------------|
//! | `ref_native`       | `-march=native -fno-math-errno`    | the bench (times)           |
//! | `ref_v3`           | `-march=x86-64-v3 -fno-math-errno` | `cost-adam` (callgrind)     |
//! | `ref_native_errno` | `-march=native`                    | the bench: a plain build    |
//! | `ref_v3_errno`     | `-march=x86-64-v3`                 | `cost-adam`: a plain build  |
//!
//! Library `ref_<x>` prefixes its symbols with `ref_<x>_`.
//!
//! Without `-fno-math-errno`, `sqrt` of a negative must set `errno`, so gcc keeps a scalar
//! call path and does not vectorize the loop: that is the "plain C loop" of a default build.
//!
//! x86-64-v3 (AVX2, FMA) rather than `native` for callgrind: valgrind (3.19 here) does not
//! decode AVX-512, which `-march=native` may emit on a machine that has it. On other host
//! architectures every library is built without `-march`.

use std::env;

fn build(lib: &str, prefix: &str, march: Option<&str>, errno: bool) {
    let mut b = cc::Build::new();
    b.file("c/ref_adam.c")
        .include("c")
        .opt_level(3)
        .define("REF_PREFIX", prefix)
        .warnings(true)
        .extra_warnings(true);
    if !errno {
        b.flag("-fno-math-errno");
    }
    if let Some(m) = march {
        b.flag(format!("-march={m}"));
    }
    b.compile(lib);
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=c");
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64");
    let (native, v3) = (x86_64.then_some("native"), x86_64.then_some("x86-64-v3"));
    build("ref_native", "ref_native_", native, false);
    build("ref_v3", "ref_v3_", v3, false);
    build("ref_native_errno", "ref_native_errno_", native, true);
    build("ref_v3_errno", "ref_v3_errno_", v3, true);
}
