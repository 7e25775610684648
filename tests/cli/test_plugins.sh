# test_plugins.sh - `cablex plugins` with --plugin-dir: refused test plugins
# named with their file and both ABI versions, good ones loaded, shadowed
# and disabled ones listed.
. "$(dirname "$0")/lib.sh"

run --plugin-dir "$BAD" plugins --plugin-dir "$GOOD"
expect_status 0 "plugins"
expect_out "NAME" "plugins has a header"
expect_out "refused: plugin $BAD/abi2.so: ABI 2.0, cablex supports 1.2" "abi2 refused"
expect_out "refused: plugin $BAD/newer.so: ABI 1.3, cablex supports 1.2" "newer minor refused"
expect_out "refused: plugin $BAD/small.so: ABI 1.2 descriptor of" "small descriptor refused"
expect_out "refused: plugin $BAD/nodesc.so: no cablex_plugin_v1 descriptor" "no descriptor refused"
expect_out "refused: plugin $BAD/layout.so: built for model layout 2 (cx_cable " "other model layout refused"
expect_out "cablex has model layout 1 (" "other model layout refused: both layouts named"
expect_out "refused: plugin $BAD/bogus.so: cannot load it" "text file refused"
grep -E "^lines +input +lines +1\.2 +$GOOD/lines\.so +loaded$" "$T/out" >/dev/null ||
  fail "lines listed as loaded: $(cat "$T/out")"
grep -E "^upper +output +up +1\.2 +$GOOD/upper\.so +loaded$" "$T/out" >/dev/null ||
  fail "upper listed as loaded"
# Bad plugins cost a listing line each, never the run.
[ "$(grep -c "refused: plugin $BAD/" "$T/out")" -eq 6 ] || fail "six refused plugins"

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
expect_err "cablex: warning: plugin abi2 refused: plugin $BAD/abi2.so: ABI 2.0, cablex supports 1.2" "refusal reported"
same "$T/out" "06A1|06A1 ONE
" "convert with refused plugins around"

# A run opens only the plugins it chooses: a conf describing a plugin whose
# module does not exist costs nothing until it is picked.
mkdir -p "$T/ghost"
cat >"$T/ghost/ghost.conf" <<CONF
name = ghost
module = $T/ghost/nothere
kinds = output
extensions = gh
options = ghost-level=N
probe = false
CONF
run --plugin-dir "$T/ghost" --plugin-dir "$GOOD" convert -t upper "$T/a.lines"
expect_status 0 "a run that does not choose the ghost"
expect_no_err "ghost" "the ghost's module is never opened"
same "$T/out" "06A1|06A1 ONE
" "a run that does not choose the ghost"
run --plugin-dir "$T/ghost" --plugin-dir "$GOOD" convert -t upper --ghost-level 3 "$T/a.lines"
expect_status 2 "an option of a plugin the run does not use"
expect_err "plugin ghost takes --ghost-level" "the conf's options are known without the module"
run --plugin-dir "$T/ghost" --plugin-dir "$GOOD" convert -t ghost "$T/a.lines"
expect_status 2 "the ghost chosen"
expect_err "cablex: warning: plugin ghost refused: plugin $T/ghost/nothere" "refused when chosen"
expect_err "no output plugin named 'ghost'" "refused when chosen"
run --plugin-dir "$T/ghost" plugins
expect_out "refused: plugin $T/ghost/nothere" "cablex plugins opens every module"

# A conf that disagrees with its module: the module counts, and it is said.
mkdir -p "$T/stale"
cat >"$T/stale/lines.conf" <<CONF
name = lines
module = $GOOD/lines
kinds = input
extensions = old,lines
CONF
run --plugin-dir "$T/stale" plugins
grep -qE "^lines +input +lines +1\.2 +$T/stale/lines\.conf +loaded; its conf disagrees with the module: extensions$" "$T/out" ||
  fail "disagreeing conf listed: $(cat "$T/out")"
expect_err "lines.conf: disagrees with its module $GOOD/lines.so on extensions" "disagreeing conf warned"

# The build's own confs are generated from the descriptors: they agree.
run plugins
grep -q "disagrees" "$T/out" && fail "a generated conf disagrees with its module: $(cat "$T/out")"
grep -q "^name = raw$" "$CX_BUILD_DIR"/lib*/cablex/plugins.d/raw.conf || fail "raw.conf generated with its name"
grep -q "^probe = true$" "$CX_BUILD_DIR"/lib*/cablex/plugins.d/raw.conf || fail "raw.conf generated with probe"

# The build tree's binary finds the build's own plugins.d; a copy of it
# elsewhere does not (it looks in the installed one).
run plugins --all
grep -qE "^  $CX_BUILD_DIR/lib[^ ]*/cablex/plugins\.d$" "$T/out" || fail "build tree plugins.d searched"
mkdir -p "$T/bin"
cp "$CABLEX" "$T/bin/cablex"
"$T/bin/cablex" plugins --all >"$T/out" 2>"$T/err"
grep -qE "^  $CX_BUILD_DIR/lib[^ ]*/cablex/plugins\\.d$" "$T/out" && fail "a binary outside the build tree searched the build tree"

finish
