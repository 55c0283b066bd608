//! Fuzz target `derivatives`: see `bodies::derivatives` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run derivatives`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::derivatives(data));
