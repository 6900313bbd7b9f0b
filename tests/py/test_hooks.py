"""The pre-commit hooks, the GitHub Action and the Azure Pipelines template,
each run as its CI system would: pre-commit itself through `try-repo`, and the
scripts of the action and the template with their inputs filled in."""

import json
import os
import re
import subprocess

import pytest
import yaml

BAD = "$tasks = 4\n$TargetDedicatedNodes = $tasks;\n"
GOOD = "$TargetDedicatedNodes = 2;\n"
UNFORMATTED = "$TargetDedicatedNodes=2;\n"


def git_repo(path, files):
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    for args in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *args], cwd=path, check=True)
    return path


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory, request):
    root = request.config.rootpath
    env = dict(os.environ)
    # One hook environment for the module: pre-commit builds this repository's
    # wheel once (its Rust dependencies come from the CI's build folder).
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.setdefault("CARGO_TARGET_DIR", str(root / "target" / "python"))
    env.setdefault("GIT_AUTHOR_NAME", "ci")
    env.setdefault("GIT_AUTHOR_EMAIL", "ci@example.invalid")
    env.setdefault("GIT_COMMITTER_NAME", "ci")
    env.setdefault("GIT_COMMITTER_EMAIL", "ci@example.invalid")
    return root, env


def try_repo(repo, hook, env):
    root, env = env
    return subprocess.run(
        ["pre-commit", "try-repo", str(root), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


def test_pre_commit_check_fails_a_bad_formula_and_passes_a_good_one(tmp_path, pre_commit_env):
    bad = try_repo(git_repo(tmp_path / "bad", {"pool.formula": BAD}), "batchscale-check", pre_commit_env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "missing-semicolon" in bad.stdout
    good = try_repo(git_repo(tmp_path / "good", {"pool.formula": GOOD}), "batchscale-check", pre_commit_env)
    assert good.returncode == 0, good.stdout + good.stderr


def test_pre_commit_fmt_rewrites_and_fails_then_passes(tmp_path, pre_commit_env):
    repo = git_repo(tmp_path / "fmt", {"pool.formula": UNFORMATTED})
    first = try_repo(repo, "batchscale-fmt", pre_commit_env)
    # pre-commit fails a hook that changed files.
    assert first.returncode == 1, first.stdout + first.stderr
    assert (repo / "pool.formula").read_text() == "$TargetDedicatedNodes = 2;\n"
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    assert try_repo(repo, "batchscale-fmt", pre_commit_env).returncode == 0


def step(steps, name):
    return next(s for s in steps if s.get("name") == name or s.get("displayName") == name)


def test_the_github_action_writes_sarif_and_reports_the_status(tmp_path, root):
    action = yaml.safe_load((root / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    check = step(action["runs"]["steps"], "Check")
    upload = step(action["runs"]["steps"], "Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    (tmp_path / "pool.formula").write_text(BAD)
    output = tmp_path / "github_output"
    env = dict(os.environ, BATCHSCALE_PATHS="pool.formula", BATCHSCALE_ARGS="",
               BATCHSCALE_SARIF="out.sarif", GITHUB_OUTPUT=str(output))
    run = subprocess.run(["bash", "-e", "-c", check["run"]], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    # The missing `;` is reported at the statement the parser could not take.
    assert "::error file=pool.formula,line=2,col=1" in run.stdout
    assert output.read_text() == "status=1\n"
    log = json.loads((tmp_path / "out.sarif").read_text())
    assert log["runs"][0]["results"][0]["ruleId"] == "missing-semicolon"


def test_the_azure_template_logs_issues_and_writes_junit(tmp_path, root):
    template = yaml.safe_load((root / "ci-templates" / "azure-pipelines.yml").read_text())
    script = step(template["steps"], "batchscale check")["script"]
    params = {"paths": "pool.formula", "args": "", "package": "batchscale"}
    script = re.sub(r"\$\{\{ parameters\.(\w+) \}\}", lambda m: params[m.group(1)], script)
    script = script.replace("$(Agent.TempDirectory)", str(tmp_path))
    (tmp_path / "pool.formula").write_text(BAD)
    run = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "##vso[task.logissue type=error;sourcepath=pool.formula;linenumber=2;columnnumber=1;code=missing-semicolon;]" in run.stdout
    assert run.stdout.rstrip().endswith("##vso[task.setvariable variable=BATCHSCALE_STATUS]1")
    assert "<failure type=\"missing-semicolon\"" in (tmp_path / "batchscale-junit.xml").read_text()
