# The telegram parser's header part, canonical ids and the raw plugin.
cx_add_unit_test(test_telegram_header
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_telegram_header.c
          ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_header.c
  LABELS raw)
cx_add_unit_test(test_canonical_id
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_canonical_id.c
  LABELS raw)
# The plugin exports only its descriptor, so the test builds its sources in.
cx_add_unit_test(test_raw
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_raw.c
          ${PROJECT_SOURCE_DIR}/plugins/raw/raw_plugin.c
          ${PROJECT_SOURCE_DIR}/plugins/raw/raw_page.c
          ${PROJECT_SOURCE_DIR}/plugins/raw/raw_reader.c
          ${PROJECT_SOURCE_DIR}/plugins/raw/raw_writer.c
  LABELS raw)
target_include_directories(test_raw PRIVATE ${PROJECT_SOURCE_DIR}/plugins/raw)

# Conformance against ../shared (skipped, exit 77, when it is absent):
# cx_canonical_id on cablemap's tables of real malformed ids, and every real
# cable of corpus/text through raw -> JSON -> raw.
add_executable(canonical_oddities ${CMAKE_CURRENT_SOURCE_DIR}/conformance/canonical_oddities.c)
target_link_libraries(canonical_oddities PRIVATE cablex PkgConfig::JANSSON)
add_test(NAME conformance_canonical_ids COMMAND canonical_oddities ${CX_SHARED_DIR})
add_test(NAME conformance_raw_roundtrip
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/raw_roundtrip.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_canonical_ids conformance_raw_roundtrip PROPERTIES
  LABELS conformance SKIP_RETURN_CODE 77 TIMEOUT 600)
