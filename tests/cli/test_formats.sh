# test_formats.sh - end to end with the real raw and json plugins of the
# build tree: raw -> JSON Lines, gzip in and out, stdin detection, JSON
# round trip, per-cable files, a truncated gzip input.
. "$(dirname "$0")/lib.sh"

if ! plugin_loaded raw || ! plugin_loaded json; then
  echo "raw or json plugin not built: skipped"
  exit 77
fi
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
R=$CX_DATA/raw

# A directory of raw cables to JSON Lines, in strcmp order, with source set.
run convert -o "$T/all.jsonl" "$R"
expect_status 0 "raw directory to jsonl"
expect_err "3 converted, 0 failed, 0 skipped" "raw directory to jsonl"
no_temp "$T" "raw directory to jsonl"
jq -r '[.id, .source.format, .source.path, (.source.entry | tostring)] | join(" ")' "$T/all.jsonl" >"$T/ids" ||
  fail "jsonl output is not JSON"
same "$T/ids" "07XXTEST412 raw $R/07XXTEST412.txt null
08XXTEST1234 raw $R/08XXTEST1234.txt null
09XXTEST55 raw $R/plain/09XXTEST55.txt null
" "ids, order and source of the jsonl records"
jq -r '[.created, .classification, .origin, (.tags | join(","))] | join("|")' "$T/all.jsonl" | head -n 2 >"$T/meta"
same "$T/meta" "2007-05-14T09:12:00|UNCLASSIFIED//FOR OFFICIAL USE ONLY|Embassy Oslo|EFIS,PREL,SENV,NO
2008-08-28T15:30:00|CONFIDENTIAL|Embassy Lima|PGOV,PREL,SNAR,PE
" "page metadata carried"

# gzip input gives the same cable; gzip output is gzip and holds the same.
gzip -c "$R/07XXTEST412.txt" >"$T/oslo.txt.gz"
run convert -t json "$T/oslo.txt.gz"
expect_status 0 "gzip input"
jq -c 'del(.source)' "$T/out" >"$T/gz.json"
head -n 1 "$T/all.jsonl" | jq -c 'del(.source)' >"$T/plain.json"
cmp -s "$T/gz.json" "$T/plain.json" || fail "gzip input converts like the plain file"
run convert -o "$T/all.jsonl.gz" "$R"
expect_status 0 "gzip output"
[ "$(od -An -tx1 -N2 "$T/all.jsonl.gz" | tr -d ' ')" = "1f8b" ] || fail "gzip output is gzip"
gzip -dc "$T/all.jsonl.gz" | cmp -s - "$T/all.jsonl" || fail "gzip output holds the jsonl"
no_temp "$T" "gzip output"

# stdin, no name to go by: detected from the content.
run_in "$R/08XXTEST1234.txt" convert -t json
expect_status 0 "raw on stdin"
[ "$(jq -r '.id + " " + .source.path' "$T/out")" = "08XXTEST1234 -" ] || fail "raw on stdin: $(cat "$T/out")"

# JSON Lines read back: the same cables.
run convert -t json "$T/all.jsonl"
expect_status 0 "jsonl read back"
jq -c 'del(.source)' "$T/out" >"$T/back"
jq -c 'del(.source)' "$T/all.jsonl" >"$T/orig"
cmp -s "$T/back" "$T/orig" || fail "jsonl round trip changed the cables"
[ "$(jq -r .source.format "$T/out" | sort -u)" = json ] || fail "source.format is the reader's name"

# One JSON file per cable.
run convert -t json -o "$T/cables/" "$R"
expect_status 0 "per-cable json files"
(cd "$T/cables" && LC_ALL=C ls) >"$T/listing"
same "$T/listing" "07XXTEST412.json
08XXTEST1234.json
09XXTEST55.json
" "per-cable json files"
[ "$(jq -r .id "$T/cables/08XXTEST1234.json")" = 08XXTEST1234 ] || fail "per-cable file content"

# A truncated gzip input is named; the other input still converts.
head -c 200 "$T/oslo.txt.gz" >"$T/cut.txt.gz"
run convert -t json "$T/cut.txt.gz" "$R/08XXTEST1234.txt"
expect_status 1 "truncated gzip input"
expect_err "cablex: $T/cut.txt.gz" "truncated gzip input named"
[ "$(jq -r .id "$T/out" | tail -n 1)" = 08XXTEST1234 ] || fail "input after a truncated gzip converted"

# --max-cable-size reaches the readers.
run convert -t json --max-cable-size 200 "$T/all.jsonl"
expect_status 1 "--max-cable-size 200"
expect_err "cablex: $T/all.jsonl:" "an oversized record is named with its line"

finish
