#!/bin/sh
# render-epub-chapter.sh - renders one chapter of an EPUB to a PNG with
# Chromium headless, to look at a book the way a reading system shows it
# (the chapter's XHTML with the book's own stylesheet).
#
# usage: tools/render-epub-chapter.sh BOOK.epub [CHAPTER] [OUT.png] [WIDTH] [HEIGHT]
#   CHAPTER: a path inside the book (OEBPS/c000001.xhtml, the default) or a
#            number (3 = OEBPS/c000003.xhtml)
#   OUT.png: default chapter.png; WIDTH x HEIGHT: default 600 x 1600 (a tall
#            e-reader page, so that the whole start of the cable shows)
# needs: unzip (or bsdtar), chromium (Debian: apt-get install chromium)
set -eu
[ $# -ge 1 ] || { sed -n '4,10s/^# \{0,1\}//p' "$0"; exit 2; }
book=$1
chapter=${2:-OEBPS/c000001.xhtml}
out=${3:-chapter.png}
width=${4:-600}
height=${5:-1600}
case $chapter in
*[!0-9]*) ;;
*) chapter=$(printf 'OEBPS/c%06d.xhtml' "$chapter") ;;
esac
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "render: chromium not found" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v unzip >/dev/null; then
  unzip -q "$book" -d "$tmp/book"
else
  mkdir "$tmp/book" && bsdtar -xf "$book" -C "$tmp/book"
fi
[ -f "$tmp/book/$chapter" ] || { echo "render: $chapter is not in $book" >&2; exit 1; }
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
# --no-sandbox: containers and CI run as root, where Chromium's sandbox refuses to start
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size="$width,$height" \
  --screenshot="$out" "file://$tmp/book/$chapter" >"$tmp/log" 2>&1 || {
  cat "$tmp/log" >&2
  exit 1
}
[ -s "$out" ] || { cat "$tmp/log" >&2; exit 1; }
echo "$out"
