#![no_main]
//! Fuzz target `check`: see `batchscale::fuzzing::check`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::check(data));
