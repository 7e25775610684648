# test_pdftotext.sh - pdftotext gets a time limit and dies with cablex (issue
# 12, case 6).  A stand-in pdftotext (a shell script that execs sleep, so its
# pid stays the one cablex started) never finishes: with
# --pdftotext-timeout 1 the PDF is an error on that input, named, and the
# next input is still converted; without a limit, TERM on cablex leaves no
# pdftotext running.  Nothing here measures time: the stand-in never ends
# on its own, so only the limit or cablex's death can end it.
. "$(dirname "$0")/lib.sh"

printf '%%PDF-1.4\n%% a stand-in: the fake pdftotext never reads it\n' >"$T/a.pdf"
cat >"$T/pdftotext" <<EOS
#!/bin/sh
echo \$\$ >"$T/pid"
exec sleep 100000
EOS
chmod +x "$T/pdftotext"

# --- the time limit: an error on that input, the others converted
run convert -t jsonl -O pdftotext="$T/pdftotext" --pdftotext-timeout 1 "$T/a.pdf" "$GOOD"
expect_status 1 "a PDF that pdftotext never finishes"
expect_err "$T/a.pdf: pdftext: $T/pdftotext ran longer than 1 s on this PDF and was stopped" \
  "the time limit: named"
[ "$(json_field "$T/out" id)" = "$GOOD_ID" ] || fail "the time limit: the next input was not converted"
if [ -s "$T/pid" ] && kill -0 "$(cat "$T/pid")" 2>/dev/null; then
  fail "the time limit: pdftotext still runs after cablex ended"
  kill -9 "$(cat "$T/pid")"
fi

# --- a bad value is refused
run convert -t jsonl -O pdftotext="$T/pdftotext" --pdftotext-timeout soon "$T/a.pdf"
[ "$status" -ne 0 ] || fail "--pdftotext-timeout soon: accepted"
expect_err "bad pdftotext-timeout 'soon'" "--pdftotext-timeout soon: named"

# --- cablex killed: pdftotext dies with it (no limit, so only that ends it)
rm -f "$T/pid"
"$CABLEX" convert -q -t jsonl -O pdftotext="$T/pdftotext" --pdftotext-timeout 0 \
  -o "$T/killed.jsonl" "$T/a.pdf" 2>"$T/err" &
cx=$!
i=0
while [ ! -s "$T/pid" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
if [ -s "$T/pid" ]; then
  kill -TERM "$cx"
  wait "$cx"
  pid=$(cat "$T/pid")
  # SIGKILL from the kernel as cablex exits: give it a moment to be reaped
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; then
    fail "TERM on cablex left pdftotext ($pid) running"
    kill -9 "$pid"
  fi
else
  fail "the stand-in pdftotext never started"
  kill -9 "$cx" 2>/dev/null
fi
no_temp "$T" "TERM on cablex during pdftotext"
finish
