# test_samples.sh - the shipped samples are invented, so their ids must not be
# taken for real ones (issue 12, case 19): every sample converts to an id of
# the station XXTEST, its file is named by that id, and samples/README.md
# says that they are invented.
. "$(dirname "$0")/lib.sh"

n=0
for s in "$CX_SRC"/samples/*.txt; do
  n=$((n + 1))
  run convert -q -t jsonl "$s"
  expect_status 0 "sample $s"
  id=$(json_field "$T/out" id)
  case $id in
    [0-9][0-9]XXTEST[0-9]*) ;;
    *) fail "sample $s: id '$id' could be taken for a real cable's (use station XXTEST)" ;;
  esac
  [ "$(basename "$s" .txt)" = "$id" ] || fail "sample $s: named otherwise than its id $id"
done
[ "$n" -gt 0 ] || fail "no samples found in $CX_SRC/samples"
grep -q 'invented' "$CX_SRC/samples/README.md" 2>/dev/null ||
  fail "samples/README.md does not say that the samples are invented"
finish
