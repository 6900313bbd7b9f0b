//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and every crash found so
//! far (`fuzz/regressions/<target>/`, one file per crash, named after what it
//! found) through the same harnesses as the fuzz targets. Runs with
//! `--features fuzzing` (the README's test command enables all features).
#![cfg(feature = "fuzzing")]

use std::path::Path;

#[test]
fn the_fuzz_corpus_and_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for (target, harness) in batchscale::fuzzing::TARGETS {
        for kind in ["corpus", "regressions"] {
            let dir = root.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let data = std::fs::read(&path).unwrap();
                harness(&data);
                replayed += 1;
            }
        }
    }
    assert!(replayed > 100, "only {replayed} inputs replayed");
}
