//! `check` never panics, whatever the input: formula text, JSON, Bicep,
//! Terraform or Nextflow around it, and every span it reports lies in the file.

use batchscale::cli::check::{check_text, CheckFormat};
use batchscale::lint::{check_formula, CheckOptions, Policy};
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
