#!/bin/sh
# Converts a cables.csv.gz from make-corpus (the leaked layout) to JSON Lines
# and back, and reports wall time and peak memory: the csv reader streams, so
# peak RSS must stay flat (a few MB) whatever the number of rows.
#
# usage: bench/csv.sh [BUILD_DIR] [COUNT]     (defaults: build, 250000)
# needs: ../shared/tools/make-corpus, GNU time (/usr/bin/time); hyperfine
# for the medians (optional: without it, or with CSV_BENCH_RUNS=0, each
# conversion is timed once).  CPU seconds (user + system) are printed
# beside wall time: on a loaded machine they are the figure to compare.
#
# Baseline: `gzip -dc` of the same file (what undoing the compression costs).
# The corpus is kept in bench/.cache/csv-COUNT.csv.gz between runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
count=${2:-250000}
cablex=$build/cablex
make_corpus=$top/../shared/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done

cache=$top/bench/.cache
mkdir -p "$cache"
corpus=$cache/csv-$count.csv.gz
[ -s "$corpus" ] || "$make_corpus" --count "$count" --layout csv --pack gz "$corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "corpus: $count rows, $(wc -c <"$corpus") bytes gzip, $(gzip -dc "$corpus" | wc -c) bytes csv"

# peak RSS and wall time of one run each; the row count from the summary
measure() {
  name=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$cablex" convert "$@" 2>"$tmp/err" || {
    echo "bench: $name failed:" >&2
    tail -n 5 "$tmp/err" >&2
    exit 1
  }
  read -r wall user sys kb <"$tmp/time"
  cpu=$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')
  summary=$(grep -E 'converted' "$tmp/err" | tail -n 1 | sed 's/^cablex: //')
  printf '%-18s wall %7.2f s  cpu %7.2f s  peak RSS %7d KiB  (%s)\n' "$name" "$wall" "$cpu" "$kb" "$summary"
}
measure "csv.gz -> jsonl" -t jsonl -o "$tmp/all.jsonl" "$corpus"
measure "jsonl -> csv" -f json -t csv -o "$tmp/back.csv" "$tmp/all.jsonl"
if gzip -dc "$corpus" | cmp -s - "$tmp/back.csv"; then
  echo "csv -> JSON -> csv: byte-identical"
else
  echo "csv -> JSON -> csv: DIFFERS" >&2
  exit 1
fi
rm -f "$tmp/back.csv"
measure "csv.gz -> csv.gz" -t csv -o "$tmp/back.csv.gz" "$corpus"

runs=${CSV_BENCH_RUNS:-3}
if [ "$runs" -gt 0 ] && command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 1 --runs "$runs" \
    -n "gzip -dc" "gzip -dc $corpus" \
    -n "csv.gz -> jsonl" "$cablex convert -q -t jsonl -o /dev/null $corpus" \
    -n "csv.gz -> csv" "$cablex convert -q -t csv -o /dev/null $corpus"
else
  echo "hyperfine not installed or CSV_BENCH_RUNS=0: medians skipped"
fi
