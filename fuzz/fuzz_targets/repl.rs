#![no_main]
//! Fuzz target `repl`: see `batchscale::fuzzing::repl`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::repl(data));
