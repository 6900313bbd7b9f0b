//! The canonical layout on hand-written formulas, and the `fmt` command line.

use crate::common;

use batchscale::format::format_formula;

#[test]
fn one_statement_per_line_with_spaces_and_semicolons() {
    let text = "a=1;b=(a+2)*3\n;$TargetDedicatedNodes=b>4?max(0,b):-1";
    assert_eq!(
        format_formula(text).unwrap(),
        "a = 1;\nb = (a + 2) * 3;\n$TargetDedicatedNodes = b > 4 ? max(0, b) : -1;\n"
    );
}

#[test]
fn comments_stay_where_they_were() {
    let text = "// header\n\n// about a\na=1; // one\n\n\n\nb=2;\n// the end\n";
    assert_eq!(
        format_formula(text).unwrap(),
        "// header\n\n// about a\na = 1; // one\n\nb = 2;\n// the end\n"
    );
}

#[test]
fn a_comment_after_a_last_statement_without_semicolon_stays_on_its_line() {
    let text = "a=1;$TargetDedicatedNodes=a // cap\n";
    assert_eq!(
        format_formula(text).unwrap(),
        "a = 1;\n$TargetDedicatedNodes = a; // cap\n"
    );
}

#[test]
fn a_comment_inside_a_statement_moves_above_it() {
    let text = "x = 1 +\n  // why two\n  2;\n";
    assert_eq!(format_formula(text).unwrap(), "// why two\nx = 1 + 2;\n");
}

#[test]
fn numbers_and_strings_keep_their_text() {
    let text = "t=time(\"2024-05-07T09:15:42Z\");s=600.0*TimeInterval_Second;";
    assert_eq!(
        format_formula(text).unwrap(),
        "t = time(\"2024-05-07T09:15:42Z\");\ns = 600.0 * TimeInterval_Second;\n"
    );
}

#[test]
fn a_member_of_a_number_keeps_a_space_before_its_dot() {
    // `2.hour` or `2.5.hour` would not parse again: the dot would belong to the number.
    let text = "a = 2 . hour; b = 2.5 .GetSample(1); c = x . hour;";
    assert_eq!(
        format_formula(text).unwrap(),
        "a = 2 .hour;\nb = 2.5 .GetSample(1);\nc = x.hour;\n"
    );
}

#[test]
fn crlf_line_endings_are_kept() {
    let text = "// a\r\na=1;b=2 // two\r\n";
    let out = format_formula(text).unwrap();
    assert_eq!(out, "// a\r\na = 1;\r\nb = 2; // two\r\n");
    assert_eq!(format_formula(&out).unwrap(), out);
}

#[test]
fn empty_and_comment_only() {
    assert_eq!(format_formula("").unwrap(), "");
    assert_eq!(format_formula("  // only\n").unwrap(), "// only\n");
}

#[test]
fn syntax_errors_are_refused() {
    assert!(format_formula("a = ;").is_err());
}

fn fmt(args: &[&str], stdin: &str) -> (i32, String, String) {
    let args: Vec<&str> = std::iter::once("fmt").chain(args.iter().copied()).collect();
    let out = common::batchscale(&args, stdin, &[]);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_formats_stdin_and_checks_files() {
    assert_eq!(fmt(&["-"], "a=1").1, "a = 1;\n");
    let dir = std::env::temp_dir().join(format!("bs-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f.txt");
    std::fs::write(&path, "a=1").unwrap();
    let p = path.to_str().unwrap();
    // --check reports and changes nothing.
    let (code, out, _) = fmt(&["--check", p], "");
    assert_eq!(code, 1);
    assert_eq!(out, format!("would reformat: {p}\n"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a=1");
    // Without --check the file is rewritten; then --check passes.
    assert_eq!(fmt(&[p], "").0, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 1;\n");
    assert_eq!(fmt(&["--check", p], "").0, 0);
    // A formula that does not parse: exit 1 with the error; a missing file: exit 2.
    let (code, _, err) = fmt(&["-"], "a = 1\nb = 2;");
    assert_eq!(code, 1);
    assert!(err.contains("missing-semicolon"), "{err}");
    assert_eq!(fmt(&["/no/such/file"], "").0, 2);
}

#[test]
fn host_files_are_left_alone_and_said_so() {
    let dir = std::env::temp_dir().join(format!("bs-fmt-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = "{\"autoScaleFormula\": \"$TargetDedicatedNodes=1;\"}\n";
    let path = dir.join("pool.json");
    std::fs::write(&path, original).unwrap();
    let p = path.to_str().unwrap();
    for args in [vec![p], vec!["--check", p]] {
        let (code, out, err) = fmt(&args, "");
        assert_eq!(code, 2, "{err}");
        assert_eq!(out, "");
        assert!(
            err.contains(&format!(
                "error: {p}: a JSON file: `fmt` rewrites formula files only"
            )),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // Standard input that starts with `{` is JSON too.
    let (code, _, err) = fmt(&["-"], original);
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>: a JSON file"), "{err}");
}
