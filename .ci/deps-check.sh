#!/usr/bin/env bash
# A library user who turns the default features off must not build the CLI's
# crates: the library alone builds, and its normal dependency tree names none
# of clap, rustyline, dirs or plotters.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --lib --no-default-features
# Code built only for the CLI must not leave the library-only build with
# dead code or unused imports.
cargo clippy --lib --no-default-features -- -D warnings

tree=$(cargo tree -e normal --no-default-features --prefix none)
found=0
for crate in clap rustyline dirs plotters; do
  if grep -Eq "^${crate} v" <<<"$tree"; then
    echo "deps-check: the library without default features depends on ${crate}"
    found=1
  fi
done
if [ "$found" -ne 0 ]; then
  exit 1
fi
echo "deps-check: the library without default features pulls in no CLI crate ($(awk '{print $1}' <<<"$tree" | sort -u | wc -l) crates)"
