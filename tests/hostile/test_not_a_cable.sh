# test_not_a_cable.sh - what is not a cable is not "converted" (issue 12,
# case 1): a .txt with no cable anatomy is skipped with a warning, alone, in
# a bundle or between cables of a stream; a JSON object with neither id nor
# telegram is an error that says so; a writer never invents a value the
# model does not hold (no UNCLAS banner for a null classification); text
# pulled from a PDF is held to the same rule; JSON that is no object
# ([1,2,3], "hello") is skipped as not a cable.
. "$(dirname "$0")/lib.sh"

printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' >"$T/p.txt"
printf 'Shopping list\n\n- milk\n- bread, 2 loaves\n' >"$T/notes.txt"

run convert -t jsonl "$T/p.txt"
expect_status 0 "a passwd file as .txt"
expect_err "$T/p.txt:1: raw: not a cable" "a passwd file: the warning"
expect_err "0 converted, 0 failed, 1 skipped" "a passwd file: counted as skipped"
[ -s "$T/out" ] && fail "a passwd file: something was written"

# in a bundle beside a cable
(cd "$T" && tar -cf b.tar notes.txt good.txt)
run convert -t jsonl "$T/b.tar"
expect_status 0 "notes.txt in a tarball"
expect_err "b.tar(notes.txt):1: raw: not a cable" "notes.txt in a tarball: named"
expect_err "1 converted, 0 failed, 1 skipped" "notes.txt in a tarball: counted"
[ "$(json_field "$T/out" id)" = "$GOOD_ID" ] || fail "notes.txt in a tarball: the cable was lost"

# between two cables of one stream: skipped, the cables converted
{ cat "$GOOD"; printf '\f\n'; cat "$T/notes.txt"; printf '\f\n'; cat "$GOOD"; } >"$T/stream.txt"
run convert -t jsonl "$T/stream.txt"
expect_status 0 "a note between two cables"
expect_err "raw: not a cable" "a note between two cables: the warning"
expect_err "2 converted, 0 failed" "a note between two cables: both cables"

# a name under a line or two of prose is not a signer's anatomy: a note
# ends in a name as often as a cable does (also from a PDF's text)
printf 'Shopping list\n\nBob\n' >"$T/shopping.txt"
printf 'TODO\n' >"$T/todo.txt"
run convert -f raw -t jsonl "$T/shopping.txt" "$T/todo.txt"
expect_status 0 "a note ending in a name"
expect_err "shopping.txt:1: raw: not a cable" "a note ending in a name: the warning"
expect_err "todo.txt:1: raw: not a cable" "one upper-case word: the warning"
expect_err "0 converted, 0 failed, 2 skipped" "a note ending in a name: counted as skipped"
[ -s "$T/out" ] && fail "a note ending in a name: something was written"
printf 'Hello\n' >"$T/hello.txt"
run convert -f pdftext -t jsonl "$T/hello.txt" "$T/shopping.txt"
expect_status 0 "a word as pdftotext output"
expect_err "hello.txt:1: pdftext: not a cable" "a word as pdftotext output: the warning"
expect_err "shopping.txt:1: pdftext: not a cable" "a note as pdftotext output: the warning"
expect_err "0 converted, 0 failed, 2 skipped" "a word as pdftotext output: counted as skipped"

# the tail of a telegram (its last upper-case paragraph and the signer's
# line) is a cable: a signer under telegraphese is part of its anatomy
printf 'THE MINISTER WILL CALL THE AMBASSADOR\nAT THE OPENING OF BUSINESS TO CONFIRM RECEIPT.\n\nXXSIGNER\n' >"$T/tail.txt"
run convert -f raw -t jsonl "$T/tail.txt"
expect_status 0 "a telegram's tail with its signer"
expect_err "1 converted, 0 failed, 0 skipped" "a telegram's tail with its signer: converted"
[ "$(json_field "$T/out" signer)" = "XXSIGNER" ] || fail "a telegram's tail: the signer"

# JSON: {} is not a cable; the error says why, and nothing is written
echo '{}' >"$T/empty.json"
run convert -f json -t raw "$T/empty.json"
expect_status 1 "{} to raw"
expect_err "json: not a cable: an object with neither id nor telegram" "{} to raw: the reason"
[ -s "$T/out" ] && fail "{} to raw: a cable was written"
echo '{"id":null,"subject":null,"tags":[]}' >"$T/nulls.json"
run convert -f json -t jsonl "$T/nulls.json"
expect_status 1 "an object of nulls"
expect_err "json: not a cable: an object with neither id nor telegram" "an object of nulls: the reason"

# JSON without an id is still a cable when it holds a telegram or any field
# of a cable
echo '{"body":"Text of a cable without an id."}' >"$T/noid-body.json"
echo '{"classification":"SECRET","subject":"NO ID"}' >"$T/noid-fields.json"
run convert -t jsonl "$T/noid-body.json" "$T/noid-fields.json"
expect_status 0 "id-less cables"
expect_err "2 converted, 0 failed, 0 skipped" "id-less cables: both converted"
lacks "$T/err" "not a cable" "id-less cables: called not a cable"

