//! Spans end at the last token of their node, never in the whitespace or
//! comments that follow it.

use batchscale::syntax::{self, StatementKind};
use batchscale::Limits;

fn statement_texts(source: &str) -> Vec<(String, String)> {
    let ast = syntax::parse(source, &Limits::default()).unwrap();
    ast.statements
        .iter()
        .map(|s| {
            let value = match &s.kind {
                StatementKind::Assign { value, .. } => value.span,
                StatementKind::Expr(e) => e.span,
            };
            (
                source[s.span.start..s.span.end].to_string(),
                source[value.start..value.end].to_string(),
            )
        })
        .collect()
}

#[test]
fn trailing_comments_and_whitespace_are_outside_spans() {
    assert_eq!(
        statement_texts("x = time().hour // the hour\n  ;\ny = -a ? b : c.d  // note\n"),
        vec![
            ("x = time().hour".to_string(), "time().hour".to_string()),
            ("y = -a ? b : c.d".to_string(), "-a ? b : c.d".to_string()),
        ]
    );
    assert_eq!(
        statement_texts("$T = $P.GetSample(1)   \n"),
        vec![(
            "$T = $P.GetSample(1)".to_string(),
            "$P.GetSample(1)".to_string()
        )]
    );
}
