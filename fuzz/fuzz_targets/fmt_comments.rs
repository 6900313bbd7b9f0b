#![no_main]
//! Fuzz target `fmt_comments`: see `batchscale::fuzzing::fmt_comments`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| batchscale::fuzzing::fmt_comments(data));
