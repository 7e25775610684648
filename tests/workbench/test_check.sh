# test_check.sh - `cablex check`: each rule on a cable made wrong for it
# (ids that cannot be real), the clean samples give no finding and exit 0,
# findings exit 1, name the cable and its line, and --format json says the
# same as the text.
. "$(dirname "$0")/lib.sh"

S=$CX_SRC/samples
run check "$S/07XXTEST2213.txt" "$S/08XXTEST412.txt"
expect_status 0 "clean samples"
[ ! -s "$T/out" ] || { fail "clean samples: findings"; cat "$T/out"; }

run convert -q -t jsonl -o "$T/m.jsonl" "$S/07XXTEST2213.txt"
# one cable per rule, made from the Moscow sample
"$PY" - "$T/m.jsonl" >"$T/bad.jsonl" <<'PY'
import copy, json, sys
base = json.loads(open(sys.argv[1], encoding='utf-8').read())
def make(cid, change):
    c = copy.deepcopy(base)
    c['id'] = c['canonical_id'] = cid
    change(c)
    print(json.dumps(c, ensure_ascii=False, separators=(',', ':')))
def serial(c): c['header']['de'] = 'RUEHMO #9999 1771405'
make('07XXTEST2213', lambda c: None)                       # clean apart from the id
make('07XXTEST2214', lambda c: None)                       # id-serial
make('08XXTEST2213', lambda c: None)                       # id-year
make('07XXTEST2213', lambda c: None)                       # duplicate-id
def created(c): c['created'] = '2007-06-27T14:05:00'
make('99XXTEST1', lambda c: (serial(c), created(c)))       # id-serial, created-dtg, id-year
def banner(c): c['classification'] = 'CONFIDENTIAL'
make('07XXTEST3', lambda c: (c['header'].update(de='RUEHMO #3 1771405'), banner(c)))
def selfref(c):
    c['header']['de'] = 'RUEHMO #4 1771405'
    c['references'] = [{'letter': 'A', 'text': 'MOSCOW 4', 'kind': 'cable', 'cable_id': '07XXTEST4'}]
make('07XXTEST4', selfref)
def nosubject(c):
    c['header']['de'] = 'RUEHMO #5 1771405'
    c['subject'] = None
    c['tags'] = []
make('07XXTEST5', nosubject)
PY
run check -f json "$T/bad.jsonl"
expect_status 1 "findings"
# lines of the Moscow telegram: DE 4, security 5, DTG 6, paragraph 1 (S/NF) 26
for want in "07XXTEST2214, line 4: id-serial" "08XXTEST2213, line 6: id-year" \
  "07XXTEST2213: duplicate-id" "99XXTEST1, line 6: created-dtg" \
  "07XXTEST3, line 5: class-banner" "07XXTEST3, line 26: class-paragraph" \
  "07XXTEST4: self-reference" "07XXTEST5: no-subject" "07XXTEST5: no-tags"; do
  expect_out "$want" "check finds '$want'"
done
grep "^$T/bad.jsonl: 07XXTEST2213" "$T/out" | grep -qv duplicate-id && fail "the first 07XXTEST2213 is clean"
run check -f json --format json "$T/bad.jsonl"
expect_status 1 "findings, json"
"$PY" - "$T/out" <<'PY' || fail "check --format json"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
codes = sorted((r['cable'], r['code']) for r in rows)
want = sorted([('07XXTEST2214', 'id-serial'), ('08XXTEST2213', 'id-year'),
               ('07XXTEST2213', 'duplicate-id'), ('99XXTEST1', 'id-serial'),
               ('99XXTEST1', 'created-dtg'), ('99XXTEST1', 'id-year'),
               ('07XXTEST3', 'class-banner'), ('07XXTEST3', 'class-paragraph'),
               ('07XXTEST4', 'self-reference'), ('07XXTEST5', 'no-subject'),
               ('07XXTEST5', 'no-tags')])
assert codes == want, codes
assert all(r['file'].endswith('bad.jsonl') and r['message'] for r in rows)
# the line as text gives it: a number where it says ", line N", else null
lines = {(r['cable'], r['code']): r['line'] for r in rows}
assert lines[('07XXTEST2214', 'id-serial')] == 4, lines
assert lines[('07XXTEST3', 'class-paragraph')] == 26, lines
assert lines[('07XXTEST2213', 'duplicate-id')] is None, lines
assert all(l is None or (isinstance(l, int) and l > 0) for l in lines.values()), lines
PY
run check --format xml "$T/bad.jsonl"
expect_status 2 "check --format xml"
finish
