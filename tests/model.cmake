cx_add_unit_test(test_cable SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_cable.c)
cx_add_unit_test(test_error SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_error.c)
