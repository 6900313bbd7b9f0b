//! Real-world formulas (`tests/corpus/real-world.jsonl`, copied from
//! `shared/corpus`): every `valid` one parses, checks without error and
//! evaluates without a panic; every `error` one is rejected.

use std::path::Path;

use batchscale::context::load_context_json;
use batchscale::{Formula, Severity};
use serde_json::Value;

#[test]
fn corpus_formulas_are_accepted_or_rejected_as_the_service_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/corpus/real-world.jsonl")).unwrap();
    let contexts: Vec<_> = ["busy-pool.json", "new-pool.json"]
        .iter()
        .map(|n| {
            let bytes = std::fs::read(root.join("examples/contexts").join(n)).unwrap();
            load_context_json(n, &bytes).unwrap().context
        })
        .collect();
    let mut counted = (0, 0);
    for (i, line) in text.lines().enumerate() {
        let entry: Value = serde_json::from_str(line).unwrap();
        let source = entry["formula"].as_str().unwrap();
        let parsed = Formula::parse(source);
        let has_error = match &parsed {
            Err(_) => true,
            Ok(f) => f
                .diagnostics()
                .iter()
                .any(|d| d.severity == Severity::Error),
        };
        match entry["expect"].as_str().unwrap() {
            "valid" => {
                counted.0 += 1;
                let formula = parsed.unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
                assert!(!has_error, "line {}: {:?}", i + 1, formula.diagnostics());
                for ctx in &contexts {
                    let run = formula.evaluate(ctx);
                    assert!(run.results.starts_with("$TargetDedicatedNodes="));
                }
            }
            _ => {
                counted.1 += 1;
                assert!(has_error, "line {}: accepted", i + 1);
            }
        }
    }
    assert_eq!(counted, (15, 1));
}
