//! Fuzz target `drivers`: see `bodies::drivers` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run drivers`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::drivers(data));
