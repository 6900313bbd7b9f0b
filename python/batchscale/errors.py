"""Exceptions raised by batchscale, carrying the same code, message and
position as the command line reports."""

from __future__ import annotations

from typing import Optional

__all__ = ["BatchscaleError", "FormulaError", "InputError"]


class BatchscaleError(Exception):
    """Base class: ``code`` (the service's error code, or ``InputError``),
    ``message``, and the 1-based ``line`` and ``column`` when known."""

    def __init__(
        self,
        code: str,
        message: str,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        # Passing every field to Exception keeps the error picklable, so it
        # crosses a process pool or a Dask worker unchanged.
        super().__init__(code, message, line, column)
        self.code = code
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.code}: Line {self.line}, Col {self.column}: {self.message}"
        return f"{self.code}: {self.message}"


class FormulaError(BatchscaleError):
    """The formula does not parse or breaks a service limit
    (``AutoScalingFormulaSyntaxError``, ``AutoScalingFormulaTooLong``)."""


class InputError(BatchscaleError):
    """A context or scenario that cannot be read; ``message`` names the
    field and what was expected."""
