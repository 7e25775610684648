#!/bin/sh
# The gzip libraries are opened when a run first needs gzip, not at start:
# converting a plain file to plain output loads neither zlib nor ISA-L, and
# a gzip input or a .gz output loads zlib (and ISA-L when the build has it).
# Read off the dynamic loader's own report (glibc's LD_DEBUG=files).
# Usage: lazy_libs.sh CABLEX INPUT TMPDIR ZLIB_SONAME [ISAL_SONAME]
set -eu
cablex=$1 input=$2 tmp=$3 zlib=$4 isal=${5:-}
rm -rf "$tmp" && mkdir -p "$tmp"
loads() { # loads LIB: how many times the last run's loader opened LIB
  grep -c "file=$1 .*generating link map" "$tmp/ld.txt" || true
}
LD_DEBUG=files "$cablex" convert "$input" -t json -o "$tmp/plain.json" --quiet 2>"$tmp/ld.txt"
grep -q "generating link map" "$tmp/ld.txt" || { echo "no LD_DEBUG report (not glibc): skipped"; exit 77; }
test "$(loads "$zlib")" = 0 || { echo "FAIL: a plain run loaded $zlib"; exit 1; }
if [ -n "$isal" ]; then
  test "$(loads "$isal")" = 0 || { echo "FAIL: a plain run loaded $isal"; exit 1; }
fi
echo "ok: plain run loads neither"

LD_DEBUG=files "$cablex" convert "$input" -t jsonl -o "$tmp/out.jsonl.gz" --quiet 2>"$tmp/ld.txt"
test "$(loads "$zlib")" = 1 || { echo "FAIL: .gz output did not load $zlib once"; exit 1; }
if [ -n "$isal" ]; then
  test "$(loads "$isal")" = 1 || { echo "FAIL: .gz output did not load $isal once"; exit 1; }
fi
echo "ok: .gz output loads them"

LD_DEBUG=files "$cablex" convert "$tmp/out.jsonl.gz" -t jsonl -o "$tmp/back.jsonl" --quiet 2>"$tmp/ld.txt"
test "$(loads "$zlib")" = 1 || { echo "FAIL: gzip input did not load $zlib once"; exit 1; }
"$cablex" convert "$input" -t jsonl -o "$tmp/plain.jsonl" --quiet
ids() { grep -o '"id":"[^"]*"' "$1"; }
test "$(ids "$tmp/back.jsonl")" = "$(ids "$tmp/plain.jsonl")"
test "$(wc -l <"$tmp/back.jsonl")" -eq 2
echo "ok: gzip input loads zlib and reads back the same cables"
