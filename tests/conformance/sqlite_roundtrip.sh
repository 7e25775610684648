#!/bin/sh
# sqlite_roundtrip.sh CABLEX SHARED_DIR TMP - conformance: a make-corpus
# tar.gz of real cables (../shared/tools/make-corpus, raw layout) -> sqlite
# -> JSON Lines equals the tar.gz -> JSON Lines byte for byte (source left
# out: it names the reader and the path); every cable is a row and the FTS
# index passes SQLite's integrity check.  Exit 77 (skipped) when the shared
# corpus, its tools or the sqlite3 shell are not there.
set -u
cablex=$1 shared=$2 tmp=$3
mc=$shared/tools/make-corpus
if [ ! -x "$mc" ] || [ ! -d "$shared/corpus" ]; then
  echo "SKIP: $shared/corpus or tools/make-corpus not found"
  exit 77
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not found"; exit 77; }
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg" TMPDIR="$tmp"
"$mc" --count 1000 --layout raw --pack tar.gz "$tmp/c.tar.gz" >/dev/null 2>&1 || {
  echo "FAIL: make-corpus"
  exit 1
}
"$cablex" convert -q -t jsonl -o "$tmp/direct.jsonl" "$tmp/c.tar.gz" || exit 1
"$cablex" convert -q -t sqlite -o "$tmp/c.db" "$tmp/c.tar.gz" || exit 1
"$cablex" convert -q -t jsonl -o "$tmp/back.jsonl" "$tmp/c.db" || exit 1
sed 's/,"source":{[^}]*}//' "$tmp/direct.jsonl" >"$tmp/a"
sed 's/,"source":{[^}]*}//' "$tmp/back.jsonl" >"$tmp/b"
n=$(wc -l <"$tmp/a")
rows=$(sqlite3 "$tmp/c.db" 'SELECT count(*) FROM cables')
echo "cables: $n, rows: $rows"
[ "$n" -ge 1000 ] && [ "$rows" = "$n" ] || { echo "FAIL: rows"; exit 1; }
cmp "$tmp/a" "$tmp/b" || { echo "FAIL: make-corpus tar.gz -> sqlite -> jsonl differs"; exit 1; }
sqlite3 "$tmp/c.db" "INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')" || {
  echo "FAIL: FTS integrity check"
  exit 1
}
# the index (built on a thread of its own, then copied in) answers as one
# rebuilt by SQLite from the tables does
cat >"$tmp/q.sql" <<'SQL'
SELECT count(*), sum(rowid) FROM cable_fts WHERE cable_fts MATCH 'NEAR(embassy minister, 5)';
SELECT group_concat(id) FROM (SELECT id FROM cable_fts WHERE cable_fts MATCH 'subject:visit OR summary:talks' ORDER BY rank, rowid LIMIT 20);
SELECT snippet(cable_fts, 3, '[', ']', '...', 8) FROM cable_fts WHERE cable_fts MATCH 'ministry' ORDER BY rank, rowid LIMIT 3;
SELECT count(*), sum(rowid) FROM cable_fts WHERE cable_fts MATCH 'the';
SELECT * FROM cable_fts_docsize;
SQL
cp "$tmp/c.db" "$tmp/r.db"
sqlite3 "$tmp/r.db" "INSERT INTO cable_fts(cable_fts) VALUES('rebuild')" || exit 1
sqlite3 "$tmp/c.db" <"$tmp/q.sql" >"$tmp/qa" && sqlite3 "$tmp/r.db" <"$tmp/q.sql" >"$tmp/qb" || exit 1
[ "$(wc -l <"$tmp/qa")" -gt "$n" ] || { echo "FAIL: FTS queries gave too little"; exit 1; }
cmp "$tmp/qa" "$tmp/qb" || { echo "FAIL: the FTS index differs from a rebuilt one"; exit 1; }
[ -z "$(find "$tmp" -maxdepth 1 -name 'cablex-sqlite.*')" ] || { echo "FAIL: temporary file left"; exit 1; }
echo "sqlite round trip: $n cables byte for byte"
