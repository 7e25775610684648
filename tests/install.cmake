# The install test (label "cli"): `cmake --install` of this build into a
# temporary prefix, the out-of-tree example plugin (examples/plugin-tsv)
# built against it with pkg-config, and the installed cablex run from there
# and from a moved copy.  Needs make and pkg-config (skips without them).
add_test(NAME install_tree COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/install_test.sh)
set_tests_properties(install_tree PROPERTIES LABELS "cli;install"
  SKIP_RETURN_CODE 77
  TIMEOUT 120
  ENVIRONMENT "CMAKE_COMMAND=${CMAKE_COMMAND};CX_BUILD_DIR=${CMAKE_BINARY_DIR};CX_SOURCE_DIR=${PROJECT_SOURCE_DIR};CC=${CMAKE_C_COMPILER}")
