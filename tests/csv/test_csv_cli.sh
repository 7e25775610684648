# test_csv_cli.sh - the csv plugin end to end on the project's own rows
# (tests/data/csv): csv -> JSON -> csv byte for byte (plain and gzip),
# detection by content, broken rows reported by line with the good rows
# still converted, and RFC 4180 output read by Python's csv module (and by
# pandas when it is installed).
# ctest sets CABLEX (the binary), CX_DATA (tests/data/csv), CX_TMP.
set -u
: "${CABLEX:?run through ctest}" "${CX_DATA:?}" "${CX_TMP:?}"
T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
. "$(dirname "$0")/../lib/checks.sh"

run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

"$CABLEX" plugins 2>/dev/null | awk '$1 == "csv" && $NF == "loaded" { ok = 1 } END { exit !ok }' || {
  echo "csv plugin not built: skipped"
  exit 77
}
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "/usr/bin/python3 missing: skipped"; exit 77; }

# csv -> JSON Lines -> csv gives the same bytes (CRLF rows, LF rows).
for f in rows lf; do
  run convert -o "$T/$f.jsonl" "$CX_DATA/$f.csv"
  expect_status 0 "$f.csv to jsonl"
  run convert -f json -o "$T/$f.csv" "$T/$f.jsonl"
  expect_status 0 "$f.jsonl to csv"
  cmp -s "$T/$f.csv" "$CX_DATA/$f.csv" || fail "$f.csv -> JSON -> csv is not byte-identical"
done
[ "$(jq -r .id "$T/rows.jsonl" | tr '\n' ' ')" = "07XXTEST12 07XXTEST123 07XXTEST99 " ] ||
  fail "ids of rows.csv"
[ "$(jq -r .source.format "$T/rows.jsonl" | sort -u)" = csv ] || fail "source.format is csv"
[ "$(jq -c '.extra.csv_references' "$T/rows.jsonl" | head -n 1)" = '["07XXTEST1001","07XXTEST7"]' ] ||
  fail "referenced ids in extra.csv_references"

# gzip in and out; detection by content when the name says nothing.
gzip -c "$CX_DATA/rows.csv" >"$T/rows.csv.gz"
run convert -o "$T/back.csv.gz" "$T/rows.csv.gz"
expect_status 0 "csv.gz to csv.gz"
gzip -dc "$T/back.csv.gz" | cmp -s - "$CX_DATA/rows.csv" || fail "csv.gz -> csv.gz changed the rows"
cp "$CX_DATA/rows.csv" "$T/cables.dat"
run convert -t jsonl "$T/cables.dat"
expect_status 0 "csv detected by content"
[ "$(jq -r .source.format "$T/out" | sort -u)" = csv ] || fail "content probe picks csv"

# Broken rows: each one fails naming its line, the rows after it convert.
run convert -t jsonl "$CX_DATA/broken.csv"
expect_status 1 "broken rows"
expect_err "4 converted, 3 failed" "broken rows"
expect_err "broken.csv:22: csv: row 09XXTEST2 starting on line 12: unbalanced quote: field body" "unbalanced quote"
expect_err "broken.csv:34: csv: row 09XXTEST4 starting on line 34: 7 fields, not 8" "field count"
expect_err "broken.csv:53: csv: row 09XXTEST6 starting on line 46: a quote that is not escaped" "bare quote"
expect_err "reading resumes at line 58" "resync"
[ "$(jq -r .id "$T/out" | tr '\n' ' ')" = "09XXTEST1 09XXTEST3 09XXTEST5 09XXTEST7 " ] ||
  fail "the good rows around the broken ones convert"

# RFC 4180 for spreadsheets: a header row and "" quoting that Python's csv
# module reads back to the same fields.
run convert -t csv -O csv-dialect=rfc4180 -o "$T/rfc.csv" "$CX_DATA/rows.csv"
expect_status 0 "rfc4180 output"
$PY - "$T/rfc.csv" "$T/rows.jsonl" >"$T/py" 2>&1 <<'PY' || { fail "Python's csv module: $(cat "$T/py")"; }
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
cables = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert rows[0] == ['sequence', 'date', 'id', 'origin', 'classification', 'references',
                   'header', 'body'], rows[0]
assert len(rows) == 1 + len(cables), len(rows)
for row, c in zip(rows[1:], cables):
    assert len(row) == 8, row
    assert row[7] == c['body'], (row[7][:80], c['body'][:80])
    assert row[4] == c['classification']
    assert row[5] == '|'.join(c['extra']['csv_references'])
    assert c['header_text'].startswith(row[6])
print('ok')
PY
if $PY -c 'import pandas' 2>/dev/null; then
  $PY - "$T/rfc.csv" >"$T/pd" 2>&1 <<'PY' || fail "pandas: $(cat "$T/pd")"
import sys, pandas
df = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
assert list(df.columns) == ['sequence', 'date', 'id', 'origin', 'classification', 'references',
                            'header', 'body'], df.columns
assert len(df) == 3 and df['id'][0] == '07XXTEST12', df
assert 'THE MINISTER\'S "NEW" LINE' in df['body'][0]
d = pandas.to_datetime(df['date'], format='%m/%d/%Y %H:%M')
assert str(d[0]) == '2007-01-05 12:00:00', d[0]
PY
else
  echo "pandas not installed: its check skipped"
fi
# ... and cablex reads it back (the header row names the layout).
run convert -t jsonl "$T/rfc.csv"
expect_status 0 "rfc4180 read back"
jq -c '[.id, .created, .body]' "$T/out" >"$T/a"
jq -c '[.id, .created, .body]' "$T/rows.jsonl" >"$T/b"
cmp -s "$T/a" "$T/b" || fail "rfc4180 read back gives other cables"

run convert -t csv -O csv-dialect=excel "$CX_DATA/rows.csv"
[ "$status" -ne 0 ] || fail "an unknown csv-dialect is refused"
expect_err 'csv-dialect "excel"' "unknown dialect"
finish
