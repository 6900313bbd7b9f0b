#![no_main]
//! Fuzz target `roundtrip`: see `batchscale::fuzzing::roundtrip`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::roundtrip(data));
