#![no_main]
//! Fuzz target `metrics_csv`: see `batchscale::fuzzing::metrics_csv`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::metrics_csv(data));
