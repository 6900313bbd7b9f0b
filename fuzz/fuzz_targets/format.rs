#![no_main]
//! Fuzz target `format`: see `batchscale::fuzzing::format`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::format(data));
