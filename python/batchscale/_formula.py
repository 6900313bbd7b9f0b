"""``Formula``: check, evaluate and format one auto-scale formula."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

from . import _batchscale
from ._context import Context, context_json

__all__ = ["AutoScaleRun", "AutoScaleRunError", "Diagnostic", "Fix", "Formula", "Targets", "check"]


@dataclass(frozen=True)
class Fix:
    """A safe edit: insert ``insert`` at ``line``/``column``."""

    line: int
    column: int
    insert: str


@dataclass(frozen=True)
class Diagnostic:
    """One problem found by ``Formula.check``, as ``batchscale check
    --format json`` reports it. Lines and columns are 1-based; columns count
    characters; ``end_column`` is exclusive."""

    code: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    help: Optional[str]
    fix: Optional[Fix]


@dataclass(frozen=True)
class AutoScaleRunError:
    """The error of a failed evaluation, as the Batch REST API returns it."""

    code: str
    message: str
    values: Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Targets:
    """The node counts the service applies (truncated, never below 0)."""

    dedicated: int
    low_priority: int
    node_deallocation_option: str


@dataclass(frozen=True)
class AutoScaleRun:
    """The result of an evaluation: ``results`` is the service's
    ``$name=value;...`` string, ``error`` is set when the evaluation failed,
    ``targets`` when it did not."""

    timestamp: str
    results: str
    error: Optional[AutoScaleRunError]
    targets: Optional[Targets]


def check(text: str, allow: Sequence[str] = (), deny: Sequence[str] = ()) -> List[Diagnostic]:
    """Every diagnostic ``batchscale check`` reports for the formula text,
    after ``allow`` and ``deny`` (``deny=["warnings"]`` denies all). Unlike
    ``Formula(text)`` this accepts text that does not parse, and reports
    every syntax error with its fix where there is one."""
    found = _batchscale.check(text, list(allow), list(deny))
    return [Diagnostic(**{**d, "fix": Fix(**d["fix"]) if d["fix"] else None}) for d in found]


class Formula:
    """An auto-scale formula. Raises ``FormulaError`` (with the service's
    code, the message and its position) when ``text`` does not parse."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        _batchscale.parse(text)
        self.text = text

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def __reduce__(self) -> Any:
        return (Formula, (self.text,))

    def check(
        self, allow: Sequence[str] = (), deny: Sequence[str] = ()
    ) -> List[Diagnostic]:
        """Every diagnostic ``batchscale check`` reports for this formula,
        after ``allow`` and ``deny`` (``deny=["warnings"]`` denies all)."""
        return check(self.text, allow, deny)

    def evaluate(self, context: Union[Context, Mapping[str, Any], str]) -> AutoScaleRun:
        """Evaluates against ``context`` (a ``Context``, a dict in the JSON
        shape of ``batchscale eval --context``, or that JSON as text), with
        the GIL released."""
        run = _batchscale.evaluate(self.text, context_json(context))
        error = run["error"]
        targets = run["targets"]
        return AutoScaleRun(
            timestamp=run["timestamp"],
            results=run["results"],
            error=AutoScaleRunError(
                error["code"],
                error["message"],
                tuple((v["name"], v["value"]) for v in error["values"]),
            )
            if error
            else None,
            targets=Targets(**targets) if targets else None,
        )

    def format(self) -> str:
        """The formula in the canonical layout (``batchscale fmt``)."""
        return _batchscale.format(self.text)
