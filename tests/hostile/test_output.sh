# test_output.sh - outputs that cannot be written: a missing directory, a
# full device (ENOSPC), and -o naming one of the inputs.
. "$(dirname "$0")/lib.sh"

# --- -o in a directory that does not exist: exit 2 before reading, named,
# nothing created.
run convert -t jsonl -o "$T/nowhere/deeper/out.jsonl" "$GOOD"
expect_status 2 "-o in a missing directory"
expect_err "cablex: $T/nowhere/deeper/out.jsonl: cannot create a temporary file beside it: No such file or directory" "-o in a missing directory: named"
[ -e "$T/nowhere" ] && fail "-o in a missing directory: created $T/nowhere"
# -o under a regular file
run convert -t jsonl -o "$GOOD/out.jsonl" "$GOOD"
expect_status 2 "-o under a file"
expect_err "cablex: $GOOD/out.jsonl: cannot create a temporary file beside it: Not a directory" "-o under a file: named"

# --- ENOSPC: /dev/full, directly, through a symlink (then the device is
# written, never replaced), gzip-compressed, and as standard output.
if [ -c /dev/full ]; then
  $GEN cable "$T/c5m.txt" 5M 06XXTEST5000
  run convert -t jsonl -o /dev/full "$GOOD" "$T/c5m.txt"
  expect_status 2 "-o /dev/full"
  expect_err "cablex: /dev/full: write error: No space left on device" "-o /dev/full: named, with the reason"
  expect_err "(output not written)" "-o /dev/full: the summary says so"
  [ -c /dev/full ] || fail "-o /dev/full: /dev/full is no longer a device"
  ln -s /dev/full "$T/full.jsonl.gz"
  run convert -o "$T/full.jsonl.gz" "$GOOD" "$T/c5m.txt"
  expect_status 2 "-o a symlink to /dev/full, gzip"
  expect_err "cablex: $T/full.jsonl.gz: write error: No space left on device" "symlink to /dev/full: named"
  [ -L "$T/full.jsonl.gz" ] || fail "symlink to /dev/full: the link was replaced"
  no_temp "$T" "symlink to /dev/full"
  "$CABLEX" convert -t jsonl "$GOOD" >/dev/full 2>"$T/err"
  status=$?
  check_run "standard output on /dev/full"
  expect_status 2 "standard output on /dev/full"
  expect_err "cablex: -: write error: No space left on device" "standard output on /dev/full: named"
  # Directory output: a cable's file that cannot be created (a directory
  # has its name) stops the run with exit 2, as a full disk would.
  mkdir -p "$T/dirout/$GOOD_ID.json"
  run convert -t json -o "$T/dirout/" "$GOOD"
  expect_status 2 "a per-cable file that cannot be written"
  expect_err "cablex: $T/dirout/$GOOD_ID.json: cannot write: is a directory" "a per-cable file that cannot be written: named"
  expect_err "(output directory incomplete: stopped at that file)" "a per-cable file that cannot be written: summary"
  # the cables before it keep their files
  run convert -t json -o "$T/dirout/" "$CX_SRC/samples/07XXTEST2213.txt" "$GOOD" "$CX_SRC/samples/73XXTEST792.txt"
  expect_status 2 "a per-cable file that cannot be written, second cable"
  [ -f "$T/dirout/07XXTEST2213.json" ] || fail "a per-cable file that cannot be written: the file before it was lost"
  [ -e "$T/dirout/73XXTEST792.json" ] && fail "a per-cable file that cannot be written: the run went on"
  no_temp "$T/dirout" "a per-cable file that cannot be written"
else
  echo "no /dev/full: ENOSPC checks skipped"
fi

