#!/bin/sh
# Writes one EPUB of COUNT cables with cablex and, in the same run, with
# `pandoc -f html -t epub3` from the same cables (one HTML file, one section
# per cable: its id as heading, its text in <pre>); medians via hyperfine,
# peak RSS via GNU time, and epubcheck on cablex's book.
#
# usage: bench/epub.sh [BUILD_DIR] [COUNT] [RUNS]   (defaults: build, 10000, 3)
#   PANDOC_HEAP (default 10g) caps pandoc's heap (+RTS -M): pandoc 2.17 took
#   4 GB for 2,000 cables, and a run past the machine's memory helps no one.
# needs: ../shared/tools/make-corpus, hyperfine, GNU time (/usr/bin/time),
#        pandoc; java with /usr/share/java/epubcheck.jar for the check
#
# The two books are not the same book: pandoc lays out text it is given,
# cablex parses each telegram and writes a chapter with its metadata table,
# recipients, references, paragraphs and the verbatim telegram.  The times
# say what writing a book of this size costs with each.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
count=${2:-10000}
runs=${3:-3}
heap=${PANDOC_HEAP:-10g}
cablex=$build/cablex
make_corpus=$top/../shared/tools/make-corpus
for need in "$cablex" "$make_corpus" /usr/bin/time; do
  [ -x "$need" ] || { echo "bench: missing $need" >&2; exit 2; }
done
for tool in hyperfine pandoc; do
  command -v $tool >/dev/null || { echo "bench: $tool not installed" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$make_corpus" --count "$count" --layout raw --pack dir "$tmp/raw" >/dev/null
# the same cables as one HTML document for pandoc
find "$tmp/raw" -type f -name '*.txt' | sort | xargs awk '
  BEGIN { print "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Cables</title></head><body>" }
  FNR == 1 {
    if (NR > 1) print "</pre></section>"
    n = split(FILENAME, p, "/"); id = p[n]; sub(/\.txt$/, "", id)
    print "<section><h1>" id "</h1><pre>"
  }
  { gsub(/&/, "\\&amp;"); gsub(/</, "\\&lt;"); gsub(/>/, "\\&gt;"); print }
  END { print "</pre></section></body></html>" }' >"$tmp/cables.html"
echo "corpus: $count cables, $(du -sb "$tmp/raw" | cut -f1) bytes raw," \
  "$(wc -c <"$tmp/cables.html") bytes as HTML for pandoc"

hyperfine -N --runs "$runs" --export-markdown "$tmp/times.md" \
  -n "cablex raw -> epub" "$cablex convert -q -f raw -t epub -o $tmp/cablex.epub $tmp/raw" \
  -n "pandoc html -> epub3" "pandoc +RTS -M$heap -RTS -f html -t epub3 -o $tmp/pandoc.epub $tmp/cables.html"
cat "$tmp/times.md"

/usr/bin/time -f "cablex peak RSS: %M KiB, %e s wall" \
  "$cablex" convert -q -f raw -t epub -o "$tmp/cablex.epub" "$tmp/raw"
/usr/bin/time -f "pandoc peak RSS: %M KiB, %e s wall" \
  pandoc +RTS -M"$heap" -RTS -f html -t epub3 -o "$tmp/pandoc.epub" "$tmp/cables.html"
echo "books: cablex $(wc -c <"$tmp/cablex.epub") bytes, pandoc $(wc -c <"$tmp/pandoc.epub") bytes"

if command -v java >/dev/null && [ -f /usr/share/java/epubcheck.jar ]; then
  java -jar /usr/share/java/epubcheck.jar "$tmp/cablex.epub" 2>&1 |
    grep -E '^(ERROR|WARNING|FATAL|Messages)' | sed -n '1,20p'
else
  echo "epubcheck: not run (java or /usr/share/java/epubcheck.jar missing)"
fi
