# test_plugins.sh - `cablex plugins` with --plugin-dir: refused test plugins
# named with their file and both ABI versions, good ones loaded, shadowed
# and disabled ones listed.
. "$(dirname "$0")/lib.sh"

run --plugin-dir "$BAD" plugins --plugin-dir "$GOOD"
expect_status 0 "plugins"
expect_out "NAME" "plugins has a header"
expect_out "refused: plugin $BAD/abi2.so: ABI 2.0, cablex supports 1.1" "abi2 refused"
expect_out "refused: plugin $BAD/newer.so: ABI 1.2, cablex supports 1.1" "newer minor refused"
expect_out "refused: plugin $BAD/small.so: ABI 1.1 descriptor of" "small descriptor refused"
expect_out "refused: plugin $BAD/nodesc.so: no cablex_plugin_v1 descriptor" "no descriptor refused"
expect_out "refused: plugin $BAD/bogus.so: cannot load it" "text file refused"
grep -E "^lines +input +lines +1\.1 +$GOOD/lines\.so +loaded$" "$T/out" >/dev/null ||
  fail "lines listed as loaded: $(cat "$T/out")"
grep -E "^upper +output +up +1\.1 +$GOOD/upper\.so +loaded$" "$T/out" >/dev/null ||
  fail "upper listed as loaded"
# Bad plugins cost a listing line each, never the run.
[ "$(grep -c "refused: plugin $BAD/" "$T/out")" -eq 5 ] || fail "five refused plugins"

# The same through CABLEX_PLUGIN_PATH (relative entries ignored with a warning).
CABLEX_PLUGIN_PATH="relative/dir:$GOOD" "$CABLEX" plugins >"$T/out" 2>"$T/err"
grep -qE "^lines .* loaded$" "$T/out" || fail "CABLEX_PLUGIN_PATH finds lines"
expect_err "ignoring relative directory 'relative/dir'" "relative CABLEX_PLUGIN_PATH entry"

# A user conf dir: a disabled plugin, and the same plugin again, shadowed.
mkdir -p "$XDG_CONFIG_HOME/cablex/plugins.d" "$T/second"
cat >"$XDG_CONFIG_HOME/cablex/plugins.d/upper.conf" <<CONF
# switched off by the user
name = upper
module = $GOOD/upper
enabled = false
CONF
cat >"$T/second/lines.conf" <<CONF
name = lines
module = $GOOD/lines
abi = 1.1
CONF
run --plugin-dir "$GOOD" --plugin-dir "$T/second" plugins --all
grep -qE "^upper .*$GOOD/upper\.so +loaded$" "$T/out" || fail "--plugin-dir comes before the user dir"
grep -qE "^upper .*/xdg/cablex/plugins.d/upper\.conf +shadowed by $GOOD/upper\.so$" "$T/out" ||
  fail "the user's upper.conf is shadowed"
run --plugin-dir "$T/second" plugins --all
expect_out "$T/second/lines.conf" "conf listed"
grep -qE "^upper .*upper\.conf +disabled$" "$T/out" || fail "disabled upper: $(cat "$T/out")"
expect_out "searched, in this order:" "--all lists the directories"
expect_out "$XDG_CONFIG_HOME/cablex/plugins.d" "--all lists the XDG dir"
run --plugin-dir "$T/second" convert -t upper "$T/second/lines.conf"
expect_status 2 "a disabled plugin cannot be used"
expect_err "no output plugin named 'upper'" "a disabled plugin cannot be used"

# A copy of lines.so in a later dir is shadowed by the first one.
mkdir -p "$T/third"
cp "$GOOD/lines.so" "$T/third/lines.so"
run --plugin-dir "$GOOD" --plugin-dir "$T/third" plugins --all
expect_out "shadowed by $GOOD/lines.so" "second lines.so shadowed"
run --plugin-dir "$GOOD" --plugin-dir "$T/third" plugins
expect_no_err "shadowed" "no noise on stderr"
grep -q "shadowed" "$T/out" && fail "shadowed plugins are listed only with --all"

# Refused plugins are reported when converting, and the run goes on.
printf '06A1 one\n' >"$T/a.lines"
run --plugin-dir "$BAD" --plugin-dir "$GOOD" convert -t upper "$T/a.lines"
expect_status 0 "convert with refused plugins around"
expect_err "cablex: warning: plugin abi2 refused: plugin $BAD/abi2.so: ABI 2.0, cablex supports 1.1" "refusal reported"
same "$T/out" "06A1|06A1 ONE
" "convert with refused plugins around"

# The build tree's binary finds the build's own plugins.d; a copy of it
# elsewhere does not (it looks in the installed one).
run plugins --all
grep -qE "^  $CX_BUILD_DIR/lib[^ ]*/cablex/plugins\.d$" "$T/out" || fail "build tree plugins.d searched"
mkdir -p "$T/bin"
cp "$CABLEX" "$T/bin/cablex"
"$T/bin/cablex" plugins --all >"$T/out" 2>"$T/err"
grep -qE "^  $CX_BUILD_DIR/lib[^ ]*/cablex/plugins\\.d$" "$T/out" && fail "a binary outside the build tree searched the build tree"

finish
