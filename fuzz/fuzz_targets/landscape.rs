//! Fuzz target `landscape`: see `bodies::landscape` (fuzz/src/bodies.rs). Run from the repository root:
//! `cargo +nightly fuzz run landscape`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::landscape(data));
