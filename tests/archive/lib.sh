# lib.sh - helpers sourced by the tests/archive/test_*.sh scripts (POSIX sh):
# whole bundles through the built cablex.  ctest sets CABLEX (the binary),
# CX_TMP (a scratch dir of this test, removed at the end), CX_SRC (the
# source tree, for samples/) and CX_PYTHON (a python3).  Bundles are built
# at test time with bsdtar and gen.py; set CX_KEEP=1 to keep the scratch dir.
set -u
: "${CABLEX:?run through ctest}" "${CX_TMP:?}" "${CX_SRC:?}" "${CX_PYTHON:?}"

T=$CX_TMP
rm -rf "$T"
mkdir -p "$T"
cleanup() {
  [ "${CX_KEEP:-0}" = 1 ] || { chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"; }
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/checks.sh"
GEN="$CX_PYTHON $HERE/gen.py"

command -v bsdtar >/dev/null || { echo "bsdtar missing (Debian: libarchive-tools): skipped"; exit 77; }

# The four samples as cable/NAME.txt under $T/in, and their ids sorted.
mkdir -p "$T/in/cable"
cp "$CX_SRC"/samples/*.txt "$T/in/cable/"
IDS="05XXTEST517 07XXTEST2213 08XXTEST412 73XXTEST792"

# Bundles need the pipeline's bundle support (-t KIND:WRITER); skip before it.
(cd "$T/in" && bsdtar -cf "$T/probe.tar" cable)
if ! "$CABLEX" convert -q -t tar:raw -o "$T/probe-out.tar" "$T/probe.tar" >/dev/null 2>&1; then
  echo "this cablex cannot convert bundles (cablex convert -t tar:raw): skipped"
  exit 77
fi

# run ARGS...: cablex with a time limit (a hang bound, not a speed check);
# stdout in $T/out, stderr in $T/err, exit status in $status.
run() {
  run_in /dev/null "$@"
}
run_in() {
  f=$1
  shift
  timeout -k 5 300 "$CABLEX" "$@" <"$f" >"$T/out" 2>"$T/err"
  status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    fail "$*: timed out (a hang?)"
  elif [ "$status" -ge 128 ]; then
    fail "$*: killed by signal $((status - 128)) (a crash)"
  fi
  if grep -qE 'Sanitizer|runtime error:' "$T/err"; then fail "$*: sanitizer report"; fi
}

# ids FILE: the ids of a JSON Lines file, sorted, on one line.
ids() {
  $CX_PYTHON -c '
import json, sys
print(" ".join(sorted(json.loads(l)["id"] for l in open(sys.argv[1], encoding="utf-8") if l.strip())))
' "$1"
}

# expect_ids FILE "ID..." WHAT
expect_ids() {
  got=$(ids "$1" 2>&1)
  [ "$got" = "$2" ] || fail "$3: ids '$got', expected '$2'"
}

# lines FILE N WHAT: FILE has exactly N lines.
lines() {
  n=$(wc -l <"$1" 2>/dev/null || echo missing)
  [ "$n" = "$2" ] || fail "$3: $1 has $n lines, expected $2"
}

has() {
  grep -qF -- "$2" "$1" 2>/dev/null || fail "$3: $1 lacks '$2'"
}
