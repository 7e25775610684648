# install_test.sh - the installed cablex, as a stranger gets it (POSIX sh).
#
# Installs the build into a temporary prefix with `cmake --install`, builds
# the out-of-tree example plugin (examples/plugin-tsv) against that prefix
# with its Makefile and its CMakeLists.txt through pkg-config, and checks
# that the installed cablex (not the build tree's):
#   - loads its own raw and json plugins from <prefix>/lib/cablex/plugins.d,
#   - loads the example with --plugin-dir and from the user's plugins.d,
#   - converts samples/ to TSV with the right values in the right columns,
#     escaping tabs, newlines, backslashes and commas in list items,
#   - still finds everything after the prefix is moved elsewhere.
# ctest sets CMAKE_COMMAND, CX_BUILD_DIR, CX_SOURCE_DIR and CC.  Everything
# happens in a temporary directory that is removed on exit.
set -u
: "${CMAKE_COMMAND:?run through ctest}" "${CX_BUILD_DIR:?}" "${CX_SOURCE_DIR:?}"

skip() {
  echo "SKIP: $*"
  exit 77
}
command -v make >/dev/null 2>&1 || skip "no make to build the example plugin"
command -v pkg-config >/dev/null 2>&1 || skip "no pkg-config to find the installed cablex"

