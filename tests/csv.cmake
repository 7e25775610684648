# The csv plugin: cmocka units built from the plugin's sources (so they can
# reach its helpers), the CLI on the project's own rows, RFC 4180 output
# read by Python's csv module, and (conformance) the leaked rows of
# ../shared through csv -> JSON -> csv.
set(CX_CSV_DIR ${PROJECT_SOURCE_DIR}/plugins/csv)
cx_add_unit_test(test_csv
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_csv.c
          ${CX_CSV_DIR}/csv_plugin.c ${CX_CSV_DIR}/csv_reader.c ${CX_CSV_DIR}/csv_writer.c
  LABELS csv)
target_include_directories(test_csv PRIVATE ${CX_CSV_DIR})
