# test_include_exclude.sh - a directory of cables with sidecars (issue 12,
# case 3): a .meta.json sidecar is skipped as not a cable, not failed;
# --include / --exclude GLOB choose the files of directories and the
# entries of bundles (bundles inside still opened for --include).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/corpus/sub" "$T/corpus/skipme"
cp "$GOOD" "$T/corpus/05XXTEST517.txt"
cp "$CX_SRC/samples/08XXTEST412.txt" "$T/corpus/sub/08XXTEST412.txt"
cp "$GOOD" "$T/corpus/skipme/again.txt"
for id in 05XXTEST517 08XXTEST412; do
  printf '{\n "reference_id": "%s",\n "created": "2009-08-11 16:04",\n "classification": "UNCLASSIFIED",\n "tag_links": ["XX"]\n}\n' "$id" >"$T/corpus/sub/$id.meta.json"
done

# no option: the sidecars are skipped as not a cable, the run succeeds
run convert -t jsonl -o "$T/all.jsonl" "$T/corpus"
expect_status 0 "sidecars beside cables"
expect_err "3 converted, 0 failed, 2 skipped" "sidecars beside cables: counted as skipped"
expect_err "08XXTEST412.meta.json:1: json: not a cable" "sidecars beside cables: named"

# --exclude: not even read (no warning)
run convert -t jsonl -o "$T/ex.jsonl" --exclude '*.meta.json' "$T/corpus"
expect_status 0 "--exclude '*.meta.json'"
expect_err "3 converted, 0 failed, 0 skipped" "--exclude '*.meta.json': counted"
lacks "$T/err" "not a cable" "--exclude '*.meta.json': a sidecar read"
# a directory excluded by name
run convert -t jsonl -o "$T/ex2.jsonl" --exclude skipme --exclude '*.json' "$T/corpus"
expect_err "2 converted, 0 failed, 0 skipped" "--exclude a directory"

# --include: only the .txt files; with a '/', a tail of the path
run convert -t jsonl -o "$T/in.jsonl" --include '*.txt' "$T/corpus"
expect_err "3 converted, 0 failed, 0 skipped" "--include '*.txt'"
run convert -t jsonl -o "$T/in2.jsonl" --include 'sub/*.txt' "$T/corpus"
expect_err "1 converted, 0 failed, 0 skipped" "--include 'sub/*.txt'"
[ "$(json_field "$T/in2.jsonl" id)" = 08XXTEST412 ] || fail "--include 'sub/*.txt': the wrong cable"
# a file named on the command line is read whatever the globs say
run convert -t jsonl -o "$T/named.jsonl" --exclude '*.txt' "$GOOD"
expect_err "1 converted" "a named file and --exclude"

# bundles: entries chosen, a bundle inside still opened under --include
(cd "$T/corpus" && tar -cf "$T/inner.tar" sub)
cp "$T/inner.tar" "$T/corpus/inner.tar"
(cd "$T/corpus" && tar -czf "$T/b.tar.gz" 05XXTEST517.txt sub inner.tar)
run convert -t jsonl -o "$T/b.jsonl" --include '*.txt' "$T/b.tar.gz"
expect_status 0 "--include in a bundle"
expect_err "3 converted, 0 failed, 0 skipped" "--include in a bundle: the nested tar opened"
run convert -t jsonl -o "$T/b2.jsonl" --exclude '*.meta.json' --exclude inner.tar "$T/b.tar.gz"
expect_err "2 converted, 0 failed, 0 skipped" "--exclude in a bundle"
run convert -t jsonl --include "" "$T/b.tar.gz"
expect_status 2 "--include ''"
finish
