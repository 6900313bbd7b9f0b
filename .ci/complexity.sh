#!/usr/bin/env bash
# Complexity pass (issue 18 item 10): super-linear growth fails CI.
#
# Each target below is fed large inputs, generated here at the size of the
# documented caps, plus its corpus, then explores from them with a fixed seed
# and run count. Every input must finish within a tight per-input timeout
# (libFuzzer -timeout): a quadratic path on a 1 MiB input takes minutes, a
# linear one well under a second, so the verdict does not hinge on the
# machine's speed. Called by .ci/run; needs cargo-fuzz (`-s none` works on stable).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

TIMEOUT="${COMPLEXITY_TIMEOUT:-10}"  # seconds per input, release build
MAX_LEN=$((1 << 20))                 # the hard cap on a formula's size
RUNS="${COMPLEXITY_RUNS:-2000}"

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT

# Inputs at the size where issue 18 measured minutes to hours.
mkdir -p "$seeds/check_lifted" "$seeds/render" "$seeds/repl" "$seeds/fmt_comments"
# 16,000 unused variables and as many misspelt uses (clone per diagnostic,
# did-you-mean against every name).
python3 - "$seeds" <<'PY'
import sys, os
root = sys.argv[1]
def put(target, name, data):
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)
many = "".join(f"$v{i} = 1;\n$w{i} = $u{i};\n" for i in range(16000)).encode()
put("check_lifted", "many-names", many[: 1 << 20])
# One line of about 1 MiB with an error at its end (line/column counted from the
# start per diagnostic; the renderer handed the whole line).
line = ("$x = " + "1 + " * 200000 + ";\n").encode()
put("check_lifted", "one-long-line", line[: 1 << 20])
put("render", "one-long-line", b"\xff\xff\x0f\x00\x00\x00\x08\x00" + line[: (1 << 20) - 8])
# 40,000 continued REPL lines (the buffer re-scanned on each line).
put("repl", "long-continuation", ("$x = max(1,\n" + "  1,\n" * 40000 + "  1)\n").encode()[: 1 << 20])
# Comments between every statement.
put("fmt_comments", "many-comments", "".join(f"$a{i} = {i}; // c{i}\n// own line\n" for i in range(20000)).encode()[: 1 << 20])
PY

cargo fuzz build -s none
for target in check_lifted render repl fmt_comments extract parse; do
  extra=()
  if [ -d "$seeds/$target" ]; then extra=("$seeds/$target"); fi
  mkdir -p "corpus/$target"
  echo "complexity $target: $RUNS runs, max_len $MAX_LEN, timeout ${TIMEOUT}s per input"
  cargo fuzz run -s none "$target" "corpus/$target" "${extra[@]}" -- \
    -seed=1 -runs="$RUNS" -max_len="$MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
    >/dev/null 2>"/tmp/complexity-$target.log" || {
    tail -n 40 "/tmp/complexity-$target.log"
    echo "complexity: $target took longer than ${TIMEOUT}s on an input, or crashed"
    exit 1
  }
done
echo "complexity: all targets linear within ${TIMEOUT}s per input"
