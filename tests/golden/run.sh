#!/bin/sh
# Golden tests, jq/curl style: each folder tests/data/golden/CASE holds
#   args      the cablex arguments, one per line (run from inside CASE)
#   stdin     optional: fed to cablex on standard input
#   expected  what cablex must print on standard output, byte for byte
#   status    optional: the exit status (default 0)
# usage: run.sh CABLEX GOLDEN_DIR [CASE...]     (all cases when none given)
# With CABLEX_GOLDEN_UPDATE=1 it rewrites `expected` instead of comparing:
# review the diff before committing.
set -u
cablex=$1
dir=$2
shift 2
case "$cablex" in /*) ;; *) cablex=$(pwd)/$cablex ;; esac
[ $# -gt 0 ] || set -- $(cd "$dir" && ls)
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for case in "$@"; do
  c="$dir/$case"
  want_status=0
  [ -f "$c/status" ] && want_status=$(cat "$c/status")
  # arguments one per line, so that they may hold spaces
  set --
  while IFS= read -r a || [ -n "$a" ]; do set -- "$@" "$a"; done < "$c/args"
  if [ -f "$c/stdin" ]; then
    (cd "$c" && "$cablex" "$@" < stdin > "$tmp/out" 2> "$tmp/err")
  else
    (cd "$c" && "$cablex" "$@" < /dev/null > "$tmp/out" 2> "$tmp/err")
  fi
  status=$?
  if [ "${CABLEX_GOLDEN_UPDATE:-}" = 1 ]; then
    if [ "$status" != "$want_status" ]; then
      echo "NOT updated $case: exit status $status, expected $want_status"; cat "$tmp/err"; fail=1
      continue
    fi
    cp "$tmp/out" "$c/expected"
    echo "updated $case (status $status)"
    continue
  fi
  if [ "$status" != "$want_status" ]; then
    echo "FAIL $case: exit status $status, expected $want_status"; cat "$tmp/err"; fail=1
  elif ! cmp -s "$tmp/out" "$c/expected"; then
    echo "FAIL $case: output differs from expected"
    diff "$c/expected" "$tmp/out" | head -40
    fail=1
  else
    echo "ok   $case"
  fi
done
exit $fail
