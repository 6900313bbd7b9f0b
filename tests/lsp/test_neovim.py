"""Neovim (Debian's package) drives `batchscale lsp` through the documented
configuration (editors/neovim/batchscale.lua) in a headless session."""

import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import BIN, ROOT

HERE = pathlib.Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("nvim") is None and not os.environ.get("CI"), reason="nvim is not installed")
def test_neovim_receives_the_diagnostics(tmp_path):
    out = tmp_path / "diagnostics.txt"
    env = dict(os.environ, BATCHSCALE_BIN=BIN, FORMULA=str(HERE / "neovim" / "broken.formula"), OUT=str(out))
    subprocess.run(
        [
            "nvim",
            "--headless",
            "--clean",
            "--cmd",
            "let g:do_filetype_lua=1",
            "-c",
            f"luafile {ROOT / 'editors/neovim/batchscale.lua'}",
            "-c",
            f"luafile {ROOT / 'editors/neovim/record-diagnostics.lua'}",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )
    # 1-based lines and byte columns, the end exclusive: the same three
    # findings as test_server.BROKEN (missing `;` reported at the next statement,
    # line 2, columns 1..22; the
    # fractional `$tasks / 2` at 25..35, `taskcompletoin` at 27..41).
    assert out.read_text().splitlines() == [
        "2:1-2:22 error missing-semicolon",
        "2:25-2:35 warning fractional-target",
        "3:27-3:41 error undefined-symbol",
    ]
