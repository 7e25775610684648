# test_hostile.sh - hostile and broken XML through the built cablex: every
# refusal names the file and the line, no file is ever read through an
# entity, the cables complete before a problem still convert, and the output
# is always a whole, valid document.
. "$(dirname "$0")/lib.sh"

run convert -q -f raw -t xml -o "$T/good.xml" "$CX_SRC/samples"
valid_xml "$T/good.xml" "good document"
HEAD='<?xml version="1.0" encoding="UTF-8"?>
<cables xmlns="https://cablex.invalid/ns/cable" model_version="1">'
# one complete cable, on one line: the first <cable> of good.xml
$PY - "$T/good.xml" "$T/cable1" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
a = s.index("<cable>")
b = s.index("</cable>") + len("</cable>")
open(sys.argv[2], "w", encoding="utf-8").write(s[a:b])
PY
# the line right after HEAD and cable1 (cable1 spans several lines)
NEXT=$((3 + $(wc -l <"$T/cable1") + 1))

# --- an entity expansion bomb: refused at its DOCTYPE, in no time
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE cables ['
  echo ' <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
  for i in 1 2 3 4 5 6 7 8 9; do
    prev=$([ $i = 1 ] && echo a || echo e$((i - 1)))
    echo " <!ENTITY e$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
  done
  echo ']>'
  echo '<cables xmlns="https://cablex.invalid/ns/cable" model_version="1"><cable><body>&e9;</body>'
  echo '<tags/><references/><sipdis>false</sipdis><paragraphs/><source/><extra/></cable></cables>'
} >"$T/bomb.xml"
run convert -t json -o "$T/bomb.jsonl" "$T/bomb.xml"
expect_status 1 "entity bomb"
expect_err "cablex: $T/bomb.xml:2: xml: a DOCTYPE is not accepted" "entity bomb: named with file and line"
[ ! -s "$T/bomb.jsonl" ] || fail "entity bomb: something was converted"

# --- an external entity pointing at a file that exists: never read
echo "SECRET-FILE-CONTENT-7731" >"$T/secret.txt"
cat >"$T/xxe.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE cables [ <!ENTITY xxe SYSTEM "file://$T/secret.txt"> <!ENTITY http SYSTEM "http://127.0.0.1:9/x"> ]>
<cables xmlns="https://cablex.invalid/ns/cable" model_version="1"><cable><body>&xxe;&http;</body>
<tags/><references/><sipdis>false</sipdis><paragraphs/><source/><extra/></cable></cables>
EOF
run convert -t xml -o "$T/xxe.out.xml" "$T/xxe.xml"
expect_status 1 "external entity"
expect_err "cablex: $T/xxe.xml:2: xml: a DOCTYPE is not accepted" "external entity: named"
lacks "$T/xxe.out.xml" "SECRET-FILE" "external entity: output"
lacks "$T/err" "SECRET-FILE" "external entity: messages"
valid_xml "$T/xxe.out.xml" "external entity: the output is still a whole document"
# a parameter entity (the classic out-of-band XXE) is refused the same way
printf '<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY %% p SYSTEM "file://%s/secret.txt"> %%p; ]>\n<cables/>\n' \
  "$T" >"$T/pe.xml"
run convert -t json -o "$T/pe.jsonl" "$T/pe.xml"
expect_status 1 "parameter entity"
expect_err "cablex: $T/pe.xml:2: xml: a DOCTYPE is not accepted" "parameter entity: named"
lacks "$T/err" "SECRET-FILE" "parameter entity: messages"

# --- 200000 nested elements: refused at the depth limit, no stack overflow;
# the cable before converts
{
  echo "$HEAD"
  cat "$T/cable1"
  echo
  printf '<cable><extra><member key="d">'
  $PY -c 'import sys; sys.stdout.write("<array>" * 200000)'
  echo
} >"$T/deep.xml"
run convert -t json -o "$T/deep.jsonl" "$T/deep.xml"
expect_status 1 "deep nesting"
expect_err "cablex: $T/deep.xml:$NEXT: xml: elements nested deeper than" "deep nesting: named"
[ "$(ids "$T/deep.jsonl")" = "05XXTEST517" ] || fail "deep nesting: the cable before it: $(ids "$T/deep.jsonl")"

# --- a document that ends mid-element: the complete cables convert, the
# cut one is named, and the XML output is whole and valid
head -c 9000 "$T/good.xml" >"$T/cut.xml"
run convert -t xml -o "$T/cut.out.xml" "$T/cut.xml"
expect_status 1 "truncated document"
expect_err "cablex: $T/cut.xml:" "truncated document: named"
expect_err "(truncated?)" "truncated document: says why"
expect_err "2 converted, 1 failed" "truncated document: summary"
valid_xml "$T/cut.out.xml" "truncated document: output"
[ "$(grep -c '<cable>' "$T/cut.out.xml")" = 2 ] || fail "truncated document: 2 cables expected in the output"
no_temp "$T" "truncated document"

