# test_errors_log.sh - the --errors log never replaces an input or the
# output, and a log that cannot be written is a lost output (issue 12,
# case 11): both compared by device and inode, so another name of the same
# file (a hard link, a symlink, ./) is refused too; exit 2, inputs intact.
. "$(dirname "$0")/lib.sh"

cp "$GOOD" "$T/in.txt"
sum_in=$(cksum <"$T/in.txt")

run convert -t jsonl -o "$T/o.jsonl" --errors "$T/in.txt" "$T/in.txt"
expect_status 2 "--errors is an input"
expect_err "--errors $T/in.txt is also an input" "--errors is an input: the reason"
[ "$(cksum <"$T/in.txt")" = "$sum_in" ] || fail "--errors is an input: the input was changed"
[ -e "$T/o.jsonl" ] && fail "--errors is an input: the run started"

ln "$T/in.txt" "$T/hard.txt"
ln -s "$T/in.txt" "$T/soft.txt"
run convert -t jsonl -o "$T/o.jsonl" --errors "$T/hard.txt" "$T/in.txt"
expect_status 2 "--errors a hard link to an input"
run convert -t jsonl -o "$T/o.jsonl" --errors "$T/soft.txt" "$T/in.txt"
expect_status 2 "--errors a symlink to an input"
[ "$(cksum <"$T/in.txt")" = "$sum_in" ] || fail "--errors another name of an input: the input was changed"

# -o and --errors the same file, existing or not yet
for pre in new existing; do
  rm -f "$T/same.jsonl"
  [ "$pre" = existing ] && echo keep >"$T/same.jsonl"
  run convert -t jsonl -o "$T/same.jsonl" --errors "$T/./same.jsonl" "$T/in.txt"
  expect_status 2 "-o and --errors the same file ($pre)"
  expect_err "is also the output" "-o and --errors the same file ($pre): the reason"
  if [ "$pre" = existing ]; then
    [ "$(cat "$T/same.jsonl")" = keep ] || fail "-o and --errors the same file: it was replaced"
  fi
done

# different files, devices and standard output are fine
run convert -t jsonl -o "$T/o.jsonl" --errors "$T/log.jsonl" "$T/in.txt"
expect_status 0 "--errors another file"
run convert -t jsonl -o /dev/null --errors /dev/null "$T/in.txt"
expect_status 0 "-o and --errors /dev/null"

# a log that cannot be written: exit 2, as for -o
if [ -c /dev/full ]; then
  printf 'x' >"$T/bad.json"
  run convert -t jsonl -o /dev/null --errors /dev/full "$T/bad.json" "$T/in.txt"
  expect_status 2 "--errors /dev/full"
  expect_err "--errors /dev/full: could not be written" "--errors /dev/full: said"
fi
finish
