"""Evaluation contexts built from Python values, turned into the JSON shape
that ``batchscale eval --context`` reads (docs/python.md)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional, Sequence, Union

__all__ = ["Context", "Series", "context_json"]


def _instant(value: Union[datetime, str]) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or an RFC 3339 string, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        # A naive time would be read in whatever zone the machine is in.
        raise ValueError(f"{value!r} has no time zone: give one (e.g. tzinfo=timezone.utc)")
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _duration(value: Union[timedelta, str]) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, timedelta):
        raise TypeError(f"expected a timedelta or an ISO 8601 duration, got {type(value).__name__}")
    micros = value // timedelta(microseconds=1)
    if micros <= 0:
        raise ValueError(f"the interval {value} is not positive")
    seconds, rest = divmod(micros, 1_000_000)
    if rest:
        return f"PT{seconds}.{rest:06d}S"
    return f"PT{seconds}S"


def _number(value: Any) -> Optional[float]:
    if value is None:
        return None
    number = float(value)
    # pandas marks a missing sample with NaN; the JSON shape uses null.
    return None if math.isnan(number) else number


@dataclass
class Series:
    """A metric history: ``values`` oldest first (``None`` for a missing
    sample), the newest taken at ``last``, one every ``interval``."""

    values: Sequence[Optional[float]]
    last: Union[datetime, str]
    interval: Union[timedelta, str] = timedelta(seconds=30)

    def to_dict(self) -> dict:
        return {
            "interval": _duration(self.interval),
            "last": _instant(self.last),
            "values": [_number(v) for v in self.values],
        }


def _pandas_series(series: Any, interval: Optional[timedelta]) -> dict:
    index = series.index
    if len(index) == 0:
        return {"values": []}
    times = [t.to_pydatetime() for t in index]
    steps = {b - a for a, b in zip(times, times[1:])}
    if len(steps) > 1:
        raise ValueError(
            "a pandas Series must be sampled at a regular interval; "
            f"found steps {sorted(str(s) for s in steps)}"
        )
    step = steps.pop() if steps else (interval or timedelta(seconds=30))
    return Series(list(series.to_numpy()), times[-1], step).to_dict()


def _metric(value: Any) -> dict:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Series):
        return value.to_dict()
    if hasattr(value, "index") and hasattr(value, "to_numpy"):
        return _pandas_series(value, None)
    raise TypeError(
        "a metric is a batchscale.Series, a pandas Series indexed by time, "
        f"or a dict in the JSON shape; got {type(value).__name__}"
    )


_POOL_KEYS = {
    "target_dedicated_nodes": "targetDedicatedNodes",
    "target_low_priority_nodes": "targetLowPriorityNodes",
    "node_deallocation_option": "nodeDeallocationOption",
    "current_dedicated_nodes": "currentDedicatedNodes",
    "current_low_priority_nodes": "currentLowPriorityNodes",
    "task_slots_per_node": "taskSlotsPerNode",
    "usable_node_count": "usableNodeCount",
}


@dataclass
class Context:
    """What a formula is evaluated against: the instant ``now``, the pool's
    state (snake_case or the JSON's camelCase keys) and metric histories
    keyed by name (``PendingTasks`` or ``$PendingTasks``)."""

    now: Union[datetime, str]
    pool: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    seed: Optional[int] = None

    def to_dict(self) -> dict:
        pool = {_POOL_KEYS.get(k, k): v for k, v in self.pool.items()}
        metrics = {
            (name if name.startswith("$") else "$" + name): _metric(value)
            for name, value in self.metrics.items()
        }
        out: dict = {"now": _instant(self.now), "pool": pool, "metrics": metrics}
        if self.seed is not None:
            out["seed"] = self.seed
        return out


def context_json(context: Union[Context, Mapping[str, Any], str]) -> str:
    """The JSON text of a context given as a Context, a dict in the JSON
    shape, or JSON text."""
    if isinstance(context, str):
        return context
    if isinstance(context, Context):
        return json.dumps(context.to_dict())
    if isinstance(context, Mapping):
        return json.dumps(context, default=_json_default)
    raise TypeError(f"expected a Context, a dict or JSON text, got {type(context).__name__}")


def _json_default(value: Any) -> Any:
    # A dict in the JSON shape may still hold Python values.
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, timedelta):
        return _duration(value)
    if isinstance(value, Series):
        return value.to_dict()
    if hasattr(value, "index") and hasattr(value, "to_numpy"):
        return _pandas_series(value, None)
    raise TypeError(f"{type(value).__name__} is not part of the context JSON shape")
