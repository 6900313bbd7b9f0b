//! 100,000-deep nesting of every shape, with default and lifted limits, on the
//! main thread and on a 2 MiB thread: each returns a value or a typed error.

use batchscale::{EvalContext, Formula, Limits, SyntaxErrorKind, Timestamp};

/// Builds `x = <open × n> 1 <close × n>` for one nesting shape.
fn nested(open: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity(n * (open.len() + close.len()) + 8);
    s.push_str("x = ");
    for _ in 0..n {
        s.push_str(open);
    }
    s.push('1');
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

const SHAPES: [(&str, &str); 7] = [
    ("(", ")"),
    ("max(", ")"),
    ("a?(", ")"),
    ("-", ""),
    ("!", ""),
    ("1?1:", ""),
    ("1+", ""),
];

/// Parses and evaluates; returns what happened, never panics.
fn outcome(text: &str, limits: &Limits) -> String {
    let ctx = EvalContext::new(Timestamp::UNIX_EPOCH);
    match Formula::parse_with(text, limits) {
        Ok(f) => {
            let _ = f.ast().to_string();
            let run = f.evaluate(&ctx);
            match run.error {
                Some(e) => format!("evaluation error {}", e.code),
                None => "value".to_string(),
            }
        }
        Err(e) => match e.kind {
            SyntaxErrorKind::TooDeep { .. } => "too deep".to_string(),
            SyntaxErrorKind::TooLong { .. } => "too long".to_string(),
            other => format!("syntax error: {other}"),
        },
    }
}

fn all_shapes(n: usize) -> Vec<(String, String, String)> {
    SHAPES
        .iter()
        .map(|(open, close)| {
            let text = nested(open, close, n);
            let default = outcome(&text, &Limits::default());
            let lifted = outcome(&text, &Limits::LIFTED);
            (open.to_string(), default, lifted)
        })
        .collect()
}

fn expected_100k() -> Vec<(String, String, String)> {
    let row = |o: &str, d: &str, l: &str| (o.to_string(), d.to_string(), l.to_string());
    vec![
        row("(", "too long", "too deep"),
        row("max(", "too long", "too deep"),
        row("a?(", "too long", "too deep"),
        row("-", "too long", "too deep"),
        row("!", "too long", "too deep"),
        // An else-chain is flat, not nested: with limits lifted it evaluates.
        row("1?1:", "too long", "value"),
        row("1+", "too long", "value"),
    ]
}

#[test]
fn hundred_thousand_deep_on_the_main_thread() {
    assert_eq!(all_shapes(100_000), expected_100k());
}

#[test]
fn hundred_thousand_deep_on_a_two_mebibyte_thread() {
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| all_shapes(100_000))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(result, expected_100k());
}

#[test]
fn the_hard_nesting_cap_fits_a_two_mebibyte_thread() {
    // The deepest formula the lifted limits accept, for each shape, on 2 MiB.
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            SHAPES
                .iter()
                .map(|(open, close)| {
                    outcome(&nested(open, close, Limits::MAX_NESTING), &Limits::LIFTED)
                })
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    // `a?(` nests two levels per repetition (the `?` middle and the bracket),
    // so at the cap it is too deep; `a` is undefined in the others that evaluate it.
    assert_eq!(
        result,
        vec!["value", "value", "too deep", "value", "value", "value", "value"]
    );
}

#[test]
fn nesting_at_the_limit_passes_and_one_past_fails() {
    for (open, close) in SHAPES
        .iter()
        .filter(|(o, _)| !o.contains('?') && *o != "1+")
    {
        let at = nested(open, close, 64);
        let past = nested(open, close, 65);
        assert_eq!(outcome(&at, &Limits::default()), "value", "{open} at 64");
        assert_eq!(
            outcome(&past, &Limits::default()),
            "too deep",
            "{open} at 65"
        );
    }
    let err = Formula::parse(&nested("(", ")", 65)).unwrap_err();
    assert_eq!(err.to_string(), "nesting depth 65 exceeds the limit of 64");
}
