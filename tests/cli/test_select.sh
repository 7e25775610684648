# test_select.sh - --where, --shard and --errors end to end, on JSON Lines
# written for this test (tests/data/select).  The expected ids were worked
# out from the fixture independently of cablex.
. "$(dirname "$0")/lib.sh"

D=$CX_DATA/../select
ALL=$D/cables.jsonl
ntotal=67

# ids FILE: the "id" of each JSON line, in order (null for none).
ids() {
  sed 's/^{"model_version":1,"id":\("[^"]*"\|null\),.*/\1/' "$1" | tr -d '"'
}
count() {
  wc -l <"$1" | tr -d ' '
}
# sel N WHAT ARGS...: converting ALL with ARGS gives N cables, exit 0.
sel() {
  n=$1
  what=$2
  shift 2
  run convert -q -f json -t json "$@" "$ALL"
  expect_status 0 "$what"
  [ "$(count "$T/out")" = "$n" ] || fail "$what: $(count "$T/out") cables, expected $n"
}

sel "$ntotal" "no selection"

# The issue's example: all SECRET cables from Embassy Tehran in 2009
# (SECRET//NOFORN is SECRET; the cable without an id counts too).
run convert -q -f json -t json --where 'classification=SECRET,origin=Embassy Tehran,year=2009' "$ALL"
expect_status 0 "issue example"
ids "$T/out" >"$T/ids"
same "$T/ids" "09XXTEST5001
09XXTEST5003
null
" "issue example selects exactly these, in input order"
cp "$T/out" "$T/example.jsonl"
# the same with 'and', lower case, a station word, and as three --where
sel 3 "issue example with and" --where 'classification = secret and origin = TEHRAN and date>=2009 and date<2010'
cmp -s "$T/out" "$T/example.jsonl" || fail "the spellings of the example differ"
sel 3 "three --where" --where classification=SECRET --where origin=Tehran --where year=2009
cmp -s "$T/out" "$T/example.jsonl" || fail "three --where differ from one"

sel 13 "tag and date" --where 'tag=IR' --where 'date<2008'
sel 21 "or" --where 'origin=Bern or origin=Ankara'
sel 14 "NOFORN" --where 'classification~noforn'
sel 45 "classification order" --where 'classification>=CONFIDENTIAL'
sel 10 "origin with words" --where 'origin=Mission USUN New York'
sel 1 "id glob" --where 'id=09XXTEST500[1]'
sel 0 "nothing selected" --where 'year=1999'
[ -s "$T/out" ] && fail "nothing selected: output not empty"
# a cable without a created date matches no date term, but !=
sel 0 "no date, =" --where 'id=10XXTEST999,year>=1900'
sel 1 "no date, !=" --where 'id=10XXTEST999,year!=2009'
# the summary says how many were left out
run convert -f json -t json --where 'origin=Bern' "$ALL"
expect_status 0 "summary with --where"
expect_err "filtered out" "the summary counts the cables left out"

# --shard K/N: every cable in exactly one shard; the shards' union is the
# whole; known placements (FNV-1a 64 of the id, mod N, plus 1).
run convert -q -f json -t json "$ALL"
sort "$T/out" >"$T/all.sorted"
for n in 1 2 3 5; do
  : >"$T/union"
  k=1
  while [ "$k" -le "$n" ]; do
    run convert -q -f json -t json --shard "$k/$n" "$ALL"
    expect_status 0 "--shard $k/$n"
    cat "$T/out" >>"$T/union"
    cp "$T/out" "$T/shard$k"
    k=$((k + 1))
  done
  sort "$T/union" >"$T/union.sorted"
  cmp -s "$T/union.sorted" "$T/all.sorted" || fail "--shard */$n: the shards together are not the whole (no cable twice, none lost)"
  if [ "$n" = 3 ]; then
    [ "$(count "$T/shard1")/$(count "$T/shard2")/$(count "$T/shard3")" = "20/21/26" ] ||
      fail "--shard */3 sizes: $(count "$T/shard1")/$(count "$T/shard2")/$(count "$T/shard3"), expected 20/21/26"
    grep -q '"id":"09XXTEST5001"' "$T/shard2" || fail "09XXTEST5001 is in shard 2 of 3"
    grep -q '"id":"09XXTEST5003"' "$T/shard1" || fail "09XXTEST5003 is in shard 1 of 3"
    grep -q '"id":null' "$T/shard1" || fail "a cable without an id is in shard 1"
  fi
done
# --shard and --where together: the selection of a shard
run convert -q -f json -t json --shard 2/3 --where 'origin=Tehran,year=2009,classification=SECRET' "$ALL"
same "$T/out" "$(grep '"id":"09XXTEST5001"' "$T/example.jsonl")
" "--shard with --where"

# --errors FILE: a broken line and a bad date among good cables
B=$D/bad.jsonl
run convert -f json -t json --errors "$T/errors.jsonl" "$B"
expect_status 1 "--errors: some cables failed"
[ "$(count "$T/out")" = 5 ] || fail "--errors: the 5 good cables are converted"
[ "$(count "$T/errors.jsonl")" = 2 ] || fail "--errors: two reports: $(cat "$T/errors.jsonl")"
grep -q "^{\"file\":\"$B\",\"entry\":null,\"line\":4,\"severity\":\"error\",\"code\":-25,\"message\":\"json: invalid JSON" "$T/errors.jsonl" ||
  fail "--errors: the broken line 4: $(cat "$T/errors.jsonl")"
grep -q "\"line\":7,\"severity\":\"error\",\"code\":-25,\"message\":\"json: created: \\\\\"2008-13-45\\\\\" is not a date" "$T/errors.jsonl" ||
  fail "--errors: the bad date on line 7, quotes escaped: $(cat "$T/errors.jsonl")"
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$T/errors.jsonl" || fail "--errors: not JSON Lines"
fi
no_temp "$T" "--errors"
# nothing failed: an empty file, exit 0
run convert -q -f json -t json --errors "$T/none.jsonl" "$ALL"
expect_status 0 "--errors with no failure"
[ -f "$T/none.jsonl" ] && [ ! -s "$T/none.jsonl" ] || fail "--errors with no failure: an empty file"
# --fail-fast stops at the first failure; --keep-going (the default) does not
run convert -q -f json -t json --fail-fast "$B"
expect_status 1 "--fail-fast"
[ "$(count "$T/out")" -lt 5 ] || fail "--fail-fast: stopped before the last good cables ($(count "$T/out") written)"
run convert -q -f json -t json --fail-fast --keep-going "$B"
expect_status 1 "--keep-going after --fail-fast"
[ "$(count "$T/out")" = 5 ] || fail "--keep-going: all 5 good cables"
# an --errors file that cannot be written is a usage-level failure
run convert -q -f json -t json --errors "$T/no/such/dir/e.jsonl" "$ALL"
expect_status 2 "--errors in a missing directory"
expect_err "e.jsonl" "--errors in a missing directory names it"
finish
