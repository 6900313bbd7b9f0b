#![no_main]
//! Fuzz target `evaluate`: see `batchscale::fuzzing::evaluate`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::evaluate(data));
