"""simulate and sweep, with figures worked out by hand."""

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import batchscale

# Four nodes, ready 5 minutes after the first evaluation at 0 (no allocation
# delay, no scheduling latency), run 8 tasks of 10 minutes in two waves: the job
# completes at 5 + 10 + 10 = 25 minutes.
SCENARIO = """
formula = "$TargetDedicatedNodes = 4;"
[pool]
allocation_delay = { fixed = "PT0S" }
startup = { fixed = "PT5M" }
[scheduling]
latency = { fixed = "PT0S" }
[[job]]
tasks = 8
duration = { fixed = "PT10M" }
"""


def test_simulate_gives_the_summary_figures():
    report = batchscale.simulate(SCENARIO)
    assert report.jobs[0]["completion_seconds"] == 25 * 60
    assert report.tasks["succeeded"] == 8
    assert report.summary["tasks"]["submitted"] == 8
    assert report.seed == 0
    # Every row of the timeline is a record with a time and an event.
    assert {row["event"] for row in report.timeline} <= {"sample", "evaluation"}
    assert report.timeline[0]["time"].startswith("2025-01-06T00:00:00")


def test_a_formula_given_to_simulate_replaces_the_scenarios():
    # Eight nodes run the eight tasks in one wave: done at 5 + 10 = 15 minutes.
    report = batchscale.simulate(SCENARIO, formula=batchscale.Formula("$TargetDedicatedNodes = 8;"))
    assert report.jobs[0]["completion_seconds"] == 15 * 60


def test_notebook_display():
    report = batchscale.simulate(SCENARIO)
    svg = report._repr_svg_()
    assert svg.lstrip().startswith("<svg") or svg.lstrip().startswith("<?xml")
    assert "</svg>" in svg
    html = report._repr_html_()
    assert html.startswith("<table") and "node_hours" in html


def test_to_pandas():
    pytest.importorskip("pandas")
    frame = batchscale.simulate(SCENARIO).to_pandas()
    assert len(frame) == len(batchscale.simulate(SCENARIO).timeline)
    assert str(frame.index.tz) == "UTC"
    assert frame["target_dedicated"].max() == 4


def test_seeds_give_one_report_each():
    reports = batchscale.simulate(SCENARIO, seeds=3)
    assert [r.seed for r in reports] == [0, 1, 2]
    # Fixed durations: every seed gives the same completion.
    assert {r.jobs[0]["completion_seconds"] for r in reports} == {1500}
    pytest.importorskip("pandas")
    assert list(reports.to_pandas().index) == [0, 1, 2]


def test_errors_are_exceptions_with_positions():
    with pytest.raises(batchscale.InputError) as info:
        batchscale.simulate('interval = "PT1M"\nformula = "$TargetDedicatedNodes = 1;"\n')
    assert info.value.line == 1
    assert "PT5M" in info.value.message
    with pytest.raises(batchscale.FormulaError) as info:
        batchscale.simulate(SCENARIO, formula="$TargetDedicatedNodes = ;")
    assert info.value.column == 25


def test_reports_and_errors_pickle():
    report = batchscale.simulate(SCENARIO)
    again = pickle.loads(pickle.dumps(report))
    assert again.summary == report.summary and again._repr_svg_() == report._repr_svg_()
    error = batchscale.FormulaError("AutoScalingFormulaSyntaxError", "m", 1, 2)
    assert pickle.loads(pickle.dumps(error)).column == 2


# Random task durations, so the seeds differ and the comparison means something.
RANDOM = SCENARIO.replace('{ fixed = "PT10M" }', '{ uniform = { min = "PT5M", max = "PT20M" } }')


def runs():
    formulas = ["$TargetDedicatedNodes = 2;", "$TargetDedicatedNodes = 4;"]
    return [batchscale.Run(RANDOM, f, seed) for f in formulas for seed in (1, 2, 3)]


def figures(reports):
    return [
        (r.seed, r.node_hours["dedicated"], r.cost["dedicated"], r.jobs[0]["completion_seconds"])
        for r in reports
    ]


def test_sweep_on_a_process_pool_matches_a_loop():
    plain = figures(batchscale.sweep(runs()))
    # Two nodes and four nodes finish at different times: the figures differ.
    assert len(plain) == 6 and len(set(plain)) > 1
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert figures(batchscale.sweep(runs(), executor=pool)) == plain


def test_sweep_on_a_dask_cluster_matches_a_loop():
    distributed = pytest.importorskip("distributed")
    plain = figures(batchscale.sweep(runs()))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        assert figures(batchscale.sweep(runs(), executor=client.get_executor())) == plain
