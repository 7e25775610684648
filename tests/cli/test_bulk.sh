# test_bulk.sh - the bulk pipeline end to end: -j 1 and -j 4 give the same
# bytes and the same messages in the same order on a mixed input set
# (files, a bundle with nested bundles and a corrupt entry, failures in the
# middle); bundles out (-t bundle:json, -o x.bdl -t FMT); --errors,
# --fail-fast, the progress line and the summary.  Bundles come from the
# test plugin tests/plugins/bundle.c ("== NAME LEN" entries).
. "$(dirname "$0")/lib.sh"

BULK=$CX_BUILD_DIR/tests/plugins/bulk
D=$(cd "$(dirname "$0")/../data/bulk" && pwd)
[ -f "$BULK/bundle.so" ] || { echo "SKIP: test bundle plugin not built"; exit 77; }
cx() { run --plugin-dir "$GOOD" --plugin-dir "$BULK" "$@"; }
# the summary's time differs from run to run
untimed() { sed 's/ in [0-9.]* s/ in T s/' "$1"; }

# Mixed inputs, -j 1 against -j 4, through an encoding writer (json: the
# workers encode) and a serial one (upper: written on the writing thread).
for to in json upper; do
  cx convert -t $to -j 1 "$D"
  expect_status 1 "-t $to -j 1: failures in the middle"
  cp "$T/out" "$T/j1.out"
  untimed "$T/err" >"$T/j1.err"
  for j in 2 4 7; do
    cx convert -t $to -j $j "$D"
    expect_status 1 "-t $to -j $j"
    cmp -s "$T/out" "$T/j1.out" || fail "-t $to: -j $j output differs from -j 1"
    untimed "$T/err" >"$T/jn.err"
    cmp -s "$T/jn.err" "$T/j1.err" || {
      fail "-t $to: -j $j messages differ from -j 1"
      diff "$T/j1.err" "$T/jn.err" | sed 's/^/  /'
    }
  done
done

# What -j 4 converted, in input order, and what it reported, with the place.
cx convert -t upper -j 4 "$D"
same "$T/out" "01A|01A ALPHA ONE
01B|01B ALPHA TWO
01D|01D ALPHA FOUR
02A|02A XRAY
02A|02A XRAY AGAIN
02B|02B YANKEE
02D|02D YANKEE AFTER
05A|05A NESTED ZED
03A|03A GAMMA
03B|03B GAMMA WARNED
" "input order kept across files, bundle entries and nested bundles"
expect_err "cablex: $D/a.lines:4: bad cable line" "a failed cable names file and line"
expect_err "cablex: warning: $D/b.bundle(README): skipped: no input plugin recognises it" \
  "a stray entry is skipped"
expect_err "cablex: $D/b.bundle(broken.lines): corrupt entry" "a corrupt entry is named"
expect_err "cablex: $D/b.bundle(y.lines):3: bad cable line" "file(entry):line"
expect_err "cablex: $D/b.bundle(inner.bundle/z.lines):3: bad cable line" \
  "a nested entry: outer(inner/entry):line"
expect_err "d2.bundle): bundle nested more than 8 deep: not read" "nesting is bounded"
expect_err "cablex: warning: $D/c.lines:3: questionable cable 03B" "warnings in order"
expect_err "cablex: 10 converted, 5 failed, 3 skipped in" "summary line"
# the messages come out whole and in input order
first=$(grep -n 'a.lines:4' "$T/err" | cut -d: -f1)
last=$(grep -n 'c.lines:3' "$T/err" | cut -d: -f1)
[ "$first" -lt "$last" ] || fail "messages out of input order"
grep -v '^cablex: ' "$T/err" | grep -q . && fail "a message line was split or interleaved"

# A clean input set: exit 0.
cx convert -t json -j 4 "$D/c.lines" "$D/a.lines" "$D/c.lines"
expect_status 1 "one failure among three files"
cx convert -t json -j 4 "$D/c.lines" "$D/c.lines"
expect_status 0 "no failure"
cx convert -q -t json -j 4 "$D/c.lines"
[ -s "$T/err" ] && fail "--quiet still printed: $(cat "$T/err")"

# Bundles out: entries cable/YYYY/MM/ID.EXT (unknown date here), repeated
# ids numbered, in input order; read back, the same cables.
cx convert -q -t bundle:json -j 4 -o "$T/all.bundle" "$D"
expect_status 1 "bundle out (with failures in)"
grep '^== ' "$T/all.bundle" | cut -d' ' -f2 >"$T/names"
same "$T/names" "cable/unknown/01A.json
cable/unknown/01B.json
cable/unknown/01D.json
cable/unknown/02A.json
cable/unknown/02A-2.json
cable/unknown/02B.json
cable/unknown/02D.json
cable/unknown/05A.json
cable/unknown/03A.json
cable/unknown/03B.json
" "bundle entry names"
cx convert -q -t json -j 1 -o "$T/all-direct.json" "$D"
cx convert -q -t json -j 3 "$T/all.bundle"
expect_status 0 "reading the written bundle back"
# the same cables but for source (entry names and formats differ)
sed 's/"source":{[^}]*}//' "$T/out" >"$T/back"
sed 's/"source":{[^}]*}//' "$T/all-direct.json" >"$T/direct"
cmp -s "$T/back" "$T/direct" || fail "bundle read back: other cables"
# -o NAME.bdl picks the bundle writer by extension; -t names the entries' format
cx convert -q -t upper -j 2 -o "$T/x.bdl" "$D/c.lines"
expect_status 0 "-o x.bdl -t upper"
same "$T/x.bdl" "#bundle
== cable/unknown/03A.up 14
03A|03A GAMMA

