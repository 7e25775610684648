# test_html_links.sh - the html writer writes only http(s) and relative
# links from extra.html_media (issue 12, case 16): a javascript: or data:
# href, however it is spelt, becomes text with a warning.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '{"id":"99XXTEST1","body":"x\n","extra":{"html_media":[
{"href":"javascript:alert(1)","text":"a"},{"href":"JaVaScRiPt:alert(2)","text":"b"},
{"href":" javascript:alert(3)","text":"c"},{"href":"java\tscript:alert(4)","text":"d"},
{"href":"data:text/html,<script>alert(5)</script>","text":"e"},{"href":"vbscript:x","text":"f"},
{"href":"https://example.com/a?b=1#c","text":"g"},{"href":"http://example.com/","text":"h"},
{"href":"/cable/2009/01/99XXTEST1.html","text":"i"},{"href":"../x.html#p:1","text":"j"},
{"href":"//example.com/k","text":"k"}]}}' | tr -d '\n' >"$T/in.json"
echo >>"$T/in.json"
run convert -f json -t html -o "$T/out.html" "$T/in.json"
expect_status 0 "hostile media links"
if grep -qiE "href=['\"][^'\"]*(script|data):" "$T/out.html"; then
  fail "a javascript:, vbscript: or data: link was written"
  grep -iE "href=['\"][^'\"]*(script|data):" "$T/out.html" | sed 's/^/  /'
fi
for h in "https://example.com/a?b=1#c" "http://example.com/" "/cable/2009/01/99XXTEST1.html" \
  "../x.html#p:1" "//example.com/k"; do
  has "$T/out.html" "<a href='$h'>" "a safe link"
done
for t in a b c d e f; do has "$T/out.html" "$t<br />" "the text of an unsafe link"; done
expect_err "99XXTEST1: 6 links of extra.html_media written as text only" "the warning"
finish
