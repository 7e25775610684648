# test_dirs.sh - directory inputs (stable strcmp order, recursion, links
# followed with --follow-symlinks but not into a loop, hidden files left out,
# stray files skipped) and
# directory outputs (one file per cable, safe unique names).
. "$(dirname "$0")/lib.sh"

D=$T/in
mkdir -p "$D/sub" "$D/a-dir"
# Created in an order unlike the expected one; strcmp puts 'Z' before 'a'.
printf '05E b-cable\n' >"$D/b.lines"
printf '02B sub-cable\n' >"$D/sub/c.lines"
printf '01A a-cable\n' >"$D/a.lines"
printf '03C a-dir-cable\n' >"$D/a-dir/x.lines"
printf '04D zed\n' >"$D/Z.lines"
printf '99X hidden\n' >"$D/.hidden.lines"
printf 'just some notes\n' >"$D/readme.md"
ln -s .. "$D/sub/loop"          # a link to a directory above it: skipped
ln -s ../b.lines "$D/sub/b-link.lines" # a symlink to a file is read (--follow-symlinks)

run --plugin-dir "$GOOD" convert -t upper --follow-symlinks "$D"
expect_status 0 "directory input (a stray file is skipped, not failed)"
same "$T/out" "04D|04D ZED
03C|03C A-DIR-CABLE
01A|01A A-CABLE
05E|05E B-CABLE
05E|05E B-CABLE
02B|02B SUB-CABLE
" "directory order: Z.lines a-dir/ a.lines b.lines sub/b-link sub/c"
expect_err "cablex: warning: $D/readme.md: skipped: no input plugin recognises it" "stray file reported"
expect_err "6 converted, 0 failed, 2 skipped" "summary counts the skipped file and the loop"
grep -q 99X "$T/out" && fail "hidden file read"

# The same order twice (stable), and with a trailing slash.
cp "$T/out" "$T/first"
run --plugin-dir "$GOOD" convert -t upper --follow-symlinks "$D/"
cmp -s "$T/out" "$T/first" || fail "directory order is not stable"

# Directory output: one file per cable, named after the id.
printf '99XXTEST412 one\n99XXTEST412 same id again\n../../etc/passwd evil\n.hidden x\n' >"$T/ids.lines"
run --plugin-dir "$GOOD" convert -t upper -o "$T/out-dir/" "$T/ids.lines" "$D/a.lines"
expect_status 0 "directory output"
[ -d "$T/out-dir" ] || fail "directory output created"
(cd "$T/out-dir" && LC_ALL=C ls -A) >"$T/listing"
same "$T/listing" "01A.up
99XXTEST412-2.up
99XXTEST412.up
_._.._etc_passwd.up
_hidden.up
" "per-cable names: sanitized, unique"
same "$T/out-dir/99XXTEST412.up" "99XXTEST412|99XXTEST412 ONE
" "first cable of an id"
same "$T/out-dir/99XXTEST412-2.up" "99XXTEST412|99XXTEST412 SAME ID AGAIN
" "second cable of the same id"
[ -e "$T/etc/passwd.up" ] && fail "an id escaped the output directory"

# An existing directory without trailing slash is a directory output too;
# a cable without id is named after its input.
mkdir -p "$T/existing"
printf '#lines\n' >"$T/noid.lines"
printf ' leading blank makes an empty id\n' >>"$T/noid.lines"
run --plugin-dir "$GOOD" convert -t upper -o "$T/existing" "$T/noid.lines"
expect_status 0 "existing directory output"
[ -f "$T/existing/noid.up" ] || fail "cable without id named after its input: $(ls -A "$T/existing")"
no_temp "$T/existing" "directory output"

# A failing cable in directory mode leaves no file for it.
run --plugin-dir "$GOOD" convert -t upper -O reject=01A -o "$T/rej/" "$D"
expect_status 1 "rejected cable in directory mode"
[ -e "$T/rej/01A.up" ] && fail "rejected cable left a file"
[ -f "$T/rej/05E.up" ] || fail "other cables written in directory mode"
no_temp "$T/rej" "rejected cable in directory mode"

finish
