"""Azure Batch pool auto-scale formulas, offline: check, evaluate, format and
simulate them from Python. See docs/python.md.

>>> import batchscale
>>> run = batchscale.Formula("$TargetDedicatedNodes = 3;").evaluate(
...     {"now": "2025-04-24T12:00:00Z", "pool": {}, "metrics": {}})
>>> run.results
'$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue'
"""

from ._batchscale import __version__
from ._context import Context, Series
from ._formula import AutoScaleRun, AutoScaleRunError, Diagnostic, Fix, Formula, Targets, check
from ._sim import Report, Reports, Run, simulate, sweep
from .errors import BatchscaleError, FormulaError, InputError

__all__ = [
    "AutoScaleRun",
    "AutoScaleRunError",
    "BatchscaleError",
    "Context",
    "Diagnostic",
    "Fix",
    "Formula",
    "FormulaError",
    "InputError",
    "Report",
    "Reports",
    "Run",
    "Series",
    "Targets",
    "__version__",
    "check",
    "simulate",
    "sweep",
]
