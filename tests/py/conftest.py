"""Shared paths for the pytest suite, run by .ci/python.sh in a fresh virtual
environment where the built wheel is installed."""

import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFORMANCE = sorted((ROOT / "tests" / "conformance").glob("*.json"))


@pytest.fixture
def root() -> pathlib.Path:
    return ROOT


def conformance_cases():
    return [json.loads(p.read_text(encoding="utf-8")) for p in CONFORMANCE]
