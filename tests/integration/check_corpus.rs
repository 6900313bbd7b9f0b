//! The real-world corpus (copied from `shared/corpus/real-world.jsonl`): every
//! formula the service accepts passes `check` without an error (warnings
//! allowed), and every broken one is reported as an error.

use batchscale::lint::{check_formula, CheckOptions};
use batchscale::Severity;
use serde_json::Value;

#[test]
fn corpus_valid_pass_and_errors_fail() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/real-world.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut counted = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let formula = row["formula"].as_str().unwrap();
        let source = row["source"].as_str().unwrap();
        let errors: Vec<_> = check_formula(formula, &CheckOptions::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        match row["expect"].as_str().unwrap() {
            "valid" => {
                assert!(errors.is_empty(), "{source}: {errors:?}");
                counted.0 += 1;
            }
            "error" => {
                assert!(!errors.is_empty(), "{source}: no error reported");
                counted.1 += 1;
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    assert_eq!(counted, (15, 1));
}
