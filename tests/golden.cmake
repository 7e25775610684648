# Golden tests: input, command, expected output (tests/data/golden/CASE).
file(GLOB cx_golden_cases LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/data/golden
     CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/golden/*)
foreach(case ${cx_golden_cases})
  add_test(NAME golden_${case}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden/run.sh $<TARGET_FILE:cablex_cli>
            ${CMAKE_CURRENT_SOURCE_DIR}/data/golden ${case})
  set_tests_properties(golden_${case} PROPERTIES LABELS "golden;cli")
endforeach()
