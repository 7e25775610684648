# test_filter.sh - --filter: the examples (Python word count, jq one-liner,
# a dropping filter) give what they say, at -j 1 and -j 2 alike and in input
# order; several filters run in the order given, after --where; a filter
# that exits, answers garbage, answers out of step or hangs stops with a
# message naming the filter and the cable, and is not left running.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq not found"; exit 77; }
EX=$CX_SRC/examples/filters
run convert -q -t jsonl -o "$T/plain.jsonl" $RAW_IN
n=$(wc -l <"$T/plain.jsonl" | tr -d ' ')

# the Python word count, in order, at -j 1 and -j 2
for j in 1 2; do
  run convert -q -j $j --filter "$EX/wordcount.py" -t jsonl -o "$T/wc$j.jsonl" $RAW_IN
  expect_status 0 "wordcount -j $j"
done
cmp "$T/wc1.jsonl" "$T/wc2.jsonl" >/dev/null || fail "wordcount: -j 1 and -j 2 differ"
"$PY" - "$T/plain.jsonl" "$T/wc2.jsonl" <<'PY' || fail "wordcount: extra.word_count"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
b = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert len(a) == len(b)
for x, y in zip(a, b):
    assert y['extra'].pop('word_count') == len((x['body'] or '').split()), x['id']
    assert x == y, x['id']
PY

# a jq one-liner; two filters in order
run convert -q --filter 'jq -c --unbuffered ".extra.n = 1"' \
  --filter 'jq -c --unbuffered ".extra.n = .extra.n * 10 + 2"' -t jsonl -o "$T/jq.jsonl" $RAW_IN
expect_status 0 "two jq filters"
expect_eq "$(jq -c .extra.n "$T/jq.jsonl" | sort -u)" "12" "filters run in the order given"

# dropping, after --where
run convert -q --where 'classification=SECRET' --filter "tee -a $T/seen" -t jsonl -o "$T/w.jsonl" $RAW_IN
expect_status 0 "filter after --where"
expect_eq "$(wc -l <"$T/seen" | tr -d ' ')" "$(wc -l <"$T/w.jsonl" | tr -d ' ')" "the filter sees only selected cables"
[ "$(wc -l <"$T/w.jsonl")" -lt "$n" ] || fail "--where selected everything"
run convert -q --filter "$EX/drop-unclassified.py" -t jsonl -o "$T/d.jsonl" $RAW_IN
expect_status 0 "dropping filter"
expect_eq "$(jq -r .classification "$T/d.jsonl" | grep -c '^UNCLASSIFIED')" "0" "unclassified dropped"
expect_eq "$(wc -l <"$T/d.jsonl" | tr -d ' ')" \
  "$(jq -r .classification "$T/plain.jsonl" | grep -vc '^UNCLASSIFIED')" "the others kept"

# failures: each names the filter and the cable; exit 1
first=$(jq -r .id "$T/plain.jsonl" | sed -n 2p)
run convert -q -j 1 --filter 'head -n 1' -t jsonl -o "$T/x.jsonl" $RAW_IN
expect_status 1 "a filter that exits"
expect_err "--filter 'head -n 1': cable $first: the filter exited" "exits"
run convert -q --filter 'while read l; do echo garbage; done' -t jsonl -o "$T/x.jsonl" $RAW_IN
expect_status 1 "garbage"
expect_err "answered a line that is not a cable" "garbage"
expect_err "--filter 'while read l; do echo garbage; done': cable " "garbage names the filter"
run convert -q --filter 'jq -c --unbuffered ".id = \"99XXTEST0\""' -t jsonl -o "$T/x.jsonl" $RAW_IN
expect_status 1 "out of step"
expect_err "answered out of step" "out of step"
# the hanging filter sleeps for a time only this run uses ($$), so that the
# check below sees its own process, never another test's
hang="sleep 4242.$$"
run convert -q --filter "$hang" --filter-timeout 1 -t jsonl -o "$T/x.jsonl" $RAW_IN
expect_status 1 "a filter that hangs"
expect_err "--filter '$hang': cable " "hang names the filter"
expect_err "did not answer in time" "hang"
if command -v pgrep >/dev/null 2>&1 && pgrep -f "$hang" >/dev/null; then
  fail "the hanging filter was left running"
fi
run convert -q --filter 'true' --filter-timeout x -t jsonl $RAW_IN
expect_status 2 "--filter-timeout x"

# A filter runs once per worker.  One small cable without -j is a run of
# one worker (no pool: threads would cost more than the work); -j 2 still
# asks for two.  Each filter process adds a line to the tally.
small=$CX_SRC/samples/08XXTEST412.txt
tally="sh -c 'echo started >>\"$T/tally\"; exec cat'"
for j in "" "-j 2"; do
  rm -f "$T/tally"
  # shellcheck disable=SC2086
  run convert -q $j --filter "$tally" -t jsonl -o "$T/small.jsonl" "$small"
  expect_status 0 "small run ${j:-without -j}"
  want=1
  [ -n "$j" ] && want=2
  got=$(wc -l <"$T/tally" | tr -d ' ')
  [ "$got" = "$want" ] || fail "small run ${j:-without -j}: $got filter processes, expected $want"
done
finish
