"""The ``batchscale`` command installed by the wheel: the same command line
as the Rust binary, run inside the compiled module."""

from __future__ import annotations

import sys

from . import _batchscale


def main() -> None:
    """Runs ``batchscale`` with ``sys.argv`` and exits with its code."""
    sys.stdout.flush()
    sys.exit(_batchscale.run_cli(["batchscale", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
