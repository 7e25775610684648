# The json plugin: cmocka units built from the plugin's sources (so they can
# reach its internal functions), and the JSON Schema check of its output.
set(CX_JSON_DIR ${PROJECT_SOURCE_DIR}/plugins/json)
cx_add_unit_test(test_json
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_json.c
          ${CX_JSON_DIR}/json_writer.c ${CX_JSON_DIR}/json_reader.c ${CX_JSON_DIR}/json_plugin.c
  LIBS PkgConfig::JANSSON
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
