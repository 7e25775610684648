# Bounded buffers, byte streams with transparent gzip, and -O options.
cx_add_unit_test(test_stream SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_stream.c
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/stream_fixture.c LIBS ZLIB::ZLIB Threads::Threads LABELS streams)
cx_add_unit_test(test_ostream SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_ostream.c
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/stream_fixture.c LIBS ZLIB::ZLIB LABELS streams)
cx_add_unit_test(test_reclines SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_reclines.c
  LABELS streams)
cx_add_unit_test(test_scan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_scan.c
  LABELS streams)
cx_add_unit_test(test_tempfile SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_tempfile.c
  LABELS streams)
cx_add_unit_test(test_options SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_options.c
  LABELS streams)
# The gzip encoder: core/lib/io/deflate.c is compiled in (its symbols are not
# exported by libcablex), with ISA-L, opened when used, when the library is
# built with it.
cx_add_unit_test(test_deflate SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_deflate.c
  ${PROJECT_SOURCE_DIR}/core/lib/io/deflate.c ${PROJECT_SOURCE_DIR}/core/lib/io/gzip_libs.c
  ${PROJECT_SOURCE_DIR}/core/lib/io/dl_table.c
  LIBS ZLIB::ZLIB Threads::Threads ${CMAKE_DL_LIBS} LABELS streams)
target_compile_definitions(test_deflate PRIVATE CX_ZLIB_SONAME="${CX_ZLIB_SONAME}")
if(CX_ISAL_SONAME)
  target_compile_definitions(test_deflate PRIVATE CX_HAVE_ISAL=1 CX_ISAL_SONAME="${CX_ISAL_SONAME}")
  target_include_directories(test_deflate PRIVATE ${ISAL_INCLUDE_DIR})
endif()
add_test(NAME streams_gzip_out
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/streams/gzip_out.sh $<TARGET_FILE:cablex_cli>
          ${CMAKE_CURRENT_SOURCE_DIR}/data/raw/two_cables.txt
          ${CMAKE_CURRENT_BINARY_DIR}/streams-tmp/gzip_out)
set_tests_properties(streams_gzip_out PROPERTIES LABELS "streams;cli" SKIP_RETURN_CODE 77
  TIMEOUT 60)
add_test(NAME streams_lazy_libs
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/streams/lazy_libs.sh $<TARGET_FILE:cablex_cli>
          ${CMAKE_CURRENT_SOURCE_DIR}/data/raw/two_cables.txt
          ${CMAKE_CURRENT_BINARY_DIR}/streams-tmp/lazy_libs ${CX_ZLIB_SONAME} ${CX_ISAL_SONAME})
set_tests_properties(streams_lazy_libs PROPERTIES LABELS "streams;cli" SKIP_RETURN_CODE 77
  TIMEOUT 60)
