#!/bin/sh
# The pdftext reader end to end on a PDF the test makes itself: a cable
# written for the project (tests/data/pdftext/cable.txt, of 2020 so that its
# id and references name no real cable: tests/README.md) is rendered by
# mkpdf.py on a page narrower than four of its lines, with a FOIA stamp at
# the top and bottom of each page, a release marker and page numbers; then
# pdftotext extracts it in its default, -layout and full-width modes.
# Every extraction and the PDF itself must give the same fields; the
# furniture must be gone; the default and -layout extractions must report
# the lines cut at the page edge, the full-width one and the PDF must not,
# and their text must be the cable's own (whitespace aside).
# usage: modes.sh CABLEX SRCDIR TMPDIR   (exit 77 without pdftotext)
cablex=$1 src=$2 tmp=$3
command -v pdftotext >/dev/null 2>&1 || { echo "skip: pdftotext not installed (poppler-utils)"; exit 77; }
py=/usr/bin/python3
test -x $py || { echo "skip: no /usr/bin/python3"; exit 77; }
set -e
rm -rf "$tmp"
mkdir -p "$tmp"
stamp="UNCLASSIFIED U.S. Department of State Case No. F-2099-00042 Doc No. C09900042 Date: 01/02/2099"
$py "$src/tests/pdftext/mkpdf.py" "$src/tests/data/pdftext/cable.txt" "$tmp/cable.pdf" \
  --cols 70 --rows 50 --stamp "$stamp" --release "RELEASE IN PART B1" --page-numbers
pdftotext "$tmp/cable.pdf" "$tmp/default.txt"
pdftotext -layout "$tmp/cable.pdf" "$tmp/layout.txt"
pdftotext -x 0 -y 0 -W 20000 -H 20000 "$tmp/cable.pdf" "$tmp/fullwidth.txt"
grep -q "Case No. F-2099-00042" "$tmp/default.txt" # the furniture is there to strip
for m in default layout fullwidth; do
  "$cablex" convert -q -f pdftext -t json -o "$tmp/$m.json" "$tmp/$m.txt"
done
"$cablex" convert -q -t json -o "$tmp/pdf.json" "$tmp/cable.pdf" # by its extension
cat "$tmp/cable.pdf" | "$cablex" convert -q -t json -o "$tmp/stdin.json" - # by its magic
$py - "$tmp" "$src/tests/data/pdftext/cable.txt" <<'PY'
import json, re, sys
tmp, cable = sys.argv[1], sys.argv[2]
def norm(s):
    return re.sub(r"\s+", "", re.sub(r"-[ \t]*\n", "", s))
want_text = norm(open(cable, encoding="utf-8").read())
fails = []
for m in ("default", "layout", "fullwidth", "pdf", "stdin"):
    c = json.loads(open("%s/%s.json" % (tmp, m)).read())
    px = c["extra"]["pdftext"]
    got = {k: c[k] for k in ("id", "created", "classification", "subject", "tags", "signer")}
    want = {"id": "20ABUDHABI5893", "created": "2020-10-31T08:38:00",
            "classification": "CONFIDENTIAL",
            "subject": "PORT TARIFFS: MINISTER PROMISES A NEW SCHEDULE BEFORE THE END OF THE MONTH",
            "tags": ["ETRD", "EWWT", "TC"], "signer": "EXAMPLE"}
    if got != want:
        fails.append("%s: fields %r" % (m, got))
    if [r["cable_id"] for r in c["references"]] != ["20STATE201234", "20ABUDHABI5790"]:
        fails.append("%s: references %r" % (m, c["references"]))
    if [p["number"] for p in c["paragraphs"]] != ["1", "2", "3", "4", "5"]:
        fails.append("%s: paragraphs %r" % (m, [p["number"] for p in c["paragraphs"]]))
    text = c["header_text"] + c["body"]
    for junk in ("Case No", "RELEASE IN PART", "\n1\n", "\n2\n"):
        if junk in text:
            fails.append("%s: furniture %r left" % (m, junk))
    if px["pages"] != 2 or px["furniture_removed"] < 7:
        fails.append("%s: pages/furniture %r" % (m, px))
    if m in ("default", "layout"):
        if px.get("cut_lines") != 4 or not any("edge of the page" in w for w in px["warnings"]):
            fails.append("%s: cut lines not reported: %r" % (m, px))
    else:
        if px.get("cut_lines") or norm(text) != want_text:
            fails.append("%s: text differs from the cable or cut reported: %r" % (m, px))
    want_mode = {"layout": "layout", "pdf": "pdf", "stdin": "pdf"}.get(m, "default")
    if px["mode"] != want_mode:
        fails.append("%s: mode %s" % (m, px["mode"]))
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
# pdftotext missing: the error names the package
if "$cablex" convert -q -t json -O pdftotext=/nonexistent/pdftotext -o "$tmp/x.json" \
     "$tmp/cable.pdf" 2>"$tmp/err"; then
  echo "FAIL: a missing pdftotext was not an error"; exit 1
fi
grep -q "install poppler-utils" "$tmp/err" || { echo "FAIL: error does not name the package:"; cat "$tmp/err"; exit 1; }
rm -rf "$tmp"
echo "ok"
