#![no_main]
//! Fuzz target `parse`: see `batchscale::fuzzing::parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::parse(data));
