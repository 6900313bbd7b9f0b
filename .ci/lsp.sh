#!/usr/bin/env bash
# The editor side of `batchscale lsp`, on a fresh machine (nothing cached):
# pytest-lsp (PyPI, in a venv) drives the built server end to end; Debian's
# neovim runs the documented configuration headless (one of those tests);
# vscode-tmgrammar-test (npm) checks the generated grammar on its fixtures;
# @vscode/vsce (npm) packages the VS Code extension into a .vsix.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --bin batchscale
export BATCHSCALE_BIN="$PWD/target/debug/batchscale"

if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pytest-lsp
(cd tests/lsp && CI=true "$work/venv/bin/pytest" -q -p no:cacheprovider .)

npm install --prefix "$work/npm" --no-audit --no-fund --silent vscode-tmgrammar-test @vscode/vsce
(
  cd editors/vscode
  "$work/npm/node_modules/.bin/vscode-tmgrammar-test" \
    -g syntaxes/azure-batch-autoscale.tmLanguage.json 'tests/*.formula'
)
# Packaging needs the client library beside the extension: a copy keeps the
# work tree clean.
cp -r editors/vscode "$work/vscode"
(
  cd "$work/vscode"
  npm install --omit=dev --no-audit --no-fund --silent
  "$work/npm/node_modules/.bin/vsce" package --allow-missing-repository --skip-license \
    -o "$work/batchscale.vsix" </dev/null
)
test -s "$work/batchscale.vsix"
echo "lsp: editor checks passed"
