# The sqlite plugin end to end (tests/sqlite/test_*.sh): round trips, the
# schema and its queries, appending, and every bad database (not cablex's,
# another schema version, locked, read-only, disk full).  The conformance
# round trip over ../shared skips when it is absent.
file(GLOB cx_sqlite_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/sqlite/test_*.sh)
foreach(script ${cx_sqlite_scripts})
  get_filename_component(stem ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME sqlite_${stem} COMMAND sh ${script})
  set_tests_properties(sqlite_${stem} PROPERTIES LABELS "sqlite;cli"
    SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/sqlite-tmp/${stem};CX_SRC=${PROJECT_SOURCE_DIR}")
endforeach()
add_test(NAME conformance_sqlite_roundtrip
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/conformance/sqlite_roundtrip.sh $<TARGET_FILE:cablex_cli>
          ${CX_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/sqlite-tmp/conformance)
set_tests_properties(conformance_sqlite_roundtrip PROPERTIES
  LABELS "conformance;sqlite" SKIP_RETURN_CODE 77 TIMEOUT 600)
