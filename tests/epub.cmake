# The epub plugin: cmocka units built from the plugin's sources, the CLI
# checks (epubcheck on every book, reproducible bytes, EPUB -> JSON equal to
# raw -> JSON, a foreign book made by pandoc) and, in the conformance label,
# the book of every cable of ../shared/corpus/text.
set(CX_EPUB_DIR ${PROJECT_SOURCE_DIR}/plugins/epub)
pkg_check_modules(CX_EPUB_TEST_DEPS REQUIRED IMPORTED_TARGET libarchive expat)
cx_add_unit_test(test_epub
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_epub.c
          ${CX_EPUB_DIR}/epub_zip.c ${CX_EPUB_DIR}/epub_xhtml.c ${CX_EPUB_DIR}/epub_writer.c
          ${CX_EPUB_DIR}/epub_reader.c ${CX_EPUB_DIR}/epub_plugin.c
  LIBS PkgConfig::CX_EPUB_TEST_DEPS ZLIB::ZLIB
  LABELS epub)

add_test(NAME epub_cli
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/epub/test_epub_cli.sh $<TARGET_FILE:cablex_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/epub-cli-tmp)
add_test(NAME epub_foreign
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/epub/test_epub_foreign.sh $<TARGET_FILE:cablex_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/epub-foreign-tmp)
set_tests_properties(epub_cli epub_foreign PROPERTIES
  LABELS "epub;cli" SKIP_RETURN_CODE 77 TIMEOUT 900)

add_test(NAME conformance_epub_corpus
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/epub_corpus.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_epub_corpus PROPERTIES
  LABELS "conformance;epub" SKIP_RETURN_CODE 77 TIMEOUT 1800)
