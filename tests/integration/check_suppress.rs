//! Inline suppressions: `// batchscale: allow(CODE)` for the next statement,
//! `// batchscale: allow-file(CODE)` for the whole formula, in formula files
//! and in formulas inside host files, and the `unused-suppression` warning.

use crate::common::batchscale;

/// `check --format json` of `text` read from standard input as `name`: the
/// codes reported, with line and column, and the exit code.
fn codes(name: &str, text: &str, extra: &[&str]) -> (Vec<(String, u64, u64)>, Option<i32>) {
    let mut args = vec!["check", "--format", "json", "--stdin-filename", name];
    args.extend_from_slice(extra);
    args.push("-");
    let out = batchscale(&args, text, &[]);
    let found = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["code"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (found, out.status.code())
}

fn only_codes(found: &[(String, u64, u64)]) -> Vec<&str> {
    found.iter().map(|(c, _, _)| c.as_str()).collect()
}

const UNUSED: &str = "spare = 1;\n$TargetDedicatedNodes = 2;\n";

#[test]
fn a_directive_drops_the_next_statements_warning() {
    // Without the directive, `spare` is reported (line 1).
    let (found, _) = codes("p.formula", UNUSED, &[]);
    assert_eq!(only_codes(&found), ["unused-variable"]);
    let text = format!("// batchscale: allow(unused-variable) kept for the results\n{UNUSED}");
    let (found, status) = codes("p.formula", &text, &["--deny", "warnings"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(status, Some(0));
}

#[test]
fn a_directive_covers_only_the_next_statement() {
    // The directive sits above `$TargetDedicatedNodes = 2;`; `spare` on
    // line 1 is still reported, and the directive, which dropped nothing, too.
    let text = "spare = 1;\n// batchscale: allow(unused-variable)\n$TargetDedicatedNodes = 2;\n";
    let (found, _) = codes("p.formula", text, &[]);
    // `// batchscale: allow(` is 21 characters: the code starts at column 22.
    assert_eq!(
        found,
        [
            ("unused-variable".to_string(), 1, 1),
            ("unused-suppression".to_string(), 2, 22)
        ]
    );
}

#[test]
fn a_file_wide_directive_anywhere_covers_every_statement() {
    let text = format!("{UNUSED}other = 3;\n// batchscale: allow-file(unused-variable)\n");
    let (found, _) = codes("p.formula", &text, &[]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn unknown_and_error_codes_are_reported_and_errors_stay() {
    // A misspelt code names its neighbour; an error cannot be suppressed.
    let text =
        "// batchscale: allow(unused-varible, undefined-symbol)\n$TargetDedicatedNodes = tsks;\n";
    let out = batchscale(
        &["check", "--stdin-filename", "p.formula", "-"],
        text,
        &[("NO_COLOR", "1")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`unused-varible` is not a rule code"),
        "{stdout}"
    );
    assert!(
        stdout.contains("did you mean `unused-variable`?"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "`undefined-symbol` is an error the service would report; it cannot be suppressed"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("error[undefined-symbol]"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_comment_that_is_not_a_directive_is_reported_and_can_be_allowed() {
    let text = format!("// batchscale: alow(unused-variable)\n{UNUSED}");
    let (found, _) = codes("p.formula", &text, &[]);
    assert_eq!(
        only_codes(&found),
        ["unused-suppression", "unused-variable"]
    );
    let (found, _) = codes("p.formula", &text, &["--allow", "unused-suppression"]);
    assert_eq!(only_codes(&found), ["unused-variable"]);
}

#[test]
fn inside_a_json_string_with_escaped_line_breaks() {
    // The formula's lines are `\n` escapes of one JSON string.
    let json = "{\n  \"enableAutoScale\": true,\n  \"autoScaleFormula\": \"// batchscale: allow(unused-variable)\\nspare = 1;\\n$TargetDedicatedNodes = 2;\"\n}\n";
    let (found, status) = codes("pool.json", json, &["--deny", "warnings"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(status, Some(0));
}

#[test]
fn inside_bicep_and_terraform_multi_line_strings() {
    let bicep = "resource pool 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {\n  name: 'p'\n  properties: {\n    scaleSettings: {\n      autoScale: {\n        evaluationInterval: 'PT5M'\n        formula: '''\n// batchscale: allow-file(unused-variable)\nspare = 1;\n$TargetDedicatedNodes = 2;\n'''\n      }\n    }\n  }\n}\n";
    let (found, _) = codes("main.bicep", bicep, &[]);
    assert!(found.is_empty(), "{found:?}");
    let tf = "resource \"azurerm_batch_pool\" \"p\" {\n  auto_scale {\n    evaluation_interval = \"PT15M\"\n    formula = <<-EOF\n      // batchscale: allow(unused-variable)\n      spare = 1;\n      $TargetDedicatedNodes = 2;\n    EOF\n  }\n}\n";
    let (found, _) = codes("main.tf", tf, &[]);
    assert!(found.is_empty(), "{found:?}");
    // The same file with the directive on the wrong statement: both reported,
    // at their lines in the Terraform file (5 and 6).
    let moved = tf.replace(
        "      // batchscale: allow(unused-variable)\n      spare = 1;\n",
        "      spare = 1;\n      // batchscale: allow(unused-variable)\n",
    );
    let (found, _) = codes("main.tf", &moved, &[]);
    assert_eq!(
        found,
        [
            ("unused-variable".to_string(), 5, 7),
            ("unused-suppression".to_string(), 6, 28)
        ]
    );
}

#[test]
fn the_example_of_docs_check_md() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/check.md")).unwrap();
    let (_, after) = page.split_once("## Suppressing a finding").unwrap();
    let (_, block) = after.split_once("```text\n").unwrap();
    let (formula, _) = block.split_once("```").unwrap();
    let (found, status) = codes("pool.formula", formula, &[]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(status, Some(0));
    // Without the comment, `spare` is reported.
    let bare: String = formula.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let (found, _) = codes("pool.formula", &bare, &[]);
    assert_eq!(only_codes(&found), ["unused-variable"]);
}
