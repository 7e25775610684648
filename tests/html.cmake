# The html plugin (Cablegate cable pages, formats/html.md): cmocka units
# built from the plugin's sources, CLI round trips on the project's own
# pages (tests/data/html), and the conformance run on ../shared/corpus/html.
set(CX_HTML_DIR ${PROJECT_SOURCE_DIR}/plugins/html)
cx_add_unit_test(test_html
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_html.c
          ${CX_HTML_DIR}/html_plugin.c ${CX_HTML_DIR}/html_entities.c
          ${CX_HTML_DIR}/html_reader.c ${CX_HTML_DIR}/html_writer.c
  LABELS html)
target_include_directories(test_html PRIVATE ${CX_HTML_DIR})
# test_hostile_markup: the hang bound of the linear scans
set_tests_properties(test_html PROPERTIES TIMEOUT 60)

add_test(NAME html_cli
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html/cli.sh $<TARGET_FILE:cablex_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/html-cli-tmp)
set_tests_properties(html_cli PROPERTIES LABELS "html;cli" SKIP_RETURN_CODE 77 TIMEOUT 120)

# every page of ../shared/corpus/html (skipped, exit 77, when it is absent)
add_test(NAME conformance_html_corpus
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/html_corpus.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_html_corpus PROPERTIES
  LABELS "conformance;html" SKIP_RETURN_CODE 77 TIMEOUT 600)
