#!/bin/sh
# The workbench commands against a plain conversion to JSON Lines of the same
# make-corpus tar.gz, in the same run (hyperfine medians), as ratios:
#   sqlite   tar.gz -> sqlite database            (issue: at most 3x -> jsonl)
#   stats    cablex stats (no writer)             (issue: at most 1x -> jsonl)
#   check    cablex check (exit status 1 when it finds anything: hyperfine -i)
#   filter-jq  --filter 'jq -c --unbuffered .' -> jsonl, and the pipe it replaces
#   pipe-jq    -t jsonl | jq -c . | cablex convert -f json -
#   filter-cat --filter cat (the cost of the protocol alone)
#   filter-py  --filter examples/filters/wordcount.py
# plus the peak RSS of the sqlite conversion (GNU time).  The table gives
# the median wall time, its ratio to jsonl, and the mean CPU (user + system,
# all threads and children), which a busy machine disturbs less.
#
# usage: bench/workbench.sh [BUILD_DIR] [COUNT] [RUNS] [JOBS]   (defaults: build, 20000, 3, 2)
#   COUNT 251287 is the whole corpus.
# environment: CORPUS=FILE.tar.gz uses that corpus instead of making one
#   (make-corpus takes a while for the whole corpus); ONLY="jsonl sqlite"
#   runs only the commands named (jsonl is always run: the ratios need it);
#   CX_SHARED_DIR names the shared folder with tools/make-corpus (default ../shared);
#   WARMUP=N warm-up runs of each command (default 1).
# needs: ../shared/tools/make-corpus, hyperfine, jq, python3, GNU time (/usr/bin/time)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
count=${2:-20000}
runs=${3:-3}
jobs=${4:-2}
cablex=$build/cablex
make_corpus=${CX_SHARED_DIR:-$top/../shared}/tools/make-corpus
[ -n "${CORPUS:-}" ] && make_corpus=$CORPUS
for need in "$cablex" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
[ -e "$make_corpus" ] || { echo "bench: missing $make_corpus (set CX_SHARED_DIR or CORPUS)" >&2; exit 2; }
for tool in hyperfine jq python3; do
  command -v $tool >/dev/null || { echo "bench: $tool not installed" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${CORPUS:-}" ]; then
  corpus=$CORPUS
else
  corpus=$tmp/corpus.tar.gz
  "$make_corpus" --count "$count" --layout raw --pack tar.gz "$corpus" >/dev/null
fi
echo "corpus: $corpus, $count cables, $(wc -c <"$corpus") bytes tar.gz; -j $jobs; $runs runs"
c="$cablex"
j="-j $jobs -q"
only=" jsonl ${ONLY:-sqlite stats check filter-jq pipe-jq filter-cat filter-py} "
set -- -n jsonl "$c convert $j -t jsonl -o $tmp/out.jsonl $corpus"
for name in sqlite stats check filter-jq pipe-jq filter-cat filter-py; do
  case "$only" in *" $name "*) ;; *) continue ;; esac
  case $name in
  sqlite) cmd="$c convert $j -t sqlite -o $tmp/out.db $corpus" ;;
  stats) cmd="$c stats $j -o $tmp/stats.txt $corpus" ;;
  check) cmd="$c check $j -o $tmp/check.txt $corpus" ;;
  filter-jq) cmd="$c convert $j --filter 'jq -c --unbuffered .' -t jsonl -o $tmp/f.jsonl $corpus" ;;
  pipe-jq) cmd="sh -c '$c convert $j -t jsonl $corpus | jq -c . | $c convert $j -f json -t jsonl -o $tmp/p.jsonl -'" ;;
  filter-cat) cmd="$c convert $j --filter cat -t jsonl -o $tmp/c.jsonl $corpus" ;;
  filter-py) cmd="$c convert $j --filter $top/examples/filters/wordcount.py -t jsonl -o $tmp/w.jsonl $corpus" ;;
  esac
  set -- "$@" -n "$name" "$cmd"
done
hyperfine -N -i --runs "$runs" --warmup "${WARMUP:-1}" --export-json "$tmp/times.json" \
  --prepare "rm -f $tmp/out.db" "$@"
python3 - "$tmp/times.json" <<'EOF'
import json, sys
res = {r['command']: r for r in json.load(open(sys.argv[1]))['results']}
base = res['jsonl']['median']
cpu = lambda r: r['user'] + r['system']
print('%-10s %10s %8s %10s %8s' % ('command', 'median s', 'x jsonl', 'cpu s', 'x jsonl'))
for name, r in res.items():
    print('%-10s %10.3f %8.2f %10.3f %8.2f' % (name, r['median'], r['median'] / base, cpu(r),
                                                cpu(r) / cpu(res['jsonl'])))
EOF
rm -f "$tmp/out.db"
case "$only" in *" sqlite "*) ;; *) exit 0 ;; esac
/usr/bin/time -f "sqlite: peak RSS %M KiB, %e s wall" \
  "$cablex" convert -j "$jobs" -q -t sqlite -o "$tmp/out.db" "$corpus"
echo "database: $(wc -c <"$tmp/out.db") bytes; jsonl: $(wc -c <"$tmp/out.jsonl") bytes"
