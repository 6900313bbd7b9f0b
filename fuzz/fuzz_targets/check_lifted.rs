#![no_main]
//! Fuzz target `check_lifted`: see `batchscale::fuzzing::check_lifted`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::check_lifted(data));
