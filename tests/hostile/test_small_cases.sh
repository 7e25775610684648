# test_small_cases.sh - the smaller cases of issue 12 (case 18): messages
# that say what happened for a truncated 7z, a truncated .tar.xz and a
# fake inner zip; a csv row too large named with its size limit and id; no
# locale warning for non-ASCII pax names; no leak when a zip or tar.gz
# output hits ENOSPC (under ASan); "--" in the manual.
. "$(dirname "$0")/lib.sh"

mkdir "$T/in"
cp "$CX_SRC"/samples/*.txt "$T/in/"
(cd "$T/in" && bsdtar --format 7zip -cf ../a.7z ./*.txt && bsdtar -cJf ../a.tar.xz ./*.txt) ||
  fail "bsdtar could not make the bundles"
head -c 600 "$T/a.7z" >"$T/t.7z"
head -c 700 "$T/a.tar.xz" >"$T/t.tar.xz"

run convert -t jsonl -o "$T/o.jsonl" "$T/t.7z"
expect_status 1 "a truncated 7z"
lacks "$T/err" "unknown error" "a truncated 7z: a reason"
expect_err "$T/t.7z: corrupt bundle: " "a truncated 7z: named"

run convert -t jsonl -o "$T/o.jsonl" "$T/t.tar.xz"
expect_status 1 "a truncated tar.xz"
lacks "$T/err" "not a bundle" "a truncated tar.xz: called foreign"
expect_err "$T/t.tar.xz: corrupt or truncated bundle: " "a truncated tar.xz: named"

printf 'PK\003\004garbagegarbagegarbagegarbagegarbage' >"$T/in/inner.zip"
(cd "$T/in" && tar -cf ../fake.tar inner.zip 05XXTEST517.txt)
run convert -t jsonl -o "$T/o.jsonl" "$T/fake.tar"
expect_status 1 "a fake inner zip"
lacks "$T/err" "unknown error" "a fake inner zip: a reason"
expect_err "fake.tar(inner.zip): corrupt" "a fake inner zip: named"
expect_err "1 converted" "a fake inner zip: the cable beside it"

# a csv row with a 20 MB first line: named with its id and the limit
{
  printf '"1","1/1/2009 0:00","99XXTEST1","X","UNCLASSIFIED","","H","'
  head -c 20000000 /dev/zero | tr '\0' a
  printf '"\n"2","1/2/2009 0:00","99XXTEST2","X","UNCLASSIFIED","","H","B"\n'
} >"$T/big.csv"
run convert -t jsonl -o "$T/o.jsonl" "$T/big.csv"
expect_status 1 "a 20 MB csv row"
expect_err "csv: row 99XXTEST1 starting on line 1 is larger than max-cable-size" "a 20 MB csv row: why"
lacks "$T/err" "start no row" "a 20 MB csv row: called junk"
lacks "$T/err" "; skipped" "a 20 MB csv row: called skipped, but counted as failed"
expect_err "0 skipped" "a 20 MB csv row: counted as failed"
[ "$(json_field "$T/o.jsonl" id)" = 99XXTEST2 ] || fail "a 20 MB csv row: the next row was lost"
# a row over the limit spread over many short lines: named with its id too
{
  printf '"1","1/1/2009 0:00","99XXTEST5","X","UNCLASSIFIED","","H","'
  i=0
  while [ $i -lt 3000 ]; do
    echo "A LINE OF THE BODY OF THIS CABLE."
    i=$((i + 1))
  done
  printf '"\n"2","1/2/2009 0:00","99XXTEST6","X","UNCLASSIFIED","","H","B"\n'
} >"$T/long.csv"
run convert --max-cable-size 64K -t jsonl -o "$T/o.jsonl" "$T/long.csv"
expect_status 1 "a csv row of many lines over the limit"
expect_err "long.csv:1: csv: row 99XXTEST5 starting on line 1: larger than max-cable-size (65536 bytes); reading resumes at line 3002" "a csv row of many lines over the limit: why"
expect_err "1 converted, 1 failed, 0 skipped" "a csv row of many lines over the limit: counted"
[ "$(json_field "$T/o.jsonl" id)" = 99XXTEST6 ] || fail "a csv row of many lines: the next row was lost"

# an EPUB chapter over the reader's limit (4 x max-cable-size + 1 MiB): the
# message says what the count says, failed, not skipped
$GEN cable "$T/c2m.txt" 2M 99XXTEST7
run convert -t epub -o "$T/b.epub" "$T/c2m.txt" "$GOOD"
run convert --max-cable-size 4K -f epub -t jsonl -o "$T/o.jsonl" "$T/b.epub"
expect_status 1 "an EPUB chapter over the limit"
expect_err "epub: OEBPS/c000001.xhtml is larger than 1064960 bytes; not converted" "an EPUB chapter over the limit: why"
expect_err "1 converted, 1 failed, 0 skipped" "an EPUB chapter over the limit: counted"

# non-ASCII names in a pax tar: no locale warning, whatever the locale
cp "$GOOD" "$T/in/é-ü.txt"
(cd "$T/in" && bsdtar --format pax -cf ../pax.tar "é-ü.txt")
for loc in C C.UTF-8; do
  LC_ALL=$loc run convert -t jsonl -o "$T/o.jsonl" "$T/pax.tar"
  expect_status 0 "a pax name under $loc"
  lacks "$T/err" "locale" "a pax name under $loc: a locale warning"
done

# ENOSPC under a zip or tar.gz bundle: exit 2, and no leak (ASan build)
if [ -c /dev/full ]; then
  $GEN cable "$T/c3m.txt" 3M 99XXTEST3000
  for k in zip tar.gz; do
    run convert -t "$k:raw" -o /dev/full "$T/c3m.txt" "$GOOD"
    expect_status 2 "-t $k:raw to /dev/full"
    expect_err "write error: No space left on device" "-t $k:raw to /dev/full: named"
  done
fi

grep -q '^\.B \\-\\-$' "$CX_SRC/doc/cablex.1" || fail "cablex.1 does not document --"
finish
