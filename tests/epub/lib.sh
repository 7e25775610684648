# lib.sh - helpers of the tests/epub scripts: usage NAME.sh CABLEX SRC TMP.
set -u
CABLEX=$1
SRC=$2
T=$3
rm -rf "$T"
mkdir -p "$T"
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH
unset SOURCE_DATE_EPOCH
. "$SRC/tests/lib/checks.sh"

# run ARGS...: runs cablex; stdout in $T/out, stderr in $T/err, status in $status.
run() {
  "$CABLEX" "$@" >"$T/out" 2>"$T/err"
  status=$?
}

EPUBCHECK_JAR=/usr/share/java/epubcheck.jar
have_epubcheck() {
  command -v java >/dev/null 2>&1 && [ -f "$EPUBCHECK_JAR" ]
}

# epubcheck FILE WHAT: 0 errors and 0 warnings (nothing when it is missing).
epubcheck() {
  have_epubcheck || return 0
  # A short-lived JVM: client compiler and serial GC halve its start-up cost.
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$EPUBCHECK_JAR" "$1" >"$T/check" 2>&1
  if [ $? -ne 0 ] || ! grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$T/check"; then
    fail "$2: epubcheck"
    grep -E '^(ERROR|WARNING|FATAL)' "$T/check" | sed -n '1,10s/^/  /p'
  fi
}

# same_cables A.jsonl B.jsonl WHAT: the same cables, `source` left out.
same_cables() {
  sed 's/"source":{[^}]*}//' "$1" >"$T/ca"
  sed 's/"source":{[^}]*}//' "$2" >"$T/cb"
  cmp -s "$T/ca" "$T/cb" || fail "$3: the cables differ"
}
