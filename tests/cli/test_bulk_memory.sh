# test_bulk_memory.sh - memory stays flat: converting a bundle of 5000
# entries (about 78 MB of cables) with -j 1 and -j 4 peaks no higher than
# converting 1000 of them (plus a margin), and well below the input's size,
# as it would not if the pipeline queued what it reads faster than it
# writes (then the peak would grow by tens of MB).  Peak RSS from
# getrusage(RUSAGE_CHILDREN); no clock is involved.  What the scheduler
# changes is kept small and out of the comparison: one malloc arena per
# thread at most two (MALLOC_ARENA_MAX), the test runs alone (RUN_SERIAL),
# and the margin (16 MiB) is twice the largest spread seen on a loaded
# 2-core machine (8.9 MiB), far below the growth of a pipeline that queues.
. "$(dirname "$0")/lib.sh"

BULK=$CX_BUILD_DIR/tests/plugins/bulk
[ -f "$BULK/bundle.so" ] || { echo "SKIP: test bundle plugin not built"; exit 77; }
# A sanitizer keeps freed memory in quarantine: peaks mean nothing there.
if { ldd "$CABLEX"; ldd "$CX_BUILD_DIR/lib/libcablex.so"; } 2>/dev/null | grep -q 'libasan\|libtsan'; then
  echo "SKIP: built with a sanitizer"
  exit 77
fi
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
export MALLOC_ARENA_MAX=2

peak() { # peak RSS in KiB of: cablex ARGS...
  "$PY" -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
' "$CABLEX" --plugin-dir "$GOOD" --plugin-dir "$BULK" "$@"
}
for j in 1 4; do
  set -- $(peak convert -q -t json -j $j -o "$T/small.jsonl" "$T/small.bundle")
  [ "$1" -eq 0 ] || fail "-j $j, 1000 entries: exit status $1"
  small=$2
  set -- $(peak convert -q -t json -j $j -o "$T/out.jsonl" "$T/big.bundle")
  [ "$1" -eq 0 ] || fail "-j $j: exit status $1"
  [ "$(wc -l <"$T/out.jsonl")" -eq 1000000 ] || fail "-j $j: not every cable converted"
  echo "peak RSS -j $j: $small KiB for 1000 entries, $2 KiB for 5000 ($size bytes)"
  [ "$2" -lt $((small + 16384)) ] || fail "-j $j: peak RSS grows with the input: $small -> $2 KiB"
  [ "$2" -lt 48000 ] || fail "-j $j: peak RSS $2 KiB, expected under 48000 KiB"
done
finish
