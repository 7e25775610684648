# lib.sh - helpers sourced by the tests/hostile/test_*.sh scripts (POSIX sh).
# ctest sets CABLEX (the binary), CX_TMP (a scratch dir of this test, removed
# at the end), CX_SRC (the source tree, for samples/), CX_PYTHON (a python3
# with jsonschema), CX_SANITIZE (ON in an ASan+UBSan build).  Every input is
# generated here at test time; set CX_KEEP=1 to keep the scratch dir.
set -u
: "${CABLEX:?run through ctest}" "${CX_TMP:?}" "${CX_SRC:?}" "${CX_PYTHON:?}"
CX_SANITIZE=${CX_SANITIZE:-OFF}

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
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/checks.sh"
GEN="$CX_PYTHON $HERE/gen.py"
VALIDATE="$CX_PYTHON $CX_SRC/tests/tools/validate-json"
# A good cable to convert next to the bad ones; its id is GOOD_ID.
GOOD=$T/good.txt
GOOD_ID=05XXTEST517
cp "$CX_SRC/samples/05XXTEST517.txt" "$GOOD"

# A hang is a run that never ends: the bound is far above what any run
# takes even on a loaded 2-core machine (a 20 MB xml line once needed over
# 60 s there under ctest -j2), so that it never fails a slow run.  Under
# sanitizers a run is several times slower and its RSS means nothing.
RUN_TIMEOUT=300
if [ "$CX_SANITIZE" = ON ]; then
  SLOW=1
else
  SLOW=0
fi
TIMER=
[ "$SLOW" = 0 ] && [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && TIMER=/usr/bin/time

rss_kb=

# run ARGS...: runs cablex with a time limit; stdout in $T/out, stderr in
# $T/err, exit status in $status, and (when /usr/bin/time is usable) peak
# RSS in KB in $rss_kb.  A crash, a hang (RUN_TIMEOUT: a generous bound, not a
# speed check; speed is measured in bench/) or a sanitizer report is a
# failure whatever the test expects.
run() {
  run_in /dev/null "$@"
}

# run_in FILE ARGS...: the same with standard input from FILE.
run_in() {
  f=$1
  shift
  rss_kb=
  if [ -n "$TIMER" ]; then
    timeout -k 5 "$RUN_TIMEOUT" "$TIMER" -f '%M' -o "$T/time" "$CABLEX" "$@" <"$f" >"$T/out" 2>"$T/err"
    status=$?
    [ -s "$T/time" ] && rss_kb=$(tail -n 1 "$T/time")
  else
    timeout -k 5 "$RUN_TIMEOUT" "$CABLEX" "$@" <"$f" >"$T/out" 2>"$T/err"
    status=$?
  fi
  check_run "$*"
}

# check_run WHAT: no crash, hang or sanitizer report in the last run.
check_run() {
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    fail "$1: timed out after ${RUN_TIMEOUT}s (a hang?)"
  elif [ "$status" -ge 128 ]; then
    fail "$1: killed by signal $((status - 128)) (a crash)"
  fi
  if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
    fail "$1: sanitizer report"
    sed -n '1,30s/^/  stderr: /p' "$T/err"
  fi
}

# has FILE TEXT WHAT: a fixed string in FILE.
has() {
  grep -qF -- "$2" "$1" 2>/dev/null || fail "$3: $1 lacks '$2'"
}

# lacks FILE TEXT WHAT
lacks() {
  if grep -qF -- "$2" "$1" 2>/dev/null; then fail "$3: $1 has '$2'"; fi
}

# lines FILE N WHAT: FILE has exactly N lines.
lines() {
  n=$(wc -l <"$1" 2>/dev/null || echo missing)
  [ "$n" = "$2" ] || fail "$3: $1 has $n lines, expected $2"
}

# valid_json FILE WHAT: FILE validates against formats/cable.schema.json.
valid_json() {
  $VALIDATE "$1" >"$T/validate" 2>&1 || {
    fail "$2: $1 does not validate"
    sed 's/^/  /' "$T/validate"
  }
}

# json_field FILE FIELD: the value of FIELD (a top-level key) of each cable
# of a JSON Lines file, one per line; strings as they are, others as JSON,
# and "len:N" for strings with FIELD given as "len:NAME".
json_field() {
  $CX_PYTHON -c '
import json, sys
field = sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    if field.startswith("len:"):
        v = c[field[4:]]
        print("len:%d" % len(v) if isinstance(v, str) else "null")
    else:
        v = c[field]
        print(v if isinstance(v, str) else json.dumps(v))
' "$1" "$2"
}

# rss_below KB WHAT: the last run's peak RSS stayed below KB (when measured).
rss_below() {
  [ -z "$rss_kb" ] && return 0
  [ "$rss_kb" -lt "$1" ] || fail "$2: peak RSS ${rss_kb} KB, expected < $1 KB"
}


# bad_date_csv N FILE: N cablegate-layout csv rows (ids 99XXTEST1..N) whose
# dates do not parse: one warning per row.
bad_date_csv() {
  i=1
  while [ "$i" -le "$1" ]; do
    printf '"%d","1/5/2007 12:00 x","99XXTEST%d","Embassy Riga","UNCLASSIFIED","","","UNCLAS\n1. X\n"\n' $i $i
    i=$((i + 1))
  done >"$2"
}
