# test_options_doc.sh - every option of every command is in its --help and
# in the man page (doc/cablex.1), and the help of stats and check lists
# what they take: the options the command line parser knows (the option
# strings of core/cli), each plugin option that `convert --help` lists, and
# convert's reading options, which stats and check accept (and -t, --to,
# --pretty, which they refuse).
. "$(dirname "$0")/lib.sh"

src=$(cd "$CX_DATA/../../.." && pwd)
man=$src/doc/cablex.1
# the man page's text with roff's \- made -
sed 's/\\-/-/g' "$man" >"$T/man"
for cmd in "" convert stats check plugins; do
  # shellcheck disable=SC2086
  "$CABLEX" $cmd --help >"$T/help-${cmd:-top}" 2>&1 || fail "cablex $cmd --help: exit $?"
done
cat "$T"/help-* >"$T/help-all"

# in_text FILE OPT: OPT stands in FILE as an option (not inside a longer one)
in_text() {
  grep -q -e "\(^\|[^a-z-]\)$2\([^a-z-]\|\$\)" "$1"
}

# 1. the options the parser compares arguments with
grep -oh '"--\?[a-zA-Z][a-z-]*"' "$src"/core/cli/*.c | tr -d '"' | sort -u >"$T/parsed"
[ "$(wc -l <"$T/parsed")" -ge 30 ] || fail "too few options found in core/cli: $(cat "$T/parsed")"
while read -r opt; do
  in_text "$T/man" "$opt" || fail "cablex.1 does not document $opt"
  in_text "$T/help-all" "$opt" || fail "no --help documents $opt"
done <"$T/parsed"

# 2. each plugin option convert --help lists (NAME=... under "plugin
#    options"), given as --NAME, is in the man page
sed -n '/^plugin options/,$p' "$T/help-convert" |
  sed -n 's/^    \([a-z][a-z0-9-]*\).*/\1/p' | sort -u >"$T/plugin-opts"
[ -s "$T/plugin-opts" ] || fail "convert --help lists no plugin option"
while read -r opt; do
  in_text "$T/man" "$opt" || in_text "$T/man" "--$opt" ||
    fail "cablex.1 does not document the plugin option $opt"
done <"$T/plugin-opts"

# 2b. "--", the end of the options (not an option string the loop above
#     finds): in the synopsis and options of convert --help, in those of
#     stats and check, in the man page and in the README's synopsis
grep -q '\[-q\] \[--\] \[INPUT\.\.\.\]' "$T/help-convert" || fail "convert --help: no [--] in the usage"
for f in "$T/help-convert" "$T/help-stats" "$T/help-check" "$T/man" "$src/README.md"; do
  # "--" alone (not the start of --NAME)
  grep -q -E '(^|[ [])--([] ]|$)' "$f" || fail "$(basename "$f") does not document --"
done

# 3. convert's reading options: stats and check take each, and say so in
#    their help; the writer's options are refused
S=$src/samples
for cmd in stats check; do
  for o in "-f raw" "--from raw" "-j 1" "--jobs 1" "--where year=2009" "--shard 1/2" \
    "--include *.txt" "--exclude *.md" "--follow-symlinks" "--filter cat" \
    "--filter-timeout 30" "--max-cable-size 1M" "--errors $T/e.jsonl" "--keep-going" \
    "--fail-fast" "--progress" "--no-progress" "-q" "--quiet" "-O max-cable-size=1M" \
    "--option max-cable-size=1M" "--max-entry-size 1G" "--plugin-dir $T"; do
    # shellcheck disable=SC2086
    "$CABLEX" $cmd $o -o "$T/r" "$S" >/dev/null 2>"$T/err"
    st=$?
    [ "$st" -lt 2 ] || fail "$cmd $o: exit $st: $(head -n 1 "$T/err")"
    opt=${o%% *}
    in_text "$T/help-$cmd" "$opt" || fail "$cmd --help does not list $opt"
  done
  for o in "-t json" "-tjson" "--to json" "--to=json" "--pretty"; do
    # shellcheck disable=SC2086
    run $cmd $o "$S"
    expect_status 2 "$cmd $o"
    expect_err "unknown option '${o%% *}' for '$cmd'" "$cmd $o"
  done
  run $cmd --no-such-option "$S"
  expect_status 2 "$cmd --no-such-option"
  expect_err "unknown option '--no-such-option' for '$cmd'" "$cmd: the message names the command"
done
finish
