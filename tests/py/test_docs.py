"""Every ```python block of docs/python.md runs, in order, in one namespace
(a later block uses names an earlier one defined)."""

import re


def test_python_guide_examples_run(root):
    text = (root / "docs" / "python.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 5
    namespace: dict = {"__name__": "docs_python"}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), namespace)
