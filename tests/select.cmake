# Selection while converting (--where, --shard) and the --errors log: cmocka
# units over cables and logs built in the tests, and the CLI scripts.
cx_add_unit_test(test_select SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_select.c
  LABELS select)
cx_add_unit_test(test_errlog SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_errlog.c
  LABELS select)
cx_add_unit_test(test_naming SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_naming.c
  LABELS select)
