# test_walkthrough.sh - the README's walk-through ("A walk-through: search,
# count, enrich, check") runs as written, every command succeeding, on the
# sample cables and a corpus.tar.gz: made with ../shared/tools/make-corpus
# when it is there, else a tar.gz of the samples and fixtures.
. "$(dirname "$0")/lib.sh"

for tool in sqlite3 xmllint tar; do
  command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not found"; exit 77; }
done
mkdir -p "$T/bin" "$T/work"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$CABLEX" >"$T/bin/cablex"
chmod +x "$T/bin/cablex"
awk '/^## A walk-through/ { on = 1 } on && /^```sh/ { code = 1; next } code && /^```/ { exit }
     code { print }' "$CX_SRC/README.md" >"$T/walk.sh"
[ "$(grep -c '^cablex ' "$T/walk.sh")" -ge 8 ] || fail "README: walk-through not found"
cd "$T/work" || exit 1
ln -s "$CX_SRC/samples" samples
ln -s "$CX_SRC/examples" examples
mc=$CX_SRC/../shared/tools/make-corpus
if [ -x "$mc" ]; then
  "$mc" --count 300 --layout raw --pack tar.gz corpus.tar.gz >/dev/null 2>&1 || fail "make-corpus"
else
  tar -czf corpus.tar.gz -C "$CX_SRC" samples tests/data/cli/raw
fi
PATH="$T/bin:$PATH" sh -e "$T/walk.sh" >"$T/out" 2>"$T/err"
status=$?
expect_status 0 "the README walk-through"
[ -s years.svg ] || fail "walk-through: no chart"
expect_eq "$(sqlite3 samples.db 'SELECT count(*) FROM cables')" "4" "walk-through: samples.db"
finish
