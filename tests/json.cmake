# The json plugin: cmocka units built from the plugin's sources (so they can
# reach its internal functions), and the JSON Schema check of its output.
set(CX_JSON_DIR ${PROJECT_SOURCE_DIR}/plugins/json)
cx_add_unit_test(test_json
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_json.c
          ${CX_JSON_DIR}/json_writer.c ${CX_JSON_DIR}/json_reader.c ${CX_JSON_DIR}/json_parse.c ${CX_JSON_DIR}/json_plugin.c
  LIBS ZLIB::ZLIB
  LABELS json)

# validate-json must accept the hand-written fixtures and reject an invalid
# cable (so that a passing schema check means something).
add_test(NAME json_schema_fixtures
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tools/validate-json
          ${CMAKE_CURRENT_SOURCE_DIR}/data/json/expected.jsonl
          ${CMAKE_CURRENT_SOURCE_DIR}/data/json/expected_pretty.json)
add_test(NAME json_schema_rejects
  COMMAND sh -c "out=$(/usr/bin/python3 \"$0\" \"$1\"); rc=$?; echo \"$out\"; test $rc = 1 && case $out in *invalid.jsonl:2:*) exit 0;; esac; exit 1"
          ${CMAKE_CURRENT_SOURCE_DIR}/tools/validate-json
          ${CMAKE_CURRENT_SOURCE_DIR}/data/json/invalid.jsonl)
set_tests_properties(json_schema_fixtures json_schema_rejects PROPERTIES LABELS "json;schema")

# End to end: the project's raw fixtures (tests/data/cli/raw, tests/data/raw,
# samples) through `cablex convert -t json` must validate against the schema,
# as JSON Lines and pretty; pretty read back (-f json) must give the same
# lines again (source.path differs, so source is left out of the compare).
add_test(NAME json_cli_raw_to_json
  COMMAND sh -c [=[
set -e
cablex="$1"
validate="$2"
src="$3"
tmp="$4"
rm -rf "$tmp"
mkdir -p "$tmp"
inputs="$src/tests/data/cli/raw $src/samples"
if test -d "$src/tests/data/raw"
then
  inputs="$inputs $src/tests/data/raw"
fi
"$cablex" convert -q -f raw -t json -o "$tmp/all.jsonl" $inputs
/usr/bin/python3 "$validate" "$tmp/all.jsonl"
test "$(wc -l < "$tmp/all.jsonl")" -ge 6
"$cablex" convert -q -f raw -t json --pretty -o "$tmp/all.json" $inputs
/usr/bin/python3 "$validate" "$tmp/all.json"
"$cablex" convert -q -f json -t json -o "$tmp/again.jsonl" "$tmp/all.json"
sed 's/"source":{[^}]*}//' "$tmp/all.jsonl" > "$tmp/a"
sed 's/"source":{[^}]*}//' "$tmp/again.jsonl" > "$tmp/b"
cmp "$tmp/a" "$tmp/b"
rm -rf "$tmp"
]=] cx-json-cli $<TARGET_FILE:cablex_cli> ${CMAKE_CURRENT_SOURCE_DIR}/tools/validate-json
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/json-cli-tmp)
set_tests_properties(json_cli_raw_to_json PROPERTIES LABELS "json;cli;schema")
