# test_json.sh - hostile JSON input: broken JSON mid-file, 100000 nested
# arrays, a 20 MB string, duplicate keys, wrong types, \u0000 in strings.
. "$(dirname "$0")/lib.sh"

# Good JSON cables to put around the bad ones: GOOD as JSON Lines, and a
# second one with another id.
run convert -q -t jsonl -o "$T/good.jsonl" "$GOOD"
expect_status 0 "making the good JSON cable"
sed 's/"id":"05XXTEST517"/"id":"05XXTEST999"/' "$T/good.jsonl" >"$T/other.jsonl"

# --- Bad JSON in the middle of a file: that record fails with its line,
# the ones before and after convert.
{
  cat "$T/good.jsonl"
  printf '{"id":"CUT","tags":["A",\n'
  printf '{"id": 12, oops}\n'
  cat "$T/other.jsonl"
} >"$T/mid.jsonl"
run convert -t jsonl -o "$T/mid.out.jsonl" "$T/mid.jsonl"
expect_status 1 "bad JSON mid-file"
expect_err "cablex: $T/mid.jsonl:2: json: invalid JSON" "a cut record: named with its line"
expect_err "cablex: $T/mid.jsonl:3: json: invalid JSON" "a broken record: named with its line"
expect_err "2 converted, 2 failed" "bad JSON mid-file: summary"
[ "$(json_field "$T/mid.out.jsonl" id | tr '\n' ' ')" = "05XXTEST517 05XXTEST999 " ] ||
  fail "bad JSON mid-file: the records around it: $(json_field "$T/mid.out.jsonl" id | tr '\n' ' ')"
valid_json "$T/mid.out.jsonl" "bad JSON mid-file"
# pretty JSON, the middle object cut short
run convert -q -t json --pretty -o "$T/pretty.json" "$GOOD" "$CX_SRC/samples/07XXTEST2213.txt" "$CX_SRC/samples/73XXTEST792.txt"
awk '/"id": "07XXTEST2213"/ { cut = 1 } cut && /"body"/ { cut = 0; skip = 1; next } !skip || /^}/ { print } /^}/ { skip = 0 }' \
  "$T/pretty.json" >"$T/pretty-cut.json"
run convert -t jsonl -o "$T/pretty.out.jsonl" "$T/pretty-cut.json"
expect_status 1 "pretty JSON cut mid-object"
expect_err "cablex: $T/pretty-cut.json:" "pretty JSON cut mid-object: named"
[ "$(json_field "$T/pretty.out.jsonl" id | tr '\n' ' ')" = "05XXTEST517 73XXTEST792 " ] ||
  fail "pretty JSON cut mid-object: the others: $(json_field "$T/pretty.out.jsonl" id | tr '\n' ' ')"

