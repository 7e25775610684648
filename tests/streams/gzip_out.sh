#!/bin/sh
# `-o FILE.gz` from the command line, with each encoder: gzip(1) accepts
# the file (gzip -t), decodes it to exactly the uncompressed output, and a
# second run gives the same bytes.  Usage: gzip_out.sh CABLEX INPUT TMPDIR
set -eu
cablex=$1 input=$2 tmp=$3
command -v gzip >/dev/null 2>&1 || { echo "gzip(1) not found: skipped"; exit 77; }
rm -rf "$tmp" && mkdir -p "$tmp"
"$cablex" convert "$input" -t jsonl -o "$tmp/plain.jsonl" --quiet
test -s "$tmp/plain.jsonl"
for impl in isal zlib; do
  for level in "" 0 9; do
    CABLEX_GZIP=$impl CABLEX_GZIP_LEVEL=$level \
      "$cablex" convert "$input" -t jsonl -o "$tmp/a.jsonl.gz" --quiet
    CABLEX_GZIP=$impl CABLEX_GZIP_LEVEL=$level \
      "$cablex" convert "$input" -t jsonl -o "$tmp/b.jsonl.gz" --quiet
    gzip -t "$tmp/a.jsonl.gz"
    gzip -dc "$tmp/a.jsonl.gz" | cmp - "$tmp/plain.jsonl"
    cmp "$tmp/a.jsonl.gz" "$tmp/b.jsonl.gz"
    echo "ok: CABLEX_GZIP=$impl CABLEX_GZIP_LEVEL=$level"
  done
done
rm -rf "$tmp"
