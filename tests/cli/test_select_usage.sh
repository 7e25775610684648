# test_select_usage.sh - the issue-4 flags of convert as the command line
# reads them: bad --where (exit 2, caret under the fault), --shard, -j,
# --errors; plugin options given as --NAME / --NAME=VALUE / --NAME VALUE.
. "$(dirname "$0")/lib.sh"

printf '06A1 x\n07B2 y\n' >"$T/a.lines"

# --where: the message, the expression, and a caret under the column at fault
run convert --where 'year=2009,orgin=Tehran' "$T/a.lines"
expect_status 2 "--where with an unknown field"
expect_err "cablex: bad --where expression: column 11: unknown field 'orgin'" "unknown field"
expect_err "  year=2009,orgin=Tehran" "the expression is shown"
# the caret sits under the 'o' of orgin: two spaces of indent + 10 columns
grep -qx '            ^' "$T/err" || fail "caret under column 11: $(cat "$T/err")"
run convert --where 'classification>=SEKRET' "$T/a.lines"
expect_status 2 "unknown classification"
expect_err "unknown classification 'SEKRET'" "unknown classification"
run convert --where 'date<09' "$T/a.lines"
expect_status 2 "bad date"
expect_err "column 6: bad date '09'" "bad date"
run convert --where '' "$T/a.lines"
expect_status 2 "empty --where"
expect_err "empty expression" "empty --where"
run convert --where 'year=2009' --where 'tag>IR' "$T/a.lines"
expect_status 2 "second --where bad"
expect_err "column 4: 'tag' takes = != or ~, not an order" "ordered tag"
run convert --where
expect_status 2 "--where without a value"
expect_err "cablex: --where needs a value" "--where without a value"

# --shard
for bad in 0/3 4/3 1/0 x 1/ /2 1/2/3; do
  run convert --shard "$bad" "$T/a.lines"
  expect_status 2 "--shard $bad"
  expect_err "bad shard '$bad'" "--shard $bad"
done
run convert --shard
expect_status 2 "--shard without a value"

# -j
for bad in x -1 4097 1.5 ''; do
  run convert -j "$bad" "$T/a.lines"
  expect_status 2 "-j '$bad'"
  expect_err "bad -j '$bad'" "-j '$bad'"
done
run convert --errors= "$T/a.lines"
expect_status 2 "--errors with an empty name"

# The flags themselves are accepted (the conversion runs).
run --plugin-dir "$GOOD" convert -q -f lines -t upper -j 2 --jobs=1 -j3 --keep-going --fail-fast \
  --keep-going --no-progress --progress --no-progress "$T/a.lines"
expect_status 0 "every flag once"
same "$T/out" "06A1|06A1 X
07B2|07B2 Y
" "every flag once: output"

# Plugin options as --NAME: upper declares reject=ID, fail-at=N, warn=ID.
run --plugin-dir "$GOOD" convert -q -f lines -t upper --reject 06A1 "$T/a.lines"
expect_status 1 "--reject ID (two arguments)"
same "$T/out" "07B2|07B2 Y
" "--reject ID drops that cable, and ID is not read as an input"
run --plugin-dir "$GOOD" convert -q -f lines -t upper "$T/a.lines" --reject=07B2
expect_status 1 "--reject=ID after the input"
same "$T/out" "06A1|06A1 X
" "--reject=ID"
run --plugin-dir "$GOOD" convert -f lines -t upper "$T/a.lines" --reject
expect_status 2 "--reject without a value"
expect_err "cablex: --reject needs a value" "--reject without a value"
run --plugin-dir "$GOOD" convert -f lines -t upper --reject -q "$T/a.lines"
expect_status 2 "--reject followed by an option"
expect_err "cablex: --reject needs a value" "--reject followed by an option"
run --plugin-dir "$GOOD" convert -f lines -t upper --frobnicate "$T/a.lines"
expect_status 2 "unknown --NAME"
expect_err "cablex: unknown option '--frobnicate' for 'convert'" "unknown --NAME"
# declared, but by a plugin that is neither the reader nor the writer
run --plugin-dir "$GOOD" convert -f lines -t lines --reject 06A1 "$T/a.lines"
expect_status 2 "--NAME of a plugin not in the run"
expect_err "unknown option '--reject' for 'convert' (plugin upper takes --reject" "names the plugin"
# picked by the output's extension when there is no -t
run --plugin-dir "$GOOD" convert -q -f lines -o "$T/x.up" --reject 07B2 "$T/a.lines"
expect_status 1 "--NAME of the writer -o names"
same "$T/x.up" "06A1|06A1 X
" "--NAME of the writer -o names: output"
# command-line order: the later of -O and --NAME wins, as two -O would
run --plugin-dir "$GOOD" convert -q -f lines -t upper -O reject=06A1 --reject 07B2 "$T/a.lines"
run2=$(cat "$T/out")
run --plugin-dir "$GOOD" convert -q -f lines -t upper -O reject=06A1 -O reject=07B2 "$T/a.lines"
[ "$run2" = "$(cat "$T/out")" ] || fail "-O then --NAME differs from -O then -O"

# --help lists the new flags and says why keep-going is the default
run convert --help
expect_status 0 "convert --help"
for flag in "-j, --jobs N" "--where EXPR" "--shard K/N" "--errors FILE" "--fail-fast" \
  "--keep-going" "--progress" "--no-progress" "--NAME[=VAL]" "tar.gz:raw" "250,000-cable"; do
  expect_out "$flag" "convert --help mentions $flag"
done
finish
