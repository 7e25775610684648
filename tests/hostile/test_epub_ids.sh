# test_epub_ids.sh - books of cables with odd ids pass epubcheck (issue 12,
# case 17: an empty <title> for an id of "" or " ", a <span> inside <title>
# for control characters, an empty contents link), and read back with the
# same ids.  The <title> checks run without epubcheck too.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":"","body":"x\n"}' '{"id":"..","body":"x\n"}' \
  '{"id":"a\u0001b","body":"x\n"}' '{"id":" ","body":"x\n"}' '{"id":"\u001b[2J","body":"x\n"}' \
  '{"id":"<b>&amp;","body":"x\n"}' '{"id":"\ufffe","body":"x\n"}' \
  '{"id":"\t","subject":" ","body":"x\n"}' >"$T/odd.jsonl"
run convert -f json -t epub -o "$T/odd.epub" "$T/odd.jsonl"
expect_status 0 "odd ids to epub"
mkdir "$T/x"
(cd "$T/x" && $CX_PYTHON -m zipfile -e "$T/odd.epub" .) || fail "odd ids: not a zip"
for f in "$T"/x/OEBPS/c*.xhtml; do
  t=$(sed -n 's/.*<title>\(.*\)<\/title>.*/\1/p' "$f")
  case $t in
    "" | " " | *"<"*) fail "$(basename "$f"): <title>$t</title> is empty, blank or holds markup" ;;
  esac
done
if grep -qE '<a href="c[0-9]+\.xhtml">[[:space:]]*</a>' "$T/x/OEBPS/nav.xhtml"; then
  fail "odd ids: a contents link without text"
fi
run convert -q -f epub -t jsonl "$T/odd.epub"
expect_status 0 "odd ids: read back"
[ "$(json_field "$T/out" id | od -c)" = "$(json_field "$T/odd.jsonl" id | od -c)" ] ||
  fail "odd ids: other ids read back"
jar=/usr/share/java/epubcheck.jar
if [ -f "$jar" ] && command -v java >/dev/null 2>&1; then
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "$T/odd.epub" >"$T/check" 2>&1 || {
    fail "odd ids: epubcheck"
    grep -E 'ERROR|FATAL|WARNING' "$T/check" | head -n 10 | sed 's/^/  /'
  }
else
  echo "no epubcheck: its check skipped"
fi
finish
