# test_append.sh - converting into an existing database adds cables; a cable
# whose id is already there is replaced (reported on stderr, exit 0) and the
# full-text index follows; the schema, views and indexes are there.
. "$(dirname "$0")/lib.sh"

S=$CX_SRC/samples
run convert -q -t sqlite -o "$T/c.db" "$S/05XXTEST517.txt" "$S/07XXTEST2213.txt"
expect_status 0 "first run"
expect_eq "$(q "$T/c.db" 'PRAGMA user_version')" "1" "schema version"
expect_eq "$(q "$T/c.db" 'PRAGMA application_id')" "1128418392" "application id (CBLX)"
for name in cables tags recipients refs paragraphs citations cable_text cable_fts cables_id \
  cables_created cables_origin cables_classification tags_tag; do
  [ "$(q "$T/c.db" "SELECT count(*) FROM sqlite_master WHERE name = '$name'")" = 1 ] ||
    fail "schema: $name missing"
done
sed 's/MOSCOW/XXTESTMOSCOW/' "$S/07XXTEST2213.txt" >/dev/null
run convert -t sqlite -o "$T/c.db" "$S/07XXTEST2213.txt" "$S/08XXTEST412.txt" "$S/73XXTEST792.txt"
expect_status 0 "append"
expect_err "cable 07XXTEST2213 replaced" "replacement reported"
expect_eq "$(q "$T/c.db" 'SELECT count(*) FROM cables')" "4" "append: cables"
expect_eq "$(q "$T/c.db" "SELECT count(*) FROM cables WHERE id = '07XXTEST2213'")" "1" "replaced once"
expect_eq "$(q "$T/c.db" "SELECT group_concat(id, ' ') FROM (SELECT id FROM cables ORDER BY seq)")" \
  "05XXTEST517 07XXTEST2213 08XXTEST412 73XXTEST792" "append: order"
q "$T/c.db" "INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')" || fail "FTS integrity"
# every cable is found by a word of its subject, once
for id in 05XXTEST517 07XXTEST2213 08XXTEST412 73XXTEST792; do
  word=$(q "$T/c.db" "SELECT subject FROM cables WHERE id = '$id'" | tr -c 'A-Za-z\n' ' ' |
    awk '{ for (i = 1; i <= NF; i++) if (length($i) > 5) { print $i; exit } }')
  [ -n "$word" ] || continue
  hits=$(q "$T/c.db" "SELECT count(*) FROM cable_fts WHERE cable_fts MATCH '$word' AND id = '$id'")
  expect_eq "$hits" "1" "FTS finds $id by '$word'"
done
# paragraph text is indexed too; the citations view follows the references
refs=$(q "$T/c.db" "SELECT count(*) FROM refs WHERE kind = 'cable'")
expect_eq "$(q "$T/c.db" 'SELECT count(*) FROM citations')" "$refs" "citations view"
[ "$refs" -gt 0 ] || fail "samples have no cable references"
expect_eq "$(q "$T/c.db" "SELECT count(*) FROM cable_fts WHERE cable_fts MATCH 'text:embassy'")" \
  "$(q "$T/c.db" "SELECT count(DISTINCT cable) FROM paragraphs WHERE text LIKE '%embassy%'")" \
  "FTS over paragraph text"
# an empty file is a new database
: >"$T/empty.db"
run convert -q -t sqlite -o "$T/empty.db" "$S"
expect_status 0 "empty file as output"
expect_eq "$(q "$T/empty.db" 'SELECT count(*) FROM cables')" "4" "empty file: cables"
no_temp "$T" "append"
[ -z "$(ls "$TMPDIR")" ] || fail "left in TMPDIR: $(ls "$TMPDIR")"
finish
