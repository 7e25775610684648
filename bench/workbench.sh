#!/bin/sh
# The workbench commands against a plain conversion to JSON Lines of the same
# make-corpus tar.gz, in the same run (hyperfine medians), as ratios:
#   sqlite   tar.gz -> sqlite database            (issue: at most 3x -> jsonl)
#   stats    cablex stats (no writer)             (issue: at most 1x -> jsonl)
#   check    cablex check (exit status 1 when it finds anything: hyperfine -i)
#   filter   --filter 'jq -c --unbuffered .' -> jsonl, and the pipe
#            -t jsonl | jq -c . | cablex convert -f json - (what it replaces)
#   filter-py  --filter examples/filters/wordcount.py
# plus the peak RSS of the sqlite conversion (GNU time).
#
# usage: bench/workbench.sh [BUILD_DIR] [COUNT] [RUNS] [JOBS]   (defaults: build, 20000, 3, 2)
#   COUNT 251287 is the whole corpus.
# needs: ../shared/tools/make-corpus, hyperfine, jq, python3, GNU time (/usr/bin/time)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
count=${2:-20000}
runs=${3:-3}
jobs=${4:-2}
cablex=$build/cablex
make_corpus=$top/../shared/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
for tool in hyperfine jq python3; do
  command -v $tool >/dev/null || { echo "bench: $tool not installed" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/corpus.tar.gz
"$make_corpus" --count "$count" --layout raw --pack tar.gz "$corpus" >/dev/null
echo "corpus: $count cables, $(wc -c <"$corpus") bytes tar.gz; -j $jobs"
c="$cablex"
j="-j $jobs -q"
hyperfine -N -i --runs "$runs" --warmup 1 --export-json "$tmp/times.json" \
  --prepare "rm -f $tmp/out.db" \
  -n "jsonl" "$c convert $j -t jsonl -o $tmp/out.jsonl $corpus" \
  -n "sqlite" "$c convert $j -t sqlite -o $tmp/out.db $corpus" \
  -n "stats" "$c stats $j -o $tmp/stats.txt $corpus" \
  -n "check" "$c check $j -o $tmp/check.txt $corpus" \
  -n "filter-jq" "$c convert $j --filter 'jq -c --unbuffered .' -t jsonl -o $tmp/f.jsonl $corpus" \
  -n "pipe-jq" "sh -c '$c convert $j -t jsonl $corpus | jq -c . | $c convert $j -f json -t jsonl -o $tmp/p.jsonl -'" \
  -n "filter-py" "$c convert $j --filter $top/examples/filters/wordcount.py -t jsonl -o $tmp/w.jsonl $corpus"
python3 - "$tmp/times.json" <<'EOF'
import json, sys
res = {r['command']: r for r in json.load(open(sys.argv[1]))['results']}
base = res['jsonl']['median']
print('%-10s %10s %8s' % ('command', 'median s', 'x jsonl'))
for name, r in res.items():
    print('%-10s %10.3f %8.2f' % (name, r['median'], r['median'] / base))
EOF
rm -f "$tmp/out.db"
/usr/bin/time -f "sqlite: peak RSS %M KiB, %e s wall" \
  "$cablex" convert -j "$jobs" -q -t sqlite -o "$tmp/out.db" "$corpus"
echo "database: $(wc -c <"$tmp/out.db") bytes; jsonl: $(wc -c <"$tmp/out.jsonl") bytes"
