# test_roundtrip.sh - raw and JSON Lines -> sqlite -> JSON Lines gives the
# same JSON Lines byte for byte (source aside), duplicates included; odd
# extra values and characters survive; stdin, stdout and gzip work; the
# database is found by extension and by content.
. "$(dirname "$0")/lib.sh"

run convert -q -f raw -t json -o "$T/direct.jsonl" $RAW_IN
expect_status 0 "raw -> jsonl"
n=$(wc -l <"$T/direct.jsonl")
[ "$n" -ge 10 ] || fail "fewer than 10 fixture cables ($n)"

# raw -> sqlite -> jsonl
run convert -q -f raw -t sqlite -o "$T/raw.db" $RAW_IN
expect_status 0 "raw -> sqlite"
run convert -q -t json -o "$T/back.jsonl" "$T/raw.db"
expect_status 0 "sqlite -> jsonl (found by extension)"
without_source "$T/direct.jsonl" >"$T/a"
without_source "$T/back.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "raw -> sqlite -> jsonl differs from raw -> jsonl"
cp "$T/a" "$T/ref"
expect_eq "$(q "$T/raw.db" 'SELECT count(*) FROM cables')" "$n" "every cable a row, duplicates kept"
grep -q '"source":{"format":"sqlite"' "$T/back.jsonl" || fail "source does not name the sqlite reader"

# jsonl -> sqlite -> jsonl, and the database's own source columns
run convert -q -t sqlite -o "$T/j.db" "$T/direct.jsonl"
expect_status 0 "jsonl -> sqlite"
run convert -q -t json -o "$T/back2.jsonl" "$T/j.db"
without_source "$T/back2.jsonl" >"$T/c"
cmp "$T/a" "$T/c" >/dev/null || fail "jsonl -> sqlite -> jsonl differs"
expect_eq "$(q "$T/j.db" 'SELECT DISTINCT source_format FROM cables')" "json" "source_format column"

# odd extra values, escapes and control characters
ESC=$CX_SRC/tests/data/xml/escapes.jsonl
run convert -q -f json -t json -o "$T/esc.jsonl" "$ESC"
run convert -q -f json -t sqlite -o "$T/esc.db" "$ESC"
expect_status 0 "escapes -> sqlite"
run convert -q -t json -o "$T/esc-back.jsonl" "$T/esc.db"
expect_status 0 "escapes: sqlite -> jsonl"
without_source "$T/esc.jsonl" >"$T/a"
without_source "$T/esc-back.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "escapes: jsonl -> sqlite -> jsonl differs"
printf '%s\n' '{"id":"99XXTEST1","tags":["A","B"],"extra":{"n":1.50,"e":-2E+3,"z":0,"s":"q\"\\\u0001\u00e9\ud83d\ude00","a":[null,true,false,[],{}],"o":{"k":{"":1}}}}' >"$T/extra.jsonl"
run convert -q -f json -t json -o "$T/extra-direct.jsonl" "$T/extra.jsonl"
run convert -q -f json -t sqlite -o "$T/extra.db" "$T/extra.jsonl"
run convert -q -t json -o "$T/extra-back.jsonl" "$T/extra.db"
without_source "$T/extra-direct.jsonl" >"$T/a"
without_source "$T/extra-back.jsonl" >"$T/b"
cmp "$T/a" "$T/b" >/dev/null || fail "extra values: jsonl -> sqlite -> jsonl differs"
expect_eq "$(q "$T/extra.db" "SELECT json_extract(extra, '\$.o.k') FROM cables")" '{"":1}' "extra is JSON to SQLite"

# found by content under another name; from stdin; gzip; written to stdout
cp "$T/raw.db" "$T/cables.bin"
run convert -q -t json -o "$T/bin.jsonl" "$T/cables.bin"
expect_status 0 "sqlite found by content"
without_source "$T/bin.jsonl" | cmp - "$T/ref" >/dev/null || fail "found by content: other cables"
"$CABLEX" convert -q -f sqlite -t json -o "$T/stdin.jsonl" - <"$T/raw.db" 2>"$T/err"
status=$?
expect_status 0 "sqlite from stdin"
expect_eq "$(wc -l <"$T/stdin.jsonl")" "$n" "sqlite from stdin: cables"
"$CABLEX" convert -q -f raw -t sqlite $RAW_IN >"$T/stdout.db" 2>"$T/err"
status=$?
expect_status 0 "sqlite to stdout"
expect_eq "$(q "$T/stdout.db" 'SELECT count(*) FROM cables')" "$n" "sqlite to stdout: cables"
run convert -q -f raw -t sqlite -o "$T/z.db.gz" $RAW_IN
expect_status 0 "sqlite to .db.gz"
run convert -q -t json -o "$T/gz.jsonl" "$T/z.db.gz"
expect_status 0 "sqlite from .db.gz"
expect_eq "$(wc -l <"$T/gz.jsonl")" "$n" "sqlite .gz: cables"
no_temp "$T" "round trips"
[ -z "$(ls "$TMPDIR")" ] || fail "a temporary database left in TMPDIR: $(ls "$TMPDIR")"
finish
