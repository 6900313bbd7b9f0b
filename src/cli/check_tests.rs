//! Unit tests of `check` as the command runs it on one file (`check_text`):
//! golden files of every rule in every format, and never a panic.

mod snapshots {
    //! Golden files of the rendered diagnostics: one example for each rule code,
    //! rendered in every output format (text, json, github, service). Review a
    //! changed snapshot with `cargo insta review` (or `INSTA_UPDATE=always`).

    use crate::cli::check::{check_text, CheckFormat};
    use crate::lint::{CheckOptions, Policy, RULES};

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
            "unused-suppression" => (
                "f.txt",
                "// batchscale: allow(unused-variable)\n$TargetDedicatedNodes = 2;\n",
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
            let report =
                check_text(name, text, &[], &options(rule.code), &Policy::default()).unwrap();
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
            // The golden files stay where they were when this was an integration
            // test, under their old names.
            insta::with_settings!({
                snapshot_path => "../../tests/snapshots",
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(format!("check_snapshots__{}", rule.code), out);
            });
        }
    }
}

mod robust {
    //! `check` never panics, whatever the input: formula text, JSON, Bicep,
    //! Terraform or Nextflow around it, and every span it reports lies in the file.

    use crate::cli::check::{check_text, CheckFormat};
    use crate::lint::{check_formula, CheckOptions, Policy};
    use proptest::prelude::*;

    fn soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("$TargetDedicatedNodes"),
            Just("$PendingTasks"),
            Just(".GetSample("),
            Just("TimeInterval_Minute"),
            Just("x"),
            Just("="),
            Just(";"),
            Just("\n"),
            Just(" "),
            Just("("),
            Just(")"),
            Just("?"),
            Just(":"),
            Just("{"),
            Just("}"),
            Just("{{"),
            Just("}}"),
            Just("${"),
            Just("\""),
            Just("'"),
            Just("'''"),
            Just("\\"),
            Just("\\n"),
            Just("\\u00e9"),
            Just("//"),
            Just("/*"),
            Just("*/"),
            Just("<<-EOF\n"),
            Just("EOF\n"),
            Just("formula"),
            Just("autoScaleFormula"),
            Just("\"autoScale\""),
            Just("[["),
            Just("é"),
            Just("1"),
            Just("+"),
            Just("&&"),
            Just("<"),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn formulas_never_panic(text in soup()) {
            for d in check_formula(&text, &CheckOptions::default()) {
                prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{:?}", d);
            }
        }

        #[test]
        fn carriers_never_panic(text in soup(), kind in 0usize..5) {
            let name = ["f.json", "f.bicep", "f.tf", "nextflow.config", "f.formula"][kind];
            let wrapped = match kind {
                0 => format!("{{\"autoScaleFormula\": \"{text}\"}}"),
                1 => format!("resource p 'x' = {{ properties: {{ scaleSettings: {{ autoScale: {{ formula: '''\n{text}''' }} }} }} }}"),
                2 => format!("resource \"azurerm_batch_pool\" \"p\" {{\n auto_scale {{\n formula = <<-EOF\n{text}\nEOF\n }}\n}}\n"),
                3 => format!("scaleFormula = '''{text}'''"),
                _ => text.clone(),
            };
            for input in [&wrapped, &text] {
                if let Ok(report) = check_text(name, input, &[], &CheckOptions::default(), &Policy::default()) {
                    for format in [CheckFormat::Text, CheckFormat::Json, CheckFormat::Github, CheckFormat::Service] {
                        let _ = report.render(format, false);
                    }
                }
            }
        }
    }
}