T=$(mktemp -d "${TMPDIR:-/tmp}/cablex-install.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

# Nothing from the caller's set-up: no user plugins, no plugin path, and no
# library path that could hand the installed binary the build tree's library.
export XDG_CONFIG_HOME="$T/xdg"
unset CABLEX_PLUGIN_PATH LD_LIBRARY_PATH PKG_CONFIG_PATH

fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
# show FILE: a log or an output, indented, after a failure.
show() {
  sed 's/^/  | /' "$1"
}
# row ID FILE: the TSV row whose first column is ID.
row() {
  awk -F '\t' -v id="$1" '$1 == id' "$2"
}
# loaded NAME FILE LISTING: `cablex plugins` lists NAME as loaded from FILE
# (columns are two spaces apart; FILE may hold a space).
loaded() {
  awk -v n="$1" -v f="$2" '$1 == n && index($0, "  " f "  ") && $NF == "loaded" { ok = 1 } END { exit !ok }' "$3"
}
TAB=$(printf '\t')

# ---- install ----
P="$T/prefix"
if ! "$CMAKE_COMMAND" --install "$CX_BUILD_DIR" --prefix "$P" >"$T/install.log" 2>&1; then
  fail "cmake --install $CX_BUILD_DIR --prefix $P"
  show "$T/install.log"
  exit 1
fi
PC=$(find "$P" -name cablex.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$PC" ] || { fail "no cablex.pc installed"; exit 1; }
PCDIR=$(dirname "$PC")
LIBDIR=$(dirname "$PCDIR")
CONFDIR="$LIBDIR/cablex/plugins.d"
for f in "$P/bin/cablex" "$P/include/cablex/plugin.h" "$LIBDIR/cablex/plugins/raw.so" \
  "$LIBDIR/cablex/plugins/json.so" "$CONFDIR/raw.conf" "$CONFDIR/json.conf"; do
  [ -e "$f" ] || fail "installed: $f is missing"
done
CABLEX="$P/bin/cablex"

# The installed binary takes the installed library (its $ORIGIN run path).
if command -v ldd >/dev/null 2>&1; then
  lib=$(ldd "$CABLEX" | awk '$1 ~ /^libcablex\.so/ { print $3 }')
  lib=$(readlink -f "$lib")
  case "$lib" in
  "$(readlink -f "$LIBDIR")"/*) ;;
  *) fail "installed cablex uses '$lib', not the library in $LIBDIR" ;;
  esac
fi

# ---- the installed plugins ----
"$CABLEX" plugins --all >"$T/plugins" 2>"$T/err" || fail "installed cablex plugins: status $?"
loaded raw "$CONFDIR/raw.conf" "$T/plugins" || { fail "raw loaded from $CONFDIR"; show "$T/plugins"; }
loaded json "$CONFDIR/json.conf" "$T/plugins" || { fail "json loaded from $CONFDIR"; show "$T/plugins"; }
grep -qF "$CX_BUILD_DIR" "$T/plugins" && { fail "the installed cablex looked in the build tree"; show "$T/plugins"; }

# ---- the example plugin, built out of tree with its Makefile ----
SRC="$T/plugin-tsv"
cp -R "$CX_SOURCE_DIR/examples/plugin-tsv" "$SRC"
rm -f "$SRC/tsv.so"
if ! (cd "$SRC" && PKG_CONFIG_PATH="$PCDIR" make) >"$T/make.log" 2>&1; then
  fail "make in a copy of examples/plugin-tsv against $P"
  show "$T/make.log"
  exit 1
fi
# It compiled against the installed headers, not the source tree's.
grep -qF -- "-I$PCDIR/../../include" "$T/make.log" || grep -qF -- "-I$P/include" "$T/make.log" ||
  { fail "the example was not compiled against $P/include"; show "$T/make.log"; }
grep -qF -- "-I$CX_SOURCE_DIR" "$T/make.log" && fail "the example saw the source tree's headers"
if command -v nm >/dev/null 2>&1; then
  syms=$(nm -D --defined-only "$SRC/tsv.so" | awk '{ print $3 }' | grep -v '^_' | tr '\n' ' ')
  [ "$syms" = "cablex_plugin_v1 " ] || fail "tsv.so exports only its descriptor, not: $syms"
fi
(cd "$SRC" && PKG_CONFIG_PATH="$PCDIR" make check) >"$T/check.log" 2>&1 ||
  { fail "make check"; show "$T/check.log"; }

"$CABLEX" --plugin-dir "$SRC" plugins >"$T/plugins" 2>"$T/err"
loaded tsv "$SRC/tsv.conf" "$T/plugins" || { fail "tsv loaded with --plugin-dir"; show "$T/plugins"; show "$T/err"; }
loaded raw "$CONFDIR/raw.conf" "$T/plugins" || fail "raw still loaded beside tsv"

# ---- samples/ (raw) to TSV ----
S="$CX_SOURCE_DIR/samples"
nsamples=$(find "$S" -type f -name '*.txt' | wc -l)
"$CABLEX" --plugin-dir "$SRC" convert -o "$T/samples.tsv" "$S" 2>"$T/err"
st=$?
[ "$st" -eq 0 ] || { fail "convert samples to .tsv: status $st"; show "$T/err"; }
grep -qF "cablex: $nsamples converted, 0 failed" "$T/err" || { fail "$nsamples samples converted"; show "$T/err"; }
[ "$(head -n 1 "$T/samples.tsv")" = "id${TAB}created${TAB}classification${TAB}origin${TAB}subject${TAB}tags" ] ||
  fail "header row: $(head -n 1 "$T/samples.tsv")"
[ "$(wc -l <"$T/samples.tsv")" -eq $((nsamples + 1)) ] || fail "one line per cable plus the header"
[ "$(awk -F '\t' 'NF != 6' "$T/samples.tsv")" = "" ] || fail "every line has 6 columns"
[ "$(row 07XXTEST2213 "$T/samples.tsv")" = \
  "07XXTEST2213${TAB}2007-06-26T14:05:00${TAB}SECRET//NOFORN${TAB}${TAB}GAZPROM PIPELINE TALKS STALL OVER TRANSIT FEES${TAB}PREL,PGOV,ENRG,RS" ] ||
  { fail "the row of 07XXTEST2213"; show "$T/samples.tsv"; }
[ "$(row 08XXTEST412 "$T/samples.tsv" | cut -f 3-5)" = \
  "CONFIDENTIAL${TAB}Embassy Xxtest${TAB}ESTONIA: DEFENSE MINISTRY OUTLINES CYBER CENTER PLANS" ] ||
  fail "classification, origin and subject of 08XXTEST412"
[ "$(row 73XXTEST792 "$T/samples.tsv" | cut -f 5)" = "SHAH'S VIEWS ON HELMAND WATERS AGREEMENT" ] ||
  fail "subject of 73XXTEST792"

# The same values as the json plugin gives (jq's @tsv escapes the same way).
if command -v jq >/dev/null 2>&1; then
  "$CABLEX" convert -q -t jsonl -o "$T/samples.jsonl" "$S"
  jq -r '[.id, .created, .classification, .origin, .subject, (.tags | join(","))] | @tsv' \
    "$T/samples.jsonl" >"$T/expected.tsv"
  tail -n +2 "$T/samples.tsv" | cmp -s - "$T/expected.tsv" ||
    { fail "TSV and JSON disagree"; tail -n +2 "$T/samples.tsv" | diff "$T/expected.tsv" - | sed 's/^/  /'; }
fi

# Chosen columns, in the order given, without the header.
"$CABLEX" --plugin-dir "$SRC" convert -q -t tsv -O tsv-fields=subject,id -O tsv-no-header "$S" >"$T/two.tsv"
grep -qxF "ESTONIA: DEFENSE MINISTRY OUTLINES CYBER CENTER PLANS${TAB}08XXTEST412" "$T/two.tsv" ||
  { fail "-O tsv-fields=subject,id"; show "$T/two.tsv"; }
[ "$(wc -l <"$T/two.tsv")" -eq "$nsamples" ] || fail "-O tsv-no-header leaves out the header"

# Escaping: a cable read from JSON with a tab, a newline, a CR and a
# backslash in its subject, and a comma inside a tag and a reference.
printf '%s\n' '{"model_version":1,"id":"09X1","subject":"a\tb\nc\\d\re","tags":["OVIP (STEINBERG, JAMES B.)","PREL"],"references":[{"letter":"A","text":"STATE 1","kind":"cable","cable_id":"09XXTEST1"},{"letter":"B","text":"E-MAIL, 1 MAY","kind":"other","cable_id":null}],"sipdis":true,"sections":2}' >"$T/odd.jsonl"
"$CABLEX" --plugin-dir "$SRC" convert -q -f json -t tsv -O tsv-no-header \
  -O tsv-fields=id,subject,tags,references,sipdis,sections "$T/odd.jsonl" >"$T/odd.tsv"
printf '09X1\ta\\tb\\nc\\\\d\\re\tOVIP (STEINBERG\\, JAMES B.),PREL\t09XXTEST1,E-MAIL\\, 1 MAY\ttrue\t2\n' >"$T/odd.expected"
cmp -s "$T/odd.tsv" "$T/odd.expected" || { fail "escaping"; diff "$T/odd.expected" "$T/odd.tsv" | sed 's/^/  /'; }

# A bad column name stops the output before it is written.
"$CABLEX" --plugin-dir "$SRC" convert -t tsv -O tsv-fields=id,nosuch -o "$T/bad.tsv" "$S" 2>"$T/err"
st=$?
[ "$st" -eq 2 ] || fail "unknown tsv field: status $st, expected 2"
grep -qF "tsv: unknown field 'nosuch' in tsv-fields (known: id,canonical_id," "$T/err" ||
  { fail "unknown tsv field: message"; show "$T/err"; }
[ -e "$T/bad.tsv" ] && fail "unknown tsv field: an output was left behind"

# ---- installed for the user (make install) ----
(cd "$SRC" && PKG_CONFIG_PATH="$PCDIR" make install) >"$T/make-install.log" 2>&1 ||
  { fail "make install"; show "$T/make-install.log"; }
"$CABLEX" plugins >"$T/plugins" 2>"$T/err"
loaded tsv "$XDG_CONFIG_HOME/cablex/plugins.d/tsv.conf" "$T/plugins" ||
  { fail "tsv found in the user's plugins.d after make install"; show "$T/plugins"; }
(cd "$SRC" && PKG_CONFIG_PATH="$PCDIR" make uninstall) >/dev/null 2>&1
[ -e "$XDG_CONFIG_HOME/cablex/plugins.d/tsv.so" ] && fail "make uninstall left tsv.so"

# ---- the CMake alternative ----
CB="$T/plugin-tsv-cmake"
if PKG_CONFIG_PATH="$PCDIR" "$CMAKE_COMMAND" -S "$SRC" -B "$CB" >"$T/cmake.log" 2>&1 &&
  "$CMAKE_COMMAND" --build "$CB" >>"$T/cmake.log" 2>&1; then
  "$CABLEX" --plugin-dir "$CB" plugins >"$T/plugins" 2>"$T/err"
  loaded tsv "$CB/tsv.conf" "$T/plugins" || { fail "tsv built with CMake is loaded"; show "$T/plugins"; }
else
  fail "the example's CMakeLists.txt against $P"
  show "$T/cmake.log"
fi

# ---- a moved install tree ----
M="$T/moved here/cablex"
mkdir -p "$T/moved here"
mv "$P" "$M"
MCONF="$M${CONFDIR#"$P"}"
"$M/bin/cablex" --plugin-dir "$SRC" plugins >"$T/plugins" 2>"$T/err" || fail "moved cablex plugins: status $?"
loaded raw "$MCONF/raw.conf" "$T/plugins" || { fail "moved: raw loaded from $MCONF"; show "$T/plugins"; show "$T/err"; }
loaded json "$MCONF/json.conf" "$T/plugins" || fail "moved: json loaded from $MCONF"
loaded tsv "$SRC/tsv.conf" "$T/plugins" || fail "moved: tsv loaded with --plugin-dir"
"$M/bin/cablex" --plugin-dir "$SRC" convert -q -o "$T/moved.tsv" "$S" || fail "moved: convert samples"
cmp -s "$T/moved.tsv" "$T/samples.tsv" || fail "moved: the same TSV as before the move"
# cablex.pc still points into the tree where it now lies.
# (pkg-config writes a space in a path as "\ ".)
inc=$(PKG_CONFIG_PATH="$M${PCDIR#"$P"}" pkg-config --variable=includedir cablex | sed 's/\\ / /g')
[ -f "$inc/cablex/plugin.h" ] || fail "moved: cablex.pc includedir '$inc' has no cablex/plugin.h"

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all checks passed"
exit 0
