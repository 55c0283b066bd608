//! Fuzz target `optimizer_steps`: see `bodies::optimizer_steps` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run optimizer_steps`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::optimizer_steps(data));
