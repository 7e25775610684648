# lib.sh - helpers sourced by the tests/cli/test_*.sh end-to-end scripts.
# ctest sets CABLEX (the binary), CX_TEST_GOOD_DIR / CX_TEST_BAD_DIR (test
# plugins), CX_DATA (tests/data/cli) and CX_TMP (a scratch dir of this test).
set -u
: "${CABLEX:?run through ctest}" "${CX_TEST_GOOD_DIR:?}" "${CX_TEST_BAD_DIR:?}" "${CX_DATA:?}" "${CX_TMP:?}"

T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
# Only the plugins a test names, and the build tree's own: no user plugins.
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
. "$(dirname "$0")/../lib/checks.sh"
GOOD=$CX_TEST_GOOD_DIR
BAD=$CX_TEST_BAD_DIR

# run ARGS...: runs cablex; stdout in $T/out, stderr in $T/err, status in $status.
run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

# run_in INPUT_FILE ARGS...: the same with stdin from INPUT_FILE.
run_in() {
  f=$1
  shift
  "$CABLEX" "$@" <"$f" >"$T/out" 2>"$T/err"
  status=$?
}

# expect_no_err TEXT WHAT / expect_out TEXT WHAT: a fixed string not in stderr / in stdout.
expect_no_err() {
  if grep -qF -- "$1" "$T/err"; then fail "$2: stderr has '$1'"; fi
}
expect_out() {
  grep -qF -- "$1" "$T/out" || { fail "$2: stdout lacks '$1'"; sed 's/^/  stdout: /' "$T/out"; }
}

# same FILE EXPECTED_TEXT WHAT: the file holds exactly that text.
same() {
  printf '%s' "$2" >"$T/expected"
  cmp -s "$1" "$T/expected" || {
    fail "$3: $1 differs"
    diff "$T/expected" "$1" | sed 's/^/  /'
  }
}

# plugin_loaded NAME: the build tree's plugin NAME is there (else skip tests of it).
plugin_loaded() {
  "$CABLEX" plugins 2>/dev/null | awk -v n="$1" '$1 == n && $NF == "loaded" { ok = 1 } END { exit !ok }'
}

