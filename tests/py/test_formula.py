"""Formula.check, .evaluate and .format, with values worked out by hand."""

from datetime import datetime, timedelta, timezone

import pytest

import batchscale
from batchscale import Context, Formula, FormulaError, InputError, Series
from conftest import conformance_cases

NOW = datetime(2025, 4, 24, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("case", conformance_cases(), ids=lambda c: c["name"])
def test_conformance_cases_through_evaluate(case):
    expect = case["expect"]
    try:
        formula = Formula(case["formula"])
    except FormulaError as e:
        # The service reports a syntax error as the run's error, with
        # `Line L, Col C: message`.
        assert expect["error"]["code"] == e.code
        assert expect["error"]["values"][0]["value"] == f"Line {e.line}, Col {e.column}: {e.message}"
        return
    run = formula.evaluate(case["context"])
    if "results" in expect:
        assert run.results == expect["results"]
    # Cases known only in part list the pairs the results must hold.
    pairs = dict(p.split("=", 1) for p in run.results.split(";"))
    for name, value in expect.get("entries", {}).items():
        assert pairs[name] == value
    if expect["error"] is None:
        assert run.error is None
    else:
        assert run.error.code == expect["error"]["code"]
        assert run.error.message == expect["error"]["message"]
        assert [list(v) for v in run.error.values] == [
            [v["name"], v["value"]] for v in expect["error"]["values"]
        ]


def test_check_reports_code_position_and_fix():
    # Line 1 is `$tasks = 4` (10 characters) with no `;`: the error is at the
    # statement the parser could not take (line 2, column 1); the fix inserts
    # the `;` at line 1, column 11.
    text = "$tasks = 4\n$TargetDedicatedNodes = $tasks;\n"
    assert Formula("$TargetDedicatedNodes = 1;").check() == []
    (missing,) = batchscale.check(text)
    assert (missing.code, missing.severity) == ("missing-semicolon", "error")
    assert (missing.line, missing.column) == (2, 1)
    assert missing.fix == batchscale.Fix(line=1, column=11, insert=";")
    # Text that does not parse is no Formula.
    with pytest.raises(FormulaError):
        Formula(text)


def test_check_diagnostics_are_typed():
    # `spare` is assigned on line 1, columns 1-5, and never read.
    diagnostics = Formula("spare = 1;\n$TargetDedicatedNodes = 2;\n").check()
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert (d.code, d.severity) == ("unused-variable", "warning")
    assert (d.line, d.column, d.end_line, d.end_column) == (1, 1, 1, 6)
    assert d.help
    assert Formula("spare = 1;\n$TargetDedicatedNodes = 2;\n").check(allow=["unused-variable"]) == []
    denied = Formula("spare = 1;\n$TargetDedicatedNodes = 2;\n").check(deny=["warnings"])
    assert denied[0].severity == "error"
    with pytest.raises(ValueError):
        Formula("$TargetDedicatedNodes = 2;").check(allow=["no-such-code"])


def test_check_honours_inline_suppressions():
    # The same unused `spare`, with a directive on the line above it.
    text = "// batchscale: allow(unused-variable)\nspare = 1;\n$TargetDedicatedNodes = 2;\n"
    assert Formula(text).check() == []
    # A directive that drops nothing is reported at its code: `// batchscale:
    # allow(` is 21 characters, so the code starts at column 22.
    stale = "// batchscale: allow(unused-variable)\n$TargetDedicatedNodes = 2;\n"
    (d,) = Formula(stale).check()
    assert (d.code, d.severity, d.line, d.column) == ("unused-suppression", "warning", 1, 22)


def test_an_unsafe_fix_is_not_a_fix_but_its_help_names_it():
    # `$PendingTask` is one letter short of `$PendingTasks`: a guess, so no
    # `Fix` (a safe edit), but the help says it.
    (typo,) = batchscale.check("$TargetDedicatedNodes = $PendingTask.GetSample(1);")
    assert typo.code == "undefined-symbol"
    assert typo.fix is None
    assert typo.help == "did you mean `$PendingTasks`?"


def test_formula_error_carries_the_service_code_and_position():
    # `$TargetDedicatedNodes = 3 +;` — the `;` at column 28 is where an
    # operand was expected.
    with pytest.raises(FormulaError) as info:
        Formula("$TargetDedicatedNodes = 3 +;")
    e = info.value
    assert (e.code, e.line, e.column) == ("AutoScalingFormulaSyntaxError", 1, 28)
    assert "expected an expression" in e.message
    assert str(e).startswith("AutoScalingFormulaSyntaxError: Line 1, Col 28: ")


def test_evaluate_gives_results_and_targets():
    # 7 / 2 = 3.5: the service prints and applies the target truncated toward
    # zero (batch-shipyard#239 printed 58.25 as 58).
    run = Formula("$TargetDedicatedNodes = 7 / 2;").evaluate(Context(NOW))
    assert run.results == "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"
    assert run.targets == batchscale.Targets(3, 0, "requeue")
    assert run.error is None
    assert run.timestamp == "2025-04-24T12:00:00.0000000Z"


def test_a_time_zone_is_turned_into_utc():
    # 14:00 at +02:00 is 12:00 UTC; time().hour is the UTC hour.
    cest = timezone(timedelta(hours=2))
    run = Formula("$TargetDedicatedNodes = time().hour;").evaluate(
        Context(datetime(2025, 4, 24, 14, 0, tzinfo=cest))
    )
    assert run.targets.dedicated == 12
    with pytest.raises(ValueError):
        Formula("$TargetDedicatedNodes = 1;").evaluate(Context(datetime(2025, 4, 24, 14, 0)))


SUM_OF_TWO = "$TargetDedicatedNodes = sum($PendingTasks.GetSample(2)); $n = $PendingTasks.Count();"


def test_a_list_with_none_is_a_missing_sample():
    # Samples at now-60 s (4), now-30 s (missing), now (8): two samples
    # exist, the newest two are 8 and 4, their sum 12.
    context = Context(
        NOW,
        pool={"target_dedicated_nodes": 1},
        metrics={"PendingTasks": Series([4, None, 8], last=NOW, interval=timedelta(seconds=30))},
    )
    run = Formula(SUM_OF_TWO).evaluate(context)
    assert run.error is None, run.error
    assert run.targets.dedicated == 12
    assert run.results.endswith(";$n=2")


def test_a_pandas_series_indexed_by_time():
    pd = pytest.importorskip("pandas")
    # Same shape as above with 2, NaN, 6: the newest two sum to 8.
    index = pd.date_range(end=NOW, periods=3, freq="30s")
    series = pd.Series([2.0, float("nan"), 6.0], index=index)
    run = Formula(SUM_OF_TWO).evaluate(Context(NOW, metrics={"$PendingTasks": series}))
    assert run.targets.dedicated == 8
    # The dict shape accepts Python values too.
    run = Formula(SUM_OF_TWO).evaluate({"now": NOW, "metrics": {"$PendingTasks": series}})
    assert run.targets.dedicated == 8
    irregular = pd.Series([1.0, 2.0, 3.0], index=pd.DatetimeIndex(
        [NOW - timedelta(seconds=90), NOW - timedelta(seconds=30), NOW]))
    with pytest.raises(ValueError, match="regular interval"):
        Formula(SUM_OF_TWO).evaluate(Context(NOW, metrics={"PendingTasks": irregular}))


def test_a_failed_evaluation_is_the_service_error():
    # A new pool has no samples: a 15-minute window asks for 70% and gets 0%.
    run = Formula("$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15));").evaluate(
        {"now": "2025-04-24T12:00:00Z", "pool": {"targetDedicatedNodes": 2}, "metrics": {}}
    )
    assert run.targets is None
    assert run.error.code == "InsufficientSampleData"
    assert run.error.values[0][1].startswith("Line 1, Col 52: ")
    assert run.results == "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"


def test_a_bad_context_is_an_input_error_with_its_position():
    with pytest.raises(InputError) as info:
        Formula("$TargetDedicatedNodes = 1;").evaluate('{"now": "yesterday"}')
    assert info.value.code == "InputError"
    assert info.value.line == 1
    assert "RFC 3339" in info.value.message


def test_format_gives_the_canonical_layout():
    assert Formula("$a=1;$TargetDedicatedNodes=$a;").format() == "$a = 1;\n$TargetDedicatedNodes = $a;\n"
