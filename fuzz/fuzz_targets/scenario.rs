#![no_main]
//! Fuzz target `scenario`: see `batchscale::fuzzing::scenario`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::scenario(data));