# JSON of another kind (a metadata sidecar: no id, no telegram, keys outside
# the model) is skipped as not a cable, not failed, even when a value of a
# cable's field in it does not parse
printf '{\n "reference_id": "99XXTEST1",\n "created": "2009-08-11 16:04",\n "classification": "UNCLASSIFIED",\n "page_title": "A TITLE"\n}\n' >"$T/99XXTEST1.meta.json"
run convert -t jsonl "$T/99XXTEST1.meta.json" "$GOOD"
expect_status 0 "a sidecar"
expect_err "99XXTEST1.meta.json:1: json: not a cable (neither id nor telegram, and 2 keys outside the model): skipped" "a sidecar: the warning"
expect_err "1 converted, 0 failed, 1 skipped" "a sidecar: counted as skipped"
# a jsonl of cables with one such object among them: the cables converted
{ echo '{"id":"99XXTEST2","body":"One."}'; echo '{"note":"not a cable"}'; echo '{"id":"99XXTEST3","body":"Two."}'; } >"$T/mixed.jsonl"
run convert -t jsonl "$T/mixed.jsonl"
expect_status 0 "an object of another kind in a jsonl"
expect_err "mixed.jsonl:2: json: not a cable" "an object of another kind in a jsonl: its line"
expect_err "2 converted, 0 failed, 0 skipped" "an object of another kind in a jsonl: the cables"

# JSON that is valid but no object is not a cable: skipped with one
# warning (one for a whole array), not failed; invalid JSON still fails
printf '[1,2,3]\n' >"$T/array.json"
printf '"hello"\n' >"$T/string.json"
printf '\n42\n' >"$T/number.json"
run convert -t jsonl "$T/array.json" "$T/string.json" "$T/number.json"
expect_status 0 "JSON values that are no object"
expect_err "array.json:1: json: not a cable (a number, not an object): skipped" "[1,2,3]: the warning"
expect_err "string.json:1: json: not a cable (a string, not an object): skipped" "\"hello\": the warning"
expect_err "number.json:2: json: not a cable (a number, not an object): skipped" "42: the warning"
expect_err "0 converted, 0 failed, 3 skipped" "JSON values that are no object: counted as skipped"
[ "$(grep -c 'array.json:1: json: not a cable' "$T/err")" = 1 ] || fail "[1,2,3]: not one warning"
[ -s "$T/out" ] && fail "JSON values that are no object: something was written"
{ echo '{"id":"99XXTEST4","body":"One."}'; echo '"a note"'; echo '{"id":"99XXTEST5","body":"Two."}'; } >"$T/values.jsonl"
run convert -t jsonl "$T/values.jsonl"
expect_status 0 "a string among the cables of a jsonl"
expect_err "values.jsonl:2: json: not a cable (a string" "a string among the cables: its line"
expect_err "2 converted, 0 failed, 0 skipped" "a string among the cables: the cables"
printf '[1, 2, tru]\n' >"$T/bad.json"
run convert -t jsonl "$T/bad.json"
expect_status 1 "an array with a bad token"
expect_err "bad.json:1: json: invalid JSON" "an array with a bad token: a failure"
expect_err "0 converted, 1 failed" "an array with a bad token: counted as failed"

# a null classification gets no banner
echo '{"id":"99XXTEST7","classification":null,"subject":"X","paragraphs":[{"number":"1","marking":null,"text":"Text."}]}' >"$T/nocls.json"
run convert -f json -t raw "$T/nocls.json"
expect_status 0 "null classification to raw"
lacks "$T/out" "UNCLAS" "null classification to raw: an invented banner"
has "$T/out" "SUBJECT: X" "null classification to raw: the body"

# pdftext: text pulled from a PDF with none of a cable's anatomy is skipped
# as not a cable, as raw does; a cable's text still converts
run convert -f pdftext -t jsonl "$T/notes.txt"
expect_status 0 "notes as pdftotext output"
expect_err "notes.txt:1: pdftext: not a cable" "notes as pdftotext output: the warning"
expect_err "0 converted, 0 failed, 1 skipped" "notes as pdftotext output: counted as skipped"
[ -s "$T/out" ] && fail "notes as pdftotext output: something was written"
run convert -f pdftext -t jsonl "$CX_SRC/tests/data/pdftext/cable.txt"
expect_status 0 "a cable as pdftotext output"
expect_err "1 converted, 0 failed, 0 skipped" "a cable as pdftotext output: converted"
if command -v pdftotext >/dev/null; then
  "$CX_PYTHON" "$CX_SRC/tests/pdftext/mkpdf.py" "$T/notes.txt" "$T/notes.pdf"
  run convert -t jsonl "$T/notes.pdf" "$GOOD"
  expect_status 0 "a PDF of notes"
  expect_err "notes.pdf:1: pdftext: not a cable" "a PDF of notes: the warning"
  expect_err "1 converted, 0 failed, 1 skipped" "a PDF of notes: counted as skipped"
fi
finish
