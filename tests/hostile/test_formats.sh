# test_formats.sh - hostile input to the xml, csv, html and pdftext readers,
# each next to a good cable of the same format: a 70 KB cable, a 20 MB line,
# a NUL byte, invalid UTF-8, a truncated file, truncated gzip, an empty file
# and binary junk.  Nothing crashes or hangs, every message names the file
# and (but for whole-input problems) the line, the good cable converts, and
# the output is valid JSON.  Then the regressions the format fuzzer found
# (tests/hostile/fuzz_formats.py).
. "$(dirname "$0")/lib.sh"

$GEN cable "$T/c70k.txt" 70K 06XXTEST70
$GEN line "$T/line" 20M
$CX_PYTHON - "$T/junk" <<'PY'
import random, sys
r = random.Random(7)
open(sys.argv[1], "wb").write(bytes(r.randrange(256) for _ in range(4096)))
PY

# damage GOOD OUT HOW: a copy of GOOD with NUL or invalid UTF-8 put in front
# of its first numbered paragraph, or cut in half.
damage() {
  $CX_PYTHON - "$1" "$2" "$3" <<'PY'
import sys
g = open(sys.argv[1], "rb").read()
i = g.index(b"1. ") if b"1. " in g else len(g) // 2
how = sys.argv[3]
out = {"nul": g[:i] + b"\0" + g[i:], "utf8": g[:i] + b"\xff\xc0\xaf" + g[i:],
       "half": g[:len(g) // 2]}[how]
open(sys.argv[2], "wb").write(out)
PY
}

# case WHAT STATUS CABLES FILE...: converts FILE... to JSON Lines; the exit
# status and the number of cables written are as given, the output valid.
case_() {
  what=$1 want=$2 ncables=$3
  shift 3
  run convert -t jsonl -o "$T/o.jsonl" "$@"
  expect_status "$want" "$what"
  lines "$T/o.jsonl" "$ncables" "$what: cables written"
  [ -s "$T/o.jsonl" ] && valid_json "$T/o.jsonl" "$what"
  # every message begins with the input it is about
  grep '^cablex: ' "$T/err" | grep -v ' converted, ' | while IFS= read -r l; do
    case $l in
      "cablex: $1"* | "cablex: warning: $1"*) ;;
      *) echo "FAIL: $what: a message without its input's name: $l" ;;
    esac
  done >"$T/unnamed"
  if [ -s "$T/unnamed" ]; then
    cat "$T/unnamed"
    fails=$((fails + 1))
  fi
}