# --- 100000 nested arrays in extra: refused by jansson's depth limit, no
# stack overflow; 2000 levels (under the limit) convert and write back.
$GEN deep-json "$T/deep.jsonl" 100000 DEEP
cat "$T/good.jsonl" >>"$T/deep.jsonl"
run convert -t jsonl -o "$T/deep.out.jsonl" "$T/deep.jsonl"
expect_status 1 "100000 nested arrays"
expect_err "cablex: $T/deep.jsonl:1: json: invalid JSON at column " "100000 nested arrays: named"
expect_err "maximum parsing depth reached" "100000 nested arrays: says why"
[ "$(json_field "$T/deep.out.jsonl" id)" = "$GOOD_ID" ] || fail "100000 nested arrays: the next cable converted"
$GEN deep-json "$T/deep2k.jsonl" 2000 DEEP2K
run convert -t jsonl -o "$T/deep2k.out.jsonl" "$T/deep2k.jsonl"
expect_status 0 "2000 nested arrays"
# (python's own json module stops at ~1000 levels: count them by hand)
depth=$($CX_PYTHON -c '
import json, sys
sys.setrecursionlimit(10000)
x = json.loads(open(sys.argv[1]).readline())["extra"]["x"]
n = 0
while isinstance(x, list):
    n += 1
    x = x[0] if x else None
print(n)' "$T/deep2k.out.jsonl")
[ "$depth" = 2000 ] || fail "2000 nested arrays: written back with depth $depth"
run convert -t json --pretty -o "$T/deep2k.pretty.json" "$T/deep2k.jsonl"
expect_status 0 "2000 nested arrays, pretty"
run convert -t raw -o "$T/deep2k.txt" "$T/deep2k.jsonl"
expect_status 0 "2000 nested arrays to raw (extra dropped with a warning)"
expect_err "extra field not carried by the raw format: x" "2000 nested arrays to raw: the dropped key named"

# --- A 20 MB string: over the default limit it fails and the next record
# converts; with a larger limit it converts whole.
$GEN string-json "$T/big.jsonl" 20M BIG
cat "$T/good.jsonl" >>"$T/big.jsonl"
run convert -t jsonl -o "$T/big.out.jsonl" "$T/big.jsonl"
expect_status 1 "20 MB string"
expect_err "cablex: $T/big.jsonl:1: json: the cable starting here is larger than max-cable-size (16777216 bytes); not converted" "20 MB string: named with the limit"
[ "$(json_field "$T/big.out.jsonl" id)" = "$GOOD_ID" ] || fail "20 MB string: the next cable converted"
rss_below 100000 "20 MB string over the limit"
run convert -t jsonl -o "$T/big.out.jsonl" --max-cable-size 32M "$T/big.jsonl"
expect_status 0 "20 MB string under a 32M limit"
[ "$(json_field "$T/big.out.jsonl" len:body | head -n 1)" = "len:20971520" ] || fail "20 MB string: body length"

# --- 200000 keys in extra and 200000 keys outside the model: linear time
# (building the object looked every key up once: minutes for this, which the
# run's hang bound catches).
$GEN keys-json "$T/keys.jsonl" 200000 KEYS
run convert -t jsonl -o "$T/keys.out.jsonl" "$T/keys.jsonl"
expect_status 0 "400000 keys"
expect_err "cablex: warning: $T/keys.jsonl:1: json: keys \"k0\", \"k1\"" "400000 keys: the moved keys named"
nkeys=$($CX_PYTHON -c 'import json, sys; print(len(json.loads(open(sys.argv[1]).readline())["extra"]))' "$T/keys.out.jsonl")
[ "$nkeys" = 400000 ] || fail "400000 keys: extra has $nkeys keys"

# --- Duplicate keys, wrong types, \u0000: each record fails with its line
# and the field named; the good one converts.
cat >"$T/types.jsonl" <<'EOF'
{"id":"A","id":"B"}
{"id":5}
{"tags":"PREL"}
{"tags":["PREL",7]}
{"paragraphs":[{"text":3}]}
{"header":{"to":[{"name":1}]}}
{"sections":-1}
{"sections":"two"}
{"sipdis":"yes"}
{"created":"not a date"}
{"model_version":99}
{"extra":[]}
{"id":"a\u0000b"}
{"extra":{"k":"a\u0000b"}}
{"title":"\ud800"}
[1]
"a string"
EOF
cat "$T/good.jsonl" >>"$T/types.jsonl"
run convert -t jsonl -o "$T/types.out.jsonl" "$T/types.jsonl"
expect_status 1 "wrong types"
expect_err "$T/types.jsonl:1: json: invalid JSON at column 14: duplicate object key" "duplicate key"
expect_err "$T/types.jsonl:2: json: id: expected a string or null, found a number" "number for a string"
expect_err "$T/types.jsonl:3: json: tags: expected an array of strings" "string for an array"
expect_err "$T/types.jsonl:4: json: tags" "number in the tags"
expect_err "$T/types.jsonl:5: json: paragraphs[0].text: expected a string or null" "nested wrong type"
expect_err "$T/types.jsonl:6: json: header.to[0].name: expected a string or null" "deeply nested wrong type"
expect_err "$T/types.jsonl:7: json: sections: expected an integer >= 1 or null, found -1" "negative count"
expect_err "$T/types.jsonl:8: json: sections" "string for a number"
expect_err "$T/types.jsonl:9: json: sipdis" "string for a boolean"
expect_err "$T/types.jsonl:10: json: created: \"not a date\" is not a date" "not a date"
expect_err "$T/types.jsonl:11: json: model_version: version 99 is not supported" "future model version"
expect_err "$T/types.jsonl:12: json: extra: expected an object, found an array" "array for extra"
expect_err "$T/types.jsonl:13: json: id: string contains U+0000" "\\u0000 in a field"
expect_err "$T/types.jsonl:14: json: extra.k: string contains U+0000" "\\u0000 in extra"
expect_err "$T/types.jsonl:15: json: " "lone surrogate"
expect_err "$T/types.jsonl:16: json: not a cable (a number, not an object): skipped" "an array of numbers"
expect_err "$T/types.jsonl:17: json: not a cable (a string, not an object): skipped" "a string record"
expect_err "1 converted, 15 failed" "wrong types: summary"
[ "$(json_field "$T/types.out.jsonl" id)" = "$GOOD_ID" ] || fail "wrong types: the good cable converted"
valid_json "$T/types.out.jsonl" "wrong types"

# --- A JSON file that is not JSON at all, and binary noise after good data.
printf '\000\001\002\003' >"$T/noise.json"
run convert -t jsonl -o "$T/noise.out.jsonl" "$T/noise.json" "$T/good.jsonl"
expect_status 1 "binary .json"
expect_err "cablex: $T/noise.json:1: json: " "binary .json: named"
[ "$(json_field "$T/noise.out.jsonl" id)" = "$GOOD_ID" ] || fail "binary .json: the other input converted"

# --- A string cut inside a UTF-8 character at the very end of the input
# (the parser reads the text where it lies: no byte past it may be read).
printf '   "classi:\347' >"$T/cutchar.json"
run convert -t jsonl -o "$T/cutchar.out.jsonl" "$T/cutchar.json" "$T/good.jsonl"
expect_status 1 "string cut in a character"
expect_err "$T/cutchar.json:1: json: invalid JSON at column 12: unable to decode byte 0xe7" "cut character"
[ "$(json_field "$T/cutchar.out.jsonl" id)" = "$GOOD_ID" ] || fail "cut character: the other input converted"

finish
