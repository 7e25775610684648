# The csv plugin: cmocka units built from the plugin's sources (so they can
# reach its helpers), the CLI on the project's own rows, RFC 4180 output
# read by Python's csv module, and (conformance) the leaked rows of
# ../shared through csv -> JSON -> csv.
set(CX_CSV_DIR ${PROJECT_SOURCE_DIR}/plugins/csv)
cx_add_unit_test(test_csv
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_csv.c
          ${CX_CSV_DIR}/csv_plugin.c ${CX_CSV_DIR}/csv_reader.c ${CX_CSV_DIR}/csv_split.c
          ${CX_CSV_DIR}/csv_writer.c
  LABELS csv)
target_include_directories(test_csv PRIVATE ${CX_CSV_DIR})

add_test(NAME csv_cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/csv/test_csv_cli.sh)
set_tests_properties(csv_cli PROPERTIES LABELS "csv;cli" SKIP_RETURN_CODE 77 TIMEOUT 120
  ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_DATA=${CMAKE_CURRENT_SOURCE_DIR}/data/csv;CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/csv-tmp/cli")

# Conformance against ../shared (skipped, exit 77, when it is absent): the 12
# leaked rows of corpus/csv through csv -> JSON -> csv, byte for byte, and
# each cable against Python's own reading of its row.
add_test(NAME conformance_csv_roundtrip
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/csv_roundtrip.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_csv_roundtrip PROPERTIES
  LABELS "conformance;csv" SKIP_RETURN_CODE 77 TIMEOUT 300)
