# test_fuzz.sh - damaged bundles of every kind (seeded mutants: flipped,
# overwritten, cut and duplicated bytes): no crash, hang or sanitizer
# report; a failure is an exit status of 1 with a named error, and what
# came out is valid JSON Lines.
. "$(dirname "$0")/lib.sh"

(
  cd "$T/in"
  bsdtar -cf "$T/m.tar" --format ustar cable
  bsdtar -czf "$T/m.tar.gz" cable
  bsdtar -cJf "$T/m.tar.xz" cable
  bsdtar -cf "$T/m.zip" --format zip cable
  bsdtar -cf "$T/m.7z" --format 7zip cable
  bsdtar -cf "$T/m.cpio" --format newc cable
  cd cable && bsdtar -cf "$T/m.ar" --format ar ./*.txt
)
mkdir -p "$T/mut"
seed=1
for kind in tar tar.gz tar.xz zip 7z cpio ar; do
  $GEN mutants "$T/m.$kind" "$T/mut" 30 "$seed"
  seed=$((seed + 1))
done
n=0
failed=0
for f in "$T"/mut/*; do
  n=$((n + 1))
  # every other one through a pipe (the spool, for zip and 7z)
  if [ $((n % 2)) = 0 ]; then
    run_in "$f" convert -q -t jsonl -o "$T/m.jsonl" -
  else
    run convert -q -t jsonl -o "$T/m.jsonl" "$f"
  fi
  case $status in
  0) ;;
  1)
    failed=$((failed + 1))
    grep -q '^cablex: ' "$T/err" || fail "$f: exit 1 without a message"
    ;;
  *) fail "$f: exit status $status" ;;
  esac
  if [ -s "$T/m.jsonl" ]; then
    $CX_PYTHON -c 'import json, sys
for l in open(sys.argv[1], encoding="utf-8"): json.loads(l)' "$T/m.jsonl" 2>/dev/null ||
      fail "$f: output is not JSON Lines"
  fi
  rm -f "$T/m.jsonl"
done
[ "$n" = 210 ] || fail "expected 210 mutants, ran $n"
# the damage must be real: many mutants are refused
[ "$failed" -ge 50 ] || fail "only $failed of $n mutants failed: is the damage reaching the readers?"
echo "$failed of $n damaged bundles failed, cleanly"
finish
