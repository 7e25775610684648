# test_raw.sh - hostile raw text: NUL bytes, invalid UTF-8, big cables, a
# huge line, blank and empty inputs, a lone page block, a lone header.
. "$(dirname "$0")/lib.sh"

# --- NUL bytes: the cable fails with file and line; the rest converts.
printf 'UNCLAS ROME 000123\n\nSUBJECT: NUL\n\n1. a\000b\n' >"$T/nul.txt"
run convert -t jsonl -o "$T/nul.jsonl" "$T/nul.txt" "$GOOD"
expect_status 1 "NUL byte"
expect_err "cablex: $T/nul.txt:5: raw: NUL byte in the text: not a cable" "NUL byte: file and line"
expect_err "1 converted, 1 failed, 0 skipped" "NUL byte: summary"
has "$T/nul.jsonl" "\"id\":\"$GOOD_ID\"" "NUL byte: the other input converted"
lines "$T/nul.jsonl" 1 "NUL byte: only the good cable written"
no_temp "$T" "NUL byte"
# In a stream of three cables the middle one fails alone, placed on its line.
{
  cat "$GOOD"
  printf '\n\f\nUNCLAS ROME 000124\n\nSUBJECT: NUL\n\n1. \000\n\f\n'
  sed 's/XXTEST 000517/XXTEST 000518/' "$GOOD"
} >"$T/three.txt"
run convert -t jsonl -o "$T/three.jsonl" "$T/three.txt"
expect_status 1 "NUL in the middle cable"
nul_line=$(($(wc -l <"$GOOD") + 7))
expect_err "cablex: $T/three.txt:$nul_line: raw: NUL byte" "NUL in the middle cable: its line in the stream"
[ "$(json_field "$T/three.jsonl" id | tr '\n' ' ')" = "05XXTEST517 05XXTEST518 " ] ||
  fail "NUL in the middle cable: the cables around it: $(json_field "$T/three.jsonl" id | tr '\n' ' ')"

# --- Invalid UTF-8: converted with U+FFFD, a warning names the line.
printf 'UNCLAS ROME 000125\n\nSUBJECT: LATIN-1 \351T\311 \377\n\n1. overlong \300\257, surrogate \355\240\200, cut \342\202\n' >"$T/latin1.txt"
run convert -t jsonl -o "$T/latin1.jsonl" "$T/latin1.txt"
expect_status 0 "invalid UTF-8"
expect_err "cablex: warning: $T/latin1.txt:3: raw: 10 bytes of invalid UTF-8 replaced by U+FFFD (first on this line)" "invalid UTF-8: warning with its line"
valid_json "$T/latin1.jsonl" "invalid UTF-8"
[ "$(json_field "$T/latin1.jsonl" subject)" = "LATIN-1 �T� �" ] ||
  fail "invalid UTF-8: subject is '$(json_field "$T/latin1.jsonl" subject)'"
run convert -q -t raw -o "$T/latin1.out.txt" "$T/latin1.txt"
expect_status 0 "invalid UTF-8 to raw"
has "$T/latin1.out.txt" "overlong ��, surrogate ���, cut ��" "invalid UTF-8 to raw: each bad byte replaced (formats/raw.md)"

# --- A 70 KB and a 5 MB cable convert; a smaller --max-cable-size names the size.
$GEN cable "$T/c70k.txt" 70K 06XXTEST70
$GEN cable "$T/c5m.txt" 5M 06XXTEST5000
size70=$(wc -c <"$T/c70k.txt")
size5m=$(wc -c <"$T/c5m.txt")
run convert -t jsonl -o "$T/big.jsonl" "$T/c70k.txt" "$T/c5m.txt"
expect_status 0 "big cables"
[ "$(json_field "$T/big.jsonl" id | tr '\n' ' ')" = "06XXTEST70 06XXTEST5000 " ] || fail "big cables: ids"
valid_json "$T/big.jsonl" "big cables"
run convert -t raw -o "$T/big.txt" "$T/c5m.txt"
cmp -s "$T/big.txt" "$T/c5m.txt" || fail "5 MB cable: raw to raw is not byte for byte"
run convert -t jsonl -o "$T/limited.jsonl" --max-cable-size 64K "$T/c70k.txt" "$T/c5m.txt" "$GOOD"
expect_status 1 "--max-cable-size 64K"
expect_err "cablex: $T/c70k.txt:1: raw: cable of $size70 bytes is larger than max-cable-size (65536 bytes)" "70 KB cable over the limit"
expect_err "cablex: $T/c5m.txt:1: raw: cable of $size5m bytes is larger than max-cable-size (65536 bytes)" "5 MB cable over the limit"
[ "$(json_field "$T/limited.jsonl" id)" = "$GOOD_ID" ] || fail "--max-cable-size: the other input converted"
run convert -t jsonl -o "$T/limited.jsonl" --max-cable-size 1M "$T/c70k.txt" "$T/c5m.txt"
expect_status 1 "--max-cable-size 1M"
expect_err "max-cable-size (1048576 bytes)" "--max-cable-size 1M: the limit named"
[ "$(json_field "$T/limited.jsonl" id)" = 06XXTEST70 ] || fail "--max-cable-size 1M: the 70 KB cable converted"

