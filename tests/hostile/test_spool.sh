# test_spool.sh - a zip on standard input is spooled to TMPDIR (zip needs to
# seek) only up to --max-total-size, which says so when it is hit (issue 12,
# case 9), and the spool file does not outlive the run.
. "$(dirname "$0")/lib.sh"

command -v zip >/dev/null 2>&1 || { echo "skip: no zip"; exit 77; }
mkdir -p "$T/tmp" "$T/s"
cp "$CX_SRC"/samples/*.txt "$T/s/"
(cd "$T/s" && zip -q "$T/s.zip" ./*.txt)
# through a pipe: a file on stdin is seekable and read in place
piped() {
  cat "$T/s.zip" | TMPDIR=$T/tmp timeout -k 5 "$RUN_TIMEOUT" "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
  check_run "$*"
}
piped convert -t jsonl -o "$T/o.jsonl" --max-total-size 1K
expect_status 1 "a zip on stdin over --max-total-size"
expect_err "cablex: -: bundle larger than max-total-size (1024 bytes) while spooling it" "the cap said"
[ -z "$(ls -A "$T/tmp")" ] || fail "a spool file left in TMPDIR: $(ls -A "$T/tmp")"
n=$(ls "$T"/s/*.txt | wc -l)
piped convert -t jsonl -o "$T/o.jsonl"
expect_status 0 "a zip on stdin under the default cap"
lines "$T/o.jsonl" "$n" "a zip on stdin: every sample"
[ -z "$(ls -A "$T/tmp")" ] || fail "a spool file left in TMPDIR after a run"
finish
