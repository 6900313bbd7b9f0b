//! Formulas found in real-shaped ARM, `az`, Terraform-plan JSON, Bicep and
//! Terraform files: each known error is reported at the file's own line and
//! column (worked out by counting characters in the fixture).

use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/check/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `check --format json` and returns (exit code, records).
fn check(args: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), records)
}

/// (line, column, severity, code) of every record.
fn found(records: &[Value]) -> Vec<(u64, u64, String, String)> {
    records
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["severity"].as_str().unwrap().to_string(),
                r["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(records: &[Value], line: u64, column: u64, code: &str) -> bool {
    found(records)
        .iter()
        .any(|(l, c, _, k)| *l == line && *c == column && k == code)
}

#[test]
fn arm_template_with_comments() {
    let (code, records) = check(&[&fixture("arm-template.json")]);
    assert_eq!(code, 1);
    // `"PT1M"` opens at column 35 of line 19.
    assert!(has(&records, 19, 35, "evaluation-interval"), "{records:?}");
    // `GetAverage` inside the JSON string on line 20: the `\n` escape before
    // it is two characters in the file, one in the formula.
    assert!(has(&records, 20, 55, "unknown-method"), "{records:?}");
    // The second pool's formula is an ARM expression.
    let info = records
        .iter()
        .find(|r| r["code"] == "not-statically-checkable")
        .unwrap();
    assert_eq!(
        (info["line"].as_u64(), info["column"].as_u64()),
        (Some(33), Some(24))
    );
    assert_eq!(info["severity"], "info");
}

#[test]
fn az_pool_json_maps_escapes() {
    let (code, records) = check(&[&fixture("pool.json")]);
    assert_eq!(code, 1);
    // `$PendingTask` is at column 161 of line 6, after two `\n` escapes.
    assert!(has(&records, 6, 161, "undefined-symbol"), "{records:?}");
    let r = records
        .iter()
        .find(|r| r["code"] == "undefined-symbol")
        .unwrap();
    assert_eq!(r["help"], "did you mean `$PendingTasks`?");
    // The sibling interval PT5M is the service's minimum: accepted.
    assert!(!records.iter().any(|r| r["code"] == "evaluation-interval"));
}

#[test]
fn job_auto_pool_specification() {
    let (_, records) = check(&[&fixture("job.json")]);
    assert!(has(&records, 9, 40, "evaluation-interval"), "{records:?}");
    assert!(has(&records, 10, 74, "unknown-method"), "{records:?}");
}

#[test]
fn terraform_plan_json() {
    let (_, records) = check(&[&fixture("plan.json")]);
    assert!(has(&records, 16, 53, "negative-target"), "{records:?}");
    assert!(has(&records, 16, 108, "undefined-symbol"), "{records:?}");
}

#[test]
fn bicep_multiline_and_interpolated() {
    let (code, records) = check(&[&fixture("main.bicep")]);
    assert_eq!(code, 1);
    // The error is at the token the parser could not take, the start of
    // line 20; the `;` belongs right after `))` at the end of line 19
    // (column 84).
    let semi = records
        .iter()
        .find(|r| r["code"] == "missing-semicolon")
        .unwrap();
    assert_eq!(
        (semi["line"].as_u64(), semi["column"].as_u64()),
        (Some(20), Some(1))
    );
    assert_eq!(
        (semi["fix"]["line"].as_u64(), semi["fix"]["column"].as_u64()),
        (Some(19), Some(84))
    );
    assert_eq!(semi["fix"]["insert"], ";");
    // `${maxNodes}` on line 34 column 49 is filled at deployment.
    assert!(
        has(&records, 34, 49, "not-statically-checkable"),
        "{records:?}"
    );
    // A vector times an interval, at the `*` (column 89).
    assert!(has(&records, 34, 89, "type-mismatch"), "{records:?}");
}

#[test]
fn bicep_define_fills_interpolation() {
    let (_, records) = check(&["--define", "maxNodes=10", &fixture("main.bicep")]);
    assert!(!records
        .iter()
        .any(|r| r["code"] == "not-statically-checkable"));
    // The type error is still found at the same place.
    assert!(has(&records, 34, 89, "type-mismatch"), "{records:?}");
}

#[test]
fn terraform_heredoc_and_quoted() {
    let (code, records) = check(&[&fixture("main.tf")]);
    assert_eq!(code, 1);
    // `<<-EOF` strips six spaces of indentation; `.hours` is still reported
    // at its place in the file: line 15, column 70.
    assert!(has(&records, 15, 70, "unknown-member"), "{records:?}");
    assert!(has(&records, 26, 27, "evaluation-interval"), "{records:?}");
    // `\"2\"` is an escaped string in HCL; the `*` is at column 58.
    assert!(has(&records, 27, 58, "type-mismatch"), "{records:?}");
}

#[test]
fn bad_json_is_an_input_error_with_position() {
    let dir = std::env::temp_dir().join(format!("bs-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"autoScaleFormula\": \"$TargetDedicatedNodes = 1;\"\n  \"id\": 3\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The missing `,` is noticed where `"id"` starts: line 3, column 3.
    assert!(
        stderr.contains("broken.json:3:3: expected `,` or `}`"),
        "{stderr}"
    );
}

#[test]
fn arm_double_bracket_is_a_literal() {
    let dir = std::env::temp_dir().join(format!("bs-check-arm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.json");
    let text = r#"{"resources": [{"type": "Microsoft.Batch/batchAccounts/pools", "properties": {"scaleSettings": {"autoScale": {"formula": "[[x = 1; $TargetDedicatedNodes = y;"}}}}]}"#;
    std::fs::write(&path, text).unwrap();
    let (_, records) = check(&[path.to_str().unwrap()]);
    // `[[` is a literal `[`: the formula `[x = 1; ...` does not parse at `[`,
    // which is the second `[` of the file's text.
    let col = text.find("[[").unwrap() as u64 + 2;
    assert!(has(&records, 1, col, "syntax-error"), "{records:?}");
}

#[test]
fn nextflow_template_placeholders_and_defines() {
    let path = fixture("nextflow.config");
    let (code, records) = check(&[&path]);
    assert_eq!(code, 1);
    // `{{vmCount}}`, `{{maxVmCount}}` and `{{scaleInterval}}` are filled from the
    // pool's own settings, as nf-azure does; `{{poolCreationTime}}` sits in a string.
    assert!(
        !records
            .iter()
            .any(|r| r["code"] == "not-statically-checkable"),
        "{records:?}"
    );
    // Line 25 is 94 characters long and lacks its `;`: the error is at the
    // next statement, after the 20 spaces that indent line 26, and the fix
    // at column 95 of line 25.
    assert!(has(&records, 26, 21, "missing-semicolon"), "{records:?}");
    let fix = records
        .iter()
        .find(|r| r["code"] == "missing-semicolon")
        .map(|r| (r["fix"]["line"].as_u64(), r["fix"]["column"].as_u64()));
    assert_eq!(fix, Some((Some(25), Some(95))));
    // The help of the fractional target shows the filled value.
    let help = records
        .iter()
        .find(|r| r["code"] == "fractional-target")
        .and_then(|r| r["help"].as_str())
        .unwrap();
    assert!(
        help.contains("lifespan < interval ? 3 : targetPoolSize"),
        "{help}"
    );
    // `--define` wins over the settings.
    let (_, records) = check(&["--define", "vmCount=7", &path]);
    let help = records
        .iter()
        .find(|r| r["code"] == "fractional-target")
        .and_then(|r| r["help"].as_str())
        .unwrap();
    assert!(
        help.contains("lifespan < interval ? 7 : targetPoolSize"),
        "{help}"
    );
}

#[test]
fn nextflow_placeholder_without_setting_is_info() {
    let dir = std::env::temp_dir().join(format!("bs-check-nf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nextflow.config");
    let text = "azure { batch { pools { auto {\n  scaleFormula = '$TargetDedicatedNodes = {{vmCount}};'\n} } } }\n";
    std::fs::write(&path, text).unwrap();
    let (code, records) = check(&[path.to_str().unwrap()]);
    assert_eq!(code, 0);
    // `{{vmCount}}` opens at column 43 of line 2, after two spaces, `scaleFormula = '` (16) and
    // `$TargetDedicatedNodes = ` (24).
    assert!(
        has(&records, 2, 43, "not-statically-checkable"),
        "{records:?}"
    );
}
