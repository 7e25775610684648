# test_usage.sh - --help, --version, help COMMAND, and usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

run --version
expect_status 0 "--version"
expect_out "cablex " "--version"
expect_out "(plugin ABI 1.2)" "--version names the ABI"

run --help
expect_status 0 "--help"
expect_out "usage: cablex" "--help"
expect_out "convert [OPTIONS] [INPUT...]" "--help lists convert"
expect_out "plugins [--all]" "--help lists plugins"

run
expect_status 2 "no command"
expect_err "usage: cablex" "no command shows the usage"

# convert --help and help convert: the options, and each loaded plugin's own.
run --plugin-dir "$GOOD" convert --help
expect_status 0 "convert --help"
expect_out "usage: cablex convert" "convert --help"
expect_out "--max-cable-size BYTES" "convert --help"
expect_out "upper:" "convert --help lists the upper plugin's options"
expect_out "fail-at=N" "convert --help lists option fail-at"
expect_out "make the Nth write fatal" "convert --help shows the option's help"
run help convert --plugin-dir "$GOOD"
expect_status 0 "help convert"
expect_out "usage: cablex convert" "help convert"
expect_out "reject=ID" "help convert with --plugin-dir after the command"
run help plugins
expect_status 0 "help plugins"
expect_out "usage: cablex plugins [-a | --all]" "help plugins"

run frobnicate
expect_status 2 "unknown command"
expect_err "cablex: unknown command 'frobnicate'" "unknown command"
run convert --frobnicate
expect_status 2 "unknown option"
expect_err "cablex: unknown option '--frobnicate'" "unknown option"
run convert -t
expect_status 2 "-t without value"
expect_err "cablex: -t needs a value" "-t without value"
run --plugin-dir
expect_status 2 "--plugin-dir without value"
run convert --max-cable-size lots
expect_status 2 "bad --max-cable-size"
expect_err "bad --max-cable-size 'lots'" "bad --max-cable-size"
run convert --max-cable-size 0
expect_status 2 "--max-cable-size 0"
run convert -O =x
expect_status 2 "-O without a name"
run plugins --bogus
expect_status 2 "plugins with an unknown option"

# Formats that do not exist, or no way to tell the output format.
printf '06A1 x\n' >"$T/a.lines"
run --plugin-dir "$GOOD" convert -f nosuch -t upper "$T/a.lines"
expect_status 2 "-f unknown"
expect_err "cablex: no input plugin named 'nosuch' (see cablex plugins)" "-f unknown"
run --plugin-dir "$GOOD" convert -t nosuch "$T/a.lines"
expect_status 2 "-t unknown"
expect_err "no output plugin named 'nosuch'" "-t unknown"
run --plugin-dir "$GOOD" convert -t lines "$T/a.lines"
expect_status 2 "-t names an input-only plugin"
run --plugin-dir "$GOOD" convert "$T/a.lines"
expect_status 2 "no -t, no -o"
expect_err "no output format: give -t FMT" "no -t, no -o"
run --plugin-dir "$GOOD" convert -o "$T/x.unknownext" "$T/a.lines"
expect_status 2 "-o with an unknown extension"
expect_err "no output plugin for '$T/x.unknownext'" "-o with an unknown extension"
[ -e "$T/x.unknownext" ] && fail "-o with an unknown extension created the file"

# An output that cannot be opened: exit 2, nothing created.
run --plugin-dir "$GOOD" convert -o "$T/no/such/dir/out.up" "$T/a.lines"
expect_status 2 "-o in a missing directory"
expect_err "$T/no/such/dir/out.up" "-o in a missing directory names the file"

# No plugin at all: a copy of the binary outside the build tree does not see
# the build's plugins; given only an empty --plugin-dir it has none, unless
# cablex is installed on this machine (then this check cannot be made).
mkdir -p "$T/bin" "$T/empty"
cp "$CABLEX" "$T/bin/cablex"
if "$T/bin/cablex" --plugin-dir "$T/empty" plugins | grep -q "^no plugins found"; then
  "$T/bin/cablex" --plugin-dir "$T/empty" convert -t upper "$T/a.lines" >"$T/out" 2>"$T/err"
  status=$?
  expect_status 2 "no plugin loaded"
  expect_err "cablex: no plugin could be loaded (see cablex plugins)" "no plugin loaded"
fi

finish
