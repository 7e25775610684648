# test_cli.sh - the xml plugin end to end with the built cablex: every XML it
# writes here validates against formats/cable.xsd; raw -> XML -> raw is
# byte-identical; XML -> JSON equals raw -> JSON; JSON with form feeds, other
# C0 controls, CR, U+FFFE/U+FFFF and odd extra keys survives JSON -> XML ->
# JSON exactly; detection by extension and by content.
. "$(dirname "$0")/lib.sh"

RAW_IN="$CX_SRC/samples $CX_SRC/tests/data/cli/raw $CX_SRC/tests/data/raw"

# --- raw -> XML: valid; back to raw: the same bytes as raw -> raw.
run convert -q -f raw -t xml -o "$T/all.xml" $RAW_IN
expect_status 0 "raw -> xml"
valid_xml "$T/all.xml" "raw -> xml"
[ "$(grep -c '<cable>' "$T/all.xml")" -ge 10 ] || fail "raw -> xml: fewer than 10 cables"
run convert -q -f raw -t raw -o "$T/direct.txt" $RAW_IN
run convert -q -f xml -t raw -o "$T/via-xml.txt" "$T/all.xml"
expect_status 0 "xml -> raw"
cmp "$T/direct.txt" "$T/via-xml.txt" >/dev/null || fail "raw -> xml -> raw differs from raw -> raw"
# each sample alone: the file itself comes back
for f in "$CX_SRC"/samples/*.txt; do
  run convert -q -f raw -t xml -o "$T/one.xml" "$f"
  valid_xml "$T/one.xml" "$(basename "$f") -> xml"
  run convert -q -t raw -o "$T/one.txt" "$T/one.xml"
  cmp "$f" "$T/one.txt" >/dev/null || fail "$(basename "$f"): raw -> xml -> raw not byte-identical"
done

# --- XML -> JSON equals raw -> JSON (source names the reader: left out).
run convert -q -f raw -t json -o "$T/direct.jsonl" $RAW_IN
run convert -q -f xml -t json -o "$T/via-xml.jsonl" "$T/all.xml"
expect_status 0 "xml -> json"
without_source "$T/direct.jsonl" >"$T/a"
without_source "$T/via-xml.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "xml -> json differs from raw -> json"

# --- characters XML 1.0 cannot carry: JSON -> XML -> JSON exactly.
ESC=$CX_SRC/tests/data/xml/escapes.jsonl
run convert -q -f json -t xml -o "$T/esc.xml" "$ESC"
expect_status 0 "escapes: json -> xml"
valid_xml "$T/esc.xml" "escapes: json -> xml"
has "$T/esc.xml" 'form<c code="0C"/>feed' "escapes: form feed"
has "$T/esc.xml" '<c code="01"/><c code="02"/><c code="03"/> <c code="1B"/>[0m' "escapes: C0"
has "$T/esc.xml" '<c code="FFFE"/> <c code="FFFF"/>' "escapes: U+FFFE, U+FFFF"
has "$T/esc.xml" 'VZCZC&#13;' "escapes: CR"
run convert -q -f xml -t json -o "$T/esc.jsonl" "$T/esc.xml"
expect_status 0 "escapes: xml -> json"
without_source "$ESC" >"$T/a"
without_source "$T/esc.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || {
  fail "escapes: json -> xml -> json is not the input"
  diff "$T/a" "$T/b" | head -n 10
}
# and again through XML (XML -> XML is stable)
run convert -q -f xml -t xml -o "$T/esc2.xml" "$T/esc.xml"
valid_xml "$T/esc2.xml" "escapes: xml -> xml"
sed 's|<source>.*</source>||' "$T/esc.xml" | grep -v '<format>\|<path>' >"$T/a"
sed 's|<source>.*</source>||' "$T/esc2.xml" | grep -v '<format>\|<path>' >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "escapes: xml -> xml changed the document"

# --- detection: .xml by extension, an XML file under another name by probe;
# stdin; gzip.
cp "$T/all.xml" "$T/noext"
run convert -q -t json -o "$T/probe.jsonl" "$T/noext"
expect_status 0 "probe"
without_source "$T/probe.jsonl" >"$T/a"
without_source "$T/via-xml.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "probe: the XML under another name was not read as XML"
run_in "$T/all.xml" convert -q -f xml -t raw -o "$T/stdin.txt" -
expect_status 0 "xml from stdin"
cmp "$T/direct.txt" "$T/stdin.txt" >/dev/null || fail "xml from stdin: raw differs"
run convert -q -f raw -t xml -o "$T/all.xml.gz" $RAW_IN
gzip -dc "$T/all.xml.gz" >"$T/gunzipped.xml"
valid_xml "$T/gunzipped.xml" "xml.gz"
run convert -q -t raw -o "$T/gz.txt" "$T/all.xml.gz"
cmp "$T/direct.txt" "$T/gz.txt" >/dev/null || fail "xml.gz -> raw differs"

# --- the plugin is listed
run plugins
has "$T/out" "xml" "cablex plugins lists xml"

finish