for fmt in xml csv html pdftext; do
  ext=$fmt
  [ $fmt = pdftext ] && ext=pdf # text read by pdftext: a .pdf that is no PDF
  d=$T/$fmt
  mkdir -p "$d"
  if [ $fmt = pdftext ]; then
    cp "$GOOD" "$d/good.$ext"
    cp "$T/c70k.txt" "$d/big.$ext"
  else
    run convert -q -f raw -t $fmt -o "$d/good.$ext" "$GOOD"
    run convert -q -f raw -t $fmt -o "$d/big.$ext" "$T/c70k.txt"
  fi
  G=$d/good.$ext
  # a reader's message names the line (pdftext's too for a byte; its
  # messages about the whole text cannot)
  if [ $fmt = pdftext ]; then at=''; else at=':1'; fi

  case_ "$fmt: 70 KB cable" 0 2 "$d/big.$ext" "$G"
  has "$T/o.jsonl" '"id":"06XXTEST70"' "$fmt: 70 KB cable: its id"
  cp "$T/line" "$d/line.$ext"
  case_ "$fmt: 20 MB line" 1 1 "$d/line.$ext" "$G"
  expect_err "cablex: $d/line.$ext$at: $fmt: " "$fmt: 20 MB line: file, line and reader"
  # (html said "page of 16777216 bytes is larger than max-cable-size (16777216 bytes)")
  [ $fmt = html ] && expect_err "html: page of more than 16777216 bytes is larger than" \
    "html: 20 MB line: the size is a lower bound"
  damage "$G" "$d/nul.$ext" nul
  case_ "$fmt: NUL byte" 1 1 "$d/nul.$ext" "$G"
  grep -qE "^cablex: $d/nul.$ext:[0-9]+: $fmt: " "$T/err" || fail "$fmt: NUL byte: no file:line: message"
  damage "$G" "$d/utf8.$ext" utf8
  if [ $fmt = xml ]; then
    # XML is UTF-8 by its own rules: a bad byte is a syntax error there
    case_ "$fmt: invalid UTF-8" 1 1 "$d/utf8.$ext" "$G"
  else
    case_ "$fmt: invalid UTF-8" 0 2 "$d/utf8.$ext" "$G"
    grep -qE "^cablex: warning: $d/utf8.$ext:[0-9]+: $fmt: 3 bytes of invalid UTF-8" "$T/err" ||
      fail "$fmt: invalid UTF-8: no file:line: warning"
  fi
  damage "$G" "$d/half.$ext" half
  # a cable cut in half is an error where the format shows it
  case $fmt in
    xml | csv) case_ "$fmt: truncated" 1 1 "$d/half.$ext" "$G" ;;
    html)
      case_ "$fmt: truncated" 0 2 "$d/half.$ext" "$G"
      expect_err "may be truncated" "$fmt: truncated: said so"
      ;;
    pdftext) case_ "$fmt: truncated" 0 2 "$d/half.$ext" "$G" ;;
  esac
  gzip -c "$d/big.$ext" >"$T/gz"
  head -c $(($(wc -c <"$T/gz") / 2)) "$T/gz" >"$d/cut.$ext.gz"
  case_ "$fmt: truncated gzip" 1 1 "$d/cut.$ext.gz" "$G"
  expect_err "cablex: $d/cut.$ext.gz: truncated gzip data" "$fmt: truncated gzip: named"
  : >"$d/empty.$ext"
  if [ $fmt = xml ]; then
    case_ "$fmt: empty file" 1 1 "$d/empty.$ext" "$G"
  else
    case_ "$fmt: empty file" 0 1 "$d/empty.$ext" "$G"
    expect_err "cablex: warning: $d/empty.$ext: skipped: no cable in it" "$fmt: empty file"
  fi
  cp "$T/junk" "$d/junk.$ext"
  case_ "$fmt: binary junk" 1 1 "$d/junk.$ext" "$G"
  no_temp "$d" "$fmt"
done

# --- csv: a row that ends the file without a line end, written back among
# other rows, began the next row on its own line (they were glued together
# and the file could not be read back).
printf '"1","1/5/2007 12:00","07XXTEST12","Embassy Riga","UNCLASSIFIED","","R 051200Z JAN 07\nFM AMEMBASSY RIGA\nTO SECSTATE WASHDC 0042","UNCLAS XXTEST 000012\n\nSUBJECT: NO LINE END\n\n1. ONE.\n"' \
  >"$T/noeol.csv"
run convert -q -f csv -t csv -o "$T/two.csv" "$T/noeol.csv" "$T/csv/good.csv"
expect_status 0 "csv without a last line end: written"
run convert -f csv -t jsonl -o "$T/two.jsonl" "$T/two.csv"
expect_status 0 "csv without a last line end: read back"
lines "$T/two.jsonl" 2 "csv without a last line end: both rows read back"
# alone it is still written back byte for byte
run convert -q -f csv -t csv -o "$T/one.csv" "$T/noeol.csv"
cmp -s "$T/one.csv" "$T/noeol.csv" || fail "csv without a last line end: not byte for byte"

# --- html: a cablex page whose Created or Released cell is not a date gave
# that text as the model's date (invalid JSON); now it warns and the date is
# null, as on any other page.
sed 's|>2005-03-09 15:30<|>Cable Viewer<|' "$T/html/good.html" >"$T/baddate.html"
grep -q 'Cable Viewer' "$T/baddate.html" || fail "html bad date: the test page was not made"
run convert -f html -t jsonl -o "$T/baddate.jsonl" "$T/baddate.html"
expect_status 0 "html bad date on a cablex page"
expect_err 'html: Created value "Cable Viewer" is not a date' "html bad date: warned"
valid_json "$T/baddate.jsonl" "html bad date"
[ "$(json_field "$T/baddate.jsonl" created)" = null ] || fail "html bad date: created is not null"

