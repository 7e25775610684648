#!/bin/sh
# test_epub_cli.sh - the epub plugin end to end: every book passes epubcheck
# (0 errors, 0 warnings), the same cables give the same bytes (and
# SOURCE_DATE_EPOCH is honoured), EPUB -> JSON equals raw -> JSON, from a
# file and from a pipe.  epubcheck missing: the other checks run, then 77.
. "$(dirname "$0")/lib.sh"
inputs="$SRC/samples $SRC/tests/data/cli/raw $SRC/tests/data/epub/controls.txt"

run convert -q -f raw -t epub -o "$T/book.epub" $inputs
expect_status 0 "raw -> epub"
epubcheck "$T/book.epub" "the samples' book"
[ "$(head -c 58 "$T/book.epub" | tail -c 28)" = mimetypeapplication/epub+zip ] ||
  fail "mimetype is not the first entry, stored"

run convert -q -f raw -t epub -o "$T/again.epub" $inputs
cmp -s "$T/book.epub" "$T/again.epub" || fail "two runs gave two books"
SOURCE_DATE_EPOCH=1600000000 "$CABLEX" convert -q -f raw -t epub -o "$T/sde1.epub" $inputs
SOURCE_DATE_EPOCH=1600000000 "$CABLEX" convert -q -f raw -t epub -o "$T/sde2.epub" $inputs
cmp -s "$T/sde1.epub" "$T/sde2.epub" || fail "SOURCE_DATE_EPOCH: two runs gave two books"
cmp -s "$T/sde1.epub" "$T/book.epub" && fail "SOURCE_DATE_EPOCH changed nothing"

run convert -q -f raw -t json -o "$T/raw.jsonl" $inputs
expect_status 0 "raw -> json"
run convert -q -f epub -t json -o "$T/epub.jsonl" "$T/book.epub"
expect_status 0 "epub -> json"
same_cables "$T/raw.jsonl" "$T/epub.jsonl" "epub -> json vs raw -> json"
[ "$(wc -l <"$T/epub.jsonl")" -ge 6 ] || fail "too few cables read back"
"$CABLEX" convert -q -t json -o "$T/pipe.jsonl" - <"$T/book.epub" 2>"$T/err"
same_cables "$T/raw.jsonl" "$T/pipe.jsonl" "epub from a pipe, detected by its bytes"
run convert -q -f epub -t raw -o "$T/back.txt" "$T/book.epub"
"$CABLEX" convert -q -f raw -t raw -o "$T/direct.txt" $inputs 2>/dev/null
cmp -s "$T/back.txt" "$T/direct.txt" || fail "raw -> epub -> raw differs from raw -> raw"

run convert -q -f raw -t epub -O group-by=origin -o "$T/by-origin.epub" $inputs
cmp -s "$T/by-origin.epub" "$T/book.epub" || fail "group-by=origin is not the default"
for g in date tag; do
  run convert -q -f raw -t epub -O group-by=$g -o "$T/by-$g.epub" $inputs
  expect_status 0 "group-by=$g"
  epubcheck "$T/by-$g.epub" "group-by=$g"
done
run convert -q -f raw -t epub -O group-by=colour -o "$T/bad.epub" $inputs
[ "$status" -ne 0 ] || fail "group-by=colour was accepted"
expect_err colour "group-by=colour names the bad value"
[ -e "$T/bad.epub" ] && fail "a refused book was left behind"

# a book of no cables is still a valid book
: >"$T/empty.txt"
run convert -q -f raw -t epub -o "$T/empty.epub" "$T/empty.txt"
if [ -e "$T/empty.epub" ]; then epubcheck "$T/empty.epub" "the empty book"; fi

no_temp "$T" "epub outputs"
if [ "$fails" -eq 0 ] && ! have_epubcheck; then
  echo "SKIP: java or $EPUBCHECK_JAR not found; epubcheck not run"
  exit 77
fi
finish
