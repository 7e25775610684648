# test_warnings.sh - one warning repeated for every cable does not flood
# stderr (issue 12, case 4): the first 3 of a kind in full, then "... and N
# more like this (see --errors)" and a count by kind in the summary line;
# --errors keeps every one; a writer's warning names the cable it was
# writing (id and input).  The same at -j 1 and -j 4.
. "$(dirname "$0")/lib.sh"

bad_date_csv 40 "$T/w.csv"

for j in 1 4; do
  run convert -j $j -t tar.gz:raw -o "$T/w.tar.gz" --errors "$T/e$j.jsonl" "$T/w.csv"
  expect_status 0 "-j $j: 40 cables with 2 warnings each"
  n=$(grep -c '^cablex: warning: [^ ]*w.csv:[0-9]*: csv: row .* is not M/D/YYYY H:MM$' "$T/err")
  [ "$n" = 3 ] || fail "-j $j: $n date warnings shown in full, expected 3"
  expect_err "warning: ... and 37 more like this (see --errors): csv: row starting on line 1: date" "-j $j: the rest counted"
  expect_err "40 converted, 0 failed, 0 skipped in" "-j $j: the summary"
  expect_err ", 80 warnings (40 like 'csv: row starting on line # date" "-j $j: the count by kind"
  # the writer's warning names the cable and its input
  expect_err "raw: 99XXTEST2: extra fields not carried by the raw format: csv_sequence, csv_references, csv_verbatim (cable 99XXTEST2, read from $T/w.csv)" "-j $j: a writer warning names its cable"
  lines "$T/e$j.jsonl" 80 "-j $j: --errors keeps every warning"
  sed 's/ in [0-9.]* s,/ in s,/' "$T/err" >"$T/err$j"
done
cmp -s "$T/err1" "$T/err4" || fail "-j 1 and -j 4 say different things"

# different kinds are not merged; -q says nothing
run convert -q -t jsonl -o "$T/q.jsonl" "$T/w.csv"
[ -s "$T/err" ] && fail "-q: something said"
finish