# --- html: a cablex page with a NUL on standard input was taken for XML (the
# html probe refused any NUL) and failed as "a DOCTYPE is not accepted"; the
# html reader now gets it and says what is wrong.
run_in "$T/html/nul.html" convert -t jsonl -o "$T/stdin.jsonl"
expect_status 1 "html page with a NUL on stdin"
grep -qE '^cablex: -:[0-9]+: html: NUL byte in the page' "$T/err" ||
  fail "html page with a NUL on stdin: not named by the html reader: $(head -n 1 "$T/err")"

# --- html: a cable with neither id nor telegram (a JSON model with a subject
# only) was written as a page the html reader refused ("nothing to read"); a
# page cablex wrote is now read back as that cable, byte for byte.  (A model
# of nulls only is not a cable: test_not_a_cable.sh.)
echo '{"model_version":1,"id":null,"body":null,"header_text":null,"subject":"NO ID"}' >"$T/empty.jsonl"
run convert -q -f json -t html -o "$T/empty.html" "$T/empty.jsonl"
expect_status 0 "empty cable to html"
run convert -f html -t jsonl -o "$T/empty.back.jsonl" "$T/empty.html"
expect_status 0 "empty cable read back from html"
lines "$T/empty.back.jsonl" 1 "empty cable read back from html"
run convert -q -f html -t html -o "$T/empty2.html" "$T/empty.html"
cmp -s "$T/empty.html" "$T/empty2.html" || fail "empty cable: html to html is not byte for byte"

# --- pdftext: a page-table Created that is not a date ('09"12' for 09:12)
# became the model's date as it was (invalid JSON); now it is left out with
# a warning and the telegram's date-time group gives created.
$CX_PYTHON - "$CX_SRC/samples/08XXTEST412.txt" "$T/baddate.pdf" <<'PY'
import sys
s = open(sys.argv[1], "rb").read()
assert b"2008-11-14 09:12:00" in s
open(sys.argv[2], "wb").write(s.replace(b"2008-11-14 09:12:00", b'2008-11-14 09"12:00'))
PY
run convert -t jsonl -o "$T/baddate.jsonl" "$T/baddate.pdf"
expect_status 0 "pdftext bad date"
expect_err "cablex: warning: $T/baddate.pdf: pdftext: Created value \"2008-11-14 09\"12:00\" is not a date" \
  "pdftext bad date: warned"
valid_json "$T/baddate.jsonl" "pdftext bad date"
[ "$(json_field "$T/baddate.jsonl" created)" = 2008-11-14T09:12:00 ] ||
  fail "pdftext bad date: created is $(json_field "$T/baddate.jsonl" created), not the DTG's"

# --- pdftext: a PDF of which pdftotext makes no text at all (its page object
# damaged) passed a NULL buffer to memchr (UBSan); now it fails, saying
# that pdftotext found no page (not "no text layer (0 pages of images?)").
if command -v pdftotext >/dev/null 2>&1; then
  $CX_PYTHON "$CX_SRC/tests/pdftext/mkpdf.py" "$GOOD" "$T/good.pdf"
  sed 's/3 0 obj/3 0 xbj/' "$T/good.pdf" >"$T/notext.pdf"
  run convert -t jsonl -o "$T/notext.jsonl" "$T/notext.pdf" "$GOOD"
  expect_status 1 "PDF without text"
  expect_err "cablex: $T/notext.pdf: pdftext: pdftotext gave no page of the PDF" "PDF without text: named"
  lines "$T/notext.jsonl" 1 "PDF without text: the good cable converted"
else
  echo "pdftotext not installed: the PDF case is not run"
fi

finish
