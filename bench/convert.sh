#!/bin/sh
# Times cablex's single-input-stream conversions against reading the same
# bytes, in the same run, and reports peak memory.  Medians via hyperfine.
#
# usage: bench/convert.sh [BUILD_DIR] [COUNT]     (defaults: build, 20000)
# needs: ../shared/tools/make-corpus, hyperfine, GNU time (/usr/bin/time)
#
# Baselines: `cat` of every cable file (what reading the input costs), and
# for JSON input, `cat` of the .jsonl.  The ratios cablex/cat are what to
# compare between runs; absolute times depend on the machine.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
count=${2:-20000}
cablex=$build/cablex
make_corpus=$top/../shared/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
command -v hyperfine >/dev/null || { echo "bench: hyperfine not installed (apt-get install hyperfine)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$make_corpus" --count "$count" --layout raw --pack dir "$tmp/raw"
"$cablex" convert -q -t jsonl -o "$tmp/all.jsonl" "$tmp/raw"
echo "corpus: $count cables, $(du -sb "$tmp/raw" | cut -f1) bytes raw, $(wc -c <"$tmp/all.jsonl") bytes as JSON Lines"

hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/times.json" \
  -n "cat raw files" "sh -c 'find $tmp/raw -type f -exec cat {} + >/dev/null'" \
  -n "raw -> jsonl" "$cablex convert -q -t jsonl -o /dev/null $tmp/raw" \
  -n "cat jsonl" "cat $tmp/all.jsonl" \
  -n "jsonl -> raw" "$cablex convert -q -f json -t raw -o /dev/null $tmp/all.jsonl" \
  -n "jsonl -> jsonl" "$cablex convert -q -t jsonl -o /dev/null $tmp/all.jsonl"
# medians, and each command against its input's cat baseline
python3 - "$tmp/times.json" <<'PY'
import json, statistics, sys
r = {x["command"]: statistics.median(x["times"]) for x in json.load(open(sys.argv[1]))["results"]}
base = {"raw -> jsonl": "cat raw files", "jsonl -> raw": "cat jsonl", "jsonl -> jsonl": "cat jsonl"}
print("%-16s %10s  %s" % ("command", "median s", "ratio to its baseline"))
for name, t in r.items():
    b = base.get(name)
    print("%-16s %10.3f  %s" % (name, t, "%.2f x %s" % (t / r[b], b) if b else ""))
PY

for cmd in "-t jsonl $tmp/raw" "-f json -t raw $tmp/all.jsonl"; do
  # shellcheck disable=SC2086
  kb=$(/usr/bin/time -f %M "$cablex" convert -q $cmd -o /dev/null 2>&1 >/dev/null | tail -n 1)
  echo "peak RSS, convert $cmd: $kb KiB"
done
