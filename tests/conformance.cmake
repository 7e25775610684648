# Conformance runs against ../shared (label "conformance"); each skips with a
# message when the shared corpus is absent.
add_test(NAME conformance_peer_check
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/conformance/peer_check.sh $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_peer_check PROPERTIES LABELS conformance SKIP_RETURN_CODE 77 TIMEOUT 600)
