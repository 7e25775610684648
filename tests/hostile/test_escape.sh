# test_escape.sh - untrusted text never reaches the terminal raw (issue 12,
# case 13): a cable id, a csv date, a JSON created value, a key outside the
# model and a file name holding ESC sequences, BEL, a newline or a
# bidirectional override are shown escaped (\x1b ...) in every message, so
# they cannot clear the screen, set the title or forge a summary line.
. "$(dirname "$0")/lib.sh"

E=$(printf '\033')
# no raw control byte (but the newlines between messages) on stderr
clean_err() {
  if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/err"; then
    fail "$1: a raw control byte on stderr"
    LC_ALL=C sed -n 'l' "$T/err" | sed 's/^/  stderr: /' | head -5
  fi
}

# JSON: an id (named by the csv writer), a created value and a key
printf '%s\n' '{"id":"99XXTEST1\u001b]0;pwned\u0007","body":"x","b\u001b[31mad":1}' \
  '{"id":"99XXTEST2","created":"2009-01-01\u001b[2J\ncablex: 0 converted","body":"y"}' \
  >"$T/esc.json"
run convert -t csv -o "$T/o.csv" "$T/esc.json"
expect_status 1 "ESC in JSON values"
clean_err "ESC in JSON values"
expect_err 'key "b\x1b[31mad" not in the model' "ESC in a key outside the model: escaped"
expect_err 'created: "2009-01-01\x1b[2J\x0acablex: 0 converted"' "ESC and a newline in created: escaped"
expect_err 'csv: 99XXTEST1\x1b]0;pwned\x07: not carried' "ESC and BEL in an id: escaped"
[ "$(grep -c '^cablex: 0 converted' "$T/err")" = 0 ] || fail "a summary line forged"

# cablex check: a finding names the file and the cable by its id: escaped
run check "$T/esc.json"
expect_status 1 "check of ESC in ids"
if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/out"; then
  fail "check: a raw control byte in a finding"
fi
grep -qF '99XXTEST1\x1b]0;pwned\x07' "$T/out" || fail "check: ESC and BEL in an id: not escaped"

# csv: a date
printf '"1","1/5/2007 12:00%s[2J","99XXTEST3","Embassy Riga","UNCLASSIFIED","","","UNCLAS\n1. X\n"\n' "$E" >"$T/esc.csv"
run convert -t jsonl -o "$T/o.jsonl" "$T/esc.csv"
expect_status 0 "ESC in a csv date"
clean_err "ESC in a csv date"
expect_err 'date "1/5/2007 12:00\x1b[2J" is not' "ESC in a csv date: escaped"

# a file name, and a right-to-left override in it (U+202E)
rlo=$(printf '\342\200\256')
cp "$T/esc.json" "$T/f${E}[2J${rlo}x.json"
run convert -t jsonl -o "$T/o2.jsonl" "$T/f${E}[2J${rlo}x.json"
clean_err "ESC in a file name"
expect_err "f\\x1b[2J\\xe2\\x80\\xaex.json:2: json: created" "ESC and U+202E in a file name: escaped"
# ... in a usage error too
run convert -t jsonl -o "$T/o3.jsonl" "$T/missing${E}[2J.txt"
clean_err "ESC in a missing file's name"
expect_err 'missing\x1b[2J.txt' "ESC in a missing file's name: escaped"

# text that is not a control passes as it is (UTF-8, backslashes)
printf '%s\n' '{"id":"99XXTEST4","created":"São Paulo \\ x","body":"z"}' >"$T/utf8.json"
run convert -t jsonl -o "$T/o4.jsonl" "$T/utf8.json"
expect_err 'created: "São Paulo \ x"' "UTF-8 and a backslash: as they are"
finish
