# test_unused_options.sh - options that do nothing are said (issue 12,
# case 5): a writer option of a plugin that is not this run's writer
# (--group-by with -t json), and CABLEX_GZIP_LEVEL / CABLEX_GZIP values they
# do not take.  The run still converts; -q keeps it quiet.
. "$(dirname "$0")/lib.sh"

run convert -t jsonl -o "$T/o.jsonl" --group-by date "$GOOD"
expect_status 0 "--group-by with -t jsonl"
expect_err "option 'group-by' does nothing here: plugin epub takes it" "--group-by with -t jsonl: said"
run convert -t jsonl -o "$T/o.jsonl" -O title=X "$GOOD"
expect_err "option 'title' does nothing here" "-O title with -t jsonl: said"
# where it does something: not a word
run convert -t epub -o "$T/o.epub" --group-by date "$GOOD"
lacks "$T/err" "does nothing" "--group-by with -t epub"
run convert -t jsonl -o "$T/o.jsonl" --max-cable-size 1M "$GOOD"
lacks "$T/err" "does nothing" "--max-cable-size"

CABLEX_GZIP_LEVEL=10 run convert -t jsonl -o "$T/o.jsonl.gz" "$GOOD"
expect_status 0 "CABLEX_GZIP_LEVEL=10"
expect_err "CABLEX_GZIP_LEVEL='10' is not a level 0 to 9: ignored" "CABLEX_GZIP_LEVEL=10: said"
CABLEX_GZIP_LEVEL=9 run convert -t jsonl -o "$T/o.jsonl.gz" "$GOOD"
lacks "$T/err" "CABLEX_GZIP_LEVEL" "CABLEX_GZIP_LEVEL=9"
CABLEX_GZIP=zlib-ng run convert -t jsonl -o "$T/o.jsonl.gz" "$GOOD"
expect_err "CABLEX_GZIP='zlib-ng' is not 'zlib'" "CABLEX_GZIP=zlib-ng: said"
CABLEX_GZIP=zlib run convert -t jsonl -o "$T/o.jsonl.gz" "$GOOD"
lacks "$T/err" "CABLEX_GZIP" "CABLEX_GZIP=zlib"
CABLEX_GZIP_LEVEL=x run convert -q -t jsonl -o "$T/o.jsonl.gz" "$GOOD"
[ -s "$T/err" ] && fail "-q: a warning shown"
finish
