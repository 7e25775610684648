#!/bin/sh
# test_epub_foreign.sh - a book cablex did not write (pandoc's) is read as
# best it can be: the chapter holding a telegram becomes a parsed cable, the
# others keep their text in extra.epub.text with a warning each.
. "$(dirname "$0")/lib.sh"
if ! command -v pandoc >/dev/null 2>&1; then
  echo "SKIP: pandoc not found"
  exit 77
fi
pandoc -f markdown -t epub3 -o "$T/foreign.epub" "$SRC/tests/data/epub/foreign.md" || {
  echo "SKIP: pandoc could not make an EPUB"
  exit 77
}
run convert -f epub -t json -o "$T/out.jsonl" "$T/foreign.epub"
expect_status 0 "foreign epub -> json"
expect_err "does not read as a telegram; its text is kept in extra.epub.text" "unmapped pages"
grep -q '"subject":"KAZAKHSTAN: A TEST SUBJECT"' "$T/out.jsonl" || fail "the telegram chapter"
grep -q '"paragraphs":\[{"number":"1","marking":"C","text":"First paragraph of the cable."}' \
  "$T/out.jsonl" || fail "the telegram's paragraphs"
grep -q '"text":"Notes\\nJust some prose that is not a telegram."' "$T/out.jsonl" ||
  fail "the prose chapter's text in extra"
# spine order: the title page, the cable, the notes
[ "$(grep -n KAZAKHSTAN "$T/out.jsonl" | cut -d: -f1)" = 2 ] || fail "spine order"
grep -q '"chapter":"EPUB/nav.xhtml"' "$T/out.jsonl" && fail "the nav document became a cable"
finish
