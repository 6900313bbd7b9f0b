//! `batchscale repl` driven through piped stdin: exact output for values,
//! results strings, errors with carets, and the commands.
//!
//! Expected values are worked out by hand in the comments; message texts that
//! must be "the same as check gives" are compared with the library's own.

use std::io::Write;
use std::process::{Command, Stdio};

use batchscale::Formula;

const NOW: &str = ":now 2025-04-24T12:00:00Z\n";
const NOW_ECHO: &str = "now = 2025-04-24T12:00:00.000Z\n";

/// Runs `batchscale repl ARGS` with `script` on stdin: (stdout, stderr, exit code).
fn repl(args: &[&str], script: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("repl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn batchscale");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let out = child.wait_with_output().expect("wait");
    (
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
        out.status.code().unwrap_or(-1),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-repl-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn expressions_print_value_and_type_assignments_print_the_value() {
    // Samples 10, 15, (missing), 30 every 30 s, the newest at now. A 2-minute
    // window [now-120 s, now) holds the samples at now-90 s and now-60 s: 10 and
    // 15, 2 of the 4 expected (50%), so with samplePercent 50 it gives avg 12.5.
    let script = format!(
        "{NOW}:samples $PendingTasks 10 15 _ 30\n\
         avg($PendingTasks.GetSample(TimeInterval_Minute * 2, 50))\n\
         $v = vec(1, 2.5, 3);\n\
         $TargetDedicatedNodes = 3 > 2 ? 5 : 1;\n\
         time()\n\
         TimeInterval_Minute * 2\n\
         $v\n\
         2 > 1\n\
         :type time().hour\n\
         $NodeDeallocationOption = taskcompletion;\n\
         :results\n"
    );
    let (out, err, code) = repl(&[], &script);
    assert_eq!(
        out,
        format!(
            "{NOW_ECHO}$PendingTasks: 3 samples, one every 30 s\n\
             12.5 (double)\n\
             $v = [1,2.5,3]\n\
             $TargetDedicatedNodes = 5\n\
             2025-04-24T12:00:00.000Z (timestamp)\n\
             00:02:00 (timeinterval)\n\
             [1,2.5,3] (doubleVec)\n\
             1 (double)\n\
             double\n\
             $NodeDeallocationOption = taskcompletion\n\
             $TargetDedicatedNodes=5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$v=[1,2.5,3]\n"
        )
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn errors_show_the_line_and_a_caret_and_the_session_goes_on() {
    let script = format!(
        "{NOW}$x = $PendingTask + 1;\n\
         $x = max(1 2);\n\
         :samples $PendingTasks 1 2 3\n\
         avg($PendingTasks.GetSample(TimeInterval_Minute * 10))\n\
         $x = 4;\n\
         $x * 2\n"
    );
    let (out, _, code) = repl(&[], &script);
    // The syntax message is the parser's own for the same text.
    let syntax = Formula::parse("$x = max(1 2);")
        .err()
        .map(|e| e.kind.to_string())
        .expect("a syntax error");
    // 10-minute window [now-600 s, now): the samples at now-60 s and now-30 s,
    // 2 of the 20 expected = 10%. The caret is under the `(` after GetSample,
    // column 28 (`avg(` 4 + `$PendingTasks` 13 + `.GetSample` 10 = 27).
    let expected = format!(
        "{NOW_ECHO}error[undefined-symbol]: Undefined symbol: $PendingTask\n \
--> <input>:1:6\n  \
|\n\
1 | $x = $PendingTask + 1;\n  \
|      ^^^^^^^^^^^^\n  \
|\n  \
= help: did you mean `$PendingTasks`?\n\
error[syntax-error]: {syntax}\n \
--> <input>:1:12\n  \
|\n\
1 | $x = max(1 2);\n  \
|            ^\n  \
|\n\
$PendingTasks: 3 samples, one every 30 s\n\
error[InsufficientSampleData]: Insufficient data from data set: $PendingTasks wanted 70%, received 10%\n \
--> <input>:1:28\n  \
|\n\
1 | avg($PendingTasks.GetSample(TimeInterval_Minute * 10))\n  \
|                            ^\n  \
|\n\
$x = 4\n\
8 (double)\n"
    );
    assert_eq!(out, expected);
    // Piped: any failed input makes the exit code 1.
    assert_eq!(code, 1);
}

#[test]
fn checker_messages_match_the_library() {
    // The undefined-symbol message is the checker's for the same statement.
    let text = "$y = undefined_name * 2;";
    let formula = Formula::parse(text).expect("parses");
    let message = &formula.diagnostics()[0].message;
    let (out, _, _) = repl(&[], &format!("{text}\n"));
    assert!(
        out.starts_with(&format!("error[undefined-symbol]: {message}\n")),
        "{out}"
    );
    assert!(out.contains("1 | $y = undefined_name * 2;\n  |      ^^^^^^^^^^^^^^\n"));
}

#[test]
fn inputs_are_atomic() {
    // `$a = 1` is fine but the window fails on an empty history, so neither
    // statement is kept: `$a` stays undefined afterwards.
    let script = format!(
        "{NOW}$a = 1; $b = avg($PendingTasks.GetSample(TimeInterval_Hour));\n\
         $a\n\
         :vars\n\
         :results\n"
    );
    let (out, _, _) = repl(&[], &script);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[1].starts_with(
        "error[InsufficientSampleData]: Insufficient data from data set: $PendingTasks wanted 70%, received 0%"
    ));
    assert!(out.contains("error[undefined-symbol]: Undefined symbol: $a\n"));
    // Nothing was kept, so the formula so far is empty: the service takes one
    // or more statements, and the pool keeps its values.
    assert!(out.ends_with(
        "no variables\n$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue\n\
         error: AutoScalingFormulaSyntaxError: Line 1, Col 1: expected a statement, found end of formula\n"
    ));
}

#[test]
fn brackets_and_conditionals_continue_on_the_next_line() {
    let script = "$y = max(1,\n  2) +\n  3;\n$z = $y > 4 ?\n  10\n  : 20;\n$w = min(1,\n\n$y\n";
    let (out, _, code) = repl(&[], script);
    // max(1, 2) + 3 = 5; 5 > 4 picks 10. The empty line ends the unfinished
    // `min(1,` input, which is then a syntax error; `$y` still reads 5.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "$y = 5");
    assert_eq!(lines[1], "$z = 10");
    assert!(lines[2].starts_with("error[syntax-error]:"));
    assert_eq!(lines.last(), Some(&"5 (double)"));
    assert_eq!(code, 1);
}

#[test]
fn stop_ends_the_formula() {
    let script = "$a = 1; stop(); $b = 2;\n$c = 3;\n:results\n";
    let (out, _, _) = repl(&[], script);
    assert_eq!(
        out,
        "$a = 1\n\
         stop(): the evaluation ends here; statements after it do not run\n\
         (not run: after stop())\n\
         error: stop() has ended the formula, so statements after it would never run (:reset to start over)\n\
         $TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$a=1\n"
    );
}

#[test]
fn queries_do_not_advance_rand() {
    // A query is not part of the formula, so `rand()` then `$r = rand();`
    // shows the same number, and :results (a fresh run with the same seed)
    // agrees.
    let (out, _, _) = repl(&[], "rand()\n$r = rand();\n:results\n");
    let lines: Vec<&str> = out.lines().collect();
    let first = lines[0].strip_suffix(" (double)").expect("a double");
    assert_eq!(lines[1], format!("$r = {first}"));
    assert!(lines[2].ends_with(&format!(";$r={first}")));
}

#[test]
fn results_and_json_re_evaluate_against_the_current_context() {
    // $TargetDedicatedNodes = $CurrentDedicatedNodes + 1 reads the pool at
    // :results time: 3 + 1 = 4 after :pool, and the timestamp follows :advance.
    let script = format!(
        "{NOW}$TargetDedicatedNodes = $CurrentDedicatedNodes + 1;\n\
         :pool currentDedicatedNodes=3 nodeDeallocationOption=terminate\n\
         :advance 5m\n\
         :json\n"
    );
    let (out, _, code) = repl(&[], &script);
    assert_eq!(
        out,
        format!(
            "{NOW_ECHO}$TargetDedicatedNodes = 1\n\
             targetDedicatedNodes=0 targetLowPriorityNodes=0 nodeDeallocationOption=terminate currentDedicatedNodes=3 currentLowPriorityNodes=0 taskSlotsPerNode=1 usableNodeCount=3\n\
             now = 2025-04-24T12:05:00.000Z\n\
             {{\n  \"timestamp\": \"2025-04-24T12:05:00.0000000Z\",\n  \"results\": \"$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=terminate\",\n  \"error\": null\n}}\n"
        )
    );
    assert_eq!(code, 0);
}

#[test]
fn a_failing_results_run_reports_the_service_error() {
    // $x is computed while samples exist: five 1s, the newest at now, so the
    // window [now-120 s, now) holds 4 of 4 and avg is 1. After :samples clears
    // them, the fresh run fails at the window: line 1 of the saved formula,
    // column 33 (`$x = avg(` 9 + `$PendingTasks` 13 + `.GetSample` 10 = 32).
    let script = format!(
        "{NOW}:samples $PendingTasks 1 1 1 1 1\n\
         $x = avg($PendingTasks.GetSample(TimeInterval_Minute * 2));\n\
         :samples $PendingTasks\n\
         :results\n"
    );
    let (out, _, code) = repl(&[], &script);
    assert_eq!(
        out,
        format!(
            "{NOW_ECHO}$PendingTasks: 5 samples, one every 30 s\n\
             $x = 1\n\
             $PendingTasks: 0 samples, one every 30 s\n\
             $TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue\n\
             error: InsufficientSampleData: Line 1, Col 33: Insufficient data from data set: $PendingTasks wanted 70%, received 0%\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn save_load_and_the_formula_file_argument() {
    let dir = temp_dir("save");
    let saved = dir.join("saved.formula");
    let saved_text = saved.to_str().expect("utf-8 path");
    let script = format!(
        "$a = 2;   $b = $a*3 // six\n\
         $TargetDedicatedNodes = min($b, 4);\n\
         :save {saved_text}\n"
    );
    let (out, _, _) = repl(&[], &script);
    assert_eq!(
        out,
        format!("$a = 2\n$b = 6\n$TargetDedicatedNodes = 4\nsaved 3 statements to {saved_text}\n")
    );
    // Formatted by the printer: one statement a line, spaces around operators.
    assert_eq!(
        std::fs::read_to_string(&saved).expect("saved file"),
        "$a = 2;\n$b = $a * 3;\n$TargetDedicatedNodes = min($b, 4);\n"
    );
    // Loading it again, as an argument and with :load, reruns the statements.
    let (out, _, code) = repl(&[saved_text], ":vars\n:reset\n:vars\n");
    assert_eq!(
        out,
        format!(
            "$a = 2\n$b = 6\n$TargetDedicatedNodes = 4\nloaded 3 statements from {saved_text}\n\
             $a = 2 (double)\n$b = 6 (double)\nsession reset\nno variables\n"
        )
    );
    assert_eq!(code, 0);
    let (out, _, _) = repl(&[], &format!(":load {saved_text}\n:results\n"));
    assert!(out.ends_with(
        "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$a=2;$b=6\n"
    ));
    let (out, _, code) = repl(&[], ":load /nonexistent/dir/f.formula\n");
    assert!(
        out.starts_with("error: /nonexistent/dir/f.formula: cannot read:"),
        "{out}"
    );
    assert_eq!(code, 1);
}

#[test]
fn context_file_and_samples_from_csv() {
    let dir = temp_dir("context");
    let context = dir.join("ctx.json");
    std::fs::write(
        &context,
        r#"{"now": "2025-04-24T12:00:00Z", "pool": {"currentDedicatedNodes": 2, "targetDedicatedNodes": 2}}"#,
    )
    .expect("write context");
    let csv = dir.join("m.csv");
    std::fs::write(
        &csv,
        "time,$ActiveTasks,$RunningTasks\n2025-04-24T11:59:00Z,4,1\n2025-04-24T11:59:30Z,6,1\n2025-04-24T12:00:00Z,8,1\n",
    )
    .expect("write csv");
    let context_text = context.to_str().expect("path");
    let csv_text = csv.to_str().expect("path");
    // Window [now-60 s, now): the samples at 11:59:00 and 11:59:30, 4 and 6:
    // avg 5, 2 of 2 expected.
    let script = format!(
        ":samples $ActiveTasks {csv_text}\n\
         avg($ActiveTasks.GetSample(TimeInterval_Minute))\n\
         $CurrentDedicatedNodes\n\
         :samples $PendingTasks {csv_text}\n"
    );
    let (out, _, code) = repl(&["--context", context_text], &script);
    assert_eq!(
        out,
        format!(
            "$ActiveTasks: 3 samples, one every 30 s\n\
             5 (double)\n\
             2 (double)\n\
             error: {csv_text}: no column for $PendingTasks\n"
        )
    );
    assert_eq!(code, 1);
    let (out, _, _) = repl(
        &[],
        &format!(":context {context_text}\n$CurrentDedicatedNodes\n"),
    );
    assert_eq!(
        out,
        format!("context loaded from {context_text}; now = 2025-04-24T12:00:00.000Z\n2 (double)\n")
    );
}

#[test]
fn bad_command_arguments_are_named() {
    let script = ":now yesterday\n:advance 5 minutes\n:pool currentDedicatedNode=3\n:samples $PendingTask 1\n:samples $PendingTasks 1 x\n:reslts\n:vars now\n:type\n";
    let (out, _, code) = repl(&[], script);
    assert_eq!(
        out,
        "error: `yesterday` is not an RFC 3339 time with an offset (e.g. 2025-04-24T12:00:00Z)\n\
         error: `5 minutes` is not a duration (use e.g. 5m, 90s, 1h30m, 2d or PT5M)\n\
         error: unknown pool field `currentDedicatedNode`; did you mean `currentDedicatedNodes`?\n\
         error: `$PendingTask` is not a sampled metric; did you mean `$PendingTasks`?\n\
         error: sample 2 `x` is not a number or `_` (a missing sample)\n\
         error: unknown command :reslts; did you mean :results? (:help lists the commands)\n\
         error: :vars takes no arguments, but was given `now`\n\
         error: :type needs an expression (:help type)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn help_lists_the_documented_commands_and_suggests_topics() {
    // That each topic's text is the builtins table's is a unit test of the
    // REPL (src/repl/help_tests.rs); here, the binary's answers.
    let (out, _, _) = repl(&[], ":help mx\n");
    assert_eq!(out, "error: no help for `mx`; did you mean `max`?\n");
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/repl.md"))
        .expect("docs/repl.md");
    // The commands of docs/repl.md's table: rows that start with "| `:".
    let documented: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter(|l| l.starts_with(':'))
        .filter_map(|l| l.split([' ', '`']).next())
        .collect();
    assert!(documented.len() >= 15, "{documented:?}");
    let (out, _, _) = repl(&[], ":help\n");
    for name in documented {
        assert!(out.contains(name), "{name} missing from :help");
    }
}

#[test]
fn check_reports_problems_of_the_whole_session() {
    // Each input is within --max-statements 2, the session of 3 is not: the
    // input that crosses the limit warns, and :check reports it as the service
    // would for the saved formula.
    let script = "$a = 1; $b = 2;\n$c = 3;\n:check\n";
    let (out, _, code) = repl(&["--max-statements", "2"], script);
    assert!(
        out.starts_with(
            "$a = 1\n$b = 2\n$c = 3\n\
             warning: the formula now has 3 statements, more than the limit of 2; :results will fail\n\
             error[too-many-statements]: the formula has 3 statements, more than the limit of 2\n"
        ),
        "{out}"
    );
    assert!(out.contains(" --> <session>:3:1\n"), "{out}");
    assert_eq!(code, 1);
    let (out, _, _) = repl(&[], "$TargetDedicatedNodes = 1;\n:check\n");
    assert_eq!(
        out,
        "$TargetDedicatedNodes = 1\nno problems found in 1 statements\n"
    );
    // :check runs the same lints as `batchscale check`.
    let (out, _, _) = repl(&[], "$a = 1;\n:check\n");
    assert!(out.contains("warning[unused-variable]"), "{out}");
    assert!(out.contains("warning[no-target]"), "{out}");
}

#[test]
fn quit_stops_reading_and_a_bad_context_is_a_usage_error() {
    let (out, _, code) = repl(&[], "$a = 1;\n:quit\n$b = 2;\n");
    assert_eq!(out, "$a = 1\n");
    assert_eq!(code, 0);
    let (_, err, code) = repl(&["--context", "/nonexistent/ctx.json"], "");
    assert!(
        err.starts_with("error: /nonexistent/ctx.json: cannot read"),
        "{err}"
    );
    assert_eq!(code, 2);
}

#[test]
fn the_readme_scripting_example() {
    // The README's `printf ... | batchscale repl` example.
    let (out, _, code) = repl(
        &[],
        ":now 2025-04-24T12:00:00Z\n$TargetDedicatedNodes = 3;\n:results\n",
    );
    assert_eq!(
        out,
        "now = 2025-04-24T12:00:00.000Z\n$TargetDedicatedNodes = 3\n$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue\n"
    );
    assert_eq!(code, 0);
}

#[test]
fn out_of_range_times_and_durations_say_so_with_the_range() {
    // RFC 3339 with a five-digit year, and 23:30 at -01:00 on 9999-12-31
    // (00:30 UTC on 10000-01-01): both past 9999-12-31T23:59:59.9999999Z.
    // 2^63 ticks of 100 ns are 10,675,199.1 days, so P10675200D does not fit
    // either way; P10675199D fits but moves `now` past the year 9999.
    let script = format!(
        "{NOW}:now 10000-01-01T00:00:00Z\n\
         :now 9999-12-31T23:30:00-01:00\n\
         :now 2025-13-01T00:00:00Z\n\
         :advance P10675200D\n\
         :advance -P10675200D\n\
         :advance P1DT\n\
         :advance P10675199D\n"
    );
    let (out, _, code) = repl(&[], &script);
    let times = "times run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z";
    let durations =
        "a duration is at most 10675199.02:48:05.4775807 (about 29,227 years) either way";
    assert_eq!(
        out,
        format!(
            "{NOW_ECHO}\
             error: `10000-01-01T00:00:00Z` is out of range: {times}\n\
             error: `9999-12-31T23:30:00-01:00` is out of range: {times}\n\
             error: `2025-13-01T00:00:00Z` is not an RFC 3339 time with an offset (e.g. 2025-04-24T12:00:00Z)\n\
             error: `P10675200D` is out of range: {durations}\n\
             error: `-P10675200D` is out of range: {durations}\n\
             error: `P1DT` is not a duration (use e.g. 5m, 90s, 1h30m, 2d or PT5M)\n\
             error: advancing by `P10675199D` leaves the range of timestamps\n"
        )
    );
    assert_eq!(code, 1);
}
