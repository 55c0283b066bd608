//! Fuzz target `capi`: see `bodies::capi` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run capi`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::capi(data));
