//! Fuzz target `sym_eigen`: see `bodies::sym_eigen` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run sym_eigen`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::sym_eigen(data));
