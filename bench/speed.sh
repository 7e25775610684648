#!/bin/sh
# The speed tables of issue 14, measured honestly (bench/README.md): every
# table runs its commands in interleaved rounds (bench/rounds.py: each round
# runs each command once, in turn; rounds start on a quiet machine; a run
# disturbed by other processes is dropped and said; medians of ROUNDS kept
# runs), and every table has the gzip -dc, igzip -dc and floor rows.
#
# usage: bench/speed.sh [-h] [-b BUILD_DIR | -x CABLEX] [-c CACHE_DIR] [-r ROUNDS]
#                       [-n COUNT] [-q QUIET_FRAC]
#   BUILD_DIR   where cablex was built (its ./cablex)        (default: build)
#   CABLEX      the cablex binary to time
#   CACHE_DIR   where the corpora are kept                   (default: bench/.cache)
#   ROUNDS      kept runs per command                        (default: 5)
#   COUNT       cables in the corpus                         (default: 20000)
#   QUIET_FRAC  other processes' CPU, in cores, that still counts as quiet
#               (default: 0.10)
# needs: ../shared/tools/make-corpus (or $CX_SHARED_DIR/tools/...), python3, /usr/bin/time, cc, gzip,
#        igzip (Debian: isal)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cablex=$top/build/cablex
cache=$top/bench/.cache
rounds=5
count=20000
quiet=0.10
while getopts hb:x:c:r:n:q: opt; do
  case $opt in
  h) sed -n '8,17p' "$0"; exit 0 ;;
  b) cablex=$OPTARG/cablex ;;
  x) cablex=$OPTARG ;;
  c) cache=$OPTARG ;;
  r) rounds=$OPTARG ;;
  n) count=$OPTARG ;;
  q) quiet=$OPTARG ;;
  *) sed -n '8,17p' "$0" >&2; exit 2 ;;
  esac
done
make_corpus=${CX_SHARED_DIR:-$top/../shared}/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
for tool in python3 cc gzip igzip; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not installed" >&2; exit 2; }
done
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
floor=$tmp/floor
cc -O2 -o "$floor" "$top/bench/floor.c"
# The "> file" row writes into tmpfs when there is one: a file on disk is
# flushed by the kernel's writeback threads, whose CPU rounds.py counts as
# other processes', so that every run of the row was dropped as disturbed.
filedir=$tmp
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  filedir=$(mktemp -d /dev/shm/cablex-bench.XXXXXX)
fi
trap 'rm -rf "$tmp"; [ "$filedir" = "$tmp" ] || rm -rf "$filedir"' EXIT

tgz=$cache/raw-$count.tar.gz
[ -s "$tgz" ] || { "$make_corpus" --count "$count" --layout raw --pack tar.gz "$tgz.part" &&
  mv "$tgz.part" "$tgz"; }
csv=$cache/csv-$count.csv
[ -s "$csv" ] || { "$make_corpus" --count "$count" --layout csv --pack dir "$csv.part" &&
  mv "$csv.part" "$csv"; }
jsonl=$cache/cables-$count.jsonl
[ -s "$jsonl" ] || "$cablex" convert -q -t jsonl -o "$jsonl" "$tgz"

X="$cablex convert -q"
rounds() { python3 "$top/bench/rounds.py" -r "$rounds" --quiet-frac "$quiet" "$@"; }
# the bytes a conversion writes, for its floor row: size CONVERT-ARGS...
size() { $X "$@" -o - 2>/dev/null | wc -c; }
# the three reference rows for an input: decompressing it, and the floor
refs() { # refs INPUT OUT_BYTES
  if [ "${1%.gz}" != "$1" ]; then
    set -- -c "gzip -dc" "gzip -dc $1" -c "igzip -dc" "igzip -dc $1" \
      -c "floor" "igzip -dc $1 | $floor $2"
  else # the same bytes gzip-compressed, kept beside the corpus
    [ -s "$1.gz" ] || gzip -c "$1" >"$1.gz"
    set -- -c "gzip -dc" "gzip -dc $1.gz" -c "igzip -dc" "igzip -dc $1.gz" \
      -c "floor" "$floor $2 $1"
  fi
  printf '%s\n' "$@"
}
table() { # table TITLE INPUT OUT_BYTES -c NAME CMD ...
  title=$1 in=$2 bytes=$3
  shift 3
  # shellcheck disable=SC2046
  ( IFS='
'
    rounds -t "$title" $(refs "$in" "$bytes") "$@" )
}

echo "cablex: $cablex ($("$cablex" --version 2>/dev/null | head -n 1 || echo '?'))"
echo "host: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"

n=$(size -t jsonl "$tgz")
table "tar.gz -> jsonl ($count cables, $n bytes out)" "$tgz" "$n" \
  -c "cablex -j1 > /dev/null" "$X -j1 -t jsonl -o /dev/null $tgz" \
  -c "cablex -j2 > /dev/null" "$X -j2 -t jsonl -o /dev/null $tgz" \
  -c "cablex -j2 > file" "$X -j2 -t jsonl -o $filedir/out.jsonl $tgz"
n=$(size -t jsonl "$tgz" | gzip -1 | wc -c)
table "tar.gz -> jsonl.gz" "$tgz" "$n" \
  -c "cablex -j2 -o .jsonl.gz" "$X -j2 -t jsonl -o $tmp/out.jsonl.gz $tgz"
n=$(size -t csv "$jsonl")
table "jsonl -> csv" "$jsonl" "$n" \
  -c "cablex -j1" "$X -j1 -f json -t csv -o /dev/null $jsonl" \
  -c "python json+csv" "python3 $top/bench/py/jsonl2csv.py $jsonl > /dev/null"
n=$(size -t xml "$jsonl")
table "jsonl -> xml" "$jsonl" "$n" \
  -c "cablex -j1" "$X -j1 -f json -t xml -o /dev/null $jsonl" \
  -c "python json+saxutils" "python3 $top/bench/py/jsonl2xml.py $jsonl > /dev/null"
n=$(size -t jsonl "$csv")
table "csv -> jsonl" "$csv" "$n" \
  -c "cablex -j1" "$X -j1 -t jsonl -o /dev/null $csv" \
  -c "cablex -j2" "$X -j2 -t jsonl -o /dev/null $csv"

# One small cable, per process: each command runs LOOP times in a row (a
# single run is shorter than the timer's noise), so its median / LOOP is the
# time of one process.  cat is the least a process that reads the cable does.
small=$top/samples/08XXTEST412.txt
[ -s "$cache/small.txt.gz" ] || gzip -c "$small" >"$cache/small.txt.gz"
loop=200
each() { echo "i=0; while [ \$i -lt $loop ]; do $1 >/dev/null; i=\$((i+1)); done"; }
n=$($X -t json -o - "$small" | wc -c)
rounds -t "one small cable, $loop processes a run (ms per process = median s x 1000 / $loop)" \
  -c "gzip -dc" "$(each "gzip -dc $cache/small.txt.gz")" \
  -c "igzip -dc" "$(each "igzip -dc $cache/small.txt.gz")" \
  -c "floor" "$(each "$floor $n $small")" \
  -c "cat" "$(each "cat $small")" \
  -c "cablex -t json" "$(each "$X -t json -o /dev/null $small")"
