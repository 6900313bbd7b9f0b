//! Golden files of the rendered diagnostics: one example for each rule code,
//! rendered in every output format (text, json, github, service). Review a
//! changed snapshot with `cargo insta review` (or `INSTA_UPDATE=always`).

use batchscale::cli::check::{check_text, CheckFormat};
use batchscale::lint::{CheckOptions, Policy, RULES};

/// An example input (file name, text) for each code.
fn example(code: &str) -> (&'static str, &'static str) {
    match code {
        "syntax-error" => ("f.txt", "$TargetDedicatedNodes = max(0, ;\n"),
        "too-many-errors" => ("f.txt", "a = (;\nb = );\n$TargetDedicatedNodes = 1;\n"),
        "missing-semicolon" => (
            "f.txt",
            "$tasks = val($PendingTasks.GetSample(1), 0)\n$TargetDedicatedNodes = max($tasks, avg($PendingTasks.GetSample(TimeInterval_Minute, 50)));\n",
        ),
        "template-placeholder" => ("f.txt", "$TargetDedicatedNodes = min({max_nodes}, 4);\n"),
        "formula-too-long" => ("f.txt", "$TargetDedicatedNodes = 1; // long\n"),
        "too-many-statements" => ("f.txt", "$TargetDedicatedNodes = 1;\n"),
        "too-deep" => ("f.txt", "$TargetDedicatedNodes = ((((1))));\n"),
        "undefined-symbol" => ("f.txt", "$TargetDedicatedNodes = $PendingTask.GetSample(1);\n"),
        "read-before-assigned" => ("f.txt", "$TargetDedicatedNodes = tasks;\ntasks = 3;\n"),
        "unknown-member" => ("f.txt", "$TargetDedicatedNodes = time().hours < 12 ? 1 : 0;\n"),
        "unknown-method" => ("f.txt", "$TargetDedicatedNodes = $PendingTasks.GetAverage();\n"),
        "wrong-arity" => ("f.txt", "$TargetDedicatedNodes = max();\n"),
        "type-mismatch" => ("f.txt", "$TargetDedicatedNodes = time();\n"),
        "read-only-assignment" => ("f.txt", "$PendingTasks = 3;\n$TargetDedicatedNodes = 1;\n"),
        "not-sampled" => ("f.txt", "x = 3;\n$TargetDedicatedNodes = val(x.GetSample(1), 0);\n"),
        "unguarded-sample" => (
            "f.txt",
            "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));\n",
        ),
        "lone-latest-sample" => ("f.txt", "$TargetDedicatedNodes = max(0, val($PendingTasks.GetSample(1), 0));\n"),
        "fractional-target" => ("f.txt", "$TargetDedicatedNodes = $CurrentDedicatedNodes / 2;\n"),
        "negative-target" => ("f.txt", "$TargetDedicatedNodes = $CurrentDedicatedNodes - 1;\n"),
        "no-target" => ("f.txt", "$NodeDeallocationOption = taskcompletion;\n"),
        "unused-variable" => ("f.txt", "spare = 1;\n$TargetDedicatedNodes = 2;\n"),
        "constant-condition" => (
            "f.txt",
            "w = time().weekday;\n$TargetDedicatedNodes = w < 1 && w > 5 ? 0 : 2;\n",
        ),
        "similar-name" => ("f.txt", "$targetDedicatedNodes = 4;\n$TargetLowPriorityNodes = $targetDedicatedNodes;\n"),
        "two-spellings" => (
            "f.txt",
            "$tasks = val($PendingTasks.GetSample(1), 0);\ntasks = min($tasks, 10);\n$TargetDedicatedNodes = max($tasks, avg($PendingTasks.GetSample(TimeInterval_Minute, 50)));\n",
        ),
        "bare-metric" => ("f.txt", "$TargetDedicatedNodes = ceil($PendingTasks / 4);\n"),
        "not-statically-checkable" => (
            "pool.json",
            "{\n  \"properties\": {\"scaleSettings\": {\"autoScale\": {\n    \"formula\": \"[parameters('formula')]\"\n  }}}\n}\n",
        ),
        "evaluation-interval" => (
            "pool.json",
            "{\n  \"autoScaleEvaluationInterval\": \"PT1M\",\n  \"autoScaleFormula\": \"$TargetDedicatedNodes = 1;\"\n}\n",
        ),
        "no-formula" => (
            "pool.json",
            "{\n  \"enableAutoScale\": true,\n  \"autoScaleEvaluationInterval\": \"PT5M\"\n}\n",
        ),
        "misspelled-key" => (
            "pool.json",
            "{\n  \"enableAutoScale\": true,\n  \"autoscaleFormula\": \"$TargetDedicatedNodes = 1;\"\n}\n",
        ),
        other => panic!("no example for {other}"),
    }
}

fn options(code: &str) -> CheckOptions {
    let mut o = CheckOptions::default();
    match code {
        "formula-too-long" => o.limits.max_chars = 20,
        "too-many-statements" => o.limits.max_statements = 0,
        "too-deep" => o.limits.max_nesting = 2,
        "too-many-errors" => o.max_syntax_errors = 1,
        _ => {}
    }
    o
}

#[test]
fn every_rule_in_every_format() {
    for rule in RULES {
        let (name, text) = example(rule.code);
        let report = check_text(name, text, &[], &options(rule.code), &Policy::default()).unwrap();
        let mut out = String::new();
        for (label, format) in [
            ("text", CheckFormat::Text),
            ("json", CheckFormat::Json),
            ("github", CheckFormat::Github),
            ("service", CheckFormat::Service),
        ] {
            out.push_str(&format!("----- {label}\n"));
            out.push_str(&report.render(format, false));
        }
        assert!(
            out.contains(rule.code),
            "the example of {} does not trigger it:\n{out}",
            rule.code
        );
        insta::assert_snapshot!(rule.code, out);
    }
}
