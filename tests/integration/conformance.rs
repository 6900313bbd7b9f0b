//! Every conformance case (the service's known answers, copied from
//! `shared/conformance/cases`) through the library and through the CLI contract
//! `batchscale eval --context CTX --format json FORMULA`.

use std::path::{Path, PathBuf};
use std::process::Command;

use batchscale::context::load_context_json;
use batchscale::{AutoScaleRun, AutoScaleRunError, Formula};
use serde_json::Value;

fn cases() -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    assert!(paths.len() >= 8, "conformance cases missing from {dir:?}");
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn check_run(name: &str, expect: &Value, run: &AutoScaleRun) {
    if let Some(results) = expect.get("results").and_then(Value::as_str) {
        assert_eq!(run.results, results, "{name}: results");
    }
    if let Some(entries) = expect.get("entries").and_then(Value::as_object) {
        for (k, v) in entries {
            let pair = format!("{k}={}", v.as_str().unwrap());
            assert!(
                run.results.split(';').any(|p| p == pair),
                "{name}: {pair} missing from {}",
                run.results
            );
        }
    }
    match expect.get("error") {
        Some(Value::Null) | None => assert_eq!(run.error, None, "{name}: error"),
        Some(err) => {
            let got: &AutoScaleRunError = run.error.as_ref().expect("an error");
            if let Some(code) = err.get("code").and_then(Value::as_str) {
                assert_eq!(got.code, code, "{name}: code");
            }
            assert_eq!(
                got.message,
                err["message"].as_str().unwrap(),
                "{name}: message"
            );
            let values: Vec<(String, String)> = err["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["name"].as_str().unwrap().into(),
                        v["value"].as_str().unwrap().into(),
                    )
                })
                .collect();
            let got_values: Vec<(String, String)> = got
                .values
                .iter()
                .map(|v| (v.name.clone(), v.value.clone()))
                .collect();
            assert_eq!(got_values, values, "{name}: values");
        }
    }
}

#[test]
fn every_case_passes_through_the_library() {
    for (path, case) in cases() {
        let name = path.display().to_string();
        let ctx_text = serde_json::to_vec(&case["context"]).unwrap();
        let ctx = load_context_json(&name, &ctx_text).unwrap().context;
        let formula = Formula::parse(case["formula"].as_str().unwrap()).unwrap();
        check_run(&name, &case["expect"], &formula.evaluate(&ctx));
    }
}

#[test]
fn every_case_passes_through_the_cli_contract() {
    let dir = std::env::temp_dir().join(format!("batchscale-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (path, case) in cases() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let ctx = dir.join(format!("{name}.ctx.json"));
        let formula = dir.join(format!("{name}.formula"));
        std::fs::write(&ctx, serde_json::to_vec(&case["context"]).unwrap()).unwrap();
        std::fs::write(&formula, case["formula"].as_str().unwrap()).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
            .args(["eval", "--context"])
            .arg(&ctx)
            .args(["--format", "json"])
            .arg(&formula)
            .output()
            .unwrap();
        let run: AutoScaleRun = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        check_run(&name, &case["expect"], &run);
        let failed = !case["expect"]["error"].is_null();
        assert_eq!(
            out.status.code(),
            Some(if failed { 1 } else { 0 }),
            "{name}: exit code"
        );
        assert_eq!(
            run.timestamp.len(),
            "2020-09-24T19:58:21.3060000Z".len(),
            "{name}: timestamp"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