# --- wrong root, wrong namespace, wrong version
printf '<?xml version="1.0"?>\n<html><body/></html>\n' >"$T/html.xml"
run convert -t json -o "$T/html.jsonl" "$T/html.xml"
expect_status 1 "wrong root"
expect_err "cablex: $T/html.xml:2: xml: the root element is <html> (no namespace)" "wrong root: named"
printf '<cables xmlns="https://cablex.invalid/ns/cable" model_version="9"/>\n' >"$T/v9.xml"
run convert -t json -o "$T/v9.jsonl" "$T/v9.xml"
expect_status 1 "model_version 9"
expect_err "cablex: $T/v9.xml:1: xml: <cables> has model_version \"9\"" "model_version 9: named"

# --- unknown elements: ours fail that cable, foreign ones are skipped
{
  echo "$HEAD"
  sed 's|<id>05XXTEST517</id>|<id>BAD</id><bogus/>|' "$T/cable1" | tr -d '\n'
  echo
  sed 's|<id>05XXTEST517</id>|<id>FOREIGN</id><o:note xmlns:o="urn:other">hi</o:note>|' "$T/cable1"
  echo
  cat "$T/cable1"
  echo
  echo '</cables>'
} >"$T/unknown.xml"
run convert -t json -o "$T/unknown.jsonl" "$T/unknown.xml"
expect_status 1 "unknown elements"
expect_err "cablex: $T/unknown.xml:3: xml: unknown element <bogus> in <cable>" "unknown element: named"
expect_err "element <{urn:other}note> of another namespace skipped" "foreign element: warned"
[ "$(ids "$T/unknown.jsonl")" = "FOREIGN 05XXTEST517" ] || fail "unknown elements: the others: $(ids "$T/unknown.jsonl")"

# --- invalid UTF-8 in the middle: the cable before converts
{
  echo "$HEAD"
  cat "$T/cable1"
  echo
  printf '<cable><id>bad \377 byte</id></cable>\n</cables>\n'
} >"$T/utf8.xml"
run convert -t json -o "$T/utf8.jsonl" "$T/utf8.xml"
expect_status 1 "invalid UTF-8"
expect_err "cablex: $T/utf8.xml:$NEXT: xml: not well-formed (invalid token)" "invalid UTF-8: named"
[ "$(ids "$T/utf8.jsonl")" = "05XXTEST517" ] || fail "invalid UTF-8: the cable before it"

# --- a cable larger than max-cable-size is lost, the next converts
{
  echo "$HEAD"
  printf '<cable><body>'
  $PY -c 'import sys; sys.stdout.write("x" * 300000)'
  printf '</body></cable>\n'
  cat "$T/cable1"
  echo
  echo '</cables>'
} >"$T/big.xml"
run convert -t json --max-cable-size 100K -o "$T/big.jsonl" "$T/big.xml"
expect_status 1 "oversize cable"
expect_err "cablex: $T/big.xml:3: xml: the cable is larger than max-cable-size (102400 bytes); not converted" "oversize cable: named"
expect_err "1 converted, 1 failed, 0 skipped" "oversize cable: counted as failed"
[ "$(ids "$T/big.jsonl")" = "05XXTEST517" ] || fail "oversize cable: the next one"

# --- empty input and binary junk: refused with a message, no crash
: >"$T/empty.xml"
run convert -t json -o "$T/empty.jsonl" "$T/empty.xml"
[ "$status" -ne 0 ] || fail "empty .xml: accepted"
head -c 4096 /dev/urandom >"$T/junk.xml"
run convert -t json -o "$T/junk.jsonl" "$T/junk.xml"
[ "$status" -ne 0 ] || fail "binary .xml: accepted"
expect_err "cablex: $T/junk.xml" "binary .xml: named"

# --- streaming: a 100 MB document converts in far less memory than its size
# (the reader holds one 64 KiB chunk and the cables completed in it); not
# under sanitizers, whose shadow memory makes RSS meaningless
if [ "${CX_SANITIZE:-OFF}" != ON ] && [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
  $PY - "$T/good.xml" "$T/huge.xml" <<'PY'
import sys
s = open(sys.argv[1], "rb").read()
a = s.index(b"\n  <cable>")
b = s.rindex(b"\n</cables>")
with open(sys.argv[2], "wb") as f:
    f.write(s[:a])
    n = 0
    while n < 100 << 20:
        f.write(s[a:b])
        n += b - a
    f.write(b"\n</cables>\n")
PY
  timeout -k 5 "$RUN_TIMEOUT" /usr/bin/time -f %M -o "$T/rss" "$CABLEX" convert -q -f xml -t raw \
    -o /dev/null "$T/huge.xml" 2>"$T/err"
  status=$?
  expect_status 0 "100 MB document"
  rss=$(tail -n 1 "$T/rss")
  [ "$rss" -lt 65536 ] || fail "100 MB document: peak RSS $rss KB, expected < 64 MB"
  echo "100 MB document: peak RSS $rss KB"
fi

finish
