#![no_main]
//! Fuzz target `extract`: see `batchscale::fuzzing::extract`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::extract(data));
