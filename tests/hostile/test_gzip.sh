# test_gzip.sh - broken gzip input: truncated, corrupt, a bad CRC, and
# decompression bombs (1 GiB that packs into about 1 MB, made on the fly).
. "$(dirname "$0")/lib.sh"

command -v gzip >/dev/null || { echo "gzip missing: skipped"; exit 77; }

# The four samples in one stream, separated by form-feed lines.
first=1
for f in "$CX_SRC"/samples/05XXTEST517.txt "$CX_SRC"/samples/07XXTEST2213.txt \
  "$CX_SRC"/samples/08XXTEST412.txt "$CX_SRC"/samples/73XXTEST792.txt; do
  [ "$first" = 1 ] || printf '\n\f\n'
  first=0
  cat "$f"
done >"$T/four.txt"
gzip -9 -c "$T/four.txt" >"$T/four.txt.gz"
zsize=$(wc -c <"$T/four.txt.gz")

# --- Truncated: named, the cables before the cut and the other input are
# converted, the output is complete (no temporary left), exit 1.
head -c $((zsize * 3 / 4)) "$T/four.txt.gz" >"$T/cut.txt.gz"
run convert -t jsonl -o "$T/cut.jsonl" "$T/cut.txt.gz" "$GOOD"
expect_status 1 "truncated gzip"
expect_err "cablex: $T/cut.txt.gz: truncated gzip data (input ends at byte $((zsize * 3 / 4)))" "truncated gzip: named"
has "$T/cut.jsonl" '"id":"05XXTEST517"' "truncated gzip: a cable before the cut converted"
lacks "$T/cut.jsonl" '"id":"73XXTEST792"' "truncated gzip: nothing made up after the cut"
has "$T/cut.jsonl" "\"id\":\"$GOOD_ID\"" "truncated gzip: the other input converted"
valid_json "$T/cut.jsonl" "truncated gzip"
no_temp "$T" "truncated gzip"
# the same through standard input
run_in "$T/cut.txt.gz" convert -t jsonl -o "$T/cut-stdin.jsonl" -
expect_status 1 "truncated gzip on stdin"
expect_err "cablex: -: truncated gzip data" "truncated gzip on stdin: named"
has "$T/cut-stdin.jsonl" '"id":"05XXTEST517"' "truncated gzip on stdin: cables before the cut"
# cut inside the 10-byte header
head -c 5 "$T/four.txt.gz" >"$T/stub.txt.gz"
run convert -t jsonl -o "$T/stub.jsonl" "$T/stub.txt.gz" "$GOOD"
expect_status 1 "gzip cut in its header"
expect_err "cablex: $T/stub.txt.gz: truncated gzip data" "gzip cut in its header: named"
has "$T/stub.jsonl" "\"id\":\"$GOOD_ID\"" "gzip cut in its header: the other input converted"

# --- Corrupt data in the middle: named, others converted, an old output is
# replaced only by a complete one.
$GEN corrupt "$T/four.txt.gz" "$T/bad.txt.gz"
printf 'previous content\n' >"$T/keep.jsonl"
run convert -t jsonl -o "$T/keep.jsonl" "$GOOD" "$T/bad.txt.gz" "$GOOD"
expect_status 1 "corrupt gzip"
expect_err "cablex: $T/bad.txt.gz: corrupt gzip data near byte " "corrupt gzip: named"
[ "$(json_field "$T/keep.jsonl" id | tr '\n' ' ')" = "$GOOD_ID $GOOD_ID " ] ||
  fail "corrupt gzip: the inputs around it converted: $(json_field "$T/keep.jsonl" id | tr '\n' ' ')"
