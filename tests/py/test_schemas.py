"""The committed JSON Schemas (schemas/, printed by `batchscale schema`) accept
the bundled examples: every context of examples/contexts, every scenario of
examples/scenarios (its TOML read as JSON) and the configuration shown in
docs/ci.md, and refuse what the readers refuse by shape (an unknown key, a
`null` where a value belongs, an error code in `allow`)."""

import copy
import json
import tomllib

import jsonschema
import pytest

from conftest import ROOT

SCHEMAS = ROOT / "schemas"
CONTEXTS = sorted((ROOT / "examples" / "contexts").glob("*.json"))
# The folder also holds formula test files (`*.test.toml`, `batchscale test`),
# which are not scenarios.
SCENARIOS = sorted(
    p
    for p in (ROOT / "examples" / "scenarios").glob("*.toml")
    if not p.name.endswith(".test.toml")
)


def validator(name):
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_there_are_examples():
    assert CONTEXTS and SCENARIOS


@pytest.mark.parametrize("path", CONTEXTS, ids=lambda p: p.name)
def test_every_example_context_is_valid(path):
    validator("context.schema.json").validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_scenario_is_valid(path):
    with path.open("rb") as f:
        scenario = tomllib.load(f)
    validator("scenario.schema.json").validate(scenario)


def test_a_context_may_name_its_schema_but_not_misspell_a_key():
    check = validator("context.schema.json")
    context = json.loads(CONTEXTS[0].read_text(encoding="utf-8"))
    named = dict(context, **{"$schema": "schemas/context.schema.json"})
    check.validate(named)
    misspelt = dict(context, nwo="2025-04-24T11:34:37Z")
    assert not check.is_valid(misspelt)
    # The reader refuses `null` for `now`; so does the schema.
    assert not check.is_valid(dict(context, now=None))
    # A series with values needs `last`.
    bad = {"metrics": {"$PendingTasks": {"values": [1, 2]}}}
    assert not check.is_valid(bad)
    assert check.is_valid({"metrics": {"$PendingTasks": {"values": []}}})
    assert not check.is_valid({"metrics": {"$PendingTask": {"values": []}}})


def test_a_scenario_distribution_is_one_of_the_named_shapes():
    check = validator("scenario.schema.json")
    with SCENARIOS[0].open("rb") as f:
        scenario = tomllib.load(f)
    broken = copy.deepcopy(scenario)
    broken.setdefault("pool", {})["startup"] = "PT2M"
    assert not check.is_valid(broken)
    fixed = copy.deepcopy(scenario)
    fixed.setdefault("pool", {})["startup"] = {"fixed": "PT2M"}
    check.validate(fixed)


def test_the_configuration_of_docs_ci_md_is_valid():
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    marker = "# batchscale.toml (in pyproject.toml"
    block = page.split(marker, 1)[1].split("```", 1)[0]
    config = tomllib.loads(marker + block)
    check = validator("batchscale.schema.json")
    check.validate(config)
    # An error code cannot be allowed; a misspelt key is refused.
    assert not check.is_valid(dict(config, allow=["undefined-symbol"]))
    assert not check.is_valid(dict(config, exlude=["x"]))
