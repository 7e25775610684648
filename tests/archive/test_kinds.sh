# test_kinds.sh - every bundle kind in (tar, tar.gz, tar.bz2, tar.xz,
# tar.zst, zip, 7z, cpio, ar; from a file and from standard input) and out
# (tar, tar.gz, zip: entries cable/YYYY/MM/ID.ext, reproducible), and
# bundles inside bundles.
. "$(dirname "$0")/lib.sh"

# same_cables A B WHAT: the same cables, whatever the order and source.
same_cables() {
  $CX_PYTHON - "$1" "$2" <<'PY' || fail "$3: the cables differ from a direct conversion"
import json, sys
def load(p):
    out = []
    for line in open(p, encoding="utf-8"):
        c = json.loads(line)
        c.pop("source", None)
        out.append(json.dumps(c, sort_keys=True))
    return sorted(out)
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
PY
}

run convert -q -t jsonl -o "$T/ref.jsonl" "$T/in/cable"
expect_status 0 "the samples as files"
expect_ids "$T/ref.jsonl" "$IDS" "the samples as files"

# --- in: each kind, made by bsdtar
(
  cd "$T/in"
  bsdtar -cf "$T/b.tar" --format ustar cable
  bsdtar -czf "$T/b.tar.gz" cable
  bsdtar -cjf "$T/b.tar.bz2" cable
  bsdtar -cJf "$T/b.tar.xz" cable
  bsdtar --zstd -cf "$T/b.tar.zst" cable
  bsdtar -cf "$T/b.zip" --format zip cable
  bsdtar -cf "$T/b.7z" --format 7zip cable
  bsdtar -cf "$T/b.cpio" --format newc cable
  cd cable && bsdtar -cf "$T/b.ar" --format ar ./*.txt
)
for kind in tar tar.gz tar.bz2 tar.xz tar.zst zip 7z cpio ar; do
  run convert -q -t jsonl -o "$T/k.jsonl" "$T/b.$kind"
  expect_status 0 "$kind in"
  expect_ids "$T/k.jsonl" "$IDS" "$kind in"
  same_cables "$T/k.jsonl" "$T/ref.jsonl" "$kind in"
  # the same through a pipe: 7z and zip are spooled to a temporary file
  run_in "$T/b.$kind" convert -q -t jsonl -o "$T/s.jsonl" -
  expect_status 0 "$kind on stdin"
  expect_ids "$T/s.jsonl" "$IDS" "$kind on stdin"
done
has "$T/k.jsonl" '"entry":"' "an entry's name in source"

# --- out: entries named cable/YYYY/MM/ID.ext, reproducible, readable back
want="cable/1973/02/73XXTEST792.txt cable/2005/03/05XXTEST517.txt cable/2007/06/07XXTEST2213.txt cable/2008/11/08XXTEST412.txt "
for kind in tar tar.gz zip; do
  run convert -q -t "$kind:raw" -o "$T/out.$kind" "$T/in/cable"
  expect_status 0 "-t $kind:raw"
  got=$(bsdtar -tf "$T/out.$kind" | sort | tr '\n' ' ')
  [ "$got" = "$want" ] || fail "-t $kind:raw: entries '$got', expected '$want'"
  bsdtar -tvf "$T/out.$kind" | awk '$3 != 0 || $4 != 0 { exit 1 }' ||
    fail "-t $kind:raw: uid/gid not 0"
  run convert -q -t "$kind:raw" -o "$T/again.$kind" "$T/in/cable"
  cmp -s "$T/out.$kind" "$T/again.$kind" || fail "-t $kind:raw: two runs differ"
  run convert -q -t jsonl -o "$T/back.jsonl" "$T/out.$kind"
  expect_status 0 "-t $kind:raw read back"
  same_cables "$T/back.jsonl" "$T/ref.jsonl" "-t $kind:raw read back"
  SOURCE_DATE_EPOCH=1291161600 run convert -q -t "$kind:raw" -o "$T/dated.$kind" "$T/in/cable"
  bsdtar -tvf "$T/dated.$kind" | grep -q 'Dec  1  2010' ||
    fail "-t $kind:raw: SOURCE_DATE_EPOCH not used: $(bsdtar -tvf "$T/dated.$kind" | head -n 1)"
done
# the gzip header of a tar.gz: no time, no name (bytes 3-7)
[ "$(od -An -tx1 -j3 -N5 "$T/out.tar.gz" | tr -d ' \n')" = 0000000000 ] ||
  fail "-t tar.gz:raw: gzip header has a time or a name: $(od -An -tx1 -N10 "$T/out.tar.gz")"
[ "$(od -An -tx1 -N2 "$T/out.tar.gz" | tr -d ' ')" = 1f8b ] || fail "-t tar.gz:raw: not gzip"
gzip -dc "$T/out.tar.gz" | head -c 262 | tail -c 5 | grep -q ustar ||
  fail "-t tar.gz:raw: not one gzip layer over a tar"
# JSON entries in a zip, to standard output
run convert -q -t zip:json -o - "$T/in/cable"
expect_status 0 "-t zip:json to stdout"
cp "$T/out" "$T/json.zip"
got=$(bsdtar -tf "$T/json.zip" | sort | tr '\n' ' ')
[ "$got" = "$(echo "$want" | sed 's/\.txt/.json/g')" ] || fail "-t zip:json: entries '$got'"
run convert -q -t jsonl -o "$T/zj.jsonl" "$T/json.zip"
same_cables "$T/zj.jsonl" "$T/ref.jsonl" "-t zip:json read back"

# --- nested: a tar.gz holding a zip of raw files, a raw file and a tar.xz
mkdir -p "$T/nest/sub"
(cd "$T/in" && bsdtar -cf "$T/nest/inner.zip" --format zip cable/05XXTEST517.txt cable/07XXTEST2213.txt)
cp "$T/in/cable/08XXTEST412.txt" "$T/nest/"
(cd "$T/in" && bsdtar -cJf "$T/nest/sub/deeper.tar.xz" cable/73XXTEST792.txt)
(cd "$T/nest" && bsdtar -czf "$T/nested.tar.gz" inner.zip 08XXTEST412.txt sub)
run convert -q -t jsonl -o "$T/nested.jsonl" "$T/nested.tar.gz"
expect_status 0 "nested bundles"
expect_ids "$T/nested.jsonl" "$IDS" "nested bundles"
same_cables "$T/nested.jsonl" "$T/ref.jsonl" "nested bundles"
has "$T/nested.jsonl" '"entry":"inner.zip/cable/05XXTEST517.txt"' "nested bundles: the entry chain"
# and nested once more, on standard input, zip outside
(cd "$T" && bsdtar -cf "$T/outer.zip" --format zip nested.tar.gz)
run_in "$T/outer.zip" convert -q -t jsonl -o "$T/outer.jsonl" -
expect_status 0 "a zip of a tar.gz of a zip, on stdin"
expect_ids "$T/outer.jsonl" "$IDS" "a zip of a tar.gz of a zip, on stdin"
finish
