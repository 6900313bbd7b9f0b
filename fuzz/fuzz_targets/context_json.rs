#![no_main]
//! Fuzz target `context_json`: see `batchscale::fuzzing::context_json`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::context_json(data));
