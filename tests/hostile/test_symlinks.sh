# test_symlinks.sh - a directory input does not follow symbolic links unless
# asked (issue 12, case 14): a link to a file anywhere (/etc/shadow) was
# converted into the output.  Links, FIFOs and devices are reported as
# skipped, not passed over without a word; --follow-symlinks follows links
# (a link to a directory above it is a loop, skipped).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/d/sub" "$T/outside"
cp "$GOOD" "$T/d/a.txt"
cp "$CX_SRC/samples/08XXTEST412.txt" "$T/outside/secret.txt"
ln -s "$T/outside/secret.txt" "$T/d/link.txt"
ln -s "$T/outside" "$T/d/linkdir"
ln -s .. "$T/d/sub/up"
mkfifo "$T/d/fifo.txt" 2>/dev/null || : >"$T/d/fifo.txt"

run convert -t jsonl -o "$T/o.jsonl" "$T/d"
expect_status 0 "links in a directory"
[ "$(json_field "$T/o.jsonl" id)" = "$GOOD_ID" ] || fail "links in a directory: a link was followed"
expect_err "$T/d/link.txt: skipped: a symbolic link (--follow-symlinks follows links)" "a link to a file: said"
expect_err "$T/d/linkdir: skipped: a symbolic link" "a link to a directory: said"
if [ -p "$T/d/fifo.txt" ]; then
  expect_err "$T/d/fifo.txt: skipped: a FIFO, not a regular file" "a FIFO: said"
  expect_err "1 converted, 0 failed, 4 skipped" "links and a FIFO: counted as skipped"
fi

# --follow-symlinks: the file links are read, a link to a directory above is not a loop
run convert -t jsonl -o "$T/f.jsonl" --follow-symlinks "$T/d"
expect_status 0 "--follow-symlinks"
lines "$T/f.jsonl" 3 "--follow-symlinks: a.txt, link.txt, linkdir/secret.txt"
expect_err "$T/d/sub/up: skipped: a symbolic link to a directory above it" "--follow-symlinks: a loop said"

# a link named on the command line is read as named
run convert -t jsonl -o "$T/n.jsonl" "$T/d/link.txt"
expect_status 0 "a link named on the command line"
lines "$T/n.jsonl" 1 "a link named on the command line: read"
finish
