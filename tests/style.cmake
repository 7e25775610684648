# House style: sources formatted with the committed .clang-format.
add_test(NAME style_clang_format COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/style/format_check.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(style_clang_format PROPERTIES LABELS style SKIP_RETURN_CODE 77)
# No function over 120 lines (data tables aside) and no source over 1,000
# lines in core/, plugins/ and examples/ (tools/function-size).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME style_function_size COMMAND ${Python3_EXECUTABLE}
    ${PROJECT_SOURCE_DIR}/tools/function-size
    ${PROJECT_SOURCE_DIR}/core ${PROJECT_SOURCE_DIR}/plugins ${PROJECT_SOURCE_DIR}/examples)
  set_tests_properties(style_function_size PROPERTIES LABELS style)
endif()
