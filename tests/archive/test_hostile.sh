# test_hostile.sh - bundles that attack: decompression bombs (the default
# caps and lowered ones), hostile entry names, links, and a corrupt entry in
# the middle of a zip (the others still converted, the error names it).
. "$(dirname "$0")/lib.sh"
S=$CX_SRC/samples

# --- A 1100 MiB entry of zeros in a 5 MB tar.gz, between two cables: the
# default caps stop it with a clear error naming the entry, the cables
# before and after it are converted.
$GEN bomb "$T/bomb.tar.gz" 1100 "$S/05XXTEST517.txt" "$S/73XXTEST792.txt"
[ "$(wc -c <"$T/bomb.tar.gz")" -lt 8000000 ] || fail "the bomb is not small on disk"
run convert -q -t jsonl -o "$T/bomb.jsonl" "$T/bomb.tar.gz"
expect_status 1 "tar.gz bomb"
expect_err "cablex: $T/bomb.tar.gz(cable/bomb.txt): " "tar.gz bomb: the entry named"
expect_ids "$T/bomb.jsonl" "05XXTEST517 73XXTEST792" "tar.gz bomb: the cables around it"
# lowered per-entry cap: the archive plugin's own message
$GEN bomb "$T/b50.tar.gz" 50 "$S/05XXTEST517.txt" "$S/73XXTEST792.txt"
run convert -q -O max-entry-size=1M -t jsonl -o "$T/b50.jsonl" "$T/b50.tar.gz"
expect_status 1 "max-entry-size"
expect_err "cablex: $T/b50.tar.gz(cable/bomb.txt): entry larger than max-entry-size (1048576 bytes decompressed): rest of the entry skipped" "max-entry-size: named"
expect_ids "$T/b50.jsonl" "05XXTEST517 73XXTEST792" "max-entry-size: the cables around it"
# the total cap ends the bundle
run convert -q -O max-total-size=20M -t jsonl -o "$T/total.jsonl" "$T/b50.tar.gz"
expect_status 1 "max-total-size"
expect_err "(cable/bomb.txt): the bundle passed max-total-size (20971520 bytes decompressed) here: rest of the bundle not read" "max-total-size: named"
expect_ids "$T/total.jsonl" "05XXTEST517" "max-total-size: the cable before it"
run convert -q -O max-total-size=lots -t jsonl -o "$T/x.jsonl" "$T/b50.tar.gz"
expect_status 1 "max-total-size=lots"
expect_err 'max-total-size "lots" is not a size' "max-total-size=lots"
# a zip bomb: 64 MiB of zeros deflated, cap 1 MiB
mkdir -p "$T/zb/cable"
head -c 67108864 /dev/zero >"$T/zb/cable/zeros.txt"
cp "$S/08XXTEST412.txt" "$T/zb/cable/"
(cd "$T/zb" && bsdtar -cf "$T/bomb.zip" --format zip cable/zeros.txt cable/08XXTEST412.txt)
rm -rf "$T/zb"
run convert -q -O max-entry-size=1M -t jsonl -o "$T/zb.jsonl" "$T/bomb.zip"
expect_status 1 "zip bomb"
expect_err "cablex: $T/bomb.zip(cable/zeros.txt): entry larger than max-entry-size" "zip bomb: named"
expect_ids "$T/zb.jsonl" "08XXTEST412" "zip bomb: the cable after it"

# --- Hostile names: shown escaped, never used as paths; a symlink skipped.
$GEN names "$T/names.tar" "$S/05XXTEST517.txt"
mkdir -p "$T/deep/er"
cd "$T/deep/er"
run convert -t jsonl -o "$T/names.jsonl" "$T/names.tar"
cd "$T"
expect_status 0 "hostile names"
lines "$T/names.jsonl" 3 "hostile names: three cables"
has "$T/names.jsonl" '"entry":"../../escape.txt"' "hostile names: ../ kept as a name"
has "$T/names.jsonl" '"entry":"ctl\\x1b[31m\\x07.txt"' "hostile names: control characters escaped"
expect_err 'evil\x1b]0;title\x07link: a symbolic link skipped' "hostile names: the link skipped, escaped"
if LC_ALL=C grep -q "$(printf '\033')" "$T/err"; then fail "hostile names: an escape character reached stderr"; fi
[ ! -e "$T/escape.txt" ] && [ ! -e "$T/deep/escape.txt" ] && [ ! -e /abs/olute.txt ] ||
  fail "hostile names: a file was written from an entry name"

# --- A corrupt entry in the middle of a zip: the others converted, the
# error names the entry, exit 1.
(cd "$T/in" && bsdtar -cf "$T/good.zip" --format zip cable/05XXTEST517.txt \
  cable/08XXTEST412.txt cable/07XXTEST2213.txt cable/73XXTEST792.txt)
$GEN corrupt-zip "$T/good.zip" "$T/bad.zip" cable/08XXTEST412.txt
run convert -q -t jsonl -o "$T/bad.jsonl" "$T/bad.zip"
expect_status 1 "corrupt zip entry"
expect_err "cablex: $T/bad.zip(cable/08XXTEST412.txt): corrupt entry: " "corrupt zip entry: named"
expect_ids "$T/bad.jsonl" "05XXTEST517 07XXTEST2213 73XXTEST792" "corrupt zip entry: the others"
run_in "$T/bad.zip" convert -q -t jsonl -o "$T/bad-stdin.jsonl" -
expect_status 1 "corrupt zip entry on stdin"
expect_err "cablex: -(cable/08XXTEST412.txt): corrupt entry: " "corrupt zip entry on stdin: named"
expect_ids "$T/bad-stdin.jsonl" "05XXTEST517 07XXTEST2213 73XXTEST792" "corrupt zip entry on stdin: the others"

# --- A tar.gz whose gzip breaks in the middle: the entries before it are
# converted, the error names the bundle and says where.
(cd "$T/in" && bsdtar -cf - cable/05XXTEST517.txt cable/08XXTEST412.txt cable/07XXTEST2213.txt) |
  gzip -9 >"$T/cut.tar.gz"
head -c $(($(wc -c <"$T/cut.tar.gz") * 2 / 3)) "$T/cut.tar.gz" >"$T/cut2.tar.gz"
run convert -q -t jsonl -o "$T/cut.jsonl" "$T/cut2.tar.gz"
expect_status 1 "truncated tar.gz"
expect_err "cablex: $T/cut2.tar.gz" "truncated tar.gz: named"
expect_err "truncated gzip data" "truncated tar.gz: says why"
has "$T/cut.jsonl" '"id":"05XXTEST517"' "truncated tar.gz: the entry before the cut"
finish
