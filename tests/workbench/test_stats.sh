# test_stats.sh - `cablex stats`: every count equals the one Python makes
# from a JSON Lines conversion of the same inputs (the four tables, a
# cross-tab, with --where), in text, CSV and JSON; the SVG charts are well
# formed (xmllint) and carry a title, axes and a legend.
. "$(dirname "$0")/lib.sh"

run convert -q -t jsonl -o "$T/all.jsonl" $RAW_IN
expect_status 0 "raw -> jsonl"

# count.py JSONL [DIM,DIM...]: the CSV rows Python counts, sorted.
cat >"$T/count.py" <<'PY'
import collections, json, sys
dims = sys.argv[2].split(',') if len(sys.argv) > 2 else None
def values(c, d):
    if d == 'year':
        y = (c.get('created') or '')[:4]
        return [y if len(y) == 4 and y.isdigit() else 'unknown']
    if d == 'tag':
        return c.get('tags') or ['(none)']
    return [c.get(d) or 'unknown']
def tuples(c, ds):
    if not ds:
        return [()]
    return [(v,) + t for v in values(c, ds[0]) for t in tuples(c, ds[1:])]
cables = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
tables = [dims] if dims else [['year'], ['origin'], ['classification'], ['tag']]
rows = []
for ds in tables:
    n = collections.Counter(t for c in cables for t in tuples(c, ds))
    rows += [','.join(ds) + '|' + '\x1f'.join(t) + '|' + str(k) for t, k in n.items()]
for r in sorted(rows):
    print(r)
print('cables|' + str(len(cables)))
PY
# flat.py: the same rows from `cablex stats --format json`, sorted.
cat >"$T/flat.py" <<'PY'
import json, sys
doc = json.load(sys.stdin)
rows = []
for t in doc['tables']:
    for r in t['rows']:
        rows.append(','.join(t['by']) + '|' + '\x1f'.join(r[d] for d in t['by']) + '|' + str(r['count']))
for r in sorted(rows):
    print(r)
print('cables|' + str(doc['cables']))
PY

"$PY" "$T/count.py" "$T/all.jsonl" >"$T/want"
run stats --format json $RAW_IN
expect_status 0 "stats --format json"
"$PY" "$T/flat.py" <"$T/out" >"$T/got" || fail "stats json: not JSON"
cmp "$T/want" "$T/got" >/dev/null || { fail "stats: counts differ from Python's"; diff "$T/want" "$T/got" | head; }

"$PY" "$T/count.py" "$T/all.jsonl" year,classification >"$T/want"
run stats --format json --by year,classification $RAW_IN
"$PY" "$T/flat.py" <"$T/out" >"$T/got"
cmp "$T/want" "$T/got" >/dev/null || { fail "stats --by: counts differ"; diff "$T/want" "$T/got" | head; }

# --where: the same as counting the selected cables
run convert -q -t jsonl --where 'classification=SECRET' -o "$T/secret.jsonl" $RAW_IN
"$PY" "$T/count.py" "$T/secret.jsonl" origin,tag >"$T/want"
run stats --format json --by origin,tag --where 'classification=SECRET' $RAW_IN
"$PY" "$T/flat.py" <"$T/out" >"$T/got"
cmp "$T/want" "$T/got" >/dev/null || fail "stats --where: counts differ"
[ "$(tail -n 1 "$T/got")" != "cables|0" ] || fail "stats --where: nothing selected"

# CSV: a header and the same numbers; text: aligned columns and a total
run stats --format csv --by year $RAW_IN
expect_status 0 "stats csv"
expect_eq "$(head -n 1 "$T/out")" "year,count" "csv header"
total=$(awk -F, 'NR > 1 { s += $2 } END { print s }' "$T/out")
expect_eq "$total" "$(wc -l <"$T/all.jsonl" | tr -d ' ')" "csv: years add up to the cables"
run stats $RAW_IN
expect_status 0 "stats text"
grep -q '^year  *cables$' "$T/out" || fail "text: year table header"
grep -q "^$(wc -l <"$T/all.jsonl" | tr -d ' ') cables$" "$T/out" || fail "text: total line"
run stats --by year,classification $RAW_IN
grep -q '^year .* total$' "$T/out" || fail "text: cross-tab header"
run stats -o "$T/stats.txt" $RAW_IN
expect_status 0 "stats -o"
[ -s "$T/stats.txt" ] || fail "stats -o: empty file"

# charts
if command -v xmllint >/dev/null 2>&1; then
  run stats --svg "$T/years.svg" $RAW_IN
  expect_status 0 "stats --svg"
  xmllint --noout "$T/years.svg" || fail "years chart: not well-formed XML"
  for s in '<svg xmlns="http://www.w3.org/2000/svg"' '<title>' 'Cables per year' '>Year<' \
    '>Cables<' '>Classification<'; do
    grep -qF "$s" "$T/years.svg" || fail "years chart lacks $s"
  done
  [ "$(grep -c '<rect x=' "$T/years.svg")" -ge 3 ] || fail "years chart: no bars"
  run stats --svg "$T/origins.svg" --chart origins --top 3 $RAW_IN
  expect_status 0 "stats --chart origins"
  xmllint --noout "$T/origins.svg" || fail "origins chart: not well-formed XML"
  grep -qF 'Top 3 origins' "$T/origins.svg" || fail "origins chart: title"
else
  echo "note: xmllint not found, SVG not checked"
fi

# values a reader let through are shown, not acted on: a control character
# (an escape sequence, a newline) in a tag or origin comes out as \xHH in the
# text table, columns stay aligned by characters, not bytes, and a US inside
# a value does not split it
printf '%s\n' \
  '{"id":"10XXTEST1","origin":"Bad\u001b[31mRed","tags":["A\nB","PREL","\u00e9t\u00e9"],"classification":"SECRET","created":"2010-01-01T00:00:00"}' \
  '{"id":"10XXTEST2","origin":"Plain","tags":["PREL","X\u001fY"],"classification":"UNCLASSIFIED","created":"2009-01-01T00:00:00"}' \
  >"$T/odd.jsonl"
run stats --by origin,tag "$T/odd.jsonl"
expect_status 0 "stats of odd values"
if LC_ALL=C grep -q "$(printf '\033')" "$T/out"; then fail "text: an escape byte reached the terminal"; fi
expect_out 'Bad\x1b[31mRed' "text: escape shown as \\x1b"
expect_out 'A\x0aB' "text: newline shown as \\x0a"
expect_eq "$(wc -l <"$T/out" | tr -d ' ')" 5 "text: one line per row (header, 2 origins, blank, total)"
"$PY" -c '
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")[:3]
sys.exit(len({len(r) for r in rows}) != 1)' "$T/out" || fail "text: cross-tab columns not aligned by characters"
run stats --by tag --format csv "$T/odd.jsonl"
expect_out "$(printf 'X\342\220\237Y,1')" "csv: a US inside a tag stays one value (as U+241F)"
if command -v xmllint >/dev/null 2>&1; then
  run stats --svg "$T/odd.svg" --chart origins "$T/odd.jsonl"
  xmllint --noout "$T/odd.svg" || fail "origins chart of odd values: not well-formed XML"
fi

# usage errors
run stats --by colour $RAW_IN
expect_status 2 "stats --by colour"
expect_err "--by colour" "stats --by colour"
run stats --format yaml $RAW_IN
expect_status 2 "stats --format yaml"
finish
