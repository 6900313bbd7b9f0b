#![no_main]
//! Fuzz target `render`: see `batchscale::fuzzing::render`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::render(data));
