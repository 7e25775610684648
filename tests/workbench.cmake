# The workbench commands end to end (tests/workbench/test_*.sh): --filter
# (the examples, order, drops, every way a filter fails), `cablex stats`
# (counts against a JSON Lines conversion counted by Python, the SVG checked
# with xmllint) and `cablex check` (each finding, exit status, JSON).
file(GLOB cx_wb_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/workbench/test_*.sh)
foreach(script ${cx_wb_scripts})
  get_filename_component(stem ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME workbench_${stem} COMMAND sh ${script})
  set_tests_properties(workbench_${stem} PROPERTIES LABELS "workbench;cli"
    SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/workbench-tmp/${stem};CX_SRC=${PROJECT_SOURCE_DIR}")
endforeach()
