# The bulk pipeline: the ordered work pool and the progress line (cmocka),
# bundles through the test plugin tests/plugins/bundle.c, and -j N runs
# end to end (tests/cli/test_bulk*.sh, registered with the other CLI
# scripts by runtime.cmake; they find the plugin in tests/plugins/bulk).
set(CX_TEST_BULK_DIR ${CMAKE_BINARY_DIR}/tests/plugins/bulk)
file(MAKE_DIRECTORY ${CX_TEST_BULK_DIR})
add_library(cx_test_plugin_bundle MODULE ${CMAKE_CURRENT_SOURCE_DIR}/plugins/bundle.c)
set_target_properties(cx_test_plugin_bundle PROPERTIES
  OUTPUT_NAME bundle PREFIX ""
  C_VISIBILITY_PRESET hidden
  LIBRARY_OUTPUT_DIRECTORY ${CX_TEST_BULK_DIR})
target_link_libraries(cx_test_plugin_bundle PRIVATE cablex)
target_link_options(cx_test_plugin_bundle PRIVATE -Wl,--no-undefined)
add_custom_target(cx_test_plugins_bulk ALL DEPENDS cx_test_plugin_bundle)

# A malloc that counts the heap in use and its peak (LD_PRELOAD), for
# cli_bulk_memory: what the pipeline holds, not RSS.  A sanitizer brings its
# own malloc, so not then.
if(NOT CABLEX_SANITIZE)
  add_library(cx_test_heapcount MODULE ${CMAKE_CURRENT_SOURCE_DIR}/plugins/heapcount.c)
  set_target_properties(cx_test_heapcount PROPERTIES
    OUTPUT_NAME heapcount PREFIX ""
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${CX_TEST_BULK_DIR})
  add_dependencies(cx_test_plugins_bulk cx_test_heapcount)
endif()

cx_add_unit_test(test_workers
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_workers.c
  LIBS Threads::Threads
  LABELS bulk)
