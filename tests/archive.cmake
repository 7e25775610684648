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
foreach(t test_stream test_ostream)
  add_test(NAME ${t}_zlib COMMAND $<TARGET_FILE:${t}>)
  set_tests_properties(${t}_zlib PROPERTIES LABELS "unit;streams;archive"
    ENVIRONMENT "CABLEX_GZIP=zlib;CABLEX_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data;CABLEX_BUILD_DIR=${CMAKE_BINARY_DIR}")
endforeach()

# Whole bundles through the CLI (tests/archive/test_*.sh; bundles made at
# test time with bsdtar and tests/archive/gen.py).  They skip (77) when
# bsdtar is missing or this cablex cannot convert bundles.
if(TARGET cx_plugin_archive)
  if(EXISTS /usr/bin/python3)
    set(CX_ARCHIVE_PYTHON /usr/bin/python3)
  else()
    find_program(CX_ARCHIVE_PYTHON python3 REQUIRED)
  endif()
  file(GLOB cx_archive_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/archive/test_*.sh)
  foreach(script ${cx_archive_scripts})
    get_filename_component(stem ${script} NAME_WE)
    string(REGEX REPLACE "^test_" "" stem ${stem})
    add_test(NAME archive_${stem} COMMAND sh ${script})
    set_tests_properties(archive_${stem} PROPERTIES LABELS "cli;archive"
      SKIP_RETURN_CODE 77 TIMEOUT 600
      ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/archive-tmp/${stem};CX_SRC=${PROJECT_SOURCE_DIR};CX_PYTHON=${CX_ARCHIVE_PYTHON}")
  endforeach()
endif()
