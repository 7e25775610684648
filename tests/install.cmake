# The install test (label "cli"): `cmake --install` of this build into a
# temporary prefix, the out-of-tree example plugin (examples/plugin-tsv)
# built against it with pkg-config, and the installed cablex run from there
# and from a moved copy.  Needs make and pkg-config (skips without them).
add_test(NAME install_tree COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/install_test.sh)
set_tests_properties(install_tree PROPERTIES LABELS "cli;install"
  SKIP_RETURN_CODE 77
  TIMEOUT 120
  ENVIRONMENT "CMAKE_COMMAND=${CMAKE_COMMAND};CX_BUILD_DIR=${CMAKE_BINARY_DIR};CX_SOURCE_DIR=${PROJECT_SOURCE_DIR};CC=${CMAKE_C_COMPILER}")

# libcablex.so exports only what core/include/cablex/ declares (label
# "install"): run/ and host/ live in the static cablex_app, lib/ keeps its
# internals hidden.
add_test(NAME install_symbols COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/symbols_test.sh)
set_tests_properties(install_symbols PROPERTIES LABELS "install"
  SKIP_RETURN_CODE 77
  ENVIRONMENT "CC=${CMAKE_C_COMPILER};CX_LIB=$<TARGET_FILE:cablex>;CX_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
