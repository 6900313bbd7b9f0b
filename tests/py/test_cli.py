"""The `batchscale` command installed by the wheel."""

import json
import shutil
import subprocess

from conftest import CONFORMANCE


def test_the_wheel_installs_the_command():
    assert shutil.which("batchscale"), "the wheel's console script is on PATH"
    out = subprocess.run(["batchscale", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("batchscale ")


def test_the_command_answers_a_conformance_case(tmp_path):
    # 01-evaluate-simple: the service answered `$TargetDedicatedNodes=3` with
    # the pool's other targets (recorded by the Azure SDK for Node).
    case = json.loads(CONFORMANCE[0].read_text(encoding="utf-8"))
    assert case["name"] == "evaluate-simple"
    (tmp_path / "ctx.json").write_text(json.dumps(case["context"]))
    (tmp_path / "f.formula").write_text(case["formula"])
    out = subprocess.run(
        ["batchscale", "eval", "--context", "ctx.json", "--format", "json", "f.formula"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    run = json.loads(out.stdout)
    assert run["results"] == case["expect"]["results"]
    assert run["error"] == case["expect"]["error"]


def test_exit_codes_follow_the_binary(tmp_path):
    (tmp_path / "bad.formula").write_text("$TargetDedicatedNodes = 3 +;\n")
    (tmp_path / "good.formula").write_text("$TargetDedicatedNodes = 3;\n")
    run = lambda *a: subprocess.run(["batchscale", *a], cwd=tmp_path, capture_output=True)
    assert run("check", "good.formula").returncode == 0
    assert run("check", "bad.formula").returncode == 1
    assert run("check", "--no-such-flag").returncode == 2
