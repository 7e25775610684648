# test_epub_spine.sh - a book with 200k spine items is read in O(n log n)
# (issue 12, case 7: the spine was matched against the manifest and the
# pages in O(n^2): 100k items took 45 s, 200k take minutes).  The run's
# time limit (RUN_TIMEOUT) is a generous hang bound, not a speed check: the
# check is test_epub's test_spine_probes, which counts the names compared.
. "$(dirname "$0")/lib.sh"

$CX_PYTHON "$HERE/gen.py" spine-epub "$T/spine.epub" 200000 30
run convert -f epub -t jsonl "$T/spine.epub"
expect_status 0 "200k spine items"
lines "$T/out" 30 "200k spine items: every existing page, once"
# spine order (the spine lists them last first): page 29 comes first
head -n 1 "$T/out" | grep -q '"chapter":"p29.xhtml"' || fail "200k spine items: not in spine order"
finish
