# test_plugins_unsafe.sh - loading a plugin runs its code, so (issue 12,
# case 15) a module or conf in a place anyone may write is refused before it
# is opened, unless CABLEX_PLUGIN_UNSAFE=1; a plugin that takes the name of
# a built-in one is said once when a run uses it.  Nothing of a refused
# module runs: the constructor of a test module (it creates a file) does not.
. "$(dirname "$0")/lib.sh"

# CX_BUILD: the build tree (cablex itself is in its bin/)
built=$(cd "${CX_BUILD:?}/lib/cablex" 2>/dev/null && pwd) || {
  echo "skip: no build-tree plugins in $CX_BUILD"
  exit 77
}
mkdir -p "$T/p"
cp "$built/plugins/raw.so" "$T/p/raw.so"
sed 's|^module = .*|module = raw|' "$built/plugins.d/raw.conf" >"$T/p/raw.conf"
chmod 755 "$T/p"
chmod 644 "$T/p/raw.so" "$T/p/raw.conf"

# safe: used, and said once to take the place of the built-in raw
run --plugin-dir "$T/p" convert -f raw -t jsonl -o "$T/o.jsonl" "$GOOD" "$GOOD"
expect_status 0 "a raw plugin in --plugin-dir"
expect_err "plugin 'raw' is used instead of the one in" "a plugin shadowing a built-in: said"
n=$(grep -c "is used instead of" "$T/err")
[ "$n" = 1 ] || fail "a plugin shadowing a built-in: said $n times, expected once"

for what in module conf dir; do
  case $what in
  module) chmod o+w "$T/p/raw.so" ;;
  conf) chmod o+w "$T/p/raw.conf" ;;
  dir) chmod o+w "$T/p" ;;
  esac
  run --plugin-dir "$T/p" plugins
  has "$T/out" "is writable by every user (anyone could replace what runs): not loaded" "world-writable $what: refused"
  run --plugin-dir "$T/p" convert -f raw -t jsonl -o "$T/o.jsonl" "$GOOD"
  expect_err "warning: plugin raw refused: plugin $T/p/raw:" "world-writable $what: said in a conversion"
  CABLEX_PLUGIN_UNSAFE=1 run --plugin-dir "$T/p" plugins
  lacks "$T/out" "writable by every user" "world-writable $what with CABLEX_PLUGIN_UNSAFE=1"
  chmod o-w "$T/p" "$T/p/raw.so" "$T/p/raw.conf"
done

# the refusal comes before the module is opened, so none of its code runs:
# ctor.so's constructor creates $CX_TEST_CTOR_FILE when it is loaded
ctor=$CX_BUILD/tests/plugins/ctor/ctor.so
[ -f "$ctor" ] || fail "no test module $ctor"
mkdir -p "$T/c"
cp "$ctor" "$T/c/ctor.so"
chmod 755 "$T/c"
chmod 644 "$T/c/ctor.so"
mark=$T/constructor-ran
CX_TEST_CTOR_FILE=$mark run --plugin-dir "$T/c" plugins
[ -e "$mark" ] || fail "ctor.so in a safe directory: its constructor did not run (nothing to see)"
for what in module dir; do
  case $what in
  module) bad=$T/c/ctor.so ;;
  dir) bad=$T/c ;;
  esac
  chmod o+w "$bad"
  rm -f "$mark"
  CX_TEST_CTOR_FILE=$mark run --plugin-dir "$T/c" plugins
  has "$T/out" "refused: plugin $T/c/ctor.so: $bad is writable by every user" "ctor.so, world-writable $what: refused"
  [ -e "$mark" ] && fail "ctor.so, world-writable $what: its constructor ran in cablex plugins"
  CX_TEST_CTOR_FILE=$mark run --plugin-dir "$T/c" convert -f raw -t jsonl -o "$T/o.jsonl" "$GOOD"
  expect_err "warning: plugin ctor refused" "ctor.so, world-writable $what: said in a conversion"
  [ -e "$mark" ] && fail "ctor.so, world-writable $what: its constructor ran in a conversion"
  CABLEX_PLUGIN_UNSAFE=1 CX_TEST_CTOR_FILE=$mark run --plugin-dir "$T/c" plugins
  [ -e "$mark" ] || fail "ctor.so, world-writable $what, CABLEX_PLUGIN_UNSAFE=1: not loaded"
  chmod o-w "$T/c" "$T/c/ctor.so"
done
finish
