#!/bin/sh
# `-o FILE.gz` from the command line, with each encoder: gzip(1) accepts
# the file (gzip -t), decodes it to exactly the uncompressed output, and a
# second run gives the same bytes.  A tar.gz bundle (gzipped by the core's
# encoder too) holds the tar that the plain tar bundle is.  Usage: gzip_out.sh CABLEX INPUT TMPDIR
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
  if "$cablex" convert "$input" -t tar:raw -o "$tmp/plain.tar" --quiet 2>/dev/null; then
    CABLEX_GZIP=$impl "$cablex" convert "$input" -t tar.gz:raw -o "$tmp/a.tar.gz" --quiet
    gzip -t "$tmp/a.tar.gz"
    gzip -dc "$tmp/a.tar.gz" >"$tmp/a.tar"
    # the file ends with the member's trailer (its length field), with no
    # padding after it (gzip -t ignores trailing zeros)
    isize=$(tail -c 4 "$tmp/a.tar.gz" | od -An -tu4 | tr -d ' ')
    test "$isize" = "$(wc -c <"$tmp/a.tar" | tr -d ' ')"
    # the plain tar is padded to a 10240-byte block, the compressed one not
    test "$(wc -c <"$tmp/a.tar")" -gt 1024
    cmp -n "$(wc -c <"$tmp/a.tar")" "$tmp/a.tar" "$tmp/plain.tar"
    echo "ok: tar.gz with CABLEX_GZIP=$impl"
  else
    echo "no archive plugin: tar.gz not checked"
  fi
done
rm -rf "$tmp"
