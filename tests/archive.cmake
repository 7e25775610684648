# The archive plugin (bundles): cmocka units built from the plugin's
# sources, and CLI runs of whole bundles through the pipeline
# (tests/archive/*.sh).  Nothing here when libarchive was not found.
if(TARGET cx_plugin_archive)
  set(CX_ARCHIVE_DIR ${PROJECT_SOURCE_DIR}/plugins/archive)
  cx_add_unit_test(test_archive
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_archive.c
            ${CX_ARCHIVE_DIR}/archive_plugin.c ${CX_ARCHIVE_DIR}/archive_reader.c
            ${CX_ARCHIVE_DIR}/archive_writer.c
    LIBS PkgConfig::LIBARCHIVE
    LABELS archive)
  target_include_directories(test_archive PRIVATE ${CX_ARCHIVE_DIR})
  set_tests_properties(test_archive PROPERTIES TIMEOUT 300)
endif()

# The stream tests again with the zlib decoder that ISA-L replaces when it
# is built in (core/inflate.c): both must give the same bytes and errors.
add_test(NAME test_stream_zlib COMMAND $<TARGET_FILE:test_stream>)
set_tests_properties(test_stream_zlib PROPERTIES LABELS "unit;streams;archive"
  ENVIRONMENT "CABLEX_GZIP=zlib;CABLEX_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data;CABLEX_BUILD_DIR=${CMAKE_BINARY_DIR}")
