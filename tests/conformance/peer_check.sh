#!/bin/sh
# Conformance: runs ../shared/tools/peer-check (cablemap's expectations) on the
# built cablex and fails below 85% overall or 70% in any field.
#
# One adjustment, printed with the figures: five `summary` expectations are
# elided with "[...]" (e.g. "Chancellor Merkel [...].") but peer-check feeds
# the whole cable for them, whose text has no "[...]", so no parser can match
# them.  For the per-field floor they leave the denominator; the raw
# peer-check figures are printed unchanged above the verdict.
# Exit 77 (skipped) when the shared corpus is not beside the project.
set -u
cablex=$1
shared=$2
if [ ! -x "$shared/tools/peer-check" ]; then
  echo "SKIP: $shared/tools/peer-check not found (the shared corpus is not beside the project)"
  exit 77
fi
out=$("$shared/tools/peer-check" --cablex "$cablex") || { echo "$out"; exit 1; }
echo "$out"
echo "$out" | python3 -c '
import json, re, sys
items = json.load(open(sys.argv[1]))
elided = {}
for e in items:
    if e.get("full_text") and "[...]" in json.dumps(e["expected"]):
        elided[e["field"]] = elided.get(e["field"], 0) + 1
bad = []
for line in sys.stdin:
    m = re.match(r"^(\w+)\s+(\d+)/(\d+)\s*$", line)
    if m:
        field, ok, n = m.group(1), int(m.group(2)), int(m.group(3))
        usable = n - elided.get(field, 0)
        if elided.get(field):
            print("%s: %d/%d of the expectations a whole cable can meet (%d elided with [...])"
                  % (field, ok, usable, elided[field]))
        if usable and ok < 0.70 * usable:
            bad.append("%s %d/%d" % (field, ok, usable))
    m = re.match(r"^peer: \d+/\d+ passed \(([\d.]+)%\)", line)
    if m and float(m.group(1)) < 85.0:
        bad.append("overall " + m.group(1) + "% < 85%")
if bad:
    print("below threshold: " + "; ".join(bad))
    sys.exit(1)
print("thresholds met: >= 85% overall, >= 70% per field")
' "$shared/corpus/peer/expected.json"
