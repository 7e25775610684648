# symbols_test.sh - libcablex.so exports only what core/include/cablex/
# declares (POSIX sh).  The declared names are the functions and extern
# data the installed headers declare after the preprocessor (comments
# gone); the exported ones are
# `nm -D --defined-only` of the library, less the linker's own (_init,
# _edata ...).  A name exported but not declared fails: it is either API
# missing from a header or something that should be hidden.
# ctest sets CC, CX_LIB (the built libcablex.so) and CX_SOURCE_DIR.
set -u
: "${CC:?run through ctest}" "${CX_LIB:?}" "${CX_SOURCE_DIR:?}"
command -v nm >/dev/null 2>&1 || { echo "SKIP: no nm"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/cablex-symbols.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
INC="$CX_SOURCE_DIR/core/include"

for h in "$INC"/cablex/*.h; do
  printf '#include "cablex/%s"\n' "$(basename "$h")"
done >"$T/all.c"
"$CC" -E -P -I"$INC" "$T/all.c" >"$T/all.i" || { echo "FAIL: the headers do not preprocess"; exit 1; }
# functions: cx_name( ; data: extern ... cx_name[ or cx_name;
{
  grep -o '\bcx_[A-Za-z0-9_]*[[:space:]]*(' "$T/all.i" | tr -d ' \t('
  grep '\bextern\b' "$T/all.i" | grep -o '\bcx_[A-Za-z0-9_]*[[:space:]]*[[;]' | tr -d ' \t[;'
} | sort -u >"$T/declared"
[ -s "$T/declared" ] || { echo "FAIL: no function declared in $INC/cablex"; exit 1; }

nm -D --defined-only "$CX_LIB" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' |
  grep -v '^_' | sort -u >"$T/exported"
[ -s "$T/exported" ] || { echo "FAIL: $CX_LIB exports nothing"; exit 1; }

comm -23 "$T/exported" "$T/declared" >"$T/extra"
if [ -s "$T/extra" ]; then
  echo "FAIL: $CX_LIB exports symbols that no header in $INC/cablex declares:"
  sed 's/^/  /' "$T/extra"
  exit 1
fi
echo "$(wc -l <"$T/exported") symbols exported, all declared in $INC/cablex"
# libarchive is opened only when an xz/bzip2/zstd... output asks for it
# (core/lib/io/xfilter.c): as a dependency it would load libxml2, ICU and
# libstdc++ into every run.
if command -v readelf >/dev/null 2>&1; then
  if readelf -d "$CX_LIB" | grep 'NEEDED' | grep -q 'libarchive'; then
    echo "FAIL: $CX_LIB links libarchive; xfilter.c opens it when used"
    exit 1
  fi
fi
exit 0
