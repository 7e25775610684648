#!/bin/sh
# Conformance: runs ../shared/tools/peer-check (cablemap's expectations) on the
# built cablex and fails below 85% overall or 70% in any field.
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
import re, sys
bad = []
for line in sys.stdin:
    m = re.match(r"^(\w+)\s+(\d+)/(\d+)\s*$", line)
    if m and int(m.group(3)) and int(m.group(2)) < 0.70 * int(m.group(3)):
        bad.append(line.strip())
    m = re.match(r"^peer: \d+/\d+ passed \(([\d.]+)%\)", line)
    if m and float(m.group(1)) < 85.0:
        bad.append("overall " + m.group(1) + "% < 85%")
if bad:
    print("below threshold: " + "; ".join(bad))
    sys.exit(1)
'