== cable/unknown/03B.up 21
03B|03B GAMMA WARNED

" "a bundle of entries written without writer_encode"
cx convert -t bundle -o "$T/y.bdl" "$D/c.lines"
expect_status 2 "-t BUNDLE without the entries' format"
expect_err "writes bundles: give the format of its entries" "says what is missing"
[ -e "$T/y.bdl" ] && fail "a refused run left an output"
cx convert -t bundle:json -o "$T/dir/" "$D/c.lines"
expect_status 2 "a bundle into a directory"

# --errors FILE: the failures (and warnings) as JSON Lines, with the entry.
cx convert -q -t json -j 4 --errors "$T/errors.jsonl" -o /dev/null "$D"
expect_status 1 "--errors"
grep -q '"entry":"inner.bundle/z.lines"' "$T/errors.jsonl" || fail "--errors lacks the nested entry"
grep -q '"line":3' "$T/errors.jsonl" || fail "--errors lacks the line"
[ "$(grep -c '"severity":"error"' "$T/errors.jsonl")" -ge 5 ] || {
  fail "--errors: fewer than 5 errors"
  cat "$T/errors.jsonl"
}

# --fail-fast: the cables before the first failure, then stop.
for j in 1 4; do
  cx convert -t upper -j $j --fail-fast "$D"
  expect_status 1 "--fail-fast -j $j"
  same "$T/out" "01A|01A ALPHA ONE
01B|01B ALPHA TWO
" "--fail-fast -j $j stops at the first failed cable"
  expect_err "stopped at the first failure" "--fail-fast says so"
  expect_no_err "b.bundle" "--fail-fast -j $j: nothing reported past the failure"
done

# The progress line when forced on (stderr is no terminal here), erased
# before the summary; none with --no-progress.
cx convert -t json -j 2 --progress -o /dev/null "$D/c.lines"
expect_err "cables, " "progress line"
expect_err " elapsed" "progress line: elapsed"
expect_err "ETA" "progress line: an ETA (the input size is known)"
grep -q "$(printf '\033')\[K" "$T/err" || fail "progress line not erased"
expect_err "2 converted, 0 failed, 0 skipped in" "summary after the progress line"
cx convert -t json -j 2 --no-progress -o /dev/null "$D/c.lines"
expect_no_err "elapsed" "--no-progress"

# A large input (more than the 8 MiB read whole) that its reader can split
# (record_split): parsed in parts on the workers, the same bytes and the
# same line numbers as -j 1; a broken record deep inside is named by its
# line in the whole file.
awk 'BEGIN { print "#lines"; for (i = 1; i <= 60000; i++) printf "C%06d %0150d\n", i, i }' \
  >"$T/big.lines"
cx convert -q -t json -j 1 -o "$T/big.jsonl" "$T/big.lines"
[ "$(wc -c <"$T/big.jsonl")" -gt 9000000 ] || fail "big.jsonl too small for the split"
awk 'NR == 50000 { print "{\"id\": broken"; next } { print }' "$T/big.jsonl" >"$T/broken.jsonl"
for j in 1 4; do
  cx convert -t json -j $j -o "$T/big$j.jsonl" "$T/broken.jsonl"
  expect_status 1 "large JSON Lines -j $j"
  expect_err "$T/broken.jsonl:50000:" "-j $j: the broken record's line in the whole file"
  expect_err "59999 converted, 1 failed" "-j $j: the rest converted"
  untimed "$T/err" >"$T/big$j.err"
done
cmp -s "$T/big1.jsonl" "$T/big4.jsonl" || fail "large input: -j 4 output differs from -j 1"
cmp -s "$T/big1.err" "$T/big4.err" || fail "large input: -j 4 messages differ from -j 1"
# raw: split at the form-feed lines; back to JSON the same as the JSON it came from
cx convert -q -f json -t raw -j 4 -o "$T/big.txt" "$T/big.jsonl"
cx convert -q -t json -j 4 -o "$T/back4.jsonl" "$T/big.txt"
cx convert -q -t json -j 1 -o "$T/back1.jsonl" "$T/big.txt"
cmp -s "$T/back1.jsonl" "$T/back4.jsonl" || fail "large raw stream: -j 4 differs from -j 1"
[ "$(wc -l <"$T/back4.jsonl")" -eq 60000 ] || fail "large raw stream: not every cable read"
# csv (cablegate layout): split where a row ends and the next line starts
# one (one quote-aware pass); a row broken deep inside is named by its
# lines in the whole file, in the place and in the message, at any -j
cx convert -q -f json -t csv -j 4 -o "$T/big.csv" "$T/big.jsonl"
awk 'NR == 40000 { sub(/^"/, "x") } { print }' "$T/big.csv" >"$T/bigb.csv"
for j in 1 4; do
  cx convert -t json -j $j -o "$T/csv$j.jsonl" "$T/bigb.csv"
  expect_status 1 "large csv -j $j"
  untimed "$T/err" >"$T/csv$j.err"
done
cmp -s "$T/csv1.jsonl" "$T/csv4.jsonl" || fail "large csv: -j 4 output differs from -j 1"
cmp -s "$T/csv1.err" "$T/csv4.err" || fail "large csv: -j 4 messages differ from -j 1"
grep -q "up to line 40000" "$T/csv4.err" || fail "large csv: the broken row's line in the message"
[ "$(wc -l <"$T/csv4.jsonl")" -ge 59990 ] || fail "large csv: not every row read"

finish
