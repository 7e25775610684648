#!/bin/sh
# cli.sh CABLEX SOURCE_DIR TMP - the html plugin end to end on the project's
# own pages (tests/data/html): detection by extension and by probe, the page
# cablex writes (golden, well-formed XHTML), html -> JSON -> html byte for
# byte, gzip both ways, JSON -> html -> JSON unchanged, several pages in one
# stream and in a directory, a page that is not a cable, and the JSON Schema
# check of what the pages give.
set -u
CABLEX=$1
SRC=$2
T=$3
D=$SRC/tests/data/html
rm -rf "$T"
mkdir -p "$T"
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
. "$SRC/tests/lib/checks.sh"

run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

# no_source FILE: the JSON without its "source" member (paths differ).
no_source() {
  sed 's/"source":{[^}]*}//' "$1"
}

# detected by the extension, and by the probe on stdin
run convert -q -t json "$D/site_page.html"
expect_status 0 "site page to JSON"
grep -q '"id":"09XXTEST123"' "$T/out" || fail "site page: no id in $(head -c 300 "$T/out")"
grep -q '"tags":\["PREL","EFIS","XX"\]' "$T/out" || fail "site page: tags"
grep -q '"html_media":\[{"href":"http://http://news.example.org"' "$T/out" ||
  fail "site page: media links"
cp "$T/out" "$T/site.json"
"$CABLEX" convert -q -t json - <"$D/site_page.html" >"$T/stdin.json" 2>"$T/err"
status=$?
expect_status 0 "site page on stdin (probe)"
cmp -s "$T/stdin.json" "$T/site.json" ||
  [ "$(no_source "$T/stdin.json")" = "$(no_source "$T/site.json")" ] ||
  fail "site page on stdin differs from the file"

# the page cablex writes (golden), and that page written back byte for byte
run convert -q -t html -o "$T/page.html" "$D/site_page.html"
expect_status 0 "site page to html"
cmp "$T/page.html" "$D/cablex_page.html" || fail "html written differs from tests/data/html/cablex_page.html"
run convert -q -f html -t json -o "$T/page.json" "$D/cablex_page.html"
run convert -q -f json -t html -o "$T/page2.html" "$T/page.json"
expect_status 0 "json to html"
cmp "$T/page2.html" "$D/cablex_page.html" || fail "html -> json -> html is not byte-identical"

# gzip both ways: a .html.gz is read (by extension and by probe) and written
gzip -c "$D/site_page.html" >"$T/site.html.gz"
run convert -q -t json "$T/site.html.gz"
expect_status 0 "site.html.gz"
[ "$(no_source "$T/out")" = "$(no_source "$T/site.json")" ] || fail ".html.gz read differs"
run convert -q -o "$T/written.html.gz" "$D/site_page.html"
expect_status 0 "to .html.gz"
gzip -dc "$T/written.html.gz" | cmp -s - "$D/cablex_page.html" || fail ".html.gz written differs"

# the pages cablex writes are well-formed XHTML
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout --nonet "$D/cablex_page.html" "$T/page2.html" 2>"$T/xmllint" ||
    fail "xmllint: $(head -n 5 "$T/xmllint")"
else
  echo "note: xmllint not installed, well-formedness not checked"
fi

# JSON -> html -> JSON: the same model
run convert -q -f json -t html -o "$T/rt.html" "$T/site.json"
run convert -q -f html -t json -o "$T/rt.json" "$T/rt.html"
[ "$(no_source "$T/rt.json")" = "$(no_source "$T/site.json")" ] || fail "json -> html -> json changed the model"

# several pages: one stream (split on </html>), and a directory
run convert -q -j 1 -t html -o "$T/all.html" "$D/site_page.html" "$D/corrupt_row.html" "$D/cablex_page.html"
expect_status 0 "three pages to one html stream"
[ "$(grep -c '^</html>$' "$T/all.html")" = 3 ] || fail "one stream: not three pages"
run convert -q -t jsonl -o "$T/all.jsonl" "$T/all.html"
expect_status 0 "html stream to JSON Lines"
[ "$(wc -l <"$T/all.jsonl")" = 3 ] || fail "one stream: $(wc -l <"$T/all.jsonl") cables read back"
# encoded on the workers (writer_encode): the same bytes as one worker
run convert -q -j 3 -t html -o "$T/all3.html" "$D/site_page.html" "$D/corrupt_row.html" "$D/cablex_page.html"
expect_status 0 "three pages with 3 workers"
cmp -s "$T/all.html" "$T/all3.html" || fail "-j 3 output differs from -j 1"
mkdir -p "$T/dir"
run convert -q -t html -o "$T/dir/" "$T/all.html"
expect_status 0 "html stream to a directory"
[ -f "$T/dir/09XXTEST123.html" ] && [ -f "$T/dir/07XXTEST9.html" ] ||
  fail "directory: $(ls "$T/dir")"
no_temp "$T/dir" "directory output"
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  /usr/bin/python3 "$SRC/tests/tools/validate-json" "$T/all.jsonl" >"$T/schema" 2>&1 ||
    fail "schema: $(cat "$T/schema")"
fi

# the corrupt page: converted, with a warning naming file and line
run convert -t json "$D/corrupt_row.html"
expect_status 0 "corrupt page"
expect_err "corrupt_row.html:22: html: the body <pre> holds a database row" "corrupt page"

# not a cable page: that input fails with file and line, the others convert
run convert -t jsonl -o "$T/mixed.jsonl" "$D/not_a_cable.html" "$D/site_page.html"
expect_status 1 "not a cable page"
expect_err "not_a_cable.html:1: html: not a cable page" "not a cable page"
[ "$(wc -l <"$T/mixed.jsonl")" = 1 ] || fail "not a cable page: the good page was not converted"

finish