valid_json "$T/keep.jsonl" "corrupt gzip"
no_temp "$T" "corrupt gzip"
# a bad method byte in the header
printf '\037\213\011\000\000\000\000\000\000\003garbage' >"$T/method.txt.gz"
run convert -t jsonl -o "$T/method.jsonl" "$T/method.txt.gz" "$GOOD"
expect_status 1 "gzip with an unknown method"
expect_err "cablex: $T/method.txt.gz: corrupt gzip data near byte " "gzip with an unknown method: named"
# all the data there, but its CRC is wrong
cp "$T/four.txt.gz" "$T/crc.txt.gz"
printf '\000\000\000\000' | dd of="$T/crc.txt.gz" bs=1 seek=$((zsize - 8)) conv=notrunc 2>/dev/null
run convert -t jsonl -o "$T/crc.jsonl" "$T/crc.txt.gz" "$GOOD"
expect_status 1 "gzip with a bad CRC"
expect_err "cablex: $T/crc.txt.gz: corrupt gzip data near byte " "gzip with a bad CRC: named"
expect_err "incorrect data check" "gzip with a bad CRC: says why"
has "$T/crc.jsonl" "\"id\":\"$GOOD_ID\"" "gzip with a bad CRC: the other input converted"
# A corrupt gzip -o target gets nothing half-written either: here the
# output itself is gzip and the input is bad.
run convert -t jsonl -o "$T/out.jsonl.gz" "$T/bad.txt.gz"
expect_status 1 "corrupt input, gzip output"
gzip -t "$T/out.jsonl.gz" 2>/dev/null || fail "corrupt input, gzip output: the output is not a complete gzip file"
no_temp "$T" "corrupt input, gzip output"

# --- Bombs: 1 GiB of zeros in ~1 MB.  The reader stops 64 MiB past the
# cable size limit (formats/raw.md) with a clear message, in bounded memory
# without inflating the whole GiB (see the stdin check below), and the next input converts.
$GEN bomb "$T/bomb.txt.gz" 1G
[ "$(wc -c <"$T/bomb.txt.gz")" -lt 2000000 ] || fail "the bomb is not small on disk"
run convert -t jsonl -o "$T/bomb.jsonl" "$T/bomb.txt.gz" "$GOOD"
expect_status 1 "gzip bomb"
expect_err "cablex: $T/bomb.txt.gz: line 1 is longer than 16777218 bytes and has no end within 64 MiB more: rest of the input not read" "gzip bomb: stopped with a clear error"
[ "$(json_field "$T/bomb.jsonl" id)" = "$GOOD_ID" ] || fail "gzip bomb: the other input converted"
rss_below 100000 "gzip bomb"
# with a small limit it stops sooner, in less memory
run convert -t jsonl -o "$T/bomb.jsonl" --max-cable-size 1M "$T/bomb.txt.gz"
expect_status 1 "gzip bomb, 1M limit"
expect_err "line 1 is longer than 1048578 bytes and has no end within 64 MiB more" "gzip bomb, 1M limit"
rss_below 30000 "gzip bomb, 1M limit"
# read as JSON (a scalar that never ends)
run convert -q -t jsonl -o "$T/good.jsonl" "$GOOD"
run convert -f json -t jsonl -o "$T/bomb.jsonl" "$T/bomb.txt.gz" "$T/good.jsonl"
expect_status 1 "gzip bomb as JSON"
expect_err "cablex: $T/bomb.txt.gz:1: json: the cable starting here is larger than max-cable-size (16777216 bytes) and has no end within 64 MiB more: rest of the input not read" "gzip bomb as JSON"
[ "$(json_field "$T/bomb.jsonl" id)" = "$GOOD_ID" ] || fail "gzip bomb as JSON: the other input converted"
rss_below 100000 "gzip bomb as JSON"
# 256 MiB of short lines with no separator: one cable that never ends
$GEN bomb "$T/lines.txt.gz" 256M nl
run convert -t jsonl -o "$T/lines.jsonl" "$T/lines.txt.gz"
expect_status 1 "gzip bomb of lines"
expect_err "cablex: $T/lines.txt.gz:1: raw: cable of at least " "gzip bomb of lines: named"
expect_err "is larger than max-cable-size (16777216 bytes) and has no separator within 64 MiB more: rest of the input not read" "gzip bomb of lines: stopped"
rss_below 100000 "gzip bomb of lines"
# Streamed into standard input: cablex must stop reading long before the
# end (a reader that inflated it all would take the whole 1 MB).
$GEN bomb - 1G --report "$T/report" | timeout -k 5 "$RUN_TIMEOUT" "$CABLEX" convert -f raw -t jsonl -o "$T/stdin.jsonl" - >"$T/out" 2>"$T/err"
status=$?
check_run "gzip bomb on standard input"
expect_status 1 "gzip bomb on standard input"
expect_err "cablex: -: line 1 is longer than" "gzip bomb on standard input: named"
read -r sent total <"$T/report"
[ "$sent" -lt $((total / 2)) ] || fail "gzip bomb on standard input: cablex read $sent of $total bytes"

finish
