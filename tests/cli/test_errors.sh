# test_errors.sh - the error policy with the test plugins: failed cables and
# inputs are reported with their place and the rest converts (exit 1);
# warnings do not fail the run (exit 0); a fatal output error leaves nothing
# behind (exit 2).
. "$(dirname "$0")/lib.sh"

printf '#lines\n06A1 first cable\n!broken line\n?07B2 questionable\n08C3 third\n' >"$T/a.lines"
printf '09D4 from b\n' >"$T/b.lines"
printf '\001\002\003 not a cable format anyone knows\n' >"$T/notes.bin"

# A failed cable: reported as file:line, the others converted, exit 1.
run --plugin-dir "$GOOD" convert -t upper "$T/a.lines"
expect_status 1 "a failed cable"
expect_err "cablex: $T/a.lines:3: bad cable line" "failed cable with its place"
expect_err "cablex: warning: $T/a.lines:4: questionable cable 07B2" "warning with its place"
expect_err "cablex: 3 converted, 1 failed, 0 skipped in " "summary"
same "$T/out" "06A1|06A1 FIRST CABLE
07B2|07B2 QUESTIONABLE
08C3|08C3 THIRD
" "cables around a failed one"

# Warnings only: exit 0.  -q silences warnings and the summary.
printf '?06A1 maybe\n' >"$T/w.lines"
run --plugin-dir "$GOOD" convert -t upper "$T/w.lines"
expect_status 0 "warnings only"
expect_err "warning: $T/w.lines:1: questionable cable 06A1" "warning shown"
run --plugin-dir "$GOOD" convert -q -t upper "$T/w.lines"
expect_status 0 "warnings only, -q"
[ -s "$T/err" ] && fail "-q still printed: $(cat "$T/err")"

# An unrecognised input and a missing one are named; the others still convert.
run --plugin-dir "$GOOD" convert -t upper "$T/b.lines" "$T/notes.bin" "$T/missing.lines" "$T/a.lines"
expect_status 1 "bad inputs among good ones"
expect_err "cablex: no input plugin recognises $T/notes.bin; use -f (see cablex plugins)" "unrecognised input"
expect_err "cablex: $T/missing.lines: cannot open" "missing input"
expect_out "09D4|09D4 FROM B" "input before the bad ones converted"
expect_out "08C3|08C3 THIRD" "input after the bad ones converted"
expect_err "4 converted, 3 failed, 0 skipped" "summary counts cables and inputs"

# Detection: by content when the extension says nothing; -f forces.
printf '#lines\n10E5 probed\n' >"$T/probe.dat"
run --plugin-dir "$GOOD" convert -t upper "$T/probe.dat"
expect_status 0 "detected by probe"
expect_out "10E5|10E5 PROBED" "detected by probe"
run --plugin-dir "$GOOD" convert -f lines -t upper - <"$T/b.lines"
expect_status 0 "-f lines on stdin"
expect_out "09D4|09D4 FROM B" "-f lines on stdin"
run_in "$T/probe.dat" --plugin-dir "$GOOD" convert -t upper
expect_status 0 "stdin, no inputs, probed"
expect_out "10E5|10E5 PROBED" "stdin probed"

# A fatal reader error abandons that input only.
printf '11F6 before\nFATAL\n11F7 after\n' >"$T/fatal.lines"
run --plugin-dir "$GOOD" convert -t upper "$T/fatal.lines" "$T/b.lines"
expect_status 1 "fatal reader error"
expect_err "$T/fatal.lines:2: fatal line" "fatal reader error with its place"
expect_out "11F6|11F6 BEFORE" "cable before the fatal error written"
expect_out "09D4|09D4 FROM B" "next input converted"
grep -q "11F7" "$T/out" && fail "cable after a fatal reader error must not be read"

# A writer that fails one cable: reported, the rest written, exit 1.
run --plugin-dir "$GOOD" convert -t upper -O reject=07B2 "$T/a.lines"
expect_status 1 "writer rejects a cable"
expect_err "rejected cable 07B2" "writer failure reported"
expect_out "08C3|08C3 THIRD" "cables after a rejected one written"
# A writer warning recorded on the ctx is shown once.
run --plugin-dir "$GOOD" convert -t upper -O warn=08C3 "$T/b.lines" "$T/a.lines"
expect_err "warning: -: written with a warning: 08C3" "writer warning shown"
[ "$(grep -c 'written with a warning' "$T/err")" -eq 1 ] || fail "writer warning shown once"
# Unknown -O names are worth a warning.
run --plugin-dir "$GOOD" convert -t upper -O colour=blue "$T/b.lines"
expect_status 0 "unknown -O"
expect_err "cablex: warning: option 'colour' is not used by any loaded plugin" "unknown -O"

# -o FILE: written via a temporary file and renamed.
run --plugin-dir "$GOOD" convert -o "$T/out.up" "$T/b.lines"
expect_status 0 "-o file"
same "$T/out.up" "09D4|09D4 FROM B
" "-o file"
no_temp "$T" "-o file"
# A failed cable does not lose the output; it is still written.
run --plugin-dir "$GOOD" convert -o "$T/partial.up" "$T/a.lines"
expect_status 1 "-o with a failed cable"
[ -f "$T/partial.up" ] || fail "-o with a failed cable: output written"
# A fatal writer error: exit 2, no output, no temporary, an old file untouched.
printf 'old content\n' >"$T/keep.up"
run --plugin-dir "$GOOD" convert -o "$T/keep.up" -O fail-at=2 "$T/a.lines"
expect_status 2 "fatal writer error"
expect_err "fail-at reached at cable 2" "fatal writer error reported"
expect_err "(output not written)" "summary says the output is lost"
same "$T/keep.up" "old content
" "old output untouched"
no_temp "$T" "fatal writer error"
run --plugin-dir "$GOOD" convert -o "$T/never.up" -O fail-at=1 "$T/a.lines"
expect_status 2 "fatal writer error on a new file"
[ -e "$T/never.up" ] && fail "fatal writer error left $T/never.up"
no_temp "$T" "fatal writer error on a new file"

# An unreadable input (not for root, who reads everything).
printf '12G8 secret\n' >"$T/locked.lines"
chmod 000 "$T/locked.lines"
if ! cat "$T/locked.lines" >/dev/null 2>&1; then
  run --plugin-dir "$GOOD" convert -t upper "$T/locked.lines" "$T/b.lines"
  expect_status 1 "unreadable input"
  expect_err "$T/locked.lines: cannot open" "unreadable input named"
  expect_out "09D4|09D4 FROM B" "other input converted"
fi
chmod 644 "$T/locked.lines"

finish
