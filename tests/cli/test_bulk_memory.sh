# test_bulk_memory.sh - memory stays flat: converting a bundle of 5000
# entries (about 78 MB of cables) with -j 1 and -j 4 holds no more heap than
# the pipeline's own bounds allow, as converting 1000 of them does.  Jobs in
# flight are capped (4 MiB, counted again once encoded: these 80-byte cables
# grow about sixfold as JSON), so -j 4 holds about 24 MiB and -j 1 about
# 2 MiB whatever the input's size; the bound, 48 MiB, is twice that, and a
# pipeline that queued what it reads faster than it writes would hold the
# 78 MB input and its JSON.  The heap is counted by
# tests/plugins/heapcount.so (LD_PRELOAD: the bytes malloc handed out and
# not yet freed, and their peak), not read from RSS, so page faults, malloc
# arenas and what else runs on the machine do not enter into it; the
# scheduler moves it only within the caps (issue 12: the RSS version failed
# twice in six runs under ctest -j2).
. "$(dirname "$0")/lib.sh"

BULK=$CX_BUILD_DIR/tests/plugins/bulk
[ -f "$BULK/bundle.so" ] || { echo "SKIP: test bundle plugin not built"; exit 77; }
COUNT=$BULK/heapcount.so
[ -f "$COUNT" ] || { echo "SKIP: heapcount.so not built (a sanitizer build)"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }

# N entries of 16 KB: each one a lines file of 200 cables of 80 bytes
make() {
"$PY" - "$1" "$2" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"#bundle\n")
    for e in range(int(sys.argv[2])):
        body = b"#lines\n" + b"".join(b"%02dE%05dC%03d %s\n" % (e % 97, e, c, b"x" * 64)
                                      for c in range(200))
        f.write(b"== e%05d.lines %d\n" % (e, len(body)) + body + b"\n")
PY
}
make "$T/small.bundle" 1000
make "$T/big.bundle" 5000
size=$(wc -c <"$T/big.bundle")
[ "$size" -gt 70000000 ] || fail "test input too small: $size bytes"
BOUND=$((48 << 20))

peak() { # exit status and peak heap in bytes of: cablex ARGS...
  rm -f "$T/peak"
  HEAPCOUNT_OUT="$T/peak" LD_PRELOAD="$COUNT" \
    "$CABLEX" --plugin-dir "$GOOD" --plugin-dir "$BULK" "$@" >/dev/null 2>&1
  echo $? "$(cat "$T/peak" 2>/dev/null || echo none)"
}
for j in 1 4; do
  set -- $(peak convert -q -t json -j $j -o "$T/small.jsonl" "$T/small.bundle")
  [ "$1" -eq 0 ] || fail "-j $j, 1000 entries: exit status $1"
  small=$2
  set -- $(peak convert -q -t json -j $j -o "$T/out.jsonl" "$T/big.bundle")
  [ "$1" -eq 0 ] || fail "-j $j: exit status $1"
  [ "$2" != none ] || fail "-j $j: heapcount.so wrote no peak"
  [ "$(wc -l <"$T/out.jsonl")" -eq 1000000 ] || fail "-j $j: not every cable converted"
  echo "peak heap -j $j: $small bytes for 1000 entries, $2 for 5000 ($size bytes of input)"
  [ "$small" -lt "$BOUND" ] || fail "-j $j: 1000 entries held $small bytes of heap, over $BOUND"
  [ "$2" -lt "$BOUND" ] || fail "-j $j: 5000 entries held $2 bytes of heap, over $BOUND"
done
finish
