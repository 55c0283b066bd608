//! Fuzz target `global`: see `bodies::global` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run global`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::global(data));
