# test_parallel.sh - the recipe of doc/parallel.md: N processes, each taking
# --shard K/N of the same input, merged, equal a single run (JSON Lines: the
# same lines once sorted in byte order; tar.gz bundles: the same files once
# extracted).  Runs the shell-loop form; runs GNU parallel too when it is
# installed.
. "$(dirname "$0")/lib.sh"

D=$CX_DATA/../select
cd "$T" || exit 1
export LC_ALL=C

# The input: a tar.gz bundle of raw cables when the archive plugin is there
# (the recipe's corpus.tar.gz), else the JSON Lines fixture itself.
if plugin_loaded archive; then
  input=corpus.tar.gz
  "$CABLEX" convert -q -f json -t tar.gz:raw -o "$input" "$D/cables.jsonl" || fail "making $input"
else
  echo "archive plugin not loaded: the recipe runs on JSON Lines"
  input=cables.jsonl
  cp "$D/cables.jsonl" "$input"
fi

"$CABLEX" convert -q -t json -o single.jsonl "$input"
[ $? -eq 0 ] || fail "single run"
sort single.jsonl >single.sorted
[ "$(wc -l <single.sorted)" -eq 67 ] || fail "single run: $(wc -l <single.sorted) cables, expected 67"

# merged_equals N WHAT: part-1..N.jsonl together equal the single run.
merged_equals() {
  cat $(k=1; while [ "$k" -le "$1" ]; do echo "part-$k.jsonl"; k=$((k + 1)); done) | sort >merged.sorted
  cmp -s merged.sorted single.sorted || {
    fail "$2: merged parts differ from the single run"
    diff merged.sorted single.sorted | head -n 5 | sed 's/^/  /'
  }
  # and no part is empty or the whole (the split really happened)
  k=1
  while [ "$k" -le "$1" ]; do
    n=$(wc -l <"part-$k.jsonl")
    { [ "$n" -gt 0 ] && [ "$n" -lt 67 ]; } || fail "$2: part $k has $n cables"
    k=$((k + 1))
  done
  rm -f part-*.jsonl
}

# The shell-loop form of the recipe, as doc/parallel.md gives it.
for k in 1 2 3 4; do
  "$CABLEX" convert -q -j 1 --shard "$k/4" -t json -o "part-$k.jsonl" "$input" &
done
wait
merged_equals 4 "shell loop, 4 shards"

# Each part with several workers, and another N: the same.
for k in 1 2 3; do
  "$CABLEX" convert -q -j 3 --shard "$k/3" -t json -o "part-$k.jsonl" "$input" &
done
wait
merged_equals 3 "shell loop, 3 shards of -j 3"

# Bundles out: the parts' entries, extracted together, are the single run's.
if plugin_loaded archive; then
  "$CABLEX" convert -q -t tar.gz:raw -o single.tar.gz "$input" || fail "single bundle"
  for k in 1 2 3; do
    "$CABLEX" convert -q --shard "$k/3" -t tar.gz:raw -o "part-$k.tar.gz" "$input" &
  done
  wait
  mkdir one many
  tar -xf single.tar.gz -C one || fail "extracting the single bundle"
  for k in 1 2 3; do
    tar -xf "part-$k.tar.gz" -C many || fail "extracting part $k"
  done
  [ "$(find one -type f | wc -l)" -eq 67 ] || fail "single bundle: $(find one -type f | wc -l) entries"
  diff -r one many >/dev/null || fail "bundles: the parts' files differ from the single run's"
fi

# Failures: a line that cannot be read has no id, so every part reports it.
cp "$D/bad.jsonl" bad.jsonl
"$CABLEX" convert -q -t json -o single-bad.jsonl --errors single-errors.jsonl bad.jsonl 2>/dev/null
[ $? -eq 1 ] || fail "single run of bad.jsonl: exit 1"
for k in 1 2; do
  "$CABLEX" convert -q --shard "$k/2" -t json -o "part-$k.jsonl" --errors "errors-$k.jsonl" bad.jsonl 2>/dev/null
  [ $? -eq 1 ] || fail "part $k of bad.jsonl: exit 1"
done
cat part-1.jsonl part-2.jsonl | sort | cmp -s - "$(sort single-bad.jsonl >s && echo s)" ||
  fail "bad.jsonl: merged parts differ from the single run"
cat errors-1.jsonl errors-2.jsonl | sort -u | cmp -s - "$(sort single-errors.jsonl >e && echo e)" ||
  fail "bad.jsonl: the parts' reports, duplicates removed, differ from the single run's"
rm -f part-*.jsonl

# GNU parallel itself, when installed (moreutils has another 'parallel').
if parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
  CABLEX_BIN=$CABLEX
  export CABLEX_BIN
  parallel -j 4 '"$CABLEX_BIN" convert -q -j 1 --shard {}/4 -t json -o part-{}.jsonl '"$input" ::: 1 2 3 4 ||
    fail "GNU parallel run"
  merged_equals 4 "GNU parallel, 4 shards"
  # the several-hosts form, with the local machine (:) as the only host
  parallel --sshlogin 1/: --basefile "$input" --return part-{}.jsonl --cleanup \
    '"$CABLEX_BIN" convert -q -j 0 --shard {}/6 -t json -o part-{}.jsonl '"$input" ::: 1 2 3 4 5 6 \
    2>parallel.err || fail "GNU parallel --sshlogin run: $(cat parallel.err)"
  merged_equals 6 "GNU parallel --sshlogin 1/:, 6 shards"
else
  echo "GNU parallel not installed: its form of the recipe not run"
fi
finish