# --- A banner, then one 10 MB line without a newline: a cable under the
# default limit (a line of nothing else has none of a cable's anatomy).
printf 'UNCLAS\n\n' >"$T/line.txt"
$GEN line "$T/line.body" 10M
cat "$T/line.body" >>"$T/line.txt"
rm -f "$T/line.body"
run convert -t jsonl -o "$T/line.jsonl" "$T/line.txt"
expect_status 0 "10 MB line"
[ "$(json_field "$T/line.jsonl" len:body)" = "len:10485768" ] || fail "10 MB line: body length $(json_field "$T/line.jsonl" len:body)"
rss_below 200000 "10 MB line"
run convert -t jsonl -o "$T/line.jsonl" --max-cable-size 1M "$T/line.txt" "$GOOD"
expect_status 1 "10 MB line over the limit"
expect_err "cablex: $T/line.txt:1: raw: cable of at least 1048584 bytes is larger than max-cable-size (1048576 bytes)" "10 MB line over the limit: named"
[ "$(json_field "$T/line.jsonl" id)" = "$GOOD_ID" ] || fail "10 MB line over the limit: the other input converted"
rss_below 60000 "10 MB line over a 1M limit: memory stays near the limit"

# --- Only newlines, and an empty file: no cable, a warning, exit 0.
$GEN newlines "$T/newlines.txt" 100000
: >"$T/empty.txt"
run convert -t jsonl -o "$T/nothing.jsonl" "$T/newlines.txt" "$T/empty.txt" "$GOOD"
expect_status 0 "blank and empty inputs"
expect_err "cablex: warning: $T/newlines.txt: skipped: no cable in it" "only newlines"
expect_err "cablex: warning: $T/empty.txt: skipped: no cable in it" "empty file"
expect_err "1 converted, 0 failed, 2 skipped" "blank and empty inputs: summary"
lines "$T/nothing.jsonl" 1 "blank and empty inputs: only the good cable"
run_in "$T/empty.txt" convert -f raw -t jsonl -
expect_status 0 "empty standard input"
expect_err "cablex: warning: -: skipped: no cable in it" "empty standard input"
[ -s "$T/out" ] && fail "empty standard input: wrote something"
run_in "$T/empty.txt" convert -t jsonl -
expect_status 1 "empty standard input, probed"
expect_err "no input plugin recognises -" "empty standard input, probed"

# --- A file that is only the page metadata block.
printf 'Identifier\nCreated\nClassification\nOrigin\n08XXTEST456\n2008-05-02 15:30:00\nCONFIDENTIAL\nEmbassy Riga\nCable title:\302\240\302\240\n\nLATVIA: A PAGE BLOCK ALONE\n\nTags:\302\240\302\240PREL\302\240LG\302\240\npdf\302\240how-to read a cable\n' >"$T/page.txt"
run convert -t jsonl -o "$T/page.jsonl" "$T/page.txt"
expect_status 0 "only a page block"
[ "$(json_field "$T/page.jsonl" id)" = 08XXTEST456 ] || fail "only a page block: id"
[ "$(json_field "$T/page.jsonl" body)" = "" ] || fail "only a page block: body not empty"
valid_json "$T/page.jsonl" "only a page block"
run convert -t raw -o "$T/page.out.txt" "$T/page.txt"
cmp -s "$T/page.out.txt" "$T/page.txt" || fail "only a page block: raw to raw differs"
# cut inside the block: still converted (as text), never a crash
head -c 30 "$T/page.txt" >"$T/page-cut.txt"
run convert -t jsonl "$T/page-cut.txt"
expect_status 0 "a cut page block"

# --- A telegram that is only a header.
printf 'VZCZCXRO2779\nPP RUEHDBU\nDE RUEHTA #3065/01 2401138\nZNY CCCCC ZZH\nP 281138Z AUG 06\nFM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC PRIORITY 6738\n' >"$T/header.txt"
run convert -t jsonl -o "$T/header.jsonl" "$T/header.txt"
expect_status 0 "only a header"
[ "$(json_field "$T/header.jsonl" created)" = 2006-08-28T11:38:00 ] || fail "only a header: created"
[ "$(json_field "$T/header.jsonl" body)" = "" ] || fail "only a header: body not empty"
has "$T/header.jsonl" '"from":"AMEMBASSY ALMATY"' "only a header: FM parsed"
valid_json "$T/header.jsonl" "only a header"
run convert -f json -t raw -o "$T/header.back.txt" "$T/header.jsonl"
expect_status 0 "only a header, back to raw"
has "$T/header.back.txt" "TO RUEHC/SECSTATE WASHDC PRIORITY 6738" "only a header, back to raw"

finish
