#!/usr/bin/env bash
# Complexity pass (issue 18 item 10): super-linear growth fails CI.
#
# Two steps, on the release build of the fuzz targets (`cargo fuzz build`):
#
# 1. Inputs generated here at the size of the documented caps (16,000 names,
#    a 1 MiB line, 40,000 continued REPL lines, 20,000 comments) each run once
#    under a CPU-time limit (`ulimit -t`, default 10 s). A quadratic path on
#    them takes minutes of CPU, a linear one a few seconds (the slowest,
#    check_lifted on 16,000 names, about 5 s of CPU in the instrumented
#    build), and CPU time does not depend on what else the machine runs, so
#    the verdict does not hinge on load.
# 2. A short exploration of each target from its committed corpus (fixed seed
#    and run count, inputs up to the cap) with libFuzzer's per-input timeout.
#    That timeout counts wall-clock time, so it is wider than the CPU limit.
#
# Called by .ci/run after the fuzzing pass (which builds the targets); needs
# cargo-fuzz (`-s none` works on stable).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

CPU_LIMIT="${COMPLEXITY_CPU_SECONDS:-10}" # CPU seconds per input at the caps
TIMEOUT="${COMPLEXITY_TIMEOUT:-60}"       # wall-clock seconds per explored input
MAX_LEN=$((1 << 20))                      # the hard cap on a formula's size
RUNS="${COMPLEXITY_RUNS:-500}"

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT

# Inputs at the size where issue 18 measured minutes to hours.
mkdir -p "$seeds/check_lifted" "$seeds/render" "$seeds/repl" "$seeds/fmt_comments"
python3 - "$seeds" <<'PY'
import sys, os
root = sys.argv[1]
def put(target, name, data):
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)
# 16,000 unused variables and as many misspelt uses (clone per diagnostic,
# did-you-mean against every name, the unused-variable lint's scan).
many = "".join(f"$v{i} = 1;\n$w{i} = $u{i};\n" for i in range(16000)).encode()
put("check_lifted", "many-names", many[: 1 << 20])
# One line of about 1 MiB with an error at its end (line/column counted from the
# start per diagnostic; the renderer handed the whole line).
line = ("$x = " + "1 + " * 200000 + ";\n").encode()
put("check_lifted", "one-long-line", line[: 1 << 20])
put("render", "one-long-line", b"\xff\xff\x0f\x00\x00\x00\x08\x00" + line[: (1 << 20) - 8])
# 40,000 continued REPL lines (the buffer re-scanned on each line).
put("repl", "long-continuation", ("$x = max(1,\n" + "  1,\n" * 40000 + "  1)\n").encode()[: 1 << 20])
# Comments between every statement (each comment's statement found by a scan).
put("fmt_comments", "many-comments", "".join(f"$a{i} = {i}; // c{i}\n// own line\n" for i in range(20000)).encode()[: 1 << 20])
PY

cargo fuzz build -s none
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"

# What a failed run printed, without libFuzzer's dump of the input's bytes
# (a megabyte on one line).
report() {
  grep -v '^\s*\[[0-9, ]*\]\?$' "$1" | cut -c1-300 | tail -n 30
}

for dir in "$seeds"/*/; do
  target="$(basename "$dir")"
  for input in "$dir"*; do
    echo "complexity $target $(basename "$input"): at most ${CPU_LIMIT}s of CPU"
    if ! (ulimit -t "$CPU_LIMIT"; "$bin/$target" "$input") \
      >/dev/null 2>"/tmp/complexity-$target.log"; then
      report "/tmp/complexity-$target.log"
      echo "complexity: $target on $(basename "$input") took more than ${CPU_LIMIT}s of CPU, or crashed"
      exit 1
    fi
  done
done

for target in check_lifted render repl fmt_comments extract parse; do
  mkdir -p "corpus/$target"
  echo "complexity $target: $RUNS runs from the corpus, max_len $MAX_LEN, timeout ${TIMEOUT}s per input"
  cargo fuzz run -s none "$target" "corpus/$target" -- \
    -seed=1 -runs="$RUNS" -max_len="$MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
    >/dev/null 2>"/tmp/complexity-$target.log" || {
    report "/tmp/complexity-$target.log"
    echo "complexity: $target took longer than ${TIMEOUT}s on an input, or crashed"
    exit 1
  }
done
echo "complexity: every input at the caps within ${CPU_LIMIT}s of CPU; exploration clean"
