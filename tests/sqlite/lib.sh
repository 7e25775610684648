# lib.sh - helpers sourced by tests/sqlite/test_*.sh (POSIX sh).  ctest sets
# CABLEX (the binary), CX_TMP (this test's scratch dir) and CX_SRC (the
# source tree).  The checks read databases with the sqlite3 shell: without
# it the tests skip (77).
set -u
: "${CABLEX:?run through ctest}" "${CX_TMP:?}" "${CX_SRC:?}"
command -v sqlite3 >/dev/null 2>&1 || {
  echo "SKIP: sqlite3 not found (Debian: sqlite3)"
  exit 77
}
T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
cleanup() {
  [ "${CX_KEEP:-0}" = 1 ] || { chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"; }
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$T/xdg"
# the copies of databases read from or written to a stream go here
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
unset CABLEX_PLUGIN_PATH
. "$CX_SRC/tests/lib/checks.sh"
RAW_IN="$CX_SRC/samples $CX_SRC/tests/data/cli/raw $CX_SRC/tests/data/raw"

# run ARGS...: cablex; stdout in $T/out, stderr in $T/err, status in $status.
run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

# q DB SQL: the sqlite3 shell's answer.
q() {
  sqlite3 -batch "$1" "$2"
}

# without_source FILE: JSON Lines with the source member left out (it names
# the reader and the path of the run that read the cable).
without_source() {
  sed 's/,"source":{[^}]*}//' "$1"
}

# expect_eq GOT WANTED WHAT
expect_eq() {
  [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}