# --- Killed mid-run (SIGTERM, SIGHUP): the temporary output goes with it.
if mkfifo "$T/in.fifo" 2>/dev/null; then
  for sig in TERM HUP; do
    printf 'old\n' >"$T/killed.jsonl"
    "$CABLEX" convert -f raw -t jsonl -o "$T/killed.jsonl" - <"$T/in.fifo" >/dev/null 2>"$T/err" &
    pid=$!
    exec 3>"$T/in.fifo"
    cat "$GOOD" >&3
    # the temporary file is there once the output is open
    n=0
    while [ -z "$(find "$T" -maxdepth 1 -name '.killed.jsonl.??????')" ] && [ "$n" -lt 100 ]; do
      sleep 0.05
      n=$((n + 1))
    done
    [ "$n" -lt 100 ] || fail "SIG$sig: no temporary output appeared"
    kill -s "$sig" "$pid"
    wait "$pid"
    status=$?
    exec 3>&-
    [ "$status" -gt 128 ] || fail "SIG$sig: exit status $status, expected death by the signal"
    no_temp "$T" "killed by SIG$sig"
    [ "$(cat "$T/killed.jsonl")" = old ] || fail "SIG$sig: the old output was replaced"
  done
fi

# --- -o naming one of the inputs: refused before anything is read, the input
# is left as it was.
cp "$GOOD" "$T/self.txt"
run convert -t raw -o "$T/self.txt" "$T/self.txt"
expect_status 2 "-o is the input"
expect_err "cablex: the output $T/self.txt is also an input ($T/self.txt): refusing to replace it" "-o is the input"
cmp -s "$T/self.txt" "$GOOD" || fail "-o is the input: the input changed"
no_temp "$T" "-o is the input"
# the same file by another name: a symlink, a hard link, a relative path
ln -s self.txt "$T/self-link.txt"
ln "$T/self.txt" "$T/self-hard.txt"
run convert -t json -o "$T/self-link.txt" "$GOOD" "$T/self.txt"
expect_status 2 "-o is a symlink to an input"
expect_err "is also an input ($T/self.txt)" "-o is a symlink to an input"
run convert -t json -o "$T/self-hard.txt" "$T/self.txt"
expect_status 2 "-o is a hard link to an input"
(cd "$T" && "$CABLEX" convert -t json -o ./self.txt "$T/self.txt" >/dev/null 2>"$T/err")
status=$?
expect_status 2 "-o is the input by a relative path"
cmp -s "$T/self.txt" "$GOOD" || fail "-o is the input by other names: the input changed"
# a JSON Lines file converted in place
run convert -q -t jsonl -o "$T/cables.jsonl" "$GOOD"
cp "$T/cables.jsonl" "$T/cables.before"
run convert -o "$T/cables.jsonl" "$T/cables.jsonl"
expect_status 2 "-o is the JSON input"
cmp -s "$T/cables.jsonl" "$T/cables.before" || fail "-o is the JSON input: the input changed"
# an input found in a directory walk
mkdir -p "$T/tree/sub"
cp "$GOOD" "$T/tree/sub/a.txt"
run convert -t raw -o "$T/tree/sub/a.txt" "$T/tree"
expect_status 2 "-o is a file of an input directory"
expect_err "is also an input ($T/tree/sub/a.txt)" "-o is a file of an input directory"
# directory output holding an input: a cable's file could replace an input
# not yet read; refused
run convert -t raw -o "$T/tree/sub/" "$T/tree"
expect_status 2 "output directory holds an input"
expect_err "cablex: the output directory $T/tree/sub/ holds the input $T/tree/sub/a.txt" "output directory holds an input"
(cd "$T/tree/sub" && "$CABLEX" convert -t json -o . a.txt >/dev/null 2>"$T/err")
status=$?
expect_status 2 "-o . with an input in ."
[ "$(ls "$T/tree/sub")" = a.txt ] || fail "output directory holds an input: files written: $(ls "$T/tree/sub")"
cmp -s "$T/tree/sub/a.txt" "$GOOD" || fail "output directory holds an input: the input changed"
# but an output directory above the inputs is fine (names never hold '/')
run convert -q -t json -o "$T/tree/" "$T/tree/sub"
expect_status 0 "output directory above the inputs"
[ -f "$T/tree/$GOOD_ID.json" ] || fail "output directory above the inputs: not written"
# and /dev/null is an input and an output at once without harm
run convert -f raw -t jsonl -o /dev/null /dev/null
expect_status 0 "/dev/null in and out"

finish
