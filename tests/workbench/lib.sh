# lib.sh - helpers sourced by tests/workbench/test_*.sh (POSIX sh).  ctest
# sets CABLEX (the binary), CX_TMP (this test's scratch dir) and CX_SRC.
set -u
: "${CABLEX:?run through ctest}" "${CX_TMP:?}" "${CX_SRC:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
cleanup() {
  [ "${CX_KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
. "$CX_SRC/tests/lib/checks.sh"
RAW_IN="$CX_SRC/samples $CX_SRC/tests/data/cli/raw $CX_SRC/tests/data/raw"

run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

expect_out() {
  grep -qF -- "$1" "$T/out" || { fail "$2: stdout lacks '$1'"; sed 's/^/  stdout: /' "$T/out"; }
}

expect_eq() {
  [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}
