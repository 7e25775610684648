# lib.sh - helpers sourced by tests/xml/test_*.sh (POSIX sh).  ctest sets
# CABLEX (the binary), CX_TMP (this test's scratch dir, removed at the end),
# CX_SRC (the source tree).  Every XML these tests make is validated with
# xmllint against formats/cable.xsd; without xmllint they skip (77).
set -u
: "${CABLEX:?run through ctest}" "${CX_TMP:?}" "${CX_SRC:?}"
command -v xmllint >/dev/null 2>&1 || {
  echo "SKIP: xmllint not found (Debian: libxml2-utils)"
  exit 77
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
cleanup() {
  [ "${CX_KEEP:-0}" = 1 ] || { chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"; }
}
trap cleanup EXIT
# Only the build tree's own plugins.
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH

. "$CX_SRC/tests/lib/checks.sh"
XSD=$CX_SRC/formats/cable.xsd
RUN_TIMEOUT=${RUN_TIMEOUT:-300}

# run ARGS...: cablex with a hang bound; stdout in $T/out, stderr in $T/err,
# exit status in $status.  A crash or a hang is a failure whatever the test
# expects.
run() {
  run_in /dev/null "$@"
}

# run_in FILE ARGS...: the same with standard input from FILE.
run_in() {
  cx_stdin=$1
  shift
  timeout -k 5 "$RUN_TIMEOUT" "$CABLEX" "$@" <"$cx_stdin" >"$T/out" 2>"$T/err"
  status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    fail "$*: timed out after ${RUN_TIMEOUT}s (a hang?)"
  elif [ "$status" -ge 128 ]; then
    fail "$*: killed by signal $((status - 128)) (a crash)"
  fi
  if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
    fail "$*: sanitizer report"
    sed -n '1,30s/^/  stderr: /p' "$T/err"
  fi
}

# valid_xml FILE WHAT: FILE validates against formats/cable.xsd.
valid_xml() {
  xmllint --noout --schema "$XSD" "$1" >"$T/validate" 2>&1 || {
    fail "$2: $1 does not validate"
    sed -n '1,10s/^/  /p' "$T/validate"
  }
}

# has FILE TEXT WHAT / lacks FILE TEXT WHAT: a fixed string in FILE or not.
has() {
  grep -qF -- "$2" "$1" 2>/dev/null || fail "$3: $1 lacks '$2'"
}
lacks() {
  if grep -qF -- "$2" "$1" 2>/dev/null; then fail "$3: $1 has '$2'"; fi
}

# without_source FILE: a JSON Lines file with each cable's "source" removed
# (it names the reader and the input path), one canonical line per cable.
without_source() {
  $PY -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    c.pop("source", None)
    print(json.dumps(c, ensure_ascii=False, sort_keys=False))
' "$1"
}

# ids FILE: the id of each cable of a JSON Lines file, space-separated.
ids() {
  $PY -c '
import json, sys
print(" ".join(json.loads(l)["id"] or "null" for l in open(sys.argv[1], encoding="utf-8")))
' "$1"
}
