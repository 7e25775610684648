# test_bad.sh - every bad database gets a clear message and exit status, and
# nothing half-written ever stands under the output's name: a file that is
# not SQLite, an SQLite file that is not cablex's, another schema version, a
# locked database, a read-only one, a full disk (new and appended), a row
# whose JSON was damaged.
. "$(dirname "$0")/lib.sh"

S=$CX_SRC/samples

# not SQLite at all: neither overwritten nor read
printf 'my notes\n' >"$T/notes.db"
run convert -q -t sqlite -o "$T/notes.db" "$S"
expect_status 2 "text file as output"
expect_err "not a cablex database (not an SQLite file)" "text file as output"
expect_eq "$(cat "$T/notes.db")" "my notes" "text file untouched"
run convert -q -f sqlite -t json "$T/notes.db"
expect_status 1 "text file as sqlite input"
expect_err "not a cablex database" "text file as sqlite input"

# another program's SQLite database
q "$T/other.db" "CREATE TABLE t(a); INSERT INTO t VALUES (1)"
cp "$T/other.db" "$T/other.orig"
run convert -q -t sqlite -o "$T/other.db" "$S"
expect_status 2 "foreign database as output"
expect_err "not a cablex database (an SQLite file without cablex's application id)" "foreign output"
cmp "$T/other.db" "$T/other.orig" >/dev/null || fail "foreign database changed"
run convert -q -t json "$T/other.db"
expect_status 1 "foreign database as input"
expect_err "not a cablex database" "foreign database as input"

# another schema version
run convert -q -t sqlite -o "$T/v.db" "$S"
expect_status 0 "make v.db"
q "$T/v.db" "PRAGMA user_version = 7"
cp "$T/v.db" "$T/v.orig"
run convert -q -t sqlite -o "$T/v.db" "$S"
expect_status 2 "schema 7 as output"
expect_err "cablex schema version 7; this cablex reads and writes version 1" "schema 7 output"
cmp "$T/v.db" "$T/v.orig" >/dev/null || fail "schema 7 database changed"
run convert -q -t json "$T/v.db"
expect_status 1 "schema 7 as input"
expect_err "schema version 7" "schema 7 input"

# locked: the sqlite3 shell holds a write transaction while cablex runs
run convert -q -t sqlite -o "$T/l.db" "$S/05XXTEST517.txt"
cp "$T/l.db" "$T/l.orig"
sqlite3 -batch "$T/l.db" <<SQL
BEGIN EXCLUSIVE;
DELETE FROM tags;
.shell "$CABLEX" convert -q -t sqlite -o "$T/l.db" "$S" 2>"$T/err"; echo \$? >"$T/status"
ROLLBACK;
SQL
status=$(cat "$T/status")
expect_status 2 "locked database"
expect_err "the database is locked by another program" "locked database"
cmp "$T/l.db" "$T/l.orig" >/dev/null || fail "locked database changed"

# read-only (by its mode, even for root)
chmod 444 "$T/l.db"
run convert -q -t sqlite -o "$T/l.db" "$S"
expect_status 2 "read-only database"
expect_err "the database is read-only" "read-only database"
cmp "$T/l.db" "$T/l.orig" >/dev/null || fail "read-only database changed"
chmod 644 "$T/l.db"

# a full disk (a file size limit: writes fail as they would on a full disk)
# while making a new database: nothing under the name, no temporary file
(
  trap '' XFSZ
  ulimit -f 64
  exec "$CABLEX" convert -q -t sqlite -o "$T/full.db" $RAW_IN $RAW_IN $RAW_IN
) >"$T/out" 2>"$T/err"
status=$?
expect_status 2 "disk full, new database"
expect_err "sqlite: " "disk full, new database"
[ -e "$T/full.db" ] && fail "disk full: a database left under the final name"
no_temp "$T" "disk full, new database"
[ -z "$(ls "$TMPDIR")" ] || fail "disk full: left in TMPDIR: $(ls "$TMPDIR")"
# ... and while appending: the database is as it was
run convert -q -t sqlite -o "$T/app.db" "$S"
cp "$T/app.db" "$T/app.orig"
size=$(($(wc -c <"$T/app.db") / 1024 + 8))
(
  trap '' XFSZ
  ulimit -f $size
  exec "$CABLEX" convert -q -t sqlite -o "$T/app.db" $RAW_IN $RAW_IN $RAW_IN $RAW_IN
) >"$T/out" 2>"$T/err"
status=$?
expect_status 2 "disk full, appending"
expect_err "sqlite: " "disk full, appending"
cmp "$T/app.db" "$T/app.orig" >/dev/null || fail "disk full: appended database changed"
expect_eq "$(q "$T/app.db" 'PRAGMA integrity_check')" "ok" "disk full: integrity"

# a damaged row: that cable fails (named), the others are read
run convert -q -t sqlite -o "$T/d.db" "$S"
q "$T/d.db" "UPDATE cables SET extra = '{broken' WHERE id = '07XXTEST2213'"
run convert -q -t json -o "$T/d.jsonl" "$T/d.db"
expect_status 1 "damaged row"
expect_err "cable 07XXTEST2213" "damaged row named"
expect_eq "$(wc -l <"$T/d.jsonl")" "3" "damaged row: the other cables read"
finish
