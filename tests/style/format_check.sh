#!/bin/sh
# Every C source and header is formatted by the committed .clang-format.
# Skipped (77) when clang-format is not installed.
top=$1
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: clang-format not installed"; exit 77; }
bad=0
for f in $(find "$top/core" "$top/plugins" "$top/tests" "$top/examples" -name '*.[ch]' | sort); do
  clang-format --style=file "$f" | cmp -s - "$f" || { echo "not formatted: $f (run clang-format -i)"; bad=1; }
done
exit $bad
