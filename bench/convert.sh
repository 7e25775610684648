#!/bin/sh
# Times cablex's conversions against reading the same bytes, in the same
# run, at -j 1 and -j 2, and reports peak memory.  Medians via hyperfine.
#
# usage: bench/convert.sh [BUILD_DIR] [COUNT]     (defaults: build, 20000)
# needs: ../shared/tools/make-corpus, hyperfine, GNU time (/usr/bin/time)
#
# Baselines: `cat` of every cable file (what reading the input costs), for
# JSON input `cat` of the .jsonl, and for the same corpus packed as one
# tar.gz, `gzip -dc` (and `igzip -dc` when ISA-L's tool is installed).  The
# ratios are what to compare between runs; absolute times depend on the
# machine (and on its load: run it on an idle one).
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
"$make_corpus" --count "$count" --layout raw --pack tar.gz "$tmp/raw.tar.gz"
"$cablex" convert -q -t jsonl -o "$tmp/all.jsonl" "$tmp/raw"
echo "corpus: $count cables, $(du -sb "$tmp/raw" | cut -f1) bytes raw," \
  "$(wc -c <"$tmp/raw.tar.gz") bytes as tar.gz, $(wc -c <"$tmp/all.jsonl") bytes as JSON Lines"

igzip=
command -v igzip >/dev/null && igzip="igzip -dc $tmp/raw.tar.gz"
set -- -n "cat raw files" "sh -c 'find $tmp/raw -type f -exec cat {} + >/dev/null'" \
  -n "cat jsonl" "cat $tmp/all.jsonl" \
  -n "gzip -dc" "gzip -dc $tmp/raw.tar.gz"
[ -n "$igzip" ] && set -- "$@" -n "igzip -dc" "$igzip"
for j in 1 2; do
  set -- "$@" \
    -n "raw -> jsonl -j$j" "$cablex convert -q -j $j -t jsonl -o /dev/null $tmp/raw" \
    -n "jsonl -> raw -j$j" "$cablex convert -q -j $j -f json -t raw -o /dev/null $tmp/all.jsonl" \
    -n "jsonl -> jsonl -j$j" "$cablex convert -q -j $j -t jsonl -o /dev/null $tmp/all.jsonl" \
    -n "tar.gz -> jsonl -j$j" "$cablex convert -q -j $j -t jsonl -o /dev/null $tmp/raw.tar.gz"
done
hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/times.json" "$@"
# medians, and each command against its input's baselines
python3 - "$tmp/times.json" <<'PY'
import json, statistics, sys
r = {x["command"]: statistics.median(x["times"]) for x in json.load(open(sys.argv[1]))["results"]}
def bases(name):
    if name.startswith("raw ->"): return ["cat raw files"]
    if name.startswith("jsonl ->"): return ["cat jsonl"]
    if name.startswith("tar.gz ->"): return ["gzip -dc", "igzip -dc"]
    return []
print("%-22s %10s  %s" % ("command", "median s", "ratio to its baseline(s)"))
for name, t in r.items():
    rs = ["%.2f x %s" % (t / r[b], b) for b in bases(name) if b in r]
    print("%-22s %10.3f  %s" % (name, t, ", ".join(rs)))
PY

for j in 1 2; do
  for cmd in "-t jsonl $tmp/raw" "-f json -t raw $tmp/all.jsonl" "-t jsonl $tmp/raw.tar.gz"; do
    # shellcheck disable=SC2086
    kb=$(/usr/bin/time -f %M "$cablex" convert -q -j $j $cmd -o /dev/null 2>&1 >/dev/null | tail -n 1)
    echo "peak RSS, convert -j $j $cmd: $kb KiB"
  done
done
