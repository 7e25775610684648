# test_dirs.sh - directory inputs holding what cannot be read: a dangling
# symlink, a symlink loop, a file that fails to read (EIO), a FIFO, and
# (when not root, who reads everything) a chmod 000 file and directory.
. "$(dirname "$0")/lib.sh"

D=$T/in
mkdir -p "$D/sub"
cp "$GOOD" "$D/a.txt"
sed 's/XXTEST 000517/XXTEST 000518/' "$GOOD" >"$D/sub/z.txt"
ln -s missing.txt "$D/dangling.txt"
ln -s loop2.txt "$D/loop1.txt"
ln -s loop1.txt "$D/loop2.txt"
ln -s .. "$D/sub/up" # a link to a directory above it: a loop, skipped
expected_failed=3
# A file that opens but cannot be read: /proc/self/mem fails with EIO at 0.
eio=0
if [ -r /proc/self/mem ] && ! cat /proc/self/mem >/dev/null 2>&1; then
  ln -s /proc/self/mem "$D/mem.txt"
  eio=1
  expected_failed=$((expected_failed + 1))
fi
# A FIFO would block a reader forever: a directory walk skips it, saying so.
fifo=0
if mkfifo "$D/fifo.txt" 2>/dev/null; then fifo=1; fi
# Unreadable file and directory (root reads them anyway: then not checked).
printf 'secret\n' >"$D/locked.txt"
chmod 000 "$D/locked.txt"
mkdir -p "$D/closed"
cp "$GOOD" "$D/closed/c.txt"
chmod 000 "$D/closed"
locked=0
if ! cat "$D/locked.txt" >/dev/null 2>&1; then
  locked=1
  expected_failed=$((expected_failed + 2))
else
  echo "running as root: chmod 000 checks skipped"
  chmod 755 "$D/closed"
  rm -rf "$D/locked.txt" "$D/closed"
fi

# Links are followed only when asked (test_symlinks.sh): asked here.
run convert -t jsonl -o "$T/out.jsonl" --follow-symlinks "$D"
expect_status 1 "a directory with unreadable entries"
expect_err "cablex: $D/dangling.txt: cannot open: No such file or directory" "dangling symlink named"
expect_err "cablex: $D/loop1.txt: cannot open: Too many levels of symbolic links" "symlink loop named"
expect_err "cablex: $D/loop2.txt: cannot open: Too many levels of symbolic links" "symlink loop named (other end)"
if [ "$eio" = 1 ]; then
  expect_err "cablex: $D/mem.txt: read error: Input/output error" "read error named"
fi
if [ "$locked" = 1 ]; then
  expect_err "cablex: $D/locked.txt: cannot open: Permission denied" "unreadable file named"
  expect_err "cablex: $D/closed: cannot read directory: Permission denied" "unreadable directory named"
fi
expect_err "cablex: 2 converted, $expected_failed failed, $((1 + fifo)) skipped" "summary"
[ "$(json_field "$T/out.jsonl" id | tr '\n' ' ')" = "05XXTEST517 05XXTEST518 " ] ||
  fail "the readable cables converted: $(json_field "$T/out.jsonl" id | tr '\n' ' ')"
expect_err "cablex: warning: $D/sub/up: skipped: a symbolic link to a directory above it" "a loop skipped"
if [ "$fifo" = 1 ]; then
  expect_err "cablex: warning: $D/fifo.txt: skipped: a FIFO, not a regular file" "a FIFO in a directory: skipped, said"
fi
no_temp "$T" "a directory with unreadable entries"

# The same entries named on the command line, between good inputs.
run convert -t jsonl -o "$T/named.jsonl" "$D/a.txt" "$D/dangling.txt" "$D/loop1.txt" "$D/sub/z.txt"
expect_status 1 "unreadable inputs named"
expect_err "cablex: $D/dangling.txt: cannot open: No such file or directory" "dangling symlink named on the command line"
expect_err "cablex: $D/loop1.txt: cannot open: Too many levels of symbolic links" "symlink loop named on the command line"
expect_err "2 converted, 2 failed, 0 skipped" "unreadable inputs named: summary"
lines "$T/named.jsonl" 2 "unreadable inputs named: the others converted"
# A directory named on the command line that does not exist, or is a loop.
run convert -t jsonl -o "$T/none.jsonl" "$T/no-such-dir/" "$D/a.txt"
expect_status 1 "a missing directory input"
expect_err "cablex: $T/no-such-dir/: cannot open: No such file or directory" "a missing directory input named"
lines "$T/none.jsonl" 1 "a missing directory input: the other converted"

finish
