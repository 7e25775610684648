# House style: sources formatted with the committed .clang-format.
add_test(NAME style_clang_format COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/style/format_check.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(style_clang_format PROPERTIES LABELS style SKIP_RETURN_CODE 77)
