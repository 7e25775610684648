# checks.sh - the assertions shared by tests/cli/lib.sh and tests/hostile/lib.sh
# (POSIX sh).  Each script's lib.sh sets T (its scratch dir) and runs cablex,
# leaving stderr in $T/err and the exit status in $status.
fails=0
status=0

fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# expect_status CODE WHAT: the last run exited with CODE.
expect_status() {
  if [ "$status" -ne "$1" ]; then
    fail "$2: exit status $status, expected $1"
    sed -n '1,20s/^/  stderr: /p' "$T/err"
  fi
}

# expect_err TEXT WHAT: a fixed string in stderr.
expect_err() {
  grep -qF -- "$1" "$T/err" || {
    fail "$2: stderr lacks '$1'"
    sed -n '1,20s/^/  stderr: /p' "$T/err"
  }
}

# no_temp DIR WHAT: no temporary output (".NAME.XXXXXX") left in DIR.
no_temp() {
  left=$(find "$1" -maxdepth 1 -name '.*.??????' | head -n 5)
  [ -z "$left" ] || fail "$2: temporary files left: $left"
}

finish() {
  if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
