# test_plugins_unsafe.sh - loading a plugin runs its code, so (issue 12,
# case 15) a module or conf in a place anyone may write is refused before it
# is opened, unless CABLEX_PLUGIN_UNSAFE=1; a plugin that takes the name of
# a built-in one is said once when a run uses it.
. "$(dirname "$0")/lib.sh"

built=$(cd "$(dirname "$CABLEX")/lib/cablex" 2>/dev/null && pwd) || {
  echo "skip: no build-tree plugins beside $CABLEX"
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
finish
