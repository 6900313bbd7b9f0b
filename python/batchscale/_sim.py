"""Simulation from Python: ``simulate`` and ``sweep``."""

from __future__ import annotations

import html
import json
import os
from concurrent.futures import Executor
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Union

from . import _batchscale
from ._formula import Formula

__all__ = ["Report", "Reports", "Run", "simulate", "sweep"]

ScenarioLike = Union[str, "os.PathLike[str]"]
FormulaLike = Union[str, Formula, None]

#: The summary figures of a run, in the order ``_repr_html_`` shows them.
SUMMARY_FIGURES = (
    "start",
    "end",
    "jobs",
    "tasks",
    "task_wait_seconds",
    "node_hours",
    "cost",
    "idle_share",
    "evaluations",
    "resizes",
    "largest_step",
    "flapping",
    "preemptions",
    "evaluation_errors",
    "first_error",
)


class Report:
    """What one simulated run produced: the summary figures as attributes
    (``node_hours``, ``cost``, ``idle_share``, ``resizes``…, the same as
    ``timeline.json`` of ``batchscale simulate --out``), ``timeline`` as a
    list of records, and the chart. Plain data, so it pickles."""

    def __init__(self, data: Dict[str, Any], svg: str, seed: int) -> None:
        self._data = data
        self._svg = svg
        self.seed = seed

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary figures as a dict."""
        return {k: self._data.get(k) for k in SUMMARY_FIGURES}

    @property
    def timeline(self) -> List[Dict[str, Any]]:
        """One record per metric sample and per evaluation."""
        return self._data["timeline"]

    def __getattr__(self, name: str) -> Any:
        if name in SUMMARY_FIGURES:
            return self._data.get(name)
        raise AttributeError(name)

    def __getstate__(self) -> Dict[str, Any]:
        return {"data": self._data, "svg": self._svg, "seed": self.seed}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._data = state["data"]
        self._svg = state["svg"]
        self.seed = state["seed"]

    def __repr__(self) -> str:
        return (
            f"<Report seed={self.seed} evaluations={self._data.get('evaluations')} "
            f"cost={self._data.get('cost')}>"
        )

    def to_pandas(self) -> Any:
        """The timeline as a pandas DataFrame indexed by time (pandas is
        needed for this method only)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the install
            raise ImportError("Report.to_pandas() needs pandas: pip install pandas") from e
        frame = pd.DataFrame.from_records(self.timeline)
        if len(frame):
            frame["time"] = pd.to_datetime(frame["time"], utc=True)
            frame = frame.set_index("time")
        return frame

    def _repr_svg_(self) -> str:
        return self._svg

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(_show(v))}</td></tr>"
            for k, v in self.summary.items()
        )
        return f"<table class='batchscale-report'>{rows}</table>"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


class Reports(list):
    """The reports of several seeds, in seed order."""

    def to_pandas(self) -> Any:
        """One row per seed with the scalar summary figures."""
        import pandas as pd

        records = []
        for report in self:
            s = report.summary
            records.append(
                {
                    "seed": report.seed,
                    "dedicated_node_hours": s["node_hours"]["dedicated"],
                    "low_priority_node_hours": s["node_hours"]["low_priority"],
                    "cost": s["cost"]["dedicated"] + s["cost"]["low_priority"],
                    "idle_share": s["idle_share"],
                    "evaluations": s["evaluations"],
                    "resizes": s["resizes"],
                    "preemptions": s["preemptions"],
                    "evaluation_errors": s["evaluation_errors"],
                }
            )
        return pd.DataFrame.from_records(records).set_index("seed")


def _scenario_source(scenario: ScenarioLike) -> "tuple[str, str]":
    """(origin, TOML text): a path to an existing file is read (its
    ``formula_file`` is then relative to it); other text is the TOML itself."""
    if isinstance(scenario, os.PathLike) or (
        isinstance(scenario, str) and "\n" not in scenario and os.path.isfile(scenario)
    ):
        path = os.fspath(scenario)
        with open(path, encoding="utf-8-sig") as f:
            return path, f.read()
    if not isinstance(scenario, str):
        raise TypeError(f"a scenario is a path or TOML text, got {type(scenario).__name__}")
    return "<scenario>", scenario


def _formula_text(formula: FormulaLike) -> Optional[str]:
    if isinstance(formula, Formula):
        return formula.text
    return formula


def _one(origin: str, text: str, formula: Optional[str], seed: Optional[int]) -> Report:
    timeline, svg, used = _batchscale.simulate(origin, text, formula, seed)
    return Report(json.loads(timeline), svg, used)


def simulate(
    scenario: ScenarioLike, formula: FormulaLike = None, seeds: int = 1
) -> Union[Report, Reports]:
    """Runs ``scenario`` (a TOML file's path, or TOML text) with ``formula``
    (its own when None), with the GIL released. ``seeds=1`` gives one
    ``Report`` under the scenario's seed; ``seeds=N`` gives ``Reports`` for
    the N seeds that follow from it (seed, seed + 1, …)."""
    if seeds < 1:
        raise ValueError("seeds must be at least 1")
    origin, text = _scenario_source(scenario)
    source = _formula_text(formula)
    first = _one(origin, text, source, None)
    if seeds == 1:
        return first
    return Reports([first] + [_one(origin, text, source, first.seed + i) for i in range(1, seeds)])


class Run(NamedTuple):
    """One run of a sweep: a scenario (path or TOML text), a formula (the
    scenario's own when None) and a seed (the scenario's when None)."""

    scenario: ScenarioLike
    formula: FormulaLike = None
    seed: Optional[int] = None


def _run(item: Union[Run, ScenarioLike]) -> Report:
    # A top-level function, so that a process pool or a Dask worker can
    # unpickle the work it is sent.
    run = item if isinstance(item, Run) else Run(item)
    origin, text = _scenario_source(run.scenario)
    return _one(origin, text, _formula_text(run.formula), run.seed)


def sweep(
    runs: Iterable[Union[Run, ScenarioLike]], executor: Optional[Executor] = None
) -> List[Report]:
    """Runs every item (a ``Run``, or a scenario alone) and returns the
    reports in the same order. With ``executor`` (any
    ``concurrent.futures.Executor``: a process pool, Dask's
    ``Client.get_executor()``, Ray's…) the runs are spread over it; scenario
    paths must then be readable where the workers run."""
    items = list(runs)
    if executor is None:
        return [_run(item) for item in items]
    return list(executor.map(_run, items))
