# Tests of the plugin registry, the conversion pipeline and the CLI.
#
# Test plugins are built as MODULEs into the build tree, away from the real
# plugins:  tests/plugins/good  lines.so (reader), upper.so (writer)
#           tests/plugins/bad   abi2.so, newer.so, small.so, nodesc.so, layout.so and a
#                               text file named bogus.so: each must be refused.
#           tests/plugins/ctor  ctor.so, whose constructor creates a file: a
#                               refused module's code must not run (hostile tests).
set(CX_TEST_GOOD_DIR ${CMAKE_BINARY_DIR}/tests/plugins/good)
set(CX_TEST_BAD_DIR ${CMAKE_BINARY_DIR}/tests/plugins/bad)
file(MAKE_DIRECTORY ${CX_TEST_GOOD_DIR} ${CX_TEST_BAD_DIR})

function(cx_add_test_plugin name dir)
  add_library(cx_test_plugin_${name} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/plugins/${name}.c)
  set_target_properties(cx_test_plugin_${name} PROPERTIES
    OUTPUT_NAME ${name} PREFIX ""
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${dir})
  target_link_libraries(cx_test_plugin_${name} PRIVATE cablex)
  target_link_options(cx_test_plugin_${name} PRIVATE -Wl,--no-undefined)
endfunction()

cx_add_test_plugin(lines ${CX_TEST_GOOD_DIR})
cx_add_test_plugin(upper ${CX_TEST_GOOD_DIR})
cx_add_test_plugin(abi2 ${CX_TEST_BAD_DIR})
cx_add_test_plugin(newer ${CX_TEST_BAD_DIR})
cx_add_test_plugin(layout ${CX_TEST_BAD_DIR})
cx_add_test_plugin(small ${CX_TEST_BAD_DIR})
cx_add_test_plugin(nodesc ${CX_TEST_BAD_DIR})
cx_add_test_plugin(ctor ${CMAKE_BINARY_DIR}/tests/plugins/ctor)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/plugins/bogus.so.txt ${CX_TEST_BAD_DIR}/bogus.so COPYONLY)
add_custom_target(cx_test_plugins ALL DEPENDS
  cx_test_plugin_lines cx_test_plugin_upper cx_test_plugin_abi2
  cx_test_plugin_newer cx_test_plugin_small cx_test_plugin_nodesc cx_test_plugin_layout
  cx_test_plugin_ctor)

cx_add_unit_test(test_registry SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_registry.c
  LABELS runtime)
target_include_directories(test_registry PRIVATE ${CMAKE_BINARY_DIR}/core)
add_dependencies(test_registry cx_test_plugins)

# End-to-end runs of the built cablex (tests/cli/*.sh, POSIX sh).  Each
# script gets the binary, the test plugin dirs and its fixtures.
file(GLOB cx_cli_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_*.sh)
foreach(script ${cx_cli_scripts})
  get_filename_component(stem ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME cli_${stem} COMMAND sh ${script})
  set_tests_properties(cli_${stem} PROPERTIES LABELS "cli"
    SKIP_RETURN_CODE 77
    ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_TEST_GOOD_DIR=${CX_TEST_GOOD_DIR};CX_TEST_BAD_DIR=${CX_TEST_BAD_DIR};CX_DATA=${CMAKE_CURRENT_SOURCE_DIR}/data/cli;CX_BUILD_DIR=${CMAKE_BINARY_DIR};CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/cli-tmp/${stem}")
endforeach()
