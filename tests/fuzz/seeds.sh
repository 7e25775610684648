#!/bin/sh
# seeds.sh SRC OUT [CABLEX] - the seed corpora of the fuzz targets, one
# folder per format under OUT, from the project's own fixtures (and, for
# the formats without fixtures of their own, what CABLEX writes of the
# samples).  Run at build time by tests/fuzz.cmake.
set -u
src=$1
out=$2
cablex=${3:-}
rm -rf "$out"
mkdir -p "$out"
for f in raw json xml html csv epub pdftext archive sqlite; do mkdir -p "$out/$f"; done
d=$src/tests/data
cp "$src"/samples/*.txt "$d"/raw/*.txt "$d"/cli/raw/*.txt "$d"/body/*.txt "$out/raw/" 2>/dev/null
# JSON: each line of the fixtures a seed of its own (small seeds mutate well)
n=0
for f in "$d"/json/*.jsonl "$d"/json/*.json "$d"/select/*.jsonl "$d"/xml/escapes.jsonl \
  "$d"/golden/json_roundtrip/cables.jsonl; do
  [ -f "$f" ] || continue
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    printf '%s\n' "$line" >"$out/json/line$n.jsonl"
  done <"$f"
done
cp "$d"/json/expected_pretty.json "$out/json/" 2>/dev/null
# inputs that once crashed a target (regress/FORMAT/), kept as seeds so that
# every fuzz run starts with them
for f in "$src"/tests/fuzz/regress/*/*; do
  [ -f "$f" ] || continue
  fmt=$(basename "$(dirname "$f")")
  cp "$f" "$out/$fmt/"
done
cp "$d"/xml/*.xml "$out/xml/" 2>/dev/null
cp "$d"/html/*.html "$out/html/" 2>/dev/null
cp "$d"/csv/*.csv "$out/csv/" 2>/dev/null
cp "$d"/pdftext/*.txt "$out/pdftext/" 2>/dev/null
if [ -n "$cablex" ] && [ -x "$cablex" ]; then
  s=$src/samples
  q() { ASAN_OPTIONS=detect_leaks=0 "$cablex" convert -q "$@" >/dev/null 2>&1; }
  q -t xml -o "$out/xml/samples.xml" "$s"
  q -t html -o "$out/html/" "$s"
  q -t csv -o "$out/csv/samples.csv" "$s"
  q -t csv --csv-dialect rfc4180 -o "$out/csv/samples-rfc.csv" "$s"
  q -t epub -o "$out/epub/samples.epub" "$s"
  q -t epub --group-by date -o "$out/epub/by-date.epub" "$s/05XXTEST517.txt"
  q -t tar:raw -o "$out/archive/samples.tar" "$s"
  q -t tar.gz:json -o "$out/archive/samples.tar.gz" "$s"
  q -t zip:raw -o "$out/archive/samples.zip" "$s/07XXTEST2213.txt"
  q -t sqlite -o "$out/sqlite/samples.db" "$s"
  q -t sqlite -o "$out/sqlite/one.db" "$s/07XXTEST2213.txt"
  # 512-byte pages: the databases fit the targets' 64 KiB input limit
  if command -v python3 >/dev/null 2>&1; then
    for f in "$out"/sqlite/*.db; do
      python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA page_size = 512")
c.execute("VACUUM")' "$f" || rm -f "$f"
    done
  fi
fi
exit 0
