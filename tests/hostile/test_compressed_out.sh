# test_compressed_out.sh - "-o out.jsonl.xz" (and .lzma, .bz2, .zst, .lz4) is
# written compressed as its name says, never plain text under a compressed
# name (bundles too); a compressed name this build cannot write is refused (exit 2) before
# anything is read or written (issue 12, case 2).
. "$(dirname "$0")/lib.sh"

SAMPLES=$CX_SRC/samples
run convert -q -t jsonl -o "$T/plain.jsonl" "$SAMPLES"
expect_status 0 "plain output"

# magic NAME HEX: the file starts with the bytes HEX.
magic() {
  got=$(od -An -tx1 -N"$(($(printf %s "$2" | wc -c) / 2))" "$1" | tr -d ' \n')
  [ "$got" = "$2" ] || fail "$1: starts with '$got', expected '$2' (not what its name says)"
}

for c in "xz fd377a585a00 xz" "lzma 5d00 xz" "bz2 425a68 bzip2" "zst 28b52ffd zstd" "lz4 04224d18 lz4"; do
  set -- $c
  out=$T/out.jsonl.$1
  run convert -q -t jsonl -o "$out" "$SAMPLES"
  expect_status 0 "-o .$1"
  magic "$out" "$2"
  if command -v "$3" >/dev/null 2>&1; then
    case $1 in lzma) dec="$3 -dc --format=lzma" ;; *) dec="$3 -dc" ;; esac
    $dec <"$out" >"$T/back" 2>"$T/dec.err" || fail "-o .$1: $3 cannot decode it: $(cat "$T/dec.err")"
    cmp -s "$T/back" "$T/plain.jsonl" || fail "-o .$1: decodes to other bytes than the plain output"
  fi
  no_temp "$T" "-o .$1"
done

# The same bytes on a second run (reproducible output).
run convert -q -t jsonl -o "$T/again.jsonl.xz" "$SAMPLES"
cmp -s "$T/again.jsonl.xz" "$T/out.jsonl.xz" || fail "-o .xz: a second run writes other bytes"

# A name that asks for a compressor this build does not have: refused.
run convert -t jsonl -o "$T/out.jsonl.br" "$SAMPLES"
expect_status 2 "-o .br"
expect_err "cablex: $T/out.jsonl.br: this build cannot write brotli-compressed output" "-o .br: named"
[ -e "$T/out.jsonl.br" ] && fail "-o .br: a file was written under a compressed name"
no_temp "$T" "-o .br"

# A full device behind an .xz name: a write error, exit 2, no leak.
if [ -c /dev/full ]; then
  ln -s /dev/full "$T/full.jsonl.xz"
  $GEN cable "$T/c2m.txt" 2M 99XXTEST2000
  run convert -t jsonl -o "$T/full.jsonl.xz" "$GOOD" "$T/c2m.txt"
  expect_status 2 "-o a symlink to /dev/full, xz"
  expect_err "cablex: $T/full.jsonl.xz: write error: No space left on device" "-o /dev/full, xz: named"
fi

# Bundles too: a plain tar (or a tar.gz) under a .tar.xz name is refused,
# the kind the name says is written.
for k in tar tar.gz zip; do
  run convert -t "$k:raw" -o "$T/b.tar.xz" "$GOOD"
  expect_status 2 "-t $k:raw -o b.tar.xz"
  expect_err "a $k bundle cannot be written under a name that says xz" "-t $k:raw -o b.tar.xz: named"
  [ -e "$T/b.tar.xz" ] && fail "-t $k:raw -o b.tar.xz: written"
  no_temp "$T" "-t $k:raw -o b.tar.xz"
done
run convert -q -t tar.xz:raw -o "$T/b.tar.xz" "$GOOD"
expect_status 0 "-t tar.xz:raw -o b.tar.xz"
magic "$T/b.tar.xz" fd377a585a00
finish
